r"""Check a student's answer against the engine: a verdict decided, never guessed.

==========================  ==========================================================
``check(quantity, answer)``  the :class:`Verdict`: equivalent, not_equivalent, undecided
``Verdict``                  the verdict, the counterexample with both values, a message
``QUANTITIES``               what can be checked: eager_total graph_total break_even
                             crossover asymptote per_call_ratio
``narrow(model, assume)``    a model with its domains narrowed (``n >= 2``, ``c integer``)
==========================  ==========================================================

The answer is text (plain or LaTeX), read by :mod:`derive.text.parse` — never ``eval``. The
verdict is

* ``equivalent`` only when proved over the whole domain: a sympy identity, or z3 over the
  integers and rationals (floors, ceilings, min and max included);
* ``not_equivalent`` only with a concrete counterexample in the domain — the smallest
  found — and the two values there, checked with exact arithmetic;
* ``undecided`` otherwise, said plainly, within a time bound (default 2 s).

An answer wrong in general but right on a narrower domain (integer ``c``, ``n ≥ 2``) is
said to be so, and the classic mistakes are named: the continuous root instead of the
first integer call, the ceiling of the root, ``c + k`` for ``c + k − 1``, an asymptote
that depends on ``c``.

Where the expected value does not exist (the crossover is "never" when ``n = 1`` and
``c ≥ 1``; a root divides by ``n − 1``) the answer must not give a number either: being
undefined there (dividing by ``n − 1``) is right, giving ``2`` is not.

>>> check("crossover", "max(1, floor((c - 1)/(n - 1)) + 1)", assume=["n >= 2"]).verdict
'equivalent'
>>> v = check("crossover", "ceil(c/(n-1))", assume=["n >= 2"])
>>> v.verdict, v.point, v.expected_value, v.answer_value
('not_equivalent', {'n': 2, 'c': Fraction(3, 2)}, 1, 2)
>>> v.narrower
'c integer'
>>> check("crossover", "ceil(c/(n-1))", assume=["n >= 2", "c integer"]).verdict
'equivalent'
>>> check("crossover", "4", bindings={"n": 30, "c": 90}).verdict     # the lab's n = 30, c = 90
'equivalent'
>>> check("crossover", "2", bindings={"c": "n"}, assume=["n >= 2"]).verdict   # c = n: call 2
'equivalent'
"""

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from ..errors import ParseError, blamed, shown
from ..text.parse import decode, parse, parse_relation, screen
from ._cache import cached
from .reading import check_left, split_equation

__all__ = ["QUANTITIES", "Verdict", "check", "narrow", "parse_assumption"]

#: The quantities a student may be asked for, by the lab's names.
QUANTITIES = ("eager_total", "graph_total", "break_even", "crossover", "asymptote", "per_call_ratio")

EQUIVALENT, NOT_EQUIVALENT, UNDECIDED = "equivalent", "not_equivalent", "undecided"
_GENERAL = {"eager_total": "baseline", "graph_total": "amortized", "baseline_total": "baseline",
            "amortized_total": "amortized"}
_WORDS = {"baseline": "{0} total", "amortized": "{1} total", "break_even": "break-even root",
          "crossover": "crossover", "asymptote": "asymptotic speedup",
          "per_call_ratio": "ratio {0}/{1}"}
_KIND = re.compile(r"^\s*([A-Za-z_]\w*)\s+(?:is\s+)?(?:an?\s+)?(integer|whole|rational)s?\s*$")
_NEVER = ("never", "none")
_UNDEFINED = "undefined"
_NO_VALUE = ("none", "undefined", "no root", "never", "does not exist")


@dataclass(frozen=True)
class Verdict:
    """The checker's answer. ``point`` is the counterexample (``{name: int | Fraction}``).

    ``expected_value`` and ``answer_value`` are the values there (``None``: no number —
    "never" or undefined); ``mistake`` names a classic mistake; ``narrower`` a domain on
    which the answer is right (``"c integer"``); ``method`` how it was settled.
    """

    verdict: str
    quantity: str
    answer: object
    message: str
    point: dict = None
    expected_value: object = None
    answer_value: object = None
    mistake: str = None
    narrower: str = None
    method: str = ""

    def to_json(self):
        """The JSON object of ``derive check --format json`` (exact numbers as strings)."""
        point = None if self.point is None else {name: str(v) for name, v in self.point.items()}
        shown = self.point is not None
        return {
            "verdict": self.verdict,
            "counterexample": point,
            "expected_value": _shown(self.expected_value, self.quantity) if shown else None,
            "answer_value": _shown(self.answer_value, self.quantity) if shown else None,
            "message": self.message,
        }

    def __str__(self):
        return self.message


