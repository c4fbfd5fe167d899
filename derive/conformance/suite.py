"""Does an implementation of the lab's functions conform? Property tests against the engine.

A student hands in a module that defines the lab's functions; :func:`verify` draws
hundreds of points of the lab's domain (:mod:`derive.strategies`: small and huge ints,
Fractions, the tie cases), calls each function there and compares its answer, exactly,
with the engine's symbolic result compiled once. A failure is shrunk by hypothesis to the
smallest example it can find, reported with the expected and the returned value.

==========================  ===========================================================
``verify(target)``          a :class:`Report`: one :class:`Verdict` per function
``verify_function(t, f)``   the :class:`Verdict` of one function
``load_target(text)``       import a module by name or a ``.py`` file by path
``conforms(expected, got)`` the comparison used: exact, a float only when equal
``first_winning_call``      the brute force: walk k upward until graph < eager
``report_text/report_json`` the report for people and for programs
``progress_printer(stream)``  a ``progress`` callback that keeps a person informed
==========================  ===========================================================

>>> import derive.numeric
>>> report = verify(derive.numeric, examples=20)
>>> [(v.function, v.status) for v in report.verdicts]     # doctest: +NORMALIZE_WHITESPACE
[('eager_launches', 'pass'), ('graph_launches', 'pass'), ('crossover', 'pass'),
 ('asymptotic_speedup', 'pass'), ('per_call_ratio', 'pass')]

What is checked, and how:

* the functions and their oracles, over ``(n, k, c)`` with ``c`` omitted from the call
  when it is the lab's default ``num_ops``:

  ======================  ==================  =========================================
  function                called as           must equal
  ======================  ==================  =========================================
  ``eager_launches``      ``(n, k)``          the engine's baseline ``k·n``
  ``graph_launches``      ``(n, k[, c])``     the engine's amortized ``c + k − 1``
  ``crossover``           ``(n[, c])``        the engine's crossover cases (``None``:
                                              never), and the brute force when small
  ``asymptotic_speedup``  ``(n[, c])``        the engine's asymptote ``n``
  ``per_call_ratio``      ``(n, k[, c])``     the engine's ``E/G`` (optional function)
  ======================  ==================  =========================================

  ``asymptotic_speedup`` and ``per_call_ratio`` are called without ``c`` if they take
  no such argument (the lab's starter may not have it).
* Answers are compared exactly: an ``int``, a ``Fraction`` (any :class:`numbers.Rational`)
  passes when it equals the exact value; a ``float`` passes only when it *is* the exact
  value (``2.0`` for 2, never ``0.333…`` for 1/3 — and huge values give floats away). A
  crossover of "never" is ``None``; ``math.inf`` is accepted as the same answer.
* Only the domain is tested (``n``, ``k`` ints >= 1, ``c`` > 0): what an implementation
  does with bad arguments is its own business.
* A target given by name or path (``verify("lab.py")``, ``derive verify``, ``pytest
  --derive-impl``) is imported in a child process (:class:`Sandboxed`): it only answers
  calls, and everything is compared here, so nothing it does to its own process decides
  its verdict. A call that ends the child (``os._exit``, a signal) is an ``error`` of that
  function; the next function gets a fresh child. A module object (``verify(module)``)
  is trusted code and runs in this process.
* A function that raises fails with the exception as its answer. A function that does
  not return within ``timeout`` seconds (default 2) stops the run for that function: it
  is reported as ``timeout`` with the call that hung, not shrunk (every try could take
  that long). In a child the parent's clock kills it, whatever it does with signals; in
  this process the guard is a ``SIGALRM`` timer, which interrupts Python code, not a
  single long C operation such as ``10**10**10``.
* Importing the target runs its top level, bounded by the same timer: an import that
  takes longer than ``import_timeout`` seconds (default :data:`IMPORT_TIMEOUT_S`, 5 — long
  enough to import numpy or sympy, short enough that a ``while True`` at the top level
  ends the run quickly) is a bad target, a ValueError, as are an exception or
  ``sys.exit`` at import; an import that ends the process (``os._exit``, ``raise
  BaseException``) makes every function an ``error``.
* Required functions missing from the target are reported ``missing``;
  ``per_call_ratio`` is optional and reported ``not_defined`` when absent.
* Runs are derandomized: the same target gets the same verdict and the same example.
"""

