"""The shared chart pieces: theme, palette, source line, tornado, row counts."""

from __future__ import annotations

import itertools
import math

import altair as alt
import pandas as pd
import pytest

import helpers  # noqa: F401  (enables the theme and renderer)
from helpers import charts


def small_chart():
    return alt.Chart(pd.DataFrame({"x": [1, 2, 3], "y": [2, 4, 6]})).mark_line().encode(x="x:Q", y="y:Q")


def test_theme_and_offline_renderer_are_enabled_on_import():
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.active == "jupyter" and alt.renderers.options.get("offline") is True
    spec = small_chart().to_dict()
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of "#RRGGBB", for a colour-difference check."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_palette_is_okabe_ito_darkened_where_it_is_too_pale_on_white():
    assert len(charts.PALETTE) == len(charts.OKABE_ITO) == len(set(charts.PALETTE))
    kept = [c for c, original in zip(charts.PALETTE, charts.OKABE_ITO) if c == original]
    assert kept == ["#009E73", "#0072B2", "#D55E00"], "the Okabe-Ito colours that pass 3:1 are kept as they are"
    for colour in charts.PALETTE + (charts.INK, charts.MUTED):
        assert charts.contrast_on_white(colour) >= 3.0, f"{colour} is under 3:1 on white (WCAG 1.4.11)"
    assert charts.contrast_on_white("#F0E442") < 1.5  # Okabe-Ito yellow: why the palette changed
    distances = [math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(charts.PALETTE, 2)]
    assert min(distances) > 20, "every two palette colours are clearly different (CIE76 delta E > 20)"


def test_contrast_on_white():
    assert charts.contrast_on_white("#000000") == pytest.approx(21)
    assert charts.contrast_on_white("#FFFFFF") == pytest.approx(1)
    assert charts.contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)
    for bad in ("red", "#12345", None, "#GGGGGG"):
        with pytest.raises(ValueError, match="colour"):
            charts.contrast_on_white(bad)


def test_theme_text_is_projector_readable_and_legends_sit_below():
    config = small_chart().to_dict()["config"]
    sizes = [config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["legend"]["labelFontSize"],
             config["legend"]["titleFontSize"], config["title"]["fontSize"], config["title"]["subtitleFontSize"],
             config["text"]["fontSize"]]
    assert min(sizes) >= 12
    assert config["legend"]["orient"] == "bottom"
    assert config["view"]["continuousWidth"] <= 520


def test_long_titles_wrap_and_read_back_in_one_line():
    title = "Owning wins above 7.5 % average utilisation and the article's figure is about 36 times too high"
    spec = charts.finish(small_chart(), title=title, subtitle="s " * 60, source="s", model="m").to_dict()
    lines = spec["title"]["text"].split("\n")
    assert len(lines) == 2 and all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert all(len(line) <= charts.SUBTITLE_CHARS for line in spec["title"]["subtitle"].split("\n"))
    assert charts.title_text(spec) == title
    assert spec["config"]["style"]["group-title"]["lineBreak"] == "\n"
    assert charts.finish(small_chart(), title="Short", source="s", model="m").to_dict()["title"]["text"] == "Short"


def test_charts_are_svg_scaled_to_their_cell_and_never_go_online():
    assert charts.EMBED_OPTIONS["renderer"] == "svg" and charts.EMBED_OPTIONS["actions"]["editor"] is False
    assert charts.CHART_CSS in alt.JupyterChart._css
    assert "max-width: 100%" in charts.CHART_CSS and "height: auto" in charts.CHART_CSS
    charts.enable_responsive_charts()
    assert alt.JupyterChart._css.count(charts.CHART_CSS) == 1
    assert alt.renderers.options.get("embed_options") == charts.EMBED_OPTIONS


def test_finish_adds_title_and_source_line():
    spec = charts.finish(small_chart(), title="Y doubles X", source="made up", model="tests.small_chart").to_dict()
    assert spec["title"]["text"] == "Y doubles X"
    lines = [v["line"] for d in spec["datasets"].values() for v in d if "line" in v]
    assert lines == ["Source: made up · Model: tests.small_chart"]


