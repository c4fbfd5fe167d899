"""Put microseconds on the unit: what one launch costs on this machine, and real runs
held against the model.

The model counts launches. ``measure()`` times what a launch stands for here — a
no-op Python call, a Python call stack 300 deep, a tiny ``torch.mm`` dispatched on the
CPU and, with a GPU, a tiny CUDA kernel launch — and picks the figure that best stands
for one launch as ``unit_us``. With ``cuda=True`` and a GPU it also runs ``k`` calls of
an ``n``-op chain eagerly and from a captured ``torch.cuda.CUDAGraph``, and holds the
measured totals against the model's predictions (:func:`compare_with_model`).

==========================  ==========================================================
function                    answers
==========================  ==========================================================
``measure``                 everything below, with progress reports → ``Measurement``
``python_call_us``          a no-op Python function call (``Timing``)
``call_stack_300_us``       a no-op call stack 300 frames deep (``Timing``)
``torch_op_us``             a tiny ``torch.mm`` on the CPU (``Timing``; ``None``
                            without torch)
``cuda_runs``               the GPU part: a kernel launch, eager vs graph chains
                            (``(CudaResult, None)``, or ``(None, reason)``)
``compare_with_model``      measured eager/graph totals against the model (pure)
``fit_wall_clock``          ``t_launch``, ``t_gpu`` and ``c`` from three per-call times
``load_unit_us``            the unit in µs from a number or a measured JSON file
``format_text``             a ``Measurement`` as a short text report
==========================  ==========================================================

torch is an optional extra (``pip install 'derive[measure]'``, the CPU build is
enough for everything but ``cuda``); it is imported only inside the functions that use
it, and sympy only inside those that ask the engine.

STATUS OF THE CUDA PATH: NOT YET RUN ON HARDWARE. :func:`cuda_runs` was written and
reviewed without a GPU; on a machine without one it reports ``None`` with a reason.
Everything it feeds — :func:`compare_with_model`, :func:`fit_wall_clock` — is pure
and tested on synthetic totals.

Algorithm notes (the comparison). The ``wall-clock`` preset
(:data:`derive.presets.WALL_CLOCK`) adds GPU time per call to the launch model: eager call ``n·t_launch + t_gpu``,
first graph call ``c·t_launch + t_gpu``, replay ``t_launch + t_gpu``. From the
measured per-call medians — eager ``e``, first graph call ``f``, replay ``r`` — the
engine solves the model's coefficients for ``t_launch``, ``t_gpu`` and ``c`` (one
exact solution for ``n ≥ 2`` and ``e ≠ r``), and inverts its asymptote
(:func:`derive.presets.gpu_launch_ratio`): from a measured speedup ``S = e/r``,
``t_gpu/t_launch = (n − S)/(S − 1)``. The crossover does not
depend on ``t_gpu`` (it adds the same to both totals per call), so the model's first
winning call is the lab's ``crossover(n, c)`` at the fitted ``c``; the lab's own
headline assumes ``c = n`` (call 2). The fit is then held against every measured total:
``deviation`` is the largest relative gap between a measured total and the model's.
"""

import datetime
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial
from numbers import Rational

from .numeric import asymptotic_speedup, crossover, eager_launches, per_call_ratio
from .timing import Timing, significant, time_call

__all__ = [
    "FULL",
    "QUICK",
    "Comparison",
    "CudaResult",
    "Measurement",
    "Settings",
    "WallClockFit",
    "call_stack_300_us",
    "call_stack_us",
    "compare_with_model",
    "cuda_runs",
    "fit_wall_clock",
    "format_text",
    "load_unit_us",
    "machine_info",
    "measure",
    "progress_printer",
    "python_call_us",
    "torch_op_us",
]

INSTALL_TORCH = "pip install 'derive[measure]'"


@dataclass(frozen=True)
class Settings:
    """How hard to measure: samples per figure, and the size of the CUDA runs."""

    repeat: int           # samples kept per figure
    warmup: int           # samples thrown away first
    min_sample_ns: int    # autorange: calls per sample until one lasts this long
    calls: int            # k: calls per CUDA chain run
    trials: int           # CUDA chain runs per n (the median total at each k is kept)
    num_ops: tuple        # the n of the CUDA chains


QUICK = Settings(repeat=7, warmup=1, min_sample_ns=2_000_000, calls=20, trials=3, num_ops=(3, 30, 300))
FULL = Settings(repeat=25, warmup=2, min_sample_ns=20_000_000, calls=50, trials=9, num_ops=(3, 30, 300))


