"""A derivation told as a handout: what to say, in order, with every formula from the engine.

:func:`handout` turns a :class:`~derive.engine.derivation.Derivation` into a short sequence of
blocks — headings, paragraphs, lists and displayed formulas — and :func:`latex_blocks`
and :func:`markdown_blocks` write them out (for a derivation's display in Jupyter, and for
:func:`derive.render.to_latex` and :func:`derive.render.to_markdown`). The
sections: the parameters, both totals, the inequality solved step by step with its case
split on the sign of the saving, the integer rule and the engine's cases, the limit,
and the approach. Formulas are written by ``sympy.latex`` from the derived expressions
and kept within what matplotlib's mathtext reads (``\\geq``, not ``\\ge``; no
environments inside math), so each one can be checked on its own.

=================  ================================================================
``Heading``        ``(text, level)``: 1 for the title, 2 for a section
``Paragraph``      ``(pieces,)``: prose ``str`` and :class:`Math` pieces in a row
``Items``          ``(items,)``: a list, each item a tuple of pieces
``Display``        ``(tex,)``: a formula on a line of its own
``Math``           ``(tex,)``: an inline formula
``latex_blocks``   blocks as LaTeX; ``markdown_blocks`` as Markdown
=================  ================================================================

>>> from derive.engine.derivation import derive
>>> blocks = handout(derive("cuda-graph", n=30, c=90))
>>> [b.text for b in blocks if isinstance(b, Heading)][1:]
['The two totals', 'When is graph strictly cheaper?', 'The integer rule', 'The ceiling', 'The approach']
"""

from typing import NamedTuple

import sympy

from ..text.prose import latex_prose, markdown_prose
from .conditions import sign_condition
from .symbols import k

__all__ = ["Display", "Heading", "Items", "Math", "Paragraph", "domain_latex", "handout",
           "latex_blocks", "markdown_blocks"]


class Math(NamedTuple):
    tex: str


class Heading(NamedTuple):
    text: str
    level: int = 2


class Paragraph(NamedTuple):
    pieces: tuple


class Items(NamedTuple):
    items: tuple


class Display(NamedTuple):
    tex: str


_SETS = {"integer": r"\mathbb{Z}", "rational": r"\mathbb{Q}", "real": r"\mathbb{R}"}
_DIRECTIONS = {
    "below": "from below, rising",
    "constant": "constantly, already at the ceiling",
    "above": "from above, falling",
}


def domain_latex(domain):
    r"""The domain as a set: ``\mathbb{Z}_{\geq 1}``, ``\mathbb{Q}_{> 0}``.

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL
    >>> domain_latex(COUNT), domain_latex(POSITIVE_RATIONAL)
    ('\\mathbb{Z}_{\\geq 1}', '\\mathbb{Q}_{> 0}')
    """
    relation = "> " if domain.strict else "\\geq "
    return f"{_SETS[domain.kind]}_{{{relation}{sympy.latex(domain.lower_bound)}}}"


def _tex(expr):
    return sympy.latex(sympy.sympify(expr, strict=True))


def _condition(condition):
    """A condition as pieces: ``c < 1``, or ``n > 1`` and ``c < 1`` joined in words."""
    if isinstance(condition, sympy.And):
        pieces = []
        for i, arg in enumerate(condition.args):
            pieces += ([" and "] if i else []) + list(_condition(arg))
        return tuple(pieces)
    if isinstance(condition, sympy.Or):
        pieces = []
        for i, arg in enumerate(condition.args):
            pieces += ([" or "] if i else []) + list(_condition(arg))
        return tuple(pieces)
    return (Math(_tex(condition)),)


def _when(condition):
    """``if <condition>``, ``always`` or ``otherwise`` as pieces, for a case that applies."""
    return ("otherwise",) if condition is sympy.true else ("if ", *_condition(condition))


def _letters(model):
    """One-letter names of the two totals, from their labels: ``E`` and ``G`` for the lab."""
    first, second = (label[:1].upper() for label in model.labels)
    if not (first.isalpha() and second.isalpha()) or first == second:
        return "B", "A"
    return first, second


def _product(factor, symbol):
    """``factor·symbol`` as LaTeX, the factor in parentheses when it is a sum."""
    if factor == 1:
        return _tex(symbol)
    if factor == -1:
        return f"-{_tex(symbol)}"
    inner = _tex(factor)
    return (rf"\left({inner}\right)" if isinstance(factor, sympy.Add) else inner) + f" {_tex(symbol)}"


def _piecewise(expr):
    """``[(value, condition)]`` of an expression that may be a Piecewise."""
    if isinstance(expr, sympy.Piecewise):
        return [(value, cond) for value, cond in expr.args]
    return [(expr, sympy.true)]


def handout(derivation):
    """The blocks of a handout for ``derivation``, in reading order."""
    return (
        *_parameters(derivation),
        *_totals(derivation),
        *_inequality(derivation),
        *_integer_rule(derivation),
        *_ceiling(derivation),
        *_approach(derivation),
    )


