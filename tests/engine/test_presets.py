"""The presets: each derived result checked against a walk over exact totals written out
here from the issue's words, and against the published closed forms.

The totals below are typed independently of :mod:`derive.engine.presets` (plain Python over
Fractions); the closed forms are the literature's, typed as references. The results
themselves — break-evens, first winning calls, ceilings, limits, inverses — come out
of the engine.
"""

import dataclasses
import json
import re
from fractions import Fraction
from functools import cache

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import derive.engine.derivation
import derive.engine.model
from derive import prove
from derive.cli import main
from derive.engine import presets
from derive.engine.derivation import derive as derive_model
from derive.engine.model import Model
from derive.engine.presets import (
    FUSION_STAGES,
    PRESETS,
    compose,
    custom_model,
    describe,
    preset,
)
from derive.engine.symbols import (
    POSITIVE_RATIONAL,
    c,
    f,
    k,
    m,
    n,
    speedup,
    t_after,
    t_before,
    t_compile,
    t_define,
    t_eager,
    t_first,
    t_gpu,
    t_instantiate,
    t_launch,
    t_replay,
)
from derive.engine.wall_clock import gpu_launch_ratio, wall_clock_limits
from derive.errors import ModelError, ParseError
from derive.text.parse import free_names, parse_expression

# -- the oracle: totals written out, the first win found by walking ----------------------

F = Fraction

TOTALS = {   # preset: (parameter names in model order, baseline(k, ...), amortized(k, ...))
    "cuda-graph": (("n", "c"), lambda k, n, c: k * n, lambda k, n, c: c + (k - 1)),
    "wall-clock": (
        ("n", "c", "t_launch", "t_gpu"),
        lambda k, n, c, tl, tg: k * (n * tl + tg),                  # every call eager
        lambda k, n, c, tl, tg: (c * tl + tg) + (k - 1) * (tl + tg),  # capture, then replays
    ),
    "multi-step": (("n", "c", "m"), lambda k, n, c, m: k * n, lambda k, n, c, m: c + F(k - 1, m)),
    "fusion": (("n", "f"), lambda k, n, f: k * n, lambda k, n, f: F(n) / f + (k - 1)),
    "compile": (("t_compile", "t_before", "t_after"),
                lambda k, tc, tb, ta: k * tb, lambda k, tc, tb, ta: tc + k * ta),
    "kernel-batching": (
        ("t_eager", "t_define", "t_instantiate", "t_first", "t_replay"),
        lambda k, te, td, ti, tf, tr: k * te,
        lambda k, te, td, ti, tf, tr: td + ti + tf + (k - 1) * tr,
    ),
}


def first_win(baseline, amortized, limit=10**6):
    """The least k >= 1 with amortized(k) < baseline(k), by walking; None when it never comes.

    The gap baseline − amortized changes by the same step every call (both totals are
    affine in k), so once it is not positive and not growing, no later call wins.
    """
    gap = lambda k: baseline(k) - amortized(k)
    step = gap(2) - gap(1)
    for call in range(1, limit):
        if gap(call) > 0:
            return call
        if step <= 0:
            return None
    raise AssertionError("the walk did not settle; draw smaller examples")


@cache
def derived(name):
    return derive_model(name)


counts = st.integers(1, 40)
positive = st.builds(Fraction, st.integers(1, 60), st.integers(1, 4))
nonnegative = st.builds(Fraction, st.integers(0, 60), st.integers(1, 4))
at_least_one = st.builds(lambda a, b: 1 + Fraction(a, b), st.integers(0, 60), st.integers(1, 4))

STRATEGIES = {
    "cuda-graph": (counts, positive),
    "wall-clock": (counts, positive, positive, nonnegative),
    "multi-step": (counts, positive, st.integers(1, 12)),
    "fusion": (counts, at_least_one),
    "compile": (nonnegative, positive, positive),
    "kernel-batching": (positive, nonnegative, nonnegative, positive, positive),
}


# -- the registry ------------------------------------------------------------------------

