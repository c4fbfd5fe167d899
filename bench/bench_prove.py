"""How long proving every theorem takes, once imported, against the issue's 3 s budget.

    python bench/bench_prove.py [repeats]

Each repeat is a fresh interpreter: it imports the registry (sympy, z3, the proofs
modules: not counted), then times ``derive.prove.run()`` — wall clock and this process's
CPU time, which the other users of a shared machine do not inflate — and a second
``run()`` in the same process, where the engine's derivations are already cached. The
figures are the medians over the repeats, with their ratio to the budget.
"""

import json
import statistics
import subprocess
import sys

BUDGET_S = 3.0

_ONE_RUN = """
import json, time
from derive import prove
start = time.perf_counter()
prove.theorems()
imported = time.perf_counter() - start
wall, cpu = time.perf_counter(), time.process_time()
results = prove.run()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
again = time.perf_counter()
prove.run()
again = time.perf_counter() - again
slowest = max(results, key=lambda r: r.seconds)
print(json.dumps({"import": imported, "wall": wall, "cpu": cpu, "again": again,
                  "proved": sum(r.proved for r in results), "count": len(results),
                  "slowest": [slowest.name, slowest.seconds]}))
"""


def main(repeats=5):
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", _ONE_RUN], capture_output=True, text=True,
                             check=True).stdout
        runs.append(json.loads(out))
    median = {key: statistics.median(r[key] for r in runs) for key in ("import", "wall", "cpu", "again")}
    last = runs[-1]
    print(f"{last['count']} theorems, {last['proved']} proved; medians of {repeats} fresh processes:")
    print(f"  import of the registry (not counted)  {median['import']:.2f} s")
    print(f"  run(), wall clock                     {median['wall']:.2f} s  "
          f"= {median['wall'] / BUDGET_S:.0%} of the {BUDGET_S:.0f} s budget")
    print(f"  run(), CPU time of this process       {median['cpu']:.2f} s  "
          f"= {median['cpu'] / BUDGET_S:.0%} of the budget")
    print(f"  run() again, derivations cached       {median['again']:.2f} s  "
          f"({median['again'] / median['wall']:.0%} of the first run)")
    print(f"  slowest theorem (last run)            {last['slowest'][0]} {last['slowest'][1]:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
