"""The presets beyond the lab: every ceiling a limit, wall-clock's bounds, fusion, composition.

Each check starts from what the engine derives for a model of :mod:`derive.engine.presets`
(looked up when the check runs, so a changed preset is what gets proved); sympy takes
the limits and derivatives, z3 proves the signs over the parameters' domains.

Algorithm notes. The derivations are the expensive part (the engine's case analysis takes
a tenth of a second or more per model), so each preset is derived once and shared by the
theorems here, and derived again only if the preset has been replaced. The fusion theorem
uses the composite's own derivation, not its two stages': that the stages' ceilings
multiply to the composite's is the composition theorem, proved for every chain of totals
with positive coefficients.
"""

import sympy
import z3

from derive.engine import presets  # its names looked up when a check runs
from derive.engine.analysis import limit_of
from derive.engine.derivation import derive
from derive.engine.model import Model, Parameter
from derive.engine.symbols import (
    COUNT,
    NONNEGATIVE_RATIONAL,
    POSITIVE_RATIONAL,
    f,
    k,
    n,
    t_gpu,
    t_launch,
)
from derive.prove import theorem

from ._solver import Space, counterexample, difference, lab

_x = sympy.Symbol("x", positive=True)            # k as a real number, for the limit

_DERIVED = {}                                    # preset name -> its derivation


def _derived(name):
    """The engine's derivation of the preset called ``name``, derived once per preset model
    (the lab's shared with the other subjects)."""
    model = presets.preset(name)
    known = _DERIVED.get(name)
    if known is None or known.model is not model:
        known = _DERIVED[name] = lab() if lab().model is model else derive(model)
    return known


@theorem(
    "preset-ceilings",
    claim="For every preset, the ratio of the baseline total to the amortized total after k "
          "calls tends, as the calls go on, to the ceiling the engine derives: the ratio of "
          "the per-call costs.",
    statement=r"\forall P \in \mathrm{presets}:\quad \lim_{k \to \infty} \frac{B_P(k)}{A_P(k)}"
              r" = C_P = \frac{b_1}{a_1}",
    method="sympy: limit of each preset's derived ratio = its derived ceiling = b1/a1",
)
def preset_ceilings():
    for name in presets.PRESETS:
        d = _derived(name)
        _, b1, _, a1 = d.model.coefficients()
        limit = sympy.limit(d.per_call_ratio.subs(k, _x), _x, sympy.oo)
        wrong = difference(d.asymptote, limit) or difference(b1 / a1, limit)
        if wrong:
            return {"preset": name, **wrong}
    return None


# -- wall-clock: GPU time dilutes the ceiling from n towards 1 ---------------------------

_T = r"t_{\mathrm{gpu}}"
_L = r"t_{\mathrm{launch}}"


def _wall_clock(gpu_domain):
    """The engine's wall-clock ceiling and the z3 space of its parameters."""
    space = Space({n: COUNT, t_launch: POSITIVE_RATIONAL, t_gpu: gpu_domain})
    return _derived("wall-clock").asymptote, space


@theorem(
    "wall-clock-ceiling-falls",
    claim="On the clock, GPU work dilutes what the graph gains: the wall-clock ceiling strictly "
          "falls as the GPU time per call grows when the model has two ops or more, and does "
          "not move for a single op.",
    statement=rf"\forall {_L} > 0,\ {_T} \geq 0:\quad \frac{{\partial C}}{{\partial {_T}}}"
              rf" = -\frac{{(n - 1)\,{_L}}}{{({_L} + {_T})^2}} \leq 0,"
              rf"\quad \frac{{\partial C}}{{\partial {_T}}} = 0 \Leftrightarrow n = 1",
    method="sympy: derivative of the engine's ceiling; z3 (integers, rationals): its sign",
)
def wall_clock_ceiling_falls():
    ceiling, space = _wall_clock(NONNEGATIVE_RATIONAL)
    slope = sympy.factor(sympy.diff(ceiling, t_gpu))
    term = space.term(slope)
    return (
        difference(slope, -(n - 1) * t_launch / (t_launch + t_gpu) ** 2)
        or counterexample(space, z3.If(space[n] >= 2, term < 0, term == 0))
    )


