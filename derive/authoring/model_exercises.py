"""Exercises on any model — every preset and a model of your own — with exact answers.

The lab's own bank (:mod:`derive.authoring.exercises`) is written for ``cuda-graph``; this
one is written for any two totals affine in ``k``, ``B(k) = b0 + b1·k`` (the baseline) and
``A(k) = a0 + a1·k`` (the amortized strategy): the parameters are drawn from their domains,
the answers come from the engine's compiled functions, and the worked solutions do the
case analysis of :mod:`derive.engine.derivation` with the numbers in.

==================  ===============================================================
``model_exercise``  one exercise of a kind at given parameter values
``model_exercises`` a bank: ``count`` exercises from ``random.Random(seed)``
``GENERAL_KINDS``   ``crossover``, ``baseline_total``, ``amortized_total``,
                    ``break_even``, ``per_call_ratio``, ``asymptote``
==================  ===============================================================

A crossover may be ``never`` (the amortized strategy need not ever win), so it is always
asked as multiple choice with ``never`` among the options.

>>> from fractions import Fraction
>>> e = model_exercise("kernel-batching", "crossover", {"t_eager": 76, "t_define": 250,
...                    "t_instantiate": 150, "t_first": 68, "t_replay": 68})
>>> e.answer, "never" in [d.answer for d in e.distractors]
('51', True)
>>> model_exercise("compile", "crossover", {"t_compile": 5, "t_before": 1, "t_after": 2}).answer
'never'
"""

import math
import random
from fractions import Fraction
from functools import cache

from .exercises import (
    NEVER,
    Exercise,
    _choices,
    _count,
    _exact,
    _text,
    bank_arguments,
)

__all__ = ["GENERAL_KINDS", "model_exercise", "model_exercises"]

GENERAL_KINDS = ("crossover", "baseline_total", "amortized_total", "break_even", "per_call_ratio",
                 "asymptote")

_WHOLE = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 30, 40, 50, 64, 100)
_PARTS = (Fraction(1, 2), Fraction(1, 4), Fraction(3, 2), Fraction(5, 2), Fraction(7, 4),
          Fraction(9, 2))
_CALLS = tuple(range(1, 41))


# -- the model, compiled once ---------------------------------------------------------------

class _Compiled:
    def __init__(self, model):
        from ..engine.derivation import derive

        self.derivation = d = derive(model)
        self.model = d.model
        self.names = [p.name for p in d.model.parameters]
        self.coefficients = d.model.coefficients()
        self.baseline = d.function("baseline")
        self.amortized = d.function("amortized")
        self.first = d.function("crossover")
        self.ratio = d.function("per_call_ratio")
        self.limit = d.function("asymptote")

    def at(self, values):
        """``(b0, b1, a0, a1)`` at the values, exact."""
        import sympy

        bound = {p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
                 for p in self.model.parameters}
        out = []
        for coefficient in self.coefficients:
            number = sympy.sympify(coefficient, strict=True).xreplace(bound)
            out.append(Fraction(int(number.p), int(number.q)))
        return tuple(out)

    def args(self, values):
        return [values[name] for name in self.names]


def _model(model):
    from ..engine.model import Model

    if isinstance(model, str):
        return _compiled_preset(model)
    if not isinstance(model, Model):
        raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
    return _Compiled(model)


@cache
def _compiled_preset(name):
    from ..engine.presets import preset

    return _Compiled(preset(name))


# -- the parameters' values -----------------------------------------------------------------

def _values_for(parameter):
    """The values an exercise draws for ``parameter``, in its domain, nicest first."""
    domain = parameter.domain
    low = domain.lower
    if domain.kind == "integer":
        return tuple(int(low) + step for step in (0, 1, 2, 3, 4, 7, 9, 15, 19, 29, 49, 99))
    start = low if not domain.strict else None
    values = [Fraction(v) for v in _WHOLE] + list(_PARTS)
    values = sorted({v + (low if low >= 1 else 0) for v in values})
    if start is not None and start not in values:
        values.insert(0, start)                   # the bound itself (0 for "rational >= 0")
    return tuple(v for v in values if (v > low or (v == low and not domain.strict)))


