"""One valid call of every public helper that needs one: the starting point of the bad-input layer.

``tests/test_bad_input.py`` finds every public function of ``helpers`` by itself. For
each parameter it works out what the parameter takes from the signature (annotations
such as ``float``, ``int``, ``bool``, ``str``, ``pd.DataFrame``, ``Path``, defaults) and
attacks it with bad values, one parameter at a time, the others as below.

**When you add a public helper**, add a line here if it has a required parameter or takes
``**kwargs`` (the test names the helper and says what to add). Usually that is all::

    "helpers.cost_owning.hosts_needed": ex(peak_instances=960, vms_per_host=192),

Declare more only where the signature cannot say it (see :class:`tests.bad_values.Example`):
``kinds`` for an un-annotated parameter (``{"utilization": "number_or_series"}``), ``text``
for a string parameter that takes free text rather than a choice, ``text_columns`` /
``optional_columns`` / ``keys`` for a table parameter, ``accepts`` for a bad-value family
that is valid for it (an empty table, say). A helper with only optional parameters needs
no line: its defaults are the valid call.

Keep the examples small (two days of demand, a few rows): every one is called a few
hundred times.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd

from helpers import architecture as arch
from helpers import cost, history, patching, recovery, scenarios, security
from helpers import performance as perf
from helpers import placement
from helpers import resources as res
from helpers.charts import finish
from helpers.data import DATA_DIR, SCHEMAS, Column, load
from helpers.exercises import check_number
from tests.assignment_examples import ASSIGNMENT_EXAMPLES
from tests.bad_values import Example, ex

#: Two days of hourly demand (48 values): enough for every cost function, fast to compute.
DEMAND = cost.demand_profile(days=2, baseline_instances=100, seed=1)
#: A tidy cost table (option, component, cost_usd_per_month), as the cost charts take it.
COSTS = cost.monthly_cost_by_option(DEMAND)
COST_COLUMNS = (Column("option", "str", "", allowed=cost.OPTIONS), Column("component", "str", "",
                allowed=cost.COMPONENTS), Column("cost_usd_per_month", "float", "", minimum=0))
#: Four events with exactly the columns the gap functions read.
EVENTS = history.timeline()[["event_id", "event", "date"]].head(4).reset_index(drop=True)
#: The columns density_chart reads, from the model's own table.
DENSITY = arch.density_table(**arch.density_defaults())[list(arch.DENSITY_COLUMNS)]
#: Two slider rows in the layout parameters_from_table reads.
SLIDERS = arch.density_parameters()[["name", "label", "minimum", "maximum", "step", "default", "unit",
                                     "description"]].head(2)
#: A one-at-a-time sensitivity table, as tornado_chart reads it.
SENSITIVITY = pd.DataFrame({"parameter": ["Server price", "PUE"], "low_result": [0.2, 0.25],
                            "high_result": [0.4, 0.3]})
CHART = alt.Chart(pd.DataFrame({"x": [1.0, 2.0]})).mark_point().encode(x=alt.X("x:Q"))
FINISHED = finish(CHART, title="A finding", source="a source", model="helpers.x.f")
#: A model parameter forwarded through ``**parameters`` (any one exercises the forwarding).
PUE = {"pue": 1.58}
CHOICE_CHECK = dict(answer="a", expected="b", options=("a", "b"), what="the letter", hint="read it")


#: Chapter 4: KVM's measured overheads and a web mix (each a mapping over the four resources).
OVERHEADS = {"cpu": 0.02, "memory": 0.01, "storage": 0.45, "network": 0.45}
WEB_MIX = {"cpu": 0.5, "memory": 0.1, "storage": 0.1, "network": 0.3}
#: Two benchmarks on native and KVM, with exactly the columns validate_benchmarks reads.
BENCHMARKS = perf.benchmarks().query("benchmark_id in ['linpack', 'fio_randread'] and platform in ['native', 'kvm']")[
    list(perf.BENCHMARK_TABLE_COLUMNS)].reset_index(drop=True)
#: A two-row fleet_comparison table, as fleet_chart reads it.
FLEET = perf.fleet_comparison(overheads=OVERHEADS, mix=WEB_MIX, platform="microvm", native_instances=100)
#: Chapter 6: a small fleet for the patching model, three escapes' outcomes, the two recovery setups.
ROLLOUT = dict(fleet_hosts=20, manual_start_days=2.0, manual_hosts_per_day=5.0, auto_start_days=1.0,
               auto_batch_share=0.25)
PATCH_CURVES = patching.rollout_curves(points=5, **ROLLOUT)
PATCH_SUMMARY = patching.compare_rollouts(exploit_day=3.0, **ROLLOUT)
OUTCOMES = security.escape_outcomes("microvm").head(3)
#: Three escapes with exactly the columns the outcome model reads.
ESCAPES = load("escapes").head(3)[list(security.ESCAPE_TABLE_COLUMNS)]
SETUPS = recovery.compare_setups(**recovery.recovery_defaults())
#: Chapter 9: a few claims, with the columns of claims.csv (free text, optional cells, the key).
CLAIMS = load("claims").head(6)
CLAIMS_TABLE = dict(text_columns={"claims": ("claim_id", "claim_zh", "claim_en", "correct_value", "source",
                                             "source_url", "note")},
                    optional_columns={"claims": ("correct_value", "note")}, keys={"claims": ("claim_id",)},
                    accepts={"claims": {"empty"}})
#: Chapter 7: a weight for every criterion (3: nothing stands out), the decision model's usual input.
WEIGHTS = {criterion: 3 for criterion in scenarios.CRITERIA}
#: Chapter 3: a week of demand with a one-day sale, simulated and priced; 20 VMs packed on m5.metal hosts.
WEEK = res.demand_year(days=7, sale_start_day=3, sale_days=1, base_instances=20)
SIM = res.simulate(WEEK, target_utilization=0.6)
SIM_COSTS = res.strategy_costs(SIM)[["strategy", "total_usd"]]  # the columns the charts read
PARTS = res.phases([3.0, 4.0], [3.0, 3.0], reaction_s=60.0, startup_s=90.0)
ITEMS = placement.workload("vms", 20)[["vcpu", "memory_gib"]]  # the columns the placement model reads
PACKED = placement.pack(ITEMS, host_vcpu=96.0, host_memory_gib=384.0)
PLACEMENT_SUMMARY = placement.placement_summary(ITEMS, host_vcpu=96.0, host_memory_gib=384.0)[
    ["algorithm", "hosts", "lower_bound", "pending", "items_per_host", "cpu_allocated_share", "memory_allocated_share",
     "vcpu_stranded", "memory_gib_stranded", "fragmentation"]]  # the columns placement_table reads
#: A scratch notebook for the dollar tool (never a course notebook: the tool rewrites files in place).
SCRATCH_NOTEBOOK = Path(tempfile.mkdtemp(prefix="helper-examples-")) / "99_scratch.ipynb"
SCRATCH_NOTEBOOK.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "It costs $5."}],
                                        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


def _forget_example_schema() -> None:
    SCHEMAS.pop("zz_example_schema", None)


EXAMPLES: dict[str, Example] = {
    # --- helpers.validation (each reports the checked value under the name it is given) -------------------
    "helpers.validation.shown": Example(dict(value=1.0), kinds={"value": "any"}),
    "helpers.validation.require_number": Example(dict(name="pue", value=1.5, minimum=1.0, maximum=3.0),
                                                 text=("name",), kinds={"value": "number"},
                                                 reports={"value": "pue", "minimum": "pue", "maximum": "pue"}),
    "helpers.validation.require_integer": Example(dict(name="hosts", value=3, minimum=1, maximum=10),
                                                  text=("name",), kinds={"value": "integer"},
                                                  reports={"value": "hosts", "minimum": "hosts", "maximum": "hosts"}),
    "helpers.validation.require_fraction": Example(dict(name="share", value=0.5), text=("name",),
                                                   kinds={"value": "number"}, reports={"value": "share"}),
    "helpers.validation.require_flag": Example(dict(name="reversed", value=True), text=("name",),
                                               kinds={"value": "flag"}, reports={"value": "reversed"}),
    "helpers.validation.require_choice": Example(dict(name="kind", value="a", choices=("a", "b")), text=("name",),
                                                 kinds={"value": "choice", "choices": "names"},
                                                 reports={"value": "kind", "choices": "kind"}),
    "helpers.validation.require_choices": Example(dict(name="kinds", values=["a"], choices=("a", "b")),
                                                  text=("name",), kinds={"values": "choices", "choices": "names"},
                                                  reports={"values": "kinds", "min_count": "kinds",
                                                           "choices": "kinds"}),
    "helpers.validation.require_text": Example(dict(name="title", value="A title"), text=("name", "value"),
                                               reports={"value": "title"}),
    "helpers.validation.require_mapping": Example(dict(name="overrides", value={"pue": 1.5}, keys=("pue", "vms")),
                                                  text=("name",), kinds={"value": "mapping", "keys": "names"},
                                                  reports={"value": "overrides", "keys": "overrides"},
                                                  # values are checked by the caller, each under its own name
                                                  accepts={"value": {"none", "value_bool", "value_nan", "value_str",
                                                                     "value_none", "bad_value"}}),
    "helpers.validation.require_series": Example(dict(name="demand", values=[1.0, 2.0], minimum=0.0),
                                                 text=("name",), reports={"values": "demand", "minimum": "demand",
                                                                          "maximum": "demand",
                                                                          "min_length": "demand"}),
    "helpers.validation.require_frame": Example(dict(name="costs", frame=COSTS, columns=COST_COLUMNS,
                                                     key=("option", "component")),
                                                text=("name",), kinds={"columns": "object_list"},
                                                keys={"frame": ("option", "component")},
                                                reports={"frame": "costs", "key": "costs"}),
    # --- helpers.data ------------------------------------------------------------------------------------
    "helpers.data.load": ex(name="claims"),
    "helpers.data.describe_schema": ex(name="claims"),
    "helpers.data.register_schema": Example(dict(name="zz_example_schema", description="An example.",
                                                 columns=[Column("source", "str", "Where from.")]),
                                            text=("name", "description"), kinds={"columns": "object_list"},
                                            cleanup=_forget_example_schema),
    "helpers.data.validate_file": Example(dict(path=DATA_DIR / "claims.csv", columns=SCHEMAS["claims"].columns),
                                          kinds={"columns": "object_list"}),
    "helpers.data.validate_frame": Example(dict(name="costs", frame=COSTS, columns=COST_COLUMNS,
                                                key=("option", "component")), text=("name",),
                                           kinds={"columns": "object_list", "frame": "frame"},
                                           keys={"frame": ("option", "component")},
                                           reports={"frame": "costs", "key": "costs"}),
    # --- helpers.environment, course, claims, exercises, charts, widgets ------------------------------
    "helpers.course.chapter_by_slug": ex(slug="cost"),
    "helpers.course.navigation_markdown": ex(filename="05_cost.ipynb"),
    "helpers.claims.claims_for": ex(chapter="cost"),
    "helpers.claims.claims_table": ex(chapter="cost"),
    "helpers.exercises.check_number": ex(answer=3.0, expected=4.0, what="the count", hint="count again"),
    "helpers.exercises.check_choice": Example(dict(CHOICE_CHECK), kinds={"options": "names"}),
    "helpers.charts.finish": Example(dict(chart=CHART, title="A finding", source="a source", model="helpers.x.f"),
                                     # a subtitle is a string or a list of strings (one per line): free text
                                     text=("subtitle",), accepts={"subtitle": {"list"}}),
    "helpers.charts.chart_row_counts": ex(chart=CHART),
    "helpers.charts.option_colors": Example(dict(options=["a", "b"]), kinds={"options": "names"}),
    "helpers.charts.self_contained_html": ex(chart=CHART),
    "helpers.charts.tornado_chart": Example(dict(sensitivity=SENSITIVITY, baseline=0.3, value_title="Break-even (%)",
                                                 title="Server price moves it most", source="a source",
                                                 model="helpers.cost.sensitivity"),
                                            text_columns={"sensitivity": ("parameter",)}),
    "helpers.widgets.parameters_from_table": Example(dict(table=SLIDERS), text_columns={
        "table": ("name", "label", "unit", "description")}, optional_columns={"table": ("unit", "description")},
        keys={"table": ("name",)}),
    # --- helpers.cost_inputs ------------------------------------------------------------------------------
    "helpers.cost_inputs.validate_cost_assumptions": Example(dict(table=load("cost_assumptions")),
                                                            text_columns={"table": ("unit", "source", "source_url",
                                                                                    "note")},
                                                            optional_columns={"table": ("note",)},
                                                            keys={"table": ("parameter",)}),
    "helpers.cost_inputs.resolve_parameters": Example(dict(overrides=dict(PUE))),
    "helpers.cost_inputs.check_parameter": Example(dict(name="pue", value=1.58), kinds={"value": "number"},
                                                   reports={"value": "pue"}),
    "helpers.cost_inputs.preset_parameters": ex(preset="open-source KVM"),
    "helpers.cost_inputs.require_cost_frame": Example(dict(name="costs", frame=COSTS), text=("name",),
                                                      kinds={"frame": "frame"}, keys={"frame": ("option", "component")},
                                                      reports={"frame": "costs", "value_column": "costs"}),
    "helpers.cost_inputs.require_numbers": Example(dict(name="demand", values=[1.0, 2.0]), text=("name",),
                                                   kinds={"values": "series"},
                                                   reports={"values": "demand", "minimum": "demand",
                                                            "maximum": "demand", "min_length": "demand"}),
    # --- helpers.cost_owning -------------------------------------------------------------------------------
    "helpers.cost_owning.server_power_w": Example(dict(utilization=0.5), kinds={"utilization": "number_or_series"}),
    "helpers.cost_owning.host_cpu_load": Example(dict(running_vms=100.0, hosts=2, vm_cpu_utilization=0.2),
                                                 kinds={"running_vms": "number_or_series"}),
    "helpers.cost_owning.annuity_usd_per_month": ex(principal_usd=40000.0, years=5.0, cost_of_capital=0.05),
    "helpers.cost_owning.server_capital_usd_per_month": ex(server_price_usd=12000.0, server_lifetime_years=5.0),
    "helpers.cost_owning.facility_cost_usd_per_month": ex(peak_power_w=800.0, facility_usd_per_w=10.0,
                                                          facility_lifetime_years=15.0),
    "helpers.cost_owning.facility_operations_usd_per_month": ex(peak_power_w=800.0,
                                                                facility_opex_usd_per_kw_month=25.0),
    "helpers.cost_owning.energy_cost_usd_per_month": Example(dict(power_w=400.0, pue=1.58, electricity_usd_per_kwh=0.1),
                                                             kinds={"power_w": "number_or_series"}),
    "helpers.cost_owning.storage_cost_usd_per_month": ex(storage_gb=100.0, usd_per_gb_month=0.05),
    "helpers.cost_owning.transit_cost_usd_per_month": ex(gb_per_month=9600.0, transit_usd_per_gb=0.006),
    "helpers.cost_owning.staff_cost_usd_per_server_month": ex(admin_salary_usd_per_year=90000.0,
                                                              servers_per_admin=100.0),
    "helpers.cost_owning.support_years_paid": ex(horizon_years=5.0, server_lifetime_years=5.0),
    "helpers.cost_owning.post_warranty_support_usd_per_month": ex(server_price_usd=40000.0,
                                                                  post_warranty_support_fraction=0.1,
                                                                  server_lifetime_years=5.0),
    "helpers.cost_owning.licensed_cores": ex(cpus=2, cores_per_cpu=96),
    "helpers.cost_owning.licence_usd_per_host_month": ex(licence_usd_per_core_year=135.0),
    "helpers.cost_owning.hosts_needed": ex(peak_instances=960.0, vms_per_host=192),
    "helpers.cost_owning.years_paid_factor": ex(horizon_years=5.0, lifetime_years=3.0),
    # --- helpers.cost_renting ------------------------------------------------------------------------------
    "helpers.cost_renting.on_demand_cost_usd": ex(instance_hours=730.0, on_demand_usd_per_hour=0.096),
    "helpers.cost_renting.savings_plan_discount": ex(savings_plan_term_years=1, savings_plan_discount_1y=0.3,
                                                     savings_plan_discount_3y=0.5),
    "helpers.cost_renting.commitment_factor": ex(horizon_years=5.0, savings_plan_term_years=3),
    "helpers.cost_renting.optimal_commitment_instances": ex(demand_instances_per_hour=DEMAND,
                                                            savings_plan_discount=0.3),
    "helpers.cost_renting.savings_plan_cost_usd": ex(demand_instances_per_hour=DEMAND, committed_instances=80.0,
                                                     on_demand_usd_per_hour=0.096, savings_plan_discount=0.3),
    "helpers.cost_renting.spot_billed_hours": ex(useful_hours=100.0, spot_interruption_rate=0.05, spot_job_hours=1.0),
    "helpers.cost_renting.spot_cost_usd": ex(useful_hours=100.0, on_demand_usd_per_hour=0.096, spot_discount=0.8,
                                             spot_interruption_rate=0.05, spot_job_hours=1.0),
    "helpers.cost_renting.egress_cost_usd": ex(gb=10.0, egress_usd_per_gb=0.09),
    "helpers.cost_renting.billed_seconds": ex(durations_s=[30.0, 4000.0], granularity="second"),
    "helpers.cost_renting.billing_comparison": ex(durations_s=[30.0, 4000.0]),
    # --- helpers.cost_comparing ----------------------------------------------------------------------------
    "helpers.cost_comparing.owned_costs_per_host_month": ex(**PUE),
    "helpers.cost_comparing.monthly_cost_by_option": ex(demand_instances_per_hour=DEMAND, **PUE),
    "helpers.cost_comparing.cost_table": Example(dict(costs=COSTS), keys={"costs": ("option", "component")}),
    "helpers.cost_comparing.cost_over_horizon": ex(demand_instances_per_hour=DEMAND, horizon_years=3.0, **PUE),
    "helpers.cost_comparing.costs_at_utilization": Example(dict(utilization=0.3, **PUE),
                                                           kinds={"utilization": "number_or_series"}),
    "helpers.cost_comparing.cost_curves": Example(dict(utilization=[0.0, 0.5, 1.0], **PUE),
                                                  kinds={"utilization": "number_or_series"}),
    "helpers.cost_comparing.utilization_knots": ex(**PUE),
    "helpers.cost_comparing.break_even_utilization": Example(dict(PUE), may_return_nan=True),
    "helpers.cost_comparing.monthly_saving_usd": ex(utilization=0.3, **PUE),
    "helpers.cost_comparing.licence_at_break_even": Example(dict(PUE), may_return_nan=True),
    # --- helpers.cost_double11 -----------------------------------------------------------------------------
    "helpers.cost_double11.double11_case": ex(**PUE),
    "helpers.cost_double11.double11_article_requirements": ex(**PUE),
    # --- helpers.cost_views, cost_checks ---------------------------------------------------------------------
    "helpers.cost_views.cost_curves_chart": ex(**PUE),
    "helpers.cost_views.cost_components_chart": Example(dict(PUE), samples={"costs": COSTS},
                                                        keys={"costs": ("option", "component")}),
    "helpers.cost_views.double11_chart": Example(dict(peak_days=3), kinds={"peak_days": "integer"}),
    "helpers.cost_views.double11_demand_chart": Example(dict(peak_days=3), kinds={"peak_days": "integer"}),
    "helpers.cost_views.panel_table": ex(utilization=0.3, **PUE),
    "helpers.cost_views.sensitivity_table": ex(utilization=0.3),
    "helpers.cost_views.usd": ex(amount=1200.0),
    "helpers.cost_views.number": ex(value=0.1241),
    "helpers.cost_views.percent": Example(dict(share=0.3), accepts={"share": {"nan"}}),  # NaN reads "never"
    "helpers.cost_checks.check_cheapest_options": ex(answer=None),
    "helpers.cost_checks.check_break_even_expensive_power": ex(answer=None),
    "helpers.cost_checks.check_double11_saving": ex(answer=None),
    "helpers.cost_checks.check_billing_saving": ex(answer=None),
    "helpers.cost_checks.check_licence_break_even": ex(answer=None),
    "helpers.cost_checks.check_cheapest_option": ex(answer=None),
    # --- helpers.demand, resources, placement, resources_views (chapter 3) -----------------------------------
    "helpers.demand.whole_instances": Example(dict(demand=[1.5, 2.0])),
    "helpers.resources.needed_instances": ex(demand=WEEK, target_utilization=0.6),
    "helpers.resources.fixed_fleet": ex(demand=WEEK, target_utilization=0.6),
    "helpers.resources.scheduled_fleet": ex(forecast=WEEK, target_utilization=0.6, schedule_margin=0.15),
    "helpers.resources.reactive_fleet": ex(demand=WEEK, target_utilization=0.6),
    "helpers.resources.phases": ex(desired=[3.0, 4.0], previous=[3.0, 3.0], reaction_s=60.0, startup_s=90.0),
    "helpers.resources.hour_metrics": Example(dict(demand=[2.0, 3.5], parts=PARTS)),
    "helpers.resources.weighted_quantile": ex(values=[1.0, 2.0, 3.0], weights=[1.0, 1.0, 2.0], q=0.5),
    "helpers.resources.p99_latency_multiple": Example(dict(utilization=0.7), kinds={"utilization": "number_or_series"}),
    "helpers.resources.simulate": Example(dict(demand=WEEK, target_utilization=0.6), kinds={"forecast": "series"}),
    "helpers.resources.simulate_year": Example(dict(days=7, sale_start_day=3, sale_days=1),
                                               kinds={"days": "integer", "sale_start_day": "integer",
                                                      "sale_days": "integer"}),
    "helpers.resources.strategy_costs": Example(dict(simulation=SIM, **PUE), kinds={"simulation": "object"}),
    "helpers.placement.lower_bound": Example(dict(items=ITEMS, host_vcpu=96.0, host_memory_gib=384.0)),
    "helpers.placement.pack": Example(dict(items=ITEMS, host_vcpu=96.0, host_memory_gib=384.0)),
    "helpers.placement.host_usage": Example(dict(items=ITEMS, hosts=PACKED, host_vcpu=96.0, host_memory_gib=384.0)),
    "helpers.placement.placement_summary": Example(dict(items=ITEMS, host_vcpu=96.0, host_memory_gib=384.0)),
    "helpers.resources_views.chart_records": ex(chart=CHART),
    "helpers.resources_views.demand_chart": Example(dict(simulation=SIM), kinds={"simulation": "object"}),
    "helpers.resources_views.capacity_chart": Example(dict(simulation=SIM), kinds={"simulation": "object"}),
    "helpers.resources_views.strategy_chart": Example(dict(simulation=SIM, costs=SIM_COSTS),
                                                      kinds={"simulation": "object"}, keys={"costs": ("strategy",)}),
    "helpers.resources_views.elasticity_chart": Example(dict(simulation=SIM, costs=SIM_COSTS),
                                                        kinds={"simulation": "object"},
                                                        keys={"costs": ("strategy",)}),
    "helpers.resources_views.strategy_table": Example(dict(simulation=SIM, costs=SIM_COSTS),
                                                      kinds={"simulation": "object"}, keys={"costs": ("strategy",)}),
    "helpers.resources_views.latency_chart": Example(dict(simulation=SIM), kinds={"simulation": "object"}),
    "helpers.resources_views.lag_table": Example(dict(days=7, sale_start_day=3, sale_days=1),
                                                 kinds={"days": "integer", "sale_start_day": "integer",
                                                        "sale_days": "integer"}),
    "helpers.resources_views.lag_chart": Example(dict(days=7, sale_start_day=3, sale_days=1),
                                                 kinds={"days": "integer", "sale_start_day": "integer",
                                                        "sale_days": "integer"}),
    "helpers.resources_views.placement_chart": Example(dict(items=ITEMS)),
    "helpers.resources_views.placement_table": Example(dict(summary=PLACEMENT_SUMMARY),
                                                       keys={"summary": ("algorithm",)}),
    "helpers.resources_views.check_latency_utilization": ex(answer=None),
    "helpers.resources_views.check_fixed_fleet_utilization": ex(answer=None),
    "helpers.resources_views.check_start_up_or_target": ex(answer=None),
    "helpers.resources_views.check_savings_plan_break_even": ex(answer=None),
    "helpers.resources_views.check_hosts_freed": ex(answer=None),
    "helpers.resources_views.check_binding_resource": ex(answer=None),
    # --- helpers.charts, claims, tables, text, exercises, widgets (framework) --------------------------------
    "helpers.charts.contrast_on_white": ex(colour="#0072B2"),
    "helpers.charts.option_dashes": Example(dict(options=["a", "b"]), kinds={"options": "names"}),
    "helpers.charts.option_shapes": Example(dict(options=["a", "b"]), kinds={"options": "names"}),
    "helpers.charts.title_text": Example(dict(chart_or_spec=FINISHED), kinds={"chart_or_spec": "chart"}),
    "helpers.charts.wrap_title": Example(dict(text="A finding that is stated in a title"), text=("text",)),
    "helpers.claims.verdict_badge": ex(verdict="wrong"),
    "helpers.tables.column_label": Example(dict(name="cost_usd_per_month"), kinds={"name": "text"}),
    "helpers.tables.format_value": Example(dict(value=1234.5), kinds={"value": "any"}),
    "helpers.tables.styled_table": Example(dict(frame=pd.DataFrame({"hosts": [3, 4], "label": ["a", "b"]})),
                                           # any table can be shown; no wrapped columns is the default
                                           accepts={"frame": {"empty", "table_nan_cell", "table_inf", "table_none",
                                                              "table_wrong_type", "table_negative", "table_huge",
                                                              "table_duplicate_row", "table_missing_column",
                                                              "table_unknown_category"},
                                                    "wrap_columns": {"empty"}, "nowrap_columns": {"empty"}},
                                           text=("caption",)),
    "helpers.text.protect_dollars": Example(dict(markdown="It costs $5."), text=("markdown",)),
    "helpers.text.protect_dollars_html": Example(dict(html="<p>It costs $5.</p>"), text=("html",)),
    "helpers.text.unprotected_dollars": Example(dict(markdown="It costs $5."), text=("markdown",)),
    "helpers.text.unprotected_dollars_html": Example(dict(html="<p>It costs $5.</p>"), text=("html",)),
    "helpers.text.rewrite_notebooks": Example(dict(paths=[SCRATCH_NOTEBOOK], check=True),
                                              kinds={"paths": "object_list"}),
    "helpers.exercises.check_tuple": Example(dict(answer=None, parts=[lambda value: check_number(
        value, 2.0, what="the count", hint="count again")], names=["count"], what="the count", hint="count again"),
        kinds={"parts": "object_list", "names": "names"}),
    "helpers.exercises.format_number": Example(dict(value=1234.5), kinds={"value": "number"}),
    "helpers.exercises.format_quantity": Example(dict(value=2.5, unit="years"), kinds={"value": "number"}),
    "helpers.exercises.format_usd": Example(dict(amount=1200.0), kinds={"amount": "number"}),
    "helpers.exercises.plural": Example(dict(count=2, singular="layer"), kinds={"count": "number"},
                                        text=("singular", "plural_form")),
    "helpers.widgets.snap_to_grid": Example(dict(value=0.43, minimum=0.0, maximum=1.0, step=0.05),
                                            accepts={"extra": {"empty"}}),
    # --- helpers.history, history_views ------------------------------------------------------------------
    "helpers.history.event": ex(event_id="xen"),
    "helpers.history.years_between": ex(event_a="xen", event_b="kvm"),
    "helpers.history.require_years": ex(start_year=1990, end_year=2000),
    "helpers.history.events_between": ex(start_year=1990, end_year=2000),
    "helpers.history.events_per_category": ex(start_year=1990, end_year=2000),
    "helpers.history.quiet_gaps": ex(start_year=1990, end_year=2000),
    "helpers.history.longest_quiet_gap": ex(start_year=1990, end_year=2000),
    "helpers.history.gaps_between": Example(dict(events=EVENTS), accepts={"events": {"empty"}},
                                            text_columns={"events": ("event_id", "event")}),
    "helpers.history.longest_gap": Example(dict(events=EVENTS), accepts={"events": {"empty"}},
                                           text_columns={"events": ("event_id", "event")}),
    "helpers.history_views.timeline_window_chart": ex(start_year=1990, end_year=2000),
    "helpers.history_views.timeline_view": ex(start_year=1990, end_year=2000),
    "helpers.history_views.check_longest_cloud_gap": ex(answer=None),
    "helpers.history_views.check_longest_gap_day_precision": ex(answer=None),
    # --- helpers.startup ---------------------------------------------------------------------------------
    "helpers.startup.startup_time_s": ex(startup_id="firecracker-boot"),
    "helpers.history.trap_and_emulate_breakers": Example({}, accepts={"instructions": {"empty"}}),
    "helpers.history.date_label": ex(date="2005-11-14", precision="day"),
    "helpers.history.require_events": Example(dict(name="events", events=EVENTS), text=("name",),
                                              accepts={"events": {"empty"}},
                                              text_columns={"events": ("event_id", "event")},
                                              reports={"events": "events"}),
    "helpers.history_views.check_trap_and_emulate_breakers": ex(answer=None),
    "helpers.history_views.check_what_nested_paging_moved": ex(answer=None),
    # --- helpers.architecture, architecture_views ----------------------------------------------------------
    "helpers.architecture.syscall_profile": ex(profile="docker_default"),
    "helpers.architecture.reaches_shared_kernel": ex(syscall="splice", platform="microvm"),
    "helpers.architecture.syscall_exposure": ex(syscall="splice"),
    "helpers.architecture.require_density_table": Example(dict(name="table", table=DENSITY), text=("name",),
                                                          text_columns={"table": ("platform_label",)},
                                                          reports={"table": "table"}),
    "helpers.architecture_views.check_dirty_pipe_platforms": ex(answer=None),
    "helpers.architecture.shared_layer_count": ex(platform="microvm"),
    "helpers.architecture.instance_overhead": ex(platform="microvm", app_vcpu=1.0, app_memory_gib=4.0),
    "helpers.architecture.instances_per_host": ex(host_cores=36, threads_per_core=2, host_memory_gib=512.0,
                                                  app_vcpu=1.0, app_memory_gib=4.0),
    "helpers.architecture.density_table": ex(host_cores=36, threads_per_core=2, host_memory_gib=512.0, app_vcpu=1.0,
                                             app_memory_gib=4.0),
    "helpers.architecture_views.stack_chart": ex(platforms=["microvm", "containers_on_host"]),
    "helpers.architecture_views.density_chart": Example(dict(table=DENSITY),
                                                        text_columns={"table": ("platform_label",)},
                                                        keys={"table": ("platform",)}),
    "helpers.architecture_views.platform_explorer_panel": Example(accepts={"default": {"empty"}}),
    "helpers.architecture_views.check_vm_density_for_app": ex(answer=None),
    "helpers.architecture_views.check_container_limiting_resource": ex(answer=None),
    "helpers.architecture_views.check_container_to_vm_ratio": ex(answer=None),
    # --- helpers.performance, performance_views (chapter 4) ----------------------------------------------
    "helpers.performance.validate_benchmarks": Example(dict(table=BENCHMARKS), text=("name",),
                                                       text_columns={"table": ("benchmark_id", "benchmark", "unit")},
                                                       keys={"table": ("benchmark_id", "platform")},
                                                       reports={"table": "table"}),
    "helpers.performance.relative_performance": Example(samples={"table": BENCHMARKS},
                                                        text_columns={"table": ("benchmark_id", "benchmark", "unit")},
                                                        keys={"table": ("benchmark_id", "platform")}),
    "helpers.performance.capacity_multiplier": ex(overheads=dict(OVERHEADS), mix=dict(WEB_MIX)),
    "helpers.performance.instances_needed": ex(native_instances=100.0, multiplier=1.2),
    "helpers.performance.fleet_through_models": ex(native_instances=100.0, multiplier=1.2, platform="microvm"),
    "helpers.performance.fleet_comparison": ex(overheads=dict(OVERHEADS), mix=dict(WEB_MIX), platform="microvm",
                                               native_instances=100.0),
    "helpers.performance.fleet_host_range": ex(overheads=dict(OVERHEADS), mix=dict(WEB_MIX), platform="microvm",
                                               network_low=0.01, network_high=0.45, native_instances=100.0),
    "helpers.performance_views.fleet_chart": Example(dict(table=FLEET, platform_label="Firecracker microVM"),
                                                     text=("platform_label",),
                                                     text_columns={"table": ("scenario",)},
                                                     keys={"table": ("scenario",)}),
    "helpers.performance_views.check_io_pattern": ex(answer=None),
    "helpers.performance_views.check_web_multiplier": ex(answer=None),
    "helpers.performance_views.check_article_memory_rung": ex(answer=None),
    "helpers.performance_views.check_sriov_hosts_saved": ex(answer=None),
    "helpers.performance_views.check_lightvm_process_ratio": ex(answer=None),
    # --- helpers.security, recovery, patching, security_views (chapter 6) -----------------------------------
    "helpers.security.validate_escapes": Example(dict(table=ESCAPES),
                                                 text_columns={"table": ("escape_id", "name", "cve_id", "stopped_by",
                                                                         "defence_note")},
                                                 optional_columns={"table": ("cve_id", "stopped_by")},
                                                 keys={"table": ("escape_id",)}),
    "helpers.security.escape_outcomes": Example(dict(platform="microvm", defences=["seccomp"]),
                                                accepts={"defences": {"empty"}}, samples={"table": ESCAPES},
                                                text_columns={"table": ("escape_id", "name", "cve_id", "stopped_by",
                                                                        "defence_note")},
                                                optional_columns={"table": ("cve_id", "stopped_by")},
                                                keys={"table": ("escape_id",)}),
    "helpers.security.outcome_counts": Example(dict(platform="microvm", defences=["seccomp"]),
                                               accepts={"defences": {"empty"}}),
    "helpers.security.first_shared_interface": ex(platform="microvm"),
    "helpers.security.customer_patched_layers": ex(service_model="iaas_vm"),
    "helpers.recovery.worst_case_data_loss_s": ex(failure="site loss", backup_interval_h=1.0),
    "helpers.recovery.recovery_time_s": ex(failure="site loss", replication="none", detection_min=15.0,
                                           data_gib=500.0, restore_mib_s=125.0),
    "helpers.recovery.recovery_breakdown": ex(failure="site loss", replication="none", detection_min=15.0,
                                              data_gib=500.0, restore_mib_s=125.0, backup_interval_h=1.0),
    "helpers.recovery.compare_setups": ex(**recovery.recovery_defaults()),
    "helpers.recovery.cheapest_tier_meeting": ex(rpo_s=300.0, rto_s=1800.0),
    "helpers.recovery.dr_tier_costs": Example(samples={"standby_shares": {"pilot_light": 0.1}}),
    "helpers.recovery.fleet_data_gib": ex(fleet_vms=960),
    "helpers.recovery.clean_backup_survives": ex(lock_days=14.0, dwell_days=5.0),
    "helpers.security.exposure": ex(platform="microvm", target="host_kernel"),
    "helpers.security.defence_label": ex(defences="l1d_flush+no_smt_sharing"),
    "helpers.patching.patch_days": ex(fleet_hosts=20, start_days=2.0, hosts_per_day=5.0),
    "helpers.patching.wave_rollout": ex(fleet_hosts=20, batch_share=0.25),
    "helpers.patching.exposure_summary": ex(days=[1.0, 3.0, 8.0], exploit_day=2.0),
    "helpers.patching.unpatched_hosts": ex(days=[1.0, 3.0, 8.0], at_days=[0.0, 5.0]),
    "helpers.patching.compare_rollouts": ex(exploit_day=3.0, **ROLLOUT),
    "helpers.patching.rollout_curves": ex(points=5, **ROLLOUT),
    "helpers.security_views.format_duration": ex(seconds=3600.0),
    "helpers.security_views.parameters_table": ex(model="patch"),
    "helpers.security_views.escape_timeline_chart": Example(
        dict(outcomes=OUTCOMES, platform_label="Firecracker microVM"), text=("platform_label",),
        text_columns={"outcomes": ("escape_id", "name", "cve_id", "stopped_by", "why")},
        optional_columns={"outcomes": ("cve_id", "stopped_by")}, keys={"outcomes": ("escape_id",)}),
    "helpers.security_views.recovery_chart": Example(dict(setups=SETUPS, failure="site loss"),
                                                     keys={"setups": ("setup",)}),
    "helpers.security_views.patch_chart": Example(dict(curves=PATCH_CURVES, summary=PATCH_SUMMARY, exploit_day=3.0),
                                                  keys={"curves": ("strategy", "day"), "summary": ("strategy",)}),
    "helpers.security_views.check_kubernetes_default_gap": ex(answer=None),
    "helpers.security_views.check_ransomware_data_loss": ex(answer=None),
    "helpers.security_views.check_rto_lever": ex(answer=None),
    "helpers.security_views.check_window_saving": ex(answer=None),
    "helpers.security_views.check_provider_patches_kernel": ex(answer=None),
    "helpers.security_views.check_cheapest_tier": ex(answer=None),
    # --- helpers.audit, audit_views (chapter 9), glossary, glossary_views (chapter 10) ---------------------
    **{f"helpers.audit.{name}": Example(samples={"claims": CLAIMS}, **CLAIMS_TABLE)
       for name in ("table_coverage", "claim_spans", "unexplained_numbers", "number_census", "duplicate_quotes",
                    "nested_quotes", "verdicts_by_chapter", "claim_cards")},
    "helpers.audit.numbers_in": Example(dict(text="10,000-50,000"), text=("text",)),
    "helpers.audit.article_digest": Example(dict(text="虚拟机"), text=("text",)),
    "helpers.audit.display_width": Example(dict(text="CPU利用率"), text=("text",)),
    "helpers.audit.wrap_display": Example(dict(text="内存延迟 | 50-100μs", width=20, max_lines=2), text=("text",)),
    "helpers.audit.magnitude": ex(claim_id="cost-01"),
    "helpers.audit.check_steps": ex(claim_id="cost-01"),
    "helpers.audit_views.claims_explorer_chart": Example(text=("controls_id",)),
    "helpers.audit_views.claim_table": Example(dict(claim_ids=["cost-01", "security-11"]),
                                               kinds={"claim_ids": "choices"}),
    "helpers.audit_views.magnitude_view": ex(claim_id="cost-01"),
    "helpers.audit_views.steps_table": ex(claim_id="cost-01"),
    "helpers.audit_views.verdict_check": ex(answer=None, key="docker-network"),
    "helpers.audit_views.explained_choice": Example(dict(answer=None, expected="b", explanations={"a": "Not a.",
                                                                                                "b": "B."},
                                                        what="the letter", hint="read it"), kinds={
        "explanations": "mapping"}, accepts={"explanations": {"none", "value_bool", "value_nan", "value_none"}}),
    "helpers.audit_views.check_docker_network_claim": ex(answer=None),
    "helpers.audit_views.check_firecracker_boot_claim": ex(answer=None),
    "helpers.audit_views.check_renting_cheaper_claim": ex(answer=None),
    "helpers.audit_views.check_bank_savings_claim": ex(answer=None),
    "helpers.audit_views.check_core_price_factor": ex(answer=None),
    "helpers.glossary.search": Example(dict(query="rto"), text=("query",)),
    "helpers.glossary.glossary_table": Example(dict(query="rto"), text=("query",)),
    "helpers.glossary.term": Example(dict(name="RTO"), text=("name",)),
    "helpers.glossary.term_pattern": Example(dict(text="RTO"), text=("text",)),
    "helpers.glossary_views.glossary_view": Example(dict(query="rto"), text=("query",)),
    "helpers.glossary_views.glossary_search_chart": Example(text=("query", "controls_id")),
    "helpers.glossary_views.glossary_search": Example(text=("query",)),
    "helpers.glossary_views.check_cloud_server_platform": ex(answer=None),
    "helpers.glossary_views.check_backup_interval_bounds": ex(answer=None),
    "helpers.glossary_views.check_shared_kernel_platform": ex(answer=None),
    # --- helpers.scenarios, scenarios_views, scenarios_checks (chapter 7) ----------------------------------
    "helpers.scenarios.log_value": ex(time_s=100.0, full_s=1.0, zero_s=86400.0),
    "helpers.scenarios.model_input": ex(name="lambda_mb_per_vcpu"),
    "helpers.scenarios.weight_shares": Example(dict(weights=dict(WEIGHTS))),
    "helpers.scenarios.rank_options": Example(dict(weights=dict(WEIGHTS))),
    "helpers.scenarios.contributions": Example(dict(weights=dict(WEIGHTS))),
    "helpers.scenarios.weight_sweep": Example(dict(weights=dict(WEIGHTS), criterion="budget", points=3)),
    "helpers.scenarios.flip_points": Example(dict(weights=dict(WEIGHTS), criterion="budget")),
    "helpers.scenarios.explain_choice": Example(dict(weights=dict(WEIGHTS), chosen="cloud_vms")),
    "helpers.scenarios.scenario_weights": ex(scenario_id="factory_mes"),
    "helpers.scenarios.scenario_facts": ex(scenario_id="factory_mes"),
    "helpers.scenarios.scenario_card": ex(scenario_id="factory_mes"),
    "helpers.scenarios.decision_weights": ex(row_id="row2"),
    "helpers.scenarios_views.ranking_chart": Example(dict(weights=dict(WEIGHTS))),
    "helpers.scenarios_views.breakdown_table": Example(dict(weights=dict(WEIGHTS), option="hybrid")),
    "helpers.scenarios_views.sweep_chart": ex(scenario_id="factory_mes", criterion="budget"),
    "helpers.scenarios_views.card_html": ex(scenario_id="factory_mes"),
    "helpers.scenarios_checks.check_registration_site": ex(answer=None),
    "helpers.scenarios_checks.check_imaging_archive": ex(answer=None),
    "helpers.scenarios_checks.check_article_row": ex(answer=None),
    "helpers.scenarios_checks.check_smallest_nudge": ex(answer=None),
    "helpers.scenarios_checks.check_vmware_margin": ex(answer=None),
    # --- helpers.trends, trends_views (chapter 8) ------------------------------------------------------------
    "helpers.trends.startup_figure": ex(startup_id="firecracker-boot"),
    "helpers.trends.cold_start_shares": ex(rates_per_s=[0.01, 1.0], keep_alive_s=600.0, handler_s=0.1),
    "helpers.trends.cold_start_share": ex(rate_per_s=0.01, keep_alive_s=600.0, handler_s=0.1),
    "helpers.trends.latency_quantile": ex(quantile=0.99, cold_share=0.02, handler_s=0.1, cold_start_s=0.25),
    "helpers.trends.cold_start_summary": ex(rate_per_s=0.01, keep_alive_s=600.0, handler_s=0.1, cold_start_s=0.25,
                                            cold_start_low_s=0.1, cold_start_high_s=0.8),
    "helpers.trends.rate_for_cold_share": ex(target_share=0.01, keep_alive_s=600.0, handler_s=0.1),
    "helpers.trends.prewarmed_needed": ex(target_share=0.01, rate_per_s=0.1, keep_alive_s=60.0, handler_s=0.3,
                                          burst=3),
    "helpers.trends_views.format_seconds": ex(seconds=0.242),
    "helpers.trends_views.format_rate": ex(rate_per_s=0.01),
    "helpers.trends_views.cold_start_view": ex(cold_start="lambda-cold-2023-small", rate=1 / 60, keep_alive_min=10.0,
                                               handler_ms=100.0, prewarmed=0.0, burst=1.0),
    "helpers.trends_views.check_cold_share_by_hand": ex(answer=None),
    "helpers.trends_views.check_p99_rate": ex(answer=None),
    "helpers.trends_views.check_prewarmed_for_burst": ex(answer=None),
    "helpers.trends_views.check_worst_case_platform": ex(answer=None),
    "helpers.trends_views.convergence_chart": ex(max_startup_s=1.0, max_entry_points=10, judged_by="slowest"),
    "helpers.trends_views.convergence_view": Example(dict(max_startup_s=1.0, max_entry_points=10,
                                                          judged_by="fastest"), kinds={"max_entry_points": "integer"}),
    "helpers.trends.platforms_within": Example(dict(max_startup_s=1.0, max_entry_points=10, judged_by="slowest"),
                                               kinds={"max_entry_points": "integer"}),
    "helpers.trends_views.check_utilisation_growth": ex(answer=None),
    "helpers.trends.utilisation_growth": ex(slack_before=0.46, slack_after=0.23),
}

# --- helpers/teacher_guide.py: a small guide section, a one-control panel, a one-exercise chapter ---------------
import nbformat  # noqa: E402

from helpers.widgets import LivePanel, Slider, View  # noqa: E402

GUIDE_SECTION = """## 05 · Cost

