"""``derive grade``: a whole class of submissions, each in a sandbox, to per-student reports.

==============  ===================================================================
``judge``       one submission: staged alone, run in a :class:`~derive.conformance.
                sandbox.Sandbox`, every function's answers compared here, in the judge
``mistakes``    the classic mistakes a failing function makes, by name
``run``         the class: a pool of workers that loaded derive once, shards, progress
``report``      CSV, JSON, Gradescope ``results.json``, Markdown feedback; ``merge``
==============  ===================================================================

>>> from derive.grade.judge import STATUSES
>>> STATUSES
('pass', 'fail', 'error', 'timeout', 'missing')

Floor 5: imports the engine, the checker's catalogue of mistakes and the conformance
suite (sandbox, lab specs, the wording of verdicts); nothing imports it but the command line.
"""
