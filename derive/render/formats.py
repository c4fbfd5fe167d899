"""Text, JSON, LaTeX and Markdown of derivations, and tables of proofs.

====================  ===========================================================
``to_json``           the dict of ``derive show --format json`` (its schema is in README.md)
``to_text``           a plain-text summary: totals, break-even, cases, asymptote
``to_latex``          a handout: LaTeX document (or, ``document=False``, its body)
``to_markdown``       the same handout in Markdown with ``$…$`` math
``render``            any of them by name: ``render(derivation, "latex")``
``preset_list``       the presets' names and one-line descriptions in any of the formats
``proofs_text``       a table of :func:`derive.prove.run` results: name, status,
                      method, seconds, and what failed
``proofs_json``       ``{"theorems": [...]}`` for ``derive prove --format json``
``proofs_markdown``   the table in Markdown, for reports
``theorem_latex``     one theorem (or result) in LaTeX; ``theorem_markdown`` too
====================  ===========================================================

Other writers of handouts (:mod:`derive.authoring.report`) add blocks of their own and hand
the rest to :func:`derive.engine.handout.latex_blocks` and ``markdown_blocks``.

Expressions are written with sympy's ``str()`` in text and JSON, with ``sympy.latex`` in
LaTeX and Markdown; ordered cases keep their order, and the first whose ``when`` holds
applies. The handout's content comes from :func:`derive.engine.handout.handout`; here it is
only written out.

>>> from derive.engine.derivation import derive
>>> to_json(derive("cuda-graph", n=30, c=90))["crossover"]
[{'when': 'always', 'first_call': '4'}]
"""

import json

from ..text.prose import latex_prose, markdown_prose

__all__ = ["FORMATS", "condition_text", "preset_list", "proofs_json", "proofs_markdown", "proofs_text",
           "render", "theorem_latex", "theorem_markdown", "to_json", "to_latex", "to_markdown",
           "to_text"]

NEVER = "never"


def _first_call(value):
    return NEVER if value is None else str(value)


def to_json(derivation):
    """The derivation as a JSON-ready dict with the README's keys."""
    model = derivation.model
    parameters = {p.name: str(p.domain) for p in model.parameters}
    parameters["k"] = str(model.domains[_k()])
    return {
        "model": model.name,
        "parameters": parameters,
        "bindings": {name: str(value) for name, value in model.bindings.items()},
        "baseline": str(derivation.baseline),
        "amortized": str(derivation.amortized),
        "break_even": None if derivation.break_even is None else str(derivation.break_even),
        **({"break_even_when": condition_text(derivation.break_even_when)}
           if derivation.break_even_hidden else {}),
        "crossover": [
            {"when": _when(derivation.crossover, i), "first_call": _first_call(case.value)}
            for i, case in enumerate(derivation.crossover)
        ],
        "asymptote": str(derivation.asymptote),
        "approach": [
            {"when": _when(derivation.approach, i), "direction": case.value}
            for i, case in enumerate(derivation.approach)
        ],
    }


def _k():
    from ..engine.symbols import k

    return k


def condition_text(condition):
    """A case's condition as a reader writes it: ``c = 1`` rather than ``Eq(c, 1)``
    (:func:`derive.engine.conditions.condition_text`; sympy loads here, not with --help).

    >>> import sympy
    >>> from derive.engine.symbols import c, n
    >>> condition_text(sympy.Eq(c, 1)), condition_text(sympy.And(n > 1, c < 1))
    ('c = 1', 'n > 1 and c < 1')
    """
    from ..engine.conditions import condition_text as text

    return text(condition)


def _when(cases, index):
    from ..engine.conditions import case_condition

    return case_condition(cases, index)


def to_text(derivation):
    """A plain-text account of the derivation, one fact per block (``str(derivation)``)."""
    from ..engine.summary import summary_text

    return summary_text(derivation)


_PREAMBLE = "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n\n"


def to_latex(derivation, *, document=True):
    """A handout of the derivation in LaTeX: a whole document, or only its body.

    Every formula is from ``sympy.latex``; the prose is escaped. The document needs
    ``amsmath`` and ``amssymb`` (``\\text``, ``\\mathbb``), which its preamble loads.

    >>> from derive.engine.derivation import derive
    >>> print(to_latex(derive("cuda-graph", n=30, c=90), document=False).splitlines()[0])
    \\section*{Launch overhead \\& the eager-graph crossover}
    """
    from ..engine.handout import (  # sympy loads here, not with --help
        handout,
        latex_blocks,
    )

    body = latex_blocks(handout(derivation))
    return _PREAMBLE + body + "\\end{document}\n" if document else body


def to_markdown(derivation):
    """A handout of the derivation in Markdown, formulas as ``$…$`` and ``$$…$$``.

    >>> from derive.engine.derivation import derive
    >>> print(to_markdown(derive("cuda-graph", n=30, c=90)).splitlines()[-1])
    so it tends to the ceiling from below, rising.
    """
    from ..engine.handout import (  # sympy loads here, not with --help
        handout,
        markdown_blocks,
    )

    return markdown_blocks(handout(derivation))


FORMATS = {
    "text": to_text,
    "json": lambda derivation: json.dumps(to_json(derivation), indent=2),
    "latex": to_latex,
    "markdown": to_markdown,
}


