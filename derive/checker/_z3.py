"""SymPy expressions as z3 terms, for the checker's proofs over integers and rationals.

z3 decides statements about integers and reals that sympy cannot: ``ceil(c/(n−1)) =
⌊(c−1)/(n−1)⌋ + 1`` for every integer ``c ≥ 1`` and ``n ≥ 2``, say. How an expression is
written for z3 decides whether it answers in milliseconds or times out, so:

Algorithm notes.

* Integer parameters are ``Int``s and stay ``Int`` through ``+ − ×``; rational ones are
  ``Real`` (a statement true for every real is true for every rational; a real
  counterexample is only used after it has been checked exactly — it may be irrational).
* ``⌊a⌋`` is a fresh ``Int`` ``f``. With ``a`` brought over one denominator, ``a = N/D``,
  it is defined without division: ``D > 0 ⇒ f·D ≤ N < (f+1)·D`` and ``D < 0 ⇒ f·D ≥ N >
  (f+1)·D``. ``⌈a⌉ = −⌊−a⌋``; ``min``, ``max`` and ``abs`` are ``If``.
* A relation ``L op R`` is written ``(L − R) = N/D``, then ``N·D op 0`` (``N = 0`` for ``=``
  and ``≠``): the same truth value wherever ``D ≠ 0``, and no division for z3 to reason
  about. ``D`` vanishes only where one of the expression's own denominators does, so the
  callers state those non-zero (:func:`denominators`) wherever they use the relation.
* Anything else (square roots, infinity) raises :class:`Untranslatable`: the checker then
  says "undecided" rather than guess.
"""

from fractions import Fraction

import sympy
import z3

from ._terms import denominators

__all__ = ["Translator", "Untranslatable", "denominators", "model_value", "number"]


class Untranslatable(Exception):
    """An expression z3 cannot be given faithfully."""


def _over_one_denominator(expr):
    """``(N, D)`` with ``expr = N/D`` and no division left outside function arguments."""
    top, bottom = sympy.fraction(expr)
    if _divides(top) or _divides(bottom):
        top, bottom = sympy.fraction(sympy.together(expr))
    return top, bottom


def _divides(expr):
    """Whether ``expr`` divides by something outside function arguments (``floor``, ``Max``…)."""
    if expr.is_Pow:
        return expr.exp.is_negative or _divides(expr.base)
    if expr.is_Add or expr.is_Mul:
        return any(_divides(arg) for arg in expr.args)
    return False


def model_value(value):
    """A z3 model's number as an ``int`` or ``Fraction``; ``None`` if irrational."""
    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        result = Fraction(value.numerator_as_long(), value.denominator_as_long())
        return result.numerator if result.denominator == 1 else result
    return None


