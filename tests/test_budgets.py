"""Budgets and short error lines: every command bounded, every echoed value cut (issue 17)."""

import io
import os

import pytest

from derive.cli import main
from derive.limits import BUDGETS, MAX_FILE, MAX_PARAMETERS, read_file

HUGE = "x" * 1_000_000


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_short_line(err):
    assert err.startswith("derive: error: ") and err.count("\n") == 1, err[:500]
    assert len(err) <= 300, err[:500]


# -- error lines: short, and naming their source ----------------------------------------

SHORT = [
    ("show model name", ["show", HUGE], "unknown model 'xxxxxxxxxxxxxxxxxxx… (1000002 characters)"),
    ("check quantity", ["check", HUGE, "2"], "quantity must be one of"),
    ("prove name", ["prove", HUGE], "unknown theorem 'xxxxxxxxxxxxxxxxxxx… (1000002 characters)"),
    ("check --model", ["check", "crossover", "2", "--model", HUGE], "unknown model 'xxx"),
    ("steps --model", ["steps", "-", "--model", HUGE], "unknown model 'xxx"),
    ("--count", ["exercises", "--count", HUGE], "argument --count: invalid int value: 'xxx"),
    ("--seed", ["exercises", "--seed", HUGE], "argument --seed: invalid int value: 'xxx"),
    ("--kmax", ["plot", "--kmax", HUGE], "argument --kmax: invalid int value: 'xxx"),
    ("--set text", ["show", "--set", HUGE], "--set takes NAME=EXPR"),
    ("--set value", ["check", "crossover", "2", "--set", "c=" + "n+" * 3000 + "n"], "--set c=n+n+"),
    ("--set name", ["check", "crossover", "2", "--set", "c=x"], "--set c=x: unknown name 'x'"),
    ("--set domain", ["show", "--set", "n=0"], "--set n must be integer >= 1, got 0"),
    ("--set unknown", ["show", "--set", "q=1"], "--set q=1: model cuda-graph has no parameter 'q'"),
    ("--assume check", ["check", "crossover", "2", "--assume", "x > 1"], "--assume 'x > 1': unknown name 'x'"),
    ("--assume show", ["show", "--baseline", "k*a", "--amortized", "b + k", "--assume", "a >= x"],
     "--assume 'a >= x': the bound must be a number"),
    ("--assume long", ["check", "crossover", "2", "--assume", "n >= " + "9" * 100_000], "--assume 'n >= 999"),
    ("choice", ["check", "crossover", "2", "--format", HUGE], "argument --format: invalid choice: 'xxx"),
    ("command", [HUGE], "argument COMMAND: invalid choice: 'xxx"),
]


@pytest.mark.parametrize("argv, message", [case[1:] for case in SHORT], ids=[case[0] for case in SHORT])
def test_every_error_is_one_short_line_naming_its_source(capsys, monkeypatch, argv, message):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"k > 1\nk > 0\n")))
    code, _, err = _run(capsys, *argv)
    assert code == 2
    _one_short_line(err)
    assert message in err


@pytest.mark.parametrize("key, value", [
    ("max_batch", '"' + HUGE + '"'), ("max_batch", "[" + ", ".join(["1"] * 100_000) + "]"),
    ("traffic", '"' + HUGE + '"'), ("t_gpu", "[" + ", ".join(["1"] * 100_000) + "]"),
    ("n", "9" * 400), ("steps", '"' + HUGE[:300_000] + '"'),
])
def test_a_huge_config_value_comes_back_short(tmp_path, capsys, key, value):
    from tests.ladder.test_ladder import EXAMPLE_TEXT

    lines = [line for line in EXAMPLE_TEXT.splitlines() if not line.startswith(f"{key} =")]
    path = tmp_path / "ladder.toml"
    path.write_text(f"{key} = {value}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = _run(capsys, "ladder", "--config", str(path))
    assert code == 2
    _one_short_line(err)
    assert f"ladder.toml: {key}" in err


# -- files: regular, bounded --------------------------------------------------------------

def test_special_and_large_files_are_refused_before_reading(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE + 1))
    for path, reason in [("/dev/zero", "is not a regular file"), (fifo, "is not a regular file"),
                         (tmp_path, "is not a regular file"), (big, f"is longer than {MAX_FILE} bytes"),
                         (tmp_path / "none.toml", "no such file")]:
        code, _, err = _run(capsys, "ladder", "--config", str(path))
        assert code == 2 and reason in err
        _one_short_line(err)
    code, _, err = _run(capsys, "steps", str(fifo))
    assert code == 2 and "the derivation" in err and "is not a regular file" in err
    code, _, err = _run(capsys, "plot", "--unit-us", str(fifo), "--out", str(tmp_path / "p.png"))
    assert code == 2 and ("is not a regular file" in err or "unit_us must be" in err)


