"""Plain text escaped for the two markup languages that handouts are written in.

``latex_prose`` escapes LaTeX's specials and sets the math signs of our prose (``≥``,
``⌊``, ``·``) as math; ``markdown_prose`` escapes every character Markdown could read as
markup. Neither reads anything: they only write.
"""

__all__ = ["latex_prose", "markdown_prose"]

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_SPECIALS.update({                           # the math signs our prose uses
    "−": "-", "–": "--", "—": "---", "…": r"\ldots{}", "·": r"$\cdot$", "×": r"$\times$",
    "≥": r"$\geq$", "≤": r"$\leq$", "≠": r"$\neq$", "→": r"$\to$", "∞": r"$\infty$",
    "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "⌈": r"$\lceil$", "⌉": r"$\rceil$",
    "<": "$<$", ">": "$>$", "|": r"$|$",          # OT1 text fonts have no < > |
})
_MARKDOWN_SPECIALS = "\\`*_[]<>$#|"


def latex_prose(text):
    r"""Plain text for LaTeX: its specials escaped, the math signs of our prose as math.

    >>> print(latex_prose("c ≥ n & 5% of k_1"))
    c $\geq$ n \& 5\% of k\_1
    """
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


def markdown_prose(text):
    r"""Plain text for Markdown: every character Markdown could read as markup escaped.

    >>> print(markdown_prose("2*n calls, [k] $5"))
    2\*n calls, \[k\] \$5
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)
