"""Chapter 4 model (helpers.performance): known answers from the raw data, properties, bad input for every parameter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import architecture as arch
from helpers import cost
from helpers import performance as pf
from helpers.claims import claims_for
from helpers.data import load

ZERO = {r: 0.0 for r in pf.RESOURCES}
ALL_CPU = {"cpu": 1.0, "memory": 0.0, "storage": 0.0, "network": 0.0}
KVM = pf.measured_overheads("kvm")
WEB = pf.WORKLOAD_MIXES["Web / API service"]
BAD_NUMBERS = [True, "0.1", None, float("nan"), float("inf"), -0.1, [0.1]]


# ------------------------------------------------------------------------------------------ known answers
def test_felter_ratios_computed_by_hand():
    kvm, docker, untuned = (pf.benchmark_ratios(p) for p in ("kvm", "docker", "kvm_untuned"))
    # Linpack: means of 10 trials from linpack.xlsx / the logs
    assert kvm["linpack"] == pytest.approx(284.19874 / 290.82864) == pytest.approx(0.9772, abs=1e-4)
    assert untuned["linpack"] == pytest.approx(130.28326 / 290.82864) == pytest.approx(0.4480, abs=1e-4)
    assert docker["linpack"] == pytest.approx(290.86775 / 290.82864)
    # fio: IOPS from the authors' spreadsheet
    assert kvm["fio_randread"] == pytest.approx(46173 / 84044) == pytest.approx(0.5494, abs=1e-4)
    assert kvm["fio_randwrite"] == pytest.approx(59321 / 112034)
    assert docker["fio_randread"] == pytest.approx(84092 / 84044)
    # netperf: a time, so native / value; equals the ratio of the transaction rates
    assert kvm["netperf_tcp_rr"] == pytest.approx(14718.59 / 26608.44, rel=1e-5)
    # STREAM Triad and RandomAccess (one socket: nested paging)
    assert kvm["stream_triad"] == pytest.approx(45.0213 / 45.6003)
    assert kvm["randomaccess_1s"] == pytest.approx(0.0393632655 / 0.0457918159) == pytest.approx(0.860, abs=1e-3)
    # Redis GET, our means of the logs
    assert kvm["redis_get_1client"] == pytest.approx(9390.5 / 16421.1)


def test_relative_performance_adds_native_ratio_and_overhead():
    frame = pf.relative_performance()
    assert {"native_value", "relative", "overhead"} <= set(frame.columns)
    native = frame[frame["platform"] == "native"]
    assert (native["relative"] == 1.0).all() and (native["overhead"] == 0.0).all()
    assert np.allclose(frame["relative"] + frame["overhead"], 1.0)
    assert len(frame) == len(pf.benchmarks())


def test_measured_overheads_use_the_representative_benchmarks():
    assert KVM["cpu"] == pytest.approx(1 - 284.19874 / 290.82864)
    assert KVM["memory"] == pytest.approx(1 - 45.0213 / 45.6003)
    assert KVM["storage"] == pytest.approx(1 - 46173 / 84044)
    assert KVM["network"] == pytest.approx(1 - 14718.59 / 26608.44, rel=1e-5)
    assert pf.measured_overheads("native") == ZERO
    docker = pf.measured_overheads("docker")
    assert docker["cpu"] == 0.0  # Docker's Linpack is 100.01 % of native: floored at 0
    assert docker["network"] == pytest.approx(1 - 16003.5 / 16421.1)  # no netperf for Docker: Redis, 1 client
    untuned = pf.measured_overheads("kvm_untuned")
    assert untuned["cpu"] == pytest.approx(1 - 130.28326 / 290.82864)
    assert untuned["storage"] == KVM["storage"]  # falls back to KVM where untuned KVM was not measured


def test_capacity_multiplier_known_answers():
    assert pf.capacity_multiplier(ZERO, WEB) == pytest.approx(1.0)
    assert pf.capacity_multiplier({**ZERO, "cpu": 0.5}, ALL_CPU) == pytest.approx(2.0)
    half = {"cpu": 0.5, "memory": 0.0, "storage": 0.5, "network": 0.0}
    assert pf.capacity_multiplier({**ZERO, "cpu": 0.2, "storage": 0.5}, half) == pytest.approx(0.5 / 0.8 + 0.5 / 0.5)
    assert pf.capacity_multiplier(ZERO, ALL_CPU, cpu_steal=0.5) == pytest.approx(2.0)
    # overhead and steal compound: (1 - 0.2) x (1 - 0.5) = 0.4 of the CPU is left
    assert pf.capacity_multiplier({**ZERO, "cpu": 0.2}, ALL_CPU, cpu_steal=0.5) == pytest.approx(2.5)
    # the web mix at KVM's measured overheads, by hand
    expected = 0.5 / (1 - KVM["cpu"]) + 0.1 / (1 - KVM["memory"]) + 0.1 / (1 - KVM["storage"]) + 0.3 / (1 - KVM["network"])
    assert pf.capacity_multiplier(KVM, WEB) == pytest.approx(expected) == pytest.approx(1.3373, abs=1e-4)


def test_instances_needed_rounds_up():
    assert pf.instances_needed(100, 1.337) == 134
    assert pf.instances_needed(100, 1.0) == 100
    assert pf.instances_needed(0, 2.0) == 0


# ------------------------------------------------------------------------------------------ properties
@pytest.mark.parametrize("resource", pf.RESOURCES)
def test_multiplier_grows_with_each_overhead_it_uses(resource):
    mix = {r: 0.25 for r in pf.RESOURCES}
    values = [pf.capacity_multiplier({**ZERO, resource: o}, mix) for o in (0.0, 0.1, 0.3, 0.6, 0.95)]
    assert values[0] == pytest.approx(1.0)
    assert all(later > earlier for earlier, later in zip(values, values[1:]))


def test_an_unused_resource_does_not_matter():
    assert pf.capacity_multiplier({**ZERO, "storage": 0.9}, ALL_CPU) == pytest.approx(1.0)


def test_multiplier_is_between_the_smallest_and_largest_stretch():
    rng = np.random.default_rng(4)
    for _ in range(50):
        overheads = dict(zip(pf.RESOURCES, rng.uniform(0, 0.9, 4)))
        shares = rng.dirichlet(np.ones(4))
        mix = dict(zip(pf.RESOURCES, shares / shares.sum()))
        mix["network"] = 1.0 - mix["cpu"] - mix["memory"] - mix["storage"]
        value = pf.capacity_multiplier(overheads, mix)
        stretches = [1 / (1 - overheads[r]) for r in pf.RESOURCES]
        assert min(stretches) - 1e-9 <= value <= max(stretches) + 1e-9


def test_every_workload_mix_sums_to_one():
    for name, mix in pf.WORKLOAD_MIXES.items():
        assert set(mix) == set(pf.RESOURCES), name
        assert math.isclose(sum(mix.values()), 1.0), name


def test_fleet_comparison_bare_metal_ignores_the_overheads():
    light = pf.fleet_comparison(overheads=ZERO, mix=WEB, platform="microvm")
    heavy = pf.fleet_comparison(overheads={r: 0.5 for r in pf.RESOURCES}, mix=WEB, platform="microvm")
    pd.testing.assert_series_equal(light.iloc[0], heavy.iloc[0])
    assert heavy.attrs["multiplier"] == pytest.approx(2.0)
    assert heavy.iloc[1]["peak_instances"] >= 2 * light.iloc[1]["peak_instances"] - 1


def test_fleet_hosts_and_costs_grow_with_the_overhead():
    previous = None
    for storage in (0.0, 0.2, 0.45, 0.6):
        row = pf.fleet_comparison(overheads={**KVM, "storage": storage}, mix=pf.WORKLOAD_MIXES["OLTP database"],
                                  platform="type1_hypervisor").iloc[1]
        if previous is not None:
            assert row["hosts"] >= previous["hosts"]
            for option in ("on-premises", "on-demand", "savings plan", "spot"):
                assert row[f"{option}_usd_per_month"] >= previous[f"{option}_usd_per_month"]
        previous = row


def test_cloud_cost_is_proportional_to_instance_hours():
    table = pf.fleet_comparison(overheads=KVM, mix=WEB, platform="type1_hypervisor")
    hours = table["instance_hours_per_month"]
    cost_ratio = table["on-demand_usd_per_month"].iloc[1] / table["on-demand_usd_per_month"].iloc[0]
    assert cost_ratio == pytest.approx(hours.iloc[1] / hours.iloc[0])


def test_adapter_takes_density_and_cost_from_their_models(monkeypatch):
    calls = []
    original_table, original_cost = arch.density_table, cost.monthly_cost_by_option

    def counting_table(**kwargs):
        calls.append(("density_table", kwargs))
        return original_table(**kwargs)

    def counting_cost(demand, **kwargs):
        calls.append(("monthly_cost_by_option", kwargs))
        return original_cost(demand, **kwargs)

    monkeypatch.setattr(arch, "density_table", counting_table)
    monkeypatch.setattr(cost, "monthly_cost_by_option", counting_cost)
    fleet = pf.fleet_through_models(native_instances=500, multiplier=1.2, platform="type1_hypervisor")
    names = [name for name, _ in calls]
    assert names == ["density_table", "monthly_cost_by_option"]
    # the density model at its own defaults (host reserve, guest OS, no overcommit), for the cost model's server
    arguments = calls[0][1]
    assert arguments == {**arch.density_defaults(), **pf.HOST, **pf.APP}
    assert arguments["host_reserved_vcpu"] > 0 and arguments["host_reserved_memory_mib"] > 0
    expected = original_table(**arguments).set_index("platform").loc["type1_hypervisor", "instances_per_host"]
    assert fleet["instances_per_host"] == expected
    assert calls[1][1]["vms_per_host"] == expected
    assert fleet["hosts"] == cost.hosts_needed(fleet["peak_instances"], expected)
    # bare metal: the cost model's own vms_per_host, not recomputed here
    calls.clear()
    bare = pf.fleet_through_models(native_instances=500, multiplier=1.0, platform=None)
    assert [name for name, _ in calls] == ["monthly_cost_by_option"] and "vms_per_host" in calls[0][1]
    assert bare["instances_per_host"] == cost.default_parameters()["vms_per_host"] == 192


def test_host_and_app_are_the_cost_models_server_and_vm():
    """HOST and APP are read from the cost model (its server class and unit of capacity), not restated: through
    the density model, with no per-instance overhead and no reserve, they give exactly its vms_per_host."""
    spec = cost.server_spec()
    assert pf.HOST == {"host_cores": spec["cores"], "threads_per_core": spec["threads_per_core"],
                       "host_memory_gib": spec["memory_gib"]}
    assert pf.APP == {"app_vcpu": cost.VM_VCPUS, "app_memory_gib": cost.VM_MEMORY_GIB}
    fit = arch.instances_per_host(**pf.HOST, **pf.APP)
    assert fit["instances"] == fit["by_cpu"] == fit["by_memory"] == cost.default_parameters()["vms_per_host"]
    assert "EPYC 9654" in cost.DEFAULT_SERVER and pf.DEFAULT_FLEET_INSTANCES == cost.DEFAULT_FLEET_VMS


def test_the_cost_models_vm_shape_is_the_m5_large_of_its_price_table():
    m5 = cost.cloud_price_table().query("instance_type == 'm5.large'")
    assert set(m5["vcpu"]) == {cost.VM_VCPUS} and set(m5["memory_gib"]) == {cost.VM_MEMORY_GIB}


def test_platform_density_includes_chapter_2s_reserve_and_microvm_cpu():
    """The figures notebooks/04_performance.ipynb quotes in 'What an overhead costs a fleet'."""
    defaults = arch.density_defaults()
    assert (defaults["host_reserved_vcpu"], defaults["host_reserved_memory_mib"]) == (2.0, 360.0)
    full_vm = pf.fleet_comparison(overheads=ZERO, mix=WEB, platform="type1_hypervisor")
    assert full_vm.iloc[1]["instances_per_host"] == 175  # memory-bound: 8 GiB + 762 MiB of guest OS and VMM
    table = pf.fleet_comparison(overheads=ZERO, mix=WEB, platform="microvm")
    # the VMM's own CPU defaults to 0 (a floor): the microVM is memory-bound, its guest kernel and VMM memory
    assert table.iloc[1]["instances_per_host"] == 189
    assert arch.density_table(**{**defaults, **pf.HOST, **pf.APP}).set_index("platform").loc[
        "microvm", "limiting_resource"] == "memory"
    # with 0.25 vCPU for its VMM (the Kubernetes Pod Overhead example): 382 vCPUs / 2.25 = 169, CPU-bound
    density = arch.density_table(**{**defaults, **pf.HOST, **pf.APP, "vmm_cpu_vcpu": 0.25}).set_index("platform")
    assert (density.loc["microvm", "instances_per_host"], density.loc["microvm", "limiting_resource"]) == (169, "cpu")
    table = pf.fleet_comparison(overheads=ZERO, mix=WEB, platform="containers_on_host")
    # no overhead, no multiplier: only the reserve separates the container host from bare metal (191 vs 192)
    assert list(table["instances_per_host"]) == [192, 191]


def test_fleet_demand_is_the_cost_models_profile_scaled_and_rounded_up():
    fleet = pf.fleet_through_models(native_instances=300, multiplier=1.5, platform="microvm")
    native = cost.demand_profile(days=30, baseline_instances=300, seed=0)
    assert np.array_equal(fleet["demand"], np.ceil(native * 1.5 - 1e-9))
    assert fleet["instance_hours"] == pytest.approx(float(fleet["demand"].sum()))


# ------------------------------------------------------------------------------------------ data and article
def test_ladder_is_sorted_and_ranges_bracket_the_figure():
    ladder = pf.latency_ladder()
    assert list(ladder["latency_us"]) == sorted(ladder["latency_us"])
    ranged = ladder.dropna(subset=["low_us", "high_us"])
    assert ((ranged["low_us"] <= ranged["latency_us"]) & (ranged["latency_us"] <= ranged["high_us"])).all()
    assert ladder["rung_id"].is_unique and ladder["chart_label"].str.len().le(28).all()
    # our 2026 measurement: a VM exit costs an order of magnitude more than a system call
    by_id = ladder.set_index("rung_id")["latency_us"]
    assert by_id["vm-exit-cpuid"] / by_id["syscall"] > 10


def test_scale_thresholds_are_the_documented_ones():
    table = pf.scale_thresholds().set_index("threshold_id")["value"]
    assert table["k8s-nodes"] == 5000 and table["k8s-pods-per-node"] == 110
    assert table["k8s-pods"] == 150_000 and table["k8s-containers"] == 300_000
    assert table["gke-nodes"] == 65_000


def test_every_cell_of_the_articles_performance_table_is_a_claim_with_a_verdict(article_text):
    claims = load("claims").set_index("claim_id")  # the CPU utilisation row is chapter 3's resources-12
    table = pf.article_performance_table()
    assert len(table) == 4
    for row in pf.ARTICLE_PERFORMANCE_TABLE:
        for column in ("vm_claim", "container_claim"):
            claim = claims.loc[row[column]]
            assert claim["claim_zh"] in article_text and row["metric_zh"] in claim["claim_zh"]
            assert claim["verdict"] in ("correct", "wrong", "misleading", "unverifiable")
    assert set(table["verdict (VM)"]) | set(table["verdict (container)"]) <= {"wrong", "misleading"}


def test_the_cpu_utilisation_row_is_chapter_3s_one_claim():
    """The article's CPU utilisation row (both cells) is resources-12, taught in chapter 3, not a second claim here."""
    row = pf.ARTICLE_PERFORMANCE_TABLE[0]
    assert row["metric_zh"] == "CPU利用率" and row["vm_claim"] == row["container_claim"] == "resources-12"
    assert not claims_for("performance")["claim_zh"].str.contains("CPU利用率").any()
    assert pf.article_performance_table().iloc[0]["claims"] == "resources-12"


