"""The checker: verdicts decided, counterexamples real, mistakes named.

Every counterexample is checked against an independent brute force: the expected value
from the oracle (walking k upward, or the totals written out), the answer's value from
sympy's own substitution — neither from the checker's evaluator.
"""

import io
import json
import math
import sys
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.checker import _decide
from derive.checker.answer import QUANTITIES, Verdict, check, narrow, parse_assumption
from derive.cli import main
from derive.engine.presets import preset
from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, k, n
from derive.errors import ParseError
from derive.text.parse import parse_expression
from tests.oracle import eager_total, first_win_by_walking, graph_total

EQ, NE, UN = "equivalent", "not_equivalent", "undecided"
SECONDS = 10          # generous: a loaded machine must not turn a proof into "undecided"


# -- the oracle, for every quantity ------------------------------------------------------------

def expected_by_brute_force(quantity, point):
    """The quantity at ``point`` from first principles; None where there is none."""
    nv, cv, kv = point.get("n"), Fraction(point.get("c", point.get("n", 1))), point.get("k")
    if quantity == "crossover":
        return first_win_by_walking(nv, cv, limit=10_000)
    if quantity == "eager_total":
        return eager_total(nv, kv)
    if quantity == "graph_total":
        return graph_total(nv, kv, cv)
    if quantity == "per_call_ratio":
        return Fraction(eager_total(nv, kv)) / graph_total(nv, kv, cv)
    def gap(j):                                         # E(j) - G(j), a line in j
        return eager_total(nv, j) - graph_total(nv, j, cv)
    if quantity == "break_even":
        slope = gap(1) - gap(0)
        return None if slope == 0 else -gap(0) / slope
    if quantity == "asymptote":                         # ratio of the per-call slopes
        return Fraction(eager_total(nv, 2) - eager_total(nv, 1)) / (graph_total(nv, 2, cv) - graph_total(nv, 1, cv))
    raise AssertionError(quantity)


def answer_by_substitution(answer, point, bindings=None):
    """The answer's value by sympy substitution; None for "never", "undefined" where undefined."""
    if answer.strip().lower() == "never":
        return None
    names = {"n": n, "c": c, "k": k}
    expr = parse_expression(answer, names)
    values = {names[name]: sympy.Rational(str(v)) for name, v in {**(bindings or {}), **point}.items()}
    try:
        result = expr.subs(values, simultaneous=True)      # at once: 0/(n - 1) is not 0 at n = 1
    except ValueError:                                  # Max(zoo, 1): undefined
        return "undefined"
    if result is sympy.oo:
        return None
    if result.has(sympy.zoo, sympy.nan):
        return "undefined"
    return Fraction(int(result.p), int(result.q))


def as_number(value):
    return value if value in (None, "undefined") else Fraction(value)


# -- the verdict table ----------------------------------------------------------------------------

