"""Chapter 6 recovery calculator and DR tiers: known answers by hand, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import cost, recovery

DEFAULTS = recovery.recovery_defaults()


# ------------------------------------------------------------------------------------------ known answers

def test_defaults_are_the_sourced_ones():
    assert DEFAULTS == {"data_gib": 500.0, "detection_min": 15.0, "snapshot_interval_h": 1.0, "restore_mib_s": 125.0,
                        "replication_lag_s": 1.0, "failover_min": 2.0}


def test_hourly_snapshots_site_loss_by_hand():
    # RPO = 1 h = 3,600 s. RTO = detect 15 min (900 s) + provision 10 min (600 s)
    #      + restore 500 GiB x 1,024 MiB/GiB / 125 MiB/s = 4,096 s  -> 5,596 s = 1 h 33 min
    row = recovery.compare_setups(failure="site loss", **DEFAULTS).set_index("setup").loc["VM with snapshots"]
    assert row["rpo_s"] == 3600 and row["restore_s"] == 4096 and row["rto_s"] == 5596
    assert row["path"] == "restore from backup"


def test_replicated_cloud_site_loss_by_hand():
    # RPO = replication lag 1 s; RTO = detect 900 s + failover 2 min (120 s) = 1,020 s = 17 min
    row = recovery.compare_setups(failure="site loss", **DEFAULTS).set_index("setup").loc["replicated cloud"]
    assert (row["rpo_s"], row["rto_s"], row["path"]) == (1.0, 1020.0, "fail over to replica")


def test_data_corruption_by_hand():
    # Replication copies the damage: both setups restore from backups.
    # VM: 3,600 s interval + 900 s of undetected writes = 4,500 s; cloud: point-in-time recovery restores to just
    # before the damage, so only the 900 s of undetected writes are lost (not 5 min of log shipping + 900 s)
    table = recovery.compare_setups(failure="data corruption", **DEFAULTS).set_index("setup")
    assert table.loc["VM with snapshots", "rpo_s"] == 4500
    assert table.loc["replicated cloud", "rpo_s"] == 900
    assert set(table["path"]) == {"restore from backup"}
    assert table.loc["replicated cloud", "rto_s"] == table.loc["VM with snapshots", "rto_s"] == 5596


def test_point_in_time_recovery_loses_the_detection_time_against_corruption_and_the_log_interval_on_site_loss():
    pitr = dict(backup_interval_h=recovery.CLOUD_BACKUP_INTERVAL_H, point_in_time=True)
    assert recovery.worst_case_data_loss_s(failure="data corruption", detection_min=45, **pitr) == 45 * 60
    assert recovery.worst_case_data_loss_s(failure="site loss", detection_min=45, **pitr) == pytest.approx(300)
    # snapshots cannot choose the moment: the interval counts too
    assert recovery.worst_case_data_loss_s(failure="data corruption", backup_interval_h=1, detection_min=45) == 6300
    for bad in ("yes", 1, None):
        with pytest.raises(ValueError, match="point_in_time"):
            recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=1, point_in_time=bad)


def test_failure_scope_separates_high_availability_from_disaster_recovery():
    assert recovery.FAILURE_SCOPE["host or zone loss"].startswith("high availability")
    assert recovery.FAILURE_SCOPE["region loss"].startswith("disaster recovery")
    assert recovery.FAILURE_SCOPE["data corruption"].startswith("disaster recovery")


def test_ransomware_dwell_time_and_locked_backups():
    # M-Trends 2024: median dwell time of ransomware-related intrusions 5 days (2023)
    assert recovery.RANSOMWARE_DWELL_DAYS == 5
    assert not recovery.clean_backup_survives(lock_days=0)
    assert not recovery.clean_backup_survives(lock_days=5)
    assert recovery.clean_backup_survives(lock_days=14)
    assert recovery.clean_backup_survives(lock_days=14, dwell_days=10) and not recovery.clean_backup_survives(
        lock_days=7, dwell_days=10)
    for name, kwargs in (("lock_days", {"lock_days": -1}), ("lock_days", {"lock_days": True}),
                         ("dwell_days", {"lock_days": 1, "dwell_days": math.nan})):
        with pytest.raises(ValueError, match=name):
            recovery.clean_backup_survives(**kwargs)


def test_backup_duration_and_off_site_copy_add_to_the_loss():
    # 1 h interval + 30 min to finish + 2 h until the copy is off the site = 3,600 + 1,800 + 7,200 s
    loss = recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=1, backup_duration_min=30,
                                           copy_delay_h=2)
    assert loss == 12_600
    assert recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=1, replication="synchronous") == 0


def test_recovery_time_alone_matches_the_breakdown():
    assert recovery.recovery_time_s(failure="site loss", replication="none", detection_min=15, data_gib=500,
                                    restore_mib_s=125) == 5596
    assert recovery.recovery_time_s(failure="site loss", replication="asynchronous", detection_min=1,
                                    data_gib=500, restore_mib_s=125, failover_min=0.5) == 90


def test_the_articles_figures():
    assert recovery.ARTICLE_SNAPSHOT_RPO_H == 1.0
    assert recovery.ARTICLE_RTO_VM_H == (1.0, 4.0) and recovery.ARTICLE_RTO_CONTAINER_S == 60.0
    # the article's hourly snapshot restored at the default speed lands inside its own 1-4 h VM band
    vm = recovery.compare_setups(**DEFAULTS).set_index("setup").loc["VM with snapshots", "rto_s"]
    assert 3600 <= vm <= 4 * 3600


# ------------------------------------------------------------------------------------------------ properties

@pytest.mark.parametrize("failure", recovery.FAILURES)
@pytest.mark.parametrize("lag", [0.0, 0.5, 1.0, 30.0, 300.0])
@pytest.mark.parametrize("interval", [0.25, 1.0, 24.0])
def test_rpo_is_never_below_the_replication_lag(failure, lag, interval):
    loss = recovery.worst_case_data_loss_s(failure=failure, backup_interval_h=interval, replication="asynchronous",
                                           replication_lag_s=lag, detection_min=5)
    assert loss >= lag


def test_rpo_grows_with_the_backup_interval_and_never_with_replication():
    intervals = np.linspace(0.25, 24, 20)
    losses = [recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=i) for i in intervals]
    assert all(np.diff(losses) > 0)
    none, asyn, syn = (recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=1, replication=r,
                                                       replication_lag_s=5) for r in recovery.REPLICATION)
    assert syn <= asyn <= none


def test_the_lowest_rto_the_panel_offers_the_replicated_setup_is_90_s():
    """Recovery question 3: the sliders' minimums (detection 1 min, failover 0.5 min) give 90 s; Route 53's
    defaults (30 s x 3 failures) take 90 s to detect alone, so neither reaches the article's 'under 1 minute'."""
    table = recovery.recovery_parameters().set_index("name")
    lowest = recovery.compare_setups(**{**DEFAULTS, "detection_min": table.loc["detection_min", "minimum"],
                                        "failover_min": table.loc["failover_min", "minimum"]})
    assert lowest.set_index("setup").loc["replicated cloud", "rto_s"] == 90
    assert 30 * 3 > recovery.ARTICLE_RTO_CONTAINER_S


