"""Derivation chains: each step against the one before, the first wrong one with a point."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from derive.checker.steps import Chain, check_steps
from derive.cli import main
from derive.errors import ParseError
from tests.oracle import eager_total, graph_total

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SECONDS = 10


def statuses(chain):
    return [step.status for step in chain.steps]


def test_the_example_derivation_is_valid():
    chain = check_steps((EXAMPLES / "crossover-steps.txt").read_text(), seconds=SECONDS)
    assert isinstance(chain, Chain)
    assert chain.verdict == "valid"
    assert statuses(chain) == ["given", "valid", "valid", "assumption", "valid", "valid"]


def test_dividing_by_n_minus_1_without_assuming_n_above_1():
    chain = check_steps((EXAMPLES / "crossover-steps-wrong.txt").read_text(), seconds=SECONDS)
    assert chain.verdict == "invalid"
    assert statuses(chain) == ["given", "valid", "invalid", "valid"]
    wrong = chain.steps[2]
    assert wrong.line == 6 and wrong.point == {"n": 1, "c": Fraction(1, 2), "k": 1}
    assert wrong.previous_value is True and wrong.value is None
    assert "this step is undefined (a division by zero)" in wrong.message
    # independently: at that point line 4 holds (c - 1 < k(n - 1)) and n - 1 = 0
    n, c, k = 1, Fraction(1, 2), 1
    assert c - 1 < k * (n - 1) and n - 1 == 0
    assert graph_total(n, k, c) < eager_total(n, k)
    assert "weaker than line 6" in chain.steps[3].message
    assert str(chain).splitlines()[-1] == "invalid: 1 of 3 steps does not follow"   # issue 14.10


def test_a_false_step_gets_a_counterexample_checked_by_hand():
    chain = check_steps("c + k - 1 < kn\nc < k(n - 1)\n", seconds=SECONDS)
    wrong = chain.steps[1]
    assert wrong.status == "invalid" and wrong.previous_value is True and wrong.value is False
    n, c, k = wrong.point["n"], wrong.point["c"], wrong.point["k"]
    assert graph_total(n, k, c) < eager_total(n, k)        # line 1 holds there
    assert not c < k * (n - 1)                              # line 2 does not


def test_only_the_first_wrong_step_gets_the_details():
    chain = check_steps("k > 2\nk > 3\nk > 4\n", seconds=SECONDS)
    assert statuses(chain) == ["given", "invalid", "invalid"]
    assert chain.steps[1].point == {"k": 3} and "line 1 holds but this step is false" in chain.steps[1].message
    assert chain.steps[2].message == "does not follow"
    assert str(chain).splitlines()[-1] == "invalid: 2 of 2 steps do not follow"


def test_multiplying_by_a_negative_number_must_turn_the_relation():
    chain = check_steps("c - 1 < k(n - 1)\n1 - c < k(1 - n)\n", seconds=SECONDS)
    assert chain.verdict == "invalid"
    chain = check_steps("c - 1 < k(n - 1)\n1 - c > k(1 - n)\n", seconds=SECONDS)
    assert chain.verdict == "valid"


def test_expression_chains():
    assert check_steps("(n^2 - 1)/(n - 1)\nn + 1\n", seconds=SECONDS).verdict == "valid"
    chain = check_steps("n + 1\n(n^2 - 1)/(n - 1)\n", seconds=SECONDS)
    assert chain.verdict == "invalid" and chain.steps[1].point == {"n": 1}
    assert chain.steps[1].previous_value == 2 and chain.steps[1].value is None
    chain = check_steps("kn - (c + k - 1)\nk(n - 1) - c + 1\n(k - 1)(n - 1)\n", seconds=SECONDS)
    assert statuses(chain) == ["given", "valid", "invalid"]


def test_integer_steps_need_integer_domains():
    text = "k > (c - 1)/(n - 1)\nk >= ceil(c/(n - 1))\n"
    assert check_steps(text, assume=["n >= 2"], seconds=SECONDS).verdict == "invalid"
    assert check_steps(text, assume=["n >= 2", "c integer"], seconds=SECONDS).verdict == "valid"


def test_assumptions_apply_from_their_line_on():
    chain = check_steps("c - 1 < k(n - 1)\nassume n >= 2\nk > (c - 1)/(n - 1)\n", seconds=SECONDS)
    assert chain.verdict == "valid"
    assert chain.steps[1].status == "assumption" and "n integer >= 2" in chain.steps[1].message


def test_assumptions_that_leave_no_values_are_refused():
    # Under n < 1 no point is left, so every step would "follow": refuse instead.
    text = "c + k - 1 < k*n\nassume n < 1\nk > 5\nc = 7\n"
    with pytest.raises(ValueError, match=r"line 2: the assumptions \(n < 1\) leave no values"):
        check_steps(text, seconds=SECONDS)
    with pytest.raises(ValueError, match="leave no values"):
        check_steps("k > 5\nc = 7\n", assume=["c < 1", "c > 2"], seconds=SECONDS)


@pytest.mark.parametrize("text, error, message", [
    ("", ValueError, "the derivation has no steps"),
    ("# only a comment\nassume n >= 2\n", ValueError, "the derivation has no steps"),
    ("k > 1\nk + 1\n", ValueError, "line 2: a expression follows the relation of line 1"),
    ("k > 1\nk > x\n", ParseError, "line 2: unknown name 'x'"),
    ("k > 1\nk > __import__('os')\n", ParseError, "line 2: unexpected character"),
    ("k > 1\nassume c > oo\nk > 0\n", ParseError, "line 2: assume .c > oo.: the numbers in an assumption must be finite"),
    ("k > 1\n" * 201, ValueError, "the derivation has 201 lines; the limit is 200"),
    ("k > 1\n" + "n" * 70_000, ValueError, "the limit is 65536"),
])
def test_bad_derivations(text, error, message):
    with pytest.raises(error, match=message):
        check_steps(text)


def test_json():
    chain = check_steps((EXAMPLES / "crossover-steps-wrong.txt").read_text(), seconds=SECONDS)
    data = json.loads(json.dumps(chain.to_json()))
    assert data["verdict"] == "invalid"
    wrong = data["steps"][2]
    assert wrong == {"line": 6, "text": "k > (c - 1)/(n - 1)", "status": "invalid",
                     "counterexample": {"n": "1", "c": "1/2", "k": "1"}, "previous_value": "true",
                     "value": "undefined", "message": wrong["message"]}


def test_cli(capsys):
    assert main(["steps", str(EXAMPLES / "crossover-steps.txt")]) == 0
    out, _ = capsys.readouterr()
    assert "✓" in out and out.rstrip().endswith("valid: every step follows (4 checked)")
    assert main(["steps", str(EXAMPLES / "crossover-steps-wrong.txt"), "--format", "json"]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out)["verdict"] == "invalid"
    assert main(["steps", "/nonexistent/steps.txt"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("derive: error:") and err.count("\n") == 1


def test_cli_bad_bytes(tmp_path, capsys):
    path = tmp_path / "steps.txt"
    path.write_bytes(b"k > 1\nk > \xff\n")
    assert main(["steps", str(path)]) == 2
    _, err = capsys.readouterr()
    assert "not valid UTF-8" in err and err.count("\n") == 1
