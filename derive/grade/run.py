"""Grade a class: workers that loaded derive once, a deterministic order, shards, progress.

:func:`grade_class` sorts the submissions by path, keeps the shard asked for (``--shard
I/N`` takes every N-th, starting at the I-th, so N CI jobs cover a class exactly once),
compiles the lab's oracles and the corpus in this process, then forks ``workers``
processes that inherit all of it — sympy, the engine, the exact answers — and grade one
submission at a time, each in its own sandboxed child. Results come back in submission
order whatever finishes first, so the same class gives the same report.

>>> parse_shard("2/3"), parse_shard(None)
((2, 3), (1, 1))
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

from .judge import Options, grade, prepare, submission_name

__all__ = ["Progress", "grade_class", "parse_shard", "select", "unbounded"]


def parse_shard(text):
    """``"I/N"`` as ``(I, N)`` with ``1 <= I <= N``; ``None`` is the whole class, ``(1, 1)``."""
    if text is None:
        return 1, 1
    index, sep, count = str(text).partition("/")
    if not (sep and index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise ValueError(f"--shard takes I/N with 1 <= I <= N, e.g. 2/4; got {text!r}")
    return int(index), int(count)


def select(paths, shard=(1, 1)):
    """The submissions of one shard, in the order they are graded (sorted by path).

    >>> select(["c.py", "a.py", "b.py", "d.py"], (2, 2))
    [PosixPath('b.py'), PosixPath('d.py')]
    """
    index, count = shard
    ordered = sorted(Path(p) for p in paths)
    names = [submission_name(p) for p in ordered]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"two submissions have the same name: {', '.join(repeated)}")
    return ordered[index - 1::count]


def unbounded(isolated, root, droppable):
    """Why a fork bomb would go unbounded here, or ``""``: root's processes ignore
    ``RLIMIT_NPROC``, so a child must run under another uid (isolated, or able to run the
    interpreter there) for the process limit to bind.

    >>> unbounded(True, True, False), unbounded(False, False, False)
    ('', '')
    >>> unbounded(False, True, False)[:40]
    'running as root without namespaces, and '
    """
    if root and not isolated and not droppable:
        return ("running as root without namespaces, and this interpreter cannot run under an "
                "unprivileged uid, so the process limit would not bind (root ignores it): run "
                "derive grade as an unprivileged user, or pass --allow-unbounded")
    return ""


class Progress:
    """One line on stderr, rewritten: done/total, submissions per second, time left.

    A dozen lines of its own rather than tqdm or rich: the project depends on neither, and
    this is all it needs. Off a terminal it prints a line every tenth of the class.
    """

    def __init__(self, total, stream=sys.stderr, enabled=True):
        self.total, self.stream, self.enabled = total, stream, enabled
        self.done, self.start, self.step = 0, time.monotonic(), max(1, total // 10)
        self.live = enabled and stream.isatty()

    def advance(self, name):
        self.done += 1
        if not self.enabled or not (self.live or self.done % self.step == 0 or self.done == self.total):
            return
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        line = f"grade: {self.done}/{self.total} {rate:.1f} submissions/s ETA {left:.0f}s ({name})"
        self.stream.write(f"\r\x1b[K{line}" if self.live else line + "\n")
        if self.live and self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


_JOB = {}


def _grade_one(path):
    return grade(path, _JOB["spec"], _JOB["options"])


def grade_class(paths, spec, options=Options(), *, workers=2, shard=(1, 1), progress=None):
    """Every submission of the shard graded, as a list of ``StudentResult`` in path order."""
    chosen = select(paths, shard)
    prepare(spec, options)                        # the corpus and exact answers, before forking
    _JOB.update(spec=spec, options=options)
    options.isolated                              # probe isolation once, in the parent
    results = []
    if workers <= 1 or len(chosen) <= 1:
        for path in chosen:
            results.append(grade(path, spec, options))
            if progress:
                progress.advance(results[-1].submission)
        return results
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(chosen)), maxtasksperchild=None) as pool:
        for result in pool.imap(_grade_one, chosen, chunksize=1):
            results.append(result)
            if progress:
                progress.advance(result.submission)
    return results


def cpu_count():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
