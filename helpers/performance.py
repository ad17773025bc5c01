"""Chapter 4 model: what measurements say about the overhead of VMs and containers, and what it costs a fleet.

Pure functions of numbers and tables (no widgets, no charts). Four pieces:

* **Measured overheads** (``data/felter2014_benchmarks.csv``): Felter et al.'s native / Docker / KVM
  results (IBM RC25482, 2014), computed from the raw files of their repository
  ``thewmf/kvm-docker-comparison`` at commit 6820500. :func:`relative_performance` divides every
  result by the native one, so 1.0 = as fast as bare metal and 0.55 = 45 % lost::

      relative = value / native   (higher is better: GFLOPS, GB/s, IOPS, Gbps, requests/s)
      relative = native / value   (lower is better: round-trip time in µs)
      overhead = 1 - relative

* **The latency ladder** (``data/latency_ladder.csv``): dated, sourced times from a user-space call to a
  round trip across the world, to place the article's "memory latency 50-100 µs" and "network latency
  100-500 ms" on one log scale.
* **Scale thresholds** (``data/scale_thresholds.csv``): what upstream Kubernetes is tested to and what
  GKE supports. Thresholds, not caps.
* **Fleet cost of an overhead**: a workload whose time splits over resources with shares ``mix``
  (summing to 1) runs on a platform that slows each resource by a fraction ``overheads[r]``; with
  ``cpu_steal`` of the CPU taken by neighbours, the work per instance falls and the fleet must grow by::

      effective CPU overhead = 1 - (1 - overheads["cpu"]) x (1 - cpu_steal)
      capacity_multiplier    = sum over r of mix[r] / (1 - effective overhead[r])

  (time-weighted, like Amdahl's law: a resource the workload barely uses barely matters). The fleet's
  hosts and monthly cost then come from the course's density model (``helpers.architecture``) and cost
  model (``helpers.cost``), called in ONE place, :func:`fleet_through_models`, and nowhere else here.
  Bare metal packs the cost model's ``vms_per_host`` instances on a host (its own assumption for its
  server); a platform packs what chapter 2's ``density_table`` says at its defaults (host reservation,
  guest OS, overcommit) for :data:`HOST` and :data:`APP`: per-instance memory and CPU overhead (a
  microVM's 0.25 vCPU, say) and the host's own reserve are counted there, not here.

What the fleet model leaves out (each could move the answer): overheads that differ by I/O size and
queue depth (one number per resource here); tail latency, which noisy neighbours hurt far more than
the mean; memory overcommit and ballooning; NUMA placement; the guest OS's CPU time; and licences (in
the cost model's notes). Results are a floor for the hosts needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import architecture as arch
from . import cost
from .demand import whole_instances
from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_frame, require_mapping, require_number, require_text

__all__ = [
    "RESOURCES", "BENCH_PLATFORMS", "PLATFORM_LABELS", "REPRESENTATIVE_BENCHMARKS", "WORKLOAD_MIXES",
    "HOST", "APP", "FLEET_PLATFORMS", "DEFAULT_FLEET_INSTANCES", "MAX_OVERHEAD", "MAX_CPU_STEAL",
    "BENCHMARK_TABLE_COLUMNS", "FLEET_COLUMNS",
    "ARTICLE_PERFORMANCE_TABLE", "ARTICLE_MEMORY_LATENCY_US", "ARTICLE_NETWORK_LATENCY_US",
    "benchmarks", "validate_benchmarks", "relative_performance", "benchmark_ratios", "measured_overheads",
    "capacity_multiplier", "instances_needed", "fleet_through_models", "fleet_comparison",
    "latency_ladder", "scale_thresholds", "article_performance_table",
]

#: The resources a workload's time is split over (and a platform's overhead is given for).
RESOURCES = ("cpu", "memory", "storage", "network")
#: The configurations Felter et al. measured.
BENCH_PLATFORMS = ("native", "docker", "docker_nat", "kvm", "kvm_untuned")
PLATFORM_LABELS = {"native": "native (bare metal)", "docker": "Docker", "docker_nat": "Docker, NAT network",
                   "kvm": "KVM", "kvm_untuned": "KVM, untuned"}
#: The benchmark whose overhead a workload bound by each resource would feel (the first one measured on a
#: platform is used). Network = request/response round trips (latency-bound work; Redis with one client
#: where netperf was not run on the platform); bulk throughput loses far less (nuttcp).
REPRESENTATIVE_BENCHMARKS = {"cpu": ("linpack",), "memory": ("stream_triad",), "storage": ("fio_randread",),
                             "network": ("netperf_tcp_rr", "redis_get_1client")}
#: Largest overhead and CPU steal the fleet model accepts (at 1.0 no work would get done).
MAX_OVERHEAD = 0.95
MAX_CPU_STEAL = 0.9

#: Workload mixes: share of an instance's busy time bound by each resource. ASSUMPTIONS for illustration
#: (no public source gives such splits); the panel says so and lets you pick one.
WORKLOAD_MIXES: dict[str, dict[str, float]] = {
    "CPU-bound batch": {"cpu": 0.9, "memory": 0.1, "storage": 0.0, "network": 0.0},
    "Web / API service": {"cpu": 0.5, "memory": 0.1, "storage": 0.1, "network": 0.3},
    "OLTP database": {"cpu": 0.3, "memory": 0.2, "storage": 0.4, "network": 0.1},
    "In-memory cache": {"cpu": 0.2, "memory": 0.3, "storage": 0.0, "network": 0.5},
}

#: The host of the fleet: the cost model's server class (``helpers.cost.server_spec()``, data/cost_servers.csv:
#: 2x AMD EPYC 9654 = 192 cores / 384 threads, 1.5 TiB), so density and prices describe one machine. Tests check
#: that HOST and APP give exactly the cost model's ``vms_per_host`` through the density model with no overhead
#: and no reserve.
HOST = {"host_cores": cost.server_spec()["cores"], "threads_per_core": cost.server_spec()["threads_per_core"],
        "host_memory_gib": cost.server_spec()["memory_gib"]}
#: One instance: the cost model's unit of capacity, the m5.large shape (``cost.VM_VCPUS``, ``cost.VM_MEMORY_GIB``).
APP = {"app_vcpu": float(cost.VM_VCPUS), "app_memory_gib": cost.VM_MEMORY_GIB}
#: Platforms of the fleet model: the density model's platforms (per-instance memory overhead).
FLEET_PLATFORMS = arch.DENSITY_PLATFORMS
DEFAULT_FLEET_INSTANCES = cost.DEFAULT_FLEET_VMS

#: The article's performance table (性能数据对比), both columns as (low, high) in the unit given; None = open.
#: Claim ids in data/claims.csv: VM column performance-02..04, container column performance-08..10. The CPU
#: utilisation row is one claim for both cells, resources-12: chapter 3 teaches utilisation (a quote of the
#: article is one claim, counted once).
ARTICLE_PERFORMANCE_TABLE = (
    {"row": "CPU utilisation", "metric_zh": "CPU利用率", "unit": "%", "vm": (70, 85), "container": (95, 100),
     "vm_claim": "resources-12", "container_claim": "resources-12"},
    {"row": "Memory latency", "metric_zh": "内存延迟", "unit": "µs", "vm": (50, 100), "container": (20, 30),
     "vm_claim": "performance-02", "container_claim": "performance-08"},
    {"row": "Storage IOPS", "metric_zh": "存储IOPS", "unit": "IOPS", "vm": (10_000, 50_000),
     "container": (100_000, None), "vm_claim": "performance-03", "container_claim": "performance-09"},
    {"row": "Network throughput", "metric_zh": "网络吞吐量", "unit": "Gbps", "vm": (1, 5), "container": (10, 40),
     "vm_claim": "performance-04", "container_claim": "performance-10"},
)
#: "内存延迟 | 50-100μs | 20-30μs" (performance-02/08) and the appendix's "网络延迟 | 100-500ms | 20-100ms"
#: (performance-05), in µs, for the latency ladder.
ARTICLE_MEMORY_LATENCY_US = {"vm": (50.0, 100.0), "container": (20.0, 30.0)}
ARTICLE_NETWORK_LATENCY_US = {"vm": (100_000.0, 500_000.0), "container": (20_000.0, 100_000.0)}

_BENCHMARK_COLUMNS = [
    Column("benchmark_id", "str", "Identifier of the benchmark (one per workload and setting)."),
    Column("benchmark", "str", "Benchmark and its setting, as shown in charts."),
    Column("resource", "str", "The resource the benchmark stresses.", allowed=RESOURCES),
    Column("metric", "str", "What is measured."),
    Column("unit", "str", "Unit of value."),
    Column("higher_is_better", "bool", "True for throughput (GFLOPS, IOPS ...), false for times."),
    Column("platform", "str", "Configuration measured.", allowed=BENCH_PLATFORMS),
    Column("configuration", "str", "How that configuration was set up."),
    Column("value", "float", "The result, in unit.", unit="see unit", minimum=0),
    Column("runs", "int", "Runs averaged (empty when the number varies by setting).", minimum=1, required=False),
    Column("statistic", "str", "How the value was obtained from the raw data.",
           allowed=("mean", "as_reported", "derived")),
    Column("raw_file", "str", "File of the repository the value was computed from."),
    Column("source", "str", "Citation: paper, repository, commit, file."),
    Column("source_url", "str", "Address of the file at that commit."),
    Column("note", "str", "Which runs, and what to keep in mind.", required=False),
]
register_schema("felter2014_benchmarks",
                "Felter et al. (2014) native, Docker and KVM results, computed from the raw files of their repository.",
                _BENCHMARK_COLUMNS, key=("benchmark_id", "platform"))

LADDER_CATEGORIES = ("memory", "cpu_transition", "storage", "network")
register_schema(
    "latency_ladder",
    "Dated, sourced latencies from a user-space call to a round trip across the world.",
    [
        Column("rung_id", "str", "Short stable identifier."),
        Column("label", "str", "What is timed, in a sentence."),
        Column("chart_label", "str", "Short name on the chart's axis."),
        Column("category", "str", "What kind of wait it is.", allowed=LADDER_CATEGORIES),
        Column("measured_from_to", "str", "The interval: from which event to which."),
        Column("latency_us", "float", "The figure (for a range, its geometric middle).", unit="µs", minimum=0),
        Column("low_us", "float", "Lower end, when the source gives a range.", unit="µs", minimum=0, required=False),
        Column("high_us", "float", "Upper end, when the source gives a range.", unit="µs", minimum=0,
               required=False),
        Column("year", "int", "Year of the measurement or document.", minimum=1990, maximum=2100),
        Column("kind", "str", "How the figure was obtained.", allowed=SOURCE_KINDS),
        Column("source", "str", "Citation."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "What to keep in mind.", required=False),
    ],
    key="rung_id",
)
register_schema(
    "scale_thresholds",
    "How far one Kubernetes cluster is tested or supported to scale (thresholds, not caps).",
    [
        Column("threshold_id", "str", "Short stable identifier."),
        Column("system", "str", "Upstream Kubernetes or a managed service."),
        Column("quantity", "str", "What is counted."),
        Column("value", "float", "The threshold.", unit="see unit", minimum=0),
        Column("unit", "str", "Unit of value."),
        Column("kind_of_limit", "str", "Tested threshold, supported limit or a one-off experiment.",
               allowed=("tested_threshold", "supported_limit", "experimental")),
        Column("year", "int", "Year of the document.", minimum=1990, maximum=2100),
        Column("kind", "str", "How the figure was obtained.", allowed=SOURCE_KINDS),
        Column("source", "str", "Citation."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "What to keep in mind.", required=False),
    ],
    key="threshold_id",
)


# ---------------------------------------------------------------------------------------------------------
# Measured overheads
# ---------------------------------------------------------------------------------------------------------
def benchmarks() -> pd.DataFrame:
    """Every result of ``data/felter2014_benchmarks.csv``, in file order."""
    return load("felter2014_benchmarks")


#: The columns :func:`validate_benchmarks` reads (a benchmark table may hold more).
BENCHMARK_TABLE_COLUMNS = ("benchmark_id", "benchmark", "resource", "unit", "higher_is_better", "platform", "value")
_BENCHMARK_CHECKS = tuple(column for column in _BENCHMARK_COLUMNS if column.name in BENCHMARK_TABLE_COLUMNS)


def validate_benchmarks(table: pd.DataFrame, name: str = "table") -> pd.DataFrame:
    """Check a benchmark table (as :func:`benchmarks` returns) and return it; ``ValueError`` naming the column.

    Needs the columns of :data:`BENCHMARK_TABLE_COLUMNS`: benchmark_id, benchmark, unit non-empty
    text; resource and platform from :data:`RESOURCES` / :data:`BENCH_PLATFORMS`; higher_is_better
    real booleans; value a finite number > 0 (not a bool); one row per (benchmark_id, platform); a
    native row for every benchmark. ``name`` is the parameter's name in the messages.
    """
    require_text("name", name)
    require_frame(name, table, _BENCHMARK_CHECKS, key=("benchmark_id", "platform"))
    values = table["value"].astype(float)
    if (values <= 0).any():
        row = table.index[int(np.flatnonzero((values <= 0).to_numpy())[0])]
        raise ValueError(f"{name}: row {row}, column 'value': {table.loc[row, 'value']!r} must be > 0 (a result "
                         f"relative to native needs a positive measurement)")
    without_native = sorted(set(table["benchmark_id"]) - set(table.loc[table["platform"] == "native",
                                                                         "benchmark_id"]))
    if without_native:
        raise ValueError(f"{name} needs a 'native' row for every benchmark; missing for {without_native}")
    return table.assign(value=values)


def relative_performance(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every result relative to native (1.0 = as fast as bare metal), with the overhead (1 - relative).

    ``table`` defaults to :func:`benchmarks`. Adds columns ``native_value``, ``relative`` and ``overhead``;
    rows keep the table's order.
    """
    frame = benchmarks() if table is None else validate_benchmarks(table)
    native = frame.loc[frame["platform"] == "native"].set_index("benchmark_id")["value"]
    frame = frame.copy()
    frame["native_value"] = frame["benchmark_id"].map(native).astype(float)
    higher = frame["higher_is_better"].astype(bool)
    frame["relative"] = np.where(higher, frame["value"] / frame["native_value"], frame["native_value"] / frame["value"])
    frame["overhead"] = 1.0 - frame["relative"]
    return frame


