"""The lab's functions: exact, validated, O(1) — and free of sympy.

An ``n``-op model called ``k`` times costs ``k·n`` launches when run eagerly. Captured
as a CUDA graph, the first call costs ``c`` launches (the capture; ``c = n`` unless
told otherwise) and every later call replays in one: ``c + (k − 1)``.

======================  ==========================================================
function                answers
======================  ==========================================================
``eager_launches``      E(k) = k·n, the eager total after ``k`` calls
``graph_launches``      G(k) = c + k − 1, the graph total after ``k`` calls
``crossover``           the first call ``k`` with G(k) < E(k), or ``None`` (never)
``asymptotic_speedup``  lim E(k)/G(k) as k → ∞, which is ``n`` whatever ``c`` is
``per_call_ratio``      E(k)/G(k) as an exact :class:`~fractions.Fraction`
======================  ==========================================================

Arguments: ``num_ops`` and ``k`` are integers (not ``bool``) and at least 1;
``capture_cost_ops`` is ``None`` (meaning ``num_ops``), an integer, a ``Fraction`` or a
finite ``float`` (converted exactly, never rounded), and greater than 0. "Integer" means
any ``numbers.Integral`` — numpy's ``int8`` … ``uint64`` too — and any
``numbers.Rational`` is taken as a fraction: each is converted to a builtin ``int`` or
``Fraction`` before any arithmetic, so a numpy scalar never wraps around, and every
result is a builtin ``int`` or ``Fraction``. A capture cost with denominator 1 is
returned as an ``int``, so ``graph_launches`` gives an ``int`` exactly when the capture
cost is a whole number.

Algorithm notes: the graph is strictly cheaper at call k when

    c + k − 1 < k·n   ⇔   (n − 1)·k > c − 1.

For n ≥ 2 this is k > (c − 1)/(n − 1), whose least integer solution is
⌊(c − 1)/(n − 1)⌋ + 1, raised to 1 when the root is negative (c < 1). With c = p/q in
lowest terms the floor is the integer floor division (p − q) // (q·(n − 1)), exact for
numbers of any size. For n = 1 both sides gain one launch per call: the graph is ahead
from the first call when c < 1 and never otherwise. Taking ⌈(c − 1)/(n − 1)⌉ instead is
the classic off-by-one: it is wrong exactly when the root is a non-negative integer
(at a tie the graph is not yet *strictly* cheaper).
"""

import math
import operator
from fractions import Fraction
from numbers import Integral, Rational

__all__ = [
    "asymptotic_speedup",
    "crossover",
    "eager_launches",
    "graph_launches",
    "per_call_ratio",
]


# -- validation: the one place that decides what an argument may be -------------------
#
# Every argument is converted at the door to a builtin ``int`` or ``Fraction``, so no
# arithmetic below runs in a fixed width: a numpy ``int64``/``int8``/``uint8`` (any
# ``numbers.Integral``) becomes an ``int`` through ``operator.index``, any other
# ``numbers.Rational`` a ``Fraction`` of its numerator and denominator. Nothing here
# imports numpy: the abstract base classes are enough.

def _shown(value):
    """``value`` for a message, cut short: a 10**5000 must not become a 5,000-digit line."""
    if isinstance(value, int) and value.bit_length() > 128:      # not 4,300 digits and up
        sign = "a negative " if value < 0 else "an "
        return f"{sign}int of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except Exception:                              # an int past str()'s digit limit, say
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 40 else f"{text[:20]}… ({len(text)} characters)"


