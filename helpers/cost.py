"""Cost model: owning servers vs renting cloud capacity (chapter 05).

Pure functions of numbers, arrays and DataFrames; no widgets, no charts.
Every figure comes from ``data/cost_assumptions.csv`` (a default with a
sourced low/high range), ``data/power_curve.csv`` (watts vs load) and
``data/cloud_prices.csv``; see ``data/cost_notes.md`` for the sources.

The unit of capacity is one VM of the m5.large shape (2 vCPU, 8 GiB). A fleet
is provisioned for its peak number of VMs; ``vms_per_host`` of them fit one
owned server. The options compared:

* ``on-premises``: buy servers for the peak, pay for power (through the
  server's load-to-watts curve and the facility's PUE), staff, storage,
  network gear and the facility, whether the VMs are busy or not.
* ``on-demand``: pay the hourly list price for every instance-hour used.
* ``savings plan``: commit to a baseline of instances for the whole term at a
  discount, whether used or not; anything above the baseline is on-demand.
* ``spot``: a discount, but interrupted work is redone (more hours billed).

Money is in USD, energy in kWh, power in W, time in hours unless a name says
otherwise (``_s`` seconds, ``_years``). A month is 730 hours (8,760 / 12).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import (
    require_choice,
    require_fraction,
    require_integer,
    require_number,
    require_series,
)

__all__ = [
    "HOURS_PER_MONTH", "HOURS_PER_YEAR", "OPTIONS", "COMPONENTS", "DEFAULT_SERVER", "DEFAULT_FLEET_VMS",
    "ARTICLE_USD_PER_CORE_HOUR", "ARTICLE_HARDWARE_SAVING_USD", "ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR",
    "cost_parameters", "default_parameters", "validate_cost_assumptions", "resolve_parameters",
    "server_names", "power_curve", "server_power_w", "server_capital_usd_per_month", "facility_cost_usd_per_month",
    "energy_cost_usd_per_month", "storage_cost_usd_per_month", "staff_cost_usd_per_server_month",
    "hosts_needed", "on_demand_cost_usd", "optimal_commitment_instances", "savings_plan_cost_usd",
    "spot_billed_hours", "spot_cost_usd", "billed_seconds", "billing_comparison", "cloud_price_table",
    "demand_profile", "monthly_cost_by_option", "cost_table", "cost_over_horizon",
    "costs_at_utilization", "cost_curves", "break_even_utilization", "sensitivity",
    "double11_assumptions", "double11_demand", "double11_case", "double11_article_requirements",
]

HOURS_PER_YEAR = 8760.0
HOURS_PER_MONTH = HOURS_PER_YEAR / 12  # 730 h
ON_PREMISES, ON_DEMAND, SAVINGS_PLAN, SPOT = "on-premises", "on-demand", "savings plan", "spot"
OPTIONS = (ON_PREMISES, ON_DEMAND, SAVINGS_PLAN, SPOT)
CLOUD_OPTIONS = (ON_DEMAND, SAVINGS_PLAN, SPOT)
COMPONENTS = ("capital", "energy", "staff", "storage", "compute")
DEFAULT_SERVER = "2x AMD EPYC 9654 server (SPECpower_ssj2008 result 2022Q4 #01203)"
#: The reference fleet of the chapter: 5 hosts of the default server class (192 m5.large-sized VMs each).
DEFAULT_FLEET_VMS = 960

#: The article's own numbers (``shared/seed/article_zh.txt``, cost chapter; claims cost-01, cost-10, cost-11).
ARTICLE_USD_PER_CORE_HOUR = 3.50  # "按使用付费(AWS起价$3.50/核/小时)"
ARTICLE_HARDWARE_SAVING_USD = 1.2e6  # "节省硬件采购成本$120万"
ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR = 0.85e6  # "年度节省达$85万"

# ---------------------------------------------------------------------------------------------------------
# Schemas of the three cost data files
# ---------------------------------------------------------------------------------------------------------
register_schema(
    "cost_assumptions",
    "One row per parameter of the cost model: a default and a sourced low/high range, with how far to trust it.",
    [
        Column("parameter", "str", "Parameter name, as the model's keyword argument."),
        Column("default", "float", "Value used unless told otherwise.", unit="see unit"),
        Column("low", "float", "Low end of the plausible range (tornado chart, slider minimum).", unit="see unit"),
        Column("high", "float", "High end of the plausible range (tornado chart, slider maximum).", unit="see unit"),
        Column("unit", "str", "Unit of default, low and high."),
        Column("kind", "str", "How the figure was obtained.", allowed=SOURCE_KINDS),
        Column("source", "str", "Citation of the source (or what anchors an assumption)."),
        Column("source_url", "str", "Address of that source."),
        Column("note", "str", "Derivation, caveats, second-hand status.", required=False),
    ],
    key="parameter",
)
register_schema(
    "power_curve",
    "Electrical power of a server at 0-100 % load (SPECpower_ssj2008 measurements).",
    [
        Column("server", "str", "Server (system under test)."),
        Column("load_pct", "float", "Target load.", unit="%", minimum=0, maximum=100),
        Column("power_w", "float", "Average active power at that load (0 % = active idle).", unit="W", minimum=0),
        Column("source", "str", "Citation of the measurement."),
        Column("source_url", "str", "Address of the source."),
    ],
    key=("server", "load_pct"),
)
register_schema(
    "cloud_prices",
    "A few reference cloud instance prices (list prices; they change, see as_of).",
    [
        Column("provider", "str", "Cloud provider.", allowed=("aws", "azure", "gcp")),
        Column("instance_type", "str", "Instance type (VM size)."),
        Column("region", "str", "Region the price applies to."),
        Column("vcpu", "int", "Virtual CPUs (hardware threads).", unit="vCPU", minimum=1),
        Column("memory_gib", "float", "Memory.", unit="GiB", minimum=0),
        Column("price_usd_per_hour", "float", "Price per instance-hour, Linux.", unit="USD per hour", minimum=0),
        Column("price_model", "str", "How the price is bought.", allowed=("on-demand", "savings-plan", "reserved",
                                                                          "spot")),
        Column("as_of", "str", "When the price was seen: a year or an ISO date."),
        Column("source", "str", "Citation of the price."),
        Column("source_url", "str", "Address of the source."),
    ],
    key=("provider", "instance_type", "region", "price_model"),
)

#: The range each parameter may take in the MODEL (wider than the sourced low/high): (minimum, maximum,
#: minimum inclusive). Values outside raise ValueError naming the parameter.
MODEL_RANGES: dict[str, tuple[float, float, bool]] = {
    "server_price_usd": (0.0, 1e7, False),
    "server_lifetime_years": (0.0, 30.0, False),
    "network_capex_fraction": (0.0, 5.0, True),
    "facility_usd_per_w": (0.0, 1000.0, True),
    "facility_lifetime_years": (0.0, 100.0, False),
    "pue": (1.0, 5.0, True),
    "electricity_usd_per_kwh": (0.0, 10.0, True),
    "storage_usd_per_gb_month": (0.0, 10.0, True),
    "admin_salary_usd_per_year": (0.0, 1e7, True),
    "admin_overhead_factor": (1.0, 5.0, True),
    "servers_per_admin": (0.0, 1e6, False),
    "vms_per_host": (1.0, 10000.0, True),
    "on_demand_usd_per_hour": (0.0, 1000.0, False),
    "savings_plan_discount": (0.0, 1.0, True),
    "savings_plan_term_years": (1.0, 3.0, True),
    "spot_discount": (0.0, 1.0, True),
    "spot_interruption_rate": (0.0, 1.0, True),
    "spot_lost_work_fraction": (0.0, 1.0, True),
    "cloud_storage_usd_per_gb_month": (0.0, 10.0, True),
    "storage_gb_per_instance": (0.0, 1e6, True),
    "billing_minimum_s": (1.0, 3600.0, True),
}
_EXCLUSIVE_MAX = {"savings_plan_discount", "spot_discount", "spot_interruption_rate"}
_INTEGER_PARAMETERS = {"vms_per_host", "savings_plan_term_years"}


def _check_parameter(name: str, value) -> float:
    minimum, maximum, min_inclusive = MODEL_RANGES[name]
    number = require_number(name, value, minimum=minimum, maximum=maximum, min_inclusive=min_inclusive,
                            max_inclusive=name not in _EXCLUSIVE_MAX)
    if name in _INTEGER_PARAMETERS:
        number = float(require_integer(name, number, minimum=int(minimum), maximum=int(maximum)))
    if name == "savings_plan_term_years" and number not in (1.0, 3.0):
        raise ValueError(f"savings_plan_term_years must be 1 or 3 (AWS terms); got {value!r}")
    return number


def validate_cost_assumptions(table: pd.DataFrame) -> pd.DataFrame:
    """Check the assumptions table beyond its schema: known parameters, low <= default <= high, model ranges.

    Raises ``ValueError`` naming the row (line in the file) and the parameter.
    """
    names = list(table["parameter"])
    unknown = sorted(set(names) - set(MODEL_RANGES))
    missing = sorted(set(MODEL_RANGES) - set(names))
    if unknown or missing or len(set(names)) != len(names):
        raise ValueError(f"cost_assumptions.csv: parameters must be exactly {sorted(MODEL_RANGES)} once each; "
                         f"unknown {unknown}, missing {missing}")
    for index, row in enumerate(table.itertuples(index=False)):
        where = f"cost_assumptions.csv: row {index + 2} (parameter {row.parameter!r})"
        if not row.low <= row.default <= row.high:
            raise ValueError(f"{where}: needs low <= default <= high; got {row.low:g}, {row.default:g}, "
                             f"{row.high:g}")
        for column in ("low", "default", "high"):
            try:
                _check_parameter(row.parameter, getattr(row, column))
            except ValueError as error:
                raise ValueError(f"{where}, column {column!r}: {error}") from None
    return table


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    return validate_cost_assumptions(load("cost_assumptions")).set_index("parameter")


def cost_parameters() -> pd.DataFrame:
    """The cost assumptions table (default, low, high, unit, kind, source ...) indexed by parameter."""
    return _parameters_cached().copy()


@functools.lru_cache(maxsize=1)
def _defaults_cached() -> tuple[tuple[str, float], ...]:
    return tuple((name, float(value)) for name, value in _parameters_cached()["default"].items())


def default_parameters() -> dict[str, float]:
    """Every model parameter at its default value (name -> number, units as in cost_assumptions.csv)."""
    return dict(_defaults_cached())


def resolve_parameters(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The defaults with ``overrides`` applied; every value checked against the model's accepted range.

    Unknown names raise ``ValueError`` listing the known ones.
    """
    values = default_parameters()
    for name, value in (overrides or {}).items():
        if name not in values:
            raise ValueError(f"parameter name must be one of {sorted(values)}; got {name!r}")
        values[name] = _check_parameter(name, value)
    return values