# (quantity, answer, assumptions, bindings, verdict, counterexample or None, narrower)
TABLE = [
    # the crossover, written right
    ("crossover", "max(1, floor((c - 1)/(n - 1)) + 1)", ["n >= 2"], {}, EQ, None, None),
    ("crossover", r"\max\left(1, \left\lfloor \frac{c-1}{n-1} \right\rfloor + 1\right)", ["n >= 2"], {}, EQ, None, None),
    ("crossover", "max(1, (c - 1)//(n - 1) + 1)", ["n >= 2"], {}, EQ, None, None),
    ("crossover", "max(1, ⌊(c − 1)/(n − 1)⌋ + 1)", ["n >= 2"], {}, EQ, None, None),
    ("crossover", "floor((c - 1)/(n - 1)) + 1", ["n >= 2", "c >= 1"], {}, EQ, None, None),
    ("crossover", "floor((c - 1)/(n - 1)) + 1", ["c >= 1"], {}, NE, {"n": 1, "c": 1}, "n > 1"),  # undefined is not never
    # -floor(-x) = ceiling(x), in both directions
    ("crossover", "max(1, 1 - ceiling((1 - c)/(n - 1)))", ["n >= 2"], {}, EQ, None, None),
    ("crossover", "max(1, -floor(-c/(n - 1)))", ["n >= 2", "c integer"], {}, EQ, None, None),
    # integer-only identities: right for integer c, wrong for c = 3/2, n = 2
    ("crossover", "ceil(c/(n - 1))", ["n >= 2", "c integer"], {}, EQ, None, None),
    ("crossover", "ceil(c/(n - 1))", ["n >= 2"], {}, NE, {"n": 2, "c": Fraction(3, 2)}, "c integer"),
    ("crossover", "ceil(c/(n - 1))", [], {"n": 2, "c": Fraction(5, 2)}, NE, {"n": 2, "c": Fraction(5, 2)}, None),
    ("crossover", "floor((c + n - 2)/(n - 1))", ["n >= 2", "c integer"], {}, EQ, None, None),
    ("crossover", r"\left\lceil \frac{c}{n-1} \right\rceil", ["n >= 2", "c is an integer"], {}, EQ, None, None),
    # classic mistakes
    ("crossover", "ceil((c - 1)/(n - 1))", ["n >= 2"], {}, NE, {"n": 2, "c": 2}, None),
    ("crossover", "ceil((c - 1)/(n - 1))", ["n >= 2", "c integer"], {}, NE, {"n": 2, "c": 2}, None),
    ("crossover", "(c - 1)/(n - 1)", ["n >= 2"], {}, NE, {"n": 2, "c": 2}, None),
    ("crossover", "floor((c - 1)/(n - 1))", ["n >= 2"], {}, NE, None, None),
    ("crossover", "max(1, floor(c/(n - 1)) + 1)", ["n >= 2"], {}, NE, {"n": 2, "c": 1}, None),
    ("crossover", "floor((c - 1)/(n - 1)) + 1", ["n >= 2"], {}, NE, {"n": 2, "c": Fraction(1, 2)}, None),
    # the domain matters: n = 1
    ("crossover", "max(1, floor((c - 1)/(n - 1)) + 1)", [], {}, NE, {"n": 1, "c": 1}, "n > 1"),
    ("crossover", "2", [], {"c": "n"}, NE, {"n": 1, "c": 1}, "n > 1"),   # c's value, not "n"
    ("crossover", "2", ["n >= 2"], {"c": "n"}, EQ, None, None),
    ("crossover", "never", [], {"n": 1, "c": 1}, EQ, None, None),
    ("crossover", "oo", [], {"n": 1, "c": 3}, EQ, None, None),
    ("crossover", "never", [], {"n": 1, "c": Fraction(1, 2)}, NE, {"n": 1, "c": Fraction(1, 2)}, None),
    ("crossover", "4", [], {"n": 30, "c": 90}, EQ, None, None),
    ("crossover", "3", [], {"n": 30, "c": 90}, NE, {"n": 30, "c": 90}, None),
    ("crossover", "floor((c - 1)/29) + 1", ["c >= 1"], {"n": 30}, EQ, None, None),
    ("crossover", "k", ["n >= 2"], {}, NE, None, None),
    # the totals and the ratio
    ("graph_total", "c + k - 1", [], {}, EQ, None, None),
    ("graph_total", "k + c - 1", [], {}, EQ, None, None),
    ("graph_total", r"c + \left(k - 1\right)", [], {}, EQ, None, None),
    ("graph_total", "c + k", [], {}, NE, {"n": 1, "c": 1, "k": 1}, None),
    ("graph_total", "n + k - 1", [], {}, NE, None, None),
    ("eager_total", "kn", [], {}, EQ, None, None),
    ("eager_total", "n(k - 1)", [], {}, NE, {"n": 1, "c": 1, "k": 1}, None),
    ("per_call_ratio", "kn/(c + k - 1)", [], {}, EQ, None, None),
    ("per_call_ratio", r"\frac{k n}{c + k - 1}", [], {}, EQ, None, None),
    ("per_call_ratio", "kn/(c + k)", [], {}, NE, None, None),
    ("per_call_ratio", "(c + k - 1)/(kn)", [], {}, NE, None, None),
    # break-even and asymptote
    ("break_even", "(c - 1)/(n - 1)", [], {}, EQ, None, None),
    ("break_even", "(1 - c)/(1 - n)", [], {}, EQ, None, None),
    ("break_even", "c/(n - 1)", [], {}, NE, {"n": 2, "c": 1}, None),
    ("break_even", "floor((c - 1)/(n - 1)) + 1", ["n >= 2"], {}, NE, None, None),
    ("asymptote", "n", [], {}, EQ, None, None),
    ("asymptote", "n/c", [], {}, NE, {"n": 1, "c": Fraction(1, 2)}, None),
    ("asymptote", "kn/(c + k - 1)", [], {}, NE, None, None),
    ("asymptote", "1/n", [], {}, NE, {"n": 2, "c": 1}, None),
    ("asymptote", "300", [], {"n": 300}, EQ, None, None),
    # undecided, said plainly: right, but beyond both sympy's identities and z3
    ("asymptote", "sqrt(n^2 + 2n + 1) - 1", [], {}, UN, None, None),
]


