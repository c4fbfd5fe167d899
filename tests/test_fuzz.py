"""The command line under fuzzing: a short run of ``bench/fuzz_cli.py`` in the default suite.

The full run (2,000 invocations, README "Budgets") is ``python bench/fuzz_cli.py``; this
one draws a few dozen invocations, every subcommand at least once, with a fixed seed, and
holds them to the same targets: no traceback, no hang, no run over its budget, no memory
blow-up, exit codes 0–3, error lines of at most 300 characters. ``pytest -m fuzz`` runs
only these; ``FUZZ_COUNT`` sets the count.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fuzz_cli", ROOT / "bench" / "fuzz_cli.py")
fuzz_cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz_cli)

COUNT = int(os.environ.get("FUZZ_COUNT", "48"))
SLACK = 10.0            # a loaded CI machine starts Python slowly; the budgets themselves hold


def test_a_short_fuzz_run_meets_every_target():
    results = fuzz_cli.fuzz(COUNT, seed=20261130, slack=SLACK)
    assert {r["command"] for r in results} >= set(fuzz_cli.COMMANDS)
    missed = [(r["command"], r["problems"], r["argv"], r["stderr_tail"]) for r in results if r["problems"]]
    assert missed == [], fuzz_cli.table(results)


def test_the_harness_sees_what_it_reports(tmp_path):
    """Every problem the harness counts can be produced: a traceback, a hang, a long line."""
    result = fuzz_cli.run_one("noise", ["-c", "raise SystemExit"], None, tmp_path, 5)
    assert result["code"] == 2 and not result["traceback"]
    fake = {"traceback": True, "hung": False, "seconds": 30.0, "budget": 10, "peak_bytes": 600 * 2**20,
            "memory_error": False, "code": 139, "longest_line": 301}
    assert fuzz_cli.problems(fake) == ["traceback", "over budget", "memory", "exit code", "long line"]
    assert fuzz_cli.problems(dict(fake, hung=True))[:2] == ["traceback", "hang"]


def _derive(*argv, stdin=None):
    return subprocess.run([sys.executable, "-m", "derive", *argv], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("argv, stdin, message", [
    (["check", "eager_total", "-"], "(533028767)^17 - -\\left( -48 \\right)48/48 = 5**__import__",
     "subscripts are not part of the grammar"),
    (["ladder", "--config", "/dev/zero"], None, "the ladder config /dev/zero is not a regular file"),
    (["ladder", "--config", "/proc/self/mem"], None, "the ladder config /proc/self/mem: "),
    (["steps", "derive"], None, "the derivation derive is not a regular file"),
    (["show", "--set", "c=\x01"], None, r"--set c=\x01: control character"),
], ids=["latex-name-with-underscores", "dev-zero", "proc-mem", "directory", "control-character"])
def test_what_the_fuzzer_found_is_one_short_line(argv, stdin, message):
    done = _derive(*argv, stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.startswith("derive: error: ") and message in done.stderr
    assert done.stderr.count("\n") == 1 and len(done.stderr) <= 300
