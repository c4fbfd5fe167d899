"""Evenly spaced rungs under uniform traffic: the closed form, and how near the optimum is.

With every batch size ``1 … M`` equally likely and ``r`` rungs at ``M/r, 2M/r, …, M``,
each segment holds ``w = M/r`` batch sizes padded to its top rung, so (sympy derives
these from the sums; they are exact whenever ``r`` divides ``M``)

    expected step  = t_launch + g0 + g1·M·(r + 1)/(2r)
    capture time   = capture_passes·(r·(n·t_launch + g0) + g1·M·(r + 1)/2)
    memory         = r·m0 + m1·M·(r + 1)/2
    total T(r)     = steps·expected step + capture time.

Padding waste falls like ``1/r`` and capture time grows like ``r``; ``T`` is convex in
``r > 0`` and least at

    r* = sqrt( steps·g1·M / (capture_passes·(2·(n·t_launch + g0) + g1·M)) ),

while the budget allows ``r ≤ (budget − m1·M/2)/(m0 + m1·M/2)``. The best whole number
of evenly spaced rungs is ``⌊r*⌋`` or ``⌈r*⌉``, clipped to what fits.

=========================  ==========================================================
``evenly_spaced_ladder``   ``⌈i·M/r⌉`` for ``i = 1 … r``: the integer ladder of the form
``closed_form``            the symbolic ``T(r)``, its parts and ``r*`` (sympy, cached)
``total_time_function``    ``T(r)`` at a config's numbers, exact (compiled, no sympy calls)
``compare_closed_form``    for a uniform config: ``r*``, the best ``r``, ``T`` there, and
                           the exact optimum beside it
``closed_form_text``       that comparison as a few lines of text

=========================  ==========================================================
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .pricing import evaluate_ladder, optimal_ladder

__all__ = ["ClosedForm", "ClosedFormComparison", "closed_form", "closed_form_text",
           "compare_closed_form", "evenly_spaced_ladder", "total_time_function"]


def evenly_spaced_ladder(max_batch, rungs):
    """``r`` rungs ``⌈i·max_batch/r⌉``, ``i = 1 … r``: evenly spaced, the top at ``max_batch``.

    >>> evenly_spaced_ladder(512, 4), evenly_spaced_ladder(10, 3)
    ((128, 256, 384, 512), (4, 7, 10))
    """
    for name, value in (("max_batch", max_batch), ("rungs", rungs)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if rungs > max_batch:
        raise ValueError(f"rungs must be <= max_batch={max_batch}, got {rungs}")
    return tuple(-(-i * max_batch // rungs) for i in range(1, rungs + 1))


@dataclass(frozen=True)
class ClosedForm:
    """The symbolic cost of ``r`` evenly spaced rungs (sympy expressions) and ``symbols``,
    the dict of the symbols they use by config name (``max_batch`` is ``M``)."""

    expected_step_time: object
    capture_time: object
    memory: object
    total_time: object
    r_star: object
    r_memory: object
    symbols: dict


@lru_cache(maxsize=1)
def closed_form():
    """Derive ``T(r)`` and ``r*`` with sympy from the sums over the segments.

    >>> form = closed_form()
    >>> form.r_star
    sqrt(M)*sqrt(g1)*sqrt(steps)/(sqrt(capture_passes)*sqrt(M*g1 + 2*g0 + 2*n*t_launch))
    >>> form.memory
    M*m1*r/2 + M*m1/2 + m0*r
    """
    import sympy

    names = ("M", "r", "steps", "n", "t_launch", "g0", "g1", "m0", "m1", "capture_passes",
             "memory_budget")
    M, r, steps, n, tl, g0, g1, m0, m1, cp, budget = sympy.symbols(names, positive=True)
    i = sympy.Symbol("i", integer=True, positive=True)
    w = M / r                                             # batch sizes per segment
    # segment i: w batch sizes, each padded to the rung i·w, each of probability 1/M
    expected = sympy.summation(w * (tl + g0 + g1 * i * w), (i, 1, r)) / M
    capture = sympy.summation(cp * (n * tl + g0 + g1 * i * w), (i, 1, r))
    memory = sympy.summation(m0 + m1 * i * w, (i, 1, r))
    total = steps * expected + capture
    roots = sympy.solve(sympy.diff(total, r), r)
    (r_star,) = [root for root in roots if root.is_positive]
    (r_memory,) = sympy.solve(sympy.Eq(memory, budget), r)
    symbols = dict(zip(("max_batch", "r", "steps", "n", "t_launch", "g0", "g1", "m0", "m1",
                        "capture_passes", "memory_budget"),
                       (M, r, steps, n, tl, g0, g1, m0, m1, cp, budget)))
    expected = g0 + tl + sympy.simplify(expected - g0 - tl)
    capture, memory = sympy.expand(capture), sympy.expand(memory)
    return ClosedForm(expected, capture, memory, steps * expected + capture, r_star, r_memory,
                      symbols)


@dataclass(frozen=True)
class ClosedFormComparison:
    """The closed form at a config, beside the exact optimum.

    ``r_star`` is the real minimizer (a sympy number, ``oo`` if capture is free);
    ``r_memory`` the largest real ``r`` that fits the budget (``None``: no limit);
    ``best_r`` the best whole number of evenly spaced rungs that fits (``None`` if even
    one does not); ``total_time`` is ``T(best_r)`` from the formula, ``evenly_spaced``
    the exact cost of the integer ladder ``evenly_spaced_ladder(M, best_r)``, and
    ``optimum`` the exact optimum (a :class:`~derive.ladder.pricing.LadderCost`).
    """

    r_star: object
    r_memory: object
    best_r: object
    total_time: object
    evenly_spaced: object
    optimum: object

    @property
    def optimum_ratio(self):
        """Exact optimum's total time over the closed form's ``T(best_r)``."""
        if self.total_time is None or not self.total_time:
            return None
        return self.optimum.total_time / self.total_time


def _values(config):
    """The config's numbers by the closed form's symbols, as exact sympy Rationals."""
    import sympy

    g0, g1 = config.t_gpu
    m0, m1 = config.graph_memory
    named = {"max_batch": config.max_batch, "steps": config.steps, "n": config.n,
             "t_launch": config.t_launch, "g0": g0, "g1": g1, "m0": m0, "m1": m1,
             "capture_passes": config.capture_passes, "memory_budget": config.memory_budget}
    symbols = closed_form().symbols
    return {symbols[name]: sympy.Rational(Fraction(value).numerator, Fraction(value).denominator)
            for name, value in named.items()}


def total_time_function(config):
    """``T(r)`` at the config's numbers as an exact function of ``r`` (int or Fraction).

    >>> from derive.ladder import LadderConfig
    >>> config = LadderConfig(max_batch=64, traffic="uniform", n=30, t_launch=1,
    ...                       t_gpu=(10, 1), graph_memory=(0, 0), memory_budget=0,
    ...                       capture_passes=1, steps=1000)
    >>> total_time_function(config)(16)      # 1000·(11 + 64·17/32) + (16·40 + 64·17/2)
    46184
    """
    from ..engine.evaluate import compile_expression

    form = closed_form()
    return compile_expression(form.total_time.subs(_values(config)), (form.symbols["r"],))


def _to_fraction(number):
    return Fraction(int(number.p), int(number.q))


def compare_closed_form(config, optimum=None):
    """Evaluate the closed form for a config with uniform traffic and set the exact
    optimum beside it (``optimum``: an already computed one, to save the search).

    >>> from derive.ladder import LadderConfig
    >>> config = LadderConfig(max_batch=64, traffic="uniform", n=30, t_launch=1,
    ...                       t_gpu=(10, 1), graph_memory=(0, 0), memory_budget=0,
    ...                       capture_passes=1, steps=1000)
    >>> result = compare_closed_form(config)
    >>> result.r_star, result.best_r, result.total_time, result.optimum.total_time
    (20*sqrt(10)/3, 21, Fraction(967424, 21), Fraction(46060, 1))
    >>> result.evenly_spaced.total_time, float(result.optimum_ratio)  # doctest: +ELLIPSIS
    (Fraction(184341, 4), 0.999830...)
    """
    if not config.uniform:
        raise ValueError('the closed form needs traffic = "uniform", got a table of weights')
    form = closed_form()
    r_star = _r_star(config, form, _values(config))
    r_memory = _r_memory(config)
    top = config.max_batch if r_memory is None else min(config.max_batch, math.floor(r_memory))
    best_r = total = evenly = None
    if top >= 1:
        candidates = {max(1, min(top, k)) for k in _around(r_star, top)}
        cost = total_time_function(config)
        best_r = min(sorted(candidates), key=cost)
        total = cost(best_r)
        evenly = evaluate_ladder(config, evenly_spaced_ladder(config.max_batch, best_r))
    optimum = optimal_ladder(config) if optimum is None else optimum
    return ClosedFormComparison(r_star, r_memory, best_r, total, evenly, optimum)


def _r_star(config, form, values):
    """``r*`` at the config's numbers (``oo`` when capture is free)."""
    import sympy

    g0, g1 = config.t_gpu
    slope = config.capture_passes * (2 * (config.n * config.t_launch + g0) + g1 * config.max_batch)
    if slope == 0:                                        # capture is free: more is better
        return sympy.oo if g1 else sympy.Integer(0)
    return sympy.simplify(form.r_star.subs(values))


