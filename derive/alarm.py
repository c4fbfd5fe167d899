"""A wall-clock limit on a block of Python code, by ``SIGALRM``.

``with time_limit(2.0, OutOfTime): work()`` raises ``OutOfTime()`` inside ``work`` once
two seconds have passed. The checker bounds sympy's simplification with it, and
``derive verify`` bounds each call of a student's function.

A signal timer exists only in the main thread of a POSIX process, and there is one per
process: where it cannot be used — another thread, or a timer already armed by someone
else (pytest-timeout, say) — the block runs unbounded, and callers keep their own
bounds (the parser's size limits, z3's timeout). It cannot interrupt a single long
C-level operation; it interrupts Python code between bytecodes.
"""

import signal
import threading
from contextlib import contextmanager

__all__ = ["time_limit"]


def _usable(seconds):
    return (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)     # nobody else's timer is armed


@contextmanager
def time_limit(seconds, error):
    """Raise ``error()`` inside the block after ``seconds`` (unbounded where no timer can be used).

    >>> with time_limit(1.0, TimeoutError):
    ...     sum(range(10))
    45
    """
    if not _usable(seconds):
        yield
        return

    def interrupt(signum, frame):
        raise error()

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
