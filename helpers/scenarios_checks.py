"""Chapter 7's self-checks: every expected answer comes from :mod:`helpers.scenarios`, and a wrong but valid
answer is told why the model disagrees with it (its rank, gap and the criteria that cost it most).

Every check answers any input (None, text, a number, a list ...) with one sentence and a hint, never
a traceback: they are built on :func:`helpers.exercises.check_choice` and ``check_number``.
"""

from __future__ import annotations

import pandas as pd

from . import scenarios as model
from .exercises import CheckResult, check_choice, check_number
from .tables import styled_table

__all__ = ["EXERCISE_SCENARIOS", "exercise_scenarios_table", "check_registration_site", "check_imaging_archive",
           "check_article_row", "check_smallest_nudge", "check_vmware_margin", "NUDGE_SCENARIO", "MARGIN_CASE",
           "ROW_BUDGET_WEIGHT"]

#: Two workloads the chapter does not discuss, for the classification exercises (shown in the notebook).
EXERCISE_SCENARIOS = {
    "registration_site": {
        "label": "University course registration",
        "description": "Quiet all year, then a rush when registration opens each term; student records; a "
                       "two-person IT team; new code in Python.",
        "weights": {"complexity": 2, "elasticity": 5, "data_sensitivity": 3, "budget": 4, "continuity": 3,
                    "compliance": 2, "team_skills": 5, "legacy_os": 0, "steadiness": 1, "licence": 0},
        "demand": "campaigns", "app_vcpu": 0.5,
    },
    "imaging_archive": {
        "label": "Hospital imaging archive",
        "description": "A vendor's archive certified only on Windows Server 2008 R2; patient images; audited; "
                       "busy in clinic hours; a licensed database.",
        "weights": {"complexity": 1, "elasticity": 3, "data_sensitivity": 5, "budget": 3, "continuity": 4,
                    "compliance": 5, "team_skills": 2, "legacy_os": 5, "steadiness": 4, "licence": 3},
        "demand": "office_hours", "app_vcpu": 2.0,
    },
}
#: Exercise 3: the article's rows at a neutral budget weight.
ROW_BUDGET_WEIGHT = 3
#: Exercise 4: the card whose leader the smallest single-weight move changes.
NUDGE_SCENARIO = "iot_platform"
#: Exercise 5: the financial core card with VMware's licence per core in the owning costs.
MARGIN_CASE = {"scenario_id": "financial_core", "preset": "enterprise VMware"}


def exercise_scenarios_table():
    """The two exercise workloads: description, weights (0-5), demand shape and application size."""
    labels = model.criterion_labels()
    rows = []
    for key, case in EXERCISE_SCENARIOS.items():
        weights = ", ".join(f"{labels[c]} {w}" for c, w in case["weights"].items())
        rows.append({"Id": key, "Workload": case["label"], "Description": case["description"],
                     "Weights (0-5)": weights,
                     "Demand, app size": f"{model.demand_labels()[case['demand']]}, {case['app_vcpu']:g} vCPU"})
    return styled_table(pd.DataFrame(rows), caption="helpers.scenarios_checks.EXERCISE_SCENARIOS",
                        wrap_columns=("Description", "Weights (0-5)"))


def _identifier(text: str) -> str:
    return "_".join(text.strip().strip("'\"").lower().replace("-", " ").split())


def _normalised(answer):
    """A text answer as an identifier ("Cloud VMs" -> "cloud_vms"; a label such as "Licence exposure" -> its id
    "licence"); anything else unchanged."""
    if isinstance(answer, str):
        key = _identifier(answer)
        labels = {_identifier(label): option for option, label in model.OPTION_LABELS.items()}
        labels.update({_identifier(label): criterion for criterion, label in model.criterion_labels().items()})
        return labels.get(key, key)
    return answer


def _classify(answer, case: str, *, hint: str) -> CheckResult:
    """Right if ``answer`` is the model's leader or tied with it; a valid wrong option is told why."""
    scenario = EXERCISE_SCENARIOS[case]
    facts = {"demand": scenario["demand"], "app_vcpu": scenario["app_vcpu"]}
    ranking = model.rank_options(scenario["weights"], **facts)
    leader = ranking["option"].iloc[0]
    tied = [o for o, t in zip(ranking["option"], ranking["tied_with_leader"]) if t]
    key = _normalised(answer)
    what = f"the model's choice for the {scenario['label'].lower()}"
    if isinstance(key, str) and key in tied:
        others = [model.OPTION_LABELS[o] for o in tied if o != key]
        tie = f" ({' and '.join(others)} is within the model's precision: a tie, so both answers count)" if others \
            else ""
        total = float(ranking.set_index("option").loc[key, "total"])
        return CheckResult(True, f"✓ Right: {what} is {key!r}, {total:.2f} of 5{tie}.")
    result = check_choice(key, leader, options=model.OPTIONS, what=what, hint=hint)
    if not result.correct and isinstance(key, str) and key in model.OPTIONS:
        why = model.explain_choice(scenario["weights"], key, **facts)
        return CheckResult(False, f"{result.message} Why the model disagrees: {why}")
    return result