def test_article_latencies_match_the_article(article_text):
    assert "内存延迟 | 50-100μs | 20-30μs" in article_text and "网络延迟 | 100-500ms | 20-100ms" in article_text
    assert pf.ARTICLE_MEMORY_LATENCY_US == {"vm": (50.0, 100.0), "container": (20.0, 30.0)}
    assert pf.ARTICLE_NETWORK_LATENCY_US["vm"] == (100_000.0, 500_000.0)


# ------------------------------------------------------------------------------------------ bad input
def good_table() -> pd.DataFrame:
    return pf.benchmarks()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns="value"), "column 'value' is missing"),
        (lambda t: t.assign(platform=t["platform"].replace("kvm", "vmware")), "column 'platform'"),
        (lambda t: t.assign(resource=t["resource"].replace("cpu", "gpu")), "column 'resource'"),
        (lambda t: t.assign(value=t["value"].astype(object).where(t.index != 3, True)), "column 'value'"),
        (lambda t: t.assign(value=t["value"].where(t.index != 3, np.nan)), "column 'value'"),
        (lambda t: t.assign(value=t["value"].where(t.index != 3, np.inf)), "column 'value'"),
        (lambda t: t.assign(value=t["value"].where(t.index != 3, -1.0)), "column 'value'"),
        (lambda t: t.assign(value=t["value"].astype(object).where(t.index != 3, "fast")), "column 'value'"),
        (lambda t: t.assign(higher_is_better=t["higher_is_better"].astype(object).where(t.index != 0, "yes")),
         "column 'higher_is_better'"),
        (lambda t: t.assign(benchmark_id=t["benchmark_id"].astype(object).where(t.index != 0, 7)), "column 'benchmark_id'"),
        (lambda t: pd.concat([t, t.iloc[[0]]]), "duplicate key"),
        (lambda t: t[t["platform"] != "native"], "needs a 'native' row"),
        (lambda t: t.iloc[0:0], "at least 1 row"),
    ],
)
def test_bad_benchmark_tables_are_refused_naming_the_column(change, message):
    with pytest.raises(ValueError, match=message):
        pf.relative_performance(change(good_table()))
    with pytest.raises(ValueError, match="table"):
        pf.validate_benchmarks(change(good_table()))


