"""The safe parser's grammar: recursive descent over plain tokens, building sympy objects.

The tokens come from :mod:`derive.text._lexer` (and :mod:`derive.text._latex` for LaTeX); this
module turns them into sympy expressions and relations directly — ``sympy.Integer``,
``Rational``, ``Add``, ``Mul``, ``Pow`` (made unevaluated, and evaluated only once
bounded), ``floor``, ``ceiling``, ``Min``, ``Max``, ``Abs``, ``sqrt`` — never through
``sympify``. The grammar and the limits are documented in :mod:`derive.text.parse`.

>>> from derive.text._lexer import tokenize
>>> from derive.engine.symbols import c, n
>>> read(tokenize("2n - ⌊c/2⌋"), {"n": n, "c": c}, latex=False)
(None, 2*n - floor(c/2), set())
"""

import sympy

from .. import alarm
from ..errors import ParseError
from ._lexer import (
    FUNCTIONS,
    MAX_ARGUMENTS,
    MAX_DEGREE,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_POWER_BITS,
    number_value,
)

__all__ = ["read"]

_INFINITY = {"oo", "inf"}
_ARITY = {name: (1, MAX_ARGUMENTS) if name in ("min", "max") else (1, 1) for name in FUNCTIONS}
_CLOSING = {"(": ")", "[": "]", "⌊": "⌋", "⌈": "⌉"}
_RELATIONS = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
              "=": sympy.Eq, "==": sympy.Eq, "!=": sympy.Ne}
_STARTS_FACTOR = {"(", "[", "⌊", "⌈", "√", "cases("}
# Words of case splits (``a if c < 1 else b``, ``\\text{otherwise}``): they end a term.
_KEYWORDS = {"if", "else", "and", "or", "otherwise", "for", "when", "True", "true", "elif", "all"}
_NEVER = {"never", "Never"}
_UNDEFINED = {"undefined", "none", "None"}
_TRUE = {"otherwise", "else", "True", "true"}


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
    if name == "int":                                 # Python's int(): truncation toward 0
        x = args[0]
        if x.is_number:
            return sympy.Integer(int(x)) if x.is_Rational else sympy.sign(x) * sympy.floor(abs(x))
        return sympy.Piecewise((sympy.floor(x, evaluate=False), x >= 0),
                               (sympy.ceiling(x, evaluate=False), True))
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
    if exponent.free_symbols and not base.free_symbols and base.is_zero:
        raise ParseError("0 to a symbolic power is not read: write 0", column)
    if exponent.free_symbols:                     # k^n: read; bounded where it is evaluated
        return sympy.Pow(base, exponent)
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
    degree = _degree(base) * times
    if degree > MAX_DEGREE:
        shown = unevaluated if len(str(unevaluated)) < 40 else "here"
        raise ParseError(f"the power {shown} has degree {degree}, above the limit {MAX_DEGREE}", column)
    return sympy.Pow(*unevaluated.args)