# ---------------------------------------------------------------------------------------------------------
# On-premises building blocks
# ---------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _curves() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    table = load("power_curve")
    curves = {}
    for server, group in table.groupby("server", sort=False):
        group = group.sort_values("load_pct")
        load_fraction = group["load_pct"].to_numpy(float) / 100
        if load_fraction[0] != 0 or load_fraction[-1] != 1 or np.any(np.diff(load_fraction) <= 0):
            raise ValueError(f"power_curve.csv: server {server!r} needs distinct loads from 0 to 100 %")
        curves[server] = (load_fraction, group["power_w"].to_numpy(float))
    return curves


def server_names() -> list[str]:
    """The servers whose load-to-power curve is in ``power_curve.csv``."""
    return list(_curves())


def power_curve(server: str = DEFAULT_SERVER) -> pd.DataFrame:
    """One server's measured power curve: ``load_pct`` (%) and ``power_w`` (W)."""
    require_choice("server", server, server_names())
    table = load("power_curve")
    return table.loc[table["server"] == server, ["load_pct", "power_w"]].reset_index(drop=True)


def server_power_w(utilization, server: str = DEFAULT_SERVER):
    """Electrical power (W) of ``server`` at ``utilization`` (0-1), by linear interpolation of its curve.

    ``utilization`` may be a number (returns a float) or a sequence (returns an array).
    """
    require_choice("server", server, server_names())
    load_fraction, power = _curves()[server]
    if isinstance(utilization, (Sequence, np.ndarray)) and not isinstance(utilization, str):
        return np.interp(require_series("utilization", utilization, minimum=0, maximum=1), load_fraction, power)
    return float(np.interp(require_fraction("utilization", utilization), load_fraction, power))


