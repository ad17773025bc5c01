"""Charts, the live panel and the self-checks of chapter 9 (the claims audit), drawn from :mod:`helpers.audit`.

* :func:`verdict_chart`: the verdicts per chapter, stacked bars;
* :func:`claims_explorer_chart` / :func:`claims_explorer`: every claim as a card, filtered by chapter and
  verdict with altair params (drop-downs), so the filter works with no kernel: in the web edition and in
  an HTML export. :func:`claims_explorer` puts the drop-downs above the cards;
* :func:`magnitude_chart`: how many times off each numeric claim is (log scale), and
  :func:`magnitude_panel`, the same claim by claim with the four steps of checking a number;
* the exercises' self-checks: each explains the verdict the student chose (``check_*_claim``).
"""

from __future__ import annotations

import html
import math
import uuid

import altair as alt
import pandas as pd

from . import audit
from .charts import CHART_WIDTH, INK, MUTED, PALETTE, finish, self_contained_html
from .claims import CLAIM_CHAPTERS, VERDICT_STYLES, VERDICTS, verdict_badge
from .data import load
from .exercises import CheckResult, check_choice, check_number
from .tables import styled_table
from .validation import require_choice, require_text
from .widgets import Choice, LivePanel, View

__all__ = ["CLAIMS_SOURCE", "ALL", "PARAM_CHAPTER", "PARAM_VERDICT", "verdict_chart", "claims_explorer_chart",
           "claims_explorer", "claim_table", "coverage_table", "magnitude_chart", "magnitude_table", "magnitude_view", "magnitude_panel", "steps_table",
           "UNJUDGED_CLAIMS", "unjudged_claims_table", "explained_choice", "verdict_check", "check_docker_network_claim",
           "check_firecracker_boot_claim", "check_renting_cheaper_claim", "check_bank_savings_claim",
           "check_core_price_factor"]

CLAIMS_SOURCE = "data/claims.csv (one row per claim of the article, each with the source that decides it)"
MAGNITUDES_SOURCE = "data/claim_magnitudes.csv (the article's range and the sources' range, in one unit)"
#: The filters' option that keeps everything.
ALL = "all"
PARAM_CHAPTER = "claim_chapter"
PARAM_VERDICT = "claim_verdict"
CARD_FILTER = (f"({PARAM_CHAPTER} == '{ALL}' || datum.chapter == {PARAM_CHAPTER}) && "
               f"({PARAM_VERDICT} == '{ALL}' || datum.verdict == {PARAM_VERDICT})")
#: Height of one line of a claim card (px) and its width in half-em units (12 px text: about 6.1 px a unit).
CARD_LINE_PX = 16
CARD_WIDTH_UNITS = 72


def _verdict_label(verdict: str) -> str:
    return f"{VERDICT_STYLES[verdict][0]} {verdict}"


def _verdict_scale(labels: bool = True) -> alt.Scale:
    domain = [_verdict_label(v) if labels else v for v in VERDICTS]
    return alt.Scale(domain=domain, range=[VERDICT_STYLES[v][1] for v in VERDICTS])