def _space_size(compiled, kinds):
    per = math.prod(len(_values_for(p)) for p in compiled.model.parameters)
    return sum(per * (len(_CALLS) if kind in ("baseline_total", "amortized_total", "per_call_ratio")
                      else 1) for kind in kinds)


# -- one exercise ---------------------------------------------------------------------------

def model_exercise(model, kind, values, k=None):
    """The exercise of ``kind`` on ``model`` (a preset's name or a Model) at ``values``
    (``{name: int or Fraction}``, every parameter) and, for totals and ratios, call ``k``.
    Returns ``None`` where the kind has no answer there (a break-even of parallel totals,
    an infinite asymptote)."""
    compiled = _model(model)
    if kind not in GENERAL_KINDS:
        raise ValueError(f"kind must be one of {', '.join(GENERAL_KINDS)}, got {kind!r}")
    missing = [name for name in compiled.names if name not in values]
    if missing:
        raise ValueError(f"values must give every parameter; missing {', '.join(missing)}")
    values = {name: Fraction(values[name]) for name in compiled.names}
    for p in compiled.model.parameters:
        if not p.domain.contains(_sympy_number(values[p.name])):
            raise ValueError(f"{p.name} must be {p.domain}, got {_text(values[p.name])}")
    if kind in ("baseline_total", "amortized_total", "per_call_ratio"):
        k = _count("k", k)
    return _BUILDERS[kind](compiled, values, k)


def _sympy_number(value):
    import sympy

    return sympy.Rational(value.numerator, value.denominator)


def _setting(c, values):
    model = c.model
    first, second = model.labels
    given = ", ".join(f"{name} = {_text(_exact(values[name]))}" for name in c.names)
    title = f"{model.title}. " if model.title else ""
    return (f"{title}Run {first}, k calls cost B(k) = {model.baseline} in total; run {second}, "
            f"they cost A(k) = {model.amortized}. Here {given}.")


def _totals(c, values, call):
    args = c.args(values)
    return Fraction(c.baseline(*args, call)), Fraction(c.amortized(*args, call))


def _check(c, values, call):
    b, a = _totals(c, values, call)
    relation = "<" if a < b else ("=" if a == b else ">")
    return f"A({call}) = {_text(_exact(a))} {relation} B({call}) = {_text(_exact(b))}"


def _crossover(c, values, k):
    b0, b1, a0, a1 = c.at(values)
    s, u = b1 - a1, a0 - b0
    first = c.first(*c.args(values))
    answer = _text(first)
    first_label, second = c.model.labels
    question = (_setting(c, values) + f" At which call k is {second} first strictly cheaper "
                f"than {first_label}, if at any?")
    lines = [f"A(k) < B(k) exactly when s*k > u, with the saving per call s = b1 - a1 = "
             f"{_text(_exact(s))} and the upfront excess u = a0 - b0 = {_text(_exact(u))}."]
    candidates = []
    if s > 0:
        root = u / s
        lines.append(f"With s > 0 that is k > u/s = {_text(_exact(root))}.")
        if root < 0:
            lines.append("The root is negative: every call k >= 1 wins, so call 1.")
        else:
            lines.append(f"The least whole k strictly above it is floor({_text(_exact(root))}) + 1 "
                         f"= {answer}.")
            if root.denominator == 1 and root >= 1:
                lines.append(f"At k = {_text(_exact(root))} the totals only tie, and a tie is not "
                             "a win.")
                candidates.append((_exact(root), "the ceiling of the root: at a whole root the "
                                                 "totals only tie"))
            elif root.denominator > 1:
                candidates.append((root, "the continuous root u/s, not a whole call"))
        candidates += [(first + 1, "one call late: off by one past the boundary"),
                       (first - 1, "one call early: took a tie (or a loss) for a win")]
    elif s == 0:
        lines.append("With s = 0 the totals are parallel: " + (
            "A is cheaper at every call, so call 1." if u < 0 else "A is never cheaper."))
        candidates += [(1, "parallel totals: the order at call 1 holds for ever")]
    else:
        lines.append("With s < 0 the amortized total falls behind a little more every call: it "
                     f"can only win at call 1, which it does when s > u ({_text(_exact(s))} "
                     f"{'>' if s > u else '<='} {_text(_exact(u))}).")
        if s != u:
            candidates.append((_exact(u / s), "the root u/s, where the totals cross the other way"))
    candidates += [(1, "the first call: forgot the upfront cost"), (2, "the second call, by habit")]
    candidates = [(v, m) for v, m in candidates
                  if v == NEVER or (isinstance(v, (int, Fraction)) and v >= 1)]
    if first is not None:
        lines.append("Check: " + "; ".join(_check(c, values, call)
                                           for call in (first - 1, first) if call >= 1) + ".")
    else:
        lines.append("Check: " + "; ".join(_check(c, values, call) for call in (1, 10, 100)) + ".")
    nearby = [(v, "a nearby call") for v in (2, 3, 4, 5, 6) if first is None or v != first]
    return Exercise("crossover", _shown(values), question, answer, " ".join(lines),
                    _choices(answer, candidates, nearby, never=True))