def _shown(value, quantity):
    if value == _UNDEFINED:
        return _UNDEFINED
    if value is None:
        return "never" if quantity == "crossover" else "undefined"
    if value == math.inf:
        return "oo"
    return str(value)


# -- assumptions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Assumption:
    """One ``--assume``: a kind (``c integer``), a lower bound (``n >= 2``), or a relation."""

    text: str
    name: str = ""
    kind: str = None
    lower: Fraction = None
    strict: bool = False
    relation: object = None

    def narrow(self, domain):
        """``domain`` narrowed by this assumption (a kind, or a lower bound)."""
        from ..engine.symbols import Domain

        if self.kind is not None:
            return domain.narrowed(Domain(self.kind, domain.lower, domain.strict))
        return domain.narrowed(Domain(domain.kind, self.lower, self.strict))


def parse_assumption(text, symbols):
    """``n >= 2``, ``c > 1/2``, ``c integer``: a kind, a lower bound, or a relation kept as is.

    >>> from derive.engine.symbols import c, n
    >>> a = parse_assumption("c > 1/2", {"n": n, "c": c})
    >>> a.name, a.lower, a.strict
    ('c', Fraction(1, 2), True)
    >>> parse_assumption("c is an integer", {"n": n, "c": c}).kind
    'integer'
    >>> parse_assumption("c <= n", {"n": n, "c": c}).relation
    c <= n
    """
    if not isinstance(text, str):
        raise TypeError(f"an assumption must be text such as 'n >= 2', got {type(text).__name__}")
    match = _KIND.match(text)
    if match:
        name, kind = match.groups()
        if name not in symbols:
            known = ", ".join(sorted(symbols))
            raise ParseError(f"unknown name {shown(name)} in the assumption {shown(text)}; "
                             f"the names here are: {known}")
        return _Assumption(text.strip(), name, kind={"whole": "integer"}.get(kind, kind))
    relation = parse_relation(text, symbols)
    _require_rational_numbers(relation, text)
    bound = _lower_bound(relation)
    if bound is None:
        return _Assumption(text.strip(), relation=relation)
    symbol, value, strict = bound
    return _Assumption(text.strip(), symbol.name, lower=Fraction(int(value.p), int(value.q)), strict=strict)


def _require_rational_numbers(relation, text):
    """Refuse ``c > oo`` and ``c > sqrt(2)``: bounds must be finite rational numbers."""
    import sympy

    for part in sympy.preorder_traversal(relation):
        if isinstance(part, sympy.Expr) and part.is_number and not part.is_Rational:
            raise ParseError(f"the numbers in an assumption must be finite rational numbers such as "
                             f"2 or 1/2, got {shown(str(part), quoted=False)} in {shown(text.strip())}")