def test_replication_does_not_help_against_corruption():
    losses = {r: recovery.worst_case_data_loss_s(failure="data corruption", backup_interval_h=1, replication=r,
                                                 replication_lag_s=2, detection_min=30) for r in recovery.REPLICATION}
    assert len(set(losses.values())) == 1


def test_rto_falls_with_throughput_and_ignores_the_snapshot_interval():
    rtos = [recovery.compare_setups(**{**DEFAULTS, "restore_mib_s": t}).set_index("setup").loc[
        "VM with snapshots", "rto_s"] for t in (25, 125, 500, 1000)]
    assert all(np.diff(rtos) < 0)
    a = recovery.compare_setups(**{**DEFAULTS, "snapshot_interval_h": 0.25})
    b = recovery.compare_setups(**{**DEFAULTS, "snapshot_interval_h": 24})
    assert list(a["rto_s"]) == list(b["rto_s"]) and a.loc[0, "rpo_s"] < b.loc[0, "rpo_s"]


def test_rto_is_the_sum_of_its_parts():
    for failure in recovery.FAILURES:
        for replication in recovery.REPLICATION:
            table = recovery.compare_setups(failure=failure, replication=replication, **DEFAULTS)
            parts = table[["detection_s", "provision_s", "restore_s", "failover_s"]].sum(axis=1)
            assert np.allclose(parts, table["rto_s"])


