"""Charts, the live panel and the self-checks of chapter 1 (history), all drawn from :mod:`helpers.history`.

:func:`timeline_chart` filters in Vega (radio buttons and two year sliders bound to
altair params), so it keeps working in a static HTML export with no kernel.
:func:`timeline_panel` is the kernel-backed panel: sliders drive the model, which
redraws the chart, the table and the text.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import history
from .charts import INK, MUTED, finish, option_colors
from .exercises import NOT_ANSWERED, CheckResult, check_choice, check_number
from .validation import require_choice
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "TIMELINE_SOURCE", "ALL_CATEGORIES", "PARAM_CATEGORY", "PARAM_YEAR_FROM", "PARAM_YEAR_TO",
    "timeline_chart", "adoption_gap_chart", "timeline_window_chart", "timeline_view", "timeline_panel",
    "check_years_xen_to_kvm", "check_events_in_1990s", "check_longest_cloud_gap",
    "check_longest_gap_day_precision",
]

TIMELINE_SOURCE = "data/timeline.csv (one cited record per event: papers, release tags, vendor announcements)"
#: The option of the category control that keeps every category.
ALL_CATEGORIES = "all"
PARAM_CATEGORY = "category_pick"
PARAM_YEAR_FROM = "year_from"
PARAM_YEAR_TO = "year_to"
CATEGORY_FILTER = f"({PARAM_CATEGORY} == '{ALL_CATEGORIES}') || (datum.category == {PARAM_CATEGORY})"
#: The two year sliders may cross: the window is always min(from, to)..max(from, to), computed in Vega.
WINDOW_START = f"min({PARAM_YEAR_FROM}, {PARAM_YEAR_TO})"
WINDOW_END = f"max({PARAM_YEAR_FROM}, {PARAM_YEAR_TO})"
YEAR_FILTER = f"(datum.year >= {WINDOW_START}) && (datum.year <= {WINDOW_END})"
DATE_AXIS = alt.Axis(format="%Y")


def _tooltip() -> list[alt.Tooltip]:
    return [alt.Tooltip("date:N", title="date"), alt.Tooltip("date_precision:N", title="known to the"),
            alt.Tooltip("event:N"), alt.Tooltip("significance:N"), alt.Tooltip("source:N")]


def _chart_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The columns a timeline chart needs, dates as ISO text (JSON-safe)."""
    return pd.DataFrame({
        "date": events["date"].dt.strftime("%Y-%m-%d"),
        "year": events["year"].astype(int),
        "date_precision": events["date_precision"],
        "category": events["category"],
        "event": events["event"],
        "significance": events["significance"],
        "source": events["source"],
    })


def _category_axis() -> alt.Y:
    return alt.Y("category:N", sort=list(history.CATEGORIES), scale=alt.Scale(domain=list(history.CATEGORIES)),
                 title=None)


def _category_color() -> alt.Color:
    return alt.Color("category:N", scale=option_colors(history.CATEGORIES), legend=None)


def timeline_chart() -> alt.VConcatChart:
    """Every event on one time axis, one row per category; radio buttons and year sliders filter in Vega.

    Params: ``category_pick`` (radio: all or one category), ``year_from`` and ``year_to``
    (range sliders over the timeline's years; if they cross, the window runs from the
    smaller to the larger). Filtering happens in the browser, so the chart also works
    exported to static HTML.
    """
    events = history.timeline()
    first, last = history.year_span()
    frame = _chart_frame(events)
    category_pick = alt.param(name=PARAM_CATEGORY, value=ALL_CATEGORIES,
                              bind=alt.binding_radio(options=[ALL_CATEGORIES, *history.CATEGORIES],
                                                     name="Category: "))
    year_from = alt.param(name=PARAM_YEAR_FROM, value=first,
                          bind=alt.binding_range(min=first, max=last, step=1, name="From year: "))
    year_to = alt.param(name=PARAM_YEAR_TO, value=last,
                        bind=alt.binding_range(min=first, max=last, step=1, name="To year: "))
    base = alt.Chart(frame).transform_filter(CATEGORY_FILTER).transform_filter(YEAR_FILTER)
    points = base.mark_point(size=90, filled=True, opacity=0.9).encode(
        x=alt.X("date:T", title="Date (year)", axis=DATE_AXIS),
        y=_category_axis(),
        color=_category_color(),
        tooltip=_tooltip(),
    ).add_params(category_pick, year_from, year_to)
    shown = base.transform_aggregate(events_shown="count()").transform_calculate(
        label=f"datum.events_shown + ' events shown, ' + {WINDOW_START} + '-' + {WINDOW_END}"
    ).mark_text(align="right", baseline="top", color=MUTED, fontSize=11).encode(
        text=alt.Text("label:N"), x=alt.XValue(560), y=alt.YValue(-14))
    counts = events["category"].value_counts().reindex(list(history.CATEGORIES), fill_value=0)
    busiest = str(counts.idxmax())
    title = (f"{len(events)} selected events in {last - first} years: {busiest} is the busiest strand "
             f"({int(counts[busiest])} events)")
    return finish((points + shown).properties(height=260), title=title, source=TIMELINE_SOURCE,
                  model="helpers.history.timeline",
                  subtitle="Pick a category and a year range below the chart; hover a point for the event and its source.")