@theorem(
    "wall-clock-limits",
    claim="The wall-clock ceiling tends to the launch ceiling n as the GPU time vanishes and "
          "to 1 as it dominates; for two ops or more it lies strictly between the two at every "
          "positive GPU time, reaching neither.",
    statement=rf"\lim_{{{_T} \to 0^+}} C = n,\quad \lim_{{{_T} \to \infty}} C = 1,"
              rf"\quad \forall n \in \mathbb{{Z}}_{{\geq 2}},\ {_L}, {_T} \in \mathbb{{Q}}_{{>0}}:"
              rf"\ 1 < C < n",
    method="sympy: limits of the engine's ceiling; z3 (integers, rationals): 1 < C < n",
)
def wall_clock_limits():
    ceiling, space = _wall_clock(POSITIVE_RATIONAL)
    term = space.term(ceiling)
    return (
        difference(limit_of(ceiling, t_gpu, 0), n)
        or difference(limit_of(ceiling, t_gpu, "oo"), 1)
        or counterexample(space, z3.Implies(space[n] >= 2, z3.And(1 < term, term < space[n])))
    )


# -- fusion, and chains of improvements in general ------------------------------------

@theorem(
    "fusion-ceiling",
    claim="Fusing the ops by a factor f before capture leaves the ceiling at n for every f — "
          "fusion gains f and leaves the graph n/f — while f does move the break-even.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 1},\ f \in \mathbb{Q}_{\geq 1}:\quad"
              r" \lim_{k \to \infty} \frac{k\,n}{n/f + k - 1} = f \cdot \frac{n}{f} = n,"
              r"\quad \frac{\partial C}{\partial f} = 0 \neq \frac{\partial k^*}{\partial f}",
    method="sympy: the engine's ceiling is n, free of f, its break-even not; stages f, n/f",
)
def fusion_ceiling():
    d = _derived("fusion")
    eager_vs_fused, fused_vs_graph = presets.FUSION_STAGES
    chained = (d.model.baseline == eager_vs_fused.baseline
               and d.model.amortized == fused_vs_graph.amortized
               and sympy.expand(eager_vs_fused.amortized - fused_vs_graph.baseline) == 0)
    if not chained:
        return {"baseline": d.model.baseline, "amortized": d.model.amortized}
    if sympy.diff(d.break_even, f) == 0:
        return {"break_even": d.break_even}
    slopes = [model.coefficients()[1::2] for model in (eager_vs_fused, fused_vs_graph)]
    gains = [baseline / amortized for baseline, amortized in slopes]
    return (
        difference(d.asymptote, n)
        or difference(sympy.diff(d.asymptote, f), 0)
        or difference(gains[0], f)
        or difference(gains[1], n / f)
    )


_CHAIN = tuple(POSITIVE_RATIONAL.symbol(name) for name in ("b0", "b1", "y0", "y1", "a0", "a1"))


def _model(name, baseline, amortized):
    symbols = sorted((baseline.free_symbols | amortized.free_symbols) - {k}, key=_CHAIN.index)
    return Model(name, baseline, amortized, tuple(Parameter(s, POSITIVE_RATIONAL) for s in symbols))


@theorem(
    "ceilings-multiply",
    claim="Two improvements in a row multiply their ceilings: when the first model's amortized "
          "total is the second's baseline, the ceiling the engine derives for the chain is the "
          "product of the two ceilings, for any totals with positive coefficients.",
    statement=r"\forall b_i, y_i, a_i \in \mathbb{Q}_{>0}:\quad"
              r" C(B, A) = C(B, Y)\,C(Y, A) = \frac{b_1}{a_1},\quad X(k) = x_0 + x_1 k",
    method="sympy: the engine's ceilings of two models and of their compose()",
)
def ceilings_multiply():
    b0, b1, y0, y1, a0, a1 = _CHAIN
    first = _model("first", b0 + b1 * k, y0 + y1 * k)
    second = _model("second", y0 + y1 * k, a0 + a1 * k)
    chain = presets.compose(first, second, name="chain")
    ceilings = [derive(model).asymptote for model in (first, second, chain)]
    return difference(ceilings[2], ceilings[0] * ceilings[1]) or difference(ceilings[2], b1 / a1)
