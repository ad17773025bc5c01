"""Chapter 6 isolation model: the escapes data, what each did on each platform, who patches what."""

from __future__ import annotations

import itertools
import math
import re

import pandas as pd
import pytest

from helpers import architecture, security
from helpers.data import load

ALL_DEFENCES = security.DEFENCES


# ------------------------------------------------------------------------------------------------ the data

def test_escapes_have_cve_dates_and_sources():
    table = security.escapes()
    assert len(table) >= 12
    assert table["published"].is_monotonic_increasing
    for row in table.itertuples():
        if isinstance(row.cve_id, str) and row.cve_id:
            assert re.fullmatch(r"CVE-\d{4}-\d{4,}", row.cve_id), row.escape_id
            assert row.cve_id in row.source, f"{row.escape_id}: the source must cite its CVE record"
            assert int(row.cve_id[4:8]) <= row.published.year, row.escape_id
        assert row.source_url.startswith("https://")
    # the examples are all there
    ids = set(table["cve_id"].dropna())
    assert {"CVE-2019-5736", "CVE-2024-21626", "CVE-2015-3456", "CVE-2016-5195", "CVE-2017-5754",
            "CVE-2017-5715", "CVE-2018-3646"} <= ids


def test_escape_dates_match_the_cve_records():
    """Dates read from CVEProject/cvelistV5 (datePublic, else datePublished)."""
    dates = security.escapes().set_index("escape_id")["published"].dt.strftime("%Y-%m-%d")
    assert dates["runc_2019"] == "2019-02-11" and dates["leaky_vessels"] == "2024-01-31"
    assert dates["venom"] == "2015-05-13" and dates["dirty_cow"] == "2016-10-20"
    assert dates["meltdown"] == dates["spectre_v2"] == "2018-01-03" and dates["l1tf"] == "2018-08-14"
    assert dates["esxi_vmci"] == "2025-03-04"


def test_every_platform_says_for_every_target_whether_it_is_shared_own_or_absent():
    assert set(security.EXPOSURE) == set(security.PLATFORMS)
    for platform, targets in security.EXPOSURE.items():
        assert set(targets) == set(security.TARGETS), platform
        for exposure, reason in targets.values():
            assert exposure in ("shared", "own", "absent") and len(reason) > 10


def test_chapter_platforms_are_chapter_2_platforms():
    assert set(security.PLATFORMS) <= set(architecture.PLATFORMS)
    assert set(security.platform_labels()) == set(security.PLATFORMS)


# ------------------------------------------------------------------------------------------ known answers

def test_containers_on_a_host_without_defences_let_nine_escapes_cross():
    # by hand: runtime escapes (runc 2019, Azurescape, Leaky Vessels), kernel escapes (Dirty COW, fs_context,
    # cgroups, Dirty Pipe) and two CPU flaws (Meltdown, Spectre v2) = 3 + 4 + 2 = 9; the VM and VMM escapes
    # (VENOM, L1TF's VM variant, Firecracker, ESXi) are not reachable = 4
    assert security.outcome_counts("containers_on_host") == {"crosses": 9, "contained": 0, "stopped": 0,
                                                             "not reachable": 4}


def test_seccomp_stops_exactly_the_two_escapes_that_need_unshare():
    outcomes = security.escape_outcomes("containers_on_host", ["seccomp"]).set_index("escape_id")
    stopped = set(outcomes.index[outcomes["outcome"] == "stopped"])
    assert stopped == {"fsconfig_2022", "cgroups_2022"}
    assert set(outcomes.loc[list(stopped), "stopped_by"]) == {"seccomp"}


def test_a_vm_per_tenant_contains_every_container_and_kernel_escape():
    for platform in ("containers_in_vms", "microvm"):
        outcomes = security.escape_outcomes(platform).set_index("escape_id")
        for escape in ("runc_2019", "leaky_vessels", "dirty_cow", "dirty_pipe", "fsconfig_2022", "azurescape"):
            assert outcomes.loc[escape, "outcome"] == "contained", (platform, escape)


def test_cpu_side_channels_cross_every_platform_and_no_layer_stops_spectre():
    for platform in security.PLATFORMS:
        outcomes = security.escape_outcomes(platform, ALL_DEFENCES).set_index("escape_id")
        assert outcomes.loc["spectre_v2", "outcome"] == "crosses", platform


def test_smt_isolation_stops_l1tf_only_where_vms_share_cores():
    for platform in ("containers_in_vms", "microvm", "type1_hypervisor"):
        before = security.escape_outcomes(platform).set_index("escape_id").loc["l1tf", "outcome"]
        after = security.escape_outcomes(platform, ["no_smt_sharing"]).set_index("escape_id").loc["l1tf", "outcome"]
        assert (before, after) == ("crosses", "stopped")


