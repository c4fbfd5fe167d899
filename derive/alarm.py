"""A wall-clock limit on a block of Python code, by ``SIGALRM``.

``with time_limit(2.0, OutOfTime): work()`` raises ``OutOfTime()`` inside ``work`` once
two seconds have passed. The checker bounds sympy's simplification with it, and
``derive verify`` bounds each call of a student's function.

Limits nest (one timer, set to the earliest deadline). A signal timer exists only in
the main thread of a POSIX process, and there is one per process: where it cannot be
used — another thread, or a timer already armed by someone else (pytest-timeout,
say) — the block runs unbounded, and callers keep their own
bounds (the parser's size limits, z3's timeout). It cannot interrupt a single long
C-level operation; it interrupts Python code between bytecodes.
"""

import signal
import threading
import time
from contextlib import contextmanager

__all__ = ["time_limit"]

# The limits armed by this module, innermost last: ``[deadline, error, fired]``. One
# process timer serves them all, set to the earliest deadline not yet fired; so a
# command-wide budget and the checker's shorter limits inside it both hold.
_armed = []
_previous_handler = None


def _usable(seconds):
    return (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and (_armed or signal.getitimer(signal.ITIMER_REAL)[0] == 0))  # nobody else's timer


def _arm():
    """Set the process timer to the earliest deadline not yet fired (or clear it)."""
    waiting = [entry[0] for entry in _armed if not entry[2]]
    if waiting:
        signal.setitimer(signal.ITIMER_REAL, max(1e-4, min(waiting) - time.monotonic()))
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _interrupt(signum, frame):
    now = time.monotonic()
    due = [entry for entry in _armed if not entry[2] and entry[0] <= now]
    if not due:                                    # early, or every limit already fired
        _arm()
        return
    entry = min(due, key=lambda entry: entry[0])
    entry[2] = True
    _arm()
    raise entry[1]()


@contextmanager
def time_limit(seconds, error):
    """Raise ``error()`` inside the block after ``seconds`` (unbounded where no timer can be used).

    Limits nest: inside an outer limit, an inner one raises its own error at its own
    deadline, and the outer one still raises at its deadline.

    >>> with time_limit(1.0, TimeoutError):
    ...     sum(range(10))
    45
    """
    global _previous_handler
    if not _usable(seconds):
        yield
        return
    entry = [time.monotonic() + seconds, error, False]
    if not _armed:
        _previous_handler = signal.signal(signal.SIGALRM, _interrupt)
    _armed.append(entry)
    _arm()
    try:
        yield
    finally:
        del _armed[next(i for i, armed in enumerate(_armed) if armed is entry)]
        if _armed:
            _arm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            previous, _previous_handler = _previous_handler, None
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
