"""Integer rules for the crossover: when a ceiling may replace the floor, and when not.

The crossover is the least integer strictly above the break-even root
``x = (c − 1)/(n − 1)``, which is ``⌊x⌋ + 1``. Two shortcuts look the same and are not:
``⌈c/(n − 1)⌉``, right for whole capture costs only, and ``⌈x⌉``, one call early
whenever ``x`` is a whole number (the totals tie there; a tie is not a win).
"""

import math
from fractions import Fraction

import sympy
import z3

from derive.engine.symbols import POSITIVE_RATIONAL, Domain, c, k, n
from derive.numeric import crossover as numeric_crossover
from derive.prove import theorem

from ._solver import Space, counterexample, crossover_terms, lab, witness

SEVERAL_OPS = Domain("integer", 2)               # n ≥ 2


def _ceiling(space, expr):
    return space.term(sympy.ceiling(expr))


@theorem(
    "integer-capture-ceiling",
    claim="For a whole-number capture cost the crossover can also be written as the ceiling "
          "of c/(n − 1).",
    statement=r"\forall n \in \mathbb{Z}_{\geq 2},\ c \in \mathbb{Z}_{\geq 1}:"
              r"\quad \left\lfloor \frac{c - 1}{n - 1} \right\rfloor + 1"
              r" = \left\lceil \frac{c}{n - 1} \right\rceil",
    method="z3 (integers) on the engine's crossover",
)
def integer_capture_ceiling():
    space = Space({n: SEVERAL_OPS, c: Domain("integer", 1)})
    first, never = crossover_terms(lab(), space)
    return counterexample(space, z3.And(z3.Not(never), first == _ceiling(space, c / (n - 1))))


@theorem(
    "rational-capture-differs",
    claim="For a fractional capture cost the ceiling of c/(n − 1) can miss the crossover.",
    statement=r"\exists n \in \mathbb{Z}_{\geq 2},\ c \in \mathbb{Q}_{>0}:"
              r"\quad \left\lfloor \frac{c - 1}{n - 1} \right\rfloor + 1"
              r" \neq \left\lceil \frac{c}{n - 1} \right\rceil",
    method="z3 finds a witness; rechecked with Fractions and numeric.crossover",
)
def rational_capture_differs():
    space = Space({n: SEVERAL_OPS, c: POSITIVE_RATIONAL})
    first, never = crossover_terms(lab(), space)
    found = witness(space, z3.And(z3.Not(never), first != _ceiling(space, c / (n - 1))))
    if found is None:
        return {"witness": "none exists"}
    num_ops, cost = found["n"], Fraction(found["c"])
    if numeric_crossover(num_ops, cost) == math.ceil(cost / (num_ops - 1)):
        return {"witness": found, "but": "exact arithmetic finds no difference there"}
    return None


@theorem(
    "ceiling-off-by-one",
    claim="Taking the ceiling of the break-even root (c − 1)/(n − 1) is wrong exactly when "
          "the root is a whole number: there the totals tie and the ceiling is one call early. "
          "(A capture below one launch makes the root negative and its ceiling 0, no call at all.)",
    statement=r"n \in \mathbb{Z}_{\geq 2},\ c \in \mathbb{Q}_{\geq 1},\ x = \frac{c - 1}{n - 1}:\quad "
              r"\lceil x \rceil \neq k_\times \Leftrightarrow x \in \mathbb{Z}"
              r" \Leftrightarrow \lceil x \rceil = k_\times - 1",
    method="z3 (integers, rationals) on the engine's root and crossover",
)
def ceiling_off_by_one():
    d = lab()
    space = Space({n: SEVERAL_OPS, c: POSITIVE_RATIONAL})
    first, never = crossover_terms(d, space)
    root = space.term(d.break_even)
    ceiling = _ceiling(space, d.break_even)
    whole = root == ceiling                       # x is whole exactly when x = ⌈x⌉
    tie = space.term(d.amortized, {k: ceiling}) == space.term(d.baseline, {k: ceiling})
    return counterexample(space, z3.And(
        z3.Not(never),
        z3.If(
            space[c] >= 1,
            z3.And((ceiling != first) == whole,
                   z3.Implies(whole, z3.And(ceiling == first - 1, tie, root >= 0))),
            z3.And(ceiling == 0, first == 1),
        ),
    ))

