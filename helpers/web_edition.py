"""What charts and live panels show in the web edition, where there is no kernel (``make site``).

A JupyterChart or a live panel is a widget: without a kernel, a static page shows nothing of it. The
site build (:mod:`helpers.editions.site`) runs every notebook with ``VM_VS_CLOUD_WEB_EDITION=1`` in its
kernels; then, and only then:

* importing :mod:`helpers` enables the ``course_web`` altair renderer: every chart is a ``text/html``
  output holding its Vega-Lite spec (:func:`chart_html`), drawn in the page by the site's local copy of
  vega-embed (``helpers/editions/sphinx/_static/course-charts.js``; Vega from vl-convert, never a CDN), so
  tooltips and params (the 01 timeline's radio buttons and sliders) work as in JupyterLab;
* a :class:`~helpers.widgets.LivePanel` adds a ``text/html`` form of itself to its output
  (:func:`panel_html`): its controls at their defaults (shown, not movable), its text, chart and
  table, and a line that says how to run it live;
* :func:`helpers.charts.self_contained_html` returns :func:`chart_html` too (the site ships Vega once,
  not once per chart).

The committed notebooks do not change, and without the variable nothing here runs: JupyterLab, nbval,
the nbconvert export and Voila see the widgets as before.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

__all__ = ["ENV_FLAG", "CHAPTER_ENV", "enabled", "chart_html", "panel_html", "RENDERER_NAME",
           "LIVE_LINE_CLASS"]

#: Set to "1" in the build's kernels (by helpers.editions.site) to make static outputs.
ENV_FLAG = "VM_VS_CLOUD_WEB_EDITION"
#: The notebook being built (e.g. "05_cost"), set by a hidden first cell of the build's copy: the panel's
#: "run it live" line names it.
CHAPTER_ENV = "VM_VS_CLOUD_WEB_CHAPTER"
RENDERER_NAME = "course_web"
#: Class of the line under each static panel that says how to run it live (the site's test looks for it).
LIVE_LINE_CLASS = "course-panel-live"


def enabled() -> bool:
    """True while the web edition is being built (``VM_VS_CLOUD_WEB_EDITION=1``)."""
    return os.environ.get(ENV_FLAG, "") == "1"


def _spec(chart_or_spec) -> dict:
    import altair as alt

    if isinstance(chart_or_spec, alt.TopLevelMixin):
        return chart_or_spec.to_dict()
    if isinstance(chart_or_spec, dict) and str(chart_or_spec.get("$schema", "")).startswith(
            "https://vega.github.io/schema/vega-lite/"):
        return chart_or_spec
    raise ValueError("chart_or_spec must be an altair chart or a Vega-Lite spec dict (with its '$schema', as "
                     f"chart.to_dict() gives); got {type(chart_or_spec).__name__}")


def chart_html(chart_or_spec) -> str:
    """A chart as static HTML: a ``div.course-chart`` holding its Vega-Lite spec as JSON.

    The site's ``course-charts.js`` draws every such div with vega-embed (SVG, the course's embed
    options: no "Open in Vega Editor"). Nothing in it loads anything.
    """
    from .charts import EMBED_OPTIONS

    spec = json.dumps(_spec(chart_or_spec), ensure_ascii=True, separators=(",", ":"))
    spec = spec.replace("</", "<\\/")  # the same JSON string; "</script" could not end the element early
    options = html.escape(json.dumps({"mode": "vega-lite", **EMBED_OPTIONS}, separators=(",", ":")), quote=True)
    return (f'<div class="course-chart" data-embed-options="{options}">'
            f'<script type="application/json" class="course-chart-spec">{spec}</script></div>')


def _renderer(spec: dict, **_metadata) -> dict:
    """The ``course_web`` altair renderer: the chart as :func:`chart_html` (no widget, no script)."""
    return {"text/html": chart_html(spec), "text/plain": "<altair chart: drawn by the web edition>"}


def _control_html(item, value) -> str:
    from .text import protect_dollars_html
    from .widgets import Choice, MultiChoice

    unit = getattr(item, "unit", "")
    label = html.escape(item.label) + (f" <span class='course-panel-unit'>({html.escape(unit)})</span>" if unit else "")
    if isinstance(item, MultiChoice):
        shown_labels = dict(zip(item.options, item.labels or item.options))
        chosen = ", ".join(html.escape(str(shown_labels[v])) for v in value) or "none"
        control = f"<div class='course-panel-value'>{chosen}</div>"
    elif isinstance(item, Choice):
        shown_labels = dict(zip(item.options, item.labels or tuple(str(o) for o in item.options)))
        options = "".join(f"<option{' selected' if option == value else ''}>{html.escape(str(text))}</option>"
                          for option, text in shown_labels.items())
        control = f"<select disabled aria-label='{html.escape(item.label, quote=True)}'>{options}</select>"
    else:
        readout = f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else f"{value:g}" if isinstance(
            value, float) else str(value)
        control = (f"<input type='range' disabled min='{item.minimum:g}' max='{item.maximum:g}' step='{item.step:g}' "
                   f"value='{value}' aria-label='{html.escape(item.label, quote=True)}'>"
                   f"<span class='course-panel-value'>{html.escape(readout)}</span>")
    description = (f"<div class='course-panel-help'>{html.escape(item.description)}</div>" if item.description else "")
    return protect_dollars_html(f"<div class='course-panel-control'><div class='course-panel-label'>{label}</div>"
                                f"<div class='course-panel-input'>{control}</div>{description}</div>")


def live_line(chapter: str | None = None) -> str:
    """The line under a static panel: it is shown at its defaults, and how to run it live."""
    if chapter is not None and (not isinstance(chapter, str)
                                or not (Path(__file__).resolve().parent.parent / "notebooks" / f"{chapter}.ipynb").is_file()):
        raise ValueError(f"chapter must be None or a chapter notebook's name without .ipynb (e.g. '05_cost'); "
                         f"got {chapter!r}")
    chapter = chapter if chapter is not None else os.environ.get(CHAPTER_ENV, "")
    if chapter:
        where = (f"run <code>make app CHAPTER={html.escape(chapter[:2])}</code> (classroom app) or open "
                 f"<code>notebooks/{html.escape(chapter)}.ipynb</code> with <code>make lab</code>")
    else:
        where = "open this chapter's notebook with <code>make lab</code>, or run <code>make app</code>"
    return (f"<p class='{LIVE_LINE_CLASS}'>▶ A live panel, shown here at its default settings. To move its "
            f"controls and watch the chart redraw, {where}.</p>")


def panel_html(panel) -> str:
    """A live panel in its current (default) state as static HTML: controls, run-it-live line, text, chart, table."""
    from .text import protect_dollars_html
    from .widgets import LivePanel

    if not isinstance(panel, LivePanel):
        raise ValueError(f"panel must be a helpers.widgets.LivePanel; got {type(panel).__name__}")
    values = panel.values()
    title = getattr(panel, "title", None)
    parts = ["<div class='course-panel'>"]
    if title:
        parts.append(f"<div class='course-panel-title'>{protect_dollars_html(html.escape(title))}</div>")
    parts.append("<div class='course-panel-controls'>"
                 + "".join(_control_html(item, values[name]) for name, item in panel.parameters.items())
                 + "</div>")
    parts.append(live_line())
    view = panel.view
    if view.text:
        parts.append(panel._text_html(view.text))
    if view.chart is not None:
        parts.append(chart_html(view.chart))
    if view.table is not None:
        parts.append(panel._table_html(view.table))
    parts.append("</div>")
    return "".join(parts)
