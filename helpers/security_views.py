"""Chapter 6 views: escapes, shared responsibility, recovery and patching charts, their panels, the self-checks.

Every chart is drawn from a model in :mod:`helpers.security`, :mod:`helpers.recovery`
or :mod:`helpers.patching` and finished with :func:`helpers.charts.finish` (a title
that states the finding, a source line naming data and model). Encodings are typed
channel objects (``alt.X(...)``): a bare string makes altair search the whole
Vega-Lite schema on every redraw.
"""

from __future__ import annotations


import altair as alt
import pandas as pd

from . import patching, recovery, security
from .charts import INK, MUTED, PALETTE, finish, option_colors
from .data import Column
from .exercises import CheckResult, check_choice, check_number
from .tables import styled_table
from .validation import require_choice, require_frame, require_number, require_text
from .widgets import Choice, LivePanel, MultiChoice, Slider, View

__all__ = [
    "ESCAPES_SOURCE", "interface_table", "parameters_table", "escapes_table", "dr_tiers_table",
    "escape_timeline_chart", "isolation_panel", "responsibility_chart", "recovery_chart",
    "recovery_panel", "dr_tier_chart", "patch_chart", "patch_panel", "format_duration",
    "check_kubernetes_default_gap", "check_ransomware_data_loss", "check_rto_lever", "check_window_saving",
    "check_provider_patches_kernel", "check_cheapest_tier", "RANSOMWARE_CASE", "RTO_OPTIONS", "WINDOW_CASE",
    "TIER_CASE", "KUBERNETES_DEFAULTS", "DOCKER_DEFAULTS",
]

WIDTH = 480
# Source lines stay short: finish() starts them under the plot, right of the y-axis labels, and a chart must fit
# a projector (about 640 CSS px of output width at 1024x768 and 125 % zoom). Longer attributions go in subtitles.
ESCAPES_SOURCE = "data/escapes.csv"
RESPONSIBILITY_SOURCE = "data/shared_responsibility.csv"
RECOVERY_SOURCE = "data/recovery_parameters.csv, dr_tiers.csv (AWS, RDS, Route 53, EBS docs); the article"
PATCH_SOURCE = "data/patch_parameters.csv (Verizon DBIR 2024, CISA BOD 22-01, AWS SSM, Kubernetes docs)"

OUTCOME_COLORS = alt.Scale(domain=list(security.OUTCOMES), range=[PALETTE[5], PALETTE[1], PALETTE[2], PALETTE[7]])
OUTCOME_LABELS = {security.CROSSES: "crosses to the host or other tenants",
                  security.CONTAINED: "contained in the tenant's own VM or sandbox",
                  security.STOPPED: "stopped by a defence", security.NOT_REACHABLE: "not reachable"}
WHO_COLORS = alt.Scale(domain=list(security.RESPONSIBLE), range=[PALETTE[4], PALETTE[1], PALETTE[0]])
SERVICE_MODEL_LABELS = {"on_premises_vms": "Own VMs", "iaas_vm": "IaaS VM", "managed_kubernetes_nodes": "EKS nodes",
                        "serverless_containers": "Fargate", "functions": "Lambda"}

#: Log-scale ticks for durations, in seconds, and how they read.
_TICKS = [1, 60, 600, 3600, 4 * 3600, 86400]
_TICK_EXPR = ("datum.value >= 86400 ? '1 day' : datum.value >= 14400 ? '4 h' : datum.value >= 3600 ? '1 h' : "
              "datum.value >= 600 ? '10 min' : datum.value >= 60 ? '1 min' : '1 s'")
_FLOOR_S = 1.0  # zero is drawn at 1 s on the log axes


def _inline(frame: pd.DataFrame | dict) -> alt.InlineData:
    """Data as plain records (altair then skips its per-DataFrame sanitising pass)."""
    frame = pd.DataFrame(frame) if isinstance(frame, dict) else frame
    return alt.InlineData(values=frame.to_dict("records"))


def format_duration(seconds: float) -> str:
    """A duration in the largest sensible unit: "0 s", "45 s", "17 min", "1 h 33 min", "2.5 days".

    ``seconds``: a finite number, 0 to 10^12 s (about 31,700 years).
    """
    seconds = require_number("seconds", seconds, minimum=0, maximum=1e12, unit="s")
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h" if minutes == 0 else f"{hours} h {minutes} min"
    return f"{seconds / 86400:.1f} days"


def _styled(table: pd.DataFrame, *, caption: str, nowrap: tuple[str, ...] = (), wrap: tuple[str, ...] = ()):
    """A table for students (:func:`helpers.tables.styled_table`): a caption, no index, labelled headers, numbers
    with thousands separators, dollars protected; ``nowrap`` columns (identifiers, dates) never break across lines,
    ``wrap`` columns (long text) wrap into readable lines."""
    return styled_table(table, caption=caption, nowrap_columns=tuple(c for c in nowrap if c in table.columns),
                        wrap_columns=tuple(c for c in wrap if c in table.columns))


