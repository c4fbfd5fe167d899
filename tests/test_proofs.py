"""The theorems: each one proved; a false one refuted with a counterexample that brute force
confirms; a proof that cannot finish fails; the registry, the JSON and the command line."""

import json
import math
import pkgutil
import re
import shutil
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
import z3
from matplotlib.mathtext import MathTextParser

import proofs
from derive import prove
from derive.cli import main
from derive.engine.symbols import COUNT, POSITIVE_RATIONAL, Domain, c, k, n
from derive.prove import FAILED, PROVED, ProofIncomplete, Result, run, theorem, theorems
from proofs import _solver
from proofs._solver import Space, counterexample, crossover_terms, lab
from tests.oracle import eager_total, first_win_by_walking, graph_total

ROOT = Path(__file__).resolve().parent.parent


# -- every theorem of the registry is proved ------------------------------------------------

@pytest.mark.parametrize("name", prove.names())
def test_theorem_is_proved(name):
    (result,) = run([name])
    assert (result.status, result.reason, result.counterexample) == (PROVED, "", None)
    assert result.seconds > 0


def test_registry_covers_every_subject_module():
    modules = {m.name for m in pkgutil.iter_modules(proofs.__path__) if not m.name.startswith("_")}
    assert modules == set(proofs.SUBJECTS)
    subjects = {t.subject for t in theorems()}
    assert subjects == set(proofs.SUBJECTS)


def test_issue_list_is_covered():
    names = set(prove.names())
    assert {"eager-total", "graph-total", "per-call-ratio", "crossover-rule", "crossover-least",
            "tie-then-ahead", "single-op", "asymptote", "capture-moves-crossover",
            "approach-below", "approach-rising", "crossover-monotone", "three-n",
            "integer-capture-ceiling", "rational-capture-differs", "ceiling-off-by-one",
            "engine-crossover"} <= names


def test_theorems_are_complete_and_statements_parse():
    parser = MathTextParser("path")
    for t in theorems():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t.name)
        assert t.claim and t.statement and t.method and callable(t.check)
        parser.parse(f"${t.statement}$")             # raises on anything mathtext cannot read


# -- a prover that can say no ---------------------------------------------------------------

@theorem(
    "crossover-is-ceiling",
    claim="(False.) The graph wins from the ceiling of the break-even root on.",
    statement=r"\forall n \in \mathbb{Z}_{\geq 2},\ c \in \mathbb{Q}_{>0},\ k \in \mathbb{Z}_{\geq 1}:"
              r"\ G(k) < E(k) \Leftrightarrow k \geq \left\lceil \frac{c - 1}{n - 1} \right\rceil",
    method="z3 over integers and rationals",
)
def _crossover_is_ceiling():
    d = lab()
    space = Space({n: Domain("integer", 2), c: POSITIVE_RATIONAL, k: COUNT})
    wins = space.term(d.amortized) < space.term(d.baseline)
    return counterexample(space, wins == (space[k] >= space.term(sympy.ceiling((c - 1) / (n - 1)))))


def test_false_theorem_fails_with_a_counterexample_brute_force_confirms():
    result = _crossover_is_ceiling.prove()
    assert result.status == FAILED and result.reason == "counterexample"
    found = result.counterexample
    assert set(found) == {"n", "c", "k"}
    num_ops, cost, call = found["n"], Fraction(found["c"]), found["k"]
    ceiling = math.ceil((cost - 1) / (num_ops - 1))
    # the claim is false at these values, computed without z3 or the engine
    wins = graph_total(num_ops, call, cost) < eager_total(num_ops, call)
    assert wins != (call >= ceiling)
    # and the least winning call, found by walking, is not the ceiling
    assert first_win_by_walking(num_ops, cost, limit=ceiling + 2) != ceiling


def test_engine_ceiling_claim_refuted_with_an_integer_root():
    """The same false rule against the engine's crossover: refuted exactly at a whole root."""
    space = Space({n: Domain("integer", 2), c: POSITIVE_RATIONAL})
    first, never = crossover_terms(lab(), space)
    found = counterexample(space, first == space.term(sympy.ceiling((c - 1) / (n - 1))))
    assert found is not None
    num_ops, cost = found["n"], Fraction(found["c"])
    root = (cost - 1) / (num_ops - 1)
    assert first_win_by_walking(num_ops, cost, limit=math.ceil(root) + 2) != math.ceil(root)
    assert root.denominator == 1 or cost < 1


def test_proof_that_cannot_finish_fails(monkeypatch):
    """z3 answering unknown (here: a 1 ms budget on floors it cannot settle) is a failure."""
    monkeypatch.setattr(_solver, "TIMEOUT_MS", 1)

    @theorem("hard", claim="x", statement="x", method="z3")
    def hard():
        space = Space({n: Domain("integer", 2), c: POSITIVE_RATIONAL})
        floor = z3.ToInt((space[c] - 1) / z3.ToReal(space[n] - 1))
        return counterexample(space, z3.ToInt(space[c] / z3.ToReal(space[n] - 1)) + 1 >= floor)

    result = hard.prove()
    assert result.status == FAILED and result.counterexample is None
    assert result.reason.startswith("ProofIncomplete: z3 answered unknown")


def test_check_that_raises_fails_and_says_why():
    @theorem("broken", claim="x", statement="x", method="none")
    def broken():
        raise ZeroDivisionError("division by zero")

    result = broken.prove()
    assert (result.status, result.reason) == (FAILED, "ZeroDivisionError: division by zero")
    with pytest.raises(ProofIncomplete):
        raise ProofIncomplete("incomplete proofs are UndecidedErrors")


