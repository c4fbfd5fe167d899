r"""What a request asks of the library: run in a worker process, never in the server's.

Each function takes the request's fields (a JSON body's dict, or the query's pairs), checks
them the way the command line's parser does, calls the library exactly as ``derive/cli.py``
does, and returns what the command prints with ``--format json`` — so that the API's
answers are the CLI's, byte for byte once parsed. Bad input raises ``ValueError`` /
``TypeError`` / :class:`~derive.errors.DeriveError`; :func:`error_line` turns it into the
CLI's one line on stderr.

===================  ===============================================================
``check_json``       ``POST /api/check``: ``derive check Q A --format json``
``steps_json``       ``POST /api/steps``: ``derive steps FILE --format json``
``derive_json``      ``GET /api/derive``: ``derive show --format json``
``exercises_json``   ``GET /api/exercises``: ``derive exercises --format json``
``preview_json``     ``POST /api/preview``: how an answer was read, as text and MathML
``practice``         the Practice page's exercise and, with an answer, its verdict
``lab``              the Lab page: the derivation's cases in MathML, and the chart
``error_line``       an exception as the CLI prints it: ``derive: error: …``
===================  ===============================================================

>>> check_json({"quantity": "crossover", "answer": "4", "set": {"n": "30", "c": "90"}})["verdict"]
'equivalent'
>>> error_line(ValueError("quantity must be one of eager_total, ..., got 'x'"))
"derive: error: quantity must be one of eager_total, ..., got 'x'"
"""

import json
from functools import lru_cache

from ..authoring import exercises as bank
from ..checker.answer import check
from ..checker.steps import check_steps
from ..engine.derivation import derive
from ..engine.presets import custom_model, describe, preset
from ..errors import error_line
from ..render.formats import condition_text, render
from ..text.parse import parse_expression
from .chart import chart_svg
from .mathml import mathml

__all__ = ["INPUT_LIMIT", "MAX_EXERCISES", "check_json", "derive_json", "error_line", "exercises_json",
           "lab", "practice", "preview_json", "steps_json"]

INPUT_LIMIT = 64 * 1024          #: bytes of an answer or a derivation, as the CLI reads at most
MAX_EXERCISES = 1000             #: exercises one request may ask for
PRACTICE_KINDS = ("crossover", "eager_total", "graph_total", "per_call_ratio", "asymptote")
_NEVER = ("never", "none")


# -- the fields of a request, checked as the CLI's parser checks its arguments ---------------

def _text(fields, name, *, default=None, required=False):
    value = fields.get(name, default)
    if value is None and required:
        raise ValueError(f"{name} is required")
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be text, got {type(value).__name__}")
    return value


def _texts(fields, name):
    value = fields.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a list of text, such as [\"n >= 2\"]")
    return list(value)


def _bindings(fields):
    """``set``: ``{"c": "3*n"}`` (or the CLI's ``["c=3*n"]``) as the CLI's ``--set`` pairs."""
    value = fields.get("set", {})
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        pairs = []
        for item in value:
            name, sep, text = item.partition("=") if isinstance(item, str) else ("", "", "")
            if not sep or not name.strip().isidentifier() or not text.strip():
                raise ValueError(f"--set takes NAME=EXPR, e.g. c=3*n; got {item!r}")
            pairs.append((name.strip(), text.strip()))
    elif isinstance(value, dict):
        pairs = []
        for name, text in value.items():
            if isinstance(text, int) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str) or not name.strip().isidentifier() or not text.strip():
                raise ValueError(f"set takes {{NAME: EXPR}}, e.g. {{\"c\": \"3*n\"}}; got {name!r}: {text!r}")
            pairs.append((name.strip(), text.strip()))
    else:
        raise TypeError(f"set must be an object such as {{\"c\": \"3*n\"}}, got {type(value).__name__}")
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--set binds {', '.join(repeated)} more than once")
    return dict(pairs)


def _limited(text, what):
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > INPUT_LIMIT:
        raise ValueError(f"the {what} is longer than {INPUT_LIMIT} bytes")
    return data


def _whole(fields, name, default):
    value = fields.get(name, default)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {value[:40]!r}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__}")
    return value


# -- the API ------------------------------------------------------------------------------------

def check_json(fields):
    """``derive check QUANTITY ANSWER [--model] [--assume]… [--set]… --format json``."""
    return _verdict(fields).to_json()


