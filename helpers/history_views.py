"""Charts, the live panel and the self-checks of chapter 1 (history), all drawn from :mod:`helpers.history`.

:func:`timeline_chart` filters in Vega (radio buttons and two year sliders bound to
altair params), so it keeps working in a static HTML export with no kernel.
:func:`timeline_panel` is the kernel-backed panel: sliders drive the model, which
redraws the chart, the table and the text.
"""

from __future__ import annotations

import textwrap
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
    "instruction_table", "check_trap_and_emulate_breakers", "check_what_nested_paging_moved",
    "check_longest_cloud_gap", "check_longest_gap_day_precision", "TABLE_ROWS", "NESTED_PAGING_OPTIONS",
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
#: Width (px) of the timeline charts: with the category labels they fit a projector (1024x768 at 125 %).
TIMELINE_WIDTH_PX = 420
#: Width (px) of the adoption-gap bars; the pair names take about 215 px beside them.
GAP_WIDTH_PX = 260
#: Rows of the panel's event table: more would push the questions under it off a laptop screen.
TABLE_ROWS = 12
#: About this many year ticks at most, whatever the window (a tick every 1, 2, 5 ... years, never a repeated year).
MAX_YEAR_TICKS = 8


def _year_step(span_years: int) -> int:
    """Years between two ticks so that at most MAX_YEAR_TICKS ticks fit ``span_years`` years."""
    for step in (1, 2, 5, 10, 20):
        if span_years / step <= MAX_YEAR_TICKS:
            return step
    return 25


def _year_axis(start: int | None = None, end: int | None = None) -> alt.Axis:
    """Year ticks only (no month ticks labelled with a repeated year); in Vega from the params when no years."""
    if start is None:
        count = alt.ExprRef(f"{{interval: 'year', step: max(1, ceil(({WINDOW_END} - {WINDOW_START} + 1) / "
                            f"{MAX_YEAR_TICKS}))}}")
    else:
        count = alt.TimeIntervalStep(interval="year", step=_year_step(end - start + 1))
    return alt.Axis(format="%Y", tickCount=count, labelFontSize=12, title=None, labelOverlap=True)


def _tooltip() -> list[alt.Tooltip]:
    # "when" is text made by the model: a date field used on a time axis is parsed by Vega-Lite and would show
    # in a tooltip as epoch milliseconds.
    return [alt.Tooltip("when:N", title="date"), alt.Tooltip("event:N"), alt.Tooltip("significance:N"),
            alt.Tooltip("source:N")]


