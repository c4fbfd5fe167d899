"""The lab's chart: its data against a brute force, its picture, its bytes."""

import re
import subprocess
import sys
from fractions import Fraction

import pytest
from matplotlib.text import Text

from derive.authoring.chart import Chart, chart, draw, figure, plot
from derive.cli import main
from tests.oracle import eager_total, first_win_by_walking, graph_total

LAB = chart()


def test_the_lab_chart_against_brute_force():
    assert [s.size for s in LAB.series] == [3, 30, 300]
    for s in LAB.series:
        c = 3 * s.size
        assert s.first_cost == c
        assert s.crossover == first_win_by_walking(s.size, c, LAB.kmax)
        for k, (per_eager, per_graph), speedup in zip(s.calls, s.per_call, s.speedup):
            assert per_eager == Fraction(eager_total(s.size, k), k)
            assert per_graph == graph_total(s.size, k, c) / k
            assert speedup == eager_total(s.size, k) / graph_total(s.size, k, c)
        assert s.per_call_levels == (s.size, 1)     # eager stays at n; a replay is one launch
        assert s.asymptote == s.size


def test_the_lab_crossovers():
    assert [s.crossover for s in LAB.series] == [5, 4, 4]


def test_calls_cover_one_to_kmax_and_reach_the_ceiling():
    calls = LAB.series[0].calls
    assert calls[0] == 1 and calls[-1] == LAB.kmax
    assert all(a < b for a, b in zip(calls, calls[1:]))
    assert calls[:60] == tuple(range(1, 61))        # every call near the crossovers
    # the default range shows the speedup close to its ceiling: above 90% for every n
    for s in LAB.series:
        assert s.speedup[-1] > Fraction(9, 10) * s.asymptote
        assert all(s.speedup[i] < s.speedup[i + 1] for i in range(len(s.calls) - 1))


@pytest.mark.parametrize("c", [1, 2, Fraction(5, 2), Fraction(1, 2), 90, "3*n", "n"])
def test_other_capture_costs(c):
    data = chart(sizes=(1, 2, 30), bindings={"c": c}, kmax=50)
    for s in data.series:
        cost = s.first_cost
        found = first_win_by_walking(s.size, cost, 10**4)
        if s.size == 1 and cost >= 1:
            assert s.crossover is None and found is None
        else:
            assert s.crossover == found
        assert s.per_call[0][1] == cost                 # the first call pays the capture


def test_unit_us_is_exact(tmp_path):
    data = chart(sizes=(30,), bindings={"c": 90}, kmax=10, unit_us="4.5")
    assert data.unit_us == Fraction(9, 2)
    assert chart(sizes=(30,), kmax=10, unit_us=0.1).unit_us == Fraction(0.1)   # not 1/10
    assert chart(sizes=(30,), kmax=10, unit_us=7).unit_us == 7
    measured = tmp_path / "measure.json"
    measured.write_text('{"unit_us": 2.25, "python_call_us": 0.05}')
    assert chart(sizes=(30,), kmax=10, unit_us=str(measured)).unit_us == Fraction(9, 4)


