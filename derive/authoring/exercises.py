"""Randomized exercises on the lab, with exact answers, worked solutions and distractors.

A course author asks for a bank — ``exercises(count, seed)`` — and gets the same bank for
the same seed, so a quiz can be regenerated, and a different one for another seed, so
that students cannot copy answers. Each :class:`Exercise` has its exact answer (from the
derivation engine's compiled functions), a worked solution, and wrong answers drawn
from the classic mistakes, each labelled with the mistake it embodies.

=======================  ===============================================================
``exercises``            a bank: ``count`` exercises from ``random.Random(seed)``
``exercise``             one exercise of a kind at given parameters
``min_capture_cost``     the smallest capture cost that delays the crossover to a call
``render``               a bank as ``markdown``, ``json``, ``moodle-xml``, ``gift`` or
                         ``latex`` (a printable sheet; ``latex_pdf`` compiles it)
``Exercise``             kind, parameters, question, answer, solution, distractors
``Distractor``           a wrong answer and the mistake that produces it
``KINDS`` / ``FORMATS``  the kinds of exercise and the output formats
=======================  ===============================================================

Kinds: ``crossover`` (the first call at which the graph is strictly cheaper, or
``never``), ``eager_total`` and ``graph_total`` (the totals at call ``k``),
``per_call_ratio`` (E(k)/G(k), exact), ``asymptote`` (its limit) and
``min_capture_cost`` (the smallest capture cost that delays the crossover to call
``k``). Capture costs are whole or fractional, below one launch or many; ``n = 1``
appears, where the graph wins at call 1 or never.

>>> e = exercise("crossover", n=30, c=90)
>>> e.answer, [d.answer for d in e.distractors]
('4', ['89/29', '5', '3', '2', 'never'])
>>> e.distractors[0].mistake
'the continuous root (c - 1)/(n - 1), not a whole call'
>>> exercise("crossover", n=1, c=2).answer
'never'
>>> exercise("min_capture_cost", n=30, k=4).answer
'88'

Algorithm notes (``min_capture_cost``). For n ≥ 2 the crossover is
``⌊(c − 1)/(n − 1)⌋ + 1`` when that is at least 1. It equals a call K ≥ 2 exactly when

    K − 1 ≤ (c − 1)/(n − 1) < K   ⇔   (K − 1)(n − 1) + 1 ≤ c < K(n − 1) + 1,

an interval closed on the left, so the smallest capture cost that delays the crossover
to call K exists and is ``(K − 1)(n − 1) + 1`` — a whole number even though c ranges
over the rationals. At that cost the totals tie at call K − 1 (a tie is not a win); at
any smaller cost the graph wins at K − 1 already. With K = 2 it is ``n``: the lab's
default capture cost is the cheapest that does not already win at call 1.
"""

import json
import random
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from .._version import __version__
from ..text.prose import latex_prose

__all__ = ["FORMATS", "KINDS", "Distractor", "Exercise", "bank_arguments", "exercise", "exercises", "latex_pdf",
           "min_capture_cost", "render"]

KINDS = ("crossover", "eager_total", "graph_total", "per_call_ratio", "asymptote",
         "min_capture_cost")
FORMATS = ("markdown", "json", "moodle-xml", "gift", "latex")
NEVER = "never"
MODEL = "cuda-graph"
#: Kinds whose answer may be ``never``: always asked as multiple choice, ``never`` an option.
CHOICE_KINDS = ("crossover",)

#: Wrong answers per exercise: at least (a multiple-choice question needs some), at most.
MIN_DISTRACTORS, MAX_DISTRACTORS = 3, 5
MAX_COUNT = 10_000

_SIZES = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30, 32, 40, 48, 50, 64, 100, 128, 200, 256, 300)
_DENOMINATORS = (2, 3, 4, 5, 8, 10)


@dataclass(frozen=True)
class Distractor:
    """A wrong answer (exact text, or ``never``) and the mistake that leads to it."""

    answer: str
    mistake: str