def _chart_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The columns a timeline chart needs, dates as ISO text (JSON-safe) and as shown to a reader."""
    return pd.DataFrame({
        "date": events["date"].dt.strftime("%Y-%m-%d"),
        "when": [history.date_label(d, p) for d, p in zip(events["date"], events["date_precision"])],
        "year": events["year"].astype(int),
        "category": events["category"],
        "event": events["event"],
        "significance": events["significance"],
        "source": events["source"],
    })


def _fit_source_line(finished: alt.VConcatChart, width_px: int) -> alt.VConcatChart:
    """Re-wrap the source line of a :func:`~helpers.charts.finish`-ed chart to ``width_px`` (about 5.6 px a
    character at its 10 px font), so a narrow chart with a left axis still fits a projector."""
    line_chart = finished.vconcat[1]
    text = " ".join(str(line_chart.data["line"].iloc[0]).split("\n"))
    lines = textwrap.wrap(text, width=max(40, int(width_px / 5.6)), break_on_hyphens=False)
    finished.vconcat[1] = alt.Chart(pd.DataFrame({"line": ["\n".join(lines)]})).mark_text(
        align="left", baseline="top", fontSize=10, color=MUTED, lineBreak="\n", lineHeight=13).encode(
        text=alt.Text("line:N"), x=alt.XValue(0), y=alt.YValue(0)).properties(height=13 * len(lines), width=width_px)
    return finished


def _category_axis() -> alt.Y:
    return alt.Y("category:N", sort=list(history.CATEGORIES), scale=alt.Scale(domain=list(history.CATEGORIES)),
                 title=None, axis=alt.Axis(labelFontSize=12))


def _category_color() -> alt.Color:
    return alt.Color("category:N", scale=option_colors(history.CATEGORIES), legend=None)


def timeline_chart() -> alt.VConcatChart:
    """Every event on one time axis, one row per category; radio buttons and year sliders filter in Vega.

    Params: ``category_pick`` (radio: all or one category), ``year_from`` and ``year_to``
    (range sliders over the timeline's years; if they cross, the window runs from the
    smaller to the larger). Filtering happens in the browser, so the chart also works
    exported to static HTML. The title, the x axis (the chosen years, not the points left)
    and its year ticks follow the params.
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
    window = alt.Scale(domain=[alt.ExprRef(f"datetime({WINDOW_START}, 0, 1)"),
                               alt.ExprRef(f"datetime({WINDOW_END}, 11, 31)")])
    points = base.mark_point(size=90, filled=True, opacity=0.9, stroke=INK, strokeWidth=0.6).encode(
        x=alt.X("date:T", scale=window, axis=_year_axis()),
        y=_category_axis(),
        color=_category_color(),
        tooltip=_tooltip(),
    ).add_params(category_pick, year_from, year_to)
    shown = base.transform_aggregate(events_shown="count()").transform_calculate(
        label="datum.events_shown + (datum.events_shown == 1 ? ' event shown' : ' events shown')"
    ).mark_text(align="right", baseline="top", color=MUTED, fontSize=12).encode(
        text=alt.Text("label:N"), x=alt.XValue(TIMELINE_WIDTH_PX), y=alt.YValue(-16))
    counts = events["category"].value_counts().reindex(list(history.CATEGORIES), fill_value=0)
    busiest = str(counts.idxmax())
    finished = finish((points + shown).properties(height=260, width=TIMELINE_WIDTH_PX), title="Timeline",
                      source=TIMELINE_SOURCE, model="helpers.history.timeline",
                      subtitle=[f"All {len(events)} events: {busiest} is the busiest strand ({int(counts[busiest])}).",
                                "Pick a strand and years below the chart; hover a point for its source."])
    strand = f"({PARAM_CATEGORY} == '{ALL_CATEGORIES}' ? 'Every strand' : 'Strand: ' + {PARAM_CATEGORY})"
    finished.title = alt.Title(text=alt.ExprRef(f"{strand} + ', ' + {WINDOW_START} + '-' + {WINDOW_END}"),
                               subtitle=finished.title.subtitle)
    return _fit_source_line(finished, TIMELINE_WIDTH_PX)


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
        y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=215, labelFontSize=12)),
        x=alt.X("enabler_date:T", title=None, axis=alt.Axis(format="%Y", labelFontSize=12,
                                                            tickCount=alt.TimeIntervalStep(interval="year",
                                                                                           step=10))),
        x2=alt.X2("adopter_date:T"),
        color=alt.Color("track:N", scale=option_colors(["VMs", "containers"]), title="Track",
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("relation:N"), alt.Tooltip("enabler_date:N"),
                 alt.Tooltip("adopter_date:N"), alt.Tooltip("gap_years:Q", title="gap (years)")],
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=4, color=INK, fontSize=12).encode(
        y=alt.Y("pair:N", sort=order), x=alt.X("adopter_date:T"), text=alt.Text("gap_years:Q", format=".1f"))
    popek = history.years_between("popek-goldberg", "intel-vt-x")
    others = gaps.loc[gaps["enabler_id"] != "popek-goldberg", "gap_years"]
    title = f"x86 met the 1974 criteria {popek:.0f} years on; others took {others.min():.1f}-{others.max():.1f} years"
    finished = finish((bars + labels).properties(height=alt.Step(24), width=GAP_WIDTH_PX), title=title,
                      source=TIMELINE_SOURCE, model="helpers.history.adoption_gaps",
                      subtitle=["Bar = years from an enabler to a landmark that depended on it",
                                "(not necessarily its first use)"])
    return _fit_source_line(finished, GAP_WIDTH_PX + 60)


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
    points = alt.Chart(_chart_frame(events)).mark_point(size=90, filled=True, opacity=0.9, stroke=INK,
                                                        strokeWidth=0.6).encode(
        x=alt.X("date:T", axis=_year_axis(start, end), scale=alt.Scale(domain=[f"{start}-01-01", f"{end}-12-31"])),
        y=_category_axis(),
        color=_category_color(),
        tooltip=_tooltip(),
    )
    layers = [points]
    scope = "all strands" if chosen is None else chosen
    title = f"{len(events)} event{'' if len(events) == 1 else 's'} from {start} to {end} ({scope})"
    if gap is not None:
        gap_frame = pd.DataFrame({"gap_start": [gap["before_date"].strftime("%Y-%m-%d")],
                                  "gap_end": [gap["after_date"].strftime("%Y-%m-%d")],
                                  "gap_years": [round(float(gap["gap_years"]), 1)]})
        gap_frame["label"] = "longest quiet stretch: " + gap_frame["gap_years"].astype(str) + " years"
        gap_frame["from"] = history.date_label(gap["before_date"], _precision(gap["before_id"]))
        gap_frame["to"] = history.date_label(gap["after_date"], _precision(gap["after_id"]))
        # one layer for the marker: a labelled rule (every extra layer costs a deep copy per redraw)
        layers.append(alt.Chart(gap_frame).mark_rule(color=INK, strokeWidth=3, strokeDash=[6, 3]).encode(
            x=alt.X("gap_start:T"), x2=alt.X2("gap_end:T"), y=alt.YValue(-6),
            tooltip=[alt.Tooltip("label:N", title="marker"), alt.Tooltip("from:N"), alt.Tooltip("to:N")]))
        title += f"; longest quiet stretch {gap['gap_years']:.1f} years"
    finished = finish(alt.layer(*layers, height=240, width=TIMELINE_WIDTH_PX), title=title, source=TIMELINE_SOURCE,
                      model="helpers.history.events_between, longest_quiet_gap")
    return _fit_source_line(finished, TIMELINE_WIDTH_PX)


