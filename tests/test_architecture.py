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


def test_type1_stack_shows_that_with_kvm_the_host_kernel_is_the_hypervisor():
    layers = arch.platform_layers(["type1_hypervisor"])
    hypervisor = layers.loc[layers["layer_kind"] == "hypervisor", "layer"].iloc[0]
    assert "Linux + KVM" in hypervisor


# ------------------------------------------------------------------------------------------------ enforcing interface

def test_syscall_profiles_known_sizes():
    """Counted by hand from the named commits (data/architecture_notes.md says how)."""
    sizes = {profile: len(arch.syscall_profile(profile)) for profile in arch.SYSCALL_PROFILES}
    assert sizes == {"linux_x86_64": 362, "docker_default": 295, "gvisor_sentry": 72, "gvisor_sentry_default": 96,
                     "firecracker_vmm": 50}
    # Docker blocks 67 numbers: 55 real system calls plus 12 that Linux never implemented
    blocked = set(arch.syscall_profile("linux_x86_64")) - set(arch.syscall_profile("docker_default"))
    assert len(blocked) == 67 and {"mount", "unshare", "setns", "bpf", "kexec_load", "keyctl"} <= blocked
    assert {"create_module", "tuxcall", "vserver"} <= blocked


def test_implemented_calls_leave_out_the_numbers_without_an_entry_point():
    """Linux 6.1's x86_64 table: 362 numbers, 16 without an entry point; Docker allows 4 of those 16."""
    real = {profile: len(arch.syscall_profile(profile, implemented_only=True)) for profile in arch.SYSCALL_PROFILES}
    assert real == {"linux_x86_64": 346, "docker_default": 291, "gvisor_sentry": 72, "gvisor_sentry_default": 96,
                    "firecracker_vmm": 50}
    assert set(arch.NO_ENTRY_POINT_X86_64) <= set(arch.syscall_profile("linux_x86_64"))
    allowed_but_absent = set(arch.syscall_profile("docker_default")) & set(arch.NO_ENTRY_POINT_X86_64)
    assert allowed_but_absent == {"set_thread_area", "get_thread_area", "epoll_ctl_old", "epoll_wait_old"}
    # 346 implemented - 291 allowed = 55 real calls Docker blocks
    assert real["linux_x86_64"] - real["docker_default"] == 55


def test_gvisor_default_filter_is_the_base_list_plus_the_default_options():
    """runsc's defaults: directfs=true (16 file calls), platform=systrap (5), control server (2), tgkill (1)."""
    base, default = set(arch.syscall_profile("gvisor_sentry")), set(arch.syscall_profile("gvisor_sentry_default"))
    assert base < default and len(default - base) == 24
    assert {"openat", "newfstatat", "getdents64", "renameat2"} <= default - base  # directfs
    assert {"ptrace", "wait4", "waitid", "rt_tgsigqueueinfo", "setpriority"} <= default - base  # systrap
    assert {"accept4", "listen", "tgkill"} <= default - base
    assert "splice" not in default


@pytest.mark.parametrize("bad", ["yes", 1, None, 0.0])
def test_syscall_profile_refuses_a_flag_that_is_not_a_bool(bad):
    with pytest.raises(ValueError, match="^implemented_only "):
        arch.syscall_profile("docker_default", implemented_only=bad)


def test_every_filter_is_a_subset_of_linux():
    linux = set(arch.syscall_profile("linux_x86_64"))
    for profile in arch.SYSCALL_PROFILES:
        assert set(arch.syscall_profile(profile)) <= linux, profile
    assert arch.syscall_profile("linux_x86_64")[:3] == ("read", "write", "open")  # number order


def test_interface_counts_match_their_profiles_and_sources():
    rows = arch.enforcing_interface()
    assert set(rows["platform"]) == set(arch.PLATFORMS) - {"type2_hypervisor"}
    for _, row in rows[rows["syscall_profile"].notna()].iterrows():
        assert row["entry_points"] == len(arch.syscall_profile(row["syscall_profile"], implemented_only=True))
        assert row["unit"] == "system calls"
    # the gVisor row counts the filter runsc applies by default, not its base list
    gvisor = rows[(rows["platform"] == "gvisor_sandbox") & (rows["step"] == 2)].iloc[0]
    assert gvisor["syscall_profile"] == "gvisor_sentry_default" and gvisor["entry_points"] == 96
    # KVM's hypercall counts leave out the exit handlers: floors, said as "at least"
    hypercalls = rows[rows["unit"] == "hypercalls"]
    assert hypercalls["count_is_floor"].all() and hypercalls["note"].str.contains("CPUID").any()
    assert rows["source_url"].str.startswith("http").all()
    # a count read from a repository names its commit
    repo_rows = rows[rows["source_url"].str.contains("github.com") & ~rows["source_url"].str.contains("/v6.1/")]
    assert repo_rows["source_url"].str.contains(r"/blob/[0-9a-f]{40}/").all()


