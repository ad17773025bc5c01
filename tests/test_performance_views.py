"""Chapter 4 views: charts show what the model computes, the fleet panel follows every control, checks never raise."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from helpers import architecture as arch
from helpers import performance as pf
from helpers import performance_views as views
from helpers.charts import chart_row_counts, title_text
from helpers.startup import startup_time_s, startup_times


def spec_of(chart) -> dict:
    return chart.to_dict(validate=True)


def rows_of(spec: dict) -> list[dict]:
    """Every inline data row of a spec (top-level datasets and inline values)."""
    found = [row for values in spec.get("datasets", {}).values() for row in values]

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                found.extend(data["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def title_of(spec: dict) -> str:
    return title_text(spec)


CHARTS = {
    "relative": lambda: views.relative_performance_chart(),
    "relative_kvm_only": lambda: views.relative_performance_chart(("kvm",)),
    "startup": lambda: views.startup_chart(),
    "ladder": lambda: views.latency_ladder_chart(),
    "fleet": lambda: views.fleet_chart(pf.fleet_comparison(overheads=pf.measured_overheads("kvm"),
                                                           mix=pf.WORKLOAD_MIXES["Web / API service"],
                                                           platform="type1_hypervisor"), "Full VM (KVM)"),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_validates_is_small_and_names_data_and_model(name):
    chart = CHARTS[name]()
    spec = spec_of(chart)
    assert all(count < 5000 for count in chart_row_counts(chart))
    text = json.dumps(spec, ensure_ascii=False).replace("\\n", " ")  # the source line wraps
    assert "Source: data/" in text and "Model: helpers." in text
    assert title_of(spec)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_use_typed_channels(name, schema_lookups):
    CHARTS[name]()
    assert not schema_lookups, "use alt.X(...) etc., never bare strings or dicts"


def test_relative_chart_plots_the_models_ratios():
    spec = spec_of(views.relative_performance_chart())
    plotted = {(row["benchmark"], row["platform_label"]): row["relative"] for row in rows_of(spec) if "platform_label" in row}
    frame = pf.relative_performance()
    frame = frame[frame["platform"] != "native"]
    assert len(plotted) == len(frame)
    for row in frame.itertuples():
        assert plotted[(row.benchmark, pf.PLATFORM_LABELS[row.platform])] == pytest.approx(row.relative)
    assert "KVM: Linpack tuned 97.7 %" in json.dumps(spec["title"], ensure_ascii=False)
    assert title_of(spec) == "Docker matches native; 2014 KVM set-ups halved small I/O"


def test_startup_chart_has_every_figure_on_a_log_scale():
    spec = spec_of(views.startup_chart())
    plotted = [row for row in rows_of(spec) if "time_s" in row]
    assert len(plotted) == len(startup_times())
    assert '"type": "log"' in json.dumps(spec)
    orders = math.log10(startup_time_s("mao2012-ec2-windows") / startup_time_s("fork-exec"))
    assert title_of(spec) == f"Start-up times span {orders:.1f} orders of magnitude"


def test_ladder_chart_places_the_articles_latencies():
    spec = spec_of(views.latency_ladder_chart())
    rows = rows_of(spec)
    bands = {(row["low"], row["high"]) for row in rows if "band" in row}
    assert (50.0, 100.0) in bands and (100_000.0, 500_000.0) in bands and (20.0, 30.0) in bands
    rungs = [row for row in rows if "label_year" in row]
    assert len(rungs) == len(pf.latency_ladder())
    assert '"type": "log"' in json.dumps(spec)


def test_tables_have_no_index_and_carry_units():
    for styler in (views.article_table(), views.benchmark_table("kvm"), views.ladder_table(), views.scale_table(),
                   views.startup_table()):
        html = styler.to_html()
        assert "<caption>" in html
        assert 'class="row_heading' not in html  # index hidden
    assert "verdict (VM)" in views.article_table().to_html()
    assert "rung_id" in views.ladder_table().to_html()


@pytest.mark.parametrize("bad", [(), "kvm", ("vmware",), ("native",), None, 3])
def test_relative_chart_refuses_bad_platforms(bad):
    with pytest.raises(ValueError, match="platforms"):
        views.relative_performance_chart(bad)


@pytest.mark.parametrize("bad", ["native", "vmware", None, 3])
def test_benchmark_table_refuses_bad_platform(bad):
    with pytest.raises(ValueError, match="platform"):
        views.benchmark_table(bad)


def test_fleet_chart_refuses_bad_tables():
    table = pf.fleet_comparison(overheads=pf.measured_overheads("kvm"), mix=pf.WORKLOAD_MIXES["OLTP database"],
                                platform="microvm")
    for bad in (None, table.iloc[:1], table.drop(columns="hosts"), "table"):
        with pytest.raises(ValueError, match="table"):
            views.fleet_chart(bad, "microVM")
    for bad in ("", None, 3):
        with pytest.raises(ValueError, match="platform_label"):
            views.fleet_chart(table, bad)


# ------------------------------------------------------------------------------------------ the fleet panel
def fleet_rows(panel) -> dict:
    """(scenario, option) -> cost in the panel's chart, plus the text and the table."""
    rows = [row for row in rows_of(panel.chart_widget.spec) if "option" in row]
    return {(row["scenario"].split(",")[0], row["option"]): row["cost_usd_per_month"] for row in rows}


