"""The exact ladder optimizer: least total time under the memory budget.

``search_ladder(config)`` returns the rungs; :func:`derive.ladder.pricing.optimal_ladder` prices
them. Everything here is integer arithmetic on the config scaled by common denominators,
so the answer is exact whatever rationals the config holds.

Algorithm notes
---------------

Padding sends batch ``b`` to the least rung ``s ≥ b``, so a ladder ``s_1 < … < s_r``
cuts ``1 … max_batch`` into segments ``(s_{i-1}, s_i]`` served by ``s_i`` and an eager
tail ``(s_r, max_batch]``. With ``P`` the prefix sums of the traffic, a segment costs

    w(a, s) = steps·f(s)·(P(s) − P(a)) + capture(s),     f(s) = t_launch + g0 + g1·s,

independently of the other segments, and the tail costs ``tail(s_r)``. Without the budget
the best ladder is a shortest path over ``0 → s_1 → … → s_r → end``. The budget adds one
resource, ``memory = Σ u(s)`` with ``u(s) = m0 + m1·s``; as an exact rational it cannot
index a table honestly, and a Pareto frontier of (memory, time) per last rung grows too
fast to enumerate (thousands of points per rung at ``max_batch = 256``). So:

1. **Lagrangian bound.** For a price ``λ ≥ 0`` on memory, the best ladder for
   ``time + λ·memory`` is the backward recursion

       V(a) = min( tail(a),  min_{s > a} w(a, s) + λ·u(s) + V(s) ),

   and ``L(λ) = V(0) − λ·budget`` is a lower bound on the constrained optimum. For fixed
   ``s`` the bracket is linear in ``P(a)``, so each ``V(a)`` is a query of a lower
   envelope of lines (a Li Chao tree over the batch sizes): ``O(max_batch·log max_batch)``
   per price. The price that maximizes ``L`` is found exactly by Newton's method on the
   concave, piecewise-linear ``L``: keep the best infeasible and the best feasible
   ladder found so far, set ``λ`` where their lines meet, solve, repeat until the
   solution at ``λ`` is no better than the two lines (a handful of rounds). If the
   unpriced optimum fits the budget, ``λ = 0`` and it is optimal.

2. **Bounded label search.** Walk the last rung ``a`` upward, keeping for each ``a`` the
   Pareto frontier of partial ladders (memory, time). A partial ladder at ``a`` with
   ``(mem, time)`` can finish no cheaper than ``time + V(a) − λ·(budget − mem)``: the
   rest of the ladder costs at least ``V(a)`` minus the ``λ·memory`` it uses, and it uses
   at most ``budget − mem``. This holds for every price, so the bounds of the last few
   prices Newton tried are all applied. Every partial ladder whose bound exceeds a
   ceiling ``H`` is dropped. If some full ladder costs at most ``H``, the best one found
   is the optimum (none of the optimum's prefixes can have been dropped, and dominance
   keeps one that is as good). The ceiling starts just above ``L`` and grows
   geometrically to the best feasible ladder of step 1, which always succeeds.

Extending ``a`` to ``s`` raises the bound by ``e(a, s) = w(a, s) + λ·u(s) + V(s) − V(a)
≥ 0``, so each frontier point only visits the ``s`` with ``e(a, s)`` within its slack.
Ties in time are broken toward less memory, as the Pareto frontier keeps the least
memory for each time.

Cost. Step 1 is ``O(max_batch·log max_batch)`` per price and a handful of prices. Step 2
is the honest part: the time of ladders is very flat around the optimum (moving a rung
by one changes it by parts per million), so many partial ladders lie within the gap
between ``L`` and the optimum, which a tight budget opens. Their number, not
``max_batch``, sets the time: at ``max_batch = 512``, 0.1–0.5 s on a shared two-core
machine, the most where the budget binds hard (``examples/ladder.toml``: some 50–90
exact pricings of one ladder); see ``bench/bench_ladder.py``. The frontiers are numpy int64 arrays when a bound on every
number computed proves that int64 is exact (:func:`_fits_int64`), else Python ints.
"""

from fractions import Fraction
from math import gcd, lcm

