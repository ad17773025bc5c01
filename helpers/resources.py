"""Chapter 3 model: a fixed fleet vs elastic capacity, simulated hour by hour for a year.

Pure functions of numbers and arrays (no widgets, no charts), in four parts:

* **Demand**: :func:`helpers.demand.demand_year` (re-exported here as ``demand_year``), the
  course's one demand generator: a seeded synthetic year, hour by hour (8,760 steps), in
  *instances' worth of work at 100 % utilisation* (one instance = one m5.large-sized VM, as in
  chapter 5), with a daily cycle, weekends, growth, noise and a sale from 9 November (the
  article's Double 11). Chapter 5's Double-11 shop is one setting of it (no weekend dip, no
  growth, rounded up to whole instances).

* **Strategies**: how many instances are provisioned in each hour.

  - ``fixed_peak``: a fleet sized for the year's busiest hour, ``ceil(peak / target)``, all year.
  - ``fixed_quantile``: a fleet sized for a quantile of the hourly demand (default the 95th
    percentile); demand above its capacity goes unserved.
  - ``reactive``: an autoscaler. Once an hour, ``reaction_s`` seconds after the hour's demand
    arrives, it compares utilisation (demand / current capacity) with two thresholds: above
    ``scale_out_at`` it sets capacity to ``ceil(demand / target)``; after ``scale_in_hours``
    consecutive hours below ``scale_in_at`` it lowers capacity to the highest need of those
    hours (Kubernetes' HPA keeps the highest recommendation of its window). Launched instances
    serve ``startup_s + warmup_s`` seconds after launch (start-up times from
    ``data/startup_times.csv``: the VM answering; ``warmup_s``, default 0: the application starting,
    filling caches and passing the load balancer's health check), but are billed from launch; removed ones stop at once. After an action nothing happens
    for ``cooldown_s`` (after a scale-out, counted from when the new instances run, as EC2
    does). Capacity stays within ``min_instances``..``max_instances``.
  - ``scheduled``: capacity follows a forecast that knows the calendar (daily and weekly
    cycles, growth, the sale date) but not the noise, plus a margin, changed at hour
    boundaries with instances started ahead of time (their start-up is billed, not waited for).
  - ``hybrid`` ("own the base, rent the peak", the mix the article recommends): enough owned
    instances for a quantile of the needed capacity, kept all year; the reactive autoscaler
    rents instances above them.

* **Results** (:func:`simulate`), per strategy and per hour. A scaling decision splits its hour
  into two phases: before the change takes effect (the old capacity, for ``reaction_s``, plus
  ``startup_s`` when scaling out) and after (the new capacity). For each phase of capacity
  ``c`` and duration ``f`` (share of the hour): served = min(d, c) x f, unserved =
  max(d - c, 0) x f, serving capacity = c x f. Billed instance-hours count launched instances
  from their launch. The year's **utilisation** is served work / billed instance-hours.

  **Queueing proxy** (stated, not measured): each instance is treated as an M/M/1 queue
  (Poisson arrivals, exponential service, the load spread evenly). At utilisation rho its
  response time is exponential with mean ``S / (1 - rho)`` (S = the mean service time), so its
  99th percentile is ``ln(100) x S / (1 - rho)``. The proxy is that value at the utilisation
  below which 99 % of the year's served work ran (``p99_utilization``), with rho capped at
  0.99 (overloaded phases are counted as unserved work instead). A shared queue in front of
  many instances (M/M/c) does much better at the same utilisation, so for large fleets
  this is pessimistic; it shows the shape: latency explodes as utilisation approaches 1.

* **Cost** (:func:`strategy_costs`): every price and bill comes from :mod:`helpers.cost`
  (on-demand, savings plan, spot, owned servers, per-hour or per-second billing), in that one
  function, so the cost model has one entry point here.

What the model leaves out, each a first-order effect a practitioner would name: demand
within the hour (minute-scale bursts, which is where a 5-minute cooldown or a 90-second
boot really hurts), autocorrelated noise and forecast error for the schedule (so
``scheduled`` is the best case of scheduled or predictive scaling), requests that queue and
are served late or are retried (here: unserved), instance failures and spot interruptions
(spot is priced with chapter 5's redo model), the capacity the provider may not have at the
moment you ask (every launch succeeds; ``max_instances`` is a quota, not a shortage, so the
unserved work is a floor), separate scale-in and scale-out cooldowns (one ``cooldown_s``),
contention between instances (capacity is taken to grow linearly with instances), and
per-instance licences. Warm-up after boot is a parameter (``warmup_s``, default 0). For the hybrid: the link between the owned data centre and the cloud, data
transfer, and the owned servers' spare slots (bought in whole servers, not used). Time is
hourly: a decision per hour.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import cost
from .demand import HOURS_PER_YEAR, SALE_START_DAY, demand_forecast, demand_year  # noqa: F401  (re-exported)
from .data import SOURCE_KINDS, Column, load, register_schema
from .startup import startup_time_s
from .validation import require_choice, require_integer, require_number, require_series

__all__ = [
    "HOURS_PER_YEAR", "SALE_START_DAY", "STRATEGIES", "STRATEGY_LABELS", "PRICING", "BILLING",
    "LATENCY_UTILIZATION_CAP", "MAX_DEMAND", "elasticity_parameters", "elasticity_defaults",
    "demand_year", "demand_forecast", "needed_instances", "fixed_fleet", "scheduled_fleet",
    "reactive_fleet", "phases", "hour_metrics", "weighted_quantile", "p99_latency_multiple",
    "Simulation", "simulate", "simulate_year", "strategy_costs",
]

SECONDS_PER_HOUR = 3600.0
MAX_DEMAND = 1e9
#: The start-up lag used unless told otherwise: an EC2 Linux VM, API call to answering (Mao & Humphrey 2012).
DEFAULT_STARTUP_ID = "mao2012-ec2-linux"

STRATEGIES = ("fixed_peak", "fixed_quantile", "reactive", "scheduled", "hybrid")
STRATEGY_LABELS = {
    "fixed_peak": "fixed for the peak",
    "fixed_quantile": "fixed for a percentile",
    "reactive": "reactive autoscaling",
    "scheduled": "scheduled scaling",
    "hybrid": "own the base, rent the peak",
}
PRICING = ("on-demand", "savings plan", "spot")
BILLING = ("per second", "per hour")
#: Utilisation above which the queueing proxy is capped (an M/M/1 queue has no steady state at 1).
LATENCY_UTILIZATION_CAP = 0.99
_LN100 = math.log(100.0)
_EPS = 1e-9

register_schema(
    "elasticity_parameters",
    "The elasticity simulator's inputs: default and range of each, with sources (also the panel's sliders).",
    [
        Column("name", "str", "Parameter name (a keyword argument of simulate_year)."),
        Column("label", "str", "Short control label (<= 22 characters, no unit)."),
        Column("minimum", "float", "Lowest value offered."),
        Column("maximum", "float", "Highest value offered."),
        Column("step", "float", "Slider step.", minimum=0),
        Column("default", "float", "Default value."),
        Column("unit", "str", "Unit of the parameter."),
        Column("kind", "str", "How much to trust the default.", allowed=SOURCE_KINDS),
        Column("description", "str", "What the parameter is, and where its default and range come from."),
        Column("source", "str", "Source of the default and range."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="name",
)


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    table = load("elasticity_parameters")
    for row in table.itertuples(index=False):
        if not row.minimum <= row.default <= row.maximum:
            raise ValueError(f"elasticity_parameters.csv: parameter {row.name!r} needs minimum <= default <= maximum")
    return table


def elasticity_parameters() -> pd.DataFrame:
    """The simulator's parameters: default, range, unit, kind and source (``data/elasticity_parameters.csv``)."""
    return _parameters_cached().copy()


