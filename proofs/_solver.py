"""What the proofs share: sympy expressions as z3 terms, proof by refutation, the engine.

A statement "for all values of the variables, claim" is proved by asking z3 for values
that satisfy the assumptions (the variables' domains) and the *negation* of the claim:
``unsat`` proves it, ``sat`` gives a counterexample, anything else is a proof that could
not be completed and raises :class:`~derive.prove.ProofIncomplete` — never a pass.

Algorithm notes. Integer variables are z3 ``Int`` s and rational ones z3 ``Real`` s;
integer-valued parts of an expression stay ``Int`` (z3 decides them far quicker) and
are converted where they meet a real; a quotient is always real. Rational variables
are z3 reals: a statement proved for every real in the domain holds for every rational
in it; a counterexample found over the reals is reported only if its values are rational
(the solver's models of these statements are), else the proof fails as incomplete.
``⌊p/q⌋`` is a fresh integer ``f`` with ``f·q ≤ p < (f + 1)·q`` when ``q > 0`` (the
inequalities turned round when ``q < 0``): the unique integer with ``f ≤ p/q < f + 1``,
written without the division, which z3's nonlinear integer reasoning settles in
milliseconds where ``ToInt(p/q)`` times out. ``⌈x⌉`` is the integer ``g`` with
``g − 1 < x ≤ g``. The definitions join the assumptions; as each pins its integer down,
"no counterexample" still means the claim holds. A quotient ``p/q`` elsewhere is z3's
real division. Both leave ``p/0`` unconstrained — harmless here, since every division by
something that can vanish sits in a case whose condition excludes it, and a value z3 is
free to choose can only make a counterexample easier to find, never hide one.

The engine's crossover cases ``(when, value)`` — the first whose ``when`` holds applies,
``value`` ``None`` meaning never — become two terms: the first winning call and a
Boolean "never" (:func:`crossover_terms`).
"""

from fractions import Fraction
from functools import cache

import sympy
import z3

from derive.engine.derivation import derive
from derive.engine.symbols import k
from derive.prove import ProofIncomplete

__all__ = ["Space", "counterexample", "crossover_terms", "difference", "is_integer", "lab",
           "least_claim", "selects", "wins", "witness"]

#: Milliseconds z3 may spend on one question before the proof fails as incomplete.
TIMEOUT_MS = 5_000


def _real(term):
    return z3.ToReal(term) if term.is_int() else term


def is_integer(term):
    """The z3 condition "``term`` is a whole number"."""
    return z3.BoolVal(True) if term.is_int() else z3.IsInt(term)