def _id(row):
    quantity, answer, assume, bindings = row[:4]
    return f"{quantity}:{answer}:{','.join(assume)}:{bindings}"


@pytest.mark.parametrize("quantity, answer, assume, bindings, verdict, point, narrower", TABLE,
                         ids=[_id(r) for r in TABLE])
def test_verdicts(quantity, answer, assume, bindings, verdict, point, narrower):
    result = check(quantity, answer, assume=assume, bindings=bindings, seconds=SECONDS)
    assert result.verdict == verdict, result.message
    if point is not None:
        assert result.point == point
    if narrower is not None:
        assert result.narrower == narrower
    if verdict == NE:
        assert result.message.startswith("not equivalent: at ")
        _confirm_counterexample(quantity, answer, bindings, result)
    else:
        assert result.point is None and result.expected_value is None
        assert result.message.startswith(verdict)


def _confirm_counterexample(quantity, answer, bindings, result):
    """The counterexample is real: the oracle and sympy's substitution disagree there."""
    point = dict(result.point)
    full = {**{name: Fraction(sympy.Rational(str(v))) if isinstance(v, str) else v
               for name, v in bindings.items() if name != "c" or v != "n"}, **point}
    if bindings.get("c") == "n":
        full["c"] = full["n"]
    full.setdefault("c", full.get("n", 1))
    full.setdefault("n", 1)
    full.setdefault("k", 1)
    expected = expected_by_brute_force(quantity, full)
    given = answer_by_substitution(answer, point, {name: v for name, v in full.items() if name not in point})
    assert as_number(result.expected_value) == as_number(expected)
    assert as_number(result.answer_value) == as_number(given)
    assert as_number(expected) != as_number(given)


MISTAKES = [
    ("crossover", "ceil((c - 1)/(n - 1))", ["n >= 2"], "the ceiling of the break-even root"),
    ("crossover", "max(1, ceil((c - 1)/(n - 1)))", ["n >= 2"], "the ceiling of the break-even root"),
    ("crossover", "(c - 1)/(n - 1)", ["n >= 2"], "the break-even root (c - 1)/(n - 1) itself"),
    ("crossover", "floor((c - 1)/(n - 1))", ["n >= 2"], "the floor of the break-even root"),
    ("crossover", "max(1, floor(c/(n - 1)) + 1)", ["n >= 2"], "c + k for c + k - 1"),
    ("crossover", "floor((c - 1)/(n - 1)) + 1", ["n >= 2"], "the case c < 1 is missing"),
    ("graph_total", "c + k", [], "c + k for c + k - 1: the first call is counted as a capture and again"),
    ("graph_total", "c + k - 2", [], "one replay too few"),
    ("graph_total", "n + k - 1", [], "the default c = n used where it does not apply"),
    ("eager_total", "n(k - 1)", [], "one call too few"),
    ("eager_total", "n(k + 1)", [], "one call too many"),
    ("asymptote", "n/c", [], "an asymptote that depends on c: the limit is n for every c"),
    ("asymptote", "cn", [], "an asymptote that depends on c"),
    ("asymptote", "kn/(c + k - 1)", [], "the ratio of the totals at call k, not its limit"),
    ("asymptote", "1/n", [], "the ratio upside down"),
    ("asymptote", "n - 1", [], "the saving per call"),
    ("per_call_ratio", "(c + k - 1)/(kn)", [], "the ratio upside down"),
    ("per_call_ratio", "kn/(c + k)", [], "c + k for c + k - 1"),
    ("per_call_ratio", "n", [], "the limit as k -> oo instead of the ratio at call k"),
    ("break_even", "floor((c - 1)/(n - 1)) + 1", ["n >= 2"], "the crossover (the first whole call) instead"),
    ("break_even", "c/(n - 1)", [], "c + k for c + k - 1"),
    # issue 12: call 2 without c = n, the saving for the asymptote, the root without the
    # integer step, c*k and k*n - 1 for the totals
    ("crossover", "2", [], "call 2 is the crossover only when c = n"),
    ("crossover", "2", ["n >= 2"], "call 2 is the crossover only when c = n"),
    ("asymptote", "n - 1", [], "the saving per call, n - 1, not the ratio"),
    ("crossover", "(c - 1)/(n - 1)", [], "the break-even root (c - 1)/(n - 1) itself"),
    ("graph_total", "c*k", [], "c*k: the first call's cost paid on every call"),
    ("graph_total", "c + k", [], "c + k for c + k - 1"),
    ("eager_total", "k*n - 1", [], "one launch too few"),
]


