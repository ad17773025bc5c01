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
    with pytest.raises(ValueError, match=r"bad\.csv: row 1 \(the header\): column 'price_usd' must come 2nd"):
        validate_file(path, COLUMNS)


def test_schema_without_source_is_refused():
    with pytest.raises(ValueError, match="source"):
        data.register_schema("x", "no source", [Column("a", "str", "A.")])


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    data.clear_cache()
    assert len(data.load("claims")) > 0


def test_describe_schema_lists_every_column_with_type_unit_and_range():
    table = data.describe_schema("claims")
    assert list(table.columns) == ["column", "type", "unit", "allowed", "key", "description"]
    assert list(table.loc[table["key"] == "yes", "column"]) == ["claim_id"]
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


# --- issue 9: keys, finiteness, what a student's editor does to a file ---------------------------------------

@pytest.mark.parametrize("name", sorted(data.SCHEMAS))
def test_every_file_declares_its_key_and_the_key_is_unique(name):
    """Every registered file names the column(s) that identify a row (register_schema(..., key=...))."""
    key = data.SCHEMAS[name].key
    assert key, f"schema {name!r} declares no key: add key=... to its register_schema call"
    assert not data.load(name).duplicated(list(key)).any()


def test_register_schema_checks_the_key_and_the_columns():
    columns = [Column("id", "str", "An id."), Column("source", "str", "Where from.")]
    try:
        data.register_schema("zz_test", "A test.", columns, key="id")
        assert data.SCHEMAS["zz_test"].key == ("id",)
        assert data.SCHEMAS["zz_test"].columns == tuple(columns)
        for bad in ("nope", [], ["id", 3], 3):
            with pytest.raises(ValueError, match=r"^key of schema 'zz_test'"):
                data.register_schema("zz_test", "A test.", columns, key=bad)
        with pytest.raises(ValueError, match=r"^columns must not repeat a column name; 'id' appears twice"):
            data.register_schema("zz_test", "A test.", columns + [Column("id", "int", "Again.")])
        with pytest.raises(ValueError, match=r"^columns must be a non-empty list of helpers\.data\.Column"):
            data.register_schema("zz_test", "A test.", ["id", "source"])
    finally:
        data.SCHEMAS.pop("zz_test", None)


@pytest.mark.parametrize(("body", "message"), [
    ("a,1.5,2,src\nb,1.5,3,src\n", None),
    ("a,1.5,2,src\na,2,3,src\n", r"^bad\.csv: row 3, column 'item': duplicate key \(item='a'\) already on row 2"),
    ("a,inf,2,src\n", r"row 2, column 'price_usd': 'inf' is not a finite number"),
    ("a,-Infinity,2,src\n", r"row 2, column 'price_usd': '-Infinity' is not a finite number"),
    ("a,1e999,2,src\n", r"row 2, column 'price_usd': '1e999' is not a finite number"),
    ("a,1_000,2,src\n", r"row 2, column 'price_usd': '1_000' is not a number"),
    ("a,1.5,2,src,extra\n", r"row 2, column 'source': 5 fields, but the header has 4 columns"),
    ("a,1.5,2\n", r"row 2, column 'source': 3 fields, but the header has 4 columns"),
    ('a,1.5,2,"src\n', r"row 2: cannot be read as CSV \(a double quote opened here is never closed\)"),
    ("a,1.5,2,src\n,,,\n", r"row 3, column 'item': empty, but a value is required"),
])
def test_the_key_and_the_text_of_a_file_are_checked(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text("item,price_usd,count,source\n" + body, encoding="utf-8")
    if message is None:
        assert len(validate_file(path, COLUMNS, key="item")) == 2
    else:
        with pytest.raises(ValueError, match=message):
            validate_file(path, COLUMNS, key="item")


def test_an_infinite_column_accepts_inf_but_never_nan(tmp_path):
    columns = (Column("limit", "float", "A limit.", finite=False), Column("source", "str", "Where from."))
    path = tmp_path / "limits.csv"
    path.write_text("limit,source\ninf,a\n-inf,b\n3,c\n", encoding="utf-8")
    assert validate_file(path, columns)["limit"].tolist() == [float("inf"), float("-inf"), 3.0]
    path.write_text("limit,source\nnan,a\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2, column 'limit': 'nan' is not a finite number"):
        validate_file(path, columns)


def test_dates_must_be_real_iso_days(tmp_path):
    columns = (Column("when", "date", "A day."), Column("source", "str", "Where from."))
    path = tmp_path / "days.csv"
    for cell in ("2024/01/01", "2024-02-30", "20240101", "01-02-2024"):
        path.write_text(f"when,source\n{cell},a\n", encoding="utf-8")
        with pytest.raises(ValueError, match=rf"row 2, column 'when': '{cell}' is not an ISO date"):
            validate_file(path, columns)
    path.write_text("when,source\n2024-02-29,a\n", encoding="utf-8")
    assert str(validate_file(path, columns)["when"].iloc[0].date()) == "2024-02-29"


def test_a_utf16_file_is_named_as_not_utf8(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("item,price_usd,count,source\na,1.5,2,src\n", encoding="utf-16")
    with pytest.raises(ValueError, match=r"^bad\.csv: row 1: byte 0xFF is not UTF-8 text; save the file as UTF-8"):
        validate_file(path, COLUMNS)


def test_column_checks_its_own_settings():
    for arguments, parameter in [(("a", "float", "A.", "", "0"), "minimum"), (("a", "str", "A."), None),
                                 ((1, "str", "A."), "name")]:
        if parameter is None:
            Column(*arguments)
            continue
        with pytest.raises(ValueError, match=rf"^{parameter}"):
            Column(*arguments)
    with pytest.raises(ValueError, match=r"^finite must be True or False"):
        Column("a", "float", "A.", finite="no")
    with pytest.raises(ValueError, match=r"^allowed of column 'a' must be a tuple of strings"):
        Column("a", "str", "A.", allowed="abc")


def test_an_edited_file_is_read_again_without_restarting(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "claims.csv").write_bytes((DATA / "claims.csv").read_bytes())
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    assert len(data.load("claims")) == len(data.load("claims"))
    text = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(text.replace(",correct,", ",maybe,", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^claims\.csv: row \d+, column 'verdict': 'maybe' is not one of"):
        data.load("claims")
    (folder / "claims.csv").write_text(text, encoding="utf-8")  # restored: loads again
    assert len(data.load("claims")) > 0
