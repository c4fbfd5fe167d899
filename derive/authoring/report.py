"""A handout for course authors: ``report.md`` and ``report.tex``, with their figures.

:func:`write_report` derives a model, draws its chart, runs the machine-checked
theorems and writes, into one directory:

=================  =================================================================
``report.md``      the handout in Markdown with ``$…$`` math: the model and its
                   derivation, the two results to state cold, the chart, the theorems
``report.tex``     the same as a standalone LaTeX document for pdflatex (packages from
                   ``texlive-latex-base`` only), the chart included as PDF via graphicx
``crossover.png``  the chart for the Markdown
``crossover.pdf``  the chart for LaTeX, its two panels stacked to fit a page
=================  =================================================================

The output is byte for byte the same for the same input — no dates, no run times,
fixed figure metadata — so an author can keep it in git and see real changes as diffs.

The model and its derivation are :func:`derive.engine.handout.handout`'s blocks, written by
:mod:`derive.render.formats`; this module adds its own sections (:func:`sections`) in the same
blocks plus three of its own — :class:`Table`, :class:`Figure`, :class:`Statements` —
and lays the whole out twice (:func:`to_markdown`, :func:`to_latex`).

>>> from derive.engine.derivation import derive
>>> blocks = sections(derive("cuda-graph"), theorems=())
>>> [b.text for b in blocks if type(b).__name__ == "Heading"]
['The two results to state cold', 'Machine-checked theorems']
"""

from pathlib import Path
from typing import NamedTuple

import sympy

from .._version import __version__
from ..engine.derivation import derive
from ..engine.handout import (
    Heading,
    Items,
    Math,
    Paragraph,
    latex_blocks,
    markdown_blocks,
)
from ..engine.presets import preset
from ..prove import run
from ..render.figures import require_matplotlib
from ..render.formats import to_latex as derivation_latex
from ..render.formats import to_markdown as derivation_markdown
from ..text.prose import latex_prose, markdown_prose
from .chart import LAB_SIZES, chart, draw

__all__ = ["FILES", "Code", "Figure", "Statements", "Table", "sections", "to_latex",
           "to_markdown", "write_report"]

#: The files a report directory holds, by role.
FILES = {"markdown": "report.md", "latex": "report.tex", "png": "crossover.png",
         "pdf": "crossover.pdf"}

_NEVER = "never"


class Code(NamedTuple):
    """An inline piece in a fixed-width font: a command or a theorem's name."""

    text: str


class Table(NamedTuple):
    """A table: a header of words and rows whose cells are tuples of pieces."""

    header: tuple
    rows: tuple


class Figure(NamedTuple):
    """The chart, by file stem (``.png`` for Markdown, ``.pdf`` for LaTeX), with a caption."""

    stem: str
    caption: tuple


class Statements(NamedTuple):
    """Named LaTeX statements, each shown as display math under its name."""

    items: tuple


# -- the content ----------------------------------------------------------------------------

def sections(derivation, *, theorems=None, figure=None):
    """The report's own blocks, after the derivation: results, chart, theorems.

    ``theorems`` are results of :func:`derive.prove.run` (run here when ``None``); each
    needs ``name, claim, statement, method, status`` — run times are left out. ``figure``
    is the :class:`derive.authoring.chart.Chart` shown (``None``: no chart section).
    """
    if theorems is None:
        theorems = run()
    blocks = _results(derivation)
    if figure is not None:
        blocks += _chart(figure)
    blocks += _theorems(theorems)
    return tuple(blocks)


def _latex(expr):
    return sympy.latex(expr)


def _cases(cases):
    """Ordered cases as pieces: ``2 if n > 1; never otherwise``."""
    pieces = []
    for i, case in enumerate(cases):
        pieces += ["; "] if i else []
        pieces += [_NEVER] if case.value is None else [Math(_latex(case.value))]
        if case.when is not sympy.true:
            pieces += [" if ", Math(_latex(case.when))]
        elif len(cases) > 1:
            pieces += [" otherwise"]
    return pieces


def _results(d):
    first, second = d.model.labels
    free = set(d.parameters)
    defaults = {s: v for s, v in d.model.defaults.items() if s in free and v.free_symbols <= free}
    wins = f"the first call at which the {second} total is strictly below the {first} total is "
    if defaults:
        default = derive(d.model, **{s.name: v for s, v in defaults.items()})
        shown = [Math(", ".join(f"{_latex(s)} = {_latex(v)}" for s, v in defaults.items()))]
        crossover = ("Crossover. With the default ", *shown, f", {wins}", *_cases(default.crossover),
                     ". In general it is ", *_cases(d.crossover), ".")
    else:
        crossover = (f"Crossover. {wins[0].upper()}{wins[1:]}", *_cases(d.crossover), ".")
    upfront_only = d.upfront.free_symbols - d.saving.free_symbols
    free_of_upfront = upfront_only and not (d.asymptote.free_symbols & upfront_only)
    asymptote = ("Asymptotic speedup. As ", Math(r"k \to \infty"), f" the ratio of the {first} "
                 f"total to the {second} total tends to ", Math(_latex(d.asymptote)),
                 ", whatever the up-front cost: it moves the crossover, never the ceiling."
                 if free_of_upfront else ".")
    return [Heading("The two results to state cold"), Items((crossover, asymptote))]


