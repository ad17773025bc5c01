"""Chapter 05's exercises: every check answers any input with a sentence, the solutions in the notebook pass,
and the numbers the chapter and the README state agree with the model."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import cost
from helpers import cost_checks as checks
from helpers import cost_views as views
from helpers.exercises import CheckResult
from helpers.text import DOLLAR
from tests.conftest import NOTEBOOKS, ROOT, read_notebook

CHECKS = [checks.check_cheapest_options, checks.check_break_even_expensive_power, checks.check_double11_saving,
          checks.check_billing_saving, checks.check_licence_break_even, checks.check_cheapest_option]
ANY_INPUT = [None, "4", "", 4, -1, 0, 1e30, True, False, np.bool_(True), float("nan"), float("inf"), (1, 2, 3), (),
             ["spot"], ("spot", "on-premises", "x"), ("SPOT", 3), {"a": 1}, object(), b"bytes", np.array([1.0])]


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("answer", ANY_INPUT, ids=repr)
def test_every_check_answers_any_input_with_a_sentence(check, answer):
    result = check(answer)
    assert isinstance(result, CheckResult) and not result.correct
    assert result.message.strip() and "Traceback" not in result.message
    assert not re.search(r"\b\d(\.\d+)?e[+-]\d", result.message), result.message  # no 1.496e+05


def test_exercise_1_batch_may_use_spot_the_base_load_may_not():
    assert checks.cheapest_options() == ("spot", "on-premises")
    assert checks.check_cheapest_options(("spot", "on-premises"))
    assert checks.check_cheapest_options([" Spot", "ON-PREMISES"])  # case and spaces are forgiven
    refused = checks.check_cheapest_options(("spot", "spot"))
    assert not refused and "two-minute" in refused.message
    assert "batch" in checks.check_cheapest_options(("on-demand", "on-premises")).message


def test_exercise_2_expensive_power():
    expected = cost.break_even_utilization(electricity_usd_per_kwh=0.3903, pue=2.0)
    assert checks.check_break_even_expensive_power(expected)
    assert not checks.check_break_even_expensive_power(cost.break_even_utilization())
    assert not checks.check_break_even_expensive_power(expected * 100)  # a percentage, not a share


def test_exercise_3_longer_sale_in_thousands():
    totals = cost.double11_case(peak_days=10).attrs["totals_usd_per_year"]
    saving = totals["own for the peak"] - totals["own the base, rent the peak"]
    assert checks.check_double11_saving(saving / 1000)
    assert not checks.check_double11_saving(saving)  # USD, not thousands
    assert not checks.check_double11_saving(1200)


def test_exercise_4_billing():
    # 60,000 runs of 420 s: per hour 60,000 h; per second 60,000 x 420 / 3,600 = 7,000 h; 53,000 h x 0.096
    assert checks.check_billing_saving(53000 * 0.096)
    assert not checks.check_billing_saving(60000 * 0.096)


def test_exercise_5_licence_that_eats_the_saving():
    expected = cost.licence_at_break_even(0.3)
    assert expected == pytest.approx(cost.monthly_saving_usd(0.3) / (6 * 192 / 12))
    assert checks.check_licence_break_even(expected)
    assert not checks.check_licence_break_even(135)  # vSphere Foundation's list price is close, but not it
    assert not checks.check_licence_break_even(expected * 12)  # per month vs per year


def test_panel_question_cheapest_option():
    assert checks.check_cheapest_option("spot", utilization=0.1)
    assert checks.check_cheapest_option("on-premises", utilization=0.9)
    assert not checks.check_cheapest_option("on-demand", utilization=0.9)
    with pytest.raises(ValueError, match="utilization"):
        checks.check_cheapest_option("spot", utilization=3)  # the teacher's argument, not the student's answer


# --- the notebook ---------------------------------------------------------------------------------------
def cells():
    return read_notebook(NOTEBOOKS / "05_cost.ipynb")["cells"]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_solutions_are_collapsed_markdown_and_pass():
    """CONVENTIONS rule 1: no code cell is a solution; each solution's code, run after the setup cell, passes."""
    notebook = cells()
    assert not [c for c in notebook if c["cell_type"] == "code" and "solution" in c["metadata"].get("tags", [])]
    solutions = [source(c) for c in notebook if "solution" in c["metadata"].get("tags", [])]
    assert len(solutions) == 5
    setup = next(source(c) for c in notebook if c["cell_type"] == "code")
    for text in solutions:
        assert text.startswith("<details><summary>Solution (open it after you have tried)</summary>")
        block = re.search(r"```python\n(.*?)\n```", text, re.S).group(1)
        assert block.rstrip().splitlines()[-1].startswith("assert check_")
        namespace: dict = {}
        exec(setup, namespace)  # noqa: S102 - the notebook's own setup imports
        exec(block, namespace)  # noqa: S102 - the solution must pass (its last line asserts the check)


def test_every_exercise_shows_the_names_it_asks_for():
    text = "\n".join(source(c) for c in cells())
    exercises = text.split("## Exercises", 1)[1]
    for option in cost.OPTIONS:
        assert f'`"{option}"`' in exercises