def expected_from_model(values: dict):
    overheads = {r: values[f"{r}_pct"] / 100 for r in pf.RESOURCES}
    return pf.fleet_comparison(overheads=overheads, mix=pf.WORKLOAD_MIXES[values["workload"]],
                               platform=views.PANEL_PLATFORMS[values["platform"]],
                               native_instances=values["fleet"], cpu_steal=values["steal_pct"] / 100)


CONTROL_MOVES = {
    "platform": "Container (runc)",
    "workload": "OLTP database",
    "cpu_pct": 30.0,
    "memory_pct": 20.0,
    "storage_pct": 5.0,
    "network_pct": 2.5,
    "steal_pct": 20,
    "fleet": 3000,
}


@pytest.mark.parametrize("control", sorted(CONTROL_MOVES))
def test_moving_each_control_redraws_what_the_model_computes(control):
    panel = views.fleet_panel()
    before = fleet_rows(panel)
    panel.controls[control].value = CONTROL_MOVES[control]
    after = fleet_rows(panel)
    assert after != before, f"moving {control} did not change the chart"
    table = expected_from_model(panel.values())
    label = panel.values()["platform"]
    for option in ("on-premises", "on-demand", "savings plan", "spot"):
        assert after[("bare metal", option)] == pytest.approx(table.iloc[0][f"{option}_usd_per_month"], abs=0.01)
        assert after[(label, option)] == pytest.approx(table.iloc[1][f"{option}_usd_per_month"], abs=0.01)
    assert f"x{table.attrs['multiplier']:.3f}" in panel.text_widget.value
    assert f">{int(table.iloc[1]['hosts'])}</td>" in panel.table_widget.value


def test_platform_changes_density_as_the_density_model_says():
    panel = views.fleet_panel()
    per_host = {}
    for label in views.PANEL_PLATFORMS:
        panel.controls["platform"].value = label
        per_host[label] = expected_from_model(panel.values()).iloc[1]["instances_per_host"]
        assert f">{per_host[label]}</td>" in panel.table_widget.value
    density = arch.density_table(**{**arch.density_defaults(), **pf.HOST, **pf.APP}).set_index("platform")
    assert per_host == {label: density.loc[platform, "instances_per_host"]
                        for label, platform in views.PANEL_PLATFORMS.items()}
    # a container costs a few MiB; a full VM its guest OS and VMM, a microVM its guest kernel (both memory-bound)
    assert per_host["Container (runc)"] == max(per_host.values())
    assert density.loc["type1_hypervisor", "limiting_resource"] == "memory"
    assert density.loc["microvm", "limiting_resource"] == "memory"


def test_panel_defaults_are_the_measured_kvm_overheads():
    panel = views.fleet_panel()
    measured = pf.measured_overheads("kvm")
    for resource in pf.RESOURCES:
        assert panel.values()[f"{resource}_pct"] == pytest.approx(round(measured[resource] * 100, 1))
    for item in panel.parameters.values():
        assert len(item.label) <= 22 and "(" not in item.label


def _median_redraw_s(panel, moves: dict, rounds: int = 3) -> float:
    for _ in range(rounds):
        for name, value in moves.items():
            panel.controls[name].value = value
            panel.controls[name].value = panel.parameters[name].default
    return statistics.median(panel.redraw_times_s)


def test_panel_redraws_as_fast_as_a_panel_that_meets_the_50_ms_target():
    """The machine is shared, so the time is judged against chapter 5's cost panel measured in the same run
    (29 ms median in the README's benchmark); `make benchmark` reports the absolute figure."""
    from helpers.cost_views import cost_panel

    reference = cost_panel()
    reference_s = _median_redraw_s(reference, {name: item.corner_values()[-1]
                                               for name, item in reference.parameters.items()})
    fleet_s = _median_redraw_s(views.fleet_panel(), CONTROL_MOVES)
    assert fleet_s < 1.5 * reference_s, f"fleet panel {fleet_s * 1000:.0f} ms vs cost panel {reference_s * 1000:.0f} ms"
    assert fleet_s < 0.25, f"fleet panel redraw {fleet_s * 1000:.0f} ms even on a loaded machine"


