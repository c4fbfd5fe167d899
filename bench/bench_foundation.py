"""Benchmarks of the foundation, printed as ratios measured in one run.

    python bench/bench_foundation.py

The machines are shared and noisy, so every figure is paired with a reference measured
in the same run, interleaved, and summarised by the minimum (timeit) or the median
(process start-up) of several repeats. Targets (from the foundation issue):

* numeric ``crossover`` within 5x of a no-op Python call, exact at 10**40;
* ``import derive`` adds under 30 ms to interpreter start;
* ``derive("cuda-graph")`` under 250 ms cold, once sympy is imported;
* property checks: examples per second, compiled engine vs ``subs`` per example.
"""

import statistics
import subprocess
import sys
import time
import timeit
from fractions import Fraction


def _noop(num_ops, capture_cost_ops=None):
    return None


def call_cost():
    from derive.numeric import crossover

    rows = []
    for label, args in [("crossover(30)", (30,)), ("crossover(30, 90)", (30, 90)),
                        ("crossover(30, Fraction(5, 2))", (30, Fraction(5, 2))),
                        ("crossover(10**40, 10**80)", (10**40, 10**80))]:
        best_fn, best_noop = [], []
        for _ in range(7):                                   # interleaved repeats
            best_fn.append(min(timeit.repeat(lambda: crossover(*args), number=20000, repeat=3)))
            best_noop.append(min(timeit.repeat(lambda: _noop(*args), number=20000, repeat=3)))
        fn, noop = min(best_fn) / 20000, min(best_noop) / 20000
        rows.append((label, fn * 1e9, noop * 1e9, fn / noop))
    return rows


def _start(code):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def import_cost(repeats=15):
    samples = {"pass": [], "import derive": [], "import sympy": []}
    for _ in range(repeats):                                  # interleaved
        for label in samples:
            samples[label].append(_start(label))
    return {label: statistics.median(values) for label, values in samples.items()}


def derivation_cost(repeats=5):
    code = ("import time, sympy; t0 = time.perf_counter(); from derive import derive; "
            "derive('cuda-graph'); t1 = time.perf_counter(); derive('cuda-graph', c='3*n'); "
            "t2 = time.perf_counter(); print(t1 - t0, t2 - t1)")
    cold, warm = [], []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        first, second = map(float, out.stdout.split())
        cold.append(first)
        warm.append(second)
    return statistics.median(cold), statistics.median(warm)


def property_rate(examples=2000):
    import sympy

    from derive.engine.derivation import derive
    from derive.engine.symbols import c, n
    from derive.numeric import crossover

    cases = [(num_ops, Fraction(cost, denominator))
             for num_ops, cost, denominator in zip(range(1, examples + 1),
                                                    range(7, 7 + 3 * examples, 3),
                                                    [1, 2, 3, 5] * examples)]
    compiled = derive("cuda-graph").function("crossover")
    t0 = time.perf_counter()
    for num_ops, cost in cases:
        assert crossover(num_ops, cost) == compiled(num_ops, cost)
    compiled_rate = len(cases) / (time.perf_counter() - t0)

    piecewise = sympy.Piecewise(*[(sympy.Integer(-1) if case.value is None else case.value, case.when)
                                  for case in derive("cuda-graph").crossover])
    sample = cases[:200]
    t0 = time.perf_counter()
    for num_ops, cost in sample:
        value = piecewise.subs({n: num_ops, c: sympy.Rational(cost.numerator, cost.denominator)})
        assert (None if value == -1 else int(value)) == crossover(num_ops, cost)
    subs_rate = len(sample) / (time.perf_counter() - t0)
    return compiled_rate, subs_rate


def main():
    print("## numeric crossover vs a no-op Python call (same arguments, min of interleaved repeats)\n")
    print("| call | ns per call | no-op ns | ratio |")
    print("|---|---:|---:|---:|")
    for label, fn, noop, ratio in call_cost():
        print(f"| `{label}` | {fn:.0f} | {noop:.0f} | {ratio:.1f}x |")

    starts = import_cost()
    print("\n## interpreter start (median of 15 interleaved runs)\n")
    print("| command | ms | added to `python -c pass` |")
    print("|---|---:|---:|")
    for label, seconds in starts.items():
        added = (seconds - starts["pass"]) * 1000
        print(f"| `python -c \"{label}\"` | {seconds * 1000:.0f} | {added:+.0f} ms |")
    ratio = (starts["import derive"] - starts["pass"]) / (starts["import sympy"] - starts["pass"])
    print(f"\n`import derive` costs {ratio:.1%} of what `import sympy` costs.")

    cold, warm = derivation_cost()
    print("\n## derive('cuda-graph') once sympy is imported (median of 5 fresh processes)\n")
    print(f"- cold (first derivation, engine modules imported): {cold * 1000:.0f} ms")
    print(f"- a second derivation (c = 3n) in the same process: {warm * 1000:.0f} ms")
    print(f"- cold derivation / sympy import: {cold / (starts['import sympy'] - starts['pass']):.2f}")

    compiled, subs = property_rate()
    print("\n## property checks: numeric crossover vs the engine's result\n")
    print(f"- compiled once (derive.engine.evaluate): {compiled:,.0f} examples/s")
    print(f"- sympy subs per example:          {subs:,.0f} examples/s")
    print(f"- ratio: {compiled / subs:,.0f}x")


if __name__ == "__main__":
    main()
