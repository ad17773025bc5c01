"""Chapter 2's notebook: what its prose and questions say holds in the model. Its solutions are run by
tests/test_solutions.py and their form checked by tests/test_notebook_structure.py, as for every chapter; the
notebook itself is run by nbval."""

from __future__ import annotations

import re

from tests.test_notebook_structure import cells as notebook_cells
from tests.test_notebook_structure import text as source

NOTEBOOK = "02_architecture.ipynb"


def cells():
    return notebook_cells(NOTEBOOK)


def test_every_platform_id_exercise_4_takes_is_shown_before():
    from helpers import architecture, architecture_views
    shown = set(architecture_views.interface_table().data["platform (id)"])
    counted = set(architecture.interface_summary().query("counted")["platform"])
    assert counted <= shown


def test_no_bad_plurals():
    text = "\n".join(source(c) for c in cells())
    assert not re.search(r"(?<![\d.,])1 (layers|years|events|devices|system calls)\b", text)


def test_summary_does_not_teach_counting_shared_layers():
    summary = next(source(c) for c in cells() if source(c).startswith("## Summary"))
    assert "enforcing interface" in summary and "291" in summary and "share 2 of 4 layers" not in summary
    assert "misleading" in summary and "65,000" in summary


def panel_questions() -> str:
    return next(source(c) for c in cells() if source(c).startswith("## Density panel"))


def counts(**changes) -> dict[str, int]:
    """Instances per host by platform with the panel's defaults and ``changes``, through the panel itself."""
    from helpers import architecture_views
    panel = architecture_views.density_panel()
    for name, value in changes.items():
        panel.controls[name].value = value
    return {r["platform"]: r["instances_per_host"] for values in panel.chart_widget.spec["datasets"].values()
            for r in values if "instances_per_host" in r and "platform" in r}


def test_density_panel_questions_rest_on_premises_the_model_makes_true():
    """Every question's premise, computed from the model through the panel (a review found two false ones)."""
    from helpers import architecture
    text = panel_questions()
    defaults = counts()
    assert set(defaults.values()) == {34}
    # 1. "Set the threads per core to 2 (SMT on). How many instances does each platform gain": all the same
    assert "threads per core to 2" in text
    smt = counts(threads_per_core=2)
    assert {p: smt[p] - defaults[p] for p in smt} == {p: 36 for p in smt}
    # 2. "lower the application to 0.25 vCPU. Why do containers and gVisor gain while full VMs and microVMs stay"
    assert "0.25 vCPU" in text and "containers and gVisor gain while full VMs and microVMs stay" in text
    quarter = counts(app_vcpu=0.25)
    assert quarter["containers_on_host"] > defaults["containers_on_host"]
    assert quarter["gvisor_sandbox"] > defaults["gvisor_sandbox"]
    assert quarter["type1_hypervisor"] == defaults["type1_hypervisor"] and quarter["microvm"] == defaults["microvm"]
    #    "raise the CPU overcommit to 4 ... which resource limits every platform then": one resource for all
    assert "CPU overcommit to 4" in text
    table = architecture.density_table(**{**architecture.density_defaults(), "app_vcpu": 0.25, "cpu_overcommit": 4})
    assert set(table["limiting_resource"]) == {"memory"}
    # 3. "VMM/Sentry CPU to 0.25 ... then to 1 ... Which platforms lose instances ... why do containers keep theirs"
    assert "VMM/Sentry CPU to 0.25" in text and "containers keep theirs" in text
    for value in (0.25, 1):
        lost = counts(vmm_cpu_vcpu=value)
        assert lost["containers_on_host"] == defaults["containers_on_host"]
        assert all(lost[p] < defaults[p] for p in ("type1_hypervisor", "microvm", "gvisor_sandbox"))


def test_review_errors_stay_out_of_the_prose():
    """Statements a review found wrong (chapter 2); each is now said correctly in the notebook."""
    text = "\n".join(source(c) for c in cells())
    assert "SMT off or core scheduling" not in text  # full protection = SMT off AND L1D flushing (l1tf.rst 3.3)
    assert "Disabling SMT" not in text or "flush" in text
    assert "provider patches the node kernel" not in text  # ECS/EKS on EC2: the customer patches its nodes' OS
    assert "can hold millions" not in text and "400,000 containers" in text  # GKE's documented figure
    assert "OASIS\n  standard" not in text and "OASIS standard" not in text  # VIRTIO 1.0 is a Committee Spec.
    assert "sensitive instructions exit" not in text  # VT-x adds a guest mode; the VMCS says what exits
    assert "microVMs 56" not in text and "each reserves 0.25 vCPU" not in text  # uneven CPU data, removed
    assert "without a VM or gVisor boundary" in text


def test_explorer_questions_rest_on_premises_the_data_makes_true():
    from helpers import architecture
    text = next(source(c) for c in cells() if source(c).startswith("## Explore the stacks"))
    summary = architecture.interface_summary().query("counted").set_index("platform")
    shared = architecture.platform_summary().set_index("platform")["shared_layers"]
    # 1. one platform exposes the most; exactly two share layers yet expose nothing directly
    assert "Which two platforms share layers with other tenants yet let a tenant's code call none" in text
    direct = summary["direct_entry_points"]
    assert (direct == direct.max()).sum() == 1
    assert sorted(p for p in summary.index if direct[p] == 0 and shared[p] > 0) == ["containers_in_vms",
                                                                                     "gvisor_sandbox"]
    # 2. an unconfined pod can make every implemented call of the node kernel, which the profile cell prints
    rows = architecture.enforcing_interface(["containers_in_vms"])
    pods = rows[rows["step"] == 1].iloc[0]
    assert not pods["callee_shared"] and pods["syscall_profile"] == "linux_x86_64"
    assert pods["entry_points"] == len(architecture.syscall_profile("linux_x86_64", implemented_only=True)) == 346
    # 3. microVM and Type-1 show the same direct interface, and differ behind it
    assert summary.loc["microvm", "direct"] == summary.loc["type1_hypervisor", "direct"]
    assert summary.loc["microvm", "behind"] != summary.loc["type1_hypervisor", "behind"]
