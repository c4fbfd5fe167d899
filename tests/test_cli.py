"""The command line: the main job, derive show, and one-line errors with exit 2."""

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from derive.cli import main
from derive.numeric import crossover


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_main_job_states_both_results(capsys):
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert "floor((c - 1)/(n - 1)) + 1  if n > 1" in out
    assert "with the default c = n: 2 if n > 1, never otherwise" in out
    assert "lim E(k)/G(k) as k -> oo = n, for every c > 0" in out
    expected = ", ".join(f"n = {s}: call {crossover(s, 3 * s)}" for s in (3, 30, 300))
    assert expected in out


def test_main_job_json(capsys):
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [e["first_call"] for e in data["examples"]] == ["5", "4", "4"]
    assert data["default_capture_cost"]["crossover"] == [
        {"when": "n > 1", "first_call": "2"}, {"when": "otherwise", "first_call": "never"}]


def test_show_json_matches_design(capsys):
    code, out, _ = run(capsys, "show", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {"model", "parameters", "baseline", "amortized", "break_even", "crossover",
            "asymptote", "approach"} <= set(data)
    assert data["model"] == "cuda-graph"
    assert data["parameters"] == {"n": "integer >= 1", "k": "integer >= 1", "c": "rational > 0"}
    assert data["baseline"] == "k*n" and data["amortized"] == "c + k - 1"
    assert data["break_even"] == "(c - 1)/(n - 1)"
    assert data["crossover"] == [
        {"when": "c < 1", "first_call": "1"},
        {"when": "n > 1", "first_call": "floor((c - 1)/(n - 1)) + 1"},
        {"when": "otherwise", "first_call": "never"},
    ]
    assert data["asymptote"] == "n"
    assert data["approach"] == [
        {"when": "c > 1", "direction": "below"},
        {"when": "c = 1", "direction": "constant"},
        {"when": "c < 1", "direction": "above"},
    ]


@pytest.mark.parametrize("bindings, first_call", [
    (["n=30", "c=90"], "4"), (["n=30"], None), (["c=3*n", "n=300"], "4"), (["n=1", "c=0.5"], "1"),
    (["n=1"], None), (["n = 7", "c = 2*(n - 1) + 1/2"], str(crossover(7, Fraction(25, 2)))),
])
def test_show_with_bindings(capsys, bindings, first_call):
    argv = ["show", "--format", "json"]
    for b in bindings:
        argv += ["--set", b]
    code, out, _ = run(capsys, *argv)
    data = json.loads(out)
    assert code == 0
    if first_call is not None:
        assert data["crossover"] == [{"when": "always", "first_call": first_call}]


def test_show_text(capsys):
    code, out, _ = run(capsys, "show", "--set", "n=30", "--set", "c=90")
    assert code == 0
    assert "first call at which graph is strictly cheaper than eager:\n  4\n" in out


BAD = [
    ("negative cost", ["show", "--set", "c=-1"], "c must be rational > 0, got -1"),
    ("unknown model", ["show", "nope"], "unknown model 'nope'"),
    ("no equals", ["show", "--set", "c"], "--set takes NAME=EXPR"),
    ("unknown parameter", ["show", "--set", "x=3"], "has no parameter 'x'"),
    ("code injection", ["show", "--set", "c=__import__('os').system('true')"], "unexpected character"),
    ("unknown name", ["show", "--set", "c=exit"], "unknown name 'exit'"),
    ("repeated", ["show", "--set", "n=2", "--set", "n=3"], "--set binds n more than once"),
    ("bad format", ["show", "--format", "yaml"], "invalid choice: 'yaml'"),
    ("unknown command", ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("division by zero", ["show", "--set", "c=1/0"], "division by zero"),
    ("huge exponent", ["show", "--set", "c=9^9^9"], "exponents must be whole numbers"),
    ("empty value", ["show", "--set", "c="], "--set takes NAME=EXPR"),
]


@pytest.mark.parametrize("argv, message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("error", [RecursionError, MemoryError])
def test_exhaustion_is_one_line_and_exit_2(capsys, monkeypatch, error):
    # The parser bounds sizes; should something still exhaust Python, no traceback.
    import derive.cli

    def exhausted(args):
        raise error()

    monkeypatch.setattr(derive.cli, "_run_show", exhausted)
    code, out, err = run(capsys, "show")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("derive: error: the input is too large") and error.__name__ in err


def test_console_script_and_module_are_the_same_program():
    module = subprocess.run([sys.executable, "-m", "derive", "show", "--set", "c=0"],
                            capture_output=True, text=True)
    assert module.returncode == 2
    assert module.stderr == "derive: error: --set c must be rational > 0, got 0\n"


def test_no_public_name_is_shadowed_by_a_submodule():
    # ``import derive.x`` sets the attribute ``x`` on the package: a public name ``x``
    # would then mean the module or the object depending on import order.
    import pkgutil

    import derive

    modules = {info.name for info in pkgutil.iter_modules(derive.__path__)}
    assert not modules & set(derive.__all__)


def test_a_missing_file_is_one_plain_line(capsys, tmp_path, monkeypatch):
    """Issue 14.10: 'derive steps missing.txt' said '[Errno 2] No such file or directory: ...'."""
    monkeypatch.chdir(tmp_path)
    assert main(["steps", "missing.txt"]) == 2
    assert capsys.readouterr().err == "derive: error: the derivation missing.txt: no such file or directory\n"
