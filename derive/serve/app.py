r"""The web app: three pages and a JSON API over the library, hardened for untrusted input.

=====================  ==================================================================
``create_app``         the Starlette (ASGI) app; its workers start with the app's lifespan
``serve``              run it on uvicorn: ``derive serve --host --port --workers``
``Settings``           the bounds: workers, seconds and megabytes a task, body size, rate
``OPENAPI``            the API's OpenAPI 3.1 description, served at ``/openapi.json``
=====================  ==================================================================

Every request that reads a user's text is handed to a worker process
(:mod:`derive.serve.pool`); the server's process only routes, escapes and writes pages.
Routes are listed one by one — no static directory, no listing, no debug pages; a body
larger than ``max_body`` is refused before it is read to the end (413); each client (its
address, as uvicorn reports it behind ``--forwarded-allow-ips``) has a token bucket of
``rate`` requests a second, ``burst`` at once (429 with ``Retry-After``).

Bad input gets HTTP 422 and ``{"error": "<the line derive prints on stderr>"}``.
"""

import json
import time
from dataclasses import dataclass
from importlib import resources
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .._version import __version__
from . import pages, work
from .pool import Busy, Overrun, Pool, TaskError, default_size

__all__ = ["OPENAPI", "Settings", "create_app", "serve"]

_JSON = "application/json"
_SECURITY = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; "
                                 b"img-src 'self'; connect-src 'self'; form-action 'self'; "
                                 b"base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
_LAB_KEYS = ("model", "baseline", "amortized", "assume", "set", "kmax")


@dataclass(frozen=True)
class Settings:
    """The server's bounds. ``rate`` 0 turns the per-client limit off (for a load test)."""

    workers: int = 0                 #: worker processes (0: one per CPU)
    seconds: float = 10.0            #: the longest a task may run before its worker is killed
    memory_mb: int = 2048            #: a worker's address space
    max_body: int = 2 * 1024 * 1024  #: bytes of a request body
    rate: float = 20.0               #: requests a second per client, sustained
    burst: int = 40                  #: requests per client at once
    queue_seconds: float = 30.0      #: the longest a request waits for a free worker


# -- hardening: body size, rate limit, headers (plain ASGI middleware) --------------------------

class _Guard:
    """Caps the body, limits each client's rate, adds security headers to every response."""

    def __init__(self, app, settings):
        self.app, self.settings = app, settings
        self.buckets = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def secured(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + _SECURITY}
            await send(message)

        wait = self._throttle(scope)
        if wait:
            return await _send_json(secured, 429, {"error": f"derive: error: too many requests from this "
                                                            f"client; try again in {wait} s"},
                                    [(b"retry-after", str(wait).encode())])
        body, too_big = await self._body(scope, receive)
        if too_big:
            return await _send_json(secured, 413, {"error": f"derive: error: the request body is larger "
                                                            f"than {self.settings.max_body} bytes"})
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, secured)

    async def _body(self, scope, receive):
        limit = self.settings.max_body
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                return b"", True
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks), False

    def _throttle(self, scope):
        """Seconds to wait (0: go ahead): a token bucket per client address."""
        rate = self.settings.rate
        if not rate or scope["path"].startswith("/static/") or scope["path"] == "/health":
            return 0
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        tokens, then = self.buckets.get(client, (self.settings.burst, now))
        tokens = min(self.settings.burst, tokens + (now - then) * rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return max(1, round((1 - tokens) / rate + 0.5))
        if len(self.buckets) > 10_000:              # forget the quiet clients, keep memory bounded
            self.buckets = {c: b for c, b in self.buckets.items() if now - b[1] < 60}
        self.buckets[client] = (tokens - 1, now)
        return 0


async def _send_json(send, status, payload, headers=()):
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", _JSON.encode()), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


# -- running work in the pool ---------------------------------------------------------------

async def _work(request, function, fields):
    """``(status, payload)``: 200 and the result, 422 and the CLI's line, 503 when busy."""
    pool = request.app.state.pool
    try:
        return 200, await pool.run(function, fields)
    except Overrun as error:
        return 422, {"error": error.line}
    except TaskError as error:
        return (500 if error.crashed else 422), {"error": error.line}
    except Busy as error:
        return 503, {"error": f"derive: error: the server is busy: {error}"}


async def _json_body(request):
    """The body as a JSON object, or the 422 payload saying why not."""
    try:
        fields = json.loads(await request.body())
    except (ValueError, RecursionError):
        return None, {"error": "derive: error: the request body must be a JSON object "
                               "such as {\"quantity\": \"crossover\", \"answer\": \"2\"}"}
    if not isinstance(fields, dict):
        return None, {"error": f"derive: error: the request body must be a JSON object, "
                               f"got {type(fields).__name__}"}
    return fields, None


def _api(function):
    async def endpoint(request):
        if request.method == "POST":
            fields, problem = await _json_body(request)
            if problem:
                return JSONResponse(problem, 422)
        else:
            fields = _query(request)
        status, payload = await _work(request, function, fields)
        return JSONResponse(payload, status)
    return endpoint


def _query(request, lists=("assume", "set")):
    """The query string as fields; ``assume`` and ``set`` may repeat (``set=c=3*n``)."""
    fields = {}
    for name, value in request.query_params.multi_items():
        if name in lists:
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields


async def _form(request):
    body = (await request.body()).decode("utf-8", "replace")
    return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=50))


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- the pages ------------------------------------------------------------------------------

