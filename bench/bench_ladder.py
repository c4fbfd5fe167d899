"""Benchmark of the exact ladder optimizer at max_batch = 512, as ratios taken in one run.

    python bench/bench_ladder.py

Each config is timed as the best of a few repeats of ``optimal_ladder`` (the search plus
pricing the answer), interleaved with the reference: pricing one ladder exactly with
``evaluate_ladder`` (vLLM's default ladder, 51 rungs, every batch size walked). The
ratio says how many exact pricings the proved optimum costs; the absolute figure depends
on the (shared, noisy) machine. The issue's target: well under a second at 512.
"""

import sys
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from derive.ladder import (  # noqa: E402
    evaluate_ladder,
    load_ladder_config,
    optimal_ladder,
    vllm_default_ladder,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ladder.toml"


def variants():
    base = load_ladder_config(EXAMPLE)
    skewed = {str(b): 1000 // b for b in range(1, 513)}              # small batches common
    return [
        ("examples/ladder.toml (budget binds hard)", base),
        ("budget 0.1 GiB", replace(base, memory_budget=Fraction(1, 10))),
        ("budget 1 GiB", replace(base, memory_budget=1)),
        ("10**7 steps", replace(base, steps=10 ** 7)),
        ("traffic ~ 1/b", replace(base, traffic=skewed)),
        ("m0 = 0 (memory ~ size)", replace(base, graph_memory=(0, Fraction(2, 100000)))),
    ]


def best_of(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeats=3):
    optimal_ladder(load_ladder_config(EXAMPLE))                         # imports, warm-up
    print(f"{'max_batch = 512':<42}{'optimize':>10}{'price one':>11}{'ratio':>8}  rungs")
    for label, config in variants():
        ladder = vllm_default_ladder(config.max_batch)
        optimize, price = [], []
        for _ in range(repeats):                                        # interleaved
            optimize.append(best_of(lambda: optimal_ladder(config), 1))
            price.append(best_of(lambda: evaluate_ladder(config, ladder), 5))
        best = optimal_ladder(config)
        t_opt, t_price = min(optimize), min(price)
        print(f"{label:<42}{t_opt * 1e3:>8.0f}ms{t_price * 1e3:>9.2f}ms"
              f"{t_opt / t_price:>8.0f}  {len(best.rungs)}")


if __name__ == "__main__":
    main()
