r"""The HTML of the three pages: Practice, Derivation and The lab — written out, no templates.

Everything a user typed is escaped (:func:`html.escape`); math arrives as MathML already
escaped by :mod:`derive.serve.mathml`; the chart is the SVG of :mod:`derive.serve.chart`.
The pages load one stylesheet and one small script, both served by this app: nothing
comes from elsewhere.

>>> "<script" in layout("Practice", "<p>hi</p>")
True
>>> "&lt;b&gt;" in layout("<b>", "")
True
"""

from html import escape
from urllib.parse import urlencode

__all__ = ["error_page", "home_page", "lab_page", "layout", "practice_page", "steps_page"]

_NAV = (("/practice", "Practice"), ("/steps", "Derivation"), ("/lab", "The lab"))
_MARKS = {"given": "·", "assumption": "·", "valid": "✓", "invalid": "✗", "undecided": "?"}


def layout(title, body, *, active=None):
    """A whole page: the navigation, ``body`` and the app's own stylesheet and script."""
    nav = " ".join(f'<a href="{href}"{" class=active" if href == active else ""}>{escape(name)}</a>'
                   for href, name in _NAV)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)} · derive</title><link rel="stylesheet" href="/static/style.css">'
            f'<script src="/static/app.js" defer></script></head>\n'
            f'<body><header><strong>derive</strong> <nav>{nav}</nav></header>\n'
            f'<main><h1>{escape(title)}</h1>\n{body}\n</main></body></html>\n')


def _error(message):
    return f'<p class="error" role="alert">{escape(message)}</p>' if message else ""


def home_page():
    return layout("Pay once, save on every repeat", (
        "<p>Eager execution of <i>k</i> calls of an <i>n</i>-op model costs <i>k·n</i> launches; a CUDA "
        "graph captures on the first call at cost <i>c</i> and replays each later call in one launch.</p>"
        '<ul><li><a href="/practice">Practice</a>: an exercise from the bank, your answer checked.</li>'
        '<li><a href="/steps">Derivation</a>: a chain of steps, each line checked against the one before.</li>'
        '<li><a href="/lab">The lab</a>: a model\'s derivation, its cases, and the chart.</li></ul>'))


def _verdict_block(page):
    verdict = page.get("verdict")
    if not verdict:
        return ""
    rows = ""
    if verdict["counterexample"]:
        point = ", ".join(f"{escape(k)} = {escape(v)}" for k, v in verdict["counterexample"].items())
        rows = (f'<table class="counterexample"><tr><th>counterexample</th><td>{point}</td></tr>'
                f'<tr><th>expected</th><td class="expected">{escape(verdict["expected_value"])}</td></tr>'
                f'<tr><th>your answer</th><td class="given">{escape(verdict["answer_value"])}</td></tr></table>')
    extra = ""
    if page.get("mistake"):
        extra += f'<p class="mistake">Classic mistake: {escape(page["mistake"])}.</p>'
    if page.get("narrower"):
        extra += (f'<p class="narrower">Right on a narrower domain: <code>{escape(page["narrower"])}</code> '
                  f'(<code>--assume \'{escape(page["narrower"])}\'</code>).</p>')
    reading = page.get("reading")
    read = f'<p>Read as: {reading["mathml"]}</p>' if reading else ""
    return (f'<section id="verdict" class="verdict {escape(verdict["verdict"])}">'
            f'<h2>{escape(verdict["verdict"].replace("_", " "))}</h2>{read}'
            f'<p class="message">{escape(verdict["message"])}</p>{rows}{extra}</section>')


def practice_page(page, *, answer="", error=None, next_seed=None):
    """The exercise, the answer box with its live preview, and the verdict if there is one."""
    request = page["request"]
    setting = ", ".join(f"{k} = {v}" for k, v in request["set"].items())
    seed, model = page["seed"], page["model"]
    if seed is None:                                  # a formula, asked in general
        here = urlencode([("model", model), ("quantity", request["quantity"])]
                         + [("assume", a) for a in request["assume"]]
                         + [("set", f"{k}={v}") for k, v in request["set"].items()])
        about = (f'<p class="exercise-id">In general: <code>{escape(request["quantity"])}</code> of model '
                 f'<code>{escape(model)}</code>. <a href="/practice?model={escape(model)}">An exercise '
                 f'from the bank</a></p>')
    else:
        fixed = f' at call k = {request["assume"][0].split()[-1]}' if request["assume"] else ""
        kind = {"kind": page["asked_kind"]} if page.get("asked_kind") else {}
        here, after = (urlencode({"model": model, "seed": s, **kind}) for s in (seed, seed + 1))
        about = (f'<p class="exercise-id">Exercise: model <code>{escape(model)}</code>, seed <code>{seed}</code> '
                 f'({escape(page["kind"].replace("_", " "))}{escape(fixed)}; {escape(setting)}). '
                 f'<a href="/practice?{escape(after)}">Another exercise</a> · '
                 f'<a href="/practice?model={escape(model)}&amp;quantity=crossover&amp;assume=n%20%3E%3D%202">'
                 f'The crossover in general</a></p>')
    body = (
        f'{about}'
        f'<p class="question">{escape(page["question"])}</p>'
        f'<form method="post" action="/practice?{escape(here)}" id="practice" '
        f'data-quantity="{escape(request["quantity"])}" data-model="{escape(model)}">'
        f'<label for="answer">Your answer (plain text or LaTeX, e.g. <code>4</code>, '
        f'<code>89/29</code>, <code>never</code>)</label>'
        f'<input id="answer" name="answer" autocomplete="off" spellcheck="false" value="{escape(answer)}">'
        f'<div id="preview" class="preview" aria-live="polite"></div>'
        f'<button type="submit">Check</button></form>'
        f'{_error(error)}{_verdict_block(page)}')
    return layout("Practice", body, active="/practice")


