"""Chapter 1 views: the Vega-param timeline (works in static HTML), the gap chart, the live panel, the checks."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import helpers  # noqa: F401  (theme, schemas)
from helpers import history
from helpers import history_views as views
from helpers.charts import chart_row_counts, title_text

FIRST, LAST = history.year_span()


def walk(node, key):
    """Every value stored under ``key`` anywhere in a spec."""
    if isinstance(node, dict):
        for k, value in node.items():
            if k == key:
                yield value
            yield from walk(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, key)


def assert_valid_finished_chart(chart, model):
    spec = chart.to_dict(validate=True)
    assert all(count < 5000 for count in chart_row_counts(chart))
    lines = [row["line"] for rows in spec.get("datasets", {}).values() for row in rows if "line" in row]
    assert any(line.startswith("Source: data/timeline.csv") and model in line for line in lines), lines
    assert spec["title"]["text"]
    return spec


@pytest.fixture(scope="module")
def timeline_spec():
    return views.timeline_chart().to_dict(validate=True)


# --- the static, param-driven timeline ---

def test_timeline_chart_is_valid_small_and_sourced():
    spec = assert_valid_finished_chart(views.timeline_chart(), "helpers.history.timeline")
    assert spec["title"]["subtitle"][0].startswith(f"All {len(history.timeline())} events")


def test_timeline_title_follows_the_filter(timeline_spec):
    """The title is a Vega expression of the params: it names the strand and the chosen years."""
    expr = timeline_spec["title"]["text"]["expr"]
    for name in (views.PARAM_CATEGORY, views.PARAM_YEAR_FROM, views.PARAM_YEAR_TO):
        assert name in expr
    assert views.WINDOW_START in expr and views.WINDOW_END in expr


def test_timeline_axis_follows_the_chosen_years_not_the_points(timeline_spec):
    marks = [layer for layer in walk(timeline_spec, "layer") for layer in layer]
    points = next(layer for layer in marks if "tooltip" in layer.get("encoding", {}))
    x = points["encoding"]["x"]
    assert x["scale"]["domain"] == [{"expr": f"datetime({views.WINDOW_START}, 0, 1)"},
                                    {"expr": f"datetime({views.WINDOW_END}, 11, 31)"}]
    assert "interval: 'year'" in x["axis"]["tickCount"]["expr"]  # year ticks only: no repeated year labels


def test_timeline_tooltips_show_dates_as_text_known_to_their_precision(timeline_spec):
    marks = [layer for layer in walk(timeline_spec, "layer") for layer in layer]
    points = next(layer for layer in marks if "tooltip" in layer.get("encoding", {}))
    fields = [t["field"] for t in points["encoding"]["tooltip"]]
    assert "when" in fields and "date" not in fields  # "date" is parsed for the time axis: epoch ms in a tooltip
    rows = {row["event"]: row["when"] for rows in timeline_spec["datasets"].values() for row in rows if "when" in row}
    assert rows["CP-40 research hypervisor begun at IBM Cambridge Scientific Center"] == "1964"
    assert rows["Amazon EC2 limited public beta"] == "24 Aug 2006"
    assert not any(value.endswith("-01-01") or value.isdigit() and len(value) > 4 for value in rows.values())


@pytest.mark.parametrize(("start", "end", "step"), [(2004, 2006, 1), (2000, 2012, 2), (1964, 2025, 10),
                                                    (2013, 2013, 1)])
def test_window_chart_year_ticks_never_repeat_a_year(start, end, step):
    spec = views.timeline_window_chart(start, end).to_dict()
    axis = spec["vconcat"][0]["layer"][0]["encoding"]["x"]["axis"]
    assert axis["tickCount"] == {"interval": "year", "step": step} and axis["format"] == "%Y"


def test_window_chart_tick_count_in_vega_rendering():
    import re

    import vl_convert as vlc
    svg = vlc.vegalite_to_svg(views.timeline_window_chart(2004, 2006).to_dict())
    years = re.findall(r">(\d{4})<", svg)
    assert years and len(years) == len(set(years)), years


def test_charts_fit_a_projector():
    """Widths set explicitly, below what a 1024 px screen at 125 % leaves beside JupyterLab's bars."""
    for chart in (views.timeline_chart(), views.adoption_gap_chart(), views.timeline_window_chart(FIRST, LAST)):
        spec = chart.to_dict()
        assert spec["vconcat"][0]["width"] <= 440


@pytest.mark.parametrize("build", [views.timeline_chart, views.adoption_gap_chart,
                                   lambda: views.timeline_window_chart(FIRST, LAST)])
def test_chart_builders_use_typed_channels_only(build, schema_lookups):
    """A bare string/dict channel makes altair look it up in the whole schema (~15 ms each)."""
    build()
    assert not schema_lookups


