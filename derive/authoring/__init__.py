"""For course authors: the lab's chart, a handout, and randomized exercise banks.

=================  ==============================================================
``chart``          ``derive plot``: per-call cost against ``k``, every crossover marked
``report``         ``derive report``: the handout in Markdown and LaTeX, with figures
``exercises``      ``derive exercises``: banks with answers, worked solutions and
                   distractors drawn from the classic mistakes
``lab_folder``     ``derive lab new``: starter, solution, tests and handout for any model
``examples``       ``derive examples``: the example files, shipped as package data
=================  ==============================================================

Floor 5: imports everything below it (engine, render, measure, conformance, :mod:`derive.prove`);
nothing imports it but the command line.
"""
