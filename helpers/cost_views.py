"""Charts and live panels for chapter 05 (cost); the exercise checks are in :mod:`helpers.cost_checks`.

Every chart is built from :mod:`helpers.cost` and finished with
:func:`helpers.charts.finish`: its title states the finding, the line under it
names the data and the model. Panels redraw through the same builders, so what
a student sees in a panel is exactly what the model computes. Charts keep their
plotting area at most 460 px wide and their legends below, so they fit a laptop
(1280x800 with the file browser open) and a projector (1024x768 at 125 %).
"""

from __future__ import annotations

import math
import textwrap

import altair as alt
import numpy as np
import pandas as pd

from . import cost
from .charts import INK, MUTED, finish, option_colors
from .validation import require_choice, require_fraction, require_integer, require_number
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "COST_SOURCE", "PARAMETER_LABELS", "COMPONENT_COLORS", "usd", "percent", "number", "cost_curves_chart",
    "cost_components_chart", "break_even_walk_chart", "tornado", "saving_tornado", "double11_chart",
    "double11_demand_chart", "cost_panel", "double11_panel", "panel_table", "presets_table", "preset_values_table",
    "walk_table", "sensitivity_table", "parameters_table", "double11_assumptions_table", "price_ratio_table",
]

COST_SOURCE = ("data/cost_assumptions.csv, cost_presets.csv, cost_servers.csv, power_curve.csv (SPECpower), "
               "cloud_prices.csv; see data/cost_notes.md")
OPTION_LABELS = list(cost.OPTIONS)
FLEET_VMS = cost.DEFAULT_FLEET_VMS  # the panel's fleet: 960 m5.large-sized VMs = 5 hosts at 192 VMs per host
#: Plot widths in px (the y-axis labels and the legend below come on top; all stay under ~520 px).
WIDE, NARROW = 440, 300

#: Short, readable names of the model's parameters (charts, sliders, tables): 22 characters at most.
PARAMETER_LABELS = {
    "server_price_usd": "Server price", "server_lifetime_years": "Server lifetime",
    "network_capex_fraction": "Network gear share", "facility_usd_per_w": "Facility build cost",
    "facility_lifetime_years": "Facility lifetime", "facility_opex_usd_per_kw_month": "Facility operations",
    "pue": "PUE", "electricity_usd_per_kwh": "Electricity price", "vm_cpu_utilization": "VM CPU use",
    "storage_usd_per_gb_month": "On-prem storage price", "admin_salary_usd_per_year": "Admin salary",
    "admin_overhead_factor": "Employer overhead", "servers_per_admin": "Servers per admin",
    "vms_per_host": "VMs per host", "licence_usd_per_core_year": "Hypervisor licence",
    "licence_min_cores_per_cpu": "Licence core minimum", "spare_hosts": "Spare hosts",
    "cost_of_capital": "Cost of capital", "post_warranty_support_fraction": "Support after warranty",
    "on_demand_usd_per_hour": "On-demand price", "savings_plan_discount_1y": "1-year plan discount",
    "savings_plan_discount_3y": "3-year plan discount", "savings_plan_term_years": "Plan term",
    "spot_discount": "Spot discount", "spot_interruption_rate": "Spot interruptions",
    "spot_job_hours": "Spot job length", "cloud_storage_usd_per_gb_month": "Cloud storage price",
    "storage_gb_per_instance": "Storage per VM", "egress_usd_per_gb": "Egress price",
    "egress_gb_per_vm_month": "Egress per VM", "billing_minimum_s": "Billing minimum",
}
#: One colour per cost component (Okabe-Ito, plus three dark colours of Paul Tol's palette for 11 components).
COMPONENT_PALETTE = {
    "capital": "#0072B2", "interest": "#56B4E9", "licence": "#D55E00", "support": "#CC79A7",
    "facility ops": "#999999", "spare hosts": "#882255", "energy": "#E69F00", "staff": "#009E73",
    "storage": "#999933", "compute": "#332288", "egress": "#44AA99",
}
COMPONENT_COLORS = alt.Scale(domain=list(COMPONENT_PALETTE), range=list(COMPONENT_PALETTE.values()))


#: Characters per line of titles (15 px bold), subtitles (12 px) and the source line (10 px), so that each stays
#: under ~500 px: a projector shows about 640 px of output at 1024x768 and 125 %.
TITLE_CHARS, SUBTITLE_CHARS, SOURCE_CHARS = 58, 82, 68


