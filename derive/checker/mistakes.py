"""The classic mistakes, by name: what a wrong answer most likely did.

Each quantity has a short catalogue of wrong forms, built from the model itself (so it
holds for any two totals affine in ``k``, not only the lab's). A wrong answer that takes
the same values as one of them on the smallest points of the domain is given that
mistake's name; one whose asymptote mentions a parameter the limit does not depend on
is told so. The verdict itself never rests on this: it comes with its counterexample.

For the lab's model (``E = k·n``, ``G = c + k − 1``, root ``(c − 1)/(n − 1)``):

===================  =============================================================
quantity             mistakes recognised
===================  =============================================================
crossover            the continuous root (no integer step); the ceiling of the root
                     (one call short when the root is whole); its floor; ``c + k``
                     for ``c + k − 1``; ``⌊root⌋ + 1`` without the case ``c < 1``;
                     call 2, which holds only at the default ``c = n``
graph_total          ``c + k`` for ``c + k − 1``; one replay too few; the default
                     ``c = n``; ``c·k``, the first call's cost on every call
eager_total          one call too many or too few; ``k·n − 1``, one launch too few
break_even           the crossover instead of the root; a rounded root; ``c + k``
asymptote            a limit depending on ``c`` (or on ``k``: the ratio, not its limit);
                     the ratio upside down; the saving per call
per_call_ratio       upside down; ``c + k`` for ``c + k − 1``; the limit instead
===================  =============================================================

>>> from derive.engine.derivation import derive
>>> [entry[1].split(":")[0] for entry in catalogue("crossover", derive("cuda-graph"))][:3]
['the break-even root (c - 1)/(n - 1) itself', 'the ceiling of the break-even root', 'the ceiling of the break-even root']
"""

import sympy

from ..engine.symbols import k

__all__ = ["catalogue", "classic_mistake"]


def catalogue(general, derivation):
    """``[(wrong expression, description[, guards])]`` for the quantity ``general`` of
    ``derivation``; ``guards`` (the saving, for forms of the root) must be non-zero for the
    wrong form to have a value, as they must for the root itself."""
    model = derivation.model
    first, second = (f"the {label} total" for label in model.labels)
    _, b1, _, a1 = model.coefficients()
    E, G = derivation.baseline, derivation.amortized
    s, u = derivation.saving, derivation.upfront
    replayed = f"{G + a1} for {G}: the first call is counted as a capture and again as a replay"
    entries = []
    if general == "amortized":
        entries += [(G + a1, replayed), (G - a1, f"{G - a1} for {G}: one replay too few")]
        first_call = sympy.sympify(G, strict=True).xreplace({k: sympy.Integer(1)})
        if first_call.free_symbols and first_call * k != E:
            entries.append((first_call * k, f"{first_call * k}: the first call's cost paid on every call; "
                                            f"the later calls replay at {a1} each, {G}"))
        entries += [(G.xreplace(model.defaults), f"the default {_defaults(model)} used where it "
                                                 f"does not apply")] if model.defaults else []
    elif general == "baseline":
        entries += [(E - b1, f"{E - b1} for {E}: one call too few"),
                    (E + b1, f"{E + b1} for {E}: one call too many"),
                    (E - 1, f"{E - 1} for {E}: one launch too few; every call launches all of its "
                            f"{b1}, the first included")]
    elif general in ("crossover", "break_even") and s != 0:
        entries += _root_mistakes(general, derivation, replayed, second)
    elif general == "asymptote":
        entries += [(derivation.per_call_ratio, f"the ratio of the totals at call k, not its limit as k -> oo"),
                    (1 / derivation.asymptote, f"the ratio upside down: {second} over {first}"),
                    (s, f"the saving per call, {s}, not the ratio of the per-call costs "
                        f"{b1}/{a1} = {derivation.asymptote}")]
    elif general == "per_call_ratio":
        entries += [(G / E, f"the ratio upside down: {second} over {first}"),
                    (E / (G + a1), replayed),
                    (derivation.asymptote, "the limit as k -> oo instead of the ratio at call k")]
    return entries


def _root_mistakes(general, derivation, replayed, second):
    s, u = derivation.saving, derivation.upfront
    a1 = derivation.model.coefficients()[3]
    root = sympy.factor(sympy.cancel(u / s))
    later = sympy.cancel((u + a1) / s)
    ceiling = f"the ceiling of the break-even root: one call short whenever {root} is a whole number, " \
              f"where the totals tie and {second} is not yet cheaper"
    if general == "break_even":
        return [(sympy.floor(root) + 1, "the crossover (the first whole call) instead of the continuous root", (s,)),
                (sympy.ceiling(root), "a rounded root: the break-even root need not be a whole number", (s,)),
                (later, replayed, (s,))]
    defaults = derivation.model.defaults
    if defaults:
        at_default = sympy.floor(root.xreplace(defaults)) + 1
        if at_default.is_Integer:
            entries_default = [(at_default, f"call {at_default} is the crossover only when "
                                            f"{_defaults(derivation.model)} (the default); in general it is "
                                            f"floor({root}) + 1")]
        else:
            entries_default = []
    else:
        entries_default = []
    first_wins = [case.when for case in derivation.crossover if case.value == 1]
    first = sympy.floor(root) + 1 if root.is_number else f"floor({root}) + 1"
    entries = [
        (root, f"the break-even root {root} itself: the crossover is the first whole call at which "
               f"{second} is strictly cheaper, {first}"),
        (sympy.ceiling(root), ceiling),
        (sympy.Max(1, sympy.ceiling(root)), ceiling),
        (sympy.floor(root), f"the floor of the break-even root: one call short, the totals are not yet apart"),
        (sympy.floor(later) + 1, replayed),
        (sympy.Max(1, sympy.floor(later) + 1), replayed),
    ]
    if first_wins:
        entries.append((sympy.floor(root) + 1, f"the case {first_wins[0]} is missing: there {second} is "
                                               f"cheaper from the first call, so the crossover is 1"))
    return [(wrong, text, (s,)) for wrong, text in entries] + entries_default


def _defaults(model):
    return ", ".join(f"{symbol} = {value}" for symbol, value in model.defaults.items())


def classic_mistake(problem, decide):
    """The name of the classic mistake ``problem.answer`` makes, or None.

    ``problem`` is the checker's (its ``general`` quantity, ``derivation``, ``answer``,
    ``variables``, ``every_variable``, ``domains``, ``relations``); ``decide`` the module
    that evaluates.
    """
    answer = problem.answer
    if answer is None:
        return None
    cases = problem.compared
    if cases is None or len(cases) != 1:
        return None
    mine = cases[0][2]
    for wrong, description, *guards in catalogue(problem.general, problem.derivation):
        used = set(wrong.free_symbols).union(*(g.free_symbols for g in (guards[0] if guards else ())))
        variables = problem.variables
        if used - set(variables):
            variables = problem.every_variable + ((k,) if k in used and k not in problem.every_variable else ())
        if decide.same_values(variables, problem.domains, cases[0][1], wrong,
                              assumptions=problem.relations, guards=(mine, guards[0] if guards else ())):
            return description
    if problem.general == "asymptote":
        expected = problem.derivation.asymptote
        extra = sorted(s.name for s in answer.free_symbols - expected.free_symbols - {k})
        if extra:
            names = ", ".join(extra)
            return f"an asymptote that depends on {names}: the limit is {expected} for every {names}"
    return None
