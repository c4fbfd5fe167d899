"""Capture ladders (issue #7): the model, the exact optimizer, the comparisons, the closed
form, the config file and ``derive ladder``.

The optimizer is checked against two oracles written here from the issue's definitions,
independently of :mod:`derive.ladder`: brute force over every ladder (small
``max_batch``) and a plain Pareto dynamic program (larger ``max_batch``).
"""

import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.cli import main
from derive.ladder import (
    KEYS,
    LadderConfig,
    compare_ladders,
    evaluate_ladder,
    ladder_json,
    ladder_report,
    ladder_text,
    load_ladder_config,
    optimal_ladder,
    powers_of_two_ladder,
    truncate_to_budget,
    vllm_default_ladder,
)
from derive.ladder.closed_form import (
    closed_form,
    compare_closed_form,
    evenly_spaced_ladder,
    total_time_function,
)
from derive.ladder.search import search_ladder

EXAMPLE = "examples/ladder.toml"


# -- the oracle: the issue's model, written out --------------------------------------------

def step_time(config, ladder, batch):
    """One step at ``batch``: a replay padded to the least rung >= batch, else eager."""
    g0, g1 = config.t_gpu
    covering = [size for size in ladder if size >= batch]
    if covering:
        return config.t_launch + g0 + g1 * min(covering)
    return config.n * config.t_launch + g0 + g1 * batch


def oracle_cost(config, ladder):
    """(total time, memory) of ``ladder``, straight from the issue's definitions."""
    g0, g1 = config.t_gpu
    m0, m1 = config.graph_memory
    expected = sum(p * step_time(config, ladder, b) for b, p in enumerate(config.traffic, 1))
    capture = sum(config.capture_passes * (config.n * config.t_launch + g0 + g1 * s)
                  for s in ladder)
    return config.steps * expected + capture, sum(m0 + m1 * s for s in ladder)


def brute_force(config):
    """The least (total time, memory) over every ladder that fits the budget."""
    sizes = range(1, config.max_batch + 1)
    return min(cost for r in range(config.max_batch + 1)
               for ladder in itertools.combinations(sizes, r)
               if (cost := oracle_cost(config, ladder))[1] <= config.memory_budget)


def pareto_dp(config):
    """The least (total time, memory) by a plain Pareto frontier per last rung — exact, no
    bounds, no scaling: slow, but a different algorithm from the optimizer's."""
    M = config.max_batch
    fronts = {0: [(Fraction(0), Fraction(0))]}                    # last rung -> (memory, time)
    best = oracle_cost(config, ())[::-1]
    for s in range(1, M + 1):
        points = []
        for a, front in fronts.items():
            segment = sum(p * config.graph_step(s) for p in config.traffic[a:s]) * config.steps
            for memory, time in front:
                new = memory + config.rung_memory(s)
                if new <= config.memory_budget:
                    points.append((new, time + segment + config.capture_time(s)))
        points.sort()
        front, least = [], None
        for memory, time in points:
            if least is None or time < least:
                front.append((memory, time))
                least = time
        fronts[s] = front
        tail = config.steps * sum(p * config.eager_step(b)
                                  for b, p in enumerate(config.traffic[s:], s + 1))
        for memory, time in front:
            best = min(best, (memory, time + tail), key=lambda mt: (mt[1], mt[0]))
    return best[1], best[0]


# -- strategies ------------------------------------------------------------------------------

def rationals(low=0, high=20, denominators=(1, 2, 3, 4, 10)):
    return st.builds(Fraction, st.integers(low, high), st.sampled_from(denominators))


@st.composite
def configs(draw, max_batch=st.integers(1, 6), uniform=None):
    size = draw(max_batch)
    if uniform is None:
        uniform = draw(st.booleans())
    if uniform:
        traffic = "uniform"
    else:
        weights = draw(st.lists(st.integers(0, 5), min_size=size, max_size=size))
        if not any(weights):
            weights[draw(st.integers(0, size - 1))] = 1
        traffic = {str(b): w for b, w in enumerate(weights, 1) if w or draw(st.booleans())}
    return LadderConfig(
        max_batch=size, traffic=traffic, n=draw(st.integers(1, 40)),
        t_launch=draw(rationals()), t_gpu=(draw(rationals()), draw(rationals(0, 5))),
        graph_memory=(draw(rationals(0, 4)), draw(rationals(0, 3))),
        memory_budget=draw(rationals(0, 30)), capture_passes=draw(rationals(0, 6)),
        steps=draw(st.integers(1, 500)))


