"""The article's Double-11 case, recomputed under stated assumptions (chapter 05).

The article: an e-commerce company scaled out on cloud servers for Double 11, "saving
$1.2M in hardware purchases", and locked in AWS Savings Plans discounts, "saving $850k a
year" (claims cost-10, cost-11). It names no company, fleet or baseline, so this module
invents a shop, labels every number of it an assumption, and computes:

* :func:`double11_demand`: the shop's year, hour by hour (seeded);
* :func:`double11_case`: four ways to serve it, by cost component, with the hardware not
  bought and the savings-plan saving;
* :func:`double11_article_requirements`: what one would have to assume for the article's
  two figures to hold (back-solved from the model).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cost_comparing import monthly_cost_by_option
from .cost_owning import hosts_needed
from .cost_inputs import (ARTICLE_HARDWARE_SAVING_USD, ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR, HOURS_PER_YEAR,
                              ON_DEMAND, ON_PREMISES, SAVINGS_PLAN, resolve_parameters)
from .cost_renting import demand_profile, optimal_commitment_instances, savings_plan_discount
from .demand import MAX_BASE_INSTANCES, MAX_SALE_MULTIPLIER, SALE_START_DAY
from .validation import require_integer, require_number

__all__ = ["DOUBLE11_ASSUMPTIONS", "DOUBLE11_STRATEGIES", "double11_assumptions", "double11_demand", "double11_case",
           "double11_article_requirements"]

#: The shop is invented: these are ASSUMPTIONS for illustration, not facts from the article (which names no
#: company, fleet size or baseline). Each can be changed in double11_case().
DOUBLE11_ASSUMPTIONS = {
    "normal_instances": (500.0, "instances (m5.large-sized VMs)", "Average demand outside the sale."),
    "daily_swing_fraction": (0.3, "fraction", "Daily cycle: peak 30 % above the average at 14:00."),
    "peak_multiplier": (5.0, "x normal", "Demand during the sale is k x normal."),
    "peak_days": (3.0, "days", "Length of the sale peak (9-11 November)."),
    "noise_fraction": (0.05, "fraction", "Hour-to-hour noise (seeded)."),
}
DOUBLE11_STRATEGIES = ("own for the peak", "own the base, rent the peak", "on-demand", "savings plan + on-demand")


def double11_assumptions() -> pd.DataFrame:
    """The Double-11 shop's assumptions as a table (all labelled ``assumption``: the article gives none)."""
    return pd.DataFrame([{"assumption": name, "value": value, "unit": unit, "meaning": meaning,
                          "kind": "assumption (illustrative; not from the article)"}
                         for name, (value, unit, meaning) in DOUBLE11_ASSUMPTIONS.items()])


def double11_demand(*, normal_instances: float = 500, peak_multiplier: float = 5, peak_days: int = 3,
                    daily_swing_fraction: float = 0.3, noise_fraction: float = 0.05, seed: int = 11) -> np.ndarray:
    """One year (8,760 hours) of the assumed shop's demand, with the sale peak from 9 November.

    The course's one generator (:mod:`helpers.demand`, via :func:`helpers.cost.demand_profile`): chapter 3's
    year with no weekend dip and no growth, rounded up to whole instances.

    Arguments are checked under their own names (``peak_days`` may be 0-53: the sale cannot run past 31 December).
    """
    normal = require_number("normal_instances", normal_instances, minimum=0, maximum=MAX_BASE_INSTANCES,
                            unit="instances")
    multiplier = require_number("peak_multiplier", peak_multiplier, minimum=1, maximum=MAX_SALE_MULTIPLIER,
                                unit="x normal")
    days = require_integer("peak_days", peak_days, minimum=0, maximum=365 - SALE_START_DAY)
    return demand_profile(days=365, baseline_instances=normal, daily_swing_fraction=daily_swing_fraction,
                          noise_fraction=noise_fraction, spike_start_day=SALE_START_DAY,
                          spike_days=days, spike_multiplier=multiplier, seed=seed)


