"""Chapter 2 model: where each platform puts the isolation boundary, and how many instances fit a host.

Two pieces, both pure functions of numbers and tables (no widgets, no charts):

* **Layers** (``data/platform_layers.csv``): each platform's software stack from
  hardware up to the application, which layers tenants share, and which layer
  enforces the isolation between them.
* **Density** (``data/instance_overheads.csv``, ``data/density_parameters.csv``):
  instances per host = the smaller of what the CPU and the memory allow, after
  each platform's per-instance overhead (guest OS and VMM for a full VM, a
  5 MiB VMM plus a small guest for a Firecracker microVM, a few MiB of runtime
  for a container)::

      by_cpu    = floor(host_cores × threads_per_core × cpu_overcommit / (app_vcpu + overhead_vcpu))
      by_memory = floor(host_memory_mib × memory_overcommit / (app_memory_mib + overhead_memory_mib))
      instances = min(by_cpu, by_memory); limiting resource = "cpu" if by_cpu <= by_memory else "memory"

  (a tie is reported as ``cpu``). Bare metal is one tenant per machine and is not
  part of the density model.
"""

from __future__ import annotations

import functools
import math

import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_integer, require_number

__all__ = [
    "PLATFORMS", "LAYER_KINDS", "DENSITY_PLATFORMS", "ARTICLE_VMS_PER_HOST", "platform_layers", "platform_summary",
    "shared_layer_count", "density_parameters", "density_defaults", "instance_overhead", "instances_per_host",
    "density_table", "MAX_THREADS_PER_CORE",
]

#: Platforms of the layer explorer, in the order they are taught.
PLATFORMS = ("bare_metal", "type1_hypervisor", "type2_hypervisor", "containers_on_host", "containers_in_vms",
             "microvm", "gvisor_sandbox")
LAYER_KINDS = ("hardware", "host_kernel", "hypervisor", "vmm", "guest_kernel", "sandbox_kernel",
               "container_runtime", "application")
#: Platforms of the density model (each has rows in instance_overheads.csv).
DENSITY_PLATFORMS = ("type1_hypervisor", "microvm", "gvisor_sandbox", "containers_on_host")
#: The article's "单台物理服务器可承载20-30个VM实例" (one physical server hosts 20-30 VM instances), line 12.
ARTICLE_VMS_PER_HOST = (20, 30)
MIB_PER_GIB = 1024
#: Hardware threads per core the model accepts: 1 (SMT off) to 8 (IBM POWER8/9 SMT8, the most any server CPU offers).
MAX_THREADS_PER_CORE = 8

register_schema(
    "platform_layers",
    "Each platform's layers from hardware (position 1) up, which are shared between tenants, and what isolates them.",
    [
        Column("platform", "str", "Platform identifier.", allowed=PLATFORMS),
        Column("platform_label", "str", "Platform name shown in charts."),
        Column("examples", "str", "Products or services built this way."),
        Column("isolation_boundary", "str", "What separates one tenant from another on this platform."),
        Column("layer_position", "int", "Position in the stack, 1 = hardware at the bottom.", minimum=1, maximum=10),
        Column("layer", "str", "The layer, as drawn."),
        Column("layer_kind", "str", "Kind of layer.", allowed=LAYER_KINDS),
        Column("shared_between_tenants", "bool", "True if one copy of the layer serves every tenant on the host."),
        Column("enforces_isolation", "bool", "True if this layer enforces the isolation between tenants."),
        Column("source", "str", "Documentation that describes the layer."),
        Column("source_url", "str", "Address of that documentation."),
    ],
    key=("platform", "layer_position"),
)

register_schema(
    "instance_overheads",
    "Per-instance resource overhead of each density platform, one row per component, with its source.",
    [
        Column("platform", "str", "Platform identifier (as in platform_layers.csv).", allowed=DENSITY_PLATFORMS),
        Column("component", "str", "Part of the overhead (guest_os, vmm_fixed, runtime ...)."),
        Column("memory_mib", "float", "Fixed memory per instance.", unit="MiB", minimum=0),
        Column("memory_mib_per_vcpu", "float", "Memory per instance per vCPU of the instance.", unit="MiB/vCPU",
               minimum=0),
        Column("memory_fraction_of_guest", "float", "Memory per instance as a share of the instance's memory.",
               unit="fraction", minimum=0, maximum=1),
        Column("cpu_vcpu", "float", "CPU per instance, on top of the application's.", unit="vCPU", minimum=0),
        Column("kind", "str", "How much to trust the figure.", allowed=SOURCE_KINDS),
        Column("source", "str", "Where the figure comes from."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "How the figure was read or derived.", required=False),
    ],
    key=("platform", "component"),
)