def _summary() -> str:
    text = "\n".join(source(c) for c in cells() if c["cell_type"] == "markdown").replace(DOLLAR, "$")
    return text.split("\n## Summary", 1)[1].split("\n## ", 1)[0]  # read with plain dollars


def test_summary_numbers_agree_with_the_model():
    summary = _summary()
    presets = cost.preset_break_evens().set_index("preset")["on-demand"]
    for preset in cost.PRESETS:
        assert views.percent(presets[preset]) in summary, preset
    vvf = cost.break_even_utilization(**{**cost.preset_parameters("minimal (today's model)"),
                                         "licence_usd_per_core_year": 135})
    assert views.percent(vvf) in summary
    assert views.usd(cost.monthly_saving_usd(0.3)) in summary
    vcf = cost.monthly_saving_usd(0.3, licence_usd_per_core_year=350)
    assert views.usd(vcf) in summary
    # the summary must not give exercise 5's answer away
    assert f"${cost.licence_at_break_even(0.3):,.0f}" not in summary
    m5 = cost.cloud_price_table().query("instance_type == 'm5.large' and region == 'us-east-1'").iloc[0]
    assert f"{m5['article_vs_vcpu_price']:.0f}x" in summary


def test_readme_cost_figures_agree_with_the_model():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    presets = cost.preset_break_evens().set_index("preset")["on-demand"]
    line = next(paragraph for paragraph in readme.split("\n\n")
                if paragraph.startswith("**Headline figures** (05_cost"))
    for preset in cost.PRESETS:
        assert views.percent(presets[preset]) in line, (preset, line)
    m5 = cost.cloud_price_table().query("instance_type == 'm5.large' and region == 'us-east-1'").iloc[0]
    assert f"{m5['article_vs_vcpu_price']:.0f}x" in line


def _markdown_after(code: str) -> str:
    """The Markdown cell that follows the code cell containing ``code`` (read with plain dollars)."""
    notebook = cells()
    index = next(i for i, c in enumerate(notebook) if c["cell_type"] == "code" and code in source(c))
    following = next(c for c in notebook[index + 1:] if c["cell_type"] == "markdown")
    return source(following).replace(DOLLAR, "$")


def test_prose_under_the_styled_tables_quotes_them():
    """The tables are shown styled (not printed, so nbval does not compare them): the figures the prose quotes
    from them are checked against the model here."""
    prices = views.price_ratio_table()
    shape = prices[(prices["Model"] == "on-demand") & ~prices.index.str.contains("2006")]
    text = _markdown_after("price_ratio_table()")
    m5 = prices.loc["m5.large"].set_index("Region").loc["us-east-1"]
    assert f"{shape['x vCPU'].min():.0f}-{shape['x vCPU'].max():.0f} times" in text
    assert f"{m5['x vCPU']:.1f}x" in text and f"{m5['x core']:.0f} times" in text
    walk = views.walk_table()["Change (points)"].iloc[1:]
    text = _markdown_after("walk_table()")
    for change in walk:
        assert change in text, f"walk step {change} not in the prose"
    table = views.sensitivity_table(top=4)
    text = _markdown_after("sensitivity_table(top=12)")
    for low, high in zip(table["Result at low"], table["Result at high"]):
        assert low.replace(" %", "") in text and high.replace(" %", "") in text


# --- the review's additions: panel answers, the span of the break-even, 3-year plans, colocation -----------
def _panel_answers() -> list[str]:
    """The hidden answers under each panel's questions (read with plain dollars), in notebook order."""
    found = [source(c).replace(DOLLAR, "$") for c in cells() if "panel-answers" in c["metadata"].get("tags", [])]
    for text in found:
        assert text.startswith("<details><summary>Answers (open them after you have tried)</summary>")
        assert text.rstrip().endswith("</details>")
    return found


def test_every_panel_is_followed_by_questions_and_hidden_answers():
    notebook = cells()
    panels = [i for i, c in enumerate(notebook) if c["cell_type"] == "code" and re.search(r"\w+_panel\(\)", source(c))]
    assert len(panels) == 2
    for index in panels:
        questions, answers = notebook[index + 1], notebook[index + 2]
        assert "**Questions to answer with the panel**" in source(questions)
        assert "panel-answers" in answers["metadata"].get("tags", [])
    headings = [line for c in notebook if c["cell_type"] == "markdown" for line in source(c).splitlines()
                if line.startswith("## ")]
    for heading in ("## The Double-11 case, recomputed", "## What matters most: sensitivity", "## Try it: the live panel",
                    "## Summary", "## Exercises"):
        assert headings.count(heading) == 1, heading


