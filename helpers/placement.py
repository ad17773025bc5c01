"""Chapter 3 model: placing VMs or containers of mixed sizes onto hosts (two-dimensional bin packing).

Each item asks for vCPUs and memory; each host offers ``vcpu x cpu_overcommit`` and
``memory_gib x memory_overcommit``. Items are taken largest first (by their *dominant
share*, max(vCPU / host vCPU, memory / host memory)) and put on an open host where both
fit, chosen by one of three rules; a new host is opened only when none fits:

* ``first-fit``: the first open host, in the order opened;
* ``best-fit``: the host left fullest (highest mean of the two allocated shares after
  placing: kube-scheduler's ``MostAllocated`` scoring, i.e. bin packing);
* ``worst-fit``: the host left emptiest (lowest mean allocated share: ``LeastAllocated``,
  kube-scheduler's default, which spreads load).

Results (:func:`placement_summary`): hosts used against the **lower bound**
``max(ceil(total vCPU / host vCPU), ceil(total memory / host memory), items over half a host
in either resource)`` (no packing can use fewer); the allocated share of CPU and memory;
**stranded** capacity (free vCPUs on hosts whose free memory cannot take even the smallest
item, and free memory on hosts whose free vCPUs cannot); and **fragmentation** with respect
to a probe item (the median request of the workload): 1 - probes that fit host by host /
probes the pooled free capacity would hold. For one resource, first-fit decreasing never
uses more than 11/9 OPT + 6/9 hosts (Dósa 2007); the tests check it.

Shapes and hosts come from ``data/placement_shapes.csv`` (AWS instance and Fargate task
sizes; the mix weights are assumptions). Allocation is not utilisation: a host can be
fully *allocated* while its CPUs are mostly idle, which is what the utilisation studies
measure. Left out: anti-affinity and spreading across failure domains, placement over time
(arrivals and departures), live migration, NUMA and huge-page alignment, and per-instance
overhead (chapter 2's density model).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_integer, require_number

__all__ = ["ALGORITHMS", "ORDERS", "MIXES", "SHAPE_KINDS", "placement_shapes", "host_shapes", "workload", "lower_bound",
           "pack", "placement_summary", "host_usage", "FFD_BOUND"]

ALGORITHMS = ("first-fit", "best-fit", "worst-fit")
#: ``decreasing``: largest dominant share first (the offline, sorted version); ``arrival``: in the items' order
#: (online, as requests arrive in a cloud).
ORDERS = ("decreasing", "arrival")
SHAPE_KINDS = ("host", "vm", "container")
#: Workload mixes: VMs only, containers only, or half and half (by count).
MIXES = ("vms", "containers", "mixed")
#: Dósa (2007): FFD(I) <= 11/9 OPT(I) + 6/9, and the bound is tight.
FFD_BOUND = (11 / 9, 6 / 9)
_EPS = 1e-9
MAX_ITEMS = 5000

register_schema(
    "placement_shapes",
    "Host sizes and the VM and container shapes of the placement workloads, with each shape's weight in its mix.",
    [
        Column("shape_id", "str", "Identifier (an instance type, a task size or a host name)."),
        Column("kind", "str", "What the row describes.", allowed=SHAPE_KINDS),
        Column("label", "str", "Name shown in tables and charts."),
        Column("vcpu", "float", "vCPUs offered (host) or requested (VM, container).", unit="vCPU", minimum=0),
        Column("memory_gib", "float", "Memory offered or requested.", unit="GiB", minimum=0),
        Column("weight", "float", "Relative frequency of the shape in its mix (0 for hosts).", minimum=0),
        Column("source_kind", "str", "How much to trust the figures.", allowed=SOURCE_KINDS),
        Column("source", "str", "Where the size (and the weight) come from."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "Caveats.", required=False),
    ],
    key="shape_id",
)


@functools.lru_cache(maxsize=1)
def _shapes() -> pd.DataFrame:
    table = load("placement_shapes")
    for kind in ("vm", "container"):
        if table.loc[table["kind"] == kind, "weight"].sum() <= 0:
            raise ValueError(f"placement_shapes.csv: the {kind} shapes need a positive total weight")
    return table


def placement_shapes(kind: str | None = None) -> pd.DataFrame:
    """The shapes table (or the rows of one ``kind``: host, vm, container)."""
    table = _shapes().copy()
    if kind is None:
        return table
    require_choice("kind", kind, SHAPE_KINDS)
    return table[table["kind"] == kind].reset_index(drop=True)


def host_shapes() -> dict[str, tuple[float, float]]:
    """Host name -> (vCPUs, memory GiB), from ``placement_shapes.csv``."""
    hosts = placement_shapes("host")
    return {row.shape_id: (float(row.vcpu), float(row.memory_gib)) for row in hosts.itertuples()}


def workload(mix: str = "vms", count: int = 300, seed: int = 0) -> pd.DataFrame:
    """``count`` items drawn (seeded) from a mix's shapes with their weights.

    ``mix``: ``"vms"``, ``"containers"`` or ``"mixed"`` (each item a VM or a container with
    probability 1/2). Columns ``item``, ``shape_id``, ``kind``, ``vcpu``, ``memory_gib``.
    """
    require_choice("mix", mix, MIXES)
    n = require_integer("count", count, minimum=1, maximum=MAX_ITEMS)
    rng = np.random.default_rng(require_integer("seed", seed, minimum=0, maximum=2**63 - 1))
    shapes = _shapes()
    vms = shapes[shapes["kind"] == "vm"]
    containers = shapes[shapes["kind"] == "container"]
    if mix == "vms":
        pool, weights = vms, vms["weight"].to_numpy(float)
    elif mix == "containers":
        pool, weights = containers, containers["weight"].to_numpy(float)
    else:
        pool = pd.concat([vms, containers])
        weights = np.concatenate([vms["weight"] / vms["weight"].sum(), containers["weight"] / containers["weight"].sum()])
    picks = rng.choice(len(pool), size=n, p=weights / weights.sum())
    chosen = pool.iloc[picks]
    return pd.DataFrame({"item": np.arange(n), "shape_id": chosen["shape_id"].to_numpy(),
                         "kind": chosen["kind"].to_numpy(), "vcpu": chosen["vcpu"].to_numpy(float),
                         "memory_gib": chosen["memory_gib"].to_numpy(float)})


def _check_items(items) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(items, pd.DataFrame):
        raise ValueError(f"items must be a DataFrame with columns vcpu and memory_gib; got {type(items).__name__}")
    for column in ("vcpu", "memory_gib"):
        if column not in items.columns:
            raise ValueError(f"items must have a column {column!r}; got {list(items.columns)}")
        values = items[column]
        if values.dtype == bool or not pd.api.types.is_numeric_dtype(values):
            raise ValueError(f"items column {column!r} must hold numbers; got dtype {values.dtype}")
        array = values.to_numpy(float)
        if not np.all(np.isfinite(array)) or np.any(array < 0):
            raise ValueError(f"items column {column!r} must hold finite numbers >= 0")
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValueError(f"items must have 1 to {MAX_ITEMS} rows; got {len(items)}")
    cpu = items["vcpu"].to_numpy(float)
    memory = items["memory_gib"].to_numpy(float)
    if np.any((cpu <= 0) & (memory <= 0)):
        raise ValueError("items must each request some vCPU or memory (a row has both 0)")
    return cpu, memory


def _check_host(host_vcpu, host_memory_gib, cpu_overcommit, memory_overcommit) -> tuple[float, float]:
    vcpu = require_number("host_vcpu", host_vcpu, minimum=0, min_inclusive=False, maximum=100_000, unit="vCPU")
    memory = require_number("host_memory_gib", host_memory_gib, minimum=0, min_inclusive=False, maximum=1e7,
                            unit="GiB")
    cpu_ratio = require_number("cpu_overcommit", cpu_overcommit, minimum=1, maximum=64)
    memory_ratio = require_number("memory_overcommit", memory_overcommit, minimum=1, maximum=4)
    return vcpu * cpu_ratio, memory * memory_ratio


def lower_bound(items: pd.DataFrame, *, host_vcpu: float, host_memory_gib: float, cpu_overcommit: float = 1.0,
                memory_overcommit: float = 1.0) -> int:
    """Hosts that any placement needs at least (see the module docstring)."""
    cpu, memory = _check_items(items)
    capacity_cpu, capacity_memory = _check_host(host_vcpu, host_memory_gib, cpu_overcommit, memory_overcommit)
    return _lower_bound(cpu, memory, capacity_cpu, capacity_memory)


def _lower_bound(cpu, memory, capacity_cpu, capacity_memory) -> int:
    return int(max(math.ceil(cpu.sum() / capacity_cpu - _EPS), math.ceil(memory.sum() / capacity_memory - _EPS),
                   np.count_nonzero(cpu > capacity_cpu / 2 + _EPS), np.count_nonzero(memory > capacity_memory / 2 + _EPS)))


def pack(items: pd.DataFrame, *, host_vcpu: float, host_memory_gib: float, algorithm: str = "first-fit",
         order: str = "decreasing", cluster_hosts: int | None = None, cpu_overcommit: float = 1.0,
         memory_overcommit: float = 1.0) -> np.ndarray:
    """The host (0, 1, ...) each item lands on, in the items' order, with ``algorithm``.

    ``order``: ``"decreasing"`` (largest dominant share first: first-fit decreasing and so on)
    or ``"arrival"`` (the items' own order, as an online scheduler sees them).
    ``cluster_hosts``: ``None`` opens hosts as needed (bin packing); a whole number gives a fixed
    cluster of that many hosts, all open from the start (as a Kubernetes cluster's nodes), and an
    item that fits on none of them stays pending (host -1).
    ``items`` is a DataFrame with numeric columns ``vcpu`` and ``memory_gib`` (>= 0, 1 to
    5,000 rows). An item larger than a host raises ``ValueError`` naming it.
    """
    cpu, memory = _check_items(items)
    require_choice("algorithm", algorithm, ALGORITHMS)
    require_choice("order", order, ORDERS)
    cluster = None if cluster_hosts is None else require_integer("cluster_hosts", cluster_hosts, minimum=1,
                                                                 maximum=MAX_ITEMS)
    capacity_cpu, capacity_memory = _check_host(host_vcpu, host_memory_gib, cpu_overcommit, memory_overcommit)
    too_big = np.flatnonzero((cpu > capacity_cpu + _EPS) | (memory > capacity_memory + _EPS))
    if too_big.size:
        raise ValueError(f"items {too_big[:5].tolist()} ask for more than one host offers "
                         f"({capacity_cpu:g} vCPU, {capacity_memory:g} GiB); use a larger host")
    return _pack(cpu, memory, capacity_cpu, capacity_memory, algorithm, order, cluster)


def _pack(cpu, memory, capacity_cpu, capacity_memory, algorithm, order="decreasing", cluster=None) -> np.ndarray:
    share_cpu, share_memory = cpu / capacity_cpu, memory / capacity_memory
    sequence = (np.argsort(-np.maximum(share_cpu, share_memory), kind="stable") if order == "decreasing"
                else np.arange(cpu.size))
    n = cpu.size
    slots = n if cluster is None else cluster
    free_cpu = np.zeros(slots)  # share of a host still free, per opened host
    free_memory = np.zeros(slots)
    where = np.empty(n, dtype=np.int64)
    opened = 0
    if cluster is not None:
        free_cpu[:] = free_memory[:] = 1.0
        opened = cluster
    for index in sequence.tolist():
        c, m = share_cpu[index], share_memory[index]
        fits = np.flatnonzero((free_cpu[:opened] >= c - _EPS) & (free_memory[:opened] >= m - _EPS))
        if fits.size == 0 and cluster is not None:
            where[index] = -1  # pending: no room anywhere in the fixed cluster
            continue
        if fits.size == 0:
            host = opened
            opened += 1
            free_cpu[host] = free_memory[host] = 1.0
        elif algorithm == "first-fit":
            host = int(fits[0])
        else:
            room = free_cpu[fits] + free_memory[fits]  # mean free share x 2, after placing: same order
            host = int(fits[np.argmin(room)] if algorithm == "best-fit" else fits[np.argmax(room)])
        free_cpu[host] -= c
        free_memory[host] -= m
        where[index] = host
    return where


def host_usage(items: pd.DataFrame, hosts: np.ndarray, *, host_vcpu: float, host_memory_gib: float,
               cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0) -> pd.DataFrame:
    """One row per host: items, allocated vCPU and memory, their shares of the host, free and stranded capacity."""
    cpu, memory = _check_items(items)
    capacity_cpu, capacity_memory = _check_host(host_vcpu, host_memory_gib, cpu_overcommit, memory_overcommit)
    where = np.asarray(hosts)
    if where.shape != cpu.shape or where.dtype.kind not in "iu" or (where.size and where.min() < -1):
        raise ValueError("hosts must give one host index (a whole number >= 0, or -1 for pending) per row of items, "
                         "as pack() returns")
    return _host_usage(cpu, memory, where, capacity_cpu, capacity_memory)


def _host_usage(cpu, memory, where, capacity_cpu, capacity_memory, count=None) -> pd.DataFrame:
    """Per host; pending items (-1) are left out. ``count`` hosts (default: up to the highest index used)."""
    placed = where >= 0
    count = (int(where.max()) + 1 if placed.any() else 0) if count is None else count
    used_cpu = np.bincount(where[placed], weights=cpu[placed], minlength=count)
    used_memory = np.bincount(where[placed], weights=memory[placed], minlength=count)
    free_cpu = np.maximum(capacity_cpu - used_cpu, 0)
    free_memory = np.maximum(capacity_memory - used_memory, 0)
    smallest_cpu = cpu[cpu > 0].min() if np.any(cpu > 0) else 0.0
    smallest_memory = memory[memory > 0].min() if np.any(memory > 0) else 0.0
    return pd.DataFrame({
        "host": np.arange(count), "items": np.bincount(where[placed], minlength=count),
        "vcpu_allocated": used_cpu, "memory_gib_allocated": used_memory,
        "cpu_share": used_cpu / capacity_cpu, "memory_share": used_memory / capacity_memory,
        "vcpu_free": free_cpu, "memory_gib_free": free_memory,
        "vcpu_stranded": np.where(free_memory < smallest_memory - _EPS, free_cpu, 0.0),
        "memory_gib_stranded": np.where(free_cpu < smallest_cpu - _EPS, free_memory, 0.0),
    })


def _fragmentation(usage: pd.DataFrame, probe_cpu: float, probe_memory: float) -> float:
    def fits(free_cpu, free_memory):
        by_cpu = np.floor(free_cpu / probe_cpu + _EPS) if probe_cpu > 0 else np.full(np.shape(free_cpu), np.inf)
        by_memory = np.floor(free_memory / probe_memory + _EPS) if probe_memory > 0 else np.full(
            np.shape(free_memory), np.inf)
        return np.minimum(by_cpu, by_memory)

    pooled = float(fits(usage["vcpu_free"].sum(), usage["memory_gib_free"].sum()))
    if pooled <= 0:
        return 0.0
    separate = float(fits(usage["vcpu_free"].to_numpy(), usage["memory_gib_free"].to_numpy()).sum())
    return 1 - separate / pooled


def placement_summary(items: pd.DataFrame, *, host_vcpu: float, host_memory_gib: float, order: str = "decreasing",
                      cluster_hosts: int | None = None, cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0,
                      algorithms: tuple[str, ...] = ALGORITHMS) -> pd.DataFrame:
    """One row per algorithm: hosts, lower bound, items per host, allocated shares, stranded capacity, fragmentation.

    Columns: ``algorithm``, ``hosts`` (hosts with at least one item), ``lower_bound``,
    ``extra_hosts``, ``pending`` (items that found no room in a fixed cluster), ``items_per_host``,
    ``cpu_allocated_share``, ``memory_allocated_share`` (of the hosts in use),
    ``vcpu_stranded``, ``memory_gib_stranded``, ``fragmentation`` (0-1, probe = the median
    request; over every host of a fixed cluster).
    """
    cpu, memory = _check_items(items)
    capacity_cpu, capacity_memory = _check_host(host_vcpu, host_memory_gib, cpu_overcommit, memory_overcommit)
    if isinstance(algorithms, str) or not isinstance(algorithms, (list, tuple)) or not algorithms:
        raise ValueError(f"algorithms must be a non-empty tuple of {list(ALGORITHMS)}; got {algorithms!r}")
    for name in algorithms:
        require_choice("algorithms", name, ALGORITHMS)
    bound = _lower_bound(cpu, memory, capacity_cpu, capacity_memory)
    probe_cpu, probe_memory = float(np.median(cpu)), float(np.median(memory))
    rows = []
    for name in algorithms:
        where = pack(items, host_vcpu=host_vcpu, host_memory_gib=host_memory_gib, algorithm=name, order=order,
                     cluster_hosts=cluster_hosts, cpu_overcommit=cpu_overcommit, memory_overcommit=memory_overcommit)
        usage = _host_usage(cpu, memory, where, capacity_cpu, capacity_memory, count=cluster_hosts)
        in_use = usage[usage["items"] > 0]
        hosts = max(len(in_use), 1)
        placed = where >= 0
        rows.append({
            "algorithm": name, "hosts": len(in_use), "lower_bound": bound, "extra_hosts": len(in_use) - bound,
            "pending": int((~placed).sum()), "items_per_host": int(placed.sum()) / hosts,
            "cpu_allocated_share": float(cpu[placed].sum() / (hosts * capacity_cpu)),
            "memory_allocated_share": float(memory[placed].sum() / (hosts * capacity_memory)),
            "vcpu_stranded": float(usage["vcpu_stranded"].sum()),
            "memory_gib_stranded": float(usage["memory_gib_stranded"].sum()),
            "fragmentation": _fragmentation(usage, probe_cpu, probe_memory),
        })
    return pd.DataFrame(rows)
