"""Symbols and their domains, declared once and reused everywhere.

A :class:`Domain` is the set a parameter ranges over: integers or rationals (or reals)
bounded below, ``integer >= 1`` or ``rational > 0``. It makes the sympy symbol with the
matching assumptions, tests membership of exact numbers, and rewrites a symbol as its
lower bound plus a fresh non-negative (or positive) dummy — the substitution that lets
sympy settle questions like ``3·n − 1 > 0`` for every integer ``n ≥ 1``.

The lab's symbols:

=====  ===================================================  ================
name   meaning                                              domain
=====  ===================================================  ================
``k``  calls so far: the number of repeats                  integer >= 1
``n``  ops (kernel launches) per call, ``num_ops``           integer >= 1
``c``  capture cost of the first call, ``capture_cost_ops``  rational > 0
=====  ===================================================  ================

The presets' symbols (:mod:`derive.engine.presets`), times in any one unit (say µs):

=================  ===============================================  ==================
name               meaning                                          domain
=================  ===============================================  ==================
``t_launch``       CPU time of one kernel launch                     rational > 0
``t_gpu``          GPU time of one call                              rational >= 0
``m``              steps per launch (multi-step scheduling)          integer >= 1
``f``              fusion factor: the op count is divided by ``f``   rational >= 1
``t_compile``      compile time, paid once                           rational >= 0
``t_before``       time of a call before compiling                   rational > 0
``t_after``        time of a call once compiled                      rational > 0
``t_eager``        time of an iteration run eagerly                  rational > 0
``t_define``       time to define (capture) the graph                rational >= 0
``t_instantiate``  time to instantiate the graph                     rational >= 0
``t_first``        time of the graph's first launch                  rational > 0
``t_replay``       time of each later iteration, replayed            rational > 0
``speedup``        a measured speedup ``S`` (for inverse questions)  rational > 0
=================  ===============================================  ==================
"""

from dataclasses import dataclass
from fractions import Fraction

import sympy

__all__ = [
    "AT_LEAST_ONE", "COUNT", "Domain", "NONNEGATIVE_RATIONAL", "POSITIVE_RATIONAL", "c", "f",
    "k", "m", "n", "speedup", "t_after", "t_before", "t_compile", "t_define", "t_eager",
    "t_first", "t_gpu", "t_instantiate", "t_launch", "t_replay",
]

_KINDS = ("integer", "rational", "real")


@dataclass(frozen=True)
class Domain:
    """Numbers of one ``kind`` bounded below by ``lower`` (excluded when ``strict``).

    >>> Domain("integer", 1)
    Domain('integer >= 1')
    >>> Domain("integer", 1, strict=True)          # normalised: the integers > 1 start at 2
    Domain('integer >= 2')
    >>> Domain("rational", 0, strict=True).contains(sympy.Rational(1, 2))
    True
    """

    kind: str
    lower: Fraction = Fraction(0)
    strict: bool = False

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {', '.join(_KINDS)}, got {self.kind!r}")
        lower = Fraction(self.lower)
        strict = bool(self.strict)
        if self.kind == "integer":                 # integers > 1 are integers >= 2
            whole = lower.numerator // lower.denominator
            if strict or whole != lower:
                lower, strict = Fraction(whole + 1), False
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "strict", strict)

    def __str__(self):
        return f"{self.kind} {'>' if self.strict else '>='} {self.lower}"

    def __repr__(self):
        return f"Domain({str(self)!r})"

    @property
    def lower_bound(self):
        """The lower bound as a sympy number."""
        return sympy.Rational(self.lower.numerator, self.lower.denominator)

    def symbol(self, name):
        """A sympy symbol named ``name`` whose assumptions say as much as this domain."""
        assumptions = {self.kind: True}
        if self.lower > 0 or (self.lower == 0 and self.strict):
            assumptions["positive"] = True
        elif self.lower == 0:
            assumptions["nonnegative"] = True
        return sympy.Symbol(name, **assumptions)

    def contains(self, value):
        """Whether the exact sympy number ``value`` lies in this domain."""
        value = sympy.sympify(value, strict=True) if isinstance(value, (int, Fraction)) else value
        if not getattr(value, "is_number", False) or value.is_real is not True:
            return False
        if self.kind == "integer" and value.is_integer is not True:
            return False
        if self.kind == "rational" and value.is_rational is not True:
            return False
        if value.is_finite is not True:
            return False
        bound = self.lower_bound
        return bool(value > bound) if self.strict else bool(value >= bound)

    def shifted(self, name="_t"):
        """``lower + t`` for a fresh dummy ``t`` ranging over ``[0, ∞)`` (``(0, ∞)`` if strict)."""
        sign = {"positive": True} if self.strict else {"nonnegative": True}
        return self.lower_bound + sympy.Dummy(name, **{self.kind: True}, **sign)

    def narrowed(self, other):
        """The intersection with ``other``, the narrower kind and the higher bound."""
        kind = min(self.kind, other.kind, key=_KINDS.index)
        lows = sorted([(self.lower, self.strict), (other.lower, other.strict)])
        lower, strict = lows[-1]
        if lows[0][0] == lower:
            strict = lows[0][1] or lows[1][1]
        return Domain(kind, lower, strict)


COUNT = Domain("integer", 1)                    #: integer >= 1: calls, ops, steps
POSITIVE_RATIONAL = Domain("rational", 0, True)  #: rational > 0: costs, times, sizes
NONNEGATIVE_RATIONAL = Domain("rational", 0)     #: rational >= 0: times that may vanish
AT_LEAST_ONE = Domain("rational", 1)             #: rational >= 1: factors that never grow a count

k = COUNT.symbol("k")
n = COUNT.symbol("n")
c = POSITIVE_RATIONAL.symbol("c")

t_launch = POSITIVE_RATIONAL.symbol("t_launch")
t_gpu = NONNEGATIVE_RATIONAL.symbol("t_gpu")
m = COUNT.symbol("m")
f = AT_LEAST_ONE.symbol("f")
t_compile = NONNEGATIVE_RATIONAL.symbol("t_compile")
t_before = POSITIVE_RATIONAL.symbol("t_before")
t_after = POSITIVE_RATIONAL.symbol("t_after")
t_eager = POSITIVE_RATIONAL.symbol("t_eager")
t_define = NONNEGATIVE_RATIONAL.symbol("t_define")
t_instantiate = NONNEGATIVE_RATIONAL.symbol("t_instantiate")
t_first = POSITIVE_RATIONAL.symbol("t_first")
t_replay = POSITIVE_RATIONAL.symbol("t_replay")
speedup = POSITIVE_RATIONAL.symbol("S")
