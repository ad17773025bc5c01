"""Chapter 9's charts, explorer, panel and self-checks (helpers/audit_views.py)."""

from __future__ import annotations

import re

import pytest

from helpers import audit
from helpers import audit_views as av
from helpers.charts import title_text
from helpers.claims import VERDICTS, verdict_numbers
from helpers.data import load
from helpers.widgets import LivePanel


def _params(spec: dict) -> dict:
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for param in node.get("params", []):
                found[param["name"]] = param
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_verdict_chart_states_the_totals_of_the_file():
    chart = av.verdict_chart()
    chart.to_dict(validate=True)
    numbers = verdict_numbers()
    total = sum(numbers.values())
    assert title_text(chart) == (f"{numbers['wrong'] + numbers['misleading']} of {total} claims are wrong or "
                                 f"misleading; {numbers['correct']} are correct")
    assert "helpers.audit.verdicts_by_chapter" in str(chart.to_dict())


def test_the_chapter_notebooks_summary_claims_hold():
    """09's Summary says: more than half wrong or misleading, about a quarter correct."""
    numbers = verdict_numbers()
    total = sum(numbers.values())
    assert (numbers["wrong"] + numbers["misleading"]) / total > 0.5
    assert 0.2 <= numbers["correct"] / total <= 0.3
    table = audit.magnitudes()
    assert (table["factor"] > 100).sum() == 3 and (table["factor"] < 1.3).sum() == 3
    # "all latencies: memory in both columns of the performance table, and the network round trip of the appendix"
    assert set(table.loc[table["factor"] > 100, "claim_id"]) == {"performance-02", "performance-08", "performance-05"}
    cells = audit.table_coverage()
    assert set(cells.loc[cells["metric"] == "内存延迟", "table"]) == {"performance"}
    assert set(cells.loc[cells["metric"] == "网络延迟", "table"]) == {"appendix"}
    # "agree within 1.3 times: the IOPS range, the price of electricity and the cost of cooling"
    assert set(table.loc[table["factor"] < 1.3, "claim_id"]) == {"performance-03", "cost-03", "cost-04"}
    assert round(table["factor"].max(), -2) == 1200
    census = audit.number_census()
    assert (census["numbers"], census["in_claims"], census["not_claims"]) == (120, 95, 25)


def test_the_explorer_filters_with_two_bound_params():
    spec = av.claims_explorer_chart("cost", "misleading", controls_id="claims-box").to_dict(validate=True)
    params = _params(spec)
    chapter, verdict = params[av.PARAM_CHAPTER], params[av.PARAM_VERDICT]
    assert chapter["value"] == "cost" and verdict["value"] == "misleading"
    assert chapter["bind"]["input"] == "select" and chapter["bind"]["element"] == "#claims-box"
    assert set(verdict["bind"]["options"]) == {"all", *VERDICTS}
    assert av.CARD_FILTER in str(spec)


def test_the_explorer_holds_every_claim_once_as_a_head_line():
    spec = av.claims_explorer_chart().to_dict()
    rows = [row for data in spec["datasets"].values() for row in data if row.get("kind") == "head"]
    ids = [row["claim_id"] for row in rows]
    assert sorted(set(ids)) == sorted(load("claims")["claim_id"])
    assert "controls" not in str(_params(spec)[av.PARAM_CHAPTER]["bind"])


def test_claims_explorer_html_puts_the_drop_downs_above_the_cards():
    page = av.claims_explorer("all", "wrong").data
    box = re.search(r'<div id="(claims-controls-[0-9a-f]+)"', page)
    assert box and page.index(box.group(0)) < page.index("vmVsCloudVegaEmbed")
    assert f'"#{box.group(1)}"' in page


@pytest.mark.parametrize(("chapter", "verdict", "message"), [("costs", "all", "chapter must be one of"),
                                                             ("all", "false", "verdict must be one of"),
                                                             (None, "all", "chapter must be one of")])
def test_the_explorer_refuses_unknown_filters(chapter, verdict, message):
    with pytest.raises(ValueError, match=message):
        av.claims_explorer_chart(chapter, verdict)


def test_a_controls_id_must_be_an_html_id():
    with pytest.raises(ValueError, match="controls_id must be letters"):
        av.claims_explorer_chart(controls_id='x" onload="alert(1)')


def test_magnitude_chart_title_counts_the_file():
    chart = av.magnitude_chart()
    chart.to_dict(validate=True)
    table = audit.magnitudes()
    assert title_text(chart).startswith(f"{(table['factor'] >= 10).sum()} of {len(table)} numbers")


def test_the_magnitude_panel_walks_every_numeric_claim():
    panel = av.magnitude_panel()
    assert isinstance(panel, LivePanel) and panel.check_bounds() == len(audit.magnitudes())
    panel.controls["claim_id"].value = "cost-01"
    assert "73x too high" in panel.text_widget.value
    assert "4. Ask what was measured" in panel.table_widget.value and "m5.large" in panel.table_widget.value


def test_steps_and_claim_tables_are_styled():
    steps = av.steps_table("performance-02")
    assert list(steps.data.columns) == ["step", "answer"] and "For performance-02" in steps.to_html()
    claims = av.claim_table(["security-10", "security-11"])
    assert list(claims.data["Claim"]) == ["security-10", "security-11"] and "✗ wrong" in claims.to_html()
    coverage = av.coverage_table()
    assert "22 of 22 cells are quoted by a claim" in coverage.to_html()
    with pytest.raises(ValueError, match="claim_ids must be one of"):
        av.claim_table(["cost-99"])


@pytest.mark.parametrize("key", list(av.UNJUDGED_CLAIMS))
def test_every_option_of_every_unjudged_claim_is_explained(key):
    case = av.UNJUDGED_CLAIMS[key]
    assert set(case["why"]) == set(VERDICTS) and case["verdict"] in VERDICTS
    for verdict in VERDICTS:
        result = av.verdict_check(verdict, key)
        assert bool(result) == (verdict == case["verdict"])
        assert case["why"][verdict] in result.message
        assert ("Hint:" in result.message) == (verdict != case["verdict"])


def test_the_price_factor_check_uses_the_price_list():
    assert av.check_core_price_factor(3.5 / 0.096)
    assert not av.check_core_price_factor(73) and not av.check_core_price_factor("36")


def test_explained_choice_refuses_a_broken_exercise():
    with pytest.raises(ValueError, match="explanations must explain the expected option"):
        av.explained_choice("a", expected="c", explanations={"a": "A.", "b": "B."}, what="x", hint="y")
