"""The timing harness: exact figures from fake clocks, orderings from real workloads."""

import gc
import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derive.measure.timing import Timing, autorange, significant, summarize, time_call


class CallClock:
    """A fake clock that advances ``cost_ns`` per call of its ``work``; nothing else moves it."""

    def __init__(self, cost_ns, finish_ns=0):
        self.now = 0
        self.cost_ns = cost_ns
        self.finish_ns = finish_ns
        self.calls = 0
        self.finishes = 0

    def __call__(self):
        return self.now

    def work(self):
        self.calls += 1
        self.now += self.cost_ns

    def finish(self):
        self.finishes += 1
        self.now += self.finish_ns


def ticking(readings):
    """A fake clock that returns ``readings`` one after the other."""
    values = iter(readings)
    return lambda: next(values)


# -- summarize: the statistics, checked against a brute force ---------------------------

def test_summarize_one_sample_has_no_spread():
    timing = summarize([5000], number=1)
    assert timing == Timing(Fraction(5), Fraction(5), Fraction(5), Fraction(5), Fraction(5), 1, 1)


def test_summarize_divides_by_number_and_sorts():
    timing = summarize([9000, 3000, 6000, 12000], number=3)     # 3, 1, 2, 4 µs per call
    assert (timing.low, timing.median, timing.high) == (Fraction(1), Fraction(5, 2), Fraction(4))
    assert (timing.q1, timing.q3) == (Fraction(7, 4), Fraction(13, 4))
    assert (timing.repeat, timing.number) == (4, 3)


def _quartile(sorted_values, fraction):
    """Linear interpolation between closest ranks: the 'inclusive' definition, by hand."""
    position = fraction * (len(sorted_values) - 1)
    below = int(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * (position - below)


@given(st.lists(st.integers(1, 10**9), min_size=2, max_size=40), st.integers(1, 1000))
def test_summarize_matches_a_brute_force(samples, number):
    timing = summarize(samples, number=number)
    per_call = sorted(Fraction(s, number * 1000) for s in samples)
    middle = len(per_call) // 2
    median = per_call[middle] if len(per_call) % 2 else (per_call[middle - 1] + per_call[middle]) / 2
    assert timing.median == median
    assert timing.q1 == _quartile(per_call, Fraction(1, 4))
    assert timing.q3 == _quartile(per_call, Fraction(3, 4))
    assert timing.low == per_call[0] and timing.high == per_call[-1]
    assert timing.low <= timing.q1 <= timing.median <= timing.q3 <= timing.high
    assert all(type(v) is Fraction for v in (timing.median, timing.q1, timing.q3, timing.low, timing.high))


def test_as_dict_rounds_for_display():
    timing = summarize([1000, 2000, 4000], number=3)
    assert timing.as_dict() == {
        "median_us": 0.6667, "q1_us": 0.5, "q3_us": 1.0, "min_us": 0.3333, "max_us": 1.333,
        "repeat": 3, "number": 3,
    }


def test_significant():
    assert significant(Fraction(1, 3), 2) == 0.33
    assert significant(None) is None


# -- time_call with fake clocks: exact ----------------------------------------------------

def test_time_call_with_a_fixed_cost_per_call_is_exact():
    clock = CallClock(cost_ns=750)
    timing = time_call(clock.work, repeat=5, warmup=2, number=4, clock=clock)
    assert timing.median == timing.low == timing.high == Fraction(3, 4)
    assert (timing.repeat, timing.number) == (5, 4)
    assert clock.calls == (2 + 5) * 4


def test_warmup_samples_are_thrown_away():
    # warm-up sample: 0 → 1_000_000 ns (a cold start); then three samples of 1, 2 and 3 µs
    clock = ticking([0, 1_000_000, 0, 1000, 0, 2000, 0, 3000])
    timing = time_call(lambda: None, repeat=3, warmup=1, number=1, clock=clock)
    assert (timing.median, timing.high, timing.repeat) == (Fraction(2), Fraction(3), 3)


def test_finish_runs_once_per_sample_inside_the_timed_region():
    clock = CallClock(cost_ns=1000, finish_ns=10_000)
    timing = time_call(clock.work, repeat=4, warmup=1, number=10, finish=clock.finish, clock=clock)
    assert clock.finishes == 5
    assert timing.median == Fraction(10_000 + 10 * 1000, 10 * 1000)     # 2 µs per call


def test_autorange_picks_the_least_number_in_the_1_2_5_sequence():
    for cost_ns, min_sample_ns, expected in [
        (1000, 1_000_000, 1000), (1000, 1_000_001, 2000), (3000, 1_000_000, 500),
        (1_000_000, 1, 1), (7, 100, 20), (1000, 0, 1),
    ]:
        clock = CallClock(cost_ns)
        assert autorange(clock.work, min_sample_ns=min_sample_ns, clock=clock) == expected
        # and no smaller number of the sequence would have been long enough
        smaller = [s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if s < expected]
        assert all(s * cost_ns < min_sample_ns for s in smaller)


def test_time_call_autoranges_when_number_is_none():
    clock = CallClock(cost_ns=400)
    timing = time_call(clock.work, repeat=3, warmup=0, min_sample_ns=10_000, clock=clock)
    assert timing.number == 50                         # 20 calls make 8 µs, 50 make 20 µs
    assert timing.median == Fraction(2, 5)


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_is_paused_while_sampling_and_restored(enabled):
    seen = []
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        time_call(lambda: seen.append(gc.isenabled()), repeat=2, warmup=1, number=3)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False] * 9


