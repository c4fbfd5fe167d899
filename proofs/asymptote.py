"""The ceiling: E(k)/G(k) tends to n, whatever the capture cost, and how it gets there.

sympy takes the limit and the derivative; z3 proves the statements quantified over the
integers and rationals. Each check starts from the engine's derivation.
"""

import sympy
import z3

from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, k, n
from derive.prove import ProofIncomplete, theorem

from ._solver import Space, counterexample, crossover_terms, difference, lab, selects

_t = sympy.Symbol("t", positive=True)            # a positive gap, for the three signs
_x = sympy.Symbol("x", positive=True)            # k as a real number, for the limit
_u = sympy.Symbol("u", nonnegative=True)         # k = 1 + u, any real k >= 1


@theorem(
    "asymptote",
    claim="As the calls go on, eager launches per graph launch tend to the number of ops n, "
          "for every positive capture cost.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0}:"
              r"\quad \lim_{k \to \infty} \frac{E(k)}{G(k)} = n",
    method="sympy: limit of the engine's ratio; it equals its asymptote and n",
)
def asymptote():
    d = lab()
    ratio = d.per_call_ratio.subs(k, _x)
    limit = sympy.limit(ratio, _x, sympy.oo)
    return difference(limit, n) or difference(d.asymptote, limit)


@theorem(
    "capture-moves-crossover",
    claim="The capture cost moves the crossover, never the ceiling: the asymptote does not "
          "depend on c, while n − 1 more launches of capture push the crossover one call later.",
    statement=r"\frac{\partial}{\partial c} \lim_{k \to \infty} \frac{E(k)}{G(k)} = 0,"
              r"\quad \forall n \in \mathbb{Z}_{\geq 2},\ c \in \mathbb{Q}_{\geq 1}:"
              r"\ k_\times(n, c + n - 1) = k_\times(n, c) + 1",
    method="sympy: the asymptote is free of c; z3 on the engine's crossover",
)
def capture_moves_crossover():
    d = lab()
    if sympy.diff(d.asymptote, c) != 0:
        return {"asymptote": d.asymptote}
    space = Space({n: Domain("integer", 2), c: Domain("rational", 1)})
    first, never = crossover_terms(d, space)
    later, later_never = crossover_terms(d, space, {c: space[c] + space[n] - 1})
    return counterexample(space, z3.And(
        z3.Not(never), z3.Not(later_never), later == first + 1,
    ))


@theorem(
    "approach-below",
    claim="The ratio E(k)/G(k) stays below its ceiling n at every call exactly when the "
          "capture costs more than one launch, as the engine's approach says.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0}:"
              r"\quad \left(\forall k \in \mathbb{Z}_{\geq 1}:\ \frac{E(k)}{G(k)} < n\right)"
              r" \Leftrightarrow c > 1",
    method="z3 (integers, rationals): ratio < n iff c > 1 iff the engine says below",
)
def approach_below():
    d = lab()
    space = Space({n: COUNT, c: POSITIVE_RATIONAL, k: COUNT})
    below = space.term(d.per_call_ratio) < space.term(d.asymptote)
    return counterexample(space, z3.And(
        below == (space[c] > 1),
        below == selects(d.approach, "below", space),
    ))


@theorem(
    "approach-rising",
    claim="The ratio E(k)/G(k) strictly increases with k exactly when c > 1; it is constant "
          "when c = 1 and falls when c < 1: its derivative has the sign of c − 1.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0},\ k \geq 1:"
              r"\quad \mathrm{sgn}\,\frac{d}{dk}\frac{E(k)}{G(k)} = \mathrm{sgn}(c - 1)",
    method="sympy: sign of the derivative for c > 1, c = 1, c < 1, every real k >= 1",
)
def approach_rising():
    slope = sympy.diff(lab().per_call_ratio, k).subs(k, 1 + _u)    # every real k >= 1
    signs = {
        "c > 1": (slope.subs(c, 1 + _t), "is_positive"),
        "c = 1": (slope.subs(c, 1), "is_zero"),
        "c < 1": (slope.subs(c, 1 / (1 + _t)), "is_negative"),
    }
    for case, (value, fact) in signs.items():
        value = sympy.factor(sympy.together(value))
        verdict = getattr(value, fact)
        if verdict is None:
            raise ProofIncomplete(f"sympy cannot tell whether {value} {fact[3:]} when {case}")
        if verdict is False:
            return {"case": case, "derivative": value, "expected": fact[3:]}
    return None
