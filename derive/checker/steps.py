r"""Derivation chains: every step checked against the one before it.

A derivation is text, one step a line: a relation (``c - 1 < k(n - 1)``) or an
expression, plain or LaTeX. ``assume n >= 2`` lines narrow the domain from there on;
blank lines and ``#`` comments are skipped. Each step must follow from the previous one
over the domain — for relations, hold (and be defined) wherever the previous one holds;
for expressions, be equal wherever the previous one is defined. The report marks every
step ✓ or ✗ (``?`` when undecided) and gives, for the first wrong step, a counterexample:
dividing by ``n − 1`` without ``n > 1`` fails at ``n = 1``.

=====================  ==========================================================
``check_steps(text)``  the :class:`Chain` of checked :class:`Step` s
``Chain``              ``.verdict`` (valid, invalid, undecided), ``.to_json()``, ``str()``
=====================  ==========================================================

>>> chain = check_steps('''
... c + k - 1 < k*n
... c - 1 < k(n - 1)
... k > (c - 1)/(n - 1)
... ''')
>>> chain.verdict, [step.status for step in chain.steps]
('invalid', ['given', 'valid', 'invalid'])
>>> chain.steps[2].point
{'n': 1, 'c': Fraction(1, 2), 'k': 1}
>>> check_steps("c - 1 < k(n - 1)\nassume n >= 2\nk > (c - 1)/(n - 1)").verdict
'valid'
"""

import re
import time
from dataclasses import dataclass

from ..errors import ParseError, shown
from ..text.parse import decode, parse, screen
from .answer import narrow, require_points

__all__ = ["MAX_STEPS", "MAX_TEXT", "TOTAL_SECONDS", "Chain", "Step", "check_steps"]