def render(derivation, format="text"):
    """The derivation as a string in ``format`` (one of :data:`FORMATS`).

    >>> from derive.engine.derivation import derive
    >>> print(render(derive("cuda-graph", n=30, c=90)).splitlines()[-6])
    first call at which graph is strictly cheaper than eager:
    """
    try:
        writer = FORMATS[format]
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}") from None
    return writer(derivation)



# -- lists of presets ----------------------------------------------------------------------

def preset_list(entries, format="text"):
    """``(name, description)`` pairs — :func:`derive.engine.presets.describe` — as a list in ``format``.

    Text aligns the names; JSON is ``{"presets": [{"name", "description"}, …]}``; LaTeX is
    an ``itemize`` and Markdown a bulleted list, each name as code, to paste into a handout.

    >>> entries = [("cuda-graph", "Launch overhead & the eager-graph crossover"),
    ...            ("multi-step", "m steps per launch, the ceiling n*m")]
    >>> print(preset_list(entries))
    cuda-graph  Launch overhead & the eager-graph crossover
    multi-step  m steps per launch, the ceiling n*m
    >>> print(preset_list(entries, "latex"))
    \\begin{itemize}
      \\item \\texttt{cuda-graph}: Launch overhead \\& the eager-graph crossover
      \\item \\texttt{multi-step}: m steps per launch, the ceiling n*m
    \\end{itemize}
    >>> print(preset_list(entries, "markdown"))
    - `cuda-graph`: Launch overhead & the eager-graph crossover
    - `multi-step`: m steps per launch, the ceiling n\\*m
    """
    entries = tuple(entries)
    if format == "json":
        return json.dumps({"presets": [{"name": name, "description": description}
                                       for name, description in entries]}, indent=2)
    if format == "latex":
        items = [f"  \\item \\texttt{{{latex_prose(name)}}}: {latex_prose(description)}"
                 for name, description in entries]
        return "\n".join(["\\begin{itemize}", *items, "\\end{itemize}"])
    if format == "markdown":
        return "\n".join(f"- `{name}`: {markdown_prose(description)}" for name, description in entries)
    if format == "text":
        width = max((len(name) for name, _ in entries), default=0)
        return "\n".join(f"{name.ljust(width)}  {description}" for name, description in entries)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")

# -- proofs: results of derive.prove.run --------------------------------------------------

def _failure(result):
    if result.counterexample is None:
        return result.reason
    values = ", ".join(f"{name} = {value}" for name, value in result.counterexample.items())
    return f"counterexample: {values}"


def proofs_text(results):
    """A table of proof results: name, status, method, seconds; then what failed and why."""
    headers = ("theorem", "status", "method", "seconds")
    rows = [(r.name, r.status, r.method, f"{r.seconds:.3f}") for r in results]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) if i < 3 else cell.rjust(width)
                       for i, (cell, width) in enumerate(zip(row, widths))).rstrip()
             for row in [headers, *rows]]
    failed = [r for r in results if not r.proved]
    total = sum(r.seconds for r in results)
    lines.append(f"{len(results)} theorems: {len(results) - len(failed)} proved, "
                 f"{len(failed)} failed, in {total:.2f} s")
    lines += [f"FAILED {r.name}: {_failure(r)}" for r in failed]
    return "\n".join(lines)


def proofs_json(results):
    """``{"theorems": [...]}``, one record per result (see :meth:`derive.prove.Result.as_dict`)."""
    return {"theorems": [r.as_dict() for r in results]}


def proofs_markdown(results):
    """The results as a Markdown table, statements in ``$…$``, for a report."""
    lines = ["| theorem | statement | method | status | seconds |",
             "| --- | --- | --- | --- | ---: |"]
    for r in results:
        status = r.status if r.proved else f"**{r.status}**: {markdown_prose(_failure(r))}"
        cells = (markdown_prose(r.name), f"${r.statement}$", markdown_prose(r.method), status,
                 f"{r.seconds:.3f}")
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def _outcome(item):
    """``(status text, failure text)`` of a Result; ``None`` for a theorem not yet run."""
    if not hasattr(item, "status"):
        return None
    return f"{item.status} in {item.seconds:.3f} s", "" if item.proved else _failure(item)


def theorem_latex(item):
    """A theorem (or a proof result) as a LaTeX paragraph with its statement displayed."""
    lines = [f"\\paragraph{{{latex_prose(item.name)}}} {latex_prose(item.claim)}",
             f"\\[ {item.statement} \\]",
             f"Method: {latex_prose(item.method)}."]
    outcome = _outcome(item)
    if outcome:
        lines.append(f"Status: {latex_prose(outcome[0])}." + (
            f" {latex_prose(outcome[1])}." if outcome[1] else ""))
    return "\n".join(lines) + "\n"


def theorem_markdown(item):
    """A theorem (or a proof result) in Markdown with its statement as ``$$…$$``."""
    lines = [f"**{markdown_prose(item.name)}**: {markdown_prose(item.claim)}", "",
             f"$${item.statement}$$", "", f"*Method*: {markdown_prose(item.method)}."]
    outcome = _outcome(item)
    if outcome:
        lines.append(f"*Status*: {markdown_prose(outcome[0])}." + (
            f" {markdown_prose(outcome[1])}." if outcome[1] else ""))
    return "\n".join(lines) + "\n"
