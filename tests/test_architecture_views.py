"""Chapter 2 views: stack and density charts, the two live panels, the exercise checks."""

from __future__ import annotations

import math

import pytest

from helpers import architecture as arch
from helpers import architecture_views as views
from helpers.charts import PALETTE, chart_row_counts, title_text
from helpers.exercises import CheckResult

DEFAULTS = arch.density_defaults()
#: Widest chart (px) that fits a projector (1024x768 at 125 %) beside JupyterLab's side bar and prompts.
MAX_CHART_PX = 520
MIN_FONT_PX = 12


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


def test_stack_chart_labels_each_wall_with_its_enforcing_interface():
    chart = views.stack_chart(["containers_on_host", "microvm", "gvisor_sandbox", "type2_hypervisor"])
    labels = {row["platform"]: row["text"].replace("\n", " ") for row in rows_with(chart, "kind")
              if row["kind"] == "wall label"}
    assert labels["Containers on a host"] == "direct: ≥291 syscalls"
    assert labels["MicroVM (Firecracker)"] == "direct: ≥6 hypercalls + 4 devices behind: 50 syscalls"
    microvm = next(row["text"] for row in rows_with(chart, "kind") if row["kind"] == "wall label"
                   and row["platform"] == "MicroVM (Firecracker)")
    assert microvm.split("\n") == ["direct: ≥6 hypercalls", "+ 4 devices", "behind: 50 syscalls"]
    assert labels["gVisor sandbox"] == "direct: 0 behind: 96 syscalls"
    assert labels["Type-2 hypervisor VM"] == "not counted here"
    tooltips = {row["platform"]: row["direct"] for row in rows_with(chart, "boundary")}
    assert tooltips["Containers on a host"] == "at least 291 system calls"


@pytest.mark.parametrize(("platforms", "title"), [
    (["type1_hypervisor", "containers_on_host", "microvm"],
     "Containers on a host exposes the most: ≥291 syscalls of a shared layer"),
    (["microvm"], "MicroVM (Firecracker): ≥6 hypercalls + 4 devices into a shared layer"),
    (["gvisor_sandbox"], "gVisor sandbox: a tenant calls nothing shared directly"),
    (["type2_hypervisor"], "Type-2 hypervisor VM: its enforcing interface is not counted here"),
    (["type1_hypervisor", "microvm"], "Each lets a tenant call ≥6 hypercalls + 4 devices of a shared layer"),
])
def test_stack_chart_title_states_the_enforcing_interface(platforms, title):
    assert title_text(views.stack_chart(platforms)).startswith(title)


@pytest.mark.parametrize("platforms", [list(arch.PLATFORMS), ["bare_metal"], ["microvm", "gvisor_sandbox"],
                                       ["containers_in_vms", "type2_hypervisor", "type1_hypervisor", "microvm"]])
def test_stack_chart_rule_and_wall_label_clear_every_layer_and_its_text(platforms):
    """The dashed rule and its label sit in their own band: no box or layer name overlaps them."""
    chart = views.stack_chart(platforms)
    px = 1 / views.LAYER_PX  # one pixel in layer units
    rects, texts = rows_with(chart, "tenant"), rows_with(chart, "lines")
    for boundary in rows_with(chart, "boundary"):
        platform = boundary["platform"]
        rule = (boundary["y"] - views.RULE_WIDTH_PX / 2 * px, boundary["y"] + views.RULE_WIDTH_PX / 2 * px)
        label = next(t for t in texts if t["platform"] == platform and t["kind"] == "wall label")
        label_span = (label["y"] - (label["lines"] - 0.5) * views.LINE_PX * px, label["y"] + views.LINE_PX / 2 * px)
        assert rule[1] < label_span[0], platform
        boxes = [(r["y"], r["y2"]) for r in rects if r["platform"] == platform]
        names = [(n["y"] - (n["lines"] - 0.5) * views.LINE_PX * px, n["y"] + views.LINE_PX / 2 * px)
                 for n in texts if n["platform"] == platform and n["kind"] == "layer name"]
        for low, high in boxes + names:
            for band in (rule, label_span):
                assert high < band[0] or low > band[1], (platform, (low, high), band)


