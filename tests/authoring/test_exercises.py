"""Exercise banks: answers against the brute-force oracle, and the four formats.

The oracle (tests/oracle.py) walks k upward with the lab's totals typed in from the
lab's text (E(k) = k·n, G(k) = c + k − 1); it shares no code with derive.
"""

import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.authoring.exercises import (
    FORMATS,
    KINDS,
    MAX_COUNT,
    MAX_DISTRACTORS,
    MIN_DISTRACTORS,
    NEVER,
    exercise,
    exercises,
    min_capture_cost,
    render,
)
from derive.cli import main
from tests.oracle import eager_total, first_win_by_walking, graph_total

# -- the oracle ---------------------------------------------------------------------------

def first_win(n, c):
    """The first call with G(k) < E(k), walking k upward; None if there is none.

    The walk stops at k = ⌊c⌋ + 2: for n ≥ 2 that k already wins, as
    (n − 1)·k ≥ k > c + 1 > c − 1; for n = 1 the gap G(k) − E(k) = c − 1 does not change
    with k, so a walk that long without a win means never.
    """
    return first_win_by_walking(n, c, int(c) + 2)


def oracle_never(n, c):
    return n == 1 and first_win(n, c) is None


def smallest_cost_delaying_to(n, call):
    """Walk whole capture costs upward until the first win is at ``call`` or later."""
    c = 1
    while first_win(n, c) < call:
        c += 1
    return c


def exact(text):
    return Fraction(text)


def oracle_answer(e):
    p = {name: exact(value) for name, value in e.as_dict()["parameters"].items()}
    n = int(p["n"])
    if e.kind == "crossover":
        found = first_win(n, p["c"])
        if found is None:
            assert oracle_never(n, p["c"]), "only n = 1 can never win"
            return NEVER
        return found
    if e.kind == "eager_total":
        return eager_total(n, int(p["k"]))
    if e.kind == "graph_total":
        return graph_total(n, int(p["k"]), p["c"])
    if e.kind == "per_call_ratio":
        k = int(p["k"])
        return Fraction(eager_total(n, k)) / graph_total(n, k, p["c"])
    if e.kind == "asymptote":
        # The ratio at a huge k is within (|c − 1|·n)/k of its limit; the answer must be
        # the one whole number that close.
        k = 10**12
        ratio = Fraction(eager_total(n, k)) / graph_total(n, k, p["c"])
        return round(ratio)
    if e.kind == "min_capture_cost":
        return smallest_cost_delaying_to(n, int(p["k"]))
    raise AssertionError(e.kind)


def same(answer_text, expected):
    if expected == NEVER:
        return answer_text == NEVER
    return answer_text != NEVER and exact(answer_text) == expected


BANKS = {seed: exercises(240, seed) for seed in (0, 1, 2026)}
ALL = [e for bank in BANKS.values() for e in bank]


# -- answers ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", sorted(BANKS))
def test_every_answer_matches_the_oracle(seed):
    for e in BANKS[seed]:
        assert same(e.answer, oracle_answer(e)), (e.kind, e.parameters, e.answer)


def test_the_lab_headlines():
    assert exercise("crossover", n=30).answer == "2"
    assert exercise("crossover", n=30, c=90).answer == "4"
    assert exercise("crossover", n=1).answer == NEVER
    assert exercise("crossover", n=1, c=Fraction(1, 2)).answer == "1"
    assert exercise("asymptote", n=300, c=900).answer == "300"


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 400), c=st.fractions(min_value=Fraction(1, 12), max_value=2000,
                                               max_denominator=12))
def test_crossover_property(n, c):
    e = exercise("crossover", n=n, c=c)
    expected = first_win(n, c)
    assert same(e.answer, NEVER if expected is None else expected)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 60), call=st.integers(2, 25), q=st.integers(2, 12))
def test_min_capture_cost_is_the_smallest_rational(n, call, q):
    cost = min_capture_cost(n, call)
    assert first_win(n, cost) == call                  # it delays the crossover to the call
    assert first_win(n, cost - Fraction(1, q)) < call  # and anything cheaper does not
    assert cost == smallest_cost_delaying_to(n, call)  # the smallest whole cost, by walking


