"""Live panels: controls built from a parameter table redraw a chart and/or a table.

The one pattern every chapter uses::

    panel = LivePanel(parameters, render)

``parameters`` is a table (DataFrame, or list of :class:`Slider` / :class:`Choice`)
with columns ``name, label, minimum, maximum, step, default, unit, description``;
``render(**values)`` is a pure function of the control values that returns a
:class:`View` (an altair chart, a pandas table, a line of text). Whenever any
control changes, the panel calls ``render`` and swaps in the new chart and table.

What a student sees (the same on a laptop, a projector and a phone):

* the controls in a responsive grid: as many columns of at least 300 px as fit, one column when
  narrow; each control has its **label and unit** on a line above it (never cut: it wraps), the
  slider or drop-down at the full column width, and the **description** on a small line below it
  (also the tooltip), because a tooltip cannot be hovered on a touchpad or read on a projector;
* a line under the controls saying that the chart redraws when a slider is released;
* the text, the chart (sized to its cell, see :mod:`helpers.charts`) and the table (styled by
  :func:`helpers.tables.styled_table`: labelled headers with units, no index, scrolling inside a
  bounded box when long). Every ``$`` in the text and table is protected from MathJax.

Labels: ``label`` is short (at most :data:`MAX_LABEL_CHARS` characters) and has no unit (the unit
goes in ``unit``); the long explanation goes in ``description``.

Controls can only produce values the model accepts:

* sliders are bounded by the table, and a value typed into a slider's readout is clamped to the
  range (by ipywidgets) and **snapped to the step grid** (here); anything that is not a finite
  number (which the browser already refuses) is refused and the slider restored;
* discrete values (a 1- or 3-year term, a preset) are a :class:`Choice`: a drop-down, or toggle
  buttons with ``buttons=True``, which can only produce one of the options (numbers allowed, with
  ``labels`` to show them);
* :meth:`LivePanel.check_bounds` renders every corner value once, and ``tests/test_panels.py``
  types off-grid, out-of-range and non-numeric values into every control of every panel.
"""

from __future__ import annotations

import html
import math
import numbers
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from . import web_edition
from .charts import EMBED_OPTIONS
from .tables import styled_table
from .text import protect_dollars_html
from .validation import require_frame, require_number

__all__ = ["Slider", "Choice", "MultiChoice", "View", "LivePanel", "parameters_from_table", "MAX_LABEL_CHARS",
           "REDRAW_HINT", "snap_to_grid"]

#: Longest label a control should have (the convention; the layout wraps longer ones rather than cut them).
MAX_LABEL_CHARS = 22
#: The line under every panel's controls.
REDRAW_HINT = ("↻ The chart, text and table redraw when you release a slider (or press an arrow key on its "
               "handle); a number typed into a slider's box snaps to the slider's steps.")
#: Narrowest column of the controls grid, in px.
CONTROL_COLUMN_PX = 300
#: Page CSS for panels (sent once per panel in its hint line; scoped to .live-panel): the HTML widgets that
#: hold the text and the table take the panel's width, so a table can never push the panel wider.
PANEL_CSS = (".live-panel .widget-html, .live-panel .widget-html-content {width: 100%; max-width: 100%; "
             "min-width: 0; display: block;} .live-panel .widget-html-content {line-height: 1.4; white-space: normal;} "
             ".live-panel .widget-slider .widget-readout {min-width: 5.5em;}")


def _FULL_WIDTH() -> widgets.Layout:
    """The layout of everything in a panel: the full width of its column, no margin that would overflow it."""
    return widgets.Layout(width="100%", min_width="0", margin="2px 0")