@pytest.mark.parametrize("bad", ["table", [1, 2], {"value": [1]}, 3])
def test_non_dataframe_tables_are_refused(bad):
    with pytest.raises(ValueError, match="table must be a table \\(pandas DataFrame\\)"):
        pf.relative_performance(bad)


@pytest.mark.parametrize("function", [pf.benchmark_ratios, pf.measured_overheads])
@pytest.mark.parametrize("bad", ["vmware", "", None, 3, True])
def test_bad_platform_names_the_parameter(function, bad):
    with pytest.raises(ValueError, match="platform must be one of"):
        function(bad)


@pytest.mark.parametrize("resource", pf.RESOURCES)
@pytest.mark.parametrize("bad", BAD_NUMBERS + [0.96, 1.0])
def test_bad_overheads_name_the_resource(resource, bad):
    with pytest.raises(ValueError, match=rf"overheads\['{resource}'\]"):
        pf.capacity_multiplier({**ZERO, resource: bad}, WEB)


@pytest.mark.parametrize("resource", pf.RESOURCES)
@pytest.mark.parametrize("bad", BAD_NUMBERS + [1.5])
def test_bad_mix_values_name_the_resource(resource, bad):
    with pytest.raises(ValueError, match=rf"mix\['{resource}'\]"):
        pf.capacity_multiplier(ZERO, {**WEB, resource: bad})


