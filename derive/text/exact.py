"""Exact sympy values from Python values — never from text.

``sympy.sympify("...")`` runs Python ``eval`` on a string, and turns ``2.5`` into an
inexact ``Float``. :func:`to_sympy` is what the library's public functions use instead:
ints, Fractions and sympy objects as they are, a finite float as the exact rational it
is (so is a sympy ``Float`` inside an expression, and a ``Decimal``), and a clear
``TypeError`` for text (which belongs to :mod:`derive.text.parse`), bools
and anything else.

>>> to_sympy(2.5, "point")
5/2
>>> import sympy
>>> to_sympy(sympy.Symbol("k") * 0.1, "baseline")
3602879701896397*k/36028797018963968
>>> to_sympy("oo", "point")
Traceback (most recent call last):
...
TypeError: point must be a number or a sympy expression, got str 'oo'; read text with derive.text.parse.parse_expression
"""

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

import sympy

__all__ = ["to_sympy"]


def to_sympy(value, name):
    """``value`` as an exact sympy object; ``name`` is the argument named in errors."""
    if isinstance(value, sympy.Basic):
        floats = value.atoms(sympy.Float)            # a Python float that met sympy: exact again
        return value.xreplace({f: sympy.Rational(f) for f in floats}) if floats else value
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number or a sympy expression, got bool {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            return sympy.oo if value > 0 else -sympy.oo if value < 0 else sympy.nan
        exact = Fraction(value)
        return sympy.Rational(exact.numerator, exact.denominator)
    if isinstance(value, Rational):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name} must be finite, got {value!r}")
        exact = Fraction(value)
        return sympy.Rational(exact.numerator, exact.denominator)
    if isinstance(value, str):
        raise TypeError(f"{name} must be a number or a sympy expression, got str {value!r}; "
                        "read text with derive.text.parse.parse_expression")
    raise TypeError(f"{name} must be a number or a sympy expression, "
                    f"got {type(value).__name__} {value!r}")
