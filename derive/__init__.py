"""derive: the closed-form economics of "pay once, save on every repeat".

The lab's numeric functions load with the package and never import sympy:

>>> from derive import crossover, asymptotic_speedup
>>> crossover(30), crossover(30, 90), crossover(1), asymptotic_speedup(300)
(2, 4, None, 300)

The symbolic engine loads on first use:

>>> from derive import derive
>>> derive("cuda-graph", n=30, c=90).first_call()
4

=========================  ==================================================
numeric (no sympy)         ``eager_launches graph_launches crossover
                           asymptotic_speedup per_call_ratio``
engine                     ``Model Parameter Domain preset PRESETS derive
                           Derivation Case``
beyond the lab             ``compose custom_model per_shape_totals Shape
                           PerShape limit_of solve_for``
rendering                  :mod:`derive.render` (``render``, ``to_json``,
                           ``to_latex``, ``to_markdown``), by module: a
                           top-level ``render`` would clash with it
student work               ``Verdict check_steps Chain parse_expression
                           parse_relation free_names`` (and ``derive.check.check``)
checking implementations   ``verify`` (:mod:`derive.conformance`; hypothesis
                           strategies in :mod:`derive.strategies`)
proofs                     ``Theorem``; run them with ``derive.prove.run()``
measuring                  ``load_unit_us`` (more in :mod:`derive.measure`
                           and :mod:`derive.timing`)
capture ladders            ``LadderConfig load_ladder_config evaluate_ladder
                           optimal_ladder``
for course authors         ``chart write_report exercise min_capture_cost``
errors                     ``DeriveError ModelError BindingError ParseError
                           UndecidedError MissingDependencyError``
=========================  ==================================================
"""

from importlib import import_module

from .errors import (
    BindingError,
    DeriveError,
    MissingDependencyError,
    ModelError,
    ParseError,
    UndecidedError,
)
from .numeric import (
    asymptotic_speedup,
    crossover,
    eager_launches,
    graph_launches,
    per_call_ratio,
)

__version__ = "0.1.0"

# Symbolic names: imported from their module (and sympy with it) on first access.
_LAZY = {
    "Case": "derivation",
    "Chain": "steps",
    "Derivation": "derivation",
    "Domain": "symbols",
    "LadderConfig": "ladder",
    "Model": "model",
    "PRESETS": "presets",
    "Parameter": "model",
    "PerShape": "shapes",
    "Shape": "shapes",
    "Theorem": "prove",
    "Verdict": "check",
    "chart": "plot",
    "check_steps": "steps",
    "compose": "presets",
    "custom_model": "presets",
    "derive": "derivation",
    "evaluate_ladder": "ladder",
    "exercise": "exercises",
    "free_names": "parse",
    "limit_of": "analysis",
    "load_ladder_config": "ladder",
    "load_unit_us": "measure",
    "min_capture_cost": "exercises",
    "optimal_ladder": "ladder",
    "parse_expression": "parse",
    "parse_relation": "parse",
    "per_shape_totals": "shapes",
    "preset": "model",
    "solve_for": "analysis",
    "verify": "conformance",
    "write_report": "report",
}

__all__ = sorted([
    "BindingError",
    "DeriveError",
    "MissingDependencyError",
    "ModelError",
    "ParseError",
    "UndecidedError",
    "asymptotic_speedup",
    "crossover",
    "eager_launches",
    "graph_launches",
    "per_call_ratio",
    *_LAZY,
])


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
