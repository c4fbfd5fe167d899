r"""What a student typed, as the checker reads it: the value asked for, from an equation too.

Students write the value (``(c-1)/(n-1)``), but as often an equation whose left side
names the quantity asked for: ``k = ⌊(c−1)/(n−1)⌋ + 1``, ``k_\times = …``, ``k^* = …``,
``E(k) = kn``, ``\lim_{k\to\infty} E/G = n``, ``lim = n``. :func:`answer_text` keeps the
right side of such an equation, refuses one whose left side names another quantity (with
the reason), and leaves anything else to the reader (which refuses a relation).
:func:`split_equation` runs before sympy loads; :func:`check_left` once the model is known.

The left side is only compared with the names below, as text: it is never evaluated.

==================  ==========================================================
quantity            left sides read as naming it
==================  ==========================================================
crossover           ``k`` with any decoration (``k^*``, ``k_\times``, ``k_0``),
break_even          ``crossover``, ``break_even``, ``breakeven``
eager_total         ``E``, ``E(k)``, ``E_k``, the model's label (``eager``,
graph_total         ``eager_total``, ``T_eager``), and likewise ``G`` / ``graph``
asymptote           ``lim …`` (anything), ``S``, ``S_\infty``, ``speedup``,
                    ``asymptote``
per_call_ratio      ``E/G``, ``E(k)/G(k)``, ``\frac{E}{G}``, ``r``, ``r(k)``,
                    ``R(k)``, ``S(k)``, ``ratio``
==================  ==========================================================

>>> left, right = split_equation(r"$k_\times = \left\lfloor \frac{c-1}{n-1} \right\rfloor + 1$")
>>> left, right.strip()
(' k_\\times ', '\\left\\lfloor \\frac{c-1}{n-1} \\right\\rfloor + 1')
>>> check_left(left, "crossover")
"""

import re

from ..errors import ParseError
from ..text.parse import strip_delimiters

__all__ = ["check_left", "names_of", "split_equation"]

_NOISE = re.compile(r"\\(?:left|right|mathrm|text|operatorname|mathit|textrm|displaystyle|limits|[,;:! ])|[\s{}$]")
_K = r"k(?:[_^].*|\*|')?|crossover|break_?even|breakeven|k\\?ast|kstar|firstcall"
_PATTERNS = {
    "crossover": _K,
    "break_even": _K,
    "asymptote": (r"\\?lim.*|s(?:_?\\infty|_?oo|_?inf|_?max|\((?:\\infty|oo|inf)\))?|speedup(?:_?\\infty)?|"
                  r"asymptote|asymptotic_?speedup"),
    "per_call_ratio": (r"{e}(?:\(k\))?/{g}(?:\(k\))?|\\[dt]?frac{e}(?:\(k\))?{g}(?:\(k\))?|r|r\(k\)|r_?k|"
                       r"s\(k\)|s_?k|ratio|speedup\(k\)|per_call_ratio"),
    "baseline": r"(?:t_?|n_?)?{e}(?:_?total|_?launches)?(?:\(k\)|_?k)?|baseline|eager_total",
    "amortized": r"(?:t_?|n_?)?{g}(?:_?total|_?launches)?(?:\(k\)|_?k)?|amortized|graph_total",
}
_WORDS = {"crossover": "crossover", "break_even": "break-even root", "asymptote": "asymptotic speedup",
          "per_call_ratio": "ratio {0}/{1}", "baseline": "{0} total", "amortized": "{1} total"}
_EXAMPLE = {"crossover": "k = ...", "break_even": "k^* = ...", "asymptote": "lim = ...",
            "per_call_ratio": "E(k)/G(k) = ...", "baseline": "E(k) = ...", "amortized": "G(k) = ..."}


def names_of(left, labels=("eager", "graph")):
    r"""The quantities (general names) whose name ``left`` is, in the table's order.

    >>> names_of(r"k^*"), names_of("G(k)"), names_of(r"\lim_{k\to\infty} E/G"), names_of("n")
    (['crossover', 'break_even'], ['amortized'], ['asymptote'], [])
    """
    text = _NOISE.sub("", left).lower()
    first, second = (re.escape(label.lower()) for label in labels)
    e = f"(?:e|{first})"
    g = f"(?:g|{second})"
    return [quantity for quantity, pattern in _PATTERNS.items()
            if re.fullmatch(pattern.replace("{e}", e).replace("{g}", g), text)]


def _equals(text):
    """The columns of the ``=`` signs outside brackets and case splits (not ``<=`` etc.)."""
    found, depth = [], 0
    cases = text.count(r"\begin")
    for index, char in enumerate(text):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif char == "=" and depth == 0 and not cases:
            before, after = text[index - 1:index], text[index + 1:index + 2]
            if before not in "<>!=" and after != "=":
                found.append(index)
    return found


_NAME_LIKE = re.compile(r"[A-Za-z_\\^*'{}()/\s$]+|\s*(?:\\displaystyle\s*)?\\lim.*", re.DOTALL)


def split_equation(text):
    """``(left, right)`` when ``text`` is an equation whose left side looks like a name
    (``k^*``, ``E(k)``, ``\\lim …``), else ``(None, text)``; light: no sympy, no model.

    >>> split_equation("k = (c-1)/(n-1)")
    ('k ', ' (c-1)/(n-1)')
    >>> split_equation("kn - 1 = 0")
    (None, 'kn - 1 = 0')
    """
    text = strip_delimiters(text)
    signs = _equals(text)
    if not signs or not _NAME_LIKE.fullmatch(text[:signs[0]]):
        return None, text
    return text[:signs[0]], " " * (signs[-1] + 1) + text[signs[-1] + 1:]


def check_left(left, general, labels=("eager", "graph")):
    """Refuse (``ParseError``) a left side that does not name ``general``, saying what it names.

    >>> check_left("E(k)", "amortized")
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: the left side 'E(k)' names the eager total, but the question asks for the graph total: write the graph total, or G(k) = ...
    """
    if left is None:
        return
    named = names_of(left, labels)
    if general in named:
        return
    asked = _WORDS[general].format(*labels)
    shown = left.strip()
    if not named:
        raise ParseError(f"the left side {shown!r} does not name the {asked}: write the {asked}, "
                         f"or {_EXAMPLE[general]}")
    other = _WORDS[named[0]].format(*labels)
    raise ParseError(f"the left side {shown!r} names the {other}, but the question asks for the "
                     f"{asked}: write the {asked}, or {_EXAMPLE[general]}")
