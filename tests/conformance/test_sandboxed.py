"""``derive verify`` and ``pytest --derive-impl`` run the target in a child process.

Each attack below is the lab's correct functions plus one line aimed at the checker, not
at the lab. Run in the checker's own process, each used to decide its own verdict (forge
"5 of 5 conform", exit 0 silently, choose the exit code, hang the run, crash it, abort it
with exit 2). Now the child only answers; each becomes a per-function result here.
"""

import json
import subprocess
import sys
import time

import pytest

from derive.cli import main
from derive.conformance.sandbox import Sandbox
from derive.conformance.suite import Sandboxed, verify
from tests.conformance.test_suite import CORRECT

FUNCTIONS = ["eager_launches", "graph_launches", "crossover", "asymptotic_speedup", "per_call_ratio"]

ATTACKS = {
    "forges_the_verdict": ("import derive.conformance.suite as dc\ndc.conforms = lambda e, g: True\n"
                           "import derive.conformance as dp\ndp.conforms = lambda e, g: True\n"
                           "def crossover(num_ops, capture_cost_ops=None):\n    return 5\n"),
    "exit0_at_import": "import os\nos._exit(0)\n",
    "exit0_in_function": "import os\ndef crossover(num_ops, capture_cost_ops=None):\n    os._exit(0)\n",
    "exit3_in_function": "import os\ndef graph_launches(num_ops, k, capture_cost_ops=None):\n    os._exit(3)\n",
    "ignores_the_alarm": ("import signal\ndef crossover(num_ops, capture_cost_ops=None):\n"
                          "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n"),
    "base_exception_at_import": "raise BaseException('the checker is mine')\n",
    "returns_a_huge_int": "def asymptotic_speedup(num_ops, capture_cost_ops=None):\n    return 10**100000\n",
}

EXPECTED = {   # attack: (statuses of the five functions, words in the failing one's text)
    "forges_the_verdict": (["pass", "pass", "fail", "pass", "not_defined"], '"call": "crossover(1)", "arguments": {"num_ops": "1"}, "expected": "never", "got": "5"'),
    "exit0_at_import": (["error"] * 5, "importing the target ended the process: the process exited with code 0"),
    "exit0_in_function": (["pass", "pass", "error", "pass", "not_defined"],
                          "ended the process (the process exited with code 0)"),
    "exit3_in_function": (["pass", "error", "pass", "pass", "not_defined"],
                          "ended the process (the process exited with code 3)"),
    "ignores_the_alarm": (["pass", "pass", "timeout", "pass", "not_defined"], '"error": "did not return within 1 s"'),
    "base_exception_at_import": (["error"] * 5, "BaseException: the checker is mine"),
    "returns_a_huge_int": (["pass", "pass", "pass", "fail", "not_defined"],
                           '"expected": "1", "got": "an int of 332193 bits"'),
}


@pytest.fixture(scope="module")
def attacks(tmp_path_factory):
    directory = tmp_path_factory.mktemp("attacks")
    for name, line in ATTACKS.items():
        (directory / f"{name}.py").write_text(CORRECT + "\n" + line)
    return directory


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_on_the_checker_is_a_per_function_result_and_exit_1(attacks, attack, capsys):
    started = time.monotonic()
    code = main(["verify", str(attacks / f"{attack}.py"), "--examples", "20", "--timeout", "1",
                 "--quiet", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1, captured
    assert "Traceback" not in captured.err
    report = json.loads(captured.out)
    statuses, words = EXPECTED[attack]
    assert [f["status"] for f in report["functions"]] == statuses
    texts = json.dumps(report["functions"])
    assert words in texts
    assert time.monotonic() - started < 60


def test_the_checkers_process_is_untouched_by_the_target(attacks):
    import derive.conformance.suite as suite

    before = suite.conforms
    verify(str(attacks / "forges_the_verdict.py"), examples=10, timeout=1)
    assert suite.conforms is before and suite.conforms(2, 5) is False


def test_pytest_derive_impl_fails_the_forged_crossover(attacks, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "derive.conformance.pytest_plugin", "--derive-impl",
         str(attacks / "forges_the_verdict.py"), "--derive-examples", "10", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED derive-impl::crossover" in done.stdout
    assert "3 passed" in done.stdout


def test_pytest_derive_impl_reports_a_process_that_ends(attacks, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "derive.conformance.pytest_plugin", "--derive-impl",
         str(attacks / "exit0_in_function.py"), "--derive-examples", "10", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 1
    assert "ended the process (the process exited with code 0)" in done.stdout


def test_a_sandbox_answers_and_ends(attacks):
    with Sandbox(str(attacks / "exit3_in_function.py"), ["crossover", "graph_launches"]) as box:
        assert box.call("crossover", [30, 90], 5).value == 4
        ended = box.call("graph_launches", [1, 1], 5)
        assert (ended.kind, ended.text) == ("died", "the process exited with code 3")
        assert box.call("crossover", [30], 5).kind == "died"


def test_a_sandboxed_target_by_module_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.py").write_text(CORRECT)
    target = Sandboxed("mine")
    try:
        assert target.function("crossover")(30, 90) == 4
        assert target.function("per_call_ratio") is None
    finally:
        target.close()