def test_solver_counterexample_and_witness():
    space = Space({n: COUNT})
    assert counterexample(space, space[n] >= 1) is None
    assert counterexample(space, space[n] != 3) == {"n": 3}
    assert _solver.witness(space, space[n] * space[n] == 49) == {"n": 7}
    assert _solver.witness(space, space[n] * space[n] == 2) is None


def test_floor_encoding_agrees_with_exact_floor():
    """The solver's floor and ceiling, pinned at sample points, against Fraction arithmetic."""
    space = Space({n: Domain("integer", 2), c: POSITIVE_RATIONAL})
    floor = space.term(sympy.floor((c - 1) / (n - 1)))
    ceiling = space.term(sympy.ceiling(c / (n - 1)))
    for num_ops, cost in [(2, Fraction(1, 2)), (3, Fraction(7)), (5, Fraction(17, 3)), (30, Fraction(90))]:
        pinned = z3.And(space[n] == num_ops, space[c] == z3.Q(cost.numerator, cost.denominator))
        found = _solver.witness(space, pinned)
        assert found == {"n": num_ops, "c": cost if cost.denominator > 1 else int(cost)}
        expected_floor = math.floor((cost - 1) / (num_ops - 1))
        expected_ceiling = math.ceil(cost / (num_ops - 1))
        assert _solver.witness(space, z3.And(pinned, floor != expected_floor)) is None
        assert _solver.witness(space, z3.And(pinned, ceiling != expected_ceiling)) is None


# -- the API: results, names, JSON ----------------------------------------------------------

def test_unknown_name_is_a_value_error_naming_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown theorem 'nope'; the \d+ theorems start: eager-total, "):
        run(["nope"])
    with pytest.raises(ValueError, match=r"^unknown theorem 'three-m'; did you mean three-n\?"):
        run(["three-m"])
    with pytest.raises(ValueError) as long:
        run(["x" * 10**6, "y"])
    assert len(str(long.value)) < 300 and "(1000002 characters) (and 1 more)" in str(long.value)
    with pytest.raises(TypeError, match="names must be a list"):
        run("three-n")


def test_result_record_has_the_json_keys():
    (result,) = run(["three-n"])
    assert isinstance(result, Result)
    record = result.as_dict()
    assert {"name", "claim", "statement", "method", "status", "seconds"} <= set(record)
    assert record["name"] == "three-n" and record["status"] == "proved"
    failed = _crossover_is_ceiling.prove().as_dict()
    assert failed["status"] == "failed" and set(failed["counterexample"]) == {"n", "c", "k"}


def test_reprs_for_jupyter():
    (result,) = run(["three-n"])
    t = result.theorem
    parser = MathTextParser("path")
    for text in (t._repr_latex_(), result._repr_latex_()):
        display = re.search(r"\\\[(.*?)\\\]", text, re.S).group(1)
        parser.parse(f"${display}$")
        assert display.strip() == t.statement
    assert "$$" + t.statement + "$$" in t._repr_markdown_()
    assert "proved in" in result._repr_markdown_() and "proved in" not in t._repr_markdown_()


# -- the command line -------------------------------------------------------------------------

def _cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_is_exactly_the_contract(capsys):
    code, out, err = _cli(capsys, "prove", "tie-then-ahead", "single-op", "--format", "json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert set(data) == {"theorems"}
    assert [t["name"] for t in data["theorems"]] == ["tie-then-ahead", "single-op"]
    for record in data["theorems"]:
        assert {"name", "claim", "statement", "method", "status", "seconds"} <= set(record)
        assert record["status"] == "proved" and isinstance(record["seconds"], float)


def test_cli_text_table(capsys):
    code, out, _ = _cli(capsys, "prove", "three-n")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["theorem", "status", "method", "seconds"]
    assert lines[1].startswith("three-n") and " proved " in lines[1]
    assert lines[-1].startswith("1 theorems: 1 proved, 0 failed, in ")


def test_cli_unknown_name_exit_2(capsys):
    code, out, err = _cli(capsys, "prove", "three-n", "nope")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("derive: error: unknown theorem 'nope'")


def test_cli_failed_proof_exit_1(capsys, monkeypatch):
    monkeypatch.setattr(prove, "_REGISTRY", {"crossover-is-ceiling": _crossover_is_ceiling})
    code, out, _ = _cli(capsys, "prove")
    assert code == 1
    assert "crossover-is-ceiling  failed" in out
    assert "FAILED crossover-is-ceiling: counterexample: n = " in out


def test_installed_package_proves_from_any_directory(tmp_path):
    """The wheel that ``pip install .`` installs carries proofs/, and the CLI runs from it."""
    source = tmp_path / "source"
    for part in ("derive", "proofs", "examples"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("setup.cfg", "setup.py", "pyproject.toml", "README.md", "pytest_derive.py"):
        shutil.copy(ROOT / part, source / part)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(source)], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("derive-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"proofs/{s}.py" for s in proofs.SUBJECTS} | {"proofs/__init__.py"} <= names
    assert {"derive/examples/lab_impl.py", "derive/examples/lab.ipynb", "pytest_derive.py"} <= names
    assert {"derive/serve/static/app.js", "derive/serve/static/style.css",     # package data
            "derive/authoring/lab_templates/test_lab.py.txt"} <= names
    ran = subprocess.run([sys.executable, "-m", "derive", "prove", "three-n", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(wheel)})
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["theorems"][0]["status"] == "proved"
