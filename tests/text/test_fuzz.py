"""The reader never fails but with a ParseError that has a column, whatever the text.

Two sources of text: grammar-aware mutations of answers students really write (a token
dropped, doubled, swapped or replaced by another token of the grammar, a bracket cut
off) and arbitrary Unicode. The example count is the active profile's (``ci``: 200).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derive.checker.reading import split_equation
from derive.engine.symbols import c, k, n
from derive.errors import ParseError
from derive.text.parse import parse

NAMES = {"n": n, "c": c, "k": k}

ANSWERS = [
    r"\lim_{k \to \infty} \frac{kn}{c+k-1} = n", r"\sum_{i=1}^{k} n", r"\max_{k} n", r"\mathrm{x}_1",
    r"\left\lfloor \dfrac{c-1}{n-1} \right\rfloor + 1", r"\tfrac{kn}{c+k-1}", "max(1, ⌊(c − 1)/(n − 1)⌋ + 1)",
    r"\begin{cases} 1 & c < 1 \\ \lfloor \frac{c-1}{n-1} \rfloor + 1 & n > 1 \\ \text{never} & \text{otherwise} \end{cases}",
    "1 if c < 1 else floor((c-1)/(n-1)) + 1 if n > 1 else never", "int((c-1)/(n-1)) + 1", "-(-c//(n-1))",
    "$k n$", r"\(n c\)", r"\[k\,n\]", "k^n", "n^{k}", "k = (c-1)/(n-1)", r"k_\times = c", "E(k) = kn",
    "Piecewise((1, c < 1), (floor((c-1)/(n-1)) + 1, n > 1), (oo, True))", "c + k − 1", "n·k", "√(n²)",
]

# Every kind of token the grammar knows, to splice into the answers.
TOKENS = ["(", ")", "{", "}", "[", "]", "⌊", "⌋", "⌈", "⌉", "+", "-", "*", "/", "//", "^", "**", "_", "&",
          "\\\\", ",", "=", "<", "<=", "!=", "->", "n", "c", "k", "x", "oo", "never", "if", "else", "and",
          "0", "1", "2", "0.5", "1e3", r"\frac", r"\dfrac", r"\lim", r"\to", r"\infty", r"\begin{cases}",
          r"\end{cases}", r"\text{", r"\mathrm", r"\left(", r"\right)", r"\sqrt", "$", r"\(", r"\)",
          "floor(", "max(", "int(", "Piecewise(", "²", "√", "∞", "−", " ", "9**9**9", "k^{n^{k}}"]


@st.composite
def mutated(draw):
    """An answer with a few edits at token boundaries (here: at character positions)."""
    text = draw(st.sampled_from(ANSWERS))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "double", "cut"]))
        token = draw(st.sampled_from(TOKENS))
        if edit == "insert":
            text = text[:position] + token + text[position:]
        elif edit == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 4)):]
        elif edit == "replace":
            text = text[:position] + token + text[position + 1:]
        elif edit == "double":
            text = text[:position] + text[position:position + 6] * 2 + text[position + 6:]
        else:
            text = text[:position]
    return text


def read(text):
    """What ``derive check`` does with text before any verdict: split, then read."""
    _, right = split_equation(text)
    return parse(right, NAMES)


def assert_reads_or_refuses(text):
    try:
        read(text)
    except ParseError as error:
        assert error.column is not None, str(error)
        assert "\n" not in str(error)


@given(mutated())
def test_mutated_answers_read_or_refused_with_a_column(text):
    assert_reads_or_refuses(text)


@given(st.text(max_size=60))
def test_arbitrary_unicode_read_or_refused_with_a_column(text):
    assert_reads_or_refuses(text)


@given(st.lists(st.sampled_from(TOKENS), max_size=12).map("".join))
def test_token_soup_read_or_refused_with_a_column(text):
    assert_reads_or_refuses(text)


@pytest.mark.parametrize("text", ANSWERS[:4])
def test_the_tracebacks_of_the_issue_are_parse_errors(text):
    """Each ended in AttributeError in the lexer: an underscore after a command or bracket."""
    try:
        read(text)
    except ParseError as error:
        assert error.column is not None


def test_the_cli_says_one_line_and_exit_2():
    import contextlib
    import io

    from derive.cli import main

    for text in [r"\sum_{i=1}^{k} n", r"\max_{k} n", r"\mathrm{x}_1"]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            assert main(["check", "asymptote", text]) == 2
        assert len(err.getvalue().splitlines()) == 1 and "column" in err.getvalue()
