"""Rendering derivations: JSON keys and values, text layout."""

import json

import sympy

from derive.derivation import derive
from derive.render import FORMATS, condition_text, render, to_json, to_text
from derive.symbols import c, n


def test_json_round_trips_and_keeps_case_order():
    data = json.loads(render(derive("cuda-graph", c="3*n"), "json"))
    assert data["bindings"] == {"c": "3*n"}
    assert [case["first_call"] for case in data["crossover"]] == ["floor((3*n - 1)/(n - 1)) + 1", "never"]


def test_json_break_even_null_for_parallel_totals():
    assert to_json(derive("cuda-graph", n=1))["break_even"] is None


def test_text_lists_cases_with_plain_conditions():
    text = to_text(derive("cuda-graph"))
    assert "below     if c > 1" in text and "constant  if c = 1" in text
    assert "never                       otherwise" in text


def test_condition_text():
    assert condition_text(sympy.Ne(n, 1)) == "n != 1"
    assert condition_text(sympy.Or(c < 1, n > 2)) in ("c < 1 or n > 2", "n > 2 or c < 1")
    assert condition_text(sympy.true) == "always"


def test_unknown_format_is_named():
    try:
        render(derive("cuda-graph"), "yaml")
    except ValueError as error:
        assert "format must be one of" in str(error) and "'yaml'" in str(error)
    else:
        raise AssertionError("no error")
    assert set(FORMATS) >= {"text", "json"}
