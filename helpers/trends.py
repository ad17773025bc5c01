"""Chapter 8 model: the trends, as data and one small model.

Pure functions of numbers and tables (no widgets, no charts). Three pieces:

* **Dated trend events** (:func:`trend_events`): chapter 1's timeline events that belong to a
  trend, read from ``data/timeline.csv`` through :mod:`helpers.history` (listed by id in
  :data:`TIMELINE_TRENDS`, never copied), plus chapter 8's own events in
  ``data/trend_events.csv`` (KubeVirt's CNCF stages, confidential VMs on clouds, SnapStart ...).
  No event is in both files (checked).
* **Start-up time against the enforcing interface** (:func:`convergence_table`): for each
  platform of :data:`SERIES`, the published start-up figures (``data/startup_times.csv`` through
  :mod:`helpers.startup`, plus the two figures chapter 8 adds in ``data/trend_startups.csv``) and
  the size of the *first interface shared with other tenants* that a tenant reaches, from chapter 2's
  counts (:func:`helpers.architecture.interface_summary`): the tenant's own code reaches it directly
  (step 1), or only after taking over its own per-tenant layer (step 2: a jailed VMM, a Sentry, a node VM).
  The cost of one crossing comes from chapter 4's latency ladder (:func:`helpers.performance.latency_ladder`).
* **Serverless cold starts** (:func:`cold_start_share`, :func:`cold_start_summary`): requests
  arrive at random (a Poisson process of ``rate_per_s``, in bursts of ``burst`` requests that arrive
  together); each request needs an execution environment to itself (as on AWS Lambda) for
  ``handler_s`` on average (exponentially distributed); an idle environment is kept warm for
  ``keep_alive_s`` after its last request, then reclaimed; ``prewarmed`` environments are always warm
  (Lambda's provisioned concurrency, Cloud Run's minimum instances) and are used first; otherwise the
  most recently used idle environment is reused. Then a request is cold exactly when the concurrency
  it needs was not reached at any moment of the last keep-alive window::

      cold  <=>  concurrency needed now  >  max(prewarmed, highest concurrency in the last keep_alive_s)

  For steady traffic well below one request per handler time this is the famous::

      share of requests that are cold = exp(-rate x (keep_alive + handler))

  and in general, with m = (rate / burst) x handler busy bursts on average (Poisson) and reversibility
  of the busy-environment count (an M/M/inf queue)::

      share = sum over k of  Poisson(k; m) x P_k(no rise from k to k+1 within keep_alive)
                             x (requests of a burst that find no environment) / burst

  where P_k is computed exactly from the Laplace transform of the birth-death chain's first-passage
  time (continued fraction), inverted numerically (fixed Talbot, 24 nodes; tested against matrix
  exponentials and a request-by-request simulation). A cold request waits ``cold_start_s`` (a figure of
  the start-up data) before its handler runs, so the p99 latency is ``handler_s + cold_start_s`` as soon
  as more than 1 % of requests are cold, else ``handler_s``.

What the cold-start model leaves out (each could move the answer): bursty or daily-cycling traffic (the
model's arrivals are a steady Poisson stream; long silences in real traffic make cold starts more
common, a fan-out of simultaneous requests is the ``burst`` parameter); the time a cold-starting
environment is busy initialising (ignored in the concurrency: in simulation it adds cold starts, a few
percent when the keep-alive is 100 times the cold start, 7-21 % at 10 times, up to twice as many when the
two are close, so the share is a floor); platforms that send several requests to one environment at once (Cloud
Run, Knative: fewer cold starts than here, so the share is a ceiling for them); environments recycled
every few hours even when busy (AWS Lambda does; it adds about ``handler_s / lifetime`` of cold requests,
under 0.01 % for a 0.1 s handler and a 2-hour lifetime); the spread of handler times in the latency (the
p99 is the cold start's tail alone: a floor); bursts of a size that varies (the model's bursts have
exactly ``burst`` requests of equal handler time, which overstates cold starts by up to about 20 % against
independent handler times, tested).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import architecture, history, performance, startup
from .data import SCHEMAS, Column, load, panel_parameter_columns, register_schema
from .validation import require_choice, require_integer, require_number, require_series

__all__ = [
    "TRENDS", "TIMELINE_TRENDS", "SERIES", "Series", "SERIES_IDS", "EXCLUDED_FIGURES", "MAX_RATE_PER_S", "MAX_HANDLER_S",
    "MAX_KEEP_ALIVE_S", "MAX_MEAN_CONCURRENCY", "MAX_PREWARMED", "MAX_BURST", "P99", "TALBOT_NODES",
    "ARTICLE_LAMBDA_COLD_START_S", "ARTICLE_CLUSTER_VMS", "AUTOPILOT_SLACK", "utilisation_growth", "trend_events", "startup_figures", "startup_figure",
    "convergence_table", "convergence_summary", "JUDGED_BY", "platforms_within", "cold_start_share", "cold_start_shares", "latency_quantile",
    "cold_start_summary", "rate_for_cold_share", "prewarmed_needed", "cold_start_parameters", "cold_start_defaults",
]

#: The trends of the article's last section (and of this chapter), in the order the chapter teaches them.
TRENDS = ("microVMs", "sandboxed containers", "VMs on Kubernetes", "confidential VMs", "serverless", "unikernels",
          "edge", "AI scheduling")

#: Events of chapter 1's timeline (data/timeline.csv) that belong to a trend: read through helpers.history.
TIMELINE_TRENDS = {
    "kata-containers": "microVMs", "firecracker": "microVMs", "firecracker-nsdi": "microVMs",
    "gvisor": "sandboxed containers",
    "kubevirt-started": "VMs on Kubernetes", "kubevirt-cncf": "VMs on Kubernetes", "kubevirt-1-0": "VMs on Kubernetes",
    "aws-lambda": "serverless", "aws-fargate": "serverless", "lambda-1ms": "serverless",
}

#: The article's "AWS Lambda函数的"冷启动"优化(<500ms)" (claim trends-05), in seconds.
ARTICLE_LAMBDA_COLD_START_S = 0.5
#: The article's "支持单集群管理5000+VM实例" (claim trends-07).
ARTICLE_CLUSTER_VMS = 5000
#: Google's Autopilot: slack (the share of a job's limit it does not use) before and after, for the jobs it manages
#: (K. Rzadca et al., EuroSys 2020, abstract: "from 46% for manually-managed jobs to 23%"; event
#: ``autopilot-eurosys-2020`` of data/trend_events.csv, claims trends-10 and trends-13). Tested against the data.
AUTOPILOT_SLACK = {"before": 0.46, "after": 0.23}


def utilisation_growth(slack_before: float, slack_after: float) -> float:
    """Factor by which a job's utilisation of its limit (usage / limit = 1 - slack) grows when slack falls.

    ``slack_before``, ``slack_after``: the share of the limit left unused, each from 0 to below 1. Example:
    Autopilot's slack, 46 % for manually managed jobs and 23 % for Autopilot-managed ones
    (:data:`AUTOPILOT_SLACK`), gives (1 - 0.23) / (1 - 0.46) = 1.43. Utilisation can never
    exceed 1, so from ``slack_after`` at most a further factor of ``1 / (1 - slack_after)`` remains: a step, not
    exponential growth.
    """
    before = require_number("slack_before", slack_before, minimum=0, maximum=1, max_inclusive=False)
    after = require_number("slack_after", slack_after, minimum=0, maximum=1, max_inclusive=False)
    return (1.0 - after) / (1.0 - before)

register_schema(
    "trend_events",
    "Dated, sourced events of the trends that chapter 1's timeline does not hold (chapter 8).",
    [
        Column("event_id", "str", "Short stable identifier (never one of data/timeline.csv's)."),
        Column("date", "date", "Date of the event; the first day of the month or year when only that is known.",
               unit="ISO date"),
        Column("date_precision", "str", "How precisely the date is known.", allowed=history.DATE_PRECISIONS),
        Column("trend", "str", "The trend the event belongs to.", allowed=TRENDS),
        Column("event", "str", "What happened, in one line."),
        Column("what_it_shows", "str", "What the event says about the trend, in one line."),
        Column("source", "str", "Citation of the record that dates the event."),
        Column("source_url", "str", "Address of that record."),
    ],
    key="event_id",
)

# The figures chapter 8 adds to the start-up data have exactly the columns of data/startup_times.csv: the
# schema is chapter 4's, reused (kept in their own file so that chapters 3 and 4 keep their checked numbers).
register_schema(
    "trend_startups",
    "Start-up figures added for chapter 8 (gVisor, Unikraft), with the columns of startup_times.csv.",
    list(SCHEMAS["startup_times"].columns),
    key="startup_id",
)

register_schema(
    "cold_start_parameters",
    "The cold-start panel's numeric inputs: default, range, unit and source.",
    panel_parameter_columns("cold_start_summary, in the unit given"),
    key="name",
)


# --------------------------------------------------------------------------------------------- trend events

def trend_events(trends: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every dated trend event, oldest first: chapter 1's (by id, :data:`TIMELINE_TRENDS`) and chapter 8's.

    Columns: ``event_id``, ``date``, ``date_precision``, ``trend``, ``event``, ``what_it_shows`` (chapter 1's
    ``significance``), ``source``, ``source_url``, ``from_file`` (``timeline.csv`` or ``trend_events.csv``).
    ``trends``: only these trends (names from :data:`TRENDS`). ``ValueError`` if an id of
    :data:`TIMELINE_TRENDS` is missing from the timeline or an event id is in both files.
    """
    chosen = TRENDS if trends is None else _require_trends(trends)
    return _all_trend_events()[lambda t: t["trend"].isin(chosen)].reset_index(drop=True)


