"""Tests of ``derive grade``: a class with hostile submissions, each graded to its own result.

The class is graded once per module (two workers, short time limits) and every test reads
its results. Where a test's outcome depends on whether this machine can isolate a child
(:func:`derive.conformance.sandbox.isolation`), the test says which way it went.
"""

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derive.cli import main
from derive.conformance.sandbox import Limits, Sandbox, can_drop, isolation, sandbox_uid
from derive.conformance.spec import lab_spec
from derive.grade import report as reports
from derive.grade.judge import Options, grade
from derive.grade.run import grade_class, parse_shard, select
from tests.grade.submissions import CORRECT, ESCAPES, HOSTILE, MISTAKES, write_class

OPTIONS = Options(timeout=1.0, import_timeout=3.0, count=60)
ISOLATED, HOW = isolation()


@pytest.fixture(scope="module")
def klass(tmp_path_factory, fork_bound):
    """The class, graded; only once the process limit is proved on a small fork count
    (``fork_bound``), because the class holds an unbounded fork bomb."""
    directory = tmp_path_factory.mktemp("class")
    paths = write_class(directory, len(HOSTILE) + len(ESCAPES) + 8, seed=1)
    results = grade_class(paths, lab_spec(), OPTIONS, workers=2)
    return directory, {r.submission: r for r in results}


def statuses(result):
    return {f.function: f.status for f in result.functions}


def feedback(result, function):
    return next(f.feedback for f in result.functions if f.function == function)


# -- every hostile submission gets a clear result; the others grade normally --------------

def test_every_submission_is_graded_and_the_right_ones_get_full_marks(klass):
    directory, results = klass
    assert set(HOSTILE) | set(ESCAPES) <= set(results)
    correct = [name for name, r in results.items() if name.startswith("student_")
               and (Path(directory) / f"{name}.py").exists()
               and (Path(directory) / f"{name}.py").read_text() == CORRECT]
    assert correct, "the class has correct submissions"
    for name in correct:
        assert results[name].score == 4, name


@pytest.mark.parametrize("name, expected, words", [
    ("loop_at_import", dict.fromkeys(lab_spec().names, "timeout"), "took longer than 3 s"),
    ("exit0_at_import", dict.fromkeys(lab_spec().names, "error"), "exited with code 0"),
    ("base_exception_at_import", dict.fromkeys(lab_spec().names, "error"), "BaseException"),
    ("sys_exit_at_import", dict.fromkeys(lab_spec().names, "error"), "SystemExit: 1"),
])
def test_a_submission_that_fails_at_import_fails_every_function(klass, name, expected, words):
    result = klass[1][name]
    assert statuses(result) == expected
    assert words in result.note


@pytest.mark.parametrize("name, function, status, words", [
    ("exit0_in_function", "crossover", "error", "crossover(1) ended the process (the process exited with code 0)"),
    ("sys_exit_in_function", "asymptotic_speedup", "fail", "asymptotic_speedup(1) raised SystemExit"),
    ("ignores_alarm", "crossover", "timeout", "crossover(1) did not return within 1 s"),
    ("fork_bomb", "crossover", "timeout", "did not return within 1 s"),
    ("allocates_10gb", "eager_launches", "fail", "eager_launches(1, 1) raised MemoryError, expected 1"),
    ("returns_nan", "asymptotic_speedup", "fail", "asymptotic_speedup(1) returned nan, expected 1"),
    ("returns_generator", "eager_launches", "fail", "returned <generator object>, expected 1"),
    ("eq_raises", "asymptotic_speedup", "fail", "returned <Sly object>, expected 1"),
    ("huge_int", "asymptotic_speedup", "fail", "returned an int of 3321929 bits, expected 1"),
    ("patches_fractions", "crossover", "fail", "crossover(1) returned 7, expected None (never)"),
    ("patches_derive", "crossover", "fail", "crossover(1) returned 7, expected None (never)"),
])
def test_a_hostile_function_fails_alone(klass, name, function, status, words):
    result = klass[1][name]
    assert statuses(result)[function] == status
    assert words in feedback(result, function)
    others = {f: s for f, s in statuses(result).items() if f != function}
    assert set(others.values()) == {"pass"}, others