@dataclass(frozen=True)
class Exercise:
    """One exercise; ``parameters`` maps ``n``, ``c``, ``k`` (those used) to exact numbers."""

    kind: str
    parameters: dict
    question: str
    answer: str
    solution: str
    distractors: tuple

    def as_dict(self):
        """The JSON record: exact numbers as strings; distractors and their mistakes."""
        return {
            "kind": self.kind,
            "parameters": {name: _text(value) for name, value in self.parameters.items()},
            "question": self.question,
            "answer": self.answer,
            "solution": self.solution,
            "distractors": [d.answer for d in self.distractors],
            "mistakes": [d.mistake for d in self.distractors],
        }


# -- exact arithmetic, through the engine ---------------------------------------------------

class _Lab:
    """The lab's quantities as the engine's compiled functions of ``(n, c[, k])``."""

    def __init__(self):
        from ..engine.derivation import derive

        d = derive(MODEL)
        names = [p.name for p in d.model.parameters]
        if names != ["n", "c"]:
            raise ValueError(f"exercises need a model with parameters n, c; got {', '.join(names)}")
        self.eager = d.function("baseline")
        self.graph = d.function("amortized")
        self.ratio = d.function("per_call_ratio")
        self.first = d.function("crossover")
        self.limit = d.function("asymptote")


_LAB = None


def _lab(model=MODEL):
    global _LAB
    if model != MODEL:
        raise ValueError(f"model must be {MODEL!r} (the exercises are written for the lab), "
                         f"got {model!r}")
    if _LAB is None:
        _LAB = _Lab()
    return _LAB


def _exact(value):
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def _text(value):
    """Exact text: ``4``, ``45/2``; ``None`` is ``never``."""
    if value is None:
        return NEVER
    value = _exact(value)
    return str(value)


