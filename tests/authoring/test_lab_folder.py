"""Tests of ``derive lab new``: the folder's files, its two runs, and the solution's exactness.

The generated tests are run as a student runs them — ``LAB_IMPL=starter pytest DIR -q``
and ``pytest DIR -q`` — from a directory outside the project, in a fresh process.
"""

import os
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings

from derive.authoring.lab_folder import (
    FILES,
    python_expression,
    solution_source,
    write_lab,
)
from derive.cli import main
from derive.conformance.spec import lab_spec
from derive.engine.presets import custom_model
from derive.engine.symbols import c, n
from derive.strategies import lab_arguments
from tests.oracle import eager_total, first_win_by_walking, graph_total

OWN = ("k*t_eager", "t_setup + k*t_fast")


def run_lab(directory, impl=None, cwd=None):
    env = {key: value for key, value in os.environ.items() if key != "LAB_IMPL"}
    if impl is not None:
        env["LAB_IMPL"] = impl
    return subprocess.run([sys.executable, "-m", "pytest", str(directory), "-q", "-p", "no:cacheprovider"],
                          capture_output=True, text=True, env=env, cwd=cwd or directory.parent, timeout=600)


def summary_lines(output):
    return [line for line in output.splitlines() if line.startswith("FAILED ")]


@pytest.fixture(scope="module")
def labs(tmp_path_factory):
    root = tmp_path_factory.mktemp("labs")
    write_lab(root / "lab02")
    write_lab(root / "lab-kb", "kernel-batching")
    write_lab(root / "lab-own", custom_model(*OWN))
    return root


def test_the_default_lab_has_the_seed_lab_files_and_names(labs):
    names = sorted(p.name for p in (labs / "lab02").iterdir())
    assert set(FILES) <= set(names)
    starter = (labs / "lab02" / "starter.py").read_text()
    for signature in ("def eager_launches(num_ops, k):", "def graph_launches(num_ops, k, capture_cost_ops=None):",
                      "def crossover(num_ops, capture_cost_ops=None):",
                      "def asymptotic_speedup(num_ops, capture_cost_ops=None):"):
        assert signature in starter
    assert starter.count("raise NotImplementedError") == 4
    assert "capture_cost_ops: rational > 0 (None: n)" in starter
    readme = (labs / "lab02" / "README.md").read_text()
    assert readme.startswith("# Launch overhead & the eager-graph crossover")
    assert "LAB_IMPL=starter pytest -q" in readme and "The two results to state cold" in readme


@pytest.mark.parametrize("lab, functions", [
    ("lab02", ["eager_launches", "graph_launches", "crossover", "asymptotic_speedup"]),
    ("lab-kb", ["eager_total", "graph_total", "crossover", "asymptotic_speedup"]),
    ("lab-own", ["baseline_total", "amortized_total", "crossover", "asymptotic_speedup"]),
])
def test_the_starter_fails_once_per_function_and_the_solution_passes(labs, lab, functions):
    starter = run_lab(labs / lab, "starter")
    assert starter.returncode == 1, starter.stdout
    lines = summary_lines(starter.stdout)
    assert [line.split("::")[1].split(" ")[0] for line in lines] == [f"test_{f}" for f in functions]
    assert all("NotImplementedError" in line for line in lines)
    solution = run_lab(labs / lab)
    assert solution.returncode == 0, solution.stdout + solution.stderr
    assert "4 passed" in solution.stdout
    readme = (labs / lab / "README.md").read_text()
    assert all(f"`{name}(" in readme for name in functions)


def test_a_wrong_implementation_is_named_with_its_smallest_arguments_and_both_values(labs, tmp_path):
    wrong = (labs / "lab02" / "solution.py").read_text().replace(
        "return _whole(math.floor(Fraction(capture_cost_ops - 1) / (num_ops - 1)) + 1)",
        "return max(1, math.ceil(Fraction(capture_cost_ops - 1) / (num_ops - 1)))")
    (tmp_path / "mine.py").write_text(wrong)
    done = run_lab(labs / "lab02", str(tmp_path / "mine.py"))
    assert done.returncode == 1
    lines = summary_lines(done.stdout)
    assert len(lines) == 1 and lines[0].startswith("FAILED lab02/test_lab.py::test_crossover")
    assert "AssertionError: crossover(2) returned 1, expected 2" in done.stdout


def test_a_module_name_also_selects_the_implementation(labs):
    assert run_lab(labs / "lab02", "solution").returncode == 0
    missing = run_lab(labs / "lab02", "nope_xyz")
    assert missing.returncode != 0
    assert "LAB_IMPL='nope_xyz'" in missing.stdout + missing.stderr


# -- the generated solution, exact -------------------------------------------------------------

def _solution(model="cuda-graph"):
    namespace = {}
    exec(compile(solution_source(lab_spec(model)), "solution.py", "exec"), namespace)   # our own code
    return namespace


LAB = _solution()


@settings(max_examples=300, deadline=None)
@given(lab_arguments())
def test_the_generated_solution_agrees_with_the_brute_force(a):
    c_value = a.num_ops if a.capture_cost_ops is None else a.capture_cost_ops
    extra = () if a.capture_cost_ops is None else (a.capture_cost_ops,)
    assert LAB["eager_launches"](a.num_ops, a.k) == eager_total(a.num_ops, a.k)
    assert LAB["graph_launches"](a.num_ops, a.k, *extra) == graph_total(a.num_ops, a.k, c_value)
    first = LAB["crossover"](a.num_ops, *extra)
    walked = first_win_by_walking(a.num_ops, c_value, 200)
    if walked is not None or first is None:
        assert first == walked
    else:                                       # beyond the walk: the first win, and not before
        assert graph_total(a.num_ops, first, c_value) < eager_total(a.num_ops, first)
        assert graph_total(a.num_ops, first - 1, c_value) >= eager_total(a.num_ops, first - 1)
    assert LAB["asymptotic_speedup"](a.num_ops, *extra) == a.num_ops


def test_the_solution_takes_floats_exactly():
    assert LAB["graph_launches"](30, 1, 2.5) == Fraction(5, 2)
    assert LAB["crossover"](2, 2.5) == 2 and type(LAB["crossover"](30, 90)) is int


@pytest.mark.parametrize("expr, text", [
    (n * 3 - 1, "3 * n - 1"),
    (c + n - 1, "c + n - 1"),
    ((c - 1) / (n - 1), "Fraction(c - 1) / (n - 1)"),
    (c / (2 * n), "Fraction(c) / (2 * n)"),
    (1 / n, "Fraction(1) / n"),
])
def test_python_expressions_are_exact(expr, text):
    assert python_expression(expr, {"c": "c", "n": "n"}) == text


# -- the command line ----------------------------------------------------------------------------

def test_lab_new_refuses_to_overwrite_without_force(tmp_path, capsys):
    assert main(["lab", "new", str(tmp_path / "lab")]) == 0
    capsys.readouterr()
    assert main(["lab", "new", str(tmp_path / "lab")]) == 2
    err = capsys.readouterr().err
    assert "already has starter.py" in err and "--force" in err and err.count("\n") == 1
    assert main(["lab", "new", str(tmp_path / "lab"), "--force"]) == 0


@pytest.mark.parametrize("argv, message", [
    (["lab", "new", "x", "warp-drive"], "unknown model 'warp-drive'"),
    (["lab", "new", "x", "--baseline", "k*n"], "takes both --baseline and --amortized"),
    (["lab", "new", "x", "--assume", "n integer"], "--assume applies to --baseline/--amortized"),
])
def test_lab_new_bad_input_is_exit_2(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