def _r_memory(config):
    m0, m1 = config.graph_memory
    per_rung = m0 + m1 * config.max_batch / 2
    if per_rung == 0:
        return None
    return (config.memory_budget - m1 * config.max_batch / 2) / per_rung


def _around(r_star, top):
    """⌊r*⌋ and ⌈r*⌉ exactly (r*² is rational), or ``top`` when r* is infinite."""
    import sympy

    if r_star is sympy.oo:
        return (top,)
    square = Fraction(_to_fraction(sympy.Rational(r_star ** 2)))
    low = math.isqrt(square.numerator * square.denominator) // square.denominator
    return (low, low + 1)


def closed_form_text(comparison):
    """A comparison as text lines: the formula's answer, then the exact optimum's."""
    form, best = closed_form(), comparison.optimum
    lines = ["closed form, r evenly spaced rungs under uniform traffic (M = max_batch):",
             f"  T(r) = steps*({form.expected_step_time}) + {form.capture_time}",
             f"  r* = {form.r_star}",
             f"     = {comparison.r_star} ~ {float(comparison.r_star):.6g}"]
    if comparison.r_memory is not None:
        lines.append(f"  the budget allows r <= {float(comparison.r_memory):.6g}")
    if comparison.best_r is None:
        lines.append("  no evenly spaced ladder fits the budget")
        return lines
    lines += [f"  best whole r = {comparison.best_r}: T = {float(comparison.total_time):.6g} "
              f"(the integer ladder: {float(comparison.evenly_spaced.total_time):.6g})",
              f"  exact optimum: {len(best.rungs)} rungs, T = {float(best.total_time):.6g}, "
              f"{float(comparison.optimum_ratio):.6f} x the closed form's best"]
    return lines
