"""Capture sizes under a memory budget: the cost of a ladder, and the best one.

A serving engine cannot capture a graph for every batch size, so it captures a *ladder*
of sizes and pads each batch up to the next rung. Each rung costs capture time once and
graph memory for good; each padded step wastes GPU time on the padding. This module
prices a ladder exactly and finds the cheapest one that fits a memory budget.

The model (issue #7). Batch sizes ``b = 1 … max_batch`` occur with probabilities ``p_b``
(the ``traffic`` weights divided by their sum). A ladder is a set ``S`` of sizes.

* a step at batch ``b`` costs ``t_launch + t_gpu(s)`` if ``s = min{s ∈ S : s ≥ b}``
  exists (one replay, GPU work padded to ``s``), else ``n·t_launch + t_gpu(b)`` (eager),
  with ``t_gpu(b) = g0 + g1·b``;
* capturing rung ``s`` costs ``capture_passes·(n·t_launch + t_gpu(s))`` once and
  ``graph_memory(s) = m0 + m1·s`` of memory;
* total time = ``steps·Σ_b p_b·step(b)`` + the capture times, subject to
  ``Σ_{s∈S} graph_memory(s) ≤ memory_budget``.

=========================  ==========================================================
``LadderConfig``           the model's numbers, validated and exact (from
``load_ladder_config``     :mod:`derive.ladder.config`); from a TOML file
``evaluate_ladder``        the ``LadderCost`` of a given ladder, walking every batch
``optimal_ladder``         the exact optimum under the budget (see ``ladder_search``)
``vllm_default_ladder``    ``[1, 2, 4] + range(8, 256, 8) + range(256, max + 1, 16)``
``powers_of_two_ladder``   ``1, 2, 4, …`` up to ``max_batch``
``truncate_to_budget``     the longest run of smallest rungs that fits the budget
``compare_ladders``        eager only, vLLM's default and powers of two, truncated
=========================  ==========================================================

Every number is an ``int`` or a :class:`~fractions.Fraction`; a float handed in is
converted exactly, and TOML floats are read from their decimal text (``5e-6`` is
``1/200000``), never rounded.

>>> from derive.ladder.config import LadderConfig
>>> config = LadderConfig(max_batch=8, traffic="uniform", n=30, t_launch=1,
...                       t_gpu=(10, 1), graph_memory=(1, 0), memory_budget=2,
...                       capture_passes=1, steps=100)
>>> best = optimal_ladder(config)
>>> best.rungs, best.total_time, best.memory
((4, 8), Fraction(1792, 1), Fraction(2, 1))
>>> evaluate_ladder(config, ()).total_time                # eager only: 100·(30 + 10 + 4.5)
Fraction(4450, 1)
"""

from dataclasses import dataclass
from fractions import Fraction

from .config import LadderConfig, check_count  # noqa: F401  (LadderConfig: the doctests build one)
from .search import search_ladder

__all__ = [
    "COMPARED",
    "LadderCost",
    "compare_ladders",
    "evaluate_ladder",
    "optimal_ladder",
    "powers_of_two_ladder",
    "truncate_to_budget",
    "vllm_default_ladder",
]


# -- pricing a ladder --------------------------------------------------------------------

@dataclass(frozen=True)
class LadderCost:
    """What a ladder costs: ``total_time = steps·expected_step_time + capture_time``."""

    rungs: tuple
    total_time: Fraction
    expected_step_time: Fraction
    capture_time: Fraction
    memory: Fraction

    def as_json(self):
        """The issue's figures, exact numbers as strings."""
        return {"rungs": list(self.rungs), "total_time": str(self.total_time),
                "expected_step_time": str(self.expected_step_time), "memory": str(self.memory)}


def _rungs(config, rungs):
    sizes = sorted(set(rungs))
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= config.max_batch:
            raise ValueError(f"rungs must be batch sizes 1 … max_batch={config.max_batch}, "
                             f"got {size!r}")
    return tuple(sizes)


