"""The checker against the naive ``simplify(a - b) == 0``: verdict accuracy and time.

    python bench/bench_check.py

A corpus of answers written for this benchmark — correct forms written differently,
off-by-ones, integer-only identities, domain slips and LaTeX — each with its true verdict
(worked out by hand; the tests confirm every counterexample against a brute force).
``derive.checker.answer`` gets the text a student types and the ``--assume`` of the question.
The naive checker is given every benefit: the same answer rewritten in sympy's own syntax
(``ceiling``, ``Max``, explicit ``*``), the textbook closed form to compare with, and
``sympify`` — here only, on this file's own strings, never in ``derive/``. It cannot
use the assumptions, so it answers the same for integer and rational ``c``.

Times are per verdict, in one run, after ``import derive.checker.answer`` and a first call (z3
loaded): "cold" is the first check of each row (its question derived for the first
time, when no earlier row asked the same), "warm" the median of three more. Targets:
every verdict right; median verdict under 50 ms.
"""

import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EQ, NE = "equivalent", "not_equivalent"
ROOT = "(c - 1)/(n - 1)"

# The textbook forms the naive checker compares with.
TEXTBOOK = {
    "crossover": f"Max(1, floor({ROOT}) + 1)",
    "graph_total": "c + k - 1",
    "eager_total": "k*n",
    "per_call_ratio": "k*n/(c + k - 1)",
    "break_even": ROOT,
    "asymptote": "n",
}

