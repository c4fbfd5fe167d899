"""derive.measure.harness: one run of everything, its JSON and text, the unit read back, the CLI.

Timings are checked with fake clocks (exact) or by orderings of real workloads, never
against a timed threshold. The GPU path is driven by a fake torch whose costs are
known (:mod:`tests.measure.measuring`): it checks how ``measure`` drives it and what it
reports, not what a real GPU does (that path is not yet run on hardware). The parts
have their own tests: ``test_cpu_runs``, ``test_cuda_runs``, ``test_calibration``.
"""

import importlib
import io
import json
import subprocess
import sys
from fractions import Fraction
from functools import partial

import pytest

from derive.cli import main
from derive.measure import harness as measure_module
from derive.measure.harness import (
    format_text,
    load_unit_us,
    measure,
    progress_printer,
)
from tests.measure.measuring import TINY, FakeTorch, steady_clock

HOMES = ("derive.measure.cpu", "derive.measure.cuda", "derive.measure.calibration")

TOP_KEYS = {"unit_us", "unit_source", "python_call_us", "call_stack_300_us", "torch_op_us",
            "cuda", "notes", "timings", "settings", "machine"}
TIMING_KEYS = {"median_us", "q1_us", "q3_us", "min_us", "max_us", "repeat", "number"}


# -- the front door: names that moved out are still here --------------------------------

@pytest.mark.parametrize("home", HOMES)
def test_measure_re_exports_the_public_names_of_its_parts(home):
    module = importlib.import_module(home)
    for name in module.__all__:
        assert name in measure_module.__all__
        assert getattr(measure_module, name) is getattr(module, name)


