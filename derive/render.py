"""Text and JSON of derivations.

=================  ==============================================================
``to_json``        the dict of DESIGN.md's ``derive show --format json`` contract
``to_text``        a plain-text summary: totals, break-even, cases, asymptote
``render``         either, by name: ``render(derivation, "json")``
=================  ==============================================================

Expressions are written with sympy's ``str()``; ordered cases keep their order, and the
first whose ``when`` holds applies.

>>> from derive.derivation import derive
>>> to_json(derive("cuda-graph", n=30, c=90))["crossover"]
[{'when': 'True', 'first_call': '4'}]
"""

import json

__all__ = ["FORMATS", "condition_text", "render", "to_json", "to_text"]

NEVER = "never"


def condition_text(condition):
    """A case's condition as a reader writes it: ``c = 1`` rather than ``Eq(c, 1)``.

    >>> import sympy
    >>> from derive.symbols import c, n
    >>> condition_text(sympy.Eq(c, 1)), condition_text(sympy.And(n > 1, c < 1))
    ('c = 1', 'n > 1 and c < 1')
    """
    import sympy

    if condition is sympy.true:
        return "always"
    if isinstance(condition, sympy.Eq):
        return f"{condition.lhs} = {condition.rhs}"
    if isinstance(condition, sympy.Ne):
        return f"{condition.lhs} != {condition.rhs}"
    if isinstance(condition, (sympy.And, sympy.Or)):
        joiner = " and " if isinstance(condition, sympy.And) else " or "
        return joiner.join(condition_text(arg) for arg in condition.args)
    return str(condition)


def _first_call(value):
    return NEVER if value is None else str(value)


def to_json(derivation):
    """The derivation as a JSON-ready dict with DESIGN.md's keys."""
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
        "crossover": [
            {"when": str(case.when), "first_call": _first_call(case.value)}
            for case in derivation.crossover
        ],
        "asymptote": str(derivation.asymptote),
        "approach": [
            {"when": str(case.when), "direction": case.value} for case in derivation.approach
        ],
    }


def _k():
    from .symbols import k

    return k


def _cases(cases, word):
    """Aligned ``value    if condition`` lines; a lone unconditional case is just its value."""
    if len(cases) == 1 and str(cases[0].when) == "True":
        return [f"  {word(cases[0].value)}"]
    values = [word(case.value) for case in cases]
    width = max(len(v) for v in values)
    lines = []
    for value, case in zip(values, cases):
        condition = "otherwise" if str(case.when) == "True" else f"if {condition_text(case.when)}"
        lines.append(f"  {value.ljust(width)}  {condition}")
    return lines


def to_text(derivation):
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
        + ("none: the totals are parallel" if derivation.break_even is None else f"k* = {derivation.break_even}"),
        "",
        f"first call at which {second} is strictly cheaper than {first}:",
        *_cases(derivation.crossover, _first_call),
        "",
        f"asymptotic ratio  lim {first}/{second} as k -> oo = {derivation.asymptote}",
        f"approach          the ratio {first}/{second} tends to it from",
        *_cases(derivation.approach, str),
    ]
    return "\n".join(lines)


FORMATS = {
    "text": to_text,
    "json": lambda derivation: json.dumps(to_json(derivation), indent=2),
}


def render(derivation, format="text"):
    """The derivation as a string in ``format`` (one of :data:`FORMATS`).

    >>> from derive.derivation import derive
    >>> print(render(derive("cuda-graph", n=30, c=90)).splitlines()[-6])
    first call at which graph is strictly cheaper than eager:
    """
    try:
        writer = FORMATS[format]
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}") from None
    return writer(derivation)
