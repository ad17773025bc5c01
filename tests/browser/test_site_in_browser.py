"""The web edition (``make site``): built offline, every page read from files with all network refused.

The site is built once by the real command (``python -m helpers.editions.site --out <tmp>``) inside a network
namespace with only loopback up (``unshare -rn``, as tests/test_offline.py does) when the machine allows
it, so a build step that downloads anything (a theme, a CDN script, a font) fails here. Then Chromium opens
every page as a ``file://`` address, with every other request refused and recorded, and checks:

* every notebook has a page with its title and prose; the sidebar links every page; search finds a chapter;
* every chart the executed notebook holds (counted from its outputs) is drawn as SVG; no output is a
  widget alone (it would show nothing); charts whose params carry an interaction (the 01 timeline's
  radio buttons) change when it is used;
* every live panel is shown at its defaults with the line that says how to run it live;
* every solution is folded (a closed ``<details>``), nothing shows a raw ``&#36;`` or tag;
* no JavaScript error, and not one request refused.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import jupyterlab_driver as lab
from ci import in_ci

pytestmark = pytest.mark.browser

BUILD_TIMEOUT_S = 900
DRAW_TIMEOUT_MS = 20_000
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
SOLUTION_SUMMARY = "Solution"


def _sandbox_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run(["unshare", "-rn", "sh", "-c", "ip link set lo up"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, lab_browser) -> dict:
    """The site built by ``python -m helpers.editions.site`` (offline when possible); its folder and build facts.

    Asks for ``lab_browser`` first: the session's Chromium (its fixture skips, or fails in CI, without one)."""
    out = tmp_path_factory.mktemp("web-edition") / "site"
    build = [sys.executable, "-m", "helpers.editions.site", "--out", str(out)]
    offline = _sandbox_available()
    if offline:
        cut = [sys.executable, "-c", "from tests.offline_run import network_is_cut; assert network_is_cut(), 'network up'"]
        command = ["unshare", "-rn", "sh", "-c", f"ip link set lo up && {shlex.join(cut)} && exec {shlex.join(build)}"]
    elif in_ci():
        pytest.fail("cannot cut the network to build the site offline (needs unshare and ip, user namespaces)")
    else:
        command = build
    started = time.perf_counter()
    done = subprocess.run(command, cwd=lab.ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, f"the site build failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    print(f"site built in {seconds:.0f} s (network cut: {offline})")
    return {"out": out, "source": out.parent / f"{out.name}-src", "offline": offline, "seconds": seconds}


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def expected(notebook_path: Path) -> dict:
    """What a page must show, counted from the executed notebook it was rendered from."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    counts = {"charts": 0, "panels": 0, "widget_only": 0, "solutions": 0, "title": ""}
    for cell in notebook["cells"]:
        source = _text(cell["source"])
        if cell["cell_type"] == "markdown" and not counts["title"]:
            heading = next((line for line in source.splitlines() if line.startswith("# ")), "")
            counts["title"] = heading[2:].strip()
        if "solution" in cell.get("metadata", {}).get("tags", []):
            counts["solutions"] += 1
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = _text(data.get("text/html"))
            if "application/vnd.jupyter.widget-view+json" in data and not html:
                counts["widget_only"] += 1
            counts["charts"] += html.count('class="course-chart"')
            counts["panels"] += html.count("class='course-panel'")
    return counts


_PAGE_JS = """(summary) => {
  // checkVisibility: the content of a closed <details> keeps its layout boxes in Chromium (content-visibility)
  const visible = e => e.checkVisibility ? e.checkVisibility() : !!(e.offsetWidth || e.offsetHeight);
  const charts = Array.from(document.querySelectorAll('div.course-chart'));
  const panels = Array.from(document.querySelectorAll('.course-panel'));
  const solutions = Array.from(document.querySelectorAll('details')).filter(d => {
    const s = d.querySelector(':scope > summary'); return s && s.innerText.trim().startsWith(summary); });
  const main = document.querySelector('main') || document.body;
  return {
    charts: charts.length,
    drawn: charts.filter(c => c.getAttribute('data-course-chart') === 'drawn' && c.querySelector('svg.marks')).length,
    failed: charts.filter(c => c.getAttribute('data-course-chart') === 'failed').map(c => c.innerText.slice(0, 200)),
    panels: panels.length,
    panels_with_live_line: panels.filter(p => p.querySelector('p.course-panel-live')).length,
    solutions: solutions.length,
    solutions_open: solutions.filter(d => d.open || Array.from(d.querySelectorAll('pre')).some(visible)).length,
    h1: (main.querySelector('h1') || {innerText: ''}).innerText,
    paragraphs: main.querySelectorAll('p').length,
    raw_markup: ['&#36;', '<span>', '</details>', '<details>'].filter(t => main.innerText.includes(t)),
    sidebar: Array.from(document.querySelectorAll('.bd-sidebar-primary a.reference.internal'))
      .map(a => a.getAttribute('href').split('#')[0]),
  };
}"""


@pytest.fixture(scope="module")
def offline_browser(lab_browser, built_site):
    """A browser context (in the session's Chromium) where only local files load; yields (context, refused
    requests, page errors)."""
    refused: list[str] = []
    errors: list[str] = []
    context = lab_browser.browser.new_context(viewport={"width": 1280, "height": 800})

    def refuse(route) -> None:
        refused.append(route.request.url[:200])
        route.abort("internetdisconnected")

    def watch(page) -> None:
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {str(error)[:300]}"))
        page.on("console", lambda m: errors.append(f"{page.url}: {m.text[:300]}") if m.type == "error" else None)

    context.route(lambda url: not url.startswith(LOCAL_SCHEMES), refuse)
    context.on("page", watch)
    try:
        yield context, refused, errors
    finally:
        context.close()


def _open(context, path: Path, query: str = ""):
    page = context.new_page()
    page.goto(path.as_uri() + query, wait_until="load")
    return page


def _report(page) -> dict:
    try:  # every chart settles (drawn or failed) once its vega-embed promise resolves
        page.wait_for_function("Array.from(document.querySelectorAll('div.course-chart')).every("
                               "c => ['drawn', 'failed'].includes(c.getAttribute('data-course-chart')))",
                               timeout=DRAW_TIMEOUT_MS)
    except Exception:  # playwright TimeoutError: the report says which are missing
        pass
    return page.evaluate(_PAGE_JS, SOLUTION_SUMMARY)


def test_every_notebook_has_a_page_and_the_index_opens_the_course(built_site):
    out = built_site["out"]
    notebooks = sorted(p.name for p in lab.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    pages = sorted(p.name for p in out.glob("[0-9][0-9]_*.html"))
    assert pages == [name.replace(".ipynb", ".html") for name in notebooks]
    assert "00_index.html" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "search.html").exists() and (out / "_static" / "vega-embed.js").stat().st_size > 100_000


def test_every_page_draws_all_its_charts_offline_with_panels_and_folded_solutions(built_site, offline_browser):
    context, refused, errors = offline_browser
    out, source = built_site["out"], built_site["source"]
    problems, total_charts = [], 0
    for notebook in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        want = expected(notebook)
        page_name = notebook.name.replace(".ipynb", ".html")
        page = _open(context, out / page_name)
        try:
            shown = _report(page)
        finally:
            page.close()
        total_charts += shown["drawn"]
        facts = [
            (want["widget_only"] == 0, f"{want['widget_only']} output(s) are only a widget (blank in a static page)"),
            (shown["charts"] == want["charts"], f"{shown['charts']} chart(s) in the page, {want['charts']} in the notebook"),
            (shown["drawn"] == want["charts"], f"{shown['drawn']} of {want['charts']} charts drawn; failed: {shown['failed']}"),
            (shown["panels"] == want["panels"] == shown["panels_with_live_line"],
             f"panels: {want['panels']} in the notebook, {shown['panels']} shown, "
             f"{shown['panels_with_live_line']} with the run-it-live line"),
            (shown["solutions"] == want["solutions"], f"{shown['solutions']} folded solutions, {want['solutions']} in the notebook"),
            (shown["solutions_open"] == 0, f"{shown['solutions_open']} solution(s) open or visible"),
            (want["title"] and want["title"] in shown["h1"], f"title {want['title']!r} not the page's heading {shown['h1']!r}"),
            (shown["paragraphs"] >= 3, "the page has almost no prose"),
            (not shown["raw_markup"], f"raw markup shows as text: {shown['raw_markup']}"),
            (set(shown["sidebar"]) >= {p.name for p in out.glob('[0-9][0-9]_*.html')} - {page_name},
             f"the sidebar does not link every page: {shown['sidebar']}"),
        ]
        problems += [f"{page_name}: {message}" for ok, message in facts if not ok]
    assert not problems, "\n".join(problems)
    assert total_charts > 0, "no page draws a chart: the web edition lost its charts"
    assert refused == [], f"{len(refused)} request(s) tried to leave the machine: {refused}"
    assert not errors, f"JavaScript errors: {errors}"


def test_charts_with_params_still_respond_in_the_page(built_site, offline_browser):
    """A chart whose altair params are bound to radio buttons (the 01 timeline) redraws when one is chosen."""
    context, refused, errors = offline_browser
    out = built_site["out"]
    tried = 0
    for path in sorted(out.glob("[0-9][0-9]_*.html")):
        page = _open(context, path)
        try:
            _report(page)
            charts = page.locator("div.course-chart:has(.vega-bindings input[type=radio])")
            for index in range(charts.count()):
                chart = charts.nth(index)
                before = chart.locator("svg.marks").inner_html()
                radios = chart.locator(".vega-bindings input[type=radio]")
                target = next(i for i in range(radios.count()) if not radios.nth(i).is_checked())
                radios.nth(target).check()
                page.wait_for_function("([el, before]) => el.querySelector('svg.marks').innerHTML !== before",
                                       arg=[chart.element_handle(), before], timeout=DRAW_TIMEOUT_MS)
                tried += 1
        finally:
            page.close()
    if tried == 0:
        pytest.skip("no chart binds a param to radio buttons")
    assert not errors, f"JavaScript errors: {errors}"
    assert refused == []


def test_search_finds_each_chapter_offline(built_site, offline_browser):
    context, refused, errors = offline_browser
    out, source = built_site["out"], built_site["source"]
    missing = []
    for notebook in sorted(source.glob("[0-9][0-9]_*.ipynb"))[1:]:
        title = expected(notebook)["title"]  # "05 · Cost: owning servers vs renting cloud capacity"
        word = title.split("·", 1)[-1].split(":")[0].split()[0]
        page = _open(context, out / "search.html", f"?q={word}")
        try:
            page.wait_for_function("document.querySelector('#search-results') && "
                                   "/Search finished|found/i.test(document.querySelector('#search-results').innerText)",
                                   timeout=DRAW_TIMEOUT_MS)
            hits = page.evaluate("() => Array.from(document.querySelectorAll('#search-results a'))"
                                 ".map(a => a.getAttribute('href').split('?')[0].split('#')[0])")
        finally:
            page.close()
        if notebook.name.replace(".ipynb", ".html") not in hits:
            missing.append(f"{word!r} -> {hits}")
    assert not missing, f"search did not find the chapter: {missing}"
    assert not errors, f"JavaScript errors: {errors}"
    assert refused == []