def _lower_bound(relation):
    """``(symbol, number, strict)`` when ``relation`` reads ``symbol > number`` (or ``>=``)."""
    import sympy

    greater = isinstance(relation, (sympy.StrictGreaterThan, sympy.GreaterThan))
    if not (greater or isinstance(relation, (sympy.StrictLessThan, sympy.LessThan))):
        return None
    big, small = (relation.lhs, relation.rhs) if greater else (relation.rhs, relation.lhs)
    if big.is_Symbol and small.is_Rational:
        return big, small, isinstance(relation, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    return None


def _parsed_assumption(text, symbols):
    """:func:`parse_assumption`, its errors naming the assumption: ``assume 'x > 1': …``."""
    try:
        return parse_assumption(text, symbols)
    except (ValueError, TypeError) as error:
        raise blamed(error, f"assume {shown(text)}", "assumption") from None


def narrow(model, assumptions):
    """``(model with narrowed parameter domains, k's domain, relations kept as constraints)``.

    >>> from derive.engine.presets import preset
    >>> m, k_domain, rest = narrow(preset("cuda-graph"), ["n >= 2", "c integer", "c <= 3*n"])
    >>> [str(p.domain) for p in m.parameters], k_domain, rest
    (['integer >= 2', 'integer >= 1'], Domain('integer >= 1'), (c <= 3*n,))
    """
    from ..engine.symbols import COUNT

    parsed = [a if isinstance(a, _Assumption) else _parsed_assumption(a, model.symbols)
              for a in assumptions]
    domains = {p.name: p.domain for p in model.parameters}
    k_domain, relations = COUNT, []
    for a in parsed:
        if a.relation is not None:
            relations.append(a.relation)
        elif a.name == "k":
            k_domain = a.narrow(k_domain)
        elif a.name in domains:
            domains[a.name] = a.narrow(domains[a.name])
        else:
            raise ValueError(f"cannot assume {shown(a.text)}: {a.name} is bound or not a parameter")
    parameters = tuple(replace(p, domain=domains[p.name]) for p in model.parameters)
    if parameters != model.parameters:
        model = replace(model, parameters=parameters)
    return model, k_domain, tuple(relations)


# -- the expected value -------------------------------------------------------------------------

def _quantity(name, model):
    """The general name of ``name``: a QUANTITY, a general name, or ``<label>_total``."""
    if not isinstance(name, str):
        raise TypeError(f"quantity must be a str, got {type(name).__name__}")
    labels = {f"{label}_total": general for label, general in zip(model.labels, ("baseline", "amortized"))}
    table = {**{q: q for q in QUANTITIES}, **_GENERAL, **labels, "baseline": "baseline",
             "amortized": "amortized"}
    general = table.get(name.strip().replace("-", "_"))
    if general is None:
        valid = ", ".join(dict.fromkeys(list(QUANTITIES) + sorted(labels)))
        raise ValueError(f"quantity must be one of {valid}, got {shown(name)}")
    return general


@lru_cache(maxsize=32)
def _derivation(model_name, bindings, assumptions):
    """Cached, in this process and on disk (:mod:`derive.checker._cache`): the derivation of
    a preset with bindings, narrowed by assumptions."""
    from ..engine.presets import preset

    key = repr((model_name, [(name, repr(value)) for name, value in bindings], [getattr(a, "text", a) for a in assumptions]))
    return cached(key, lambda: _derive_narrowed(preset(model_name), dict(bindings), assumptions))


def _derive_narrowed(model, bindings, assumptions):
    from ..engine.derivation import derive

    narrowed, k_domain, relations = narrow(model, assumptions)
    return derive(narrowed, **bindings), k_domain, relations


def _expected_cases(general, derivation):
    """The expected value as ordered cases, each with the guards that keep it defined: the
    root exists only where the saving is not 0, the ratio only where the amortized total is
    not 0 — kept beside the value, so that no cancellation under a binding loses them."""
    import sympy

    if general == "crossover":
        return tuple((case.when, case.value) for case in derivation.crossover)
    if general == "break_even":
        if derivation.break_even is None:
            return ((sympy.true, _UNDEFINED),)
        return ((sympy.true, derivation.break_even, (derivation.saving,)),)
    if general == "per_call_ratio":
        return ((sympy.true, derivation.per_call_ratio, (derivation.amortized,)),)
    value = {"baseline": derivation.baseline, "amortized": derivation.amortized,
             "asymptote": derivation.asymptote}[general]
    return ((sympy.true, value),)


def _read_answer(answer, general, model):
    """The answer as a sympy expression over the unbound model's names (None: "never"),
    or a Piecewise when the student wrote a case split."""
    import sympy

    if isinstance(answer, sympy.Basic):
        return answer
    if not isinstance(answer, str):
        raise TypeError(f"answer must be text or a sympy expression, got {type(answer).__name__}")
    if general == "crossover" and answer.strip().lower() in _NEVER:
        return None
    if answer.strip().lower() in _NO_VALUE:
        return sympy.nan                              # "no root": undefined everywhere
    value = parse(answer, model.symbols)
    _refuse_relation(value, answer)
    if general == "crossover" and value == sympy.oo:
        return None
    if isinstance(value, sympy.Piecewise) or value.has(sympy.Piecewise):
        value = sympy.piecewise_fold(value)
    return value


def _answer_cases(given, bound):
    """The answer as ordered cases with guards, the bindings put in: the answer's own
    denominators are taken before substitution (``(c−1)/(n−1)`` at ``c = n`` is 1 only
    where ``n ≠ 1``), and a case split's ``oo`` is "never"."""
    import sympy

    from ._terms import denominators

    if given is None:
        return None
    pieces = given.args if isinstance(given, sympy.Piecewise) else ((given, sympy.true),)
    cases = []
    for value, condition in pieces:
        guards = tuple(g.xreplace(bound) for g in denominators(value))
        value = value.xreplace(bound)
        if value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
            value = None if value == sympy.oo else _UNDEFINED
        cases.append((condition.xreplace(bound), value, guards))
    return tuple(cases)


# -- check ------------------------------------------------------------------------------------------

def check(quantity, answer, *, model="cuda-graph", bindings=None, assume=(), seconds=2.0):
    """Check ``answer`` for ``quantity`` of ``model``; a :class:`Verdict`.

    ``bindings`` (``{name: value}``, as ``--set``) fix parameters; ``assume`` narrows the
    domains (``"n >= 2"``, ``"c integer"``) or adds relations (``"c <= n"``); ``seconds``
    bounds the time spent proving.

    >>> check("graph_total", "c + k").mistake
    'c + k for c + k - 1: the first call is counted as a capture and again as a replay'
    >>> check("asymptote", "n*c/(c + 1)").mistake
    'an asymptote that depends on c: the limit is n for every c'
    """
    if isinstance(answer, (bytes, bytearray)):
        answer = decode(answer)
    left = None
    if isinstance(answer, str):
        left, answer = split_equation(answer)
        if answer.strip().lower() not in _NEVER + _NO_VALUE:
            screen(answer)              # hostile text is refused here, before sympy loads
    from ..engine.model import Model
    from ..engine.presets import preset

    base = preset(model) if isinstance(model, str) else model
    if not isinstance(base, Model):
        raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
    general = _quantity(quantity, base)
    check_left(left, general, base.labels)
    given = _read_answer(answer, general, base)
    bindings = dict(bindings or {})
    assumptions = tuple(a if isinstance(a, _Assumption) else _parsed_assumption(a, base.symbols)
                        for a in assume)
    derivation, k_domain, relations = _derive(model, base, bindings, assumptions)
    bound = _bound_symbols(base, derivation)
    cases = _answer_cases(given, bound)
    written = given
    if given is not None:
        given = given.xreplace(bound)
    problem = _Problem(general, derivation, k_domain, relations, given, cases, written)
    return _verdict(problem, quantity, seconds, (model, base, bindings, assumptions))


def _refuse_relation(given, text):
    """An answer is a value: a relation (other than an equation naming the quantity) is refused."""
    import sympy

    if isinstance(given, (sympy.Rel, sympy.And, sympy.Or, sympy.Not, sympy.logic.boolalg.BooleanAtom)):
        raise ParseError(f"the answer {str(text).strip()!r} is a relation, not a value; write the value, or "
                         f"an equation with the quantity asked for on the left (k = ..., E(k) = ...)")


def _bound_symbols(base, derivation):
    return {p.symbol: derivation.model.bindings[p.name] for p in base.parameters
            if p.name in derivation.model.bindings}


def _derive(model, base, bindings, assumptions):
    if isinstance(model, str):
        order = [p.name for p in base.parameters]
        key = tuple(sorted(bindings.items(),
                           key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order)))
        try:
            return _derivation(model, key, assumptions)
        except TypeError:                                 # unhashable values: no cache
            pass
    return _derive_narrowed(base, bindings, assumptions)