def _require_trends(trends) -> tuple[str, ...]:
    from .validation import require_choices

    return require_choices("trends", trends, TRENDS)


@functools.lru_cache(maxsize=1)
def _cached_trend_events() -> pd.DataFrame:
    timeline = history.timeline().set_index("event_id")
    missing = sorted(set(TIMELINE_TRENDS) - set(timeline.index))
    if missing:
        raise ValueError(f"timeline.csv has no event {missing} (listed in helpers.trends.TIMELINE_TRENDS)")
    own = load("trend_events")
    both = sorted(set(own["event_id"]) & set(timeline.index))
    if both:
        raise ValueError(f"trend_events.csv repeats events of timeline.csv: {both}; keep each event in one file")
    ids = list(TIMELINE_TRENDS)
    from_timeline = pd.DataFrame({
        "event_id": ids, "date": timeline.loc[ids, "date"].to_numpy(),
        "date_precision": timeline.loc[ids, "date_precision"].to_numpy(),
        "trend": [TIMELINE_TRENDS[i] for i in ids], "event": timeline.loc[ids, "event"].to_numpy(),
        "what_it_shows": timeline.loc[ids, "significance"].to_numpy(),
        "source": timeline.loc[ids, "source"].to_numpy(), "source_url": timeline.loc[ids, "source_url"].to_numpy(),
        "from_file": "timeline.csv"})
    own = own.assign(from_file="trend_events.csv")[list(from_timeline.columns)]
    table = pd.concat([from_timeline, own], ignore_index=True)
    table["date"] = pd.to_datetime(table["date"])
    return table.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def _all_trend_events() -> pd.DataFrame:
    return _cached_trend_events().copy()


