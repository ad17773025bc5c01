"""Chapter 4 views: measured overheads, start-up times, the latency ladder, the fleet panel and the self-checks.

Every chart is drawn from :mod:`helpers.performance` (or :mod:`helpers.startup`) and finished with
:func:`helpers.charts.finish`: its title states the finding, the line under it names the data and the
model function. Encodings are typed channel objects (``alt.X(...)``), never bare strings.
"""

from __future__ import annotations

import math
import numbers
import textwrap

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from . import performance as pf
from .claims import VERDICT_STYLES
from .charts import CHART_WIDTH, INK, PALETTE, SOURCE_LINE_CHARS, finish
from .exercises import CheckResult, check_choice, check_number
from .startup import startup_time_s, startup_times
from .data import Column
from .validation import require_choice, require_choices, require_frame, require_text
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "BENCH_SOURCE", "relative_performance_chart", "startup_chart", "latency_ladder_chart", "fleet_chart",
    "fleet_panel", "article_table", "benchmark_table", "ladder_table", "scale_table", "startup_table",
    "PANEL_PLATFORMS", "EXERCISE_WEB_MIX", "EXERCISE_SRIOV", "check_io_pattern", "check_web_multiplier",
    "check_article_memory_rung", "check_sriov_hosts_saved", "check_toolstack_ratio", "sriov_hosts_saved",
]

BENCH_SOURCE = "data/felter2014_benchmarks.csv (Felter et al. 2014, raw files of thewmf/kvm-docker-comparison @ 6820500)"
LADDER_SOURCE = "data/latency_ladder.csv (Intel 2009, Dean 2009, Felter 2014, AWS, Azure 2023, our 2026 measurement)"
STARTUP_SOURCE = "data/startup_times.csv (papers, vendor documents, blog measurements; see each row)"
FLEET_SOURCE = ("data/felter2014_benchmarks.csv, instance_overheads.csv, density_parameters.csv (host reserve), "
                "cost_assumptions.csv")
SHOWN_PLATFORMS = ("docker", "docker_nat", "kvm", "kvm_untuned")
CATEGORY_LABELS = {"memory": "memory", "cpu_transition": "CPU transitions",
                   "storage": "storage", "network": "network"}
CATEGORY_COLOURS = (PALETTE[0], PALETTE[4], PALETTE[2], PALETTE[6])
#: Axis ticks of the ladder (µs) and how they read.
LADDER_TICKS = {0.01: "10 ns", 0.1: "100 ns", 1: "1 µs", 10: "10 µs", 100: "100 µs", 1000: "1 ms", 10_000: "10 ms",
                100_000: "100 ms", 1_000_000: "1 s"}
#: The fleet panel's platform menu: what the student reads -> the density model's platform.
PANEL_PLATFORMS = {"Full VM (KVM)": "type1_hypervisor", "Firecracker microVM": "microvm",
                   "gVisor sandbox": "gvisor_sandbox", "Container (runc)": "containers_on_host"}
SCENARIO_COLOURS = (PALETTE[7], PALETTE[5])
RESOURCE_LABELS = {"cpu": "CPU", "memory": "Memory", "storage": "Storage", "network": "Network"}
#: Colours that stay distinct on a projector (no pale yellow): Docker blues, KVM reds.
PLATFORM_COLOURS = {"docker": PALETTE[4], "docker_nat": PALETTE[1], "kvm": PALETTE[5], "kvm_untuned": PALETTE[6]}
#: Short benchmark names for the chart's axis (the table and tooltips carry the full settings).
SHORT_NAMES = {
    "linpack": "Linpack", "stream_copy": "STREAM Copy", "stream_scale": "STREAM Scale", "stream_add": "STREAM Add",
    "stream_triad": "STREAM Triad", "randomaccess_2s": "RandomAccess, 2 sockets",
    "randomaccess_1s": "RandomAccess, 1 socket", "fio_randread": "fio random read 4K",
    "fio_randwrite": "fio random write 4K", "fio_mixed": "fio mixed r/w 4K", "fio_seqread": "fio seq. read 1M",
    "fio_seqwrite": "fio seq. write 1M", "netperf_tcp_rr": "TCP round trips", "netperf_udp_rr": "UDP round trips",
    "nuttcp_c2s": "TCP bulk, one way", "nuttcp_s2c": "TCP bulk, other way", "redis_get_1client": "Redis GET, 1 client",
    "redis_get_100plus": "Redis GET, 100+ clients",
}


