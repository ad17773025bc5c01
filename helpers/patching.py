"""Chapter 6 model, part 3: how long a fleet stays exposed to a published vulnerability.

Day 0 is the day the vulnerability and its fix are published. A rollout starts after
``start_days`` (triage, testing, change approval; or an automatic approval delay),
then patches hosts in batches of ``batch_hosts`` at ``hosts_per_day``. Host ``k``
(0, 1, ..., in rollout order) is ready at::

    ready_k = start_days + (floor(k / batch_hosts) + 1) * batch_hosts / hosts_per_day

A share of *stragglers* (switched off, excluded, failed) is ready ``straggler_extra_days``
later; they are the last in the rollout order. If the patch needs a reboot that may only
happen in a maintenance window, a host is patched in the first window at or after it is
ready (windows every ``window_days``, the first on ``first_window_day``, by default one
full interval after publication: the worst case). With live migration or rolling
replacement there is no window (``window_days = 0``).

Exposure is counted in **host-days**: the sum over hosts of the days each stays
unpatched (capped at a horizon), and separately the host-days after exploitation
starts (``exploit_day``). Everything is deterministic: no random draws.

What the model leaves out: the time until a fix exists (zero-days), hosts nobody knows
about and patches that fail or are rolled back (so its exposure is a floor), and on the
other side mitigations (a WAF rule, a disabled feature) and kernel live patching, which
shorten real exposure without a reboot window. All hosts count alike; an internet-facing
host matters more than an internal one.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .data import load, panel_parameter_columns, register_schema
from .validation import require_choice, require_fraction, require_integer, require_number, require_series

__all__ = ["WINDOWS", "STRATEGIES", "DEFAULT_HORIZON_DAYS", "DEFAULT_WAVE_HOURS", "DEFAULT_STRAGGLER_EXTRA_DAYS",
           "ARTICLE_MANUAL_PATCH_DAYS", "patch_days", "wave_rollout", "exposure_summary", "unpatched_hosts",
           "patch_parameters", "patch_defaults", "compare_rollouts", "rollout_curves"]

#: Maintenance windows for reboots, in days between windows (monthly = Microsoft's Patch Tuesday cadence).
WINDOWS = {"weekly": 7.0, "every 2 weeks": 14.0, "monthly": 30.0}
STRATEGIES = ("manual", "automated")
DEFAULT_HORIZON_DAYS = 180.0
#: Hours one batch of an automated rollout takes (our assumption: replace or drain, patch, check).
DEFAULT_WAVE_HOURS = 1.0
#: Days a straggler lags the rollout (our assumption).
DEFAULT_STRAGGLER_EXTRA_DAYS = 30.0
#: The article's "手动更新补丁(平均耗时3-5天)" (manual patching, 3-5 days on average).
ARTICLE_MANUAL_PATCH_DAYS = (3.0, 5.0)

register_schema(
    "patch_parameters",
    "The patch-exposure panel's inputs: default, range, unit and source.",
    panel_parameter_columns("compare_rollouts"),
    key="name",
)


def _require_days(name: str, values) -> np.ndarray:
    """``values`` as a 1-D float array of days in 0..10,000,000 (booleans, NaN, text are refused)."""
    return require_series(name, values, minimum=0, maximum=1e7)


def patch_days(fleet_hosts: int, *, start_days: float, hosts_per_day: float, batch_hosts: int = 1,
               window_days: float = 0.0, first_window_day: float | None = None, straggler_share: float = 0.0,
               straggler_extra_days: float = DEFAULT_STRAGGLER_EXTRA_DAYS) -> np.ndarray:
    """Day on which each of ``fleet_hosts`` hosts is patched (days after publication), in rollout order.

    ``fleet_hosts`` 1-1,000,000; ``start_days`` 0-3,650; ``hosts_per_day`` > 0 (at most
    10,000,000); ``batch_hosts`` 1..fleet_hosts patched together; ``window_days`` 0 (no
    window) to 365; ``first_window_day`` in (0, window_days], default ``window_days``;
    ``straggler_share`` 0..1 of the fleet, late by ``straggler_extra_days`` (0-3,650).
    """
    hosts = require_integer("fleet_hosts", fleet_hosts, minimum=1, maximum=1_000_000)
    start = require_number("start_days", start_days, minimum=0, maximum=3650, unit="days")
    rate = require_number("hosts_per_day", hosts_per_day, minimum=0, min_inclusive=False, maximum=1e7,
                          unit="hosts/day")
    batch = require_integer("batch_hosts", batch_hosts, minimum=1, maximum=hosts)
    window = require_number("window_days", window_days, minimum=0, maximum=365, unit="days")
    if first_window_day is None:
        first = window
    else:
        first = require_number("first_window_day", first_window_day, minimum=0, min_inclusive=False,
                               maximum=max(window, 1e-9), unit="days")
        if window == 0:
            raise ValueError("first_window_day must be None when window_days is 0 (no maintenance window)")
    share = require_fraction("straggler_share", straggler_share)
    extra = require_number("straggler_extra_days", straggler_extra_days, minimum=0, maximum=3650, unit="days")
    order = np.arange(hosts)
    ready = start + (order // batch + 1) * batch / rate
    stragglers = math.floor(share * hosts + 0.5)
    if stragglers:
        ready[hosts - stragglers:] += extra
    if window > 0:
        # First window at or after `ready` (a tiny tolerance keeps 14.0 from rounding up to the next window).
        waits = np.ceil(np.maximum(ready - first, 0.0) / window - 1e-9)
        ready = first + np.maximum(waits, 0.0) * window
    return ready


def wave_rollout(fleet_hosts: int, *, batch_share: float, wave_hours: float = DEFAULT_WAVE_HOURS) -> dict:
    """Batch size and rate of an automated rollout that patches ``batch_share`` of the fleet per wave.

    Returns ``{"batch_hosts", "hosts_per_day"}``: a batch is ``ceil(batch_share x fleet_hosts)``
    hosts (at least 1), and one batch takes ``wave_hours`` (0.01-720 h).
    """
    hosts = require_integer("fleet_hosts", fleet_hosts, minimum=1, maximum=1_000_000)
    share = require_fraction("batch_share", batch_share, allow_zero=False)
    hours = require_number("wave_hours", wave_hours, minimum=0.01, maximum=720, unit="h")
    batch = max(1, math.ceil(share * hosts - 1e-9))
    return {"batch_hosts": batch, "hosts_per_day": batch * 24 / hours}


def exposure_summary(days: Sequence[float] | np.ndarray, *, exploit_day: float,
                     horizon_days: float = DEFAULT_HORIZON_DAYS) -> dict:
    """Exposure of a fleet whose hosts are patched on ``days`` (as :func:`patch_days` returns).

    Returns ``{"host_days", "host_days_after_exploit", "mean_days", "median_days", "days_to_95",
    "days_to_all", "unpatched_at_exploit", "hosts"}``. Days past ``horizon_days`` (1-3,650) are not counted;
    ``exploit_day`` (0-3,650) is when exploitation starts. ``days_to_95``: the first day by
    which 95 % of hosts are patched (``median_days``: half).
    """
    patched = _require_days("days", days)
    exploit = require_number("exploit_day", exploit_day, minimum=0, maximum=3650, unit="days")
    horizon = require_number("horizon_days", horizon_days, minimum=1, maximum=3650, unit="days")
    capped = np.minimum(patched, horizon)
    return {
        "host_days": float(capped.sum()),
        "host_days_after_exploit": float(np.clip(capped - exploit, 0, None).sum()),
        "mean_days": float(capped.mean()),
        "median_days": float(np.quantile(patched, 0.5, method="inverted_cdf")),
        "days_to_95": float(np.quantile(patched, 0.95, method="inverted_cdf")),
        "days_to_all": float(patched.max()),
        "unpatched_at_exploit": int((patched > exploit).sum()),
        "hosts": int(patched.size),
    }


def unpatched_hosts(days: Sequence[float] | np.ndarray,
                    at_days: Sequence[float] | np.ndarray) -> np.ndarray:
    """How many hosts are still unpatched at each of ``at_days`` (a host patched on day d counts before d)."""
    patched = np.sort(_require_days("days", days))
    times = _require_days("at_days", at_days)
    return patched.size - np.searchsorted(patched, times, side="right")


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    return load("patch_parameters")


def patch_parameters() -> pd.DataFrame:
    """The panel's inputs with default, range, unit and source (``data/patch_parameters.csv``)."""
    return _parameters_cached().copy()


