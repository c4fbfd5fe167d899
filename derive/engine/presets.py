"""The presets: the lab's model and the models its notes go on to, each two totals affine in k.

Every preset is a :class:`~derive.engine.model.Model`; :func:`derive.engine.derivation.derive` answers
the same questions for all of them (break-even, first winning call, ceiling, approach).
No result below is typed in: each one comes out of the engine.

===================  ===============================================================
``cuda-graph``       the lab: ``k·n`` launches eagerly against ``c + (k − 1)``
``wall-clock``       time, not launches: each call also does ``t_gpu`` of GPU work
``multi-step``       ``m`` steps per launch: a replay costs ``1/m`` launch per call
``fusion``           fusion divides the ops by ``f``, then capture: eager vs fused+graph
``compile``          ``t_compile`` once, then calls take ``t_after`` instead of ``t_before``
``kernel-batching``  the CUDA-graph literature's ``t_define``, ``t_instantiate``, ``t_first``,
                     ``t_replay`` against ``t_eager`` per iteration
===================  ===============================================================

==============================  ======================================================
``PRESETS``, ``preset(name)``   the presets by name
``describe()``                  ``(name, one-line description)`` of each preset
``compose(first, second)``      chain two models: first's amortized is second's baseline
``FUSION_STAGES``               eager vs fused, and fused vs fused+graph
``custom_model(b, a, assume)``  a model typed as text, its parameters inferred
==============================  ======================================================

>>> from derive.engine.derivation import derive
>>> derive("kernel-batching").break_even
(t_define + t_first + t_instantiate - t_replay)/(t_eager - t_replay)
>>> derive("multi-step").asymptote
m*n
"""

import re
from fractions import Fraction

import sympy

from ..errors import ModelError, ParseError, blamed, shown
from ..limits import MAX_PARAMETERS
from ..text.parse import free_names, parse_expression
from .model import Model, Parameter
from .symbols import (
    AT_LEAST_ONE,
    COUNT,
    NONNEGATIVE_RATIONAL,
    POSITIVE_RATIONAL,
    Domain,
    c,
    f,
    k,
    m,
    n,
    t_after,
    t_before,
    t_compile,
    t_define,
    t_eager,
    t_first,
    t_gpu,
    t_instantiate,
    t_launch,
    t_replay,
)

__all__ = [
    "COMPILE", "CUDA_GRAPH", "FUSION", "FUSION_STAGES", "KERNEL_BATCHING", "MULTI_STEP",
    "PRESETS", "WALL_CLOCK", "compose", "custom_model", "describe", "preset",
]

_N = Parameter(n, COUNT, "ops (kernel launches) per call, num_ops")
_C = Parameter(c, POSITIVE_RATIONAL, "capture cost of the first call in launches, capture_cost_ops")


CUDA_GRAPH = Model(
    name="cuda-graph",
    title="Launch overhead & the eager-graph crossover",
    baseline=k * n,
    amortized=c + (k - 1),
    parameters=(_N, _C),
    labels=("eager", "graph"),
    defaults={c: n},
)

# Algorithm notes (wall-clock). Each call also runs t_gpu of GPU work, which the graph does
# not remove: eager n·t_launch + t_gpu, capture c·t_launch + t_gpu, replay t_launch + t_gpu.
# The GPU time cancels from the saving and the upfront excess, so the crossover is the
# lab's; it does not cancel from the ceiling, which it dilutes towards 1 (Amdahl).
WALL_CLOCK = Model(
    name="wall-clock",
    title="Wall-clock time: launches plus GPU work, the ceiling diluted towards 1 (Amdahl)",
    baseline=k * (n * t_launch + t_gpu),
    amortized=(c * t_launch + t_gpu) + (k - 1) * (t_launch + t_gpu),
    parameters=(
        _N,
        _C,
        Parameter(t_launch, POSITIVE_RATIONAL, "CPU time of one kernel launch"),
        Parameter(t_gpu, NONNEGATIVE_RATIONAL, "GPU time of one call"),
    ),
    labels=("eager", "graph"),
    defaults={c: n},
)

MULTI_STEP = Model(
    name="multi-step",
    title="Multi-step replay: m steps per launch, the ceiling raised from n to n*m",
    baseline=k * n,
    amortized=c + (k - 1) / m,
    parameters=(_N, _C, Parameter(m, COUNT, "steps per launch")),
    labels=("eager", "multi-step graph"),
    defaults={c: n},
)

