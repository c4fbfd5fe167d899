"""Put microseconds on the unit: ``derive measure`` — what one launch costs on this
machine, and real runs held against the model.

The model counts launches. ``measure()`` times what a launch stands for here — a
no-op Python call, a Python call stack 300 deep, a tiny ``torch.mm`` dispatched on the
CPU and, with a GPU, a tiny CUDA kernel launch — and picks the figure that best stands
for one launch as ``unit_us``. With ``cuda=True`` and a GPU it also runs ``k`` calls of
an ``n``-op chain eagerly and from a captured ``torch.cuda.CUDAGraph``, and holds the
measured totals against the model's predictions.

==========================  ==========================================================
name                        answers
==========================  ==========================================================
``measure``                 everything below, with progress reports → ``Measurement``
``Measurement``             all figures of one run; ``.unit_us``, ``.as_dict()`` (the
                            JSON of ``derive measure --format json``)
``format_text``             a ``Measurement`` as a short text report
``progress_printer``        a ``progress`` callback writing ``[step/total]`` lines
``machine_info``            what the figures were measured on
``load_unit_us``            the unit in µs from a number or a measured JSON file
==========================  ==========================================================

The parts live in modules of their own; their public names are importable from
:mod:`derive.measure` too:

=================  ==========================================================
``timing``         the harness: warm-up, repeats, median and spread (``Timing``)
``cpu``            ``python_call_us``, ``call_stack_us``, ``call_stack_300_us``,
                   ``torch_op_us``; ``Settings``, ``QUICK``, ``FULL``;
                   ``import_torch``, ``INSTALL_TORCH``
``cuda``           ``cuda_runs``, ``CudaResult``: the GPU part — NOT YET RUN ON
                   HARDWARE; without a GPU it reports ``None`` with a reason;
                   ``cuda_torch``
``calibration``    ``fit_wall_clock``, ``WallClockFit``, ``compare_with_model``,
                   ``Comparison``: the model asked through the engine (pure);
                   ``exact_figure``
=================  ==========================================================

>>> load_unit_us("3.5")
Fraction(7, 2)

torch is an optional extra (``pip install 'derive[measure]'``, the CPU build is
enough for everything but ``cuda``); it is imported only inside the functions that use
it, and sympy only inside those that ask the engine.
"""

import datetime
import json
import os
import platform
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from numbers import Rational

from ..errors import shown, shown_path
from ..limits import read_file
from ..numeric import eager_launches
from ..text._lexer import decimal_value
from .calibration import (
    Comparison,
    WallClockFit,
    compare_with_model,
    exact_figure,
    fit_wall_clock,
)
from .cpu import (
    FULL,
    INSTALL_TORCH,
    QUICK,
    Settings,
    call_stack_300_us,
    call_stack_us,
    import_torch,
    python_call_us,
    torch_op_us,
)
from .cuda import CudaResult, cuda_runs, cuda_torch
from .timing import Timing, significant

__all__ = [
    "FULL",
    "INSTALL_TORCH",
    "MAX_UNIT_US",
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
    "cuda_torch",
    "exact_figure",
    "fit_wall_clock",
    "format_text",
    "import_torch",
    "load_unit_us",
    "machine_info",
    "measure",
    "progress_printer",
    "python_call_us",
    "torch_op_us",
]


# -- one run, everything together -----------------------------------------------------

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
                      (("torch_op_us", self.torch_note), ("cuda", self.cuda_note),
                       ("unit_us", STAND_IN if source == "python_call_us" else None)) if note},
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
    torch = import_torch()
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
        gpu, cuda_note = cuda_torch()
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

#: What a unit taken from a no-op Python call is: a stand-in, not a launch.
STAND_IN = ("a stand-in, not a kernel launch: a no-op Python call is about a hundred times "
            "cheaper than a real launch; measure with torch (pip install 'derive[measure]') "
            "or --cuda for a real unit")

#: The largest unit accepted, in µs: a launch of 1000 s is no launch; the bound also keeps
#: every time drawn from it well inside a float's range.
MAX_UNIT_US = 10**9


def load_unit_us(source):
    """The launch unit in µs, exact: a number, a number's text, or a ``derive measure`` JSON file.

    This is what ``derive plot --unit-us X`` reads, so that a plot can draw time
    instead of launches. The unit must be > 0 and <= :data:`MAX_UNIT_US`; text (and the
    file's numbers) is read by the safe parser's bounded reader, so ``1e1000000000`` is
    refused at once.

    >>> load_unit_us(4.25), load_unit_us("3.5"), load_unit_us(Fraction(7, 2))
    (Fraction(17, 4), Fraction(7, 2), Fraction(7, 2))
    >>> load_unit_us("1e400")
    Traceback (most recent call last):
    ...
    ValueError: unit_us: the number 1e400 is too large or too small: a number may have at most 100 digits, its exponent included
    """
    if isinstance(source, (Rational, float)) and not isinstance(source, bool):
        return _in_range(exact_figure("unit_us", source), source)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(
            "unit_us must be a number > 0 or the path of a derive measure JSON file, "
            f"got {type(source).__name__} {shown(source)}"
        )
    text = os.fspath(source)
    number = decimal_value(text, "unit_us")
    if number is not None:
        if number <= 0:
            raise ValueError(f"unit_us must be > 0, got {shown(text)}")
        return _in_range(number, text)
    if not os.path.isfile(text):
        raise ValueError(
            f"unit_us must be a number > 0 or the path of a derive measure JSON file, got {shown(text)}"
        )
    raw = read_file(text, "the measure file")            # a regular file of at most 1 MiB
    text = shown_path(text)
    read = partial(decimal_value, name=f"a number in {text}")
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=read, parse_int=read)
    except UnicodeDecodeError:
        raise ValueError(f"{text} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{text} is not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or "unit_us" not in data:
        raise ValueError(f"{text} has no unit_us: write it with derive measure --format json")
    value = data["unit_us"]
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)) or value <= 0:
        raise ValueError(f"unit_us in {text} must be a number > 0, got {value!r}")
    if data.get("unit_source") == "python_call_us":
        raise ValueError(
            f"unit_us in {text} is a no-op Python call ({value} µs), {STAND_IN.split(': ', 1)[0]}; "
            "measure with torch or --cuda, or give the number itself (--unit-us X) if you mean it")
    return _in_range(Fraction(value), f"{value} (in {text})")


def _in_range(unit, shown):
    if unit > MAX_UNIT_US:
        raise ValueError(f"unit_us must be > 0 and <= {MAX_UNIT_US} µs, got {shown}")
    return unit


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
    stand_in = f": {STAND_IN}" if source == "python_call_us" else ""
    lines += [f"unit: 1 launch = {significant(unit):g} µs (from {source}{stand_in})",
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
