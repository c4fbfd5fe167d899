"""The safe parser's first pass: screen the characters, then cut the text into tokens.

Nothing here builds a number bigger than the text allows or imports sympy. The checks,
in the order they run, so that hostile input is refused before any work is done:

1. the length (:data:`MAX_LENGTH` characters);
2. every character: ASCII letters, digits, spaces and the grammar's punctuation, plus a
   short list of mathematical signs (``− × ÷ · ⋅ √ ⌊ ⌋ ⌈ ⌉ ² ³ ≤ ≥ ≠ ∞``). Look-alike
   letters (Cyrillic ``с`` for ``c``, fullwidth or mathematical italic letters), invisible
   and bidirectional control characters, NUL and other control characters are refused
   with their Unicode name — never read as a new name;
3. the tokens: numbers (at most :data:`MAX_DIGITS` digits, exponents of ``1e3`` bounded),
   names, LaTeX commands, operators and relations;
4. the nesting depth of brackets (:data:`MAX_DEPTH`), counted without recursion.

>>> [t.text for t in tokenize("2n − 1 ≤ ⌊c/2⌋")]
['2', 'n', '-', '1', '<=', '⌊', 'c', '/', '2', '⌋', '']
>>> tokenize("с + 1")
Traceback (most recent call last):
...
derive.errors.ParseError: 'с' (U+0441 CYRILLIC SMALL LETTER ES) looks like the Latin letter 'c' but is a different character; type it again on a plain keyboard (column 1)
"""

import re
import unicodedata
from collections import namedtuple
from fractions import Fraction

from ..errors import ParseError

__all__ = ["FUNCTIONS", "MAX_ARGUMENTS", "MAX_DEGREE", "MAX_DEPTH", "MAX_DIGITS", "MAX_EXPONENT",
           "MAX_LENGTH", "MAX_POWER_BITS", "Token", "decimal_value", "is_latex", "number_value",
           "tokenize"]

MAX_LENGTH = 1000      #: characters in one formula
MAX_DEPTH = 50         #: brackets (and exponents) nested inside one another
MAX_DIGITS = 100       #: digits of one number, its decimal exponent included
# The grammar's limits (:mod:`derive.text._grammar`), here beside the lexer's so that both
# read them from the bottom of the reader; :mod:`derive.text.parse` documents them.
MAX_EXPONENT = 64       #: largest whole exponent, in absolute value
MAX_POWER_BITS = 4096   #: largest number a power may produce, in bits (about 1233 digits)
MAX_DEGREE = 16         #: largest total polynomial degree of any part of a formula (the lab's are <= 2)
MAX_ARGUMENTS = 8       #: most arguments of min and max (sympy compares them pairwise)

#: The functions a formula may call.
FUNCTIONS = ("abs", "ceil", "ceiling", "floor", "int", "max", "min", "sqrt")

#: A token: ``kind`` is number, name, command, op, rel or end; ``column`` is 1-based.
Token = namedtuple("Token", "kind text column")

# Mathematical signs typed as themselves, and what they stand for.
_SIGNS = {
    "−": ("op", "-"), "×": ("op", "*"), "÷": ("op", "/"), "·": ("op", "*"), "⋅": ("op", "*"),
    "√": ("op", "√"), "⌊": ("op", "⌊"), "⌋": ("op", "⌋"), "⌈": ("op", "⌈"), "⌉": ("op", "⌉"),
    "²": ("op", "²"), "³": ("op", "³"), "≤": ("rel", "<="), "≥": ("rel", ">="),
    "≠": ("rel", "!="), "∞": ("name", "oo"),
}

# Letters of other scripts drawn like Latin ones (NFKC catches fullwidth and math letters).
_LOOK_ALIKES = dict(zip(
    "аеорсухіјѕһԁԛԝАВЕКМНОРСТХІЈЅοναικρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijshdqwABEKMHOPCTXIJSovaikptuxABEZHIKMNOPTYX",
))

_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}

_HINTS = {
    "'": "quotes are not part of a formula: write the expression itself",
    '"': "quotes are not part of a formula: write the expression itself",
    ".": "a '.' must belong to a number such as 0.5",
    "%": "'%' is not allowed (and LaTeX comments are not read)",
    "$": "remove the '$' signs: write the formula only",
    "|": "write abs(x) for the absolute value",
    ";": "write one formula",
    ":": "write one formula",
    "!": "factorials are not part of the grammar ('!=' means 'not equal')",
    "_": "subscripts are not part of the grammar: use the names as they are",
}

_NUMBER = r"(?: \d+ (?: \.\d* )? | \.\d+ ) (?: [eE] [+-]? \d+ )?"

_TOKEN = re.compile(rf"""
    (?P<number> {_NUMBER} )
  | (?P<name>   [A-Za-z_] [A-Za-z0-9_]* )
  | (?P<command> \\ (?: [A-Za-z]+ | [^A-Za-z] ) )
  | (?P<rel>    <= | >= | == | != | < | > | = )
  | (?P<op>     \*\* | // | -> | [-+*/^()\[\]{{}},&] )
""", re.VERBOSE)

# A number typed outside a formula (a command-line value, a JSON or TOML float): signed.
_DECIMAL = re.compile(rf"\s* (?P<sign> [+-]? ) (?P<number> {_NUMBER} ) \s*", re.VERBOSE)

_OPENING = {"(": ")", "[": "]", "{": "}", "⌊": "⌋", "⌈": "⌉"}
_LATEX_NAME = re.compile(r"[A-Za-z]+")


def is_latex(text):
    """Whether ``text`` is LaTeX: it has a backslash or a brace.

    >>> is_latex(r"\\frac{c-1}{n-1}"), is_latex("(c-1)/(n-1)")
    (True, False)
    """
    return "\\" in text or "{" in text or "}" in text


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
                  0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE"}


