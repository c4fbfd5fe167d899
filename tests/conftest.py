"""Hypothesis profiles: ``dev`` (default), ``ci`` (derandomized: the same examples on
every run, selected by .ci/run with ``--hypothesis-profile=ci``) and ``thorough``; and
the torch fixtures the measuring tests share (``no_torch``, ``fake_gpu``)."""

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

from tests.measure.measuring import FakeTorch

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", derandomize=True, max_examples=200, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# -- torch for the measuring tests: hidden, or a fake GPU with known costs ----------------

@pytest.fixture
def no_torch(monkeypatch):
    """As if torch were not installed: ``import torch`` raises ImportError."""
    monkeypatch.setitem(sys.modules, "torch", None)


@pytest.fixture
def fake_gpu(monkeypatch):
    """A :class:`tests.measure.measuring.FakeTorch` with a device, found by every ``import torch``."""
    fake = FakeTorch()
    monkeypatch.setitem(sys.modules, "torch", fake)
    return fake
