"""Chapter 05 views: charts validate and cite their source, panels redraw what the model computes, checks work."""

from __future__ import annotations

import json
import math

import pytest

from helpers import cost
from helpers import cost_views as views
from helpers.charts import chart_row_counts


def spec_of(chart) -> dict:
    return chart.to_dict(validate=True)


def markers(spec: dict, kind: str) -> list[dict]:
    """The break-even ("break-even") or current-utilisation ("you") marker rows of a cost-curves spec."""
    rows = [row for values in spec["datasets"].values() for row in values if "kind" in row]
    return [row for row in rows if row["kind"] == kind]


def curve_rows(spec: dict) -> list[dict]:
    return [row for values in spec["datasets"].values() for row in values if "option" in row]


CHARTS = {
    "curves": lambda: views.cost_curves_chart(utilization=0.3),
    "curves_no_marker": lambda: views.cost_curves_chart(on_demand_usd_per_hour=0.001),
    "components": lambda: views.cost_components_chart(),
    "components_profile": lambda: views.cost_components_chart(cost.monthly_cost_by_option(cost.demand_profile())),
    "double11": lambda: views.double11_chart(),
    "double11_demand": lambda: views.double11_demand_chart(),
    "tornado": lambda: views.tornado(),
    "tornado_saving": lambda: views.tornado(output="owning_saving_usd_per_month"),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_validates_is_small_and_cites_its_source(name):
    chart = CHARTS[name]()
    spec = spec_of(chart)
    assert all(count < 5000 for count in chart_row_counts(chart))
    text = json.dumps(spec)
    assert "Source: data/cost_assumptions.csv" in text or "Source: assumptions in helpers.cost" in text
    assert "Model: helpers.cost." in text
    assert spec["title"]["text"]


def test_curves_chart_marks_the_model_break_even():
    spec = spec_of(views.cost_curves_chart(utilization=0.3))
    expected = cost.break_even_utilization()
    (marker,) = markers(spec, "break-even")
    assert marker["utilization"] == pytest.approx(expected)
    own = cost.cost_curves([expected]).set_index("option")["cost_usd_per_month"]["on-premises"]
    assert marker["cost_usd_per_month"] == pytest.approx(own)  # on the on-premises line (exact: piecewise linear)
    assert spec["title"]["text"] == f"Owning wins above {expected * 100:.1f} % average utilisation"
    assert [(row["utilization"], row["label"]) for row in markers(spec, "you")] == [(0.3, "you: 30.0 %")]
    assert len(curve_rows(spec)) == 11 * len(cost.OPTIONS)  # the power curve's 11 load steps


def test_percentages_have_one_decimal_like_the_notebook():
    # 0.0753 -> 7.53 % -> "7.5 %" (the old ".0f" gave "8 %"); 0.105 x 100 = 10.5 -> "10.5 %" (old: "10 %")
    assert views._percent(0.0753) == "7.5 %"
    assert views._percent(0.105) == "10.5 %"
    assert views._percent(0.3) == "30.0 %"


def test_titles_subtitles_and_panel_text_quote_the_break_evens_as_the_notebook_prints_them():
    """The notebook prints break-evens with ``:.1%`` and its prose quotes them (7.5 %, 10.5 %); charts agree."""
    shown = {against: f"{cost.break_even_utilization(against=against) * 100:.1f} %"
             for against in cost.CLOUD_OPTIONS}
    spec = spec_of(views.cost_curves_chart(utilization=0.3))
    assert spec["title"]["text"] == f"Owning wins above {shown['on-demand']} average utilisation"
    subtitle = json.dumps(spec["title"]["subtitle"])
    assert f"savings plan {shown['savings plan']}" in subtitle and f"spot {shown['spot']}" in subtitle
    assert markers(spec, "break-even")[0]["label"] == f"break-even {shown['on-demand']}"
    panel = views.cost_panel()
    assert f"owning beats on-demand above {shown['on-demand']}" in panel.text_widget.value
    top = cost.sensitivity().iloc[0]
    tornado_title = spec_of(views.tornado())["title"]["text"]
    assert f"{top['low_result'] * 100:.1f} % at {top['low_value']:,g}" in tornado_title
    assert f"{top['high_result'] * 100:.1f} % at {top['high_value']:,g}" in tornado_title


def test_curves_chart_without_break_even_says_so():
    spec = spec_of(views.cost_curves_chart(on_demand_usd_per_hour=0.001))
    assert markers(spec, "break-even") == []
    assert spec["title"]["text"] == "Renting on demand is cheaper at every utilisation"


def test_chart_builders_use_typed_channels_only():
    """No bare-string encodings: altair would convert each with a whole-schema lookup."""
    from altair.utils import schemapi

    original = schemapi._FromDict.__init__
    calls = []

    def counting_init(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    schemapi._FromDict.__init__ = counting_init
    try:
        for name in ("curves", "components", "double11", "double11_demand", "tornado"):
            CHARTS[name]()
    finally:
        schemapi._FromDict.__init__ = original
    assert not calls


def test_components_chart_title_names_the_cheapest():
    table = cost.cost_table(cost.costs_at_utilization(0.6, capacity_instances=views.FLEET_VMS)).set_index("option")
    cheapest = table["total_usd_per_month"].idxmin()
    title = spec_of(views.cost_components_chart(utilization=0.6))["title"]["text"]
    assert title.startswith(cheapest.capitalize())
    assert f"${table.loc[cheapest, 'total_usd_per_month']:,.0f}" in title


def test_double11_chart_title_uses_the_model():
    totals = cost.double11_case().attrs["totals_usd_per_year"]
    title = spec_of(views.double11_chart())["title"]["text"]
    assert f"${totals['own for the peak'] / 1e3:,.0f}k" in title


def test_tornado_title_and_order():
    table = cost.sensitivity()
    spec = spec_of(views.tornado())
    title = spec["title"]["text"]
    assert title.startswith(f"{views.PARAMETER_LABELS[table.iloc[0]['parameter']]} moves the break-even most")
    labels = {row["parameter"] for values in spec["datasets"].values() for row in values if "parameter" in row}
    assert "VMs per host" in labels and not any("_" in label for label in labels)  # readable, not snake_case


def test_tornado_labels_never_instead_of_plotting_it_as_a_break_even(monkeypatch):
    real = cost.break_even_utilization

    def never_at_low_pue(**kwargs):
        return float("nan") if kwargs.get("pue") == 1.10 else real(**kwargs)

    monkeypatch.setattr(cost, "break_even_utilization", never_at_low_pue)
    spec = spec_of(views.tornado())
    labels = {row["parameter"] for values in spec["datasets"].values() for row in values if "parameter" in row}
    assert "PUE (facility / IT energy) (low: never, bar capped at 100 %)" in labels


def test_double11_demand_chart_states_the_assumed_multiplier():
    assert spec_of(views.double11_demand_chart())["title"]["text"] == "During the 3-day sale demand is 5x normal"
    assert spec_of(views.double11_demand_chart(peak_multiplier=7, peak_days=4))["title"]["text"] == (
        "During the 4-day sale demand is 7x normal")


# --- the live panel -------------------------------------------------------------------------------------
@pytest.fixture
def panel():
    return views.cost_panel()  # a fresh panel per test: no state leaks between tests


def panel_parameters(panel) -> dict:
    values = panel.values()
    return {name: value for name, value in values.items() if name != "utilization"}


def test_panel_bounds_come_from_the_data(panel):
    table = cost.cost_parameters()
    for name in views.PANEL_PARAMETERS:
        control = panel.controls[name]
        assert control.min == pytest.approx(table.loc[name, "low"]) and control.max == pytest.approx(
            table.loc[name, "high"])
        assert control.value == pytest.approx(table.loc[name, "default"])
    assert (panel.controls["horizon_years"].min, panel.controls["horizon_years"].max) == (1, 6)
    assert (panel.controls["savings_plan_term_years"].min, panel.controls["savings_plan_term_years"].max) == (1, 3)
    assert panel.controls["savings_plan_term_years"].step == 2  # only 1- and 3-year terms exist


def test_term_slider_reaches_the_model(panel):
    panel.controls["savings_plan_discount"].value = 0.72
    panel.controls["savings_plan_term_years"].value = 3
    expected = cost.break_even_utilization(against="savings plan", **panel_parameters(panel))
    assert expected == pytest.approx(cost.break_even_utilization(
        against="savings plan", savings_plan_discount=0.72, savings_plan_term_years=3, horizon_years=5))
    assert f"savings plan {expected * 100:.1f} %" in panel.chart_widget.spec["title"]["subtitle"]


def test_panel_check_bounds(panel):
    assert panel.check_bounds() == 2 * len(panel.controls)


def test_electricity_slider_moves_the_break_even_as_the_model_says(panel):
    (before,) = markers(panel.chart_widget.spec, "break-even")
    panel.controls["electricity_usd_per_kwh"].value = 0.3
    parameters = panel_parameters(panel)
    expected = cost.break_even_utilization(**parameters)
    spec = panel.chart_widget.spec
    assert markers(spec, "break-even")[0]["utilization"] == pytest.approx(expected)
    before = before["utilization"]
    assert expected > before  # dearer power, owning needs to be busier to win
    assert spec["title"]["text"] == f"Owning wins above {expected * 100:.1f} % average utilisation"
    expected_table = views.panel_table(panel.controls["utilization"].value, **parameters)
    assert panel.view.table.equals(expected_table)
    total = expected_table.set_index("option").loc["on-premises", "total ($/month)"]
    assert f"{total:,.2f}" in panel.table_widget.value


def test_utilization_slider_moves_the_marker_and_the_table(panel):
    panel.controls["utilization"].value = 0.8
    assert markers(panel.chart_widget.spec, "you")[0]["utilization"] == pytest.approx(0.8)
    table = panel.view.table.set_index("option")
    model = cost.cost_table(cost.costs_at_utilization(0.8, capacity_instances=views.FLEET_VMS,
                                                      **panel_parameters(panel))).set_index("option")
    assert table["total ($/month)"].to_numpy() == pytest.approx(model["total_usd_per_month"].to_numpy())
    assert "on-premises" in panel.text_widget.value  # owning is cheapest at 80 %


def test_horizon_and_server_price_sliders(panel):
    panel.controls["horizon_years"].value = 2
    short = markers(panel.chart_widget.spec, "break-even")[0]["utilization"]
    assert short == pytest.approx(cost.break_even_utilization(**panel_parameters(panel)))
    panel.controls["horizon_years"].value = 5
    assert short > markers(panel.chart_widget.spec, "break-even")[0]["utilization"]
    panel.controls["server_price_usd"].value = 60000
    assert markers(panel.chart_widget.spec, "break-even")[0]["utilization"] == pytest.approx(
        cost.break_even_utilization(**panel_parameters(panel)))


def test_a_new_panel_starts_at_the_defaults():
    first = views.cost_panel()
    first.controls["pue"].value = 2.0
    second = views.cost_panel()
    assert second.controls["pue"].value == pytest.approx(cost.default_parameters()["pue"])
    assert not math.isnan(markers(second.chart_widget.spec, "break-even")[0]["utilization"])


def test_double11_panel():
    panel = views.double11_panel()
    assert panel.check_bounds() == 2 * len(panel.controls)
    panel.controls["peak_days"].value = 10
    totals = cost.double11_case(peak_days=10).attrs["totals_usd_per_year"]
    table = panel.view.table.set_index("strategy")["cost ($/year)"]
    assert table["own for the peak"] == pytest.approx(totals["own for the peak"])


# --- exercise checks ------------------------------------------------------------------------------------
def test_check_vcpu_month_price():
    expected = 0.115 / 2 * 730  # m5.large in eu-central-1: 0.115 USD/h for 2 vCPU, 730 h = 41.975 USD
    assert views.check_vcpu_month_price(expected)
    assert not views.check_vcpu_month_price(0.096 / 2 * 730)  # the us-east-1 price
    assert not views.check_vcpu_month_price(0.115 / 2)  # per hour, not per month
    assert not views.check_vcpu_month_price(None)


def test_check_break_even_expensive_power():
    expected = cost.break_even_utilization(electricity_usd_per_kwh=0.3903, pue=2.0)
    assert views.check_break_even_expensive_power(expected)
    assert not views.check_break_even_expensive_power(cost.break_even_utilization())
    assert not views.check_break_even_expensive_power(expected * 100)  # a percentage, not a share


def test_check_double11_saving():
    totals = cost.double11_case(peak_days=10).attrs["totals_usd_per_year"]
    assert views.check_double11_saving(totals["own for the peak"] - totals["own the base, rent the peak"])
    assert not views.check_double11_saving(1.2e6)


def test_check_billing_saving():
    # 60,000 runs of 420 s: per hour 60,000 h; per second 60,000 x 420 / 3,600 = 7,000 h; 53,000 h x 0.096
    assert views.check_billing_saving(53000 * 0.096)
    assert not views.check_billing_saving(60000 * 0.096)


def test_check_cheapest_option():
    assert views.check_cheapest_option("spot", utilization=0.1)
    assert views.check_cheapest_option("on-premises", utilization=0.9)
    assert not views.check_cheapest_option("on-demand", utilization=0.9)
    with pytest.raises(ValueError, match="answer"):
        views.check_cheapest_option("mainframe")


@pytest.mark.parametrize(("function", "kwargs", "name"), [
    (views.cost_curves_chart, dict(utilization=1.2), "utilization"),
    (views.cost_curves_chart, dict(pue=9), "pue"),
    (views.cost_components_chart, dict(utilization=-1), "utilization"),
    (views.double11_chart, dict(peak_days=-1), "peak_days"),
    (views.double11_demand_chart, dict(peak_multiplier=0.5), "peak_multiplier"),
    (views.tornado, dict(output="x"), "output"),
    (views.panel_table, dict(utilization=2), "utilization"),
    (views.check_cheapest_option, dict(answer="spot", utilization=3), "utilization"),
    (views.check_vcpu_month_price, dict(answer="cheap"), "answer"),
])
def test_views_reject_bad_input(function, kwargs, name):
    with pytest.raises(ValueError, match=name):
        function(**kwargs)
