"""Chapter 2 views: the platform stacks side by side, the density chart, their live panels and the self-checks.

Charts are drawn from the model's tables (``helpers.architecture``), never by hand:
rect marks for layers, text marks for their names, a rule for the isolation boundary.
Every encoding is a typed channel object (``alt.X(...)``, ``alt.Tooltip(...)``, ``alt.XValue(...)``):
a bare string or dict makes altair look the channel up in the whole Vega-Lite schema, which
costs about 15 ms per channel on every panel redraw.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import architecture as arch
from .charts import INK, PALETTE, finish, option_colors
from .exercises import CheckResult, check_choice, check_number
from .validation import require_choice
from .widgets import LivePanel, MultiChoice, Slider, View, parameters_from_table

__all__ = [
    "stack_chart", "density_chart", "platform_explorer_panel", "density_panel", "check_vm_density_for_app",
    "check_container_limiting_resource", "check_container_to_vm_ratio", "check_shared_layer_difference",
    "VM_DENSITY_APP", "OVERCOMMIT_CASE", "OLD_SERVER", "NO_PLATFORM_TEXT",
]

LAYERS_SOURCE = "data/platform_layers.csv (vendor and project documentation, Goldberg 1973)"
DENSITY_SOURCE = "data/instance_overheads.csv, density_parameters.csv (Firecracker, gVisor, OpenShift, Microsoft docs)"
SHARING = ("shared by every tenant on the host", "one copy per tenant")
BOUNDARY_COLOR = PALETTE[5]  # vermillion
NO_PLATFORM_TEXT = "Pick at least one platform (Ctrl/Cmd-click to select several)."

# Stack chart geometry, in layer units (one layer = 1 unit = LAYER_PX pixels high).
COLUMN_WIDTH_PX = 150
LAYER_PX = 64
GAP = 0.12  # gap between platform columns, in column widths
TENANT_GAP = 0.04  # gap between tenant A's and tenant B's copy of a layer, in column widths
LAYER_INSET = 0.04  # white space above and below each layer's box
BOUNDARY_BAND = 0.5  # a strip between the shared and the per-tenant layers that holds the boundary rule and label
RULE_OFFSET = 0.1  # the rule's height above the top of the highest shared layer
LABEL_OFFSET = 0.32  # the "isolation boundary" label's centre above the same line
TITLE_ROOM = 0.6  # above the tallest stack, for the platform names
LAYER_FONT_PX, LAYER_LINE_PX, LABEL_FONT_PX, TITLE_FONT_PX, RULE_WIDTH_PX = 10, 12, 9, 12, 4
THIN_OUTLINE_PX, THICK_OUTLINE_PX = 0.5, 2.5  # white outline of a layer box; dark one of an enforcing layer
#: Names of the stack chart's datasets (boxes, boundary rules, texts), attached at the top level of the spec.
STACK_DATASETS = ("stack_boxes", "stack_boundaries", "stack_texts")


def _inline(frame: pd.DataFrame | dict) -> alt.InlineData:
    """Data as plain records: altair then skips its per-DataFrame sanitising pass (about 2 ms a layer)."""
    frame = pd.DataFrame(frame) if isinstance(frame, dict) else frame
    return alt.InlineData(values=frame.to_dict("records"))


def _wrap(text: str, width: int = 20) -> str:
    """Break a layer name into lines of about ``width`` characters (rendered by lineBreak="\\n")."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "\n".join(lines)