def snap_to_grid(value: float, minimum: float, maximum: float, step: float, extra: tuple[float, ...] = ()
                 ) -> float:
    """``value`` clamped to ``minimum``..``maximum`` and moved to the nearest point the slider can hold.

    Those points are ``minimum + k * step`` (where the slider's handle stops when dragged), the
    maximum (a slider reaches it even off the grid) and ``extra`` (the default, which may be a sourced
    value off the grid). A value half-way between two steps goes up. Rounded to the step's decimals,
    so 0.1 + 0.2 gives 0.3, not 0.30000000000000004.
    """
    value = require_number("value", value)
    minimum = require_number("minimum", minimum)
    maximum = require_number("maximum", maximum)
    if not minimum < maximum:
        raise ValueError(f"minimum must be below maximum; got minimum {minimum:g}, maximum {maximum:g}")
    step = require_number("step", step, minimum=0, min_inclusive=False)
    if isinstance(extra, (str, bytes)) or not isinstance(extra, (tuple, list)):
        raise ValueError(f"extra must be a tuple of numbers (points off the grid); got {extra!r:.80}")
    extra = tuple(require_number(f"extra[{index}]", point) for index, point in enumerate(extra))
    value = min(max(value, minimum), maximum)
    snapped = minimum + math.floor((value - minimum) / step + 0.5) * step
    decimals = max(_decimals(step), _decimals(minimum))
    snapped = round(min(max(snapped, minimum), maximum), decimals)
    for point in (maximum, *extra):
        if minimum <= point <= maximum and abs(point - value) < abs(snapped - value):
            snapped = point
    return float(snapped)


def _decimals(number: float) -> int:
    text = f"{number:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _finite_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))


class _RestoresBadState:
    """Mixin for a control widget: a frontend update that cannot be applied restores the control.

    ``set_state`` is what a message from the browser calls. An update the traits refuse (a
    TraitError, e.g. an index out of range) or a slider value that is not a finite number leaves the
    value as it was and sends it back, so the browser shows what the model uses.
    """

    def set_state(self, sync_data):
        sync_data = dict(sync_data)
        refused = False
        if isinstance(self, (widgets.IntSlider, widgets.FloatSlider)):
            if "value" in sync_data and not _finite_number(sync_data["value"]):
                sync_data.pop("value")
                refused = True
        try:
            super().set_state(sync_data)
        except (traitlets.TraitError, TypeError, ValueError):
            refused = True
        if refused:
            self.send_state()


class _GridMixin:
    """Slider value validation: clamp (as ipywidgets does) and snap to the step grid (or the default)."""

    #: Values accepted besides the grid (set to the default by :meth:`Slider.make_widget`).
    extra_points: tuple = ()

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if not _finite_number(value):
            return self.value
        return snap_to_grid(value, self.min, self.max, self.step, self.extra_points)


class SnappingIntSlider(_RestoresBadState, _GridMixin, widgets.IntSlider):
    """An IntSlider whose value is always on its step grid (the frontend view is IntSlider's)."""

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if not _finite_number(value):
            return self.value
        return int(round(snap_to_grid(value, self.min, self.max, self.step, self.extra_points)))


class SnappingFloatSlider(_RestoresBadState, _GridMixin, widgets.FloatSlider):
    """A FloatSlider whose value is always on its step grid (the frontend view is FloatSlider's)."""


class SafeDropdown(_RestoresBadState, widgets.Dropdown):
    """A Dropdown that restores itself when the browser sends an index it does not have (or none)."""

    def set_state(self, sync_data):
        if "index" in sync_data and sync_data["index"] is None:
            self.send_state()
            return
        super().set_state(sync_data)


class SafeToggleButtons(_RestoresBadState, widgets.ToggleButtons):
    """ToggleButtons that restore themselves on an index they do not have (or none)."""

    def set_state(self, sync_data):
        if "index" in sync_data and sync_data["index"] is None:
            self.send_state()
            return
        super().set_state(sync_data)


class SafeSelectMultiple(_RestoresBadState, widgets.SelectMultiple):
    """A SelectMultiple that restores itself on indices it does not have."""


