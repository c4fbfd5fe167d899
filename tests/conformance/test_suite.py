"""Tests of derive.conformance.suite and ``derive verify``: verdicts on right and wrong implementations.

Each implementation below is written out as a student would hand it in, then imported from
a temporary file. The wrong ones are the correct one with one function replaced (a later
``def`` wins), so that each verdict can be traced to the single mistake it contains.
"""

import json
import math
import os
import signal
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given

from derive.cli import main
from derive.conformance import suite as conformance
from derive.conformance.suite import (
    FAIL,
    MISSING,
    NOT_DEFINED,
    PASS,
    TIMEOUT,
    conforms,
    first_winning_call,
    load_target,
    report_json,
    report_text,
    verify,
    verify_function,
)
from derive.engine.derivation import derive
from derive.strategies import lab_arguments
from tests.oracle import first_win_by_walking

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 40

CORRECT = '''
import math
import os
from fractions import Fraction

def eager_launches(num_ops, k):
    return num_ops * k

def graph_launches(num_ops, k, capture_cost_ops=None):
    if capture_cost_ops is None:
        capture_cost_ops = num_ops
    return capture_cost_ops + k - 1

def crossover(num_ops, capture_cost_ops=None):
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if c < 1 else None
    return max(1, math.floor((c - 1) / (num_ops - 1)) + 1)

def asymptotic_speedup(num_ops, capture_cost_ops=None):
    return num_ops
'''

REPLACED = {
    "ceil": '''
def crossover(num_ops, capture_cost_ops=None):
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if c < 1 else None
    return max(1, math.ceil((c - 1) / (num_ops - 1)))
''',
    "c_plus_k": '''
def graph_launches(num_ops, k, capture_cost_ops=None):
    return (num_ops if capture_cost_ops is None else capture_cost_ops) + k
''',
    "asymptote_of_c": '''
def asymptotic_speedup(num_ops, capture_cost_ops=None):
    c = num_ops if capture_cost_ops is None else capture_cost_ops
    return Fraction(num_ops * num_ops) / c
''',
    "floats": '''
def eager_launches(num_ops, k):
    return float(num_ops * k)

def per_call_ratio(num_ops, k, capture_cost_ops=None):
    return eager_launches(num_ops, k) / graph_launches(num_ops, k, capture_cost_ops)
''',
    "floats_when_exact": '''
def eager_launches(num_ops, k):
    total = num_ops * k
    return float(total) if total < 2**53 else total
''',
    "divides_by_zero": '''
def crossover(num_ops, capture_cost_ops=None):
    c = num_ops if capture_cost_ops is None else capture_cost_ops
    return max(1, (c - 1) // (num_ops - 1) + 1)
''',
    "loops": '''
def crossover(num_ops, capture_cost_ops=None):
    while True:
        pass
''',
    "walks": '''
def crossover(num_ops, capture_cost_ops=None):
    c = num_ops if capture_cost_ops is None else capture_cost_ops
    if num_ops == 1:
        return 1 if c < 1 else None
    k = 1
    while c + k - 1 >= k * num_ops:
        k += 1
    return k
''',
    "starter_signature": '''
def asymptotic_speedup(num_ops):
    return num_ops
''',
    "inf_for_never": '''
_right = crossover
def crossover(num_ops, capture_cost_ops=None):
    first = _right(num_ops, capture_cost_ops)
    return math.inf if first is None else first
''',
    "bool_for_one": '''
_right = crossover
def crossover(num_ops, capture_cost_ops=None):
    first = _right(num_ops, capture_cost_ops)
    return True if first == 1 else first
''',
    "flaky": '''
_calls = [0]
def eager_launches(num_ops, k):
    _calls[0] += 1
    return num_ops * k + (_calls[0] % 7 == 0)
''',
    "missing": '''
del eager_launches
crossover = 2
''',
    "noisy": '''
print("hello from the student's module")
_right = graph_launches
def graph_launches(num_ops, k, capture_cost_ops=None):
    print("computing", num_ops, k)
    return _right(num_ops, k, capture_cost_ops)
''',
}


@pytest.fixture(scope="module")
def impl_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("impls")
    (directory / "correct.py").write_text(CORRECT)
    for name, replacement in REPLACED.items():
        (directory / f"{name}.py").write_text(CORRECT + replacement)
    return directory


@pytest.fixture(scope="module")
def impl(impl_dir):
    """``impl(name)``: the module of that implementation, imported once."""
    cache = {}

    def load(name):
        if name not in cache:
            cache[name] = load_target(str(impl_dir / f"{name}.py"))
        return cache[name]

    return load


