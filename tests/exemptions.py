"""TEMPORARY exemptions while other workers convert their chapters (the lead deletes this after merging).

Chapters 01 and 02 are being rewritten to the new conventions (solutions as tagged Markdown,
protected dollars, hardened checks, short labels) in parallel with the checks that enforce them.
``NOT_YET_CONVERTED`` is used ONLY by these new checks, each of which says so where it uses it:

* tests/test_notebook_structure.py  - the new exercise/solution layout and "no raw $ in prose";
* tests/test_solutions.py           - executing each solution's python block;
* tests/test_exercises.py           - fuzzing the chapter's check_* functions with malformed answers
                                      (non-strict xfail, so checks that already pass still count);
* tests/browser/test_layout_in_browser.py - typeset maths, a visible solution after Run All, and
                                      charts wider than their cell (the other checks stay strict).

Every other test is strict for every notebook. When a chapter is converted, remove it from the set;
when the set is empty, delete this file and the few lines that import it.
"""

from __future__ import annotations

NOT_YET_CONVERTED = {"01_history.ipynb", "02_architecture.ipynb"}


def exempt(notebook: str) -> bool:
    """True if ``notebook`` (a file name such as "05_cost.ipynb") is still being converted."""
    return notebook in NOT_YET_CONVERTED


#: Tests in the chapter owners' files that encode behaviour this round replaced on purpose, marked
#: xfail (non-strict) by tests/conftest.py until their owners' rewrites are merged. The reasons:
#: * CHECKS_NO_LONGER_RAISE: a check_* now answers a malformed student answer with a CheckResult and a
#:   hint (CONVENTIONS.md, new convention 2) instead of raising ValueError;
#: * TITLES_WRAP: charts.finish() now wraps a long title/subtitle with "\n" (read it back with
#:   helpers.charts.title_text(spec), or .replace("\n", " ")), so a phrase can span two lines.
CHECKS_NO_LONGER_RAISE = "check_* answers a malformed answer with a hint instead of raising (new convention 2)"
TITLES_WRAP = "finish() wraps long titles with \\n; compare helpers.charts.title_text(spec)"
#: * CHECK_SYMBOLS: check messages start with the text-safe symbols of helpers.exercises (✓ ✗), not emoji
#:   (CI's Chromium has no emoji font);
#: * PALETTE: the course palette darkens Okabe-Ito's pale colours to 3:1 on white (orange #E69F00 -> #B87400).
CHECK_SYMBOLS = "check messages start with ✓/✗ (helpers.exercises), not emoji"
PALETTE_CONTRAST = "the palette's orange is #B87400 (3:1 on white), not Okabe-Ito's #E69F00"
#: * NAVIGATION: chapter 04 now follows 03; 02's navigation line is regenerated (python -m helpers.course) when
#:   the branch rewriting 02 is merged.
NAVIGATION = "02's 'next' link must point to 03 (run python -m helpers.course after merging fix12)"
OUTDATED_TESTS = {
    "tests/test_history_views.py::test_timeline_title_names_the_busiest_strand_from_the_data": TITLES_WRAP,
    "tests/test_history_views.py::test_check_years_xen_to_kvm": CHECKS_NO_LONGER_RAISE,
    "tests/test_history_views.py::test_check_events_in_1990s": CHECKS_NO_LONGER_RAISE,
    "tests/test_history_views.py::test_check_longest_cloud_gap_checks_the_length_and_both_events":
        CHECKS_NO_LONGER_RAISE,
    "tests/test_history_views.py::test_check_longest_gap_day_precision_uses_other_data": CHECKS_NO_LONGER_RAISE,
    "tests/test_architecture_views.py::test_stack_chart_title_names_every_platform_tied_for_most_shared_layers":
        TITLES_WRAP,
    "tests/test_architecture_views.py::test_checks_reject_malformed_answers": CHECKS_NO_LONGER_RAISE,
    "tests/test_architecture_views.py::test_checks_answer_any_input_with_a_sentence_and_a_hint": CHECK_SYMBOLS,
    "tests/test_architecture_views.py::test_stack_chart_title_states_the_enforcing_interface": TITLES_WRAP,
    "tests/test_architecture_views.py::test_density_chart_title_at_defaults_names_the_microvm_cpu_overhead":
        TITLES_WRAP,
    "tests/test_architecture_views.py::test_stack_chart_subtitle_colour_words_match_the_colours": PALETTE_CONTRAST,
    "tests/test_history_views.py::test_adoption_gap_chart_is_valid_and_titled_from_the_model": TITLES_WRAP,
    "tests/test_notebook_structure.py::test_navigation_top_and_bottom_follows_file_order[02_architecture.ipynb]":
        NAVIGATION,
}
