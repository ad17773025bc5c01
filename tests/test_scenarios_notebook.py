"""Chapter 7's notebook: each live panel is followed by its questions and hidden answers, and the answers are true.

Every number and option an answer quotes is recomputed here from ``helpers.scenarios`` (the same functions the
panels draw), so an answer cannot drift from the model it is about.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import scenarios
from helpers.data import DATA_DIR, load

NOTEBOOK = DATA_DIR.parent / "notebooks" / "07_scenarios.ipynb"
ANSWERS_RE = re.compile(r"\A<details><summary>Answers \(open them after you have tried the panel\)</summary>\n\n"
                        r"(?P<body>.*?)\n</details>\Z", re.S)


def _cells() -> list[dict]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        cell["text"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return cells


def _answers() -> list[str]:
    """The answer texts, one per panel, in notebook order (newlines folded so phrases can span lines)."""
    cells = _cells()
    found = [c for c in cells if "panel-answers" in c["metadata"].get("tags", [])]
    return [" ".join(ANSWERS_RE.match(c["text"])["body"].split()) for c in found]


def _items(answer: str) -> list[str]:
    """The numbered answers (1., 2., 3.) of one answers cell."""
    return [part.strip() for part in re.split(r"(?:^| )\d\. ", answer) if part.strip()]


def test_every_panel_is_followed_by_questions_then_hidden_answers():
    cells = _cells()
    panels = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and re.search(r"\w+_panel\(\)", c["text"])]
    assert len(panels) == 2
    for i in panels:
        questions, answers = cells[i + 1], cells[i + 2]
        assert questions["cell_type"] == "markdown" and "**Questions to answer with the panel**" in questions["text"]
        n_questions = len(re.findall(r"^\d\. ", questions["text"], re.M))
        assert 2 <= n_questions <= 3
        assert answers["cell_type"] == "markdown" and answers["metadata"].get("tags") == ["panel-answers"]
        match = ANSWERS_RE.match(answers["text"])
        assert match, "answers are one closed <details> block"
        assert len(re.findall(r"^\d\. ", match["body"], re.M)) == n_questions, "one answer per question"
        assert "solution" not in answers["metadata"].get("tags", []), "panel answers are not exercise solutions"


def _ranking(weights, **facts):
    return scenarios.rank_options(weights, **facts).set_index("option")


def test_the_decision_panels_answers_are_the_models():
    q1, q2, q3 = _items(_answers()[0])
    # 1: Data sensitivity alone, then with Elasticity as a must.
    alone = {c: 0 for c in scenarios.CRITERIA} | {"data_sensitivity": 5}
    ranking = _ranking(alone)
    judged = scenarios.judged_scores().query("criterion == 'data_sensitivity'").set_index("option")["score"]
    assert ranking.index[0] == "on_prem_vms" and f"On-premises VMs lead with {ranking['total'].iloc[0]:.2f}" in q1
    assert (ranking["total"] == judged[ranking.index]).all(), "one criterion alone: the totals are its scores"
    assert judged["cloud_vms"] == judged["managed_containers"]
    assert (f"(hybrid {judged['hybrid']:.0f}, cloud VMs and containers {judged['cloud_vms']:.0f}, serverless "
            f"{judged['serverless']:.0f})") in q1
    must = alone | {"elasticity": 5}
    ranking = _ranking(must)
    assert ranking.loc["on_prem_vms", "ruled_out"] and ranking.index[-1] == "on_prem_vms"
    assert ranking.loc["on_prem_vms", "ruled_out_by"] == "elasticity"
    assert f"(here {ranking.loc['on_prem_vms', 'total']:.2f})" in q1
    assert ranking.index[:2].tolist() == ["serverless", "hybrid"] and ranking.loc["hybrid", "tied_with_leader"]
    assert f"Serverless ({ranking.loc['serverless', 'total']:.2f}) and hybrid ({ranking.loc['hybrid', 'total']:.2f})" in q1
    days = scenarios.model_input("hardware_lead_time_days")
    assert f"{days:.0f} days to new capacity" in q1
    # 2: every weight 3, Team skills a must.
    equal = {c: 3 for c in scenarios.CRITERIA}
    ranking = _ranking(equal | {"team_skills": 5})
    assert set(ranking.index[ranking["ruled_out"]]) == {"on_prem_vms", "hybrid"}
    layers = scenarios.patched_layers().set_index("option")
    for option in ("on_prem_vms", "hybrid"):
        assert layers.loc[option, "layers"] == layers.loc[option, "of_layers"]
    assert f"{layers.loc['hybrid', 'layers']} of the {layers.loc['hybrid', 'of_layers']} layers" in q2
    assert ranking.index[0] == "cloud_vms" and f"Cloud VMs lead with {ranking['total'].iloc[0]:.2f}" in q2
    # 3: the 100x campaign year at a quarter of a vCPU.
    facts = {"demand": "campaigns", "app_vcpu": 0.25}
    assert scenarios.demand_labels()["campaigns"] == "Quiet, then 100x for 2 weeks"
    bills = scenarios.annual_costs(**facts).set_index("option")["cost_usd_per_year"]
    assert bills.idxmin() == "managed_containers"
    for option in ("managed_containers", "serverless", "cloud_vms"):
        assert f"{bills[option] / 1e6:.2f} M" in q3
    density = scenarios.density_ratio(0.25)
    assert f"{density['containers_per_host']} containers on a host that holds {density['vms_per_host']} VMs" in q3
    ranking = _ranking(equal, **facts)
    assert ranking.index[0] == "cloud_vms" and ranking.index[1] == "managed_containers"
    assert not ranking.loc["managed_containers", "tied_with_leader"]
    assert (f"{ranking.loc['cloud_vms', 'total']:.2f} to {ranking.loc['managed_containers', 'total']:.2f}") in q3
    parts = scenarios.contributions(equal, **facts).pivot(index="criterion", columns="option", values="contribution")
    losses = parts["cloud_vms"] - parts["managed_containers"]
    named = {"licence": "Licence exposure", "legacy_os": "Legacy OS", "compliance": "Compliance",
             "steadiness": "Load steadiness"}
    assert set(losses[losses > 1e-9].index) - {"elasticity", "team_skills"} == set(named)
    assert all(label in q3 for label in named.values())


def test_the_sensitivity_panels_answers_are_the_models():
    q1, q2, q3 = _items(_answers()[1])
    # 1: the game server's Budget weight.
    weights, facts = scenarios.scenario_weights("game_server"), scenarios.scenario_facts("game_server")
    flips = scenarios.flip_points(weights, "budget", **facts)
    assert len(flips) == 1 and flips["leader_below"].iloc[0] == "cloud_vms"
    assert f"Below a Budget weight of {flips['weight'].iloc[0]:.2f} (the card has {weights['budget']})" in q1
    card = scenarios.scenario_card("game_server")
    assert any(r.startswith("On-premises VMs (0 on Elasticity)") for r in card["ruled_out"])
    assert weights["elasticity"] == scenarios.MUST_WEIGHT and "Elasticity is a must (5)" in q1
    for budget in range(0, 6):
        assert scenarios.rank_options(weights | {"budget": budget}, **facts)["option"].iloc[0] != "on_prem_vms"
    # 2: the financial core system's Data sensitivity.
    weights, facts = scenarios.scenario_weights("financial_core"), scenarios.scenario_facts("financial_core")
    flips = scenarios.flip_points(weights, "data_sensitivity", **facts)
    assert len(flips) == 1 and flips["leader_below"].iloc[0] == "cloud_vms" and flips["leader_above"].iloc[0] == "on_prem_vms"
    assert (f"Below a Data sensitivity weight of {flips['weight'].iloc[0]:.2f} (the card has "
            f"{weights['data_sensitivity']}), cloud VMs lead") in q2
    card = scenarios.scenario_card("financial_core")
    judged = scenarios.judged_scores().query("criterion == 'data_sensitivity'").set_index("option")["score"]
    assert card["reasons"][0].startswith(f"Data sensitivity (weight 5): {judged['on_prem_vms']:.1f} vs "
                                         f"{judged['cloud_vms']:.1f}")
    assert f"score {judged['on_prem_vms']:.0f} on it against cloud VMs' {judged['cloud_vms']:.0f}" in q2
    claim = load("claims").set_index("claim_id").loc["scenarios-08"]
    assert "EBA" in claim["correct_value"] and "claim scenarios-08" in q2
    # 3: real-time risk control's Load steadiness.
    weights, facts = scenarios.scenario_weights("risk_control"), scenarios.scenario_facts("risk_control")
    flips = scenarios.flip_points(weights, "steadiness", **facts)
    to_serverless = flips[flips["leader_below"] == "serverless"]
    assert len(to_serverless) == 1
    assert f"Below a Load steadiness weight of {to_serverless['weight'].iloc[0]:.2f} (the card has " \
           f"{weights['steadiness']})" in q3
    left_out = scenarios.scenario_card("risk_control")["left_out"]
    assert "10 ms latency budget" in left_out and "0.1-1 s" in left_out
    assert "10 ms latency budget" in q3 and "0.1-1 s" in q3 and "0.1-1 s" in left_out


def test_the_answer_check_can_fail():
    """The checks above read numbers out of the text: a changed number must break them."""
    answer = _answers()[1]
    broken = answer.replace("2.73", "2.74")
    assert broken != answer
    weights, facts = scenarios.scenario_weights("game_server"), scenarios.scenario_facts("game_server")
    flip = scenarios.flip_points(weights, "budget", **facts)["weight"].iloc[0]
    assert f"{flip:.2f}" not in _items(broken)[0]


def test_exercise_5s_reasoning_names_the_budget_scores_that_moved():
    """With VMware's licences the cheapest bill (hybrid's) rises, so cloud VMs' relative Budget score rises."""
    facts = scenarios.scenario_facts("financial_core")
    kvm = scenarios.cell_scores(**facts).set_index(["criterion", "option"])["score"]
    vmware = scenarios.cell_scores(**facts, preset="enterprise VMware").set_index(["criterion", "option"])["score"]
    assert abs(kvm["budget", "on_prem_vms"] - vmware["budget", "on_prem_vms"]) < 0.01, "hardly moves"
    for preset in ("open-source KVM", "enterprise VMware"):
        bills = scenarios.annual_costs(**facts, preset=preset).set_index("option")["cost_usd_per_year"]
        assert bills.idxmin() == "hybrid", "hybrid stays the cheapest"
    prose = " ".join(c["text"] for c in _cells() if "solution" in c["metadata"].get("tags", []))
    assert f"score higher ({kvm['budget', 'cloud_vms']:.2f} to {vmware['budget', 'cloud_vms']:.2f})" in " ".join(prose.split())