def test_output_is_captured_and_cut(klass):
    result = klass[1]["prints_a_lot"]
    assert result.score == 4
    assert result.output.startswith("x" * 100) and result.output.endswith("[output cut]")
    assert len(result.output) < Limits().output_bytes + 100


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_the_file_system_outside_its_folder_is_out_of_reach_where_isolated(klass, name):
    directory, results = klass
    crossover = statuses(results[name])["crossover"]
    if ISOLATED:                     # this machine isolates: the write and the read fail
        assert crossover == "pass", feedback(results[name], "crossover")
        assert not (directory / "escaped.txt").exists()
    else:                            # it does not: the report says so, plainly
        report = reports.build(list(results.values()), model="cuda-graph", functions=lab_spec().names,
                               seed=0, isolation=(ISOLATED, HOW))
        assert "NOT isolated" in report["isolation"]["how"]


def test_the_machine_says_whether_it_isolates():
    isolated, how = isolation()
    assert isinstance(isolated, bool) and how
    print(f"isolation on this machine: {isolated}: {how}")


# -- the fork bomb is bounded: proved on a small count before any unbounded one runs --------

BOUNDED_FORKS = '''
import os, time
def crossover(num_ops, capture_cost_ops=None):
    made = 0
    for _ in range(40):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(20)
            os._exit(0)
        made += 1
    return made
'''


def _processes_of(uid):
    """Live (not zombie) processes of ``uid``; killed ones may take a moment to be reaped."""
    for _ in range(50):
        live = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _alive_as(p, uid))
        if live == 0:
            return 0
        time.sleep(0.05)
    return live


def _alive_as(proc, uid):
    try:
        fields = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line)
    except OSError:
        return False
    return int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z")


@pytest.fixture(scope="module")
def fork_bound(tmp_path_factory):
    """40 forks asked of a child limited to 8 processes: how many it got, and how many of
    its processes were left afterwards. Fails (and so stops the unbounded bomb from ever
    running) unless the limit binds — even as root, where the child runs under a uid of
    its own so that RLIMIT_NPROC applies."""
    if not sys.platform.startswith("linux"):
        pytest.skip("process limits are Linux's")
    work = tmp_path_factory.mktemp("forks")
    (work / "forks.py").write_text(BOUNDED_FORKS)
    uid = sandbox_uid() if ISOLATED and os.geteuid() == 0 or can_drop() else None
    if uid is not None:
        os.chown(work, uid, uid)
        os.chown(work / "forks.py", uid, uid)
    limits = Limits(processes=8)
    box = Sandbox(str(work / "forks.py"), ["crossover"], isolate=ISOLATED, workdir=str(work),
                  cwd=str(work), limits=limits, drop_to=uid)
    try:
        made = box.call("crossover", [2], 10).value
    finally:
        box.remove()
    left = _processes_of(uid) if uid is not None else 0
    assert isinstance(made, int) and made < limits.processes, f"the limit did not bind: {made} forks"
    assert left == 0, f"{left} processes outlived the sandbox"
    return made, left


def test_the_process_limit_binds_a_small_fork_count(fork_bound):
    made, left = fork_bound
    assert made < Limits(processes=8).processes and left == 0


def test_the_unbounded_fork_bomb_was_graded_after_the_bound_was_proved(klass):
    # runs after the test above in file order; the class fixture graded it with the same limits
    assert statuses(klass[1]["fork_bomb"])["crossover"] == "timeout"
    if os.geteuid() == 0:
        assert _processes_of(sandbox_uid()) == 0


# -- formats ------------------------------------------------------------------------------

GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
                  "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                  "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
                   "output_format", "tags", "visibility", "extra_data"}


@pytest.fixture(scope="module")
def report(klass):
    return reports.build(list(klass[1].values()), model="cuda-graph", functions=lab_spec().names,
                         seed=0, isolation=(ISOLATED, HOW))


