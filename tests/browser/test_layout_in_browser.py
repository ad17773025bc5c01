"""What a student and a teacher see: every notebook, after Run All, at a laptop and at a projector size.

Each notebook is run once (the session's ``executed_notebook``); the page is then resized to each
screen of :data:`jupyterlab_driver.SCREENS` (the layout reflows; charts are scaled by CSS, so
re-checking after a resize sees what a fresh page at that size shows) and checked for:

* typeset maths (MathJax output anywhere: a ``$`` pair that was not protected);
* an output or widget wider than the notebook, or one that scrolls sideways inside the notebook;
* a control label, description, readout or drop-down whose text is cut (scrollWidth > clientWidth);
* a visible solution or answer: a "✓ Right" (or "✅ Right") output, an open ``<details>``, a solution's code shown;
* a chart whose natural width is wider than its cell (CSS would shrink its text).

A full-height screenshot of each notebook at each size goes to ``test-artifacts/`` (CI artifact).

Every chapter is checked the same way; there are no exemptions.
"""

from __future__ import annotations

import re

import pytest

import jupyterlab_driver as lab

pytestmark = pytest.mark.browser

#: Framework elements: a problem inside one of these is the framework's, never exempt.
FRAMEWORK_CLASSES = ("live-panel", "course-table", "claim-verdict", "widget-")


def _framework(item: dict) -> bool:
    return any(name in (item.get("cls", "") + " " + item.get("kind", "")) for name in FRAMEWORK_CLASSES)


#: (notebook panel id, screen name) -> what was measured: each notebook is measured once per screen size.
_MEASURED: dict[tuple[str, str], tuple] = {}


@pytest.fixture(params=lab.SCREENS, ids=[s.name for s in lab.SCREENS])
def screen_layout(request, executed_notebook, lab_browser):
    """(run, screen, layout report, solution cells) of the notebook at one screen size (measured once).

    The page is resized, measured, photographed (test-artifacts/<notebook>-<screen>.png) and put back
    to its default size, so the other browser tests see the page as before.
    """
    run, screen = executed_notebook, request.param
    key = (run.panel_id, screen.name)
    if key not in _MEASURED:
        assert run.unfinished is None and not run.errors, f"{run.name} did not run cleanly: {run.unfinished or run.errors}"
        lab_browser.render_report(run, expected_charts=lab_browser.chart_widgets_in_kernel(run))
        try:
            lab.set_screen(lab_browser, screen)
            lab_browser.page.wait_for_timeout(800)  # reflow and the charts' CSS scaling
            report = lab.layout(lab_browser, run)
            solutions = lab.solution_cells(lab_browser, run)
            lab.full_screenshot(lab_browser, run, screen)
        finally:
            lab.set_screen(lab_browser, lab.ScreenSize("default", 1400, 1000, 1.0, True))
        _MEASURED[key] = (run, screen, report, solutions)
    return _MEASURED[key]


def _fail_unless_exempt(run, problems: list, what: str) -> None:
    if not problems:
        return
    pytest.fail(f"{run.name}: {what}: {problems[:6]}", pytrace=False)


def test_no_typeset_maths(screen_layout):
    run, screen, report, _ = screen_layout
    _fail_unless_exempt(run, report["maths"], f"typeset maths at {screen.name} size (protect $: helpers.text)")


def test_nothing_is_wider_than_the_notebook(screen_layout):
    run, screen, report, _ = screen_layout
    framework = [p for p in report["too_wide"] + report["scrolls"] if _framework(p)]
    assert not framework, f"{run.name} at {screen.name} size: panel/table wider than the notebook: {framework[:6]}"
    _fail_unless_exempt(run, [p for p in report["too_wide"] + report["scrolls"] if not _framework(p)],
                        f"outputs wider than the notebook ({report['notebook_width']} px) at {screen.name} size")


def test_no_control_label_is_cut(screen_layout):
    run, screen, report, _ = screen_layout
    assert not report["cut"], f"{run.name} at {screen.name} size: cut text in controls: {report['cut'][:6]}"


def test_no_solution_or_answer_is_visible_after_run_all(screen_layout):
    run, screen, report, solutions = screen_layout
    problems = report["answers"] + report["solutions"]
    problems += [s for s in solutions if s["type"] == "code" or s["outputs"] or s["open"] or s["visible_code"]
                 or (s["type"] == "markdown" and not s["details"])]
    _fail_unless_exempt(run, problems, "a solution or an answer is visible after Run All")


def test_every_chart_fits_its_cell(screen_layout):
    run, screen, report, _ = screen_layout
    assert all(c["right"] <= c["limit"] for c in report["charts"]), (
        f"{run.name}: a chart reaches past the notebook at {screen.name} size: {report['charts']}")
    too_wide = [c for c in report["charts"] if c["natural"] > c["room"] + 1]
    _fail_unless_exempt(run, too_wide, f"charts wider than their cell at {screen.name} size (natural > room px)")


#: Font families that draw Chinese (a real glyph, not the empty box of a missing one).
CJK_FONT = re.compile(r"CJK|Noto Sans (SC|TC|HK|JP)|Noto Serif (SC|TC|JP)|WenQuanYi|Droid Sans Fallback|Hei|Song|Ming",
                      re.I)


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_in_the_claims_table_renders_with_a_cjk_font(executed_notebook, lab_browser):
    """The article's words (``<div lang="zh">`` in claims_table) are drawn with a CJK font (.ci/run installs
    fonts-noto-cjk): Chromium reports which platform fonts drew the node's text (CSS.getPlatformFontsForNode)."""
    run = executed_notebook
    session = lab_browser.page.context.new_cdp_session(lab_browser.page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        found = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": f"#{run.panel_id} div[lang=zh]"})
        if not found["nodeIds"]:
            pytest.skip(f"{run.name} shows no claims table")
        texts = lab_browser.page.evaluate(f"() => Array.from(document.querySelectorAll('#{run.panel_id} div[lang=zh]'))"
                                          ".map(e => e.textContent)")
        han = [len(HAN.findall(text)) for text in texts]
        index = max(range(len(han)), key=han.__getitem__)  # the quote with the most Chinese characters
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": found["nodeIds"][index]})["fonts"]
    finally:
        session.detach()
    cjk = [f for f in fonts if CJK_FONT.search(f["familyName"])]
    assert han[index] >= 2, f"{run.name}: the claims show no Chinese text"
    assert sum(f["glyphCount"] for f in cjk) >= han[index], (
        f"{run.name}: {han[index]} Chinese characters in {texts[index]!r} are not all drawn with a CJK font "
        f"(install fonts-noto-cjk): {fonts}")


def test_some_notebook_shows_a_claims_table():
    """So that the CJK check above runs at all."""
    assert any("claims_table(" in (lab.NOTEBOOKS / name).read_text(encoding="utf-8") for name in lab.notebook_names())
