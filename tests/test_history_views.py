"""Chapter 1 views: the Vega-param timeline (works in static HTML), the gap chart, the live panel, the checks."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import helpers  # noqa: F401  (theme, schemas)
from helpers import history
from helpers import history_views as views
from helpers.charts import chart_row_counts

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
    assert spec["title"]["text"].startswith(f"{len(history.timeline())} selected events")


def test_timeline_title_names_the_busiest_strand_from_the_data(monkeypatch):
    counts = history.timeline()["category"].value_counts()
    title = views.timeline_chart().to_dict()["title"]["text"]
    assert f"{counts.idxmax()} is the busiest strand ({counts.max()} events)" in title
    # add enough cloud events and the title follows the data
    events = history.timeline()
    cloud = events[events["category"] == "cloud"].iloc[[0]]
    extra = pd.concat([cloud.assign(event_id=f"extra-{i}") for i in range(counts.max())])
    monkeypatch.setattr(history, "timeline", lambda: pd.concat([events, extra], ignore_index=True))
    title = views.timeline_chart().to_dict()["title"]["text"]
    assert f"cloud is the busiest strand ({counts['cloud'] + counts.max()} events)" in title


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
    labels = [c["calculate"] for c in walk(timeline_spec, "transform") for c in c if "calculate" in c]
    assert any(lo in label and hi in label for label in labels)


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
    assert f"{popek:.0f} years" in spec["title"]["text"]
    rows = max(spec["datasets"].values(), key=len)
    assert len(rows) == len(history.ENABLERS)
    subtitle = " ".join(spec["title"]["subtitle"]) if isinstance(spec["title"]["subtitle"], list) \
        else spec["title"]["subtitle"]
    assert "landmark that depended on it" in subtitle and "first thing built on it" not in subtitle
    others = history.adoption_gaps().query("enabler_id != 'popek-goldberg'")["gap_years"]
    assert f"{others.min():.1f} to {others.max():.1f} years" in spec["title"]["text"]


# --- the window chart and the view ---

def test_window_chart_marks_the_models_longest_gap():
    chart = views.timeline_window_chart(FIRST, LAST)
    spec = assert_valid_finished_chart(chart, "helpers.history.events_between")
    gap = history.longest_quiet_gap(FIRST, LAST)
    gap_rows = [row for rows in spec["datasets"].values() for row in rows if "gap_start" in row]
    assert gap_rows == [{"gap_start": "1988-01-01", "gap_end": "1997-06-01",
                         "gap_years": round(float(gap["gap_years"]), 1),
                         "label": f"longest quiet stretch: {round(float(gap['gap_years']), 1)} years"}]


def test_window_chart_with_an_empty_window_has_no_gap_marker():
    spec = views.timeline_window_chart(1990, 1996).to_dict(validate=True)
    assert spec["title"]["text"].startswith("0 events from 1990 to 1996")
    assert not [row for rows in spec["datasets"].values() for row in rows if "gap_start" in row]


def test_timeline_view_swaps_a_reversed_window():
    view = views.timeline_view(2010, 1990)
    assert len(view.table) == len(history.events_between(1990, 2010))
    assert "swapped" in view.text
    assert views.timeline_window_chart(2010, 1990).to_dict()["title"]["text"].startswith(
        f"{len(view.table)} events from 1990 to 2010")


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
    assert table_rows(panel) == len(history.timeline())
    gap = history.longest_quiet_gap(FIRST, LAST)
    assert f"{gap['gap_years']:.1f} years" in panel.text_widget.value


def test_panel_start_year_slider_narrows_as_the_model_says(panel):
    panel.controls["start_year"].value = 2010
    expected = history.events_between(2010, LAST)
    assert table_rows(panel) == len(expected)
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
    assert table_rows(panel) == len(expected)
    assert f"<b>{len(expected)}</b> events" in panel.text_widget.value
    categories = {row["category"] for rows in panel.chart_widget.spec["datasets"].values() for row in rows
                  if "category" in row}
    assert categories == {category}


def test_panel_handles_crossed_sliders(panel):
    panel.set_values(start_year=2020, end_year=2000)
    assert table_rows(panel) == len(history.events_between(2000, 2020))
    assert "swapped" in panel.text_widget.value


def test_panel_chart_is_always_valid(panel):
    panel.set_values(start_year=1980, end_year=1989, category="serverless")
    assert json.dumps(panel.chart_widget.spec)
    assert table_rows(panel) == 0 and "<b>0</b> events" in panel.text_widget.value


# --- self-checks ---

def test_check_years_xen_to_kvm():
    # Xen at SOSP 2003-10-01 -> Linux 2.6.20 2007-02-04: 92 (Oct-Dec 2003) + 366 (2004) + 365 + 365
    # + 34 (1 Jan -> 4 Feb 2007) = 1,222 days = 3.35 years
    expected = history.years_between("xen", "kvm")
    assert expected == pytest.approx(1222 / 365.25)
    assert views.check_years_xen_to_kvm(expected) and views.check_years_xen_to_kvm(3.3)
    assert not views.check_years_xen_to_kvm(expected + 1)
    assert not views.check_years_xen_to_kvm(None)
    with pytest.raises(ValueError, match="answer"):
        views.check_years_xen_to_kvm("3.3")


def test_check_events_in_1990s():
    expected = len(history.events_between(1990, 1999))
    assert expected == 4  # Virtual PC, Disco, VMware founded, VMware Workstation
    assert views.check_events_in_1990s(expected)
    assert not views.check_events_in_1990s(expected + 1)
    assert "Not yet" in repr(views.check_events_in_1990s(0))
    with pytest.raises(ValueError, match="answer"):
        views.check_events_in_1990s(float("nan"))


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
        with pytest.raises(ValueError, match="answer"):
            views.check_longest_cloud_gap(bad)


def test_check_longest_gap_day_precision_uses_other_data():
    events = history.timeline()
    day = events[events["date_precision"] == "day"]
    expected = float(history.longest_gap(day)["gap_years"])
    # VM/370 1972-08-02 -> VM/XA SP 1987-06-11: 5,426 days = 14.86 years
    assert expected == pytest.approx(5426 / 365.25)
    assert expected != pytest.approx(float(history.longest_quiet_gap(FIRST, LAST)["gap_years"]))
    assert views.check_longest_gap_day_precision(expected)
    assert not views.check_longest_gap_day_precision(float(history.longest_quiet_gap(FIRST, LAST)["gap_years"]))
    with pytest.raises(ValueError, match="answer"):
        views.check_longest_gap_day_precision([expected])
