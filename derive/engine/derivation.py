"""``derive(model)``: break-even, crossover, asymptote and approach, in closed form.

SymPy alone cannot answer the lab: ``solve_univariate_inequality(c + k - 1 < k*n, k)``
raises ``NotImplementedError`` because the answer turns on the sign of ``n − 1``. The
engine does the case analysis itself, once, for any two totals affine in ``k``.

Algorithm notes. Write the totals as ``B(k) = b0 + b1·k`` (baseline: pay every call) and
``A(k) = a0 + a1·k`` (amortized: pay upfront, then less per call). With the per-call
saving ``s = b1 − a1`` and the upfront excess ``u = a0 − b0``,

    A(k) < B(k)   ⇔   s·k > u.

* break-even (the continuous root): ``k* = u / s`` when ``s ≠ 0``;
* crossover (the least integer ``k ≥ 1`` with ``A(k) < B(k)``), as ordered cases:
  ``1`` if ``u < 0 ≤ s`` (cheaper from the first call, and it stays so);
  ``⌊u/s⌋ + 1`` if ``s > 0`` (the least integer strictly above the root — not
  ``⌈u/s⌉``, which is one short whenever the root is an integer);
  ``1`` if ``s < 0`` and ``s > u`` (cheaper at first, overtaken later);
  otherwise never;
* asymptote: ``B(k)/A(k) → b1/a1`` as ``k → ∞`` when ``a1 > 0``, and ``∞`` when the
  amortized per-call cost ``a1`` is 0 (with ``b1 > 0``);
* approach: ``B/A − b1/a1 = Δ / (a1·A(k))`` and ``d(B/A)/dk = −Δ / A(k)²`` with
  ``Δ = a1·b0 − a0·b1``, so the ratio stays below its limit and rises when ``Δ < 0``,
  is constant when ``Δ = 0``, and falls from above when ``Δ > 0``.

Each condition is decided over the parameters' domains where it can be
(:mod:`derive.engine.conditions`); the rest are kept, simplified, as the cases' conditions.

>>> d = derive("cuda-graph")
>>> d.break_even
(c - 1)/(n - 1)
>>> d.crossover
(Case(when=c < 1, value=1), Case(when=n > 1, value=floor((c - 1)/(n - 1)) + 1), Case(when=True, value=None))
>>> d.asymptote
n
>>> derive("cuda-graph", n=30, c=90).first_call()
4
"""

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy

from ..errors import BindingError
from .conditions import sign, sign_condition, tidy_cases
from .evaluate import compile_expression
from .handout import handout, latex_blocks, markdown_blocks
from .model import Model
from .presets import preset
from .summary import summary_text
from .symbols import k

__all__ = ["QUANTITIES", "Case", "Derivation", "derive"]

#: The quantities a derivation answers, by their general names.
QUANTITIES = ("baseline", "amortized", "break_even", "crossover", "asymptote", "per_call_ratio")

BELOW, CONSTANT, ABOVE = "below", "constant", "above"


@dataclass(frozen=True)
class Case:
    """One case of an ordered list: ``value`` applies when ``when`` holds and no earlier case does.

    For the crossover ``value`` is the first winning call (``None``: never); for the
    approach it is a direction: ``"below"``, ``"constant"`` or ``"above"``.
    """

    when: object
    value: object


