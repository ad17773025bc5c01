"""Chapter 05 views: charts validate, cite their source, fit a laptop and a projector, and show what the model
computes; panels redraw it, and their controls can only produce what the model accepts."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from helpers import cost
from helpers import cost_views as views
from helpers.charts import chart_row_counts
from helpers.widgets import Choice, Slider


def spec_of(chart) -> dict:
    """The chart's spec, its title lines joined (long titles are wrapped into lines to fit a projector)."""
    spec = chart.to_dict(validate=True)
    for key in ("text", "subtitle"):
        if isinstance(spec["title"].get(key), list):
            spec["title"][key] = " ".join(spec["title"][key])
    return spec


def flat(spec: dict) -> str:
    """The spec as text with wrapped lines joined (the source line wraps at ~80 characters)."""
    return json.dumps(spec).replace("\\n", " ")


def markers(spec: dict, kind: str) -> list[dict]:
    """The break-even ("break-even") or current-utilisation ("you") marker rows of a cost-curves spec."""
    rows = [row for values in spec["datasets"].values() for row in values if "kind" in row]
    return [row for row in rows if row["kind"] == kind]


def rows_with(spec: dict, key: str) -> list[dict]:
    return [row for values in spec["datasets"].values() for row in values if key in row]


CHARTS = {
    "curves": lambda: views.cost_curves_chart(utilization=0.3),
    "curves_no_marker": lambda: views.cost_curves_chart(on_demand_usd_per_hour=0.001),
    "curves_vmware": lambda: views.cost_curves_chart(utilization=0.3, **cost.preset_parameters("enterprise VMware")),
    "components": lambda: views.cost_components_chart(),
    "components_profile": lambda: views.cost_components_chart(cost.monthly_cost_by_option(cost.demand_profile())),
    "walk": lambda: views.break_even_walk_chart(),
    "double11": lambda: views.double11_chart(),
    "double11_demand": lambda: views.double11_demand_chart(),
    "tornado": lambda: views.tornado(),
    "tornado_spot_vmware": lambda: views.tornado(against="spot"),
    "tornado_saving": lambda: views.tornado(output="owning_saving_usd_per_month"),
    "saving_tornado": lambda: views.saving_tornado(),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_validates_is_small_and_cites_its_source(name):
    chart = CHARTS[name]()
    spec = spec_of(chart)
    assert all(count < 5000 for count in chart_row_counts(chart))
    text = flat(spec)
    assert "Source: data/cost_assumptions.csv" in text or "Source: assumptions in helpers.cost" in text
    assert "Model: helpers.cost." in text
    assert spec["title"]["text"]


def _widths(node) -> list[int]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("width"), (int, float)):
            found.append(node["width"])
        for value in node.values():
            found += _widths(value)
    elif isinstance(node, list):
        for value in node:
            found += _widths(value)
    return found


def _legends(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("legend"), dict):
            found.append(node["legend"])
        for value in node.values():
            found += _legends(value)
    elif isinstance(node, list):
        for value in node:
            found += _legends(value)
    return found


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_fits_a_laptop_and_a_projector(name):
    """Issue 8: no plot wider than ~520 px (the shared source line of helpers.charts.finish aside); legends below."""
    spec = spec_of(CHARTS[name]())
    plots = _widths(spec["vconcat"])
    assert plots and max(plots) <= 460, f"plot widths {plots}"
    legends = _legends(spec["vconcat"])  # the theme's config default aside
    assert all(legend.get("orient") == "bottom" for legend in legends), legends


def _texts(spec: dict) -> str:
    title = spec["title"]
    parts = [title["text"], json.dumps(title.get("subtitle", ""))]
    parts += [str(row.get(key, "")) for values in spec["datasets"].values() for row in values
              for key in ("label", "text")]
    return " ".join(parts)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_no_money_in_scientific_notation(name):
    text = _texts(spec_of(CHARTS[name]()))
    assert not re.search(r"\d(\.\d+)?e[+-]?\d", text), text


