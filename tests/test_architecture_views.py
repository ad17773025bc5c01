"""Chapter 2 views: stack and density charts, the two live panels, the exercise checks."""

from __future__ import annotations

import json

import pytest

from helpers import architecture as arch
from helpers import architecture_views as views
from helpers.charts import chart_row_counts

DEFAULTS = arch.density_defaults()


def datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


def rows_with(chart, key) -> list[dict]:
    return [row for values in datasets(chart) for row in values if key in row]


def assert_finished(chart):
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert all(count < 5000 for count in chart_row_counts(chart))
    source_line = " ".join(row["line"].replace("\n", " ") for row in rows_with(chart, "line"))
    assert source_line.startswith("Source: ") and "Model: helpers.architecture" in source_line
    assert spec["title"]["text"]


# ------------------------------------------------------------------------------------------------ stack chart

def test_stack_chart_draws_every_layer_with_shared_ones_once_and_private_ones_twice():
    chart = views.stack_chart(list(arch.PLATFORMS))
    assert_finished(chart)
    rects = rows_with(chart, "tenant")
    layers = arch.platform_layers()
    shared = int(layers["shared_between_tenants"].sum())
    bare = int((layers["platform"] == "bare_metal").sum())
    private = len(layers) - shared - bare
    assert len(rects) == shared + bare + 2 * private
    assert {r["sharing"] for r in rects} == set(views.SHARING)


def test_stack_chart_boundary_sits_on_top_of_the_highest_shared_layer():
    chart = views.stack_chart(["type2_hypervisor", "bare_metal"])
    boundaries = {row["platform"]: row["shared_top"] for row in rows_with(chart, "boundary")}
    # Type-2: hardware, host kernel, hosted hypervisor are shared -> boundary at the top of layer 3
    assert boundaries == {"Type-2 hypervisor VM": 3.0, "Bare metal": 0.0}
    assert chart.to_dict()["title"]["text"].startswith("Type-2 hypervisor VM shares the most")


def test_stack_chart_title_names_every_platform_tied_for_most_shared_layers():
    # Type-2 and containers on a host both share 3 layers: the title must not crown one of them
    title = views.stack_chart(list(arch.PLATFORMS)).to_dict()["title"]["text"]
    assert title == "Type-2 hypervisor VM and Containers on a host share the most with other tenants: 3 layers each"


@pytest.mark.parametrize("platforms", [list(arch.PLATFORMS), ["bare_metal"], ["microvm", "gvisor_sandbox"]])
def test_stack_chart_boundary_rule_and_label_clear_every_layer_and_its_text(platforms):
    """The red rule and the "isolation boundary" label sit in their own band: no box or layer name overlaps them."""
    chart = views.stack_chart(platforms)
    px = 1 / views.LAYER_PX  # one pixel in layer units
    rects, names = rows_with(chart, "tenant"), rows_with(chart, "lines")
    for boundary in rows_with(chart, "boundary"):
        platform = boundary["platform"]
        rule = (boundary["y"] - views.RULE_WIDTH_PX / 2 * px, boundary["y"] + views.RULE_WIDTH_PX / 2 * px)
        label = (boundary["label_y"] - (views.LABEL_FONT_PX / 2 + 1) * px,
                 boundary["label_y"] + (views.LABEL_FONT_PX / 2 + 1) * px)
        assert rule[1] < label[0], platform
        boxes = [(r["y"], r["y2"]) for r in rects if r["platform"] == platform]
        # Vega draws a multi-line name's first line at y and the rest below it
        texts = [(n["y"] - (n["lines"] - 0.5) * views.LAYER_LINE_PX * px, n["y"] + views.LAYER_LINE_PX / 2 * px)
                 for n in names if n["platform"] == platform]
        for low, high in boxes + texts:
            for band in (rule, label):
                assert high < band[0] or low > band[1], (platform, (low, high), band)


def test_stack_chart_layer_names_fit_inside_their_boxes():
    chart = views.stack_chart(list(arch.PLATFORMS))
    px = 1 / views.LAYER_PX
    rects = rows_with(chart, "tenant")
    for name in rows_with(chart, "lines"):
        top = name["y"] + views.LAYER_LINE_PX / 2 * px
        bottom = name["y"] - (name["lines"] - 0.5) * views.LAYER_LINE_PX * px
        box = next(r for r in rects if r["platform"] == name["platform"] and r["y"] <= name["y"] <= r["y2"])
        assert box["y"] <= bottom and top <= box["y2"], name["text"]


def test_stack_chart_marks_the_enforcing_layers():
    chart = views.stack_chart(["microvm"])
    enforcing = {r["layer"] for r in rows_with(chart, "tenant") if r["enforces_isolation"]}
    assert enforcing == {"Host Linux kernel + KVM", "Firecracker VMM process, jailed (one per microVM)"}


