"""Every notebook, run in a real JupyterLab in headless Chromium, works as a reader sees it.

Per notebook (found in notebooks/ at collection time): all cells run with no error
output; every chart is drawn (an svg or canvas inside `.vega-embed`); no widget says
"Error displaying widget"; in every live panel, one key press on a slider changes the chart.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_all_cells_run_without_error_output(executed_notebook):
    run = executed_notebook
    assert run.unfinished is None, f"{run.name}: run-all did not finish: {run.unfinished}"
    assert not run.errors, f"{run.name}: error output in cells: {run.errors}"


def test_every_chart_is_drawn_and_no_widget_fails(executed_notebook, lab_browser):
    run = executed_notebook
    expected = lab_browser.chart_widgets_in_kernel(run)
    assert expected >= 0, "could not count the kernel's chart widgets"
    report = lab_browser.render_report(run, expected_charts=expected)
    assert not report["widget_errors"], f"{run.name}: {report['widget_errors']}"
    assert not report["js_errors"], f"{run.name}: chart JavaScript errors: {report['js_errors']}"
    assert report["drawn"] == report["embeds"], (
        f"{run.name}: {report['embeds'] - report['drawn']} of {report['embeds']} charts have no svg/canvas")
    assert report["embeds"] >= expected, (
        f"{run.name}: the kernel made {expected} chart widgets but the page shows {report['embeds']} charts")
    assert not report["loading"], f"{run.name}: {report['loading']} widgets still say 'Loading widget'"


def _wait_for_every_chart(run, lab_browser) -> dict:
    """The render report once every chart the kernel made is drawn (asserted: later checks rely on it)."""
    expected = lab_browser.chart_widgets_in_kernel(run)
    assert expected >= 0, "could not count the kernel's chart widgets"
    report = lab_browser.render_report(run, expected_charts=expected)
    assert report["drawn"] >= expected and report["drawn"] == report["embeds"], (
        f"{run.name}: only {report['drawn']} of {max(expected, report['embeds'])} charts drawn: {report}")
    return report


def test_every_live_panel_redraws_its_chart_on_a_slider_key(executed_notebook, lab_browser):
    run = executed_notebook
    panels = _wait_for_every_chart(run, lab_browser)["panels"]  # a chart must be drawn before a key can change it
    if panels == 0:
        pytest.skip(f"{run.name} has no live panel")
    for index in range(panels):
        controls = lab_browser.panel_controls(run, index)
        # the first slider that moves the chart passes (a drop-down if the panel has no slider)
        tries = [("slider", c) for c in range(controls["sliders"])] or [("choice", c) for c in range(controls["choices"])]
        assert tries, f"{run.name}: live panel {index + 1}/{panels} has no slider or drop-down"
        results = []
        for kind, control in tries:
            results.append(lab_browser.press_and_time(run, index, control=control, kind=kind,
                                                      timeout_s=10 if not results else 3))
            if results[-1]["changed"]:
                break
        assert results[-1]["changed"], (
            f"{run.name}: live panel {index + 1}/{panels}: the chart did not change after moving any of its "
            f"{len(tries)} {tries[0][0]}s by keyboard ({[r['key'] for r in results]})")


def test_nothing_is_fetched_from_outside_the_machine(executed_notebook, lab_browser):
    """Charts and widgets render from the local JupyterLab alone: no CDN, no web font, no telemetry."""
    run = executed_notebook
    _wait_for_every_chart(run, lab_browser)  # drawing is when a chart would fetch (a CDN script, a font)
    assert not lab_browser.external_requests, f"{run.name}: requests left the machine: {lab_browser.external_requests}"
