r"""LaTeX for the safe parser: a short, closed list of commands rewritten as plain tokens.

The grammar of :mod:`derive.text.parse` reads plain text; a LaTeX formula is first rewritten
token by token into the same plain tokens, keeping each token's column:

=========================================  ==========================================
``\frac{a}{b}`` (or ``\frac12``)           ``((a)/(b))``
``\sqrt{a}``                               ``sqrt(a)``
``x^{a}`` (or ``x^2``: one character)      ``x^(a)``
``\lfloor \rfloor \lceil \rceil``          ``⌊ ⌋ ⌈ ⌉``
``\left \right``                           dropped (they must precede a bracket)
``\cdot \times \div``                      ``* * /``
``\le \leq \ge \geq \ne \neq \lt \gt``     ``<= <= >= >= != != < >``
``\infty``                                 ``oo``
``\min \max``                              ``min max``
``\, \; \: \! \quad \qquad`` and ``\ ``    spacing: dropped
``{ }``                                    brackets
=========================================  ==========================================

Nothing else: no macros, no ``\input``, no comments. Any other command is refused by
name, with the list of those understood.

>>> from derive.text._lexer import tokenize
>>> " ".join(t.text for t in translate(tokenize(r"\left\lfloor \frac{c-1}{n-1} \right\rfloor + 1")))
'⌊ ( ( c - 1 ) / ( n - 1 ) ) ⌋ + 1 '
"""

from ..errors import ParseError
from ._lexer import Token

__all__ = ["COMMANDS", "translate"]

_SIMPLE = {
    r"\lfloor": ("op", "⌊"), r"\rfloor": ("op", "⌋"), r"\lceil": ("op", "⌈"), r"\rceil": ("op", "⌉"),
    r"\cdot": ("op", "*"), r"\times": ("op", "*"), r"\div": ("op", "/"),
    r"\le": ("rel", "<="), r"\leq": ("rel", "<="), r"\ge": ("rel", ">="), r"\geq": ("rel", ">="),
    r"\ne": ("rel", "!="), r"\neq": ("rel", "!="), r"\lt": ("rel", "<"), r"\gt": ("rel", ">"),
    r"\infty": ("name", "oo"), r"\min": ("name", "min"), r"\max": ("name", "max"),
    r"\{": ("op", "("), r"\}": ("op", ")"),
}
_SPACING = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad"}
_STRUCTURE = {r"\frac", r"\sqrt", r"\left", r"\right"}
_DELIMITERS = {"(", ")", "[", "]", "⌊", "⌋", "⌈", "⌉"}

#: Every command understood, for messages and documentation.
COMMANDS = tuple(sorted(set(_SIMPLE) | _SPACING | _STRUCTURE))


class _Translator:
    def __init__(self, tokens):
        self.tokens = list(tokens)
        self.index = 0

    def peek(self):
        return self.tokens[self.index]

    def next(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def group(self, opening):
        """Tokens up to the ``}`` matching ``opening`` (consumed)."""
        out = []
        while True:
            token = self.peek()
            if token.kind == "end":
                raise ParseError("missing '}' for this '{'", opening.column)
            if token.kind == "op" and token.text == "}":
                self.index += 1
                return out
            out += self.item()

    def argument(self, command):
        """A braced group, or the single character that follows (``\\frac12``, ``x^2``)."""
        token = self.peek()
        if token.kind == "op" and token.text == "{":
            return self.group(self.next())
        if token.kind in ("number", "name"):
            if len(token.text) == 1:
                return [self.next()]
            rest = Token(token.kind, token.text[1:], token.column + 1)
            if token.kind == "number" and rest.text[0] in ".eE":
                raise ParseError(f"put the argument of {command} in braces", token.column)
            self.tokens[self.index] = rest
            return [Token(token.kind, token.text[0], token.column)]
        if token.kind == "command" and token.text in _SIMPLE and _SIMPLE[token.text][0] == "name":
            return self.item()
        raise ParseError(f"{command} needs an argument in braces, e.g. {command}{{...}}", token.column)

    def item(self):
        token = self.next()
        column = token.column
        if token.kind == "op" and token.text == "{":
            return [Token("op", "(", column), *self.group(token), Token("op", ")", column)]
        if token.kind == "op" and token.text == "}":
            raise ParseError("'}' without a matching '{'", column)
        if token.kind == "op" and token.text == "^":
            exponent = self.argument("^")
            return [token, Token("op", "(", column), *exponent, Token("op", ")", column)]
        if token.kind != "command":
            return [token]
        name = token.text
        if name in _SPACING:
            return []
        if name in _SIMPLE:
            kind, text = _SIMPLE[name]
            return [Token(kind, text, column)]
        if name == r"\frac":
            top, bottom = self.argument(name), self.argument(name)
            o, c = Token("op", "(", column), Token("op", ")", column)
            return [o, o, *top, c, Token("op", "/", column), o, *bottom, c, c]
        if name == r"\sqrt":
            if self.peek().kind == "op" and self.peek().text == "[":
                raise ParseError(r"only square roots are understood: write \sqrt{...}", column)
            radicand = self.argument(name)
            return [Token("name", "sqrt", column), Token("op", "(", column), *radicand,
                    Token("op", ")", column)]
        if name in (r"\left", r"\right"):
            following = self.peek()
            bracket = _SIMPLE.get(following.text, (None, following.text))[1]
            if bracket not in _DELIMITERS:
                raise ParseError(f"{name} must be followed by a bracket such as ( or \\lfloor", column)
            return []
        known = " ".join(COMMANDS)
        raise ParseError(f"unknown LaTeX command {name}; the commands understood are: {known}", column)


def translate(tokens):
    """The plain tokens that LaTeX ``tokens`` stand for (see the table above)."""
    translator = _Translator(tokens)
    out = []
    while translator.peek().kind != "end":
        out += translator.item()
    return out + [translator.peek()]