register_schema(
    "density_parameters",
    "The density model's inputs: default and range of each, with sources (also the density panel's sliders).",
    [
        Column("name", "str", "Parameter name (an argument of density_table)."),
        Column("label", "str", "Slider label."),
        Column("minimum", "float", "Lowest value offered.", minimum=0),
        Column("maximum", "float", "Highest value offered.", minimum=0),
        Column("step", "float", "Slider step.", minimum=0),
        Column("default", "float", "Default value.", minimum=0),
        Column("unit", "str", "Unit of the parameter."),
        Column("kind", "str", "How much to trust the default.", allowed=SOURCE_KINDS),
        Column("description", "str", "What the parameter is, and where its default and range come from."),
        Column("source", "str", "Source of the default and range."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="name",
)


def _require_platforms(name: str, platforms, allowed: tuple[str, ...]) -> list[str]:
    if isinstance(platforms, str) or not isinstance(platforms, (list, tuple)):
        raise ValueError(f"{name} must be a list or tuple of platforms from {list(allowed)}; got {platforms!r}")
    if not platforms:
        raise ValueError(f"{name} must name at least one platform from {list(allowed)}; got an empty {name}")
    for platform in platforms:
        require_choice(name, platform, allowed)
    if len(set(platforms)) != len(platforms):
        raise ValueError(f"{name} must not repeat a platform; got {list(platforms)}")
    return list(platforms)


def platform_layers(platforms: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The layers of ``platforms`` (default: all of :data:`PLATFORMS`), bottom to top, in the order given."""
    chosen = list(PLATFORMS) if platforms is None else _require_platforms("platforms", platforms, PLATFORMS)
    layers = load("platform_layers")
    layers = layers[layers["platform"].isin(chosen)].copy()
    layers["platform_order"] = layers["platform"].map({p: i for i, p in enumerate(chosen)})
    return layers.sort_values(["platform_order", "layer_position"]).drop(columns="platform_order").reset_index(
        drop=True)


def shared_layer_count(platform: str) -> int:
    """How many layers of ``platform`` one copy of serves every tenant on the host (bare metal: 0)."""
    require_choice("platform", platform, PLATFORMS)
    layers = platform_layers([platform])
    return int(layers["shared_between_tenants"].sum())


def platform_summary(platforms: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per platform: shared layers, per-tenant layers, the layer(s) enforcing isolation, the boundary."""
    chosen = list(PLATFORMS) if platforms is None else _require_platforms("platforms", platforms, PLATFORMS)
    return _summary_of_every_platform().set_index("platform").loc[chosen].reset_index()


@functools.lru_cache(maxsize=1)
def _summary_of_every_platform() -> pd.DataFrame:
    """The summary of all platforms, computed once per session (the layer data does not change)."""
    rows = []
    for platform, group in platform_layers().groupby("platform", sort=False):
        shared = group[group["shared_between_tenants"]]
        rows.append({
            "platform": platform,
            "platform_label": group["platform_label"].iloc[0],
            "layers": len(group),
            "shared_layers": len(shared),
            "per_tenant_layers": len(group) - len(shared),
            "enforced_by": "; ".join(group.loc[group["enforces_isolation"], "layer"]),
            "isolation_boundary": group["isolation_boundary"].iloc[0],
            "examples": group["examples"].iloc[0],
        })
    return pd.DataFrame(rows)


def density_parameters() -> pd.DataFrame:
    """The density model's parameters with default, range, unit and source (``data/density_parameters.csv``)."""
    return load("density_parameters")


def density_defaults() -> dict[str, float]:
    """Default value of every density parameter, by name."""
    table = density_parameters()
    return {row["name"]: float(row["default"]) for _, row in table.iterrows()}


def instance_overhead(platform: str, *, app_vcpu: float, app_memory_gib: float,
                      guest_os_memory_mib: float | None = None) -> dict[str, float]:
    """Memory (MiB) and CPU (vCPU) one instance of ``platform`` needs on top of the application's own.

    ``guest_os_memory_mib`` replaces the full VM's ``guest_os`` row when given
    (only meaningful for ``type1_hypervisor``; other platforms ignore it).
    """
    require_choice("platform", platform, DENSITY_PLATFORMS)
    vcpu = require_number("app_vcpu", app_vcpu, minimum=0, min_inclusive=False, maximum=1024, unit="vCPU")
    memory_gib = require_number("app_memory_gib", app_memory_gib, minimum=0, min_inclusive=False, maximum=65536,
                                unit="GiB")
    if guest_os_memory_mib is not None:
        guest_os_memory_mib = require_number("guest_os_memory_mib", guest_os_memory_mib, minimum=0, maximum=65536,
                                             unit="MiB")
    rows = load("instance_overheads")
    rows = rows[rows["platform"] == platform]
    per_row = (rows["memory_mib"] + rows["memory_mib_per_vcpu"] * vcpu
               + rows["memory_fraction_of_guest"] * memory_gib * MIB_PER_GIB)
    if guest_os_memory_mib is not None and platform == "type1_hypervisor":
        per_row = per_row.where(rows["component"] != "guest_os", guest_os_memory_mib)
    return {"memory_mib": float(per_row.sum()), "cpu_vcpu": float(rows["cpu_vcpu"].sum())}


def instances_per_host(*, host_cores: int, threads_per_core: int, host_memory_gib: float, app_vcpu: float,
                       app_memory_gib: float, overhead_memory_mib: float = 0.0, overhead_vcpu: float = 0.0,
                       cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0) -> dict:
    """Instances of one size that fit a host, what the CPU and memory each allow, and which one limits.

    ``host_cores`` and ``threads_per_core`` are whole numbers (1..4096 cores,
    1..8 threads); memory in GiB (host, application) and MiB (overhead).
    Returns ``{"instances", "by_cpu", "by_memory", "limiting"}``; ``limiting`` is
    ``"cpu"`` or ``"memory"`` (``"cpu"`` on a tie).
    """
    cores = require_integer("host_cores", host_cores, minimum=1, maximum=4096)
    threads = require_integer("threads_per_core", threads_per_core, minimum=1, maximum=MAX_THREADS_PER_CORE)
    memory_gib = require_number("host_memory_gib", host_memory_gib, minimum=0, min_inclusive=False,
                                maximum=1_048_576, unit="GiB")
    vcpu = require_number("app_vcpu", app_vcpu, minimum=0, min_inclusive=False, maximum=1024, unit="vCPU")
    app_gib = require_number("app_memory_gib", app_memory_gib, minimum=0, min_inclusive=False, maximum=65536,
                             unit="GiB")
    extra_mib = require_number("overhead_memory_mib", overhead_memory_mib, minimum=0, maximum=1_048_576,
                               unit="MiB")
    extra_vcpu = require_number("overhead_vcpu", overhead_vcpu, minimum=0, maximum=1024, unit="vCPU")
    cpu_ratio = require_number("cpu_overcommit", cpu_overcommit, minimum=1, maximum=64)
    memory_ratio = require_number("memory_overcommit", memory_overcommit, minimum=1, maximum=4)
    # A tiny epsilon keeps exact quotients (72 / 1 = 72) from flooring to 71 after float rounding.
    by_cpu = math.floor(cores * threads * cpu_ratio / (vcpu + extra_vcpu) + 1e-9)
    by_memory = math.floor(memory_gib * MIB_PER_GIB * memory_ratio / (app_gib * MIB_PER_GIB + extra_mib) + 1e-9)
    return {"instances": min(by_cpu, by_memory), "by_cpu": by_cpu, "by_memory": by_memory,
            "limiting": "cpu" if by_cpu <= by_memory else "memory"}


def density_table(*, host_cores: int, threads_per_core: int, host_memory_gib: float, app_vcpu: float,
                  app_memory_gib: float, cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0,
                  guest_os_memory_mib: float | None = None) -> pd.DataFrame:
    """Instances per host for every platform of :data:`DENSITY_PLATFORMS`, with overheads and the limiting resource.

    Columns: platform, platform_label, overhead_memory_mib, overhead_vcpu,
    memory_per_instance_gib, by_cpu, by_memory, instances_per_host, limiting_resource.
    """
    labels = load("platform_layers").drop_duplicates("platform").set_index("platform")["platform_label"]
    rows = []
    for platform in DENSITY_PLATFORMS:
        overhead = instance_overhead(platform, app_vcpu=app_vcpu, app_memory_gib=app_memory_gib,
                                     guest_os_memory_mib=guest_os_memory_mib)
        fit = instances_per_host(host_cores=host_cores, threads_per_core=threads_per_core,
                                 host_memory_gib=host_memory_gib, app_vcpu=app_vcpu, app_memory_gib=app_memory_gib,
                                 overhead_memory_mib=overhead["memory_mib"], overhead_vcpu=overhead["cpu_vcpu"],
                                 cpu_overcommit=cpu_overcommit, memory_overcommit=memory_overcommit)
        rows.append({
            "platform": platform,
            "platform_label": labels[platform],
            "overhead_memory_mib": round(overhead["memory_mib"], 1),
            "overhead_vcpu": overhead["cpu_vcpu"],
            "memory_per_instance_gib": round(app_memory_gib + overhead["memory_mib"] / MIB_PER_GIB, 3),
            "by_cpu": fit["by_cpu"],
            "by_memory": fit["by_memory"],
            "instances_per_host": fit["instances"],
            "limiting_resource": fit["limiting"],
        })
    return pd.DataFrame(rows)