def _finish(chart: alt.TopLevelMixin, *, title: str, source: str, model: str,
            subtitle: str | list[str] | None = None) -> alt.VConcatChart:
    """:func:`helpers.charts.finish`, with the title and subtitle wrapped into short lines and the source line
    re-wrapped to the plot's width, so nothing is cut off on a projector."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    result = finish(chart, title=title, subtitle=" ".join(lines) or None, source=source, model=model)
    wrapped = [part for line in lines for part in textwrap.wrap(line, SUBTITLE_CHARS)]
    heading = textwrap.wrap(title, TITLE_CHARS) if len(title) > TITLE_CHARS else title
    result.title = alt.Title(heading, subtitle=wrapped, lineHeight=19, subtitleLineHeight=15) if wrapped \
        else alt.Title(heading, lineHeight=19)
    parts = getattr(result, "vconcat", None)
    line = parts[-1] if parts else None
    if isinstance(line, alt.Chart) and isinstance(line.data, pd.DataFrame) and list(line.data.columns) == ["line"]:
        text = " ".join(str(line.data["line"].iloc[0]).split("\n"))
        rows = textwrap.wrap(text, SOURCE_CHARS, break_on_hyphens=False)
        narrow = line.copy()
        narrow.data = pd.DataFrame({"line": ["\n".join(rows)]})
        narrow.width, narrow.height = NARROW, 13 * len(rows)
        parts[-1] = narrow
    return result


def usd(amount: float) -> str:
    """Money as a student reads it: "$1,234" (never scientific notation); "-$50" below zero."""
    value = require_number("amount", amount, unit="USD")
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def number(value: float) -> str:
    """A parameter value as text, never in scientific notation: 40,000 / 0.1241 / 5 / 1,000,000."""
    value = require_number("value", value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == 0 or abs(value) >= 1e-4:
        return f"{value:.4g}"
    return f"{value:.8f}".rstrip("0")


def percent(share: float) -> str:
    """A share (0-1) as a percentage with one decimal, e.g. 0.0753 -> "7.5 %"; NaN -> "never".

    Titles, subtitles, marker labels and panel sentences use it, so the charts show the
    same figures as the notebook's printed break-evens (formatted ``:.1%``).
    """
    if isinstance(share, float) and math.isnan(share):
        return "never"
    return f"{require_number('share', share) * 100:.1f} %"


def _text_color(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (relative luminance above 0.4 -> black)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 else "#ffffff"


def _break_even_title(break_even: float) -> str:
    if math.isnan(break_even):
        return "Renting on demand is cheaper at every utilisation"
    return f"Owning wins above {percent(break_even)} average utilisation"


# ---------------------------------------------------------------------------------------------------------
# Cost against utilisation
# ---------------------------------------------------------------------------------------------------------
def cost_curves_chart(*, utilization: float | None = None, capacity_instances: float = FLEET_VMS,
                      horizon_years: float | None = None, **parameters) -> alt.VConcatChart:
    """Monthly cost of each option against average utilisation, with the break-even (vs on-demand) marked.

    ``utilization`` (0-1), if given, is drawn as a dashed rule. Other keywords are model
    parameters (see :func:`helpers.cost.cost_curves`). Two datasets: the curves (utilization,
    option, cost_usd_per_month) at :func:`helpers.cost.utilization_knots`, where the costs are
    exactly piecewise linear, and the markers (kind = "break-even" or "you", utilization,
    cost_usd_per_month, label; no break-even row when owning never wins).
    """
    if utilization is not None:
        require_fraction("utilization", utilization)
    knots = cost.utilization_knots(capacity_instances=capacity_instances, **parameters)
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
                        "label": f"break-even {percent(main)}"})
    if utilization is not None:
        markers.append({"kind": "you", "utilization": float(utilization),
                        "cost_usd_per_month": float(curves["cost_usd_per_month"].max()),
                        "label": f"you: {percent(utilization)}"})
    marks = pd.DataFrame(markers, columns=["kind", "utilization", "cost_usd_per_month", "label"])
    lines = alt.Chart(curves).mark_line().encode(
        x=alt.X("utilization:Q", title="Average utilisation (mean demand / capacity)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("cost_usd_per_month:Q", title="Cost (USD per month)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("option:N", scale=option_colors(OPTION_LABELS), title=None,
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        strokeDash=alt.StrokeDash("option:N", scale=alt.Scale(domain=OPTION_LABELS,
                                                              range=[[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]),
                                  legend=alt.Legend(orient="bottom", direction="horizontal", title=None)),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("utilization:Q", format=".1%"),
                 alt.Tooltip("cost_usd_per_month:Q", format="$,.0f")],
    )
    marks["dash"] = [[1, 0] if kind == "break-even" else [5, 4] for kind in marks["kind"]]
    rules = alt.Chart(marks).mark_rule(color=INK, strokeWidth=1.5).encode(
        x=alt.X("utilization:Q"), strokeDash=alt.StrokeDash("dash:N", scale=None))
    labels = alt.Chart(marks).mark_text(align="left", dx=6, dy=-8, fontWeight="bold").encode(
        x=alt.X("utilization:Q"), y=alt.Y("cost_usd_per_month:Q"), text=alt.Text("label:N"))
    others = ", ".join(f"{name} {percent(value)}" for name, value in break_even.items() if name != cost.ON_DEMAND)
    subtitle = [f"Fleet provisioned for {capacity_instances:,.0f} VMs (m5.large size).",
                f"Break-even against {others}."]
    chart = alt.layer(lines, rules, labels, width=WIDE, height=260)
    return _finish(chart, title=_break_even_title(main), subtitle=subtitle, source=COST_SOURCE,
                  model="helpers.cost.cost_curves, helpers.cost.break_even_utilization")


def _stacked(costs: pd.DataFrame, group: str, value: str) -> pd.DataFrame:
    """Bars stacked in COMPONENTS order, computed here (x0, x1, share of the bar's total), zero parts dropped."""
    summed = costs.groupby([group, "component"], sort=False)[value].sum().reset_index()
    summed = summed[summed[value] > 0].copy()
    summed["order"] = summed["component"].map({c: i for i, c in enumerate(cost.COMPONENTS)})
    summed = summed.sort_values([group, "order"], kind="stable")
    summed["x1"] = summed.groupby(group, sort=False)[value].cumsum()
    summed["x0"] = summed["x1"] - summed[value]
    summed["share"] = summed[value] / summed.groupby(group, sort=False)[value].transform("sum")
    return summed


def _component_bars(costs: pd.DataFrame, *, group: str, order: list[str], value: str, value_title: str,
                    totals: pd.Series) -> alt.LayerChart:
    """Horizontal stacked bars by component with each part's share printed on it and the total at the end."""
    data = _stacked(costs, group, value)
    widest = float(totals.max()) if len(totals) else 1.0
    data["label"] = [f"{share:.0%}" if (x1 - x0) >= 0.07 * widest else ""
                     for share, x0, x1 in zip(data["share"], data["x0"], data["x1"])]
    data["label_color"] = data["component"].map(lambda c: _text_color(COMPONENT_PALETTE[c]))
    present = [c for c in cost.COMPONENTS if c in set(data["component"])]
    scale = alt.Scale(domain=present, range=[COMPONENT_PALETTE[c] for c in present])
    x_scale = alt.Scale(domain=[0, widest * 1.22], nice=False)
    y = alt.Y(f"{group}:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("x0:Q", title=value_title, axis=alt.Axis(format="$,.0f"), scale=x_scale), x2=alt.X2("x1:Q"),
        color=alt.Color("component:N", scale=scale, title=None, sort=present,
                        legend=alt.Legend(orient="bottom", columns=4, symbolType="square")),
        tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("component:N"), alt.Tooltip(f"{value}:Q", format="$,.0f"),
                 alt.Tooltip("share:Q", format=".0%", title="share of the bar")],
    )
    shares = alt.Chart(data).mark_text(fontSize=11).encode(
        y=y, x=alt.XValue(0), text=alt.Text("label:N"), color=alt.Color("label_color:N", scale=None),
    ).transform_calculate(mid="(datum.x0 + datum.x1) / 2").encode(x=alt.X("mid:Q", scale=x_scale))
    ends = pd.DataFrame({group: list(totals.index), "total": totals.to_numpy(float),
                         "text": [usd(v) for v in totals.to_numpy(float)]})
    total_text = alt.Chart(ends).mark_text(align="left", dx=4, fontWeight="bold").encode(
        y=y, x=alt.X("total:Q", scale=x_scale), text=alt.Text("text:N"))
    return alt.layer(bars, shares, total_text).properties(width=WIDE - 60, height=alt.Step(34))


