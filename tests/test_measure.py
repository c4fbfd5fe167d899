"""derive.measure: the measurements, the model held against measured totals, the unit.

Timings are checked with fake clocks (exact) or by orderings of real workloads, never
against a timed threshold. The GPU path is driven by a fake torch whose costs are
known: it checks how ``cuda_runs`` drives torch and what it computes, not what a real
GPU does (that path is not yet run on hardware).
"""

import io
import json
import sys
from contextlib import contextmanager
from functools import partial
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import measure as measure_module
from derive.cli import main
from derive.measure import (
    Settings,
    call_stack_300_us,
    call_stack_us,
    compare_with_model,
    cuda_runs,
    fit_wall_clock,
    format_text,
    load_unit_us,
    measure,
    progress_printer,
    python_call_us,
    torch_op_us,
)
from derive.numeric import crossover
from derive.presets import gpu_launch_ratio

TINY = Settings(repeat=3, warmup=1, min_sample_ns=50_000, calls=6, trials=2, num_ops=(3, 30))

TOP_KEYS = {"unit_us", "unit_source", "python_call_us", "call_stack_300_us", "torch_op_us",
            "cuda", "notes", "timings", "settings", "machine"}
TIMING_KEYS = {"median_us", "q1_us", "q3_us", "min_us", "max_us", "repeat", "number"}


def steady_clock(step_ns):
    """A fake clock that moves ``step_ns`` between any two readings (keep ``step_ns``
    >= the settings' ``min_sample_ns``, or autorange never finds a long enough sample)."""
    now = [0]

    def clock():
        now[0] += step_ns
        return now[0]
    return clock


@pytest.fixture
def no_torch(monkeypatch):
    """As if torch were not installed: ``import torch`` raises ImportError."""
    monkeypatch.setitem(sys.modules, "torch", None)


# -- the CPU measurements ---------------------------------------------------------------

def test_python_call_with_a_fake_clock_is_exact_and_follows_the_settings():
    timing = python_call_us(TINY, clock=steady_clock(100_000))
    assert timing.number == 1                       # one call already lasts the 50 µs asked
    assert (timing.median, timing.repeat) == (Fraction(100), 3)


def test_call_stack_with_a_fake_clock_is_exact():
    timing = call_stack_300_us(TINY, clock=steady_clock(60_000))
    assert (timing.median, timing.number) == (Fraction(60), 1)


def test_a_300_deep_stack_measures_more_than_one_call():
    assert call_stack_300_us(TINY).median > python_call_us(TINY).median > 0


def test_a_deeper_stack_measures_more():
    assert call_stack_us(300, TINY).median > call_stack_us(2, TINY).median


@pytest.mark.parametrize("depth, error, message", [
    (0, ValueError, r"depth must be between 1 and \d+ \(half the recursion limit\), got 0"),
    (10**6, ValueError, r"depth must be between 1 and \d+ .*got 1000000"),
    (3.0, TypeError, r"depth must be an int >= 1, got float 3.0"),
    (True, TypeError, r"depth must be an int >= 1, got bool True"),
], ids=["zero", "too-deep", "float", "bool"])
def test_call_stack_rejects_bad_depths(depth, error, message):
    with pytest.raises(error, match=message):
        call_stack_us(depth, TINY)


def test_torch_op_is_none_without_torch(no_torch):
    assert torch_op_us(TINY) is None


def test_torch_op_measures_a_tiny_mm():
    pytest.importorskip("torch")
    timing = torch_op_us(TINY)
    assert timing.median > 0 and timing.repeat == 3
    assert torch_op_us(TINY, clock=steady_clock(60_000)).median == 60


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
    monkeypatch.setattr(measure_module, "_import_torch", lambda: FakeTorch(device=False))
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


# -- the model held against measured totals (pure) --------------------------------------

positive = st.fractions(min_value=Fraction(1, 1000), max_value=1000)


def wall_clock_totals(num_ops, t_launch, t_gpu, capture, calls):
    """Running totals of the wall-clock model, written out by hand."""
    eager = [k * (num_ops * t_launch + t_gpu) for k in range(1, calls + 1)]
    graph = [capture * t_launch + t_gpu + (k - 1) * (t_launch + t_gpu) for k in range(1, calls + 1)]
    return eager, graph


def first_win(eager, graph):
    """Brute force: walk k upward until the graph total is strictly below the eager one."""
    for k, (e, g) in enumerate(zip(eager, graph), start=1):
        if g < e:
            return k
    return None