def bank_arguments(count, seed, kinds, known):
    """``(count, kinds)`` checked for a bank of ``known`` kinds: the one place that says what
    a bank's ``count``, ``seed`` and ``kinds`` may be (the lab's bank and every model's).

    >>> bank_arguments(3, 0, ["crossover"], KINDS)
    (3, ('crossover',))
    >>> bank_arguments(3, 0, ["warp"], ("crossover",))
    Traceback (most recent call last):
    ...
    ValueError: kinds must be some of crossover, got warp
    """
    count = _count("count", count)
    if count > MAX_COUNT:
        raise ValueError(f"count must be <= {MAX_COUNT} (the most one bank holds), got {count}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    kinds = tuple(kinds)
    if not kinds or any(kind not in known for kind in kinds):
        given = ", ".join(map(str, kinds)) or "none"
        raise ValueError(f"kinds must be some of {', '.join(known)}, got {given}")
    return count, kinds


def _count(name, value, least=1):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int >= {least}, got {type(value).__name__} {value!r}")
    if value < least:
        raise ValueError(f"{name} must be >= {least}, got {value!r}")
    return value


def _cost(value):
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise TypeError(f"c must be an int or Fraction > 0, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"c must be > 0, got {value!r}")
    return _exact(Fraction(value))


def min_capture_cost(num_ops, first_call):
    """The smallest capture cost at which the graph first wins at call ``first_call``.

    Needs ``num_ops >= 2`` (with one op the graph wins at call 1 or never) and
    ``first_call >= 2`` (any cost below 1 wins at call 1; there is no smallest).

    >>> min_capture_cost(30, 2), min_capture_cost(30, 4), min_capture_cost(3, 5)
    (30, 88, 9)
    """
    n = _count("num_ops", num_ops, 2)
    call = _count("first_call", first_call, 2)
    return (call - 1) * (n - 1) + 1


# -- one exercise ---------------------------------------------------------------------------

def exercise(kind, *, n, c=None, k=None):
    """The exercise of ``kind`` at ``n`` (and ``c``, ``k`` where the kind uses them).

    ``c`` is an ``int`` or ``Fraction`` > 0, default ``n``; for ``min_capture_cost``
    ``k`` is the call the crossover is to be delayed to.

    >>> exercise("graph_total", n=30, c=Fraction(45, 2), k=4).answer
    '51/2'
    >>> exercise("per_call_ratio", n=30, c=90, k=4).answer
    '40/31'
    """
    try:
        build = _BUILDERS[kind]
    except (KeyError, TypeError):
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}") from None
    n = _count("n", n)
    c = n if c is None else _cost(c)
    return build(_lab(), n, c, k)


def _setting(n, c):
    return (f"A model runs n = {_plural(n, 'op')} per call. Run eagerly, every call costs n launches. "
            f"Captured as a CUDA graph, the first call costs c = {_text(c)} launches (the "
            "capture) and every later call replays in one launch.")


def _choices(answer, candidates, nearby, *, never=False):
    """Distractors: the classic mistakes in order, then nearby values while there are too
    few; never the answer, no repeats, at most :data:`MAX_DISTRACTORS`. With ``never``
    (a crossover), ``never`` is always one of the options, answer or distractor, so that
    the choices do not give it away."""
    if never and answer != NEVER and not any(value == NEVER for value, _ in candidates):
        candidates = list(candidates) + [(NEVER, "thought the capture never pays back")]
    seen, out = {answer}, []
    every = out                                   # all of them, before the cut
    for value, mistake in candidates:
        text = _text(value) if not isinstance(value, str) else value
        if text not in seen:
            seen.add(text)
            out.append(Distractor(text, mistake))
    for value, mistake in nearby:
        if len(out) >= MIN_DISTRACTORS:
            break
        text = _text(value)
        if text not in seen:
            seen.add(text)
            out.append(Distractor(text, mistake))
    out = out[:MAX_DISTRACTORS]
    if never and answer != NEVER and all(d.answer != NEVER for d in out):
        out = out[:-1] + [next(d for d in every if d.answer == NEVER)]
    return tuple(out)


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _nearby(value, lowest=1, step=1):
    """Neighbours of an exact answer, for when the classic mistakes coincide with it."""
    out = []
    for delta in (1, -1, 2, -2, 3, 4, 5):
        near = value + delta * step
        if near >= lowest:
            out.append((near, "a nearby value"))
    return out


def _totals_check(lab, n, c, call):
    e, g = lab.eager(n, c, call), lab.graph(n, c, call)
    relation = "<" if g < e else ("=" if g == e else ">")
    return f"G({call}) = {_text(g)} {relation} E({call}) = {_text(e)}"


def _crossover(lab, n, c, k):
    first = lab.first(n, c)
    answer = _text(first)
    question = (_setting(n, c) + " At which call k is the graph's total number of launches "
                "first strictly smaller than the eager total, if at any?")
    if n == 1:
        holds = "<" if c < 1 else ">="
        solution = (
            "With n = 1 both totals grow by one launch per call: E(k) = k and "
            "G(k) = c + k - 1, so G(k) < E(k) exactly when c < 1, whatever k is. "
            f"Here c = {_text(c)} {holds} 1, so the answer is {answer}.")
        candidates = [(NEVER if first is not None else 1,
                       "the n = 1 rule the wrong way round: with one op the graph is ahead "
                       "from call 1 exactly when c < 1"),
                      (2, "the lab's headline, call 2, holds for c = n > 1 only"),
                      (NEVER if first is not None else 2, "guessed")]
        return Exercise("crossover", {"n": n, "c": c}, question, answer, solution,
                        _choices(answer, candidates, _nearby(first or 1), never=True))
    root = Fraction(c - 1) / (n - 1)
    lines = [
        "The graph is strictly cheaper at call k when c + k - 1 < k*n, that is "
        f"(n - 1)*k > c - 1, that is k > (c - 1)/(n - 1) = {_text(root)}."]
    if root < 0:
        lines.append("The root is negative (c < 1), so every call k >= 1 satisfies it: call 1.")
    else:
        lines.append(f"The least whole k strictly above it is floor({_text(root)}) + 1 = {answer}.")
        if root.denominator == 1 and root >= 1:
            lines.append(f"At k = {_text(root)} the totals tie, and a tie is not a win: "
                         f"ceil of the root, {_text(root)}, is one call too early.")
    checks = [_totals_check(lab, n, c, call) for call in (first - 1, first) if call >= 1]
    lines.append("Check: " + "; ".join(checks) + ".")
    candidates = []
    if root > 0 and root.denominator > 1:
        candidates.append((root, "the continuous root (c - 1)/(n - 1), not a whole call"))
    elif root >= 1:
        candidates.append((root, "the ceiling of the root: at a whole root the totals only tie"))
    candidates += [(first + 1, "one call late: off by one past the boundary"),
                   (first - 1, "one call early: took a tie (or a loss) for a win"),
                   (2, "the lab's headline, call 2, holds for c = n only"),
                   (NEVER, "thought the capture never pays back; with n > 1 every replay "
                           "saves n - 1 launches")]
    candidates = [(v, m) for v, m in candidates if v == NEVER or v >= 1]
    return Exercise("crossover", {"n": n, "c": c}, question, answer, " ".join(lines),
                    _choices(answer, candidates, _nearby(first), never=True))


def _eager_total(lab, n, c, k):
    k = _count("k", k)
    total = lab.eager(n, c, k)
    question = (f"A model runs n = {_plural(n, 'op')} per call, each op one kernel launch. "
                f"How many launches {'does' if k == 1 else 'do'} k = {_plural(k, 'eager call')} cost in total?")
    solution = f"Every eager call launches all n ops: E(k) = k*n = {k}*{n} = {total}."
    candidates = [((k - 1) * n, "off by one: counted k - 1 calls"),
                  ((k + 1) * n, "off by one: counted k + 1 calls"),
                  (k + n, "added k and n instead of multiplying"),
                  (n, "the cost of one call, not the total")]
    candidates = [(v, m) for v, m in candidates if v >= 1]
    return Exercise("eager_total", {"n": n, "k": k}, question, _text(total), solution,
                    _choices(_text(total), candidates, _nearby(total, step=n)))


def _graph_total(lab, n, c, k):
    k = _count("k", k)
    total = lab.graph(n, c, k)
    question = (_setting(n, c) + f" How many launches {'does' if k == 1 else 'do'} the first "
                f"k = {_plural(k, 'call')} cost in total with the graph?")
    solution = (f"The capture costs c on call 1, then each of the k - 1 later calls replays "
                f"in one launch: G(k) = c + (k - 1) = {_text(c)} + {k - 1} = {_text(total)}.")
    candidates = [(total + 1, "off by one: counted a replay on the capture call too (c + k)"),
                  (total - 1, "off by one: counted k - 2 replays"),
                  (k, "forgot the capture cost: one launch per call"),
                  (_exact(c * k), "paid the capture on every call"),
                  (lab.eager(n, c, k), "the eager total k*n instead")]
    candidates = [(v, m) for v, m in candidates if v > 0]
    return Exercise("graph_total", {"n": n, "c": c, "k": k}, question, _text(total), solution,
                    _choices(_text(total), candidates, _nearby(total, lowest=Fraction(1, 10**9))))


def _over(value):
    text = _text(value)
    return f"({text})" if "/" in text else text


def _per_call_ratio(lab, n, c, k):
    k = _count("k", k)
    ratio = _exact(lab.ratio(n, c, k))
    eager, graph = lab.eager(n, c, k), lab.graph(n, c, k)
    question = (_setting(n, c) + f" After k = {_plural(k, 'call')}, what is the ratio E(k)/G(k) of the "
                "eager total to the graph total? Give it exactly, as a fraction in lowest terms.")
    solution = (f"E({k}) = {k}*{n} = {eager} and G({k}) = {_text(c)} + {k - 1} = {_text(graph)}, "
                f"so E/G = {eager}/{_over(graph)} = {_text(ratio)}.")
    candidates = [(_exact(Fraction(eager) / (graph + 1)), "off by one in the graph total (c + k)"),
                  (_exact(Fraction(eager - n) / graph), "off by one in the eager total ((k - 1)*n)"),
                  (n, "the asymptote n, which the ratio only approaches"),
                  (_exact(Fraction(graph) / eager), "the ratio upside down, G/E")]
    candidates = [(v, m) for v, m in candidates if v > 0]
    return Exercise("per_call_ratio", {"n": n, "c": c, "k": k}, question, _text(ratio), solution,
                    _choices(_text(ratio), candidates, _nearby(ratio, lowest=Fraction(1, 10**9))))


def _asymptote(lab, n, c, k):
    limit = lab.limit(n, c)
    question = (_setting(n, c) + " As the number of calls k grows without bound, what value "
                "does the ratio E(k)/G(k) of the eager total to the graph total approach?")
    side = "below" if c > 1 else ("above" if c < 1 else "exactly, from the first call")
    solution = (f"E(k)/G(k) = k*n/(c + k - 1) = n/(1 + (c - 1)/k), and (c - 1)/k -> 0, so the "
                f"ratio tends to n = {limit}, whatever c is: the capture is paid once and its "
                f"share per call vanishes. Here it approaches from {side}." if c != 1 else
                f"E(k)/G(k) = k*n/(c + k - 1) = k*n/k = n = {limit} for every k (c = 1): the "
                "limit is n, whatever c is.")
    candidates = [(n - 1, "the saving per call, n - 1, not the ratio"),
                  (_exact(Fraction(n) / c), "the ratio at call 1, n/c"),
                  (c, "the capture cost"),
                  (1, "thought the capture cost cancels the gain")]
    candidates = [(v, m) for v, m in candidates if v > 0]
    return Exercise("asymptote", {"n": n, "c": c}, question, _text(limit), solution,
                    _choices(_text(limit), candidates, _nearby(limit)))


def _min_capture_cost(lab, n, c, k):
    call = _count("k", k, 2)
    cost = min_capture_cost(n, call)
    question = (f"A model runs n = {_plural(n, 'op')} per call. Run eagerly, every call costs "
                "n launches; "
                "captured as a CUDA graph, the first call costs c launches (the capture) and "
                "every later call replays in one. What is the smallest capture cost c (a "
                "rational number of launches) that delays the crossover (the first call at "
                "which the graph's total is strictly below the eager total) to call "
                f"k = {call}?")
    solution = (
        "The first winning call is floor((c - 1)/(n - 1)) + 1. It equals k exactly when "
        "k - 1 <= (c - 1)/(n - 1) < k, that is (k - 1)(n - 1) + 1 <= c < k(n - 1) + 1. "
        f"The smallest such c is ({call} - 1)({n} - 1) + 1 = {cost}. "
        f"Check with c = {cost}: {_totals_check(lab, n, cost, call - 1)} (a tie, not a win); "
        f"{_totals_check(lab, n, cost, call)}.")
    candidates = [(cost - 1, "one launch too cheap: the graph already wins at call k - 1"),
                  (cost + 1, "the ceiling rule, which wants the root strictly above k - 1"),
                  (call * (n - 1) + 1, "delays the crossover to call k + 1"),
                  ((call - 1) * n, "a cost that delays it to call k or later, not the smallest")]
    candidates = [(v, m) for v, m in candidates if v > 0]
    return Exercise("min_capture_cost", {"n": n, "k": call}, question, str(cost), solution,
                    _choices(str(cost), candidates, _nearby(cost)))


_BUILDERS = {
    "crossover": _crossover,
    "eager_total": _eager_total,
    "graph_total": _graph_total,
    "per_call_ratio": _per_call_ratio,
    "asymptote": _asymptote,
    "min_capture_cost": _min_capture_cost,
}


# -- a bank ---------------------------------------------------------------------------------

def exercises(count, seed, model=MODEL, *, kinds=KINDS):
    """A bank of ``count`` exercises drawn by ``random.Random(seed)``; same seed, same bank.

    The kinds take turns (in an order the seed shuffles); no two exercises repeat: a kind
    that runs out of distinct exercises (``eager_total`` has 1,320) gives its turn to the
    others, and a ``count`` above the number of distinct exercises is refused, saying how
    many there are.

    >>> bank = exercises(6, seed=1)
    >>> sorted(e.kind for e in bank) == sorted(KINDS)
    True
    >>> exercises(6, seed=1) == bank
    True
    """
    count, kinds = bank_arguments(count, seed, kinds, KINDS)
    _lab(model)
    if count > min(_space_size(kind) for kind in kinds):   # a kind may run out: count them all
        capacity = sum(_space_size(kind) for kind in kinds)
        if count > capacity:
            raise ValueError(f"count must be <= {capacity}: there are only {capacity} distinct "
                             f"exercises of the kinds {', '.join(kinds)}, got {count}")
    rng = random.Random(seed)
    order = list(kinds)
    rng.shuffle(order)
    bank, seen, exhausted = [], set(), set()
    turn = 0
    while len(bank) < count:
        kind = order[turn % len(order)]
        turn += 1
        if kind in exhausted:
            continue
        key = _fresh(rng, kind, seen)
        if key is None:
            exhausted.add(kind)
            continue
        seen.add(key)
        _, n, c, k = key
        bank.append(exercise(kind, n=n, c=c, k=k))
    return tuple(bank)


def _fresh(rng, kind, seen):
    """Parameters for an exercise of ``kind`` not in ``seen``: random draws, then, if they
    keep repeating, a choice among those left (``None`` when none is left)."""
    for _ in range(1000):
        n, c, k = _draw(rng, kind)
        if (kind, n, c, k) not in seen:
            return (kind, n, c, k)
    left = [key for key in _space(kind) if key not in seen]
    return rng.choice(left) if left else None


# The spaces _draw draws from, exactly: what "no two exercises repeat" can promise.

def _costs(n):
    below_one = {Fraction(p, q) for q in _DENOMINATORS for p in range(1, q)}
    if n == 1:
        return below_one | {Fraction(v) for v in (1, 2, 3, 5, Fraction(3, 2), Fraction(7, 2))}
    costs = below_one | {Fraction(n * j) for j in range(1, 6)} | {Fraction(v) for v in range(1, 5 * n + 1)}
    costs |= {Fraction(j * (n - 1) + 1) for j in range(1, 7)}
    costs |= {Fraction(p, q) for q in _DENOMINATORS for p in range(q, 5 * n * q + 1)}
    return costs


@cache
def _cost_list(n):
    return tuple(sorted(_exact(c) for c in _costs(n)))


def _sizes_for(kind):
    return ((1,) if kind in ("crossover", "asymptote", "graph_total") else ()) + _SIZES


def _space(kind):
    """Every ``(kind, n, c, k)`` that :func:`_draw` can give, in a fixed order."""
    if kind == "min_capture_cost":
        return [(kind, n, None, k) for n in _SIZES for k in range(2, 13)]
    calls = (None,) if kind in ("crossover", "asymptote") else tuple(range(1, 61))
    if kind == "eager_total":
        return [(kind, n, None, k) for n in _SIZES for k in calls]
    return [(kind, n, c, k) for n in _sizes_for(kind) for c in _cost_list(n) for k in calls]


@cache
def _space_size(kind):
    if kind == "min_capture_cost":
        return len(_SIZES) * 11
    calls = 1 if kind in ("crossover", "asymptote") else 60
    if kind == "eager_total":
        return len(_SIZES) * calls
    return sum(len(_cost_list(n)) for n in _sizes_for(kind)) * calls


def _draw(rng, kind):
    """Parameters for one exercise: n (sometimes 1), c of several shapes, k."""
    if kind == "min_capture_cost":
        return rng.choice(_SIZES), None, rng.randint(2, 12)
    n = 1 if kind in ("crossover", "asymptote", "graph_total") and rng.random() < 0.15 \
        else rng.choice(_SIZES)
    c = _draw_cost(rng, n)
    k = rng.choice((1, 2, 3)) if rng.random() < 0.15 else rng.randint(2, 60)
    if kind == "eager_total":
        c = None
    return n, c, (None if kind in ("crossover", "asymptote") else k)


def _draw_cost(rng, n):
    shape = rng.choice(("multiple", "integer", "fraction", "integer_root", "below_one"))
    if shape == "below_one":
        q = rng.choice(_DENOMINATORS)
        return Fraction(rng.randint(1, q - 1), q)
    if n == 1:
        return rng.choice((1, 2, 3, 5, Fraction(3, 2), Fraction(7, 2)))
    if shape == "multiple":
        return n * rng.randint(1, 5)
    if shape == "integer":
        return rng.randint(1, 5 * n)
    if shape == "integer_root":                     # (c - 1)/(n - 1) whole: ceil goes wrong
        return rng.randint(1, 6) * (n - 1) + 1
    q = rng.choice(_DENOMINATORS)
    value = Fraction(rng.randint(q, 5 * n * q), q)
    return _exact(value)


# -- output ---------------------------------------------------------------------------------

def render(bank, format="markdown", *, seed=None, model=MODEL):
    """The bank as text in ``format`` (one of :data:`FORMATS`); ``model`` names it."""
    try:
        writer = _WRITERS[format]
    except (KeyError, TypeError):
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}") from None
    return writer(tuple(bank), seed, model)