def interface_table():
    """The first software shared with other tenants that each platform's tenant reaches (chapter 2's data)."""
    labels = security.platform_labels()
    rows = [{"platform": labels[p], **security.first_shared_interface(p)} for p in security.PLATFORMS]
    table = pd.DataFrame(rows)[["platform", "step", "callee", "units"]].rename(columns={
        "step": "reached at wall no.", "callee": "first shared software reached",
        "units": "entry points it offers"})
    return _styled(table, caption="What a tenant reaches (model: helpers.security.reachable_interface)")


def parameters_table(model: str):
    """The inputs of the ``"patch"`` or ``"recovery"`` panel: label, default, range, unit, kind and source."""
    tables = {"patch": patching.patch_parameters, "recovery": recovery.recovery_parameters}
    require_choice("model", model, tuple(tables))
    table = tables[model]()
    shown = pd.DataFrame({
        "input": table["label"], "default": table["default"].map("{:g}".format),
        "range": [f"{low:g} to {high:g}" for low, high in zip(table["minimum"], table["maximum"])],
        "unit": table["unit"], "kind": table["kind"], "source": table["source"],
    })
    return _styled(shown, caption=f"data/{model}_parameters.csv", nowrap=("default", "range"), wrap=("source",))


def escapes_table():
    """The published escapes: name, CVE, date, what it abuses, whether exploitation was reported, CVSS v3 score."""
    table = security.escapes()
    shown = pd.DataFrame({
        "escape": table["name"], "CVE": table["cve_id"].fillna("").replace("", "none"),
        "published": table["published"].dt.strftime("%Y-%m-%d"), "abuses": table["component"],
        "exploited": table["exploited_in_wild"].map({True: "yes", False: "no report"}),
        "CVSS": table["cvss_v3"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
    })
    return _styled(shown, caption="data/escapes.csv: dates from the CVE records (CVEProject/cvelistV5)",
                   nowrap=("CVE", "published"), wrap=("escape", "abuses"))


def dr_tiers_table(*, fleet_vms: int = recovery.DEFAULT_FLEET_VMS, data_gib: float = 500.0):
    """AWS's DR tiers: their objectives in AWS's words, AWS's relative cost and the cost from chapter 5's model."""
    tiers = recovery.dr_tiers().set_index("tier")
    costs = recovery.dr_tier_costs(fleet_vms=fleet_vms, data_gib=data_gib).set_index("tier")
    shown = pd.DataFrame({
        "tier": tiers["tier_label"], "objectives (AWS)": tiers["aws_words"],
        "what runs before a disaster": tiers["what_runs"],
        "AWS's cost": tiers["aws_cost_rank"].map(lambda n: "$" * int(n)),
        "added USD per month": costs["total_usd_per_month"].round(0),
        "share of production": costs["share_of_production"].map("{:.0%}".format),
    })
    return _styled(shown, caption=f"data/dr_tiers.csv; cost: helpers.recovery.dr_tier_costs for {fleet_vms:,} "
                                  f"VMs and {data_gib:,.0f} GiB", wrap=("objectives (AWS)", "what runs before a disaster"))


# ---------------------------------------------------------------------------------------------- isolation

#: What escape_timeline_chart checks in its table: every column of an escape_outcomes() result.
_OUTCOME_TABLE = (
    Column("escape_id", "str", "Identifier."), Column("name", "str", "Name of the escape."),
    Column("cve_id", "str", "CVE identifier (empty for none).", required=False),
    Column("published", "date", "Publication date."),
    Column("target", "str", "What the escape abuses.", allowed=security.TARGETS),
    Column("outcome", "str", "What it did on the platform.", allowed=security.OUTCOMES),
    Column("stopped_by", "str", "The defence that stopped it (empty: none).", required=False,
           allowed=("", *security.DEFENCES)),
    Column("why", "str", "Why."),
)


def escape_timeline_chart(outcomes: pd.DataFrame, *, platform_label: str) -> alt.VConcatChart:
    """The escapes on a timeline (one row each, oldest on top), coloured by what each did on one platform."""
    require_frame("outcomes", outcomes, _OUTCOME_TABLE, key="escape_id")
    require_text("platform_label", platform_label)
    data = outcomes.assign(date=pd.to_datetime(outcomes["published"]).dt.strftime("%Y-%m-%d"),
                           cve=outcomes["cve_id"].fillna("no CVE").replace("", "no CVE"),
                           what=outcomes["outcome"].map(OUTCOME_LABELS))
    records = _inline(data[["name", "cve", "date", "outcome", "what", "why"]])
    order = list(data["name"])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=180))
    x = alt.X("date:T", title="published", scale=alt.Scale(domain=["2014-06-01", "2026-01-01"]),
              axis=alt.Axis(format="%Y", tickCount=6))
    colour = alt.Color("outcome:N", scale=OUTCOME_COLORS, title=None,
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=300,
                                         labelExpr="datum.label === 'crosses' ? 'crosses to the host or other "
                                                   "tenants' : datum.label === 'contained' ? 'contained in the "
                                                   "tenant\\'s own VM or sandbox' : datum.label === 'stopped' ? "
                                                   "'stopped by a defence' : 'not reachable'"))
    tooltip = [alt.Tooltip("name:N"), alt.Tooltip("cve:N"), alt.Tooltip("date:N"), alt.Tooltip("what:N"),
               alt.Tooltip("why:N")]
    points = alt.Chart(records).mark_point(filled=True, size=130).encode(x=x, y=y, color=colour, tooltip=tooltip)
    chart = points.properties(width=WIDTH - 200, height=alt.Step(21))
    crossed = int((data["outcome"] == security.CROSSES).sum())
    title = f"{platform_label}: {crossed} of {len(data)} published escapes cross to other tenants"
    return finish(chart, title=title, source=ESCAPES_SOURCE, model="helpers.security.escape_outcomes",
                  subtitle=["Before each fix; dates from the CVE records, exploitation from CISA KEV.",
                            "Hover a point for the reason."], source_width=WIDTH - 200)