def adoption_gap_chart() -> alt.VConcatChart:
    """One bar per pair of :data:`helpers.history.ENABLERS` (an enabler -> a landmark that depended on it)."""
    gaps = history.adoption_gaps()
    frame = pd.DataFrame({
        "pair": gaps["enabler_id"] + " -> " + gaps["adopter_id"],
        "track": gaps["track"],
        "enabler_date": gaps["enabler_date"].dt.strftime("%Y-%m-%d"),
        "adopter_date": gaps["adopter_date"].dt.strftime("%Y-%m-%d"),
        "gap_years": gaps["gap_years"].round(1),
        "relation": gaps["relation"],
    })
    order = list(frame["pair"])
    bars = alt.Chart(frame).mark_bar(height=14, opacity=0.85).encode(
        y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("enabler_date:T", title="Date (year)", axis=DATE_AXIS),
        x2=alt.X2("adopter_date:T"),
        color=alt.Color("track:N", scale=option_colors(["VMs", "containers"]), title="Track",
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("relation:N"), alt.Tooltip("enabler_date:N"),
                 alt.Tooltip("adopter_date:N"), alt.Tooltip("gap_years:Q", title="gap (years)")],
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=4, color=INK, fontSize=11).encode(
        y=alt.Y("pair:N", sort=order), x=alt.X("adopter_date:T"), text=alt.Text("gap_years:Q", format=".1f"))
    popek = history.years_between("popek-goldberg", "intel-vt-x")
    others = gaps.loc[gaps["enabler_id"] != "popek-goldberg", "gap_years"]
    title = (f"x86 hardware met the 1974 criteria {popek:.0f} years later; the other enablers preceded "
             f"their landmarks by {others.min():.1f} to {others.max():.1f} years")
    return finish((bars + labels).properties(height=alt.Step(24)), title=title, source=TIMELINE_SOURCE,
                  model="helpers.history.adoption_gaps",
                  subtitle=("Bar = years from an enabler to a landmark that depended on it "
                            "(not necessarily its first use)"))


def _require_category_choice(category: str) -> str:
    return require_choice("category", category, (ALL_CATEGORIES, *history.CATEGORIES))


def _window_events(start_year, end_year, category) -> tuple[int, int, str | None, pd.DataFrame, pd.Series | None]:
    """Validated window (crossed years put in order), the category filter, its events and longest gap."""
    start, end = history.require_years(start_year, end_year, allow_reversed=True)
    chosen = None if _require_category_choice(category) == ALL_CATEGORIES else category
    events = history.events_between(start, end, chosen)
    gap = history.longest_gap(events)
    return start, end, chosen, events, gap


def _window_chart(start: int, end: int, chosen: str | None, events: pd.DataFrame,
                  gap: pd.Series | None) -> alt.VConcatChart:
    points = alt.Chart(_chart_frame(events)).mark_point(size=90, filled=True, opacity=0.9).encode(
        x=alt.X("date:T", title="Date (year)", axis=DATE_AXIS,
                scale=alt.Scale(domain=[f"{start}-01-01", f"{end}-12-31"])),
        y=_category_axis(),
        color=_category_color(),
        tooltip=_tooltip(),
    )
    layers = [points]
    scope = "all categories" if chosen is None else chosen
    title = f"{len(events)} events from {start} to {end} ({scope})"
    if gap is not None:
        gap_frame = pd.DataFrame({"gap_start": [gap["before_date"].strftime("%Y-%m-%d")],
                                  "gap_end": [gap["after_date"].strftime("%Y-%m-%d")],
                                  "gap_years": [round(float(gap["gap_years"]), 1)]})
        gap_frame["label"] = "longest quiet stretch: " + gap_frame["gap_years"].astype(str) + " years"
        # one layer for the marker: a labelled rule (every extra layer costs a deep copy per redraw)
        layers.append(alt.Chart(gap_frame).mark_rule(color=INK, strokeWidth=3, strokeDash=[6, 3]).encode(
            x=alt.X("gap_start:T"), x2=alt.X2("gap_end:T"), y=alt.YValue(-6),
            tooltip=[alt.Tooltip("label:N", title="marker")]))
        title += f"; longest quiet stretch {gap['gap_years']:.1f} years"
    return finish(alt.layer(*layers, height=240), title=title, source=TIMELINE_SOURCE,
                  model="helpers.history.events_between, longest_quiet_gap")