def server_capital_usd_per_month(server_price_usd: float, server_lifetime_years: float) -> float:
    """Purchase price spread evenly over the amortisation period: price / (years x 12), USD per month."""
    price = _check_parameter("server_price_usd", server_price_usd)
    years = _check_parameter("server_lifetime_years", server_lifetime_years)
    return price / (years * 12)


def facility_cost_usd_per_month(peak_power_w: float, facility_usd_per_w: float,
                                facility_lifetime_years: float) -> float:
    """The building's power and cooling plant for one server: its full-load watts x USD per W / (years x 12)."""
    watts = require_number("peak_power_w", peak_power_w, minimum=0, unit="W")
    per_w = _check_parameter("facility_usd_per_w", facility_usd_per_w)
    years = _check_parameter("facility_lifetime_years", facility_lifetime_years)
    return watts * per_w / (years * 12)


def energy_cost_usd_per_month(power_w, pue: float, electricity_usd_per_kwh: float,
                              hours: float = HOURS_PER_MONTH):
    """Energy bill: IT power (W) x PUE x hours / 1000 (-> kWh) x price (USD/kWh); per month by default.

    ``power_w`` may be a number or an array (then an array is returned).
    """
    if isinstance(power_w, (Sequence, np.ndarray)) and not isinstance(power_w, str):
        watts = require_series("power_w", power_w, minimum=0)
    else:
        watts = require_number("power_w", power_w, minimum=0, unit="W")
    ratio = _check_parameter("pue", pue)
    price = _check_parameter("electricity_usd_per_kwh", electricity_usd_per_kwh)
    duration = require_number("hours", hours, minimum=0, unit="h")
    return watts * ratio * duration / 1000 * price


def storage_cost_usd_per_month(storage_gb: float, usd_per_gb_month: float) -> float:
    """Storage bill: GB x USD per GB-month."""
    size = require_number("storage_gb", storage_gb, minimum=0, unit="GB")
    price = require_number("usd_per_gb_month", usd_per_gb_month, minimum=0, maximum=10, unit="USD/GB-month")
    return size * price


def staff_cost_usd_per_server_month(admin_salary_usd_per_year: float, servers_per_admin: float,
                                    admin_overhead_factor: float = 1.0) -> float:
    """Administrator cost per physical server: salary x overhead factor / 12 / servers per admin."""
    salary = _check_parameter("admin_salary_usd_per_year", admin_salary_usd_per_year)
    ratio = _check_parameter("servers_per_admin", servers_per_admin)
    overhead = _check_parameter("admin_overhead_factor", admin_overhead_factor)
    return salary * overhead / 12 / ratio


def hosts_needed(peak_instances: float, vms_per_host: int) -> int:
    """Servers to buy for a fleet: provision for the peak, ceil(peak_instances / vms_per_host)."""
    peak = require_number("peak_instances", peak_instances, minimum=0, unit="instances")
    per_host = _check_parameter("vms_per_host", vms_per_host)
    return int(math.ceil(peak / per_host - 1e-9))


# ---------------------------------------------------------------------------------------------------------
# Cloud building blocks
# ---------------------------------------------------------------------------------------------------------
def on_demand_cost_usd(instance_hours: float, on_demand_usd_per_hour: float) -> float:
    """On-demand bill: instance-hours x hourly price (USD)."""
    hours = require_number("instance_hours", instance_hours, minimum=0, unit="instance-hours")
    return hours * _check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)


def optimal_commitment_instances(demand_instances_per_hour, savings_plan_discount: float) -> float:
    """The cheapest savings-plan baseline for an hourly demand: its ``discount`` quantile (instances).

    Committing one more instance costs (1 - d) x price every hour and saves the
    on-demand price in every hour where demand exceeds the baseline; the two
    balance where demand exceeds the baseline in a share (1 - d) of the hours,
    i.e. at the d-quantile of demand.
    """
    demand = require_series("demand_instances_per_hour", demand_instances_per_hour, minimum=0)
    discount = _check_parameter("savings_plan_discount", savings_plan_discount)
    return float(np.quantile(demand, discount, method="inverted_cdf"))


def savings_plan_cost_usd(demand_instances_per_hour, committed_instances: float, on_demand_usd_per_hour: float,
                          savings_plan_discount: float) -> dict[str, float]:
    """Bill for an hourly demand with a savings plan covering ``committed_instances`` every hour.

    The commitment is paid at (1 - discount) x on-demand price in every hour whether
    used or not; demand above it is billed on demand. Returns
    ``{"committed_usd", "on_demand_usd", "total_usd"}`` for the hours given.
    """
    demand = require_series("demand_instances_per_hour", demand_instances_per_hour, minimum=0)
    committed = require_number("committed_instances", committed_instances, minimum=0, unit="instances")
    price = _check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    discount = _check_parameter("savings_plan_discount", savings_plan_discount)
    committed_usd = committed * demand.size * price * (1 - discount)
    excess_usd = float(np.clip(demand - committed, 0, None).sum()) * price
    return {"committed_usd": committed_usd, "on_demand_usd": excess_usd, "total_usd": committed_usd + excess_usd}