def base(**changes):
    values = dict(max_batch=8, traffic="uniform", n=30, t_launch=1, t_gpu=(10, 1),
                  graph_memory=(1, 0), memory_budget=2, capture_passes=1, steps=100)
    values.update(changes)
    return LadderConfig(**values)


# -- the model -----------------------------------------------------------------------------

@given(configs(), st.data())
def test_evaluate_ladder_matches_the_definitions(config, data):
    ladder = data.draw(st.sets(st.integers(1, config.max_batch)))
    cost = evaluate_ladder(config, ladder)
    assert (cost.total_time, cost.memory) == oracle_cost(config, sorted(ladder))
    assert cost.rungs == tuple(sorted(ladder))
    assert cost.total_time == config.steps * cost.expected_step_time + cost.capture_time
    assert type(cost.total_time) is Fraction and type(cost.memory) is Fraction


def test_padding_and_the_eager_tail_by_hand():
    config = base(max_batch=4, n=10, t_gpu=(0, 1), capture_passes=2, steps=4)
    cost = evaluate_ladder(config, [2])
    # b = 1, 2 replay padded to 2: 1 + 2 = 3 each; b = 3, 4 eager: 10 + 3, 10 + 4
    assert cost.expected_step_time == Fraction(3 + 3 + 13 + 14, 4)
    assert cost.capture_time == 2 * (10 + 2)
    assert cost.total_time == 4 * Fraction(33, 4) + 24


def test_traffic_is_normalized_and_missing_sizes_weigh_nothing():
    config = base(max_batch=4, traffic={"1": 3, 4: 1})
    assert config.traffic == (Fraction(3, 4), 0, 0, Fraction(1, 4))
    assert not config.uniform and base().uniform
    assert replace(config, steps=7).traffic == config.traffic


# -- the optimizer is exact ----------------------------------------------------------------

@given(configs())
def test_optimum_equals_brute_force_over_every_ladder(config):
    best = optimal_ladder(config)
    assert (best.total_time, best.memory) == brute_force(config)
    assert best.memory <= config.memory_budget


@settings(max_examples=50)
@given(configs())
def test_the_python_engine_equals_brute_force_too(config):
    cost = evaluate_ladder(config, search_ladder(config, engine="python"))
    assert (cost.total_time, cost.memory) == brute_force(config)


def test_numbers_too_big_for_int64_fall_back_to_python_ints():
    config = base(max_batch=10, t_launch=Fraction(1, 10 ** 30), t_gpu=(10, Fraction(1, 3 ** 40)),
                  graph_memory=(Fraction(1, 7 ** 20), Fraction(1, 10)), memory_budget=3)
    assert search_ladder(config) == search_ladder(config, engine="python")
    assert (optimal_ladder(config).total_time, optimal_ladder(config).memory) == \
        brute_force(config)
    with pytest.raises(ValueError, match="engine='numpy' needs numbers that fit in 62 bits"):
        search_ladder(config, engine="numpy")
    with pytest.raises(ValueError, match='engine must be "auto", "numpy" or "python", got'):
        search_ladder(config, engine="fast")


@pytest.mark.parametrize("changes", [
    dict(max_batch=10),
    dict(max_batch=10, memory_budget=0),
    dict(max_batch=9, graph_memory=(0, 0), memory_budget=0),
    dict(max_batch=10, graph_memory=(Fraction(1, 3), Fraction(1, 7)), memory_budget=3),
    dict(max_batch=10, traffic={"1": 50, "2": 30, "7": 10, "10": 1}, memory_budget=3),
    dict(max_batch=10, capture_passes=0, graph_memory=(0, 1), memory_budget=12),
    dict(max_batch=10, t_gpu=(10, 0), memory_budget=5),
    dict(max_batch=10, t_launch=0),
    dict(max_batch=10, n=1, memory_budget=4),
    dict(max_batch=10, steps=1),
], ids=["budget-2", "no-memory", "free-memory", "fractions", "skewed", "free-capture",
        "flat-gpu", "free-launch", "one-op", "one-step"])