def test_min_capture_cost_answer_matches_walk():
    for e in ALL:
        if e.kind == "min_capture_cost":
            n, call = int(e.parameters["n"]), e.parameters["k"]
            assert first_win(n, exact(e.answer)) == call


# -- distractors ----------------------------------------------------------------------------

def test_distractors_are_wrong_distinct_and_enough():
    for e in ALL:
        answers = [d.answer for d in e.distractors]
        assert e.answer not in answers
        assert len(set(answers)) == len(answers)
        assert MIN_DISTRACTORS <= len(answers) <= MAX_DISTRACTORS
        expected = oracle_answer(e)
        for d in e.distractors:
            assert not same(d.answer, expected)
            assert d.answer == NEVER or exact(d.answer) > 0
            assert d.mistake


def test_distractors_hold_the_classic_mistakes():
    # n = 30, c = 59: the root (c − 1)/(n − 1) = 2 is whole, so its ceiling (2) is wrong.
    e = exercise("crossover", n=30, c=59)
    assert e.answer == "3" == str(first_win(30, 59))
    by_mistake = {d.mistake.split(":")[0]: d.answer for d in e.distractors}
    assert by_mistake["the ceiling of the root"] == "2"
    # a fractional root is offered as itself
    e = exercise("crossover", n=3, c=12)
    assert "11/2" in [d.answer for d in e.distractors]
    # off-by-one totals
    e = exercise("graph_total", n=8, c=6, k=35)
    assert {"41", "39"} <= {d.answer for d in e.distractors}
    e = exercise("eager_total", n=24, k=25)
    assert {"576", "624"} <= {d.answer for d in e.distractors}


# -- the bank ------------------------------------------------------------------------------

def test_same_seed_same_bank_other_seed_other_bank():
    assert exercises(30, 5) == exercises(30, 5)
    for format in FORMATS:
        assert render(exercises(30, 5), format, seed=5) == render(exercises(30, 5), format, seed=5)
    assert exercises(30, 5) != exercises(30, 6)


def test_the_bank_covers_the_kinds_and_the_edge_cases():
    assert {e.kind for e in ALL} == set(KINDS)
    with_c = [e for e in ALL if "c" in e.parameters]
    assert any(e.parameters["n"] == 1 for e in ALL)
    assert any(isinstance(e.parameters["c"], Fraction) for e in with_c)
    assert any(isinstance(e.parameters["c"], int) for e in with_c)
    assert any(e.parameters["c"] < 1 for e in with_c)
    crossovers = [e for e in ALL if e.kind == "crossover"]
    assert any(e.answer == NEVER for e in crossovers)
    assert any(e.parameters["n"] == 1 and e.answer == "1" for e in crossovers)
    # a whole root, where the ceiling is a wrong answer, comes up too
    assert any(e.parameters["n"] > 1 and (e.parameters["c"] - 1) % (e.parameters["n"] - 1) == 0
               and e.parameters["c"] > e.parameters["n"] for e in crossovers)


def test_no_exercise_repeats_within_a_bank():
    for bank in BANKS.values():
        keys = [(e.kind, tuple(sorted(e.parameters.items()))) for e in bank]
        assert len(set(keys)) == len(keys)


def test_worked_solutions_show_the_numbers():
    e = exercise("crossover", n=30, c=90)
    assert "89/29" in e.solution and "G(4) = 93 < E(4) = 120" in e.solution
    e = exercise("min_capture_cost", n=30, k=4)
    assert "G(3) = 90 = E(3) = 90" in e.solution


# -- formats -------------------------------------------------------------------------------

def test_json_records():
    records = json.loads(render(BANKS[0], "json"))
    assert isinstance(records, list) and len(records) == len(BANKS[0])
    for record, e in zip(records, BANKS[0]):
        assert {"kind", "parameters", "question", "answer", "solution", "distractors"} <= set(record)
        assert record["kind"] in KINDS
        assert all(isinstance(v, str) for v in record["parameters"].values())
        assert set(record["parameters"]) <= {"n", "c", "k"}
        assert same(record["answer"], oracle_answer(e))
        assert record["answer"] not in record["distractors"]


