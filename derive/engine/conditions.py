"""Deciding and tidying conditions over parameter domains.

The engine's answers are ordered cases, ``(condition, value)``, like sympy's
``Piecewise``. Whether a condition such as ``n − 1 ≥ 0`` always holds, never holds, or
depends on the parameters is settled here, over a mapping ``{symbol: Domain}``.

Algorithm notes: every parameter ``p`` with domain "kind ≥ L" (or "> L") is replaced by
``L + t`` with a fresh dummy ``t ≥ 0`` (``t > 0``) of the same kind. Polynomials and
ratios of polynomials with non-negative coefficients in the dummies then carry their sign
in sympy's assumption system — ``3·n − 1`` becomes ``2 + 3·t``, visibly positive. The
answer is ``True``/``False`` only when sympy proves it; ``None`` means "depends", and the
condition is then kept, after dividing out factors of known sign and moving the constant
to the right: ``−n·(c − 1) < 0`` reads ``c > 1``.
"""

from fractions import Fraction
from functools import lru_cache

import sympy
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from .symbols import Domain

__all__ = ["case_condition", "condition_text", "decide", "prune_cases", "sign", "sign_condition",
           "tidy_cases"]

_RELATIONS = {
    "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
    "==": sympy.Eq, "!=": sympy.Ne,
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _shift(expr, domains):
    """``expr`` with each parameter replaced by its lower bound plus a dummy."""
    free = expr.free_symbols
    return expr.xreplace({s: d.shifted(s.name) for s, d in domains.items() if s in free})


def _facts(expr, domains):
    """What sympy can prove of ``expr`` over the domains: 1, 0, -1, ">=", "<=" or None."""
    expr = sympy.sympify(expr, strict=True)
    free = expr.free_symbols
    return _proved(expr, frozenset((s, d) for s, d in domains.items() if s in free))


# Memoised: one derivation asks about the same saving, upfront excess and Δ several times
# (once per case and comparison), and the proofs and tests derive the same models again;
# the answer depends only on the expression and the domains of its own symbols.
@lru_cache(maxsize=4096)
def _proved(expr, domains):
    """:func:`_facts` of ``expr`` over ``domains``, a frozenset of ``(symbol, Domain)``."""
    domains = dict(domains)
    forms = [expr]
    if expr.free_symbols:
        shifted = sympy.expand(_shift(expr, domains))
        forms.append(shifted)
        if not shifted.is_polynomial():                # a ratio: bring it over one denominator
            forms.append(sympy.factor(sympy.together(shifted)))
    weak = None
    for form in forms:
        if form.is_zero:
            return 0
        if form.is_positive:
            return 1
        if form.is_negative:
            return -1
        if weak is None:
            weak = ">=" if form.is_nonnegative else "<=" if form.is_nonpositive else None
    return weak


def sign(expr, domains):
    """The sign of ``expr`` over the domains: ``1``, ``0``, ``-1`` or ``None`` (it varies).

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, n
    >>> domains = {n: COUNT, c: POSITIVE_RATIONAL}
    >>> sign(3*n - 1, domains), sign(n - 1, domains), sign(c - 1, domains)
    (1, None, None)
    """
    facts = _facts(expr, domains)
    return facts if facts in (1, 0, -1) else None


_OPS = {sympy.StrictLessThan: "<", sympy.LessThan: "<=", sympy.StrictGreaterThan: ">",
        sympy.GreaterThan: ">=", sympy.Equality: "==", sympy.Unequality: "!="}


def _decide_relational(rel, domains):
    op = _OPS.get(type(rel))
    if op is None:
        return None
    facts = _facts(rel.lhs - rel.rhs, domains)
    if facts in (1, 0, -1):
        return {"<": facts < 0, "<=": facts <= 0, ">": facts > 0, ">=": facts >= 0,
                "==": facts == 0, "!=": facts != 0}[op]
    if facts == ">=" and op in (">=", "<"):
        return op == ">="
    if facts == "<=" and op in ("<=", ">"):
        return op == "<="
    return None


def decide(condition, domains):
    """``True`` if ``condition`` holds over the whole domain, ``False`` if nowhere, else ``None``.

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, n
    >>> domains = {n: COUNT, c: POSITIVE_RATIONAL}
    >>> decide(n - 1 >= 0, domains), decide(3*n - 1 < 0, domains), decide(c < 1, domains)
    (True, False, None)
    """
    if isinstance(condition, (bool, BooleanTrue, BooleanFalse)):
        return bool(condition)
    if isinstance(condition, sympy.And):
        verdicts = [decide(arg, domains) for arg in condition.args]
        if False in verdicts:
            return False
        return True if all(verdicts) else None
    if isinstance(condition, sympy.Or):
        verdicts = [decide(arg, domains) for arg in condition.args]
        if True in verdicts:
            return True
        return False if all(v is False for v in verdicts) else None
    if isinstance(condition, sympy.Not):
        verdict = decide(condition.args[0], domains)
        return None if verdict is None else not verdict
    return _decide_relational(condition, domains)


def sign_condition(expr, op, domains):
    """The condition ``expr op 0``, decided if possible, else simplified to read plainly.

    >>> from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, c, n
    >>> domains = {n: COUNT, c: POSITIVE_RATIONAL}
    >>> sign_condition(-n*(c - 1), "<", domains)
    c > 1
    >>> sign_condition(n - 1, ">", domains)
    n > 1
    >>> sign_condition(c*(n - 1), "==", domains)
    Eq(n, 1)
    >>> sign_condition(n - 1, ">=", domains)
    True
    """
    expr = sympy.sympify(expr, strict=True)
    verdict = decide(_RELATIONS[op](expr, 0), domains)
    if verdict is not None:
        return sympy.true if verdict else sympy.false
    expr = sympy.factor(expr)
    kept = []
    for factor in sympy.Mul.make_args(expr):
        s = sign(factor, domains)
        if s == 1:
            continue
        if s == -1:
            op = _FLIPPED[op]
            continue
        kept.append(factor)
    return _plain_relation(sympy.expand(sympy.Mul(*kept)), op)


def _plain_relation(expr, op):
    """``expr op 0`` with the constant moved right and a lone symbol's coefficient divided out."""
    constant, variable = expr.as_independent(*expr.free_symbols, as_Add=True)
    coefficient, rest = variable.as_coeff_Mul()
    if coefficient.is_negative:
        op = _FLIPPED[op]
    if coefficient != 0:
        variable, constant = rest, constant / coefficient
    return _RELATIONS[op](variable, -constant)


def tidy_cases(cases, domains):
    """Ordered cases with decided conditions resolved: false ones dropped, a true one last;
    then cases that can never apply pruned (:func:`prune_cases`).

    Each case is ``(condition, value)``; the first case whose condition holds applies.
    """
    tidy = []
    for condition, value in cases:
        verdict = decide(condition, domains)
        if verdict is False:
            continue
        if verdict is True:
            tidy.append((sympy.true, value))
            break
        tidy.append((condition, value))
    return prune_cases(tidy, domains)


# -- pruning cases that can never apply ----------------------------------------------------
#
# Algorithm notes. A case applies where its condition holds and no earlier one does: its
# *reach* is ``c_i ∧ ¬c_1 ∧ … ∧ ¬c_(i−1)``. A case whose reach is provably empty is
# dropped; an unconditional last case whose reach is empty is dropped too, and the case
# before it becomes unconditional (wherever the earlier ones fail, it holds). A reach
# that is a conjunction of relations is refuted by pairs: each relation is written
# ``p > 0`` or ``p ≥ 0`` (``p > 0`` as ``p − 1 ≥ 0`` when ``p`` is an integer over
# integers), and ``p_i + p_j`` provably negative (or provably ≤ 0 with one of them strict)
# contradicts both. Within a reach, a relation on a lone parameter, ``n > 1``, narrows its
# domain (integers ≥ 2), and a ``floor(x)`` in the value with ``0 ≤ x < 1`` over the
# narrowed domains is 0. Adjacent cases with the same value are merged. Every step only
# uses facts sympy proves; what is not proved is kept as it was.

def _relations(condition):
    """The conjuncts of ``condition`` if it is a conjunction of relations, else ``None``."""
    if condition is sympy.true:
        return []
    args = condition.args if isinstance(condition, sympy.And) else (condition,)
    if all(type(arg) in _OPS for arg in args):
        return list(args)
    return None


def _negated(condition):
    """``¬condition`` as relations when it is a single relation (``¬(c < 1)`` is ``c ≥ 1``)."""
    if type(condition) in _OPS and type(condition) is not sympy.Eq:
        return [condition.negated]
    return None


def _integral(expr, domains):
    return all(domains.get(s) is not None and domains[s].kind == "integer" for s in expr.free_symbols) \
        and all(coefficient.is_Integer for coefficient in sympy.Poly(expr, *expr.free_symbols).coeffs()) \
        if expr.free_symbols and expr.is_polynomial(*expr.free_symbols) else False


def _as_nonnegative(relation, domains):
    """``relation`` as ``[(p, strict)]`` meaning ``p > 0`` (strict) or ``p >= 0``."""
    op = _OPS[type(relation)]
    difference = sympy.expand(relation.lhs - relation.rhs)
    forms = {">": [(difference, True)], ">=": [(difference, False)],
             "<": [(-difference, True)], "<=": [(-difference, False)],
             "==": [(difference, False), (-difference, False)], "!=": []}[op]
    out = []
    for p, strict in forms:
        if strict and _integral(p, domains):
            p, strict = sympy.expand(p - 1), False
        out.append((p, strict))
    return out


def _narrowed(relations, domains):
    """The domains narrowed by lone-parameter lower bounds among ``relations``."""
    narrowed = dict(domains)
    for relation in relations:
        op = _OPS[type(relation)]
        lhs, rhs = relation.lhs, relation.rhs
        if op in ("<", "<=") and rhs in narrowed:
            lhs, rhs, op = rhs, lhs, _FLIPPED[op]
        if lhs in narrowed and rhs.is_Rational and op in (">", ">=", "=="):
            bound = Domain(narrowed[lhs].kind, Fraction(int(rhs.p), int(rhs.q)), op == ">")
            narrowed[lhs] = narrowed[lhs].narrowed(bound)
    return narrowed


def _empty(relations, domains):
    """Whether the conjunction of ``relations`` provably holds nowhere in the domains."""
    domains = _narrowed(relations, domains)
    forms = [form for relation in relations for form in _as_nonnegative(relation, domains)]
    for p, strict in forms:
        facts = _facts(p, domains)
        if facts == -1 or (facts in (0, "<=") and strict):
            return True
    for i, (p, strict) in enumerate(forms):
        for q, other in forms[i + 1:]:
            facts = _facts(sympy.expand(p + q), domains)
            if facts == -1 or (facts in (0, "<=") and (strict or other)):
                return True
    return False


def _simplified(value, domains):
    """``value`` with each ``floor(x)`` that is provably 0 (``0 <= x < 1``) replaced by 0."""
    if not isinstance(value, sympy.Basic):
        return value
    zero = {}
    for atom in value.atoms(sympy.floor):
        x = atom.args[0]
        if decide(x >= 0, domains) is True and decide(x < 1, domains) is True:
            zero[atom] = sympy.Integer(0)
    return value.xreplace(zero) if zero else value


def prune_cases(cases, domains):
    """Ordered cases without the ones that can never apply, values simplified where each
    case applies, equal neighbours merged.

    >>> from derive.engine.symbols import COUNT, n
    >>> domains = {n: COUNT}
    >>> x = (n - 2)/(2*(n - 1))
    >>> prune_cases([(n < 2, 1), (n > 1, sympy.floor(x) + 1), (sympy.true, None)], domains)
    ((True, 1),)
    """
    cases = list(cases)
    failed = []                                   # relations holding where no earlier case does
    kept = []
    for index, (condition, value) in enumerate(cases):
        own = _relations(condition)
        if own is not None and failed is not None:
            reach = own + failed
            if _empty(reach, domains):
                continue
            value = _simplified(value, _narrowed(reach, domains))
        kept.append((condition, value))
        negation = _negated(condition)
        failed = None if negation is None or failed is None else failed + negation
    if cases and cases[-1][0] is sympy.true and kept and kept[-1][0] is not sympy.true:
        kept[-1] = (sympy.true, kept[-1][1])       # "otherwise" never applies: the last case holds there
    merged = []
    for condition, value in kept:
        if merged and merged[-1][1] == value and (value is None) == (merged[-1][1] is None):
            previous = merged[-1][0]
            condition = sympy.true if condition is sympy.true else sympy.Or(previous, condition)
            merged[-1] = (condition, value)
        else:
            merged.append((condition, value))
    return tuple(merged)

def condition_text(condition):
    """A condition as a reader writes it: ``c = 1`` rather than ``Eq(c, 1)``, ``always``
    rather than ``True``.

    >>> from derive.engine.symbols import c, n
    >>> condition_text(sympy.Eq(c, 1)), condition_text(sympy.And(n > 1, c < 1))
    ('c = 1', 'n > 1 and c < 1')
    >>> condition_text(sympy.true), condition_text(sympy.Ne(c, 1))
    ('always', 'c != 1')
    """
    if condition is sympy.true or condition is True:
        return "always"
    if condition is sympy.false or condition is False:
        return "never"
    if isinstance(condition, sympy.Eq):
        return f"{condition.lhs} = {condition.rhs}"
    if isinstance(condition, sympy.Ne):
        return f"{condition.lhs} != {condition.rhs}"
    if isinstance(condition, (sympy.And, sympy.Or)):
        joiner = " and " if isinstance(condition, sympy.And) else " or "
        return joiner.join(_grouped(arg) for arg in condition.args)
    if isinstance(condition, sympy.Not):
        return f"not ({condition_text(condition.args[0])})"
    return str(condition)


def _grouped(condition):
    text = condition_text(condition)
    return f"({text})" if isinstance(condition, (sympy.And, sympy.Or)) else text


def case_condition(cases, index):
    """The condition of ``cases[index]`` in words: ``always`` for a lone unconditional
    case, ``otherwise`` for an unconditional last one, else :func:`condition_text`.

    >>> from derive.engine.symbols import c
    >>> cases = ((c < 1, 1), (sympy.true, None))
    >>> case_condition(cases, 0), case_condition(cases, 1), case_condition(cases[1:], 0)
    ('c < 1', 'otherwise', 'always')
    """
    when = cases[index][0] if isinstance(cases[index], tuple) else cases[index].when
    if when is sympy.true or when is True:
        return "always" if len(cases) == 1 else "otherwise"
    return condition_text(when)
