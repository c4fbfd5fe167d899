"""Deciding, not guessing: does a formula agree with another over a whole domain?

The checker (:mod:`derive.checker.answer`) and the derivation steps (:mod:`derive.checker.steps`) ask two
questions over parameters with domains (``n`` integer ≥ 1, ``c`` rational > 0, …) and
some extra assumptions:

* :func:`compare` — does ``answer`` equal ``expected`` (ordered cases, like
  ``Piecewise``; a case's value ``None`` means there is no number there, e.g. "never")?
* :func:`follows` — does the relation ``conclusion`` hold wherever ``premise`` does?

The answer is an :class:`Outcome`: ``proved`` (sympy identity, or z3 over integers and
rationals), ``refuted`` with a concrete point, checked exactly, and both sides' values,
or ``unknown`` with the reason. Never the second without the point, never the first
without a proof.

Algorithm notes. (1) Search: walk the small points of the domain in order of size —
integers from their lower bound, rationals by height (``1, 1/2, 2, 1/3, 2/3, 3/2, 3…``)
— evaluating both sides exactly (:func:`derive.engine.evaluate.compile_expression`); the first
disagreement is the smallest counterexample we can name. (2) SymPy: when every case
value minus the answer cancels to 0 and every denominator has a known sign, the identity
is proved. (3) z3: the negation of the claim, with the domains and assumptions, is handed
to z3 (:mod:`derive.checker._z3`) under a timeout: unsat proves the claim; a model is a
counterexample once evaluated exactly (then shrunk a little); unknown is undecided.
Undefined points (a denominator 0) count: an answer undefined where the expected value
exists is wrong there.
"""

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy

from .. import alarm
from ..engine.conditions import sign
from ..engine.evaluate import TooLarge, compile_expression
from ._terms import denominators

__all__ = ["NEVER", "NONE", "UNDEFINED", "Outcome", "compare", "first_disagreement", "follows", "same_values",
           "satisfiable", "smallest", "side"]

PROVED, REFUTED, UNKNOWN = "proved", "refuted", "unknown"
_INTEGER_POINTS = 8        # integers tried per parameter, from its lower bound up
_RATIONAL_POINTS = 16      # simple fractions tried per rational parameter
_SHRINK_ROUNDS = 4         # attempts to make a z3 counterexample smaller
_SEARCH_POINTS = 2048      # points the search tries at most
_SEARCH_SHARE = 0.3        # of the time budget


class _NoValue:
    """No number at this point: a denominator is 0, or the expected case says "never"."""

    def __repr__(self):
        return "NONE"


NONE = _NoValue()


class _Never:
    """No number at this point because the event never happens (the crossover: "never")."""

    def __repr__(self):
        return "NEVER"


NEVER = _Never()
#: A case value: no number, undefined (as opposed to ``None``: never).
UNDEFINED = "undefined"


class _Skip(Exception):
    """This point cannot be evaluated exactly within bounds (``k^n`` too large): skip it."""


@dataclass(frozen=True)
class Outcome:
    """What :func:`compare` or :func:`follows` found.

    ``point`` is ``{symbol: int | Fraction}`` for a refutation (else None); ``left`` and
    ``right`` are the two sides there (values, ``NONE`` or truth values); ``method`` says
    how it was settled (``search``, ``sympy``, ``z3``); ``reason`` why it was not.
    """

    status: str
    point: dict = None
    left: object = None
    right: object = None
    method: str = ""
    reason: str = ""
    searched: int = 0


class _OutOfTime(Exception):
    pass