def elasticity_defaults() -> dict[str, float]:
    """Default value of every simulator parameter, by name (whole numbers as int)."""
    table = _parameters_cached()
    return {name: int(value) if float(value).is_integer() else float(value)
            for name, value in zip(table["name"], table["default"])}


# ---------------------------------------------------------------------------------------------------------
# Strategies: instances provisioned per hour
# ---------------------------------------------------------------------------------------------------------
def _check_target(target_utilization) -> float:
    return require_number("target_utilization", target_utilization, minimum=0, maximum=1, min_inclusive=False)


def _check_demand_series(name: str, values) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{name} must be a 1-D sequence of hourly demand, not a DataFrame")
    array = np.asarray(values) if not isinstance(values, (str, bytes)) else values
    if isinstance(array, np.ndarray) and array.dtype == bool:
        raise ValueError(f"{name} must hold numbers, not booleans")
    if isinstance(values, (list, tuple)) and any(isinstance(v, bool) for v in values):
        raise ValueError(f"{name} must hold numbers, not booleans")
    return require_series(name, values, minimum=0, maximum=MAX_DEMAND)


def needed_instances(demand, target_utilization: float) -> np.ndarray:
    """Instances needed to run ``demand`` at the target utilisation: ``ceil(demand / target)``, whole numbers."""
    load_ = _check_demand_series("demand", demand)
    target = _check_target(target_utilization)
    return _need(load_, target)


def _need(demand: np.ndarray, target: float) -> np.ndarray:
    # The 1e-9 keeps an exact quotient (60 / 0.6 = 100.00000000000001) from rounding up to 101.
    return np.ceil(demand / target - _EPS).astype(np.int64)


def fixed_fleet(demand, *, target_utilization: float, quantile: float = 1.0) -> np.ndarray:
    """A constant fleet: ``ceil(q-quantile of demand / target)`` every hour (``quantile=1`` = the peak).

    The quantile is the "inverted CDF" one: the hourly demand of rank ``ceil(quantile x hours)``
    in ascending order (the smallest demand that at least that share of the hours do not exceed).
    """
    load_ = _check_demand_series("demand", demand)
    target = _check_target(target_utilization)
    share = require_number("quantile", quantile, minimum=0, maximum=1)
    return _fixed(load_, target, share)