def _shown(values):
    return {name: _exact(value) for name, value in values.items()}


def _total(which):
    def build(c, values, k):
        b, a = _totals(c, values, k)
        value = b if which == "baseline" else a
        other = a if which == "baseline" else b
        label = c.model.labels[0 if which == "baseline" else 1]
        letter = "B" if which == "baseline" else "A"
        expression = c.model.baseline if which == "baseline" else c.model.amortized
        question = (_setting(c, values) + f" What does {label} cost in total over the first "
                    f"k = {k} call{'' if k == 1 else 's'}?")
        solution = f"{letter}(k) = {expression}; at k = {k} it is {_text(_exact(value))}."
        earlier, later = _totals(c, values, k - 1) if k > 1 else (None, None), _totals(c, values, k + 1)
        mine = 0 if which == "baseline" else 1
        candidates = [(_exact(later[mine]), "off by one: counted k + 1 calls"),
                      (_exact(other), "the other strategy's total")]
        if earlier[0] is not None:
            candidates.insert(1, (_exact(earlier[mine]), "off by one: counted k - 1 calls"))
        candidates.append((_exact(value / k), "the cost per call, not the total"))
        candidates = [(v, m) for v, m in candidates if v != value]
        nearby = [(_exact(value + step), "a nearby value") for step in (1, -1, 2, -2, 3) if value + step > 0]
        kind = f"{which}_total"
        return Exercise(kind, {**_shown(values), "k": k}, question, _text(_exact(value)), solution,
                        _choices(_text(_exact(value)), candidates, nearby))
    return build


def _break_even(c, values, k):
    b0, b1, a0, a1 = c.at(values)
    s, u = b1 - a1, a0 - b0
    if s == 0:
        return None
    root = u / s
    question = (_setting(c, values) + " At which k* (a rational number, not necessarily whole) "
                "are the two totals equal, B(k*) = A(k*)? Give it exactly.")
    solution = (f"B(k) = A(k) means b0 + b1*k = a0 + a1*k, so k* = (a0 - b0)/(b1 - a1) = "
                f"{_text(_exact(u))}/{_text(_exact(s))} = {_text(_exact(root))}.")
    candidates = [(_exact(-root), "a sign slip: (b0 - a0)/(b1 - a1)"),
                  (_exact(s / u) if u else None, "the ratio upside down: s/u"),
                  (math.floor(root) + 1, "the crossover (the first whole call past it), not the root"),
                  (_exact(root + 1), "off by one")]
    candidates = [(v, m) for v, m in candidates if v is not None]
    nearby = [(_exact(root + step), "a nearby value") for step in (2, -1, 3, -2)]
    return Exercise("break_even", _shown(values), question, _text(_exact(root)), solution,
                    _choices(_text(_exact(root)), candidates, nearby))