COMPILE = Model(
    name="compile",
    title="torch.compile warmup: compile once, then every call runs faster",
    baseline=k * t_before,
    amortized=t_compile + k * t_after,
    parameters=(
        Parameter(t_compile, NONNEGATIVE_RATIONAL, "compile time, paid once"),
        Parameter(t_before, POSITIVE_RATIONAL, "time of a call before compiling"),
        Parameter(t_after, POSITIVE_RATIONAL, "time of a call once compiled"),
    ),
    labels=("eager", "compiled"),
)

# The notation of the kernel-batching literature: an iteration of t_eager eagerly; the
# graph is defined, instantiated and launched once (t_define + t_instantiate + t_first),
# then each later iteration replays in t_replay.
KERNEL_BATCHING = Model(
    name="kernel-batching",
    title="Kernel batching: define, instantiate and launch a graph once, then replay it",
    baseline=k * t_eager,
    amortized=t_define + t_instantiate + t_first + (k - 1) * t_replay,
    parameters=(
        Parameter(t_eager, POSITIVE_RATIONAL, "time of an iteration run eagerly"),
        Parameter(t_define, NONNEGATIVE_RATIONAL, "time to define (capture) the graph"),
        Parameter(t_instantiate, NONNEGATIVE_RATIONAL, "time to instantiate the graph"),
        Parameter(t_first, POSITIVE_RATIONAL, "time of the graph's first launch"),
        Parameter(t_replay, POSITIVE_RATIONAL, "time of each later iteration, replayed"),
    ),
    labels=("eager", "graph"),
)


# -- composition: fusion, then capture -----------------------------------------------------

def compose(first, second, *, name, title="", labels=None):
    """The model ``first.baseline`` against ``second.amortized``: two improvements in a row.

    ``first.amortized`` must be ``second.baseline`` (the state the second step starts
    from). Parameters shared by name must be the same symbol with the same domain; the
    composite keeps the ones its totals use.

    Algorithm notes: the ceilings multiply. With slopes ``b1``, ``y1``, ``a1`` of the
    three totals, ``b1/a1 = (b1/y1)·(y1/a1)`` — the composite's ceiling is the product of
    the steps' ceilings whenever the middle slope ``y1`` is not 0.

    >>> eager_vs_fused, fused_vs_graph = FUSION_STAGES
    >>> compose(eager_vs_fused, fused_vs_graph, name="fusion").amortized
    k - 1 + n/f
    """
    for which, model in (("first", first), ("second", second)):
        if not isinstance(model, Model):
            raise TypeError(f"{which} must be a Model, got {type(model).__name__}")
    if sympy.expand(first.amortized - second.baseline) != 0:
        raise ModelError(
            f"compose needs the first model's amortized total to be the second's baseline, "
            f"got {first.amortized} and {second.baseline}")
    baseline, amortized = first.baseline, second.amortized
    used = baseline.free_symbols | amortized.free_symbols
    parameters = {}
    for p in first.parameters + second.parameters:
        seen = parameters.get(p.name)
        if seen is not None and (seen.symbol != p.symbol or seen.domain != p.domain):
            raise ModelError(f"parameter {p.name} is {seen.domain} in {first.name} "
                             f"but {p.domain} in {second.name}")
        if seen is None and p.symbol in used:
            parameters[p.name] = p
    kept = {p.symbol for p in parameters.values()}
    defaults = {s: v for s, v in {**first.defaults, **second.defaults}.items()
                if s in kept and v.free_symbols <= kept}
    return Model(name=name, title=title, baseline=baseline, amortized=amortized,
                 parameters=tuple(parameters.values()),
                 labels=labels or (first.labels[0], second.labels[1]), defaults=defaults)


_F = Parameter(f, AT_LEAST_ONE, "fusion factor: fusion divides the op count by f")

# Fusion shrinks the op count to n/f (no upfront cost in launches); the fused model is
# then captured at the cost of one fused eager pass and replayed in one launch per call.
FUSION_STAGES = (
    Model(name="eager-vs-fused", title="Fusion alone: n ops per call become n/f",
          baseline=k * n, amortized=k * n / f, parameters=(_N, _F), labels=("eager", "fused")),
    Model(name="fused-vs-graph", title="Capture of the fused model: n/f launches become 1",
          baseline=k * n / f, amortized=n / f + (k - 1), parameters=(_N, _F),
          labels=("fused", "fused+graph")),
)

FUSION = compose(
    *FUSION_STAGES, name="fusion",
    title="Fusion then capture: the two attacks on k*n launches multiply to the ceiling n",
)

PRESETS = {model.name: model for model in
           (CUDA_GRAPH, WALL_CLOCK, MULTI_STEP, FUSION, COMPILE, KERNEL_BATCHING)}


