"""The course's data layer: every CSV in ``data/`` is read through :func:`load`.

Each file has a schema declared in code (:data:`SCHEMAS`): its columns, their
types, units and allowed values. :func:`load` checks the file against it and
raises ``ValueError`` naming the file, the row (as numbered in the file, the
header being line 1) and the column of the first problem it finds. Every file
carries a non-empty ``source`` on every row.

Schemas live next to the model that uses the data (``cost.py`` declares the
cost files, ``claims.py`` the claims file ...) and register here with
:func:`register_schema`; importing :mod:`helpers` registers all of them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .validation import require_choice

__all__ = ["DATA_DIR", "SOURCE_KINDS", "Column", "SCHEMAS", "register_schema", "load", "describe_schema"]

#: ``data/`` at the project root, found from this file, never from the working directory.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

DTYPES = ("str", "float", "int", "bool", "date")

#: How a sourced figure was obtained, for the ``kind`` column of every data file that has one:
#: measured (a benchmark), vendor (documentation), article (the audited article), assumption (ours).
SOURCE_KINDS = ("measured", "vendor", "article", "assumption")


@dataclass(frozen=True)
class Column:
    """One column of a data file.

    ``dtype`` is one of str, float, int, bool, date (ISO ``YYYY-MM-DD``).
    ``minimum``/``maximum`` bound numbers; ``allowed`` lists the values a str
    column may take; ``required`` forbids empty cells.
    """

    name: str
    dtype: str
    description: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    required: bool = True

    def __post_init__(self):
        require_choice("dtype", self.dtype, DTYPES)


#: name (file stem) -> (description, columns)
SCHEMAS: dict[str, tuple[str, tuple[Column, ...]]] = {}


def register_schema(name: str, description: str, columns: list[Column] | tuple[Column, ...]) -> None:
    """Declare the schema of ``data/<name>.csv``. Every schema must have a ``source`` column."""
    names = [column.name for column in columns]
    if "source" not in names:
        raise ValueError(f"schema {name!r} must have a 'source' column")
    if len(set(names)) != len(names):
        raise ValueError(f"schema {name!r} repeats a column name")
    SCHEMAS[name] = (description, tuple(columns))


def describe_schema(name: str) -> pd.DataFrame:
    """The schema of one file as a table (column, type, unit, allowed, description)."""
    columns = _schema(name)
    return pd.DataFrame(
        {
            "column": [c.name for c in columns],
            "type": [c.dtype for c in columns],
            "unit": [c.unit for c in columns],
            "allowed": [_allowed_text(c) for c in columns],
            "description": [c.description for c in columns],
        }
    )


def _allowed_text(column: Column) -> str:
    if column.allowed:
        return " | ".join(column.allowed)
    if column.minimum is not None or column.maximum is not None:
        low = "" if column.minimum is None else f"{column.minimum:g}"
        high = "" if column.maximum is None else f"{column.maximum:g}"
        return f"{low}..{high}"
    return ""


def _schema(name: str) -> tuple[Column, ...]:
    if not isinstance(name, str) or name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        raise ValueError(f"name must be one of the declared data files ({known}); got {name!r}")
    return SCHEMAS[name][1]


def load(name: str) -> pd.DataFrame:
    """Read ``data/<name>.csv``, check it against its schema and return a fresh copy.

    Raises ``ValueError`` naming file, row and column on the first violation.
    """
    _schema(name)
    return _load_cached(name, DATA_DIR).copy()


@functools.lru_cache(maxsize=None)
def _load_cached(name: str, data_dir: Path) -> pd.DataFrame:
    return validate_file(data_dir / f"{name}.csv", _schema(name))


def validate_file(path: Path, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Read ``path`` as text, check every cell against ``columns`` and convert the types."""
    label = path.name
    if not path.exists():
        raise ValueError(f"{label}: file not found at {path}")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = [c.name for c in columns]
    if list(raw.columns) != expected:
        raise ValueError(f"{label}: columns must be {expected}; found {list(raw.columns)}")
    if raw.empty:
        raise ValueError(f"{label}: has no rows")
    table = {}
    for column in columns:
        table[column.name] = [
            _convert(label, row_index + 2, column, cell.strip()) for row_index, cell in enumerate(raw[column.name])
        ]
    frame = pd.DataFrame(table)
    for column in columns:
        if column.dtype == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
    return frame


def _convert(label: str, line: int, column: Column, cell: str):
    where = f"{label}: row {line}, column {column.name!r}"
    if cell == "":
        if column.required:
            raise ValueError(f"{where}: empty, but a value is required")
        return None if column.dtype in ("str", "date") else float("nan")
    if column.dtype == "str":
        if column.allowed is not None and cell not in column.allowed:
            raise ValueError(f"{where}: {cell!r} is not one of {list(column.allowed)}")
        return cell
    if column.dtype == "bool":
        if cell.lower() not in ("true", "false"):
            raise ValueError(f"{where}: {cell!r} is not true or false")
        return cell.lower() == "true"
    if column.dtype == "date":
        try:
            return pd.Timestamp(cell).strftime("%Y-%m-%d") if len(cell) == 10 else _bad_date(where, cell)
        except ValueError:
            return _bad_date(where, cell)
    try:
        number = float(cell)
    except ValueError:
        raise ValueError(f"{where}: {cell!r} is not a number") from None
    if number != number:
        raise ValueError(f"{where}: NaN is not allowed")
    if column.dtype == "int" and not number.is_integer():
        raise ValueError(f"{where}: {cell!r} is not a whole number")
    if (column.minimum is not None and number < column.minimum) or (
        column.maximum is not None and number > column.maximum
    ):
        raise ValueError(f"{where}: {cell} is outside {_allowed_text(column)} {column.unit}".rstrip())
    return int(number) if column.dtype == "int" else number


def _bad_date(where: str, cell: str):
    raise ValueError(f"{where}: {cell!r} is not an ISO date YYYY-MM-DD")
