"""Chapter 7 model: choosing a platform with a transparent weighted score, and every score's reason.

Five **options** (:data:`OPTIONS`): on-premises VMs, cloud VMs, containers on a managed
cluster, serverless functions, and hybrid (own the base and the sensitive parts, rent the
rest). Ten **criteria** (:data:`CRITERIA`), the article's four (requirement complexity,
elasticity, data sensitivity, budget), the two more of its conclusion (business continuity,
team skills) and four a practitioner adds (compliance, legacy OS, load steadiness, licence
exposure); ``data/scenario_criteria.csv`` says what each weight means.

**Cell scores** (0-5, one per option and criterion, each with a written reason):

* six criteria are scored by judgement, with a reason and a source on every row
  (``data/scenario_scores.csv``);
* four have a number behind them, and their scores come from the chapter model that
  computes that number, through its public functions (nothing recomputed here):

  ======================  ===================================================================
  elasticity              time until capacity you are not yet paying for serves requests:
                          :mod:`helpers.startup` (chapter 3's start-up lag for VMs, a pod's
                          start, a Lambda cold start) and a hardware lead time for owned
                          servers (``data/scenario_inputs.csv``); log value function
  budget                  the yearly bill of the workload's demand: chapter 3's simulator
                          (:func:`helpers.resources.simulate_year`, ``strategy_costs``) priced
                          by chapter 5's cost model (:mod:`helpers.cost`, its presets); chapter
                          2's density (:func:`helpers.architecture.density_table`) for
                          containers; Lambda's GB-second price for functions. Score =
                          5 x cheapest / this option's cost
  continuity              recovery time after a site loss of each option's usual recovery
                          design: chapter 6's calculator (:mod:`helpers.recovery`); log value
                          function
  team_skills             layers the customer patches: chapter 6's shared-responsibility grid
                          (:func:`helpers.security.customer_patched_layers`); score =
                          5 x (layers in the grid - layers patched) / layers in the grid
  ======================  ===================================================================

**The formula.** Weights ``w_c`` are 0-5 (0 = does not matter, 5 = a must). For each option::

    total(o) = sum_c w_c x score(o, c) / sum_c w_c          (0-5)

An option that scores 0 on a criterion weighted 5 is **ruled out** (a must it cannot meet:
no weight on other criteria can buy it back), and ranked after every other option. Two
totals closer than :data:`TIE_MARGIN` (0.1 point: one judgement step on one criterion of ten
at equal weights) are a **tie**: the model cannot tell them apart.

What the model leaves out (each named in the notebook): interactions between criteria (a weighted
sum is compensatory: a strength buys back a weakness), uncertainty in the judged scores (each is
one step coarse), costs it does not price (migration, staff time, data transfer between sites,
accelerators, savings plans and spot), latency to users, working through a network outage, the
provider's capacity and quotas, and lock-in. The ranking is an argument laid out to be checked,
not an answer.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import architecture, cost, recovery, resources, security, startup
from .data import SOURCE_KINDS, Column, load, register_schema
from .validation import require_choice, require_integer, require_mapping, require_number

__all__ = [
    "OPTIONS", "OPTION_LABELS", "CRITERIA", "MODEL_CRITERIA", "JUDGED_CRITERIA", "SCORE_MAX", "WEIGHT_MAX",
    "MUST_WEIGHT", "TIE_MARGIN", "LEVELS", "LEVEL_WEIGHTS", "APP_VCPUS", "DEFAULT_APP_VCPU", "DEFAULT_DEMAND",
    "DEFAULT_PRESET", "BASE_INSTANCES", "SERVICE_MODELS", "criteria_table", "criterion_labels", "judged_scores",
    "model_inputs", "model_input", "demand_shapes", "demand_labels", "log_value", "density_ratio",
    "annual_costs", "capacity_times", "recovery_times", "patched_layers", "model_scores", "cell_scores",
    "weight_shares", "rank_options", "contributions", "weight_sweep", "flip_points", "explain_choice",
    "scenario_table", "scenario_weights", "scenario_facts", "scenario_card", "scenario_cards", "decision_table",
    "decision_weights", "article_rules_vs_model",
]

OPTIONS = ("on_prem_vms", "cloud_vms", "managed_containers", "serverless", "hybrid")
OPTION_LABELS = {
    "on_prem_vms": "On-premises VMs",
    "cloud_vms": "Cloud VMs",
    "managed_containers": "Containers (managed)",
    "serverless": "Serverless functions",
    "hybrid": "Hybrid",
}
CRITERIA = ("complexity", "elasticity", "data_sensitivity", "budget", "continuity", "compliance", "team_skills",
            "legacy_os", "steadiness", "licence")
#: Criteria whose scores come from another chapter's model (the others are judged, data/scenario_scores.csv).
MODEL_CRITERIA = ("elasticity", "budget", "continuity", "team_skills")
JUDGED_CRITERIA = tuple(c for c in CRITERIA if c not in MODEL_CRITERIA)
SCORE_MAX = 5.0
WEIGHT_MAX = 5
#: A criterion weighted this much is a must: an option scoring 0 on it is ruled out.
MUST_WEIGHT = 5
#: Totals closer than this are a tie: one judgement step (1 point) on one criterion of ten, at equal weights.
TIE_MARGIN = 1.0 / len(CRITERIA)
#: The article's decision table speaks in levels; the model reads them as these weights.
LEVELS = ("low", "medium", "high")
LEVEL_WEIGHTS = {"low": 1, "medium": 3, "high": 5}
#: Application sizes (vCPU per instance) the density model is asked about; memory scales as a VM's (4 GiB per vCPU).
APP_VCPUS = (0.25, 0.5, 1.0, 2.0)
DEFAULT_APP_VCPU = 1.0
DEFAULT_DEMAND = "web_daily"
DEFAULT_PRESET = cost.DEFAULT_PRESET
#: Average demand of every demand shape, in m5.large-sized instances (chapter 3's default).
BASE_INSTANCES = 1000
#: Each option's row of chapter 6's shared-responsibility grid (hybrid runs both of its halves).
SERVICE_MODELS = {"on_prem_vms": ("on_premises_vms",), "cloud_vms": ("iaas_vm",),
                  "managed_containers": ("managed_kubernetes_nodes",), "serverless": ("functions",),
                  "hybrid": ("on_premises_vms", "iaas_vm")}
#: Start-up figures (data/startup_times.csv) behind the elasticity scores.
VM_STARTUP_ID = resources.DEFAULT_STARTUP_ID
POD_STARTUP_ID = "k8s-pod-startup-slo"
FUNCTION_STARTUP_ID = "lambda-cold-start"
SECONDS_PER_DAY = 86_400.0
MB_PER_GB = 1024.0
_EPS = 1e-9

register_schema(
    "scenario_criteria",
    "The ten criteria of chapter 7's decision model: what a weight means and how the scores are made.",
    [
        Column("criterion", "str", "Criterion identifier.", allowed=CRITERIA),
        Column("label", "str", "Short label (<= 22 characters) for controls and charts."),
        Column("article_zh", "str", "The article's own word for it, if it has one.", required=False),
        Column("scored_by", "str", "'model' (computed by another chapter's model) or 'judgement' (data/scenario_scores.csv).",
               allowed=("model", "judgement")),
        Column("model", "str", "The function that computes the number behind a model criterion.", required=False),
        Column("weight_means", "str", "What a high weight says about the workload."),
        Column("description", "str", "How to read it, and how the scores are made."),
        Column("source", "str", "Where the criterion comes from."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="criterion",
)
register_schema(
    "scenario_scores",
    "Judged cell scores (0-5) of chapter 7's decision model, one per option and judged criterion, with a reason.",
    [
        Column("criterion", "str", "A judged criterion.", allowed=JUDGED_CRITERIA),
        Column("option", "str", "Platform option.", allowed=OPTIONS),
        Column("score", "int", "How well the option meets the need (0 = cannot, 5 = best).", unit="points",
               minimum=0, maximum=5),
        Column("reason", "str", "Why, in one or two sentences."),
        Column("source", "str", "The documentation or evidence behind the reason."),
        Column("source_url", "str", "Address of the source."),
    ],
    key=("criterion", "option"),
)
register_schema(
    "scenario_inputs",
    "Inputs of chapter 7's model criteria that no other chapter's data holds: prices, lead times, value-function anchors.",
    [
        Column("name", "str", "Input name."),
        Column("value", "float", "Value used.", unit="see unit", minimum=0),
        Column("low", "float", "Low end of the plausible range.", unit="see unit", minimum=0),
        Column("high", "float", "High end of the plausible range.", unit="see unit", minimum=0),
        Column("unit", "str", "Unit of value, low and high."),
        Column("kind", "str", "How much to trust the value.", allowed=SOURCE_KINDS),
        Column("description", "str", "What the input is and how the model uses it."),
        Column("source", "str", "Citation."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="name",
)
register_schema(
    "scenario_demands",
    "Demand shapes of chapter 7: settings of the course's demand generator (helpers.demand.demand_year).",
    [
        Column("demand_id", "str", "Shape identifier."),
        Column("label", "str", "Name shown in controls and tables."),
        Column("daily_swing", "float", "Amplitude of the daily cycle.", unit="share of base", minimum=0, maximum=1),
        Column("weekend_dip", "float", "Weekend demand is (1 - dip) of a weekday's.", unit="share of base", minimum=0,
               maximum=1),
        Column("noise", "float", "Hour-to-hour noise.", unit="share of demand", minimum=0, maximum=0.5),
        Column("growth_per_year", "float", "Compound growth over the year.", unit="share per year", minimum=-0.9,
               maximum=10),
        Column("sale_multiplier", "float", "Demand during the event, times normal.", unit="x normal", minimum=1,
               maximum=100),
        Column("sale_days", "int", "Days of the event, from 9 November (0 = none).", unit="days", minimum=0,
               maximum=365),
        Column("description", "str", "What kind of workload has this shape."),
        Column("source", "str", "Where the shape comes from."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="demand_id",
)
register_schema(
    "scenarios",
    "Chapter 7's scenario cards: the article's scenarios with the weights this course gives them, and why.",
    [
        Column("scenario_id", "str", "Scenario identifier."),
        Column("label", "str", "Name shown in controls and tables."),
        Column("article_zh", "str", "The article's words for the scenario, quoted verbatim."),
        Column("article_says", "str", "The article's answer: its VM list ('vm') or its cloud-server list ('cloud').",
               allowed=("vm", "cloud")),
        Column("demand_id", "str", "Demand shape (data/scenario_demands.csv)."),
        Column("app_vcpu", "float", "vCPUs one application instance needs.", unit="vCPU", minimum=0.25, maximum=2),
        *[Column(f"w_{criterion}", "int", f"Weight of {criterion} (0-5).", unit="0-5", minimum=0, maximum=WEIGHT_MAX)
          for criterion in CRITERIA],
        Column("why_weights", "str", "Why these weights: the workload in words."),
        Column("left_out", "str", "What matters for this scenario that the model does not score."),
        Column("source", "str", "Where the scenario and its weights come from."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="scenario_id",
)
register_schema(
    "decision_table",
    "The article's decision table (选型决策树), row by row, with how the model reads each row.",
    [
        Column("row_id", "str", "Row identifier."),
        Column("article_row_zh", "str", "The row, quoted verbatim."),
        Column("complexity_level", "str", "Requirement complexity (需求复杂度).", allowed=LEVELS),
        Column("elasticity_level", "str", "Elasticity (资源弹性需求).", allowed=LEVELS),
        Column("sensitivity_level", "str", "Data sensitivity (数据敏感性).", allowed=LEVELS),
        Column("article_choice_zh", "str", "The article's answer, as written."),
        Column("article_options", "str", "Options that count as the article's answer (space-separated)."),
        Column("demand_id", "str", "Demand shape the row's elasticity level is read as."),
        Column("note", "str", "How the row is read."),
        Column("source", "str", "Citation."),
        Column("source_url", "str", "Address of the source."),
    ],
    key="row_id",
)


# ------------------------------------------------------------------------------------------- the data

@functools.lru_cache(maxsize=1)
def _criteria_cached() -> pd.DataFrame:
    table = load("scenario_criteria").set_index("criterion").loc[list(CRITERIA)].reset_index()
    return table


def criteria_table() -> pd.DataFrame:
    """The ten criteria (``data/scenario_criteria.csv``) in :data:`CRITERIA` order."""
    return _criteria_cached().copy()


def criterion_labels() -> dict[str, str]:
    """Short label of every criterion, by identifier."""
    return dict(zip(_criteria_cached()["criterion"], _criteria_cached()["label"]))


@functools.lru_cache(maxsize=1)
def _judged_cached() -> pd.DataFrame:
    table = load("scenario_scores")
    expected = {(c, o) for c in JUDGED_CRITERIA for o in OPTIONS}
    found = set(zip(table["criterion"], table["option"]))
    if found != expected:
        missing = sorted(expected - found)
        raise ValueError(f"scenario_scores.csv must score every option on every judged criterion; missing {missing}")
    return table


def judged_scores() -> pd.DataFrame:
    """The judged cells (``data/scenario_scores.csv``): criterion, option, score, reason, source, source_url."""
    return _judged_cached().copy()


@functools.lru_cache(maxsize=1)
def _inputs_cached() -> dict[str, float]:
    table = load("scenario_inputs")
    return dict(zip(table["name"], table["value"].astype(float)))


def model_inputs() -> pd.DataFrame:
    """The model criteria's own inputs (``data/scenario_inputs.csv``) with unit, range and source."""
    return load("scenario_inputs")


