"""Hypothesis strategies for the lab's domains: exact numbers, small ones and huge ones.

For property-based CI of any implementation of the lab's functions (``derive verify``
and ``pytest --derive-impl`` are built on them):

=======================  ===============================================================
strategy                 draws
=======================  ===============================================================
``num_ops()``            n, ops per call: an ``int`` >= 1
``calls()``              k, calls so far: an ``int`` >= 1
``capture_costs()``      c, the capture cost: a positive ``int`` or ``Fraction``
                         (and, on request, a ``float`` that holds its value exactly)
``lab_arguments()``      all three as :class:`LabArguments`, with the lab's default
                         capture cost (``None``) and the ties where the crossover is subtle
=======================  ===============================================================

Every strategy mixes small values (where mistakes are easy to read) with huge ones, above
``10**30`` (where float arithmetic and loops over ``k`` give themselves away); hypothesis
shrinks a failure towards the small end. Exact values only, unless asked: a capture cost
is an ``int`` or a ``Fraction`` unless ``floats=True``.

>>> from hypothesis import find
>>> find(capture_costs(), lambda c: c < 1)
Fraction(1, 2)
>>> find(capture_costs(), lambda c: c > 10**30) > 10**30
True
>>> find(lab_arguments(), lambda a: a.num_ops > 1)
LabArguments(num_ops=2, k=1, capture_cost_ops=None)

Algorithm notes: the crossover ``⌊(c − 1)/(n − 1)⌋ + 1`` and its classic off-by-one
``⌈(c − 1)/(n − 1)⌉`` differ exactly when the root ``(c − 1)/(n − 1)`` is a whole number
``j >= 0``, that is on the "tie" lines ``c = 1 + j·(n − 1)`` — where the graph merely
draws level with eager at call ``j``. Random fractions almost never land there, so
:func:`lab_arguments` draws from those lines on purpose (``c = n``, the lab's default,
is the tie ``j = 1``).

Importing this module imports hypothesis, never sympy.
"""

from fractions import Fraction
from functools import cache
from typing import NamedTuple

from hypothesis import strategies as st

__all__ = ["HUGE", "LabArguments", "calls", "capture_costs", "lab_arguments", "num_ops"]

#: Values above this one are "huge": beyond any float's exact integers (2**53) by far.
HUGE = 10**30

_SMALL_SPAN = 1000          # the small end of every range: easy to read in a counterexample
_FLOAT_MANTISSA = 2**24     # dyadic floats m / 2**e with a short mantissa: exact, and stay so


class LabArguments(NamedTuple):
    """One point of the lab's domain; ``capture_cost_ops=None`` means the default, ``num_ops``."""

    num_ops: int
    k: int
    capture_cost_ops: object = None


# -- validation: one place ---------------------------------------------------------------

def _bound(name, value, least):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, got {type(value).__name__} {value!r}")
    if value < least:
        raise ValueError(f"{name} must be >= {least}, got {value!r}")
    return value


def _range(min_value, max_value):
    min_value = _bound("min_value", min_value, 1)
    max_value = _bound("max_value", max_value, 1)
    if min_value is None:
        raise TypeError("min_value must be an int >= 1, got None")
    if max_value is not None and max_value < min_value:
        raise ValueError(f"Cannot have max_value={max_value} < min_value={min_value}")
    return min_value, max_value


# -- whole numbers -----------------------------------------------------------------------

def _whole_numbers(min_value, max_value):
    """Integers in [min_value, max_value] (no top when ``None``): small first, then any, then huge."""
    small_top = min_value + _SMALL_SPAN
    if max_value is not None:
        small_top = min(small_top, max_value)
    parts = [st.integers(min_value, small_top), st.integers(min_value, max_value)]
    if max_value is None or max_value > HUGE:
        low = max(min_value, HUGE + 1)
        parts.append(st.integers(low, HUGE**2 if max_value is None else max_value))
    return st.one_of(parts)


def num_ops(*, min_value=1, max_value=None):
    """Ops per call ``n``: integers >= ``min_value`` (default 1), small and huge.

    >>> from hypothesis import find
    >>> find(num_ops(), lambda n: n > 1)
    2
    >>> find(num_ops(min_value=2, max_value=9), lambda n: True)
    2
    >>> num_ops(max_value=0)
    Traceback (most recent call last):
    ...
    ValueError: max_value must be >= 1, got 0
    """
    return _whole_numbers(*_range(min_value, max_value))


