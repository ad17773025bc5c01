"""The live-panel pattern, driven from Python with a toy model (no browser)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from helpers.validation import require_number
from helpers.widgets import Choice, LivePanel, MultiChoice, Slider, View, parameters_from_table


def doubling_model(rate: float, count: int, shape: str = "line") -> View:
    """Toy model: y = rate * x for x in 0..count; refuses rate outside 0..5 like a real model would."""
    require_number("rate", rate, minimum=0, maximum=5)
    frame = pd.DataFrame({"x": range(count + 1)})
    frame["y"] = rate * frame["x"]
    mark = alt.Chart(frame).mark_line() if shape == "line" else alt.Chart(frame).mark_point()
    chart = mark.encode(x="x:Q", y="y:Q").properties(title=f"slope {rate:g}")
    return View(chart=chart, table=frame.tail(1), text=f"last y = {frame['y'].iloc[-1]:g}")


PARAMETERS = [
    Slider("rate", "Rate", 0.0, 5.0, 0.5, 1.0, "per step", "slope of the line"),
    Slider("count", "Points", 1, 10, 1, 4, "", "how many steps"),
    Choice("shape", "Shape", ("line", "point"), "line"),
]


def test_panel_builds_controls_from_parameters():
    panel = LivePanel(PARAMETERS, doubling_model, title="Toy")
    assert set(panel.controls) == {"rate", "count", "shape"}
    assert panel.controls["rate"].min == 0 and panel.controls["rate"].max == 5
    assert panel.controls["count"].__class__.__name__ == "IntSlider"
    assert panel.values() == {"rate": 1.0, "count": 4, "shape": "line"}
    assert "live-panel" in panel._dom_classes


def test_moving_a_control_redraws_chart_table_and_text_as_the_model_says():
    panel = LivePanel(PARAMETERS, doubling_model)
    assert panel.chart_widget.spec["title"] == "slope 1"
    panel.controls["rate"].value = 2.5
    assert panel.chart_widget.spec["title"] == "slope 2.5"
    assert "10.00" in panel.table_widget.value  # 2.5 * 4
    assert "last y = 10" in panel.text_widget.value
    panel.controls["shape"].value = "point"
    assert panel.chart_widget.spec["mark"]["type"] == "point"
    assert len(panel.redraw_times_s) == 2


def test_sliders_cannot_leave_their_range():
    panel = LivePanel(PARAMETERS, doubling_model)
    panel.controls["rate"].value = 7  # ipywidgets clamps a slider's value to its max
    assert panel.controls["rate"].value == 5
    assert panel.chart_widget.spec["title"] == "slope 5"
    panel.controls["rate"].value = -3
    assert panel.controls["rate"].value == 0


def test_check_bounds_renders_every_corner_and_catches_a_bad_range():
    assert LivePanel(PARAMETERS, doubling_model).check_bounds() == 2 + 2 + 2
    too_wide = [Slider("rate", "Rate", 0.0, 9.0, 0.5, 1.0), PARAMETERS[1]]
    with pytest.raises(ValueError, match="rate"):
        LivePanel(too_wide, doubling_model).check_bounds()


def test_set_values_rejects_unknown_names():
    panel = LivePanel(PARAMETERS, doubling_model)
    panel.set_values(rate=3.0, count=2)
    assert "6.00" in panel.table_widget.value
    with pytest.raises(ValueError, match="name must be one of"):
        panel.set_values(speed=1)


def test_parameters_from_table():
    table = pd.DataFrame([{"name": "rate", "label": "Rate", "minimum": 0, "maximum": 5, "step": 0.5, "default": 2,
                           "unit": "per step", "description": "slope"}])
    (slider,) = parameters_from_table(table)
    assert slider == Slider("rate", "Rate", 0.0, 5.0, 0.5, 2.0, "per step", "slope")
    with pytest.raises(ValueError, match="missing"):
        parameters_from_table(table.drop(columns="step"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(minimum=5, maximum=1), "rate.maximum"),
        (dict(step=0), "rate.step"),
        (dict(default=9), "rate.default"),
        (dict(minimum=float("nan")), "rate.minimum"),
    ],
)
def test_bad_slider_definitions(kwargs, message):
    base = dict(name="rate", label="Rate", minimum=0.0, maximum=5.0, step=0.5, default=1.0)
    with pytest.raises(ValueError, match=message):
        Slider(**{**base, **kwargs})


def test_bad_choice_and_bad_render():
    with pytest.raises(ValueError, match="shape.default"):
        Choice("shape", "Shape", ("line",), "bar")
    with pytest.raises(ValueError, match="render must return a View"):
        LivePanel(PARAMETERS, lambda **values: None)
    with pytest.raises(ValueError, match="parameters"):
        LivePanel([], doubling_model)


def optional_chart_model(rate: float) -> View:
    """Draws nothing at rate 0, to show the panel hides a chart it has no data for."""
    if rate == 0:
        return View(text="nothing to draw at rate 0")
    return doubling_model(rate, 3)


def test_a_view_without_chart_hides_the_old_chart():
    panel = LivePanel([PARAMETERS[0]], optional_chart_model)
    assert panel.chart_widget.layout.display is None
    panel.controls["rate"].value = 0
    assert panel.chart_widget.layout.display == "none"
    assert "nothing to draw" in panel.text_widget.value
    panel.controls["rate"].value = 2
    assert panel.chart_widget.layout.display is None and panel.chart_widget.spec["title"] == "slope 2"


# ------------------------------------------------------------------------------------------------ MultiChoice

def sum_model(picked=()) -> View:
    """Toy model over a multi-select: adds the picked numbers; nothing picked -> text only, no chart."""
    if not picked:
        return View(text="pick at least one number")
    frame = pd.DataFrame({"n": [int(p) for p in picked]})
    chart = alt.Chart(frame).mark_bar().encode(x=alt.X("n:O"), y=alt.Y("n:Q")).properties(title=f"sum {frame.n.sum()}")
    return View(chart=chart, text=f"sum = {frame['n'].sum()}")


NUMBERS = MultiChoice("picked", "Numbers", ("1", "2", "3"), ("1", "3"), "pick any", labels=("one", "two", "three"))


def test_multichoice_widget_corners_and_labels():
    widget = NUMBERS.make_widget()
    assert widget.__class__.__name__ == "SelectMultiple"
    assert widget.value == ("1", "3") and list(widget.options) == [("one", "1"), ("two", "2"), ("three", "3")]
    assert NUMBERS.corner_values() == (("1",), ("1", "2", "3"))
    plain = MultiChoice("p", "P", ["a", "b"], ["b"])  # lists become tuples; labels default to the options
    assert plain.options == ("a", "b") and plain.default == ("b",) and list(plain.make_widget().options) == [
        ("a", "a"), ("b", "b")]


def test_multichoice_in_a_panel_redraws_and_hides_the_chart_when_nothing_is_picked():
    panel = LivePanel([NUMBERS], sum_model)
    assert panel.values() == {"picked": ("1", "3")} and "sum = 4" in panel.text_widget.value
    panel.controls["picked"].value = ("1", "2", "3")
    assert panel.chart_widget.spec["title"] == "sum 6"
    panel.controls["picked"].value = ()
    assert panel.chart_widget.layout.display == "none" and "pick at least one" in panel.text_widget.value
    assert panel.check_bounds() == 2


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(default=("4",)), "n.default"),
    (dict(default=("1", "1")), "n.default"),
    (dict(default="1"), "n.default"),
    (dict(options=()), "n.options"),
    (dict(options="123", default=()), "n.options"),
    (dict(options=("1", "1"), default=()), "n.options"),
    (dict(options=(1, 2), default=()), "n.options"),
    (dict(labels=("one",)), "n.labels"),
])
def test_bad_multichoice_definitions(kwargs, message):
    base = dict(name="n", label="N", options=("1", "2"), default=("1",))
    with pytest.raises(ValueError, match=message):
        MultiChoice(**{**base, **kwargs})


def selection_model(rate: float) -> View:
    """A chart whose params change with the input: rate 0 adds a point selection."""
    chart = doubling_model(rate, 3).chart
    if rate == 0:
        chart = chart.add_params(alt.selection_point(name="pick"))
    return View(chart=chart)


def test_redraw_swaps_the_spec_and_rewires_params_when_they_change():
    panel = LivePanel([PARAMETERS[0]], selection_model)
    first_chart = panel.chart_widget.chart
    panel.controls["rate"].value = 3
    assert panel.chart_widget.spec == panel.view.chart.to_dict()
    assert panel.chart_widget.chart is first_chart  # same params: only the spec was swapped
    panel.controls["rate"].value = 0
    assert [p["name"] for p in panel.chart_widget.spec["params"]] == ["pick"]
    assert panel.chart_widget.chart is panel.view.chart  # new params: full path, selection wired up
    assert "pick" in panel.chart_widget.selections.trait_names()


def invalid_chart_model(rate: float) -> View:
    """Draws an invalid chart at the top of the range (a width that is not a number), as a broken builder would."""
    view = doubling_model(rate, 3)
    if rate == 5:
        view.chart = view.chart.properties(width="wide")
    return view


def test_check_bounds_validates_the_charts_it_draws():
    panel = LivePanel([PARAMETERS[0]], invalid_chart_model)
    with pytest.raises(Exception, match="wide"):
        panel.check_bounds()
