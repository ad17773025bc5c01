"""Chapter 8's notebook: every live panel is followed by its questions and their hidden answers, and the numbers
those answers, the prose and the summary quote are the model's. Run on the helpers directly; the notebook itself
is run by nbval, its solutions by tests/test_solutions.py."""

from __future__ import annotations

import math
import re

import pytest

from helpers import trends
from helpers.trends_views import format_seconds
from tests.conftest import NOTEBOOKS, read_notebook

NOTEBOOK = "08_trends.ipynb"


def cells():
    return read_notebook(NOTEBOOKS / NOTEBOOK)["cells"]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def panel_answers() -> list[str]:
    return [source(c) for c in cells() if "panel-answers" in tags(c)]


def percent(share: float, digits: int) -> str:
    return f"{100 * share:.{digits}f} %"


def p99_range(figure_id: str, handler_s: float) -> str:
    figure = trends.startup_figure(figure_id)
    return f"{format_seconds(handler_s + figure['low_s'])}-{format_seconds(handler_s + figure['high_s'])}"


# ------------------------------------------------------------------------------------------------ structure

def test_every_panel_is_followed_by_questions_then_hidden_answers():
    notebook = cells()
    panels = [i for i, c in enumerate(notebook) if c["cell_type"] == "code" and re.fullmatch(r"\w+_panel\(\)",
                                                                                            source(c).strip())]
    assert len(panels) == 2
    for index in panels:
        questions, answers = notebook[index + 1], notebook[index + 2]
        assert source(questions).startswith("**Questions to answer with the panel**")
        asked = re.findall(r"^\d\. ", source(questions), re.M)
        assert 2 <= len(asked) <= 3
        assert "panel-answers" in tags(answers) and answers["cell_type"] == "markdown"
        text = source(answers)
        assert text.startswith("<details><summary>Answers (open them after you have tried)</summary>")
        assert text.rstrip().endswith("</details>") and "<details open" not in text
        assert len(re.findall(r"^\d\. ", text, re.M)) == len(asked), "one answer per question"


# ------------------------------------------------------------------------------- the convergence panel's answers

def test_convergence_answers_are_the_models():
    text = panel_answers()[0]
    summary = trends.convergence_summary().set_index("series_id")
    # 1. three platforms at the defaults, only the microVM on the slowest figure
    best = trends.platforms_within(1.0, 10)
    assert list(best.loc[best["qualifies"], "series_id"]) == ["containers_in_vms", "microvm", "function_on_microvm"]
    worst = trends.platforms_within(1.0, 10, judged_by="slowest")
    assert list(worst.loc[worst["qualifies"], "series_id"]) == ["microvm"]
    assert "**MicroVM (Firecracker)** is left" in text
    assert f"{format_seconds(summary.loc['microvm', 'slowest_s'])}" == "125 ms" and "125 ms" in text
    assert f"{summary.loc['containers_in_vms', 'slowest_s']:g} s on GCE" in text
    assert f"64 MB package ({format_seconds(summary.loc['function_on_microvm', 'slowest_s'])} mean" in text
    # 2. the smallest limit the panel offers that lets gVisor in at 200 ms is 100: 96 entry points, step 2
    from helpers.trends_views import ENTRY_POINT_LIMITS

    admitting = [limit for limit in ENTRY_POINT_LIMITS
                 if trends.platforms_within(0.2, limit).set_index("series_id").loc["gvisor_sandbox", "qualifies"]]
    assert min(admitting) == 100 and "2. **100**" in text
    gvisor = summary.loc["gvisor_sandbox"]
    assert gvisor["entry_points"] == 96 and gvisor["step"] == 2 and "96 entry points" in text
    # 3. only the process at 20 ms, slowest figure, 400 entry points
    only = trends.platforms_within(0.02, 400, judged_by="slowest")
    assert list(only.loc[only["qualifies"], "series_id"]) == ["process"]
    assert "Budget **20 ms**, judged by the **slowest** figure, limit **400**" in text
    assert f"{summary.loc['process', 'entry_points']}\n   system calls" in text or \
           f"{summary.loc['process', 'entry_points']} system calls" in text.replace("\n   ", " ")


# -------------------------------------------------------------------------------- the cold-start panel's answers

def share(**settings) -> float:
    return trends.cold_start_share(**{"keep_alive_s": 600, "handler_s": 0.1, **settings})


def test_cold_start_answers_are_the_models():
    text = panel_answers()[1].replace("\n   ", " ")
    hourly = share(rate_per_s=1 / 3600)
    assert f"**{percent(hourly, 1)}**" in text and hourly == pytest.approx(math.exp(-600.1 / 3600), rel=1e-3)
    assert f"**{p99_range('lambda-cold-2023-small', 0.1)}**" in text
    mean = trends.startup_figure("lambda-cold-2023-small")["time_s"]
    assert f"({format_seconds(0.1 + mean)} at its mean)" in text
    # 2. 64 MB, 6 an hour: 30-minute keep-alive still > 1 %, one pre-warmed environment < 1 %
    long_keep = share(rate_per_s=6 / 3600, keep_alive_s=1800)
    assert long_keep > 0.01 and f"**{percent(long_keep, 1)}**" in text
    assert f"**{p99_range('lambda-cold-2023-64mb', 0.1)}**" in text
    warm = share(rate_per_s=6 / 3600, prewarmed=1)
    assert warm < 0.01 and f"**{percent(warm, 3)}**" in text
    # 3. overlaps: 1 a minute vs 1 every 10 s, and a 1,000 ms handler
    minute, ten_s, slow = share(rate_per_s=1 / 60), share(rate_per_s=0.1), share(rate_per_s=1 / 60, handler_s=1.0)
    assert f"**{percent(minute, 2)}**" in text and f"**{percent(ten_s, 2)}**" in text
    assert f"**{percent(slow, 2)}**" in text and round(slow / minute) == 8 and "about eight times" in text
    # the overlap explanation holds: share ~ rate x handler x exp(-rate x rate x handler x keep-alive)
    assert ten_s == pytest.approx(0.1 * 0.1 * math.exp(-0.1 * 0.01 * 600), rel=0.05)


def test_summary_numbers_are_the_models():
    summary = next(source(c) for c in cells() if source(c).startswith("## Summary")).replace("\n  ", " ")
    assert f"**{percent(share(rate_per_s=1 / 3600), 0)}**" in summary
    assert f"**{percent(share(rate_per_s=1 / 60), 2)}**" in summary
    assert f"**{percent(share(rate_per_s=6 / 3600), 0)}** cold to **{percent(share(rate_per_s=6 / 3600, prewarmed=1), 3)}**" \
        in summary
    within = trends.platforms_within(1.0, 10, judged_by="slowest")
    assert list(within.loc[within["qualifies"], "series_id"]) == ["microvm"]
    assert "Judged by its slowest figure, only the microVM starts within **1 s** behind at most **10**" in summary