def _owning_breakdown(costs: pd.DataFrame, scale: alt.Scale) -> alt.LayerChart:
    """One bar per owning component with its cost and share of owning, so small parts stay readable."""
    owned = costs[costs["option"] == cost.ON_PREMISES].groupby("component", sort=False)["cost_usd_per_month"].sum()
    owned = owned[owned > 0]
    owned = owned.reindex([c for c in cost.COMPONENTS if c in owned.index])
    data = pd.DataFrame({"component": owned.index, "cost_usd_per_month": owned.to_numpy(float)})
    data["share"] = data["cost_usd_per_month"] / data["cost_usd_per_month"].sum()
    data["text"] = [f"{usd(v)} · {s:.0%}" for v, s in zip(data["cost_usd_per_month"], data["share"])]
    x_scale = alt.Scale(domain=[0, float(data["cost_usd_per_month"].max()) * 1.45], nice=False)
    y = alt.Y("component:N", sort=list(data["component"]), title=None, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("cost_usd_per_month:Q", title="Owning: cost by component (USD per month)", scale=x_scale,
                     axis=alt.Axis(format="$,.0f")),
        color=alt.Color("component:N", scale=scale, legend=None),
        tooltip=[alt.Tooltip("component:N"), alt.Tooltip("cost_usd_per_month:Q", format="$,.0f"),
                 alt.Tooltip("share:Q", format=".0%", title="share of owning")])
    text = alt.Chart(data).mark_text(align="left", dx=4).encode(
        y=y, x=alt.X("cost_usd_per_month:Q", scale=x_scale), text=alt.Text("text:N"))
    return alt.layer(bars, text).properties(width=WIDE - 60, height=alt.Step(20))


def cost_components_chart(costs: pd.DataFrame | None = None, *, utilization: float = 0.3,
                          capacity_instances: float = FLEET_VMS, **parameters) -> alt.VConcatChart:
    """Stacked bars of monthly cost by option and component (each part labelled with its share of the bar), and
    below them what owning pays for, one bar per component with its share of owning.

    ``costs`` is a tidy table from :func:`helpers.cost.monthly_cost_by_option` or
    :func:`helpers.cost.costs_at_utilization` (checked: known options and components, finite
    costs >= 0); if omitted, the fleet at ``utilization`` is used.
    """
    if costs is None:
        require_fraction("utilization", utilization)
        costs = cost.costs_at_utilization(utilization, capacity_instances=capacity_instances, **parameters)
        context = f"{capacity_instances:,.0f}-VM fleet at {percent(utilization)} average utilisation"
    else:
        context = "the demand profile given"
    table = cost.cost_table(costs)  # validates costs
    totals = table.set_index("option")["total_usd_per_month"]
    cheapest = str(totals.idxmin())
    chart = _component_bars(costs, group="option", order=OPTION_LABELS, value="cost_usd_per_month",
                            value_title="Cost (USD per month)", totals=totals)
    if cost.ON_PREMISES in totals.index and totals[cost.ON_PREMISES] > 0:
        present = [c for c in cost.COMPONENTS if c in set(costs.loc[costs["cost_usd_per_month"] > 0, "component"])]
        scale = alt.Scale(domain=present, range=[COMPONENT_PALETTE[c] for c in present])
        chart = alt.vconcat(chart, _owning_breakdown(costs, scale), spacing=14)
    versus = f" vs {usd(totals[cost.ON_DEMAND])} on demand" if cost.ON_DEMAND in totals and cheapest != cost.ON_DEMAND \
        else ""
    title = f"{cheapest.capitalize()} is cheapest: {usd(totals[cheapest])} per month{versus}"
    subtitle = [f"Monthly cost by component for {context}; % = share of each bar."]
    if cheapest == cost.SPOT and len(totals) > 1:
        runner_up = str(totals.drop(cost.SPOT).idxmin())
        subtitle.append(f"Spot suits only work that tolerates interruptions; next: {runner_up} "
                        f"{usd(totals[runner_up])}.")
    return _finish(chart, title=title, subtitle=subtitle, source=COST_SOURCE,
                   model="helpers.cost.monthly_cost_by_option, helpers.cost.cost_table")