# ---------------------------------------------------------------------------- start-up vs enforcing interface

@dataclass(frozen=True)
class Series:
    """One platform of the convergence chart: where its interface count and its start-up figures come from.

    ``interface_platform``: a platform of chapter 2 (:data:`helpers.architecture.PLATFORMS`) whose
    first shared interface is counted, or ``None`` for a plain process (every implemented Linux
    system call: nothing filters them). ``startup_ids``: figures of :func:`startup_figures`.
    ``crossing_rung``: the rung of chapter 4's latency ladder that one crossing of that interface costs
    (``None`` where it was not measured). ``note``: what to keep in mind.
    """

    series_id: str
    label: str
    interface_platform: str | None
    startup_ids: tuple[str, ...]
    crossing_rung: str | None
    note: str


#: The platforms of the convergence chart, from the largest shared interface to the smallest.
SERIES: tuple[Series, ...] = (
    Series("process", "Process, no sandbox", None, ("fork-exec",), "syscall",
           "Processes of different users on one kernel: every implemented system call reaches the shared kernel."),
    Series("containers_on_host", "Containers on a host", "containers_on_host", ("docker-2017", "k8s-pod-startup-slo"),
           "syscall", "Docker's default seccomp profile leaves 291 calls; a container start is a process start plus "
                      "namespaces, cgroups and its file system."),
    Series("gvisor_sandbox", "gVisor sandbox", "gvisor_sandbox", ("gvisor-runsc-create-start",), None,
           "The application's calls go to its own Sentry; the shared host kernel is reached only through the "
           "Sentry's 96 allowed calls (a seccomp trap per call, not timed here)."),
    Series("containers_in_vms", "Containers inside VMs", "containers_in_vms",
           ("docker-2017", "k8s-pod-startup-slo", "gce-2018-8vcpu", "gce-2017-2vcpu"), "vm-exit-cpuid",
           "A pod on a running node VM starts like a container; when the cluster must add a node, a VM boots first "
           "(the GCE figures). Other customers are reached only through the node VM's hypervisor."),
    Series("microvm", "MicroVM (Firecracker)", "microvm",
           ("unikraft-boot-2021", "firecracker-vmm-process", "firecracker-boot"), "vm-exit-cpuid",
           "Firecracker's VMM process, its specified boot bound to the guest's init, and a Unikraft unikernel "
           "booted in a KVM VMM (Firecracker or QEMU): the same hypervisor interface."),
    Series("function_on_microvm", "Function (Lambda)", "microvm",
           ("lambda-cold-2023-small", "lambda-cold-start", "lambda-cold-2023-64mb"), "vm-exit-cpuid",
           "AWS Lambda runs functions in Firecracker microVMs: a cold start is a microVM plus the runtime and the "
           "function's own initialisation, which grows with the code to load."),
    Series("type1_hypervisor", "Full VM (cloud)", "type1_hypervisor",
           ("gce-2018-8vcpu", "gce-2017-2vcpu"), "vm-exit-cpuid",
           "Linux VMs on Google Compute Engine (KVM), from the create request to SSH (2017-2018 blog measurements); "
           "the per-VM VMM process's 346 host calls are reached only after taking it over."),
)
SERIES_IDS = tuple(series.series_id for series in SERIES)
#: Start-up figures the convergence chart leaves out, and why (every other figure is on a platform of SERIES).
EXCLUDED_FIGURES = {
    "lightvm-boot": "a Xen guest: Xen's hypercall interface is not counted in chapter 2's data",
    "xen-xl-unikernel-2014": "a Xen guest: Xen's hypercall interface is not counted in chapter 2's data",
    **{figure: "a 2012 cloud VM (EC2 before its KVM-based Nitro hypervisor, Rackspace, Azure's Hyper-V): chapter 2 "
                 "counts KVM's interface only" for figure in ("mao2012-ec2-linux", "mao2012-ec2-windows",
                                                          "mao2012-rackspace-linux", "mao2012-rackspace-windows",
                                                          "mao2012-azure-webrole", "mao2012-azure-workerrole",
                                                          "mao2012-azure-vmrole")},
}


