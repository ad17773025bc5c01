"""Input checks shared by every public helper.

Every public function in :mod:`helpers` validates its arguments with these
functions, so bad input always fails the same way: a :class:`ValueError`
whose message names the parameter, the allowed range and the value given,
whatever the wrong value is (a bool, NaN, a string, None, a list, a table ...).

* numbers: :func:`require_number`, :func:`require_integer`, :func:`require_fraction`
  (a bool is never a number: ``True`` is refused, in arrays too);
* sequences of numbers: :func:`require_series`;
* on/off switches: :func:`require_flag` (only ``True``/``False``; the string ``"no"`` is refused);
* names from a fixed list: :func:`require_choice` (one), :func:`require_choices` (several);
* free text (titles, labels): :func:`require_text`;
* ``{name: value}`` overrides: :func:`require_mapping`;
* tables: :func:`require_frame` checks a DataFrame against a schema of
  :class:`helpers.data.Column` (columns, types, finiteness, ranges, allowed
  categories, empty cells, unique keys, at least one row) and names the
  parameter, the row and the column of the first problem.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

__all__ = ["require_number", "require_integer", "require_fraction", "require_choice", "require_choices",
           "require_series", "require_flag", "require_text", "require_mapping", "require_frame"]

_SHOWN_CHARS = 80


def shown(value) -> str:
    """``repr(value)`` cut to about 80 characters, for error messages (a whole table would be unreadable)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001  (a broken __repr__ must not hide the real error)
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _type_name(value) -> str:
    return type(value).__name__


def _require_name(name) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"name (the parameter's name, for the error message) must be a non-empty string; "
                         f"got {shown(name)}")
    return name


def _is_real(value) -> bool:
    """A real number that is not a bool (``True`` is an int in Python, but never a number here)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _bound(value, label: str, *, whole: bool = False) -> float | None:
    """A range bound given by the author of a check: None (no bound) or a finite number."""
    if value is None:
        return None
    try:
        number = float(value) if _is_real(value) else math.nan
    except OverflowError:
        number = math.nan
    if not math.isfinite(number) or (whole and not number.is_integer()):
        kind = "a whole number" if whole else "a finite number"
        raise ValueError(f"{label} must be {kind} or None (no bound); got {shown(value)}")
    return number


def _flag(name: str, value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(f"{name} must be True or False; got {shown(value)} of type {_type_name(value)}")


def _count(name: str, value) -> int:
    try:
        number = float(value) if _is_real(value) else math.nan
    except OverflowError:
        number = math.nan
    if not math.isfinite(number) or not number.is_integer() or number < 0:
        raise ValueError(f"{name} must be a whole number >= 0; got {shown(value)}")
    return int(number)


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

    Rejects booleans, non-numbers (strings such as ``"1.5"`` too), NaN, infinities and
    values outside the range ``minimum``..``maximum`` (inclusive unless told otherwise).
    """
    _require_name(name)
    minimum, maximum = _bound(minimum, "minimum"), _bound(maximum, "maximum")
    min_inclusive, max_inclusive = _flag("min_inclusive", min_inclusive), _flag("max_inclusive", max_inclusive)
    if not isinstance(unit, str):
        raise ValueError(f"unit must be a string; got {shown(unit)} of type {_type_name(unit)}")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValueError(f"minimum ({minimum:g}) must not exceed maximum ({maximum:g}) in the check of {name}")
    allowed = _describe_range(minimum, maximum, min_inclusive, max_inclusive)
    unit_text = f" {unit}" if unit else ""
    if not _is_real(value):
        raise ValueError(
            f"{name} must be a number in {allowed}{unit_text}; got {shown(value)} of type {_type_name(value)}"
        )
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):  # e.g. an int too large for a float
        raise ValueError(f"{name} must be a finite number in {allowed}{unit_text}; got {shown(value)}") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{name} must be a finite number in {allowed}{unit_text}; got {shown(value)}")
    too_low = minimum is not None and (number < minimum or (not min_inclusive and number == minimum))
    too_high = maximum is not None and (number > maximum or (not max_inclusive and number == maximum))
    if too_low or too_high:
        raise ValueError(f"{name} must be in {allowed}{unit_text}; got {shown(value)}")
    return number


