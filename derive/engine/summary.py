"""A derivation as plain text, one fact per block: what ``str(derivation)`` and
``derive show`` print.

Conditions are written as a reader writes them (``c = 1``, ``otherwise``), by
:func:`derive.engine.conditions.condition_text`, the same words as the JSON's ``when``.

>>> from derive.engine.derivation import derive
>>> print(summary_text(derive("cuda-graph", n=30, c=90)).splitlines()[-5])
  4
"""

from .conditions import case_condition, condition_text

__all__ = ["APPROACH_WORDS", "summary_text"]

#: How the running ratio meets its limit, in words, by the engine's direction.
APPROACH_WORDS = {
    "below": "from below, rising",
    "constant": "constant, at the limit from the first call",
    "above": "from above, falling",
}


def _first_call(value):
    return "never" if value is None else str(value)


def _cases(cases, word):
    """Aligned ``value    if condition`` lines; a lone unconditional case is just its value."""
    if len(cases) == 1 and case_condition(cases, 0) == "always":
        return [f"  {word(cases[0].value)}"]
    values = [word(case.value) for case in cases]
    width = max(len(v) for v in values)
    lines = []
    for i, (value, case) in enumerate(zip(values, cases)):
        condition = case_condition(cases, i)
        condition = condition if condition == "otherwise" else f"if {condition}"
        lines.append(f"  {value.ljust(width)}  {condition}")
    return lines


def summary_text(derivation):
    """A plain-text account of the derivation, one fact per block."""
    model = derivation.model
    first, second = model.labels
    lines = [f"model {model.name}" + (f": {model.title}" if model.title else "")]
    width = max([3] + [len(p.name) for p in model.parameters])
    for p in model.parameters:
        lines.append(f"  {p.name:<{width}} {str(p.domain):<14} {p.meaning}".rstrip())
    lines.append(f"  {'k':<{width}} {'integer >= 1':<14} calls so far")
    if model.bindings:
        bound = ", ".join(f"{name} = {value}" for name, value in model.bindings.items())
        lines.append(f"  with {bound}")
    lines += [
        "",
        f"{first + ' total':<17} {derivation.baseline}",
        f"{second + ' total':<17} {derivation.amortized}",
        f"{'break-even root':<17} "
        + ("none: the totals are parallel" if derivation.break_even is None else f"k* = {derivation.break_even}")
        + (f"  (exists only where {condition_text(derivation.break_even_when)})"
           if derivation.break_even_hidden else ""),
        "",
        f"first call at which {second} is strictly cheaper than {first}:",
        *_cases(derivation.crossover, _first_call),
        "",
        f"asymptotic ratio  lim {first}/{second} as k -> oo = {derivation.asymptote}",
        f"approach          how the ratio {first}/{second} reaches it:",
        *_cases(derivation.approach, lambda direction: APPROACH_WORDS.get(direction, str(direction))),
    ]
    return "\n".join(lines)
