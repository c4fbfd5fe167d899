"""The JSON API answers exactly what the command line prints, over real HTTP.

Every comparison runs the CLI (``derive.cli.main``, in this process) and the API (a real
``derive serve`` in a child process) on the same input and compares the parsed JSON —
the verdicts, chains, derivations and banks themselves, and the one-line errors.
"""

import html
import json

import pytest

from derive.cli import main

CHECKS = [
    ("crossover", "max(1, floor((c - 1)/(n - 1)) + 1)", [], {}),
    ("crossover", "ceil(c/(n-1))", ["n >= 2"], {}),
    ("crossover", "ceil(c/(n-1))", ["n >= 2", "c integer"], {}),
    ("crossover", "5", [], {"n": "30", "c": "90"}),
    ("crossover", "2", ["n >= 2"], {"c": "n"}),
    ("crossover", "never", [], {"n": "1", "c": "2"}),
    ("graph_total", "c + k", [], {}),
    ("asymptote", "n*c/(c + 1)", [], {}),
    ("break_even", r"\frac{c-1}{n-1}", [], {"c": "3*n"}),
    ("per_call_ratio", "kn/(c+k-1)", [], {}),
]


def cli_json(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err.strip()


def _cli_options(assume, bindings, model=None):
    argv = [] if model is None else ["--model", model]
    for fact in assume:
        argv += ["--assume", fact]
    for name, value in bindings.items():
        argv += ["--set", f"{name}={value}"]
    return argv


@pytest.mark.parametrize("quantity, answer, assume, bindings", CHECKS, ids=[c[1][:25] for c in CHECKS])
def test_check_is_the_cli_s_json(server, capsys, quantity, answer, assume, bindings):
    code, printed, _ = cli_json(["check", quantity, answer, "--format", "json",
                                 *_cli_options(assume, bindings)], capsys)
    response = server.client.post("/api/check", json={"quantity": quantity, "answer": answer,
                                                      "assume": assume, "set": bindings})
    assert response.status_code == 200
    assert response.json() == printed
    assert code == {"equivalent": 0, "not_equivalent": 1}.get(printed["verdict"], 3)


STEPS = [
    "c + k - 1 < k*n\nc - 1 < k(n - 1)\nk > (c - 1)/(n - 1)",
    "c - 1 < k(n - 1)\nassume n >= 2\nk > (c - 1)/(n - 1)",
    "# the totals\nk*n\nn*k",
]


@pytest.mark.parametrize("text", STEPS, ids=["wrong-step", "assumed", "expressions"])
def test_steps_is_the_cli_s_json(server, capsys, tmp_path, text):
    path = tmp_path / "steps.txt"
    path.write_text(text, encoding="utf-8")
    _, printed, _ = cli_json(["steps", str(path), "--format", "json"], capsys)
    response = server.client.post("/api/steps", json={"text": text})
    assert response.status_code == 200
    assert response.json() == printed


@pytest.mark.parametrize("query, argv", [
    ("", ["show"]),
    ("?set=c=3*n", ["show", "--set", "c=3*n"]),
    ("?model=cuda-graph&set=n=30&set=c=90", ["show", "cuda-graph", "--set", "n=30", "--set", "c=90"]),
    ("?model=wall-clock", ["show", "wall-clock"]),
    ("?baseline=k*t_eager&amortized=t_setup%2Bk*t_fast",
     ["show", "--baseline", "k*t_eager", "--amortized", "t_setup+k*t_fast"]),
    ("?baseline=k*n&amortized=c%2Bk-1&assume=n%20integer",
     ["show", "--baseline", "k*n", "--amortized", "c+k-1", "--assume", "n integer"]),
])
def test_derive_is_the_cli_s_json(server, capsys, query, argv):
    _, printed, _ = cli_json([*argv, "--format", "json"], capsys)
    response = server.client.get("/api/derive" + query)
    assert response.status_code == 200
    assert response.json() == printed


def test_exercises_are_the_cli_s_json(server, capsys):
    _, printed, _ = cli_json(["exercises", "--count", "7", "--seed", "5", "--format", "json"], capsys)
    response = server.client.get("/api/exercises?model=cuda-graph&count=7&seed=5")
    assert response.status_code == 200
    assert response.json() == printed and len(printed) == 7


BAD = [
    ("/api/check", {"quantity": "crossover", "answer": "((("}, ["check", "crossover", "((("]),
    ("/api/check", {"quantity": "speed", "answer": "2"}, ["check", "speed", "2"]),
    ("/api/check", {"quantity": "crossover", "answer": "2", "model": "warp-drive"},
     ["check", "crossover", "2", "--model", "warp-drive"]),
    ("/api/check", {"quantity": "crossover", "answer": "2", "assume": ["n <"]},
     ["check", "crossover", "2", "--assume", "n <"]),
    ("/api/check", {"quantity": "crossover", "answer": "2", "set": {"z": "1"}},
     ["check", "crossover", "2", "--set", "z=1"]),
    ("/api/check", {"quantity": "crossover", "answer": "с + 1"}, ["check", "crossover", "с + 1"]),
    ("/api/derive?set=c=0", None, ["show", "--set", "c=0"]),
    ("/api/derive?model=warp-drive", None, ["show", "warp-drive"]),
    ("/api/exercises?count=0", None, ["exercises", "--count", "0"]),
]


@pytest.mark.parametrize("path, body, argv", BAD, ids=[" ".join(b[2])[:40] for b in BAD])
def test_bad_input_is_422_with_the_cli_s_line(server, capsys, path, body, argv):
    code, _, line = cli_json([*argv, "--format", "json"], capsys)
    response = (server.client.get(path) if body is None else server.client.post(path, json=body))
    assert code == 2 and line.startswith("derive: error: ")
    assert response.status_code == 422
    assert response.json() == {"error": line}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"quantity": 3, "answer": "2"}',
                                  b'{"answer": "2"}', b'{"quantity": "crossover", "answer": "2", "assume": 5}',
                                  b'{"quantity": "crossover", "answer": "2", "set": {"c": [1]}}',
                                  b"[" * 100_000])
