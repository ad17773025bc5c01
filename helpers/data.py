"""The course's data layer: every CSV in the data folder is read through :func:`load`.

Each file has a schema declared in code (:data:`SCHEMAS`): its columns, their
types, units and allowed values, and its key (the column or columns that
identify a row). :func:`load` checks the file against it and raises
``ValueError`` naming the file, the row (as numbered in the file, the header
being row 1) and the column of the first problem it finds, with what was
expected: never a pandas or codec traceback, whatever a student's editor did to
the file (emptied it, saved it as Latin-1, added a comma, typed ``inf``,
repeated a row ...). Numbers must be finite unless a column says otherwise.
Every file carries a non-empty ``source`` on every row.

The data folder is ``data/`` at the project root unless the environment
variable ``VM_VS_CLOUD_DATA_DIR`` names another folder (read at every call, so
a class can ship its own copy of the files; see ``data/README.md``).

Schemas live next to the model that uses the data (``cost.py`` declares the
cost files, ``claims.py`` the claims file ...) and register here with
:func:`register_schema`; importing :mod:`helpers` registers all of them.
:func:`validate_frame` (``helpers.validation.require_frame``) checks a table
passed to a helper against the same kind of schema.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .validation import require_choice, require_flag, require_integer, require_text, shown

__all__ = ["DATA_DIR", "DATA_DIR_VARIABLE", "SOURCE_KINDS", "Column", "Schema", "SCHEMAS", "register_schema",
           "panel_parameter_columns", "load", "describe_schema", "data_dir", "validate_file", "validate_frame",
           "clear_cache"]

#: ``data/`` at the project root, found from this file, never from the working directory.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The environment variable that points the loader at another data folder (absolute, or relative to the
#: project root). Read at every :func:`load`, so it can be set in a running kernel (``os.environ[...] = ...``).
DATA_DIR_VARIABLE = "VM_VS_CLOUD_DATA_DIR"

DTYPES = ("str", "float", "int", "bool", "date")

#: How a sourced figure was obtained, for the ``kind`` column of every data file that has one:
#: measured (a benchmark), vendor (documentation), article (the audited article), assumption (ours).
SOURCE_KINDS = ("measured", "vendor", "article", "assumption")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_FINITE_WORDS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}


@dataclass(frozen=True)
class Column:
    """One column of a data file (or of a table passed to a helper).

    ``dtype`` is one of str, float, int, bool, date (ISO ``YYYY-MM-DD``).
    ``minimum``/``maximum`` bound numbers; ``allowed`` lists the values a str
    column may take; ``required`` forbids empty cells; numbers must be finite
    unless ``finite=False`` (then ``inf``/``-inf`` are accepted, never NaN).
    """

    name: str
    dtype: str
    description: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    required: bool = True
    finite: bool = True

    def __post_init__(self):
        require_text("name", self.name)
        require_choice("dtype", self.dtype, DTYPES)
        require_text("description", self.description, allow_empty=True)
        require_text("unit", self.unit, allow_empty=True)
        require_flag("required", self.required)
        require_flag("finite", self.finite)
        for bound in ("minimum", "maximum"):
            value = getattr(self, bound)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or math.isnan(value)):
                raise ValueError(f"{bound} of column {self.name!r} must be a number or None; got {shown(value)}")
        if self.allowed is not None and (isinstance(self.allowed, str) or not all(
                isinstance(value, str) for value in self.allowed)):
            raise ValueError(f"allowed of column {self.name!r} must be a tuple of strings; got {shown(self.allowed)}")


class Schema(NamedTuple):
    """A registered data file: what it holds, its columns in file order, and its key columns."""

    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] | None


#: name (file stem) -> Schema(description, columns, key)
SCHEMAS: dict[str, Schema] = {}


def _require_columns(label: str, columns) -> tuple[Column, ...]:
    """A non-empty list or tuple of :class:`Column` with distinct names, else ``ValueError`` naming ``label``."""
    if isinstance(columns, Column):
        columns = (columns,)
    if not isinstance(columns, (list, tuple)) or not columns or not all(isinstance(c, Column) for c in columns):
        raise ValueError(f"{label} must be a non-empty list of helpers.data.Column; got {shown(columns)}")
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        repeated = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"{label} must not repeat a column name; {repeated!r} appears twice")
    return tuple(columns)


def _key_tuple(key, names: Sequence[str], owner: str) -> tuple[str, ...] | None:
    if key is None:
        return None
    columns = (key,) if isinstance(key, str) else key
    if not isinstance(columns, (list, tuple)) or not columns or not all(isinstance(c, str) for c in columns):
        raise ValueError(f"key of {owner} must be a column name or a list of column names; got {shown(key)}")
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise ValueError(f"key of {owner} names columns it does not have: {unknown} (columns: {list(names)})")
    return tuple(columns)


def panel_parameter_columns(argument_of: str) -> list[Column]:
    """The columns of a panel's parameter table (name, label, range, step, default, unit, kind, description,
    source): one numeric control per row, every number at least 0. ``argument_of``: the model function whose
    keyword arguments the names are (for the name column's description)."""
    argument_of = require_text("argument_of", argument_of)
    return [
        Column("name", "str", f"Parameter name (an argument of {argument_of})."),
        Column("label", "str", "Short control label (no unit)."),
        Column("minimum", "float", "Lowest value offered.", minimum=0),
        Column("maximum", "float", "Highest value offered.", minimum=0),
        Column("step", "float", "Control step.", minimum=0),
        Column("default", "float", "Default value.", minimum=0),
        Column("unit", "str", "Unit of the parameter."),
        Column("kind", "str", "How much to trust the default.", allowed=SOURCE_KINDS),
        Column("description", "str", "What the parameter is, and where its default and range come from."),
        Column("source", "str", "Source of the default."),
        Column("source_url", "str", "Address of the source."),
    ]


def register_schema(name: str, description: str, columns: list[Column] | tuple[Column, ...], *,
                    key: str | Sequence[str] | None = None) -> None:
    """Declare the schema of ``<data folder>/<name>.csv``. Every schema must have a ``source`` column.

    ``key``: the column (or columns) whose values identify a row; a file with two rows of the
    same key is refused, naming both rows. Every course file declares one (a test checks it).
    """
    require_text("name", name)
    require_text("description", description, allow_empty=True)
    columns = _require_columns("columns", columns)
    names = [column.name for column in columns]
    if "source" not in names:
        raise ValueError(f"columns of schema {name!r} must include a 'source' column; got {names}")
    SCHEMAS[name] = Schema(description, columns, _key_tuple(key, names, f"schema {name!r}"))


def describe_schema(name: str) -> pd.DataFrame:
    """The schema of one file as a table (column, type, unit, allowed, key, description).

    ``key`` is "yes" for the column(s) whose values identify a row (no two rows may share them).
    """
    schema = _schema(name)
    columns = schema.columns
    return pd.DataFrame(
        {
            "column": [c.name for c in columns],
            "type": [c.dtype for c in columns],
            "unit": [c.unit for c in columns],
            "allowed": [_allowed_text(c) for c in columns],
            "key": ["yes" if c.name in (schema.key or ()) else "" for c in columns],
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


def _schema(name: str) -> Schema:
    if not isinstance(name, str) or name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        raise ValueError(f"name must be one of the declared data files ({known}); got {shown(name)}")
    return SCHEMAS[name]


# ---------------------------------------------------------------------------------------------------------
# The data folder and the cache
# ---------------------------------------------------------------------------------------------------------
def data_dir() -> Path:
    """The folder :func:`load` reads: ``$VM_VS_CLOUD_DATA_DIR`` if set (relative paths from the project root),
    else the course's ``data/``. ``ValueError`` if the variable names something that is not a folder."""
    setting = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if not setting:
        return DATA_DIR
    folder = Path(setting).expanduser()
    if not folder.is_absolute():
        folder = DATA_DIR.parent / folder
    if not folder.is_dir():
        raise ValueError(f"{DATA_DIR_VARIABLE} is set to {setting!r}, which is not a folder ({folder}); point it at "
                         f"a folder holding the course's CSV files, or unset it to use {DATA_DIR}")
    return folder.resolve()


#: (name, path) -> ((modification time, size), checked frame). An edited file is read again.
_CACHE: dict[tuple[str, str], tuple[tuple[int, int], pd.DataFrame]] = {}


def clear_cache() -> None:
    """Forget every file read so far (the next :func:`load` reads and checks it again)."""
    _CACHE.clear()


def load(name: str) -> pd.DataFrame:
    """Read ``<data folder>/<name>.csv``, check it against its schema and return a fresh copy.

    Raises ``ValueError`` naming file, row and column on the first violation. The
    checked table is cached per folder and file; editing the file makes the next call
    read it again.
    """
    schema = _schema(name)
    path = data_dir() / f"{name}.csv"
    try:
        status = path.stat()
    except OSError:
        raise ValueError(_missing_file_message(path)) from None
    stamp = (status.st_mtime_ns, status.st_size)
    cached = _CACHE.get((name, str(path)))
    if cached is None or cached[0] != stamp:
        try:
            frame = validate_file(path, schema.columns, key=schema.key)
        except ValueError as error:
            if path.parent == DATA_DIR:
                raise
            raise ValueError(f"{error} [file: {path}, in the folder set by {DATA_DIR_VARIABLE}]") from None
        _CACHE[(name, str(path))] = (stamp, frame)
        cached = _CACHE[(name, str(path))]
    return cached[1].copy()


def _restore_hint(path: Path) -> str:
    """How to get the course's own copy of a file back."""
    if path.parent.resolve() == DATA_DIR:
        return f"restore the course's copy with `git checkout -- data/{path.name}`"
    return (f"copy the course's data/{path.name} into {path.parent} (the folder {DATA_DIR_VARIABLE} points to), "
            f"or unset {DATA_DIR_VARIABLE}")


def _missing_file_message(path: Path) -> str:
    return f"{path.name}: file not found at {path}; {_restore_hint(path)}"


def _label(path: Path) -> str:
    """How messages name a file: by its name (a file outside data/ gets its full path at the end)."""
    return path.name


# ---------------------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------------------
def validate_file(path: Path, columns: tuple[Column, ...], *, key: Sequence[str] | None = None) -> pd.DataFrame:
    """Read ``path`` as UTF-8 CSV text, check every cell against ``columns`` (and ``key``), convert the types.

    Every problem raises ``ValueError`` starting with the file's name, then the row (the
    line in the file where the record starts; the header is row 1) and the column.
    """
    if isinstance(path, bool) or not isinstance(path, (str, Path)) or not str(path).strip():
        raise ValueError(f"path must be the path of a CSV file (a str or pathlib.Path); got {shown(path)}")
    path = Path(path)
    columns = _require_columns("columns", columns)
    expected = [c.name for c in columns]
    key = _key_tuple(key, expected, f"the file {path.name}")
    if not path.is_file():
        raise ValueError(f"path must be an existing CSV file; got {str(path)!r}")
    label = _label(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{label}: cannot be read ({error.strerror or error})") from None
    text = _decode(label, raw, expected, path)
    records = _records(label, text)
    header_line, header = next(records, (1, None))
    if header is None:
        raise ValueError(f"{label}: row 1: the file has no header row; it must start with {','.join(expected)}")
    _check_header(label, header_line, [cell.strip() for cell in header], expected)  # before any other row is read
    rows = list(records)
    if not rows:
        raise ValueError(f"{label}: row 2: the file has a header but no data rows; at least one row is needed")
    table: dict[str, list] = {name: [] for name in expected}
    lines = []
    for line, fields in rows:
        _check_field_count(label, line, fields, expected)
        for column, cell in zip(columns, fields):
            table[column.name].append(_convert(label, line, column, cell.strip()))
        lines.append(line)
    frame = pd.DataFrame(table)
    if key:
        _check_unique_key(label, frame, key, lambda position: f"row {lines[position]}")
    for column in columns:
        if column.dtype == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
    return frame


def _decode(label: str, raw: bytes, expected: list[str], path: Path) -> str:
    if not raw.strip():
        size = "0 bytes" if not raw else "only blank space"
        raise ValueError(f"{label}: row 1: the file is empty ({size}); it must start with the header row "
                         f"{','.join(expected)}; {_restore_hint(path)}")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is dropped
    except UnicodeDecodeError as error:
        where = _where_in_text(raw, error.start, expected)
        raise ValueError(f"{label}: {where}: byte 0x{raw[error.start]:02X} is not UTF-8 text; save the file as UTF-8 "
                         f"(an editor may have saved it as Latin-1, GBK or UTF-16)") from None
    control = _CONTROL.search(text)
    if control:
        offset = len(text[: control.start()].encode("utf-8")) + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        where = _where_in_text(raw, offset, expected)
        raise ValueError(f"{label}: {where}: contains the control character 0x{ord(control.group()):02X}, which a "
                         f"text file does not hold; save the file as UTF-8 (a NUL after every letter means UTF-16)")
    return text


def _where_in_text(raw: bytes, offset: int, expected: list[str]) -> str:
    """'row N, column X' for a byte offset in a file (the column from the fields before it on its line)."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    before = raw[line_start:offset].decode("utf-8", errors="replace").lstrip("\ufeff")
    fields = next(csv.reader([before]), [""]) if before else [""]
    column = expected[len(fields) - 1] if line > 1 and len(fields) <= len(expected) else None
    return f"row {line}" + (f", column {column!r}" if column else "")


def _records(label: str, text: str):
    """(line where the record starts, fields) for the header and every non-blank record, one by one."""
    # newline="": only \r, \n and \r\n end a line (a quoted value may hold one of them)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem = str(error)
            if "EOF" in problem or "end of data" in problem:
                problem = "a double quote opened here is never closed"
            raise ValueError(f"{label}: row {start}: cannot be read as CSV ({problem}); a value containing a comma, "
                             f"a quote or a line break must be in double quotes, with inner quotes doubled "
                             f"(\"\")") from None
        if len(fields) > 1 or (fields and fields[0].strip()):  # blank lines are skipped
            yield start, fields
        start = reader.line_num + 1


def _check_header(label: str, line: int, found: list[str], expected: list[str]) -> None:
    if found == expected:
        return
    where = f"{label}: row {line} (the header)"
    if len(found) == 1 and any(separator in found[0] for separator in ";\t"):
        separator = "';'" if ";" in found[0] else "a tab"
        raise ValueError(f"{where}: the values are separated by {separator}, not by commas; save the file as CSV "
                         f"with commas (the columns must be {expected})")
    repeated = sorted({name for name in found if found.count(name) > 1 and name})
    missing = [name for name in expected if name not in found]
    unexpected = [name for name in found if name not in expected]
    details = []
    if repeated:
        details.append(f"column {repeated[0]!r} appears twice")
    if len(missing) == 1 and len(unexpected) == 1 and len(found) == len(expected):
        details.append(f"column {missing[0]!r} is missing (renamed to {unexpected[0]!r}?)")
    else:
        if missing:
            details.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(map(repr, missing)))
        if unexpected:
            details.append("unexpected column" + ("s " if len(unexpected) > 1 else " ")
                           + ", ".join(map(repr, unexpected)))
    if not details:
        position = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
        details.append(f"column {expected[position]!r} must come {_ordinal(position + 1)}, where "
                       f"{found[position]!r} is (the columns are in the wrong order)")
    raise ValueError(f"{where}: {'; '.join(details)}. The columns must be {expected}; found {found}")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _check_field_count(label: str, line: int, fields: list[str], expected: list[str]) -> None:
    if len(fields) == len(expected):
        return
    where = f"{label}: row {line}"
    if len(fields) > len(expected):
        raise ValueError(f"{where}, column {expected[-1]!r}: {len(fields)} fields, but the header has "
                         f"{len(expected)} columns: extra field {shown(fields[len(expected)])} after the last "
                         f"column; a value containing a comma must be in double quotes")
    raise ValueError(f"{where}, column {expected[len(fields)]!r}: {len(fields)} fields, but the header has "
                     f"{len(expected)} columns: column {expected[len(fields)]!r} and any after it are missing "
                     f"(a comma may have been deleted, or a line broken)")


def _convert(label: str, line: int, column: Column, cell: str):
    where = f"{label}: row {line}, column {column.name!r}"
    if cell == "":
        if column.required:
            raise ValueError(f"{where}: empty, but a value is required ({_expected(column)})")
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
        return _parse_date(where, cell)
    if cell.lower() in _NON_FINITE_WORDS:
        if column.finite or "nan" in cell.lower():
            raise ValueError(f"{where}: {cell!r} is not a finite number ({_expected(column)})")
        number = float(cell)
    elif not _NUMBER.fullmatch(cell):
        raise ValueError(f"{where}: {cell!r} is not a number ({_expected(column)})")
    else:
        number = float(cell)
    return _check_number(where, column, number, cell)


def _expected(column: Column) -> str:
    """What a column accepts, for messages: 'a number in 0..100 %', 'true or false' ..."""
    if column.dtype in ("float", "int"):
        kind = "a whole number" if column.dtype == "int" else "a number"
        if not column.finite:
            kind += " (inf allowed)"
        bounds = _allowed_text(column)
        return f"expected {kind}{' in ' + bounds if bounds else ''}{f' [{column.unit}]' if column.unit else ''}"
    if column.dtype == "bool":
        return "expected true or false"
    if column.dtype == "date":
        return "expected an ISO date YYYY-MM-DD"
    if column.allowed is not None:
        return f"expected one of {list(column.allowed)}"
    return "expected text"


def _check_number(where: str, column: Column, number: float, shown_value) -> float | int:
    if number != number:
        raise ValueError(f"{where}: NaN is not allowed ({_expected(column)})")
    if math.isinf(number) and column.finite:
        raise ValueError(f"{where}: {shown_value!r} is not a finite number ({_expected(column)})")
    if column.dtype == "int" and not (math.isfinite(number) and float(number).is_integer()):
        raise ValueError(f"{where}: {shown_value!r} is not a whole number ({_expected(column)})")
    if (column.minimum is not None and number < column.minimum) or (
        column.maximum is not None and number > column.maximum
    ):
        raise ValueError(f"{where}: {shown_value} is outside {_allowed_text(column)} {column.unit}".rstrip())
    return int(number) if column.dtype == "int" else float(number)


def _parse_date(where: str, cell: str) -> str:
    if _ISO_DATE.fullmatch(cell):
        try:
            return datetime.date.fromisoformat(cell).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{where}: {cell!r} is not an ISO date YYYY-MM-DD (a real day, e.g. 2006-08-24)")


def _plain(value):
    """A numpy scalar as the Python value it holds (so messages read 0.0, not np.float64(0.0))."""
    return value.item() if isinstance(value, np.generic) else value


def _check_unique_key(label: str, frame: pd.DataFrame, key: Sequence[str], row_name) -> None:
    duplicated = frame.duplicated(list(key), keep=False)
    if not duplicated.any():
        return
    positions = np.flatnonzero(duplicated.to_numpy())
    first = int(positions[0])
    values = frame.iloc[first][list(key)]
    later = next(int(p) for p in positions[1:]
                 if all(frame.iloc[int(p)][c] == values[c] for c in key))
    shown_key = ", ".join(f"{c}={_plain(values[c])!r}" for c in key)
    columns = "column " + repr(key[0]) if len(key) == 1 else "columns " + ", ".join(map(repr, key))
    raise ValueError(f"{label}: {row_name(later)}, {columns}: duplicate key ({shown_key}) already on "
                     f"{row_name(first)}; each row needs its own key")


# ---------------------------------------------------------------------------------------------------------
# Checking a table passed to a helper
# ---------------------------------------------------------------------------------------------------------
def _frame_columns(name: str, columns) -> tuple[tuple[Column, ...], tuple[str, ...] | None]:
    if isinstance(columns, str):
        if columns not in SCHEMAS:
            raise ValueError(f"columns (the schema {name} is checked against) must be a declared data file "
                             f"({', '.join(sorted(SCHEMAS))}) or a list of Column; got {shown(columns)}")
        schema = SCHEMAS[columns]
        return schema.columns, schema.key
    return _require_columns("columns", columns), None


def _row_label(frame: pd.DataFrame, position: int) -> str:
    """How a message names a row of a table: its index label (and its position if labels repeat)."""
    label = frame.index[position]
    label = label.item() if hasattr(label, "item") else label
    return repr(label) if frame.index.is_unique else f"{label!r} (position {position})"


def validate_frame(name: str, frame, columns, *, key: str | Sequence[str] | None = None,
                   min_rows: int = 1) -> pd.DataFrame:
    """Check a DataFrame passed to a helper as parameter ``name``; see :func:`helpers.validation.require_frame`."""
    require_text("name", name)
    schema, schema_key = _frame_columns(name, columns)
    minimum_rows = require_integer("min_rows", min_rows, minimum=0, maximum=1_000_000_000)
    expected = [c.name for c in schema]
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a table (pandas DataFrame) with columns {expected}; got {shown(frame)} "
                         f"of type {type(frame).__name__}")
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} must have columns {expected}; column {missing[0]!r} is missing "
                         f"(found {[str(c) for c in frame.columns]})")
    if frame.columns.duplicated().any():
        repeated = frame.columns[frame.columns.duplicated()][0]
        raise ValueError(f"{name}: column {repeated!r} appears twice")
    if len(frame) < minimum_rows:
        raise ValueError(f"{name} must have at least {minimum_rows} row{'s' if minimum_rows != 1 else ''} with "
                         f"columns {expected}; got {len(frame)} (an empty table?)")
    for column in schema:
        _check_frame_column(name, frame, column)
    chosen_key = _key_tuple(key, expected, f"the check of {name}") if key is not None else schema_key
    if chosen_key:
        _check_unique_key(name, frame.reset_index(drop=True), chosen_key,
                          lambda position: f"row {_row_label(frame, position)}")
    return frame


def _cell_where(name: str, frame: pd.DataFrame, position: int, column: Column) -> str:
    return f"{name}: row {_row_label(frame, position)}, column {column.name!r}"


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _check_frame_column(name: str, frame: pd.DataFrame, column: Column) -> None:
    series = frame[column.name]
    values = series.to_numpy(dtype=object) if series.dtype.kind not in "iufb" else series.to_numpy()
    kind = series.dtype.kind
    if column.dtype in ("float", "int"):
        if kind == "b":
            raise ValueError(f"{_cell_where(name, frame, 0, column)}: holds true/false values; "
                             f"{_expected(column)}")
        if kind in "iuf":
            numbers = values.astype(float)
            bad = np.isnan(numbers) if not column.required else np.zeros(len(numbers), bool)
            _check_numbers(name, frame, column, numbers, skip=bad)
            return
        for position, value in enumerate(values):
            where = _cell_where(name, frame, position, column)
            if _is_missing(value):
                if column.required:
                    raise ValueError(f"{where}: empty (NaN or None), but a value is required ({_expected(column)})")
                continue
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ValueError(f"{where}: {shown(value)} of type {type(value).__name__} is not a number "
                                 f"({_expected(column)})")
            _check_number(where, column, float(value), value)
        return
    for position, value in enumerate(values):
        where = _cell_where(name, frame, position, column)
        if _is_missing(value):
            if column.required:
                raise ValueError(f"{where}: empty (NaN or None), but a value is required ({_expected(column)})")
            continue
        if column.dtype == "str":
            if not isinstance(value, str):
                raise ValueError(f"{where}: {shown(value)} of type {type(value).__name__} is not text "
                                 f"({_expected(column)})")
            if column.required and not value.strip():
                raise ValueError(f"{where}: empty, but a value is required ({_expected(column)})")
            if column.allowed is not None and value not in column.allowed:
                raise ValueError(f"{where}: {value!r} is not one of {list(column.allowed)}")
        elif column.dtype == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{where}: {shown(value)} is not True or False")
        elif column.dtype == "date":
            if isinstance(value, str):
                _parse_date(where, value.strip())
            elif not isinstance(value, (datetime.date, np.datetime64)):
                raise ValueError(f"{where}: {shown(value)} is not a date ({_expected(column)})")


def _check_numbers(name: str, frame: pd.DataFrame, column: Column, numbers: np.ndarray, *, skip) -> None:
    """Vectorised checks of a numeric column; the first bad cell is reported by row and column."""
    bad = ~skip & np.isnan(numbers)
    if column.finite:
        bad |= ~skip & np.isinf(numbers)
    if column.dtype == "int":
        with np.errstate(invalid="ignore"):
            bad |= ~skip & np.isfinite(numbers) & (np.floor(numbers) != numbers)
    if column.minimum is not None:
        bad |= ~skip & (numbers < column.minimum)
    if column.maximum is not None:
        bad |= ~skip & (numbers > column.maximum)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        value = numbers[position]
        where = _cell_where(name, frame, position, column)
        if np.isnan(value):
            raise ValueError(f"{where}: empty (NaN), but a value is required ({_expected(column)})")
        _check_number(where, column, float(value), frame[column.name].iloc[position])