@dataclass(frozen=True)
class _Problem:
    general: str
    derivation: object
    k_domain: object
    relations: tuple
    answer: object
    answer_cases: tuple = None
    written: object = None          # the answer as typed, before the bindings went in

    @property
    def cases(self):
        return _expected_cases(self.general, self.derivation)

    @property
    def compared(self):
        """The answer as :func:`_decide.compare` takes it: cases with their guards."""
        return self.answer_cases if self.answer is not None else None

    @property
    def domains(self):
        from ..engine.symbols import k

        table = {p.symbol: p.domain for p in self.derivation.model.parameters}
        table[k] = self.k_domain
        return table

    @property
    def every_variable(self):
        """Every free parameter (and ``k`` where used): what a named mistake may mention."""
        from ..engine.symbols import k

        return tuple(p.symbol for p in self.derivation.model.parameters) + \
            ((k,) if k in self.variables else ())

    @property
    def variables(self):
        from ..engine.symbols import k

        used = _free(self.answer).union(*(r.free_symbols for r in self.relations))
        for case in self.cases + (self.answer_cases or ()):
            used |= _free(case[0]) | _free(case[1])
            for guard in (case[2] if len(case) > 2 else ()):
                used |= _free(guard)
        return tuple(p.symbol for p in self.derivation.model.parameters if p.symbol in used) + \
            ((k,) if k in used else ())


def _free(expr):
    return set() if expr is None or isinstance(expr, (bool, str)) else set(expr.free_symbols)


