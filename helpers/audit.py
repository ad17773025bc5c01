"""The claims audit (chapter 9): where every number of the article went, and how far off the wrong ones are.

The article the course audits is kept in the project, ``data/article_zh.txt`` (a copy of the page,
:data:`ARTICLE_URL`; its SHA-256 is pinned in :data:`ARTICLE_SHA256`, so an edited copy is noticed).
Everything here reads that copy and ``data/claims.csv``:

* :func:`table_cells` parses the article's two tables, the performance table (性能数据对比, one line of
  Markdown) and the appendix (附录:技术参数对比表), into cells with their offsets in the text;
* :func:`table_coverage` says which claims quote each cell: a claim covers a cell when one occurrence of
  its quote spans the cell *and* the row's label (so "70-85%" counts only where it is CPU utilisation);
* :func:`unexplained_numbers` lists every number of the whole article that is neither inside a claim's
  quote nor one of the few numbers that are not claims (:data:`NOT_CLAIMS`, section numbers);
* :func:`duplicate_quotes` and :func:`nested_quotes` check that each quote is one claim, counted once;
* :func:`verdicts_by_chapter` counts the verdicts; :func:`claim_cards` lays every claim out as lines of
  text for the filterable view of chapter 9;
* :func:`magnitudes` reads ``data/claim_magnitudes.csv``: for the numeric claims, the article's range
  and the sources' range of the same quantity in one unit, and how many times apart they are.

Everything is a pure function of those files. What it leaves out: a number written in words
(二, 百万) is not a number to :func:`numbers_in`; only the article's words "百万级", "千万级" carry such
magnitudes, and both sit inside claims.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from .claims import CLAIM_CHAPTERS, VERDICTS
from .data import DATA_DIR, SCHEMAS, Column, load, register_schema
from .validation import require_choice, require_frame, require_integer, require_text

__all__ = ["ARTICLE_FILE", "ARTICLE_URL", "ARTICLE_SHA256", "ARTICLE_DATE", "TABLES", "NOT_CLAIMS",
           "NESTED_QUOTES_EXPLAINED", "CHAPTER_LABELS", "article_text", "numbers_in", "table_cells", "table_numbers",
           "claim_spans", "table_coverage", "unexplained_numbers", "number_census", "duplicate_quotes",
           "nested_quotes", "verdicts_by_chapter", "claim_cards", "wrap_display", "display_width", "magnitudes",
           "magnitude", "CHECK_STEPS", "check_steps"]

#: The project's copy of the audited article (UTF-8 text of the page, as stored in the course's research folder).
ARTICLE_FILE = DATA_DIR / "article_zh.txt"
ARTICLE_URL = "https://www.zhitaoyun.cn/2188159.html"
ARTICLE_DATE = "2025-04-22"
#: SHA-256 of ARTICLE_FILE: the tests fail if the copy changes (every claim quote depends on it).
ARTICLE_SHA256 = "1d9bdc3ef1867ae30a05202cdf978684d762c965fc072789a72cafb0eab27686"

TABLES = ("performance", "appendix")
#: The article's column headers: 虚拟机 (VM) and 云服务器(容器) (cloud server, container).
TABLE_COLUMNS = ("vm", "container")
_PERFORMANCE_MARKER = "性能数据对比:"
_APPENDIX_MARKER = "附录:技术参数对比表"
_APPENDIX_END = "注:"

#: Numbers of the article that are not claims, each as an exact piece of the text and why it is not a claim.
NOT_CLAIMS = (
    ("2025-04-22 20:46:55", "the page's publication time (metadata; the course cites the article by this date)"),
    ("- 2\n", "the page's comment counter under the date (metadata)"),
    ("K8s", "an abbreviation of Kubernetes (8 letters between the K and the s)"),
    ("2188159", "the article's own address (本文链接)"),
)
#: Section numbers ("1 虚拟机技术发展轨迹") start a line and are followed by a space: headings, not claims.
_SECTION_NUMBER = re.compile(r"(?m)^\d(?= \S)")
#: A number: digits, with thousands separators or a decimal point inside ("10,000", "1.3", "2876").
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")

#: Quotes that contain another claim's quote on purpose, outside the two tables (where a row's quote contains its
#: first cell's quote: the VM cell is judged alone, the row as the comparison): outer id, inner id -> why.
NESTED_QUOTES_EXPLAINED = {
    ("security-10", "security-11"): "the anecdote (no party, date or report: unverifiable) and the mechanism "
                                    "inside it (GuardDuty blocking a DDoS attack: checkable, wrong)",
}

#: How the chart and the filters name each value of claims.csv's ``chapter`` column.
CHAPTER_LABELS = {
    "intro": "opening summary",
    "history": "01 history",
    "architecture": "02 architecture",
    "resources": "03 resources",
    "performance": "04 performance",
    "cost": "05 cost",
    "security": "06 security",
    "scenarios": "07 scenarios",
    "trends": "08 trends",
}

_CLAIM_COLUMNS = SCHEMAS["claims"].columns


# --------------------------------------------------------------------------------------------- the article
@lru_cache(maxsize=1)
def _article_from_file() -> str:
    if not ARTICLE_FILE.exists():
        raise ValueError(f"the article is missing: {ARTICLE_FILE} (restore it with git checkout -- data/article_zh.txt)")
    return ARTICLE_FILE.read_text(encoding="utf-8")


def article_text() -> str:
    """The audited article, as the project keeps it (``data/article_zh.txt``)."""
    return _article_from_file()


def _text(text: str | None) -> str:
    if text is None:
        return article_text()
    require_text("text", text)
    for marker in (_PERFORMANCE_MARKER, _APPENDIX_MARKER, _APPENDIX_END):
        if marker not in text:
            raise ValueError(f"text must be the article, with its two tables (it has no {marker!r}); got "
                             f"{len(text)} characters starting {text[:30]!r}")
    return text


def article_digest(text: str) -> str:
    """SHA-256 of ``text`` encoded as UTF-8 (compare with :data:`ARTICLE_SHA256`)."""
    return hashlib.sha256(require_text("text", text).encode("utf-8")).hexdigest()


def numbers_in(text: str) -> list[str]:
    """Every number written in digits in ``text``, in order: "10,000-50,000" gives ["10,000", "50,000"]."""
    require_text("text", text, allow_empty=True)
    return _NUMBER.findall(text)


# ---------------------------------------------------------------------------------------------- the tables
def _cells_between(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The non-empty, non-rule cells of a pipe table between ``start`` and ``end``: (text, start, end)."""
    cells = []
    for match in re.finditer(r"[^|\n]+", text[start:end]):
        raw = match.group()
        stripped = raw.strip()
        if not stripped or set(stripped) <= {"-", ":", " "}:
            continue
        offset = start + match.start() + (len(raw) - len(raw.lstrip()))
        cells.append((stripped, offset, offset + len(stripped)))
    return cells