import importlib
import importlib.util
import json
import math
import numbers
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from inspect import signature
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import Flaky

from ..alarm import time_limit
from ..strategies import lab_arguments
from .sandbox import Limits, Sandbox

__all__ = [
    "FUNCTIONS",
    "Sandboxed",
    "OPTIONAL",
    "Counterexample",
    "Report",
    "Verdict",
    "conforms",
    "first_winning_call",
    "load_target",
    "progress_printer",
    "report_json",
    "report_text",
    "verify",
    "verify_function",
]

#: The lab's functions, in the order they are checked and reported.
FUNCTIONS = ("eager_launches", "graph_launches", "crossover", "asymptotic_speedup", "per_call_ratio")
#: Functions a target may leave out.
OPTIONAL = frozenset({"per_call_ratio"})

PASS, FAIL, TIMEOUT, MISSING, NOT_DEFINED = "pass", "fail", "timeout", "missing", "not_defined"
ERROR = "error"             # the target's process ended during a call (os._exit, a signal)

EXAMPLES = 200      # examples per function, by default
TIMEOUT_S = 2.0     # seconds one call may take, by default
IMPORT_TIMEOUT_S = 5.0  # seconds importing the target may take, by default
_WALK_LIMIT = 64    # the brute force double-checks the engine's crossover up to this call


@dataclass(frozen=True)
class Counterexample:
    """A call that went wrong: ``call`` as Python text, the exact ``expected`` value, and
    what came back — ``got`` or, when it raised or hung, ``error``."""

    call: str
    arguments: dict
    expected: object
    got: object = None
    error: str = None
    explanation: str = ""


@dataclass(frozen=True)
class Verdict:
    """How one function fared: ``status`` is pass, fail, timeout, missing or not_defined;
    ``examples`` counts the calls made, those made while shrinking a failure included."""

    function: str
    status: str
    examples: int = 0
    counterexample: Counterexample = None
    note: str = ""

    @property
    def passed(self):
        """True for ``pass``, and for an optional function the target does not define."""
        return self.status in (PASS, NOT_DEFINED)

    def describe(self):
        """What happened, for a student: the failing call first, then why, then notes.

        >>> wrong = Counterexample("crossover(2)", {"num_ops": "2"}, expected=2, got=1)
        >>> print(Verdict("crossover", FAIL, 9, wrong).describe())
        crossover(2) returned 1, expected 2
        """
        example = self.counterexample
        if self.status == PASS:
            return _join(f"conforms on {self.examples} examples", self.note)
        if example is None:
            return self.note
        if example.error is not None:
            outcome = f"{example.call} {example.error}"
        else:
            outcome = f"{example.call} returned {_value_text(self.function, example.got)}"
        line = f"{outcome}, expected {_value_text(self.function, example.expected)}"
        return "\n".join(part for part in (line, example.explanation, self.note) if part)


@dataclass(frozen=True)
class Report:
    """The verdicts on every function of ``target``, in :data:`FUNCTIONS` order."""

    target: str
    verdicts: tuple
    examples: int

    @property
    def passed(self):
        return all(verdict.passed for verdict in self.verdicts)


# -- loading a target --------------------------------------------------------------------

def load_target(target, *, timeout=IMPORT_TIMEOUT_S):
    """Import ``target``: a module name (``lab_impl``, ``labs.starter``) or a ``.py`` path.

    Importing runs the module's top level, as ``python FILE`` would; nothing else is
    executed until its functions are called. A module name is looked up from the current
    directory first, like ``python -m``. Bad targets raise :class:`ValueError`, and so does
    an import that runs longer than ``timeout`` seconds.

    >>> load_target("derive.numeric").crossover(30, 90)
    4
    >>> load_target("no_such_module_here")
    Traceback (most recent call last):
    ...
    ValueError: cannot import target 'no_such_module_here': No module named 'no_such_module_here'
    """
    if not isinstance(target, str) or not target.strip():
        raise ValueError(f"target must be a module name or a path to a .py file, got {target!r}")
    path = Path(target)
    if target.endswith(".py") or os.sep in target or "/" in target:
        if not path.is_file():
            raise ValueError(f"target {target!r} is not a file")
        return _import(target, str(path.resolve().parent), lambda: _import_path(path), timeout)
    if not all(part.isidentifier() for part in target.split(".")):
        raise ValueError(f"target must be a module name or a path to a .py file, got {target!r}")
    return _import(target, os.getcwd(), lambda: importlib.import_module(target), timeout)


