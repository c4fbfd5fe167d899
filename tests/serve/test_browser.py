"""The pages in a real browser: Debian's chromium, driven by Playwright, against ``derive serve``.

The browser is the system's (``/usr/bin/chromium``; Playwright downloads nothing), headless,
with a fresh profile and no network but the loopback server. Screenshots of every page go
to ``$DERIVE_SCREENSHOTS`` if set, else to the test's temporary directory.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests._support import needs_program

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=executable,
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1000, "height": 900})
        yield context
        context.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("DERIVE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _outside_requests(page, server):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    return lambda: [url for url in asked if not url.startswith(server.url)]


@needs_program("chromium")
def test_practice_preview_submit_verdict_counterexample(browser, server, shots):
    page = browser.new_page()
    outside = _outside_requests(page, server)
    page.goto(f"{server.url}/practice?model=cuda-graph&seed=0&kind=crossover")
    question = page.locator(".question").inner_text()
    assert "At which call k" in question
    page.locator("#answer").fill("5")
    page.locator("#answer").type("/2")               # keystrokes: the preview follows the typing
    page.wait_for_selector("#preview.read math mfrac")
    assert page.locator("#preview").get_attribute("data-reading") == "5/2"
    page.screenshot(path=str(shots / "practice-preview.png"), full_page=True)
    page.locator("#answer").fill("ceil(c/(n-1")
    page.wait_for_selector("#preview.error")
    assert "derive: error:" in page.locator("#preview").inner_text()
    page.locator("#answer").fill("9")
    page.wait_for_selector("#preview.read")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#verdict")
    verdict = page.locator("#verdict")
    assert "not equivalent" in verdict.locator("h2").inner_text()
    message = verdict.locator(".message").inner_text()
    assert message.startswith("not equivalent: at n = ") and "but the answer is 9" in message
    assert verdict.locator(".given").inner_text() == "9"
    expected = verdict.locator(".expected").inner_text()
    assert expected != "9" and f"is {expected}" in message
    page.screenshot(path=str(shots / "practice-verdict.png"), full_page=True)
    assert outside() == []


@needs_program("chromium")
def test_practice_names_the_mistake_and_the_narrower_domain(browser, server, shots):
    page = browser.new_page()
    page.goto(f"{server.url}/practice?model=cuda-graph&quantity=crossover&assume=n%20%3E%3D%202")
    assert "n >= 2" in page.locator(".question").inner_text()
    page.locator("#answer").fill(r"\left\lceil \frac{c}{n-1} \right\rceil")
    page.wait_for_selector("#preview.read math")
    assert page.locator("#preview").get_attribute("data-reading") == "ceiling(c/(n - 1))"
    page.screenshot(path=str(shots / "practice-general-preview.png"), full_page=True)
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#verdict")
    verdict = page.locator("#verdict")
    assert verdict.locator("h2").inner_text() == "not equivalent"
    assert verdict.locator(".expected").inner_text() == "1" and verdict.locator(".given").inner_text() == "2"
    assert "c integer" in verdict.locator(".narrower").inner_text()
    assert "It is right when c is an integer (--assume 'c integer')." in verdict.locator(".message").inner_text()
    page.screenshot(path=str(shots / "practice-general-verdict.png"), full_page=True)
    page.goto(f"{server.url}/practice?model=cuda-graph&quantity=graph_total")
    page.locator("#answer").fill("c + k")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#verdict .mistake")
    assert "Classic mistake: c + k for c + k - 1" in page.locator("#verdict .mistake").inner_text()


@needs_program("chromium")
def test_derivation_marks_the_wrong_line(browser, server, shots):
    page = browser.new_page()
    outside = _outside_requests(page, server)
    page.goto(f"{server.url}/steps")
    page.locator("#text").fill("c + k - 1 < k*n\nc - 1 < k(n - 1)\nk > (c - 1)/(n - 1)")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#chain")
    assert page.locator("#chain h2").inner_text() == "invalid"
    marks = page.locator("tr.step td.mark").all_inner_texts()
    assert marks == ["·", "✓", "✗"]
    wrong = page.locator("tr.step.invalid")
    assert wrong.count() == 1 and wrong.get_attribute("data-line") == "3"
    assert "n = 1" in wrong.inner_text()
    page.screenshot(path=str(shots / "derivation.png"), full_page=True)
    assert outside() == []


@needs_program("chromium")
def test_the_lab_chart_redraws_when_n_changes(browser, server, shots):
    page = browser.new_page()
    outside = _outside_requests(page, server)
    page.goto(f"{server.url}/lab?model=cuda-graph&n=30&c=90")
    assert page.locator("table.cases math").count() >= 2         # the crossover's cases, as MathML
    chart = page.locator("#chart svg")
    assert chart.get_attribute("data-crossover") == "4"
    before = page.locator("#chart polyline.baseline").get_attribute("points")
    page.screenshot(path=str(shots / "lab-n30-c90.png"), full_page=True)
    page.locator("input.control[name=n]").fill("3")
    page.wait_for_selector("#chart svg[data-crossover='45']")    # the CSP forbids eval: no wait_for_function
    assert page.locator("#crossover-text strong").inner_text() == "call 45"
    assert page.locator("#chart polyline.baseline").get_attribute("points") != before
    assert "n=3" in page.url
    page.screenshot(path=str(shots / "lab-n3-c90.png"), full_page=True)
    page.locator("input.control[name=n]").fill("0")
    page.wait_for_selector("#crossover-text.error")
    assert "n must be integer >= 1" in page.locator("#crossover-text").inner_text()
    assert outside() == []


@needs_program("chromium")
def test_mathml_is_laid_out_by_the_browser(browser, server):
    """Chromium lays MathML out natively: a fraction is taller than a line of text."""
    page = browser.new_page()
    page.goto(f"{server.url}/lab")
    fraction = page.locator("table.derivation math mfrac").first.bounding_box()
    letter = page.locator("table.derivation math mi").first.bounding_box()
    assert fraction and letter and fraction["height"] > 1.5 * letter["height"]