async def home(request):
    return HTMLResponse(pages.home_page())


async def practice(request):
    fields = _query(request)
    answer = ""
    if request.method == "POST":
        form = await _form(request)
        answer = form.get("answer", "")
        fields["answer"] = answer
    status, page = await _work(request, work.practice, fields)
    if status != 200 and "answer" in fields:             # the answer was refused: show the exercise
        fields.pop("answer")
        again, exercise = await _work(request, work.practice, fields)
        if again == 200:
            return HTMLResponse(pages.practice_page(exercise, answer=answer, error=page["error"]), status)
    if status != 200:
        return HTMLResponse(pages.error_page("Practice", page["error"]), status)
    return HTMLResponse(pages.practice_page(page, answer=answer))


async def steps(request):
    if request.method == "GET":
        return HTMLResponse(pages.steps_page(text="c + k - 1 < k*n\nc - 1 < k*(n - 1)\nk > (c - 1)/(n - 1)"))
    form = await _form(request)
    text, model = form.get("text", ""), form.get("model", "") or "cuda-graph"
    assume, bindings = form.get("assume", ""), form.get("set", "")
    shown = dict(text=text, model=model, assume=assume, bindings=bindings)
    status, chain = await _work(request, work.steps_json, {
        "text": text, "model": model, "assume": _lines(assume), "set": _lines(bindings)})
    if status != 200:
        return HTMLResponse(pages.steps_page(**shown, error=chain["error"]), status)
    return HTMLResponse(pages.steps_page(**shown, chain=chain))


def _lab_fields(request):
    fields = _query(request)
    values = {name: fields.pop(name) for name in list(fields) if name not in _LAB_KEYS}
    return fields, values


def _hidden(fields):
    return [(name, value) for name in _LAB_KEYS if name in fields
            for value in (fields[name] if isinstance(fields[name], list) else [fields[name]])]


async def lab(request):
    fields, values = _lab_fields(request)
    status, page = await _work(request, work.lab, {**fields, "values": values})
    if status != 200:
        return HTMLResponse(pages.lab_page(None, error=page["error"]), status)
    return HTMLResponse(pages.lab_page(page, hidden=_hidden(fields)))


async def lab_chart(request):
    """``/lab/chart?n=…&c=…``: the chart alone, as JSON ``{svg, first_call, values}`` for the script."""
    fields, values = _lab_fields(request)
    status, page = await _work(request, work.lab, {**fields, "values": values})
    if status != 200:
        return JSONResponse(page, status)
    return JSONResponse({"svg": page["svg"], "first_call": page["first_call"], "values": page["values"]})


def _static(name, media_type):
    content = resources.files(__package__).joinpath("static", name).read_bytes()

    async def endpoint(request):
        return Response(content, media_type=media_type)
    return endpoint


async def health(request):
    pool = request.app.state.pool
    return JSONResponse({"status": "ok", "workers": pool.alive, "replaced": pool.replaced})


async def openapi(request):
    return JSONResponse(OPENAPI)


async def not_found(request, exc):
    status = getattr(exc, "status_code", 404)
    message = "derive: error: no such page" if status == 404 else "derive: error: method not allowed"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status)
    return HTMLResponse(pages.error_page("Not here", message), status)


async def internal_error(request, exc):
    return JSONResponse({"error": "derive: error: an internal error; the server is still running"}, 500)


