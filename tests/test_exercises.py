"""The self-check machinery."""

import pytest

from helpers.exercises import CheckResult, check_choice, check_number


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
    assert not result and "No answer yet" in repr(result)
    assert not check_choice(None, "a", options=("a", "b"), what="x", hint="h")


@pytest.mark.parametrize("bad", ["0.4", float("nan"), [0.4], True])
def test_non_numeric_answer_is_a_value_error(bad):
    with pytest.raises(ValueError, match="answer"):
        check_number(bad, 1.0, what="x", hint="h")


def test_choice_is_case_insensitive_and_validated():
    assert check_choice("Memory", "memory", options=("cpu", "memory"), what="the limit", hint="h")
    assert not check_choice("cpu", "memory", options=("cpu", "memory"), what="the limit", hint="h")
    with pytest.raises(ValueError, match="answer must be one of"):
        check_choice("disk", "memory", options=("cpu", "memory"), what="the limit", hint="h")


def test_result_renders_as_html():
    assert "color" in CheckResult(True, "ok")._repr_html_()
