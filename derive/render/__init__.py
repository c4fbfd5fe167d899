"""Derivations and proofs written out: text, JSON, LaTeX, Markdown, and figures.

:mod:`~derive.render.formats` writes a derivation in any of :data:`FORMATS`, the preset
list and the proof tables; :mod:`~derive.render.figures` is every figure's canvas, style
and byte-stable save (matplotlib on the Agg canvas, never pyplot). Importing this package
loads neither sympy nor matplotlib: ``derive --help`` lists the formats from here.

Floor 3: imports the engine (when a derivation is written) and :mod:`derive.text`.
"""

from .formats import (
    FORMATS,
    NEVER,
    condition_text,
    preset_list,
    proofs_json,
    proofs_markdown,
    proofs_text,
    render,
    theorem_latex,
    theorem_markdown,
    to_json,
    to_latex,
    to_markdown,
    to_text,
)

__all__ = ["FORMATS", "NEVER", "condition_text", "preset_list", "proofs_json", "proofs_markdown",
           "proofs_text", "render", "theorem_latex", "theorem_markdown", "to_json", "to_latex",
           "to_markdown", "to_text"]
