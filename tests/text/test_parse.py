"""The safe parser: its grammar, LaTeX, its limits, and a table of hostile inputs.

Every formula is compared with the sympy object built directly, or evaluated exactly
against an independent evaluation of the same tree; every refusal is a ParseError whose
message is matched, and nothing reaches eval, exec or sympify's string parser.
"""

import builtins
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from derive.cli import main
from derive.engine.evaluate import compile_expression
from derive.engine.symbols import c, k, n
from derive.errors import ParseError
from derive.text._lexer import MAX_DEPTH, MAX_DIGITS, MAX_LENGTH
from derive.text.parse import (
    MAX_ARGUMENTS,
    MAX_DEGREE,
    MAX_EXPONENT,
    decode,
    free_names,
    parse,
    parse_expression,
    parse_relation,
)

NAMES = {"n": n, "c": c, "k": k}
R = sympy.Rational
floor, ceiling = sympy.floor, sympy.ceiling


def same(text, expected):
    """Parsed ``text`` equals ``expected`` as a function: structurally, or at many points."""
    got = parse_expression(text, NAMES)
    if got == expected:
        return True
    f, g = compile_expression(got, (n, c, k)), compile_expression(expected, (n, c, k))
    points = [(nv, cv, kv) for nv in range(2, 6) for cv in (Fraction(1, 2), 1, Fraction(7, 3), 5)
              for kv in range(1, 4)]
    return all(f(*p) == g(*p) for p in points)


# -- the grammar ---------------------------------------------------------------------------------

GRAMMAR = [
    ("3", sympy.Integer(3)),
    ("0.5", R(1, 2)),
    (".25", R(1, 4)),
    ("1.5e3", sympy.Integer(1500)),
    ("2e-2", R(1, 50)),
    ("n + c", n + c),
    ("n - c - k", n - c - k),
    ("2n", 2 * n),
    ("n(k-1)", n * (k - 1)),
    ("(n-1)(k-1)", (n - 1) * (k - 1)),
    ("kn", k * n),
    ("nkc", n * k * c),
    ("1/2n", n / 2),
    ("n/2/k", n / (2 * k)),
    ("n^2k", n**2 * k),
    ("-n^2", -n**2),
    ("2^-1", R(1, 2)),
    ("n^2^2", n**4),
    ("n**3", n**3),
    ("--n", n),
    ("+n", n),
    ("n²", n**2),
    ("n³", n**3),
    ("√(n+1)", sympy.sqrt(n + 1)),
    ("sqrt(4)", sympy.Integer(2)),
    ("7 // 2", sympy.Integer(3)),
    ("c // n", floor(c / n)),
    ("floor(c/n)", floor(c / n)),
    ("ceil(c/n)", ceiling(c / n)),
    ("ceiling(c/n)", ceiling(c / n)),
    ("⌊c/n⌋", floor(c / n)),
    ("⌈c/n⌉", ceiling(c / n)),
    ("min(c, n)", sympy.Min(c, n)),
    ("max(1, c, n)", sympy.Max(1, c, n)),
    ("abs(c - n)", sympy.Abs(c - n)),
    ("[n + 1](k)", (n + 1) * k),
    ("3 × n ÷ 2", R(3, 2) * n),
    ("n·k", n * k),
    ("n⋅k", n * k),
    ("n − 1", n - 1),
    ("oo", sympy.oo),
    ("inf", sympy.oo),
    ("-∞", -sympy.oo),
    ("max(1, ⌊(c − 1)/(n − 1)⌋ + 1)", sympy.Max(1, floor((c - 1) / (n - 1)) + 1)),
    ("n\u00a0+\u20091", n + 1),                     # no-break and thin spaces are spaces
]


@pytest.mark.parametrize("text, expected", GRAMMAR, ids=[t for t, _ in GRAMMAR])
def test_grammar(text, expected):
    assert same(text, expected)


