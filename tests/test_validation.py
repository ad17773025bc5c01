"""The shared input checks: every bad input gets a ValueError that names the parameter."""

import math

import numpy as np
import pandas as pd
import pytest

import helpers  # noqa: F401  (registers every schema)
from helpers.data import Column
from helpers.validation import (
    require_choice,
    require_choices,
    require_flag,
    require_fraction,
    require_frame,
    require_integer,
    require_mapping,
    require_number,
    require_series,
    require_text,
    shown,
)


def test_require_number_returns_float_in_range():
    assert require_number("pue", 1.58, minimum=1.0, maximum=3.0) == 1.58
    assert isinstance(require_number("n", 3, minimum=0), float)


@pytest.mark.parametrize("bad", [float("nan"), math.inf, -math.inf, "1.5", None, True, [1.0]])
def test_require_number_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match="pue"):
        require_number("pue", bad, minimum=1.0, maximum=3.0)


def test_require_number_message_names_range_and_value():
    with pytest.raises(ValueError, match=r"pue must be in \[1, 3\]; got 0.5"):
        require_number("pue", 0.5, minimum=1.0, maximum=3.0)


def test_exclusive_bounds():
    with pytest.raises(ValueError, match=r"price must be in \(0, inf\)"):
        require_number("price", 0, minimum=0, min_inclusive=False)


def test_require_integer():
    assert require_integer("hosts", 3.0, minimum=1) == 3
    with pytest.raises(ValueError, match="hosts must be a whole number"):
        require_integer("hosts", 2.5, minimum=1)


def test_require_fraction():
    assert require_fraction("discount", 0.3) == 0.3
    with pytest.raises(ValueError, match="discount"):
        require_fraction("discount", 30)
    with pytest.raises(ValueError, match="discount"):
        require_fraction("discount", 1.0, allow_one=False)


def test_require_choice():
    assert require_choice("kind", "a", ["a", "b"]) == "a"
    with pytest.raises(ValueError, match="kind must be one of 'a', 'b'"):
        require_choice("kind", "c", ["a", "b"])


def test_require_series():
    assert np.array_equal(require_series("demand", [1, 2]), np.array([1.0, 2.0]))
    for bad in ([], "12", [1, float("nan")], [[1, 2]], [-1]):
        with pytest.raises(ValueError, match="demand"):
            require_series("demand", bad, minimum=0)


# --- issue 9: bool is never a number, in arrays too; switches are bools; every error names the parameter ----

@pytest.mark.parametrize("bad", [[True, False], np.array([True, False]), [0.5, True], (1.0, np.True_),
                                 ["0.5", "0.6"], [0.5, None], pd.Series([True, False]), [[0.5]], {"a": 1.0}])
def test_require_series_refuses_bools_strings_and_none_inside(bad):
    with pytest.raises(ValueError, match=r"^utilization"):
        require_series("utilization", bad, minimum=0, maximum=1)


def test_require_series_names_the_first_bad_item():
    with pytest.raises(ValueError, match=r"utilization\[2\] must be a finite number in \[0, 1\]; got True"):
        require_series("utilization", [0.1, 0.2, True], minimum=0, maximum=1)
    with pytest.raises(ValueError, match=r"utilization\[1\] must be a finite number.*got nan"):
        require_series("utilization", np.array([0.1, np.nan]))
    with pytest.raises(ValueError, match=r"got 2 at utilization\[1\]"):
        require_series("utilization", [0.5, 2.0], maximum=1)


def test_require_series_accepts_numeric_arrays_series_and_integer_lists():
    assert require_series("x", pd.Series([1, 2])).tolist() == [1.0, 2.0]
    assert require_series("x", np.arange(3, dtype=np.int32)).dtype == float
    assert require_series("x", (np.float64(0.5), 1)).tolist() == [0.5, 1.0]


@pytest.mark.parametrize("bad", ["no", "False", "", 0, 1, 1.0, None, float("nan"), [True]])
def test_require_flag_takes_only_true_or_false(bad):
    with pytest.raises(ValueError, match=r"^allow_reversed must be True or False"):
        require_flag("allow_reversed", bad)


def test_require_flag():
    assert require_flag("x", True) is True and require_flag("x", np.False_) is False
    assert require_flag("x", None, allow_none=True) is None
    with pytest.raises(ValueError, match="allow_none must be True or False"):
        require_flag("x", True, allow_none="yes")


def test_require_text_and_choices_and_mapping():
    assert require_text("title", "A finding") == "A finding"
    for bad in (None, 1, "  ", ["a"]):
        with pytest.raises(ValueError, match=r"^title must be"):
            require_text("title", bad)
    assert require_choices("platforms", ["a"], ("a", "b")) == ("a",)
    assert require_choices("platforms", "a", ("a", "b"), allow_single=True) == ("a",)
    for bad in ("a", [], ["c"], ["a", "a"], [1], None):
        with pytest.raises(ValueError, match=r"^platforms"):
            require_choices("platforms", bad, ("a", "b"))
    assert require_mapping("overrides", {"pue": 1.5}, ("pue",)) == {"pue": 1.5}
    assert require_mapping("overrides", None) == {}
    for bad in ("abc", 1, [("pue", 1.5)], {"nope": 1}, {1: 1}):
        with pytest.raises(ValueError, match=r"^overrides"):
            require_mapping("overrides", bad, ("pue",))


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda: require_number("x", 1, minimum=float("inf")), "minimum"),
    (lambda: require_number("x", 1, maximum="3"), "maximum"),
    (lambda: require_number("x", 1, minimum=2, maximum=1), "minimum"),
    (lambda: require_number("x", 1, min_inclusive="no"), "min_inclusive"),
    (lambda: require_number("x", 1, unit=None), "unit"),
    (lambda: require_number(None, 1), "name"),
    (lambda: require_integer("x", 1, minimum=0.5), "minimum"),
    (lambda: require_fraction("x", 0.5, allow_one="no"), "allow_one"),
    (lambda: require_choice("x", "a", "abc"), "choices"),
    (lambda: require_choice("x", "a", []), "choices"),
    (lambda: require_series("x", [1.0], min_length=None), "min_length"),
    (lambda: require_choices("x", ["a"], ("a",), min_count=-1), "min_count"),
])
def test_the_checks_refuse_bad_settings_by_name(call, parameter):
    """A chapter author's mistake in a check is reported like a student's: by name, never a TypeError."""
    with pytest.raises(ValueError, match=rf"^{parameter}\b"):
        call()


