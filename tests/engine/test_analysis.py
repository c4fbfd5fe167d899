"""Limits and inverses of derived expressions, each answer checked by substituting back."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from derive.engine.analysis import limit_of, solve_for
from derive.engine.symbols import c, n, speedup, t_gpu, t_launch
from derive.errors import UndecidedError

CEILING = (n * t_launch + t_gpu) / (t_launch + t_gpu)


@pytest.mark.parametrize("expr, symbol, point, expected", [
    (CEILING, t_gpu, 0, n),
    (CEILING, t_gpu, "oo", 1),
    (CEILING, t_launch, "oo", n),
    ((c * n + 1) / (c + 1), c, "oo", n),
    (1 / c, c, 0, sympy.oo),
    (sympy.Integer(7), c, 3, 7),
])
def test_limits(expr, symbol, point, expected):
    assert limit_of(expr, symbol, point) == expected


@given(st.integers(1, 50), st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000))
def test_limit_at_zero_agrees_with_the_value_there(size, launch):
    """The ceiling is continuous at t_gpu = 0: the limit is the value."""
    at = {n: size, t_launch: sympy.Rational(launch.numerator, launch.denominator)}
    assert limit_of(CEILING, t_gpu, 0).xreplace(at) == CEILING.xreplace({**at, t_gpu: 0})


def test_solve_for_substitutes_back():
    root = solve_for(sympy.Eq(CEILING, speedup), t_gpu)
    assert sympy.simplify(CEILING.xreplace({t_gpu: root}) - speedup) == 0
    assert solve_for(c * n - 6, c) == 6 / n


@pytest.mark.parametrize("call, error, message", [
    (lambda: limit_of(sympy.sin(c), c, "oo"), UndecidedError, "does not settle"),
    (lambda: limit_of(c, c, "infinity"), ValueError, "point must be a number, oo or -oo, got 'infinity'"),
    (lambda: limit_of(c, c, n), ValueError, "point must be a number"),
    (lambda: limit_of(c, c, 1.5), TypeError, "point must be an int, a sympy number or 'oo', got float"),
    (lambda: limit_of(c, "c", 0), TypeError, "symbol must be a sympy Symbol, got str"),
    (lambda: solve_for(sympy.Eq(c**2, 4), c), UndecidedError, "several solutions for c: -2, 2"),
    (lambda: solve_for(n - 1, c), ValueError, "does not involve c"),
    (lambda: solve_for(sympy.Eq(c, c + 1), c), ValueError, "identically False; it does not determine c"),
    (lambda: solve_for(c / (c + 1) - 1, c), ValueError, "has no solution for c"),
])
def test_bad_questions(call, error, message):
    with pytest.raises(error, match=message):
        call()
