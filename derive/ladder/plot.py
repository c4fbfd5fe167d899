"""The plot of ``derive ladder --plot FILE``: total time against the number of rungs.

For each ``r`` it draws the exact total time of ``r`` evenly spaced rungs
(:func:`~derive.ladder.closed_form.evenly_spaced_ladder`; hollow where the ladder
overflows the memory budget), the closed form ``T(r)`` when the traffic is uniform, and
marks the exact optimum, vLLM's default ladder and powers of two (each cut to the budget
when it does not fit, and labelled so: "37 of 51 rungs") and eager execution at ``r = 0``.
Times are in the unit of the config's ``t_launch`` and ``t_gpu``, memory in that of
``graph_memory``.

It is drawn as every derive figure is (:mod:`derive.render.figures`): an explicit ``Figure``
on the Agg canvas, never pyplot, so the caller's matplotlib backend is left alone;
fixed style and metadata, so the same config gives the same bytes. matplotlib is
imported only when :func:`plot_ladder` runs.
"""

from fractions import Fraction

from ..render.figures import check_writable, file_format, new_figure, save, style
from .closed_form import evenly_spaced_ladder, total_time_function
from .pricing import evaluate_ladder

__all__ = ["ladder_figure", "plot_ladder"]


def _span(config, report):
    """How many rungs the x axis shows: past every marked ladder, at most ``max_batch``."""
    marked = [len(report.optimum.rungs), *(len(cost.rungs) for cost in report.compared.values())]
    return min(config.max_batch, max(16, 2 * max(marked)))


def plot_ladder(report, out):
    """Write the plot of a :class:`~derive.ladder.report.LadderReport` to ``out`` (``.png``,
    ``.svg`` or ``.pdf``, by its extension); returns the path written."""
    file_format(out)                              # refuse a bad name before any work
    check_writable(out)
    return save(ladder_figure(report), out)


def ladder_figure(report):
    """The plot as a matplotlib ``Figure`` on the Agg canvas (for notebooks and tests)."""
    config = report.config
    counts = range(1, _span(config, report) + 1)
    costs = [evaluate_ladder(config, evenly_spaced_ladder(config.max_batch, r)) for r in counts]
    fits = [cost.memory <= config.memory_budget for cost in costs]
    with style():
        figure = new_figure((8, 5), dpi=120)
        _draw(figure.subplots(), report, counts, costs, fits)
        figure.tight_layout()
    return figure


def _draw(axes, report, counts, costs, fits):
    """Everything on the one panel: the ladders at each ``r``, the closed form, the marks."""
    config, best = report.config, report.optimum
    for inside, look in ((True, dict(marker="o", color="tab:blue")),
                         (False, dict(marker="o", markerfacecolor="none", color="tab:gray"))):
        xs = [r for r, fit in zip(counts, fits) if fit == inside]
        ys = [float(cost.total_time) for cost, fit in zip(costs, fits) if fit == inside]
        label = "evenly spaced, " + ("fits the budget" if inside else "over the budget")
        axes.plot(xs, ys, linestyle="none", markersize=3, label=label, **look)
    if config.uniform:
        _closed_curve(axes, config, counts[-1])
    if not all(fits):
        limit = fits.index(False) + 0.5                  # memory grows with r: one boundary
        axes.axvline(limit, color="tab:gray", linestyle="--", linewidth=1,
                     label="memory budget (evenly spaced)")
    axes.plot([len(best.rungs)], [float(best.total_time)], marker="*", markersize=16,
              color="tab:red", linestyle="none",
              label=f"exact optimum: {len(best.rungs)} rungs")
    markers = {"eager": ("s", "black"), "vllm_default": ("D", "tab:green"),
               "powers_of_two": ("^", "tab:purple")}
    names = {"eager": "eager only", "vllm_default": "vLLM default", "powers_of_two": "powers of two"}
    for name, cost in report.compared.items():
        marker, color = markers[name]
        cut = report.cut(name)
        count = (f"{cut[0]} of {cut[1]} rungs (cut to the budget)" if cut
                 else f"{len(cost.rungs)} rungs")
        axes.plot([len(cost.rungs)], [float(cost.total_time)], marker=marker, markersize=9,
                  color=color, linestyle="none", label=f"{names[name]}: {count}")
    axes.set_xlabel("rungs captured (graphs of distinct batch sizes)")
    axes.set_ylabel("total time: capture + steps\n(in the unit of t_launch and t_gpu)")
    axes.set_title(f"Capture ladder, max_batch = {config.max_batch}, memory budget = "
                   f"{float(config.memory_budget):g} (in the unit of graph_memory)")
    _clip(axes, best, costs, report)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)


def _closed_curve(axes, config, last):
    total = total_time_function(config)
    xs = [1 + Fraction((last - 1) * i, 400) for i in range(401)]
    ys = [float(total(x)) for x in xs]
    axes.plot(xs, ys, color="tab:orange", linewidth=1, label="closed form T(r), uniform traffic")


def _clip(axes, best, costs, report):
    """Keep the interesting band in view: eager can be far above everything else."""
    ladders = [float(cost.total_time) for cost in costs]
    ladders += [float(c.total_time) for name, c in report.compared.items() if name != "eager"]
    low, high = min(ladders + [float(best.total_time)]), max(ladders)
    eager = float(report.compared["eager"].total_time)
    if eager > high:
        high = min(eager, low + 4 * (high - low) if high > low else eager)
    pad = (high - low) * 0.05 or abs(low) * 0.05 or 1.0
    axes.set_ylim(low - pad, high + pad)
