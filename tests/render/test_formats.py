"""Rendering derivations: JSON keys and values, text layout."""

import json
import re
import subprocess
from fractions import Fraction

import pytest
import sympy
from matplotlib.mathtext import MathTextParser

from derive.engine.derivation import derive
from derive.engine.presets import PRESETS
from derive.engine.symbols import c, n
from derive.numeric import crossover
from derive.render.formats import (
    FORMATS,
    condition_text,
    render,
    to_json,
    to_latex,
    to_markdown,
    to_text,
)
from tests._support import needs_pdflatex


def test_json_round_trips_and_keeps_case_order():
    data = json.loads(render(derive("cuda-graph", c="3*n"), "json"))
    assert data["bindings"] == {"c": "3*n"}
    assert [case["first_call"] for case in data["crossover"]] == ["floor((3*n - 1)/(n - 1)) + 1", "never"]


def test_json_break_even_null_for_parallel_totals():
    assert to_json(derive("cuda-graph", n=1))["break_even"] is None


def test_text_lists_cases_with_plain_conditions():
    text = to_text(derive("cuda-graph"))
    assert "from below, rising                          if c > 1" in text
    assert "constant, at the limit from the first call  if c = 1" in text
    assert "never                       otherwise" in text
    assert "from constant" not in text                      # issue 14.10: it read "from ... constant"


@pytest.mark.parametrize("bindings", [{}, {"c": "n"}, {"n": 30, "c": 90}, {"c": 1}],
                         ids=["general", "c=n", "bound", "c=1"])
def test_json_conditions_are_plain_names_not_sympy_reprs(bindings):
    """Issue 14.10/Deliver 6: ``c = 1``, ``always``, ``otherwise``, never ``Eq(c, 1)``/``True``,
    and the text rendering says the same words."""
    d = derive("cuda-graph", **bindings)
    data = to_json(d)
    whens = [case["when"] for key in ("crossover", "approach") for case in data[key]]
    assert not any(re.search(r"Eq\(|Ne\(|\bTrue\b|\bFalse\b", when) for when in whens), whens
    for key in ("crossover", "approach"):
        cases = data[key]
        if len(cases) == 1:
            assert cases[0]["when"] == "always"
        else:
            assert all(case["when"] != "always" for case in cases)
    text = to_text(d)
    for key in ("crossover", "approach"):
        for case in data[key]:
            if case["when"] not in ("always", "otherwise"):
                assert f"if {case['when']}" in text


def test_general_json_spells_equality_as_a_reader_does():
    data = to_json(derive("cuda-graph"))
    assert [case["when"] for case in data["crossover"]] == ["c < 1", "n > 1", "otherwise"]
    assert [case["when"] for case in data["approach"]] == ["c > 1", "c = 1", "c < 1"]


def test_str_of_a_derivation_is_the_text_and_repr_is_short():
    """Issue 14.8: print(derive(...)) printed a 733-character dataclass dump."""
    d = derive("cuda-graph")
    assert str(d) == to_text(d)
    assert repr(d) == "Derivation('cuda-graph'; break_even=(c - 1)/(n - 1), asymptote=n)"
    assert len(repr(d)) < 120


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


# -- LaTeX and Markdown handouts ------------------------------------------------------------

HANDOUT_BINDINGS = [
    {}, {"c": "n"}, {"n": 1}, {"c": "3*n"}, {"n": 30, "c": 90}, {"n": 30}, {"n": 1, "c": Fraction(1, 2)},
    {"n": 1, "c": 1}, {"n": 3, "c": Fraction(7, 2)}, {"c": "n/2"}, {"c": 1},
]
_PARSER = MathTextParser("path")


def _latex_formulas(text):
    displays = re.findall(r"\\\[(.*?)\\\]", text, re.S)
    rest = re.sub(r"\\\[(.*?)\\\]", "", text, flags=re.S)
    inline = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", rest)
    prose = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", "", rest)
    return displays + inline, prose


def _markdown_formulas(text):
    displays = re.findall(r"\$\$(.+?)\$\$", text, re.S)
    rest = re.sub(r"\$\$(.+?)\$\$", "", text, flags=re.S)
    inline = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", rest)
    prose = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", "", rest)
    return displays + inline, prose


def _environments_nest(text):
    open_ = []
    for kind, name in re.findall(r"\\(begin|end)\{(\w+)\}", text):
        if kind == "begin":
            open_.append(name)
        elif not open_ or open_.pop() != name:
            return False
    return not open_


def _parses(formula):
    _PARSER.parse(f"${formula}$")                   # raises ValueError on what mathtext cannot read
    return True


@pytest.mark.parametrize("bindings", HANDOUT_BINDINGS, ids=str)
def test_latex_handout_is_well_formed_and_every_formula_parses(bindings):
    text = to_latex(derive("cuda-graph", **bindings))
    assert text.startswith("\\documentclass{article}") and text.endswith("\\end{document}\n")
    formulas, prose = _latex_formulas(text)
    assert len(formulas) > 10 and all(_parses(f) for f in formulas)
    assert not re.search(r"(?<!\\)[_^&%#~$]", prose), "unescaped special character in the prose"
    assert prose.count("{") - prose.count("\\{") == prose.count("}") - prose.count("\\}")
    assert _environments_nest(text)
    for formula in formulas:
        assert formula.count("{") == formula.count("}")
        assert formula.count("\\left") == formula.count("\\right")


