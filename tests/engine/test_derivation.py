"""The engine: every derived result checked a second way (brute force, sympy's own solvers)."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from derive.engine.derivation import Case, derive
from derive.engine.model import Model, Parameter
from derive.engine.presets import preset
from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, k, n
from tests.oracle import first_win_by_walking, first_win_of_affine

LAB = derive("cuda-graph")
FIRST_CALL = LAB.function("crossover")
small_fractions = st.fractions(min_value=-20, max_value=20, max_denominator=12)


def _numeric_model(b0, b1, a0, a1):
    rational = lambda q: sympy.Rational(q.numerator, q.denominator)
    return Model("affine", rational(b0) + rational(b1) * k, rational(a0) + rational(a1) * k, ())


# -- the lab's model ------------------------------------------------------------------

def test_lab_cases_as_designed():
    assert LAB.break_even == (c - 1) / (n - 1)
    assert LAB.crossover == (
        Case(c < 1, 1),
        Case(n > 1, sympy.floor((c - 1) / (n - 1)) + 1),
        Case(sympy.true, None),
    )
    assert LAB.asymptote == n
    assert [case.value for case in LAB.approach] == ["below", "constant", "above"]
    assert [case.when for case in LAB.approach] == [c > 1, sympy.Eq(c, 1), c < 1]


@given(st.integers(1, 300), st.one_of(st.integers(1, 3000),
                                       st.fractions(min_value=Fraction(1, 100), max_value=3000, max_denominator=100)))
def test_derived_crossover_against_walking(num_ops, cost):
    limit = 3100 if num_ops > 1 else 3
    assert FIRST_CALL(num_ops, cost) == first_win_by_walking(num_ops, cost, limit)


def test_default_capture_cost_binds_to_second_call():
    default = derive("cuda-graph", c="n")
    assert default.crossover == (Case(n > 1, 2), Case(sympy.true, None))
    assert default.break_even == 1


@pytest.mark.parametrize("size, expected_by_walking", [(3, None), (30, None), (300, None), (4, None)])
def test_three_n_capture(size, expected_by_walking):
    symbolic = derive("cuda-graph", c="3*n")
    (winning, never) = symbolic.crossover
    assert winning.when == (n > 1) and never.value is None
    value = winning.value.subs(n, size)
    assert value == first_win_by_walking(size, 3 * size, 10 * size)
    assert derive("cuda-graph", n=size, c=3 * size).first_call() == value


def test_three_n_headline_values():
    d = derive("cuda-graph", c="3*n")
    assert [d.first_call(n=size) for size in (3, 30, 300)] == [5, 4, 4]


def test_fully_bound_collapses_to_one_case():
    d = derive("cuda-graph", n=30, c=90)
    assert d.crossover == (Case(sympy.true, 4),)
    assert d.asymptote == 30
    assert d.approach == (Case(sympy.true, "below"),)


def test_one_op_model():
    d = derive("cuda-graph", n=1)
    assert d.break_even is None
    assert d.crossover == (Case(c < 1, 1), Case(sympy.true, None))
    assert d.asymptote == 1


# -- any two affine totals, against brute force and sympy ----------------------------

@given(small_fractions, small_fractions, small_fractions, small_fractions)
def test_general_crossover_against_walking(b0, b1, a0, a1):
    d = derive(_numeric_model(b0, b1, a0, a1))
    (case,) = d.crossover
    assert case.when is sympy.true
    assert case.value == first_win_of_affine(b0, b1, a0, a1, limit=60 * 12 * 12 + 60)


@given(small_fractions, small_fractions.filter(lambda q: q > 0),
       small_fractions, small_fractions.filter(lambda q: q > 0))
def test_general_asymptote_matches_sympy_limit(b0, b1, a0, a1):
    model = _numeric_model(b0, b1, a0, a1)
    d = derive(model)
    assert d.asymptote == sympy.limit(model.baseline / model.amortized, k, sympy.oo)
    assert d.asymptote == sympy.Rational(b1.numerator, b1.denominator) / sympy.Rational(a1.numerator, a1.denominator)


@given(small_fractions.filter(lambda q: q > 0), small_fractions.filter(lambda q: q > 0),
       small_fractions.filter(lambda q: q > 0), small_fractions.filter(lambda q: q > 0))
def test_general_approach_matches_the_ratio(b0, b1, a0, a1):
    d = derive(_numeric_model(b0, b1, a0, a1))
    (case,) = d.approach
    ratio = [(b0 + b1 * j) / (a0 + a1 * j) for j in (1, 2, 3)]
    limit = b1 / a1
    expected = "below" if ratio[0] < limit else "above" if ratio[0] > limit else "constant"
    assert case.value == expected
    if expected == "below":
        assert ratio[0] < ratio[1] < ratio[2] < limit
    elif expected == "above":
        assert ratio[0] > ratio[1] > ratio[2] > limit


@given(small_fractions, small_fractions, small_fractions, small_fractions)
def test_break_even_matches_sympy_solve(b0, b1, a0, a1):
    model = _numeric_model(b0, b1, a0, a1)
    d = derive(model)
    x = sympy.Symbol("x")
    roots = sympy.solve(sympy.Eq(model.baseline.subs(k, x), model.amortized.subs(k, x)), x)
    if d.break_even is None:
        assert b1 == a1
    else:
        assert roots == [d.break_even]


def test_symbolic_asymptote_matches_limit():
    assert sympy.limit(LAB.baseline / LAB.amortized, k, sympy.oo) == LAB.asymptote


def test_amortized_per_call_cost_zero_gives_infinite_asymptote():
    free = Model("free-replay", k * n, c, (Parameter(n, COUNT), Parameter(c, POSITIVE_RATIONAL)))
    d = derive(free)
    assert d.asymptote == sympy.oo
    assert d.approach == (Case(sympy.true, "below"),)


def test_parameters_decide_conditions():
    # saving n > 0 and upfront c > 0 for every n, c: one unconditional case remains
    m = Model("steep", k * (n + 1), c + k, (Parameter(n, COUNT), Parameter(c, POSITIVE_RATIONAL)))
    d = derive(m)
    assert d.crossover == (Case(sympy.true, sympy.floor(c / n) + 1),)


# -- bindings and bad models -----------------------------------------------------------

BAD_BINDINGS = [
    ("n zero", {"n": 0}, r"n must be integer >= 1, got 0"),
    ("n fraction", {"n": Fraction(5, 2)}, r"n must be integer >= 1, got 5/2"),
    ("c negative", {"c": -1}, r"c must be rational > 0, got -1"),
    ("c maybe negative", {"c": "n - 2"}, r"c must be rational > 0 for every value .* not provably so"),
    ("unknown", {"x": 3}, r"model cuda-graph has no parameter 'x'; its parameters: n, c"),
    ("unknown name in text", {"c": "m"}, r"unknown name 'm'"),
    ("cycle", {"n": "c", "c": "n"}, r"the bindings of c, n refer to each other in a cycle"),
    ("nan", {"c": float("nan")}, r"c must be finite"),
    ("bool", {"n": True}, r"n must be a number or an expression, got bool"),
]


@pytest.mark.parametrize("bindings, message", [case[1:] for case in BAD_BINDINGS],
                         ids=[case[0] for case in BAD_BINDINGS])
def test_bad_bindings(bindings, message):
    with pytest.raises(ValueError, match=message):
        derive("cuda-graph", **bindings)


@pytest.mark.parametrize("total", [k**2 * n, n / k, sympy.floor(k) * n + sympy.sqrt(k)])
def test_non_affine_totals_are_refused_by_name(total):
    with pytest.raises(ValueError, match=r"the baseline total must be affine in k"):
        Model("bad", total, c + k, (Parameter(n, COUNT), Parameter(c, POSITIVE_RATIONAL)))


def test_undeclared_symbols_are_named():
    x = sympy.Symbol("x")
    with pytest.raises(ValueError, match=r"the amortized total k \+ x uses undeclared symbols: x"):
        Model("bad", k * n, x + k, (Parameter(n, COUNT),))


def test_bindings_may_refer_to_each_other():
    assert derive("cuda-graph", c="3*n", n=300).first_call() == 4
    assert derive("cuda-graph", n=300, c="3*n").model.bindings == {"n": 300, "c": 900}


def test_float_bindings_are_exact():
    d = derive("cuda-graph", n=2, c=0.1)
    assert d.model.bindings["c"] == sympy.Rational(3602879701896397, 36028797018963968)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ValueError, match=r"unknown model 'nope'; the presets are: .*cuda-graph"):
        preset("nope")


def test_first_call_validates_values():
    with pytest.raises(ValueError, match=r"n must be integer >= 1, got 0"):
        LAB.first_call(n=0, c=3)
    with pytest.raises(ValueError, match=r"c needs a value"):
        LAB.first_call(n=3)


def test_constant_amortized_total_with_undecided_baseline_slope():
    # found by the presets work: n >= 0 may be 0, so the limit depends on n's sign
    from derive.engine.symbols import Domain
    x = Domain("rational", 0).symbol("x")
    m = Model("flat", k * x, c, (Parameter(x, Domain("rational", 0)), Parameter(c, POSITIVE_RATIONAL)))
    d = derive(m)
    assert d.asymptote.subs(x, 3) == sympy.oo
    assert d.asymptote.subs(x, 0) == 0
    for value in (0, 3):
        bound = m.bind(x=value)
        assert derive(bound).asymptote == sympy.limit(bound.baseline / bound.amortized, k, sympy.oo)


def test_text_never_reaches_sympify_from_the_python_api():
    from derive.engine.analysis import limit_of

    with pytest.raises(TypeError, match=r"baseline must be a number or a sympy expression, got str"):
        Model("bad", "__import__('os').getcwd()", c + k, (Parameter(c, POSITIVE_RATIONAL),))
    assert limit_of(n / (n + 1), n, "oo") == 1              # the words for infinity, no more
    with pytest.raises(ValueError, match=r"point must be a number, oo or -oo"):
        limit_of(n / (n + 1), n, "__import__('os').getcwd()")



# -- issue 14.7: cases that can never apply are pruned, values simplified where they apply --

def test_setup_model_drops_the_case_that_needs_a_negative_setup():
    from derive.engine.presets import custom_model

    d = derive(custom_model("k*t_eager", "t_setup + k*t_fast"))
    # before: "1 if t_eager - t_fast < 0 and t_eager - t_fast - t_setup > 0" (impossible: t_setup > 0)
    assert len(d.crossover) == 2 and d.crossover[-1] == Case(sympy.true, None)
    assert all(case.value != 1 for case in d.crossover)
    f = d.function("crossover")
    for t_eager, t_fast, t_setup in [(5, 3, 7), (3, 5, 1), (2, 2, 1), (Fraction(7, 2), 1, 5), (9, 1, 8)]:
        expected = first_win_of_affine(0, t_eager, t_setup, t_fast, 200)
        assert f(t_eager, t_fast, t_setup) == expected, (t_eager, t_fast, t_setup)


def test_half_n_capture_is_call_one_for_every_n():
    # before: floor((n - 2)/(2*(n - 1))) + 1 if n > 1, then an unreachable "never"
    d = derive("cuda-graph", c="n/2")
    assert d.crossover == (Case(sympy.true, 1),)
    for size in range(1, 60):
        assert first_win_by_walking(size, Fraction(size, 2), 10) == 1


@given(st.integers(1, 40), st.fractions(Fraction(1, 8), 200, max_denominator=8))
def test_pruned_cases_still_agree_with_walking(size, factor):
    d = derive("cuda-graph", c=f"{factor.numerator}*n/{factor.denominator}")
    c_value = size * factor
    assert d.first_call(n=size) == first_win_by_walking(size, c_value, 10**4)