def timeline_window_chart(start_year: int, end_year: int, category: str = ALL_CATEGORIES) -> alt.VConcatChart:
    """The events of one window (drawn by the model, not by Vega params), with the longest quiet stretch marked.

    Crossed years are put in order (:func:`helpers.history.require_years` with ``allow_reversed``).
    """
    return _window_chart(*_window_events(start_year, end_year, category))


def timeline_view(start_year: int, end_year: int, category: str = ALL_CATEGORIES) -> View:
    """What :func:`timeline_panel` shows for one setting: chart, table of events, one line of findings."""
    start, end, chosen, events, gap = _window_events(start_year, end_year, category)
    table = pd.DataFrame({"date": events["date"].dt.strftime("%Y-%m-%d"), "category": events["category"],
                          "event": events["event"], "source": events["source"]})
    swapped = " (the two years were swapped into order)" if start_year > end_year else ""
    text = f"<b>{len(events)}</b> events from {start} to {end}{swapped}."
    if gap is not None:
        text += (f" Longest quiet stretch in this selection: <b>{gap['gap_years']:.1f} years</b>, from "
                 f"'{gap['before']}' ({gap['before_date']:%Y-%m}) to '{gap['after']}' ({gap['after_date']:%Y-%m}).")
    return View(chart=_window_chart(start, end, chosen, events, gap), table=table, text=text)


def timeline_panel() -> LivePanel:
    """Live panel: a year window and a category drive :func:`helpers.history.events_between` and the gap finder."""
    first, last = history.year_span()
    parameters = [
        Slider("start_year", "From year", first, last, 1, first, "year", "First calendar year of the window."),
        Slider("end_year", "To year", first, last, 1, last, "year", "Last calendar year of the window."),
        Choice("category", "Category", (ALL_CATEGORIES, *history.CATEGORIES), ALL_CATEGORIES,
               "Strand of the history to show."),
    ]
    return LivePanel(parameters, timeline_view, title="Virtualization timeline: pick a window and a strand")


# --- self-checks (expected values come from the model) ---

def check_years_xen_to_kvm(answer) -> CheckResult:
    """Years from the Xen paper (SOSP, October 2003) to KVM's merge into Linux 2.6.20, within half a year."""
    expected = history.years_between("xen", "kvm")
    return check_number(answer, expected, what="the time from the Xen paper to KVM in Linux", unit="years",
                        rel_tol=0, abs_tol=0.5, hint="use years_between with the two event ids")


def check_events_in_1990s(answer) -> CheckResult:
    """How many timeline events are dated 1990-1999, all categories."""
    expected = len(history.events_between(1990, 1999))
    return check_number(answer, expected, what="the number of events in 1990-1999", unit="events",
                        rel_tol=0, abs_tol=0.5, hint="set the panel to 1990-1999 with all categories")


def _longest_cloud_gap() -> pd.Series:
    first, last = history.year_span()
    return history.longest_quiet_gap(first, last, "cloud")


def check_longest_cloud_gap(answer) -> CheckResult:
    """The longest stretch with no ``cloud`` event: ``answer = (years, before_event_id, after_event_id)``.

    Years within half a year; both event ids must match the two events that bound the stretch.
    """
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise ValueError(f"answer must be a tuple (years, before_event_id, after_event_id); got {answer!r}")
    years, before_id, after_id = answer
    gap = _longest_cloud_gap()
    ids = history.event_ids()
    results = [
        check_number(years, float(gap["gap_years"]), what="the longest stretch without a cloud event",
                     unit="years", rel_tol=0, abs_tol=0.5,
                     hint="choose 'cloud' in the panel at its full range and read the text line"),
        check_choice(before_id, gap["before_id"], options=ids, what="the event that starts it",
                     hint="the event_id of the cloud event just before the stretch"),
        check_choice(after_id, gap["after_id"], options=ids, what="the event that ends it",
                     hint="the event_id of the cloud event just after the stretch"),
    ]
    return CheckResult(all(results), " ".join(result.message for result in results))


def _day_precision_events() -> pd.DataFrame:
    events = history.timeline()
    return events.loc[events["date_precision"] == "day"]


def check_longest_gap_day_precision(answer) -> CheckResult:
    """Longest stretch between the events whose date is known to the day (other data, same function)."""
    expected = float(history.longest_gap(_day_precision_events())["gap_years"])
    return check_number(answer, expected, what="the longest gap between day-precision events", unit="years",
                        rel_tol=0, abs_tol=0.5,
                        hint="filter timeline() on date_precision == 'day' and pass it to longest_gap")
