"""The engine: two totals affine in the number of repeats, and what follows from them.

=====================  ==============================================================
``symbols``            the parameters' symbols and their domains, declared once
``model``              :class:`~derive.engine.model.Model`: the two totals, validated
``presets``            the lab's model and the ones its notes go on to; custom models
``conditions``         deciding a case's condition over the parameters' domains
``derivation``         ``derive(model)``: break-even, crossover, asymptote, approach
``evaluate``           a derived expression compiled to exact int/Fraction arithmetic
``analysis``           limits and inverses of derived expressions
``wall_clock``         the wall-clock ceiling's limits and its inverse
``shapes``             per-shape accounting: one crossover race per shape
``handout``            a derivation told step by step, as LaTeX or Markdown blocks
=====================  ==============================================================

Floor 2: imports :mod:`derive.text`, :mod:`derive.errors` and sympy; nothing above.
"""