def create_app(settings=Settings()):
    """The ASGI app. Its lifespan starts ``settings.workers`` worker processes and stops them."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        pool = Pool(settings.workers or default_size(), seconds=settings.seconds,
                    memory_mb=settings.memory_mb, queue_seconds=settings.queue_seconds,
                    preload=("derive.serve.work", "z3"))
        await pool.start()
        await pool.warm(work.warm)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", home), Route("/practice", practice, methods=["GET", "POST"]),
        Route("/steps", steps, methods=["GET", "POST"]), Route("/lab", lab),
        Route("/lab/chart", lab_chart),
        Route("/api/check", _api(work.check_json), methods=["POST"]),
        Route("/api/steps", _api(work.steps_json), methods=["POST"]),
        Route("/api/preview", _api(work.preview_json), methods=["POST"]),
        Route("/api/derive", _api(work.derive_json)),
        Route("/api/exercises", _api(work.exercises_json)),
        Route("/openapi.json", openapi), Route("/health", health),
        Route("/static/app.js", _static("app.js", "text/javascript")),
        Route("/static/style.css", _static("style.css", "text/css")),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]
    app = Starlette(debug=False, routes=routes, lifespan=lifespan,
                    exception_handlers={404: not_found, 405: not_found, 500: internal_error})
    return _Guard(app, settings)


def serve(host="127.0.0.1", port=8000, settings=Settings(), *, forwarded_allow_ips=None):
    """Run the app on uvicorn until interrupted (one process; run several behind a balancer)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=forwarded_allow_ips is not None,
                forwarded_allow_ips=forwarded_allow_ips, timeout_keep_alive=5, lifespan="on")


# -- the API's description ----------------------------------------------------------------------

_ERROR = {"description": "bad input: the line `derive` prints on stderr",
          "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
_STUDENT = {"model": {"type": "string", "default": "cuda-graph", "description": "a preset (--model)"},
            "assume": {"type": "array", "items": {"type": "string"}, "examples": [["n >= 2", "c integer"]],
                       "description": "narrow the domain (--assume, repeatable)"},
            "set": {"type": "object", "additionalProperties": {"type": "string"}, "examples": [{"c": "3*n"}],
                    "description": "bind parameters (--set NAME=EXPR)"}}


def _query_parameter(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _post(summary, required, properties, result):
    return {"post": {"summary": summary, "requestBody": {"required": True, "content": {_JSON: {"schema": {
        "type": "object", "required": required, "properties": properties}}}},
        "responses": {"200": {"description": result, "content": {_JSON: {"schema": {"type": "object"}}}},
                      "422": _ERROR, "413": _ERROR, "429": _ERROR}}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "derive", "version": __version__,
             "description": "Check answers and derivations on the closed-form economics of pay once, "
                            "save on every repeat. Every answer is the object the matching `derive` "
                            "command prints with --format json."},
    "paths": {
        "/api/check": _post("derive check QUANTITY ANSWER --format json", ["quantity", "answer"], {
            "quantity": {"type": "string", "examples": ["crossover"],
                         "description": "eager_total graph_total break_even crossover asymptote per_call_ratio"},
            "answer": {"type": "string", "examples": ["ceil(c/(n-1))"], "maxLength": work.INPUT_LIMIT},
            **_STUDENT}, "the verdict: verdict, counterexample, expected_value, answer_value, message"),
        "/api/steps": _post("derive steps FILE --format json", ["text"], {
            "text": {"type": "string", "description": "one step a line", "maxLength": work.INPUT_LIMIT},
            **_STUDENT}, "the chain: verdict, domain, steps (line, text, status, counterexample, …)"),
        "/api/preview": _post("how the parser read an answer", ["answer"], {
            "answer": {"type": "string"}, "model": _STUDENT["model"]}, "reading (text) and mathml"),
        "/api/derive": {"get": {"summary": "derive show --format json", "parameters": [
            _query_parameter("model", "a preset (default cuda-graph)"),
            _query_parameter("baseline", "a model of your own: the total paid every call, in k"),
            _query_parameter("amortized", "a model of your own: paid upfront, then per call"),
            _query_parameter("assume", "for baseline/amortized: 'n integer', 'x > 2' (repeatable)"),
            _query_parameter("set", "NAME=EXPR, e.g. c=3*n (repeatable)")],
            "responses": {"200": {"description": "the derivation (DESIGN.md's keys)"}, "422": _ERROR}}},
        "/api/exercises": {"get": {"summary": "derive exercises --format json", "parameters": [
            _query_parameter("model", "the model (cuda-graph)"),
            _query_parameter("count", "how many (1 to 1000, default 10)", {"type": "integer"}),
            _query_parameter("seed", "the random seed (default 0)", {"type": "integer"})],
            "responses": {"200": {"description": "a list of exercises"}, "422": _ERROR}}},
    },
    "components": {"schemas": {"Error": {"type": "object", "required": ["error"],
                                         "properties": {"error": {"type": "string"}}}}},
}