@pytest.mark.parametrize("bad", [[], "microvm", ["nope"], ["microvm", "microvm"]])
def test_stack_chart_rejects_bad_platforms(bad):
    with pytest.raises(ValueError, match="platforms"):
        views.stack_chart(bad)


# ------------------------------------------------------------------------------------------------ density chart

def test_density_chart_bars_and_article_band():
    table = arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "app_memory_gib": 0.5, "cpu_overcommit": 4})
    chart = views.density_chart(table)
    assert_finished(chart)
    bars = {r["platform"]: r["instances_per_host"] for r in rows_with(chart, "instances_per_host")}
    assert bars == dict(zip(table["platform"], table["instances_per_host"]))
    band = rows_with(chart, "low")[0]
    assert (band["low"], band["high"]) == arch.ARTICLE_VMS_PER_HOST
    assert "Containers on a host: 1,016 per host" in chart.to_dict()["title"]["text"]


def test_density_chart_uses_typed_channels_only(schema_lookups):
    """A bare string or dict channel makes altair hash the Vega-Lite schema (~15 ms each); none may be left."""
    table = arch.density_table(**DEFAULTS)
    views.density_chart(table).to_dict()
    views.stack_chart(list(arch.PLATFORMS)).to_dict()
    assert not schema_lookups


def test_density_chart_title_when_all_equal():
    chart = views.density_chart(arch.density_table(**DEFAULTS))
    assert chart.to_dict()["title"]["text"] == "Every platform fits 72 instances: the cpu decides"


@pytest.mark.parametrize("bad", [None, "table", arch.density_table(**DEFAULTS).drop(columns="limiting_resource"),
                                 arch.density_table(**DEFAULTS).iloc[0:0]])
def test_density_chart_rejects_bad_tables(bad):
    with pytest.raises(ValueError, match="table"):
        views.density_chart(bad)


# ------------------------------------------------------------------------------------------------ panels

def test_platform_explorer_panel_redraws_the_chosen_stacks():
    panel = views.platform_explorer_panel()
    assert panel.check_bounds() == 2  # the first platform alone, then all of them
    shown = {r["platform"] for r in panel.chart_widget.spec["datasets"][next(iter(panel.chart_widget.spec[
        "datasets"]))] if "platform" in r}
    assert shown  # something is drawn at the defaults
    panel.controls["platforms"].value = ("bare_metal", "containers_in_vms")
    boundaries = {r["platform"]: r["shared_top"] for values in panel.chart_widget.spec["datasets"].values()
                  for r in values if "boundary" in r}
    assert boundaries == {"Bare metal": 0.0, "Containers inside VMs": float(
        arch.shared_layer_count("containers_in_vms"))}
    assert "Containers inside VMs" in panel.table_widget.value and "Type-1" not in panel.table_widget.value
    assert panel.chart_widget.layout.display is None
    panel.controls["platforms"].value = ()  # nothing picked: a clear text, no chart, no error
    assert "pick at least one platform" in panel.text_widget.value.lower() and panel.table_widget.value == ""
    assert panel.view.chart is None and panel.chart_widget.layout.display == "none"
    panel.controls["platforms"].value = ("microvm",)
    assert panel.chart_widget.layout.display is None and "MicroVM" in panel.table_widget.value


def test_platform_explorer_uses_the_generic_multichoice():
    from helpers.widgets import MultiChoice
    panel = views.platform_explorer_panel()
    picker = panel.parameters["platforms"]
    assert isinstance(picker, MultiChoice) and picker.options == arch.PLATFORMS
    assert picker.corner_values() == ((arch.PLATFORMS[0],), arch.PLATFORMS)
    assert not hasattr(views, "PlatformPicker")
    assert views._explorer_view(()).chart is None and views._explorer_view(()).text == views.NO_PLATFORM_TEXT


@pytest.mark.parametrize("bad", ["microvm", ("nope",), None, ("microvm", "microvm")])
def test_platform_explorer_panel_rejects_bad_default(bad):
    with pytest.raises(ValueError, match="default"):
        views.platform_explorer_panel(bad)


def panel_counts(panel) -> dict[str, int]:
    return {r["platform"]: r["instances_per_host"] for values in panel.chart_widget.spec["datasets"].values()
            for r in values if "instances_per_host" in r and "platform" in r}


def test_density_panel_defaults_and_bounds():
    panel = views.density_panel()
    assert panel.check_bounds() == 2 * len(DEFAULTS)
    table = arch.density_table(**DEFAULTS)
    assert panel_counts(panel) == dict(zip(table["platform"], table["instances_per_host"]))
    assert "Full VMs: <b>72</b> per host, limited by <b>cpu</b>" in panel.text_widget.value
    sliders = arch.density_parameters().set_index("name")
    for name, control in panel.controls.items():
        assert (control.min, control.max) == (sliders.loc[name, "minimum"], sliders.loc[name, "maximum"])


