"""The claims table: verbatim quotes, allowed verdicts, sources on every row, readable per chapter."""

from __future__ import annotations

import pytest

from helpers import claims
from helpers.data import load


def test_every_claim_is_quoted_verbatim_from_the_article(article_text):
    table = load("claims")
    not_found = [row.claim_id for row in table.itertuples() if row.claim_zh not in article_text]
    assert not not_found, f"claim_zh not an exact substring of the article: {not_found}"


def test_claim_ids_are_unique_and_prefixed_by_chapter():
    table = load("claims")
    assert table["claim_id"].is_unique
    assert all(cid.startswith(f"{chapter}-") for cid, chapter in zip(table["claim_id"], table["chapter"]))


def test_wrong_and_misleading_claims_say_what_is_true():
    table = load("claims")
    decided = table[table["verdict"].isin(["wrong", "misleading"])]
    assert decided["correct_value"].fillna("").str.len().gt(0).all()


@pytest.mark.parametrize("chapter", ["cost", "history", "architecture"])
def test_written_chapters_have_claims(chapter):
    assert len(claims.claims_for(chapter)) >= 6


def test_claims_table_is_readable():
    styler = claims.claims_table("cost")
    html = styler.to_html()
    frame = styler.data
    assert list(frame.columns) == ["The article says", "Verdict", "What the sources say", "Source"]
    assert len(frame) == len(claims.claims_for("cost"))
    assert "AWS" in html and "href=" in html


def test_verdict_counts_cover_every_claim():
    counts = claims.verdict_counts()
    assert list(counts.index) == list(claims.VERDICTS)
    assert counts.sum() == len(load("claims"))
    assert claims.verdict_counts("cost").sum() == len(claims.claims_for("cost"))


@pytest.mark.parametrize("bad", ["costs", "", None, 5])
def test_unknown_chapter_is_a_value_error(bad):
    with pytest.raises(ValueError, match="chapter must be one of"):
        claims.claims_for(bad)


def test_claims_table_escapes_the_articles_text():
    html = claims.claims_table("performance").to_html() if len(claims.claims_for("performance")) else ""
    # the appendix says "<1分钟"; it must reach the page as text, not as a tag
    raw = load("claims")
    if raw["claim_zh"].str.contains("<").any():
        chapter = raw.loc[raw["claim_zh"].str.contains("<"), "chapter"].iloc[0]
        html = claims.claims_table(chapter).to_html()
        assert "&lt;" in html


def test_claims_table_rows_match_the_file():
    frame = claims.claims_table("cost").data
    raw = claims.claims_for("cost")
    assert list(frame.index) == list(raw["claim_id"])
    assert frame.notna().all().all()
    assert all(zh in said for zh, said in zip(raw["claim_zh"].map(__import__("html").escape), frame["The article says"]))
