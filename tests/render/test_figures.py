"""derive.render.figures: how every derive figure is made and saved.

The charts themselves are checked in test_plot.py and test_ladder.py (byte-stable files
from the command line); here, the shared pieces on a figure of our own.
"""

import os
import subprocess
import sys

import pytest

from derive.render.figures import FORMATS, file_format, new_figure, save, style


@pytest.mark.parametrize("out, fmt", [("a.png", "png"), ("dir.v2/A.SVG", "svg"), ("report.Pdf", "pdf")])
def test_file_format_by_extension_any_case(out, fmt):
    assert file_format(out) == fmt
    assert f".{fmt}" in FORMATS


@pytest.mark.parametrize("out", ["a.jpg", "png", "a.png.bak", "a."], ids=["jpg", "no-dot", "bak", "empty"])
def test_other_extensions_are_refused_with_the_name(out):
    with pytest.raises(ValueError, match=rf"out must end in \.png, \.svg or \.pdf, got '{out}'"):
        file_format(out)


def test_style_ignores_the_users_settings_and_restores_them():
    import matplotlib

    with matplotlib.rc_context({"font.size": 23.0, "lines.linewidth": 7.0}):
        with style():
            assert matplotlib.rcParams["font.size"] == 10
            assert matplotlib.rcParams["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]
        assert (matplotlib.rcParams["font.size"], matplotlib.rcParams["lines.linewidth"]) == (23.0, 7.0)


def _drawn():
    with style():
        fig = new_figure((3, 2), dpi=72)
        fig.subplots().plot([1, 2, 3], [3, 1, 2], label="a line")
    return fig


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_figure_saves_to_the_same_bytes(tmp_path, fmt):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert save(_drawn(), first) == first
    save(_drawn(), second)
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert b"CreationDate" not in data and b"<dc:date>" not in data


def test_save_refuses_a_bad_name_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="got '.*x.gif'"):
        save(_drawn(), tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def test_making_and_saving_a_figure_never_touches_pyplot(tmp_path):
    code = ("import sys, matplotlib; from derive.render.figures import new_figure, save, style\n"
            "with style():\n    fig = new_figure((2, 2))\n    fig.subplots().plot([0, 1])\n"
            f"save(fig, {str(tmp_path / 'f.png')!r})\n"
            "print(matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "pdf"}).stdout
    assert out.split() == ["pdf", "False"]
