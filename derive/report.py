"""A handout for course authors: ``report.md`` and ``report.tex``, with their figures.

:func:`write_report` derives a model, draws its chart, runs the machine-checked
theorems and writes, into one directory:

=================  =================================================================
``report.md``      the handout in Markdown with ``$…$`` math: the model, the derivation,
                   the two results to state cold, the chart, the theorems
``report.tex``     the same as a standalone LaTeX document (pdflatex, packages from
                   ``texlive-latex-base`` only); the chart included as PDF via graphicx
``crossover.png``  the chart for the Markdown
``crossover.pdf``  the chart for LaTeX
=================  =================================================================

The output is byte for byte the same for the same input — no dates, no timings, fixed
figure metadata — so an author can keep it in git and see real changes as diffs.

Both documents are written from one list of blocks (:func:`handout`): headings,
paragraphs whose ``$…$`` spans are math, display equations, tables, lists and figures.
:func:`to_markdown` and :func:`to_latex` only lay them out and escape the text.

>>> blocks = handout(theorems=())
>>> print(to_markdown(blocks).splitlines()[0])
# Launch overhead & the eager-graph crossover: a handout
"""

from dataclasses import dataclass
from pathlib import Path

__all__ = ["FILES", "Block", "handout", "tex_escape", "to_latex", "to_markdown", "write_report"]

#: The files a report directory holds, by role.
FILES = {"markdown": "report.md", "latex": "report.tex", "png": "crossover.png",
         "pdf": "crossover.pdf"}

_NEVER = "never"


@dataclass(frozen=True)
class Block:
    """One block of the handout. ``kind`` is one of ``heading paragraph math list table
    figure statements``; ``content`` is text (``$…$`` marks inline math), LaTeX for
    ``math``, a tuple of items for ``list``, ``(header, rows)`` for ``table``,
    ``(stem, caption)`` for ``figure`` and ``((name, LaTeX), …)`` for ``statements``.
    """

    kind: str
    content: object


def _h(text):
    return Block("heading", text)


def _p(text):
    return Block("paragraph", text)


def _math(latex):
    return Block("math", latex)


# -- the content --------------------------------------------------------------------------

def handout(model="cuda-graph", *, bindings=None, theorems=None, figure=None):
    """The handout as a tuple of :class:`Block` s.

    ``theorems`` are the results of :func:`derive.prove.run` (run here when ``None``);
    each needs ``name, claim, statement, method, status``. ``figure`` is the
    :class:`derive.plot.Chart` the handout shows (``None``: no figure section).
    """
    from .derivation import derive

    d = derive(model, **(bindings or {}))
    if theorems is None:
        from .prove import run

        theorems = run()
    names = _letters(d.model.labels)
    blocks = [_h(f"{d.model.title or d.model.name}: a handout")]
    blocks += _introduction(d)
    blocks += _model_section(d, names)
    blocks += _derivation_section(d, names)
    blocks += _results_section(d, names)
    if figure is not None:
        blocks += _figure_section(figure, names)
    blocks += _theorems_section(theorems)
    return tuple(blocks)


def _letters(labels):
    """Function letters for the two totals: ``E``/``G`` for eager/graph; else ``B``/``A``."""
    first, second = (label[:1].upper() for label in labels)
    if first == second or not (first.isalpha() and second.isalpha()):
        return "B", "A"
    return first, second


def _latex(expr):
    import sympy

    return sympy.latex(expr)


def _bound_text(model):
    return ", ".join(f"${name} = {_latex(value)}$" for name, value in model.bindings.items())


def _introduction(d):
    from . import __version__

    bound = _bound_text(d.model)
    return [_p(
        f"Derived by derive {__version__} from the model `{d.model.name}`"
        + (f" with {bound}" if bound else "")
        + ". Every formula below comes out of the derivation engine, every number out of "
        "its exact functions, and every theorem in the last section is checked by machine."
    )]


def _model_section(d, names):
    b, a = names
    first, second = d.model.labels
    rows = [(f"${p.name}$", p.meaning, str(p.domain)) for p in d.model.parameters]
    rows.append(("$k$", "calls so far", "integer >= 1"))
    return [
        _h("1. The model"),
        _p(f"Two ways to run the same work $k$ times: {first}, which pays the full cost "
           f"on every call, and {second}, which pays once up front and less on every "
           "call after. Their totals after $k$ calls:"),
        _math(f"{b}(k) = {_latex(d.baseline)}, \\qquad {a}(k) = {_latex(d.amortized)}"),
        Block("table", (("symbol", "meaning", "domain"), tuple(rows))),
    ]


