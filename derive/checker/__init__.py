"""Verdicts on a student's answers and chains of steps: proved, refuted, or undecided.

:func:`check` decides one answer (:mod:`~derive.checker.answer`); :func:`check_steps` a
derivation chain, each step against the one before (:mod:`~derive.checker.steps`). Both
prove with sympy identities or z3 (:mod:`~derive.checker._decide`,
:mod:`~derive.checker._z3`), refute with the smallest counterexample, and name the
classic mistakes (:mod:`~derive.checker.mistakes`). Importing this package is light:
sympy and z3 load with the first verdict, after the text has been screened.

Floor 4: imports the engine, the reader and :mod:`derive.alarm`; nothing above.
"""

from .answer import EQUIVALENT, NOT_EQUIVALENT, QUANTITIES, UNDECIDED, Verdict, check
from .steps import Chain, check_steps

__all__ = ["EQUIVALENT", "NOT_EQUIVALENT", "QUANTITIES", "UNDECIDED", "Chain", "Verdict",
           "check", "check_steps"]