def test_interface_summary_known_answers():
    summary = arch.interface_summary().set_index("platform")
    # containers: Docker's profile leaves 291 implemented host syscalls; microVM: at least 6 KVM hypercalls + 4
    # in-kernel devices; gVisor: 96 host calls with runsc's default flags
    assert summary.loc["containers_on_host", ["direct_entry_points", "behind_own_layer"]].tolist() == [291, 0]
    assert summary.loc["microvm", ["direct_entry_points", "behind_own_layer"]].tolist() == [10, 50]
    assert summary.loc["gvisor_sandbox", ["direct_entry_points", "behind_own_layer"]].tolist() == [0, 96]
    assert summary.loc["containers_in_vms", ["direct_entry_points", "behind_own_layer"]].tolist() == [0, 8]
    assert summary.loc["microvm", "direct"] == "at least 6 hypercalls + 4 devices"
    assert summary.loc["containers_on_host", "direct"] == "at least 291 system calls"
    assert summary.loc["microvm", "wall_direct"] == "direct: ≥6 hypercalls + 4 devices"
    assert summary.loc["microvm", "wall_behind"] == "behind: 50 syscalls"
    assert summary.loc["type1_hypervisor", "behind"] == "346 system calls"  # an upper bound, not a floor
    assert not summary.loc["type2_hypervisor", "counted"]
    assert summary.loc["type2_hypervisor", "direct"] == "not counted"
    assert summary.loc["bare_metal", "wall_direct"] == "nothing shared"


def test_isolation_ranking_is_not_the_shared_layer_count():
    """The lesson: gVisor shares as many layers as a Type-1 VM, yet a tenant calls nothing shared directly."""
    layers = arch.platform_summary().set_index("platform")["shared_layers"]
    summary = arch.interface_summary().set_index("platform")
    assert layers["gvisor_sandbox"] == layers["type1_hypervisor"] == 2
    assert summary.loc["gvisor_sandbox", "direct_entry_points"] < summary.loc["type1_hypervisor",
                                                                              "direct_entry_points"]
    assert summary.loc["containers_on_host", "direct_entry_points"] > 20 * summary.loc["microvm",
                                                                                        "direct_entry_points"]


@pytest.mark.parametrize(("syscall", "platform", "after", "expected"), [
    ("splice", "containers_on_host", False, True),     # Docker's profile allows it
    ("mount", "containers_on_host", False, False),     # ... but not mount
    ("splice", "gvisor_sandbox", True, False),         # not in the Sentry's host filter (default flags)
    ("openat", "gvisor_sandbox", True, True),          # directfs, on by default, lets the Sentry open files
    ("tee", "gvisor_sandbox", True, True),             # ... which has tee
    ("tee", "gvisor_sandbox", False, False),           # and only behind the Sentry
    ("splice", "microvm", True, False), ("ioctl", "microvm", True, True),
    ("splice", "type1_hypervisor", True, True),        # an unconfined QEMU (an assumption, marked in the file)
    ("splice", "bare_metal", True, False),
])
def test_reaches_shared_kernel_known_answers(syscall, platform, after, expected):
    assert arch.reaches_shared_kernel(syscall, platform, after_own_layer=after) is expected


def test_syscall_exposure_lists_every_counted_platform():
    table = arch.syscall_exposure("splice").set_index("platform")
    assert list(table.index) == [p for p in arch.PLATFORMS if p != "type2_hypervisor"]
    assert table["directly"].sum() == 1 and table.loc["containers_on_host", "directly"]
    assert (table["after_own_layer"] >= table["directly"]).all()  # taking over a layer never reaches less


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"syscall": "nope", "platform": "microvm"}, "syscall"), ({"syscall": 5, "platform": "microvm"}, "syscall"),
    ({"syscall": "splice", "platform": "nope"}, "platform"),
    ({"syscall": "splice", "platform": "type2_hypervisor"}, "platform"),
    ({"syscall": "splice", "platform": "microvm", "after_own_layer": "no"}, "after_own_layer"),
    ({"syscall": "splice", "platform": "microvm", "after_own_layer": 1}, "after_own_layer"),
])
def test_reaches_shared_kernel_rejects_bad_input(kwargs, param):
    with pytest.raises(ValueError, match=f"^{param} "):
        arch.reaches_shared_kernel(**kwargs)