def _inline(frame: pd.DataFrame) -> alt.InlineData:
    """Data as plain records: altair then skips its per-DataFrame sanitising pass."""
    return alt.InlineData(values=frame.to_dict("records"))


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def _narrow(finished: alt.VConcatChart, width_px: int) -> alt.VConcatChart:
    """Rewrap :func:`finish`'s source line to ``width_px`` so the whole chart fits a 1024x768 screen at 125 %.

    The source line sits under the plot, left-aligned with it; at its full width (``CHART_WIDTH``) it adds
    the width of the y-axis labels to the chart. Only a source line as :func:`finish` builds it is changed.
    """
    line = finished.vconcat[-1] if isinstance(finished, alt.VConcatChart) and finished.vconcat else None
    data = getattr(line, "data", None)
    if not isinstance(line, alt.Chart) or getattr(line, "width", None) != CHART_WIDTH or \
            not isinstance(data, pd.DataFrame) or list(data.columns) != ["line"]:
        return finished
    text = " ".join(data["line"].iloc[0].split("\n"))
    chars = max(40, min(SOURCE_LINE_CHARS, int(width_px / 5.6)))
    lines = textwrap.wrap(text, width=chars, break_on_hyphens=False)
    finished.vconcat[-1] = line.properties(data=pd.DataFrame({"line": ["\n".join(lines)]}), width=width_px,
                                           height=13 * len(lines))
    return finished


# ---------------------------------------------------------------------------------------------------------
# Measured overheads
# ---------------------------------------------------------------------------------------------------------
def relative_performance_chart(platforms: tuple[str, ...] | list[str] = SHOWN_PLATFORMS) -> alt.VConcatChart:
    """Every benchmark relative to native (1 = bare metal), one dot per platform, grouped by resource."""
    platforms = require_choices("platforms", platforms, SHOWN_PLATFORMS)
    frame = pf.relative_performance()
    frame = frame[frame["platform"].isin(platforms)].copy()
    frame["label"] = frame["benchmark_id"].map(SHORT_NAMES).fillna(frame["benchmark"])
    frame["resource_label"] = frame["resource"].map(RESOURCE_LABELS)
    order = list(dict.fromkeys(frame["label"]))
    frame["platform_label"] = frame["platform"].map(pf.PLATFORM_LABELS)
    frame["percent"] = frame["relative"].map(lambda r: f"{r * 100:.1f} %")
    labels = [pf.PLATFORM_LABELS[p] for p in platforms]
    data = _inline(frame[["label", "resource_label", "benchmark", "platform_label", "relative", "percent", "value",
                          "native_value", "unit"]])
    x = alt.X("relative:Q", title="Performance relative to native (higher is better)",
              scale=alt.Scale(domain=[0, 1.1]), axis=alt.Axis(format=".0%"))
    legend = alt.Legend(orient="top", columns=2, title=None)
    dots = alt.Chart().mark_point(filled=True, size=70, opacity=0.9).encode(
        x=x, y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=170)),
        color=alt.Color("platform_label:N", title=None, legend=legend,
                        scale=alt.Scale(domain=labels, range=[PLATFORM_COLOURS[p] for p in platforms])),
        shape=alt.Shape("platform_label:N", title=None, legend=legend, scale=alt.Scale(domain=labels)),
        tooltip=[alt.Tooltip("benchmark:N"), alt.Tooltip("platform_label:N", title="platform"),
                 alt.Tooltip("percent:N", title="of native"), alt.Tooltip("value:Q", format=",.4~g"),
                 alt.Tooltip("native_value:Q", format=",.4~g"), alt.Tooltip("unit:N")])
    native = alt.Chart().mark_rule(color=INK, strokeDash=[4, 3]).encode(x=alt.XDatum(1.0))
    chart = alt.layer(native, dots, data=data).properties(width=300, height=alt.Step(16)).facet(
        row=alt.Row("resource_label:N", sort=[RESOURCE_LABELS[r] for r in pf.RESOURCES], title=None,
                    header=alt.Header(labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                      labelFontSize=11, labelPadding=2)),
        spacing=4).resolve_scale(y="independent")
    ratios = frame.set_index(["benchmark_id", "platform"])["relative"]
    title = "Docker matches native; KVM loses little CPU, half its random I/O"
    subtitle = ["Dashed line = native (bare metal)."]
    if "kvm" in platforms:
        subtitle.insert(0, f"KVM: Linpack {_pct(ratios[('linpack', 'kvm')])}, random-read IOPS "
                           f"{_pct(ratios[('fio_randread', 'kvm')])}, TCP round trips "
                           f"{_pct(ratios[('netperf_tcp_rr', 'kvm')])} of native.")
    return _narrow(finish(chart, title=title, subtitle=subtitle, source=BENCH_SOURCE,
                          model="helpers.performance.relative_performance"), 330)