def _verdict(fields):
    quantity = _text(fields, "quantity", required=True)
    answer = _text(fields, "answer", required=True)
    _limited(answer, "answer")
    return check(quantity, answer, model=_text(fields, "model", default="cuda-graph"),
                 bindings=_bindings(fields), assume=_texts(fields, "assume"))


def steps_json(fields):
    """``derive steps FILE [--model] [--assume]… [--set]… --format json``."""
    data = _limited(_text(fields, "text", required=True), "derivation")
    chain = check_steps(data, model=_text(fields, "model", default="cuda-graph"),
                        bindings=_bindings(fields), assume=_texts(fields, "assume"))
    return chain.to_json()


def _derivation(fields):
    """The model of ``derive show``: a preset, or ``baseline``/``amortized`` of one's own."""
    model = _text(fields, "model")
    baseline, amortized = _text(fields, "baseline"), _text(fields, "amortized")
    assume = _texts(fields, "assume")
    own = baseline is not None or amortized is not None
    if own and (model or baseline is None or amortized is None):
        raise ValueError("a model of your own takes both --baseline and --amortized, and no preset name")
    if assume and not own:
        raise ValueError("--assume applies to --baseline/--amortized models only")
    chosen = custom_model(baseline, amortized, assume=assume) if own else model or "cuda-graph"
    return derive(chosen, **_bindings(fields))


def derive_json(fields):
    """``derive show [MODEL] [--baseline] [--amortized] [--assume]… [--set]… --format json``."""
    return json.loads(render(_derivation(fields), "json"))


def exercises_json(fields):
    """``derive exercises [MODEL] --count N --seed S --format json`` (at most 1000)."""
    count = _whole(fields, "count", 10)
    if count > MAX_EXERCISES:
        raise ValueError(f"count must be <= {MAX_EXERCISES} here, got {count}")
    seed = _whole(fields, "seed", 0)
    return json.loads(bank.render(bank.exercises(count, seed, _text(fields, "model", default="cuda-graph")),
                                  "json", seed=seed))


def preview_json(fields):
    """How the parser read an answer: ``{"reading": text, "mathml": <math>}``; errors as check's."""
    answer = _text(fields, "answer", required=True)
    _limited(answer, "answer")
    model = preset(_text(fields, "model", default="cuda-graph"))
    if answer.strip().lower() in _NEVER:
        return {"reading": "never", "mathml": mathml(None)}
    value = parse_expression(answer, model.symbols)
    return {"reading": str(value), "mathml": mathml(value)}


# -- the pages ----------------------------------------------------------------------------------

def practice(fields):
    """The exercise of ``model``/``seed`` (a bank of one), and the verdict on ``answer`` if given.

    The exercise is checked as ``derive check KIND ANSWER --set n=… --set c=…``, with
    ``--assume 'k >= K' --assume 'k <= K'`` to fix the call it asks about.
    """
    if fields.get("quantity") is not None:
        return _formula_practice(fields)
    seed = _whole(fields, "seed", 0)
    model = _text(fields, "model", default="cuda-graph")
    kind = _text(fields, "kind")
    kinds = PRACTICE_KINDS if kind is None else (kind,)
    if kind is not None and kind not in PRACTICE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(PRACTICE_KINDS)}, got {kind!r}")
    exercise = bank.exercises(1, seed, model, kinds=kinds)[0]
    params = dict(exercise.parameters)
    call = params.pop("k", None)
    request = {"quantity": exercise.kind, "model": model,
               "set": {name: str(value) for name, value in params.items() if value is not None},
               "assume": [] if call is None else [f"k >= {call}", f"k <= {call}"]}
    page = {"seed": seed, "model": model, "kind": exercise.kind, "question": exercise.question,
            "request": request, "asked_kind": kind}
    return _answered(page, _text(fields, "answer"))


def _answered(page, answer):
    """``page`` with the verdict on ``answer`` (if any): the CLI's JSON, the mistake, the reading."""
    if answer is None:
        return page
    verdict = _verdict({**page["request"], "answer": answer})
    return {**page, "verdict": verdict.to_json(), "mistake": verdict.mistake, "narrower": verdict.narrower,
            "reading": preview_json({"answer": answer, "model": page["model"]})}