# (category, quantity, answer as typed, the same in sympy syntax, --assume, --set, truth)
CORPUS = [
    ("rewritten", "crossover", "max(1, floor((c-1)/(n-1)) + 1)", f"Max(1, floor({ROOT}) + 1)", ["n >= 2"], {}, EQ),
    ("rewritten", "crossover", "max(1, (c - 1)//(n - 1) + 1)", "Max(1, (c - 1)//(n - 1) + 1)", ["n >= 2"], {}, EQ),
    ("rewritten", "crossover", "max(1, 1 - ceil((1 - c)/(n - 1)))", "Max(1, 1 - ceiling((1 - c)/(n - 1)))", ["n >= 2"], {}, EQ),
    ("rewritten", "crossover", "floor((c - 1)/(n - 1)) + 1", f"floor({ROOT}) + 1", ["n >= 2", "c >= 1"], {}, EQ),
    ("rewritten", "crossover", "floor((c + n - 2)/(n - 1))", "floor((c + n - 2)/(n - 1))", ["n >= 2", "c >= 1"], {}, EQ),
    ("rewritten", "crossover", "2", "2", ["n >= 2"], {"c": "n"}, EQ),
    ("rewritten", "crossover", "4", "4", [], {"n": "30", "c": "90"}, EQ),
    ("rewritten", "graph_total", "k + c - 1", "k + c - 1", [], {}, EQ),
    ("rewritten", "graph_total", "(c - 1) + k", "(c - 1) + k", [], {}, EQ),
    ("rewritten", "eager_total", "nk", "n*k", [], {}, EQ),
    ("rewritten", "eager_total", "k + k(n - 1)", "k + k*(n - 1)", [], {}, EQ),
    ("rewritten", "per_call_ratio", "n/(1 + (c - 1)/k)", "n/(1 + (c - 1)/k)", [], {}, EQ),
    ("rewritten", "break_even", "(1 - c)/(1 - n)", "(1 - c)/(1 - n)", [], {}, EQ),
    ("rewritten", "asymptote", "n", "n", [], {}, EQ),
    ("integer-only", "crossover", "ceil(c/(n - 1))", "ceiling(c/(n - 1))", ["n >= 2", "c integer"], {}, EQ),
    ("integer-only", "crossover", "ceil(c/(n - 1))", "ceiling(c/(n - 1))", ["n >= 2"], {}, NE),
    ("integer-only", "crossover", "ceil(c/(n - 1))", "ceiling(c/(n - 1))", [], {"n": "2", "c": "5/2"}, NE),
    ("integer-only", "crossover", "(c + n - 2)//(n - 1)", "(c + n - 2)//(n - 1)", ["n >= 2", "c integer"], {}, EQ),
    ("integer-only", "crossover", "floor((c + n - 2)/(n - 1))", "floor((c + n - 2)/(n - 1))", ["n >= 2"], {}, NE),
    ("integer-only", "crossover", "max(1, -floor(-c/(n - 1)))", "Max(1, -floor(-c/(n - 1)))", ["n >= 2", "c integer"], {}, EQ),
    ("integer-only", "crossover", "ceil((c - 1)/(n - 1)) + 1", f"ceiling({ROOT}) + 1", ["n >= 2", "c integer"], {}, NE),
    ("off-by-one", "crossover", "ceil((c - 1)/(n - 1))", f"ceiling({ROOT})", ["n >= 2"], {}, NE),
    ("off-by-one", "crossover", "max(1, ceil((c - 1)/(n - 1)))", f"Max(1, ceiling({ROOT}))", ["n >= 2"], {}, NE),
    ("off-by-one", "crossover", "(c - 1)/(n - 1)", ROOT, ["n >= 2"], {}, NE),
    ("off-by-one", "crossover", "floor((c - 1)/(n - 1))", f"floor({ROOT})", ["n >= 2"], {}, NE),
    ("off-by-one", "crossover", "max(1, floor(c/(n - 1)) + 1)", "Max(1, floor(c/(n - 1)) + 1)", ["n >= 2"], {}, NE),
    ("off-by-one", "crossover", "floor((c - 1)/(n - 1)) + 1", f"floor({ROOT}) + 1", ["n >= 2"], {}, NE),
    ("off-by-one", "graph_total", "c + k", "c + k", [], {}, NE),
    ("off-by-one", "graph_total", "c + k - 2", "c + k - 2", [], {}, NE),
    ("off-by-one", "eager_total", "n(k - 1)", "n*(k - 1)", [], {}, NE),
    ("off-by-one", "per_call_ratio", "kn/(c + k)", "k*n/(c + k)", [], {}, NE),
    ("off-by-one", "break_even", "c/(n - 1)", "c/(n - 1)", [], {}, NE),
    ("mistake", "asymptote", "n/c", "n/c", [], {}, NE),
    ("mistake", "asymptote", "kn/(c + k - 1)", "k*n/(c + k - 1)", [], {}, NE),
    ("mistake", "break_even", "floor((c - 1)/(n - 1)) + 1", f"floor({ROOT}) + 1", ["n >= 2"], {}, NE),
    ("domain", "crossover", "max(1, floor((c - 1)/(n - 1)) + 1)", f"Max(1, floor({ROOT}) + 1)", [], {}, NE),
    ("domain", "crossover", "2", "2", [], {"c": "n"}, NE),
    ("latex", "crossover", r"\max\left(1, \left\lfloor \frac{c-1}{n-1} \right\rfloor + 1\right)",
     f"Max(1, floor({ROOT}) + 1)", ["n >= 2"], {}, EQ),
    ("latex", "crossover", r"\left\lceil \frac{c}{n-1} \right\rceil", "ceiling(c/(n - 1))", ["n >= 2", "c integer"], {}, EQ),
    ("latex", "crossover", r"\left\lceil \frac{c-1}{n-1} \right\rceil", f"ceiling({ROOT})", ["n >= 2"], {}, NE),
    ("latex", "graph_total", r"c + \left(k - 1\right)", "c + (k - 1)", [], {}, EQ),
    ("latex", "per_call_ratio", r"\frac{k n}{c + k - 1}", "k*n/(c + k - 1)", [], {}, EQ),
    ("latex", "break_even", r"\frac{c - 1}{n - 1}", ROOT, [], {}, EQ),
    ("latex", "asymptote", r"\frac{n}{c}", "n/c", [], {}, NE),
]


class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow()


def naive(quantity, sympy_form, bindings, seconds=5):
    """``simplify(expected - answer) == 0``, with sympify on this file's strings; and its time."""
    import sympy

    names = {name: sympy.Symbol(name) for name in "nck"}
    expected = sympy.sympify(TEXTBOOK[quantity], locals=names)
    answer = sympy.sympify(sympy_form, locals=names)
    values = {names[name]: sympy.sympify(value, locals=names) for name, value in bindings.items()}
    start = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        same = sympy.simplify(expected.subs(values) - answer.subs(values)) == 0
        verdict = EQ if same else NE
    except _Slow:
        verdict = "timeout"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return verdict, time.perf_counter() - start


def ours(quantity, answer, assume, bindings):
    from derive.checker.answer import check

    start = time.perf_counter()
    verdict = check(quantity, answer, assume=assume, bindings=bindings)
    return verdict, time.perf_counter() - start


HOSTILE = [
    ("power tower", b"9**9**9**9"),
    ("factorial", b"factorial(10**10)"),
    ("huge exponent", b"1e1000000000"),
    ("100k parens", b"(" * 100_000 + b"n" + b")" * 100_000),
    ("1 MB", b"n" * (1 << 20)),
    ("NUL", b"n\x00 + 1"),
    ("confusable", "\u0441 + 1".encode()),
    ("bidi", "n\u202e + 1".encode()),
    ("__import__", b"__import__('os').system('echo pwned')"),
    ("attribute", b"n.__class__.__mro__"),
    ("lambda", b"(lambda n: n)(1)"),
    ("LaTeX input", b"\\input{/etc/passwd}"),
    ("bad UTF-8", b"\xff\xfe"),
]


