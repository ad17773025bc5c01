"""Drive a real JupyterLab in headless Chromium: used by the browser tests and by the benchmark.

* :class:`LabServer` starts JupyterLab on a free loopback port with a token and its
  own temporary config, data, runtime, settings and workspace folders, serving a
  temporary COPY of ``notebooks/`` (running cells never writes into the repo).
* :class:`LabBrowser` opens JupyterLab once in Debian's ``/usr/bin/chromium``
  (through Python playwright, no browser download) and, per notebook, opens it,
  runs all cells, reports errors / charts / widget failures, and presses keys on
  live-panel sliders, timing the key press to the redrawn chart in the page.

All DOM look-ups are scoped to the notebook panel's id, so restored or other open
tabs cannot collide. The notebook windowing mode is "none" (every cell attached).
Nothing waits forever: every page script runs through :meth:`LabBrowser._evaluate`,
which fails with "<what>: no answer within N s", and the page-side loops (kernel
idle on open, kernel shutdown on close) have their own deadlines, so a stuck kernel
on a slow CI runner fails the test instead of hanging the job.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
#: The notebooks under test; COURSE_NOTEBOOKS_DIR points elsewhere (e.g. a scratch notebook while developing).
NOTEBOOKS = Path(os.environ.get("COURSE_NOTEBOOKS_DIR") or ROOT / "notebooks")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENABLE_HINT = "install Debian's browser with `apt-get install chromium` (the tests drive /usr/bin/chromium)"

#: User settings written into the server's private settings folder.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                       "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}


def notebook_names() -> list[str]:
    """Every notebook of the course, in order (found at collection time, so new chapters are covered)."""
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (it is pinned in requirements.txt)"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """JupyterLab on 127.0.0.1:<free port> with a token, private folders and a copy of the notebooks."""

    def __init__(self, notebooks: Path = NOTEBOOKS, startup_timeout_s: float = 90):
        self.home = Path(tempfile.mkdtemp(prefix="course-lab-"))
        self.root = self.home / "notebooks"
        shutil.copytree(notebooks, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        folders = {name: self.home / name for name in ("config", "data", "runtime", "settings", "workspaces")}
        for folder in folders.values():
            folder.mkdir()
        for relative, values in LAB_SETTINGS.items():
            path = folders["settings"] / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folders["config"]), "JUPYTER_DATA_DIR": str(folders["data"]),
               "JUPYTER_RUNTIME_DIR": str(folders["runtime"]), "JUPYTERLAB_SETTINGS_DIR": str(folders["settings"]),
               "JUPYTERLAB_WORKSPACES_DIR": str(folders["workspaces"]), "JUPYTER_PLATFORM_DIRS": "1"}
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--expose-app-in-browser", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if os.name == "posix" and os.geteuid() == 0:
            command.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
        self.log_path = self.home / "server.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, cwd=self.root)
        deadline = time.monotonic() + startup_timeout_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"JupyterLab did not answer within {startup_timeout_s} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        shutil.rmtree(self.home, ignore_errors=True)


# --- page-side helpers (JavaScript run in the JupyterLab page) -------------------------------

#: Seconds any one page.evaluate may take unless a caller gives its own bound (see LabBrowser._evaluate).
EVALUATE_TIMEOUT_S = 30
#: Seconds for a notebook's kernel to start and go idle (a cold kernel on a slow 2-core CI runner is slow).
KERNEL_READY_TIMEOUT_S = 120
#: Seconds for a kernel to shut down when its notebook is closed.
SHUTDOWN_TIMEOUT_S = 30


def _bounded(script: str) -> str:
    """Wrap a page function ``(arg) => ...`` so it fails with a clear message instead of waiting forever.

    The wrapped function takes ``[arg, timeout_ms, what]`` and rejects with
    "<what>: no answer within N s" if ``script``'s (awaited) result is not there in time:
    playwright's ``page.evaluate`` itself has no timeout.
    """
    return f"""async ([arg, timeout_ms, what]) => {{
  const script = {script};
  let timer;
  const late = new Promise((_, reject) => {{
    timer = setTimeout(() => reject(new Error(`${{what}}: no answer within ${{timeout_ms / 1000}} s`)), timeout_ms);
  }});
  try {{ return await Promise.race([Promise.resolve().then(() => script(arg)), late]); }}
  finally {{ clearTimeout(timer); }}
}}"""


_OPEN_JS = """async ([path, timeout_ms]) => {
  const app = window.jupyterapp;
  const started = performance.now();
  const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook', kernel: {name: 'python3'}});
  await w.context.ready; await w.sessionContext.ready;
  window.__course = window.__course || {}; window.__course[w.id] = w;
  app.shell.activateById(w.id);
  while (w.sessionContext.session?.kernel?.status !== 'idle') {
    if (performance.now() - started > timeout_ms) {
      throw new Error(`kernel of ${path} not idle after ${timeout_ms / 1000} s ` +
                      `(status: ${w.sessionContext.session?.kernel?.status ?? 'no kernel'})`);
    }
    await new Promise(r => setTimeout(r, 20));
  }
  return {id: w.id, kernel_ready_s: (performance.now() - started) / 1000};
}"""

_CLOSE_JS = """async ([id, timeout_ms]) => {
  const w = window.__course[id]; if (!w) return {shutdown: 'not open'};
  let shutdown = 'done', timer;
  const late = new Promise(resolve => { timer = setTimeout(() => resolve('late'), timeout_ms); });
  try {
    const outcome = await Promise.race([w.sessionContext.shutdown().then(() => 'done'), late]);
    if (outcome === 'late') shutdown = `kernel did not shut down within ${timeout_ms / 1000} s`;
  } catch (e) { /* no kernel left to shut down */ }
  finally { clearTimeout(timer); }
  w.context.model.dirty = false; w.dispose(); delete window.__course[id];
  return {shutdown};
}"""

_RUN_ALL_JS = """async (id) => {
  const app = window.jupyterapp, w = window.__course[id];
  app.shell.activateById(id);
  const started = performance.now();
  await app.commands.execute('notebook:run-all-cells');
  return {started};
}"""

_STATE_JS = """(id) => {
  const w = window.__course[id];
  let code = 0, done = 0, pending = 0; const errors = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) return;
    code++;
    if (cell.model.executionCount !== null) done++;
    if (cell.model.executionState === 'running' || (cell.promptNode?.textContent || '').includes('*')) pending++;
    for (const o of cell.model.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push({cell: index, ename: o.ename, evalue: o.evalue});
    }
  });
  return {code, done, pending, errors, kernel: w.sessionContext.session?.kernel?.status ?? 'none',
          now: performance.now()};
}"""

_KERNEL_EXPR_JS = """async ([id, expr]) => {
  const kernel = window.__course[id].sessionContext.session.kernel;
  const future = kernel.requestExecute({code: '', silent: true, store_history: false, user_expressions: {v: expr}});
  const reply = await future.done;
  const v = reply.content.user_expressions.v;
  return v.status === 'ok' ? v.data['text/plain'] : 'ERROR ' + v.ename + ': ' + v.evalue;
}"""

_RENDER_REPORT_JS = """(id) => {
  const root = document.getElementById(id);
  const embeds = Array.from(root.querySelectorAll('.vega-embed'));
  return {
    embeds: embeds.length,
    drawn: embeds.filter(e => e.querySelector('svg.marks, canvas.marks')).length,
    js_errors: Array.from(root.querySelectorAll('.jp-OutputArea-output'))
      .map(e => e.innerText).filter(t => t.includes('JavaScript Error:')).map(t => t.slice(0, 300)),
    widget_errors: Array.from(root.querySelectorAll('.jp-OutputArea-output'))
      .map(e => e.innerText).filter(t => t.includes('Error displaying widget')).map(t => t.slice(0, 300)),
    loading: Array.from(root.querySelectorAll('.jp-OutputArea-output'))
      .filter(e => e.innerText.trim().startsWith('Loading widget')).length,
    panels: root.querySelectorAll('.live-panel').length,
  };
}"""

#: Installs a MutationObserver on one live panel; records ms from the key press to a changed chart.
#: The chart must already be drawn: comparing against "not drawn yet" would count its first drawing as a change.
_ARM_JS = """([id, index, kind, control_index]) => {
  const panel = document.getElementById(id).querySelectorAll('.live-panel')[index];
  const embed = panel.querySelector('.vega-embed');
  const target = embed || panel;
  const signature = () => {
    if (!embed) return panel.innerText;
    const marks = embed.querySelector('svg.marks, canvas.marks');
    if (!marks) return null;
    return marks.tagName === 'CANVAS' ? marks.toDataURL() : marks.outerHTML;
  };
  const before = signature();
  if (before === null) return {error: 'its chart is not drawn yet (no svg/canvas), so a change cannot be measured'};
  const result = window.__courseRedraw = {done: false, changed: false, ms: null, t0: null};
  const control = panel.querySelectorAll(kind === 'slider' ? '.noUi-handle' : 'select')[control_index];
  control.addEventListener(kind === 'slider' ? 'keydown' : 'change',
                           () => { result.t0 = performance.now(); }, {once: true, capture: true});
  const observer = new MutationObserver(() => {
    if (result.t0 === null) return;
    const now = signature();
    if (now !== null && now !== before) {
      result.ms = performance.now() - result.t0; result.changed = true; result.done = true; observer.disconnect();
    }
  });
  observer.observe(target, {subtree: true, childList: true, attributes: true, characterData: true});
  result.stop = () => { observer.disconnect(); result.done = true; };
  return {before_length: before.length};
}"""

_SLIDER_JS = """([id, index, control_index]) => {
  const panel = document.getElementById(id).querySelectorAll('.live-panel')[index];
  const handle = panel.querySelectorAll('.noUi-handle')[control_index];
  if (!handle) return null;
  return {now: parseFloat(handle.getAttribute('aria-valuenow')), min: parseFloat(handle.getAttribute('aria-valuemin')),
          max: parseFloat(handle.getAttribute('aria-valuemax'))};
}"""


@dataclass
class NotebookRun:
    """One notebook opened and run in the browser."""

    name: str
    panel_id: str
    kernel_ready_s: float
    run_all_s: float | None = None
    errors: list = field(default_factory=list)
    unfinished: str | None = None


def _leaves_the_machine(url: str) -> bool:
    """True for http(s)/ws(s) URLs whose host is not loopback (data:, blob: and local URLs stay)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return False
    return parts.hostname not in ("127.0.0.1", "localhost", "::1")