def check(impl, name, function, **options):
    return verify_function(impl(name), function, examples=options.pop("examples", EXAMPLES), **options)


# -- right implementations pass ----------------------------------------------------------

def test_a_correct_implementation_conforms(impl_dir):
    report = verify(str(impl_dir / "correct.py"), examples=EXAMPLES)
    assert report.passed
    assert [(v.function, v.status) for v in report.verdicts] == [
        ("eager_launches", PASS), ("graph_launches", PASS), ("crossover", PASS),
        ("asymptotic_speedup", PASS), ("per_call_ratio", NOT_DEFINED)]
    assert all(v.examples == EXAMPLES for v in report.verdicts[:4])


def test_the_example_implementation_for_users_conforms_fully():
    report = verify(str(ROOT / "examples" / "lab_impl.py"), examples=EXAMPLES)
    assert [v.status for v in report.verdicts] == [PASS] * 5


def test_the_projects_own_numeric_module_conforms():
    import derive.numeric

    assert verify(derive.numeric, examples=EXAMPLES).passed


@pytest.mark.parametrize("name, function", [
    ("floats_when_exact", "eager_launches"),
    ("inf_for_never", "crossover"),
])
def test_other_spellings_of_the_exact_answer_pass(impl, name, function):
    assert check(impl, name, function).status == PASS


def test_a_starter_asymptote_without_capture_cost_is_called_without_it(impl):
    verdict = check(impl, "starter_signature", "asymptotic_speedup")
    assert verdict.status == PASS
    assert verdict.note == "called without capture_cost_ops: it takes no such argument"


# -- wrong implementations fail, at their minimal example -----------------------------------

def test_ceil_of_the_root_fails_at_the_lab_default_with_two_ops(impl):
    verdict = check(impl, "ceil", "crossover")
    example = verdict.counterexample
    assert verdict.status == FAIL
    assert (example.call, example.expected, example.got) == ("crossover(2)", 2, 1)
    assert example.arguments == {"num_ops": "2"}
    assert example.explanation == "call 1: graph 2 >= eager 2; call 2: graph 3 < eager 4"


def test_ceil_of_the_root_is_wrong_only_on_ties(impl):
    """The other functions of the same module are untouched by the mistake."""
    for function in ("eager_launches", "graph_launches", "asymptotic_speedup"):
        assert check(impl, "ceil", function).status == PASS


def test_c_plus_k_fails_at_the_very_first_call(impl):
    example = check(impl, "c_plus_k", "graph_launches").counterexample
    assert (example.call, example.expected, example.got) == ("graph_launches(1, 1)", 1, 2)


def test_an_asymptote_that_depends_on_c_fails_where_c_is_not_n(impl):
    verdict = check(impl, "asymptote_of_c", "asymptotic_speedup")
    example = verdict.counterexample
    n = int(example.arguments["num_ops"])
    c = Fraction(example.arguments["capture_cost_ops"])
    assert verdict.status == FAIL
    assert example.expected == n and example.got == Fraction(n * n) / c != n
    assert n <= 2 and c <= 2                       # shrunk to a small example


def test_floats_fail_where_they_stop_being_exact(impl):
    eager = check(impl, "floats", "eager_launches").counterexample
    assert eager.expected == 2**53 + 1             # the least integer a float cannot hold
    assert eager.got == float(2**53 + 1) and isinstance(eager.got, float)
    ratio = check(impl, "floats", "per_call_ratio").counterexample
    assert ratio.call == "per_call_ratio(2, 2)"
    assert (ratio.expected, ratio.got) == (Fraction(4, 3), 4 / 3)


def test_an_exception_is_the_answer_of_a_failing_call(impl):
    example = check(impl, "divides_by_zero", "crossover").counterexample
    assert example.call == "crossover(1)" and example.expected is None
    assert example.error.startswith("raised ZeroDivisionError")


def test_true_is_not_the_number_one(impl):
    example = check(impl, "bool_for_one", "crossover").counterexample
    assert example.expected == 1 and example.got is True


def test_a_function_giving_different_answers_is_flaky_and_fails(impl):
    verdict = check(impl, "flaky", "eager_launches")
    assert verdict.status == FAIL
    assert "flaky" in verdict.note


def test_missing_and_non_callable_functions_are_reported_not_crashed(impl):
    report = verify(impl("missing"), examples=EXAMPLES)
    statuses = {v.function: (v.status, v.note) for v in report.verdicts}
    assert statuses["eager_launches"] == (MISSING, "missing: the target does not define it")
    assert statuses["crossover"] == (MISSING, "missing: crossover is a int, not a function")
    assert statuses["graph_launches"][0] == PASS
    assert statuses["per_call_ratio"][0] == NOT_DEFINED
    assert not report.passed


