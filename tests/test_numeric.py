"""The lab's numeric functions: exact values, validation, and agreement with the engine."""

import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from derive import numeric
from derive.engine.derivation import derive
from derive.numeric import (
    asymptotic_speedup,
    crossover,
    eager_launches,
    graph_launches,
    per_call_ratio,
)
from tests.oracle import eager_total, first_win_by_walking, graph_total

# -- strategies ----------------------------------------------------------------------

ops = st.integers(min_value=1, max_value=400)
calls = st.integers(min_value=1, max_value=2000)
huge = st.integers(min_value=10**30, max_value=10**45)
fractions = st.fractions(min_value=Fraction(1, 10**6), max_value=2000, max_denominator=10**6)
costs = st.one_of(st.integers(min_value=1, max_value=2000), fractions)

# The engine's results, compiled once for the whole module (no subs per example).
LAB = derive("cuda-graph")
ENGINE = {name: LAB.function(name) for name in ("baseline", "amortized", "crossover",
                                                  "asymptote", "per_call_ratio")}


# -- the lab's pinned facts -----------------------------------------------------------

def test_headline_numbers():
    assert crossover(30) == 2
    assert crossover(30, 90) == 4
    assert crossover(1) is None
    assert asymptotic_speedup(300) == 300


@given(st.integers(min_value=2, max_value=10**6))
def test_default_capture_pays_back_at_the_second_call(n):
    assert crossover(n) == 2
    assert graph_launches(n, 1) == eager_launches(n, 1)        # a tie at the first call
    assert graph_launches(n, 2) < eager_launches(n, 2)


@given(costs.filter(lambda c: c >= 1), calls)
def test_one_op_never_wins_with_capture_of_a_launch_or_more(c, k):
    assert crossover(1, c) is None
    assert graph_launches(1, k, c) >= eager_launches(1, k)


@given(fractions.filter(lambda c: c < 1))
def test_one_op_wins_at_once_with_capture_below_a_launch(c):
    assert crossover(1, c) == 1


@given(ops.filter(lambda n: n > 1), costs.filter(lambda c: c > 1), st.integers(1, 500))
def test_per_call_ratio_rises_to_n_from_below(n, c, k):
    now, later = per_call_ratio(n, k, c), per_call_ratio(n, k + 1, c)
    assert now < later < n


def test_exact_formulas_written_out():
    for n in range(1, 12):
        for k in range(1, 12):
            assert eager_launches(n, k) == k * n
            assert graph_launches(n, k) == n + k - 1
            assert graph_launches(n, k, Fraction(7, 2)) == Fraction(7, 2) + k - 1


# -- against the brute force and the engine ------------------------------------------

@given(ops, costs)
def test_crossover_against_walking_k_upward(n, c):
    limit = 2100 if n > 1 else 3                  # for n >= 2 the first win is below c + 1
    assert crossover(n, c) == first_win_by_walking(n, c, limit)


@given(st.one_of(ops, huge), st.one_of(costs, huge, st.fractions(min_value=1, max_denominator=10**40).map(lambda f: f * 10**35)))
def test_crossover_is_the_least_winning_call_for_huge_values(n, c):
    first = crossover(n, c)
    if first is None:
        assert n == 1 and c >= 1
        return
    assert graph_total(n, first, c) < eager_total(n, first)
    assert first == 1 or graph_total(n, first - 1, c) >= eager_total(n, first - 1)


@given(st.one_of(ops, huge), st.one_of(calls, huge), st.one_of(costs, huge))
def test_numeric_agrees_with_the_engine(n, k, c):
    assert eager_launches(n, k) == ENGINE["baseline"](n, c, k)
    assert graph_launches(n, k, c) == ENGINE["amortized"](n, c, k)
    assert crossover(n, c) == ENGINE["crossover"](n, c)
    assert asymptotic_speedup(n, c) == ENGINE["asymptote"](n, c)
    assert per_call_ratio(n, k, c) == ENGINE["per_call_ratio"](n, c, k)


@given(ops, calls, st.floats(min_value=1e-3, max_value=1e4, allow_nan=False))
def test_floats_are_taken_exactly(n, k, c):
    assert graph_launches(n, k, c) == Fraction(c) + k - 1
    assert crossover(n, c) == crossover(n, Fraction(c))