MAX_STEPS = 200            #: steps in one derivation
MAX_TEXT = 64 * 1024       #: characters in one derivation
TOTAL_SECONDS = 5.0        #: the whole derivation's time; the steps left are undecided
GIVEN, ASSUMPTION, VALID, INVALID, UNDECIDED = "given", "assumption", "valid", "invalid", "undecided"
_MARKS = {GIVEN: " ", ASSUMPTION: " ", VALID: "✓", INVALID: "✗", UNDECIDED: "?"}
_UNCHECKED = "undecided: not checked"
_ASSUME = re.compile(r"^\s*assume\s+(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    """One line of a derivation and what the checker found.

    ``point`` is the counterexample (``{name: int | Fraction}``) for an invalid step;
    ``previous_value`` and ``value`` are the two steps' values there (truth values for
    relations; ``None`` where undefined).
    """

    line: int
    text: str
    status: str
    formula: object = None
    message: str = ""
    point: dict = None
    previous_value: object = None
    value: object = None

    def to_json(self):
        shown = self.point is not None
        return {
            "line": self.line,
            "text": self.text,
            "status": self.status,
            "counterexample": {k: str(v) for k, v in self.point.items()} if shown else None,
            "previous_value": _shown(self.previous_value) if shown else None,
            "value": _shown(self.value) if shown else None,
            "message": self.message,
        }


def _shown(value):
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Chain:
    """A checked derivation: its steps, and the domain it started from."""

    steps: tuple
    domain: str

    @property
    def verdict(self):
        statuses = {step.status for step in self.steps}
        return INVALID if INVALID in statuses else UNDECIDED if UNDECIDED in statuses else VALID

    def to_json(self):
        return {"verdict": self.verdict, "domain": self.domain,
                "steps": [step.to_json() for step in self.steps]}

    def __str__(self):
        width = min(40, max((len(s.text) for s in self.steps), default=0))
        lines = [f"derivation over {self.domain}"]
        for step in self.steps:
            lines.append(f"  {_MARKS[step.status]} {step.line:>3}  {step.text.ljust(width)}  {step.message}".rstrip())
        wrong = sum(step.status == INVALID for step in self.steps)
        checked = sum(step.status in (VALID, INVALID, UNDECIDED) for step in self.steps)
        summary = {VALID: f"every step follows ({checked} checked)",
                   INVALID: f"{wrong} of {checked} steps {'does' if wrong == 1 else 'do'} not follow",
                   UNDECIDED: "no step is wrong, but some could not be settled"}[self.verdict]
        lines.append(f"{self.verdict}: {summary}")
        unchecked = sum(step.message.startswith(_UNCHECKED) for step in self.steps)
        if unchecked:
            lines.append(f"{unchecked} of {checked} steps were not checked: the time for the "
                         "whole derivation ran out")
        return "\n".join(lines)


def _lines(text):
    """``(line number, text)`` of the steps and assumptions, comments and blanks skipped."""
    if isinstance(text, (bytes, bytearray)):
        text = decode(text)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the derivation is {len(text)} characters long; the limit is {MAX_TEXT}")
    kept = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]
    if not any(not _ASSUME.match(line) for _, line in kept):
        raise ValueError("the derivation has no steps: write one relation or expression a line")
    if len(kept) > MAX_STEPS:
        raise ValueError(f"the derivation has {len(kept)} lines; the limit is {MAX_STEPS}")
    return kept


def _screen(lines):
    """Refuse hostile lines before anything else is loaded (see :func:`derive.text.parse.screen`)."""
    for number, line in lines:
        if not _ASSUME.match(line):
            try:
                screen(line)
            except ParseError as error:
                raise ParseError(f"line {number}: {error}") from None


class _Context:
    """The model, its bindings and the assumptions so far: domains and names for each step."""

    def __init__(self, model, bindings, assume):
        from ..engine.model import Model
        from ..engine.presets import preset

        self.base = preset(model) if isinstance(model, str) else model
        if not isinstance(self.base, Model):
            raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
        self.bindings = dict(bindings or {})
        self.assumptions = tuple(assume)
        self.guards = {}
        self.update(())

    def update(self, more):
        from ..engine.symbols import k

        self.assumptions += tuple(more)
        narrowed, k_domain, relations = narrow(self.base, self.assumptions)
        bound = narrowed.bind(**self.bindings)
        self.domains = {p.symbol: p.domain for p in bound.parameters}
        self.domains[k] = k_domain
        self.relations = relations
        self.substitution = {p.symbol: bound.bindings[p.name] for p in self.base.parameters
                             if p.name in bound.bindings}
        require_points(self.variables(), self.domains, relations, seconds=0.5)

    def describe(self):
        parts = [f"{s.name} {d}" for s, d in self.domains.items()] + [str(r) for r in self.relations]
        return ", ".join(parts)

    def read(self, number, text):
        """Line ``number`` with the bindings put in; its denominators, taken before, are kept
        in :attr:`guards` (at ``c = n``, ``(c − 1)/(n − 1)`` is 1 only where ``n ≠ 1``)."""
        from ._terms import denominators

        try:
            written = parse(text, self.base.symbols)
        except ParseError as error:
            raise ParseError(f"line {number}: {error}") from None
        self.guards[number] = tuple(g.xreplace(self.substitution) for g in denominators(written))
        return written.xreplace(self.substitution)

    def variables(self, *formulas):
        used = set().union(*(f.free_symbols for f in formulas), *(r.free_symbols for r in self.relations))
        return tuple(s for s in self.domains if s in used)


def check_steps(text, *, model="cuda-graph", bindings=None, assume=(), seconds=2.0,
                total_seconds=TOTAL_SECONDS):
    """Check each step of the derivation ``text`` against the one before; a :class:`Chain`.

    ``bindings`` fix parameters (as ``--set``), ``assume`` narrows the domain from the
    start (as ``assume`` lines do from where they stand); ``seconds`` bounds each step,
    and ``total_seconds`` the whole derivation: the steps left when it runs out are
    reported undecided, not checked (``None``: no bound on the whole).
    """
    if total_seconds is not None and (isinstance(total_seconds, bool)
                                      or not isinstance(total_seconds, (int, float))
                                      or not 0 < total_seconds <= 3600):
        raise ValueError(f"total_seconds must be a number > 0 and <= 3600, got {shown(total_seconds)}")
    end = None if total_seconds is None else time.monotonic() + total_seconds
    lines = _lines(text)
    _screen(lines)
    context = _Context(model, bindings, assume)
    domain = context.describe()
    steps, previous = [], None
    for number, line in lines:
        left = None if end is None else end - time.monotonic()
        if left is not None and left <= 0:
            steps.append(Step(number, line, UNDECIDED, message=f"{_UNCHECKED}, the "
                              f"{total_seconds:g} s for the whole derivation ran out"))
            continue
        if left is not None:
            seconds = min(seconds, left)
        match = _ASSUME.match(line)
        if match:
            try:
                context.update([match.group(1)])
            except ValueError as error:
                raise type(error)(f"line {number}: {error}") from None
            steps.append(Step(number, line, ASSUMPTION, message=f"now: {context.describe()}"))
            continue
        formula = context.read(number, line)
        if previous is None:
            steps.append(Step(number, line, GIVEN, formula, "given"))
        else:
            steps.append(_check_step(context, previous, number, line, formula, seconds,
                                     first_wrong=not any(s.status == INVALID for s in steps)))
        previous = (number, formula)
    return Chain(tuple(steps), domain)


def _is_relation(formula):
    import sympy

    return isinstance(formula, (sympy.Rel, sympy.And, sympy.Or, sympy.Not))


def _check_step(context, previous, number, line, formula, seconds, first_wrong):
    import sympy

    from . import _decide

    before_line, before = previous
    if _is_relation(before) != _is_relation(formula):
        raise ValueError(f"line {number}: a {'relation' if _is_relation(formula) else 'expression'} "
                         f"follows the {'relation' if _is_relation(before) else 'expression'} of line "
                         f"{before_line}; write every step as a relation, or every step as an expression")
    guards = (context.guards.get(before_line, ()), context.guards.get(number, ()))
    variables = context.variables(before, formula, *guards[0], *guards[1])
    if _is_relation(formula):
        outcome = _decide.follows(variables, context.domains, before, formula,
                                  assumptions=context.relations, guards=guards, seconds=seconds)
    else:
        outcome = _decide.compare(variables, context.domains, ((sympy.true, before, guards[0]),),
                                  ((sympy.true, formula, guards[1]),),
                                  assumptions=context.relations, strict_none=False, seconds=seconds)
    if outcome.status == _decide.PROVED:
        how = {"sympy": "rearranged", "z3": "proved by z3"}.get(outcome.method, outcome.method)
        if outcome.method != "sympy" and _is_relation(formula):
            how += _converse(context, variables, before, formula, before_line, seconds, guards)
        return Step(number, line, VALID, formula, f"follows ({how})")
    if outcome.status == _decide.UNKNOWN:
        return Step(number, line, UNDECIDED, formula,
                    f"undecided: no counterexample among {outcome.searched} points, no proof ({outcome.reason})")
    point = {s.name: v for s, v in outcome.point.items()}
    left, right = (None if v is _decide.NONE or v is _decide.NEVER else v for v in (outcome.left, outcome.right))
    message = _refuted(point, before_line, left, right, _is_relation(formula)) if first_wrong else "does not follow"
    return Step(number, line, INVALID, formula, message, point, left, right)


def _converse(context, variables, before, formula, before_line, seconds, guards=((), ())):
    """``"; equivalent"``, ``"; weaker: …"`` (with a point where the converse fails), or ``""``."""
    from . import _decide

    back = _decide.follows(variables, context.domains, formula, before, guards=guards[::-1],
                           assumptions=context.relations, seconds=min(seconds, 1.0))
    if back.status == _decide.PROVED:
        return "; equivalent"
    if back.status == _decide.REFUTED:
        where = ", ".join(f"{s.name} = {v}" for s, v in back.point.items())
        return f"; weaker than line {before_line}: it also admits {where}, where line {before_line} fails"
    return ""


def _refuted(point, before_line, left, right, relation):
    where = ", ".join(f"{name} = {value}" for name, value in point.items())
    if right is None:
        now = "this step is undefined (a division by zero)"
    elif relation:
        now = "this step is false"
    else:
        now = f"this step is {right}"
    before = "holds" if relation else f"is {left}"
    return f"does not follow: at {where} line {before_line} {before} but {now}"
