"""The claims audit (issue 12): every number of the article's two tables (and of the whole article) has a claim.

How the table test works: ``helpers.audit.table_cells`` parses the performance table (one line of Markdown
after 性能数据对比:) and the appendix (the lines after 附录:技术参数对比表, up to 注:) into cells with their
offsets in the article; ``table_numbers`` takes every number written in digits out of every cell; a claim
covers a cell when one occurrence of its quote (``claim_zh``) spans both the cell and the row's label. A
number without a covering claim fails the test, naming the table, row, column and number.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from helpers import audit
from helpers.claims import CLAIM_CHAPTERS, VERDICTS
from helpers.data import load
from tests.conftest import ARTICLE, SHARED_ARTICLE


# ------------------------------------------------------------------------------------------ the article
def test_the_project_keeps_the_article_and_it_is_the_audited_one(article_text):
    assert audit.ARTICLE_FILE == ARTICLE
    assert audit.article_digest(article_text) == audit.ARTICLE_SHA256, (
        "data/article_zh.txt changed: every claim quote depends on it (restore it with git checkout)")
    assert audit.ARTICLE_URL in article_text and audit.ARTICLE_DATE in article_text


def test_the_research_copy_beside_the_checkout_is_the_same_text(article_text):
    if not SHARED_ARTICLE.exists():
        pytest.skip(f"no research copy at {SHARED_ARTICLE} (a checkout on its own): the project's copy is used")
    assert SHARED_ARTICLE.read_text(encoding="utf-8") == article_text


# ------------------------------------------------------------------------------------------ the tables
def test_the_tables_parse_into_their_rows_and_columns():
    cells = audit.table_cells()
    assert cells.groupby("table")["row"].max().to_dict() == {"performance": 4, "appendix": 7}
    assert set(cells["column"]) == {"vm", "container"} and len(cells) == 2 * (4 + 7)
    text = audit.article_text()
    assert all(text[s:e] == cell for s, e, cell in zip(cells["start"], cells["end"], cells["cell"]))
    cpu = cells[(cells["metric"] == "CPU利用率")].set_index("column")["cell"].to_dict()
    assert cpu == {"vm": "70-85%", "container": "95-100%"}
    rto = cells[cells["metric"] == "数据恢复时间(RTO)"].set_index("column")["cell"].to_dict()
    assert rto == {"vm": "1-4小时", "container": "<1分钟"}


def test_every_number_of_both_tables_is_extracted():
    numbers = audit.table_numbers()
    by_cell = numbers.groupby(["metric", "column"])["number"].apply(list).to_dict()
    assert by_cell[("存储IOPS", "vm")] == ["10,000", "50,000"] and by_cell[("存储IOPS", "container")] == ["100,000"]
    assert by_cell[("单实例成本($/月)", "vm")] == ["50", "200"] and by_cell[("网络延迟", "container")] == ["20", "100"]
    assert numbers.groupby("table").size().to_dict() == {"performance": 15, "appendix": 11}


def _table_lines_by_hand(text: str) -> dict[str, list[str]]:
    """The two tables' body lines, found without helpers.audit: the performance table is the one line after
    性能数据对比:, the appendix the lines between its title and 注: (the header rows dropped)."""
    performance = text.split("性能数据对比:", 1)[1].split("\n", 1)[0]
    performance_rows = [r for r in re.split(r"\|\s*\|", performance) if r.strip(" |-")][1:]  # row 0: the header
    appendix = text.split("附录:技术参数对比表", 1)[1].split("注:", 1)[0].strip().splitlines()[2:]
    return {"performance": performance_rows, "appendix": appendix}


def _uncovered_by_hand(text: str, quotes: list[str]) -> tuple[int, list[str]]:
    """(how many numbers the two tables hold, those with no quote covering them): a quote covers a cell when it
    holds the row's label and the cell, in that order, and stands in the article."""
    found, missing = 0, []
    for table, lines in _table_lines_by_hand(text).items():
        for line in lines:
            label, *cells = [c.strip() for c in line.strip(" |").split("|")]
            for cell in cells:
                for number in re.findall(r"\d(?:[\d,.]*\d)?", cell):
                    found += 1
                    if not any(label in q and cell in q and q in text and q.index(label) < q.index(cell, len(label))
                               for q in quotes):
                        missing.append(f"{table} table, {label} / {cell}: {number}")
    return found, missing