def preset(name):
    """The preset model called ``name``.

    >>> preset("wall-clock").labels
    ('eager', 'graph')
    >>> preset("warp-drive")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'warp-drive'; the presets are: compile, cuda-graph, fusion, kernel-batching, multi-step, wall-clock
    """
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(PRESETS))
        raise ValueError(f"unknown model {shown(name)}; the presets are: {valid}") from None


def describe():
    """``(name, one-line description)`` for every preset, in the order of :data:`PRESETS`.

    >>> describe()[0]
    ('cuda-graph', 'Launch overhead & the eager-graph crossover')
    """
    return tuple((name, model.title) for name, model in PRESETS.items())


# -- custom models from text --------------------------------------------------------------

_ASSUMPTION = re.compile(r"\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:(integer)|(>=|>)\s*(\S.*?))\s*$")


def _assumptions(texts):
    """``{name: Domain}`` from texts such as ``n integer``, ``n >= 1``, ``x > 0``."""
    kinds, bounds = {}, {}
    for text in texts:
        source = f"assume {shown(text)}"
        match = _ASSUMPTION.match(text) if isinstance(text, str) and len(text) <= 1000 else None
        if match is None:
            raise blamed(ValueError("assume takes 'NAME integer', 'NAME >= NUMBER' or "
                                    "'NAME > NUMBER'"), source, "assumption")
        name, integer, op, bound = match.groups()
        if name == "k":
            raise blamed(ValueError("k is the number of repeats (integer >= 1); it cannot be "
                                    "assumed"), source, "assumption")
        if integer:
            kinds[name] = "integer"
            continue
        try:
            value = parse_expression(bound, {})
        except ParseError as error:
            raise blamed(ValueError(f"the bound must be a number; {error}"), source,
                         "assumption") from None
        if not value.is_Rational:
            raise blamed(ValueError(f"the bound must be a rational number, got {shown(value)}"),
                         source, "assumption")
        if name in bounds:
            raise blamed(ValueError(f"assume gives {name} two lower bounds"), source, "assumption")
        bounds[name] = (Fraction(int(value.p), int(value.q)), op == ">")
    return {name: Domain(kinds.get(name, "rational"), *bounds.get(name, (0, True)))
            for name in kinds.keys() | bounds.keys()}


def custom_model(baseline, amortized, *, assume=(), name="custom", title=""):
    """A model from two totals typed as text, read by the safe parser (never ``eval``).

    ``k`` is the number of repeats; every other name is a parameter, a positive rational
    unless ``assume`` says otherwise (``"n integer"``, ``"n >= 1"``, ``"x > 2"``; an
    integer with no bound is an integer >= 1). At most :data:`derive.limits.MAX_PARAMETERS`
    parameters (32): the derivation's time grows fast with their number.

    >>> model = custom_model("k*t_eager", "t_setup + k*t_fast")
    >>> [(p.name, str(p.domain)) for p in model.parameters]
    [('t_eager', 'rational > 0'), ('t_fast', 'rational > 0'), ('t_setup', 'rational > 0')]
    >>> from derive.engine.derivation import derive
    >>> derive(model).break_even
    t_setup/(t_eager - t_fast)
    >>> custom_model("k*n", "c + k - 1", assume=["n integer"]).parameter("n").domain
    Domain('integer >= 1')
    """
    texts = {"baseline": baseline, "amortized": amortized}
    for which, text in texts.items():
        if not isinstance(text, str):
            raise TypeError(f"{which} must be a str, got {type(text).__name__}")
    names = sorted(set().union(*(_read(which, free_names, text) for which, text in texts.items())) - {"k"})
    if len(names) > MAX_PARAMETERS:
        raise ModelError(f"a model of your own may have at most {MAX_PARAMETERS} parameters, "
                         f"got {len(names)} ({shown(', '.join(names), quoted=False)})")
    domains = _assumptions(assume)
    unused = sorted(domains.keys() - set(names))
    if unused:
        raise ValueError(f"assume names {shown(', '.join(unused), quoted=False)}, which the totals "
                         f"do not use; their names: {shown(', '.join(names), 200, quoted=False) or 'none'}")
    parameters = tuple(
        Parameter((domain := domains.get(p, POSITIVE_RATIONAL)).symbol(p), domain) for p in names)
    symbols = {p.name: p.symbol for p in parameters}
    symbols["k"] = k
    totals = {which: _read(which, parse_expression, text, symbols) for which, text in texts.items()}
    return Model(name=name, title=title, parameters=parameters, **totals)


def _read(which, reader, text, *args):
    """``reader(text, *args)``, its parse errors saying which total they are about."""
    try:
        return reader(text, *args)
    except ParseError as error:
        raise ParseError(f"{which} total: {error}") from None