__all__ = ["search_ladder"]


class _Scaled:
    """The config as integers: times in units of ``1/time_unit``, memory of ``1/memory_unit``.

    ``Q[b]`` are prefix sums of integer traffic weights (total ``D``); ``F[s]``, ``C[s]``,
    ``E[b]`` are ``K·f(s)``, ``K·capture(s)``, ``K·eager(b)``; a segment then costs
    ``seg(a, s) = steps·F[s]·(Q[s] − Q[a]) + D·C[s]`` in units of ``1/(K·D)``.
    """

    def __init__(self, config):
        M = self.M = config.max_batch
        D = lcm(*(p.denominator for p in config.traffic))
        weights = [int(p * D) for p in config.traffic]
        g0, g1 = config.t_gpu
        cp, n, tl = config.capture_passes, config.n, config.t_launch
        pieces = (tl + g0, g1, n * tl + g0, cp * (n * tl + g0), cp * g1)
        K = lcm(*(x.denominator for x in pieces))
        f0, f1, e0, c0, c1 = (int(x * K) for x in pieces)
        self.steps, self.D, self.time_unit = config.steps, D, K * D
        self.Q = Q = [0] * (M + 1)
        for b in range(1, M + 1):
            Q[b] = Q[b - 1] + weights[b - 1]
        self.F = [f0 + f1 * s for s in range(M + 1)]
        self.C = [c0 + c1 * s for s in range(M + 1)]
        self.tail = tail = [0] * (M + 1)
        for b in range(M, 0, -1):
            tail[b - 1] = tail[b] + config.steps * weights[b - 1] * (e0 + f1 * b)
        m0, m1 = config.graph_memory
        Km = lcm(m0.denominator, m1.denominator)
        self.U = [int((m0 + m1 * s) * Km) for s in range(M + 1)]
        self.budget = (config.memory_budget * Km).__floor__()   # mem ≤ B ⇔ Km·mem ≤ ⌊Km·B⌋

    def seg(self, a, s):
        return self.steps * self.F[s] * (self.Q[s] - self.Q[a]) + self.D * self.C[s]

    def price(self, rungs):
        """(time, memory) of a ladder, in scaled units."""
        time, memory, a = 0, 0, 0
        for s in rungs:
            time += self.seg(a, s)
            memory += self.U[s]
            a = s
        return time + self.tail[a], memory


class _Envelope:
    """Lower envelope of lines ``y = slope·x + intercept`` queried at ``xs[i]`` (a Li Chao
    tree over the indices; ``xs`` nondecreasing, so two lines swap order at most once)."""

    def __init__(self, xs):
        self.xs = xs
        self.tree = [None] * (4 * len(xs))

    def add(self, slope, intercept, tag):
        xs, tree = self.xs, self.tree
        node, lo, hi = 1, 0, len(xs) - 1
        line = (slope, intercept, tag)
        while True:
            held = tree[node]
            if held is None:
                tree[node] = line
                return
            mid = (lo + hi) // 2
            x = xs[mid]
            if line[0] * x + line[1] < held[0] * x + held[1]:
                tree[node], line, held = line, held, line
            if lo == hi:
                return
            x = xs[lo]
            if line[0] * x + line[1] < held[0] * x + held[1]:
                node, hi = 2 * node, mid
                continue
            x = xs[hi]
            if line[0] * x + line[1] < held[0] * x + held[1]:
                node, lo = 2 * node + 1, mid + 1
                continue
            return

    def query(self, i):
        """(least value at ``xs[i]``, its line's tag), or ``None`` when empty."""
        xs, tree = self.xs, self.tree
        x = xs[i]
        node, lo, hi = 1, 0, len(xs) - 1
        best = None
        while tree[node] is not None:
            slope, intercept, tag = tree[node]
            value = slope * x + intercept
            if best is None or value < best[0]:
                best = (value, tag)
            if lo == hi:
                break
            mid = (lo + hi) // 2
            if i <= mid:
                node, hi = 2 * node, mid
            else:
                node, lo = 2 * node + 1, mid + 1
        return best