def spot_billed_hours(useful_hours: float, spot_interruption_rate: float, spot_lost_work_fraction: float) -> float:
    """Hours billed on spot to finish ``useful_hours`` of work when interrupted work is redone.

    Model: a share r of runs is interrupted and loses a share f of its work, which is
    run again (and may be interrupted again): billed = useful / (1 - r x f).
    """
    hours = require_number("useful_hours", useful_hours, minimum=0, unit="h")
    rate = _check_parameter("spot_interruption_rate", spot_interruption_rate)
    lost = _check_parameter("spot_lost_work_fraction", spot_lost_work_fraction)
    return hours / (1 - rate * lost)


def spot_cost_usd(useful_hours: float, on_demand_usd_per_hour: float, spot_discount: float,
                  spot_interruption_rate: float, spot_lost_work_fraction: float) -> float:
    """Spot bill (USD): billed hours (see :func:`spot_billed_hours`) x on-demand price x (1 - spot_discount)."""
    billed = spot_billed_hours(useful_hours, spot_interruption_rate, spot_lost_work_fraction)
    price = _check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    return billed * price * (1 - _check_parameter("spot_discount", spot_discount))


def billed_seconds(durations_s, granularity: str, billing_minimum_s: float = 60) -> np.ndarray:
    """Seconds billed for each run: ``"hour"`` bills every started hour, ``"second"`` whole seconds with a minimum.

    ``billing_minimum_s`` applies to per-second billing (AWS Linux: 60 s since Oct 2017).
    """
    durations = require_series("durations_s", durations_s, minimum=0)
    require_choice("granularity", granularity, ("hour", "second"))
    minimum = _check_parameter("billing_minimum_s", billing_minimum_s)
    if granularity == "hour":
        return np.maximum(np.ceil(durations / 3600 - 1e-9), 1) * 3600
    return np.maximum(np.ceil(durations - 1e-9), minimum)


def billing_comparison(durations_s, on_demand_usd_per_hour: float = 0.096,
                       billing_minimum_s: float = 60) -> pd.DataFrame:
    """The same runs billed per started hour and per second: billed hours and cost (USD) each way.

    Columns: ``billing``, ``runs``, ``used_hours``, ``billed_hours``, ``cost_usd``.
    """
    durations = require_series("durations_s", durations_s, minimum=0)
    price = _check_parameter("on_demand_usd_per_hour", on_demand_usd_per_hour)
    minimum = _check_parameter("billing_minimum_s", billing_minimum_s)
    rows = []
    for granularity, label in (("hour", "per started hour"), ("second", f"per second, {minimum:g} s minimum")):
        billed_h = float(billed_seconds(durations, granularity, minimum).sum()) / 3600
        rows.append({"billing": label, "runs": int(durations.size), "used_hours": float(durations.sum()) / 3600,
                     "billed_hours": billed_h, "cost_usd": billed_h * price})
    return pd.DataFrame(rows)


def cloud_price_table(article_usd_per_core_hour: float = ARTICLE_USD_PER_CORE_HOUR) -> pd.DataFrame:
    """``cloud_prices.csv`` with the price per vCPU-hour and how many times the article's figure exceeds it.

    The article quotes USD per *core*-hour; on these instances one core = 2 vCPU (2 threads),
    so ``article_vs_core_price`` compares with 2 x the vCPU-hour price.
    """
    article = require_number("article_usd_per_core_hour", article_usd_per_core_hour, minimum=0, min_inclusive=False)
    table = load("cloud_prices")
    table["usd_per_vcpu_hour"] = table["price_usd_per_hour"] / table["vcpu"]
    table["article_vs_vcpu_price"] = article / table["usd_per_vcpu_hour"]
    table["article_vs_core_price"] = article / (2 * table["usd_per_vcpu_hour"])
    return table[["provider", "instance_type", "region", "vcpu", "memory_gib", "price_model", "as_of", "price_usd_per_hour",
                  "usd_per_vcpu_hour", "article_vs_vcpu_price", "article_vs_core_price"]]


# ---------------------------------------------------------------------------------------------------------
# Demand
# ---------------------------------------------------------------------------------------------------------
def demand_profile(*, days: int = 30, baseline_instances: float = 100, daily_swing_fraction: float = 0.3,
                   noise_fraction: float = 0.05, spike_start_day: int = 0, spike_days: int = 0,
                   spike_multiplier: float = 1.0, seed: int = 0) -> np.ndarray:
    """A synthetic hourly demand (whole instances per hour), deterministic for a given ``seed``.

    demand(h) = baseline x (1 + swing x sin(2 pi (hour_of_day - 8) / 24)) x (1 + noise x N(0, 1)),
    peaking at 14:00; during ``spike_days`` days from ``spike_start_day`` (0 = first day)
    it is multiplied by ``spike_multiplier``. Rounded up to whole instances, never negative.
    """
    n_days = require_integer("days", days, minimum=1, maximum=3660)
    baseline = require_number("baseline_instances", baseline_instances, minimum=0, maximum=1e7, unit="instances")
    swing = require_fraction("daily_swing_fraction", daily_swing_fraction)
    noise = require_number("noise_fraction", noise_fraction, minimum=0, maximum=0.5)
    start = require_integer("spike_start_day", spike_start_day, minimum=0, maximum=n_days - 1)
    length = require_integer("spike_days", spike_days, minimum=0, maximum=n_days - start)
    multiplier = require_number("spike_multiplier", spike_multiplier, minimum=1, maximum=1000)
    rng = np.random.default_rng(require_integer("seed", seed, minimum=0))
    hours = np.arange(n_days * 24)
    daily = 1 + swing * np.sin(2 * np.pi * ((hours % 24) - 8) / 24)
    demand = baseline * daily * (1 + noise * rng.standard_normal(hours.size))
    day = hours // 24
    demand = np.where((day >= start) & (day < start + length), demand * multiplier, demand)
    return np.ceil(np.clip(demand, 0, None) - 1e-9).astype(int)