def _import_path(path):
    name = f"_derive_target_{path.stem}" if path.stem.isidentifier() else "_derive_target"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported as Python source")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module                     # dataclasses and pickling look it up
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


class _ImportHung(BaseException):
    """Raised by the alarm inside an import that overran (past ``except Exception``)."""


def _import(target, directory, load, timeout):
    """Run ``load()`` with ``directory`` first on ``sys.path``, for at most ``timeout``
    seconds; errors become one ValueError."""
    sys.path.insert(0, directory)
    try:
        with time_limit(timeout, _ImportHung):
            return load()
    except _ImportHung:
        raise ValueError(f"importing {target} took longer than {timeout:g} s") from None
    except (Exception, SystemExit) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        if isinstance(error, SyntaxError):
            reason = f"SyntaxError: {error.msg} (line {error.lineno})"
        elif not isinstance(error, ImportError):
            reason = f"{type(error).__name__}: {reason}"
        raise ValueError(f"cannot import target {target!r}: {reason}") from None
    finally:
        sys.path.remove(directory)


# -- the oracles ---------------------------------------------------------------------------

@cache
def _engine():
    """The engine's exact functions of ``(n, c[, k])`` for the lab's model, compiled once."""
    from ..engine.derivation import derive  # sympy loads here, on first use

    derivation = derive("cuda-graph")
    order = [p.name for p in derivation.model.parameters]
    if order != ["n", "c"]:
        raise RuntimeError(f"the cuda-graph preset's parameters changed order: {order}")
    quantities = ("baseline", "amortized", "crossover", "asymptote", "per_call_ratio")
    return {quantity: derivation.function(quantity) for quantity in quantities}


def _graph_wins(n, c, k):
    return c + (k - 1) < k * n


def first_winning_call(num_ops, capture_cost_ops, limit):
    """The least ``k <= limit`` with ``c + k − 1 < k·n``, walking k upward; ``None`` if none.

    The brute force, written from the definition alone, to check the closed form against.

    >>> first_winning_call(30, 90, 100), first_winning_call(2, 2, 100), first_winning_call(1, 1, 100)
    (4, 2, None)
    """
    for k in range(1, limit + 1):
        if _graph_wins(num_ops, capture_cost_ops, k):
            return k
    return None


def _crossover_oracle(n, c):
    """The engine's crossover, checked against the definition before any target is judged.

    The walk over the first calls must find the same call (or none, if the engine's is
    beyond them). Beyond the walk: the graph's lead ``E − G = (n − 1)·k − (c − 1)`` is
    non-decreasing in ``k``, so a call is the first winning one exactly when the graph
    wins there and not at the call before; and "never" needs ``n = 1`` (else the lead
    grows without bound).
    """
    expected = _engine()["crossover"](n, c)
    walked = first_winning_call(n, c, _WALK_LIMIT)
    if expected is None:
        sound = walked is None and n == 1
    else:
        within_reach = expected if expected <= _WALK_LIMIT else None
        sound = (walked == within_reach and _graph_wins(n, c, expected)
                 and (expected == 1 or not _graph_wins(n, c, expected - 1)))
    if not sound:                                  # a bug in derive, never the target's fault
        raise _OracleBroken(
            f"engine crossover {expected!r} != brute force {walked!r} at n={n}, c={c!r}"
        )
    return expected


class _OracleBroken(BaseException):
    """The two oracles disagree: stop at once (a BaseException, so hypothesis does not take
    it for the target's failure) and surface as a RuntimeError."""


@dataclass(frozen=True)
class _Spec:
    """How to call one lab function and what it must return."""

    uses_k: bool
    oracle: object                # (n, c, k) -> exact value