@dataclass(frozen=True)
class Slider:
    """A numeric control: bounded by ``minimum``..``maximum`` in steps of ``step``, in ``unit``."""

    name: str
    label: str
    minimum: float
    maximum: float
    step: float
    default: float
    unit: str = ""
    description: str = ""

    def __post_init__(self):
        for field_name in ("name", "label", "unit", "description"):
            if not isinstance(getattr(self, field_name), str):
                raise ValueError(f"{self.name}.{field_name} must be a string; got {getattr(self, field_name)!r}")
        require_number(f"{self.name}.minimum", self.minimum)
        require_number(f"{self.name}.maximum", self.maximum, minimum=self.minimum, min_inclusive=False)
        require_number(f"{self.name}.step", self.step, minimum=0, min_inclusive=False)
        require_number(f"{self.name}.default", self.default, minimum=self.minimum, maximum=self.maximum)

    @property
    def integer(self) -> bool:
        return all(float(v).is_integer() for v in (self.minimum, self.maximum, self.step, self.default))

    def make_widget(self) -> widgets.Widget:
        common = dict(description="", tooltip=self.description or self.label, continuous_update=False,
                      layout=_FULL_WIDTH())
        separators = "," if max(abs(self.minimum), abs(self.maximum)) >= 10_000 else ""  # 2025, not 2,025
        if self.integer:
            widget = SnappingIntSlider(min=int(self.minimum), max=int(self.maximum), step=int(self.step),
                                       readout_format=f"{separators}d", **common)
            widget.extra_points = (int(self.default),)
            widget.value = int(self.default)
            return widget
        decimals = max(_decimals(self.step), _decimals(self.minimum), _decimals(self.default))
        widget = SnappingFloatSlider(min=self.minimum, max=self.maximum, step=self.step,
                                     readout_format=f"{separators}.{decimals}f", **common)
        widget.extra_points = (float(self.default),)
        widget.value = float(self.default)
        return widget

    def corner_values(self) -> tuple[float, float]:
        return (self.minimum, self.maximum)

    def accepts(self, value) -> bool:
        """True if ``value`` is one the slider can hold: a finite number in range, on the step grid."""
        return _finite_number(value) and self.minimum <= value <= self.maximum and math.isclose(
            snap_to_grid(value, self.minimum, self.maximum, self.step, (self.default,)), value, abs_tol=1e-9)


@dataclass(frozen=True)
class Choice:
    """A control that picks one of ``options``: strings the model knows, or numbers (e.g. a term of 1 or 3 years).

    ``labels`` (one per option) are what the student sees, e.g. ``("1 year", "3 years")`` for
    ``options=(1, 3)``; ``unit`` is shown beside the label; ``buttons=True`` shows toggle buttons
    instead of a drop-down (good for two to four short options). Either way the control can only
    produce one of the options.
    """

    name: str
    label: str
    options: tuple
    default: object
    description: str = ""
    labels: tuple[str, ...] = ()
    unit: str = ""
    buttons: bool = False

    def __post_init__(self):
        if isinstance(self.options, str) or not isinstance(self.options, (list, tuple)) or not self.options:
            raise ValueError(f"{self.name}.options must be a non-empty tuple; got {self.options!r}")
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "labels", tuple(self.labels))
        for option in self.options:
            if not (isinstance(option, str) or _finite_number(option)):
                raise ValueError(f"{self.name}.options must be strings or finite numbers; got {option!r}")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"{self.name}.options must not repeat an option; got {self.options!r}")
        if self.default not in self.options or isinstance(self.default, bool):
            raise ValueError(f"{self.name}.default must be one of {self.options}; got {self.default!r}")
        if self.labels and (len(self.labels) != len(self.options) or not all(isinstance(l, str) for l in self.labels)):
            raise ValueError(f"{self.name}.labels must give one string per option ({len(self.options)}); "
                             f"got {self.labels!r}")
        if not isinstance(self.buttons, bool):
            raise ValueError(f"{self.name}.buttons must be True or False; got {self.buttons!r}")

    def make_widget(self) -> widgets.Widget:
        shown = self.labels or tuple(str(option) for option in self.options)
        common = dict(options=list(zip(shown, self.options)), value=self.default, tooltip=self.description or self.label)
        if self.buttons:
            return SafeToggleButtons(style={"button_width": "auto"}, layout=_FULL_WIDTH(), **common)
        return SafeDropdown(layout=_FULL_WIDTH(), **common)

    def corner_values(self) -> tuple:
        return self.options

    def accepts(self, value) -> bool:
        return value in self.options


