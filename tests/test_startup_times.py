"""The shared start-up figures (data/startup_times.csv) that chapters 3 and 4 read."""

from __future__ import annotations

import pytest

from helpers.startup import STARTUP_PLATFORMS, startup_time_s, startup_times


def test_every_platform_has_a_figure_and_ranges_bracket_the_figure():
    table = startup_times()
    assert set(table["platform"]) == set(STARTUP_PLATFORMS)
    ranged = table.dropna(subset=["low_s", "high_s"])
    assert len(ranged) >= 2
    assert ((ranged["low_s"] <= ranged["time_s"]) & (ranged["time_s"] <= ranged["high_s"])).all()
    assert table["startup_id"].is_unique


def test_known_figures_from_their_sources():
    assert startup_time_s("mao2012-ec2-linux") == pytest.approx(96.9)
    assert startup_time_s("firecracker-boot") == pytest.approx(0.125)
    assert startup_time_s("k8s-pod-startup-slo") == pytest.approx(5.0)
    # a 2012 EC2 Linux VM took ~775x Firecracker's specified boot bound
    assert startup_time_s("mao2012-ec2-linux") / startup_time_s("firecracker-boot") == pytest.approx(775.2)


def test_one_platform_and_bad_input():
    assert set(startup_times("cloud_vm")["platform"]) == {"cloud_vm"}
    for bad in ("vm", None, 3, True):
        with pytest.raises(ValueError, match="platform"):
            startup_times(bad) if bad is not None else startup_times("")
    with pytest.raises(ValueError, match="startup_id"):
        startup_time_s("no-such-figure")
