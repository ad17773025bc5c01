"""Chapter 6 model, part 1: isolation in depth and who patches what.

Two pure pieces (no widgets, no charts):

* **Escapes** (``data/escapes.csv``): real vulnerabilities that crossed an isolation
  wall, with their dates (from the CVE records) and sources. Each names the
  component it abuses (its *target*) and the defences documented to stop it.
  :func:`escape_outcomes` says, for one platform and a set of defences switched on,
  what each escape would have done *before the patch*::

      a layer it needs is absent on the platform -> "not reachable"
      a switched-on defence (or set of defences)
        is documented to stop it on that platform -> "stopped by <defence>"
      its last layer is the tenant's own copy      -> "contained" (lands in the tenant's own VM/sandbox)
      otherwise                                   -> "crosses" (reaches the host or other tenants)

  An escape may be a *chain* (``target`` "a;b": bugs that cross layer a, then layer b):
  it is one escape that needs every one of its layers, so one absent layer makes it
  unreachable and a defence that stops one link stops the chain. A per-VM VMM process
  that is always sandboxed (Firecracker's jailer, ESXi's VMX sandbox) is the tenant's
  own copy: one bug in it is contained, leaving it takes a second bug in the chain.

  Which targets a platform exposes, and whether the copy a tenant reaches is shared
  or its own, is :data:`EXPOSURE`, written out with a reason per cell. The model is
  a floor of what can go wrong: it lists published escapes only, treats a documented
  defence as complete, and leaves out misconfigurations (privileged containers, a
  mounted Docker socket, host paths). The control plane (a cluster's API server, the
  provider's orchestrator) is a layer like the others: one published escape (Azurescape)
  crossed it; its misconfigurations and cloud IAM mistakes, which no CVE records, are left out.
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
    "SERVICE_MODELS", "RESPONSIBLE", "ESCAPE_TABLE_COLUMNS", "ALL_OF", "ANY_OF", "escapes", "validate_escapes",
    "escape_outcomes", "exposure", "defence_label",
    "outcome_counts", "platform_labels", "reachable_interface", "first_shared_interface", "shared_responsibility",
    "customer_patched_layers",
]

#: Platforms of this chapter (identifiers as in chapter 2's ``platform_layers.csv``), in teaching order.
PLATFORMS = ("containers_on_host", "containers_in_vms", "gvisor_sandbox", "microvm", "type1_hypervisor")

#: What an escape abuses.
TARGETS = ("container_runtime", "host_kernel", "cpu_kernel_memory", "cpu_cross_vm", "cpu_smt_core",
           "vmm_device_model", "kvm_hypervisor", "esxi_vmx", "hypervisor", "firecracker_vmm", "control_plane")

#: Defences a tenant (or its platform team) can switch on.
DEFENCES = ("seccomp", "apparmor", "selinux", "non_root", "l1d_flush", "no_smt_sharing", "no_nested_virt")
#: AppArmor is Docker's default only where the host runs AppArmor (Ubuntu, Debian, SUSE); Docker loads its
#: docker-default profile only if the host supports AppArmor (moby daemon/apparmor_default.go). RHEL and
#: Fedora hosts use SELinux instead.
DEFENCE_LABELS = {
    "seccomp": "runtime's default seccomp profile",
    "apparmor": "AppArmor (Docker default on Ubuntu)",
    "selinux": "SELinux (enforcing)",
    "non_root": "container runs as a non-root user",
    "l1d_flush": "L1 cache flushed on every VM entry",
    "no_smt_sharing": "no hyperthread shared with another tenant",
    "no_nested_virt": "no nested virtualisation for guests",
}
#: In ``stopped_by``, ';' separates alternatives and '+' joins defences that are needed together.
ALL_OF, ANY_OF = "+", ";"
_CONTAINER_PLATFORMS = ("containers_on_host", "containers_in_vms")
_VM_PLATFORMS = ("containers_in_vms", "microvm", "type1_hypervisor")
#: Where each defence exists: container hardening needs containers, SMT isolation needs VMs on shared cores.
DEFENCE_PLATFORMS = {"seccomp": _CONTAINER_PLATFORMS, "apparmor": _CONTAINER_PLATFORMS,
                     "selinux": _CONTAINER_PLATFORMS, "non_root": _CONTAINER_PLATFORMS,
                     "l1d_flush": _VM_PLATFORMS, "no_smt_sharing": _VM_PLATFORMS, "no_nested_virt": _VM_PLATFORMS}

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
_NO_KVM = (_ABSENT, "no hypervisor between tenants")
#: Placeholder in a reason, filled from chapter 2's data (the Sentry's allowed host system calls).
_SENTRY_CALLS = "{sentry_calls}"
#: platform -> target -> (whether the copy a tenant reaches is shared / its own / absent, why).
EXPOSURE: dict[str, dict[str, tuple[str, str]]] = {
    "containers_on_host": {
        "container_runtime": (_SHARED, "runc runs as root on the host that every tenant shares"),
        "host_kernel": (_SHARED, "every container's system calls go to the one host kernel"),
        "cpu_kernel_memory": (_SHARED, "the shared host kernel is mapped into every container process"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": _NO_SMT_VARIANT,
        "vmm_device_model": _NO_QEMU, "kvm_hypervisor": _NO_KVM, "esxi_vmx": _NO_ESXI, "hypervisor": _NO_ESXI,
        "firecracker_vmm": _NO_FIRECRACKER,
        "control_plane": (_SHARED, "tenants' containers share one cluster, so its API server and the credentials "
                                   "on its nodes are shared (Azure Container Instances' multi-tenant clusters)"),
    },
    "containers_in_vms": {
        "container_runtime": (_OWN, "runc runs inside the customer's own node VM"),
        "host_kernel": (_OWN, "the kernel is the customer's own node VM's kernel"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel (Xen XSA-254)"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "VMs of different customers can run on the two hyperthreads of one core"),
        "vmm_device_model": (_ABSENT, "cloud node VMs do not run QEMU's device model (AWS Nitro serves I/O from "
                                      "Nitro Cards; Google uses its own VMM)"),
        "kvm_hypervisor": (_SHARED, "the cloud hypervisor is KVM-based (AWS Nitro, Google's KVM), shared by every "
                                    "customer on the host"),
        "esxi_vmx": (_ABSENT, "the cloud's hypervisor is not ESXi"),
        "hypervisor": (_ABSENT, "the cloud's hypervisor is not ESXi"),
        "firecracker_vmm": _NO_FIRECRACKER,
        "control_plane": (_OWN, "EKS and GKE give each customer its own cluster control plane"),
    },
    "gvisor_sandbox": {
        "container_runtime": (_ABSENT, "runsc (gVisor) starts the sandbox, not runc"),
        "host_kernel": (_ABSENT, "the application's system calls are served by its own Sentry; the host kernel "
                                 "sees only the Sentry's " + _SENTRY_CALLS + " allowed system calls (chapter 2)"),
        "cpu_kernel_memory": (_ABSENT, "gVisor was first released in May 2018, after Meltdown's disclosure "
                                       "(January 2018): its hosts already had kernel page-table isolation"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": _NO_SMT_VARIANT,
        "vmm_device_model": _NO_QEMU,
        "kvm_hypervisor": (_ABSENT, "gVisor's default platform (systrap) uses no KVM"),
        "esxi_vmx": _NO_ESXI, "hypervisor": _NO_ESXI, "firecracker_vmm": _NO_FIRECRACKER,
        "control_plane": (_SHARED, "sandboxed pods of several tenants in one cluster share its API server"),
    },
    "microvm": {
        "container_runtime": (_OWN, "where containers run in a microVM (Fargate, Kata) the runtime is inside the "
                                    "tenant's own VM; Lambda runs none"),
        "host_kernel": (_OWN, "the guest kernel is the tenant's own"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "microVMs of different tenants can run on the two hyperthreads of one core"),
        "vmm_device_model": (_ABSENT, "Firecracker emulates five devices and no floppy controller"),
        "kvm_hypervisor": (_SHARED, "KVM in the host kernel serves every microVM on the host"),
        "esxi_vmx": (_ABSENT, "Firecracker uses KVM, not ESXi"),
        "hypervisor": (_ABSENT, "Firecracker uses KVM, not ESXi"),
        "firecracker_vmm": (_OWN, "the VMM process is jailed (seccomp, chroot, no privileges): a second bug is "
                                  "needed to reach the host"),
        "control_plane": (_OWN, "Fargate and Lambda tenants reach the provider's orchestrator only through their "
                                "own account's authenticated API; a task holds no other tenant's credentials"),
    },
    "type1_hypervisor": {
        "container_runtime": (_ABSENT, "no container runtime between tenants"),
        "host_kernel": (_OWN, "the guest kernel is the tenant's own"),
        "cpu_kernel_memory": (_OWN, "a hardware-virtualised guest maps only its own kernel"),
        "cpu_cross_vm": _CPU_SHARED,
        "cpu_smt_core": (_SHARED, "VMs of different tenants can run on the two hyperthreads of one core"),
        "vmm_device_model": (_SHARED, "QEMU-based hypervisors (KVM, Xen HVM) emulate a PC's legacy devices for "
                                      "every VM"),
        "kvm_hypervisor": (_SHARED, "on a KVM host the hypervisor is the host kernel, shared by every VM"),
        "esxi_vmx": (_OWN, "on VMware ESXi each VM's VMX process runs in its own sandbox: a second bug is needed "
                           "to leave it"),
        "hypervisor": (_SHARED, "ESXi's VMkernel is shared by every VM on the host"),
        "firecracker_vmm": _NO_FIRECRACKER,
        "control_plane": (_ABSENT, "a guest VM reaches no orchestrator API of the virtualisation platform"),
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
        Column("target", "str", "The layers the escape crosses, in order, separated by ';' (a chain needs them "
                                "all); each one of TARGETS."),
        Column("component", "str", "The vulnerable component."),
        Column("attacker_needs", "str", "Where the attacker must already be."),
        Column("impact", "str", "What the attacker gains."),
        Column("exploited_in_wild", "bool", "True if exploitation was reported (CVE record, CISA KEV)."),
        Column("cvss_v3", "float", "CVSS v3 base score from the CVE record, where it gives one.", minimum=0,
               maximum=10, required=False),
        Column("stopped_by", "str", "Defences documented to stop it: alternatives separated by ';', defences "
                                    "needed together joined by '+' (empty: none).", required=False),
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
    """Check an escapes table (as :func:`escapes` returns) and return a copy with ``target`` and ``stopped_by`` parsed.

    Needs the columns of :data:`ESCAPE_TABLE_COLUMNS`, as ``data/escapes.csv`` defines them:
    escape_id (unique), name and defence_note non-empty text, cve_id text or empty, published
    a date, target one of :data:`TARGETS` or a chain of them separated by ``';'`` (or a tuple),
    stopped_by empty, ``';'``-separated alternatives from :data:`DEFENCES` (each alternative may join
    defences needed together with ``'+'``) or a tuple of such alternatives; at least one row.
    Returns ``target`` and ``stopped_by`` as tuples. ``ValueError`` names the parameter
    ``table``, the row and the column.
    """
    checked_columns = [column for column in SCHEMAS["escapes"].columns
                       if column.name in ESCAPE_TABLE_COLUMNS and column.name not in ("stopped_by", "target")]
    for name in ("target", "stopped_by"):
        if isinstance(table, pd.DataFrame) and name not in table.columns:
            raise ValueError(f"table must have columns {list(ESCAPE_TABLE_COLUMNS)}; column {name!r} is missing")
    require_frame("table", table, checked_columns, key="escape_id")
    checked = table.copy()
    checked["published"] = pd.to_datetime(checked["published"], format="ISO8601")
    checked["target"] = [_parse_chain(value, row) for row, value in zip(checked.index, checked["target"])]
    checked["stopped_by"] = [_parse_defences(value, row) for row, value in zip(checked.index, checked["stopped_by"])]
    return checked


def _parse_chain(value, row) -> tuple[str, ...]:
    where = f"table: row {row}, column 'target'"
    if not isinstance(value, (str, tuple)):
        raise ValueError(f"{where}: {value!r} is not one of {list(TARGETS)} (a chain joins them with ';')")
    items = value if isinstance(value, tuple) else tuple(item.strip() for item in value.split(ANY_OF))
    if not items or any(not isinstance(item, str) or item not in TARGETS for item in items):
        bad = next((item for item in items if not isinstance(item, str) or item not in TARGETS), value)
        raise ValueError(f"{where}: {bad!r} is not one of {list(TARGETS)} (a chain joins them with ';')")
    return items


def _parse_defences(value, row) -> tuple[str, ...]:
    where = f"table: row {row}, column 'stopped_by'"
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, tuple):
        items = value
    elif isinstance(value, str):
        items = tuple(item.strip() for item in value.split(ANY_OF) if item.strip())
    else:
        raise ValueError(f"{where} must hold ';'-separated defences from {list(DEFENCES)}; got {value!r}")
    for item in items:
        parts = item.split(ALL_OF) if isinstance(item, str) else [item]
        for part in parts:
            if not isinstance(part, str) or part.strip() not in DEFENCES:
                raise ValueError(f"{where} must name defences from {list(DEFENCES)} (joined by '+' when needed "
                                 f"together); got {item!r}")
    return tuple(ALL_OF.join(part.strip() for part in item.split(ALL_OF)) for item in items)


def defence_label(defences: str) -> str:
    """Readable name of one ``stopped_by`` alternative: a defence of :data:`DEFENCES`, or several joined by '+'.

    ``defences``: e.g. ``"seccomp"`` or ``"l1d_flush+no_smt_sharing"`` (each part one of :data:`DEFENCES`).
    """
    if not isinstance(defences, str) or not defences:
        raise ValueError(f"defences must be a defence from {list(DEFENCES)} or several joined by '+'; "
                         f"got {defences!r}")
    parts = defences.split(ALL_OF)
    for part in parts:
        if part not in DEFENCES:
            raise ValueError(f"defences must be a defence from {list(DEFENCES)} or several joined by '+'; "
                             f"got {defences!r}")
    return " and ".join(DEFENCE_LABELS[part] for part in parts)


@functools.lru_cache(maxsize=1)
def _escapes_cached() -> pd.DataFrame:
    return validate_escapes(load("escapes")).sort_values("published", kind="stable").reset_index(drop=True)


def escapes() -> pd.DataFrame:
    """The published escapes (``data/escapes.csv``), oldest first; ``target`` (the layers crossed, in order)
    and ``stopped_by`` (alternatives; '+' joins defences needed together) are tuples."""
    return _escapes_cached().copy()


def _require_defences(defences) -> tuple[str, ...]:
    return require_choices("defences", defences, DEFENCES, min_count=0)


@functools.lru_cache(maxsize=1)
def _sentry_calls() -> int:
    return int(first_shared_interface("gvisor_sandbox")["entry_points"]["system calls"])


def exposure(platform: str, target: str) -> tuple[str, str]:
    """Whether ``platform``'s tenant reaches a ``"shared"``, its ``"own"`` or no (``"absent"``) copy of
    ``target``, and why (:data:`EXPOSURE`, with chapter 2's counts filled in).

    ``platform``: one of :data:`PLATFORMS`; ``target``: one of :data:`TARGETS`.
    """
    require_choice("platform", platform, PLATFORMS)
    require_choice("target", target, TARGETS)
    kind, reason = EXPOSURE[platform][target]
    if _SENTRY_CALLS in reason:
        reason = reason.replace(_SENTRY_CALLS, f"{_sentry_calls():,}")
    return kind, reason


def escape_outcomes(platform: str, defences: tuple[str, ...] | list[str] = (), *,
                    table: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each escape would have done on ``platform`` with ``defences`` switched on, before any patch.

    ``platform`` is one of :data:`PLATFORMS`; ``defences`` any of :data:`DEFENCES`
    (a defence that does not exist on the platform, such as seccomp on a full VM,
    changes nothing), each at most once, in any order (an empty list: none). ``table``
    replaces the escapes of ``data/escapes.csv`` (see :func:`validate_escapes`).
    A chain is one escape needing all its layers: not reachable if one is absent, stopped if
    a defence stops it, contained if its last layer is the tenant's own, else it crosses.
    Returns one row per escape, oldest first, with columns escape_id, name, cve_id,
    published, target (the layers, joined by ';'), outcome (one of :data:`OUTCOMES`),
    stopped_by (the defence, or defences joined by '+', that stopped it, or empty) and why.
    """
    require_choice("platform", platform, PLATFORMS)
    chosen = _require_defences(defences)
    rows = escapes() if table is None else validate_escapes(table).sort_values("published", kind="stable")
    active = {d for d in chosen if platform in DEFENCE_PLATFORMS[d]}
    outcomes, stoppers, reasons = [], [], []
    for chain, documented, note in zip(rows["target"], rows["stopped_by"], rows["defence_note"]):
        links = [exposure(platform, target) for target in chain]
        absent = next((reason for kind, reason in links if kind == _ABSENT), None)
        stopper = next((d for d in documented if set(d.split(ALL_OF)) <= active), "")
        last_kind, last_reason = links[-1]
        if absent is not None:
            outcome, why = NOT_REACHABLE, absent
        elif stopper:
            outcome, why = STOPPED, f"{defence_label(stopper)}: {note}"
        elif last_kind == _OWN:
            outcome, why = CONTAINED, last_reason
        else:
            outcome, why = CROSSES, last_reason
        outcomes.append(outcome)
        stoppers.append(stopper)
        reasons.append(why)
    result = rows[["escape_id", "name", "cve_id", "published"]].copy()
    result["target"] = [ANY_OF.join(chain) for chain in rows["target"]]
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
