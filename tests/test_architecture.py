"""Chapter 2 model: platform layers and the density model (known answers, properties, bad input)."""

from __future__ import annotations

import math

import pytest

from helpers import architecture as arch
from helpers.data import load

DEFAULTS = arch.density_defaults()
BASE = dict(host_cores=36, threads_per_core=2, host_memory_gib=512, app_vcpu=1, app_memory_gib=4)


# ------------------------------------------------------------------------------------------------ data and layers

def test_every_platform_has_layers_from_hardware_up():
    layers = load("platform_layers")
    assert set(layers["platform"]) == set(arch.PLATFORMS)
    for platform, group in layers.groupby("platform"):
        assert list(group["layer_position"]) == list(range(1, len(group) + 1)), platform
        assert group["layer_kind"].iloc[0] == "hardware" and group["layer_kind"].iloc[-1] == "application"
        assert group["enforces_isolation"].any(), f"{platform}: some layer must enforce isolation"
        for column in ("platform_label", "examples", "isolation_boundary"):
            assert group[column].nunique() == 1, f"{platform}: {column} differs between rows"
        assert group["source_url"].str.startswith("http").all()


def test_shared_layers_sit_below_per_tenant_layers():
    """The isolation boundary is one line: nothing shared sits above a per-tenant layer."""
    for platform, group in load("platform_layers").groupby("platform"):
        shared = group.loc[group["shared_between_tenants"], "layer_position"]
        private = group.loc[~group["shared_between_tenants"], "layer_position"]
        assert shared.empty or private.empty or shared.max() < private.min(), platform


@pytest.mark.parametrize(("platform", "expected"), [
    ("bare_metal", 0),          # one tenant per machine: nothing shared
    ("type1_hypervisor", 2),    # hardware + hypervisor
    ("type2_hypervisor", 3),    # hardware + host kernel + hosted hypervisor
    ("containers_on_host", 3),  # hardware + host kernel + runtime
    ("containers_in_vms", 2),   # hardware + cloud hypervisor; the node VM is the tenant's own
    ("microvm", 2),             # hardware + host kernel/KVM; the VMM process is per microVM
    ("gvisor_sandbox", 2),      # hardware + host kernel; the Sentry is per sandbox
])
def test_shared_layer_count_known_answers(platform, expected):
    assert arch.shared_layer_count(platform) == expected


def test_platform_layers_keeps_the_order_asked_for():
    layers = arch.platform_layers(["microvm", "bare_metal"])
    assert list(dict.fromkeys(layers["platform"])) == ["microvm", "bare_metal"]
    assert len(arch.platform_layers()) == len(load("platform_layers"))


def test_platform_summary_counts_and_boundary():
    summary = arch.platform_summary(["containers_on_host"]).iloc[0]
    assert (summary["layers"], summary["shared_layers"], summary["per_tenant_layers"]) == (4, 3, 1)
    assert "namespaces" in summary["enforced_by"]


def test_exactly_two_platforms_share_three_layers():
    """Explorer question 1 asks which two platforms share three layers; it must have one answer."""
    summary = arch.platform_summary()
    three = summary.loc[summary["shared_layers"] == 3, "platform"].tolist()
    assert three == ["type2_hypervisor", "containers_on_host"]
    enforced = summary.set_index("platform").loc[three, "enforced_by"]
    assert enforced.nunique() == 2  # ... and they enforce isolation with different layers


@pytest.mark.parametrize("bad", ["microvm", ["nope"], ("microvm", "microvm"), 3, [None], [], ()])
def test_platform_layers_rejects_bad_platforms(bad):
    with pytest.raises(ValueError, match="platforms"):
        arch.platform_layers(bad)


@pytest.mark.parametrize("bad", [[], ["nope"], "microvm"])
def test_platform_summary_rejects_bad_platforms(bad):
    with pytest.raises(ValueError, match="platforms"):
        arch.platform_summary(bad)


def test_source_kinds_come_from_the_data_layer():
    from helpers.data import SCHEMAS, SOURCE_KINDS
    for name in ("instance_overheads", "density_parameters"):
        kind = {c.name: c for c in SCHEMAS[name][1]}["kind"]
        assert kind.allowed == SOURCE_KINDS
    assert not hasattr(arch, "KINDS")


@pytest.mark.parametrize("bad", ["nope", None, 1])
def test_shared_layer_count_rejects_unknown_platform(bad):
    with pytest.raises(ValueError, match="platform"):
        arch.shared_layer_count(bad)


def test_article_density_claim_is_quoted_from_the_article(article_text):
    low, high = arch.ARTICLE_VMS_PER_HOST
    assert f"单台物理服务器可承载{low}-{high}个VM实例" in article_text


