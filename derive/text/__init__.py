"""The safe reader of typed formulas: plain text, Unicode and LaTeX, never ``eval``.

A student's answer, a ``--set`` value, a custom model's totals: every formula a person
types comes through :mod:`derive.text.parse`, which screens the text (size, depth,
look-alike letters, bidi controls), tokenizes it (:mod:`~derive.text._lexer`, with
:mod:`~derive.text._latex` for LaTeX) and builds a sympy expression with bounded degree
and number size (:mod:`~derive.text._grammar`). :mod:`derive.text.exact` turns Python
numbers into exact sympy ones, and :mod:`derive.text.prose` escapes prose for LaTeX and
Markdown.

Floor 1: imports only :mod:`derive.errors` and :mod:`derive.alarm` (and sympy, once a formula
is built).
"""