# --------------------------------------------------------------------------------------- verdicts per chapter
def verdict_chart() -> alt.VConcatChart:
    """The verdicts of every chapter's claims as stacked bars, the count written on each segment."""
    table = audit.verdicts_by_chapter()
    frame = table[table["claims"] > 0].copy()
    frame["verdict_label"] = frame["verdict"].map(_verdict_label)
    frame["verdict_order"] = frame["verdict"].map(VERDICTS.index)
    frame = frame.sort_values(["chapter", "verdict_order"], kind="stable")
    frame["end"] = frame.groupby("chapter")["claims"].cumsum()
    frame["middle"] = frame["end"] - frame["claims"] / 2
    frame["share_text"] = (frame["share"] * 100).round().astype(int).astype(str) + " %"
    order = [audit.CHAPTER_LABELS[c] for c in CLAIM_CHAPTERS if c in set(frame["chapter"])]
    y = alt.Y("chapter_label:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12))
    bars = alt.Chart(frame).mark_bar(stroke="white", strokeWidth=1).encode(
        y=y,
        x=alt.X("claims:Q", stack="zero", title="Claims (count)"),
        color=alt.Color("verdict_label:N", scale=_verdict_scale(), title="Verdict"),
        order=alt.Order("verdict_order:Q"),
        tooltip=[alt.Tooltip("chapter_label:N", title="chapter"), alt.Tooltip("verdict:N"),
                 alt.Tooltip("claims:Q"), alt.Tooltip("share_text:N", title="share of the chapter")],
    )
    counts = alt.Chart(frame).mark_text(color="white", fontSize=12, fontWeight="bold").encode(
        y=y, x=alt.X("middle:Q"), text=alt.Text("claims:Q"))
    totals = {v: int(table.loc[table["verdict"] == v, "claims"].sum()) for v in VERDICTS}
    total = sum(totals.values())
    title = f"{totals['wrong'] + totals['misleading']} of {total} claims are wrong or misleading; {totals['correct']} are correct"
    return finish((bars + counts).properties(width=380, height=alt.Step(26)), title=title,
                  source=CLAIMS_SOURCE, model="helpers.audit.verdicts_by_chapter",
                  subtitle=[f"{totals['wrong']} wrong, {totals['misleading']} misleading, "
                            f"{totals['unverifiable']} unverifiable; hover a bar for its share",
                            "'opening summary': the article's first paragraphs (claims intro-NN)"],
                  source_width=380)


# ------------------------------------------------------------------------------------------ the explorer
def _choices(chapter: str, verdict: str) -> tuple[str, str]:
    require_choice("chapter", chapter, (ALL, *CLAIM_CHAPTERS))
    require_choice("verdict", verdict, (ALL, *VERDICTS))
    return chapter, verdict


def claims_explorer_chart(chapter: str = ALL, verdict: str = "wrong", *, controls_id: str | None = None
                          ) -> alt.VConcatChart:
    """Every claim as a card (verdict and id; the article's words; the English; what the sources say),
    filtered by two drop-downs bound to altair params, so filtering runs in the browser with no kernel.

    ``chapter`` and ``verdict`` are the drop-downs' first values (``"all"`` or a value of claims.csv).
    ``controls_id``: the id of an HTML element to hold the drop-downs (see :func:`claims_explorer`);
    ``None`` leaves them under the chart, where Vega puts them. Hover a card for its source and note.
    """
    chapter, verdict = _choices(chapter, verdict)
    if controls_id is not None:
        require_text("controls_id", controls_id)
        if not controls_id.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"controls_id must be letters, digits, '-' and '_' (an HTML id); got {controls_id!r}")
    where = {"element": f"#{controls_id}"} if controls_id else {}
    cards = audit.claim_cards(width=CARD_WIDTH_UNITS)
    chapter_pick = alt.param(name=PARAM_CHAPTER, value=chapter, bind=alt.binding_select(
        options=[ALL, *CLAIM_CHAPTERS], labels=["every chapter", *audit.CHAPTER_LABELS.values()],
        name="Chapter: ", **where))
    verdict_pick = alt.param(name=PARAM_VERDICT, value=verdict, bind=alt.binding_select(
        options=[ALL, *VERDICTS], labels=["every verdict", *(_verdict_label(v) for v in VERDICTS)],
        name="Verdict: ", **where))
    tooltip = [alt.Tooltip("claim_id:N", title="claim"), alt.Tooltip("claim_zh:N", title="the article"),
               alt.Tooltip("claim_en:N", title="in English"), alt.Tooltip("correct_value:N", title="sources say"),
               alt.Tooltip("source:N"), alt.Tooltip("note:N", title="why")]
    y = alt.Y("line:O", axis=None, title=None)
    shown = alt.Chart(cards).transform_filter(CARD_FILTER)
    heads = shown.transform_filter("datum.kind == 'head'").mark_text(
        align="left", baseline="middle", fontSize=12, fontWeight="bold").encode(
        y=y, x=alt.XValue(0), text=alt.Text("text:N"), tooltip=tooltip,
        color=alt.Color("verdict:N", scale=_verdict_scale(labels=False), legend=None))
    body = shown.transform_filter("datum.kind != 'head'").mark_text(
        align="left", baseline="middle", fontSize=12).encode(
        y=y, x=alt.XValue(0), text=alt.Text("text:N"), tooltip=tooltip,
        color=alt.Color("kind:N", scale=alt.Scale(domain=["zh", "en", "sources", "gap"],
                                                  range=[INK, "#333333", MUTED, MUTED]), legend=None))
    listing = alt.layer(heads, body).resolve_scale(color="independent").properties(
        width=CHART_WIDTH, height=alt.Step(CARD_LINE_PX))
    total = int((cards["kind"] == "head").sum())
    count = alt.Chart(cards).transform_calculate(
        hit=f"({CARD_FILTER}) && datum.kind == 'head' ? 1 : 0").transform_aggregate(
        shown="sum(hit)").transform_calculate(
        label=f"datum.shown + (datum.shown == 1 ? ' claim' : ' claims') + ' of {total} shown'"
    ).mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold", color=INK).encode(
        text=alt.Text("label:N"), x=alt.XValue(0), y=alt.YValue(0)
    ).properties(width=CHART_WIDTH, height=18).add_params(chapter_pick, verdict_pick)
    numbers = load("claims")["verdict"].value_counts()
    return finish(alt.vconcat(count, listing, spacing=6),
                  title=f"All {total} claims, one card each: {int(numbers.get('wrong', 0))} are plainly wrong",
                  source=CLAIMS_SOURCE, model="helpers.audit.claim_cards",
                  subtitle=["Pick a chapter and a verdict; hover a card for its source and the reason",
                            "Long texts end in …: the tooltip and claims_table(chapter) hold them whole"])