LATEX = [
    (r"\frac{c-1}{n-1}", (c - 1) / (n - 1)),
    (r"\frac12 n", n / 2),
    (r"\frac1n", 1 / n),
    (r"\left\lfloor \frac{c - 1}{n - 1} \right\rfloor + 1", floor((c - 1) / (n - 1)) + 1),
    (r"\lceil \frac{c}{n-1} \rceil", ceiling(c / (n - 1))),
    (r"\max\left(1, \left\lfloor\frac{c-1}{n-1}\right\rfloor + 1\right)",
     sympy.Max(1, floor((c - 1) / (n - 1)) + 1)),
    (r"\min(c, n)", sympy.Min(c, n)),
    (r"n^{2}", n**2),
    (r"n^2 k", n**2 * k),
    (r"2^{-1}", R(1, 2)),
    (r"\sqrt{n^2}", n),
    (r"2 \cdot n \times k", 2 * n * k),
    (r"n \div 2", n / 2),
    (r"\frac{1}{2}\,n", n / 2),
    (r"kn + {c}", k * n + c),
    (r"-\infty", -sympy.oo),
]


@pytest.mark.parametrize("text, expected", LATEX, ids=[t for t, _ in LATEX])
def test_latex(text, expected):
    assert same(text, expected)


RELATIONS = [
    ("c + k - 1 < kn", sympy.Lt(c + k - 1, k * n)),
    ("c - 1 <= k(n - 1)", sympy.Le(c - 1, k * (n - 1))),
    ("k > 2", sympy.Gt(k, 2)),
    ("k >= 2", sympy.Ge(k, 2)),
    ("k ≥ 2", sympy.Ge(k, 2)),
    ("k ≤ n", sympy.Le(k, n)),
    ("k = n", sympy.Eq(k, n)),
    ("k == n", sympy.Eq(k, n)),
    ("k != n", sympy.Ne(k, n)),
    ("k ≠ n", sympy.Ne(k, n)),
    (r"k \ge \frac{c-1}{n-1}", sympy.Ge(k, (c - 1) / (n - 1))),
    (r"k \le n", sympy.Le(k, n)),
    ("1 <= k < n", sympy.And(sympy.Le(1, k, evaluate=False), sympy.Lt(k, n), evaluate=False)),
]


@pytest.mark.parametrize("text, expected", RELATIONS, ids=[t for t, _ in RELATIONS])
def test_relations(text, expected):
    assert parse_relation(text, NAMES) == expected
    assert parse(text, NAMES) == expected


def test_relation_and_expression_are_kept_apart():
    with pytest.raises(ParseError, match="expected an expression, found the relation"):
        parse_expression("k < n", NAMES)
    with pytest.raises(ParseError, match="expected a relation such as n >= 2"):
        parse_relation("k + n", NAMES)


def test_decimals_are_exact():
    assert parse_expression("0.1 + 0.2", NAMES) == R(3, 10)
    assert parse_expression("2.50n", NAMES) == R(5, 2) * n


@given(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**4))
def test_numbers_round_trip(value):
    text = f"{value.numerator}/{value.denominator}"
    assert parse_expression(text, NAMES) == R(value.numerator, value.denominator)


# Random formulas: written out as plain text and as LaTeX, parsed, evaluated exactly,
# and compared with an evaluation of the same tree in plain Python.

def _trees():
    leaves = st.one_of(st.sampled_from(["n", "c", "k"]), st.integers(0, 9).map(str))

    def grow(children):
        binary = st.tuples(st.sampled_from(["+", "-", "*"]), children, children)
        unary = st.tuples(st.sampled_from(["floor", "ceil", "neg"]), children, children)
        division = st.tuples(st.just("div"), children, st.sampled_from(["n", "k", "2"]))
        extremum = st.tuples(st.sampled_from(["min", "max"]), children, children)
        return st.one_of(binary, unary, division, extremum)
    return st.recursive(leaves, grow, max_leaves=8)