class Space:
    """The variables of a statement: sympy symbols as z3 variables bounded by their domains.

    >>> from derive.engine.symbols import COUNT, n
    >>> space = Space({n: COUNT})
    >>> space.term(2*n - 1)
    -1 + 2*n
    """

    def __init__(self, domains=()):
        self.variables = {}         # name -> the z3 variable
        self.values = {}            # sympy symbol -> its z3 variable (Int or Real)
        self.assumptions = []
        self._wholes = {}           # (floor or ceiling, binding) -> its integer variable
        for symbol, domain in dict(domains).items():
            self.add(symbol, domain)

    def add(self, symbol, domain, name=None):
        """Declare ``symbol`` ranging over ``domain``; return its z3 term."""
        name = name or symbol.name
        if name in self.variables:
            raise ValueError(f"variable {name} is declared twice")
        variable = (z3.Int if domain.kind == "integer" else z3.Real)(name)
        lower = z3.Q(domain.lower.numerator, domain.lower.denominator)
        self.assumptions.append(variable > lower if domain.strict else variable >= lower)
        self.variables[name] = variable
        self.values[symbol] = variable
        return variable

    def __getitem__(self, symbol):
        return self.values[symbol]

    # -- sympy -> z3 -----------------------------------------------------------------

    def term(self, expr, bind=None):
        """The z3 term of the sympy expression ``expr``; ``bind`` maps symbols to z3 terms.

        Integer-valued parts stay z3 integers (the solver is far quicker on them); z3
        converts them to reals where they meet a real, and a quotient is always real.
        """
        expr = sympy.sympify(expr, strict=True)
        if bind and expr in bind:
            return bind[expr]
        if expr.is_Integer:
            return z3.IntVal(int(expr))
        if expr.is_Rational:
            return z3.Q(int(expr.p), int(expr.q))
        if expr.is_Symbol:
            try:
                return self.values[expr]
            except KeyError:
                known = ", ".join(sorted(s.name for s in self.values))
                raise ValueError(f"symbol {expr} has no domain here; declared: {known}") from None
        if isinstance(expr, sympy.Mul):
            numerator, denominator = sympy.fraction(expr)
            if denominator != 1:
                return _real(self.term(numerator, bind)) / self.term(denominator, bind)
        if isinstance(expr, (sympy.floor, sympy.ceiling)):
            return self._whole(expr, bind)
        args = [self.term(arg, bind) for arg in expr.args]
        if isinstance(expr, sympy.Add):
            return z3.Sum(*args)
        if isinstance(expr, sympy.Mul):
            return z3.Product(*args)
        if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:   # sympy keeps no x**0
            power = z3.Product(*[args[0]] * abs(int(expr.exp)))
            return power if expr.exp > 0 else z3.RealVal(1) / power
        if isinstance(expr, (sympy.Max, sympy.Min)):
            pick = (lambda a, b: a >= b) if isinstance(expr, sympy.Max) else (lambda a, b: a <= b)
            best = args[0]
            for arg in args[1:]:
                best = z3.If(pick(best, arg), best, arg)
            return best
        if isinstance(expr, sympy.Piecewise):
            return self._cases([(cond, value) for value, cond in expr.args], bind)
        raise ValueError(f"cannot write {type(expr).__name__} ({expr}) for z3")

    def _whole(self, expr, bind):
        """``⌊p/q⌋`` as a fresh integer ``f`` with ``f·q ≤ p < (f + 1)·q`` (for ``q > 0``).

        The products are kept, not divided out: z3 settles them where it gives up on
        ``ToInt(p/q)``. ``⌈x⌉`` is ``g`` with ``g − 1 < x ≤ g``, the same way round.
        """
        key = (expr, tuple(sorted((str(s), t.get_id()) for s, t in (bind or {}).items())))
        if key in self._wholes:
            return self._wholes[key]
        whole = z3.Int(f"_{type(expr).__name__}{len(self._wholes)}")
        numerator, denominator = sympy.fraction(sympy.together(expr.args[0]))
        p, q = self.term(numerator, bind), self.term(denominator, bind)
        low, high = (whole, whole + 1) if isinstance(expr, sympy.floor) else (whole - 1, whole)
        if isinstance(expr, sympy.floor):                 # low·q ≤ p < high·q
            upward = z3.And(low * q <= p, p < high * q)
            downward = z3.And(low * q >= p, p > high * q)
        else:                                             # low·q < p ≤ high·q
            upward = z3.And(low * q < p, p <= high * q)
            downward = z3.And(low * q > p, p >= high * q)
        self.assumptions.append(z3.And(z3.Implies(q > 0, upward), z3.Implies(q < 0, downward)))
        self._wholes[key] = whole
        return whole

    def _cases(self, cases, bind):
        *earlier, (last, otherwise) = cases
        if last is not sympy.true:
            raise ValueError(f"a Piecewise needs a last, unconditional case; got {last}")
        result = self.term(otherwise, bind)
        for cond, value in reversed(earlier):
            result = z3.If(self.formula(cond, bind), self.term(value, bind), result)
        return result

    def formula(self, cond, bind=None):
        """The z3 formula of the sympy condition ``cond``."""
        if cond in (True, sympy.true):
            return z3.BoolVal(True)
        if cond in (False, sympy.false):
            return z3.BoolVal(False)
        if isinstance(cond, sympy.And):
            return z3.And(*[self.formula(arg, bind) for arg in cond.args])
        if isinstance(cond, sympy.Or):
            return z3.Or(*[self.formula(arg, bind) for arg in cond.args])
        if isinstance(cond, sympy.Not):
            return z3.Not(self.formula(cond.args[0], bind))
        relation = _RELATIONS.get(type(cond))
        if relation is None:
            raise ValueError(f"cannot write {type(cond).__name__} ({cond}) for z3")
        return relation(self.term(cond.lhs, bind), self.term(cond.rhs, bind))

    # -- models ------------------------------------------------------------------------

    def values_in(self, model):
        """``{name: exact value}`` of every variable in a z3 model."""
        found = {}
        for name, variable in self.variables.items():
            value = model.eval(variable, model_completion=True)
            if z3.is_int_value(value):
                found[name] = value.as_long()
            elif z3.is_rational_value(value):
                exact = Fraction(value.numerator_as_long(), value.denominator_as_long())
                found[name] = exact.numerator if exact.denominator == 1 else exact
            else:
                raise ProofIncomplete(f"z3's model gives {name} = {value}, not a rational")
        return found