@pytest.mark.parametrize("bad", ["nope", None, 3, ["docker_default"]])
def test_syscall_profile_and_exposure_reject_bad_names(bad):
    with pytest.raises(ValueError, match="^profile "):
        arch.syscall_profile(bad)
    with pytest.raises(ValueError, match="^syscall "):
        arch.syscall_exposure(bad)


@pytest.mark.parametrize("bad", [[], ["nope"], "microvm", ("microvm", "microvm"), None, 3])
def test_interface_functions_reject_bad_platforms(bad):
    if bad is None:  # None means "all platforms"
        assert len(arch.interface_summary(None)) == len(arch.PLATFORMS)
        return
    for function in (arch.enforcing_interface, arch.interface_summary):
        with pytest.raises(ValueError, match="platforms"):
            function(bad)


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
    # a VM's vCPUs are whole: a 0.25-vCPU application gets a 1-vCPU VM, and its 8 MiB/vCPU counts 1 vCPU:
    # 512 + 218 + 8 + 0.002 x 512 = 739.024 MiB (not 512 + 218 + 2 + 1.024)
    assert arch.instance_overhead("type1_hypervisor", app_vcpu=0.25, app_memory_gib=0.5)["memory_mib"] == \
        pytest.approx(739.024)


def test_instance_vcpu_is_whole_for_vms_and_a_share_for_containers():
    assert [arch._instance_vcpu(p, 0.25) for p in arch.DENSITY_PLATFORMS] == [1, 1, 0.25, 0.25]
    assert [arch._instance_vcpu(p, 1.5) for p in arch.DENSITY_PLATFORMS] == [2, 2, 1.5, 1.5]
    assert arch._instance_vcpu("microvm", 2.0) == 2  # no rounding up of a whole number
    assert arch._instance_vcpu("type1_hypervisor", 3.0000000001) == 3  # nor of float noise


@pytest.mark.parametrize(("param", "bad"), [("platform", "bare_metal"), ("app_vcpu", 0), ("app_vcpu", "1"),
                                            ("app_vcpu", True), ("app_vcpu", float("nan"))])
def test_instance_vcpu_rejects_bad_input(param, bad):
    args = {"platform": "microvm", "app_vcpu": 1}
    args[param] = bad
    with pytest.raises(ValueError, match=f"^{param} "):
        arch._instance_vcpu(**args)


def test_cpu_overhead_is_one_parameter_for_every_platform_with_its_own_vmm():
    """No platform carries a CPU overhead of its own (the data had 0.25 vCPU for microVMs only): 0 by default."""
    for platform in arch.DENSITY_PLATFORMS:
        assert arch.instance_overhead(platform, app_vcpu=1, app_memory_gib=4)["cpu_vcpu"] == 0
    cpu = {p: arch.instance_overhead(p, app_vcpu=1, app_memory_gib=4, vmm_cpu_vcpu=0.25)["cpu_vcpu"]
           for p in arch.DENSITY_PLATFORMS}
    assert cpu == {"type1_hypervisor": 0.25, "microvm": 0.25, "gvisor_sandbox": 0.25, "containers_on_host": 0}
    assert "cpu_vcpu" not in load("instance_overheads").columns


def test_overheads_order_full_vm_heaviest_container_lightest():
    mib = {p: arch.instance_overhead(p, app_vcpu=1, app_memory_gib=4)["memory_mib"] for p in arch.DENSITY_PLATFORMS}
    assert mib["type1_hypervisor"] > mib["microvm"] > mib["gvisor_sandbox"] > mib["containers_on_host"] > 0


@pytest.mark.parametrize(("param", "bad"), [
    ("platform", "bare_metal"), ("platform", None),
    ("app_vcpu", 0), ("app_vcpu", -1), ("app_vcpu", float("nan")), ("app_vcpu", "1"),
    ("app_memory_gib", 0), ("app_memory_gib", -4), ("app_memory_gib", math.inf), ("app_memory_gib", True),
    ("guest_os_memory_mib", -1), ("guest_os_memory_mib", float("nan")), ("guest_os_memory_mib", "512"),
    ("vmm_cpu_vcpu", -0.1), ("vmm_cpu_vcpu", 9), ("vmm_cpu_vcpu", float("nan")), ("vmm_cpu_vcpu", True),
])
def test_instance_overhead_rejects_bad_input(param, bad):
    args = {"platform": "type1_hypervisor", "app_vcpu": 1, "app_memory_gib": 4, "guest_os_memory_mib": 512}
    args[param] = bad
    platform = args.pop("platform")
    with pytest.raises(ValueError, match=f"^{param} "):
        arch.instance_overhead(platform, **args)


