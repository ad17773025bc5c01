"""Charts, live panels and exercise checks for chapter 03 (resources: fixed allocation vs elasticity).

Every chart is drawn from :mod:`helpers.resources` (the elasticity simulator) or
:mod:`helpers.placement` (bin packing) and finished with :func:`helpers.charts.finish`:
its title states the finding, the line under it names the data and the model. Panels
redraw through the same builders. Channels are typed (``alt.X(...)``) and data go in as
plain records (``alt.InlineData``), which keeps a redraw well under 50 ms.
"""

from __future__ import annotations

import functools
import math
import textwrap

import altair as alt
import numpy as np
import pandas as pd

from . import cost
from . import placement as pl
from . import resources as res
from .charts import INK, PALETTE, finish
from .exercises import CheckResult, check_choice, check_number
from .startup import startup_time_s, startup_times
from .data import Column
from .validation import require_choice, require_frame, require_integer, require_number
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "STRATEGY_COLORS", "STARTUP_CHOICES", "WINDOWS", "ARTICLE_UTILIZATION_BANDS", "demand_chart", "capacity_chart",
    "strategy_chart", "latency_chart", "lag_chart", "placement_chart", "strategy_table", "placement_table",
    "elasticity_panel", "placement_panel", "check_latency_utilization", "check_fixed_fleet_utilization",
    "check_start_up_or_target", "check_savings_plan_break_even", "check_hosts_freed", "LAG_EXERCISE",
    "PLACEMENT_EXERCISE", "lag_table",
]

SIM_SOURCE = ("synthetic demand (data/elasticity_parameters.csv, all shape parameters assumptions); start-up "
              "lags data/startup_times.csv; prices data/cost_assumptions.csv")
PLACEMENT_SOURCE = "data/placement_shapes.csv (AWS EC2 and Fargate sizes; mix weights are assumptions)"
LABELS = [res.STRATEGY_LABELS[name] for name in res.STRATEGIES]
#: Strategy colours (Okabe-Ito, no yellow: it vanishes on a projector); demand is drawn in ink.
STRATEGY_COLORS = dict(zip(res.STRATEGIES, (PALETTE[0], PALETTE[5], PALETTE[4], PALETTE[2], PALETTE[6])))
_LINE_SCALE = alt.Scale(domain=["demand", *LABELS], range=[INK, *STRATEGY_COLORS.values()])
_BAR_SCALE = alt.Scale(domain=LABELS, range=list(STRATEGY_COLORS.values()))
#: The article's performance table: CPU utilisation "70-85%" for VMs, "95-100%" for cloud servers (containers).
ARTICLE_UTILIZATION_BANDS = {"article: VM 70-85 %": (0.70, 0.85), "article: container 95-100 %": (0.95, 1.00)}
#: The start-up figures the panel offers (label -> startup_id in data/startup_times.csv).
STARTUP_CHOICES = {
    "EC2 Linux VM (2012)": "mao2012-ec2-linux",
    "EC2 Windows VM (2012)": "mao2012-ec2-windows",
    "Kubernetes pod (p99)": "k8s-pod-startup-slo",
    "Firecracker microVM": "firecracker-boot",
}
#: Windows of the capacity chart: first hour and length (hours), or None for the whole year in daily peaks.
WINDOWS = ("sale week", "a March week", "whole year")
_START = pd.Timestamp("2025-01-01")


def _inline(frame: pd.DataFrame | dict) -> alt.InlineData:
    """Data as one JSON string (Vega-Lite parses it: ``format: json``).

    A list of records would be deep-copied and converted value by value by altair on every
    combination and ``to_dict`` (about 50 ms for a week of five strategies); one string costs
    nothing. :func:`chart_records` reads them back (for tests and readers).
    """
    frame = pd.DataFrame(frame) if isinstance(frame, dict) else frame
    return alt.InlineData(values=frame.to_json(orient="records", double_precision=6),
                          format=alt.DataFormat(type="json"))


def chart_records(chart: alt.TopLevelMixin) -> list[list[dict]]:
    """Every dataset of a chart's spec as a list of records (JSON-string datasets parsed), in spec order."""
    import json

    if not isinstance(chart, alt.TopLevelMixin):
        raise ValueError(f"chart must be an altair chart; got {type(chart).__name__}")
    found: list[list[dict]] = []

    def walk(node):
        if isinstance(node, dict):
            values = node.get("values")
            if isinstance(values, str) and node.get("format", {}).get("type") == "json":
                found.append(json.loads(values))
            elif isinstance(values, list) and "format" not in node and node is not spec:
                found.append(values)
            for key, value in node.items():
                if key != "values":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    spec = chart.to_dict()
    for values in spec.get("datasets", {}).values():
        found.append(json.loads(values) if isinstance(values, str) else values)
    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def _check_simulation(simulation) -> res.Simulation:
    if not isinstance(simulation, res.Simulation):
        raise ValueError(f"simulation must be a Simulation from helpers.resources.simulate(); got "
                         f"{type(simulation).__name__}")
    return simulation


