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