def benchmark_table(platform: str = "kvm"):
    """The measurements of one platform beside native, with the ratio, as a styled table (no index)."""
    require_choice("platform", platform, SHOWN_PLATFORMS)
    frame = pf.relative_performance()
    frame = frame[frame["platform"] == platform]
    table = pd.DataFrame({
        "benchmark": frame["benchmark"].to_numpy(),
        "resource": frame["resource"].to_numpy(),
        "unit": frame["unit"].to_numpy(),
        "native": frame["native_value"].to_numpy(),
        pf.PLATFORM_LABELS[platform]: frame["value"].to_numpy(),
        "relative to native": frame["relative"].to_numpy(),
    })
    return (table.style.hide(axis="index")
            .format({"native": "{:,.4g}", pf.PLATFORM_LABELS[platform]: "{:,.4g}", "relative to native": "{:.1%}"})
            .set_caption(f"Felter et al. (2014): {pf.PLATFORM_LABELS[platform]} vs native, computed from the raw files"))


def article_table():
    """The article's performance table beside the measurements, every cell with its verdict (styled, no index)."""
    table = pf.article_performance_table()
    marks = {verdict: f"{symbol} {verdict}" for verdict, (symbol, _, _) in VERDICT_STYLES.items()}  # text-safe symbols
    ids = table["claims"].str.split(", ")
    for position, column in enumerate(("verdict (VM)", "verdict (container)")):
        table[column] = table[column].map(marks) + "\n(" + ids.str[position].fillna(ids.str[0]) + ")"
    table = table.drop(columns="claims")
    return (table.style.hide(axis="index")
            .set_properties(**{"white-space": "pre-wrap", "text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left"), ("vertical-align", "bottom")]}])
            .set_caption("The article's 性能数据对比 table, every cell a claim (data/claims.csv), beside what was measured"))


# ---------------------------------------------------------------------------------------------------------
# Start-up times
# ---------------------------------------------------------------------------------------------------------
STARTUP_LABELS = {"cloud_vm": "cloud VM", "microvm": "microVM", "container": "container", "function": "function",
                  "unikernel": "unikernel", "process": "process"}
STARTUP_COLOURS = (PALETTE[0], PALETTE[4], PALETTE[2], PALETTE[6], PALETTE[1], PALETTE[5])
STARTUP_TICKS = [0.001, 0.01, 0.1, 1, 10, 100, 1000]


def startup_chart() -> alt.VConcatChart:
    """Every published start-up time on a log scale (seconds), coloured by what starts; ranges as bars."""
    table = startup_times().sort_values("time_s", kind="stable")
    frame = table.assign(what=table["platform"].map(STARTUP_LABELS),
                         low=table["low_s"].fillna(table["time_s"]), high=table["high_s"].fillna(table["time_s"]),
                         shown=table["time_s"].map(_seconds_text))
    order = list(frame["label"])
    data = _inline(frame[["label", "what", "time_s", "low", "high", "shown", "statistic", "year", "kind",
                          "measured_from_to"]])
    x = alt.X("time_s:Q", title="Start-up time (seconds, log scale)",
              scale=alt.Scale(type="log", domain=[0.0005, 2000]), axis=alt.Axis(format="~g", values=STARTUP_TICKS))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    colour = alt.Color("what:N", title=None, legend=alt.Legend(orient="top", columns=3),
                       scale=alt.Scale(domain=list(STARTUP_LABELS.values()), range=list(STARTUP_COLOURS)))
    tooltip = [alt.Tooltip("label:N"), alt.Tooltip("shown:N", title="time"), alt.Tooltip("statistic:N"),
               alt.Tooltip("year:Q", format="d"), alt.Tooltip("kind:N"), alt.Tooltip("measured_from_to:N")]
    ranges = alt.Chart(data).mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=alt.X("low:Q", scale=alt.Scale(type="log", domain=[0.0005, 2000])), x2=alt.X2("high"), y=y, color=colour)
    dots = alt.Chart(data).mark_point(filled=True, size=70).encode(x=x, y=y, color=colour, tooltip=tooltip)
    chart = alt.layer(ranges, dots).properties(width=300, height=alt.Step(17))
    fastest, slowest = frame.iloc[0], frame.iloc[-1]
    orders = math.log10(slowest["time_s"] / fastest["time_s"])
    return _narrow(finish(chart, title=f"Start-up times span {orders:.1f} orders of magnitude",
                  subtitle=[f"From {fastest['label']} ({_seconds_text(fastest['time_s'])}) to {slowest['label']} "
                            f"({_seconds_text(slowest['time_s'])}).",
                            "Each figure times a different interval (see the table); bars are published ranges."],
                  source=STARTUP_SOURCE, model="helpers.startup.startup_times"), 330)