def test_gradescope_results_use_the_published_field_names(report):
    for student in report["students"]:
        results = json.loads(json.dumps(reports.gradescope(student, report)))
        assert set(results) <= GRADESCOPE_TOP and {"score", "tests"} <= set(results)
        assert results["score"] == sum(t["score"] for t in results["tests"])
        for test in results["tests"]:
            assert set(test) <= GRADESCOPE_TEST
            assert {"name", "score", "max_score", "output"} <= set(test)
            assert test["status"] in ("passed", "failed")
            assert isinstance(test["output"], str) and isinstance(test["max_score"], int)


def test_the_csv_reads_back_one_row_per_student(report):
    rows = list(csv.DictReader(io.StringIO(reports.to_csv(report))))
    assert [row["submission"] for row in rows] == [s["submission"] for s in report["students"]]
    for row, student in zip(rows, report["students"]):
        assert int(row["score"]) == student["score"]
        assert [row[f] for f in report["functions"]] == [f["status"] for f in student["functions"]]


def test_the_class_summary_counts_passes_and_names_mistakes(report):
    summary = report["class"]
    assert summary["students"] == len(report["students"])
    for name in report["functions"]:
        assert summary["passes"][name] == sum(
            f["status"] == "pass" for s in report["students"] for f in s["functions"] if f["function"] == name)
    named = {m["mistake"] for m in summary["mistakes"]}
    assert "not implemented" in named


def test_markdown_feedback_is_written_per_student(report, tmp_path):
    written = reports.write(report, tmp_path)
    assert (tmp_path / "feedback" / "returns_nan.md").read_text().startswith("# returns_nan: 3 of 4")
    assert (tmp_path / "gradescope" / "returns_nan" / "results.json").exists()
    assert len(written) == 3 + 2 * len(report["students"])


# -- classic mistakes by name -----------------------------------------------------------------

@pytest.mark.parametrize("kind, function, mistake", [
    ("ceil", "crossover", "the ceiling of the break-even root"),
    ("c_plus_k", "graph_launches", "c + k for c + k - 1"),
    ("floats", "eager_launches", "float inexactness: a float is not the exact value"),
    ("asymptote_of_c", "asymptotic_speedup", "an asymptote that depends on c"),
    ("starter", "crossover", "not implemented"),
])
def test_a_classic_mistake_is_named(tmp_path, kind, function, mistake):
    (tmp_path / f"{kind}.py").write_text(CORRECT + MISTAKES[kind])
    result = grade(tmp_path / f"{kind}.py", lab_spec(), OPTIONS)
    found = {f.function: f.mistake for f in result.functions}
    assert found[function] == mistake


def test_the_smallest_failing_call_is_reported_with_both_values(tmp_path):
    (tmp_path / "ceil.py").write_text(CORRECT + MISTAKES["ceil"])
    result = grade(tmp_path / "ceil.py", lab_spec(), OPTIONS)
    text = feedback(result, "crossover")
    assert text.startswith("crossover(2) returned 1, expected 2\n"
                           "call 1: graph 2 >= eager 2; call 2: graph 3 < eager 4")


# -- shards, merging, determinism, the command line ---------------------------------------------

def test_a_shard_is_a_deterministic_slice():
    paths = [f"s{i}.py" for i in range(10)]
    slices = [select(paths, (i, 3)) for i in (1, 2, 3)]
    assert sorted(p for s in slices for p in s) == sorted(Path(p) for p in paths)
    assert select(list(reversed(paths)), (2, 3)) == slices[1]
    with pytest.raises(ValueError, match=r"--shard takes I/N with 1 <= I <= N, e.g. 2/4; got '4/3'"):
        parse_shard("4/3")


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    directory = tmp_path_factory.mktemp("small")
    for name in ("ok", "ceil", "c_plus_k"):
        (directory / f"{name}.py").write_text(CORRECT + MISTAKES.get(name, ""))
    (directory / "exits.py").write_text(CORRECT + HOSTILE["exit0_in_function"])
    return sorted(str(p) for p in directory.iterdir())