def test_density_parameters_have_default_inside_range_and_a_source():
    table = arch.density_parameters()
    assert set(table["name"]) == set(DEFAULTS)
    assert ((table["minimum"] <= table["default"]) & (table["default"] <= table["maximum"])).all()
    assert table["source_url"].str.len().gt(0).all()


# ------------------------------------------------------------------------------------------------ overheads

def test_overhead_known_answers():
    # Full VM, 1 vCPU / 4 GiB: guest OS 512 + VMM 218 + 8 MiB x 1 vCPU + 0.002 x 4,096 MiB = 746.192 MiB
    vm = arch.instance_overhead("type1_hypervisor", app_vcpu=1, app_memory_gib=4)
    assert vm["memory_mib"] == pytest.approx(746.192)
    # guest OS raised to 2,048 MiB: 2,048 + 218 + 8 + 8.192 = 2,282.192 MiB
    assert arch.instance_overhead("type1_hypervisor", app_vcpu=1, app_memory_gib=4, guest_os_memory_mib=2048)[
        "memory_mib"] == pytest.approx(2282.192)
    # microVM: Firecracker VMM <= 5 MiB + 115 MiB guest = 120 MiB, whatever the size
    assert arch.instance_overhead("microvm", app_vcpu=2, app_memory_gib=8)["memory_mib"] == pytest.approx(120)
    # containers: 4,092,150 B / 2^20 = 3.9 MiB; gVisor 23,695,032 B / 2^20 = 22.6 MiB
    assert arch.instance_overhead("containers_on_host", app_vcpu=1, app_memory_gib=4)["memory_mib"] == 3.9
    assert arch.instance_overhead("gvisor_sandbox", app_vcpu=1, app_memory_gib=4)["memory_mib"] == 22.6
    # guest_os_memory_mib only concerns full VMs
    assert arch.instance_overhead("microvm", app_vcpu=1, app_memory_gib=4, guest_os_memory_mib=2048)[
        "memory_mib"] == pytest.approx(120)


def test_overheads_order_full_vm_heaviest_container_lightest():
    mib = {p: arch.instance_overhead(p, app_vcpu=1, app_memory_gib=4)["memory_mib"] for p in arch.DENSITY_PLATFORMS}
    assert mib["type1_hypervisor"] > mib["microvm"] > mib["gvisor_sandbox"] > mib["containers_on_host"] > 0


@pytest.mark.parametrize(("param", "bad"), [
    ("platform", "bare_metal"), ("platform", None),
    ("app_vcpu", 0), ("app_vcpu", -1), ("app_vcpu", float("nan")), ("app_vcpu", "1"),
    ("app_memory_gib", 0), ("app_memory_gib", -4), ("app_memory_gib", math.inf), ("app_memory_gib", True),
    ("guest_os_memory_mib", -1), ("guest_os_memory_mib", float("nan")), ("guest_os_memory_mib", "512"),
])
def test_instance_overhead_rejects_bad_input(param, bad):
    args = {"platform": "type1_hypervisor", "app_vcpu": 1, "app_memory_gib": 4, "guest_os_memory_mib": 512}
    args[param] = bad
    platform = args.pop("platform")
    with pytest.raises(ValueError, match=f"^{param} "):
        arch.instance_overhead(platform, **args)


# ------------------------------------------------------------------------------------------------ density

def test_instances_per_host_known_answers():
    # CPU: 36 cores x 2 threads / 1 vCPU = 72; memory: 512 x 1,024 / (4,096 + 746.192) = 108.3 -> 108
    fit = arch.instances_per_host(**BASE, overhead_memory_mib=746.192)
    assert fit == {"instances": 72, "by_cpu": 72, "by_memory": 108, "limiting": "cpu"}
    # 0.25 vCPU, 0.5 GiB, 4:1 CPU overcommit: CPU 72 x 4 / 0.25 = 1,152;
    # memory 524,288 / (512 + 3.9) = 1,016.3 -> 1,016, so memory limits
    fit = arch.instances_per_host(**{**BASE, "app_vcpu": 0.25, "app_memory_gib": 0.5}, overhead_memory_mib=3.9,
                                  cpu_overcommit=4)
    assert fit == {"instances": 1016, "by_cpu": 1152, "by_memory": 1016, "limiting": "memory"}
    # CPU overhead counts: 72 / (1 + 0.25) = 57.6 -> 57
    assert arch.instances_per_host(**BASE, overhead_vcpu=0.25)["by_cpu"] == 57


def test_tie_reports_cpu():
    # 8 vCPUs / 1 = 8; 32 GiB / 4 GiB = 8
    fit = arch.instances_per_host(host_cores=4, threads_per_core=2, host_memory_gib=32, app_vcpu=1, app_memory_gib=4)
    assert fit["by_cpu"] == fit["by_memory"] == 8 and fit["limiting"] == "cpu"