# ---------------------------------------------------------------------------------------------------------
# Results: monthly cost by option
# ---------------------------------------------------------------------------------------------------------
def _horizon(values: dict, horizon_years) -> float:
    if horizon_years is None:
        return values["server_lifetime_years"]
    return require_number("horizon_years", horizon_years, minimum=0, maximum=30, min_inclusive=False, unit="years")


def _years_paid_factor(horizon: float, lifetime: float) -> float:
    """Years paid per year used: a purchase (or commitment) of ``lifetime`` years is paid in full even if the
    horizon ends sooner, with no resale value. 1 when the horizon is a whole number of lifetimes."""
    return math.ceil(horizon / lifetime - 1e-9) * lifetime / horizon


def _owned_fixed_usd_per_month(values: dict, hosts: int, capacity_instances: float, horizon: float,
                               server: str) -> dict[str, float]:
    """Capital, staff and storage of ``hosts`` owned servers, USD per month, from the building blocks.

    capital = hosts x (server_capital_usd_per_month(price x (1 + network share), lifetime) x years paid per year
    used + facility_cost_usd_per_month(full-load watts)); staff = hosts x staff_cost_usd_per_server_month;
    storage = storage_cost_usd_per_month(capacity x GB per VM).
    """
    hardware = server_capital_usd_per_month(values["server_price_usd"] * (1 + values["network_capex_fraction"]),
                                            values["server_lifetime_years"])
    hardware *= _years_paid_factor(horizon, values["server_lifetime_years"])
    facility = facility_cost_usd_per_month(_curves()[server][1][-1], values["facility_usd_per_w"],
                                           values["facility_lifetime_years"])
    staff = staff_cost_usd_per_server_month(values["admin_salary_usd_per_year"], values["servers_per_admin"],
                                            values["admin_overhead_factor"])
    storage = storage_cost_usd_per_month(capacity_instances * values["storage_gb_per_instance"],
                                         values["storage_usd_per_gb_month"])
    return {"capital": hosts * (hardware + facility), "staff": hosts * staff, "storage": storage}


def _cloud_usd_per_instance_month(values: dict, horizon: float) -> dict[str, dict[str, float]]:
    """What one VM running all month costs with each cloud option, by component, from the building blocks.

    The savings plan assumes the VM is covered by the commitment (a steady load), paid for whole terms.
    """
    price = values["on_demand_usd_per_hour"]
    storage = storage_cost_usd_per_month(values["storage_gb_per_instance"], values["cloud_storage_usd_per_gb_month"])
    committed = savings_plan_cost_usd(np.ones(1), 1, price, values["savings_plan_discount"])["committed_usd"]
    redo = spot_billed_hours(1.0, values["spot_interruption_rate"], values["spot_lost_work_fraction"])
    return {
        ON_DEMAND: {"compute": on_demand_cost_usd(HOURS_PER_MONTH, price), "storage": storage},
        SAVINGS_PLAN: {"compute": committed * HOURS_PER_MONTH * _commitment_factor(values, horizon),
                       "storage": storage},
        SPOT: {"compute": spot_cost_usd(HOURS_PER_MONTH, price, values["spot_discount"],
                                        values["spot_interruption_rate"], values["spot_lost_work_fraction"]),
               "storage": storage * redo},
    }


def _commitment_factor(values: dict, horizon: float) -> float:
    """Years of commitment paid per year of horizon: a term is paid in full even if the horizon ends sooner."""
    return _years_paid_factor(horizon, values["savings_plan_term_years"])