_RELATIONS = {
    sympy.StrictLessThan: lambda a, b: a < b,
    sympy.LessThan: lambda a, b: a <= b,
    sympy.StrictGreaterThan: lambda a, b: a > b,
    sympy.GreaterThan: lambda a, b: a >= b,
    sympy.Equality: lambda a, b: a == b,
    sympy.Unequality: lambda a, b: a != b,
}


def _solve(space, formula):
    solver = z3.Solver()
    solver.set(timeout=TIMEOUT_MS)
    solver.add(*space.assumptions, formula)
    answer = solver.check()
    if answer == z3.unknown:
        raise ProofIncomplete(f"z3 answered unknown: {solver.reason_unknown()}")
    return solver.model() if answer == z3.sat else None


def counterexample(space, claim):
    """``None`` if ``claim`` holds for every value in ``space``, else values where it fails.

    >>> from derive.engine.symbols import COUNT, n
    >>> space = Space({n: COUNT})
    >>> print(counterexample(space, space[n] >= 1))
    None
    >>> counterexample(space, space[n] >= 2)
    {'n': 1}
    """
    model = _solve(space, z3.Not(claim))
    return None if model is None else space.values_in(model)


def witness(space, claim):
    """Values in ``space`` for which ``claim`` holds, or ``None`` when there are none.

    Where a divisor vanishes z3 may choose the quotient (and a floor of it) freely, so a
    witness is only as good as an exact check of it: the callers recheck theirs.
    """
    model = _solve(space, claim)
    return None if model is None else space.values_in(model)


def difference(got, expected):
    """``None`` if the two sympy expressions are identical, else both (as a counterexample).

    ``cancel`` decides identities of rational functions completely (a polynomial is zero
    exactly when its expansion is); ``simplify`` is tried only if it does not say zero.
    """
    gap = sympy.sympify(got, strict=True) - expected
    if sympy.cancel(gap) == 0 or sympy.simplify(gap) == 0:
        return None
    return {"got": got, "expected": expected}


# -- the engine ------------------------------------------------------------------------

@cache
def _lab(bindings):
    return derive("cuda-graph", **dict(bindings))


def lab(**bindings):
    """The engine's derivation of the lab's model with these bindings (derived once)."""
    return _lab(tuple(sorted(bindings.items())))


def crossover_terms(derivation, space, bind=None):
    """``(first, never)``: the engine's first winning call and "never", as z3 terms."""
    first, never = None, None
    for case in reversed(derivation.crossover):
        value = z3.IntVal(0) if case.value is None else space.term(case.value, bind)
        is_never = z3.BoolVal(case.value is None)
        if first is None:                           # the last case: it must always hold
            if case.when is not sympy.true:
                raise ValueError(f"the last crossover case must be unconditional, got {case.when}")
            first, never = value, is_never
            continue
        holds = space.formula(case.when, bind)
        first, never = z3.If(holds, value, first), z3.If(holds, is_never, never)
    return first, never


def selects(cases, value, space, bind=None):
    """The z3 condition under which ordered ``cases`` pick ``value`` (the first that holds)."""
    picked, earlier = [], []
    for case in cases:
        holds = space.formula(case.when, bind)
        if case.value == value:
            picked.append(z3.And(*earlier, holds))
        earlier.append(z3.Not(holds))
    return z3.Or(*picked) if picked else z3.BoolVal(False)


def wins(derivation, space, call):
    """The z3 condition "the amortized total is strictly below the baseline at ``call``"."""
    bind = {k: call}
    return space.term(derivation.amortized, bind) < space.term(derivation.baseline, bind)


def least_claim(derivation, space):
    """The claim that the engine's crossover is the least winning call ``k ≥ 1``, or never.

    ``space`` must declare ``k`` (integer ≥ 1). Then: when the engine says never, call
    ``k`` does not win; otherwise the answer is an integer ≥ 1 that wins, and call ``k``
    does not win if it comes earlier.
    """
    first, never = crossover_terms(derivation, space)
    at_k = wins(derivation, space, space[k])
    return z3.If(
        never,
        z3.Not(at_k),
        z3.And(is_integer(first), first >= 1, wins(derivation, space, first),
               z3.Implies(space[k] < first, z3.Not(at_k))),
    )