def double11_case(*, normal_instances: float = 500, peak_multiplier: float = 5, peak_days: int = 3,
                  daily_swing_fraction: float = 0.3, noise_fraction: float = 0.05, seed: int = 11,
                  **parameters) -> pd.DataFrame:
    """Annual cost (USD per year) of four ways to serve the assumed shop's year, by component.

    * ``own for the peak``: buy servers (and spares) for the sale peak and keep them all year;
    * ``own the base, rent the peak``: own enough for the rest of the year's peak, rent the excess on demand;
    * ``on-demand``: rent every instance-hour;
    * ``savings plan + on-demand``: commit to the optimal baseline (the term's discount), rent the rest.

    Columns ``strategy``, ``component``, ``cost_usd_per_year``, ``hosts`` (owned, spares included).
    ``attrs`` holds the hardware not bought (USD), the savings-plan saving vs on-demand (USD per
    year), peak and base hosts, and the totals by strategy.
    """
    require_number("normal_instances", normal_instances, minimum=0, min_inclusive=False, maximum=MAX_BASE_INSTANCES,
                   unit="instances (a shop with no demand has no case)")
    demand = double11_demand(normal_instances=normal_instances, peak_multiplier=peak_multiplier,
                             peak_days=peak_days, daily_swing_fraction=daily_swing_fraction,
                             noise_fraction=noise_fraction, seed=seed)
    values = resolve_parameters(parameters)
    yearly = monthly_cost_by_option(demand, **values)
    day = np.arange(demand.size) // 24
    in_sale = (day >= SALE_START_DAY) & (day < SALE_START_DAY + int(peak_days))
    base_capacity = float(demand[~in_sale].max())
    hybrid_owned = monthly_cost_by_option(np.minimum(demand, base_capacity), capacity_instances=base_capacity,
                                          **values)
    hybrid_owned = hybrid_owned[hybrid_owned["option"] == ON_PREMISES]
    burst = monthly_cost_by_option(np.clip(demand - base_capacity, 0, None), **values)
    burst = burst[burst["option"] == ON_DEMAND]
    hybrid = hybrid_owned.assign(cost_usd_per_month=hybrid_owned["cost_usd_per_month"].to_numpy()
                                 + burst["cost_usd_per_month"].to_numpy())
    spares = int(values["spare_hosts"])
    hosts_peak = hosts_needed(float(demand.max()), values["vms_per_host"])
    hosts_base = hosts_needed(base_capacity, values["vms_per_host"])
    parts = [
        (DOUBLE11_STRATEGIES[0], yearly[yearly["option"] == ON_PREMISES], hosts_peak + spares),
        (DOUBLE11_STRATEGIES[1], hybrid, hosts_base + spares),
        (DOUBLE11_STRATEGIES[2], yearly[yearly["option"] == ON_DEMAND], 0),
        (DOUBLE11_STRATEGIES[3], yearly[yearly["option"] == SAVINGS_PLAN], 0),
    ]
    table = pd.concat([frame.assign(strategy=name, hosts=hosts, cost_usd_per_year=frame["cost_usd_per_month"] * 12)
                       [["strategy", "component", "cost_usd_per_year", "hosts"]] for name, frame, hosts in parts],
                      ignore_index=True)
    totals = table.groupby("strategy", sort=False)["cost_usd_per_year"].sum()
    discount = savings_plan_discount(values["savings_plan_term_years"], values["savings_plan_discount_1y"],
                                     values["savings_plan_discount_3y"])
    table.attrs.update({
        "hosts_peak": hosts_peak, "hosts_base": hosts_base, "spare_hosts": spares,
        "peak_instances": int(demand.max()), "base_instances": base_capacity, "mean_instances": float(demand.mean()),
        "utilization_own_for_peak": float(demand.mean() / (hosts_peak * values["vms_per_host"])),
        "hardware_not_bought_usd": (hosts_peak - hosts_base) * values["server_price_usd"],
        "savings_plan_saving_usd_per_year": float(totals["on-demand"] - totals["savings plan + on-demand"]),
        "committed_instances": optimal_commitment_instances(demand, discount),
        "savings_plan_discount": discount,
        "totals_usd_per_year": totals.to_dict(),
    })
    return table


def double11_article_requirements(*, hardware_saving_usd: float = ARTICLE_HARDWARE_SAVING_USD,
                                  savings_plan_saving_usd_per_year: float = ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR,
                                  peak_multiplier: float = 5, **parameters) -> pd.DataFrame:
    """What one would have to assume for the article's Double-11 figures to hold (back-solved from the model).

    * Hardware not bought = extra servers for the peak x server price, so
      extra servers = saving / price and extra peak VMs = that x vms_per_host;
      with a sale peak of k x normal, normal VMs = extra VMs / (k - 1).
    * A savings plan saves discount x price x 8,760 h per committed instance per year (the
      discount of ``savings_plan_term_years``), so committed instances = saving / (discount x price x 8,760).

    Columns ``quantity``, ``value``, ``unit``, ``how``.
    """
    hardware = require_number("hardware_saving_usd", hardware_saving_usd, minimum=0, unit="USD")
    plan = require_number("savings_plan_saving_usd_per_year", savings_plan_saving_usd_per_year, minimum=0)
    multiplier = require_number("peak_multiplier", peak_multiplier, minimum=1, maximum=1000, min_inclusive=False)
    values = resolve_parameters(parameters)
    discount = savings_plan_discount(values["savings_plan_term_years"], values["savings_plan_discount_1y"],
                                     values["savings_plan_discount_3y"])
    extra_hosts = hardware / values["server_price_usd"]
    extra_vms = extra_hosts * values["vms_per_host"]
    normal_vms = extra_vms / (multiplier - 1)
    per_instance_saving = discount * values["on_demand_usd_per_hour"] * HOURS_PER_YEAR
    committed = plan / per_instance_saving if per_instance_saving > 0 else float("inf")
    term = int(values["savings_plan_term_years"])
    rows = [
        ("servers not bought", extra_hosts, "servers", f"{hardware:,.0f} USD / {values['server_price_usd']:,.0f} USD"),
        ("extra VMs at the peak", extra_vms, "VMs", f"servers x {values['vms_per_host']:g} VMs per host"),
        ("normal VMs (peak = k x normal)", normal_vms, "VMs", f"extra VMs / ({multiplier:g} - 1)"),
        ("VMs committed all year", committed, "VMs",
         f"{plan:,.0f} USD / ({discount:.0%} ({term}-year term) x {values['on_demand_usd_per_hour']} USD/h x 8,760 h)"),
        ("on-demand spend that commitment replaces", committed * values["on_demand_usd_per_hour"] * HOURS_PER_YEAR,
         "USD per year", "committed VMs x price x 8,760 h"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "unit", "how"])
