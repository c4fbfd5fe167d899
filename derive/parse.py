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

Grammar (plain text; LaTeX is first rewritten into it by :mod:`derive._latex`)::

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
  (``1/2n`` is ``n/2``); a number never follows another factor without an operator;
* functions: ``floor ceil ceiling min max abs sqrt``; ``a // b`` is ``floor(a/b)``;
* infinity: ``oo``, ``inf``, ``∞`` (``\infty``); signs ``− × ÷ · √ ⌊⌋ ⌈⌉ ² ≤ ≥ ≠``;
* LaTeX (detected by a backslash or a brace): see :mod:`derive._latex`.

Limits are checked before any arithmetic (:mod:`derive._lexer`): length, characters,
digits, bracket depth; then, while building, powers are made unevaluated and only
evaluated once bounded: whole exponents up to :data:`MAX_EXPONENT`, results up to
:data:`MAX_POWER_BITS` bits and polynomial degree :data:`MAX_DEGREE`; ``min`` and
``max`` take at most :data:`MAX_ARGUMENTS` arguments, and sums and products are built
in one step each, so that no 1000-character formula costs more than a fraction of a second.

>>> from derive.symbols import c, k, n
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

import sympy

from . import _latex
from ._lexer import MAX_DEPTH, is_latex, number_value, tokenize
from .errors import ParseError

__all__ = ["FUNCTIONS", "MAX_ARGUMENTS", "MAX_DEGREE", "MAX_EXPONENT", "MAX_POWER_BITS", "decode", "free_names",
           "parse", "parse_expression", "parse_relation"]

MAX_EXPONENT = 64       #: largest whole exponent, in absolute value
MAX_POWER_BITS = 4096   #: largest number a power may produce, in bits (about 1233 digits)
MAX_DEGREE = 64         #: largest polynomial degree a power may produce
MAX_ARGUMENTS = 8       #: most arguments of min and max (sympy compares them pairwise)

_INFINITY = {"oo", "inf"}
_ARITY = {"floor": (1, 1), "ceil": (1, 1), "ceiling": (1, 1), "abs": (1, 1), "sqrt": (1, 1),
          "min": (1, MAX_ARGUMENTS), "max": (1, MAX_ARGUMENTS)}
#: The functions a formula may call.
FUNCTIONS = tuple(sorted(_ARITY))
_CLOSING = {"(": ")", "[": "]", "⌊": "⌋", "⌈": "⌉"}
_RELATIONS = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
              "=": sympy.Eq, "==": sympy.Eq, "!=": sympy.Ne}
_STARTS_FACTOR = {"(", "[", "⌊", "⌈", "√"}


def _build(name, args, column):
    # Functions of symbols stay as written (evaluate=False): sympy's simplification of
    # floor, max and abs asks its assumption system questions that cost tens of
    # milliseconds each, and a formula may hold dozens of them. Numbers evaluate.
    evaluate = all(arg.is_number for arg in args)
    if name == "floor":
        return sympy.floor(args[0], evaluate=evaluate)
    if name in ("ceil", "ceiling"):
        return sympy.ceiling(args[0], evaluate=evaluate)
    if name == "abs":
        return sympy.Abs(args[0], evaluate=evaluate)
    if name == "min":
        return sympy.Min(*args, evaluate=evaluate)
    if name == "max":
        return sympy.Max(*args, evaluate=evaluate)
    return _sqrt(args[0], column)


def _sqrt(radicand, column):
    if radicand.is_number and radicand.is_negative:
        raise ParseError(f"the square root of a negative number ({radicand}) is not a real number",
                         column)
    return sympy.sqrt(radicand)


def _degree(expr):
    """An upper bound on the polynomial degree of ``expr`` (numbers 0, symbols 1)."""
    if expr.is_Symbol:
        return 1
    if not expr.args:
        return 0
    degrees = [_degree(arg) for arg in expr.args]
    if expr.is_Mul:
        return sum(degrees)
    if expr.is_Pow:
        exponent = expr.exp
        return degrees[0] * abs(int(exponent)) if exponent.is_Integer else degrees[0]
    return max(degrees)


def _bits(expr):
    """The size in bits of the largest number in ``expr``."""
    if expr.is_Rational:
        return max(abs(int(expr.p)).bit_length(), int(expr.q).bit_length())
    return max((_bits(arg) for arg in expr.args), default=0)


