"""The cost model's inputs: data schemas, the sourced parameter table, presets and input checks.

Every number the cost model uses comes from a file in ``data/`` read here:

* ``cost_assumptions.csv``: one row per parameter, a default and a sourced low/high;
* ``cost_presets.csv``: three named sets of owning costs (``minimal (today's model)``,
  ``open-source KVM``, ``enterprise VMware``), each value with its reason and source;
* ``cost_servers.csv``: CPUs, cores and threads of each server class;
* ``power_curve.csv`` and ``cloud_prices.csv`` (their schemas are declared here too).

The model's modules (:mod:`helpers.cost_owning`, :mod:`helpers.cost_renting`,
:mod:`helpers.cost_comparing`, :mod:`helpers.cost_double11`) take parameters by name;
:func:`resolve_parameters` fills in the defaults and checks every value.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_integer, require_number, require_series

__all__ = [
    "HOURS_PER_MONTH", "HOURS_PER_YEAR", "OPTIONS", "CLOUD_OPTIONS", "COMPONENTS", "OWNING_COMPONENTS",
    "RENTING_COMPONENTS", "DEFAULT_SERVER", "DEFAULT_FLEET_VMS", "VM_VCPUS", "VM_MEMORY_GIB", "WARRANTY_YEARS", "PRESETS",
    "DEFAULT_PRESET", "ARTICLE_USD_PER_CORE_HOUR", "ARTICLE_HARDWARE_SAVING_USD",
    "ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR", "MODEL_RANGES", "cost_parameters", "default_parameters",
    "validate_cost_assumptions", "resolve_parameters", "preset_parameters", "preset_table", "server_spec",
]

HOURS_PER_YEAR = 8760.0
HOURS_PER_MONTH = HOURS_PER_YEAR / 12  # 730 h
ON_PREMISES, ON_DEMAND, SAVINGS_PLAN, SPOT = "on-premises", "on-demand", "savings plan", "spot"
OPTIONS = (ON_PREMISES, ON_DEMAND, SAVINGS_PLAN, SPOT)
CLOUD_OPTIONS = (ON_DEMAND, SAVINGS_PLAN, SPOT)
#: What owning costs, in the order charts stack them. "spare hosts" holds every per-host cost of the N+k hosts.
OWNING_COMPONENTS = ("capital", "interest", "licence", "support", "facility ops", "spare hosts", "energy", "staff",
                     "storage")
#: What renting costs (storage is shared with owning).
RENTING_COMPONENTS = ("compute", "egress")
COMPONENTS = OWNING_COMPONENTS + RENTING_COMPONENTS
DEFAULT_SERVER = "2x AMD EPYC 9654 server (SPECpower_ssj2008 result 2022Q4 #01203)"
#: The reference fleet of the chapter: 5 hosts of the default server class (192 m5.large-sized VMs each).
DEFAULT_FLEET_VMS = 960
#: vCPUs of the unit of capacity, one m5.large (cloud_prices.csv): one vCPU is one hardware thread.
VM_VCPUS = 2
#: Memory of the unit of capacity, one m5.large (cloud_prices.csv; a test keeps both equal to the file).
VM_MEMORY_GIB = 8.0
#: Years of support included in server_price_usd (cost_assumptions.csv, server_price_usd's note).
WARRANTY_YEARS = 3

#: The article's own numbers (``shared/seed/article_zh.txt``, cost chapter; claims cost-01, cost-10, cost-11).
#: "按使用付费(AWS起价$3.50/核/小时)": 核 is one vCPU in Chinese cloud marketing.
ARTICLE_USD_PER_CORE_HOUR = 3.50
ARTICLE_HARDWARE_SAVING_USD = 1.2e6  # "节省硬件采购成本$120万"
ARTICLE_SAVINGS_PLAN_SAVING_USD_PER_YEAR = 0.85e6  # "年度节省达$85万"

# ---------------------------------------------------------------------------------------------------------
# Schemas of the cost data files
# ---------------------------------------------------------------------------------------------------------
register_schema(
    "cost_assumptions",
    "One row per parameter of the cost model: a default and a sourced low/high range, with how far to trust it.",
    [
        Column("parameter", "str", "Parameter name, as the model's keyword argument."),
        Column("default", "float", "Value used unless told otherwise.", unit="see unit"),
        Column("low", "float", "Low end of the plausible range (tornado chart, slider minimum).", unit="see unit"),
        Column("high", "float", "High end of the plausible range (tornado chart, slider maximum).", unit="see unit"),
        Column("unit", "str", "Unit of default, low and high."),
        Column("kind", "str", "How the figure was obtained.", allowed=SOURCE_KINDS),
        Column("source", "str", "Citation of the source (or what anchors an assumption)."),
        Column("source_url", "str", "Address of that source."),
        Column("note", "str", "Derivation, caveats, second-hand status.", required=False),
    ],
    key="parameter",
)
PRESETS = ("minimal (today's model)", "open-source KVM", "enterprise VMware")
#: The preset whose values are the defaults of cost_assumptions.csv (a test keeps the two equal).
DEFAULT_PRESET = "open-source KVM"
register_schema(
    "cost_presets",
    "Named sets of owning costs the student can pick; parameters not listed keep their default.",
    [
        Column("preset", "str", "Preset name.", allowed=PRESETS),
        Column("parameter", "str", "Parameter of cost_assumptions.csv."),
        Column("value", "float", "Value in this preset.", unit="as in cost_assumptions.csv"),
        Column("reason", "str", "Why the preset takes this value."),
        Column("source", "str", "Citation of the source of the value."),
        Column("source_url", "str", "Address of that source."),
    ],
    key=("preset", "parameter"),
)
register_schema(
    "cost_servers",
    "CPUs, cores and hardware threads of each server class whose power curve is in power_curve.csv.",
    [
        Column("server", "str", "Server (as in power_curve.csv)."),
        Column("cpus", "int", "Physical CPUs (sockets).", unit="CPUs", minimum=1),
        Column("cores_per_cpu", "int", "Physical cores per CPU.", unit="cores", minimum=1),
        Column("threads_per_core", "int", "Hardware threads per core (2 with SMT / Hyper-Threading).", unit="threads",
               minimum=1, maximum=8),
        Column("memory_gib", "float", "Memory of the configuration modelled.", unit="GiB", minimum=0),
        Column("source", "str", "Citation of the specification."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="server",
)
register_schema(
    "power_curve",
    "Electrical power of a server at 0-100 % load (SPECpower_ssj2008 measurements).",
    [
        Column("server", "str", "Server (system under test)."),
        Column("load_pct", "float", "Target load.", unit="%", minimum=0, maximum=100),
        Column("power_w", "float", "Average active power at that load (0 % = active idle).", unit="W", minimum=0),
        Column("source", "str", "Citation of the measurement."),
        Column("source_url", "str", "Address of the source."),
    ],
    key=("server", "load_pct"),
)
register_schema(
    "cloud_prices",
    "A few reference cloud instance prices (list prices; they change, see as_of).",
    [
        Column("provider", "str", "Cloud provider.", allowed=("aws", "azure", "gcp")),
        Column("instance_type", "str", "Instance type (VM size)."),
        Column("region", "str", "Region the price applies to."),
        Column("vcpu", "int", "Virtual CPUs (hardware threads).", unit="vCPU", minimum=1),
        Column("memory_gib", "float", "Memory.", unit="GiB", minimum=0),
        Column("price_usd_per_hour", "float", "Price per instance-hour, Linux.", unit="USD per hour", minimum=0),
        Column("price_model", "str", "How the price is bought.", allowed=("on-demand", "savings-plan", "reserved",
                                                                          "spot")),
        Column("as_of", "str", "When the price was seen: a year or an ISO date."),
        Column("source", "str", "Citation of the price."),
        Column("source_url", "str", "Address of the source."),
    ],
    key=("provider", "instance_type", "region", "price_model"),
)

#: The range each parameter may take in the MODEL (wider than the sourced low/high): (minimum, maximum,
#: minimum inclusive). Values outside raise ValueError naming the parameter.
MODEL_RANGES: dict[str, tuple[float, float, bool]] = {
    "server_price_usd": (0.0, 1e7, False),
    "server_lifetime_years": (0.0, 30.0, False),
    "network_capex_fraction": (0.0, 5.0, True),
    "facility_usd_per_w": (0.0, 1000.0, True),
    "facility_lifetime_years": (0.0, 100.0, False),
    "facility_opex_usd_per_kw_month": (0.0, 10000.0, True),
    "pue": (1.0, 5.0, True),
    "electricity_usd_per_kwh": (0.0, 10.0, True),
    "vm_cpu_utilization": (0.0, 1.0, True),
    "storage_usd_per_gb_month": (0.0, 10.0, True),
    "admin_salary_usd_per_year": (0.0, 1e7, True),
    "admin_overhead_factor": (1.0, 5.0, True),
    "servers_per_admin": (0.0, 1e6, False),
    "vms_per_host": (1.0, 10000.0, True),
    "licence_usd_per_core_year": (0.0, 100000.0, True),
    "licence_min_cores_per_cpu": (0.0, 1024.0, True),
    "spare_hosts": (0.0, 1000.0, True),
    "cost_of_capital": (0.0, 1.0, True),
    "post_warranty_support_fraction": (0.0, 2.0, True),
    "on_demand_usd_per_hour": (0.0, 1000.0, False),
    "savings_plan_discount_1y": (0.0, 1.0, True),
    "savings_plan_discount_3y": (0.0, 1.0, True),
    "savings_plan_term_years": (1.0, 3.0, True),
    "spot_discount": (0.0, 1.0, True),
    "spot_interruption_rate": (0.0, 100.0, True),
    "spot_job_hours": (0.0, 8760.0, True),
    "cloud_storage_usd_per_gb_month": (0.0, 10.0, True),
    "storage_gb_per_instance": (0.0, 1e6, True),
    "egress_usd_per_gb": (0.0, 10.0, True),
    "egress_gb_per_vm_month": (0.0, 1e6, True),
    "billing_minimum_s": (1.0, 3600.0, True),
    # arguments of the building blocks that are not rows of cost_assumptions.csv
    "savings_plan_discount": (0.0, 1.0, True),
}
#: Building-block arguments checked like parameters but not rows of cost_assumptions.csv.
_ARGUMENTS_ONLY = {"savings_plan_discount"}
_EXCLUSIVE_MAX = {"savings_plan_discount", "savings_plan_discount_1y", "savings_plan_discount_3y", "spot_discount"}
_INTEGER_PARAMETERS = {"vms_per_host", "savings_plan_term_years", "spare_hosts", "licence_min_cores_per_cpu"}


def check_parameter(name: str, value) -> float:
    """``value`` as a float if it is a valid value of model parameter ``name``, else ``ValueError`` naming it.

    Refuses bools, strings, NaN and infinities; whole numbers where the parameter counts things;
    the savings-plan term must be 1 or 3 years.
    """
    require_choice("name", name, MODEL_RANGES)
    minimum, maximum, min_inclusive = MODEL_RANGES[name]
    number = require_number(name, value, minimum=minimum, maximum=maximum, min_inclusive=min_inclusive,
                            max_inclusive=name not in _EXCLUSIVE_MAX)
    if name in _INTEGER_PARAMETERS:
        number = float(require_integer(name, number, minimum=int(minimum), maximum=int(maximum)))
    if name == "savings_plan_term_years" and number not in (1.0, 3.0):
        raise ValueError(f"savings_plan_term_years must be 1 or 3 (AWS terms); got {value!r}")
    return number


def validate_cost_assumptions(table: pd.DataFrame) -> pd.DataFrame:
    """Check the assumptions table beyond its schema: known parameters, low <= default <= high, model ranges.

    Raises ``ValueError`` naming the row (line in the file) and the parameter.
    """
    from .validation import require_frame

    require_frame("table", table, "cost_assumptions")  # columns, types, kinds, one row per parameter
    names = list(table["parameter"])
    known = set(MODEL_RANGES) - _ARGUMENTS_ONLY
    unknown = sorted(set(map(str, names)) - known)
    missing = sorted(known - set(map(str, names)))
    if unknown or missing or len(set(names)) != len(names):
        raise ValueError(f"table (cost_assumptions.csv): parameters must be exactly {sorted(known)} once each; "
                         f"unknown {unknown}, missing {missing}")
    for index, row in enumerate(table.itertuples(index=False)):
        where = f"table (cost_assumptions.csv): row {index + 2} (parameter {row.parameter!r})"
        for column in ("low", "default", "high"):
            try:
                check_parameter(row.parameter, getattr(row, column))
            except ValueError as error:
                raise ValueError(f"{where}, column {column!r}: {error}") from None
        if not row.low <= row.default <= row.high:
            raise ValueError(f"{where}: needs low <= default <= high; got {row.low:g}, {row.default:g}, "
                             f"{row.high:g}")
    return table


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    return validate_cost_assumptions(load("cost_assumptions")).set_index("parameter")


def cost_parameters() -> pd.DataFrame:
    """The cost assumptions table (default, low, high, unit, kind, source ...) indexed by parameter."""
    return _parameters_cached().copy()


@functools.lru_cache(maxsize=1)
def _defaults_cached() -> tuple[tuple[str, float], ...]:
    return tuple((name, float(value)) for name, value in _parameters_cached()["default"].items())


def default_parameters() -> dict[str, float]:
    """Every model parameter at its default value (name -> number, units as in cost_assumptions.csv)."""
    return dict(_defaults_cached())


def resolve_parameters(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The defaults with ``overrides`` applied; every value checked against the model's accepted range.

    ``overrides`` is a mapping of parameter name to value (or None). Unknown names raise
    ``ValueError`` listing the known ones.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ValueError(f"overrides must be a mapping of parameter name to value (or None); "
                         f"got {type(overrides).__name__}")
    values = default_parameters()
    for name, value in (overrides or {}).items():
        if name not in values:
            raise ValueError(f"parameter name must be one of {sorted(values)}; got {name!r} "
                             f"(in the cost model's overrides)")
        try:
            values[name] = check_parameter(name, value)
        except ValueError as error:
            raise ValueError(f"{error} (in the cost model's overrides)") from None
    return values


# ---------------------------------------------------------------------------------------------------------
# Presets
# ---------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _presets_cached() -> pd.DataFrame:
    table = load("cost_presets")
    for index, row in enumerate(table.itertuples(index=False)):
        where = f"cost_presets.csv: row {index + 2} (preset {row.preset!r}, parameter {row.parameter!r})"
        if row.parameter not in _parameters_cached().index:
            raise ValueError(f"{where}: parameter must be a row of cost_assumptions.csv")
        try:
            check_parameter(row.parameter, row.value)
        except ValueError as error:
            raise ValueError(f"{where}, column 'value': {error}") from None
    if table.duplicated(["preset", "parameter"]).any():
        raise ValueError("cost_presets.csv: a preset lists a parameter twice")
    return table


def preset_parameters(preset: str) -> dict[str, float]:
    """Every model parameter as ``preset`` sets it (parameters the preset does not list keep their default).

    ``preset`` is one of :data:`PRESETS`: "minimal (today's model)" leaves out the owning costs the
    chapter's first model left out; "open-source KVM" counts them with a free hypervisor (the defaults);
    "enterprise VMware" adds vSphere Foundation's licence at list price.
    """
    require_choice("preset", preset, PRESETS)
    table = _presets_cached()
    values = default_parameters()
    for row in table[table["preset"] == preset].itertuples(index=False):
        values[row.parameter] = float(row.value)
    return values


def preset_table() -> pd.DataFrame:
    """The presets side by side: one row per parameter a preset sets, one column per preset, plus its unit."""
    table = _presets_cached()
    wide = table.pivot(index="parameter", columns="preset", values="value")
    order = list(dict.fromkeys(table["parameter"]))
    wide = wide.reindex(index=order, columns=list(PRESETS))
    wide.insert(0, "unit", [str(_parameters_cached().loc[name, "unit"]) for name in order])
    wide.columns.name = None
    return wide


# ---------------------------------------------------------------------------------------------------------
# Server classes
# ---------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _servers_cached() -> dict[str, dict[str, float]]:
    table = load("cost_servers")
    if table["server"].duplicated().any():
        raise ValueError("cost_servers.csv: a server is listed twice")
    return {row.server: {"cpus": int(row.cpus), "cores_per_cpu": int(row.cores_per_cpu),
                         "threads_per_core": int(row.threads_per_core), "memory_gib": float(row.memory_gib)}
            for row in table.itertuples(index=False)}


def server_spec(server: str = DEFAULT_SERVER) -> dict[str, float]:
    """CPUs, cores per CPU, threads per core and memory (GiB) of ``server`` (cost_servers.csv), plus
    ``threads`` (hardware threads per host) and ``cores`` (physical cores per host)."""
    specs = _servers_cached()
    require_choice("server", server, list(specs))
    spec = dict(specs[server])
    spec["cores"] = spec["cpus"] * spec["cores_per_cpu"]
    spec["threads"] = spec["cores"] * spec["threads_per_core"]
    return spec


# ---------------------------------------------------------------------------------------------------------
# Checking tables passed back into the model
# ---------------------------------------------------------------------------------------------------------
def require_cost_frame(name: str, frame, *, value_column: str = "cost_usd_per_month",
                       categories: Mapping[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Check a tidy cost table given to a helper; return it unchanged.

    ``frame`` must be a non-empty DataFrame with the columns of ``categories`` (default:
    ``option`` in :data:`OPTIONS` and ``component`` in :data:`COMPONENTS`) holding only those
    strings, and ``value_column`` holding finite numbers >= 0 (no bool, no NaN). Raises
    ``ValueError`` naming ``name`` and the column.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name (the parameter's name, for messages) must be a non-empty string; got {name!r:.80}")
    if not isinstance(value_column, str) or not value_column:
        raise ValueError(f"value_column must be a column name (a string); got {value_column!r:.80}")
    if categories is not None and (not isinstance(categories, Mapping) or not categories or not all(
            isinstance(column, str) and isinstance(options, (tuple, list)) and options
            and all(isinstance(option, str) for option in options) for column, options in categories.items())):
        raise ValueError(f"categories must map each category column (a string) to its allowed strings; "
                         f"got {categories!r:.120}")
    allowed = dict(categories) if categories is not None else {"option": OPTIONS, "component": COMPONENTS}
    needed = [*allowed, value_column]
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame with columns {needed}; got {type(frame).__name__}")
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} must have columns {needed}; missing {missing}")
    if frame.empty:
        raise ValueError(f"{name} must have at least one row; got an empty table")
    for column, options in allowed.items():
        bad = sorted({repr(v) for v in frame[column] if not isinstance(v, str) or v not in options})
        if bad:
            raise ValueError(f"{name}: column {column!r} must hold only {list(options)}; got {', '.join(bad[:5])}")
    repeated = frame.duplicated(list(allowed))
    if repeated.any():
        row = frame[repeated].iloc[0]
        raise ValueError(f"{name}: each {' and '.join(allowed)} must appear once; "
                         f"{', '.join(f'{c}={row[c]!r}' for c in allowed)} is repeated")
    values = frame[value_column]
    if values.dtype == bool or not all(isinstance(v, (int, float, np.integer, np.floating))
                                       and not isinstance(v, (bool, np.bool_)) for v in values):
        raise ValueError(f"{name}: column {value_column!r} must hold numbers (USD), not bool or text")
    numbers = values.to_numpy(float)
    if not np.all(np.isfinite(numbers)):
        raise ValueError(f"{name}: column {value_column!r} must hold finite numbers; found NaN or infinity")
    if numbers.min() < 0:
        raise ValueError(f"{name}: column {value_column!r} must be >= 0 USD; got {numbers.min():,.2f}")
    return frame


def require_numbers(name: str, values, *, minimum: float | None = None, maximum: float | None = None,
                    min_length: int = 1) -> np.ndarray:
    """:func:`helpers.validation.require_series` that also refuses booleans (``[True, False]`` is not a
    list of numbers), naming ``name``."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        has_bool = values.dtype.kind == "b"
    elif isinstance(values, pd.Series):
        has_bool = values.dtype.kind == "b" or any(isinstance(v, (bool, np.bool_)) for v in values)
    elif isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        has_bool = False  # require_series names the wrong type
    else:
        has_bool = any(isinstance(v, (bool, np.bool_)) for v in values)
    if has_bool:
        raise ValueError(f"{name} must be a sequence of numbers, not booleans; got {values!r}"[:300])
    return require_series(name, values, minimum=minimum, maximum=maximum, min_length=min_length)