def require_integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int (whole floats such as ``3.0`` are accepted), else ``ValueError``."""
    minimum, maximum = _bound(minimum, "minimum", whole=True), _bound(maximum, "maximum", whole=True)
    number = require_number(name, value, minimum=minimum, maximum=maximum)
    if not float(number).is_integer():
        allowed = _describe_range(minimum, maximum, True, True)
        raise ValueError(f"{name} must be a whole number in {allowed}; got {shown(value)}")
    return int(number)


def require_fraction(name: str, value, *, allow_one: bool = True, allow_zero: bool = True) -> float:
    """Return ``value`` as a float in 0..1 (a share, not a percentage), else ``ValueError``."""
    return require_number(
        name, value, minimum=0.0, maximum=1.0, min_inclusive=_flag("allow_zero", allow_zero),
        max_inclusive=_flag("allow_one", allow_one)
    )


def require_flag(name: str, value, *, allow_none: bool = False) -> bool | None:
    """Return ``value`` if it is ``True`` or ``False`` (``None`` too with ``allow_none``), else ``ValueError``.

    Strings are refused, even ``"no"`` or ``"False"`` (which Python would treat as true),
    and so are 0 and 1: a switch is a bool.
    """
    _require_name(name)
    if _flag("allow_none", allow_none) and value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    allowed = "True, False or None" if allow_none else "True or False"
    raise ValueError(f"{name} must be {allowed}; got {shown(value)} of type {_type_name(value)}")


def require_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else ``ValueError`` listing them."""
    _require_name(name)
    options = _names("choices", choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {shown(value)}")
    return value


def require_choices(name: str, values, choices: Iterable[str], *, min_count: int = 1, unique: bool = True,
                    allow_single: bool = False) -> tuple[str, ...]:
    """Return ``values`` (a list or tuple of names from ``choices``) as a tuple, else ``ValueError``.

    At least ``min_count`` names; no name twice when ``unique``. With ``allow_single`` a
    single string is taken as a one-name list.
    """
    _require_name(name)
    options = _names("choices", choices)
    min_count = _count("min_count", min_count)
    unique, allow_single = _flag("unique", unique), _flag("allow_single", allow_single)
    if isinstance(values, str) and allow_single:
        values = (values,)
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise ValueError(f"{name} must be a list or tuple of names from {list(options)}; got {shown(values)} "
                         f"of type {_type_name(values)}")
    if len(values) < min_count:
        raise ValueError(f"{name} must name at least {min_count} of {list(options)}; got {shown(values)}")
    for value in values:
        require_choice(name, value, options)
    if unique and len(set(values)) != len(values):
        raise ValueError(f"{name} must not name the same value twice; got {shown(values)}")
    return tuple(values)


def require_text(name: str, value, *, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a string (non-empty unless ``allow_empty``), else ``ValueError``."""
    _require_name(name)
    allow_empty = _flag("allow_empty", allow_empty)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string; got {shown(value)} of type {_type_name(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {shown(value)}")
    return value


def require_mapping(name: str, value, keys: Iterable[str] | None = None, *, allow_none: bool = True) -> dict:
    """Return ``value`` (a mapping of names to values) as a dict, else ``ValueError``.

    ``keys``: the names allowed (a list, or a mapping whose keys are the names; any string
    when ``None``). The values are not checked here: check each under its own name (e.g.
    with :func:`require_number`).
    """
    _require_name(name)
    if _flag("allow_none", allow_none) and value is None:
        return {}
    allowed = None if keys is None else _names("keys", keys)
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping such as {{'name': value}}; got {shown(value)} "
                         f"of type {_type_name(value)}")
    for key in value:
        if not isinstance(key, str) or (allowed is not None and key not in allowed):
            known = "strings" if allowed is None else f"one of {sorted(allowed)}"
            raise ValueError(f"{name}: every name must be {known}; got {shown(key)}")
    return dict(value)


def _names(label: str, values) -> tuple[str, ...]:
    """The allowed names given by the author of a check: a non-empty collection of non-empty strings
    (a mapping gives its keys)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{label} must be a list or tuple of names; got {shown(values)} of type {_type_name(values)}")
    names = tuple(values)
    if not names or not all(isinstance(item, str) and item for item in names):
        raise ValueError(f"{label} must hold at least one name, each a non-empty string; got {shown(values)}")
    return names


def _first_bad_item(values) -> tuple[int, object] | None:
    """Index and value of the first item that is not a real number (bools, strings, None, lists ...)."""
    for index, item in enumerate(values):
        if not _is_real(item):
            return index, item
    return None


def require_series(
    name: str,
    values: Sequence[float] | np.ndarray,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_length: int = 1,
) -> np.ndarray:
    """Return ``values`` as a 1-D float array whose every item is a finite number in range.

    A list, tuple, numpy array or pandas Series; booleans (``[True, False]`` or a bool
    array), strings, None, NaN and infinities are refused, naming the first bad item.
    """
    _require_name(name)
    minimum, maximum = _bound(minimum, "minimum"), _bound(maximum, "maximum")
    min_length = _count("min_length", min_length)
    allowed = _describe_range(minimum, maximum, True, True)
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__len__") or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a sequence of numbers in {allowed}; got {shown(values)} "
                         f"of type {_type_name(values)}")
    dtype = getattr(values, "dtype", None)
    kind = getattr(dtype, "kind", "O")
    if kind == "b":
        raise ValueError(f"{name} must hold numbers, not true/false values; got {shown(values)}")
    if kind not in "iuf":  # lists, tuples, object arrays, string arrays, nullable or categorical Series ...
        flat = values if getattr(values, "ndim", 1) == 1 else np.asarray(values, dtype=object).ravel()
        bad = _first_bad_item(list(flat) if not isinstance(flat, (list, tuple)) else flat)
        if bad is not None:
            index, item = bad
            raise ValueError(f"{name}[{index}] must be a finite number in {allowed}; got {shown(item)} "
                             f"of type {_type_name(item)}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a sequence of numbers; got {shown(values)}") from None
    if array.ndim != 1 or array.size < min_length:
        raise ValueError(f"{name} must be a 1-D sequence of at least {min_length} numbers; got shape {array.shape}")
    finite = np.isfinite(array)
    if not finite.all():
        index = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"{name}[{index}] must be a finite number in {allowed}; got {float(array[index])!r}")
    if (minimum is not None and array.min() < minimum) or (maximum is not None and array.max() > maximum):
        index = int(np.flatnonzero((array < (minimum if minimum is not None else -np.inf))
                                   | (array > (maximum if maximum is not None else np.inf)))[0])
        raise ValueError(f"every value of {name} must be in {allowed}; got {array[index]:g} at {name}[{index}] "
                         f"(values {array.min():g}..{array.max():g})")
    return array


def require_frame(name: str, frame, columns, *, key: str | Sequence[str] | None = None, min_rows: int = 1):
    """Return ``frame`` (a pandas DataFrame) if it holds every column of ``columns`` with valid values.

    ``columns``: the name of a registered data file (its schema and key are used) or a
    sequence of :class:`helpers.data.Column`. Each column must be present (others may be
    too); each cell of the right type (numbers are never bools), finite unless the column
    says ``finite=False``, within ``minimum``/``maximum``, one of ``allowed``, non-empty if
    ``required``; ``key`` columns unique together; at least ``min_rows`` rows. The frame is
    returned unchanged. A ``ValueError`` names ``name``, the row (index label) and column.
    """
    from .data import validate_frame  # data imports this module

    return validate_frame(name, frame, columns, key=key, min_rows=min_rows)