def _quantile(values: np.ndarray, share: float) -> float:
    """The inverted-CDF quantile: the value of rank ceil(share x n) (1-based; at least 1), found by partition."""
    rank = min(values.size, max(1, math.ceil(share * values.size - _EPS)))
    return float(np.partition(values, rank - 1)[rank - 1])


def _fixed(demand: np.ndarray, target: float, share: float) -> np.ndarray:
    level = float(demand.max()) if share == 1 else _quantile(demand, share)
    return np.full(demand.size, int(math.ceil(level / target - _EPS)), dtype=np.int64)


def scheduled_fleet(forecast, *, target_utilization: float, schedule_margin: float, min_instances: int = 0,
                    max_instances: int = 100_000) -> np.ndarray:
    """Capacity that follows a forecast: ``ceil(forecast x (1 + margin) / target)`` within min..max."""
    expected = _check_demand_series("forecast", forecast)
    target = _check_target(target_utilization)
    margin = require_number("schedule_margin", schedule_margin, minimum=0, maximum=10)
    low, high = _check_size_limits(min_instances, max_instances)
    return _scheduled(expected, target, margin, low, high)


def _scheduled(forecast: np.ndarray, target: float, margin: float, low: int, high: int) -> np.ndarray:
    return np.clip(_need(forecast * (1 + margin), target), low, high)


def _check_size_limits(min_instances, max_instances) -> tuple[int, int]:
    low = require_integer("min_instances", min_instances, minimum=0, maximum=1_000_000)
    high = require_integer("max_instances", max_instances, minimum=max(low, 1), maximum=10_000_000)
    return low, high


def _check_thresholds(target: float, scale_out_at, scale_in_at, tolerance: float = 0.1) -> tuple[float, float]:
    out = min(1.0, target * (1 + tolerance)) if scale_out_at is None else require_number(
        "scale_out_at", scale_out_at, minimum=target, maximum=1)
    low = target * (1 - tolerance) if scale_in_at is None else require_number(
        "scale_in_at", scale_in_at, minimum=0, maximum=target)
    return out, low


def _cooldown_hours(seconds: float) -> int:
    """Hours until the next decision may act: at least the next hour, then whole hours (rounded up)."""
    return max(1, int(math.ceil(seconds / SECONDS_PER_HOUR - _EPS)))


def reactive_fleet(demand, *, target_utilization: float, scale_out_at: float | None = None,
                   scale_in_at: float | None = None, cooldown_s: float = 300, scale_in_hours: int = 1,
                   min_instances: int = 0, max_instances: int = 100_000, startup_s: float = 0) -> np.ndarray:
    """The autoscaler's capacity after each hour's decision (whole instances, one value per hour).

    ``scale_out_at`` / ``scale_in_at`` default to target x 1.1 / target x 0.9 (HPA's tolerance
    0.1). The first hour starts with ``ceil(demand[0] / target)`` within min..max. See the
    module docstring for the rules; :func:`phases` turns this path into served capacity.
    """
    load_ = _check_demand_series("demand", demand)
    target = _check_target(target_utilization)
    out, low_at = _check_thresholds(target, scale_out_at, scale_in_at)
    cooldown = require_number("cooldown_s", cooldown_s, minimum=0, maximum=86_400, unit="s")
    window = require_integer("scale_in_hours", scale_in_hours, minimum=1, maximum=168)
    low, high = _check_size_limits(min_instances, max_instances)
    startup = require_number("startup_s", startup_s, minimum=0, maximum=SECONDS_PER_HOUR, unit="s")
    return _reactive(load_, target, out, low_at, cooldown, window, low, high, startup)


def _window_max(values: np.ndarray, window: int) -> np.ndarray:
    """max(values[t - window + 1 .. t]) for every t (a shorter window at the start)."""
    result = values.copy()
    for shift in range(1, min(window, values.size)):
        np.maximum(result[shift:], values[:-shift], out=result[shift:])
    return result


