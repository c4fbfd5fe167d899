"""The crossover: the first call at which the graph total is strictly below the eager one.

Every statement here quantifies over all integers ``n``, ``k`` and all rationals ``c``
in their domains, and is proved by z3 on the engine's own answer: the checks derive the
model with :func:`derive.engine.derivation.derive` and translate its crossover cases.
"""

import sympy
import z3

from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, k, n
from derive.prove import theorem

from ._solver import Space, counterexample, crossover_terms, lab, least_claim, wins

SEVERAL_OPS = Domain("integer", 2)       # n ≥ 2


@theorem(
    "crossover-rule",
    claim="For a model of two or more ops, the graph is strictly cheaper at call k exactly "
          "when k is at least max(1, ⌊(c − 1)/(n − 1)⌋ + 1), and that is what the engine derives.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 2},\ k \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0}:"
              r"\quad G(k) < E(k) \Leftrightarrow k \geq"
              r" \max\left(1, \left\lfloor \frac{c - 1}{n - 1} \right\rfloor + 1\right)",
    method="z3 (integers, rationals) on the engine's crossover cases",
)
def crossover_rule():
    d = lab()
    space = Space({n: SEVERAL_OPS, c: POSITIVE_RATIONAL, k: COUNT})
    rule = space.term(sympy.Max(1, sympy.floor((c - 1) / (n - 1)) + 1))
    first, never = crossover_terms(d, space)
    return counterexample(space, z3.And(
        wins(d, space, space[k]) == (space[k] >= rule),
        z3.Not(never),
        first == rule,
    ))


@theorem(
    "crossover-least",
    claim="For every n ≥ 1 and c > 0, the engine's crossover is the least call that wins: it "
          "wins, every earlier call loses or ties, every later one wins; and when it says never, "
          "no call ever wins.",
    statement=r"k_\times = \min\{k \in \mathbb{Z}_{\geq 1} : G(k) < E(k)\}\ (\text{never if none}),"
              r"\quad k \geq k_\times \Rightarrow G(k) < E(k)",
    method="z3 (integers, rationals) on the engine's crossover cases",
)
def crossover_least():
    d = lab()
    space = Space({n: COUNT, c: POSITIVE_RATIONAL, k: COUNT})
    first, never = crossover_terms(d, space)
    stays = z3.Implies(z3.And(z3.Not(never), space[k] >= first), wins(d, space, space[k]))
    return counterexample(space, z3.And(least_claim(d, space), stays))


@theorem(
    "tie-then-ahead",
    claim="When the capture costs one eager pass (c = n) and n > 1, the totals tie at the "
          "first call and the graph is ahead from the second call on.",
    statement=r"c = n,\ \forall n \in \mathbb{Z}_{\geq 2},\ k \in \mathbb{Z}_{\geq 2}:"
              r"\quad G(1) = E(1),\quad G(k) < E(k),\quad k_\times = 2",
    method="z3 (integers) on the engine's derivation with c = n",
)
def tie_then_ahead():
    d = lab(c="n")
    space = Space({n: SEVERAL_OPS, k: COUNT})
    first, never = crossover_terms(d, space)
    one = z3.IntVal(1)
    return counterexample(space, z3.And(
        space.term(d.amortized, {k: one}) == space.term(d.baseline, {k: one}),
        z3.Implies(space[k] >= 2, wins(d, space, space[k])),
        z3.Not(never),
        first == 2,
    ))


@theorem(
    "single-op",
    claim="A one-op model gains one launch per call either way: the graph never wins when "
          "the capture costs at least one launch, and wins from the first call when it costs less.",
    statement=r"n = 1,\ \forall k \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0}:"
              r"\quad c \geq 1 \Rightarrow G(k) \geq E(k),\quad c < 1 \Rightarrow G(k) < E(k)",
    method="z3 (integers, rationals) on the engine's derivation with n = 1",
)
def single_op():
    d = lab(n=1)
    space = Space({c: POSITIVE_RATIONAL, k: COUNT})
    first, never = crossover_terms(d, space)
    at_k = wins(d, space, space[k])
    big = space[c] >= 1
    return counterexample(space, z3.And(
        z3.Implies(big, z3.Not(at_k)),
        z3.Implies(z3.Not(big), at_k),
        never == big,
        z3.Implies(z3.Not(never), first == 1),
    ))


def _at_most(first, never, other_first, other_never):
    """``first ≤ other_first`` where "never" counts as later than every call."""
    return z3.Or(other_never, z3.And(z3.Not(never), first <= other_first))


@theorem(
    "crossover-monotone",
    claim="A dearer capture never makes the graph win sooner, and more ops per call never "
          "make it win later: the crossover is non-decreasing in c and non-increasing in n.",
    statement=r"c \leq c' \Rightarrow k_\times(n, c) \leq k_\times(n, c'),"
              r"\quad n \leq n' \Rightarrow k_\times(n', c) \leq k_\times(n, c)"
              r"\quad (\text{never} = \infty)",
    method="z3 (integers, rationals): the engine's crossover at two points",
)
def crossover_monotone():
    d = lab()
    space = Space({n: COUNT, c: POSITIVE_RATIONAL})
    n2 = space.add(sympy.Dummy("n2"), COUNT, "n_prime")
    c2 = space.add(sympy.Dummy("c2"), POSITIVE_RATIONAL, "c_prime")
    here = crossover_terms(d, space)
    dearer = crossover_terms(d, space, {c: c2})
    wider = crossover_terms(d, space, {n: n2})
    return counterexample(space, z3.And(
        z3.Implies(space[c] <= c2, _at_most(*here, *dearer)),
        z3.Implies(space[n] <= n2, _at_most(*wider, *here)),
    ))


@theorem(
    "three-n",
    claim="With a capture three eager passes long (c = 3n), the graph wins a few calls later: "
          "at call 5 for n = 3 and at call 4 for every n ≥ 4.",
    statement=r"c = 3n:\quad k_\times(3) = 5,\quad \forall n \in \mathbb{Z}_{\geq 4}:\ k_\times(n) = 4",
    method="z3 (integers) on the engine's derivation with c = 3n",
)
def three_n():
    d = lab(c="3*n")
    space = Space({n: Domain("integer", 3)})
    first, never = crossover_terms(d, space)
    return counterexample(space, z3.And(
        z3.Not(never),
        first == z3.If(space[n] == 3, 5, 4),
    ))
