"""The GPU measurements: a kernel launch, and eager vs graph runs held against the model.

STATUS: NOT YET RUN ON HARDWARE. This module was written and reviewed without a GPU
and is tested only against a fake torch whose costs are known; no figure from a real
device has been checked against it yet. Without torch or a usable CUDA device it
reports ``None`` with the reason, never a made-up figure.

==================  ================================================================
name                is
==================  ================================================================
``cuda_runs``       the GPU part: ``(CudaResult, None)``, or ``(None, reason)``
``CudaResult``      the device, a tiny kernel launch (``Timing``), one
                    :class:`derive.measure.calibration.Comparison` per chain length ``n``
``cuda_torch``      ``(torch, None)`` with a usable CUDA device, else ``(None, reason)``
==================  ================================================================

For each ``n`` in ``settings.num_ops`` (:class:`derive.measure.cpu.Settings`), ``k`` calls
of an ``n``-launch chain run eagerly and then from a ``torch.cuda.CUDAGraph`` captured
on the first call; every call ends with a synchronize, as a decode step that needs its
result does. The median running totals over ``settings.trials`` trials go to
:func:`derive.measure.calibration.compare_with_model`. A CUDA error (out of memory, a capture
refused) becomes the reason, not a traceback. torch is imported only when this runs.
"""

import statistics
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import partial

from .calibration import compare_with_model
from .cpu import INSTALL_TORCH, QUICK, import_torch
from .timing import Timing, significant

__all__ = ["CudaResult", "cuda_runs", "cuda_torch"]



@dataclass(frozen=True)
class CudaResult:
    """The GPU part: the device, a tiny kernel launch, and one comparison per ``n``."""

    device: str
    launch: Timing
    chains: tuple
    trials: int

    def as_dict(self):
        return {
            "device": self.device,
            "kernel_launch_us": significant(self.launch.median),
            "kernel_launch": self.launch.as_dict(),
            "trials": self.trials,
            "chains": [chain.as_dict() for chain in self.chains],
        }


def cuda_torch():
    """``(torch, None)`` when a CUDA device is usable, else ``(None, reason)``."""
    torch = import_torch()
    if torch is None:
        return None, f"torch is not installed ({INSTALL_TORCH})"
    if not torch.cuda.is_available():
        return None, f"no CUDA device: torch.cuda.is_available() is False (torch {torch.__version__})"
    return torch, None


def _capture(torch, body):
    """``body`` captured in a CUDA graph, after one warm-up pass on a side stream
    (as PyTorch's documentation asks before a capture)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        body()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        body()
    return graph


def _chain_totals(torch, num_ops, calls, clock):
    """One trial: running totals (ns) of ``calls`` eager calls and of ``calls`` graph calls.

    Each call ends with a synchronize, as a decode step that needs its result does, so
    a call's time is its launches plus the GPU work they did not hide (and the
    synchronize itself: the fit counts it in ``t_gpu``). The first graph call is
    warm-up + capture + first replay.
    """
    x = torch.zeros(1, device="cuda")

    def body():
        for _ in range(num_ops):
            x.add_(1.0)

    sync = torch.cuda.synchronize
    eager = []
    sync()
    start = clock()
    for _ in range(calls):
        body()
        sync()
        eager.append(clock() - start)
    graph = []
    sync()
    start = clock()
    captured = _capture(torch, body)
    captured.replay()
    sync()
    graph.append(clock() - start)
    for _ in range(calls - 1):
        captured.replay()
        sync()
        graph.append(clock() - start)
    del captured
    return eager, graph


def _median_totals(runs):
    """The median over trials of the running total (ns) after each call, in exact µs."""
    return [statistics.median(Fraction(ns, 1000) for ns in totals) for totals in zip(*runs)]


def cuda_runs(settings=QUICK, *, clock=time.perf_counter_ns, progress=None):
    """The GPU part, or ``(None, reason)`` without a usable GPU: ``(CudaResult, None)``.

    NOT YET RUN ON HARDWARE (see the module docstring). A tiny kernel launch (an
    in-place add on a one-element tensor, synchronized once per sample); then for each
    ``n`` in ``settings.num_ops``, ``settings.trials`` runs of ``settings.calls`` calls
    of an ``n``-launch chain eagerly and from a captured graph; the median running
    total at each call goes to :func:`compare_with_model`.
    """
    torch, reason = cuda_torch()
    if torch is None:
        return None, reason
    try:
        return _cuda_runs(torch, settings, clock, progress or (lambda label: None)), None
    except RuntimeError as error:                  # CUDA errors: out of memory, capture refused, ...
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return None, f"the CUDA run failed: {first_line}"


def _cuda_runs(torch, settings, clock, report):
    report("CUDA kernel launch")
    x = torch.zeros(1, device="cuda")
    launch = settings.time_call(partial(x.add_, 1.0), clock=clock, finish=torch.cuda.synchronize)
    chains = []
    for num_ops in settings.num_ops:
        report(f"CUDA chain of {num_ops} ops, eager vs graph")
        _chain_totals(torch, num_ops, 2, clock)                  # warm-up trial, thrown away
        trials = [_chain_totals(torch, num_ops, settings.calls, clock)
                  for _ in range(settings.trials)]
        eager, graph = (_median_totals(runs) for runs in zip(*trials))
        chains.append(compare_with_model(num_ops, eager, graph))
    device = torch.cuda.get_device_name(0)
    return CudaResult(device=device, launch=launch, chains=tuple(chains), trials=settings.trials)
