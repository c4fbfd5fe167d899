"""Capture ladders under a memory budget: ``derive ladder``.

Every batch size runs its own crossover race, so a server captures a *ladder* of sizes
and pads each batch up to the next rung. The parts:

=================  ==============================================================
``config``         the model's numbers, validated and exact, from a TOML file
``pricing``        the exact cost of a ladder, the optimum and the usual ladders
``search``         the exact optimizer behind ``optimal_ladder``
``closed_form``    sympy's total time of ``r`` evenly spaced rungs, and its optimum
``report``         what ``derive ladder`` prints, as text and JSON
``plot``           total time against the number of rungs (``--plot``)
=================  ==============================================================

The public names of all but ``plot`` are importable from here. Importing this package
loads no sympy: only the closed form asks for it, when it runs.

Floor 4: imports :mod:`derive.text`, the engine (the closed form's compiled evaluation)
and :mod:`derive.render.figures`; nothing above.
"""

from .closed_form import (
    ClosedForm,
    ClosedFormComparison,
    closed_form,
    closed_form_text,
    compare_closed_form,
    evenly_spaced_ladder,
    total_time_function,
)
from .config import (
    KEYS,
    MAX_BATCH_LIMIT,
    MAX_COUNT,
    MAX_NUMBER,
    MAX_OPS,
    LadderConfig,
    check_count,
    load_ladder_config,
)
from .pricing import (
    COMPARED,
    LadderCost,
    compare_ladders,
    evaluate_ladder,
    optimal_ladder,
    powers_of_two_ladder,
    truncate_to_budget,
    vllm_default_ladder,
)
from .report import LadderReport, ladder_json, ladder_report, ladder_text
from .search import search_ladder

__all__ = [
    "COMPARED", "KEYS", "MAX_BATCH_LIMIT", "MAX_COUNT", "MAX_NUMBER", "MAX_OPS", "ClosedForm",
    "ClosedFormComparison", "LadderConfig", "LadderCost", "LadderReport", "check_count",
    "closed_form", "closed_form_text", "compare_closed_form", "compare_ladders",
    "evaluate_ladder", "evenly_spaced_ladder", "ladder_json", "ladder_report", "ladder_text",
    "load_ladder_config", "optimal_ladder", "powers_of_two_ladder", "search_ladder",
    "total_time_function", "truncate_to_budget", "vllm_default_ladder",
]
