"""The claims table: verbatim quotes, allowed verdicts, sources on every row, readable per chapter."""

from __future__ import annotations

import html

import pytest


from helpers import claims
from helpers.charts import contrast_on_white
from helpers.data import load
from helpers.text import unprotected_dollars_html


def test_every_claim_is_quoted_verbatim_from_the_article(article_text):
    table = load("claims")
    not_found = [row.claim_id for row in table.itertuples() if row.claim_zh not in article_text]
    assert not not_found, f"claim_zh not an exact substring of the article: {not_found}"


def test_each_quote_of_the_article_is_one_claim():
    """The same words of the article are one claim, in the chapter that teaches them, counted once."""
    table = load("claims")
    repeated = table[table["claim_zh"].duplicated(keep=False)].sort_values("claim_zh")
    assert repeated.empty, f"quoted by several claims: {list(zip(repeated['claim_id'], repeated['claim_zh']))}"


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
    page = styler.to_html()
    frame = styler.data
    assert list(frame.columns) == ["Claim", "The article says", "Verdict", "What the sources say", "Source"]
    assert len(frame) == len(claims.claims_for("cost"))
    assert "AWS" in page and "href=" in page
    assert "<th class=\"blank" not in page and "row_heading" not in page, "no 0..n index"


def test_what_the_sources_say_and_the_reason_are_separate_paragraphs():
    raw = claims.claims_for("cost").iloc[0]
    cell = claims.claims_table("cost").data["What the sources say"].iloc[0]
    value_part, why_part = cell.split("<i>Why:</i>")
    assert html.escape(raw["correct_value"]) in value_part and html.escape(raw["note"]) in why_part
    assert value_part.rstrip().endswith("<div style=\"margin-top:4px;color:#444\">")


@pytest.mark.parametrize("verdict", claims.VERDICTS)
def test_verdicts_read_without_colour(verdict):
    badge = claims.verdict_badge(verdict)
    symbol, colour, border = claims.VERDICT_STYLES[verdict]
    assert f"{symbol} {verdict}</span>" in badge and "font-weight:700" in badge
    assert contrast_on_white(colour) >= 4.5, f"{verdict}: {colour} is too pale for text on white"
    assert len({s for s, _, _ in claims.VERDICT_STYLES.values()}) == len(claims.VERDICTS)


def test_no_raw_dollar_reaches_the_page():
    page = claims.claims_table("cost").to_html()
    assert claims.claims_for("cost")["claim_zh"].str.contains("$", regex=False).any()
    assert not unprotected_dollars_html(page)


def test_verdict_counts_cover_every_claim():
    numbers = claims.verdict_numbers()
    assert list(numbers) == list(claims.VERDICTS)
    assert sum(numbers.values()) == len(load("claims"))
    assert sum(claims.verdict_numbers("cost").values()) == len(claims.claims_for("cost"))


def test_verdict_counts_is_a_labelled_table_without_dtype_or_index():
    styler = claims.verdict_counts()
    page = styler.to_html()
    assert list(styler.data.columns) == ["Verdict", "Claims", "Share of claims"]
    assert styler.data["Claims"].iloc[-1] == len(load("claims"))
    assert "dtype" not in page and "row_heading" not in page and "Verdicts on the claims of the whole article" in page
    assert "100%" in page


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
    assert list(frame["Claim"]) == list(raw["claim_id"])
    assert frame.notna().all().all()
    assert all(zh in said for zh, said in zip(raw["claim_zh"].map(html.escape), frame["The article says"]))