def _isolation_view(platform: str, defences=()) -> View:
    labels = security.platform_labels()
    ids = {label: key for key, label in labels.items()}
    key = ids[platform]
    chosen = tuple(d for d in security.DEFENCES if d in tuple(defences))
    outcomes = security.escape_outcomes(key, chosen)
    reach = security.first_shared_interface(key)
    counts = outcomes["outcome"].value_counts()
    text = (f"First shared software a tenant reaches: <b>{reach['callee']}</b>, through {reach['units']} "
            f"(chapter 2). Escapes: <b>{int(counts.get(security.CROSSES, 0))} cross</b>, "
            f"{int(counts.get(security.CONTAINED, 0))} contained, {int(counts.get(security.STOPPED, 0))} stopped, "
            f"{int(counts.get(security.NOT_REACHABLE, 0))} not reachable.")
    table = pd.DataFrame({
        "escape": outcomes["name"],
        # non-breaking hyphens keep a CVE id on one line in the panel's table (the checks accept them)
        "CVE": outcomes["cve_id"].fillna("").replace("", "none").str.replace("-", "\u2011"),
        "year": pd.to_datetime(outcomes["published"]).dt.year.astype(str),
        "on this platform": outcomes["outcome"],
        "why": outcomes["why"],
    })
    return View(chart=escape_timeline_chart(outcomes, platform_label=platform), table=table, text=text)


def isolation_panel() -> LivePanel:
    """Pick a platform and the defences switched on; see which published escapes would have crossed."""
    labels = security.platform_labels()
    options = tuple(labels[p] for p in security.PLATFORMS)
    platform = Choice("platform", "Platform", options, labels["containers_on_host"],
                      description="Where tenants' code runs (chapter 2's platforms)")
    defences = MultiChoice("defences", "Defences on", security.DEFENCES, (),
                           description="Ctrl/Cmd-click to switch several on; each only acts where it exists",
                           labels=tuple(security.DEFENCE_LABELS[d] for d in security.DEFENCES))
    return LivePanel([platform, defences], _isolation_view, title="Which published escapes cross the wall?")


def responsibility_chart(service_models: tuple[str, ...] | list[str] | None = None) -> alt.VConcatChart:
    """Who patches each layer under each service model: a grid coloured provider / shared / customer."""
    table = security.shared_responsibility(service_models)
    models = list(dict.fromkeys(table["service_model"]))
    data = table.fillna({"note": ""}).assign(model=table["service_model"].map(SERVICE_MODEL_LABELS),
                        who=table["patched_by"], mark=table["patched_by"].map(
                            {"provider": "provider", "shared": "shared", "customer": "you"}))
    records = _inline(data[["model", "layer_label", "layer_position", "who", "mark", "note", "source"]])
    order = [SERVICE_MODEL_LABELS[m] for m in models]
    layer_order = list(table.sort_values("layer_position", ascending=False)["layer_label"].drop_duplicates())
    x = alt.X("model:N", sort=order, title=None, axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("layer_label:N", sort=layer_order, title=None, axis=alt.Axis(labelLimit=170))
    cells = alt.Chart(records).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("who:N", scale=WHO_COLORS, title="patched by",
                                  legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("layer_label:N"), alt.Tooltip("who:N"),
                 alt.Tooltip("note:N"), alt.Tooltip("source:N")])
    words = alt.Chart(records).mark_text(fontSize=11, color="white", fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("mark:N"))
    chart = alt.layer(cells, words).properties(width=WIDTH - 200, height=alt.Step(30))
    yours = {m: security.customer_patched_layers(m) for m in models}
    most, least = max(yours, key=yours.get), min(yours, key=yours.get)
    layers = int(table["layer_position"].max())
    title = (f"{SERVICE_MODEL_LABELS[least]} leaves you {yours[least]} of {layers} layers to patch; "
             f"{SERVICE_MODEL_LABELS[most]}, {yours[most]}")
    return finish(chart, title=title, source=RESPONSIBILITY_SOURCE, model="helpers.security.shared_responsibility",
                  subtitle="AWS's shared responsibility model, ECS, EKS and Lambda docs. 'shared': the provider "
                           "ships the fix, you roll it out (yours in the title).")


