"""Chapter 6 model, part 1: isolation in depth and who patches what.

Two pure pieces (no widgets, no charts):

* **Escapes** (``data/escapes.csv``): real vulnerabilities that crossed an isolation
  wall, with their dates (from the CVE records) and sources. Each names the
  component it abuses (its *target*) and the defences documented to stop it.
  :func:`escape_outcomes` says, for one platform and a set of defences switched on,
  what each escape would have done *before the patch*::

      target absent on the platform           -> "not reachable"
      a switched-on defence is documented
        to stop it on that platform            -> "stopped by <defence>"
      target is the tenant's own copy          -> "contained" (lands in the tenant's own VM/sandbox)
      otherwise                                -> "crosses" (reaches the host or other tenants)

  Which targets a platform exposes, and whether the copy a tenant reaches is shared
  or its own, is :data:`EXPOSURE`, written out with a reason per cell. The model is
  a floor of what can go wrong: it lists published escapes only, treats a documented
  defence as complete, and leaves out misconfigurations (privileged containers, a
  mounted Docker socket, host paths) and attacks on the control plane (the Kubernetes
  API, cloud IAM), which no CVE records.
* **Shared responsibility** (``data/shared_responsibility.csv``): for each service
  model (owning VMs, IaaS VMs, managed Kubernetes nodes, serverless containers,
  functions), which layer the provider patches and which the customer patches.

:func:`reachable_interface` is the one adapter to chapter 2's measurement of the
*enforcing interface* (system calls, hypercalls, devices a tenant can reach): it reads
``helpers.architecture.enforcing_interface`` and nothing else, so no count is copied here.
"""

from __future__ import annotations

import functools

import pandas as pd

from . import architecture
from .data import SCHEMAS, Column, load, register_schema
from .validation import require_choice, require_choices, require_flag, require_frame

__all__ = [
    "PLATFORMS", "TARGETS", "DEFENCES", "DEFENCE_LABELS", "DEFENCE_PLATFORMS", "OUTCOMES", "EXPOSURE",
    "SERVICE_MODELS", "RESPONSIBLE", "ESCAPE_TABLE_COLUMNS", "escapes", "validate_escapes", "escape_outcomes",
    "outcome_counts", "platform_labels", "reachable_interface", "first_shared_interface", "shared_responsibility",
    "customer_patched_layers",
]

#: Platforms of this chapter (identifiers as in chapter 2's ``platform_layers.csv``), in teaching order.
PLATFORMS = ("containers_on_host", "containers_in_vms", "gvisor_sandbox", "microvm", "type1_hypervisor")

#: What an escape abuses.
TARGETS = ("container_runtime", "host_kernel", "cpu_kernel_memory", "cpu_cross_vm", "cpu_smt_core",
           "vmm_device_model", "hypervisor", "firecracker_vmm")

#: Defences a tenant (or its platform team) can switch on.
DEFENCES = ("seccomp", "apparmor", "selinux", "non_root", "no_smt_sharing")
DEFENCE_LABELS = {
    "seccomp": "runtime's default seccomp profile",
    "apparmor": "AppArmor profile",
    "selinux": "SELinux (enforcing)",
    "non_root": "container runs as a non-root user",
    "no_smt_sharing": "no hyperthread shared with another tenant",
}
_CONTAINER_PLATFORMS = ("containers_on_host", "containers_in_vms")
_VM_PLATFORMS = ("containers_in_vms", "microvm", "type1_hypervisor")
#: Where each defence exists: container hardening needs containers, SMT isolation needs VMs on shared cores.
DEFENCE_PLATFORMS = {"seccomp": _CONTAINER_PLATFORMS, "apparmor": _CONTAINER_PLATFORMS,
                     "selinux": _CONTAINER_PLATFORMS, "non_root": _CONTAINER_PLATFORMS,
                     "no_smt_sharing": _VM_PLATFORMS}

CROSSES, CONTAINED, STOPPED, NOT_REACHABLE = "crosses", "contained", "stopped", "not reachable"
#: Outcomes, worst first.
OUTCOMES = (CROSSES, CONTAINED, STOPPED, NOT_REACHABLE)

_SHARED, _OWN, _ABSENT = "shared", "own", "absent"
_CPU_SHARED = (_SHARED, "the CPU is shared with other tenants; no software wall stops a side channel")
_NO_SMT_VARIANT = (_ABSENT, "this CVE is the VM variant; between processes the same flaw (CVE-2018-3620) is "
                            "fixed by a kernel patch alone")