def _per_call_ratio(c, values, k):
    b, a = _totals(c, values, k)
    if a == 0:
        return None
    ratio = b / a
    first, second = c.model.labels
    question = (_setting(c, values) + f" After k = {k} call{'' if k == 1 else 's'}, what is the "
                f"ratio B(k)/A(k) of {first}'s total to {second}'s? Give it exactly.")
    solution = (f"B({k}) = {_text(_exact(b))} and A({k}) = {_text(_exact(a))}, so B/A = "
                f"{_text(_exact(ratio))}.")
    candidates = [(_exact(a / b) if b else None, "the ratio upside down, A/B")]
    if k > 1:
        b1, a1 = _totals(c, values, k - 1)
        candidates.append((_exact(b1 / a1) if a1 else None, "off by one: at call k - 1"))
    b2, a2 = _totals(c, values, k + 1)
    candidates.append((_exact(b2 / a2) if a2 else None, "off by one: at call k + 1"))
    candidates = [(v, m) for v, m in candidates if v is not None and v > 0]
    nearby = [(_exact(ratio * step), "a nearby value") for step in (2, Fraction(1, 2), 3)]
    return Exercise("per_call_ratio", {**_shown(values), "k": k}, question, _text(_exact(ratio)),
                    solution, _choices(_text(_exact(ratio)), candidates, nearby))


def _asymptote(c, values, k):
    b0, b1, a0, a1 = c.at(values)
    if a1 <= 0:
        return None
    limit = b1 / a1
    first, second = c.model.labels
    question = (_setting(c, values) + f" As the number of calls k grows without bound, what "
                f"value does the ratio B(k)/A(k) of {first}'s total to {second}'s approach?")
    solution = (f"B(k)/A(k) = (b0 + b1*k)/(a0 + a1*k) = (b0/k + b1)/(a0/k + a1), and the upfront "
                f"terms vanish: the limit is b1/a1 = {_text(_exact(b1))}/{_text(_exact(a1))} = "
                f"{_text(_exact(limit))}, whatever the one-off costs are.")
    args = c.args(values)
    at_one = Fraction(c.baseline(*args, 1)) / Fraction(c.amortized(*args, 1))
    candidates = [(_exact(at_one), "the ratio at call 1"),
                  (_exact(a1 / b1) if b1 else None, "the limit upside down, a1/b1"),
                  (_exact(b1 - a1), "the saving per call, b1 - a1, not a ratio"),
                  (1, "thought the one-off costs cancel the gain")]
    candidates = [(v, m) for v, m in candidates if v is not None and v > 0]
    nearby = [(_exact(limit * step), "a nearby value") for step in (2, Fraction(1, 2), 3)]
    return Exercise("asymptote", _shown(values), question, _text(_exact(limit)), solution,
                    _choices(_text(_exact(limit)), candidates, nearby))


_BUILDERS = {
    "crossover": _crossover,
    "baseline_total": _total("baseline"),
    "amortized_total": _total("amortized"),
    "break_even": _break_even,
    "per_call_ratio": _per_call_ratio,
    "asymptote": _asymptote,
}


# -- a bank ---------------------------------------------------------------------------------

def model_exercises(model, count, seed, *, kinds=GENERAL_KINDS):
    """A bank of ``count`` exercises on ``model`` drawn by ``random.Random(seed)``; the same
    seed gives the same bank, and no two exercises repeat (a count above the number of
    distinct ones is refused, saying how many there are).

    >>> bank = model_exercises("wall-clock", 6, seed=1)
    >>> sorted(e.kind for e in bank) == sorted(GENERAL_KINDS)
    True
    """
    compiled = _model(model)
    count, kinds = bank_arguments(count, seed, kinds, GENERAL_KINDS)
    capacity = _space_size(compiled, kinds)
    if count > capacity:
        raise ValueError(f"count must be <= {capacity}: there are only {capacity} distinct "
                         f"exercises of model {compiled.model.name}, got {count}")
    rng = random.Random(seed)
    order = list(kinds)
    rng.shuffle(order)
    choices = {p.name: _values_for(p) for p in compiled.model.parameters}
    bank, seen, turn, misses = [], set(), 0, 0
    while len(bank) < count:
        kind = order[turn % len(order)]
        turn += 1
        values = {name: rng.choice(options) for name, options in choices.items()}
        k = rng.choice(_CALLS) if kind in ("baseline_total", "amortized_total", "per_call_ratio") else None
        key = (kind, tuple(values.items()), k)
        built = None if key in seen else _BUILDERS[kind](compiled, values, k)
        seen.add(key)
        if built is None:
            misses += 1
            if misses > 100 * count + 10_000:
                raise ValueError(f"model {compiled.model.name} gives too few distinct exercises "
                                 f"of the kinds {', '.join(kinds)} for count={count}")
            continue
        bank.append(built)
    return tuple(bank)
