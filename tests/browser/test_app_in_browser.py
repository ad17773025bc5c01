"""Classroom app mode (``make app CHAPTER=..``): Voila serves a chapter with code hidden, on loopback, offline.

The command itself (``python -m helpers.editions.app <chapter> --port <free port> --no-browser``) is started; the
address it prints (127.0.0.1, with its token) is opened in headless Chromium with every request that
would leave the machine refused and recorded. The chapter's charts must be drawn, a key press on a live
panel's slider must redraw its chart (so the kernel behind the page works), no code may show, and no
request may have been refused.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

import jupyterlab_driver as lab

pytestmark = pytest.mark.browser

#: The chapter served: the first written one with a live panel that has a slider (05, cost, today).
CHAPTER_PREFERENCES = ("05_cost.ipynb", "02_architecture.ipynb", "01_history.ipynb")
START_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 180_000


def _chapter() -> str:
    names = lab.notebook_names()
    for name in CHAPTER_PREFERENCES:
        if name in names:
            return name
    return next(name for name in names if "panel()" in (lab.NOTEBOOKS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served_app(lab_browser):
    """``python -m helpers.editions.app`` serving the chapter; yields (url, process, its output lines).

    Asks for ``lab_browser`` first: the session's Chromium (its fixture skips, or fails in CI, without one)."""
    chapter = _chapter()
    port = lab.free_port()
    process = subprocess.Popen([sys.executable, "-m", "helpers.editions.app", chapter.removesuffix(".ipynb"), "--port",
                                str(port), "--no-browser"], cwd=lab.ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        url = None
        while url is None:
            url = next((line.strip() for line in list(lines) if "/voila/render/" in line), None)
            if process.poll() is not None:
                pytest.fail(f"helpers.editions.app exited with {process.returncode}:\n{''.join(lines)[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"helpers.editions.app printed no address within {START_TIMEOUT_S} s:\n{''.join(lines)[-3000:]}")
            time.sleep(0.2)
        yield url, process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the app stops Voila, which shuts its kernels down
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@pytest.fixture(scope="module")
def app_page(lab_browser, served_app):
    """The served chapter in a new context of the session's Chromium, every off-machine request refused;
    yields (page, refused, errors)."""
    url, _, _ = served_app
    refused: list[str] = []
    errors: list[str] = []
    context = lab_browser.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()

        def refuse(route) -> None:
            refused.append(route.request.url[:200])
            route.abort("internetdisconnected")

        page.route(lab._leaves_the_machine, refuse)
        page.on("pageerror", lambda error: errors.append(str(error)[:300]))
        page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
        # Voila renders cell by cell while the kernel runs them: wait for the panels and every chart drawn
        page.wait_for_function("document.querySelectorAll('.live-panel').length > 0 && "
                               "Array.from(document.querySelectorAll('.vega-embed')).length > 0 && "
                               "Array.from(document.querySelectorAll('.vega-embed')).every("
                               "e => e.querySelector('svg.marks, canvas.marks'))", timeout=PAGE_TIMEOUT_MS)
        yield page, refused, errors
    finally:
        context.close()


def test_the_app_listens_on_loopback_with_a_token(served_app):
    url, _, _ = served_app
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", f"the app must listen on loopback only; it printed {url}"
    token = re.search(r"token=([^&]+)", url)
    assert token and len(token.group(1)) >= 16, f"the printed address must carry a token: {url}"
    without_token = f"{parts.scheme}://{parts.netloc}{parts.path}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(without_token, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status in (302, 401, 403), f"the chapter opened without the token (HTTP {status})"


def test_the_served_chapter_hides_code_and_draws_its_charts(app_page):
    page, _, errors = app_page
    shown = page.evaluate("""() => ({
      code: document.querySelectorAll('.jp-InputArea .jp-Editor, .jp-CodeMirrorEditor, .jp-InputArea-editor').length,
      charts: document.querySelectorAll('.vega-embed').length,
      drawn: Array.from(document.querySelectorAll('.vega-embed')).filter(e => e.querySelector('svg.marks, canvas.marks')).length,
      panels: document.querySelectorAll('.live-panel').length,
      widget_errors: document.body.innerText.includes('Error displaying widget'),
      title: (document.querySelector('h1') || {}).innerText || '',
    })""")
    assert shown["code"] == 0, f"code is visible in the app: {shown}"
    assert shown["charts"] >= shown["panels"] >= 1 and shown["drawn"] == shown["charts"], shown
    assert not shown["widget_errors"], "a widget failed to display"
    assert not errors, f"JavaScript errors in the app: {errors}"


def test_a_slider_redraws_the_chart_and_nothing_leaves_the_machine(app_page):
    page, refused, _ = app_page
    panel = page.locator(".live-panel").first
    panel.scroll_into_view_if_needed()
    handles = panel.locator(".noUi-handle")
    assert handles.count() >= 1, "the first live panel has no slider"
    signature = "p => { const m = p.querySelector('.vega-embed svg.marks'); return m ? m.outerHTML : null; }"
    changed = False
    for index in range(handles.count()):
        before = panel.evaluate(signature)
        handle = handles.nth(index)
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        handle.focus()
        handle.press("ArrowRight" if now < top else "ArrowLeft")
        try:
            page.wait_for_function(f"(before) => ({signature})(document.querySelector('.live-panel')) !== before",
                                   arg=before, timeout=15_000)
            changed = True
            break
        except Exception:  # playwright TimeoutError: this slider did not move the chart; try the next
            continue
    assert changed, "no slider of the first live panel redrew its chart"
    page.wait_for_timeout(500)
    assert refused == [], f"{len(refused)} request(s) tried to leave the machine: {refused}"
