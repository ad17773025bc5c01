"""Input checks shared by every public helper.

Every public function in :mod:`helpers` validates its arguments with these
functions, so bad input always fails the same way: a :class:`ValueError`
whose message names the parameter, the allowed range and the value given.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["require_number", "require_integer", "require_fraction", "require_choice", "require_series"]


def _describe_range(minimum, maximum, min_inclusive, max_inclusive) -> str:
    low = "-inf" if minimum is None else f"{minimum:g}"
    high = "inf" if maximum is None else f"{maximum:g}"
    left = "[" if (min_inclusive and minimum is not None) else "("
    right = "]" if (max_inclusive and maximum is not None) else ")"
    return f"{left}{low}, {high}{right}"


def require_number(
    name: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    unit: str = "",
) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` naming ``name``.

    Rejects booleans, non-numbers, NaN, infinities and values outside the
    range ``minimum``..``maximum`` (inclusive unless told otherwise).
    """
    allowed = _describe_range(minimum, maximum, min_inclusive, max_inclusive)
    unit_text = f" {unit}" if unit else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a number in {allowed}{unit_text}; got {value!r} of type {type(value).__name__}"
        )
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{name} must be a finite number in {allowed}{unit_text}; got {value!r}")
    too_low = minimum is not None and (number < minimum or (not min_inclusive and number == minimum))
    too_high = maximum is not None and (number > maximum or (not max_inclusive and number == maximum))
    if too_low or too_high:
        raise ValueError(f"{name} must be in {allowed}{unit_text}; got {value!r}")
    return number


def require_integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int (whole floats such as ``3.0`` are accepted), else ``ValueError``."""
    number = require_number(name, value, minimum=minimum, maximum=maximum)
    if not float(number).is_integer():
        allowed = _describe_range(minimum, maximum, True, True)
        raise ValueError(f"{name} must be a whole number in {allowed}; got {value!r}")
    return int(number)


def require_fraction(name: str, value, *, allow_one: bool = True, allow_zero: bool = True) -> float:
    """Return ``value`` as a float in 0..1 (a share, not a percentage), else ``ValueError``."""
    return require_number(
        name, value, minimum=0.0, maximum=1.0, min_inclusive=allow_zero, max_inclusive=allow_one
    )


def require_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else ``ValueError`` listing them."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def require_series(
    name: str,
    values: Sequence[float] | np.ndarray,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_length: int = 1,
) -> np.ndarray:
    """Return ``values`` as a 1-D float array whose every item is a finite number in range."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a sequence of numbers; got {type(values).__name__}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers; got {values!r}") from None
    if array.ndim != 1 or array.size < min_length:
        raise ValueError(f"{name} must be a 1-D sequence of at least {min_length} numbers; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers; found NaN or infinity")
    allowed = _describe_range(minimum, maximum, True, True)
    if (minimum is not None and array.min() < minimum) or (maximum is not None and array.max() > maximum):
        raise ValueError(f"every value of {name} must be in {allowed}; got {array.min():g}..{array.max():g}")
    return array
