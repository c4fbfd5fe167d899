"""The lab's claims as machine-checked theorems, one module per subject.

==================  ==================================================================
``totals``          the two totals, the per-call saving, the per-call ratio
``crossover``       the integer crossover rule, its least-ness, ``c = n``, ``n = 1``,
                    monotonicity, the ``c = 3n`` examples
``asymptote``       the limit ``n``, independent of ``c``; the approach from below
``integer_rules``   ``⌊(c−1)/(n−1)⌋+1 = ⌈c/(n−1)⌉`` for integer ``c`` only; the ceiling
                    off-by-one
``engine``          the general theorem behind the engine: any two totals affine in ``k``
``presets``         every preset's ceiling is its limit; the wall-clock ceiling falls with
                    GPU time between n and 1; fusion keeps the ceiling n; chained
                    models' ceilings multiply
==================  ==================================================================

Each theorem is a :class:`derive.prove.Theorem` made with :func:`derive.prove.theorem`;
where a theorem is about what the engine derives, its check derives it with
:func:`derive.engine.derivation.derive` and proves the engine's own expression, not a copy.
Run them with ``derive prove`` or :func:`derive.prove.run`.
"""

#: The subject modules, in the order their theorems are run and listed.
SUBJECTS = ("totals", "crossover", "asymptote", "integer_rules", "engine", "presets")