def _stack_geometry(layers: pd.DataFrame) -> tuple[list[dict], list[dict], list[dict], float]:
    """Records of the rectangles (one per shared layer, two per per-tenant layer), the texts and the boundaries,
    and the top of the drawing (in layer units).

    Shared layers sit at their position (layer n spans n-1..n); per-tenant layers are lifted by
    BOUNDARY_BAND, and the boundary rule and its label sit in that band, clear of every layer.
    The texts are the layer names (kind "layer name", with their line count ``lines``), the platform
    titles and the "isolation boundary" labels, each with its font size (px), weight and colour.
    Records hold plain Python values, so the chart can carry them without any conversion.
    """
    groups: dict[str, list[dict]] = {}
    for row in layers.to_dict("records"):
        groups.setdefault(row["platform"], []).append(row)
    rects, texts, boundaries = [], [], []
    for column, (platform, group) in enumerate(groups.items()):
        left = column * (1 + GAP)
        shared_top = float(max((r["layer_position"] for r in group if r["shared_between_tenants"]), default=0))
        label = group[0]["platform_label"]
        for layer in group:
            shared = bool(layer["shared_between_tenants"])
            bottom = layer["layer_position"] - 1 + (0.0 if shared else BOUNDARY_BAND)
            common = {"platform": label, "layer": layer["layer"], "sharing": SHARING[0] if shared else SHARING[1],
                      "enforces_isolation": bool(layer["enforces_isolation"]),
                      "y": bottom + LAYER_INSET, "y2": bottom + 1 - LAYER_INSET, "source": layer["source"]}
            if shared or platform == "bare_metal":
                rects.append({**common, "tenant": "all" if shared else "single tenant", "x": left, "x2": left + 1})
            else:
                rects.append({**common, "tenant": "tenant A", "x": left, "x2": left + 0.5 - TENANT_GAP / 2})
                rects.append({**common, "tenant": "tenant B", "x": left + 0.5 + TENANT_GAP / 2, "x2": left + 1})
            text = _wrap(layer["layer"])
            lines = text.count("\n") + 1
            # Vega draws the first line at y and the others below it: lift the block so it is centred.
            texts.append({"kind": "layer name", "platform": label, "text": text, "lines": lines, "x": left + 0.5,
                          "y": bottom + 0.5 + (lines - 1) * LAYER_LINE_PX / 2 / LAYER_PX,
                          "font_px": LAYER_FONT_PX, "colour": INK})
        texts.append({"kind": "boundary label", "platform": label, "text": "isolation boundary", "x": left + 0.5,
                      "y": shared_top + LABEL_OFFSET, "font_px": LABEL_FONT_PX, "colour": BOUNDARY_COLOR})
        boundaries.append({"platform": label, "boundary": group[0]["isolation_boundary"],
                           "shared_top": shared_top, "y": shared_top + RULE_OFFSET,
                           "label_y": shared_top + LABEL_OFFSET, "x": left - 0.03, "x2": left + 1.03})
    title_y = float(layers["layer_position"].max()) + BOUNDARY_BAND + TITLE_ROOM / 2
    for column, boundary in enumerate(boundaries):
        texts.append({"kind": "platform title", "platform": boundary["platform"], "text": boundary["platform"],
                      "x": column * (1 + GAP) + 0.5, "y": title_y, "font_px": TITLE_FONT_PX, "colour": INK})
    # Thick outlines last, so no thin white outline is drawn over one.
    rects.sort(key=lambda rect: rect["enforces_isolation"])
    return rects, texts, boundaries, title_y + TITLE_ROOM / 2


def _stack_title(summary: pd.DataFrame) -> str:
    """The finding: which platform(s) share the most layers with other tenants."""
    if len(summary) == 1:
        row = summary.iloc[0]
        return f"{row['platform_label']}: tenants share {int(row['shared_layers'])} of {int(row['layers'])} layers"
    most = int(summary["shared_layers"].max())
    leaders = summary[summary["shared_layers"] == most]
    if len(leaders) == 1:
        row = leaders.iloc[0]
        return f"{row['platform_label']} shares the most with other tenants: {most} of {int(row['layers'])} layers"
    names = list(leaders["platform_label"])
    return f"{', '.join(names[:-1])} and {names[-1]} share the most with other tenants: {most} layers each"