class LabBrowser:
    """One Chromium, one JupyterLab page; notebooks are opened, run and closed in it."""

    def __init__(self, server: LabServer):
        from playwright.sync_api import sync_playwright

        self.server = server
        self._playwright = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                            args=CHROMIUM_FLAGS)
            self.page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
            # The course must work offline: any request that would leave the machine (a CDN, fonts,
            # telemetry) is refused and recorded; the tests assert there were none.
            self.external_requests: list[str] = []
            self.page.route(_leaves_the_machine, self._refuse_external)
            self.console_errors: list[str] = []
            self.page.on("console", lambda m: self.console_errors.append(m.text[:300]) if m.type == "error" else None)
            self.page.goto(f"{server.url}/lab?reset&token={server.token}", wait_until="domcontentloaded")
            self.page.wait_for_function("window.jupyterapp !== undefined", timeout=60_000)
            self._evaluate("async () => { await window.jupyterapp.restored; }", timeout_s=60,
                           what="JupyterLab restoring its layout")
        except BaseException:
            self.close()
            raise

    def _refuse_external(self, route) -> None:
        self.external_requests.append(route.request.url[:200])
        route.abort("internetdisconnected")

    def _evaluate(self, script: str, arg=None, *, timeout_s: float = EVALUATE_TIMEOUT_S, what: str = "page script"):
        """``page.evaluate(script, arg)``, failing with "<what>: no answer within N s" instead of hanging.

        The bound holds while the page's event loop runs (a stuck kernel, a promise that
        never settles); ``script`` is a page function of one argument.
        """
        return self.page.evaluate(_bounded(script), [arg, timeout_s * 1000, what])

    def close(self) -> None:
        try:
            if getattr(self, "browser", None) is not None:
                self.browser.close()
        finally:
            self._playwright.stop()

    # -- notebooks ---------------------------------------------------------------------------
    def open(self, name: str, timeout_s: float = KERNEL_READY_TIMEOUT_S) -> NotebookRun:
        """Open notebook ``name`` with a python3 kernel; return once the kernel is idle (fail after ``timeout_s``)."""
        opened = self._evaluate(_OPEN_JS, [name, timeout_s * 1000], timeout_s=timeout_s + 15,
                                what=f"opening {name}")
        return NotebookRun(name=name, panel_id=opened["id"], kernel_ready_s=opened["kernel_ready_s"])

    def run_all(self, run: NotebookRun, timeout_s: float = 240) -> NotebookRun:
        """Run all cells; return when every code cell ran (or one failed) and the kernel is idle."""
        deadline = time.monotonic() + timeout_s
        try:  # the run-all command resolves when the cells have run: bounded by the same deadline
            started = self._evaluate(_RUN_ALL_JS, run.panel_id, timeout_s=timeout_s,
                                     what=f"run-all in {run.name}")["started"]
        except Exception as error:  # playwright Error
            if "no answer within" not in str(error):
                raise
            started = None
        while True:
            state = self._evaluate(_STATE_JS, run.panel_id, what=f"reading the cells of {run.name}")
            finished = state["kernel"] == "idle" and state["pending"] == 0
            if started is not None and finished and (state["done"] == state["code"] or state["errors"]):
                run.run_all_s = (state["now"] - started) / 1000
                run.errors = state["errors"]
                return run
            if started is None or time.monotonic() > deadline:
                run.unfinished = (f"after {timeout_s} s: {state['done']}/{state['code']} code cells ran, "
                                  f"{state['pending']} pending, kernel {state['kernel']}")
                run.errors = state["errors"]
                return run
            time.sleep(0.1)

    def kernel_eval(self, run: NotebookRun, expression: str) -> str:
        """Evaluate a Python expression silently in the notebook's kernel; its text/plain repr."""
        return self._evaluate(_KERNEL_EXPR_JS, [run.panel_id, expression],
                              what=f"evaluating {expression[:40]!r} in the kernel of {run.name}")

    def chart_widgets_in_kernel(self, run: NotebookRun) -> int:
        value = self.kernel_eval(run, "sum(type(w).__name__ == 'JupyterChart' for w in "
                                      "list(__import__('ipywidgets').widgets.widget._instances.values()))")
        return int(value) if value.isdigit() else -1

    def render_report(self, run: NotebookRun, expected_charts: int, timeout_s: float = 30) -> dict:
        """Wait until every expected chart is drawn (or time runs out); what the page shows."""
        deadline = time.monotonic() + timeout_s
        while True:
            report = self._evaluate(_RENDER_REPORT_JS, run.panel_id, what=f"reading the charts of {run.name}")
            ready = report["drawn"] >= expected_charts and report["drawn"] == report["embeds"] and not report["loading"]
            if ready or report["widget_errors"] or report["js_errors"] or time.monotonic() > deadline:
                return report
            time.sleep(0.2)

    def scroll_to_panel(self, run: NotebookRun, index: int):
        panel = self.page.locator(f"#{run.panel_id} .live-panel").nth(index)
        panel.scroll_into_view_if_needed()
        return panel

    def panel_controls(self, run: NotebookRun, index: int) -> dict:
        """How many sliders and drop-downs live panel ``index`` has."""
        return self._evaluate("""([id, index]) => {
          const panel = document.getElementById(id).querySelectorAll('.live-panel')[index];
          return {sliders: panel.querySelectorAll('.noUi-handle').length, choices: panel.querySelectorAll('select').length};
        }""", [run.panel_id, index], what=f"counting the controls of live panel {index} in {run.name}")

    def press_and_time(self, run: NotebookRun, index: int, control: int = 0, kind: str = "slider",
                       timeout_s: float = 10) -> dict:
        """Move slider number ``control`` of live panel ``index`` one step by keyboard (focus its
        handle, press ArrowRight, or ArrowLeft at the maximum), or with kind="choice" pick the next
        option of drop-down ``control``. Returns {"changed": bool, "ms": key press to changed chart}."""
        panel = self.scroll_to_panel(run, index)
        armed = self._evaluate(_ARM_JS, [run.panel_id, index, kind, control], what=f"arming live panel {index}")
        if "error" in armed:
            raise AssertionError(f"{run.name}: live panel {index + 1}: {armed['error']}")
        if kind == "slider":
            slider = self._evaluate(_SLIDER_JS, [run.panel_id, index, control], what=f"reading slider {control}")
            key = "ArrowRight" if slider["now"] < slider["max"] else "ArrowLeft"
            handle = panel.locator(".noUi-handle").nth(control)
            handle.focus()
            handle.press(key)
        else:
            select = panel.locator("select").nth(control)
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.selectedIndex")
            key = options[(current + 1) % len(options)]
            select.select_option(index=(current + 1) % len(options))
        try:
            self.page.wait_for_function("window.__courseRedraw.done", timeout=timeout_s * 1000)
        except Exception:  # playwright TimeoutError: the chart never changed
            self._evaluate("() => window.__courseRedraw.stop()")
        result = self._evaluate("() => ({changed: window.__courseRedraw.changed, ms: window.__courseRedraw.ms})")
        return {**result, "key": key, "kind": kind}

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{label}.png"
        self.page.screenshot(path=str(path))
        return path

    def close_notebook(self, run: NotebookRun, timeout_s: float = SHUTDOWN_TIMEOUT_S) -> None:
        """Shut the notebook's kernel down and close its tab without saving.

        The tab is closed even if the kernel does not shut down within ``timeout_s``;
        then this raises, so a stuck kernel shows as an error instead of a hung job.
        """
        closed = self._evaluate(_CLOSE_JS, [run.panel_id, timeout_s * 1000], timeout_s=timeout_s + 15,
                                what=f"closing {run.name}")
        if closed["shutdown"] not in ("done", "not open"):
            raise RuntimeError(f"{run.name}: {closed['shutdown']}")