def _table_spans(text: str) -> dict[str, tuple[int, int]]:
    performance_at = text.index(_PERFORMANCE_MARKER) + len(_PERFORMANCE_MARKER)
    performance_end = text.find("\n", performance_at)
    appendix_at = text.index("\n", text.index(_APPENDIX_MARKER)) + 1
    appendix_end = text.index(_APPENDIX_END, appendix_at)
    return {"performance": (performance_at, performance_end if performance_end >= 0 else len(text)),
            "appendix": (appendix_at, appendix_end)}


def table_cells(text: str | None = None) -> pd.DataFrame:
    """Every cell of the article's two tables, one row per cell (the header rows left out).

    Columns: ``table`` (performance or appendix), ``row`` (1 = first row under the header),
    ``metric`` (the row's label, e.g. CPU利用率), ``column`` (vm or container), ``cell`` (its text),
    ``start``/``end`` (offsets of the cell in the article) and ``metric_start``/``metric_end``
    (offsets of the row's label). ``text``: the article (default: :func:`article_text`).
    """
    text = _text(text)
    rows = []
    for table, (start, end) in _table_spans(text).items():
        cells = _cells_between(text, start, end)
        width = 1 + len(TABLE_COLUMNS)
        if len(cells) < 2 * width or len(cells) % width:
            raise ValueError(f"text: the {table} table does not parse into rows of {width} cells "
                             f"(found {len(cells)} cells)")
        for row_number, first in enumerate(range(width, len(cells), width), start=1):
            (metric, metric_start, metric_end), *values = cells[first:first + width]
            for column, (cell, cell_start, cell_end) in zip(TABLE_COLUMNS, values):
                rows.append({"table": table, "row": row_number, "metric": metric, "column": column, "cell": cell,
                             "start": cell_start, "end": cell_end, "metric_start": metric_start,
                             "metric_end": metric_end})
    return pd.DataFrame(rows)