@dataclass(frozen=True, eq=False)
class Derivation:
    """Everything the engine derives about a (possibly partly bound) model."""

    model: Model
    saving: sympy.Expr          # s = b1 − a1, saved per call once amortized
    upfront: sympy.Expr         # u = a0 − b0, the extra paid up front
    break_even: object          # u/s, or None when the totals are parallel
    crossover: tuple            # Cases: first winning call, or None for never
    asymptote: sympy.Expr       # lim B/A as k → ∞
    approach: tuple             # Cases: "below" / "constant" / "above"
    break_even_when: object = sympy.true   # where the root exists: s ≠ 0, kept through bindings

    @property
    def break_even_hidden(self):
        """Whether the root's condition is not visible in its formula: a binding or a
        cancellation removed the saving from its denominator (``c = n``: ``k* = 1``, but
        only where ``n ≠ 1``). Renderers then state :attr:`break_even_when`.

        >>> d = derive("cuda-graph", c="n")
        >>> d.break_even, d.break_even_when, d.break_even_hidden
        (1, Ne(n, 1), True)
        >>> derive("cuda-graph").break_even_hidden
        False
        """
        if self.break_even is None or self.break_even_when in (sympy.true, True):
            return False
        _, denominator = sympy.fraction(sympy.together(self.break_even))
        return not sympy.cancel(denominator / self.saving).is_number

    @property
    def baseline(self):
        return self.model.baseline

    @property
    def amortized(self):
        return self.model.amortized

    @property
    def per_call_ratio(self):
        """B(k)/A(k), the running ratio of the totals."""
        return self.model.baseline / self.model.amortized

    @property
    def parameters(self):
        """The free parameters, in the model's order (``k`` not included)."""
        return tuple(p.symbol for p in self.model.parameters)

    # -- exact numbers -------------------------------------------------------------

    @cached_property
    def _functions(self):
        params = self.parameters
        with_k = params + (k,)
        crossover = sympy.Piecewise(*[
            (sympy.Integer(-1) if case.value is None else case.value, case.when)
            for case in self.crossover
        ])
        first = compile_expression(crossover, params)

        def crossover_function(*args):
            value = first(*args)
            return None if value == -1 else value

        table = {
            "baseline": compile_expression(self.model.baseline, with_k),
            "amortized": compile_expression(self.model.amortized, with_k),
            "per_call_ratio": _as_fraction(compile_expression(self.per_call_ratio, with_k)),
            "asymptote": compile_expression(self.asymptote, params),
            "crossover": crossover_function,
        }
        if self.break_even is not None:
            table["break_even"] = compile_expression(self.break_even, params)
        return table

    def function(self, quantity):
        """An exact function of the free parameters (then ``k``, where it matters).

        Compiled once per derivation, so that property tests need no ``subs`` per example.

        >>> f = derive("cuda-graph").function("crossover")
        >>> f(30, 90), f(30, 30), f(1, 1)
        (4, 2, None)
        """
        try:
            return self._functions[quantity]
        except KeyError:
            valid = ", ".join(sorted(self._functions))
            raise ValueError(f"quantity must be one of {valid}, got {quantity!r}") from None

    def first_call(self, **values):
        """The first winning call at these parameter values (``None``: never).

        >>> derive("cuda-graph").first_call(n=30, c=90)
        4
        >>> derive("cuda-graph", c="n").first_call(n=1) is None
        True
        """
        args = [self._argument(p, values.pop(p.name, None)) for p in self.model.parameters]
        if values:
            raise BindingError(f"unknown or already bound parameters: {', '.join(sorted(values))}")
        return self.function("crossover")(*args)

    # -- display -------------------------------------------------------------------

    def __str__(self):
        """The derivation as text, as ``derive show`` prints it.

        >>> print(str(derive("cuda-graph")).splitlines()[0])
        model cuda-graph: Launch overhead & the eager-graph crossover
        """
        return summary_text(self)

    def __repr__(self):
        """Short: the model, its bindings and the headline results (``str()`` has it all).

        >>> derive("cuda-graph", c="3*n")
        Derivation('cuda-graph', c=3*n; break_even=(3*n - 1)/(n - 1), asymptote=n)
        """
        bound = "".join(f", {name}={value}" for name, value in self.model.bindings.items())
        return (f"Derivation({self.model.name!r}{bound}; break_even={self.break_even}, "
                f"asymptote={self.asymptote})")

    def _repr_latex_(self):
        """The handout's LaTeX body (no preamble), as Jupyter and nbconvert take it."""
        return latex_blocks(handout(self))

    def _repr_markdown_(self):
        """The handout in Markdown with ``$…$`` math."""
        return markdown_blocks(handout(self))

    def _argument(self, parameter, value):
        if value is None:
            raise BindingError(f"{parameter.name} needs a value ({parameter.domain})")
        exact = self.model.exact_value(parameter, value)
        if exact.free_symbols or not parameter.domain.contains(exact):
            raise BindingError(f"{parameter.name} must be {parameter.domain}, got {value!r}")
        return int(exact) if exact.is_Integer else Fraction(int(exact.p), int(exact.q))


