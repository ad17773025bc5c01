"""The self-check machinery: every answer gets a sentence and a hint, never a traceback.

The second half finds every chapter's ``check_*`` function (in ``helpers/*_views.py``) and feeds it
malformed answers: each must return a falsy CheckResult with a message, whatever it is given.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import numpy as np
import pandas as pd
import pytest

import helpers
from helpers.exercises import (NOT_ANSWERED, CheckResult, check_choice, check_number, check_tuple, format_number,
                               format_quantity, format_usd, plural)

# ------------------------------------------------------------------------------------------- check_number


def test_right_answer_within_tolerance():
    result = check_number(0.41, 0.4123, what="the break-even utilisation", rel_tol=0.02, hint="h")
    assert result and result.correct
    assert "Right" in repr(result) and "0.4123" in repr(result)


def test_wrong_answer_says_direction_and_hint():
    result = check_number(0.9, 0.41, what="x", hint="compare the two costs")
    assert not result
    assert "too high" in repr(result) and "compare the two costs" in repr(result)
    assert "too low" in repr(check_number(0.1, 0.41, what="x", hint="h"))


def test_none_means_not_answered_yet():
    result = check_number(None, 1.0, what="x", hint="h")
    assert not result and repr(result) == NOT_ANSWERED
    assert not check_choice(None, "a", options=("a", "b"), what="x", hint="h")


def test_integers_floats_and_numpy_numbers_are_numbers():
    for answer in (4, 4.0, np.float64(4.0), np.int64(4)):
        assert check_number(answer, 4, what="x", hint="h"), answer


MALFORMED = [
    ("4", "without quotes"), ("four", "is text"), (True, "yes/no"), (False, "yes/no"), (np.bool_(True), "yes/no"),
    (float("nan"), "nan"), (float("inf"), "infinite"), ([4], "container"), ((4,), "container"),
    (np.array([4.0]), "container"), (pd.Series([4.0]), "container"), ([4, 5], "2 values"),
    ((1, 2, 3), "3 values"), ({"a": 4}, "1 values"), (pd.DataFrame({"a": [1, 2]}), "2 values"),
    (object(), "not a number"), (1 + 2j, "complex"), ("", "is text"), ([], "0 values"),
]


@pytest.mark.parametrize(("answer", "says"), MALFORMED, ids=[repr(a)[:20] for a, _ in MALFORMED])
def test_a_malformed_number_answer_gets_a_sentence_and_the_hint(answer, says):
    result = check_number(answer, 4.0, what="the count", unit="layers", hint="count them")
    assert isinstance(result, CheckResult) and not result
    assert says in result.message and "Hint: count them" in result.message
    assert "Traceback" not in result.message


def test_text_holding_the_right_number_says_to_drop_the_quotes():
    assert "answer = 1234.5" in check_number("1,234.5", 1234.5, what="x", hint="h").message


def test_money_is_never_in_scientific_notation():
    result = check_number(149_600.0, 120_000.0, what="the saving", unit="USD", hint="h")
    assert "$149,600" in result.message and "e+" not in result.message
    assert "$120,000" in check_number(120_000, 120_000, what="the saving", unit="USD", hint="h").message


def test_units_are_singular_for_one():
    assert "is 1 layer." in check_number(1, 1, what="the difference", unit="layers", hint="h").message
    assert "2 layers is too high" in check_number(2, 1, what="d", unit="layers", hint="h").message


@pytest.mark.parametrize(("kwargs", "name"), [
    (dict(expected="4"), "expected"), (dict(expected=float("nan")), "expected"), (dict(rel_tol=2), "rel_tol"),
    (dict(what=""), "what"), (dict(hint=None), "hint"), (dict(unit=3), "unit"),
])
def test_an_authors_mistake_is_still_a_value_error(kwargs, name):
    base = dict(expected=1.0, what="x", hint="h")
    with pytest.raises(ValueError, match=name):
        check_number(1.0, **{**base, **kwargs})


# ------------------------------------------------------------------------------------------- check_choice


def test_choice_is_case_space_and_quote_insensitive():
    assert check_choice(" Memory ", "memory", options=("cpu", "memory"), what="the limit", hint="h")
    assert check_choice("'memory'", "memory", options=("cpu", "memory"), what="the limit", hint="h")
    assert not check_choice("cpu", "memory", options=("cpu", "memory"), what="the limit", hint="h")


@pytest.mark.parametrize(("answer", "says"), [
    ("disk", 'not one of the options "cpu", "memory"'), (4, "in quotes"), (True, "in quotes"),
    (["memory"], "inside a container"), (("cpu", "memory"), "in quotes"), (float("nan"), "in quotes"),
])
def test_a_malformed_choice_gets_a_sentence_and_the_hint(answer, says):
    result = check_choice(answer, "memory", options=("cpu", "memory"), what="the limit", hint="compare them")
    assert not result and says in result.message and "Hint: compare them" in result.message


def test_an_expected_answer_outside_the_options_is_the_authors_mistake():
    with pytest.raises(ValueError, match="expected must be one of"):
        check_choice("cpu", "disk", options=("cpu", "memory"), what="x", hint="h")
    with pytest.raises(ValueError, match="options"):
        check_choice("cpu", "cpu", options="cpu", what="x", hint="h")


# ------------------------------------------------------------------------------------------- check_tuple

def gap_check(answer):
    return check_tuple(answer, [lambda v: check_number(v, 7.2, what="years", unit="years", abs_tol=0.5, rel_tol=0,
                                                       hint="h1"),
                                lambda v: check_choice(v, "ec2", options=("ec2", "s3"), what="before", hint="h2")],
                       names=("years", "before_event_id"), what="the gap", hint="read the panel")


def test_tuple_right_and_partly_wrong():
    assert gap_check((7.0, "ec2"))
    assert gap_check([7.0, "EC2"])
    result = gap_check((9.0, "ec2"))
    assert not result and "years: ✗" in result.message and "before_event_id: ✓" in result.message


@pytest.mark.parametrize(("answer", "says"), [
    (None, "No answer yet"), ("7.2, ec2", "not a tuple"), (7.2, "not a tuple"), ((7.2,), "has 1 value,"),
    ((7.2, "ec2", "s3"), "has 3 values"), (("7.2", None), "without quotes"), ((float("nan"), 5), "nan"),
])
def test_tuple_malformed_answers(answer, says):
    result = gap_check(answer)
    assert not result and says in result.message


# ------------------------------------------------------------------------------------------- formatting

@pytest.mark.parametrize(("value", "text"), [
    (149_600.0, "$149,600"), (0.096, "$0.096"), (2.4, "$2.40"), (96, "$96.00"), (-1234.4, "-$1,234"),
    (1_200_000, "$1,200,000"), (0.0004, "$0.0004"), (0, "$0.00"), (1e12, "$1,000,000,000,000"),
])
def test_format_usd(value, text):
    assert format_usd(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (12345.678, "12,346"), (3.14159, "3.142"), (0.000123, "0.000123"), (7.0, "7"), (-0.5, "-0.5"), (0, "0"),
    (2.5e9, "2,500,000,000"),
])
def test_format_number(value, text):
    assert format_number(value) == text


def test_quantities_and_plurals():
    assert format_quantity(1, "layers") == "1 layer" and format_quantity(3, "layers") == "3 layers"
    assert format_quantity(1, "VMs") == "1 VM" and format_quantity(1, "years") == "1 year"
    assert format_quantity(1.5, "years") == "1.5 years" and format_quantity(0.3, "%") == "0.3 %"
    assert format_quantity(3.4, "x") == "3.4x" and format_quantity(1200, "USD") == "$1,200"
    assert plural(1, "layer") == "layer" and plural(2, "layer") == "layers" and plural(0, "box") == "boxes"
    with pytest.raises(ValueError, match="count"):
        plural("2", "layer")
    with pytest.raises(ValueError, match="amount"):
        format_usd(float("nan"))


def test_result_renders_as_html_with_protected_dollars():
    rendered = CheckResult(True, "Right: it is $5 and $6 <b>")._repr_html_()
    assert "color" in rendered and "$" not in rendered and "&lt;b&gt;" in rendered


# ------------------------------------------------------------------------------------------- every chapter's checks

def discover_checks():
    found = []
    for module_info in pkgutil.iter_modules(helpers.__path__):
        if not module_info.name.endswith("_views"):
            continue
        module = importlib.import_module(f"helpers.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and function.__module__ == module.__name__:
                found.append(pytest.param(function, id=f"{module_info.name}.{name}"))
    return found


CHECKS = discover_checks()
ANY_INPUT = [None, "4", "four", "", True, False, float("nan"), float("inf"), -1e300, [4], [], (1, 2, 3), ("a",),
             {"a": 1}, np.array([1.0, 2.0]), pd.Series([1.0]), pd.DataFrame({"a": [1]}), object(), 1 + 1j]


def test_there_are_chapter_checks():
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", CHECKS)
def test_every_chapter_check_answers_any_input_with_a_sentence(check):
    for answer in ANY_INPUT:
        result = check(answer)
        assert isinstance(result, CheckResult), f"{check.__name__}({answer!r}) returned {type(result).__name__}"
        assert result.message.strip(), f"{check.__name__}({answer!r}) gave an empty message"
        if answer is None:
            assert not result and "No answer yet" in result.message
        elif not isinstance(answer, (int, float)) or isinstance(answer, bool) or not math.isfinite(answer):
            assert not result, f"{check.__name__}({answer!r}) accepted a malformed answer"
        assert "e+" not in result.message.replace("e+0", "").lower() or "hint" in result.message.lower()