def test_malformed_bodies_are_422_with_one_line(server, body):
    response = server.client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error.startswith("derive: error: ") and "\n" not in error and "Traceback" not in error


def test_preview_reads_the_answer_as_the_checker_does(server):
    response = server.client.post("/api/preview", json={"answer": "⌊(c − 1)/(n − 1)⌋ + 1"})
    assert response.status_code == 200
    data = response.json()
    assert data["reading"] == "floor((c - 1)/(n - 1)) + 1"
    assert data["mathml"].startswith("<math>") and "<mfrac>" in data["mathml"] and "⌊" in data["mathml"]
    refused = server.client.post("/api/preview", json={"answer": "n + __import__"})
    assert refused.status_code == 422 and "unknown name '__import__'" in refused.json()["error"]


def test_openapi_describes_every_api_route(server):
    spec = server.client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/check", "/api/steps", "/api/derive", "/api/exercises"} <= set(spec["paths"])
    assert spec["paths"]["/api/check"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "required"] == ["quantity", "answer"]


@pytest.mark.parametrize("path", ["/static/", "/static", "/static/../setup.cfg", "/derive/cli.py",
                                  "/docs", "/redoc", "/.git/config", "/api/", "/__debug__", "/static/app.js/.."])
def test_serves_nothing_but_its_own_pages(server, path):
    response = server.client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.text and "Index of" not in response.text


def test_every_response_carries_the_security_headers(server):
    for response in (server.client.get("/practice"), server.client.post("/api/check", json={})):
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_render_math_as_mathml_and_load_nothing_from_elsewhere(server):
    for path in ("/", "/practice?model=cuda-graph&seed=3", "/practice?quantity=crossover&assume=n%20%3E%3D%202",
                 "/steps", "/lab", "/lab?set=c=3*n", "/lab?model=kernel-batching", "/lab?model=wall-clock&n=100",
                 "/lab?baseline=k*t_eager&amortized=t_setup%2Bk*t_fast"):
        response = server.client.get(path)
        assert response.status_code == 200, path
        assert "http://" not in response.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in response.text
    lab = server.client.get("/lab?n=30&c=90").text
    assert "<math>" in lab and 'data-crossover="4"' in lab


def test_a_body_over_the_cap_is_refused_413(server):
    response = server.client.post("/api/check", content=b"x" * (3 * 1024 * 1024),
                                  headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


@pytest.mark.parametrize("path, line", [
    ("/practice?seed=x", "seed must be a whole number, got 'x'"),
    ("/practice?model=warp-drive", "warp-drive"),
    ("/lab?model=cuda-graph&n=0", "n must be integer >= 1, got '0'"),
    ("/lab?set=c=0", "c"),
])
def test_pages_show_bad_input_as_the_cli_s_line(server, path, line):
    response = server.client.get(path)
    assert response.status_code == 422
    assert 'class="error"' in response.text and line in html.unescape(response.text)


def test_a_wrong_derivation_posted_from_the_form_marks_its_line(server):
    response = server.client.post("/steps", data={"text": "c + k - 1 < k*n\nc - 1 < k(n - 1)\nk > (c - 1)/(n - 1)",
                                                  "model": "cuda-graph", "assume": "", "set": ""})
    assert response.status_code == 200
    assert '<tr class="step invalid" data-line="3">' in response.text
    fixed = server.client.post("/steps", data={"text": "c - 1 < k(n - 1)\nk > (c - 1)/(n - 1)",
                                               "assume": "n >= 2"})
    assert '<tr class="step valid" data-line="2">' in fixed.text and "step invalid" not in fixed.text


def test_the_api_equals_the_cli_run_as_a_program(server):
    """Once with the real program, not only ``main``: same object, and exit 1 for a wrong answer."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "derive", "check", "crossover", "ceil(c/(n-1))",
                             "--assume", "n >= 2", "--set", "c=3*n", "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    response = server.client.post("/api/check", json={"quantity": "crossover", "answer": "ceil(c/(n-1))",
                                                      "assume": ["n >= 2"], "set": {"c": "3*n"}})
    assert response.json() == json.loads(result.stdout)
    assert result.returncode == {"equivalent": 0, "not_equivalent": 1}.get(response.json()["verdict"], 3)