# -- hanging implementations ----------------------------------------------------------------

def test_a_loop_is_stopped_by_the_timeout_and_reported(impl):
    before = signal.getsignal(signal.SIGALRM)
    verdict = check(impl, "loops", "crossover", timeout=0.2)
    assert verdict.status == TIMEOUT
    assert verdict.counterexample.error == "did not return within 0.2 s"
    assert verdict.examples == 1                   # stopped at once, not shrunk
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_walking_k_upward_is_right_but_too_slow_for_huge_costs(impl):
    verdict = check(impl, "walks", "crossover", timeout=0.2)
    assert verdict.status == TIMEOUT
    assert verdict.counterexample.expected > 10**6


# -- the oracles ---------------------------------------------------------------------------

ENGINE_CROSSOVER = derive("cuda-graph").function("crossover")     # compiled once, not per example


@given(lab_arguments(max_value=60))
def test_both_oracles_agree_with_the_tests_own_walk(a):
    c = a.num_ops if a.capture_cost_ops is None else a.capture_cost_ops
    walked = first_win_by_walking(a.num_ops, c, 10**4)
    assert ENGINE_CROSSOVER(a.num_ops, c) == walked
    assert first_winning_call(a.num_ops, c, 10**4) == walked


@pytest.mark.parametrize("n, c, first", [
    (30, 90, 4), (30, 30, 2), (2, 2, 2), (2, Fraction(5, 2), 2), (3, 1, 1),
    (1, Fraction(1, 2), 1), (1, 1, None), (5, Fraction(1, 3), 1), (2, 10, 10),
])
def test_the_brute_force_by_hand(n, c, first):
    assert first_winning_call(n, c, 1000) == first


def test_an_oracle_disagreement_is_derives_bug_not_the_targets(impl, monkeypatch):
    for wrong_answer in (99, 3, None):
        wrong = dict(conformance._engine(), crossover=lambda n, c: wrong_answer)
        monkeypatch.setattr(conformance, "_engine", lambda: wrong)
        with pytest.raises(RuntimeError, match=f"engine crossover {wrong_answer} != brute force"):
            check(impl, "correct", "crossover")


@pytest.mark.parametrize("expected, got, same", [
    (2, 2, True), (2, Fraction(2), True), (2, 2.0, True), (Fraction(5, 2), 2.5, True),
    (None, None, True), (None, math.inf, True),
    (Fraction(1, 3), 1 / 3, False), (10**31, float(10**31), False), (1, True, False),
    (2, "2", False), (None, 0, False), (2, None, False), (None, -math.inf, False),
    (2, math.nan, False),
], ids=lambda v: repr(v))
def test_conforms_is_exact(expected, got, same):
    assert conforms(expected, got) is same


# -- loading targets -------------------------------------------------------------------------

def test_a_target_by_module_name_is_found_in_the_current_directory(impl_dir, monkeypatch):
    monkeypatch.chdir(impl_dir)
    path_before = list(sys.path)
    module = load_target("c_plus_k")
    assert module.graph_launches(1, 1) == 2
    assert sys.path == path_before
    monkeypatch.delitem(sys.modules, "c_plus_k")


@pytest.mark.parametrize("source, target, message", [
    (None, "no_such_file.py", r"target 'no_such_file.py' is not a file"),
    (None, "lab impl", r"target must be a module name or a path to a \.py file, got 'lab impl'"),
    (None, "", r"target must be a module name or a path to a \.py file, got ''"),
    (None, "no_such_module_xyz", r"cannot import target 'no_such_module_xyz': No module named"),
    ("def f(:\n", "broken.py", r"cannot import target 'broken.py': SyntaxError: .* \(line 1\)"),
    ("raise RuntimeError('boom')\n", "boom.py", r"cannot import target 'boom.py': RuntimeError: boom"),
    ("import sys\nsys.exit(3)\n", "exits.py", r"cannot import target 'exits.py': SystemExit: 3"),
    ("while True:\n    pass\n", "hang.py", r"^importing hang.py took longer than 0.3 s$"),
    ("while True:\n    pass\n", "hang_module", r"^importing hang_module took longer than 0.3 s$"),
    ("while True:\n    try:\n        pass\n    except Exception:\n        pass\n", "stubborn.py",
     r"^importing stubborn.py took longer than 0.3 s$"),
], ids=["missing file", "bad name", "empty", "no module", "syntax", "raises", "exits", "hangs",
        "module hangs", "hangs past except"])