def _describe(char):
    name = unicodedata.name(char, None) or _CONTROL_NAMES.get(ord(char), "a control character")
    return f"{char!r} (U+{ord(char):04X} {name})"


def _screen(text):
    """Refuse any character outside the grammar, naming it and its column."""
    for index, char in enumerate(text):
        if " " <= char <= "~" or char in "\t\n\r" or char in _SIGNS:
            continue
        column = index + 1
        category = unicodedata.category(char)
        if category == "Cs":
            raise ParseError(f"the text is not valid UTF-8 (a stray byte at column {column})", column)
        if char in _BIDI:
            raise ParseError(
                f"bidirectional control character {_describe(char)} can make a formula read "
                f"differently from how it displays; delete it", column)
        if category in ("Cf", "Cc", "Co", "Cn"):
            kind = "control character" if category == "Cc" else "invisible character"
            raise ParseError(f"{kind} {_describe(char)} is not allowed; delete it", column)
        if category in ("Mn", "Me", "Mc"):
            raise ParseError(f"combining mark {_describe(char)} is not allowed; delete it", column)
        if category == "Zs":                          # no-break and thin spaces: a space
            continue
        latin = _LOOK_ALIKES.get(char) or unicodedata.normalize("NFKC", char)
        if len(latin) == 1 and latin.isascii() and latin.isalnum():
            what = "digit" if latin.isdigit() else "Latin letter"
            raise ParseError(
                f"{_describe(char)} looks like the {what} {latin!r} but is a different "
                f"character; type it again on a plain keyboard", column)
        raise ParseError(f"character {_describe(char)} is not part of the grammar", column)


def _is_space(char):
    return char in " \t\n\r" or unicodedata.category(char) == "Zs"


def _check_number(text, column):
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = len(whole.lstrip("0")) + len(fraction)
    if digits > MAX_DIGITS:
        raise ParseError(f"the number {text[:20]}… has {digits} digits; the limit is {MAX_DIGITS}", column)
    if exponent:
        size = exponent.lstrip("+-").lstrip("0")
        if len(size) > 3 or digits + int(size or 0) > MAX_DIGITS:
            raise ParseError(
                f"the number {text[:30]} is too large or too small: a number may have at most "
                f"{MAX_DIGITS} digits, its exponent included", column)


def number_value(text):
    """The exact value of a number token (already bounded by :func:`tokenize`).

    >>> number_value("0.25"), number_value("1.5e3")
    (Fraction(1, 4), Fraction(1500, 1))
    """
    mantissa, _, exponent = text.lower().partition("e")
    value = Fraction(mantissa)
    if exponent:
        value *= Fraction(10) ** int(exponent)
    return value


def decimal_value(text, name):
    """The decimal ``text`` (``4.2``, ``-1.5``, ``5e-6``) as an exact Fraction; ``None`` if
    it is not such a number. Bounded as a formula's numbers are, before any conversion:
    :data:`MAX_DIGITS` digits, the exponent included, else a ValueError naming ``name``
    — so ``1e1000000000`` is refused at once instead of building a billion-digit number.

    >>> decimal_value(" 4.2 ", "unit_us"), decimal_value("-5e-6", "t_launch"), decimal_value("fast", "x")
    (Fraction(21, 5), Fraction(-1, 200000), None)
    >>> decimal_value("1e400", "unit_us")
    Traceback (most recent call last):
    ...
    ValueError: unit_us: the number 1e400 is too large or too small: a number may have at most 100 digits, its exponent included
    """
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return None
    try:
        _check_number(match["number"], None)
    except ParseError as error:
        raise ValueError(f"{name}: {error}") from None
    value = number_value(match["number"])
    return -value if match["sign"] == "-" else value


def tokenize(text, *, latex=None):
    """The tokens of ``text``, ending with an ``end`` token; :class:`ParseError` if refused.

    ``latex`` (default: detected by :func:`is_latex`) allows only letters in names (LaTeX
    has no identifiers: in ``n_1`` the ``_`` is an operator, a subscript the LaTeX pass
    reads after ``\\lim`` and refuses elsewhere).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the formula is {len(text)} characters long; the limit is {MAX_LENGTH}",
                         MAX_LENGTH + 1)
    _screen(text)
    if latex is None:
        latex = is_latex(text)
    tokens, index, depth = [], 0, 0
    while index < len(text):
        char = text[index]
        if _is_space(char):
            index += 1
            continue
        column = index + 1
        if char in _SIGNS:
            kind, value = _SIGNS[char]
            tokens.append(Token(kind, value, column))
            index += 1
        else:
            match = _TOKEN.match(text, index)
            if match is None:
                hint = _HINTS.get(char, "it is not part of the grammar")
                raise ParseError(f"unexpected character {char!r}: {hint}", column)
            kind = match.lastgroup
            value = match.group(kind)
            if kind == "number":
                _check_number(value, column)
            if kind == "name" and latex:          # LaTeX has no identifiers: k_1 is k, _, 1
                letters = _LATEX_NAME.match(value)
                if letters is None:                # '_': a subscript, for the LaTeX pass to read
                    kind, value = "op", "_"
                else:
                    value = letters.group()
            tokens.append(Token(kind, value, column))
            index += len(value)
        last = tokens[-1]
        if last.kind == "op" and last.text in _OPENING:
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(f"brackets nest deeper than {MAX_DEPTH} levels", column)
        elif last.kind == "op" and last.text in _OPENING.values():
            depth -= 1
    tokens.append(Token("end", "", len(text) + 1))
    return tokens
