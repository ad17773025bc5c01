"""The cost model's inputs and building blocks (helpers.cost_inputs, cost_owning, cost_renting): hand-worked
answers for every cost line, and the data files' consistency. Results, properties and presets are in
test_cost_comparing.py; bad input for every public function in test_cost_bad_input.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import cost
from helpers.data import load
from helpers.cost import (
    DEFAULT_SERVER,
    annuity_usd_per_month,
    billed_seconds,
    billing_comparison,
    commitment_factor,
    cost_parameters,
    default_parameters,
    demand_profile,
    egress_cost_usd,
    energy_cost_usd_per_month,
    facility_cost_usd_per_month,
    facility_operations_usd_per_month,
    host_cpu_load,
    hosts_needed,
    licence_usd_per_host_month,
    licensed_cores,
    on_demand_cost_usd,
    optimal_commitment_instances,
    post_warranty_support_usd_per_month,
    savings_plan_cost_usd,
    savings_plan_discount,
    server_capital_usd_per_month,
    server_power_w,
    spot_billed_hours,
    spot_cost_usd,
    staff_cost_usd_per_server_month,
    storage_cost_usd_per_month,
    support_years_paid,
    validate_cost_assumptions,
    years_paid_factor,
)

HP = "HP ProLiant ML110 G4"


# --- the data -------------------------------------------------------------------------------------------
def test_parameters_table_is_complete_and_ordered():
    table = cost_parameters()
    assert set(table.index) == set(cost.MODEL_RANGES) - {"savings_plan_discount"}
    assert (table["low"] <= table["default"]).all() and (table["default"] <= table["high"]).all()
    assert table.loc["server_lifetime_years", "kind"] == "vendor"  # company filings, not the article
    assert default_parameters()["pue"] == 1.58
    assert table["source"].str.len().gt(10).all() and table["source_url"].str.len().gt(5).all()


def test_every_new_owning_cost_has_a_sourced_range():
    """Issue 7: each cost the first model left out is a parameter with a default, low and high and a source."""
    table = cost_parameters()
    for name in ("licence_usd_per_core_year", "licence_min_cores_per_cpu", "spare_hosts", "cost_of_capital",
                 "post_warranty_support_fraction", "facility_opex_usd_per_kw_month", "vm_cpu_utilization",
                 "egress_usd_per_gb", "egress_gb_per_vm_month", "spot_job_hours", "savings_plan_discount_1y",
                 "savings_plan_discount_3y"):
        row = table.loc[name]
        assert row["low"] <= row["default"] <= row["high"], name
        assert isinstance(row["note"], str) and len(row["note"]) > 40, name
    assert table.loc["licence_usd_per_core_year", "high"] == 350  # VMware Cloud Foundation list price
    assert (table.loc["cost_of_capital", "low"], table.loc["cost_of_capital", "high"]) == (0.0, 0.10)


def test_spot_discount_agrees_with_aws_and_the_claims():
    """AWS: 'typical savings of 70-90%'; claims.csv (resources-08) says the same: the default must be inside it.

    The high end is AWS's top; the low end (0.50) is what practitioners report most users get, and the note says so."""
    row = cost_parameters().loc["spot_discount"]
    assert row["high"] == 0.90 and 0.70 <= row["default"] <= 0.90
    assert row["low"] == 0.50 and "practitioners" in row["note"] and "second-hand" in row["note"]
    claims = load("claims").set_index("claim_id")
    assert "70-90%" in claims.loc["resources-08", "correct_value"]