def _parameters(d):
    model = d.model
    title = model.title or f"Model {model.name}"
    items = [
        (Math(_tex(p.symbol)), f": {p.meaning}, " if p.meaning else ", ",
         Math(rf"{_tex(p.symbol)} \in {domain_latex(p.domain)}"))
        for p in model.parameters
    ]
    items.append((Math("k"), ": calls so far, ", Math(rf"k \in {domain_latex(model.domains[k])}")))
    blocks = [Heading(title, 1), Paragraph((f"Model {model.name}, with these quantities:",)),
              Items(tuple(items))]
    if model.bindings:
        bound = []
        for i, (name, value) in enumerate(model.bindings.items()):
            bound += ([", "] if i else []) + [Math(f"{_tex(sympy.Symbol(name))} = {_tex(value)}")]
        blocks.append(Paragraph(("Bound here: ", *bound, ".")))
    return blocks


def _totals(d):
    first, second = d.model.labels
    b, a = _letters(d.model)
    return [
        Heading("The two totals"),
        Paragraph(("After ", Math("k"), f" calls, {first} costs",)),
        Display(f"{b}(k) = {_tex(d.baseline)}"),
        Paragraph((f"and {second} costs",)),
        Display(f"{a}(k) = {_tex(d.amortized)}"),
    ]


def _inequality(d):
    first, second = d.model.labels
    b, a = _letters(d.model)
    s, u = d.saving, d.upfront
    domains = d.model.domains
    rearranged = f"{_product(s, k)} > {_tex(u)}" if s != 0 else f"0 > {_tex(u)}"
    blocks = [
        Heading(f"When is {second} strictly cheaper?"),
        Paragraph(("A call ", Math("k"), f" wins for {second} when its total is strictly "
                   f"below that of {first}. Collect the terms in ", Math("k"), ":")),
        Display(rf"{a}(k) < {b}(k) \Leftrightarrow {_tex(sympy.StrictLessThan(d.amortized, d.baseline))}"),
        Display(rf"\Leftrightarrow {rearranged}"),
        Paragraph((f"Per call, {second} costs ", Math(f"s = {_tex(s)}"), f" less than {first}; "
                   "up front it costs ", Math(f"u = {_tex(u)}"), " more. The sign of ",
                   Math("s"), " splits the cases:")),
    ]
    items, impossible = [], []
    root = Math(rf"k^* = {_tex(d.break_even)}") if d.break_even is not None else Math(r"k^* = u/s")
    cases = [
        (">", (Math("s > 0"), ": dividing by ", Math("s"), " keeps the direction, ",
               Math("k > u/s"), ", that is ", Math("k > k^*"), " with the break-even root ", root,
               "; once ahead, always ahead.")),
        ("==", (Math("s = 0"), ": the inequality reads ", Math(f"0 > {_tex(u)}"),
                ", true at every call if ", *_condition(sign_condition(u, "<", domains)),
                ", at none otherwise.")),
        ("<", (Math("s < 0"), ": dividing by ", Math("s"), " turns it round, ", Math("k < u/s"),
               ": ahead at the first call if ", Math("s > u"), ", and lost for good once behind.")),
    ]
    for op, text in cases:
        holds = sign_condition(s, op, domains)
        if holds is sympy.false:
            impossible.append(text[0])
        elif holds is sympy.true:
            items.append(("Here ", text[0], " always", *text[1:]))
        else:
            items.append(("If ", *_condition(holds), ", then ", *text))
    blocks.append(Items(tuple(items)))
    if impossible:
        listed = []
        for i, piece in enumerate(impossible):
            listed += ([" and "] if i else []) + [piece]
        word = "case" if len(impossible) == 1 else "cases"
        blocks.append(Paragraph((f"The {word} ", *listed, " cannot occur for these parameters.")))
    return blocks


def _integer_rule(d):
    second = d.model.labels[1]
    blocks = [Heading("The integer rule")]
    if d.break_even is not None:
        blocks += [
            Paragraph(("Calls are whole numbers and a tie is not a win, so the first winning call "
                       "above the root is the least integer strictly greater than ", Math("k^*"), ":")),
            Display(_floor_rule(d.break_even)),
            Paragraph(("Not ", Math(r"\lceil k^* \rceil"), ": when ", Math("k^*"), " is a whole "
                       "number the totals tie there, and the ceiling is one call early. Calls "
                       "start at 1, so a root below 1 means the first call.")),
        ]
    cases = d.crossover
    if len(cases) == 1 and cases[0].when is sympy.true:
        value = cases[0].value
        answer = (f"{second} never wins.",) if value is None else (
            f"the first call at which {second} is strictly cheaper is ", Math(rf"k_\times = {_tex(value)}"), ".")
        blocks.append(Paragraph(("Here ", *answer)))
        return blocks
    items = tuple(
        (("never, ",) if case.value is None else (Math(rf"k_\times = {_tex(case.value)}"), ", "))
        + _when(case.when)
        for case in cases
    )
    blocks += [
        Paragraph((f"The first call at which {second} is strictly cheaper, ", Math(r"k_\times"),
                   ", the first case that applies:")),
        Items(items),
    ]
    return blocks