@dataclass(frozen=True)
class MultiChoice:
    """A control that picks any number of ``options`` (its value is a tuple, in the options' order or as clicked).

    ``default`` is a tuple of options (it may be empty); ``labels``, if given, are
    the names shown for the options, one per option. ``corner_values`` are the
    first option alone and all options, so :meth:`LivePanel.check_bounds` renders
    the smallest and the largest selection. A render function should answer an
    empty selection with a ``View(text=...)`` saying what to pick.
    """

    name: str
    label: str
    options: tuple[str, ...]
    default: tuple[str, ...] = ()
    description: str = ""
    labels: tuple[str, ...] = ()

    def __post_init__(self):
        for field_name in ("options", "default", "labels"):
            value = getattr(self, field_name)
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise ValueError(f"{self.name}.{field_name} must be a tuple of strings; got {value!r}")
            object.__setattr__(self, field_name, tuple(value))
        if not self.options or not all(isinstance(o, str) for o in self.options):
            raise ValueError(f"{self.name}.options must be a non-empty tuple of strings; got {self.options!r}")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"{self.name}.options must not repeat an option; got {self.options!r}")
        if not set(self.default) <= set(self.options) or len(set(self.default)) != len(self.default):
            raise ValueError(f"{self.name}.default must be distinct options from {self.options}; got {self.default!r}")
        if self.labels and len(self.labels) != len(self.options):
            raise ValueError(f"{self.name}.labels must give one label per option ({len(self.options)}); "
                             f"got {len(self.labels)}")

    def make_widget(self) -> widgets.Widget:
        shown = self.labels or self.options
        return SafeSelectMultiple(options=list(zip(shown, self.options)), value=self.default,
                                  rows=min(len(self.options), 8), tooltip=self.description or self.label,
                                  layout=_FULL_WIDTH())

    def corner_values(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ((self.options[0],), self.options)

    def accepts(self, value) -> bool:
        return isinstance(value, tuple) and set(value) <= set(self.options) and len(set(value)) == len(value)


def parameters_from_table(table: pd.DataFrame) -> list[Slider]:
    """Sliders from a table with columns name, label, minimum, maximum, step, default, unit, description."""
    from .data import Column

    require_frame("table", table, (
        Column("name", "str", "Parameter name."), Column("label", "str", "Control label."),
        Column("minimum", "float", "Lowest value."), Column("maximum", "float", "Highest value."),
        Column("step", "float", "Slider step.", minimum=0), Column("default", "float", "Default value."),
        Column("unit", "str", "Unit.", required=False), Column("description", "str", "Explanation.", required=False),
    ), key="name")
    table = table.fillna({"unit": "", "description": ""})
    try:
        return [Slider(str(row["name"]), str(row["label"]), float(row["minimum"]),
                   float(row["maximum"]), float(row["step"]), float(row["default"]), str(row["unit"]),
                   str(row["description"])) for _, row in table.iterrows()]
    except ValueError as error:
        raise ValueError(f"table: {error}") from None


@dataclass
class View:
    """What one render shows: a chart, a table and/or a line of text (any may be None).

    ``table`` is a DataFrame (shown with :func:`helpers.tables.styled_table`: give it readable
    column names, or snake_case names with unit suffixes) or a ``StyledTable`` you made with
    ``styled_table(..., labels=...)``; ``text`` is HTML (``<b>`` allowed; ``$`` is protected).
    """

    chart: alt.TopLevelMixin | None = None
    table: object | None = None
    text: str | None = None


@dataclass
class _Timing:
    redraw_s: list[float] = field(default_factory=list)


class LivePanel(widgets.VBox):
    """Controls from a parameter table, wired to ``render``; redraws chart, table and text on every change.

    Attributes for tests and benchmarks: ``controls`` (name -> value widget), ``chart_widget``
    (an altair ``JupyterChart``, hidden while ``render`` returns no chart), ``table_widget`` and
    ``text_widget`` (``ipywidgets.HTML``), ``label_widgets`` and ``help_widgets`` (name -> the
    label line above and the description line below each control), ``view`` (the last
    :class:`View`), ``redraw_times_s`` (Python-side seconds per redraw).
    """

    def __init__(self, parameters: pd.DataFrame | list[Slider | Choice | MultiChoice],
                 render: Callable[..., View], *, title: str | None = None):
        items = parameters_from_table(parameters) if isinstance(parameters, pd.DataFrame) else list(parameters)
        if not items:
            raise ValueError("parameters must list at least one control")
        self.parameters = {item.name: item for item in items}
        self.render = render
        self.controls = {item.name: item.make_widget() for item in items}
        self._timing = _Timing()
        if title is not None and not isinstance(title, str):
            raise ValueError(f"title must be a string or None; got {type(title).__name__}")
        self.title = title
        alt.JupyterChart.enable_offline()  # Vega from the installed vl-convert, never a CDN
        self.view = self._render(self.values())
        self.chart_widget = alt.JupyterChart(self.view.chart, embed_options=EMBED_OPTIONS)
        self.chart_widget.add_class("live-panel-chart")
        self._show_chart(self.view.chart is not None)
        self.table_widget = widgets.HTML(self._table_html(self.view.table), layout=_FULL_WIDTH())
        self.text_widget = widgets.HTML(self._text_html(self.view.text), layout=_FULL_WIDTH())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.label_widgets = {item.name: widgets.HTML(_label_html(item), layout=_FULL_WIDTH())
                              for item in items}
        self.help_widgets = {item.name: widgets.HTML(_help_html(item), layout=_FULL_WIDTH())
                             for item in items}
        cells = []
        for item in items:
            cell = widgets.VBox([self.label_widgets[item.name], self.controls[item.name], self.help_widgets[item.name]],
                                layout=widgets.Layout(min_width="0", width="100%", margin="0"))
            cell.add_class("live-panel-control")
            cells.append(cell)
        controls_box = widgets.GridBox(cells, layout=widgets.Layout(
            grid_template_columns=f"repeat(auto-fill, minmax(min(100%, {CONTROL_COLUMN_PX}px), 1fr))",
            grid_gap="6px 24px", width="100%", margin="0"))
        controls_box.add_class("live-panel-controls")
        header = [widgets.HTML(f"<div style='font-size:16px;font-weight:700;margin:4px 0'>"
                               f"{protect_dollars_html(html.escape(title))}</div>", layout=_FULL_WIDTH())] if title else []
        self.hint_widget = widgets.HTML(f"<style>{PANEL_CSS}</style><div style='font-size:12px;color:#555;"
                                        f"margin:2px 0 6px 0'>{html.escape(REDRAW_HINT)}</div>", layout=_FULL_WIDTH())
        super().__init__(header + [controls_box, self.hint_widget, self.text_widget, self.chart_widget,
                                   self.table_widget],
                         layout=widgets.Layout(width="100%", max_width="1100px", margin="0"))
        self.add_class("live-panel")

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and while the web edition is built (:mod:`helpers.web_edition`) also a static
        ``text/html`` form of the panel at its current values, which a page without a kernel shows."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and web_edition.enabled():
            bundle = {**bundle, "text/html": web_edition.panel_html(self)}
        return bundle

    @property
    def redraw_times_s(self) -> list[float]:
        return list(self._timing.redraw_s)

    def values(self) -> dict:
        """Current value of every control, by parameter name."""
        return {name: control.value for name, control in self.controls.items()}

    def set_values(self, **values) -> None:
        """Set several controls at once (each change redraws, as in the browser)."""
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"name must be one of {list(self.controls)}; got {name!r}")
            self.controls[name].value = value

    def redraw(self) -> View:
        """Render with the current values and show the result."""
        started = time.perf_counter()
        self.view = self._render(self.values())
        if self.view.chart is not None:
            self._show_new_chart(self.view.chart)
        self._show_chart(self.view.chart is not None)
        self.table_widget.value = self._table_html(self.view.table)
        self.text_widget.value = self._text_html(self.view.text)
        self._timing.redraw_s.append(time.perf_counter() - started)
        return self.view

    def check_bounds(self) -> int:
        """Render once with each control at each of its extreme values (others at default).

        Raises whatever the model raises, so a control that can produce a rejected
        input fails loudly in the tests, and validates every chart it draws against
        the Vega-Lite schema (the panel itself sends redraws unvalidated). Returns the
        number of renders.
        """
        defaults = {name: item.default for name, item in self.parameters.items()}
        renders = 0
        for name, item in self.parameters.items():
            for value in item.corner_values():
                view = self._render({**defaults, name: value})
                if view.chart is not None:
                    view.chart.to_dict(validate=True)
                renders += 1
        return renders

    def _show_new_chart(self, chart: alt.TopLevelMixin) -> None:
        """Send the redrawn chart to the browser.

        The first chart goes through ``JupyterChart.chart``, which validates it and
        wires up its params. A redraw with the same params only swaps the spec,
        unvalidated: validating a big spec on every slider move costs 10-60 ms here.
        The tests validate instead: :meth:`check_bounds` every chart at each control's
        extremes, ``tests/test_panels.py`` the chart after each control moves. A chart
        with other params takes the full path.
        """
        spec = chart.to_dict(validate=False)
        if _param_names(spec) == _param_names(self.chart_widget.spec):
            self.chart_widget.spec = spec
        else:
            self.chart_widget.chart = chart

    def _show_chart(self, visible: bool) -> None:
        """Hide the chart when the model has nothing to draw (the text then says why)."""
        self.chart_widget.layout.display = None if visible else "none"

    def _render(self, values: dict) -> View:
        view = self.render(**values)
        if not isinstance(view, View):
            raise ValueError(f"render must return a View; got {type(view).__name__}")
        return view

    def _on_change(self, _change) -> None:
        self.redraw()

    @staticmethod
    def _table_html(table) -> str:
        """The table as styled HTML (labelled headers, units, no index, bounded height, dollars protected)."""
        if table is None:
            return ""
        if isinstance(table, pd.DataFrame):
            table = styled_table(table, max_rows_visible=8)
        if not hasattr(table, "to_html") or isinstance(table, (str, bytes)):
            raise ValueError(f"View.table must be a DataFrame or a StyledTable; got {type(table).__name__}")
        return protect_dollars_html(table.to_html())

    @staticmethod
    def _text_html(text: str | None) -> str:
        if not text:
            return ""
        if not isinstance(text, str):
            raise ValueError(f"View.text must be a string; got {type(text).__name__}")
        return f"<p style='font-size:14px;margin:4px 0'>{protect_dollars_html(text)}</p>"


def _label_html(item) -> str:
    """The line above a control: the label in bold and the unit in brackets; the description as tooltip."""
    unit = getattr(item, "unit", "")
    unit_text = f" <span style='font-weight:400;color:#444'>({html.escape(unit)})</span>" if unit else ""
    tooltip = html.escape(item.description or item.label, quote=True)
    return (f"<div class='live-panel-label' title=\"{tooltip}\" style='font-size:14px;font-weight:600;"
            f"line-height:1.3;white-space:normal;overflow-wrap:anywhere;color:#222'>"
            f"{protect_dollars_html(html.escape(item.label))}{protect_dollars_html(unit_text)}</div>")


def _help_html(item) -> str:
    """The small line under a control: its description (what it means, where the range comes from)."""
    if not item.description:
        return ""
    return (f"<div class='live-panel-help' style='font-size:12px;line-height:1.35;color:#555;white-space:normal;"
            f"overflow-wrap:anywhere'>{protect_dollars_html(html.escape(item.description))}</div>")


def _param_names(spec: dict | None) -> tuple[str, ...]:
    """Names of the top-level params of a Vega-Lite spec (selections and variables)."""
    return tuple(sorted(param["name"] for param in (spec or {}).get("params", [])))
