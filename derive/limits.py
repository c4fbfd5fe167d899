"""Bounds on every command: how much it reads, how long it may work.

=======================  ==========================================================
``read_file``            the bytes of a regular file, at most a limit; never blocks
``MAX_FILE``             the most bytes any config or data file may have (1 MiB)
``BUDGETS``              the seconds each command may work before it gives up
``MAX_PARAMETERS``       the most parameters a model of your own may have
=======================  ==========================================================

A file is read only when it is a regular file: ``/dev/zero`` would grow without end
and a FIFO would block for ever, so both are refused before a byte is read. The file is
opened without blocking and checked through its open descriptor, so a path swapped for a
FIFO between the check and the read cannot block either.

The budgets are the numbers in README's "Budgets" table; the command line enforces
them with :mod:`derive.alarm` and answers exit 2 with one line when one runs out.

Floor 1: imports :mod:`derive.errors`; nothing else of the package.
"""

import os
import stat

from .errors import shown, shown_path

__all__ = ["BUDGETS", "MAX_FILE", "MAX_PARAMETERS", "read_file"]

#: The most bytes of a config or data file (a ladder TOML, a measure JSON): the largest
#: sensible one is a few kilobytes (a traffic table of 2,048 weights is about 30 kB).
MAX_FILE = 1024 * 1024

#: The most parameters of a model typed with ``--baseline``/``--amortized``: measured,
#: 32 positive parameters derive in about a second; 50 take 3–5 s, 200 over two minutes
#: (sympy's assumption queries on sums of many positive symbols).
MAX_PARAMETERS = 32

#: Seconds each command may work (its whole run, the import of sympy included), as the
#: command line enforces them. ``steps`` has its own, smaller deadline for the checking
#: (``--seconds``, 5 by default), and this one is its backstop; ``verify`` bounds each
#: call and the import instead (``--timeout``, ``--import-timeout``), and ``measure``
#: its samples (``--quick``); neither is listed.
BUDGETS = {
    "lab": 20,
    "show": 10,
    "check": 10,
    "steps": 15,
    "prove": 120,
    "plot": 60,
    "report": 120,
    "exercises": 60,
    "ladder": 30,
}


def read_file(path, what, limit=MAX_FILE):
    """The bytes of the regular file at ``path``, refused when longer than ``limit``.

    ``what`` names the file in messages (``"the ladder config"``).

    >>> read_file("/dev/zero", "the ladder config")
    Traceback (most recent call last):
    ...
    ValueError: the ladder config /dev/zero is not a regular file
    """
    try:
        descriptor = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except TypeError:
        raise TypeError(f"{what} must be a path, got {type(path).__name__} {shown(path)}") from None
    except OSError as error:
        raise ValueError(f"{what} {shown_path(path)}: {(error.strerror or str(error)).lower()}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError(f"{what} {shown_path(path)} is not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:                        # /proc/self/mem: a regular file that cannot be read
        raise ValueError(f"{what} {shown_path(path)}: {(error.strerror or str(error)).lower()}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise ValueError(f"{what} {shown_path(path)} is longer than {limit} bytes")
    return data
