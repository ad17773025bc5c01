"""The live-panel pattern, driven from Python with a toy model (no browser)."""

from __future__ import annotations

import altair as alt
import ipywidgets as widgets
import pandas as pd
import pytest

from helpers.validation import require_number
from helpers.widgets import (MAX_LABEL_CHARS, REDRAW_HINT, Choice, LivePanel, MultiChoice, Slider, View,
                             parameters_from_table, snap_to_grid)


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
    assert isinstance(panel.controls["count"], widgets.IntSlider)
    assert isinstance(panel.controls["rate"], widgets.FloatSlider)
    assert panel.values() == {"rate": 1.0, "count": 4, "shape": "line"}
    assert "live-panel" in panel._dom_classes


def test_moving_a_control_redraws_chart_table_and_text_as_the_model_says():
    panel = LivePanel(PARAMETERS, doubling_model)
    assert panel.chart_widget.spec["title"] == "slope 1"
    panel.controls["rate"].value = 2.5
    assert panel.chart_widget.spec["title"] == "slope 2.5"
    assert ">10<" in panel.table_widget.value  # 2.5 * 4
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
    assert ">6<" in panel.table_widget.value
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
    assert isinstance(widget, widgets.SelectMultiple)
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


# ------------------------------------------------------------------------------------------------ what is shown

def test_controls_sit_in_a_responsive_grid_with_label_unit_and_description_lines():
    panel = LivePanel(PARAMETERS, doubling_model, title="Toy $5")
    grid = next(child for child in panel.children if "live-panel-controls" in child._dom_classes)
    columns = grid.layout.grid_template_columns
    assert "auto-fill" in columns and "minmax(" in columns and "470px" not in columns
    cell = grid.children[0]
    assert cell.children == (panel.label_widgets["rate"], panel.controls["rate"], panel.help_widgets["rate"])
    assert "Rate" in panel.label_widgets["rate"].value and "(per step)" in panel.label_widgets["rate"].value
    assert 'title="slope of the line"' in panel.label_widgets["rate"].value
    assert "slope of the line" in panel.help_widgets["rate"].value
    assert panel.controls["rate"].description == "" and panel.controls["rate"].tooltip == "slope of the line"
    assert panel.controls["rate"].layout.width == "100%"
    assert "white-space:normal" in panel.label_widgets["rate"].value  # wraps, never cut
    assert REDRAW_HINT.split(";")[0][2:] in panel.hint_widget.value and panel.hint_widget in panel.children
    assert "$" not in panel.children[0].value  # the title's dollar is protected


def dollar_model(rate: float) -> View:
    frame = pd.DataFrame({"option": ["a"], "cost_usd_per_month": [1234567.891], "total ($/month)": [5.0]})
    return View(text=f"It costs ${rate:,.2f} and $7 <b>a month</b>", table=frame)


def test_panel_text_and_table_protect_dollars_and_label_headers():
    panel = LivePanel([PARAMETERS[0]], dollar_model)
    assert "$" not in panel.text_widget.value.replace("&#36;", "") and "<b>a month</b>" in panel.text_widget.value
    table = panel.table_widget.value
    assert "Cost (USD per month)" in table and "cost_usd_per_month" not in table.split("<tbody")[1]
    assert "1,234,567.89" in table and "e+" not in table
    assert "$" not in table.replace("&#36;", "") and "row_heading" not in table


def long_table_model(rate: float) -> View:
    return View(table=pd.DataFrame({"n": range(40), "n_squared": [i * i for i in range(40)]}))


def test_a_long_panel_table_scrolls_inside_a_bounded_box():
    table = LivePanel([PARAMETERS[0]], long_table_model).table_widget.value
    assert "max-height" in table and "overflow: auto" in table


# ------------------------------------------------------------------------------------------------ values a control can produce

@pytest.mark.parametrize(("value", "minimum", "maximum", "step", "expected"), [
    (2, 1, 3, 2, 3), (1.9, 1, 3, 2, 1), (0.30000000000000004, 0, 1, 0.1, 0.3), (7, 0, 5, 0.5, 5),
    (-3, 0, 5, 0.5, 0), (0.96, 0, 1, 0.3, 1.0), (0.8, 0, 1, 0.3, 0.9), (0.33, 0.25, 8, 0.25, 0.25),
])
def test_snap_to_grid(value, minimum, maximum, step, expected):
    assert snap_to_grid(value, minimum, maximum, step) == pytest.approx(expected)