def test_result_types_are_exact():
    assert type(graph_launches(30, 4, 90)) is int
    assert type(graph_launches(30, 4, 90.0)) is int
    assert graph_launches(30, 4, Fraction(5, 2)) == Fraction(11, 2)
    assert type(per_call_ratio(30, 4)) is Fraction
    assert crossover(10**40, 10**80) == 10**40 + 2          # an integer root: a tie, then a win


# -- bad input: one table, messages matched -------------------------------------------

INVALID = [
    ("num_ops zero", crossover, (0,), ValueError, r"num_ops must be >= 1, got 0"),
    ("num_ops negative", eager_launches, (-3, 1), ValueError, r"num_ops must be >= 1, got -3"),
    ("num_ops float", crossover, (2.0,), TypeError, r"num_ops must be an int >= 1, got float 2.0"),
    ("num_ops bool", crossover, (True,), TypeError, r"num_ops must be an int >= 1, got bool True"),
    ("num_ops str", crossover, ("30",), TypeError, r"num_ops must be an int >= 1, got str '30'"),
    ("k zero", graph_launches, (30, 0), ValueError, r"k must be >= 1, got 0"),
    ("k fraction", per_call_ratio, (30, Fraction(1, 2)), TypeError, r"k must be an int >= 1, got Fraction"),
    ("cost negative", crossover, (30, -1), ValueError, r"capture_cost_ops must be > 0, got -1"),
    ("cost zero", crossover, (30, 0), ValueError, r"capture_cost_ops must be > 0, got 0"),
    ("cost nan", crossover, (30, float("nan")), ValueError, r"capture_cost_ops must be finite and > 0, got nan"),
    ("cost inf", graph_launches, (30, 1, float("inf")), ValueError, r"must be finite and > 0, got inf"),
    ("cost bool", crossover, (30, True), TypeError, r"capture_cost_ops must be a number > 0 .* got bool True"),
    ("cost str", asymptotic_speedup, (30, "90"), TypeError, r"capture_cost_ops must be a number > 0 .* got str '90'"),
    ("cost complex", crossover, (30, 1j), TypeError, r"got complex 1j"),
    ("cost negative fraction", crossover, (30, Fraction(-1, 2)), ValueError, r"must be > 0, got Fraction\(-1, 2\)"),
]