@pytest.mark.parametrize("bindings", HANDOUT_BINDINGS, ids=str)
def test_markdown_handout_math_parses(bindings):
    text = to_markdown(derive("cuda-graph", **bindings))
    formulas, prose = _markdown_formulas(text)
    assert len(formulas) > 10 and all(_parses(f) for f in formulas)
    assert "$" not in prose.replace("\\$", "")
    assert text.startswith("# ") and "\n## The integer rule\n" in text


def test_handout_covers_the_derivation_step_by_step():
    text = to_markdown(derive("cuda-graph"))
    for heading in ("The two totals", "When is graph strictly cheaper?", "The integer rule",
                    "The ceiling", "The approach"):
        assert f"\n## {heading}\n" in text
    assert "$$E(k) = k n$$" in text and "$$G(k) = c + k - 1$$" in text
    assert "$$G(k) < E(k) \\Leftrightarrow c + k - 1 < k n$$" in text
    assert "$$\\Leftrightarrow \\left(n - 1\\right) k > c - 1$$" in text
    assert "- If $n > 1$, then $s > 0$" in text and "- If $n = 1$, then $s = 0$" in text
    assert "The case $s < 0$ cannot occur" in text
    assert r"- $k_\times = 1$, if $c < 1$" in text
    assert r"- $k_\times = \left\lfloor{\frac{c - 1}{n - 1}}\right\rfloor + 1$, if $n > 1$" in text
    assert "- never, otherwise" in text
    assert r"$$\lim_{k \to \infty} \frac{E(k)}{G(k)} = n$$" in text
    assert "It does not depend on $c$" in text
    assert "- from below, rising, if $c > 1$" in text


@pytest.mark.parametrize("num_ops, cost", [(30, 90), (3, 9), (30, 30), (7, Fraction(25, 2)), (1, 5)])
def test_bound_handout_states_the_crossover_computed_without_the_engine(num_ops, cost):
    text = to_markdown(derive("cuda-graph", n=num_ops, c=cost))
    first = crossover(num_ops, cost)
    expected = "graph never wins." if first is None else rf"is $k_\times = {first}$."
    assert expected in text


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_renders_and_its_formulas_parse(name):
    d = derive(name)
    latex, markdown = to_latex(d), to_markdown(d)
    for formulas in (_latex_formulas(latex)[0], _markdown_formulas(markdown)[0]):
        assert all(_parses(f) for f in formulas)
        for p in d.model.parameters:                  # symbols as sympy writes them: t_{eager}
            assert sympy.latex(p.symbol) in " ".join(formulas)
            if "_" in p.name and len(p.name.partition("_")[2]) > 1:
                assert not any(p.name in f for f in formulas), p.name


def test_renders_by_name_and_show_formats(capsys):
    from derive.cli import main

    d = derive("cuda-graph", c="3*n")
    assert render(d, "latex") == to_latex(d) and render(d, "markdown") == to_markdown(d)
    assert main(["show", "--format", "latex", "--set", "n=3", "--set", "c=9"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\\documentclass") and r"$k_\times = 5$" in out
    assert main(["show", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Launch overhead")


def test_derivation_displays_in_jupyter():
    d = derive("cuda-graph", c="n")
    latex = d._repr_latex_()
    assert latex == to_latex(d, document=False) and "\\documentclass" not in latex
    formulas, _ = _latex_formulas(latex)
    assert formulas and all(_parses(f) for f in formulas)
    assert d._repr_markdown_() == to_markdown(d)


@needs_pdflatex
def test_latex_handout_compiles(tmp_path):
    for i, bindings in enumerate(({}, {"n": 30, "c": 90}, {"n": 1})):
        source = tmp_path / f"handout{i}.tex"
        source.write_text(to_latex(derive("cuda-graph", **bindings)))
        ran = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, ran.stdout[-2000:]
        assert (tmp_path / f"handout{i}.pdf").stat().st_size > 0
        assert "Overfull \\hbox" not in (tmp_path / f"handout{i}.log").read_text()


@needs_pdflatex
def test_preset_list_compiles_in_latex(tmp_path):
    from derive.engine.presets import describe
    from derive.render.formats import preset_list

    source = tmp_path / "presets.tex"
    source.write_text("\\documentclass{article}\n\\begin{document}\n"
                      + preset_list(describe(), "latex") + "\n\\end{document}\n")
    ran = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout[-2000:]


def test_preset_list_refuses_an_unknown_format():
    from derive.render.formats import preset_list

    with pytest.raises(ValueError, match="format must be one of text, json, latex, markdown, got 'yaml'"):
        preset_list([("cuda-graph", "the lab")], "yaml")


@needs_pdflatex
def test_theorems_compile_in_latex(tmp_path):
    from derive.prove import run, theorems
    from derive.render.formats import theorem_latex

    body = "\n".join(theorem_latex(t) for t in theorems()) + theorem_latex(run(["three-n"])[0])
    source = tmp_path / "theorems.tex"
    source.write_text("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
                      + body + "\\end{document}\n")
    ran = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout[-2000:]
    assert "Overfull \\hbox" not in (tmp_path / "theorems.log").read_text(), "a statement is too wide"


def test_theorem_latex_prose_is_plain_tex():
    from derive.prove import theorems
    from derive.render.formats import theorem_latex

    for t in theorems():
        text = theorem_latex(t)
        assert all(ord(ch) < 128 for ch in text), t.name
        formulas, prose = _latex_formulas(text)
        assert all(_parses(f) for f in formulas)
        assert not re.search(r"(?<!\\)[_^&%#~$]", prose)
