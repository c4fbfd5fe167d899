"""Benchmark of ``derive grade``: a class of 300 graded with 2 workers, and the cost of one child.

    python bench/bench_grade.py [--count 300] [--workers 2] [--keep DIR]

The class is generated (``tests/grade/submissions.py``): correct implementations and the
classic mistakes (the ceiling of the root, ``c + k``, floats, an asymptote of ``c``, the
bare starter), each a ``.py`` file or a folder. It is graded as ``derive grade`` grades,
every submission in its own sandboxed child, and timed end to end: submissions per
minute. Then, in the same run, the overhead of one sandbox (start a child, import a
one-line submission, end it) against a bare ``python -c pass`` child, as medians of
interleaved repeats. The issue's target: 300 submissions in under 5 minutes on the
project's 2-core machine.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from derive.conformance.sandbox import Sandbox, isolation  # noqa: E402
from derive.conformance.spec import lab_spec  # noqa: E402
from derive.grade.judge import Options  # noqa: E402
from derive.grade.run import grade_class  # noqa: E402
from tests.grade.submissions import write_class  # noqa: E402


def class_throughput(directory, count, workers):
    paths = write_class(directory, count, hostile=False, seed=7)
    spec = lab_spec()
    started = time.perf_counter()
    results = grade_class(paths, spec, Options(), workers=workers)
    seconds = time.perf_counter() - started
    full = sum(1 for r in results if r.score == r.max_score)
    return seconds, len(results), full


def child_overhead(directory, repeats):
    target = Path(directory) / "one.py"
    target.write_text("x = 1\n")
    isolate = isolation()[0]
    bare, boxed = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        box = Sandbox(str(target), ["f"], isolate=isolate, workdir=str(directory), cwd=str(directory))
        box.remove()
        boxed.append(time.perf_counter() - started)
    return statistics.median(bare), statistics.median(boxed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--keep", help="write the class here and keep it")
    args = parser.parse_args()
    directory = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="derive-bench-grade-"))
    try:
        seconds, graded, full = class_throughput(directory / "class", args.count, args.workers)
        bare, boxed = child_overhead(directory, args.repeats)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    isolated, how = isolation()
    print(f"isolation: {how}")
    print(f"class: {graded} submissions ({full} with full marks), {args.workers} workers: "
          f"{seconds:.1f} s, {graded / seconds * 60:.0f} submissions/minute, "
          f"{seconds / graded * args.workers * 1000:.0f} ms per submission per worker "
          f"({seconds / 300 * 100:.0f}% of the 5-minute budget for 300)")
    print(f"one child: sandbox {boxed * 1000:.1f} ms vs bare `python -c pass` {bare * 1000:.1f} ms "
          f"({boxed / bare:.2f}x, +{(boxed - bare) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
