"""Every live panel of every chapter, found automatically: bounds, redraws, and the cost of a redraw.

Chapter tests check that each panel shows what its model says; these tests hold
for all panels alike, including the ones a new chapter adds.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import pytest

import helpers
from helpers.widgets import MAX_LABEL_CHARS, Choice, LivePanel, MultiChoice, Slider


def discover_panels():
    """Every public ``*_panel`` function of ``helpers/*_views.py``."""
    found = []
    for module_info in pkgutil.iter_modules(helpers.__path__):
        if not module_info.name.endswith("_views"):
            continue
        module = importlib.import_module(f"helpers.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_panel") and not name.startswith("_") and function.__module__ == module.__name__:
                found.append(pytest.param(function, id=f"{module_info.name}.{name}"))
    return found


PANELS = discover_panels()


def other_value(item, current):
    """A value different from ``current`` that the control can take."""
    if isinstance(item, Slider):
        return item.maximum if current != item.maximum else item.minimum
    options = list(item.corner_values())
    for option in options:
        if option != current:
            return option
    return current


def test_there_are_panels():
    assert len(PANELS) >= 3


@pytest.mark.parametrize("make_panel", PANELS)
def test_panel_accepts_every_control_extreme(make_panel):
    panel = make_panel()
    assert isinstance(panel, LivePanel)
    assert panel.check_bounds() >= 2 * len(panel.controls)


@pytest.mark.parametrize("make_panel", PANELS)
def test_every_control_redraws_something(make_panel):
    panel = make_panel()
    for name, control in panel.controls.items():
        item = panel.parameters[name]
        before = (panel.chart_widget.spec, panel.table_widget.value, panel.text_widget.value)
        redraws = len(panel.redraw_times_s)
        control.value = other_value(item, control.value)
        assert len(panel.redraw_times_s) == redraws + 1, f"moving {name} did not redraw"
        after = (panel.chart_widget.spec, panel.table_widget.value, panel.text_widget.value)
        assert after != before, f"moving {name} changed nothing the student can see"
        if panel.view.chart is not None:
            # the panel sends redraws unvalidated (for speed); here every redrawn chart is validated
            assert panel.chart_widget.spec == panel.view.chart.to_dict(validate=True)
        control.value = item.default if isinstance(item, (Slider, Choice)) else control.value


@pytest.mark.parametrize("make_panel", PANELS)
def test_redraws_build_channels_without_schema_lookups(make_panel, request):
    """Typed channels (alt.X(...)) only: a bare string or dict costs a whole-schema hash per channel."""
    panel = make_panel()
    lookups = request.getfixturevalue("schema_lookups")  # counting starts after the panel is built
    for name, control in panel.controls.items():
        control.value = other_value(panel.parameters[name], control.value)
    assert not lookups, f"{len(lookups)} string/dict channels converted by altair during redraws; use alt.X(...) etc."


def typed_values(item: Slider) -> list:
    """What a student (or a broken browser) might type into a slider's readout, or send for it."""
    span = item.maximum - item.minimum
    return [item.minimum + item.step * 0.5, item.minimum + item.step * 1.37, item.maximum - item.step * 0.49,
            item.minimum + span * 0.5 + item.step * 0.25, item.minimum - 10 * item.step, item.maximum + 10 * item.step,
            -1e12, 1e12, float("nan"), float("inf"), None, "2", True]


@pytest.mark.parametrize("make_panel", PANELS)
def test_every_typed_value_gives_the_model_a_value_it_accepts(make_panel):
    """Issue 9: a value typed into a slider's readout is snapped and clamped (or refused and restored);
    a choice can only produce one of its options. Each is sent as the browser sends it (set_state)."""
    panel = make_panel()
    for name, control in panel.controls.items():
        item = panel.parameters[name]
        if isinstance(item, Slider):
            for typed in typed_values(item):
                control.set_state({"value": typed})  # the model runs here; it must not raise
                assert item.accepts(control.value), f"{name}: typing {typed!r} left {control.value!r}"
                assert panel.view is not None
            control.set_state({"value": item.default})
        else:
            count = len(control.options)
            for index in (count, -1, None, 10**6):
                before = control.value
                control.set_state({"index": index} if not isinstance(item, MultiChoice) else {"index": [index]})
                assert control.value == before, f"{name}: index {index!r} changed the choice"
            for index in range(count):
                control.set_state({"index": index} if not isinstance(item, MultiChoice) else {"index": [index]})
                assert item.accepts(control.value)
        assert panel.values()[name] == control.value


@pytest.mark.parametrize("make_panel", discover_panels())
def test_control_labels_are_short_without_units_and_discrete_values_are_choices(make_panel):
    """CONVENTIONS.md new convention 3 (labels) and issue 9 (a slider with only two positions is a choice)."""
    panel = make_panel()
    for name, item in panel.parameters.items():
        assert len(item.label) <= MAX_LABEL_CHARS, f"{name}: label {item.label!r} is over {MAX_LABEL_CHARS} characters"
        unit = getattr(item, "unit", "")
        assert not unit or f"({unit})" not in item.label, f"{name}: the unit belongs in unit=, not the label"
        if isinstance(item, Slider):
            positions = math.floor((item.maximum - item.minimum) / item.step + 1e-9) + 1
            assert positions >= 3, f"{name}: a slider with {positions} positions should be a Choice"
