"""Grade one submission: stage it alone, run it in a sandbox, judge every answer here.

The submission (a ``.py`` file, or a folder holding one) is copied into a fresh
directory of its own, which is all the child sees of the file system when the machine
can isolate it (:func:`derive.conformance.sandbox.isolation`). The child imports it and
answers the calls of a fixed corpus of arguments (:func:`derive.conformance.spec.corpus`,
smallest first); this process — the judge — compares every answer with the engine's,
exactly, so the first failing point is the smallest one and the student's code never
takes part in its own verdict. A child that hangs, dies or floods its output ends only
its own function: the next function gets a fresh child.

Statuses, per function: ``pass``; ``fail`` (a wrong answer, or an exception, with the
smallest failing call); ``error`` (the process ended: ``os._exit``, a signal, a crash,
or the submission could not be imported); ``timeout``; ``missing``.

>>> from derive.conformance.spec import lab_spec
>>> import derive.numeric, pathlib
>>> result = grade(pathlib.Path(derive.numeric.__file__), lab_spec(), Options(count=20, isolate=False))
>>> result.score, result.max_score, [f.status for f in result.functions]
(4, 4, ['pass', 'pass', 'pass', 'pass'])
"""

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..conformance.sandbox import Limits, Sandbox, can_drop, isolation, sandbox_uid
from ..conformance.spec import corpus
from ..conformance.suite import Counterexample, Verdict, _value_text, conforms
from ..conformance.suite import _text as value_text
from .mistakes import name_mistake

__all__ = ["STATUSES", "FunctionResult", "Options", "StudentResult", "grade", "prepare",
           "submission_name"]

STATUSES = ("pass", "fail", "error", "timeout", "missing")
PASS, FAIL, ERROR, TIMEOUT, MISSING = STATUSES
_PREFERRED = ("starter.py", "solution.py", "submission.py", "lab.py", "main.py")
_MAX_FILES, _MAX_BYTES = 64, 1 << 20
_ENOUGH = 8                         # failures of one function: enough to name its mistake


@dataclass(frozen=True)
class Options:
    """How to grade: seconds per call and for the import, MB of memory, corpus size, seed."""

    timeout: float = 2.0
    import_timeout: float = 10.0
    memory_mb: int = 1024
    count: int = 160
    seed: int = 0
    isolate: bool = None            # None: wherever the machine can

    @property
    def isolated(self):
        return isolation()[0] if self.isolate is None else self.isolate


@dataclass(frozen=True)
class FunctionResult:
    """One function of one student: ``status``, points, feedback as ``derive verify`` words it."""

    function: str
    status: str
    score: int
    max_score: int
    feedback: str
    mistake: str = ""
    call: str = ""
    expected: str = ""
    got: str = ""


@dataclass(frozen=True)
class StudentResult:
    """One student: every function's result, the total, a note, the start of their output."""

    submission: str
    functions: tuple
    note: str = ""
    output: str = ""
    seconds: float = field(default=0.0, compare=False)

    @property
    def score(self):
        return sum(f.score for f in self.functions)

    @property
    def max_score(self):
        return sum(f.max_score for f in self.functions)


def submission_name(path):
    """A student's name from their submission's path: the file's stem or the folder's name.

    >>> submission_name(Path("class/alice.py")), submission_name(Path("class/bob/"))
    ('alice', 'bob')
    """
    return path.stem if path.suffix == ".py" else path.name


# -- the corpus, prepared once per worker --------------------------------------------------

_PREPARED = {}


def prepare(spec, options):
    """``{function: (points, expected answers)}`` for ``spec``, computed once and kept."""
    key = (id(spec), options.count, options.seed)
    if key not in _PREPARED:
        table = {}
        for f in spec.functions:
            points = corpus(spec, f, count=options.count, seed=options.seed)
            table[f.name] = (points, [f.oracle(*p) for p in points])
        _PREPARED[key] = table
    return _PREPARED[key]


# -- staging -------------------------------------------------------------------------------