@given(st.integers(2, 400), positive, positive, positive, st.integers(2, 40))
def test_synthetic_totals_are_fitted_exactly(num_ops, t_launch, t_gpu, capture, calls):
    eager, graph = wall_clock_totals(num_ops, t_launch, t_gpu, capture, calls)
    cmp = compare_with_model(num_ops, eager, graph)
    assert (cmp.fit.t_launch_us, cmp.fit.t_gpu_us, cmp.fit.capture_cost_ops) == (t_launch, t_gpu, capture)
    speedup = (num_ops * t_launch + t_gpu) / (t_launch + t_gpu)
    assert cmp.speedup == speedup and cmp.ceiling == num_ops
    assert cmp.gpu_to_launch == t_gpu / t_launch == (num_ops - speedup) / (speedup - 1)
    assert cmp.crossover_model == crossover(num_ops, capture)
    assert cmp.crossover_measured == first_win(eager, graph)
    if cmp.crossover_model <= calls:                # seen within the calls measured
        assert cmp.crossover_measured == cmp.crossover_model
    assert cmp.crossover_lab == crossover(num_ops) == 2
    assert cmp.deviation == 0
    assert cmp.ratio_wall_clock == cmp.ratio_measured == eager[-1] / graph[-1]
    assert cmp.ratio_launch == Fraction(calls * num_ops) / (capture + calls - 1)
    assert cmp.notes == ()


def test_noisy_totals_show_their_deviation_from_the_fit():
    eager, graph = wall_clock_totals(30, 5, 20, 90, 5)      # eager 170/call, graph 470 then 25
    eager[2] += 17                                          # call 3 took 10 % longer...
    eager[3] += 17                                          # ... and the running total keeps it
    cmp = compare_with_model(30, eager, graph)
    # the medians of the per-call steps are untouched, so the fit is still exact
    assert (cmp.eager_call_us, cmp.first_call_us, cmp.replay_call_us) == (170, 470, 25)
    assert cmp.deviation == Fraction(17, 3 * 170)            # the largest gap: call 3
    assert cmp.crossover_model == crossover(30, 90) == 4
    assert cmp.crossover_measured == first_win(eager, graph) == 3    # the slow call moved it


def test_course_figures_for_t_gpu_over_t_launch():
    # at n = 100, 2.5x means t_gpu = 65 launches; 1.13x means 9887/13 ≈ 760.5 launches
    for speedup, ratio in [(Fraction(5, 2), 65), (Fraction("1.13"), Fraction(9887, 13))]:
        eager, graph = wall_clock_totals(100, 1, ratio, 100, 3)
        cmp = compare_with_model(100, eager, graph)
        assert (cmp.speedup, cmp.gpu_to_launch) == (speedup, ratio)


@settings(max_examples=15)                          # the presets' inverse derives each time
@given(st.integers(2, 500), st.fractions(min_value=Fraction(1, 100), max_value=1000), positive)
def test_the_ratio_agrees_with_the_presets_inverse(num_ops, t_gpu, t_launch):
    eager, graph = wall_clock_totals(num_ops, t_launch, t_gpu, num_ops, 2)
    cmp = compare_with_model(num_ops, eager, graph)
    assert cmp.gpu_to_launch == gpu_launch_ratio(cmp.speedup, n=num_ops)


def test_a_replay_no_faster_than_an_eager_call_cannot_be_fitted():
    cmp = compare_with_model(30, [100, 200, 300], [150, 250, 350])
    assert cmp.speedup == 1
    assert cmp.fit is cmp.gpu_to_launch is cmp.crossover_model is cmp.deviation is None
    assert cmp.crossover_measured is None and cmp.crossover_lab == 2
    assert cmp.notes == ("speedup 1 <= 1: a replay is no faster than an eager call, "
                         "so launch time and GPU time cannot be told apart",)
    assert cmp.as_dict()["fit"] is None


def test_a_speedup_beyond_n_is_flagged_outside_the_model():
    cmp = compare_with_model(3, [40, 80, 120], [50, 55, 60])      # S = 8 > n = 3
    assert cmp.fit.t_gpu_us < 0 and cmp.gpu_to_launch < 0
    assert cmp.notes == ("speedup 8 exceeds the ceiling n = 3: the fit has t_gpu < 0, "
                         "outside the model",)