def test_curves_chart_marks_the_model_break_even():
    spec = spec_of(views.cost_curves_chart(utilization=0.3))
    expected = cost.break_even_utilization()
    (marker,) = markers(spec, "break-even")
    assert marker["utilization"] == pytest.approx(expected)
    own = cost.cost_curves([expected]).set_index("option")["cost_usd_per_month"]["on-premises"]
    assert marker["cost_usd_per_month"] == pytest.approx(own)  # on the on-premises line (exact: piecewise linear)
    assert spec["title"]["text"] == f"Owning wins above {expected * 100:.1f} % average utilisation"
    assert [(row["utilization"], row["label"]) for row in markers(spec, "you")] == [(0.3, "you: 30.0 %")]
    curve = [row for row in rows_with(spec, "option") if "component" not in row]
    assert len(curve) == len(cost.utilization_knots()) * len(cost.OPTIONS)


def test_percentages_have_one_decimal_like_the_notebook():
    assert views.percent(0.0753) == "7.5 %"
    assert views.percent(0.105) == "10.5 %"
    assert views.percent(float("nan")) == "never"
    assert views.usd(149600) == "$149,600" and views.usd(-20) == "-$20"
    assert [views.number(v) for v in (40000, 1e6, 0.1241, 5, 0.0864, 0)] == [
        "40,000", "1,000,000", "0.1241", "5", "0.0864", "0"]


def test_tables_for_reading_have_no_scientific_notation():
    for html in (views.parameters_table().to_html(), views.double11_assumptions_table().to_html(),
                 views.sensitivity_table(top=31).to_html()):
        assert not re.search(r"\b\d(\.\d+)?e[+-]\d", html)
    assert "40,000" in views.parameters_table().to_html()


def test_titles_and_panel_text_quote_the_break_evens_as_the_notebook_prints_them():
    shown = {against: f"{cost.break_even_utilization(against=against) * 100:.1f} %" for against in cost.CLOUD_OPTIONS}
    spec = spec_of(views.cost_curves_chart(utilization=0.3))
    assert spec["title"]["text"] == f"Owning wins above {shown['on-demand']} average utilisation"
    subtitle = json.dumps(spec["title"]["subtitle"])
    assert f"savings plan {shown['savings plan']}" in subtitle and f"spot {shown['spot']}" in subtitle
    panel = views.cost_panel()
    assert f"owning beats on-demand above {shown['on-demand']}" in panel.text_widget.value
    top = cost.sensitivity().iloc[0]
    tornado_title = spec_of(views.tornado())["title"]["text"]
    assert f"{top['low_result'] * 100:.1f} % at {views.number(top['low_value'])}" in tornado_title
    assert f"{top['high_result'] * 100:.1f} % at {views.number(top['high_value'])}" in tornado_title


def test_curves_chart_without_break_even_says_so():
    spec = spec_of(views.cost_curves_chart(on_demand_usd_per_hour=0.001))
    assert markers(spec, "break-even") == []
    assert spec["title"]["text"] == "Renting on demand is cheaper at every utilisation"


def test_components_chart_shows_every_component_and_its_share():
    costs = cost.costs_at_utilization(0.3, licence_usd_per_core_year=135)
    spec = spec_of(views.cost_components_chart(costs))
    parts = [row for row in rows_with(spec, "share") if "component" in row and "option" in row]
    shown = {row["component"] for row in parts}
    assert {"capital", "interest", "licence", "support", "facility ops", "spare hosts", "energy", "staff",
            "storage", "compute", "egress"} <= shown
    for option in cost.OPTIONS:
        shares = [row["share"] for row in parts if row["option"] == option]
        assert sum(shares) == pytest.approx(1.0)
    licence = next(row for row in parts if row["component"] == "licence")
    table = cost.cost_table(costs).set_index("option")
    assert licence["share"] == pytest.approx(table.loc["on-premises", "licence_usd_per_month"]
                                             / table.loc["on-premises", "total_usd_per_month"])
    assert licence["label"] == f"{licence['share']:.0%}"