# ---------------------------------------------------------------------------------------------------------
# The break-even as a range, with reasons
# ---------------------------------------------------------------------------------------------------------
def _step_label(parameter: str, value: float) -> str:
    """What one step of the walk adds, in words a student reads (e.g. "licence $135/core-yr")."""
    texts = {
        "vm_cpu_utilization": f"power from CPU load ({value:.0%})",
        "cost_of_capital": f"cost of capital {value:.0%}",
        "spare_hosts": f"N+{value:g} spare host{'s' if value != 1 else ''}",
        "post_warranty_support_fraction": f"support after warranty {value:.0%}/yr",
        "facility_opex_usd_per_kw_month": f"facility ops ${value:,.0f}/kW-month",
        "egress_gb_per_vm_month": f"egress {value:,.0f} GB/VM-month",
        "licence_usd_per_core_year": f"licence ${value:,.0f}/core-yr",
    }
    return "+ " + texts.get(parameter, f"{PARAMETER_LABELS.get(parameter, parameter)} {value:g}")


def break_even_walk_chart(*, start: str = cost.PRESETS[0], end: str = cost.PRESETS[-1],
                          against: str = cost.ON_DEMAND) -> alt.VConcatChart:
    """From one preset to another, one owning cost at a time: how far each moves the break-even (a waterfall)."""
    walk = cost.break_even_walk(start=start, end=end, against=against)
    shown = walk["break_even"].fillna(1.0) * 100
    steps = [start] + [_step_label(p, v) for p, v in zip(walk["parameter"][1:], walk["value"][1:])]
    data = pd.DataFrame({"step": steps, "from": np.r_[0.0, shown.to_numpy()[:-1]], "to": shown.to_numpy(),
                         "direction": ["start"] + ["raises it" if c > 0 else "lowers it"
                                                  for c in walk["change"][1:]],
                         "label": [percent(v) for v in walk["break_even"]]})
    colours = alt.Scale(domain=["start", "raises it", "lowers it"], range=[MUTED, "#D55E00", "#0072B2"])
    y = alt.Y("step:N", sort=steps, title=None, axis=alt.Axis(labelLimit=210))
    bars = alt.Chart(data).mark_bar(height=18).encode(
        y=y, x=alt.X("from:Q", title=f"Break-even utilisation against {against} (%)"), x2=alt.X2("to:Q"),
        color=alt.Color("direction:N", scale=colours, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("step:N"), alt.Tooltip("label:N", title="break-even")])
    text = alt.Chart(data).mark_text(align="left", dx=4).encode(y=y, x=alt.X("to:Q"), text=alt.Text("label:N"))
    first, last = walk["break_even"].iloc[0], walk["break_even"].iloc[-1]
    before_licence = walk["break_even"].iloc[-2] if walk["parameter"].iloc[-1] == "licence_usd_per_core_year" \
        else float("nan")
    subtitle = [f"Each bar adds one owning cost the first model left out ({start} -> {end})."]
    if not math.isnan(before_licence):
        subtitle.append(f"Everything but the licence ({cost.DEFAULT_PRESET}): {percent(before_licence)}; "
                        f"the licence adds {(last - before_licence) * 100:.1f} points.")
    return _finish(alt.layer(bars, text).properties(width=NARROW, height=alt.Step(26)),
                  title=f"Counting what owning costs moves the break-even from {percent(first)} to {percent(last)}",
                  subtitle=subtitle, source=COST_SOURCE, model="helpers.cost.break_even_walk")


#: Short units of the parameters the presets set (tables and sliders).
SHORT_UNITS = {"licence_usd_per_core_year": "USD/core-yr", "spare_hosts": "N+k", "cost_of_capital": "per year",
               "post_warranty_support_fraction": "of price/yr", "facility_opex_usd_per_kw_month": "USD/kW-month",
               "vm_cpu_utilization": "share", "egress_gb_per_vm_month": "GB/VM-month"}


#: Short preset names for narrow tables.
PRESET_SHORT = {"minimal (today's model)": "minimal", "open-source KVM": "KVM", "enterprise VMware": "VMware"}


def preset_values_table() -> pd.DataFrame:
    """What each preset sets, one row per parameter ("Hypervisor licence (USD/core-yr)"), one column per preset
    (minimal = today's model, KVM = open-source KVM, VMware = enterprise VMware)."""
    table = cost.preset_table()
    shown = table.drop(columns="unit").rename(columns=PRESET_SHORT)
    shown.index = [f"{PARAMETER_LABELS[name]} ({SHORT_UNITS.get(name, table.loc[name, 'unit'])})"
                   for name in table.index]
    shown.index.name = "Parameter"
    return shown