class Deadline:
    """A budget of seconds shared by every step of one decision."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return max(0.0, self.end - time.monotonic())

    def expired(self):
        return time.monotonic() >= self.end


@contextmanager
def time_limit(seconds):
    """Interrupt the sympy work inside after ``seconds`` (raises ``_OutOfTime``).

    Where no signal timer can be used (see :mod:`derive.alarm`) the work runs unbounded:
    the parser's limits keep it small, and z3 has its own timeout.
    """
    if seconds <= 0:
        raise _OutOfTime()
    with alarm.time_limit(seconds, _OutOfTime):
        yield


# -- the points of a domain ---------------------------------------------------------------

@lru_cache(maxsize=64)
def _candidates(domain):
    """The small values of ``domain``, simplest first."""
    low = domain.lower
    if domain.kind == "integer":
        start = math.ceil(low) + (1 if domain.strict and low == math.ceil(low) else 0)
        return tuple(range(start, start + _INTEGER_POINTS))
    values = set()
    for q in range(1, 4):
        for p in range(math.floor(low * q) - 1, math.floor((low + 8) * q) + 2):
            value = Fraction(p, q)
            if value > low or (value == low and not domain.strict):
                values.add(value)
    ordered = sorted(values, key=lambda v: (max(abs(v.numerator), v.denominator), v))
    return tuple(v.numerator if v.denominator == 1 else v for v in ordered[:_RATIONAL_POINTS])


def _diagonal(sizes):
    """Index tuples below ``sizes``, smallest total first, then in lexicographic order.

    Lazy: the search stops long before the product of the sizes, which grows
    exponentially with the number of parameters.
    """
    for total in range(sum(size - 1 for size in sizes) + 1):
        yield from _with_total(sizes, total)


def _with_total(sizes, total):
    if not sizes:
        if total == 0:
            yield ()
        return
    rest = sum(size - 1 for size in sizes[1:])
    for first in range(max(0, total - rest), min(total, sizes[0] - 1) + 1):
        for tail in _with_total(sizes[1:], total - first):
            yield (first,) + tail


def smallest(domain):
    """The first value the search tries in ``domain`` (its least integer, or simplest rational)."""
    return _candidates(domain)[0]


def _points(variables, domains):
    columns = [_candidates(domains[v]) for v in variables]
    for index in _diagonal(tuple(len(c) for c in columns)):
        yield tuple(column[i] for column, i in zip(columns, index))


def _search_points(variables, domains, deadline):
    """The points the search tries: at most :data:`_SEARCH_POINTS`, in at most
    :data:`_SEARCH_SHARE` of the time left, so that the proofs keep their turn."""
    stop = time.monotonic() + _SEARCH_SHARE * deadline.left()
    for count, point in enumerate(_points(variables, domains)):
        if count >= _SEARCH_POINTS or (count % 64 == 0 and time.monotonic() >= stop):
            return
        yield point


# -- exact evaluation ----------------------------------------------------------------------

@lru_cache(maxsize=512)
def _compiled(expr, variables):
    return compile_expression(expr, variables)


def _predicate(condition, variables):
    """A condition as an exact function of the point (a tuple in ``variables`` order)."""
    compiled = _compiled(condition, variables)
    return lambda point: compiled(*point)


def _evaluator(expr, variables, guards=()):
    """An exact function of the point; ``NONE`` where undefined (a denominator, or one of
    ``guards``, is 0); raises ``_Skip`` where it cannot be evaluated within bounds."""
    if expr is None:
        return lambda point: NONE
    try:
        compiled = _compiled(expr, variables)
    except TypeError:                                 # square roots: sympy, slowly
        return _guarded(_sympy_evaluator(expr, variables), guards, variables)

    def value(point):
        try:
            result = compiled(*point)
        except TooLarge:
            raise _Skip() from None
        except (ZeroDivisionError, OverflowError, ValueError):
            return NONE
        if isinstance(result, float) and math.isnan(result):
            return NONE
        return result
    return _guarded(value, guards, variables)


def _guarded(value, guards, variables):
    """``value``, but ``NONE`` wherever one of ``guards`` is 0 (or itself undefined)."""
    checks = [_compiled(g, variables) for g in guards if not g.is_number]
    if not checks:
        return value

    def guarded(point):
        for check in checks:
            try:
                if check(*point) == 0:
                    return NONE
            except (ZeroDivisionError, ValueError):
                return NONE
            except TooLarge:
                raise _Skip() from None
        return value(point)
    return guarded


def _sympy_evaluator(expr, variables):
    def value(point):
        try:
            exact = expr.xreplace({v: _as_sympy(x) for v, x in zip(variables, point)})
        except (ValueError, TypeError, ZeroDivisionError):     # e.g. Max(zoo, 1)
            return NONE
        if exact.has(sympy.zoo, sympy.nan) or exact.is_real is False:
            return NONE
        if exact.is_Rational:
            return int(exact) if exact.is_Integer else Fraction(int(exact.p), int(exact.q))
        if exact in (sympy.oo, -sympy.oo):
            return math.inf if exact is sympy.oo else -math.inf
        if exact.is_Boolean or exact in (sympy.true, sympy.false):
            return bool(exact)
        return exact                                  # an irrational number, kept symbolic
    return value


def _as_sympy(value):
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    return value


def _equal(a, b):
    """Exact equality; ``None`` when two irrational numbers cannot be told apart."""
    if isinstance(a, sympy.Basic) or isinstance(b, sympy.Basic):
        if isinstance(a, float) or isinstance(b, float):
            return False                              # an irrational number is not infinite
        difference = _as_sympy(a) - _as_sympy(b)
        return None if difference.is_zero is None else bool(difference.is_zero)
    return a == b


# -- compare --------------------------------------------------------------------------------

def side(cases):
    """Ordered cases in normal form: ``((condition, value, guards), ...)``.

    ``cases`` is an expression, ``None`` (never, everywhere), or ordered cases
    ``(condition, value)`` or ``(condition, value, guards)``; a value is an expression,
    ``None`` (never) or :data:`UNDEFINED`. ``guards`` are expressions that must be non-zero
    for the value to exist, besides its own denominators: what a binding or a
    simplification cancelled away (``(n − 1)/(n − 1)`` is 1, but only where ``n ≠ 1``).
    """

    if cases is None or isinstance(cases, sympy.Basic):
        cases = ((sympy.true, cases),)
    normal = []
    for case in cases:
        condition, value = case[0], case[1]
        guards = frozenset(case[2]) if len(case) > 2 else frozenset()
        if isinstance(value, sympy.Basic):
            guards = frozenset(g for g in guards | denominators(value) if not g.is_number)
        normal.append((condition, value, guards))
    return tuple(normal)


@dataclass(frozen=True)
class _Comparison:
    variables: tuple
    domains: dict
    assumptions: tuple
    cases: tuple            # side(): ((condition, value or None or UNDEFINED, guards), ...)
    answer: tuple           # side() too
    strict_none: bool       # where expected has no number, the answer must have none either


def _at(cases, point):
    for condition, value in cases:
        try:
            holds = condition(point)
        except (ZeroDivisionError, TypeError):
            return NONE
        if holds:
            return value(point)
    return NONE


_expected_at = _at


def _agree(expected, answer, strict_none):
    """The strict rule: a number equals a number; "never" only "never" (or ``oo``);
    undefined only undefined. Without ``strict_none`` no number expected accepts anything."""
    if answer == math.inf and expected is NEVER:
        return True
    if expected is NONE or expected is NEVER:
        return not strict_none or answer is expected
    if answer is NONE or answer is NEVER:
        return False
    return _equal(expected, answer)


def _holds(conditions, point):
    try:
        return all(condition(point) for condition in conditions)
    except (ZeroDivisionError, TypeError):
        return False


def _compiled_cases(cases, variables):
    compiled = []
    for condition, value, guards in cases:
        test = _predicate(condition, variables)
        if value is None:
            compiled.append((test, lambda point: NEVER))
        elif isinstance(value, str):
            compiled.append((test, lambda point: NONE))
        else:
            compiled.append((test, _evaluator(value, variables, tuple(guards))))
    return compiled


def compare(variables, domains, cases, answer, *, assumptions=(), strict_none=True, seconds=2.0):
    """Whether ``answer`` equals the ordered ``cases`` over the domains; an :class:`Outcome`.

    ``left`` is the expected value at the counterexample, ``right`` the answer's.

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, n
    >>> root = (c - 1)/(n - 1)
    >>> cases = ((c < 1, sympy.Integer(1)), (n > 1, sympy.floor(root) + 1), (sympy.true, None))
    >>> domains = {n: COUNT, c: POSITIVE_RATIONAL}
    >>> outcome = compare((n, c), domains, cases, sympy.ceiling(root))   # undefined is not never
    >>> outcome.status, outcome.point, outcome.left, outcome.right
    ('refuted', {n: 1, c: 1}, NEVER, NONE)
    >>> outcome = compare((n, c), domains, cases, sympy.ceiling(root), assumptions=(n >= 2,))
    >>> outcome.status, outcome.point, outcome.left, outcome.right
    ('refuted', {n: 2, c: 1}, 1, 0)
    >>> compare((n, c), domains, cases, sympy.Max(1, sympy.floor(root) + 1),
    ...         assumptions=(n >= 2,)).status
    'proved'
    """
    problem = _Comparison(tuple(variables), dict(domains), tuple(assumptions), side(cases),
                          side(answer), strict_none)
    try:
        return _compare(problem, Deadline(seconds))
    except _OutOfTime:                                # an alarm that fired on the way out
        return Outcome(UNKNOWN, reason="the time ran out")


def _compare(problem, deadline):
    try:                                              # an identity first: no search can refute it
        if _sympy_identity(problem, deadline):
            return Outcome(PROVED, method="sympy")
    except _OutOfTime:
        pass
    found = _search_comparison(problem, deadline)
    if found.status == REFUTED or deadline.expired():
        return found if found.status == REFUTED else _unknown(found, "the time ran out")
    proved = _z3_comparison(problem, deadline)
    return _merge(proved, found)


def _search_comparison(problem, deadline):
    variables = problem.variables
    cases = _compiled_cases(problem.cases, variables)
    answer = _compiled_cases(problem.answer, variables)
    assumptions = [_predicate(a, variables) for a in problem.assumptions]
    searched = 0
    for point in _search_points(variables, problem.domains, deadline):
        if not _holds(assumptions, point):
            continue
        try:
            expected, given = _at(cases, point), _at(answer, point)
        except _Skip:
            continue
        searched += 1
        if _agree(expected, given, problem.strict_none) is False:
            return Outcome(REFUTED, dict(zip(variables, point)), expected, given, "search",
                           searched=searched)
    return Outcome(UNKNOWN, searched=searched)


def first_disagreement(variables, domains, cases, answer, *, assumptions=(), seconds=0.5, wanted=None):
    """The first point of the search where both sides are numbers, they differ, and
    ``wanted(left, right)`` holds: an :class:`Outcome` (refuted), or None."""
    variables = tuple(variables)
    expected = _compiled_cases(side(cases), variables)
    given = _compiled_cases(side(answer), variables)
    checks = [_predicate(a, variables) for a in assumptions]
    for point in _search_points(variables, domains, Deadline(seconds / _SEARCH_SHARE)):
        if not _holds(checks, point):
            continue
        try:
            left, right = _at(expected, point), _at(given, point)
        except _Skip:
            continue
        if any(v is NONE or v is NEVER or v == math.inf for v in (left, right)):
            continue
        if _equal(left, right) is False and (wanted is None or wanted(left, right)):
            return Outcome(REFUTED, dict(zip(variables, point)), left, right, "search")
    return None


def _known_sign(expressions, domains):
    return all(sign(e, domains) in (1, -1) for e in expressions)


def _sympy_identity(problem, deadline):
    """One value each side, their difference cancels to 0, and they are defined at the same
    points: every guard has a known sign, or the two sides have the same guards."""
    if len(problem.answer) != 1 or len(problem.cases) != 1:
        return False
    (_, answer, mine), (_, value, theirs) = problem.answer[0], problem.cases[0]
    if not (isinstance(answer, sympy.Expr) and isinstance(value, sympy.Expr)):
        return False
    with time_limit(min(0.5, deadline.left())):
        if sympy.cancel(sympy.together(value - answer)) != 0:
            return False
        unknown = [{g for g in guards if sign(g, problem.domains) not in (1, -1)} for guards in (mine, theirs)]
        return _same_guards(*unknown)


def _same_guards(first, second):
    """Whether each guard of one side is a constant multiple of one of the other's."""
    def covered(a, b):
        return all(any(sympy.cancel(g / h).is_number for h in b) for g in a)
    return covered(first, second) and covered(second, first)