def test_presets_are_sourced_and_the_default_preset_is_the_defaults():
    table = load("cost_presets")
    assert set(table["preset"]) == set(cost.PRESETS) and table["source"].str.len().gt(5).all()
    assert cost.preset_parameters(cost.DEFAULT_PRESET) == default_parameters()
    minimal = cost.preset_parameters("minimal (today's model)")
    assert minimal["licence_usd_per_core_year"] == minimal["spare_hosts"] == minimal["cost_of_capital"] == 0
    assert minimal["vm_cpu_utilization"] == 1.0 and minimal["egress_gb_per_vm_month"] == 0
    assert cost.preset_parameters("enterprise VMware")["licence_usd_per_core_year"] == 135
    wide = cost.preset_table()
    assert list(wide.columns) == ["unit", *cost.PRESETS] and "licence_usd_per_core_year" in wide.index


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
    with pytest.raises(ValueError, match="table"):
        validate_cost_assumptions(pd.DataFrame())


def test_server_specs():
    spec = cost.server_spec()
    assert (spec["cpus"], spec["cores_per_cpu"], spec["cores"], spec["threads"]) == (2, 96, 192, 384)
    assert cost.server_spec(HP)["threads"] == 2  # 1 x Xeon 3040, 2 cores, no Hyper-Threading
    assert set(cost.server_names()) <= set(load("cost_servers")["server"])


# --- owning: capital ------------------------------------------------------------------------------------
def test_capital_straight_line_and_annuity():
    assert server_capital_usd_per_month(15000, 5) == pytest.approx(250.0)  # 15,000 / (5 x 12)
    # 40,000 over 60 months at 5 %/12 = 0.0041667 a month: 1.0041667^-60 = 0.779205;
    # payment = 40,000 x 0.0041667 / (1 - 0.779205) = 166.667 / 0.220795 = 754.849
    assert server_capital_usd_per_month(40000, 5, 0.05) == pytest.approx(754.849, abs=1e-3)
    assert annuity_usd_per_month(40000, 5, 0.0) == pytest.approx(40000 / 60)
    assert annuity_usd_per_month(1200, 1, 1e-12) == pytest.approx(100.0)  # continuous at rate 0


def test_facility_capital_and_operations():
    assert facility_cost_usd_per_month(817, 16, 15) == pytest.approx(817 * 16 / 180)  # 13,072 USD / 180 months
    # 13,072 USD over 180 months at 5 %: 13,072 x 0.0041667 / (1 - 1.0041667^-180) = 103.373
    assert facility_cost_usd_per_month(817, 16, 15, 0.05) == pytest.approx(103.373, abs=1e-3)
    assert facility_operations_usd_per_month(817, 25) == pytest.approx(20.425)  # 0.817 kW x 25 USD


def test_years_paid_factor():
    assert years_paid_factor(5, 5) == 1.0
    assert years_paid_factor(2, 5) == pytest.approx(2.5)  # a 5-year server used 2 years: 5 / 2
    assert years_paid_factor(6, 5) == pytest.approx(10 / 6)  # the second generation is paid in full


# --- owning: power --------------------------------------------------------------------------------------
def test_power_interpolates_the_curve():
    assert server_power_w(0.5) == pytest.approx(410.0)  # measured point at 50 %
    assert server_power_w(0.25) == pytest.approx(320.0)  # (300 + 340) / 2
    assert server_power_w(0.55, server=HP) == pytest.approx(104.0)  # (102 + 106) / 2
    assert np.allclose(server_power_w([0.0, 1.0]), [128.0, 817.0])


def test_host_cpu_load_from_running_vms():
    # 288 VMs x 2 vCPU x 20 % busy / (6 hosts x 384 threads) = 115.2 / 2,304 = 0.05
    assert host_cpu_load(288, 6, 0.2) == pytest.approx(0.05)
    assert server_power_w(host_cpu_load(288, 6, 0.2)) == pytest.approx(192.5)  # half way from 128 to 257 W
    # busy VMs: 288 x 2 x 1.0 / 2,304 = 0.25, the first model's slot occupancy on 6 hosts
    assert host_cpu_load(288, 6, 1.0) == pytest.approx(0.25)
    assert host_cpu_load(10000, 1, 1.0) == 1.0  # capped
    assert np.allclose(host_cpu_load([0, 192], 1, 1.0), [0.0, 1.0])
    assert host_cpu_load(5, 0, 0.5) == 0.0