def _seconds_text(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:,.3g} ms"
    return f"{seconds:,.3g} s"


def startup_table():
    """The start-up figures with what each measures, sorted by time (styled, no index)."""
    table = startup_times().sort_values("time_s", kind="stable")
    times = [_seconds_text(t) if pd.isna(low) or pd.isna(high)
             else f"{_seconds_text(low)} to {_seconds_text(high)}" if statistic == "range"
             else f"{_seconds_text(t)} ({_seconds_text(low)} to {_seconds_text(high)})"
             for t, low, high, statistic in zip(table["time_s"], table["low_s"], table["high_s"], table["statistic"])]
    shown = pd.DataFrame({"what starts": table["label"].to_numpy(), "time": times,
                          "statistic": table["statistic"].str.replace("_", " ").to_numpy(),
                          "year": table["year"].to_numpy(),
                          "measured from → to": table["measured_from_to"].to_numpy(), "kind": table["kind"].to_numpy()})
    return _left(shown.style.hide(axis="index")).set_caption(
        "Published start-up times (data/startup_times.csv; sources in the file)")


def _left(styler):
    """Left-aligned cells and headers, top-aligned rows."""
    return styler.set_properties(**{"text-align": "left", "vertical-align": "top"}).set_table_styles(
        [{"selector": "th", "props": [("text-align", "left"), ("vertical-align", "bottom")]}])


# ---------------------------------------------------------------------------------------------------------
# Latency ladder
# ---------------------------------------------------------------------------------------------------------
def _latency_text(microseconds: float) -> str:
    if microseconds < 1:
        return f"{microseconds * 1000:,.3g} ns"
    if microseconds < 1000:
        return f"{microseconds:,.3g} µs"
    return f"{microseconds / 1000:,.3g} ms"


def _article_bands() -> pd.DataFrame:
    rows = []
    for key, what in (("vm", "VM"), ("container", "container")):
        low, high = pf.ARTICLE_MEMORY_LATENCY_US[key]
        rows.append({"band": f"article: {what} memory latency", "low": low, "high": high,
                     "text": f"article, {what} memory: {_latency_text(low)}-{_latency_text(high)}"})
        low, high = pf.ARTICLE_NETWORK_LATENCY_US[key]
        rows.append({"band": f"article: {what} network latency", "low": low, "high": high,
                     "text": f"article, {what} network: {_latency_text(low)}-{_latency_text(high)}"})
    return pd.DataFrame(rows)


