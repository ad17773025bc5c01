"""Chapter 3's elasticity simulator: known answers by hand, the plain-Python oracle, properties, bad input."""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import pandas as pd
import pytest

from helpers import cost
from helpers import resources as res
from tests import resources_reference as ref

BAD_NUMBERS = [True, float("nan"), float("inf"), "3", None]


# ------------------------------------------------------------------------------------------------ demand
def flat(**overrides):
    values = dict(noise=0, weekend_dip=0, growth_per_year=0, sale_multiplier=1, sale_days=0, daily_swing=0.3,
                  base_instances=100)
    values.update(overrides)
    return res.demand_year(**values)


def test_demand_known_answers():
    d = flat()
    assert d.size == 8760
    assert d[14] == pytest.approx(130)  # 14:00, peak of the daily cycle
    assert d[2] == pytest.approx(70)  # 02:00, the trough
    assert d[8] == pytest.approx(100)
    weekend = flat(weekend_dip=0.2)
    assert weekend[3 * 24 + 14] == pytest.approx(130 * 0.8)  # 4 January 2025 is a Saturday
    assert weekend[5 * 24 + 14] == pytest.approx(130)  # Monday 6 January
    grown = flat(growth_per_year=0.21)
    assert grown[4392 + 8] == pytest.approx(100 * 1.21 ** (4400 / 8760))  # 08:00 on day 183: daily factor 1
    assert grown[8760 - 16] == pytest.approx(100 * 1.21 ** (8744 / 8760))
    sale = flat(sale_multiplier=5, sale_days=3)
    assert sale[312 * 24 + 14] == pytest.approx(650)
    assert sale[315 * 24 + 14] == pytest.approx(130)  # the sale is over after 3 days


def test_demand_is_seeded_and_never_negative():
    a = res.demand_year(seed=3, noise=0.3)
    assert np.array_equal(a, res.demand_year(seed=3, noise=0.3))
    assert not np.array_equal(a, res.demand_year(seed=4, noise=0.3))
    assert a.min() >= 0
    forecast = res.demand_forecast()
    assert np.allclose(forecast, res.demand_year(noise=0))


def test_demand_reproduces_chapter_5s_double11_profile():
    """helpers.cost.demand_profile is this generator with no weekend dip and no growth, rounded up."""
    ours = res.demand_year(base_instances=500, daily_swing=0.3, weekend_dip=0, noise=0.05, growth_per_year=0,
                           sale_multiplier=5, sale_days=3, seed=11)
    assert np.array_equal(np.ceil(ours - 1e-9).astype(int), cost.double11_demand())
    for seed in (0, 7):
        ours = res.demand_year(base_instances=80, daily_swing=0.5, weekend_dip=0, noise=0.1, growth_per_year=0,
                               sale_multiplier=2, sale_days=10, sale_start_day=40, days=60, seed=seed)
        theirs = cost.demand_profile(days=60, baseline_instances=80, daily_swing_fraction=0.5, noise_fraction=0.1,
                                     spike_start_day=40, spike_days=10, spike_multiplier=2, seed=seed)
        assert np.array_equal(np.ceil(ours - 1e-9).astype(int), theirs)


def test_there_is_one_demand_generator():
    """Chapters 3, 4 and 5 draw demand from helpers.demand; no other module generates it (nothing computed twice)."""
    import inspect

    from helpers import cost_double11, cost_renting, demand, performance

    assert res.demand_year is demand.demand_year and res.SALE_START_DAY == demand.SALE_START_DAY == 312
    for module in (res, cost_renting, cost_double11, performance):
        source = inspect.getsource(module)
        assert "default_rng" not in source and "standard_normal" not in source, module.__name__


@pytest.mark.parametrize("name", ["base_instances", "daily_swing", "weekend_dip", "noise", "growth_per_year",
                                  "sale_multiplier", "sale_days", "sale_start_day", "days", "seed"])
@pytest.mark.parametrize("bad", BAD_NUMBERS + [-5, 1e20])
def test_demand_rejects_bad_input_by_name(name, bad):
    with pytest.raises(ValueError, match=name):
        res.demand_year(**{name: bad})