def test_cost_panel_answers_agree_with_the_model():
    text = _panel_answers()[0]
    kvm, vmware = cost.preset_parameters("open-source KVM"), cost.preset_parameters("enterprise VMware")
    assert views.percent(cost.break_even_utilization(**kvm)) in text
    assert views.percent(cost.break_even_utilization(**vmware)) in text
    assert views.usd(6 * 192 * 135 / 12) in text
    totals = cost.cost_table(cost.costs_at_utilization(0.3, **{**vmware, "licence_usd_per_core_year": 350}))
    totals = totals.set_index("option")["total_usd_per_month"]
    assert totals.idxmin() == cost.SPOT and "spot is cheapest" in text
    for option in cost.OPTIONS:
        assert views.usd(totals[option]) in text, option
    assert views.percent(cost.break_even_utilization(**{**kvm, "spare_hosts": 0, "cost_of_capital": 0})) in text
    assert views.percent(cost.preset_break_evens().set_index("preset").loc[cost.PRESETS[0], "on-demand"]) in text
    one, three = (cost.break_even_utilization(against=cost.SAVINGS_PLAN, **{**kvm, "savings_plan_term_years": t})
                  for t in (1, 3))
    assert f"From {views.percent(one)} to {views.percent(three)}" in text and three > one
    assert cost.commitment_factor(5, 3) == pytest.approx(6 / 5)
    heavy = {**kvm, "egress_gb_per_vm_month": 300}
    assert views.percent(cost.break_even_utilization(**heavy)) in text
    assert views.percent(cost.break_even_utilization(**{**heavy, "transit_usd_per_gb": 0.02})) in text
    assert cost.cost_parameters().loc["transit_usd_per_gb", "high"] == 0.02


def test_double11_panel_answers_agree_with_the_model():
    text = _panel_answers()[1]
    one = cost.double11_case(normal_instances=1000).attrs
    three = cost.double11_case(normal_instances=1000, savings_plan_term_years=3).attrs
    assert one["hardware_not_bought_usd"] == 1.2e6 and views.usd(1.2e6) in text
    assert views.usd(one["savings_plan_saving_usd_per_year"]) in text
    assert views.usd(three["savings_plan_saving_usd_per_year"]) in text
    assert max(one["savings_plan_saving_usd_per_year"], three["savings_plan_saving_usd_per_year"]) < 850_000
    cheap, dear = (cost.double11_case(server_price_usd=p).attrs for p in (25_000, 60_000))
    for case in (cheap, dear):
        assert views.usd(case["totals_usd_per_year"]["own for the peak"]) in text
        assert views.usd(case["hardware_not_bought_usd"]) in text
    changes = {s: dear["totals_usd_per_year"][s] - cheap["totals_usd_per_year"][s] for s in cheap["totals_usd_per_year"]}
    assert max(changes, key=changes.get) == "own for the peak"
    long = cost.double11_case(peak_days=30).attrs
    hybrid, peak = long["totals_usd_per_year"]["own the base, rent the peak"], long["totals_usd_per_year"]["own for the peak"]
    assert hybrid < peak and views.usd(hybrid) in text and views.usd(peak) in text
    assert views.percent(long["utilization_own_for_peak"]) in text and views.percent(30 / 365) in text


def test_break_even_is_presented_with_its_span_three_year_plans_and_colocation():
    markdown = "\n".join(source(c) for c in cells() if c["cell_type"] == "markdown").replace(DOLLAR, "$")
    table = cost.sensitivity()
    ends = table[~table["parameter"].str.startswith("licence")][["low_result", "high_result"]].to_numpy()
    span = f"{views.percent(ends.min())} to {views.percent(ends.max())}"
    assert span in markdown and span in _summary()
    for preset in cost.PRESETS:
        three = cost.break_even_utilization(against=cost.SAVINGS_PLAN,
                                            **{**cost.preset_parameters(preset), "savings_plan_term_years": 3})
        assert f"{views.percent(three)} ({preset.split(' (')[0]})" in markdown, preset
    colo = cost.break_even_utilization(facility_usd_per_w=0, facility_opex_usd_per_kw_month=184)
    assert f"in colocation it is {views.percent(colo)}" in _summary()
    # the building's capital per kW-month at the defaults, quoted in the prose
    p = cost.default_parameters()
    per_kw = cost.annuity_usd_per_month(p["facility_usd_per_w"] * 1000, p["facility_lifetime_years"], p["cost_of_capital"])
    assert f"about ${per_kw:,.0f} per kW-month" in markdown


def test_closing_note_figures_agree_with_the_model():
    """data/cost_notes.md's closing note (issue 7's "Done when") quotes the new owner-side costs' effects."""
    notes = (ROOT / "data" / "cost_notes.md").read_text(encoding="utf-8")
    note = notes.split("Two owner-side costs added by the chapter-5 review", 1)[1].split("\n\n", 1)[0]
    high = cost.cost_parameters().loc["transit_usd_per_gb", "high"]
    assert views.percent(cost.break_even_utilization(transit_usd_per_gb=high)) in note
    colo = {"facility_usd_per_w": 0, "facility_opex_usd_per_kw_month": 184}
    assert views.percent(cost.break_even_utilization(**colo)) in note
    assert views.percent(cost.break_even_utilization(**{**cost.preset_parameters("enterprise VMware"), **colo})) in note
    for preset in cost.PRESETS:
        three = cost.break_even_utilization(against=cost.SAVINGS_PLAN,
                                            **{**cost.preset_parameters(preset), "savings_plan_term_years": 3})
        assert views.percent(three) in note, preset
