"""Chapter 7's decision model (helpers.scenarios): known answers by hand, properties, bad input, the data."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from helpers import cost, recovery, resources, scenarios as S, security, startup
from helpers.data import load

EQUAL = {criterion: 3 for criterion in S.CRITERIA}
LOG_DAY = math.log10(86_400)


# ------------------------------------------------------------------------------------------- the data

def test_every_judged_cell_has_a_score_a_reason_and_a_source():
    judged = S.judged_scores()
    assert len(judged) == len(S.JUDGED_CRITERIA) * len(S.OPTIONS) == 30
    assert judged["reason"].str.len().gt(40).all(), "a reason is a sentence, not a word"
    assert judged["source"].str.strip().str.len().gt(0).all() and judged["source_url"].str.len().gt(0).all()


def test_the_criteria_file_matches_the_model():
    table = S.criteria_table()
    assert tuple(table["criterion"]) == S.CRITERIA
    assert set(table.loc[table["scored_by"] == "model", "criterion"]) == set(S.MODEL_CRITERIA)
    assert table["label"].str.len().le(22).all(), "labels are control labels (<= 22 characters)"
    for function in table.loc[table["scored_by"] == "model", "model"]:
        assert function.startswith("helpers.scenarios.") and hasattr(S, function.rsplit(".", 1)[1])


def test_the_article_quotes_are_verbatim(article_text):
    for quote in S.scenario_table()["article_zh"]:
        assert quote in article_text
    for row in S.decision_table()["article_row_zh"]:
        assert row in article_text
    for word in S.criteria_table()["article_zh"].dropna():
        assert word in article_text


def test_the_decision_table_has_the_articles_three_rows_and_its_header_names_budget(article_text):
    table = S.decision_table()
    assert list(table["article_choice_zh"]) == ["虚拟机", "混合架构", "云服务器"]
    assert "需求复杂度 | 资源弹性需求 | 数据敏感性 | 预算约束" in article_text
    assert all(row.count(" | ") == 3 for row in table["article_row_zh"]), "three levels and an answer: no budget"


# ----------------------------------------------------------------------------- known answers by hand

def test_log_value_by_hand():
    assert S.log_value(1.0, full_s=1.0, zero_s=86_400) == 5.0
    assert S.log_value(0.2, full_s=1.0, zero_s=86_400) == 5.0
    assert S.log_value(86_400, full_s=1.0, zero_s=86_400) == 0.0
    assert S.log_value(1e6, full_s=1.0, zero_s=86_400) == 0.0
    assert S.log_value(96.9, full_s=1.0, zero_s=86_400) == pytest.approx(5 * (LOG_DAY - math.log10(96.9)) / LOG_DAY)
    assert S.log_value(96.9, full_s=1.0, zero_s=86_400) == pytest.approx(2.988, abs=0.001)
    # half-way in the logarithm is half the points: sqrt(1 x 86,400) s = 293.9 s
    assert S.log_value(math.sqrt(86_400), full_s=1.0, zero_s=86_400) == pytest.approx(2.5)


def test_capacity_times_come_from_chapter_3_and_the_startup_data():
    times = S.capacity_times().set_index("option")["time_s"]
    vm = startup.startup_time_s(resources.DEFAULT_STARTUP_ID)
    assert vm == pytest.approx(96.9)
    assert times["cloud_vms"] == vm and times["hybrid"] == vm
    assert times["managed_containers"] == pytest.approx(96.9 + 5.0)
    assert times["serverless"] == pytest.approx(0.316)
    assert times["on_prem_vms"] == pytest.approx(28 * 86_400)


def test_recovery_times_come_from_chapter_6():
    rto = S.recovery_times().set_index("option")
    # by hand (chapter 6): 15 min detection + 10 min servers + 500 GiB x 1,024 / 125 MiB/s = 900 + 600 + 4,096 s
    assert rto.loc["on_prem_vms", "rto_s"] == pytest.approx(5_596)
    assert rto.loc["on_prem_vms", "rpo_s"] == pytest.approx(3_600)
    # replicated: 15 min detection + 2 min failover; hybrid's pilot light: 15 + 12 min
    for option in ("cloud_vms", "managed_containers", "serverless"):
        assert rto.loc[option, "rto_s"] == pytest.approx(1_020)
    assert rto.loc["hybrid", "rto_s"] == pytest.approx(1_620)
    setups = recovery.compare_setups(**recovery.recovery_defaults()).set_index("setup")
    assert rto.loc["on_prem_vms", "rto_s"] == setups.loc[recovery.SETUPS[0], "rto_s"]


def test_patched_layers_come_from_chapter_6():
    layers = S.patched_layers().set_index("option")
    assert layers.loc["on_prem_vms", "layers"] == security.customer_patched_layers("on_premises_vms") == 7
    assert layers.loc["cloud_vms", "layers"] == security.customer_patched_layers("iaas_vm") == 5
    assert layers.loc["serverless", "layers"] == security.customer_patched_layers("functions") == 2
    assert layers.loc["hybrid", "layers"] == 7 and set(layers["of_layers"]) == {7}


def test_density_ratio_by_hand():
    # chapter 2's host: 36 cores - 2 reserved = 34 vCPU; a VM's vCPU is whole, a container's quota is not
    assert S.density_ratio(1.0) == {"vms_per_host": 34, "containers_per_host": 34, "ratio": 1.0}
    assert S.density_ratio(0.25) == {"vms_per_host": 34, "containers_per_host": 136, "ratio": 0.25}


def test_annual_costs_by_hand():
    costs = S.annual_costs("web_daily").set_index("option")["cost_usd_per_year"]
    simulation = resources.simulate_year(base_instances=1000, daily_swing=0.3, weekend_dip=0.2, noise=0.05,
                                         growth_per_year=0.2, sale_multiplier=1, sale_days=0, seed=0)
    rented = resources.strategy_costs(simulation).set_index("strategy")["total_usd"]
    assert costs["cloud_vms"] == pytest.approx(rented["reactive"])
    assert costs["hybrid"] == pytest.approx(rented["hybrid"])
    assert costs["managed_containers"] == pytest.approx(rented["reactive"] * 1.0 + 0.10 * 8760)
    lambda_hour = 2 * 1769 / 1024 * 3600 * 0.0000166667  # 2 vCPU of Lambda for an hour: about 0.207 USD
    assert costs["serverless"] == pytest.approx(simulation.demand.sum() * lambda_hour)
    capacity = float(simulation.summary.set_index("strategy").loc["fixed_peak", "peak_capacity"])
    owned = cost.monthly_cost_by_option(simulation.demand, capacity_instances=capacity)
    assert costs["on_prem_vms"] == pytest.approx(
        owned.loc[owned["option"] == cost.ON_PREMISES, "cost_usd_per_month"].sum() * 12)


def test_model_scores_by_hand():
    scores = S.model_scores("web_daily").set_index(["criterion", "option"])["score"]
    costs = S.annual_costs("web_daily").set_index("option")["cost_usd_per_year"]
    assert scores["budget", "cloud_vms"] == pytest.approx(5 * costs.min() / costs["cloud_vms"])
    assert scores["budget", "cloud_vms"] == pytest.approx(0.753, abs=0.001)
    assert scores["budget", costs.idxmin()] == 5.0
    assert scores["elasticity", "cloud_vms"] == pytest.approx(2.988, abs=0.001)
    assert scores["elasticity", "on_prem_vms"] == 0.0 and scores["elasticity", "serverless"] == 5.0
    assert scores["continuity", "on_prem_vms"] == pytest.approx(
        5 * (LOG_DAY - math.log10(5_596)) / (LOG_DAY - math.log10(60)))
    assert scores["continuity", "on_prem_vms"] == pytest.approx(1.882, abs=0.001)
    assert scores["team_skills", "cloud_vms"] == pytest.approx(5 * 2 / 7)
    assert scores["team_skills", "serverless"] == pytest.approx(5 * 5 / 7)


def test_the_total_is_the_weighted_average_of_the_cells():
    weights = {"budget": 4, "elasticity": 2, "legacy_os": 1}
    cells = S.cell_scores().set_index(["option", "criterion"])["score"]
    ranking = S.rank_options(weights).set_index("option")["total"]
    for option in S.OPTIONS:
        by_hand = sum(w * cells[option, c] for c, w in weights.items()) / 7
        assert ranking[option] == pytest.approx(by_hand)


def test_one_criterion_alone_ranks_by_its_scores():
    ranking = S.rank_options({"data_sensitivity": 5})
    assert list(ranking["option"]) == ["on_prem_vms", "hybrid", "cloud_vms", "managed_containers", "serverless"]
    assert list(ranking["total"]) == [5.0, 4.0, 3.0, 3.0, 2.0]
    assert list(ranking["rank"]) == [1, 2, 3, 3, 5], "equal totals share a rank"


def test_equal_weights_give_a_tie_between_hybrid_and_cloud_vms():
    ranking = S.rank_options(EQUAL)
    assert list(ranking["option"][:2]) == ["hybrid", "cloud_vms"]
    assert ranking["total"].iloc[0] == pytest.approx(3.07, abs=0.005)
    assert ranking["gap_to_leader"].iloc[1] == pytest.approx(0.05, abs=0.005)
    assert ranking["tied_with_leader"].iloc[1] and not ranking["tied_with_leader"].iloc[2]
    assert S.TIE_MARGIN == pytest.approx(0.1)


def test_a_zero_on_a_must_rules_an_option_out_whatever_its_total():
    weights = {**EQUAL, "team_skills": 5}
    ranking = S.rank_options(weights).set_index("option")
    assert set(ranking.index[ranking["ruled_out"]]) == {"on_prem_vms", "hybrid"}
    assert ranking.loc["hybrid", "ruled_out_by"] == "team_skills"
    assert ranking.loc["hybrid", "total"] > ranking.loc["serverless", "total"], "its total alone would rank it higher"
    assert ranking.loc["hybrid", "rank"] > ranking.loc["serverless", "rank"]
    # weight 4 is not a must: nothing is ruled out
    assert not S.rank_options({**EQUAL, "team_skills": 4})["ruled_out"].any()


def test_contributions_add_up_to_the_totals():
    weights = {**EQUAL, "budget": 5, "licence": 0}
    parts = S.contributions(weights).groupby("option")["contribution"].sum()
    totals = S.rank_options(weights).set_index("option")["total"]
    for option in S.OPTIONS:
        assert parts[option] == pytest.approx(totals[option])
    shares = S.weight_shares(weights)
    assert sum(shares.values()) == pytest.approx(1) and shares["licence"] == 0


def test_flip_points_are_exact_and_agree_with_a_fine_sweep():
    weights, facts = S.scenario_weights("factory_mes"), S.scenario_facts("factory_mes")
    flips = S.flip_points(weights, "budget", **facts)
    assert list(flips["leader_below"]) == ["cloud_vms", "on_prem_vms"]
    assert list(flips["leader_above"]) == ["on_prem_vms", "hybrid"]
    for flip in flips.itertuples():
        for delta, expected in ((-1e-6, flip.leader_below), (1e-6, flip.leader_above)):
            trial = {**weights, "budget": flip.weight + delta}
            assert S.rank_options(trial, **facts)["option"].iloc[0] == expected
    sweep = S.weight_sweep(weights, "budget", points=501, **facts)
    leaders = sweep.loc[sweep.groupby("weight")["total"].idxmax()].set_index("weight")["option"]
    changes = [w for (w0, a), (w, b) in zip(leaders.items(), list(leaders.items())[1:]) if a != b]
    assert len(changes) == len(flips)
    assert all(0 <= w - exact <= 0.01 + 1e-9 for w, exact in zip(changes, flips["weight"]))


def test_a_must_weight_can_flip_the_leader_at_exactly_five():
    weights, facts = S.scenario_weights("game_server"), S.scenario_facts("game_server")
    flips = S.flip_points(weights, "team_skills", **facts)
    assert flips["weight"].iloc[-1] == 5.0 and flips["leader_above"].iloc[-1] == "cloud_vms"


# ------------------------------------------------------------------------------------------- properties

def _random_weights(rng: random.Random) -> dict[str, int]:
    weights = {c: rng.randint(0, 5) for c in S.CRITERIA}
    weights[rng.choice(S.CRITERIA)] = rng.randint(1, 5)
    return weights


def test_raising_a_weight_never_lowers_the_option_best_on_that_criterion():
    rng = random.Random(7)
    demands = list(S.demand_labels())
    for _ in range(60):
        weights, criterion = _random_weights(rng), rng.choice(S.CRITERIA)
        facts = {"demand": rng.choice(demands), "app_vcpu": rng.choice(S.APP_VCPUS)}
        cells = S.cell_scores(**facts)
        column = cells[cells["criterion"] == criterion].set_index("option")["score"]
        if (column == column.max()).sum() > 1:
            continue  # the property is about a unique best option
        best = column.idxmax()
        before = int(S.rank_options(weights, **facts).set_index("option").loc[best, "rank"])
        for higher in range(weights[criterion] + 1, 6):
            after = int(S.rank_options({**weights, criterion: higher}, **facts).set_index("option").loc[best, "rank"])
            assert after <= before, (weights, criterion, higher, facts)
            before = after


def test_scaling_every_weight_changes_nothing_below_the_must():
    rng = random.Random(3)
    for _ in range(20):
        weights = {c: rng.randint(0, 2) for c in S.CRITERIA}
        weights["budget"] = 2
        doubled = {c: 2 * w for c, w in weights.items()}
        a, b = S.rank_options(weights), S.rank_options(doubled)
        assert list(a["option"]) == list(b["option"])
        assert np.allclose(a["total"], b["total"])


def test_totals_stay_between_each_options_lowest_and_highest_weighted_cell():
    rng = random.Random(11)
    cells = S.cell_scores().pivot(index="option", columns="criterion", values="score")
    for _ in range(30):
        weights = _random_weights(rng)
        used = [c for c, w in weights.items() if w > 0]
        for row in S.rank_options(weights).itertuples():
            assert cells.loc[row.option, used].min() - 1e-9 <= row.total <= cells.loc[row.option, used].max() + 1e-9


def test_budget_scores_fall_as_bills_rise_and_the_cheapest_gets_five():
    for demand in S.demand_labels():
        for preset in cost.PRESETS:
            costs = S.annual_costs(demand, preset=preset).set_index("option")["cost_usd_per_year"]
            scores = S.model_scores(demand, preset=preset).query("criterion == 'budget'").set_index("option")["score"]
            assert scores[costs.idxmin()] == 5.0
            order = costs.sort_values().index
            assert list(scores[order]) == sorted(scores, reverse=True)


def test_vmware_licences_raise_the_owned_bills_only():
    kvm = S.annual_costs("steady").set_index("option")["cost_usd_per_year"]
    vmware = S.annual_costs("steady", preset="enterprise VMware").set_index("option")["cost_usd_per_year"]
    assert vmware["on_prem_vms"] > kvm["on_prem_vms"] and vmware["hybrid"] > kvm["hybrid"]
    for option in ("cloud_vms", "managed_containers", "serverless"):
        assert vmware[option] == pytest.approx(kvm[option])


def test_owning_is_cheapest_for_busy_years_and_renting_wins_only_for_the_campaign():
    for demand in ("steady", "office_hours", "web_daily", "web_sale"):
        costs = S.annual_costs(demand).set_index("option")["cost_usd_per_year"]
        assert costs["on_prem_vms"] < costs["cloud_vms"]
    campaign = S.annual_costs("campaigns").set_index("option")["cost_usd_per_year"]
    assert campaign["cloud_vms"] < campaign["on_prem_vms"]


def test_results_are_deterministic():
    first = S.annual_costs("web_sale", app_vcpu=0.5)
    S._annual_costs.cache_clear()
    S._chapter_costs.cache_clear()
    S._simulation.cache_clear()
    assert S.annual_costs("web_sale", app_vcpu=0.5).equals(first)


# ------------------------------------------------------------------------------- scenarios and the article

def test_every_card_recommends_the_ranking_leader_and_gives_reasons_from_its_cells():
    for scenario_id in S.scenario_table()["scenario_id"]:
        card = S.scenario_card(scenario_id)
        ranking = S.rank_options(S.scenario_weights(scenario_id), **S.scenario_facts(scenario_id))
        assert card["recommendation"] == ranking["option"].iloc[0]
        assert card["margin"] == pytest.approx(ranking["total"].iloc[0] - ranking["total"].iloc[1])
        assert card["tied"] == (card["margin"] < S.TIE_MARGIN)
        assert card["reasons"], scenario_id
        for change in card["would_change"]:
            assert "leads" in change


def test_the_card_counts_the_notebook_quotes():
    cards = S.scenario_cards()
    assert int(cards["tied"].sum()) == 6 and int(cards["agrees"].sum()) == 6
    assert set(cards.loc[~cards["agrees"], "scenario_id"]) == {"web_high_traffic", "ai_training"}
    assert cards.loc[~cards["agrees"], "tied"].all(), "the model disagrees only within its precision"
    ruled = sum(any(r.startswith("Serverless") for r in S.scenario_card(s)["ruled_out"]) for s in cards["scenario_id"])
    assert ruled == 6


def test_the_articles_rows_agree_at_the_budget_weights_the_claims_say():
    results = S.article_rules_vs_model()
    agree = {row: list(group.loc[group["agrees"], "budget_weight"]) for row, group in results.groupby("row_id")}
    assert agree == {"row1": [0, 1, 2], "row2": [2, 3, 4, 5], "row3": [0, 1, 2, 3, 4]}
    choices = results.set_index(["row_id", "budget_weight"])["model_choice"]
    assert choices["row2", 0] == "serverless" and choices["row2", 1] == "managed_containers"
    assert choices["row1", 3] == "hybrid" and choices["row3", 5] == "hybrid"


def test_decision_weights_read_the_levels():
    weights = S.decision_weights("row1", budget_weight=2)
    assert weights["complexity"] == 1 and weights["elasticity"] == 1 and weights["data_sensitivity"] == 5
    assert weights["budget"] == 2 and sum(weights.values()) == 9


def test_the_claims_numbers_come_from_the_model():
    claims = load("claims").set_index("claim_id")
    steady = S.annual_costs("steady").set_index("option")["cost_usd_per_year"]
    assert f"{round(steady['on_prem_vms'], -3):,.0f} USD owned" in claims.loc["scenarios-09", "correct_value"]
    assert f"{steady['cloud_vms'] / 1e6:.1f} M USD on demand" in claims.loc["scenarios-09", "correct_value"]
    assert f"{cost.break_even_utilization():.0%}" in claims.loc["scenarios-09", "correct_value"].replace(" %", "%")
    margin = S.scenario_card("financial_core")["margin"]
    assert f"by {margin:.2f} of 5 points" in claims.loc["scenarios-15", "correct_value"]
    pilot = S.recovery_times().set_index("option").loc["hybrid", "rto_s"] / 60
    assert f"computes {pilot:.0f} min" in claims.loc["scenarios-02", "correct_value"]
    assert claims.loc[[f"scenarios-{n:02d}" for n in range(1, 16)], "verdict"].value_counts().to_dict() == {
        "misleading": 8, "correct": 5, "unverifiable": 2}


# -------------------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("weights", [{}, {c: 0 for c in S.CRITERIA}, {"budget": 6}, {"budget": -1},
                                     {"budget": True}, {"budget": float("nan")}, {"no_such": 3}, [("budget", 3)]])
def test_bad_weights_are_refused_naming_weights(weights):
    with pytest.raises(ValueError, match="weights"):
        S.rank_options(weights)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: S.annual_costs("no_such_shape"), "demand"),
    (lambda: S.annual_costs(app_vcpu=0.3), "app_vcpu"),
    (lambda: S.annual_costs(preset="gold"), "preset"),
    (lambda: S.flip_points(EQUAL, "speed"), "criterion"),
    (lambda: S.weight_sweep(EQUAL, "budget", points=1), "points"),
    (lambda: S.log_value(10, full_s=5, zero_s=5), "zero_s"),
    (lambda: S.scenario_card("bank"), "scenario_id"),
    (lambda: S.decision_weights("row9"), "row_id"),
    (lambda: S.article_rules_vs_model(budget_weights=()), "budget_weights"),
    (lambda: S.article_rules_vs_model(budget_weights=(7,)), "budget_weights"),
    (lambda: S.explain_choice(EQUAL, "mainframe"), "chosen"),
])
def test_bad_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
