"""An implementation of the lab's functions, property-tested against the engine.

:mod:`~derive.conformance.suite` is ``derive verify``: a target's functions against the
engine's exact results on hypothesis-drawn points (the domains are
:mod:`derive.strategies`), each failure shrunk to its smallest example.
:mod:`~derive.conformance.pytest_plugin` is ``pytest --derive-impl``. This ``__init__``
imports nothing, so that the pytest plugin, loaded in every pytest run of an environment
that has derive, stays light until its option is used.

Floor 4: imports the engine (when a suite runs), :mod:`derive.strategies` and
:mod:`derive.alarm`; nothing above.
"""