def _sort_key(text):
    return (1, 0) if text == NEVER else (0, Fraction(text))


def _options(e):
    return sorted([e.answer] + [d.answer for d in e.distractors], key=_sort_key)


def to_markdown(bank, seed=None, model=MODEL):
    about = f"seed {seed}, " if seed is not None else ""
    title = "the eager-graph crossover" if model == MODEL else f"model {model}"
    lines = [f"# Exercises: {title}", "",
             f"derive {__version__}, model {model}, {about}{len(bank)} exercises. "
             "The answer key with worked solutions follows the questions.", ""]
    for number, e in enumerate(bank, 1):
        lines += [f"## {number}. {e.kind.replace('_', ' ')}", "", e.question, ""]
        options = "   ".join(f"({chr(97 + i)}) {o}" for i, o in enumerate(_options(e)))
        lines += [options, ""]
    lines += ["## Answer key", ""]
    for number, e in enumerate(bank, 1):
        lines += [f"{number}. **{e.answer}**. {e.solution}"]
        wrong = "; ".join(f"{d.answer}: {d.mistake}" for d in e.distractors)
        lines += [f"   Wrong answers: {wrong}.", ""]
    return "\n".join(lines)


def to_json(bank, seed=None, model=MODEL):
    return json.dumps([e.as_dict() for e in bank], indent=2, ensure_ascii=False)