def test_import_derive_and_the_unit_loader_load_neither_sympy_nor_torch():
    code = ("import sys, derive; derive.load_unit_us; "
            "print('sympy' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- measure(): everything, the unit, the JSON ----------------------------------------

def test_measure_reports_progress_before_each_step_and_when_done():
    calls = []
    measure(settings=TINY, progress=lambda *args: calls.append(args))
    assert [(step, total) for step, total, _ in calls] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert calls[-1][2] == "done"


def test_measure_json_keys_and_unit(monkeypatch):
    result = measure(settings=TINY, clock=steady_clock(100_000))
    data = result.as_dict()
    assert set(data) == TOP_KEYS
    assert data["cuda"] is None and "not requested" in data["notes"]["cuda"]
    assert set(data["timings"]["python_call_us"]) == TIMING_KEYS
    assert data["settings"]["mode"] == "custom" and data["settings"]["repeat"] == 3
    if data["torch_op_us"] is None:                 # torch not installed here
        assert data["unit_source"] == "python_call_us"
    else:
        assert data["unit_source"] == "torch_op_us"
    assert data["unit_us"] == data[data["unit_source"]] == 100.0
    assert json.loads(json.dumps(data)) == data      # plain JSON, no Fractions left


def test_measure_without_torch_falls_back_to_a_python_call(no_torch):
    result = measure(settings=TINY, cuda=True)
    data = result.as_dict()
    assert data["torch_op_us"] is None and data["timings"]["torch_op_us"] is None
    assert data["unit_source"] == "python_call_us"
    assert data["unit_us"] == data["python_call_us"]
    assert data["notes"]["torch_op_us"] == "torch is not installed (pip install 'derive[measure]')"
    assert data["cuda"] is None and data["notes"]["cuda"].startswith("torch is not installed")
    assert data["machine"]["torch"] is None
    text = format_text(result)
    assert "torch.mm 4x4 on the CPU     not measured: torch is not installed" in text
    assert "from python_call_us" in text


def test_measure_cuda_without_a_device_says_why(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", FakeTorch(device=False))
    data = measure(settings=TINY, cuda=True).as_dict()
    assert data["cuda"] is None
    assert data["notes"]["cuda"] == "no CUDA device: torch.cuda.is_available() is False (torch 0.fake)"


def test_progress_printer_writes_lines_off_a_terminal():
    stream = io.StringIO()
    report = progress_printer(stream)
    report(0, 2, "first")
    report(1, 2, "second")
    report(2, 2, "done")
    assert stream.getvalue() == ("derive measure: [1/2] first ...\n"
                                 "derive measure: [2/2] second ...\n")


def test_progress_printer_overwrites_on_a_terminal_and_clears_at_the_end():
    stream = io.StringIO()
    stream.isatty = lambda: True
    report = progress_printer(stream)
    report(0, 2, "a longer label")
    report(1, 2, "short")
    report(2, 2, "done")
    first = "derive measure: [1/2] a longer label ..."
    assert stream.getvalue() == ("\r" + first
                                 + "\r" + "derive measure: [2/2] short ...".ljust(len(first))
                                 + "\r" + " " * len(first) + "\r")


def test_measure_with_a_gpu_uses_the_kernel_launch_as_the_unit(fake_gpu):
    calls = []
    result = measure(settings=TINY, cuda=True, clock=fake_gpu.moving_clock,
                     progress=lambda *args: calls.append(args))
    data = result.as_dict()
    assert data["unit_source"] == "cuda.kernel_launch_us"
    assert data["unit_us"] == data["cuda"]["kernel_launch_us"] == float(result.cuda.launch.median)
    assert [c["num_ops"] for c in data["cuda"]["chains"]] == [3, 30]
    assert data["machine"]["torch"] == "0.fake" and "cuda" not in data["notes"]
    assert [(step, total) for step, total, _ in calls] == [(i, 6) for i in range(7)]
    text = format_text(result)
    assert "CUDA on Fake GPU" in text and "not yet validated on hardware" in text


def test_a_cuda_error_becomes_a_note_not_a_traceback(fake_gpu, monkeypatch):
    def refuse(graph):
        raise RuntimeError("CUDA error: operation not permitted when stream is capturing\nmore")
    monkeypatch.setattr(fake_gpu.cuda, "graph", refuse)
    result = measure(settings=TINY, cuda=True, clock=fake_gpu.moving_clock)
    assert result.cuda is None
    assert result.cuda_note == ("the CUDA run failed: CUDA error: operation not permitted "
                                "when stream is capturing")
    assert result.unit[1] == "torch_op_us"



# -- the unit for other commands ---------------------------------------------------------

def test_load_unit_from_numbers_and_text():
    assert load_unit_us(3) == 3 and load_unit_us(Fraction(1, 3)) == Fraction(1, 3)
    assert load_unit_us(0.1) == Fraction(0.1)                   # a float, taken exactly
    assert load_unit_us(" 4.2 ") == Fraction(21, 5)              # text, read as a decimal


def test_load_unit_from_a_measured_json_file(tmp_path, fake_gpu):
    data = measure(settings=TINY, cuda=True, clock=fake_gpu.moving_clock).as_dict()
    path = tmp_path / "measured.json"
    path.write_text(json.dumps(data))
    assert data["unit_source"] == "cuda.kernel_launch_us"
    assert load_unit_us(path) == load_unit_us(str(path)) == Fraction(repr(data["unit_us"]))


def test_a_python_call_unit_is_marked_and_refused_as_a_launch(tmp_path, no_torch):
    """Issue 14.5: without torch the unit is a no-op Python call, a hundred times below a
    launch; measure says it is a stand-in, and plot --unit-us FILE refuses it."""
    result = measure(settings=TINY)
    data = result.as_dict()
    assert data["unit_source"] == "python_call_us"
    assert data["notes"]["unit_us"].startswith("a stand-in, not a kernel launch")
    assert "from python_call_us: a stand-in, not a kernel launch" in format_text(result)
    path = tmp_path / "measured.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"is a no-op Python call .* give the number itself"):
        load_unit_us(path)
    assert main(["plot", "--unit-us", str(path), "--out", str(tmp_path / "p.png")]) == 2
    assert not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("content, message", [
    ('{"python_call_us": 1}', r"has no unit_us: write it with derive measure --format json"),
    ('{"unit_us": null}', r"unit_us in .* must be a number > 0, got None"),
    ('{"unit_us": -2.5}', r"unit_us in .* must be a number > 0, got Fraction\(-5, 2\)"),
    ('{"unit_us": true}', r"unit_us in .* must be a number > 0, got True"),
    ('[1, 2]', r"has no unit_us"),
    ('{"unit_us": ', r"is not JSON \(Expecting value, line 1\)"),
    ('{"unit_us": 1e1000000000}', r"^a number in .*bad.json: the number 1e1000000000 is too large or "
                                  r"too small: a number may have at most 100 digits, its exponent included$"),
    ('{"unit_us": 1' + '0' * 200 + '}', r"^a number in .*bad.json: the number 10000000000000000000… has 201 "
                                       r"digits; the limit is 100$"),
    ('{"unit_us": 2e9}', r"^unit_us must be > 0 and <= 1000000000 µs, got 2000000000 \(in .*bad.json\)$"),
], ids=["missing", "null", "negative", "bool", "list", "broken", "huge-exponent", "many-digits",
        "above-range"])
def test_load_unit_rejects_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_unit_us(path)


@pytest.mark.parametrize("source, error, message", [
    ("0", ValueError, r"unit_us must be > 0, got '0'"),
    ("-1.5", ValueError, r"unit_us must be > 0, got '-1.5'"),
    ("fast", ValueError, r"unit_us must be a number > 0 or the path of a derive measure JSON file, got 'fast'"),
    ("nan", ValueError, r"or the path of a derive measure JSON file, got 'nan'"),
    (float("inf"), ValueError, r"unit_us must be finite and > 0, got inf"),
    (0, ValueError, r"unit_us must be > 0, got 0"),
    (True, TypeError, r"unit_us must be a number > 0 or the path .*got bool True"),
    (None, TypeError, r"got NoneType None"),
    ("1e400", ValueError, r"^unit_us: the number 1e400 is too large or too small: a number may have "
                          r"at most 100 digits, its exponent included$"),
    ("1e1000000000", ValueError, r"^unit_us: the number 1e1000000000 is too large or too small"),
    ("1" * 101, ValueError, r"^unit_us: the number 11111111111111111111… has 101 digits; the limit is 100$"),
    ("1e10", ValueError, r"^unit_us must be > 0 and <= 1000000000 µs, got 1e10$"),
    (1e300, ValueError, r"^unit_us must be > 0 and <= 1000000000 µs, got 1e\+300$"),
    (10**9 + 1, ValueError, r"^unit_us must be > 0 and <= 1000000000 µs, got 1000000001$"),
], ids=["zero-text", "negative-text", "word", "nan-text", "inf", "zero", "bool", "none", "exponent-400",
        "exponent-billion", "many-digits", "above-range-text", "above-range-float", "above-range-int"])
def test_load_unit_rejects_bad_values(source, error, message):
    with pytest.raises(error, match=message):
        load_unit_us(source)


# -- the command line: derive measure ----------------------------------------------------

@pytest.fixture
def tiny_quick(monkeypatch):
    """--quick measures with TINY settings, so that the command-line tests stay fast."""
    monkeypatch.setattr(measure_module, "QUICK", TINY)


def test_cli_measure_json(capsys, tiny_quick):
    code = main(["measure", "--quick", "--format", "json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 0 and set(data) == TOP_KEYS
    assert data["settings"]["mode"] == "quick" and data["cuda"] is None
    assert err.splitlines() == ["derive measure: [1/3] no-op Python call ...",
                                "derive measure: [2/3] Python call stack 300 deep ...",
                                "derive measure: [3/3] torch.mm 4x4 on the CPU ..."]


def test_cli_measure_text(capsys, tiny_quick):
    code = main(["measure", "--quick"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith("derive measure (quick): what a launch costs on this machine")
    assert "call stack 300 deep" in out and "unit: 1 launch = " in out


def test_cli_measure_cuda_with_the_fake_gpu(capsys, tiny_quick, fake_gpu, monkeypatch):
    monkeypatch.setattr(measure_module, "measure", partial(measure, clock=fake_gpu.moving_clock))
    code = main(["measure", "--quick", "--cuda", "--format", "json"])
    data = json.loads(capsys.readouterr()[0])
    assert code == 0 and data["unit_source"] == "cuda.kernel_launch_us"
    assert [chain["crossover"]["lab"] for chain in data["cuda"]["chains"]] == [2, 2]


def test_cli_measure_cuda_without_a_device_is_null(capsys, tiny_quick, no_torch):
    code = main(["measure", "--quick", "--cuda", "--format", "json"])
    data = json.loads(capsys.readouterr()[0])
    assert code == 0 and data["cuda"] is None
    assert data["notes"]["cuda"].startswith("torch is not installed")


def test_cli_measure_bad_format_is_one_line_and_exit_2(capsys):
    code = main(["measure", "--format", "xml"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "invalid choice: 'xml'" in err