def test_stack_chart_layer_names_fit_inside_the_front_card():
    """Each name sits wholly on one box (tenant A's card for a per-tenant layer), in height and in width."""
    chart = views.stack_chart(list(arch.PLATFORMS))
    px = 1 / views.LAYER_PX
    rects = rows_with(chart, "tenant")
    char_px = 0.62 * views.LAYER_FONT_PX  # a generous average glyph width
    for name in (t for t in rows_with(chart, "lines") if t["kind"] == "layer name"):
        top = name["y"] + views.LINE_PX / 2 * px
        bottom = name["y"] - (name["lines"] - 0.5) * views.LINE_PX * px
        box = next(r for r in rects if r["platform"] == name["platform"] and r["tenant"] != "tenant B"
                   and r["y"] <= name["y"] <= r["y2"])
        assert box["y"] <= bottom and top <= box["y2"], name["text"]
        widest = max(len(line) for line in name["text"].split("\n")) * char_px / views.COLUMN_WIDTH_PX
        assert box["x"] <= name["x"] - widest / 2 and name["x"] + widest / 2 <= box["x2"], name["text"]


def test_chart_titles_and_subtitles_fit_a_projector():
    """At 15 px bold (about 8 px a character) a title over 72 characters runs past 580 px; subtitles (12 px) 90."""
    charts = [views.stack_chart(list(arch.PLATFORMS)), views.stack_chart(["type1_hypervisor"]),
              views.density_chart(arch.density_table(**DEFAULTS)),
              views.density_chart(arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "cpu_overcommit": 16}))]
    for chart in charts:
        title = chart.to_dict()["title"]
        assert len(title["text"]) <= 72, title["text"]
        subtitle = title.get("subtitle", [])
        for line in [subtitle] if isinstance(subtitle, str) else subtitle:
            assert len(line) <= 90, line


def test_stack_chart_titles_do_not_collide_and_text_is_projector_size():
    chart = views.stack_chart(list(arch.PLATFORMS))
    texts = rows_with(chart, "lines")
    assert min(t["font_px"] for t in texts) >= MIN_FONT_PX
    titles = [t for t in texts if t["kind"] == "platform title"]
    char_px = 0.62 * views.TITLE_FONT_PX
    for title in titles:  # each title line is narrower than its column plus the gap
        widest = max(len(line) for line in title["text"].split("\n")) * char_px
        assert widest <= views.COLUMN_WIDTH_PX * (1 + views.GAP), title["text"]


@pytest.mark.parametrize("count", range(1, len(arch.PLATFORMS) + 1))
def test_stack_chart_fits_a_projector_by_wrapping_rows(count):
    chart = views.stack_chart(list(arch.PLATFORMS[:count]))
    spec = chart.to_dict()
    assert spec["vconcat"][0]["width"] <= MAX_CHART_PX
    columns = {round(r["x"], 3) for r in rows_with(chart, "boundary")}
    assert len(columns) == min(count, views.MAX_COLUMNS)