def test_sale_must_fit_the_year():
    with pytest.raises(ValueError, match="sale_days"):
        res.demand_year(sale_start_day=360, sale_days=10)
    with pytest.raises(ValueError, match="sale_days"):
        res.demand_year(sale_days=2.5)


# ------------------------------------------------------------------------------------------------ strategies
def test_needed_instances_and_fixed_fleets_known_answers():
    assert res.needed_instances([60, 61, 0], 0.6).tolist() == [100, 102, 0]
    demand = np.arange(1, 101, dtype=float)  # 1..100
    assert res.fixed_fleet(demand, target_utilization=0.5).tolist() == [200] * 100
    assert set(res.fixed_fleet(demand, target_utilization=0.5, quantile=0.95).tolist()) == {190}
    assert set(res.fixed_fleet(demand, target_utilization=1, quantile=0.0).tolist()) == {1}
    assert res.scheduled_fleet([10, 0, 50], target_utilization=0.5, schedule_margin=0.1, min_instances=2,
                               max_instances=100).tolist() == [22, 2, 100]


def test_fixed_quantile_is_numpys_inverted_cdf():
    rng = np.random.default_rng(5)
    for _ in range(30):
        demand = rng.random(rng.integers(1, 500)) * 100
        q = float(rng.choice([0.5, 0.9, 0.95, 0.99, 1.0, 0.123]))
        level = np.quantile(demand, q, method="inverted_cdf")
        assert res.fixed_fleet(demand, target_utilization=1, quantile=q)[0] == math.ceil(level - 1e-9)


DEMAND_HAND = [10, 10, 12, 20, 20, 5, 5]
HAND = dict(target_utilization=0.5, scale_out_at=0.55, scale_in_at=0.45, min_instances=0, max_instances=100)


def test_reactive_known_answers_by_hand():
    # start at ceil(10 / 0.5) = 20; 12 > 0.55 x 20 -> ceil(24) = 24; 20 > 0.55 x 24 -> 40; 5 < 0.45 x 40 -> 10
    assert res.reactive_fleet(DEMAND_HAND, cooldown_s=0, **HAND).tolist() == [20, 20, 24, 40, 40, 10, 10]
    # a cooldown of 3,600 s plus a 100 s start-up blocks the next hour after a scale-out (2 hours)
    assert res.reactive_fleet(DEMAND_HAND, cooldown_s=3600, startup_s=100, **HAND).tolist() == \
        [20, 20, 24, 24, 40, 40, 10]
    # two low hours in a row before scaling in
    assert res.reactive_fleet(DEMAND_HAND, cooldown_s=0, scale_in_hours=2, **HAND).tolist() == \
        [20, 20, 24, 40, 40, 40, 10]
    # the maximum caps a scale-out, the minimum a scale-in
    assert res.reactive_fleet(DEMAND_HAND, cooldown_s=0, **{**HAND, "max_instances": 30}).tolist() == \
        [20, 20, 24, 30, 30, 10, 10]
    assert res.reactive_fleet(DEMAND_HAND, cooldown_s=0, **{**HAND, "min_instances": 15}).tolist() == \
        [20, 20, 24, 40, 40, 15, 15]


def test_default_thresholds_are_hpas_tolerance():
    # target 0.5, tolerance 0.1: out above 0.55, in below 0.45 (same path as the explicit thresholds)
    explicit = res.reactive_fleet(DEMAND_HAND, cooldown_s=0, **HAND)
    implicit = res.reactive_fleet(DEMAND_HAND, cooldown_s=0, target_utilization=0.5, min_instances=0)
    assert explicit.tolist() == implicit.tolist()


def test_phases_and_hour_metrics_known_answers():
    parts = res.phases([10, 20, 5], [10, 10, 20], reaction_s=360, startup_s=720)
    assert parts["before_share"].tolist() == pytest.approx([0, 0.3, 0.1])
    assert parts["billed"].tolist() == pytest.approx([10, 19, 6.5])
    metrics = res.hour_metrics([8, 15, 6], parts)
    assert metrics["served"].tolist() == pytest.approx([8, 13.5, 5.1])
    assert metrics["unserved"].tolist() == pytest.approx([0, 1.5, 0.9])
    assert metrics["capacity"].tolist() == pytest.approx([10, 17, 6.5])


def test_weighted_quantile_matches_numpy():
    rng = np.random.default_rng(1)
    for _ in range(200):
        x = rng.random(rng.integers(1, 3000))
        w = rng.random(x.size) * (rng.random(x.size) < 0.8)
        if w.sum() == 0:
            continue
        q = float(rng.choice([0.3, 0.5, 0.9, 0.99, 1.0]))
        assert res.weighted_quantile(x, w, q) == np.quantile(x, q, weights=w, method="inverted_cdf")


def test_latency_proxy_known_answers():
    assert res.p99_latency_multiple(0) == pytest.approx(math.log(100))
    assert res.p99_latency_multiple(0.5) == pytest.approx(2 * math.log(100))
    assert res.p99_latency_multiple(1.0) == pytest.approx(math.log(100) / 0.01)
    assert res.p99_latency_multiple([0.0, 0.9]).tolist() == pytest.approx([4.60517, 46.0517], rel=1e-5)


# ------------------------------------------------------------------------------------------------ the oracle
def random_case(rng):
    hours = int(rng.integers(24, 2500))
    days = max(1, hours // 24)
    demand = res.demand_year(base_instances=float(rng.uniform(1, 300)), daily_swing=float(rng.uniform(0, 0.9)),
                             weekend_dip=float(rng.uniform(0, 0.5)), noise=float(rng.uniform(0, 0.3)),
                             growth_per_year=float(rng.uniform(-0.5, 2)), sale_multiplier=float(rng.uniform(1, 8)),
                             sale_days=int(rng.integers(0, 3)), sale_start_day=int(rng.integers(0, days)) if days > 3
                             else 0, days=days, seed=int(rng.integers(0, 1000)))
    demand = demand * (rng.random(demand.size) > 0.02)  # a few idle hours
    forecast = demand * rng.uniform(0.8, 1.2)
    target = float(rng.uniform(0.3, 0.95))
    reaction = float(rng.choice([0, 15, 60, 300]))
    settings = dict(target_utilization=target, tolerance=float(rng.uniform(0, 0.3)),
                    cooldown_s=float(rng.choice([0, 300, 3600, 7300])), scale_in_hours=int(rng.integers(1, 6)),
                    reaction_s=reaction, startup_s=float(rng.choice([0.125, 5, 96.9, 810.2])),
                    warmup_s=float(rng.choice([0, 0, 120, 600])),
                    min_instances=int(rng.integers(0, 5)), max_instances=int(rng.choice([50, 100_000])),
                    fixed_quantile=float(rng.uniform(0.5, 1)), schedule_margin=float(rng.uniform(0, 0.5)),
                    base_quantile=float(rng.uniform(0, 1)))
    return demand, forecast, settings


@pytest.mark.parametrize("seed", range(12))
def test_fast_simulation_agrees_with_the_plain_python_oracle(seed):
    demand, forecast, settings = random_case(np.random.default_rng(seed))
    fast = res.simulate(demand, forecast, **settings)
    slow = ref.simulate(demand.tolist(), forecast.tolist(), fast.settings)
    for name in res.STRATEGIES:
        assert fast.desired[name].tolist() == slow["paths"][name], name
    summary = fast.summary.set_index("strategy")
    for row in slow["rows"]:
        for column, value in row.items():
            if column != "strategy":
                assert summary.loc[row["strategy"], column] == pytest.approx(value, rel=1e-9, abs=1e-9), \
                    (row["strategy"], column)


def test_fast_simulation_is_much_faster_than_the_oracle():
    """A loose guard against regressions (make benchmark measures the real ratio, >= 10x)."""
    sim = res.simulate_year()
    demand, forecast = sim.demand, sim.forecast
    fast, slow = [], []
    for _ in range(3):
        started = time.perf_counter()
        res.simulate(demand, forecast)
        fast.append(time.perf_counter() - started)
        started = time.perf_counter()
        ref.simulate(demand.tolist(), forecast.tolist(), sim.settings)
        slow.append(time.perf_counter() - started)
    assert statistics.median(slow) / statistics.median(fast) > 4


# ------------------------------------------------------------------------------------------------ properties
def test_simulation_properties():
    sim = res.simulate_year()
    total = sim.demand.sum()
    for name in res.STRATEGIES:
        hourly = sim.hourly[name]
        assert np.allclose(hourly["served"] + hourly["unserved"], sim.demand)
        assert (hourly["unserved"] >= -1e-12).all()
        assert hourly["billed"].sum() >= hourly["served"].sum() - 1e-6
        row = sim.summary.set_index("strategy").loc[name]
        assert 0 <= row["utilization"] <= 1 and 0 <= row["unserved_share"] <= 1
        assert row["unserved_instance_hours"] == pytest.approx(total * row["unserved_share"])
    summary = sim.summary.set_index("strategy")
    assert summary.loc["fixed_peak", "unserved_instance_hours"] == 0  # sized for the peak
    assert summary.loc["fixed_peak", "utilization"] < summary.loc["reactive", "utilization"]
    assert summary.loc["fixed_quantile", "unserved_share"] > 0.01  # the sale does not fit
    assert summary.loc["hybrid", "owned_instances"] > 0 and summary["owned_instances"].drop("hybrid").eq(0).all()
    assert (sim.desired["hybrid"] >= summary.loc["hybrid", "owned_instances"]).all()


def test_a_slower_start_never_serves_more():
    unserved = [res.simulate_year(startup_s=s, cooldown_s=0).summary.set_index("strategy").loc[
        "reactive", "unserved_instance_hours"] for s in (0.125, 5, 96.9, 810.2, 2700)]
    assert unserved == sorted(unserved) and unserved[-1] > unserved[0]


def test_warm_up_adds_to_the_start_up_lag():
    """An instance serves after its boot plus the application's warm-up, and is billed from launch."""
    reactive = {}
    for startup, warmup in ((96.9, 0), (96.9, 600), (696.9, 0)):
        row = res.simulate_year(startup_s=startup, warmup_s=warmup).summary.set_index("strategy").loc["reactive"]
        reactive[startup, warmup] = row
    plain, warm, slow = reactive[96.9, 0], reactive[96.9, 600], reactive[696.9, 0]
    assert warm["unserved_instance_hours"] > 2 * plain["unserved_instance_hours"]
    for column in ("unserved_instance_hours", "billed_instance_hours", "utilization", "p99_latency_x"):
        assert warm[column] == pytest.approx(slow[column], rel=1e-12), column  # the same lag, however it is split
    # by hand: the sale's first hour (hour 312 x 24) is short by (demand - capacity) x (reaction + lag) / 3600
    sim = res.simulate_year(warmup_s=600)
    hour = 312 * 24
    short = (sim.demand[hour] - sim.previous["reactive"][hour]) * (60 + 96.9 + 600) / 3600
    assert sim.hourly["reactive"]["unserved"][hour] == pytest.approx(short)
    assert res.simulate_year(warmup_s=0).summary.equals(res.simulate_year().summary)  # default 0: unchanged


def test_a_higher_target_uses_fewer_instances_but_queues_more():
    low = res.simulate_year(target_utilization=0.5).summary.set_index("strategy").loc["reactive"]
    high = res.simulate_year(target_utilization=0.9).summary.set_index("strategy").loc["reactive"]
    assert high["billed_instance_hours"] < low["billed_instance_hours"]
    assert high["p99_latency_x"] > low["p99_latency_x"]
    assert high["unserved_instance_hours"] > low["unserved_instance_hours"]


def test_simulate_year_takes_its_defaults_from_the_data_file():
    defaults = res.elasticity_defaults()
    sim = res.simulate_year()
    assert sim.settings["target_utilization"] == defaults["target_utilization"]
    assert sim.settings["startup_s"] == pytest.approx(96.9)  # EC2 Linux 2012, from startup_times.csv
    assert sim.settings["scale_out_at"] == pytest.approx(defaults["target_utilization"] * 1.1)
    table = res.elasticity_parameters()
    assert (table["label"].str.len() <= 22).all()
    assert ((table["minimum"] <= table["default"]) & (table["default"] <= table["maximum"])).all()


def test_hourly_table():
    sim = res.simulate_year()
    table = sim.hourly_table("reactive", start_hour=100, hours=24)
    assert list(table["hour"]) == list(range(100, 124))
    assert (table["utilization"] <= 1 + 1e-12).all()
    with pytest.raises(ValueError, match="strategy"):
        sim.hourly_table("elastic")
    with pytest.raises(ValueError, match="hours"):
        sim.hourly_table("reactive", start_hour=8750, hours=20)


# ------------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(("name", "bad"), [
    ("target_utilization", 0), ("target_utilization", 1.5), ("tolerance", -0.1), ("cooldown_s", -1),
    ("scale_in_hours", 0), ("scale_in_hours", 1.5), ("reaction_s", 4000), ("startup_s", 3590),
    ("min_instances", -1), ("max_instances", 0), ("fixed_quantile", 1.1), ("schedule_margin", -0.1),
    ("base_quantile", 2), ("scale_out_at", 0.1), ("scale_in_at", 0.99), ("warmup_s", -1), ("warmup_s", 3500),
])
def test_simulate_rejects_bad_settings_by_name(name, bad):
    with pytest.raises(ValueError, match=name):
        res.simulate([1.0, 2.0, 3.0], **{name: bad})


@pytest.mark.parametrize("name", ["target_utilization", "cooldown_s", "reaction_s", "startup_s", "warmup_s", "min_instances",
                                  "fixed_quantile", "base_quantile", "schedule_margin", "tolerance"])
@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "0.5"])
def test_simulate_refuses_bools_nans_and_strings(name, bad):
    with pytest.raises(ValueError, match=name):
        res.simulate([1.0, 2.0, 3.0], **{name: bad})


@pytest.mark.parametrize("bad", [[], [1, -2], [1, float("nan")], "12", [True, False], np.array([True]),
                                 pd.DataFrame({"demand": [1.0]}), [[1, 2]]])
def test_demand_series_is_validated(bad):
    with pytest.raises(ValueError, match="demand"):
        res.simulate(bad)


def test_unknown_settings_and_mismatched_forecast():
    with pytest.raises(ValueError, match="settings must be among"):
        res.simulate([1.0], target=0.5)
    with pytest.raises(ValueError, match="forecast"):
        res.simulate([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="arguments must be among"):
        res.simulate_year(colour="red")
    with pytest.raises(ValueError, match="desired and previous"):
        res.phases([1, 2], [1], reaction_s=0, startup_s=0)
    with pytest.raises(ValueError, match="parts"):
        res.hour_metrics([1.0], {"before": [1]})
    with pytest.raises(ValueError, match="weights"):
        res.weighted_quantile([1, 2], [0, 0], 0.5)
    with pytest.raises(ValueError, match="utilization"):
        res.p99_latency_multiple(1.5)


# ------------------------------------------------------------------------------------------------ cost
def test_costs_of_a_fixed_fleet_by_hand():
    """Chapter 5's bill of a rented instance-hour: compute, cloud storage and internet egress (+ rounding)."""
    p = cost.default_parameters()
    sim = res.simulate([60.0] * 8760, target_utilization=0.6, min_instances=0)  # 100 instances all year
    fixed = res.strategy_costs(sim).set_index("strategy").loc["fixed_peak"]
    hours = 100 * 8760
    storage = hours / 730 * p["storage_gb_per_instance"] * p["cloud_storage_usd_per_gb_month"]
    egress = hours / 730 * p["egress_gb_per_vm_month"] * p["egress_usd_per_gb"]
    rounding = fixed["rounding_instance_hours"]
    assert fixed["rented_instance_hours"] == pytest.approx(hours)
    assert fixed["total_usd"] == pytest.approx((hours + rounding) * p["on_demand_usd_per_hour"] + storage + egress)
    plan = res.strategy_costs(sim, pricing="savings plan").set_index("strategy").loc["fixed_peak"]
    discount = cost.savings_plan_discount(p["savings_plan_term_years"], p["savings_plan_discount_1y"],
                                          p["savings_plan_discount_3y"])
    compute = hours * p["on_demand_usd_per_hour"] * (1 - discount)
    # a flat fleet is fully committed; the rounding hours are billed on demand
    assert plan["total_usd"] == pytest.approx(compute + storage + egress + rounding * p["on_demand_usd_per_hour"],
                                              rel=1e-6)
    spot = res.strategy_costs(sim, pricing="spot").set_index("strategy").loc["fixed_peak"]
    assert spot["total_usd"] < plan["total_usd"]


def test_rented_cost_is_chapter_5s_bill_of_the_hourly_path():
    sim = res.simulate_year()
    path = sim.hourly["reactive"]["billed"]
    for pricing, option in (("on-demand", "on-demand"), ("savings plan", "savings plan"), ("spot", "spot")):
        monthly = cost.monthly_cost_by_option(path)
        expected = monthly.loc[monthly["option"] == option, "cost_usd_per_month"].sum() * 12
        row = res.strategy_costs(sim, pricing=pricing, billing="per second").set_index("strategy").loc["reactive"]
        assert row["rented_usd"] == pytest.approx(expected, rel=1e-3)  # + a second-granularity rounding


def test_per_hour_billing_rounds_every_launch_up_by_half_an_hour_on_average():
    sim = res.simulate_year()
    second = res.strategy_costs(sim).set_index("strategy")
    hour = res.strategy_costs(sim, billing="per hour").set_index("strategy")
    launches = sim.launches["reactive"]
    assert hour.loc["reactive", "rounding_instance_hours"] == pytest.approx(launches * 0.5, rel=1e-3)
    assert second.loc["reactive", "rounding_instance_hours"] < 1e-3 * launches
    assert hour.loc["reactive", "total_usd"] > second.loc["reactive", "total_usd"]


def test_hybrid_owned_cost_is_chapter_5s_on_premises_cost():
    sim = res.simulate_year()
    base = sim.owned["hybrid"]
    monthly = cost.monthly_cost_by_option(np.minimum(sim.demand, base), capacity_instances=base)
    expected = monthly.loc[monthly["option"] == "on-premises", "cost_usd_per_month"].sum() * 12
    assert res.strategy_costs(sim).set_index("strategy").loc["hybrid", "owned_usd"] == pytest.approx(expected)
    dearer = res.strategy_costs(sim, server_price_usd=60000).set_index("strategy").loc["hybrid", "owned_usd"]
    assert dearer > expected


def test_strategy_costs_rejects_bad_input():
    sim = res.simulate([1.0, 2.0])
    for kwargs, name in (({"pricing": "reserved"}, "pricing"), ({"billing": "per minute"}, "billing"),
                         ({"on_demand_usd_per_hour": -1}, "on_demand_usd_per_hour"),
                         ({"colour": 1}, "parameter name")):
        with pytest.raises(ValueError, match=name):
            res.strategy_costs(sim, **kwargs)
    with pytest.raises(ValueError, match="simulation"):
        res.strategy_costs(sim.summary)


def test_whole_instances_rounds_up_and_refuses_a_count_no_integer_holds():
    from helpers import demand

    # 100.00000000000001 is 100 that floating point nudged up: it stays 100, while 3.2 needs 4 instances
    assert list(demand.whole_instances([3.2, 100.00000000000001, 0.0])) == [4, 100, 0]
    with pytest.raises(ValueError, match="demand"):  # would cast to a garbage integer with only a warning
        demand.whole_instances([1e300])