def _reactive(demand: np.ndarray, target: float, out: float, low_at: float, cooldown_s: float, window: int,
              low: int, high: int, startup_s: float, shared: dict | None = None) -> np.ndarray:
    """The decision recurrence. Everything that does not depend on the path is computed with numpy first
    (the capacity each hour would need, the highest need of each scale-in window); the loop itself only
    compares, about 0.1 microseconds an hour, and records the hours where capacity changes, from which
    numpy builds the path. ``shared`` caches those inputs between the two autoscaled strategies of one
    simulation (same demand and target)."""
    cache = {} if shared is None else shared
    if "need" not in cache:
        cache["load"] = demand.tolist()
        cache["need"] = _need(demand, target)
        cache["need_window"] = cache["need"] if window == 1 else _need(_window_max(demand, window), target)
    need = np.clip(cache["need"], low, high).tolist()
    need_window = need if window == 1 else np.clip(cache["need_window"], low, high).tolist()
    load_ = cache["load"]
    wait_out = _cooldown_hours(startup_s + cooldown_s)
    wait_in = _cooldown_hours(cooldown_s)
    capacity = need[0]
    hi, lo = out * capacity, low_at * capacity  # thresholds in instances, updated on each change
    hours, capacities = [0], [capacity]
    if window == 1 and wait_out == 1 and wait_in == 1:
        # The common case: every hour may act, a single low hour scales in (need_window is need).
        for hour, value in enumerate(load_):
            if lo <= value <= hi:
                continue
            wanted = need[hour]
            if (value > hi and capacity < high) or (value < lo and wanted < capacity):
                capacity = wanted
                hi, lo = out * capacity, low_at * capacity
                hours.append(hour)
                capacities.append(capacity)
    else:
        next_allowed = 0
        low_run = 0
        for hour, value in enumerate(load_):
            if value < lo:
                low_run += 1
            else:
                low_run = 0
                if value <= hi:
                    continue
            if hour < next_allowed:
                continue
            if value > hi:
                if capacity < high:
                    capacity = need[hour]
                    next_allowed = hour + wait_out
                else:
                    continue
            elif low_run >= window and need_window[hour] < capacity:
                capacity = need_window[hour]
                next_allowed = hour + wait_in
            else:
                continue
            hi, lo = out * capacity, low_at * capacity
            low_run = 0
            hours.append(hour)
            capacities.append(capacity)
    hours.append(len(load_))
    return np.repeat(np.array(capacities, dtype=np.int64), np.diff(hours))


# ---------------------------------------------------------------------------------------------------------
# Results per hour
# ---------------------------------------------------------------------------------------------------------
def phases(desired, previous, *, reaction_s: float, startup_s: float) -> dict[str, np.ndarray]:
    """Each hour as at most two phases of constant capacity: before and after its scaling decision.

    ``desired[t]`` is the capacity decided in hour t, ``previous[t]`` the capacity before it
    (equal when nothing changed). The old capacity serves for ``reaction_s`` (and, when scaling
    out, ``startup_s`` more); the new one for the rest of the hour. Returns ``before``
    (capacity), ``before_share`` (share of the hour, 0 when nothing changed), ``after`` and
    ``after_share`` (their sum is 1), and ``billed`` instance-hours: instances launched in the
    hour are billed from the decision, removed ones until it.
    """
    new = require_series("desired", desired, minimum=0)
    old = require_series("previous", previous, minimum=0)
    if new.size != old.size:
        raise ValueError(f"desired and previous must have the same length; got {new.size} and {old.size}")
    reaction, startup, _ = _check_lags(reaction_s, startup_s)
    return _phases(new, old, reaction, startup)


def _check_lags(reaction_s, startup_s, warmup_s=0.0) -> tuple[float, float, float]:
    reaction = require_number("reaction_s", reaction_s, minimum=0, maximum=SECONDS_PER_HOUR, unit="s")
    startup = require_number("startup_s", startup_s, minimum=0, maximum=SECONDS_PER_HOUR - reaction,
                             unit=f"s (start-up + reaction must fit in an hour; reaction is {reaction:g} s)")
    warmup = require_number("warmup_s", warmup_s, minimum=0, maximum=SECONDS_PER_HOUR - reaction - startup,
                            unit=f"s (warm-up + start-up + reaction must fit in an hour; start-up + reaction is "
                                 f"{startup + reaction:g} s)")
    return reaction, startup, warmup


def _phases(new: np.ndarray, old: np.ndarray, reaction: float, startup: float) -> dict[str, np.ndarray]:
    changed = new != old
    grows = new > old
    before_share = np.where(changed, (reaction + np.where(grows, startup, 0.0)) / SECONDS_PER_HOUR, 0.0)
    react = reaction / SECONDS_PER_HOUR
    billed = np.where(changed, old * react + new * (1 - react), new)
    return {"before": old.astype(float), "before_share": before_share, "after": new.astype(float),
            "after_share": 1 - before_share, "billed": billed}