@pytest.mark.parametrize(("name", "value"), [
    ("app_vcpu", 0.25), ("host_memory_gib", 64), ("cpu_overcommit", 4), ("memory_overcommit", 1.5),
    ("guest_os_memory_mib", 2048), ("host_cores", 8), ("threads_per_core", 1), ("app_memory_gib", 16),
])
def test_density_panel_moves_as_the_model_says(name, value):
    panel = views.density_panel()
    if name in ("memory_overcommit", "guest_os_memory_mib"):
        panel.controls["app_vcpu"].value = 0.25  # make memory the limit so memory controls matter
    before = panel_counts(panel)
    panel.controls[name].value = value
    expected = arch.density_table(**panel.values())
    assert panel_counts(panel) == dict(zip(expected["platform"], expected["instances_per_host"]))
    assert panel_counts(panel) != before, f"moving {name} should change the chart"
    limit = expected.set_index("platform").loc["type1_hypervisor", "limiting_resource"]
    assert f"limited by <b>{limit}</b>" in panel.text_widget.value
    assert f"<td>{expected['instances_per_host'].iloc[0]}</td>" in panel.table_widget.value.replace(",", "")


def test_limiting_resource_switches_from_cpu_to_memory():
    panel = views.density_panel()
    assert "limited by <b>cpu</b>" in panel.text_widget.value
    panel.controls["app_vcpu"].value = 0.25
    # 72 / 0.25 = 288 by CPU; 524,288 / 4,836 = 108 by memory
    assert "limited by <b>memory</b>" in panel.text_widget.value
    colours = {r["limiting_resource"] for values in panel.chart_widget.spec["datasets"].values() for r in values
               if "limiting_resource" in r}
    assert colours == {"memory"}


# ------------------------------------------------------------------------------------------------ checks

def test_checks_accept_the_model_answer_and_reject_others():
    # 1: 2 vCPU / 16 GiB on i3.metal. CPU 72 / 2 = 36; VM overhead 512 + 218 + 8 x 2 + 0.002 x 16,384 = 778.768 MiB,
    #    memory 524,288 / (16,384 + 778.768) = 30.5 -> 30, so memory limits at 30
    assert views.check_vm_density_for_app(30) and not views.check_vm_density_for_app(36)
    # 2: 0.5 vCPU / 1 GiB, 3:1 CPU overcommit. CPU 72 x 3 / 0.5 = 432; containers 524,288 / (1,024 + 3.9) = 510,
    #    so the CPU limits containers, while full VMs (524,288 / 1,760.048 = 297) are memory-bound
    table = arch.density_table(**{**DEFAULTS, **views.OVERCOMMIT_CASE}).set_index("platform")
    assert table.loc["containers_on_host", ["by_cpu", "by_memory"]].tolist() == [432, 510]
    assert table.loc["type1_hypervisor", "limiting_resource"] == "memory"
    assert views.check_container_limiting_resource("cpu") and not views.check_container_limiting_resource("memory")
    # 3: 16 x 2 x 4 / 0.5 = 256 by CPU; VM 262,144 / (1,024 + 1,248) = 115; container 262,144 / 1,027.9 = 255
    table = arch.density_table(**views.OLD_SERVER).set_index("platform")["instances_per_host"]
    assert (table["type1_hypervisor"], table["containers_on_host"]) == (115, 255)
    assert views.check_container_to_vm_ratio(255 / 115) and not views.check_container_to_vm_ratio(1)
    # 4: containers on a host share 3 layers, containers in VMs 2: one more
    assert views.check_shared_layer_difference(1) and not views.check_shared_layer_difference(2)


def test_exercise_answers_differ_from_the_numbers_printed_before_them():
    """The notebook prints the defaults (72 per platform, CPU-bound) and the small-app case (memory-bound)."""
    defaults = arch.density_table(**DEFAULTS).set_index("platform")
    small = arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "app_memory_gib": 0.5, "cpu_overcommit": 4})
    app = arch.density_table(**{**DEFAULTS, **views.VM_DENSITY_APP}).set_index("platform")
    assert app.loc["type1_hypervisor", "instances_per_host"] not in set(defaults["instances_per_host"]) | set(
        small["instances_per_host"])
    assert set(small["limiting_resource"]) == {"memory"}  # printed before exercise 2, whose answer is "cpu"


CHECKS = [views.check_vm_density_for_app, views.check_container_limiting_resource, views.check_container_to_vm_ratio,
          views.check_shared_layer_difference]


@pytest.mark.parametrize("check", CHECKS)
def test_checks_treat_none_as_not_answered(check):
    result = check(None)
    assert not result and "No answer yet" in result.message


@pytest.mark.parametrize(("check", "bad"), [(views.check_vm_density_for_app, "seventy"),
                                            (views.check_container_limiting_resource, "disk"),
                                            (views.check_container_to_vm_ratio, [2]),
                                            (views.check_shared_layer_difference, float("nan"))])
def test_checks_reject_malformed_answers(check, bad):
    with pytest.raises(ValueError, match="answer"):
        check(bad)
