"""Charts, live panels and exercise checks for chapter 05 (cost).

Every chart is built from :mod:`helpers.cost` and finished with
:func:`helpers.charts.finish`: its title states the finding, the line under it
names the data and the model. Panels redraw through the same builders, so what
a student sees in a panel is exactly what the model computes.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from . import cost
from .charts import INK, finish, option_colors, tornado_chart
from .exercises import CheckResult, check_choice, check_number
from .validation import require_fraction
from .widgets import LivePanel, Slider, View

__all__ = [
    "COST_SOURCE", "PARAMETER_LABELS", "cost_curves_chart", "cost_components_chart", "double11_chart",
    "double11_demand_chart", "tornado", "cost_panel", "double11_panel", "panel_table",
    "check_vcpu_month_price", "check_break_even_expensive_power", "check_double11_saving", "check_billing_saving",
    "check_cheapest_option",
]

COST_SOURCE = "data/cost_assumptions.csv, power_curve.csv (SPECpower), cloud_prices.csv; see data/cost_notes.md"
OPTION_LABELS = list(cost.OPTIONS)
COMPONENT_COLORS = option_colors(list(cost.COMPONENTS))
FLEET_VMS = cost.DEFAULT_FLEET_VMS  # the panel's fleet: 960 m5.large-sized VMs = 5 hosts at 192 VMs per host

#: Human-readable names of the model's parameters (charts, sliders, tables).
PARAMETER_LABELS = {
    "server_price_usd": "Server price", "server_lifetime_years": "Server lifetime",
    "network_capex_fraction": "Network gear (share of server price)", "facility_usd_per_w": "Facility cost per watt",
    "facility_lifetime_years": "Facility lifetime", "pue": "PUE (facility / IT energy)",
    "electricity_usd_per_kwh": "Electricity price", "storage_usd_per_gb_month": "On-prem storage price",
    "admin_salary_usd_per_year": "Administrator salary", "admin_overhead_factor": "Employer overhead on salary",
    "servers_per_admin": "Servers per administrator", "vms_per_host": "VMs per host",
    "on_demand_usd_per_hour": "On-demand price", "savings_plan_discount": "Savings-plan discount",
    "savings_plan_term_years": "Savings-plan term", "spot_discount": "Spot discount",
    "spot_interruption_rate": "Spot interruption rate", "spot_lost_work_fraction": "Work lost per spot interruption",
    "cloud_storage_usd_per_gb_month": "Cloud storage price", "storage_gb_per_instance": "Storage per VM",
    "billing_minimum_s": "Billing minimum",
}


def _percent(share: float) -> str:
    """A share (0-1) as a percentage with one decimal, e.g. 0.0753 -> "7.5 %".

    Every title, subtitle, marker label and panel sentence uses this, so the charts show the same
    figures as the notebook's printed break-evens (formatted ``:.1%``) and its prose.
    """
    return f"{share * 100:.1f} %"


def _break_even_title(break_even: float) -> str:
    if math.isnan(break_even):
        return "Renting on demand is cheaper at every utilisation"
    return f"Owning wins above {_percent(break_even)} average utilisation"


def cost_curves_chart(*, utilization: float | None = None, capacity_instances: float = FLEET_VMS,
                      horizon_years: float | None = None, **parameters) -> alt.VConcatChart:
    """Monthly cost of each option against average utilisation, with the break-even (vs on-demand) marked.

    ``utilization`` (0-1), if given, is drawn as a dashed rule. Other keywords are model
    parameters (see :func:`helpers.cost.cost_curves`). Two datasets: the curves (utilization,
    option, cost_usd_per_month), evaluated at the power curve's load steps where the costs
    are exactly piecewise linear, and the markers (kind = "break-even" or "you",
    utilization, cost_usd_per_month, label; no break-even row when owning never wins).
    """
    if utilization is not None:
        require_fraction("utilization", utilization)
    knots = cost.power_curve()["load_pct"].to_numpy(float) / 100  # the costs are linear between these
    curves = cost.cost_curves(knots, capacity_instances=capacity_instances, horizon_years=horizon_years,
                              **parameters)
    break_even = {against: cost.break_even_utilization(against=against, capacity_instances=capacity_instances,
                                                       horizon_years=horizon_years, **parameters)
                  for against in cost.CLOUD_OPTIONS}
    main = break_even[cost.ON_DEMAND]
    markers = []
    if not math.isnan(main):
        owned = curves[curves["option"] == cost.ON_PREMISES]
        cost_at = float(np.interp(main, owned["utilization"], owned["cost_usd_per_month"]))
        markers.append({"kind": "break-even", "utilization": main, "cost_usd_per_month": cost_at,
                        "label": f"break-even {_percent(main)}"})
    if utilization is not None:
        markers.append({"kind": "you", "utilization": float(utilization),
                        "cost_usd_per_month": float(curves["cost_usd_per_month"].max()),
                        "label": f"you: {_percent(utilization)}"})
    marks = pd.DataFrame(markers, columns=["kind", "utilization", "cost_usd_per_month", "label"])
    lines = alt.Chart(curves).mark_line().encode(
        x=alt.X("utilization:Q", title="Average utilisation (mean demand / provisioned capacity)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("cost_usd_per_month:Q", title="Cost (USD per month)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("option:N", scale=option_colors(OPTION_LABELS), title="Option"),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("utilization:Q", format=".1%"),
                 alt.Tooltip("cost_usd_per_month:Q", format="$,.0f")],
    )
    marker_style = alt.Scale(domain=["break-even", "you"], range=[[1, 0], [5, 4]])
    rules = alt.Chart(marks).mark_rule(color=INK, strokeWidth=1.5).encode(
        x=alt.X("utilization:Q"), strokeDash=alt.StrokeDash("kind:N", scale=marker_style, legend=None))
    labels = alt.Chart(marks).mark_text(align="left", dx=6, dy=-8, fontWeight="bold").encode(
        x=alt.X("utilization:Q"), y=alt.Y("cost_usd_per_month:Q"), text=alt.Text("label:N"))
    others = ", ".join(f"{name} {_percent(value) if not math.isnan(value) else 'never'}"
                       for name, value in break_even.items() if name != cost.ON_DEMAND)
    subtitle = (f"Fleet provisioned for {capacity_instances:,.0f} VMs (m5.large size). Break-even against "
                f"{others}.")
    return finish(alt.layer(lines, rules, labels), title=_break_even_title(main), subtitle=subtitle,
                  source=COST_SOURCE, model="helpers.cost.cost_curves, helpers.cost.break_even_utilization")


def cost_components_chart(costs: pd.DataFrame | None = None, *, utilization: float = 0.3,
                          capacity_instances: float = FLEET_VMS, **parameters) -> alt.VConcatChart:
    """Stacked bars of monthly cost by option and component.

    ``costs`` is a tidy table from :func:`helpers.cost.monthly_cost_by_option` or
    :func:`helpers.cost.costs_at_utilization`; if omitted, the fleet at ``utilization`` is used.
    """
    if costs is None:
        require_fraction("utilization", utilization)
        costs = cost.costs_at_utilization(utilization, capacity_instances=capacity_instances, **parameters)
        context = f"{capacity_instances:,.0f}-VM fleet at {_percent(utilization)} average utilisation"
    else:
        context = "the demand profile given"
    table = cost.cost_table(costs)
    totals = table.set_index("option")["total_usd_per_month"]
    cheapest = totals.idxmin()
    data = costs[["option", "component", "cost_usd_per_month"]]
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("option:N", sort=OPTION_LABELS, title=None),
        x=alt.X("sum(cost_usd_per_month):Q", title="Cost (USD per month)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("component:N", scale=COMPONENT_COLORS, title="Component", sort=list(cost.COMPONENTS)),
        order=alt.Order("component_order:Q"),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("component:N"),
                 alt.Tooltip("cost_usd_per_month:Q", format="$,.0f")],
    ).transform_calculate(
        component_order=f"indexof({list(cost.COMPONENTS)!r}, datum.component)"
    ).properties(height=alt.Step(34))
    title = (f"{cheapest.capitalize()} is cheapest: ${totals[cheapest]:,.0f} per month vs "
             f"${totals[cost.ON_DEMAND]:,.0f} on demand")
    subtitle = f"Monthly cost by component for {context}."
    if cheapest == cost.SPOT:
        runner_up = totals.drop(cost.SPOT).idxmin()
        subtitle += (f" Spot suits only work that tolerates interruptions; next: {runner_up} "
                     f"${totals[runner_up]:,.0f}.")
    return finish(bars, title=title, subtitle=subtitle, source=COST_SOURCE,
                  model="helpers.cost.monthly_cost_by_option")


def double11_demand_chart(**case_arguments) -> alt.VConcatChart:
    """The assumed shop's year, one point per day: daily peak and mean instances (365 x 2 rows)."""
    demand = cost.double11_demand(**case_arguments)
    days = demand.reshape(-1, 24)
    daily = pd.DataFrame({"day": pd.date_range("2025-01-01", periods=days.shape[0], freq="D"),
                          "daily peak": days.max(axis=1), "daily mean": days.mean(axis=1)})
    long = daily.melt(id_vars="day", var_name="series", value_name="instances")
    chart = alt.Chart(long).mark_line(strokeWidth=1.5).encode(
        x=alt.X("day:T", title="Day of the (assumed) year", axis=alt.Axis(format="%b")),
        y=alt.Y("instances:Q", title="Instances (VMs)"),
        color=alt.Color("series:N", scale=option_colors(["daily peak", "daily mean"]), title=None),
        tooltip=[alt.Tooltip("day:T", format="%d %b"), alt.Tooltip("series:N"),
                 alt.Tooltip("instances:Q", format=",.0f")],
    )
    arguments = {name: value for name, (value, _, _) in cost.DOUBLE11_ASSUMPTIONS.items()}
    arguments.update(case_arguments)
    multiplier, days = arguments["peak_multiplier"], int(arguments["peak_days"])
    ratio = demand.max() / demand.mean()
    return finish(chart, title=f"During the {days}-day sale demand is {multiplier:g}x normal",
                  subtitle=(f"Synthetic demand of an ASSUMED shop (seeded); the article gives no fleet size. The "
                            f"busiest hour is {ratio:.1f}x the year's average because the daily cycle (+"
                            f"{_percent(arguments['daily_swing_fraction'])} at 14:00) and noise come on top of the "
                            f"{multiplier:g}x."),
                  source="assumptions in helpers.cost.DOUBLE11_ASSUMPTIONS", model="helpers.cost.double11_demand")


