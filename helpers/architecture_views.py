"""Chapter 2 views: the platform stacks side by side, the density chart, their live panels and the self-checks.

Charts are drawn from the model's tables (``helpers.architecture``), never by hand:
rect marks for layers, text marks for their names, a dashed rule for the isolation
boundary, labelled with what a tenant can call across it (the enforcing interface).
Every encoding is a typed channel object (``alt.X(...)``, ``alt.Tooltip(...)``, ``alt.XValue(...)``):
a bare string or dict makes altair look the channel up in the whole Vega-Lite schema, which
costs about 15 ms per channel on every panel redraw.

Sizes are for a projector: no text under 12 px, at most three stacks side by side
(about 500 px wide; more platforms wrap onto further rows).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import altair as alt
import pandas as pd

from . import architecture as arch
from .charts import INK, MUTED, PALETTE, finish, option_colors
from .exercises import NOT_ANSWERED, CheckResult, check_choice, check_number
from .validation import require_choice
from .widgets import Choice, LivePanel, MultiChoice, Slider, View, parameters_from_table

__all__ = [
    "stack_chart", "density_chart", "platform_explorer_panel", "density_panel", "interface_table",
    "density_parameter_table",
    "check_vm_density_for_app", "check_container_limiting_resource", "check_container_to_vm_ratio",
    "check_dirty_pipe_platforms", "VM_DENSITY_APP", "OVERCOMMIT_CASE", "OLD_SERVER", "NO_PLATFORM_TEXT",
    "DIRTY_PIPE_SYSCALL", "DENSITY_DOMAIN",
]

LAYERS_SOURCE = ("data/platform_layers.csv (vendor and project documentation, Goldberg 1973); "
                 "data/enforcing_interface.csv, host_syscall_profiles.csv (moby, gVisor, Firecracker, Linux, at "
                 "named commits)")
DENSITY_SOURCE = ("data/instance_overheads.csv, density_parameters.csv (Firecracker, Kubernetes, gVisor, "
                  "OpenShift, Microsoft docs)")
SHARING = ("shared by every tenant on the host", "one copy per tenant")
BOUNDARY_COLOR = INK  # a dark dashed rule: no colour word to get wrong, visible on a projector
NO_PLATFORM_TEXT = "Pick at least one platform (Ctrl/Cmd-click to select several)."

# Stack chart geometry, in layer units (one layer = 1 unit = LAYER_PX pixels high, a column is 1 unit wide).
COLUMN_WIDTH_PX = 156
MAX_COLUMNS = 3  # stacks per row: 3 x 156 px + gaps, about 520 px, fits a projector at 125 %
LAYER_PX = 46
GAP = 0.16  # gap between platform columns, in column widths
CARD_OFFSET = 0.07  # tenant B's copy of a per-tenant layer peeks out behind tenant A's, up and to the right
LAYER_INSET = 0.09  # white space above and below each layer's box
BOUNDARY_BAND = 1.3  # between the shared and the per-tenant layers: the boundary rule and its label (<= 3 lines)
RULE_OFFSET = 0.08  # the rule's height above the top of the highest shared layer
TITLE_ROOM = 0.8  # above the tallest stack of a row, for the (two-line) platform names
ROW_GAP = 0.3  # between two rows of stacks
LAYER_FONT_PX, LINE_PX, LABEL_FONT_PX, TITLE_FONT_PX, RULE_WIDTH_PX = 12, 14, 12, 13, 2.5
LAYER_WRAP, TITLE_WRAP, LABEL_WRAP = 19, 20, 24  # characters per line that fit a 156 px column at those sizes
THIN_OUTLINE_PX, THICK_OUTLINE_PX = 0.5, 2.5  # white outline of a layer box; dark one of an enforcing layer
#: Names of the stack chart's datasets (boxes, boundary rules, texts), attached at the top level of the spec.
STACK_DATASETS = ("stack_boxes", "stack_boundaries", "stack_texts")
#: The density chart's x axis: fixed, so bars keep their scale while the sliders move. Log scale: 1 to 10,000
#: instances covers every slider setting (at most 64 cores x 2 threads x 16 overcommit / 0.25 vCPU = 8,192).
DENSITY_DOMAIN = (1, 10_000)
DENSITY_WIDTH_PX = 360  # plus about 130 px of platform names: fits a projector


def _inline(frame: pd.DataFrame | dict) -> alt.InlineData:
    """Data as plain records: altair then skips its per-DataFrame sanitising pass (about 2 ms a layer)."""
    frame = pd.DataFrame(frame) if isinstance(frame, dict) else frame
    return alt.InlineData(values=frame.to_dict("records"))


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


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of about ``width`` characters (rendered by lineBreak="\\n")."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "\n".join(lines)


def _wrap_label(text: str) -> str:
    """A wall label on lines of at most LABEL_WRAP characters, breaking before a '+' where it can."""
    if len(text) <= LABEL_WRAP or " + " not in text:
        return _wrap(text, LABEL_WRAP)
    head, *rest = text.split(" + ")
    return "\n".join([head] + [f"+ {part}" for part in rest])


def _text(kind: str, platform: str, text: str, x: float, y: float, font_px: int, *, wrap: int) -> dict:
    """A text record centred on (x, y): Vega draws the first line at y, so a block of n lines is lifted."""
    wrapped = _wrap(text, wrap)
    lines = wrapped.count("\n") + 1
    return {"kind": kind, "platform": platform, "text": wrapped, "lines": lines, "x": x,
            "y": y + (lines - 1) * LINE_PX / 2 / LAYER_PX, "font_px": font_px, "colour": INK}


def _stack_geometry(layers: pd.DataFrame, walls: pd.DataFrame) -> tuple[list[dict], list[dict], list[dict], float,
                                                                         float]:
    """Records of the rectangles, texts and boundaries, and the drawing's width and height (in layer units).

    Platforms are laid out in rows of at most :data:`MAX_COLUMNS`. In each stack, shared layers sit
    at their position (layer n spans n-1..n); per-tenant layers are lifted by BOUNDARY_BAND and drawn
    as two cards, tenant B's peeking out behind tenant A's (the name sits wholly on tenant A's card).
    The band holds the boundary rule and its label: what a tenant can call across the wall
    (``interface_summary``'s ``wall_direct`` and ``wall_behind``). Records hold plain Python values.
    """
    groups: dict[str, list[dict]] = {}
    for row in layers.to_dict("records"):
        groups.setdefault(row["platform"], []).append(row)
    wall = walls.set_index("platform")
    names = list(groups)
    rows_of = [names[i:i + MAX_COLUMNS] for i in range(0, len(names), MAX_COLUMNS)]
    heights = [max(len(groups[p]) for p in row) + BOUNDARY_BAND + TITLE_ROOM for row in rows_of]
    total = sum(heights) + ROW_GAP * (len(rows_of) - 1)
    rects, texts, boundaries = [], [], []
    top = total
    for row_names, height in zip(rows_of, heights):
        base = top - height  # y of this row's hardware bottom
        for column, platform in enumerate(row_names):
            group = groups[platform]
            left = column * (1 + GAP)
            shared_top = float(max((r["layer_position"] for r in group if r["shared_between_tenants"]), default=0))
            label = group[0]["platform_label"]
            for layer in group:
                shared = bool(layer["shared_between_tenants"])
                bottom = base + layer["layer_position"] - 1 + (0.0 if shared else BOUNDARY_BAND)
                common = {"platform": label, "layer": layer["layer"], "sharing": SHARING[0] if shared else SHARING[1],
                          "enforces_isolation": bool(layer["enforces_isolation"]), "source": layer["source"],
                          "y": bottom + LAYER_INSET, "y2": bottom + 1 - LAYER_INSET}
                if shared or platform == "bare_metal":
                    rects.append({**common, "tenant": "all" if shared else "single tenant", "x": left,
                                  "x2": left + 1})
                    centre = left + 0.5
                else:  # tenant B's card first (behind), then tenant A's
                    rects.append({**common, "tenant": "tenant B", "x": left + CARD_OFFSET, "x2": left + 1,
                                  "y": common["y"] + CARD_OFFSET, "y2": common["y2"] + CARD_OFFSET})
                    rects.append({**common, "tenant": "tenant A", "x": left, "x2": left + 1 - CARD_OFFSET})
                    centre = left + (1 - CARD_OFFSET) / 2
                texts.append(_text("layer name", label, layer["layer"], centre, bottom + 0.5, LAYER_FONT_PX,
                                   wrap=LAYER_WRAP))
            direct, behind = wall.loc[platform, "wall_direct"], wall.loc[platform, "wall_behind"]
            label_lines = "\n".join(_wrap_label(part) for part in (direct, behind) if part)
            lines = label_lines.count("\n") + 1
            rule_y = base + shared_top + RULE_OFFSET
            # the block's last line sits just above the rule; Vega draws the first line at y, the others below
            last_line_y = rule_y + (RULE_WIDTH_PX / 2 + 3 + LINE_PX / 2) / LAYER_PX
            texts.append({"kind": "wall label", "platform": label, "text": label_lines, "lines": lines,
                          "x": left + 0.5, "y": last_line_y + (lines - 1) * LINE_PX / LAYER_PX,
                          "font_px": LABEL_FONT_PX, "colour": INK})
            boundaries.append({"platform": label, "boundary": group[0]["isolation_boundary"],
                               "direct": wall.loc[platform, "direct"], "behind": wall.loc[platform, "behind"],
                               "shared_top": shared_top, "y": rule_y, "x": left - 0.03, "x2": left + 1.03})
            title_y = base + max(len(groups[p]) for p in row_names) + BOUNDARY_BAND + TITLE_ROOM / 2
            texts.append(_text("platform title", label, label, left + 0.5, title_y, TITLE_FONT_PX, wrap=TITLE_WRAP))
        top = base - ROW_GAP
    columns = min(len(names), MAX_COLUMNS)
    # Thick outlines last, so no thin white outline is drawn over one; tenant B's cards before tenant A's.
    rects.sort(key=lambda rect: (rect["enforces_isolation"], rect["tenant"] != "tenant B"))
    return rects, texts, boundaries, columns * (1 + GAP) - GAP, total


def _short(text: str) -> str:
    """'at least 291 system calls' -> '≥291 syscalls' (chart titles must fit a projector)."""
    return text.replace("system calls", "syscalls").replace("at least ", "≥")


def _stack_title(summary: pd.DataFrame) -> str:
    """The finding: who lets a tenant call the most entry points of a shared layer, and who the fewest."""
    counted = summary[summary["counted"]]
    if counted.empty:
        return f"{summary['platform_label'].iloc[0]}: its enforcing interface is not counted here"
    if len(counted) == 1:
        row = counted.iloc[0]
        if row["direct_entry_points"] == 0:
            return f"{row['platform_label']}: a tenant calls nothing shared directly"
        return f"{row['platform_label']}: {_short(row['direct'])} into a shared layer"
    most = counted.loc[counted["direct_entry_points"].idxmax()]
    if (counted["direct_entry_points"] == most["direct_entry_points"]).all():
        return f"Each lets a tenant call {_short(most['direct'])} of a shared layer"
    return f"{most['platform_label']} exposes the most: {_short(most['direct'])} of a shared layer"


def stack_chart(platforms: list[str] | tuple[str, ...]) -> alt.VConcatChart:
    """The layer stacks of ``platforms`` side by side (three per row), with what a tenant can call across the wall.

    Shared layers span the whole column; per-tenant layers are drawn as two cards (tenant A in
    front of tenant B) above a band that holds the boundary: a dashed rule labelled with the
    enforcing interface (entry points a tenant's code calls directly on a shared layer, and those
    reachable only behind its own layer). Layers that enforce the isolation have a thick outline.

    Three layers (boxes, rules, texts), each reading a named dataset whose records are attached once,
    at the top level, after :func:`~helpers.charts.finish`: altair deep-copies every layer each time
    charts are combined and on every ``to_dict``, and inline records would be copied with them.
    """
    if platforms is None:  # platform_layers(None) means "all"; a chart is drawn only for the platforms named
        raise ValueError(f"platforms must be a list of platform ids from {list(arch.PLATFORMS)}; got None")
    layers = arch.platform_layers(platforms)  # rejects an empty, repeated or unknown platform list
    summary = arch.interface_summary(platforms)
    rects, texts, boundaries, right, top = _stack_geometry(layers, summary)
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.05, right + 0.05], nice=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, top], nice=False), axis=None)
    colour = alt.Color("sharing:N", scale=option_colors(list(SHARING)), title=None,
                       legend=alt.Legend(orient="bottom", labelLimit=320, symbolType="square", labelFontSize=12,
                                         symbolStrokeColor="white"))
    tooltip = [alt.Tooltip("platform:N"), alt.Tooltip("layer:N"), alt.Tooltip("tenant:N"), alt.Tooltip("sharing:N"),
               alt.Tooltip("enforces_isolation:N"), alt.Tooltip("source:N")]
    outline = alt.Scale(domain=[False, True], range=["white", INK])
    outline_px = alt.Scale(domain=[False, True], range=[THIN_OUTLINE_PX, THICK_OUTLINE_PX])
    boxes = alt.Chart(alt.NamedData(name=STACK_DATASETS[0])).mark_rect(cornerRadius=3).encode(
        x=x, x2=alt.X2("x2"), y=y, y2=alt.Y2("y2"), color=colour, tooltip=tooltip,
        stroke=alt.Stroke("enforces_isolation:N", scale=outline, legend=None),
        strokeWidth=alt.StrokeWidth("enforces_isolation:O", scale=outline_px, legend=None))
    rule = alt.Chart(alt.NamedData(name=STACK_DATASETS[1])).mark_rule(
        color=BOUNDARY_COLOR, strokeWidth=RULE_WIDTH_PX, strokeDash=[7, 4]).encode(
        x=x, x2=alt.X2("x2"), y=y, tooltip=[alt.Tooltip("platform:N"), alt.Tooltip("boundary:N"),
                                            alt.Tooltip("direct:N", title="a tenant calls directly"),
                                            alt.Tooltip("behind:N", title="behind its own layer")])
    # Layer names, platform titles and wall labels: one text mark, styled per record.
    words = alt.Chart(alt.NamedData(name=STACK_DATASETS[2])).mark_text(
        lineHeight=LINE_PX, lineBreak="\n", baseline="middle", align="center",
        fontWeight=alt.ExprRef(expr="datum.kind === 'platform title' ? 'bold' : 'normal'")).encode(
        x=x, y=y, text=alt.Text("text:N"), size=alt.Size("font_px:Q", scale=None),
        color=alt.Color("colour:N", scale=None, title=None))
    width = round(COLUMN_WIDTH_PX * max(right, 1.6))
    chart = alt.layer(boxes, rule, words, width=width, height=round(LAYER_PX * top))  # no .properties(): one copy less
    finished = finish(chart, title=_stack_title(summary), source=LAYERS_SOURCE,
                      model="helpers.architecture.platform_layers, interface_summary",
                      subtitle=["Orange: one copy serves every tenant. Blue cards: one copy per tenant.",
                                "Dashed line: the wall, and what a tenant can call across it.",
                                "Thick outline: the layer that enforces the wall."])
    finished.datasets = dict(zip(STACK_DATASETS, (rects, boundaries, texts)))
    return _fit_source_line(finished, max(width, 480))


def interface_table(platforms: list[str] | tuple[str, ...] | None = None):
    """The enforcing interface of ``platforms`` (default: all) as a styled table for a notebook (no index).

    Columns: platform (its id, as the functions and exercises take it), name, what a tenant's
    code calls on a shared layer directly, what is reachable only behind its own layer, and the
    layer(s) that enforce the isolation. Counts are floors; "not counted" where the data has none.
    """
    summary = arch.interface_summary(platforms)
    enforced = arch.platform_summary(list(summary["platform"])).set_index("platform")["enforced_by"]
    table = pd.DataFrame({
        "platform (id)": summary["platform"],
        "name": summary["platform_label"],
        "a tenant calls directly on a shared layer": summary["direct"],
        "reachable behind its own layer": summary["behind"],
        "enforced by": summary["platform"].map(enforced),
    })
    return table.style.hide(axis="index").set_properties(
        **{"text-align": "left", "vertical-align": "top", "white-space": "normal", "max-width": "16em"})


def density_parameter_table():
    """The density model's parameters as a styled table: label, default, range, unit and source (wrapped)."""
    table = arch.density_parameters()
    shown = pd.DataFrame({
        "parameter": table["label"],
        "default": table["default"].map("{:,.4g}".format),
        "range": table["minimum"].map("{:,.4g}".format) + " to " + table["maximum"].map("{:,.4g}".format),
        "unit": table["unit"],
        "source of the default": table["source"],
    })
    return shown.style.hide(axis="index").set_properties(
        **{"text-align": "left", "vertical-align": "top", "white-space": "normal"}).set_properties(
        subset=["source of the default"], **{"min-width": "14em", "max-width": "24em", "font-size": "90%"})


def _density_title(data: pd.DataFrame) -> str:
    """The finding of a density chart: who fits the most and the fewest, with the full VM as the yardstick."""
    counts = data.set_index("platform")["instances_per_host"]
    labels = data.set_index("platform")["platform_label"]
    if counts.nunique() == 1:
        limiting = data["limiting_resource"].iloc[0]
        return f"Every platform fits {int(counts.iloc[0]):,} instances: the {limiting} decides"
    best, worst = counts.idxmax(), counts.idxmin()
    vm = "type1_hypervisor" if "type1_hypervisor" in counts.index else best
    if counts[best] > counts[vm]:
        ratio = counts[best] / max(int(counts[vm]), 1)
        tied = int((counts == counts[best]).sum())
        who = f"{tied} platforms fit" if tied > 1 else f"{labels[best]}:"
        return (f"{who} {int(counts[best]):,} per host, {ratio:.1f}x the {int(counts[vm]):,} "
                f"{'full VMs' if vm == 'type1_hypervisor' else labels[vm]}")
    name = "Full VMs fit" if vm == "type1_hypervisor" else f"{labels[vm]} fits"
    return f"{name} {int(counts[vm]):,} per host, as many as any; {labels[worst]} only {int(counts[worst]):,}"


def density_chart(table: pd.DataFrame) -> alt.VConcatChart:
    """Instances per host by platform (bars coloured by the limiting resource) beside the article's 20-30 VMs band.

    ``table`` is a :func:`helpers.architecture.density_table` result (checked column by column:
    names, types, finiteness, platforms and resources). The x axis is fixed (log scale,
    :data:`DENSITY_DOMAIN`), so a panel's bars keep their scale while the sliders move.
    """
    arch.require_density_table("table", table)
    data = table.assign(label=table["instances_per_host"].map("{:,.0f}".format) + " (" + table["limiting_resource"]
                        + "-bound)", bar_end=table["instances_per_host"].clip(lower=DENSITY_DOMAIN[0]))
    order = list(data["platform_label"])
    low, high = arch.ARTICLE_VMS_PER_HOST
    x_scale = alt.Scale(type="log", domain=list(DENSITY_DOMAIN), nice=False)
    x = alt.X("bar_end:Q", title="instances per host (log scale)", scale=x_scale,
              axis=alt.Axis(values=[1, 10, 30, 100, 300, 1000, 3000, 10000], format=",.0f", labelFontSize=12))
    y = alt.Y("platform_label:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12, labelLimit=170))
    # One rect for the article's band, its dashed outline marking 20 and 30 (the subtitle says what it is).
    band_data = _inline({"low": [low], "high": [high], "what": [f"article: {low}-{high} VMs per server"]})
    band = alt.Chart(band_data).mark_rect(color=PALETTE[7], opacity=0.3, stroke=INK, strokeDash=[4, 3],
                                          strokeWidth=1).encode(
        x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high"), tooltip=[alt.Tooltip("what:N")])
    shown = _inline(data[["platform", "platform_label", "instances_per_host", "bar_end", "limiting_resource",
                          "by_cpu", "by_memory", "label"]])
    bars = alt.Chart(shown).mark_bar().encode(
        x=x, x2=alt.X2(datum=DENSITY_DOMAIN[0]), y=y,
        color=alt.Color("limiting_resource:N", scale=option_colors(["cpu", "memory"]),
                        title="limited by", legend=alt.Legend(orient="bottom", labelFontSize=12)),
        tooltip=[alt.Tooltip("platform_label:N"), alt.Tooltip("instances_per_host:Q"),
                 alt.Tooltip("limiting_resource:N"), alt.Tooltip("by_cpu:Q"), alt.Tooltip("by_memory:Q")],
    )
    text = alt.Chart(shown).mark_text(align="left", dx=4, fontSize=12).encode(x=x, y=y, text=alt.Text("label:N"))
    chart = alt.layer(bars, text, band).properties(height=alt.Step(40), width=DENSITY_WIDTH_PX)
    finished = finish(chart, title=_density_title(data), source=DENSITY_SOURCE,
                      model="helpers.architecture.density_table",
                      subtitle=f"Dashed grey band: the article's {low}-{high} VMs per server. Fixed log scale.")
    return _fit_source_line(finished, DENSITY_WIDTH_PX)


def _explorer_view(platforms=()) -> View:
    chosen = [p for p in arch.PLATFORMS if p in tuple(platforms)]  # keep teaching order
    if not chosen:
        return View(chart=None, text=NO_PLATFORM_TEXT)
    summary = arch.interface_summary(chosen)
    enforced = arch.platform_summary(chosen).set_index("platform")["enforced_by"]
    table = pd.DataFrame({"platform": summary["platform_label"],
                          "calls directly on a shared layer": summary["direct"],
                          "behind its own layer": summary["behind"],
                          "enforced by": summary["platform"].map(enforced)})
    return View(chart=stack_chart(chosen), table=table)


def platform_explorer_panel(default: tuple[str, ...] = ("type1_hypervisor", "containers_on_host", "microvm")
                            ) -> LivePanel:
    """Pick platforms and see their stacks side by side, each wall labelled with its enforcing interface."""
    if isinstance(default, str) or not isinstance(default, (list, tuple)):
        raise ValueError(f"default must be a tuple of platforms from {list(arch.PLATFORMS)}; got {default!r}")
    for platform in default:
        require_choice("default", platform, arch.PLATFORMS)
    if len(set(default)) != len(default):
        raise ValueError(f"default must not repeat a platform; got {list(default)}")
    labels = arch.platform_summary().set_index("platform")["platform_label"]
    picker = MultiChoice("platforms", "Platforms", tuple(arch.PLATFORMS), tuple(default),
                         description="Ctrl/Cmd-click to pick several", labels=tuple(labels[p] for p in arch.PLATFORMS))
    return LivePanel([picker], _explorer_view, title="Platform explorer: what can a tenant call across the wall?")


def _density_view(**values) -> View:
    table = arch.density_table(**values)
    shown = pd.DataFrame({
        "platform": table["platform_label"],
        "overhead (MiB)": table["overhead_memory_mib"],
        "overhead (vCPU)": table["overhead_vcpu"],
        "memory per instance (GiB)": table["memory_per_instance_gib"],
        "CPU allows": table["by_cpu"],
        "memory allows": table["by_memory"],
        "instances per host": table["instances_per_host"],
        "limited by": table["limiting_resource"],
    })
    vm = table.loc[table["platform"] == "type1_hypervisor"].iloc[0]
    vcpus = values["host_cores"] * values["threads_per_core"]
    text = (f"Host: {vcpus:,.0f} vCPUs ({values['host_cores']:,.0f} cores x {values['threads_per_core']:,.0f} "
            f"thread{'s' if values['threads_per_core'] != 1 else ''}), {values['host_memory_gib']:,.0f} GiB, of which it keeps "
            f"{values['host_reserved_vcpu']:g} vCPU and {values['host_reserved_memory_mib']:,.0f} MiB. Full VMs: "
            f"<b>{vm['instances_per_host']:,}</b> per host, limited by <b>{vm['limiting_resource']}</b> "
            f"(CPU allows {vm['by_cpu']:,}, memory {vm['by_memory']:,}). The chart redraws when you release a "
            f"slider.")
    return View(chart=density_chart(table), table=shown, text=text)


def density_panel() -> LivePanel:
    """Sliders for host, host reserve, application and overcommit (bounds and defaults from density_parameters.csv)."""
    controls: list[Slider | Choice] = parameters_from_table(arch.density_parameters())
    # one or two hardware threads per core: two positions are a choice, not a slider (issue 9)
    controls = [Choice(c.name, c.label, (1, 2), int(c.default), description=c.description,
                       labels=("1 (SMT off)", "2 (SMT on)"), unit=c.unit, buttons=True)
                if c.name == "threads_per_core" else c for c in controls]
    return LivePanel(controls, _density_view, title="How many instances fit one host?")


# ---------------------------------------------------------------- self-checks (expected values from the model)
# Each check answers any input (None, a string, a wrong type, NaN, a bool, a tuple of the wrong length) with one
# sentence and a hint, never a traceback.

def _guarded(answer, check: Callable[[], CheckResult], *, expected_form: str, hint: str) -> CheckResult:
    """Run ``check``; if the answer has the wrong form, say which form is expected instead of raising."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    try:
        return check()
    except (ValueError, TypeError):
        return CheckResult(False, f"✗ Not yet: {answer!r} is not {expected_form}. Hint: {hint}")


def _number_check(answer, expected: float, *, what: str, unit: str, rel_tol: float, abs_tol: float,
                  hint: str) -> CheckResult:
    if isinstance(answer, str):  # "4" is a number the student typed as text: say so
        return CheckResult(False, f"✗ Not yet: {answer!r} is text; write the number without quotes. Hint: {hint}")
    return _guarded(answer, lambda: check_number(answer, expected, what=what, unit=unit, rel_tol=rel_tol,
                                                 abs_tol=abs_tol, hint=hint),
                    expected_form=f"a number ({unit})", hint=hint)


#: Exercise 1: a memory-hungry application (2 vCPU, 32 GiB) on the default host.
VM_DENSITY_APP = {"app_vcpu": 2.0, "app_memory_gib": 32.0}


def check_vm_density_for_app(answer) -> CheckResult:
    """Exercise 1: full VMs per host on the default host with the :data:`VM_DENSITY_APP` application."""
    expected = arch.density_table(**{**arch.density_defaults(), **VM_DENSITY_APP}).set_index("platform").loc[
        "type1_hypervisor", "instances_per_host"]
    return _number_check(answer, float(expected), what="full VMs per host for a 2 vCPU / 32 GiB application",
                         unit="VMs", rel_tol=0, abs_tol=0.5,
                         hint="Set the application sliders to 2 vCPU and 32 GiB and read the Type-1 bar; "
                              "which resource runs out first, and how much memory does each VM add?")


#: Exercise 2: a 0.25 vCPU / 1 GiB application with 4:1 CPU overcommit on the default host.
OVERCOMMIT_CASE = {"app_vcpu": 0.25, "app_memory_gib": 1.0, "cpu_overcommit": 4.0}


def check_container_limiting_resource(answer) -> CheckResult:
    """Exercise 2: with :data:`OVERCOMMIT_CASE`, what limits containers on a host ("cpu" or "memory")?"""
    values = {**arch.density_defaults(), **OVERCOMMIT_CASE}
    expected = arch.density_table(**values).set_index("platform").loc["containers_on_host", "limiting_resource"]
    hint = ("Compare the 'CPU allows' and 'memory allows' columns of the panel's table for the container row; "
            "how many vCPUs does a container get, and how many a VM?")
    return _guarded(answer, lambda: check_choice(answer, str(expected), options=("cpu", "memory"),
                                                 what="the containers' limiting resource", hint=hint),
                    expected_form='"cpu" or "memory"', hint=hint)


OLD_SERVER = {"host_cores": 16, "threads_per_core": 2, "host_memory_gib": 256, "app_vcpu": 0.5,
              "app_memory_gib": 1.0, "cpu_overcommit": 4.0, "memory_overcommit": 1.0, "guest_os_memory_mib": 1024,
              "host_reserved_vcpu": 2.0, "host_reserved_memory_mib": 360.0}


def check_container_to_vm_ratio(answer) -> CheckResult:
    """Exercise 3: containers per host divided by full VMs per host on the 2014 test server of Felter et al."""
    table = arch.density_table(**OLD_SERVER).set_index("platform")["instances_per_host"]
    expected = table["containers_on_host"] / table["type1_hypervisor"]
    return _number_check(answer, float(expected), what="containers per full VM on that server", unit="x",
                         rel_tol=0.02, abs_tol=0,
                         hint="Call density_table with the server's numbers and divide the two counts.")


#: Exercise 4: the system call the public Dirty Pipe exploit (CVE-2022-0847) needs.
DIRTY_PIPE_SYSCALL = "splice"


def _platform_list(answer) -> list[str] | None:
    """The answer as a list of platform ids (a single id is a list of one), or None if it is not one."""
    if isinstance(answer, str):
        return [answer.strip()]
    if isinstance(answer, (list, tuple, set, frozenset)) and all(isinstance(item, str) for item in answer):
        return [item.strip() for item in answer]
    return None


def check_dirty_pipe_platforms(answer) -> CheckResult:
    """Exercise 4: the counted platforms on which a tenant can make ``splice`` on a kernel other tenants share,
    directly or after taking over its own per-tenant layer. ``answer``: a list of platform ids."""
    if answer is None:
        return CheckResult(False, NOT_ANSWERED)
    ids = tuple(arch.interface_summary().query("counted")["platform"])
    hint = ("For each platform, find the layer that answers the tenant's system calls: is it shared? If not, "
            "which host calls does the tenant's own layer (VMM, Sentry) keep? reaches_shared_kernel tells you.")
    chosen = _platform_list(answer)
    if chosen is None or not chosen:
        return CheckResult(False, f"✗ Not yet: {answer!r} is not a list of platform ids such as "
                                  f"[\"containers_on_host\"]. Hint: {hint}")
    unknown = [item for item in chosen if item not in ids]
    if unknown:
        return CheckResult(False, f"✗ Not yet: {unknown} {'is' if len(unknown) == 1 else 'are'} not among the "
                                  f"counted platform ids {list(ids)}. Hint: copy the ids from the interface table.")
    expected = {p for p in ids if arch.reaches_shared_kernel(DIRTY_PIPE_SYSCALL, p, after_own_layer=True)}
    if set(chosen) == expected:
        return CheckResult(True, f"✓ Right: {sorted(expected)}.")
    missing, extra = sorted(expected - set(chosen)), sorted(set(chosen) - expected)
    detail = []
    if extra:
        detail.append(f"{extra} cannot reach the shared kernel's {DIRTY_PIPE_SYSCALL}")
    if missing:
        detail.append(f"{len(missing)} more platform{'s' if len(missing) != 1 else ''} can")
    return CheckResult(False, f"✗ Not yet: {'; '.join(detail)}. Hint: {hint}")
