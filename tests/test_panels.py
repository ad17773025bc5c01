"""Every live panel of every chapter, found automatically: bounds, redraws, and the cost of a redraw.

Chapter tests check that each panel shows what its model says; these tests hold
for all panels alike, including the ones a new chapter adds.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import helpers
from helpers.widgets import Choice, LivePanel, Slider


def discover_panels():
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