def _precision(event_id: str) -> str:
    return str(history.event(event_id)["date_precision"])


def timeline_window_chart(start_year: int, end_year: int, category: str = ALL_CATEGORIES) -> alt.VConcatChart:
    """The events of one window (drawn by the model, not by Vega params), with the longest quiet stretch marked.

    Crossed years are put in order (:func:`helpers.history.require_years` with ``allow_reversed``).
    """
    return _window_chart(*_window_events(start_year, end_year, category))


def timeline_view(start_year: int, end_year: int, category: str = ALL_CATEGORIES) -> View:
    """What :func:`timeline_panel` shows for one setting: chart, table of events, one line of findings."""
    start, end, chosen, events, gap = _window_events(start_year, end_year, category)
    table = pd.DataFrame({"date": [history.date_label(d, p) for d, p in zip(events["date"], events["date_precision"])],
                          "event id": events["event_id"], "strand": events["category"], "event": events["event"]})
    swapped = " (the two years were swapped into order)" if start_year > end_year else ""
    text = f"<b>{len(events)}</b> event{'' if len(events) == 1 else 's'} from {start} to {end}{swapped}."
    if gap is not None:
        text += (f" Longest quiet stretch in this selection: <b>{gap['gap_years']:.1f} years</b>, from "
                 f"<code>{gap['before_id']}</code> ({history.date_label(gap['before_date'], _precision(gap['before_id']))})"
                 f" to <code>{gap['after_id']}</code> "
                 f"({history.date_label(gap['after_date'], _precision(gap['after_id']))}).")
    if len(table) > TABLE_ROWS:
        text += (f" The table lists the first {TABLE_ROWS} of {len(table)}: narrow the window or pick a strand "
                 "to see the others.")
        table = table.head(TABLE_ROWS)
    return View(chart=_window_chart(start, end, chosen, events, gap), table=table, text=text)


def timeline_panel() -> LivePanel:
    """Live panel: a year window and a category drive :func:`helpers.history.events_between` and the gap finder."""
    first, last = history.year_span()
    parameters = [
        Slider("start_year", "From", first, last, 1, first, "year", "First calendar year of the window."),
        Slider("end_year", "To", first, last, 1, last, "year", "Last calendar year of the window."),
        Choice("category", "Strand", (ALL_CATEGORIES, *history.CATEGORIES), ALL_CATEGORIES,
               "Strand of the history to show ('all' for every strand)."),
    ]
    return LivePanel(parameters, timeline_view, title="Virtualization timeline: pick a window and a strand")


# --- self-checks (expected values come from the model; every check answers any input with a sentence) ---

def _not_yet(answer, expected_form: str, hint: str) -> CheckResult:
    return CheckResult(False, f"✗ Not yet: {answer!r} is not {expected_form}. Hint: {hint}")


def _number(answer, expected: float, *, what: str, unit: str, abs_tol: float, hint: str) -> CheckResult:
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    if isinstance(answer, str):
        return CheckResult(False, f"✗ Not yet: {answer!r} is text; write the number without quotes. Hint: {hint}")
    try:
        return check_number(answer, expected, what=what, unit=unit, rel_tol=0, abs_tol=abs_tol, hint=hint)
    except (ValueError, TypeError):
        return _not_yet(answer, f"a number of {unit}", hint)


def _choice(answer, expected: str, *, options: tuple[str, ...], what: str, hint: str) -> CheckResult:
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    try:
        return check_choice(answer, expected, options=options, what=what, hint=hint)
    except (ValueError, TypeError):
        return _not_yet(answer, f"one of {list(options)}", hint)


