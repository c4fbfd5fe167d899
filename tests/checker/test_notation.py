"""Answers as students write them (issue 12): every notation read as a mathematician reads
it, each checked by a verdict whose counterexample (if any) the brute force confirms."""

import contextlib
import io
from fractions import Fraction

import pytest

from derive.checker.answer import check
from derive.cli import main
from derive.errors import ParseError
from tests.oracle import first_win_by_walking

EQ, NE = "equivalent", "not_equivalent"
SECONDS = 10
CROSSOVER = r"\begin{cases} 1 & c < 1 \\ \left\lfloor \frac{c-1}{n-1} \right\rfloor + 1 & n > 1 \\ \text{never} & \text{otherwise} \end{cases}"

READ = [
    # \dfrac \tfrac \cfrac
    ("break_even", r"\dfrac{c-1}{n-1}", [], EQ),
    ("break_even", r"\tfrac{c-1}{n-1}", [], EQ),
    ("break_even", r"\cfrac{c-1}{n-1}", [], EQ),
    ("per_call_ratio", r"\dfrac{kn}{c+k-1}", [], EQ),
    # juxtaposition: LaTeX always, plain text between known names
    ("eager_total", "n c", [], NE),
    ("eager_total", r"k\,n", [], EQ),
    ("eager_total", "k n", [], EQ),
    ("per_call_ratio", r"\frac{k n}{c + k - 1}", [], EQ),
    # delimiters
    ("eager_total", "$k n$", [], EQ),
    ("eager_total", "$$kn$$", [], EQ),
    ("eager_total", r"\(k \cdot n\)", [], EQ),
    ("eager_total", r"\[k n\]", [], EQ),
    # an equation naming the quantity
    ("crossover", "k = floor((c-1)/(n-1)) + 1", ["n >= 2", "c >= 1"], EQ),
    ("crossover", r"k_\times = \left\lfloor\frac{c-1}{n-1}\right\rfloor + 1", ["n >= 2", "c >= 1"], EQ),
    ("break_even", r"k^* = \frac{c-1}{n-1}", [], EQ),
    ("eager_total", "E(k) = kn", [], EQ),
    ("graph_total", "G(k) = c + k - 1", [], EQ),
    ("asymptote", r"\lim_{k\to\infty} E/G = n", [], EQ),
    ("asymptote", "lim = n", [], EQ),
    ("per_call_ratio", r"\frac{E(k)}{G(k)} = \frac{kn}{c+k-1}", [], EQ),
    ("break_even", "k* = (c-1)/(n-1)", [], EQ),
    ("eager_total", r"T_{eager}(k) = kn", [], EQ),
    ("asymptote", r"S(\infty) = n", [], EQ),
    ("asymptote", r"\displaystyle \lim\limits_{k\to\infty}\frac{kn}{c+k-1}=n", [], EQ),
    # limits, evaluated
    ("asymptote", r"\lim_{k \to \infty} \frac{kn}{c+k-1}", [], EQ),
    ("asymptote", r"\lim_{k \to \infty} \frac{kn}{c+k-1} = n", [], EQ),
    ("asymptote", r"\lim_{k \to \infty} \frac{k}{c+k-1}", [], NE),
    # case splits
    ("crossover", CROSSOVER, [], EQ),
    ("crossover", "1 if c < 1 else floor((c-1)/(n-1)) + 1 if n > 1 else never", [], EQ),
    ("crossover", "Piecewise((1, c < 1), (floor((c-1)/(n-1)) + 1, n > 1), (oo, True))", [], EQ),
    ("crossover", "floor((c-1)/(n-1)) + 1 if n > 1 else never", [], NE),           # c < 1 missing
    ("crossover", "max(1, floor((c-1)/(n-1)) + 1) if n >= 2 else (1 if c < 1 else never)", [], EQ),
    ("crossover", r"\left\lfloor \frac{c-1}{n-1} \right\rfloor + 1 \text{ for } n \ge 2", ["n >= 2", "c >= 1"], EQ),
    ("crossover", r"\left\lfloor \frac{c-1}{n-1} \right\rfloor + 1 \text{ for } n \ge 2", [], NE),   # nothing at n = 1
    ("break_even", "(c-1)/(n-1) if n != 1 else none", [], EQ),
    # int() truncates toward zero: for c < 1 it is 0, not -1
    ("crossover", "int((c-1)/(n-1)) + 1", ["n >= 2", "c >= 1"], EQ),
    ("crossover", "int((c-1)/(n-1)) + 1", ["n >= 2"], EQ),            # c < 1: int(-1/2) + 1 = 1
    ("crossover", "int((c-1)/(n-1) - 1) + 2", ["n >= 2"], NE),        # truncation is not floor
    # symbolic exponents: read, and refuted with a point
    ("eager_total", "k^n", [], NE),
    ("eager_total", "n^{k}", [], NE),
    # Python's ceiling idiom
    ("crossover", "-(-c//(n-1))", ["n >= 2", "c integer"], EQ),
]


