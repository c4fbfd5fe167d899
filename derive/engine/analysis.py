"""Questions about a derived expression beyond the engine's own: limits and inverses.

The engine (:mod:`derive.engine.derivation`) answers the questions every model shares. A model
often raises one more: where does its asymptote go as a parameter vanishes or grows
without bound, and which parameter value explains a measured result? These helpers ask
sympy, exactly, and keep the three outcomes apart: bad input (``ValueError`` /
``TypeError``), cannot decide (:class:`~derive.errors.UndecidedError`), an answer.

=================================  =================================================
``limit_of(expr, symbol, point)``  the limit of ``expr`` as ``symbol`` tends to ``point``
``solve_for(equation, symbol)``    the one value of ``symbol`` that satisfies ``equation``
=================================  =================================================

>>> from derive.engine.symbols import c, n
>>> limit_of((n + c)/(1 + c), c, "oo")
1
>>> solve_for(sympy.Eq((n + c)/(1 + c), 2), c)
n - 2

Algorithm notes. ``limit_of`` is sympy's ``limit``, taken from above at a finite point
(parameters are bounded below, so a point is approached from inside the domain); an
answer that sympy leaves unevaluated, or an oscillation (``AccumBounds``), is
"undecided". ``solve_for`` replaces ``symbol`` by an assumption-free twin before
solving, so that sympy drops no root because it cannot prove its sign, then demands
exactly one root: none is a genuine "no answer" (``ValueError``), several cannot be
told apart here (``UndecidedError``).
"""

import sympy

from ..errors import UndecidedError
from ..text.exact import to_sympy

__all__ = ["limit_of", "solve_for"]

_INFINITIES = {"oo": sympy.oo, "-oo": -sympy.oo, "+oo": sympy.oo}


def _point(point):
    if isinstance(point, str):
        try:
            return _INFINITIES[point.strip()]
        except KeyError:
            raise ValueError(f"point must be a number, oo or -oo, got {point!r}") from None
    if isinstance(point, bool) or not isinstance(point, (int, sympy.Basic)):
        raise TypeError(f"point must be an int, a sympy number or 'oo', got {type(point).__name__} {point!r}")
    point = to_sympy(point, "point")
    if point.free_symbols:
        raise ValueError(f"point must be a number, oo or -oo, got {point}")
    return point


def _symbol(symbol):
    if not isinstance(symbol, sympy.Symbol):
        raise TypeError(f"symbol must be a sympy Symbol, got {type(symbol).__name__} {symbol!r}")
    return symbol


def limit_of(expr, symbol, point):
    """The limit of ``expr`` as ``symbol`` tends to ``point`` (a number, ``"oo"`` or ``"-oo"``).

    The wall-clock ceiling ``(n·t_launch + t_gpu)/(t_launch + t_gpu)`` goes to ``n`` when
    GPU time vanishes and to 1 when it dominates:

    >>> from derive.engine.symbols import n, t_gpu, t_launch
    >>> ceiling = (n*t_launch + t_gpu)/(t_launch + t_gpu)
    >>> limit_of(ceiling, t_gpu, 0), limit_of(ceiling, t_gpu, "oo")
    (n, 1)
    >>> limit_of(sympy.sin(t_gpu), t_gpu, "oo")
    Traceback (most recent call last):
    ...
    derive.errors.UndecidedError: the limit of sin(t_gpu) as t_gpu -> oo does not settle
    """
    symbol = _symbol(symbol)
    point = _point(point)
    expr = to_sympy(expr, "expr")
    direction = "-" if point is sympy.oo else "+"
    try:
        result = sympy.limit(expr, symbol, point, dir=direction)
    except NotImplementedError:
        result = None
    if result is None or result.has(sympy.Limit, sympy.AccumBounds) or result is sympy.nan:
        raise UndecidedError(f"the limit of {expr} as {symbol} -> {point} does not settle")
    return sympy.factor(result) if result.free_symbols else result


def solve_for(equation, symbol):
    """The single value of ``symbol`` satisfying ``equation`` (a sympy ``Eq`` or an expression = 0).

    From a measured wall-clock speedup ``S``, the GPU time that explains it:

    >>> from derive.engine.symbols import n, speedup, t_gpu, t_launch
    >>> ceiling = (n*t_launch + t_gpu)/(t_launch + t_gpu)
    >>> solve_for(sympy.Eq(ceiling, speedup), t_gpu)
    t_launch*(-S + n)/(S - 1)
    >>> solve_for(sympy.Eq(t_gpu**2, 4), t_gpu)
    Traceback (most recent call last):
    ...
    derive.errors.UndecidedError: t_gpu**2 = 4 has several solutions for t_gpu: -2, 2
    """
    symbol = _symbol(symbol)
    if equation in (sympy.true, sympy.false, True, False):   # sympy settled it on sight
        raise ValueError(f"the equation is identically {bool(equation)}; it does not determine {symbol}")
    if isinstance(equation, sympy.Equality):
        lhs, rhs = equation.lhs, equation.rhs
    else:
        lhs, rhs = to_sympy(equation, "equation"), sympy.Integer(0)
    if symbol not in (lhs - rhs).free_symbols:
        raise ValueError(f"the equation {lhs} = {rhs} does not involve {symbol}")
    plain = sympy.Dummy(symbol.name)
    try:
        roots = sympy.solve(sympy.Eq(lhs, rhs).xreplace({symbol: plain}), plain, dict=False)
    except NotImplementedError:
        raise UndecidedError(f"sympy cannot solve {lhs} = {rhs} for {symbol}") from None
    roots = [sympy.factor(root.xreplace({plain: symbol})) for root in roots]
    if not roots:
        raise ValueError(f"{lhs} = {rhs} has no solution for {symbol}")
    if len(roots) > 1:
        listed = ", ".join(str(root) for root in roots)
        raise UndecidedError(f"{lhs} = {rhs} has several solutions for {symbol}: {listed}")
    return roots[0]
