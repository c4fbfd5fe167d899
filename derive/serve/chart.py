r"""The Lab page's chart: both totals against the call k, the crossover marked — an inline SVG.

Drawn by the server from the derivation's compiled exact functions, so the browser needs
no plotting library and nothing is fetched from elsewhere. The break-even, where
the continuous totals tie, is marked too, so the chart shows why the crossover is the next
whole call after it (``⌈root⌉`` is one call early when the root is whole). The values of the free
parameters come from the page's controls (``n``, ``c``, …) as text, read by the safe
parser and held to the parameters' domains; the totals and the crossover are exact, and
only the drawing's coordinates are rounded.

>>> from derive.engine.derivation import derive
>>> svg, values, first = chart_svg(derive("cuda-graph"), {"n": "30", "c": "90"})
>>> values, first
({'n': '30', 'c': '90'}, 4)
>>> 'data-crossover="4"' in svg, "break-even k = 89/29" in svg     # a tie at 89/29 ≈ 3.07: call 4
(True, True)
"""

from fractions import Fraction
from html import escape

from ..text.parse import parse_expression

__all__ = ["MAX_VALUE", "chart_svg", "parameter_values"]

MAX_VALUE = 10**9          #: the largest value (and denominator) a control may take
_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 640, 360, 70, 20, 30, 50
_POINTS = 200              #: points per curve, at most


def _default(name, chosen):
    if name == "n":
        return 30
    if name == "c" and "n" in chosen:
        return chosen["n"]
    return 2


def parameter_values(derivation, values):
    """``{name: int | Fraction}`` for the free parameters: from ``values`` (text), else a default.

    >>> from derive.engine.derivation import derive
    >>> parameter_values(derive("cuda-graph"), {"n": "12"})
    {'n': 12, 'c': 12}
    >>> parameter_values(derive("cuda-graph"), {"n": "0"})
    Traceback (most recent call last):
    ...
    ValueError: n must be integer >= 1, got '0'
    """
    chosen = {}
    for parameter in derivation.model.parameters:
        text = values.get(parameter.name)
        if text in (None, ""):
            chosen[parameter.name] = _default(parameter.name, chosen)
            continue
        if not isinstance(text, str):
            text = str(text) if isinstance(text, int) and not isinstance(text, bool) else None
        if text is None:
            raise TypeError(f"{parameter.name} must be a number written as text")
        value = parse_expression(text, {})
        if not value.is_Rational:
            raise ValueError(f"{parameter.name} must be a number, got {text[:40]!r}")
        exact = Fraction(int(value.p), int(value.q))
        if abs(exact) > MAX_VALUE or exact.denominator > MAX_VALUE:
            raise ValueError(f"{parameter.name} must be at most {MAX_VALUE} with a denominator at most "
                             f"{MAX_VALUE}, got {text[:40]!r}")
        if not parameter.domain.contains(value):
            raise ValueError(f"{parameter.name} must be {parameter.domain}, got {text[:40]!r}")
        chosen[parameter.name] = int(exact) if exact.denominator == 1 else exact
    return chosen


def _calls(first, kmax):
    last = kmax or max(10, 2 * first if first else 20)
    step = max(1, -(-last // _POINTS))
    calls = list(range(1, last + 1, step))
    if first and first <= last and first not in calls:
        calls = sorted(calls + [first])
    return calls if calls[-1] == last else calls + [last]


def chart_svg(derivation, values, *, kmax=None):
    """``(svg, values as text, first call or None)``: the totals of the model at ``values``."""
    chosen = parameter_values(derivation, values)
    args = list(chosen.values())
    first = derivation.function("crossover")(*args)
    baseline, amortized = derivation.function("baseline"), derivation.function("amortized")
    calls = _calls(first, kmax)
    eager = [Fraction(baseline(*args, k)) for k in calls]
    graph = [Fraction(amortized(*args, k)) for k in calls]
    low, high = min(0, *eager, *graph), max(1, *eager, *graph)
    span_k = max(1, calls[-1] - 1)

    def x(k):
        return _LEFT + float(Fraction(k - 1, span_k)) * (_WIDTH - _LEFT - _RIGHT)

    def y(value):
        return _HEIGHT - _BOTTOM - float((value - low) / (high - low)) * (_HEIGHT - _TOP - _BOTTOM)

    def line(points, css):
        path = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in zip(calls, points))
        return f'<polyline class="{css}" fill="none" points="{path}"/>'

    labels = derivation.model.labels
    shown = {name: str(value) for name, value in chosen.items()}
    setting = ", ".join(f"{name} = {value}" for name, value in shown.items())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'class="chart" data-crossover="{first if first else "never"}" data-kmax="{calls[-1]}">',
        f"<title>{escape(labels[0])} and {escape(labels[1])} totals against the call k ({escape(setting)})</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{_HEIGHT - _BOTTOM}" x2="{_WIDTH - _RIGHT}" y2="{_HEIGHT - _BOTTOM}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_HEIGHT - _BOTTOM}"/>',
        f'<text x="{(_WIDTH + _LEFT) / 2:.0f}" y="{_HEIGHT - 12}" text-anchor="middle">call k (1 to {calls[-1]})</text>',
        f'<text x="{_LEFT - 8}" y="{_TOP + 4}" text-anchor="end">{escape(_short(high))}</text>',
        f'<text x="{_LEFT - 8}" y="{_HEIGHT - _BOTTOM}" text-anchor="end">{escape(_short(low))}</text>',
        line(eager, "baseline"), line(graph, "amortized"),
        f'<text class="baseline" x="{_LEFT + 10}" y="{_TOP + 4}">{escape(labels[0])} total</text>',
        f'<text class="amortized" x="{_LEFT + 10}" y="{_TOP + 22}">{escape(labels[1])} total</text>',
    ]
    even = _break_even(derivation, args)
    if even is not None and 1 <= even <= calls[-1] and even != first:
        at = x(even)
        parts += [
            f'<line class="break-even" x1="{at:.1f}" y1="{_TOP + 60}" x2="{at:.1f}" y2="{_HEIGHT - _BOTTOM}"/>',
            f'<text class="break-even" x="{at - 6 if at > _LEFT + 160 else at + 6:.1f}" y="{_TOP + 72}" '
            f'text-anchor="{"end" if at > _LEFT + 160 else "start"}">'
            f'break-even k = {escape(str(even))}</text>',
        ]
    if first and first <= calls[-1]:
        at = x(first)
        value = Fraction(amortized(*args, first))
        parts += [
            f'<line class="crossover" x1="{at:.1f}" y1="{_TOP}" x2="{at:.1f}" y2="{_HEIGHT - _BOTTOM}"/>',
            f'<circle class="crossover" cx="{at:.1f}" cy="{y(value):.1f}" r="5"/>',
            f'<text class="crossover" x="{at + 6:.1f}" y="{_TOP + 50}">crossover: call {first}</text>',
        ]
    else:
        parts.append(f'<text class="crossover" x="{_LEFT + 10}" y="{_TOP + 50}">'
                     f'{escape(labels[1])} never gets cheaper</text>')
    parts.append("</svg>")
    return "\n".join(parts), shown, first


def _break_even(derivation, args):
    """The continuous root where the totals tie (``None`` where undefined: parallel totals)."""
    try:
        value = derivation.function("break_even")(*args)
    except (ZeroDivisionError, ValueError, TypeError):
        return None
    return None if value is None else Fraction(value)


def _short(value):
    value = Fraction(value)
    return str(value) if value.denominator == 1 else f"{float(value):.4g}"
