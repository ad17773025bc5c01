"""The course's one synthetic demand generator: a seeded year, hour by hour (chapters 3, 4 and 5).

Pure functions of numbers (no data files, no widgets, no charts). Demand is counted in
*instances' worth of work at 100 % utilisation* (one instance = one m5.large-sized VM)::

    demand(h) = base x daily(h) x growth(h) x weekly(h) x (1 + noise x N(0, 1)) x sale(h)
    daily(h)  = 1 + daily_swing x sin(2 pi (hour_of_day - 8) / 24)     (peak 14:00, low 02:00)
    growth(h) = (1 + growth_per_year) ** (h / 8,760)
    weekly(h) = 1 - weekend_dip on Saturdays and Sundays (1 January = a Wednesday), else 1
    sale(h)   = sale_multiplier during the sale days (from 9 November, the article's Double 11), else 1

never negative. Who uses it:

* chapter 3 simulates :func:`demand_year` with every factor (``helpers.resources.simulate_year``);
* chapter 5's ``helpers.cost.demand_profile`` is this generator with no weekend dip and no growth,
  rounded up to whole instances; the Double-11 shop (``helpers.cost.double11_demand``) and
  chapter 4's fleet (``helpers.performance.fleet_through_models``) call it.

So "a year with a 3-day 5x sale" is the same draw for draw wherever the course shows it.
"""

from __future__ import annotations

import numpy as np

from .validation import require_integer, require_number, require_series

__all__ = ["HOURS_PER_YEAR", "SALE_START_DAY", "FIRST_WEEKDAY", "MAX_BASE_INSTANCES", "MAX_SALE_MULTIPLIER",
           "demand_year", "demand_forecast", "whole_instances"]

HOURS_PER_YEAR = 8760
#: The sale starts on 9 November (day 312 of a non-leap year, day 0 = 1 January): the article's Double 11.
SALE_START_DAY = 312
#: 1 January 2025 is a Wednesday: Monday = 0, so day 0 has weekday 2.
FIRST_WEEKDAY = 2
#: Largest average demand and sale multiplier accepted (the simulator's hourly demand stays below 1e9).
MAX_BASE_INSTANCES = 1e6
MAX_SALE_MULTIPLIER = 100.0


def _generate(base, daily_swing, weekend_dip, noise, growth_per_year, sale_multiplier, sale_days, sale_start_day,
              days, seed) -> np.ndarray:
    hours = np.arange(days * 24)
    daily = 1 + daily_swing * np.sin(2 * np.pi * ((hours % 24) - 8) / 24)
    day = hours // 24
    level = base * daily
    level = level * (1 + growth_per_year) ** (hours / HOURS_PER_YEAR)
    level = level * np.where((day + FIRST_WEEKDAY) % 7 >= 5, 1 - weekend_dip, 1.0)
    rng = np.random.default_rng(seed)
    level = level * (1 + noise * rng.standard_normal(hours.size))
    in_sale = (day >= sale_start_day) & (day < sale_start_day + sale_days)
    level = np.where(in_sale, level * sale_multiplier, level)
    return np.clip(level, 0, None)


def demand_year(*, base_instances: float = 100, daily_swing: float = 0.3, weekend_dip: float = 0.2,
                noise: float = 0.05, growth_per_year: float = 0.2, sale_multiplier: float = 5,
                sale_days: int = 3, sale_start_day: int = SALE_START_DAY, days: int = 365,
                seed: int = 0) -> np.ndarray:
    """A seeded synthetic demand, hour by hour (``days`` x 24 values, instances' worth of work, >= 0).

    See the module docstring for the formula. ``base_instances`` 0-1,000,000; ``daily_swing`` and
    ``weekend_dip`` are shares (0-1), ``noise`` 0-0.5, ``growth_per_year`` -0.9..10 (compound),
    ``sale_multiplier`` 1-100, ``sale_days`` whole days from ``sale_start_day`` (default 312 =
    9 November) that fit in the ``days`` (1-3,660). Every argument is checked under its own name.
    """
    n_days = require_integer("days", days, minimum=1, maximum=3660)
    start = require_integer("sale_start_day", sale_start_day, minimum=0, maximum=n_days - 1)
    return _generate(
        base=require_number("base_instances", base_instances, minimum=0, maximum=MAX_BASE_INSTANCES,
                            unit="instances"),
        daily_swing=require_number("daily_swing", daily_swing, minimum=0, maximum=1),
        weekend_dip=require_number("weekend_dip", weekend_dip, minimum=0, maximum=1),
        noise=require_number("noise", noise, minimum=0, maximum=0.5),
        growth_per_year=require_number("growth_per_year", growth_per_year, minimum=-0.9, maximum=10),
        sale_multiplier=require_number("sale_multiplier", sale_multiplier, minimum=1, maximum=MAX_SALE_MULTIPLIER,
                                       unit="x normal"),
        sale_days=require_integer("sale_days", sale_days, minimum=0, maximum=n_days - start),
        sale_start_day=start, days=n_days, seed=require_integer("seed", seed, minimum=0, maximum=2**63 - 1),
    )


def demand_forecast(*, base_instances: float = 100, daily_swing: float = 0.3, weekend_dip: float = 0.2,
                    growth_per_year: float = 0.2, sale_multiplier: float = 5, sale_days: int = 3,
                    sale_start_day: int = SALE_START_DAY, days: int = 365) -> np.ndarray:
    """The noise-free part of :func:`demand_year`: what a planner who knows the calendar expects."""
    return demand_year(base_instances=base_instances, daily_swing=daily_swing, weekend_dip=weekend_dip, noise=0.0,
                       growth_per_year=growth_per_year, sale_multiplier=sale_multiplier, sale_days=sale_days,
                       sale_start_day=sale_start_day, days=days, seed=0)


def whole_instances(demand) -> np.ndarray:
    """``demand`` (instances' worth of work, >= 0) rounded up to whole instances (integers).

    The 1e-9 keeps an exact whole number that floating point put a hair above it (100.00000000000001)
    from rounding up to the next one.
    """
    # an integer holds up to ~9.2e18; 1e15 instances is far beyond any fleet and still exact in float64
    values = require_series("demand", demand, minimum=0, maximum=1e15)
    return np.ceil(values - 1e-9).astype(int)