def _z3_comparison(problem, deadline):
    try:
        import z3

        from ._z3 import Translator, Untranslatable
    except ImportError:                                # pragma: no cover - z3 is required
        return Outcome(UNKNOWN, reason="z3 is not installed")
    try:
        with time_limit(deadline.left()):
            t = Translator(problem.domains)
            bad = _z3_bad_comparison(t, problem, denominators)
            facts = t.domain() + _assumed(t, problem.assumptions)
    except Untranslatable as error:
        return Outcome(UNKNOWN, reason=str(error))
    except _OutOfTime:
        return Outcome(UNKNOWN, reason="the time ran out")

    cases = _compiled_cases(problem.cases, problem.variables)
    answer = _compiled_cases(problem.answer, problem.variables)

    def check_point(point):
        expected = _at(cases, point)
        given = _at(answer, point)
        return _agree(expected, given, problem.strict_none) is False, expected, given

    return _z3_solve(z3, t, facts, bad, problem.variables,
                     _within(problem.assumptions, problem.variables, check_point), deadline)


def _assumed(t, assumptions):
    """The assumptions as z3 facts: each holds only where it is defined (no denominator 0)."""
    import z3


    return [z3.And(t.nonzero(denominators(a)), t.boolean(a)) for a in assumptions]


def _within(assumptions, variables, check_point):
    """``check_point``, claiming nothing at a point where the assumptions do not hold exactly."""
    assumed = [_predicate(a, variables) for a in assumptions]

    def checked(point):
        if not _holds(assumed, point):
            return False, None, None
        return check_point(point)
    return checked


