"""Self-checks for chapter 05's exercises: each expected answer is computed by the model, never typed in.

Every ``check_*`` answers ANY input with one sentence: ``None`` (not answered yet), a
string, a bool, NaN, a tuple of the wrong length ... get a hint, never a traceback. A
right answer returns a truthy :class:`helpers.exercises.CheckResult`, so a solution can
``assert check_...(answer)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import cost
from .exercises import NOT_ANSWERED, CheckResult, check_choice, check_number
from .validation import require_fraction

__all__ = [
    "BATCH_AND_WEB", "EXPENSIVE_POWER", "DOUBLE11_EXERCISE", "BILLING_EXERCISE", "LICENCE_EXERCISE",
    "cheapest_options", "check_cheapest_options", "check_break_even_expensive_power", "check_double11_saving",
    "check_billing_saving", "check_licence_break_even", "check_cheapest_option",
]


def _shown(answer) -> str:
    if isinstance(answer, numbers.Real) and not isinstance(answer, (bool, np.bool_)) and math.isfinite(answer):
        return _plain(float(answer))
    text = repr(answer)
    return text if len(text) <= 40 else text[:37] + "..."


def _number(answer, expected: float, *, what: str, unit: str, example: str, hint: str, rel_tol: float = 0.02,
            abs_tol: float = 0.0) -> CheckResult:
    """check_number that first turns a non-number (text, bool, NaN, a list ...) into a hint."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real) or not math.isfinite(answer):
        return CheckResult(False, f"✗ Not yet: give {what} as a number such as {example}, not {_shown(answer)}. "
                                  f"Hint: {hint}")
    result = check_number(float(answer), expected, what=what, unit=unit, rel_tol=rel_tol, abs_tol=abs_tol, hint=hint)
    if result.correct:
        return result
    direction = "too high" if answer > expected else "too low"
    unit_text = f" {unit}" if unit else ""
    return CheckResult(False, f"✗ Not yet: {_plain(float(answer))}{unit_text} is {direction}. Hint: {hint}")


def _plain(value: float) -> str:
    """A number as a student typed it, never in scientific notation (1,000,000, not 1e+06)."""
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    if value == 0 or abs(value) >= 1e-3:
        return f"{value:,.4g}"
    return f"{value:.8f}".rstrip("0")