# ---------------------------------------------------------------------------------------------- recovery

def _log_axis(title: str) -> dict:
    return dict(title=title, scale=alt.Scale(type="log", domain=[_FLOOR_S / 1.6, 2 * 86400], nice=False),
                axis=alt.Axis(values=_TICKS, labelExpr=_TICK_EXPR, grid=True))


#: Names of the recovery chart's datasets, attached once at the top level of the spec (see recovery_chart).
RECOVERY_DATASETS = ("recovery_regions", "recovery_article_rpo", "recovery_setups")
_ARTICLE_BANDS = ("article: VM RTO 1-4 h", "article: container RTO < 1 min")


#: What recovery_chart checks in its table: every column of a compare_setups() result (seconds up to a year
#: for the parts, up to the calculator's largest worst case for the totals).
_PARTS_MAX_S = 1e10
_SETUP_TABLE = (
    Column("setup", "str", "Setup.", allowed=recovery.SETUPS),
    Column("path", "str", "How it recovers.", allowed=("restore from backup", "fail over to replica")),
    *(Column(column, "float", "Seconds.", unit="s", minimum=0, maximum=_PARTS_MAX_S)
      for column in ("rpo_s", "rto_s", "detection_s", "provision_s", "restore_s", "failover_s")),
)


def recovery_chart(setups: pd.DataFrame, *, failure: str) -> alt.VConcatChart:
    """Each setup's worst-case data loss (x) and recovery time (y) over AWS's four DR tiers and the article's figures.

    Log axes from 1 s to 2 days; a zero is drawn at 1 s. Tiers are the rectangles of
    their stated RPO and RTO ranges; the article's hourly-snapshot RPO is a dashed
    line, its appendix RTOs (VMs 1-4 h, containers under 1 min) are grey bands.
    Three layers reading named datasets attached at the top level: altair deep-copies
    every layer each time charts are combined and on every ``to_dict``.
    """
    require_frame("setups", setups, _SETUP_TABLE, key="setup", min_rows=len(recovery.SETUPS))
    if len(setups) != len(recovery.SETUPS):
        raise ValueError(f"setups must be a compare_setups() table with one row per setup {list(recovery.SETUPS)}; "
                         f"got {len(setups)} rows")
    require_choice("failure", failure, recovery.FAILURES)
    tiers = recovery.dr_tiers()
    regions = pd.DataFrame({
        "region": list(tiers["tier_label"]) + list(_ARTICLE_BANDS),
        "x": list(tiers["rpo_low_s"].clip(lower=_FLOOR_S)) + [_FLOOR_S / 1.6, _FLOOR_S / 1.6],
        "x2": list(tiers["rpo_high_s"].clip(lower=_FLOOR_S * 3)) + [2 * 86400, 2 * 86400],
        "y": list(tiers["rto_low_s"].clip(lower=_FLOOR_S)) + [recovery.ARTICLE_RTO_VM_H[0] * 3600, _FLOOR_S / 1.6],
        "y2": list(tiers["rto_high_s"].clip(lower=_FLOOR_S * 3)) + [recovery.ARTICLE_RTO_VM_H[1] * 3600,
                                                                      recovery.ARTICLE_RTO_CONTAINER_S],
        "words": list(tiers["aws_words"]) + ["the article's appendix (数据恢复时间)"] * 2,
    })
    article_rpo = pd.DataFrame({"x": [recovery.ARTICLE_SNAPSHOT_RPO_H * 3600],
                                "what": ["article: snapshot backup RPO = 1 h"]})
    points = setups.assign(x=setups["rpo_s"].clip(lower=_FLOOR_S), y=setups["rto_s"].clip(lower=_FLOOR_S),
                           rpo=setups["rpo_s"].map(format_duration), rto=setups["rto_s"].map(format_duration))
    x, y = alt.X("x:Q", **_log_axis("worst-case data loss (RPO)")), alt.Y("y:Q", **_log_axis(
        "worst-case recovery time (RTO)"))
    named = [alt.NamedData(name=name) for name in RECOVERY_DATASETS]
    colours = alt.Scale(domain=list(regions["region"]), range=list(PALETTE[:len(tiers)]) + [MUTED, MUTED])
    rects = alt.Chart(named[0]).mark_rect(opacity=0.2, stroke=INK, strokeOpacity=0.25).encode(
        x=x, x2=alt.X2("x2"), y=y, y2=alt.Y2("y2"),
        color=alt.Color("region:N", scale=colours, title="AWS DR tiers and the article",
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=220)),
        tooltip=[alt.Tooltip("region:N"), alt.Tooltip("words:N")])
    rpo_line = alt.Chart(named[1]).mark_rule(color=INK, strokeDash=[6, 4], strokeWidth=1.5).encode(
        x=x, tooltip=[alt.Tooltip("what:N")])
    shape = alt.Shape("setup:N", scale=alt.Scale(domain=list(recovery.SETUPS), range=["square", "diamond"]),
                      title=None, legend=alt.Legend(orient="top"))
    tooltip = [alt.Tooltip("setup:N"), alt.Tooltip("path:N"), alt.Tooltip("rpo:N", title="data loss"),
               alt.Tooltip("rto:N", title="recovery time")]
    marks = alt.Chart(named[2]).mark_point(filled=True, size=240, color=INK, stroke="white", strokeWidth=1).encode(
        x=x, y=y, shape=shape, tooltip=tooltip)
    chart = alt.layer(rects, rpo_line, marks, width=WIDTH - 60, height=300)
    vm, cloud = (setups.set_index("setup").loc[name] for name in recovery.SETUPS)
    title = (f"{failure.capitalize()}: snapshots lose {format_duration(vm['rpo_s'])}, back in "
             f"{format_duration(vm['rto_s'])}; replica {format_duration(cloud['rpo_s'])}, "
             f"{format_duration(cloud['rto_s'])}")
    finished = finish(chart, title=title, source=RECOVERY_SOURCE, model="helpers.recovery.compare_setups",
                      subtitle="Worst case. Dashed line: the article's snapshot RPO = 1 h; grey: its appendix RTOs. "
                               "0 is drawn at 1 s.")
    frames = (regions, article_rpo, points[["setup", "path", "x", "y", "rpo", "rto"]])
    finished.datasets = {name: frame.to_dict("records") for name, frame in zip(RECOVERY_DATASETS, frames)}
    return finished