def _chart(figure):
    first, second = figure.labels
    bound = []
    for i, (name, value) in enumerate(figure.bindings):
        bound += [", "] if i else [" with "]
        bound += [Math(f"{name} = {_latex(value)}")]
    found = []
    for i, s in enumerate(figure.series):
        found += ["; "] if i else []
        found += [Math(f"n = {s.size}"), ": " + (_NEVER if s.crossover is None else f"call {s.crossover}")]
    return [
        Heading("The chart"),
        Paragraph((f"The first panel shows each total divided by the number of calls so far: "
                   f"{first} (dashed) stays at its per-call cost, {second} (solid) falls from its "
                   "first-call cost towards its per-call floor, and a dot marks each crossover. "
                   f"The second panel shows the ratio of the {first} total to the {second} total, "
                   "which crosses 1 at the crossover and rises to its ceiling.",)),
        Figure("crossover", ("Per-call cost and speedup", *bound)),
        Paragraph(("First winning calls", *bound, ": ", *found, ".")),
    ]


def _theorems(theorems):
    blocks = [Heading("Machine-checked theorems")]
    if not theorems:
        return blocks + [Paragraph(("No theorems were run for this report.",))]
    proved = sum(1 for t in theorems if t.status == "proved")
    rows = tuple(((Code(t.name),), (t.claim,), (t.method,), (t.status,)) for t in theorems)
    return blocks + [
        Paragraph((f"{proved} of {len(rows)} theorems proved; ", Code("derive prove"),
                   " reruns them. Run times are left out, so that the handout does not change "
                   "between runs. Each statement, as checked, follows the table.",)),
        Table(("theorem", "claim", "method", "status"), rows),
        Statements(tuple((t.name, t.statement) for t in theorems)),
    ]


# -- Markdown -------------------------------------------------------------------------------

def _write(pieces, math, code, prose):
    """Pieces joined, each written by the function for its kind."""
    return "".join(math(p.tex) if isinstance(p, Math) else code(p.text) if isinstance(p, Code)
                   else prose(p) for p in pieces)


def _md(pieces, *, cell=False):
    """Pieces as Markdown; in a table ``cell``, a ``|`` in math or code is escaped too
    (prose has every Markdown special escaped already)."""
    bar = "\\|" if cell else "|"
    return _write(pieces, lambda tex: f"${tex.replace('|', bar)}$",
                  lambda text: f"`{text.replace('|', bar)}`", markdown_prose)


def _md_block(block):
    if isinstance(block, Table):
        lines = ["| " + " | ".join(block.header) + " |", "|" + "---|" * len(block.header)]
        lines += ["| " + " | ".join(_md(cell, cell=True) for cell in row) + " |"
                  for row in block.rows]
        return "\n".join(lines) + "\n"
    if isinstance(block, Figure):
        alt = "".join(p.tex if isinstance(p, Math) else p for p in block.caption)
        return f"![{alt}]({block.stem}.png)\n"
    if isinstance(block, Statements):
        return "\n".join(f"**`{name}`**\n\n$${statement}$$\n" for name, statement in block.items)
    if isinstance(block, (Paragraph, Items)) and _has_code(block):
        if isinstance(block, Items):
            return "\n".join(f"- {_md(item)}" for item in block.items) + "\n"
        return _md(block.pieces) + "\n"
    return markdown_blocks([block])


def _has_code(block):
    groups = block.items if isinstance(block, Items) else (block.pieces,)
    return any(isinstance(piece, Code) for group in groups for piece in group)


def to_markdown(derivation, blocks):
    """The report in Markdown: the derivation's handout, then ``blocks``."""

    tail = _md_block(Paragraph((f"Made by derive {__version__}: ", Code("derive report"), ".")))
    return "\n".join([derivation_markdown(derivation).rstrip("\n") + "\n",
                      *(_md_block(block) for block in blocks), tail]).rstrip("\n") + "\n"


