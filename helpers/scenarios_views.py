"""Chapter 7 views: the decision matrix, rankings, weight sensitivity, scenario cards, and the two live panels.

Every chart is drawn from :mod:`helpers.scenarios` and finished with :func:`helpers.charts.finish`
(a title that states the finding, a source line naming data and model). Encodings are typed
channel objects (``alt.X(...)``); data goes in as plain records (``alt.InlineData``), so a
redraw never re-validates a DataFrame. Tables go through :func:`helpers.tables.styled_table`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import pandas as pd

from . import cost
from . import scenarios as model
from .charts import INK, MUTED, PALETTE, finish, option_colors, option_dashes
from .tables import styled_table
from .validation import require_choice, require_mapping
from .widgets import Choice, LivePanel, Slider, View

__all__ = [
    "OPTION_SHORT", "criteria_view", "inputs_table", "cells_table", "model_numbers_table", "score_matrix_chart",
    "costs_chart", "ranking_chart", "breakdown_table", "decision_panel", "sweep_chart", "sensitivity_panel",
    "cards_table", "card_html", "article_rules_table",
]

#: Option names short enough for a chart's axis.
OPTION_SHORT = {"on_prem_vms": "On-prem VMs", "cloud_vms": "Cloud VMs", "managed_containers": "Containers",
                "serverless": "Serverless", "hybrid": "Hybrid"}
SOURCE = "data/scenario_scores.csv, scenario_inputs.csv and chapters 2-6's data"
MATRIX_CELL = 72
#: The heatmaps' plot width, and the costs chart's: with their long row labels (about 180 px) each stays
#: under the 639 px a projector (1024x768 at 125 %) leaves a chart.
MATRIX_WIDTH = MATRIX_CELL * 5
COSTS_WIDTH = 380
ROW_STEP = 24
SCORE_SCALE = alt.Scale(domain=[0, model.SCORE_MAX], scheme="blues")
OPTION_ORDER = [OPTION_SHORT[o] for o in model.OPTIONS]
APP_LABELS = ("¼ vCPU", "½ vCPU", "1 vCPU", "2 vCPU")
OPTION_COLORS = option_colors(OPTION_ORDER)
OPTION_DASHES = option_dashes(OPTION_ORDER)
PRESET_LABELS = ("minimal (first model)", "open-source KVM", "enterprise VMware")


def _named(name: str) -> alt.NamedData:
    """A reference to a dataset the finished chart carries at its top level (see :func:`_with_data`)."""
    return alt.NamedData(name=name)


def _with_data(chart: alt.TopLevelMixin, **frames: pd.DataFrame) -> alt.TopLevelMixin:
    """Attach the charts' data once, as top-level named datasets: altair then never copies it while it
    composes layers and concatenations (copying inline data cost most of a redraw)."""
    chart.datasets = {name: frame.to_dict("records") for name, frame in frames.items()}
    return chart


def _check_weights(weights) -> dict[str, float]:
    """The weights as given, checked by the model's own rules (a ValueError names ``weights``)."""
    model.weight_shares(weights)
    return {c: float(v) for c, v in require_mapping("weights", weights, model.CRITERIA).items()}


# ------------------------------------------------------------------------------------------------ tables

def criteria_view():
    """The ten criteria: label, the article's word, how the scores are made, and what a high weight means."""
    table = model.criteria_table()
    shown = pd.DataFrame({
        "Id": table["criterion"], "Criterion": table["label"], "In the article": table["article_zh"].fillna("").replace("", "–"),
        "Scored by": [f"model: {m.removeprefix('helpers.scenarios.')}" if s == "model" else "judgement"
                      for s, m in zip(table["scored_by"], table["model"].fillna(""))],
        "A high weight means": table["weight_means"],
    })
    return styled_table(shown, caption="data/scenario_criteria.csv", wrap_columns=("A high weight means",),
                        max_rows_visible=len(shown) + 1)


def inputs_table():
    """The model criteria's own inputs (``data/scenario_inputs.csv``): value, range, unit, kind and source."""
    table = model.model_inputs()
    shown = pd.DataFrame({
        "Input": table["name"], "Value": table["value"].map("{:g}".format),
        "Range": [f"{low:g} to {high:g}" if low != high else "fixed" for low, high in zip(table["low"], table["high"])],
        "Unit": table["unit"], "Kind": table["kind"], "Source": table["source"],
    })
    return styled_table(shown, caption="data/scenario_inputs.csv", wrap_columns=("Source",),
                        max_rows_visible=len(shown) + 1)