def test_timeline_params_are_bound_to_inputs(timeline_spec):
    params = {p["name"]: p for p in walk(timeline_spec, "params") for p in p}
    category = params[views.PARAM_CATEGORY]
    assert category["bind"]["input"] == "radio"
    assert category["bind"]["options"] == [views.ALL_CATEGORIES, *history.CATEGORIES]
    assert category["value"] == views.ALL_CATEGORIES
    for name, value in ((views.PARAM_YEAR_FROM, FIRST), (views.PARAM_YEAR_TO, LAST)):
        assert params[name]["bind"] == {"input": "range", "min": FIRST, "max": LAST, "step": 1,
                                        "name": params[name]["bind"]["name"]}
        assert params[name]["value"] == value


def test_timeline_filters_reference_the_params(timeline_spec):
    filters = [f for f in walk(timeline_spec, "filter") if isinstance(f, str)]
    assert any(views.PARAM_CATEGORY in f and "datum.category" in f for f in filters)
    assert any(views.PARAM_YEAR_FROM in f and views.PARAM_YEAR_TO in f and "datum.year" in f for f in filters)
    # the points layer (the one with a tooltip) is the filtered one
    marks = [layer for layer in walk(timeline_spec, "layer") for layer in layer]
    points = next(layer for layer in marks if "tooltip" in layer.get("encoding", {}))
    point_filters = [t["filter"] for t in points["transform"]]
    assert views.CATEGORY_FILTER in point_filters and views.YEAR_FILTER in point_filters


def test_crossed_year_sliders_still_select_a_window_in_vega(timeline_spec):
    """With from > to the filter uses min()/max() of the two params, so the chart and its label never go blank."""
    lo = f"min({views.PARAM_YEAR_FROM}, {views.PARAM_YEAR_TO})"
    hi = f"max({views.PARAM_YEAR_FROM}, {views.PARAM_YEAR_TO})"
    assert views.YEAR_FILTER == f"(datum.year >= {lo}) && (datum.year <= {hi})"
    filters = [f for f in walk(timeline_spec, "filter") if isinstance(f, str)]
    assert filters.count(views.YEAR_FILTER) >= 2, "points and the 'N events shown' label both use the ordered window"
    assert lo in timeline_spec["title"]["text"]["expr"] and hi in timeline_spec["title"]["text"]["expr"]


def test_timeline_saves_to_offline_html_with_its_params(tmp_path):
    path = tmp_path / "timeline.html"
    views.timeline_chart().save(str(path), inline=True)
    html = path.read_text(encoding="utf-8")
    for name in (views.PARAM_CATEGORY, views.PARAM_YEAR_FROM, views.PARAM_YEAR_TO):
        assert name in html
    assert "cdn.jsdelivr" not in html and "<script src=\"http" not in html
    assert "vegaEmbed" in html or "vega-embed" in html


def test_timeline_chart_data_carry_year_and_category():
    spec = views.timeline_chart().to_dict()
    rows = max(spec["datasets"].values(), key=len)
    assert len(rows) == len(history.timeline())
    assert {"date", "year", "category", "event", "source"} <= set(rows[0])
    assert all(isinstance(row["year"], int) for row in rows)


# --- the adoption-gap chart ---

def test_adoption_gap_chart_is_valid_and_titled_from_the_model():
    chart = views.adoption_gap_chart()
    spec = assert_valid_finished_chart(chart, "helpers.history.adoption_gaps")
    popek = history.years_between("popek-goldberg", "intel-vt-x")
    assert f"{popek:.0f} years" in title_text(spec)
    rows = max(spec["datasets"].values(), key=len)
    assert len(rows) == len(history.ENABLERS)
    subtitle = " ".join(spec["title"]["subtitle"]) if isinstance(spec["title"]["subtitle"], list) \
        else spec["title"]["subtitle"]
    assert "landmark that depended on it" in subtitle and "first thing built on it" not in subtitle
    others = history.adoption_gaps().query("enabler_id != 'popek-goldberg'")["gap_years"]
    assert f"{others.min():.1f}-{others.max():.1f} years" in title_text(spec)


# --- the window chart and the view ---

def test_window_chart_marks_the_models_longest_gap():
    chart = views.timeline_window_chart(FIRST, LAST)
    spec = assert_valid_finished_chart(chart, "helpers.history.events_between")
    gap = history.longest_quiet_gap(FIRST, LAST)
    gap_rows = [row for rows in spec["datasets"].values() for row in rows if "gap_start" in row]
    assert gap_rows == [{"gap_start": "1988-01-01", "gap_end": "1997-06-01",
                         "gap_years": round(float(gap["gap_years"]), 1),
                         "label": f"longest quiet stretch: {round(float(gap['gap_years']), 1)} years",
                         "from": "1988", "to": "Jun 1997"}]