@functools.lru_cache(maxsize=1)
def _cached_startup_figures() -> pd.DataFrame:
    base = startup.startup_times()
    added = load("trend_startups")
    both = sorted(set(base["startup_id"]) & set(added["startup_id"]))
    if both:
        raise ValueError(f"trend_startups.csv repeats figures of startup_times.csv: {both}; keep each in one file")
    return pd.concat([base.assign(from_file="startup_times.csv"), added.assign(from_file="trend_startups.csv")],
                     ignore_index=True)


def startup_figures() -> pd.DataFrame:
    """Chapter 4's start-up figures (``data/startup_times.csv``) and chapter 8's two (``data/trend_startups.csv``).

    The columns of ``startup_times.csv`` plus ``from_file``; ``ValueError`` if an id is in both files.
    """
    return _cached_startup_figures().copy()


def startup_figure(startup_id: str) -> dict:
    """One figure of :func:`startup_figures` as a dict (``time_s``, ``low_s``, ``high_s``, ``label`` ...).

    ``low_s`` and ``high_s`` are ``None`` when the source gives no range.
    """
    figures = _figures_by_id()
    require_choice("startup_id", startup_id, tuple(figures))
    return dict(figures[startup_id])


@functools.lru_cache(maxsize=1)
def _figures_by_id() -> dict[str, dict]:
    figures = {}
    for row in _cached_startup_figures().to_dict("records"):
        for key in ("low_s", "high_s", "note"):
            if row.get(key) is None or (isinstance(row[key], float) and math.isnan(row[key])):
                row[key] = None
        figures[row["startup_id"]] = row
    return figures


def _first_shared(series: Series) -> dict:
    """Entry points of the first interface shared with other tenants, the step, and the text."""
    if series.interface_platform is None:
        count = len(architecture.syscall_profile("linux_x86_64", implemented_only=True))
        return {"entry_points": count, "step": 1, "interface": f"{count} system calls (the whole Linux table)"}
    row = architecture.interface_summary([series.interface_platform]).iloc[0]
    if row["direct_entry_points"] > 0:
        return {"entry_points": int(row["direct_entry_points"]), "step": 1, "interface": row["direct"]}
    return {"entry_points": int(row["behind_own_layer"]), "step": 2, "interface": row["behind"]}