def stack_chart(platforms: list[str] | tuple[str, ...]) -> alt.VConcatChart:
    """The layer stacks of ``platforms`` side by side, shared layers coloured, the isolation boundary as a red rule.

    Shared layers span the whole column; per-tenant layers are drawn twice (tenant A, tenant B)
    above a band that holds the boundary. Layers that enforce the isolation have a thick outline.

    Three layers (boxes, rules, texts), each reading a named dataset whose records are attached once,
    at the top level, after :func:`~helpers.charts.finish`: altair deep-copies every layer each time
    charts are combined and on every ``to_dict``, and inline records would be copied with them.
    """
    layers = arch.platform_layers(platforms)  # rejects an empty, repeated or unknown platform list
    rects, texts, boundaries, top = _stack_geometry(layers)
    right = max(b["x2"] for b in boundaries)
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.05, right + 0.02], nice=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, top], nice=False), axis=None)
    colour = alt.Color("sharing:N", scale=option_colors(list(SHARING)), title=None,
                       legend=alt.Legend(orient="bottom", labelLimit=320, symbolType="square",
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
        color=BOUNDARY_COLOR, strokeWidth=RULE_WIDTH_PX).encode(
        x=x, x2=alt.X2("x2"), y=y, tooltip=[alt.Tooltip("platform:N"), alt.Tooltip("boundary:N")])
    # Layer names, platform titles and boundary labels: one text mark, styled per record.
    words = alt.Chart(alt.NamedData(name=STACK_DATASETS[2])).mark_text(
        lineHeight=LAYER_LINE_PX, lineBreak="\n", baseline="middle", align="center",
        fontWeight=alt.ExprRef(expr="datum.kind === 'layer name' ? 'normal' : 'bold'")).encode(
        x=x, y=y, text=alt.Text("text:N"), size=alt.Size("font_px:Q", scale=None),
        color=alt.Color("colour:N", scale=None, title=None))
    width = max(COLUMN_WIDTH_PX * len(boundaries), 300)
    chart = alt.layer(boxes, rule, words, width=width, height=round(LAYER_PX * top))  # no .properties(): one copy less
    finished = finish(chart, title=_stack_title(arch.platform_summary(platforms)), source=LAYERS_SOURCE,
                      model="helpers.architecture.platform_layers",
                      subtitle="Below the red rule one copy serves every tenant; above it each tenant has its own. "
                               "Thick outline = the layer that enforces isolation.")
    finished.datasets = dict(zip(STACK_DATASETS, (rects, boundaries, texts)))
    return finished


def density_chart(table: pd.DataFrame) -> alt.VConcatChart:
    """Instances per host by platform (bars coloured by the limiting resource) beside the article's 20-30 VMs band."""
    needed = {"platform", "platform_label", "instances_per_host", "limiting_resource", "by_cpu", "by_memory"}
    if not isinstance(table, pd.DataFrame) or not needed.issubset(table.columns) or table.empty:
        raise ValueError(f"table must be a non-empty density_table() result with columns {sorted(needed)}")
    data = table.assign(label=table["instances_per_host"].map("{:,}".format) + " (" + table["limiting_resource"]
                        + "-bound)")
    order = list(data["platform_label"])
    low, high = arch.ARTICLE_VMS_PER_HOST
    x_max = max(float(data["instances_per_host"].max()), high) * 1.25
    x_scale = alt.Scale(domain=[0, x_max])
    x = alt.X("instances_per_host:Q", title="instances per host", scale=x_scale)
    y = alt.Y("platform_label:N", sort=order, title=None)
    # One rect for the article's band, its dashed outline marking 20 and 30 (the subtitle says what it is).
    band_data = _inline({"low": [low], "high": [high], "what": [f"article: {low}-{high} VMs per server"]})
    band = alt.Chart(band_data).mark_rect(color=PALETTE[7], opacity=0.3, stroke=INK, strokeDash=[4, 3],
                                          strokeWidth=1).encode(
        x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high"), tooltip=[alt.Tooltip("what:N")])
    shown = _inline(data[["platform", "platform_label", "instances_per_host", "limiting_resource", "by_cpu",
                          "by_memory", "label"]])
    bars = alt.Chart(shown).mark_bar().encode(
        x=x, y=y,
        color=alt.Color("limiting_resource:N", scale=option_colors(["cpu", "memory"]),
                        title="limited by", legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("platform_label:N"), alt.Tooltip("instances_per_host:Q"),
                 alt.Tooltip("limiting_resource:N"), alt.Tooltip("by_cpu:Q"), alt.Tooltip("by_memory:Q")],
    )
    text = alt.Chart(shown).mark_text(align="left", dx=4, fontSize=11).encode(x=x, y=y, text=alt.Text("label:N"))
    chart = alt.layer(bars, text, band).properties(height=alt.Step(40))
    vm_rows = data.loc[data["platform"] == "type1_hypervisor"]
    vm = vm_rows.iloc[0] if len(vm_rows) else data.iloc[0]
    best = data.loc[data["instances_per_host"].idxmax()]
    if best["instances_per_host"] == vm["instances_per_host"]:
        title = f"Every platform fits {vm['instances_per_host']:,} instances: the {vm['limiting_resource']} decides"
    else:
        ratio = best["instances_per_host"] / max(vm["instances_per_host"], 1)
        title = (f"{best['platform_label']}: {best['instances_per_host']:,} per host, "
                 f"{ratio:.1f}x the {vm['instances_per_host']:,} full VMs")
    return finish(chart, title=title, source=DENSITY_SOURCE, model="helpers.architecture.density_table",
                  subtitle=f"Dashed grey band: the article's {low}-{high} VMs per physical server.")


def _explorer_view(platforms=()) -> View:
    chosen = [p for p in arch.PLATFORMS if p in tuple(platforms)]  # keep teaching order
    if not chosen:
        return View(chart=None, text=NO_PLATFORM_TEXT)
    summary = arch.platform_summary(chosen)
    table = summary[["platform_label", "shared_layers", "per_tenant_layers", "enforced_by", "isolation_boundary"]]
    return View(chart=stack_chart(chosen), table=table.rename(columns={"platform_label": "platform"}))


def platform_explorer_panel(default: tuple[str, ...] = ("type1_hypervisor", "containers_on_host", "microvm")
                            ) -> LivePanel:
    """Pick platforms and see their stacks side by side: shared layers coloured, the isolation boundary marked."""
    if isinstance(default, str) or not isinstance(default, (list, tuple)):
        raise ValueError(f"default must be a tuple of platforms from {list(arch.PLATFORMS)}; got {default!r}")
    for platform in default:
        require_choice("default", platform, arch.PLATFORMS)
    labels = arch.platform_summary().set_index("platform")["platform_label"]
    picker = MultiChoice("platforms", "Platforms", tuple(arch.PLATFORMS), tuple(default),
                         description="Ctrl/Cmd-click to pick several", labels=tuple(labels[p] for p in arch.PLATFORMS))
    return LivePanel([picker], _explorer_view, title="Platform explorer: what do tenants share?")


def _density_view(**values) -> View:
    table = arch.density_table(**values)
    shown = table[["platform_label", "overhead_memory_mib", "memory_per_instance_gib", "by_cpu", "by_memory",
                   "instances_per_host", "limiting_resource"]].rename(columns={"platform_label": "platform"})
    vm = table.loc[table["platform"] == "type1_hypervisor"].iloc[0]
    vcpus = values["host_cores"] * values["threads_per_core"]
    text = (f"Host: {vcpus:,.0f} vCPUs, {values['host_memory_gib']:,.0f} GiB. Full VMs: "
            f"<b>{vm['instances_per_host']:,}</b> per host, limited by <b>{vm['limiting_resource']}</b> "
            f"(CPU allows {vm['by_cpu']:,}, memory {vm['by_memory']:,}).")
    return View(chart=density_chart(table), table=shown, text=text)


def density_panel() -> LivePanel:
    """Sliders for host, application and overcommit (bounds and defaults from data/density_parameters.csv)."""
    sliders: list[Slider] = parameters_from_table(arch.density_parameters())
    return LivePanel(sliders, _density_view, title="How many instances fit one host?")


# ---------------------------------------------------------------- self-checks (expected values from the model)
# Each exercise uses inputs the notebook does not print elsewhere, so its answer is not shown before it is asked.

#: Exercise 1: a memory-heavy application (2 vCPU, 16 GiB, the shape of an r5.large) on the default host.
VM_DENSITY_APP = {"app_vcpu": 2.0, "app_memory_gib": 16.0}


def check_vm_density_for_app(answer) -> CheckResult:
    """Exercise 1: full VMs per host on the default host with the :data:`VM_DENSITY_APP` application."""
    expected = arch.density_table(**{**arch.density_defaults(), **VM_DENSITY_APP}).set_index("platform").loc[
        "type1_hypervisor", "instances_per_host"]
    return check_number(answer, float(expected), what="full VMs per host for a 2 vCPU / 16 GiB application",
                        unit="VMs", rel_tol=0, abs_tol=0.5,
                        hint="Set the application sliders to 2 vCPU and 16 GiB and read the Type-1 bar; "
                             "which resource runs out first?")


#: Exercise 2: a 0.5 vCPU / 1 GiB application with 3:1 CPU overcommit on the default host.
OVERCOMMIT_CASE = {"app_vcpu": 0.5, "app_memory_gib": 1.0, "cpu_overcommit": 3.0}


def check_container_limiting_resource(answer) -> CheckResult:
    """Exercise 2: with :data:`OVERCOMMIT_CASE`, what limits containers on a host ("cpu" or "memory")?"""
    values = {**arch.density_defaults(), **OVERCOMMIT_CASE}
    expected = arch.density_table(**values).set_index("platform").loc["containers_on_host", "limiting_resource"]
    return check_choice(answer, str(expected), options=("cpu", "memory"), what="the containers' limiting resource",
                        hint="Compare by_cpu and by_memory in the panel's table for the container row.")


OLD_SERVER = {"host_cores": 16, "threads_per_core": 2, "host_memory_gib": 256, "app_vcpu": 0.5,
              "app_memory_gib": 1.0, "cpu_overcommit": 4.0, "memory_overcommit": 1.0, "guest_os_memory_mib": 1024}


def check_container_to_vm_ratio(answer) -> CheckResult:
    """Exercise 3: containers per host divided by full VMs per host on the 2014 test server of Felter et al."""
    table = arch.density_table(**OLD_SERVER).set_index("platform")["instances_per_host"]
    expected = table["containers_on_host"] / table["type1_hypervisor"]
    return check_number(answer, float(expected), what="containers per full VM on that server", unit="x",
                        rel_tol=0.02, hint="Call density_table with the server's numbers and divide the two counts.")


def check_shared_layer_difference(answer) -> CheckResult:
    """Exercise 4: how many more layers two teams share on one container host than two customers' pods on EKS/GKE?"""
    expected = arch.shared_layer_count("containers_on_host") - arch.shared_layer_count("containers_in_vms")
    return check_number(answer, float(expected), what="extra layers shared on a plain container host",
                        unit="layers", rel_tol=0, abs_tol=0.1,
                        hint="Pick 'Containers on a host' and 'Containers inside VMs' in the explorer and count "
                             "the layers below each red rule.")