def walk_table(*, start: str = cost.PRESETS[0], end: str = cost.PRESETS[-1],
               against: str = cost.ON_DEMAND) -> pd.DataFrame:
    """:func:`helpers.cost.break_even_walk` with readable steps: step, break-even (%), change (points)."""
    walk = cost.break_even_walk(start=start, end=end, against=against)
    steps = [start] + [_step_label(p, v) for p, v in zip(walk["parameter"][1:], walk["value"][1:])]
    return pd.DataFrame({"Step": steps, "Break-even (%)": [percent(v) for v in walk["break_even"]],
                         "Change (points)": [f"{c * 100:+.1f}" for c in walk["change"]]}).set_index("Step")


def presets_table() -> pd.DataFrame:
    """The three presets' break-evens against each cloud option, as a labelled table (one row per preset)."""
    table = cost.preset_break_evens()
    shown = pd.DataFrame({"Break-even": table["preset"]})
    for against, header in zip(cost.CLOUD_OPTIONS, ("vs on-demand", "vs plan", "vs spot")):
        shown[header] = [percent(v) for v in table[against]]
    return shown.set_index("Break-even")


def parameters_table():
    """The model's inputs for reading: readable names, default, low, high, unit and kind (a styled table)."""
    table = cost.cost_parameters()
    shown = pd.DataFrame({"Default": table["default"], "Low": table["low"], "High": table["high"],
                          "Unit": table["unit"], "Kind": table["kind"]})
    shown.index = pd.Index([PARAMETER_LABELS[name] for name in table.index], name="Parameter")
    return (shown.style.format(number, subset=["Default", "Low", "High"])
            .set_properties(subset=["Unit"], **{"white-space": "normal", "max-width": "190px", "text-align": "left"})
            .set_properties(subset=["Kind"], **{"text-align": "left"}))


def double11_assumptions_table():
    """The assumed Double-11 shop as a labelled, styled table (every value is an assumption, not the article's)."""
    table = cost.double11_assumptions()
    shown = pd.DataFrame({"Value": table["value"].to_numpy(), "Unit": table["unit"].to_numpy(),
                          "Meaning": table["meaning"].to_numpy()},
                         index=pd.Index(table["assumption"].str.replace("_", " "),
                                        name="Assumption (not the article's)"))
    return (shown.style.format(number, subset=["Value"])
            .set_properties(**{"white-space": "normal", "text-align": "left", "max-width": "230px"}))


def price_ratio_table() -> pd.DataFrame:
    """Reference list prices per vCPU-hour and how many times the article's $3.50 per 核 exceeds them (narrow)."""
    table = cost.cloud_price_table()
    return pd.DataFrame({
        "Instance": table["instance_type"].str.replace(" (original EC2 instance)", " (2006)", regex=False),
        "Region": table["region"], "Model": table["price_model"],
        "USD/vCPU-h": table["usd_per_vcpu_hour"].round(4),
        "x vCPU": table["article_vs_vcpu_price"].round(1), "x core": table["article_vs_core_price"].round(1),
    }).set_index("Instance")


# ---------------------------------------------------------------------------------------------------------
# Sensitivity
# ---------------------------------------------------------------------------------------------------------
def _tornado_layer(table: pd.DataFrame, *, baseline: float, scale_factor: float, value_title: str, fmt: str,
                   domain: list[float] | None = None) -> alt.LayerChart:
    order = [PARAMETER_LABELS[name] for name in table["parameter"]]
    rows = []
    for row in table.itertuples():
        for end, value, result in (("at its low", row.low_value, row.low_result),
                                   ("at its high", row.high_value, row.high_result)):
            rows.append({"parameter": PARAMETER_LABELS[row.parameter], "end": end, "value": number(value),
                         "result": result * scale_factor, "baseline": baseline * scale_factor})
    long = pd.DataFrame(rows)
    x_scale = alt.Scale(domain=domain) if domain else alt.Scale()
    y = alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(long).mark_bar(opacity=0.9).encode(
        y=y, x=alt.X("result:Q", title=value_title, scale=x_scale,
                     axis=alt.Axis(format="$,.0f") if fmt.startswith("$") else alt.Axis()),
        x2=alt.X2("baseline:Q"),
        color=alt.Color("end:N", scale=option_colors(["at its low", "at its high"]), title="Parameter",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("parameter:N"), alt.Tooltip("end:N"), alt.Tooltip("value:N", title="value"),
                 alt.Tooltip("result:Q", format=fmt)])
    rule = alt.Chart(pd.DataFrame({"baseline": [baseline * scale_factor]})).mark_rule(
        color=INK, strokeDash=[4, 3]).encode(x=alt.X("baseline:Q", scale=x_scale))
    return alt.layer(bars, rule).properties(width=NARROW, height=alt.Step(22))