def test_a_defence_that_does_not_exist_on_the_platform_changes_nothing():
    plain = security.escape_outcomes("type1_hypervisor")
    hardened = security.escape_outcomes("type1_hypervisor", ["seccomp", "apparmor", "selinux", "non_root"])
    pd.testing.assert_frame_equal(plain, hardened)


def test_full_vm_exposes_the_device_model_and_esxi_but_a_microvm_does_not():
    full = security.escape_outcomes("type1_hypervisor").set_index("escape_id")["outcome"]
    micro = security.escape_outcomes("microvm").set_index("escape_id")["outcome"]
    assert full["venom"] == full["esxi_vmci"] == "crosses"
    assert micro["venom"] == micro["esxi_vmci"] == "not reachable"
    assert micro["firecracker_vsock"] == "contained"


# ------------------------------------------------------------------------------------------------ properties

@pytest.mark.parametrize("platform", security.PLATFORMS)
def test_switching_a_defence_on_never_lets_more_escapes_cross(platform):
    worst = {outcome: rank for rank, outcome in enumerate(security.OUTCOMES)}
    for size in range(len(ALL_DEFENCES)):
        for base in itertools.combinations(ALL_DEFENCES, size):
            before = security.escape_outcomes(platform, base)["outcome"].map(worst)
            for extra in set(ALL_DEFENCES) - set(base):
                after = security.escape_outcomes(platform, base + (extra,))["outcome"].map(worst)
                # a higher rank is a better outcome: crosses 0, contained 1, stopped 2, not reachable 3
                assert (after >= before).all(), (platform, base, extra)


def test_outcomes_do_not_depend_on_the_order_defences_are_given():
    a = security.escape_outcomes("containers_on_host", ["selinux", "seccomp", "non_root"])
    b = security.escape_outcomes("containers_on_host", ("non_root", "seccomp", "selinux"))
    pd.testing.assert_frame_equal(a, b)


def test_an_edited_table_is_used():
    table = security.escapes().head(3).copy()
    table["target"] = "host_kernel"
    table["stopped_by"] = [("seccomp",), (), ()]
    outcomes = security.escape_outcomes("containers_on_host", ["seccomp"], table=table)
    assert list(outcomes["outcome"]) == ["stopped", "crosses", "crosses"]
    # a table with stopped_by as text (as read from a CSV) works the same
    as_text = table.assign(stopped_by=["seccomp", "", None])
    pd.testing.assert_frame_equal(outcomes, security.escape_outcomes("containers_on_host", ["seccomp"],
                                                                     table=as_text))


# --------------------------------------------------------------------------------- chapter 2's interface

def test_reachable_interface_has_one_shared_step_per_platform():
    table = security.reachable_interface()
    assert list(table.columns) == ["platform", "step", "caller", "callee", "callee_shared", "interface",
                                   "entry_points", "unit", "kind", "source"]
    assert list(dict.fromkeys(table["platform"])) == list(security.PLATFORMS)
    for platform in security.PLATFORMS:
        first = security.first_shared_interface(platform)
        assert first["step"] >= 1 and sum(first["entry_points"].values()) > 0
        assert first["units"] and first["callee"]


def test_reachable_interface_is_chapter_2s_data_read_through_its_public_functions():
    """No copied figures: the rows are architecture.enforcing_interface's, the counts its interface_summary's."""
    rows = architecture.enforcing_interface(list(security.PLATFORMS))
    pd.testing.assert_frame_equal(security.reachable_interface(), rows[security.reachable_interface().columns])
    summary = architecture.interface_summary(list(security.PLATFORMS)).set_index("platform")
    for platform in security.PLATFORMS:
        first = security.first_shared_interface(platform)
        column = "direct_entry_points" if first["step"] == 1 else "behind_own_layer"
        assert sum(first["entry_points"].values()) == summary.loc[platform, column]
    assert not hasattr(security, "_INTERIM_INTERFACE")


def test_the_interface_counts_the_chapter_quotes():
    # what notebooks/06_security.ipynb says under the interface table
    counts = {p: security.first_shared_interface(p)["entry_points"] for p in security.PLATFORMS}
    assert counts["containers_on_host"] == {"system calls": 291}  # implemented on x86_64 (chapter 2)
    assert counts["containers_in_vms"] == {"hypercalls": 6, "devices": 2}
    assert counts["gvisor_sandbox"] == {"system calls": 96}  # runsc defaults (chapter 2)
    assert counts["microvm"] == counts["type1_hypervisor"] == {"hypercalls": 6, "devices": 4}
    firecracker = architecture.enforcing_interface(["microvm"]).set_index("unit")
    assert len(architecture.syscall_profile("firecracker_vmm")) == 50
    assert "Firecracker" in " ".join(firecracker["callee"])