@pytest.mark.parametrize("call, error, message", [
    (lambda: chart(sizes=()), ValueError, "sizes must name at least one n"),
    (lambda: chart(sizes=(0,)), ValueError, "sizes must be ints >= 1 and <= 10**9, got 0"),
    (lambda: chart(sizes=(3, 3)), ValueError, "sizes must be distinct, got 3, 3"),
    (lambda: chart(sizes=(2.5,)), ValueError, "sizes must be ints >= 1 and <= 10**9, got 2.5"),
    (lambda: chart(sizes=(10**9 + 1,)), ValueError, "sizes must be ints >= 1 and <= 10**9, got 1000000001"),
    (lambda: chart(sizes=(10**320,)), ValueError, "sizes must be ints >= 1 and <= 10**9, got about 10**320"),
    (lambda: chart(kmax=1), ValueError, "kmax must be an int >= 2 and <= 10**12, got 1"),
    (lambda: chart(kmax=10**12 + 1), ValueError, "kmax must be an int >= 2 and <= 10**12, got 1000000000001"),
    (lambda: chart(kmax=10**400), ValueError, "kmax must be an int >= 2 and <= 10**12, got about 10**400"),
    (lambda: chart(bindings={"c": 10**400}), ValueError,
     "the first call's cost at n = 3 must be <= 10**15 to be drawn, got about 10**400; bind smaller values"),
    (lambda: chart(sizes=(30,), bindings={"c": Fraction(1, 10**20)}), ValueError,
     "the speedup at n = 30 must be <= 10**15 to be drawn, got 3000000000000000000000"),
    (lambda: chart(unit_us="1e400"), ValueError, "unit_us: the number 1e400 is too large or too small"),
    (lambda: chart(unit_us="1e1000000000"), ValueError, "unit_us: the number 1e1000000000 is too large"),
    (lambda: chart(unit_us=1e300), ValueError, "unit_us must be > 0 and <= 1000000000 µs, got 1e+300"),
    (lambda: chart(bindings={"n": 3}), ValueError, "n is what the chart varies"),
    (lambda: chart(bindings={"c": -1}), ValueError, "c must be rational > 0, got -1"),
    (lambda: chart(bindings={"c": "__import__(n)"}), ValueError, "unknown name '__import__'"),
    (lambda: chart("no-such-model"), ValueError, "unknown model 'no-such-model'"),
    (lambda: chart(unit_us=0), ValueError, "unit_us must be > 0"),
    (lambda: chart(unit_us="fast"), ValueError, "unit_us must be a number > 0"),
    (lambda: chart(unit_us=float("nan")), ValueError, "unit_us must be finite"),
    (lambda: chart(unit_us=True), TypeError, "unit_us must be a number > 0"),
    (lambda: chart("wall-clock", bindings={"t_launch": 5, "t_gpu": 200}, unit_us=2), ValueError,
     "unit_us converts launches to time; model wall-clock counts time already"),
    (lambda: plot(out="chart.jpg"), ValueError, "out must end in .png, .svg or .pdf, got 'chart.jpg'"),
], ids=["no-sizes", "size-0", "repeated", "size-float", "size-above-range", "size-321-digits",
        "kmax-1", "kmax-above-range", "kmax-401-digits", "c-huge", "c-tiny", "unit-1e400",
        "unit-1e1000000000", "unit-above-range", "bind-n", "c-negative",
        "c-code", "model", "unit-0", "unit-text", "unit-nan", "unit-bool", "unit-time-model",
        "extension"])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# -- the picture ----------------------------------------------------------------------------

SMALL = chart(sizes=(3, 300), kmax=200)


def test_the_figure_marks_and_labels_every_crossover():
    fig = figure(SMALL)
    costs, speedup = fig.axes
    labels = sorted(t.get_text() for t in costs.texts)
    assert labels == ["graph per call as k \u2192 \u221e: 1 launch",      # the asymptotic level
                      "n = 300: graph ahead from call 4", "n = 3: graph ahead from call 5"]
    assert costs.get_xscale() == "log" and costs.get_yscale() == "log"
    assert "launches" in costs.get_ylabel() and "k" in costs.get_xlabel()
    assert speedup.get_title() and costs.get_title() and fig.get_suptitle()
    assert [t.get_text() for t in speedup.texts][:2] == ["\u2192 3", "\u2192 300"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    # issue 14.4: "first call 9" read as a call number; it is what the first call costs
    assert legend == ["eager, n = 3", "graph, n = 3\nfirst call costs 9 launches, ahead from call 5",
                      "eager, n = 300", "graph, n = 300\nfirst call costs 900 launches, ahead from call 4"]


# -- issue 14.4: charts that read at a glance, checked on the figure's artists ----------------

ISSUE_SMALL = dict(sizes=(2, 20), bindings={"c": "2.5"}, kmax=50, unit_us="4.5")


def _curve_points(axes):
    """The drawn lines of ``axes`` in display coordinates, densely interpolated (independent
    of the chart's own placement code)."""
    import numpy as np

    out = []
    for line in axes.get_lines():
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        for a, b in zip(xy[:-1], xy[1:]):
            for t in np.linspace(0, 1, 25):
                out.append(a + t * (b - a))
        out.extend(xy)
    return np.array(out)


@pytest.mark.parametrize("kwargs", [dict(), ISSUE_SMALL, dict(sizes=(2, 3, 4, 8), bindings={"c": "5/2"})],
                         ids=["lab", "issue-small", "close"])
def test_no_label_is_overprinted_by_a_curve(kwargs):
    fig = figure(chart(**kwargs))
    fig.canvas.draw()
    for axes in fig.axes:
        points = _curve_points(axes)
        frame = axes.get_window_extent()
        for text in axes.texts:
            box = Text.get_window_extent(text)          # the text itself, not a leader line
            under = ((points[:, 0] > box.x0) & (points[:, 0] < box.x1)
                     & (points[:, 1] > box.y0) & (points[:, 1] < box.y1))
            assert not under.any(), (text.get_text(), points[under][:3])
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, text.get_text()


def test_the_issue_small_chart_has_units_and_a_log_cost_axis():
    fig = figure(chart(**ISSUE_SMALL))
    costs, speedup = fig.axes
    assert costs.get_yscale() == "log"            # linear squashed all but eager n = 20 into a tenth
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "graph, n = 2\nfirst call costs 11.25 \u00b5s, ahead from call 2" in legend
    fig.canvas.draw()
    low, high = costs.get_ylim()
    graph = [line for line in costs.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata()) > 1]
    for line in graph:                            # each curve spans a visible share of the height
        ys = [y for y in line.get_ydata()]
        import math
        share = (math.log(max(ys)) - math.log(min(ys))) / (math.log(high) - math.log(low))
        assert share > 0.1