def test_long_source_lines_wrap_instead_of_being_cut():
    source = "a very long citation, " * 12
    spec = charts.finish(small_chart(), title="t", source=source, model="helpers.cost.break_even").to_dict()
    (line,) = [v["line"] for d in spec["datasets"].values() for v in d if "line" in v]
    parts = line.split("\n")
    assert len(parts) >= 3 and all(len(part) <= charts.SOURCE_LINE_CHARS for part in parts)
    assert parts[-1].endswith("Model: helpers.cost.break_even"), "'Model: name' is never split"
    source_chart = spec["vconcat"][1]
    assert source_chart["height"] == charts.SOURCE_LINE_PX * len(parts) and source_chart["mark"]["lineBreak"] == "\n"
    assert source_chart["mark"]["fontSize"] >= 12


@pytest.mark.parametrize("missing", ["title", "source", "model"])
def test_finish_requires_title_source_and_model(missing):
    kwargs = {"title": "t", "source": "s", "model": "m", missing: ""}
    with pytest.raises(ValueError, match=f"{missing} must be a non-empty string"):
        charts.finish(small_chart(), **kwargs)


def test_option_colors_assigns_palette_in_order():
    scale = charts.option_colors(["a", "b"]).to_dict()
    assert scale == {"domain": ["a", "b"], "range": list(charts.PALETTE[:2])}


def test_tornado_sorts_by_swing_and_marks_baseline():
    table = pd.DataFrame({"parameter": ["small", "big"], "low_result": [9.0, 5.0], "high_result": [11.0, 20.0]})
    chart = charts.tornado_chart(table, baseline=10.0, value_title="Cost (USD)", title="Big matters most",
                                 source="s", model="m")
    spec = chart.to_dict()
    bars = spec["vconcat"][0]["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["big", "small"]
    assert charts.chart_row_counts(chart) and max(charts.chart_row_counts(chart)) < 5000


def test_tornado_rejects_missing_columns():
    with pytest.raises(ValueError, match="sensitivity must have columns"):
        charts.tornado_chart(pd.DataFrame({"parameter": ["a"]}), baseline=1, value_title="v", title="t",
                             source="s", model="m")


def test_row_counts_find_inline_and_named_datasets():
    chart = charts.finish(small_chart(), title="t", source="s", model="m")
    assert sorted(charts.chart_row_counts(chart)) == [1, 3]


def test_offline_chart_bundle_loads_nothing_from_a_cdn():
    """JupyterChart's JavaScript (Vega, Vega-Lite, vega-embed) comes from vl-convert, with no remote import."""
    alt.JupyterChart.enable_offline()
    bundle = alt.JupyterChart._esm
    assert len(bundle) > 100_000, "the offline bundle should contain Vega itself"
    for cdn in ("cdn.jsdelivr", "unpkg.com", "esm.sh", "skypack"):
        assert cdn not in bundle
    assert "import(" not in bundle, "no dynamic import of remote modules"


@pytest.mark.parametrize("bad", [5, "ab", [], ["a", "a"], [f"o{i}" for i in range(9)], ["a", ""], ["a", 3]])
def test_option_colors_rejects_bad_options(bad):
    with pytest.raises(ValueError, match="options must"):
        charts.option_colors(bad)


@pytest.mark.parametrize("bad", ["x", None, {"mark": "point"}])
def test_row_counts_needs_an_altair_chart(bad):
    with pytest.raises(ValueError, match="chart must be an altair chart"):
        charts.chart_row_counts(bad)


def test_dashes_and_shapes_tell_options_apart_without_colour():
    names = ["on-premises", "on-demand", "savings plan", "spot"]
    dashes = charts.option_dashes(names).to_dict()
    shapes = charts.option_shapes(names).to_dict()
    assert dashes["domain"] == names and len({tuple(d) for d in dashes["range"]}) == 4
    assert shapes["domain"] == names and len(set(shapes["range"])) == 4
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [1, 2], "o": names[:2]})).mark_line().encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), color=alt.Color("o:N", scale=charts.option_colors(names[:2])),
        strokeDash=alt.StrokeDash("o:N", scale=charts.option_dashes(names[:2])))
    chart.to_dict(validate=True)
    with pytest.raises(ValueError, match="options must"):
        charts.option_dashes(["a", "a"])