### Plan: 25 minutes

| minutes | activity | on the projector |
|---|---|---|
| 10 | one | a |
| 15 | two | b |

**Demonstration 1: a share** (`share_panel()`)

1. Set **Share** = `0.3`. Shows: “share 0.3”.

### Common misconceptions

- "Electricity dominates." It does not. (§ What matters most: sensitivity)
"""
GUIDE_PANEL = LivePanel([Slider("share", "Share", 0.0, 1.0, 0.1, 0.5, "share")],
                        lambda share: View(text=f"share {share:.1f}"))
GUIDE_CHAPTER = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_markdown_cell("## Exercises\n\n**1. Twice 21?** Compute it."),
    nbformat.v4.new_code_cell("answer = None  # a number\ncheck_double(answer)"),
    nbformat.v4.new_markdown_cell("<details><summary>Solution (open it after you have tried)</summary>\n\n```python\n"
                                  "answer = 42\nassert check_double(answer)\n```\n\nTwice 21 is 42, as stated.\n"
                                  "</details>", metadata={"tags": ["solution"]}),
])
GUIDE_BLOCK = "<!-- exercises:99_probe begin -->\nold\n<!-- exercises:99_probe end -->"
EXAMPLES.update({
    "helpers.teacher_guide.chapter_sections": Example(dict(text=GUIDE_SECTION), text=("text",)),
    "helpers.teacher_guide.session_plan": Example(dict(section=GUIDE_SECTION), text=("section",)),
    "helpers.teacher_guide.demonstrations": Example(dict(section=GUIDE_SECTION), text=("section",)),
    "helpers.teacher_guide.misconceptions": Example(dict(section=GUIDE_SECTION), text=("section",)),
    # accepts value_str: a setting is written as text ("1" is a value the Share slider takes)
    "helpers.teacher_guide.resolve_settings": Example(dict(panel=GUIDE_PANEL, settings={"Share": "0.3"}),
                                                      kinds={"panel": "object"}, accepts={"settings": {"value_str"}}),
    "helpers.teacher_guide.panel_output": Example(dict(panel=GUIDE_PANEL), kinds={"panel": "object"}),
    # accepts str and list: an answer may be text or a list of values
    "helpers.teacher_guide.format_answer": Example(dict(value=0.5395), kinds={"value": "number"},
                                                   accepts={"value": {"str", "list", "junk"}}),
    "helpers.teacher_guide.exercise_block": Example(dict(notebook=GUIDE_CHAPTER, name="99_probe.ipynb", answers=[42.0]),
                                                    kinds={"notebook": "mapping", "answers": "series"},
                                                    text=("name",), accepts={"answers": {"nested", "bad_item"}}),
    # accepts: an exercise's answer may be text or itself a list (e.g. the mnemonics of chapter 1's exercise 1)
    "helpers.teacher_guide.exercise_blocks_in": Example(dict(text=GUIDE_BLOCK), text=("text",)),
    "helpers.teacher_guide.replace_exercise_block": Example(
        dict(text=GUIDE_BLOCK, block="<!-- exercises:99_probe begin -->\nnew\n<!-- exercises:99_probe end -->"),
        text=("text", "block")),
})
EXAMPLES.update(ASSIGNMENT_EXAMPLES)

# ------------------------------------------------------------------ classroom (issue 13) and web edition (issue 12)
_CLASSROOM_HOME = Path(tempfile.mkdtemp(prefix="vm-vs-cloud-classroom-example-"))
_NAME_PARAMETER = {"parameter": "text"}


def _example_panel():
    from helpers.architecture_views import density_panel

    return density_panel()


EXAMPLES.update({
    "helpers.classroom.check_username": Example(dict(name="alice"), kinds={"name": "text", **_NAME_PARAMETER},
                                                reports={"name": "students"}),
    "helpers.classroom.parse_roster": Example(dict(text="alice, bob\ncarol  # a comment"),
                                              text=("text",), kinds=_NAME_PARAMETER, reports={"text": "roster"}),
    "helpers.classroom.account_name": Example(dict(student="alice"), text=("student",)),
    "helpers.classroom.copy_course": Example(dict(home=_CLASSROOM_HOME), kinds={"home": "path", "source": "path"}),
    "helpers.classroom.nbgitpuller_link": Example(dict(hub="https://hub.example.org", repo="https://github.com/o/r"),
                                                  text=("hub", "repo", "branch", "folder")),
    "helpers.classroom.binder_link": Example(dict(owner_repo="owner/name"), text=("owner_repo", "ref")),
    "helpers.web_edition.chart_html": Example(dict(chart_or_spec=FINISHED), kinds={"chart_or_spec": "chart"}),
    "helpers.web_edition.live_line": ex(chapter="05_cost"),
    "helpers.web_edition.panel_html": Example(dict(panel=_example_panel()), kinds={"panel": "object"}),
})

EXAMPLES["helpers.data.panel_parameter_columns"] = Example(dict(argument_of="compare_setups"), text=("argument_of",))