# ------------------------------------------------------------------------------------------------ density

def test_host_reserve_known_answers():
    # OpenShift Virtualization's reserve: 2 vCPU and 360 MiB. CPU (72 - 2) / 1 = 70;
    # memory (524,288 - 360) / (4,096 + 746.192) = 108.2 -> 108
    fit = arch.instances_per_host(**BASE, overhead_memory_mib=746.192, host_reserved_vcpu=2,
                                  host_reserved_memory_mib=360)
    assert fit == {"instances": 70, "by_cpu": 70, "by_memory": 108, "limiting": "cpu"}
    # overcommit applies to what the host leaves: (72 - 2) x 4 / 0.25 = 1,120
    assert arch.instances_per_host(**{**BASE, "app_vcpu": 0.25}, cpu_overcommit=4, host_reserved_vcpu=2)[
        "by_cpu"] == 1120
    # a reserve as large as the host leaves nothing, without an error (the sliders can ask for it)
    fit = arch.instances_per_host(host_cores=4, threads_per_core=1, host_memory_gib=32, app_vcpu=1,
                                  app_memory_gib=4, host_reserved_vcpu=8, host_reserved_memory_mib=40_000)
    assert (fit["by_cpu"], fit["by_memory"], fit["instances"]) == (0, 0, 0)


@pytest.mark.parametrize("param", ["host_reserved_vcpu", "host_reserved_memory_mib"])
def test_bigger_host_reserve_never_more_instances(param):
    top = {"host_reserved_vcpu": 8, "host_reserved_memory_mib": 16384}[param]
    for app in [(1, 4), (0.25, 0.5)]:
        counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": app[0], "app_memory_gib": app[1], param: v})[
            "instances_per_host"].to_numpy() for v in (0, top / 4, top / 2, top)]
        for before, after in zip(counts, counts[1:]):
            assert (after <= before).all(), (param, app)


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
    # 36 cores with SMT off less the host's 2 vCPU, 1 vCPU per instance and no VMM CPU: 34 for every platform
    assert (DEFAULTS["threads_per_core"], DEFAULTS["vmm_cpu_vcpu"]) == (1, 0)
    assert table["instances_per_host"].tolist() == [34, 34, 34, 34]
    assert set(table["limiting_resource"]) == {"cpu"}
    assert (table["overhead_vcpu"] == 0).all()
    # memory would allow, of 524,288 - 360 = 523,928 MiB: VM / 4,842.192 = 108.2 -> 108;
    # microVM / 4,216 = 124.3 -> 124; gVisor / 4,118.6 = 127.2 -> 127; containers / 4,099.9 = 127.8 -> 127
    assert table["by_memory"].tolist() == [108, 124, 127, 127]
    assert table.loc["type1_hypervisor", "memory_per_instance_gib"] == pytest.approx(4 + 746.192 / 1024, abs=1e-3)


def test_vm_vcpus_are_whole_so_a_quarter_core_needs_overcommit():
    """A 0.25-vCPU application: containers and gVisor get a quarter, VMs a whole vCPU (34, as at 1 vCPU)."""
    quarter = arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25}).set_index("platform")
    assert quarter["instance_vcpu"].tolist() == [1, 1, 0.25, 0.25]
    assert quarter["by_cpu"].tolist() == [34, 34, 136, 136]
    # the 8 MiB per vCPU counts the VM's whole vCPU: 512 + 218 + 8 + 0.002 x 4,096 = 746.192 MiB, as at 1 vCPU
    assert quarter.loc["type1_hypervisor", "overhead_memory_mib"] == pytest.approx(746.2)
    # 4:1 overcommit gives the 1-vCPU VM a quarter of a thread: 34 x 4 = 136 by CPU, the containers' figure at 1:1
    overcommitted = arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "cpu_overcommit": 4}).set_index("platform")
    assert overcommitted.loc["type1_hypervisor", "by_cpu"] == quarter.loc["containers_on_host", "by_cpu"] == 136