def test_preset_names_and_parameters_are_the_contract():
    assert list(PRESETS) == list(TOTALS)
    for name, (parameters, _, _) in TOTALS.items():
        assert tuple(p.name for p in PRESETS[name].parameters) == parameters
        assert preset(name) is PRESETS[name]


def test_every_preset_has_a_one_line_description():
    assert [name for name, _ in describe()] == list(PRESETS)
    for _, line in describe():
        assert line and "\n" not in line and len(line) < 100


def test_the_totals_are_the_ones_written_out():
    for name, (parameters, baseline, amortized) in TOTALS.items():
        model = PRESETS[name]
        values = [sympy.Rational(7 + i, 3) if p.domain.kind != "integer" else sympy.Integer(3 + i)
                  for i, p in enumerate(model.parameters)]
        at = dict(zip((p.symbol for p in model.parameters), values))
        for call in (1, 2, 9):
            args = [F(int(v.p), int(v.q)) for v in values]
            assert model.baseline.subs({**at, k: call}) == baseline(call, *args)
            assert model.amortized.subs({**at, k: call}) == amortized(call, *args)


# -- numbers: every preset against the walk ---------------------------------------------

@pytest.mark.parametrize("name", list(TOTALS))
@given(data=st.data())
def test_first_winning_call_against_walking(name, data):
    args = data.draw(st.tuples(*STRATEGIES[name]))
    _, baseline, amortized = TOTALS[name]
    expected = first_win(lambda k: baseline(k, *args), lambda k: amortized(k, *args))
    assert derived(name).function("crossover")(*args) == expected


@pytest.mark.parametrize("name", list(TOTALS))
@given(data=st.data())
def test_break_even_is_where_the_totals_tie(name, data):
    args = data.draw(st.tuples(*STRATEGIES[name]))
    _, baseline, amortized = TOTALS[name]
    d = derived(name)
    slopes = (baseline(1, *args) - baseline(0, *args), amortized(1, *args) - amortized(0, *args))
    if slopes[0] == slopes[1] or d.break_even is None:
        return
    root = F(d.function("break_even")(*args))
    assert baseline(root, *args) == amortized(root, *args)


@pytest.mark.parametrize("name", list(TOTALS))
@given(data=st.data())
def test_ceiling_is_the_ratio_of_per_call_costs(name, data):
    args = data.draw(st.tuples(*STRATEGIES[name]))
    _, baseline, amortized = TOTALS[name]
    per_call = lambda total: total(101, *args) - total(100, *args)
    assert derived(name).function("asymptote")(*args) == F(per_call(baseline)) / per_call(amortized)


# -- symbols: every preset against the published forms ----------------------------------

def same(derived_expr, published):
    """Equal as expressions: both are ours (engine output and a reference), never user text."""
    return sympy.simplify(derived_expr - published) == 0


def test_cuda_graph_published_forms():
    d = derived("cuda-graph")
    assert same(d.break_even, (c - 1) / (n - 1)) and d.asymptote == n


def test_wall_clock_ceiling_and_its_limits():
    d = derived("wall-clock")
    assert same(d.asymptote, (n * t_launch + t_gpu) / (t_launch + t_gpu))
    assert same(d.break_even, (c - 1) / (n - 1))            # GPU time cancels from the race
    limits = wall_clock_limits()
    assert (limits.launch_bound, limits.gpu_bound) == (n, 1)
    assert limits.launch_bound == sympy.limit(d.asymptote, t_gpu, 0, "+")
    assert limits.gpu_bound == sympy.limit(d.asymptote, t_gpu, sympy.oo)


@given(counts.filter(lambda size: size > 1), positive, st.integers(0, 12))
def test_wall_clock_ceiling_falls_to_one_as_gpu_time_grows(size, launch, power):
    ceiling = derived("wall-clock").function("asymptote")
    small, large = F(1, 10**power), F(10**power)
    assert ceiling(size, 1, launch, 0) == size
    assert 1 < ceiling(size, 1, launch, large) <= 1 + F((size - 1) * launch) / large
    assert size - ceiling(size, 1, launch, small) <= small * (size - 1) / launch


