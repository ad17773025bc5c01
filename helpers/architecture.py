"""Chapter 2 model: where each platform puts the isolation boundary, what a tenant can call across it,
and how many instances fit a host.

Three pieces, all pure functions of numbers and tables (no widgets, no charts):

* **Layers** (``data/platform_layers.csv``): each platform's software stack from
  hardware up to the application, which layers tenants share, and which layer
  enforces the isolation between them.
* **The enforcing interface** (``data/enforcing_interface.csv``,
  ``data/host_syscall_profiles.csv``): what a tenant's code can call on a layer it
  shares with other tenants: the Linux system calls a container makes on the host
  kernel (less what seccomp blocks), the hypercalls and emulated devices a VM
  reaches, and the host system calls left to a per-tenant layer (a jailed
  Firecracker VMM, gVisor's Sentry) if the tenant takes it over. Isolation is
  measured by the size of that interface, not by a count of shared layers:
  the counts are floors (each entry point hides more interface behind it).
* **Density** (``data/instance_overheads.csv``, ``data/density_parameters.csv``):
  instances per host = the smaller of what the CPU and the memory allow, after
  each platform's per-instance overhead (guest OS and VMM for a full VM, a
  5 MiB VMM plus a small guest for a Firecracker microVM, a few MiB of runtime
  for a container)::

      instance_vcpu = ceil(app_vcpu) for a VM or microVM (vCPUs are whole), app_vcpu otherwise
      by_cpu    = floor((host_cores × threads_per_core - host_reserved_vcpu) × cpu_overcommit
                        / (instance_vcpu + vmm_cpu_vcpu))
      by_memory = floor((host_memory_mib - host_reserved_memory_mib) × memory_overcommit
                        / (app_memory_mib + overhead_memory_mib))
      instances = min(by_cpu, by_memory); limiting resource = "cpu" if by_cpu <= by_memory else "memory"

  (a tie is reported as ``cpu``; a host whose reservation leaves nothing fits 0).
  ``vmm_cpu_vcpu`` (default 0, a floor) is the host CPU one instance's own VMM or
  Sentry uses; it applies to :data:`CPU_OVERHEAD_PLATFORMS` only. A VM's share of
  less than one vCPU is modelled as CPU overcommit (a 1-vCPU VM at 4:1), not as a
  fractional vCPU. Bare metal is one tenant per machine and is not part of the
  density model.

  Left out (each a stated omission, see chapter 2): memory sharing between VMs
  (KSM, VMware TPS) and ballooning, except as ``memory_overcommit``: page sharing
  between tenants is off by default for side-channel reasons (VMware KB 2080735;
  Firecracker's production host setup disables KSM); SMT placement rules (with
  ``threads_per_core`` 2 a cloud gives tenants whole cores, which the model does
  not round up to); per-instance CPU of a container runtime (taken as 0).
"""

from __future__ import annotations

import functools
import math

import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_integer, require_number, require_text

__all__ = [
    "PLATFORMS", "LAYER_KINDS", "DENSITY_PLATFORMS", "ARTICLE_VMS_PER_HOST", "platform_layers", "platform_summary",
    "shared_layer_count", "density_parameters", "density_defaults", "instance_overhead", "instances_per_host",
    "density_table", "MAX_THREADS_PER_CORE", "SYSCALL_PROFILES", "INTERFACE_UNITS", "enforcing_interface",
    "interface_summary", "syscall_profile", "reaches_shared_kernel", "syscall_exposure", "DENSITY_COLUMNS",
    "require_density_table", "NO_ENTRY_POINT_X86_64", "VM_PLATFORMS", "CPU_OVERHEAD_PLATFORMS",
]

#: Platforms of the layer explorer, in the order they are taught.
PLATFORMS = ("bare_metal", "type1_hypervisor", "type2_hypervisor", "containers_on_host", "containers_in_vms",
             "microvm", "gvisor_sandbox")
LAYER_KINDS = ("hardware", "host_kernel", "hypervisor", "vmm", "guest_kernel", "sandbox_kernel",
               "container_runtime", "application")
#: Platforms of the density model (each has rows in instance_overheads.csv).
DENSITY_PLATFORMS = ("type1_hypervisor", "microvm", "gvisor_sandbox", "containers_on_host")
#: Density platforms whose instances are virtual machines: their vCPU count is a whole number.
VM_PLATFORMS = ("type1_hypervisor", "microvm")
#: Density platforms that run a VMM or user-space kernel per instance (``vmm_cpu_vcpu`` applies to them).
CPU_OVERHEAD_PLATFORMS = ("type1_hypervisor", "microvm", "gvisor_sandbox")
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

