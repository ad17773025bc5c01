"""The data layer: schemas, validation errors that name file/row/column, documentation of every file."""

from __future__ import annotations

import pytest

import helpers  # noqa: F401  (registers every schema)
from helpers import data
from helpers.data import Column, validate_file
from tests.conftest import DATA

CSV_FILES = sorted(path.stem for path in DATA.glob("*.csv"))


def test_every_csv_has_a_schema():
    assert set(CSV_FILES) == set(data.SCHEMAS), "every data/*.csv has a schema, every schema a file"


@pytest.mark.parametrize("name", sorted(data.SCHEMAS))
def test_every_file_loads_and_has_a_source_on_every_row(name):
    frame = data.load(name)
    assert len(frame) > 0
    assert frame["source"].str.strip().str.len().gt(0).all()


@pytest.mark.parametrize("name", sorted(data.SCHEMAS))
def test_every_file_and_column_is_documented(name):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"## {name}.csv" in readme
    section = readme.split(f"## {name}.csv", 1)[1].split("\n## ", 1)[0]
    for column in data.SCHEMAS[name][1]:
        assert f"| {column.name} |" in section, f"data/README.md does not document {name}.{column.name}"


def test_load_returns_a_copy():
    first = data.load("claims")
    first.loc[0, "verdict"] = "changed"
    assert data.load("claims").loc[0, "verdict"] != "changed"


def test_unknown_name_is_a_value_error():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load("no_such_file")


COLUMNS = (
    Column("item", "str", "An item.", allowed=("a", "b")),
    Column("price_usd", "float", "A price.", unit="USD", minimum=0),
    Column("count", "int", "A count.", minimum=1, maximum=10),
    Column("source", "str", "Where it comes from."),
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a,1.5,2,src\nb,-1,2,src\n", r"bad\.csv: row 3, column 'price_usd': -1 is outside 0\.\."),
        ("a,1.5,2,src\nc,1,2,src\n", r"bad\.csv: row 3, column 'item': 'c' is not one of"),
        ("a,abc,2,src\n", r"row 2, column 'price_usd': 'abc' is not a number"),
        ("a,1,2.5,src\n", r"row 2, column 'count': '2.5' is not a whole number"),
        ("a,1,11,src\n", r"row 2, column 'count': 11 is outside 1\.\.10"),
        ("a,1,2,\n", r"row 2, column 'source': empty, but a value is required"),
        ("a,nan,2,src\n", r"row 2, column 'price_usd'"),
    ],
)
def test_violations_name_file_row_and_column(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text("item,price_usd,count,source\n" + body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        validate_file(path, COLUMNS)


def test_wrong_columns_are_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("item,count,price_usd,source\na,1,2,src\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv: columns must be"):
        validate_file(path, COLUMNS)


def test_schema_without_source_is_refused():
    with pytest.raises(ValueError, match="source"):
        data.register_schema("x", "no source", [Column("a", "str", "A.")])


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data._load_cached.cache_clear()
    assert len(data.load("claims")) > 0


def test_describe_schema_lists_every_column_with_type_unit_and_range():
    table = data.describe_schema("claims")
    assert list(table.columns) == ["column", "type", "unit", "allowed", "description"]
    assert list(table["column"]) == [c.name for c in data.SCHEMAS["claims"][1]]
    verdict = table.set_index("column").loc["verdict"]
    assert verdict["allowed"] == "correct | wrong | misleading | unverifiable"
    bounded = Column("n", "int", "A count.", minimum=1, maximum=10)
    assert data._allowed_text(bounded) == "1..10"
    with pytest.raises(ValueError, match="name must be one of"):
        data.describe_schema("nothing")


def test_column_rejects_an_unknown_dtype():
    with pytest.raises(ValueError, match="dtype must be one of"):
        Column("a", "decimal", "A.")
