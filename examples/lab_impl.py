"""A plain implementation of the lab's functions, the way a student might hand one in.

Check it against derive's engine:

    derive verify examples/lab_impl.py
    pytest --derive-impl examples/lab_impl.py

It uses nothing but the standard library, and integer arithmetic throughout, so that it
stays exact for capture costs given as Fractions and for numbers of any size.
"""

from fractions import Fraction


def eager_launches(num_ops, k):
    """Each of the k calls launches every one of the model's ops."""
    return k * num_ops


def graph_launches(num_ops, k, capture_cost_ops=None):
    """The first call captures the graph; each of the k - 1 later calls is one replay."""
    capture = num_ops if capture_cost_ops is None else capture_cost_ops
    return capture + (k - 1)


def crossover(num_ops, capture_cost_ops=None):
    """The first call k at which the graph total is strictly below the eager total.

    graph < eager  <=>  c + k - 1 < k*n  <=>  k*(n - 1) > c - 1. With n = 1 the left side
    is 0, so the graph wins from the start if c < 1 and never otherwise. With n >= 2 the
    first whole k above (c - 1)/(n - 1) is its floor plus one (at least 1).
    """
    capture = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if capture < 1 else None
    first = (capture - 1) // (num_ops - 1) + 1
    return max(1, first)


def asymptotic_speedup(num_ops, capture_cost_ops=None):
    """k*n / (c + k - 1) tends to n: the capture cost is paid once and fades away."""
    return num_ops


def per_call_ratio(num_ops, k, capture_cost_ops=None):
    """Eager launches per graph launch after k calls, as an exact fraction."""
    return Fraction(eager_launches(num_ops, k), graph_launches(num_ops, k, capture_cost_ops))