# --- what a student sees at a given screen size ---------------------------------------------------

@dataclass(frozen=True)
class ScreenSize:
    """A screen the course must fit: CSS viewport, device pixel ratio, and whether the file browser is open."""

    name: str
    width: int
    height: int
    scale: float
    file_browser: bool


#: A laptop (1280x800, file browser open) and a classroom projector (1024x768 at 125 % zoom: a CSS viewport
#: of 819x614 at 1.25 device pixels per CSS pixel; a teacher closes the file browser to show a notebook).
LAPTOP = ScreenSize("laptop", 1280, 800, 1.0, True)
PROJECTOR = ScreenSize("projector", 819, 614, 1.25, False)
SCREENS = (LAPTOP, PROJECTOR)

#: Everything the page shows that a student could see as garbled maths or cut text, per notebook panel.
_LAYOUT_JS = """(id) => {
  const root = document.getElementById(id);
  const notebook = root.querySelector('.jp-Notebook');
  const limit = notebook.getBoundingClientRect().right + 1;
  const short = e => (e.innerText || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
  const cellOf = e => { const c = e.closest('.jp-Cell'); return c ? Array.from(notebook.querySelectorAll(':scope .jp-Cell')).indexOf(c) : -1; };
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const maths = Array.from(root.querySelectorAll('mjx-container, .MathJax, .MathJax_Display, .MathJax_CHTML'))
    .map(e => ({cell: cellOf(e), text: short(e.closest('.jp-Cell') || e)}));
  const too_wide = [];
  root.querySelectorAll('.jp-OutputArea-output, .jp-MarkdownOutput, .live-panel, .widget-box, .course-table').forEach(e => {
    if (!visible(e)) return;
    const r = e.getBoundingClientRect();
    if (r.right > limit) too_wide.push({cell: cellOf(e), kind: e.className.split(' ')[0], right: Math.round(r.right), limit: Math.round(limit), text: short(e)});
  });
  const scrolls = [];
  root.querySelectorAll('.jp-OutputArea-output, .jp-OutputArea-output *').forEach(e => {
    if (!visible(e) || e.tagName === 'svg' || e.closest('svg')) return;
    const style = getComputedStyle(e);
    if (!['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return;
    if (e.scrollWidth > e.clientWidth + 2) scrolls.push({cell: cellOf(e), tag: e.tagName.toLowerCase(), cls: String(e.className).slice(0, 60),
      scroll: e.scrollWidth, client: e.clientWidth, text: short(e)});
  });
  const cut = [];
  root.querySelectorAll('.live-panel-label, .live-panel-help, .widget-label, .widget-readout, .widget-dropdown select, .widget-toggle-button, .jupyter-button').forEach(e => {
    if (!visible(e)) return;
    if (e.scrollWidth > e.clientWidth + 1) cut.push({cell: cellOf(e), cls: String(e.className).slice(0, 50), text: short(e), scroll: e.scrollWidth, client: e.clientWidth});
  });
  const charts = [];
  root.querySelectorAll('.vega-embed svg.marks').forEach(svg => {
    if (!visible(svg)) return;
    const area = svg.closest('.jp-OutputArea-output') || svg.parentElement;
    const natural = svg.width.baseVal.value;
    const cell = area.getBoundingClientRect();
    const shown = svg.getBoundingClientRect();
    charts.push({cell: cellOf(svg), natural: Math.round(natural), shown: Math.round(shown.width), room: Math.round(cell.width),
                 right: Math.round(shown.right), limit: Math.round(limit), title: (svg.getAttribute('aria-label') || '').slice(0, 60)});
  });
  const solutions = [];
  const answers = [];
  root.querySelectorAll('.jp-OutputArea-output').forEach(e => {
    if (visible(e) && /(✓|✅) Right/.test(e.innerText)) answers.push({cell: cellOf(e), text: short(e)});
  });
  // A closed <details> keeps its content in a content-visibility: hidden slot (Chromium 131+), which still
  // reports a size to getBoundingClientRect: checkVisibility() says whether it is actually drawn.
  const drawn = e => (e.checkVisibility ? e.checkVisibility({checkVisibilityCSS: true, checkOpacity: true})
                                        : visible(e)) && e.getBoundingClientRect().height > 0;
  root.querySelectorAll('.jp-MarkdownOutput details').forEach(d => {
    const pre = d.querySelector('pre, code');
    if (d.open || (pre && drawn(pre))) solutions.push({cell: cellOf(d), text: short(d)});
  });
  return {maths, too_wide, scrolls, cut, charts, answers, solutions,
          notebook_width: Math.round(notebook.getBoundingClientRect().width)};
}"""