@functools.lru_cache(maxsize=1)
def _cached_convergence() -> pd.DataFrame:
    figures = _cached_startup_figures().set_index("startup_id")
    rungs = performance.latency_ladder().set_index("rung_id")["latency_us"]
    rows = []
    for series in SERIES:
        shared = _first_shared(series)
        crossing = float(rungs[series.crossing_rung]) if series.crossing_rung else float("nan")
        for startup_id in series.startup_ids:
            figure = figures.loc[startup_id]
            rows.append({
                "series_id": series.series_id, "series": series.label,
                "interface_platform": series.interface_platform or "none (plain process)",
                "entry_points": shared["entry_points"], "step": shared["step"], "interface": shared["interface"],
                "crossing_us": crossing, "crossing_rung": series.crossing_rung or "",
                "startup_id": startup_id, "figure": figure["label"], "time_s": float(figure["time_s"]),
                "low_s": float(figure["low_s"]) if pd.notna(figure["low_s"]) else float(figure["time_s"]),
                "high_s": float(figure["high_s"]) if pd.notna(figure["high_s"]) else float(figure["time_s"]),
                "statistic": figure["statistic"], "year": int(figure["year"]), "kind": figure["kind"],
                "measured_from_to": figure["measured_from_to"], "source": figure["source"]})
    return pd.DataFrame(rows)


