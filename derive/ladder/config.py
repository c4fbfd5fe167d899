"""The ladder model's numbers: validated, exact, read from TOML.

=========================  ==========================================================
``LadderConfig``           the numbers of issue #7's model; ``.from_mapping(dict)``
``load_ladder_config``     a ``LadderConfig`` from a TOML file, floats read exactly
``KEYS``                   the keys of a config file, all required
``check_count``            a count (``max_batch``, ``n``, ``steps``) validated, or why not
=========================  ==========================================================

A config file (see ``examples/ladder.toml``)::

    max_batch = 512
    traffic = "uniform"          # or a table [traffic] with "1" = 50, "8" = 30, ...
    n = 300
    t_launch = 5e-6
    t_gpu = [5e-3, 1e-5]         # g0, g1
    graph_memory = [4e-3, 2e-5]  # m0, m1
    memory_budget = 0.25
    capture_passes = 3
    steps = 1_000_000

Messages name the key, repeat the value and say what is valid:
``t_launch must be >= 0, got -1``; from a file they start with the file's name.
"""

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

from ..errors import shown as _show
from ..errors import shown_path
from ..limits import read_file
from ..text._lexer import decimal_value

__all__ = ["KEYS", "MAX_BATCH_LIMIT", "MAX_COUNT", "MAX_NUMBER", "MAX_OPS", "LadderConfig", "check_count", "load_ladder_config"]

#: The keys of a ladder config, all required, in the order the issue lists them.
KEYS = ("max_batch", "traffic", "n", "t_launch", "t_gpu", "graph_memory", "memory_budget",
        "capture_passes", "steps")

#: The largest ``max_batch`` accepted: the optimizer's work grows about as its square —
#: measured, 2048 takes about 6 s, 4096 over 30 s and 486 MB, too long for a command.
MAX_BATCH_LIMIT = 2048
#: The largest ``n`` (launches per eager step): 10**9 is far past any real model.
MAX_OPS = 10**9
#: The largest ``steps``: 10**12 steps at 1 ms each are 30 years of serving.
MAX_COUNT = 10**12
#: The largest of every other number (times, memory, weights, passes): with the counts
#: bounded too, every total stays an ordinary float when printed rounded.
MAX_NUMBER = 10**12


# -- validation: the one place that decides what a config value may be ------------------

def check_count(name, value, high=None):
    """``value`` as an ``int`` >= 1 (and <= ``high``, when given); ``name`` is for the message.

    >>> check_count("max_batch", 512, MAX_BATCH_LIMIT)
    512
    >>> check_count("steps", 0)
    Traceback (most recent call last):
    ...
    ValueError: steps must be >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer >= 1, got {type(value).__name__} {_show(value)}")
    if value < 1 or (high is not None and value > high):
        bound = "" if high is None else f" and <= {high}"
        raise ValueError(f"{name} must be >= 1{bound}, got {_show(value)}")
    return int(value)


def _number(name, value):
    """``value`` as an exact ``Fraction``, 0 … :data:`MAX_NUMBER`; floats are converted exactly."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number >= 0, got {_show(value)}")
        exact = Fraction(value)
    elif isinstance(value, Rational) and not isinstance(value, bool):
        exact = Fraction(value.numerator, value.denominator)
    else:
        raise TypeError(f"{name} must be a number >= 0, got {type(value).__name__} {_show(value)}")
    if exact < 0:
        raise ValueError(f"{name} must be >= 0, got {_show(value)}")
    if exact > MAX_NUMBER:
        raise ValueError(f"{name} must be >= 0 and <= 10**12, got {_show(value)}")
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
                             f"got {_show(text)}")
        weights[int(text) - 1] += _number(f"traffic[{text}]", weight)
    total = sum(weights)
    if total == 0:
        raise ValueError("traffic must give some batch size a weight > 0, got all zero")
    return tuple(weight / total for weight in weights)


# -- the config ------------------------------------------------------------------------

@dataclass(frozen=True)
class LadderConfig:
    """The numbers of the ladder model, validated, exact, with ``traffic`` normalized.

    ``traffic`` is ``"uniform"``, a mapping from batch size (``int`` or digit string) to
    a weight >= 0, or a sequence of ``max_batch`` weights; it is stored as the tuple of
    probabilities ``(p_1, …, p_max)``, so ``dataclasses.replace`` works.
    ``t_gpu`` is ``(g0, g1)`` and ``graph_memory`` is ``(m0, m1)``. ``n``, ``max_batch``
    and ``steps`` are integers from 1 to :data:`MAX_OPS`, :data:`MAX_BATCH_LIMIT` and
    :data:`MAX_COUNT`; every other number is from 0 to :data:`MAX_NUMBER`.

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
        set_(self, "max_batch", check_count("max_batch", self.max_batch, MAX_BATCH_LIMIT))
        set_(self, "traffic", _traffic(self.traffic, self.max_batch))
        set_(self, "n", check_count("n", self.n, MAX_OPS))
        set_(self, "t_launch", _number("t_launch", self.t_launch))
        set_(self, "t_gpu", _pair("t_gpu", self.t_gpu, ("g0", "g1")))
        set_(self, "graph_memory", _pair("graph_memory", self.graph_memory, ("m0", "m1")))
        set_(self, "memory_budget", _number("memory_budget", self.memory_budget))
        set_(self, "capture_passes", _number("capture_passes", self.capture_passes))
        set_(self, "steps", check_count("steps", self.steps, MAX_COUNT))

    @classmethod
    def from_mapping(cls, mapping):
        """Build a config from a dict with exactly the keys of :data:`KEYS`."""
        if not hasattr(mapping, "keys"):
            raise TypeError(f"a ladder config must be a table of keys, got {_show(mapping)}")
        unknown = [key for key in mapping if key not in KEYS]
        if unknown:
            raise ValueError(f"unknown key {_show(unknown[0])}; the keys are: {', '.join(KEYS)}")
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


class _FloatText(str):
    """A TOML float's text, kept as text until its key is known (see :func:`_exact_numbers`)."""


def _exact_numbers(value, name):
    """Every TOML float under ``value`` read exactly by the safe parser's bounded reader, so
    ``t_launch = 1e100000000`` is refused at once, by name (``inf``/``nan`` stay floats,
    refused by the range checks)."""
    if isinstance(value, _FloatText):
        text = value.replace("_", "")
        number = decimal_value(text, name)
        return float(text) if number is None else number
    if isinstance(value, dict):
        return {key: _exact_numbers(item, f"{name}[{key}]" if name else key)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_exact_numbers(item, f"{name}[{i}]") for i, item in enumerate(value)]
    return value


def load_ladder_config(path):
    """Read a :class:`LadderConfig` from a TOML file; errors name the file.

    TOML floats are read from their text, so ``t_launch = 5e-6`` is exactly 1/200000.
    Only a regular file is read, and only up to :data:`derive.limits.MAX_FILE` bytes.
    """
    try:
        import tomllib
    except ModuleNotFoundError:                                     # Python 3.10
        import tomli as tomllib

    raw = read_file(path, "the ladder config")           # a regular file of at most 1 MiB
    path = shown_path(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"), parse_float=_FloatText)
        return LadderConfig.from_mapping(_exact_numbers(data, ""))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from None
    except (TypeError, ValueError) as error:
        raise type(error)(f"{path}: {error}") from None
