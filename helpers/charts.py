"""One look for every chart of the course, and the pieces all chart builders share.

* :data:`PALETTE` is Okabe & Ito's colour-blind-safe palette (Okabe & Ito, "Color
  Universal Design", 2008), used for every categorical colour.
* The ``vm_vs_cloud`` altair theme is registered and enabled when :mod:`helpers`
  is imported; notebooks never configure charts themselves.
* :func:`finish` gives a chart its title (the finding, not the topic) and the
  source line under it, naming the data source and the model that drew it.

Speed: live panels rebuild their chart on every slider move. Give ``encode`` typed
channel objects (``alt.X("x:Q")``, ``alt.Tooltip(...)``, ``alt.XValue(0)``), never bare
strings or dicts: altair turns a string or dict into a channel with ``from_dict``,
which re-hashes the whole Vega-Lite schema each time (about 15 ms per channel here).
``tests/test_charts.py`` checks every chart builder for this.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

__all__ = ["PALETTE", "THEME_NAME", "finish", "chart_row_counts", "tornado_chart", "option_colors",
           "self_contained_html"]

#: Okabe-Ito colours: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, grey.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
INK = "#222222"
MUTED = "#595959"
THEME_NAME = "vm_vs_cloud"
CHART_WIDTH = 560
CHART_HEIGHT = 300
#: Characters per line of the source line (10 px text, about 5.5 px a character, under a 560 px chart).
SOURCE_LINE_CHARS = 100


@alt.theme.register(THEME_NAME, enable=True)
def _course_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "view": {"continuousWidth": CHART_WIDTH, "continuousHeight": CHART_HEIGHT, "stroke": None},
            "range": {"category": list(PALETTE)},
            "title": {"anchor": "start", "fontSize": 15, "color": INK, "subtitleColor": MUTED,
                      "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleColor": INK, "labelColor": MUTED,
                     "gridColor": "#e6e6e6", "domainColor": MUTED, "tickColor": MUTED},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "right"},
            "mark": {"color": PALETTE[4]},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
            "text": {"color": INK},
        }
    }


def option_colors(options: list[str] | tuple[str, ...]) -> alt.Scale:
    """A colour scale giving each named option its own palette colour, in the order given.

    ``options``: 1 to 8 distinct strings (the palette has 8 colours).
    """
    if isinstance(options, str) or not isinstance(options, (list, tuple)):
        raise ValueError(f"options must be a list or tuple of 1 to {len(PALETTE)} names; got {options!r}")
    if not 1 <= len(options) <= len(PALETTE) or len(set(options)) != len(options):
        raise ValueError(f"options must hold 1 to {len(PALETTE)} distinct names; got {list(options)}")
    if not all(isinstance(option, str) and option for option in options):
        raise ValueError(f"options must be non-empty strings; got {list(options)}")
    return alt.Scale(domain=list(options), range=list(PALETTE[: len(options)]))


def finish(chart: alt.TopLevelMixin, *, title: str, source: str, model: str, subtitle: str | None = None
           ) -> alt.VConcatChart:
    """Stack ``chart`` with its source line and give the whole its title.

    ``title`` states the finding ("Owning wins above 38 % utilisation"), ``source``
    names where the numbers come from, ``model`` the helper function that computed
    them (so a reader finds the model behind a chart in one hop).
    """
    if not title or not source or not model:
        raise ValueError("title, source and model must all be non-empty strings")
    text = f"Source: {source} · Model: {model}"
    lines = textwrap.wrap(text, width=SOURCE_LINE_CHARS, break_on_hyphens=False)
    source_line = (
        alt.Chart(pd.DataFrame({"line": ["\n".join(lines)]}))
        .mark_text(align="left", baseline="top", fontSize=10, color=MUTED, lineBreak="\n", lineHeight=13)
        .encode(text=alt.Text("line:N"), x=alt.XValue(0), y=alt.YValue(0))
        .properties(height=13 * len(lines), width=CHART_WIDTH)
    )
    title_params = alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title)
    return alt.vconcat(chart, source_line, title=title_params, spacing=6)


def chart_row_counts(chart: alt.TopLevelMixin) -> list[int]:
    """Rows in each inline dataset of ``chart``'s spec (tests keep every one under 5,000)."""
    if not isinstance(chart, alt.TopLevelMixin):
        raise ValueError(f"chart must be an altair chart; got {type(chart).__name__}")
    spec = chart.to_dict()
    counts = [len(values) for values in spec.get("datasets", {}).values()]

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                counts.append(len(data["values"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return counts


def tornado_chart(sensitivity: pd.DataFrame, *, baseline: float, value_title: str, title: str, source: str,
                  model: str) -> alt.VConcatChart:
    """A tornado chart from a one-at-a-time sensitivity table.

    ``sensitivity`` has columns ``parameter``, ``low_result``, ``high_result`` (the
    output with that parameter at its low / high value, the others at default);
    bars are sorted by swing, widest on top, and ``baseline`` is drawn as a rule.
    """
    needed = {"parameter", "low_result", "high_result"}
    if not needed.issubset(sensitivity.columns):
        raise ValueError(f"sensitivity must have columns {sorted(needed)}; got {list(sensitivity.columns)}")
    table = sensitivity.assign(swing=(sensitivity["high_result"] - sensitivity["low_result"]).abs())
    table = table.sort_values("swing", ascending=False)
    order = list(table["parameter"])
    long = table.melt(id_vars=["parameter", "swing"], value_vars=["low_result", "high_result"],
                      var_name="end", value_name="result")
    long["end"] = long["end"].map({"low_result": "parameter at its low value", "high_result": "parameter at its high value"})
    long["baseline"] = baseline
    bars = alt.Chart(long).mark_bar(opacity=0.85).encode(
        y=alt.Y("parameter:N", sort=order, title=None),
        x=alt.X("result:Q", title=value_title),
        x2=alt.X2("baseline:Q"),
        color=alt.Color("end:N", scale=option_colors(["parameter at its low value", "parameter at its high value"]),
                        title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("parameter:N"), alt.Tooltip("end:N"), alt.Tooltip("result:Q", format=",.0f")],
    )
    rule = alt.Chart(pd.DataFrame({"baseline": [baseline]})).mark_rule(color=INK, strokeDash=[4, 3]).encode(
        x=alt.X("baseline:Q"))
    return finish((bars + rule).properties(height=alt.Step(26)), title=title, source=source, model=model)


def self_contained_html(chart: alt.TopLevelMixin) -> "IPython.display.HTML":  # noqa: F821
    """``chart`` as an HTML output that draws itself with no kernel and no network.

    Vega, Vega-Lite and vega-embed are inlined (from vl-convert, the bundle altair's
    ``to_html(inline=True)`` uses: about 0.9 MB), so the chart's params (radio buttons,
    sliders) keep working in a notebook exported with ``jupyter nbconvert --to html``
    and opened offline, where a JupyterChart widget would show nothing. The output
    loads nothing remote; vega-embed's "Open in Vega Editor" action is turned off. It
    draws as SVG (one element per mark, so a test can count the points a param leaves).
    Returns an ``IPython.display.HTML``; one page may hold several of them (each
    script is scoped, and the bundle runs once per page, kept as
    ``window.vmVsCloudVegaEmbed``). In JupyterLab it runs because outputs made in the
    session are trusted.
    """
    import json
    import uuid

    from IPython.display import HTML

    from ._startup import inline_vega_bundle

    if not isinstance(chart, alt.TopLevelMixin):
        raise ValueError(f"chart must be an altair chart (alt.Chart, alt.LayerChart, ...); got {type(chart).__name__}")
    bundle = inline_vega_bundle()  # cached per vl-convert version: ~1.9 s once, then a file read
    if "</script" in bundle.lower():
        raise ValueError("the vl-convert bundle contains '</script' and cannot be inlined")
    # "</" inside a JSON string would end the <script> element early: "<\/" is the same JSON string.
    spec = json.dumps(chart.to_dict(), ensure_ascii=True).replace("</", "<\\/")
    options = json.dumps({"mode": "vega-lite", "renderer": "svg",
                          "actions": {"export": True, "source": False, "compiled": False, "editor": False}})
    div_id = f"vm-vs-cloud-chart-{uuid.uuid4().hex}"
    return HTML(
        f'<div class="vega-visualization" id="{div_id}"></div>\n'
        f"<style>#{div_id}.vega-embed {{width: 100%; display: flex;}} "
        f"#{div_id}.vega-embed details, #{div_id}.vega-embed details summary {{position: relative;}}</style>\n"
        '<script type="text/javascript">\n'
        "(function () {\n"
        "  if (typeof window.vmVsCloudVegaEmbed !== 'function') {\n"
        "    // vega-embed bundle (Vega, Vega-Lite) from vl-convert; it sets window.vegaEmbed\n"
        f"    (function () {{\n{bundle}\n    }}).call(window);\n"
        "    window.vmVsCloudVegaEmbed = window.vegaEmbed;  // ours, whatever else sets vegaEmbed later\n"
        "  }\n"
        f"  window.vmVsCloudVegaEmbed(document.getElementById('{div_id}'), {spec}, {options})"
        ".catch(console.error);\n"
        "})();\n"
        "</script>\n")
