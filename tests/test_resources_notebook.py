"""Chapter 3's prose and hidden panel answers say what the models compute (so an edit to a model or its data that
changes a quoted figure fails here, not in a classroom)."""

from __future__ import annotations

import math
import re

import pytest

from helpers import placement as pl
from helpers import resources as res
from helpers.startup import startup_time_s
from tests.conftest import NOTEBOOKS, read_notebook

NOTEBOOK = NOTEBOOKS / "03_resources.ipynb"


def _text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def panel_answers() -> list[str]:
    cells = read_notebook(NOTEBOOK)["cells"]
    return [_text(c) for c in cells if "panel-answers" in c.get("metadata", {}).get("tags", [])]


def pct(share: float) -> str:
    """A share as the notebook writes it: 0.715 -> "72 %"."""
    return f"{share * 100:.0f} %"


def reactive(**settings):
    return res.simulate_year(**settings).summary.set_index("strategy").loc["reactive"]


def test_each_panel_has_hidden_answers_after_its_questions():
    cells = read_notebook(NOTEBOOK)["cells"]
    answers = [i for i, c in enumerate(cells) if "panel-answers" in c.get("metadata", {}).get("tags", [])]
    assert len(answers) == 2, "one answers cell per panel (elasticity, placement)"
    for index in answers:
        text = _text(cells[index]).strip()
        assert cells[index]["cell_type"] == "markdown"
        assert re.fullmatch(r"<details><summary>[^<\d]+</summary>.*</details>", text, re.S), "a closed <details>"
        assert "**Questions to answer with the panel**" in _text(cells[index - 1])
        assert "solution" not in cells[index].get("metadata", {}).get("tags", [])  # not an exercise
    panels = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and re.search(r"_panel\(\)", _text(c))]
    assert [i + 1 for i in answers] == panels, "each answers cell sits right above its panel"


def test_elasticity_panel_answers_match_the_model():
    elasticity = panel_answers()[0]
    no_sale = res.strategy_costs(res.simulate_year(sale_multiplier=1)).set_index("strategy")["total_usd"]
    default = res.strategy_costs(res.simulate_year()).set_index("strategy")["total_usd"]
    assert f"**{no_sale['fixed_peak'] / no_sale['reactive']:.1f}x**" in elasticity
    assert f"{no_sale['fixed_peak'] / 1e3:.0f}k a year against {no_sale['reactive'] / 1e3:.0f}k" in elasticity
    assert f"instead of {default['fixed_peak'] / default['reactive']:.1f}x" in elasticity
    windows = startup_time_s("mao2012-ec2-windows")
    slow = reactive(startup_s=windows)
    assert f"**{slow['unserved_instance_hours']:.1f} instance-hours** ({slow['unserved_share'] * 100:.3f} %" in elasticity
    warm = reactive(startup_s=windows, warmup_s=600)
    assert f"**{warm['unserved_instance_hours']:.1f} instance-hours**" in elasticity
    firecracker = startup_time_s("firecracker-boot")
    hot, cool = reactive(startup_s=firecracker, target_utilization=0.9), reactive(startup_s=firecracker)
    assert f"**{hot['unserved_instance_hours']:.0f} instance-hours** unserved in {int(hot['hours_short']):,} hours" in elasticity
    assert f"(it had {cool['unserved_instance_hours']:.1f} at 0.6)" in elasticity
    assert f"from {cool['p99_latency_x']:.1f} to **{hot['p99_latency_x']:.0f} service times**" in elasticity
    base, hour, two = reactive(), reactive(cooldown_s=3600), reactive(cooldown_s=7200)
    assert hour["unserved_instance_hours"] == pytest.approx(base["unserved_instance_hours"])
    assert f"stays\n   {base['unserved_instance_hours']:.1f} instance-hours" in elasticity
    assert f"acts {int(hour['actions']):,} times instead of {int(base['actions']):,}" in elasticity
    assert f"**{two['unserved_instance_hours']:.0f} instance-hours**" in elasticity


def test_placement_panel_answers_match_the_model():
    placement = panel_answers()[1]
    vms = pl.workload("vms", 300, seed=0)
    host = dict(host_vcpu=96, host_memory_gib=384)
    bound = pl.lower_bound(vms, **host)
    cluster = pl.placement_summary(vms, cluster_hosts=math.ceil(1.25 * bound), **host).set_index("algorithm")
    assert f"fill **{cluster.loc['first-fit', 'hosts']} hosts** and leave " \
           f"{math.ceil(1.25 * bound) - cluster.loc['first-fit', 'hosts']} empty" in placement
    assert f"**all {math.ceil(1.25 * bound)}**, with **{pct(cluster.loc['worst-fit', 'cpu_allocated_share'])} of the CPU**" \
        in placement
    assert f"first-fit's {pct(cluster.loc['first-fit', 'cpu_allocated_share'])}" in placement
    containers = pl.workload("containers", 300, seed=0)
    small = pl.placement_summary(containers, host_vcpu=32, host_memory_gib=128).set_index("algorithm").loc["first-fit"]
    assert small["cpu_allocated_share"] > small["memory_allocated_share"]  # CPU runs out first
    assert f"so {int(small['hosts'])} hosts are full" in placement and f"**{small['memory_gib_stranded']:.0f} GiB**" in placement
    ratio = containers["memory_gib"].sum() / containers["vcpu"].sum()
    assert f"ask for {ratio:.1f} GiB per vCPU" in placement
    for count in (50, 300, 600):
        row = pl.placement_summary(pl.workload("vms", count, seed=0), **host).set_index("algorithm").loc["first-fit"]
        assert f"{int(row['hosts'])} for {int(row['lower_bound'])} at {count}" in placement
    hosts = {ratio: pl.placement_summary(vms, cpu_overcommit=ratio, **host).set_index("algorithm").loc["first-fit"]
             for ratio in (1.0, 1.5, 2.0, 4.0)}
    assert hosts[1.0]["hosts"] - hosts[1.5]["hosts"] == 1 and hosts[1.5]["hosts"] == hosts[2.0]["hosts"] == \
        hosts[4.0]["hosts"]
    assert f"({int(hosts[1.0]['hosts'])} to {int(hosts[1.5]['hosts'])})" in placement
    assert f"memory is already {pct(hosts[2.0]['memory_allocated_share'])} allocated" in placement
    assert f"the stranded vCPUs, {hosts[2.0]['vcpu_stranded']:.0f} at 2:1" in placement


def test_prose_figures_added_in_the_review_match_the_model():
    cells = read_notebook(NOTEBOOK)["cells"]
    prose = "\n".join(_text(c) for c in cells if c["cell_type"] == "markdown")
    vms = pl.workload("vms", 300, seed=0)
    shapes = pl.placement_shapes("vm")
    expected = float((shapes["vcpu"] * shapes["weight"]).sum() / shapes["weight"].sum())
    assert f"weights give {expected:.2f} vCPU per VM" in prose
    assert f"this draw of 300 averages {vms['vcpu'].mean():.2f}" in prose
    oversold = pl.placement_summary(vms, host_vcpu=96, host_memory_gib=384, cpu_overcommit=2.0).iloc[0]
    assert f"but {pct(oversold['memory_allocated_share'])} of their memory" in prose