def _verdict(problem, quantity, seconds, again):
    from . import _decide

    deadline = _decide.Deadline(seconds)
    outcome = _decide.compare(problem.variables, problem.domains, problem.cases, problem.compared,
                              assumptions=problem.relations, seconds=seconds)
    if outcome.status == _decide.PROVED:
        _require_points(problem, outcome, deadline)
        return Verdict(EQUIVALENT, quantity, problem.answer, _proved_text(problem, outcome),
                       method=outcome.method)
    if outcome.status == _decide.UNKNOWN:
        return Verdict(UNDECIDED, quantity, problem.answer, _undecided_text(problem, outcome, seconds),
                       method=outcome.method)
    from .mistakes import classic_mistake

    mistake = classic_mistake(problem, _decide)
    if mistake is not None:
        outcome = _showing(problem, outcome, deadline)
    point = _full_point(problem, again[1], outcome.point)
    expected, given = (_value(v) for v in (outcome.left, outcome.right))
    narrower = _narrower_domain(problem, outcome, again, deadline)
    message = _refuted_text(problem, point, expected, given, mistake, narrower)
    return Verdict(NOT_EQUIVALENT, quantity, problem.answer, message, point, expected, given,
                   mistake, narrower, outcome.method)


def _value(value):
    """A value of :mod:`_decide` for the verdict: a number, None ("never") or "undefined"."""
    from . import _decide

    if value is _decide.NEVER or value == math.inf:
        return None
    return _UNDEFINED if value is _decide.NONE else value


def _showing(problem, outcome, deadline):
    """A counterexample that shows the named mistake: both sides numbers, the answer a
    plausible value (a call k >= 1 for the crossover) — the tie n = 2, c = 2 for the ceiling
    of the root rather than n = 1, where it is undefined. The first found in the search's
    order (smallest first); ``outcome`` itself when there is none."""
    from . import _decide

    if outcome.left not in (_decide.NONE, _decide.NEVER) and outcome.right not in (_decide.NONE, _decide.NEVER) \
            and (problem.general != "crossover" or outcome.right >= 1):
        return outcome
    found = _decide.first_disagreement(problem.variables, problem.domains, problem.cases, problem.compared,
                                       assumptions=problem.relations, seconds=min(0.5, deadline.left()),
                                       wanted=lambda left, right: problem.general != "crossover" or right >= 1)
    return found or outcome


def _full_point(problem, base, found):
    """The counterexample with the bound parameters' values too, in the model's order.

    A binding may refer to a free parameter (``c = 3*n``): its value is taken at the point
    (``n = 1`` gives ``c = 3``), so the counterexample names numbers, never expressions.
    """
    from ..text.exact import to_sympy
    from . import _decide

    found = dict(found)
    for p in problem.derivation.model.parameters:          # a parameter the answer does not use
        if p.symbol not in found:
            found[p.symbol] = _decide.smallest(p.domain)
    values = {symbol.name: value for symbol, value in found.items()}
    point = {symbol: to_sympy(value, symbol.name) for symbol, value in found.items()}
    for name, binding in problem.derivation.model.bindings.items():
        value = to_sympy(binding, name).xreplace(point)
        values[name] = (int(value) if value.is_Integer else Fraction(int(value.p), int(value.q))
                        if value.is_Rational else value)
    order = [p.name for p in base.parameters] + ["k"]
    return {name: values[name] for name in sorted(values, key=lambda m: order.index(m) if m in order else len(order))}


def _require_points(problem, outcome, deadline):
    """Refuse assumptions that leave no point at all: "equivalent" would be vacuous."""
    if not outcome.searched:
        require_points(problem.variables, problem.domains, problem.relations, deadline.left())


def require_points(variables, domains, relations, seconds):
    """Raise ``ValueError`` when ``relations`` leave no point of ``domains`` (z3 says so)."""
    if not relations:
        return
    from . import _decide

    if _decide.satisfiable(variables, domains, relations, seconds=max(0.2, seconds)) is False:
        shown = "; ".join(map(str, relations))
        raise ValueError(f"the assumptions ({shown}) leave no values of the parameters to check")