def test_moodle_xml_is_well_formed_and_keyed():
    text = render(BANKS[1], "moodle-xml", seed=1)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    quiz = ET.fromstring(text)
    assert quiz.tag == "quiz"
    questions = [q for q in quiz.findall("question") if q.get("type") != "category"]
    assert len(questions) == len(BANKS[1])
    kinds = set()
    for q, e in zip(questions, BANKS[1]):
        kinds.add(q.get("type"))
        assert q.find("name/text").text
        assert unescape(q.find("questiontext/text").text) == f"<p>{e.question}</p>"
        assert q.find("questiontext").get("format") == "html"
        answers = q.findall("answer")
        right = [a for a in answers if a.get("fraction") == "100"]
        assert len(right) == 1 and right[0].find("text").text == e.answer
        assert all(a.get("fraction") in ("100", "0") for a in answers)
        if q.get("type") == "numerical":
            assert Fraction(e.answer).denominator == 1
            for a in answers:
                assert a.find("tolerance").text == "0"
                int(a.find("text").text)            # Moodle reads a number here
        else:
            assert q.get("type") == "multichoice"
            assert q.find("single").text == "true"
            assert len(answers) == 1 + len(e.distractors)
    assert kinds == {"numerical", "multichoice"}


def gift_questions(text):
    """A small GIFT reader following Moodle's: escapes first, then braces, then answers."""
    placeholders = {"\\\\": "\x00", "\\:": "\x01", "\\#": "\x02", "\\=": "\x03",
                    "\\{": "\x04", "\\}": "\x05", "\\~": "\x06", "\\n": "\x07"}
    back = {"\x00": "\\", "\x01": ":", "\x02": "#", "\x03": "=", "\x04": "{", "\x05": "}",
            "\x06": "~", "\x07": "\n"}

    def restore(s):
        return "".join(back.get(ch, ch) for ch in s).strip()

    out = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.splitlines() if not line.strip().startswith("//")]
        body = "\n".join(lines).strip()
        if not body or body.startswith("$CATEGORY:"):
            continue
        for escaped, mark in placeholders.items():
            body = body.replace(escaped, mark)
        assert body.startswith("::")
        name, _, rest = body[2:].partition("::")
        start, end = rest.index("{"), rest.index("}")
        assert rest[end + 1:].strip() == ""
        question, answers = rest[:start], rest[start + 1:end].strip()
        answers, _, feedback = answers.rpartition("####")
        numerical = answers.startswith("#")
        items = re.findall(r"([=~])([^=~]*)", answers[1:] if numerical else answers)
        parsed = []
        for mark, item in items:
            value = item.split("#")[0].strip()
            weight = 100 if mark == "=" else 0
            if value.startswith("%0%"):
                weight, value = 0, value[3:]
            if numerical:
                value, _, tolerance = value.partition(":")
                assert tolerance == "0"
            parsed.append((weight, restore(value)))
        out.append((restore(name), restore(question), numerical, parsed, restore(feedback)))
    return out


def test_gift_reads_back():
    bank = BANKS[2026]
    questions = gift_questions(render(bank, "gift", seed=2026))
    assert len(questions) == len(bank)
    for (name, question, numerical, answers, feedback), e in zip(questions, bank):
        assert question == e.question
        assert feedback == e.solution
        assert [value for weight, value in answers if weight == 100] == [e.answer]
        wrong = [value for weight, value in answers if weight == 0]
        assert e.answer not in wrong
        if numerical:
            assert all(Fraction(value).denominator == 1 for _, value in answers)
        else:
            assert wrong == [d.answer for d in e.distractors]


def test_gift_escapes_its_special_characters():
    from derive.authoring.exercises import gift_escape

    assert gift_escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_markdown_lists_every_question_and_its_key():
    text = render(BANKS[0][:12], "markdown", seed=0)
    assert text.count("\n## ") == 13                    # twelve questions and the key
    for e in BANKS[0][:12]:
        assert e.question in text and f"**{e.answer}**" in text