def test_window_chart_with_an_empty_window_has_no_gap_marker():
    spec = views.timeline_window_chart(1990, 1996).to_dict(validate=True)
    assert spec["title"]["text"].startswith("0 events from 1990 to 1996")
    assert not [row for rows in spec["datasets"].values() for row in rows if "gap_start" in row]


def test_timeline_view_swaps_a_reversed_window():
    view = views.timeline_view(2010, 1990)
    shown = len(history.events_between(1990, 2010))
    assert len(view.table) == min(shown, views.TABLE_ROWS)
    assert "swapped" in view.text
    assert views.timeline_window_chart(2010, 1990).to_dict()["title"]["text"].startswith(
        f"{shown} events from 1990 to 2010")


def test_timeline_view_table_is_capped_and_shows_event_ids():
    view = views.timeline_view(FIRST, LAST)
    assert len(view.table) == views.TABLE_ROWS and list(view.table.columns) == ["date", "event id", "strand", "event"]
    assert f"first {views.TABLE_ROWS} of {len(history.timeline())}" in view.text
    assert view.table["date"].iloc[0] == "1964"  # known only to the year: no invented "-01-01"
    cloud = views.timeline_view(FIRST, LAST, "cloud")
    gap = history.longest_quiet_gap(FIRST, LAST, "cloud")
    assert {gap["before_id"], gap["after_id"]} <= set(cloud.table["event id"])  # exercise 3's ids are shown
    assert f"<code>{gap['before_id']}</code>" in cloud.text


@pytest.mark.parametrize("bad", [float("nan"), "2000", None, FIRST - 1, LAST + 1, 2000.5])
def test_views_reject_bad_years(bad):
    with pytest.raises(ValueError, match="start_year"):
        views.timeline_view(bad, LAST)
    with pytest.raises(ValueError, match="end_year"):
        views.timeline_window_chart(FIRST, bad)


@pytest.mark.parametrize("bad", ["All", "clouds", None, 3])
def test_views_reject_bad_category(bad):
    with pytest.raises(ValueError, match="category"):
        views.timeline_view(FIRST, LAST, bad)
    with pytest.raises(ValueError, match="category"):
        views.timeline_window_chart(FIRST, LAST, bad)


# --- the live panel ---

@pytest.fixture()
def panel():
    return views.timeline_panel()


def table_rows(panel) -> int:
    return panel.table_widget.value.count("</tr>") - 1  # minus the header row


def test_panel_bounds_are_safe(panel):
    assert panel.check_bounds() == 2 * 2 + len(history.CATEGORIES) + 1


def test_panel_starts_with_the_whole_timeline(panel):
    assert table_rows(panel) == views.TABLE_ROWS
    gap = history.longest_quiet_gap(FIRST, LAST)
    assert f"{gap['gap_years']:.1f} years" in panel.text_widget.value


def test_panel_start_year_slider_narrows_as_the_model_says(panel):
    panel.controls["start_year"].value = 2010
    expected = history.events_between(2010, LAST)
    assert table_rows(panel) == min(len(expected), views.TABLE_ROWS)
    assert panel.chart_widget.spec["title"]["text"].startswith(f"{len(expected)} events from 2010 to {LAST}")
    gap = history.longest_quiet_gap(2010, LAST)
    assert f"{gap['gap_years']:.1f} years" in panel.text_widget.value


def test_panel_end_year_slider_moves_the_gap_marker(panel):
    panel.controls["end_year"].value = 1972
    gap = history.longest_quiet_gap(FIRST, 1972)  # CP-67 1967-01-01 -> VM/370 1972-08-02: 2,040 days = 5.6 years
    spec = panel.chart_widget.spec
    gap_rows = [row for rows in spec["datasets"].values() for row in rows if "gap_start" in row]
    assert gap_rows[0]["gap_start"] == gap["before_date"].strftime("%Y-%m-%d") == "1967-01-01"
    assert gap_rows[0]["gap_end"] == gap["after_date"].strftime("%Y-%m-%d")
    assert table_rows(panel) == len(history.events_between(FIRST, 1972))


@pytest.mark.parametrize("category", history.CATEGORIES)
def test_panel_category_choice_filters_as_the_model_says(panel, category):
    panel.controls["category"].value = category
    expected = history.events_between(FIRST, LAST, category)
    assert table_rows(panel) == min(len(expected), views.TABLE_ROWS)
    assert f"<b>{len(expected)}</b> event" in panel.text_widget.value
    categories = {row["category"] for rows in panel.chart_widget.spec["datasets"].values() for row in rows
                  if "category" in row}
    assert categories == {category}


