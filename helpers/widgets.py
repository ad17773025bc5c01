"""Live panels: controls built from a parameter table redraw a chart and/or a table.

The one pattern every chapter uses::

    panel = LivePanel(parameters, render)

``parameters`` is a table (DataFrame, or list of :class:`Slider` / :class:`Choice`)
with columns ``name, label, minimum, maximum, step, default, unit, description``;
``render(**values)`` is a pure function of the control values that returns a
:class:`View` (an altair chart, a pandas table, a line of text). Whenever any
control changes, the panel calls ``render`` and swaps in the new chart and table.

Controls can only produce values the model accepts: sliders are bounded by
the table, and :meth:`LivePanel.check_bounds` renders every corner value once
(the tests call it for every panel).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import ipywidgets as widgets
import pandas as pd

from .validation import require_number

__all__ = ["Slider", "Choice", "MultiChoice", "View", "LivePanel", "parameters_from_table"]


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
        require_number(f"{self.name}.minimum", self.minimum)
        require_number(f"{self.name}.maximum", self.maximum, minimum=self.minimum, min_inclusive=False)
        require_number(f"{self.name}.step", self.step, minimum=0, min_inclusive=False)
        require_number(f"{self.name}.default", self.default, minimum=self.minimum, maximum=self.maximum)

    @property
    def integer(self) -> bool:
        return all(float(v).is_integer() for v in (self.minimum, self.maximum, self.step, self.default))

    def make_widget(self) -> widgets.Widget:
        label = f"{self.label} ({self.unit})" if self.unit else self.label
        common = dict(description=label, tooltip=self.description, continuous_update=False,
                      style={"description_width": "220px"}, layout=widgets.Layout(width="460px"))
        if self.integer:
            return widgets.IntSlider(min=int(self.minimum), max=int(self.maximum), step=int(self.step),
                                     value=int(self.default), **common)
        decimals = max(0, len(f"{self.step:g}".split(".")[1]) if "." in f"{self.step:g}" else 0)
        return widgets.FloatSlider(min=self.minimum, max=self.maximum, step=self.step, value=self.default,
                                   readout_format=f".{decimals}f", **common)

    def corner_values(self) -> tuple[float, float]:
        return (self.minimum, self.maximum)


@dataclass(frozen=True)
class Choice:
    """A control that picks one of ``options`` (strings the model knows)."""

    name: str
    label: str
    options: tuple[str, ...]
    default: str
    description: str = ""

    def __post_init__(self):
        if not self.options or self.default not in self.options:
            raise ValueError(f"{self.name}.default must be one of {self.options}; got {self.default!r}")

    def make_widget(self) -> widgets.Widget:
        return widgets.Dropdown(options=list(self.options), value=self.default, description=self.label,
                                tooltip=self.description, style={"description_width": "220px"},
                                layout=widgets.Layout(width="460px"))

    def corner_values(self) -> tuple[str, ...]:
        return self.options


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
        return widgets.SelectMultiple(options=list(zip(shown, self.options)), value=self.default,
                                      rows=min(len(self.options), 8), description=self.label,
                                      tooltip=self.description, style={"description_width": "220px"},
                                      layout=widgets.Layout(width="460px"))

    def corner_values(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ((self.options[0],), self.options)


def parameters_from_table(table: pd.DataFrame) -> list[Slider]:
    """Sliders from a table with columns name, label, minimum, maximum, step, default, unit, description."""
    needed = ["name", "label", "minimum", "maximum", "step", "default", "unit", "description"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table must have columns {needed}; missing {missing}")
    return [Slider(str(row["name"]), str(row["label"]), float(row["minimum"]),
                   float(row["maximum"]), float(row["step"]), float(row["default"]), str(row["unit"]),
                   str(row["description"])) for _, row in table.iterrows()]


@dataclass
class View:
    """What one render shows: a chart, a table and/or a line of text (any may be None)."""

    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    text: str | None = None


@dataclass
class _Timing:
    redraw_s: list[float] = field(default_factory=list)


class LivePanel(widgets.VBox):
    """Controls from a parameter table, wired to ``render``; redraws chart, table and text on every change.

    Attributes for tests and benchmarks: ``controls`` (name -> widget), ``chart_widget``
    (an altair ``JupyterChart``, hidden while ``render`` returns no chart), ``table_widget`` and ``text_widget`` (``ipywidgets.HTML``),
    ``view`` (the last :class:`View`), ``redraw_times_s`` (Python-side seconds per redraw).
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
        alt.JupyterChart.enable_offline()  # Vega from the installed vl-convert, never a CDN
        self.view = self._render(self.values())
        self.chart_widget = alt.JupyterChart(self.view.chart)
        self._show_chart(self.view.chart is not None)
        self.table_widget = widgets.HTML(self._table_html(self.view.table))
        self.text_widget = widgets.HTML(self._text_html(self.view.text))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        controls_box = widgets.GridBox(list(self.controls.values()),
                                       layout=widgets.Layout(grid_template_columns="repeat(2, 470px)"))
        super().__init__(header + [controls_box, self.text_widget, self.chart_widget, self.table_widget])
        self.add_class("live-panel")

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
    def _table_html(table: pd.DataFrame | None) -> str:
        if table is None:
            return ""
        return table.to_html(index=False, border=0, classes="live-panel-table", float_format=lambda x: f"{x:,.2f}")

    @staticmethod
    def _text_html(text: str | None) -> str:
        return "" if not text else f"<p style='font-size:14px'>{text}</p>"


def _param_names(spec: dict | None) -> tuple[str, ...]:
    """Names of the top-level params of a Vega-Lite spec (selections and variables)."""
    return tuple(sorted(param["name"] for param in (spec or {}).get("params", [])))