def convergence_table(series: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per (platform of :data:`SERIES`, start-up figure): the figure and the first shared interface.

    Columns: ``series_id``, ``series`` (label), ``interface_platform``, ``entry_points`` and ``step`` (of the
    first interface shared with other tenants: 1 = the tenant's own code reaches it, 2 = only after taking
    over the tenant's own layer), ``interface`` (in words), ``crossing_us`` (one crossing, chapter 4's ladder;
    NaN where not measured) and ``crossing_rung``, then the figure: ``startup_id``, ``figure``, ``time_s``,
    ``low_s``, ``high_s`` (the figure itself where the source gives no range), ``statistic``, ``year``,
    ``kind``, ``measured_from_to``, ``source``. ``series``: only these ids of :data:`SERIES_IDS`.
    """
    table = _cached_convergence()
    if series is not None:
        from .validation import require_choices

        chosen = require_choices("series", series, SERIES_IDS)
        table = table[table["series_id"].isin(chosen)]
    return table.reset_index(drop=True).copy()


def convergence_summary() -> pd.DataFrame:
    """One row per platform of :data:`SERIES`: the first shared interface and the fastest and slowest figure.

    Columns: ``series_id``, ``series``, ``entry_points``, ``step``, ``interface``, ``crossing_us``,
    ``fastest_s`` / ``fastest`` (the smallest ``time_s`` and its figure), ``slowest_s`` / ``slowest``,
    ``figures`` (how many), ``note``.
    """
    table = _cached_convergence()
    notes = {series.series_id: series.note for series in SERIES}
    rows = []
    for series_id, group in table.groupby("series_id", sort=False):
        fastest, slowest = group.loc[group["time_s"].idxmin()], group.loc[group["time_s"].idxmax()]
        first = group.iloc[0]
        rows.append({"series_id": series_id, "series": first["series"], "entry_points": int(first["entry_points"]),
                     "step": int(first["step"]), "interface": first["interface"],
                     "crossing_us": float(first["crossing_us"]), "fastest_s": float(fastest["time_s"]),
                     "fastest": fastest["figure"], "slowest_s": float(slowest["time_s"]), "slowest": slowest["figure"],
                     "figures": len(group), "note": notes[series_id]})
    return pd.DataFrame(rows)


#: How :func:`platforms_within` judges a platform with several start-up figures.
JUDGED_BY = ("fastest", "slowest")


def platforms_within(max_startup_s: float, max_entry_points: int, *, judged_by: str = "fastest") -> pd.DataFrame:
    """Which platforms of :data:`SERIES` start within ``max_startup_s`` behind at most ``max_entry_points``.

    ``max_startup_s``: a start-up budget in seconds (above 0, at most 3,600). ``max_entry_points``: the most
    entry points of the first interface shared with other tenants you accept (a whole number, 1-1,000).
    ``judged_by``: ``"fastest"`` (a platform qualifies if its fastest published figure is within the budget: the
    best case, e.g. a pod on a node that is already running) or ``"slowest"`` (every figure must be: the worst
    case, e.g. a pod that waits for a new node VM). One row per platform, in :data:`SERIES` order, with the
    columns of :func:`convergence_summary` plus ``judged_s`` (the figure judged), ``start_ok``, ``wall_ok``,
    ``qualifies`` and ``reason`` (in words).

    The start-up figures measure different spans (see each figure's ``measured_from_to``) and the interface
    counts are chapter 2's, so a platform near a boundary is a close call, not a verdict.
    """
    budget = require_number("max_startup_s", max_startup_s, minimum=0, min_inclusive=False, maximum=3600, unit="s")
    limit = require_integer("max_entry_points", max_entry_points, minimum=1, maximum=1000)
    judged_by = require_choice("judged_by", judged_by, JUDGED_BY)
    table = convergence_summary()
    judged = table["fastest_s" if judged_by == "fastest" else "slowest_s"]
    start_ok = judged <= budget
    wall_ok = table["entry_points"] <= limit
    reasons = []
    for seconds, points, fast, narrow in zip(judged, table["entry_points"], start_ok, wall_ok):
        if fast and narrow:
            reasons.append("qualifies")
        elif not fast and not narrow:
            reasons.append(f"too slow ({seconds:.3g} s) and too wide ({points} entry points)")
        elif not fast:
            reasons.append(f"too slow: {seconds:.3g} s")
        else:
            reasons.append(f"too wide: {points} entry points")
    return table.assign(judged_s=judged.astype(float), start_ok=start_ok, wall_ok=wall_ok,
                        qualifies=start_ok & wall_ok, reason=reasons)


# ------------------------------------------------------------------------------------------ cold-start model

#: Bounds of the cold-start model's inputs.
MAX_RATE_PER_S = 1000.0
MAX_HANDLER_S = 900.0  # AWS Lambda's 15-minute maximum
MAX_KEEP_ALIVE_S = 86_400.0
MAX_PREWARMED = 10_000
MAX_BURST = 1000
#: Largest mean number of busy bursts (rate / burst x handler) the exact sum handles quickly.
MAX_MEAN_CONCURRENCY = 2000.0
#: The quantile whose latency the summary reports.
P99 = 0.99
#: Nodes of the fixed Talbot contour that inverts the Laplace transform (accuracy about 1e-10, tested).
TALBOT_NODES = 24


def _talbot_contour(keep_alive_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Points ``s`` of the fixed Talbot contour for time ``keep_alive_s`` and their weights (Abate & Valkó 2004)."""
    nodes = TALBOT_NODES
    theta = np.arange(1, nodes) * np.pi / nodes
    cot = 1.0 / np.tan(theta)
    r = 2.0 * nodes / (5.0 * keep_alive_s)
    s = np.concatenate([[r + 0j], r * theta * (cot + 1j)])
    sigma = theta + (theta * cot - 1.0) * cot
    weights = np.concatenate([[0.5 * np.exp(r * keep_alive_s)], np.exp(keep_alive_s * s[1:]) * (1 + 1j * sigma)])
    return s, weights * (r / nodes)


def _no_rise_probabilities(arrival: np.ndarray, service: float, keep_alive_s: float, levels: int) -> np.ndarray:
    """P_k(the busy count does not rise from k to k+1 within ``keep_alive_s``), k = 0..levels, per arrival rate.

    Birth rate ``arrival`` (array, one column per rate), death rate ``k x service``. Shape (levels + 1, rates).
    """
    if keep_alive_s == 0:
        return np.ones((levels + 1, arrival.size))
    s, weights = _talbot_contour(keep_alive_s)
    s = s[:, None]
    lam = arrival[None, :]
    out = np.empty((levels + 1, arrival.size))
    phi = lam / (lam + s)  # Laplace transform of the first passage 0 -> 1
    for k in range(levels + 1):
        if k > 0:
            phi = lam / (lam + k * service + s - k * service * phi)
        out[k] = np.real(np.sum(weights[:, None] * (1.0 - phi) / s, axis=0))
    out[0] = np.exp(-arrival * keep_alive_s)  # the same value in closed form
    return np.clip(out, 0.0, 1.0)


def _check_cold_start_inputs(keep_alive_s, handler_s, prewarmed, burst) -> tuple[float, float, int, int]:
    keep_alive = require_number("keep_alive_s", keep_alive_s, minimum=0, maximum=MAX_KEEP_ALIVE_S, unit="s")
    handler = require_number("handler_s", handler_s, minimum=0, min_inclusive=False, maximum=MAX_HANDLER_S, unit="s")
    prewarmed = require_integer("prewarmed", prewarmed, minimum=0, maximum=MAX_PREWARMED)
    burst = require_integer("burst", burst, minimum=1, maximum=MAX_BURST)
    return keep_alive, handler, prewarmed, burst


def cold_start_shares(rates_per_s, *, keep_alive_s: float, handler_s: float, prewarmed: int = 0,
                      burst: int = 1) -> np.ndarray:
    """Share of requests that start cold (0-1) at each request rate of ``rates_per_s`` (see the module docstring).

    ``rates_per_s``: requests per second, each > 0 and at most :data:`MAX_RATE_PER_S`, with ``rate / burst x
    handler_s`` at most :data:`MAX_MEAN_CONCURRENCY`. ``keep_alive_s``: seconds an idle environment stays warm
    (0 to a day). ``handler_s``: mean seconds a request occupies its environment (> 0, at most 900).
    ``prewarmed``: environments always kept warm (0-10,000). ``burst``: requests arriving together (1-1,000).
    """
    rates = require_series("rates_per_s", rates_per_s, minimum=0, maximum=MAX_RATE_PER_S)
    if (rates <= 0).any():
        index = int(np.flatnonzero(rates <= 0)[0])
        raise ValueError(f"every value of rates_per_s must be > 0 requests/s; got {rates[index]:g} at "
                         f"rates_per_s[{index}]")
    keep_alive, handler, prewarmed, burst = _check_cold_start_inputs(keep_alive_s, handler_s, prewarmed, burst)
    arrival = rates / burst  # bursts per second
    mean_busy = arrival * handler
    if mean_busy.max() > MAX_MEAN_CONCURRENCY:
        raise ValueError(f"rates_per_s / burst x handler_s must be at most {MAX_MEAN_CONCURRENCY:g} busy bursts on "
                         f"average; got {mean_busy.max():g} (lower rates_per_s or handler_s)")
    levels = int(math.ceil(mean_busy.max() + 10.0 * math.sqrt(mean_busy.max()) + 25))
    k = np.arange(levels + 1)[:, None]
    log_k_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, levels + 1)))])[:, None]
    with np.errstate(divide="ignore"):
        log_pi = -mean_busy[None, :] + k * np.log(mean_busy[None, :]) - log_k_factorial
    stationary = np.exp(log_pi)
    no_rise = _no_rise_probabilities(arrival, 1.0 / handler, keep_alive, levels)
    cold_in_burst = np.clip(burst * (k + 1) - np.maximum(prewarmed, burst * k), 0, burst) / burst
    return np.clip(np.sum(stationary * no_rise * cold_in_burst, axis=0), 0.0, 1.0)


