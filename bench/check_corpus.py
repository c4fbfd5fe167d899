r"""Answers as students write them, for ``bench_check.py``: each with its meaning in Python.

Every row is ``(quantity, answer as typed, value, --assume, --set)``. ``value(n, c, k)`` is
the answer written out again by hand in Python with exact Fractions — raising
``ZeroDivisionError`` where the answer divides by zero, returning ``NEVER`` for "never"
and ``NONE`` for "no root" — so that the truth of each row is decided by the brute force
of ``tests/oracle.py`` against this value on a grid of points, never by the checker (nor
by its reader). Rows whose value is ``REFUSED`` are not formulas: the right verdict is a
refusal.

The answers cover the six quantities in plain text, Unicode, LaTeX pasted from notes
(``\dfrac``, ``\lim``, ``cases``, ``$…$``), equations naming the quantity, Python idioms
(``//``, ``int()``, ``-(-a//b)``), and the classic slips.
"""

import math
from fractions import Fraction

NEVER = "never"
NONE = "none"          # no root: the totals are parallel
REFUSED = "refused"    # not a formula


def d(a, b):
    """Exact a/b; ZeroDivisionError when b is 0 (the answer is undefined there)."""
    return Fraction(a) / Fraction(b)


fl, ce = math.floor, math.ceil


def trunc(x):
    return math.trunc(Fraction(x))


def root(n, c):
    return d(c - 1, n - 1)


CASES = (r"\begin{cases} 1 & c < 1 \\ \left\lfloor \dfrac{c-1}{n-1} \right\rfloor + 1 & n > 1 \\ "
         r"\text{never} & \text{otherwise} \end{cases}")


def lab_crossover(n, c, k=None):
    if c < 1:
        return 1
    if n > 1:
        return fl(root(n, c)) + 1
    return NEVER


N2 = ["n >= 2"]
N2C1 = ["n >= 2", "c >= 1"]
N2CI = ["n >= 2", "c integer"]
CN = {"c": "n"}
LAB = {"n": "30", "c": "90"}