def _z3_states(t, cases):
    """Each case as ``(applies, has a number, never, undefined, value)`` in z3 terms."""
    import z3

    earlier, states = [], []
    for condition, value, guards in cases:
        holds = t.boolean(condition)
        applies = z3.And([holds] + [z3.Not(e) for e in earlier])
        earlier.append(holds)
        if value is None:
            states.append((applies, z3.BoolVal(False), z3.BoolVal(True), z3.BoolVal(False), None))
        elif isinstance(value, str):
            states.append((applies, z3.BoolVal(False), z3.BoolVal(False), z3.BoolVal(True), None))
        else:
            defined = t.nonzero(guards)
            states.append((applies, defined, z3.BoolVal(False), z3.Not(defined), value))
    none_applies = z3.Not(z3.Or(earlier)) if earlier else z3.BoolVal(True)
    states.append((none_applies, z3.BoolVal(False), z3.BoolVal(False), z3.BoolVal(True), None))
    return states


def _z3_bad_comparison(t, problem, denominators):
    """Some point where the two sides disagree, by the rule of :func:`_agree`."""
    import z3

    bad = []
    for e_applies, e_value, e_never, e_none, expected in _z3_states(t, problem.cases):
        for a_applies, a_value, a_never, a_none, answer in _z3_states(t, problem.answer):
            both = z3.And(e_applies, a_applies)
            wrong = [z3.And(e_value, z3.Not(a_value))]
            if expected is not None and answer is not None:
                differs = t.boolean(sympy.Ne(expected, answer, evaluate=False))
                wrong.append(z3.And(e_value, a_value, differs))
            if problem.strict_none:
                wrong += [z3.And(e_never, z3.Not(a_never)), z3.And(e_none, z3.Not(a_none))]
            bad.append(z3.And(both, z3.Or(wrong)))
    return z3.Or(bad)