def _grade(argv, capsys):
    code = main(["grade", *argv, "--quiet", "--examples", "60", "--timeout", "1"])
    return code, capsys.readouterr()


def test_the_same_class_gives_byte_identical_reports(small_class, capsys, tmp_path):
    first = _grade([*small_class, "--format", "json", "--out", str(tmp_path / "a")], capsys)
    second = _grade([*small_class, "--format", "json", "--out", str(tmp_path / "b")], capsys)
    assert first[0] == second[0] == 1
    assert first[1].out == second[1].out
    for name in ("grades.json", "grades.csv", "summary.md", "feedback/ceil.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_shards_merge_into_the_whole_report(small_class, capsys, tmp_path):
    whole = _grade([*small_class, "--format", "json"], capsys)[1].out
    for i in (1, 2):
        out = _grade([*small_class, "--format", "json", "--shard", f"{i}/2"], capsys)[1].out
        (tmp_path / f"{i}.json").write_text(out)
    merged = main(["grade", "--merge", str(tmp_path / "1.json"), str(tmp_path / "2.json"), "--format", "json"])
    assert merged == 1
    assert capsys.readouterr().out == whole


def test_merging_a_student_twice_is_refused(small_class, capsys, tmp_path):
    out = _grade([*small_class, "--format", "json", "--shard", "1/2"], capsys)[1].out
    (tmp_path / "1.json").write_text(out)
    assert main(["grade", "--merge", str(tmp_path / "1.json"), str(tmp_path / "1.json")]) == 2
    assert "a student is in two reports" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["grade"], "derive grade needs at least one SUBMISSION"),
    (["grade", "nope.py"], "submission 'nope.py' does not exist"),
    (["grade", "x.py", "--shard", "0/2"], "--shard takes I/N"),
    (["grade", "x.py", "--workers", "0"], "--workers must be a number > 0"),
])
def test_bad_grade_arguments_are_one_line_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.py").write_text(CORRECT)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_command_runs_as_a_program_with_a_progress_line(small_class, tmp_path):
    done = subprocess.run([sys.executable, "-m", "derive", "grade", *small_class, "--format", "csv",
                           "--examples", "40"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "grade: 4/4" in done.stderr and "submissions/s ETA" in done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["submission"], r["score"]) for r in rows] == [
        ("c_plus_k", "3"), ("ceil", "3"), ("exits", "3"), ("ok", "4")]


def test_the_command_lines_formats_are_the_reports():
    from derive.cli import _GRADE_FORMATS

    assert sorted(_GRADE_FORMATS) == sorted(reports.FORMATS)


def test_grading_is_refused_where_a_fork_bomb_could_not_be_bounded(tmp_path, monkeypatch, capsys):
    import derive.conformance.sandbox as sandbox

    (tmp_path / "x.py").write_text(CORRECT)
    monkeypatch.setattr(sandbox, "isolation", lambda: (False, "namespaces unavailable: test"))
    monkeypatch.setattr(sandbox, "can_drop", lambda: False)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert main(["grade", str(tmp_path / "x.py"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "the process limit would not bind" in err and "--allow-unbounded" in err
    assert err.count("\n") == 1


def test_a_ceiling_inside_the_case_split_is_not_named_the_root_itself(tmp_path):
    """ceil((c - 1)/(n - 1)) behind the case c < 1 agrees with the bare root at every whole
    root, where it fails; the calls it passes (c = 3/2, …) tell the two apart, so the grader
    sees enough of them before it names anything, and never names the wrong form."""
    source = CORRECT + '''
def crossover(num_ops, capture_cost_ops=None):
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if c < 1:
        return 1
    if num_ops > 1:
        return math.ceil((c - 1) / (num_ops - 1))
    return None
'''
    (tmp_path / "cases.py").write_text(source)
    result = grade(tmp_path / "cases.py", lab_spec(), OPTIONS)
    (crossover,) = [f for f in result.functions if f.function == "crossover"]
    assert crossover.status == "fail"
    assert "itself" not in crossover.mistake