_SOLUTION_CELLS_JS = """(id) => {
  const w = window.__course[id];
  const out = [];
  w.content.widgets.forEach((cell, index) => {
    const tags = cell.model.getMetadata('tags') || [];
    if (!tags.includes('solution')) return;
    const node = cell.node;
    const visibleText = node.querySelector('.jp-MarkdownOutput, .jp-OutputArea') ? node.innerText : '';
    out.push({cell: index, type: cell.model.type, rendered: cell.model.type !== 'markdown' || cell.rendered,
              outputs: cell.model.type === 'code' ? cell.model.outputs.length : 0,
              details: node.querySelectorAll('details').length,
              open: Array.from(node.querySelectorAll('details')).some(d => d.open),
              visible_code: Array.from(node.querySelectorAll('details pre')).some(p => p.getClientRects().length && p.offsetHeight > 0
                  && (!p.checkVisibility || p.checkVisibility({checkVisibilityCSS: true, checkOpacity: true}))),
              text: visibleText.trim().replace(/\\s+/g, ' ').slice(0, 100)});
  });
  return out;
}"""


def set_screen(browser: "LabBrowser", screen: ScreenSize) -> None:
    """Resize the page to ``screen`` (CSS viewport and device pixel ratio) and open or close the file browser."""
    session = browser.page.context.new_cdp_session(browser.page)
    try:
        session.send("Emulation.setDeviceMetricsOverride", {"width": screen.width, "height": screen.height,
                                                            "deviceScaleFactor": screen.scale, "mobile": False})
    finally:
        session.detach()
    browser.page.set_viewport_size({"width": screen.width, "height": screen.height})
    browser._evaluate("""async (open) => {
      const app = window.jupyterapp;
      if (open) { app.shell.expandLeft(); app.shell.activateById('filebrowser'); } else { app.shell.collapseLeft(); }
      await new Promise(r => setTimeout(r, 400));
    }""", screen.file_browser, what=f"setting the {screen.name} layout")