def monthly_cost_by_option(demand_instances_per_hour, *, capacity_instances: float | None = None,
                           committed_instances: float | None = None, horizon_years: float | None = None,
                           server: str = DEFAULT_SERVER, **parameters) -> pd.DataFrame:
    """Average monthly cost of serving an hourly demand with each option, by component (tidy).

    * on-premises: ``hosts_needed(capacity_instances)`` servers (capacity defaults to the
      demand's peak); energy hour by hour from the power curve with the load spread
      evenly over the hosts; capital = servers + network bought over the horizon (no
      resale) plus the facility; staff; storage for the capacity.
    * on-demand / spot: every instance-hour (spot: plus redone work); savings plan:
      ``committed_instances`` (default: the optimal baseline) for whole terms.
      Cloud storage is paid per instance-hour. Cloud staff is not counted (VM-level
      administration is the same on both sides; only hardware care differs).

    ``parameters`` override cost_assumptions.csv defaults by name. Returns columns
    ``option``, ``component``, ``cost_usd_per_month`` (every option has all 5 components).
    """
    demand = require_series("demand_instances_per_hour", demand_instances_per_hour, minimum=0)
    values = resolve_parameters(parameters)
    require_choice("server", server, server_names())
    horizon = _horizon(values, horizon_years)
    peak = float(demand.max())
    capacity = peak if capacity_instances is None else require_number(
        "capacity_instances", capacity_instances, minimum=peak, unit="instances (>= the demand's peak)")
    months = demand.size / HOURS_PER_MONTH
    price = values["on_demand_usd_per_hour"]
    instance_hours = float(demand.sum())
    # a VM-month of cloud storage per 730 instance-hours
    cloud_storage = storage_cost_usd_per_month(instance_hours / HOURS_PER_MONTH * values["storage_gb_per_instance"],
                                               values["cloud_storage_usd_per_gb_month"]) / months

    hosts = hosts_needed(capacity, values["vms_per_host"])
    owned = _owned_fixed_usd_per_month(values, hosts, capacity, horizon, server)
    if hosts:
        load_fraction = np.clip(demand / (hosts * values["vms_per_host"]), 0, 1)
        watt_hours = hosts * float(np.interp(load_fraction, *_curves()[server]).sum())  # 1 h per element
        owned["energy"] = energy_cost_usd_per_month(watt_hours, values["pue"], values["electricity_usd_per_kwh"],
                                                    hours=1.0) / months
    else:
        owned["energy"] = 0.0

    commitment = optimal_commitment_instances(demand, values["savings_plan_discount"]) \
        if committed_instances is None else require_number("committed_instances", committed_instances, minimum=0)
    plan = savings_plan_cost_usd(demand, commitment, price, values["savings_plan_discount"])
    plan_compute = (plan["committed_usd"] * _commitment_factor(values, horizon) + plan["on_demand_usd"]) / months
    spot_compute = spot_cost_usd(instance_hours, price, values["spot_discount"], values["spot_interruption_rate"],
                                 values["spot_lost_work_fraction"]) / months
    spot_storage = cloud_storage * spot_billed_hours(1.0, values["spot_interruption_rate"],
                                                     values["spot_lost_work_fraction"])
    rows = {
        ON_PREMISES: {**owned, "compute": 0.0},
        ON_DEMAND: {"compute": on_demand_cost_usd(instance_hours, price) / months, "storage": cloud_storage},
        SAVINGS_PLAN: {"compute": plan_compute, "storage": cloud_storage},
        SPOT: {"compute": spot_compute, "storage": spot_storage},
    }
    return pd.DataFrame([(option, component, float(parts.get(component, 0.0)))
                         for option, parts in rows.items() for component in COMPONENTS],
                        columns=["option", "component", "cost_usd_per_month"])


def cost_table(costs: pd.DataFrame) -> pd.DataFrame:
    """A tidy cost table (option, component, cost_usd_per_month) as one row per option with a total column."""
    needed = {"option", "component", "cost_usd_per_month"}
    if not isinstance(costs, pd.DataFrame) or not needed.issubset(costs.columns):
        raise ValueError(f"costs must be a DataFrame with columns {sorted(needed)}")
    options = list(dict.fromkeys(costs["option"]))
    components = [c for c in COMPONENTS if c in set(costs["component"])]
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
# Results against average utilisation
# ---------------------------------------------------------------------------------------------------------
def costs_at_utilization(utilization, *, capacity_instances: float = DEFAULT_FLEET_VMS, horizon_years: float | None = None,
                         server: str = DEFAULT_SERVER, **parameters) -> pd.DataFrame:
    """Monthly cost of each option, by component, for a fleet whose average demand is ``utilization`` x capacity.

    The fleet is provisioned for ``capacity_instances`` VMs (its peak). The cloud options pay
    for utilization x capacity instances on average (perfect autoscaling, the best case for
    renting); the savings plan commits to that whole average (a steady load, its best
    case). On-premises energy uses the power at load = utilization. Vectorised: give one
    utilisation (0-1) or a sequence. Columns ``utilization``, ``option``, ``component``,
    ``cost_usd_per_month``.
    """
    if isinstance(utilization, (Sequence, np.ndarray)):
        shares = require_series("utilization", utilization, minimum=0, maximum=1)
    else:
        shares = np.array([require_fraction("utilization", utilization)])
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


def _utilization_components(shares: np.ndarray, capacity_instances, horizon_years, server,
                            parameters: Mapping) -> dict[str, dict[str, np.ndarray | float]]:
    values = resolve_parameters(parameters)
    capacity = require_number("capacity_instances", capacity_instances, minimum=0, min_inclusive=False,
                              maximum=1e7, unit="instances")
    require_choice("server", server, server_names())
    horizon = _horizon(values, horizon_years)
    hosts = hosts_needed(capacity, values["vms_per_host"])
    owned = _owned_fixed_usd_per_month(values, hosts, capacity, horizon, server)
    load_fraction = np.clip(shares * capacity / (hosts * values["vms_per_host"]), 0, 1)
    owned["energy"] = energy_cost_usd_per_month(hosts * server_power_w(load_fraction, server), values["pue"],
                                                values["electricity_usd_per_kwh"])
    instance_months = shares * capacity  # VMs running all month, on average
    per_instance = _cloud_usd_per_instance_month(values, horizon)
    cloud = {option: {component: instance_months * cost_usd for component, cost_usd in parts.items()}
             for option, parts in per_instance.items()}
    return {ON_PREMISES: owned, **cloud}


def cost_curves(utilization=None, **kwargs) -> pd.DataFrame:
    """Total monthly cost of each option against average utilisation (default 0, 0.01, ..., 1).

    Same keyword arguments as :func:`costs_at_utilization`. Columns ``utilization``,
    ``option``, ``cost_usd_per_month``.
    """
    shares = np.linspace(0, 1, 101) if utilization is None else utilization
    if not isinstance(shares, (Sequence, np.ndarray)):
        shares = [shares]
    checked = require_series("utilization", shares, minimum=0, maximum=1)
    parts = _utilization_components(checked, kwargs.pop("capacity_instances", DEFAULT_FLEET_VMS), kwargs.pop("horizon_years", None),
                                    kwargs.pop("server", DEFAULT_SERVER), kwargs)
    n = checked.size
    return pd.DataFrame({
        "utilization": np.tile(checked, len(OPTIONS)),
        "option": np.repeat(list(OPTIONS), n),
        "cost_usd_per_month": np.concatenate([np.broadcast_to(np.asarray(sum(parts[option].values()), float), n)
                                              for option in OPTIONS]),
    })


