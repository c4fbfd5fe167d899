"""The general theorem behind the engine: any two totals affine in ``k``.

The engine (:mod:`derive.engine.derivation`) answers for every model ``B(k) = b0 + b1·k``
(baseline) against ``A(k) = a0 + a1·k`` (amortized), not only the lab's. These checks
hand it a model whose four coefficients range over *all* rationals and prove what it
derives, case by case, with z3 and sympy.

A parameter's domain is bounded below, so each coefficient is written as a positive
rational less a common positive shift: ``b0 = p_b0 − q`` and so on. Every four rationals
are reached this way (take ``q`` above the largest of their negatives, then each
``p = coefficient + q > 0``), so "for all p and q" covers every pair of affine totals.
"""

from functools import cache

from derive.engine.derivation import derive
from derive.engine.model import Model, Parameter
from derive.engine.symbols import POSITIVE_RATIONAL, k
from derive.prove import theorem

from ._solver import Space, counterexample, difference, least_claim

_COEFFICIENTS = ("b0", "b1", "a0", "a1")


@cache
def _general():
    """The engine's derivation of the affine model with every coefficient a free rational."""
    shift = POSITIVE_RATIONAL.symbol("q")
    raised = [POSITIVE_RATIONAL.symbol(f"p_{name}") for name in _COEFFICIENTS]
    b0, b1, a0, a1 = (p - shift for p in raised)
    model = Model(
        name="affine",
        title="two totals affine in k, any rational coefficients",
        baseline=b0 + b1 * k,
        amortized=a0 + a1 * k,
        parameters=(*(Parameter(p, POSITIVE_RATIONAL, f"{name} + q") for name, p in zip(_COEFFICIENTS, raised)),
                    Parameter(shift, POSITIVE_RATIONAL, "the common shift")),
    )
    return derive(model), (b0, b1, a0, a1)


@theorem(
    "engine-crossover",
    claim="For any two totals affine in the number of calls, the engine's crossover cases give "
          "the least call k >= 1 at which the amortized total is strictly below the baseline, "
          "or never when there is none.",
    # Least-ness only: when the amortized total grows faster (a_1 > b_1) it can win at
    # first and lose later, so "wins iff k >= k_x" holds only when the saving b_1 - a_1 >= 0.
    statement=r"\forall b_0, b_1, a_0, a_1 \in \mathbb{Q}:\quad "
              r"k_\times = \min\,\{k \in \mathbb{Z}_{\geq 1} : A(k) < B(k)\},"
              r"\quad \min \emptyset = \infty",
    method="z3 (rationals, integers) on the engine's cases for any affine totals",
)
def engine_crossover():
    d, _ = _general()
    space = Space({**d.model.domains})
    found = counterexample(space, least_claim(d, space))
    return None if found is None else _coefficients(found)


@theorem(
    "engine-break-even",
    claim="Where the per-call costs differ, the engine's break-even root is where the two "
          "totals are equal.",
    statement=r"b_1 \neq a_1 \Rightarrow A(k^*) = B(k^*),\quad k^* = \frac{a_0 - b_0}{b_1 - a_1}",
    method="sympy: both totals at the engine's root; the root is u/s",
)
def engine_break_even():
    d, (b0, b1, a0, a1) = _general()
    return (
        difference((d.baseline - d.amortized).subs(k, d.break_even), 0)
        or difference(d.break_even, (a0 - b0) / (b1 - a1))
    )


def _coefficients(found):
    """A counterexample in the coefficients' own terms."""
    values = {name: found[f"p_{name}"] - found["q"] for name in _COEFFICIENTS}
    values.update({name: value for name, value in found.items() if name == "k"})
    return values
