"""Tables a student reads: labelled headers with units, no 0..n index, numbers formatted, dollars kept.

Every table the course shows (a cell's result, a live panel's table, the claims) goes through
:func:`styled_table`::

    styled_table(frame, labels={"cost_usd_per_month": "Cost (USD per month)"}, formats={"share": "{:.1%}"})

* Headers: ``labels`` first; other snake_case names are turned into words with the unit from the
  suffix (:func:`column_label`: ``overhead_memory_mib`` -> "Overhead memory (MiB)"). Give a label
  when the automatic one is not what a reader needs.
* Numbers: integers with thousands separators, other floats with two decimals, both never in
  scientific notation; ``formats`` overrides per column (a format string or a function).
  Missing values show as an en dash.
* Text is HTML-escaped (``escape=False`` for cells that already hold HTML), and every ``$`` is
  protected (:mod:`helpers.text`).
* No index. A long table (more than ``max_rows_visible`` rows) scrolls inside a bounded box with its
  header kept in view.

The result is a :class:`StyledTable` (``.data`` is the table, with its original column names, for code;
``.to_html()`` its HTML; it shows itself in a notebook). Cells are plain ``<td>value</td>``.
"""

from __future__ import annotations

import html
import math
import numbers
import re
import uuid
from collections.abc import Callable, Mapping

import pandas as pd

from .text import protect_dollars_html

__all__ = ["UNIT_SUFFIXES", "StyledTable", "column_label", "format_value", "styled_table", "TABLE_FONT_PX", "ROW_HEIGHT_PX"]

#: Column-name suffixes and the unit they stand for (longest first; the first match wins).
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_usd_per_month", "USD per month"), ("_usd_per_year", "USD per year"), ("_usd_per_hour", "USD per hour"),
    ("_usd_per_kwh", "USD per kWh"), ("_usd_per_gb_month", "USD per GB-month"), ("_usd", "USD"),
    ("_per_host", "per host"), ("_gib", "GiB"), ("_mib", "MiB"), ("_gb", "GB"), ("_pct", "%"),
    ("_years", "years"), ("_year", "year"), ("_days", "days"), ("_hours", "hours"), ("_min", "min"),
    ("_ms", "ms"), ("_s", "s"), ("_kwh", "kWh"), ("_w", "W"),
)
#: Words spelled as their acronym in labels.
ACRONYMS = {"cpu": "CPU", "vcpu": "vCPU", "vcpus": "vCPUs", "vm": "VM", "vms": "VMs", "os": "OS", "pue": "PUE",
            "id": "ID", "gpu": "GPU", "io": "I/O", "ram": "RAM", "usd": "USD"}