def test_components_chart_title_names_the_cheapest():
    table = cost.cost_table(cost.costs_at_utilization(0.6, capacity_instances=views.FLEET_VMS)).set_index("option")
    cheapest = table["total_usd_per_month"].idxmin()
    title = spec_of(views.cost_components_chart(utilization=0.6))["title"]["text"]
    assert title.startswith(cheapest.capitalize())
    assert views.usd(table.loc[cheapest, "total_usd_per_month"]) in title


def test_components_chart_refuses_a_broken_table():
    costs = cost.costs_at_utilization(0.3)
    costs.loc[costs["option"] == "spot", "cost_usd_per_month"] = np.nan  # would read "Spot is cheapest"
    with pytest.raises(ValueError, match="costs"):
        views.cost_components_chart(costs)
    with pytest.raises(ValueError, match="costs"):
        views.cost_components_chart(costs.assign(component="lunch"))
    with pytest.raises(ValueError, match="costs"):
        views.cost_components_chart(costs.iloc[:0])
    with pytest.raises(ValueError, match="costs"):
        views.cost_components_chart("a table")


def test_walk_chart_and_tables_agree_with_the_model():
    walk = cost.break_even_walk()
    spec = spec_of(views.break_even_walk_chart())
    first, last = walk["break_even"].iloc[0], walk["break_even"].iloc[-1]
    assert spec["title"]["text"].endswith(f"from {views.percent(first)} to {views.percent(last)}")
    table = views.walk_table()
    assert table["Break-even (%)"].tolist() == [views.percent(v) for v in walk["break_even"]]
    presets = views.presets_table()
    assert presets.loc["enterprise VMware", "vs on-demand"] == views.percent(
        cost.break_even_utilization(**cost.preset_parameters("enterprise VMware")))
    values = views.preset_values_table()
    assert "Hypervisor licence (USD/core-yr)" in values.index and list(values.columns) == ["minimal", "KVM", "VMware"]
    assert "Hypervisor licence" in views.parameters_table().to_html()
    assert "normal instances" in views.double11_assumptions_table().to_html()
    assert views.price_ratio_table().loc["m5.large", "x vCPU"].iloc[0] == pytest.approx(72.9)


def test_tornado_shows_the_widest_bars_with_readable_labels():
    table = cost.sensitivity()
    spec = spec_of(views.tornado(top=12))
    title = spec["title"]["text"]
    assert title.startswith(f"{views.PARAMETER_LABELS[table.iloc[0]['parameter']]} moves the break-even most")
    labels = [row["parameter"] for row in rows_with(spec, "end")]
    assert set(labels) == {views.PARAMETER_LABELS[name] for name in table.head(12)["parameter"]}
    assert all(len(label) <= 22 for label in views.PARAMETER_LABELS.values())
    assert f"other {len(cost.cost_parameters()) - 12} parameters" in json.dumps(spec["title"]["subtitle"])


def test_tornado_marks_never_at_the_capped_end():
    spec = spec_of(views.tornado(against="spot"))  # at some ends owning never beats spot
    nevers = [row for row in rows_with(spec, "text") if row.get("text") == "never"]
    flagged = cost.sensitivity(against="spot")
    assert len(nevers) == int(flagged.head(12)["owning_never_wins"].sum()) > 0


def test_saving_tornado_at_30_and_60_percent():
    spec = spec_of(views.saving_tornado())
    text = json.dumps(spec)
    for share in (0.3, 0.6):
        saving = cost.monthly_saving_usd(share)
        assert f"At {views.percent(share)}: owning saves {views.usd(saving)} a month" in text
    with pytest.raises(ValueError, match="utilization"):
        views.saving_tornado(utilizations=(0.3, 1.5))


def test_double11_chart_title_uses_the_model():
    totals = cost.double11_case().attrs["totals_usd_per_year"]
    title = spec_of(views.double11_chart())["title"]["text"]
    assert f"{views.usd(totals['own for the peak'] / 1e3)}k" in title