def test_a_value_typed_off_the_grid_snaps_and_reaches_the_model_on_the_grid():
    seen = []

    def model(term: int) -> View:
        assert term in (1, 3), f"the model got {term}"
        seen.append(term)
        return View(text=f"term {term}")

    panel = LivePanel([Slider("term", "Term", 1, 3, 2, 1, "years")], model)
    control = panel.controls["term"]
    control.set_state({"value": 2})  # what the browser sends when 2 is typed into the readout
    assert control.value in (1, 3) and seen[-1] == control.value
    float_panel = LivePanel(PARAMETERS, doubling_model)
    float_panel.controls["rate"].set_state({"value": 1.3})
    assert float_panel.controls["rate"].value == 1.5


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), "abc", True, [1]])
def test_a_non_number_from_the_browser_is_refused_and_the_control_restored(bad):
    panel = LivePanel(PARAMETERS, doubling_model)
    sent = []
    for name in ("rate", "count"):
        control = panel.controls[name]
        before = control.value
        control.send_state = lambda key=None, sent=sent: sent.append(key)
        control.set_state({"value": bad})
        assert control.value == before and sent, f"{name}: {bad!r} changed the value or was not refused"


def test_a_choice_refuses_an_index_it_does_not_have():
    panel = LivePanel(PARAMETERS, doubling_model)
    control = panel.controls["shape"]
    control.set_state({"index": 7})
    assert control.value == "line"
    control.set_state({"index": None})
    assert control.value == "line"
    control.set_state({"index": 1})
    assert control.value == "point"


def term_model(term: int = 1) -> View:
    if term not in (1, 3):
        raise ValueError(f"term must be 1 or 3; got {term!r}")
    return View(text=f"term {term}")


@pytest.mark.parametrize("buttons", [False, True])
def test_a_numeric_choice_shows_labels_and_produces_only_its_options(buttons):
    term = Choice("term", "Savings-plan term", (1, 3), 1, "Length of the commitment", labels=("1 year", "3 years"),
                  buttons=buttons)
    panel = LivePanel([term], term_model)
    control = panel.controls["term"]
    assert isinstance(control, widgets.ToggleButtons if buttons else widgets.Dropdown)
    assert list(control.options) == [("1 year", 1), ("3 years", 3)]
    control.set_state({"index": 1})
    assert control.value == 3 and "term 3" in panel.text_widget.value
    assert panel.check_bounds() == 2


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(options=()), "options"), (dict(options=(1, 1)), "options"), (dict(options=(1, float("nan"))), "options"),
    (dict(default=2), "default"), (dict(labels=("one",)), "labels"), (dict(buttons="yes"), "buttons"),
    (dict(options="13", default="1"), "options"),
])
def test_bad_choice_definitions(kwargs, message):
    base = dict(name="term", label="Term", options=(1, 3), default=1)
    with pytest.raises(ValueError, match=f"term.{message}"):
        Choice(**{**base, **kwargs})


def test_slider_accepts_only_grid_values():
    slider = Slider("rate", "Rate", 0.0, 5.0, 0.5, 1.0)
    assert slider.accepts(2.5) and slider.accepts(5) and not slider.accepts(2.3) and not slider.accepts(6)
    assert not slider.accepts(float("nan")) and not slider.accepts(True)
    assert MAX_LABEL_CHARS == 22


def test_a_sourced_default_off_the_grid_is_kept_and_typed_values_can_return_to_it():
    slider = Slider("price", "Electricity", 0.0758, 0.39, 0.001, 0.1241, "USD per kWh")
    control = slider.make_widget()
    assert control.value == 0.1241 and slider.accepts(0.1241) and slider.accepts(0.1238)
    control.set_state({"value": 0.12405})
    assert control.value == 0.1241
    control.set_state({"value": 0.2})
    assert slider.accepts(control.value) and control.value == pytest.approx(0.1998)