def _z3_solve(z3, t, facts, bad, variables, check_point, deadline):
    """unsat: proved; a model checked exactly: refuted (then shrunk); else unknown."""
    from ._z3 import model_value, number

    solver = z3.Solver()
    solver.add(*facts, *t.side, bad)
    best = None
    for _ in range(1 + _SHRINK_ROUNDS):
        milliseconds = int(deadline.left() * 1000)
        if milliseconds <= 0:
            break
        solver.set("timeout", milliseconds)
        verdict = solver.check()
        if verdict == z3.unsat:
            return Outcome(PROVED, method="z3") if best is None else best
        if verdict != z3.sat:
            break
        model = solver.model()
        point = tuple(model_value(model.eval(t.variables[v], model_completion=True)) for v in variables)
        if None in point:
            break
        try:
            wrong, left, right = check_point(point)
        except Exception:                              # an exact check that fails: no claim
            wrong = False
        if not wrong:
            break
        best = Outcome(REFUTED, dict(zip(variables, point)), left, right, "z3")
        size = z3.Sum([t.real(v) for v in variables])
        solver.add(size < number(sum(Fraction(x) for x in point)))
    if best is not None:
        return best
    return Outcome(UNKNOWN, reason="z3 could not settle it in the time allowed")


def _unknown(found, reason):
    return Outcome(UNKNOWN, reason=reason, searched=found.searched)


