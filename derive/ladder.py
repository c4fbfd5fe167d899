"""Capture sizes under a memory budget: the cost of a ladder, and the best one.

A serving engine cannot capture a graph for every batch size, so it captures a *ladder*
of sizes and pads each batch up to the next rung. Each rung costs capture time once and
graph memory for good; each padded step wastes GPU time on the padding. This module
prices a ladder exactly and finds the cheapest one that fits a memory budget.

The model (issue #7). Batch sizes ``b = 1 … max_batch`` occur with probabilities ``p_b``
(the ``traffic`` weights divided by their sum). A ladder is a set ``S`` of sizes.

* a step at batch ``b`` costs ``t_launch + t_gpu(s)`` if ``s = min{s ∈ S : s ≥ b}``
  exists (one replay, GPU work padded to ``s``), else ``n·t_launch + t_gpu(b)`` (eager),
  with ``t_gpu(b) = g0 + g1·b``;
* capturing rung ``s`` costs ``capture_passes·(n·t_launch + t_gpu(s))`` once and
  ``graph_memory(s) = m0 + m1·s`` of memory;
* total time = ``steps·Σ_b p_b·step(b)`` + the capture times, subject to
  ``Σ_{s∈S} graph_memory(s) ≤ memory_budget``.

=========================  ==========================================================
``LadderConfig``           the model's numbers, validated and exact; ``.from_mapping``
``load_ladder_config``     a ``LadderConfig`` from a TOML file (floats read exactly)
``evaluate_ladder``        the ``LadderCost`` of a given ladder, walking every batch
``optimal_ladder``         the exact optimum under the budget (see ``ladder_search``)
``vllm_default_ladder``    ``[1, 2, 4] + range(8, 256, 8) + range(256, max + 1, 16)``
``powers_of_two_ladder``   ``1, 2, 4, …`` up to ``max_batch``
``truncate_to_budget``     the longest run of smallest rungs that fits the budget
``compare_ladders``        eager only, vLLM's default and powers of two, truncated
``ladder_report``          the optimum and the comparisons: what ``derive ladder`` prints
``ladder_json``            the report as issue #7's JSON object (exact numbers as text)
``ladder_text``            the report as text
=========================  ==========================================================

Every number is an ``int`` or a :class:`~fractions.Fraction`; a float handed in is
converted exactly, and TOML floats are read from their decimal text (``5e-6`` is
``1/200000``), never rounded.

>>> config = LadderConfig(max_batch=8, traffic="uniform", n=30, t_launch=1,
...                       t_gpu=(10, 1), graph_memory=(1, 0), memory_budget=2,
...                       capture_passes=1, steps=100)
>>> best = optimal_ladder(config)
>>> best.rungs, best.total_time, best.memory
((4, 8), Fraction(1792, 1), Fraction(2, 1))
>>> evaluate_ladder(config, ()).total_time                # eager only: 100·(30 + 10 + 4.5)
Fraction(4450, 1)
"""

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

__all__ = [
    "KEYS",
    "MAX_BATCH_LIMIT",
    "LadderConfig",
    "LadderCost",
    "LadderReport",
    "compare_ladders",
    "evaluate_ladder",
    "ladder_json",
    "ladder_report",
    "ladder_text",
    "load_ladder_config",
    "optimal_ladder",
    "powers_of_two_ladder",
    "truncate_to_budget",
    "vllm_default_ladder",
]

#: The keys of a ladder config, all required, in the order the issue lists them.
KEYS = ("max_batch", "traffic", "n", "t_launch", "t_gpu", "graph_memory", "memory_budget",
        "capture_passes", "steps")

#: The largest ``max_batch`` accepted: the optimizer's work grows about as its square.
MAX_BATCH_LIMIT = 4096


# -- validation: the one place that decides what a config value may be ------------------