def evaluate_ladder(config, rungs):
    """Price ``rungs`` under ``config`` by walking every batch size; the memory may exceed
    the budget (compare ``memory`` with ``config.memory_budget``).

    >>> config = LadderConfig(max_batch=4, traffic="uniform", n=10, t_launch=1, t_gpu=(0, 1),
    ...                       graph_memory=(1, 0), memory_budget=1, capture_passes=2, steps=4)
    >>> cost = evaluate_ladder(config, [2])     # b=1,2 padded to 2 (3 each); b=3,4 eager (13, 14)
    >>> cost.expected_step_time, cost.capture_time, cost.total_time
    (Fraction(33, 4), Fraction(24, 1), Fraction(57, 1))
    """
    sizes = _rungs(config, rungs)
    expected = Fraction(0)
    index = 0
    for batch, probability in enumerate(config.traffic, start=1):
        while index < len(sizes) and sizes[index] < batch:
            index += 1
        if probability:
            step = (config.graph_step(sizes[index]) if index < len(sizes)
                    else config.eager_step(batch))
            expected += probability * step
    capture = sum((config.capture_time(size) for size in sizes), Fraction(0))
    memory = sum((config.rung_memory(size) for size in sizes), Fraction(0))
    return LadderCost(sizes, config.steps * expected + capture, expected, capture, memory)


def optimal_ladder(config):
    """The ladder of least total time whose memory fits the budget; among ladders that tie,
    one of least memory. Exact; see :mod:`derive.ladder.search` for the algorithm.

    >>> from dataclasses import replace
    >>> few = LadderConfig(max_batch=512, traffic="uniform", n=300, t_launch=5e-6,
    ...                    t_gpu=(5e-3, 1e-5), graph_memory=(0, 0), memory_budget=0,
    ...                    capture_passes=3, steps=100)
    >>> optimal_ladder(few).rungs                  # 100 steps never repay a capture
    ()
    >>> many = optimal_ladder(replace(few, steps=1000))
    >>> len(many.rungs), many.rungs[:4], float(many.total_time)  # doctest: +ELLIPSIS
    (10, (44, 90, 137, 186), 8.098587...)
    """
    return evaluate_ladder(config, search_ladder(config))


# -- the ladders to compare with -----------------------------------------------------------

def vllm_default_ladder(max_batch):
    """vLLM's default capture sizes up to ``max_batch``:
    ``[1, 2, 4] + range(8, 256, 8) + range(256, max_batch + 1, 16)``, sizes above
    ``max_batch`` dropped.

    >>> vllm_default_ladder(40)
    (1, 2, 4, 8, 16, 24, 32, 40)
    >>> len(vllm_default_ladder(512)), vllm_default_ladder(512)[-3:]
    (51, (480, 496, 512))
    """
    sizes = [1, 2, 4, *range(8, 256, 8), *range(256, max_batch + 1, 16)]
    return tuple(size for size in sizes if size <= check_count("max_batch", max_batch))


def powers_of_two_ladder(max_batch):
    """``1, 2, 4, …`` up to ``max_batch``; batches above the largest power run eagerly.

    >>> powers_of_two_ladder(100)
    (1, 2, 4, 8, 16, 32, 64)
    """
    return tuple(1 << i for i in range(check_count("max_batch", max_batch).bit_length()))


def truncate_to_budget(config, rungs):
    """The longest run of the smallest ``rungs`` whose memory fits the budget.

    This is what lowering vLLM's maximum capture size does: the largest rungs go first,
    and the batches above the new top rung run eagerly. (Dropping rungs from the middle
    instead would be a different ladder, which the optimizer already considers.)

    >>> config = LadderConfig(max_batch=64, traffic="uniform", n=10, t_launch=1, t_gpu=(0, 1),
    ...                       graph_memory=(1, 0), memory_budget=5, capture_passes=1, steps=1)
    >>> truncate_to_budget(config, powers_of_two_ladder(64))
    (1, 2, 4, 8, 16)
    """
    kept, memory = [], Fraction(0)
    for size in _rungs(config, rungs):
        memory += config.rung_memory(size)
        if memory > config.memory_budget:
            break
        kept.append(size)
    return tuple(kept)


#: The comparisons of ``derive ladder``, by their JSON key.
COMPARED = {
    "eager": lambda max_batch: (),
    "vllm_default": vllm_default_ladder,
    "powers_of_two": powers_of_two_ladder,
}


def compare_ladders(config):
    """``{name: LadderCost}`` for eager only, vLLM's default and powers of two, each
    truncated to the budget by :func:`truncate_to_budget`."""
    return {name: evaluate_ladder(config, truncate_to_budget(config, ladder(config.max_batch)))
            for name, ladder in COMPARED.items()}
