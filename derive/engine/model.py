"""Models: two totals affine in the number of repeats ``k``.

A :class:`Model` is a decision "pay every call" against "pay upfront, then less per
call": a ``baseline`` total and an ``amortized`` total, both sympy expressions of the
form ``intercept + slope·k``, over declared :class:`Parameter` s with their domains.

=======================  =========================================================
``Model``                the two totals, their parameters, names and defaults
``Parameter``            one parameter: its symbol, domain and meaning
``Model.exact_value``    one raw value (int, Fraction, float, text) as exact sympy
=======================  =========================================================

>>> from derive.engine.presets import preset
>>> m = preset("cuda-graph")
>>> m.baseline, m.amortized
(k*n, c + k - 1)
>>> m.coefficients()            # (baseline intercept, slope, amortized intercept, slope)
(0, n, c - 1, 1)
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from ..errors import BindingError, ModelError, blamed, shown
from ..text.exact import to_sympy
from ..text.parse import parse_expression
from .conditions import decide
from .symbols import COUNT, Domain, k

__all__ = ["Model", "Parameter"]


@dataclass(frozen=True)
class Parameter:
    """A model parameter: a sympy symbol, the domain it ranges over, and what it means."""

    symbol: sympy.Symbol
    domain: Domain
    meaning: str = ""

    @property
    def name(self):
        return self.symbol.name


@dataclass(frozen=True)
class Model:
    """Two totals affine in ``k``: ``baseline`` (pay every call) and ``amortized``.

    ``labels`` name the two strategies in words (``("eager", "graph")``); ``defaults``
    maps a parameter to the value it takes when not given (the lab's ``c = n``).
    """

    name: str
    baseline: sympy.Expr
    amortized: sympy.Expr
    parameters: tuple
    title: str = ""
    labels: tuple = ("baseline", "amortized")
    defaults: dict = field(default_factory=dict)
    bindings: dict = field(default_factory=dict)

    def __post_init__(self):
        declared = {p.symbol for p in self.parameters}
        if k in declared:
            raise ModelError("k is the number of repeats; it cannot also be a parameter")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ModelError(f"parameter names must be distinct, got {names}")
        for which in ("baseline", "amortized"):
            total = to_sympy(getattr(self, which), which)
            stray = total.free_symbols - declared - {k}
            if stray:
                listed = ", ".join(sorted(s.name for s in stray))
                raise ModelError(f"the {which} total {total} uses undeclared symbols: {listed}")
            _affine(total, which)
            object.__setattr__(self, which, total)

    # -- reading -------------------------------------------------------------------

    @property
    def domains(self):
        """``{symbol: Domain}`` for the parameters and ``k``."""
        table = {p.symbol: p.domain for p in self.parameters}
        table[k] = COUNT
        return table

    def parameter(self, name):
        """The parameter called ``name``; ``ValueError`` naming the valid ones otherwise."""
        for p in self.parameters:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.parameters) or "none"
        raise BindingError(f"model {self.name} has no parameter {shown(name)}; its parameters: {valid}")

    @property
    def symbols(self):
        """``{name: symbol}`` for the parameters and ``k``: what expressions may mention."""
        table = {p.name: p.symbol for p in self.parameters}
        table["k"] = k
        return table

    def coefficients(self):
        """``(b0, b1, a0, a1)``: baseline = b0 + b1·k and amortized = a0 + a1·k."""
        b0, b1 = _affine(self.baseline, "baseline")
        a0, a1 = _affine(self.amortized, "amortized")
        return b0, b1, a0, a1

    # -- binding -------------------------------------------------------------------

    def bind(self, **bindings):
        """This model with some parameters bound to numbers or expressions of the others.

        Values may be ``int``, ``Fraction``, finite ``float`` (taken exactly), sympy
        expressions, or text, read by :func:`derive.text.parse.parse_expression` (never
        ``eval``). A binding outside the parameter's domain raises :class:`BindingError`.

        >>> from derive.engine.presets import preset
        >>> preset("cuda-graph").bind(n=30, c=90).amortized
        k + 89
        >>> preset("cuda-graph").bind(c="3*n").amortized
        k + 3*n - 1
        """
        if not bindings:
            return self
        values = {}
        for name, raw in bindings.items():
            with _blamed_on(name, raw):
                param = self.parameter(name)
                values[param.symbol] = self.exact_value(param, raw)
        values = _resolve(values)
        remaining = tuple(p for p in self.parameters if p.symbol not in values)
        free = {p.symbol: p.domain for p in remaining}
        for symbol, value in values.items():
            with _blamed_on(symbol.name, bindings.get(symbol.name, value)):
                stray = value.free_symbols - set(free)
                if stray:
                    listed = ", ".join(sorted(s.name for s in stray))
                    raise BindingError(f"{symbol.name} = {shown(value)} refers to {listed}, "
                                       "not a parameter here")
                _check_in_domain(symbol.name, value, self.parameter(symbol.name).domain, free)
        bound = dict(self.bindings)
        bound.update({s.name: v for s, v in values.items()})
        return Model(
            name=self.name,
            baseline=self.baseline.xreplace(values),
            amortized=self.amortized.xreplace(values),
            parameters=remaining,
            title=self.title,
            labels=self.labels,
            defaults={s: v for s, v in self.defaults.items() if s not in values},
            bindings=bound,
        )

    def exact_value(self, param, raw):
        """``raw`` as an exact sympy value for the :class:`Parameter` ``param``.

        What :meth:`bind` does to each value before it checks the domain (this does not):
        ints and Fractions kept, a finite float taken exactly, text read by the safe
        parser over this model's parameter names, sympy expressions as given.

        >>> from derive.engine.presets import preset
        >>> m = preset("cuda-graph")
        >>> m.exact_value(m.parameter("c"), 0.5), m.exact_value(m.parameter("c"), "3*n")
        (1/2, 3*n)
        """
        if isinstance(raw, bool):
            raise BindingError(f"{param.name} must be a number or an expression, got bool {raw!r}")
        if isinstance(raw, int):
            return sympy.Integer(raw)
        if isinstance(raw, Fraction):
            return sympy.Rational(raw.numerator, raw.denominator)
        if isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):
                raise BindingError(f"{param.name} must be finite, got {raw!r}")
            exact = Fraction(raw)
            return sympy.Rational(exact.numerator, exact.denominator)
        if isinstance(raw, str):
            return parse_expression(raw, {p.name: p.symbol for p in self.parameters})
        if isinstance(raw, sympy.Basic):
            return raw
        raise BindingError(
            f"{param.name} must be an int, Fraction, float, sympy expression or text, "
            f"got {type(raw).__name__} {raw!r}"
        )


@contextmanager
def _blamed_on(name, raw):
    """Errors inside name the binding they are about: ``c=x: unknown name 'x'``."""
    try:
        yield
    except (BindingError, ValueError, TypeError) as error:
        named = str(error).startswith(f"{name} ")          # "c must be rational > 0, got 0"
        raise blamed(error, None if named else f"{name}={shown(raw, quoted=False)}",
                     "binding") from None


def _resolve(values):
    """Substitute bindings into each other (``c = 3*n`` with ``n = 30`` gives ``c = 90``)."""
    for _ in range(len(values)):
        values = {symbol: value.xreplace(values) for symbol, value in values.items()}
    cyclic = sorted(s.name for s, v in values.items() if v.free_symbols & set(values))
    if cyclic:
        raise BindingError(f"the bindings of {', '.join(cyclic)} refer to each other in a cycle")
    return values


def _affine(total, which):
    """``(intercept, slope)`` of a total affine in ``k``; :class:`ModelError` otherwise."""
    expanded = sympy.expand(total)
    intercept, slope = [], []
    for term in sympy.Add.make_args(expanded):      # each term: free of k, or (free of k)·k
        if k not in term.free_symbols:
            intercept.append(term)
            continue
        rest, part = term.as_independent(k, as_Add=False)
        if part == k:
            slope.append(rest)
        else:
            raise ModelError(f"the {which} total must be affine in k (a + b*k), got {total}")
    return sympy.Add(*intercept), sympy.Add(*slope)


def _check_in_domain(name, value, domain, free):
    if not value.free_symbols:
        if not domain.contains(value):
            raise BindingError(f"{name} must be {domain}, got {shown(value)}")
        return
    lower = domain.lower_bound
    holds = decide(value > lower if domain.strict else value >= lower, free)
    if holds is not True:
        raise BindingError(
            f"{name} must be {domain} for every value of the other parameters, "
            f"got {name} = {shown(value)}, which is not provably so"
        )
    if domain.kind == "integer" and value.is_integer is not True:
        raise BindingError(f"{name} must be an integer, got {name} = {shown(value)}, not provably one")
