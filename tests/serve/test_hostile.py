"""The checker's hostile corpus, sent over HTTP: every answer a clear 422 or a verdict.

The corpus is the parser's own (``tests/text/test_parse.py``: power towers, 100 000 nested
parentheses, a megabyte of ``n+``, NUL, Cyrillic look-alikes, bidi controls,
``__import__``, LaTeX's ``\\input``…), sent in every field that reads text — the answer,
an assumption, a binding, a derivation's line, a chart's value, the practice page's form —
then the server must still be healthy: every worker alive, a plain check still right.
The timeout only guards the suite (no hang); speed is measured in bench/bench_serve.py.
"""

import json
from urllib.parse import quote_from_bytes

import pytest

from tests.text.test_parse import HOSTILE, SUBPROCESS_CASES

TEXTS = [text for text, _ in HOSTILE] + [data.decode("utf-8", "surrogateescape") for data in SUBPROCESS_CASES]
LEGAL = {text for text, message in HOSTILE if message is None}       # e.g. 999 minus signs, then n
VERDICTS = {"equivalent", "not_equivalent", "undecided", "valid", "invalid"}


def _clear(response):
    """A 422 with one line of error, or a 200 with a verdict; nothing else."""
    assert response.status_code in (200, 422), (response.status_code, response.text[:300])
    data = response.json()
    if response.status_code == 422:
        assert set(data) == {"error"}
        assert data["error"].startswith("derive: error: ") and "\n" not in data["error"]
        assert "Traceback" not in data["error"]
    else:
        assert data.get("verdict") in VERDICTS or "reading" in data or "svg" in data, data
    return response.status_code


def _body(payload):
    return json.dumps(payload).encode()           # lone surrogates go as \\udcxx escapes


def requests_for(text):
    yield "POST", "/api/check", {"quantity": "crossover", "answer": text}
    yield "POST", "/api/check", {"quantity": "graph_total", "answer": "c + k - 1", "assume": [text]}
    yield "POST", "/api/check", {"quantity": "crossover", "answer": "2", "set": {"c": text}}
    yield "POST", "/api/steps", {"text": f"c + k - 1 < k*n\n{text}"}
    yield "POST", "/api/preview", {"answer": text}


@pytest.mark.parametrize("text", TEXTS, ids=[repr(t[:24]) for t in TEXTS])
def test_hostile_text_in_every_field_is_a_clear_answer(server, text):
    statuses = []
    for method, path, payload in requests_for(text):
        response = server.client.request(method, path, content=_body(payload),
                                         headers={"content-type": "application/json"})
        statuses.append(_clear(response))
    if text not in LEGAL:
        assert statuses[0] == 422                   # the corpus's refused texts are refused as answers


@pytest.mark.parametrize("text", TEXTS[:12] + TEXTS[-9:], ids=[repr(t[:24]) for t in TEXTS[:12] + TEXTS[-9:]])
def test_hostile_text_in_the_pages_is_escaped(server, text):
    raw = quote_from_bytes(text.encode("utf-8", "surrogateescape"))     # invalid UTF-8 goes as bytes
    practice = server.client.post("/practice?seed=1", content=f"answer={raw}".encode(),
                                  headers={"content-type": "application/x-www-form-urlencoded"})
    assert practice.status_code in (200, 422)
    assert "<script>" not in practice.text and "Traceback" not in practice.text
    _clear(server.client.get(f"/lab/chart?c=2&n={raw[:6000]}"))
    _clear(server.client.get(f"/api/derive?set=c%3D{raw[:6000]}"))


@pytest.mark.parametrize("body", [b"\xff\xfe", b"\x00" * 1000, b'{"quantity": "crossover", "answer": "\\ud800"}',
                                  b'{"quantity": "crossover", "answer": ' + b'"n+' * 1 + b"n" * 1_000_000 + b'"}'])
def test_hostile_bodies_are_a_clear_answer(server, body):
    _clear(server.client.post("/api/check", content=body, headers={"content-type": "application/json"}))


def test_the_server_is_healthy_after_the_corpus(server):
    health = server.client.get("/health").json()
    assert health["status"] == "ok" and health["workers"] == 2
    right = server.client.post("/api/check", json={"quantity": "crossover", "answer": "4",
                                                   "set": {"n": "30", "c": "90"}})
    assert right.status_code == 200 and right.json()["verdict"] == "equivalent"
    assert server.process.poll() is None