@pytest.mark.parametrize("quantity, answer, assume, verdict", READ, ids=[f"{q}:{a}" for q, a, _, _ in READ])
def test_notations_are_read(quantity, answer, assume, verdict):
    result = check(quantity, answer, assume=assume, seconds=SECONDS)
    assert result.verdict == verdict, result.message
    if verdict == NE:
        assert set(result.point) >= {"n", "c"}


REFUSED = [
    ("graph_total", "E(k) = kn", "names the eager total, but the question asks for the graph total"),
    ("crossover", "lim = n", "names the asymptotic speedup"),
    ("crossover", "k + 1 = n", "is a relation, not a value"),
    ("crossover", "c < n", "is a relation, not a value"),
    ("asymptote", r"\sum_{i=1}^{k} n", r"unknown LaTeX command \\sum"),
    ("asymptote", r"\max_{k} n", "subscripts are not part of the grammar"),
    ("asymptote", r"\mathrm{x}_1", "subscripts are not part of the grammar"),
]


@pytest.mark.parametrize("quantity, answer, message", REFUSED, ids=[a for _, a, _ in REFUSED])
def test_other_relations_are_refused_with_the_reason(quantity, answer, message):
    with pytest.raises(ParseError, match=message):
        check(quantity, answer)


def test_undefined_is_not_never():
    """The strict rule: dividing by n - 1 where the crossover is "never" is not right."""
    result = check("crossover", "ceil(c/(n-1))", assume=["c integer"], seconds=SECONDS)
    assert result.verdict == NE and result.point == {"n": 1, "c": 1}
    assert first_win_by_walking(1, 1, 1000) is None                     # the oracle: never
    assert result.expected_value is None and result.answer_value == "undefined"
    assert "Undefined is not \"never\"" in result.message and "--assume 'n >= 2'" in result.message
    assert check("crossover", "ceil(c/(n-1))", assume=["c integer", "n >= 2"]).verdict == EQ


def test_counterexamples_are_points_with_every_parameter():
    result = check("crossover", "1", bindings={"c": "n"}, assume=["n >= 2"], seconds=SECONDS)
    assert result.point == {"n": 2, "c": 2} and result.to_json()["counterexample"] == {"n": "2", "c": "2"}
    assert (result.expected_value, result.answer_value) == (2, 1) == (first_win_by_walking(2, 2, 100), 1)


def test_the_counterexample_shows_the_named_mistake():
    """The ceiling of the root is one call short at a tie: n = 2, c = 2, not n = 1."""
    result = check("crossover", "ceil((c-1)/(n-1))", seconds=SECONDS)
    assert result.point == {"n": 2, "c": 2} and "ceiling of the break-even root" in result.mistake
    assert (result.expected_value, result.answer_value) == (first_win_by_walking(2, Fraction(2), 100), 1)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_an_answer_starting_with_minus_is_an_answer():
    code, out, err = run("check", "crossover", "-(-c//(n-1))", "--assume", "n >= 2", "--assume", "c integer")
    assert code == 0 and out.startswith("equivalent") and err == ""
    code, out, _ = run("check", "crossover", "--assume", "n >= 2", "--", "-(-c//(n-1))")
    assert code == 1 and "It is right when c is an integer" in out


def test_check_is_importable_from_derive():
    from derive import Verdict
    from derive import check as front_door

    verdict = front_door("crossover", "4", bindings={"n": 30, "c": 90})
    assert isinstance(verdict, Verdict) and verdict.verdict == EQ and front_door is check