#: What the charts read of a :func:`helpers.resources.strategy_costs` table.
_COST_COLUMNS = (Column("strategy", "str", "Strategy.", allowed=res.STRATEGIES),
                 Column("total_usd", "float", "Cost of the simulated period.", unit="USD", minimum=0))


def _check_costs(costs) -> pd.Series:
    """The total cost of every strategy (a strategy_costs() table, checked), indexed by strategy."""
    require_frame("costs", costs, _COST_COLUMNS, key="strategy")
    missing = [name for name in res.STRATEGIES if name not in set(costs["strategy"])]
    if missing:
        raise ValueError(f"costs must have a row for every strategy (a strategy_costs() table); missing {missing}")
    return costs.set_index("strategy")["total_usd"].astype(float)


def _percent(share: float) -> str:
    """A share as a percentage: one decimal, three for small shares (0.00001 -> "0.001 %")."""
    return f"{share * 100:.3f} %" if 0 < share < 0.001 else f"{share * 100:.1f} %"


def _lines(text: str, width: int = 92) -> list[str]:
    """A subtitle as lines that fit the chart's width (Vega draws a list of strings as lines)."""
    return textwrap.wrap(text, width=width, break_on_hyphens=False)


def _window(simulation: res.Simulation, window: str) -> tuple[int, int] | None:
    require_choice("window", window, WINDOWS)
    days = simulation.demand.size // 24
    if window == "whole year":
        return None
    if window == "sale week":
        start_day = max(0, min(res.SALE_START_DAY - 2, days - 7))
    else:
        start_day = min(68, max(days - 7, 0))  # Monday 10 March
    return start_day * 24, min(168, simulation.demand.size - start_day * 24)


def _capacity_records(simulation: res.Simulation, window: str) -> tuple[pd.DataFrame, str]:
    span = _window(simulation, window)
    if span is None:
        n_days = simulation.demand.size // 24
        cut = n_days * 24
        time = (_START + pd.to_timedelta(np.arange(n_days), unit="D")).strftime("%Y-%m-%d")
        series = {"demand": simulation.demand[:cut].reshape(n_days, 24).max(axis=1)}
        for name in res.STRATEGIES:
            series[res.STRATEGY_LABELS[name]] = simulation.hourly[name]["capacity"][:cut].reshape(n_days, 24).max(axis=1)
        note = "daily peaks"
    else:
        start, length = span
        time = (_START + pd.to_timedelta(np.arange(start, start + length), unit="h")).strftime("%Y-%m-%dT%H:%M")
        series = {"demand": simulation.demand[start:start + length]}
        for name in res.STRATEGIES:
            series[res.STRATEGY_LABELS[name]] = simulation.hourly[name]["capacity"][start:start + length]
        note = "hour by hour"
    frames = [pd.DataFrame({"time": time, "series": label, "instances": np.round(values, 2)})
              for label, values in series.items()]
    return pd.concat(frames, ignore_index=True), note


def capacity_chart(simulation: res.Simulation, window: str = "sale week") -> alt.Chart:
    """Demand and each strategy's serving capacity (instances) over a week, or the year's daily peaks (unfinished)."""
    _check_simulation(simulation)
    records, note = _capacity_records(simulation, window)
    lines = alt.Chart(_inline(records)).mark_line(strokeWidth=1.8, interpolate="step-after").encode(
        x=alt.X("time:T", title=f"{window.capitalize()} ({note})",
                axis=alt.Axis(format="%d %b" if window != "whole year" else "%b", labelAngle=0)),
        y=alt.Y("instances:Q", title="Instances (m5.large-sized)"),
        color=alt.Color("series:N", scale=_LINE_SCALE, title=None,
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=200)),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=["demand"], range=[[3, 2]]), legend=None),
        tooltip=[alt.Tooltip("time:T", format="%d %b %H:%M"), alt.Tooltip("series:N"),
                 alt.Tooltip("instances:Q", format=",.1f")],
    )
    return lines.properties(width=460, height=220)


def strategy_table(simulation: res.Simulation, costs: pd.DataFrame) -> pd.DataFrame:
    """One row per strategy, readable columns with units: cost, utilisation, unserved work, p99 proxy."""
    summary = _check_simulation(simulation).summary.set_index("strategy")
    totals = _check_costs(costs)
    return pd.DataFrame({
        "strategy": [res.STRATEGY_LABELS[name] for name in res.STRATEGIES],
        "cost (k$/year)": [totals[name] / 1e3 for name in res.STRATEGIES],
        "mean fleet (instances)": [summary.loc[name, "mean_capacity"] for name in res.STRATEGIES],
        "utilisation (%)": [summary.loc[name, "utilization"] * 100 for name in res.STRATEGIES],
        "unserved (% of demand)": [summary.loc[name, "unserved_share"] * 100 for name in res.STRATEGIES],
        "p99 latency (x service time)": [summary.loc[name, "p99_latency_x"] for name in res.STRATEGIES],
    })


