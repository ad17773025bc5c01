"""The shared chart pieces: theme, palette, source line, tornado, row counts."""

from __future__ import annotations

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


def test_palette_is_okabe_ito():
    assert charts.PALETTE[:3] == ("#E69F00", "#56B4E9", "#009E73")
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)


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
    assert parts[-1].endswith("helpers.cost.break_even")
    source_chart = spec["vconcat"][1]
    assert source_chart["height"] == 13 * len(parts) and source_chart["mark"]["lineBreak"] == "\n"


@pytest.mark.parametrize("missing", ["title", "source", "model"])
def test_finish_requires_title_source_and_model(missing):
    kwargs = {"title": "t", "source": "s", "model": "m", missing: ""}
    with pytest.raises(ValueError, match="title, source and model"):
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
