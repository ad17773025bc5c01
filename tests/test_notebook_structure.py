"""Every notebook reads the same way (see shared/research/notebook_style.md) and carries no bulky outputs."""

from __future__ import annotations

import re

import pytest

from helpers.course import CHAPTERS, navigation_markdown, notebook_files
from helpers.text import unprotected_dollars
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


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def exercise_cells(name) -> list[dict]:
    notebook_cells = cells(name)
    start = next(i for i, c in enumerate(notebook_cells) if text(c).startswith("## Exercises"))
    return notebook_cells[start:]


def is_answer_cell(cell) -> bool:
    return cell["cell_type"] == "code" and "solution" not in tags(cell) and bool(re.search(r"check_\w+\(", text(cell)))


SOLUTION_RE = re.compile(r"\A<details><summary>(?P<summary>[^<]*)</summary>\s*\n\s*\n```python\n(?P<code>.*?)\n```\s*\n"
                         r"(?P<reasoning>.*?)\s*</details>\s*\Z", re.S)


def parse_solution(cell) -> re.Match | None:
    """The parts of a solution cell (summary, code, reasoning), or None if it is not in the convention's form."""
    return SOLUTION_RE.match(text(cell).strip())


@pytest.mark.parametrize("name", CHAPTER_FILES)
def test_exercises_have_self_checks_and_solutions(name):
    """CONVENTIONS.md new convention 1: answer cell with check_...(answer), then ONE markdown cell tagged
    "solution": <details><summary>...</summary>, a python block ending in assert check_...(answer), reasoning."""
    notebook_cells = exercise_cells(name)
    answers = [i for i, c in enumerate(notebook_cells) if is_answer_cell(c)]
    assert len(answers) >= 3, "at least 3 exercises with a self-check"
    for i in answers:
        cell = notebook_cells[i]
        assert re.search(r"^answer = None\b", text(cell), re.M), f"the student's cell starts with answer = None: {text(cell)!r}"
        assert re.search(r"check_\w+\(answer\)", text(cell)), "the answer cell calls check_...(answer)"
        following = notebook_cells[i + 1] if i + 1 < len(notebook_cells) else None
        assert following is not None and following["cell_type"] == "markdown" and "solution" in tags(following), (
            f"the cell after {text(cell)[:50]!r} must be the solution: a markdown cell tagged 'solution'")
        after = notebook_cells[i + 2] if i + 2 < len(notebook_cells) else None
        assert after is None or "solution" not in tags(after), "exactly one solution cell per exercise"
        parts = parse_solution(following)
        assert parts, (f"solution cell not in the form <details><summary>...</summary>, a blank line, a ```python block, "
                       f"reasoning, </details>: {text(following)[:120]!r}")
        assert re.search(r"^assert check_\w+\(answer\)", parts["code"], re.M), "the solution ends with assert check_...(answer)"
        assert len(parts["reasoning"].split()) >= 5, "one to three sentences of reasoning after the code"
        summary = parts["summary"]
        assert not re.search(r"\d", summary) and len(summary) <= 60, (
            f"the summary line must not give anything away (no numbers, short): {summary!r}")
    solutions = [c for c in notebook_cells if "solution" in tags(c)]
    assert len(solutions) == len(answers), "every solution cell follows an answer cell"


@pytest.mark.parametrize("name", FILES)
def test_no_code_cell_is_tagged_solution(name):
    """A code cell runs on Run All and prints its answer: solutions are markdown now (convention 1)."""
    tagged = [text(c)[:60] for c in cells(name, "code") if "solution" in tags(c)]
    assert not tagged, f"code cells tagged solution: {tagged}"
    asserting = [text(c)[:60] for c in cells(name, "code") if re.search(r"^assert check_", text(c), re.M)]
    assert not asserting, f"a code cell asserts a check, so Run All would run a solution: {asserting}"


@pytest.mark.parametrize("name", FILES)
def test_prose_has_no_unprotected_dollar(name):
    """A raw $ pair in Markdown is typeset as maths by JupyterLab; run `python -m helpers.text` (helpers/text.py)."""
    for index, cell in enumerate(cells(name)):
        if cell["cell_type"] != "markdown":
            continue
        found = unprotected_dollars(text(cell))
        assert not found, (f"cell {index}: raw $ at {found[:5]} in {text(cell)[max(0, found[0] - 30):found[0] + 30]!r}; "
                           f"run .venv/bin/python -m helpers.text")


def test_the_solution_layout_check_can_fail():
    """The parser refuses the usual mistakes (so the check above is not vacuous)."""
    good = {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source":
            "<details><summary>Solution (open it after you have tried)</summary>\n\n```python\nanswer = 3\n"
            "assert check_x(answer)\n```\n\nThree, because the model says so.\n</details>"}
    assert parse_solution(good)
    for broken in (good["source"].replace("```python", "```"), good["source"].replace("</details>", ""),
                   good["source"].replace("\n\n```", "\n```")):
        assert not parse_solution({**good, "source": broken})