def _recovery_table(setups: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "setup": setups["setup"], "recovers by": setups["path"],
        "data loss (RPO)": setups["rpo_s"].map(format_duration), "recovery (RTO)": setups["rto_s"].map(format_duration),
        "detect": setups["detection_s"].map(format_duration), "provision": setups["provision_s"].map(format_duration),
        "restore": setups["restore_s"].map(format_duration), "fail over": setups["failover_s"].map(format_duration),
    })


def _recovery_view(*, failure: str, replication: str, **values) -> View:
    setups = recovery.compare_setups(failure=failure, replication=replication, **values)
    cloud = setups.set_index("setup").loc[recovery.SETUPS[1]]
    tier = recovery.dr_tiers().set_index("tier").loc[
        recovery.cheapest_tier_meeting(rpo_s=cloud["rpo_s"], rto_s=cloud["rto_s"]), "tier_label"]
    text = (f"The replicated setup's objectives ({format_duration(cloud['rpo_s'])} of data, "
            f"{format_duration(cloud['rto_s'])} to recover) need at least AWS's <b>{tier}</b> tier. "
            f"Detection alone takes {format_duration(cloud['detection_s'])}.")
    return View(chart=recovery_chart(setups, failure=failure), table=_recovery_table(setups), text=text)


def _parameter_sliders(table: pd.DataFrame) -> list[Slider]:
    return [Slider(str(row["name"]), str(row["label"]), float(row["minimum"]), float(row["maximum"]),
                   float(row["step"]), float(row["default"]), str(row["unit"]), str(row["description"]))
            for _, row in table.iterrows()]


def recovery_panel() -> LivePanel:
    """A snapshot-protected VM beside a replicated cloud database: RPO and RTO over the AWS tiers."""
    failure = Choice("failure", "Failure", recovery.FAILURES, recovery.SITE_LOSS,
                     description="site loss: servers or site gone; data corruption: ransomware, a bad deploy")
    replication = Choice("replication", "Cloud replication", recovery.REPLICATION, "asynchronous",
                         description="How the replicated setup copies its data to the standby")
    return LivePanel([failure, replication, *_parameter_sliders(recovery.recovery_parameters())], _recovery_view,
                     title="How much data is lost, and how long until service is back?")