@pytest.mark.parametrize("function, args, error, message",
                         [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_arguments(function, args, error, message):
    with pytest.raises(error, match=message):
        function(*args)


VALID = [
    ("int cost", crossover, (30, 90), 4),
    ("fraction cost", crossover, (2, Fraction(5, 2)), 2),
    ("float cost", crossover, (2, 2.5), 2),
    ("cost below one", crossover, (3, Fraction(1, 2)), 1),
    ("int subclass", crossover, (type("Ops", (int,), {})(30),), 2),
    ("ratio", per_call_ratio, (30, 2), Fraction(60, 31)),
]


@pytest.mark.parametrize("function, args, expected", [case[1:] for case in VALID],
                         ids=[case[0] for case in VALID])
def test_valid_arguments(function, args, expected):
    assert function(*args) == expected


def test_numeric_api_does_not_import_sympy():
    code = ("import sys, derive; from fractions import Fraction; "
            "derive.crossover(30, 90); derive.per_call_ratio(30, 4, Fraction(5, 2)); "
            "derive.graph_launches(3, 4, 2.5); print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_numeric_module_source_never_mentions_sympy_imports():
    source = open(numeric.__file__, encoding="utf-8").read()
    assert "import sympy" not in source and "from sympy" not in source


@given(ops, costs)
def test_ceil_of_the_root_is_wrong_exactly_at_integer_roots(n, c):
    assume(n > 1 and c >= 1)
    root = Fraction(c - 1) / (n - 1)
    ceil_root = -(-root.numerator // root.denominator)          # ⌈root⌉, the classic answer
    assert (ceil_root != crossover(n, c)) == (root.denominator == 1)


# -- numpy and other integer types: converted at the door, never wrapped ----------------

np = pytest.importorskip("numpy")

WIDTHS = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)


def _numpy_integers(kind):
    """Scalars of ``kind`` over its whole range, its edges (min, max, 0, ±1) drawn often."""
    info = np.iinfo(kind)
    edges = sorted(e for e in {info.min, info.min + 1, -1, 0, 1, 2, 3, info.max - 1, info.max}
                   if info.min <= e <= info.max)
    return st.one_of(st.sampled_from(edges), st.integers(info.min, info.max)).map(kind)


numpy_integers = st.sampled_from(WIDTHS).flatmap(_numpy_integers)
FUNCTIONS = {                                       # name: (function, number of arguments)
    "eager_launches": (eager_launches, 2),
    "graph_launches": (graph_launches, 3),
    "crossover": (crossover, 2),
    "asymptotic_speedup": (asymptotic_speedup, 2),
    "per_call_ratio": (per_call_ratio, 3),
}


def _outcome(function, args):
    try:
        result = function(*args)
    except (TypeError, ValueError) as error:
        return type(error), str(error).split(" must ")[0]          # which argument was refused
    return type(result), result


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@given(data=st.data())
def test_numpy_integers_give_what_the_same_ints_give(name, data):
    function, arity = FUNCTIONS[name]
    builtin = [data.draw(st.integers(-3, 2**70)) for _ in range(arity)]
    position = data.draw(st.integers(0, arity - 1), label="numpy argument")
    scalar = data.draw(numpy_integers, label="numpy scalar")
    builtin[position] = int(scalar)
    mixed = list(builtin)
    mixed[position] = scalar
    expected, got = _outcome(function, builtin), _outcome(function, mixed)
    assert got == expected                         # the same value, of the same builtin type
    assert got[0] in (int, Fraction, type(None), TypeError, ValueError)


@pytest.mark.parametrize("kind", WIDTHS, ids=lambda kind: kind.__name__)
def test_numpy_results_at_the_edges_of_every_width(kind):
    top = int(np.iinfo(kind).max)
    assert graph_launches(1, 2, kind(top)) == top + 1
    assert type(graph_launches(1, 2, kind(top))) is int
    assert per_call_ratio(1, 2, kind(top)) == Fraction(2, top + 1)
    assert type(per_call_ratio(kind(top), kind(top), kind(top))) is Fraction
    assert eager_launches(kind(top), kind(top)) == top * top
    assert crossover(10**40, kind(top)) == (top - 1) // (10**40 - 1) + 1
    assert crossover(kind(top), kind(top)) == crossover(top, top)
    for n, c in ((kind(top), kind(top)), (kind(2), kind(top)), (kind(top), kind(1))):
        if top < 10**6:                            # the brute force walks up to the answer
            assert crossover(n, c) == first_win_by_walking(int(n), int(c), top + 2)


@pytest.mark.parametrize("call, value", [
    (lambda: graph_launches(1, 2, np.int64(2**63 - 1)), 2**63),
    (lambda: per_call_ratio(1, 2, np.int8(127)), Fraction(1, 64)),
    (lambda: per_call_ratio(1, 2, np.uint8(255)), Fraction(1, 128)),
    (lambda: crossover(10**40, np.int64(3)), 1),
    (lambda: crossover(np.int64(3)), 2),
    (lambda: crossover(3, Fraction(np.int64(9), np.int64(2))), first_win_by_walking(3, Fraction(9, 2), 10)),
], ids=["graph-int64-max", "ratio-int8-max", "ratio-uint8-max", "crossover-int64-cost",
        "crossover-int64-ops", "fraction-of-numpy"])
def test_the_issues_wrapping_cases(call, value):
    result = call()
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize("args, message", [
    ((np.int64(0),), r"num_ops must be >= 1, got 0"),
    ((3, np.int8(-1)), r"capture_cost_ops must be > 0, got np.int8\(-1\)|capture_cost_ops must be > 0, got -1"),
    ((np.bool_(True),), r"num_ops must be an int >= 1, got bool"),
    ((np.float32(2.0),), r"num_ops must be an int >= 1, got float32"),
    ((-10**5000,), r"num_ops must be >= 1, got a negative int of about 5001 digits"),
])
def test_numpy_and_huge_refusals_are_short_and_named(args, message):
    with pytest.raises((TypeError, ValueError), match=message):
        crossover(*args)


def test_numeric_does_not_import_numpy():
    code = ("import sys, derive.numeric as m; m.crossover(30, 90); "
            "print('numpy' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
