"""Every data file, damaged every way a student's editor can damage it: the loader names file, row and column.

Each test copies every CSV of ``data/`` to a temporary folder, points the loader at it
with ``VM_VS_CLOUD_DATA_DIR`` (so this also checks that a class's own data folder gets
the same precise errors), damages one file in one way and loads it. The damage is
aimed at a known row (the 2nd data row, row 3 of the file) and a column chosen from the
file's schema, so the test knows which row and column the message must name. New data
files are covered as soon as their schema is registered.
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

import helpers  # noqa: F401  (registers every schema)
from helpers import data
from tests.conftest import DATA

TARGET = 2  # the record damaged: the 2nd data row, row 3 of the file (the header is row 1)
NAMES = sorted(data.SCHEMAS)


def _csv(records: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    return out.getvalue().encode("utf-8")


def _records(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DATA / f"{name}.csv").read_text(encoding="utf-8"), newline="")))


def _columns(name: str, *dtypes: str, predicate=lambda column: True) -> list:
    return [c for c in data.SCHEMAS[name].columns if c.dtype in dtypes and predicate(c)]


def _set_cell(name: str, column: str, value: str) -> list[list[str]]:
    records = _records(name)
    records[TARGET][records[0].index(column)] = value
    return records


# Each damage: name -> records -> (file bytes, row the message must name, column it must name), or None where
# the damage does not apply to the file (no float column to put inf in, say).
def empty(name):
    return b"", 1, None


def header_only(name):
    return _csv(_records(name)[:1]), 2, None


def non_utf8(name):
    records = _set_cell(name, "source", "@@BAD@@")
    return _csv(records).replace(b"@@BAD@@", "Caf\u00e9 (saved as Latin-1)".encode("latin-1")), TARGET + 1, "source"


def extra_field(name):
    records = _records(name)
    records[TARGET].append("one field too many")
    return _csv(records), TARGET + 1, records[0][-1]


def missing_field(name):
    records = _records(name)
    last = records[0][-1]
    records[TARGET].pop()
    return _csv(records), TARGET + 1, last


def duplicate_key(name):
    key = data.SCHEMAS[name].key
    if not key:  # test_every_file_declares_its_key_and_the_key_is_unique names the file
        return None
    records = _records(name)
    records.append(list(records[1]))
    return _csv(records), len(records), key[0]


def _numeric(name, value):
    columns = _columns(name, "float")
    return None if not columns else (_csv(_set_cell(name, columns[0].name, value)), TARGET + 1, columns[0].name)


def infinity(name):
    return _numeric(name, "inf")


def minus_infinity(name):
    return _numeric(name, "-inf")


def overflow(name):
    return _numeric(name, "1e999")


def nan(name):
    return _numeric(name, "NaN")


def out_of_range(name):
    columns = _columns(name, "float", "int", predicate=lambda c: c.minimum is not None or c.maximum is not None)
    if not columns:
        return None
    column = columns[0]
    value = column.minimum - 1 if column.minimum is not None else column.maximum + 1
    return _csv(_set_cell(name, column.name, f"{value:g}")), TARGET + 1, column.name


def unknown_category(name):
    columns = _columns(name, "str", predicate=lambda c: c.allowed is not None)
    if not columns:
        return None
    return _csv(_set_cell(name, columns[0].name, "no-such-category")), TARGET + 1, columns[0].name


def wrong_type(name):
    columns = _columns(name, "float", "int", "bool")
    if not columns:
        return None
    column = columns[0]
    value = {"float": "twelve", "int": "2.5", "bool": "maybe"}[column.dtype]
    return _csv(_set_cell(name, column.name, value)), TARGET + 1, column.name


def bad_date(name):
    columns = _columns(name, "date")
    return None if not columns else (_csv(_set_cell(name, columns[0].name, "2024-13-45")), TARGET + 1,
                                     columns[0].name)


def empty_required_cell(name):
    return _csv(_set_cell(name, "source", "")), TARGET + 1, "source"


def missing_column(name):
    records = _records(name)
    column = records[0][1]
    return _csv([record[:1] + record[2:] for record in records]), 1, column


def renamed_column(name):
    records = _records(name)
    column = records[0][1]
    records[0][1] = column + "_renamed"
    return _csv(records), 1, column


def swapped_columns(name):
    records = _records(name)
    records[0][1], records[0][2] = records[0][2], records[0][1]
    return _csv(records), 1, records[0][2]


def unclosed_quote(name):
    records = _records(name)
    text = _csv(records).decode("utf-8").split("\n")
    text[TARGET] = '"' + text[TARGET]  # an opening quote a student typed and never closed
    return "\n".join(text).encode("utf-8"), TARGET + 1, None


def saved_as_utf16(name):
    return (DATA / f"{name}.csv").read_text(encoding="utf-8").encode("utf-16"), 1, None


def nul_byte(name):
    return _csv(_set_cell(name, "source", "a\x00b")), TARGET + 1, "source"


def semicolon_separated(name):
    return "\n".join(";".join(record) for record in _records(name)).encode("utf-8"), 1, None


DAMAGES = [empty, header_only, non_utf8, extra_field, missing_field, duplicate_key, infinity, minus_infinity,
           overflow, nan, out_of_range, unknown_category, wrong_type, bad_date, empty_required_cell, missing_column,
           renamed_column, swapped_columns, unclosed_quote, saved_as_utf16, nul_byte, semicolon_separated]
MATRIX = [(name, damage) for name in NAMES for damage in DAMAGES if damage(name) is not None]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of every data file in a temporary folder that the loader reads instead of data/."""
    folder = tmp_path / "class_data"
    folder.mkdir()
    for path in DATA.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    return folder


