"""Per-shape accounting: each shape's race against a walk, and the totals added up by hand."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derive.engine.presets import custom_model
from derive.engine.shapes import Shape, per_shape_totals
from derive.errors import BindingError
from tests.oracle import eager_total, first_win_by_walking, graph_total

shape_values = st.tuples(
    st.integers(1, 40),                                                    # n
    st.one_of(st.none(), st.fractions(min_value=Fraction(1, 4), max_value=200, max_denominator=4)),
    st.integers(1, 300),                                                   # calls
)


@given(st.lists(shape_values, min_size=1, max_size=5))
def test_lab_shapes_against_the_oracle(drawn):
    shapes = [Shape(f"batch {i}", calls, n=size, **({} if cost is None else {"c": cost}))
              for i, (size, cost, calls) in enumerate(drawn)]
    result = per_shape_totals("cuda-graph", shapes)
    eager = graph = 0
    for race, (size, cost, calls) in zip(result.races, drawn):
        cost = size if cost is None else cost                            # the lab's default c = n
        assert race.baseline == eager_total(size, calls)
        assert race.amortized == graph_total(size, calls, cost)
        assert race.first_call == first_win_by_walking(size, cost, 1000 if size > 1 else 3)
        assert race.wins == (graph_total(size, calls, cost) < eager_total(size, calls))
        eager += eager_total(size, calls)
        graph += graph_total(size, calls, cost)
    assert (result.baseline, result.amortized) == (eager, graph)
    assert result.ratio == Fraction(eager) / graph and result.wins == (graph < eager)


def test_spreading_calls_over_shapes_pays_one_capture_each():
    """The same 1000 calls, on one shape or spread over 100: each shape captures once."""
    one = per_shape_totals("wall-clock", [Shape("b1", 1000, n=30, c=90, t_launch=5, t_gpu=20)])
    many = per_shape_totals("wall-clock", [Shape(f"b{i}", 10, n=30, c=90, t_launch=5, t_gpu=20)
                                           for i in range(100)])
    assert one.baseline == many.baseline == 1000 * (30 * 5 + 20)
    assert one.amortized == 90 * 5 + 20 + 999 * 25
    assert many.amortized == 100 * (90 * 5 + 20 + 9 * 25)
    assert one.ratio > many.ratio > 1


def test_custom_models_and_types_are_exact():
    model = custom_model("k*t_eager", "t_setup + k*t_fast")
    result = per_shape_totals(model, [Shape("s", 3, t_eager="1/3", t_fast=Fraction(1, 4), t_setup=0.5)])
    (race,) = result.races
    assert race.baseline == 1 and type(race.baseline) is int
    assert race.amortized == Fraction(5, 4)
    assert race.first_call == 7 and not race.wins


@pytest.mark.parametrize("shapes, error, message", [
    ([], ValueError, "at least one Shape, got none"),
    ([Shape("a", 1, n=3), Shape("a", 2, n=3)], ValueError, "shape names must be distinct, got 'a'"),
    ([("a", 1)], TypeError, "shapes must hold Shape objects"),
    ([Shape("a", 1, c=3)], BindingError, "shape 'a' leaves n \\(integer >= 1\\) without a value"),
    ([Shape("a", 1, n=0)], BindingError, "n must be integer >= 1, got 0"),
    ([Shape("a", 1, n=3, x=1)], BindingError, "has no parameter 'x'"),
])
def test_bad_shapes(shapes, error, message):
    with pytest.raises(error, match=message):
        per_shape_totals("cuda-graph", shapes)


@pytest.mark.parametrize("args, error, message", [
    (("a", 0), ValueError, "calls must be >= 1, got 0"),
    (("a", 2.0), TypeError, "calls must be an int, got float"),
    (("a", True), TypeError, "calls must be an int, got bool"),
    (("", 1), TypeError, "name must be a non-empty str"),
])
def test_bad_shape(args, error, message):
    with pytest.raises(error, match=message):
        Shape(*args)


def test_model_must_be_a_model():
    with pytest.raises(TypeError, match="model must be a Model or a preset's name, got int"):
        per_shape_totals(3, [Shape("a", 1, n=3)])