# -- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: exercises(0, 1), ValueError, "count must be >= 1, got 0"),
    (lambda: exercises(10**6, 1), ValueError, "count must be <= 10000"),
    (lambda: exercises(3, "x"), TypeError, "seed must be an int, got str 'x'"),
    (lambda: exercises(3, 1, "other"), ValueError, "model must be 'cuda-graph'"),
    (lambda: exercises(3, 1, kinds=("nope",)), ValueError, "kinds must be some of"),
    (lambda: exercise("nope", n=3), ValueError, "kind must be one of crossover"),
    (lambda: exercise("crossover", n=0), ValueError, "n must be >= 1, got 0"),
    (lambda: exercise("crossover", n=3, c=-1), ValueError, "c must be > 0, got -1"),
    (lambda: exercise("crossover", n=3, c=1.5), TypeError, "c must be an int or Fraction"),
    (lambda: exercise("eager_total", n=3), TypeError, "k must be an int >= 1"),
    (lambda: min_capture_cost(1, 3), ValueError, "num_ops must be >= 2, got 1"),
    (lambda: min_capture_cost(3, 1), ValueError, "first_call must be >= 2, got 1"),
    (lambda: render((), "pdf"), ValueError, "format must be one of markdown, json"),
], ids=["count-0", "count-huge", "seed-str", "model", "kinds", "kind", "n-0", "c-negative",
        "c-float", "k-missing", "min-n-1", "min-call-1", "format"])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# -- the command line ----------------------------------------------------------------------

def test_cli_json(capsys):
    assert main(["exercises", "--count", "6", "--seed", "3", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["answer"] for r in records] == [e.answer for e in exercises(6, 3)]


def test_cli_bad_count(capsys):
    assert main(["exercises", "--count", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "count must be >= 1" in err


# -- issue 17.5: no repeats, ever; a count above the distinct exercises is refused ------------

def _keys(bank):
    return [(e.kind, tuple(sorted((k, str(v)) for k, v in e.parameters.items()))) for e in bank]


def test_a_small_space_is_used_up_without_a_repeat_then_refused():
    kinds = ("eager_total", "min_capture_cost")      # 22 sizes x 60 calls, 22 sizes x 11 calls
    bank = exercises(1562, seed=3, kinds=kinds)
    assert len(set(_keys(bank))) == 1562               # before: repeats after 1,000 failed draws
    with pytest.raises(ValueError, match=r"count must be <= 1562: there are only 1562 distinct "
                                         r"exercises of the kinds eager_total, min_capture_cost, got 1563"):
        exercises(1563, seed=3, kinds=kinds)


def test_the_largest_bank_has_no_repeats():
    bank = exercises(MAX_COUNT, seed=0)
    assert len(set(_keys(bank))) == MAX_COUNT


def test_a_crossover_never_gives_never_away():
    """Issue 14.3: crossovers were numerical with '(Answer never if it never is.)' — which
    Moodle's numerical field cannot take — and the one whose answer was never was multiple
    choice. Now every crossover is multiple choice with never among its options."""
    import xml.etree.ElementTree as ET

    bank = exercises(200, seed=5, kinds=("crossover",))
    assert {e.answer == NEVER for e in bank} == {True, False}         # both kinds of answer
    for e in bank:
        options = [e.answer] + [d.answer for d in e.distractors]
        assert NEVER in options and len(options) == len(set(options)) >= 4
        assert "Answer never" not in e.question
    quiz = ET.fromstring(render(bank, "moodle-xml"))
    types = {q.get("type") for q in quiz.iter("question")} - {"category"}
    assert types == {"multichoice"}
    for q in quiz.iter("question"):
        if q.get("type") == "multichoice":
            assert "never" in [a.findtext("text") for a in q.iter("answer")]
    gift = render(bank, "gift")
    assert "{#" not in gift                                           # no numerical crossover


def test_wording_agrees_with_one_call():
    assert "How many launches does k = 1 eager call cost" in exercise("eager_total", n=3, k=1).question
    assert "How many launches do k = 2 eager calls cost" in exercise("eager_total", n=3, k=2).question