def test_double11_demand_chart_states_the_assumed_multiplier():
    assert spec_of(views.double11_demand_chart())["title"]["text"] == "During the 3-day sale demand is 5x normal"
    assert spec_of(views.double11_demand_chart(peak_multiplier=7, peak_days=4))["title"]["text"] == (
        "During the 4-day sale demand is 7x normal")


def test_chart_builders_use_typed_channels_only(schema_lookups):
    for name in ("curves", "components", "walk", "double11", "double11_demand", "tornado", "saving_tornado"):
        CHARTS[name]()
    assert not schema_lookups


# --- the live panels ------------------------------------------------------------------------------------
@pytest.fixture
def panel():
    return views.cost_panel()  # a fresh panel per test: no state leaks between tests


def model_values(panel) -> dict:
    values = panel.values()
    term = views.TERMS[values.pop("savings_plan_term")]
    for name in ("preset", "utilization"):
        values.pop(name)
    return {**values, "savings_plan_term_years": term}


@pytest.mark.parametrize("make", [views.cost_panel, views.double11_panel])
def test_control_labels_are_short_and_carry_no_unit(make):
    """CONVENTIONS rule 3: labels <= 22 characters, the unit in `unit`, the long text in `description`."""
    panel = make()
    for item in panel.parameters.values():
        assert len(item.label) <= 22, item.label
        assert "(" not in item.label or item.name == "spare_hosts", item.label
        assert item.description, item.name
        if isinstance(item, Slider):
            assert item.unit and item.unit.lower() not in item.label.lower()


def test_discrete_values_are_choices(panel):
    assert isinstance(panel.parameters["preset"], Choice)
    assert isinstance(panel.parameters["savings_plan_term"], Choice)
    assert panel.parameters["savings_plan_term"].options == ("1 year", "3 years")
    assert isinstance(views.double11_panel().parameters["savings_plan_term"], Choice)
    assert panel.parameters["spare_hosts"].integer  # whole hosts only


def test_panel_bounds_come_from_the_data_and_reach_every_preset(panel):
    table = cost.cost_parameters()
    for name in views.PANEL_PARAMETERS:
        item = panel.parameters[name]
        assert item.minimum <= table.loc[name, "low"] and item.maximum >= table.loc[name, "high"]
        assert item.default == pytest.approx(table.loc[name, "default"])
        for preset in cost.PRESETS:
            assert item.minimum <= cost.preset_parameters(preset)[name] <= item.maximum
    assert (panel.controls["horizon_years"].min, panel.controls["horizon_years"].max) == (1, 6)


def test_picking_a_preset_moves_the_sliders_and_redraws_once(panel):
    redraws = len(panel.redraw_times_s)
    panel.controls["preset"].value = "enterprise VMware"
    assert len(panel.redraw_times_s) == redraws + 1
    assert panel.controls["licence_usd_per_core_year"].value == 135
    expected = cost.break_even_utilization(**cost.preset_parameters("enterprise VMware"))
    assert markers(panel.chart_widget.spec, "break-even")[0]["utilization"] == pytest.approx(expected)
    assert "enterprise VMware" in panel.text_widget.value
    panel.controls["preset"].value = "minimal (today's model)"
    assert panel.controls["spare_hosts"].value == 0 and panel.controls["vm_cpu_utilization"].value == 1.0
    assert markers(panel.chart_widget.spec, "break-even")[0]["utilization"] == pytest.approx(
        cost.break_even_utilization(**cost.preset_parameters("minimal (today's model)")))


def test_panel_says_what_changed_from_the_preset(panel):
    panel.controls["spare_hosts"].value = 2
    assert "changed: Spare hosts" in panel.text_widget.value


