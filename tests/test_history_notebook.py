"""Chapter 1's notebook: what its prose and questions say holds in the model. Its solutions are run by
tests/test_solutions.py and their form checked by tests/test_notebook_structure.py, as for every chapter; the
notebook itself is run by nbval."""

from __future__ import annotations

import re

from tests.test_notebook_structure import cells as notebook_cells
from tests.test_notebook_structure import text as source

NOTEBOOK = "01_history.ipynb"


def cells():
    return notebook_cells(NOTEBOOK)


def test_every_event_id_an_exercise_asks_for_is_shown_before():
    """Exercise 3 asks for two event ids: the panel table (event id column) and its text line show them."""
    from helpers import history, history_views
    first, last = history.year_span()
    gap = history.longest_quiet_gap(first, last, "cloud")
    view = history_views.timeline_view(first, last, "cloud")
    assert gap["before_id"] in set(view.table["event id"]) and gap["after_id"] in set(view.table["event id"])


def test_no_bad_plurals_and_no_year_only_date_shown_as_january_first():
    text = "\n".join(source(c) for c in cells()) + "".join(
        o.get("text", "") if isinstance(o.get("text", ""), str) else "".join(o["text"])
        for c in cells() for o in c.get("outputs", []))
    assert not re.search(r"(?<![\d.,])1 (layers|years|events|devices)\b", text)
    assert "1998-01-01" not in text and "2001-01-01" not in text


def test_review_corrections_stay_in_the_prose():
    """Statements a review found wrong or missing (chapter 1)."""
    text = "\n".join(source(c) for c in cells())
    assert "VMs got fast only with nested paging" not in text  # Xen PV and VMware BT were close to native
    assert "close to native" in text
    assert "new guest mode in which sensitive instructions exit" not in text and "VMCS" in text
    assert "rebuild on every guest page-table write" not in text and "write-protecting" in text
    assert "24 memory references" in text and "VPID" in text  # the cost of nested paging (Bhargava et al. 2008)
    for missing in ("QEMU", "OpenVZ", "Google Compute Engine", "Hyper-V"):
        assert missing in text, missing


def test_exercise_solutions_state_their_results():
    from helpers import history
    solutions = [source(c) for c in cells() if "solution" in c["metadata"].get("tags", [])]
    # exercise 3 names the cloud events the selection leaves out; exercise 4 the stretch and both lengths
    assert "Google Compute Engine" in solutions[2] and "Azure Virtual Machines" in solutions[2]
    events = history.timeline()
    gap = history.longest_gap(events[events["date_precision"] == "day"])
    assert (gap["before_id"], gap["after_id"]) == ("vm-370", "vm-xa-sp")
    assert f"{gap['gap_years']:.1f} years" in solutions[3] and "9.4 years" in solutions[3]


def test_summary_counts_match_the_timeline():
    from helpers import history
    summary = next(source(c) for c in cells() if source(c).startswith("## Summary"))
    assert f"holds {len(history.timeline())} sourced events" in summary


def test_prose_before_exercise_1_does_not_list_its_answer():
    """The table and the prose may show one example (POPF); the other breakers are for the student to find."""
    from helpers import history
    others = set(history.trap_and_emulate_breakers()) - {"POPF"}
    for cell in cells():
        text = source(cell)
        if text.startswith("## Exercises"):
            break
        assert not others <= set(text.replace("`", " ").replace(",", " ").split()), text[:80]