def model_input(name: str) -> float:
    """The value of one input of ``data/scenario_inputs.csv``, by name."""
    values = _inputs_cached()
    require_choice("name", name, tuple(values))
    return values[name]


@functools.lru_cache(maxsize=1)
def _demands_cached() -> pd.DataFrame:
    return load("scenario_demands")


def demand_shapes() -> pd.DataFrame:
    """The demand shapes (``data/scenario_demands.csv``), each a setting of :func:`helpers.demand.demand_year`."""
    return _demands_cached().copy()


def demand_labels() -> dict[str, str]:
    """Label of every demand shape, by identifier, in file order."""
    return dict(zip(_demands_cached()["demand_id"], _demands_cached()["label"]))


def _demand_id(demand) -> str:
    return require_choice("demand", demand, tuple(_demands_cached()["demand_id"]))


def _preset(preset) -> str:
    return require_choice("preset", preset, cost.PRESETS)


def _app_vcpu(app_vcpu) -> float:
    value = require_number("app_vcpu", app_vcpu, minimum=0.25, maximum=2, unit="vCPU")
    if not any(math.isclose(value, size) for size in APP_VCPUS):
        raise ValueError(f"app_vcpu must be one of {list(APP_VCPUS)} vCPU; got {value!r}")
    return float(value)