_SPECS = {
    "eager_launches": _Spec(True, lambda n, c, k: _engine()["baseline"](n, c, k)),
    "graph_launches": _Spec(True, lambda n, c, k: _engine()["amortized"](n, c, k)),
    "crossover": _Spec(False, lambda n, c, k: _crossover_oracle(n, c)),
    "asymptotic_speedup": _Spec(False, lambda n, c, k: _engine()["asymptote"](n, c)),
    "per_call_ratio": _Spec(True, lambda n, c, k: _engine()["per_call_ratio"](n, c, k)),
}
_NO_CAPTURE_COST = frozenset({"eager_launches"})            # never given c
_MAY_OMIT_CAPTURE_COST = frozenset({"asymptotic_speedup", "per_call_ratio"})


def _call_arguments(name, arguments, takes_capture_cost):
    """The positional arguments (with their names) of ``name`` at one point of the domain."""
    named = [("num_ops", arguments.num_ops)]
    if _SPECS[name].uses_k:
        named.append(("k", arguments.k))
    if arguments.capture_cost_ops is not None and takes_capture_cost:
        named.append(("capture_cost_ops", arguments.capture_cost_ops))
    return named


def _takes(function, count):
    """Whether ``function`` accepts ``count`` positional arguments (True when unknowable)."""
    if isinstance(function, _Remote):
        return count in function.binds
    try:
        signature(function).bind(*range(count))
    except TypeError:
        return False
    except ValueError:                             # no signature (a builtin): just call it
        return True
    return True


# -- comparing -----------------------------------------------------------------------------

def conforms(expected, got):
    """Whether ``got`` is exactly ``expected`` (an int or Fraction; ``None`` for never).

    >>> conforms(2, 2), conforms(2, 2.0), conforms(Fraction(1, 3), 1 / 3), conforms(None, math.inf)
    (True, True, False, True)
    >>> conforms(1, True), conforms(2, "2"), conforms(10**31, float(10**31))
    (False, False, False)
    """
    if expected is None:
        return got is None or (isinstance(got, float) and got == math.inf)
    if got is None or isinstance(got, bool):
        return False
    if isinstance(got, float):
        return math.isfinite(got) and Fraction(got) == expected
    if isinstance(got, numbers.Rational):
        return Fraction(int(got.numerator), int(got.denominator)) == expected
    return False


def _text(value):
    """An exact, readable text of a value: ``5/2``, ``3``, ``0.1`` (a float), ``'x'``."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        whole = value.denominator == 1
        return str(value.numerator) if whole else f"{value.numerator}/{value.denominator}"
    if isinstance(value, float):
        return repr(value)
    try:
        text = repr(value)
    except Exception:                              # a target's object may not even print
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= 80 else text[:77] + "..."


def _is_never(function, value):
    infinite = isinstance(value, float) and value == math.inf
    return function == "crossover" and (value is None or infinite)


def _value_text(function, value):
    """A value as the text report shows it; a crossover's ``None`` reads ``None (never)``."""
    return f"{_text(value)} (never)" if _is_never(function, value) else _text(value)


def _value_json(function, value):
    """A value as the JSON report gives it; a crossover's ``None`` is ``"never"``."""
    return "never" if _is_never(function, value) else _text(value)


def _explain(function, arguments, expected, got):
    """Why: for the crossover, the totals at the right call and at the one returned."""
    if function != "crossover":
        return ""
    n = arguments.num_ops
    c = n if arguments.capture_cost_ops is None else Fraction(arguments.capture_cost_ops)

    def totals(k):
        graph, eager = c + (k - 1), k * n
        relation = "<" if graph < eager else ">="
        return f"call {k}: graph {_text(graph)} {relation} eager {_text(eager)}"

    calls = set()
    if expected is not None:
        calls.update(k for k in (expected - 1, expected) if k >= 1)
    if isinstance(got, int) and not isinstance(got, bool) and 1 <= got and got.bit_length() < 4096:
        calls.add(got)
    shown = [totals(k) for k in sorted(calls)]
    if expected is None:
        shown.insert(0, "n = 1 and c >= 1: graph total is never strictly below eager")
    return "; ".join(shown)


# -- calling the target, with a time limit -------------------------------------------------

class _Hung(BaseException):
    """Raised by the alarm inside a call that overran; a BaseException so that hypothesis
    stops instead of shrinking (and an implementation's ``except Exception`` lets it by)."""


class _Carries:
    """An exception that carries a counterexample, its call as the message."""

    def __init__(self, counterexample):
        super().__init__(counterexample.call)
        self.counterexample = counterexample