def _merge(outcome, found):
    return Outcome(outcome.status, outcome.point, outcome.left, outcome.right, outcome.method,
                   outcome.reason, found.searched)


# -- follows ----------------------------------------------------------------------------------

def _normal_relation(rel):
    """``(op, lhs − rhs)`` with ``>``/``>=`` turned round into ``<``/``<=``."""
    flipped = {sympy.StrictGreaterThan: sympy.StrictLessThan, sympy.GreaterThan: sympy.LessThan}
    if type(rel) in flipped:
        return flipped[type(rel)], rel.rhs - rel.lhs
    return type(rel), rel.lhs - rel.rhs


def _same_relation(premise, conclusion, domains):
    """The conclusion is the premise rearranged: same kind, differences a positive multiple."""

    if not (isinstance(premise, sympy.Rel) and isinstance(conclusion, sympy.Rel)):
        return False
    (op1, d1), (op2, d2) = _normal_relation(premise), _normal_relation(conclusion)
    if op1 is not op2 or not _known_sign(denominators(conclusion) - denominators(premise), domains):
        return False
    ratio = sympy.cancel(sympy.together(d1 / d2)) if d2 != 0 else None
    if ratio is None or not ratio.is_number:
        return False
    return ratio.is_positive or (op1 in (sympy.Eq, sympy.Ne) and ratio != 0)


def follows(variables, domains, premise, conclusion, *, assumptions=(), guards=((), ()), seconds=2.0):
    """Whether ``conclusion`` holds (and is defined) wherever ``premise`` holds; an :class:`Outcome`.

    ``left`` is the premise's truth at the counterexample (True), ``right`` the conclusion's
    (False, or ``NONE`` when undefined there).

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, k, n
    >>> domains = {n: COUNT, c: POSITIVE_RATIONAL, k: COUNT}
    >>> outcome = follows((n, c, k), domains, c - 1 < k*(n - 1), k > (c - 1)/(n - 1))
    >>> outcome.status, outcome.point, outcome.right
    ('refuted', {n: 1, c: Fraction(1, 2), k: 1}, NONE)
    >>> follows((n, c, k), domains, c - 1 < k*(n - 1), k > (c - 1)/(n - 1),
    ...         assumptions=(n > 1,)).status
    'proved'
    """
    try:
        return _follows(tuple(variables), domains, premise, conclusion, assumptions, guards, Deadline(seconds))
    except _OutOfTime:                                # an alarm that fired on the way out
        return Outcome(UNKNOWN, reason="the time ran out")