def benchmark_ratios(platform: str = "kvm") -> pd.Series:
    """``relative`` of one platform for every benchmark it was measured on, by benchmark_id."""
    require_choice("platform", platform, BENCH_PLATFORMS)
    frame = relative_performance()
    return frame.loc[frame["platform"] == platform].set_index("benchmark_id")["relative"]


def measured_overheads(platform: str = "kvm") -> dict[str, float]:
    """Overhead per resource (0-1) of ``platform``, from :data:`REPRESENTATIVE_BENCHMARKS`, floored at 0.

    For each resource the first of its benchmarks measured on ``platform`` is used; ``docker_nat`` and
    ``kvm_untuned`` fall back to ``docker`` and ``kvm`` where they were not measured. A result faster than
    native (Docker's Linpack, 100.01 %) counts as 0.
    """
    require_choice("platform", platform, BENCH_PLATFORMS)
    if platform == "native":
        return {resource: 0.0 for resource in RESOURCES}
    overhead = relative_performance().set_index(["benchmark_id", "platform"])["overhead"]
    chain = [platform] + ([{"docker_nat": "docker", "kvm_untuned": "kvm"}[platform]]
                          if platform in ("docker_nat", "kvm_untuned") else [])
    result = {}
    for resource, candidates in REPRESENTATIVE_BENCHMARKS.items():
        found = [(b, p) for p in chain for b in candidates if (b, p) in overhead.index]
        result[resource] = max(0.0, float(overhead[found[0]]))  # every platform has a measurement per resource
    return result