# -- LaTeX ----------------------------------------------------------------------------------

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\usepackage{array}
\usepackage{longtable}
\usepackage[hidelinks]{hyperref}
\setlength{\parskip}{0.5em}
\setlength{\parindent}{0pt}
\renewcommand{\labelitemi}{$\bullet$}
"""

_TABLE_WIDTHS = (0.2, 0.42, 0.22, 0.08)          # theorem, claim, method, status
# (The bullet is cmsy's math bullet: the text bullet would come from the TS1 companion
# font, which texlive-latex-base has only as METAFONT sources, built into a bitmap.)


def _tex_code(text):
    """Code in ``\\texttt``: escaped, and breakable after its hyphens."""
    return latex_prose(text).replace("-", "-\\allowbreak{}")


def _tex(pieces):
    """Pieces as LaTeX: prose escaped, math kept, code in ``\\texttt``."""
    return _write(pieces, lambda tex: f"${tex}$", lambda text: f"\\texttt{{{_tex_code(text)}}}",
                  latex_prose)


def _fitted(statement):
    """Display math scaled down to the line's width when wider (graphicx, nothing else)."""
    return ("\\begin{center}\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}"
            f"{{$\\displaystyle {statement}$}}\\end{{center}}")


def _tex_block(block):
    if isinstance(block, Table):
        spec = "".join(f">{{\\raggedright\\arraybackslash}}p{{{w}\\linewidth}}" for w in _TABLE_WIDTHS)
        head = " & ".join(f"\\textbf{{{latex_prose(h)}}}" for h in block.header) + " \\\\"
        lines = [f"\\begin{{longtable}}{{{spec}}}", "\\hline", head, "\\hline", "\\endhead"]
        lines += [" & ".join(_tex(cell) for cell in row) + " \\\\" for row in block.rows]
        return "\n".join(lines + ["\\hline", "\\end{longtable}"]) + "\n"
    if isinstance(block, Figure):
        return ("\\begin{figure}[htbp]\n\\centering\n"
                "\\includegraphics[width=0.8\\linewidth,height=0.6\\textheight,keepaspectratio]"
                f"{{{block.stem}.pdf}}\n\\caption{{{_tex(block.caption)}}}\n\\end{{figure}}\n")
    if isinstance(block, Statements):
        return "\n".join(f"\\noindent\\begin{{minipage}}{{\\linewidth}}\n\\texttt{{{_tex_code(name)}}}\n"
                         f"{_fitted(statement)}\n\\end{{minipage}}\n" for name, statement in block.items)
    if isinstance(block, (Paragraph, Items)) and _has_code(block):
        if isinstance(block, Items):
            items = "\n".join(f"  \\item {_tex(item)}" for item in block.items)
            return f"\\begin{{itemize}}\n{items}\n\\end{{itemize}}\n"
        return _tex(block.pieces) + "\n"
    return latex_blocks([block])


def to_latex(derivation, blocks):
    """The report as a standalone LaTeX document: the derivation's handout, then ``blocks``."""

    title = derivation.model.title or derivation.model.name
    tail = _tex_block(Paragraph((f"Made by derive {__version__}: ", Code("derive report"), ".")))
    body = "\n".join([derivation_latex(derivation, document=False).rstrip("\n") + "\n",
                      *(_tex_block(block) for block in blocks), tail])
    return (_PREAMBLE + f"\\hypersetup{{pdftitle={{{latex_prose(title)}}}}}\n"
            + "\\begin{document}\n\n" + body.rstrip("\n") + "\n\n\\end{document}\n")


# -- writing --------------------------------------------------------------------------------

def write_report(out_dir, model="cuda-graph", *, bindings=None, theorems=None):
    """Write ``report.md``, ``report.tex`` and the chart (PNG and PDF) into ``out_dir``.

    Returns ``{role: path}`` for :data:`FILES`. The directory is created if missing;
    the four files are overwritten. The same input gives the same bytes.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out_dir must be a directory, got the file {str(out)!r}")
    require_matplotlib()                           # before the directory: none left empty
    derivation = derive(model, **(bindings or {}))
    figure = _figure(model, bindings)
    blocks = sections(derivation, theorems=theorems, figure=figure)
    out.mkdir(parents=True, exist_ok=True)
    paths = {role: out / name for role, name in FILES.items()}
    draw(figure, paths["png"])
    draw(figure, paths["pdf"], stacked=True)
    paths["markdown"].write_text(to_markdown(derivation, blocks), encoding="utf-8")
    paths["latex"].write_text(to_latex(derivation, blocks), encoding="utf-8")
    return paths


def _figure(model, bindings):
    """The chart: the lab's sizes with ``c = 3n``, unless the user bound ``n`` or ``c``."""
    bindings = dict(bindings or {})
    base = preset(model) if isinstance(model, str) else model
    sizes = LAB_SIZES
    if "n" in bindings:
        sizes = (int(base.bind(n=bindings.pop("n")).bindings["n"]),)
    return chart(base, sizes, bindings=bindings)