def test_comparison_as_dict_keys():
    eager, graph = wall_clock_totals(30, 5, 20, 90, 6)   # E(6) = 1020, G(6) = 595; 6·30/95
    data = compare_with_model(30, eager, graph).as_dict()
    assert data == {
        "num_ops": 30, "calls": 6,
        "eager_call_us": 170.0, "first_call_us": 470.0, "replay_call_us": 25.0,
        "speedup": {"measured": 6.8, "ceiling": 30},
        "t_gpu_over_t_launch": 4.0,
        "fit": {"t_launch_us": 5.0, "t_gpu_us": 20.0, "capture_cost_ops": 90.0},
        "crossover": {"measured": 4, "model": 4, "lab": 2},
        "per_call_ratio": {"measured": 1.714, "wall_clock": 1.714, "launch_model": 1.895},
        "deviation": 0.0, "notes": [],
    }


@pytest.mark.parametrize("args, error, message", [
    ((1, [1, 2], [1, 2]), ValueError, r"num_ops must be >= 2 to tell launch time from GPU time, got 1"),
    ((True, [1, 2], [1, 2]), TypeError, r"num_ops must be an int >= 2, got bool True"),
    ((3, [1, 2, 3], [1, 2]), ValueError, r"must hold the same number \(>= 2\) of totals, got 3 and 2"),
    ((3, [1], [1]), ValueError, r"same number \(>= 2\) of totals, got 1 and 1"),
    ((3, [2, 1], [1, 2]), ValueError, r"eager_totals_us must be running totals \(never decreasing\)"),
    ((3, [1, 2], [0, 2]), ValueError, r"graph_totals_us must be > 0, got 0"),
    ((3, [1, float("nan")], [1, 2]), ValueError, r"eager_totals_us must be finite and > 0, got nan"),
    ((3, [1, "2"], [1, 2]), TypeError, r"eager_totals_us must be a number > 0, got str '2'"),
], ids=["n-1", "n-bool", "lengths", "too-few", "decreasing", "zero", "nan", "text"])
def test_compare_rejects_bad_totals(args, error, message):
    with pytest.raises(error, match=message):
        compare_with_model(*args)


@pytest.mark.parametrize("args, error, message", [
    ((30, 25, 470, 25), ValueError, r"eager_call_us must exceed replay_call_us .*"
                                    r"got eager_call_us=25 and replay_call_us=25"),
    ((30, 170, -1, 25), ValueError, r"first_call_us must be > 0, got -1"),
    ((30, 170, 470, float("inf")), ValueError, r"replay_call_us must be finite and > 0, got inf"),
], ids=["no-saving", "negative", "infinite"])
def test_fit_rejects_bad_times(args, error, message):
    with pytest.raises(error, match=message):
        fit_wall_clock(*args)


# -- the GPU path, driven by a fake torch with known costs --------------------------------

LAUNCH, GPU, RECORD, INSTANTIATE = 5000, 20000, 1000, 100_000     # ns


class FakeTorch:
    """Just enough of torch for cuda_runs: one launch costs LAUNCH ns of the fake clock,
    a synchronize waits GPU ns, recording an op in a capture RECORD ns, instantiating a
    graph INSTANTIATE ns. Events are logged to check the capture protocol."""

    __version__ = "0.fake"

    def __init__(self, device=True):
        self.now = 0
        self.log = []
        self.recording = None
        fake = self

        class Graph:
            def __init__(self):
                self.ops = []

            def replay(self):
                assert self.ops, "replay of an empty graph"
                fake.tick(LAUNCH, "replay")

        @contextmanager
        def graph(g):
            fake.log.append("capture")
            fake.recording = g.ops
            yield
            fake.recording = None
            fake.tick(INSTANTIATE, "instantiate")

        @contextmanager
        def stream(s):
            fake.log.append("side-stream")
            yield
            fake.log.append("main-stream")

        stream_object = SimpleNamespace(wait_stream=lambda other: None)
        self.cuda = SimpleNamespace(
            is_available=lambda: device, synchronize=lambda: self.tick(GPU, "sync"),
            Stream=lambda: stream_object, current_stream=lambda: stream_object,
            stream=stream, graph=graph, CUDAGraph=Graph, get_device_name=lambda index: "Fake GPU",
        )
        self.version = SimpleNamespace(cuda="fake")

    def tick(self, ns, event):
        self.now += ns
        self.log.append(event)

    def clock(self):
        return self.now

    def moving_clock(self):
        """The fake clock, moved 50 µs by each reading too, so that CPU figures progress."""
        self.now += 50_000
        return self.now

    def get_num_threads(self):
        return 1

    def ones(self, *shape):                         # torch.mm on the CPU: free here
        return shape

    def mm(self, left, right):
        return left

    def zeros(self, size, device):
        assert device == "cuda"
        fake = self

        class Tensor:
            def add_(self, value):
                if fake.recording is not None:
                    fake.recording.append(value)
                    fake.tick(RECORD, "record")
                else:
                    fake.tick(LAUNCH, "launch")
        return Tensor()