def test_energy_cost():
    # 410 W x 1.58 = 647.8 W; x 730 h = 472.894 kWh; x 0.1241 USD/kWh = 58.686 USD
    assert energy_cost_usd_per_month(410, 1.58, 0.1241) == pytest.approx(58.686, abs=1e-3)
    assert energy_cost_usd_per_month(1000, 1.0, 0.1, hours=10) == pytest.approx(1.0)  # 10 kWh x 0.1


# --- owning: people, contracts, licences ---------------------------------------------------------------
def test_storage_and_staff():
    assert storage_cost_usd_per_month(2400, 0.01) == pytest.approx(24.0)  # 48 VMs x 50 GB x 0.01
    # 90,520 x 1.4 / 12 months / 100 servers = 105.607 USD per server-month
    assert staff_cost_usd_per_server_month(90520, 100, 1.4) == pytest.approx(105.607, abs=1e-3)


@pytest.mark.parametrize(("horizon", "lifetime", "warranty", "years"), [
    (5, 5, 3, 2),  # one generation: years 4 and 5
    (6, 5, 3, 2),  # the second generation runs 1 year, inside its warranty
    (10, 5, 3, 4),  # two generations x 2
    (4, 5, 3, 1),  # stopped after year 4
    (2, 5, 3, 0),
    (5, 3, 3, 0),  # a 3-year life never leaves the warranty
])
def test_support_years_paid(horizon, lifetime, warranty, years):
    assert support_years_paid(horizon, lifetime, warranty) == pytest.approx(years)


def test_post_warranty_support():
    # 40,000 x 10 % a year x 2 years after the 3-year warranty / 60 months = 133.33 USD per month
    assert post_warranty_support_usd_per_month(40000, 0.10, 5) == pytest.approx(133.333, abs=1e-3)
    assert post_warranty_support_usd_per_month(40000, 0.10, 3) == 0.0
    # a 4-year horizon pays 1 support year: 4,000 / 48 months = 83.33
    assert post_warranty_support_usd_per_month(40000, 0.10, 5, horizon_years=4) == pytest.approx(83.333, abs=1e-3)


def test_licence_per_core_with_a_minimum_per_cpu():
    assert licensed_cores(2, 96, 16) == 192  # the minimum does not bind
    assert licensed_cores(2, 8, 16) == 32  # Broadcom KB 313548: 2 x 8 cores licensed as 2 x 16
    assert licensed_cores(1, 8, 0) == 8  # no minimum
    # vSphere Foundation at 135 USD per core-year: 192 cores x 135 / 12 = 2,160 USD per host-month
    assert licence_usd_per_host_month(135, licence_min_cores_per_cpu=16) == pytest.approx(2160.0)
    assert licence_usd_per_host_month(0) == 0.0


@pytest.mark.parametrize(("peak", "per_host", "hosts"), [(0, 48, 0), (1, 48, 1), (96, 48, 2), (97, 48, 3),
                                                          (100, 24, 5)])
def test_hosts_needed(peak, per_host, hosts):
    assert hosts_needed(peak, per_host) == hosts


# --- renting ----------------------------------------------------------------------------------------------
def test_on_demand_and_egress():
    assert on_demand_cost_usd(730, 0.096) == pytest.approx(70.08)  # 730 h x 0.096
    assert egress_cost_usd(10, 0.09) == pytest.approx(0.90)  # 10 GB x 0.09


