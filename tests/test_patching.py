"""Chapter 6 patch-exposure model: known answers by hand, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import patching

DEFAULTS = patching.patch_defaults()


def defaults(**changes) -> dict:
    values = {**DEFAULTS, **changes}
    values["fleet_hosts"] = int(values["fleet_hosts"])
    return values


# ------------------------------------------------------------------------------------------ known answers

def test_one_host_at_a_time_without_window_by_hand():
    # 10 hosts, start on day 2, 5 hosts a day: host k is done on day 2 + (k + 1) / 5 = 2.2, 2.4, ..., 4.0
    days = patching.patch_days(10, start_days=2, hosts_per_day=5)
    assert np.allclose(days, 2 + np.arange(1, 11) / 5)
    # host-days = 10 x 2 + (0.2 + 0.4 + ... + 2.0) = 20 + 11 = 31; after day 3: 0.2 + 0.4 + 0.6 + 0.8 + 1.0 = 3
    summary = patching.exposure_summary(days, exploit_day=3)
    assert summary["host_days"] == pytest.approx(31)
    assert summary["host_days_after_exploit"] == pytest.approx(3)
    assert summary["unpatched_at_exploit"] == 5 and summary["days_to_all"] == pytest.approx(4)
    assert summary["median_days"] == pytest.approx(3.0) and summary["days_to_95"] == pytest.approx(4.0)


def test_a_weekly_window_holds_every_host_until_day_7():
    days = patching.patch_days(10, start_days=2, hosts_per_day=5, window_days=7)
    assert set(days) == {7.0}
    summary = patching.exposure_summary(days, exploit_day=3)
    assert summary["host_days"] == 70 and summary["host_days_after_exploit"] == 40


def test_an_earlier_first_window_splits_the_fleet():
    # windows on days 3, 10, 17...: the hosts ready by day 3.0 (five of them) go on day 3, the rest on day 10
    days = patching.patch_days(10, start_days=2, hosts_per_day=5, window_days=7, first_window_day=3)
    assert list(days) == [3.0] * 5 + [10.0] * 5
    assert patching.exposure_summary(days, exploit_day=0)["host_days"] == 65


def test_batches_finish_together():
    # 10 hosts in batches of 5 at 24 hosts a day: a batch takes 5/24 day
    days = patching.patch_days(10, start_days=0, hosts_per_day=24, batch_hosts=5)
    assert np.allclose(days, [5 / 24] * 5 + [10 / 24] * 5)


def test_stragglers_are_the_last_hosts_and_come_later():
    days = patching.patch_days(10, start_days=0, hosts_per_day=10, straggler_share=0.2, straggler_extra_days=30)
    assert np.allclose(days[:8], np.arange(1, 9) / 10) and np.allclose(days[8:], [30.9, 31.0])


def test_wave_rollout_by_hand():
    # a quarter of 200 hosts = 50 per one-hour wave = 1,200 hosts a day
    assert patching.wave_rollout(200, batch_share=0.25) == {"batch_hosts": 50, "hosts_per_day": 1200.0}
    assert patching.wave_rollout(3, batch_share=0.05, wave_hours=2)["batch_hosts"] == 1


def test_default_manual_rollout_by_hand():
    # ready on day 14 + (k + 1) / 10; weekly windows on days 7, 14, 21 ...
    # hosts 1-70 wait for day 21, 71-140 for day 28, 141-190 for day 35; the 10 stragglers (5 %) are
    # ready ~30 days later (day 63-64) and wait for day 70:
    # 70 x 21 + 70 x 28 + 50 x 35 + 10 x 70 = 1,470 + 1,960 + 1,750 + 700 = 5,880 host-days
    summary = patching.compare_rollouts(**defaults()).set_index("strategy")
    assert summary.loc["manual", "host_days"] == pytest.approx(5880)
    assert summary.loc["manual", "host_days_after_exploit"] == pytest.approx(5880 - 200 * 5)
    assert summary.loc["manual", "median_days"] == 28


def test_default_automated_rollout_by_hand():
    # 4 waves of 50 hosts, one hour each, from day 7: 50 x (7 + 1/24 + 7 + 2/24 + 7 + 3/24) + 40 x (7 + 4/24)
    # + 10 stragglers x (7 + 4/24 + 30)
    expected = 50 * (7 + 1 / 24) + 50 * (7 + 2 / 24) + 50 * (7 + 3 / 24) + 40 * (7 + 4 / 24) + 10 * (37 + 4 / 24)
    summary = patching.compare_rollouts(**defaults()).set_index("strategy")
    assert summary.loc["automated", "host_days"] == pytest.approx(expected)


def test_unpatched_hosts_counts_down():
    days = np.array([1.0, 2.0, 2.0, 5.0])
    assert list(patching.unpatched_hosts(days, [0, 1, 1.5, 2, 4.9, 5, 6])) == [4, 3, 3, 1, 1, 0, 0]


def test_horizon_caps_the_count():
    days = np.array([10.0, 400.0])
    assert patching.exposure_summary(days, exploit_day=0, horizon_days=100)["host_days"] == 110


# ------------------------------------------------------------------------------------------------ properties

def test_exposure_falls_with_a_faster_manual_rollout():
    values = [patching.compare_rollouts(**defaults(manual_hosts_per_day=rate)).set_index("strategy").loc[
        "manual", "host_days_after_exploit"] for rate in (1, 2, 5, 10, 20, 50, 100)]
    assert all(np.diff(values) <= 0) and values[0] > values[-1]


def test_exposure_falls_with_larger_automated_batches_and_grows_with_delay():
    by_batch = [patching.compare_rollouts(**defaults(auto_batch_share=s)).set_index("strategy").loc[
        "automated", "host_days"] for s in (0.05, 0.1, 0.25, 0.5, 1.0)]
    assert all(np.diff(by_batch) <= 0)
    by_start = [patching.compare_rollouts(**defaults(manual_start_days=d)).set_index("strategy").loc[
        "manual", "host_days"] for d in (0, 7, 14, 30, 60)]
    assert all(np.diff(by_start) >= 0)


def test_longer_windows_never_shorten_exposure():
    values = [patching.compare_rollouts(**defaults(manual_window=w)).set_index("strategy").loc["manual", "host_days"]
              for w in ("weekly", "every 2 weeks", "monthly")]
    assert values == sorted(values)


def test_later_exploitation_means_less_exposure_after_it():
    values = [patching.compare_rollouts(**defaults(exploit_day=x)).set_index("strategy").loc[
        "manual", "host_days_after_exploit"] for x in (0, 5, 20, 60)]
    assert all(np.diff(values) <= 0)


def test_manual_fleet_size_matters_automated_scales():
    small = patching.compare_rollouts(**defaults(fleet_hosts=100)).set_index("strategy")["mean_days"]
    large = patching.compare_rollouts(**defaults(fleet_hosts=2000)).set_index("strategy")["mean_days"]
    assert large["manual"] > 3 * small["manual"]
    assert large["automated"] == pytest.approx(small["automated"], rel=0.05)


def test_curves_start_full_and_end_empty():
    values = defaults()
    values.pop("exploit_day")
    curves = patching.rollout_curves(**values)
    for strategy, group in curves.groupby("strategy"):
        assert group["unpatched_share"].iloc[0] == 1.0 and group["unpatched_share"].iloc[-1] == 0.0
        assert group["unpatched_share"].is_monotonic_decreasing


# ------------------------------------------------------------------------------------------------ bad input

BAD = [True, math.nan, math.inf, -1, "3", None]


@pytest.mark.parametrize("name", ["start_days", "hosts_per_day", "window_days", "straggler_share",
                                  "straggler_extra_days"])
@pytest.mark.parametrize("bad", BAD)
def test_patch_days_refuses_bad_numbers_naming_them(name, bad):
    with pytest.raises(ValueError, match=name):
        patching.patch_days(10, **{"start_days": 1, "hosts_per_day": 1, name: bad})


@pytest.mark.parametrize("bad", BAD + [0, 2.5, 2_000_000])
def test_fleet_hosts_must_be_a_whole_number(bad):
    with pytest.raises(ValueError, match="fleet_hosts"):
        patching.patch_days(bad, start_days=0, hosts_per_day=1)


def test_zero_rate_batch_and_window_misuse_are_refused():
    with pytest.raises(ValueError, match="hosts_per_day"):
        patching.patch_days(10, start_days=0, hosts_per_day=0)
    with pytest.raises(ValueError, match="batch_hosts"):
        patching.patch_days(10, start_days=0, hosts_per_day=1, batch_hosts=11)
    with pytest.raises(ValueError, match="first_window_day"):
        patching.patch_days(10, start_days=0, hosts_per_day=1, first_window_day=3)
    with pytest.raises(ValueError, match="first_window_day"):
        patching.patch_days(10, start_days=0, hosts_per_day=1, window_days=7, first_window_day=8)


@pytest.mark.parametrize("kwargs, name", [({"batch_share": 0}, "batch_share"), ({"batch_share": 1.5}, "batch_share"),
                                          ({"batch_share": True}, "batch_share"),
                                          ({"batch_share": 0.5, "wave_hours": 0}, "wave_hours"),
                                          ({"batch_share": 0.5, "wave_hours": "1"}, "wave_hours")])
def test_wave_rollout_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        patching.wave_rollout(10, **kwargs)


@pytest.mark.parametrize("kwargs, name", [({"days": "1,2"}, "days"), ({"days": [1, math.nan]}, "days"),
                                          ({"days": [True, 2]}, "days"), ({"days": []}, "days"),
                                          ({"days": [-1.0]}, "days"),
                                          ({"days": [1.0], "exploit_day": -1}, "exploit_day"),
                                          ({"days": [1.0], "exploit_day": "5"}, "exploit_day"),
                                          ({"days": [1.0], "exploit_day": 1, "horizon_days": 0}, "horizon_days")])
def test_exposure_summary_refuses_bad_input(kwargs, name):
    kwargs = {"exploit_day": 1, **kwargs}
    with pytest.raises(ValueError, match=name):
        patching.exposure_summary(**kwargs)


@pytest.mark.parametrize("name, bad", [("manual_window", "daily"), ("manual_window", 7), ("manual_window", None),
                                       ("auto_batch_share", 0), ("auto_start_days", True),
                                       ("manual_hosts_per_day", "10"), ("exploit_day", math.inf),
                                       ("fleet_hosts", 10.5), ("straggler_share", 2)])
def test_compare_rollouts_names_the_bad_parameter(name, bad):
    aliases = {"auto_batch_share": "batch_share", "auto_start_days": "start_days",
               "manual_hosts_per_day": "hosts_per_day"}
    with pytest.raises(ValueError, match=aliases.get(name, name)):
        patching.compare_rollouts(**{**defaults(), name: bad})


def test_unpatched_hosts_refuses_bad_times():
    with pytest.raises(ValueError, match="at_days"):
        patching.unpatched_hosts([1.0], [math.nan])
    with pytest.raises(ValueError, match="points"):
        values = defaults()
        values.pop("exploit_day")
        patching.rollout_curves(points=1, **values)


def test_the_automated_batch_share_is_labelled_an_assumption():
    row = patching.patch_parameters().set_index("name").loc["auto_batch_share"]
    assert row["kind"] == "assumption" and row["source"].startswith("Assumption")
    assert row["default"] == 0.25 and "pods" in row["description"]
