"""The model, asked through the engine: measured eager and graph times held against it.

The ``wall-clock`` preset (:data:`derive.engine.presets.WALL_CLOCK`) adds GPU time per call to
the launch model: an eager call costs ``n·t_launch + t_gpu``, the first graph call
``c·t_launch + t_gpu``, a replay ``t_launch + t_gpu``. Given measured per-call times
or running totals, these functions find the parameters that explain them and say how
well the model then predicts every measured total.

========================  ==========================================================
name                      answers
========================  ==========================================================
``fit_wall_clock``        ``t_launch``, ``t_gpu`` and ``c`` from three per-call times
                          (→ ``WallClockFit``)
``compare_with_model``    measured eager/graph running totals against the model:
                          speedup, ``t_gpu/t_launch``, crossover measured / model /
                          lab, per-call ratio, deviation (→ ``Comparison``)
``WallClockFit``          the fitted parameters (exact ``Fraction`` µs)
``Comparison``            one ``n``: the figures above; ``as_dict()`` for JSON
``exact_figure``          a measured figure as an exact ``Fraction`` > 0, or why not
========================  ==========================================================

>>> fit_wall_clock(30, eager_call_us=170, first_call_us=470, replay_call_us=25).gpu_to_launch
Fraction(4, 1)

Pure: numbers in, exact numbers out, so everything here is tested on synthetic totals
(:mod:`derive.measure.cuda` feeds it real ones). sympy is imported on the first fit, when
the engine derives the preset; torch never.

Algorithm notes (the comparison). From the measured per-call medians — eager ``e``,
first graph call ``f``, replay ``r`` — the engine solves the model's coefficients for
``t_launch``, ``t_gpu`` and ``c`` (one exact solution for ``n ≥ 2`` and ``e ≠ r``), and
inverts its asymptote (:func:`derive.engine.wall_clock.gpu_launch_ratio`): from a measured
speedup ``S = e/r``, ``t_gpu/t_launch = (n − S)/(S − 1)``. The crossover does not
depend on ``t_gpu`` (it adds the same to both totals per call), so the model's first
winning call is the lab's ``crossover(n, c)`` at the fitted ``c``; the lab's own
headline assumes ``c = n`` (call 2). The fit is then held against every measured total:
``deviation`` is the largest relative gap between a measured total and the model's.
"""

import math
import statistics
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from numbers import Rational

from ..numeric import asymptotic_speedup, crossover, per_call_ratio
from .timing import significant

__all__ = ["Comparison", "WallClockFit", "compare_with_model", "exact_figure", "fit_wall_clock"]


@cache
def _engine():
    """The wall-clock preset's derivation, its fit and its inverse, derived and compiled once."""
    import sympy

    from ..engine.derivation import derive
    from ..engine.evaluate import compile_expression
    from ..engine.presets import WALL_CLOCK
    from ..engine.symbols import c, n, speedup, t_gpu, t_launch
    from ..engine.wall_clock import gpu_launch_ratio

    derivation = derive(WALL_CLOCK)
    eager, first, replay = sympy.symbols("e f r", positive=True)
    # The fit: eager call = b1, replay = a1, first graph call = a0 + a1 (since b0 = 0).
    b0, b1, a0, a1 = WALL_CLOCK.coefficients()
    (solution,) = sympy.solve([b1 - eager, a1 - replay, a0 + a1 - first], [t_launch, t_gpu, c], dict=True)
    fit = {name: compile_expression(sympy.cancel(solution[s]), (n, eager, first, replay))
           for name, s in (("t_launch", t_launch), ("t_gpu", t_gpu), ("c", c))}
    # The inverse of the ceiling, (n − S)/(S − 1), compiled so that it also answers for
    # a speedup beyond n (which gpu_launch_ratio refuses): compare_with_model flags those.
    ratio = compile_expression(gpu_launch_ratio(), (n, speedup))
    return derivation, fit, ratio