# ---------------------------------------------------------------------------------------------------------
# What an overhead does to a fleet
# ---------------------------------------------------------------------------------------------------------
def _require_resource_map(name: str, values, *, maximum: float, max_inclusive: bool = True) -> dict[str, float]:
    """A dict over exactly :data:`RESOURCES` whose every value is a number in 0..``maximum``."""
    given = require_mapping(name, values, RESOURCES, allow_none=False)
    missing = [r for r in RESOURCES if r not in given]
    if missing:
        raise ValueError(f"{name} must have exactly the keys {list(RESOURCES)}; missing {missing}")
    return {r: require_number(f"{name}[{r!r}]", given[r], minimum=0.0, maximum=maximum, max_inclusive=max_inclusive)
            for r in RESOURCES}


def capacity_multiplier(overheads: Mapping[str, float], mix: Mapping[str, float], cpu_steal: float = 0.0) -> float:
    """How many times more instances a workload needs on a platform with these overheads (>= 1).

    ``overheads``: fraction of each resource's speed lost (0 to 0.95), keys :data:`RESOURCES`.
    ``mix``: share of the workload's time bound by each resource (each >= 0, summing to 1).
    ``cpu_steal``: share of CPU time taken by other tenants' vCPUs (0 to 0.9). See the module docstring.
    """
    lost = _require_resource_map("overheads", overheads, maximum=MAX_OVERHEAD)
    shares = _require_resource_map("mix", mix, maximum=1.0)
    if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"mix must sum to 1 (shares of the workload's time); got {sum(shares.values()):g}")
    steal = require_number("cpu_steal", cpu_steal, minimum=0.0, maximum=MAX_CPU_STEAL)
    lost["cpu"] = 1.0 - (1.0 - lost["cpu"]) * (1.0 - steal)
    return float(sum(shares[r] / (1.0 - lost[r]) for r in RESOURCES))


