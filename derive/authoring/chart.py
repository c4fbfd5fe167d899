"""The lab's chart: per-call cost against the number of calls, and the speedup.

The lab's "going further" asks for one picture: per-call cost against ``k`` for
``n ∈ {3, 30, 300}`` with capture cost ``c = 3n``, crossovers marked. :func:`chart`
computes it exactly from the engine; :func:`draw` draws it; :func:`plot` does both.

==================  ==================================================================
``chart``           the data, exact and without matplotlib: curves, crossovers, levels
``draw``            a :class:`Chart` to ``.png``, ``.svg`` or ``.pdf``, byte for byte stable
``figure``          a :class:`Chart` as a matplotlib ``Figure`` (notebooks, tests)
``plot``            ``draw(chart(...), out)``: what ``derive plot`` runs
``Chart``           the chart: its series, the varied parameter, the range of ``k``
``Series``          one value of ``n``: sampled calls, per-call costs, speedup, crossover
==================  ==================================================================

>>> lab = chart()
>>> [(s.size, s.crossover) for s in lab.series]
[(3, 5), (30, 4), (300, 4)]
>>> lab.series[1].per_call_levels, lab.series[1].asymptote
((30, 1), 30)

Left panel: each total divided by ``k`` (launches per call so far) — eager is flat at
``n``, the graph falls from ``c`` towards its one launch per replay; the first call at
which the graph's line is below eager's is the crossover (the engine's
``first_call``), marked and labelled. Any preset with a parameter ``n`` can be drawn,
its other parameters bound; totals are in launches, or in time for models with time
parameters (``t_…``). Right panel: the per-call speedup ``E(k)/G(k)``,
crossing 1 at the crossover and approaching ``n``. Axes are logarithmic where the data
span two decades or more. With ``unit_us`` — microseconds per launch, a number or the
JSON that ``derive measure`` writes, read by :func:`derive.measure.harness.load_unit_us` — the
costs are drawn in microseconds.

matplotlib is imported only to draw, and drawn as every derive figure is
(:mod:`derive.render.figures`): an explicit ``Figure`` on the Agg canvas, no pyplot, fixed
settings (the defaults, a fixed SVG hash salt, no dates in the metadata), so the same
input gives the same bytes — a report can be kept in git.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from ..measure.harness import load_unit_us
from ..render.figures import (
    FORMATS,
    check_writable,
    file_format,
    new_figure,
    save,
    style,
)

__all__ = ["FORMATS", "MAX_DRAWN", "MAX_KMAX", "MAX_SERIES", "MAX_SIZE", "Chart", "Series", "chart", "draw", "figure", "plot"]

#: The lab's chart: three model sizes, capture cost three eager passes.
LAB_SIZES = (3, 30, 300)
LAB_BINDINGS = {"c": "3*n"}

_VARIED = "n"          # the parameter the chart varies, one series per value
_DENSE = 60            # every call up to here is sampled; beyond it, geometrically
_PER_DECADE = 48       # samples per decade beyond _DENSE

# Bounds on what is drawn. Drawing converts exact values to floats, which overflow past
# 1e308; well before that a chart stops meaning anything. A model of 10**9 ops per call is
# far past any real one (the lab's go up to 300), and 10**12 calls at 10 µs each are four
# months of back-to-back calls; the default kmax for n <= 10**9 and c = 3n is 10**11. The
# costs and speedups drawn stay <= 10**15 (launches, or the t_ parameters' unit), so
# that even scaled by the largest unit (derive.measure.harness.MAX_UNIT_US) they are ordinary floats.
MAX_SIZE = 10**9       #: the largest n drawn
MAX_KMAX = 10**12      #: the largest kmax, given or by default
MAX_DRAWN = 10**15     #: the largest per-call cost or speedup drawn
MAX_SERIES = 8         #: the most values of n drawn: one colour each, a legend that fits


@dataclass(frozen=True)
class Series:
    """One value of the varied parameter: exact per-call costs at the sampled calls.

    ``first_cost`` is the amortized total after one call (for the lab: the capture
    cost ``c``). ``per_call`` holds ``(baseline(k)/k, amortized(k)/k)`` and ``speedup`` holds
    ``baseline(k)/amortized(k)``, each an ``int`` or ``Fraction``, one per call in
    ``calls``. ``crossover`` is the first winning call (``None``: never);
    ``per_call_levels`` are the two per-call costs as ``k → ∞`` (the slopes of the
    totals) and ``asymptote`` the limit of the speedup.
    """

    size: int
    first_cost: object
    calls: tuple
    per_call: tuple
    speedup: tuple
    crossover: object
    per_call_levels: tuple
    asymptote: object


@dataclass(frozen=True)
class Chart:
    """The whole chart: a model, its ``(name, value)`` bindings, one :class:`Series` per size.

    ``in_launches`` says whether the totals count launches (the lab's unit) or time, for
    models with time parameters (named ``t_…``, in whatever unit those are given).
    """

    model: str
    title: str
    labels: tuple
    bindings: str
    series: tuple
    kmax: int
    unit_us: object = None
    in_launches: bool = True

    def _repr_png_(self):
        """The chart as PNG bytes, so that a notebook shows ``chart()`` as the picture."""
        import io

        buffer = io.BytesIO()
        figure(self).savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


# -- the data -------------------------------------------------------------------------

def chart(model="cuda-graph", sizes=LAB_SIZES, *, bindings=None, kmax=None, unit_us=None):
    """The chart's data, exact: one :class:`Series` per value of ``n`` in ``sizes``.

    ``bindings`` bind the other parameters (text such as ``"3*n"`` is read by the safe
    parser); ``c`` not bound is the lab's ``c = 3*n``. ``kmax`` is the last call drawn; by
    default the first power of ten past ten times the largest first-call cost and
    crossover, so that the speedup is seen close to its ceiling (at most :data:`MAX_KMAX`).
    Sizes are ints 1 … :data:`MAX_SIZE`, ``kmax`` an int 2 … :data:`MAX_KMAX`, and every
    cost and speedup drawn at most :data:`MAX_DRAWN`; else a ValueError says which.

    >>> s = chart(sizes=(30,), bindings={"c": 90}, kmax=10).series[0]
    >>> s.crossover, s.calls[:5], s.per_call[3]
    (4, (1, 2, 3, 4, 5), (30, Fraction(93, 4)))
    >>> s.speedup[0], s.asymptote
    (Fraction(1, 3), 30)
    """
    from ..engine.derivation import derive
    from ..engine.model import Model
    from ..engine.presets import preset

    base = preset(model) if isinstance(model, str) else model
    if not isinstance(base, Model):
        raise TypeError(f"model must be a Model or a preset's name, got {type(model).__name__}")
    sizes = _sizes(sizes)
    bindings = _bindings(base, bindings)
    general = base.bind(**bindings)
    _check_free(general)
    derivations = [derive(general, **{_VARIED: size}) for size in sizes]
    if kmax is None:
        kmax = _default_kmax(derivations)
    elif isinstance(kmax, bool) or not isinstance(kmax, int) or not 2 <= kmax <= MAX_KMAX:
        raise ValueError(f"kmax must be an int >= 2 and <= 10**12, got {_short(kmax)}")
    crossovers = {d.first_call() for d in derivations} - {None}
    calls = tuple(sorted(set(_calls(kmax)) | {k for k in crossovers if k <= kmax}))
    in_launches = not any(p.name.startswith("t_") for p in base.parameters)
    unit = None if unit_us is None else _exact(load_unit_us(unit_us))
    if unit is not None and not in_launches:
        raise ValueError(f"unit_us converts launches to time; model {base.name} counts time "
                         "already (its t_ parameters)")
    series = tuple(_series(size, d, calls) for size, d in zip(sizes, derivations))
    for s in series:
        _check_drawable(s)
    return Chart(
        model=base.name,
        title=base.title or base.name,
        labels=base.labels,
        bindings=tuple(general.bindings.items()),
        series=series,
        kmax=kmax,
        unit_us=unit,
        in_launches=in_launches,
    )


def _sizes(sizes):
    sizes = tuple(sizes)
    if not sizes:
        raise ValueError("sizes must name at least one n, got none")
    if len(sizes) > MAX_SERIES:
        raise ValueError(f"sizes must name at most {MAX_SERIES} values of n (one colour and "
                         f"legend entry each), got {len(sizes)}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
            raise ValueError(f"sizes must be ints >= 1 and <= 10**9, got {_short(size)}")
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"sizes must be distinct, got {', '.join(map(str, sizes))}")
    return sizes


def _bindings(model, bindings):
    """The lab's ``c = 3*n`` for a model with a free ``c``, overridden by the user's bindings."""
    free = {p.name for p in model.parameters}
    if _VARIED not in free:
        raise ValueError(f"the chart varies {_VARIED}, which model {model.name} does not have free")
    bindings = dict(bindings or {})
    if _VARIED in bindings:
        raise ValueError(
            f"{_VARIED} is what the chart varies (give its values as sizes), not a binding")
    merged = {name: value for name, value in LAB_BINDINGS.items() if name in free}
    merged.update(bindings)
    return merged


def _check_free(model):
    left = [p.name for p in model.parameters if p.name != _VARIED]
    if left:
        raise ValueError(
            f"the chart needs every parameter but {_VARIED} bound; bind {', '.join(left)} "
            f"(e.g. --set {left[0]}=...)")


def _default_kmax(derivations):
    # Algorithm notes: the amortized per-call cost A(k)/k = a1 + a0/k is within 10% of
    # its level a1 once k >= 10·a0/a1; the first call costs A(1) = a0 + a1, so ten
    # times A(1) (and ten times the crossover) is far enough to see the ceiling.
    reach = 10
    for d in derivations:
        reach = max(reach, 10 * math.ceil(d.function("amortized")(1)), 10 * (d.first_call() or 1))
    kmax = 100
    while kmax < min(reach, MAX_KMAX):
        kmax *= 10
    return kmax


def _calls(kmax):
    """Every call up to ``_DENSE``, then about ``_PER_DECADE`` per decade, then ``kmax``."""
    calls = list(range(1, min(kmax, _DENSE) + 1))
    step = 10 ** (1 / _PER_DECADE)
    value = float(calls[-1])
    while True:
        value *= step
        call = int(round(value))
        if call >= kmax:
            break
        if call > calls[-1]:
            calls.append(call)
    if calls[-1] != kmax:
        calls.append(kmax)
    return tuple(calls)


def _check_drawable(series):
    """Refuse a series whose costs or speedups are too large to draw (:data:`MAX_DRAWN`)."""
    values = [("the first call's cost", series.first_cost)]
    values += [("the per-call cost", cost) for pair in series.per_call for cost in pair]
    values += [("the speedup", ratio) for ratio in series.speedup]
    values += [("the per-call level", level) for level in series.per_call_levels]
    for what, value in values:
        if abs(value) > MAX_DRAWN and value != float("inf"):
            raise ValueError(
                f"{what} at n = {series.size} must be <= 10**15 to be drawn, got "
                f"{_short(value)}; bind smaller values")


def _short(value):
    """A number for a message: a huge one by its size, not by its 400 digits."""
    bits = int(abs(value)).bit_length() if isinstance(value, (int, Fraction)) else 0
    if bits <= 96:
        return str(value)
    return f"about 10**{int(bits * math.log10(2))}"


def _series(size, derivation, calls):
    baseline = derivation.function("baseline")
    amortized = derivation.function("amortized")
    per_call, speedup = [], []
    for call in calls:
        b, a = baseline(call), amortized(call)
        per_call.append((_exact(Fraction(b, call)), _exact(Fraction(a, call))))
        speedup.append(Fraction(b) / Fraction(a))
    _, b1, _, a1 = derivation.model.coefficients()
    return Series(
        size=size,
        first_cost=amortized(1),
        calls=calls,
        per_call=tuple(per_call),
        speedup=tuple(speedup),
        crossover=derivation.first_call(),
        per_call_levels=(_number(b1), _number(a1)),
        asymptote=_number(derivation.asymptote),
    )


def _exact(value):
    return value.numerator if value.denominator == 1 else value


def _number(expr):
    """A bound sympy number as ``int``/``Fraction``; infinity stays ``float('inf')``."""
    if expr.is_Integer:
        return int(expr)
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_infinite:
        return float("inf")
    raise ValueError(f"expected a number once every parameter is bound, got {expr}")


# -- the picture ------------------------------------------------------------------------

_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def figure(data, *, stacked=False):
    """The chart as a matplotlib ``Figure`` on the Agg canvas (for notebooks and tests).

    The two panels side by side, or ``stacked`` one above the other (for a page).
    """
    with style():
        fig = new_figure((7.5, 10) if stacked else (12, 5.6), layout="constrained")
        cost_axes, ratio_axes = fig.subplots(2, 1) if stacked else fig.subplots(1, 2)
        handles, cost_labels = _draw_costs(cost_axes, data)
        ratio_labels = _draw_speedup(ratio_axes, data)
        fig.suptitle(_title(data), fontsize=12, fontweight="bold")
        handles, ncols = _legend_layout(handles, 3 if stacked else 4)
        fig.legend(handles=handles, loc="outside lower center", ncols=ncols, frameon=False,
                   fontsize=9)
        fig.draw_without_rendering()              # settle the layout, then place the labels
        _place_labels(cost_axes, cost_labels)
        _place_labels(ratio_axes, ratio_labels)
    return fig


def _legend_layout(handles, most):
    """Columns that keep each series' two lines together, padded with blank entries.

    matplotlib fills a legend column by column, so every column gets the same even number
    of rows: ``per`` series (two entries each), blanks at the end of the last column.
    """
    from matplotlib.lines import Line2D

    series = len(handles) // 2
    per = -(-series // most)
    ncols = -(-series // per)
    blanks = [Line2D([], [], linestyle="none", label="") for _ in range(2 * per * ncols - len(handles))]
    return handles + blanks, ncols


def draw(data, out, *, stacked=False, dpi=150):
    """Draw ``data`` (a :class:`Chart`) to ``out``; the format follows the extension.

    Returns the path written. The same chart always gives the same bytes: matplotlib's
    defaults, a fixed SVG hash salt, and no dates in the file's metadata
    (:mod:`derive.render.figures`).
    """
    file_format(out)                              # refuse a bad name before drawing
    return save(figure(data, stacked=stacked), out, dpi=dpi)


def plot(model="cuda-graph", sizes=LAB_SIZES, *, out, bindings=None, kmax=None, unit_us=None):
    """Compute the chart and draw it to ``out`` (``.png``, ``.svg`` or ``.pdf``)."""
    file_format(out)                              # refuse a bad name before any work
    check_writable(out)                           # ... and a place that cannot be written
    return draw(chart(model, sizes, bindings=bindings, kmax=kmax, unit_us=unit_us), out)


def _title(data):
    bound = ", ".join(f"{name} = {value}" for name, value in data.bindings).replace("*", "\u00b7")
    return f"{data.title}, with {bound}" if bound else data.title


def _scale(data):
    return 1 if data.unit_us is None else data.unit_us


def _cost_label(data):
    if not data.in_launches:
        return "per-call cost so far, total / k  (time, in the unit of the t_ parameters)"
    if data.unit_us is None:
        return "per-call cost so far, total / k  (launches)"
    return f"per-call cost so far, total / k  (\u00b5s, 1 launch = {_text(data.unit_us)} \u00b5s)"


def _text(value):
    if isinstance(value, Fraction):
        return f"{float(value):.4g}"
    return str(value)


def _amount(value, data):
    """A cost with its unit: ``9 launches``, ``11.25 µs``, or a time in the model's unit."""
    if not data.in_launches:
        return f"{_text(value)} (the t_ unit)"
    if data.unit_us is not None:
        return f"{_text(value)} \u00b5s"
    return f"{_text(value)} launch" + ("" if value == 1 else "es")


def _log_if_wide(axes, values, axis, decades=2):
    """A log scale, with ticks written as plain numbers, where the values span ``decades``."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    which = axes.xaxis if axis == "x" else axes.yaxis
    positive = [v for v in values if v > 0]
    if positive and max(positive) >= 10 ** decades * min(positive):
        from matplotlib.ticker import LogLocator, NullFormatter

        (axes.set_xscale if axis == "x" else axes.set_yscale)("log")
        if max(positive) < 1000 * min(positive):       # under three decades: ticks at 1, 2, 5
            which.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            which.set_minor_formatter(NullFormatter())
        which.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    elif axis == "x":                              # calls are whole numbers
        which.set_major_locator(MaxNLocator(integer=True))


def _draw_costs(axes, data):
    first, second = data.labels
    scale = _scale(data)
    handles, every, marks = [], [], []
    sizes = _marker_sizes(_dots(data, lambda s, i: float(s.per_call[i][1] * scale)), 8)
    for index, s in enumerate(data.series):
        color = _COLORS[index % len(_COLORS)]
        eager = [float(b * scale) for b, _ in s.per_call]
        graph = [float(a * scale) for _, a in s.per_call]
        every += eager + graph
        ahead = "never ahead" if s.crossover is None else f"ahead from call {s.crossover}"
        first_cost = s.first_cost * scale
        handles += axes.plot(s.calls, eager, color=color, linestyle="--", linewidth=1.4,
                             label=f"{first}, n = {s.size}")
        handles += axes.plot(s.calls, graph, color=color, linewidth=2,
                             label=f"{second}, n = {s.size}\n"
                                   f"first call costs {_amount(first_cost, data)}, {ahead}")
        if s.crossover is not None and s.crossover in s.calls:
            y = graph[s.calls.index(s.crossover)]
            axes.plot([s.crossover], [y], marker="o", markersize=sizes[index], color=color,
                      markeredgecolor="black", zorder=5 + index)
            marks.append((s.crossover, y, s.size, color))
    labels = [_mark_label(x, y, text, color) for x, y, text, color in _merged(marks, second)]
    levels = sorted({s.per_call_levels[1] for s in data.series})
    for level in levels:
        y = float(level * scale)
        if not data.in_launches:
            unit = ""
        else:
            unit = " launch" if level == 1 else " launches"
            if data.unit_us is not None:
                unit += f" = {_text(level * scale)} \u00b5s"
        axes.axhline(y, color="0.35", linestyle=":", linewidth=1.5)
        labels.append(_level_label(f"{second} per call as k \u2192 \u221e: {_text(level)}{unit}", y,
                                   color="0.25", weight="normal",
                                   box={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                        "alpha": 0.85}))
        every.append(y)
    _log_if_wide(axes, list(data.series[0].calls), "x")
    _log_if_wide(axes, every, "y", decades=1)      # costs an order of magnitude apart: log
    axes.set_xlim(1, data.kmax)
    axes.set_xlabel("calls so far, k")
    axes.set_ylabel(_cost_label(data))
    axes.set_title(f"Per-call cost: {first} (dashed) against {second} (solid)")
    axes.margins(y=0.08)                           # room for a label under the lowest level
    return handles, labels


def _merged(marks, second):
    """One label per dot: series whose crossovers coincide share it (``n = 3, 4: …``)."""
    by_point = {}
    for x, y, size, color in marks:
        by_point.setdefault((x, y), []).append((size, color))
    merged = []
    for (x, y), members in by_point.items():
        sizes = ", ".join(str(size) for size, _ in members)
        color = members[0][1] if len(members) == 1 else "black"
        merged.append((x, y, f"n = {sizes}: {second} ahead from call {x}", color))
    return merged


def _marker_sizes(points, size):
    """Marker sizes for crossover dots ``(call, value)`` (``None``: no dot): where dots
    coincide — the same call, values within 10% — the earlier ones are drawn larger (and
    beneath), so that each shows as a ring around the next."""
    sizes = []
    for index, point in enumerate(points):
        later = 0
        if point is not None:
            later = sum(1 for other in points[index + 1:] if other is not None and other[0] == point[0]
                        and abs(other[1] - point[1]) <= 0.1 * max(abs(other[1]), abs(point[1])))
        sizes.append(size + 5 * later)
    return sizes


def _dots(data, values):
    """``(call, value)`` of each series' crossover, ``values(s, i)`` the value at index ``i``."""
    return [None if s.crossover is None or s.crossover not in s.calls
            else (s.crossover, values(s, s.calls.index(s.crossover))) for s in data.series]


# -- labels placed where no curve runs -------------------------------------------------------
#
# Each label has candidate places (an anchor and an offset in points); the first whose box
# lies inside the axes, clear of every curve and of the labels already placed, is taken;
# if none is clear, the one with the fewest curve points under it. Curves are sampled in
# display coordinates after the layout is settled, so the check is on what is drawn.

def _mark_label(x, y, text, color):
    places = [((12, -8), "left", "top"), ((12, 8), "left", "bottom"),
              ((-12, -8), "right", "top"), ((-12, 8), "right", "bottom")]
    for step in (1, 2, 3):
        places += [((12 + 10 * step, -8 - 18 * step), "left", "top"),
                   ((12 + 10 * step, 8 + 18 * step), "left", "bottom"),
                   ((-12 - 10 * step, -8 - 18 * step), "right", "top"),
                   ((-12 - 10 * step, 8 + 18 * step), "right", "bottom")]
    return {"text": text, "color": color, "weight": "bold",
            "box": {"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "alpha": 0.85},
            "candidates": [((x, y), "data", offset, ha, va) for offset, ha, va in places],
            "grid": (x, y)}


def _grid_places(axes, anchor):
    """Places all over the axes (in axes fractions), nearest to ``anchor`` first."""
    ax_x, ax_y = axes.transAxes.inverted().transform(axes.transData.transform(anchor))
    places = []
    for i in range(1, 12):
        for j in range(1, 16):
            fx, fy = i / 12, j / 16
            ha = "left" if fx <= ax_x else "right"
            places.append(((fx - ax_x) ** 2 + (fy - ax_y) ** 2, fx, fy, ha))
    places.sort()
    return [(anchor, "data", (fx, fy), ha, "center", "axes fraction") for _, fx, fy, ha in places]


def _level_label(text, y, *, color, weight, box, right_first=False):
    coords = ("axes fraction", "data")
    order = []
    for lift in (3, 14, 26):
        left = [((0, y), coords, (4, lift), "left", "bottom"), ((0, y), coords, (4, -lift), "left", "top")]
        right = [((1, y), coords, (-4, lift), "right", "bottom"),
                 ((1, y), coords, (-4, -lift), "right", "top")]
        middle = [((0.5, y), coords, (0, lift), "center", "bottom"),
                  ((0.5, y), coords, (0, -lift), "center", "top")]
        order += right + left + middle if right_first else left + right + middle
    return {"text": text, "color": color, "weight": weight, "box": box, "candidates": order}


def _curve_points(axes):
    """Every drawn line of ``axes`` as points in display coordinates, about 2 px apart."""
    import numpy as np

    chunks = []
    for line in axes.get_lines():
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) == 0:
            continue
        chunks.append(xy[:1])
        for start, end in zip(xy[:-1], xy[1:]):
            steps = max(1, int(np.hypot(*(end - start)) // 2))
            t = np.linspace(0, 1, steps + 1)[1:, None]
            chunks.append(start + t * (end - start))
    return np.concatenate(chunks) if chunks else np.empty((0, 2))


def _annotate(axes, label, place):
    xy, coords, offset, ha, va, textcoords = place
    far = coords == "data" and (textcoords != "offset points" or abs(offset[0]) + abs(offset[1]) > 30)
    note = axes.annotate(label["text"], xy, xycoords=coords, xytext=offset, textcoords=textcoords,
                         ha=ha, va=va, fontsize=9, color=label["color"],
                         fontweight=label["weight"], bbox=label["box"], annotation_clip=False,
                         arrowprops={"arrowstyle": "-", "color": label["color"], "linewidth": 0.8,
                                     "shrinkA": 0, "shrinkB": 5} if far else None)
    note.set_in_layout(False)
    return note


def _box(axes, place, size):
    """The display box of a text of ``size`` (width, height) at ``place``, by arithmetic."""
    from matplotlib.transforms import Bbox

    xy, coords, offset, ha, va, textcoords = place
    if textcoords == "offset points":
        if coords == "data":
            x, y = axes.transData.transform(xy)
        else:                                      # ("axes fraction", "data")
            x = axes.transAxes.transform((xy[0], 0))[0]
            y = axes.transData.transform((1, xy[1]))[1]
        scale = axes.figure.dpi / 72
        x, y = x + offset[0] * scale, y + offset[1] * scale
    else:                                          # axes fraction
        x, y = axes.transAxes.transform(offset)
    width, height = size
    x0 = {"left": x, "right": x - width, "center": x - width / 2}[ha]
    y0 = {"bottom": y, "top": y - height, "center": y - height / 2, "baseline": y}[va]
    return Bbox.from_bounds(x0, y0, width, height).padded(1)


def _place_labels(axes, labels):
    """Annotate ``axes`` with each label at its first clear candidate place."""
    from matplotlib.text import Text

    renderer = axes.figure.canvas.get_renderer()
    points = _curve_points(axes)
    inside = axes.get_window_extent(renderer)
    placed = []
    for label in labels:
        candidates = [place + ("offset points",) for place in label["candidates"]]
        if "grid" in label:
            candidates += _grid_places(axes, label["grid"])
        probe = _annotate(axes, label, candidates[0])
        probe.get_window_extent(renderer)              # lays the text out
        extent = Text.get_window_extent(probe, renderer)
        probe.remove()
        size = (extent.width, extent.height)
        best = None
        for place in candidates:
            box = _box(axes, place, size)
            inner = points[(points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)]
            hidden = int(((inner[:, 1] >= box.y0) & (inner[:, 1] <= box.y1)).sum())
            clash = sum(box.overlaps(other) for other in placed)
            outside = not (inside.x0 <= box.x0 and box.x1 <= inside.x1
                           and inside.y0 <= box.y0 and box.y1 <= inside.y1)
            score = (outside, clash, hidden)
            if best is None or score < best[0]:
                best = (score, place, box)
            if score == (False, 0, 0):
                break
        _annotate(axes, label, best[1])
        placed.append(best[2])


def _draw_speedup(axes, data):
    first, second = data.labels
    every, labels = [], []
    sizes = _marker_sizes(_dots(data, lambda s, i: float(s.speedup[i])), 7)
    for index, s in enumerate(data.series):
        color = _COLORS[index % len(_COLORS)]
        ratio = [float(r) for r in s.speedup]
        every += ratio
        axes.plot(s.calls, ratio, color=color, linewidth=2)
        if s.asymptote != float("inf"):
            axes.axhline(float(s.asymptote), color=color, linestyle=":", linewidth=1.2)
            labels.append(_level_label(f"\u2192 {_text(s.asymptote)}", float(s.asymptote),
                                       color=color, weight="bold", box=None, right_first=True))
            every.append(float(s.asymptote))
        if s.crossover is not None and s.crossover in s.calls:
            y = float(s.speedup[s.calls.index(s.crossover)])
            axes.plot([s.crossover], [y], marker="o", markersize=sizes[index], color=color,
                      markeredgecolor="black", zorder=5 + index)
    axes.axhline(1, color="black", linewidth=1, alpha=0.6)
    labels.append(_level_label(f"break-even: {first} = {second}", 1, color="black",
                               weight="normal", box=None, right_first=True))
    _log_if_wide(axes, list(data.series[0].calls), "x")
    _log_if_wide(axes, every + [1], "y", decades=1)
    axes.set_xlim(1, data.kmax)
    axes.set_xlabel("calls so far, k")
    axes.set_ylabel(f"speedup so far, {first} total / {second} total  (times)")
    axes.set_title(f"Speedup {first}/{second} so far, approaching its ceiling (dotted)")
    return labels
