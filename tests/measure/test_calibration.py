"""derive.measure.calibration: the model held against measured totals (pure, no torch).

Synthetic totals are written out by hand from the wall-clock model; the first winning
call is found by walking k upward, never by the closed form under test.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.engine.wall_clock import gpu_launch_ratio
from derive.measure.calibration import compare_with_model, fit_wall_clock
from derive.numeric import crossover

positive = st.fractions(min_value=Fraction(1, 1000), max_value=1000)


def wall_clock_totals(num_ops, t_launch, t_gpu, capture, calls):
    """Running totals of the wall-clock model, written out by hand."""
    eager = [k * (num_ops * t_launch + t_gpu) for k in range(1, calls + 1)]
    graph = [capture * t_launch + t_gpu + (k - 1) * (t_launch + t_gpu) for k in range(1, calls + 1)]
    return eager, graph


def first_win(eager, graph):
    """Brute force: walk k upward until the graph total is strictly below the eager one."""
    for k, (e, g) in enumerate(zip(eager, graph), start=1):
        if g < e:
            return k
    return None


@given(st.integers(2, 400), positive, positive, positive, st.integers(2, 40))
def test_synthetic_totals_are_fitted_exactly(num_ops, t_launch, t_gpu, capture, calls):
    eager, graph = wall_clock_totals(num_ops, t_launch, t_gpu, capture, calls)
    cmp = compare_with_model(num_ops, eager, graph)
    assert (cmp.fit.t_launch_us, cmp.fit.t_gpu_us, cmp.fit.capture_cost_ops) == (t_launch, t_gpu, capture)
    speedup = (num_ops * t_launch + t_gpu) / (t_launch + t_gpu)
    assert cmp.speedup == speedup and cmp.ceiling == num_ops
    assert cmp.gpu_to_launch == t_gpu / t_launch == (num_ops - speedup) / (speedup - 1)
    assert cmp.crossover_model == crossover(num_ops, capture)
    assert cmp.crossover_measured == first_win(eager, graph)
    if cmp.crossover_model <= calls:                # seen within the calls measured
        assert cmp.crossover_measured == cmp.crossover_model
    assert cmp.crossover_lab == crossover(num_ops) == 2
    assert cmp.deviation == 0
    assert cmp.ratio_wall_clock == cmp.ratio_measured == eager[-1] / graph[-1]
    assert cmp.ratio_launch == Fraction(calls * num_ops) / (capture + calls - 1)
    assert cmp.notes == ()


def test_noisy_totals_show_their_deviation_from_the_fit():
    eager, graph = wall_clock_totals(30, 5, 20, 90, 5)      # eager 170/call, graph 470 then 25
    eager[2] += 17                                          # call 3 took 10 % longer...
    eager[3] += 17                                          # ... and the running total keeps it
    cmp = compare_with_model(30, eager, graph)
    # the medians of the per-call steps are untouched, so the fit is still exact
    assert (cmp.eager_call_us, cmp.first_call_us, cmp.replay_call_us) == (170, 470, 25)
    assert cmp.deviation == Fraction(17, 3 * 170)            # the largest gap: call 3
    assert cmp.crossover_model == crossover(30, 90) == 4
    assert cmp.crossover_measured == first_win(eager, graph) == 3    # the slow call moved it


def test_course_figures_for_t_gpu_over_t_launch():
    # at n = 100, 2.5x means t_gpu = 65 launches; 1.13x means 9887/13 ≈ 760.5 launches
    for speedup, ratio in [(Fraction(5, 2), 65), (Fraction("1.13"), Fraction(9887, 13))]:
        eager, graph = wall_clock_totals(100, 1, ratio, 100, 3)
        cmp = compare_with_model(100, eager, graph)
        assert (cmp.speedup, cmp.gpu_to_launch) == (speedup, ratio)


@settings(max_examples=15)                          # the presets' inverse derives each time
@given(st.integers(2, 500), st.fractions(min_value=Fraction(1, 100), max_value=1000), positive)
def test_the_ratio_agrees_with_the_presets_inverse(num_ops, t_gpu, t_launch):
    eager, graph = wall_clock_totals(num_ops, t_launch, t_gpu, num_ops, 2)
    cmp = compare_with_model(num_ops, eager, graph)
    assert cmp.gpu_to_launch == gpu_launch_ratio(cmp.speedup, n=num_ops)


def test_a_replay_no_faster_than_an_eager_call_cannot_be_fitted():
    cmp = compare_with_model(30, [100, 200, 300], [150, 250, 350])
    assert cmp.speedup == 1
    assert cmp.fit is cmp.gpu_to_launch is cmp.crossover_model is cmp.deviation is None
    assert cmp.crossover_measured is None and cmp.crossover_lab == 2
    assert cmp.notes == ("speedup 1 <= 1: a replay is no faster than an eager call, "
                         "so launch time and GPU time cannot be told apart",)
    assert cmp.as_dict()["fit"] is None


def test_a_speedup_beyond_n_is_flagged_outside_the_model():
    cmp = compare_with_model(3, [40, 80, 120], [50, 55, 60])      # S = 8 > n = 3
    assert cmp.fit.t_gpu_us < 0 and cmp.gpu_to_launch < 0
    assert cmp.notes == ("speedup 8 exceeds the ceiling n = 3: the fit has t_gpu < 0, "
                         "outside the model",)


def test_comparison_as_dict_keys():
    eager, graph = wall_clock_totals(30, 5, 20, 90, 6)   # E(6) = 1020, G(6) = 595; 6·30/95
    data = compare_with_model(30, eager, graph).as_dict()
    assert data == {
        "num_ops": 30, "calls": 6,
        "eager_call_us": 170.0, "first_call_us": 470.0, "replay_call_us": 25.0,
        "speedup": {"measured": 6.8, "ceiling": 30},
        "t_gpu_over_t_launch": 4.0,
        "fit": {"t_launch_us": 5.0, "t_gpu_us": 20.0, "capture_cost_ops": 90.0},
        "crossover": {"measured": 4, "model": 4, "lab": 2},
        "per_call_ratio": {"measured": 1.714, "wall_clock": 1.714, "launch_model": 1.895},
        "deviation": 0.0, "notes": [],
    }


@pytest.mark.parametrize("args, error, message", [
    ((1, [1, 2], [1, 2]), ValueError, r"num_ops must be >= 2 to tell launch time from GPU time, got 1"),
    ((True, [1, 2], [1, 2]), TypeError, r"num_ops must be an int >= 2, got bool True"),
    ((3, [1, 2, 3], [1, 2]), ValueError, r"must hold the same number \(>= 2\) of totals, got 3 and 2"),
    ((3, [1], [1]), ValueError, r"same number \(>= 2\) of totals, got 1 and 1"),
    ((3, [2, 1], [1, 2]), ValueError, r"eager_totals_us must be running totals \(never decreasing\)"),
    ((3, [1, 2], [0, 2]), ValueError, r"graph_totals_us must be > 0, got 0"),
    ((3, [1, float("nan")], [1, 2]), ValueError, r"eager_totals_us must be finite and > 0, got nan"),
    ((3, [1, "2"], [1, 2]), TypeError, r"eager_totals_us must be a number > 0, got str '2'"),
], ids=["n-1", "n-bool", "lengths", "too-few", "decreasing", "zero", "nan", "text"])
def test_compare_rejects_bad_totals(args, error, message):
    with pytest.raises(error, match=message):
        compare_with_model(*args)


@pytest.mark.parametrize("args, error, message", [
    ((30, 25, 470, 25), ValueError, r"eager_call_us must exceed replay_call_us .*"
                                    r"got eager_call_us=25 and replay_call_us=25"),
    ((30, 170, -1, 25), ValueError, r"first_call_us must be > 0, got -1"),
    ((30, 170, 470, float("inf")), ValueError, r"replay_call_us must be finite and > 0, got inf"),
], ids=["no-saving", "negative", "infinite"])
def test_fit_rejects_bad_times(args, error, message):
    with pytest.raises(error, match=message):
        fit_wall_clock(*args)