# ------------------------------------------------------------------------------------------ self-checks
CHECKS = {
    views.check_io_pattern: ("fio_randread", "fio_seqread"),
    views.check_web_multiplier: (pf.capacity_multiplier(views.web_round_trip_overheads(), views.EXERCISE_WEB_MIX), 1.0),
    views.check_article_memory_rung: ("netperf-kvm", "dram-dean-2009"),
    views.check_sriov_hosts_saved: (float(views.sriov_hosts_saved()), views.sriov_hosts_saved() + 5.0),
    views.check_lightvm_process_ratio: (startup_time_s("lightvm-boot") / startup_time_s("fork-exec"), 100.0),
}
ANY_INPUT = [None, "4", "", (1, 2), [3], float("nan"), float("inf"), True, False, -1, 1e12, {"a": 1}, object(),
             np.float64(2.0), "FIO_RANDREAD"]


@pytest.mark.parametrize("check", list(CHECKS), ids=lambda f: f.__name__)
def test_check_accepts_the_right_answer_and_refuses_a_wrong_one(check):
    right, wrong = CHECKS[check]
    assert check(right) and "Right" in repr(check(right))
    result = check(wrong)
    assert not result and "Hint:" in repr(result)


@pytest.mark.parametrize("check", list(CHECKS), ids=lambda f: f.__name__)
def test_check_answers_any_input_with_a_sentence(check):
    for answer in ANY_INPUT:
        result = check(answer)
        assert isinstance(repr(result), str) and len(repr(result)) > 10
        if answer is None:
            assert "No answer yet" in repr(result)


def test_known_exercise_answers():
    assert views.check_io_pattern("fio_randread")  # 54.9 % vs 99.4 % of native
    assert pf.capacity_multiplier(views.web_round_trip_overheads(), views.EXERCISE_WEB_MIX) == pytest.approx(
        0.6 / (284.19874 / 290.82864) + 0.4 / (14718.59 / 26608.44), rel=1e-5)
    # OLTP database on full VMs: 1,888 peak instances on 11 hosts with virtio's 45 %, 1,429 on 9 hosts with no
    # hypervisor on the storage path (Docker's measured 0 on the same device: a bound, not a passthrough figure)
    assert views.passthrough_storage_overhead() == 0.0
    assert views.sriov_hosts_saved() == 2
    assert views.sriov_hosts_saved(0.05) == 2  # the old unsourced 5 % gives the same answer here
    assert views.check_lightvm_process_ratio(2.3)  # LightVM 2.3 ms / fork-exec 1 ms, the same paper and machine
    assert not views.check_lightvm_process_ratio(math.sqrt(2.5) / 0.0023)  # the old xl-2014 / LightVM ratio


def test_exercise_4_bound_refuses_bad_overheads():
    for bad in (-0.1, 0.96, float("nan"), True, "0.05"):
        with pytest.raises(ValueError, match="passthrough_storage"):
            views.sriov_hosts_saved(bad)


# ------------------------------------------------------------------------------------------ the notebook's text
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_performance.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _markdown() -> str:
    return "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")


def _section(start: str, end: str) -> str:
    text = _markdown()
    return text[text.index(start):text.index(end)]