def test_huge_integers_are_refused_not_overflowed():
    with pytest.raises(ValueError, match="x must be a finite number"):
        require_number("x", 10 ** 400)


def test_shown_cuts_long_values():
    assert len(shown(pd.DataFrame({"a": range(1000)}))) <= 80
    assert shown("abc") == "'abc'"


# --- require_frame: a table passed to a helper is checked like a data file --------------------------------
COST_COLUMNS = (Column("option", "str", "", allowed=("own", "rent")), Column("component", "str", ""),
                Column("cost_usd_per_month", "float", "", unit="USD", minimum=0))


def _costs(changes=()):
    frame = pd.DataFrame({"option": ["own", "rent"], "component": ["capital", "compute"],
                          "cost_usd_per_month": [10.0, 12.0]})
    for (column, row), value in dict(changes).items():
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return frame


def test_require_frame_returns_a_valid_table_unchanged():
    frame = _costs()
    assert require_frame("costs", frame, COST_COLUMNS, key=("option", "component")) is frame


COST = "cost_usd_per_month"


@pytest.mark.parametrize(("frame", "message"), [
    ([1, 2], r"^costs must be a table \(pandas DataFrame\) with columns \['option', 'component', 'cost_usd_per_"),
    (pd.DataFrame(), r"^costs must have columns .*column 'option' is missing"),
    (_costs().iloc[0:0], r"^costs must have at least 1 row"),
    (_costs().drop(columns="component"), r"column 'component' is missing"),
    (_costs({(COST, 1): float("nan")}), rf"^costs: row 1, column '{COST}': empty"),
    (_costs({(COST, 0): float("inf")}), rf"^costs: row 0, column '{COST}': inf is not a finite"),
    (_costs({(COST, 0): -1.0}), rf"^costs: row 0, column '{COST}': -1.0 is outside 0\.\. USD"),
    (_costs({(COST, 1): "12"}), rf"^costs: row 1, column '{COST}': '12' of type str is not a number"),
    (_costs({(COST, 1): True}), rf"^costs: row 1, column '{COST}': True of type bool is not a number"),
    (_costs({("option", 1): "lease"}), r"^costs: row 1, column 'option': 'lease' is not one of \['own', 'rent'\]"),
    (_costs({("component", 0): None}), r"^costs: row 0, column 'component': empty"),
    (_costs({("component", 0): 3}), r"^costs: row 0, column 'component': 3 of type int is not text"),
    (pd.concat([_costs(), _costs().iloc[[0]]]),
     r"^costs: row 0 \(position 2\), columns 'option', 'component': duplicate key .* already on row 0 \(position 0\)"),
])
def test_require_frame_names_parameter_row_and_column(frame, message):
    with pytest.raises(ValueError, match=message):
        require_frame("costs", frame, COST_COLUMNS, key=("option", "component"))


def test_require_frame_checks_bool_numbers_infinite_columns_and_dates():
    columns = (Column("n", "int", "", minimum=1), Column("ok", "bool", ""), Column("when", "date", ""),
               Column("limit", "float", "", finite=False))
    good = pd.DataFrame({"n": [1, 2], "ok": [True, False], "when": pd.to_datetime(["2024-01-01", "2025-02-03"]),
                         "limit": [1.0, float("inf")]})
    assert require_frame("table", good, columns) is good
    for column, value, message in [("n", 2.5, "not a whole number"), ("ok", "yes", "is not True or False"),
                                   ("when", "2024-13-01", "is not an ISO date"), ("limit", float("nan"), "empty"),
                                   ("n", True, "not a number")]:
        bad = good.astype(object)
        bad.loc[1, column] = value
        with pytest.raises(ValueError, match=rf"^table: row 1, column '{column}': .*{message}"):
            require_frame("table", bad, columns)
    with pytest.raises(ValueError, match=r"^table: row 0, column 'n': holds true/false values"):
        require_frame("table", good.assign(n=[True, False]), columns)


def test_require_frame_by_data_file_name_uses_its_schema_and_key():
    from helpers import data

    claims = data.load("claims")
    assert require_frame("claims", claims, "claims") is claims
    with pytest.raises(ValueError, match=r"^claims: row 3, column 'claim_id': duplicate key"):
        require_frame("claims", pd.concat([claims.head(3), claims.head(1)], ignore_index=True), "claims")
    with pytest.raises(ValueError, match=r"^columns \(the schema claims is checked against\) must be a declared"):
        require_frame("claims", claims, "no_such_file")