def test_cpu_overhead_parameter_is_even_across_vm_platforms():
    # 34 / (1 + 0.25) = 27.2 -> 27 for full VMs, microVMs and gVisor; containers keep 34; a whole core: 34 / 2 = 17
    for vmm_cpu, expected in [(0.25, [27, 27, 27, 34]), (1, [17, 17, 17, 34])]:
        table = arch.density_table(**{**DEFAULTS, "vmm_cpu_vcpu": vmm_cpu})
        assert table["instances_per_host"].tolist() == expected


def test_smt_on_doubles_the_cpu_bound_count():
    assert arch.density_table(**{**DEFAULTS, "threads_per_core": 2})["instances_per_host"].tolist() == [70] * 4


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
    ("app_vcpu", [1, 0.75, 0.5, 0.25]),  # a smaller CPU share never fits fewer
])
def test_more_capacity_or_overcommit_never_fewer_instances(param, values):
    for app in [(1, 4), (0.25, 0.5)]:
        counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": app[0], "app_memory_gib": app[1], param: v})
                  ["instances_per_host"].to_numpy() for v in values]
        for before, after in zip(counts, counts[1:]):
            assert (after >= before).all(), (param, app)


def test_bigger_vmm_cpu_never_more_instances():
    counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "cpu_overcommit": 4, "vmm_cpu_vcpu": v})[
        "instances_per_host"].to_numpy() for v in (0, 0.05, 0.25, 0.5, 1)]
    for before, after in zip(counts, counts[1:]):
        assert (after <= before).all()


def test_bigger_guest_os_never_more_full_vms():
    counts = [arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "cpu_overcommit": 4, "guest_os_memory_mib": g})
              .set_index("platform")
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
    ("host_reserved_vcpu", -1), ("host_reserved_vcpu", True), ("host_reserved_vcpu", float("nan")),
    ("host_reserved_vcpu", "2"), ("host_reserved_memory_mib", -0.5), ("host_reserved_memory_mib", math.inf),
    ("host_reserved_memory_mib", False), ("host_reserved_memory_mib", [360]),
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
    ("host_cores", float("nan")), ("app_vcpu", "1"), ("host_reserved_vcpu", True), ("host_reserved_memory_mib", -1),
    ("host_reserved_vcpu", "2"), ("vmm_cpu_vcpu", -1), ("vmm_cpu_vcpu", "0.25"), ("vmm_cpu_vcpu", math.inf),
])
def test_density_table_rejects_bad_input(param, bad):
    with pytest.raises(ValueError, match=f"^{param} "):
        arch.density_table(**{**DEFAULTS, param: bad})


# ------------------------------------------------------------------------------------------------ table checks

def _good_table():
    return arch.density_table(**DEFAULTS)


@pytest.mark.parametrize(("change", "column"), [
    (lambda t: t.assign(instances_per_host=[float("nan"), 1, 2, 3]), "instances_per_host"),
    (lambda t: t.assign(instances_per_host=[True, 1, 2, 3]), "instances_per_host"),
    (lambda t: t.assign(by_cpu=[1.5, 1, 2, 3]), "by_cpu"),
    (lambda t: t.assign(by_memory=["7", 1, 2, 3]), "by_memory"),
    (lambda t: t.assign(overhead_vcpu=[math.inf, 0, 0, 0]), "overhead_vcpu"),
    (lambda t: t.assign(limiting_resource=["disk", "cpu", "cpu", "cpu"]), "limiting_resource"),
    (lambda t: t.assign(platform=["bare_metal", "microvm", "gvisor_sandbox", "containers_on_host"]), "platform"),
    (lambda t: t.assign(platform=["microvm", "microvm", "gvisor_sandbox", "containers_on_host"]), "platform"),
    (lambda t: t.assign(platform_label=["", "a", "b", "c"]), "platform_label"),
    (lambda t: t.drop(columns="by_cpu"), "by_cpu"),
])
def test_require_density_table_names_the_parameter_and_column(change, column):
    with pytest.raises(ValueError, match=f"^table .*{column}"):
        arch.require_density_table("table", change(_good_table()))


@pytest.mark.parametrize("bad", [None, "table", [1, 2], _good_table().iloc[0:0]])
def test_require_density_table_rejects_non_tables(bad):
    with pytest.raises(ValueError, match="^table "):
        arch.require_density_table("table", bad)


def test_require_density_table_accepts_every_model_table():
    for app in [(1, 4), (0.25, 0.5), (8, 32)]:
        table = arch.density_table(**{**DEFAULTS, "app_vcpu": app[0], "app_memory_gib": app[1]})
        assert arch.require_density_table("table", table) is table
