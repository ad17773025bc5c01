"""Fixtures for the real-browser tests: one JupyterLab server and one Chromium for the session.

Without Chromium the tests are skipped with a hint (`apt-get install chromium`);
with CI=true a missing browser is a failure instead. A failing check saves a
screenshot to test-artifacts/<notebook>-<test>.png.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import jupyterlab_driver as lab

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # tests/, for tests/ci.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ci import in_ci  # noqa: E402


def _require_browser() -> None:
    """Skip (fail with CI=true) when Chromium or playwright is missing."""
    missing = lab.missing_browser()
    if missing:
        message = f"browser tests need Chromium: {missing}; {lab.ENABLE_HINT}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing browser is a failure)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def lab_browser():
    _require_browser()
    server = lab.LabServer()
    try:
        browser = lab.LabBrowser(server)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        server.stop()


@pytest.fixture(scope="session", params=lab.notebook_names())
def executed_notebook(request, lab_browser):
    """The notebook opened in JupyterLab with all cells run (closed, kernel shut down, afterwards)."""
    run = lab_browser.open(request.param)
    request.node.stash_run = run
    try:
        lab_browser.run_all(run)
        yield run
    finally:
        lab_browser.close_notebook(run)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "lab_browser" in item.fixturenames:
        browser = item.funcargs.get("lab_browser")
        if browser is not None:
            label = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name).strip("-")
            try:
                path = browser.screenshot(label)
                report.sections.append(("screenshot", str(path)))
            except Exception as error:  # a screenshot must never hide the real failure
                report.sections.append(("screenshot", f"could not save: {error}"))
