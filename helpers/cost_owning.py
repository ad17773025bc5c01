"""What owning servers costs: the building blocks, one cost each (chapter 05).

Each function computes one line of an owner's bill, in USD per month unless its name
says otherwise, from numbers (and for power, a measured curve). The comparison
(:mod:`helpers.cost_comparing`) adds them up for a fleet; the notebook calls them one
at a time to show the arithmetic.

* capital: :func:`annuity_usd_per_month`, :func:`server_capital_usd_per_month`,
  :func:`facility_cost_usd_per_month` (a purchase paid as a level monthly annuity at the
  cost of capital; straight-line when the rate is 0);
* running the building: :func:`facility_operations_usd_per_month`;
* power: :func:`server_power_w` (SPECpower curve), :func:`host_cpu_load` (running VMs'
  CPU use -> load), :func:`energy_cost_usd_per_month` (watts x PUE x hours x price);
* people and contracts: :func:`staff_cost_usd_per_server_month`,
  :func:`post_warranty_support_usd_per_month`;
* the hypervisor: :func:`licensed_cores`, :func:`licence_usd_per_host_month`;
* how many: :func:`hosts_needed` (for the peak), plus ``spare_hosts`` (N+k) in the comparison;
* :func:`storage_cost_usd_per_month`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .cost_inputs import (DEFAULT_SERVER, HOURS_PER_MONTH, VM_VCPUS, WARRANTY_YEARS, check_parameter, require_numbers,
                          server_spec)
from .data import load
from .validation import require_choice, require_fraction, require_integer, require_number

__all__ = [
    "server_names", "power_curve", "server_power_w", "host_cpu_load", "annuity_usd_per_month",
    "server_capital_usd_per_month", "facility_cost_usd_per_month", "facility_operations_usd_per_month",
    "energy_cost_usd_per_month", "storage_cost_usd_per_month", "staff_cost_usd_per_server_month",
    "post_warranty_support_usd_per_month", "support_years_paid", "licensed_cores", "licence_usd_per_host_month",
    "hosts_needed", "years_paid_factor",
]


def _is_sequence(value) -> bool:
    return isinstance(value, (Sequence, np.ndarray, pd.Series)) and not isinstance(value, (str, bytes))


# ---------------------------------------------------------------------------------------------------------
# Power
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
    """Electrical power (W) of ``server`` at CPU load ``utilization`` (0-1), by linear interpolation of its curve.

    ``utilization`` may be a number (returns a float) or a sequence (returns an array); bools
    are refused in both.
    """
    require_choice("server", server, server_names())
    load_fraction, power = _curves()[server]
    if _is_sequence(utilization):
        return np.interp(require_numbers("utilization", utilization, minimum=0, maximum=1), load_fraction, power)
    return float(np.interp(require_fraction("utilization", utilization), load_fraction, power))


def host_cpu_load(running_vms, hosts: int, vm_cpu_utilization: float, server: str = DEFAULT_SERVER):
    """CPU load (0-1) of each of ``hosts`` hosts when ``running_vms`` VMs are spread evenly over them.

    load = running VMs x 2 vCPU (one m5.large) x ``vm_cpu_utilization`` / (hosts x hardware
    threads per host), capped at 1. A running VM that idles occupies a slot but draws
    little power: only its busy vCPUs load the host. ``running_vms`` may be a number or a
    sequence (then an array is returned). Example: 288 VMs at 20 % on 6 EPYC hosts (384
    threads each) -> 288 x 2 x 0.2 / 2,304 = 0.05.
    """
    threads = server_spec(server)["threads"]
    count = require_integer("hosts", hosts, minimum=0, maximum=10_000_000)
    util = check_parameter("vm_cpu_utilization", vm_cpu_utilization)
    if _is_sequence(running_vms):
        running = require_numbers("running_vms", running_vms, minimum=0)
    else:
        running = require_number("running_vms", running_vms, minimum=0, unit="VMs")
    if count == 0:
        return np.zeros_like(running) if _is_sequence(running_vms) else 0.0
    return np.minimum(running * VM_VCPUS * util / (count * threads), 1.0)


def energy_cost_usd_per_month(power_w, pue: float, electricity_usd_per_kwh: float,
                              hours: float = HOURS_PER_MONTH):
    """Energy bill: IT power (W) x PUE x hours / 1000 (-> kWh) x price (USD/kWh); per month by default.

    ``power_w`` may be a number or an array (then an array is returned).
    """
    if _is_sequence(power_w):
        watts = require_numbers("power_w", power_w, minimum=0)
    else:
        watts = require_number("power_w", power_w, minimum=0, unit="W")
    ratio = check_parameter("pue", pue)
    price = check_parameter("electricity_usd_per_kwh", electricity_usd_per_kwh)
    duration = require_number("hours", hours, minimum=0, unit="h")
    return watts * ratio * duration / 1000 * price


# ---------------------------------------------------------------------------------------------------------
# Capital
# ---------------------------------------------------------------------------------------------------------
def annuity_usd_per_month(principal_usd: float, years: float, cost_of_capital: float = 0.0) -> float:
    """The level monthly payment that repays ``principal_usd`` over ``years`` at an annual rate.

    payment = P x i / (1 - (1 + i)^-n), with i = cost_of_capital / 12 and n = 12 x years
    (monthly compounding, as a loan or Hamilton's cost model); P / n when the rate is 0
    (straight-line). Example: $40,000 over 5 years at 5 %: i = 0.0041667, n = 60,
    payment = 40,000 x 0.0041667 / (1 - 1.0041667^-60) = $754.85 vs $666.67 straight-line.
    """
    principal = require_number("principal_usd", principal_usd, minimum=0, unit="USD")
    n = 12 * require_number("years", years, minimum=0, min_inclusive=False, maximum=100, unit="years")
    rate = check_parameter("cost_of_capital", cost_of_capital) / 12
    if rate == 0:
        return principal / n
    return principal * rate / -math.expm1(-n * math.log1p(rate))


def years_paid_factor(horizon_years: float, lifetime_years: float) -> float:
    """Years paid per year used: a purchase (or commitment) of ``lifetime_years`` is paid in full even if the
    horizon ends sooner, with no resale value: ceil(horizon / lifetime) x lifetime / horizon (1 when the horizon
    is a whole number of lifetimes). Example: a 5-year server used 2 years: ceil(0.4) x 5 / 2 = 2.5."""
    horizon = require_number("horizon_years", horizon_years, minimum=0, min_inclusive=False, maximum=30)
    lifetime = require_number("lifetime_years", lifetime_years, minimum=0, min_inclusive=False, maximum=100)
    return math.ceil(horizon / lifetime - 1e-9) * lifetime / horizon


def server_capital_usd_per_month(server_price_usd: float, server_lifetime_years: float,
                                 cost_of_capital: float = 0.0) -> float:
    """A server's purchase price paid over its lifetime (USD per month): see :func:`annuity_usd_per_month`.

    At ``cost_of_capital`` 0 (the default) this is price / (years x 12).
    """
    price = check_parameter("server_price_usd", server_price_usd)
    years = check_parameter("server_lifetime_years", server_lifetime_years)
    return annuity_usd_per_month(price, years, check_parameter("cost_of_capital", cost_of_capital))


def facility_cost_usd_per_month(peak_power_w: float, facility_usd_per_w: float, facility_lifetime_years: float,
                                cost_of_capital: float = 0.0) -> float:
    """The building's power and cooling plant for one server: full-load watts x USD per W, paid over the
    facility's life (an annuity at ``cost_of_capital``; straight-line, watts x USD/W / (years x 12), at 0)."""
    watts = require_number("peak_power_w", peak_power_w, minimum=0, unit="W")
    per_w = check_parameter("facility_usd_per_w", facility_usd_per_w)
    years = check_parameter("facility_lifetime_years", facility_lifetime_years)
    return annuity_usd_per_month(watts * per_w, years, check_parameter("cost_of_capital", cost_of_capital))


def facility_operations_usd_per_month(peak_power_w: float, facility_opex_usd_per_kw_month: float) -> float:
    """Running the building for one server (maintenance, security, insurance; no energy): full-load kW x rate.

    Example: 817 W at $25 per kW-month = 0.817 x 25 = $20.43 a month.
    """
    watts = require_number("peak_power_w", peak_power_w, minimum=0, unit="W")
    return watts / 1000 * check_parameter("facility_opex_usd_per_kw_month", facility_opex_usd_per_kw_month)


# ---------------------------------------------------------------------------------------------------------
# People, contracts, licences
# ---------------------------------------------------------------------------------------------------------
def storage_cost_usd_per_month(storage_gb: float, usd_per_gb_month: float) -> float:
    """Storage bill: GB x USD per GB-month."""
    size = require_number("storage_gb", storage_gb, minimum=0, unit="GB")
    price = require_number("usd_per_gb_month", usd_per_gb_month, minimum=0, maximum=10, unit="USD/GB-month")
    return size * price


def staff_cost_usd_per_server_month(admin_salary_usd_per_year: float, servers_per_admin: float,
                                    admin_overhead_factor: float = 1.0) -> float:
    """Administrator cost per physical server: salary x overhead factor / 12 / servers per admin."""
    salary = check_parameter("admin_salary_usd_per_year", admin_salary_usd_per_year)
    ratio = check_parameter("servers_per_admin", servers_per_admin)
    overhead = check_parameter("admin_overhead_factor", admin_overhead_factor)
    return salary * overhead / 12 / ratio


def support_years_paid(horizon_years: float, server_lifetime_years: float,
                       warranty_years: float = WARRANTY_YEARS) -> float:
    """Years of post-warranty support paid over ``horizon_years`` when servers are replaced every lifetime.

    Sum over the server generations of max(0, years that generation runs - warranty years).
    Example: a 5-year life, 3-year warranty, 5-year horizon -> 2; a 6-year horizon -> 2 + 0 = 2.
    """
    horizon = require_number("horizon_years", horizon_years, minimum=0, min_inclusive=False, maximum=30)
    lifetime = check_parameter("server_lifetime_years", server_lifetime_years)
    warranty = require_number("warranty_years", warranty_years, minimum=0, maximum=30, unit="years")
    paid, start = 0.0, 0.0
    while start < horizon - 1e-9:
        paid += max(0.0, min(lifetime, horizon - start) - warranty)
        start += lifetime
    return paid


def post_warranty_support_usd_per_month(server_price_usd: float, post_warranty_support_fraction: float,
                                        server_lifetime_years: float, horizon_years: float | None = None,
                                        warranty_years: float = WARRANTY_YEARS) -> float:
    """Hardware support bought after the warranty, averaged over the horizon (USD per server-month).

    price x fraction per year x :func:`support_years_paid` / (12 x horizon); the horizon
    defaults to one server lifetime. Example: $40,000 x 0.10 x 2 years / 60 months = $133.33.
    """
    price = check_parameter("server_price_usd", server_price_usd)
    fraction = check_parameter("post_warranty_support_fraction", post_warranty_support_fraction)
    lifetime = check_parameter("server_lifetime_years", server_lifetime_years)
    horizon = lifetime if horizon_years is None else require_number(
        "horizon_years", horizon_years, minimum=0, min_inclusive=False, maximum=30, unit="years")
    return price * fraction * support_years_paid(horizon, lifetime, warranty_years) / (12 * horizon)


def licensed_cores(cpus: int, cores_per_cpu: int, licence_min_cores_per_cpu: float = 0) -> int:
    """Cores a per-core licence charges for one host: CPUs x max(cores per CPU, minimum per CPU).

    Broadcom's rule for VCF/VVF (KB 313548) is a minimum of 16 cores per CPU: 2 CPUs x 8 cores
    are licensed as 32, 2 x 96 as 192.
    """
    sockets = require_integer("cpus", cpus, minimum=1, maximum=64)
    cores = require_integer("cores_per_cpu", cores_per_cpu, minimum=1, maximum=100000)
    minimum = int(check_parameter("licence_min_cores_per_cpu", licence_min_cores_per_cpu))
    return sockets * max(cores, minimum)


def licence_usd_per_host_month(licence_usd_per_core_year: float, server: str = DEFAULT_SERVER,
                               licence_min_cores_per_cpu: float = 0) -> float:
    """The hypervisor's subscription for one host of ``server`` (USD per month): licensed cores x price / 12.

    Example: vSphere Foundation at $135 per core-year on 2 x 96-core EPYC = 192 x 135 / 12 = $2,160 a month.
    """
    price = check_parameter("licence_usd_per_core_year", licence_usd_per_core_year)
    spec = server_spec(server)
    return licensed_cores(spec["cpus"], spec["cores_per_cpu"], licence_min_cores_per_cpu) * price / 12


def hosts_needed(peak_instances: float, vms_per_host: int) -> int:
    """Servers to buy for a fleet: provision for the peak, ceil(peak_instances / vms_per_host)."""
    peak = require_number("peak_instances", peak_instances, minimum=0, unit="instances")
    per_host = check_parameter("vms_per_host", vms_per_host)
    return int(math.ceil(peak / per_host - 1e-9))