def _integer(text):
    return text != NEVER and Fraction(text).denominator == 1


def _numerical(e):
    """Moodle/GIFT numerical (typed in, tolerance 0) for whole answers; else multiple choice.
    A crossover is always multiple choice with ``never`` among the options: Moodle's
    numerical field cannot take ``never``, and a type that changed with the answer would
    give it away."""
    return e.kind not in CHOICE_KINDS and _integer(e.answer)


def _html(text):
    """A paragraph of HTML for Moodle's ``format="html"`` fields (XML escaping comes after)."""
    import html

    return f"<p>{html.escape(text, quote=False)}</p>"


def to_moodle_xml(bank, seed=None, model=MODEL):
    """Moodle XML: a ``<quiz>`` of numerical (whole answers, tolerance 0) and multichoice.

    Moodle's numerical type takes decimal numbers only, so fractional answers are asked
    as multiple choice, and so is every crossover (``never`` always among its options);
    the distractors become wrong answers with their mistake as feedback. Text is
    HTML-escaped, then XML-escaped by ElementTree.
    """
    import xml.etree.ElementTree as ET

    def text_element(parent, tag, text, format=None):
        element = ET.SubElement(parent, tag, {"format": format} if format else {})
        ET.SubElement(element, "text").text = text
        return element

    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    text_element(category, "category", f"$course$/top/derive/{model}"
                 + (f" seed {seed}" if seed is not None else ""))
    for number, e in enumerate(bank, 1):
        numerical = _numerical(e)
        question = ET.SubElement(quiz, "question",
                                 {"type": "numerical" if numerical else "multichoice"})
        text_element(question, "name", f"{number:03d} {e.kind}")
        text_element(question, "questiontext", _html(e.question), "html")
        text_element(question, "generalfeedback", _html(e.solution), "html")
        ET.SubElement(question, "defaultgrade").text = "1"
        ET.SubElement(question, "penalty").text = "0.3333333"
        ET.SubElement(question, "hidden").text = "0"
        if not numerical:
            ET.SubElement(question, "single").text = "true"
            ET.SubElement(question, "shuffleanswers").text = "true"
            ET.SubElement(question, "answernumbering").text = "abc"
        answers = [(e.answer, "100", "Right.")] + [(d.answer, "0", d.mistake) for d in e.distractors]
        for answer, fraction, feedback in answers:
            if numerical and not _integer(answer):
                continue                            # a numerical answer must be a number
            element = text_element(question, "answer", answer,
                                   "moodle_auto_format" if numerical else "html")
            element.set("fraction", fraction)
            if numerical:
                ET.SubElement(element, "tolerance").text = "0"
            text_element(element, "feedback", _html(feedback), "html")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