# ------------------------------------------------------------------------------------------------ DR tiers

def test_tiers_are_ordered_cheaper_to_dearer_and_faster():
    tiers = recovery.dr_tiers()
    assert list(tiers["tier"]) == ["backup_restore", "pilot_light", "warm_standby", "multi_site"]
    assert list(tiers["aws_cost_rank"]) == [1, 2, 3, 4]
    assert tiers["rpo_high_s"].is_monotonic_decreasing and tiers["rto_high_s"].is_monotonic_decreasing
    assert (tiers["rpo_low_s"] <= tiers["rpo_high_s"]).all() and (tiers["rto_low_s"] <= tiers["rto_high_s"]).all()
    assert ((tiers["standby_share_low"] <= tiers["standby_compute_share"])
            & (tiers["standby_compute_share"] <= tiers["standby_share_high"])).all()


@pytest.mark.parametrize("rpo, rto, tier", [(86400, 86400, "backup_restore"), (300, 1800, "warm_standby"),
                                            (600, 1800, "pilot_light"), (60, 300, "warm_standby"),
                                            (10, 300, "multi_site"), (0, 0, "multi_site"),
                                            (0.5, 30, "multi_site"), (3600, 600, "pilot_light")])
def test_cheapest_tier_meeting(rpo, rto, tier):
    assert recovery.cheapest_tier_meeting(rpo_s=rpo, rto_s=rto) == tier


def test_dr_tiers_match_the_whitepapers_figure():
    """AWS, 'Disaster Recovery of Workloads on AWS', Figure 6: RPO/RTO hours / tens of minutes / minutes / near
    zero. Pilot light's RPO starts at 10 minutes (it was 1 minute, read from REL13-BP02's 'minutes')."""
    tiers = recovery.dr_tiers().set_index("tier")
    assert tiers.loc["backup_restore", ["rpo_low_s", "rto_low_s"]].tolist() == [3600, 3600]
    assert tiers.loc["pilot_light", ["rpo_low_s", "rpo_high_s", "rto_low_s", "rto_high_s"]].tolist() == [
        600, 3600, 600, 3600]
    assert tiers.loc["warm_standby", ["rpo_low_s", "rpo_high_s", "rto_low_s", "rto_high_s"]].tolist() == [
        60, 600, 60, 600]
    assert tiers.loc["multi_site", "rpo_low_s"] == 0
    assert "tens of minutes" in tiers.loc["pilot_light", "aws_words"]


def test_dr_data_is_what_the_fleet_stores():
    # chapter 5: 960 VMs x 50 GB = 48,000 GiB, not one 500 GiB instance
    assert recovery.fleet_data_gib() == 48_000 == recovery.DEFAULT_FLEET_VMS * cost.default_parameters()[
        "storage_gb_per_instance"]
    assert recovery.fleet_data_gib(10) == 500
    with pytest.raises(ValueError, match="fleet_vms"):
        recovery.fleet_data_gib(0)


def test_dr_tier_costs_by_hand():
    # production: 960 VMs x 0.096 USD/h x 730 h = 67,276.80 + 48,000 GiB x 0.08 = 3,840 -> 71,116.80 USD/month
    # backup & restore: one copy of the data: 3,840 (with 500 GiB it was 40: the data size matters)
    # pilot light: 10 % x 960 = 96 VMs -> 6,727.68 + 2 copies x 48,000 x 0.08 = 7,680 -> 14,407.68
    table = recovery.dr_tier_costs().set_index("tier")
    assert table.loc["pilot_light", "standby_vms"] == 96
    assert table.loc["pilot_light", "total_usd_per_month"] == pytest.approx(14407.68)
    assert table.loc["pilot_light", "share_of_production"] == pytest.approx(14407.68 / 71116.80)
    assert table.loc["backup_restore", "total_usd_per_month"] == pytest.approx(3840.0)
    assert table.loc["multi_site", "compute_usd_per_month"] == pytest.approx(67276.80)
    assert table["total_usd_per_month"].is_monotonic_increasing
    small = recovery.dr_tier_costs(data_gib=500).set_index("tier")
    assert small.loc["backup_restore", "total_usd_per_month"] == pytest.approx(40.0)


