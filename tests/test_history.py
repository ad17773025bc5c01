"""The history model: the timeline file, windows, durations between events, gaps."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import history
from helpers.data import load

FIRST, LAST = history.year_span()
BAD_YEARS = [float("nan"), math.inf, "1990", None, True, 1990.5, FIRST - 1, LAST + 1, -5]


# --- the data file ---

def test_timeline_has_at_least_30_sourced_events_from_1964_to_today():
    events = history.timeline()
    assert len(events) >= 30
    assert events["year"].min() == 1964 and events["year"].max() >= 2024
    assert events["source"].str.len().gt(10).all() and events["source_url"].str.startswith("http").all()
    assert events["significance"].str.len().between(20, 200).all(), "one-line significance"
    assert events["event_id"].is_unique
    assert set(events["category"]) == set(history.CATEGORIES), "every category has events"


def test_dates_sit_on_the_first_day_of_their_precision():
    events = load("timeline")
    month = events[events["date_precision"] == "month"]["date"]
    year = events[events["date_precision"] == "year"]["date"]
    assert (month.dt.day == 1).all()
    assert ((year.dt.day == 1) & (year.dt.month == 1)).all()


def test_timeline_is_sorted_and_has_integer_years():
    events = history.timeline()
    assert events["date"].is_monotonic_increasing
    assert (events["year"] == events["date"].dt.year).all()


def test_key_dates_match_their_primary_records():
    # pyvideo/data record of the Friday-evening lightning talk: recorded 2013-03-15 (not the often-quoted 20 March)
    assert history.event("docker-pycon")["date"] == pd.Timestamp("2013-03-15")
    assert history.event("vmware-esx")["year"] == 2001  # article says "1980s"
    assert history.event("vmware-founded")["year"] == 1998
    assert history.event("vmware-workstation")["year"] == 1999
    assert history.event("intel-vt-x")["year"] == 2005 and history.event("amd-v")["year"] == 2006
    # VT-x shipped first in the Xeon 7000 "Paxville MP" (early Nov 2005), days before the Pentium 4 662/672
    vt_x = history.event("intel-vt-x")
    assert (vt_x["date"], vt_x["date_precision"]) == (pd.Timestamp("2005-11-01"), "month")
    assert "Paxville" in vt_x["event"]
    # nested paging: AMD's Barcelona (10 Sep 2007) before Intel's Nehalem (Nov 2008); both after VT-x
    assert history.event("amd-rvi")["date"] == pd.Timestamp("2007-09-10")
    assert history.years_between("intel-vt-x", "amd-rvi") > 0 and history.years_between("amd-rvi", "intel-ept") > 0
    # Adams & Agesen measured first-generation VT-x at ASPLOS, October 2006
    assert history.event("adams-agesen")["date"] == pd.Timestamp("2006-10-01")
    # Lambda: per 100 ms at launch, per 1 ms from December 2020
    assert "100 ms" in history.event("aws-lambda")["significance"] and history.event("lambda-1ms")["year"] == 2020
    assert history.event("popek-goldberg")["date"] == pd.Timestamp("1974-07-01")
    # AWS What's New "Posted On: Aug 24, 2006" (Jeff Barr's blog post followed on the 25th);
    # claims.csv history-07 and cloud_prices.csv agree
    assert history.event("ec2-beta")["date"] == pd.Timestamp("2006-08-24")


def test_review_corrections_to_the_timeline():
    # Hyper-V (2008) was missing from the x86 strand: released to the Web in June 2008, month precision
    hyper_v = history.event("hyper-v")
    assert (hyper_v["date"], hyper_v["date_precision"], hyper_v["category"]) == (
        pd.Timestamp("2008-06-01"), "month", "x86 virtualization")
    assert history.years_between("intel-vt-x", "hyper-v") > 0  # it requires VT-x or AMD-V
    # SQS was in public beta from November 2004, so S3 was not the first public AWS service
    s3 = history.event("amazon-s3")
    assert "First public" not in s3["significance"] and "generally available" in s3["significance"]
    assert "SQS" in s3["significance"] and "2004" in s3["source"]
    # VT-x added a CPU mode for guests; it did not make x86 "trap-and-emulate" hardware
    assert "trap-and-emulate" not in history.event("intel-vt-x")["significance"]
    assert "CPU mode" in history.event("intel-vt-x")["significance"]
    # the hardware-support strand's gap questions keep their answers
    first, last = history.year_span()
    gap = history.longest_quiet_gap(first, last, "cloud")
    assert (gap["before_id"], gap["after_id"]) == ("openstack", "ec2-per-second")


def test_hardware_assists_say_what_vt_x_added():
    moved = {a.event_id: a.moved_to_hardware for a in history.HARDWARE_ASSISTS}
    assert moved["intel-vt-x"] == moved["amd-v"] == "a CPU mode for the guest kernel"
    assert "sensitive instructions" not in moved.values()


def test_instruction_descriptions_do_not_give_the_classification_away():
    """Exercise 1 asks the student to classify; the descriptions state what the SDM says, not the verdict."""
    for instruction in history.X86_INSTRUCTIONS:
        words = instruction.in_ring3.lower()
        assert "trap" not in words and "sensitive" not in words and "privileged state" not in words
        # what the SDM says about ring 3 is there to reason from: a fault, or running at any level / ignored
        assert ("fault" in words) == instruction.traps_in_ring3, instruction.mnemonic


def test_lxc_is_dated_to_its_first_release_after_cgroups():
    # lxc/lxc ChangeLog: initial import 2008-08-06 (README: version 0.1.0, Aug 01, 2008) -> month precision
    lxc = history.event("lxc")
    assert (lxc["date"], lxc["date_precision"]) == (pd.Timestamp("2008-08-01"), "month")
    assert history.years_between("cgroups", "lxc") > 0, "LXC uses cgroups, so it must plot after them"


def test_the_timeline_is_not_empty_before_vmware():
    # the 1974-1998 stretch holds sourced events once the selection includes them
    ids = set(history.events_between(1975, 1997)["event_id"])
    assert {"chroot-v7", "intel-386-v86", "vm-xa-sp", "pr-sm", "virtual-pc", "disco"} <= ids


# --- event, years_between ---

def test_years_between_known_answers():
    # 1974-07-01 -> 2005-07-01 = 31*365 + 8 leap days = 11,323; + Jul 1 -> Nov 1 (123) = 11,446 days = 31.34 years
    assert history.years_between("popek-goldberg", "intel-vt-x") == pytest.approx(11446 / 365.25)
    # 2008-01-24 -> 2013-03-15 is 1,877 days = 5.14 years
    assert history.years_between("cgroups", "docker-pycon") == pytest.approx(1877 / 365.25)
    # Docker PyCon 2013-03-15 -> Docker 0.1.0 2013-03-23: 8 days
    assert history.years_between("docker-pycon", "docker-0-1") * 365.25 == pytest.approx(8)


@pytest.mark.parametrize(("a", "b"), [("cp-40", "firecracker"), ("kvm", "xen"), ("ec2-beta", "aws-lambda")])
def test_years_between_is_antisymmetric_and_zero_on_itself(a, b):
    assert history.years_between(a, b) == pytest.approx(-history.years_between(b, a))
    assert history.years_between(a, a) == 0


def test_years_between_adds_up():
    path = history.years_between("cp-40", "xen") + history.years_between("xen", "firecracker")
    assert path == pytest.approx(history.years_between("cp-40", "firecracker"))


@pytest.mark.parametrize("bad", ["no-such-event", "", None, 3, "VT-x"])
def test_years_between_rejects_unknown_events(bad):
    with pytest.raises(ValueError, match="event_a"):
        history.years_between(bad, "kvm")
    with pytest.raises(ValueError, match="event_b"):
        history.years_between("kvm", bad)
    with pytest.raises(ValueError, match="event_id"):
        history.event(bad)


# --- events_between ---

def test_events_between_known_answers():
    assert len(history.events_between(FIRST, LAST)) == len(history.timeline())
    # the 1980s: 80386 (1985), VM/XA SP announced (11 Jun 1987), PR/SM (1988); nothing from VMware
    assert list(history.events_between(1980, 1989)["event_id"]) == ["intel-386-v86", "vm-xa-sp", "pr-sm"]
    mainframe = history.events_between(1964, 1974, "mainframe")
    assert list(mainframe["event_id"]) == ["cp-40", "cp-67", "vm-370", "popek-goldberg"]
    # 2006: S3 (Mar), AMD-V (May), EC2 (Aug), Adams & Agesen (Oct)
    assert list(history.events_between(2006, 2006)["event_id"]) == ["amazon-s3", "amd-v", "ec2-beta", "adams-agesen"]
    assert list(history.events_between(2006, 2006, ["cloud"])["event_id"]) == ["amazon-s3", "ec2-beta"]


@pytest.mark.parametrize(("start", "end"), [(1964, 2025), (1990, 2010), (2013, 2013), (2000, 2020)])
def test_events_between_properties(start, end):
    window = history.events_between(start, end)
    assert window["year"].between(start, end).all()
    assert window["date"].is_monotonic_increasing
    # widening the window never loses events; the categories partition the window
    assert len(history.events_between(max(FIRST, start - 5), end)) >= len(window)
    assert sum(len(history.events_between(start, end, c)) for c in history.CATEGORIES) == len(window)
    assert history.events_per_category(start, end).sum() == len(window)


@pytest.mark.parametrize("bad", BAD_YEARS)
def test_events_between_rejects_bad_years(bad):
    with pytest.raises(ValueError, match="start_year"):
        history.events_between(bad, LAST)
    with pytest.raises(ValueError, match="end_year"):
        history.events_between(FIRST, bad)


def test_events_between_rejects_a_reversed_window():
    with pytest.raises(ValueError, match="end_year must be >= start_year"):
        history.events_between(2010, 2000)


@pytest.mark.parametrize("bad", [[], ["cloud", "mainframes"], "Cloud", 7, [None]])
def test_events_between_rejects_bad_categories(bad):
    with pytest.raises(ValueError, match="categories"):
        history.events_between(FIRST, LAST, bad)


# --- events_per_category ---

def test_events_per_category_known_answer():
    counts = history.events_per_category(1964, 1974)
    assert list(counts.index) == list(history.CATEGORIES)
    assert counts["mainframe"] == 4 and counts.drop("mainframe").sum() == 0


@pytest.mark.parametrize("bad", BAD_YEARS)
def test_events_per_category_rejects_bad_years(bad):
    with pytest.raises(ValueError, match="start_year"):
        history.events_per_category(bad, LAST)


# --- quiet gaps ---

def test_longest_quiet_gap_known_answer():
    gap = history.longest_quiet_gap(FIRST, LAST)
    # PR/SM (1988-01-01) -> Virtual PC (1997-06-01): 9*365 + 3 leap days (1988, 1992, 1996) = 3,288
    # + Jan..May 1997 (31+28+31+30+31 = 151) = 3,439 days = 9.42 years
    assert (gap["before_id"], gap["after_id"]) == ("pr-sm", "virtual-pc")
    assert gap["gap_years"] == pytest.approx(3439 / 365.25)


def test_longest_cloud_gap_known_answer():
    gap = history.longest_quiet_gap(FIRST, LAST, "cloud")
    # OpenStack 2010-07-19 -> EC2 per-second billing 2017-10-02: 7*365 + 2 leap days = 2,557 + 75 = 2,632 days
    assert (gap["before_id"], gap["after_id"]) == ("openstack", "ec2-per-second")
    assert gap["gap_years"] == pytest.approx(2632 / 365.25)


def test_quiet_gaps_properties():
    gaps = history.quiet_gaps(FIRST, LAST)
    assert len(gaps) == len(history.timeline()) - 1
    assert gaps["gap_years"].is_monotonic_decreasing and (gaps["gap_years"] >= 0).all()
    # consecutive gaps add up to the whole span
    span = (history.timeline()["date"].iloc[-1] - history.timeline()["date"].iloc[0]).days / 365.25
    assert gaps["gap_years"].sum() == pytest.approx(span)


def test_longest_quiet_gap_is_none_with_fewer_than_two_events():
    assert history.longest_quiet_gap(1990, 1996) is None
    assert history.quiet_gaps(1964, 1964).empty


@pytest.mark.parametrize("bad", BAD_YEARS)
def test_quiet_gaps_reject_bad_years(bad):
    with pytest.raises(ValueError, match="end_year"):
        history.longest_quiet_gap(FIRST, bad)
    with pytest.raises(ValueError, match="categories"):
        history.quiet_gaps(FIRST, LAST, "clouds")


# --- gaps in any table of events ---

def small_events(*rows):
    return pd.DataFrame(rows, columns=["event_id", "event", "date"])


def test_gaps_between_known_answer_and_order_independence():
    events = small_events(("c", "C", "2005-01-01"), ("a", "A", "2000-01-01"), ("b", "B", "2001-01-01"))
    gap = history.longest_gap(events)
    # 2001-01-01 -> 2005-01-01: 4*365 + 1 leap day (2004) = 1,461 days = 4.0 years
    assert (gap["before_id"], gap["after_id"]) == ("b", "c")
    assert gap["gap_years"] == pytest.approx(1461 / 365.25)
    assert len(history.gaps_between(events)) == 2


def test_adding_an_event_splits_the_longest_gap():
    events = history.events_between(FIRST, LAST)
    before = history.longest_gap(events)
    extra = small_events(("mid", "an event the selection left out", "1992-06-01"))
    after = history.longest_gap(pd.concat([events[["event_id", "event", "date"]], extra]))
    assert after["gap_years"] < before["gap_years"]
    assert "mid" not in (before["before_id"], before["after_id"])


def test_quiet_gaps_are_gaps_between_the_window_events():
    window = history.events_between(1990, 2010, "containers")
    assert history.quiet_gaps(1990, 2010, "containers").equals(history.gaps_between(window))


def test_longest_gap_is_none_with_fewer_than_two_events():
    assert history.longest_gap(small_events(("a", "A", "2000-01-01"))) is None
    assert history.gaps_between(small_events()).empty


@pytest.mark.parametrize("bad", [
    None, [("a", "A", "2000-01-01")], pd.DataFrame({"event_id": ["a"], "date": ["2000-01-01"]}),
    pd.DataFrame({"event_id": ["a", "b"], "event": ["A", "B"], "date": [1994, 1995]}),
    pd.DataFrame({"event_id": ["a"], "event": ["A"], "date": ["not a date"]}),
    pd.DataFrame({"event_id": ["a", "b"], "event": ["A", "B"], "date": ["2000-01-01", None]}),
])
def test_gaps_between_rejects_bad_events(bad):
    with pytest.raises(ValueError, match="events"):
        history.gaps_between(bad)


def test_require_years_orders_crossed_years_only_when_allowed():
    assert history.require_years(2010, 2000, allow_reversed=True) == (2000, 2010)
    assert history.require_years(2000, 2010) == (2000, 2010)
    with pytest.raises(ValueError, match="end_year must be >= start_year"):
        history.require_years(2010, 2000)
    with pytest.raises(ValueError, match="start_year"):
        history.require_years(FIRST - 1, 2000, allow_reversed=True)


@pytest.mark.parametrize("bad", ["no", "yes", 1, 0, None, [True]])
def test_require_years_refuses_a_flag_that_is_not_a_bool(bad):
    with pytest.raises(ValueError, match="^allow_reversed "):
        history.require_years(2010, 2000, allow_reversed=bad)


# --- event tables passed back in ---

@pytest.mark.parametrize(("change", "column"), [
    (lambda t: t.assign(event_id=[None] + list(t["event_id"][1:])), "event_id"),
    (lambda t: t.assign(event_id=[3] + list(t["event_id"][1:])), "event_id"),
    (lambda t: t.assign(event_id=["cp-40"] * len(t)), "event_id"),
    (lambda t: t.assign(event=[1.5] + list(t["event"][1:])), "event"),
    (lambda t: t.assign(category=["nope"] + list(t["category"][1:])), "category"),
    (lambda t: t.assign(date=[float("nan")] + list(t["date"][1:])), "date"),
    (lambda t: t.assign(date=[True] + list(t["date"][1:])), "date"),
    (lambda t: t.assign(date=["not a date"] + list(t["date"][1:])), "date"),
    (lambda t: t.assign(date=[None] + list(t["date"][1:])), "date"),
])
def test_require_events_names_the_parameter_and_column(change, column):
    with pytest.raises(ValueError, match=f"^events column '{column}'"):
        history.require_events("events", change(history.timeline()))
    with pytest.raises(ValueError, match=f"^events column '{column}'"):
        history.gaps_between(change(history.timeline()))


@pytest.mark.parametrize(("date", "precision", "label"), [
    ("2005-11-14", "day", "14 Nov 2005"), ("2005-11-01", "month", "Nov 2005"), ("1964-01-01", "year", "1964"),
    (pd.Timestamp("2013-03-15"), "day", "15 Mar 2013"),
])
def test_date_label_shows_only_what_is_known(date, precision, label):
    assert history.date_label(date, precision) == label


@pytest.mark.parametrize(("date", "precision", "param"), [
    ("2005-11-01", "week", "precision"), ("2005-11-01", None, "precision"), ("soon", "day", "date"),
    (2005, "year", "date"), (True, "day", "date"), (None, "day", "date"),
])
def test_date_label_rejects_bad_input(date, precision, param):
    with pytest.raises(ValueError, match=f"^{param} "):
        history.date_label(date, precision)


def test_no_year_precision_event_is_labelled_with_a_day():
    events = history.timeline()
    for _, row in events.iterrows():
        label = history.date_label(row["date"], row["date_precision"])
        assert "-01-01" not in label and (row["date_precision"] != "year" or label == str(row["year"]))


# --- why x86 needed hardware help ---

def test_trap_and_emulate_breakers_are_sensitive_but_unprivileged():
    # Robin & Irvine (2000) list POPF, PUSHF, SGDT, SMSW among the 17 sensitive unprivileged instructions
    assert history.trap_and_emulate_breakers() == ("POPF", "PUSHF", "SGDT", "SMSW")
    privileged = [i for i in history.X86_INSTRUCTIONS if i.traps_in_ring3]
    assert all(i.sensitive for i in privileged)  # what traps is sensitive
    assert history.trap_and_emulate_breakers(privileged) == ()  # a machine of these alone would be virtualizable
    fixed = [history.Instruction(i.mnemonic, i.sensitive, True, "traps (VT-x guest mode)")
             if i.sensitive else i for i in history.X86_INSTRUCTIONS]
    assert history.trap_and_emulate_breakers(fixed) == ()  # VT-x's answer: every sensitive instruction exits


@pytest.mark.parametrize("bad", ["POPF", None, 3, [1, 2], [("POPF", True)]])
def test_trap_and_emulate_breakers_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="^instructions "):
        history.trap_and_emulate_breakers(bad)


def test_hardware_assists_name_timeline_events_in_order():
    ids = history.event_ids()
    for assist in history.HARDWARE_ASSISTS:
        assert assist.event_id in ids
    assert {a.moved_to_hardware for a in history.HARDWARE_ASSISTS if a.event_id in ("amd-rvi", "intel-ept")} == {
        "page tables"}
    assert history.years_between("adams-agesen", "amd-rvi") > 0  # the measurement came before the fix


# --- adoption gaps ---

def test_adoption_gaps_known_answers():
    gaps = history.adoption_gaps().set_index(["enabler_id", "adopter_id"])
    assert gaps.loc[("popek-goldberg", "intel-vt-x"), "gap_years"] == pytest.approx(11446 / 365.25)
    # VT-x 2005-11-01 -> KVM in Linux 2.6.20 2007-02-04: 460 days
    assert gaps.loc[("intel-vt-x", "kvm"), "gap_years"] == pytest.approx(460 / 365.25)
    # cgroups 2008-01-24 -> LXC 2008-08-01: 8 + 29 + 31 + 30 + 31 + 30 + 31 = 190 days
    assert gaps.loc[("cgroups", "lxc"), "gap_years"] == pytest.approx(190 / 365.25)
    assert set(gaps["track"]) == {"VMs", "containers"}


def test_enabler_pairs_claim_dependence_not_first_use():
    pairs = {(pair.enabler_id, pair.adopter_id) for pair in history.ENABLERS}
    # the timeline's own LXC row (2008, built on cgroups and namespaces) predates Docker, so cgroups -> Docker
    # was never "the first thing built on" cgroups; LXC -> Docker states the real dependence
    assert ("cgroups", "lxc") in pairs and ("lxc", "docker-pycon") in pairs
    assert ("cgroups", "docker-pycon") not in pairs and ("mount-namespace", "docker-pycon") not in pairs
    assert not any("first" in pair.relation.lower() for pair in history.ENABLERS)


def test_every_adopter_comes_after_its_enabler():
    gaps = history.adoption_gaps()
    assert len(gaps) == len(history.ENABLERS)
    assert (gaps["gap_years"] > 0).all()
    assert (gaps["adopter_date"] > gaps["enabler_date"]).all()