class _Failed(_Carries, Exception):
    """The property's failure: carries the counterexample hypothesis shrinks."""


class _Stop(_Carries, BaseException):
    """A call hung: stop this function's run at once, with the call that hung."""


def _check(name, function, arguments, takes_capture_cost, timeout):
    """Call ``function`` at ``arguments``; raise :class:`_Failed` or :class:`_Stop` if wrong."""
    named = _call_arguments(name, arguments, takes_capture_cost)
    n = arguments.num_ops
    c = n if arguments.capture_cost_ops is None else arguments.capture_cost_ops
    expected = _SPECS[name].oracle(n, Fraction(c) if isinstance(c, float) else c, arguments.k)
    call = f"{name}({', '.join(repr(value) for _, value in named)})"
    shown = {key: _text(value) for key, value in named}
    try:
        with time_limit(timeout, _Hung):
            got = function(*(value for _, value in named))
    except _Hung:
        hung = Counterexample(call, shown, expected, error=f"did not return within {timeout:g} s")
        raise _Stop(hung) from None
    except _Died as died:
        ended = Counterexample(call, shown, expected, error=f"ended the process ({died.text})")
        raise _Ended(ended) from None
    except (Exception, SystemExit) as error:
        message = " ".join(str(error).split())
        error_text = f"raised {type(error).__name__}" + (f": {message}" if message else "")
        if isinstance(error, _Raised):
            error_text = error.text
        raise _Failed(Counterexample(call, shown, expected, error=error_text)) from None
    if not conforms(expected, got):
        why = _explain(name, arguments, expected, got)
        raise _Failed(Counterexample(call, shown, expected, got=got, explanation=why))


# -- verifying -----------------------------------------------------------------------------

def _settings(examples):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
    )


def _check_examples(name, examples):
    if name not in FUNCTIONS:
        raise ValueError(f"function must be one of {', '.join(FUNCTIONS)}, got {name!r}")
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise ValueError(f"examples must be an int >= 1, got {examples!r}")


def verify_function(target, name, *, examples=EXAMPLES, timeout=TIMEOUT_S, progress=None):
    """The :class:`Verdict` on ``target.<name>`` after up to ``examples`` property tests.

    ``progress(name, examples_run, verdict)``, if given, is called after every example
    with ``verdict=None``, and once more at the end with the :class:`Verdict`.

    >>> import derive.numeric
    >>> verify_function(derive.numeric, "crossover", examples=10)
    Verdict(function='crossover', status='pass', examples=10, counterexample=None, note='')
    """
    _check_examples(name, examples)
    with _no_storage():
        if isinstance(target, Sandboxed):
            verdict = target.ready(name, timeout) or _run(name, target.function(name), examples,
                                                          timeout, progress)
        else:
            verdict = _run(name, getattr(target, name, None), examples, timeout, progress)
    if progress is not None:
        progress(name, verdict.examples, verdict)
    return verdict


@contextmanager
def _no_storage():
    """Hypothesis's files (its database is off, but it caches constants in ``.hypothesis/``)
    go to a scratch directory, not the student's folder; the previous home is restored."""
    from hypothesis.configuration import set_hypothesis_home_dir, storage_directory

    previous = storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="derive-verify-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(previous)


def _run(name, function, examples, timeout, progress):
    if function is None:
        if name in OPTIONAL:
            return Verdict(name, NOT_DEFINED, note="not defined (optional)")
        return Verdict(name, MISSING, note="missing: the target does not define it")
    if not callable(function):
        kind = type(function).__name__
        return Verdict(name, MISSING, note=f"missing: {name} is a {kind}, not a function")
    takes_capture_cost, note = _capture_cost_rule(name, function)
    runs = []

    @_settings(examples)
    @given(lab_arguments())
    def conformance(arguments):
        runs.append(None)
        if progress is not None:
            progress(name, len(runs), None)
        _check(name, function, arguments, takes_capture_cost, timeout)

    try:
        conformance()
    except _Failed as failure:
        return Verdict(name, FAIL, len(runs), failure.counterexample, note)
    except _Ended as ended:
        return Verdict(name, ERROR, len(runs), ended.counterexample, note)
    except _Stop as stop:
        hung = f"not shrunk: each try could take {timeout:g} s (does it walk k upward?)"
        return Verdict(name, TIMEOUT, len(runs), stop.counterexample, _join(note, hung))
    except _Hung:
        return Verdict(name, TIMEOUT, len(runs), None, f"a call did not return within {timeout:g} s")
    except _OracleBroken as broken:
        raise RuntimeError(f"derive's oracles disagree (a bug in derive): {broken}") from None
    except Flaky as flaky:
        failures = [e for e in getattr(flaky, "exceptions", ()) if isinstance(e, _Failed)]
        counterexample = failures[0].counterexample if failures else None
        unstable = "flaky: it gave different answers to the same call"
        return Verdict(name, FAIL, len(runs), counterexample, _join(note, unstable))
    return Verdict(name, PASS, len(runs), None, note)


