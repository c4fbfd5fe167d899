"""What a launch stands for on the CPU, timed — and how hard every measurement tries.

The model counts launches; these runs time, on this machine's CPU, the work a launch
stands for: a no-op Python call, a Python call stack as deep as the lab's 300-op step,
and a tiny ``torch.mm`` dispatched on the CPU (the CPU side of a GPU launch). Each
answer is a :class:`derive.measure.timing.Timing` in µs per call (median and spread).

======================  ============================================================
name                    is
======================  ============================================================
``python_call_us``      a no-op Python function call (``Timing``)
``call_stack_us``       a no-op call stack ``depth`` frames deep (``Timing``)
``call_stack_300_us``   the same, 300 deep: the lab's stand-in for a 300-op step
``torch_op_us``         a tiny ``torch.mm`` on the CPU (``Timing``; ``None``
                        without torch)
``Settings``            how hard to measure: samples, warm-up, sample length, and
                        the size of the CUDA runs (:mod:`derive.measure.cuda`)
``QUICK``, ``FULL``     the two settings ``derive measure`` uses (``--quick`` or not)
``Settings.time_call``  time a call with a setting's samples (the GPU runs use it too)
``import_torch``        torch, or ``None`` without it; ``INSTALL_TORCH`` says how
======================  ============================================================

>>> python_call_us().median > 0, call_stack_us(1).repeat
(True, 7)

Every function takes ``settings`` (default ``QUICK``) and a ``clock`` returning integer
nanoseconds (:func:`time.perf_counter_ns`); a fake clock makes every figure exact.
torch is an optional extra (``pip install 'derive[measure]'``, the CPU build is enough
here); it is imported only inside the functions that use it.
"""

import sys
import time
from dataclasses import dataclass
from functools import partial

from .timing import time_call

__all__ = ["FULL", "INSTALL_TORCH", "QUICK", "Settings", "call_stack_300_us", "call_stack_us",
           "import_torch", "python_call_us", "torch_op_us"]

INSTALL_TORCH = "pip install 'derive[measure]'"


@dataclass(frozen=True)
class Settings:
    """How hard to measure: samples per figure, and the size of the CUDA runs."""

    repeat: int           # samples kept per figure
    warmup: int           # samples thrown away first
    min_sample_ns: int    # autorange: calls per sample until one lasts this long
    calls: int            # k: calls per CUDA chain run
    trials: int           # CUDA chain runs per n (the median total at each k is kept)
    num_ops: tuple        # the n of the CUDA chains

    def time_call(self, func, *, clock=time.perf_counter_ns, finish=None):
        """:func:`derive.measure.timing.time_call` with the samples these settings ask for.

        >>> calls = []
        >>> t = QUICK.time_call(lambda: calls.append(1), clock=lambda: len(calls) * 5_000_000)
        >>> t.median, t.repeat, t.number          # a fake clock: 5 ms = 5000 µs per call
        (Fraction(5000, 1), 7, 1)
        """
        return time_call(func, repeat=self.repeat, warmup=self.warmup,
                         min_sample_ns=self.min_sample_ns, finish=finish, clock=clock)


QUICK = Settings(repeat=7, warmup=1, min_sample_ns=2_000_000, calls=20, trials=3, num_ops=(3, 30, 300))
FULL = Settings(repeat=25, warmup=2, min_sample_ns=20_000_000, calls=50, trials=9, num_ops=(3, 30, 300))


def import_torch():
    """torch, or ``None`` when it is not installed (``INSTALL_TORCH`` says how to get it)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def _noop():
    pass


def _descend(depth):
    """A call stack ``depth`` frames deep that does nothing: the Python cost of nesting."""
    if depth > 1:
        _descend(depth - 1)


def python_call_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """A no-op Python function call, in µs per call (loop included, as in :mod:`timeit`).

    >>> python_call_us().median > 0
    True
    """
    return settings.time_call(_noop, clock=clock)


def call_stack_us(depth, settings=QUICK, *, clock=time.perf_counter_ns):
    """A no-op call stack ``depth`` frames deep, in µs per whole stack.

    >>> call_stack_us(1).repeat
    7
    """
    if isinstance(depth, bool) or not isinstance(depth, int):
        raise TypeError(f"depth must be an int >= 1, got {type(depth).__name__} {depth!r}")
    if not 1 <= depth <= sys.getrecursionlimit() // 2:
        raise ValueError(
            f"depth must be between 1 and {sys.getrecursionlimit() // 2} "
            f"(half the recursion limit), got {depth!r}"
        )
    return settings.time_call(partial(_descend, depth), clock=clock)


def call_stack_300_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """The lab's stand-in for a 300-op model step: a no-op call stack 300 deep, in µs.

    >>> call_stack_300_us().number >= 1
    True
    """
    return call_stack_us(300, settings, clock=clock)


def torch_op_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """A tiny ``torch.mm`` (4×4 by 4×4) dispatched on the CPU, in µs; ``None`` without torch.

    Nearly all of it is dispatch — argument parsing, dispatcher, allocation of the
    result — which is the CPU side of what a GPU launch costs.
    """
    torch = import_torch()
    if torch is None:
        return None
    left = torch.ones(4, 4)
    right = torch.ones(4, 4)
    return settings.time_call(partial(torch.mm, left, right), clock=clock)