def _integer(value):
    """``value`` as a builtin ``int`` if it is an integer type (not ``bool``), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        return None
    return operator.index(value)


def _count(name, value):
    """Return ``value`` as an ``int`` ≥ 1, else raise with a message naming it."""
    if type(value) is int and value >= 1:          # the fast path: a plain, valid int
        return value
    number = _integer(value)
    if number is None:
        raise TypeError(
            f"{name} must be an int >= 1, got {type(value).__name__} {_shown(value)}"
        )
    if number < 1:
        raise ValueError(f"{name} must be >= 1, got {_shown(number)}")
    return number


def _capture_cost(value, num_ops):
    """Return the capture cost as an exact ``int`` or ``Fraction`` (``None`` → ``num_ops``)."""
    if value is None:
        return num_ops
    if type(value) is int and value > 0:           # the fast path
        return value
    if isinstance(value, bool):
        raise TypeError(
            f"capture_cost_ops must be a number > 0 (int, Fraction or float), got bool {value!r}"
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"capture_cost_ops must be finite and > 0, got {value!r}")
        exact = Fraction(float(value))             # exact: every finite float is a dyadic rational
    elif isinstance(value, Integral):
        exact = Fraction(operator.index(value))
    elif isinstance(value, Rational):
        exact = Fraction(operator.index(value.numerator), operator.index(value.denominator))
    else:
        raise TypeError(
            "capture_cost_ops must be a number > 0 (int, Fraction or float), "
            f"got {type(value).__name__} {_shown(value)}"
        )
    if exact <= 0:
        raise ValueError(f"capture_cost_ops must be > 0, got {_shown(value)}")
    return exact.numerator if exact.denominator == 1 else exact


# -- the lab's functions ---------------------------------------------------------------

def eager_launches(num_ops, k):
    """Launches after ``k`` eager calls of an ``num_ops``-op model: ``k·num_ops``.

    >>> eager_launches(30, 4)
    120
    >>> eager_launches(300, 1)
    300
    """
    return _count("k", k) * _count("num_ops", num_ops)


def graph_launches(num_ops, k, capture_cost_ops=None):
    """Launches after ``k`` calls with a graph: capture once, then one launch per replay.

    The total is ``capture_cost_ops + (k − 1)``; the capture cost defaults to ``num_ops``.

    >>> graph_launches(30, 4)
    33
    >>> graph_launches(30, 4, 90)
    93
    >>> graph_launches(30, 1, 2.5)
    Fraction(5, 2)
    """
    num_ops = _count("num_ops", num_ops)
    k = _count("k", k)
    return _capture_cost(capture_cost_ops, num_ops) + (k - 1)


def crossover(num_ops, capture_cost_ops=None):
    """The first call at which the graph total is strictly below the eager total.

    Returns ``None`` when the graph never wins (``num_ops == 1`` and a capture cost of
    at least one launch). Exact for integers and fractions of any size.

    >>> crossover(30)
    2
    >>> crossover(30, 90)
    4
    >>> crossover(1) is None
    True
    >>> crossover(1, 0.5)
    1
    >>> crossover(10**40, 10**80)
    10000000000000000000000000000000000000002
    """
    n = num_ops
    if type(n) is not int or n < 1:                # fast paths inline: this is a hot call
        n = _count("num_ops", num_ops)
    c = capture_cost_ops
    if c is None:
        p, q = n, 1
    elif type(c) is int and c > 0:
        p, q = c, 1
    else:
        if type(c) is not Fraction or type(c.numerator) is not int or c.numerator <= 0:
            c = Fraction(_capture_cost(c, n))
        p, q = c.numerator, c.denominator
    if n == 1:                                     # one launch per call either way
        return 1 if p < q else None
    first = (p - q) // (q * (n - 1)) + 1           # ⌊(c − 1)/(n − 1)⌋ + 1
    return first if first > 1 else 1


def asymptotic_speedup(num_ops, capture_cost_ops=None):
    """lim E(k)/G(k) as k → ∞: the number of ops captured, whatever the capture cost.

    The capture cost is validated, since it is part of the question, but it moves only
    the crossover, never the ceiling.

    >>> asymptotic_speedup(300)
    300
    >>> asymptotic_speedup(30, 90)
    30
    """
    n = _count("num_ops", num_ops)
    _capture_cost(capture_cost_ops, n)
    return n


def per_call_ratio(num_ops, k, capture_cost_ops=None):
    """E(k)/G(k), exactly: how many eager launches each graph launch has replaced so far.

    It rises to ``num_ops`` from below when the capture costs more than one launch.

    >>> per_call_ratio(30, 1)
    Fraction(1, 1)
    >>> per_call_ratio(30, 2)
    Fraction(60, 31)
    >>> per_call_ratio(30, 4, 90)
    Fraction(40, 31)
    """
    n = _count("num_ops", num_ops)
    k = _count("k", k)
    c = Fraction(_capture_cost(capture_cost_ops, n))
    return Fraction(k * n) / (c + (k - 1))
