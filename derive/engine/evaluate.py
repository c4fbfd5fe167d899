"""Exact evaluation of derived expressions, compiled once into plain Python.

``subs`` followed by ``evalf`` is slow and, with floats, inexact; ``lambdify`` runs
``eval``. Instead :func:`compile_expression` walks a sympy expression once and returns
a closure over ``int`` and :class:`~fractions.Fraction` arithmetic, so that a property
test can check a million examples against the symbolic result at the speed of Python.

Supported: numbers, symbols, ``+ * **`` (integer exponents; a symbolic exponent is
evaluated at the point and refused with :class:`TooLarge` when the power would pass
:data:`MAX_POWER_BITS` bits or is not whole), ``floor``, ``ceiling``,
``Max``, ``Min``, ``Abs``, ``Piecewise``, relations, ``And``/``Or``/``Not``, ``oo``
(as ``math.inf``). Anything else raises ``TypeError`` naming the node.

>>> from derive.engine.symbols import c, n
>>> import sympy
>>> first = compile_expression(sympy.floor((c - 1)/(n - 1)) + 1, (n, c))
>>> first(30, 90)
4
>>> first(2, Fraction(5, 2))
2
"""

import math
import operator
from fractions import Fraction
from functools import reduce

import sympy

__all__ = ["TooLarge", "compile_expression"]

MAX_POWER_BITS = 4096       # the reader's bound on a power, applied here to evaluated ones


class TooLarge(ArithmeticError):
    """A power with a symbolic exponent whose value here is too large, or not a whole
    number (``k^n`` at a point): the point cannot be evaluated exactly, within bounds."""

_RELATIONS = {
    sympy.StrictLessThan: operator.lt, sympy.LessThan: operator.le,
    sympy.StrictGreaterThan: operator.gt, sympy.GreaterThan: operator.ge,
    sympy.Equality: operator.eq, sympy.Unequality: operator.ne,
}

_UNARY = {sympy.floor: math.floor, sympy.ceiling: math.ceil, sympy.Abs: abs}


def _normal(value):
    """A Fraction with denominator 1 becomes an int, so results compare type included."""
    if type(value) is Fraction and value.denominator == 1:
        return value.numerator
    return value


def _bounded_power(base, exponent):
    """``base ** exponent`` for an exponent known only at the point, within the bounds."""
    if isinstance(exponent, Fraction) and exponent.denominator != 1:
        raise TooLarge(f"the exponent {exponent} is not a whole number")
    exponent = int(exponent)
    value = Fraction(base)
    bits = max(abs(value.numerator).bit_length(), value.denominator.bit_length(), 1)
    if bits * abs(exponent) > MAX_POWER_BITS and value not in (0, 1, -1):
        raise TooLarge(f"the power would have more than {MAX_POWER_BITS} bits")
    return _power(base, exponent)


def _power(base, exponent):
    if exponent < 0:
        return Fraction(1) / Fraction(base) ** -exponent
    return base ** exponent


def _build(expr, slots):
    if expr in slots:
        index = slots[expr]
        return lambda args: args[index]
    if expr is sympy.true or expr is sympy.false:
        value = bool(expr)
        return lambda args: value
    if expr.is_Integer:
        value = int(expr)
        return lambda args: value
    if expr.is_Rational:
        value = Fraction(int(expr.p), int(expr.q))
        return lambda args: value
    if expr in (sympy.oo, -sympy.oo):
        value = math.inf if expr is sympy.oo else -math.inf
        return lambda args: value
    if isinstance(expr, sympy.Piecewise):
        pairs = [(_build(cond, slots), _build(value, slots)) for value, cond in expr.args]

        def piecewise(args):
            for cond, value in pairs:
                if cond(args):
                    return value(args)
            raise ValueError("no case of the Piecewise applies")     # undefined here
        return piecewise
    parts = [_build(arg, slots) for arg in expr.args]
    if expr.is_Add:
        return lambda args: _normal(sum(f(args) for f in parts))
    if expr.is_Mul:
        return lambda args: _normal(reduce(operator.mul, (f(args) for f in parts)))
    if expr.is_Pow:
        base, exponent = parts
        if expr.exp.free_symbols:
            return lambda args: _normal(_bounded_power(base(args), exponent(args)))
        if not expr.exp.is_Integer:
            raise TypeError(f"only integer powers evaluate exactly, got {expr}")
        return lambda args: _normal(_power(base(args), exponent(args)))
    if type(expr) in _UNARY:
        function, (inner,) = _UNARY[type(expr)], parts
        return lambda args: function(inner(args))
    if isinstance(expr, (sympy.Max, sympy.Min)):
        pick = max if isinstance(expr, sympy.Max) else min
        return lambda args: pick(f(args) for f in parts)
    if type(expr) in _RELATIONS:
        relation, (left, right) = _RELATIONS[type(expr)], parts
        return lambda args: relation(left(args), right(args))
    if isinstance(expr, sympy.And):
        return lambda args: all(f(args) for f in parts)
    if isinstance(expr, sympy.Or):
        return lambda args: any(f(args) for f in parts)
    if isinstance(expr, sympy.Not):
        (inner,) = parts
        return lambda args: not inner(args)
    raise TypeError(f"cannot evaluate {type(expr).__name__} exactly: {expr}")


def compile_expression(expr, symbols):
    """A function of ``symbols`` (positionally) that evaluates ``expr`` exactly.

    Arguments may be ``int`` or ``Fraction``; results are ``int`` when whole, else
    ``Fraction``, and ``bool`` for conditions.
    """
    slots = {symbol: i for i, symbol in enumerate(symbols)}
    body = _build(sympy.sympify(expr, strict=True), slots)

    def evaluate(*args):
        if len(args) != len(slots):
            names = ", ".join(s.name for s in symbols)
            raise TypeError(f"expected {len(slots)} arguments ({names}), got {len(args)}")
        return body(args)

    # Not str(expr): a formula holding a number of over 4300 digits cannot be printed.
    evaluate.__doc__ = f"Exact value of the compiled expression at ({', '.join(s.name for s in symbols)})."
    return evaluate
