"""Owning vs renting (helpers.cost_comparing, cost_double11): fleet costs worked by hand, the break-even,
its properties (it rises with the licence and spare capacity, falls with the cost of capital), presets,
sensitivity and the Double-11 case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import cost, cost_owning
from helpers.cost import (
    break_even_utilization,
    cost_curves,
    cost_over_horizon,
    cost_table,
    costs_at_utilization,
    default_parameters,
    demand_profile,
    double11_article_requirements,
    double11_case,
    monthly_cost_by_option,
    sensitivity,
)

MINIMAL, KVM, VMWARE = cost.PRESETS
#: The first model's owning costs with free power: the hand-worked fleets below use it, then add one cost each.
BARE = {**cost.preset_parameters(MINIMAL), "electricity_usd_per_kwh": 0.0}
# One host of 192 VMs, straight-line, per month: server + network 40,000 x 1.14 / 60 = 760; facility
# 817 W x 16 USD/W / 180 = 72.622; staff 90,520 x 1.4 / 12 / 100 = 105.607; storage 192 x 50 GB x 0.01 = 96.
HOST_BARE = 760 + 817 * 16 / 180 + 90520 * 1.4 / 12 / 100
#: Renting one VM all month: 730 h x 0.096 + 50 GB x 0.08 = 74.08 USD (no egress in BARE).
VM_MONTH = 730 * 0.096 + 50 * 0.08


def owned(costs: pd.DataFrame) -> pd.Series:
    return costs[costs["option"] == "on-premises"].set_index("component")["cost_usd_per_month"]


# --- hand-worked fleets, one new cost at a time -----------------------------------------------------------
def test_first_model_is_the_minimal_preset():
    """The minimal preset reproduces the first model: break-even (192-VM host, free power) = 1,034.229 / 14,223.36."""
    expected = (HOST_BARE + 96) / (192 * VM_MONTH)  # 1,034.229 / 14,223.36 = 0.072713
    assert break_even_utilization(capacity_instances=192, **BARE) == pytest.approx(expected)
    assert expected == pytest.approx(0.072713, abs=1e-6)
    assert break_even_utilization(**cost.preset_parameters(MINIMAL)) == pytest.approx(0.07497, abs=1e-4)


def test_licence_known_answer():
    # + vSphere Foundation: 192 cores x 135 / 12 = 2,160 a month. Break-even = (1,034.229 + 2,160) / 14,223.36
    # = 3,194.229 / 14,223.36 = 0.224577
    value = break_even_utilization(capacity_instances=192, **{**BARE, "licence_usd_per_core_year": 135})
    assert value == pytest.approx((HOST_BARE + 96 + 2160) / (192 * VM_MONTH))
    assert value == pytest.approx(0.224577, abs=1e-6)


def test_spare_host_known_answer():
    # + 1 spare host: a second host's 938.229 (all per-host costs, no storage): (2 x 938.229 + 96) / 14,223.36
    costs = owned(monthly_cost_by_option(np.full(730, 192), **{**BARE, "spare_hosts": 1}))
    assert costs["spare hosts"] == pytest.approx(HOST_BARE)
    value = break_even_utilization(capacity_instances=192, **{**BARE, "spare_hosts": 1})
    assert value == pytest.approx((2 * HOST_BARE + 96) / (192 * VM_MONTH))  # 0.138676


def test_cost_of_capital_known_answer():
    # At 5 %: server + network 45,600 over 60 months -> 860.528 (interest 100.528); facility 13,072 over
    # 180 months -> 103.373 (interest 30.750): interest 131.278 a month
    costs = owned(monthly_cost_by_option(np.full(730, 192), **{**BARE, "cost_of_capital": 0.05}))
    assert costs["interest"] == pytest.approx((860.528 - 760) + (103.373 - 817 * 16 / 180), abs=1e-3)
    assert costs["capital"] == pytest.approx(760 + 817 * 16 / 180)  # the straight-line part is unchanged


def test_support_and_facility_operations_known_answer():
    costs = owned(monthly_cost_by_option(np.full(730, 192), **{**BARE, "post_warranty_support_fraction": 0.1,
                                                                  "facility_opex_usd_per_kw_month": 25}))
    assert costs["support"] == pytest.approx(40000 * 0.1 * 2 / 60)  # 133.33: years 4-5 of a 5-year life
    assert costs["facility ops"] == pytest.approx(0.817 * 25)  # 20.425


def test_egress_known_answer():
    # 96 VMs all month x 10 GB x 0.09 USD = 86.40 USD on every cloud option
    costs = cost_table(monthly_cost_by_option(np.full(730, 96), **{**BARE, "egress_gb_per_vm_month": 10}))
    assert costs.set_index("option")["egress_usd_per_month"].tolist() == pytest.approx([0, 86.4, 86.4, 86.4])


def test_energy_follows_cpu_load_not_slot_occupancy():
    # 96 VMs on a 192-VM host (+0 spares) at 20 % CPU: load = 96 x 2 x 0.2 / 384 = 0.1 -> 257 W;
    # 257 W x 1.58 x 730 h / 1000 x 0.1241 USD/kWh = 36.787 USD (slot occupancy, 50 %, would be 410 W)
    values = {**cost.preset_parameters(MINIMAL), "vm_cpu_utilization": 0.2}
    costs = owned(monthly_cost_by_option(np.full(730, 96), capacity_instances=192, **values))
    assert costs["energy"] == pytest.approx(257 * 1.58 * 730 / 1000 * 0.1241)
    busy = owned(monthly_cost_by_option(np.full(730, 96), capacity_instances=192, **cost.preset_parameters(MINIMAL)))
    assert busy["energy"] == pytest.approx(410 * 1.58 * 730 / 1000 * 0.1241)


def test_spot_and_plan_terms_in_the_fleet():
    demand = np.full(730, 48)
    costs = cost_table(monthly_cost_by_option(demand, **BARE)).set_index("option")
    # 48 VMs x 730 h x 0.096 = 3,363.84 on demand; plan (1 year, 30 %): x 0.7 = 2,354.688
    assert costs.loc["on-demand", "compute_usd_per_month"] == pytest.approx(3363.84)
    assert costs.loc["savings plan", "compute_usd_per_month"] == pytest.approx(2354.688)
    # spot: 3,363.84 x (1 - 0.8) x (e^(0.05/730) - 1) / (0.05/730) for 1-hour jobs
    m = 0.05 / 730
    assert costs.loc["spot", "compute_usd_per_month"] == pytest.approx(3363.84 * 0.2 * math.expm1(m) / m)
    three = cost_table(monthly_cost_by_option(demand, horizon_years=3, **{**BARE, "savings_plan_term_years": 3}))
    assert three.set_index("option").loc["savings plan", "compute_usd_per_month"] == pytest.approx(3363.84 * 0.5)


def test_three_year_plan_is_paid_in_full_over_one_year():
    one = cost_table(monthly_cost_by_option(np.full(730, 48), horizon_years=1, savings_plan_term_years=3))
    # 3 years committed / 1 year used = 3 x the monthly commitment at the 3-year discount (50 %)
    assert one.set_index("option").loc["savings plan", "compute_usd_per_month"] == pytest.approx(3363.84 * 0.5 * 3)


def test_owned_host_costs_by_component():
    per_host = cost.owned_costs_per_host_month()
    assert per_host["licence"] == 0 and per_host["support"] == pytest.approx(133.333, abs=1e-3)
    assert cost.owned_costs_per_host_month(licence_usd_per_core_year=135)["licence"] == pytest.approx(2160)
    assert sum(per_host.values()) == pytest.approx(1223.27, abs=0.01)


def test_monthly_cost_is_tidy_with_every_component():
    costs = monthly_cost_by_option(demand_profile(days=3))
    assert list(costs.columns) == ["option", "component", "cost_usd_per_month"]
    assert len(costs) == len(cost.OPTIONS) * len(cost.COMPONENTS)
    assert (costs["cost_usd_per_month"] >= 0).all()


def test_short_horizon_makes_owning_dearer_and_horizon_total_scales():
    demand = demand_profile(days=7)
    short = cost_table(monthly_cost_by_option(demand, horizon_years=2)).set_index("option")
    full = cost_table(monthly_cost_by_option(demand, horizon_years=5)).set_index("option")
    assert short.loc["on-premises", "capital_usd_per_month"] > full.loc["on-premises", "capital_usd_per_month"]
    totals = cost_over_horizon(demand, 5).set_index("option")["cost_usd"]
    assert totals["on-demand"] == pytest.approx(full.loc["on-demand", "total_usd_per_month"] * 60)


def test_the_building_blocks_compute_the_results(monkeypatch):
    """The engines call the functions the notebook teaches, so the two cannot drift apart."""
    monkeypatch.setattr(cost_owning, "staff_cost_usd_per_server_month", lambda *args: 0.0)
    monkeypatch.setattr(cost_owning, "licence_usd_per_host_month", lambda *args: 7.0)
    at = owned(costs_at_utilization(0.5, capacity_instances=192))
    profile = owned(monthly_cost_by_option(np.full(730, 96), capacity_instances=192))
    for costs in (at, profile):
        assert costs["staff"] == 0.0 and costs["licence"] == 7.0


# --- the break-even -------------------------------------------------------------------------------------
@pytest.mark.parametrize("against", ["on-demand", "savings plan", "spot"])
@pytest.mark.parametrize("preset", cost.PRESETS)
def test_at_break_even_both_costs_are_equal(against, preset):
    values = cost.preset_parameters(preset)
    u = break_even_utilization(against=against, **values)
    if math.isnan(u):
        curves = cost_curves([1.0], **values).set_index("option")["cost_usd_per_month"]
        assert curves["on-premises"] > curves[against]
        return
    curves = cost_curves([u], **values).set_index("option")["cost_usd_per_month"]
    assert curves["on-premises"] == pytest.approx(curves[against], rel=1e-9)


def test_break_even_between_knots_matches_a_fine_grid():
    values = {**default_parameters(), "vm_cpu_utilization": 1.0, "licence_usd_per_core_year": 300}
    grid = np.linspace(0, 1, 2001)
    curves = cost_curves(grid, **values).pivot(index="utilization", columns="option", values="cost_usd_per_month")
    first = grid[np.argmax((curves["on-premises"] <= curves["on-demand"]).to_numpy())]
    assert break_even_utilization(**values) == pytest.approx(first, abs=1e-3)


def test_break_even_is_nan_when_owning_never_wins():
    assert math.isnan(break_even_utilization(on_demand_usd_per_hour=0.001))  # a cloud 99 % cheaper


def test_break_even_orders_the_options():
    # discounts make renting cheaper, so owning must be busier to win
    assert break_even_utilization() < break_even_utilization(against="savings plan") < break_even_utilization(
        against="spot")


def test_presets_give_a_range_and_the_issue_headline():
    table = cost.preset_break_evens().set_index("preset")["on-demand"]
    assert table[MINIMAL] == pytest.approx(0.0750, abs=5e-4)
    assert table[MINIMAL] < table[KVM] < table[VMWARE]
    # issue 7: "with vSphere Foundation at list price the break-even moves from 7.5 % to about 23 %"
    vvf_only = break_even_utilization(**{**cost.preset_parameters(MINIMAL), "licence_usd_per_core_year": 135})
    assert vvf_only == pytest.approx(0.23, abs=0.005)


# --- properties -----------------------------------------------------------------------------------------
def increasing(values):
    return all(b > a for a, b in zip(values, values[1:]))


def test_break_even_rises_with_the_licence_price():
    assert increasing([break_even_utilization(licence_usd_per_core_year=price) for price in (0, 50, 135, 250, 350)])


def test_break_even_rises_with_spare_capacity():
    assert increasing([break_even_utilization(spare_hosts=k) for k in (0, 1, 2, 3)])


def test_break_even_falls_as_the_cost_of_capital_falls():
    rates = (0.10, 0.07, 0.05, 0.02, 0.0)
    values = [break_even_utilization(cost_of_capital=rate) for rate in rates]
    assert all(b < a for a, b in zip(values, values[1:]))


def test_break_even_rises_with_support_and_facility_operations_and_falls_with_egress():
    assert increasing([break_even_utilization(post_warranty_support_fraction=f) for f in (0, 0.04, 0.1, 0.15)])
    assert increasing([break_even_utilization(facility_opex_usd_per_kw_month=f) for f in (0, 10, 25, 60)])
    values = [break_even_utilization(egress_gb_per_vm_month=gb) for gb in (0, 10, 100, 300)]
    assert all(b < a for a, b in zip(values, values[1:]))


def test_break_even_falls_as_the_on_demand_price_rises():
    values = [break_even_utilization(on_demand_usd_per_hour=price) for price in (0.05, 0.096, 0.2, 0.5)]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]


def test_licence_at_break_even():
    price = cost.licence_at_break_even(0.3)
    assert break_even_utilization(licence_usd_per_core_year=price) == pytest.approx(0.3, abs=1e-9)
    # the saving at 30 % divided by what 1 USD/core-year adds: 6 hosts x 192 cores / 12 = 96 USD per month
    assert price == pytest.approx(cost.monthly_saving_usd(0.3) / 96)
    assert math.isnan(cost.licence_at_break_even(0.01))  # owning loses even with a free licence


def test_costs_at_utilization_matches_cost_curves():
    parts = costs_at_utilization([0.2, 0.6]).groupby(["utilization", "option"])["cost_usd_per_month"].sum()
    curves = cost_curves([0.2, 0.6]).set_index(["utilization", "option"])["cost_usd_per_month"]
    assert np.allclose(parts.sort_index().to_numpy(), curves.sort_index().to_numpy())


def test_utilization_knots_bound_the_power_steps():
    knots = cost.utilization_knots()
    # load = u x 960 x 2 x 0.2 / (6 x 384) = u / 6: only the 10 % step falls inside (u = 0.6)
    assert knots.tolist() == pytest.approx([0.0, 0.6, 1.0])
    assert len(cost.utilization_knots(vm_cpu_utilization=1.0, spare_hosts=0)) == 11


# --- sensitivity and the walk ---------------------------------------------------------------------------
def test_sensitivity_table():
    table = sensitivity()
    assert len(table) == len(cost.cost_parameters())
    assert list(table.columns[:7]) == ["parameter", "unit", "kind", "low_value", "high_value", "low_result",
                                       "high_result"]
    assert table.attrs["baseline"] == pytest.approx(break_even_utilization())
    assert table["swing"].is_monotonic_decreasing
    assert table.iloc[0]["parameter"] == "licence_usd_per_core_year"
    pue = table.set_index("parameter").loc["pue"]
    assert pue["low_result"] == pytest.approx(break_even_utilization(pue=1.10))
    for name in ("spare_hosts", "cost_of_capital", "post_warranty_support_fraction", "facility_opex_usd_per_kw_month",
                 "vm_cpu_utilization", "egress_gb_per_vm_month"):
        assert table.set_index("parameter").loc[name, "swing"] > 0, f"{name} must move the break-even"


def test_sensitivity_of_the_saving_at_30_and_60_percent():
    for share in (0.3, 0.6):
        table = sensitivity(output="owning_saving_usd_per_month", utilization=share)
        assert table.attrs["baseline"] == pytest.approx(cost.monthly_saving_usd(share))
    at30 = sensitivity(output="owning_saving_usd_per_month", utilization=0.3).set_index("parameter")
    at60 = sensitivity(output="owning_saving_usd_per_month", utilization=0.6).set_index("parameter")
    # busier hosts draw more power: electricity moves the saving more at 60 % than at 30 %
    assert at60.loc["electricity_usd_per_kwh", "swing"] > at30.loc["electricity_usd_per_kwh", "swing"] > 0


def test_sensitivity_flags_the_end_where_owning_never_wins():
    table = sensitivity(against="spot", preset=VMWARE).set_index("parameter")
    assert table["owning_never_wins"].any()
    row = table[table["owning_never_wins"]].iloc[0]
    assert (row["low_never"] and row["low_result"] == 1.0) or (row["high_never"] and row["high_result"] == 1.0)


def test_break_even_walk_adds_up():
    walk = cost.break_even_walk()
    assert walk["break_even"].iloc[0] == pytest.approx(break_even_utilization(**cost.preset_parameters(MINIMAL)))
    assert walk["break_even"].iloc[-1] == pytest.approx(break_even_utilization(**cost.preset_parameters(VMWARE)))
    assert walk["change"].sum() == pytest.approx(walk["break_even"].iloc[-1] - walk["break_even"].iloc[0])
    assert walk["parameter"].iloc[-1] == "licence_usd_per_core_year"
    assert walk["change"].iloc[-1] == pytest.approx(walk["change"].max())  # the licence is the largest step


# --- tables passed back in -------------------------------------------------------------------------------
def test_cost_table_checks_what_it_is_given():
    good = costs_at_utilization(0.3)
    assert cost_table(good)["total_usd_per_month"].notna().all()
    with pytest.raises(ValueError, match=r"costs: column 'cost_usd_per_month' must hold finite"):
        cost_table(good.assign(cost_usd_per_month=np.where(good["option"] == "spot", np.nan,
                                                           good["cost_usd_per_month"])))
    with pytest.raises(ValueError, match=r"costs: column 'component'"):
        cost_table(good.assign(component="lunch"))
    with pytest.raises(ValueError, match=r"costs: column 'option'"):
        cost_table(good.assign(option=1.5))
    with pytest.raises(ValueError, match=r"costs must have at least one row"):
        cost_table(good.iloc[:0])
    with pytest.raises(ValueError, match=r"costs must have columns"):
        cost_table(good.drop(columns="component"))
    with pytest.raises(ValueError, match=r"costs: column 'cost_usd_per_month' must hold numbers"):
        cost_table(good.assign(cost_usd_per_month=True))
    with pytest.raises(ValueError, match=r"costs: column 'cost_usd_per_month' must hold numbers"):
        cost_table(good.assign(cost_usd_per_month="12"))
    with pytest.raises(ValueError, match=r">= 0"):
        cost_table(good.assign(cost_usd_per_month=-1.0))
    with pytest.raises(ValueError, match=r"costs must be a DataFrame"):
        cost_table([1, 2])


# --- the Double-11 case ---------------------------------------------------------------------------------
def test_double11_case():
    case = double11_case()
    totals = case.attrs["totals_usd_per_year"]
    assert set(totals) == set(cost.DOUBLE11_STRATEGIES)
    price = default_parameters()["server_price_usd"]
    assert case.attrs["hardware_not_bought_usd"] == (case.attrs["hosts_peak"] - case.attrs["hosts_base"]) * price
    assert totals["own the base, rent the peak"] < totals["own for the peak"] < totals["on-demand"]
    assert totals["savings plan + on-demand"] < totals["on-demand"]
    assert case.attrs["savings_plan_saving_usd_per_year"] == pytest.approx(
        totals["on-demand"] - totals["savings plan + on-demand"])
    assert case.groupby("strategy")["hosts"].first()["own for the peak"] == case.attrs["hosts_peak"] + 1  # N+1
    longer = double11_case(peak_days=10).attrs["totals_usd_per_year"]
    assert longer["on-demand"] > totals["on-demand"]
    three = double11_case(savings_plan_term_years=3)
    assert three.attrs["savings_plan_discount"] == 0.5
    assert three.attrs["savings_plan_saving_usd_per_year"] > case.attrs["savings_plan_saving_usd_per_year"]


def test_double11_article_requirements_known_answer():
    table = double11_article_requirements().set_index("quantity")["value"]
    assert table["servers not bought"] == pytest.approx(30)  # 1,200,000 / 40,000
    assert table["extra VMs at the peak"] == pytest.approx(5760)  # 30 x 192
    assert table["normal VMs (peak = k x normal)"] == pytest.approx(1440)  # 5,760 / (5 - 1)
    # 850,000 / (0.3 x 0.096 x 8,760) = 850,000 / 252.288 = 3,369.2
    assert table["VMs committed all year"] == pytest.approx(3369.16, abs=0.01)
    # 3-year term at AWS's 'up to 72 %': 850,000 / (0.72 x 0.096 x 8,760) = 1,403.8
    three = double11_article_requirements(savings_plan_term_years=3, savings_plan_discount_3y=0.72)
    assert three.set_index("quantity")["value"]["VMs committed all year"] == pytest.approx(1403.82, abs=0.01)
