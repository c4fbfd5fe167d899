"""Microseconds on the unit: ``derive measure``, and real runs held against the model.

:mod:`~derive.measure.harness` runs everything and writes the JSON; the parts are
:mod:`~derive.measure.timing` (warm-up, repeats, median and spread),
:mod:`~derive.measure.cpu` (Python calls and a torch op on the CPU),
:mod:`~derive.measure.cuda` (a kernel launch and eager vs graph replay on a GPU) and
:mod:`~derive.measure.calibration` (the wall-clock preset fitted to what was measured).
Their public names are importable from here. torch is imported only inside the functions
that use it, and sympy only inside those that ask the engine.

Floor 4: imports :mod:`derive.numeric`, :mod:`derive.text` and the engine; nothing above.
"""

from . import harness
from .harness import *  # noqa: F401,F403 -- the public names of every measuring part

__all__ = harness.__all__