def _capture_cost_rule(name, function):
    """Whether to pass ``capture_cost_ops`` to ``function`` when drawn, and a note if not."""
    if name in _NO_CAPTURE_COST:
        return False, ""
    if name in _MAY_OMIT_CAPTURE_COST and not _takes(function, 3 if _SPECS[name].uses_k else 2):
        return False, "called without capture_cost_ops: it takes no such argument"
    return True, ""


def _join(*notes):
    return "; ".join(note for note in notes if note)


def verify(target, *, examples=EXAMPLES, timeout=TIMEOUT_S, progress=None,
           import_timeout=IMPORT_TIMEOUT_S):
    """Verify every lab function of ``target`` (a module, or a name/path for :func:`load_target`,
    imported within ``import_timeout`` seconds).

    ``progress`` is passed to :func:`verify_function` for each function in turn.
    """
    module = Sandboxed(target, import_timeout=import_timeout) if isinstance(target, str) else target
    label = target if isinstance(target, str) else getattr(target, "__name__", repr(target))
    try:
        verdicts = tuple(
            verify_function(module, name, examples=examples, timeout=timeout, progress=progress)
            for name in FUNCTIONS
        )
    finally:
        if isinstance(module, Sandboxed):
            module.close()
    return Report(label, verdicts, examples)


# -- a target in a child process -------------------------------------------------------------

class _Died(BaseException):
    """The target's process ended during a call."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


class _Ended(_Carries, BaseException):
    """A call ended the target's process: stop this function, with the call."""


