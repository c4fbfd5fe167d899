r"""A safe parser for formulas typed by users — its own grammar, never ``eval``.

Students and autograders hand in text nobody has vetted. SymPy's ``sympify`` and
``parse_expr`` run Python's ``eval`` on it; this module reads it with a small grammar and
builds the sympy objects itself, so ``__import__('os')`` is an unknown name, not a call.

=========================  =============================================================
``parse_expression``       text → sympy expression over the given names (``--set``, answers)
``parse_relation``         text → relation (``<  <=  >  >=  =  !=``; chains give ``And``)
``parse``                  either, whichever the text is (derivation steps)
``free_names``             the parameter-like names a text uses, function names excluded
``decode``                 bytes → text, strict UTF-8, with the offending byte named
``ParseError``             the one error: a message a student understands and a column
=========================  =============================================================

Grammar (plain text; LaTeX is first rewritten into it by :mod:`derive.text._latex`; the
tokens come from :mod:`derive.text._lexer` and the sympy objects are built by
:mod:`derive.text._grammar`, which is the only part that imports sympy)::

    relation := expr (RELOP expr)*
    expr     := term (("+" | "-") term)*
    term     := factor (("*" | "/" | "//") factor | factor-not-starting-with-a-number)*
    factor   := ("+" | "-")* power
    power    := postfix (("^" | "**") factor)?
    postfix  := atom ("²" | "³")*
    atom     := NUMBER | NAME | FUNCTION "(" expr ("," expr)* ")" | "√" postfix
              | "(" expr ")" | "[" expr "]" | "⌊" expr "⌋" | "⌈" expr "⌉"

* numbers: ``3``, ``0.5`` (exactly 1/2), ``1.5e3``; at most 100 digits;
* names: only those given (the model's parameters); a run of known names is their
  product (``kn`` is ``k·n``); a parameter is never a function (``n(k-1)`` is a product);
* implicit multiplication: ``2n``, ``n(k-1)``, ``(n-1)(k-1)``, at the precedence of ``*``
  (``1/2n`` is ``n/2``); a number never follows another factor without an operator; two
  names side by side are a product in LaTeX always, and in plain text when the names are
  known (``k n``; :func:`free_names`, which knows none, refuses ``y z``);
* functions: ``floor ceil ceiling min max abs sqrt int`` (``int`` truncates toward 0);
  ``a // b`` is ``floor(a/b)``;
* case splits: ``a if c < 1 else b`` (chained; without ``else``, no value elsewhere),
  ``Piecewise((a, c < 1), (b, True))``, LaTeX ``cases``; conditions join with ``and``,
  ``or``; ``never`` is ``oo``, ``undefined`` a case without a value;
* exponents: whole numbers, or symbolic (``k^n``: evaluated later, within the bounds);
* math delimiters around the whole text (``$…$``, ``\(…\)``, ``\[…\]``) are dropped;
* infinity: ``oo``, ``inf``, ``∞`` (``\infty``); signs ``− × ÷ · √ ⌊⌋ ⌈⌉ ² ≤ ≥ ≠``;
* LaTeX (detected by a backslash or a brace): see :mod:`derive.text._latex`.

Limits are checked before any arithmetic (:mod:`derive.text._lexer`): length, characters,
digits, bracket depth; then, while building, powers are made unevaluated and only
evaluated once bounded: whole exponents up to :data:`MAX_EXPONENT`, results up to
:data:`MAX_POWER_BITS` bits (so are the numbers of a product, together); every product and power is kept to total polynomial degree
:data:`MAX_DEGREE` (a product adds its factors' degrees, a power multiplies by its
exponent, a sum or function takes the largest), since ``(n^64)*(n^64)`` costs later
steps seconds and gigabytes to expand; ``min`` and ``max`` take at most :data:`MAX_ARGUMENTS` arguments, and sums and products are built
in one step each, so that no 1000-character formula costs more than a fraction of a second.

>>> from derive.engine.symbols import c, k, n
>>> names = {"n": n, "c": c, "k": k}
>>> parse_expression("max(1, ⌊(c − 1)/(n − 1)⌋ + 1)", names)
Max(1, floor((c - 1)/(n - 1)) + 1)
>>> parse_expression(r"\left\lceil \frac{c}{n-1} \right\rceil", names)
ceiling(c/(n - 1))
>>> parse_relation("c + k - 1 < kn", names)
c + k - 1 < k*n
>>> parse_expression("9**9**9**9", names)
Traceback (most recent call last):
...
derive.errors.ParseError: exponents must be whole numbers from -64 to 64, got 387420489 (column 5)
"""

