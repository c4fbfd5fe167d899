"""pytest plugin: ``pytest --derive-impl TARGET`` checks an implementation of the lab.

The options live in the top-level module :mod:`pytest_derive`, installed with derive and
registered by entry point (``pytest11``), so every pytest run in an environment that has
derive loads it — and imports nothing of derive until ``--derive-impl`` is given (a
clone's ``--doctest-modules`` run is not shadowed by the installed package). With it,
TARGET (a module name or a ``.py`` path, as for ``derive verify``) is imported in a child
process (its code never runs in pytest's own process, so it cannot decide its verdict) and
one test per lab function joins the session — ``derive-impl::crossover`` and so on —
running the conformance suite of :mod:`derive.conformance.suite`; a failure shows the
minimal counterexample::

    pytest --derive-impl examples/lab_impl.py
    pytest --derive-impl starter --derive-examples 1000 -k crossover

A missing required function fails; a missing ``per_call_ratio`` (optional) is skipped.
The repository's configured ``testpaths`` are not collected then; name paths to run
them beside it (``pytest --derive-impl lab.py tests/``). Without installing derive, load
the plugin by hand: ``pytest -p derive.conformance.pytest_plugin`` (this module loads
:mod:`pytest_derive`); disable it with ``-p no:pytest_derive``.
"""

from pathlib import Path

import pytest

from pytest_derive import OPTION

pytest_plugins = ["pytest_derive"]                 # the options and the entry point's hooks
SUITE = "derive-impl"                              # the node id of the suite: derive-impl::crossover


class Conformance:
    """The part of the plugin that exists only when ``--derive-impl`` is given."""

    def __init__(self, target):
        self.target = target
        self.module = None

    def pytest_sessionfinish(self, session):
        if self.module is not None:
            self.module.close()

    def pytest_ignore_collect(self, collection_path, config):
        """The repository's own testpaths are not collected unless named on the command line."""
        source = getattr(config, "args_source", None)
        if source is not None and source == pytest.Config.ArgsSource.TESTPATHS:
            return True
        return None

    def pytest_report_header(self, config):
        return f"derive: conformance of {self.target} ({OPTION})"

    @pytest.hookimpl(tryfirst=True)                # before -k and -m deselect
    def pytest_collection_modifyitems(self, session, config, items):
        from .suite import FUNCTIONS, Sandboxed

        try:
            module = self.module = Sandboxed(self.target)     # imported in a child, never here
        except ValueError as error:
            raise pytest.UsageError(f"{OPTION}: {error}") from None
        suite = ConformanceSuite.from_parent(session, name=SUITE, nodeid=SUITE, module=module,
                                             functions=FUNCTIONS)
        items.extend(session.genitems(suite))      # reported as collected, like any test file


class ConformanceFailure(Exception):
    """A lab function that does not conform; carries the :class:`~derive.conformance.suite.Verdict`."""

    def __init__(self, verdict):
        super().__init__(verdict.describe())
        self.verdict = verdict


class ConformanceSuite(pytest.Collector):
    """The conformance tests of one target: one item per lab function."""

    def __init__(self, *, module, functions, **kwargs):
        super().__init__(**kwargs)
        self.module = module
        self.functions = functions

    def collect(self):
        from .suite import OPTIONAL

        items = []
        for name in self.functions:
            item = ConformanceItem.from_parent(self, name=name)
            if name in OPTIONAL and self.module.function(name) is None:
                item.add_marker(pytest.mark.skip(reason=f"{name}: not defined (optional)"))
            items.append(item)
        return items


class ConformanceItem(pytest.Item):
    """One lab function of the target, property-tested against the engine."""

    def runtest(self):
        from .suite import NOT_DEFINED, PASS, verify_function

        verdict = verify_function(
            self.parent.module, self.name,
            examples=self.config.getoption("derive_examples"),
            timeout=self.config.getoption("derive_timeout"),
        )
        if verdict.status not in (PASS, NOT_DEFINED):
            raise ConformanceFailure(verdict)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ConformanceFailure):
            return excinfo.value.verdict.describe()
        return super().repr_failure(excinfo)

    def reportinfo(self):
        """Where the function is defined in the target (line 1 if it is not)."""
        source = getattr(self.parent.module, "__file__", None)
        code = getattr(getattr(self.parent.module, self.name, None), "__code__", None)
        line = code.co_firstlineno - 1 if code is not None else 0
        return (Path(source) if source else self.path), line, self.nodeid