@pytest.mark.parametrize("quantity, answer, assume, name", MISTAKES, ids=[f"{q}:{a}" for q, a, _, _ in MISTAKES])
def test_classic_mistakes_are_named(quantity, answer, assume, name):
    result = check(quantity, answer, assume=assume, seconds=SECONDS)
    assert result.verdict == NE
    assert result.mistake is not None and name in result.mistake, result.mistake
    assert f"Classic mistake: {result.mistake}." in result.message


def test_right_answers_name_no_mistake():
    for quantity, answer, assume, bindings, verdict, _, _ in TABLE:
        if verdict == EQ:
            assert check(quantity, answer, assume=assume, bindings=bindings, seconds=SECONDS).mistake is None


# -- identities the checker proves, directly -----------------------------------------------------

@pytest.mark.parametrize("left, right, domain", [
    (sympy.ceiling(c), -sympy.floor(-c), POSITIVE_RATIONAL),
    (sympy.floor(c), -sympy.ceiling(-c), POSITIVE_RATIONAL),
    (sympy.ceiling(c / 3), sympy.floor((c + 2) / 3), Domain("integer", 0)),
    (sympy.floor(c) + 1, sympy.floor(c + 1), POSITIVE_RATIONAL),
    (sympy.Max(c, 1 - c), sympy.Abs(c - sympy.Rational(1, 2)) + sympy.Rational(1, 2), POSITIVE_RATIONAL),
])
def test_floor_ceiling_identities_are_proved(left, right, domain):
    outcome = _decide.compare((c,), {c: domain}, ((sympy.true, left),), right, seconds=SECONDS)
    assert outcome.status == "proved"


def test_integer_only_identity_is_refuted_on_the_rationals():
    outcome = _decide.compare((c,), {c: POSITIVE_RATIONAL}, ((sympy.true, sympy.ceiling(c / 3)),),
                              sympy.floor((c + 2) / 3), seconds=SECONDS)
    assert outcome.status == "refuted"
    value = outcome.point[c]
    assert math.ceil(value / 3) != math.floor((value + 2) / 3)


def test_an_assumption_holds_only_where_it_is_defined():
    # c/(n - 1) != 2 says nothing at n = 1, where it is undefined: it leaves n >= 2, where
    # the closed form is right, so no counterexample at n = 1 may be given.
    result = check("crossover", "max(1, floor((c-1)/(n-1))+1)", assume=["c/(n-1) != 2"], seconds=SECONDS)
    assert result.verdict == EQ, result.message
    wrong = check("crossover", "floor((c-1)/(n-1))+1", assume=["c/(n-1) != 2"], seconds=SECONDS)
    assert wrong.verdict == NE and wrong.point["n"] >= 2 and wrong.point["c"] / (wrong.point["n"] - 1) != 2
    # and in `follows`: the premise cannot be met at n = 1 through an undefined assumption
    outcome = _decide.follows((n, c), {n: COUNT, c: POSITIVE_RATIONAL}, c > 0, n >= 2,
                              assumptions=(sympy.Ne(c / (n - 1), 2),), seconds=SECONDS)
    assert outcome.status == "proved"
    assert _decide.satisfiable((n, c), {n: COUNT, c: POSITIVE_RATIONAL},
                               (sympy.Ne(c / (n - 1), 2), n < 2)) is False