def _power(base, exponent, column):
    """``base ** exponent``, built unevaluated and evaluated only once it is bounded."""
    unevaluated = sympy.Pow(base, exponent, evaluate=False)
    if not (exponent.is_Integer and abs(int(exponent)) <= MAX_EXPONENT):
        shown = exponent if len(str(exponent)) < 40 else "a very large or symbolic number"
        raise ParseError(
            f"exponents must be whole numbers from -{MAX_EXPONENT} to {MAX_EXPONENT}, got {shown}",
            column)
    times = abs(int(exponent))
    if base.is_zero and exponent < 0:
        raise ParseError("division by zero", column)
    if _bits(base) * times > MAX_POWER_BITS:
        raise ParseError(f"the power {unevaluated} would have more than {MAX_POWER_BITS} bits", column)
    if _degree(base) * times > MAX_DEGREE:
        raise ParseError(f"the power {unevaluated} has degree above {MAX_DEGREE}", column)
    return sympy.Pow(*unevaluated.args)


class _Parser:
    """Recursive descent over the tokens; ``symbols`` None means "any name" (free_names)."""

    def __init__(self, tokens, symbols, latex):
        self.tokens = tokens
        self.index = 0
        self.symbols = symbols
        self.latex = latex
        self.depth = 0
        self.seen = set()

    @property
    def current(self):
        return self.tokens[self.index]

    def take(self, kind, *texts):
        token = self.current
        if token.kind == kind and (not texts or token.text in texts):
            self.index += 1
            return token
        return None

    def expect(self, text, opening):
        if self.take("op", text) is None:
            found = self.current
            what = "the end of the input" if found.kind == "end" else repr(found.text)
            raise ParseError(f"expected {text!r} to close the {opening.text!r} at column "
                             f"{opening.column}, found {what}", found.column)

    def nested(self, column):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"the formula nests deeper than {MAX_DEPTH} levels", column)

    # -- the grammar -----------------------------------------------------------------

    def relation(self):
        left = self.expression()
        parts = []
        while (op := self.take("rel")) is not None:
            right = self.expression()
            parts.append(_RELATIONS[op.text](left, right, evaluate=False))
            left = right
        if not parts:
            return None, left
        return parts[0] if len(parts) == 1 else sympy.And(*parts, evaluate=False), None

    def expression(self):
        terms = [self.term()]                     # one Add at the end: linear, not quadratic
        while (op := self.take("op", "+", "-")) is not None:
            right = self.term()
            terms.append(right if op.text == "+" else -right)
        return sympy.Add(*terms)

    def term(self):
        factors = [self.factor()]                 # one Mul at the end, as for terms
        while True:
            op = self.take("op", "*", "/", "//")
            token = self.current
            if op is None:
                if token.kind == "number":
                    raise ParseError(f"a number cannot follow another factor directly; "
                                     f"write '*' before {token.text}", token.column)
                if not (token.kind == "name" or (token.kind == "op" and token.text in _STARTS_FACTOR)):
                    return sympy.Mul(*factors)
            right = self.factor()
            if op is not None and op.text in ("/", "//"):
                if right.is_zero:
                    raise ParseError("division by zero", token.column)
                right = sympy.Pow(right, -1)
            factors.append(right)
            if op is not None and op.text == "//":
                factors = [_build("floor", [sympy.Mul(*factors)], op.column)]

    def factor(self):
        negative = False
        while (sign := self.take("op", "+", "-")) is not None:
            negative ^= sign.text == "-"
        result = self.power()
        return -result if negative else result

    def power(self):
        base = self.postfix()
        op = self.take("op", "^", "**")
        if op is None:
            return base
        self.nested(op.column)
        exponent = self.factor()
        self.depth -= 1
        return _power(base, exponent, op.column)

    def postfix(self):
        result = self.atom()
        while (sup := self.take("op", "²", "³")) is not None:
            result = _power(result, sympy.Integer(2 if sup.text == "²" else 3), sup.column)
        return result

    def atom(self):
        token = self.current
        if token.kind == "number":
            self.index += 1
            value = number_value(token.text)
            return sympy.Rational(value.numerator, value.denominator)
        if token.kind == "name":
            self.index += 1
            return self.name(token)
        if token.kind == "op" and token.text == "√":
            self.index += 1
            self.nested(token.column)
            radicand = self.postfix()
            self.depth -= 1
            return _sqrt(radicand, token.column)
        if token.kind == "op" and token.text in _CLOSING:
            self.index += 1
            self.nested(token.column)
            inner = self.expression()
            self.expect(_CLOSING[token.text], token)
            self.depth -= 1
            if token.text in "⌊⌈":
                return _build("floor" if token.text == "⌊" else "ceil", [inner], token.column)
            return inner
        if token.kind == "rel":
            raise ParseError(f"expected a number, a name or '(' before {token.text!r}", token.column)
        found = "the end of the input" if token.kind == "end" else repr(token.text)
        raise ParseError(f"expected a number, a name or '(', found {found}", token.column)

    def name(self, token):
        name = token.text
        if name in _INFINITY:
            return sympy.oo
        if name in _ARITY:
            return self.call(token)
        if self.symbols is None:                  # free_names: LaTeX names are one letter
            names = list(name) if self.latex else [name]
            self.seen.update(names)
            return sympy.Mul(*map(sympy.Symbol, names))
        if name in self.symbols:
            return self.symbols[name]
        pieces = _split_names(name, self.symbols)
        if pieces:
            return sympy.Mul(*(self.symbols[piece] for piece in pieces))
        raise ParseError(self.unknown(name), token.column)

    def unknown(self, name):
        known = ", ".join(sorted(self.symbols)) or "none"
        if self.current.kind == "op" and self.current.text == "(":
            return (f"unknown function {name!r}; the functions are {', '.join(FUNCTIONS)} "
                    f"(the names here are: {known})")
        close = [s for s in self.symbols if s.lower() == name.lower()]
        hint = f"; did you mean {close[0]!r}? names are case-sensitive" if close else ""
        return f"unknown name {name!r}; the names here are: {known}{hint}"

    def call(self, token):
        opening = self.take("op", "(")
        if opening is None:
            raise ParseError(f"{token.text} is a function: write {token.text}(...)", token.column)
        self.nested(token.column)
        low, high = _ARITY[token.text]
        wanted = "one argument" if high == 1 else f"from {low} to {high} arguments"
        args = [self.expression()]
        while (comma := self.take("op", ",")) is not None:
            if len(args) == high:
                raise ParseError(f"{token.text} takes {wanted}", comma.column)
            args.append(self.expression())
        self.expect(")", opening)
        self.depth -= 1
        return _build(token.text, args, token.column)


