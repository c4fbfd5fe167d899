"""The lab's results, derived by the engine: what a student should be able to state cold.

:func:`lab_results` derives the ``cuda-graph`` preset in general, with the lab's default
capture cost ``c = n``, and at the lab's example sizes with ``c = 3n``; no number in it is
typed in. :func:`lab_text` and :func:`lab_json` render it for ``derive`` (no arguments).

>>> results = lab_results()
>>> [case.value for case in results.default.crossover]
[2, None]
>>> [(n, first) for n, first, _ in results.examples]
[(3, 5), (30, 4), (300, 4)]
"""

from dataclasses import dataclass

from .engine.conditions import case_condition
from .engine.derivation import derive
from .engine.summary import APPROACH_WORDS
from .render.formats import NEVER, to_json

__all__ = ["EXAMPLE_SIZES", "LabResults", "lab_json", "lab_results", "lab_text"]

#: The op counts the lab uses for its chart, with capture cost 3·n.
EXAMPLE_SIZES = (3, 30, 300)


@dataclass(frozen=True)
class LabResults:
    """The general derivation, the one with ``c = n``, and ``(n, first call, ceiling)`` at c = 3n."""

    general: object
    default: object
    examples: tuple


def lab_results():
    """Derive the lab's model three ways (general, ``c = n``, and ``c = 3n`` at 3, 30, 300)."""
    general = derive("cuda-graph")
    default = derive("cuda-graph", c="n")
    examples = []
    for size in EXAMPLE_SIZES:
        d = derive("cuda-graph", n=size, c=3 * size)
        examples.append((size, d.first_call(), d.asymptote))
    return LabResults(general, default, tuple(examples))


def _word(value):
    return NEVER if value is None else str(value)


def _when(cases, index):
    condition = case_condition(cases, index)
    return condition if condition in ("otherwise", "always") else f"if {condition}"


def _cases_inline(cases):
    return ", ".join(f"{_word(case.value)} {_when(cases, i)}" for i, case in enumerate(cases))


def lab_text(results):
    """The two results to state cold, with their conditions, as plain text."""
    g = results.general
    width = max(len(_word(case.value)) for case in g.crossover)
    crossover_lines = [
        f"     {_word(case.value).ljust(width)}  {_when(g.crossover, i)}"
        for i, case in enumerate(g.crossover)
    ]
    approach = [f"     {APPROACH_WORDS[case.value]} {_when(g.approach, i)}"
                for i, case in enumerate(g.approach)]
    examples = ", ".join(f"n = {n}: call {first}" for n, first, _ in results.examples)
    ceilings = ", ".join(f"{ceiling}" for _, _, ceiling in results.examples)
    return "\n".join([
        f"{g.model.title} (model {g.model.name})",
        "",
        f"  eager total   E(k) = {g.baseline}",
        f"  graph total   G(k) = {g.amortized}",
        "  n: ops per call (integer >= 1); c: capture cost in launches (rational > 0,",
        "  the lab's default c = n); k: calls so far (integer >= 1)",
        "",
        "1. Crossover: the first call k at which the graph is strictly cheaper, G(k) < E(k)",
        *crossover_lines,
        f"   with the default c = n: {_cases_inline(results.default.crossover)}",
        f"   The break-even root k* = {g.break_even} is not the crossover: at an integer",
        "   root the totals tie, so ceil(k*) is one call too early.",
        "",
        f"2. Asymptotic speedup: lim E(k)/G(k) as k -> oo = {g.asymptote}, for every c > 0",
        "   (the capture cost moves the crossover, never the ceiling).",
        "   How the ratio E(k)/G(k) reaches it:",
        *approach,
        "",
        f"With c = 3n: {examples}; ceilings {ceilings}.",
    ])


def lab_json(results):
    """The same results as one JSON-ready dict."""
    return {
        "model": results.general.model.name,
        "general": to_json(results.general),
        "default_capture_cost": to_json(results.default),
        "examples": [
            {"n": str(n), "c": str(3 * n), "first_call": _word(first), "asymptote": str(ceiling)}
            for n, first, ceiling in results.examples
        ],
    }