def latency_ladder_chart() -> alt.VConcatChart:
    """The latency ladder on a log scale (µs) with the article's memory and network latencies as shaded bands."""
    ladder = pf.latency_ladder()
    frame = ladder.assign(low=ladder["low_us"].fillna(ladder["latency_us"]),
                          high=ladder["high_us"].fillna(ladder["latency_us"]),
                          shown=ladder["latency_us"].map(_latency_text),
                          category_label=ladder["category"].map(CATEGORY_LABELS),
                          label_year=ladder["chart_label"] + " (" + ladder["year"].astype(str) + ")")
    order = list(frame["label_year"])
    scale = alt.Scale(type="log", domain=[0.01, 1_000_000])
    label_expr = " : ".join(f"datum.value == {tick:g} ? '{text}'" for tick, text in LADDER_TICKS.items()) + " : ''"
    x = alt.X("latency_us:Q", title="Latency (log scale)", scale=scale,
              axis=alt.Axis(values=list(LADDER_TICKS), labelExpr=label_expr, labelAngle=0))
    y = alt.Y("label_year:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    colour = alt.Color("category_label:N", title=None, legend=alt.Legend(orient="top", columns=2),
                       scale=alt.Scale(domain=list(CATEGORY_LABELS.values()), range=list(CATEGORY_COLOURS)))
    bands = _article_bands()
    shade = alt.Chart(_inline(bands)).mark_rect(opacity=0.22, color=PALETTE[5]).encode(
        x=alt.X("low:Q", scale=scale), x2=alt.X2("high"), tooltip=[alt.Tooltip("text:N")])
    data = _inline(frame[["label_year", "label", "category_label", "latency_us", "low", "high", "shown", "kind",
                          "measured_from_to"]])
    ranges = alt.Chart(data).mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=alt.X("low:Q", scale=scale), x2=alt.X2("high"), y=y, color=colour)
    dots = alt.Chart(data).mark_point(filled=True, size=70).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("label:N", title="rung"), alt.Tooltip("shown:N", title="latency"),
                 alt.Tooltip("kind:N"), alt.Tooltip("measured_from_to:N")])
    band_labels = alt.Chart(_inline(bands.assign(mid=np.sqrt(bands["low"] * bands["high"]),
                                                  short=bands["band"].str.replace("article: ", "article ")
                                                  .str.replace(" latency", "")))).mark_text(
        angle=270, align="right", baseline="middle", dy=0, fontSize=9, color=PALETTE[5], y=4).encode(
        x=alt.X("mid:Q", scale=scale), text=alt.Text("short:N"))
    chart = alt.layer(shade, ranges, dots, band_labels).properties(width=300, height=alt.Step(19))
    dram = float(ladder.loc[ladder["rung_id"] == "dram-dean-2009", "latency_us"].iloc[0])
    low, high = pf.ARTICLE_MEMORY_LATENCY_US["vm"]
    return _narrow(finish(chart,
                  title="The article's 'memory latency' is a network round trip",
                  subtitle=["Red bands: the article's figures. Its VM memory latency",
                            f"({low:g}-{high:g} µs) is {low / dram:,.0f}-{high / dram:,.0f}x a memory reference; its VM "
                            "network", "latency (100-500 ms) is a round trip between continents."],
                  source=LADDER_SOURCE, model="helpers.performance.latency_ladder"), 320)


def ladder_table():
    """The ladder's rungs with id, latency, year and kind (styled, no index): the ids the exercises ask for."""
    ladder = pf.latency_ladder()
    latency = [_latency_text(v) if pd.isna(low) or pd.isna(high) else f"{_latency_text(v)} ({_latency_text(low)} to "
               f"{_latency_text(high)})" for v, low, high in zip(ladder["latency_us"], ladder["low_us"], ladder["high_us"])]
    table = pd.DataFrame({"rung_id": ladder["rung_id"].to_numpy(), "rung": ladder["label"].to_numpy(),
                          "latency": latency, "year": ladder["year"].to_numpy(), "kind": ladder["kind"].to_numpy()})
    return _left(table.style.hide(axis="index")).set_caption(
        "The latency ladder (data/latency_ladder.csv): dated figures, shortest first")


def scale_table():
    """Kubernetes' tested thresholds and GKE's limits (styled, no index)."""
    table = pf.scale_thresholds()
    shown = pd.DataFrame({"system": table["system"].to_numpy(), "quantity": table["quantity"].to_numpy(),
                          "value": table["value"].map(lambda v: f"{v:,.0f}").to_numpy(),
                          "kind of limit": table["kind_of_limit"].str.replace("_", " ").to_numpy(),
                          "year": table["year"].to_numpy()})
    return _left(shown.style.hide(axis="index")).set_caption(
        "How far one cluster scales (data/scale_thresholds.csv): thresholds, not caps")


# ---------------------------------------------------------------------------------------------------------
# The fleet panel
# ---------------------------------------------------------------------------------------------------------
OPTION_COLUMNS = [column for column in pf.FLEET_COLUMNS if column.endswith("_usd_per_month")]
#: What fleet_chart checks in its table: every column of a fleet_comparison() result.
_FLEET_TABLE = (
    Column("scenario", "str", "Bare metal, then the platform."),
    Column("peak_instances", "int", "Peak instances.", minimum=0),
    Column("instance_hours_per_month", "float", "Instance-hours per month.", minimum=0),
    Column("instances_per_host", "int", "Instances per host.", minimum=1),
    Column("hosts", "int", "Hosts for the peak.", minimum=0),
    *(Column(column, "float", "Monthly cost of the option.", unit="USD per month", minimum=0)
      for column in OPTION_COLUMNS),
)