def tornado(*, output: str = "break_even_utilization", against: str = cost.ON_DEMAND, utilization: float = 0.3,
            top: int = 12) -> alt.VConcatChart:
    """Tornado chart of the one-at-a-time sensitivity (each parameter at its sourced low and high).

    Shows the ``top`` widest bars (the rest move the output less; the subtitle says by how
    much at most). For the break-even, an end where owning never beats renting is capped at
    100 % and labelled "never" at the bar's end.
    """
    count = require_integer("top", top, minimum=1, maximum=len(cost.cost_parameters()))
    table = cost.sensitivity(output=output, against=against, utilization=utilization)
    shown, rest = table.head(count), table.iloc[count:]
    baseline, head = table.attrs["baseline"], table.iloc[0]
    label = PARAMETER_LABELS[head["parameter"]]
    if output == "break_even_utilization":
        layer = _tornado_layer(shown, baseline=baseline, scale_factor=100, fmt=".1f",
                               value_title=f"Break-even against {against} (% utilisation)")
        nevers = [{"parameter": PARAMETER_LABELS[r.parameter], "x": 100.0, "text": "never"}
                  for r in shown.itertuples() if r.owning_never_wins]  # that end is capped at 100 %
        if nevers:
            layer = alt.layer(layer, alt.Chart(pd.DataFrame(nevers)).mark_text(align="right", dx=-3, color="#ffffff",
                                                                                fontWeight="bold").encode(
                y=alt.Y("parameter:N", sort=[PARAMETER_LABELS[n] for n in shown["parameter"]]),
                x=alt.X("x:Q"), text=alt.Text("text:N")))

        def end(value, result, flag):
            return f"{'never' if flag else percent(result)} at {number(value)}"

        title = (f"{label} moves the break-even most: "
                 f"{end(head['low_value'], head['low_result'], head['low_never'])}, "
                 f"{end(head['high_value'], head['high_result'], head['high_never'])}")
        rest_text = f"{percent(rest['swing'].max())}" if len(rest) else ""
        subtitle = f"Baseline ({cost.DEFAULT_PRESET}): {percent(baseline)}."
    else:
        layer = _tornado_layer(shown, baseline=baseline, scale_factor=1, fmt="$,.0f",
                               value_title=f"Saving vs {against} (USD per month)")
        title = (f"{label} moves the saving at {percent(utilization)} most: {usd(head['low_result'])} to "
                 f"{usd(head['high_result'])}")
        rest_text = usd(rest["swing"].max()) if len(rest) else ""
        subtitle = f"Owning saves {usd(baseline)} a month at {percent(utilization)} ({cost.DEFAULT_PRESET})."
    if len(rest):
        subtitle += f" The other {len(rest)} parameters each move it by at most {rest_text}."
    return _finish(layer, title=title, subtitle=subtitle, source=COST_SOURCE, model="helpers.cost.sensitivity")


def sensitivity_table(*, top: int = 12, **kwargs) -> pd.DataFrame:
    """:func:`helpers.cost.sensitivity` for reading: parameter names, both ends' values and results (break-even in %,
    saving in USD per month), the ``top`` widest first."""
    count = require_integer("top", top, minimum=1, maximum=len(cost.cost_parameters()))
    table = cost.sensitivity(**kwargs).head(count)
    as_text = percent if table.attrs["output"] == "break_even_utilization" else usd
    return pd.DataFrame({
        "Parameter": [PARAMETER_LABELS[name] for name in table["parameter"]],
        "Low": [number(v) for v in table["low_value"]], "High": [number(v) for v in table["high_value"]],
        "Result at low": ["never" if n else as_text(v) for v, n in zip(table["low_result"], table["low_never"])],
        "Result at high": ["never" if n else as_text(v) for v, n in zip(table["high_result"], table["high_never"])],
    }).set_index("Parameter")


def saving_tornado(*, utilizations: tuple[float, ...] = (0.3, 0.6), against: str = cost.ON_DEMAND,
                   top: int = 8) -> alt.VConcatChart:
    """The monthly saving's sensitivity at several utilisations, one tornado each, on one x-axis.

    At ~8 % the break-even barely feels electricity; at 30 % and 60 % the saving does.
    """
    if isinstance(utilizations, (str, bytes)) or not isinstance(utilizations, (tuple, list)) or \
            not 1 <= len(utilizations) <= 3:
        raise ValueError(f"utilizations must be a tuple of 1 to 3 shares (0-1); got {utilizations!r:.80}")
    shares = [require_fraction(f"utilizations[{index}]", u) for index, u in enumerate(utilizations)]
    count = require_integer("top", top, minimum=1, maximum=len(cost.cost_parameters()))
    tables = [cost.sensitivity(output="owning_saving_usd_per_month", against=against, utilization=u) for u in shares]
    low = min(min(t["low_result"].min(), t["high_result"].min(), t.attrs["baseline"]) for t in tables)
    high = max(max(t["low_result"].max(), t["high_result"].max(), t.attrs["baseline"]) for t in tables)
    domain = [min(0.0, low) * 1.05, high * 1.05]
    panels = []
    for share, table in zip(shares, tables):
        layer = _tornado_layer(table.head(count), baseline=table.attrs["baseline"], scale_factor=1, fmt="$,.0f",
                               domain=domain, value_title=f"Saving vs {against} (USD per month)")
        panels.append(layer.properties(title=alt.Title(
            f"At {percent(share)}: owning saves {usd(table.attrs['baseline'])} a month", fontSize=13)))
    leaders = {PARAMETER_LABELS[t.iloc[0]["parameter"]] for t in tables}
    title = (f"{' and '.join(sorted(leaders))} move{'s' if len(leaders) == 1 else ''} the monthly saving most "
             f"at {' and '.join(percent(s) for s in shares)}")
    return _finish(alt.vconcat(*panels, spacing=18).resolve_scale(color="shared"), title=title,
                  subtitle=f"Each parameter at its sourced low and high, the others at {cost.DEFAULT_PRESET}.",
                  source=COST_SOURCE, model="helpers.cost.sensitivity")