def _floor_rule(root):
    rule = r"\lfloor k^* \rfloor + 1"
    if root.free_symbols:
        return f"{rule} = {_tex(sympy.floor(root) + 1)}"
    return rf"{rule} = \left\lfloor {_tex(root)} \right\rfloor + 1 = {_tex(sympy.floor(root) + 1)}"


def _ceiling(d):
    b, a = _letters(d.model)
    limit = rf"\lim_{{k \to \infty}} \frac{{{b}(k)}}{{{a}(k)}}"
    values = _piecewise(d.asymptote)
    blocks = [Heading("The ceiling")]
    if len(values) == 1:
        blocks += [Paragraph(("As the calls go on, the ratio of the totals tends to the ratio of "
                              "the per-call costs:",)),
                   Display(f"{limit} = {_tex(values[0][0])}")]
    else:
        blocks += [Paragraph(("As the calls go on, the ratio of the totals tends to", )),
                   Items(tuple((Math(f"{limit} = {_tex(value)}"), ", ", *_when(cond))
                               for value, cond in values))]
    free = d.asymptote.free_symbols
    moved = [p for p in d.parameters if p not in free and any(
        case.value is not None and p in sympy.sympify(case.value, strict=True).free_symbols for case in d.crossover)]
    if moved:
        listed = []
        for i, p in enumerate(moved):
            listed += ([", "] if i else []) + [Math(_tex(p))]
        moves = "that moves" if len(moved) == 1 else "they move"
        blocks.append(Paragraph(("It does not depend on ", *listed, f": {moves} the crossover, "
                                 "never the ceiling.")))
    return blocks


def _approach(d):
    b, a = _letters(d.model)
    ratio = rf"\frac{{{b}(k)}}{{{a}(k)}}"
    slope = sympy.factor(sympy.together(sympy.diff(d.per_call_ratio, k)))
    blocks = [
        Heading("The approach"),
        Paragraph(("The ratio ", Math(f"{ratio} = {_tex(d.per_call_ratio)}"), " changes with ",
                   Math("k"), " at the rate")),
        Display(rf"\frac{{d}}{{dk}} {ratio} = {_tex(slope)}"),
    ]
    cases = d.approach
    if len(cases) == 1 and cases[0].when is sympy.true:
        blocks.append(Paragraph((f"so it tends to the ceiling {_DIRECTIONS[cases[0].value]}.",)))
        return blocks
    blocks += [
        Paragraph(("so it tends to the ceiling",)),
        Items(tuple((f"{_DIRECTIONS[case.value]}, ", *_when(case.when)) for case in cases)),
    ]
    return blocks


# -- LaTeX and Markdown: the handout's blocks written out -------------------------------

def _pieces(pieces, prose):
    return "".join(f"${piece.tex}$" if isinstance(piece, Math) else prose(piece) for piece in pieces)


def latex_blocks(blocks):
    r""":mod:`derive.engine.handout` blocks as LaTeX, a blank line after each; prose escaped,
    math as given. Headings are unnumbered: ``\section*`` (level 1), ``\subsection*``.

    >>> print(latex_blocks([Heading("The totals"), Paragraph(("eager: ", Math("n"), " a call")),
    ...                     Display("E(k) = k n")]))
    \subsection*{The totals}
    <BLANKLINE>
    eager: $n$ a call
    <BLANKLINE>
    \[ E(k) = k n \]
    <BLANKLINE>
    """
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            command = "section" if block.level == 1 else "subsection"
            lines += [f"\\{command}*{{{latex_prose(block.text)}}}", ""]
        elif isinstance(block, Display):
            lines += [f"\\[ {block.tex} \\]", ""]
        elif isinstance(block, Items):
            lines += ["\\begin{itemize}"]
            lines += [f"  \\item {_pieces(item, latex_prose)}" for item in block.items]
            lines += ["\\end{itemize}", ""]
        else:
            lines += [_pieces(block.pieces, latex_prose), ""]
    return "\n".join(lines)


def markdown_blocks(blocks):
    """:mod:`derive.engine.handout` blocks as Markdown, a blank line after each; prose escaped,
    math as ``$…$`` and ``$$…$$``, a heading's level as its number of ``#``.

    >>> print(markdown_blocks([Heading("The totals"), Paragraph(("eager: ", Math("n"), " a call")),
    ...                        Display("E(k) = k n")]))
    ## The totals
    <BLANKLINE>
    eager: $n$ a call
    <BLANKLINE>
    $$E(k) = k n$$
    <BLANKLINE>
    """
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + markdown_prose(block.text), ""]
        elif isinstance(block, Display):
            lines += [f"$${block.tex}$$", ""]
        elif isinstance(block, Items):
            lines += [f"- {_pieces(item, markdown_prose)}" for item in block.items] + [""]
        else:
            lines += [_pieces(block.pieces, markdown_prose), ""]
    return "\n".join(lines)