def double11_chart(**case_arguments) -> alt.VConcatChart:
    """Annual cost of the four strategies for the assumed Double-11 shop, stacked by component."""
    case = cost.double11_case(**case_arguments)
    totals = case.attrs["totals_usd_per_year"]
    strategies = list(totals)
    bars = alt.Chart(case).mark_bar().encode(
        y=alt.Y("strategy:N", sort=strategies, title=None),
        x=alt.X("sum(cost_usd_per_year):Q", title="Cost (USD per year)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("component:N", scale=COMPONENT_COLORS, title="Component", sort=list(cost.COMPONENTS)),
        tooltip=[alt.Tooltip("strategy:N"), alt.Tooltip("component:N"),
                 alt.Tooltip("cost_usd_per_year:Q", format="$,.0f")],
    ).properties(height=alt.Step(34))
    best = min(totals, key=totals.get)
    title = (f"'{best.capitalize()}' costs ${totals[best] / 1e3:,.0f}k a year vs "
             f"${totals['own for the peak'] / 1e3:,.0f}k owning for the peak")
    subtitle = (f"Assumed shop: peak {case.attrs['peak_instances']:,} VMs, mean {case.attrs['mean_instances']:,.0f}. "
                f"Hardware not bought: ${case.attrs['hardware_not_bought_usd'] / 1e6:.2f}M (article: $1.2M); "
                f"savings-plan saving ${case.attrs['savings_plan_saving_usd_per_year'] / 1e3:,.0f}k/yr "
                f"(article: $850k).")
    return finish(bars, title=title, subtitle=subtitle, source=COST_SOURCE + "; shop = assumptions",
                  model="helpers.cost.double11_case")


def tornado(*, output: str = "break_even_utilization", against: str = cost.ON_DEMAND) -> alt.VConcatChart:
    """Tornado chart of the one-at-a-time sensitivity (each parameter at its sourced low and high).

    Parameters are shown by their readable names (:data:`PARAMETER_LABELS`). For the break-even,
    an end where owning never beats renting has no break-even: its bar is capped at 100 % and the
    parameter's label says "never"; the title and subtitle say so too.
    """
    table = cost.sensitivity(output=output, against=against)
    baseline = table.attrs["baseline"]
    top = table.iloc[0]
    label = PARAMETER_LABELS[top["parameter"]]
    if output == "break_even_utilization":
        shown = table.assign(low_result=table["low_result"] * 100, high_result=table["high_result"] * 100)
        never = {}
        for row in table.itertuples():
            ends = [end for end, value in (("low", row.low_value), ("high", row.high_value))
                    if math.isnan(cost.break_even_utilization(against=against, **{row.parameter: value}))]
            never[row.parameter] = ends
        shown["parameter"] = [PARAMETER_LABELS[name] + (f" ({' and '.join(never[name])}: never, bar capped at 100 %)"
                                                        if never[name] else "") for name in table["parameter"]]
        value_title = f"Utilisation above which owning beats {against} (%)"

        def ends_text(end, value, result):
            text = "never" if end in never[top["parameter"]] else _percent(result)
            return f"{text} at {value:,g}"

        title = (f"{label} moves the break-even most: {ends_text('low', top['low_value'], top['low_result'])}, "
                 f"{ends_text('high', top['high_value'], top['high_result'])}")
        baseline_shown = baseline * 100
    else:
        shown = table.assign(parameter=[PARAMETER_LABELS[name] for name in table["parameter"]])
        value_title = f"Saving from owning vs {against} (USD per month)"
        title = f"{label} moves the saving most: ${top['low_result']:,.0f} to ${top['high_result']:,.0f}"
        baseline_shown = baseline
    return tornado_chart(shown[["parameter", "low_result", "high_result"]], baseline=baseline_shown,
                         value_title=value_title, title=title, source=COST_SOURCE,
                         model="helpers.cost.sensitivity")


# ---------------------------------------------------------------------------------------------------------
# Live panels
# ---------------------------------------------------------------------------------------------------------
PANEL_PARAMETERS = ("server_price_usd", "electricity_usd_per_kwh", "pue", "savings_plan_discount",
                    "savings_plan_term_years", "spot_discount", "servers_per_admin", "vms_per_host")
_PANEL_STEPS = {"server_price_usd": 1000, "electricity_usd_per_kwh": 0.001, "pue": 0.01, "savings_plan_discount": 0.01,
                "savings_plan_term_years": 2, "spot_discount": 0.01, "servers_per_admin": 10, "vms_per_host": 8}


def _parameter_slider(name: str, table: pd.DataFrame | None = None) -> Slider:
    """A slider for a model parameter, bounded by its sourced low/high in cost_assumptions.csv."""
    row = (cost.cost_parameters() if table is None else table).loc[name]
    return Slider(name, PARAMETER_LABELS[name], float(row["low"]), float(row["high"]), _PANEL_STEPS[name],
                  float(row["default"]), str(row["unit"]), f"{row['kind']}: {row['source']}")


def _cost_sliders() -> list[Slider]:
    """Sliders bounded by the sourced low/high of cost_assumptions.csv (plus utilisation and horizon)."""
    table = cost.cost_parameters()
    return [
        Slider("utilization", "Average utilisation", 0.0, 1.0, 0.01, 0.3, "share",
               "Mean demand / provisioned capacity (0-1)"),
        *(_parameter_slider(name, table) for name in PANEL_PARAMETERS),
        Slider("horizon_years", "Horizon", 1, 6, 1, int(table.loc["server_lifetime_years", "default"]), "years",
               "Years you will run the fleet; servers are paid in full, savings plans per term"),
    ]


def panel_table(utilization: float, *, capacity_instances: float = FLEET_VMS, **parameters) -> pd.DataFrame:
    """The panel's table: monthly cost by option and component at ``utilization`` (USD per month)."""
    table = cost.cost_table(cost.costs_at_utilization(utilization, capacity_instances=capacity_instances,
                                                      **parameters))
    return table.rename(columns=lambda c: c.replace("_usd_per_month", " ($/month)"))


def _render_cost_panel(*, utilization: float, horizon_years: float, **parameters) -> View:
    chart = cost_curves_chart(utilization=utilization, horizon_years=horizon_years, **parameters)
    table = panel_table(utilization, horizon_years=horizon_years, **parameters)
    totals = table.set_index("option")["total ($/month)"]
    break_even = cost.break_even_utilization(horizon_years=horizon_years, **parameters)
    where = "never" if math.isnan(break_even) else f"above {_percent(break_even)}"
    text = (f"At {_percent(utilization)} utilisation the cheapest option is <b>{totals.idxmin()}</b> "
            f"(${totals.min():,.0f} per month for {FLEET_VMS} VMs of capacity); owning beats on-demand {where}.")
    return View(chart=chart, table=table, text=text)


def cost_panel() -> LivePanel:
    """Live panel: sliders for utilisation, prices, PUE, discounts, staffing, density and horizon.

    Redraws the cost curves (break-even marked), a sentence and a table of monthly cost by option.
    """
    return LivePanel(_cost_sliders(), _render_cost_panel,
                     title=f"Owning vs renting a fleet of {FLEET_VMS} VMs (m5.large size)")


def _render_double11_panel(*, peak_multiplier: float, peak_days: float, normal_instances: float,
                           server_price_usd: float, savings_plan_discount: float) -> View:
    arguments = dict(peak_multiplier=peak_multiplier, peak_days=int(peak_days), normal_instances=normal_instances,
                     server_price_usd=server_price_usd, savings_plan_discount=savings_plan_discount)
    case = cost.double11_case(**arguments)
    totals = pd.Series(case.attrs["totals_usd_per_year"], name="cost ($/year)").rename_axis("strategy").reset_index()
    text = (f"Hardware not bought: <b>${case.attrs['hardware_not_bought_usd']:,.0f}</b> "
            f"({case.attrs['hosts_peak'] - case.attrs['hosts_base']} servers); savings-plan saving "
            f"<b>${case.attrs['savings_plan_saving_usd_per_year']:,.0f}</b> per year. The article claims $1,200,000 "
            f"and $850,000.")
    return View(chart=double11_chart(**arguments), table=totals, text=text)


def double11_panel() -> LivePanel:
    """Live panel for the Double-11 case: the shop's (assumed) size and peak, server price, discount."""
    sliders = [
        Slider("normal_instances", "Normal demand", 100, 4000, 50, 500, "VMs",
               "ASSUMPTION: average VMs outside the sale"),
        Slider("peak_multiplier", "Sale peak", 2, 10, 0.5, 5, "x normal", "ASSUMPTION: demand during the sale"),
        Slider("peak_days", "Sale length", 1, 30, 1, 3, "days", "ASSUMPTION: days at the peak"),
        *(_parameter_slider(name) for name in ("server_price_usd", "savings_plan_discount")),
    ]
    return LivePanel(sliders, _render_double11_panel, title="Double 11: owning for the peak vs renting it")


# ---------------------------------------------------------------------------------------------------------
# Exercise checks: expected values come from the model
# ---------------------------------------------------------------------------------------------------------
VCPU_MONTH_EXERCISE = {"instance_type": "m5.large", "region": "eu-central-1"}


def check_vcpu_month_price(answer) -> CheckResult:
    """Exercise: what one vCPU of an m5.large in Frankfurt (eu-central-1) costs per month (730 h), USD."""
    table = cost.cloud_price_table()
    row = table[(table["instance_type"] == VCPU_MONTH_EXERCISE["instance_type"])
                & (table["region"] == VCPU_MONTH_EXERCISE["region"])].iloc[0]
    expected = float(row["usd_per_vcpu_hour"]) * cost.HOURS_PER_MONTH
    return check_number(answer, expected, what="the Frankfurt m5.large price per vCPU-month", unit="USD",
                        rel_tol=0.01, hint="find the row in cloud_price_table(), divide the hourly price by the vCPUs "
                                           "and multiply by 730 hours.")


EXPENSIVE_POWER = {"electricity_usd_per_kwh": "high", "pue": "high"}


def _expensive_power_parameters() -> dict[str, float]:
    table = cost.cost_parameters()
    return {name: float(table.loc[name, column]) for name, column in EXPENSIVE_POWER.items()}


def check_break_even_expensive_power(answer) -> CheckResult:
    """Exercise: break-even utilisation vs on-demand (0-1) with the highest electricity price and PUE."""
    expected = cost.break_even_utilization(**_expensive_power_parameters())
    return check_number(answer, expected, what="the break-even utilisation with Hawaii power in a legacy room",
                        abs_tol=0.002, rel_tol=0.0,
                        hint="set electricity and PUE to their high values (cost_parameters()); answer as a share "
                             "such as 0.25, not 25.")


DOUBLE11_EXERCISE = {"peak_days": 10}


def check_double11_saving(answer) -> CheckResult:
    """Exercise: yearly saving (USD) of 'own the base, rent the peak' over 'own for the peak' with a 10-day sale."""
    totals = cost.double11_case(**DOUBLE11_EXERCISE).attrs["totals_usd_per_year"]
    expected = totals["own for the peak"] - totals["own the base, rent the peak"]
    return check_number(answer, expected, what="the yearly saving of owning the base and renting the peak",
                        unit="USD", rel_tol=0.01,
                        hint="run double11_case(peak_days=10) and subtract the two strategies' totals "
                             "(.attrs['totals_usd_per_year']).")


BILLING_EXERCISE = {"runs_per_day": 2000, "run_s": 420, "days": 30}


def check_billing_saving(answer) -> CheckResult:
    """Exercise: USD per 30-day month saved by per-second billing for 2,000 seven-minute runs a day."""
    runs = BILLING_EXERCISE["runs_per_day"] * BILLING_EXERCISE["days"]
    bills = cost.billing_comparison(np.full(runs, BILLING_EXERCISE["run_s"]),
                                    cost.default_parameters()["on_demand_usd_per_hour"])
    expected = float(bills["cost_usd"].iloc[0] - bills["cost_usd"].iloc[1])
    return check_number(answer, expected, what="the monthly saving from per-second billing", unit="USD",
                        rel_tol=0.01, hint="billing_comparison() with 60,000 runs of 420 s; subtract the two bills.")


def check_cheapest_option(answer, utilization: float = 0.1) -> CheckResult:
    """Panel question: the cheapest option at ``utilization`` with every other parameter at its default."""
    share = require_fraction("utilization", utilization)
    table = cost.cost_table(cost.costs_at_utilization(share, capacity_instances=FLEET_VMS))
    expected = str(table.set_index("option")["total_usd_per_month"].idxmin())
    return check_choice(answer, expected, options=cost.OPTIONS, what=f"the cheapest option at {_percent(share)}",
                        hint="set the utilisation slider and read the table's total column.")