def test_wall_clock_inverse_published_form():
    assert same(gpu_launch_ratio(), (n - speedup) / (speedup - 1))


def test_wall_clock_course_figures():
    """About 2.5x at batch 1 and 1.13x at batch 64, read for a 100-op model."""
    at_batch_1 = gpu_launch_ratio("2.5", n=100)
    at_batch_64 = gpu_launch_ratio(Fraction("1.13"), n=100)
    assert at_batch_1 == 65
    assert at_batch_64 == sympy.Rational(9887, 13)
    assert round(Fraction(9887, 13), 1) == Fraction("760.5")
    ceiling = derived("wall-clock").function("asymptote")   # and back: the ratio gives the speedup
    assert ceiling(100, 100, 1, 65) == Fraction(5, 2)
    assert ceiling(100, 100, 1, Fraction(9887, 13)) == Fraction("1.13")


@pytest.mark.parametrize("measured, message", [
    (1, "measured must be > 1"), (Fraction(1, 2), "measured must be > 1"),
    (101, "at most the launch ceiling n = 100, got 101"), ("x", "unknown name 'x'"),
    (float("nan"), "must be finite"),
])
def test_wall_clock_inverse_refuses_impossible_speedups(measured, message):
    with pytest.raises(ValueError, match=message):
        gpu_launch_ratio(measured, n=100)


def test_multi_step_ceiling_is_n_times_m():
    d = derived("multi-step")
    assert d.asymptote == n * m
    assert same(d.break_even, (c - sympy.Rational(1) / m) / (n - sympy.Rational(1) / m))


@given(counts, positive)
def test_multi_step_with_one_step_is_the_lab(size, cost):
    assert (derived("multi-step").function("crossover")(size, cost, 1)
            == derived("cuda-graph").function("crossover")(size, cost))


def test_fusion_stages_and_their_composition():
    eager_vs_fused, fused_vs_graph = (derive_model(stage) for stage in FUSION_STAGES)
    composite = derived("fusion")
    assert eager_vs_fused.asymptote == f
    assert same(fused_vs_graph.asymptote, n / f)
    assert composite.asymptote == n
    assert same(composite.asymptote, eager_vs_fused.asymptote * fused_vs_graph.asymptote)
    assert PRESETS["fusion"].baseline == FUSION_STAGES[0].baseline
    assert PRESETS["fusion"].amortized == FUSION_STAGES[1].amortized


@given(st.integers(2, 40), st.data())
def test_fused_graph_wins_by_the_second_call_while_an_op_is_left(size, data):
    """With 1 <= f <= n (fusion leaves at least one op), fusion plus capture wins by call 2."""
    factor = data.draw(st.fractions(min_value=1, max_value=size, max_denominator=6))
    _, baseline, amortized = TOTALS["fusion"]
    first = derived("fusion").function("crossover")(size, factor)
    assert first in (1, 2) and first == first_win(lambda k: baseline(k, size, factor),
                                                  lambda k: amortized(k, size, factor))


def test_compose_refuses_models_that_do_not_chain():
    with pytest.raises(ModelError, match="amortized total to be the second's baseline"):
        compose(PRESETS["cuda-graph"], PRESETS["compile"], name="nonsense")
    with pytest.raises(TypeError, match="second must be a Model, got str"):
        compose(PRESETS["cuda-graph"], "compile", name="nonsense")


def test_compile_published_forms():
    d = derived("compile")
    assert same(d.break_even, t_compile / (t_before - t_after))
    assert d.asymptote == t_before / t_after


# -- kernel batching: the literature's break-even and NVIDIA's blog figures -------------

PUBLISHED_BREAK_EVEN = (t_define + t_instantiate + t_first - t_replay) / (t_eager - t_replay)

