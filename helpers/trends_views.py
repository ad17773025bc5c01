"""Chapter 8 views: the convergence chart, the trend timeline, the cold-start chart and panel, the self-checks.

Every chart is drawn from :mod:`helpers.trends` and finished with :func:`helpers.charts.finish` (a title
that states the finding, a source line naming the data and the model function). Encodings are typed
channel objects (``alt.X(...)``), never bare strings: a string makes altair search the whole Vega-Lite
schema on every redraw of the panel.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from . import trends
from .charts import INK, MUTED, PALETTE, finish, wrap_title
from .exercises import CheckResult, check_choice, check_number
from .tables import styled_table
from .validation import require_choice, require_choices, require_integer, require_number
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "CONVERGENCE_SOURCE", "TIMELINE_SOURCE", "COLD_START_SOURCE", "COLD_START_FIGURES", "RATE_CHOICES",
    "STARTUP_BUDGETS", "ENTRY_POINT_LIMITS", "convergence_chart", "convergence_view", "convergence_panel",
    "convergence_table", "trend_timeline_chart", "trend_events_table", "parameters_table",
    "cold_start_chart", "cold_start_view", "cold_start_panel", "format_rate", "format_seconds",
    "EXERCISE_BY_HAND", "EXERCISE_P99", "EXERCISE_BURST", "EXERCISE_WORST_CASE", "EXERCISE_SLACK",
    "check_cold_share_by_hand", "check_p99_rate", "check_prewarmed_for_burst", "check_worst_case_platform",
    "check_utilisation_growth",
]

CONVERGENCE_SOURCE = "data/startup_times.csv, trend_startups.csv; enforcing_interface.csv"
TIMELINE_SOURCE = "data/timeline.csv (chapter 1), trend_events.csv (chapter 8)"
COLD_START_SOURCE = "data/cold_start_parameters.csv; start-up figures: startup_times.csv, trend_startups.csv"
PLOT_WIDTH = 330

#: Colour of each platform of the convergence chart (no pale colours: they vanish on a projector).
SERIES_COLOURS = dict(zip(trends.SERIES_IDS, (PALETTE[5], PALETTE[0], PALETTE[6], PALETTE[1], PALETTE[2],
                                              PALETTE[3], PALETTE[4])))
TREND_COLOURS = {"timeline.csv": PALETTE[4], "trend_events.csv": PALETTE[5]}

#: Cold-start figures the panel offers (ids of helpers.trends.startup_figures), fastest first.
COLD_START_FIGURES = ("firecracker-boot", "gvisor-runsc-create-start", "lambda-cold-2023-small", "lambda-cold-start",
                      "lambda-cold-2023-64mb", "k8s-pod-startup-slo", "gce-2018-8vcpu")
#: Request rates the panel offers (requests per second) and how they read.
RATE_CHOICES = {1 / 86400: "1 a day", 1 / 3600: "1 an hour", 6 / 3600: "6 an hour", 1 / 60: "1 a minute",
                1 / 10: "1 every 10 s", 1.0: "1 a second", 10.0: "10 a second", 100.0: "100 a second"}
#: The rates of the panel's curve (requests per second, one a day to 100 a second).
CURVE_RATES = np.geomspace(1 / 86400, 100.0, 49)
#: Ticks of the request-rate axis (requests per second) and how they read.
RATE_TICKS = {1 / 86400: "1/day", 1 / 3600: "1/h", 1 / 60: "1/min", 1.0: "1/s", 100.0: "100/s"}
RATE_TICK_EXPR = " : ".join(f"abs(datum.value - {v!r}) < {v * 1e-6!r} ? '{t}'" for v, t in RATE_TICKS.items()) + " : ''"
#: Cold shares below this are drawn on the chart's floor.
SHARE_FLOOR = 1e-6


#: Characters per line of titles and subtitles: the text starts right of the y-axis, so a chart with a long
#: line would be wider than its cell on a projector (1024x768 at 125 %).
TITLE_CHARS = 52
SUBTITLE_CHARS = 68


def _finish(chart, *, title: str, subtitle: list[str], source: str, model: str) -> alt.VConcatChart:
    """:func:`helpers.charts.finish`, with the title and subtitle wrapped narrower (see :data:`TITLE_CHARS`)."""
    finished = finish(chart, title=title, source=source, model=model)
    lines = [part for line in subtitle for part in wrap_title(line, SUBTITLE_CHARS).split("\n")]
    finished.title = alt.Title(wrap_title(title, TITLE_CHARS), subtitle=lines)
    return finished


def _inline(frame: pd.DataFrame) -> alt.InlineData:
    """Data as plain records (altair then skips its per-DataFrame sanitising pass)."""
    return alt.InlineData(values=frame.to_dict("records"))


def _csv(frame: pd.DataFrame) -> alt.InlineData:
    """Data as one CSV string (numbers parsed by Vega): a string is copied and checked in one step, which keeps
    the panel's redraws fast (a list of records costs about 0.15 ms per row to build into a chart)."""
    numbers = {column: "number" for column in frame.columns if pd.api.types.is_numeric_dtype(frame[column])}
    columns = [frame[column].map(repr) if column in numbers else frame[column].map(_csv_text)
               for column in frame.columns]
    lines = [",".join(frame.columns)] + [",".join(cells) for cells in zip(*columns)]
    return alt.InlineData(values="\n".join(lines), format=alt.DataFormat(type="csv", parse=numbers))