def test_app_larger_than_host_fits_zero():
    fit = arch.instances_per_host(host_cores=4, threads_per_core=1, host_memory_gib=32, app_vcpu=8, app_memory_gib=4)
    assert fit["instances"] == 0 and fit["limiting"] == "cpu"


def test_density_table_at_defaults():
    table = arch.density_table(**DEFAULTS).set_index("platform")
    assert list(table.index) == list(arch.DENSITY_PLATFORMS)
    # 72 vCPUs and 1 vCPU per instance: the CPU caps every platform at 72
    assert table["instances_per_host"].tolist() == [72, 72, 72, 72]
    assert set(table["limiting_resource"]) == {"cpu"}
    # memory would allow: VM 108; microVM 524,288 / 4,216 = 124.4 -> 124; gVisor / 4,118.6 = 127.3 -> 127
    assert table["by_memory"].tolist() == [108, 124, 127, 127]
    assert table.loc["type1_hypervisor", "memory_per_instance_gib"] == pytest.approx(4 + 746.192 / 1024, abs=1e-3)


@pytest.mark.parametrize("platform", arch.DENSITY_PLATFORMS)
@pytest.mark.parametrize("app", [(1, 4), (0.25, 0.5), (2, 1)])
def test_more_host_memory_never_fewer_instances(platform, app):
    previous = -1
    for memory in range(32, 1025, 32):
        row = arch.density_table(**{**DEFAULTS, "app_vcpu": app[0], "app_memory_gib": app[1],
                                    "host_memory_gib": memory}).set_index("platform").loc[platform]
        assert row["instances_per_host"] >= previous
        previous = row["instances_per_host"]


@pytest.mark.parametrize("param,values", [
    ("cpu_overcommit", [1, 1.5, 2, 4, 8, 16]),
    ("memory_overcommit", [1, 1.1, 1.25, 1.5]),
    ("host_cores", [4, 8, 16, 36, 64]),
    ("threads_per_core", [1, 2]),
])
def test_more_capacity_or_overcommit_never_fewer_instances(param, values):
    for app in [(1, 4), (0.25, 0.5)]:
        counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": app[0], "app_memory_gib": app[1], param: v})
                  ["instances_per_host"].to_numpy() for v in values]
        for before, after in zip(counts, counts[1:]):
            assert (after >= before).all(), (param, app)


def test_bigger_guest_os_never_more_full_vms():
    counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "guest_os_memory_mib": g}).set_index("platform")
              .loc["type1_hypervisor", "instances_per_host"] for g in range(512, 2049, 128)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


@pytest.mark.parametrize(("param", "bad"), [
    ("host_cores", 0), ("host_cores", -2), ("host_cores", float("nan")), ("host_cores", "36"), ("host_cores", 36.5),
    ("host_cores", 4097),
    ("threads_per_core", 0), ("threads_per_core", 9), ("threads_per_core", None), ("threads_per_core", 1.5),
    ("threads_per_core", True),
    ("host_memory_gib", 0), ("host_memory_gib", -1), ("host_memory_gib", math.inf),
    ("app_vcpu", 0), ("app_vcpu", -0.5), ("app_vcpu", [1]),
    ("app_memory_gib", 0), ("app_memory_gib", float("nan")),
    ("overhead_memory_mib", -1), ("overhead_memory_mib", "3"),
    ("overhead_vcpu", -0.1), ("overhead_vcpu", float("nan")),
    ("cpu_overcommit", 0.5), ("cpu_overcommit", 0), ("cpu_overcommit", 100),
    ("memory_overcommit", 0.9), ("memory_overcommit", 5), ("memory_overcommit", False),
])
def test_instances_per_host_rejects_bad_input(param, bad):
    with pytest.raises(ValueError, match=f"^{param} "):  # the message starts with the parameter's own name
        arch.instances_per_host(**{**BASE, param: bad})


def test_whole_numbers_given_as_floats_are_accepted():
    # slider values arrive as floats (36.0): 36 x 2 / 1 = 72 by CPU
    assert arch.instances_per_host(**{**BASE, "host_cores": 36.0, "threads_per_core": 2.0})["by_cpu"] == 72
    assert arch.instances_per_host(**{**BASE, "threads_per_core": arch.MAX_THREADS_PER_CORE})["by_cpu"] == 36 * 8


@pytest.mark.parametrize(("param", "bad"), [
    ("host_cores", 0), ("threads_per_core", 0.5), ("threads_per_core", 1.5), ("host_cores", 35.5),
    ("host_memory_gib", -512), ("app_vcpu", 0),
    ("app_memory_gib", -1), ("cpu_overcommit", 0.9), ("memory_overcommit", 0), ("guest_os_memory_mib", -1),
    ("host_cores", float("nan")), ("app_vcpu", "1"),
])
def test_density_table_rejects_bad_input(param, bad):
    with pytest.raises(ValueError, match=f"^{param} "):
        arch.density_table(**{**DEFAULTS, param: bad})
