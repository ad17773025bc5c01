"""Sixty years of virtualization as data: the dated events of ``data/timeline.csv`` and the gaps between them.

Pure functions of the timeline (no widgets, no charts). Years are calendar years
(``1964``); durations are in years of 365.25 days. Events known only to the month
or year sit on the first day of that month or year (``date_precision`` says which),
so a duration involving one of them is uncertain by up to that period.

The timeline is a *selection* of events (see ``data/timeline_notes.md``): a long gap
between two of its events shows where the selection is thin, not that history stopped.
:func:`gaps_between` and :func:`longest_gap` therefore work on any table of events,
so you can add events and watch a gap shrink.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .data import Column, load, register_schema
from .validation import require_choice, require_integer, require_text

__all__ = [
    "CATEGORIES", "DATE_PRECISIONS", "DAYS_PER_YEAR", "ENABLERS", "Enabler", "timeline", "year_span", "event",
    "event_ids", "years_between", "events_between", "events_per_category", "quiet_gaps", "longest_quiet_gap",
    "adoption_gaps", "require_years", "gaps_between", "longest_gap", "EVENT_COLUMNS", "date_label",
    "X86_INSTRUCTIONS", "Instruction", "trap_and_emulate_breakers", "HARDWARE_ASSISTS", "HardwareAssist",
    "require_events",
]

#: Categories of events, in the order the charts stack them (oldest idea first).
CATEGORIES = ("mainframe", "x86 virtualization", "hardware support", "cloud", "containers", "serverless", "microVM")
DATE_PRECISIONS = ("day", "month", "year")
DAYS_PER_YEAR = 365.25

register_schema(
    "timeline",
    "Dated events in the history of virtualization, cloud servers and containers, 1964 to today.",
    [
        Column("event_id", "str", "Short stable identifier of the event (used by helpers.history functions)."),
        Column("date", "date", "Date of the event; first day of the month/year when only that is known.",
               unit="ISO date"),
        Column("date_precision", "str", "How precisely the date is known.", allowed=DATE_PRECISIONS),
        Column("category", "str", "Strand of the history the event belongs to.", allowed=CATEGORIES),
        Column("event", "str", "What happened, in one line."),
        Column("significance", "str", "Why it matters for VMs, cloud servers and containers, in one line."),
        Column("source", "str", "Citation of the record that dates the event."),
        Column("source_url", "str", "Address of that record."),
    ],
    key="event_id",
)


@dataclass(frozen=True)
class Enabler:
    """A pair of timeline events: an enabler, and a landmark that depended on it (not necessarily its first use)."""

    enabler_id: str
    adopter_id: str
    track: str
    relation: str


#: Enabler -> a landmark that depended on it. Each relation is stated in the ``significance`` column of the two
#: events or in their sources; the landmark is a milestone built on the enabler, not a claim that it was the first.
ENABLERS: tuple[Enabler, ...] = (
    Enabler("popek-goldberg", "intel-vt-x", "VMs",
            "the 1974 criteria for trap-and-emulate virtualization are finally met by x86 hardware"),
    Enabler("xen", "ec2-beta", "VMs", "EC2 rents out Xen paravirtualized VMs by the hour"),
    Enabler("intel-vt-x", "kvm", "VMs", "KVM, a hypervisor that requires VT-x or AMD-V, is merged into Linux"),
    Enabler("kvm", "firecracker", "VMs", "Firecracker, years later, builds its microVMs on KVM"),
    Enabler("chroot-v7", "freebsd-jail", "containers",
            "FreeBSD's jail extends chroot's private root to processes and network"),
    Enabler("mount-namespace", "lxc", "containers", "LXC builds containers from the kernel's namespaces"),
    Enabler("cgroups", "lxc", "containers", "LXC, released months after cgroups, uses them for resource limits"),
    Enabler("lxc", "docker-pycon", "containers", "Docker's early releases started containers through LXC"),
    Enabler("user-namespace", "k8s-userns-default", "containers",
            "from complete user namespaces to Kubernetes enabling user-namespace support by default (pods opt in)"),
)


@lru_cache(maxsize=1)
def _timeline_loaded() -> pd.DataFrame:
    events = load("timeline").sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    events["year"] = events["date"].dt.year.astype(int)
    return events


def timeline() -> pd.DataFrame:
    """Every event of ``data/timeline.csv``, oldest first, with an added integer ``year`` column.

    The file is read and validated once per session; each call returns a fresh copy.
    """
    return _timeline_loaded().copy()


def year_span() -> tuple[int, int]:
    """The first and last calendar year on the timeline, e.g. ``(1964, 2025)``."""
    years = timeline()["year"]
    return int(years.min()), int(years.max())


def event_ids() -> tuple[str, ...]:
    """The ``event_id`` of every event, oldest first."""
    return tuple(timeline()["event_id"])


def event(event_id: str) -> pd.Series:
    """One event (a row of :func:`timeline`) by its ``event_id``, e.g. ``event("intel-vt-x")``."""
    require_choice("event_id", event_id, event_ids())
    events = timeline()
    return events.loc[events["event_id"] == event_id].iloc[0]


def years_between(event_a: str, event_b: str) -> float:
    """Years (of 365.25 days) from ``event_a`` to ``event_b``; negative if ``event_b`` came first.

    Example: Popek & Goldberg (July 1974) to Intel VT-x (November 2005) is 11,446 days = 31.34 years.
    """
    ids = event_ids()
    require_choice("event_a", event_a, ids)
    require_choice("event_b", event_b, ids)
    days = (event(event_b)["date"] - event(event_a)["date"]).days
    return days / DAYS_PER_YEAR


def require_years(start_year, end_year, *, allow_reversed: bool = False) -> tuple[int, int]:
    """Validate a window of calendar years inside :func:`year_span`; return ``(start, end)``.

    With ``allow_reversed=True`` two crossed years (e.g. from two sliders) are put in order;
    otherwise ``end_year < start_year`` raises ``ValueError``.
    """
    if not isinstance(allow_reversed, bool):
        raise ValueError(f"allow_reversed must be True or False; got {allow_reversed!r}")
    first, last = year_span()
    start = require_integer("start_year", start_year, minimum=first, maximum=last)
    end = require_integer("end_year", end_year, minimum=first, maximum=last)
    if end < start:
        if allow_reversed:
            return end, start
        raise ValueError(f"end_year must be >= start_year ({start}); got {end}")
    return start, end


def _require_categories(categories) -> tuple[str, ...]:
    if categories is None:
        return CATEGORIES
    if isinstance(categories, str):
        categories = (categories,)
    if not isinstance(categories, Iterable):
        raise ValueError(f"categories must be None, a category or a list of categories; got {categories!r}")
    chosen = tuple(categories)
    if not chosen:
        raise ValueError(f"categories must name at least one of {list(CATEGORIES)}; got an empty list")
    for category in chosen:
        require_choice("categories", category, CATEGORIES)
    return chosen


def events_between(start_year: int, end_year: int, categories: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Events dated in the calendar years ``start_year``..``end_year`` (both included), oldest first.

    ``categories``: ``None`` for all, one category, or a list of them (see :data:`CATEGORIES`).
    Years must lie within :func:`year_span` and ``end_year >= start_year``.
    """
    start, end = require_years(start_year, end_year)
    chosen = _require_categories(categories)
    events = timeline()
    keep = events["year"].between(start, end) & events["category"].isin(chosen)
    return events.loc[keep].reset_index(drop=True)