def test_gc_restored_when_the_function_raises():
    was = gc.isenabled()
    gc.enable()
    try:
        with pytest.raises(ZeroDivisionError):
            time_call(lambda: 1 / 0, repeat=1, warmup=0, number=1)
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


# -- real workloads: orderings only, never a timed threshold ----------------------------

def test_real_workload_more_work_per_call_measures_more():
    def one():
        return None

    def many():
        for _ in range(2000):
            one()

    small = time_call(one, repeat=3, warmup=0, min_sample_ns=200_000)
    large = time_call(many, repeat=3, warmup=0, min_sample_ns=200_000)
    assert large.median > small.median > 0
    assert small.number > large.number >= 1           # autorange needed more of the cheap call


# -- bad arguments ----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    ({"repeat": 0}, ValueError, r"repeat must be >= 1, got 0"),
    ({"repeat": 2.0}, TypeError, r"repeat must be an int >= 1, got float 2.0"),
    ({"warmup": -1}, ValueError, r"warmup must be >= 0, got -1"),
    ({"number": 0}, ValueError, r"number must be >= 1, got 0"),
    ({"number": True}, TypeError, r"number must be an int >= 1, got bool True"),
    ({"min_sample_ns": -5}, ValueError, r"min_sample_ns must be >= 0, got -5"),
    ({"clock": 3}, TypeError, r"clock must be callable, got int 3"),
    ({"finish": "sync"}, TypeError, r"finish must be callable, got str 'sync'"),
], ids=["repeat-0", "repeat-float", "warmup-negative", "number-0", "number-bool",
        "min-sample-negative", "clock-int", "finish-str"])
def test_time_call_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        time_call(lambda: None, **kwargs)


def test_time_call_rejects_a_non_callable_function():
    with pytest.raises(TypeError, match=r"func must be callable, got NoneType None"):
        time_call(None)


def test_summarize_rejects_no_samples():
    with pytest.raises(ValueError, match=r"samples_ns must hold at least one sample, got none"):
        summarize([], number=1)


def test_median_agrees_with_statistics_on_real_samples():
    clock = ticking([0, 5, 0, 1, 0, 9, 0, 7])
    timing = time_call(lambda: None, repeat=4, warmup=0, number=1, clock=clock)
    assert timing.median == Fraction(statistics.median([5, 1, 9, 7])) / 1000
