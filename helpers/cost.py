"""Cost model: owning servers vs renting cloud capacity (chapter 05). The one entry point.

``from helpers import cost`` gives every public function of the model; each lives in
the module a reader would look in:

=============================  =====================================================================
:mod:`helpers.cost_inputs`      the inputs: cost_assumptions.csv (default, sourced low/high),
                                presets, server classes, input checks
:mod:`helpers.cost_owning`      what owning costs, one line of the bill per function (capital as an
                                annuity, facility, energy from CPU load, staff, support, licence)
:mod:`helpers.cost_renting`     what renting costs (on-demand, savings plans, spot, egress, billing
                                granularity, synthetic demand): pure, reused by chapter 03
:mod:`helpers.cost_comparing`   the two side by side: monthly cost by component, break-even
                                utilisation, sensitivity, presets
:mod:`helpers.cost_double11`    the article's Double-11 case under stated assumptions
=============================  =====================================================================

Pure functions of numbers, arrays and DataFrames; no widgets, no charts (those are in
:mod:`helpers.cost_views`). The unit of capacity is one VM of the m5.large shape (2 vCPU,
8 GiB). Money is in USD, energy in kWh, power in W, time in hours unless a name says
otherwise (``_s`` seconds, ``_years``). A month is 730 hours (8,760 / 12). Sources:
``data/cost_notes.md``.
"""

from __future__ import annotations

from . import cost_comparing, cost_double11, cost_inputs, cost_owning, cost_renting
from .cost_comparing import *  # noqa: F401,F403
from .cost_double11 import *  # noqa: F401,F403
from .cost_owning import *  # noqa: F401,F403
from .cost_inputs import *  # noqa: F401,F403
from .cost_inputs import CLOUD_OPTIONS, ON_DEMAND, ON_PREMISES, SAVINGS_PLAN, SPOT  # noqa: F401
from .cost_renting import *  # noqa: F401,F403

#: Every public name of the cost model, by the module that defines it.
MODULES = {module.__name__: tuple(module.__all__)
           for module in (cost_inputs, cost_owning, cost_renting, cost_comparing, cost_double11)}
__all__ = [name for names in MODULES.values() for name in names]