def cells_table(criterion: str | None = None, *, demand: str = model.DEFAULT_DEMAND,
                app_vcpu: float = model.DEFAULT_APP_VCPU, preset: str = model.DEFAULT_PRESET):
    """Every cell's score and written reason (or one ``criterion``'s five), for a workload's facts."""
    cells = model.cell_scores(demand, app_vcpu=app_vcpu, preset=preset)
    if criterion is not None:
        cells = cells[cells["criterion"] == require_choice("criterion", criterion, model.CRITERIA)]
    labels = model.criterion_labels()
    shown = pd.DataFrame({
        "Criterion": cells["criterion"].map(labels), "Option": cells["option"].map(model.OPTION_LABELS),
        "Score (0-5)": cells["score"].map("{:.1f}".format), "Why": cells["reason"],
        "Scored by": cells["scored_by"],
    })
    demand_label = model.demand_labels()[demand]
    return styled_table(shown, caption=f"helpers.scenarios.cell_scores: demand '{demand_label}', {app_vcpu:g} vCPU "
                                       f"per application, owning costs '{preset}'",
                        wrap_columns=("Why",), max_rows_visible=10)


_duration = model._duration  # one formatter for the model's reasons and this table


def model_numbers_table(demand: str = model.DEFAULT_DEMAND, *, app_vcpu: float = model.DEFAULT_APP_VCPU,
                        preset: str = model.DEFAULT_PRESET):
    """The four numbers behind the model criteria, per option, each with the score it gives."""
    costs = model.annual_costs(demand, app_vcpu=app_vcpu, preset=preset).set_index("option")
    capacity = model.capacity_times().set_index("option")
    rto = model.recovery_times().set_index("option")
    layers = model.patched_layers().set_index("option")
    scores = model.model_scores(demand, app_vcpu=app_vcpu, preset=preset).pivot(
        index="option", columns="criterion", values="score")
    options = list(model.OPTIONS)
    shown = pd.DataFrame({
        "Option": [model.OPTION_LABELS[o] for o in options],
        "Cost per year (USD)": [f"{costs.loc[o, 'cost_usd_per_year']:,.0f} → {scores.loc[o, 'budget']:.1f}"
                                for o in options],
        "New capacity in": [f"{_duration(capacity.loc[o, 'time_s'])} → {scores.loc[o, 'elasticity']:.1f}"
                            for o in options],
        "Back after a site loss": [f"{_duration(rto.loc[o, 'rto_s'])} → {scores.loc[o, 'continuity']:.1f}"
                                   for o in options],
        "Layers you patch": [f"{layers.loc[o, 'layers']} of {layers.loc[o, 'of_layers']} → "
                             f"{scores.loc[o, 'team_skills']:.1f}" for o in options],
    })
    return styled_table(shown, caption=f"Number → score (0-5). Budget: demand '{model.demand_labels()[demand]}', "
                                       f"owning costs '{preset}' (helpers.scenarios.model_scores)",
                        max_rows_visible=len(shown) + 1)


# ------------------------------------------------------------------------------------------------ charts

def _ink(scores: pd.Series) -> list[str]:
    """Text colour for a heatmap cell: white on the darker blues (a score of 3 or more), ink on the light ones."""
    return ["white" if score >= 3.0 else INK for score in scores]


def _matrix_frame(demand: str, app_vcpu: float, preset: str) -> pd.DataFrame:
    cells = model.cell_scores(demand, app_vcpu=app_vcpu, preset=preset)
    labels = model.criterion_labels()
    starred = {c: labels[c] + (" *" if c in model.MODEL_CRITERIA else "") for c in model.CRITERIA}
    return pd.DataFrame({"criterion": cells["criterion"].map(starred), "option": cells["option"].map(OPTION_SHORT),
                         "score": cells["score"].round(2), "shown": cells["score"].map("{:.1f}".format),
                         "ink": _ink(cells["score"]),
                         "why": [f"{OPTION_SHORT[o]}, {labels[c]}: {r}" for o, c, r in
                                 zip(cells["option"], cells["criterion"], cells["reason"])]})