def _priced(p, num, den):
    """Backward recursion for ``den·time + num·memory``: values ``V`` and next rungs."""
    M, Q, F, C, U = p.M, p.Q, p.F, p.C, p.U
    steps, D = p.steps, p.D
    value = [0] * (M + 1)
    after = [None] * (M + 1)
    envelope = _Envelope(Q[:M])
    for a in range(M - 1, -1, -1):
        s = a + 1
        if U[s] <= p.budget:                            # a rung that alone overflows: never
            slope = steps * F[s]
            envelope.add(-den * slope, den * (slope * Q[s] + D * C[s]) + num * U[s] + value[s], s)
        eager = den * p.tail[a]
        best = envelope.query(a)
        if best is None or eager <= best[0]:
            value[a] = eager
        else:
            value[a], after[a] = best
    return value, after


def _follow(after):
    rungs, a = [], 0
    while after[a] is not None:
        a = after[a]
        rungs.append(a)
    return tuple(rungs)


def _dual(p):
    """Newton's method for the memory price that maximizes the Lagrangian bound.

    Returns the prices tried, best last, as ``(num, den, V)`` (``λ = num/den``), and the
    best feasible ladder seen, as ``(time, rungs)``.
    """
    value, after = _priced(p, 0, 1)
    prices = [(0, 1, value)]
    rungs = _follow(after)
    time, memory = p.price(rungs)
    if memory <= p.budget:
        return prices, (time, rungs)
    low = (time, memory)                                # infeasible, cheaper
    high = (p.tail[0], 0)                               # feasible: eager only
    incumbent = (p.tail[0], ())
    while True:
        num, den = high[0] - low[0], low[1] - high[1]   # λ where their lines meet
        g = gcd(num, den)
        num, den = num // g, den // g
        value, after = _priced(p, num, den)
        if value[0] >= den * low[0] + num * low[1]:     # nothing below both lines: λ is best
            prices.append((num, den, value))
            return prices, incumbent
        prices.insert(-1, (num, den, value))
        rungs = _follow(after)
        time, memory = p.price(rungs)
        if memory <= p.budget:
            high = (time, memory)
            incumbent = min(incumbent, (time, rungs))
        else:
            low = (time, memory)


def _labels(p, prices, ceiling):
    """The best (time, memory, rungs) among the full ladders whose partial ladders all
    have bounds within ``ceiling``; when its time is within ``ceiling`` it is the optimum,
    otherwise merely a feasible ladder. ``None`` if no ladder is left."""
    M, Q, F, C, U, B = p.M, p.Q, p.F, p.C, p.U, p.budget
    steps, D, tail = p.steps, p.D, p.tail
    num, den, value = prices[-1]
    others = [(n_, d_, v_, d_ * ceiling + n_ * B) for n_, d_, v_ in prices[:-1]]
    # den·e(a, s) = reach[s] − den·steps·Q[a]·F[s] − value[a]
    reach = [den * (steps * F[s] * Q[s] + D * C[s]) + num * U[s] + value[s] for s in range(M + 1)]
    pending = [[] for _ in range(M + 1)]
    pending[0].append((0, 0, -1, -1))
    fronts = [()] * (M + 1)
    best = None
    top = den * ceiling + num * B
    for a in range(M + 1):
        if not pending[a]:
            continue
        candidates = sorted(pending[a])
        pending[a] = None
        front, least, va = [], None, value[a]
        for point in candidates:                        # Pareto: time falls as memory grows
            memory, time = point[0], point[1]
            if least is not None and time >= least:
                continue
            least = time
            if any(d_ * time + n_ * memory + v_[a] > cap for n_, d_, v_, cap in others):
                continue                                # another price proves it too dear
            front.append(point)
        fronts[a] = front
        if not front:
            continue
        for i, (memory, time, _, _) in enumerate(front):
            total = time + tail[a]
            if best is None or (total, memory) < best[:2]:
                best = (total, memory, a, i)
        if a == M:
            break
        slacks = [top - (den * time + num * memory + va) for memory, time, _, _ in front]
        widest, lightest = max(slacks), front[0][0]
        weight = den * steps * Q[a]
        reachable = []
        for s in range(a + 1, M + 1):
            if lightest + U[s] > B:                     # U is nondecreasing: none further fits
                break
            excess = reach[s] - weight * F[s] - va
            if excess <= widest:
                reachable.append((excess, s, steps * F[s] * (Q[s] - Q[a]) + D * C[s]))
        reachable.sort()
        for i, (memory, time, _, _) in enumerate(front):
            slack = slacks[i]
            for excess, s, cost in reachable:
                if excess > slack:
                    break
                if memory + U[s] <= B:
                    pending[s].append((memory + U[s], time + cost, a, i))
    if best is None:
        return None
    rungs, (a, i) = [], best[2:]
    while a > 0:
        rungs.append(a)
        a, i = fronts[a][i][2:]
    return best[0], best[1], tuple(reversed(rungs))