def dr_tier_chart(*, fleet_vms: int = recovery.DEFAULT_FLEET_VMS, data_gib: float = 500.0) -> alt.VConcatChart:
    """Monthly cost each AWS DR tier adds to production, from chapter 5's cost model, with AWS's own ranking."""
    costs = recovery.dr_tier_costs(fleet_vms=fleet_vms, data_gib=data_gib)
    tiers = recovery.dr_tiers().set_index("tier")
    data = costs.assign(words=costs["tier"].map(tiers["aws_words"]),
                        label=[f"${total:,.0f}/month ({share:.0%} of production)" for total, share in
                               zip(costs["total_usd_per_month"], costs["share_of_production"])],
                        dollars=costs["aws_cost_rank"].map(lambda n: "$" * int(n)))
    records = _inline(data[["tier_label", "total_usd_per_month", "label", "words", "dollars"]])
    order = list(data["tier_label"])
    x = alt.X("total_usd_per_month:Q", title="added cost (USD per month)",
              scale=alt.Scale(domain=[0, float(data["total_usd_per_month"].max()) * 1.9]))
    y = alt.Y("tier_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(records).mark_bar(color=PALETTE[4]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("tier_label:N"), alt.Tooltip("words:N"), alt.Tooltip("dollars:N",
                                                                                             title="AWS's cost")])
    text = alt.Chart(records).mark_text(align="left", dx=4, fontSize=11).encode(x=x, y=y, text=alt.Text("label:N"))
    chart = alt.layer(bars, text).properties(width=WIDTH - 170, height=alt.Step(34))
    pilot = data.set_index("tier").loc["pilot_light"]
    title = (f"Pilot light adds {pilot['share_of_production']:.0%} to the bill; multi-site doubles it")
    return finish(chart, title=title, source="data/dr_tiers.csv; chapter 5's cost model",
                  model="helpers.recovery.dr_tier_costs",
                  subtitle=f"Production: {fleet_vms:,} m5.large-sized VMs on demand and {data_gib:,.0f} GiB of gp3. "
                           f"Standby shares: our assumptions.")


# ---------------------------------------------------------------------------------------------- patching

#: Names of the patch chart's datasets, attached once at the top level of the spec.
PATCH_DATASETS = ("patch_curves", "patch_exploit")


#: What patch_chart checks in its tables: the columns of rollout_curves() and compare_rollouts() results.
_CURVE_TABLE = (
    Column("strategy", "str", "Rollout.", allowed=patching.STRATEGIES),
    Column("day", "float", "Days since the fix.", unit="days", minimum=0, maximum=1e7),
    Column("unpatched_hosts", "int", "Hosts still unpatched.", minimum=0),
    Column("unpatched_share", "float", "Share still unpatched.", minimum=0, maximum=1),
)
_SUMMARY_TABLE = (
    Column("strategy", "str", "Rollout.", allowed=patching.STRATEGIES),
    *(Column(column, "float", "Host-days.", minimum=0) for column in ("host_days", "host_days_after_exploit")),
    *(Column(column, "float", "Days.", unit="days", minimum=0, maximum=1e7)
      for column in ("mean_days", "median_days", "days_to_95", "days_to_all")),
    Column("unpatched_at_exploit", "int", "Hosts unpatched when exploitation starts.", minimum=0),
    Column("hosts", "int", "Hosts.", minimum=1),
)


def patch_chart(curves: pd.DataFrame, summary: pd.DataFrame, *, exploit_day: float) -> alt.VConcatChart:
    """Share of the fleet still unpatched, day by day, manual vs automated, with the day exploitation starts."""
    require_frame("curves", curves, _CURVE_TABLE, key=("strategy", "day"))
    require_frame("summary", summary, _SUMMARY_TABLE, key="strategy", min_rows=len(patching.STRATEGIES))
    missing = sorted(set(patching.STRATEGIES) - set(summary["strategy"]))
    if missing:
        raise ValueError(f"summary must have a row for each strategy {list(patching.STRATEGIES)}; missing {missing}")
    exploit_day = require_number("exploit_day", exploit_day, minimum=0, maximum=3650, unit="days")
    last = float(summary["days_to_all"].max())
    x_max = min(max(last * 1.1, exploit_day + 5, 10.0), float(curves["day"].max()))
    shown = curves[curves["day"] <= x_max]
    x = alt.X("day:Q", title="days since the fix was published", scale=alt.Scale(domain=[0, x_max], nice=False))
    y = alt.Y("unpatched_share:Q", title="hosts still unpatched", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("strategy:N", scale=option_colors(list(patching.STRATEGIES)), title=None,
                       legend=alt.Legend(orient="bottom"))
    curve_data, exploit_data = (alt.NamedData(name=name) for name in PATCH_DATASETS)
    lines = alt.Chart(curve_data).mark_line(interpolate="step-after").encode(
        x=x, y=y, color=colour, tooltip=[alt.Tooltip("strategy:N"), alt.Tooltip("day:Q", format=".1f"),
                                         alt.Tooltip("unpatched_share:Q", format=".0%")])
    rule = alt.Chart(exploit_data).mark_rule(color=PALETTE[5], strokeDash=[5, 3], strokeWidth=2).encode(
        x=x, tooltip=[alt.Tooltip("what:N")])
    label = alt.Chart(exploit_data).mark_text(align="left", dx=4, dy=8, fontSize=11, color=PALETTE[5]).encode(
        x=x, y=alt.Y("unpatched_share:Q", scale=alt.Scale(domain=[0, 1])), text=alt.Text("label:N"))
    chart = alt.layer(lines, rule, label, width=WIDTH, height=240)
    by = summary.set_index("strategy")["host_days_after_exploit"]
    manual, auto = float(by["manual"]), float(by["automated"])
    title = f"Host-days exposed after exploitation: manual {manual:,.0f}, automated {auto:,.0f}"
    ratio = f"The manual rollout carries {manual / auto:.1f}x as many. " if auto > 0 else ""
    finished = finish(chart, title=title, source=PATCH_SOURCE, model="helpers.patching.compare_rollouts",
                      subtitle=f"{ratio}Area under a line right of the red rule = host-days an exploit can hit.")
    finished.datasets = {
        PATCH_DATASETS[0]: shown[["strategy", "day", "unpatched_share"]].to_dict("records"),
        PATCH_DATASETS[1]: [{"day": float(exploit_day), "unpatched_share": 1.0, "label": "exploited",
                             "what": f"exploitation starts (day {exploit_day:g})"}],
    }
    return finished


def _patch_table(summary: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "rollout": summary["strategy"], "host-days exposed": summary["host_days"].round(0).astype(int),
        "after exploitation": summary["host_days_after_exploit"].round(0).astype(int),
        "mean days": summary["mean_days"].round(1), "95 % patched by day": summary["days_to_95"].round(1),
        "all patched by day": summary["days_to_all"].round(1),
    })