# -- the CPU measurements --------------------------------------------------------------

def _noop():
    pass


def _descend(depth):
    """A call stack ``depth`` frames deep that does nothing: the Python cost of nesting."""
    if depth > 1:
        _descend(depth - 1)


def _time(func, settings, clock, finish=None):
    return time_call(func, repeat=settings.repeat, warmup=settings.warmup,
                     min_sample_ns=settings.min_sample_ns, finish=finish, clock=clock)


def python_call_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """A no-op Python function call, in µs per call (loop included, as in :mod:`timeit`).

    >>> python_call_us().median > 0
    True
    """
    return _time(_noop, settings, clock)


def call_stack_us(depth, settings=QUICK, *, clock=time.perf_counter_ns):
    """A no-op call stack ``depth`` frames deep, in µs per whole stack.

    >>> call_stack_us(1).repeat
    7
    """
    if isinstance(depth, bool) or not isinstance(depth, int):
        raise TypeError(f"depth must be an int >= 1, got {type(depth).__name__} {depth!r}")
    if not 1 <= depth <= sys.getrecursionlimit() // 2:
        raise ValueError(
            f"depth must be between 1 and {sys.getrecursionlimit() // 2} "
            f"(half the recursion limit), got {depth!r}"
        )
    return _time(partial(_descend, depth), settings, clock)


def call_stack_300_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """The lab's stand-in for a 300-op model step: a no-op call stack 300 deep, in µs.

    >>> call_stack_300_us().number >= 1
    True
    """
    return call_stack_us(300, settings, clock=clock)


def _import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def torch_op_us(settings=QUICK, *, clock=time.perf_counter_ns):
    """A tiny ``torch.mm`` (4×4 by 4×4) dispatched on the CPU, in µs; ``None`` without torch.

    Nearly all of it is dispatch — argument parsing, dispatcher, allocation of the
    result — which is the CPU side of what a GPU launch costs.
    """
    torch = _import_torch()
    if torch is None:
        return None
    left = torch.ones(4, 4)
    right = torch.ones(4, 4)
    return _time(partial(torch.mm, left, right), settings, clock)


# -- the model, asked through the engine -----------------------------------------------

@cache
def _engine():
    """The wall-clock preset's derivation, its fit and its inverse, derived and compiled once."""
    import sympy

    from .derivation import derive
    from .evaluate import compile_expression
    from .presets import WALL_CLOCK, gpu_launch_ratio
    from .symbols import c, n, speedup, t_gpu, t_launch

    derivation = derive(WALL_CLOCK)
    eager, first, replay = sympy.symbols("e f r", positive=True)
    # The fit: eager call = b1, replay = a1, first graph call = a0 + a1 (since b0 = 0).
    b0, b1, a0, a1 = WALL_CLOCK.coefficients()
    (solution,) = sympy.solve([b1 - eager, a1 - replay, a0 + a1 - first], [t_launch, t_gpu, c], dict=True)
    fit = {name: compile_expression(sympy.cancel(solution[s]), (n, eager, first, replay))
           for name, s in (("t_launch", t_launch), ("t_gpu", t_gpu), ("c", c))}
    # The inverse of the ceiling, (n − S)/(S − 1), compiled so that it also answers for
    # a speedup beyond n (which gpu_launch_ratio refuses): compare_with_model flags those.
    ratio = compile_expression(gpu_launch_ratio(), (n, speedup))
    return derivation, fit, ratio