_NO_QEMU = (_ABSENT, "no QEMU-style device emulation between tenants")
_NO_ESXI = (_ABSENT, "no ESXi between tenants")
_NO_FIRECRACKER = (_ABSENT, "no Firecracker VMM")
#: platform -> target -> (whether the copy a tenant reaches is shared / its own / absent, why).
EXPOSURE: dict[str, dict[str, tuple[str, str]]] = {
    "containers_on_host": {
        "container_runtime": (_SHARED, "runc runs as root on the host that every tenant shares"),
        "host_kernel": (_SHARED, "every container's system calls go to the one host kernel"),
        "cpu_kernel_memory": (_SHARED, "the shared host kernel is mapped into every container process"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": _NO_SMT_VARIANT,
        "vmm_device_model": _NO_QEMU, "hypervisor": _NO_ESXI, "firecracker_vmm": _NO_FIRECRACKER,
    },
    "containers_in_vms": {
        "container_runtime": (_OWN, "runc runs inside the customer's own node VM"),
        "host_kernel": (_OWN, "the kernel is the customer's own node VM's kernel"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel (Xen XSA-254)"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "VMs of different customers can run on the two hyperthreads of one core"),
        "vmm_device_model": (_ABSENT, "cloud node VMs do not run QEMU's device model (AWS Nitro serves I/O from "
                                      "Nitro Cards; Google uses its own VMM)"),
        "hypervisor": (_ABSENT, "the cloud's hypervisor is not ESXi"),
        "firecracker_vmm": _NO_FIRECRACKER,
    },
    "gvisor_sandbox": {
        "container_runtime": (_ABSENT, "runsc (gVisor) starts the sandbox, not runc"),
        "host_kernel": (_ABSENT, "the application's system calls are served by its own Sentry; the host kernel "
                                 "sees only the Sentry's ~70 allowed calls"),
        "cpu_kernel_memory": (_SHARED, "on gVisor's systrap/ptrace platforms the application is a host process, "
                                       "so the host kernel is mapped into it (before KPTI)"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": _NO_SMT_VARIANT,
        "vmm_device_model": _NO_QEMU, "hypervisor": _NO_ESXI, "firecracker_vmm": _NO_FIRECRACKER,
    },
    "microvm": {
        "container_runtime": (_OWN, "where containers run in a microVM (Fargate, Kata) the runtime is inside the "
                                    "tenant's own VM; Lambda runs none"),
        "host_kernel": (_OWN, "the guest kernel is the tenant's own"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "microVMs of different tenants can run on the two hyperthreads of one core"),
        "vmm_device_model": (_ABSENT, "Firecracker emulates five devices and no floppy controller"),
        "hypervisor": (_ABSENT, "Firecracker uses KVM, not ESXi"),
        "firecracker_vmm": (_OWN, "the VMM process is jailed (seccomp, chroot, no privileges): a second bug is "
                                  "needed to reach the host"),
    },
    "type1_hypervisor": {
        "container_runtime": (_ABSENT, "no container runtime between tenants"),
        "host_kernel": (_OWN, "the guest kernel is the tenant's own"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "VMs of different tenants can run on the two hyperthreads of one core"),
        "vmm_device_model": (_SHARED, "QEMU-based hypervisors (KVM, Xen HVM) emulate a PC's legacy devices for "
                                      "every VM"),
        "hypervisor": (_SHARED, "on VMware ESXi, the VMX process that serves each VM runs on the shared host"),
        "firecracker_vmm": _NO_FIRECRACKER,
    },
}

register_schema(
    "escapes",
    "Published vulnerabilities that crossed an isolation wall, with dates from their CVE records and sources.",
    [
        Column("escape_id", "str", "Identifier."),
        Column("name", "str", "Name the escape is known by."),
        Column("cve_id", "str", "CVE identifier (empty for a cloud service flaw that got none).", required=False),
        Column("published", "date", "Publication date: the CVE record's datePublic, else datePublished; for a "
                                    "flaw without CVE, the date of the researchers' report."),
        Column("target", "str", "What the escape abuses.", allowed=TARGETS),
        Column("component", "str", "The vulnerable component."),
        Column("attacker_needs", "str", "Where the attacker must already be."),
        Column("impact", "str", "What the attacker gains."),
        Column("exploited_in_wild", "bool", "True if exploitation was reported (CVE record, CISA KEV)."),
        Column("cvss_v3", "float", "CVSS v3 base score from the CVE record, where it gives one.", minimum=0,
               maximum=10, required=False),
        Column("stopped_by", "str", "Defences documented to stop it, separated by ';' (empty: none).",
               required=False),
        Column("defence_note", "str", "What stops it, or why nothing a tenant switches on does."),
        Column("source", "str", "CVE record and advisory or write-up."),
        Column("source_url", "str", "Address of the advisory or write-up."),
    ],
    key="escape_id",
)

#: Service models of the shared-responsibility table, in teaching order.
SERVICE_MODELS = ("on_premises_vms", "iaas_vm", "managed_kubernetes_nodes", "serverless_containers", "functions")
RESPONSIBLE = ("provider", "shared", "customer")

register_schema(
    "shared_responsibility",
    "Who patches each layer (provider, customer, or shared) under five service models, with sources.",
    [
        Column("service_model", "str", "Service model.", allowed=SERVICE_MODELS),
        Column("layer", "str", "Layer identifier."),
        Column("layer_label", "str", "Layer name shown in charts."),
        Column("layer_position", "int", "Position from the bottom (1 = facility and hardware).", minimum=1,
               maximum=20),
        Column("patched_by", "str", "Who applies security patches to the layer.", allowed=RESPONSIBLE),
        Column("note", "str", "What the source says in particular.", required=False),
        Column("source", "str", "Documentation that assigns the responsibility."),
        Column("source_url", "str", "Address of that documentation."),
    ],
    key=("service_model", "layer"),
)

#: The columns :func:`validate_escapes` and :func:`escape_outcomes` read (a table may hold more).
ESCAPE_TABLE_COLUMNS = ("escape_id", "name", "cve_id", "published", "target", "stopped_by", "defence_note")


def validate_escapes(table: pd.DataFrame) -> pd.DataFrame:
    """Check an escapes table (as :func:`escapes` returns) and return a copy with ``stopped_by`` as tuples.

    Needs the columns of :data:`ESCAPE_TABLE_COLUMNS`, as ``data/escapes.csv`` defines them:
    escape_id (unique), name and defence_note non-empty text, cve_id text or empty, published
    a date, target one of :data:`TARGETS`, stopped_by empty, ``';'``-separated names from
    :data:`DEFENCES` or a tuple of them; at least one row. ``ValueError`` names the parameter
    ``table``, the row and the column.
    """
    checked_columns = [column for column in SCHEMAS["escapes"].columns
                       if column.name in ESCAPE_TABLE_COLUMNS and column.name != "stopped_by"]
    if isinstance(table, pd.DataFrame) and "stopped_by" not in table.columns:
        raise ValueError(f"table must have columns {list(ESCAPE_TABLE_COLUMNS)}; column 'stopped_by' is missing")
    require_frame("table", table, checked_columns, key="escape_id")
    checked = table.copy()
    checked["published"] = pd.to_datetime(checked["published"], format="ISO8601")
    checked["stopped_by"] = [_parse_defences(value, row) for row, value in zip(checked.index, checked["stopped_by"])]
    return checked


def _parse_defences(value, row) -> tuple[str, ...]:
    where = f"table: row {row}, column 'stopped_by'"
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, tuple):
        items = value
    elif isinstance(value, str):
        items = tuple(item.strip() for item in value.split(";") if item.strip())
    else:
        raise ValueError(f"{where} must hold ';'-separated defences from {list(DEFENCES)}; got {value!r}")
    for item in items:
        if not isinstance(item, str) or item not in DEFENCES:
            raise ValueError(f"{where} must name defences from {list(DEFENCES)}; got {item!r}")
    return items


@functools.lru_cache(maxsize=1)
def _escapes_cached() -> pd.DataFrame:
    return validate_escapes(load("escapes")).sort_values("published", kind="stable").reset_index(drop=True)


def escapes() -> pd.DataFrame:
    """The published escapes (``data/escapes.csv``), oldest first; ``stopped_by`` is a tuple of defences."""
    return _escapes_cached().copy()


def _require_defences(defences) -> tuple[str, ...]:
    return require_choices("defences", defences, DEFENCES, min_count=0)


def escape_outcomes(platform: str, defences: tuple[str, ...] | list[str] = (), *,
                    table: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each escape would have done on ``platform`` with ``defences`` switched on, before any patch.

    ``platform`` is one of :data:`PLATFORMS`; ``defences`` any of :data:`DEFENCES`
    (a defence that does not exist on the platform, such as seccomp on a full VM,
    changes nothing), each at most once, in any order (an empty list: none). ``table``
    replaces the escapes of ``data/escapes.csv`` (see :func:`validate_escapes`).
    Returns one row per escape, oldest first, with columns escape_id, name, cve_id,
    published, target, outcome (one of :data:`OUTCOMES`), stopped_by (the defence
    that stopped it, or empty) and why.
    """
    require_choice("platform", platform, PLATFORMS)
    chosen = _require_defences(defences)
    rows = escapes() if table is None else validate_escapes(table).sort_values("published", kind="stable")
    active = {d for d in chosen if platform in DEFENCE_PLATFORMS[d]}
    outcomes, stoppers, reasons = [], [], []
    for target, documented, note in zip(rows["target"], rows["stopped_by"], rows["defence_note"]):
        exposure, reason = EXPOSURE[platform][target]
        stopper = next((d for d in documented if d in active), "")
        if exposure == _ABSENT:
            outcome, why = NOT_REACHABLE, reason
        elif stopper:
            outcome, why = STOPPED, f"{DEFENCE_LABELS[stopper]}: {note}"
        elif exposure == _OWN:
            outcome, why = CONTAINED, reason
        else:
            outcome, why = CROSSES, reason
        outcomes.append(outcome)
        stoppers.append(stopper)
        reasons.append(why)
    result = rows[["escape_id", "name", "cve_id", "published", "target"]].copy()
    result["outcome"] = outcomes
    result["stopped_by"] = stoppers
    result["why"] = reasons
    return result.reset_index(drop=True)


def outcome_counts(platform: str, defences: tuple[str, ...] | list[str] = ()) -> dict[str, int]:
    """How many escapes end in each outcome on ``platform`` with ``defences`` (every outcome, zeros included)."""
    counts = escape_outcomes(platform, defences)["outcome"].value_counts()
    return {outcome: int(counts.get(outcome, 0)) for outcome in OUTCOMES}


@functools.lru_cache(maxsize=1)
def _labels_cached() -> tuple[tuple[str, str], ...]:
    summary = architecture.platform_summary(list(PLATFORMS))  # chapter 2 owns the platform names
    return tuple(zip(summary["platform"], summary["platform_label"]))


def platform_labels() -> dict[str, str]:
    """Display name of each of :data:`PLATFORMS`, as chapter 2 names them."""
    return dict(_labels_cached())


# ------------------------------------------------------------------ the adapter to chapter 2's interface data

_INTERFACE_COLUMNS = ["platform", "step", "caller", "callee", "callee_shared", "interface", "entry_points", "unit",
                      "kind", "source"]


def reachable_interface() -> pd.DataFrame:
    """What a tenant's code can call on each platform, step by step: THE adapter to chapter 2's data.

    Chapter 2 measures the *enforcing interface* (system calls, hypercalls and devices a
    tenant reaches, ``data/enforcing_interface.csv``) and checks every system-call count
    against its allowlist; this chapter reads it here, through
    ``helpers.architecture.enforcing_interface``, and nowhere else. Rows of :data:`PLATFORMS`
    in their order, step 1 before step 2. Columns: platform, step, caller, callee,
    callee_shared, interface, entry_points, unit, kind, source.
    """
    return architecture.enforcing_interface(list(PLATFORMS))[_INTERFACE_COLUMNS].reset_index(drop=True)


def first_shared_interface(platform: str) -> dict:
    """The first step at which ``platform``'s tenant reaches software shared with other tenants.

    Returns ``{"step", "callee", "interfaces", "entry_points", "units"}``: the entry
    points of that step's shared interfaces, summed per unit (e.g. ``{"hypercalls": 6,
    "devices": 4}``), and a readable list of the interfaces.
    """
    require_choice("platform", platform, PLATFORMS)
    table = reachable_interface()
    shared = table[(table["platform"] == platform) & table["callee_shared"].astype(bool)]
    if shared.empty:
        raise ValueError(f"platform {platform!r} has no shared interface in chapter 2's data")
    step = int(shared["step"].min())
    rows = shared[shared["step"] == step]
    units = rows.groupby("unit", sort=False)["entry_points"].sum()
    return {"step": step, "callee": str(rows["callee"].iloc[0]), "interfaces": "; ".join(rows["interface"]),
            "entry_points": {unit: int(count) for unit, count in units.items()},
            "units": ", ".join(f"{int(count):,} {unit}" for unit, count in units.items())}


# ------------------------------------------------------------------------------------ shared responsibility

def shared_responsibility(service_models: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """Who patches each layer under ``service_models`` (default: all of :data:`SERVICE_MODELS`), bottom up.

    ``service_models``: a non-empty list of names from :data:`SERVICE_MODELS`, each at most once, in the
    order to show them.
    """
    chosen = list(SERVICE_MODELS) if service_models is None else list(
        require_choices("service_models", service_models, SERVICE_MODELS))
    table = load("shared_responsibility")
    table = table[table["service_model"].isin(chosen)].copy()
    table["order"] = table["service_model"].map({model: i for i, model in enumerate(chosen)})
    return table.sort_values(["order", "layer_position"]).drop(columns="order").reset_index(drop=True)


def customer_patched_layers(service_model: str, *, count_shared: bool = True) -> int:
    """How many layers the customer patches (alone, or with the provider if ``count_shared``)."""
    require_choice("service_model", service_model, SERVICE_MODELS)
    require_flag("count_shared", count_shared)
    who = shared_responsibility([service_model])["patched_by"]
    return int((who == "customer").sum() + ((who == "shared").sum() if count_shared else 0))
