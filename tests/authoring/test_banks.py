"""Exercise banks for every preset and for a model of your own, in every format (issue 14.3,
Deliver 3 and 4): Moodle XML checked element by element against what Moodle's XML import
(question/format/xml/format.php) reads, GIFT escaped per its spec, the LaTeX sheet."""

import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from derive.authoring.exercises import NEVER, exercises, render
from derive.authoring.model_exercises import (
    model_exercises,
)
from derive.cli import main
from derive.engine.presets import PRESETS, custom_model
from tests._support import needs_program

# Moodle's import reads these, per question type; anything else is ignored by it, so an
# unknown element here is a typo that silently loses a setting.
COMMON = {"name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden"}
CHILDREN = {
    "multichoice": COMMON | {"single", "shuffleanswers", "answernumbering", "answer",
                             "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"},
    "numerical": COMMON | {"answer", "unitgradingtype", "unitpenalty", "showunits", "unitsleft", "units"},
}
# The grades Moodle offers (question_bank::fraction_options), in percent.
GRADES = {"100", "0"} | {str(g) for g in (90, 80, 75, 70, 60, 50, 40, 30, 25, 20, 10, 5)}
TEXT_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown"}


def _text_of(element, tag):
    child = element.find(tag)
    assert child is not None, f"<{tag}> missing"
    text = child.find("text")
    assert text is not None, f"<{tag}> has no <text>"
    return text.text or ""


def validate_moodle(xml_text, expected):
    """Every question imports: the structure Moodle's XML format reads, checked by hand."""
    assert xml_text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    quiz = ET.fromstring(xml_text)
    assert quiz.tag == "quiz"
    questions = list(quiz)
    assert all(q.tag == "question" for q in questions)
    assert questions[0].get("type") == "category" and _text_of(questions[0], "category").startswith("$course$/")
    real = questions[1:]
    assert len(real) == expected
    for q in real:
        kind = q.get("type")
        assert kind in CHILDREN, kind
        assert {child.tag for child in q} <= CHILDREN[kind], {child.tag for child in q} - CHILDREN[kind]
        assert _text_of(q, "name").strip()
        assert q.find("questiontext").get("format") in TEXT_FORMATS
        assert _text_of(q, "questiontext").startswith("<p>")
        assert float(q.findtext("defaultgrade")) > 0 and 0 <= float(q.findtext("penalty")) <= 1
        assert q.findtext("hidden") in ("0", "1")
        answers = q.findall("answer")
        assert len(answers) >= (2 if kind == "multichoice" else 1)
        fractions = [a.get("fraction") for a in answers]
        assert set(fractions) <= GRADES and fractions.count("100") == 1
        for a in answers:
            assert a.get("format") in TEXT_FORMATS
            assert a.find("text") is not None and a.findtext("text").strip()
            assert a.find("feedback") is not None and a.find("feedback").find("text") is not None
        if kind == "multichoice":
            assert q.findtext("single") == "true" and q.findtext("shuffleanswers") in ("true", "false", "1", "0")
            assert q.findtext("answernumbering") in ("abc", "ABCD", "123", "iii", "IIII", "none")
            texts = [a.findtext("text") for a in answers]
            assert len(set(texts)) == len(texts)                   # no option twice
        else:
            for a in answers:
                float(a.findtext("text"))                          # a number Moodle can read
                assert a.findtext("tolerance") == "0"
    return real


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_a_moodle_bank_of_twenty_for_every_preset(name, capsys):
    assert main(["exercises", name, "--count", "20", "--seed", "7", "--format", "moodle-xml"]) == 0
    questions = validate_moodle(capsys.readouterr().out, 20)
    crossovers = [q for q in questions if q.findtext("name/text").endswith("crossover")]
    for q in crossovers:                                           # never is always an option
        assert q.get("type") == "multichoice"
        assert NEVER in [a.findtext("text") for a in q.findall("answer")]


def test_a_custom_model_bank(capsys):
    argv = ["exercises", "--baseline", "k*t_eager", "--amortized", "t_setup + k*t_fast",
            "--count", "12", "--seed", "2"]
    assert main(argv + ["--format", "moodle-xml"]) == 0
    validate_moodle(capsys.readouterr().out, 12)
    assert main(argv + ["--format", "json"]) == 0
    assert "t_setup" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(set(PRESETS) - {"cuda-graph"}))
def test_general_answers_against_walking(name):
    """Every crossover of a bank against a brute force that walks k upward."""
    for e in model_exercises(name, 30, seed=11, kinds=("crossover",)):
        values = {key: Fraction(v) for key, v in e.parameters.items()}
        model = PRESETS[name]
        import sympy
        bound = {p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
                 for p in model.parameters}
        k = sympy.Symbol("k")
        totals = [sympy.expand(total.xreplace(bound).xreplace(
            {s: k for s in total.free_symbols if s.name == "k"})) for total in (model.baseline, model.amortized)]
        (b0, b1), (a0, a1) = [(Fraction(str(t.coeff(k, 0))), Fraction(str(t.coeff(k, 1)))) for t in totals]
        first = next((call for call in range(1, 5000) if a0 + a1 * call < b0 + b1 * call), None)
        assert e.answer == (NEVER if first is None else str(first)), (e.parameters, e.answer, first)


def test_no_repeats_and_a_count_cap_for_a_model():
    bank = model_exercises("fusion", 200, seed=1)
    keys = [(e.kind, tuple(sorted(e.parameters.items()))) for e in bank]
    assert len(set(keys)) == len(keys)
    with pytest.raises(ValueError, match=r"count must be <= \d+: there are only \d+ distinct exercises"):
        model_exercises(custom_model("k*a", "b + k"), 10_000, seed=1, kinds=("crossover",))


# -- GIFT ---------------------------------------------------------------------------------------

def test_gift_escapes_its_special_characters():
    model = custom_model("k*t_eager", "t_setup + k*t_fast")
    bank = model_exercises(model, 12, seed=4)
    gift = render(bank, "gift", model="custom")
    for line in gift.splitlines():
        if line.startswith("::"):
            title, _, rest = line[2:].partition("::")
            body = rest[:-2] if rest.endswith(" {") else rest
            assert not re.search(r"(?<!\\)[=~#{}:]", body), body        # every special escaped
    e = bank[0]
    assert e.question.count("=") and "\\=" in gift                     # "B(k) = ..." escaped


# -- the printable sheet ------------------------------------------------------------------------

def test_the_latex_sheet_has_questions_then_a_page_break_then_the_key(capsys):
    assert main(["exercises", "--count", "8", "--seed", "3", "--format", "latex"]) == 0
    sheet = capsys.readouterr().out
    questions, _, key = sheet.partition("\\clearpage")
    assert "\\section*{Questions}" in questions and "Answer key" not in questions
    assert "\\section*{Answer key}" in key and key.count("\\item") == 8
    bank = exercises(8, 3)
    for e in bank:
        assert f"\\textbf{{{e.answer}}}" in key
    assert main(["exercises", "--count", "8", "--seed", "3", "--format", "latex"]) == 0
    assert capsys.readouterr().out == sheet                              # byte-stable for a seed


@needs_program("pdflatex")
def test_the_sheet_compiles_to_a_stable_pdf(tmp_path, capsys):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        assert main(["exercises", "wall-clock", "--count", "6", "--seed", "1", "--format", "latex",
                     "--pdf", str(out)]) == 0
    assert first.read_bytes().startswith(b"%PDF-")
    assert first.read_bytes() == second.read_bytes()