def patch_defaults() -> dict[str, float]:
    """Default of every input of :func:`compare_rollouts` that has one in the data, by name."""
    table = _parameters_cached()
    return dict(zip(table["name"], table["default"].astype(float)))


def _strategy_days(*, fleet_hosts, manual_start_days, manual_hosts_per_day, manual_window, auto_start_days,
                   auto_batch_share, straggler_share, straggler_extra_days, wave_hours) -> dict[str, np.ndarray]:
    # each input is checked under the caller's name before it is handed on under patch_days' names
    fleet_hosts = require_integer("fleet_hosts", fleet_hosts, minimum=1, maximum=1_000_000)
    manual_start_days = require_number("manual_start_days", manual_start_days, minimum=0, maximum=3650, unit="days")
    manual_hosts_per_day = require_number("manual_hosts_per_day", manual_hosts_per_day, minimum=0,
                                          min_inclusive=False, maximum=1e7, unit="hosts/day")
    require_choice("manual_window", manual_window, tuple(WINDOWS))
    auto_start_days = require_number("auto_start_days", auto_start_days, minimum=0, maximum=3650, unit="days")
    auto_batch_share = require_fraction("auto_batch_share", auto_batch_share, allow_zero=False)
    manual = patch_days(fleet_hosts, start_days=manual_start_days, hosts_per_day=manual_hosts_per_day,
                        window_days=WINDOWS[manual_window], straggler_share=straggler_share,
                        straggler_extra_days=straggler_extra_days)
    waves = wave_rollout(fleet_hosts, batch_share=auto_batch_share, wave_hours=wave_hours)
    automated = patch_days(fleet_hosts, start_days=auto_start_days, straggler_share=straggler_share,
                           straggler_extra_days=straggler_extra_days, **waves)
    return {"manual": manual, "automated": automated}


