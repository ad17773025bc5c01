"""Self-checks for the exercises: right, or not yet with a hint.

Each chapter's ``check_...`` function computes the expected answer from the
course's own models (never a number typed in twice) and returns a
:class:`CheckResult`, which shows as one line in a notebook and is truthy when
the answer is right, so a solution cell can say ``assert check_...(answer)``.

``None`` means "not answered yet": the placeholder ``answer = None`` in an
exercise cell gives a reminder, not an error, so every notebook runs top to bottom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .validation import require_number

__all__ = ["CheckResult", "check_number", "check_choice"]


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
        colour = "#009E73" if self.correct else "#D55E00"
        return f"<p style='color:{colour};font-weight:600'>{self.message}</p>"


NOT_ANSWERED = "⏳ No answer yet: replace None with your answer and run the cell again."


def check_number(answer, expected: float, *, what: str, unit: str = "", rel_tol: float = 0.02,
                 abs_tol: float = 0.0, hint: str) -> CheckResult:
    """Compare a numeric ``answer`` with ``expected`` within ``rel_tol`` (relative) or ``abs_tol``.

    ``answer=None`` means not answered yet. A non-numeric answer raises ``ValueError``
    naming ``answer``.
    """
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    value = require_number("answer", answer)
    require_number("expected", expected)
    require_number("rel_tol", rel_tol, minimum=0, maximum=1)
    require_number("abs_tol", abs_tol, minimum=0)
    unit_text = f" {unit}" if unit else ""
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return CheckResult(True, f"✅ Right: {what} is {expected:,.4g}{unit_text}.")
    direction = "too high" if value > expected else "too low"
    return CheckResult(False, f"❌ Not yet: {value:,.4g}{unit_text} is {direction}. Hint: {hint}")


def check_choice(answer, expected: str, *, options: tuple[str, ...], what: str, hint: str) -> CheckResult:
    """Check that ``answer`` (one of ``options``, case-insensitive) is ``expected``."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    lowered = {option.lower(): option for option in options}
    if not isinstance(answer, str) or answer.strip().lower() not in lowered:
        raise ValueError(f"answer must be one of {list(options)}; got {answer!r}")
    if lowered[answer.strip().lower()] == expected:
        return CheckResult(True, f"✅ Right: {what} is {expected!r}.")
    return CheckResult(False, f"❌ Not yet: {answer!r} is not it. Hint: {hint}")
