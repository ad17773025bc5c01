"""Course performance benchmark (a command, not a test): ``.venv/bin/python -m tests.browser.benchmark``.

Prints, per notebook: kernel start to ready, time to run all cells, and the floor
(kernel start plus the notebook's import statements), each the median of --runs fresh
kernels; per live panel: the Python-side redraw time (``LivePanel.redraw_times_s``,
median and p95, every ``*_panel()`` of ``helpers/*_views.py`` with each control moved
through a few values) and, in headless Chromium, the time from a key press on a
slider to the redrawn chart (median, p95). Then the three targets, each PASS/MISS.

Then chapter 3's simulator: one year hourly for all strategies, the fast version's median
against the plain-Python oracle's in the same run, their ratio and the first call's cost
(``tests/resources_benchmark.py``; ``--simulator-only`` runs just that part).

Options: ``--runs N`` (kernel runs per notebook, default 3), ``--presses N`` (key
presses per panel, default 20), ``--no-browser``, ``--json`` (machine-readable),
``--before`` (kernels without helpers/_startup.py's fixes, for a before/after),
``--simulator-only``.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from tests import resources_benchmark
from tests.browser import jupyterlab_driver as lab

ROOT = lab.ROOT
TARGETS = {"course_vs_floor_ratio_max": 2.0, "python_redraw_median_ms_max": 50.0, "browser_p95_ms_max": 150.0}


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def code_cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]


def import_lines(sources: list[str]) -> str:
    """The notebook's top-level import statements (what a kernel must load before the first cell)."""
    lines = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines += [ast.get_source_segment(source, node) for node in tree.body
                  if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(lines) or "pass"


# --- kernel side ------------------------------------------------------------------------------

def _time_kernel(folder: Path, cells: list[str], env: dict) -> tuple[float, float, list[str]]:
    """Start a fresh kernel, run ``cells``; (start-to-ready s, run s, error names)."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    # stderr=DEVNULL: keep ipykernel's start-up notices out of the printed tables
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(folder), env=env, startup_timeout=120,
                                       stderr=subprocess.DEVNULL)
    ready = time.perf_counter() - started
    errors: list[str] = []
    try:
        started = time.perf_counter()
        for source in cells:
            reply = client.execute_interactive(source, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                errors.append(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
                break
        run = time.perf_counter() - started
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return ready, run, errors


def kernel_timings(notebooks: list[Path], runs: int, before: bool) -> list[dict]:
    env = {**os.environ, "VM_VS_CLOUD_STARTUP_FIXES": "0" if before else "1"}
    rows = []
    for path in notebooks:
        cells = code_cells(path)
        ready, run_all, floor, errors = [], [], [], []
        for _ in range(runs):
            r, run, errs = _time_kernel(path.parent, cells, env)
            ready.append(r)
            run_all.append(run)
            errors += errs
            r, imports, _ = _time_kernel(path.parent, [import_lines(cells)], env)
            floor.append(r + imports)
        rows.append({"notebook": path.name, "kernel_ready_s": statistics.median(ready),
                     "run_all_cells_s": statistics.median(run_all),
                     "ready_plus_run_s": statistics.median(a + b for a, b in zip(ready, run_all)),
                     "floor_s": statistics.median(floor), "errors": sorted(set(errors))})
    return rows


# --- Python-side panel redraws ----------------------------------------------------------------

def _slider_values(item, count: int = 5) -> list[float]:
    steps = round((item.maximum - item.minimum) / item.step)
    picks = sorted({round(i * steps / (count - 1)) for i in range(count)})
    values = [item.minimum + k * item.step for k in picks]
    return [int(v) if item.integer else v for v in values]


def panel_functions() -> list[tuple[str, object]]:
    """Every public ``*_panel`` function of the helpers/*_views.py modules, as (qualified name, function)."""
    found = []
    for module_path in sorted((ROOT / "helpers").glob("*_views.py")):
        module = importlib.import_module(f"helpers.{module_path.stem}")
        names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in names:
            function = getattr(module, name, None)
            if name.endswith("_panel") and inspect.isfunction(function):
                found.append((f"helpers.{module_path.stem}.{name}", function))
    return found


def python_redraws(rounds: int = 3) -> list[dict]:
    """Median and p95 redraw time of every panel, each control swept ``rounds`` times."""
    from helpers.widgets import Slider

    rows = []
    for qualified, function in panel_functions():
        panel = function()
        for _ in range(rounds):  # panels with one or two controls still get enough redraws for a median
            for name, item in panel.parameters.items():
                # sliders: 5 values across the range; other controls: their corner values (all options)
                values = _slider_values(item) if isinstance(item, Slider) else list(item.corner_values())
                for value in values + [item.default]:
                    if panel.controls[name].value != value:
                        panel.controls[name].value = value
        times_ms = [t * 1000 for t in panel.redraw_times_s]
        rows.append({"panel": qualified, "redraws": len(times_ms),
                     "median_ms": statistics.median(times_ms) if times_ms else None,
                     "p95_ms": percentile(times_ms, 0.95) if times_ms else None})
    return rows


# --- browser ----------------------------------------------------------------------------------

def browser_timings(notebook_names: list[str], presses: int) -> tuple[list[dict], list[dict]]:
    server = lab.LabServer()
    notebooks, panels = [], []
    try:
        browser = lab.LabBrowser(server)
        try:
            for name in notebook_names:
                run = browser.open(name)
                browser.run_all(run)
                expected = browser.chart_widgets_in_kernel(run)
                report = browser.render_report(run, expected_charts=expected)
                notebooks.append({"notebook": name, "kernel_ready_s": run.kernel_ready_s,
                                  "run_all_cells_s": run.run_all_s, "charts": report["drawn"],
                                  "errors": [e["ename"] for e in run.errors]})
                for index in range(report["panels"]):
                    controls = browser.panel_controls(run, index)
                    kind = "slider" if controls["sliders"] else "choice"
                    samples, misses = [], 0
                    for _ in range(presses):
                        result = browser.press_and_time(run, index, kind=kind, timeout_s=5)
                        if result["changed"]:
                            samples.append(result["ms"])
                        else:
                            misses += 1
                    panels.append({"notebook": name, "panel": index + 1, "kind": kind, "presses": presses,
                                   "unchanged": misses,
                                   "median_ms": statistics.median(samples) if samples else None,
                                   "p95_ms": percentile(samples, 0.95) if samples else None})
                browser.close_notebook(run)
        finally:
            browser.close()
    finally:
        server.stop()
    return notebooks, panels


# --- report -----------------------------------------------------------------------------------

def _table(title: str, rows: list[dict], columns: list[str]) -> str:
    def cell(value):
        if isinstance(value, float):
            return f"{value:.3f}" if value < 10 else f"{value:.1f}"
        return "-" if value is None or value == [] else str(value)

    widths = [max(len(c), *(len(cell(r.get(c))) for r in rows)) for c in columns] if rows else [len(c) for c in columns]
    lines = [title, "  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell(r.get(c)).ljust(w) for c, w in zip(columns, widths)) for r in rows]
    return "\n".join(lines)


def verdicts(result: dict) -> list[dict]:
    out = []
    kernels = result["notebooks_kernel"]
    if kernels:
        course = sum(r["ready_plus_run_s"] for r in kernels)
        floors = sum(r["floor_s"] for r in kernels)
        ratio = course / floors
        out.append({"target": f"course run <= {TARGETS['course_vs_floor_ratio_max']:g} x sum of floors",
                    "measured": f"{course:.2f} s / {floors:.2f} s = {ratio:.2f} x",
                    "ok": ratio <= TARGETS["course_vs_floor_ratio_max"]})
    medians = [r["median_ms"] for r in result["panels_python"] if r["median_ms"] is not None]
    if medians:
        worst = max(medians)
        out.append({"target": f"every panel's Python redraw median <= {TARGETS['python_redraw_median_ms_max']:g} ms",
                    "measured": f"worst median {worst:.1f} ms", "ok": worst <= TARGETS["python_redraw_median_ms_max"]})
    p95s = [r["p95_ms"] for r in result["panels_browser"] if r["p95_ms"] is not None]
    simulator = result.get("simulator")
    if simulator:
        out.append({"target": f"simulator median <= {resources_benchmark.TARGET_MEDIAN_MS:g} ms and >= "
                              f"{resources_benchmark.TARGET_RATIO:g}x the plain-Python reference",
                    "measured": f"{simulator['fast_median_ms']:.1f} ms, {simulator['ratio']:.1f}x "
                                f"(first call {simulator['first_call_ms']:.1f} ms)", "ok": simulator["ok"]})
    if result["panels_browser"]:
        worst = max(p95s) if p95s else float("inf")
        missing = sum(r["unchanged"] for r in result["panels_browser"])
        out.append({"target": f"browser slider-to-chart p95 <= {TARGETS['browser_p95_ms_max']:g} ms",
                    "measured": f"worst p95 {worst:.1f} ms ({missing} presses changed nothing)",
                    "ok": worst <= TARGETS["browser_p95_ms_max"] and missing == 0})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh kernels per notebook and measure (median)")
    parser.add_argument("--presses", type=int, default=20, help="slider key presses per live panel")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--before", action="store_true",
                        help="kernels with VM_VS_CLOUD_STARTUP_FIXES=0 (no start-up fixes), for comparison")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--simulator-only", action="store_true",
                        help="only chapter 3's simulator: fast vs plain-Python reference, ratio, first call")
    args = parser.parse_args(argv)
    if args.simulator_only:
        simulator = resources_benchmark.simulator_benchmark()
        print(json.dumps(simulator, indent=2) if args.json else resources_benchmark.report(simulator))
        return 0
    if args.before:
        os.environ["VM_VS_CLOUD_STARTUP_FIXES"] = "0"  # the benchmark's own kernels and the JupyterLab ones

    names = lab.notebook_names()
    paths = [lab.NOTEBOOKS / n for n in names]
    started = time.perf_counter()
    result = {"notebooks_kernel": kernel_timings(paths, args.runs, args.before),
              "panels_python": python_redraws(), "notebooks_browser": [], "panels_browser": [],
              "simulator": resources_benchmark.simulator_benchmark()}
    if not args.no_browser:
        missing = lab.missing_browser()
        if missing:
            print(f"browser measurements skipped: {missing}; {lab.ENABLE_HINT}", file=sys.stderr)
        else:
            result["notebooks_browser"], result["panels_browser"] = browser_timings(names, args.presses)
    result["verdicts"] = verdicts(result)
    result["meta"] = {"runs": args.runs, "presses": args.presses, "before": args.before,
                      "cpus": os.cpu_count(), "benchmark_s": time.perf_counter() - started}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(_table(f"Notebooks, fresh kernel (median of {args.runs} runs; seconds)", result["notebooks_kernel"],
                     ["notebook", "kernel_ready_s", "run_all_cells_s", "ready_plus_run_s", "floor_s", "errors"]))
        print()
        print(_table("Live panels, Python-side redraw (LivePanel.redraw_times_s; ms)", result["panels_python"],
                     ["panel", "redraws", "median_ms", "p95_ms"]))
        if result["notebooks_browser"]:
            print()
            print(_table("Notebooks in JupyterLab + Chromium (seconds)", result["notebooks_browser"],
                         ["notebook", "kernel_ready_s", "run_all_cells_s", "charts", "errors"]))
            print()
            print(_table(f"Live panels in Chromium, key press on a slider to redrawn chart (ms, {args.presses} presses)",
                         result["panels_browser"], ["notebook", "panel", "kind", "unchanged", "median_ms", "p95_ms"]))
        print()
        print(resources_benchmark.report(result["simulator"]))
        print()
        print(_table("Targets", [{**v, "ok": "PASS" if v["ok"] else "MISS"} for v in result["verdicts"]],
                     ["target", "measured", "ok"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
