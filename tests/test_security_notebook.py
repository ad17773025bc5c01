"""Chapter 6 notebook: the hidden answers to the panel questions and the figures the prose quotes, from the models.

Each figure a reader sees in notebooks/06_security.ipynb's prose, panel answers or summary is recomputed here
from helpers.security, helpers.patching and helpers.recovery; change a model or its data and these fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import patching, recovery, security
from helpers.security_views import format_duration

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "06_security.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text())["cells"]


def _markdown() -> str:
    return "\n".join(cell["source"] for cell in _cells() if cell["cell_type"] == "markdown")


def _answers_after(panel_call: str) -> str:
    cells = _cells()
    index = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code"
                 and cell["source"].strip() == panel_call)
    following = cells[index + 1]
    assert following["cell_type"] == "markdown", panel_call
    assert "panel-answers" in following["metadata"].get("tags", []), "tagged 'panel-answers': student copies leave it out"
    text = following["source"]
    assert text.startswith("<details><summary>Answers to the panel questions") and text.rstrip().endswith("</details>")
    return text


def _n(value: float) -> str:
    return f"{value:,.0f}"


@pytest.mark.parametrize("panel_call", ["isolation_panel()", "patch_panel()", "recovery_panel()"])
def test_every_live_panel_is_followed_by_hidden_answers(panel_call):
    text = _answers_after(panel_call)
    assert all(f"\n{n}. " in text for n in (1, 2, 3))


def test_isolation_answers_follow_the_model():
    text = _answers_after("isolation_panel()")
    bare = security.escape_outcomes("containers_on_host")
    crossing = int((bare["outcome"] == "crosses").sum())
    assert f"{crossing} of the {len(bare)} cross" in text
    stopped = security.escape_outcomes("containers_on_host", ["seccomp"]).query("outcome == 'stopped'")
    assert f"Seccomp stops {len(stopped)}: " in text and all(cve in text for cve in stopped["cve_id"])
    in_vms = security.escape_outcomes("containers_in_vms").set_index("escape_id")
    crosses = set(in_vms.index[in_vms["outcome"] == "crosses"])
    assert crosses == {"spectre_v2", "l1tf", "kvm_nested_svm"} and f"{len(crosses)} still cross" in text
    hardened = security.escape_outcomes("containers_in_vms", security.DEFENCES).set_index("escape_id")
    assert set(hardened.index[hardened["outcome"] == "crosses"]) == {"spectre_v2"}
    micro = security.escape_outcomes("microvm").set_index("escape_id")["outcome"]
    assert micro["venom"] == micro["esxi_vmci"] == "not reachable" and micro["firecracker_vsock"] == "contained"


def _rollouts(**change) -> dict:
    values = {**patching.patch_defaults(), "fleet_hosts": 200, **change}
    values["fleet_hosts"] = int(values["fleet_hosts"])
    return patching.compare_rollouts(**values).set_index("strategy").to_dict("index")


def test_patch_answers_follow_the_model():
    text = _answers_after("patch_panel()")
    monthly, weekly = _rollouts(manual_window="monthly"), _rollouts()
    assert f"{_n(monthly['manual']['host_days_after_exploit'])} host-days after exploitation (from " \
           f"{_n(weekly['manual']['host_days_after_exploit'])} with weekly" in text
    early, late = _rollouts(exploit_day=0), _rollouts(exploit_day=30)
    for strategy in ("manual", "automated"):
        assert (f"from {_n(early[strategy]['host_days_after_exploit'])} to "
                f"{_n(late[strategy]['host_days_after_exploit'])}") in text
    change = {s: early[s]["host_days_after_exploit"] - late[s]["host_days_after_exploit"] for s in early}
    assert change["manual"] > change["automated"] and "the manual one changes more" in text
    big = _rollouts(fleet_hosts=2000)
    assert f"by day {big['manual']['median_days']:.0f} (from {weekly['manual']['median_days']:.0f})" in text
    assert big["automated"]["median_days"] == weekly["automated"]["median_days"]
    assert f"by day {big['automated']['median_days']:.1f} in both" in text


def test_recovery_answers_follow_the_model():
    text = _answers_after("recovery_panel()")
    defaults = recovery.recovery_defaults()

    def cloud(**change):
        return recovery.compare_setups(**{**defaults, **change}).set_index("setup").loc["replicated cloud"]

    sync, none = cloud(replication="synchronous"), cloud(replication="none")
    assert sync["rpo_s"] == 0 and f"still {format_duration(sync['rto_s'])} to recover" in text
    assert recovery.cheapest_tier_meeting(rpo_s=sync["rpo_s"], rto_s=sync["rto_s"]) == "multi_site"
    assert f"it loses {format_duration(none['rpo_s'])} and\n   is back in {format_duration(none['rto_s'])}" in text
    assert recovery.cheapest_tier_meeting(rpo_s=none["rpo_s"], rto_s=none["rto_s"]) == "warm_standby"
    corrupt = recovery.compare_setups(failure="data corruption", **defaults).set_index("setup")
    assert corrupt["rto_s"].nunique() == 1 and f"same {format_duration(corrupt['rto_s'].iloc[0])}" in text
    assert f"({format_duration(corrupt.loc['VM with snapshots', 'rpo_s'])})" in text
    assert f"loses only the {format_duration(corrupt.loc['replicated cloud', 'rpo_s'])}" in text
    table = recovery.recovery_parameters().set_index("name")
    lowest = cloud(detection_min=table.loc["detection_min", "minimum"],
                   failover_min=table.loc["failover_min", "minimum"])
    assert lowest["rto_s"] == 90 and "= 90 s, still above 60 s" in text
    assert "30 s × 3 = 90 s" in text and 30 * 3 > recovery.ARTICLE_RTO_CONTAINER_S


def test_prose_and_summary_quote_the_models():
    text = _markdown()
    counts = {p: (security.outcome_counts(p)["crosses"], security.outcome_counts(p, security.DEFENCES)["crosses"])
              for p in security.PLATFORMS}
    total = len(security.escapes())
    assert f"Of {total} published escapes (2015-2025), {counts['containers_on_host'][0]} crossed" in text
    assert f"and {counts['containers_on_host'][1]} still did with seccomp" in text
    assert f"{counts['containers_in_vms'][0]} crossed (two CPU flaws and a KVM breakout), " \
           f"{counts['containers_in_vms'][1]} with every defence on" in text
    assert counts["microvm"] == counts["containers_in_vms"]
    assert f"A full QEMU or ESXi VM let {counts['type1_hypervisor'][0]} cross" in text
    own_kernel = [counts[p][0] for p in security.PLATFORMS if p != "containers_on_host"]
    assert f"lets {min(own_kernel)} to {max(own_kernel)} cross" in text
    # recovery
    defaults = recovery.recovery_defaults()
    corrupt = recovery.compare_setups(failure="data corruption", **defaults).set_index("setup")
    assert f"the cloud\ndatabase {format_duration(corrupt.loc['replicated cloud', 'rpo_s'])}" in text
    assert f"the VM loses {format_duration(corrupt.loc['VM with snapshots', 'rpo_s'])} of data" in text
    assert f"median {recovery.RANSOMWARE_DWELL_DAYS:.0f} days" in text
    # DR tiers on the fleet's data
    costs = recovery.dr_tier_costs().set_index("tier")
    data = recovery.fleet_data_gib()
    assert f"{data:,.0f} GiB" in text and f"{_n(costs.loc['backup_restore', 'total_usd_per_month'])} USD a month" in text
    assert f"{costs.loc['backup_restore', 'share_of_production'] * 100:.0f} % of production" in text
    assert f"{_n(round(costs.loc['pilot_light', 'total_usd_per_month'], -2))} for pilot light " \
           f"({costs.loc['pilot_light', 'share_of_production'] * 100:.0f} % of production)" in text
    assert f"{_n(round(costs.loc['warm_standby', 'total_usd_per_month'], -2))} for warm standby" in text
    assert f"{_n(round(costs.loc['multi_site', 'total_usd_per_month'], -3))} for multi-site" in text
    small = recovery.dr_tier_costs(data_gib=500).set_index("tier")
    assert f"would have cost {_n(small.loc['backup_restore', 'total_usd_per_month'])}" in text
    # exercise 6's reasoning
    assert recovery.cheapest_tier_meeting(rpo_s=300, rto_s=1800) == "warm_standby"
    assert f"about {_n(round(costs.loc['warm_standby', 'total_usd_per_month'], -2))} USD a month" in text
    # Fargate's retirement wait and the interface counts come from sourced data / chapter 2
    assert "0, 7 or 14 days, 7 by\ndefault" in text
    assert "about 70" not in text and "~70" not in text


def test_exercise_5_has_one_right_answer():
    """Lambda also runs container images: the prompt fixes the packaging, so only Fargate fits."""
    cells = _cells()
    prompt = next(cell["source"] for cell in cells if cell["source"].startswith("**5. Whose patch is the kernel?"))
    assert "container image" in prompt and "managed runtime" in prompt
    who = security.shared_responsibility().pivot(index="service_model", columns="layer", values="patched_by")
    fits = who[(who["guest_os"] == "provider") & (who["language_runtime"] == "customer")]
    assert list(fits.index) == ["serverless_containers"]
