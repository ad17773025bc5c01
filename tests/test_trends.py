"""Chapter 8's model (helpers.trends): known answers, properties, two independent oracles, and the data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import architecture, history, performance, startup
from helpers import trends
from helpers.claims import claims_for
from helpers.data import SCHEMAS, load
from tests.trends_reference import cold_share_exact, no_rise_exact, simulate_cold_share

# -------------------------------------------------------------------------------------------- known answers


def test_low_traffic_share_is_the_chance_of_no_request_in_keep_alive_plus_handler():
    # exercise 1: one request every 15 minutes, 10-minute keep-alive, 0.2 s handler: exp(-600.2 / 900)
    share = trends.cold_start_share(rate_per_s=1 / 900, keep_alive_s=600, handler_s=0.2)
    assert share == pytest.approx(math.exp(-600.2 / 900), rel=1e-3)
    assert share == pytest.approx(0.5135, abs=5e-4)


def test_no_keep_alive_makes_every_request_cold_and_enough_prewarmed_makes_none():
    assert trends.cold_start_share(rate_per_s=5, keep_alive_s=0, handler_s=0.1) == pytest.approx(1.0)
    # m = 0.5 busy on average: the chance of needing more than 30 at once is far below 1e-12
    assert trends.cold_start_share(rate_per_s=5, keep_alive_s=0, handler_s=0.1, prewarmed=30) < 1e-12


def test_bursts_are_counted_as_one_arrival_of_several_requests():
    # low traffic, bursts of 10 every 10 minutes on average: cold iff no burst in keep-alive + handler
    share = trends.cold_start_share(rate_per_s=10 / 600, keep_alive_s=120, handler_s=0.3, burst=10)
    assert share == pytest.approx(math.exp(-120.3 / 600), rel=0.01)
    # 4 pre-warmed environments take 4 of the 10 requests of a burst that arrives after a quiet spell
    with_four = trends.cold_start_share(rate_per_s=10 / 600, keep_alive_s=120, handler_s=0.3, burst=10, prewarmed=4)
    assert with_four == pytest.approx(0.6 * math.exp(-120.3 / 600), rel=0.01)


def test_exercise_answers():
    assert trends.cold_start_share(rate_per_s=1 / 900, keep_alive_s=600, handler_s=0.2) * 100 == pytest.approx(
        51.35, abs=0.01)
    # the p99 is warm once at most 1 % are cold: close to ln(100) / (T + S) requests per second
    rate = trends.rate_for_cold_share(0.01, keep_alive_s=600, handler_s=0.1)
    assert rate * 3600 == pytest.approx(math.log(100) / 600.1 * 3600, rel=0.03)
    assert rate * 3600 == pytest.approx(28.11, abs=0.01)
    assert trends.cold_start_share(rate_per_s=rate, keep_alive_s=600, handler_s=0.1) == pytest.approx(0.01, rel=1e-4)
    assert trends.prewarmed_needed(0.01, rate_per_s=10 / 60, keep_alive_s=120, handler_s=0.3, burst=10) == 10


def test_summary_turns_the_share_into_cold_starts_and_a_p99():
    summary = trends.cold_start_summary(rate_per_s=1 / 900, keep_alive_s=600, handler_s=0.2, cold_start_s=0.242,
                                        cold_start_low_s=0.106, cold_start_high_s=0.793)
    assert summary["requests_per_day"] == pytest.approx(96)
    assert summary["cold_per_day"] == pytest.approx(96 * summary["cold_share"])
    assert summary["mean_latency_s"] == pytest.approx(0.2 + summary["cold_share"] * 0.242)
    assert (summary["p99_low_s"], summary["p99_s"], summary["p99_high_s"]) == pytest.approx((0.306, 0.442, 0.993))
    warm = trends.cold_start_summary(rate_per_s=1, keep_alive_s=600, handler_s=0.2, cold_start_s=3.0)
    assert warm["cold_share"] < 0.01 and warm["p99_s"] == 0.2 and warm["p99_high_s"] == 0.2
    assert warm["cold_from_percentile"] == pytest.approx(100 * (1 - warm["cold_share"]))


def test_latency_quantile_switches_when_the_cold_share_passes_one_percent():
    assert trends.latency_quantile(0.99, cold_share=0.0101, handler_s=0.1, cold_start_s=0.5) == pytest.approx(0.6)
    assert trends.latency_quantile(0.99, cold_share=0.01, handler_s=0.1, cold_start_s=0.5) == pytest.approx(0.1)
    assert trends.latency_quantile(0.5, cold_share=0.6, handler_s=0.1, cold_start_s=0.5) == pytest.approx(0.6)


# -------------------------------------------------------------------------------------------------- oracles

@pytest.mark.parametrize("arrival, service, keep_alive, k", [(1, 10, 5, 0), (1, 10, 5, 1), (5, 2, 3, 4), (10, 10, 30, 3),
                                                             (10, 1, 60, 15), (0.01, 5, 600, 2), (100, 20, 1, 8)])
def test_talbot_inversion_matches_the_matrix_exponential(arrival, service, keep_alive, k):
    probabilities = trends._no_rise_probabilities(np.array([float(arrival)]), service, keep_alive, k)
    assert probabilities[k, 0] == pytest.approx(no_rise_exact(arrival, service, keep_alive, k), abs=1e-9)


@pytest.mark.parametrize("settings", [
    dict(rate_per_s=0.5, keep_alive_s=60, handler_s=0.5),
    dict(rate_per_s=10, keep_alive_s=5, handler_s=0.1),
    dict(rate_per_s=5, keep_alive_s=2, handler_s=0.4, prewarmed=1),
    dict(rate_per_s=1, keep_alive_s=10, handler_s=0.5, burst=3),
    dict(rate_per_s=20, keep_alive_s=1, handler_s=0.2, prewarmed=3),
    dict(rate_per_s=0.3, keep_alive_s=600, handler_s=0.1),
])
def test_the_sum_matches_the_oracle_sum(settings):
    assert trends.cold_start_share(**settings) == pytest.approx(cold_share_exact(**settings), abs=1e-9)


@pytest.mark.parametrize("settings, tolerance", [
    (dict(rate_per_s=0.01, keep_alive_s=60, handler_s=0.1), 0.02),
    (dict(rate_per_s=1, keep_alive_s=10, handler_s=0.5), 0.15),
    (dict(rate_per_s=10, keep_alive_s=5, handler_s=0.1), 0.15),
    (dict(rate_per_s=5, keep_alive_s=2, handler_s=0.4, prewarmed=1), 0.1),
    (dict(rate_per_s=20, keep_alive_s=1, handler_s=0.2, prewarmed=3), 0.1),
    (dict(rate_per_s=0.01, keep_alive_s=60, handler_s=0.1, burst=5), 0.02),
    (dict(rate_per_s=0.1, keep_alive_s=30, handler_s=1.0, burst=10), 0.03),
])
def test_a_request_by_request_simulation_agrees(settings, tolerance):
    """The model's stated platform (pre-warmed first, then the most recently used environment), simulated.

    Tolerance: sampling noise (100,000 requests), and for bursts the model's equal handler times within a
    burst (the simulation draws one per request; the docstring says the model overstates by up to ~20 %).
    """
    model = trends.cold_start_share(**settings)
    simulated = simulate_cold_share(**settings, requests=100_000, seed=3)
    assert simulated == pytest.approx(model, rel=tolerance, abs=3e-4)


def test_the_stated_omissions_are_what_the_docstring_says():
    # fixed handler times instead of exponential ones: about the same share
    for settings in (dict(rate_per_s=1, keep_alive_s=60, handler_s=0.1), dict(rate_per_s=0.01, keep_alive_s=60,
                                                                               handler_s=0.1)):
        assert simulate_cold_share(**settings, fixed_handler=True, seed=1) == pytest.approx(
            trends.cold_start_share(**settings), rel=0.05, abs=3e-4)
    # counting the cold start's own time as busy adds cold starts: the model is a floor, close when T >> cold start
    settings = dict(rate_per_s=0.05, keep_alive_s=60, handler_s=0.2)
    model = trends.cold_start_share(**settings)
    ratios = {ratio: simulate_cold_share(**settings, cold_start_s=60 / ratio, requests=200_000, seed=5) / model
              for ratio in (100, 10, 2)}
    assert 0.97 < ratios[100] < 1.06
    assert 1.05 < ratios[10] < 1.25
    assert 1.5 < ratios[2] < 2.1
    # recycling environments every few hours adds about handler / lifetime
    assert 0.1 / 7200 < 1e-4


# ----------------------------------------------------------------------------------------------- properties

RATES = np.geomspace(1 / 86400, 100, 30)


@pytest.mark.parametrize("handler_s", [0.01, 0.1, 1.0])
def test_shares_are_between_0_and_1_and_fall_with_longer_keep_alive(handler_s):
    previous = None
    for keep_alive in (0, 1, 10, 60, 600, 3600):
        shares = trends.cold_start_shares(RATES, keep_alive_s=keep_alive, handler_s=handler_s)
        assert ((shares >= 0) & (shares <= 1)).all()
        if previous is not None:
            assert (shares <= previous + 1e-12).all()
        previous = shares


def test_more_prewarmed_environments_never_add_cold_starts():
    shares = [trends.cold_start_shares(RATES, keep_alive_s=60, handler_s=0.5, prewarmed=p, burst=3)
              for p in range(0, 8)]
    for fewer, more in zip(shares, shares[1:]):
        assert (more <= fewer + 1e-12).all()


def test_low_traffic_falls_with_the_rate_but_concurrency_peaks_can_add_cold_starts_back():
    """What the notebook says: idle gaps dominate at low rates; at higher rates a new peak of concurrency needs
    a new environment, so the share is not monotone in the rate."""
    shares = trends.cold_start_shares([1 / 3600, 0.001, 0.01, 0.1, 0.3], keep_alive_s=600, handler_s=0.1)
    assert shares[0] > shares[1] > shares[2]
    assert shares[3] > shares[4] and shares[3] > shares[2]


def test_the_vector_and_the_scalar_agree():
    shares = trends.cold_start_shares(RATES, keep_alive_s=300, handler_s=0.2, prewarmed=2, burst=2)
    for rate, share in zip(RATES[::7], shares[::7]):
        assert trends.cold_start_share(rate_per_s=rate, keep_alive_s=300, handler_s=0.2, prewarmed=2,
                                       burst=2) == pytest.approx(share, abs=1e-12)


@pytest.mark.parametrize("call, name", [
    (lambda: trends.cold_start_share(rate_per_s=0, keep_alive_s=1, handler_s=1), "rate_per_s"),
    (lambda: trends.cold_start_shares([1.0, -1.0], keep_alive_s=1, handler_s=1), "rates_per_s"),
    (lambda: trends.cold_start_shares([0.0], keep_alive_s=1, handler_s=1), "rates_per_s"),
    (lambda: trends.cold_start_share(rate_per_s=1000, keep_alive_s=1, handler_s=900), "handler_s"),
    (lambda: trends.cold_start_share(rate_per_s=1, keep_alive_s=True, handler_s=1), "keep_alive_s"),
    (lambda: trends.cold_start_share(rate_per_s=1, keep_alive_s=1, handler_s=1, prewarmed=1.5), "prewarmed"),
    (lambda: trends.cold_start_share(rate_per_s=1, keep_alive_s=1, handler_s=1, burst=0), "burst"),
    (lambda: trends.cold_start_summary(rate_per_s=1, keep_alive_s=1, handler_s=1, cold_start_s=1,
                                       cold_start_low_s=2), "cold_start_low_s"),
    (lambda: trends.cold_start_summary(rate_per_s=1, keep_alive_s=1, handler_s=1, cold_start_s=1,
                                       cold_start_high_s=0.5), "cold_start_high_s"),
    (lambda: trends.rate_for_cold_share(1e-12, keep_alive_s=600, handler_s=0.1, max_rate_per_s=0.001),
     "target_share"),
    (lambda: trends.prewarmed_needed(0.0, rate_per_s=1, keep_alive_s=0, handler_s=1, max_prewarmed=2),
     "max_prewarmed"),
    (lambda: trends.startup_figure("no-such-figure"), "startup_id"),
    (lambda: trends.trend_events(["no-such-trend"]), "trends"),
    (lambda: trends.convergence_table(["no-such-series"]), "series"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_a_mean_concurrency_beyond_the_limit_is_refused_with_both_inputs_named():
    with pytest.raises(ValueError, match="rates_per_s / burst x handler_s"):
        trends.cold_start_shares([1000.0], keep_alive_s=10, handler_s=10)


# ------------------------------------------------------------------------------------ convergence (reuse)

def test_interface_counts_come_from_chapter_2():
    summary = trends.convergence_summary().set_index("series_id")
    chapter2 = architecture.interface_summary().set_index("platform")
    assert summary.loc["containers_on_host", "entry_points"] == chapter2.loc["containers_on_host",
                                                                             "direct_entry_points"] == 291
    assert summary.loc["microvm", ["entry_points", "step"]].tolist() == [10, 1]
    assert summary.loc["gvisor_sandbox", ["entry_points", "step"]].tolist() == [96, 2]
    assert summary.loc["containers_in_vms", ["entry_points", "step"]].tolist() == [8, 2]
    assert summary.loc["type1_hypervisor", ["entry_points", "step"]].tolist() == [10, 1]
    assert summary.loc["process", "entry_points"] == len(architecture.syscall_profile("linux_x86_64",
                                                                                      implemented_only=True)) == 346


def test_start_up_figures_and_crossings_come_from_chapters_4_and_3s_files():
    table = trends.convergence_table()
    figures = trends.startup_figures().set_index("startup_id")
    for row in table.itertuples():
        assert row.time_s == figures.loc[row.startup_id, "time_s"]
    rungs = performance.latency_ladder().set_index("rung_id")["latency_us"]
    summary = trends.convergence_summary().set_index("series_id")
    assert summary.loc["containers_on_host", "crossing_us"] == rungs["syscall"]
    assert summary.loc["microvm", "crossing_us"] == rungs["vm-exit-cpuid"]
    assert math.isnan(summary.loc["gvisor_sandbox", "crossing_us"])
    assert summary.loc["microvm", "fastest_s"] == pytest.approx(trends.startup_figure("unikraft-boot-2021")["time_s"])
    assert summary.loc["type1_hypervisor", "fastest_s"] == startup.startup_time_s("gce-2018-8vcpu") == 23


def test_every_start_up_figure_is_charted_or_left_out_with_a_reason():
    ids = set(trends.startup_figures()["startup_id"])
    used = {i for series in trends.SERIES for i in series.startup_ids}
    assert used <= ids
    assert ids - used == set(trends.EXCLUDED_FIGURES)
    assert all(reason.strip() for reason in trends.EXCLUDED_FIGURES.values())


def test_the_added_start_up_figures_use_chapter_4s_schema_and_stay_out_of_its_file():
    assert SCHEMAS["trend_startups"].columns == SCHEMAS["startup_times"].columns
    added = load("trend_startups")
    assert not set(added["startup_id"]) & set(startup.startup_times()["startup_id"])
    assert (added["time_s"] - np.sqrt(added["low_s"] * added["high_s"])).abs().max() < 1e-3
    assert trends.startup_figure("gvisor-runsc-create-start")["low_s"] == 0.081
    assert trends.startup_figure("unikraft-boot-2021")["high_s"] == 0.04


# ------------------------------------------------------------------------------------------- trend events

def test_trend_events_reuse_chapter_1_by_id_and_add_no_duplicate():
    events = trends.trend_events()
    timeline = history.timeline().set_index("event_id")
    own = load("trend_events")
    assert events["event_id"].is_unique
    assert not set(own["event_id"]) & set(timeline.index)
    assert set(trends.TIMELINE_TRENDS) <= set(timeline.index)
    for row in events[events["from_file"] == "timeline.csv"].itertuples():
        assert row.event == timeline.loc[row.event_id, "event"]
    assert events["date"].is_monotonic_increasing
    assert set(events["trend"]) == set(trends.TRENDS)
    assert len(events) == len(trends.TIMELINE_TRENDS) + len(own) == 22
    # no event of chapter 8 repeats one of chapter 1 under another id (same date and trend)
    keys = events.groupby(["date", "trend"]).size()
    assert (keys == 1).all()


def test_kubevirt_milestones_as_the_sources_date_them():
    dates = trends.trend_events(["VMs on Kubernetes"]).set_index("event_id")["date"]
    assert dates["kubevirt-cncf"] == pd.Timestamp("2019-09-01")
    assert dates["kubevirt-incubating"] == pd.Timestamp("2022-04-19")
    assert dates["kubevirt-1-0"] == pd.Timestamp("2023-07-11")
    others = trends.trend_events().set_index("event_id")["date"]
    assert others["firecracker"] == pd.Timestamp("2018-11-26") and others["kata-containers"] == pd.Timestamp("2017-12-05")
    assert others["gvisor"] == pd.Timestamp("2018-05-02") and others["lambda-snapstart"] == pd.Timestamp("2022-11-28")


def test_cold_start_parameters_are_sourced_and_fit_the_controls():
    table = trends.cold_start_parameters()
    assert list(table["name"]) == ["keep_alive_min", "handler_ms", "prewarmed", "burst"]
    assert ((table["minimum"] <= table["default"]) & (table["default"] <= table["maximum"])).all()
    assert (table["label"].str.len() <= 22).all() and table["source"].str.len().gt(0).all()
    assert trends.cold_start_defaults()["keep_alive_min"] == 10


def test_the_chapters_claims_cover_the_trends_section_and_the_conclusion():
    claims = claims_for("trends")
    assert len(claims) == 13  # the conclusion's "仍具优势" is chapter 7's scenarios-15 (one quote, one claim)
    assert set(claims["verdict"]) <= {"correct", "wrong", "misleading", "unverifiable"}
    article = claims.set_index("claim_id")
    assert article.loc["trends-14", "claim_zh"] == '构建"核心系统虚拟化+边缘计算容器化"的智能架构'
    assert article.loc["trends-13", "verdict"] == "wrong"


# ------------------------------------------------------------------------------------------ platforms_within

def test_platforms_within_known_answers():
    best = trends.platforms_within(1.0, 10)
    assert list(best.loc[best["qualifies"], "series_id"]) == ["containers_in_vms", "microvm", "function_on_microvm"]
    worst = trends.platforms_within(1.0, 10, judged_by="slowest")
    assert list(worst.loc[worst["qualifies"], "series_id"]) == ["microvm"]
    reasons = worst.set_index("series_id")["reason"]
    assert reasons["containers_in_vms"] == "too slow: 41.5 s" and reasons["process"] == "too wide: 346 entry points"
    assert reasons["containers_on_host"] == "too slow (5 s) and too wide (291 entry points)"
    # a boundary value qualifies: the microVM's slowest figure is exactly its 125 ms bound
    assert trends.platforms_within(0.125, 10, judged_by="slowest").set_index("series_id").loc["microvm", "qualifies"]


@pytest.mark.parametrize("judged_by", trends.JUDGED_BY)
def test_platforms_within_loosening_a_requirement_never_drops_a_platform(judged_by):
    budgets, limits = [0.001, 0.02, 0.2, 1.0, 5.0, 60.0, 3600.0], [1, 8, 10, 96, 291, 346, 1000]
    for tight, loose in zip(budgets, budgets[1:]):
        for limit in limits:
            before = trends.platforms_within(tight, limit, judged_by=judged_by)["qualifies"]
            after = trends.platforms_within(loose, limit, judged_by=judged_by)["qualifies"]
            assert (after | ~before).all()
    for budget in budgets:
        for tight, loose in zip(limits, limits[1:]):
            before = trends.platforms_within(budget, tight, judged_by=judged_by)["qualifies"]
            after = trends.platforms_within(budget, loose, judged_by=judged_by)["qualifies"]
            assert (after | ~before).all()
        # the worst case never admits a platform the best case refuses
        fastest = trends.platforms_within(budget, 1000)["qualifies"]
        slowest = trends.platforms_within(budget, 1000, judged_by="slowest")["qualifies"]
        assert (fastest | ~slowest).all()
    assert trends.platforms_within(3600, 1000, judged_by="slowest")["qualifies"].all()
    assert not trends.platforms_within(0.0005, 1000)["qualifies"].any()


@pytest.mark.parametrize(("kwargs", "named"), [
    (dict(max_startup_s=0, max_entry_points=10), "max_startup_s"),
    (dict(max_startup_s=-1, max_entry_points=10), "max_startup_s"),
    (dict(max_startup_s=float("nan"), max_entry_points=10), "max_startup_s"),
    (dict(max_startup_s=True, max_entry_points=10), "max_startup_s"),
    (dict(max_startup_s=4000, max_entry_points=10), "max_startup_s"),
    (dict(max_startup_s=1, max_entry_points=0), "max_entry_points"),
    (dict(max_startup_s=1, max_entry_points=10.5), "max_entry_points"),
    (dict(max_startup_s=1, max_entry_points="10"), "max_entry_points"),
    (dict(max_startup_s=1, max_entry_points=10, judged_by="median"), "judged_by"),
])
def test_platforms_within_refuses_bad_input_naming_the_parameter(kwargs, named):
    with pytest.raises(ValueError, match=named):
        trends.platforms_within(**kwargs)


# ----------------------------------------------------------------------------------------- utilisation growth

def test_utilisation_growth_known_answers_and_the_autopilot_figures_match_the_data():
    assert trends.utilisation_growth(0.46, 0.23) == pytest.approx(0.77 / 0.54)
    assert trends.utilisation_growth(0.5, 0.5) == 1.0 and trends.utilisation_growth(0.0, 0.0) == 1.0
    event = trends.trend_events(["AI scheduling"]).set_index("event_id").loc["autopilot-eurosys-2020"]
    before, after = (round(100 * trends.AUTOPILOT_SLACK[k]) for k in ("before", "after"))
    # two groups of jobs (Autopilot-managed vs manually managed), not a before and after (Rzadca et al. 2020)
    assert f"{after} % for Autopilot-managed jobs against {before} % for manually managed" in event["what_it_shows"]
    for claim in ("trends-10", "trends-13"):
        row = claims_for("trends").set_index("claim_id").loc[claim]
        assert f"{before}%" in row["correct_value"] and f"{after}%" in row["correct_value"]


def test_utilisation_growth_is_bounded_one_more_step_cannot_pass_full_use():
    for after in np.linspace(0, 0.99, 12):
        for before in np.linspace(after, 0.99, 5):
            growth = trends.utilisation_growth(before, after)
            assert growth >= 1.0 and (1 - before) * growth <= 1.0 + 1e-12


@pytest.mark.parametrize(("kwargs", "named"), [
    (dict(slack_before=1.0, slack_after=0.2), "slack_before"), (dict(slack_before=-0.1, slack_after=0.2), "slack_before"),
    (dict(slack_before=0.4, slack_after=1.2), "slack_after"), (dict(slack_before=0.4, slack_after="0.2"), "slack_after"),
    (dict(slack_before=True, slack_after=0.2), "slack_before"),
])
def test_utilisation_growth_refuses_bad_input(kwargs, named):
    with pytest.raises(ValueError, match=named):
        trends.utilisation_growth(**kwargs)
