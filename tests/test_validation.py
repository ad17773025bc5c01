"""The shared input checks: every bad input gets a ValueError that names the parameter."""

import math

import numpy as np
import pytest

from helpers.validation import require_choice, require_fraction, require_integer, require_number, require_series


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
