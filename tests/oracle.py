"""An independent oracle: the lab's totals written out, and the crossover found by walking.

Nothing here imports derive: it is what the closed forms are checked against.
"""

from fractions import Fraction


def eager_total(n, k):
    """k calls, n launches each."""
    return k * n


def graph_total(n, k, c):
    """One capture of cost c, then one launch for each of the k − 1 replays."""
    return Fraction(c) + (k - 1)


def first_win_by_walking(n, c, limit):
    """The first k in 1..limit with graph_total < eager_total, or None if none is that small."""
    for k in range(1, limit + 1):
        if graph_total(n, k, c) < eager_total(n, k):
            return k
    return None


def first_win_of_affine(b0, b1, a0, a1, limit):
    """The first k in 1..limit with a0 + a1·k < b0 + b1·k, or None."""
    for k in range(1, limit + 1):
        if a0 + a1 * k < b0 + b1 * k:
            return k
    return None