def _bounded_product(factors, column):
    """The product of ``factors``, refused once its degree (the sum of theirs) passes the limit,
    or once its numbers together (the sum of their bits) pass :data:`MAX_POWER_BITS`."""
    degree = sum(_degree(factor) for factor in factors)
    if degree > MAX_DEGREE:
        raise ParseError(f"the product up to here has degree {degree}, above the limit {MAX_DEGREE}",
                         column)
    if sum(_bits(factor) for factor in factors) > MAX_POWER_BITS:
        raise ParseError(f"the product up to here would have numbers of more than {MAX_POWER_BITS} bits",
                         column)
    return sympy.Mul(*factors)


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
        left = self.conditional()
        parts = []
        while (op := self.take("rel")) is not None:
            right = self.conditional()
            parts.append(_RELATIONS[op.text](left, right, evaluate=False))
            left = right
        if not parts:
            return None, left
        return parts[0] if len(parts) == 1 else sympy.And(*parts, evaluate=False), None

    def conditional(self):
        """``a if condition else b`` (Python's order), chained: a case split."""
        value = self.expression()
        if not self.keyword("if", "for", "when"):
            return value
        pieces = [(value, self.condition())]
        while True:
            if self.keyword("elif"):
                pieces.append((self.expression(), self.condition()))
                continue
            if not self.keyword("else"):                 # 'a for n >= 2': no value elsewhere
                return _piecewise(pieces, self.current.column)
            rest = self.conditional()
            if isinstance(rest, sympy.Piecewise):
                pieces += list(rest.args)
            else:
                pieces.append((rest, sympy.true))
            return _piecewise(pieces, self.current.column)

    def keyword(self, *words):
        token = self.current
        if token.kind in ("name", "word") and token.text in words:
            self.index += 1
            return token
        return None

    def condition(self):
        """``c < 1``, ``n >= 2 and c >= 1``, ``n = 1 or c < 1``, ``otherwise``."""
        self.keyword("if", "for", "when")
        if self.keyword(*_TRUE):
            return sympy.true
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else sympy.Or(*parts)

    def conjunction(self):
        parts = [self.comparison()]
        while self.keyword("and") or self.take("op", ","):
            self.keyword("if", "for", "when")
            parts.append(self.comparison())
        return parts[0] if len(parts) == 1 else sympy.And(*parts)

    def comparison(self):
        start = self.current
        left = self.expression()
        parts = []
        while (op := self.take("rel")) is not None:
            right = self.expression()
            parts.append(_RELATIONS[op.text](left, right))
            left = right
        if not parts:
            raise ParseError("expected a condition such as c < 1 (with <, <=, >, >=, = or !=)", start.column)
        return parts[0] if len(parts) == 1 else sympy.And(*parts)

    def cases(self, opening):
        r"""The rows of ``\begin{cases}``: ``value & condition``, separated by ``\\``."""
        pieces = []
        while True:
            while self.take("op", "\\\\"):
                pass
            if self.take("op", ")cases"):
                break
            value = self.expression()
            if self.take("op", "&") is None:
                token = self.current
                raise ParseError("each row of a case split is 'value & condition'", token.column)
            pieces.append((value, self.condition()))
            if self.current.kind == "op" and self.current.text not in ("\\\\", ")cases"):
                raise ParseError(f"unexpected {self.current.text!r} in a case split", self.current.column)
        if not pieces:
            raise ParseError("an empty case split", opening.column)
        return _piecewise(pieces, opening.column)

    def expression(self):
        terms = [self.term()]                     # one Add at the end: linear, not quadratic
        while (op := self.take("op", "+", "-")) is not None:
            right = self.term()
            terms.append(right if op.text == "+" else -right)
        return sympy.Add(*terms)

    def term(self):
        start = self.current.column
        factors = [self.factor()]                 # one Mul at the end, as for terms
        _bounded_product(factors, start)          # a run of names (kkkk…) is a product too
        while True:
            op = self.take("op", "*", "/", "//")
            token = self.current
            if op is None:
                if token.kind == "number":
                    raise ParseError(f"a number cannot follow another factor directly; "
                                     f"write '*' before {token.text}", token.column)
                starts = token.kind in ("name", "word", "limit") or (token.kind == "op" and token.text in _STARTS_FACTOR)
                if not starts or (token.kind in ("name", "word") and token.text in _KEYWORDS):
                    return sympy.Mul(*factors)
                before = self.tokens[self.index - 1]
                if token.kind == "name" and before.kind == "name" and not self.latex and self.symbols is None:
                    raise ParseError(f"unexpected name {token.text!r} after {before.text!r}: write "
                                     f"{before.text}*{token.text} for a product", token.column)
            right = self.factor()
            if op is not None and op.text in ("/", "//"):
                if right.is_zero:
                    raise ParseError("division by zero", token.column)
                right = sympy.Pow(right, -1)
            factors.append(right)
            product = _bounded_product(factors, token.column)
            if op is not None and op.text == "//":
                factors = [_build("floor", [product], op.column)]

    def factor(self):
        negative = False
        while (sign := self.take("op", "+", "-")) is not None:
            negative ^= sign.text == "-"
        limit = self.take("limit")
        result = self.limit(limit, self.term()) if limit is not None else self.power()
        return -result if negative else result

    def limit(self, token, expr):
        """``lim_{k -> oo} expr``, taken by sympy on the built expression (never on text)."""
        variable = self.symbols.get(token.text) if self.symbols is not None else sympy.Symbol(token.text)
        if variable is None:
            raise ParseError(self.unknown(token.text), token.column)

        class _Slow(Exception):
            pass

        try:
            with alarm.time_limit(1.0, _Slow):
                value = sympy.limit(expr, variable, sympy.oo)
        except (_Slow, NotImplementedError, ValueError, TypeError, ZeroDivisionError, RecursionError):
            value = None
        if value is None or value.has(sympy.Limit, sympy.AccumBounds, sympy.nan, sympy.zoo):
            raise ParseError(f"could not take the limit of {_short(expr)} as {token.text} -> oo; "
                             f"write its value", token.column)
        return value

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
        if token.kind == "op" and token.text == "cases(":
            self.index += 1
            self.nested(token.column)
            result = self.cases(token)
            self.depth -= 1
            return result
        if token.kind == "word" and token.text in FUNCTIONS + ("Piecewise",):
            token = token._replace(kind="name")
        if token.kind in ("name", "word"):
            self.index += 1
            if token.text in _KEYWORDS:
                raise ParseError(f"unexpected {token.text!r}: a case split reads 'a if condition else b'",
                                 token.column)
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
            inner = self.conditional() if token.text in "([" else self.expression()
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
        if name in _INFINITY or name in _NEVER:          # never: the crossover is infinitely far
            return sympy.oo
        if name in _UNDEFINED:                            # no value: a case of a split, only
            return sympy.nan
        if name == "Piecewise" and self.current.kind == "op" and self.current.text == "(":
            return self.piecewise(token)
        if name in _ARITY:
            return self.call(token)
        if self.symbols is None:                  # free_names: LaTeX names are one letter
            following = self.current
            if len(name) > 1 and following.kind == "op" and following.text == "(" and not self.latex:
                raise ParseError(
                    f"unexpected '(' after {name!r}: {name} is not a function (the functions are "
                    f"{', '.join(FUNCTIONS)}); write {name}*(...) for a product", following.column)
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
            return (f"unknown name {name!r}, called as a function; the functions are {', '.join(FUNCTIONS)} "
                    f"(the names here are: {known})")
        close = [s for s in self.symbols if s.lower() == name.lower()]
        hint = f"; did you mean {close[0]!r}? names are case-sensitive" if close else ""
        return f"unknown name {name!r}; the names here are: {known}{hint}"

    def piecewise(self, token):
        """``Piecewise((a, c < 1), (b, True))``, as sympy prints a case split."""
        opening = self.take("op", "(")
        self.nested(token.column)
        pieces = []
        while True:
            inner = self.take("op", "(")
            if inner is None:
                raise ParseError("Piecewise takes pairs: Piecewise((value, condition), ...)", self.current.column)
            value = self.expression()
            if self.take("op", ",") is None:
                raise ParseError("Piecewise takes pairs: Piecewise((value, condition), ...)", self.current.column)
            pieces.append((value, self.condition()))
            self.expect(")", inner)
            if self.take("op", ",") is None:
                break
        self.expect(")", opening)
        self.depth -= 1
        return _piecewise(pieces, token.column)

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


