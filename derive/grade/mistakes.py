"""The classic mistake a failing function makes, by name, from its wrong answers.

The checker's catalogue (:func:`derive.checker.mistakes.catalogue`) lists the wrong forms of
each quantity for any model — the ceiling of the root, ``c + k`` for ``c + k − 1``, one
call too few, the ratio upside down, … Each is compiled once to exact arithmetic; a
function's failures carry that mistake's name when every failing answer is the wrong
form's value there. Three more are read off the answers themselves: floats that are close
but not exact (``float`` inexactness), ``NotImplementedError`` (not implemented), and a
crossover that passes small cases but times out on huge ones (walks ``k`` upward).

>>> from derive.conformance.spec import lab_spec
>>> spec = lab_spec()
>>> [name for name, _ in wrong_forms(spec, spec.function("crossover"))][:2]
['the break-even root (c - 1)/(n - 1) itself', 'the ceiling of the break-even root']
"""

import math
from fractions import Fraction

from ..checker.mistakes import catalogue
from ..engine.evaluate import compile_expression
from ..engine.symbols import k as K

__all__ = ["FLOAT", "NOT_IMPLEMENTED", "WALKS", "name_mistake", "wrong_forms"]

FLOAT = "float inexactness: a float is not the exact value"
NOT_IMPLEMENTED = "not implemented"
WALKS = "walks k upward: right, but too slow for huge values"

_FORMS = {}


def wrong_forms(spec, f):
    """``[(short name, exact function of the model's parameters (and k))]`` for ``f``."""
    key = (id(spec), f.name)
    if key not in _FORMS:
        d = spec.derivation
        params = d.parameters + ((K,) if f.quantity in ("baseline", "amortized") else ())
        forms = []
        for wrong, description, *_guards in catalogue(f.quantity, d):   # a guarded root form
            name = description.split(":")[0].strip()                      # is undefined there too
            try:
                forms.append((name, compile_expression(wrong, params)))
            except TypeError:
                continue
        _FORMS[key] = forms
    return _FORMS[key]


def _value(form, point):
    try:
        return form(*point)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, StopIteration):
        return _UNDEFINED


_UNDEFINED = object()


def name_mistake(spec, f, failures, answered=(), *, timed_out=False):
    """The name of the mistake behind ``failures`` (``(point, expected, answer)``), or ``""``.

    A wrong form names it when it gives the student's answer at every failing point, and
    at every other point answered (``(point, answer)``) where it is defined.
    """
    if timed_out:
        return WALKS if f.quantity == "crossover" and not failures and answered else ""
    if not failures:
        return ""
    answers = [answer for _, _, answer in failures]
    if all(a.kind == "raised" and "NotImplementedError" in a.text for a in answers):
        return NOT_IMPLEMENTED
    values = [a.value if a.kind == "ok" else _UNDEFINED for a in answers]
    if any(isinstance(v, float) for v in values) and all(
            isinstance(v, float) and math.isfinite(v) and expected is not None
            and v == float(expected) for v, (_, expected, _) in zip(values, failures)):
        return FLOAT
    k_index = next((i for i, a in enumerate(f.arguments) if a.parameter == "k"), None)
    if f.quantity == "asymptote":
        extra = _depends_on_more(spec, f, answered)
        if extra:
            return f"an asymptote that depends on {extra}"
    seen = [(point, a.value if a.kind == "ok" else _UNDEFINED, False) for point, a in answered]
    seen += [(point, value, True) for value, (point, _, _) in zip(values, failures)]
    for name, form in wrong_forms(spec, f):
        matched = 0
        for point, value, failed in seen:
            full = f.point(*point) + ([point[k_index]] if k_index is not None else [])
            wrong = _value(form, full)
            if wrong is _UNDEFINED or value is _UNDEFINED:
                continue
            if not _same(wrong, value):
                break
            matched += failed
        else:
            if matched:
                return name
    return ""


def _depends_on_more(spec, f, answered):
    """The parameters the answers vary with although the true asymptote does not."""
    d = spec.derivation
    needed = [i for i, s in enumerate(d.parameters) if s in d.asymptote.free_symbols]
    groups = {}
    for point, answer in answered:
        if answer.kind != "ok" or not isinstance(answer.value, (int, Fraction)):
            continue
        full = f.point(*point)
        groups.setdefault(tuple(full[i] for i in needed), set()).add(answer.value)
    if any(len(values) > 1 for values in groups.values()):
        others = [s.name for i, s in enumerate(d.parameters) if i not in needed]
        return ", ".join(others)
    return ""


def _same(wrong, value):
    if value is None or wrong is None:
        return value is None and wrong is None
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    try:
        return Fraction(value) == Fraction(wrong)
    except (ValueError, OverflowError, TypeError):
        return False