def instances_needed(native_instances: float, multiplier: float) -> int:
    """Whole instances to do ``native_instances`` instances' worth of work at ``multiplier`` (ceil)."""
    native = require_number("native_instances", native_instances, minimum=0, maximum=1e7, unit="instances")
    factor = require_number("multiplier", multiplier, minimum=1.0, maximum=1e4)
    return int(math.ceil(native * factor - 1e-9))


def _fleet_density() -> pd.DataFrame:
    """Chapter 2's density table for :data:`HOST` and :data:`APP`, every other input at the density model's
    defaults (host reservation, guest OS memory, no overcommit)."""
    return arch.density_table(**{**arch.density_defaults(), **HOST, **APP})


def fleet_through_models(*, native_instances: float, multiplier: float, platform: str | None) -> dict:
    """THE ADAPTER: the only function of this chapter that calls the density and cost models.

    A 30-day hourly demand of ``native_instances`` (1-1,000,000) on average (``helpers.cost.demand_profile``:
    daily cycle +-30 %, 5 % noise, seed 0) is scaled by ``multiplier`` (1-10,000) and rounded up hour by
    hour. Instances per host: for bare metal (``platform`` None) the cost model's own ``vms_per_host`` (the
    whole server, no per-instance overhead, no reserve); for a platform of :data:`FLEET_PLATFORMS` its row of
    ``helpers.architecture.density_table`` for :data:`HOST` and :data:`APP` at the density model's defaults
    (``density_defaults()``: the host's reservation, the guest OS, each platform's memory and CPU overhead).
    Hosts and the monthly cost of each option come from ``helpers.cost`` with that density.
    Returns ``{"demand", "peak_instances", "instance_hours", "instances_per_host", "hosts",
    "cost_usd_per_month" (option -> USD)}``.
    """
    native = require_number("native_instances", native_instances, minimum=1, maximum=1e6, unit="instances")
    factor = require_number("multiplier", multiplier, minimum=1.0, maximum=1e4)
    if platform is not None:
        require_choice("platform", platform, FLEET_PLATFORMS)
    demand = whole_instances(cost.demand_profile(days=30, baseline_instances=native, seed=0) * factor)
    if platform is None:
        per_host = int(cost.default_parameters()["vms_per_host"])
    else:
        per_host = int(_fleet_density().set_index("platform").loc[platform, "instances_per_host"])
    monthly = cost.cost_table(cost.monthly_cost_by_option(demand, vms_per_host=per_host))
    return {
        "demand": demand,
        "peak_instances": int(demand.max()),
        "instance_hours": float(demand.sum()),
        "instances_per_host": per_host,
        "hosts": cost.hosts_needed(float(demand.max()), per_host),
        "cost_usd_per_month": dict(zip(monthly["option"], monthly["total_usd_per_month"].astype(float))),
    }