def _markers(axes):
    return [line for line in axes.get_lines() if line.get_marker() == "o"]


@pytest.mark.parametrize("kwargs", [dict(), ISSUE_SMALL], ids=["lab", "issue-small"])
def test_every_crossover_marker_stays_visible(kwargs):
    """In the default chart n = 30 and n = 300 cross at call 4 with speedups 1.29 and 1.33:
    one dot hid the other. Coinciding dots must differ in size, the smaller drawn on top."""
    data = chart(**kwargs)
    fig = figure(data)
    fig.canvas.draw()
    crossings = sum(1 for s in data.series if s.crossover is not None)
    for axes in fig.axes:
        dots = _markers(axes)
        assert len(dots) == crossings
        centres = [axes.transData.transform((d.get_xdata()[0], d.get_ydata()[0])) for d in dots]
        pixels = fig.dpi / 72
        for i, a in enumerate(dots):
            for j, b in enumerate(dots[i + 1:], i + 1):
                gap = ((centres[i] - centres[j]) ** 2).sum() ** 0.5
                if gap < (a.get_markersize() + b.get_markersize()) / 2 * pixels:
                    small, large = sorted((a, b), key=lambda d: d.get_markersize())
                    assert large.get_markersize() - small.get_markersize() >= 3
                    assert small.get_zorder() > large.get_zorder()
                    # the smaller dot's centre is not under the larger dot's ring only:
                    assert gap + small.get_markersize() / 2 * pixels < large.get_markersize() / 2 * pixels + 1e-9 \
                        or gap > 2 * pixels


@pytest.mark.parametrize("model, sizes, bindings", [
    ("cuda-graph", (3, 30, 300), None),
    ("cuda-graph", (2, 3, 4, 8), {"c": "5/2"}),
    ("wall-clock", (3, 30, 300), {"t_launch": 5, "t_gpu": 200}),
], ids=["lab", "close-crossovers", "wall-clock"])
def test_crossover_labels_do_not_overlap(model, sizes, bindings):
    fig = figure(chart(model, sizes, bindings=bindings))
    fig.canvas.draw()
    costs = fig.axes[0]
    labels = [t for t in costs.texts if "ahead from call" in t.get_text()]
    named = [size.strip() for t in labels for size in t.get_text()[4:].split(":")[0].split(",")]
    assert sorted(map(int, named)) == sorted(sizes)          # every crossover, once
    boxes = [Text.get_window_extent(t) for t in labels]     # the texts; leader lines may cross
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_microseconds_on_the_axis():
    fig = figure(chart(sizes=(30,), bindings={"c": 90}, kmax=20, unit_us="2.5"))
    costs = fig.axes[0]
    assert "\u00b5s" in costs.get_ylabel() and "2.5" in costs.get_ylabel()
    assert costs.get_xscale() == "linear"
    eager_line = costs.get_lines()[0]
    assert list(eager_line.get_ydata())[:3] == [75.0, 75.0, 75.0]  # 30 launches x 2.5 us


MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF-"}