_GIFT_SPECIAL = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}",
                 ":": "\\:", "\n": "\\n"}


def gift_escape(text):
    r"""Text made literal for GIFT: ``\ ~ = # { } :`` escaped, newlines as ``\n``.

    >>> print(gift_escape("G(k) = c + k - 1: {x}"))
    G(k) \= c + k - 1\: \{x\}
    """
    return "".join(_GIFT_SPECIAL.get(char, char) for char in text)


def to_gift(bank, seed=None, model=MODEL):
    """GIFT: numerical ``{#=4:0 …}`` for whole answers, multiple choice ``{=… ~…}`` otherwise."""
    lines = [f"// derive exercises, model {model}" + (f", seed {seed}" if seed is not None else ""),
             f"$CATEGORY: $course$/top/derive/{gift_escape(model)}", ""]
    for number, e in enumerate(bank, 1):
        name = gift_escape(f"{number:03d} {e.kind}")
        lines.append(f"::{name}::{gift_escape(e.question)} {{")
        if _numerical(e):
            lines.append(f"\t#={gift_escape(e.answer)}:0#Right.")
            for d in e.distractors:
                if _integer(d.answer):
                    lines.append(f"\t=%0%{gift_escape(d.answer)}:0#{gift_escape(d.mistake)}")
        else:
            lines.append(f"\t={gift_escape(e.answer)}#Right.")
            for d in e.distractors:
                lines.append(f"\t~{gift_escape(d.answer)}#{gift_escape(d.mistake)}")
        lines += [f"\t####{gift_escape(e.solution)}", "}", ""]
    return "\n".join(lines)


_LATEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.2cm]{geometry}
\pdfinfoomitdate=1
\pdftrailerid{}
\pdfsuppressptexinfo=-1
\begin{document}
"""


def to_latex(bank, seed=None, model=MODEL):
    r"""A printable sheet: the questions with their options on the first pages, then, after
    a page break, the answer key with worked solutions. The same bank gives the same bytes
    (no date in the text; pdflatex told to leave the date and ID out of the PDF).

    >>> sheet = to_latex(exercises(2, seed=1), seed=1)
    >>> sheet.index(r"\section*{Questions}") < sheet.index(r"\clearpage") < sheet.index(r"\section*{Answer key}")
    True
    """
    title = "the eager--graph crossover" if model == MODEL else f"model {latex_prose(model)}"
    about = f"seed {seed}, " if seed is not None else ""
    lines = [_LATEX_PREAMBLE.rstrip("\n"),
             f"\\section*{{Exercises: {title}}}",
             f"derive {latex_prose(__version__)}, model {latex_prose(model)}, {about}{len(bank)} "
             "exercises. Choose one option for each; the answer key with worked solutions "
             "follows the questions, on a new page.", "",
             "\\section*{Questions}", "\\begin{enumerate}"]
    for e in bank:
        options = "\\quad ".join(f"({chr(97 + i)})~{latex_prose(o)}" for i, o in enumerate(_options(e)))
        lines += [f"  \\item \\textbf{{{latex_prose(e.kind.replace('_', ' '))}.}} {latex_prose(e.question)}",
                  "", f"  {options}", ""]
    lines += ["\\end{enumerate}", "", "\\clearpage", "\\section*{Answer key}", "\\begin{enumerate}"]
    for e in bank:
        wrong = "; ".join(f"{latex_prose(d.answer)}: {latex_prose(d.mistake)}" for d in e.distractors)
        lines += [f"  \\item \\textbf{{{latex_prose(e.answer)}}}. {latex_prose(e.solution)}", "",
                  f"  \\emph{{Wrong answers}}: {wrong}.", ""]
    lines += ["\\end{enumerate}", "\\end{document}", ""]
    return "\n".join(lines)


def latex_pdf(tex, out):
    """Compile ``tex`` (from :func:`to_latex`) with ``pdflatex`` into the PDF ``out``."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    program = shutil.which("pdflatex")
    if program is None:
        raise ValueError("a PDF needs pdflatex, which is not installed (Debian: texlive-latex-base)")
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="derive-sheet-") as work:
        (Path(work) / "sheet.tex").write_text(tex, encoding="utf-8")
        for _ in range(2):
            done = subprocess.run([program, "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                                  cwd=work, capture_output=True, text=True, timeout=120,
                                  env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "0",
                                       "FORCE_SOURCE_DATE": "1"})
            if done.returncode != 0:
                tail = " ".join(done.stdout.split()[-30:])
                raise ValueError(f"pdflatex failed on the sheet: {tail}")
        out.write_bytes((Path(work) / "sheet.pdf").read_bytes())
    return out


_WRITERS = {
    "markdown": to_markdown,
    "latex": to_latex,
    "json": to_json,
    "moodle-xml": to_moodle_xml,
    "gift": to_gift,
}