# ---------------------------------------------------------------------------------- value functions

def log_value(time_s: float, *, full_s: float, zero_s: float) -> float:
    """A time turned into a score: 5 at or below ``full_s``, 0 at or above ``zero_s``, linear in log10 between.

    ``time_s`` 0 to 10^10 s; anchors 0.001 to 10^10 s with ``full_s`` < ``zero_s``. Used for the
    time to new capacity (elasticity) and the recovery time (continuity): halving a time is worth
    the same at any scale, which is how a minute and an hour, or an hour and a day, compare.
    """
    time = require_number("time_s", time_s, minimum=0, maximum=1e10, unit="s")
    full = require_number("full_s", full_s, minimum=0.001, maximum=1e10, unit="s")
    zero = require_number("zero_s", zero_s, minimum=full, min_inclusive=False, maximum=1e10, unit="s")
    if time <= full:
        return SCORE_MAX
    if time >= zero:
        return 0.0
    return SCORE_MAX * (math.log10(zero) - math.log10(time)) / (math.log10(zero) - math.log10(full))


# ------------------------------------------------------------------------------------ model criteria

@functools.lru_cache(maxsize=8)
def _density(app_vcpu: float) -> dict[str, float]:
    values = {**architecture.density_defaults(), "app_vcpu": app_vcpu,
              "app_memory_gib": app_vcpu * cost.VM_MEMORY_GIB / cost.VM_VCPUS}
    values["host_cores"] = int(values["host_cores"])
    values["threads_per_core"] = int(values["threads_per_core"])
    table = architecture.density_table(**values).set_index("platform")["instances_per_host"]
    vms, containers = int(table["type1_hypervisor"]), int(table["containers_on_host"])
    return {"vms_per_host": vms, "containers_per_host": containers, "ratio": vms / containers}


def density_ratio(app_vcpu: float = DEFAULT_APP_VCPU) -> dict[str, float]:
    """How much capacity containers need for the work VMs do, from chapter 2's density model.

    ``app_vcpu``: one of :data:`APP_VCPUS`; the application's memory is 4 GiB per vCPU (the cost
    model's m5.large shape). Chapter 2's defaults otherwise (a 36-core host, its reserve).
    Returns ``{"vms_per_host", "containers_per_host", "ratio"}``, ratio = VMs / containers per host
    (1 at the article's 1 vCPU per application: a VM's vCPUs are whole, a container's quota is not).
    """
    return dict(_density(_app_vcpu(app_vcpu)))


@functools.lru_cache(maxsize=8)
def _simulation(demand_id: str) -> resources.Simulation:
    shape = _demands_cached().set_index("demand_id").loc[demand_id]
    return resources.simulate_year(base_instances=BASE_INSTANCES, daily_swing=float(shape["daily_swing"]),
                                   weekend_dip=float(shape["weekend_dip"]), noise=float(shape["noise"]),
                                   growth_per_year=float(shape["growth_per_year"]),
                                   sale_multiplier=float(shape["sale_multiplier"]), sale_days=int(shape["sale_days"]),
                                   seed=0)


@functools.lru_cache(maxsize=32)
def _chapter_costs(demand_id: str, preset: str) -> dict[str, float]:
    """Owned, autoscaled and hybrid fleets for one demand shape, priced by chapters 3 and 5 (USD per year)."""
    simulation = _simulation(demand_id)
    parameters = cost.preset_parameters(preset)
    rented = resources.strategy_costs(simulation, pricing="on-demand", **parameters).set_index("strategy")
    summary = simulation.summary.set_index("strategy")
    capacity = float(summary.loc["fixed_peak", "peak_capacity"])
    owned = cost.monthly_cost_by_option(simulation.demand, capacity_instances=capacity, **parameters)
    months = simulation.demand.size / cost.HOURS_PER_MONTH
    return {
        "owned_usd": float(owned.loc[owned["option"] == cost.ON_PREMISES, "cost_usd_per_month"].sum()) * months,
        "owned_capacity": capacity,
        "autoscaled_usd": float(rented.loc["reactive", "total_usd"]),
        "hybrid_usd": float(rented.loc["hybrid", "total_usd"]),
        "hybrid_owned": float(summary.loc["hybrid", "owned_instances"]),
        "work_instance_hours": float(simulation.demand.sum()),
        "hours": float(simulation.demand.size),
        "utilization": float(simulation.demand.mean() / simulation.demand.max()),
        "autoscaled_utilization": float(summary.loc["reactive", "utilization"]),
    }


def _function_usd_per_instance_hour() -> float:
    """Lambda's price for one instance-hour of work: the VM's vCPUs at 1,769 MB each, per GB-second."""
    gb = cost.VM_VCPUS * model_input("lambda_mb_per_vcpu") / MB_PER_GB
    return gb * 3600.0 * model_input("lambda_usd_per_gb_s")