_INT64_SAFE = 2 ** 62


def _fits_int64(p, prices, ceiling):
    """True when every quantity of the vectorized search stays below 2**62 in size, so
    numpy's int64 arithmetic is exact (an over-generous bound: see the comments)."""
    num, den, value = prices[-1]
    B, M = p.budget, p.M
    memory = B + max(p.U)                                # a label before the budget check
    segment = max(p.steps * p.F[s] * p.Q[M] + p.D * p.C[s] for s in range(M + 1))
    # a kept label has den·time <= den·ceiling + num·B (V >= 0), its child one more segment
    time = ceiling + num * B // den + 1 + segment
    sizes = [time + p.tail[0],
             den * (p.steps * p.F[M] * p.Q[M] + p.D * p.C[M]) + num * max(p.U) + max(value)
             + den * p.steps * p.Q[M] * p.F[M] + max(value)]
    for n_, d_, v_ in prices:
        sizes.append(d_ * time + n_ * memory + max(v_) + d_ * ceiling + n_ * B)
    return max(sizes) < _INT64_SAFE


def _labels_numpy(p, prices, ceiling):
    """:func:`_labels` with each last rung's frontier as numpy int64 arrays.

    Same answer (the caller checks :func:`_fits_int64` first, so the arithmetic is exact).
    A frontier is kept sorted by slack, largest first, so the points that can afford rung
    ``s`` are a prefix; rung ``s`` later gathers the prefixes sent to it in one batch.
    """
    import numpy as np

    M, Q, F, C, U, B = p.M, p.Q, p.F, p.C, p.U, p.budget
    steps, D, tail = p.steps, p.D, p.tail
    num, den, value = prices[-1]
    others = prices[:-1]
    F_, U_ = np.array(F, dtype=np.int64), np.array(U, dtype=np.int64)
    reach = np.array([den * (steps * F[s] * Q[s] + D * C[s]) + num * U[s] + value[s]
                      for s in range(M + 1)], dtype=np.int64)
    top = den * ceiling + num * B
    pending = [[] for _ in range(M + 1)]                # (previous rung, prefix length)
    fronts = [None] * (M + 1)                           # memory, time, parent rung, parent index
    best = None
    for a in range(M + 1):
        if a == 0:
            memory = time = np.zeros(1, dtype=np.int64)
            parent = index = np.full(1, -1, dtype=np.int64)
        elif not pending[a]:
            continue
        else:
            chunks = pending[a]
            pending[a] = None
            lengths = np.array([k for _, k in chunks], dtype=np.int64)
            costs = np.array([steps * F[a] * (Q[a] - Q[b]) + D * C[a] for b, _ in chunks],
                             dtype=np.int64)
            memory = np.concatenate([fronts[b][0][:k] for b, k in chunks]) + U[a]
            time = np.concatenate([fronts[b][1][:k] for b, k in chunks]) + np.repeat(costs, lengths)
            parent = np.repeat(np.array([b for b, _ in chunks], dtype=np.int64), lengths)
            starts = np.cumsum(lengths) - lengths
            index = np.arange(len(memory), dtype=np.int64) - np.repeat(starts, lengths)
            order = np.lexsort((time, memory))          # memory ascending, then time
            memory, time, parent, index = memory[order], time[order], parent[order], index[order]
            keep = memory <= B
            least = np.minimum.accumulate(time)         # Pareto: strictly less time than all
            keep[1:] &= time[1:] < least[:-1]           # points of no more memory
            for n_, d_, v_ in others:
                keep &= d_ * time + n_ * memory <= d_ * ceiling + n_ * B - v_[a]
            memory, time, parent, index = memory[keep], time[keep], parent[keep], index[keep]
        slack = top - (den * time + num * memory + value[a])
        order = np.argsort(-slack, kind="stable")
        order = order[slack[order] >= 0]
        if not len(order):
            continue
        memory, time, slack = memory[order], time[order], slack[order]
        fronts[a] = (memory, time, parent[order], index[order])
        total = time + tail[a]
        i = int(np.lexsort((memory, total))[0])
        if best is None or (int(total[i]), int(memory[i])) < best[:2]:
            best = (int(total[i]), int(memory[i]), a, i)
        if a == M:
            break
        last = int(np.searchsorted(U_, B - int(memory.min()), side="right")) - 1
        if last <= a:
            continue
        rungs = np.arange(a + 1, last + 1)
        excess = reach[a + 1:last + 1] - (den * steps * Q[a]) * F_[a + 1:last + 1] - value[a]
        near = excess <= slack[0]
        counts = np.searchsorted(-slack, -excess[near], side="right")
        for s, k in zip(rungs[near].tolist(), counts.tolist()):
            pending[s].append((a, k))
    if best is None:
        return None
    rungs, (a, i) = [], best[2:]
    while a > 0:
        rungs.append(a)
        a, i = int(fronts[a][2][i]), int(fronts[a][3][i])
    return best[0], best[1], tuple(reversed(rungs))