def test_containers_reach_the_shared_kernel_first_and_customers_vms_a_hypervisor_second():
    host = security.first_shared_interface("containers_on_host")
    assert host["step"] == 1 and host["entry_points"]["system calls"] > 100
    vms = security.first_shared_interface("containers_in_vms")
    assert vms["step"] == 2 and "system calls" not in vms["entry_points"]


# ------------------------------------------------------------------------------------ shared responsibility

def test_customer_layers_by_service_model():
    # by hand from data/shared_responsibility.csv: owning: all 7; IaaS VM: guest OS, container runtime,
    # language runtime, application, configuration = 5; EKS nodes: the same 5 (2 of them shared);
    # Fargate: language runtime, application, configuration = 3; Lambda: application, configuration = 2
    counts = {m: security.customer_patched_layers(m) for m in security.SERVICE_MODELS}
    assert counts == {"on_premises_vms": 7, "iaas_vm": 5, "managed_kubernetes_nodes": 5,
                      "serverless_containers": 3, "functions": 2}
    assert security.customer_patched_layers("managed_kubernetes_nodes", count_shared=False) == 3


def test_every_service_model_covers_every_layer_once_and_providers_take_more_going_right():
    table = security.shared_responsibility()
    assert (table.groupby("service_model")["layer"].nunique() == 7).all()
    counts = [security.customer_patched_layers(m) for m in security.SERVICE_MODELS]
    assert counts == sorted(counts, reverse=True)
    assert (table["source_url"].str.startswith("https://")).all()


# ------------------------------------------------------------------------------------------------ bad input

@pytest.mark.parametrize("bad", ["bare_metal", "containers", "", None, 3, True])
def test_unknown_platform_is_refused(bad):
    with pytest.raises(ValueError, match="platform must be one of"):
        security.escape_outcomes(bad)
    with pytest.raises(ValueError, match="platform must be one of"):
        security.first_shared_interface(bad)


@pytest.mark.parametrize("bad", ["seccomp", None, 1, True, ["seccomp", "seccomp"], ["kaslr"], [None], [True]])
def test_bad_defences_are_refused(bad):
    with pytest.raises(ValueError, match="defences must"):
        security.escape_outcomes("containers_on_host", bad)


def _table():
    return security.escapes()


@pytest.mark.parametrize("change, message", [
    (lambda t: "not a table", "table must be a table \\(pandas DataFrame\\)"),
    (lambda t: t.drop(columns="target"), "column 'target' is missing"),
    (lambda t: t.drop(columns="stopped_by"), "column 'stopped_by' is missing"),
    (lambda t: t.iloc[0:0], "at least 1 row"),
    (lambda t: t.assign(target="bios"), "column 'target': 'bios' is not one of"),
    (lambda t: t.assign(published="soon"), "column 'published': 'soon' is not an ISO date"),
    (lambda t: t.assign(published=None), "column 'published': empty"),
    (lambda t: t.assign(stopped_by="kaslr"), "column 'stopped_by' must name defences"),
    (lambda t: t.assign(stopped_by=3.5), "column 'stopped_by' must hold"),
    (lambda t: t.assign(escape_id="same"), "duplicate key"),
    (lambda t: t.assign(name=None), "column 'name': empty"),
    (lambda t: t.assign(defence_note=""), "column 'defence_note': empty"),
])
def test_bad_escape_tables_are_refused_naming_the_column(change, message):
    with pytest.raises(ValueError, match=message):
        security.escape_outcomes("containers_on_host", table=change(_table()))


@pytest.mark.parametrize("bad", ["functions", [], ["lambda"], ["functions", "functions"], [1], (1, 2)])
def test_bad_service_models_are_refused(bad):
    with pytest.raises(ValueError, match="service_models must"):
        security.shared_responsibility(bad)


@pytest.mark.parametrize("bad", ["iaas", None, 1])
def test_bad_service_model_is_refused(bad):
    with pytest.raises(ValueError, match="service_model must be one of"):
        security.customer_patched_layers(bad)


@pytest.mark.parametrize("bad", ["yes", 1, 0.0, None, math.nan])
def test_count_shared_must_be_a_bool(bad):
    with pytest.raises(ValueError, match="count_shared must be True or False"):
        security.customer_patched_layers("iaas_vm", count_shared=bad)


def test_data_files_load_with_their_schemas():
    assert len(load("escapes")) == len(security.escapes())
    assert set(load("shared_responsibility")["service_model"]) == set(security.SERVICE_MODELS)


def test_the_recovery_time_row_is_one_claim_taught_in_chapter_6():
    """The appendix's RTO row was quoted by chapters 4 and 6; it is chapter 6's (where RTO is taught), once."""
    claims = load("claims")
    rto = claims[claims["claim_zh"].str.contains("数据恢复时间")]
    assert list(rto["claim_id"]) == ["security-12"]
    assert not claims["claim_zh"].duplicated().any(), "a quote of the article is one claim, counted once"
