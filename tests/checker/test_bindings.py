"""Definedness survives binding: with any binding, the engine's own answer is equivalent
and that answer plus 1 is not, with a counterexample the oracle confirms.

The bindings are numbers and expressions (``c = n``, ``c = 3n``, ``c = 1``): where a binding
makes ``(c − 1)/(n − 1)`` cancel to a number, the root still exists only where ``n ≠ 1``,
and the engine's answer says so (a case split with no value at ``n = 1``).
"""

from fractions import Fraction

import sympy
from hypothesis import given
from hypothesis import strategies as st

from derive.checker.answer import check
from derive.engine.derivation import derive
from tests.oracle import eager_total, first_win_by_walking, graph_total

QUANTITIES = ("eager_total", "graph_total", "break_even", "crossover", "asymptote", "per_call_ratio")
SECONDS = 10


def text(expr):
    """``expr`` as the reader reads it (sympy's ``Ne(n, 1)`` is ``n != 1`` here)."""
    if isinstance(expr, sympy.Ne):
        return f"{text(expr.lhs)} != {text(expr.rhs)}"
    if isinstance(expr, sympy.Eq):
        return f"{text(expr.lhs)} = {text(expr.rhs)}"
    if isinstance(expr, sympy.And):
        return " and ".join(f"({text(a)})" for a in expr.args)
    if isinstance(expr, sympy.Or):
        return " or ".join(f"({text(a)})" for a in expr.args)
    return str(expr)


def engine_answer(quantity, derivation, plus=0):
    """The engine's own answer for ``quantity``, as text a student could type."""
    if quantity == "crossover":
        cases = [(("oo" if case.value is None else f"({case.value}) + {plus}"), text(case.when))
                 for case in derivation.crossover]
        return "Piecewise(" + ", ".join(f"({v}, {w})" for v, w in cases) + ")"
    if quantity == "break_even":
        if derivation.break_even is None:
            return "none"                                   # parallel totals: no root
        value = f"({derivation.break_even}) + {plus}"
        if derivation.break_even_when in (sympy.true, True):
            return value
        return f"Piecewise(({value}, {text(derivation.break_even_when)}))"
    value = {"eager_total": derivation.baseline, "graph_total": derivation.amortized,
             "asymptote": derivation.asymptote, "per_call_ratio": derivation.per_call_ratio}[quantity]
    return f"({value}) + {plus}"


def by_oracle(quantity, point):
    """The quantity at ``point`` from tests/oracle.py; None for never / no root."""
    nv, cv, kv = point["n"], Fraction(point["c"]), point.get("k", 1)
    if quantity == "crossover":
        return first_win_by_walking(nv, cv, limit=10_000)
    if quantity == "eager_total":
        return Fraction(eager_total(nv, kv))
    if quantity == "graph_total":
        return Fraction(graph_total(nv, kv, cv))
    if quantity == "per_call_ratio":
        return Fraction(eager_total(nv, kv)) / graph_total(nv, kv, cv)
    slope_e = eager_total(nv, 2) - eager_total(nv, 1)
    slope_g = graph_total(nv, 2, cv) - graph_total(nv, 1, cv)
    if quantity == "asymptote":
        return Fraction(slope_e) / slope_g
    gap0 = (eager_total(nv, 1) - slope_e) - (graph_total(nv, 1, cv) - slope_g)
    return None if slope_e == slope_g else -gap0 / (slope_e - slope_g)


C_VALUES = st.one_of(st.sampled_from(["n", "3*n", "1", "2*n - 1", "n + 1", "n/2"]),
                     st.integers(1, 6).map(str),
                     st.fractions(min_value=Fraction(1, 4), max_value=6, max_denominator=4).map(str))
BINDINGS = st.fixed_dictionaries({"c": C_VALUES}, optional={"n": st.integers(1, 5).map(str)})


@given(st.sampled_from(QUANTITIES), BINDINGS)
def test_engine_answer_equivalent_and_plus_one_refuted(quantity, bindings):
    derivation = derive("cuda-graph", **bindings)
    right = check(quantity, engine_answer(quantity, derivation), bindings=bindings, seconds=SECONDS)
    assert right.verdict == "equivalent", (engine_answer(quantity, derivation), right.message)
    wrong = check(quantity, engine_answer(quantity, derivation, plus=1), bindings=bindings, seconds=SECONDS)
    if quantity == "crossover" and all(case.value is None for case in derivation.crossover):
        assert wrong.verdict == "equivalent"            # never + 1 is still never
        return
    if quantity == "break_even" and derivation.break_even is None:
        return
    assert wrong.verdict == "not_equivalent", wrong.message
    point = wrong.point
    assert set(point) >= {"n", "c"} and all(isinstance(v, (int, Fraction)) for v in point.values())
    expected = by_oracle(quantity, point)
    assert expected is not None and Fraction(wrong.expected_value) == expected
    assert Fraction(wrong.answer_value) == expected + 1


def test_the_false_accepts_of_the_issue():
    v = check("break_even", "1", bindings={"c": "n"})
    assert v.verdict == "not_equivalent" and v.point == {"n": 1, "c": 1} and v.expected_value == "undefined"
    assert by_oracle("break_even", v.point) is None
    v = check("break_even", "0", bindings={"c": "1"})
    assert v.verdict == "not_equivalent" and v.point == {"n": 1, "c": 1}
    v = check("crossover", "floor((c-1)/(n-1))+1", bindings={"c": "n"})
    assert v.verdict == "not_equivalent" and v.point == {"n": 1, "c": 1}
    assert v.expected_value is None and v.answer_value == "undefined"
    assert "undefined there" in v.message and "--assume 'n >= 2'" in v.message


def test_show_says_where_the_root_exists():
    from derive.render.formats import to_json, to_text

    d = derive("cuda-graph", c="n")
    assert "k* = 1  (exists only where n != 1)" in to_text(d)
    assert to_json(d)["break_even_when"] == "n != 1"
    assert "break_even_when" not in to_json(derive("cuda-graph"))


def test_steps_keep_a_lines_denominators_through_bindings():
    from derive.checker.steps import check_steps

    chain = check_steps("n - 1 < k(n - 1)\nk > (c-1)/(n-1)\n", bindings={"c": "n"}, seconds=SECONDS)
    assert chain.verdict == "valid" and "equivalent" in chain.steps[1].message


def test_the_derivation_cache_round_trips_and_refuses_foreign_files(tmp_path, monkeypatch):
    import os

    from derive.checker import _cache

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    calls = []
    assert _cache.cached("key", lambda: calls.append(1) or {"x": 1}) == {"x": 1}
    assert _cache.cached("key", lambda: calls.append(1) or {"x": 2}) == {"x": 1} and calls == [1]
    assert _cache.cached("other", lambda: 3) == 3
    (stored,) = [p for p in tmp_path.iterdir() if p.read_bytes() and "key" in str(p.read_bytes())]
    os.chmod(stored, 0o666)                                   # writable by others: not trusted
    assert _cache.cached("key", lambda: {"x": 4}) == {"x": 4}
    monkeypatch.setenv("DERIVE_CACHE_DIR", "off")
    assert _cache.cached("key", lambda: 5) == 5
