"""The lab's results come out of the engine, and agree with the numeric functions."""

from derive.lab import EXAMPLE_SIZES, lab_json, lab_results, lab_text
from derive.numeric import asymptotic_speedup, crossover
from tests.oracle import first_win_by_walking


def test_examples_agree_with_numeric_and_brute_force():
    results = lab_results()
    for size, first, ceiling in results.examples:
        assert first == crossover(size, 3 * size) == first_win_by_walking(size, 3 * size, 10 * size)
        assert ceiling == asymptotic_speedup(size, 3 * size)
    assert [size for size, _, _ in results.examples] == list(EXAMPLE_SIZES)


def test_default_capture_cost_results():
    results = lab_results()
    assert [case.value for case in results.default.crossover] == [crossover(2), crossover(1)]


def test_renderings_mention_every_example():
    results = lab_results()
    text, data = lab_text(results), lab_json(results)
    for size, first, _ in results.examples:
        assert f"n = {size}: call {first}" in text
    assert len(data["examples"]) == len(EXAMPLE_SIZES)