def _cases_latex(cases, value):
    import sympy

    lines = []
    for case in cases:
        when = "\\text{otherwise}" if case.when is sympy.true else f"\\text{{if }} {_latex(case.when)}"
        lines.append(f"{value(case.value)} & {when}")
    return "\\begin{cases} " + " \\\\ ".join(lines) + " \\end{cases}"


def _times_k(coefficient):
    """``s·k`` in LaTeX, with the coefficient in parentheses when it is a sum."""
    text = _latex(coefficient)
    return f"\\left({text}\\right) k" if coefficient.is_Add else f"{text} k"


def _first_call_latex(value):
    return f"\\text{{{_NEVER}}}" if value is None else _latex(value)


def _direction_latex(value):
    return f"\\text{{from {value}}}" if value != "constant" else "\\text{constant}"


def _derivation_section(d, names):
    b, a = names
    first, second = d.model.labels
    blocks = [
        _h("2. The derivation"),
        _p(f"The {second} total is strictly below the {first} total at call $k$ when "
           f"${a}(k) < {b}(k)$. "
           "Both totals are affine in $k$, so the difference is too: with the saving per "
           f"call $s = {_latex(d.saving)}$ and the extra paid up front $u = {_latex(d.upfront)}$,"),
        _math(f"{a}(k) < {b}(k) \\iff {_times_k(d.saving)} > {_latex(d.upfront)}."),
    ]
    if d.break_even is not None:
        blocks.append(_p(
            f"The totals are equal at the break-even root $k^* = {_latex(d.break_even)}$. "
            "It is a real number, not the answer: the answer is the least whole call "
            "strictly above it, $\\lfloor k^* \\rfloor + 1$ where the saving is positive. "
            "The ceiling $\\lceil k^* \\rceil$ is the classic off-by-one: when $k^*$ is a "
            "whole number the totals tie there, and a tie is not a win."))
    else:
        blocks.append(_p("The totals grow at the same rate, so there is no break-even root."))
    blocks += [
        _p(f"The first call at which the {second} total is strictly below, case by case "
           "(the first case that holds applies):"),
        _math(f"k_{{\\text{{first}}}} = {_cases_latex(d.crossover, _first_call_latex)}"),
        _p(f"The running ratio of the totals and its limit as $k \\to \\infty$:"),
        _math(f"\\frac{{{b}(k)}}{{{a}(k)}} = {_latex(d.per_call_ratio)}, \\qquad "
              f"\\lim_{{k \\to \\infty}} \\frac{{{b}(k)}}{{{a}(k)}} = {_latex(d.asymptote)}"),
        _p("The ratio approaches its limit"),
        _math(_cases_latex(d.approach, _direction_latex)),
    ]
    return blocks


def _results_section(d, names):
    from .derivation import derive

    b, a = names
    first, second = d.model.labels
    items = []
    free = set(d.parameters)
    defaults = {s.name: v for s, v in d.model.defaults.items()
                if s in free and v.free_symbols <= free}
    if defaults:
        default = derive(d.model, **defaults)
        shown = ", ".join(f"${name} = {_latex(value)}$" for name, value in defaults.items())
        items.append(
            f"Crossover. With the default {shown}, the first call at which the {second} "
            f"total is strictly below the {first} total is {_cases_words(default.crossover)}. "
            f"In general it is {_cases_words(d.crossover)}.")
    else:
        items.append(f"Crossover. The first call at which the {second} total is strictly "
                     f"below the {first} total is "
                     f"{_cases_words(d.crossover)}.")
    upfront_only = d.upfront.free_symbols - d.saving.free_symbols
    free_of_upfront = upfront_only and not (d.asymptote.free_symbols & upfront_only)
    items.append(
        f"Asymptotic speedup. As $k \\to \\infty$ the ratio ${b}(k)/{a}(k)$ tends to "
        f"${_latex(d.asymptote)}$"
        + (", whatever the up-front cost: it moves the crossover, never the ceiling."
           if free_of_upfront else "."))
    return [_h("3. The two results to state cold"), Block("list", tuple(items))]


def _cases_words(cases):
    import sympy

    parts = []
    for case in cases:
        value = _NEVER if case.value is None else f"${_latex(case.value)}$"
        if case.when is sympy.true:
            parts.append(value if len(cases) == 1 else f"{value} otherwise")
        else:
            parts.append(f"{value} if ${_latex(case.when)}$")
    return "; ".join(parts)