def strategy_chart(simulation: res.Simulation, costs: pd.DataFrame) -> alt.LayerChart:
    """Bars per strategy: cost per year, each labelled with the strategy, the utilisation of what is paid for
    and the demand left unserved (unfinished). The names sit beside the bars, not on an axis, so the chart
    stacked under the capacity chart adds no width."""
    table = strategy_table(simulation, costs)
    table["label"] = [f"{name}: {u:.0f} % used" + (f", {x:.2f} % unserved" if x >= 0.005 else "")
                      for name, u, x in zip(table["strategy"], table["utilisation (%)"],
                                            table["unserved (% of demand)"])]
    data = _inline(table.rename(columns={"cost (k$/year)": "cost_k", "utilisation (%)": "utilization_pct",
                                         "unserved (% of demand)": "unserved_pct",
                                         "p99 latency (x service time)": "p99_x",
                                         "mean fleet (instances)": "mean_fleet"}))
    y = alt.Y("strategy:N", sort=LABELS, title=None, axis=None)
    tooltip = [alt.Tooltip("strategy:N"), alt.Tooltip("cost_k:Q", title="k$ per year", format=",.0f"),
               alt.Tooltip("utilization_pct:Q", title="utilisation %", format=".1f"),
               alt.Tooltip("unserved_pct:Q", title="unserved % of demand", format=".2f"),
               alt.Tooltip("p99_x:Q", title="p99 latency x service time", format=".1f")]
    top = float(table["cost (k$/year)"].max()) * 2.1
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("cost_k:Q", title="Cost (k$ per year)", scale=alt.Scale(domain=[0, top])), y=y,
        color=alt.Color("strategy:N", scale=_BAR_SCALE, legend=None), tooltip=tooltip)
    text = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("cost_k:Q"), y=y, text=alt.Text("label:N"))
    return alt.layer(bars, text).properties(width=460, height=alt.Step(20))


def _elasticity_title(simulation: res.Simulation, costs: pd.DataFrame) -> tuple[str, str]:
    summary = _check_simulation(simulation).summary.set_index("strategy")
    totals = _check_costs(costs)
    served_ok = summary[summary["unserved_share"] < 0.001].index
    best = min(served_ok, key=lambda name: totals[name]) if len(served_ok) else totals.idxmin()
    peak = totals["fixed_peak"]
    title = (f"{res.STRATEGY_LABELS[best].capitalize()}: ${totals[best] / 1e3:,.0f}k a year; "
             f"fleet for the peak: ${peak / 1e3:,.0f}k")
    short = summary.loc["fixed_quantile"]
    subtitle = (f"Fleet for the peak: {_percent(summary.loc['fixed_peak', 'utilization'])} utilised. Fixed fleet "
                f"for a percentile leaves {_percent(short['unserved_share'])} of demand unserved "
                f"({int(short['hours_short'])} hours short). Labels: utilisation of what is paid for.")
    return title, subtitle


def _finish_stacked(charts: list, **finish_arguments) -> alt.VConcatChart:
    """:func:`helpers.charts.finish` for several charts stacked: the same title and source line, one flat
    ``vconcat`` (a nested one costs twice as much to build and to send on every redraw)."""
    finished = finish(charts[0], **finish_arguments)
    finished.vconcat = [finished.vconcat[0], *charts[1:], finished.vconcat[-1]]
    return finished


def elasticity_chart(simulation: res.Simulation, costs: pd.DataFrame, window: str = "sale week") -> alt.VConcatChart:
    """The panel's chart: capacity over the chosen window above the strategies' cost and utilisation."""
    title, subtitle = _elasticity_title(simulation, costs)
    return _finish_stacked([capacity_chart(simulation, window), strategy_chart(simulation, costs)], title=title,
                           subtitle=_lines(subtitle), source=SIM_SOURCE,
                           model="helpers.resources.simulate, helpers.resources.strategy_costs")