def _stage(path, into):
    """Copy the submission into ``into``; return the path of the .py to import, or a reason."""
    if path.is_file():
        if path.suffix != ".py":
            return None, f"{path.name} is not a .py file"
        shutil.copyfile(path, into / path.name)
        return into / path.name, ""
    if not path.is_dir():
        return None, f"{path} is neither a .py file nor a folder"
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.is_symlink())
    if len(files) > _MAX_FILES or sum(p.stat().st_size for p in files) > _MAX_BYTES:
        return None, f"the folder holds more than {_MAX_FILES} files or {_MAX_BYTES >> 20} MB"
    sources = [p.name for p in files if p.suffix == ".py"]
    chosen = next((name for name in _PREFERRED if name in sources), None)
    if chosen is None and len(sources) == 1:
        chosen = sources[0]
    if chosen is None:
        found = ", ".join(sources) or "none"
        return None, f"the folder should hold one .py file (or a starter.py); it holds {found}"
    for p in files:
        shutil.copyfile(p, into / p.name)
    return into / chosen, ""


# -- judging -------------------------------------------------------------------------------

def _text(function, value):
    return _value_text(function, value)


def _explain(spec, f, values, expected, got):
    """For the crossover: both totals at the calls that matter, as ``derive verify`` shows."""
    if f.quantity != "crossover":
        return ""
    point = f.point(*values)
    d = spec.derivation
    first, second = spec.model.labels
    baseline, amortized = d.function("baseline"), d.function("amortized")
    calls = set()
    if expected is not None:
        calls.update(k for k in (expected - 1, expected) if k >= 1)
    if isinstance(got, int) and not isinstance(got, bool) and 1 <= got and got.bit_length() < 64:
        calls.add(got)
    shown = []
    for k in sorted(calls):
        a, b = amortized(*point, k), baseline(*point, k)
        shown.append(f"call {k}: {second} {_text('', a)} {'<' if a < b else '>='} {first} {_text('', b)}")
    return "; ".join(shown)


def _call_text(name, values):
    return f"{name}({', '.join(value_text(v) for v in values)})"


def _result(spec, f, status, count, values=None, expected=None, got=None, error=None, mistake="",
            note="", point=None):
    example = None
    if values is not None:
        shown = {a.name: _text("", v) for a, v in zip(f.arguments, values)}
        why = _explain(spec, f, point, expected, got) if error is None and point else ""
        example = Counterexample(_call_text(f.name, values), shown, expected, got, error, why)
    verdict = Verdict(f.name, status, count, example, note)
    feedback = verdict.describe()
    if mistake:
        feedback += f"\nthe classic mistake: {mistake}"
    return FunctionResult(
        f.name, status, 1 if status == PASS else 0, 1, feedback, mistake,
        example.call if example else "", _text(f.name, expected) if example else "",
        (error or _text(f.name, got)) if example else "")


def _arguments(f, info, points):
    """The argument lists to send, and a note when defaulted arguments are left out."""
    full, required = len(f.arguments), sum(1 for a in f.arguments if a.default is None)
    binds = info.get("binds", [])
    drop_defaults = full not in binds and required in binds and required < full
    chosen, sent = [], []
    for i, p in enumerate(points):
        values = list(p)
        if drop_defaults and any(values[required:]):
            continue
        while len(values) > required and values[-1] is None:
            values.pop()
        chosen.append(i)
        sent.append(values)
    names = ", ".join(a.name for a in f.arguments[required:])
    note = f"called without {names}: it takes no such argument" if drop_defaults else ""
    return chosen, sent, note