def test_every_number_of_both_tables_in_the_seed_article_has_a_claim():
    """Independent of helpers.audit's parser: every number in the two tables of the seed article
    (../shared/seed/article_zh.txt, or the project's copy) lies inside a claim's quote that also holds the
    row's label. Fails naming the table, row, cell and number."""
    path = SHARED_ARTICLE if SHARED_ARTICLE.exists() else ARTICLE
    text = path.read_text(encoding="utf-8")
    found, missing = _uncovered_by_hand(text, list(load("claims")["claim_zh"]))
    assert found == len(audit.table_numbers()) == 26, "the hand split and helpers.audit see the same 26 numbers"
    assert not missing, f"{path.name}: numbers of the article's tables with no row in data/claims.csv:\n" + \
        "\n".join(missing)


def test_the_seed_table_check_fails_without_a_claim():
    text = ARTICLE.read_text(encoding="utf-8")
    quotes = [q for q in load("claims")["claim_zh"] if "数据恢复时间" not in q]
    found, missing = _uncovered_by_hand(text, quotes)
    assert found == 26 and missing == ["appendix table, 数据恢复时间(RTO) / 1-4小时: 1",
                                       "appendix table, 数据恢复时间(RTO) / 1-4小时: 4",
                                       "appendix table, 数据恢复时间(RTO) / <1分钟: 1"]


def test_every_number_of_the_two_tables_has_a_claim():
    coverage = audit.table_coverage()
    numbers = audit.table_numbers().merge(coverage[["start", "claim_ids"]], on="start")
    missing = numbers[numbers["claim_ids"] == ""]
    assert missing.empty, "numbers of the article's tables with no row in data/claims.csv:\n" + "\n".join(
        f"  {r.table} table, {r.metric} / {r.column}: {r.number} (cell {r.cell!r})" for r in missing.itertuples())


def test_every_cell_of_the_two_tables_has_a_claim_even_without_digits():
    coverage = audit.table_coverage()
    assert coverage["covered"].all(), coverage.loc[~coverage["covered"], ["table", "metric", "column", "cell"]]


def test_a_claim_covers_a_cell_only_with_its_rows_label():
    """"70-85%" quoted alone would not say which row it is: coverage needs the label inside the quote."""
    claims = load("claims")
    row = claims[claims["claim_id"] == "resources-12"]
    assert audit.table_coverage(claims=row)["covered"].sum() == 2, "the whole CPU row covers both of its cells"
    bare = row.assign(claim_id="cost-99", claim_zh="70-85%")
    assert not audit.table_coverage(claims=bare)["covered"].any()


def test_the_table_test_fails_when_a_cells_claim_is_missing():
    claims = load("claims")
    without = claims[claims["claim_id"] != "cost-12"]
    coverage = audit.table_coverage(claims=without)
    assert set(coverage.loc[~coverage["covered"], "metric"]) == {"单实例成本($/月)"}


# ------------------------------------------------------------------------------------ the whole article
def test_every_number_in_the_article_is_in_a_claim_or_explained():
    """Every price, percentage, date and count the article writes in digits is inside a claim's quote, or is
    metadata, a section number or a name (helpers.audit.NOT_CLAIMS): nothing is left unexamined."""
    left = audit.unexplained_numbers()
    assert left.empty, "numbers of the article in no claim:\n" + "\n".join(
        f"  {r.number!r} in ...{r.context}..." for r in left.itertuples())


def test_the_non_claims_are_in_the_article_and_few():
    text = audit.article_text()
    assert all(snippet in text for snippet, _ in audit.NOT_CLAIMS)
    census = audit.number_census()
    assert census["unexplained"] == 0 and census["table_numbers"] == census["table_numbers_in_claims"] == 26
    assert census["numbers"] == census["in_claims"] + census["not_claims"]
    assert census["not_claims"] <= 25, "metadata, section numbers and names only"


def test_a_name_inside_a_quote_stays_a_non_claim():
    """The 8 of "K8s" is part of a name even when a claim quotes the sentence around it: the census is the same
    whichever chapters quote that sentence (chapter 8's trends-09 does)."""
    claims = load("claims")
    sentence = claims.iloc[:1].assign(claim_id="trends-99", chapter="trends",
                                      claim_zh='阿里云"云原生虚拟化平台"(CNV)将K8s与VM结合')
    assert sentence["claim_zh"].iloc[0] in audit.article_text()
    with_it = audit.number_census(pd.concat([claims[claims["claim_id"] != "trends-09"], sentence]))
    assert with_it == audit.number_census()


def test_the_number_check_can_fail():
    claims = load("claims")
    left = audit.unexplained_numbers(claims=claims[claims["claim_id"] != "cost-01"])
    assert list(left["number"]) == ["3.50"]