def test_panel_handles_crossed_sliders(panel):
    panel.set_values(start_year=2020, end_year=2000)
    assert table_rows(panel) == min(len(history.events_between(2000, 2020)), views.TABLE_ROWS)
    assert "swapped" in panel.text_widget.value


def test_panel_chart_is_always_valid(panel):
    panel.set_values(start_year=1980, end_year=1989, category="serverless")
    assert json.dumps(panel.chart_widget.spec)
    assert table_rows(panel) == 0 and "<b>0</b> events" in panel.text_widget.value


# --- self-checks ---

def test_panel_labels_are_short():
    for item in views.timeline_panel().parameters.values():
        assert len(item.label) <= 22 and "year" not in item.label.lower().split()


def test_check_trap_and_emulate_breakers():
    assert views.check_trap_and_emulate_breakers(["POPF", "PUSHF", "SGDT", "SMSW"])
    assert views.check_trap_and_emulate_breakers(("smsw", "sgdt", "pushf", " popf"))  # any order and case
    assert not views.check_trap_and_emulate_breakers(["POPF"])
    assert not views.check_trap_and_emulate_breakers(["POPF", "PUSHF", "SGDT", "SMSW", "LGDT"])
    assert "LGDT does not break it" in views.check_trap_and_emulate_breakers(["LGDT"]).message
    assert "not in the table" in views.check_trap_and_emulate_breakers(["CPUID"]).message
    table = views.instruction_table()
    assert list(table["instruction"]) == [i.mnemonic for i in history.X86_INSTRUCTIONS]
    assert "traps" not in " ".join(table.columns)  # the table does not give the answer's second half away
    assert list(table.columns) == ["instruction", "what it does (Intel SDM, before VT-x)"]  # nor the first half
    text = " ".join(table.iloc[:, 1]).lower()
    assert "no trap" not in text and "traps" not in text and "sensitive" not in text


def test_check_what_nested_paging_moved():
    assert views.check_what_nested_paging_moved("page tables")
    assert views.check_what_nested_paging_moved(" Page Tables ")
    assert not views.check_what_nested_paging_moved("a CPU mode for the guest kernel")  # that was VT-x itself
    assert "sensitive instructions" not in views.NESTED_PAGING_OPTIONS  # VT-x did not make them trap
    assert set(views.NESTED_PAGING_OPTIONS) >= {a.moved_to_hardware for a in history.HARDWARE_ASSISTS}


def test_check_longest_cloud_gap_checks_the_length_and_both_events():
    gap = history.longest_quiet_gap(FIRST, LAST, "cloud")
    right = (float(gap["gap_years"]), gap["before_id"], gap["after_id"])
    assert views.check_longest_cloud_gap(right)
    assert views.check_longest_cloud_gap([7.2, "openstack", "ec2-per-second"])
    # the right number with the wrong bounding events is not right
    assert not views.check_longest_cloud_gap((right[0], "azure", right[2]))
    assert not views.check_longest_cloud_gap((right[0], right[1], "aws-lambda"))
    assert not views.check_longest_cloud_gap((right[0] + 2, right[1], right[2]))
    assert not views.check_longest_cloud_gap(None)
    for bad in (7.2, (7.2, "openstack"), (7.2, "openstack", "no-such-event"), ("7", "openstack", "ec2-per-second")):
        result = views.check_longest_cloud_gap(bad)  # a sentence and a hint, never a traceback
        assert not result and "Hint" in result.message


def test_check_longest_gap_day_precision_uses_other_data():
    events = history.timeline()
    day = events[events["date_precision"] == "day"]
    expected = float(history.longest_gap(day)["gap_years"])
    # VM/370 1972-08-02 -> VM/XA SP 1987-06-11: 5,426 days = 14.86 years
    assert expected == pytest.approx(5426 / 365.25)
    assert expected != pytest.approx(float(history.longest_quiet_gap(FIRST, LAST)["gap_years"]))
    assert views.check_longest_gap_day_precision(expected)
    assert not views.check_longest_gap_day_precision(float(history.longest_quiet_gap(FIRST, LAST)["gap_years"]))


CHECKS = [views.check_trap_and_emulate_breakers, views.check_what_nested_paging_moved, views.check_longest_cloud_gap,
          views.check_longest_gap_day_precision]
MALFORMED = ["4", "seventy", 3, 2.5, True, False, float("nan"), float("inf"), [2], (1, 2, 3), ("a",), {"x": 1}, [],
             (), object(), b"POPF", ["POPF", 3], (7.2, "openstack", 3), (True, "openstack", "ec2-per-second")]


@pytest.mark.parametrize("check", CHECKS)
def test_checks_treat_none_as_not_answered(check):
    result = check(None)
    assert not result and "No answer yet" in result.message


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_checks_answer_any_input_with_a_sentence_and_a_hint(check, bad):
    result = check(bad)
    assert not result and "Hint" in result.message