class Translator:
    """Writes sympy expressions over ``domains`` (``{symbol: Domain}``) as z3 terms.

    ``side`` collects the definitions of the fresh integers standing for floors; add them
    to the solver with the formula.
    """

    def __init__(self, domains):
        self.domains = dict(domains)
        self.variables = {
            s: (z3.Int if d.kind == "integer" else z3.Real)(s.name) for s, d in self.domains.items()
        }
        self.side = []
        self._cache = {}
        self._floors = {}

    def domain(self):
        """The domains as z3 constraints: ``n ≥ 1``, ``c > 0``, …"""
        facts = []
        for symbol, domain in self.domains.items():
            x, bound = self.variables[symbol], number(domain.lower)
            facts.append(x > bound if domain.strict else x >= bound)
        return facts

    # -- terms ------------------------------------------------------------------------

    def term(self, expr):
        """``(z3 term, is_int)`` for the sympy expression ``expr``."""
        key = expr
        if key not in self._cache:
            self._cache[key] = self._term(expr)
        return self._cache[key]

    def real(self, expr):
        term, is_int = self.term(expr)
        return z3.ToReal(term) if is_int else term

    def _term(self, expr):
        if expr.is_Integer:
            return z3.IntVal(int(expr)), True
        if expr.is_Rational:
            return z3.Q(int(expr.p), int(expr.q)), False
        if expr.is_Symbol:
            if expr not in self.variables:
                raise Untranslatable(f"unknown symbol {expr}")
            return self.variables[expr], self.domains[expr].kind == "integer"
        if expr.is_Add or expr.is_Mul:
            return self._arithmetic(expr)
        if expr.is_Pow:
            return self._power(expr)
        if isinstance(expr, sympy.floor):
            return self._floor(expr.args[0], negate=False)
        if isinstance(expr, sympy.ceiling):
            return self._floor(expr.args[0], negate=True)
        if isinstance(expr, (sympy.Max, sympy.Min)):
            return self._extremum(expr)
        if isinstance(expr, sympy.Abs):
            x, is_int = self.term(expr.args[0])
            return z3.If(x >= 0, x, -x), is_int
        if isinstance(expr, sympy.Piecewise):
            return self._piecewise(expr)
        raise Untranslatable(f"z3 cannot be given {type(expr).__name__}: {expr}")

    def _arithmetic(self, expr):
        numerator, denominator = [], []
        for factor in (expr.args if expr.is_Mul else ()):
            if factor.is_Pow and factor.exp.is_negative and factor.exp.is_Integer:
                denominator.append(factor.base ** -factor.exp)
            else:
                numerator.append(factor)
        if denominator:
            top = self.real(sympy.Mul(*numerator))
            return top / self.real(sympy.Mul(*denominator)), False
        parts = [self.term(arg) for arg in expr.args]
        if all(is_int for _, is_int in parts):
            terms = [t for t, _ in parts]
        else:
            terms = [z3.ToReal(t) if is_int else t for t, is_int in parts]
        combined = z3.Sum(terms) if expr.is_Add else z3.Product(terms)
        return combined, all(is_int for _, is_int in parts)

    def _power(self, expr):
        base, exponent = expr.args
        if not exponent.is_Integer or abs(int(exponent)) > 64:
            raise Untranslatable(f"z3 cannot be given the power {expr}")
        times = abs(int(exponent))
        if exponent < 0:
            return 1 / self.real(base ** times), False
        x, is_int = self.term(base)
        return z3.Product([x] * times) if times > 1 else x, is_int

    def _floor(self, argument, negate):
        """``⌊argument⌋`` (or ``⌈·⌉`` when ``negate``) as a fresh Int defined without division.

        Equal floors share one Int: the argument is first put in lowest terms, so that
        ``⌈(1−c)/(1−n)⌉`` and ``−⌊(c−1)/(n−1)·(−1)⌋`` are seen to be the same number.
        """
        top, bottom = _over_one_denominator(-argument if negate else argument)
        if bottom != 1:
            top, bottom = sympy.fraction(sympy.cancel(top / bottom))
        key = (top, bottom)
        if key not in self._floors:
            self._floors[key] = self._new_floor(top, bottom)
        result = self._floors[key]
        return (-result if negate else result), True

    def _new_floor(self, top, bottom):
        if bottom == 1:
            x, is_int = self.term(top)
            return x if is_int else z3.ToInt(x)
        (n, n_int), (d, d_int) = self.term(top), self.term(bottom)
        if not (n_int and d_int):
            n, d = (z3.ToReal(n) if n_int else n), (z3.ToReal(d) if d_int else d)
        f = z3.FreshInt("floor")
        fr = f if (n_int and d_int) else z3.ToReal(f)
        self.side.append(z3.Implies(d > 0, z3.And(fr * d <= n, n < (fr + 1) * d)))
        self.side.append(z3.Implies(d < 0, z3.And(fr * d >= n, n > (fr + 1) * d)))
        return f

    def _extremum(self, expr):
        parts = [self.term(arg) for arg in expr.args]
        as_int = all(is_int for _, is_int in parts)
        terms = [t if as_int or not is_int else z3.ToReal(t) for t, is_int in parts]
        pick = (lambda a, b: a >= b) if isinstance(expr, sympy.Max) else (lambda a, b: a <= b)
        result = terms[0]
        for t in terms[1:]:
            result = z3.If(pick(result, t), result, t)
        return result, as_int

    def _piecewise(self, expr):
        pieces = list(expr.args)
        terms = [(self.term(value), self.boolean(cond)) for value, cond in pieces]
        as_int = all(is_int for (_, is_int), _ in terms)
        result = None
        for (t, is_int), cond in reversed(terms):
            t = t if as_int or not is_int else z3.ToReal(t)
            result = t if result is None else z3.If(cond, t, result)
        return result, as_int

    # -- conditions -------------------------------------------------------------------

    def boolean(self, condition):
        """A sympy condition (relations, And, Or, Not, True, False) as a z3 formula."""
        if condition is sympy.true or condition is True:
            return z3.BoolVal(True)
        if condition is sympy.false or condition is False:
            return z3.BoolVal(False)
        if isinstance(condition, sympy.And):
            return z3.And([self.boolean(arg) for arg in condition.args])
        if isinstance(condition, sympy.Or):
            return z3.Or([self.boolean(arg) for arg in condition.args])
        if isinstance(condition, sympy.Not):
            return z3.Not(self.boolean(condition.args[0]))
        if isinstance(condition, sympy.Rel):
            return self._relation(condition)
        raise Untranslatable(f"z3 cannot be given the condition {condition}")

    def _relation(self, rel):
        top, bottom = _over_one_denominator(rel.lhs - rel.rhs)
        (n, n_int), (d, d_int) = self.term(top), self.term(bottom)
        if not (n_int and d_int):
            n, d = (z3.ToReal(n) if n_int else n), (z3.ToReal(d) if d_int else d)
        if isinstance(rel, (sympy.Eq, sympy.Ne)):
            return (n == 0) if isinstance(rel, sympy.Eq) else (n != 0)
        signed = n if bottom == 1 else n * d
        op = {sympy.StrictLessThan: "<", sympy.LessThan: "<=",
              sympy.StrictGreaterThan: ">", sympy.GreaterThan: ">="}[type(rel)]
        return {"<": signed < 0, "<=": signed <= 0, ">": signed > 0, ">=": signed >= 0}[op]

    def nonzero(self, expressions):
        """All of ``expressions`` non-zero, as one z3 formula."""
        return z3.And([self.real(e) != 0 for e in expressions])


def number(value):
    """An exact ``int`` or ``Fraction`` as a z3 numeral."""
    value = Fraction(value)
    if value.denominator == 1:
        return z3.IntVal(value.numerator)
    return z3.Q(value.numerator, value.denominator)