def test_panel_answers_follow_the_questions_hidden_and_true_to_the_model():
    """Finding 11: the answers to the panel's questions are in a closed <details> right after them, and every
    number in them is what the panel's model computes now (helpers.performance_views.panel_answers)."""
    cells = _cells()
    index = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("**Questions to answer with the panel**"))
    answer_cell = cells[index + 1]
    text = "".join(answer_cell["source"])
    assert answer_cell["cell_type"] == "markdown" and answer_cell["metadata"].get("tags") == ["panel-answers"]
    assert text.startswith("<details><summary>") and text.rstrip().endswith("</details>") and "<details open" not in text
    text = " ".join(text.split())
    a = views.panel_answers()
    q1, q2, q3 = a["q1"], a["q2"], a["q3"]
    storage = q1["without"]["storage"]
    assert q1["largest"] == "storage" and "1. **Storage.**" in text
    assert f"x{q1['multiplier']:.3f} to x{storage['multiplier']:.3f}" in text  # x1.132 to x1.050
    assert f"peak {q1['peak']:,} → {storage['peak']:,} instances, {q1['hosts']} → {storage['hosts']}" in text
    runner_up = sorted((r for r in pf.RESOURCES if r != "storage"), key=lambda r: q1["without"][r]["peak"])[0]
    assert runner_up == "network" and f"network, the next, only to x{q1['without']['network']['multiplier']:.3f}" in text
    kvm_storage = pf.measured_overheads("kvm")["storage"]
    assert f"0.1 / {1 - kvm_storage:.3f} = {0.1 / (1 - kvm_storage):.3f}" in text
    assert f"adds {0.1 / (1 - kvm_storage) - 0.1:.3f} of the {q1['multiplier'] - 1:.3f}" in text
    assert q2["docker_overheads"] == {r: 0.0 for r in pf.RESOURCES}
    container, full_vm = q2["container"], q2["full_vm"]
    assert container["hosts"] == container["bare_hosts"] == full_vm["hosts"] == 8
    assert f"2. **{container['hosts']} hosts**" in text and f"({container['per_host']} instances per host instead of " \
                                                           f"{container['bare_per_host']})" in text
    assert f"holds {full_vm['per_host']}" in text
    assert f"peak of {full_vm['peak']:,} instances just fits {full_vm['hosts']} × {full_vm['per_host']} = " \
           f"{full_vm['hosts'] * full_vm['per_host']:,}" in text
    assert full_vm["peak"] <= full_vm["hosts"] * full_vm["per_host"] < full_vm["peak"] + full_vm["per_host"]
    defaults, untuned = q3["defaults"], q3["untuned"]
    assert f"3. **{defaults['hosts']} hosts** at the defaults (x{defaults['multiplier']:.3f}: {defaults['peak']:,}" in text
    assert f"**{untuned['hosts']} hosts** at {q3['untuned_cpu'] * 100:.1f} % (x{untuned['multiplier']:.3f})" in text
    assert f"lost {pf.measured_overheads('kvm')['cpu'] * 100:.1f} % when tuned" in text
    # the questions show the value the student must set
    assert f"{q3['untuned_cpu'] * 100:.1f} %" in "".join(cells[index]["source"])


def test_review_wording_fixes_stay_fixed():
    """Findings 1-3, 7-10 and 12 of the expert review, as text the notebook must (not) contain."""
    text = _markdown()
    flat = " ".join(text.split())
    # 1: tuned vs default set-ups named; 2: Linpack has few exits, not none
    assert "**tuned**" in text and "**default**" in text and "partly tuned" in text
    assert "without a single exit" not in text and "with **few** exits" in flat
    # 3: vhost-net existed in 2010
    assert "vhost-net entered Linux 2.6.33 in February 2010" in flat and "in-kernel back ends since" not in flat
    # 7: a bracket, not a floor; ceilings measured with large sequential transfers
    fleet = " ".join(_section("## What an overhead costs a fleet", "## Summary").split())
    assert "floor" not in fleet.lower() and "**bracket**" in fleet and "9 to 11 hosts" in fleet
    assert "are **ceilings** measured with large sequential transfers" in flat
    # 8: the Nitro quote, exactly as AWS writes it; steal and seccomp sourced; the 2-D walk's count
    assert ('"manages memory and CPU allocation and delivers performance that is indistinguishable from bare metal '
            'for most workloads" (Amazon EC2 User Guide, Nitro-based instances)') in flat
    assert '"the time spent in other operating systems when running in a virtualized environment" (proc(5))' in flat
    assert "Docker 1.10, February 2016" in flat and "5 × 4 + 4 = **24 page-table references**" in flat
    assert "**no neighbours**" in flat
    # 9: no unsourced 5 % passthrough figure; 10: Hao et al. cited where start-up is discussed
    assert "storage overhead to 5" not in flat and "Hao et al. (2021" in flat
    # 12: vCPUs pinned to hardware threads (SMT siblings), not to cores
    assert "pinning each vCPU to a core" not in flat and "one host **hardware thread**, guest SMT siblings" in flat
    # the module docstring agrees
    assert "Results are a floor" not in pf.__doc__ and "bracket" in pf.__doc__


def test_the_notebook_counts_the_tables_verdicts_as_the_claims_say():
    """Finding 5: performance-04 is misleading, so the table's eight cells are 2 wrong and 6 misleading."""
    table = pf.article_performance_table()
    verdicts = list(table["verdict (VM)"]) + list(table["verdict (container)"])
    counts = {v: verdicts.count(v) for v in ("wrong", "misleading")}
    assert counts == {"wrong": 2, "misleading": 6} and len(verdicts) == 8
    claims = __import__("helpers.data", fromlist=["load"]).load("claims").set_index("claim_id")
    assert claims.loc["performance-04", "verdict"] == "misleading"
    flat = " ".join(_markdown().split())
    assert "two are **wrong** and six **misleading**" in flat and "wrong (2) or misleading (6)" in flat