def _figure_section(figure, names):
    b, a = names
    first, second = figure.labels
    bound = ", ".join(f"${name} = {_latex(value)}$" for name, value in figure.bindings)
    bound = f" with {bound}" if bound else ""
    found = []
    for s in figure.series:
        when = f"call {s.crossover}" if s.crossover is not None else _NEVER
        found.append(f"$n = {s.size}$: {when}")
    return [
        _h("4. The chart"),
        _p(f"The first panel shows each total divided by the number of calls so far: {first} "
           f"(dashed) stays at its per-call cost, {second} (solid) falls from its capture "
           "cost towards its per-call floor, and a dot marks each crossover. The second "
           f"panel shows the speedup ${b}(k)/{a}(k)$, which crosses 1 at the crossover and "
           "rises to its ceiling."),
        Block("figure", ("crossover", "Per-call cost and speedup" + bound)),
        _p(f"First winning calls{bound}: " + "; ".join(found) + "."),
    ]


def _theorems_section(theorems):
    proved = sum(1 for t in theorems if t.status == "proved")
    blocks = [_h("5. Machine-checked theorems")]
    if not theorems:
        return blocks + [_p("No theorems were run for this report.")]
    rows = tuple((f"`{t.name}`", t.claim, t.method, t.status) for t in theorems)
    return blocks + [
        _p(f"{proved} of {len(rows)} theorems proved (`derive prove` reruns them; the "
           "run times are left out so that the handout does not change between runs). "
           "The statements, as checked, follow the table."),
        Block("table", (("theorem", "claim", "method", "status"), rows)),
        Block("statements", tuple((t.name, t.statement) for t in theorems)),
    ]


# -- Markdown -----------------------------------------------------------------------------

def to_markdown(blocks):
    """The blocks as Markdown: ``$…$`` inline math, ``$$…$$`` display math, pipe tables."""
    out = []
    for block in blocks:
        kind, content = block.kind, block.content
        if kind == "heading":
            out.append(("# " if not out else "## ") + content)
        elif kind == "paragraph":
            out.append(content)
        elif kind == "math":
            out.append(f"$$\n{content}\n$$")
        elif kind == "list":
            out.append("\n".join(f"{i}. {item}" for i, item in enumerate(content, 1)))
        elif kind == "table":
            header, rows = content
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "figure":
            stem, caption = content
            out.append(f"![{caption.replace('$', '')}]({stem}.png)")
        elif kind == "statements":
            out += [f"**`{name}`**\n\n$$\n{statement}\n$$" for name, statement in content]
    return "\n\n".join(out) + "\n"


def _md_cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