def calls(*, min_value=1, max_value=None):
    """Calls so far ``k``: integers >= ``min_value`` (default 1), small and huge.

    >>> from hypothesis import find
    >>> find(calls(), lambda k: k > 10**40) > 10**40
    True
    >>> calls(min_value=5, max_value=2)
    Traceback (most recent call last):
    ...
    ValueError: Cannot have max_value=2 < min_value=5
    """
    return _whole_numbers(*_range(min_value, max_value))


# -- capture costs -----------------------------------------------------------------------

@st.composite
def _fractions(draw, max_value):
    denominator = draw(_whole_numbers(2, None))
    top = None if max_value is None else max_value * denominator
    return Fraction(draw(_whole_numbers(1, top)), denominator)


def _dyadic_floats(max_value):
    # m / 2**e with m < 2**24: a float holds it exactly, and sums of a few such stay exact
    floats = st.builds(lambda m, e: m / 2**e, st.integers(1, _FLOAT_MANTISSA - 1), st.integers(0, 16))
    return floats if max_value is None else floats.filter(lambda x: x <= max_value)


def capture_costs(*, max_value=None, floats=False):
    """Capture costs ``c > 0``: positive ints, then Fractions, then (if ``floats``) floats.

    The ints and the numerators and denominators of the fractions reach beyond ``10**30``.
    Floats, when asked for, are halves, quarters, … of whole numbers below ``2**24`` (such
    as ``2.5`` or ``0.75``): a float holds each exactly, so an exact oracle can judge an
    implementation on them without any tolerance.

    >>> from hypothesis import find
    >>> find(capture_costs(), lambda c: True)
    1
    >>> find(capture_costs(max_value=3), lambda c: c.denominator > 1)
    Fraction(1, 2)
    >>> find(capture_costs(floats=True), lambda c: isinstance(c, float))
    1.0
    """
    max_value = _bound("max_value", max_value, 1)
    parts = [_whole_numbers(1, max_value), _fractions(max_value)]
    if floats:
        parts.append(_dyadic_floats(max_value))
    return st.one_of(parts)


# -- all three together ------------------------------------------------------------------

_DEFAULT, _DRAWN, _TIE = 0, 1, 2          # how the capture cost is chosen; shrinks to the default


@cache
def _parts(max_value, floats, default):
    """The strategies :func:`lab_arguments` draws from, built once per set of options."""
    counts = _whole_numbers(1, max_value)
    kinds = st.integers(_DEFAULT if default else _DRAWN, _TIE)
    tie_steps = _whole_numbers(1, None).map(lambda j: j - 1)          # j >= 0
    return counts, kinds, capture_costs(max_value=max_value, floats=floats), tie_steps


@st.composite
def lab_arguments(draw, *, max_value=None, floats=False, default=True):
    """``LabArguments(num_ops, k, capture_cost_ops)``: one point of the lab's domain.

    The capture cost is ``None`` (the lab's default, ``num_ops``) when ``default`` is
    true and hypothesis picks it; otherwise a value of :func:`capture_costs`, or a tie
    ``1 + j·(num_ops − 1)`` where the break-even root is a whole number. ``max_value``
    bounds all three numbers (for brute forces that walk ``k`` upward).

    >>> from hypothesis import find
    >>> find(lab_arguments(), lambda a: a.capture_cost_ops is not None and a.num_ops > 2)
    LabArguments(num_ops=3, k=1, capture_cost_ops=1)
    >>> find(lab_arguments(max_value=9), lambda a: a.k == 9)
    LabArguments(num_ops=1, k=9, capture_cost_ops=None)
    """
    counts, kinds, costs, tie_steps = _parts(_bound("max_value", max_value, 1), floats, default)
    n, k, kind = draw(counts), draw(counts), draw(kinds)
    if kind == _DEFAULT:
        return LabArguments(n, k, None)
    if kind == _DRAWN:
        return LabArguments(n, k, draw(costs))
    j = draw(tie_steps)
    if max_value is not None and n > 1:
        j = min(j, (max_value - 1) // (n - 1))
    return LabArguments(n, k, 1 + j * (n - 1))