def instruction_table() -> pd.DataFrame:
    """:data:`helpers.history.X86_INSTRUCTIONS` as a table for the notebook (no index needed: show with .style)."""
    return pd.DataFrame({
        "instruction": [i.mnemonic for i in history.X86_INSTRUCTIONS],
        "what it does (Intel SDM, before VT-x)": [i.in_ring3 for i in history.X86_INSTRUCTIONS],
    })


def check_trap_and_emulate_breakers(answer) -> CheckResult:
    """Exercise 1: which instructions of :func:`instruction_table` break trap-and-emulate? A list of mnemonics."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    known = tuple(i.mnemonic for i in history.X86_INSTRUCTIONS)
    hint = ("An instruction is sensitive if it reads or changes privileged state (the interrupt flag, control "
            "registers, descriptor tables, halting the CPU); it breaks trap-and-emulate if it is sensitive AND runs "
            "in ring 3 without a fault, so the monitor never hears of it.")
    items = [answer] if isinstance(answer, str) else answer
    if not isinstance(items, (list, tuple, set, frozenset)) or not items or not all(
            isinstance(item, str) for item in items):
        return _not_yet(answer, 'a list of mnemonics such as ["ADD"]', hint)
    chosen = {item.strip().upper() for item in items}
    unknown = sorted(chosen - set(known))
    if unknown:
        return CheckResult(False, f"✗ Not yet: {unknown} {'is' if len(unknown) == 1 else 'are'} not in the table "
                                  f"({', '.join(known)}). Hint: {hint}")
    expected = set(history.trap_and_emulate_breakers())
    if chosen == expected:
        return CheckResult(True, f"✓ Right: {', '.join(sorted(expected))} are sensitive but do not trap.")
    wrong = sorted(chosen - expected)
    missing = len(expected - chosen)
    parts = []
    if wrong:
        parts.append(f"{', '.join(wrong)} {'does' if len(wrong) == 1 else 'do'} not break it")
    if missing:
        parts.append(f"{missing} more {'does' if missing == 1 else 'do'}")
    return CheckResult(False, f"✗ Not yet: {'; '.join(parts)}. Hint: {hint}")


#: Exercise 2's options: the kinds of work hypervisors did in software before hardware took them over.
NESTED_PAGING_OPTIONS = ("a CPU mode for the guest kernel", "page tables", "interrupt delivery",
                         "disk and network I/O")


def check_what_nested_paging_moved(answer) -> CheckResult:
    """Exercise 2: what nested paging (AMD RVI 2007, Intel EPT 2008) moved from the hypervisor into hardware."""
    moved = {assist.event_id: assist.moved_to_hardware for assist in history.HARDWARE_ASSISTS}
    return _choice(answer, moved["amd-rvi"], options=NESTED_PAGING_OPTIONS,
                   what="what nested paging took over from the hypervisor",
                   hint="What did VMware keep doing in software with first-generation VT-x? Think of what changes "
                        "at every guest context switch (Adams & Agesen).")


def _longest_cloud_gap() -> pd.Series:
    first, last = history.year_span()
    return history.longest_quiet_gap(first, last, "cloud")


def check_longest_cloud_gap(answer) -> CheckResult:
    """Exercise 3: the longest stretch with no ``cloud`` event: ``answer = (years, before_event_id, after_event_id)``.

    Years within half a year; both event ids must match the two events that bound the stretch
    (the panel's table lists every event's id).
    """
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    hint = "choose 'cloud' in the panel at its full range: the text line names the stretch and its two event ids"
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return _not_yet(answer, 'a tuple of three: (years, "before-id", "after-id")', hint)
    years, before_id, after_id = answer
    gap = _longest_cloud_gap()
    ids = history.event_ids()
    results = [
        _number(years, float(gap["gap_years"]), what="the longest stretch without a cloud event", unit="years",
                abs_tol=0.5, hint=hint),
        _choice(before_id, gap["before_id"], options=ids, what="the event that starts it",
                hint="the event id of the cloud event just before the stretch"),
        _choice(after_id, gap["after_id"], options=ids, what="the event that ends it",
                hint="the event id of the cloud event just after the stretch"),
    ]
    return CheckResult(all(results), " ".join(result.message for result in results))


def _day_precision_events() -> pd.DataFrame:
    events = history.timeline()
    return events.loc[events["date_precision"] == "day"]


def check_longest_gap_day_precision(answer) -> CheckResult:
    """Exercise 4: longest stretch between the events whose date is known to the day (other data, same function)."""
    expected = float(history.longest_gap(_day_precision_events())["gap_years"])
    return _number(answer, expected, what="the longest gap between day-precision events", unit="years",
                   abs_tol=0.5, hint="filter timeline() on date_precision == 'day' and pass it to longest_gap")