def _undefined(expr):
    """Whether ``expr`` is undefined outside the cases of a split (where ``undefined`` may be a case)."""
    if isinstance(expr, sympy.Piecewise):
        return any(value is not sympy.nan and _undefined(value) for value, _ in expr.args)
    return expr.has(sympy.nan, sympy.zoo)


def _short(expr):
    text = str(expr)
    return text if len(text) < 60 else text[:57] + "..."


def _piecewise(pieces, column):
    """A case split as a sympy ``Piecewise`` (first true condition applies)."""
    if len(pieces) > MAX_ARGUMENTS:
        raise ParseError(f"a case split may have at most {MAX_ARGUMENTS} cases", column)
    try:
        return sympy.Piecewise(*pieces)
    except (TypeError, ValueError) as error:
        raise ParseError(f"cannot read this case split: {error}", column) from None


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


def read(tokens, symbols, latex):
    """``(relation, expression, names seen)`` from plain ``tokens``; one of the first two is None.

    ``symbols`` maps the names allowed to sympy symbols; None allows any name, and the
    names met are returned (see :func:`derive.text.parse.free_names`).
    """
    parser = _Parser(tokens, symbols, latex)
    try:
        relation, expression = parser.relation()
    except ParseError:
        raise
    except (ValueError, TypeError, ArithmeticError, AttributeError) as error:
        # sympy refusing what it was asked to build (oo - oo, a comparison with nan):
        # the formula is not a number, said at the token where it stopped.
        token = parser.tokens[min(parser.index, len(parser.tokens) - 1)]
        reason = " ".join(str(error).split())[:80] or type(error).__name__
        raise ParseError(f"this formula has no value ({reason})", token.column) from None
    if expression is not None and _undefined(expression):
        raise ParseError("this formula has no value (it is undefined everywhere, e.g. oo - oo or 0*oo, "
                         "or 'undefined' outside a case split)", 1)
    token = parser.current
    if token.kind != "end":
        closing = token.kind == "op" and token.text in (")", "]", "⌋", "⌉")
        what = f"{token.text!r} without a matching opening bracket" if closing else \
            f"unexpected {token.text!r} after a complete formula"
        raise ParseError(what, token.column)
    return relation, expression, parser.seen