def _csv_text(value) -> str:
    """A text cell of CSV, quoted when it holds a comma, a quote or a line break."""
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def format_seconds(seconds: float) -> str:
    """A duration for prose: "12 ms", "0.24 s" -> "242 ms", "3.2 s", "97 s", "13.5 min". ``seconds``: 0 to 10^7."""
    value = require_number("seconds", seconds, minimum=0, maximum=1e7, unit="s")
    if value < 1:
        return f"{value * 1000:,.3g} ms"
    if value < 120:
        return f"{value:,.3g} s"
    return f"{value / 60:,.3g} min"


def format_rate(rate_per_s: float) -> str:
    """A request rate for prose: "1 a day", "27.6 an hour", "1.5 a minute", "10 a second". ``rate_per_s`` > 0."""
    rate = require_number("rate_per_s", rate_per_s, minimum=0, min_inclusive=False, maximum=1e6, unit="requests/s")
    for per, unit in ((1.0, "a second"), (60.0, "a minute"), (3600.0, "an hour"), (86400.0, "a day")):
        count = rate * per
        if count >= 1 or per == 86400.0:
            return f"{count:,.3g} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------------------- convergence chart

#: Start-up budgets the convergence panel offers (seconds) and how they read.
STARTUP_BUDGETS = {0.02: "20 ms", 0.2: "200 ms", 1.0: "1 s", 5.0: "5 s", 60.0: "1 min"}
#: Limits on the first shared interface the convergence panel offers (entry points).
ENTRY_POINT_LIMITS = (10, 100, 300, 400)
#: Colour of a platform that does not meet the panel's requirements.
FADED = "#C8C8C8"


def _budget_inputs(max_startup_s, max_entry_points, judged_by):
    """Both limits given (then checked), or neither: the chart without the requirements box."""
    if (max_startup_s is None) != (max_entry_points is None):
        raise ValueError(f"max_startup_s and max_entry_points must be given together (or both None); got "
                         f"max_startup_s={max_startup_s!r}, max_entry_points={max_entry_points!r}")
    judged_by = require_choice("judged_by", judged_by, trends.JUDGED_BY)
    if max_startup_s is None:
        return None
    return trends.platforms_within(max_startup_s, max_entry_points, judged_by=judged_by)