#: Columns of a :func:`fleet_comparison` table (``<option>_usd_per_month`` for each of the cost model's options).
FLEET_COLUMNS = ("scenario", "peak_instances", "instance_hours_per_month", "instances_per_host", "hosts",
                 *(f"{option}_usd_per_month" for option in cost.OPTIONS))


def fleet_comparison(*, overheads: Mapping[str, float], mix: Mapping[str, float], platform: str,
                     native_instances: float = DEFAULT_FLEET_INSTANCES, cpu_steal: float = 0.0) -> pd.DataFrame:
    """The same work on bare metal (no overhead) and on ``platform`` with ``overheads``, ``mix``, ``cpu_steal``.

    Two rows (scenario "bare metal", then the platform) with the columns of :data:`FLEET_COLUMNS`:
    peak_instances, instance_hours_per_month, instances_per_host, hosts and the monthly cost of every
    option. ``attrs["multiplier"]`` holds :func:`capacity_multiplier`.
    """
    require_choice("platform", platform, FLEET_PLATFORMS)
    factor = capacity_multiplier(overheads, mix, cpu_steal)
    rows = []
    for scenario, chosen, scale in (("bare metal", None, 1.0), (platform, platform, factor)):
        fleet = fleet_through_models(native_instances=native_instances, multiplier=scale, platform=chosen)
        row = {"scenario": scenario, "peak_instances": fleet["peak_instances"],
               "instance_hours_per_month": fleet["instance_hours"], "instances_per_host": fleet["instances_per_host"],
               "hosts": fleet["hosts"]}
        row.update({f"{option}_usd_per_month": value for option, value in fleet["cost_usd_per_month"].items()})
        rows.append(row)
    table = pd.DataFrame(rows)[list(FLEET_COLUMNS)]
    table.attrs["multiplier"] = factor
    return table


