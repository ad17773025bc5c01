"""The article's claims, one row each, with a verdict and a source (``data/claims.csv``)."""

from __future__ import annotations

import html

import pandas as pd

from .data import Column, load, register_schema
from .validation import require_choice

__all__ = ["VERDICTS", "CLAIM_CHAPTERS", "claims_for", "claims_table", "verdict_counts"]

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

_VERDICT_MARKS = {"correct": "✅ correct", "wrong": "❌ wrong", "misleading": "⚠️ misleading",
                  "unverifiable": "❔ unverifiable"}


def claims_for(chapter: str) -> pd.DataFrame:
    """All claims of one chapter (``intro`` or a chapter slug), in file order."""
    require_choice("chapter", chapter, CLAIM_CHAPTERS)
    claims = load("claims")
    return claims[claims["chapter"] == chapter].reset_index(drop=True)


def claims_table(chapter: str):
    """One chapter's claims as a readable table: the article's words, the verdict, what is true, the source.

    Returns a pandas ``Styler`` (wrapped text, verdicts marked, sources linked) for display in a
    notebook; the article's text is HTML-escaped, so "<1分钟" shows as written.
    """
    claims = claims_for(chapter)
    escaped = claims.fillna("").map(html.escape)
    table = pd.DataFrame(
        {
            "The article says": escaped["claim_zh"] + "\n(" + escaped["claim_en"] + ")",
            "Verdict": claims["verdict"].map(_VERDICT_MARKS),
            "What the sources say": (escaped["correct_value"] + " " + escaped["note"]).str.strip(),
            "Source": [f'<a href="{url}" target="_blank">{source}</a>'
                       for source, url in zip(escaped["source"], escaped["source_url"])],
        }
    )
    table.index = pd.Index(claims["claim_id"], name="claim")
    return table.style.format(escape=None).set_properties(**{"white-space": "pre-wrap", "text-align": "left", "vertical-align": "top"})


def verdict_counts(chapter: str | None = None) -> pd.Series:
    """How many claims got each verdict, for one chapter or (``None``) the whole article."""
    claims = load("claims") if chapter is None else claims_for(chapter)
    return claims["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0).rename("claims")
