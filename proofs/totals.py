"""The two totals, what each replay saves, and the per-call ratio.

The model is the lab's: eager pays ``n`` launches on every call; the graph pays the
capture ``c`` on the first call and one launch on each call after it. The theorems check
that the engine's totals are those sums, and that their ratio is well defined.
"""

import sympy

from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, k, n
from derive.prove import theorem

from ._solver import Space, counterexample, difference, lab

_i = sympy.Symbol("i", integer=True, positive=True)


@theorem(
    "eager-total",
    claim="Run eagerly, each of the k calls launches all n ops, so k calls cost k·n launches.",
    statement=r"E(k) = \sum_{i=1}^{k} n = k\,n",
    method="sympy: the engine's E(k) minus the sum of n over k calls is 0",
)
def eager_total():
    return difference(lab().baseline, sympy.summation(n, (_i, 1, k)))


@theorem(
    "graph-total",
    claim="With a graph the first call pays the capture c and every later call one replay "
          "launch, so k calls cost c + (k − 1) launches.",
    statement=r"G(k) = c + \sum_{i=2}^{k} 1 = c + k - 1",
    method="sympy: the engine's G(k) minus c and k - 1 replays is 0",
)
def graph_total():
    return difference(lab().amortized, c + sympy.summation(1, (_i, 2, k)))


@theorem(
    "replay-saving",
    claim="Every call after the first saves n − 1 launches, and with c = n the capture "
          "costs exactly one eager pass.",
    statement=r"E(k+1) - E(k) - \left(G(k+1) - G(k)\right) = n - 1,"
              r"\quad G(1) = E(1) \text{ when } c = n",
    method="sympy: differences of the engine's totals, and its saving s",
)
def replay_saving():
    d = lab()
    step = (d.baseline.subs(k, k + 1) - d.baseline) - (d.amortized.subs(k, k + 1) - d.amortized)
    return (
        difference(step, n - 1)
        or difference(d.saving, n - 1)
        or difference(lab(c="n").amortized.subs(k, 1), lab(c="n").baseline.subs(k, 1))
    )


@theorem(
    "per-call-ratio",
    claim="After k calls eager has launched k·n/(c + k − 1) times as often as the graph; "
          "the graph total is positive, so the ratio is always defined.",
    statement=r"\forall n, k \in \mathbb{Z}_{\geq 1},\ c \in \mathbb{Q}_{>0}:\quad "
              r"G(k) > 0,\quad \frac{E(k)}{G(k)} = \frac{k\,n}{c + k - 1}",
    method="sympy: identity on the engine's ratio; z3: G(k) > 0",
)
def per_call_ratio():
    d = lab()
    space = Space({n: COUNT, c: POSITIVE_RATIONAL, k: COUNT})
    return (
        difference(d.per_call_ratio, k * n / (c + k - 1))
        or counterexample(space, space.term(d.amortized) > 0)
    )