def exact_figure(name, value):
    """A measured figure as an exact Fraction (floats taken exactly); finite and > 0.

    >>> exact_figure("unit_us", 4.25)
    Fraction(17, 4)
    >>> exact_figure("unit_us", 0)
    Traceback (most recent call last):
    ...
    ValueError: unit_us must be > 0, got 0
    """
    if isinstance(value, bool) or not isinstance(value, (Rational, float)):
        raise TypeError(f"{name} must be a number > 0, got {type(value).__name__} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    exact = Fraction(value)
    if exact <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return exact


def _num_ops(num_ops):
    if isinstance(num_ops, bool) or not isinstance(num_ops, int):
        raise TypeError(f"num_ops must be an int >= 2, got {type(num_ops).__name__} {num_ops!r}")
    if num_ops < 2:
        raise ValueError(
            f"num_ops must be >= 2 to tell launch time from GPU time, got {num_ops!r}"
        )
    return num_ops


@dataclass(frozen=True)
class WallClockFit:
    """The wall-clock model fitted to three per-call times (µs): its parameters."""

    t_launch_us: Fraction       # time per launch
    t_gpu_us: Fraction          # GPU time per call not hidden behind launches
    capture_cost_ops: Fraction  # c: the first graph call, in launches

    @property
    def gpu_to_launch(self):
        return self.t_gpu_us / self.t_launch_us


def fit_wall_clock(num_ops, eager_call_us, first_call_us, replay_call_us):
    """The wall-clock model's ``t_launch``, ``t_gpu`` and ``c`` that give these per-call times.

    Eager call ``n·t_launch + t_gpu``, first graph call ``c·t_launch + t_gpu``, replay
    ``t_launch + t_gpu``. A measurement may land outside the model (``t_gpu < 0`` when
    a replay costs less than one eager launch); the fit says so rather than hiding it.

    >>> fit = fit_wall_clock(30, eager_call_us=170, first_call_us=470, replay_call_us=25)
    >>> fit.t_launch_us, fit.t_gpu_us, fit.capture_cost_ops
    (Fraction(5, 1), Fraction(20, 1), Fraction(90, 1))
    """
    num_ops = _num_ops(num_ops)
    eager = exact_figure("eager_call_us", eager_call_us)
    first = exact_figure("first_call_us", first_call_us)
    replay = exact_figure("replay_call_us", replay_call_us)
    if eager <= replay:
        raise ValueError(
            f"eager_call_us must exceed replay_call_us for a launch to cost time, "
            f"got eager_call_us={eager_call_us!r} and replay_call_us={replay_call_us!r}"
        )
    fit = _engine()[1]
    args = (num_ops, eager, first, replay)
    return WallClockFit(*(Fraction(fit[name](*args)) for name in ("t_launch", "t_gpu", "c")))


@dataclass(frozen=True)
class Comparison:
    """Measured eager and graph totals of ``calls`` calls of an ``num_ops``-op chain,
    held against the model. Times in µs; ``None`` where a figure does not exist."""

    num_ops: int
    calls: int
    eager_call_us: Fraction          # median eager call
    first_call_us: Fraction          # the first graph call: warm-up, capture, first replay
    replay_call_us: Fraction         # median replay
    speedup: Fraction                # eager call / replay: the measured per-call speedup
    ceiling: int                     # the launch model's asymptotic speedup, n
    gpu_to_launch: object            # t_gpu/t_launch from the speedup, or None
    fit: object                      # WallClockFit, or None
    crossover_measured: object       # first call with graph total < eager total, None: not within calls
    crossover_model: object          # crossover(n, fitted c); None: never or no fit
    crossover_lab: object            # crossover(n): the lab's c = n
    ratio_measured: Fraction         # E(calls)/G(calls), measured
    ratio_wall_clock: object         # the same, predicted by the fitted wall-clock model
    ratio_launch: object             # the same, predicted by the launch model at the fitted c
    deviation: object                # largest relative gap between measured and fitted totals
    notes: tuple = ()

    def as_dict(self):
        fit = self.fit
        return {
            "num_ops": self.num_ops,
            "calls": self.calls,
            "eager_call_us": significant(self.eager_call_us),
            "first_call_us": significant(self.first_call_us),
            "replay_call_us": significant(self.replay_call_us),
            "speedup": {"measured": significant(self.speedup), "ceiling": self.ceiling},
            "t_gpu_over_t_launch": significant(self.gpu_to_launch),
            "fit": None if fit is None else {
                "t_launch_us": significant(fit.t_launch_us),
                "t_gpu_us": significant(fit.t_gpu_us),
                "capture_cost_ops": significant(fit.capture_cost_ops),
            },
            "crossover": {
                "measured": self.crossover_measured,
                "model": self.crossover_model,
                "lab": self.crossover_lab,
            },
            "per_call_ratio": {
                "measured": significant(self.ratio_measured),
                "wall_clock": significant(self.ratio_wall_clock),
                "launch_model": significant(self.ratio_launch),
            },
            "deviation": significant(self.deviation, 3),
            "notes": list(self.notes),
        }


def _totals(name, values):
    values = tuple(exact_figure(name, v) for v in values)
    if any(later < earlier for earlier, later in zip(values, values[1:])):
        raise ValueError(f"{name} must be running totals (never decreasing), got {list(values)}")
    return values


def compare_with_model(num_ops, eager_totals_us, graph_totals_us):
    """Hold the measured running totals of eager and graph calls against the model.

    ``eager_totals_us[i]`` and ``graph_totals_us[i]`` are the totals after call ``i + 1``.
    Synthetic totals drawn from the wall-clock model come back exactly:

    >>> eager = [170 * k for k in range(1, 7)]
    >>> graph = [470 + 25 * (k - 1) for k in range(1, 7)]
    >>> cmp = compare_with_model(30, eager, graph)
    >>> cmp.crossover_measured, cmp.crossover_model, cmp.crossover_lab
    (4, 4, 2)
    >>> cmp.speedup, cmp.gpu_to_launch, cmp.deviation
    (Fraction(34, 5), Fraction(4, 1), Fraction(0, 1))
    """
    num_ops = _num_ops(num_ops)
    eager = _totals("eager_totals_us", eager_totals_us)
    graph = _totals("graph_totals_us", graph_totals_us)
    if len(eager) != len(graph) or len(eager) < 2:
        raise ValueError(
            "eager_totals_us and graph_totals_us must hold the same number (>= 2) of totals, "
            f"got {len(eager)} and {len(graph)}"
        )
    calls = len(eager)
    eager_call = Fraction(statistics.median(_steps(eager)))
    replay_call = Fraction(statistics.median(_steps(graph)[1:]))
    first_call = graph[0]
    speedup = eager_call / replay_call
    measured = next((i + 1 for i in range(calls) if graph[i] < eager[i]), None)
    notes = []

    fit = ratio = None
    if speedup > 1:
        fit = fit_wall_clock(num_ops, eager_call, first_call, replay_call)
        ratio = Fraction(_engine()[2](num_ops, speedup))
        if fit.t_gpu_us < 0:
            notes.append(f"speedup {float(speedup):.4g} exceeds the ceiling n = {num_ops}: "
                         "the fit has t_gpu < 0, outside the model")
    else:
        notes.append(f"speedup {float(speedup):.4g} <= 1: a replay is no faster than an eager "
                     "call, so launch time and GPU time cannot be told apart")

    model_first = ratio_wall = ratio_launch = deviation = None
    if fit is not None and fit.capture_cost_ops > 0:
        model_first = crossover(num_ops, fit.capture_cost_ops)
        ratio_launch = per_call_ratio(num_ops, calls, fit.capture_cost_ops)
        predict = _predictor(num_ops, fit)
        ratio_wall = predict("per_call_ratio", calls)
        deviation = max(
            abs(total - predict(which, i + 1)) / predict(which, i + 1)
            for which, totals in (("baseline", eager), ("amortized", graph))
            for i, total in enumerate(totals)
        )
    elif fit is not None:
        notes.append("the first graph call costs less than the GPU time of one call: "
                     "the fitted capture cost is not > 0, outside the model")
    return Comparison(
        num_ops=num_ops, calls=calls,
        eager_call_us=eager_call, first_call_us=first_call, replay_call_us=replay_call,
        speedup=speedup, ceiling=asymptotic_speedup(num_ops), gpu_to_launch=ratio, fit=fit,
        crossover_measured=measured, crossover_model=model_first,
        crossover_lab=crossover(num_ops),
        ratio_measured=eager[-1] / graph[-1], ratio_wall_clock=ratio_wall, ratio_launch=ratio_launch,
        deviation=deviation, notes=tuple(notes),
    )


def _steps(totals):
    """The cost of each call: differences of running totals (the first is the first total)."""
    return [later - earlier for earlier, later in zip((0,) + totals[:-1], totals)]


def _predictor(num_ops, fit):
    """``predict(quantity, k)`` from the wall-clock derivation at the fitted parameters."""
    derivation = _engine()[0]
    values = {"n": num_ops, "c": fit.capture_cost_ops,
              "t_launch": fit.t_launch_us, "t_gpu": fit.t_gpu_us}
    args = [values[p.name] for p in derivation.model.parameters]

    def predict(quantity, k):
        return Fraction(derivation.function(quantity)(*args, k))
    return predict