def claims_explorer(chapter: str = ALL, verdict: str = "wrong"):
    """:func:`claims_explorer_chart` as HTML with its two drop-downs above the cards (an ``IPython.display.HTML``).

    It draws itself with no kernel (Vega inlined, :func:`helpers.charts.self_contained_html`), so the
    filter also works in an HTML export of the notebook and in the web edition.
    """
    chapter, verdict = _choices(chapter, verdict)
    from IPython.display import HTML

    controls_id = f"claims-controls-{uuid.uuid4().hex[:12]}"
    chart = self_contained_html(claims_explorer_chart(chapter, verdict, controls_id=controls_id))
    controls = (f'<div id="{controls_id}" class="course-chart-controls" '
                f'style="display:flex;flex-wrap:wrap;gap:4px 18px;margin:4px 0 8px 0;font-size:14px"></div>')
    return HTML(controls + "\n" + chart.data)


def claim_table(claim_ids: list[str] | tuple[str, ...]):
    """Some claims of any chapters, as :func:`helpers.claims.claims_table` shows a chapter's (a ``StyledTable``)."""
    claims = load("claims")
    if isinstance(claim_ids, str) or not isinstance(claim_ids, (list, tuple)) or not claim_ids:
        raise ValueError(f"claim_ids must be a non-empty list of claim ids; got {claim_ids!r:.80}")
    for claim_id in claim_ids:
        require_choice("claim_ids", claim_id, tuple(claims["claim_id"]))
    rows = claims.set_index("claim_id").loc[list(claim_ids)].reset_index().fillna("")
    escaped = rows.map(lambda value: html.escape(str(value)))
    table = pd.DataFrame({
        "Claim": escaped["claim_id"],
        "The article says": [f'<div lang="zh">{zh}</div><div style="margin-top:4px;color:#444">{en}</div>'
                             for zh, en in zip(escaped["claim_zh"], escaped["claim_en"])],
        "Verdict": [verdict_badge(v) for v in rows["verdict"]],
        "What the sources say": [f"<div>{value}</div><div style=\"margin-top:4px;color:#444\"><i>Why:</i> {note}</div>"
                                 for value, note in zip(escaped["correct_value"], escaped["note"])],
        "Source": [f'<a href="{url}" target="_blank" rel="noopener">{source}</a>'
                   for source, url in zip(escaped["source"], escaped["source_url"])],
    })
    return styled_table(table, escape=False, max_rows_visible=len(table) + 1,
                        wrap_columns=("The article says", "What the sources say", "Source"), nowrap_columns=("Claim",))


