"""examples/lab.ipynb runs top to bottom, and its rich displays render (issue 14, Deliver 5).

Executed with nbclient in a fresh kernel, as CI runs it; then converted to HTML with
nbconvert, the renderer JupyterLab's export uses, to check that the derivation's Markdown
became headings and math, and the chart an image.
"""

import base64
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "lab.ipynb"


def _executed(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return notebook


def _outputs(notebook):
    return [cell.outputs for cell in notebook.cells if cell.cell_type == "code"]


def test_the_notebook_runs_and_renders(tmp_path):
    notebook = _executed(tmp_path)
    outputs = _outputs(notebook)
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    derivation, text, numbers, picture, checked, verified = outputs
    data = derivation[0]["data"]
    assert {"text/markdown", "text/latex"} <= set(data)
    assert "When is graph strictly cheaper?" in data["text/markdown"]
    assert "\\section*{" in data["text/latex"]
    assert "floor((c - 1)/(n - 1)) + 1  if n > 1" in text[0]["text"]
    assert numbers[0]["data"]["text/plain"] == "(4, n)"
    png = base64.b64decode(picture[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    printed = checked[0]["text"].splitlines()
    assert printed[0].startswith("not equivalent: at n = 2, c = 2") and printed[1].startswith("equivalent")
    assert "5 of 5 functions conform" in verified[0]["text"]

    html, _ = HTMLExporter().from_notebook_node(notebook)
    assert '<h2 id="When-is-graph-strictly-cheaper?">' in html          # the Markdown rendered
    assert "## When is graph" not in html                                 # not shown raw
    assert "data:image/png;base64," in html                               # the chart inline
    assert "\\lfloor" in html and "$" in html                             # math left for MathJax