def test_bad_targets_are_one_value_error(tmp_path, monkeypatch, source, target, message):
    monkeypatch.chdir(tmp_path)
    if source is not None:
        (tmp_path / (target if target.endswith(".py") else target + ".py")).write_text(source)
    with pytest.raises(ValueError, match=message):
        load_target(target, timeout=0.3)
    assert not any(name.endswith(("hang", "hang_module", "stubborn")) for name in sys.modules)


@pytest.mark.parametrize("call, message", [
    (lambda m: verify_function(m, "speedup"), r"function must be one of .*, got 'speedup'"),
    (lambda m: verify_function(m, "crossover", examples=0), r"examples must be an int >= 1, got 0"),
])
def test_bad_arguments(impl, call, message):
    with pytest.raises(ValueError, match=message):
        call(impl("correct"))


# -- reports ----------------------------------------------------------------------------------

def test_the_text_report_shows_marks_and_the_counterexample(impl_dir):
    text = report_text(verify(str(impl_dir / "ceil.py"), examples=EXAMPLES))
    lines = text.splitlines()
    assert lines[0] == (f"{impl_dir / 'ceil.py'}: 3 of 4 functions conform "
                        f"(up to {EXAMPLES} examples each, against derive's engine)")
    assert lines[3].split() == ["✗", "crossover", "crossover(2)", "returned", "1,", "expected", "2"]
    assert lines[-1].split() == ["-", "per_call_ratio", "not", "defined", "(optional)"]


def test_the_json_report_gives_exact_strings(impl):
    report = verify(impl("divides_by_zero"), examples=EXAMPLES)
    data = json.loads(report_json(report))
    assert data["passed"] is False and data["examples"] == EXAMPLES
    crossover = data["functions"][2]
    assert crossover["status"] == "fail"
    assert crossover["counterexample"]["expected"] == "never"
    assert crossover["counterexample"]["got"] is None
    assert crossover["counterexample"]["arguments"] == {"num_ops": "1"}


# -- the command line ------------------------------------------------------------------------

def test_cli_exit_codes(impl_dir, capsys):
    assert main(["verify", str(impl_dir / "correct.py"), "--examples", "20", "--quiet"]) == 0
    assert main(["verify", str(impl_dir / "c_plus_k.py"), "--examples", "20", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "graph_launches(1, 1) returned 2, expected 1" in out


@pytest.mark.parametrize("argv, message", [
    (["verify", "nope.py"], "derive: error: target 'nope.py' is not a file\n"),
    (["verify", "x.py", "--examples", "0"], None),
    (["verify", "x.py", "--timeout", "nan"], None),
    (["verify", "x.py", "--import-timeout", "0"], None),
    (["verify"], None),
])
def test_cli_bad_input_is_exit_2_and_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    if message is not None:
        assert err == message


def test_cli_a_hanging_import_is_exit_2_and_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hang.py").write_text("while True:\n    pass\n")
    assert main(["verify", "hang.py", "--import-timeout", "0.3", "--quiet"]) == 2
    assert capsys.readouterr().err == "derive: error: importing hang.py took longer than 0.3 s\n"


def test_cli_progress_goes_to_stderr_and_json_to_stdout(impl_dir, capsys):
    assert main(["verify", str(impl_dir / "noisy.py"), "--examples", "10", "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)                # the target's prints did not get in
    assert [f["status"] for f in data["functions"]] == ["pass"] * 4 + ["not_defined"]
    assert "verify: crossover pass" not in captured.err   # issue 14.9: no second table on stderr
    assert "computing" in captured.err                     # what the target prints goes there


def test_cli_progress_off_a_terminal_does_not_repeat_the_report(impl_dir, capsys):
    assert main(["verify", str(impl_dir / "correct.py"), "--examples", "5"]) == 0
    captured = capsys.readouterr()
    assert "conforms on 5 examples" in captured.out and captured.err == ""


def test_cli_verify_leaves_no_hypothesis_folder_behind(impl_dir, tmp_path):
    """Issue 14.9: verify left .hypothesis/ (hypothesis's constants cache) in the student's
    folder. In a process of its own, started there, as a student runs it."""
    import subprocess

    (tmp_path / "lab.py").write_text((impl_dir / "correct.py").read_text())
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    result = subprocess.run([sys.executable, "-m", "derive", "verify", "lab.py", "--examples", "5"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab.py"]