@functools.lru_cache(maxsize=64)
def _annual_costs(demand_id: str, app_vcpu: float, preset: str) -> pd.DataFrame:
    base = _chapter_costs(demand_id, preset)
    density = _density(app_vcpu)
    ratio = density["ratio"]
    fee = model_input("eks_usd_per_cluster_hour") * base["hours"]
    containers = base["autoscaled_usd"] * ratio + fee
    function_rate = _function_usd_per_instance_hour()
    functions = base["work_instance_hours"] * ratio * function_rate
    how = {
        "on_prem_vms": (f"Owned hosts for the year's peak ({base['owned_capacity']:,.0f} instances at chapter 3's 60 % "
                        f"target), every owning cost of the '{preset}' preset (helpers.cost.monthly_cost_by_option); "
                        f"busy {base['utilization']:.0%} of the time on average."),
        "cloud_vms": ("Chapter 3's reactive autoscaler on demand, billed per second from launch "
                      "(helpers.resources.strategy_costs, on-demand)."),
        "managed_containers": (f"The autoscaled VMs x {ratio:.2f} (chapter 2: {density['vms_per_host']} VMs or "
                               f"{density['containers_per_host']} containers of {app_vcpu:g} vCPU per host) + the "
                               f"cluster fee, {fee:,.0f} USD a year."),
        "serverless": (f"Every instance-hour of work x {ratio:.2f} as functions at {function_rate:.3f} USD "
                       f"({cost.VM_VCPUS} vCPU at 1,769 MB each, Lambda's GB-second price); a floor: requests, "
                       f"memory beyond 1.77 GB per vCPU and time spent waiting are billed too."),
        "hybrid": (f"Chapter 3's 'own the base, rent the peak': {base['hybrid_owned']:,.0f} owned instances (90th "
                   f"percentile of need) plus on-demand above them (helpers.resources.strategy_costs)."),
    }
    totals = {"on_prem_vms": base["owned_usd"], "cloud_vms": base["autoscaled_usd"],
              "managed_containers": containers, "serverless": functions, "hybrid": base["hybrid_usd"]}
    return pd.DataFrame({"option": list(OPTIONS), "label": [OPTION_LABELS[o] for o in OPTIONS],
                         "cost_usd_per_year": [totals[o] for o in OPTIONS], "how": [how[o] for o in OPTIONS]})


