r"""LaTeX for the safe parser: a short, closed list of commands rewritten as plain tokens.

The grammar of :mod:`derive.text.parse` reads plain text; a LaTeX formula is first rewritten
token by token into the same plain tokens, keeping each token's column:

=========================================  ==========================================
``\frac{a}{b}`` (or ``\frac12``), and       ``((a)/(b))``
``\dfrac \tfrac \cfrac``
``\lim_{k \to \infty} x``                   a limit token: the grammar takes the limit of the
                                           term that follows
``\begin{cases} a & c \\ b & d \end{cases}``  ``cases(a & c \\ b & d)``: a case split
``\text{..} \mathrm{..} \operatorname{..}``  the words inside (``\text{otherwise}``, ``\mathrm{floor}``)
``\sqrt{a}``                               ``sqrt(a)``
``x^{a}`` (or ``x^2``: one character)      ``x^(a)``
``\lfloor \rfloor \lceil \rceil``          ``⌊ ⌋ ⌈ ⌉``
``\left \right``                           dropped (they must precede a bracket)
``\cdot \times \div``                      ``* * /``
``\le \leq \ge \geq \ne \neq \lt \gt``     ``<= <= >= >= != != < >``
``\infty``                                 ``oo``
``\min \max``                              ``min max``
``\, \; \: \! \quad \qquad`` and ``\ ``    spacing: dropped (so are ``\displaystyle``,
                                           ``\limits`` and the sizes ``\big \Big``…)
``{ }``                                    brackets
=========================================  ==========================================

Nothing else: no macros, no ``\input``, no comments. Any other command is refused by
name, with the list of those understood; a subscript anywhere but after ``\lim`` is refused
(``x_1`` is not a parameter), with its column.

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
    r"\{": ("op", "("), r"\}": ("op", ")"), r"\ast": ("op", "*"), r"\land": ("name", "and"),
    r"\wedge": ("name", "and"), r"\lor": ("name", "or"), r"\vee": ("name", "or"),
    r"\leqslant": ("rel", "<="), r"\geqslant": ("rel", ">="),
    "\\\\": ("op", "\\\\"), r"\to": ("op", "->"), r"\rightarrow": ("op", "->"),
    r"\longrightarrow": ("op", "->"),
}
_SPACING = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", r"\displaystyle", r"\textstyle",
            r"\limits", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr"}
_FRACTIONS = {r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"}
_WORDS = {r"\text", r"\mathrm", r"\operatorname", r"\textrm", r"\mathit", r"\textit", r"\mbox"}
_STRUCTURE = {r"\sqrt", r"\left", r"\right", r"\lim", r"\begin", r"\end"} | _FRACTIONS | _WORDS
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
        if token.kind == "op" and token.text == "_":
            raise ParseError("subscripts are not part of the grammar (x_1 is not a parameter): use the "
                             "names as they are; a subscript is read only in \\lim_{k \\to \\infty}", column)
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
        if name in _WORDS:
            return self.words(name, column)
        if name == r"\lim":
            return self.limit(column)
        if name == r"\begin":
            return self.cases(column)
        if name == r"\end":
            raise ParseError(r"\end without a matching \begin", column)
        if name in _FRACTIONS:
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
        raise ParseError(f"unknown LaTeX command {name}: the reader takes \\frac, \\lfloor, \\lceil, "
                         f"\\cdot, \\times, \\sqrt, \\lim, cases and spacing (all {len(COMMANDS)}: "
                         f"derive.text._latex.COMMANDS)", column)


    # -- words, limits and case splits -------------------------------------------------

    def words(self, command, column):
        """``\\text{otherwise}`` → the word; ``\\mathrm{x}`` → the name; spaces split words."""
        opening = self.peek()
        if not (opening.kind == "op" and opening.text == "{"):
            raise ParseError(f"{command} needs its text in braces, e.g. {command}{{otherwise}}", column)
        inner = self.group(self.next())
        if all(t.kind == "name" for t in inner):
            return [Token("word", t.text, t.column) for t in inner]
        return inner

    def limit(self, column):
        """``\\lim_{k \\to \\infty}``: a ``limit`` token whose text is the variable."""
        while self.peek().kind == "command" and self.peek().text in _SPACING:
            self.next()
        underscore = self.peek()
        if not (underscore.kind == "op" and underscore.text == "_"):
            raise ParseError(r"\lim needs its variable: write \lim_{k \to \infty}", column)
        self.next()
        inner = self.argument(r"\lim_")
        arrow = [i for i, t in enumerate(inner) if t.kind == "op" and t.text == "->"]
        if len(arrow) != 1 or arrow[0] != 1 or inner[0].kind != "name" or len(inner[0].text) != 1:
            raise ParseError(r"write the limit as \lim_{k \to \infty}", column)
        target = [t for t in inner[2:] if not (t.kind == "op" and t.text == "+")]
        infinite = len(target) == 1 and target[0].text in ("oo", "inf")
        if not infinite:
            raise ParseError(r"only limits to infinity are read: write \lim_{k \to \infty}", column)
        return [Token("limit", inner[0].text, column)]

    def environment(self, column):
        opening = self.peek()
        if not (opening.kind == "op" and opening.text == "{"):
            raise ParseError(r"\begin and \end take an environment's name in braces: \begin{cases}", column)
        inner = self.group(self.next())
        return "".join(t.text for t in inner)

    def cases(self, column):
        r"""``\begin{cases} a & c \\ b & \text{otherwise} \end{cases}`` as ``cases(`` rows ``)``."""
        name = self.environment(column)
        if name not in ("cases", "dcases"):
            raise ParseError(f"only the cases environment is read, got \\begin{{{name}}}", column)
        out = [Token("op", "cases(", column)]
        while True:
            token = self.peek()
            if token.kind == "end":
                raise ParseError(r"\begin{cases} without \end{cases}", column)
            if token.kind == "command" and token.text == r"\end":
                self.next()
                if self.environment(token.column) != name:
                    raise ParseError(f"\\begin{{{name}}} ended by another environment", token.column)
                return out + [Token("op", ")cases", token.column)]
            out += self.item()


def translate(tokens):
    """The plain tokens that LaTeX ``tokens`` stand for (see the table above)."""
    translator = _Translator(tokens)
    out = []
    while translator.peek().kind != "end":
        out += translator.item()
    return out + [translator.peek()]