def _patch_view(**values) -> View:
    exploit = values.pop("exploit_day")
    values["fleet_hosts"] = int(values["fleet_hosts"])
    summary = patching.compare_rollouts(exploit_day=exploit, **values)
    curves = patching.rollout_curves(**values)
    manual = summary.set_index("strategy").loc["manual"]
    text = (f"Manual rollout: half the fleet is patched by day <b>{manual['median_days']:.0f}</b> (the article "
            f"claims 3-5 days; Verizon's DBIR 2024 measured 55 days to patch half of critical KEV flaws). "
            f"{int(manual['unpatched_at_exploit']):,} of {int(manual['hosts']):,} hosts are unpatched when "
            f"exploitation starts.")
    return View(chart=patch_chart(curves, summary, exploit_day=exploit), table=_patch_table(summary), text=text)


def patch_panel() -> LivePanel:
    """Manual rollout with reboot windows vs automated waves: hosts unpatched over time, host-days exposed."""
    sliders = _parameter_sliders(patching.patch_parameters())
    window = Choice("manual_window", "Manual: reboot window", tuple(patching.WINDOWS), "weekly",
                    description="When the manual team may reboot hosts (monthly: Patch Tuesday cadence)")
    position = next(i for i, s in enumerate(sliders) if s.name == "manual_hosts_per_day") + 1
    controls = sliders[:position] + [window] + sliders[position:]
    return LivePanel(controls, _patch_view, title="How long does a fleet stay exposed?")


# ------------------------------------------------------------------ self-checks (expected values from the models)
# Each check answers any input with one sentence and a hint; the expected value comes from the model.

def _safe(check, answer, *, hint: str, expect: str, **kwargs) -> CheckResult:
    """Run ``check`` on a student's answer; an answer of the wrong kind gets a sentence and the hint, no traceback.

    ``expect`` says what kind of answer is wanted ("a number of minutes", "one of ...").
    """
    try:
        return check(answer, hint=hint, **kwargs)
    except (ValueError, TypeError):
        shown = repr(answer) if len(repr(answer)) <= 40 else repr(answer)[:37] + "..."
        return CheckResult(False, f"✗ Not yet: {shown} is not {expect}. Hint: {hint}")


def _as_identifier(answer):
    """Lower-case a text answer and join its words with underscores ("Pilot light" -> "pilot_light")."""
    if isinstance(answer, str):
        return "_".join(answer.strip().lower().replace("-", " ").replace("&", " ").split())
    return answer


def _one_of(options) -> str:
    return "one of " + ", ".join(f'"{option}"' for option in options)


#: Defaults of the two container stacks in exercise 1: Docker applies its seccomp profile and AppArmor
#: profile; Kubernetes ran pods without seccomp (Unconfined) unless told otherwise.
DOCKER_DEFAULTS = ("seccomp", "apparmor")
KUBERNETES_DEFAULTS = ("apparmor",)


def check_kubernetes_default_gap(answer) -> CheckResult:
    """Exercise 1: the CVE stopped on a Docker host with its defaults but crossing on a shared Kubernetes node."""
    docker = security.escape_outcomes("containers_on_host", DOCKER_DEFAULTS).set_index("escape_id")
    kubernetes = security.escape_outcomes("containers_on_host", KUBERNETES_DEFAULTS).set_index("escape_id")
    gap = docker.index[(docker["outcome"] == security.STOPPED) & (kubernetes["outcome"] == security.CROSSES)]
    expected = str(docker.loc[gap[0], "cve_id"])
    options = tuple(str(c) for c in security.escapes()["cve_id"].dropna() if str(c))
    if isinstance(answer, str):
        answer = answer.strip().upper().replace("\u2011", "-").replace(" ", "-")
    return _safe(check_choice, answer, expected=expected,
                 options=options, what="the escape only seccomp stops", expect="a CVE id from the escapes table",
                 hint="in the panel, compare 'Containers on a host' with seccomp + AppArmor and with AppArmor alone; "
                      "answer with the CVE id as a string, e.g. \"CVE-2016-5195\".")