from ..errors import ParseError
from . import _latex
from ._lexer import (  # the limits are the lexer's, which the grammar shares: re-exported here
    FUNCTIONS,
    MAX_ARGUMENTS,
    MAX_DEGREE,
    MAX_EXPONENT,
    MAX_POWER_BITS,
    is_latex,
    tokenize,
)

__all__ = ["FUNCTIONS", "MAX_ARGUMENTS", "MAX_DEGREE", "MAX_EXPONENT", "MAX_POWER_BITS", "decode", "free_names",
           "parse", "parse_expression", "parse_relation", "screen", "strip_delimiters"]


_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def strip_delimiters(text):
    r"""``text`` without the math delimiters around it (``$…$``, ``$$…$$``, ``\(…\)``,
    ``\[…\]``), each replaced by spaces so that columns still point into what was typed.

    >>> strip_delimiters(r"$\frac{c-1}{n-1}$")
    ' \\frac{c-1}{n-1} '
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    inner = text.strip()
    for opening, closing in _DELIMITERS:
        if len(inner) >= len(opening) + len(closing) and inner.startswith(opening) and inner.endswith(closing):
            start = text.index(opening)
            end = text.rindex(closing)
            return " " * (start + len(opening)) + text[start + len(opening):end] + " " * (len(text) - end)
    return text


def screen(text):
    """The plain tokens of ``text``, or the :class:`ParseError` that refuses it.

    Everything refused before a single number is built — length, characters, digits,
    depth, LaTeX commands — is refused here, without importing sympy: a hostile answer
    costs microseconds.

    >>> [t.text for t in screen(r"\\frac{c}{2}")]
    ['(', '(', 'c', ')', '/', '(', '2', ')', ')', '']
    """
    text = strip_delimiters(text)
    latex = is_latex(text)
    tokens = tokenize(text, latex=latex)
    if latex:
        tokens = _latex.translate(tokens)
    if tokens[0].kind == "end":
        raise ParseError("the expression is empty", 1)
    return tokens


def _parse(text, symbols):
    tokens = screen(text)
    from ._grammar import read  # sympy is imported here, not before

    return read(tokens, symbols, is_latex(strip_delimiters(text)))


def parse(text, symbols):
    """A relation or an expression, whichever ``text`` is (for derivation steps).

    >>> from derive.engine.symbols import c, k, n
    >>> parse("c - 1 < k(n - 1)", {"n": n, "c": c, "k": k})
    c - 1 < k*(n - 1)
    """
    relation, expression, _ = _parse(text, symbols)
    return expression if relation is None else relation


def parse_expression(text, symbols):
    """Read ``text`` as an exact sympy expression over ``symbols`` (``{name: Symbol}``).

    >>> from derive.engine.symbols import n
    >>> parse_expression("3*n", {"n": n})
    3*n
    >>> parse_expression("(n - 1)/2 + 0.5", {"n": n})
    n/2
    >>> parse_expression("n + __import__", {"n": n})
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: unknown name '__import__'; the names here are: n (column 5)
    """
    relation, expression, _ = _parse(text, symbols)
    if relation is not None:
        raise ParseError(f"expected an expression, found the relation {relation}", 1)
    return expression


def parse_relation(text, symbols):
    """Read ``text`` as a relation; a chain such as ``1 <= k < n`` becomes an ``And``.

    >>> from derive.engine.symbols import n
    >>> parse_relation("n ≥ 2", {"n": n})
    n >= 2
    """
    relation, expression, _ = _parse(text, symbols)
    if relation is None:
        raise ParseError("expected a relation such as n >= 2 (with <, <=, >, >=, = or !=)", 1)
    return relation


def free_names(text):
    r"""The parameter-like names ``text`` uses: any name that is not a function or infinity.

    Nothing is known about the names in advance, so in plain text every identifier is one
    name (``cost`` is one name) and in LaTeX every letter is one (``kn`` is ``k`` and ``n``).
    A name of more than one letter followed by ``(`` is refused (``sin(k)``: an unknown
    function, not a parameter ``sin`` times ``k``).

    >>> sorted(free_names("c + (k - 1)*launch_cost"))
    ['c', 'k', 'launch_cost']
    >>> sorted(free_names(r"\max(1, \lfloor x/y \rfloor) + oo"))
    ['x', 'y']
    """
    _, _, seen = _parse(text, None)
    return set(seen)


def decode(data):
    r"""``data`` (bytes) as text: strict UTF-8, else a :class:`ParseError` naming the byte.

    >>> decode("n − 1".encode())
    'n − 1'
    >>> decode(b"n \xff 1")
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: the text is not valid UTF-8: byte 0xff at offset 2 (column 3)
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        column = len(bytes(data[:error.start]).decode("utf-8", "replace")) + 1
        raise ParseError(f"the text is not valid UTF-8: byte 0x{byte:02x} at offset {error.start}",
                         column) from None