def test_stack_chart_subtitle_colour_words_match_the_colours():
    spec = views.stack_chart(["microvm"]).to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    scale = spec["vconcat"][0]["layer"][0]["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    # Okabe-Ito orange and sky blue, darkened to 3:1 on white for a projector (helpers.charts.PALETTE)
    assert "Orange" in subtitle and colours[views.SHARING[0]] == PALETTE[0] == "#B87400"
    assert "Blue" in subtitle and colours[views.SHARING[1]] == PALETTE[1] == "#0095A8"
    assert "red" not in subtitle.lower() and "Dashed" in subtitle
    rule = spec["vconcat"][0]["layer"][1]["mark"]
    assert rule["strokeDash"] and rule["color"] == views.INK


def test_stack_chart_marks_the_enforcing_layers():
    chart = views.stack_chart(["microvm"])
    enforcing = {r["layer"] for r in rows_with(chart, "tenant") if r["enforces_isolation"]}
    assert enforcing == {"Host Linux kernel + KVM", "Firecracker VMM, jailed, per VM"}


@pytest.mark.parametrize("bad", [[], "microvm", ["nope"], ["microvm", "microvm"], 3, [None]])
def test_stack_chart_rejects_bad_platforms(bad):
    with pytest.raises(ValueError, match="platforms"):
        views.stack_chart(bad)


def test_interface_table_shows_the_ids_a_student_types():
    styled = views.interface_table()
    frame = styled.data
    assert list(frame["platform (id)"]) == list(arch.PLATFORMS)
    html = styled.to_html()
    assert "containers_on_host" in html and "at least 291 system calls" in html and "not counted" in html
    with pytest.raises(ValueError, match="platforms"):
        views.interface_table(["nope"])


# ------------------------------------------------------------------------------------------------ density chart

def test_density_chart_bars_and_article_band():
    table = arch.density_table(**{**DEFAULTS, "app_vcpu": 0.25, "app_memory_gib": 0.5, "cpu_overcommit": 16})
    chart = views.density_chart(table)
    assert_finished(chart)
    bars = {r["platform"]: r["instances_per_host"] for r in rows_with(chart, "instances_per_host")}
    assert bars == dict(zip(table["platform"], table["instances_per_host"]))
    band = rows_with(chart, "low")[0]
    assert (band["low"], band["high"]) == arch.ARTICLE_VMS_PER_HOST
    # (524,288 - 360) / (512 + 3.9) = 1,015.5 containers; VMs (a whole vCPU each, 34 x 16 = 544 by CPU) by memory:
    # 523,928 / (512 + 512 + 218 + 8 + 1.024) = 418.8
    assert chart.to_dict()["title"]["text"] == "Containers on a host: 1,015 per host, 2.4x the 418 full VMs"
    tied = views.density_chart(arch.density_table(**{**DEFAULTS, "app_vcpu": 1, "app_memory_gib": 0.5,
                                                      "cpu_overcommit": 16}))
    assert tied.to_dict()["title"]["text"] == "3 platforms fit 544 per host, 1.3x the 418 full VMs"


def test_density_chart_axis_is_fixed_whatever_the_data():
    """The panel redraws on every slider release; the axis must not rescale, or bars cannot be compared."""
    domains = set()
    for values in [DEFAULTS, {**DEFAULTS, "app_vcpu": 0.25, "cpu_overcommit": 16, "host_cores": 64},
                   {**DEFAULTS, "app_vcpu": 8, "app_memory_gib": 32, "host_cores": 4}]:
        spec = views.density_chart(arch.density_table(**values)).to_dict()
        scale = spec["vconcat"][0]["layer"][0]["encoding"]["x"]["scale"]
        domains.add((scale["type"], tuple(scale["domain"])))
    assert domains == {("log", views.DENSITY_DOMAIN)}


def test_density_chart_domain_covers_every_slider_setting():
    most = arch.density_table(**{**DEFAULTS, "host_cores": 64, "host_memory_gib": 1024, "app_vcpu": 0.25,
                                 "app_memory_gib": 0.25, "cpu_overcommit": 16, "memory_overcommit": 1.5,
                                 "host_reserved_vcpu": 0, "host_reserved_memory_mib": 0})
    assert most["instances_per_host"].max() <= views.DENSITY_DOMAIN[1]


def test_density_chart_draws_zero_instances_without_error():
    table = arch.density_table(**{**DEFAULTS, "host_cores": 4, "threads_per_core": 1, "host_reserved_vcpu": 8})
    assert (table["instances_per_host"] == 0).all()
    spec = views.density_chart(table).to_dict()
    assert "0 (cpu-bound)" in {r["label"] for r in rows_with(views.density_chart(table), "label")}
    assert spec["title"]["text"] == "Every platform fits 0 instances: the cpu decides"


def test_density_chart_uses_typed_channels_only(schema_lookups):
    """A bare string or dict channel makes altair hash the Vega-Lite schema (~15 ms each); none may be left."""
    table = arch.density_table(**DEFAULTS)
    views.density_chart(table).to_dict()
    views.stack_chart(list(arch.PLATFORMS)).to_dict()
    assert not schema_lookups


def test_density_chart_title_at_defaults_says_the_cpu_decides_for_everyone():
    # (36 x 1 - 2) / 1 = 34 for every platform: no platform carries a CPU overhead of its own by default
    chart = views.density_chart(arch.density_table(**DEFAULTS))
    assert chart.to_dict()["title"]["text"] == "Every platform fits 34 instances: the cpu decides"
    # with a VMM/Sentry CPU of 0.25 vCPU: 34 / 1.25 = 27 for the three platforms that have one
    chart = views.density_chart(arch.density_table(**{**DEFAULTS, "vmm_cpu_vcpu": 0.25}))
    assert chart.to_dict()["title"]["text"] == "Containers on a host: 34 per host, 1.3x the 27 full VMs"


def test_density_chart_title_when_all_equal():
    values = {**DEFAULTS, "host_reserved_vcpu": 0, "host_reserved_memory_mib": 0}
    table = arch.density_table(**values).assign(instances_per_host=72, overhead_vcpu=0.0)
    assert views.density_chart(table).to_dict()["title"]["text"] == "Every platform fits 72 instances: the cpu decides"


@pytest.mark.parametrize("bad", [
    None, "table", arch.density_table(**DEFAULTS).drop(columns="limiting_resource"),
    arch.density_table(**DEFAULTS).iloc[0:0],
    arch.density_table(**DEFAULTS).assign(instances_per_host=[float("nan"), 1, 2, 3]),  # drew "nanx the nan full VMs"
    arch.density_table(**DEFAULTS).assign(instances_per_host=[True, 1, 2, 3]),
    arch.density_table(**DEFAULTS).assign(by_cpu=["70", 1, 2, 3]),
    arch.density_table(**DEFAULTS).assign(limiting_resource=["disk", "cpu", "cpu", "cpu"]),
    arch.density_table(**DEFAULTS).assign(platform=["bare_metal", "microvm", "gvisor_sandbox", "containers_on_host"]),
])
def test_density_chart_rejects_bad_tables(bad):
    with pytest.raises(ValueError, match="^table"):
        views.density_chart(bad)


# ------------------------------------------------------------------------------------------------ panels

def test_platform_explorer_panel_redraws_the_chosen_stacks():
    panel = views.platform_explorer_panel()
    assert panel.check_bounds() == 2  # the first platform alone, then all of them
    assert "at least 291 system calls" in panel.table_widget.value  # containers on a host: in the default pick
    panel.controls["platforms"].value = ("bare_metal", "containers_in_vms")
    boundaries = {r["platform"]: r["shared_top"] for values in panel.chart_widget.spec["datasets"].values()
                  for r in values if "boundary" in r}
    assert boundaries == {"Bare metal": 0.0, "Containers inside VMs": float(
        arch.shared_layer_count("containers_in_vms"))}
    assert "Containers inside VMs" in panel.table_widget.value and "Type-1" not in panel.table_widget.value
    assert "at least 6 hypercalls + 2 devices" in panel.table_widget.value
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
    assert views._explorer_view(()).chart is None and views._explorer_view(()).text == views.NO_PLATFORM_TEXT


@pytest.mark.parametrize("bad", ["microvm", ("nope",), None, ("microvm", "microvm"), (3,)])
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
    assert "Full VMs: <b>34</b> per host, limited by <b>cpu</b>" in panel.text_widget.value
    assert "36 vCPUs (36 cores x 1 thread)" in panel.text_widget.value
    assert "redraws when you release a slider" in panel.text_widget.value
    sliders = arch.density_parameters().set_index("name")
    for name, control in panel.controls.items():
        if name == "threads_per_core":  # two positions: a choice of 1 or 2 (SMT off / on)
            assert [value for _, value in control.options] == [1, 2]
            continue
        assert (control.min, control.max) == (sliders.loc[name, "minimum"], sliders.loc[name, "maximum"])


def test_density_panel_labels_are_short_and_unit_free():
    """CONVENTIONS 3: at most 22 characters, no unit in the label (the unit has its own field)."""
    for slider in views.density_panel().parameters.values():
        assert len(slider.label) <= 22, slider.label
        assert slider.unit and f"({slider.unit})" not in slider.label and not any(u in slider.label for u in ("GiB", "MiB", "vCPU"))
    labels = [p.label for p in views.density_panel().parameters.values()]
    assert len(set(labels)) == len(labels)


def test_density_panel_table_has_labelled_headers_with_units():
    panel = views.density_panel()
    html = panel.table_widget.value
    assert "overhead (MiB)" in html and "instances per host" in html and "_" not in html.split("<tbody>")[0]
    assert "memory per instance (GiB)" in html and "vCPUs per instance" not in html  # 8 columns fit a projector


@pytest.mark.parametrize(("name", "value"), [
    ("app_vcpu", 0.25), ("host_memory_gib", 64), ("cpu_overcommit", 4), ("memory_overcommit", 1.5),
    ("guest_os_memory_mib", 2048), ("host_cores", 8), ("threads_per_core", 2), ("app_memory_gib", 16),
    ("host_reserved_vcpu", 8), ("host_reserved_memory_mib", 16384), ("vmm_cpu_vcpu", 0.25),
])
def test_density_panel_moves_as_the_model_says(name, value):
    panel = views.density_panel()
    if name in ("memory_overcommit", "guest_os_memory_mib", "host_reserved_memory_mib"):
        panel.controls["app_vcpu"].value = 0.25  # make memory the limit so memory controls matter: a quarter-core
        panel.controls["cpu_overcommit"].value = 4  # application, and 4:1 so that even a 1-vCPU VM gets a quarter
    before = panel_counts(panel)
    panel.controls[name].value = value
    expected = arch.density_table(**panel.values())
    assert panel_counts(panel) == dict(zip(expected["platform"], expected["instances_per_host"]))
    assert panel_counts(panel) != before, f"moving {name} should change the chart"
    limit = expected.set_index("platform").loc["type1_hypervisor", "limiting_resource"]
    assert f"limited by <b>{limit}</b>" in panel.text_widget.value


def test_limiting_resource_switches_from_cpu_to_memory():
    panel = views.density_panel()
    assert "limited by <b>cpu</b>" in panel.text_widget.value
    panel.controls["app_vcpu"].value = 0.25
    # a VM still gets a whole vCPU: (36 - 2) / 1 = 34 by CPU, still CPU-bound
    assert "limited by <b>cpu</b>" in panel.text_widget.value
    panel.controls["cpu_overcommit"].value = 4
    # 34 x 4 / 1 = 136 by CPU; (524,288 - 360) / (4,096 + 746.192) = 108 by memory
    assert "limited by <b>memory</b>" in panel.text_widget.value
    colours = {r["limiting_resource"] for values in panel.chart_widget.spec["datasets"].values() for r in values
               if "limiting_resource" in r}
    assert colours == {"memory"}


# ------------------------------------------------------------------------------------------------ checks

def test_checks_accept_the_model_answer_and_reject_others():
    # 1: 2 vCPU / 32 GiB on the default host (36 cores, SMT off) less the reserve. CPU (36 - 2) / 2 = 17; VM overhead
    #    512 + 218 + 8 x 2 + 0.002 x 32,768 = 811.536 MiB, memory 523,928 / 33,579.536 = 15.6 -> 15: memory limits
    assert views.check_vm_density_for_app(15) and not views.check_vm_density_for_app(17)
    table = arch.density_table(**{**DEFAULTS, **views.VM_DENSITY_APP}).set_index("platform")
    assert table.loc["type1_hypervisor", ["by_cpu", "by_memory", "limiting_resource"]].tolist() == [17, 15, "memory"]
    # 2: 0.25 vCPU / 1 GiB, 4:1 CPU overcommit. Containers: CPU 34 x 4 / 0.25 = 544, memory 523,928 / 1,027.9 = 509,
    #    so memory limits them; a full VM gets a whole vCPU: CPU 34 x 4 / 1 = 136 < 297 by memory, CPU-bound
    table = arch.density_table(**{**DEFAULTS, **views.OVERCOMMIT_CASE}).set_index("platform")
    assert table.loc["containers_on_host", ["by_cpu", "by_memory"]].tolist() == [544, 509]
    assert table.loc["type1_hypervisor", ["by_cpu", "by_memory", "limiting_resource"]].tolist() == [136, 297, "cpu"]
    assert views.check_container_limiting_resource("memory") and not views.check_container_limiting_resource("cpu")
    # 3: (32 - 2) x 4 / 0.5 = 240 by CPU; VM 261,784 / (1,024 + 1,248.048) = 115; containers: CPU 240 < 254 memory
    table = arch.density_table(**views.OLD_SERVER).set_index("platform")["instances_per_host"]
    assert (table["type1_hypervisor"], table["containers_on_host"]) == (115, 240)
    assert views.check_container_to_vm_ratio(240 / 115) and not views.check_container_to_vm_ratio(1)
    # 4: splice reaches a shared kernel on a container host (Docker allows it) and behind an unconfined QEMU
    assert views.check_dirty_pipe_platforms(["containers_on_host", "type1_hypervisor"])
    assert views.check_dirty_pipe_platforms(("type1_hypervisor", " containers_on_host"))
    assert not views.check_dirty_pipe_platforms(["containers_on_host"])
    assert not views.check_dirty_pipe_platforms(["containers_on_host", "type1_hypervisor", "microvm"])


def test_exercise_answers_differ_from_the_numbers_printed_before_them():
    """The notebook prints the defaults (34 everywhere, CPU-bound) and the small-app case (1 vCPU / 0.5 GiB, 16:1)."""
    defaults = arch.density_table(**DEFAULTS).set_index("platform")
    small = arch.density_table(**{**DEFAULTS, "app_vcpu": 1, "app_memory_gib": 0.5, "cpu_overcommit": 16})
    app = arch.density_table(**{**DEFAULTS, **views.VM_DENSITY_APP}).set_index("platform")
    printed = set(defaults["instances_per_host"]) | set(small["instances_per_host"]) | set(small["by_memory"])
    assert app.loc["type1_hypervisor", "instances_per_host"] not in printed
    # printed before exercise 2, whose answer is "memory": there containers are CPU-bound
    answer = arch.density_table(**{**DEFAULTS, **views.OVERCOMMIT_CASE}).set_index("platform").loc[
        "containers_on_host", "limiting_resource"]
    assert answer == "memory"
    for table in (defaults, small.set_index("platform")):
        assert table.loc["containers_on_host", "limiting_resource"] != answer


CHECKS = [views.check_vm_density_for_app, views.check_container_limiting_resource, views.check_container_to_vm_ratio,
          views.check_dirty_pipe_platforms]
MALFORMED = ["4", "seventy", "disk", 3, 2.5, True, False, float("nan"), math.inf, [2], (1, 2, 3), ("a",), {"x": 1},
             [], (), object(), b"cpu", ["containers_on_host", 3], "nope"]


@pytest.mark.parametrize("check", CHECKS)
def test_checks_treat_none_as_not_answered(check):
    result = check(None)
    assert not result and "No answer yet" in result.message


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_checks_answer_any_input_with_a_sentence_and_a_hint(check, bad):
    result = check(bad)  # never raises
    assert isinstance(result, CheckResult)
    if not result:
        assert "Hint:" in result.message and result.message.startswith("✗")