@pytest.fixture
def fake_gpu(monkeypatch):
    fake = FakeTorch()
    monkeypatch.setattr(measure_module, "_import_torch", lambda: fake)
    return fake


def test_cuda_runs_measure_what_the_fake_gpu_costs(fake_gpu):
    result, reason = cuda_runs(TINY, clock=fake_gpu.clock)
    assert reason is None and result.device == "Fake GPU" and result.trials == 2
    # a kernel launch: `number` launches and one synchronize per sample
    assert result.launch.median == Fraction(LAUNCH + GPU // result.launch.number, 1000)
    for cmp, n in zip(result.chains, TINY.num_ops):
        assert cmp.num_ops == n and cmp.calls == TINY.calls
        assert cmp.eager_call_us == Fraction(n * LAUNCH + GPU, 1000)
        assert cmp.replay_call_us == Fraction(LAUNCH + GPU, 1000)
        # first graph call: a warm-up pass, n ops recorded, instantiation, a replay, a sync
        first = n * LAUNCH + n * RECORD + INSTANTIATE + LAUNCH + GPU
        assert cmp.first_call_us == Fraction(first, 1000)
        assert (cmp.fit.t_launch_us, cmp.fit.t_gpu_us) == (Fraction(LAUNCH, 1000), Fraction(GPU, 1000))
        assert cmp.fit.capture_cost_ops == Fraction(first - GPU, LAUNCH)
        assert cmp.deviation == 0
        assert cmp.crossover_model == crossover(n, cmp.fit.capture_cost_ops)


def test_cuda_runs_warm_up_on_a_side_stream_before_capturing(fake_gpu):
    cuda_runs(Settings(repeat=1, warmup=0, min_sample_ns=0, calls=2, trials=1, num_ops=(3,)),
              clock=fake_gpu.clock)
    log = fake_gpu.log
    start = log.index("side-stream")
    assert log[start:start + 9] == ["side-stream", "launch", "launch", "launch", "main-stream",
                                    "capture", "record", "record", "record"]
    assert log[start + 9:start + 12] == ["instantiate", "replay", "sync"]


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


def test_cuda_runs_without_torch(no_torch):
    assert cuda_runs(TINY) == (None, "torch is not installed (pip install 'derive[measure]')")


# -- the unit for other commands ---------------------------------------------------------

def test_load_unit_from_numbers_and_text():
    assert load_unit_us(3) == 3 and load_unit_us(Fraction(1, 3)) == Fraction(1, 3)
    assert load_unit_us(0.1) == Fraction(0.1)                   # a float, taken exactly
    assert load_unit_us(" 4.2 ") == Fraction(21, 5)              # text, read as a decimal


def test_load_unit_from_a_measured_json_file(tmp_path):
    data = measure(settings=TINY).as_dict()
    path = tmp_path / "measured.json"
    path.write_text(json.dumps(data))
    assert load_unit_us(path) == load_unit_us(str(path)) == Fraction(repr(data["unit_us"]))


@pytest.mark.parametrize("content, message", [
    ('{"python_call_us": 1}', r"has no unit_us: write it with derive measure --format json"),
    ('{"unit_us": null}', r"unit_us in .* must be a number > 0, got None"),
    ('{"unit_us": -2.5}', r"unit_us in .* must be a number > 0, got Fraction\(-5, 2\)"),
    ('{"unit_us": true}', r"unit_us in .* must be a number > 0, got True"),
    ('[1, 2]', r"has no unit_us"),
    ('{"unit_us": ', r"is not JSON \(Expecting value, line 1\)"),
], ids=["missing", "null", "negative", "bool", "list", "broken"])
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
], ids=["zero-text", "negative-text", "word", "nan-text", "inf", "zero", "bool", "none"])
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