def cold_start_share(*, rate_per_s: float, keep_alive_s: float, handler_s: float, prewarmed: int = 0,
                     burst: int = 1) -> float:
    """Share of requests that start cold (0-1) at one request rate; see :func:`cold_start_shares`.

    Example: one request every 15 minutes, a 10-minute keep-alive and a 0.2 s handler:
    ``exp(-(600 + 0.2) / 900) = 0.513``: half the requests are cold.
    """
    rate = require_number("rate_per_s", rate_per_s, minimum=0, min_inclusive=False, maximum=MAX_RATE_PER_S,
                          unit="requests/s")
    return float(cold_start_shares([rate], keep_alive_s=keep_alive_s, handler_s=handler_s, prewarmed=prewarmed,
                                   burst=burst)[0])


def latency_quantile(quantile: float, *, cold_share: float, handler_s: float, cold_start_s: float) -> float:
    """The ``quantile`` (0-1, e.g. 0.99) of request latency: ``handler_s + cold_start_s`` if more than
    ``1 - quantile`` of requests are cold (``cold_share``, 0-1), else ``handler_s``.

    A floor: the spread of the handler's own time is left out (every warm request takes ``handler_s``).
    """
    q = require_number("quantile", quantile, minimum=0, maximum=1, min_inclusive=False, max_inclusive=False)
    share = require_number("cold_share", cold_share, minimum=0, maximum=1)
    handler = require_number("handler_s", handler_s, minimum=0, min_inclusive=False, maximum=MAX_HANDLER_S, unit="s")
    cold = require_number("cold_start_s", cold_start_s, minimum=0, maximum=86_400, unit="s")
    return handler + cold if share > 1.0 - q + 1e-12 else handler


def cold_start_summary(*, rate_per_s: float, keep_alive_s: float, handler_s: float, cold_start_s: float,
                       cold_start_low_s: float | None = None, cold_start_high_s: float | None = None,
                       prewarmed: int = 0, burst: int = 1) -> dict:
    """Cold starts and latency at one request rate.

    ``cold_start_s``: the cold start's duration (a figure of :func:`startup_figures`), with its published
    range ``cold_start_low_s``..``cold_start_high_s`` (each defaults to ``cold_start_s``). Other inputs as in
    :func:`cold_start_shares`. Returns ``{"cold_share", "cold_per_day", "requests_per_day", "mean_busy"
    (environments busy on average), "mean_latency_s", "p99_s", "p99_low_s", "p99_high_s",
    "cold_from_percentile" (the percentile above which requests are cold; 100 when none are)}``.
    """
    share = cold_start_share(rate_per_s=rate_per_s, keep_alive_s=keep_alive_s, handler_s=handler_s,
                             prewarmed=prewarmed, burst=burst)
    cold = require_number("cold_start_s", cold_start_s, minimum=0, maximum=86_400, unit="s")
    low = cold if cold_start_low_s is None else require_number("cold_start_low_s", cold_start_low_s, minimum=0,
                                                               maximum=86_400, unit="s")
    high = cold if cold_start_high_s is None else require_number("cold_start_high_s", cold_start_high_s,
                                                                 minimum=0, maximum=86_400, unit="s")
    if not low <= cold <= high:
        raise ValueError(f"cold_start_low_s <= cold_start_s <= cold_start_high_s must hold (a range around the "
                         f"figure); got {low:g} s, {cold:g} s, {high:g} s")
    rate, handler = float(rate_per_s), float(handler_s)
    return {
        "cold_share": share, "requests_per_day": rate * 86_400.0, "cold_per_day": share * rate * 86_400.0,
        "mean_busy": rate * handler, "mean_latency_s": handler + share * cold,
        "p99_s": latency_quantile(P99, cold_share=share, handler_s=handler, cold_start_s=cold),
        "p99_low_s": latency_quantile(P99, cold_share=share, handler_s=handler, cold_start_s=low),
        "p99_high_s": latency_quantile(P99, cold_share=share, handler_s=handler, cold_start_s=high),
        "cold_from_percentile": 100.0 * (1.0 - share),
    }