def _matrix_layers(rows: list[str], text_field: str, columns: list[str] | None = None) -> alt.LayerChart:
    """A heatmap (rows x option columns) with numbers in the cells, drawn from the dataset named "cells".

    Only the rectangles carry axes, legend and tooltip; the numbers' layer has bare channels (every
    axis or legend object is copied each time altair composes the layers, which is most of a redraw).
    """
    order = columns or OPTION_ORDER
    rect = alt.Chart().mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X("option:N", sort=order, title=None, axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=11)),
        y=alt.Y("criterion:N", sort=rows, title=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("score:Q", scale=SCORE_SCALE, title="Score (0-5)",
                        legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=180)),
        tooltip=alt.Tooltip("why:N"))
    text = alt.Chart().mark_text(fontSize=12).encode(
        x=alt.X("option:N", sort=order), y=alt.Y("criterion:N", sort=rows), text=alt.Text(f"{text_field}:N"),
        color=alt.Color("ink:N", scale=None, legend=None))
    return alt.layer(rect, text, data=_named("cells")).resolve_scale(color="independent").properties(
        width=MATRIX_WIDTH, height=alt.Step(ROW_STEP))


def score_matrix_chart(demand: str = model.DEFAULT_DEMAND, *, app_vcpu: float = model.DEFAULT_APP_VCPU,
                       preset: str = model.DEFAULT_PRESET) -> alt.VConcatChart:
    """The decision matrix: every option's score (0-5) on every criterion; hover a cell for its reason."""
    frame = _matrix_frame(demand, app_vcpu, preset)
    cells = model.cell_scores(demand, app_vcpu=app_vcpu, preset=preset)
    best = cells.pivot(index="criterion", columns="option", values="score")
    wins = {o: int((best[o] >= best.max(axis=1) - 1e-9).sum()) for o in model.OPTIONS}
    rows = list(dict.fromkeys(frame["criterion"]))
    low, high = min(wins.values()), max(wins.values())
    title = f"No option is best on everything: each is best (or tied) on {low} to {high} of 10 criteria"
    chart = finish(_matrix_layers(rows, "shown"), title=title, source=SOURCE, model="helpers.scenarios.cell_scores",
                   source_width=MATRIX_WIDTH, subtitle=[f"* scored by another chapter's model; demand '{model.demand_labels()[demand]}'. "
                             "Hover a cell for its reason."])
    return _with_data(chart, cells=frame)