# ---------------------------------------------------------------------------------------------------------
# Latency ladder, scale thresholds, the article's table
# ---------------------------------------------------------------------------------------------------------
def latency_ladder() -> pd.DataFrame:
    """``data/latency_ladder.csv`` sorted from the shortest latency to the longest."""
    return load("latency_ladder").sort_values("latency_us", kind="stable").reset_index(drop=True)


def scale_thresholds() -> pd.DataFrame:
    """``data/scale_thresholds.csv``: Kubernetes' tested thresholds and GKE's limits."""
    return load("scale_thresholds")


def _range_text(bounds: tuple, unit: str) -> str:
    low, high = bounds
    fmt = (lambda v: f"{v:,.0f}")
    return f"{fmt(low)}+ {unit}" if high is None else f"{fmt(low)}-{fmt(high)} {unit}"


def article_performance_table() -> pd.DataFrame:
    """The article's performance table, both columns, each cell's verdict (data/claims.csv) and the measurements.

    One row per table row: the article's VM and container cells, their verdicts, and what Felter et
    al. measured for the same resource (KVM and Docker relative to native) with the source file.
    """
    claims = load("claims").set_index("claim_id")  # the CPU row is chapter 3's claim
    ratios = relative_performance().set_index(["benchmark_id", "platform"])["relative"]
    measured = {
        "CPU utilisation": ("linpack", "Linpack: KVM tuned {kvm:.1%}, untuned {kvm_untuned:.1%}, Docker {docker:.1%} of native"),
        "Memory latency": ("stream_triad", "STREAM Triad: KVM {kvm:.1%}, Docker {docker:.1%} of native bandwidth; "
                                           "a DRAM access takes 0.06-0.1 µs"),
        "Storage IOPS": ("fio_randread", "fio random read: KVM {kvm:.1%}, Docker {docker:.1%} of native "
                                         "(84,044 IOPS on one flash device)"),
        "Network throughput": ("nuttcp_c2s", "nuttcp on 10 GbE: KVM {kvm:.1%}, Docker (NAT) {docker_nat:.1%} of "
                                             "native (9.35 Gbps)"),
    }
    rows = []
    for row in ARTICLE_PERFORMANCE_TABLE:
        benchmark_id, template = measured[row["row"]]
        values = {p: float(ratios[(benchmark_id, p)]) for p in BENCH_PLATFORMS if (benchmark_id, p) in ratios.index}
        rows.append({
            "metric": f"{row['row']} ({row['metric_zh']})",
            "article: VM": _range_text(row["vm"], row["unit"]),
            "verdict (VM)": claims.loc[row["vm_claim"], "verdict"],
            "article: container": _range_text(row["container"], row["unit"]),
            "verdict (container)": claims.loc[row["container_claim"], "verdict"],
            "measured (Felter et al. 2014)": template.format(**values),
            "claims": ", ".join(dict.fromkeys((row["vm_claim"], row["container_claim"]))),
        })
    return pd.DataFrame(rows)