def fleet_chart(table: pd.DataFrame, platform_label: str) -> alt.VConcatChart:
    """Monthly cost of each option for bare metal and for the platform (a :func:`fleet_comparison` table)."""
    require_frame("table", table, _FLEET_TABLE, key="scenario", min_rows=2)
    if len(table) != 2:
        raise ValueError(f"table must be a two-row fleet_comparison() result (bare metal, then the platform); "
                         f"got {len(table)} rows")
    require_text("platform_label", platform_label)
    scenarios = ["bare metal, no overhead", f"{platform_label}, these overheads"]
    rows = []
    for scenario, (_, row) in zip(scenarios, table.iterrows()):
        for column in OPTION_COLUMNS:
            option = column.replace("_usd_per_month", "")
            cost_usd = float(row[column])
            rows.append({"scenario": scenario, "option": option, "cost_usd_per_month": round(cost_usd, 2),
                         "label": f"${cost_usd / 1000:,.1f}k"
                                  + (f" ({int(row['hosts'])} hosts)" if option == "on-premises" else "")})
    data = _inline(pd.DataFrame(rows))
    options = [c.replace("_usd_per_month", "") for c in OPTION_COLUMNS]
    y = alt.Y("option:N", sort=options, title=None)
    x = alt.X("cost_usd_per_month:Q", title="Cost of the fleet (USD per month)", axis=alt.Axis(format="$,.0f"),
              scale=alt.Scale(domain=[0, float(table[OPTION_COLUMNS].to_numpy().max()) * 1.35]))
    offset = alt.YOffset("scenario:N", sort=scenarios)
    colour = alt.Color("scenario:N", scale=alt.Scale(domain=scenarios, range=list(SCENARIO_COLOURS)), title=None,
                       legend=alt.Legend(orient="top", labelLimit=320))
    bars = alt.Chart(data).mark_bar().encode(
        x=x, y=y, yOffset=offset, color=colour,
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("option:N"),
                 alt.Tooltip("cost_usd_per_month:Q", format="$,.0f")])
    text = alt.Chart(data).mark_text(align="left", dx=3, fontSize=10, color=INK).encode(
        x=x, y=y, yOffset=offset, text=alt.Text("label:N"))
    chart = alt.layer(bars, text).properties(width=340, height=alt.Step(22))
    base, other = table.iloc[0], table.iloc[1]
    factor = table.attrs.get("multiplier", other["peak_instances"] / max(base["peak_instances"], 1))
    extra_hosts = int(other["hosts"] - base["hosts"])
    extra_usd = float(other["on-premises_usd_per_month"] - base["on-premises_usd_per_month"])
    title = (f"{platform_label}: {_pct(factor - 1)} more instances, {extra_hosts:+d} hosts, "
             f"{'+' if extra_usd >= 0 else '-'}${abs(extra_usd):,.0f}/month owned")
    subtitle = [f"Bare metal: {int(base['hosts'])} hosts of {int(base['instances_per_host'])} instances; "
                f"{platform_label}: {int(other['hosts'])} hosts of {int(other['instances_per_host'])}.",
                "Owned = on-premises, with chapter 5's spare host; the cloud pays per instance-hour."]
    return _narrow(finish(chart, title=title, subtitle=subtitle, source=FLEET_SOURCE,
                          model="helpers.performance.fleet_comparison (via architecture.density_table, "
                                "cost.monthly_cost_by_option)"), 420)


