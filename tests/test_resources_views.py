"""Chapter 3 views: charts cite their model and hold what it computes, panels redraw as the model says, checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import cost
from helpers import placement as pl
from helpers import resources as res
from helpers import resources_views as views
from helpers.startup import startup_time_s
from helpers.charts import title_text
from helpers.tables import styled_table

SIM = res.simulate_year()
COSTS = res.strategy_costs(SIM)


def assert_finished(chart, model: str):
    spec = chart.to_dict(validate=True)
    lines = [r["line"].replace("\n", " ") for records in views.chart_records(chart) for r in records if "line" in r]
    assert len(lines) == 1 and lines[0].startswith("Source: ") and f"Model: helpers.{model}" in lines[0]
    assert spec["title"]["text"]
    assert all(len(records) < 5000 for records in views.chart_records(chart))


CHARTS = {
    "elasticity": (lambda: views.elasticity_chart(SIM, COSTS), "resources.simulate"),
    "elasticity_year": (lambda: views.elasticity_chart(SIM, COSTS, "whole year"), "resources.simulate"),
    "demand": (lambda: views.demand_chart(SIM), "demand.demand_year"),
    "latency": (lambda: views.latency_chart(SIM), "resources.p99_latency_multiple"),
    "latency_alone": (lambda: views.latency_chart(), "resources.p99_latency_multiple"),
    "lag": (lambda: views.lag_chart(), "resources.simulate_year"),
    "placement": (lambda: views.placement_chart(pl.workload("vms", 300)), "placement.pack"),
    "placement_cluster": (lambda: views.placement_chart(pl.workload("mixed", 100), cluster="fixed, 25 % spare",
                                                        algorithm="worst-fit"), "placement.pack"),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_validates_is_small_and_cites_its_model(name):
    build, model = CHARTS[name]
    assert_finished(build(), model)


def test_chart_builders_use_typed_channels_only(schema_lookups):
    for build, _ in CHARTS.values():
        build()
    assert not schema_lookups


def test_capacity_chart_holds_the_simulated_capacity():
    records = views.chart_records(views.capacity_chart(SIM, "sale week"))[0]
    start = (res.SALE_START_DAY - 2) * 24
    reactive = [r["instances"] for r in records if r["series"] == "reactive autoscaling"]
    assert len(reactive) == 168
    assert reactive == pytest.approx(SIM.hourly["reactive"]["capacity"][start:start + 168], abs=0.01)
    demand = [r["instances"] for r in records if r["series"] == "demand"]
    assert demand == pytest.approx(SIM.demand[start:start + 168], abs=0.01)
    year = views.chart_records(views.capacity_chart(SIM, "whole year"))[0]
    assert len(year) == 365 * 6


def test_elasticity_title_names_the_cheapest_strategy_that_serves_the_demand():
    title = title_text(views.elasticity_chart(SIM, COSTS))
    totals = COSTS.set_index("strategy")["total_usd"]
    assert title.startswith(f"Own the base, rent the peak: ${totals['hybrid'] / 1e3:,.0f}k a year")
    assert title.endswith(f"fleet for the peak: ${totals['fixed_peak'] / 1e3:,.0f}k")


def test_strategy_table_matches_the_model():
    table = views.strategy_table(SIM, COSTS).set_index("strategy")
    summary = SIM.summary.set_index("label")
    assert table.loc["reactive autoscaling", "utilisation (%)"] == pytest.approx(
        summary.loc["reactive autoscaling", "utilization"] * 100)
    assert table.loc["fixed for the peak", "cost (k$/year)"] == pytest.approx(
        COSTS.set_index("strategy").loc["fixed_peak", "total_usd"] / 1e3)
    html = styled_table(table.reset_index()).to_html()
    assert "reactive autoscaling" in html and "<th class=\"blank" not in html


def test_latency_chart_title_uses_the_proxy():
    title = title_text(views.latency_chart())
    assert f"{res.p99_latency_multiple(0.7):.0f}x the service time at 70 %" in title
    assert f"{res.p99_latency_multiple(0.95):.0f}x at 95 %" in title


def test_lag_table_is_monotone_in_the_start_up():
    table = views.lag_table()
    assert table["unserved_instance_hours"].is_monotonic_increasing
    assert table["startup_s"].max() == 2700


def test_placement_chart_title_states_hosts_and_bound():
    work = pl.workload("vms", 300)
    summary = pl.placement_summary(work, host_vcpu=96, host_memory_gib=384).set_index("algorithm")
    title = views.placement_chart(work).to_dict()["title"]["text"]
    assert title.startswith(f"First-fit decreasing: 300 VMs on {summary.loc['first-fit', 'hosts']} hosts "
                            f"(lower bound {summary.loc['first-fit', 'lower_bound']})")


# ------------------------------------------------------------------------------------------------ panels
@pytest.fixture(scope="module")
def elasticity():
    return views.elasticity_panel()


@pytest.fixture(scope="module")
def placement():
    return views.placement_panel()


def table_of(panel) -> pd.DataFrame:
    return panel.view.table.set_index(panel.view.table.columns[0])


def test_elasticity_panel_controls_are_short_and_in_range(elasticity):
    for item in elasticity.parameters.values():
        assert len(item.label) <= 22
    assert elasticity.check_bounds() >= 2 * len(elasticity.controls)


def test_startup_choice_changes_the_unserved_demand_as_the_model_says(elasticity):
    elasticity.set_values(startup="EC2 Windows VM (2012)")
    expected = res.simulate_year(startup_s=startup_time_s("mao2012-ec2-windows")).summary.set_index(
        "strategy").loc["reactive", "unserved_instance_hours"]
    assert f"<b>{expected:,.1f}</b> instance-hours unserved" in elasticity.view.text
    elasticity.set_values(startup="EC2 Linux VM (2012)")


def test_target_slider_changes_the_reactive_cost(elasticity):
    elasticity.set_values(target_utilization=0.9)
    costs = res.strategy_costs(res.simulate_year(target_utilization=0.9)).set_index("strategy")
    assert table_of(elasticity).loc["reactive autoscaling", "cost (k$/year)"] == pytest.approx(
        costs.loc["reactive", "total_usd"] / 1e3, abs=0.01)
    elasticity.set_values(target_utilization=0.6)


def test_sale_slider_and_cooldown_reach_the_model(elasticity):
    elasticity.set_values(sale_multiplier=1.0)
    summary = res.simulate_year(sale_multiplier=1).summary.set_index("label")
    assert table_of(elasticity).loc["fixed for the peak", "utilisation (%)"] == pytest.approx(
        summary.loc["fixed for the peak", "utilization"] * 100, abs=0.01)
    elasticity.set_values(sale_multiplier=5.0, cooldown_s=7200)
    summary = res.simulate_year(cooldown_s=7200).summary.set_index("label")
    assert table_of(elasticity).loc["reactive autoscaling", "unserved (% of demand)"] == pytest.approx(
        summary.loc["reactive autoscaling", "unserved_share"] * 100, abs=0.01)
    elasticity.set_values(cooldown_s=300)


def test_pricing_and_window_choices(elasticity):
    before = table_of(elasticity)["cost (k$/year)"].copy()
    elasticity.set_values(pricing="spot")
    spot = res.strategy_costs(SIM, pricing="spot").set_index("strategy")
    assert table_of(elasticity).loc["reactive autoscaling", "cost (k$/year)"] == pytest.approx(
        spot.loc["reactive", "total_usd"] / 1e3, abs=0.01)
    assert (table_of(elasticity)["cost (k$/year)"] <= before + 1e-9).all()
    elasticity.set_values(pricing="on-demand", window="a March week")
    times = [r["time"] for r in views.chart_records(elasticity.view.chart)[0]]
    assert min(times).startswith("2025-03-10")
    elasticity.set_values(window="sale week")


def test_placement_panel_follows_the_model(placement):
    assert placement.check_bounds() >= 2 * len(placement.controls)
    placement.set_values(mix="containers", count=200, host="small-server")
    work = pl.workload("containers", 200, seed=0)
    summary = pl.placement_summary(work, host_vcpu=32, host_memory_gib=128).set_index("algorithm")
    assert table_of(placement).loc["first-fit", "hosts"] == summary.loc["first-fit", "hosts"]
    placement.set_values(cluster="fixed, 25 % spare", algorithm="worst-fit")
    assert "worst-fit" in placement.view.text
    assert placement.view.chart.to_dict()["title"]["text"].startswith("Worst-fit decreasing")
    placement.set_values(order="arrival")
    assert "(arrival order)" in placement.view.chart.to_dict()["title"]["text"]
    placement.set_values(mix="vms", count=300, host="m5-metal", cluster="as needed", algorithm="first-fit",
                         order="decreasing")


# ------------------------------------------------------------------------------------------------ checks
CHECKS = [views.check_latency_utilization, views.check_fixed_fleet_utilization, views.check_start_up_or_target,
          views.check_savings_plan_break_even, views.check_hosts_freed]
ODD_ANSWERS = [None, "4", "", True, False, float("nan"), float("inf"), [1], (1, 2), {"a": 1}, object(), -1, 10**9,
               np.float64("nan"), np.bool_(True)]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=repr)
def test_every_check_answers_any_input_with_a_sentence(check, answer):
    result = check(answer)
    assert not result
    assert isinstance(repr(result), str) and len(repr(result)) > 10


def test_checks_accept_the_models_answers():
    assert views.check_latency_utilization(1 - math.log(100) / 10)
    assert not views.check_latency_utilization(0.9)
    fixed = res.simulate_year(sale_multiplier=1).summary.set_index("strategy").loc["fixed_peak", "utilization"]
    assert views.check_fixed_fleet_utilization(float(fixed)) and not views.check_fixed_fleet_utilization(0.08)
    assert views.check_start_up_or_target("a") and not views.check_start_up_or_target("b")
    reactive = res.simulate_year().summary.set_index("strategy").loc["reactive", "utilization"]
    p = cost.default_parameters()
    discount = cost.savings_plan_discount(p["savings_plan_term_years"], p["savings_plan_discount_1y"],
                                          p["savings_plan_discount_3y"])
    break_even = (1 - discount) * reactive
    assert views.check_savings_plan_break_even(break_even) and not views.check_savings_plan_break_even(reactive)
    assert views.check_hosts_freed(views._hosts_freed()) and not views.check_hosts_freed(0)


@pytest.mark.parametrize(("function", "kwargs", "name"), [
    (views.capacity_chart, {"simulation": SIM, "window": "month"}, "window"),
    (views.capacity_chart, {"simulation": "sim"}, "simulation"),
    (views.demand_chart, {"simulation": None}, "simulation"),
    (views.placement_chart, {"items": pl.workload("vms", 10), "host": "mainframe"}, "host"),
    (views.placement_chart, {"items": pl.workload("vms", 10), "cluster": "fixed"}, "cluster"),
    (views.placement_chart, {"items": pl.workload("vms", 10), "algorithm": "any-fit"}, "algorithm"),
])
def test_views_reject_bad_input(function, kwargs, name):
    with pytest.raises(ValueError, match=name):
        function(**kwargs)