def break_even_utilization(*, against: str = ON_DEMAND, capacity_instances: float = DEFAULT_FLEET_VMS,
                           horizon_years: float | None = None, server: str = DEFAULT_SERVER,
                           **parameters) -> float:
    """The average utilisation (mean demand / provisioned capacity, 0-1) above which owning is cheaper.

    Owning costs a fixed amount plus energy that is piecewise linear in utilisation
    (the power curve's 10 % steps); renting (``against``: on-demand, savings plan or
    spot) is linear in it. So the difference is piecewise linear: it is evaluated at
    the curve's knots and the first sign change is solved exactly by linear
    interpolation (closed form on that segment). Returns ``nan`` when renting is
    cheaper even at 100 % utilisation (owning never wins).
    """
    require_choice("against", against, CLOUD_OPTIONS)
    require_choice("server", server, server_names())
    knots = _curves()[server][0]
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


# ---------------------------------------------------------------------------------------------------------
# Sensitivity
# ---------------------------------------------------------------------------------------------------------
SENSITIVITY_OUTPUTS = ("break_even_utilization", "owning_saving_usd_per_month")


def _sensitivity_result(output: str, against: str, utilization: float, capacity_instances: float,
                        horizon_years, values: dict) -> float:
    if output == "break_even_utilization":
        result = break_even_utilization(against=against, capacity_instances=capacity_instances,
                                        horizon_years=horizon_years, **values)
        return 1.0 if math.isnan(result) else result
    curves = cost_curves([utilization], capacity_instances=capacity_instances, horizon_years=horizon_years,
                         **values).set_index("option")["cost_usd_per_month"]
    return float(curves[against] - curves[ON_PREMISES])


