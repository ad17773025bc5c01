"""Classroom load test (a benchmark, not a test): ``.venv/bin/python -m tests.classroom.loadtest``.

For each class size N (default 1, 5, 10, 20) it starts a fresh classroom hub on loopback and N
simulated students at once, each through the hub's REST API and kernel websocket (no browser):
log in, start their server, open a chapter, run all its cells, move a live panel's slider
``--presses`` times, save the notebook. With every student's server and kernel still running it
measures their memory (RSS and PSS, from /proc via psutil), then stops the hub. Optionally
(``--browser``) one more student does the same in headless Chromium at the same time, so the table
also shows what a student sees on screen under that load (its Chromium shares the server's cores,
so those figures are an upper bound).

Reported per N: memory per student server and per kernel (median), hub + proxy memory, time to
the first chart and slider-to-chart (median, p95), failures, and the load average during the run
(the machine may be shared: repeat a noisy size with ``--sizes 10 --repeat 2``). Then a persistence
check: a student's saved notebook survives the idle culler stopping their server and a hub restart.

Everything is bounded: each size has a deadline (``--deadline``, s), each request a timeout; the
script stops its hubs (and so every student server) on exit. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import psutil

from tests.classroom import hub_driver as hd

ARTIFACTS = hd.ROOT / "test-artifacts"
MIB = 1024 * 1024


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class LoadSampler:
    """The 1-minute load average and the machine's used memory, sampled every 2 s in a thread."""

    def __init__(self):
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(2):
            self.loads.append(os.getloadavg()[0])

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(timeout=5)
        return {"load_median": median(self.loads), "load_max": max(self.loads) if self.loads else None}


def _memory(process: psutil.Process) -> tuple[float, float]:
    info = process.memory_full_info()
    return info.rss / MIB, getattr(info, "pss", info.rss) / MIB