def convergence_chart(max_startup_s: float | None = None, max_entry_points: int | None = None, *,
                      judged_by: str = "fastest") -> alt.VConcatChart:
    """Start-up time (log) against the size of the first interface shared with other tenants (log), per platform.

    A dot per published figure, a line across each platform's figures; filled dots: the tenant's own
    code reaches that interface; open dots: only after taking over its own VMM, Sentry or node VM.
    With ``max_startup_s`` (s, above 0, at most 3,600) and ``max_entry_points`` (1-1,000), given together, a box
    marks the requirements and the platforms that miss them (:func:`helpers.trends.platforms_within`, judged by
    their ``judged_by`` figure: "fastest" or "slowest") are greyed.
    """
    within = _budget_inputs(max_startup_s, max_entry_points, judged_by)
    table = trends.convergence_table()
    summary = trends.convergence_summary().set_index("series_id")
    # platforms with the same count are drawn a few pixels apart so that their lines do not hide each other
    offsets = {}
    for _, group in summary.groupby("entry_points", sort=False):
        for position, series_id in enumerate(group.index):
            offsets[series_id] = (position - (len(group) - 1) / 2) * 7.0
    frame = table.assign(shown=table["time_s"].map(format_seconds),
                         how=table["step"].map({1: "directly", 2: "after taking over its own layer"}),
                         offset=table["series_id"].map(offsets))
    labels = [s.label for s in trends.SERIES]
    qualifies = (dict(zip(within["series_id"], within["qualifies"])) if within is not None
                 else {s.series_id: True for s in trends.SERIES})
    colour = alt.Color("series:N", title=None,
                       scale=alt.Scale(domain=labels, range=[SERIES_COLOURS[s.series_id] if qualifies[s.series_id]
                                                             else FADED for s in trends.SERIES]),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=200))
    x_low, x_high, y_low, y_high = 0.0005, 2000, 5, 600
    x_scale = alt.Scale(type="log", domain=[x_low, x_high])
    y_scale = alt.Scale(type="log", domain=[y_low, y_high])
    x = alt.X("time_s:Q", title="Start-up time (s, log scale)", scale=x_scale,
              axis=alt.Axis(values=[0.001, 0.01, 0.1, 1, 10, 100, 1000], format="~g"))
    y = alt.Y("entry_points:Q", title="Entry points of the first shared interface (log)", scale=y_scale,
              axis=alt.Axis(values=[5, 10, 20, 50, 100, 200, 500], format="~g"))
    tooltip = [alt.Tooltip("series:N", title="platform"), alt.Tooltip("figure:N"), alt.Tooltip("shown:N", title="time"),
               alt.Tooltip("statistic:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("interface:N"),
               alt.Tooltip("how:N", title="reached"), alt.Tooltip("measured_from_to:N")]
    layers = []
    if within is not None:
        box = pd.DataFrame({"x": [x_low], "x2": [min(float(max_startup_s), x_high)], "y": [y_low],
                            "y2": [min(float(max_entry_points), y_high)]})
        # the box reaches 9 px above the limit: platforms with the same count are drawn up to 7 px apart
        layers.append(alt.Chart(_inline(box)).mark_rect(color=PALETTE[2], opacity=0.12, stroke=PALETTE[2],
                                                         y2Offset=-9, strokeWidth=1.5, strokeDash=[5, 3]).encode(
            x=alt.X("x:Q", scale=x_scale), x2=alt.X2("x2"), y=alt.Y("y:Q", scale=y_scale), y2=alt.Y2("y2")))
    for offset in sorted(set(offsets.values())):
        part = frame[frame["offset"] == offset]
        spans = part.groupby(["series_id", "series"], sort=False).agg(
            low=("low_s", "min"), high=("high_s", "max"), entry_points=("entry_points", "first")).reset_index()
        data = _inline(part[["series", "figure", "time_s", "shown", "statistic", "year", "interface", "how",
                             "measured_from_to", "entry_points", "step"]])
        layers.append(alt.Chart(_inline(spans)).mark_rule(strokeWidth=3, opacity=0.45, yOffset=offset).encode(
            x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high"), y=alt.Y("entry_points:Q", scale=y_scale),
            color=colour))
        for step, filled in ((1, True), (2, False)):
            layers.append(alt.Chart(data).transform_filter(alt.datum.step == step).mark_point(
                filled=filled, size=75, strokeWidth=2, opacity=1, yOffset=offset).encode(
                x=x, y=y, color=colour, tooltip=tooltip))
    chart = alt.layer(*layers).properties(width=PLOT_WIDTH, height=250)
    legend_line = ("Filled: the tenant's code reaches the interface; open: only after taking over its own "
                   "VMM, Sentry or node VM.")
    if within is not None:
        chosen = within[within["qualifies"]]
        names = ", ".join(chosen["series"]) if len(chosen) else "none"
        title = (f"{len(chosen)} of {len(within)} platforms start within {format_seconds(float(max_startup_s))} "
                 f"behind at most {int(max_entry_points)} shared entry points ({judged_by} figure)")
        subtitle = [f"In the green box: {names}. Greyed: the others.", legend_line]
        return _finish(chart, title=title, subtitle=subtitle, source=CONVERGENCE_SOURCE,
                       model="helpers.trends.platforms_within")
    microvm = summary.loc["microvm"]
    boot = trends.startup_figure("firecracker-boot")
    containers = summary.loc["containers_on_host"]
    vm = summary.loc["type1_hypervisor"]
    title = (f"A microVM boots in {format_seconds(boot['time_s'])} behind {microvm['entry_points']} shared entry points: "
             f"speed no longer needs a wide wall")
    subtitle = [f"Containers on a host: {containers['entry_points']} system calls; a cloud VM: "
                f"{vm['entry_points']} entry points but {format_seconds(vm['fastest_s'])} or more to start.",
                legend_line]
    return _finish(chart, title=title, subtitle=subtitle, source=CONVERGENCE_SOURCE,
                   model="helpers.trends.convergence_table")


def convergence_view(*, max_startup_s: float, max_entry_points: int, judged_by: str) -> View:
    """What the convergence panel shows: the chart with the requirements box, a sentence and a table.

    ``max_startup_s``: seconds (above 0, at most 3,600); ``max_entry_points``: a whole number 1-1,000 (whole floats
    such as 20.0 are accepted); ``judged_by``: "fastest" or "slowest" (see :func:`helpers.trends.platforms_within`).
    """
    within = trends.platforms_within(max_startup_s, max_entry_points, judged_by=judged_by)
    chosen = within[within["qualifies"]]
    budget = format_seconds(float(max_startup_s))
    if len(chosen):
        names = ", ".join(f"<b>{name}</b>" for name in chosen["series"])
        text = (f"{len(chosen)} of {len(within)} platforms start within {budget} (judged by their {judged_by} "
                f"figure) behind at most {int(max_entry_points)} entry points of shared software: {names}.")
    else:
        text = (f"<b>No platform</b> starts within {budget} (judged by its {judged_by} figure) behind at most "
                f"{int(max_entry_points)} entry points of shared software: relax one of the two requirements.")
    table = pd.DataFrame({"platform": within["series"], "start-up judged": within["judged_s"].map(format_seconds),
                          "entry points": within["entry_points"], "verdict": within["reason"]})
    return View(chart=convergence_chart(max_startup_s, max_entry_points, judged_by=judged_by), text=text,
                table=styled_table(table, caption="Against your requirements (helpers.trends.platforms_within)",
                                   labels={"start-up judged": f"Start-up ({judged_by} figure)",
                                           "entry points": "Shared entry points", "verdict": "Verdict"}))


def convergence_panel() -> LivePanel:
    """A start-up budget and a limit on the shared interface: which platforms meet both?"""
    budget = Choice("max_startup_s", "Start-up budget", tuple(STARTUP_BUDGETS), 1.0,
                    labels=tuple(STARTUP_BUDGETS.values()),
                    description="The longest start-up you accept, from the request to the workload running")
    limit = Choice("max_entry_points", "Max entry points", ENTRY_POINT_LIMITS, 10,
                   labels=tuple(f"{n}" for n in ENTRY_POINT_LIMITS),
                   description="The most entry points of software shared with other tenants (system calls, "
                               "hypercalls, devices) that you accept between a tenant and its neighbours")
    judged = Choice("judged_by", "Judge by", trends.JUDGED_BY, "fastest",
                    labels=("fastest figure", "slowest figure"), buttons=True,
                    description="Fastest: the best case (a pod on a node that is already running); slowest: the "
                                "worst case (a pod that waits for a new node VM, a function with a large package)")
    return LivePanel([budget, limit, judged], convergence_view, title="Which platforms meet both requirements?")


def convergence_table():
    """One row per platform: its id, its first shared interface, one crossing's cost, and its start-up figures.

    Six columns, so that it fits a projector (1024x768 at 125 %); each platform's note is in
    :func:`helpers.trends.convergence_summary` and in the chapter's prose.
    """
    summary = trends.convergence_summary()
    reached = summary["step"].map({1: "directly", 2: "after taking over its own layer"})
    shown = pd.DataFrame({
        "platform": summary["series"], "id": summary["series_id"],
        "first shared interface": summary["interface"] + " (" + reached + ")",
        "entry_points": summary["entry_points"],
        "one crossing": summary["crossing_us"].map(lambda v: "not timed" if pd.isna(v) else f"{v:.2f} µs"),
        "start-up": [format_seconds(low) if low == high else f"{format_seconds(low)} to {format_seconds(high)}"
                     for low, high in zip(summary["fastest_s"], summary["slowest_s"])],
    })
    return styled_table(shown, labels={"id": "Id", "entry_points": "Entry points", "one crossing": "One crossing",
                                       "start-up": "Start-up (fastest to slowest)"},
                        caption="Start-up against the wall (helpers.trends.convergence_summary; one crossing: "
                                "chapter 4's latency ladder)",
                        wrap_columns=("first shared interface",), nowrap_columns=("id",), max_rows_visible=8)


# ------------------------------------------------------------------------------------------- trend timeline

def trend_timeline_chart() -> alt.VConcatChart:
    """Every dated trend event on a time line, one row per trend; colour and shape say which file holds it."""
    events = trends.trend_events()
    frame = events.assign(year=events["date"].dt.year + (events["date"].dt.day_of_year - 1) / 365.25,
                          shown=[_date_text(d, p) for d, p in zip(events["date"], events["date_precision"])],
                          origin=events["from_file"].map({"timeline.csv": "chapter 1's timeline",
                                                          "trend_events.csv": "added in chapter 8"}))
    data = _inline(frame[["event_id", "event", "trend", "year", "shown", "origin", "source"]])
    origins = ["chapter 1's timeline", "added in chapter 8"]
    colour = alt.Color("origin:N", title=None, scale=alt.Scale(domain=origins, range=[PALETTE[4], PALETTE[5]]),
                       legend=alt.Legend(orient="bottom"))
    shape = alt.Shape("origin:N", title=None, scale=alt.Scale(domain=origins, range=["circle", "diamond"]),
                      legend=alt.Legend(orient="bottom"))
    present = [t for t in trends.TRENDS if t in set(frame["trend"])]
    low, high = math.floor(frame["year"].min()), math.ceil(frame["year"].max())
    points = alt.Chart(data).mark_point(filled=True, size=90, opacity=0.9).encode(
        x=alt.X("year:Q", title="Year", scale=alt.Scale(domain=[low, high]), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("trend:N", sort=present, title=None, axis=alt.Axis(labelLimit=160)),
        color=colour, shape=shape,
        tooltip=[alt.Tooltip("event_id:N"), alt.Tooltip("event:N"), alt.Tooltip("shown:N", title="date"),
                 alt.Tooltip("source:N")])
    chart = points.properties(width=PLOT_WIDTH, height=alt.Step(30))
    dated = events.set_index("event_id")
    started, released = dated.loc["kubevirt-started"], dated.loc["kubevirt-1-0"]
    title = (f"{len(events)} dated events, {events['date'].min():%Y}-{events['date'].max():%Y}: KubeVirt went from "
             f"a {_date_text(started['date'], started['date_precision'])} Red Hat project to v1.0 in "
             f"{released['date']:%b %Y}")
    return _finish(chart, title=title, source=TIMELINE_SOURCE, model="helpers.trends.trend_events",
                   subtitle=["Hover a point for the event and its source; trend_events_table() lists their ids."])


def _date_text(date, precision: str) -> str:
    """A date at its known precision: "11 Jul 2023", "Mar 2013", "2016"."""
    stamp = pd.Timestamp(date)
    return {"day": f"{stamp.day} {stamp:%b %Y}", "month": f"{stamp:%b %Y}", "year": f"{stamp:%Y}"}[precision]


def trend_events_table(trends_shown: list[str] | tuple[str, ...] | None = None):
    """The dated trend events with their ids (the exercises ask for ids), oldest first; ``trends_shown``: a subset."""
    chosen = None if trends_shown is None else list(require_choices("trends_shown", trends_shown, trends.TRENDS))
    events = trends.trend_events(chosen)
    shown = pd.DataFrame({
        "event_id": events["event_id"],
        "date": [_date_text(d, p) for d, p in zip(events["date"], events["date_precision"])],
        "trend": events["trend"], "event": events["event"], "source": events["source"],
    })
    return styled_table(shown, labels={"event_id": "Event id"}, wrap_columns=("event", "source"),
                        caption="Dated trend events (helpers.trends.trend_events: chapter 1's timeline and "
                                "data/trend_events.csv)", max_rows_visible=10)


def parameters_table():
    """The cold-start panel's numeric inputs: label, default, range, unit, kind and source."""
    table = trends.cold_start_parameters()
    shown = pd.DataFrame({"input": table["label"], "default": table["default"].map("{:g}".format),
                          "range": [f"{low:g} to {high:g}" for low, high in zip(table["minimum"], table["maximum"])],
                          "unit": table["unit"], "kind": table["kind"], "source": table["source"]})
    return styled_table(shown, caption="data/cold_start_parameters.csv", wrap_columns=("source",))


# ------------------------------------------------------------------------------------------- cold-start model

def _figure_label(startup_id: str) -> str:
    figure = trends.startup_figure(startup_id)
    if figure["low_s"] is not None and figure["high_s"] is not None:
        return f"{figure['label']} ({format_seconds(figure['low_s'])}-{format_seconds(figure['high_s'])})"
    return f"{figure['label']} ({format_seconds(figure['time_s'])})"


def cold_start_chart(*, cold_start: str = "lambda-cold-2023-small", rate_per_s: float = 1 / 60,
                     keep_alive_s: float = 600.0, handler_s: float = 0.1, prewarmed: int = 0,
                     burst: int = 1) -> alt.VConcatChart:
    """Share of requests that start cold against the request rate (log-log), with the chosen rate marked.

    ``cold_start``: a figure id of :data:`COLD_START_FIGURES` (its duration is in the title); other inputs as
    in :func:`helpers.trends.cold_start_summary`. Above the 1 % line the p99 latency includes the cold start.
    """
    require_choice("cold_start", cold_start, COLD_START_FIGURES)
    settings = dict(keep_alive_s=keep_alive_s, handler_s=handler_s, prewarmed=prewarmed, burst=burst)
    rate = require_number("rate_per_s", rate_per_s, minimum=0, min_inclusive=False, maximum=trends.MAX_RATE_PER_S)
    rates = np.unique(np.append(CURVE_RATES, rate))
    lines = [("these settings", trends.cold_start_shares(rates, **settings))]
    if int(prewarmed) > 0:
        lines.append(("no pre-warmed environments", trends.cold_start_shares(rates, **{**settings, "prewarmed": 0})))
    frames = [pd.DataFrame({"rate": rates, "share": np.maximum(shares, SHARE_FLOOR), "line": name})
              for name, shares in lines]
    frame = pd.concat(frames, ignore_index=True)
    names = [name for name, _ in lines]
    x_scale = alt.Scale(type="log", domain=[1 / 86400, 100])
    y_scale = alt.Scale(type="log", domain=[SHARE_FLOOR, 1])
    x = alt.X("rate:Q", title="Requests per second (Poisson, log scale)", scale=x_scale,
              axis=alt.Axis(values=list(RATE_TICKS), labelExpr=RATE_TICK_EXPR))
    y = alt.Y("share:Q", title="Share of requests that start cold", scale=y_scale,
              axis=alt.Axis(format="~%", values=[1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1]))
    curve = alt.Chart(_csv(frame)).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=alt.Color("line:N", title=None, legend=alt.Legend(orient="bottom"),
                                  scale=alt.Scale(domain=names, range=[PALETTE[4], MUTED][:len(names)])),
        strokeDash=alt.StrokeDash("line:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]][:len(names)]),
                                  legend=None),
        tooltip=[alt.Tooltip("rate:Q", title="requests per second", format=".3~g"),
                 alt.Tooltip("share:Q", title="cold", format=".3~%")])
    rule = alt.Chart(_csv(pd.DataFrame({"share": [1 - trends.P99]}))).mark_rule(
        color=PALETTE[5], strokeDash=[4, 3], strokeWidth=2).encode(y=alt.Y("share:Q", scale=y_scale))
    figure = trends.startup_figure(cold_start)
    summary = trends.cold_start_summary(rate_per_s=rate, cold_start_s=figure["time_s"],
                                        cold_start_low_s=figure["low_s"], cold_start_high_s=figure["high_s"], **settings)
    here = pd.DataFrame({"rate": [rate], "share": [max(summary["cold_share"], SHARE_FLOOR)],
                         "text": [f"{summary['cold_share']:.2%} cold"]})
    marker = alt.Chart(_csv(here)).encode(x=alt.X("rate:Q", scale=x_scale), y=alt.Y("share:Q", scale=y_scale))
    point = marker.mark_point(filled=True, size=110, color=INK)
    point_text = marker.mark_text(align="left", dx=8, dy=-8, fontSize=12, fontWeight="bold", color=INK).encode(
        text=alt.Text("text:N"))
    chart = alt.layer(curve, rule, point, point_text, width=PLOT_WIDTH + 40, height=240)
    p99_text = _p99_text(summary)
    title = f"At {format_rate(rate)}, {summary['cold_share']:.2%} of requests start cold: p99 {p99_text}"
    subtitle = [f"Keep-alive {keep_alive_s / 60:g} min, handler {format_seconds(handler_s)}, {int(prewarmed)} "
                f"pre-warmed, bursts of {int(burst)}; cold start: {_figure_label(cold_start)}.",
                f"Red dashed line: 1 %; above it the p99 includes the cold start. Shares under {SHARE_FLOOR:.4%} "
                f"sit on the floor."]
    return _finish(chart, title=title, subtitle=subtitle, source=COLD_START_SOURCE,
                   model="helpers.trends.cold_start_shares")


def _p99_text(summary: dict) -> str:
    if summary["p99_low_s"] == summary["p99_high_s"]:
        return format_seconds(summary["p99_s"])
    return f"{format_seconds(summary['p99_low_s'])}-{format_seconds(summary['p99_high_s'])}"


def cold_start_view(*, cold_start: str, rate: float, keep_alive_min: float, handler_ms: float, prewarmed: float,
                    burst: float) -> View:
    """What the panel shows for its controls (units of the controls: minutes, milliseconds).

    ``cold_start``: an id of :data:`COLD_START_FIGURES`; ``rate``: requests per second (> 0, at most 1,000);
    ``keep_alive_min``: 0 to 1,440 minutes; ``handler_ms``: above 0, at most 900,000 ms; ``prewarmed``: a
    whole number 0-10,000; ``burst``: a whole number 1-1,000 (whole floats such as 3.0 are accepted).
    """
    require_choice("cold_start", cold_start, COLD_START_FIGURES)
    settings = dict(
        rate_per_s=require_number("rate", rate, minimum=0, min_inclusive=False, maximum=trends.MAX_RATE_PER_S,
                                  unit="requests/s"),
        keep_alive_s=60.0 * require_number("keep_alive_min", keep_alive_min, minimum=0, maximum=1440, unit="min"),
        handler_s=require_number("handler_ms", handler_ms, minimum=0, min_inclusive=False,
                                 maximum=1000 * trends.MAX_HANDLER_S, unit="ms") / 1000.0,
        prewarmed=require_integer("prewarmed", prewarmed, minimum=0, maximum=trends.MAX_PREWARMED),
        burst=require_integer("burst", burst, minimum=1, maximum=trends.MAX_BURST))
    figure = trends.startup_figure(cold_start)
    summary = trends.cold_start_summary(cold_start_s=figure["time_s"], cold_start_low_s=figure["low_s"],
                                        cold_start_high_s=figure["high_s"], **settings)
    share = summary["cold_share"]
    text = (f"At <b>{format_rate(settings['rate_per_s'])}</b>, <b>{share:.3%}</b> of requests find no warm environment: about "
            f"<b>{summary['cold_per_day']:,.1f}</b> cold starts a day out of {summary['requests_per_day']:,.0f}. "
            + (f"That is more than 1 %, so the p99 latency includes the cold start: <b>{_p99_text(summary)}</b>."
               if summary["p99_s"] > settings["handler_s"] else
               f"That is at most 1 %, so the p99 is a warm request (<b>{format_seconds(summary['p99_s'])}</b>); cold "
               f"starts sit above the {summary['cold_from_percentile']:.3f}th percentile."))
    table = pd.DataFrame({
        "quantity": ["Requests that start cold", "Cold starts per day", "Environments busy on average",
                     "Mean latency", "p99 latency (floor)"],
        "value": [f"{share:.3%}", f"{summary['cold_per_day']:,.1f}", f"{summary['mean_busy']:.3g}",
                  format_seconds(summary["mean_latency_s"]), _p99_text(summary)],
    })
    return View(chart=cold_start_chart(cold_start=cold_start, **settings), text=text,
                table=styled_table(table, caption="At the chosen rate (helpers.trends.cold_start_summary)"))


def cold_start_panel() -> LivePanel:
    """Request rate, keep-alive, handler time, pre-warmed environments and bursts: how many requests start cold."""
    figure = Choice("cold_start", "Cold start", COLD_START_FIGURES, "lambda-cold-2023-small",
                    labels=tuple(_figure_label(i) for i in COLD_START_FIGURES),
                    description="How long a cold start takes (data/startup_times.csv, trend_startups.csv): a microVM "
                                "boot alone, a sandbox, a function cold start, a Kubernetes pod, a whole VM")
    rate = Choice("rate", "Request rate", tuple(RATE_CHOICES), 1 / 60, labels=tuple(RATE_CHOICES.values()),
                  description="Mean requests, arriving at random (a Poisson stream); the chart shows every rate")
    table = trends.cold_start_parameters()
    sliders = [Slider(str(row["name"]), str(row["label"]), float(row["minimum"]), float(row["maximum"]),
                      float(row["step"]), float(row["default"]), str(row["unit"]), str(row["description"]))
               for _, row in table.iterrows()]
    return LivePanel([figure, rate, *sliders], cold_start_view, title="How many requests start cold?")


# ---------------------------------------------------------------------------------------------- self-checks

#: Exercise 1: one request every 15 minutes, a 10-minute keep-alive, a 0.2 s handler.
EXERCISE_BY_HAND = {"rate_per_s": 1 / 900, "keep_alive_s": 600.0, "handler_s": 0.2}
#: Exercise 2: a 10-minute keep-alive and a 0.1 s handler; the p99 stops being a cold start at 1 % cold.
EXERCISE_P99 = {"keep_alive_s": 600.0, "handler_s": 0.1, "target_share": 1 - trends.P99}
#: Exercise 3: a page viewed once a minute that calls the function 10 times at once; 2-minute keep-alive.
EXERCISE_BURST = {"rate_per_s": 10 / 60, "keep_alive_s": 120.0, "handler_s": 0.3, "burst": 10, "target_share": 0.01}
#: Exercise 4: requirements that only one platform meets when judged by its slowest figure.
EXERCISE_WORST_CASE = {"max_startup_s": 1.0, "max_entry_points": 10, "judged_by": "slowest"}
#: Exercise 5: Autopilot's slack before and after (helpers.trends.AUTOPILOT_SLACK).
EXERCISE_SLACK = dict(trends.AUTOPILOT_SLACK)


def check_cold_share_by_hand(answer) -> CheckResult:
    """Exercise 1: the share of requests (in %) that start cold in :data:`EXERCISE_BY_HAND`."""
    expected = 100 * trends.cold_start_share(**EXERCISE_BY_HAND)
    hint = ("A request is cold when no request came in the keep-alive window plus the last handler time: the chance "
            "of no Poisson arrival in t seconds is exp(-rate x t).")
    result = check_number(answer, expected, what="the share of requests that start cold", unit="%", rel_tol=0.02,
                          hint=hint)
    warm = 100 - expected
    return _with_slips(result, answer, expected, {0.01: "that looks like a fraction: answer in percent (0.25 is "
                                                        "written 25).",
                                                  warm / expected: "that is the share of calls that find a warm "
                                                                   "environment, not the cold ones."}, hint)


def check_p99_rate(answer) -> CheckResult:
    """Exercise 2: requests per hour above which at most 1 % start cold (the p99 is then warm)."""
    settings = dict(EXERCISE_P99)
    target = settings.pop("target_share")
    expected = 3600 * trends.rate_for_cold_share(target, **settings)
    hint = ("Set exp(-rate x (keep-alive + handler)) = 0.01 and solve for the rate; then convert requests per second "
            "to requests per hour.")
    result = check_number(answer, expected, what="the rate above which the p99 is a warm request",
                          unit="requests/hour", rel_tol=0.03, hint=hint)
    return _with_slips(result, answer, expected, {1 / 3600: "that is a rate per second; the exercise asks for "
                                                            "requests per hour.",
                                                  1 / 60: "that is a rate per minute; the exercise asks for requests "
                                                          "per hour."}, hint)


def check_prewarmed_for_burst(answer) -> CheckResult:
    """Exercise 3: the fewest pre-warmed environments that bring :data:`EXERCISE_BURST` to at most 1 % cold."""
    settings = dict(EXERCISE_BURST)
    target = settings.pop("target_share")
    expected = trends.prewarmed_needed(target, **settings)
    return check_number(answer, float(expected), what="the number of pre-warmed environments", unit="environments",
                        rel_tol=0.0, abs_tol=0.0,
                        hint="After a quiet spell the whole burst arrives at once: how many of its requests find no "
                             "warm environment with 0, 5 or 9 pre-warmed ones? Try it in the panel.")


def _worst_case_platform() -> str:
    within = trends.platforms_within(**EXERCISE_WORST_CASE)
    return str(within.loc[within["qualifies"], "series_id"].iloc[0])


def check_worst_case_platform(answer) -> CheckResult:
    """Exercise 4: the one platform that meets :data:`EXERCISE_WORST_CASE` (1 s, 10 entry points, slowest figure)."""
    return check_choice(answer, _worst_case_platform(), options=trends.SERIES_IDS,
                        what="the platform that meets both requirements in the worst case",
                        hint="Judge each platform by its slowest figure: which ones can need a whole VM to boot, or "
                             "a large package to load? Set the convergence panel to 1 s, 10 and 'slowest figure'.")


def _slip(answer, expected: float, slips: dict[float, str]) -> str | None:
    """The message for a known slip (``answer`` close to ``expected`` times one of ``slips``' factors), else None."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return None
    value = float(answer)
    if not math.isfinite(value):
        return None
    for factor, message in slips.items():
        if math.isclose(value, expected * factor, rel_tol=0.03):
            return message
    return None


def _with_slips(result: CheckResult, answer, expected: float, slips: dict[float, str], hint: str) -> CheckResult:
    message = None if result.correct else _slip(answer, expected, slips)
    return result if message is None else CheckResult(False, f"✗ Not yet: {message} Hint: {hint}")


def check_utilisation_growth(answer) -> CheckResult:
    """Exercise 5: the factor by which utilisation of the limit grows when slack falls as in :data:`EXERCISE_SLACK`."""
    expected = trends.utilisation_growth(EXERCISE_SLACK["before"], EXERCISE_SLACK["after"])
    hint = ("Utilisation of the limit is 1 - slack: compare it before and after, as a ratio (a factor such as 1.5), "
            "not the slack itself.")
    result = check_number(answer, expected, what="the growth factor of utilisation", unit="", rel_tol=0.02, hint=hint)
    used_before, used_after = 1 - EXERCISE_SLACK["before"], 1 - EXERCISE_SLACK["after"]
    slips = {EXERCISE_SLACK["before"] / EXERCISE_SLACK["after"] / expected:
             "that is how much the slack shrank, not how much the use of the limit grew.",
             EXERCISE_SLACK["after"] / EXERCISE_SLACK["before"] / expected:
             "that is the slack after divided by the slack before; utilisation is what is left: 1 - slack.",
             100 * used_after / expected:
             "that is the utilisation after, in percent; the exercise asks for the factor between before and after.",
             100 * (used_after - used_before) / expected:
             "that is a difference in percentage points (or the slack after); the exercise asks for a factor, "
             "after / before."}
    return _with_slips(result, answer, expected, slips, hint)
