"""Self-checks for the exercises: right, or not yet with a hint, whatever the student typed.

Each chapter's ``check_...`` function computes the expected answer from the course's own models
(never a number typed in twice) and returns a :class:`CheckResult`: one line in the notebook,
truthy when the answer is right, so a solution can say ``assert check_...(answer)``.

Build every chapter check on these (they never raise on the student's answer):

* :func:`check_number` - one number, within a tolerance, in a unit (``unit="USD"`` formats money);
* :func:`check_choice` - one of a few named options (case and spaces ignored);
* :func:`check_tuple` - several parts at once, e.g. ``(years, before_event_id, after_event_id)``,
  each part checked by its own ``check_number`` / ``check_choice``.

Whatever the answer is (``None``, ``"4"``, ``True``, ``nan``, ``[4]``, a tuple of the wrong length,
a DataFrame, ...), the student gets one sentence saying what is wrong with it and the hint, never
a traceback. ``None`` means "not answered yet" (the exercise cell's ``answer = None``), so every
notebook runs top to bottom. A mistake of the chapter author (an ``expected`` that is not a
number, an ``expected`` that is not among the ``options``) still raises ``ValueError``.

Formatting for messages and prose: :func:`format_number` (thousands separators, never scientific
notation), :func:`format_usd` ("$149,600"), :func:`format_quantity` ("1 layer", "3 layers").
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .text import protect_dollars_html
from .validation import require_integer, require_number

__all__ = ["CheckResult", "NOT_ANSWERED", "check_number", "check_choice", "check_tuple", "format_number",
           "format_usd", "format_quantity", "plural"]

#: The message for ``answer = None``: not answered yet (not an error).
NOT_ANSWERED = "… No answer yet: replace None with your answer and run the cell again."
_MONEY_UNITS = ("USD", "$", "US$")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-check: ``correct`` and the message shown to the student."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = "#00734F" if self.correct else "#A33A00"  # both >= 4.5:1 on white (WCAG AA for text)
        text = protect_dollars_html(html.escape(self.message))
        return f"<p style='color:{colour};font-weight:600;font-size:14px'>{text}</p>"


# --------------------------------------------------------------------------------------------- formatting

def format_number(value, *, significant: int = 4) -> str:
    """``value`` with thousands separators and about ``significant`` significant digits, never 1e+05.

    12345.678 -> "12,346"; 3.14159 -> "3.142"; 0.000123 -> "0.000123"; 7.0 -> "7".
    """
    value = require_number("value", value)
    significant = require_integer("significant", significant, minimum=1, maximum=12)
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(max(0, int(significant) - 1 - magnitude), 12)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_usd(amount, *, cents: bool | None = None) -> str:
    """Money as "$1,234" (``cents=None``: cents shown below $100, e.g. "$0.096", "$2.40"); never 1e+05.

    Negative amounts read "-$1,234". The plain ``$`` is for text; in Markdown or HTML it is protected
    by the helpers that render it (:mod:`helpers.text`).
    """
    value = require_number("amount", amount)
    if cents is not None and not isinstance(cents, bool):
        raise ValueError(f"cents must be True, False or None; got {cents!r}")
    sign = "-" if value < 0 else ""
    value = abs(value)
    if cents is None:
        cents = value < 100
    if not cents:
        return f"{sign}${value:,.0f}"
    if value < 0.01 and value != 0:
        return f"{sign}${format_number(value, significant=2)}"
    text = f"{value:,.3f}" if value < 1 and round(value, 3) != round(value, 2) else f"{value:,.2f}"
    return f"{sign}${text}"


def plural(count, singular: str, plural_form: str | None = None) -> str:
    """``singular`` or its plural for ``count`` (1 -> "layer", 2 -> "layers", 1.5 -> "layers")."""
    value = require_number("count", count)
    _require_text("singular", singular)
    if plural_form is not None:
        _require_text("plural_form", plural_form)
    if value == 1:
        return singular
    if plural_form is not None:
        return plural_form
    if singular.endswith(("s", "x", "ch", "sh")) and not singular.isupper():
        return singular + "es"
    return singular + "s"


def _singular(unit: str) -> str:
    """The singular of a plural unit ("layers" -> "layer", "VMs" -> "VM"); other units unchanged."""
    irregular = {"hours": "hour", "years": "year", "days": "day", "minutes": "minute", "events": "event",
                 "servers": "server", "cores": "core", "instances": "instance", "containers": "container"}
    if unit in irregular:
        return irregular[unit]
    if re.fullmatch(r"[A-Za-z]*[a-z]s|[A-Z]+s", unit) and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def format_quantity(value, unit: str = "") -> str:
    """A number with its unit, the unit in the singular for exactly 1: "1 layer", "2.5 years", "$1,200"."""
    if not isinstance(unit, str):
        raise ValueError(f"unit must be a string; got {type(unit).__name__}")
    if unit in _MONEY_UNITS:
        return format_usd(value)
    number = format_number(value)
    if not unit:
        return number
    if unit in ("%", "x"):
        return f"{number}{' ' if unit == '%' else ''}{unit}"
    shown = _singular(unit) if require_number("value", value) == 1 else unit
    return f"{number} {shown}"


# --------------------------------------------------------------------------------------------- input

def _describe(answer) -> str:
    """A short, student-readable name for what ``answer`` is."""
    text = repr(answer)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} (a {type(answer).__name__})"


def _one_value(answer):
    """``answer`` unwrapped if it is a one-element container (list, tuple, array, Series); else ``answer``."""
    size = getattr(answer, "size", None)
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        return answer[0], True
    if size == 1 and hasattr(answer, "item") and not isinstance(answer, (str, bytes)):
        try:
            return answer.item() if not hasattr(answer, "iloc") else answer.iloc[0] if answer.ndim == 1 \
                else answer.iloc[0, 0], True
        except Exception:  # an odd container: describe it as it is
            return answer, False
    return answer, False


def _parse_number_text(text: str) -> float | None:
    """The number a string such as "4", " 1,234.5 ", "$1,200" or "25 %" holds, or None."""
    cleaned = text.strip().replace(",", "").replace("_", "").lstrip("$").strip()
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value / 100 if percent else value


def _plain(value: float) -> str:
    """A number as Python code would write it, without separators or exponent: 1234.5, 149600, 0.00012."""
    return format_number(value, significant=12).replace(",", "")


def _number_problem(answer, unit_text: str) -> tuple[str | None, float | None]:
    """(what is wrong with ``answer`` as a number, or None; the number it holds, or None)."""
    wanted = f"one number{unit_text}"
    if isinstance(answer, bool) or type(answer).__name__ in ("bool_", "bool"):
        return (f"{answer} is a yes/no value, not a number: this exercise wants {wanted}.", None)
    if isinstance(answer, str):
        parsed = _parse_number_text(answer)
        if parsed is not None:
            return (f"{answer!r} is text (it is in quotes): write the number without quotes, "
                    f"e.g. answer = {_plain(parsed)}.", parsed)
        return (f"{answer!r} is text, not a number: this exercise wants {wanted}.", None)
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if math.isnan(value):
            return ("nan (not a number) cannot be checked: a calculation divided 0 by 0 or read a missing "
                    "value; print the steps of your calculation.", None)
        if math.isinf(value):
            return ("an infinite value cannot be checked: a calculation divided by 0 somewhere; print its steps.",
                    None)
        return None, value
    unwrapped, was_wrapped = _one_value(answer)
    if was_wrapped:
        problem, value = _number_problem(unwrapped, unit_text)
        if problem is None:
            return (f"{_describe(answer)} holds one value inside a container: write the number itself, "
                    f"e.g. answer = {_plain(value)}.", value)
        return problem, value
    if isinstance(answer, numbers.Complex):
        return (f"{answer!r} is a complex number: this exercise wants {wanted}.", None)
    length = len(answer) if hasattr(answer, "__len__") and not isinstance(answer, (str, bytes)) else None
    if length is not None:
        return (f"{_describe(answer)} holds {length} values: this exercise wants {wanted}.", None)
    return (f"{_describe(answer)} is not a number: this exercise wants {wanted}.", None)


# --------------------------------------------------------------------------------------------- checks

def _require_text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def check_number(answer, expected: float, *, what: str, unit: str = "", rel_tol: float = 0.02,
                 abs_tol: float = 0.0, hint: str) -> CheckResult:
    """Compare a numeric ``answer`` with ``expected`` within ``rel_tol`` (relative) or ``abs_tol`` (absolute).

    ``unit`` is written after the numbers ("layers" -> "1 layer"; "USD" -> "$1,200"). Any
    ``answer`` gets a CheckResult: ``None`` is "not answered yet"; text, yes/no, containers and
    NaN get a sentence saying what is wrong and the hint.
    """
    _require_text("what", what)
    _require_text("hint", hint)
    if not isinstance(unit, str):
        raise ValueError(f"unit must be a string; got {unit!r}")
    expected = require_number("expected", expected)
    require_number("rel_tol", rel_tol, minimum=0, maximum=1)
    require_number("abs_tol", abs_tol, minimum=0)
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    unit_text = f" (in {unit})" if unit else ""
    problem, value = _number_problem(answer, unit_text)
    if problem is not None:
        return CheckResult(False, f"✗ Not yet: {problem} Hint: {hint}")
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return CheckResult(True, f"✓ Right: {what} is {format_quantity(expected, unit)}.")
    direction = "too high" if value > expected else "too low"
    return CheckResult(False, f"✗ Not yet: {format_quantity(value, unit)} is {direction}. Hint: {hint}")


def check_choice(answer, expected: str, *, options: Sequence[str], what: str, hint: str) -> CheckResult:
    """Check that ``answer`` (one of ``options``; case, surrounding spaces and quotes ignored) is ``expected``."""
    _require_text("what", what)
    _require_text("hint", hint)
    if isinstance(options, str) or not isinstance(options, Sequence) or not options or \
            not all(isinstance(option, str) and option for option in options):
        raise ValueError(f"options must be a non-empty sequence of non-empty strings; got {options!r}")
    if expected not in options:
        raise ValueError(f"expected must be one of options {list(options)}; got {expected!r}")
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    listed = ", ".join(f'"{option}"' for option in options)
    if len(options) > 8:
        listed = ", ".join(f'"{option}"' for option in options[:6]) + f", ... ({len(options)} in all)"
    unwrapped, was_wrapped = _one_value(answer)
    if was_wrapped and isinstance(unwrapped, str):
        return CheckResult(False, f"✗ Not yet: {_describe(answer)} holds the text inside a container: write the "
                                  f"text itself, e.g. answer = {unwrapped!r}. Hint: {hint}")
    if not isinstance(answer, str):
        return CheckResult(False, f"✗ Not yet: {_describe(answer)} is not one of the options; write one of "
                                  f"{listed}, in quotes. Hint: {hint}")
    lowered = {option.strip().lower(): option for option in options}
    key = answer.strip().strip("'\"").strip().lower()
    if key not in lowered:
        return CheckResult(False, f"✗ Not yet: {answer!r} is not one of the options {listed}. Hint: {hint}")
    if lowered[key] == expected:
        return CheckResult(True, f"✓ Right: {what} is {expected!r}.")
    return CheckResult(False, f"✗ Not yet: {answer!r} is not it. Hint: {hint}")


def check_tuple(answer, parts: Sequence[Callable[[object], CheckResult]], *, names: Sequence[str], what: str,
                hint: str) -> CheckResult:
    """Check an answer of several parts, e.g. ``(years, before_event_id, after_event_id)``.

    ``parts`` holds one check per element (a function of that element returning a CheckResult,
    typically a ``lambda value: check_number(value, ...)``); ``names`` names the elements for the
    messages. Right only if every part is right; otherwise one line per part.
    """
    _require_text("what", what)
    _require_text("hint", hint)
    if isinstance(names, str) or not isinstance(names, Sequence) or not 1 <= len(names) <= 12 or \
            not all(isinstance(name, str) and name.strip() for name in names) or len(set(names)) != len(names):
        raise ValueError(f"names must be 1 to 12 distinct non-empty strings, one per element; got {names!r:.120}")
    if isinstance(parts, str) or not isinstance(parts, Sequence) or len(parts) != len(names) or \
            not all(callable(p) for p in parts):
        raise ValueError(f"parts must be one check function per entry of names ({len(names)}); got {parts!r:.120}")
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    shape = "(" + ", ".join(names) + ")"
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (tuple, list)):
        return CheckResult(False, f"✗ Not yet: {_describe(answer)} is not a tuple; write answer = {shape}, "
                                  f"{len(names)} values in brackets separated by commas. Hint: {hint}")
    if len(answer) != len(names):
        return CheckResult(False, f"✗ Not yet: your tuple has {format_quantity(len(answer), 'values')}, this "
                                  f"exercise wants {len(names)}: {shape}. Hint: {hint}")
    results = [part(value) for part, value in zip(parts, answer)]
    if all(results):
        return CheckResult(True, f"✓ Right: {what}: " + "; ".join(
            f"{name}: {result.message.removeprefix('✓ Right: ')}" for name, result in zip(names, results)))
    lines = [f"{name}: {result.message}" for name, result in zip(names, results)]
    return CheckResult(False, "✗ Not yet: " + " | ".join(lines))
