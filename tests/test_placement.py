"""Chapter 3's placement model: known packings by hand, the FFD bound, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import placement as pl


def items(cpu, memory=None):
    cpu = [float(c) for c in cpu]
    return pd.DataFrame({"vcpu": cpu, "memory_gib": [0.0] * len(cpu) if memory is None else memory})


ONE_D = dict(host_vcpu=10, host_memory_gib=1)


def test_known_packings_by_hand():
    # decreasing: 6 | 5 5 | 4 -> the 4 joins the 6: two hosts for every rule
    for algorithm in pl.ALGORITHMS:
        assert pl.pack(items([6, 5, 5, 4]), algorithm=algorithm, **ONE_D).tolist() == [0, 1, 1, 0]
    # in arrival order 5, 7, 3, 5 the rules differ
    arrivals = items([5, 7, 3, 5])
    assert pl.pack(arrivals, algorithm="first-fit", order="arrival", **ONE_D).tolist() == [0, 1, 0, 2]
    assert pl.pack(arrivals, algorithm="best-fit", order="arrival", **ONE_D).tolist() == [0, 1, 1, 0]
    assert pl.pack(arrivals, algorithm="worst-fit", order="arrival", **ONE_D).tolist() == [0, 1, 0, 2]


def test_fixed_cluster_spreads_or_leaves_items_pending():
    spread = pl.pack(items([2, 2, 2]), algorithm="worst-fit", cluster_hosts=3, **ONE_D)
    packed = pl.pack(items([2, 2, 2]), algorithm="first-fit", cluster_hosts=3, **ONE_D)
    assert sorted(spread.tolist()) == [0, 1, 2] and packed.tolist() == [0, 0, 0]
    assert pl.pack(items([6, 6, 6]), cluster_hosts=2, **ONE_D).tolist() == [0, 1, -1]
    summary = pl.placement_summary(items([6, 6, 6]), cluster_hosts=2, **ONE_D).set_index("algorithm")
    assert (summary["pending"] == 1).all() and (summary["hosts"] == 2).all()


def test_lower_bound_known_answers():
    assert pl.lower_bound(items([60, 60, 10]), host_vcpu=100, host_memory_gib=1) == 2  # two items over half a host
    assert pl.lower_bound(items([30, 30, 30, 30]), host_vcpu=100, host_memory_gib=1) == 2  # 120 vCPU
    two_d = items([1, 1, 1], memory=[60, 60, 60])
    assert pl.lower_bound(two_d, host_vcpu=100, host_memory_gib=100) == 3  # memory decides
    assert pl.lower_bound(two_d, host_vcpu=100, host_memory_gib=100, memory_overcommit=2) == 1  # 180 <= 200 GiB


def test_usage_stranded_and_fragmentation_by_hand():
    # one host: 8 of 10 vCPU and all 4 GiB used -> 2 vCPU stranded (no memory left for any item)
    two_d = items([4, 4], memory=[2, 2])
    where = pl.pack(two_d, host_vcpu=10, host_memory_gib=4)
    usage = pl.host_usage(two_d, where, host_vcpu=10, host_memory_gib=4)
    assert usage[["items", "vcpu_allocated", "memory_gib_allocated"]].values.tolist() == [[2, 8, 4]]
    assert usage["vcpu_stranded"].tolist() == [2] and usage["memory_gib_stranded"].tolist() == [0]
    summary = pl.placement_summary(two_d, host_vcpu=10, host_memory_gib=4).iloc[0]
    assert summary["cpu_allocated_share"] == pytest.approx(0.8) and summary["memory_allocated_share"] == 1
    assert summary["fragmentation"] == 0  # nothing of the probe's size fits, pooled or not
    # 7 | 7 | 4 on 10-vCPU hosts leaves 3 + 3 + 6 free: the probe (the median item, 7 vCPU) fits the pooled
    # 12 vCPU once but no single host: fragmentation 1
    spread = items([7, 7, 4], memory=[0.1, 0.1, 0.1])
    frag = pl.placement_summary(spread, host_vcpu=10, host_memory_gib=10, algorithms=("first-fit",)).iloc[0]
    assert frag["hosts"] == 3 and frag["fragmentation"] == pytest.approx(1.0)


def perfect_packing(rng, bins: int) -> pd.DataFrame:
    """Items that fill ``bins`` hosts of 1 vCPU exactly (so OPT = bins)."""
    sizes = []
    for _ in range(bins):
        cuts = np.sort(rng.uniform(0, 1, rng.integers(1, 6)))
        sizes += np.diff(np.concatenate([[0], cuts, [1]])).tolist()
    sizes = [s for s in sizes if s > 1e-6]
    rng.shuffle(sizes)
    return items(sizes)


@pytest.mark.parametrize("seed", range(20))
def test_ffd_never_exceeds_doesas_bound_and_no_rule_beats_the_lower_bound(seed):
    rng = np.random.default_rng(seed)
    bins = int(rng.integers(1, 40))
    work = perfect_packing(rng, bins)
    a, b = pl.FFD_BOUND
    for algorithm in pl.ALGORITHMS:
        hosts = int(pl.pack(work, host_vcpu=1, host_memory_gib=1, algorithm=algorithm).max()) + 1
        assert hosts >= pl.lower_bound(work, host_vcpu=1, host_memory_gib=1)
        if algorithm == "first-fit":
            assert hosts <= a * bins + b + 1e-9


@pytest.mark.parametrize("mix", pl.MIXES)
@pytest.mark.parametrize("order", pl.ORDERS)
def test_every_placement_respects_capacity(mix, order):
    work = pl.workload(mix, 200, seed=1)
    for algorithm in pl.ALGORITHMS:
        where = pl.pack(work, host_vcpu=96, host_memory_gib=384, algorithm=algorithm, order=order)
        usage = pl.host_usage(work, where, host_vcpu=96, host_memory_gib=384)
        assert (usage["cpu_share"] <= 1 + 1e-9).all() and (usage["memory_share"] <= 1 + 1e-9).all()
        assert usage["items"].sum() == len(work) and (usage["items"] > 0).all()


def test_workload_is_seeded_and_follows_the_weights():
    a = pl.workload("vms", 100, seed=2)
    assert a.equals(pl.workload("vms", 100, seed=2)) and not a.equals(pl.workload("vms", 100, seed=3))
    assert set(a["kind"]) == {"vm"} and set(pl.workload("containers", 50)["kind"]) == {"container"}
    assert set(pl.workload("mixed", 200)["kind"]) == {"vm", "container"}
    big = pl.workload("vms", 5000, seed=0)
    shapes = pl.placement_shapes("vm")
    expected = (shapes["vcpu"] * shapes["weight"]).sum() / shapes["weight"].sum()
    assert expected == pytest.approx(2.36)
    assert big["vcpu"].mean() == pytest.approx(expected, rel=0.05)


def test_spreading_keeps_every_host_of_a_cluster_busy():
    work = pl.workload("vms", 300, seed=0)
    bound = pl.lower_bound(work, host_vcpu=96, host_memory_gib=384)
    cluster = math.ceil(bound * 1.25)
    summary = pl.placement_summary(work, host_vcpu=96, host_memory_gib=384, cluster_hosts=cluster).set_index(
        "algorithm")
    assert summary.loc["worst-fit", "hosts"] == cluster
    assert summary.loc["first-fit", "hosts"] < cluster
    assert summary.loc["worst-fit", "cpu_allocated_share"] < summary.loc["first-fit", "cpu_allocated_share"]


def test_host_shapes_come_from_the_data():
    assert pl.host_shapes()["m5-metal"] == (96.0, 384.0)
    assert set(pl.placement_shapes()["kind"]) == set(pl.SHAPE_KINDS)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"host_vcpu": 0}, "host_vcpu"), ({"host_vcpu": True}, "host_vcpu"), ({"host_vcpu": float("nan")}, "host_vcpu"),
    ({"host_memory_gib": float("inf")}, "host_memory_gib"), ({"host_memory_gib": "384"}, "host_memory_gib"),
    ({"cpu_overcommit": 0.5}, "cpu_overcommit"), ({"memory_overcommit": 5}, "memory_overcommit"),
    ({"algorithm": "next-fit"}, "algorithm"), ({"order": "random"}, "order"), ({"cluster_hosts": 0}, "cluster_hosts"),
    ({"cluster_hosts": 2.5}, "cluster_hosts"), ({"cluster_hosts": True}, "cluster_hosts"),
])
def test_pack_rejects_bad_parameters_by_name(kwargs, name):
    arguments = {"host_vcpu": 96, "host_memory_gib": 384, **kwargs}
    with pytest.raises(ValueError, match=name):
        pl.pack(items([1, 2]), **arguments)


@pytest.mark.parametrize(("bad", "message"), [
    ([1, 2], "DataFrame"), (pd.DataFrame({"vcpu": [1.0]}), "memory_gib"),
    (pd.DataFrame({"vcpu": [True], "memory_gib": [1.0]}), "vcpu"),
    (pd.DataFrame({"vcpu": ["1"], "memory_gib": [1.0]}), "vcpu"),
    (pd.DataFrame({"vcpu": [-1.0], "memory_gib": [1.0]}), "vcpu"),
    (pd.DataFrame({"vcpu": [float("nan")], "memory_gib": [1.0]}), "vcpu"),
    (pd.DataFrame({"vcpu": [0.0], "memory_gib": [0.0]}), "some vCPU or memory"),
    (pd.DataFrame({"vcpu": [], "memory_gib": []}, dtype=float), "rows"),
    (pd.DataFrame({"vcpu": [200.0], "memory_gib": [1.0]}), "more than one host"),
])
def test_items_are_validated(bad, message):
    with pytest.raises(ValueError, match=message):
        pl.pack(bad, host_vcpu=96, host_memory_gib=384)


def test_other_bad_input():
    with pytest.raises(ValueError, match="mix"):
        pl.workload("gpus")
    with pytest.raises(ValueError, match="count"):
        pl.workload("vms", 0)
    with pytest.raises(ValueError, match="seed"):
        pl.workload("vms", 10, seed=-1)
    with pytest.raises(ValueError, match="kind"):
        pl.placement_shapes("gpu")
    with pytest.raises(ValueError, match="algorithms"):
        pl.placement_summary(items([1]), host_vcpu=2, host_memory_gib=2, algorithms="first-fit")
    with pytest.raises(ValueError, match="hosts must give"):
        pl.host_usage(items([1, 1]), np.array([0]), host_vcpu=2, host_memory_gib=2)