# ---------------------------------------------------------------------------------------------------------
# The Double-11 case
# ---------------------------------------------------------------------------------------------------------
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
        color=alt.Color("series:N", scale=option_colors(["daily peak", "daily mean"]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("day:T", format="%d %b"), alt.Tooltip("series:N"),
                 alt.Tooltip("instances:Q", format=",.0f")],
    ).properties(width=WIDE, height=220)
    arguments = {name: value for name, (value, _, _) in cost.DOUBLE11_ASSUMPTIONS.items()}
    arguments.update(case_arguments)
    multiplier, days = arguments["peak_multiplier"], int(arguments["peak_days"])
    ratio = demand.max() / demand.mean()
    return _finish(chart, title=f"During the {days}-day sale demand is {multiplier:g}x normal",
                  subtitle=(f"Synthetic demand of an ASSUMED shop (seeded); the article gives no fleet size. The "
                            f"busiest hour is {ratio:.1f}x the year's average: the daily cycle (+"
                            f"{percent(arguments['daily_swing_fraction'])} at 14:00) and noise come on top."),
                  source="assumptions in helpers.cost.DOUBLE11_ASSUMPTIONS", model="helpers.cost.double11_demand")


def double11_chart(**case_arguments) -> alt.VConcatChart:
    """Annual cost of the four strategies for the assumed Double-11 shop, stacked by component with shares."""
    case = cost.double11_case(**case_arguments)
    totals = pd.Series(case.attrs["totals_usd_per_year"])
    strategies = list(totals.index)
    chart = _component_bars(case, group="strategy", order=strategies, value="cost_usd_per_year",
                            value_title="Cost (USD per year)", totals=totals)
    best = str(totals.idxmin())
    title = (f"'{best.capitalize()}': {usd(totals[best] / 1e3)}k a year vs "
             f"{usd(totals['own for the peak'] / 1e3)}k owning for the peak")
    subtitle = [f"Assumed shop: peak {case.attrs['peak_instances']:,} VMs, mean {case.attrs['mean_instances']:,.0f}.",
                f"Hardware not bought: {usd(case.attrs['hardware_not_bought_usd'])} (article: $1,200,000); "
                f"savings-plan saving {usd(case.attrs['savings_plan_saving_usd_per_year'])}/yr (article: $850,000)."]
    return _finish(chart, title=title, subtitle=subtitle, source=COST_SOURCE + "; shop = assumptions",
                  model="helpers.cost.double11_case")


# ---------------------------------------------------------------------------------------------------------
# Live panels
# ---------------------------------------------------------------------------------------------------------
#: Slider step and short unit of every model parameter a panel offers.
PANEL_CONTROLS = {
    "licence_usd_per_core_year": (5, "USD/core-yr"), "spare_hosts": (1, "N+k"),
    "cost_of_capital": (0.005, "per year"), "post_warranty_support_fraction": (0.01, "price/yr"),
    "facility_opex_usd_per_kw_month": (1, "USD/kW-mo"), "vm_cpu_utilization": (0.01, "share"),
    "egress_gb_per_vm_month": (10, "GB/month"), "vms_per_host": (8, "2 vCPU, 8 GiB"),
    "servers_per_admin": (10, "physical"),
    "server_price_usd": (1000, "USD"), "electricity_usd_per_kwh": (0.001, "USD/kWh"),
}
PANEL_PARAMETERS = tuple(PANEL_CONTROLS)
TERMS = {"1 year": 1, "3 years": 3}


def _parameter_slider(name: str, table: pd.DataFrame | None = None) -> Slider:
    """A slider for a model parameter: bounded by its sourced low/high (widened to reach every preset's value)."""
    row = (cost.cost_parameters() if table is None else table).loc[name]
    preset_values = [cost.preset_parameters(p)[name] for p in cost.PRESETS]
    step, unit = PANEL_CONTROLS[name]
    return Slider(name, PARAMETER_LABELS[name], float(min(row["low"], *preset_values)),
                  float(max(row["high"], *preset_values)), step, float(row["default"]), unit,
                  f"{row['unit']}. Range {number(row['low'])}-{number(row['high'])} ({row['kind']}): {row['source']}")


def _cost_controls() -> list:
    table = cost.cost_parameters()
    term_default = f"{int(table.loc['savings_plan_term_years', 'default'])} year" + \
        ("s" if table.loc["savings_plan_term_years", "default"] != 1 else "")
    return [
        Choice("preset", "Preset", cost.PRESETS, cost.DEFAULT_PRESET,
               "Which owning costs to count: the first model's minimal set, a free KVM stack with every cost, or "
               "VMware vSphere Foundation at list price. Picking one moves the sliders below."),
        Slider("utilization", "Utilisation", 0.0, 1.0, 0.01, 0.3, "share",
               "Average utilisation: mean demand / provisioned capacity (0-1)."),
        *(_parameter_slider(name, table) for name in PANEL_PARAMETERS),
        Choice("savings_plan_term", "Plan term", tuple(TERMS), term_default,
               "Savings-plan commitment: 1 year (30 % off by default) or 3 years (50 %), paid in full."),
        Slider("horizon_years", "Horizon", 1, 6, 1, int(table.loc["server_lifetime_years", "default"]), "years",
               "Years you will run the fleet; servers are paid in full, savings plans per term."),
    ]