#: Host system-call allowlists in ``data/host_syscall_profiles.csv`` (x86_64).
SYSCALL_PROFILES = ("linux_x86_64", "docker_default", "gvisor_sentry", "gvisor_sentry_default", "firecracker_vmm")
#: Numbers of Linux 6.1's x86_64 table with no entry point (``syscall_64.tbl`` names them but gives no ``sys_*``
#: function, or ``sys_ni_syscall``): calling them returns ENOSYS. 362 numbers - these 16 = 346 implemented calls.
NO_ENTRY_POINT_X86_64 = ("uselib", "_sysctl", "create_module", "get_kernel_syms", "query_module", "nfsservctl",
                         "getpmsg", "putpmsg", "afs_syscall", "tuxcall", "security", "set_thread_area",
                         "get_thread_area", "epoll_ctl_old", "epoll_wait_old", "vserver")
#: What an entry point of an enforcing interface is.
INTERFACE_UNITS = ("system calls", "hypercalls", "devices", "entry points")

register_schema(
    "enforcing_interface",
    "What a tenant's code (step 1) or its own per-tenant layer (step 2) can call on the layer below, with counts.",
    [
        Column("platform", "str", "Platform identifier (as in platform_layers.csv).", allowed=PLATFORMS),
        Column("step", "int", "1 = called by the tenant's own code; 2 = called by a per-tenant layer (VMM, Sentry, "
               "node VM) that the tenant would first have to take over.", minimum=1, maximum=2),
        Column("caller", "str", "Who makes the calls."),
        Column("callee", "str", "Which layer answers them."),
        Column("callee_shared", "bool", "True if the callee serves other tenants too (the calls cross the wall)."),
        Column("interface", "str", "The interface, in words."),
        Column("entry_points", "int", "How many entry points the interface has (a floor: see note).", minimum=0,
               maximum=10_000),
        Column("unit", "str", "What an entry point is.", allowed=INTERFACE_UNITS),
        Column("count_is_floor", "bool", "True if known entry points are left out of the count (shown as 'at least')."),
        Column("syscall_profile", "str", "The allowlist in host_syscall_profiles.csv that lists these system calls.",
               allowed=SYSCALL_PROFILES, required=False),
        Column("kind", "str", "How much to trust the count.", allowed=SOURCE_KINDS),
        Column("source", "str", "Where the count comes from (repository and commit, or documentation)."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "What the count leaves out.", required=False),
    ],
    key=("platform", "step", "interface"),
)