def test_term_choice_reaches_the_model(panel):
    panel.controls["savings_plan_term"].value = "3 years"
    expected = cost.break_even_utilization(against="savings plan", **model_values(panel))
    assert expected == pytest.approx(cost.break_even_utilization(against="savings plan", savings_plan_term_years=3,
                                                                 horizon_years=5))
    assert f"savings plan {expected * 100:.1f} %" in " ".join(panel.chart_widget.spec["title"]["subtitle"])


def test_panel_check_bounds(panel):
    assert panel.check_bounds() >= 2 * len(panel.controls)


def test_licence_slider_moves_the_break_even_as_the_model_says(panel):
    panel.controls["licence_usd_per_core_year"].value = 350
    expected = cost.break_even_utilization(**model_values(panel))
    spec = panel.chart_widget.spec
    assert markers(spec, "break-even")[0]["utilization"] == pytest.approx(expected)
    assert expected > cost.break_even_utilization()
    expected_table = views.panel_table(panel.controls["utilization"].value, **model_values(panel))
    assert panel.view.table.equals(expected_table)
    total = expected_table.set_index("USD per month").loc["total", "on-premises"]
    assert f"{total:,.2f}" in panel.table_widget.value


def test_panel_table_is_labelled_and_narrow():
    table = views.panel_table(0.3)
    assert list(table.columns) == ["USD per month", *cost.OPTIONS]
    assert "total" in set(table["USD per month"]) and "_" not in "".join(table["USD per month"])


def test_utilization_slider_moves_the_marker_and_the_table(panel):
    panel.controls["utilization"].value = 0.8
    assert markers(panel.chart_widget.spec, "you")[0]["utilization"] == pytest.approx(0.8)
    table = panel.view.table.set_index("USD per month").loc["total"]
    model = cost.cost_table(cost.costs_at_utilization(0.8, **model_values(panel))).set_index("option")
    assert table.to_numpy(float) == pytest.approx(model["total_usd_per_month"].to_numpy())
    assert "on-premises" in panel.text_widget.value  # owning is cheapest at 80 %


def test_a_new_panel_starts_at_the_defaults():
    first = views.cost_panel()
    first.controls["preset"].value = "enterprise VMware"
    second = views.cost_panel()
    assert second.controls["licence_usd_per_core_year"].value == 0
    assert not math.isnan(markers(second.chart_widget.spec, "break-even")[0]["utilization"])


def test_double11_panel():
    panel = views.double11_panel()
    assert panel.check_bounds() == 2 * len(panel.controls) - 0  # a two-option Choice has two corners
    panel.controls["peak_days"].value = 10
    totals = cost.double11_case(peak_days=10).attrs["totals_usd_per_year"]
    table = panel.view.table.set_index("Strategy")["Cost (USD/year)"]
    assert table["own for the peak"] == pytest.approx(totals["own for the peak"])
    panel.controls["savings_plan_term"].value = "3 years"
    assert "at 50% off" in panel.text_widget.value


@pytest.mark.parametrize(("function", "kwargs", "name"), [
    (views.cost_curves_chart, dict(utilization=1.2), "utilization"),
    (views.cost_curves_chart, dict(utilization=True), "utilization"),
    (views.cost_curves_chart, dict(pue=9), "pue"),
    (views.cost_components_chart, dict(utilization=-1), "utilization"),
    (views.cost_components_chart, dict(utilization=False), "utilization"),
    (views.double11_chart, dict(peak_days=-1), "peak_days"),
    (views.double11_demand_chart, dict(peak_multiplier=0.5), "peak_multiplier"),
    (views.tornado, dict(output="x"), "output"),
    (views.tornado, dict(top=0), "top"),
    (views.tornado, dict(top=True), "top"),
    (views.saving_tornado, dict(utilizations=(True,)), "utilization"),
    (views.break_even_walk_chart, dict(start="free"), "start"),
    (views.panel_table, dict(utilization=2), "utilization"),
    (views.usd, dict(amount="12"), "amount"),
    (views.percent, dict(share=True), "share"),
])
def test_views_reject_bad_input(function, kwargs, name):
    with pytest.raises(ValueError, match=name):
        function(**kwargs)