def test_dr_tier_costs_use_the_cost_models_price():
    price = cost.default_parameters()["on_demand_usd_per_hour"]
    table = recovery.dr_tier_costs(fleet_vms=100, data_gib=0).set_index("tier")
    assert table.loc["multi_site", "total_usd_per_month"] == pytest.approx(100 * price * cost.HOURS_PER_MONTH)
    shares = recovery.dr_tier_costs(standby_shares={"warm_standby": 0.5}).set_index("tier")["standby_vms"]
    assert shares["warm_standby"] == 480


# ------------------------------------------------------------------------------------------------ bad input

BAD_NUMBERS = [True, math.nan, math.inf, -1.0, "1", None]


@pytest.mark.parametrize("name", ["backup_interval_h", "backup_duration_min", "copy_delay_h", "replication_lag_s",
                                  "detection_min"])
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_data_loss_refuses_bad_numbers_naming_them(name, bad):
    kwargs = dict(failure="site loss", backup_interval_h=1.0, backup_duration_min=0, copy_delay_h=0,
                  replication="none", replication_lag_s=0, detection_min=0)
    with pytest.raises(ValueError, match=name):
        recovery.worst_case_data_loss_s(**{**kwargs, name: bad})


def test_a_zero_backup_interval_is_refused():
    with pytest.raises(ValueError, match="backup_interval_h"):
        recovery.worst_case_data_loss_s(failure="site loss", backup_interval_h=0)


@pytest.mark.parametrize("name, bad", [("failure", "fire"), ("failure", None), ("failure", True),
                                       ("replication", "async"), ("replication", 1), ("replication", False)])
def test_choices_are_refused_naming_them(name, bad):
    kwargs = dict(failure="site loss", backup_interval_h=1.0, replication="none")
    with pytest.raises(ValueError, match=f"{name} must be one of"):
        recovery.worst_case_data_loss_s(**{**kwargs, name: bad})


@pytest.mark.parametrize("name", ["detection_min", "data_gib", "restore_mib_s", "provision_min", "failover_min"])
@pytest.mark.parametrize("bad", BAD_NUMBERS + [0.0])
def test_recovery_time_refuses_bad_numbers_naming_them(name, bad):
    if bad == 0.0 and name in ("detection_min", "provision_min", "failover_min"):
        return  # zero is a valid time
    kwargs = dict(failure="site loss", replication="none", detection_min=1, data_gib=1, restore_mib_s=1,
                  provision_min=1, failover_min=1)
    with pytest.raises(ValueError, match=name):
        recovery.recovery_time_s(**{**kwargs, name: bad})


@pytest.mark.parametrize("name", ["data_gib", "detection_min", "snapshot_interval_h", "restore_mib_s",
                                  "replication_lag_s", "failover_min", "provision_min", "snapshot_duration_min",
                                  "cloud_backup_interval_h"])
@pytest.mark.parametrize("bad", [True, math.nan, "2"])
def test_compare_setups_names_the_bad_parameter(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be"):  # its own name, not the one it is handed on as
        recovery.compare_setups(**{**DEFAULTS, name: bad})


@pytest.mark.parametrize("kwargs, name", [({"rpo_s": -1, "rto_s": 1}, "rpo_s"), ({"rpo_s": 1, "rto_s": math.inf}, "rto_s"),
                                          ({"rpo_s": True, "rto_s": 1}, "rpo_s"), ({"rpo_s": 1, "rto_s": "1"}, "rto_s")])
def test_cheapest_tier_refuses_bad_objectives(kwargs, name):
    with pytest.raises(ValueError, match=name):
        recovery.cheapest_tier_meeting(**kwargs)


@pytest.mark.parametrize("kwargs, name", [
    ({"fleet_vms": 0}, "fleet_vms"), ({"fleet_vms": 2.5}, "fleet_vms"), ({"fleet_vms": True}, "fleet_vms"),
    ({"data_gib": -1}, "data_gib"), ({"data_gib": math.nan}, "data_gib"),
    ({"standby_shares": [0.1]}, "standby_shares"), ({"standby_shares": {"cold": 0.1}}, "standby_shares"),
    ({"standby_shares": {"pilot_light": 1.5}}, "standby_shares"),
    ({"standby_shares": {"pilot_light": True}}, "standby_shares"),
])
def test_dr_tier_costs_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        recovery.dr_tier_costs(**kwargs)