def costs_chart(preset: str = model.DEFAULT_PRESET, *, app_vcpu: float = model.DEFAULT_APP_VCPU) -> alt.VConcatChart:
    """Each option's yearly bill for every demand shape (log scale), the cheapest marked."""
    rows = []
    for demand_id, label in model.demand_labels().items():
        costs = model.annual_costs(demand_id, app_vcpu=app_vcpu, preset=preset)
        cheapest = costs["cost_usd_per_year"].min()
        for row in costs.itertuples():
            rows.append({"demand": label, "option": OPTION_SHORT[row.option], "usd": row.cost_usd_per_year,
                         "times": f"{row.cost_usd_per_year / cheapest:.1f}x the cheapest"})
    frame = pd.DataFrame(rows)
    ratio = frame.assign(r=frame["usd"] / frame.groupby("demand")["usd"].transform("min"))
    rent = ratio[ratio["option"] == "Cloud VMs"]["r"]
    points = alt.Chart(_named("costs")).mark_point(filled=True, size=90, opacity=0.9).encode(
        x=alt.X("usd:Q", scale=alt.Scale(type="log"), title="Cost per year (USD, log scale)",
                axis=alt.Axis(format="~s")),
        y=alt.Y("demand:N", sort=list(model.demand_labels().values()), title=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("option:N", scale=OPTION_COLORS, title=None),
        shape=alt.Shape("option:N", scale=alt.Scale(domain=OPTION_ORDER,
                                                    range=["circle", "square", "triangle-up", "diamond", "cross"]),
                        title=None),
        tooltip=[alt.Tooltip("demand:N"), alt.Tooltip("option:N"), alt.Tooltip("usd:Q", format=",.0f", title="USD"),
                 alt.Tooltip("times:N")])
    cheapest_option = frame.loc[frame.groupby("demand")["usd"].idxmin(), "option"].unique()
    who = " and ".join(cheapest_option)
    title = (f"{who} is cheapest for every shape; renting everything on demand costs "
             f"{rent.min():.1f}-{rent.max():.1f}x as much" if len(cheapest_option) == 1 else
             f"The cheapest option depends on the shape ({who}); on demand costs {rent.min():.1f}-{rent.max():.1f}x")
    chart = finish(points.properties(height=alt.Step(34), width=COSTS_WIDTH), title=title, source_width=COSTS_WIDTH,
                   source=f"chapter 3's year, chapter 5's costs ('{preset}'), Lambda and EKS prices",
                   model="helpers.scenarios.annual_costs",
                   subtitle=f"Average demand {model.BASE_INSTANCES:,} m5.large-sized instances; {app_vcpu:g} vCPU "
                            "per application")
    return _with_data(chart, costs=frame)


def ranking_chart(weights: Mapping[str, float], *, demand: str = model.DEFAULT_DEMAND, app_vcpu: float = model.DEFAULT_APP_VCPU,
                  preset: str = model.DEFAULT_PRESET) -> alt.VConcatChart:
    """The ranking for ``weights`` (criterion -> 0-5): every cell's part of the total, and the totals.

    One column per option, best first; one row per criterion (its weight in brackets) and a
    total row. A cell's colour is its score (0-5), its number its part of the total
    (score x the criterion's share of all weight); the total row's colour is the total.
    """
    weights = _check_weights(weights)
    ranking = model.rank_options(weights, demand=demand, app_vcpu=app_vcpu, preset=preset)
    parts = model.contributions(weights, demand=demand, app_vcpu=app_vcpu, preset=preset)
    labels = model.criterion_labels()
    order = [OPTION_SHORT[o] for o in ranking["option"]]
    weight = {c: weights.get(c, 0.0) for c in model.CRITERIA}
    row_label = {c: f"{labels[c]} (w {weight[c]:g})" for c in model.CRITERIA}
    total_row = "TOTAL (0-5)"
    rows = [row_label[c] for c in model.CRITERIA] + [total_row]
    cells = pd.DataFrame({
        "criterion": parts["criterion"].map(row_label), "option": parts["option"].map(OPTION_SHORT),
        "score": parts["score"].round(2), "shown": parts["contribution"].map(lambda v: f"{v:.2f}" if v else "·"),
        "ink": _ink(parts["score"]),
        "why": [f"{OPTION_SHORT[o]}, {labels[k]}: score {s:.1f} x share {h:.0%} = {c:.2f}" for o, k, s, h, c in
                zip(parts["option"], parts["criterion"], parts["score"], parts["share"], parts["contribution"])]})
    totals = pd.DataFrame({
        "criterion": total_row, "option": order, "score": ranking["total"].round(2),
        "shown": [f"{t:.2f}" + (" ✗" if r else "") for t, r in zip(ranking["total"], ranking["ruled_out"])],
        "ink": _ink(ranking["total"]),
        "why": [("ruled out: 0 on " + " and ".join(labels[c] for c in b.split(", "))) if r else (f"rank {k}" + (", tied with the leader" if t and k > 1 else ""))
                for r, b, k, t in zip(ranking["ruled_out"], ranking["ruled_out_by"], ranking["rank"],
                                      ranking["tied_with_leader"])]})
    frame = pd.concat([cells, totals], ignore_index=True)
    chart = _matrix_layers(rows, "shown", order)
    leader = ranking.iloc[0]
    tied = ranking[ranking["tied_with_leader"]].iloc[1:]
    title = (f"{model.OPTION_LABELS[leader['option']]} leads with {leader['total']:.2f} of 5"
             + (f", tied with {', '.join(tied['label'])}" if len(tied) else
                f", {ranking['total'].iloc[0] - ranking['total'].iloc[1]:.2f} ahead of {ranking['label'].iloc[1]}"))
    chart = finish(chart, title=title, source=SOURCE, model="helpers.scenarios.rank_options, contributions",
                   source_width=MATRIX_WIDTH, subtitle="Columns best first. Each number is a criterion's part of the total (score x weight "
                            "share); colour = the score; ✗ = ruled out.")
    return _with_data(chart, cells=frame)


def breakdown_table(weights: Mapping[str, float], option: str, *, demand: str = model.DEFAULT_DEMAND,
                    app_vcpu: float = model.DEFAULT_APP_VCPU, preset: str = model.DEFAULT_PRESET):
    """One option's breakdown: each criterion's weight, score, part of the total, and the written reason."""
    weights = _check_weights(weights)
    option = require_choice("option", option, model.OPTIONS)
    parts = model.contributions(weights, demand=demand, app_vcpu=app_vcpu, preset=preset)
    parts = parts[parts["option"] == option].sort_values("contribution", ascending=False)
    labels = model.criterion_labels()
    shown = pd.DataFrame({
        "Criterion": parts["criterion"].map(labels), "Weight (0-5)": parts["weight"].map("{:g}".format),
        "Score (0-5)": parts["score"].map("{:.1f}".format), "Part of total": parts["contribution"].map("{:.2f}".format),
        "Why this score": parts["reason"],
    })
    return styled_table(shown, caption=f"{model.OPTION_LABELS[option]}: the total is the sum of the parts "
                                       f"(helpers.scenarios.contributions)", wrap_columns=("Why this score",),
                        max_rows_visible=6)


def _ranking_text(ranking: pd.DataFrame) -> str:
    leader = ranking.iloc[0]
    parts = [f"<b>{html.escape(leader['label'])}</b> leads with <b>{leader['total']:.2f}</b> of 5"]
    tied = ranking[ranking["tied_with_leader"]].iloc[1:]
    if len(tied):
        names = ", ".join(f"{html.escape(r.label)} ({r.total:.2f})" for r in tied.itertuples())
        parts.append(f"; <b>tied</b> with {names}: the gap is below the model's precision of "
                     f"{model.TIE_MARGIN:.1f} point")
    else:
        second = ranking.iloc[1]
        parts.append(f", {leader['total'] - second['total']:.2f} ahead of {html.escape(second['label'])}")
    ruled = ranking[ranking["ruled_out"]]
    if len(ruled):
        labels = model.criterion_labels()
        parts.append(". Ruled out (0 on a criterion weighted 5): "
                     + ", ".join(f"{html.escape(r.label)} ({html.escape(' and '.join(labels[c] for c in r.ruled_out_by.split(', ')))})"
                                 for r in ruled.itertuples()))
    if leader["ruled_out"]:
        parts.append(". Every option fails a must here: lower a weight of 5")
    return "".join(parts) + "."


def _decision_view(**values) -> View:
    weights = {c: values[c] for c in model.CRITERIA}
    facts = {"demand": values["demand"], "app_vcpu": values["app_vcpu"]}
    if sum(weights.values()) <= 0:
        return View(text="Every weight is 0: give at least one criterion a weight to rank the options.")
    ranking = model.rank_options(weights, **facts)
    chart = ranking_chart(weights, **facts)
    table = breakdown_table(weights, ranking["option"].iloc[0], **facts)
    return View(chart=chart, table=table, text=_ranking_text(ranking))


def decision_panel() -> LivePanel:
    """Weigh the ten criteria yourself; the ranking, the breakdown and the leader's reasons redraw.

    Controls: a weight (0-5) per criterion, the workload's demand shape and application size.
    """
    table = model.criteria_table()
    sliders = [Slider(row.criterion, row.label, 0, model.WEIGHT_MAX, 1, 3, "0-5", row.weight_means)
               for row in table.itertuples()]
    demands = model.demand_labels()
    for demand_id in demands:  # the costs of every shape, once, so that a redraw only re-weights
        model.annual_costs(demand_id)
    controls = sliders + [
        Choice("demand", "Demand shape", tuple(demands), model.DEFAULT_DEMAND, labels=tuple(demands.values()),
               description="The workload's year of demand (chapter 3's generator): it sets the Budget scores."),
        Choice("app_vcpu", "App size", model.APP_VCPUS, model.DEFAULT_APP_VCPU, labels=APP_LABELS, buttons=True,
               unit="vCPU", description="vCPUs one application instance needs: below 1, containers and functions "
                                        "pack tighter than whole-vCPU VMs (chapter 2's density)."),
    ]
    return LivePanel(controls, _decision_view, title="Weigh it yourself: ten criteria, five options")


def sweep_chart(scenario_id: str, criterion: str, *, preset: str = model.DEFAULT_PRESET) -> alt.VConcatChart:
    """Each option's total for one scenario as one criterion's weight goes from 0 to 5, the others fixed."""
    weights = model.scenario_weights(scenario_id)
    facts = {**model.scenario_facts(scenario_id), "preset": preset}
    criterion = require_choice("criterion", criterion, model.CRITERIA)
    sweep = model.weight_sweep(weights, criterion, points=21, **facts)
    flips = model.flip_points(weights, criterion, **facts)
    frame = pd.DataFrame({"weight": sweep["weight"], "option": sweep["option"].map(OPTION_SHORT),
                          "total": sweep["total"].round(3), "ruled_out": sweep["ruled_out"]})
    lines = alt.Chart(_named("sweep")).mark_line().encode(
        x=alt.X("weight:Q", scale=alt.Scale(domain=[0, model.WEIGHT_MAX]),
                title=f"Weight of {model.criterion_labels()[criterion]} (0-5)"),
        y=alt.Y("total:Q", title="Weighted total (0-5)", scale=alt.Scale(zero=False)),
        color=alt.Color("option:N", scale=OPTION_COLORS, title=None),
        strokeDash=alt.StrokeDash("option:N", scale=OPTION_DASHES, title=None),
        tooltip=alt.Tooltip("option:N"))
    ruled = frame[frame["ruled_out"]].drop(columns="ruled_out")
    now = alt.Chart(_named("now")).mark_rule(color=INK, strokeDash=[4, 3]).encode(x=alt.X("weight:Q"))
    flip_frame = pd.DataFrame({"weight": flips["weight"].round(3),
                               "to": [f"from {flips['weight'].iloc[i]:.2f}: {model.OPTION_LABELS[o]} leads"
                                      for i, o in enumerate(flips["leader_above"])]})
    layers = [lines, now]
    if len(flip_frame):
        layers.append(alt.Chart(_named("flips")).mark_rule(color=PALETTE[5]).encode(
            x=alt.X("weight:Q"), tooltip=alt.Tooltip("to:N")))
    if len(ruled):
        layers.append(alt.Chart(_named("ruled")).mark_point(shape="cross", size=90, color=MUTED, filled=True).encode(
            x=alt.X("weight:Q"), y=alt.Y("total:Q"), tooltip=alt.Tooltip("option:N")))
    chart = alt.layer(*layers).properties(height=220)
    label = model.criterion_labels()[criterion]
    current = weights[criterion]
    after = [f for f in flips.itertuples()]
    if not after:
        title = f"No weight of {label} from 0 to 5 changes the leader"
    else:
        nearest = min(after, key=lambda f: abs(f.weight - current))
        title = (f"At a weight of {nearest.weight:.2f} for {label} the lead passes from "
                 f"{OPTION_SHORT[nearest.leader_below]} to {OPTION_SHORT[nearest.leader_above]}")
    chart = finish(chart, title=title, source=SOURCE, model="helpers.scenarios.weight_sweep, flip_points",
                   subtitle=f"{model.scenario_card(scenario_id, preset=preset)['label']}; dashed "
                            f"line: its weight ({current}); solid red-orange line: where the leader changes; ×: ruled out")
    return _with_data(chart, sweep=frame.drop(columns="ruled_out"), ruled=ruled, flips=flip_frame,
                      now=pd.DataFrame({"weight": [float(weights[criterion])]}))


def card_html(scenario_id: str, *, preset: str = model.DEFAULT_PRESET) -> str:
    """A scenario card as HTML: the article's words, the recommendation, the reasons, what would change it."""
    card = model.scenario_card(scenario_id, preset=preset)
    labels = model.OPTION_LABELS
    says = "its VM list" if card["article_says"] == "vm" else "its cloud-server list"
    verdict = "agrees" if card["agrees"] else "disagrees"
    tie = " (a tie: within the model's precision)" if card["tied"] else ""
    items = "".join(f"<li>{html.escape(r)}</li>" for r in card["reasons"]) or "<li>–</li>"
    changes = "".join(f"<li>{html.escape(c)}</li>" for c in card["would_change"]) or \
        "<li>No single weight from 0 to 5 changes it.</li>"
    ruled = (f"<br>Ruled out: {html.escape('; '.join(card['ruled_out']))}." if card["ruled_out"] else "")
    return (f"<div><b>{html.escape(card['label'])}</b>: <span lang='zh'>{html.escape(card['article_zh'])}</span> "
            f"(the article puts it on {says}).<br>Model: <b>{labels[card['recommendation']]}</b>, "
            f"{card['margin']:.2f} ahead of {labels[card['runner_up']]}{tie}; it {verdict} with the article."
            f"{ruled}<br><b>Why</b> (where it gains most on the runner-up):<ul style='margin:2px 0'>{items}</ul>"
            f"<b>What would change it</b>:<ul style='margin:2px 0'>{changes}</ul>"
            f"<b>Not in the model</b>: {html.escape(card['left_out'])}</div>")


def _sensitivity_view(*, scenario: str, criterion: str, preset: str) -> View:
    card = model.scenario_card(scenario, preset=preset)
    labels = model.criterion_labels()
    ranking = card["ranking"]
    table = pd.DataFrame({"Rank": ranking["rank"], "Option": ranking["label"],
                          "Total (0-5)": ranking["total"].map("{:.2f}".format),
                          "Note": ["ruled out: 0 on " + " and ".join(labels[c] for c in b.split(", ")) if r
                                   else ("tie" if t and i else "")
                                   for i, (r, b, t) in enumerate(zip(ranking["ruled_out"], ranking["ruled_out_by"],
                                                                     ranking["tied_with_leader"]))]})
    return View(chart=sweep_chart(scenario, criterion, preset=preset), text=card_html(scenario, preset=preset),
                table=styled_table(table, caption="The card's ranking at its own weights", max_rows_visible=6))


def sensitivity_panel() -> LivePanel:
    """One scenario card and how its ranking moves as one criterion's weight moves (the others fixed)."""
    scenarios = model.scenario_table()
    labels = model.criterion_labels()
    controls = [
        Choice("scenario", "Scenario", tuple(scenarios["scenario_id"]), scenarios["scenario_id"].iloc[0],
               labels=tuple(scenarios["label"]), description="One of the article's scenarios, with this course's "
                                                            "weights (data/scenarios.csv)."),
        Choice("criterion", "Criterion to move", model.CRITERIA, "budget", labels=tuple(labels.values()),
               description="The weight the chart moves from 0 to 5; the other weights stay at the card's."),
        Choice("preset", "Owning costs", cost.PRESETS, model.DEFAULT_PRESET, labels=PRESET_LABELS,
               description="Chapter 5's presets: which owning costs the Budget scores count (VMware adds a "
                           "licence per core)."),
    ]
    return LivePanel(controls, _sensitivity_view, title="What would change the answer?")


def cards_table(*, preset: str = model.DEFAULT_PRESET):
    """All scenario cards in one table: what the article says, what the model recommends, and by how much."""
    cards = model.scenario_cards(preset=preset)
    shown = pd.DataFrame({
        "Scenario": cards["label"],
        "The article says": cards["article_says"].map({"vm": "VM", "cloud": "cloud server"}),
        "Model recommends": [f"{model.OPTION_LABELS[o]} ({t:.2f})" for o, t in zip(cards["recommendation"],
                                                                                     cards["total"])],
        "Runner-up (gap)": [f"{model.OPTION_LABELS[o]} ({m:.2f})" for o, m in zip(cards["runner_up"], cards["margin"])],
        "Tie?": cards["tied"].map({True: "tie", False: "–"}),
        "Agrees?": cards["agrees"].map({True: "yes", False: "no"}),
        "Single-weight changes that flip it": cards["changes"],
    })
    return styled_table(shown, caption=f"helpers.scenarios.scenario_cards (owning costs '{preset}'); the article's "
                                       "VM list counts on-premises VMs and hybrid, its cloud list the three cloud "
                                       "options", max_rows_visible=len(shown) + 1)


def article_rules_table(*, preset: str = model.DEFAULT_PRESET):
    """The article's three rows run through the model at every budget weight (the column the article left empty)."""
    results = model.article_rules_vs_model(preset=preset)
    rows = []
    for row_id, group in results.groupby("row_id", sort=True):
        entry = {"Row": row_id, "The article's row": group["article_row_zh"].iloc[0]}
        for item in group.itertuples():
            mark = "✓" if item.agrees else "✗"
            entry[f"budget {item.budget_weight:g}"] = f"{mark} {OPTION_SHORT[item.model_choice]}"
        rows.append(entry)
    shown = pd.DataFrame(rows)
    return styled_table(shown, caption="The model's choice for each budget weight (✓ agrees with the article's "
                                       "answer); helpers.scenarios.article_rules_vs_model",
                        max_rows_visible=len(shown) + 1)