def _split_names(run, symbols):
    """``run`` as a product of known names (``kn`` → ``k, n``), or None if it is not one."""
    if not run.isalpha():
        return None
    best = {0: []}
    for end in range(1, len(run) + 1):
        for start in range(end):
            if start in best and run[start:end] in symbols:
                best[end] = best[start] + [run[start:end]]
                break
    return best.get(len(run))


def _parse(text, symbols):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    latex = is_latex(text)
    tokens = tokenize(text, latex=latex)
    if latex:
        tokens = _latex.translate(tokens)
    if tokens[0].kind == "end":
        raise ParseError("the formula is empty", 1)
    parser = _Parser(tokens, symbols, latex)
    relation, expression = parser.relation()
    token = parser.current
    if token.kind != "end":
        closing = token.kind == "op" and token.text in (")", "]", "⌋", "⌉")
        what = f"{token.text!r} without a matching opening bracket" if closing else \
            f"unexpected {token.text!r} after a complete formula"
        raise ParseError(what, token.column)
    return relation, expression, parser


def parse(text, symbols):
    """A relation or an expression, whichever ``text`` is (for derivation steps).

    >>> from derive.symbols import c, k, n
    >>> parse("c - 1 < k(n - 1)", {"n": n, "c": c, "k": k})
    c - 1 < k*(n - 1)
    """
    relation, expression, _ = _parse(text, symbols)
    return expression if relation is None else relation


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
    relation, expression, _ = _parse(text, symbols)
    if relation is not None:
        raise ParseError(f"expected an expression, found the relation {relation}")
    return expression


def parse_relation(text, symbols):
    """Read ``text`` as a relation; a chain such as ``1 <= k < n`` becomes an ``And``.

    >>> from derive.symbols import n
    >>> parse_relation("n ≥ 2", {"n": n})
    n >= 2
    """
    relation, expression, _ = _parse(text, symbols)
    if relation is None:
        raise ParseError("expected a relation such as n >= 2 (with <, <=, >, >=, = or !=)")
    return relation


def free_names(text):
    r"""The parameter-like names ``text`` uses: any name that is not a function or infinity.

    Nothing is known about the names in advance, so in plain text every identifier is one
    name (``cost`` is one name) and in LaTeX every letter is one (``kn`` is ``k`` and ``n``).

    >>> sorted(free_names("c + (k - 1)*launch_cost"))
    ['c', 'k', 'launch_cost']
    >>> sorted(free_names(r"\max(1, \lfloor x/y \rfloor) + oo"))
    ['x', 'y']
    """
    _, _, parser = _parse(text, None)
    return set(parser.seen)


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