def check_registration_site(answer) -> CheckResult:
    """Exercise 1: the option the model recommends for the course-registration site (an option id)."""
    return _classify(answer, "registration_site",
                     hint="first look for weights of 5: an option scoring 0 on one of them is ruled out; then "
                          "compare the rest with scenarios.rank_options (or the panel). Answer with an option id "
                          "such as \"cloud_vms\".")


def check_imaging_archive(answer) -> CheckResult:
    """Exercise 2: the option(s) the model recommends for the imaging archive (ties count)."""
    return _classify(answer, "imaging_archive",
                     hint="legacy OS is weighted 5 here: which option scores 0 on it? Then rank the others with "
                          "scenarios.rank_options; answer with an option id.")


def _row_results() -> pd.DataFrame:
    results = model.article_rules_vs_model(budget_weights=(ROW_BUDGET_WEIGHT,))
    return results.set_index("row_id")


def check_article_row(answer) -> CheckResult:
    """Exercise 3: the row of the article's decision table the model disagrees with at a budget weight of 3."""
    results = _row_results()
    wrong = list(results.index[~results["agrees"]])
    rows = tuple(results.index)
    key = _normalised(answer)
    result = check_choice(key, wrong[0], options=rows, what="the row the model disagrees with",
                          hint="run scenarios.article_rules_vs_model(budget_weights=(3,)) and compare model_choice "
                               "with the article's answer; answer with a row id such as \"row2\".")
    if not result.correct and isinstance(key, str) and key in rows:
        row = results.loc[key]
        return CheckResult(False, f"{result.message} The model agrees with {key}: the article says "
                                  f"{row['article_choice_zh']} and the model picks "
                                  f"{model.OPTION_LABELS[row['model_choice']]}, which that answer covers.")
    return result


def _nudges() -> dict[str, tuple[float, str] | None]:
    """For each criterion: (how far its weight must move to change the IoT card's leader, the new leader)."""
    weights = model.scenario_weights(NUDGE_SCENARIO)
    facts = model.scenario_facts(NUDGE_SCENARIO)
    leader = model.rank_options(weights, **facts)["option"].iloc[0]
    found = {}
    for criterion in model.CRITERIA:
        flips = model.flip_points(weights, criterion, **facts)
        moves = [(abs(f.weight - weights[criterion]), f.leader_above if f.leader_below == leader else f.leader_below)
                 for f in flips.itertuples() if leader in (f.leader_below, f.leader_above)]
        found[criterion] = min(moves) if moves else None
    return found


def check_smallest_nudge(answer) -> CheckResult:
    """Exercise 4: the criterion whose weight needs the smallest move to change the IoT platform's leader."""
    nudges = _nudges()
    movable = {c: n for c, n in nudges.items() if n is not None}
    smallest = min(move for move, _ in movable.values())
    equal = [c for c, (move, _) in movable.items() if move <= smallest + 1e-9]
    key = _normalised(answer)
    if isinstance(key, str) and key in equal:
        others = [c for c in equal if c != key]
        also = f" ({', '.join(repr(c) for c in others)} needs the same move: either answer counts)" if others else ""
        return CheckResult(True, f"✓ Right: the most sensitive weight is {key!r}: a move of {smallest:.2f} hands the "
                                 f"lead to {model.OPTION_LABELS[movable[key][1]]}{also}.")
    result = check_choice(key, equal[0], options=model.CRITERIA, what="the most sensitive weight",
                          hint="scenarios.flip_points(scenarios.scenario_weights(\"iot_platform\"), criterion, "
                               "**scenarios.scenario_facts(\"iot_platform\")) gives where the leader changes; compare "
                               "each with the card's weight. Answer with a criterion id such as \"budget\".")
    if not result.correct and isinstance(key, str) and key in model.CRITERIA:
        nudge = nudges[key]
        if nudge is None:
            why = "no weight of it from 0 to 5 changes the leader"
        else:
            why = (f"its weight must move by {nudge[0]:.2f} before {model.OPTION_LABELS[nudge[1]]} leads, more "
                   f"than another criterion needs")
        return CheckResult(False, f"{result.message} For {key!r}, {why}.")
    return result


def check_vmware_margin(answer) -> CheckResult:
    """Exercise 5: the financial core card's winning margin (points) with VMware's licences in the owning costs."""
    card = model.scenario_card(MARGIN_CASE["scenario_id"], preset=MARGIN_CASE["preset"])
    return check_number(answer, card["margin"], what="the margin with VMware licences", unit="points",
                        rel_tol=0, abs_tol=0.005,
                        hint="scenarios.scenario_card(\"financial_core\", preset=\"enterprise VMware\") has the "
                             "margin; compare it with the 0.1-point precision of the model.")