def _as_fraction(function):
    def exact(*args):
        return Fraction(function(*args))
    return exact


def derive(model, /, **bindings):
    """Derive ``model`` (a :class:`Model` or a preset's name) with some parameters bound.

    >>> derive("cuda-graph", c="3*n").crossover[0]
    Case(when=n > 1, value=floor((3*n - 1)/(n - 1)) + 1)
    >>> derive("cuda-graph", n=300).asymptote
    300
    """
    if isinstance(model, str):
        model = preset(model)
    elif not isinstance(model, Model):
        raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
    model = model.bind(**bindings)
    domains = model.domains
    b0, b1, a0, a1 = model.coefficients()
    saving = sympy.expand(b1 - a1)
    upfront = sympy.expand(a0 - b0)
    return Derivation(
        model=model,
        saving=saving,
        upfront=upfront,
        break_even=_break_even(saving, upfront, domains),
        break_even_when=sign_condition(saving, "!=", domains),
        crossover=_crossover(saving, upfront, domains),
        asymptote=_asymptote(b0, b1, a0, a1, domains),
        approach=_approach(b0, b1, a0, a1, domains),
    )


def _break_even(s, u, domains):
    if sign(s, domains) == 0:
        return None
    return sympy.factor(sympy.cancel(u / s))


def _crossover(s, u, domains):
    cases = [
        (sympy.And(sign_condition(u, "<", domains), sign_condition(s, ">=", domains)), sympy.Integer(1)),
        (sign_condition(s, ">", domains), sympy.floor(sympy.factor(sympy.cancel(u / s))) + 1 if s != 0 else None),
        (sympy.And(sign_condition(s, "<", domains), sign_condition(s - u, ">", domains)), sympy.Integer(1)),
        (sympy.true, None),
    ]
    return tuple(Case(when, value) for when, value in tidy_cases(cases, domains))


def _asymptote(b0, b1, a0, a1, domains):
    slope_sign = sign(a1, domains)
    if slope_sign == 1:
        return sympy.cancel(b1 / a1)
    if slope_sign == 0:                            # A is constant: B decides, by its slope
        grows = sign(b1, domains)
        if grows is None:
            return sympy.Piecewise((sympy.oo, b1 > 0), (sympy.cancel(b0 / a0), sympy.Eq(b1, 0)),
                                   (-sympy.oo, True))
        return {1: sympy.oo, 0: sympy.cancel(b0 / a0), -1: -sympy.oo}[grows]
    return sympy.Piecewise((sympy.cancel(b1 / a1), sympy.Ne(a1, 0)), (sympy.oo, True))


def _approach(b0, b1, a0, a1, domains):
    delta = sympy.expand(a1 * b0 - a0 * b1)
    if sign(a1, domains) == 1:                     # the three signs of Δ: exhaustive
        cases = [
            (sign_condition(delta, "<", domains), BELOW),
            (sign_condition(delta, "==", domains), CONSTANT),
            (sign_condition(delta, ">", domains), ABOVE),
        ]
        return tuple(Case(when, value) for when, value in tidy_cases(cases, domains))
    growing = sign_condition(a1, ">", domains)
    flat = sign_condition(a1, "==", domains)
    cases = [
        (sympy.And(growing, sign_condition(delta, "<", domains)), BELOW),
        (sympy.And(growing, sign_condition(delta, "==", domains)), CONSTANT),
        (sympy.And(growing, sign_condition(delta, ">", domains)), ABOVE),
        (sympy.And(flat, sign_condition(b1, ">", domains)), BELOW),
        (sympy.true, CONSTANT),
    ]
    return tuple(Case(when, value) for when, value in tidy_cases(cases, domains))

