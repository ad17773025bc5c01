"""Chapter 4 views: charts show what the model computes, the fleet panel follows every control, checks never raise."""

from __future__ import annotations

import json
import math
import statistics

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
    assert "KVM: Linpack 97.7 %" in json.dumps(spec["title"], ensure_ascii=False)
    assert title_of(spec) == "Docker matches native; KVM loses little CPU, half its random I/O"


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
    views.check_web_multiplier: (pf.capacity_multiplier(pf.measured_overheads("kvm"), views.EXERCISE_WEB_MIX), 1.0),
    views.check_article_memory_rung: ("netperf-kvm", "dram-dean-2009"),
    views.check_sriov_hosts_saved: (float(views.sriov_hosts_saved()), views.sriov_hosts_saved() + 5.0),
    views.check_toolstack_ratio: (startup_time_s("xen-xl-unikernel-2014") / startup_time_s("lightvm-boot"), 1.0),
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
    assert pf.capacity_multiplier(pf.measured_overheads("kvm"), views.EXERCISE_WEB_MIX) == pytest.approx(
        0.6 / (284.19874 / 290.82864) + 0.4 / (14718.59 / 26608.44), rel=1e-5)
    # OLTP database on full VMs: 1,983 peak instances on 12 hosts with virtio's 45 %, 1,554 on 9 hosts at 5 %
    assert views.sriov_hosts_saved() == 3
    assert views.check_toolstack_ratio(math.sqrt(2.5) / 0.0023)