# -- LaTeX --------------------------------------------------------------------------------

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\usepackage{array}
\usepackage{longtable}
\usepackage[hidelinks]{hyperref}
\setlength{\parskip}{0.5em}
\setlength{\parindent}{0pt}
"""

# Text characters that LaTeX treats specially, and the Unicode a handout may use.
_TEX_TEXT = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    "—": "---", "–": "--", "−": "$-$", "·": r"$\cdot$", "×": r"$\times$",
    "≥": r"$\geq$", "≤": r"$\leq$", "≠": r"$\neq$", "→": r"$\to$", "⇔": r"$\iff$",
    "∞": r"$\infty$", "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "⌈": r"$\lceil$",
    "⌉": r"$\rceil$", "µ": r"$\mu$", "μ": r"$\mu$", "≈": r"$\approx$", "∈": r"$\in$",
    "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\ldots{}",
}


def tex_escape(text):
    r"""Plain text made safe for LaTeX; non-ASCII symbols become math or ``?``.

    >>> tex_escape("50% of c_1 ≥ 2 & more")
    '50\\% of c\\_1 $\\geq$ 2 \\& more'
    """
    out = []
    for char in text:
        if char in _TEX_TEXT:
            out.append(_TEX_TEXT[char])
        elif ord(char) < 128 or char.isalpha():
            out.append(char)
        else:
            out.append("?")
    return "".join(out)


def _tex_code(text):
    """Code text in ``\\texttt``: escaped, and breakable after its hyphens."""
    return tex_escape(text).replace("-", "-\\allowbreak{}")


def _fitted(statement):
    """Display math scaled down to the line width when it is wider (graphicx only)."""
    return ("\\begin{center}\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}"
            f"{{$\\displaystyle {statement}$}}\\end{{center}}")


def _tex_inline(text):
    """Text with ``$…$`` math spans and ```code``` spans: escape the text, keep the math."""
    out = []
    for index, part in enumerate(text.split("$")):
        if index % 2:
            out.append(f"${part}$")
            continue
        for j, piece in enumerate(part.split("`")):
            out.append(f"\\texttt{{{_tex_code(piece)}}}" if j % 2 else tex_escape(piece))
    return "".join(out)


def to_latex(blocks):
    """The blocks as a standalone LaTeX document for pdflatex."""
    body = []
    title = None
    for block in blocks:
        kind, content = block.kind, block.content
        if kind == "heading":
            if title is None:
                title = content
                body.append(f"\\section*{{{_tex_inline(content)}}}")
            else:
                body.append(f"\\subsection*{{{_tex_inline(content)}}}")
        elif kind == "paragraph":
            body.append(_tex_inline(content))
        elif kind == "math":
            body.append(f"\\[\n{content}\n\\]")
        elif kind == "list":
            items = "\n".join(f"  \\item {_tex_inline(item)}" for item in content)
            body.append(f"\\begin{{enumerate}}\n{items}\n\\end{{enumerate}}")
        elif kind == "table":
            body.append(_tex_table(*content))
        elif kind == "statements":
            body += [f"\\noindent\\begin{{minipage}}{{\\linewidth}}\n\\texttt{{{_tex_code(name)}}}\n"
                     f"{_fitted(statement)}\n\\end{{minipage}}" for name, statement in content]
        elif kind == "figure":
            stem, caption = content
            body.append(
                "\\begin{figure}[htbp]\n\\centering\n"
                "\\includegraphics[width=0.8\\linewidth,height=0.6\\textheight,keepaspectratio]"
                f"{{{stem}.pdf}}\n"
                f"\\caption{{{_tex_inline(caption)}}}\n"
                "\\end{figure}")
    title_line = f"\\hypersetup{{pdftitle={{{tex_escape(title or 'derive report')}}}}}\n"
    return (_PREAMBLE + title_line + "\\begin{document}\n\n" + "\n\n".join(body)
            + "\n\n\\end{document}\n")


def _tex_table(header, rows):
    widths = _TABLE_WIDTHS.get(len(header))
    spec = "".join(f">{{\\raggedright\\arraybackslash}}p{{{w}\\linewidth}}" for w in widths) \
        if widths else "l" * len(header)
    head = " & ".join(f"\\textbf{{{tex_escape(h)}}}" for h in header) + " \\\\"
    lines = [f"\\begin{{longtable}}{{{spec}}}", "\\hline", head, "\\hline", "\\endhead"]
    for row in rows:
        lines.append(" & ".join(_tex_inline(" ".join(str(cell).split())) for cell in row) + " \\\\")
    lines += ["\\hline", "\\end{longtable}"]
    return "\n".join(lines)


_TABLE_WIDTHS = {
    3: (0.12, 0.55, 0.22),
    4: (0.2, 0.42, 0.22, 0.08),
}


# -- writing ------------------------------------------------------------------------------

def write_report(out_dir, model="cuda-graph", *, bindings=None, theorems=None):
    """Write ``report.md``, ``report.tex`` and the chart (PNG and PDF) into ``out_dir``.

    Returns ``{role: path}`` for :data:`FILES`. The directory is created if missing;
    the four files are overwritten. The same input gives the same bytes.
    """
    from .plot import draw

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out_dir must be a directory, got the file {str(out)!r}")
    figure = _chart(model, bindings)
    blocks = handout(model, bindings=bindings, theorems=theorems, figure=figure)
    out.mkdir(parents=True, exist_ok=True)
    paths = {role: out / name for role, name in FILES.items()}
    draw(figure, paths["png"])
    draw(figure, paths["pdf"], stacked=True)
    paths["markdown"].write_text(to_markdown(blocks), encoding="utf-8")
    paths["latex"].write_text(to_latex(blocks), encoding="utf-8")
    return paths


def _chart(model, bindings):
    """The chart for this model: the lab's sizes with ``c = 3n``, unless the user bound them."""
    from .model import preset
    from .plot import LAB_SIZES, chart

    bindings = dict(bindings or {})
    base = preset(model) if isinstance(model, str) else model
    sizes = LAB_SIZES
    if "n" in bindings:
        sizes = (int(base.bind(n=bindings.pop("n")).bindings["n"]),)
    return chart(base, sizes, bindings=bindings)
