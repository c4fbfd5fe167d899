"""pytest plugin: ``pytest --derive-impl TARGET`` checks an implementation of the lab.

Installed with derive and registered by entry point (``pytest11``), so every pytest run
in an environment that has derive loads it. Without ``--derive-impl`` it only adds its
options: no sympy, no hypothesis strategies, no test items. With it, TARGET (a module name
or a ``.py`` path, as for ``derive verify``) is imported in a child process (its code never
runs in pytest's own process, so it cannot decide its verdict) and one test per lab function
joins the session — ``derive-impl::crossover`` and so on — running the conformance suite
of :mod:`derive.conformance.suite`; a failure shows the minimal counterexample::

    pytest --derive-impl examples/lab_impl.py
    pytest --derive-impl starter --derive-examples 1000 -k crossover

A missing required function fails; a missing ``per_call_ratio`` (optional) is skipped.
Without installing derive, load the plugin by hand: ``pytest -p derive.conformance.pytest_plugin``.
The entry point has that same name, so the two ways never register it twice; disable
it with ``-p no:derive.conformance.pytest_plugin``.
"""

from pathlib import Path

import pytest

OPTION = "--derive-impl"
SUITE = "derive-impl"                              # the node id of the suite: derive-impl::crossover
_PLUGIN_NAME = "derive-conformance"


def pytest_addoption(parser):
    group = parser.getgroup("derive", "derive: conformance of an implementation of the lab")
    group.addoption(OPTION, dest="derive_impl", metavar="TARGET", default=None,
                    help="check the lab functions of TARGET (a module name or a .py file) "
                         "against derive's engine, one test per function")
    group.addoption("--derive-examples", dest="derive_examples", metavar="N", type=int,
                    default=200, help="examples per function for --derive-impl (default: 200)")
    group.addoption("--derive-timeout", dest="derive_timeout", metavar="SECONDS", type=float,
                    default=2.0, help="time one call may take for --derive-impl (default: 2)")


def pytest_configure(config):
    target = config.getoption("derive_impl")
    if target is None:
        return
    examples, timeout = config.getoption("derive_examples"), config.getoption("derive_timeout")
    if examples < 1:
        raise pytest.UsageError(f"--derive-examples must be >= 1, got {examples}")
    if not timeout > 0:
        raise pytest.UsageError(f"--derive-timeout must be > 0, got {timeout}")
    config.pluginmanager.register(_Conformance(target), _PLUGIN_NAME)


class _Conformance:
    """The part of the plugin that exists only when ``--derive-impl`` is given."""

    def __init__(self, target):
        self.target = target
        self.module = None

    def pytest_sessionfinish(self, session):
        if self.module is not None:
            self.module.close()

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
