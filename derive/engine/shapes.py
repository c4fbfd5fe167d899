"""Per-shape accounting: every distinct shape (batch size) runs its own crossover race.

A graph is captured per shape, so a deployment that serves several batch sizes pays the
upfront cost once per shape, and each shape amortizes it over its own calls only. Here a
model is evaluated at several shapes — each with its parameter values and its call
count — and the totals are added up, exactly.

=================================  ===================================================
``Shape(name, calls, **values)``   one shape: its call count and its parameter values
``per_shape_totals(model, shapes)`` each shape's race and the total (:class:`PerShape`)
=================================  ===================================================

>>> totals = per_shape_totals("cuda-graph", [Shape("batch 1", 1000, n=30), Shape("batch 64", 1, n=30)])
>>> [(race.name, race.first_call, race.wins) for race in totals.races]
[('batch 1', 2, True), ('batch 64', 2, False)]
>>> totals.baseline, totals.amortized, totals.ratio
(30030, 1059, Fraction(10010, 353))

Algorithm notes: the total over shapes ``Σ B_s(k_s)`` against ``Σ A_s(k_s)`` is not one
race in a single ``k`` — each term has its own ``k_s``, and the amortized side carries one
upfront cost per shape. A parameter left out of a shape takes the model's default
(``c = n`` for the lab), evaluated at that shape's values.
"""

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from ..errors import BindingError
from .derivation import derive
from .model import Model
from .presets import preset
from .symbols import k

__all__ = ["PerShape", "Shape", "ShapeRace", "per_shape_totals"]


@dataclass(frozen=True, init=False)
class Shape:
    """One shape: a ``name``, its number of ``calls`` and its parameter ``values``."""

    name: str
    calls: int
    values: dict = field(default_factory=dict)

    def __init__(self, name, calls, /, **values):
        if not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty str, got {name!r}")
        if isinstance(calls, bool) or not isinstance(calls, int):
            raise TypeError(f"calls must be an int, got {type(calls).__name__} {calls!r}")
        if calls < 1:
            raise ValueError(f"calls must be >= 1, got {calls}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "calls", calls)
        object.__setattr__(self, "values", dict(values))


@dataclass(frozen=True)
class ShapeRace:
    """One shape's race: both totals at its call count, and its first winning call."""

    name: str
    calls: int
    baseline: object      # int or Fraction
    amortized: object
    first_call: object    # int, or None: the amortized strategy never wins at this shape

    @property
    def wins(self):
        """Whether the amortized strategy is strictly cheaper after this shape's calls."""
        return self.amortized < self.baseline


@dataclass(frozen=True)
class PerShape:
    """Every shape's race and the totals over all of them."""

    model: str
    races: tuple

    @property
    def baseline(self):
        return sum((race.baseline for race in self.races), 0)

    @property
    def amortized(self):
        return sum((race.amortized for race in self.races), 0)

    @property
    def ratio(self):
        """Total baseline over total amortized, the deployment's speedup, exact."""
        return Fraction(self.baseline) / Fraction(self.amortized)

    @property
    def wins(self):
        return self.amortized < self.baseline


def _exact(value):
    """A fully bound total (a sympy Rational) as an ``int`` or a ``Fraction``."""
    return int(value) if value.is_Integer else Fraction(int(value.p), int(value.q))


def _bound(model, shape):
    """``model`` with the shape's values bound, and defaults for the parameters left out."""
    bound = model.bind(**shape.values)
    given = {p.symbol: bound.bindings[p.name] for p in model.parameters if p.name in shape.values}
    defaults = {s.name: v.xreplace(given) for s, v in bound.defaults.items()}
    bound = bound.bind(**{name: v for name, v in defaults.items() if not v.free_symbols})
    if bound.parameters:
        missing = ", ".join(f"{p.name} ({p.domain})" for p in bound.parameters)
        raise BindingError(f"shape {shape.name!r} leaves {missing} without a value")
    return bound


def per_shape_totals(model, shapes):
    """Each shape's race (totals at its calls, first winning call) and the totals over shapes.

    ``model`` is a :class:`~derive.engine.model.Model` or a preset's name; ``shapes`` an iterable
    of :class:`Shape` with distinct names, each giving values for the model's parameters
    (defaults fill the rest).

    >>> races = per_shape_totals("cuda-graph", [Shape("b1", 3, n=30, c=90), Shape("b2", 4, n=30, c=90)]).races
    >>> [(race.calls, race.first_call, race.wins) for race in races]
    [(3, 4, False), (4, 4, True)]
    """
    if isinstance(model, str):
        model = preset(model)
    elif not isinstance(model, Model):
        raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
    shapes = tuple(shapes)
    for shape in shapes:
        if not isinstance(shape, Shape):
            raise TypeError(f"shapes must hold Shape objects, got {type(shape).__name__} {shape!r}")
    names = [shape.name for shape in shapes]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"shape names must be distinct, got {', '.join(map(repr, repeated))} twice")
    if not shapes:
        raise ValueError("shapes must hold at least one Shape, got none")
    races = []
    for shape in shapes:
        bound = _bound(model, shape)
        at_calls = {k: sympy.Integer(shape.calls)}
        races.append(ShapeRace(
            name=shape.name,
            calls=shape.calls,
            baseline=_exact(bound.baseline.xreplace(at_calls)),
            amortized=_exact(bound.amortized.xreplace(at_calls)),
            first_call=derive(bound).first_call(),
        ))
    return PerShape(model.name, tuple(races))