def test_optimum_equals_brute_force_at_max_batch_10(changes):
    config = base(**changes)
    best = optimal_ladder(config)
    assert (best.total_time, best.memory) == brute_force(config)


@settings(max_examples=25)
@given(configs(max_batch=st.integers(10, 28)), st.sampled_from(["numpy", "python"]))
def test_optimum_equals_a_plain_pareto_program(config, engine):
    best = evaluate_ladder(config, search_ladder(config, engine=engine))
    assert (best.total_time, best.memory) == pareto_dp(config)


def test_a_tight_budget_at_max_batch_40_against_the_pareto_program():
    config = load_ladder_config(EXAMPLE)
    config = replace(config, max_batch=40, traffic="uniform", memory_budget=Fraction(1, 10))
    expected = pareto_dp(config)
    for engine in ("numpy", "python"):
        best = evaluate_ladder(config, search_ladder(config, engine=engine))
        assert (best.total_time, best.memory) == expected
        assert best.memory <= config.memory_budget


def test_optimum_is_no_worse_than_any_comparison_that_fits():
    config = load_ladder_config(EXAMPLE)
    report = ladder_report(config)
    for cost in report.compared.values():
        assert report.optimum.total_time <= cost.total_time
    assert report.optimum.memory <= config.memory_budget


def test_zero_budget_means_eager_and_free_memory_allows_everything():
    assert optimal_ladder(base(memory_budget=0)).rungs == ()
    free = optimal_ladder(base(graph_memory=(0, 0), memory_budget=0, capture_passes=0))
    assert free.rungs == tuple(range(1, 9))              # free capture, no padding: all


# -- the comparisons -------------------------------------------------------------------------

def test_vllm_default_ladder():
    ladder = vllm_default_ladder(512)
    assert ladder[:4] == (1, 2, 4, 8) and ladder[-1] == 512 and len(ladder) == 3 + 31 + 17
    assert all(b - a == 8 for a, b in zip(ladder[3:34], ladder[4:34]))
    assert all(b - a == 16 for a, b in zip(ladder[34:], ladder[35:]))
    assert vllm_default_ladder(5) == (1, 2, 4) and vllm_default_ladder(300)[-1] == 288


def test_powers_of_two():
    assert powers_of_two_ladder(1) == (1,)
    assert powers_of_two_ladder(512) == tuple(2 ** i for i in range(10))
    assert powers_of_two_ladder(511)[-1] == 256


@given(configs(max_batch=st.integers(1, 40)))
def test_truncation_keeps_the_longest_prefix_that_fits(config):
    for ladder in (vllm_default_ladder(config.max_batch), powers_of_two_ladder(config.max_batch)):
        kept = truncate_to_budget(config, ladder)
        assert kept == ladder[:len(kept)]
        assert oracle_cost(config, kept)[1] <= config.memory_budget
        if len(kept) < len(ladder):
            assert oracle_cost(config, ladder[:len(kept) + 1])[1] > config.memory_budget


def test_compared_ladders_are_truncated_and_priced():
    config = load_ladder_config(EXAMPLE)
    compared = compare_ladders(config)
    assert set(compared) == {"eager", "vllm_default", "powers_of_two"}
    assert compared["eager"].rungs == ()
    vllm = compared["vllm_default"]
    assert vllm.rungs == truncate_to_budget(config, vllm_default_ladder(512))
    assert 0 < len(vllm.rungs) < 51 and vllm.memory <= config.memory_budget
    assert (vllm.total_time, vllm.memory) == oracle_cost(config, vllm.rungs)


# -- the closed form -------------------------------------------------------------------------

