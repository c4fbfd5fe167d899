"""A small timing harness: warm-up, repeats, and the median with its spread.

``time_call(func)`` calls ``func()`` in samples of ``number`` calls each, throws away
the first ``warmup`` samples, keeps ``repeat`` of them, and summarizes them as a
:class:`Timing` of microseconds *per call*: the median, the quartiles and the extremes.

=====================  ===========================================================
function               does
=====================  ===========================================================
``time_call``          time ``func()``: warm-up, autorange, repeats → ``Timing``
``autorange``          how many calls make one sample at least ``min_sample_ns`` long
``summarize``          ``Timing`` of raw samples (ns per sample of ``number`` calls)
``significant``        a figure rounded to a few significant digits, for display
``Timing``             median, q1, q3, low, high (µs per call, exact), repeat, number
=====================  ===========================================================

The clock is injectable: any callable returning integer nanoseconds
(:func:`time.perf_counter_ns` by default). A fake clock makes every figure exact and
every test deterministic:

>>> ticks = iter([0, 1_000, 1_000, 4_000, 4_000, 6_000])
>>> time_call(lambda: None, number=1, repeat=3, warmup=0, clock=lambda: next(ticks))
Timing(median=Fraction(2, 1), q1=Fraction(3, 2), q3=Fraction(5, 2), low=Fraction(1, 1), high=Fraction(3, 1), repeat=3, number=1)

``finish`` runs once at the end of every sample, inside the timed region: pass
``torch.cuda.synchronize`` so that a sample counts the work the calls queued, not
only their launch.

Algorithm notes. A sample of ``number`` calls that took ``t`` ns gives ``t / number``
ns per call, kept as a :class:`~fractions.Fraction` so that nothing is rounded before
the summary is rendered. The median resists the outliers that a shared machine
produces (an interrupt, a page fault, a neighbour's job); the spread is the
interquartile range (``statistics.quantiles`` with the *inclusive* method, so that the
quartiles stay within the data) next to the minimum and maximum. ``autorange`` grows
``number`` along 1, 2, 5, 10, 20, 50, … until one sample lasts ``min_sample_ns``, so
that the clock's resolution and the sample's own overhead (two clock reads and the
loop) are small against what is measured; like :mod:`timeit`, the loop's cost is
included, not subtracted. The garbage collector is paused while sampling, as
:mod:`timeit` does, and restored to its previous state afterwards.
"""

import gc
import statistics
import time
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Timing", "autorange", "significant", "summarize", "time_call"]

_NS_PER_US = 1000


@dataclass(frozen=True)
class Timing:
    """Microseconds per call: median, quartiles and extremes of ``repeat`` samples.

    Each sample timed ``number`` calls. The figures are exact fractions of the clock's
    nanoseconds; :meth:`as_dict` rounds them for display.
    """

    median: Fraction
    q1: Fraction
    q3: Fraction
    low: Fraction
    high: Fraction
    repeat: int
    number: int

    def as_dict(self, digits=4):
        """The timing as plain JSON-ready numbers, rounded to ``digits`` significant digits.

        >>> summarize([3000, 1000, 2000], number=1).as_dict()
        {'median_us': 2.0, 'q1_us': 1.5, 'q3_us': 2.5, 'min_us': 1.0, 'max_us': 3.0, 'repeat': 3, 'number': 1}
        """
        return {
            "median_us": significant(self.median, digits),
            "q1_us": significant(self.q1, digits),
            "q3_us": significant(self.q3, digits),
            "min_us": significant(self.low, digits),
            "max_us": significant(self.high, digits),
            "repeat": self.repeat,
            "number": self.number,
        }


def significant(value, digits=4):
    """``value`` as a float rounded to ``digits`` significant digits (``None`` stays ``None``).

    >>> significant(Fraction(2, 3)), significant(123456.7), significant(None)
    (0.6667, 123500.0, None)
    """
    if value is None:
        return None
    return float(f"{float(value):.{digits}g}")


# -- validation ------------------------------------------------------------------------