def table_numbers(text: str | None = None) -> pd.DataFrame:
    """Every number written in the cells of the two tables: the cell's columns plus ``number``."""
    cells = table_cells(text)
    rows = [{**cell, "number": number} for cell in cells.to_dict("records") for number in numbers_in(cell["cell"])]
    return pd.DataFrame(rows, columns=[*cells.columns, "number"])


# ---------------------------------------------------------------------------------------------- the claims
def _claims(claims: pd.DataFrame | None) -> pd.DataFrame:
    if claims is None:
        return load("claims")
    return require_frame("claims", claims, _CLAIM_COLUMNS, key="claim_id", min_rows=0)


def claim_spans(claims: pd.DataFrame | None = None, text: str | None = None) -> pd.DataFrame:
    """Where each claim's quote stands in the article: one row per occurrence (claim_id, chapter, start, end).

    A quote that is not in the article has no row (``tests/test_claims.py`` requires every quote to be there).
    """
    claims, text = _claims(claims), _text(text)
    rows = []
    for claim_id, chapter, quote in zip(claims["claim_id"], claims["chapter"], claims["claim_zh"]):
        at = text.find(quote)
        while at >= 0 and quote:
            rows.append({"claim_id": claim_id, "chapter": chapter, "start": at, "end": at + len(quote)})
            at = text.find(quote, at + 1)
    return pd.DataFrame(rows, columns=["claim_id", "chapter", "start", "end"])


def table_coverage(claims: pd.DataFrame | None = None, text: str | None = None) -> pd.DataFrame:
    """For each table cell, the claims that quote it (with its row's label) and the numbers in it.

    Columns of :func:`table_cells` plus ``numbers`` (the cell's numbers, comma-separated, "" for
    a cell without digits), ``claim_ids`` (comma-separated) and ``covered`` (at least one claim).
    """
    text = _text(text)
    cells = table_cells(text)
    spans = claim_spans(claims, text)
    covering = []
    for cell in cells.itertuples():
        inside = spans[(spans["start"] <= min(cell.start, cell.metric_start)) &
                       (spans["end"] >= max(cell.end, cell.metric_end))]
        covering.append(", ".join(dict.fromkeys(inside["claim_id"])))
    return cells.assign(numbers=[", ".join(numbers_in(c)) for c in cells["cell"]], claim_ids=covering,
                        covered=[bool(ids) for ids in covering])


def _explained_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for snippet, why in NOT_CLAIMS:
        at = text.find(snippet)
        while at >= 0:
            spans.append((at, at + len(snippet), why))
            at = text.find(snippet, at + 1)
    spans += [(m.start(), m.end(), "a section number (heading)") for m in _SECTION_NUMBER.finditer(text)]
    return spans


def _number_rows(claims: pd.DataFrame | None, text: str | None) -> pd.DataFrame:
    text = _text(text)
    spans = claim_spans(claims, text)
    explained = _explained_spans(text)
    rows = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        inside = spans[(spans["start"] <= start) & (spans["end"] >= end)]
        why = next((reason for s, e, reason in explained if s <= start and end <= e), "")
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        rows.append({"number": match.group(), "start": start,
                     "context": text[max(line_start, start - 20):min(line_end, end + 20)],
                     "claim_ids": ", ".join(dict.fromkeys(inside["claim_id"])), "not_a_claim": why})
    return pd.DataFrame(rows, columns=["number", "start", "context", "claim_ids", "not_a_claim"])


def unexplained_numbers(claims: pd.DataFrame | None = None, text: str | None = None) -> pd.DataFrame:
    """Numbers of the article inside no claim's quote and not listed as non-claims: should be empty.

    Columns: ``number``, ``start`` (offset), ``context`` (the text around it), ``claim_ids`` and
    ``not_a_claim`` (both empty here).
    """
    rows = _number_rows(claims, text)
    return rows[(rows["claim_ids"] == "") & (rows["not_a_claim"] == "")].reset_index(drop=True)


