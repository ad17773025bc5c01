"""Chapter 1's timeline works in a static HTML export, offline, with no kernel.

The notebook is executed and exported with ``jupyter nbconvert --to html --execute``
(in a temporary folder), and the HTML file is opened in Chromium with every request
that is not a local file refused. The timeline (shown with
``helpers.charts.self_contained_html``) must be drawn, and its category radio
buttons and year sliders (Vega params) must change the points drawn, to exactly
the counts the model gives: the params run in the page, not in Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jupyterlab_driver as lab
from helpers import history
from helpers.history_views import PARAM_CATEGORY, PARAM_YEAR_FROM

pytestmark = pytest.mark.browser

NOTEBOOK = "01_history.ipynb"
EXPORT_TIMEOUT_S = 600
DRAW_TIMEOUT_MS = 15_000
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

#: The timeline's `.vega-embed`: the one holding the category radio buttons.
_TIMELINE = f".vega-embed:has(input[type=radio][name='{PARAM_CATEGORY}'])"
_POINTS_JS = f"""() => {{
  const embed = document.querySelector("{_TIMELINE}");
  if (!embed || !embed.querySelector('svg.marks')) return null;
  return embed.querySelectorAll('g.mark-symbol path').length;
}}"""


@pytest.fixture(scope="module")
def exported_html(tmp_path_factory) -> Path:
    """01_history.ipynb executed and exported to HTML by nbconvert, in a temporary folder."""
    folder = tmp_path_factory.mktemp("static-export")
    shutil.copy(lab.ROOT / "notebooks" / NOTEBOOK, folder / NOTEBOOK)
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
               "--ExecutePreprocessor.timeout=300", NOTEBOOK]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S)
    assert done.returncode == 0, f"nbconvert failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return folder / NOTEBOOK.replace(".ipynb", ".html")


@pytest.fixture
def offline_page(lab_browser, exported_html):
    """The exported page in a fresh browser context where only local files load.

    Yields (page, refused_urls, page_errors).
    """
    context = lab_browser.browser.new_context(viewport={"width": 1400, "height": 1000})
    refused: list[str] = []
    errors: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    context.route(lambda url: not url.startswith(LOCAL_SCHEMES), refuse)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)[:300]))
    try:
        page.goto(exported_html.as_uri(), wait_until="load")
        yield page, refused, errors
    finally:
        context.close()


def _drawn_points(page, expected: int) -> int:
    """Wait until the timeline shows ``expected`` points (or time runs out); the count it shows."""
    try:
        page.wait_for_function(f"({_POINTS_JS})() === {expected}", timeout=DRAW_TIMEOUT_MS)
    except Exception:  # playwright TimeoutError: report what is drawn instead
        pass
    return page.evaluate(_POINTS_JS)


def test_exported_timeline_is_drawn_offline(offline_page):
    page, _, errors = offline_page
    total = len(history.timeline())
    assert _drawn_points(page, total) == total, "the timeline in the exported HTML is not drawn with every event"
    assert page.locator(_TIMELINE).count() == 1
    assert not errors, f"JavaScript errors in the exported page: {errors}"


def test_category_radio_filters_the_points_without_a_kernel(offline_page):
    page, _, errors = offline_page
    total = len(history.timeline())
    assert _drawn_points(page, total) == total
    first, last = history.year_span()
    for category in ("containers", "mainframe"):
        expected = len(history.events_between(first, last, category))
        assert 0 < expected < total
        page.locator(f"{_TIMELINE} input[type=radio][name='{PARAM_CATEGORY}'][value='{category}']").check()
        assert _drawn_points(page, expected) == expected, f"choosing {category!r} did not leave its {expected} events"
    page.locator(f"{_TIMELINE} input[type=radio][name='{PARAM_CATEGORY}'][value='all']").check()
    assert _drawn_points(page, total) == total
    assert not errors, f"JavaScript errors in the exported page: {errors}"


def test_year_slider_filters_the_points_without_a_kernel(offline_page):
    page, _, _ = offline_page
    first, last = history.year_span()
    assert _drawn_points(page, len(history.timeline())) == len(history.timeline())
    year = 2010
    expected = len(history.events_between(year, last))
    page.locator(f"{_TIMELINE} input[type=range][name='{PARAM_YEAR_FROM}']").evaluate(
        "(slider, year) => { slider.value = year; slider.dispatchEvent(new Event('input', {bubbles: true})); }", year)
    assert _drawn_points(page, expected) == expected, f"'From year' {year} did not leave the {expected} events since"


def test_the_timeline_fetches_nothing_remote(offline_page, exported_html):
    """Every refused request is named by the rest of the page (nbconvert's template loads require.js and
    MathJax, and the widget manager for the JupyterChart widgets), none by the timeline's script, which
    draws without them."""
    page, refused, _ = offline_page
    total = len(history.timeline())
    assert _drawn_points(page, total) == total
    html = exported_html.read_text(encoding="utf-8")
    chart_scripts = re.findall(r"<script[^>]*>(?:(?!</script>).)*vmVsCloudVegaEmbed.*?</script>", html, flags=re.S)
    assert len(chart_scripts) == 1, "expected one self-contained chart (the timeline) in the export"
    rest_of_page = html.replace(chart_scripts[0], "")
    assert all(url not in chart_scripts[0] for url in refused)
    not_from_the_page = [url for url in refused if url not in rest_of_page]
    assert not not_from_the_page, f"requests no part of the page names: {not_from_the_page}"


# --- dollars in the static HTML edition (nbconvert's lab template typesets $...$ with MathJax 2.7) ----------

#: Debian's MathJax 2.7 (package libjs-mathjax, installed by .ci/run): served in place of the CDN copy the
#: exported page asks for, so the export is checked with the MathJax it would use online.
LOCAL_MATHJAX = Path("/usr/share/javascript/mathjax")
MATHJAX_CDN = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"


@pytest.fixture(scope="module")
def dollars_html(tmp_path_factory) -> Path:
    """A notebook with protected dollars (prose and a claims table) and one raw pair, exported by nbconvert."""
    import nbformat

    from helpers.text import protect_dollars

    folder = tmp_path_factory.mktemp("dollars-export")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("<p id='control'>Raw pair, typeset on purpose: $x + y$ and $5 vs $6.</p>"),
        nbformat.v4.new_markdown_cell(protect_dollars("It costs $3.50 per core-hour, not $0.096; **$1.2M** and $850k.")),
        nbformat.v4.new_code_cell("from helpers import claims_table\nclaims_table('cost')"),
    ]
    nbformat.write(notebook, folder / "dollars.ipynb")
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
               "--ExecutePreprocessor.timeout=300", "dollars.ipynb"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S)
    assert done.returncode == 0, f"nbconvert failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return folder / "dollars.html"


def _serve_local_mathjax(route) -> None:
    """Answer the CDN's MathJax URLs from LOCAL_MATHJAX ("latest.js" loads MathJax.js, which finds its files)."""
    url = route.request.url
    relative = url.split(MATHJAX_CDN, 1)[1].split("?")[0].split("/", 1)[1]  # drop the version folder
    if relative == "latest.js":
        loader = (f"var s = document.createElement('script'); s.src = '{MATHJAX_CDN}2.7.7/MathJax.js?config="
                  "TeX-AMS_CHTML-full,Safe'; document.head.appendChild(s);")
        return route.fulfill(body=loader, content_type="application/javascript")
    path = LOCAL_MATHJAX / relative
    if path.is_file():
        return route.fulfill(path=str(path))
    return route.abort("internetdisconnected")