def _fleet_sliders() -> list:
    measured = pf.measured_overheads("kvm")
    return [
        Choice("platform", "Platform", tuple(PANEL_PLATFORMS), "Full VM (KVM)",
               description="What isolates the instances: sets what each instance costs a host, after the host's "
                           "own reserve (chapter 2's density model: guest OS and VMM memory for a full VM, ~120 MiB "
                           "and 0.25 vCPU for a microVM, a few MiB for a container)"),
        Choice("workload", "Workload mix", tuple(pf.WORKLOAD_MIXES), "Web / API service",
               description="ASSUMED shares of the workload's busy time: " + "; ".join(
                   f"{name}: " + ", ".join(f"{r} {share:.0%}" for r, share in mix.items() if share)
                   for name, mix in pf.WORKLOAD_MIXES.items())),
        Slider("cpu_pct", "CPU overhead", 0, 60, 0.1, round(measured["cpu"] * 100, 1), "%",
               "CPU speed lost. Default: KVM tuned, Linpack (2.3 %); untuned KVM lost 55 %; Docker 0"),
        Slider("memory_pct", "Memory overhead", 0, 60, 0.1, round(measured["memory"] * 100, 1), "%",
               "Memory bandwidth lost. Default: KVM, STREAM Triad (1.3 %); random access on one socket 14 %"),
        Slider("storage_pct", "Storage overhead", 0, 60, 0.1, round(measured["storage"] * 100, 1), "%",
               "Small random I/O lost. Default: KVM with virtio, fio random read (45.1 %); Docker 0"),
        Slider("network_pct", "Network overhead", 0, 60, 0.1, round(measured["network"] * 100, 1), "%",
               "Request/response rate lost. Default: KVM, netperf TCP_RR (44.7 %); Docker host network 2.5 %"),
        Slider("steal_pct", "CPU steal", 0, 30, 1, 0, "%",
               "Share of CPU time other tenants' vCPUs take (noisy neighbours on an overcommitted host)"),
        Slider("fleet", "Fleet size", 100, 5000, 20, pf.DEFAULT_FLEET_INSTANCES, "instances",
               "Instances of work on bare metal, on average over the day; the demand follows a daily cycle "
               "(its peak is about 1.45x the average)"),
    ]


def _render_fleet(*, platform: str, workload: str, cpu_pct: float, memory_pct: float, storage_pct: float,
                  network_pct: float, steal_pct: float, fleet: float) -> View:
    overheads = {"cpu": cpu_pct / 100, "memory": memory_pct / 100, "storage": storage_pct / 100,
                 "network": network_pct / 100}
    table = pf.fleet_comparison(overheads=overheads, mix=pf.WORKLOAD_MIXES[workload],
                                platform=PANEL_PLATFORMS[platform], native_instances=fleet, cpu_steal=steal_pct / 100)
    base, other = table.iloc[0], table.iloc[1]
    text = (f"{workload}: the work of <b>{fleet:,.0f}</b> bare-metal instances needs "
            f"<b>x{table.attrs['multiplier']:.3f}</b> as many on this platform: peak {int(base['peak_instances']):,} "
            f"→ <b>{int(other['peak_instances']):,}</b> instances, {int(base['hosts'])} → "
            f"<b>{int(other['hosts'])}</b> hosts.")
    # One row per quantity, one column per scenario: narrow enough for a projector whatever the platform's name.
    rows = {"peak instances": "peak_instances", "instances per host": "instances_per_host", "hosts for the peak": "hosts",
            **{f"{column.replace('_usd_per_month', '')} (USD/month)": column for column in OPTION_COLUMNS}}
    shown = pd.DataFrame({"quantity": list(rows),
                          "bare metal": [int(round(float(base[c]))) for c in rows.values()],
                          platform: [int(round(float(other[c]))) for c in rows.values()]})
    return View(chart=fleet_chart(table, platform), table=shown, text=text)


def fleet_panel() -> LivePanel:
    """Pick a platform, a workload mix and the overhead per resource: hosts and monthly cost of the fleet."""
    panel = LivePanel(_fleet_sliders(), _render_fleet, title="What an overhead costs a fleet")
    # Eight controls in LivePanel's fixed two 470 px columns hide the second column on a 1024x768 screen at
    # 125 %: let the grid fall back to one column when it is narrow (a no-op once LivePanel lays out responsively).
    for child in panel.children:
        if isinstance(child, widgets.GridBox) and "470px" in str(child.layout.grid_template_columns):
            child.layout.grid_template_columns = "repeat(auto-fit, minmax(min(100%, 470px), 1fr))"
    return panel


# ---------------------------------------------------------------------------------------------------------
# Exercise checks: expected values from the model; any student input gets a sentence, never a traceback
# ---------------------------------------------------------------------------------------------------------
def _is_number(answer) -> bool:
    return (isinstance(answer, numbers.Real) and not isinstance(answer, (bool, np.bool_))
            and math.isfinite(float(answer)))


def _number(answer, expected: float, *, what: str, unit: str, rel_tol: float, hint: str,
            example: str) -> CheckResult:
    if answer is None:
        return check_number(None, expected, what=what, hint=hint)
    if not _is_number(answer):
        return CheckResult(False, f"✗ Not yet: the answer must be one number{f' ({unit})' if unit else ''}, such as {example}; "
                                  f"you gave {answer!r}. Hint: {hint}")
    return check_number(float(answer), expected, what=what, unit=unit, rel_tol=rel_tol, hint=hint)