def events_per_category(start_year: int, end_year: int) -> pd.Series:
    """How many events each category has in ``start_year``..``end_year``, in :data:`CATEGORIES` order."""
    counts = events_between(start_year, end_year)["category"].value_counts()
    return counts.reindex(list(CATEGORIES), fill_value=0).astype(int).rename("events")


EVENT_COLUMNS = ("event_id", "event", "date")


def gaps_between(events: pd.DataFrame) -> pd.DataFrame:
    """The stretch between each pair of consecutive events of any table of events, longest first.

    ``events``: a DataFrame with columns ``event_id``, ``event`` and ``date`` (dates or ISO
    date strings), e.g. a subset of :func:`timeline` or events you add yourself; it is sorted
    by date first. Columns of the result: ``before_id``, ``before``, ``before_date``,
    ``after_id``, ``after``, ``after_date``, ``gap_years``. Empty with fewer than two events.
    """
    events = require_events("events", events)
    events = events.sort_values(["date", "event_id"], kind="stable")
    gaps = pd.DataFrame({
        "before_id": events["event_id"].iloc[:-1].to_numpy(),
        "before": events["event"].iloc[:-1].to_numpy(),
        "before_date": events["date"].iloc[:-1].to_numpy(),
        "after_id": events["event_id"].iloc[1:].to_numpy(),
        "after": events["event"].iloc[1:].to_numpy(),
        "after_date": events["date"].iloc[1:].to_numpy(),
    })
    gaps["gap_years"] = (gaps["after_date"] - gaps["before_date"]).dt.days / DAYS_PER_YEAR
    return gaps.sort_values("gap_years", ascending=False, kind="stable").reset_index(drop=True)


