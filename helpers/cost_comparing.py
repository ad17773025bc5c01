"""Owning vs renting, side by side: monthly costs by component, the break-even utilisation, what moves it.

Adds up the building blocks of :mod:`helpers.cost_owning` and :mod:`helpers.cost_renting`
for a fleet provisioned for ``capacity_instances`` VMs of the m5.large shape:

* on-premises: ``hosts_needed(capacity)`` servers plus ``spare_hosts`` (N+k), each with its
  capital (server, network, facility; an annuity at the cost of capital, whose excess
  over straight-line is shown as "interest"), hypervisor licence, post-warranty support,
  facility operations and staff; energy from the power curve at the host CPU load the
  running VMs make; storage for the capacity;
* on-demand, savings plan (the term's discount, paid for whole terms) and spot
  (redone work from interruptions): compute, storage and internet egress for the VMs
  that run.

Two engines share these rules: :func:`monthly_cost_by_option` for an hourly demand and
:func:`costs_at_utilization` for an average utilisation (mean demand / capacity).
:func:`break_even_utilization` solves where owning starts to win; :func:`sensitivity`,
:func:`preset_break_evens` and :func:`break_even_walk` show why it lands where it does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import cost_owning as owning
from . import cost_renting as renting
from .cost_inputs import (CLOUD_OPTIONS, COMPONENTS, DEFAULT_FLEET_VMS, DEFAULT_PRESET, DEFAULT_SERVER,
                              HOURS_PER_MONTH, ON_DEMAND, ON_PREMISES, OPTIONS, PRESETS, SAVINGS_PLAN, SPOT, VM_VCPUS,
                              cost_parameters, preset_parameters, require_cost_frame, require_numbers,
                              resolve_parameters, server_spec)
from .validation import require_choice, require_fraction, require_number

__all__ = [
    "owned_costs_per_host_month", "monthly_cost_by_option", "cost_table", "cost_over_horizon",
    "costs_at_utilization", "cost_curves", "utilization_knots", "break_even_utilization", "monthly_saving_usd",
    "licence_at_break_even", "sensitivity", "SENSITIVITY_OUTPUTS", "preset_break_evens", "break_even_walk",
]

#: Per-host costs (USD per host-month); spare hosts carry all of them.
PER_HOST_COMPONENTS = ("capital", "interest", "licence", "support", "facility ops", "staff")


def _horizon(values: dict, horizon_years) -> float:
    if horizon_years is None:
        return values["server_lifetime_years"]
    return require_number("horizon_years", horizon_years, minimum=0, maximum=30, min_inclusive=False, unit="years")


def _capacity(capacity_instances) -> float:
    return require_number("capacity_instances", capacity_instances, minimum=0, min_inclusive=False, maximum=1e7,
                          unit="instances")


def owned_costs_per_host_month(horizon_years: float | None = None, server: str = DEFAULT_SERVER,
                               **parameters) -> dict[str, float]:
    """What one owned host costs per month, by component (USD), whatever it runs.

    * capital: server + network gear (server price x (1 + network share)) over the server's
      life, paid in full even if the horizon is shorter, plus the facility plant for the
      host's full-load watts over the facility's life, both straight-line;
    * interest: what the annuity at ``cost_of_capital`` adds to that straight-line capital;
    * licence: the hypervisor per licensed core; support: after the warranty years;
    * facility ops: running the building per kW; staff: administrators per server.
    """
    values = resolve_parameters(parameters)
    require_choice("server", server, owning.server_names())
    horizon = _horizon(values, horizon_years)
    rate, lifetime = values["cost_of_capital"], values["server_lifetime_years"]
    hardware_price = values["server_price_usd"] * (1 + values["network_capex_fraction"])
    paid = owning.years_paid_factor(horizon, lifetime)
    straight_hw = owning.server_capital_usd_per_month(hardware_price, lifetime) * paid
    annuity_hw = owning.server_capital_usd_per_month(hardware_price, lifetime, rate) * paid
    peak_w = float(owning.server_power_w(1.0, server))
    straight_fac = owning.facility_cost_usd_per_month(peak_w, values["facility_usd_per_w"],
                                                      values["facility_lifetime_years"])
    annuity_fac = owning.facility_cost_usd_per_month(peak_w, values["facility_usd_per_w"],
                                                     values["facility_lifetime_years"], rate)
    return {
        "capital": straight_hw + straight_fac,
        "interest": (annuity_hw - straight_hw) + (annuity_fac - straight_fac),
        "licence": owning.licence_usd_per_host_month(values["licence_usd_per_core_year"], server,
                                                     values["licence_min_cores_per_cpu"]),
        "support": owning.post_warranty_support_usd_per_month(values["server_price_usd"],
                                                              values["post_warranty_support_fraction"], lifetime,
                                                              horizon),
        "facility ops": owning.facility_operations_usd_per_month(peak_w, values["facility_opex_usd_per_kw_month"]),
        "staff": owning.staff_cost_usd_per_server_month(values["admin_salary_usd_per_year"],
                                                        values["servers_per_admin"], values["admin_overhead_factor"]),
    }


def _owned_fleet(values: dict, capacity: float, horizon: float, server: str) -> tuple[dict[str, float], int]:
    """Fixed monthly costs of the owned fleet by component, and the number of hosts (spares included)."""
    hosts = owning.hosts_needed(capacity, values["vms_per_host"])
    spares = int(values["spare_hosts"]) if hosts else 0
    per_host = owned_costs_per_host_month(horizon, server, **values)
    fixed = {name: hosts * cost for name, cost in per_host.items()}
    fixed["spare hosts"] = spares * sum(per_host.values())
    fixed["storage"] = owning.storage_cost_usd_per_month(capacity * values["storage_gb_per_instance"],
                                                         values["storage_usd_per_gb_month"])
    return fixed, hosts + spares


def _owned_energy(running_vms, hosts_total: int, values: dict, server: str) -> np.ndarray:
    """Energy (USD per month) of the whole fleet when ``running_vms`` VMs (an array) run, spread over every host."""
    running = np.atleast_1d(np.asarray(running_vms, float))
    if hosts_total == 0:
        return np.zeros_like(running)
    load = owning.host_cpu_load(running, hosts_total, values["vm_cpu_utilization"], server)
    watts = hosts_total * owning.server_power_w(load, server)
    return owning.energy_cost_usd_per_month(watts, values["pue"], values["electricity_usd_per_kwh"])


def _cloud_per_vm_month(values: dict, horizon: float) -> dict[str, dict[str, float]]:
    """What one VM running all month costs with each cloud option, by component (USD).

    The savings plan assumes the VM is covered by the commitment (a steady load), paid for whole terms.
    """
    price = values["on_demand_usd_per_hour"]
    storage = owning.storage_cost_usd_per_month(values["storage_gb_per_instance"],
                                                values["cloud_storage_usd_per_gb_month"])
    egress = renting.egress_cost_usd(values["egress_gb_per_vm_month"], values["egress_usd_per_gb"])
    discount = _plan_discount(values)
    committed = renting.savings_plan_cost_usd(np.ones(1), 1, price, discount)["committed_usd"] * HOURS_PER_MONTH
    redo = renting.spot_billed_hours(1.0, values["spot_interruption_rate"], values["spot_job_hours"])
    return {
        ON_DEMAND: {"compute": renting.on_demand_cost_usd(HOURS_PER_MONTH, price), "storage": storage,
                    "egress": egress},
        SAVINGS_PLAN: {"compute": committed * renting.commitment_factor(horizon, values["savings_plan_term_years"]),
                       "storage": storage, "egress": egress},
        SPOT: {"compute": renting.spot_cost_usd(HOURS_PER_MONTH, price, values["spot_discount"],
                                                values["spot_interruption_rate"], values["spot_job_hours"]),
               "storage": storage * redo, "egress": egress},
    }


def _plan_discount(values: dict) -> float:
    return renting.savings_plan_discount(values["savings_plan_term_years"], values["savings_plan_discount_1y"],
                                         values["savings_plan_discount_3y"])


def _tidy(rows: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([(option, component, float(parts.get(component, 0.0)))
                         for option, parts in rows.items() for component in COMPONENTS],
                        columns=["option", "component", "cost_usd_per_month"])


# ---------------------------------------------------------------------------------------------------------
# An hourly demand
# ---------------------------------------------------------------------------------------------------------
def monthly_cost_by_option(demand_instances_per_hour, *, capacity_instances: float | None = None,
                           committed_instances: float | None = None, horizon_years: float | None = None,
                           server: str = DEFAULT_SERVER, **parameters) -> pd.DataFrame:
    """Average monthly cost of serving an hourly demand with each option, by component (tidy).

    * on-premises: hosts for ``capacity_instances`` (default: the demand's peak) plus spares;
      energy hour by hour from the power curve at the CPU load of that hour's VMs;
    * on-demand / spot: every instance-hour (spot: plus redone work); savings plan:
      ``committed_instances`` (default: the optimal baseline) for whole terms, the rest on
      demand. Storage and egress are paid per instance-hour. Cloud staff is not counted
      (VM-level administration is the same on both sides; only hardware care differs).

    ``parameters`` override cost_assumptions.csv defaults by name. Returns columns
    ``option``, ``component``, ``cost_usd_per_month`` (every option has every component).
    """
    demand = require_numbers("demand_instances_per_hour", demand_instances_per_hour, minimum=0, maximum=1e7)
    values = resolve_parameters(parameters)
    require_choice("server", server, owning.server_names())
    horizon = _horizon(values, horizon_years)
    peak = float(demand.max())
    capacity = peak if capacity_instances is None else require_number(
        "capacity_instances", capacity_instances, minimum=peak, maximum=1e7,
        unit="instances (>= the demand's peak)")
    months = demand.size / HOURS_PER_MONTH
    vm_months = float(demand.sum()) / HOURS_PER_MONTH / months  # VMs running on average
    fixed, hosts_total = _owned_fleet(values, capacity, horizon, server)
    owned = {**fixed, "energy": float(_owned_energy(demand, hosts_total, values, server).mean())}

    price, discount = values["on_demand_usd_per_hour"], _plan_discount(values)
    per_vm = _cloud_per_vm_month(values, horizon)
    commitment = renting.optimal_commitment_instances(demand, discount) if committed_instances is None else \
        require_number("committed_instances", committed_instances, minimum=0, unit="instances")
    plan = renting.savings_plan_cost_usd(demand, commitment, price, discount)
    factor = renting.commitment_factor(horizon, values["savings_plan_term_years"])
    rows = {
        ON_PREMISES: owned,
        ON_DEMAND: {name: vm_months * cost for name, cost in per_vm[ON_DEMAND].items()},
        SAVINGS_PLAN: {"compute": (plan["committed_usd"] * factor + plan["on_demand_usd"]) / months,
                       "storage": vm_months * per_vm[SAVINGS_PLAN]["storage"],
                       "egress": vm_months * per_vm[SAVINGS_PLAN]["egress"]},
        SPOT: {name: vm_months * cost for name, cost in per_vm[SPOT].items()},
    }
    return _tidy(rows)


def cost_table(costs: pd.DataFrame) -> pd.DataFrame:
    """A tidy cost table (option, component, cost_usd_per_month) as one row per option with a total column.

    ``costs`` is checked: a non-empty DataFrame with known options and components and finite
    costs >= 0 (a NaN cost would otherwise make any option look cheapest).
    """
    require_cost_frame("costs", costs)
    present = set(costs["option"]), set(costs["component"])
    options = [o for o in OPTIONS if o in present[0]]
    components = [c for c in COMPONENTS if c in present[1]]
    row = {option: i for i, option in enumerate(options)}
    column = {component: j for j, component in enumerate(components)}
    sums = np.zeros((len(options), len(components)))
    np.add.at(sums, (costs["option"].map(row).to_numpy(), costs["component"].map(column).to_numpy()),
              costs["cost_usd_per_month"].to_numpy(float))
    wide = pd.DataFrame(sums, columns=[f"{c}_usd_per_month" for c in components])
    wide.insert(0, "option", options)
    wide["total_usd_per_month"] = sums.sum(axis=1)
    return wide


def cost_over_horizon(demand_instances_per_hour, horizon_years: float, **kwargs) -> pd.DataFrame:
    """Total cost (USD) of each option over ``horizon_years``: the monthly average x 12 x years.

    Takes the same arguments as :func:`monthly_cost_by_option`. Columns ``option``, ``cost_usd``.
    """
    horizon = require_number("horizon_years", horizon_years, minimum=0, maximum=30, min_inclusive=False)
    monthly = monthly_cost_by_option(demand_instances_per_hour, horizon_years=horizon, **kwargs)
    totals = monthly.groupby("option", sort=False)["cost_usd_per_month"].sum() * 12 * horizon
    return totals.rename("cost_usd").reset_index()


# ---------------------------------------------------------------------------------------------------------
# An average utilisation
# ---------------------------------------------------------------------------------------------------------
def _shares(utilization) -> np.ndarray:
    if isinstance(utilization, (Sequence, np.ndarray, pd.Series)) and not isinstance(utilization, (str, bytes)):
        return require_numbers("utilization", utilization, minimum=0, maximum=1)
    return np.array([require_fraction("utilization", utilization)])


def _utilization_components(shares: np.ndarray, capacity_instances, horizon_years, server,
                            parameters: Mapping) -> dict[str, dict[str, np.ndarray | float]]:
    values = resolve_parameters(parameters)
    capacity = _capacity(capacity_instances)
    require_choice("server", server, owning.server_names())
    horizon = _horizon(values, horizon_years)
    fixed, hosts_total = _owned_fleet(values, capacity, horizon, server)
    running = shares * capacity
    owned = {**fixed, "energy": _owned_energy(running, hosts_total, values, server)}
    cloud = {option: {component: running * cost for component, cost in parts.items()}
             for option, parts in _cloud_per_vm_month(values, horizon).items()}
    return {ON_PREMISES: owned, **cloud}


def costs_at_utilization(utilization, *, capacity_instances: float = DEFAULT_FLEET_VMS,
                         horizon_years: float | None = None, server: str = DEFAULT_SERVER,
                         **parameters) -> pd.DataFrame:
    """Monthly cost of each option, by component, for a fleet whose average demand is ``utilization`` x capacity.

    The fleet is provisioned for ``capacity_instances`` VMs (its peak). The cloud options pay
    for utilization x capacity VMs on average (perfect autoscaling, the best case for
    renting); the savings plan commits to that whole average (a steady load, its best
    case). Vectorised: one utilisation (0-1) or a sequence. Columns ``utilization``,
    ``option``, ``component``, ``cost_usd_per_month``.
    """
    shares = _shares(utilization)
    parts = _utilization_components(shares, capacity_instances, horizon_years, server, parameters)
    n = shares.size
    pairs = [(option, component) for option in OPTIONS for component in COMPONENTS]
    return pd.DataFrame({
        "utilization": np.tile(shares, len(pairs)),
        "option": np.repeat([option for option, _ in pairs], n),
        "component": np.repeat([component for _, component in pairs], n),
        "cost_usd_per_month": np.concatenate([np.broadcast_to(np.asarray(parts[option].get(component, 0.0), float), n)
                                              for option, component in pairs]),
    })


def cost_curves(utilization=None, **kwargs) -> pd.DataFrame:
    """Total monthly cost of each option against average utilisation (default 0, 0.01, ..., 1).

    Same keyword arguments as :func:`costs_at_utilization`. Columns ``utilization``,
    ``option``, ``cost_usd_per_month``.
    """
    shares = np.linspace(0, 1, 101) if utilization is None else _shares(utilization)
    parts = _utilization_components(shares, kwargs.pop("capacity_instances", DEFAULT_FLEET_VMS),
                                    kwargs.pop("horizon_years", None), kwargs.pop("server", DEFAULT_SERVER), kwargs)
    n = shares.size
    return pd.DataFrame({
        "utilization": np.tile(shares, len(OPTIONS)),
        "option": np.repeat(list(OPTIONS), n),
        "cost_usd_per_month": np.concatenate([np.broadcast_to(np.asarray(sum(parts[option].values()), float), n)
                                              for option in OPTIONS]),
    })


def utilization_knots(*, capacity_instances: float = DEFAULT_FLEET_VMS, server: str = DEFAULT_SERVER,
                      **parameters) -> np.ndarray:
    """The utilisations (0-1) between which every cost is exactly linear.

    Renting is linear in utilisation; owning is linear except its energy, which follows the
    power curve's 10 % load steps. Host CPU load = utilisation x capacity x 2 vCPU x
    ``vm_cpu_utilization`` / (hosts x threads), so the knots are each curve load divided by
    that slope (plus 0 and 1).
    """
    values = resolve_parameters(parameters)
    capacity = _capacity(capacity_instances)
    require_choice("server", server, owning.server_names())
    hosts = owning.hosts_needed(capacity, values["vms_per_host"])
    hosts_total = hosts + (int(values["spare_hosts"]) if hosts else 0)
    slope = capacity * VM_VCPUS * values["vm_cpu_utilization"] / (hosts_total * server_spec(server)["threads"])
    loads = owning._curves()[server][0]
    inner = loads[(loads > 0) & (loads < slope)] / slope if slope > 0 else np.array([])
    return np.unique(np.concatenate([[0.0, 1.0], inner]))


def break_even_utilization(*, against: str = ON_DEMAND, capacity_instances: float = DEFAULT_FLEET_VMS,
                           horizon_years: float | None = None, server: str = DEFAULT_SERVER,
                           **parameters) -> float:
    """The average utilisation (mean demand / provisioned capacity, 0-1) above which owning is cheaper.

    The cost difference is piecewise linear between :func:`utilization_knots`; it is
    evaluated there and the first sign change is solved exactly by linear interpolation.
    Returns ``nan`` when renting is cheaper even at 100 % utilisation (owning never wins).
    """
    require_choice("against", against, CLOUD_OPTIONS)
    knots = utilization_knots(capacity_instances=capacity_instances, server=server, **parameters)
    parts = _utilization_components(knots, capacity_instances, horizon_years, server, parameters)
    own = sum(parts[ON_PREMISES].values())
    rent = sum(parts[against].values())
    gap = np.broadcast_to(own - rent, knots.shape)  # > 0 while renting is cheaper
    crossing = np.flatnonzero(gap <= 0)
    if crossing.size == 0:
        return float("nan")
    i = int(crossing[0])
    if i == 0:
        return 0.0
    x0, x1, g0, g1 = knots[i - 1], knots[i], gap[i - 1], gap[i]
    return float(x0 + (x1 - x0) * g0 / (g0 - g1))


def monthly_saving_usd(utilization: float, *, against: str = ON_DEMAND, **kwargs) -> float:
    """What owning saves against renting at ``utilization`` (USD per month; negative when renting is cheaper)."""
    require_choice("against", against, CLOUD_OPTIONS)
    curves = cost_curves([require_fraction("utilization", utilization)], **kwargs).set_index("option")
    return float(curves.loc[against, "cost_usd_per_month"] - curves.loc[ON_PREMISES, "cost_usd_per_month"])


def licence_at_break_even(utilization: float = 0.3, *, against: str = ON_DEMAND, **kwargs) -> float:
    """The hypervisor licence (USD per core-year) at which owning stops paying at ``utilization``.

    Owning's cost is linear in the licence price (licensed cores x price / 12 per host), so
    the price where it equals renting is exact: (renting - owning without licence) / (cost of
    one USD per core-year). ``nan`` if owning loses even with a free licence. Other keywords
    as :func:`costs_at_utilization` (the licence itself is ignored if given).
    """
    kwargs.pop("licence_usd_per_core_year", None)
    free = monthly_saving_usd(utilization, against=against, licence_usd_per_core_year=0.0, **kwargs)
    one = monthly_saving_usd(utilization, against=against, licence_usd_per_core_year=1.0, **kwargs)
    if free < 0 or free == one:
        return float("nan")
    return free / (free - one)


# ---------------------------------------------------------------------------------------------------------
# What moves the answer
# ---------------------------------------------------------------------------------------------------------
SENSITIVITY_OUTPUTS = ("break_even_utilization", "owning_saving_usd_per_month")


def _result(output: str, against: str, utilization: float, kwargs: dict) -> tuple[float, bool]:
    """The output for one set of parameters, and whether owning never wins (break-even reported as 1.0)."""
    if output == "break_even_utilization":
        value = break_even_utilization(against=against, **kwargs)
        return (1.0, True) if math.isnan(value) else (value, False)
    return monthly_saving_usd(utilization, against=against, **kwargs), False


def sensitivity(*, output: str = "break_even_utilization", against: str = ON_DEMAND, utilization: float = 0.3,
                capacity_instances: float = DEFAULT_FLEET_VMS, horizon_years: float | None = None,
                preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """One-at-a-time sensitivity: every parameter of cost_assumptions.csv at its low and high, others as ``preset``.

    ``output``: ``"break_even_utilization"`` (0-1; where owning never wins it is reported as
    1.0 and flagged in ``owning_never_wins``) or ``"owning_saving_usd_per_month"`` (renting
    minus owning, USD per month, at ``utilization``). Columns: ``parameter``, ``unit``,
    ``kind``, ``low_value``, ``high_value``, ``low_result``, ``high_result``, ``swing``,
    ``low_never``, ``high_never`` and ``owning_never_wins`` (either end); sorted by swing, widest
    first. ``attrs``: ``baseline`` (the result at the preset), ``output``, ``utilization``,
    ``preset``, ``against``.
    """
    require_choice("output", output, SENSITIVITY_OUTPUTS)
    require_choice("against", against, CLOUD_OPTIONS)
    share = require_fraction("utilization", utilization)
    base = preset_parameters(preset)
    common = {"capacity_instances": _capacity(capacity_instances), "horizon_years": horizon_years}
    rows = []
    for name, row in cost_parameters().iterrows():
        ends = [_result(output, against, share, {**common, **base, name: value}) for value in (row["low"], row["high"])]
        rows.append({"parameter": name, "unit": row["unit"], "kind": row["kind"], "low_value": row["low"],
                     "high_value": row["high"], "low_result": ends[0][0], "high_result": ends[1][0],
                     "swing": abs(ends[1][0] - ends[0][0]), "low_never": ends[0][1], "high_never": ends[1][1],
                     "owning_never_wins": ends[0][1] or ends[1][1]})
    result = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    result.attrs.update({"baseline": _result(output, against, share, {**common, **base})[0], "output": output,
                         "utilization": share, "preset": preset, "against": against})
    return result


def preset_break_evens(*, capacity_instances: float = DEFAULT_FLEET_VMS,
                       horizon_years: float | None = None) -> pd.DataFrame:
    """The break-even utilisation of each preset against each cloud option (0-1; NaN = owning never wins).

    Rows: the presets in order; columns: ``preset`` and one per cloud option.
    """
    rows = []
    for preset in PRESETS:
        values = preset_parameters(preset)
        rows.append({"preset": preset, **{against: break_even_utilization(
            against=against, capacity_instances=capacity_instances, horizon_years=horizon_years, **values)
            for against in CLOUD_OPTIONS}})
    return pd.DataFrame(rows)


#: The order in which break_even_walk adds the owning costs the first model left out (licence last).
WALK_ORDER = ("vm_cpu_utilization", "cost_of_capital", "spare_hosts", "post_warranty_support_fraction",
              "facility_opex_usd_per_kw_month", "egress_gb_per_vm_month", "licence_usd_per_core_year")


def break_even_walk(*, start: str = PRESETS[0], end: str = PRESETS[-1], against: str = ON_DEMAND,
                    capacity_instances: float = DEFAULT_FLEET_VMS) -> pd.DataFrame:
    """From preset ``start`` to preset ``end``, one parameter at a time: the break-even after each step.

    Columns: ``step`` (what changed, or the start preset), ``parameter``, ``value`` (its new
    value), ``break_even`` (0-1, NaN = never) and ``change`` (points of utilisation, 0-1).
    """
    require_choice("start", start, PRESETS)
    require_choice("end", end, PRESETS)
    require_choice("against", against, CLOUD_OPTIONS)
    values, target = preset_parameters(start), preset_parameters(end)
    table = cost_parameters()
    first = break_even_utilization(against=against, capacity_instances=capacity_instances, **values)
    rows = [{"step": start, "parameter": "", "value": float("nan"), "break_even": first, "change": 0.0}]
    changed = [name for name in WALK_ORDER if values[name] != target[name]]
    changed += [name for name in target if values[name] != target[name] and name not in changed]
    for name in changed:
        values[name] = target[name]
        value = break_even_utilization(against=against, capacity_instances=capacity_instances, **values)
        rows.append({"step": f"+ {name}", "parameter": name, "value": target[name], "break_even": value,
                     "change": value - rows[-1]["break_even"]})
    walk = pd.DataFrame(rows)
    walk.attrs.update({"start": start, "end": end, "against": against,
                       "units": {name: table.loc[name, "unit"] for name in changed}})
    return walk