def coverage_table():
    """Every cell of the article's two tables with the claims that quote it (:func:`helpers.audit.table_coverage`)."""
    coverage = audit.table_coverage()
    frame = pd.DataFrame({
        "table": coverage["table"], "row": coverage["metric"],
        "column": coverage["column"].map({"vm": "虚拟机 (VM)", "container": "云服务器(容器)"}),
        "cell": coverage["cell"], "numbers": coverage["numbers"].replace("", "–"),
        "claims": coverage["claim_ids"].replace("", "none"),
    })
    covered = int(coverage["covered"].sum())
    return styled_table(frame, labels={"table": "Table", "row": "Row", "column": "Column", "cell": "Cell",
                                       "numbers": "Numbers in it", "claims": "Claims that quote it"},
                        caption=f"{covered} of {len(coverage)} cells are quoted by a claim", max_rows_visible=10)


# ------------------------------------------------------------------------------------ orders of magnitude
def _factor_text(row) -> str:
    if row["direction"] == "agrees":
        return f"{row['factor']:.1f}x: same order"
    factor = f"{row['factor']:,.0f}x" if row["factor"] >= 10 else f"{row['factor']:.1f}x"
    return f"{factor} {row['direction']}"


def magnitude_chart() -> alt.VConcatChart:
    """Each numeric claim's ratio to its sources (article / sources, geometric middles) on a log scale."""
    table = audit.magnitudes().sort_values("factor", ascending=False).reset_index(drop=True)
    frame = pd.DataFrame({
        "claim": table["quantity"],
        "claim_id": table["claim_id"],
        "ratio": table["ratio"],
        "direction": table["direction"],
        "label": [_factor_text(row) for _, row in table.iterrows()],
        "verdict": table["verdict"],
        "article": [f"{lo:,g}-{hi:,g} {u}" if lo != hi else f"{lo:,g} {u}" for lo, hi, u in
                    zip(table["article_low"], table["article_high"], table["unit"])],
        "sources": [f"{lo:,g}-{hi:,g} {u}" if lo != hi else f"{lo:,g} {u}" for lo, hi, u in
                    zip(table["source_low"], table["source_high"], table["unit"])],
    })
    order = list(frame["claim"])
    directions = ["too high", "agrees", "too low"]
    scale = alt.Scale(type="log", domain=[0.03, 3000])
    y = alt.Y("claim:N", sort=order, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=12))
    band = alt.Chart(pd.DataFrame({"low": [1 / 3], "high": [3.0]})).mark_rect(color="#e8e8e8").encode(
        x=alt.X("low:Q", scale=scale), x2=alt.X2("high:Q"))
    one = alt.Chart(pd.DataFrame({"ratio": [1.0]})).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(
        x=alt.X("ratio:Q", scale=scale))
    points = alt.Chart(frame).mark_point(size=110, filled=True, opacity=0.95).encode(
        y=y,
        x=alt.X("ratio:Q", scale=scale, title="The article's value / the sources' value (log scale)",
                axis=alt.Axis(values=[0.1, 1, 10, 100, 1000], format="~g")),
        color=alt.Color("direction:N", scale=alt.Scale(domain=directions, range=[PALETTE[5], PALETTE[2], PALETTE[4]]),
                        title="The article's number is"),
        shape=alt.Shape("direction:N", scale=alt.Scale(domain=directions, range=["triangle-right", "circle",
                                                                                  "triangle-left"]),
                        title="The article's number is"),
        tooltip=[alt.Tooltip("claim_id:N", title="claim"), alt.Tooltip("claim:N", title="quantity"),
                 alt.Tooltip("article:N", title="the article"),
                 alt.Tooltip("sources:N", title="the sources"), alt.Tooltip("label:N", title="off by"),
                 alt.Tooltip("verdict:N")],
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=9, fontSize=12, color=INK).encode(
        y=y, x=alt.X("ratio:Q", scale=scale), text=alt.Text("label:N"))
    hundred = int((table["factor"] >= 100).sum())
    ten = int((table["factor"] >= 10).sum())
    return finish((band + one + points + labels).properties(width=210, height=alt.Step(26)),
                  title=f"{ten} of {len(table)} numbers are 10x or more off; {hundred} are 100x off",
                  source=MAGNITUDES_SOURCE, model="helpers.audit.magnitudes",
                  subtitle=["Grey band: within 3x of the sources (the same order of magnitude)",
                            "Within it a number can still mislead: the verdicts are in the tooltips"],
                  source_width=300)