def hour_metrics(demand, parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Served, unserved and serving capacity (instance-hours) per hour, from :func:`phases`' output."""
    load_ = _check_demand_series("demand", demand)
    if not isinstance(parts, dict) or not {"before", "before_share", "after", "after_share"} <= set(parts):
        raise ValueError("parts must be the dict returned by phases()")
    return _hour_metrics(load_, parts)


def _hour_metrics(demand: np.ndarray, parts: dict) -> dict[str, np.ndarray]:
    before, after = parts["before"], parts["after"]
    f_before, f_after = parts["before_share"], parts["after_share"]
    served = np.minimum(demand, before) * f_before + np.minimum(demand, after) * f_after
    capacity = before * f_before + after * f_after
    return {"served": served, "unserved": demand - served, "capacity": capacity}


def weighted_quantile(values, weights, q: float) -> float:
    """The smallest value whose cumulative weight (values sorted ascending) reaches ``q`` x the total weight.

    Weights must be >= 0 with a positive total. The same rule as numpy's ``inverted_cdf``.
    """
    x = require_series("values", values)
    w = require_series("weights", weights, minimum=0)
    if x.size != w.size:
        raise ValueError(f"values and weights must have the same length; got {x.size} and {w.size}")
    if w.sum() <= 0:
        raise ValueError("weights must have a positive total")
    share = require_number("q", q, minimum=0, maximum=1)
    return _weighted_quantile(x, w, share)


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """Sorts only the largest values when ``q`` is near 1: the top candidates are picked in linear time
    (``argpartition``) and sorted; if their weight does not cover the tail, everything is sorted."""
    n = x.size
    tail = (1 - q) * float(w.sum())
    for k in (n // 16, n // 4) if q >= 0.5 else ():
        if k < 64:
            break
        top = np.argpartition(x, n - k)[n - k:]
        order = top[np.argsort(-x[top], kind="stable")]
        cumulative = np.cumsum(w[order])
        if cumulative[-1] > tail:
            return float(x[order][int(np.searchsorted(cumulative, tail, side="right"))])
    order = np.argsort(-x, kind="stable")
    cumulative = np.cumsum(w[order])
    return float(x[order][min(int(np.searchsorted(cumulative, tail, side="right")), n - 1)])


def p99_latency_multiple(utilization):
    """The queueing proxy: an M/M/1 queue's 99th-percentile response time in mean service times.

    ``ln(100) / (1 - rho)`` with rho capped at 0.99 (460.5 service times). Accepts a number
    (0-1; returns a float) or a sequence (returns an array).
    """
    if isinstance(utilization, (list, tuple, np.ndarray)):
        rho = require_series("utilization", utilization, minimum=0, maximum=1)
        return _LN100 / (1 - np.minimum(rho, LATENCY_UTILIZATION_CAP))
    rho = require_number("utilization", utilization, minimum=0, maximum=1)
    return _LN100 / (1 - min(rho, LATENCY_UTILIZATION_CAP))


def _p99_utilization(demand: np.ndarray, parts: dict) -> float:
    """Weighted 99th percentile of utilisation over the hours' phases, weighted by the work served in each."""
    changed = parts["before_share"] > 0
    if changed.any():
        caps = np.concatenate([parts["after"], parts["before"][changed]])
        shares = np.concatenate([parts["after_share"], parts["before_share"][changed]])
        load_ = np.concatenate([demand, demand[changed]])
    else:
        caps, shares, load_ = parts["after"], parts["after_share"], demand
    served = np.minimum(load_, caps) * shares
    keep = served > 0
    if not keep.any():
        return 0.0
    rho = np.minimum(load_[keep] / caps[keep], 1.0)
    return _top_quantile_of_shares(rho, served[keep], 0.99)


_BINS = 512


def _top_quantile_of_shares(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """:func:`_weighted_quantile` for values in 0..1, sorting only the values of the top histogram bins.

    A weighted histogram (512 bins) finds the bin where the top (1 - q) of the weight ends; only
    the values from one bin below it up are sorted (every value above them is among them, so the
    running weight from the top is the same), which gives exactly the same answer."""
    tail = (1 - q) * float(w.sum())
    bins = np.minimum((x * _BINS).astype(np.int64), _BINS - 1)
    from_top = np.cumsum(np.bincount(bins, weights=w, minlength=_BINS)[::-1])
    crossing = _BINS - 1 - int(np.searchsorted(from_top, tail, side="right"))
    candidates = bins >= crossing - 1  # one bin of margin for rounding in the two sums
    values, weights = x[candidates], w[candidates]
    order = np.argsort(-values, kind="stable")
    cumulative = np.cumsum(weights[order])
    index = int(np.searchsorted(cumulative, tail, side="right"))
    return float(values[order][min(index, values.size - 1)])


# ---------------------------------------------------------------------------------------------------------
# The whole year, every strategy
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Simulation:
    """The result of :func:`simulate`: inputs, each strategy's capacity path and per-hour results, a summary.

    ``desired[s]`` / ``previous[s]``: capacity after / before each hour's decision;
    ``hourly[s]``: dict of per-hour arrays (``served``, ``unserved``, ``capacity`` serving
    instance-hours, ``billed`` instance-hours); ``owned[s]``: owned instances (the hybrid's base,
    else 0); ``launches[s]``: instances launched over the year (the first hour's fleet included);
    ``summary``: one row per strategy (see :func:`simulate`); ``settings``: the checked inputs.
    """

    demand: np.ndarray
    forecast: np.ndarray
    desired: dict[str, np.ndarray]
    previous: dict[str, np.ndarray]
    hourly: dict[str, dict[str, np.ndarray]]
    owned: dict[str, int]
    launches: dict[str, int]
    summary: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def hourly_table(self, strategy: str, start_hour: int = 0, hours: int = 168) -> pd.DataFrame:
        """Per-hour demand, capacity (serving, instance-hours in the hour), unserved work and utilisation."""
        require_choice("strategy", strategy, STRATEGIES)
        start = require_integer("start_hour", start_hour, minimum=0, maximum=self.demand.size - 1)
        length = require_integer("hours", hours, minimum=1, maximum=self.demand.size - start)
        window = slice(start, start + length)
        parts = self.hourly[strategy]
        capacity = parts["capacity"][window]
        served = parts["served"][window]
        return pd.DataFrame({
            "hour": np.arange(start, start + length), "demand_instances": self.demand[window],
            "capacity_instances": capacity, "unserved_instances": parts["unserved"][window],
            "utilization": np.divide(served, capacity, out=np.zeros_like(served), where=capacity > 0),
        })


SUMMARY_COLUMNS = ("strategy", "label", "mean_capacity", "peak_capacity", "billed_instance_hours", "owned_instances",
                   "unserved_instance_hours", "unserved_share", "utilization", "p99_utilization", "p99_latency_x",
                   "hours_short", "launches", "actions")
SIMULATION_SETTINGS = ("target_utilization", "scale_out_at", "scale_in_at", "tolerance", "cooldown_s",
                       "scale_in_hours", "reaction_s", "startup_s", "warmup_s", "min_instances", "max_instances",
                       "fixed_quantile", "schedule_margin", "base_quantile")


@functools.lru_cache(maxsize=1)
def _default_startup_s() -> float:
    return startup_time_s(DEFAULT_STARTUP_ID)


def _check_settings(target_utilization=0.6, scale_out_at=None, scale_in_at=None, tolerance=0.1, cooldown_s=300,
                    scale_in_hours=1, reaction_s=60, startup_s=None, warmup_s=0, min_instances=2,
                    max_instances=100_000, fixed_quantile=0.95, schedule_margin=0.15, base_quantile=0.9) -> dict:
    target = _check_target(target_utilization)
    if startup_s is None:
        startup_s = _default_startup_s()
    tol = require_number("tolerance", tolerance, minimum=0, maximum=1)
    out, low_at = _check_thresholds(target, scale_out_at, scale_in_at, tol)
    reaction, startup, warmup = _check_lags(reaction_s, startup_s, warmup_s)
    low, high = _check_size_limits(min_instances, max_instances)
    return {
        "target_utilization": target, "scale_out_at": out, "scale_in_at": low_at, "tolerance": tol,
        "cooldown_s": require_number("cooldown_s", cooldown_s, minimum=0, maximum=86_400, unit="s"),
        "scale_in_hours": require_integer("scale_in_hours", scale_in_hours, minimum=1, maximum=168),
        "reaction_s": reaction, "startup_s": startup, "warmup_s": warmup, "min_instances": low,
        "max_instances": high,
        "fixed_quantile": require_number("fixed_quantile", fixed_quantile, minimum=0, maximum=1),
        "schedule_margin": require_number("schedule_margin", schedule_margin, minimum=0, maximum=10),
        "base_quantile": require_number("base_quantile", base_quantile, minimum=0, maximum=1),
    }


def simulate(demand, forecast=None, **settings) -> Simulation:
    """Run every strategy of :data:`STRATEGIES` over an hourly ``demand`` (instances' worth of work, >= 0).

    ``forecast`` (same length) is what the scheduled fleet follows; by default the demand
    itself (a perfect forecast). ``settings`` (see ``data/elasticity_parameters.csv``):
    ``target_utilization`` 0.6, ``scale_out_at`` / ``scale_in_at`` (default target x (1 +/-
    ``tolerance``), tolerance 0.1), ``cooldown_s`` 300, ``scale_in_hours`` 1, ``reaction_s`` 60,
    ``startup_s`` 96.9 (EC2 Linux, 2012), ``warmup_s`` 0 (added to the start-up: launched instances
    serve after both; reaction + start-up + warm-up must fit in an hour), ``min_instances`` 2, ``max_instances`` 100,000,
    ``fixed_quantile`` 0.95, ``schedule_margin`` 0.15, ``base_quantile`` 0.9. Unknown names
    raise ``ValueError``.

    The summary has one row per strategy: ``strategy``, ``label``, ``mean_capacity`` and
    ``peak_capacity`` (instances), ``billed_instance_hours``, ``owned_instances``,
    ``unserved_instance_hours``, ``unserved_share`` (of all demand), ``utilization`` (served /
    billed), ``p99_utilization``, ``p99_latency_x`` (the queueing proxy, in mean service
    times), ``hours_short`` (hours with any unserved demand), ``launches`` and ``actions``
    (hours in which capacity changed).
    """
    unknown = sorted(set(settings) - set(SIMULATION_SETTINGS))
    if unknown:
        raise ValueError(f"settings must be among {list(SIMULATION_SETTINGS)}; got {unknown}")
    load_ = _check_demand_series("demand", demand)
    expected = load_ if forecast is None else _check_demand_series("forecast", forecast)
    if expected.size != load_.size:
        raise ValueError(f"forecast must have one value per hour of demand ({load_.size}); got {expected.size}")
    values = _check_settings(**settings)
    return _simulate(load_, expected, values)


def _simulate(demand: np.ndarray, forecast: np.ndarray, v: dict) -> Simulation:
    target = v["target_utilization"]
    low, high = v["min_instances"], v["max_instances"]
    lag = v["startup_s"] + v["warmup_s"]  # launch to serving: the VM boots, then the application warms up
    reactive_args = (target, v["scale_out_at"], v["scale_in_at"], v["cooldown_s"], v["scale_in_hours"])
    base = int(min(high, math.ceil(_quantile(demand, v["base_quantile"]) / target - _EPS)))
    shared: dict = {}
    desired = {
        "fixed_peak": _fixed(demand, target, 1.0),
        "fixed_quantile": _fixed(demand, target, v["fixed_quantile"]),
        "reactive": _reactive(demand, *reactive_args, low, high, lag, shared),
        "scheduled": _scheduled(forecast, target, v["schedule_margin"], low, high),
        "hybrid": _reactive(demand, *reactive_args, max(low, base), high, lag, shared),
    }
    owned = dict.fromkeys(STRATEGIES, 0)
    owned["hybrid"] = base
    previous, hourly, launches = {}, {}, {}
    columns: dict[str, list] = {name: [] for name in SUMMARY_COLUMNS}
    total_demand = float(demand.sum())
    for name in STRATEGIES:
        path = desired[name]
        if name in ("reactive", "hybrid"):
            before, metrics, launched, p99 = _evaluate_autoscaled(demand, path, v["reaction_s"], lag)
        else:
            before, metrics, launched, p99 = _evaluate_planned(demand, path, lag)
        previous[name], hourly[name], launches[name] = before, metrics, launched
        billed_total = float(metrics["billed"].sum())
        unserved = float(metrics["unserved"].sum())
        for column, value in (
                ("strategy", name), ("label", STRATEGY_LABELS[name]), ("mean_capacity", float(path.mean())),
                ("peak_capacity", int(path.max())), ("billed_instance_hours", billed_total),
                ("owned_instances", owned[name]), ("unserved_instance_hours", unserved),
                ("unserved_share", unserved / total_demand if total_demand > 0 else 0.0),
                ("utilization", (total_demand - unserved) / billed_total if billed_total > 0 else 0.0),
                ("p99_utilization", p99), ("p99_latency_x", _LN100 / (1 - min(p99, LATENCY_UTILIZATION_CAP))),
                ("hours_short", int(np.count_nonzero(metrics["unserved"] > 1e-9))), ("launches", launched),
                ("actions", int(np.count_nonzero(path != before)))):
            columns[column].append(value)
    return Simulation(demand=demand, forecast=forecast, desired=desired, previous=previous, hourly=hourly,
                      owned=owned, launches=launches, summary=pd.DataFrame(columns), settings=dict(v))


def _evaluate_planned(demand: np.ndarray, path: np.ndarray, startup_s: float):
    """A fixed or scheduled fleet: capacity changes only at hour boundaries, with instances started ahead
    (their start-up billed in the hour before), so each hour is one phase."""
    capacity = path.astype(float)
    served = np.minimum(demand, capacity)
    increase = np.maximum(path[1:] - path[:-1], 0)
    billed = capacity.copy()
    if increase.any():
        billed[:-1] += increase * (startup_s / SECONDS_PER_HOUR)
    metrics = {"served": served, "unserved": demand - served, "capacity": capacity, "billed": billed}
    keep = served > 0
    p99 = _top_quantile_of_shares(np.minimum(demand[keep] / capacity[keep], 1.0), served[keep], 0.99) \
        if keep.any() else 0.0
    return path, metrics, int(path[0] + increase.sum()), p99


def _evaluate_autoscaled(demand: np.ndarray, path: np.ndarray, reaction_s: float, startup_s: float):
    """The autoscaler's fleet: a change splits its hour into the old and the new capacity (see phases())."""
    before = np.concatenate([path[:1], path[:-1]])
    parts = _phases(path, before, reaction_s, startup_s)
    metrics = _hour_metrics(demand, parts)
    metrics["billed"] = parts["billed"]
    return before, metrics, int(path[0] + np.maximum(path - before, 0).sum()), _p99_utilization(demand, parts)


DEMAND_ARGUMENTS = ("base_instances", "daily_swing", "weekend_dip", "noise", "growth_per_year", "sale_multiplier",
                    "sale_days", "sale_start_day", "days", "seed")


def simulate_year(**arguments) -> Simulation:
    """Generate a year with :func:`demand_year` and its forecast, then :func:`simulate` every strategy.

    Accepts the demand arguments (``base_instances``, ``daily_swing``, ``weekend_dip``,
    ``noise``, ``growth_per_year``, ``sale_multiplier``, ``sale_days``, ``sale_start_day``,
    ``days``, ``seed``) and the simulation settings; anything not given takes its default from
    ``data/elasticity_parameters.csv`` (the model's own defaults otherwise).
    """
    unknown = sorted(set(arguments) - set(DEMAND_ARGUMENTS) - set(SIMULATION_SETTINGS))
    if unknown:
        raise ValueError(f"arguments must be among {list(DEMAND_ARGUMENTS + SIMULATION_SETTINGS)}; got {unknown}")
    values = {**elasticity_defaults(), **arguments}
    demand_args = {name: values[name] for name in DEMAND_ARGUMENTS if name in values}
    settings = {name: values[name] for name in SIMULATION_SETTINGS if name in values}
    demand = demand_year(**demand_args)
    forecast = demand_forecast(**{k: v for k, v in demand_args.items() if k not in ("noise", "seed")})
    return simulate(demand, forecast, **settings)


# ---------------------------------------------------------------------------------------------------------
# Cost: the one place that calls the cost model
# ---------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _rounding_hours_per_launch(billing: str, billing_minimum_s: float) -> float:
    """Extra hours billed per instance by the billing granularity, via helpers.cost.billed_seconds.

    An instance runs at least an hour here, and at hourly resolution the model cannot see where
    in an hour it stops; the fraction of its last hour is taken as uniform (3,600 points).
    """
    durations = SECONDS_PER_HOUR + (np.arange(3600) + 0.5)
    granularity = "hour" if billing == "per hour" else "second"
    billed = cost.billed_seconds(durations, granularity, billing_minimum_s)
    return float((billed - durations).mean()) / SECONDS_PER_HOUR


#: This chapter's pricing choices, as options of chapter 5's cost model.
_COST_OPTIONS = {"on-demand": cost.ON_DEMAND, "savings plan": cost.SAVINGS_PLAN, "spot": cost.SPOT}


def strategy_costs(simulation: Simulation, *, pricing: str = "on-demand", billing: str = "per second",
                   **cost_parameters) -> pd.DataFrame:
    """What each strategy's year costs (USD), priced by :mod:`helpers.cost` (all calls to it are here).

    * Rented instance-hours, hour by hour (billed from launch, start-up included), are priced by
      chapter 5's ``monthly_cost_by_option`` as the option ``pricing`` names: ``"on-demand"``;
      ``"savings plan"`` (the optimal commitment for that strategy's hourly path at the term's
      discount, the rest on demand); ``"spot"`` (redone work after interruptions; only for work that
      tolerates them: a web shop does not). Each includes the cloud storage and internet egress of the
      running instances, as in chapter 5.
    * The billing granularity's rounding (``billing``: ``"per second"`` with the 60 s minimum, or
      ``"per hour"``, every started hour; ``helpers.cost.billed_seconds``) adds instance-hours of
      compute at that option's hourly price (on demand for a savings plan: it is not committed).
    * The hybrid's owned base: chapter 5's on-premises cost (every owning component, spare hosts
      included) of that many instances serving the demand up to their capacity
      (``monthly_cost_by_option``), for the simulated months.

    ``cost_parameters`` override ``data/cost_assumptions.csv`` by name. Columns: ``strategy``,
    ``label``, ``rented_instance_hours``, ``rounding_instance_hours``, ``rented_usd``,
    ``owned_usd``, ``total_usd`` (for the simulated period, a year by default),
    ``usd_per_served_instance_hour``.
    """
    if not isinstance(simulation, Simulation):
        raise ValueError(f"simulation must be a Simulation from simulate(); got {type(simulation).__name__}")
    require_choice("pricing", pricing, PRICING)
    require_choice("billing", billing, BILLING)
    p = cost.resolve_parameters(cost_parameters)
    option = _COST_OPTIONS[pricing]
    price = p["on_demand_usd_per_hour"]
    extra_per_launch = _rounding_hours_per_launch(billing, p["billing_minimum_s"])
    months = simulation.demand.size / cost.HOURS_PER_MONTH
    rows = []
    for name in STRATEGIES:
        owned = simulation.owned[name]
        path = simulation.hourly[name]["billed"] - owned  # rented instance-hours, hour by hour
        rented_hours = float(path.sum())
        rented_launches = max(simulation.launches[name] - owned, 0)
        rounding = rented_launches * extra_per_launch
        rented_usd = 0.0
        if rented_hours > 0:
            monthly = cost.monthly_cost_by_option(path, **p)
            rented_usd = float(monthly.loc[monthly["option"] == option, "cost_usd_per_month"].sum()) * months
        if option == cost.SPOT:
            rented_usd += cost.spot_cost_usd(rounding, price, p["spot_discount"], p["spot_interruption_rate"],
                                             p["spot_job_hours"])
        else:
            rented_usd += cost.on_demand_cost_usd(rounding, price)
        owned_usd = 0.0
        if owned > 0:
            served_by_owned = np.minimum(simulation.demand, owned)
            monthly = cost.monthly_cost_by_option(served_by_owned, capacity_instances=owned, **p)
            owned_usd = float(monthly.loc[monthly["option"] == cost.ON_PREMISES, "cost_usd_per_month"].sum()) * months
        served = float(simulation.demand.sum() - simulation.hourly[name]["unserved"].sum())
        total = rented_usd + owned_usd
        rows.append({"strategy": name, "label": STRATEGY_LABELS[name], "rented_instance_hours": rented_hours,
                     "rounding_instance_hours": rounding, "rented_usd": rented_usd, "owned_usd": owned_usd,
                     "total_usd": total, "usd_per_served_instance_hour": total / served if served > 0 else 0.0})
    return pd.DataFrame(rows)
