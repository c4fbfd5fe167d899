"""What ``derive ladder`` prints: the optimal ladder, compared with the usual ones.

=================  ==============================================================
``LadderReport``   the optimum under the budget and the ladders it is compared with
``ladder_report``  the report of a :class:`~derive.ladder.config.LadderConfig`
``ladder_json``    the report as issue #7's JSON object (exact numbers as text)
``ladder_text``    the report as text; with uniform traffic, the closed form after it
=================  ==============================================================
"""

from dataclasses import dataclass
from fractions import Fraction

from .closed_form import closed_form_text, compare_closed_form
from .config import LadderConfig
from .pricing import COMPARED, LadderCost, compare_ladders, optimal_ladder

__all__ = ["LadderReport", "ladder_json", "ladder_report", "ladder_text"]


@dataclass(frozen=True)
class LadderReport:
    """The optimum under the budget and the ladders it is compared with."""

    config: LadderConfig
    optimum: LadderCost
    compared: dict
    offered: dict = None      # rungs of each compared ladder up to max_batch, before the budget

    def cut(self, name):
        """``(kept, offered)`` rungs of a compared ladder when the budget cut it, else ``None``."""
        offered = (self.offered or {}).get(name)
        kept = len(self.compared[name].rungs)
        return (kept, offered) if offered is not None and offered > kept else None


def ladder_report(config):
    """What ``derive ladder`` prints: the optimal ladder and the comparisons."""
    offered = {name: len([size for size in ladder(config.max_batch) if size <= config.max_batch])
               for name, ladder in COMPARED.items()}
    return LadderReport(config, optimal_ladder(config), compare_ladders(config), offered)


def ladder_json(report):
    """Issue #7's JSON object: ``rungs``, ``total_time``, ``expected_step_time``,
    ``memory`` and ``compared`` (the same figures for each comparison)."""
    return {**report.optimum.as_json(),
            "compared": {name: cost.as_json() for name, cost in report.compared.items()}}


def _approx(value):
    return f"{float(value):.6g}"


def _rung_text(rungs, limit=12):
    if len(rungs) <= limit:
        return " ".join(map(str, rungs)) or "(none)"
    return " ".join(map(str, rungs[:limit])) + f" … {rungs[-1]}"


def ladder_text(report):
    """The report as text: exact figures in the JSON, rounded ones here for reading.
    With uniform traffic it ends with the closed form (which imports sympy)."""
    config, best = report.config, report.optimum
    lines = [
        f"optimal ladder: {len(best.rungs)} rungs, memory {_approx(best.memory)} "
        f"of budget {_approx(config.memory_budget)}",
        f"  rungs               {_rung_text(best.rungs)}",
        f"  total time          {_approx(best.total_time)}  (exact {best.total_time})",
        f"  expected step time  {_approx(best.expected_step_time)}",
        f"  capture time        {_approx(best.capture_time)}",
        "",
        f"  {'compared with':<16}{'rungs':>10}{'total time':>14}{'x optimum':>11}{'memory':>12}",
    ]
    cuts = []
    for name, cost in report.compared.items():
        ratio = cost.total_time / best.total_time if best.total_time else Fraction(1)
        cut = report.cut(name)
        rungs = f"{cut[0]} of {cut[1]}" if cut else str(len(cost.rungs))
        if cut:
            cuts.append(name)
        lines.append(f"  {name:<16}{rungs:>10}{_approx(cost.total_time):>14}"
                     f"{float(ratio):>11.4f}{_approx(cost.memory):>12}")
    if cuts:
        lines.append(f"  ({' and '.join(cuts)}: cut to fit the memory budget, largest rungs "
                     "first; the batches above the top rung run eagerly)")
    if config.uniform:
        lines += ["", *closed_form_text(compare_closed_form(config, best))]
    return "\n".join(lines)
