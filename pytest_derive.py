"""pytest's entry point for derive: ``pytest --derive-impl TARGET``, inert without the option.

Installed with derive as a top-level module and registered by entry point (``pytest11``),
so every pytest run in an environment that has derive loads it. It imports nothing of
derive until ``--derive-impl`` is given: loading it never imports the installed
``derive`` package, so a source tree of derive (a clone, with ``--doctest-modules``) is
collected from its own files, not shadowed by the installed copy. With the option it
hands over to :mod:`derive.conformance.pytest_plugin`, which adds one test per lab
function. Without installing derive: ``pytest -p pytest_derive`` (or ``-p
derive.conformance.pytest_plugin``, which loads this module); disable it with
``-p no:pytest_derive``.
"""

OPTION = "--derive-impl"
PLUGIN_NAME = "derive-conformance"


def pytest_addoption(parser):
    group = parser.getgroup("derive", "derive: conformance of an implementation of the lab")
    group.addoption(OPTION, dest="derive_impl", metavar="TARGET", default=None,
                    help="check the lab functions of TARGET (a module name or a .py file) "
                         "against derive's engine, one test per function; the configured "
                         "testpaths are then not collected (name paths to run them too)")
    group.addoption("--derive-examples", dest="derive_examples", metavar="N", type=int,
                    default=200, help="examples per function for --derive-impl (default: 200)")
    group.addoption("--derive-timeout", dest="derive_timeout", metavar="SECONDS", type=float,
                    default=2.0, help="time one call may take for --derive-impl (default: 2)")


def pytest_configure(config):
    import pytest

    target = config.getoption("derive_impl")
    if target is None or config.pluginmanager.has_plugin(PLUGIN_NAME):
        return
    examples, timeout = config.getoption("derive_examples"), config.getoption("derive_timeout")
    if examples < 1:
        raise pytest.UsageError(f"--derive-examples must be >= 1, got {examples}")
    if not timeout > 0:
        raise pytest.UsageError(f"--derive-timeout must be > 0, got {timeout}")
    from derive.conformance.pytest_plugin import Conformance

    config.pluginmanager.register(Conformance(target), PLUGIN_NAME)