def rate_for_cold_share(target_share: float, *, keep_alive_s: float, handler_s: float, prewarmed: int = 0,
                        burst: int = 1, min_rate_per_s: float = 1e-6, max_rate_per_s: float = 100.0) -> float:
    """The lowest request rate (requests/s) at which at most ``target_share`` (0-1, exclusive) of requests are cold.

    Searched between ``min_rate_per_s`` and ``max_rate_per_s`` (a grid of 200 rates on a log scale, then
    bisection between the last rate above the target and the first at or below it). ``ValueError`` if no
    rate in the range reaches the target. Example: a 10-minute keep-alive, a 0.1 s handler and 1 %:
    ``ln(100) / 600.1 s`` = 0.00767 requests/s, 27.6 an hour.
    """
    target = require_number("target_share", target_share, minimum=0, maximum=1, min_inclusive=False,
                            max_inclusive=False)
    low = require_number("min_rate_per_s", min_rate_per_s, minimum=0, min_inclusive=False, maximum=MAX_RATE_PER_S)
    high = require_number("max_rate_per_s", max_rate_per_s, minimum=low, min_inclusive=False, maximum=MAX_RATE_PER_S)
    settings = dict(keep_alive_s=keep_alive_s, handler_s=handler_s, prewarmed=prewarmed, burst=burst)
    grid = np.geomspace(low, high, 200)
    shares = cold_start_shares(grid, **settings)
    below = np.flatnonzero(shares <= target)
    if below.size == 0:
        raise ValueError(f"target_share {target:g} is not reached by any rate in min_rate_per_s..max_rate_per_s "
                         f"({low:g}..{high:g} requests/s) with keep_alive_s={float(keep_alive_s):g}, "
                         f"handler_s={float(handler_s):g}, prewarmed={prewarmed}, burst={burst} (the lowest share "
                         f"there is {shares.min():.3g})")
    first = int(below[0])
    if first == 0:
        return float(grid[0])
    a, b = math.log(grid[first - 1]), math.log(grid[first])
    for _ in range(50):
        middle = 0.5 * (a + b)
        if cold_start_share(rate_per_s=math.exp(middle), **settings) <= target:
            b = middle
        else:
            a = middle
    return float(math.exp(b))


def prewarmed_needed(target_share: float, *, rate_per_s: float, keep_alive_s: float, handler_s: float,
                     burst: int = 1, max_prewarmed: int = 1000) -> int:
    """The fewest always-warm environments that bring the cold share to at most ``target_share`` (0-1).

    ``ValueError`` if even ``max_prewarmed`` (1-10,000) environments do not.
    """
    target = require_number("target_share", target_share, minimum=0, maximum=1, max_inclusive=False)
    limit = require_integer("max_prewarmed", max_prewarmed, minimum=1, maximum=MAX_PREWARMED)
    for count in range(limit + 1):
        if cold_start_share(rate_per_s=rate_per_s, keep_alive_s=keep_alive_s, handler_s=handler_s,
                            prewarmed=count, burst=burst) <= target:
            return count
    raise ValueError(f"target_share {target:g} needs more than max_prewarmed={limit} always-warm environments")


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    return load("cold_start_parameters")


def cold_start_parameters() -> pd.DataFrame:
    """The panel's numeric inputs with default, range, unit and source (``data/cold_start_parameters.csv``)."""
    return _parameters_cached().copy()


def cold_start_defaults() -> dict[str, float]:
    """Default of every numeric input of the cold-start panel, by name (in the unit of the data file)."""
    table = _parameters_cached()
    return dict(zip(table["name"], table["default"].astype(float)))