def layout(browser: "LabBrowser", run: "NotebookRun") -> dict:
    """What the notebook shows that a student could not read: typeset maths, outputs wider than the notebook,
    elements scrolling sideways, cut labels, charts (natural and shown width), visible answers and solutions."""
    return browser._evaluate(_LAYOUT_JS, run.panel_id, what=f"measuring the layout of {run.name}")


def solution_cells(browser: "LabBrowser", run: "NotebookRun") -> list[dict]:
    """Every cell tagged "solution": its type, outputs, and whether its code or answer is visible."""
    return browser._evaluate(_SOLUTION_CELLS_JS, run.panel_id, what=f"reading the solution cells of {run.name}")


def full_screenshot(browser: "LabBrowser", run: "NotebookRun", screen: ScreenSize, max_height: int = 16000) -> Path:
    """The whole notebook at ``screen``'s width: the viewport is made as tall as the notebook, then restored."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{run.name.removesuffix('.ipynb')}-{screen.name}.png"
    height = browser._evaluate("""(id) => {
      const root = document.getElementById(id);
      const scroller = root.querySelector('.jp-WindowedPanel-outer') || root.querySelector('.jp-Notebook');
      scroller.scrollTop = 0;  // Run All leaves the notebook scrolled to its end
      return scroller.scrollHeight;
    }""", run.panel_id, what="measuring the notebook's height")
    tall = min(max_height, int(height) + 200)
    browser.page.set_viewport_size({"width": screen.width, "height": max(screen.height, tall)})
    try:
        browser.page.wait_for_timeout(600)
        browser._evaluate("""(id) => { const root = document.getElementById(id);
          (root.querySelector('.jp-WindowedPanel-outer') || root.querySelector('.jp-Notebook')).scrollTop = 0; }""",
                          run.panel_id, what="scrolling to the top")
        browser.page.wait_for_timeout(200)
        browser.page.screenshot(path=str(path))
    finally:
        browser.page.set_viewport_size({"width": screen.width, "height": screen.height})
    return path