def _judge(spec, f, box, prepared, options):
    points, answers = prepared[f.name]
    info = box.functions.get(f.name, {"kind": "absent"})
    if info["kind"] == "absent":
        return _result(spec, f, MISSING, 0, note="missing: the submission does not define it")
    if info["kind"] != "function":
        return _result(spec, f, MISSING, 0, note=f"missing: {f.name} is a {info['kind']}, not a function")
    chosen, sent, note = _arguments(f, info, points)
    failures, answered = [], []
    count = 0
    for index, values, answer in zip(chosen, sent, box.calls(f.name, sent, options.timeout)):
        count += 1
        expected = answers[index]
        if answer.kind == "timeout":
            hung = "not shrunk: each try could take {:g} s (does it walk k upward?)".format(options.timeout)
            mistake = name_mistake(spec, f, failures, answered, timed_out=True)
            return _result(spec, f, TIMEOUT, count, values, expected, error=answer.text,
                           mistake=mistake, note=_join(note, hung))
        if answer.kind == "died":
            return _result(spec, f, ERROR, count, values, expected,
                           error=f"ended the process ({answer.text})", note=note)
        answered.append((points[index], answer))
        if answer.kind == "raised" or not conforms(expected, answer.value):
            failures.append((points[index], expected, answer))
            if len(failures) >= _ENOUGH and len(answered) - len(failures) >= _ENOUGH:
                box.close()                       # enough to name the mistake: stop the child
                break                             # (passes too: they tell ceil(x) from x)
    if not failures:
        return _result(spec, f, PASS, count, note=note)
    point, expected, answer = failures[0]
    values = sent[chosen.index(points.index(point))]
    mistake = name_mistake(spec, f, failures, answered)
    if answer.kind == "raised":
        return _result(spec, f, FAIL, count, values, expected, error=answer.text, mistake=mistake, note=note)
    return _result(spec, f, FAIL, count, values, expected, got=answer.value, mistake=mistake, note=note,
                   point=point)


def _join(*notes):
    return "; ".join(n for n in notes if n)


def grade(path, spec, options=Options(), *, name=None):
    """The :class:`StudentResult` of the submission at ``path`` for the lab ``spec``."""
    path = Path(path)
    name = name or submission_name(path)
    started = time.monotonic()
    prepared = prepare(spec, options)
    workspace = Path(tempfile.mkdtemp(prefix="derive-grade-"))
    isolate = options.isolated
    uid = sandbox_uid() if isolate and os.geteuid() == 0 or can_drop() else None
    workspace.chmod(0o711)                        # the child's uid passes through to its folder
    try:
        work = workspace / "submission"
        work.mkdir()
        try:
            target, problem = _stage(path, work)
        except OSError as error:
            target, problem = None, f"cannot read the submission: {error.strerror or error}"
        if target is None:
            results = tuple(_result(spec, f, ERROR, 0, note=problem) for f in spec.functions)
            return StudentResult(name, results, problem, "", time.monotonic() - started)
        if uid is not None:
            for p in (work, *work.iterdir()):
                os.chown(p, uid, uid)
        limits = Limits(memory_mb=options.memory_mb,
                        cpu_s=int(options.import_timeout + options.timeout * options.count) + 5)
        results, note, output = [], "", ""
        box = None
        for f in spec.functions:
            if box is None or box.process.returncode is not None:
                if box is not None:
                    output = output or box.output()
                    box.remove()
                box = Sandbox(str(target), spec.names, isolate=isolate, workdir=str(work),
                              cwd=str(work), limits=limits, drop_to=uid,
                              import_timeout=options.import_timeout)
                if not box.loaded.ok:
                    note = _import_note(box.loaded, options)
                    status = TIMEOUT if box.loaded.reason == "timeout" else ERROR
                    output = output or box.output()
                    box.remove()
                    results = [_result(spec, g, status, 0, note=note) for g in spec.functions]
                    break
            results.append(_judge(spec, f, box, prepared, options))
        if box is not None:
            box.close()
            output = output or box.output()
            box.remove()
        return StudentResult(name, tuple(results), note, output, time.monotonic() - started)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _import_note(loaded, options):
    if loaded.reason == "timeout":
        return f"importing the submission took longer than {options.import_timeout:g} s"
    if loaded.died:
        return f"importing the submission ended the process: {loaded.reason}"
    return f"importing the submission failed: {loaded.reason}"
