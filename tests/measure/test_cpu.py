"""derive.measure.cpu: what a launch stands for on the CPU, timed.

Timings are checked with fake clocks (exact) or by orderings of real workloads, never
against a timed threshold.
"""

from fractions import Fraction

import pytest

from derive.measure.cpu import (
    call_stack_300_us,
    call_stack_us,
    python_call_us,
    torch_op_us,
)
from tests.measure.measuring import TINY, steady_clock


def test_python_call_with_a_fake_clock_is_exact_and_follows_the_settings():
    timing = python_call_us(TINY, clock=steady_clock(100_000))
    assert timing.number == 1                       # one call already lasts the 50 µs asked
    assert (timing.median, timing.repeat) == (Fraction(100), 3)


def test_call_stack_with_a_fake_clock_is_exact():
    timing = call_stack_300_us(TINY, clock=steady_clock(60_000))
    assert (timing.median, timing.number) == (Fraction(60), 1)


def test_a_300_deep_stack_measures_more_than_one_call():
    assert call_stack_300_us(TINY).median > python_call_us(TINY).median > 0


def test_a_deeper_stack_measures_more():
    assert call_stack_us(300, TINY).median > call_stack_us(2, TINY).median


@pytest.mark.parametrize("depth, error, message", [
    (0, ValueError, r"depth must be between 1 and \d+ \(half the recursion limit\), got 0"),
    (10**6, ValueError, r"depth must be between 1 and \d+ .*got 1000000"),
    (3.0, TypeError, r"depth must be an int >= 1, got float 3.0"),
    (True, TypeError, r"depth must be an int >= 1, got bool True"),
], ids=["zero", "too-deep", "float", "bool"])
def test_call_stack_rejects_bad_depths(depth, error, message):
    with pytest.raises(error, match=message):
        call_stack_us(depth, TINY)


def test_torch_op_is_none_without_torch(no_torch):
    assert torch_op_us(TINY) is None


def test_torch_op_measures_a_tiny_mm():
    pytest.importorskip("torch")
    timing = torch_op_us(TINY)
    assert timing.median > 0 and timing.repeat == 3
    assert torch_op_us(TINY, clock=steady_clock(60_000)).median == 60