def _plain(tree):
    if isinstance(tree, str):
        return tree
    op, a, b = tree
    if op in "+-*":
        return f"({_plain(a)} {op} {_plain(b)})"
    if op == "neg":
        return f"(-{_plain(a)})"
    if op == "div":
        return f"({_plain(a)})/{b}"
    return f"{op}({_plain(a)}" + (f", {_plain(b)})" if op in ("min", "max") else ")")


def _latex(tree):
    if isinstance(tree, str):
        return tree
    op, a, b = tree
    if op in "+-":
        return rf"\left({_latex(a)} {op} {_latex(b)}\right)"
    if op == "*":
        return rf"{{{_latex(a)}}} \cdot {{{_latex(b)}}}"
    if op == "neg":
        return rf"\left(-{_latex(a)}\right)"
    if op == "div":
        return rf"\frac{{{_latex(a)}}}{{{b}}}"
    if op == "floor":
        return rf"\left\lfloor {_latex(a)} \right\rfloor"
    if op == "ceil":
        return rf"\lceil {_latex(a)} \rceil"
    return rf"\{op}\left({_latex(a)}, {_latex(b)}\right)"


def _value(tree, point):
    if isinstance(tree, str):
        return point[tree] if tree in point else Fraction(int(tree))
    op, a, b = tree
    x = _value(a, point)
    if op == "neg":
        return -x
    if op in ("floor", "ceil"):
        return Fraction((x.numerator // x.denominator) if op == "floor" else -(-x.numerator // x.denominator))
    y = _value(b, point)
    operations = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "div": lambda: x / y,
                  "min": lambda: min(x, y), "max": lambda: max(x, y)}
    return operations[op]()


@given(_trees(), st.integers(1, 6), st.fractions(min_value=Fraction(1, 3), max_value=7, max_denominator=4),
       st.integers(1, 6))
def test_random_formulas_plain_and_latex(tree, nv, cv, kv):
    point = {"n": Fraction(nv), "c": cv, "k": Fraction(kv)}
    expected = _value(tree, point)
    for text in (_plain(tree), _latex(tree)):
        if len(text) > MAX_LENGTH:
            continue
        got = compile_expression(parse_expression(text, NAMES), (n, c, k))(nv, cv, kv)
        assert Fraction(got) == expected, text


def test_free_names():
    assert free_names("c + (k - 1)*launch_cost") == {"c", "k", "launch_cost"}
    assert free_names("n(k - 1) + max(x, y) + floor(z) + oo") == {"n", "k", "x", "y", "z"}
    assert free_names(r"\frac{a}{b} + kn") == {"a", "b", "k", "n"}
    with pytest.raises(ParseError, match="unexpected character"):
        free_names("__import__('os')")
    with pytest.raises(ParseError, match="unexpected '\\(' after 'sin': sin is not a function"):
        free_names("sin(k)")
    with pytest.raises(ParseError, match="unexpected name 'z' after 'y'"):
        free_names("y z")
    assert free_names("n(k - 1)") == {"n", "k"}


def test_decode():
    assert decode("n − 1".encode()) == "n − 1"
    with pytest.raises(ParseError, match=r"not valid UTF-8: byte 0xff at offset 2 \(column 3\)"):
        decode(b"n \xff 1")
    with pytest.raises(TypeError, match="data must be bytes"):
        decode("n")


# -- limits, at their edges ----------------------------------------------------------------------

def test_limits_at_their_edges():
    assert parse_expression("9" * MAX_DIGITS, NAMES) == int("9" * MAX_DIGITS)
    with pytest.raises(ParseError, match=f"has {MAX_DIGITS + 1} digits; the limit is {MAX_DIGITS}"):
        parse_expression("9" * (MAX_DIGITS + 1), NAMES)
    assert parse_expression(f"2^{MAX_EXPONENT}", NAMES) == 2**MAX_EXPONENT
    with pytest.raises(ParseError, match="exponents must be whole numbers from -64 to 64, got 65"):
        parse_expression(f"2^{MAX_EXPONENT + 1}", NAMES)
    assert parse_expression(f"n^{MAX_DEGREE}", NAMES) == n**MAX_DEGREE
    with pytest.raises(ParseError, match=f"degree {MAX_DEGREE + 2}, above the limit {MAX_DEGREE}"):
        parse_expression(f"(n^2)^{MAX_DEGREE // 2 + 1}", NAMES)
    with pytest.raises(ParseError, match="more than 4096 bits"):
        parse_expression("(2^64)^64", NAMES)
    assert parse_expression("(" * MAX_DEPTH + "n" + ")" * MAX_DEPTH, NAMES) == n
    with pytest.raises(ParseError, match=f"nest deeper than {MAX_DEPTH} levels"):
        parse_expression("(" * (MAX_DEPTH + 1) + "n" + ")" * (MAX_DEPTH + 1), NAMES)
    with pytest.raises(ParseError, match=f"the limit is {MAX_LENGTH}"):
        parse_expression("n" + "+n" * MAX_LENGTH, NAMES)
    assert parse_expression("max(" + ", ".join(["n"] * MAX_ARGUMENTS) + ")", NAMES) is not None
    with pytest.raises(ParseError, match="max takes from 1 to 8 arguments"):
        parse_expression("max(" + ", ".join(["n"] * (MAX_ARGUMENTS + 1)) + ")", NAMES)


@pytest.mark.parametrize("text, column", [
    ("(n^64)*(n^64)*(n^64)", 3),                      # each power alone is already too high
    ("(n^8)*(n^9)", 7),                               # a product adds its factors' degrees
    ("(n^8)(n+1)^9", 6),                              # implicit products too
    ("n^8 * n^8 // n", 14),
    ("k" * (MAX_DEGREE + 1), 1),                      # a run of names is a product
    ("floor(n^9) * max(1, k^8)", 14),                 # a function has its argument's degree
    ("1 + (k + n + 1)^9 * (k + n + 2)^8 - 2", 21),  # the column of the factor that passes it
])
def test_total_degree_is_bounded(text, column):
    with pytest.raises(ParseError, match=f"above the limit {MAX_DEGREE}") as error:
        parse_expression(text, NAMES)
    assert error.value.column == column


def test_numbers_of_a_product_are_bounded_like_a_power():
    # 45 factors of 1e99 make a number of 4455 digits, too long even to print.
    with pytest.raises(ParseError, match="more than 4096 bits") as error:
        parse_expression("*".join(["1e99"] * 45), NAMES)
    assert error.value.column == 5 * 12 + 1       # 1e99 has 329 bits: the 13th factor passes 4096
    assert parse_expression("*".join(["1e99"] * 12) + "*n", NAMES) == sympy.Integer(10)**(99 * 12) * n


def test_total_degree_at_the_limit_is_accepted():
    assert parse_expression("(n^8)(k^8)", NAMES) == n**8 * k**8
    assert parse_expression("(n^8 + k)*floor(c^8)", NAMES) is not None


# -- mistakes a student makes ------------------------------------------------------------------------

MISTAKES = [
    ("", "the expression is empty"),
    ("   ", "the expression is empty"),
    ("n +", "expected a number, a name or '\\(', found the end of the input"),
    ("*n", "found '\\*'"),
    ("(n + 1", "expected '\\)' to close the '\\(' at column 1"),
    ("n + 1)", "'\\)' without a matching opening bracket"),
    ("n 2", "a number cannot follow another factor directly; write '\\*' before 2"),
    ("N", "unknown name 'N'; the names here are: c, k, n; did you mean 'n'"),
    ("n 2", "a number cannot follow another factor directly"),
    ("x + 1", "unknown name 'x'; the names here are: c, k, n"),
    ("log(n)", "unknown name 'log', called as a function"),
    ("floor", "floor is a function: write floor\\(...\\)"),
    ("floor(1, 2)", "floor takes one argument"),
    ("1/0", "division by zero"),
    ("n/(k - k)", "division by zero"),
    ("0^-1", "division by zero"),
    ("2^(1/2)", "exponents must be whole numbers"),
    ("2^0.5", "exponents must be whole numbers"),
    ("sqrt(-4)", "square root of a negative number"),
    ("n_1", "unknown name 'n_1'"),
    (r"n_{1}", "subscripts are not part of the grammar"),
    (r"\frac{1}{2", "missing '}' for this '{'"),
    (r"\sqrt[3]{n}", "only square roots"),
    (r"\left n", r"\\left must be followed by a bracket"),
    ("|n|", "write abs\\(x\\)"),
    ("n$", "remove the '\\$' signs"),
    ("n!", "factorials are not part of the grammar"),
]


@pytest.mark.parametrize("text, message", MISTAKES, ids=[t or "empty" for t, _ in MISTAKES])
def test_mistakes_are_explained(text, message):
    with pytest.raises(ParseError, match=message):
        parse_expression(text, NAMES)


def test_columns_point_at_the_problem():
    with pytest.raises(ParseError) as error:
        parse_expression("n + 2*x", NAMES)
    assert error.value.column == 7
    with pytest.raises(ParseError) as error:
        parse_expression(r"\frac{c}{n} + \input{x}", NAMES)
    assert error.value.column == 15


# -- hostile input ------------------------------------------------------------------------------------

HOSTILE = [
    ("__import__('os').system('touch /tmp/derive-pwned')", "unexpected character \"'\""),
    ("__import__", "unknown name '__import__'"),
    ("eval", "unknown name 'eval'"),
    ("exec(n)", "unknown name 'exec', called as a function"),
    ("open(n)", "unknown name 'open', called as a function"),
    ("n.__class__", "a '.' must belong to a number"),
    ("n.__class__.__mro__", "a '.' must belong to a number"),
    ("lambda: n", "unexpected character ':'"),
    ("(lambda n: n)(1)", "unexpected character ':'"),
    ("'n + 1'", "quotes are not part of a formula"),
    ('"n" + "1"', "quotes are not part of a formula"),
    ("sympify(n)", "unknown name 'sympify', called as a function"),
    ("S('n')", "unexpected character \"'\""),
    ("9**9**9**9", "exponents must be whole numbers from -64 to 64, got 387420489"),
    ("2^2^2^2^2^2", "exponents must be whole numbers"),
    ("factorial(10**10)", "unknown name 'factorial', called as a function"),
    ("10**10**10", "exponents must be whole numbers"),
    ("1e1000000000", "is too large or too small"),
    ("1e-1000000000", "is too large or too small"),
    ("9" * 5000, "the limit is 1000"),
    ("(" * 100_000 + "n" + ")" * 100_000, "the limit is 1000"),
    ("(" * 60 + "n" + ")" * 60, "nest deeper than 50 levels"),
    ("-" * 999 + "n", None),                       # a legal formula: 999 minus signs, no recursion
    ("n+" * 500_000 + "n", "the limit is 1000"),
    ("n\x00", "control character '\\\\x00' \\(U\\+0000 NUL\\)"),
    ("\x00" * 10, "control character"),
    ("\x1b[31mn", "control character"),
    ("с + 1", "'с' \\(U\\+0441 CYRILLIC SMALL LETTER ES\\) looks like the Latin letter 'c'"),
    ("n + с", "looks like the Latin letter 'c'"),
    ("ο + 1", "GREEK SMALL LETTER OMICRON\\) looks like the Latin letter 'o'"),
    ("𝑛 + 1", "MATHEMATICAL ITALIC SMALL N\\) looks like the Latin letter 'n'"),
    ("ｎ + 1", "FULLWIDTH LATIN SMALL LETTER N\\) looks like the Latin letter 'n'"),
    ("n\u200b + 1", "invisible character .*ZERO WIDTH SPACE"),
    ("n\u2060 + 1", "invisible character .*WORD JOINER"),
    ("\ufeffn", "invisible character .*ZERO WIDTH NO-BREAK SPACE"),
    ("n\u202e + 1", "bidirectional control character .*RIGHT-TO-LEFT OVERRIDE"),
    ("n\u2066 + 1", "bidirectional control character"),
    ("n\u0301", "combining mark"),
    ("n\udcff", "not valid UTF-8"),
    (r"\input{/etc/passwd}", "unknown LaTeX command \\\\input"),
    (r"\def\x{n}\x", "unknown LaTeX command \\\\def"),
    (r"\newcommand{\x}{n}", "unknown LaTeX command \\\\newcommand"),
    (r"\frac{c}{n} % comment", "'%' is not allowed"),
    (r"\write18{rm -rf /}", "unknown LaTeX command \\\\write"),
    ("", "the expression is empty"),
]


@pytest.mark.parametrize("text, message", HOSTILE, ids=[repr(t[:30]) for t, _ in HOSTILE])
def test_hostile_input_is_refused(text, message, monkeypatch):
    ran = []
    for name in ("eval", "exec", "compile", "__import__"):
        original = getattr(builtins, name)
        monkeypatch.setattr(builtins, name, lambda *a, _o=original, _n=name, **kw: ran.append(_n) or _o(*a, **kw))
    try:
        if message is None:
            parse_expression(text, NAMES)
        else:
            with pytest.raises(ParseError, match=message):
                parse_expression(text, NAMES)
    finally:
        monkeypatch.undo()
    assert not [r for r in ran if r != "__import__"], ran


def test_nothing_ran():
    with pytest.raises(ParseError):
        parse_expression("__import__('os').system('touch /tmp/derive-pwned')", NAMES)
    import os

    assert not os.path.exists("/tmp/derive-pwned")


@pytest.mark.parametrize("text, message", [h for h in HOSTILE if h[1] is not None],
                         ids=[repr(t[:30]) for t, m in HOSTILE if m is not None])
def test_hostile_input_from_the_command_line(text, message, capsys, monkeypatch):
    """Through ``derive check crossover -``: exit 2, one line on stderr, nothing on stdout."""
    import io

    data = text.encode("utf-8", "surrogateescape")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["check", "crossover", "-"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("derive: error: "), err


SUBPROCESS_CASES = [
    b"9**9**9**9",
    b"factorial(10**10)",
    b"1e1000000000",
    b"(" * 100_000 + b"n" + b")" * 100_000,
    b"n" * (1 << 20),
    b"n\x00 + 1",
    "с + 1".encode(),
    b"__import__('os').system('echo pwned')",
    b"\xff\xfe",
]


@pytest.mark.parametrize("data", SUBPROCESS_CASES, ids=[repr(d[:20]) for d in SUBPROCESS_CASES])
def test_hostile_input_in_a_real_process(data):
    """A real process: exit 2 and one line. The generous timeout only guards the suite;
    how fast it answers is measured in bench/bench_check.py, not asserted here."""
    result = subprocess.run([sys.executable, "-m", "derive", "check", "crossover", "-"], input=data,
                            capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error: "), lines
    assert b"pwned" not in result.stdout + result.stderr


def test_refused_before_sympy_is_imported():
    """Text refused by the characters, tokens or LaTeX never loads sympy, let alone runs."""
    code = ("import sys\nfrom derive.cli import main\n"
            "for text in ['n\\x00', 'с + 1', \"__import__('os')\", r'\\input{x}', 'n.__class__']:\n"
            "    assert main(['check', 'crossover', text]) == 2\n"
            "print('sympy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
    assert len(result.stderr.splitlines()) == 5