def _choice(answer, expected: str, *, options: tuple[str, ...], what: str, hint: str) -> CheckResult:
    """check_choice that first turns a non-option (a number, a typo, a list ...) into a sentence listing the options."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    listed = ", ".join(f'"{option}"' for option in options)
    if not isinstance(answer, str) or answer.strip().lower() not in {o.lower() for o in options}:
        return CheckResult(False, f"✗ Not yet: {_shown(answer)} is not one of {listed}. Hint: {hint}")
    return check_choice(answer, expected, options=options, what=what, hint=hint)


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: which option for which workload
# ---------------------------------------------------------------------------------------------------------
#: A stateless batch fleet busy 30 % of the time (interruptions harmless) and a web shop's base load that runs
#: around the clock and must not be interrupted; both sized for 960 VMs, everything else at the defaults.
BATCH_AND_WEB = {"batch_utilization": 0.3, "web_utilization": 1.0, "capacity_instances": 960}


def cheapest_options() -> tuple[str, str]:
    """(cheapest option for the batch fleet, cheapest option for the web shop's base load), from the model.

    The batch work tolerates interruptions, so every option counts; the base load does not,
    so spot is excluded (AWS may reclaim spot capacity with a two-minute warning).
    """
    def totals(share):
        fleet = cost.costs_at_utilization(share, capacity_instances=BATCH_AND_WEB["capacity_instances"])
        table = cost.cost_table(fleet)
        return table.set_index("option")["total_usd_per_month"]

    batch = str(totals(BATCH_AND_WEB["batch_utilization"]).idxmin())
    web = str(totals(BATCH_AND_WEB["web_utilization"]).drop(cost.SPOT).idxmin())
    return batch, web


def check_cheapest_options(answer) -> CheckResult:
    """Exercise 1: a pair (batch fleet, web shop base load), each one of "on-premises", "on-demand",
    "savings plan", "spot"."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    listed = ", ".join(f'"{o}"' for o in cost.OPTIONS)
    if isinstance(answer, str) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return CheckResult(False, f"✗ Not yet: give two options as a pair, batch first: (\"...\", \"...\"), each one "
                                  f"of {listed}; got {_shown(answer)}.")
    bad = [_shown(a) for a in answer if not isinstance(a, str) or a.strip().lower() not in cost.OPTIONS]
    if bad:
        return CheckResult(False, f"✗ Not yet: {', '.join(bad)} is not one of {listed}.")
    batch, web = (a.strip().lower() for a in answer)
    expected = cheapest_options()
    if web == cost.SPOT:
        return CheckResult(False, "✗ Not yet: spot capacity can be reclaimed with a two-minute warning, and a shop's "
                                  "base load must not stop. Hint: compare the other three at 100 % utilisation.")
    if (batch, web) == expected:
        return CheckResult(True, f"✓ Right: {expected[0]} for the batch fleet, {expected[1]} for the base load.")
    wrong = "batch fleet" if batch != expected[0] else "web shop's base load"
    hint = ("the batch fleet can be interrupted, so every option counts: compare the totals at 30 %."
            if wrong == "batch fleet" else "at 100 % utilisation, compare on-premises, on-demand and the savings plan.")
    return CheckResult(False, f"✗ Not yet: your option for the {wrong} is not the cheapest. Hint: {hint}")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: expensive power
# ---------------------------------------------------------------------------------------------------------
EXPENSIVE_POWER = {"electricity_usd_per_kwh": "high", "pue": "high"}


def _expensive_power_parameters() -> dict[str, float]:
    table = cost.cost_parameters()
    return {name: float(table.loc[name, column]) for name, column in EXPENSIVE_POWER.items()}


def check_break_even_expensive_power(answer) -> CheckResult:
    """Exercise 2: break-even utilisation vs on-demand (0-1) with the highest electricity price and PUE."""
    expected = cost.break_even_utilization(**_expensive_power_parameters())
    return _number(answer, expected, what="the break-even utilisation with Hawaii power in a legacy room",
                   unit="", example="0.25", abs_tol=0.002, rel_tol=0.0,
                   hint="set electricity and PUE to their high values (cost_parameters()) and call "
                        "break_even_utilization; answer as a share such as 0.25, not 25.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: a longer sale
# ---------------------------------------------------------------------------------------------------------
DOUBLE11_EXERCISE = {"peak_days": 10}


def check_double11_saving(answer) -> CheckResult:
    """Exercise 3: yearly saving of 'own the base, rent the peak' over 'own for the peak' with a 10-day sale,
    in thousands of USD per year."""
    totals = cost.double11_case(**DOUBLE11_EXERCISE).attrs["totals_usd_per_year"]
    expected = (totals["own for the peak"] - totals["own the base, rent the peak"]) / 1000
    return _number(answer, expected, what="the yearly saving of owning the base and renting the peak",
                   unit="thousand USD per year", example="150", rel_tol=0.01,
                   hint="run double11_case(peak_days=10), subtract the two strategies' totals "
                        "(.attrs['totals_usd_per_year']) and divide by 1,000.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: billing granularity
# ---------------------------------------------------------------------------------------------------------
BILLING_EXERCISE = {"runs_per_day": 2000, "run_s": 420, "days": 30}


def check_billing_saving(answer) -> CheckResult:
    """Exercise 4: USD per 30-day month saved by per-second billing for 2,000 seven-minute runs a day."""
    runs = BILLING_EXERCISE["runs_per_day"] * BILLING_EXERCISE["days"]
    bills = cost.billing_comparison(np.full(runs, BILLING_EXERCISE["run_s"]),
                                    cost.default_parameters()["on_demand_usd_per_hour"])
    expected = float(bills["cost_usd"].iloc[0] - bills["cost_usd"].iloc[1])
    return _number(answer, expected, what="the monthly saving from per-second billing", unit="USD",
                   example="1000", rel_tol=0.01,
                   hint="billing_comparison() with 60,000 runs of 420 s; subtract the two bills.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 5: the licence at which owning stops paying
# ---------------------------------------------------------------------------------------------------------
LICENCE_EXERCISE = {"utilization": 0.3}


def check_licence_break_even(answer) -> CheckResult:
    """Exercise 5: the hypervisor licence (USD per core-year) at which owning stops beating on-demand at 30 %."""
    expected = cost.licence_at_break_even(LICENCE_EXERCISE["utilization"])
    return _number(answer, expected, what="the licence at which owning stops paying at 30 % utilisation",
                   unit="USD per core-year", example="200", rel_tol=0.02,
                   hint="owning's cost grows by 6 hosts x 192 cores / 12 = $96 a month per USD of licence per "
                        "core-year: find the price that uses up owning's monthly saving at 30 % "
                        "(monthly_saving_usd), or call licence_at_break_even(0.3).")


# ---------------------------------------------------------------------------------------------------------
# Panel question
# ---------------------------------------------------------------------------------------------------------
def check_cheapest_option(answer, utilization: float = 0.1) -> CheckResult:
    """Panel question: the cheapest option at ``utilization`` with every other parameter at its default."""
    share = require_fraction("utilization", utilization)
    table = cost.cost_table(cost.costs_at_utilization(share, capacity_instances=cost.DEFAULT_FLEET_VMS))
    expected = str(table.set_index("option")["total_usd_per_month"].idxmin())
    return _choice(answer, expected, options=cost.OPTIONS, what=f"the cheapest option at {share * 100:.1f} %",
                   hint="set the utilisation slider and read the table's total row.")
