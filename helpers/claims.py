"""The article's claims, one row each, with a verdict and a source (``data/claims.csv``)."""

from __future__ import annotations

import html

import pandas as pd

from .data import Column, load, register_schema
from .tables import styled_table
from .validation import require_choice

__all__ = ["VERDICTS", "CLAIM_CHAPTERS", "VERDICT_STYLES", "claims_for", "claims_table", "verdict_badge",
           "verdict_counts", "verdict_numbers"]

VERDICTS = ("correct", "wrong", "misleading", "unverifiable")
#: ``intro`` holds the article's opening claims; the rest are chapter slugs.
CLAIM_CHAPTERS = ("intro", "history", "architecture", "resources", "performance", "cost", "security",
                  "scenarios", "trends")

register_schema(
    "claims",
    "One row per quantitative or factual claim of the article, with a verdict and the source that decides it.",
    [
        Column("claim_id", "str", "Identifier, <chapter>-NN."),
        Column("chapter", "str", "Chapter the claim belongs to.", allowed=CLAIM_CHAPTERS),
        Column("claim_zh", "str", "The claim quoted verbatim from the article."),
        Column("claim_en", "str", "English translation of the claim."),
        Column("verdict", "str", "What the sources say of the claim.", allowed=VERDICTS),
        Column("correct_value", "str", "What the sources actually say, with units.", required=False),
        Column("source", "str", "Citation of the source that decides the verdict."),
        Column("source_url", "str", "Address of that source."),
        Column("note", "str", "Why the verdict, in one sentence.", required=False),
    ],
    key="claim_id",
)

#: How each verdict is shown: a symbol and the word (readable without colour, e.g. on a projector or in
#: greyscale print), in a colour with at least 4.5:1 contrast on white, with a solid or dashed border.
VERDICT_STYLES = {
    "correct": ("✓", "#00734F", "solid"),
    "wrong": ("✗", "#B0270F", "solid"),
    "misleading": ("!", "#8A5300", "solid"),
    "unverifiable": ("?", "#3D3D3D", "dashed"),
}


def verdict_badge(verdict: str) -> str:
    """A verdict as an HTML badge: symbol and word in bold, coloured border (solid; dashed for unverifiable)."""
    require_choice("verdict", verdict, VERDICTS)
    symbol, colour, border = VERDICT_STYLES[verdict]
    return (f'<span class="claim-verdict claim-verdict-{verdict}" style="display:inline-block;font-weight:700;'
            f'color:{colour};border:2px {border} {colour};border-radius:4px;padding:0 5px;white-space:nowrap">'
            f"{symbol} {verdict}</span>")


def claims_for(chapter: str) -> pd.DataFrame:
    """All claims of one chapter (``intro`` or a chapter slug), in file order."""
    require_choice("chapter", chapter, CLAIM_CHAPTERS)
    claims = load("claims")
    return claims[claims["chapter"] == chapter].reset_index(drop=True)


def claims_table(chapter: str):
    """One chapter's claims as a readable table; returns a ``StyledTable`` (``.data`` holds the cells).

    Columns: the claim's id; the article's words (Chinese, then the English translation on its own
    line); the verdict as a badge (symbol, word and border, so it reads without colour); what the
    sources say, with the reason for the verdict as a separate paragraph under it ("Why: ..."); the
    source, linked. The article's text is HTML-escaped (so "<1分钟" shows as written) and every ``$``
    is protected from MathJax (:mod:`helpers.text`). No index.
    """
    claims = claims_for(chapter)
    escaped = claims.fillna("").map(html.escape)

    def sources_say(value: str, note: str) -> str:
        parts = [f"<div>{value}</div>"] if value else []
        if note:
            parts.append(f'<div style="margin-top:4px;color:#444"><i>Why:</i> {note}</div>')
        return "".join(parts) or "–"

    table = pd.DataFrame(
        {
            "Claim": escaped["claim_id"],
            "The article says": [f'<div lang="zh">{zh}</div><div style="margin-top:4px;color:#444">{en}</div>'
                                 for zh, en in zip(escaped["claim_zh"], escaped["claim_en"])],
            "Verdict": [verdict_badge(v) for v in claims["verdict"]],
            "What the sources say": [sources_say(value, note)
                                     for value, note in zip(escaped["correct_value"], escaped["note"])],
            "Source": [f'<a href="{url}" target="_blank" rel="noopener">{source}</a>'
                       for source, url in zip(escaped["source"], escaped["source_url"])],
        }
    )
    return styled_table(table, escape=False, max_rows_visible=len(table) + 1,
                        wrap_columns=("The article says", "What the sources say", "Source"))


def verdict_numbers(chapter: str | None = None) -> dict[str, int]:
    """How many claims got each verdict (every verdict, 0 included), for one chapter or (``None``) all."""
    claims = load("claims") if chapter is None else claims_for(chapter)
    counts = claims["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def verdict_counts(chapter: str | None = None):
    """The verdicts as a labelled table to show (Verdict, Claims, Share of claims), with a total row.

    Returns a ``StyledTable``; for the numbers in code use :func:`verdict_numbers` (a dict).
    """
    numbers = verdict_numbers(chapter)
    total = sum(numbers.values())
    table = pd.DataFrame({
        "Verdict": [verdict_badge(v) for v in VERDICTS] + ["<b>all claims</b>"],
        "Claims": [*numbers.values(), total],
        "Share of claims": [n / total if total else 0.0 for n in numbers.values()] + [1.0 if total else 0.0],
    })
    scope = "the whole article" if chapter is None else f"chapter {chapter!r}"
    return styled_table(table, escape=False, formats={"Share of claims": "{:.0%}"},
                        caption=f"Verdicts on the claims of {scope}")