def _cpu_s(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def measure_memory(hub: hd.Hub, names: list[str]) -> dict:
    """RSS/PSS (MiB) of each student's server and kernels, and of the hub and its proxy."""
    servers, kernels, hub_procs, cpu = [], [], [], []
    root = psutil.Process(hub.process.pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            command = " ".join(process.cmdline())
            if "jupyterhub-singleuser" in command:
                user = process.environ().get("JUPYTERHUB_USER")
                if user in names:
                    servers.append(_memory(process))
                    seconds = _cpu_s(process)
                    for child in process.children(recursive=True):
                        if "ipykernel" in " ".join(child.cmdline()):
                            kernels.append(_memory(child))
                        seconds += _cpu_s(child)
                    cpu.append(seconds)
            elif process.pid == root.pid or "configurable-http-proxy" in command or "idle_culler" in command:
                hub_procs.append(_memory(process))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {
        "server_rss_mib": median([m[0] for m in servers]), "server_pss_mib": median([m[1] for m in servers]),
        "kernel_rss_mib": median([m[0] for m in kernels]), "kernel_pss_mib": median([m[1] for m in kernels]),
        "servers_seen": len(servers), "kernels_seen": len(kernels),
        # CPU time a student's server and kernel used so far: start, open the chapter, run it, move sliders
        "cpu_s_per_student_median": median(cpu), "cpu_s_per_student_max": max(cpu) if cpu else None,
        "hub_proxy_culler_pss_mib": sum(m[1] for m in hub_procs),
        "students_total_pss_mib": sum(m[1] for m in servers) + sum(m[1] for m in kernels),
    }


def api_student(hub: hd.Hub, name: str, chapter: str, presses: int, deadline: float, done: threading.Event,
                hold: threading.Event) -> dict:
    """One simulated student; keeps their kernel open until ``hold`` is set (so memory can be measured)."""
    result = {"name": name, "ok": False}
    run = None
    try:
        student = hd.Student(hub, name)
        started = time.monotonic()
        if not student.login():
            raise RuntimeError("login refused")
        student.request_token()
        result["login_s"] = time.monotonic() - started
        result["spawn_s"] = student.start_server(timeout_s=max(10, deadline - time.monotonic()))
        run = student.run_notebook(chapter, timeout_s=max(10, deadline - time.monotonic()))
        result.update(kernel_ready_s=run.kernel_ready_s, first_chart_s=run.first_chart_s, run_all_s=run.run_all_s,
                      errors=run.errors)
        if run.errors:
            raise RuntimeError(f"cell error: {run.errors[0]}")
        result["slider_ms"] = [run.move_slider(timeout_s=max(5, min(60, deadline - time.monotonic())))
                               for _ in range(presses)]
        path = f"{hd.COURSE_FOLDER}/{chapter}"
        notebook = student.read_notebook(path)
        notebook["cells"].append(hd.marker_cell(f"{name} saved this under load"))
        student.save_notebook(path, notebook)
        result["ok"] = True
    except Exception as error:  # a failure is a result, counted in the table
        result["error"] = f"{type(error).__name__}: {str(error)[:200]}"
    finally:
        done.set()
        hold.wait(timeout=max(1, deadline - time.monotonic()))
        if run is not None:
            try:
                run.close()
            except Exception:
                pass
    return result


def _hub_lab_browser(lab, hub: hd.Hub, student: hd.Student):
    """tests/browser's LabBrowser, opened on the student's server with their hub login cookies (JupyterHub
    does not take a token in the page URL); the hub's OAuth redirects then log the page in."""

    class HubLabBrowser(lab.LabBrowser):
        def __init__(self):
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            try:
                self.browser = self._playwright.chromium.launch(executable_path=str(lab.CHROMIUM), headless=True,
                                                                args=lab.CHROMIUM_FLAGS)
                self.page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
                self.page.context.add_cookies([{"name": c.name, "value": c.value, "url": f"{hub.url}{c.path or '/'}"}
                                               for c in student.http.cookies])
                self.external_requests, self.console_errors = [], []
                self.page.route(lab._leaves_the_machine, self._refuse_external)
                self.page.goto(f"{hub.url}/user/{student.name}/lab?reset", wait_until="domcontentloaded")
                self.page.wait_for_function("window.jupyterapp !== undefined", timeout=60_000)
                self._evaluate("async () => { await window.jupyterapp.restored; }", timeout_s=60, what="restoring")
            except BaseException:
                self.close()
                raise

    return HubLabBrowser()


def browser_student(hub: hd.Hub, name: str, chapter: str, presses: int, deadline: float) -> dict:
    """One student in headless Chromium: log in through the form, open the chapter, run all, move a slider."""
    from tests.browser import jupyterlab_driver as lab

    result = {"name": name, "ok": False, "browser": True}
    student = hd.Student(hub, name)
    try:
        if not student.login():
            raise RuntimeError("login refused")
        student.request_token()
        student.start_server(timeout_s=max(10, deadline - time.monotonic()))

        browser = _hub_lab_browser(lab, hub, student)
        try:
            opened = time.monotonic()
            run = browser.open(f"{hd.COURSE_FOLDER}/{chapter}")
            browser._evaluate(lab._RUN_ALL_JS, run.panel_id, timeout_s=max(10, deadline - time.monotonic()),
                              what="run all")
            first_chart = None
            while time.monotonic() < deadline:
                report = browser._evaluate(lab._RENDER_REPORT_JS, run.panel_id, what="charts")
                if report["drawn"] >= 1 and first_chart is None:
                    first_chart = time.monotonic() - opened
                state = browser._evaluate(lab._STATE_JS, run.panel_id, what="cells")
                if state["kernel"] == "idle" and state["pending"] == 0 and state["done"] == state["code"]:
                    break
                time.sleep(0.1)
            result["first_chart_s"] = first_chart
            result["run_all_s"] = time.monotonic() - opened
            report = browser.render_report(run, expected_charts=1, timeout_s=30)
            result["slider_ms"] = []
            for _ in range(presses):
                pressed = browser.press_and_time(run, 0, timeout_s=10)
                if pressed["changed"]:
                    result["slider_ms"].append(pressed["ms"])
            result["ok"] = first_chart is not None and len(result["slider_ms"]) == presses and not report["js_errors"]
            browser.close_notebook(run)
        finally:
            browser.close()
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {str(error)[:200]}"
    return result


def one_size(size: int, chapter: str, presses: int, deadline_s: float, with_browser: bool) -> dict:
    names = [f"student{i:02d}" for i in range(1, size + 1)]
    # the browser student's JupyterLab exposes window.jupyterapp, which tests/browser's driver scripts use
    hub = hd.Hub(names + (["browser"] if with_browser else []),
                 extra_args=["--lab-arg=--LabApp.expose_app_in_browser=True"] if with_browser else [])
    sampler = LoadSampler()
    started = time.monotonic()
    deadline = started + deadline_s
    hold = threading.Event()
    try:
        dones = [threading.Event() for _ in names]
        with ThreadPoolExecutor(size + 1) as pool:
            try:
                futures = [pool.submit(api_student, hub, n, chapter, presses, deadline, d, hold)
                           for n, d in zip(names, dones)]
                probe = (pool.submit(browser_student, hub, "browser", chapter, presses, deadline)
                         if with_browser else None)
                for done in dones:
                    done.wait(timeout=max(0.1, deadline - time.monotonic()))
                wall_s = time.monotonic() - started
                memory = measure_memory(hub, names)  # every student's server and kernel still running
            finally:
                hold.set()  # also on an interruption: the students' threads must not wait for the deadline
            wait(futures + ([probe] if probe else []), timeout=max(1, deadline - time.monotonic() + 30))
            results = [f.result() if f.done() else {"ok": False, "error": "did not finish by the deadline"}
                       for f in futures]
            browser = (probe.result() if probe.done() else {"ok": False, "error": "deadline"}) if probe else None
    finally:
        load = sampler.stop()
        hub.stop()
    saved = sum(f"{n} saved this under load" in (hub.student_home(n) / hd.COURSE_FOLDER / chapter)
                .read_text(encoding="utf-8") for n in names if (hub.student_home(n) / hd.COURSE_FOLDER / chapter).exists())
    hub.cleanup()
    ok = [r for r in results if r["ok"]]
    sliders = [ms for r in ok for ms in r.get("slider_ms", [])]
    row = {
        "students": size, "ok": len(ok), "failures": size - len(ok),
        "errors": sorted({r.get("error", "") for r in results if not r["ok"]})[:3],
        "saved_files_found_after_stop": saved, "wall_s": wall_s,
        "spawn_median_s": median([r["spawn_s"] for r in ok]),
        "first_chart_median_s": median([r["first_chart_s"] for r in ok if r.get("first_chart_s")]),
        "first_chart_p95_s": percentile([r["first_chart_s"] for r in ok if r.get("first_chart_s")], 0.95),
        "run_all_median_s": median([r["run_all_s"] for r in ok]),
        "slider_median_ms": median(sliders), "slider_p95_ms": percentile(sliders, 0.95),
        **memory, **load,
    }
    if browser is not None:
        row.update(browser_ok=browser["ok"], browser_error=browser.get("error"),
                   browser_first_chart_s=browser.get("first_chart_s"),
                   browser_slider_median_ms=median(browser.get("slider_ms", [])),
                   browser_slider_p95_ms=percentile(browser.get("slider_ms", []), 0.95))
    return row


def persistence_check(chapter: str, timeout_s: float = 180) -> dict:
    """A saved notebook survives the idle culler stopping the server, then a hub restart."""
    hub = hd.Hub(["kim"], extra_args=["--cull-timeout", "15", "--cull-every", "5", "--activity-interval", "5"])
    try:
        student = hd.Student(hub, "kim")
        assert student.login()
        student.request_token()
        student.start_server()
        path = f"{hd.COURSE_FOLDER}/{chapter}"
        notebook = student.read_notebook(path)
        notebook["cells"].append(hd.marker_cell("kim's work before the cull"))
        student.save_notebook(path, notebook)
        waited = time.monotonic()
        while student.server_running():  # nobody touches the server: the culler must stop it
            if time.monotonic() - waited > timeout_s:
                return {"culled": False, "error": f"the idle culler did not stop the server within {timeout_s} s"}
            time.sleep(2)
        culled_after_s = time.monotonic() - waited
        hub.restart()
        again = hd.Student(hub, "kim", student.password)
        assert again.login(), "kim's password did not survive the restart"
        again.request_token()
        again.start_server()
        kept = "kim's work before the cull" in hd.cell_texts(again.read_notebook(path))
        return {"culled": True, "culled_after_idle_s": round(culled_after_s, 1), "saved_work_kept": kept}
    finally:
        hub.cleanup()


def _fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:.{digits}f}"


def table(rows: list[dict]) -> str:
    lines = ["| students | ok / failed | server PSS (RSS) MiB | kernel PSS (RSS) MiB | hub+proxy PSS MiB | "
             "CPU s per student | first chart median / p95 (s) | slider to chart median / p95 (ms) | browser: first chart (s), "
             "slider median / p95 (ms) | load avg median / max |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        browser = "-"
        if "browser_ok" in r:
            browser = (f"{_fmt(r['browser_first_chart_s'], 1)}, {_fmt(r['browser_slider_median_ms'])} / "
                       f"{_fmt(r['browser_slider_p95_ms'])}" if r["browser_ok"] else f"failed: {r['browser_error']}")
        lines.append(
            f"| {r['students']} | {r['ok']} / {r['failures']} | {_fmt(r['server_pss_mib'])} ({_fmt(r['server_rss_mib'])}) | "
            f"{_fmt(r['kernel_pss_mib'])} ({_fmt(r['kernel_rss_mib'])}) | {_fmt(r['hub_proxy_culler_pss_mib'])} | "
            f"{_fmt(r['cpu_s_per_student_median'], 1)} | "
            f"{_fmt(r['first_chart_median_s'], 1)} / {_fmt(r['first_chart_p95_s'], 1)} | "
            f"{_fmt(r['slider_median_ms'])} / {_fmt(r['slider_p95_ms'])} | {browser} | "
            f"{_fmt(r['load_median'], 1)} / {_fmt(r['load_max'], 1)} |")
    return "\n".join(lines)


def sizing(rows: list[dict], cores: int, memory_gib: float, kernels_per_student: int = 2) -> dict:
    """The sizing rule from the measurements.

    Memory: a student needs their server plus one kernel per open chapter (``kernels_per_student``), PSS,
    the largest median of any class size; 1 GiB stays for the system, hub and proxy. CPU: the CPU time
    one student's start costs (login to a finished chapter with slider moves) gives the students one core
    brings to work per minute when a class starts together; and the measured class size up to which the
    median time to the first chart stays within twice the single student's.
    """
    ok_rows = [r for r in rows if r["server_pss_mib"] and r["kernel_pss_mib"]]
    if not ok_rows:
        return {}
    server = max(r["server_pss_mib"] for r in ok_rows)
    kernel = max(r["kernel_pss_mib"] for r in ok_rows)
    per_student_mib = server + kernels_per_student * kernel
    cpu_s = max(r["cpu_s_per_student_median"] for r in ok_rows if r.get("cpu_s_per_student_median"))
    base = min(ok_rows, key=lambda r: r["students"])["first_chart_median_s"]
    responsive = [r["students"] for r in ok_rows
                  if r["failures"] == 0 and r["first_chart_median_s"] and r["first_chart_median_s"] <= 2 * base]
    return {"server_pss_mib": round(server), "kernel_pss_mib": round(kernel), "kernels_per_student": kernels_per_student,
            "per_student_mib": round(per_student_mib), "students_per_gib": round(1024 / per_student_mib, 1),
            "by_memory": int((memory_gib * 1024 - 1024) // per_student_mib),
            "cpu_s_per_student_start": round(cpu_s, 1),
            "students_started_per_core_minute": round(60 / cpu_s, 1),
            "largest_class_within_2x_first_chart": max(responsive) if responsive else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.classroom.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,5,10,20", help="class sizes to run, comma-separated (max 40)")
    parser.add_argument("--chapter", default="05_cost.ipynb")
    parser.add_argument("--presses", type=int, default=5, help="slider moves per student")
    parser.add_argument("--deadline", type=float, default=600, help="seconds allowed per class size")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the table shows each)")
    parser.add_argument("--browser", action="store_true", help="add one student in headless Chromium per size")
    parser.add_argument("--no-persistence", action="store_true", help="skip the cull + restart check")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups: stop the hubs started here
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or any(not 1 <= s <= 40 for s in sizes):
        parser.error("--sizes must be whole numbers from 1 to 40")
    missing = hd.missing()
    if missing:
        print(f"cannot start the hub: {missing}")
        return 2
    rows = []
    for size in sizes:
        for attempt in range(args.repeat):
            print(f"… {size} students (run {attempt + 1}/{args.repeat})", flush=True)
            rows.append(one_size(size, args.chapter, args.presses, args.deadline, args.browser))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    persistence = None if args.no_persistence else persistence_check(args.chapter)
    cores, memory_gib = psutil.cpu_count(), psutil.virtual_memory().total / 1024**3
    result = {"chapter": args.chapter, "presses": args.presses, "cores": cores, "memory_gib": round(memory_gib, 1),
              "rows": rows, "persistence": persistence, "sizing": sizing(rows, cores, memory_gib),
              "date": time.strftime("%Y-%m-%d %H:%M")}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "classroom-load.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"\nChapter {args.chapter}, {args.presses} slider moves per student; {cores} cores, {memory_gib:.0f} GiB "
          f"({result['date']})\n")
    print(table(rows))
    print(f"\nPersistence: {persistence}")
    print(f"Sizing: {result['sizing']}")
    print(f"(JSON: {ARTIFACTS / 'classroom-load.json'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
