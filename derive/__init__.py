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
                           Derivation Case`` (:mod:`derive.engine`)
beyond the lab             ``compose custom_model per_shape_totals Shape
                           PerShape limit_of solve_for``; the wall-clock
                           limits in :mod:`derive.engine.wall_clock`
rendering                  :mod:`derive.render` (``render``, ``to_json``,
                           ``to_latex``, ``to_markdown``), by module: a
                           top-level ``render`` would clash with it
student work               ``check Verdict check_steps Chain
                           parse_expression parse_relation free_names``
                           (:mod:`derive.checker`; the reader is :mod:`derive.text`)
checking implementations   ``verify`` (:mod:`derive.conformance`; hypothesis
                           strategies in :mod:`derive.strategies`)
proofs                     ``Theorem``; run them with ``derive.prove.run()``
measuring                  ``load_unit_us`` (more in :mod:`derive.measure`)
capture ladders            ``LadderConfig load_ladder_config evaluate_ladder
                           optimal_ladder`` (more in :mod:`derive.ladder`)
for course authors         ``chart write_report exercise min_capture_cost``
                           (:mod:`derive.authoring`)
errors                     ``DeriveError ModelError BindingError ParseError
                           UndecidedError MissingDependencyError``
=========================  ==================================================

The parts stand in floors, each importing only the floors below it: ``numeric``,
``errors``, ``alarm`` and ``strategies`` (no sympy); ``text`` and ``limits``; ``engine``; ``render``;
``checker``, ``conformance``, ``measure``, ``ladder``, ``lab`` and ``prove``;
``authoring`` and ``grade``; ``serve`` (the web app); ``cli``. ``tests/test_layout.py`` holds them to it.
"""

from importlib import import_module

from ._version import __version__
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

# Symbolic names: imported from their module (and sympy with it) on first access, so that
# ``import derive`` and the numeric functions never load sympy.
_LAZY = {
    "Case": "engine.derivation",
    "Chain": "checker.steps",
    "Derivation": "engine.derivation",
    "Domain": "engine.symbols",
    "LadderConfig": "ladder",
    "Model": "engine.model",
    "PRESETS": "engine.presets",
    "Parameter": "engine.model",
    "PerShape": "engine.shapes",
    "Shape": "engine.shapes",
    "Theorem": "prove",
    "Verdict": "checker",
    "chart": "authoring.chart",
    "check": "checker",
    "check_steps": "checker.steps",
    "compose": "engine.presets",
    "custom_model": "engine.presets",
    "derive": "engine.derivation",
    "evaluate_ladder": "ladder",
    "exercise": "authoring.exercises",
    "free_names": "text.parse",
    "limit_of": "engine.analysis",
    "load_ladder_config": "ladder",
    "load_unit_us": "measure",
    "min_capture_cost": "authoring.exercises",
    "optimal_ladder": "ladder",
    "parse_expression": "text.parse",
    "parse_relation": "text.parse",
    "per_shape_totals": "engine.shapes",
    "preset": "engine.presets",
    "solve_for": "engine.analysis",
    "verify": "conformance",
    "write_report": "authoring.report",
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