def require_events(name: str, events) -> pd.DataFrame:
    """Check a table of events and return a copy with its ``date`` column as timestamps.

    ``events`` must be a DataFrame with columns ``event_id`` (non-empty text, no repeats), ``event``
    (text) and ``date`` (dates or ISO date strings, none missing); a ``category`` column, if present,
    must hold :data:`CATEGORIES`. Raises ``ValueError`` naming ``name`` and the column.
    """
    require_text("name", name)
    if not isinstance(events, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame with columns {list(EVENT_COLUMNS)}; "
                         f"got {type(events).__name__}")
    missing = [column for column in EVENT_COLUMNS if column not in events.columns]
    if missing:
        raise ValueError(f"{name} must have columns {list(EVENT_COLUMNS)}; missing {missing}")
    ids = events["event_id"].tolist()
    if not all(isinstance(value, str) and value.strip() for value in ids):
        raise ValueError(f"{name} column 'event_id' must hold non-empty text; got {ids[:5]}")
    if len(set(ids)) != len(ids):
        raise ValueError(f"{name} column 'event_id' must not repeat an id")
    if not all(isinstance(value, str) for value in events["event"]):
        raise ValueError(f"{name} column 'event' must hold text")
    if "category" in events.columns:
        for value in events["category"]:
            require_choice(f"{name} column 'category'", value, CATEGORIES)
    dates = events["date"]
    if pd.api.types.is_numeric_dtype(dates) or pd.api.types.is_bool_dtype(dates) or any(
            isinstance(value, (bool, int, float)) and not pd.isna(value) for value in dates):
        raise ValueError(f"{name} column 'date' must hold dates or ISO date strings (e.g. '1994-01-01'), "
                         "not numbers")
    try:
        with warnings.catch_warnings():  # a string that is no date makes pandas warn before it raises
            warnings.simplefilter("ignore", UserWarning)
            parsed = pd.to_datetime(dates, errors="raise")
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueError(f"{name} column 'date' must hold dates (e.g. '1994-01-01'): {error}") from None
    if parsed.isna().any():
        raise ValueError(f"{name} column 'date' must not have missing dates")
    return events.assign(date=parsed)


def date_label(date, precision: str) -> str:
    """A date as precisely as it is known: ``'14 Nov 2005'`` (day), ``'Nov 2005'`` (month), ``'1964'`` (year)."""
    require_choice("precision", precision, DATE_PRECISIONS)
    try:
        stamp = pd.Timestamp(date)
    except (ValueError, TypeError):
        raise ValueError(f"date must be a date or an ISO date string; got {date!r}") from None
    if pd.isna(stamp) or isinstance(date, (bool, int, float)):
        raise ValueError(f"date must be a date or an ISO date string; got {date!r}")
    if precision == "day":
        return f"{stamp.day} {stamp:%b %Y}"
    return f"{stamp:%b %Y}" if precision == "month" else f"{stamp:%Y}"


def longest_gap(events: pd.DataFrame) -> pd.Series | None:
    """The longest stretch between consecutive events of any table of events (a row of :func:`gaps_between`).

    ``None`` with fewer than two events. A long gap says the table is thin there, not that
    nothing happened: it depends on which events the table holds.
    """
    gaps = gaps_between(events)
    return None if gaps.empty else gaps.iloc[0]


