"""Support for tests that need a program from the system."""

import os
import shutil

import pytest


def needs_program(name):
    """Skip where ``name`` is not installed, except in CI (``CI`` set), where it must be.

    CI installs what the tests need (.ci/system-packages), so there a missing program
    fails the test instead of skipping it into a pass.
    """
    if shutil.which(name) or os.environ.get("CI"):
        return lambda test: test
    return pytest.mark.skip(reason=f"{name} is not installed")


needs_pdflatex = needs_program("pdflatex")
