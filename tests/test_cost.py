"""The cost model (helpers/cost.py): hand-worked answers, properties, and bad input for every parameter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import cost
from helpers.cost import (
    DEFAULT_SERVER,
    billed_seconds,
    billing_comparison,
    break_even_utilization,
    cost_curves,
    cost_over_horizon,
    cost_parameters,
    cost_table,
    costs_at_utilization,
    default_parameters,
    demand_profile,
    double11_article_requirements,
    double11_case,
    energy_cost_usd_per_month,
    facility_cost_usd_per_month,
    hosts_needed,
    monthly_cost_by_option,
    on_demand_cost_usd,
    optimal_commitment_instances,
    savings_plan_cost_usd,
    sensitivity,
    server_capital_usd_per_month,
    server_power_w,
    spot_billed_hours,
    spot_cost_usd,
    staff_cost_usd_per_server_month,
    storage_cost_usd_per_month,
    validate_cost_assumptions,
)

HP = "HP ProLiant ML110 G4"


# --- the data -------------------------------------------------------------------------------------------
def test_parameters_table_is_complete_and_ordered():
    table = cost_parameters()
    assert set(table.index) == set(cost.MODEL_RANGES)
    assert (table["low"] <= table["default"]).all() and (table["default"] <= table["high"]).all()
    assert table.loc["server_lifetime_years", "kind"] == "vendor"  # company filings, not the article
    assert default_parameters()["pue"] == 1.58


def test_low_above_default_is_refused_naming_the_row():
    table = cost_parameters().reset_index()
    table.loc[table["parameter"] == "pue", "low"] = 1.9  # above the default 1.58
    row = int(table.index[table["parameter"] == "pue"][0]) + 2  # header is line 1
    with pytest.raises(ValueError, match=rf"row {row} \(parameter 'pue'\): needs low <= default <= high"):
        validate_cost_assumptions(table)


def test_value_outside_the_model_range_is_refused_naming_the_row():
    table = cost_parameters().reset_index()
    table.loc[table["parameter"] == "pue", ["low", "default", "high"]] = [0.5, 0.6, 0.7]
    with pytest.raises(ValueError, match=r"parameter 'pue'.*column 'low'"):
        validate_cost_assumptions(table)


def test_unknown_or_missing_parameter_is_refused():
    table = cost_parameters().reset_index()
    with pytest.raises(ValueError, match="missing"):
        validate_cost_assumptions(table[table["parameter"] != "pue"])


# --- on-premises building blocks ------------------------------------------------------------------------
def test_capital_per_month():
    assert server_capital_usd_per_month(15000, 5) == pytest.approx(250.0)  # 15,000 / (5 x 12)


def test_facility_per_month():
    assert facility_cost_usd_per_month(817, 16, 15) == pytest.approx(817 * 16 / 180)  # 13,072 USD / 180 months


def test_power_interpolates_the_curve():
    assert server_power_w(0.5) == pytest.approx(410.0)  # measured point at 50 %
    assert server_power_w(0.25) == pytest.approx(320.0)  # (300 + 340) / 2
    assert server_power_w(0.55, server=HP) == pytest.approx(104.0)  # (102 + 106) / 2
    assert np.allclose(server_power_w([0.0, 1.0]), [128.0, 817.0])


def test_energy_cost():
    # 410 W x 1.58 = 647.8 W; x 730 h = 472.894 kWh; x 0.1241 USD/kWh = 58.686 USD
    assert energy_cost_usd_per_month(410, 1.58, 0.1241) == pytest.approx(58.686, abs=1e-3)
    assert energy_cost_usd_per_month(1000, 1.0, 0.1, hours=10) == pytest.approx(1.0)  # 10 kWh x 0.1


def test_storage_and_staff():
    assert storage_cost_usd_per_month(2400, 0.01) == pytest.approx(24.0)  # 48 VMs x 50 GB x 0.01
    # 90,520 x 1.4 / 12 months / 100 servers = 105.607 USD per server-month
    assert staff_cost_usd_per_server_month(90520, 100, 1.4) == pytest.approx(105.607, abs=1e-3)


@pytest.mark.parametrize(("peak", "per_host", "hosts"), [(0, 48, 0), (1, 48, 1), (96, 48, 2), (97, 48, 3),
                                                          (100, 24, 5)])
def test_hosts_needed(peak, per_host, hosts):
    assert hosts_needed(peak, per_host) == hosts


def test_more_hosts_for_a_larger_peak():
    hosts = [hosts_needed(peak, 48) for peak in range(0, 1000, 7)]
    assert hosts == sorted(hosts)
    assert hosts_needed(1000, 48) > hosts_needed(100, 48)


# --- cloud building blocks ------------------------------------------------------------------------------
def test_on_demand():
    assert on_demand_cost_usd(730, 0.096) == pytest.approx(70.08)  # 730 h x 0.096


def test_savings_plan_pays_the_commitment_even_when_unused():
    # committed: 10 instances x 4 h x 0.1 x (1 - 0.3) = 2.8; excess: (20 - 10) x 1 h x 0.1 = 1.0
    bill = savings_plan_cost_usd([10, 10, 20, 0], 10, 0.1, 0.3)
    assert bill["committed_usd"] == pytest.approx(2.8)
    assert bill["on_demand_usd"] == pytest.approx(1.0)
    assert bill["total_usd"] == pytest.approx(3.8)


def test_optimal_commitment_is_the_discount_quantile():
    demand = np.arange(1, 11)  # 1..10 instances
    assert optimal_commitment_instances(demand, 0.3) == 3  # exceeded in 7 of 10 hours = 1 - 0.3
    best = optimal_commitment_instances(demand, 0.3)
    costs = {b: savings_plan_cost_usd(demand, b, 0.1, 0.3)["total_usd"] for b in range(0, 11)}
    assert costs[best] == pytest.approx(min(costs.values()))


def test_spot_redoes_interrupted_work():
    assert spot_billed_hours(100, 0.2, 0.5) == pytest.approx(100 / 0.9)  # 1 - 0.2 x 0.5 = 0.9
    assert spot_billed_hours(100, 0.2, 0.0) == pytest.approx(100)  # nothing lost
    # 111.11 h x 0.1 USD/h x (1 - 0.6) = 4.444 USD
    assert spot_cost_usd(100, 0.1, 0.6, 0.2, 0.5) == pytest.approx(4.4444, abs=1e-4)


def test_billed_seconds_both_ways():
    runs = [1, 59, 61, 3600, 3601]
    assert list(billed_seconds(runs, "hour")) == [3600, 3600, 3600, 3600, 7200]  # every started hour
    assert list(billed_seconds(runs, "second", 60)) == [60, 60, 61, 3600, 3601]  # 60 s minimum


def test_billing_comparison_known_answer():
    bills = billing_comparison([90] * 1000, 0.096)
    assert bills["cost_usd"].tolist() == pytest.approx([96.0, 2.4])  # 1,000 h vs 25 h at 0.096 USD/h
    assert bills["used_hours"].tolist() == pytest.approx([25.0, 25.0])


def test_per_second_bill_never_exceeds_per_hour_bill():
    durations = np.random.default_rng(3).exponential(900, size=500)
    for minimum in (1, 60, 600, 3600):
        bills = billing_comparison(durations, 0.096, minimum)
        assert bills["cost_usd"].iloc[1] <= bills["cost_usd"].iloc[0] + 1e-9


def test_cloud_price_table_per_vcpu():
    table = cost.cloud_price_table()
    table = table[table["region"] == "us-east-1"].set_index("instance_type")
    assert table.loc["m5.large", "usd_per_vcpu_hour"] == pytest.approx(0.048)  # 0.096 / 2
    assert table.loc["m5.large", "article_vs_vcpu_price"] == pytest.approx(72.9, abs=0.1)  # 3.50 / 0.048
    assert table.loc["m5.large", "article_vs_core_price"] == pytest.approx(36.46, abs=0.01)  # 3.50 / 0.096


# --- demand ---------------------------------------------------------------------------------------------
def test_demand_profile_is_deterministic_and_shaped():
    first = demand_profile(days=7, baseline_instances=100, seed=4)
    assert first.shape == (7 * 24,) and first.dtype.kind == "i"
    assert np.array_equal(first, demand_profile(days=7, baseline_instances=100, seed=4))
    assert not np.array_equal(first, demand_profile(days=7, baseline_instances=100, seed=5))
    flat = demand_profile(days=2, baseline_instances=100, daily_swing_fraction=0, noise_fraction=0)
    assert (flat == 100).all()
    spiky = demand_profile(days=4, baseline_instances=100, daily_swing_fraction=0, noise_fraction=0,
                           spike_start_day=2, spike_days=1, spike_multiplier=5)
    assert (spiky[48:72] == 500).all() and (spiky[:48] == 100).all() and (spiky[72:] == 100).all()


# --- results --------------------------------------------------------------------------------------------
def test_monthly_cost_known_answer_with_free_power():
    demand = np.full(730, 48)  # one month, 48 VMs every hour: one host (192 VMs per host)
    costs = cost_table(monthly_cost_by_option(demand, electricity_usd_per_kwh=0)).set_index("option")
    # on-demand: 48 x 730 h x 0.096 = 3,363.84; EBS 48 x 50 GB x 0.08 = 192
    assert costs.loc["on-demand", "compute_usd_per_month"] == pytest.approx(3363.84)
    assert costs.loc["on-demand", "storage_usd_per_month"] == pytest.approx(192.0)
    # savings plan, commitment 48 (the 30 % quantile of a flat demand): 3,363.84 x 0.7 = 2,354.69
    assert costs.loc["savings plan", "compute_usd_per_month"] == pytest.approx(2354.688)
    # spot: 3,363.84 x 0.4 / (1 - 0.05 x 0.5) = 1,380.04
    assert costs.loc["spot", "compute_usd_per_month"] == pytest.approx(3363.84 * 0.4 / 0.975)
    # owning 1 host: 40,000 x 1.14 / 60 = 760 + facility 817 W x 16 USD/W / 180 months = 72.622
    assert costs.loc["on-premises", "capital_usd_per_month"] == pytest.approx(760 + 817 * 16 / 180)
    assert costs.loc["on-premises", "staff_usd_per_month"] == pytest.approx(90520 * 1.4 / 12 / 100)
    assert costs.loc["on-premises", "storage_usd_per_month"] == pytest.approx(24.0)  # 48 x 50 x 0.01
    assert costs.loc["on-premises", "energy_usd_per_month"] == 0


def test_monthly_cost_is_tidy_with_every_component():
    costs = monthly_cost_by_option(demand_profile(days=3))
    assert list(costs.columns) == ["option", "component", "cost_usd_per_month"]
    assert len(costs) == len(cost.OPTIONS) * len(cost.COMPONENTS)
    assert (costs["cost_usd_per_month"] >= 0).all()


def test_energy_of_a_profile_follows_the_power_curve():
    demand = np.full(730, 96)  # half of one 192-VM host: load 50 % -> 410 W
    costs = monthly_cost_by_option(demand, capacity_instances=192).set_index(["option", "component"])
    assert costs.loc[("on-premises", "energy"), "cost_usd_per_month"] == pytest.approx(
        410 * 1.58 * 730 / 1000 * 0.1241)


def test_cost_rises_with_electricity_price():
    demand = demand_profile(days=7)
    owned = [cost_table(monthly_cost_by_option(demand, electricity_usd_per_kwh=price)).set_index("option").loc[
        "on-premises", "total_usd_per_month"] for price in (0.07, 0.12, 0.2, 0.39)]
    assert owned == sorted(owned) and owned[0] < owned[-1]


def test_short_horizon_makes_owning_dearer_and_horizon_total_scales():
    demand = demand_profile(days=7)
    short = cost_table(monthly_cost_by_option(demand, horizon_years=2)).set_index("option")
    full = cost_table(monthly_cost_by_option(demand, horizon_years=5)).set_index("option")
    assert short.loc["on-premises", "capital_usd_per_month"] > full.loc["on-premises", "capital_usd_per_month"]
    totals = cost_over_horizon(demand, 5).set_index("option")["cost_usd"]
    assert totals["on-demand"] == pytest.approx(full.loc["on-demand", "total_usd_per_month"] * 60)


def test_three_year_plan_is_paid_in_full_over_one_year():
    demand = np.full(730, 48)
    one = cost_table(monthly_cost_by_option(demand, horizon_years=1, savings_plan_term_years=3)).set_index("option")
    # 3 years committed / 1 year used = 3 x the monthly commitment
    assert one.loc["savings plan", "compute_usd_per_month"] == pytest.approx(3363.84 * 0.7 * 3)


def test_break_even_known_answer_with_free_power():
    # Energy free, so owning one host is a constant: capital 760 + facility 72.622 + staff 105.607
    # + storage 192 x 50 x 0.01 = 96, total 1,034.229 USD/month. Renting u x 192 VMs costs
    # u x 192 x (730 x 0.096 + 50 x 0.08) = u x 14,223.36. Break-even u = 1,034.229 / 14,223.36 = 0.072713.
    expected = (760 + 817 * 16 / 180 + 90520 * 1.4 / 12 / 100 + 96) / (192 * (730 * 0.096 + 50 * 0.08))
    assert break_even_utilization(capacity_instances=192, electricity_usd_per_kwh=0) == pytest.approx(expected)
    assert expected == pytest.approx(0.072713, abs=1e-6)


def test_small_server_break_even_carries_the_per_server_fixed_costs():
    """The article's $4,000 / 16-VM box costs about as much per VM slot as the model's server ($250 vs $208),
    but facility (per watt of the same 817 W curve) and staff are paid per server: 12x fewer VMs carry them."""
    # Energy free, one host of 16 VMs: capital 4,000 x 1.14 / 60 = 76 + facility 817 x 16 / 180 = 72.622
    # + staff 90,520 x 1.4 / 12 / 100 = 105.607 + storage 16 x 50 x 0.01 = 8 -> 262.229 USD/month.
    # Renting u x 16 x (730 x 0.096 + 50 x 0.08) = u x 1,185.28. Break-even u = 262.229 / 1,185.28 = 0.221238.
    expected = (4000 * 1.14 / 60 + 817 * 16 / 180 + 90520 * 1.4 / 12 / 100 + 8) / (16 * (730 * 0.096 + 50 * 0.08))
    small = break_even_utilization(capacity_instances=16, electricity_usd_per_kwh=0, server_price_usd=4000,
                                   vms_per_host=16)
    assert small == pytest.approx(expected) and expected == pytest.approx(0.221238, abs=1e-6)
    # with power, at the default fleet: far above the 192-VM server, even at the same price per VM slot
    same_slot_price = break_even_utilization(server_price_usd=40000 / 192 * 16, vms_per_host=16)
    assert same_slot_price > 3 * break_even_utilization()


def test_the_building_blocks_compute_the_results(monkeypatch):
    """The engines call the functions the notebook teaches, so the two cannot drift apart."""
    monkeypatch.setattr(cost, "staff_cost_usd_per_server_month", lambda *args: 0.0)
    monkeypatch.setattr(cost, "server_capital_usd_per_month", lambda *args: 1000.0)  # per host, incl. network
    at = costs_at_utilization(0.5, capacity_instances=192).set_index(["option", "component"])["cost_usd_per_month"]
    profile = monthly_cost_by_option(np.full(730, 96), capacity_instances=192).set_index(
        ["option", "component"])["cost_usd_per_month"]
    for costs in (at, profile):
        assert costs[("on-premises", "staff")] == 0.0
        assert costs[("on-premises", "capital")] == pytest.approx(1000 + 817 * 16 / 180)
    monkeypatch.setattr(cost, "on_demand_cost_usd", lambda hours, price: 0.0)
    at = costs_at_utilization(0.5, capacity_instances=192).set_index(["option", "component"])["cost_usd_per_month"]
    assert at[("on-demand", "compute")] == 0.0
    assert math.isnan(break_even_utilization(capacity_instances=192))  # renting compute is free: owning never wins


@pytest.mark.parametrize("against", ["on-demand", "savings plan", "spot"])
def test_at_break_even_both_costs_are_equal(against):
    u = break_even_utilization(against=against)
    curves = cost_curves([u]).set_index("option")["cost_usd_per_month"]
    assert curves["on-premises"] == pytest.approx(curves[against], rel=1e-9)


def test_break_even_falls_as_the_on_demand_price_rises():
    values = [break_even_utilization(on_demand_usd_per_hour=price) for price in (0.05, 0.096, 0.2, 0.5)]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]


def test_break_even_is_nan_when_owning_never_wins():
    assert math.isnan(break_even_utilization(on_demand_usd_per_hour=0.001))  # a cloud 99 % cheaper


def test_break_even_orders_the_options():
    # discounts make renting cheaper, so owning must be busier to win
    assert break_even_utilization() < break_even_utilization(against="savings plan") < break_even_utilization(
        against="spot")


def test_costs_at_utilization_matches_cost_curves():
    parts = costs_at_utilization([0.2, 0.6]).groupby(["utilization", "option"])["cost_usd_per_month"].sum()
    curves = cost_curves([0.2, 0.6]).set_index(["utilization", "option"])["cost_usd_per_month"]
    assert np.allclose(parts.sort_index().to_numpy(), curves.sort_index().to_numpy())


def test_sensitivity_table():
    table = sensitivity()
    assert len(table) == len(cost_parameters())
    assert list(table.columns[:7]) == ["parameter", "unit", "kind", "low_value", "high_value", "low_result",
                                       "high_result"]
    assert table.attrs["baseline"] == pytest.approx(break_even_utilization())
    assert table["swing"].is_monotonic_decreasing
    top = table.iloc[0]
    assert top["parameter"] == "vms_per_host" and not table["owning_never_wins"].any()
    assert top["low_result"] == pytest.approx(break_even_utilization(vms_per_host=96))
    pue = table.set_index("parameter").loc["pue"]
    assert pue["low_result"] == pytest.approx(break_even_utilization(pue=1.10))
    saving = sensitivity(output="owning_saving_usd_per_month", utilization=0.5)
    assert saving.attrs["baseline"] > 0  # at 50 % owning is cheaper than on-demand


def test_double11_case():
    case = double11_case()
    totals = case.attrs["totals_usd_per_year"]
    assert set(totals) == {"own for the peak", "own the base, rent the peak", "on-demand", "savings plan + on-demand"}
    price = default_parameters()["server_price_usd"]
    assert case.attrs["hardware_not_bought_usd"] == (case.attrs["hosts_peak"] - case.attrs["hosts_base"]) * price
    assert totals["own the base, rent the peak"] < totals["own for the peak"]
    assert totals["savings plan + on-demand"] < totals["on-demand"]
    assert case.attrs["savings_plan_saving_usd_per_year"] == pytest.approx(
        totals["on-demand"] - totals["savings plan + on-demand"])
    longer = double11_case(peak_days=10).attrs["totals_usd_per_year"]
    assert longer["on-demand"] > totals["on-demand"]


def test_double11_article_requirements_known_answer():
    table = double11_article_requirements().set_index("quantity")["value"]
    assert table["servers not bought"] == pytest.approx(30)  # 1,200,000 / 40,000
    assert table["extra VMs at the peak"] == pytest.approx(5760)  # 30 x 192
    assert table["normal VMs (peak = k x normal)"] == pytest.approx(1440)  # 5,760 / (5 - 1)
    # 850,000 / (0.3 x 0.096 x 8,760) = 850,000 / 252.288 = 3,369.2
    assert table["VMs committed all year"] == pytest.approx(3369.16, abs=0.01)


# --- bad input ------------------------------------------------------------------------------------------
BAD_CALLS = [
    (server_capital_usd_per_month, dict(server_price_usd=0, server_lifetime_years=5), "server_price_usd"),
    (server_capital_usd_per_month, dict(server_price_usd=15000, server_lifetime_years=-1), "server_lifetime_years"),
    (server_power_w, dict(utilization=1.5), "utilization"),
    (server_power_w, dict(utilization=[0.1, float("nan")]), "utilization"),
    (server_power_w, dict(utilization=0.5, server="Cray-1"), "server"),
    (energy_cost_usd_per_month, dict(power_w=-1, pue=1.5, electricity_usd_per_kwh=0.1), "power_w"),
    (energy_cost_usd_per_month, dict(power_w=100, pue=0.9, electricity_usd_per_kwh=0.1), "pue"),
    (energy_cost_usd_per_month, dict(power_w=100, pue=1.5, electricity_usd_per_kwh="0.1"), "electricity_usd_per_kwh"),
    (energy_cost_usd_per_month, dict(power_w=100, pue=1.5, electricity_usd_per_kwh=0.1, hours=-5), "hours"),
    (storage_cost_usd_per_month, dict(storage_gb=-1, usd_per_gb_month=0.1), "storage_gb"),
    (storage_cost_usd_per_month, dict(storage_gb=1, usd_per_gb_month=float("nan")), "usd_per_gb_month"),
    (staff_cost_usd_per_server_month, dict(admin_salary_usd_per_year=-1, servers_per_admin=10),
     "admin_salary_usd_per_year"),
    (staff_cost_usd_per_server_month, dict(admin_salary_usd_per_year=1, servers_per_admin=0), "servers_per_admin"),
    (staff_cost_usd_per_server_month, dict(admin_salary_usd_per_year=1, servers_per_admin=10,
                                           admin_overhead_factor=0.5), "admin_overhead_factor"),
    (hosts_needed, dict(peak_instances=-1, vms_per_host=48), "peak_instances"),
    (hosts_needed, dict(peak_instances=10, vms_per_host=0), "vms_per_host"),
    (hosts_needed, dict(peak_instances=10, vms_per_host=2.5), "vms_per_host"),
    (on_demand_cost_usd, dict(instance_hours=-1, on_demand_usd_per_hour=0.1), "instance_hours"),
    (on_demand_cost_usd, dict(instance_hours=1, on_demand_usd_per_hour=0), "on_demand_usd_per_hour"),
    (optimal_commitment_instances, dict(demand_instances_per_hour=[], savings_plan_discount=0.3),
     "demand_instances_per_hour"),
    (optimal_commitment_instances, dict(demand_instances_per_hour=[1], savings_plan_discount=1.0),
     "savings_plan_discount"),
    (savings_plan_cost_usd, dict(demand_instances_per_hour=[-1], committed_instances=1, on_demand_usd_per_hour=0.1,
                                 savings_plan_discount=0.3), "demand_instances_per_hour"),
    (savings_plan_cost_usd, dict(demand_instances_per_hour=[1], committed_instances=-1, on_demand_usd_per_hour=0.1,
                                 savings_plan_discount=0.3), "committed_instances"),
    (savings_plan_cost_usd, dict(demand_instances_per_hour=[1], committed_instances=1, on_demand_usd_per_hour=None,
                                 savings_plan_discount=0.3), "on_demand_usd_per_hour"),
    (savings_plan_cost_usd, dict(demand_instances_per_hour=[1], committed_instances=1, on_demand_usd_per_hour=0.1,
                                 savings_plan_discount=-0.1), "savings_plan_discount"),
    (spot_billed_hours, dict(useful_hours=-1, spot_interruption_rate=0.1, spot_lost_work_fraction=0.5), "useful_hours"),
    (spot_billed_hours, dict(useful_hours=1, spot_interruption_rate=1.0, spot_lost_work_fraction=0.5),
     "spot_interruption_rate"),
    (spot_billed_hours, dict(useful_hours=1, spot_interruption_rate=0.1, spot_lost_work_fraction=1.5),
     "spot_lost_work_fraction"),
    (spot_cost_usd, dict(useful_hours=1, on_demand_usd_per_hour=0.1, spot_discount=1.0, spot_interruption_rate=0.1,
                         spot_lost_work_fraction=0.5), "spot_discount"),
    (billed_seconds, dict(durations_s="60", granularity="hour"), "durations_s"),
    (billed_seconds, dict(durations_s=[60], granularity="minute"), "granularity"),
    (billed_seconds, dict(durations_s=[60], granularity="second", billing_minimum_s=0), "billing_minimum_s"),
    (billing_comparison, dict(durations_s=[-5]), "durations_s"),
    (billing_comparison, dict(durations_s=[5], on_demand_usd_per_hour=-1), "on_demand_usd_per_hour"),
    (billing_comparison, dict(durations_s=[5], billing_minimum_s=7200), "billing_minimum_s"),
    (billing_comparison, dict(durations_s=[5], billing_minimum_s=None), "billing_minimum_s"),
    (facility_cost_usd_per_month, dict(peak_power_w=-1, facility_usd_per_w=16, facility_lifetime_years=15),
     "peak_power_w"),
    (facility_cost_usd_per_month, dict(peak_power_w=800, facility_usd_per_w=-1, facility_lifetime_years=15),
     "facility_usd_per_w"),
    (facility_cost_usd_per_month, dict(peak_power_w=800, facility_usd_per_w=16, facility_lifetime_years=0),
     "facility_lifetime_years"),
    (cost.cloud_price_table, dict(article_usd_per_core_hour=0), "article_usd_per_core_hour"),
    (demand_profile, dict(days=0), "days"),
    (demand_profile, dict(baseline_instances=-1), "baseline_instances"),
    (demand_profile, dict(daily_swing_fraction=1.5), "daily_swing_fraction"),
    (demand_profile, dict(noise_fraction=-0.1), "noise_fraction"),
    (demand_profile, dict(days=5, spike_start_day=5), "spike_start_day"),
    (demand_profile, dict(days=5, spike_start_day=3, spike_days=3), "spike_days"),
    (demand_profile, dict(spike_multiplier=0.5), "spike_multiplier"),
    (demand_profile, dict(seed=1.5), "seed"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[1, float("inf")]), "demand_instances_per_hour"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], capacity_instances=5), "capacity_instances"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], committed_instances=-1), "committed_instances"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], horizon_years=0), "horizon_years"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], server="x"), "server"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], pue=0.5), "pue"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], savings_plan_term_years=2),
     "savings_plan_term_years"),
    (monthly_cost_by_option, dict(demand_instances_per_hour=[10], no_such_parameter=1), "parameter name"),
    (cost_table, dict(costs=pd.DataFrame({"a": [1]})), "costs"),
    (cost_over_horizon, dict(demand_instances_per_hour=[10], horizon_years=-1), "horizon_years"),
    (costs_at_utilization, dict(utilization=-0.1), "utilization"),
    (costs_at_utilization, dict(utilization=0.5, capacity_instances=0), "capacity_instances"),
    (cost_curves, dict(utilization=[0.5, 2.0]), "utilization"),
    (break_even_utilization, dict(against="mainframe"), "against"),
    (break_even_utilization, dict(capacity_instances=-5), "capacity_instances"),
    (break_even_utilization, dict(horizon_years=40), "horizon_years"),
    (break_even_utilization, dict(electricity_usd_per_kwh=-0.1), "electricity_usd_per_kwh"),
    (break_even_utilization, dict(server="x"), "server"),
    (sensitivity, dict(output="profit"), "output"),
    (sensitivity, dict(against="mainframe"), "against"),
    (sensitivity, dict(utilization=1.5), "utilization"),
    (double11_case, dict(peak_multiplier=0.5), "peak_multiplier"),
    (double11_case, dict(normal_instances=-1), "normal_instances"),
    (double11_case, dict(peak_days=60), r"peak_days must be in \[0, 53\]"),
    (double11_case, dict(peak_days=2.5), "peak_days"),
    (cost.double11_demand, dict(peak_days=-1), "peak_days"),
    (double11_case, dict(server_price_usd=0), "server_price_usd"),
    (double11_article_requirements, dict(hardware_saving_usd=-1), "hardware_saving_usd"),
    (double11_article_requirements, dict(savings_plan_saving_usd_per_year=float("nan")),
     "savings_plan_saving_usd_per_year"),
    (double11_article_requirements, dict(peak_multiplier=1), "peak_multiplier"),
    (cost.power_curve, dict(server="x"), "server"),
    (cost.resolve_parameters, dict(overrides={"vms_per_host": True}), "vms_per_host"),
]


@pytest.mark.parametrize(("function", "kwargs", "name"), BAD_CALLS,
                         ids=[f"{f.__name__}-{name}-{i}" for i, (f, _, name) in enumerate(BAD_CALLS)])
def test_bad_input_names_the_parameter(function, kwargs, name):
    with pytest.raises(ValueError, match=name):
        function(**kwargs)


def test_every_public_function_is_covered_by_bad_input_tests():
    covered = {function.__name__ for function, _, _ in BAD_CALLS}
    public = {name for name in cost.__all__ if callable(getattr(cost, name))}
    exempt = {"cost_parameters", "default_parameters", "server_names", "double11_assumptions", "double11_demand",
              "validate_cost_assumptions"}  # no numeric arguments (or covered through double11_case)
    assert public - exempt <= covered, f"no bad-input test for {sorted(public - exempt - covered)}"


#: Arguments needed to call a function at all; every other keyword argument keeps its default.
REQUIRED = {
    "server_capital_usd_per_month": dict(server_price_usd=15000, server_lifetime_years=5),
    "facility_cost_usd_per_month": dict(peak_power_w=800, facility_usd_per_w=16, facility_lifetime_years=15),
    "server_power_w": dict(utilization=0.5),
    "energy_cost_usd_per_month": dict(power_w=100, pue=1.5, electricity_usd_per_kwh=0.1),
    "storage_cost_usd_per_month": dict(storage_gb=10, usd_per_gb_month=0.01),
    "staff_cost_usd_per_server_month": dict(admin_salary_usd_per_year=90000, servers_per_admin=100),
    "hosts_needed": dict(peak_instances=10, vms_per_host=48),
    "on_demand_cost_usd": dict(instance_hours=10, on_demand_usd_per_hour=0.1),
    "optimal_commitment_instances": dict(demand_instances_per_hour=[1, 2], savings_plan_discount=0.3),
    "savings_plan_cost_usd": dict(demand_instances_per_hour=[1, 2], committed_instances=1, on_demand_usd_per_hour=0.1,
                                  savings_plan_discount=0.3),
    "spot_billed_hours": dict(useful_hours=1, spot_interruption_rate=0.1, spot_lost_work_fraction=0.5),
    "spot_cost_usd": dict(useful_hours=1, on_demand_usd_per_hour=0.1, spot_discount=0.6, spot_interruption_rate=0.1,
                          spot_lost_work_fraction=0.5),
    "billed_seconds": dict(durations_s=[60], granularity="second"),
    "billing_comparison": dict(durations_s=[60]),
    "monthly_cost_by_option": dict(demand_instances_per_hour=[10, 20]),
    "cost_table": dict(costs=costs_at_utilization(0.5)),
    "cost_over_horizon": dict(demand_instances_per_hour=[10, 20], horizon_years=5),
    "costs_at_utilization": dict(utilization=0.5),
}
#: Keyword arguments for which None is a valid value (it means "work it out").
NONE_ALLOWED = {"horizon_years", "capacity_instances", "committed_instances", "utilization", "overrides"}


def _keyword_cases():
    import inspect

    cases = []
    for name in cost.__all__:
        function = getattr(cost, name)
        if not callable(function) or name in {"cost_parameters", "default_parameters", "server_names",
                                              "double11_assumptions", "validate_cost_assumptions"}:
            continue
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                continue
            if parameter.name in NONE_ALLOWED and parameter.default is None:
                continue
            cases.append(pytest.param(function, parameter.name, id=f"{name}-{parameter.name}"))
    return cases


@pytest.mark.parametrize(("function", "parameter"), _keyword_cases())
@pytest.mark.parametrize("bad", [None, "nonsense"])
def test_any_bad_argument_is_a_value_error_naming_it(function, parameter, bad):
    """Audit of every public function: a wrong-typed value anywhere gives ValueError naming that parameter."""
    kwargs = {**REQUIRED.get(function.__name__, {}), parameter: bad}
    with pytest.raises(ValueError, match=parameter):
        function(**kwargs)


def test_default_server_is_in_the_data():
    assert DEFAULT_SERVER in cost.server_names()