@pytest.mark.parametrize("fmt", sorted(MAGIC))
def test_each_format_is_byte_stable(tmp_path, fmt):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    draw(SMALL, first)
    draw(SMALL, second)
    data = first.read_bytes()
    assert data.startswith(MAGIC[fmt])
    assert data == second.read_bytes()
    assert b"CreationDate" not in data and b"<dc:date>" not in data


def test_matplotlib_is_imported_only_to_draw():
    code = ("import sys, derive.authoring.chart as p; p.chart(sizes=(3,), kmax=10); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- the command line -----------------------------------------------------------------------

def test_cli_writes_the_file(tmp_path, capsys):
    out = tmp_path / "lab.svg"
    assert main(["plot", "--n", "3,30", "--set", "c=2*n", "--kmax", "100", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize("argv, message", [
    (["plot", "--out", "x.gif"], "out must end in .png, .svg or .pdf"),
    (["plot", "--n", "3,x"], "--n takes whole numbers separated by commas"),
    (["plot", "--unit-us", "-1"], "unit_us must be > 0"),
    (["plot", "--unit-us", "1e400"], "unit_us: the number 1e400 is too large or too small"),
    (["plot", "--unit-us", "1e1000000000"], "unit_us: the number 1e1000000000 is too large or too small"),
    (["plot", "--n", "3", "--kmax", "1" + "0" * 400], "kmax must be an int >= 2 and <= 10**12, got about 10**400"),
    (["plot", "--n", "1" + "0" * 320], "sizes must be ints >= 1 and <= 10**9, got about 10**320"),
    (["plot", "--set", "n=3"], "n is what the chart varies"),
    (["plot", "--set", "c=1", "--set", "c=2"], "--set binds c more than once"),
])
def test_cli_bad_input(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not list(tmp_path.iterdir())              # nothing drawn


def test_chart_is_a_frozen_value():
    with pytest.raises(AttributeError):
        LAB.kmax = 3
    assert isinstance(LAB, Chart)


@pytest.mark.parametrize("argv", [["plot", "--out", "{tmp}/chart.png"], ["report", "--out", "{tmp}/handout"]])
def test_without_matplotlib_the_cli_names_the_extra(argv, tmp_path, monkeypatch, capsys):
    # a plain 'pip install .' has no matplotlib: one line naming the extra, exit 2
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code = main([a.format(tmp=tmp_path) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == "derive: error: figures need matplotlib, which is not installed: pip install 'derive[plot]'\n"


def test_report_without_matplotlib_leaves_no_empty_directory(tmp_path, monkeypatch, capsys):
    """Issue 14.10: derive report created the directory, then failed on matplotlib."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["report", "--out", str(tmp_path / "handout")]) == 2
    assert "pip install 'derive[plot]'" in capsys.readouterr().err
    assert not (tmp_path / "handout").exists()


# -- issue 17.6: plot's sizes capped, its output checked before any work ---------------------

def test_an_unwritable_output_fails_before_any_work(tmp_path, monkeypatch, capsys):
    import derive.authoring.chart as chart_module

    def no_work(*args, **kwargs):
        raise AssertionError("the chart was computed before the output path was checked")

    monkeypatch.setattr(chart_module, "chart", no_work)
    (tmp_path / "dir.png").mkdir()
    for out in ("/proc/x.png", str(tmp_path / "missing" / "x.png"), str(tmp_path / "dir.png")):
        assert main(["plot", "--out", out]) == 2
        assert capsys.readouterr().err.startswith("derive: error: cannot write")
    assert [p.name for p in tmp_path.iterdir()] == ["dir.png"]


def test_at_most_eight_curves(tmp_path, capsys):
    assert main(["plot", "--n", ",".join(map(str, range(1, 1001))), "--out", str(tmp_path / "p.png")]) == 2
    assert capsys.readouterr().err == (
        "derive: error: sizes must name at most 8 values of n (one colour and legend entry each), "
        "got 1000\n")
    with pytest.raises(ValueError, match="at most 8 values of n"):
        chart(sizes=range(1, 10))


def test_the_most_curves_draw_without_a_warning(tmp_path):
    """From 40 curves on matplotlib warned 'constrained_layout not applied' on a successful run."""
    result = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-m", "derive", "plot", "--n", "1,2,3,5,8,13,21,34",
         "--out", str(tmp_path / "p.png")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr
