"""What renting cloud capacity costs: prices, commitments, spot and billing (chapter 05; reused by chapter 03).

Pure functions of numbers and arrays: no data files are read except by
:func:`cloud_price_table`, nothing is cached, nothing is drawn. A simulator can call
them hour by hour:

* :func:`on_demand_cost_usd`: instance-hours x price;
* savings plans: :func:`savings_plan_discount` (the term picks its discount),
  :func:`optimal_commitment_instances`, :func:`savings_plan_cost_usd`,
  :func:`commitment_factor` (a term is paid in full);
* spot: :func:`spot_billed_hours` (redone work from an interruption rate per
  instance-month and a job length), :func:`spot_cost_usd`;
* :func:`egress_cost_usd`: data sent to the internet;
* billing granularity: :func:`billed_seconds`, :func:`billing_comparison`;
* :func:`demand_profile`: a seeded synthetic hourly demand in whole instances (the course's one
  generator, :mod:`helpers.demand`, with no weekend dip and no growth);
* :func:`cloud_price_table`: reference list prices per vCPU-hour.

Money is in USD, time in hours unless a name says otherwise (``_s`` seconds).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .cost_inputs import ARTICLE_USD_PER_CORE_HOUR, HOURS_PER_MONTH, check_parameter, require_numbers
from .cost_owning import years_paid_factor
from .data import load
from .demand import MAX_BASE_INSTANCES, MAX_SALE_MULTIPLIER, demand_year, whole_instances
from .validation import require_choice, require_fraction, require_integer, require_number

__all__ = [
    "on_demand_cost_usd", "savings_plan_discount", "optimal_commitment_instances", "savings_plan_cost_usd",
    "commitment_factor", "spot_billed_hours", "spot_cost_usd", "egress_cost_usd", "billed_seconds",
    "billing_comparison", "cloud_price_table", "demand_profile",
]


def on_demand_cost_usd(instance_hours: float, on_demand_usd_per_hour: float) -> float:
    """On-demand bill: instance-hours x hourly price (USD)."""
    hours = require_number("instance_hours", instance_hours, minimum=0, unit="instance-hours")
    return hours * check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)


def savings_plan_discount(savings_plan_term_years: int, savings_plan_discount_1y: float,
                          savings_plan_discount_3y: float) -> float:
    """The discount that applies to a commitment of ``savings_plan_term_years`` (1 or 3): like with like."""
    term = check_parameter("savings_plan_term_years", savings_plan_term_years)
    one = check_parameter("savings_plan_discount_1y", savings_plan_discount_1y)
    three = check_parameter("savings_plan_discount_3y", savings_plan_discount_3y)
    return one if term == 1 else three


def commitment_factor(horizon_years: float, savings_plan_term_years: int) -> float:
    """Years of commitment paid per year used: a term is paid in full even if the horizon ends sooner.

    Example: a 3-year term over a 5-year horizon is two terms, 6 years paid for 5 used: 1.2.
    """
    return years_paid_factor(horizon_years, check_parameter("savings_plan_term_years", savings_plan_term_years))


def optimal_commitment_instances(demand_instances_per_hour, savings_plan_discount: float) -> float:
    """The cheapest savings-plan baseline for an hourly demand: its ``discount`` quantile (instances).

    Committing one more instance costs (1 - d) x price every hour and saves the
    on-demand price in every hour where demand exceeds the baseline; the two
    balance where demand exceeds the baseline in a share (1 - d) of the hours,
    i.e. at the d-quantile of demand.
    """
    demand = require_numbers("demand_instances_per_hour", demand_instances_per_hour, minimum=0)
    discount = check_parameter("savings_plan_discount", savings_plan_discount)
    return float(np.quantile(demand, discount, method="inverted_cdf"))


def savings_plan_cost_usd(demand_instances_per_hour, committed_instances: float, on_demand_usd_per_hour: float,
                          savings_plan_discount: float) -> dict[str, float]:
    """Bill for an hourly demand with a savings plan covering ``committed_instances`` every hour.

    The commitment is paid at (1 - discount) x on-demand price in every hour whether
    used or not; demand above it is billed on demand. Returns
    ``{"committed_usd", "on_demand_usd", "total_usd"}`` for the hours given.
    """
    demand = require_numbers("demand_instances_per_hour", demand_instances_per_hour, minimum=0)
    committed = require_number("committed_instances", committed_instances, minimum=0, unit="instances")
    price = check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    discount = check_parameter("savings_plan_discount", savings_plan_discount)
    committed_usd = committed * demand.size * price * (1 - discount)
    excess_usd = float(np.clip(demand - committed, 0, None).sum()) * price
    return {"committed_usd": committed_usd, "on_demand_usd": excess_usd, "total_usd": committed_usd + excess_usd}


def spot_billed_hours(useful_hours: float, spot_interruption_rate: float, spot_job_hours: float) -> float:
    """Hours billed on spot to finish ``useful_hours`` of work when interrupted work is redone.

    Interruptions arrive at m = ``spot_interruption_rate`` / 730 per hour (the Spot
    Instance Advisor gives a rate per instance-month); a job of ``spot_job_hours`` = T
    hours that is interrupted starts again from its beginning (or last checkpoint).
    The expected time to finish it is (e^(mT) - 1) / m, so
    billed = useful x (e^(mT) - 1) / (mT), about useful x (1 + mT / 2) for small mT;
    1 x useful when T = 0 (stateless work). Example: 0.2 per month, T = 730 h: mT = 0.2,
    billed = useful x 1.1070.
    """
    hours = require_number("useful_hours", useful_hours, minimum=0, unit="h")
    rate = check_parameter("spot_interruption_rate", spot_interruption_rate) / HOURS_PER_MONTH
    job = check_parameter("spot_job_hours", spot_job_hours)
    exponent = rate * job
    if exponent == 0:
        return hours
    if exponent > 700:
        raise ValueError(f"spot_job_hours x spot_interruption_rate is too large: a {job:g}-hour job would practically "
                         "never finish between interruptions")
    return hours * math.expm1(exponent) / exponent


def spot_cost_usd(useful_hours: float, on_demand_usd_per_hour: float, spot_discount: float,
                  spot_interruption_rate: float, spot_job_hours: float) -> float:
    """Spot bill (USD): billed hours (see :func:`spot_billed_hours`) x on-demand price x (1 - spot_discount)."""
    billed = spot_billed_hours(useful_hours, spot_interruption_rate, spot_job_hours)
    price = check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    return billed * price * (1 - check_parameter("spot_discount", spot_discount))


def egress_cost_usd(gb: float, egress_usd_per_gb: float) -> float:
    """Data sent from the cloud to the internet: GB x USD per GB (one flat tier, no free allowance)."""
    size = require_number("gb", gb, minimum=0, unit="GB")
    return size * check_parameter("egress_usd_per_gb", egress_usd_per_gb)


def billed_seconds(durations_s, granularity: str, billing_minimum_s: float = 60) -> np.ndarray:
    """Seconds billed for each run: ``"hour"`` bills every started hour, ``"second"`` whole seconds with a minimum.

    ``billing_minimum_s`` applies to per-second billing (AWS Linux: 60 s since Oct 2017).
    """
    durations = require_numbers("durations_s", durations_s, minimum=0)
    require_choice("granularity", granularity, ("hour", "second"))
    minimum = check_parameter("billing_minimum_s", billing_minimum_s)
    if granularity == "hour":
        return np.maximum(np.ceil(durations / 3600 - 1e-9), 1) * 3600
    return np.maximum(np.ceil(durations - 1e-9), minimum)


def billing_comparison(durations_s, on_demand_usd_per_hour: float = 0.096,
                       billing_minimum_s: float = 60) -> pd.DataFrame:
    """The same runs billed per started hour and per second: billed hours and cost (USD) each way.

    Columns: ``billing``, ``runs``, ``used_hours``, ``billed_hours``, ``cost_usd``.
    """
    durations = require_numbers("durations_s", durations_s, minimum=0)
    price = check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    minimum = check_parameter("billing_minimum_s", billing_minimum_s)
    rows = []
    for granularity, label in (("hour", "per started hour"), ("second", f"per second, {minimum:g} s minimum")):
        billed_h = float(billed_seconds(durations, granularity, minimum).sum()) / 3600
        rows.append({"billing": label, "runs": int(durations.size), "used_hours": float(durations.sum()) / 3600,
                     "billed_hours": billed_h, "cost_usd": billed_h * price})
    return pd.DataFrame(rows)


def cloud_price_table(article_usd_per_core_hour: float = ARTICLE_USD_PER_CORE_HOUR) -> pd.DataFrame:
    """``cloud_prices.csv`` with the price per vCPU-hour and how many times the article's figure exceeds it.

    The article quotes USD per 核 (core)-hour. In Chinese cloud marketing 核 is one vCPU
    (1核4G = 1 vCPU, 4 GiB; Alibaba Cloud's APIs give vCPU counts "单位:核"), so
    ``article_vs_vcpu_price`` is the like-for-like ratio. Read as a physical core (2 vCPU =
    2 threads of one core on these instances), ``article_vs_core_price`` compares with
    2 x the vCPU-hour price.
    """
    article = require_number("article_usd_per_core_hour", article_usd_per_core_hour, minimum=0, min_inclusive=False)
    table = load("cloud_prices")
    table["usd_per_vcpu_hour"] = table["price_usd_per_hour"] / table["vcpu"]
    table["article_vs_vcpu_price"] = article / table["usd_per_vcpu_hour"]
    table["article_vs_core_price"] = article / (2 * table["usd_per_vcpu_hour"])
    return table[["provider", "instance_type", "region", "vcpu", "memory_gib", "price_model", "as_of",
                  "price_usd_per_hour", "usd_per_vcpu_hour", "article_vs_vcpu_price", "article_vs_core_price"]]


def demand_profile(*, days: int = 30, baseline_instances: float = 100, daily_swing_fraction: float = 0.3,
                   noise_fraction: float = 0.05, spike_start_day: int = 0, spike_days: int = 0,
                   spike_multiplier: float = 1.0, seed: int = 0) -> np.ndarray:
    """A synthetic hourly demand (whole instances per hour), deterministic for a given ``seed``.

    The course's one generator, :func:`helpers.demand.demand_year`, with no weekend dip and no
    growth, rounded up to whole instances:
    demand(h) = baseline x (1 + swing x sin(2 pi (hour_of_day - 8) / 24)) x (1 + noise x N(0, 1)),
    peaking at 14:00; during ``spike_days`` days from ``spike_start_day`` (0 = first day)
    it is multiplied by ``spike_multiplier``. Never negative. Arguments are checked under their own
    names: ``days`` 1-3,660, ``baseline_instances`` 0-1,000,000, ``daily_swing_fraction`` 0-1,
    ``noise_fraction`` 0-0.5, ``spike_multiplier`` 1-100.
    """
    n_days = require_integer("days", days, minimum=1, maximum=3660)
    start = require_integer("spike_start_day", spike_start_day, minimum=0, maximum=n_days - 1)
    level = demand_year(
        days=n_days,
        base_instances=require_number("baseline_instances", baseline_instances, minimum=0,
                                      maximum=MAX_BASE_INSTANCES, unit="instances"),
        daily_swing=require_fraction("daily_swing_fraction", daily_swing_fraction),
        noise=require_number("noise_fraction", noise_fraction, minimum=0, maximum=0.5),
        sale_start_day=start,
        sale_days=require_integer("spike_days", spike_days, minimum=0, maximum=n_days - start),
        sale_multiplier=require_number("spike_multiplier", spike_multiplier, minimum=1, maximum=MAX_SALE_MULTIPLIER),
        seed=require_integer("seed", seed, minimum=0, maximum=2**63 - 1),
        weekend_dip=0.0, growth_per_year=0.0)
    return whole_instances(level)
