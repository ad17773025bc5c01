"""Speed of chapter 3's simulator: the fast version against the plain-Python oracle, in the same run.

``.venv/bin/python -m tests.resources_benchmark`` (also part of ``make benchmark``) prints:

* **fast**: ``helpers.resources.simulate`` on the default year (8,760 hours, all five
  strategies, the summary included), median of ``runs`` calls after one warm-up;
* **reference**: ``tests.resources_reference.simulate`` (plain Python loops) on the same
  input, median of ``max(3, runs // 4)`` calls, interleaved with the fast ones so that
  both see the same machine load;
* the **ratio** of the two medians (target: at least 10x) and the fast median against the
  20 ms target;
* the **first-call cost**: in a fresh Python process, the first ``simulate`` call after the
  imports, against that process's median (no compiled code, so only caches warming up).

The machine is shared, so only medians and ratios measured together mean anything.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

TARGET_MEDIAN_MS = 20.0
TARGET_RATIO = 10.0

_FIRST_CALL = """
import json, statistics, time
from helpers import resources
demand = resources.demand_year(); forecast = resources.demand_forecast()
started = time.perf_counter(); resources.simulate(demand, forecast); first = time.perf_counter() - started
times = []
for _ in range(15):
    started = time.perf_counter(); resources.simulate(demand, forecast); times.append(time.perf_counter() - started)
print(json.dumps({"first_ms": first * 1e3, "median_ms": statistics.median(times) * 1e3}))
"""


def first_call() -> dict:
    """First call and median in a fresh interpreter (imports excluded from both)."""
    reply = subprocess.run([sys.executable, "-c", _FIRST_CALL], capture_output=True, text=True, check=True)
    return json.loads(reply.stdout.strip().splitlines()[-1])


def simulator_benchmark(runs: int = 41) -> dict:
    from helpers import resources
    from tests import resources_reference

    simulation = resources.simulate_year()
    demand, forecast = simulation.demand, simulation.forecast
    demand_list, forecast_list = demand.tolist(), forecast.tolist()
    resources.simulate(demand, forecast)  # warm-up
    fast, slow = [], []
    every = max(1, runs // max(3, runs // 4))
    for index in range(runs):
        started = time.perf_counter()
        resources.simulate(demand, forecast)
        fast.append(time.perf_counter() - started)
        if index % every == 0:
            started = time.perf_counter()
            resources_reference.simulate(demand_list, forecast_list, simulation.settings)
            slow.append(time.perf_counter() - started)
    fast_ms, slow_ms = statistics.median(fast) * 1e3, statistics.median(slow) * 1e3
    fresh = first_call()
    return {"hours": int(demand.size), "strategies": len(resources.STRATEGIES), "fast_runs": len(fast),
            "reference_runs": len(slow), "fast_median_ms": fast_ms, "reference_median_ms": slow_ms,
            "ratio": slow_ms / fast_ms, "first_call_ms": fresh["first_ms"],
            "fresh_process_median_ms": fresh["median_ms"],
            "ok": fast_ms <= TARGET_MEDIAN_MS and slow_ms / fast_ms >= TARGET_RATIO}


def report(result: dict) -> str:
    return (f"Chapter 3 simulator, one year hourly ({result['hours']:,} steps) x {result['strategies']} strategies:\n"
            f"  fast (helpers.resources.simulate)       median {result['fast_median_ms']:7.2f} ms "
            f"over {result['fast_runs']} runs (target <= {TARGET_MEDIAN_MS:g} ms)\n"
            f"  reference (plain Python, the oracle)    median {result['reference_median_ms']:7.2f} ms "
            f"over {result['reference_runs']} runs\n"
            f"  ratio                                   {result['ratio']:7.1f} x (target >= {TARGET_RATIO:g} x)\n"
            f"  first call in a fresh process           {result['first_call_ms']:7.2f} ms "
            f"(that process's median {result['fresh_process_median_ms']:.2f} ms; no compiled code)\n"
            f"  {'PASS' if result['ok'] else 'MISS'}")


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.resources_benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=41, help="fast-version runs (the reference runs a quarter)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = simulator_benchmark(args.runs)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
