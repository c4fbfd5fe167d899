"""Machine-checked theorems: the registry of :mod:`proofs` and the runner.

Every claim of the lab is a :class:`Theorem` in one of the modules of the top-level
:mod:`proofs` package: a name, the claim in words, a LaTeX statement, the method, and a
check that can fail. :func:`run` proves them and returns one :class:`Result` each.

======================  ==============================================================
``run(names=None)``     prove the named theorems (all by default); a tuple of Results
``theorems(names)``     the Theorem objects themselves, in the registry's order
``names()``             every theorem's name, in order
``theorem(...)``        the decorator that turns a check function into a Theorem
``Theorem``             name, claim, statement (LaTeX), method, subject, check
``Result``              theorem, status ("proved" / "failed"), seconds, counterexample,
                        reason; ``as_dict()`` gives the JSON record of ``derive prove``
``ProofIncomplete``     raised by a check that could not finish (z3 ``unknown``)
======================  ==============================================================

This API is stable: reports embed ``run()``'s results, e.g. as a table through
:func:`derive.render.formats.proofs_markdown`.

>>> [r.status for r in run(["crossover-rule", "tie-then-ahead"])]
['proved', 'proved']
>>> run(["no-such-theorem"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
ValueError: unknown theorem 'no-such-theorem'; the 24 theorems start: eager-total, ...

A check returns ``None`` when the statement holds, or a counterexample — a mapping from
names to exact values — when it does not. A check that raises (a solver that answers
``unknown`` or times out, a sympy step that cannot be completed, a bug) also fails, and
loudly: its :attr:`Result.reason` says why. Nothing is ever skipped into a pass.
"""

import time
from dataclasses import dataclass, field
from importlib import import_module

from .errors import UndecidedError, shown
from .render.formats import theorem_latex, theorem_markdown

__all__ = ["FAILED", "PROVED", "ProofIncomplete", "Result", "Theorem", "names", "run",
           "theorem", "theorems"]

PROVED, FAILED = "proved", "failed"

#: The package that holds the theorems, one module per subject.
PACKAGE = "proofs"


class ProofIncomplete(UndecidedError):
    """A check that could neither prove nor refute its statement (e.g. z3 said ``unknown``)."""


@dataclass(frozen=True)
class Theorem:
    """One claim of the lab, stated precisely, with the check that proves it.

    ``check()`` returns ``None`` when the statement holds and a counterexample (a mapping
    of names to values) when it does not; it raises :class:`ProofIncomplete` when it
    cannot tell.
    """

    name: str
    claim: str                  # the lab's sentence, in our words
    statement: str              # LaTeX, math mode content
    method: str                 # how the check proves it: "z3 ...", "sympy ..."
    check: object = field(repr=False, compare=False)
    subject: str = ""           # the proofs module it lives in

    def prove(self):
        """Run the check, timed; a :class:`Result` that is "proved" or "failed", never skipped."""
        start = time.perf_counter()
        counterexample, reason = None, ""
        try:
            counterexample = self.check()
        except Exception as error:                 # a check that cannot finish is a failure
            reason = f"{type(error).__name__}: {error}"
        else:
            if counterexample is not None:
                counterexample = dict(counterexample)
                reason = "counterexample"
        seconds = time.perf_counter() - start
        status = PROVED if not reason else FAILED
        return Result(self, status, seconds, counterexample, reason)

    def _repr_latex_(self):
        return theorem_latex(self)

    def _repr_markdown_(self):
        return theorem_markdown(self)


@dataclass(frozen=True)
class Result:
    """The outcome of proving one theorem.

    ``status`` is ``"proved"`` or ``"failed"``; a failure carries a ``counterexample``
    (names to exact values) when one was found, and always a ``reason``.
    """

    theorem: Theorem
    status: str
    seconds: float
    counterexample: dict = None
    reason: str = ""

    name = property(lambda self: self.theorem.name)
    claim = property(lambda self: self.theorem.claim)
    statement = property(lambda self: self.theorem.statement)
    method = property(lambda self: self.theorem.method)

    @property
    def proved(self):
        return self.status == PROVED

    def as_dict(self):
        """The JSON record of ``derive prove --format json``; exact values as strings."""
        record = {
            "name": self.name,
            "claim": self.claim,
            "statement": self.statement,
            "method": self.method,
            "status": self.status,
            "seconds": round(self.seconds, 6),
            "subject": self.theorem.subject,
        }
        if not self.proved:
            record["reason"] = self.reason
            record["counterexample"] = (
                None if self.counterexample is None
                else {str(key): str(value) for key, value in self.counterexample.items()}
            )
        return record

    def _repr_latex_(self):
        return theorem_latex(self)

    def _repr_markdown_(self):
        return theorem_markdown(self)


def theorem(name, *, claim, statement, method):
    """Decorator: the function below becomes the check of a :class:`Theorem` called ``name``.

    >>> @theorem("one-plus-one", claim="Two is one and one.", statement="1 + 1 = 2",
    ...          method="arithmetic")
    ... def _():
    ...     return None if 1 + 1 == 2 else {"sum": 1 + 1}
    >>> _.prove().status
    'proved'
    """
    def wrap(check):
        subject = check.__module__.rpartition(".")[2]
        return Theorem(name, " ".join(claim.split()), statement.strip(), method, check, subject)
    return wrap


# -- the registry ---------------------------------------------------------------------

def _registry():
    """``{name: Theorem}`` over :data:`proofs.SUBJECTS`, in order; imported once."""
    global _REGISTRY
    if _REGISTRY is None:
        package = import_module(PACKAGE)
        table = {}
        for subject in package.SUBJECTS:
            module = import_module(f"{PACKAGE}.{subject}")
            for value in vars(module).values():    # definition order
                if isinstance(value, Theorem) and value.subject == subject:
                    if value.name in table:
                        raise ValueError(f"theorem name {value.name!r} is used twice")
                    table[value.name] = value
        _REGISTRY = table
    return _REGISTRY


_REGISTRY = None


def names():
    """Every theorem's name, in the registry's order.

    >>> names()[:2]
    ('eager-total', 'graph-total')
    """
    return tuple(_registry())


def theorems(names=None):
    """The theorems called ``names`` (all by default); ``ValueError`` naming the valid ones."""
    table = _registry()
    if names is None:
        return tuple(table.values())
    if isinstance(names, str):
        raise TypeError(f"names must be a list of theorem names, got a str of {len(names)} characters")
    unknown = [name for name in names if name not in table]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0][:100], table, n=3) if isinstance(unknown[0], str) else []
        hint = f"did you mean {', '.join(close)}? " if close else ""
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise ValueError(
            f"unknown theorem {shown(unknown[0])}{more}; {hint}the {len(table)} theorems "
            f"start: {', '.join(list(table)[:4])}, … (derive.prove.names() lists them)"
        )
    return tuple(table[name] for name in dict.fromkeys(names))


def run(names=None):
    """Prove the theorems called ``names`` (all by default), in order: one Result each.

    >>> [r.name for r in run(["asymptote"])]
    ['asymptote']
    """
    return tuple(t.prove() for t in theorems(names))
