"""The functions of a lab on any model: their names, arguments, domains and exact answers.

For the lab's own model (``cuda-graph``) the functions are the seed lab's:
``eager_launches(num_ops, k)``, ``graph_launches(num_ops, k, capture_cost_ops=None)``,
``crossover(num_ops, capture_cost_ops=None)``, ``asymptotic_speedup(num_ops,
capture_cost_ops=None)``. Any other model gets names derived from it: each total is
``<label>_total`` after its strategy's label (``eager_total``, ``graph_total``), then
``crossover`` and ``asymptotic_speedup``. A total takes the parameters it uses, then
``k``; the crossover and the speedup take every parameter. A parameter with a default
(the lab's ``c = n``) comes last, as a keyword that may be ``None``.

=======================  ================================================================
``lab_spec(model)``      the :class:`LabSpec`: the model, its derivation, its functions
``LabFunction``          one function: ``name``, ``quantity``, ``arguments``, ``oracle``
``Argument``             one argument: its Python name, the parameter, domain, default
``corpus(spec, f)``      a fixed list of argument tuples, small first: ties, small, huge
=======================  ================================================================

>>> spec = lab_spec("cuda-graph")
>>> [f.signature() for f in spec.functions]       # doctest: +NORMALIZE_WHITESPACE
['eager_launches(num_ops, k)', 'graph_launches(num_ops, k, capture_cost_ops=None)',
 'crossover(num_ops, capture_cost_ops=None)', 'asymptotic_speedup(num_ops, capture_cost_ops=None)']
>>> spec.function("crossover").oracle(30, 90), spec.function("crossover").oracle(30, None)
(4, 2)
>>> [f.signature() for f in lab_spec("kernel-batching").functions][2]
'crossover(t_eager, t_define, t_instantiate, t_first, t_replay)'

Floor 4: imports the engine.
"""

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction

from ..engine.derivation import derive
from ..engine.evaluate import compile_expression
from ..engine.model import Model
from ..engine.presets import preset
from ..engine.symbols import k as K

__all__ = ["Argument", "LabFunction", "LabSpec", "corpus", "lab_spec", "size"]

#: The seed lab's names for the cuda-graph preset.
LAB_NAMES = {"baseline": "eager_launches", "amortized": "graph_launches",
             "crossover": "crossover", "asymptote": "asymptotic_speedup"}
_LAB_ARGUMENTS = {"n": "num_ops", "c": "capture_cost_ops", "k": "k"}
_WALK = 64                      # the brute force checks the engine's crossover up to this call


@dataclass(frozen=True)
class Argument:
    """One argument: ``name`` in Python, the model's ``parameter``, its ``domain`` (text),
    and ``default`` (the parameter's default as text, or ``None`` if it has none)."""

    name: str
    parameter: str
    domain: object
    default: str = None
    meaning: str = ""


@dataclass(frozen=True, eq=False)
class LabFunction:
    """A function of the lab: ``oracle(*arguments)`` is the exact answer (``None``: never)."""

    name: str
    quantity: str
    arguments: tuple
    oracle: object
    point: object = None            # (*arguments) -> the model's parameters, defaults filled

    def signature(self):
        parts = [a.name + ("=None" if a.default is not None else "") for a in self.arguments]
        return f"{self.name}({', '.join(parts)})"


@dataclass(frozen=True, eq=False)
class LabSpec:
    """The lab for ``model``: its derivation and its functions, in order."""

    model: Model
    derivation: object
    functions: tuple

    @property
    def names(self):
        return tuple(f.name for f in self.functions)

    def function(self, name):
        for f in self.functions:
            if f.name == name:
                return f
        raise ValueError(f"function must be one of {', '.join(self.names)}, got {name!r}")


def _identifier(text):
    return re.sub(r"\W+", "_", text.strip().lower()).strip("_") or "total"


_SPECS = {}


def _spec(model):
    key = (model.name, str(model.baseline), str(model.amortized),
           tuple((p.name, str(p.domain)) for p in model.parameters), str(model.labels),
           str(sorted(model.defaults.items(), key=str)))
    if key not in _SPECS:
        _SPECS[key] = _build_spec(model)
    return _SPECS[key]


def _build_spec(model):
    d = derive(model)
    m = d.model
    is_lab = m.name == "cuda-graph" and m == preset("cuda-graph")
    defaults = {s: v for s, v in m.defaults.items() if s in set(d.parameters)}
    rename = (lambda p: _LAB_ARGUMENTS[p]) if is_lab else (lambda p: p)
    params = {p.symbol: p for p in m.parameters}

    def arguments(symbols, with_k):
        required = [s for s in d.parameters if s in symbols and s not in defaults]
        optional = [s for s in d.parameters if s in symbols and s in defaults]
        out = [Argument(rename(s.name), s.name, params[s].domain, None, params[s].meaning)
               for s in required]
        if with_k:
            out.append(Argument(rename("k"), "k", None, None, "calls so far"))
        out += [Argument(rename(s.name), s.name, params[s].domain, str(defaults[s]), params[s].meaning)
                for s in optional]
        return tuple(out)

    everything = set(d.parameters)
    first, second = m.labels
    names = dict(LAB_NAMES) if is_lab else {
        "baseline": f"{_identifier(first)}_total", "amortized": f"{_identifier(second)}_total",
        "crossover": "crossover", "asymptote": "asymptotic_speedup"}
    if names["baseline"] == names["amortized"]:
        names["baseline"], names["amortized"] = "baseline_total", "amortized_total"
    used = {"baseline": m.baseline.free_symbols - {K}, "amortized": m.amortized.free_symbols - {K}}
    used = {q: s.union(*(defaults[x].free_symbols for x in s if x in defaults)) for q, s in used.items()}
    if is_lab:                              # the seed lab: graph_launches takes the capture cost
        used["amortized"] = everything
    functions = []
    for quantity in ("baseline", "amortized", "crossover", "asymptote"):
        with_k = quantity in ("baseline", "amortized")
        args = arguments(used[quantity] if with_k else everything, with_k)
        oracle, point = _oracle(d, quantity, args, defaults)
        functions.append(LabFunction(names[quantity], quantity, args, oracle, point))
    return LabSpec(m, d, tuple(functions))