# NVIDIA's CUDA Graphs blog: a step of 20 kernels takes 3.8 µs per kernel eagerly and
# 3.4 µs per kernel in a graph; creating and instantiating the graph takes about 400 µs.
# In the preset's notation (µs, decimals read exactly):
#   t_eager  = 20 · 3.8 = 76        one step run eagerly
#   t_replay = 20 · 3.4 = 68        one step replayed from the graph
#   t_define + t_instantiate = 400  the blog gives the two together; any split will do
#   t_first  = t_replay = 68        the first launch of the instantiated graph runs the
#                                   step like any replay: the blog's 3.4 µs is per kernel
#                                   of every graph launch, the first included.
BLOG = dict(t_eager=20 * Fraction("3.8"), t_replay=20 * Fraction("3.4"), t_first=20 * Fraction("3.4"))
BLOG_SETUP = 400


def test_kernel_batching_published_forms():
    d = derived("kernel-batching")
    assert same(d.break_even, PUBLISHED_BREAK_EVEN)
    assert d.asymptote == t_eager / t_replay


@given(st.fractions(min_value=0, max_value=BLOG_SETUP, max_denominator=1000))
def test_kernel_batching_blog_figures(define):
    bound = derive_model("kernel-batching", **BLOG, t_define=define, t_instantiate=BLOG_SETUP - define)
    assert bound.break_even == 50
    assert bound.first_call() == 51
    assert bound.asymptote == sympy.Rational(19, 17)
    assert round(Fraction(19, 17), 2) == Fraction("1.12")
    _, baseline, amortized = TOTALS["kernel-batching"]
    args = (BLOG["t_eager"], define, BLOG_SETUP - define, BLOG["t_first"], BLOG["t_replay"])
    assert baseline(50, *args) == amortized(50, *args)          # a tie at the root ...
    assert first_win(lambda k: baseline(k, *args), lambda k: amortized(k, *args)) == 51


