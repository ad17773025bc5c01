"""Every notebook reads the same way (see shared/research/notebook_style.md) and carries no bulky outputs."""

from __future__ import annotations

import re

import pytest

from helpers.course import CHAPTERS, navigation_markdown, notebook_files
from tests.conftest import NOTEBOOKS, read_notebook

FILES = notebook_files()
CHAPTER_FILES = [name for name in FILES if name != "00_index.ipynb"]
BULKY_MIMETYPES = ("application/vnd.vegalite", "application/vnd.vega", "application/vnd.jupyter.widget")
CHECKED_OUTPUT_MARK = "# NBVAL_CHECK_OUTPUT"
MAX_CODE_LINES = 12


def cells(name, kind=None):
    notebook = read_notebook(NOTEBOOKS / name)
    return [c for c in notebook["cells"] if kind is None or c["cell_type"] == kind]


def text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def all_markdown(name) -> str:
    return "\n".join(text(c) for c in cells(name, "markdown"))


def test_every_notebook_is_in_the_course_map():
    known = {"00_index.ipynb"} | {chapter.filename for chapter in CHAPTERS}
    assert FILES and FILES[0] == "00_index.ipynb"
    assert set(FILES) <= known, f"notebooks not in helpers/course.py CHAPTERS: {set(FILES) - known}"


@pytest.mark.parametrize("name", FILES)
def test_kernelspec_is_python3(name):
    assert read_notebook(NOTEBOOKS / name)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", FILES)
def test_navigation_top_and_bottom_follows_file_order(name):
    notebook_cells = cells(name)
    expected = navigation_markdown(name)
    assert text(notebook_cells[0]).strip() == expected, "first cell must be the navigation line"
    assert text(notebook_cells[-1]).strip() == expected, "last cell must be the navigation line"


@pytest.mark.parametrize("name", FILES)
def test_title_and_goals(name):
    title = text(cells(name, "markdown")[1]).splitlines()[0]
    number = name[:2]
    assert re.match(rf"# {number} · \S", title), f"second cell must start with '# {number} · Title'"
    if name != "00_index.ipynb":
        chapter = next(c for c in CHAPTERS if c.filename == name)
        assert title == f"# {number} · {chapter.title}", "title must match helpers/course.py"
    body = all_markdown(name)
    assert "**What you'll learn**" in body and "**What you need" in body


@pytest.mark.parametrize("name", FILES)
def test_setup_cell_only_imports_helpers(name):
    first_code = text(cells(name, "code")[0])
    lines = [line for line in first_code.splitlines() if line.strip() and not line.startswith("#")]
    assert lines and all(re.match(r"(from helpers(\.\w+)? import |import helpers)", line) or line.startswith(" ")
                         or line.startswith(")") for line in lines), "the first code cell imports from helpers only"


@pytest.mark.parametrize("name", FILES)
def test_no_bulky_or_unchecked_outputs(name):
    notebook = read_notebook(NOTEBOOKS / name)
    assert "widgets" not in notebook["metadata"], "widget state must not be stored"
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            for mimetype in output.get("data", {}):
                assert not mimetype.startswith(BULKY_MIMETYPES), f"stored {mimetype} output"
        if cell.get("outputs"):
            assert CHECKED_OUTPUT_MARK in text(cell), (
                f"only cells marked {CHECKED_OUTPUT_MARK} keep outputs (nbval checks them): {text(cell)[:60]!r}")


@pytest.mark.parametrize("name", FILES)
def test_code_cells_are_short(name):
    for cell in cells(name, "code"):
        assert len(text(cell).splitlines()) <= MAX_CODE_LINES, f"code cell over {MAX_CODE_LINES} lines: {text(cell)[:80]!r}"


@pytest.mark.parametrize("name", CHAPTER_FILES)
def test_chapter_has_claims_panel_summary_and_exercises(name):
    slug = name[3:-len(".ipynb")]
    code = "\n".join(text(c) for c in cells(name, "code"))
    markdown = all_markdown(name)
    if slug != "claims_audit":
        assert f'claims_table("{slug}")' in code, "show the article's claims for this chapter"
        assert re.search(r"\w+_panel\(", code), "at least one live panel (a helper named *_panel)"
    assert "## What the article says" in markdown
    assert "\n## Summary" in markdown and "\n## Exercises" in markdown
    summary = markdown.split("\n## Summary", 1)[1].split("\n## ", 1)[0]
    assert 3 <= summary.count("\n- ") <= 6, "Summary: 3-6 bullets"


@pytest.mark.parametrize("name", CHAPTER_FILES)
def test_exercises_have_self_checks_and_hidden_solutions(name):
    notebook_cells = cells(name)
    start = next(i for i, c in enumerate(notebook_cells) if text(c).startswith("## Exercises"))
    exercise_cells = notebook_cells[start:]
    checks = [c for c in exercise_cells if c["cell_type"] == "code" and "solution" not in c["metadata"].get("tags", [])
              and re.search(r"check_\w+\(", text(c))]
    solutions = [c for c in exercise_cells if "solution" in c["metadata"].get("tags", [])]
    assert len(checks) >= 3, "at least 3 exercises with a self-check"
    assert len(solutions) >= len(checks), "every exercise has a solution cell"
    for cell in solutions:
        if cell["cell_type"] == "markdown":  # the new format (CONVENTIONS.md): collapsed <details>, never run by Run All
            body = text(cell).strip()
            assert body.startswith("<details><summary>Solution") and body.endswith("</details>")
            assert re.search(r"```python\n.*assert check_\w+\(.*\n```", body, re.S), \
                "a solution proves itself: assert check_...(answer) in its python block"
            continue
        assert cell["cell_type"] == "code"
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "solutions are hidden"
        assert re.search(r"assert check_\w+\(", text(cell)), "a solution proves itself: assert check_...(answer)"
    for cell in checks:
        assert "= None" in text(cell), "the student's cell starts with answer = None"