def test_owned_transit_by_hand_and_in_the_fleet():
    from helpers.cost import transit_cost_usd_per_month
    assert transit_cost_usd_per_month(9600, 0.006) == pytest.approx(57.60)  # 960 VMs x 10 GB x $0.006
    # $1 per Mbit/s-month, 95th percentile twice the mean: 1 / (328.5 GB / 2) = $0.0061 per GB
    assert 1 / (1e6 / 8 * 730 * 3600 / 1e9 / 2) == pytest.approx(0.00609, abs=1e-5)
    costs = cost.costs_at_utilization(0.3, transit_usd_per_gb=0.006)
    owned = costs[costs["option"] == "on-premises"].set_index("component")["cost_usd_per_month"]
    assert owned["transit"] == pytest.approx(57.60)  # sized for capacity, not for the 30 % that runs
    base = cost.break_even_utilization()
    assert cost.break_even_utilization(transit_usd_per_gb=0.02) > base  # owning pays for its uplink
    # no traffic, no transit: egress and transit both vanish
    assert cost.break_even_utilization(egress_gb_per_vm_month=0, transit_usd_per_gb=0.02) == \
        pytest.approx(cost.break_even_utilization(egress_gb_per_vm_month=0))


def test_savings_plan_terms_compare_like_with_like():
    assert savings_plan_discount(1, 0.30, 0.50) == 0.30
    assert savings_plan_discount(3, 0.30, 0.50) == 0.50
    assert commitment_factor(5, 3) == pytest.approx(1.2)  # two 3-year terms (6 years) for 5 years used
    assert commitment_factor(3, 3) == 1.0


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


def test_spot_redoes_interrupted_work_with_consistent_units():
    # 0.2 interruptions per instance-month = 0.2 / 730 per hour; a 730-hour job: mT = 0.2;
    # billed = useful x (e^0.2 - 1) / 0.2 = useful x 1.107014 -> 730 h -> 808.120 h
    assert spot_billed_hours(730, 0.2, 730) == pytest.approx(808.120, abs=1e-3)
    assert spot_billed_hours(100, 0.2, 0) == pytest.approx(100)  # stateless: nothing redone
    assert spot_billed_hours(100, 0.0, 24) == pytest.approx(100)  # never interrupted
    # 1-hour jobs at 5 % a month: mT = 0.05 / 730 = 6.85e-5, billed = useful x (1 + mT/2) to first order
    assert spot_billed_hours(1e6, 0.05, 1) == pytest.approx(1e6 * (1 + 0.05 / 730 / 2), rel=1e-9)
    # 808.12 h x 0.1 USD/h x (1 - 0.8) = 16.162 USD
    assert spot_cost_usd(730, 0.1, 0.8, 0.2, 730) == pytest.approx(16.162, abs=1e-3)


def test_longer_jobs_and_more_interruptions_cost_more():
    hours = [spot_billed_hours(100, 0.1, job) for job in (0, 1, 24, 200, 730)]
    assert hours == sorted(hours) and hours[0] < hours[-1]
    hours = [spot_billed_hours(100, rate, 24) for rate in (0, 0.05, 0.2, 1)]
    assert hours == sorted(hours) and hours[0] < hours[-1]


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


def test_cloud_price_table_per_vcpu_leads():
    """核 is one vCPU in Chinese cloud marketing: the like-for-like ratio is per vCPU, about 73x."""
    table = cost.cloud_price_table()
    table = table[table["region"] == "us-east-1"].set_index("instance_type")
    assert table.loc["m5.large", "usd_per_vcpu_hour"] == pytest.approx(0.048)  # 0.096 / 2
    assert table.loc["m5.large", "article_vs_vcpu_price"] == pytest.approx(72.9, abs=0.1)  # 3.50 / 0.048
    assert table.loc["m5.large", "article_vs_core_price"] == pytest.approx(36.46, abs=0.01)  # 3.50 / 0.096


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


def test_default_server_is_in_the_data():
    assert DEFAULT_SERVER in cost.server_names()


def test_the_entry_point_exports_every_module():
    """``helpers.cost`` stays the one import: every public name of the five modules is reachable from it."""
    for module, names in cost.MODULES.items():
        for name in names:
            assert hasattr(cost, name), f"{module}.{name} is not re-exported by helpers.cost"
    assert len(cost.__all__) == len(set(cost.__all__))
    assert not math.isnan(cost.break_even_utilization())