def number_census(claims: pd.DataFrame | None = None, text: str | None = None) -> dict[str, int]:
    """How many numbers the article writes in digits, and where they went.

    Keys: ``numbers`` (all), ``in_claims`` (inside a claim's quote), ``not_claims`` (metadata,
    section numbers, names: :data:`NOT_CLAIMS`, even inside a quote, as the 8 of "K8s"),
    ``unexplained`` (neither: should be 0), ``table_numbers`` (in the two tables) and
    ``table_numbers_in_claims``. The first three add up to ``numbers`` when nothing is unexplained.
    """
    rows = _number_rows(claims, text)
    in_claims = (rows["claim_ids"] != "") & (rows["not_a_claim"] == "")
    tables = table_numbers(text)
    coverage = table_coverage(claims, text)
    covered_cells = set(zip(coverage.loc[coverage["covered"], "start"]))
    return {
        "numbers": len(rows),
        "in_claims": int(in_claims.sum()),
        "not_claims": int((~in_claims & (rows["not_a_claim"] != "")).sum()),
        "unexplained": int((~in_claims & (rows["not_a_claim"] == "")).sum()),
        "table_numbers": len(tables),
        "table_numbers_in_claims": int(sum((start,) in covered_cells for start in tables["start"])),
    }


def duplicate_quotes(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims that quote exactly the same words (each quote must be one claim): claim_id, claim_zh."""
    claims = _claims(claims)
    repeated = claims[claims["claim_zh"].duplicated(keep=False)]
    return repeated[["claim_id", "claim_zh"]].sort_values(["claim_zh", "claim_id"]).reset_index(drop=True)


def nested_quotes(claims: pd.DataFrame | None = None, text: str | None = None) -> pd.DataFrame:
    """Pairs of claims whose quote lies inside another claim's quote, and why that is allowed.

    Columns: ``outer``, ``inner`` (claim ids), ``why``: "one table row: ..." when both quote the
    same row of a table (the inner one judges the VM cell, the outer one the row), the reason from
    :data:`NESTED_QUOTES_EXPLAINED`, or "" when nothing explains the nesting (a double count).
    """
    claims, text = _claims(claims), _text(text)
    cells = table_cells(text)
    rows_of_tables = cells.groupby(["table", "row"]).agg(start=("metric_start", "min"), end=("end", "max"))
    spans = claim_spans(claims, text)
    first = spans.drop_duplicates("claim_id").set_index("claim_id")
    quotes = dict(zip(claims["claim_id"], claims["claim_zh"]))
    rows = []
    for outer, outer_quote in quotes.items():
        for inner, inner_quote in quotes.items():
            if outer == inner or inner_quote not in outer_quote or inner_quote == outer_quote:
                continue
            why = NESTED_QUOTES_EXPLAINED.get((outer, inner), "")
            if not why and outer in first.index:
                start, end = first.loc[outer, "start"], first.loc[outer, "end"]
                same_row = rows_of_tables[(rows_of_tables["start"] <= start) & (rows_of_tables["end"] >= end)]
                if len(same_row):
                    table, row = same_row.index[0]
                    why = f"one table row ({table} table, row {row}): the VM cell alone, and the row"
            rows.append({"outer": outer, "inner": inner, "why": why})
    return pd.DataFrame(rows, columns=["outer", "inner", "why"])


def verdicts_by_chapter(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many claims each chapter holds per verdict: chapter, chapter_label, verdict, claims, share.

    One row per chapter and verdict (zeros included), chapters in the course's order; ``share`` is
    the verdict's share of that chapter's claims.
    """
    claims = _claims(claims)
    counts = claims.groupby(["chapter", "verdict"]).size()
    rows = []
    for chapter in CLAIM_CHAPTERS:
        total = int(counts.get(chapter, pd.Series(dtype=int)).sum()) if chapter in counts.index.get_level_values(0) else 0
        for verdict in VERDICTS:
            n = int(counts.get((chapter, verdict), 0))
            rows.append({"chapter": chapter, "chapter_label": CHAPTER_LABELS[chapter], "verdict": verdict,
                         "claims": n, "share": n / total if total else 0.0})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------ the card view
def display_width(text: str) -> int:
    """Width of ``text`` in half-em units: 2 for a Chinese character (East Asian wide or full-width), else 1."""
    require_text("text", text, allow_empty=True)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap_display(text: str, width: int, max_lines: int = 3) -> list[str]:
    """``text`` in lines at most ``width`` half-em units wide (:func:`display_width`), at most ``max_lines``.

    Breaks at spaces where it can, anywhere inside Chinese text; a text that needs more lines ends
    in "…" on its last line.
    """
    require_text("text", text, allow_empty=True)
    width = require_integer("width", width, minimum=10, maximum=400)
    max_lines = require_integer("max_lines", max_lines, minimum=1, maximum=50)
    lines: list[str] = []
    line, line_width = "", 0
    for token in re.findall(r"\S+\s*|\s+", " ".join(text.split())):
        token_width = display_width(token.rstrip())
        if line and line_width + token_width > width:
            lines.append(line.rstrip())
            line, line_width = "", 0
        while token_width > width:  # a long run of Chinese (no spaces): cut it where the width ends
            cut, used = 0, line_width
            while cut < len(token) and used + display_width(token[cut]) <= width:
                used += display_width(token[cut])
                cut += 1
            lines.append(line + token[:cut])
            line, line_width = "", 0
            token = token[cut:]
            token_width = display_width(token.rstrip())
        line += token
        line_width += display_width(token)
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and display_width(last) + 1 > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines


#: Line kinds of a claim card, top to bottom.
CARD_KINDS = ("head", "zh", "en", "sources", "gap")


def claim_cards(claims: pd.DataFrame | None = None, *, width: int = 76, en_lines: int = 3,
                sources_lines: int = 2) -> pd.DataFrame:
    """Every claim as a card of text lines, for a view that draws (and filters) them with Vega.

    One row per line: ``line`` (order in the whole list), ``claim_id``, ``chapter``,
    ``chapter_label``, ``verdict``, ``kind`` (:data:`CARD_KINDS`: the verdict and id, the article's
    words, the English, what the sources say, an empty line), ``text``, and the full texts for a
    tooltip (``claim_zh``, ``claim_en``, ``correct_value``, ``source``, ``note``). Lines are at most
    ``width`` half-em units wide; the English and the sources are cut after ``en_lines`` and
    ``sources_lines`` lines (ending in "…"; the tooltip has all of it).
    """
    from .claims import VERDICT_STYLES

    claims = _claims(claims).fillna("")
    width = require_integer("width", width, minimum=20, maximum=200)
    en_lines = require_integer("en_lines", en_lines, minimum=1, maximum=10)
    sources_lines = require_integer("sources_lines", sources_lines, minimum=1, maximum=10)
    rows = []
    for claim in claims.to_dict("records"):
        symbol = VERDICT_STYLES[claim["verdict"]][0]
        label = CHAPTER_LABELS[claim["chapter"]]
        texts = [("head", [f"{symbol} {claim['verdict']} · {claim['claim_id']} · {label}"]),
                 ("zh", wrap_display(claim["claim_zh"], width, 2)),
                 ("en", wrap_display(claim["claim_en"], width, en_lines))]
        if claim["correct_value"]:
            texts.append(("sources", wrap_display("Sources: " + claim["correct_value"], width, sources_lines)))
        texts.append(("gap", [""]))
        for kind, lines in texts:
            for text in lines:
                rows.append({"line": len(rows), "claim_id": claim["claim_id"], "chapter": claim["chapter"],
                             "chapter_label": label, "verdict": claim["verdict"], "kind": kind, "text": text,
                             "claim_zh": claim["claim_zh"], "claim_en": claim["claim_en"],
                             "correct_value": claim["correct_value"] or "–", "source": claim["source"],
                             "note": claim["note"] or "–"})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------- orders of magnitude
register_schema(
    "claim_magnitudes",
    "For the article's numeric claims: its range and the sources' range of the same quantity, in one unit.",
    [
        Column("claim_id", "str", "The claim in claims.csv."),
        Column("quantity", "str", "What is measured, as a short label."),
        Column("unit", "str", "Unit of the four values."),
        Column("article_low", "float", "The article's value (low end of its range).", unit="as in unit",
               minimum=0),
        Column("article_high", "float", "High end of the article's range (= low for one value).", unit="as in unit",
               minimum=0),
        Column("source_low", "float", "Low end of what the sources say.", unit="as in unit", minimum=0),
        Column("source_high", "float", "High end of what the sources say.", unit="as in unit", minimum=0),
        Column("primary_source", "str", "Step 1: the primary source that measured or set the value."),
        Column("units_check", "str", "Step 2: what the units say (and what the article's unit would mean)."),
        Column("measured_what", "str", "Step 3: what exactly was measured."),
        Column("measured_on", "str", "Step 3: on what (hardware, service, setup)."),
        Column("measured_when", "int", "Step 3: the year of the measurement or price.", minimum=1950, maximum=2100),
        Column("source", "str", "Citation of the sources' range."),
        Column("source_url", "str", "Address of that source."),
    ],
    key="claim_id",
)

#: The four questions of chapter 9's lesson on checking a number.
CHECK_STEPS = ("1. Find the primary source", "2. Check the units", "3. Check the order of magnitude",
               "4. Ask what was measured, on what, and when")


def magnitudes() -> pd.DataFrame:
    """``data/claim_magnitudes.csv`` with the claim's verdict and how far apart the two ranges are.

    Added columns: ``verdict`` and ``chapter`` (from claims.csv), ``article_mid`` and ``source_mid``
    (geometric middles of the ranges), ``ratio`` (article_mid / source_mid), ``factor`` (the ratio
    or its inverse, whichever is >= 1: "how many times off"), ``orders`` (log10 of the factor),
    ``direction`` ("too high", "too low" or "agrees": factor below 1.5) and ``overlap`` (the ranges
    share a value).
    """
    table = load("claim_magnitudes")
    claims = load("claims").set_index("claim_id")
    unknown = sorted(set(table["claim_id"]) - set(claims.index))
    if unknown:
        raise ValueError(f"claim_magnitudes.csv names claims that claims.csv does not have: {unknown}")
    values = table[["article_low", "article_high", "source_low", "source_high"]]
    if (values <= 0).any().any():
        raise ValueError("claim_magnitudes.csv: every value must be above 0 (the ranges are compared on a log scale)")
    bad = table[(table["article_high"] < table["article_low"]) | (table["source_high"] < table["source_low"])]
    if len(bad):
        raise ValueError(f"claim_magnitudes.csv: a range runs backwards (high below low) for {list(bad['claim_id'])}")
    article_mid = (table["article_low"] * table["article_high"]) ** 0.5
    source_mid = (table["source_low"] * table["source_high"]) ** 0.5
    ratio = article_mid / source_mid
    factor = ratio.where(ratio >= 1, 1 / ratio)
    return table.assign(
        verdict=[claims.loc[c, "verdict"] for c in table["claim_id"]],
        chapter=[claims.loc[c, "chapter"] for c in table["claim_id"]],
        article_mid=article_mid, source_mid=source_mid, ratio=ratio, factor=factor,
        orders=[math.log10(f) for f in factor],
        direction=["agrees" if f < 1.5 else "too high" if r > 1 else "too low" for f, r in zip(factor, ratio)],
        overlap=(table["article_low"] <= table["source_high"]) & (table["source_low"] <= table["article_high"]),
    )


def magnitude(claim_id: str) -> dict:
    """One row of :func:`magnitudes` as a dict (``claim_id`` one of the file's claims)."""
    table = magnitudes()
    require_choice("claim_id", claim_id, tuple(table["claim_id"]))
    return table[table["claim_id"] == claim_id].iloc[0].to_dict()


def check_steps(claim_id: str) -> pd.DataFrame:
    """The four steps of checking one number (:data:`CHECK_STEPS`), answered for one claim: step, answer."""
    row = magnitude(claim_id)

    def span(low: float, high: float) -> str:
        from .exercises import format_number

        return format_number(low) if low == high else f"{format_number(low)}-{format_number(high)}"

    factor = row["factor"]
    if row["direction"] == "agrees":
        size = f"the same order of magnitude (the middles are {factor:.1f}x apart)"
    else:
        size = (f"{factor:,.0f}x {row['direction']}" if factor >= 10 else f"{factor:.1f}x {row['direction']}") + \
               (f", {row['orders']:.1f} orders of magnitude" if factor >= 10 else "")
    answers = [
        row["primary_source"],
        row["units_check"],
        f"The article says {span(row['article_low'], row['article_high'])} {row['unit']}; the sources say "
        f"{span(row['source_low'], row['source_high'])} {row['unit']}: {size}.",
        f"{row['measured_what']}; on {row['measured_on']}; in {row['measured_when']}.",
    ]
    return pd.DataFrame({"step": list(CHECK_STEPS), "answer": answers})