def annual_costs(demand: str = DEFAULT_DEMAND, *, app_vcpu: float = DEFAULT_APP_VCPU,
                 preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Each option's bill for a year of the ``demand`` shape (USD), and how it was computed.

    The year is chapter 3's (:func:`helpers.resources.simulate_year`, average
    :data:`BASE_INSTANCES` m5.large-sized instances, the shape's cycle and events, seed 0):

    * ``on_prem_vms``: owned hosts for the peak capacity at chapter 3's 60 % target, priced by
      chapter 5's :func:`helpers.cost.monthly_cost_by_option` with the ``preset``'s owning costs;
    * ``cloud_vms``: chapter 3's reactive autoscaler, on demand (``strategy_costs``);
    * ``hybrid``: chapter 3's "own the base, rent the peak" (``strategy_costs``);
    * ``managed_containers``: the autoscaled VMs x :func:`density_ratio` + one cluster's fee;
    * ``serverless``: every instance-hour of work at Lambda's price for the VM's vCPUs (x the
      density ratio: a function pays for the application's size, not a whole-vCPU VM).

    Columns: option, label, cost_usd_per_year, how. Savings plans, spot, migration, staff
    beyond chapter 5's and data transfer between sites are not counted.
    """
    return _annual_costs(_demand_id(demand), _app_vcpu(app_vcpu), _preset(preset)).copy()


@functools.lru_cache(maxsize=1)
def _capacity_cached() -> pd.DataFrame:
    vm = startup.startup_time_s(VM_STARTUP_ID)
    pod = startup.startup_time_s(POD_STARTUP_ID)
    function = startup.startup_time_s(FUNCTION_STARTUP_ID)
    lead_s = model_input("hardware_lead_time_days") * SECONDS_PER_DAY
    rows = [
        ("on_prem_vms", lead_s, f"New servers: ordered, delivered and racked in {lead_s / SECONDS_PER_DAY:.0f} days "
                                "(data/scenario_inputs.csv). VMs start in seconds only on hosts you already own, "
                                "capacity already paid for (Budget counts it).", "hardware_lead_time_days"),
        ("cloud_vms", vm, f"A new cloud VM answers {vm:.0f} s after the API call (chapter 3's start-up lag, "
                          f"{VM_STARTUP_ID}).", VM_STARTUP_ID),
        ("managed_containers", vm + pod, f"Pods start within {pod:.0f} s (p99 objective) on nodes with room, room "
                                         f"already paid for; beyond it the cluster autoscaler adds a node VM: "
                                         f"{vm:.0f} + {pod:.0f} s.", f"{VM_STARTUP_ID} + {POD_STARTUP_ID}"),
        ("serverless", function, f"A cold start of a new execution environment, {function * 1000:.0f} ms (0.1-1 s; "
                                 f"{FUNCTION_STARTUP_ID}); the account's concurrency quota is the limit.",
         FUNCTION_STARTUP_ID),
        ("hybrid", vm, f"The peak is rented: a cloud VM in {vm:.0f} s, once the link to the cloud and the account "
                       f"quota allow it.", VM_STARTUP_ID),
    ]
    return pd.DataFrame(rows, columns=["option", "time_s", "what", "figure"])


def capacity_times() -> pd.DataFrame:
    """Seconds until capacity you are not yet paying for serves requests, per option, with what it is.

    From :mod:`helpers.startup` (``data/startup_times.csv``: chapter 3's default VM start-up lag,
    the Kubernetes pod start-up objective, a Lambda cold start) and the hardware lead time of
    ``data/scenario_inputs.csv``. Columns: option, time_s, what, figure (the data row(s) used).
    """
    return _capacity_cached().copy()


@functools.lru_cache(maxsize=1)
def _recovery_cached() -> pd.DataFrame:
    defaults = recovery.recovery_defaults()
    setups = recovery.compare_setups(failure=recovery.SITE_LOSS, **defaults).set_index("setup")
    snapshot, replicated = setups.loc[recovery.SETUPS[0]], setups.loc[recovery.SETUPS[1]]
    failover = model_input("hybrid_failover_min")
    pilot = recovery.recovery_breakdown(
        failure=recovery.SITE_LOSS, replication="asynchronous", detection_min=defaults["detection_min"],
        data_gib=defaults["data_gib"], restore_mib_s=defaults["restore_mib_s"],
        backup_interval_h=defaults["snapshot_interval_h"], failover_min=failover,
        replication_lag_s=defaults["replication_lag_s"])
    vm_text = (f"Chapter 6's VM with hourly snapshots, restored onto standby servers: "
               f"{defaults['detection_min']:.0f} min to detect + {defaults.get('provision_min', recovery.DEFAULT_PROVISION_MIN):.0f} "
               f"min to start servers + {defaults['data_gib']:.0f} GiB at {defaults['restore_mib_s']:.0f} MiB/s.")
    cloud_text = (f"Chapter 6's replicated cloud setup: a replica in another zone, promoted in "
                  f"{defaults['failover_min']:.0f} min after {defaults['detection_min']:.0f} min of detection; the "
                  f"same design serves VMs, containers and functions (the design, not the platform, sets the RTO).")
    rows = [
        ("on_prem_vms", float(snapshot["rto_s"]), float(snapshot["rpo_s"]), vm_text),
        ("cloud_vms", float(replicated["rto_s"]), float(replicated["rpo_s"]), cloud_text),
        ("managed_containers", float(replicated["rto_s"]), float(replicated["rpo_s"]), cloud_text),
        ("serverless", float(replicated["rto_s"]), float(replicated["rpo_s"]), cloud_text),
        ("hybrid", float(pilot["rto_s"]), float(pilot["rpo_s"]),
         f"The article's cloud DR as AWS's pilot light: a live data replica, application servers started and the "
         f"replica promoted in {failover:.0f} min after {defaults['detection_min']:.0f} min of detection."),
    ]
    return pd.DataFrame(rows, columns=["option", "rto_s", "rpo_s", "design"])


def recovery_times() -> pd.DataFrame:
    """Recovery time and data loss after a site loss of each option's usual recovery design (chapter 6).

    From :func:`helpers.recovery.compare_setups` at ``recovery_defaults()`` (the VM with hourly
    snapshots for on-premises VMs; the replicated cloud setup for the three cloud options) and
    :func:`helpers.recovery.recovery_breakdown` for hybrid's pilot light. Columns: option, rto_s,
    rpo_s, design. Floors: chapter 6's calculator leaves out verifying data and warming caches.
    """
    return _recovery_cached().copy()


@functools.lru_cache(maxsize=1)
def _layers_cached() -> pd.DataFrame:
    grid = len(security.shared_responsibility([security.SERVICE_MODELS[0]]))
    rows = []
    for option in OPTIONS:
        models = SERVICE_MODELS[option]
        layers = max(security.customer_patched_layers(model) for model in models)
        rows.append((option, layers, grid, " and ".join(models)))
    return pd.DataFrame(rows, columns=["option", "layers", "of_layers", "service_model"])


def patched_layers() -> pd.DataFrame:
    """Layers the customer patches under each option (chapter 6's grid, shared layers counted as yours).

    Hybrid runs both halves, so it patches what on-premises VMs patch (and runs two environments).
    Columns: option, layers, of_layers (layers in the grid), service_model.
    """
    return _layers_cached().copy()


@functools.lru_cache(maxsize=64)
def _model_scores(demand_id: str, app_vcpu: float, preset: str) -> pd.DataFrame:
    rows = []
    costs = _annual_costs(demand_id, app_vcpu, preset).set_index("option")
    cheapest = float(costs["cost_usd_per_year"].min())
    for option in OPTIONS:
        usd = float(costs.loc[option, "cost_usd_per_year"])
        score = SCORE_MAX if usd <= cheapest else SCORE_MAX * cheapest / usd
        rows.append(("budget", option, score,
                     f"{usd:,.0f} USD a year, {usd / cheapest:.2f}x the cheapest. {costs.loc[option, 'how']}",
                     "helpers.scenarios.annual_costs"))
    full, zero = model_input("elasticity_full_s"), model_input("elasticity_zero_s")
    for row in _capacity_cached().itertuples():
        rows.append(("elasticity", row.option, log_value(row.time_s, full_s=full, zero_s=zero),
                     f"{_duration(row.time_s)} to new capacity. {row.what}", "helpers.scenarios.capacity_times"))
    full, zero = model_input("recovery_full_s"), model_input("recovery_zero_s")
    for row in _recovery_cached().itertuples():
        rows.append(("continuity", row.option, log_value(row.rto_s, full_s=full, zero_s=zero),
                     f"Back in {_duration(row.rto_s)} after a site loss, {_duration(row.rpo_s)} of data lost. "
                     f"{row.design}", "helpers.scenarios.recovery_times"))
    for row in _layers_cached().itertuples():
        extra = " in two environments" if row.option == "hybrid" else ""
        kube = " Kubernetes itself (upgrades, add-ons) is more to learn." if row.option == "managed_containers" else ""
        rows.append(("team_skills", row.option, SCORE_MAX * (row.of_layers - row.layers) / row.of_layers,
                     f"You patch {row.layers} of {row.of_layers} layers{extra} (chapter 6's grid: "
                     f"{row.service_model}).{kube}", "helpers.scenarios.patched_layers"))
    return pd.DataFrame(rows, columns=["criterion", "option", "score", "reason", "source"])


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * SECONDS_PER_DAY:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / SECONDS_PER_DAY:.0f} days"


def model_scores(demand: str = DEFAULT_DEMAND, *, app_vcpu: float = DEFAULT_APP_VCPU,
                 preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """The scores of the four model criteria (:data:`MODEL_CRITERIA`), each with its number as the reason.

    Columns: criterion, option, score (0-5), reason, source (the function that computed the number).
    """
    return _model_scores(_demand_id(demand), _app_vcpu(app_vcpu), _preset(preset)).copy()


@functools.lru_cache(maxsize=64)
def _cells(demand_id: str, app_vcpu: float, preset: str) -> pd.DataFrame:
    judged = _judged_cached().assign(scored_by="judgement", score=lambda t: t["score"].astype(float))
    model = _model_scores(demand_id, app_vcpu, preset).assign(scored_by="model", source_url="")
    table = pd.concat([judged, model], ignore_index=True)
    table["criterion"] = pd.Categorical(table["criterion"], CRITERIA, ordered=True)
    table["option"] = pd.Categorical(table["option"], OPTIONS, ordered=True)
    table = table.sort_values(["criterion", "option"]).reset_index(drop=True)
    table["criterion"] = table["criterion"].astype(str)
    table["option"] = table["option"].astype(str)
    return table[["criterion", "option", "score", "reason", "scored_by", "source", "source_url"]]


def cell_scores(demand: str = DEFAULT_DEMAND, *, app_vcpu: float = DEFAULT_APP_VCPU,
                preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Every cell of the decision matrix: 10 criteria x 5 options, each with its score and written reason.

    Judged cells from ``data/scenario_scores.csv``, model cells from :func:`model_scores` for the
    workload's ``demand`` shape, ``app_vcpu`` and owning-cost ``preset``. Columns: criterion,
    option, score (0-5), reason, scored_by ("judgement" or "model"), source, source_url.
    """
    return _cells(_demand_id(demand), _app_vcpu(app_vcpu), _preset(preset)).copy()


@functools.lru_cache(maxsize=64)
def _matrix(demand_id: str, app_vcpu: float, preset: str) -> np.ndarray:
    table = _cells(demand_id, app_vcpu, preset).pivot(index="option", columns="criterion", values="score")
    matrix = table.loc[list(OPTIONS), list(CRITERIA)].to_numpy(dtype=float)
    matrix.setflags(write=False)
    return matrix


# --------------------------------------------------------------------------------------- the ranking

def _weights(weights) -> np.ndarray:
    values = require_mapping("weights", weights, CRITERIA, allow_none=False)
    vector = np.zeros(len(CRITERIA))
    for i, criterion in enumerate(CRITERIA):
        if criterion in values:
            vector[i] = require_number(f"weights[{criterion!r}]", values[criterion], minimum=0, maximum=WEIGHT_MAX)
    if vector.sum() <= 0:
        raise ValueError(f"weights must give at least one criterion a weight above 0 (0-{WEIGHT_MAX} each); "
                         f"got {values!r}")
    return vector


def weight_shares(weights: Mapping[str, float]) -> dict[str, float]:
    """Each criterion's share of the total weight (w / sum of w), all ten criteria, summing to 1.

    ``weights``: criterion -> 0..5 (:data:`WEIGHT_MAX`); missing criteria weigh 0; at least one above 0.
    """
    vector = _weights(weights)
    return dict(zip(CRITERIA, (vector / vector.sum()).tolist()))


def _facts(demand, app_vcpu, preset) -> tuple[str, float, str]:
    return _demand_id(demand), _app_vcpu(app_vcpu), _preset(preset)


def _totals(vector: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Totals per option and which options are ruled out (0 on a criterion weighted MUST_WEIGHT)."""
    totals = matrix @ vector / vector.sum()
    must = vector >= MUST_WEIGHT - _EPS
    ruled = (matrix[:, must] <= _EPS).any(axis=1) if must.any() else np.zeros(len(OPTIONS), bool)
    return totals, ruled


def _order(totals: np.ndarray, ruled: np.ndarray) -> list[int]:
    """Options best first: not ruled out before ruled out, then by total (ties in OPTIONS order)."""
    return sorted(range(len(OPTIONS)), key=lambda i: (bool(ruled[i]), -round(float(totals[i]), 9), i))


def rank_options(weights: Mapping[str, float], *, demand: str = DEFAULT_DEMAND, app_vcpu: float = DEFAULT_APP_VCPU,
                 preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """The options ranked by weighted total for ``weights`` (criterion -> 0..5) and the workload's facts.

    ``total = sum(w x score) / sum(w)`` (0-5). Columns: option, label, total, rank (1 = best;
    equal totals share a rank), ruled_out (0 on a criterion weighted 5), ruled_out_by (those
    criteria, comma-separated, or ""), tied_with_leader (within :data:`TIE_MARGIN` of rank 1 and
    not ruled out), gap_to_leader. Ruled-out options come last, whatever their total.
    """
    vector = _weights(weights)
    matrix = _matrix(*_facts(demand, app_vcpu, preset))
    totals, ruled = _totals(vector, matrix)
    order = _order(totals, ruled)
    must = [c for c, w in zip(CRITERIA, vector) if w >= MUST_WEIGHT - _EPS]
    leader = order[0]
    rows, rank, previous = [], 0, None
    for position, i in enumerate(order):
        key = (bool(ruled[i]), round(float(totals[i]), 9))
        if key != previous:
            rank, previous = position + 1, key
        by = [c for c in must if matrix[i, CRITERIA.index(c)] <= _EPS]
        rows.append({"option": OPTIONS[i], "label": OPTION_LABELS[OPTIONS[i]], "total": float(totals[i]),
                     "rank": rank, "ruled_out": bool(ruled[i]), "ruled_out_by": ", ".join(by),
                     "tied_with_leader": bool(not ruled[i] and not ruled[leader]
                                              and totals[leader] - totals[i] < TIE_MARGIN - _EPS),
                     "gap_to_leader": float(totals[leader] - totals[i])})
    return pd.DataFrame(rows)


def contributions(weights: Mapping[str, float], *, demand: str = DEFAULT_DEMAND, app_vcpu: float = DEFAULT_APP_VCPU,
                  preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Every cell's part in the totals: weight, its share of all weight, score, share x score, and the reason.

    The contributions of one option sum to its :func:`rank_options` total. Columns: option,
    criterion, weight, share, score, contribution, reason, scored_by.
    """
    vector = _weights(weights)
    cells = _cells(*_facts(demand, app_vcpu, preset))
    shares = dict(zip(CRITERIA, vector / vector.sum()))
    weight = dict(zip(CRITERIA, vector))
    table = cells[["option", "criterion", "score", "reason", "scored_by"]].copy()
    table["weight"] = table["criterion"].map(weight)
    table["share"] = table["criterion"].map(shares)
    table["contribution"] = table["share"] * table["score"]
    return table[["option", "criterion", "weight", "share", "score", "contribution", "reason", "scored_by"]]


def weight_sweep(weights: Mapping[str, float], criterion: str, *, points: int = 51, demand: str = DEFAULT_DEMAND,
                 app_vcpu: float = DEFAULT_APP_VCPU, preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Each option's total as one ``criterion``'s weight moves from 0 to 5, the other weights fixed.

    ``points`` (2-501) evenly spaced weights. Columns: weight, option, label, total, ruled_out.
    A weight of 0 for every criterion has no ranking: that point is left out.
    """
    vector = _weights(weights)
    column = CRITERIA.index(require_choice("criterion", criterion, CRITERIA))
    count = require_integer("points", points, minimum=2, maximum=501)
    matrix = _matrix(*_facts(demand, app_vcpu, preset))
    rows = []
    for w in np.linspace(0, WEIGHT_MAX, count):
        trial = vector.copy()
        trial[column] = w
        if trial.sum() <= 0:
            continue
        totals, ruled = _totals(trial, matrix)
        for i, option in enumerate(OPTIONS):
            rows.append({"weight": float(w), "option": option, "label": OPTION_LABELS[option],
                         "total": float(totals[i]), "ruled_out": bool(ruled[i])})
    return pd.DataFrame(rows, columns=["weight", "option", "label", "total", "ruled_out"])


def _leader_at(vector: np.ndarray, matrix: np.ndarray) -> int | None:
    if vector.sum() <= 0:
        return None
    totals, ruled = _totals(vector, matrix)
    return _order(totals, ruled)[0]


def flip_points(weights: Mapping[str, float], criterion: str, *, demand: str = DEFAULT_DEMAND,
                app_vcpu: float = DEFAULT_APP_VCPU, preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """The weights of ``criterion`` (0-5, others fixed) at which the leading option changes, exactly.

    With the other weights fixed, option a overtakes option b where ``S_a + w s_a = S_b + w s_b``
    (S = the weighted sum of the other criteria, s = the scores on this one): a straight-line
    crossing, solved exactly; a weight of 5 also makes it a must, which can rule options out.
    Columns: weight, leader_below, leader_above (option ids). Empty when no weight changes the leader.
    """
    vector = _weights(weights)
    column = CRITERIA.index(require_choice("criterion", criterion, CRITERIA))
    matrix = _matrix(*_facts(demand, app_vcpu, preset))
    others = vector.copy()
    others[column] = 0.0
    base = matrix @ others
    scores = matrix[:, column]
    candidates = {0.0, float(WEIGHT_MAX)}
    for a in range(len(OPTIONS)):
        for b in range(a + 1, len(OPTIONS)):
            if abs(scores[a] - scores[b]) > _EPS:
                w = (base[b] - base[a]) / (scores[a] - scores[b])
                if 0 < w < WEIGHT_MAX:
                    candidates.add(float(w))
    points = sorted(candidates)

    def leader(w: float) -> int | None:
        trial = others.copy()
        trial[column] = w
        return _leader_at(trial, matrix)

    # the leader on each open interval between candidates, and at the must weight itself
    states = [(points[k], leader((points[k] + points[k + 1]) / 2)) for k in range(len(points) - 1)]
    states.append((float(WEIGHT_MAX), leader(float(WEIGHT_MAX))))
    rows = []
    for (w0, before), (w1, after) in zip(states, states[1:]):
        if before is not None and after is not None and before != after:
            rows.append({"weight": w1, "leader_below": OPTIONS[before], "leader_above": OPTIONS[after]})
    return pd.DataFrame(rows, columns=["weight", "leader_below", "leader_above"])


def explain_choice(weights: Mapping[str, float], chosen: str, *, demand: str = DEFAULT_DEMAND,
                   app_vcpu: float = DEFAULT_APP_VCPU, preset: str = DEFAULT_PRESET) -> str:
    """Why the model ranks ``chosen`` where it does: its rank and gap, and the criteria that cost it most.

    For an option that is not the leader: the two criteria where it loses most to the leader
    (weight share x score difference), each with both cells' scores; or the must it fails.
    For the leader: its margin over the runner-up and where it gains most.
    """
    option = require_choice("chosen", chosen, OPTIONS)
    ranking = rank_options(weights, demand=demand, app_vcpu=app_vcpu, preset=preset).set_index("option")
    parts = contributions(weights, demand=demand, app_vcpu=app_vcpu, preset=preset)
    table = parts.pivot(index="criterion", columns="option", values="contribution").loc[list(CRITERIA)]
    score = parts.pivot(index="criterion", columns="option", values="score").loc[list(CRITERIA)]
    labels = criterion_labels()
    leader = ranking.index[0]
    row = ranking.loc[option]
    if row["ruled_out"]:
        failed = " and ".join(labels[c] for c in row["ruled_out_by"].split(", "))
        return (f"{OPTION_LABELS[option]} is ruled out: it scores 0 on {failed}, which this workload weights 5 "
                f"(a must), so no other strength can buy it back.")
    other = ranking.index[1] if option == leader else leader
    gain = (table[option] - table[other]).sort_values(ascending=(option != leader))
    top = [c for c in gain.index if abs(gain[c]) > _EPS][:2]
    detail = "; ".join(f"{labels[c]} ({score.loc[c, option]:.1f} vs {score.loc[c, other]:.1f})" for c in top)
    if option == leader:
        return (f"{OPTION_LABELS[option]} leads with {row['total']:.2f} of 5, "
                f"{row['total'] - ranking.loc[other, 'total']:.2f} ahead of {OPTION_LABELS[other]}; it gains most "
                f"on {detail}.")
    tied = " (a tie: within the model's 0.1-point precision)" if row["tied_with_leader"] else ""
    return (f"The model ranks {OPTION_LABELS[option]} {int(row['rank'])}{_ordinal(int(row['rank']))} with "
            f"{row['total']:.2f} of 5, {row['gap_to_leader']:.2f} behind {OPTION_LABELS[leader]}{tied}; it loses "
            f"most on {detail}.")


def _ordinal(n: int) -> str:
    return {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")


# ------------------------------------------------------------------------------------------ scenarios

@functools.lru_cache(maxsize=1)
def _scenarios_cached() -> pd.DataFrame:
    table = load("scenarios")
    known = set(_demands_cached()["demand_id"])
    for row in table.itertuples():
        if row.demand_id not in known:
            raise ValueError(f"scenarios.csv: scenario {row.scenario_id!r} names demand_id {row.demand_id!r}, "
                             f"not one of {sorted(known)}")
        _app_vcpu(row.app_vcpu)
    return table


def scenario_table() -> pd.DataFrame:
    """The scenario cards' inputs (``data/scenarios.csv``): quotes, weights, demand shape, app size, why."""
    return _scenarios_cached().copy()


@functools.lru_cache(maxsize=1)
def _scenario_rows() -> dict[str, pd.Series]:
    return {row["scenario_id"]: row for _, row in _scenarios_cached().iterrows()}


def _scenario(scenario_id) -> pd.Series:
    rows = _scenario_rows()
    require_choice("scenario_id", scenario_id, tuple(rows))
    return rows[scenario_id]


def scenario_weights(scenario_id: str) -> dict[str, int]:
    """The weights (criterion -> 0..5) this course gives one scenario (``data/scenarios.csv``)."""
    row = _scenario(scenario_id)
    return {criterion: int(row[f"w_{criterion}"]) for criterion in CRITERIA}


def scenario_facts(scenario_id: str) -> dict:
    """The workload facts of one scenario: ``{"demand": ..., "app_vcpu": ...}``."""
    row = _scenario(scenario_id)
    return {"demand": str(row["demand_id"]), "app_vcpu": float(row["app_vcpu"])}


def _article_options(says: str) -> tuple[str, ...]:
    return ("on_prem_vms", "hybrid") if says == "vm" else ("cloud_vms", "managed_containers", "serverless")


def scenario_card(scenario_id: str, *, preset: str = DEFAULT_PRESET) -> dict:
    """One scenario card: the model's recommendation, its reasons and what would change it.

    Returns a dict: ``scenario_id``, ``label``, ``article_zh``, ``article_says`` ("vm" or
    "cloud"), ``agrees`` (the recommendation is on the article's side: its VM list counts on-premises
    VMs and hybrid, its cloud list the three cloud options), ``recommendation``, ``runner_up``,
    ``margin`` (points), ``tied`` (margin below :data:`TIE_MARGIN`), ``ranking`` (the
    :func:`rank_options` table), ``reasons`` (why it wins, from the cells), ``would_change``
    (every criterion whose weight, moved alone within 0-5, changes the recommendation, with the
    weight), ``ruled_out`` and ``left_out`` (what the model does not score for this scenario).
    """
    _scenario(scenario_id)
    card = _card(scenario_id, _preset(preset))
    return {**card, "ranking": card["ranking"].copy(), "reasons": list(card["reasons"]),
            "would_change": list(card["would_change"]), "ruled_out": list(card["ruled_out"])}


@functools.lru_cache(maxsize=64)
def _card(scenario_id: str, preset: str) -> dict:
    row = _scenario(scenario_id)
    weights = scenario_weights(scenario_id)
    facts = {**scenario_facts(scenario_id), "preset": preset}
    ranking = rank_options(weights, **facts)
    leader, runner = ranking["option"].iloc[0], ranking["option"].iloc[1]
    margin = float(ranking["total"].iloc[0] - ranking["total"].iloc[1])
    parts = contributions(weights, **facts)
    gain = (parts[parts["option"] == leader].set_index("criterion")["contribution"]
            - parts[parts["option"] == runner].set_index("criterion")["contribution"]).sort_values(ascending=False)
    cells = parts.set_index(["option", "criterion"])
    labels = criterion_labels()
    reasons = [f"{labels[c]} (weight {weights[c]}): {cells.loc[(leader, c), 'score']:.1f} vs "
               f"{cells.loc[(runner, c), 'score']:.1f}. {cells.loc[(leader, c), 'reason']}"
               for c in gain.index[:3] if gain[c] > _EPS]
    changes = []
    for criterion in CRITERIA:
        flips = flip_points(weights, criterion, **facts)
        for flip in flips.itertuples():
            if flip.leader_below == leader and flip.weight > weights[criterion]:
                changes.append(f"{labels[criterion]} raised from {weights[criterion]} to {flip.weight:.2f} or more: "
                               f"{OPTION_LABELS[flip.leader_above]} leads")
                break
            if flip.leader_above == leader and flip.weight <= weights[criterion]:
                changes.append(f"{labels[criterion]} lowered from {weights[criterion]} below {flip.weight:.2f}: "
                               f"{OPTION_LABELS[flip.leader_below]} leads")
                break
    ruled = ranking[ranking["ruled_out"]]
    return {
        "scenario_id": scenario_id, "label": str(row["label"]), "article_zh": str(row["article_zh"]),
        "article_says": str(row["article_says"]), "agrees": leader in _article_options(str(row["article_says"])),
        "recommendation": leader, "runner_up": runner, "margin": margin, "tied": margin < TIE_MARGIN - _EPS,
        "ranking": ranking, "reasons": reasons, "would_change": changes,
        "ruled_out": [f"{OPTION_LABELS[r.option]} (0 on "
                      f"{' and '.join(labels[c] for c in r.ruled_out_by.split(', '))})" for r in ruled.itertuples()],
        "left_out": str(row["left_out"]),
    }


def scenario_cards(*, preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Every scenario card in one table: scenario_id, label, article_says, recommendation, total, runner_up,
    margin, tied, agrees, changes (how many single-weight moves change the recommendation)."""
    rows = []
    for scenario_id in _scenarios_cached()["scenario_id"]:
        card = scenario_card(scenario_id, preset=preset)
        rows.append({"scenario_id": scenario_id, "label": card["label"], "article_says": card["article_says"],
                     "recommendation": card["recommendation"], "total": float(card["ranking"]["total"].iloc[0]),
                     "runner_up": card["runner_up"], "margin": card["margin"], "tied": card["tied"],
                     "agrees": card["agrees"], "changes": len(card["would_change"])})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ the article's table

@functools.lru_cache(maxsize=1)
def _decision_cached() -> pd.DataFrame:
    table = load("decision_table")
    for row in table.itertuples():
        unknown = set(row.article_options.split()) - set(OPTIONS)
        if unknown or not row.article_options.split():
            raise ValueError(f"decision_table.csv: row {row.row_id!r} article_options must be options from "
                             f"{list(OPTIONS)}; got {row.article_options!r}")
        _demand_id(row.demand_id)
    return table


def decision_table() -> pd.DataFrame:
    """The article's decision table (``data/decision_table.csv``), one row per row of the article."""
    return _decision_cached().copy()


def decision_weights(row_id: str, *, budget_weight: float = 3) -> dict[str, float]:
    """The weights a row of the article's table stands for: its three levels as :data:`LEVEL_WEIGHTS`.

    Requirement complexity, elasticity and data sensitivity take the row's levels (low 1, medium 3,
    high 5); budget, which the article's header names but no row fills, takes ``budget_weight``
    (0-5); every criterion the article's table does not name weighs 0.
    """
    table = _decision_cached()
    require_choice("row_id", row_id, tuple(table["row_id"]))
    budget = require_number("budget_weight", budget_weight, minimum=0, maximum=WEIGHT_MAX)
    row = table.set_index("row_id").loc[row_id]
    weights = dict.fromkeys(CRITERIA, 0.0)
    weights.update(complexity=LEVEL_WEIGHTS[row["complexity_level"]],
                   elasticity=LEVEL_WEIGHTS[row["elasticity_level"]],
                   data_sensitivity=LEVEL_WEIGHTS[row["sensitivity_level"]], budget=budget)
    return weights


def article_rules_vs_model(*, budget_weights: tuple[int, ...] = (0, 1, 2, 3, 4, 5),
                           preset: str = DEFAULT_PRESET) -> pd.DataFrame:
    """Each row of the article's table run through the model, for every budget weight given.

    The row's elasticity level also sets the demand shape (low: steady; medium: a daily cycle;
    high: a daily cycle with a 5x event). Columns: row_id, article_row_zh, article_choice_zh,
    budget_weight, model_choice, model_total, runner_up, agrees (the model's choice is one the
    article's answer covers).
    """
    if isinstance(budget_weights, (str, bytes)) or not isinstance(budget_weights, (list, tuple)) or not budget_weights:
        raise ValueError(f"budget_weights must be a non-empty tuple of weights 0-{WEIGHT_MAX}; got {budget_weights!r}")
    checked = [require_number(f"budget_weights[{i}]", w, minimum=0, maximum=WEIGHT_MAX)
               for i, w in enumerate(budget_weights)]
    _preset(preset)
    rows = []
    for row in _decision_cached().itertuples():
        for budget in checked:
            weights = decision_weights(row.row_id, budget_weight=budget)
            ranking = rank_options(weights, demand=row.demand_id, preset=preset)
            choice = ranking["option"].iloc[0]
            rows.append({"row_id": row.row_id, "article_row_zh": row.article_row_zh,
                         "article_choice_zh": row.article_choice_zh, "budget_weight": budget,
                         "model_choice": choice, "model_total": float(ranking["total"].iloc[0]),
                         "runner_up": ranking["option"].iloc[1],
                         "agrees": choice in row.article_options.split()})
    return pd.DataFrame(rows)