def magnitude_table():
    """The ten numeric claims as a styled table: claim, quantity, the two ranges with their unit, how far off."""
    table = audit.magnitudes().sort_values("factor", ascending=False)
    frame = pd.DataFrame({
        "claim": table["claim_id"], "quantity": table["quantity"],
        "article": [f"{_span(lo, hi)} {u}" for lo, hi, u in zip(table["article_low"], table["article_high"], table["unit"])],
        "sources": [f"{_span(lo, hi)} {u}" for lo, hi, u in zip(table["source_low"], table["source_high"], table["unit"])],
        "off": [_factor_text(row) for _, row in table.iterrows()],
        "verdict": table["verdict"],
    })
    return styled_table(frame, labels={"claim": "Claim", "quantity": "Quantity", "article": "The article says",
                                       "sources": "The sources say", "off": "The article's middle value",
                                       "verdict": "Verdict"}, max_rows_visible=len(frame) + 1,
                        nowrap_columns=("claim",))


def _span(low: float, high: float) -> str:
    from .exercises import format_number

    return format_number(low) if low == high else f"{format_number(low)}-{format_number(high)}"


def _range_chart(row: dict) -> alt.VConcatChart:
    frame = pd.DataFrame({
        "who": ["The article", "The sources"],
        "low": [row["article_low"], row["source_low"]],
        "high": [row["article_high"], row["source_high"]],
        "shown": [_span(row["article_low"], row["article_high"]), _span(row["source_low"], row["source_high"])],
    })
    low = min(frame["low"].min(), frame["high"].min())
    high = max(frame["low"].max(), frame["high"].max())
    domain = [10 ** math.floor(math.log10(low) - 0.3), 10 ** math.ceil(math.log10(high) + 0.3)]
    scale = alt.Scale(type="log", domain=domain)
    y = alt.Y("who:N", title=None, sort=["The article", "The sources"], axis=alt.Axis(labelFontSize=12))
    colours = alt.Scale(domain=["The article", "The sources"], range=[PALETTE[5], PALETTE[4]])
    bars = alt.Chart(frame).mark_bar(height=18, cornerRadius=2).encode(
        y=y, x=alt.X("low:Q", scale=scale, title=f"{row['quantity']} ({row['unit']}, log scale)",
                     axis=alt.Axis(format="~g")),
        x2=alt.X2("high:Q"), color=alt.Color("who:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("who:N"), alt.Tooltip("shown:N", title=row["unit"])])
    ticks = alt.Chart(frame).mark_tick(thickness=3, size=24).encode(
        y=y, x=alt.X("low:Q", scale=scale), color=alt.Color("who:N", scale=colours, legend=None))
    labels = alt.Chart(frame).mark_text(align="left", dx=6, fontSize=12, color=INK).encode(
        y=y, x=alt.X("high:Q", scale=scale), text=alt.Text("shown:N"))
    title = f"{row['claim_id']}: {_factor_text(row)}"
    return finish((bars + ticks + labels).properties(width=340, height=alt.Step(40)), title=title,
                  source=MAGNITUDES_SOURCE, model="helpers.audit.magnitude",
                  subtitle=f"{row['quantity']}: the article's range against the sources' ({row['measured_when']})",
                  source_width=340)


def steps_table(claim_id: str):
    """The four steps of checking a number (:func:`helpers.audit.check_steps`) for one claim, as a styled table."""
    steps = audit.check_steps(claim_id)
    return styled_table(steps, labels={"step": "Step", "answer": f"For {claim_id}"}, wrap_columns=("answer",),
                        max_rows_visible=6)


def magnitude_view(claim_id: str = "performance-02") -> View:
    """One numeric claim: its range against the sources' on a log scale, and the four steps answered."""
    row = audit.magnitude(claim_id)
    claim = load("claims").set_index("claim_id").loc[claim_id]
    text = (f"<b>{html.escape(claim_id)}</b> ({html.escape(row['verdict'])}): "
            f"<span lang='zh'>{html.escape(claim['claim_zh'])}</span>, “{html.escape(claim['claim_en'])}”. "
            f"The article's middle value is <b>{_factor_text(row)}</b> against the sources'.")
    return View(chart=_range_chart(row), table=steps_table(claim_id), text=text)


def magnitude_panel() -> LivePanel:
    """Pick one of the numeric claims: its range against the sources', and the four steps of checking it."""
    table = audit.magnitudes()
    ids = tuple(table["claim_id"])
    labels = tuple(f"{c}: {q}" for c, q in zip(table["claim_id"], table["quantity"]))
    control = Choice("claim_id", "Claim", ids, "performance-02", labels=labels,
                     description="A claim of the article that gives a number the sources also give, in the same unit")
    return LivePanel([control], magnitude_view, title="Check a number: the article against its sources")


# ------------------------------------------------------------------------------------------- exercises
#: Claims the course has not judged, for the exercises: what someone said, the verdict, and why each verdict
#: is or is not the right one. Each can be judged with the course's data (named in ``evidence``).
UNJUDGED_CLAIMS = {
    "docker-network": {
        "claim": "Docker containers add no network overhead: a container gets the same network performance as "
                 "the host.",
        "evidence": "chapter 4's measurements (helpers.performance.relative_performance): nuttcp throughput and "
                    "Redis requests, Docker with NAT vs native",
        "verdict": "misleading",
        "why": {
            "correct": "Not 'correct': true for bulk throughput (nuttcp: 99.8 % of native behind NAT), but Redis "
                       "requests behind Docker's default NAT ran at 75-78 % of native; 'no overhead' holds only "
                       "for host networking.",
            "wrong": "Not 'wrong': for bulk throughput the claim holds (99.8 % of native), and with host "
                     "networking Docker matched native Redis too; it is false only in part.",
            "misleading": "'Misleading': the measured part is true (bulk throughput 99.8 % of native), but it is "
                          "presented as the whole: small request-response traffic behind NAT lost about a quarter.",
            "unverifiable": "Not 'unverifiable': Felter et al. measured exactly this, with their raw data public.",
        },
        "hint": "compare nuttcp (bulk) with redis_get_1client (small requests) for docker_nat in "
                "relative_performance(); what was measured decides",
    },
    "firecracker-boot": {
        "claim": "A Firecracker microVM boots in about 125 milliseconds.",
        "evidence": "the start-up times of chapters 3 and 4 (helpers.startup.startup_time_s('firecracker-boot'))",
        "verdict": "correct",
        "why": {
            "correct": "'Correct': Firecracker's specification bounds the time from the InstanceStart call to the "
                       "guest's /sbin/init at 125 ms (a bound, measured to init, not to your application).",
            "wrong": "Not 'wrong': 125 ms is the figure Firecracker's own specification gives.",
            "misleading": "Not 'misleading' as stated: it says 'boots', and the 125 ms is measured to the guest's "
                          "init; it would mislead only if it said the application is serving.",
            "unverifiable": "Not 'unverifiable': the primary source is Firecracker's SPECIFICATION.md, in the course's "
                            "data.",
        },
        "hint": "look the figure up with startup_time_s('firecracker-boot') and read what it measures "
                "(startup_times.csv, measured_from_to)",
    },
    "renting-cheaper": {
        "claim": "Renting cloud servers is always cheaper than owning your own servers.",
        "evidence": "chapter 5's break-even utilisations (helpers.cost.preset_break_evens)",
        "verdict": "wrong",
        "why": {
            "correct": "Not 'correct': chapter 5 finds owning cheaper than on-demand renting above a break-even "
                       "utilisation of 7.5-29 %; many fleets run above that.",
            "wrong": "'Wrong': 'always' fails on a counterexample, and chapter 5 computes them: above 7.5-29 % average "
                     "utilisation, owning costs less than renting on demand.",
            "misleading": "Not 'misleading': a universal claim ('always') with a computed counterexample is wrong, "
                          "not merely slanted.",
            "unverifiable": "Not 'unverifiable': costs can be computed from price lists and hardware prices, as "
                            "chapter 5 does.",
        },
        "hint": "one counterexample refutes 'always': where does preset_break_evens() put the break-even?",
    },
    "bank-savings": {
        "claim": "A large bank cut its IT bill by 40 % by moving its applications into containers.",
        "evidence": "the audit's anecdotes: cost-10, cost-11 and security-09 (claims.csv)",
        "verdict": "unverifiable",
        "why": {
            "correct": "Not 'correct': nothing can confirm it: no bank, year, baseline or report is named.",
            "wrong": "Not 'wrong': nothing can refute it either; with no named party there is nothing to check.",
            "misleading": "Not 'misleading': that needs a checkable core framed badly; here there is no checkable "
                          "core.",
            "unverifiable": "'Unverifiable': an anecdote with no named party, date or source, like the article's "
                            "Double-11 savings (cost-10, cost-11) and its 2022 ransomware story (security-09).",
        },
        "hint": "ask who, when and according to whom; compare with the verdicts of cost-10 and security-09",
    },
}


def unjudged_claims_table():
    """The claims of the exercises, as a styled table: key, claim, where the course's evidence is."""
    frame = pd.DataFrame({"key": list(UNJUDGED_CLAIMS),
                          "claim": [c["claim"] for c in UNJUDGED_CLAIMS.values()],
                          "evidence": [c["evidence"] for c in UNJUDGED_CLAIMS.values()]})
    return styled_table(frame, labels={"key": "Exercise key", "claim": "Someone says",
                                       "evidence": "Evidence in the course"}, wrap_columns=("claim", "evidence"),
                        nowrap_columns=("key",))


def explained_choice(answer, *, expected: str, explanations: dict[str, str], what: str, hint: str) -> CheckResult:
    """:func:`helpers.exercises.check_choice` among the keys of ``explanations``, and the explanation of the option
    the student chose added to the message, whether it is right or not (the hint only when it is not)."""
    if not isinstance(explanations, dict) or not explanations or not all(
            isinstance(k, str) and k and isinstance(v, str) and v for k, v in explanations.items()):
        raise ValueError(f"explanations must map each option to a non-empty explanation; got {explanations!r:.80}")
    require_text("expected", expected)
    if expected not in explanations:
        raise ValueError(f"explanations must explain the expected option {expected!r} too; got options "
                         f"{list(explanations)!r:.80}")
    result = check_choice(answer, expected, options=tuple(explanations), what=what, hint=hint)
    lowered = {option.strip().lower(): option for option in explanations}
    chosen = lowered.get(answer.strip().strip("'\"").strip().lower()) if isinstance(answer, str) else None
    if chosen is None:
        return result
    if result.correct:
        return CheckResult(True, f"{result.message} {explanations[chosen]}")
    return CheckResult(False, f"✗ Not yet: {answer!r} is not it. {explanations[chosen]} Hint: {hint}")


def verdict_check(answer, key: str) -> CheckResult:
    """Check a verdict (one of :data:`helpers.claims.VERDICTS`) on the claim ``key`` of :data:`UNJUDGED_CLAIMS`,
    and explain the verdict the student chose, right or wrong."""
    require_choice("key", key, tuple(UNJUDGED_CLAIMS))
    case = UNJUDGED_CLAIMS[key]
    return explained_choice(answer, expected=case["verdict"], explanations={v: case["why"][v] for v in VERDICTS},
                           what="the verdict", hint=case["hint"])


def check_docker_network_claim(answer) -> CheckResult:
    """Exercise: the verdict on 'Docker containers add no network overhead'."""
    return verdict_check(answer, "docker-network")


def check_firecracker_boot_claim(answer) -> CheckResult:
    """Exercise: the verdict on 'A Firecracker microVM boots in about 125 milliseconds'."""
    return verdict_check(answer, "firecracker-boot")


def check_renting_cheaper_claim(answer) -> CheckResult:
    """Exercise: the verdict on 'Renting cloud servers is always cheaper than owning'."""
    return verdict_check(answer, "renting-cheaper")


def check_bank_savings_claim(answer) -> CheckResult:
    """Exercise: the verdict on 'A large bank cut its IT bill by 40 % with containers'."""
    return verdict_check(answer, "bank-savings")


def _m5_large_price() -> float:
    prices = load("cloud_prices")
    row = prices[(prices["instance_type"] == "m5.large") & (prices["region"] == "us-east-1")
                 & (prices["price_model"] == "on-demand")]
    return float(row["price_usd_per_hour"].iloc[0])


def check_core_price_factor(answer) -> CheckResult:
    """Exercise: how many times too high the article's $3.50 per 核-hour is if 核 meant a physical core (2 vCPUs)."""
    expected = audit.magnitude("cost-01")["article_low"] / _m5_large_price()
    return check_number(answer, expected, what="the factor", unit="x", rel_tol=0.03,
                        hint="a physical core is two vCPUs, so a core-hour of m5.large costs the whole instance's "
                             "hourly price; divide the article's price by it")