def demand_chart(simulation: res.Simulation) -> alt.VConcatChart:
    """The simulated year, one point per day: daily peak and mean demand (365 x 2 rows), the sale marked."""
    _check_simulation(simulation)
    n_days = simulation.demand.size // 24
    days = simulation.demand[:n_days * 24].reshape(n_days, 24)
    dates = (_START + pd.to_timedelta(np.arange(n_days), unit="D")).strftime("%Y-%m-%d")
    frame = pd.concat([pd.DataFrame({"day": dates, "series": "daily peak", "instances": days.max(axis=1).round(1)}),
                       pd.DataFrame({"day": dates, "series": "daily mean", "instances": days.mean(axis=1).round(1)})])
    chart = alt.Chart(_inline(frame)).mark_line(strokeWidth=1.5).encode(
        x=alt.X("day:T", title="Day of the (synthetic) year", axis=alt.Axis(format="%b")),
        y=alt.Y("instances:Q", title="Demand (instances' worth of work)"),
        color=alt.Color("series:N", scale=alt.Scale(domain=["daily peak", "daily mean"], range=[PALETTE[5], PALETTE[4]]),
                        title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("day:T", format="%d %b"), alt.Tooltip("series:N"),
                 alt.Tooltip("instances:Q", format=",.1f")],
    ).properties(width=460, height=220)
    ratio = float(simulation.demand.max() / simulation.demand.mean())
    return finish(chart, title=f"The busiest hour is {ratio:.1f}x the year's average demand",
                  subtitle=_lines("Daily and weekly cycles, noise, growth and a sale (all assumptions)."),
                  source=SIM_SOURCE, model="helpers.demand.demand_year")