def _exact(name, value):
    """A measured figure as an exact Fraction (floats taken exactly); finite and > 0."""
    if isinstance(value, bool) or not isinstance(value, (Rational, float)):
        raise TypeError(f"{name} must be a number > 0, got {type(value).__name__} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    exact = Fraction(value)
    if exact <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return exact


def _num_ops(num_ops):
    if isinstance(num_ops, bool) or not isinstance(num_ops, int):
        raise TypeError(f"num_ops must be an int >= 2, got {type(num_ops).__name__} {num_ops!r}")
    if num_ops < 2:
        raise ValueError(
            f"num_ops must be >= 2 to tell launch time from GPU time, got {num_ops!r}"
        )
    return num_ops


@dataclass(frozen=True)
class WallClockFit:
    """The wall-clock model fitted to three per-call times (µs): its parameters."""

    t_launch_us: Fraction       # time per launch
    t_gpu_us: Fraction          # GPU time per call not hidden behind launches
    capture_cost_ops: Fraction  # c: the first graph call, in launches

    @property
    def gpu_to_launch(self):
        return self.t_gpu_us / self.t_launch_us


def fit_wall_clock(num_ops, eager_call_us, first_call_us, replay_call_us):
    """The wall-clock model's ``t_launch``, ``t_gpu`` and ``c`` that give these per-call times.

    Eager call ``n·t_launch + t_gpu``, first graph call ``c·t_launch + t_gpu``, replay
    ``t_launch + t_gpu``. A measurement may land outside the model (``t_gpu < 0`` when
    a replay costs less than one eager launch); the fit says so rather than hiding it.

    >>> fit = fit_wall_clock(30, eager_call_us=170, first_call_us=470, replay_call_us=25)
    >>> fit.t_launch_us, fit.t_gpu_us, fit.capture_cost_ops
    (Fraction(5, 1), Fraction(20, 1), Fraction(90, 1))
    """
    num_ops = _num_ops(num_ops)
    eager = _exact("eager_call_us", eager_call_us)
    first = _exact("first_call_us", first_call_us)
    replay = _exact("replay_call_us", replay_call_us)
    if eager <= replay:
        raise ValueError(
            f"eager_call_us must exceed replay_call_us for a launch to cost time, "
            f"got eager_call_us={eager_call_us!r} and replay_call_us={replay_call_us!r}"
        )
    fit = _engine()[1]
    args = (num_ops, eager, first, replay)
    return WallClockFit(*(Fraction(fit[name](*args)) for name in ("t_launch", "t_gpu", "c")))


@dataclass(frozen=True)
class Comparison:
    """Measured eager and graph totals of ``calls`` calls of an ``num_ops``-op chain,
    held against the model. Times in µs; ``None`` where a figure does not exist."""

    num_ops: int
    calls: int
    eager_call_us: Fraction          # median eager call
    first_call_us: Fraction          # the first graph call: warm-up, capture, first replay
    replay_call_us: Fraction         # median replay
    speedup: Fraction                # eager call / replay: the measured per-call speedup
    ceiling: int                     # the launch model's asymptotic speedup, n
    gpu_to_launch: object            # t_gpu/t_launch from the speedup, or None
    fit: object                      # WallClockFit, or None
    crossover_measured: object       # first call with graph total < eager total, None: not within calls
    crossover_model: object          # crossover(n, fitted c); None: never or no fit
    crossover_lab: object            # crossover(n): the lab's c = n
    ratio_measured: Fraction         # E(calls)/G(calls), measured
    ratio_wall_clock: object         # the same, predicted by the fitted wall-clock model
    ratio_launch: object             # the same, predicted by the launch model at the fitted c
    deviation: object                # largest relative gap between measured and fitted totals
    notes: tuple = ()

    def as_dict(self):
        fit = self.fit
        return {
            "num_ops": self.num_ops,
            "calls": self.calls,
            "eager_call_us": significant(self.eager_call_us),
            "first_call_us": significant(self.first_call_us),
            "replay_call_us": significant(self.replay_call_us),
            "speedup": {"measured": significant(self.speedup), "ceiling": self.ceiling},
            "t_gpu_over_t_launch": significant(self.gpu_to_launch),
            "fit": None if fit is None else {
                "t_launch_us": significant(fit.t_launch_us),
                "t_gpu_us": significant(fit.t_gpu_us),
                "capture_cost_ops": significant(fit.capture_cost_ops),
            },
            "crossover": {
                "measured": self.crossover_measured,
                "model": self.crossover_model,
                "lab": self.crossover_lab,
            },
            "per_call_ratio": {
                "measured": significant(self.ratio_measured),
                "wall_clock": significant(self.ratio_wall_clock),
                "launch_model": significant(self.ratio_launch),
            },
            "deviation": significant(self.deviation, 3),
            "notes": list(self.notes),
        }


def _totals(name, values):
    values = tuple(_exact(name, v) for v in values)
    if any(later < earlier for earlier, later in zip(values, values[1:])):
        raise ValueError(f"{name} must be running totals (never decreasing), got {list(values)}")
    return values


def compare_with_model(num_ops, eager_totals_us, graph_totals_us):
    """Hold the measured running totals of eager and graph calls against the model.

    ``eager_totals_us[i]`` and ``graph_totals_us[i]`` are the totals after call ``i + 1``.
    Synthetic totals drawn from the wall-clock model come back exactly:

    >>> eager = [170 * k for k in range(1, 7)]
    >>> graph = [470 + 25 * (k - 1) for k in range(1, 7)]
    >>> cmp = compare_with_model(30, eager, graph)
    >>> cmp.crossover_measured, cmp.crossover_model, cmp.crossover_lab
    (4, 4, 2)
    >>> cmp.speedup, cmp.gpu_to_launch, cmp.deviation
    (Fraction(34, 5), Fraction(4, 1), Fraction(0, 1))
    """
    num_ops = _num_ops(num_ops)
    eager = _totals("eager_totals_us", eager_totals_us)
    graph = _totals("graph_totals_us", graph_totals_us)
    if len(eager) != len(graph) or len(eager) < 2:
        raise ValueError(
            "eager_totals_us and graph_totals_us must hold the same number (>= 2) of totals, "
            f"got {len(eager)} and {len(graph)}"
        )
    calls = len(eager)
    eager_call = Fraction(statistics.median(_steps(eager)))
    replay_call = Fraction(statistics.median(_steps(graph)[1:]))
    first_call = graph[0]
    speedup = eager_call / replay_call
    measured = next((i + 1 for i in range(calls) if graph[i] < eager[i]), None)
    notes = []

    fit = ratio = None
    if speedup > 1:
        fit = fit_wall_clock(num_ops, eager_call, first_call, replay_call)
        ratio = Fraction(_engine()[2](num_ops, speedup))
        if fit.t_gpu_us < 0:
            notes.append(f"speedup {float(speedup):.4g} exceeds the ceiling n = {num_ops}: "
                         "the fit has t_gpu < 0, outside the model")
    else:
        notes.append(f"speedup {float(speedup):.4g} <= 1: a replay is no faster than an eager "
                     "call, so launch time and GPU time cannot be told apart")

    model_first = ratio_wall = ratio_launch = deviation = None
    if fit is not None and fit.capture_cost_ops > 0:
        model_first = crossover(num_ops, fit.capture_cost_ops)
        ratio_launch = per_call_ratio(num_ops, calls, fit.capture_cost_ops)
        predict = _predictor(num_ops, fit)
        ratio_wall = predict("per_call_ratio", calls)
        deviation = max(
            abs(total - predict(which, i + 1)) / predict(which, i + 1)
            for which, totals in (("baseline", eager), ("amortized", graph))
            for i, total in enumerate(totals)
        )
    elif fit is not None:
        notes.append("the first graph call costs less than the GPU time of one call: "
                     "the fitted capture cost is not > 0, outside the model")
    return Comparison(
        num_ops=num_ops, calls=calls,
        eager_call_us=eager_call, first_call_us=first_call, replay_call_us=replay_call,
        speedup=speedup, ceiling=asymptotic_speedup(num_ops), gpu_to_launch=ratio, fit=fit,
        crossover_measured=measured, crossover_model=model_first,
        crossover_lab=crossover(num_ops),
        ratio_measured=eager[-1] / graph[-1], ratio_wall_clock=ratio_wall, ratio_launch=ratio_launch,
        deviation=deviation, notes=tuple(notes),
    )


def _steps(totals):
    """The cost of each call: differences of running totals (the first is the first total)."""
    return [later - earlier for earlier, later in zip((0,) + totals[:-1], totals)]


def _predictor(num_ops, fit):
    """``predict(quantity, k)`` from the wall-clock derivation at the fitted parameters."""
    derivation = _engine()[0]
    values = {"n": num_ops, "c": fit.capture_cost_ops,
              "t_launch": fit.t_launch_us, "t_gpu": fit.t_gpu_us}
    args = [values[p.name] for p in derivation.model.parameters]

    def predict(quantity, k):
        return Fraction(derivation.function(quantity)(*args, k))
    return predict


# -- the GPU measurements (NOT YET RUN ON HARDWARE) ------------------------------------

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


def _cuda_torch():
    """``(torch, None)`` when a CUDA device is usable, else ``(None, reason)``."""
    torch = _import_torch()
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
    torch, reason = _cuda_torch()
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
    launch = _time(partial(x.add_, 1.0), settings, clock, finish=torch.cuda.synchronize)
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


# -- everything together ---------------------------------------------------------------

@dataclass(frozen=True)
class Measurement:
    """All figures of one ``measure()`` run; ``unit_us`` is the one a launch stands for."""

    python_call: Timing
    call_stack_300: Timing
    torch_op: object        # Timing, or None without torch
    torch_note: object      # why torch_op is None
    cuda: object            # CudaResult, or None
    cuda_note: object       # why cuda is None
    machine: dict
    settings: Settings

    @property
    def mode(self):
        """``quick``, ``full`` or ``custom``: which settings measured it."""
        return {QUICK: "quick", FULL: "full"}.get(self.settings, "custom")

    @property
    def unit(self):
        """``(µs, source)``: a CUDA kernel launch, else a torch op on the CPU, else a Python call."""
        if self.cuda is not None:
            return self.cuda.launch.median, "cuda.kernel_launch_us"
        if self.torch_op is not None:
            return self.torch_op.median, "torch_op_us"
        return self.python_call.median, "python_call_us"

    @property
    def unit_us(self):
        return self.unit[0]

    def as_dict(self):
        unit, source = self.unit
        return {
            "unit_us": significant(unit),
            "unit_source": source,
            "python_call_us": significant(self.python_call.median),
            "call_stack_300_us": significant(self.call_stack_300.median),
            "torch_op_us": None if self.torch_op is None else significant(self.torch_op.median),
            "cuda": None if self.cuda is None else self.cuda.as_dict(),
            "notes": {key: note for key, note in
                      (("torch_op_us", self.torch_note), ("cuda", self.cuda_note)) if note},
            "timings": {
                "python_call_us": self.python_call.as_dict(),
                "call_stack_300_us": self.call_stack_300.as_dict(),
                "torch_op_us": None if self.torch_op is None else self.torch_op.as_dict(),
            },
            "settings": {
                "mode": self.mode,
                "repeat": self.settings.repeat,
                "warmup": self.settings.warmup,
                "min_sample_ms": self.settings.min_sample_ns / 1e6,
                "cuda_calls": self.settings.calls,
                "cuda_trials": self.settings.trials,
                "cuda_num_ops": list(self.settings.num_ops),
            },
            "machine": self.machine,
        }


def machine_info():
    """What the figures were measured on: Python, platform, CPUs, clock, torch and GPU."""
    clock = time.get_clock_info("perf_counter")
    info = {
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "clock": "time.perf_counter_ns",
        "clock_resolution_ns": clock.resolution * 1e9,
        "torch": None,
    }
    torch = _import_torch()
    if torch is not None:
        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        info["torch_cuda"] = torch.version.cuda
    return info


def measure(*, quick=True, settings=None, cuda=False, progress=None, clock=time.perf_counter_ns):
    """Measure every figure, with ``QUICK`` or ``FULL`` settings (or your own ``settings``).

    ``progress(step, total, label)`` is called before each step, and once more with
    ``step == total`` and label ``"done"`` at the end.
    """
    settings = settings or (QUICK if quick else FULL)
    if cuda:
        gpu, cuda_note = _cuda_torch()
    else:
        gpu, cuda_note = None, "not requested (measure(cuda=True), or derive measure --cuda)"
    total = 3 + (1 + len(settings.num_ops) if gpu is not None else 0)
    done = [0]

    def report(label):
        if progress is not None:
            progress(done[0], total, label)
        done[0] += 1

    report("no-op Python call")
    python_call = python_call_us(settings, clock=clock)
    report("Python call stack 300 deep")
    stack = call_stack_300_us(settings, clock=clock)
    report("torch.mm 4x4 on the CPU")
    torch_op = torch_op_us(settings, clock=clock)
    torch_note = None if torch_op is not None else f"torch is not installed ({INSTALL_TORCH})"
    result = None
    if gpu is not None:
        result, cuda_note = cuda_runs(settings, clock=clock, progress=report)
    if progress is not None:
        progress(total, total, "done")
    return Measurement(
        python_call=python_call, call_stack_300=stack, torch_op=torch_op, torch_note=torch_note,
        cuda=result, cuda_note=cuda_note, machine=machine_info(), settings=settings,
    )


def progress_printer(stream):
    """A ``progress`` callback that writes ``[step/total] label`` to ``stream``.

    On a terminal each report overwrites the last and the line is cleared at the end;
    elsewhere each report is one line.
    """
    live = getattr(stream, "isatty", lambda: False)()
    width = [0]

    def progress(step, total, label):
        if live:
            text = "" if step == total else f"derive measure: [{step + 1}/{total}] {label} ..."
            stream.write("\r" + text.ljust(width[0]) + ("\r" if step == total else ""))
            width[0] = max(width[0], len(text))
        elif step < total:
            stream.write(f"derive measure: [{step + 1}/{total}] {label} ...\n")
        stream.flush()
    return progress


# -- using the unit elsewhere ----------------------------------------------------------

def load_unit_us(source):
    """The launch unit in µs, exact: a number, a number's text, or a ``derive measure`` JSON file.

    This is what ``derive plot --unit-us X`` reads, so that a plot can draw time
    instead of launches.

    >>> load_unit_us(4.25), load_unit_us("3.5"), load_unit_us(Fraction(7, 2))
    (Fraction(17, 4), Fraction(7, 2), Fraction(7, 2))
    """
    if isinstance(source, (Rational, float)) and not isinstance(source, bool):
        return _exact("unit_us", source)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(
            "unit_us must be a number > 0 or the path of a derive measure JSON file, "
            f"got {type(source).__name__} {source!r}"
        )
    text = os.fspath(source)
    try:
        number = Fraction(text.strip())
    except ValueError:
        number = None
    if number is not None:
        if number <= 0:
            raise ValueError(f"unit_us must be > 0, got {text!r}")
        return number
    if not os.path.isfile(text):
        raise ValueError(
            f"unit_us must be a number > 0 or the path of a derive measure JSON file, got {text!r}"
        )
    with open(text, encoding="utf-8") as handle:
        try:
            data = json.load(handle, parse_float=Fraction)
        except json.JSONDecodeError as error:
            raise ValueError(f"{text} is not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or "unit_us" not in data:
        raise ValueError(f"{text} has no unit_us: write it with derive measure --format json")
    value = data["unit_us"]
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)) or value <= 0:
        raise ValueError(f"unit_us in {text} must be a number > 0, got {value!r}")
    return Fraction(value)


