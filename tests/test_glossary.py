"""The glossary (issue 12): every term in the chapter it names, every Chinese term in the article, a searchable view."""

from __future__ import annotations

import json
import re

import pytest

from helpers import glossary as gl
from helpers import glossary_views as gv
from helpers.course import CHAPTERS
from helpers.data import load
from helpers.widgets import LivePanel, Text
from tests.conftest import NOTEBOOKS

CHAPTER_FILES = {c.slug: c for c in CHAPTERS}
GLOSSARY = gl.glossary()


def notebook_text(filename: str) -> str:
    """Every cell of a notebook, markdown and code, as one text."""
    notebook = json.loads((NOTEBOOKS / filename).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"])


#: Rows whose chapter notebook exists in notebooks/: their terms must appear there. Rows may name a chapter
#: being written on another branch (07 scenarios, 08 trends): checked as soon as its notebook is merged.
WRITTEN = GLOSSARY[[CHAPTER_FILES[slug].written for slug in GLOSSARY["chapter"]]]


@pytest.mark.parametrize("row", WRITTEN.to_dict("records"), ids=list(WRITTEN["term"]))
def test_each_term_appears_in_the_chapter_it_names(row):
    chapter = CHAPTER_FILES[row["chapter"]]
    text = notebook_text(chapter.filename)
    assert gl.term_pattern(row["term"]).search(text), (
        f"{row['term']!r} does not appear in {chapter.filename} (case-insensitive, markdown or code)")


@pytest.mark.parametrize("row", GLOSSARY[GLOSSARY["term_zh"] != ""].to_dict("records"),
                         ids=list(GLOSSARY.loc[GLOSSARY["term_zh"] != "", "term"]))
def test_each_chinese_term_appears_in_the_article(row, article_text):
    assert row["term_zh"] in article_text, f"{row['term']}: the article does not write {row['term_zh']!r}"


def test_the_glossary_covers_the_written_chapters():
    counts = GLOSSARY["chapter"].value_counts()
    written = [c.slug for c in CHAPTERS if c.written and c.slug in gl.GLOSSARY_CHAPTERS]
    assert {"history", "architecture", "resources", "performance", "cost", "security", "claims_audit"} <= set(written)
    for slug in written:
        assert counts.get(slug, 0) >= 5, f"only {counts.get(slug, 0)} terms from {slug}"
    assert len(GLOSSARY) >= 90


def test_every_row_names_a_chapter_of_the_course_map():
    assert set(GLOSSARY["chapter"]) <= set(CHAPTER_FILES) - {"glossary", "index"}


def test_the_chapter_test_can_fail():
    """A term that no chapter writes is caught (the test reads the notebook, markdown and code)."""
    assert not gl.term_pattern("hypervisor-zz").search(notebook_text("02_architecture.ipynb"))
    assert gl.term_pattern("hypervisor").search(notebook_text("02_architecture.ipynb"))


def test_terms_and_their_other_names_are_unique():
    names = [GLOSSARY["term"].str.lower().tolist()]
    for aliases in GLOSSARY["aliases"]:
        names.append([a.strip().lower() for a in aliases.split(";") if a.strip()])
    flat = [name for group in names for name in group]
    repeated = sorted({name for name in flat if flat.count(name) > 1})
    assert not repeated, f"a name that points to two rows: {repeated}"


def test_definitions_are_one_line_and_every_row_has_a_source():
    assert not GLOSSARY["definition"].str.contains("\n").any()
    assert GLOSSARY["definition"].str.len().le(220).all(), GLOSSARY.loc[GLOSSARY["definition"].str.len() > 220, "term"]
    assert GLOSSARY["source"].str.strip().str.len().gt(0).all()
    urls = GLOSSARY.loc[GLOSSARY["source_url"] != "", "source_url"]
    assert urls.str.match(r"https?://").all()


def test_article_usage_notes_name_a_real_claim():
    claims = set(load("claims")["claim_id"])
    noted = GLOSSARY[GLOSSARY["article_usage"] != ""]
    assert len(noted) >= 8
    for row in noted.itertuples():
        ids = re.findall(r"\b(?:intro|history|architecture|resources|performance|cost|security|scenarios|trends)-\d\d\b",
                         row.article_usage)
        assert ids and set(ids) <= claims, f"{row.term}: the note must name existing claims, got {ids}"


def test_term_pattern_takes_whole_words_and_plurals():
    assert gl.term_pattern("RTO").search("the RTO is") and not gl.term_pattern("RTO").search("portfolio")
    assert gl.term_pattern("container").search("Containers share") and gl.term_pattern("NAT").search("NAT.")
    assert not gl.term_pattern("NAT").search("native") and gl.term_pattern("Type-1").search("a Type-1 hypervisor")


# ------------------------------------------------------------------------------------------------ search
def test_search_is_case_insensitive_and_finds_chinese_and_other_names():
    assert list(gl.search("rto")["term"])[0] == "RTO"
    assert list(gl.search("快照")["term"]) == ["snapshot"]
    assert "KVM" in set(gl.search("kvm")["term"]) and "Kubernetes" in set(gl.search("K8S")["term"])
    assert len(gl.search("")) == len(GLOSSARY) == len(gl.search("   "))


def test_search_puts_name_matches_first_and_filters_by_chapter():
    found = gl.search("kernel")
    assert found["term"].iloc[0] == "kernel"
    security = gl.search("", "security")
    assert set(security["chapter"]) == {"security"} and len(security) == (GLOSSARY["chapter"] == "security").sum()
    assert gl.search("zzzz-nothing").empty


@pytest.mark.parametrize(("query", "chapter", "message"), [
    (None, "all", "query must be a string"), (5, "all", "query must be a string"),
    ("x" * 61, "all", "query must be at most 60"), ("rto", "costs", "chapter must be one of"),
    ("rto", None, "chapter must be one of")])
def test_bad_search_input_is_a_value_error_naming_the_parameter(query, chapter, message):
    with pytest.raises(ValueError, match=message):
        gl.search(query, chapter)


def test_glossary_table_is_styled_labelled_and_escaped():
    table = gl.glossary_table("rto")
    page = table.to_html()
    assert list(table.data.columns) == ["Term", "中文 (the article)", "Definition", "Chapter", "Source"]
    assert "row_heading" not in page and f"1 of {len(GLOSSARY)} terms match 'rto'" in page.replace("&#x27;", "'")
    assert "href=" in page and "<i>In the article:</i>" in page
    assert "&lt;" in gl.glossary_table("<script>").to_html() or "No term" not in page


def test_term_finds_a_row_by_any_of_its_names():
    assert gl.term("k8s")["term"] == "Kubernetes" and gl.term("Recovery Time Objective")["term"] == "RTO"
    with pytest.raises(ValueError, match="name must be a term"):
        gl.term("no such term")


# ---------------------------------------------------------------------------------------------- the views
def test_the_panel_searches_as_you_type():
    panel = gv.glossary_panel()
    assert isinstance(panel, LivePanel) and isinstance(panel.parameters["query"], Text)
    assert "100</b> of 100" in panel.text_widget.value.replace(str(len(GLOSSARY)), "100")
    panel.controls["query"].value = "快照"
    assert "snapshot" in panel.table_widget.value and "<b>1</b>" in panel.text_widget.value
    panel.controls["query"].value = "nothing-like-this"
    assert "No term matches" in panel.text_widget.value and panel.table_widget.value == ""
    panel.controls["query"].value = "x" * 500  # what a browser might send: cut to the box's length
    assert len(panel.values()["query"]) == gl.MAX_QUERY_CHARS


def test_the_static_search_filters_in_vega_with_a_text_param():
    chart = gv.glossary_search_chart("rto", controls_id="glossary-box")
    spec = chart.to_dict(validate=True)
    params = [p for part in spec["vconcat"][0]["vconcat"] for p in part.get("params", [])] + spec.get("params", [])
    query = next(p for p in params if p["name"] == gv.PARAM_QUERY)
    assert query["value"] == "rto" and query["bind"]["input"] == "search" and query["bind"]["element"] == "#glossary-box"
    cards = gv.glossary_cards()
    assert set(cards.loc[cards["kind"] == "head", "term"]) == set(GLOSSARY["term"])
    assert (cards["haystack"] == cards["haystack"].str.lower()).all()


def test_glossary_search_html_puts_the_box_above_the_chart():
    page = gv.glossary_search("vcpu").data
    box = re.search(r'<div id="(glossary-controls-[0-9a-f]+)"', page)
    assert box and page.index(box.group(0)) < page.index("vega") and f'"#{box.group(1)}"' in page


def test_article_terms_table_lists_the_misused_words():
    table = gv.article_terms_table()
    assert set(table.data["term"]) >= {"container", "cloud server", "RTO"}
    assert "云服务器" in table.to_html()


@pytest.mark.parametrize(("check", "right", "wrong"), [
    (gv.check_cloud_server_platform, "virtual machine", "container"),
    (gv.check_backup_interval_bounds, "RPO", "RTO"),
    (gv.check_shared_kernel_platform, "containers", "virtual machines")])
def test_exercise_checks_explain_every_option(check, right, wrong):
    assert check(right) and check(f"  {right.upper()} ")
    result = check(wrong)
    assert not result and "Hint:" in result.message and len(result.message.split(". ")) >= 2
    assert not check(None) and not check(3)


def test_the_notebooks_summary_counts_hold():
    text = notebook_text("10_glossary.ipynb")
    assert f"The glossary holds {len(GLOSSARY)} terms" in text
    assert f"{(GLOSSARY['term_zh'] != '').sum()} of them have the article's Chinese word" in text


def test_article_words_table_lists_every_chinese_term_styled():
    table = gv.article_words_table()
    page = table.to_html()
    assert list(table.data["term_zh"]) == list(GLOSSARY.loc[GLOSSARY["term_zh"] != "", "term_zh"])
    assert "row_heading" not in page and "The article writes" in page and "Taught in" in page
    assert f"The article writes {(GLOSSARY['term_zh'] != '').sum()} of the glossary's {len(GLOSSARY)} terms" in page.replace("&#x27;", "'")


def test_a_card_names_the_chinese_term_only_when_it_differs():
    heads = gv.glossary_cards().query("kind == 'head'").set_index("term")["text"]
    assert heads["KVM"] == "KVM  · 02 architecture" and heads["hypervisor"] == "hypervisor  · 02 architecture"
    assert heads["snapshot"].startswith("snapshot  快照")