def test_read_file_reads_a_regular_file_up_to_its_limit(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert read_file(path, "the file") == b"abc"
    assert read_file(path, "the file", limit=3) == b"abc"
    with pytest.raises(ValueError, match=r"^the file \S+/f is longer than 2 bytes$"):
        read_file(path, "the file", limit=2)
    with pytest.raises(TypeError, match="the file must be a path, got object"):
        read_file(object(), "the file")


# -- time: budgets and caps ---------------------------------------------------------------

def test_a_custom_model_has_at_most_so_many_parameters(capsys):
    names = [f"v{i}" for i in range(MAX_PARAMETERS + 1)]
    code, _, err = _run(capsys, "show", "--baseline", "k*t", "--amortized", f"k*({'+'.join(names)})")
    assert code == 2
    _one_short_line(err)
    assert f"at most {MAX_PARAMETERS} parameters, got {MAX_PARAMETERS + 2}" in err


def test_show_gives_up_at_its_budget_with_one_line(capsys):
    names = [f"v{i}" for i in range(MAX_PARAMETERS - 1)]         # under the cap: about a second
    code, _, err = _run(capsys, "show", "--baseline", "k*t", "--amortized", f"k*({'+'.join(names)})",
                        "--seconds", "0.01")
    assert code == 2
    _one_short_line(err)
    assert "derive show gave up after 0.01 s, its time budget" in err


def test_steps_reports_the_steps_left_undecided_when_the_file_deadline_passes(tmp_path, capsys):
    path = tmp_path / "hard.txt"
    path.write_text("(n*k - c)^3 > (c*k - n)^2\nn*k > c\n" * 100, encoding="utf-8")
    code, out, err = _run(capsys, "steps", str(path), "--seconds", "0.5")
    assert err == "" and code in (1, 3)
    assert "undecided: not checked, the 0.5 s for the whole derivation ran out" in out
    left = out.count("not checked, the 0.5 s")
    assert left > 100 and f"{left} of 199 steps were not checked" in out


@pytest.mark.parametrize("seconds", ["0", "-1", "nan", "inf", "601", "x" * 5000])
def test_seconds_must_be_positive_and_bounded(capsys, seconds):
    for command in (["show"], ["steps", "-"]):
        code, _, err = _run(capsys, *command, "--seconds", seconds)
        assert code == 2 and "--seconds must be a number > 0 and <= 600" in err
        _one_short_line(err)


def test_check_steps_validates_its_total_seconds():
    from derive.checker.steps import check_steps

    for bad in (0, -1, True, "5", 10**6):
        with pytest.raises(ValueError, match="total_seconds must be a number > 0 and <= 3600"):
            check_steps("k > 1\nk > 0", total_seconds=bad)
    assert check_steps("k > 1\nk > 0", total_seconds=None).verdict == "valid"


def test_every_budgeted_command_exists():
    from derive.cli import _COMMANDS

    names = {add.__name__.removeprefix("_add_") for add in _COMMANDS} | {"lab"}
    assert set(BUDGETS) <= names and all(seconds > 0 for seconds in BUDGETS.values())