TABLE_FONT_PX = 13
ROW_HEIGHT_PX = 30
_SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _words(name: str) -> str:
    words = [ACRONYMS.get(word, word) for word in name.split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else text


def column_label(name) -> str:
    """A reader's header for a column name: snake_case becomes words, a unit suffix becomes "(unit)".

    ``"cost_usd_per_month"`` -> "Cost (USD per month)"; ``"by_cpu"`` -> "By CPU"; a name that is not
    snake_case (it has capitals, spaces or punctuation) is returned as it is.
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be a column name (a string); got {name!r:.80} of type {type(name).__name__}")
    if not _SNAKE.match(name):
        return name
    if name.endswith("_per_host") and name != "_per_host":
        return _words(name)  # "instances_per_host" reads better without brackets
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_words(name[: -len(suffix)])} ({unit})"
    return _words(name)


def format_value(value) -> str:
    """One cell as text: thousands separators, two decimals for non-integers, "–" for missing, never 1e+05."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}"
        if abs(value) < 0.01:
            return f"{value:,.4f}".rstrip("0")
        return f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _cell_formatter(spec, escape: bool) -> Callable[[object], str]:
    def render(value) -> str:
        if callable(spec):
            text = spec(value)
        elif isinstance(spec, str) and not (value is None or (isinstance(value, float) and math.isnan(value))):
            text = spec.format(value)
        else:
            text = format_value(value)
        text = html.escape(str(text)) if escape else str(text)
        return protect_dollars_html(text)

    return render


class StyledTable:
    """A table ready to show: ``data`` (the DataFrame, original column names, for code) and its HTML.

    Shows itself in a notebook (``_repr_html_``); ``to_html()`` gives the HTML for a widget;
    ``repr()`` is a plain-text version. Cells are plain ``<td>value</td>``; alignment and widths
    come from a style block scoped to this table.
    """

    def __init__(self, data: pd.DataFrame, html_text: str):
        self.data = data
        self._html = html_text

    def to_html(self) -> str:
        return self._html

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return self.data.to_string(index=False)


def styled_table(frame: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                 formats: Mapping[str, object] | None = None, caption: str | None = None, escape: bool = True,
                 max_rows_visible: int = 12, wrap_columns: tuple[str, ...] = (),
                 nowrap_columns: tuple[str, ...] = ()) -> StyledTable:
    """``frame`` as a table for students (see the module docstring); returns a :class:`StyledTable`.

    ``labels``: {column: header} for the columns whose automatic label (:func:`column_label`) is not
    right; ``formats``: {column: "{:.1%}" or a function of the value}; ``caption``: a line above the
    table; ``escape=False`` when cells hold HTML the caller built safely; ``max_rows_visible``: rows
    shown before the table scrolls inside its box; ``wrap_columns``: columns of long text, given a
    minimum width so that they wrap into readable lines instead of narrow slivers; ``nowrap_columns``:
    columns of short identifiers or dates (a CVE id, 2019-02-11) that must not break across lines.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    if frame.columns.empty:
        raise ValueError("frame must have at least one column; got a table with none")
    for name, mapping in (("labels", labels), ("formats", formats)):
        if mapping is not None and not isinstance(mapping, Mapping):
            raise ValueError(f"{name} must be a mapping of column name to {'header' if name == 'labels' else 'format'}"
                             f" (or None); got {mapping!r:.80}")
    labels = dict(labels or {})
    formats = dict(formats or {})
    for name, mapping in (("labels", labels), ("formats", formats)):
        unknown = [column for column in mapping if column not in frame.columns]
        if unknown:
            raise ValueError(f"{name} names columns the table does not have: {unknown}; columns: {list(frame.columns)}")
    bad = {column: header for column, header in labels.items() if not isinstance(header, str) or not header.strip()}
    if bad:
        raise ValueError(f"labels must map each column to a non-empty header string; got {bad!r:.120}")
    bad = {column: spec for column, spec in formats.items() if not (isinstance(spec, str) or callable(spec))}
    if bad:
        raise ValueError(f"formats must map each column to a format string or a function; got {bad!r:.120}")
    if not isinstance(max_rows_visible, int) or isinstance(max_rows_visible, bool) or max_rows_visible < 1:
        raise ValueError(f"max_rows_visible must be a positive integer; got {max_rows_visible!r}")
    if not isinstance(escape, bool):
        raise ValueError(f"escape must be True or False; got {escape!r:.80}")
    if frame.columns.duplicated().any():
        raise ValueError(f"frame must not repeat a column name; got {list(frame.columns)}")
    if not isinstance(wrap_columns, (tuple, list)) or not all(
            isinstance(c, str) and c in frame.columns for c in wrap_columns):
        raise ValueError(f"wrap_columns must be a tuple of column names of the table; got {wrap_columns!r:.80}")
    if not isinstance(nowrap_columns, (tuple, list)) or not all(
            isinstance(c, str) and c in frame.columns for c in nowrap_columns):
        raise ValueError(f"nowrap_columns must be a tuple of column names of the table; got {nowrap_columns!r:.80}")
    if caption is not None and not isinstance(caption, str):
        raise ValueError(f"caption must be a string or None; got {type(caption).__name__}")
    table = frame.reset_index(drop=True)
    scope = f"course-table-{uuid.uuid4().hex[:10]}"
    header = "".join(f"<th>{protect_dollars_html(html.escape(labels.get(c, column_label(str(c)))))}</th>"
                     for c in table.columns)
    renderers = [_cell_formatter(formats.get(c), escape) for c in table.columns]
    rows = "".join("<tr>" + "".join(f"<td>{render(value)}</td>" for render, value in zip(renderers, row)) + "</tr>\n"
                   for row in table.itertuples(index=False, name=None))
    numeric = [i for i, c in enumerate(table.columns, start=1)
               if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])]
    wrapped = [i for i, c in enumerate(table.columns, start=1) if c in wrap_columns]
    unbroken = [i for i, c in enumerate(table.columns, start=1) if c in nowrap_columns]
    height = (f"max-height: {ROW_HEIGHT_PX * (max_rows_visible + 1.5):.0f}px;"
              if len(table) > max_rows_visible else "")
    rules = [
        f"table.course-table.{scope} {{display: block; overflow: auto; max-width: 100%; width: max-content; {height} "
        f"border-collapse: collapse; font-size: {TABLE_FONT_PX}px; margin: 4px 0 8px 0; color: #222;}}",
        f"table.course-table.{scope} th {{background: #f0f0f0; font-weight: 600; text-align: left; vertical-align: bottom; "
        f"padding: 4px 6px; position: sticky; top: 0; border-bottom: 1px solid #999; white-space: normal; z-index: 1;}}",
        f"table.course-table.{scope} td {{text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e0e0e0; "
        f"white-space: normal; overflow-wrap: break-word;}}",
        f"table.course-table.{scope} caption {{caption-side: top; text-align: left; font-weight: 600; padding: 2px 0 6px 0;}}",
    ]
    rules += [f"table.course-table.{scope} td:nth-child({i}) {{text-align: right; white-space: nowrap;}}" for i in numeric]
    rules += [f"table.course-table.{scope} th:nth-child({i}) {{text-align: right;}}" for i in numeric]
    rules += [f"table.course-table.{scope} td:nth-child({i}) {{min-width: 9em; max-width: 32em; overflow-wrap: anywhere;}}" for i in wrapped]
    rules += [f"table.course-table.{scope} td:nth-child({i}) {{white-space: nowrap;}}" for i in unbroken]
    caption_html = f"<caption>{protect_dollars_html(html.escape(caption))}</caption>" if caption else ""
    html_text = (f"<style>{' '.join(rules)}</style>\n<table class=\"course-table {scope}\">{caption_html}"
                 f"<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}</tbody></table>\n")
    return StyledTable(table, html_text)