def latency_chart(simulation: res.Simulation | None = None) -> alt.VConcatChart:
    """The queueing proxy against utilisation (log scale), the article's bands shaded, strategies' p99 marked."""
    rho = np.round(np.linspace(0, 0.99, 100), 4)
    curve = pd.DataFrame({"utilization": rho, "p99_x": res.p99_latency_multiple(rho)})
    bands = pd.DataFrame([{"what": name, "low": low, "high": min(high, 0.99), "at": at, "align": align,
                           "pixel": pixel} for (name, (low, high)), at, align, pixel
                          in zip(ARTICLE_UTILIZATION_BANDS.items(), (0.70, 1.0), ("left", "right"), (12, 236))])
    x = alt.X("utilization:Q", title="Utilisation", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("p99_x:Q", title="p99 response time (x mean service time)", scale=alt.Scale(type="log"))
    band = alt.Chart(_inline(bands)).mark_rect(color=PALETTE[7], opacity=0.25).encode(
        x=alt.X("low:Q", scale=alt.Scale(domain=[0, 1])), x2=alt.X2("high"), tooltip=[alt.Tooltip("what:N")])
    labels = alt.Chart(_inline(bands)).mark_text(
        dx=alt.ExprRef(expr="datum.align === 'left' ? 3 : -3"), baseline="middle", fontSize=10, color=INK,
        align=alt.ExprRef(expr="datum.align")).encode(
        x=alt.X("at:Q"), y=alt.YValue(alt.ExprRef(expr="datum.pixel")), text=alt.Text("what:N"))
    line = alt.Chart(_inline(curve)).mark_line(color=INK).encode(
        x=x, y=y, tooltip=[alt.Tooltip("utilization:Q", format=".0%"), alt.Tooltip("p99_x:Q", format=".1f")])
    layers = [band, line, labels]
    if simulation is not None:
        summary = _check_simulation(simulation).summary
        points = pd.DataFrame({"strategy": summary["label"], "utilization": summary["p99_utilization"].clip(0, 0.99),
                               "p99_x": summary["p99_latency_x"]})
        layers.append(alt.Chart(_inline(points)).mark_point(size=80, filled=True).encode(
            x=alt.X("utilization:Q"), y=alt.Y("p99_x:Q"),
            color=alt.Color("strategy:N", scale=_BAR_SCALE, title=None, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=[alt.Tooltip("strategy:N"), alt.Tooltip("utilization:Q", format=".1%"),
                     alt.Tooltip("p99_x:Q", format=".1f")]))
    at_70, at_95 = res.p99_latency_multiple(0.7), res.p99_latency_multiple(0.95)
    return finish(alt.layer(*layers).properties(width=460, height=240),
                  title=f"p99 latency: {at_70:.0f}x the service time at 70 % utilisation, {at_95:.0f}x at 95 %",
                  subtitle=_lines("M/M/1 per instance (a stated proxy); points: the utilisation below which each "
                                  "strategy served 99 % of its work. Grey: the article's CPU utilisation bands."),
                  source="queueing theory (M/M/1); utilisations from the simulated year",
                  model="helpers.resources.p99_latency_multiple")


#: Start-up figures named on the lag chart (the others are points with a tooltip).
LAG_LABELS = {"firecracker-boot": "Firecracker microVM", "mao2012-ec2-linux": "EC2 Linux VM (2012)",
              "mao2012-ec2-windows": "EC2 Windows VM (2012)", "what-if-45-min": "a 45-minute VM (what if)"}


def lag_table(**arguments) -> pd.DataFrame:
    """Reactive autoscaling with each start-up figure of ``startup_times.csv`` (and a 45-minute what-if):
    demand left unserved over the year. ``arguments`` go to :func:`helpers.resources.simulate_year`."""
    rows = []
    figures = startup_times()
    figures = figures[figures["time_s"] <= 3000]
    choices = [(row.startup_id, row.label, float(row.time_s)) for row in figures.itertuples()]
    choices.append(("what-if-45-min", "a 45-minute VM (what if)", 2700.0))
    for startup_id, label, seconds in choices:
        simulation = res.simulate_year(**{**arguments, "startup_s": seconds})
        summary = simulation.summary.set_index("strategy")
        rows.append({"startup_id": startup_id, "start-up": label, "startup_s": seconds,
                     "unserved_instance_hours": float(summary.loc["reactive", "unserved_instance_hours"]),
                     "unserved_share": float(summary.loc["reactive", "unserved_share"]),
                     "demand_instance_hours": float(simulation.demand.sum())})
    return pd.DataFrame(rows).sort_values("startup_s", kind="stable").reset_index(drop=True)


def lag_chart(**arguments) -> alt.VConcatChart:
    """Unserved demand of reactive autoscaling against the start-up time (log scale), one point per figure."""
    table = lag_table(**arguments)
    table["label"] = table["startup_id"].map(LAG_LABELS).fillna("")
    x = alt.X("startup_s:Q", title="Start-up time (s, log scale)", scale=alt.Scale(type="log"))
    y = alt.Y("unserved_instance_hours:Q", title="Demand left unserved (instance-hours a year)")
    points = alt.Chart(_inline(table)).mark_point(size=70, filled=True, color=PALETTE[4]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("start-up:N"), alt.Tooltip("startup_s:Q", format=",.3f"),
                           alt.Tooltip("unserved_instance_hours:Q", format=",.1f"),
                           alt.Tooltip("unserved_share:Q", format=".4%")])
    text = alt.Chart(_inline(table[table["label"] != ""])).mark_text(align="left", dx=7, dy=-9, fontSize=10).encode(
        x=x, y=y, text=alt.Text("label:N"))
    vm = table.set_index("startup_id").loc["mao2012-ec2-linux"]
    return finish(alt.layer(points, text).properties(width=440, height=220),
                  title=(f"A {vm['startup_s']:.0f}-second VM boot leaves {vm['unserved_instance_hours']:.0f} "
                         f"instance-hours of {vm['demand_instance_hours']:,.0f} unserved"),
                  subtitle=_lines("Reactive autoscaling over the default year: the lag only bites when demand "
                                  "outruns the 40 % headroom, in the sale's first hour."),
                  source="data/startup_times.csv; synthetic demand (assumptions)",
                  model="helpers.resources.simulate_year")


# ---------------------------------------------------------------------------------------------------------
# Placement
# ---------------------------------------------------------------------------------------------------------
#: What placement_table reads of a :func:`helpers.placement.placement_summary` table.
_SUMMARY_COLUMNS = (
    Column("algorithm", "str", "Placement rule.", allowed=pl.ALGORITHMS),
    *(Column(name, "int", "Count.", minimum=0) for name in ("hosts", "lower_bound", "pending")),
    *(Column(name, "float", "Per host, share or amount.", minimum=0)
      for name in ("items_per_host", "cpu_allocated_share", "memory_allocated_share", "vcpu_stranded",
                   "memory_gib_stranded", "fragmentation")),
)


def placement_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The placement summary with short headers and units (the pending column only when something is pending)."""
    require_frame("summary", summary, _SUMMARY_COLUMNS, key="algorithm")
    table = pd.DataFrame({
        "rule": summary["algorithm"], "hosts": summary["hosts"], "bound": summary["lower_bound"],
        "pending": summary["pending"], "per host": summary["items_per_host"],
        "CPU alloc. (%)": summary["cpu_allocated_share"] * 100,
        "memory alloc. (%)": summary["memory_allocated_share"] * 100,
        "stranded vCPU": summary["vcpu_stranded"], "stranded GiB": summary["memory_gib_stranded"],
        "frag. (%)": summary["fragmentation"] * 100,
    })
    return table if table["pending"].any() else table.drop(columns="pending")


def _cluster(choice: str, bound: int) -> int | None:
    return None if choice == "as needed" else int(math.ceil(bound * 1.25))


CLUSTERS = ("as needed", "fixed, 25 % spare")


def placement_chart(items: pd.DataFrame, *, host: str = "m5-metal", algorithm: str = "first-fit",
                    order: str = "decreasing", cluster: str = "as needed") -> alt.VConcatChart:
    """Allocated CPU and memory share of every host, for one rule, with the article's utilisation bands."""
    hosts = pl.host_shapes()
    require_choice("host", host, tuple(hosts))
    require_choice("cluster", cluster, CLUSTERS)
    vcpu, memory = hosts[host]
    bound = pl.lower_bound(items, host_vcpu=vcpu, host_memory_gib=memory)
    size = _cluster(cluster, bound)
    where = pl.pack(items, host_vcpu=vcpu, host_memory_gib=memory, algorithm=algorithm, order=order,
                    cluster_hosts=size)
    usage = pl.host_usage(items, where, host_vcpu=vcpu, host_memory_gib=memory)
    if size is not None and len(usage) < size:
        usage = pl._host_usage(items["vcpu"].to_numpy(float), items["memory_gib"].to_numpy(float), where, vcpu,
                               memory, count=size)
    long = pd.concat([
        pd.DataFrame({"host": usage["host"] + 1, "resource": "CPU", "share": usage["cpu_share"].round(4),
                      "items": usage["items"]}),
        pd.DataFrame({"host": usage["host"] + 1, "resource": "memory", "share": usage["memory_share"].round(4),
                      "items": usage["items"]})], ignore_index=True)
    bands = pd.DataFrame([{"what": name, "low": low, "high": high} for name, (low, high) in
                          ARTICLE_UTILIZATION_BANDS.items()])
    band = alt.Chart(_inline(bands)).mark_rect(color=PALETTE[7], opacity=0.25).encode(
        y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 1])), y2=alt.Y2("high"), tooltip=[alt.Tooltip("what:N")])
    bars = alt.Chart(_inline(long)).mark_bar().encode(
        x=alt.X("host:O", title=f"Host ({hosts[host][0]:g} vCPU, {hosts[host][1]:g} GiB each)",
                axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        xOffset=alt.XOffset("resource:N"),
        y=alt.Y("share:Q", title="Allocated share of the host", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("resource:N", scale=alt.Scale(domain=["CPU", "memory"], range=[PALETTE[4], PALETTE[0]]),
                        title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("host:O"), alt.Tooltip("resource:N"), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("items:Q")])
    used = int((usage["items"] > 0).sum())
    pending = int((where < 0).sum())
    kind = {"vm": "VMs", "container": "containers"}
    kinds = sorted(set(items["kind"])) if "kind" in items.columns else []
    what = kind[kinds[0]] if len(kinds) == 1 and kinds[0] in kind else "items"
    name = f"{algorithm}{' decreasing' if order == 'decreasing' else ' (arrival order)'}"
    title = (f"{name.capitalize()}: {len(items) - pending} {what} on {used} hosts "
             f"(lower bound {bound}), {(len(items) - pending) / max(used, 1):.0f} per host")
    cpu_share = float(items["vcpu"].sum() / (used * vcpu)) if used else 0.0
    subtitle = (f"CPU allocated on the hosts in use: {_percent(cpu_share)}"
                + (f"; {pending} pending (no room)" if pending else "")
                + ". The article: 20-30 VMs per host; grey bands: its 'CPU utilisation' 70-85 % (VM) and "
                  "95-100 % (container).")
    return finish(alt.layer(band, bars).properties(width=460, height=200), title=title, subtitle=_lines(subtitle),
                  source=PLACEMENT_SOURCE, model="helpers.placement.pack, helpers.placement.host_usage")


# ---------------------------------------------------------------------------------------------------------
# Live panels
# ---------------------------------------------------------------------------------------------------------
def _parameter_slider(name: str) -> Slider:
    row = res.elasticity_parameters().set_index("name").loc[name]
    return Slider(name, str(row["label"]), float(row["minimum"]), float(row["maximum"]), float(row["step"]),
                  float(row["default"]), str(row["unit"]), f"{row['description']} ({row['kind']}: {row['source']})")


@functools.lru_cache(maxsize=16)
def _panel_year(startup: str, target_utilization: float, sale_multiplier: float, cooldown_s: float) -> res.Simulation:
    """The panel's simulation, kept for the last few settings: the pricing and window controls do not change it."""
    return res.simulate_year(startup_s=startup_time_s(STARTUP_CHOICES[startup]),
                             target_utilization=target_utilization, sale_multiplier=sale_multiplier,
                             cooldown_s=cooldown_s)


def _render_elasticity(*, startup: str, target_utilization: float, sale_multiplier: float, cooldown_s: float,
                       pricing: str, window: str) -> View:
    simulation = _panel_year(startup, float(target_utilization), float(sale_multiplier), float(cooldown_s))
    costs = res.strategy_costs(simulation, pricing=pricing)
    reactive = simulation.summary.set_index("strategy").loc["reactive"]
    text = (f"Reactive autoscaling ({startup}, {startup_time_s(STARTUP_CHOICES[startup]):g} s to start): "
            f"<b>{reactive['unserved_instance_hours']:,.1f}</b> instance-hours unserved in the year "
            f"({_percent(reactive['unserved_share'])}), {int(reactive['actions']):,} scaling actions, "
            f"{_percent(reactive['utilization'])} utilised.")
    return View(chart=elasticity_chart(simulation, costs, window), table=strategy_table(simulation, costs).round(2),
                text=text)


def elasticity_panel() -> LivePanel:
    """One year, five strategies: start-up lag, target utilisation, the sale, the cooldown, pricing, the window."""
    controls = [
        Choice("startup", "Start-up", tuple(STARTUP_CHOICES), "EC2 Linux VM (2012)",
               description="Whose start-up time the autoscaler waits for (data/startup_times.csv)."),
        _parameter_slider("target_utilization"),
        _parameter_slider("sale_multiplier"),
        _parameter_slider("cooldown_s"),
        Choice("pricing", "Pricing", res.PRICING, "on-demand",
               description="How rented instance-hours are paid (chapter 5); spot only suits interruptible work."),
        Choice("window", "Window", WINDOWS, "sale week", description="Which part of the year the top chart shows."),
    ]
    return LivePanel(controls, _render_elasticity, title="A year of demand, five ways to provision it")


def _render_placement(*, mix: str, count: float, host: str, algorithm: str, order: str, cluster: str) -> View:
    items = pl.workload(mix, int(count), seed=0)
    vcpu, memory = pl.host_shapes()[host]
    bound = pl.lower_bound(items, host_vcpu=vcpu, host_memory_gib=memory)
    summary = pl.placement_summary(items, host_vcpu=vcpu, host_memory_gib=memory, order=order,
                                   cluster_hosts=_cluster(cluster, bound))
    chart = placement_chart(items, host=host, algorithm=algorithm, order=order, cluster=cluster)
    row = summary.set_index("algorithm").loc[algorithm]
    text = (f"{algorithm}: <b>{int(row['hosts'])}</b> hosts in use for {int(count)} items (lower bound {bound}); "
            f"stranded {row['vcpu_stranded']:,.0f} vCPU and {row['memory_gib_stranded']:,.0f} GiB.")
    return View(chart=chart, table=placement_table(summary).round(1), text=text)


def placement_panel() -> LivePanel:
    """Pack a seeded mix of VMs or containers onto hosts with first-, best- or worst-fit; compare with the bound."""
    hosts = tuple(pl.host_shapes())
    controls = [
        Choice("mix", "Workload", pl.MIXES, "vms", description="VM sizes (t2, c5, m5, r5), Fargate task sizes, or both."),
        Slider("count", "Number of items", 50, 600, 50, 300, "", "How many VMs or containers to place (a seeded draw)."),
        Choice("host", "Host", hosts, "m5-metal", description="Host size (data/placement_shapes.csv)."),
        Choice("algorithm", "Rule", pl.ALGORITHMS, "first-fit",
               description="first-fit: first host with room; best-fit: fullest (kube MostAllocated); "
                           "worst-fit: emptiest (kube LeastAllocated, the default)."),
        Choice("order", "Order", pl.ORDERS, "decreasing",
               description="decreasing: largest first (offline); arrival: as requests come (online)."),
        Choice("cluster", "Hosts", CLUSTERS, "as needed",
               description="Open hosts as needed (bin packing), or a fixed cluster 25 % above the lower bound."),
    ]
    return LivePanel(controls, _render_placement, title="Packing VMs and containers onto hosts")


# ---------------------------------------------------------------------------------------------------------
# Exercise checks: expected values come from the models; any input gets a sentence, never a traceback
# ---------------------------------------------------------------------------------------------------------
def _safe_number(answer, expected: float, **kwargs) -> CheckResult:
    """check_number that answers any input with a sentence (None, text, bool, NaN, a list ...)."""
    if isinstance(answer, bool) or (isinstance(answer, (float, np.floating)) and not math.isfinite(answer)) \
            or (answer is not None and not isinstance(answer, (int, float, np.integer, np.floating))):
        shown = repr(answer)[:40]
        return CheckResult(False, f"✗ Not yet: {shown} is not a number: write a plain number such as 0.5 (no quotes, "
                                  f"no %). Hint: {kwargs['hint']}")
    try:
        return check_number(answer, expected, **kwargs)
    except ValueError:
        return CheckResult(False, f"✗ Not yet: {answer!r} cannot be checked: give a finite number. Hint: {kwargs['hint']}")


def _safe_choice(answer, expected: str, **kwargs) -> CheckResult:
    options = kwargs["options"]
    if answer is not None and (not isinstance(answer, str) or answer.strip().lower() not in
                               {option.lower() for option in options}):
        return CheckResult(False, f"✗ Not yet: {repr(answer)[:40]} is not one of {', '.join(map(repr, options))}. "
                                  f"Hint: {kwargs['hint']}")
    try:
        return check_choice(answer, expected, **kwargs)
    except ValueError:
        return CheckResult(False, f"✗ Not yet: the answer must be one of {list(options)}. Hint: {kwargs['hint']}")


def check_latency_utilization(answer) -> CheckResult:
    """Exercise: the utilisation (0-1) at which the M/M/1 p99 proxy equals 10 mean service times."""
    expected = 1 - math.log(100) / 10
    return _safe_number(answer, expected, what="the utilisation where p99 = 10 service times", abs_tol=0.005,
                        rel_tol=0.0, hint="solve ln(100) / (1 - rho) = 10 for rho; answer as a share such as 0.6.")


def check_fixed_fleet_utilization(answer) -> CheckResult:
    """Exercise: utilisation of the fixed-for-the-peak fleet in a year without the sale (sale multiplier 1)."""
    summary = res.simulate_year(sale_multiplier=1).summary.set_index("strategy")
    expected = float(summary.loc["fixed_peak", "utilization"])
    return _safe_number(answer, expected, what="the fixed fleet's utilisation without the sale", abs_tol=0.005,
                        rel_tol=0.0, hint="utilisation = mean demand / capacity, and the capacity is the peak / "
                                          "target; answer as a share such as 0.4.")


#: Exercise 3: (a) the 2012 EC2 Linux VM at the default target, or (b) a Firecracker microVM run hotter.
LAG_EXERCISE = {"a": {"startup_s": "mao2012-ec2-linux", "target_utilization": 0.6},
                "b": {"startup_s": "firecracker-boot", "target_utilization": 0.9}}


def _lag_case_unserved(case: str) -> float:
    settings = LAG_EXERCISE[case]
    summary = res.simulate_year(startup_s=startup_time_s(settings["startup_s"]),
                                target_utilization=settings["target_utilization"]).summary
    return float(summary.set_index("strategy").loc["reactive", "unserved_instance_hours"])


def check_start_up_or_target(answer) -> CheckResult:
    """Exercise: which case of LAG_EXERCISE leaves less demand unserved over the year, "a" or "b"?"""
    expected = min(("a", "b"), key=_lag_case_unserved)
    return _safe_choice(answer, expected, options=("a", "b"), what="the case that serves more of the year",
                        hint="run simulate_year() for both cases and compare the reactive row's "
                             "unserved_instance_hours; think about what the headroom above the target is for.")


def _savings_plan_break_even() -> float:
    """Utilisation a fixed fleet on a savings plan needs to cost less than reactive autoscaling on demand."""
    p = cost.default_parameters()
    discount = cost.savings_plan_discount(p["savings_plan_term_years"], p["savings_plan_discount_1y"],
                                          p["savings_plan_discount_3y"])
    reactive = res.simulate_year().summary.set_index("strategy").loc["reactive", "utilization"]
    return float((1 - discount) * reactive)


def check_savings_plan_break_even(answer) -> CheckResult:
    """Exercise: the utilisation (0-1) at which a committed fixed fleet costs the same as autoscaling on demand."""
    return _safe_number(answer, _savings_plan_break_even(), what="the fixed fleet's break-even utilisation",
                        abs_tol=0.01, rel_tol=0.0,
                        hint="both pay per instance-hour: the fixed fleet (1 - discount) x price for hours = served / "
                             "its utilisation, autoscaling the full price for served / its utilisation. Answer as a "
                             "share such as 0.5.")


#: Exercise 5: 300 VMs on m5.metal hosts in a fixed cluster 25 % above the lower bound.
PLACEMENT_EXERCISE = {"mix": "vms", "count": 300, "host": "m5-metal"}


def _hosts_freed() -> int:
    items = pl.workload(PLACEMENT_EXERCISE["mix"], PLACEMENT_EXERCISE["count"], seed=0)
    vcpu, memory = pl.host_shapes()[PLACEMENT_EXERCISE["host"]]
    bound = pl.lower_bound(items, host_vcpu=vcpu, host_memory_gib=memory)
    summary = pl.placement_summary(items, host_vcpu=vcpu, host_memory_gib=memory,
                                   cluster_hosts=_cluster("fixed, 25 % spare", bound)).set_index("algorithm")
    return int(summary.loc["worst-fit", "hosts"] - summary.loc["first-fit", "hosts"])


def check_hosts_freed(answer) -> CheckResult:
    """Exercise: how many more hosts worst-fit keeps busy than first-fit in the fixed cluster."""
    return _safe_number(answer, float(_hosts_freed()), what="the number of hosts first-fit leaves free",
                        unit="hosts", rel_tol=0.0, abs_tol=0.5,
                        hint="in the placement panel choose 'fixed, 25 % spare' and compare the hosts column of "
                             "first-fit and worst-fit.")