def test_no_narrower_domain_that_leaves_nothing():
    # c < 1 with c integer leaves no c: "right when c is an integer" would be vacuous.
    result = check("crossover", "7", assume=["c < 1"], seconds=SECONDS)
    assert result.verdict == NE and result.narrower is None
    assert "It is right when" not in result.message


def test_a_tiny_time_budget_gives_undecided_not_a_guess():
    result = check("crossover", "max(1, 1 - ceiling((1 - c)/(n - 1)))", assume=["n >= 2"], seconds=0.000001)
    assert result.verdict == UN
    assert "undecided" in result.message and "the time ran out" in result.message


# -- property: whatever the verdict, it agrees with the brute force --------------------------------

FORMS = ["max(1, floor((c - {a})/(n - 1)) + {d})", "ceil((c + {a})/(n - 1)) + {d}",
         "floor((c + n - {a})/(n - 1)) + {d}", "max({d}, ceil((c - {a})/(n - 1)))"]
GRID = [(nv, cv) for nv in range(2, 8) for cv in
        sorted({Fraction(p, q) for q in (1, 2, 3) for p in range(1, 3 * 9)})]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(FORMS), st.integers(-1, 2), st.integers(-1, 2), st.booleans())
def test_verdicts_agree_with_brute_force(form, a, d, integer_c):
    answer = form.format(a=a, d=d)
    assume = ["n >= 2"] + (["c integer"] if integer_c else [])
    result = check("crossover", answer, assume=assume, seconds=SECONDS)
    grid = [(nv, cv) for nv, cv in GRID if not integer_c or cv.denominator == 1]
    if result.verdict == NE:
        _confirm_counterexample("crossover", answer, {}, result)
    elif result.verdict == EQ:
        for nv, cv in grid:
            assert answer_by_substitution(answer, {"n": nv, "c": cv}) == first_win_by_walking(nv, cv, 10_000)


# -- assumptions ---------------------------------------------------------------------------------------

def test_assumptions_narrow_the_domains():
    model, k_domain, relations = narrow(preset("cuda-graph"), ["n >= 2", "c > 1/2", "k >= 3", "c <= n"])
    assert [str(p.domain) for p in model.parameters] == ["integer >= 2", "rational > 1/2"]
    assert str(k_domain) == "integer >= 3" and relations == (c <= n,)
    assert parse_assumption("c integer", {"c": c}).kind == "integer"
    assert parse_assumption("2 <= n", {"n": n}).lower == 2


@pytest.mark.parametrize("assume, message", [
    (["x >= 2"], "unknown name 'x'"),
    (["x integer"], "unknown name 'x' in the assumption"),
    (["n +"], "expected a number"),
    (["n"], "expected a relation such as n >= 2"),
    (["c > oo"], "must be finite rational numbers such as 2 or 1/2, got oo in 'c > oo'"),
    (["n >= -oo"], "must be finite rational numbers .* got -oo"),
    (["c > sqrt(2)"], r"must be finite rational numbers .* got sqrt\(2\)"),
    (["c < n*sqrt(2)"], r"got sqrt\(2\)"),
])
def test_bad_assumptions(assume, message):
    with pytest.raises(ParseError, match=message):
        check("crossover", "2", assume=assume)


def test_assumptions_that_leave_nothing_are_refused():
    with pytest.raises(ValueError, match="leave no values of the parameters to check"):
        check("crossover", "2", assume=["c < 0"])


def test_a_binding_outside_the_narrowed_domain_is_refused():
    with pytest.raises(ValueError, match="n must be integer >= 2, got 1"):
        check("crossover", "2", assume=["n >= 2"], bindings={"n": 1})


@pytest.mark.parametrize("quantity, message", [
    ("cross", "quantity must be one of eager_total, graph_total, break_even, crossover, asymptote, "
              "per_call_ratio, .*got 'cross'"),
    (3, "quantity must be a str"),
])
def test_bad_quantities(quantity, message):
    with pytest.raises((ValueError, TypeError), match=message):
        check(quantity, "2")


def test_model_names_for_quantities():
    assert check("baseline", "kn").verdict == EQ
    assert check("amortized", "c + k - 1").verdict == EQ