def test_protected_dollars_are_not_maths_in_the_html_export(lab_browser, dollars_html):
    if not (LOCAL_MATHJAX / "MathJax.js").exists():
        message = f"no MathJax 2 at {LOCAL_MATHJAX} (apt-get install libjs-mathjax)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    context = lab_browser.browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: url.startswith(MATHJAX_CDN), _serve_local_mathjax)
    context.route(lambda url: not url.startswith(LOCAL_SCHEMES) and not url.startswith(MATHJAX_CDN),
                  lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    try:
        page.goto(dollars_html.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('#control .MathJax_CHTML, #control .mjx-chtml').length > 0",
                               timeout=DRAW_TIMEOUT_MS)  # MathJax ran: the raw pair is maths
        page.wait_for_timeout(500)
        typeset = page.evaluate("""() => Array.from(document.querySelectorAll('.MathJax_CHTML, .mjx-chtml, .MathJax'))
            .filter(e => !e.closest('#control')).map(e => (e.closest('.jp-Cell') || e).innerText.slice(0, 80))""")
        text = page.evaluate("() => document.body.innerText")
    finally:
        context.close()
    assert not typeset, f"protected dollars typeset as maths in the nbconvert export: {typeset}"
    assert "$3.50 per core-hour, not $0.096" in text and "$1.2M and $850k" in text
    assert "按使用付费(AWS起价$3.50/核/小时)" in text
