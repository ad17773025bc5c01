"""The teacher's guide (notebooks/teacher_guide.md) is true, and stays true when a chapter or a model changes.

* every chapter notebook in notebooks/ has a section (sections for chapters not yet merged are allowed) that links
  it and has a plan, what to project, discussion questions, misconceptions and its exercises;
* each plan's minutes add up to the total it states;
* each demonstration names a panel the chapter shows, controls by their labels and values they can take; every
  text it quotes after a step is what the panel shows then, recomputed by the chapter's model;
* each misconception cites a section heading of its chapter;
* each chapter's exercise block is what ``python -m helpers.teacher_guide`` generates now: the answers the
  solutions compute (run in a kernel, as tests/test_solutions.py runs them);
* the guide has no raw dollar (JupyterLab would read two of them as maths) and the web edition renders it.
"""

from __future__ import annotations

import re
import warnings

import nbformat
import pytest

from helpers import teacher_guide as tg
from helpers.course import notebook_files
from helpers.text import unprotected_dollars
from tests.conftest import NOTEBOOKS

GUIDE = tg.GUIDE_PATH.read_text(encoding="utf-8")
SECTIONS = tg.chapter_sections(GUIDE)
CHAPTERS = [name for name in notebook_files() if name != "00_index.ipynb"]
PARTS = ("### Plan: ", "### What to project", "### Discussion questions", "### Common misconceptions",
         "### Exercises and answers")


def _section(name: str) -> str:
    assert name[:2] in SECTIONS, f"notebooks/teacher_guide.md has no section '## {name[:2]} · ...' for {name}"
    return SECTIONS[name[:2]]


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _headings(notebook) -> set[str]:
    return {match.strip() for cell in notebook.cells if cell.cell_type == "markdown"
            for match in re.findall(r"^#{2,4} (.+)$", cell.source, re.M)}


def _panel_calls(notebook) -> set[str]:
    return {match for cell in notebook.cells if cell.cell_type == "code"
            for match in re.findall(r"^(\w+_panel)\(\)\s*$", cell.source, re.M)}


def test_every_chapter_notebook_has_a_section():
    missing = [name for name in CHAPTERS if name[:2] not in SECTIONS]
    assert not missing, f"add a section '## NN · Title' to notebooks/teacher_guide.md for {missing}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_section_links_its_notebook_and_has_every_part(name):
    section = _section(name)
    assert f"]({name})" in section, f"the section must link the notebook: [{name}]({name})"
    for part in PARTS:
        assert part in section, f"the section of {name} has no '{part}' part"
    questions = re.search(r"### Discussion questions\n\n((?:\d+\. .+\n)+)", section)
    assert questions and len(questions.group(1).splitlines()) >= 2, "at least two numbered discussion questions"


@pytest.mark.parametrize("number", sorted(SECTIONS))
def test_the_minutes_add_up_to_the_stated_total(number):
    rows, total = tg.session_plan(SECTIONS[number])
    assert sum(minutes for minutes, _ in rows) == total, (
        f"chapter {number}: the plan's minutes {[m for m, _ in rows]} add up to {sum(m for m, _ in rows)}, "
        f"not the stated {total}")
    overview = re.search(rf"^\| {number} · [^|]+\| (\d+) min \|", GUIDE, re.M)
    assert overview and int(overview.group(1)) == total, f"the overview table must give chapter {number} {total} min"


@pytest.mark.parametrize("name", CHAPTERS)
def test_misconceptions_cite_sections_the_chapter_has(name):
    found = tg.misconceptions(_section(name))
    assert found, f"{name}: no misconception under '### Common misconceptions'"
    headings = _headings(_notebook(name))
    wrong = [cited for _, cited in found if cited not in headings]
    assert not wrong, f"{name}: misconceptions cite sections the chapter does not have: {wrong}; it has {sorted(headings)}"


def _build_panel(notebook, panel: str):
    namespace: dict = {}
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(setup.source, namespace)  # the chapter's one import cell  # noqa: S102
        return eval(f"{panel}()", namespace)  # noqa: S307


@pytest.mark.parametrize("name", CHAPTERS)
def test_demonstrations_use_real_controls_and_quote_what_the_model_shows(name):
    notebook = _notebook(name)
    demos = tg.demonstrations(_section(name))
    calls = _panel_calls(notebook)
    if calls:
        assert demos, f"{name} shows {sorted(calls)}: demonstrate at least one in the guide"
    failures = []
    for demo in demos:
        assert demo.panel in calls, f"{name}: the guide demonstrates {demo.panel}(), which the chapter does not show"
        panel = _build_panel(notebook, demo.panel)
        for number, step in enumerate(demo.steps, 1):
            values = tg.resolve_settings(panel, dict(step.settings))
            panel.set_values(**values)
            shown = tg.panel_output(panel)
            assert step.shows, f"{name}, {demo.panel}() step {number}: quote what the panel shows (“...”)"
            failures += [f"{demo.panel}() step {number}: “{quote}” is not in what the panel shows:\n  {shown[:700]}"
                         for quote in step.shows if quote not in shown]
    assert not failures, f"{name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercise_answers_are_what_the_solutions_compute(name):
    blocks = tg.exercise_blocks_in(_section(name))
    stem = name.removesuffix(".ipynb")
    assert stem in blocks, f"the section of {name} needs <!-- exercises:{stem} begin --> ... end markers"
    generated = tg._generated_block(NOTEBOOKS / name)
    assert blocks[stem] == generated, (f"the exercise block of {name} is out of date: run "
                                       f".venv/bin/python -m helpers.teacher_guide")