# -- the result and its JSON -----------------------------------------------------------------------------

def test_json_has_exactly_the_issue_keys():
    result = check("crossover", "ceil(c/(n-1))", assume=["n >= 2"])
    assert isinstance(result, Verdict)
    data = result.to_json()
    assert list(data) == ["verdict", "counterexample", "expected_value", "answer_value", "message"]
    assert data["counterexample"] == {"n": "2", "c": "3/2"}
    assert (data["expected_value"], data["answer_value"]) == ("1", "2")
    right = check("crossover", "ceil(c/(n-1))", assume=["n >= 2", "c integer"]).to_json()
    assert right["counterexample"] is None and right["expected_value"] is None
    never = check("crossover", "2", bindings={"c": "n"}).to_json()
    assert never["expected_value"] == "never" and never["answer_value"] == "2"
    assert never["counterexample"] == {"n": "1", "c": "1"}                 # bound c as its value
    assert never["message"].startswith("not equivalent: at n = 1, c = 1 ")


def test_a_bound_expression_is_shown_as_its_value_at_the_point():
    result = check("crossover", "5", bindings={"c": "3*n"}, seconds=SECONDS)
    n_value = result.point["n"]
    assert result.point == {"n": n_value, "c": 3 * n_value}
    assert f"at n = {n_value}, c = {3 * n_value} " in result.message and "3*n" not in result.message


def test_quantities():
    assert QUANTITIES == ("eager_total", "graph_total", "break_even", "crossover", "asymptote", "per_call_ratio")


# -- the command line ---------------------------------------------------------------------------------------

def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes(capsys, monkeypatch):
    code, out, err = run(capsys, "check", "crossover", "max(1, floor((c-1)/(n-1)) + 1)", "--assume", "n >= 2")
    assert code == 0 and out.startswith("equivalent") and err == ""
    code, out, _ = run(capsys, "check", "crossover", "ceil(c/(n-1))", "--assume", "n >= 2")
    assert code == 1 and "at n = 2, c = 3/2 the crossover is 1" in out and "c is an integer" in out
    code, out, _ = run(capsys, "check", "asymptote", "sqrt(n^2 + 2n + 1) - 1")
    assert code == 3 and out.startswith("undecided")
    code, out, err = run(capsys, "check", "crossover", "n +")
    assert code == 2 and out == "" and err.startswith("derive: error: expected a number")
    code, _, err = run(capsys, "check", "speed", "2")
    assert code == 2 and "quantity must be one of" in err


def test_cli_json(capsys):
    code, out, _ = run(capsys, "check", "crossover", "3", "--set", "n=30", "--set", "c=90", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["counterexample"] == {"n": "30", "c": "90"} and data["expected_value"] == "4"
    assert data["answer_value"] == "3" and data["verdict"] == "not_equivalent"


def test_cli_reads_the_answer_from_standard_input(capsys, monkeypatch):
    code, out, _ = run(capsys, "check", "graph_total", "-", stdin="c + k − 1\n".encode(), monkeypatch=monkeypatch)
    assert code == 0 and out.startswith("equivalent")
    code, _, err = run(capsys, "check", "graph_total", "-", stdin=b"c + \xff", monkeypatch=monkeypatch)
    assert code == 2 and "not valid UTF-8: byte 0xff at offset 4" in err and err.count("\n") == 1
    code, _, err = run(capsys, "check", "graph_total", "-", stdin=b"n" * 70_000, monkeypatch=monkeypatch)
    assert code == 2 and "longer than 65536 bytes" in err


def test_the_derivation_cache_stays_bounded(tmp_path, monkeypatch):
    """Every binding is a new key, and derive serve takes bindings from anyone: the cache
    folder never grows past MAX_FILES, and a value written is read back."""
    from derive.checker import _cache

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_cache, "MAX_FILES", 8)
    calls = []
    for i in range(30):
        assert _cache.cached(f"key {i}", lambda i=i: calls.append(i) or i * i) == i * i
        assert len(list(tmp_path.glob("derivation-*"))) <= 8
    assert _cache.cached("key 29", lambda: calls.append("again") or -1) == 29 * 29
    assert calls == list(range(30))                  # the last key came from disk