def panel_table(utilization: float, *, capacity_instances: float = FLEET_VMS, **parameters) -> pd.DataFrame:
    """The panel's table: monthly cost (USD) by component (rows) and option (columns), plus the total row.

    The first column, headed "USD per month", names the component."""
    utilization = require_fraction("utilization", utilization)
    wide = cost.cost_table(cost.costs_at_utilization(utilization, capacity_instances=capacity_instances,
                                                      **parameters)).set_index("option")
    parts = wide.drop(columns="total_usd_per_month")
    parts.columns = [c.replace("_usd_per_month", "") for c in parts.columns]
    shown = parts.T
    shown = shown[(shown > 0).any(axis=1)]
    shown.loc["total"] = wide["total_usd_per_month"]
    shown.index.name = "USD per month"
    return shown.reset_index()


class _PresetPanel(LivePanel):
    """A LivePanel whose "preset" drop-down moves the sliders to the preset's values (one redraw per pick)."""

    def _on_change(self, change) -> None:
        if getattr(self, "_applying_preset", False):
            return
        if change.owner is self.controls.get("preset"):
            self._applying_preset = True
            try:
                for name, value in cost.preset_parameters(change.new).items():
                    if name in self.controls:
                        self.controls[name].value = int(value) if self.parameters[name].integer else value
            finally:
                self._applying_preset = False
        self.redraw()


def _render_cost_panel(*, preset: str, utilization: float, savings_plan_term: str, horizon_years: float,
                       **parameters) -> View:
    require_choice("preset", preset, cost.PRESETS)
    require_choice("savings_plan_term", savings_plan_term, tuple(TERMS))
    values = {**parameters, "savings_plan_term_years": TERMS[savings_plan_term]}
    chart = cost_curves_chart(utilization=utilization, horizon_years=horizon_years, **values)
    table = panel_table(utilization, horizon_years=horizon_years, **values)
    totals = table.set_index("USD per month").loc["total"]
    cheapest = str(totals.idxmin())
    break_even = cost.break_even_utilization(horizon_years=horizon_years, **values)
    where = "never" if math.isnan(break_even) else f"above {percent(break_even)}"
    reference = cost.preset_parameters(preset)
    changed = [PARAMETER_LABELS[n] for n in PANEL_PARAMETERS if not math.isclose(reference[n], values[n])]
    preset_text = f"Preset <b>{preset}</b>" + (f", changed: {', '.join(changed)}" if changed else "")
    text = (f"{preset_text}. At {percent(utilization)} utilisation the cheapest option is <b>{cheapest}</b> "
            f"({usd(totals.min())} per month for {FLEET_VMS} VMs of capacity); owning beats on-demand {where}.")
    return View(chart=chart, table=table, text=text)


def cost_panel() -> LivePanel:
    """Live panel: a preset, utilisation, the owning costs, density, staffing, prices, plan term and horizon.

    Redraws the cost curves (break-even marked), a sentence and a table of monthly cost by
    component. Picking a preset moves the owning-cost sliders to its values.
    """
    return _PresetPanel(_cost_controls(), _render_cost_panel,
                        title=f"Owning vs renting a fleet of {FLEET_VMS} VMs (m5.large size)")


def _render_double11_panel(*, peak_multiplier: float, peak_days: float, normal_instances: float,
                           server_price_usd: float, savings_plan_term: str) -> View:
    require_choice("savings_plan_term", savings_plan_term, tuple(TERMS))
    arguments = dict(peak_multiplier=peak_multiplier, peak_days=int(peak_days), normal_instances=normal_instances,
                     server_price_usd=server_price_usd, savings_plan_term_years=TERMS[savings_plan_term])
    case = cost.double11_case(**arguments)
    totals = pd.DataFrame({"Strategy": list(case.attrs["totals_usd_per_year"]),
                           "Cost (USD/year)": list(case.attrs["totals_usd_per_year"].values())})
    text = (f"Hardware not bought: <b>{usd(case.attrs['hardware_not_bought_usd'])}</b> "
            f"({case.attrs['hosts_peak'] - case.attrs['hosts_base']} servers); savings-plan saving "
            f"<b>{usd(case.attrs['savings_plan_saving_usd_per_year'])}</b> per year at "
            f"{case.attrs['savings_plan_discount']:.0%} off. The article claims $1,200,000 and $850,000.")
    return View(chart=double11_chart(**arguments), table=totals, text=text)


def double11_panel() -> LivePanel:
    """Live panel for the Double-11 case: the shop's (assumed) size and peak, server price, plan term."""
    controls = [
        Slider("normal_instances", "Normal demand", 100, 4000, 50, 500, "VMs",
               "ASSUMPTION: average VMs outside the sale."),
        Slider("peak_multiplier", "Sale peak", 2, 10, 0.5, 5, "x normal", "ASSUMPTION: demand during the sale."),
        Slider("peak_days", "Sale length", 1, 30, 1, 3, "days", "ASSUMPTION: days at the peak."),
        _parameter_slider("server_price_usd"),
        Choice("savings_plan_term", "Plan term", tuple(TERMS), "1 year",
               "Savings-plan commitment: 1 year (30 % off by default) or 3 years (50 %)."),
    ]
    return LivePanel(controls, _render_double11_panel, title="Double 11: owning for the peak vs renting it")
