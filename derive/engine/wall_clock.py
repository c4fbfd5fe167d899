"""The wall-clock preset's ceiling, taken to its limits and inverted.

Launches plus GPU time: as the GPU work per call ``t_gpu`` grows, the launch overhead that
a graph removes matters less, and the asymptotic speedup falls from ``n`` towards 1. This
is why the lab's measured 2.5× at batch 1 fades to 1.13× at batch 64.

==============================  ======================================================
``wall_clock_limits()``         the derived ceiling as ``t_gpu → 0`` and ``t_gpu → ∞``
``gpu_launch_ratio(S, n)``      ``t_gpu/t_launch`` that explains a measured speedup ``S``
==============================  ======================================================

>>> wall_clock_limits()
Limits(launch_bound=n, gpu_bound=1)
>>> gpu_launch_ratio("2.5", n=100)
65
"""

from dataclasses import dataclass

import sympy

from .analysis import limit_of, solve_for
from .derivation import derive
from .model import Parameter
from .presets import WALL_CLOCK
from .symbols import POSITIVE_RATIONAL, speedup, t_gpu, t_launch

__all__ = ["Limits", "gpu_launch_ratio", "wall_clock_limits"]


@dataclass(frozen=True)
class Limits:
    """The wall-clock ceiling where launches dominate (``t_gpu → 0``) and where GPU work does."""

    launch_bound: sympy.Expr
    gpu_bound: sympy.Expr


def _wall_clock_ceiling(**bindings):
    return derive(WALL_CLOCK, **bindings).asymptote


def wall_clock_limits():
    """The derived wall-clock ceiling as GPU time vanishes and as it grows without bound.

    >>> wall_clock_limits()
    Limits(launch_bound=n, gpu_bound=1)
    """
    ceiling = _wall_clock_ceiling()
    return Limits(limit_of(ceiling, t_gpu, 0), limit_of(ceiling, t_gpu, "oo"))


def gpu_launch_ratio(measured=None, n=None):
    """``t_gpu/t_launch``: GPU time per call, in launches, that explains a measured speedup.

    Solves "derived ceiling = S" for ``t_gpu``. Without arguments the answer is symbolic;
    with ``measured`` (the steady-state speedup ``S``) and ``n`` it is an exact number.
    The lab's L4 figures, about 2.5× at batch 1 and 1.13× at batch 64, for ``n = 100``:

    >>> gpu_launch_ratio()
    (-S + n)/(S - 1)
    >>> gpu_launch_ratio("2.5", n=100), gpu_launch_ratio("1.13", n=100)
    (65, 9887/13)
    >>> gpu_launch_ratio(120, n=100)
    Traceback (most recent call last):
    ...
    ValueError: measured must be > 1 and at most the launch ceiling n = 100, got 120
    """
    bindings = {} if n is None else {"n": n}
    ceiling = _wall_clock_ceiling(**bindings)
    ratio = sympy.factor(sympy.cancel(solve_for(sympy.Eq(ceiling, speedup), t_gpu) / t_launch))
    if measured is None:
        return ratio
    value = WALL_CLOCK.exact_value(Parameter(speedup, POSITIVE_RATIONAL), measured)
    launch_bound = limit_of(ceiling, t_gpu, 0)
    if value.free_symbols or not (value > 1 and (launch_bound - value).is_nonnegative is not False):
        raise ValueError(f"measured must be > 1 and at most the launch ceiling n = {launch_bound}, "
                         f"got {measured}")
    return ratio.xreplace({speedup: value})