_FORMULA = {"crossover": "the first call k at which the {1} total is strictly below the {0} total "
                          "(a formula in the parameters; 'never' if it never is)",
            "break_even": "the break-even: the k, not necessarily whole, at which the two totals are equal",
            "asymptote": "the limit of the ratio {0}/{1} of the totals as k grows without bound",
            "per_call_ratio": "the ratio {0}/{1} of the totals after k calls",
            "eager_total": "the {0} total after k calls", "graph_total": "the {1} total after k calls"}


def _formula_practice(fields):
    """``?quantity=crossover&assume=n >= 2``: a formula asked for in general, checked in general."""
    model = _text(fields, "model", default="cuda-graph")
    quantity = _text(fields, "quantity")
    labels = preset(model).labels
    if quantity not in _FORMULA:
        raise ValueError(f"quantity must be one of {', '.join(_FORMULA)}, got {quantity!r}")
    request = {"quantity": quantity, "model": model, "set": _bindings(fields), "assume": _texts(fields, "assume")}
    where = "; ".join(request["assume"] + [f"{k} = {v}" for k, v in request["set"].items()])
    question = (f"Model {model}: give {_FORMULA[quantity].format(*labels)}"
                f"{', where ' + where if where else ''}.")
    page = {"seed": None, "model": model, "kind": quantity, "question": question, "request": request,
            "asked_kind": None}
    return _answered(page, _text(fields, "answer"))


@lru_cache(maxsize=64)
def _lab(model, baseline, amortized, assume, bindings):
    fields = {"model": model, "baseline": baseline, "amortized": amortized,
              "assume": list(assume), "set": dict(bindings)}
    d = _derivation({name: value for name, value in fields.items() if value is not None})
    cases = [{"when": "otherwise" if c.when is True or str(c.when) == "True" else condition_text(c.when),
              "when_mathml": None if str(c.when) == "True" else mathml(c.when),
              "value": "never" if c.value is None else str(c.value), "mathml": mathml(c.value)}
             for c in d.crossover]
    approach = [{"when": "otherwise" if str(c.when) == "True" else condition_text(c.when),
                 "when_mathml": None if str(c.when) == "True" else mathml(c.when), "direction": c.value}
                for c in d.approach]
    rows = [(f"{d.model.labels[0]} total", d.baseline), (f"{d.model.labels[1]} total", d.amortized),
            ("break-even", d.break_even), ("asymptotic speedup", d.asymptote),
            (f"ratio {d.model.labels[0]}/{d.model.labels[1]}", d.per_call_ratio)]
    return d, {"model": d.model.name, "title": getattr(d.model, "title", ""),
               "parameters": [{"name": p.name, "domain": str(p.domain)} for p in d.model.parameters],
               "bindings": {name: str(value) for name, value in d.model.bindings.items()},
               "rows": [{"name": name, "text": "undefined" if value is None else str(value),
                         "mathml": mathml(value)} for name, value in rows],
               "crossover": cases, "approach": approach, "labels": list(d.model.labels),
               "presets": [{"name": name, "title": title} for name, title in describe()]}


def lab(fields):
    """The Lab page's content: the derivation (cases in MathML) and the chart at ``values``.

    ``values`` (``{"n": "30", "c": "90"}``) place the chart: one value per free parameter,
    exact; missing ones default to the lab's n = 30, c = n, or 2 for other parameters.
    """
    assume = tuple(_texts(fields, "assume"))
    bindings = tuple(sorted(_bindings(fields).items()))
    d, page = _lab(_text(fields, "model"), _text(fields, "baseline"), _text(fields, "amortized"),
                   assume, bindings)
    values = fields.get("values") or {}
    if not isinstance(values, dict):
        raise TypeError("values must be an object such as {\"n\": \"30\"}")
    page = dict(page)
    page["svg"], page["values"], page["first_call"] = chart_svg(d, values, kmax=_kmax(fields))
    return page


def _kmax(fields):
    kmax = fields.get("kmax")
    if kmax in (None, ""):
        return None
    kmax = _whole(fields, "kmax", None)
    if not 2 <= kmax <= 10_000:
        raise ValueError(f"kmax must be from 2 to 10000, got {kmax}")
    return kmax


def warm():
    """Load sympy and z3 and prove one verdict, so that a fresh worker's first request is fast."""
    check_json({"quantity": "crossover", "answer": "ceil(c/(n-1))", "assume": ["n >= 2"]})
    steps_json({"text": "c + k - 1 < k*n\nc - 1 < k*(n - 1)"})
    lab({})