def _choice(answer, expected: str, *, options: tuple[str, ...], what: str, hint: str) -> CheckResult:
    if answer is None:
        return check_choice(None, expected, options=options, what=what, hint=hint)
    if not isinstance(answer, str) or answer.strip().lower() not in {o.lower() for o in options}:
        shown = ", ".join(repr(o) for o in options)
        return CheckResult(False, f"✗ Not yet: the answer must be one of {shown} (a string in quotes); "
                                  f"you gave {answer!r}. Hint: {hint}")
    return check_choice(answer, expected, options=options, what=what, hint=hint)


IO_PATTERN_OPTIONS = ("fio_seqread", "fio_randread")


def check_io_pattern(answer) -> CheckResult:
    """Exercise 1: which fio result lost more under KVM, and so pays per operation, not per byte?"""
    ratios = pf.benchmark_ratios("kvm")
    expected = min(IO_PATTERN_OPTIONS, key=lambda b: ratios[b])
    return _choice(answer, expected, options=IO_PATTERN_OPTIONS, what="the KVM result that lost more",
                   hint="Compare how many operations each job issues per second (1 MiB vs 4 KiB each) "
                        "and where each operation crosses the hypervisor.")


#: Exercise 2: a web service spending 60 % of its busy time on CPU and 40 % waiting on network round trips.
EXERCISE_WEB_MIX = {"cpu": 0.6, "memory": 0.0, "storage": 0.0, "network": 0.4}


def check_web_multiplier(answer) -> CheckResult:
    """Exercise 2: the capacity multiplier of :data:`EXERCISE_WEB_MIX` at KVM's measured overheads."""
    expected = pf.capacity_multiplier(pf.measured_overheads("kvm"), EXERCISE_WEB_MIX)
    return _number(answer, expected, what="the number of instances needed, per bare-metal instance", unit="x",
                   rel_tol=0.01, example="1.5",
                   hint="Each resource's share of the time is stretched by 1 / (1 - its overhead); add the "
                        "stretched shares.")


def check_article_memory_rung(answer) -> CheckResult:
    """Exercise 3: the rung of the ladder closest (log scale) to the article's VM memory latency."""
    ladder = pf.latency_ladder()
    low, high = pf.ARTICLE_MEMORY_LATENCY_US["vm"]
    middle = math.sqrt(low * high)
    distance = (np.log10(ladder["latency_us"]) - math.log10(middle)).abs()
    expected = str(ladder.loc[distance.idxmin(), "rung_id"])
    return _choice(answer, expected, options=tuple(ladder["rung_id"]), what="the rung closest to 50-100 µs",
                   hint="On a log scale the middle of 50-100 µs is about 71 µs; find the rung nearest to it and "
                        "read what it measures.")


#: Exercise 4: an OLTP database fleet on full VMs, at KVM's measured overheads, storage via virtio vs passthrough.
EXERCISE_SRIOV = {"workload": "OLTP database", "platform": "type1_hypervisor", "passthrough_storage": 0.05}


def sriov_hosts_saved() -> int:
    """Hosts saved by cutting the storage overhead from virtio's measured value to 5 % (Exercise 4)."""
    overheads = pf.measured_overheads("kvm")
    mix = pf.WORKLOAD_MIXES[EXERCISE_SRIOV["workload"]]
    hosts = [int(pf.fleet_comparison(overheads={**overheads, "storage": storage}, mix=mix,
                                     platform=EXERCISE_SRIOV["platform"]).iloc[1]["hosts"])
             for storage in (overheads["storage"], EXERCISE_SRIOV["passthrough_storage"])]
    return hosts[0] - hosts[1]


def check_sriov_hosts_saved(answer) -> CheckResult:
    """Exercise 4: hosts saved when the database's storage path stops paying virtio's overhead."""
    return _number(answer, float(sriov_hosts_saved()), what="the number of hosts saved", unit="", rel_tol=0.0,
                   example="3", hint="In the panel pick Full VM and OLTP database, note the hosts, then set the "
                                     "storage overhead to 5 and read the hosts again.")


def check_toolstack_ratio(answer) -> CheckResult:
    """Exercise 5: how many times longer the same tiny Xen guest took with the standard toolstack than LightVM."""
    expected = startup_time_s("xen-xl-unikernel-2014") / startup_time_s("lightvm-boot")
    return _number(answer, expected, what="the ratio xl toolstack / LightVM", unit="x", rel_tol=0.03,
                   example="100", hint="Divide the two start-up times in the table; convert both to seconds first.")