class _Raised(Exception):
    """The target's function raised, in the child; ``text`` says what, as the child saw it."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


class _Remote:
    """A function of a :class:`Sandboxed` target: calling it asks the child."""

    def __init__(self, owner, name, binds):
        self.owner, self.name, self.binds = owner, name, binds

    def __call__(self, *arguments):
        try:
            answer = self.owner.box.call(self.name, list(arguments), self.owner.timeout)
        except BaseException:                      # interrupted (the alarm): the child may
            self.owner.box.close()                 # still be busy with this call; end it
            raise
        if answer.kind == "ok":
            return answer.value
        if answer.kind == "raised":
            raise _Raised(answer.text)
        if answer.kind == "timeout":
            raise _Hung()
        raise _Died(answer.text)


class Sandboxed:
    """A target (a module name or a ``.py`` path) imported in a child process, not here.

    Its functions are :class:`_Remote` callables: the child computes, this process
    compares. A child that hangs or ends is replaced for the next function; bad targets
    (not found, an exception or ``sys.exit`` at import, an import past ``import_timeout``)
    raise :class:`ValueError` as :func:`load_target` does.

    >>> target = Sandboxed("derive.numeric")
    >>> target.function("crossover")(30, 90)
    4
    >>> target.close()
    """

    def __init__(self, target, *, import_timeout=IMPORT_TIMEOUT_S, timeout=TIMEOUT_S):
        if not isinstance(target, str) or not target.strip():
            raise ValueError(f"target must be a module name or a path to a .py file, got {target!r}")
        self.target, self.import_timeout, self.timeout = target, import_timeout, timeout
        self.__name__ = target
        if target.endswith(".py") or os.sep in target or "/" in target:
            if not Path(target).is_file():
                raise ValueError(f"target {target!r} is not a file")
            self.mode, self.__file__ = "path", str(Path(target).resolve())
        elif all(part.isidentifier() for part in target.split(".")):
            self.mode = "module"
        else:
            raise ValueError(f"target must be a module name or a path to a .py file, got {target!r}")
        self.limits = Limits(cpu_s=3600, memory_mb=4096, processes=256)
        self.box = None
        self.ended = ""
        self._start()

    def _start(self):
        where = getattr(self, "__file__", self.target)
        self.box = Sandbox(where, FUNCTIONS, mode=self.mode, limits=self.limits,
                           import_timeout=self.import_timeout)
        loaded = self.box.loaded
        if loaded.ok:
            return
        self._release()
        if loaded.reason == "timeout":
            raise ValueError(f"importing {self.target} took longer than {self.import_timeout:g} s")
        if loaded.died:
            self.ended = f"importing the target ended the process: {loaded.reason}"
            return
        raise ValueError(f"cannot import target {self.target!r}: {loaded.reason}")

    def ready(self, name, timeout):
        """``None`` when ``name`` can be checked; else the :class:`Verdict` (an import that
        ended the process); a child that ended during the last function is replaced."""
        self.timeout = timeout
        if not self.ended and self.box.process.returncode is not None:
            self._release()
            self._start()
        if self.ended:
            return Verdict(name, ERROR, 0, None, self.ended)
        return None

    def function(self, name):
        info = self.box.functions.get(name, {"kind": "absent"})
        if info["kind"] == "absent":
            return None
        if info["kind"] != "function":
            return type(info["kind"], (), {})()
        return _Remote(self, name, info["binds"])

    def _release(self):
        """End the child; what it printed goes to stderr (the start of it), as a target's
        prints always did."""
        self.box.close()
        printed = self.box.output()
        if printed:
            sys.stderr.write(printed if printed.endswith("\n") else printed + "\n")
        self.box.remove()

    def close(self):
        if self.box is not None:
            self._release()
            self.box = None


# -- reporting -----------------------------------------------------------------------------

def progress_printer(stream):
    """A ``progress`` callback writing to ``stream``: a live counter on a terminal, cleared
    when each function is done; nothing off a terminal (the report says it all, once).

    >>> import io
    >>> log = io.StringIO()
    >>> progress = progress_printer(log)
    >>> progress("crossover", 1, None)
    >>> progress("crossover", 200, Verdict("crossover", PASS, 200))
    >>> log.getvalue()
    ''
    """
    live = stream.isatty()

    def progress(name, done, verdict):
        if verdict is None:
            if live and done % 10 == 1:
                stream.write(f"\rverify: {name} {done} examples")
                stream.flush()
            return
        if live:
            stream.write("\r\x1b[K")
            stream.flush()

    return progress


_MARKS = {PASS: "✓", FAIL: "✗", TIMEOUT: "✗", MISSING: "✗", NOT_DEFINED: "-", ERROR: "✗"}


def report_text(report):
    """The report for a person: one line per function, the failures with their example."""
    required = [v for v in report.verdicts if v.function not in OPTIONAL or v.status != NOT_DEFINED]
    good = sum(v.status == PASS for v in required)
    lines = [f"{report.target}: {good} of {len(required)} functions conform "
             f"(up to {report.examples} examples each, against derive's engine)"]
    width = max(len(name) for name in FUNCTIONS)
    for verdict in report.verdicts:
        first, *rest = verdict.describe().split("\n")
        lines.append(f"  {_MARKS[verdict.status]} {verdict.function:<{width}}  {first}")
        lines += [f"    {'':<{width}}  {line}" for line in rest]
    return "\n".join(lines)


def _counterexample_json(function, example):
    if example is None:
        return None
    return {
        "call": example.call,
        "arguments": example.arguments,
        "expected": _value_json(function, example.expected),
        "got": None if example.error is not None else _value_json(function, example.got),
        "error": example.error,
        "explanation": example.explanation,
    }


def report_json(report):
    """The report as one JSON object; exact numbers as strings (``"5/2"``)."""
    return json.dumps({
        "target": report.target,
        "passed": report.passed,
        "examples": report.examples,
        "functions": [
            {
                "function": v.function,
                "status": v.status,
                "examples": v.examples,
                "counterexample": _counterexample_json(v.function, v.counterexample),
                "note": v.note,
            }
            for v in report.verdicts
        ],
    }, indent=2)