def search_ladder(config, *, engine="auto"):
    """The rungs of a ladder of least total time within the budget (least memory among
    ties), as a sorted tuple; ``()`` when capturing nothing is best.

    ``engine`` picks the label search: ``"numpy"`` (int64 arrays, used by ``"auto"`` when
    every number fits), or ``"python"`` (Python ints, any size). Both are exact.

    >>> from derive.ladder import LadderConfig
    >>> config = LadderConfig(max_batch=8, traffic="uniform", n=30, t_launch=1,
    ...                       t_gpu=(10, 1), graph_memory=(1, 0), memory_budget=2,
    ...                       capture_passes=1, steps=100)
    >>> search_ladder(config), search_ladder(config, engine="python")
    ((4, 8), (4, 8))
    """
    if engine not in ("auto", "numpy", "python"):
        raise ValueError(f'engine must be "auto", "numpy" or "python", got {engine!r}')
    p = _Scaled(config)
    prices, (upper, _) = _dual(p)
    num, den, value = prices[-1]
    floor = -(-(value[0] - num * p.budget) // den)      # ⌈L(λ)⌉ ≤ the optimum's time
    labels = _labels
    if engine != "python" and _fits_int64(p, prices, upper):
        labels = _labels_numpy
    elif engine == "numpy":
        raise ValueError("engine='numpy' needs numbers that fit in 62 bits; use 'auto'")
    prices = prices[-PRICES:]
    for part in CEILINGS:
        ceiling = min(upper, floor + (upper - floor) * part.numerator // part.denominator)
        found = labels(p, prices, ceiling)
        if found is not None and found[0] <= ceiling:
            return found[2]
        if found is not None:                           # a better feasible ladder: lower the
            upper = min(upper, found[0])                # ceilings still to come
    raise AssertionError("unreachable: the last ceiling is a feasible ladder's time")


#: The prices whose bounds prune partial ladders: the best and the last ones Newton tried.
PRICES = 4


#: The label search runs with ceilings ``L + part·(upper − L)``, lowest first: a run that
#: finds a ladder under its ceiling has found the optimum, and the last always does. The
#: work grows steeply with the ceiling, so the parts grow slowly.
#: (Over configs tried, the optimum sat 7–13% of the way from ``L`` to ``upper``.)
CEILINGS = (Fraction(1, 16), Fraction(1, 10), Fraction(1, 7), Fraction(1, 5), Fraction(2, 7),
            Fraction(2, 5), Fraction(3, 5), Fraction(1))