#: Exercise 2: the article's hourly snapshots, ransomware noticed after 45 minutes.
RANSOMWARE_CASE = {"failure": recovery.DATA_CORRUPTION, "backup_interval_h": 1.0, "detection_min": 45.0}


def check_ransomware_data_loss(answer) -> CheckResult:
    """Exercise 2: worst-case data loss, in minutes, of hourly snapshots when ransomware is noticed after 45 min."""
    expected = recovery.worst_case_data_loss_s(**RANSOMWARE_CASE) / 60
    return _safe(check_number, answer, expected=expected, what="the worst-case data loss", unit="min", rel_tol=0.01,
                 expect="a number of minutes",
                 hint="the last clean snapshot can be a whole interval old when the damage starts, and every "
                      "write until someone notices is encrypted too.")


#: Exercise 3: one change at a time to the VM setup (panel defaults, site loss).
RTO_OPTIONS = {"snapshot every 15 minutes": {"snapshot_interval_h": 0.25},
               "restore at 500 MiB/s": {"restore_mib_s": 500.0},
               "detect in 5 minutes": {"detection_min": 5.0}}


def _vm_rto(**change) -> float:
    values = {**recovery.recovery_defaults(), **change}
    return float(recovery.compare_setups(failure=recovery.SITE_LOSS, **values).set_index("setup").loc[
        recovery.SETUPS[0], "rto_s"])


def check_rto_lever(answer) -> CheckResult:
    """Exercise 3: the one change that alone brings the VM setup's recovery under an hour."""
    meets = [name for name, change in RTO_OPTIONS.items() if _vm_rto(**change) < 3600]
    return _safe(check_choice, answer, expected=meets[0], options=tuple(RTO_OPTIONS),
                 what="the change that brings recovery under an hour", expect=_one_of(RTO_OPTIONS),
                 hint="look at the panel's table: which part of the recovery time is the largest, and which of the "
                      "three changes touches it?")


#: Exercise 4: the default fleet with monthly windows; the manual team doubles its speed.
WINDOW_CASE = {"manual_window": "monthly", "slow": 10.0, "fast": 20.0}


def _after_exploit(hosts_per_day: float) -> float:
    values = {**patching.patch_defaults(), "manual_window": WINDOW_CASE["manual_window"],
              "manual_hosts_per_day": hosts_per_day}
    values["fleet_hosts"] = int(values["fleet_hosts"])
    summary = patching.compare_rollouts(**values).set_index("strategy")
    return float(summary.loc["manual", "host_days_after_exploit"])


def check_window_saving(answer) -> CheckResult:
    """Exercise 4: host-days after exploitation saved by patching 20 instead of 10 hosts a day, monthly windows."""
    expected = _after_exploit(WINDOW_CASE["slow"]) - _after_exploit(WINDOW_CASE["fast"])
    return _safe(check_number, answer, expected=expected, what="the host-days saved", unit="host-days",
                 rel_tol=0.01, expect="a number of host-days",
                 hint="with monthly windows a host is patched on day 30 or 60 (or later): count how "
                      "many hosts the faster team moves from the second window to the first.")


def check_provider_patches_kernel(answer) -> CheckResult:
    """Exercise 5: the service model where the provider patches the kernel but the customer the language runtime."""
    table = security.shared_responsibility().pivot(index="service_model", columns="layer", values="patched_by")
    fits = [m for m in security.SERVICE_MODELS
            if table.loc[m, "guest_os"] == "provider" and table.loc[m, "language_runtime"] == "customer"]
    return _safe(check_choice, _as_identifier(answer), expected=fits[0], options=security.SERVICE_MODELS,
                 what="the service model", expect=_one_of(security.SERVICE_MODELS),
                 hint="in the responsibility grid, find the column where the kernel row "
                      "is the provider's and the language-runtime row is yours.")


#: Exercise 6: objectives of 5 minutes of data and 30 minutes of downtime.
TIER_CASE = {"rpo_s": 300.0, "rto_s": 1800.0}


def check_cheapest_tier(answer) -> CheckResult:
    """Exercise 6: the cheapest AWS tier that can meet an RPO of 5 min and an RTO of 30 min."""
    expected = recovery.cheapest_tier_meeting(**TIER_CASE)
    tiers = tuple(recovery.dr_tiers()["tier"])
    return _safe(check_choice, _as_identifier(answer), expected=expected, options=tiers,
                 what="the cheapest tier", expect=_one_of(tiers),
                 hint="a tier qualifies if the best RPO and RTO it is described with are "
                      "within the objectives; start from the cheapest.")
