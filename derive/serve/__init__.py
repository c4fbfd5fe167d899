"""``derive serve``: the practice pages and a JSON API, for a browser or an LMS.

:mod:`~derive.serve.app` is the Starlette app (pages and API; body cap, rate limit,
security headers); :mod:`~derive.serve.pool` the worker processes that run every request
that reads a user's text, bounded in time and memory; :mod:`~derive.serve.work` what a
request asks of the library, called exactly as the command line calls it;
:mod:`~derive.serve.pages`, :mod:`~derive.serve.mathml` and :mod:`~derive.serve.chart`
write the HTML, the math (MathML) and the chart (SVG). Starlette and uvicorn come with
the ``serve`` extra; importing this package alone loads neither.

Floor 6: imports authoring, checker, render, engine, text and errors; nothing above.
"""