def assert_names(message: str, name: str, row: int | None, column: str | None) -> None:
    assert message.startswith(f"{name}.csv: "), message
    if row is not None:
        assert re.search(rf"\brow {row}\b", message), f"row {row} not named: {message}"
    if column is not None:
        named = re.search(rf"columns? (?:'[^']*', )*{re.escape(repr(column))}", message)  # a key may be several
        assert named, f"column {column!r} not named: {message}"
    assert "Traceback" not in message and "pandas" not in message and "codec" not in message, message


@pytest.mark.parametrize(("name", "damage"), MATRIX, ids=[f"{n}-{d.__name__}" for n, d in MATRIX])
def test_a_damaged_file_is_refused_naming_file_row_and_column(data_copy, name, damage):
    content, row, column = damage(name)
    (data_copy / f"{name}.csv").write_bytes(content)
    with pytest.raises(ValueError) as caught:
        data.load(name)
    assert_names(str(caught.value), name, row, column)
    assert str(data_copy) in str(caught.value), "a file outside data/ is named with its full path"


def test_the_matrix_covers_every_file_and_every_damage():
    assert {name for name, _ in MATRIX} == set(NAMES)
    assert {damage for _, damage in MATRIX} == set(DAMAGES), "every damage applies to at least one file"
    per_file = {name: sum(1 for n, _ in MATRIX if n == name) for name in NAMES}
    assert min(per_file.values()) >= 12, per_file


@pytest.mark.parametrize("name", NAMES)
def test_harmless_edits_load_the_same_table(data_copy, name):
    """A byte-order mark, stray spaces, a blank line and a quoted line break in a text value are not errors."""
    original = data.load(name)
    records = _records(name)
    text_columns = [c.name for c in _columns(name, "str", predicate=lambda c: c.allowed is None)]
    spaced = [[f"  {cell} " if cell else cell for cell in record] for record in records]
    content = b"\xef\xbb\xbf" + _csv(spaced).replace(b"\n", b"\r\n", 3) + b"\n\n"
    (data_copy / f"{name}.csv").write_bytes(content)
    assert data.load(name).equals(original)
    column = text_columns[-1] if name != "timeline" else "event"
    broken = TARGET if len(records) > TARGET + 2 else 1  # a two-row file (cost_servers): rows 1 and 2
    later = min(broken + 2, len(records) - 1)
    records[broken][records[0].index(column)] = "first line\nsecond line"
    records[later][records[0].index("source")] = ""  # a later error: its row counts the extra line
    (data_copy / f"{name}.csv").write_bytes(_csv(records))
    with pytest.raises(ValueError) as caught:
        data.load(name)
    assert_names(str(caught.value), name, later + 2, "source")


def test_the_loader_reads_the_folder_set_at_call_time_and_an_edited_file_again(data_copy, monkeypatch):
    records = _records("claims")
    before = data.load("claims")  # from the copy
    records[1][records[0].index("claim_en")] = "Edited by a teacher."
    (data_copy / "claims.csv").write_bytes(_csv(records))
    assert data.load("claims").loc[0, "claim_en"] == "Edited by a teacher."
    monkeypatch.delenv(data.DATA_DIR_VARIABLE)
    assert data.data_dir() == data.DATA_DIR
    assert data.load("claims").loc[0, "claim_en"] == before.loc[0, "claim_en"] != "Edited by a teacher."


def test_a_missing_file_or_folder_is_named(data_copy, monkeypatch):
    (data_copy / "timeline.csv").unlink()
    with pytest.raises(ValueError, match=r"^timeline\.csv: file not found at .*class_data.*copy the course's"):
        data.load("timeline")
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(data_copy / "nothing_here"))
    with pytest.raises(ValueError, match=r"VM_VS_CLOUD_DATA_DIR is set to .*nothing_here.*not a folder"):
        data.load("claims")
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, "   ")
    assert data.data_dir() == data.DATA_DIR


def test_a_relative_data_folder_is_taken_from_the_project_root(monkeypatch):
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, "data")
    assert data.data_dir() == data.DATA_DIR
