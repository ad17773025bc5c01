"""The oracle for chapter 3's simulator: the same model as ``helpers.resources.simulate``, as plain Python loops.

One hour at a time, with Python floats, ints and ``math``: no numpy, nothing clever, so
that a reader can check each rule against the docstring of :mod:`helpers.resources`.
The tests run both on seeded random inputs and require the same capacity paths and the
same summary (to 1e-9 relative); ``make benchmark`` times both (the fast version must be
at least 10x faster).
"""

from __future__ import annotations

import math

from helpers.resources import LATENCY_UTILIZATION_CAP, STRATEGIES

EPS = 1e-9


def need(value: float, target: float) -> int:
    return math.ceil(value / target - EPS)


def clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def quantile(values: list[float], share: float) -> float:
    """Inverted-CDF quantile: the smallest value with at least ``share`` of the values <= it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered) - EPS))
    return ordered[min(rank, len(ordered)) - 1]


def weighted_quantile(values: list[float], weights: list[float], share: float) -> float:
    pairs = sorted(zip(values, weights), key=lambda pair: pair[0], reverse=True)  # largest first
    tail = (1 - share) * sum(weights)
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running > tail:
            return value
    return pairs[-1][0]


def cooldown_hours(seconds: float) -> int:
    return max(1, math.ceil(seconds / 3600 - EPS))


def reactive(demand, target, out, low_at, cooldown_s, window, low, high, startup_s) -> list[int]:
    capacity = clip(need(demand[0], target), low, high)
    path = []
    next_allowed = 0
    low_run = 0
    for hour, value in enumerate(demand):
        if value < low_at * capacity:
            low_run += 1
        else:
            low_run = 0
        if hour >= next_allowed:
            if value > out * capacity and capacity < high:
                capacity = clip(need(value, target), low, high)
                next_allowed = hour + cooldown_hours(startup_s + cooldown_s)
                low_run = 0
            elif low_run >= window:
                highest = max(demand[hour - window + 1: hour + 1])
                wanted = clip(need(highest, target), low, high)
                if wanted < capacity:
                    capacity = wanted
                    next_allowed = hour + cooldown_hours(cooldown_s)
                    low_run = 0
        path.append(capacity)
    return path


def simulate(demand: list[float], forecast: list[float], s: dict) -> dict:
    """Paths and summary rows of every strategy; ``s`` holds every setting (as simulate() resolves them)."""
    target = s["target_utilization"]
    low, high = s["min_instances"], s["max_instances"]
    reaction, startup = s["reaction_s"], s["startup_s"] + s["warmup_s"]  # launch to serving
    peak_fleet = need(max(demand), target)
    quantile_fleet = need(quantile(demand, s["fixed_quantile"]), target)
    base = min(high, need(quantile(demand, s["base_quantile"]), target))
    args = (target, s["scale_out_at"], s["scale_in_at"], s["cooldown_s"], s["scale_in_hours"])
    paths = {
        "fixed_peak": [peak_fleet] * len(demand),
        "fixed_quantile": [quantile_fleet] * len(demand),
        "reactive": reactive(demand, *args, low, high, startup),
        "scheduled": [clip(need(f * (1 + s["schedule_margin"]), target), low, high) for f in forecast],
        "hybrid": reactive(demand, *args, max(low, base), high, startup),
    }
    total_demand = sum(demand)
    rows = []
    for name in STRATEGIES:
        path = paths[name]
        moving = name in ("reactive", "hybrid")
        served_total = unserved_total = billed_total = 0.0
        hours_short = actions = 0
        launches = path[0]
        rho_values, rho_weights = [], []
        for hour, value in enumerate(demand):
            new = path[hour]
            old = path[hour - 1] if (moving and hour > 0) else new
            if new != old:
                actions += 1
                before_share = (reaction + (startup if new > old else 0.0)) / 3600
                billed = old * (reaction / 3600) + new * (1 - reaction / 3600)
                launches += max(new - old, 0)
                pieces = [(old, before_share), (new, 1 - before_share)]
            else:
                billed = new
                pieces = [(new, 1.0)]
            if not moving and hour + 1 < len(path) and path[hour + 1] > new:  # started ahead, billed before
                billed += (path[hour + 1] - new) * startup / 3600
                launches += path[hour + 1] - new
            served = 0.0
            for capacity, share in pieces:
                work = min(value, capacity) * share
                served += work
                if work > 0:
                    rho_values.append(min(value / capacity, 1.0))
                    rho_weights.append(work)
            unserved = value - served
            served_total += served
            unserved_total += unserved
            billed_total += billed
            if unserved > 1e-9:
                hours_short += 1
        p99 = weighted_quantile(rho_values, rho_weights, 0.99) if rho_values else 0.0
        rows.append({
            "strategy": name, "mean_capacity": sum(path) / len(path), "peak_capacity": max(path),
            "billed_instance_hours": billed_total, "owned_instances": base if name == "hybrid" else 0,
            "unserved_instance_hours": unserved_total,
            "unserved_share": unserved_total / total_demand if total_demand > 0 else 0.0,
            "utilization": (total_demand - unserved_total) / billed_total if billed_total > 0 else 0.0,
            "p99_utilization": p99,
            "p99_latency_x": math.log(100) / (1 - min(p99, LATENCY_UTILIZATION_CAP)),
            "hours_short": hours_short, "launches": launches, "actions": actions,
        })
    return {"paths": paths, "rows": rows}