def _whole(name, value, least):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int >= {least}, got {type(value).__name__} {value!r}")
    if value < least:
        raise ValueError(f"{name} must be >= {least}, got {value!r}")
    return value


def _callable(name, value, optional=False):
    if (value is None and optional) or callable(value):
        return value
    raise TypeError(f"{name} must be callable, got {type(value).__name__} {value!r}")


# -- the harness -----------------------------------------------------------------------

def summarize(samples_ns, number):
    """The :class:`Timing` of raw samples: nanoseconds per sample of ``number`` calls.

    >>> summarize([4000, 2000], number=2)
    Timing(median=Fraction(3, 2), q1=Fraction(5, 4), q3=Fraction(7, 4), low=Fraction(1, 1), high=Fraction(2, 1), repeat=2, number=2)
    """
    number = _whole("number", number, 1)
    samples = list(samples_ns)
    if not samples:
        raise ValueError("samples_ns must hold at least one sample, got none")
    per_call = sorted(Fraction(s, number * _NS_PER_US) for s in samples)
    if len(per_call) == 1:
        q1 = q3 = per_call[0]
    else:
        q1, _, q3 = statistics.quantiles(per_call, n=4, method="inclusive")
    return Timing(
        median=Fraction(statistics.median(per_call)),
        q1=Fraction(q1),
        q3=Fraction(q3),
        low=per_call[0],
        high=per_call[-1],
        repeat=len(per_call),
        number=number,
    )


def _sample(func, number, finish, clock):
    """Nanoseconds taken by ``number`` calls of ``func`` (and one ``finish``)."""
    calls = range(number)
    start = clock()
    for _ in calls:
        func()
    if finish is not None:
        finish()
    return clock() - start


def autorange(func, *, min_sample_ns=2_000_000, finish=None, clock=time.perf_counter_ns):
    """The least ``number`` in 1, 2, 5, 10, 20, 50, … whose sample lasts ``min_sample_ns``.

    With a fake clock that advances 1 µs per call, 1 ms needs 1000 calls:

    >>> calls = []
    >>> autorange(lambda: calls.append(1), min_sample_ns=1_000_000,
    ...           clock=lambda: len(calls) * 1000)
    1000
    """
    _whole("min_sample_ns", min_sample_ns, 0)
    _callable("func", func)
    _callable("finish", finish, optional=True)
    _callable("clock", clock)
    scale = 1
    while True:
        for step in (1, 2, 5):
            number = step * scale
            if _sample(func, number, finish, clock) >= min_sample_ns:
                return number
        scale *= 10


def time_call(func, *, repeat=7, warmup=1, number=None, min_sample_ns=2_000_000,
              finish=None, clock=time.perf_counter_ns):
    """Time ``func()``: ``warmup`` samples thrown away, then ``repeat`` samples kept.

    ``number`` calls make a sample; ``None`` picks it with :func:`autorange`.
    Returns a :class:`Timing` in microseconds per call.

    >>> calls = []
    >>> t = time_call(lambda: calls.append(1), repeat=5, number=10,
    ...               clock=lambda: len(calls) * 250)       # a fake clock: 0.25 µs per call
    >>> t.median, t.repeat, t.number, len(calls)            # 1 warm-up + 5 samples of 10
    (Fraction(1, 4), 5, 10, 60)
    """
    _callable("func", func)
    _callable("finish", finish, optional=True)
    _callable("clock", clock)
    repeat = _whole("repeat", repeat, 1)
    warmup = _whole("warmup", warmup, 0)
    _whole("min_sample_ns", min_sample_ns, 0)
    if number is not None:
        _whole("number", number, 1)
    paused = gc.isenabled()
    gc.disable()
    try:
        for _ in range(warmup):
            _sample(func, number or 1, finish, clock)
        if number is None:
            number = autorange(func, min_sample_ns=min_sample_ns, finish=finish, clock=clock)
        samples = [_sample(func, number, finish, clock) for _ in range(repeat)]
    finally:
        if paused:
            gc.enable()
    return summarize(samples, number)