def hostile(repeats=3):
    """Each hostile input through a real ``derive check crossover -``: exit, lines, wall time."""
    import subprocess

    rows = []
    for label, data in HOSTILE:
        times, result = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "derive", "check", "crossover", "-"],
                                    input=data, capture_output=True, timeout=60,
                                    cwd=Path(__file__).resolve().parent.parent)
            times.append(time.perf_counter() - start)
        lines = result.stderr.decode(errors="replace").splitlines()
        rows.append((label, result.returncode, len(lines), statistics.median(times), lines[0] if lines else ""))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sympy"], check=True)
    return rows, time.perf_counter() - start


def main():
    t0 = time.perf_counter()
    import z3  # noqa: F401

    import derive.checker.answer  # noqa: F401  (the import, and z3's, are not what is measured)
    imported = time.perf_counter() - t0
    ours("graph_total", "c + k - 1", [], {})                # a first call: z3 and the caches warm
    rows = []
    for category, quantity, answer, sympy_form, assume, bindings, truth in CORPUS:
        verdict, cold = ours(quantity, answer, assume, bindings)
        warm = statistics.median(ours(quantity, answer, assume, bindings)[1] for _ in range(3))
        simple, simple_time = naive(quantity, sympy_form, bindings)
        rows.append((category, quantity, answer, truth, verdict, cold, warm, simple, simple_time))

    print(f"import derive.checker.answer + z3: {imported * 1000:.0f} ms (not counted below)\n")
    print(f"{'category':<13}{'quantity':<15}{'answer':<34}{'truth':<7}{'derive':<8}{'ms':>6}{'warm':>6}"
          f"  {'naive':<8}{'ms':>7}")
    short = {EQ: "eq", NE: "ne", "undecided": "undec", "timeout": "timeout"}
    for category, quantity, answer, truth, verdict, cold, warm, simple, simple_time in rows:
        mark = "✓" if verdict.verdict == truth else "✗"
        naive_mark = "✓" if simple == truth else "✗"
        shown = answer if len(answer) <= 32 else answer[:29] + "..."
        print(f"{category:<13}{quantity:<15}{shown:<34}{short[truth]:<7}{mark} {short[verdict.verdict]:<6}"
              f"{cold * 1000:6.0f}{warm * 1000:6.0f}  {naive_mark} {short[simple]:<6}{simple_time * 1000:7.0f}")

    right = sum(r[4].verdict == r[3] for r in rows)
    naive_right = sum(r[7] == r[3] for r in rows)
    cold = statistics.median(r[5] for r in rows)
    warm = statistics.median(r[6] for r in rows)
    simple = statistics.median(r[8] for r in rows)
    print()
    print(f"verdicts right   derive {right}/{len(rows)}   naive simplify(a - b) == 0 {naive_right}/{len(rows)}")
    for category in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == category]
        print(f"  {category:<13} derive {sum(r[4].verdict == r[3] for r in mine)}/{len(mine)}"
              f"   naive {sum(r[7] == r[3] for r in mine)}/{len(mine)}")
    print(f"median per verdict   derive {cold * 1000:.1f} ms (first check of a row), {warm * 1000:.1f} ms "
          f"(warm)   naive {simple * 1000:.1f} ms   ratio naive/derive (warm) {simple / warm:.1f}x")
    print(f"slowest derive verdict {max(r[5] for r in rows) * 1000:.0f} ms;"
          f" targets: every verdict right ({'met' if right == len(rows) else 'NOT met'}),"
          f" median < 50 ms ({'met' if warm < 0.05 else 'NOT met'})")
    print("(the naive checker never names a counterexample: its 'ne' only means simplify did not reach 0)")

    rows, start_up = hostile()
    print(f"\nhostile input, through a real process 'python -m derive check crossover -' "
          f"(median of 3; for scale, 'python -c \"import sympy\"' takes {start_up * 1000:.0f} ms)")
    for label, code, lines, wall, first in rows:
        print(f"  {label:<14} exit {code}  {lines} line  {wall * 1000:5.0f} ms  {first[:70]}")
    worst = max(r[3] for r in rows)
    ok = all(r[1] == 2 and r[2] == 1 for r in rows)
    print(f"every one exit 2 with one line: {'yes' if ok else 'NO'}; slowest {worst * 1000:.0f} ms "
          f"(target < 2000 ms: {'met' if worst < 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