@settings(max_examples=40)
@given(configs(max_batch=st.integers(1, 60), uniform=True), st.data())
def test_closed_form_equals_exact_evaluation_when_r_divides_max_batch(config, data):
    divisors = [r for r in range(1, config.max_batch + 1) if config.max_batch % r == 0]
    r = data.draw(st.sampled_from(divisors))
    ladder = evenly_spaced_ladder(config.max_batch, r)
    assert ladder == tuple(range(config.max_batch // r, config.max_batch + 1, config.max_batch // r))
    assert total_time_function(config)(r) == oracle_cost(config, ladder)[0]
    form = closed_form()
    values = {form.symbols[name]: value for name, value in (
        ("max_batch", config.max_batch), ("m0", config.graph_memory[0]),
        ("m1", config.graph_memory[1]), ("r", r))}
    assert form.memory.subs(values) == oracle_cost(config, ladder)[1]


def test_r_star_is_a_stationary_point_of_the_closed_form():
    import sympy

    form = closed_form()
    r = form.symbols["r"]
    assert sympy.simplify(sympy.diff(form.total_time, r).subs(r, form.r_star)) == 0
    assert sympy.simplify(sympy.diff(form.total_time, r, 2)) .is_positive


@settings(max_examples=30)
@given(configs(max_batch=st.integers(1, 200), uniform=True))
def test_best_whole_r_beats_every_other_count_that_fits(config):
    result = compare_closed_form(config, optimum=evaluate_ladder(config, ()))
    total = total_time_function(config)
    fitting = [r for r in range(1, config.max_batch + 1)
               if r * config.graph_memory[0] + config.graph_memory[1] * config.max_batch
               * Fraction(r + 1, 2) <= config.memory_budget]
    if not fitting:
        assert result.best_r is None
    else:
        assert result.best_r in fitting
        assert result.total_time == min(total(r) for r in fitting)


def test_closed_form_beside_the_exact_optimum():
    config = LadderConfig(max_batch=64, traffic="uniform", n=30, t_launch=1, t_gpu=(10, 1),
                          graph_memory=(0, 0), memory_budget=0, capture_passes=1, steps=1000)
    result = compare_closed_form(config)
    assert float(result.r_star) ** 2 == pytest.approx(1000 * 64 / (2 * 40 + 64))
    assert result.best_r == 21
    # the optimum is free to space rungs unevenly, so never worse than the integer ladder
    assert result.optimum.total_time <= result.evenly_spaced.total_time
    assert result.optimum.total_time == brute_force_free(config)


def brute_force_free(config):
    """Without a budget and with a dynamic program over the last rung (exact, O(M²))."""
    M = config.max_batch
    best = [Fraction(0)] + [None] * M
    for s in range(1, M + 1):
        best[s] = min(best[a] + config.steps * sum(p * config.graph_step(s)
                                                   for p in config.traffic[a:s])
                      + config.capture_time(s) for a in range(s))
    return min(best[s] + config.steps * sum(p * config.eager_step(b)
                                            for b, p in enumerate(config.traffic[s:], s + 1))
               for s in range(M + 1))


def test_closed_form_refuses_weighted_traffic():
    with pytest.raises(ValueError, match='closed form needs traffic = "uniform"'):
        compare_closed_form(base(traffic={"1": 1}))


# -- config validation -----------------------------------------------------------------------

BAD = [
    (dict(max_batch=0), ValueError, r"max_batch must be >= 1 and <= 2048, got 0"),
    (dict(max_batch=2049), ValueError, r"max_batch must be >= 1 and <= 2048, got 2049"),
    (dict(max_batch=8.0), TypeError, r"max_batch must be an integer >= 1, got float 8.0"),
    (dict(n=True), TypeError, r"n must be an integer >= 1, got bool True"),
    (dict(steps=0), ValueError, r"steps must be >= 1 and <= 1000000000000, got 0"),
    (dict(steps=10**12 + 1), ValueError, r"steps must be >= 1 and <= 1000000000000, got 1000000000001"),
    (dict(n=10**9 + 1), ValueError, r"n must be >= 1 and <= 1000000000, got 1000000001"),
    (dict(t_launch=10**12 + 1), ValueError, r"t_launch must be >= 0 and <= 10\*\*12, got 1000000000001"),
    (dict(t_launch=1e300), ValueError, r"t_launch must be >= 0 and <= 10\*\*12, got 1e\+300"),
    (dict(t_gpu=(0, 10**400)), ValueError,
     r"t_gpu\[1\] \(g1\) must be >= 0 and <= 10\*\*12, got an int of about 401 digits"),
    (dict(memory_budget=Fraction(10**13, 3)), ValueError, r"memory_budget must be >= 0 and <= 10\*\*12"),
    (dict(traffic={"1": 10**13}), ValueError, r"traffic\[1\] must be >= 0 and <= 10\*\*12, got 10000000000000"),
    (dict(t_launch=-1), ValueError, r"t_launch must be >= 0, got -1"),
    (dict(t_launch="5e-6"), TypeError, r"t_launch must be a number >= 0, got str '5e-6'"),
    (dict(t_launch=float("nan")), ValueError, r"t_launch must be a finite number >= 0, got nan"),
    (dict(memory_budget=float("inf")), ValueError, r"memory_budget must be a finite number"),
    (dict(t_gpu=(1,)), TypeError, r"t_gpu must be a pair \[g0, g1\] of numbers >= 0, got \(1,\)"),
    (dict(t_gpu="1 2"), TypeError, r"t_gpu must be a pair \[g0, g1\]"),
    (dict(graph_memory=(1, -2)), ValueError, r"graph_memory\[1\] \(m1\) must be >= 0, got -2"),
    (dict(capture_passes=Fraction(-1, 2)), ValueError, r"capture_passes must be >= 0, got -1/2"),
    (dict(traffic="zipf"), TypeError, r'traffic must be "uniform" or a table of weights'),
    (dict(traffic={"9": 1}), ValueError, r"traffic keys must be batch sizes 1 … max_batch=8, got '9'"),
    (dict(traffic={"x": 1}), ValueError, r"traffic keys must be batch sizes .* got 'x'"),
    (dict(traffic={"1": -1}), ValueError, r"traffic\[1\] must be >= 0, got -1"),
    (dict(traffic={"1": 0}), ValueError, r"traffic must give some batch size a weight > 0"),
]


@pytest.mark.parametrize("changes, error, message", BAD,
                         ids=[next(iter(c)) + "-" + str(i) for i, (c, _, _) in enumerate(BAD)])
def test_bad_config_values(changes, error, message):
    with pytest.raises(error, match=message):
        base(**changes)


def test_missing_and_unknown_keys():
    full = {key: getattr(base(), key) for key in KEYS}
    full["traffic"] = "uniform"
    assert LadderConfig.from_mapping(full) == base()
    with pytest.raises(ValueError, match=r"^missing key: steps$"):
        LadderConfig.from_mapping({k: v for k, v in full.items() if k != "steps"})
    with pytest.raises(ValueError, match=r"unknown key 'stepz'; the keys are: max_batch, "):
        LadderConfig.from_mapping({**full, "stepz": 1})


def test_rungs_outside_the_batch_sizes_are_refused():
    with pytest.raises(ValueError, match=r"rungs must be batch sizes 1 … max_batch=8, got 9"):
        evaluate_ladder(base(), [1, 9])


EXAMPLE_TEXT = open(EXAMPLE, encoding="utf-8").read()


def test_toml_floats_are_read_exactly(tmp_path):
    config = load_ladder_config(EXAMPLE)
    assert config.t_launch == Fraction(1, 200000)
    assert config.graph_memory == (Fraction(4, 1000), Fraction(2, 100000))
    assert config.steps == 10 ** 6 and config.memory_budget == Fraction(1, 4)


@pytest.mark.parametrize("edit, message", [
    (("steps = 1_000_000", ""), r"ladder.toml: missing key: steps"),
    (("n = 300", "n = 0"), r"ladder.toml: n must be >= 1 and <= 1000000000, got 0"),
    (("t_launch = 5e-6", "t_launch = 1e100000000"),
     r"^\S*ladder.toml: t_launch: the number 1e100000000 is too large or too small: a number may "
     r"have at most 100 digits, its exponent included$"),
    (("t_launch = 5e-6", "t_launch = 1e400"), r"ladder.toml: t_launch: the number 1e400 is too large"),
    (("t_launch = 5e-6", "t_launch = 1e-400"), r"ladder.toml: t_launch: the number 1e-400 is too large or too small"),
    (("t_launch = 5e-6", "t_launch = 1e99"), r"ladder.toml: t_launch must be >= 0 and <= 10\*\*12, got 1000"),
    (("t_gpu = [5e-3, 1e-5]", "t_gpu = [5e-3, 1e500]"), r"ladder.toml: t_gpu\[1\]: the number 1e500 is too large"),
    (("traffic = \"uniform\"", "traffic = {1 = 1e999}"), r"ladder.toml: traffic\[1\]: the number 1e999 is too large"),
    (("steps = 1_000_000", "steps = 1_000_000_000_000_000"),
     r"ladder.toml: steps must be >= 1 and <= 1000000000000, got 1000000000000000$"),
    (("t_launch = 5e-6", "t_launch = inf"), r"ladder.toml: t_launch must be a finite number"),
    (("t_launch = 5e-6", 't_launch = "fast"'), r"ladder.toml: t_launch must be a number >= 0"),
    (("n = 300", "n = 300\nn = 301"), r"ladder.toml: not valid TOML: "),
    (('traffic = "uniform"', '[traffic]\n"0" = 1'), r"traffic keys must be batch sizes"),
], ids=["missing", "zero-ops", "exponent-1e100000000", "exponent-1e400", "exponent-1e-400",
        "above-range", "pair-exponent", "traffic-exponent", "steps-above-range", "infinite",
        "string", "duplicate", "batch-zero"])
def test_bad_toml_files(tmp_path, edit, message):
    path = tmp_path / "ladder.toml"
    text = EXAMPLE_TEXT.replace(*edit)
    if edit[1].startswith("[traffic]"):                  # a table must come after the keys
        text = text.replace('[traffic]\n"0" = 1', "") + '\n[traffic]\n"0" = 1\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises((ValueError, TypeError), match=message):
        load_ladder_config(path)


def test_a_traffic_table_in_toml(tmp_path):
    path = tmp_path / "mix.toml"
    path.write_text(EXAMPLE_TEXT.replace('traffic = "uniform"', "").replace(
        "max_batch = 512", "max_batch = 16") + '\n[traffic]\n"1" = 50\n"8" = 30\n"16" = 20\n',
        encoding="utf-8")
    config = load_ladder_config(path)
    assert config.traffic[0] == Fraction(1, 2) and config.traffic[15] == Fraction(1, 5)
    best = optimal_ladder(config)
    assert set(best.rungs) <= {1, 8, 16}                 # a rung between used sizes only pads
    assert (best.total_time, best.memory) == pareto_dp(config)


# -- the report and the command line --------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_exactly_the_issue_keys(capsys):
    code, out, err = run(capsys, "ladder", "--config", EXAMPLE, "--format", "json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert set(data) == {"rungs", "total_time", "expected_step_time", "memory", "compared"}
    assert set(data["compared"]) == {"eager", "vllm_default", "powers_of_two"}
    config = load_ladder_config(EXAMPLE)
    for figures in [data, *data["compared"].values()]:
        assert set(figures) - {"compared"} == {"rungs", "total_time", "expected_step_time",
                                               "memory"}
        total, memory = oracle_cost(config, figures["rungs"])
        assert Fraction(figures["total_time"]) == total
        assert Fraction(figures["memory"]) == memory <= config.memory_budget
    assert data == ladder_json(ladder_report(config))


def test_cli_text_and_plot(capsys, tmp_path):
    plot = tmp_path / "ladder.png"
    code, out, err = run(capsys, "ladder", "--config", EXAMPLE, "--plot", str(plot))
    assert code == 0 and err == ""
    assert out.startswith("optimal ladder: ")
    assert "vllm_default" in out and "closed form" in out and "exact optimum" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<?xml")])
def test_cli_plot_is_byte_stable(capsys, tmp_path, suffix, magic):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    for path in (first, second):
        code, _, err = run(capsys, "ladder", "--config", EXAMPLE, "--plot", str(path))
        assert code == 0 and err == ""
    data = first.read_bytes()
    assert data.startswith(magic)
    assert data == second.read_bytes()
    assert b"<dc:date>" not in data


def test_cli_plot_refuses_other_formats(capsys, tmp_path):
    code, out, err = run(capsys, "ladder", "--config", EXAMPLE, "--plot", str(tmp_path / "x.jpg"))
    assert code == 2 and out == ""
    assert err == f"derive: error: out must end in .png, .svg or .pdf, got '{tmp_path / 'x.jpg'}'\n"
    assert not (tmp_path / "x.jpg").exists()


def test_the_ladder_plot_leaves_the_matplotlib_backend_alone(tmp_path):
    # The caller chose the svg backend; importing and running the plot must not switch it
    # (pyplot's matplotlib.use("Agg") would) nor pull in pyplot's global state.
    code = ("import sys, matplotlib; before = matplotlib.get_backend(); "
            "import derive.ladder.plot; imported = matplotlib.get_backend(); "
            "from derive.cli import main; "
            f"code = main(['ladder', '--config', {EXAMPLE!r}, '--plot', {str(tmp_path / 'l.png')!r}]); "
            "print(before, imported, matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules, "
            "code, file=sys.stderr)")
    env = {**os.environ, "MPLBACKEND": "svg"}
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env).stderr
    assert err.split() == ["svg", "svg", "svg", "False", "0"]


@pytest.mark.parametrize("argv, message", [
    (["ladder"], r"the following arguments are required: --config"),
    (["ladder", "--config", "no/such.toml"], r"the ladder config no/such.toml: no such file or directory"),
    (["ladder", "--config", EXAMPLE, "--format", "latex"], r"invalid choice: 'latex'"),
])
def test_cli_usage_errors(capsys, argv, message):
    import re

    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and re.search(message, err)


def test_cli_bad_key_is_one_line_and_exit_2(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(EXAMPLE_TEXT.replace("memory_budget", "memory_limit"), encoding="utf-8")
    code, out, err = run(capsys, "ladder", "--config", str(path))
    assert code == 2 and out == ""
    assert err == (f"derive: error: {path}: unknown key 'memory_limit'; the keys are: "
                   f"{', '.join(KEYS)}\n")


def test_text_report_without_closed_form_for_weighted_traffic():
    text = ladder_text(ladder_report(base(traffic={"1": 1, "8": 1})))
    assert "optimal ladder: " in text and "closed form" not in text


def test_importing_the_optimizer_imports_neither_sympy_nor_matplotlib():
    code = ("import sys; from derive import optimal_ladder, load_ladder_config; "
            f"optimal_ladder(load_ladder_config({EXAMPLE!r})); "
            "print('sympy' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


# -- issue 14.6: the ladder's labels say what was cut, and the axes their units --------------

def _example_report(**changes):
    from derive.ladder import ladder_report, load_ladder_config

    config = load_ladder_config(EXAMPLE)
    return ladder_report(replace(config, **changes) if changes else config)


def test_the_text_says_which_ladder_the_budget_cut_and_from_how_many_rungs():
    from derive.ladder import ladder_text, vllm_default_ladder

    report = _example_report()
    text = ladder_text(report)
    full = len(vllm_default_ladder(512))
    kept = len(report.compared["vllm_default"].rungs)
    assert full == 51 and kept < full
    assert f"vllm_default      {kept} of {full}" in text
    assert "(vllm_default: cut to fit the memory budget" in text
    assert "powers_of_two           10" in text                      # nothing cut: no "of"


def test_the_plot_says_truncated_only_when_a_ladder_was_cut_and_has_units():
    from derive.ladder.plot import ladder_figure

    fig = ladder_figure(_example_report())
    axes = fig.axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert "vLLM default: 37 of 51 rungs (cut to the budget)" in legend
    assert "powers of two: 10 rungs" in legend                      # was "(truncated)", fixed text
    assert not any("truncated" in entry for entry in legend)
    assert "unit of t_launch" in axes.get_ylabel() and "rungs" in axes.get_xlabel()
    assert "unit of graph_memory" in axes.get_title()
    roomy = ladder_figure(_example_report(memory_budget=Fraction(10)))
    legend = [t.get_text() for t in roomy.axes[0].get_legend().get_texts()]
    assert "vLLM default: 51 rungs" in legend and "powers of two: 10 rungs" in legend


def test_an_unwritable_plot_fails_before_the_ladder_is_searched(monkeypatch, capsys):
    import derive.ladder as ladder_module

    monkeypatch.setattr(ladder_module, "ladder_report", lambda config: (_ for _ in ()).throw(
        AssertionError("searched before checking --plot")))
    assert main(["ladder", "--config", EXAMPLE, "--plot", "/proc/x.png"]) == 2
    assert capsys.readouterr().err == "derive: error: cannot write /proc/x.png: no such file or directory\n"
