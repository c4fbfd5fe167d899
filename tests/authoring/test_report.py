"""The handout: byte-identical output, the content a course author needs, LaTeX that compiles."""

import shutil
import subprocess
from collections import namedtuple

import pytest

from derive.authoring.report import FILES, sections, to_latex, to_markdown, write_report
from derive.cli import main
from tests._support import needs_pdflatex

Row = namedtuple("Row", "name claim statement method status seconds")

# Rows shaped like derive.prove's results, with the characters that break careless output.
ROWS = (
    Row("crossover-rule", "For n >= 2 the graph wins from floor((c-1)/(n-1)) + 1 on: 100% & no "
        "#exceptions, {ever} ~ c_1 ^ 2 | x", r"G(k) < E(k) \iff k \geq \max\left(1, "
        r"\left\lfloor \frac{c-1}{n-1} \right\rfloor + 1\right)", "z3 (integers)", "proved", 0.0123),
    Row("asymptote", "E/G → n as k → ∞, whatever c ≥ 0 — the ceiling", r"\lim_{k \to \infty} "
        r"\frac{kn}{c+k-1} = n", "sympy limit", "failed", 1.5),
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return write_report(out, theorems=ROWS)


@pytest.fixture(scope="module")
def cli_report(tmp_path_factory):
    """``derive report --out DIR``, twice: the real theorems, proved by derive.prove."""
    runs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        assert main(["report", "--out", str(out)]) == 0
        runs.append({role: out / file for role, file in FILES.items()})
    return runs


def test_cli_report_with_the_real_theorems(cli_report, capsys):
    from derive.prove import names

    first, second = cli_report
    for role in FILES:
        assert first[role].read_bytes() == second[role].read_bytes(), role
    text = first["markdown"].read_text(encoding="utf-8")
    every = names()
    assert f"{len(every)} of {len(every)} theorems proved" in text
    for name in every:
        assert f"| `{name}` |" in text and f"**`{name}`**" in text


def test_the_files(report):
    assert set(report) == set(FILES)
    for role, path in report.items():
        assert path.name == FILES[role] and path.stat().st_size > 0
    assert report["png"].read_bytes().startswith(b"\x89PNG")
    assert report["pdf"].read_bytes().startswith(b"%PDF-")


def test_same_input_same_bytes(report, tmp_path):
    again = write_report(tmp_path / "again", theorems=ROWS)
    for role in FILES:
        assert again[role].read_bytes() == report[role].read_bytes(), role


def test_the_markdown_handout(report):
    text = report["markdown"].read_text(encoding="utf-8")
    assert text.startswith("# Launch overhead")
    # the model and its derivation: derive.engine.handout's sections, from the engine
    for heading in ("The two totals", "When is graph strictly cheaper?", "The integer rule",
                    "The ceiling", "The approach"):
        assert f"\n## {heading}\n" in text
    # the two results to state cold
    assert ("With the default $c = n$, the first call at which the graph total is strictly "
            "below the eager total is $2$ if $n > 1$; never otherwise") in text
    assert "tends to $n$, whatever the up-front cost" in text
    # the chart, embedded, and its crossovers found by the engine
    assert "](crossover.png)" in text
    assert "$n = 3$: call 5; $n = 30$: call 4; $n = 300$: call 4" in text
    # the theorems: every row, its status, no timings; Markdown specials escaped
    assert "| `crossover-rule` |" in text and "| proved |" in text and "| failed |" in text
    assert "1 of 2 theorems proved" in text
    assert "0.0123" not in text and "1.5" not in text
    assert "{ever} ~ c\\_1 ^ 2 \\| x |" in text
    for row in ROWS:                                    # each statement, as display math
        assert f"**`{row.name}`**\n\n$${row.statement}$$" in text


def test_the_latex_document(report):
    text = report["latex"].read_text(encoding="utf-8")
    assert text.startswith("\\documentclass")
    assert text.rstrip().endswith("\\end{document}")
    assert text.count("\\begin{document}") == 1
    assert "\\subsection*{The integer rule}" in text
    assert "\\includegraphics" in text and "{crossover.pdf}" in text
    assert "100\\% \\& no \\#exceptions, \\{ever\\} \\textasciitilde{} c\\_1" in text
    assert "E/G $\\to$ n as k $\\to$ $\\infty$" in text
    assert "0.0123" not in text
    assert text.count("\\resizebox") == len(ROWS)     # statements shrink to the line
    assert text.isascii()                    # every Unicode symbol turned into LaTeX


def test_bindings_shape_the_handout(tmp_path):
    paths = write_report(tmp_path, bindings={"n": 30, "c": 90}, theorems=())
    text = paths["markdown"].read_text(encoding="utf-8")
    assert "Bound here: $n = 30$, $c = 90$." in text
    assert ("Crossover. The first call at which the graph total is strictly below the eager "
            "total is $4$.") in text
    assert "First winning calls with $c = 90$: $n = 30$: call 4." in text
    assert "No theorems were run" in text


def test_the_sections_in_both_layouts():
    from derive.engine.derivation import derive

    d = derive("cuda-graph")
    blocks = sections(d, theorems=ROWS)
    markdown, latex = to_markdown(d, blocks), to_latex(d, blocks)
    for heading in ("The two results to state cold", "Machine-checked theorems"):
        assert f"## {heading}" in markdown
        assert f"\\subsection*{{{heading}}}" in latex


@needs_pdflatex
@pytest.mark.parametrize("which", ["special-characters", "cli"])
def test_the_latex_compiles(which, report, cli_report, tmp_path):
    paths = report if which == "special-characters" else cli_report[0]
    for role in ("latex", "pdf"):
        shutil.copy(paths[role], tmp_path)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    log = (tmp_path / "report.log").read_text(errors="replace")
    assert "Missing character" not in log and "Undefined control sequence" not in log
    assert ".pk>" not in log                 # no bitmap font built by METAFONT: all Type 1


def test_out_must_be_a_directory(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(ValueError, match="out_dir must be a directory"):
        write_report(target, theorems=())
    assert main(["report", "--out", str(target)]) == 2
    assert "out_dir must be a directory" in capsys.readouterr().err