@pytest.mark.parametrize(
    ("overheads", "mix", "message"),
    [
        ([0.1, 0.1, 0.1, 0.1], WEB, "overheads must be a mapping"),
        ({"cpu": 0.1}, WEB, "overheads must have exactly the keys"),
        ({**ZERO, "gpu": 0.1}, WEB, "overheads: every name must be one of"),
        (ZERO, "web", "mix must be a mapping"),
        (ZERO, {**WEB, "cpu": 0.6}, "mix must sum to 1"),
        (ZERO, {r: 0.0 for r in pf.RESOURCES}, "mix must sum to 1"),
    ],
)
def test_bad_overhead_and_mix_shapes(overheads, mix, message):
    with pytest.raises(ValueError, match=message):
        pf.capacity_multiplier(overheads, mix)


@pytest.mark.parametrize("bad", BAD_NUMBERS + [0.95])
def test_bad_cpu_steal(bad):
    with pytest.raises(ValueError, match="cpu_steal"):
        pf.capacity_multiplier(ZERO, WEB, cpu_steal=bad)


@pytest.mark.parametrize("bad", [True, "100", float("nan"), float("inf"), -1])
def test_bad_instances_needed_arguments(bad):
    with pytest.raises(ValueError, match="native_instances"):
        pf.instances_needed(bad, 1.2)
    with pytest.raises(ValueError, match="multiplier"):
        pf.instances_needed(100, bad)
    with pytest.raises(ValueError, match="multiplier"):
        pf.instances_needed(100, 0.5)


@pytest.mark.parametrize("bad", [True, "500", float("nan"), float("inf"), 0, -5, 2e6])
def test_bad_fleet_size(bad):
    with pytest.raises(ValueError, match="native_instances"):
        pf.fleet_through_models(native_instances=bad, multiplier=1.0, platform=None)
    with pytest.raises(ValueError, match="native_instances"):
        pf.fleet_comparison(overheads=ZERO, mix=WEB, platform="microvm", native_instances=bad)


@pytest.mark.parametrize("bad", [True, "1.2", float("nan"), float("inf"), 0.99])
def test_bad_fleet_multiplier(bad):
    with pytest.raises(ValueError, match="multiplier"):
        pf.fleet_through_models(native_instances=100, multiplier=bad, platform=None)


@pytest.mark.parametrize("bad", ["bare_metal", "vm", "", 3, True])
def test_bad_fleet_platform(bad):
    with pytest.raises(ValueError, match="platform must be one of"):
        pf.fleet_through_models(native_instances=100, multiplier=1.0, platform=bad)
    with pytest.raises(ValueError, match="platform must be one of"):
        pf.fleet_comparison(overheads=ZERO, mix=WEB, platform=bad)
