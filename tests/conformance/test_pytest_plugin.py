"""Tests of derive.conformance.pytest_plugin: ``pytest --derive-impl TARGET`` in a fresh pytest run.

pytester runs pytest on a temporary directory. Plugin autoloading is switched off there,
so that the runs do not depend on what is installed, and the plugin is loaded the way
an uninstalled checkout loads it: ``-p derive.conformance.pytest_plugin``.
"""

import os
from pathlib import Path

import pytest

import derive.conformance.suite  # noqa: F401  (imported once here, not again by every inner run)

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
LAB_IMPL = (ROOT / "examples" / "lab_impl.py").read_text()
CEIL = LAB_IMPL + '''

def crossover(num_ops, capture_cost_ops=None):
    import math
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if c < 1 else None
    return max(1, math.ceil((c - 1) / (num_ops - 1)))

del per_call_ratio
'''
PLUGIN = ("-p", "derive.conformance.pytest_plugin")
FAST = ("--derive-examples", "25")


@pytest.fixture
def pytester(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + (os.pathsep + path if path else ""))
    return pytester


def test_a_correct_implementation_passes_one_test_per_function(pytester):
    pytester.makepyfile(impl=LAB_IMPL)
    result = pytester.runpytest(*PLUGIN, "--derive-impl", "impl.py", *FAST, "-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines([
        "derive: conformance of impl.py (--derive-impl)",
        "*collected 5 items",
        "derive-impl::eager_launches PASSED*",
        "derive-impl::per_call_ratio PASSED*",
    ])
    assert result.ret == 0


def test_a_buggy_implementation_fails_with_its_minimal_example(pytester):
    pytester.makepyfile(impl=CEIL)
    result = pytester.runpytest(*PLUGIN, "--derive-impl", "impl.py", *FAST, "-rfs")
    result.assert_outcomes(passed=3, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "*derive-impl::crossover*",
        "crossover(2) returned 1, expected 2",
        "call 1: graph 2 >= eager 2; call 2: graph 3 < eager 4",
        "FAILED derive-impl::crossover - crossover(2) returned 1, expected 2",
        "SKIPPED [1] impl.py: per_call_ratio: not defined (optional)",
    ])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_target_by_module_name_and_k_selection(pytester):
    pytester.makepyfile(student_lab=CEIL)
    result = pytester.runpytest(*PLUGIN, "--derive-impl", "student_lab", *FAST, "-k", "crossover")
    result.assert_outcomes(failed=1, deselected=4)


def test_a_missing_function_fails_and_the_others_still_run(pytester):
    pytester.makepyfile(impl=LAB_IMPL + "\ndel asymptotic_speedup\n")
    result = pytester.runpytest(*PLUGIN, "--derive-impl", "impl.py", *FAST)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines([
        "FAILED derive-impl::asymptotic_speedup - missing: the target does not define it"])


def test_the_suite_runs_beside_the_repositorys_own_tests(pytester):
    pytester.makepyfile(impl=LAB_IMPL, test_mine="def test_mine():\n    assert True\n")
    result = pytester.runpytest(*PLUGIN, "--derive-impl", "impl.py", *FAST)
    result.assert_outcomes(passed=6)


@pytest.mark.parametrize("argv, message", [
    (("--derive-impl", "nope.py"), "ERROR: --derive-impl: target 'nope.py' is not a file"),
    (("--derive-impl", "impl.py", "--derive-examples", "0"),
     "ERROR: --derive-examples must be >= 1, got 0"),
    (("--derive-impl", "impl.py", "--derive-timeout", "0"),
     "ERROR: --derive-timeout must be > 0, got 0.0"),
], ids=["no file", "no examples", "no time"])
def test_bad_options_are_usage_errors(pytester, argv, message):
    pytester.makepyfile(impl=LAB_IMPL)
    result = pytester.runpytest(*PLUGIN, *argv)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_without_the_option_the_plugin_adds_nothing_and_imports_nothing_heavy(pytester):
    """In a process of its own: our test process has long imported sympy."""
    pytester.makepyfile(test_light='''
import sys

def test_nothing_heavy_was_imported():
    heavy = {"sympy", "derive.conformance.suite", "derive.strategies", "derive.engine.derivation"}
    assert heavy.isdisjoint(sys.modules), heavy & set(sys.modules)
    assert "derive.conformance.pytest_plugin" in sys.modules
''')
    result = pytester.runpytest_subprocess(*PLUGIN)
    result.assert_outcomes(passed=1)
    help_text = pytester.runpytest_subprocess(*PLUGIN, "--help")
    help_text.stdout.fnmatch_lines(["*--derive-impl=TARGET*"])


def test_the_readme_line_runs_inside_the_clone():
    """Issue 14.1: setup.cfg no longer disables the plugin, and --derive-impl checks only the
    target there (the clone's testpaths are not collected unless named)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_derive", "--derive-impl",
         "examples/lab_impl.py", "--derive-examples", "20", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_the_entry_point_imports_nothing_of_derive(pytester):
    """The pytest11 entry point is the top-level pytest_derive: loading it must not import the
    derive package, or an installed copy shadows a source tree's doctests."""
    pytester.makepyfile(test_clean='''
import sys

def test_derive_not_imported():
    assert not any(name == "derive" or name.startswith("derive.") for name in sys.modules)
''')
    result = pytester.runpytest_subprocess("-p", "pytest_derive")
    result.assert_outcomes(passed=1)