def _fields(model, assume, bindings):
    return (f'<label>Model <input name="model" value="{escape(model)}"></label>'
            f'<label>Assume (one a line) <textarea name="assume" rows="2">{escape(assume)}</textarea></label>'
            f'<label>Set (NAME=EXPR, one a line) <textarea name="set" rows="2">{escape(bindings)}</textarea></label>')


def steps_page(*, text="", model="cuda-graph", assume="", bindings="", chain=None, error=None):
    """The text area for a chain of steps and, once checked, every line marked."""
    marked = ""
    if chain:
        rows = "".join(
            f'<tr class="step {escape(s["status"])}" data-line="{s["line"]}"><td class="mark">'
            f'{_MARKS.get(s["status"], "?")}</td><td class="line">{s["line"]}</td>'
            f'<td><code>{escape(s["text"])}</code></td><td>{escape(s["message"])}</td></tr>'
            for s in chain["steps"])
        marked = (f'<section id="chain" class="verdict {escape(chain["verdict"])}">'
                  f'<h2>{escape(chain["verdict"])}</h2><p>over {escape(chain["domain"])}</p>'
                  f'<table class="steps">{rows}</table></section>')
    body = (
        '<p>One relation or expression a line; <code>assume n &gt;= 2</code> lines narrow the domain from '
        'there on; <code>#</code> starts a comment. Each step is checked against the one before, as '
        '<code>derive steps</code> does.</p>'
        f'<form method="post" action="/steps" id="steps"><textarea id="text" name="text" rows="8" '
        f'spellcheck="false">{escape(text)}</textarea>{_fields(model, assume, bindings)}'
        f'<button type="submit">Check every step</button></form>{_error(error)}{marked}')
    return layout("Derivation", body, active="/steps")


def _cases_table(cases, column):
    rows = "".join(f'<tr><td>{c["mathml"] if column == "value" else escape(c["direction"])}</td>'
                   f'<td>{"if " + c["when_mathml"] if c["when_mathml"] else "otherwise"}</td></tr>'
                   for c in cases)
    return f'<table class="cases">{rows}</table>'


def lab_page(page, *, hidden=(), error=None):
    """The derivation with its cases in MathML, the chart and its controls."""
    if page is None:
        return layout("The lab", _error(error), active="/lab")
    rows = "".join(f'<tr><th>{escape(r["name"])}</th><td>{r["mathml"] if r["text"] != "undefined" else "undefined"}'
                   f'</td></tr>' for r in page["rows"])
    bound = ", ".join(f"{k} = {v}" for k, v in page["bindings"].items())
    domains = ", ".join(f'{p["name"]} {p["domain"]}' for p in page["parameters"])
    controls = "".join(
        f'<label>{escape(name)} <input class="control" name="{escape(name)}" value="{escape(value)}" '
        f'inputmode="decimal" size="8"></label>' for name, value in page["values"].items())
    keep = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden)
    first = page["first_call"]
    presets = " · ".join(f'<a href="/lab?{escape(urlencode({"model": p["name"]}))}" title="{escape(p["title"])}">'
                         f'{escape(p["name"])}</a>' for p in page.get("presets", ()))
    body = (
        f'<p class="presets">Presets: {presets}. Your own model: '
        f'<code>/lab?baseline=k*t_eager&amp;amortized=t_setup%2Bk*t_fast</code></p>'
        f'<p class="model">Model <code>{escape(page["model"])}</code>{": " + escape(page["title"]) if page["title"] else ""}; '
        f'{escape(domains)}{"; bound: " + escape(bound) if bound else ""}.</p>'
        f'<table class="derivation">{rows}</table>'
        f'<h2>Crossover: the first call at which {escape(page["labels"][1])} is strictly cheaper</h2>'
        f'{_cases_table(page["crossover"], "value")}'
        f'<h2>How the ratio approaches its limit</h2>{_cases_table(page["approach"], "direction")}'
        f'<h2>The chart</h2>'
        f'<form method="get" action="/lab" id="controls">{keep}{controls}'
        f'<button type="submit">Draw</button></form>'
        f'<p id="crossover-text">Crossover at these values: '
        f'<strong>{"call " + str(first) if first else "never"}</strong></p>'
        f'<div id="chart">{page["svg"]}</div>{_error(error)}')
    return layout("The lab", body, active="/lab")


def error_page(title, message):
    return layout(title, _error(message))