# -- text ------------------------------------------------------------------------------

def _figure(timing):
    return (f"{significant(timing.median):>10g} µs   (IQR {significant(timing.q1):g}–"
            f"{significant(timing.q3):g}, min {significant(timing.low):g}, "
            f"{timing.repeat} samples of {timing.number})")


def format_text(measurement):
    """A short report: each figure with its spread, the unit, and what it means for a call."""
    m = measurement
    lines = [f"derive measure ({m.mode}): what a launch costs on this machine, median per call",
             f"  no-op Python call           {_figure(m.python_call)}",
             f"  call stack 300 deep         {_figure(m.call_stack_300)}"]
    if m.torch_op is not None:
        lines.append(f"  torch.mm 4x4 on the CPU     {_figure(m.torch_op)}")
    else:
        lines.append(f"  torch.mm 4x4 on the CPU     not measured: {m.torch_note}")
    if m.cuda is None:
        lines.append(f"  CUDA                        not measured: {m.cuda_note}")
    else:
        lines.append(f"  CUDA kernel launch          {_figure(m.cuda.launch)}")
    unit, source = m.unit
    per_call = significant(eager_launches(300, 1) * unit)
    lines += [f"unit: 1 launch = {significant(unit):g} µs (from {source})",
              f"  so a 300-op call costs about {per_call:g} µs of launches eagerly "
              f"and {significant(unit):g} µs replayed from a graph"]
    if m.cuda is not None:
        lines += _cuda_lines(m.cuda)
    info = m.machine
    torch = f", torch {info['torch']}" if info.get("torch") else ""
    lines.append(f"machine: {info['platform']}, {info['cpu_count']} CPUs, {info['python']}{torch}")
    return "\n".join(lines)


def _cuda_lines(result):
    lines = [f"CUDA on {result.device}: calls of an n-op chain, eager vs graph "
             f"(median of {result.trials} trials)",
             "  (this GPU path is new: not yet validated on hardware by derive's authors)",
             "      n  eager/call  1st graph  replay  speedup  t_gpu/t_launch  "
             "crossover meas/model/lab  deviation"]
    for cmp in result.chains:
        ratio = "-" if cmp.gpu_to_launch is None else f"{significant(cmp.gpu_to_launch):g}"
        deviation = "-" if cmp.deviation is None else f"{float(cmp.deviation):.1%}"
        measured = f">{cmp.calls}" if cmp.crossover_measured is None else cmp.crossover_measured
        first = "/".join("-" if v is None else str(v) for v in
                         (measured, cmp.crossover_model, cmp.crossover_lab))
        lines.append(
            f"  {cmp.num_ops:>5}  {significant(cmp.eager_call_us):>10g}  "
            f"{significant(cmp.first_call_us):>9g}  {significant(cmp.replay_call_us):>6g}  "
            f"{significant(cmp.speedup):>7g}  {ratio:>14}  {first:>24}  {deviation:>9}"
        )
        lines += [f"         note: {note}" for note in cmp.notes]
    return lines