def lab_spec(model="cuda-graph"):
    """The lab's functions for ``model`` (a preset's name or a :class:`Model`)."""
    return _spec(preset(model) if isinstance(model, str) else model)


def _oracle(d, quantity, args, defaults):
    """``f(*arguments)``: the engine's exact answer, the default filled in where ``None``."""
    params = d.parameters
    compiled = d.function(quantity)
    fill = {s: compile_expression(v, params) for s, v in defaults.items()}
    index = {a.parameter: i for i, a in enumerate(args)}

    def at(*values):
        if len(values) != len(args):
            raise TypeError(f"expected {len(args)} arguments, got {len(values)}")
        given = {s: values[index[s.name]] if s.name in index else None for s in params}
        first_pass = [given[s] if given[s] is not None else 1 for s in params]
        return [given[s] if given[s] is not None else (fill[s](*first_pass) if s in fill else 1)
                for s in params]

    def oracle(*values):
        point = at(*values)
        if quantity in ("baseline", "amortized"):
            return compiled(*point, values[index["k"]])
        if quantity == "crossover":
            return _checked_crossover(d, point)
        return compiled(*point)

    return oracle, at


def _checked_crossover(d, point):
    """The engine's crossover, held against a walk over the first calls (a bug in derive
    otherwise, never a student's fault)."""
    first = d.function("crossover")(*point)
    baseline, amortized = d.function("baseline"), d.function("amortized")
    wins = lambda k: amortized(*point, k) < baseline(*point, k)        # noqa: E731
    walked = next((k for k in range(1, _WALK + 1) if wins(k)), None)
    if first is None:
        sound = walked is None
    else:
        sound = (walked == (first if first <= _WALK else None) and wins(first)
                 and (first == 1 or not wins(first - 1)))
    if not sound:
        raise RuntimeError(f"derive's oracles disagree (a bug in derive): engine crossover "
                           f"{first!r} != brute force {walked!r} at {point}")
    return first


# -- a fixed corpus of arguments ------------------------------------------------------------

def size(values):
    """How big a point is, for "smallest failing arguments": bits of every number.

    >>> size((2, None)) < size((2, 3)) < size((30, 90)) < size((30, Fraction(91, 3)))
    True
    """
    total = 0
    for v in values:
        if v is None:
            continue
        v = Fraction(v)
        total += v.numerator.bit_length() + 2 * (v.denominator.bit_length() - 1) + 1
    return total


def _draw(domain, rng, scale):
    """A value of ``domain`` (``integer >= L`` or ``rational > L`` / ``>= L``)."""
    lower = domain.lower
    span = {0: 4, 1: 60, 2: 10**40}[scale]
    if domain.kind == "integer":
        return int(lower) + rng.randrange(span)
    whole = rng.random() < 0.5
    denominator = 1 if whole else rng.randrange(2, 4 if scale == 0 else span + 2)
    start = math.floor(lower * denominator) + (1 if domain.strict or lower * denominator % 1 else 0)
    value = Fraction(start + rng.randrange(span * denominator), denominator)
    return int(value) if value.denominator == 1 else value


def corpus(spec, function, *, count=160, seed=0):
    """``count`` argument tuples for ``function``, the same for the same seed, smallest first.

    Small values first (where a mistake is easy to read), then medium and huge ones
    (beyond float's exact integers, and too big to walk ``k`` upward to). For the lab's
    model, the ties ``c = 1 + j·(n − 1)`` where the ceiling of the root goes wrong.

    >>> points = corpus(lab_spec(), lab_spec().function("crossover"), count=50)
    >>> points[:3]
    [(1, None), (2, None), (3, None)]
    """
    rng = random.Random(f"{seed}:{spec.model.name}:{function.name}")
    points = set()
    lab = spec.model.name == "cuda-graph"
    attempts = 0
    while len(points) < count and attempts < count * 20:
        attempts += 1
        scale = 0 if attempts <= count // 2 else (1 if attempts <= count else 2)
        values = []
        for a in function.arguments:
            if a.parameter == "k":
                values.append(1 + rng.randrange({0: 4, 1: 60, 2: 10**40}[scale]))
            elif a.default is not None and rng.random() < 0.3:
                values.append(None)
            else:
                values.append(_draw(a.domain, rng, scale))
        if lab and len(points) % 5 == 0:           # a tie line of the crossover
            names = [a.parameter for a in function.arguments]
            if "c" in names:
                n = values[names.index("n")]
                values[names.index("c")] = 1 + rng.randrange(4) * (n - 1) if scale < 2 else n
        points.add(tuple(values))
    return sorted(points, key=lambda p: (size(p), repr(p)))