def test_the_guide_has_no_raw_dollar():
    assert not unprotected_dollars(GUIDE), "write USD, or <span>&#36;</span>, never a raw $ (JupyterLab reads $...$ as maths)"


def test_the_index_and_the_readme_link_the_guide():
    index = "\n".join(cell.source for cell in _notebook("00_index.ipynb").cells if cell.cell_type == "markdown")
    assert "](teacher_guide.md)" in index
    readme = (NOTEBOOKS.parent / "README.md").read_text(encoding="utf-8")
    teachers = readme.split("## For teachers", 1)[1].split("\n## ", 1)[0]
    assert "](notebooks/teacher_guide.md)" in teachers


def test_the_web_edition_renders_the_guide_with_links_only_to_pages_it_has(tmp_path):
    from helpers.editions import site

    site.prepare_source(tmp_path / "src")
    copied = (tmp_path / "src" / "teacher_guide.md").read_text(encoding="utf-8")
    index = nbformat.read(tmp_path / "src" / "00_index.ipynb", as_version=4)
    assert "teacher_guide" in index.cells[-1].source, "the guide must be in the site's table of contents"
    linked = set(re.findall(r"\]\((\d\d_\w+\.ipynb)\)", copied))
    assert linked and linked <= set(notebook_files()), linked - set(notebook_files())


# --- the checks can fail --------------------------------------------------------------------------------------
SAMPLE = """## 05 · Cost

### Plan: 30 minutes

| minutes | activity | on the projector |
|---|---|---|
| 10 | one | a |
| 15 | two | b |

**Demonstration 1: the licence** (`cost_panel()`)

1. Set **Preset** = `enterprise VMware`. Shows: “Owning wins above 29.1 % average utilisation”.
2. Set **Hypervisor licence** = `350`. Shows: “above 12.3 %”.

### Common misconceptions

- "Electricity dominates." It does not. (§ What matters most: sensitivity)

## Closing
"""


def test_a_plan_that_does_not_add_up_and_a_wrong_quote_are_caught():
    section = tg.chapter_sections(SAMPLE)["05"]
    assert "## Closing" not in section
    rows, total = tg.session_plan(section)
    assert sum(m for m, _ in rows) == 25 != total == 30
    demo, = tg.demonstrations(section)
    panel = _build_panel(_notebook("05_cost.ipynb"), demo.panel)
    outputs = []
    for step in demo.steps:
        panel.set_values(**tg.resolve_settings(panel, dict(step.settings)))
        outputs.append(tg.panel_output(panel))
    assert demo.steps[0].shows[0] in outputs[0]
    assert demo.steps[1].shows[0] not in outputs[1]  # the model says 57.8 %
    assert tg.misconceptions(section) == [('"Electricity dominates." It does not. (§ What matters most: sensitivity)',
                                           "What matters most: sensitivity")]


def test_settings_a_panel_cannot_take_are_refused():
    panel = _build_panel(_notebook("05_cost.ipynb"), "cost_panel")
    for settings, message in [({"Licence": "135"}, "not a control"), ({"Hypervisor licence": "400"}, "cannot take"),
                              ({"Hypervisor licence": "137"}, "cannot take"), ({"Preset": "VMware"}, "no option"),
                              ({"Utilisation": "high"}, "not a number")]:
        with pytest.raises(ValueError, match=message):
            tg.resolve_settings(panel, settings)
    with pytest.raises(ValueError, match="cites no chapter section"):
        tg.misconceptions("### Common misconceptions\n\n- A misreading with no citation.\n")
    with pytest.raises(ValueError, match="has no step"):
        tg.demonstrations("**Demonstration 1** (`cost_panel()`)\n\nNo steps here.\n")


def test_a_stale_exercise_block_is_replaced_and_answers_are_formatted():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Exercises\n\n**1. Twice 21?** Compute it."),
        nbformat.v4.new_code_cell("answer = None  # a number\ncheck_double(answer)"),
        nbformat.v4.new_markdown_cell("<details><summary>Solution (open it after you have tried)</summary>\n\n```python\n"
                                      "answer = 42\nassert check_double(answer)\n```\n\nTwice 21 is 42, as stated.\n"
                                      "</details>", metadata={"tags": ["solution"]}),
    ])
    block = tg.exercise_block(notebook, "99_probe.ipynb", [42])
    assert "1. **Twice 21?** Compute it." in block and "**Answer:** `42` (a number)" in block
    text = "intro\n<!-- exercises:99_probe begin -->\nold\n<!-- exercises:99_probe end -->\nafter\n"
    assert tg.replace_exercise_block(text, block) == f"intro\n{block}\nafter\n"
    with pytest.raises(ValueError, match="one answer per exercise"):
        tg.exercise_block(notebook, "99_probe.ipynb", [42, 43])
    assert [tg.format_answer(v) for v in (0.53948, 2, "page tables", ("spot", "on-premises"), 13609.4)] == [
        "0.5395", "2", '"page tables"', '("spot", "on-premises")', "13,610"]