# ------------------------------------------------------------------------------------- one quote, one claim
def test_each_quote_of_the_article_is_one_claim():
    duplicates = audit.duplicate_quotes()
    assert duplicates.empty, f"the same words quoted by several claims (count them once):\n{duplicates}"


def test_every_nested_quote_is_explained():
    nested = audit.nested_quotes()
    assert len(nested) >= 1
    unexplained = nested[nested["why"] == ""]
    assert unexplained.empty, f"a claim's quote inside another claim's quote, unexplained (a double count?):\n{unexplained}"


def test_the_duplicate_checks_can_fail():
    claims = load("claims")
    copy = claims[claims["claim_id"] == "cost-01"].assign(claim_id="cost-98")
    assert list(audit.duplicate_quotes(pd.concat([claims, copy]))["claim_id"]) == ["cost-01", "cost-98"]
    inner = claims[claims["claim_id"] == "cost-01"].assign(claim_id="cost-97", claim_zh="AWS起价$3.50/核/小时")
    nested = audit.nested_quotes(pd.concat([claims, inner]))
    assert nested.set_index(["outer", "inner"]).loc[("cost-01", "cost-97"), "why"] == ""


# ----------------------------------------------------------------------------------------- verdict counts
def test_verdicts_by_chapter_count_every_claim_once():
    table = audit.verdicts_by_chapter()
    claims = load("claims")
    assert table["claims"].sum() == len(claims)
    assert list(dict.fromkeys(table["chapter"])) == list(CLAIM_CHAPTERS)
    assert len(table) == len(CLAIM_CHAPTERS) * len(VERDICTS)
    shares = table.groupby("chapter")["share"].sum()
    assert all(math.isclose(s, 1.0) or s == 0 for s in shares)


# ------------------------------------------------------------------------------------------- the cards
def test_display_width_counts_chinese_double():
    assert audit.display_width("CPU利用率") == 3 + 6
    assert audit.display_width("") == 0


@pytest.mark.parametrize("text", ["A short line.", "内存延迟 | 50-100μs | 20-30μs", "x " * 200, "虚拟机" * 60])
def test_wrapped_lines_fit_and_keep_the_words(text):
    lines = audit.wrap_display(text, 40, max_lines=50)
    assert all(audit.display_width(line) <= 40 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_long_text_is_cut_with_an_ellipsis():
    lines = audit.wrap_display("word " * 100, 30, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…") and audit.display_width(lines[-1]) <= 30


def test_claim_cards_hold_every_claim_with_a_head_line():
    cards = audit.claim_cards()
    claims = load("claims")
    heads = cards[cards["kind"] == "head"]
    assert list(heads["claim_id"]) == list(claims["claim_id"])
    assert list(cards["line"]) == list(range(len(cards)))
    assert cards.groupby("claim_id")["kind"].last().eq("gap").all()
    assert all(audit.display_width(t) <= 76 for t in cards["text"])
    assert len(cards) < 5000, "altair's inline-data limit"


# ----------------------------------------------------------------------------------------- magnitudes
def test_magnitudes_name_real_claims_and_agree_with_their_text():
    table = audit.magnitudes()
    claims = load("claims").set_index("claim_id")
    assert table["claim_id"].is_unique and len(table) >= 8
    for row in table.itertuples():
        assert row.claim_id in claims.index
        assert row.factor >= 1 and row.article_low <= row.article_high and row.source_low <= row.source_high
    by_id = table.set_index("claim_id")
    assert round(by_id.loc["cost-01", "factor"]) == 73, "cost-01's correct_value says ~73x"
    assert by_id.loc["performance-02", "orders"] > 2.5 and by_id.loc["performance-03", "overlap"]
    assert set(table["verdict"]) >= {"wrong", "misleading"}


def test_check_steps_answer_the_four_questions():
    steps = audit.check_steps("performance-02")
    assert list(steps["step"]) == list(audit.CHECK_STEPS)
    assert "913x too high" in steps["answer"].iloc[2] and "2009" in steps["answer"].iloc[3]
    agrees = audit.check_steps("cost-03")["answer"].iloc[2]
    assert "same order of magnitude" in agrees


@pytest.mark.parametrize("bad", ["performance-99", "", None, 3])
def test_an_unknown_claim_is_a_value_error(bad):
    with pytest.raises(ValueError, match="claim_id must be one of"):
        audit.magnitude(bad)


def test_a_text_that_is_not_the_article_is_refused():
    with pytest.raises(ValueError, match="text must be the article"):
        audit.table_cells("just some text")
    broken = audit.article_text().replace("| 20-30μs |", "|")
    with pytest.raises(ValueError, match="does not parse into rows"):
        audit.table_cells(broken)
