"""Deciding conditions over domains, and the exact evaluator."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from derive.engine.conditions import decide, sign, sign_condition, tidy_cases
from derive.engine.evaluate import compile_expression
from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, k, n

DOMAINS = {n: COUNT, c: POSITIVE_RATIONAL, k: COUNT}


@pytest.mark.parametrize("condition, verdict", [
    (n >= 1, True), (n > 1, None), (n < 1, False), (c > 0, True), (c > 1, None),
    (3 * n - 1 > 0, True), (n * c > 0, True), (sympy.Eq(n, 0), False),
    (sympy.And(n >= 1, c > 0), True), (sympy.Or(n > 1, n < 1), None), (sympy.Not(n < 1), True),
    ((n - 1) / (n + 1) >= 0, True), (k * n - k >= 0, True),
])
def test_decide(condition, verdict):
    assert decide(condition, DOMAINS) is verdict


@given(st.integers(1, 50), st.fractions(min_value=Fraction(1, 50), max_value=50, max_denominator=50))
def test_decided_conditions_hold_at_sample_points(num_ops, cost):
    for condition in (n >= 1, 3 * n - 1 > 0, (n - 1) / (n + 1) >= 0, n * c > 0):
        assert decide(condition, DOMAINS) is True
        assert condition.subs({n: num_ops, c: sympy.Rational(cost.numerator, cost.denominator)}) == sympy.true


def test_sign_condition_reads_plainly():
    assert sign_condition(-n * (c - 1), "<", DOMAINS) == (c > 1)
    assert sign_condition(2 * c - 2, ">=", DOMAINS) == (c >= 1)
    assert sign_condition(n - 1, ">=", DOMAINS) is sympy.true
    assert sign(sympy.Integer(0), DOMAINS) == 0


def test_tidy_cases_drops_false_and_stops_at_true():
    cases = [(n < 1, "a"), (c > 1, "b"), (n >= 1, "c"), (sympy.true, "d")]
    assert tidy_cases(cases, DOMAINS) == ((c > 1, "b"), (sympy.true, "c"))


def test_remembered_signs_depend_on_the_domains():
    """Signs are memoised per expression *and* domain: the same expression, asked again over
    a narrower or a different domain, gets that domain's answer."""
    for _ in range(2):
        assert sign(n - 1, {n: COUNT}) is None
        assert sign(n - 1, {n: Domain("integer", 2)}) == 1
        assert sign(n - 1, {n: Domain("rational", 0)}) is None
        assert sign(c - 1, {c: Domain("rational", 1, True), n: COUNT}) == 1
        assert sign(c - 1, {c: POSITIVE_RATIONAL, n: Domain("integer", 2)}) is None


def test_domains():
    assert str(Domain("integer", 1, strict=True)) == "integer >= 2"
    assert Domain("rational", 0, True).narrowed(Domain("integer", 1)) == Domain("integer", 1)
    assert not COUNT.contains(sympy.Rational(1, 2)) and COUNT.contains(3)
    with pytest.raises(ValueError, match="kind must be one of integer, rational, real, got 'complex'"):
        Domain("complex")


def test_compiled_expressions_are_exact():
    f = compile_expression(sympy.ceiling(c / (n - 1)) + sympy.Max(n, c) - sympy.Abs(c - 3) + n**-2, (n, c))
    assert f(3, Fraction(5, 2)) == 2 + 3 - Fraction(1, 2) + Fraction(1, 9)
    g = compile_expression(sympy.Piecewise((1, c < 1), (2, True)), (c,))
    assert (g(Fraction(1, 2)), g(4)) == (1, 2)
    with pytest.raises(TypeError, match="expected 2 arguments"):
        f(1)
    with pytest.raises(TypeError, match="cannot evaluate"):
        compile_expression(sympy.sin(n), (n,))


def test_compile_expression_takes_numbers_too_long_to_print():
    # str() of an int over 4300 digits raises; compiling must not try to print the expression.
    huge = 10**5000
    evaluate = compile_expression(sympy.Integer(huge) * n + 1, [n])
    assert evaluate(2) == 2 * huge + 1