def _follows(variables, domains, premise, conclusion, assumptions, guards, deadline):
    first = _evaluator(premise, variables, tuple(guards[0]))
    second = _evaluator(conclusion, variables, tuple(guards[1]))
    checks = [_predicate(a, variables) for a in assumptions]
    searched = 0
    for point in _search_points(variables, domains, deadline):
        try:
            if not _holds(checks, point) or first(point) is not True:
                continue
            searched += 1
            result = second(point)
        except _Skip:
            continue
        if result is not True:
            return Outcome(REFUTED, dict(zip(variables, point)), True, result, "search",
                           searched=searched)
    unknown = {g for g in guards[1] if sign(g, domains) not in (1, -1)}
    try:
        with time_limit(min(0.5, deadline.left())):
            if not unknown and _same_relation(premise, conclusion, domains):
                return Outcome(PROVED, method="sympy", searched=searched)
    except _OutOfTime:
        pass
    outcome = _z3_follows(variables, domains, premise, conclusion, assumptions, guards, deadline)
    return Outcome(outcome.status, outcome.point, outcome.left, outcome.right, outcome.method,
                   outcome.reason, searched)


def _z3_follows(variables, domains, premise, conclusion, assumptions, guards, deadline):
    import z3

    from ._z3 import Translator, Untranslatable

    try:
        with time_limit(deadline.left()):
            t = Translator(domains)
            premise_holds = z3.And(t.nonzero(denominators(premise) | set(guards[0])), t.boolean(premise))
            conclusion_holds = z3.And(t.nonzero(denominators(conclusion) | set(guards[1])),
                                      t.boolean(conclusion))
            facts = t.domain() + _assumed(t, assumptions) + [premise_holds]
    except Untranslatable as error:
        return Outcome(UNKNOWN, reason=str(error))
    except _OutOfTime:
        return Outcome(UNKNOWN, reason="the time ran out")
    first = _evaluator(premise, variables, tuple(guards[0]))
    second = _evaluator(conclusion, variables, tuple(guards[1]))

    def check_point(point):
        holds = first(point) is True
        result = second(point)
        return holds and result is not True, holds, result

    return _z3_solve(z3, t, facts, z3.Not(conclusion_holds), variables,
                     _within(assumptions, variables, check_point), deadline)


# -- helpers for naming mistakes and refusing empty domains ----------------------------------

def same_values(variables, domains, first, second, *, assumptions=(), guards=((), ()), points=120):
    """Whether ``first`` and ``second`` agree on the ``points`` smallest points (both
    undefined counts as agreeing), with at least five points where they have a value.
    ``guards`` are each side's extra expressions that must be non-zero (see :func:`side`)."""
    variables = tuple(variables)
    if not isinstance(first, sympy.Basic) or not isinstance(second, sympy.Basic):
        return False
    one = _evaluator(first, variables, tuple(guards[0]))
    two = _evaluator(second, variables, tuple(guards[1]))
    checks = [_predicate(a, variables) for a in assumptions]
    defined = tried = 0
    for point in _points(variables, domains):
        if tried >= points:
            break
        if not _holds(checks, point):
            continue
        try:
            a, b = one(point), two(point)
        except _Skip:
            continue
        tried += 1
        if (a is NONE) != (b is NONE) or (a is not NONE and _equal(a, b) is not True):
            return False
        defined += a is not NONE
    return defined >= 5


def satisfiable(variables, domains, assumptions, *, seconds=0.5):
    """Whether some point of the domains satisfies ``assumptions``: True, False or None."""
    import z3

    from ._z3 import Translator, Untranslatable

    try:
        t = Translator({v: domains[v] for v in variables})
        facts = t.domain() + _assumed(t, assumptions)
    except Untranslatable:
        return None
    solver = z3.Solver()
    solver.set("timeout", max(1, int(seconds * 1000)))
    solver.add(*facts, *t.side)
    verdict = solver.check()
    return True if verdict == z3.sat else False if verdict == z3.unsat else None
