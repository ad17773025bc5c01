"""Measured start-up times of VMs, containers, microVMs and functions (``data/startup_times.csv``).

Shared by two chapters: chapter 3's autoscaling simulator takes its start-up lag
from here (a new instance serves demand only after it has started), and chapter 4
charts the measurements on a log scale. Each row is one published figure with
what was measured (from which event to which), the statistic (mean, a p99 target,
an upper bound ...), the year of the measurement and its source: a 2012 cloud VM
boot and a 2020 microVM boot are different things, and the table says so.

The 2012 cloud-VM rows (Mao & Humphrey) are history: Hao, Jiang, Wang and Kim, "An Empirical Analysis of
VM Startup Times in Public IaaS Clouds: An Extended Report" (arXiv:2107.03467, 2021), measured more than
300,000 start-ups on each of AWS and GCP over three months and found start-up time varying with the
image size, the region, the VM type and the OS, and AWS much faster than in earlier measurements. Their
per-configuration figures are not in the CSV (not read here); cite them when you add rows.
"""

from __future__ import annotations

import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice

__all__ = ["STARTUP_PLATFORMS", "STATISTICS", "startup_times", "startup_time_s"]

#: What starts, from the heaviest to the lightest.
STARTUP_PLATFORMS = ("cloud_vm", "microvm", "container", "function", "unikernel", "process")
#: What the figure is: an average, a service-level objective at the 99th percentile, an upper bound, ...
STATISTICS = ("mean", "median", "p99_objective", "upper_bound", "typical", "range")

register_schema(
    "startup_times",
    "Published start-up times of VMs, microVMs, containers, functions and processes, with what was measured.",
    [
        Column("startup_id", "str", "Short stable identifier of the figure."),
        Column("platform", "str", "What starts.", allowed=STARTUP_PLATFORMS),
        Column("label", "str", "Name shown in charts and tables."),
        Column("measured_from_to", "str", "The interval measured: from which event to which."),
        Column("statistic", "str", "Which statistic the figure is.", allowed=STATISTICS),
        Column("time_s", "float", "The figure (for a range, its geometric middle).", unit="s", minimum=0),
        Column("low_s", "float", "Lower end, when the source gives a range.", unit="s", minimum=0, required=False),
        Column("high_s", "float", "Upper end, when the source gives a range.", unit="s", minimum=0, required=False),
        Column("year", "int", "Year of the measurement or of the document.", minimum=1990, maximum=2100),
        Column("kind", "str", "How the figure was obtained.", allowed=SOURCE_KINDS),
        Column("source", "str", "Citation."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "What to keep in mind when comparing it.", required=False),
    ],
    key="startup_id",
)


def startup_times(platform: str | None = None) -> pd.DataFrame:
    """Every start-up figure (or those of one ``platform``), in file order, with columns as in the file."""
    table = load("startup_times")
    if platform is None:
        return table
    require_choice("platform", platform, STARTUP_PLATFORMS)
    return table[table["platform"] == platform].reset_index(drop=True)


def startup_time_s(startup_id: str) -> float:
    """The figure ``time_s`` of one row, by its ``startup_id``."""
    table = load("startup_times")
    require_choice("startup_id", startup_id, tuple(table["startup_id"]))
    return float(table.loc[table["startup_id"] == startup_id, "time_s"].iloc[0])