def compare_rollouts(*, fleet_hosts: int, exploit_day: float, manual_start_days: float, manual_hosts_per_day: float,
                     manual_window: str = "weekly", auto_start_days: float, auto_batch_share: float,
                     straggler_share: float = 0.0, straggler_extra_days: float = DEFAULT_STRAGGLER_EXTRA_DAYS,
                     wave_hours: float = DEFAULT_WAVE_HOURS, horizon_days: float = DEFAULT_HORIZON_DAYS
                     ) -> pd.DataFrame:
    """A manual rollout (reboots in ``manual_window``) beside an automated one (no window), same fleet.

    Manual: starts after ``manual_start_days``, one host at a time at ``manual_hosts_per_day``,
    reboots only in the maintenance window (``"weekly"``, ``"every 2 weeks"``, ``"monthly"``).
    Automated: starts after ``auto_start_days``, ``auto_batch_share`` of the fleet per
    ``wave_hours`` wave, no window (live migration or rolling replacement). Both have the same
    stragglers. Returns one row per strategy with the columns of :func:`exposure_summary`.
    """
    days = _strategy_days(fleet_hosts=fleet_hosts, manual_start_days=manual_start_days,
                          manual_hosts_per_day=manual_hosts_per_day, manual_window=manual_window,
                          auto_start_days=auto_start_days, auto_batch_share=auto_batch_share,
                          straggler_share=straggler_share, straggler_extra_days=straggler_extra_days,
                          wave_hours=wave_hours)
    rows = [{"strategy": name, **exposure_summary(values, exploit_day=exploit_day, horizon_days=horizon_days)}
            for name, values in days.items()]
    return pd.DataFrame(rows)


def rollout_curves(*, fleet_hosts: int, manual_start_days: float, manual_hosts_per_day: float,
                   manual_window: str = "weekly", auto_start_days: float, auto_batch_share: float,
                   straggler_share: float = 0.0, straggler_extra_days: float = DEFAULT_STRAGGLER_EXTRA_DAYS,
                   wave_hours: float = DEFAULT_WAVE_HOURS, points: int = 181,
                   horizon_days: float = DEFAULT_HORIZON_DAYS) -> pd.DataFrame:
    """Share of the fleet still unpatched, day by day, for both strategies (long format, for a chart).

    Takes the fleet and rollout inputs of :func:`compare_rollouts` (not ``exploit_day``);
    ``points`` (2-2,000) days from 0 to ``horizon_days`` (1-3,650), plus every day on which
    a host is patched, so the steps are exact. Columns: strategy, day, unpatched_hosts,
    unpatched_share.
    """
    count = require_integer("points", points, minimum=2, maximum=2000)
    horizon = require_number("horizon_days", horizon_days, minimum=1, maximum=3650, unit="days")
    days = _strategy_days(fleet_hosts=fleet_hosts, manual_start_days=manual_start_days,
                          manual_hosts_per_day=manual_hosts_per_day, manual_window=manual_window,
                          auto_start_days=auto_start_days, auto_batch_share=auto_batch_share,
                          straggler_share=straggler_share, straggler_extra_days=straggler_extra_days,
                          wave_hours=wave_hours)
    frames = []
    for name, values in days.items():
        steps = np.unique(np.concatenate([np.linspace(0, horizon, count), values[values <= horizon]]))
        left = unpatched_hosts(values, steps)
        frames.append(pd.DataFrame({"strategy": name, "day": steps, "unpatched_hosts": left,
                                    "unpatched_share": left / values.size}))
    return pd.concat(frames, ignore_index=True)
