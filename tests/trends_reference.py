"""Independent oracles for the cold-start model of ``helpers.trends`` (used by tests/test_trends.py only).

* :func:`no_rise_exact`: P_k(the busy count stays at or below k for ``keep_alive_s``) for the birth-death
  chain (birth ``arrival``, death ``k x service``), from the matrix exponential of its sub-generator on
  {0..k} (eigen-decomposition with numpy): no Laplace transform, no Talbot contour.
* :func:`cold_share_exact`: the model's sum with that oracle.
* :func:`simulate_cold_share`: request by request, the platform as the model describes it (pre-warmed
  environments used first, then the most recently used idle one; an idle environment is reclaimed after
  ``keep_alive_s``; a burst's requests arrive together), with Poisson arrivals and exponential or fixed handler
  times, and optionally the cold start's own duration counted as busy time. Seeded, plain Python loops.
"""

from __future__ import annotations

import heapq
import math

import numpy as np


def no_rise_exact(arrival: float, service: float, keep_alive_s: float, k: int) -> float:
    """P(no rise from k to k+1 within ``keep_alive_s``), starting at k, by the matrix exponential."""
    n = k + 1
    generator = np.zeros((n, n))
    for i in range(n):
        generator[i, i] = -(arrival + i * service)
        if i + 1 < n:
            generator[i, i + 1] = arrival
        if i >= 1:
            generator[i, i - 1] = i * service
    values, vectors = np.linalg.eig(generator)
    exponential = vectors @ np.diag(np.exp(values * keep_alive_s)) @ np.linalg.inv(vectors)
    return float(np.real(exponential[k].sum()))


def cold_share_exact(rate_per_s: float, keep_alive_s: float, handler_s: float, prewarmed: int = 0,
                     burst: int = 1) -> float:
    """The model's share of cold requests, summed with :func:`no_rise_exact`."""
    arrival = rate_per_s / burst
    mean_busy = arrival * handler_s
    levels = int(mean_busy + 10 * math.sqrt(mean_busy) + 25)
    total = 0.0
    for k in range(levels + 1):
        weight = math.exp(-mean_busy + k * math.log(mean_busy) - math.lgamma(k + 1))
        if weight < 1e-18:
            continue
        cold = min(max(burst * (k + 1) - max(prewarmed, burst * k), 0), burst) / burst
        if cold:
            total += weight * no_rise_exact(arrival, 1 / handler_s, keep_alive_s, k) * cold
    return total


def simulate_cold_share(rate_per_s: float, keep_alive_s: float, handler_s: float, *, prewarmed: int = 0,
                        burst: int = 1, requests: int = 100_000, seed: int = 0, fixed_handler: bool = False,
                        cold_start_s: float = 0.0) -> float:
    """Share of requests that found no warm environment, in a request-by-request simulation."""
    rng = np.random.default_rng(seed)
    bursts = requests // burst
    arrivals = np.cumsum(rng.exponential(burst / rate_per_s, bursts))
    handler = np.full(bursts * burst, handler_s) if fixed_handler else rng.exponential(handler_s, bursts * burst)
    busy: list[tuple[float, str]] = []   # (finish time, "p" for pre-warmed or "o" for on-demand)
    free_prewarmed = prewarmed
    idle: list[float] = []               # on-demand environments: the time each became idle, oldest first
    cold = 0
    index = 0
    for now in arrivals:
        while busy and busy[0][0] <= now:
            finish, kind = heapq.heappop(busy)
            if kind == "p":
                free_prewarmed += 1
            else:
                idle.append(finish)
        idle.sort()
        idle = [since for since in idle if now - since <= keep_alive_s]
        for _ in range(burst):
            duration = handler[index]
            index += 1
            if free_prewarmed:
                free_prewarmed -= 1
                heapq.heappush(busy, (now + duration, "p"))
            elif idle:
                idle.pop()  # the most recently used
                heapq.heappush(busy, (now + duration, "o"))
            else:
                cold += 1
                heapq.heappush(busy, (now + duration + cold_start_s, "o"))
    return cold / (bursts * burst)