register_schema(
    "host_syscall_profiles",
    "Host system calls (x86_64) each allowlist lets through: the whole Linux table, Docker's default seccomp "
    "profile, gVisor's Sentry filter and Firecracker's filters, one row per (profile, system call).",
    [
        Column("profile", "str", "Allowlist identifier.", allowed=SYSCALL_PROFILES),
        Column("syscall", "str", "System call name, as in Linux's syscall_64.tbl."),
        Column("number_x86_64", "int", "Its number on x86_64.", minimum=0, maximum=1023),
        Column("argument_filtered", "bool", "True if the profile allows the call only with certain arguments."),
        Column("source", "str", "Repository, file and commit the list was read from."),
        Column("source_url", "str", "Address of that file at that commit."),
    ],
    key=("profile", "syscall"),
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


# ---------------------------------------------------------------------------------------- the enforcing interface

def syscall_profile(profile: str, *, implemented_only: bool = False) -> tuple[str, ...]:
    """The x86_64 system calls an allowlist lets through, in number order, e.g. ``syscall_profile("docker_default")``.

    Profiles (:data:`SYSCALL_PROFILES`): ``linux_x86_64`` (every number of Linux 6.1's table, i.e. no
    filter), ``docker_default``, ``gvisor_sentry`` (the Sentry's base host allowlist),
    ``gvisor_sentry_default`` (its filter with runsc's default flags: directfs, systrap) and
    ``firecracker_vmm`` (what a Firecracker process may call on the host). ``implemented_only``
    drops the numbers that have no entry point in Linux 6.1 (:data:`NO_ENTRY_POINT_X86_64`).
    """
    require_choice("profile", profile, SYSCALL_PROFILES)
    if not isinstance(implemented_only, bool):
        raise ValueError(f"implemented_only must be True or False; got {implemented_only!r}")
    calls = _profiles()[profile]
    return tuple(c for c in calls if c not in NO_ENTRY_POINT_X86_64) if implemented_only else calls


@functools.lru_cache(maxsize=1)
def _profiles() -> dict[str, tuple[str, ...]]:
    table = load("host_syscall_profiles")
    duplicated = table.duplicated(["profile", "syscall"])
    if duplicated.any():
        row = table[duplicated].iloc[0]
        raise ValueError(f"host_syscall_profiles.csv: {row['syscall']!r} appears twice in profile {row['profile']!r}")
    table = table.sort_values(["profile", "number_x86_64"], kind="stable")
    return {profile: tuple(table.loc[table["profile"] == profile, "syscall"]) for profile in SYSCALL_PROFILES}


def enforcing_interface(platforms: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows of ``data/enforcing_interface.csv`` for ``platforms`` (default: all), in the order asked, step by step.

    Each row is one interface: who calls (``caller``), who answers (``callee``, shared with other
    tenants or not), how many entry points (``entry_points``, in ``unit``) and where the count comes
    from. A row that names a ``syscall_profile`` must count exactly that profile's system calls
    (checked here, so the number in the file cannot drift from the list).
    """
    chosen = list(PLATFORMS) if platforms is None else _require_platforms("platforms", platforms, PLATFORMS)
    rows = _interface_rows()
    rows = rows[rows["platform"].isin(chosen)].copy()
    rows["platform_order"] = rows["platform"].map({p: i for i, p in enumerate(chosen)})
    return rows.sort_values(["platform_order", "step"], kind="stable").drop(columns="platform_order").reset_index(
        drop=True)


@functools.lru_cache(maxsize=1)
def _interface_rows() -> pd.DataFrame:
    rows = load("enforcing_interface")
    rows["syscall_profile"] = rows["syscall_profile"].where(rows["syscall_profile"].map(lambda v: isinstance(v, str)))
    for line, row in zip(range(2, len(rows) + 2), rows.to_dict("records")):
        profile = row["syscall_profile"]
        if not isinstance(profile, str):  # an empty optional cell (None or NaN)
            continue
        if row["unit"] != "system calls":
            raise ValueError(f"enforcing_interface.csv: row {line}, column 'syscall_profile': a profile needs unit "
                             f"'system calls', not {row['unit']!r}")
        implemented = len(syscall_profile(profile, implemented_only=True))
        if implemented != row["entry_points"]:
            raise ValueError(f"enforcing_interface.csv: row {line}, column 'entry_points': {row['entry_points']} "
                             f"but profile {profile!r} lists {implemented} implemented system calls")
    return rows


def _count_text(rows: pd.DataFrame, *, short: bool = False) -> str:
    """'291 system calls' or 'at least 6 hypercalls + 4 devices' (0 rows: '0'); ``short``: 'syscalls', '≥6'.

    A count marked ``count_is_floor`` is prefixed "at least" ("≥" when ``short``).
    """
    parts = []
    for _, row in rows.iterrows():
        unit = "syscalls" if short and row["unit"] == "system calls" else row["unit"]
        floor = ("≥" if short else "at least ") if row["count_is_floor"] else ""
        parts.append(f"{floor}{int(row['entry_points']):,} {unit if row['entry_points'] != 1 else unit[:-1]}")
    return " + ".join(parts) if parts else "0"


def interface_summary(platforms: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per platform: how many entry points of a layer shared with other tenants a tenant can call.

    Columns: ``platform``, ``platform_label``, ``counted`` (False if the file has no rows for the
    platform), ``direct_entry_points`` (called by the tenant's own code across the wall),
    ``direct`` (the same in words, e.g. ``"at least 291 system calls"``), ``behind_own_layer`` (reachable only
    after taking over the tenant's own enforcing layer: a jailed VMM, a Sentry, a node VM),
    ``behind`` (in words), and ``wall_direct`` / ``wall_behind`` (short labels for charts, "" when
    there is nothing to say). Counts are floors, except where ``kind`` is "assumption" (see the file).
    Platforms without rows (the Type-2 hypervisor) have ``counted`` False and 0 counts.
    """
    chosen = list(PLATFORMS) if platforms is None else _require_platforms("platforms", platforms, PLATFORMS)
    labels = load("platform_layers").drop_duplicates("platform").set_index("platform")["platform_label"]
    rows = _interface_rows()
    out = []
    for platform in chosen:
        own = rows[rows["platform"] == platform]
        shared = own[own["callee_shared"]]
        direct, behind = shared[shared["step"] == 1], shared[shared["step"] == 2]
        counted = not own.empty
        if not counted:
            wall_direct, wall_behind = "not counted here", ""
        elif shared.empty:
            wall_direct, wall_behind = "nothing shared", ""
        else:
            wall_direct = f"direct: {_count_text(direct, short=True)}"
            wall_behind = f"behind: {_count_text(behind, short=True)}" if not behind.empty else ""
        out.append({"platform": platform, "platform_label": labels[platform], "counted": counted,
                    "direct_entry_points": int(direct["entry_points"].sum()),
                    "direct": _count_text(direct) if counted else "not counted",
                    "behind_own_layer": int(behind["entry_points"].sum()),
                    "behind": _count_text(behind) if counted else "not counted",
                    "wall_direct": wall_direct, "wall_behind": wall_behind})
    return pd.DataFrame(out)


def reaches_shared_kernel(syscall: str, platform: str, *, after_own_layer: bool = False) -> bool:
    """Can a tenant on ``platform`` make ``syscall`` on a kernel that other tenants share?

    ``after_own_layer=False``: the tenant's own code, as deployed (a container's processes, a
    guest kernel). ``True``: also counting a per-tenant layer the tenant has taken over (a
    Firecracker VMM, gVisor's Sentry, a node VM). ``syscall`` is a name from Linux's x86_64
    table (``syscall_profile("linux_x86_64")``). Platforms whose interface is not counted
    (:func:`interface_summary`) raise ``ValueError``.
    """
    require_choice("syscall", syscall, syscall_profile("linux_x86_64"))
    require_choice("platform", platform, PLATFORMS)
    if not isinstance(after_own_layer, bool):
        raise ValueError(f"after_own_layer must be True or False; got {after_own_layer!r}")
    rows = enforcing_interface([platform])
    if rows.empty:
        raise ValueError(f"platform must be one whose enforcing interface is counted; {platform!r} is not "
                         f"(see interface_summary())")
    steps = (1, 2) if after_own_layer else (1,)
    crossing = rows[rows["callee_shared"] & rows["step"].isin(steps) & rows["syscall_profile"].notna()]
    return any(syscall in syscall_profile(profile) for profile in crossing["syscall_profile"])


def syscall_exposure(syscall: str) -> pd.DataFrame:
    """For one system call, every counted platform: reachable on a shared kernel directly, and after own layer.

    Columns: ``platform``, ``platform_label``, ``directly``, ``after_own_layer`` (booleans).
    Example: ``syscall_exposure("splice")``: the call the Dirty Pipe exploit (CVE-2022-0847) needs.
    """
    require_choice("syscall", syscall, syscall_profile("linux_x86_64"))
    summary = interface_summary()
    summary = summary[summary["counted"]]
    return pd.DataFrame({
        "platform": summary["platform"].to_numpy(),
        "platform_label": summary["platform_label"].to_numpy(),
        "directly": [reaches_shared_kernel(syscall, p) for p in summary["platform"]],
        "after_own_layer": [reaches_shared_kernel(syscall, p, after_own_layer=True) for p in summary["platform"]],
    })


# ---------------------------------------------------------------------------------------------------- density

def density_parameters() -> pd.DataFrame:
    """The density model's parameters with default, range, unit and source (``data/density_parameters.csv``)."""
    return load("density_parameters")


def density_defaults() -> dict[str, float]:
    """Default value of every density parameter, by name."""
    table = density_parameters()
    return {row["name"]: float(row["default"]) for _, row in table.iterrows()}


def _instance_vcpu(platform: str, app_vcpu: float) -> float:
    """vCPUs one instance of ``platform`` is given for an application that needs ``app_vcpu``.

    A VM or microVM (:data:`VM_PLATFORMS`) has a whole number of vCPUs: ``ceil(app_vcpu)``
    (a quarter-core application still gets a 1-vCPU VM; packing four of them on a thread is CPU
    overcommit). A container or gVisor sandbox gets a CPU quota of exactly ``app_vcpu``.
    """
    require_choice("platform", platform, DENSITY_PLATFORMS)
    vcpu = require_number("app_vcpu", app_vcpu, minimum=0, min_inclusive=False, maximum=1024, unit="vCPU")
    return float(math.ceil(vcpu - 1e-9)) if platform in VM_PLATFORMS else vcpu


def instance_overhead(platform: str, *, app_vcpu: float, app_memory_gib: float,
                      guest_os_memory_mib: float | None = None, vmm_cpu_vcpu: float = 0.0) -> dict[str, float]:
    """Memory (MiB) and CPU (vCPU) one instance of ``platform`` needs on top of the application's own.

    ``guest_os_memory_mib`` replaces the full VM's ``guest_os`` row when given
    (only meaningful for ``type1_hypervisor``; other platforms ignore it). The per-vCPU
    memory counts the instance's vCPUs (:func:`_instance_vcpu`: whole for a VM).
    ``vmm_cpu_vcpu`` (0 to 8 vCPU, default 0: a floor) is the host CPU of the instance's own
    VMM or Sentry; it is the CPU overhead of :data:`CPU_OVERHEAD_PLATFORMS` and 0 for containers.
    """
    require_choice("platform", platform, DENSITY_PLATFORMS)
    vcpu = _instance_vcpu(platform, app_vcpu)
    memory_gib = require_number("app_memory_gib", app_memory_gib, minimum=0, min_inclusive=False, maximum=65536,
                                unit="GiB")
    if guest_os_memory_mib is not None:
        guest_os_memory_mib = require_number("guest_os_memory_mib", guest_os_memory_mib, minimum=0, maximum=65536,
                                             unit="MiB")
    vmm_cpu = require_number("vmm_cpu_vcpu", vmm_cpu_vcpu, minimum=0, maximum=8, unit="vCPU")
    rows = load("instance_overheads")
    rows = rows[rows["platform"] == platform]
    per_row = (rows["memory_mib"] + rows["memory_mib_per_vcpu"] * vcpu
               + rows["memory_fraction_of_guest"] * memory_gib * MIB_PER_GIB)
    if guest_os_memory_mib is not None and platform == "type1_hypervisor":
        per_row = per_row.where(rows["component"] != "guest_os", guest_os_memory_mib)
    return {"memory_mib": float(per_row.sum()),
            "cpu_vcpu": vmm_cpu if platform in CPU_OVERHEAD_PLATFORMS else 0.0}


def instances_per_host(*, host_cores: int, threads_per_core: int, host_memory_gib: float, app_vcpu: float,
                       app_memory_gib: float, overhead_memory_mib: float = 0.0, overhead_vcpu: float = 0.0,
                       cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0, host_reserved_vcpu: float = 0.0,
                       host_reserved_memory_mib: float = 0.0) -> dict:
    """Instances of one size that fit a host, what the CPU and memory each allow, and which one limits.

    ``host_cores`` and ``threads_per_core`` are whole numbers (1..4096 cores,
    1..8 threads); memory in GiB (host, application) and MiB (overhead, host reserve).
    The host keeps ``host_reserved_vcpu`` and ``host_reserved_memory_mib`` for itself
    before any instance is placed; overcommit applies to what is left (a reserve as
    large as the host leaves 0). Returns ``{"instances", "by_cpu", "by_memory",
    "limiting"}``; ``limiting`` is ``"cpu"`` or ``"memory"`` (``"cpu"`` on a tie).
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
    reserved_vcpu = require_number("host_reserved_vcpu", host_reserved_vcpu, minimum=0, maximum=32768, unit="vCPU")
    reserved_mib = require_number("host_reserved_memory_mib", host_reserved_memory_mib, minimum=0,
                                  maximum=1_073_741_824, unit="MiB")
    free_vcpu = max(0.0, cores * threads - reserved_vcpu)
    free_mib = max(0.0, memory_gib * MIB_PER_GIB - reserved_mib)
    # A tiny epsilon keeps exact quotients (72 / 1 = 72) from flooring to 71 after float rounding.
    by_cpu = math.floor(free_vcpu * cpu_ratio / (vcpu + extra_vcpu) + 1e-9)
    by_memory = math.floor(free_mib * memory_ratio / (app_gib * MIB_PER_GIB + extra_mib) + 1e-9)
    return {"instances": min(by_cpu, by_memory), "by_cpu": by_cpu, "by_memory": by_memory,
            "limiting": "cpu" if by_cpu <= by_memory else "memory"}


def density_table(*, host_cores: int, threads_per_core: int, host_memory_gib: float, app_vcpu: float,
                  app_memory_gib: float, cpu_overcommit: float = 1.0, memory_overcommit: float = 1.0,
                  guest_os_memory_mib: float | None = None, host_reserved_vcpu: float = 0.0,
                  host_reserved_memory_mib: float = 0.0, vmm_cpu_vcpu: float = 0.0) -> pd.DataFrame:
    """Instances per host for every platform of :data:`DENSITY_PLATFORMS`, with overheads and the limiting resource.

    Columns (:data:`DENSITY_COLUMNS`): platform, platform_label, instance_vcpu (whole for a VM),
    overhead_memory_mib, overhead_vcpu, memory_per_instance_gib, by_cpu, by_memory,
    instances_per_host, limiting_resource. The host reserve (defaults 0 here;
    ``density_defaults()`` gives OpenShift Virtualization's 2 vCPU and 360 MiB, a floor) is taken
    off the host before any platform's instances are placed. ``vmm_cpu_vcpu`` (default 0, a
    floor) is the CPU of each instance's own VMM or Sentry (:func:`instance_overhead`).
    """
    labels = load("platform_layers").drop_duplicates("platform").set_index("platform")["platform_label"]
    rows = []
    for platform in DENSITY_PLATFORMS:
        overhead = instance_overhead(platform, app_vcpu=app_vcpu, app_memory_gib=app_memory_gib,
                                     guest_os_memory_mib=guest_os_memory_mib, vmm_cpu_vcpu=vmm_cpu_vcpu)
        vcpu = _instance_vcpu(platform, app_vcpu)
        fit = instances_per_host(host_cores=host_cores, threads_per_core=threads_per_core,
                                 host_memory_gib=host_memory_gib, app_vcpu=vcpu, app_memory_gib=app_memory_gib,
                                 overhead_memory_mib=overhead["memory_mib"], overhead_vcpu=overhead["cpu_vcpu"],
                                 cpu_overcommit=cpu_overcommit, memory_overcommit=memory_overcommit,
                                 host_reserved_vcpu=host_reserved_vcpu,
                                 host_reserved_memory_mib=host_reserved_memory_mib)
        rows.append({
            "platform": platform,
            "platform_label": labels[platform],
            "instance_vcpu": vcpu,
            "overhead_memory_mib": round(overhead["memory_mib"], 1),
            "overhead_vcpu": overhead["cpu_vcpu"],
            "memory_per_instance_gib": round(app_memory_gib + overhead["memory_mib"] / MIB_PER_GIB, 3),
            "by_cpu": fit["by_cpu"],
            "by_memory": fit["by_memory"],
            "instances_per_host": fit["instances"],
            "limiting_resource": fit["limiting"],
        })
    return pd.DataFrame(rows)


#: Columns of a :func:`density_table` result, with what each must hold (checked by :func:`require_density_table`).
DENSITY_COLUMNS = {
    "platform": "platform", "platform_label": "text", "instance_vcpu": "number", "overhead_memory_mib": "number",
    "overhead_vcpu": "number",
    "memory_per_instance_gib": "number", "by_cpu": "count", "by_memory": "count", "instances_per_host": "count",
    "limiting_resource": "resource",
}


def require_density_table(name: str, table) -> pd.DataFrame:
    """Check that ``table`` is a usable :func:`density_table` result; raise ``ValueError`` naming ``name`` and column.

    Every column of :data:`DENSITY_COLUMNS` must be present; platforms from
    :data:`DENSITY_PLATFORMS`, each at most once; labels non-empty text; numbers finite, not
    bool, >= 0; counts whole; ``limiting_resource`` "cpu" or "memory"; at least one row.
    """
    require_text("name", name)
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{name} must be a density_table() DataFrame; got {type(table).__name__}")
    missing = [column for column in DENSITY_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{name} must have columns {list(DENSITY_COLUMNS)}; missing {missing}")
    if table.empty:
        raise ValueError(f"{name} must have at least one row")
    for column, kind in DENSITY_COLUMNS.items():
        values = table[column].tolist()
        where = f"{name} column {column!r}"
        if kind == "platform":
            for value in values:
                require_choice(where, value, DENSITY_PLATFORMS)
            if len(set(values)) != len(values):
                raise ValueError(f"{where} must not repeat a platform; got {values}")
        elif kind == "resource":
            for value in values:
                require_choice(where, value, ("cpu", "memory"))
        elif kind == "text":
            if not all(isinstance(value, str) and value.strip() for value in values):
                raise ValueError(f"{where} must hold non-empty text; got {values}")
        else:
            for value in values:
                number = require_number(where, value, minimum=0)
                if kind == "count" and not number.is_integer():
                    raise ValueError(f"{where} must hold whole numbers; got {value!r}")
    return table
