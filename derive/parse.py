"""A safe parser for expressions typed by users — no ``eval``, no ``sympify``.

Grammar (the small one used by ``--set``)::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("+" | "-") unary | power
    power   := atom (("^" | "**") unary)?
    atom    := NUMBER | NAME | "(" expr ")"

Numbers are integers or decimals, read as exact rationals (``0.5`` is ``1/2``). Names
must be the model's parameters. Limits are checked before any arithmetic: the length
of the text, the nesting depth, the digits of a number and the size of an exponent.
"""

import re
from fractions import Fraction

import sympy

from .errors import ParseError

__all__ = ["free_names", "parse_expression"]

MAX_LENGTH = 1000
MAX_DEPTH = 50
MAX_DIGITS = 100
MAX_EXPONENT = 64

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^()]))"
)


def _tokens(text):
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            bad = stripped[position:].lstrip()[:1]
            column = len(stripped) - len(stripped[position:].lstrip()) + 1
            raise ParseError(f"unexpected character {bad!r}", column)
        kind = match.lastgroup
        yield kind, match.group(kind), match.start(kind) + 1
        position = match.end()
    yield "end", "", len(stripped) + 1


class _Parser:
    def __init__(self, text, symbols):
        self.tokens = list(_tokens(text))
        self.index = 0
        self.symbols = symbols
        self.depth = 0

    @property
    def current(self):
        return self.tokens[self.index]

    def take(self, *ops):
        kind, value, _ = self.current
        if kind == "op" and value in ops:
            self.index += 1
            return value
        return None

    def expression(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"the expression nests deeper than {MAX_DEPTH} levels", self.current[2])
        result = self.term()
        while (op := self.take("+", "-")) is not None:
            right = self.term()
            result = sympy.Add(result, right if op == "+" else -right)
        self.depth -= 1
        return result

    def term(self):
        result = self.unary()
        while (op := self.take("*", "/")) is not None:
            column = self.current[2]
            right = self.unary()
            if op == "/":
                if right == 0:
                    raise ParseError("division by zero", column)
                right = sympy.Pow(right, -1)
            result = sympy.Mul(result, right)
        return result

    def unary(self):
        if self.take("-") is not None:
            return -self.unary()
        if self.take("+") is not None:
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.take("^", "**") is None:
            return base
        column = self.current[2]
        exponent = self.unary()
        if not (exponent.is_Integer and abs(int(exponent)) <= MAX_EXPONENT):
            raise ParseError(
                f"exponents must be whole numbers from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                f"got {exponent}", column)
        if base == 0 and exponent < 0:
            raise ParseError("division by zero", column)
        return sympy.Pow(base, exponent)

    def atom(self):
        kind, value, column = self.current
        if kind == "number":
            self.index += 1
            if len(value.replace(".", "")) > MAX_DIGITS:
                raise ParseError(f"numbers may have at most {MAX_DIGITS} digits", column)
            exact = Fraction(value)
            return sympy.Rational(exact.numerator, exact.denominator)
        if kind == "name":
            self.index += 1
            if value not in self.symbols:
                known = ", ".join(sorted(self.symbols)) or "none"
                raise ParseError(f"unknown name {value!r}; the names here are: {known}", column)
            return self.symbols[value]
        if self.take("(") is not None:
            inner = self.expression()
            if self.take(")") is None:
                raise ParseError("missing closing parenthesis", self.current[2])
            return inner
        found = "the end of the input" if kind == "end" else repr(value)
        raise ParseError(f"expected a number, a name or '(', found {found}", column)


def free_names(text):
    """The names ``text`` mentions, read by the tokenizer alone (nothing is evaluated).

    >>> sorted(free_names("t_setup + k*t_fast"))
    ['k', 't_fast', 't_setup']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    return {value for kind, value, _ in _tokens(text) if kind == "name"}


def parse_expression(text, symbols):
    """Read ``text`` as an exact sympy expression over ``symbols`` (``{name: Symbol}``).

    >>> from derive.symbols import n
    >>> parse_expression("3*n", {"n": n})
    3*n
    >>> parse_expression("(n - 1)/2 + 0.5", {"n": n})
    n/2
    >>> parse_expression("n + __import__", {"n": n})
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: unknown name '__import__'; the names here are: n (column 5)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ParseError("the expression is empty")
    parser = _Parser(text, symbols)
    result = parser.expression()
    kind, value, column = parser.current
    if kind != "end":
        raise ParseError(f"unexpected {value!r} after a complete expression", column)
    return result