def _narrower_domain(problem, outcome, again, deadline):
    """An assumption under which the answer is right: ``c integer``, or ``n > 1``.

    Tried: each variable above the value the counterexample took at the bottom of its
    domain, then each rational parameter as an integer. At most three, within the time left.
    """
    from . import _decide

    model, base, bindings, assumptions = again
    tries = [f"{symbol.name} > {value}" for symbol, value in outcome.point.items()
             if value == _decide.smallest(problem.domains[symbol]) and symbol.name in base.symbols]
    tries += [f"{p.name} integer" for p in problem.derivation.model.parameters if p.domain.kind != "integer"]
    for text in tries[:3]:
        if deadline.left() < 0.05:
            break
        try:
            derivation, k_domain, relations = _derive(model, base, bindings, assumptions + (text,))
        except (ValueError, TypeError):
            continue
        narrowed = replace(problem, derivation=derivation, k_domain=k_domain, relations=relations)
        found = _decide.compare(narrowed.variables, narrowed.domains, narrowed.cases, narrowed.compared,
                                assumptions=relations, seconds=min(1.0, deadline.left()))
        if found.status == _decide.PROVED and _has_points(narrowed, relations, found, deadline):
            return text
    return None


def _has_points(problem, relations, outcome, deadline):
    """Whether a proof under ``relations`` is about some point, not vacuous (c < 1, c integer)."""
    from . import _decide

    if outcome.searched or not relations:
        return True
    return _decide.satisfiable(problem.variables, problem.domains, relations,
                               seconds=max(0.2, min(1.0, deadline.left()))) is True


# -- messages ----------------------------------------------------------------------------------------

def _name(problem):
    labels = problem.derivation.model.labels
    return _WORDS[problem.general].format(*labels)


def _domain_text(problem):
    parts = [f"{s.name} {d}" for s, d in problem.domains.items() if s in problem.variables]
    parts += [str(r) for r in problem.relations]
    bound = ", ".join(f"{name} = {value}" for name, value in problem.derivation.model.bindings.items())
    text = ", ".join(parts)
    if bound:
        text = f"{text} (with {bound})" if text else bound
    return text


def _proved_text(problem, outcome):
    how = {"sympy": "a sympy identity", "z3": "z3, over the integers and rationals"}.get(
        outcome.method, outcome.method)
    where = f"for every {_domain_text(problem)}" if problem.variables else f"at {_domain_text(problem)}"
    answer = "never" if problem.answer is None else problem.answer
    return f"equivalent: {answer} equals the {_name(problem)} {where} (proved by {how})."


def _undecided_text(problem, outcome, seconds):
    return (f"undecided: no counterexample among the {outcome.searched} smallest points of the "
            f"domain ({_domain_text(problem)}), and no proof within {seconds:g} s ({outcome.reason}). "
            f"The answer may be right or wrong; narrowing the domain with --assume may settle it.")


def _expected_phrase(problem, value):
    if value == _UNDEFINED:
        return f"the {_name(problem)} does not exist (a division by zero: {_guard_text(problem)})"
    if value is None:
        if problem.general == "crossover":
            return f"there is no crossover (the {problem.derivation.model.labels[1]} total never gets cheaper)"
        return f"the {_name(problem)} is undefined"
    return f"the {_name(problem)} is {'oo' if value == math.inf else value}"


def _guard_text(problem):
    if problem.general == "break_even":
        saving = problem.derivation.saving
        return "the totals are parallel, the saving per call is 0" if saving.is_number else \
            f"the totals are parallel, the saving per call {saving} is 0"
    if problem.general == "per_call_ratio":
        return f"the {problem.derivation.model.labels[1]} total {problem.derivation.amortized} is 0"
    return "undefined"


def _answer_phrase(problem, value):
    answer = problem.answer
    if answer is None:
        return "the answer says never"
    if value is None:
        return "the answer says never"
    if value == _UNDEFINED:
        shown = problem.written if problem.written is not None else answer
        return f"{shown} is undefined there (a division by zero)"
    shown = "oo" if value == math.inf else value
    return f"the answer is {shown}" if not answer.free_symbols else f"{answer} gives {shown}"


def _refuted_text(problem, point, expected, given, mistake, narrower):
    where = ", ".join(f"{name} = {value}" for name, value in point.items())
    text = (f"not equivalent: at {where} {_expected_phrase(problem, expected)}, "
            f"but {_answer_phrase(problem, given)}.")
    if expected is None and given == _UNDEFINED:
        text += (" Undefined is not \"never\": write the case split (a value if n > 1, never otherwise), "
                 "or check on the narrower domain with --assume 'n >= 2'.")
    if narrower:
        words = narrower.replace(" integer", " is an integer")
        text += f" It is right when {words} (--assume '{narrower}')."
    if mistake:
        text += f" Classic mistake: {mistake}."
    return text