def test_kernel_batching_blog_figures_from_the_command_line(capsys):
    argv = ["show", "kernel-batching", "--format", "json", "--set", "t_eager=20*3.8",
            "--set", "t_replay=20*3.4", "--set", "t_first=20*3.4", "--set", "t_define=250",
            "--set", "t_instantiate=150"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["break_even"] == "50" and data["asymptote"] == "19/17"
    assert data["crossover"] == [{"when": "always", "first_call": "51"}]


# -- the command line: every preset, --list, models of your own -------------------------

DESIGN_KEYS = {"model", "parameters", "baseline", "amortized", "break_even", "crossover",
               "asymptote", "approach"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", list(TOTALS))
def test_show_json_of_every_preset(capsys, name):
    code, out, err = run(capsys, "show", name, "--format", "json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert DESIGN_KEYS <= set(data) and data["model"] == name
    assert list(data["parameters"]) == [*TOTALS[name][0], "k"]
    assert all(set(case) == {"when", "first_call"} for case in data["crossover"])
    assert all(set(case) == {"when", "direction"} for case in data["approach"])
    symbols = PRESETS[name].symbols
    assert parse_expression(data["asymptote"], symbols) == derived(name).asymptote


@pytest.mark.parametrize("name", list(TOTALS))
def test_show_text_of_every_preset(capsys, name):
    code, out, _ = run(capsys, "show", name)
    assert code == 0 and out.startswith(f"model {name}: {PRESETS[name].title}\n")


def test_show_list(capsys):
    code, out, err = run(capsys, "show", "--list")
    lines = out.splitlines()
    assert code == 0 and err == "" and len(lines) == len(PRESETS)
    for line, (name, description) in zip(lines, describe()):
        assert line.split(None, 1) == [name, description]
    code, out, _ = run(capsys, "show", "--list", "--format", "json")
    assert json.loads(out) == {"presets": [{"name": a, "description": b} for a, b in describe()]}


def test_show_list_as_latex_itemize_and_markdown_list(capsys):
    code, out, err = run(capsys, "show", "--list", "--format", "latex")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert (lines[0], lines[-1]) == ("\\begin{itemize}", "\\end{itemize}")
    for line, (name, description) in zip(lines[1:-1], describe(), strict=True):
        head, _, text = line.partition(": ")
        assert head == f"  \\item \\texttt{{{name}}}"
        assert not re.search(r"(?<!\\)[&%$#_{}]", text)          # TeX's specials escaped
        assert re.sub(r"\\([&%$#_{}])", r"\1", text) == description
    code, out, err = run(capsys, "show", "--list", "--format", "markdown")
    assert code == 0 and err == ""
    for line, (name, description) in zip(out.splitlines(), describe(), strict=True):
        head, _, text = line.partition(": ")
        assert head == f"- `{name}`"
        assert not re.search(r"(?<!\\)[*_]", text)                # no stray emphasis
        assert re.sub(r"\\(.)", r"\1", text) == description


def test_model_of_your_own(capsys):
    code, out, err = run(capsys, "show", "--baseline", "k*t_eager", "--amortized", "t_setup + k*t_fast",
                         "--format", "json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["model"] == "custom"
    assert data["parameters"] == {"t_eager": "rational > 0", "t_fast": "rational > 0",
                                  "t_setup": "rational > 0", "k": "integer >= 1"}
    symbols = {name: POSITIVE_RATIONAL.symbol(name) for name in ("t_eager", "t_fast", "t_setup")}
    assert same(parse_expression(data["break_even"], symbols),
                symbols["t_setup"] / (symbols["t_eager"] - symbols["t_fast"]))
    assert parse_expression(data["asymptote"], symbols) == symbols["t_eager"] / symbols["t_fast"]


def test_model_of_your_own_with_assumptions_is_the_lab(capsys):
    argv = ["show", "--baseline", "k*n", "--amortized", "c + k - 1", "--assume", "n integer",
            "--format", "json"]
    code, out, _ = run(capsys, *argv)
    own = json.loads(out)
    code_lab, out_lab, _ = run(capsys, "show", "--format", "json")
    lab = json.loads(out_lab)
    assert code == code_lab == 0
    assert own["parameters"] == {"c": "rational > 0", "n": "integer >= 1", "k": "integer >= 1"}
    assert {key: own[key] for key in ("crossover", "asymptote", "approach", "break_even")} == \
           {key: lab[key] for key in ("crossover", "asymptote", "approach", "break_even")}


def test_model_of_your_own_with_bounds_and_bindings(capsys):
    argv = ["show", "--baseline", "k*(n + g)", "--amortized", "3*n + g + (k - 1)*(1 + g)",
            "--assume", "n integer", "--assume", "n >= 2", "--assume", "g >= 0",
            "--set", "n=30", "--set", "g=0", "--format", "json"]
    code, out, _ = run(capsys, *argv)
    data = json.loads(out)
    assert code == 0 and data["crossover"] == [{"when": "always", "first_call": "4"}]


def test_custom_model_domains():
    model = custom_model("k*x", "y + k*z", assume=["x integer", "y >= 0", "z > 1/2", "x >= 3"])
    domains = {p.name: str(p.domain) for p in model.parameters}
    assert domains == {"x": "integer >= 3", "y": "rational >= 0", "z": "rational > 1/2"}
    assert free_names("t_setup + k*t_fast") == {"t_setup", "k", "t_fast"}


BAD = [
    ("baseline alone", ["--baseline", "k*x"], "takes both --baseline and --amortized"),
    ("amortized alone", ["--amortized", "k*x"], "takes both --baseline and --amortized"),
    ("preset and own", ["wall-clock", "--baseline", "k", "--amortized", "1"], "no preset name"),
    ("function call", ["--baseline", "sin(k)", "--amortized", "k"], "baseline total: unexpected '('"),
    ("code injection", ["--baseline", "k", "--amortized", "__import__('os').system('true')"],
     "amortized total: unexpected"),
    ("attribute", ["--baseline", "k.real", "--amortized", "k"], "unexpected"),
    ("not affine", ["--baseline", "k*k", "--amortized", "k"], "must be affine in k"),
    ("empty", ["--baseline", " ", "--amortized", "k"], "the expression is empty"),
    ("too long", ["--baseline", "k" + "+k" * 600, "--amortized", "k"], "the limit is 1000"),
    ("unused assumption", ["--baseline", "k*x", "--amortized", "y", "--assume", "q > 1"],
     "assume names q, which the totals do not use"),
    ("assume k", ["--baseline", "k*x", "--amortized", "y", "--assume", "k integer"],
     "k is the number of repeats"),
    ("bad assumption", ["--baseline", "k*x", "--amortized", "y", "--assume", "x < 3"],
     "assume takes 'NAME integer'"),
    ("symbolic bound", ["--baseline", "k*x", "--amortized", "y", "--assume", "x >= y"],
     "the bound must be a number"),
    ("two bounds", ["--baseline", "k*x", "--amortized", "y", "--assume", "x >= 1", "--assume", "x > 2"],
     "assume gives x two lower bounds"),
    ("assume on a preset", ["cuda-graph", "--assume", "n integer"], "--assume applies to"),
    ("list and more", ["--list", "fusion"], "--list takes no model"),
    ("binding outside", ["--baseline", "k*x", "--amortized", "y", "--set", "x=0"],
     "x must be rational > 0, got 0"),
]


@pytest.mark.parametrize("argv, message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "show", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_custom_model_from_python_refuses_bad_input():
    with pytest.raises(TypeError, match="baseline must be a str, got int"):
        custom_model(3, "k")
    with pytest.raises(ParseError, match="amortized total: unknown|amortized total: unexpected"):
        custom_model("k", "y z")
    with pytest.raises(ModelError, match="affine"):
        custom_model("k/k2 + k*k2", "k*k")


# -- theorems: the limits and the composition, proved in proofs/presets.py ---------------
# tests/test_proofs.py proves every registered theorem; here the presets' own are named,
# proved through derive.prove.run, and each is shown to fail when what it is about breaks.

PRESET_THEOREMS = ("preset-ceilings", "wall-clock-ceiling-falls", "wall-clock-limits",
                   "fusion-ceiling", "ceilings-multiply")


def test_preset_theorems_are_proved():
    assert [t.name for t in prove.theorems() if t.subject == "presets"] == list(PRESET_THEOREMS)
    results = prove.run(PRESET_THEOREMS)
    assert [(r.name, r.status, r.reason) for r in results] == [
        (name, prove.PROVED, "") for name in PRESET_THEOREMS]


def _wall_clock_replaying_in_two_launches(monkeypatch):
    broken = dataclasses.replace(
        PRESETS["wall-clock"], amortized=(c * t_launch + t_gpu) + (k - 1) * (2 * t_launch + t_gpu))
    monkeypatch.setitem(PRESETS, "wall-clock", broken)


def _fused_graph_replaying_in_two_launches(monkeypatch):
    eager_vs_fused, fused_vs_graph = FUSION_STAGES
    broken = dataclasses.replace(fused_vs_graph, amortized=n / f + 2 * (k - 1))
    monkeypatch.setattr(presets, "FUSION_STAGES", (eager_vs_fused, broken))
    monkeypatch.setitem(PRESETS, "fusion", compose(eager_vs_fused, broken, name="fusion"))


def _compose_keeping_the_second_baseline(monkeypatch):
    def broken(first, second, *, name):
        return Model(name, second.baseline, second.amortized, second.parameters)
    monkeypatch.setattr(presets, "compose", broken)


def _ratio_upside_down(monkeypatch):
    upside_down = property(lambda d: d.model.amortized / d.model.baseline)
    monkeypatch.setattr(derive.engine.derivation.Derivation, "per_call_ratio", upside_down)


BROKEN = {   # what breaks: (how, the theorems that must then fail)
    "wall-clock replays in two launches": (_wall_clock_replaying_in_two_launches,
                                           ["wall-clock-ceiling-falls", "wall-clock-limits"]),
    "fused graph replays in two launches": (_fused_graph_replaying_in_two_launches,
                                            ["fusion-ceiling"]),
    "compose keeps the second baseline": (_compose_keeping_the_second_baseline,
                                          ["ceilings-multiply"]),
    "engine's running ratio upside down": (_ratio_upside_down, ["preset-ceilings"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_preset_theorems_fail_when_what_they_prove_breaks(monkeypatch, case):
    breaks, names = BROKEN[case]
    breaks(monkeypatch)
    for result in prove.run(names):
        assert result.status == prove.FAILED and result.counterexample, result.name