def _count(name, value, high=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer >= 1, got {type(value).__name__} {value!r}")
    if value < 1 or (high is not None and value > high):
        bound = "" if high is None else f" and <= {high}"
        raise ValueError(f"{name} must be >= 1{bound}, got {value!r}")
    return int(value)


def _number(name, value):
    """``value`` as an exact ``Fraction`` >= 0; floats are converted exactly."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        exact = Fraction(value)
    elif isinstance(value, Rational) and not isinstance(value, bool):
        exact = Fraction(value.numerator, value.denominator)
    else:
        raise TypeError(f"{name} must be a number >= 0, got {type(value).__name__} {value!r}")
    if exact < 0:
        raise ValueError(f"{name} must be >= 0, got {_show(value)}")
    return exact


def _pair(name, value, parts):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair [{parts[0]}, {parts[1]}] of numbers >= 0, "
                        f"got {_show(value)}")
    return tuple(_number(f"{name}[{i}] ({part})", item)
                 for i, (part, item) in enumerate(zip(parts, value)))


_BATCH_KEY = re.compile(r"[0-9]+")


def _traffic(value, max_batch):
    """The probabilities ``(p_1, …, p_max_batch)`` of ``"uniform"`` or a table of weights."""
    if isinstance(value, str) and value == "uniform":
        return (Fraction(1, max_batch),) * max_batch
    if isinstance(value, (tuple, list)) and len(value) == max_batch:   # weights of 1 … max
        value = dict(enumerate(value, start=1))
    if not hasattr(value, "items"):
        raise TypeError('traffic must be "uniform" or a table of weights by batch size, '
                        f'e.g. {{"1" = 50}}, got {_show(value)}')
    weights = [Fraction(0)] * max_batch
    for key, weight in value.items():
        text = str(key)
        if isinstance(key, bool) or not (isinstance(key, int) or _BATCH_KEY.fullmatch(text)) \
                or not 1 <= int(text) <= max_batch:
            raise ValueError(f"traffic keys must be batch sizes 1 … max_batch={max_batch}, "
                             f"got {text!r}")
        weights[int(text) - 1] += _number(f"traffic[{text}]", weight)
    total = sum(weights)
    if total == 0:
        raise ValueError("traffic must give some batch size a weight > 0, got all zero")
    return tuple(weight / total for weight in weights)


def _show(value):
    return str(value) if isinstance(value, Fraction) else repr(value)


# -- the config ------------------------------------------------------------------------

@dataclass(frozen=True)
class LadderConfig:
    """The numbers of the ladder model, validated, exact, with ``traffic`` normalized.

    ``traffic`` is ``"uniform"``, a mapping from batch size (``int`` or digit string) to
    a weight >= 0, or a sequence of ``max_batch`` weights; it is stored as the tuple of
    probabilities ``(p_1, …, p_max)``, so ``dataclasses.replace`` works.
    ``t_gpu`` is ``(g0, g1)`` and ``graph_memory`` is ``(m0, m1)``. ``n``, ``max_batch``
    and ``steps`` are integers >= 1; every other number is >= 0.

    >>> config = LadderConfig(max_batch=4, traffic={1: 3, "4": 1}, n=30, t_launch=0.5,
    ...                       t_gpu=(10, 1), graph_memory=(1, 0), memory_budget=2,
    ...                       capture_passes=1, steps=100)
    >>> config.traffic, config.t_launch, config.uniform
    ((Fraction(3, 4), Fraction(0, 1), Fraction(0, 1), Fraction(1, 4)), Fraction(1, 2), False)
    >>> LadderConfig.from_mapping({"max_batch": 0})
    Traceback (most recent call last):
    ...
    ValueError: missing keys: traffic, n, t_launch, t_gpu, graph_memory, memory_budget, capture_passes, steps
    """

    max_batch: int
    traffic: tuple = field(repr=False)
    n: int
    t_launch: Fraction
    t_gpu: tuple
    graph_memory: tuple
    memory_budget: Fraction
    capture_passes: Fraction
    steps: int

    def __post_init__(self):
        set_ = object.__setattr__                                   # frozen: normalize once
        set_(self, "max_batch", _count("max_batch", self.max_batch, MAX_BATCH_LIMIT))
        set_(self, "traffic", _traffic(self.traffic, self.max_batch))
        set_(self, "n", _count("n", self.n))
        set_(self, "t_launch", _number("t_launch", self.t_launch))
        set_(self, "t_gpu", _pair("t_gpu", self.t_gpu, ("g0", "g1")))
        set_(self, "graph_memory", _pair("graph_memory", self.graph_memory, ("m0", "m1")))
        set_(self, "memory_budget", _number("memory_budget", self.memory_budget))
        set_(self, "capture_passes", _number("capture_passes", self.capture_passes))
        set_(self, "steps", _count("steps", self.steps))

    @classmethod
    def from_mapping(cls, mapping):
        """Build a config from a dict with exactly the keys of :data:`KEYS`."""
        if not hasattr(mapping, "keys"):
            raise TypeError(f"a ladder config must be a table of keys, got {_show(mapping)}")
        unknown = [key for key in mapping if key not in KEYS]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; the keys are: {', '.join(KEYS)}")
        missing = [key for key in KEYS if key not in mapping]
        if missing:
            raise ValueError(f"missing key{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        return cls(**{key: mapping[key] for key in KEYS})

    @property
    def uniform(self):
        """True when every batch size is equally likely."""
        return len(set(self.traffic)) == 1

    def graph_step(self, size):
        """Time of one replayed step padded to ``size``: ``t_launch + g0 + g1·size``."""
        g0, g1 = self.t_gpu
        return self.t_launch + g0 + g1 * size

    def eager_step(self, batch):
        """Time of one eager step at ``batch``: ``n·t_launch + g0 + g1·batch``."""
        g0, g1 = self.t_gpu
        return self.n * self.t_launch + g0 + g1 * batch

    def capture_time(self, size):
        """Time to capture rung ``size``: ``capture_passes·(n·t_launch + t_gpu(size))``."""
        return self.capture_passes * self.eager_step(size)

    def rung_memory(self, size):
        """Memory of the graph for rung ``size``: ``m0 + m1·size``."""
        m0, m1 = self.graph_memory
        return m0 + m1 * size


def _exact_float(text):
    """TOML float text as an exact Fraction (``inf``/``nan`` stay floats, refused later)."""
    text = text.replace("_", "")
    try:
        return Fraction(text)
    except ValueError:
        return float(text)


def load_ladder_config(path):
    """Read a :class:`LadderConfig` from a TOML file; errors name the file.

    TOML floats are read from their text, so ``t_launch = 5e-6`` is exactly 1/200000.
    """
    try:
        import tomllib
    except ModuleNotFoundError:                                     # Python 3.10
        import tomli as tomllib

    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        data = tomllib.loads(raw.decode("utf-8"), parse_float=_exact_float)
        return LadderConfig.from_mapping(data)
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from None
    except (TypeError, ValueError) as error:
        raise type(error)(f"{path}: {error}") from None


# -- pricing a ladder --------------------------------------------------------------------

@dataclass(frozen=True)
class LadderCost:
    """What a ladder costs: ``total_time = steps·expected_step_time + capture_time``."""

    rungs: tuple
    total_time: Fraction
    expected_step_time: Fraction
    capture_time: Fraction
    memory: Fraction

    def as_json(self):
        """The issue's figures, exact numbers as strings."""
        return {"rungs": list(self.rungs), "total_time": str(self.total_time),
                "expected_step_time": str(self.expected_step_time), "memory": str(self.memory)}


def _rungs(config, rungs):
    sizes = sorted(set(rungs))
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= config.max_batch:
            raise ValueError(f"rungs must be batch sizes 1 … max_batch={config.max_batch}, "
                             f"got {size!r}")
    return tuple(sizes)


def evaluate_ladder(config, rungs):
    """Price ``rungs`` under ``config`` by walking every batch size; the memory may exceed
    the budget (compare ``memory`` with ``config.memory_budget``).

    >>> config = LadderConfig(max_batch=4, traffic="uniform", n=10, t_launch=1, t_gpu=(0, 1),
    ...                       graph_memory=(1, 0), memory_budget=1, capture_passes=2, steps=4)
    >>> cost = evaluate_ladder(config, [2])     # b=1,2 padded to 2 (3 each); b=3,4 eager (13, 14)
    >>> cost.expected_step_time, cost.capture_time, cost.total_time
    (Fraction(33, 4), Fraction(24, 1), Fraction(57, 1))
    """
    sizes = _rungs(config, rungs)
    expected = Fraction(0)
    index = 0
    for batch, probability in enumerate(config.traffic, start=1):
        while index < len(sizes) and sizes[index] < batch:
            index += 1
        if probability:
            step = (config.graph_step(sizes[index]) if index < len(sizes)
                    else config.eager_step(batch))
            expected += probability * step
    capture = sum((config.capture_time(size) for size in sizes), Fraction(0))
    memory = sum((config.rung_memory(size) for size in sizes), Fraction(0))
    return LadderCost(sizes, config.steps * expected + capture, expected, capture, memory)


def optimal_ladder(config):
    """The ladder of least total time whose memory fits the budget; among ladders that tie,
    one of least memory. Exact; see :mod:`derive.ladder_search` for the algorithm.

    >>> from dataclasses import replace
    >>> few = LadderConfig(max_batch=512, traffic="uniform", n=300, t_launch=5e-6,
    ...                    t_gpu=(5e-3, 1e-5), graph_memory=(0, 0), memory_budget=0,
    ...                    capture_passes=3, steps=100)
    >>> optimal_ladder(few).rungs                  # 100 steps never repay a capture
    ()
    >>> many = optimal_ladder(replace(few, steps=1000))
    >>> len(many.rungs), many.rungs[:4], float(many.total_time)  # doctest: +ELLIPSIS
    (10, (44, 90, 137, 186), 8.098587...)
    """
    from .ladder_search import search_ladder

    return evaluate_ladder(config, search_ladder(config))


# -- the ladders to compare with -----------------------------------------------------------

def vllm_default_ladder(max_batch):
    """vLLM's default capture sizes up to ``max_batch``:
    ``[1, 2, 4] + range(8, 256, 8) + range(256, max_batch + 1, 16)``, sizes above
    ``max_batch`` dropped.

    >>> vllm_default_ladder(40)
    (1, 2, 4, 8, 16, 24, 32, 40)
    >>> len(vllm_default_ladder(512)), vllm_default_ladder(512)[-3:]
    (51, (480, 496, 512))
    """
    sizes = [1, 2, 4, *range(8, 256, 8), *range(256, max_batch + 1, 16)]
    return tuple(size for size in sizes if size <= _count("max_batch", max_batch))


def powers_of_two_ladder(max_batch):
    """``1, 2, 4, …`` up to ``max_batch``; batches above the largest power run eagerly.

    >>> powers_of_two_ladder(100)
    (1, 2, 4, 8, 16, 32, 64)
    """
    return tuple(1 << i for i in range(_count("max_batch", max_batch).bit_length()))


def truncate_to_budget(config, rungs):
    """The longest run of the smallest ``rungs`` whose memory fits the budget.

    This is what lowering vLLM's maximum capture size does: the largest rungs go first,
    and the batches above the new top rung run eagerly. (Dropping rungs from the middle
    instead would be a different ladder, which the optimizer already considers.)

    >>> config = LadderConfig(max_batch=64, traffic="uniform", n=10, t_launch=1, t_gpu=(0, 1),
    ...                       graph_memory=(1, 0), memory_budget=5, capture_passes=1, steps=1)
    >>> truncate_to_budget(config, powers_of_two_ladder(64))
    (1, 2, 4, 8, 16)
    """
    kept, memory = [], Fraction(0)
    for size in _rungs(config, rungs):
        memory += config.rung_memory(size)
        if memory > config.memory_budget:
            break
        kept.append(size)
    return tuple(kept)


#: The comparisons of ``derive ladder``, by their JSON key.
COMPARED = {
    "eager": lambda max_batch: (),
    "vllm_default": vllm_default_ladder,
    "powers_of_two": powers_of_two_ladder,
}


def compare_ladders(config):
    """``{name: LadderCost}`` for eager only, vLLM's default and powers of two, each
    truncated to the budget by :func:`truncate_to_budget`."""
    return {name: evaluate_ladder(config, truncate_to_budget(config, ladder(config.max_batch)))
            for name, ladder in COMPARED.items()}


# -- the report ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LadderReport:
    """The optimum under the budget and the ladders it is compared with."""

    config: LadderConfig
    optimum: LadderCost
    compared: dict


def ladder_report(config):
    """What ``derive ladder`` prints: the optimal ladder and the comparisons."""
    return LadderReport(config, optimal_ladder(config), compare_ladders(config))


def ladder_json(report):
    """Issue #7's JSON object: ``rungs``, ``total_time``, ``expected_step_time``,
    ``memory`` and ``compared`` (the same figures for each comparison)."""
    return {**report.optimum.as_json(),
            "compared": {name: cost.as_json() for name, cost in report.compared.items()}}


def _approx(value):
    return f"{float(value):.6g}"


def _rung_text(rungs, limit=12):
    if len(rungs) <= limit:
        return " ".join(map(str, rungs)) or "(none)"
    return " ".join(map(str, rungs[:limit])) + f" … {rungs[-1]}"


def ladder_text(report):
    """The report as text: exact figures in the JSON, rounded ones here for reading.
    With uniform traffic it ends with the closed form (which imports sympy)."""
    config, best = report.config, report.optimum
    lines = [
        f"optimal ladder: {len(best.rungs)} rungs, memory {_approx(best.memory)} "
        f"of budget {_approx(config.memory_budget)}",
        f"  rungs               {_rung_text(best.rungs)}",
        f"  total time          {_approx(best.total_time)}  (exact {best.total_time})",
        f"  expected step time  {_approx(best.expected_step_time)}",
        f"  capture time        {_approx(best.capture_time)}",
        "",
        f"  {'compared with':<16}{'rungs':>6}{'total time':>14}{'x optimum':>11}{'memory':>12}",
    ]
    for name, cost in report.compared.items():
        ratio = cost.total_time / best.total_time if best.total_time else Fraction(1)
        lines.append(f"  {name:<16}{len(cost.rungs):>6}{_approx(cost.total_time):>14}"
                     f"{float(ratio):>11.4f}{_approx(cost.memory):>12}")
    if config.uniform:
        from .ladder_closed_form import closed_form_text, compare_closed_form

        lines += ["", *closed_form_text(compare_closed_form(config, best))]
    return "\n".join(lines)