def sensitivity(*, output: str = "break_even_utilization", against: str = ON_DEMAND, utilization: float = 0.3,
                capacity_instances: float = DEFAULT_FLEET_VMS, horizon_years: float | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity: every parameter of cost_assumptions.csv at its low and high, others at default.

    ``output``: ``"break_even_utilization"`` (0-1; a case where owning never wins is
    reported as 1.0 and flagged in ``owning_never_wins``) or ``"owning_saving_usd_per_month"``
    (renting minus owning, USD per month, at ``utilization``). Columns: ``parameter``,
    ``unit``, ``kind``, ``low_value``, ``high_value``, ``low_result``, ``high_result``,
    ``swing``, ``owning_never_wins``; sorted by swing, widest first; ``attrs["baseline"]``
    holds the result at the defaults.
    """
    require_choice("output", output, SENSITIVITY_OUTPUTS)
    require_choice("against", against, CLOUD_OPTIONS)
    share = require_fraction("utilization", utilization)
    table = cost_parameters()
    defaults = default_parameters()
    rows = []
    never = output == "break_even_utilization"
    for name, row in table.iterrows():
        results = []
        flags = []
        for value in (row["low"], row["high"]):
            values = {**defaults, name: value}
            results.append(_sensitivity_result(output, against, share, capacity_instances, horizon_years, values))
            flags.append(never and math.isnan(break_even_utilization(
                against=against, capacity_instances=capacity_instances, horizon_years=horizon_years, **values)))
        rows.append({"parameter": name, "unit": row["unit"], "kind": row["kind"], "low_value": row["low"],
                     "high_value": row["high"], "low_result": results[0], "high_result": results[1],
                     "swing": abs(results[1] - results[0]), "owning_never_wins": any(flags)})
    result = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    result.attrs["baseline"] = _sensitivity_result(output, against, share, capacity_instances, horizon_years, defaults)
    result.attrs["output"] = output
    return result


# ---------------------------------------------------------------------------------------------------------
# The article's Double-11 case, recomputed under stated assumptions
# ---------------------------------------------------------------------------------------------------------
#: The shop is invented: these are ASSUMPTIONS for illustration, not facts from the article (which names no
#: company, fleet size or baseline). Each can be changed in double11_case().
DOUBLE11_ASSUMPTIONS = {
    "normal_instances": (500.0, "instances (m5.large-sized VMs)", "Average demand outside the sale."),
    "daily_swing_fraction": (0.3, "fraction", "Daily cycle: peak 30 % above the average at 14:00."),
    "peak_multiplier": (5.0, "x normal", "Demand during the sale is k x normal."),
    "peak_days": (3.0, "days", "Length of the sale peak (9-11 November)."),
    "noise_fraction": (0.05, "fraction", "Hour-to-hour noise (seeded)."),
}
DOUBLE11_SPIKE_START_DAY = 312  # 9 November in a non-leap year (day 0 = 1 January)


def double11_assumptions() -> pd.DataFrame:
    """The Double-11 shop's assumptions as a table (all labelled ``assumption``: the article gives none)."""
    return pd.DataFrame([{"assumption": name, "value": value, "unit": unit, "meaning": meaning,
                          "kind": "assumption (illustrative; not from the article)"}
                         for name, (value, unit, meaning) in DOUBLE11_ASSUMPTIONS.items()])


def double11_demand(*, normal_instances: float = 500, peak_multiplier: float = 5, peak_days: int = 3,
                    daily_swing_fraction: float = 0.3, noise_fraction: float = 0.05, seed: int = 11) -> np.ndarray:
    """One year (8,760 hours) of the assumed shop's demand, with the sale peak from 9 November.

    Arguments are checked under their own names (``peak_days`` may be 0-53: the sale cannot run past 31 December).
    """
    normal = require_number("normal_instances", normal_instances, minimum=0, maximum=1e7, unit="instances")
    multiplier = require_number("peak_multiplier", peak_multiplier, minimum=1, maximum=1000, unit="x normal")
    days = require_integer("peak_days", peak_days, minimum=0, maximum=365 - DOUBLE11_SPIKE_START_DAY)
    return demand_profile(days=365, baseline_instances=normal, daily_swing_fraction=daily_swing_fraction,
                          noise_fraction=noise_fraction, spike_start_day=DOUBLE11_SPIKE_START_DAY,
                          spike_days=days, spike_multiplier=multiplier, seed=seed)


def double11_case(*, normal_instances: float = 500, peak_multiplier: float = 5, peak_days: int = 3,
                  daily_swing_fraction: float = 0.3, noise_fraction: float = 0.05, seed: int = 11,
                  **parameters) -> pd.DataFrame:
    """Annual cost (USD per year) of four ways to serve the assumed shop's year, by component.

    * ``own for the peak``: buy servers for the sale peak and keep them all year;
    * ``own the base, rent the peak``: own enough for the rest of the year's peak, rent the excess on demand;
    * ``on-demand``: rent every instance-hour;
    * ``savings plan + on-demand``: commit to the optimal baseline, rent the rest.

    Columns ``strategy``, ``component``, ``cost_usd_per_year``, ``hosts``. ``attrs`` holds the
    hardware not bought (USD), the savings-plan saving vs on-demand (USD per year), peak and
    base hosts.
    """
    demand = double11_demand(normal_instances=normal_instances, peak_multiplier=peak_multiplier,
                             peak_days=peak_days, daily_swing_fraction=daily_swing_fraction,
                             noise_fraction=noise_fraction, seed=seed)
    peak_days = int(peak_days)  # checked by double11_demand
    values = resolve_parameters(parameters)
    yearly = monthly_cost_by_option(demand, **values)
    yearly["cost_usd_per_year"] = yearly["cost_usd_per_month"] * 12
    day = np.arange(demand.size) // 24
    in_sale = (day >= DOUBLE11_SPIKE_START_DAY) & (day < DOUBLE11_SPIKE_START_DAY + int(peak_days))
    base_capacity = float(demand[~in_sale].max())
    hybrid_owned = monthly_cost_by_option(np.minimum(demand, base_capacity), capacity_instances=base_capacity,
                                          **values)
    hybrid_owned = hybrid_owned[hybrid_owned["option"] == ON_PREMISES]
    burst = monthly_cost_by_option(np.clip(demand - base_capacity, 0, None), **values)
    burst = burst[burst["option"] == ON_DEMAND]
    hybrid = hybrid_owned.assign(cost_usd_per_month=hybrid_owned["cost_usd_per_month"].to_numpy()
                                 + burst["cost_usd_per_month"].to_numpy())
    hosts_peak = hosts_needed(float(demand.max()), values["vms_per_host"])
    hosts_base = hosts_needed(base_capacity, values["vms_per_host"])
    parts = [
        ("own for the peak", yearly[yearly["option"] == ON_PREMISES], hosts_peak),
        ("own the base, rent the peak", hybrid, hosts_base),
        ("on-demand", yearly[yearly["option"] == ON_DEMAND], 0),
        ("savings plan + on-demand", yearly[yearly["option"] == SAVINGS_PLAN], 0),
    ]
    table = pd.concat([frame.assign(strategy=name, hosts=hosts, cost_usd_per_year=frame["cost_usd_per_month"] * 12)
                       [["strategy", "component", "cost_usd_per_year", "hosts"]] for name, frame, hosts in parts],
                      ignore_index=True)
    totals = table.groupby("strategy", sort=False)["cost_usd_per_year"].sum()
    table.attrs.update({
        "hosts_peak": hosts_peak, "hosts_base": hosts_base, "peak_instances": int(demand.max()),
        "base_instances": base_capacity, "mean_instances": float(demand.mean()),
        "utilization_own_for_peak": float(demand.mean() / (hosts_peak * values["vms_per_host"])),
        "hardware_not_bought_usd": (hosts_peak - hosts_base) * values["server_price_usd"],
        "savings_plan_saving_usd_per_year": float(totals["on-demand"] - totals["savings plan + on-demand"]),
        "committed_instances": optimal_commitment_instances(demand, values["savings_plan_discount"]),
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
    * A savings plan saves discount x price x 8,760 h per committed instance per year, so
      committed instances = saving / (discount x price x 8,760).

    Columns ``quantity``, ``value``, ``unit``, ``how``.
    """
    hardware = require_number("hardware_saving_usd", hardware_saving_usd, minimum=0, unit="USD")
    plan = require_number("savings_plan_saving_usd_per_year", savings_plan_saving_usd_per_year, minimum=0)
    multiplier = require_number("peak_multiplier", peak_multiplier, minimum=1, maximum=1000, min_inclusive=False)
    values = resolve_parameters(parameters)
    extra_hosts = hardware / values["server_price_usd"]
    extra_vms = extra_hosts * values["vms_per_host"]
    normal_vms = extra_vms / (multiplier - 1)
    per_instance_saving = values["savings_plan_discount"] * values["on_demand_usd_per_hour"] * HOURS_PER_YEAR
    committed = plan / per_instance_saving if per_instance_saving > 0 else float("inf")
    rows = [
        ("servers not bought", extra_hosts, "servers", f"{hardware:,.0f} USD / {values['server_price_usd']:,.0f} USD"),
        ("extra VMs at the peak", extra_vms, "VMs", f"servers x {values['vms_per_host']:g} VMs per host"),
        ("normal VMs (peak = k x normal)", normal_vms, "VMs", f"extra VMs / ({multiplier:g} - 1)"),
        ("VMs committed all year", committed, "VMs",
         f"{plan:,.0f} USD / ({values['savings_plan_discount']:.0%} x {values['on_demand_usd_per_hour']} USD/h x 8,760 h)"),
        ("on-demand spend that commitment replaces", committed * values["on_demand_usd_per_hour"] * HOURS_PER_YEAR,
         "USD per year", "committed VMs x price x 8,760 h"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "unit", "how"])