def quiet_gaps(start_year: int, end_year: int, categories: str | Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`gaps_between` for the timeline's events in a window (and categories), longest first.

    A "quiet" stretch is one with no event *in this timeline*, which is a selection of events.
    """
    return gaps_between(events_between(start_year, end_year, categories))


def longest_quiet_gap(start_year: int, end_year: int,
                      categories: str | Iterable[str] | None = None) -> pd.Series | None:
    """The longest stretch with no timeline event in the window (a row of :func:`quiet_gaps`), or ``None`` if < 2."""
    gaps = quiet_gaps(start_year, end_year, categories)
    return None if gaps.empty else gaps.iloc[0]


def adoption_gaps() -> pd.DataFrame:
    """Each :data:`ENABLERS` pair with both dates and the years from the enabler to the landmark that used it.

    Columns: ``track`` (VMs or containers), ``enabler_id``, ``enabler``, ``enabler_date``, ``adopter_id``,
    ``adopter``, ``adopter_date``, ``gap_years``, ``relation``.
    """
    rows = []
    for pair in ENABLERS:
        enabler, adopter = event(pair.enabler_id), event(pair.adopter_id)
        rows.append({
            "track": pair.track,
            "enabler_id": pair.enabler_id, "enabler": enabler["event"], "enabler_date": enabler["date"],
            "adopter_id": pair.adopter_id, "adopter": adopter["event"], "adopter_date": adopter["date"],
            "gap_years": years_between(pair.enabler_id, pair.adopter_id),
            "relation": pair.relation,
        })
    return pd.DataFrame(rows)



# ------------------------------------------------------------------------------ why x86 needed hardware help

@dataclass(frozen=True)
class Instruction:
    """An x86 instruction as a trap-and-emulate monitor sees it when the guest kernel runs in ring 3.

    ``sensitive``: it reads or changes privileged machine state (Popek & Goldberg's term).
    ``traps_in_ring3``: run outside ring 0 it faults to the monitor (it is *privileged*).
    ``in_ring3``: what it does, in the neutral words of the Intel SDM (no verdict on either property:
    the student classifies it from the definitions).
    """

    mnemonic: str
    sensitive: bool
    traps_in_ring3: bool
    in_ring3: str


#: A few pre-VT-x x86 instructions (Intel SDM vol. 2 behaviour at CPL 3; Robin & Irvine, "Analysis of the Intel
#: Pentium's Ability to Support a Secure Virtual Machine Monitor", USENIX Security 2000, list 17 sensitive
#: unprivileged instructions, POPF, PUSHF, SGDT, SIDT, SLDT, SMSW among them).
X86_INSTRUCTIONS: tuple[Instruction, ...] = (
    Instruction("ADD", False, False, "adds two numbers; runs at any privilege level"),
    Instruction("POPF", True, False, "loads FLAGS from the stack; below ring 0 a change of the interrupt flag (IF) is "
                                     "silently ignored"),
    Instruction("PUSHF", True, False, "stores FLAGS, including the interrupt flag (IF), on the stack; runs at any "
                                      "privilege level"),
    Instruction("SGDT", True, False, "stores the GDT register (where the CPU's segment table is); runs at any "
                                     "privilege level"),
    Instruction("SMSW", True, False, "stores the low 16 bits of control register CR0; runs at any privilege level"),
    Instruction("LGDT", True, True, "loads the GDT register; a general-protection fault unless in ring 0"),
    Instruction("HLT", True, True, "stops the CPU until the next interrupt; a general-protection fault unless in "
                                   "ring 0"),
    Instruction("MOV CR3", True, True, "loads CR3, the page-table base; a general-protection fault unless in ring 0"),
)


def trap_and_emulate_breakers(instructions: Iterable[Instruction] = X86_INSTRUCTIONS) -> tuple[str, ...]:
    """Mnemonics of the instructions that are sensitive but do not trap in ring 3.

    Popek & Goldberg (1974): an efficient trap-and-emulate monitor exists if every sensitive
    instruction is privileged. Any instruction this returns breaks that condition: the monitor
    never sees it run, so the guest's view of the machine goes wrong without anyone noticing.
    """
    if isinstance(instructions, (str, bytes)) or not isinstance(instructions, Iterable):
        raise ValueError(f"instructions must be a list of Instruction; got {instructions!r}")
    chosen = tuple(instructions)
    if not all(isinstance(item, Instruction) for item in chosen):
        raise ValueError("instructions must hold only Instruction objects")
    return tuple(item.mnemonic for item in chosen if item.sensitive and not item.traps_in_ring3)


@dataclass(frozen=True)
class HardwareAssist:
    """A step of x86 hardware support for virtualization: the timeline event and the work it moved into silicon."""

    event_id: str
    moved_to_hardware: str


#: What each generation of hardware help took over from the hypervisor's software (VMware, "Performance Evaluation
#: of Intel EPT Hardware Assist", 2009: binary translation for instructions, shadow paging for the MMU, device
#: emulation for I/O, replaced in that order). VT-x and AMD-V did not make sensitive instructions trap: they added a
#: CPU mode for guests (VMX non-root operation) in which the guest kernel runs in ring 0 on its own state, and the
#: hypervisor chooses in the VMCS which events exit; only a few instructions (CPUID, INVD, XSETBV, the VMX
#: instructions) exit unconditionally (Intel SDM Vol. 3C, "VMX Non-Root Operation").
HARDWARE_ASSISTS: tuple[HardwareAssist, ...] = (
    HardwareAssist("intel-vt-x", "a CPU mode for the guest kernel"),
    HardwareAssist("amd-v", "a CPU mode for the guest kernel"),
    HardwareAssist("amd-rvi", "page tables"),
    HardwareAssist("intel-ept", "page tables"),
)