ROWS = [
    # -- crossover ------------------------------------------------------------------------
    ("crossover", "max(1, floor((c-1)/(n-1)) + 1)", lambda n, c, k: max(1, fl(root(n, c)) + 1), N2, {}),
    ("crossover", "max(1, floor((c-1)/(n-1)) + 1)", lambda n, c, k: max(1, fl(root(n, c)) + 1), [], {}),
    ("crossover", CASES, lab_crossover, [], {}),
    ("crossover", "1 if c < 1 else floor((c-1)/(n-1)) + 1 if n > 1 else never", lab_crossover, [], {}),
    ("crossover", "max(1, floor((c-1)/(n-1)) + 1) if n > 1 else (1 if c < 1 else never)",
     lambda n, c, k: max(1, fl(root(n, c)) + 1) if n > 1 else (1 if c < 1 else NEVER), [], {}),
    ("crossover", "floor((c-1)/(n-1)) + 1", lambda n, c, k: fl(root(n, c)) + 1, N2C1, {}),
    ("crossover", "floor((c-1)/(n-1)) + 1", lambda n, c, k: fl(root(n, c)) + 1, N2, {}),
    ("crossover", "ceil((c-1)/(n-1))", lambda n, c, k: ce(root(n, c)), N2, {}),
    ("crossover", "ceil(c/(n-1))", lambda n, c, k: ce(d(c, n - 1)), N2CI, {}),
    ("crossover", "ceil(c/(n-1))", lambda n, c, k: ce(d(c, n - 1)), N2, {}),
    ("crossover", "ceil(c/(n-1))", lambda n, c, k: ce(d(c, n - 1)), ["c integer"], {}),
    ("crossover", "-(-c//(n-1))", lambda n, c, k: -fl(d(-c, n - 1)), N2CI, {}),
    ("crossover", "(c + n - 2)//(n - 1)", lambda n, c, k: fl(d(c + n - 2, n - 1)), N2CI, {}),
    ("crossover", "2", lambda n, c, k: 2, [], CN),
    ("crossover", "2", lambda n, c, k: 2, N2, CN),
    ("crossover", "2", lambda n, c, k: 2, N2, {}),
    ("crossover", "4", lambda n, c, k: 4, [], LAB),
    ("crossover", "3", lambda n, c, k: 3, [], LAB),
    ("crossover", r"\left\lfloor \frac{c-1}{n-1} \right\rfloor + 1", lambda n, c, k: fl(root(n, c)) + 1, N2C1, {}),
    ("crossover", r"\lceil \frac{c-1}{n-1} \rceil", lambda n, c, k: ce(root(n, c)), N2, {}),
    ("crossover", "(c-1)/(n-1)", lambda n, c, k: root(n, c), N2, {}),
    ("crossover", "k = floor((c-1)/(n-1)) + 1", lambda n, c, k: fl(root(n, c)) + 1, N2C1, {}),
    ("crossover", r"k_\times = \max\left(1, \left\lfloor\dfrac{c-1}{n-1}\right\rfloor + 1\right)",
     lambda n, c, k: max(1, fl(root(n, c)) + 1), N2, {}),
    ("crossover", "int((c-1)/(n-1)) + 1", lambda n, c, k: trunc(root(n, c)) + 1, N2, {}),
    ("crossover", "int((c-1)/(n-1) - 1) + 2", lambda n, c, k: trunc(root(n, c) - 1) + 2, N2, {}),
    ("crossover", "floor(c/(n-1)) + 1", lambda n, c, k: fl(d(c, n - 1)) + 1, N2, {}),
    ("crossover", "never", lambda n, c, k: NEVER, [], {"n": "1", "c": "1"}),
    ("crossover", "never", lambda n, c, k: NEVER, [], {"n": "1", "c": "1/2"}),
    ("crossover", r"$\lfloor (c-1)/(n-1) \rfloor + 1$", lambda n, c, k: fl(root(n, c)) + 1, N2CI, {}),
    ("crossover", "max(1, ceil(c/(n-1)))", lambda n, c, k: max(1, ce(d(c, n - 1))), N2CI, {}),
    ("crossover", "floor((c - 1)/(n - 1) + 1)", lambda n, c, k: fl(root(n, c) + 1), N2C1, {}),
    ("crossover", "1 + (c - 1)//(n - 1)", lambda n, c, k: 1 + fl(root(n, c)), N2C1, {}),
    ("crossover", "floor((3n-1)/(n-1)) + 1", lambda n, c, k: fl(d(3 * n - 1, n - 1)) + 1, N2, {"c": "3*n"}),
    ("crossover", "4", lambda n, c, k: 4, N2, {"c": "3*n"}),
    ("crossover", "c", lambda n, c, k: c, N2, {}),
    ("crossover", "k^* = ⌊(c − 1)/(n − 1)⌋ + 1", lambda n, c, k: fl(root(n, c)) + 1, N2C1, {}),
    ("crossover", "floor((c-1)/(n-1)) + 1", lambda n, c, k: fl(root(n, c)) + 1, [], CN),
    ("crossover", "oo", lambda n, c, k: NEVER, [], {"n": "1", "c": "3"}),
    # -- eager_total --------------------------------------------------------------------------
    ("eager_total", "kn", lambda n, c, k: k * n, [], {}),
    ("eager_total", "k n", lambda n, c, k: k * n, [], {}),
    ("eager_total", "n k", lambda n, c, k: k * n, [], {}),
    ("eager_total", r"k \cdot n", lambda n, c, k: k * n, [], {}),
    ("eager_total", "E(k) = kn", lambda n, c, k: k * n, [], {}),
    ("eager_total", "n(k-1)", lambda n, c, k: n * (k - 1), [], {}),
    ("eager_total", "n(k+1)", lambda n, c, k: n * (k + 1), [], {}),
    ("eager_total", "k*n - 1", lambda n, c, k: k * n - 1, [], {}),
    ("eager_total", "k + n", lambda n, c, k: k + n, [], {}),
    ("eager_total", "k^n", lambda n, c, k: k ** n, [], {}),
    ("eager_total", "n^{k}", lambda n, c, k: n ** k, [], {}),
    ("eager_total", "$kn$", lambda n, c, k: k * n, [], {}),
    ("eager_total", r"\(k\,n\)", lambda n, c, k: k * n, [], {}),
    ("eager_total", "k·n", lambda n, c, k: k * n, [], {}),
    ("eager_total", "k × n", lambda n, c, k: k * n, [], {}),
    ("eager_total", "n + (k-1)n", lambda n, c, k: n + (k - 1) * n, [], {}),
    ("eager_total", "c k", lambda n, c, k: c * k, [], {}),
    ("eager_total", "300k", lambda n, c, k: 300 * k, [], {"n": "300"}),
    ("eager_total", "30k", lambda n, c, k: 30 * k, [], {"n": "3"}),
    ("eager_total", r"\[n \times k\]", lambda n, c, k: k * n, [], {}),
    ("eager_total", "E = k*n", lambda n, c, k: k * n, [], {}),
    # -- graph_total --------------------------------------------------------------------------
    ("graph_total", "c + k - 1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "k + c - 1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "c + (k - 1)", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", r"c + \left(k-1\right)", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "G(k) = c + k - 1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "c + k", lambda n, c, k: c + k, [], {}),
    ("graph_total", "c*k", lambda n, c, k: c * k, [], {}),
    ("graph_total", "c + k - 2", lambda n, c, k: c + k - 2, [], {}),
    ("graph_total", "n + k - 1", lambda n, c, k: n + k - 1, [], CN),
    ("graph_total", "n + k - 1", lambda n, c, k: n + k - 1, [], {}),
    ("graph_total", "c + (k-1)*1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "k + c − 1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", r"$c + k - 1$", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "(c - 1) + k", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "c + k - 1", lambda n, c, k: c + k - 1, [], CN),
    ("graph_total", "k", lambda n, c, k: k, [], {"c": "1"}),
    ("graph_total", "k + 1", lambda n, c, k: k + 1, [], {"c": "1"}),
    ("graph_total", "kc", lambda n, c, k: k * c, [], {}),
    ("graph_total", r"G(k) = c + (k - 1) \cdot 1", lambda n, c, k: c + k - 1, [], {}),
    ("graph_total", "c + k·1 − 1", lambda n, c, k: c + k - 1, [], {}),
    # -- break_even ---------------------------------------------------------------------------
    ("break_even", "(c-1)/(n-1)", lambda n, c, k: root(n, c), [], {}),
    ("break_even", "(1-c)/(1-n)", lambda n, c, k: d(1 - c, 1 - n), [], {}),
    ("break_even", r"\frac{c-1}{n-1}", lambda n, c, k: root(n, c), [], {}),
    ("break_even", r"\dfrac{c-1}{n-1}", lambda n, c, k: root(n, c), [], {}),
    ("break_even", r"k^* = \frac{c-1}{n-1}", lambda n, c, k: root(n, c), [], {}),
    ("break_even", "c/(n-1)", lambda n, c, k: d(c, n - 1), [], {}),
    ("break_even", "(c-1)/n", lambda n, c, k: d(c - 1, n), [], {}),
    ("break_even", "floor((c-1)/(n-1)) + 1", lambda n, c, k: fl(root(n, c)) + 1, N2, {}),
    ("break_even", "1", lambda n, c, k: 1, [], CN),
    ("break_even", "0", lambda n, c, k: 0, [], {"c": "1"}),
    ("break_even", "(c - 1)/(n - 1)", lambda n, c, k: root(n, c), [], CN),
    ("break_even", "ceil((c-1)/(n-1))", lambda n, c, k: ce(root(n, c)), [], {}),
    ("break_even", "(c-1)/(n-1)", lambda n, c, k: root(n, c), N2, {}),
    ("break_even", "1", lambda n, c, k: 1, N2, CN),
    ("break_even", "(2n-1)/(n-1)", lambda n, c, k: d(2 * n - 1, n - 1), [], {"c": "2*n"}),
    ("break_even", "89/29", lambda n, c, k: Fraction(89, 29), [], LAB),
    ("break_even", "3", lambda n, c, k: 3, [], LAB),
    ("break_even", "(c-1)/(n+1)", lambda n, c, k: d(c - 1, n + 1), [], {}),
    ("break_even", "c - 1", lambda n, c, k: c - 1, [], {"n": "2"}),
    ("break_even", r"\tfrac{c-1}{n-1}", lambda n, c, k: root(n, c), [], {}),
    ("break_even", "none", lambda n, c, k: NONE, [], {"n": "1"}),
    # -- asymptote ----------------------------------------------------------------------------
    ("asymptote", "n", lambda n, c, k: n, [], {}),
    ("asymptote", r"\lim_{k \to \infty} \frac{kn}{c+k-1}", lambda n, c, k: n, [], {}),
    ("asymptote", r"\lim_{k \to \infty} \frac{kn}{c+k-1} = n", lambda n, c, k: n, [], {}),
    ("asymptote", "lim = n", lambda n, c, k: n, [], {}),
    ("asymptote", "n - 1", lambda n, c, k: n - 1, [], {}),
    ("asymptote", "n/c", lambda n, c, k: d(n, c), [], {}),
    ("asymptote", "1/n", lambda n, c, k: d(1, n), [], {}),
    ("asymptote", "kn/(c+k-1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("asymptote", "cn", lambda n, c, k: c * n, [], {}),
    ("asymptote", "300", lambda n, c, k: 300, [], {"n": "300"}),
    ("asymptote", "n", lambda n, c, k: n, [], {"c": "3*n"}),
    ("asymptote", "$n$", lambda n, c, k: n, [], {}),
    ("asymptote", "S = n", lambda n, c, k: n, [], {}),
    ("asymptote", r"\lim_{k\to\infty} E/G = n", lambda n, c, k: n, [], {}),
    ("asymptote", "n + 1", lambda n, c, k: n + 1, [], {}),
    ("asymptote", r"\lim_{k \to \infty} \frac{k}{c+k-1}", lambda n, c, k: 1, [], {}),
    ("asymptote", "2n/2", lambda n, c, k: n, [], {}),
    ("asymptote", "n^1", lambda n, c, k: n, [], {}),
    ("asymptote", "n*c/c", lambda n, c, k: n, [], {}),
    ("asymptote", "30", lambda n, c, k: 30, [], LAB),
    ("asymptote", "n/(n-1)", lambda n, c, k: d(n, n - 1), [], {}),
    # -- per_call_ratio -----------------------------------------------------------------------
    ("per_call_ratio", "kn/(c+k-1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", r"\frac{kn}{c+k-1}", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", r"\dfrac{k n}{c + k - 1}", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "n/(1 + (c-1)/k)", lambda n, c, k: d(n, 1 + d(c - 1, k)), [], {}),
    ("per_call_ratio", "kn/(c+k)", lambda n, c, k: d(k * n, c + k), [], {}),
    ("per_call_ratio", "(c+k-1)/(kn)", lambda n, c, k: d(c + k - 1, k * n), [], {}),
    ("per_call_ratio", "n", lambda n, c, k: n, [], {}),
    ("per_call_ratio", "k/(c+k-1)", lambda n, c, k: d(k, c + k - 1), [], {}),
    ("per_call_ratio", "E(k)/G(k) = kn/(c+k-1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "kn/(n+k-1)", lambda n, c, k: d(k * n, n + k - 1), [], CN),
    ("per_call_ratio", "kn/(n+k-1)", lambda n, c, k: d(k * n, n + k - 1), [], {}),
    ("per_call_ratio", "k·n/(c + k − 1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "kn/(c+k-1)", lambda n, c, k: d(k * n, c + k - 1), [], CN),
    ("per_call_ratio", "kn/(k+c-1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "n k/(c - 1 + k)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "kn/(c+k-1) + 1", lambda n, c, k: d(k * n, c + k - 1) + 1, [], {}),
    ("per_call_ratio", r"$\frac{kn}{c+k-1}$", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "r(k) = kn/(c+k-1)", lambda n, c, k: d(k * n, c + k - 1), [], {}),
    ("per_call_ratio", "kn/c", lambda n, c, k: d(k * n, c), [], {}),
    ("per_call_ratio", "30k/(k+89)", lambda n, c, k: d(30 * k, k + 89), [], LAB),
    # -- not formulas -------------------------------------------------------------------------
    ("crossover", "the second call", lambda n, c, k: REFUSED, [], {}),
    ("crossover", "it depends on n", lambda n, c, k: REFUSED, [], {}),
    ("asymptote", "I don't know", lambda n, c, k: REFUSED, [], {}),
    ("break_even", "?", lambda n, c, k: REFUSED, [], {}),
    ("eager_total", "", lambda n, c, k: REFUSED, [], {}),
    ("graph_total", "capture + replays", lambda n, c, k: REFUSED, [], {}),
]
