"""The course's glossary (``data/glossary.csv``): every technical term, in English and in the article's Chinese.

One row per term: the English term and its other names (``aliases``), the article's own word for it
(``term_zh``, verbatim, empty where the article has none), a one-line definition, the chapter that
teaches it, how the article misuses it (``article_usage``, naming the claim) and the source of the
definition. ``tests/test_glossary.py`` checks that each term appears in the chapter it names and each
Chinese term in the article.

:func:`search` is the model behind the glossary's search box (case-insensitive, in every text
column); :func:`glossary_table` shows its result as a styled table.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .data import Column, load, register_schema
from .tables import styled_table
from .validation import require_choice, require_text

__all__ = ["GLOSSARY_CHAPTERS", "ALL_CHAPTERS", "MAX_QUERY_CHARS", "glossary", "search", "glossary_table",
           "article_terms", "term", "term_pattern"]

#: The chapters a term can name: every chapter of the course map except the glossary itself.
GLOSSARY_CHAPTERS = ("history", "architecture", "resources", "performance", "cost", "security", "scenarios",
                     "trends", "claims_audit")
#: The chapter filter's option for every chapter.
ALL_CHAPTERS = "all"
#: Longest search text (the search box holds no more).
MAX_QUERY_CHARS = 60

register_schema(
    "glossary",
    "Every technical term the course uses: English, the article's Chinese, a one-line definition, its chapter.",
    [
        Column("term", "str", "The term in English, as the course writes it."),
        Column("aliases", "str", "Other names and abbreviations, separated by '; '.", required=False),
        Column("term_zh", "str", "The article's own word for the term, verbatim (empty if the article has none).",
               required=False),
        Column("definition", "str", "What the term means, in one line."),
        Column("chapter", "str", "The chapter that teaches the term (its slug).", allowed=GLOSSARY_CHAPTERS),
        Column("article_usage", "str", "How the article uses the term, where it misleads (naming the claim).",
               required=False),
        Column("source", "str", "Where the definition comes from."),
        Column("source_url", "str", "Address of that source.", required=False),
    ],
    key="term",
)

_SEARCHED = ("term", "aliases", "term_zh", "definition", "article_usage")


def glossary() -> pd.DataFrame:
    """The whole glossary, in file order (chapter by chapter), empty cells as ""."""
    return load("glossary").fillna("")


def term_pattern(text: str) -> re.Pattern:
    """A case-insensitive pattern for ``text`` as a whole word or phrase, plural allowed ("containers" matches
    "container"; "RTO" does not match "portfolio")."""
    require_text("text", text)
    start = r"(?<![\w-])" if re.match(r"\w", text) else ""
    end = r"(?:s|es)?(?!\w)" if re.search(r"\w$", text) else ""
    return re.compile(start + re.escape(text) + end, re.IGNORECASE)


def search(query: str = "", chapter: str = ALL_CHAPTERS) -> pd.DataFrame:
    """The glossary rows whose term, other names, Chinese term, definition or article note contain ``query``.

    Case-insensitive; spaces around the query are ignored; an empty query keeps every row. A term (or
    other name) equal to the query comes first, then terms whose names contain it, then the rest, each
    in file order. ``chapter``: a chapter
    slug or ``"all"``.
    """
    require_text("query", query, allow_empty=True)
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"query must be at most {MAX_QUERY_CHARS} characters; got {len(query)}")
    require_choice("chapter", chapter, (ALL_CHAPTERS, *GLOSSARY_CHAPTERS))
    table = glossary()
    if chapter != ALL_CHAPTERS:
        table = table[table["chapter"] == chapter]
    needle = " ".join(query.split()).lower()
    if not needle:
        return table.reset_index(drop=True)
    names = (table["term"] + "; " + table["aliases"] + "; " + table["term_zh"]).str.lower()
    exact = names.map(lambda text: needle in [part.strip() for part in text.split(";")])
    anywhere = table[list(_SEARCHED)].apply(lambda row: " ".join(row).lower(), axis=1)
    in_name = names.str.contains(needle, regex=False)
    found = in_name | anywhere.str.contains(needle, regex=False)
    ranked = table.assign(_rank=(~exact).astype(int) + (~in_name).astype(int))[found]
    return ranked.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def glossary_table(query: str = "", chapter: str = ALL_CHAPTERS, *, max_rows_visible: int = 12):
    """The terms :func:`search` finds, as a styled table: Term (other names under it), 中文 (the article's
    word), Definition (the article's misuse under it, in italics), Chapter, Source (linked)."""
    rows = search(query, chapter)
    if isinstance(max_rows_visible, bool) or not isinstance(max_rows_visible, int) or max_rows_visible < 1:
        raise ValueError(f"max_rows_visible must be a positive whole number; got {max_rows_visible!r}")
    escaped = rows.map(html.escape)

    def term_cell(term: str, aliases: str) -> str:
        other = f'<div style="color:#444;font-size:12px">{aliases}</div>' if aliases else ""
        return f"<b>{term}</b>{other}"

    def definition_cell(definition: str, usage: str) -> str:
        note = f'<div style="margin-top:3px;color:#8A5300"><i>In the article:</i> {usage}</div>' if usage else ""
        return f"{definition}{note}"

    def source_cell(source: str, url: str) -> str:
        return f'<a href="{url}" target="_blank" rel="noopener">{source}</a>' if url else source

    shown = pd.DataFrame({
        "Term": [term_cell(t, a) for t, a in zip(escaped["term"], escaped["aliases"])],
        "中文 (the article)": [f'<span lang="zh">{zh}</span>' if zh else "–" for zh in escaped["term_zh"]],
        "Definition": [definition_cell(d, u) for d, u in zip(escaped["definition"], escaped["article_usage"])],
        "Chapter": escaped["chapter"],
        "Source": [source_cell(s, u) for s, u in zip(escaped["source"], escaped["source_url"])],
    })
    found = f"{len(rows)} of {len(glossary())} terms"
    caption = found if not query.strip() and chapter == ALL_CHAPTERS else \
        f"{found} match {query.strip()!r}" + ("" if chapter == ALL_CHAPTERS else f" in chapter {chapter!r}")
    return styled_table(shown, escape=False, caption=caption, max_rows_visible=max_rows_visible,
                        wrap_columns=("Definition", "Source"))


def article_terms() -> pd.DataFrame:
    """The terms the article itself uses (a Chinese term given), with how it misuses them where it does."""
    table = glossary()
    return table[table["term_zh"] != ""].reset_index(drop=True)


def term(name: str) -> dict:
    """One row of the glossary as a dict, by its English term (case-insensitive) or one of its other names."""
    require_text("name", name)
    table = glossary()
    key = name.strip().lower()
    for row in table.to_dict("records"):
        names = [row["term"].lower(), *(a.strip().lower() for a in row["aliases"].split(";") if a.strip())]
        if key in names:
            return row
    raise ValueError(f"name must be a term of the glossary (or one of its other names); got {name!r}")
