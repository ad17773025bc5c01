"""The teaching editions (helpers/assignments.py): a student edition without solutions, and an nbgrader course.

* The student edition of every notebook holds no solution (no cell tagged "solution", no ``<details>``
  solution, no ``BEGIN SOLUTION``, no line of solution code) and runs top to bottom with nbclient in the
  current environment, each ``answer = None`` answered by "no answer yet", never an error.
* nbgrader's own ``generate_assignment`` and ``autograde`` (its CLI, as a teacher runs it) grade a right
  submission with full marks and a submission with one wrong answer with that exercise's points lost.
  The chapter graded is the first chapter with exercises.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import assignments
from helpers.course import notebook_files
from helpers.exercises import NOT_ANSWERED
from tests.conftest import NOTEBOOKS

FILES = notebook_files()
CONVERTED_CHAPTERS = [name for name in FILES if name != "00_index.ipynb"]
TIMEOUT_S = 300
POINTS = 2
WRONG_ANSWER = "answer = -1  # a wrong answer"


def solution_code_lines(notebook) -> set[str]:
    """The lines of solution code that appear nowhere else in the notebook (the ones that must not leak)."""
    solution, other = set(), set()
    for cell in notebook.cells:
        source = assignments._text(cell)
        if assignments.SOLUTION_TAG in assignments._tags(cell):
            parts = assignments.parse_solution(cell)
            code = parts["code"] if parts else source if cell.cell_type == "code" else ""
            solution |= {line.strip() for line in code.splitlines()}
        else:
            other |= {line.strip() for line in source.splitlines()}
    return {line for line in solution - other if len(line) > 3 and not line.startswith("#")}


def leaks(notebook, code_lines: set[str]) -> list[str]:
    """What of a solution survives in ``notebook``: tagged cells, <details> solutions, solution regions, code."""
    found = []
    for index, cell in enumerate(notebook.cells):
        source = assignments._text(cell)
        if assignments.SOLUTION_TAG in assignments._tags(cell):
            found.append(f"cell {index} is tagged solution")
        if re.search(r"<details>\s*<summary>", source) or "BEGIN SOLUTION" in source or "HIDDEN TESTS" in source:
            found.append(f"cell {index} holds a solution block: {source[:60]!r}")
        found += [f"cell {index} holds solution code {line!r}" for line in code_lines
                  if line in {s.strip() for s in source.splitlines()}]
    return found


def execute(notebook, path: Path) -> nbformat.NotebookNode:
    client = NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path)}})
    client.execute()
    return notebook


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


# --------------------------------------------------------------------------------------------- student edition

@pytest.fixture(scope="module")
def student_edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    assert [p.name for p in assignments.write_student_edition(out)] == FILES
    return out


@pytest.mark.parametrize("name", FILES)
def test_student_edition_has_no_solution_and_runs_top_to_bottom(name, student_edition):
    original = nbformat.read(NOTEBOOKS / name, as_version=4)
    copy = nbformat.read(student_edition / name, as_version=4)
    assert not leaks(copy, solution_code_lines(original)), leaks(copy, solution_code_lines(original))
    solutions = sum(assignments.SOLUTION_TAG in assignments._tags(c) for c in original.cells)
    assert len(copy.cells) == len(original.cells) - solutions, "only the solution cells go"
    if solutions:
        assert assignments.STUDENT_NOTE in "\n".join(assignments._text(c) for c in copy.cells)
    execute(copy, student_edition)
    errors = [f"cell {i}: {o['ename']}: {o['evalue']}" for i, c in enumerate(copy.cells) if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    answer_cells = [c for c in copy.cells if c.cell_type == "code" and re.search(r"^answer = None\b", c.source, re.M)
                    and re.search(r"^check_\w+\(", c.source, re.M)]
    assert len(answer_cells) >= (3 if solutions else 0)
    for cell in answer_cells:
        assert NOT_ANSWERED in output_text(cell), f"{cell.source!r} printed {output_text(cell)[:200]!r}"


def test_student_copy_refuses_an_untagged_solution():
    notebook = synthetic_chapter()
    del notebook.cells[3].metadata["tags"]
    with pytest.raises(ValueError, match="cell 3 holds a solution but is not tagged 'solution'"):
        assignments.student_copy(notebook, "99_probe.ipynb")


# --------------------------------------------------------------------------------------------- exercise format

def synthetic_chapter() -> nbformat.NotebookNode:
    """A two-exercise chapter in the format of CONVENTIONS.md, with checks built on helpers.exercises."""
    def solution(code: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_markdown_cell(
            f"<details><summary>Solution (open it after you have tried)</summary>\n\n```python\n{code}\n```\n\n"
            "Twice 21 is 42 and the fastest option is the microVM, as the models say.\n</details>",
            metadata={"tags": ["solution"]})

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from helpers.exercises import check_choice, check_number\n"
            "def check_double(answer):\n"
            "    return check_number(answer, 42, what='cores', unit='cores', hint='Twice 21.')\n"
            "def check_fastest(answer):\n"
            "    return check_choice(answer, 'microvm', options=['vm', 'microvm'], what='platform', hint='125 ms.')"),
        nbformat.v4.new_markdown_cell("## Exercises\n\n**1.** Twice 21?"),
        nbformat.v4.new_code_cell("answer = None  # cores\ncheck_double(answer)"),
        solution("half = 21\nanswer = 2 * half\nassert check_double(answer)"),
        nbformat.v4.new_markdown_cell("**2.** Which starts fastest?"),
        nbformat.v4.new_code_cell('answer = None  # "vm" or "microvm"\ncheck_fastest(answer)'),
        solution('answer = "microvm"\nassert check_fastest(answer)'),
    ]
    return notebook


def test_the_solution_pattern_is_the_one_the_structure_tests_enforce():
    from tests.test_notebook_structure import SOLUTION_RE

    assert assignments.SOLUTION_RE.pattern == SOLUTION_RE.pattern


def test_find_exercises_reads_the_format():
    exercises = assignments.find_exercises(synthetic_chapter())
    assert [(e.number, e.answer_cell, e.solution_cell) for e in exercises] == [(1, 2, 3), (2, 5, 6)]
    assert exercises[0].placeholder == "answer = None  # cores" and exercises[0].check == "check_double(answer)"
    assert exercises[0].code.endswith("assert check_double(answer)") and "Twice 21" in exercises[0].reasoning


@pytest.mark.parametrize("break_it, message", [
    (lambda nb: nb.cells.__setitem__(3, nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})),
     "cell 3: a code cell tagged 'solution'"),
    (lambda nb: nb.cells[3].__setitem__("source", nb.cells[3].source.replace("```python", "```")),
     "cell 3: a solution cell not in the form"),
    (lambda nb: nb.cells.insert(3, nbformat.v4.new_markdown_cell("Hint: double it.")),
     "cell 4: the cell before a solution must be the answer cell"),
    (lambda nb: nb.cells[2].__setitem__("source", "answer = None\ncheck_double(answer)\nprint(answer)"),
     "cell 2: the check must be one call"),
    (lambda nb: nb.cells[3].metadata.__setitem__("tags", []), "cell 3 holds a solution but is not tagged"),
])
def test_find_exercises_refuses_a_broken_layout(break_it, message):
    notebook = synthetic_chapter()
    break_it(notebook)
    with pytest.raises(ValueError, match=re.escape(message)):
        assignments.find_exercises(notebook, "99_probe.ipynb")


@pytest.mark.parametrize("name", CONVERTED_CHAPTERS)
def test_every_converted_chapter_becomes_an_nbgrader_source(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    exercises = assignments.find_exercises(notebook, name)
    source = assignments.nbgrader_source(notebook, name, points=POINTS)
    graded = [c.metadata["nbgrader"] for c in source.cells if "nbgrader" in c.metadata]
    assert len(exercises) >= 3 and len(graded) == 2 * len(exercises)
    assert sum(g.get("points", 0) for g in graded) == POINTS * len(exercises)
    assert not any(assignments.SOLUTION_TAG in assignments._tags(c) for c in source.cells)


def test_source_cells_of_an_exercise():
    source = assignments.nbgrader_source(synthetic_chapter(), points=1.5)
    answer, test = source.cells[2], source.cells[3]
    assert answer.source == ("answer = None  # cores\n### BEGIN SOLUTION\nhalf = 21\nanswer = 2 * half\n"
                             "# Twice 21 is 42 and the fastest option is the microVM, as the models say.\n"
                             "### END SOLUTION")
    assert answer.metadata["nbgrader"] == {"grade": False, "grade_id": "exercise_1_answer", "locked": False,
                                           "schema_version": 3, "solution": True, "task": False}
    assert test.source.splitlines()[1:] == ["### BEGIN HIDDEN TESTS", "_result = check_double(answer)",
                                            "assert _result, _result  # the message says what is wrong",
                                            "### END HIDDEN TESTS"]
    assert test.metadata["nbgrader"]["points"] == 1.5 and test.metadata["nbgrader"]["locked"]
    assert "1.5 points per exercise" in source.cells[1].source and "no self-checks" in source.cells[1].source
    visible = assignments.nbgrader_source(synthetic_chapter(), visible_checks=True)
    assert visible.cells[2].source.endswith("### END SOLUTION\ncheck_double(answer)")
    assert "no self-checks" not in visible.cells[1].source
    for bad in (0, -1, True, "2", 101):
        with pytest.raises(ValueError, match="points must"):
            assignments.nbgrader_source(synthetic_chapter(), points=bad)


def test_bad_input_is_refused_before_anything_is_written(tmp_path):
    """A ValueError naming the parameter, and no half-written output."""
    chapter = tmp_path / "99_probe.ipynb"
    nbformat.write(synthetic_chapter(), chapter)
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    only_notebooks = tmp_path / "notebooks"
    only_notebooks.mkdir()
    nbformat.write(synthetic_chapter(), only_notebooks / chapter.name)
    cases = [
        (lambda: assignments.find_exercises(None), "notebook must be a notebook"),
        (lambda: assignments.find_exercises({"cells": ["x"]}), "notebook must be a notebook"),
        (lambda: assignments.find_exercises(synthetic_chapter(), name=""), "name must be"),
        (lambda: assignments.parse_solution("<details>"), "cell must be a notebook cell"),
        (lambda: assignments.student_copy([]), "notebook must be a notebook"),
        (lambda: assignments.write_student_edition(a_file, [chapter]), "out_dir must be a folder"),
        (lambda: assignments.write_student_edition(True, [chapter]), "out_dir must be a folder path"),
        (lambda: assignments.write_student_edition(tmp_path, [chapter]), "out_dir must be a new or empty folder"),
        (lambda: assignments.write_nbgrader_course(tmp_path, [chapter]), "out_dir must be a new or empty folder"),
        (lambda: assignments.write_student_edition(tmp_path / "no" / "out", [chapter]), "whose parent exists"),
        (lambda: assignments.write_student_edition(only_notebooks, [only_notebooks / chapter.name]),
         "out_dir must not be the folder"),
        (lambda: assignments.write_student_edition(tmp_path / "out", str(chapter)), "notebooks must be None"),
        (lambda: assignments.write_student_edition(tmp_path / "out", [tmp_path / "no.ipynb"]), "not found"),
        (lambda: assignments.write_nbgrader_course(tmp_path / "out", [chapter], points=True), "points must"),
        (lambda: assignments.write_nbgrader_course(tmp_path / "out", [chapter], release="no"), "release must"),
        (lambda: assignments.write_nbgrader_course(tmp_path / "out", [chapter], visible_checks=1), "visible_checks"),
        (lambda: assignments._nbgrader(tmp_path, "autograde", "99_probe"), "course_dir must be an nbgrader course"),
        (lambda: assignments._nbgrader(tmp_path, "grade", "99_probe"), "step must be one of"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()
    assert not (tmp_path / "out").exists()
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    for assignment, student in (("../x", None), (5, None), ("99_probe", "")):
        with pytest.raises(ValueError, match="assignment must|student must"):
            assignments._nbgrader(tmp_path, "autograde", assignment, student)


def test_the_command_line(tmp_path, capsys):
    chapter = tmp_path / "99_probe.ipynb"
    nbformat.write(synthetic_chapter(), chapter)
    assert assignments._main(["student", "--out", str(tmp_path / "student"), str(chapter)]) == 0
    assert (tmp_path / "student" / chapter.name).is_file()
    assert assignments._main(["nbgrader", "--out", str(tmp_path / "course"), "--points", "3", "--no-release",
                             str(chapter)]) == 0
    assert "1 assignments (99_probe) in source/" in capsys.readouterr().out
    source = nbformat.read(tmp_path / "course" / "source" / "99_probe" / chapter.name, as_version=4)
    assert [c.metadata["nbgrader"].get("points") for c in source.cells if "nbgrader" in c.metadata] == [None, 3] * 2
    broken = synthetic_chapter()
    broken.cells[3].metadata["tags"] = []
    nbformat.write(broken, chapter)
    assert assignments._main(["nbgrader", "--out", str(tmp_path / "course"), str(chapter)]) == 1
    assert "error: 99_probe.ipynb: cell 3 holds a solution but is not tagged" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- nbgrader, end to end

def submission(release: nbformat.NotebookNode, exercises: list, wrong: set[int] = frozenset()):
    """The release with each answer cell filled in as a student would: the solution's code, or a wrong answer."""
    filled = nbformat.from_dict(release)
    for cell in filled.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        match = re.fullmatch(r"exercise_(\d+)_answer", grade_id)
        if match:
            exercise = exercises[int(match.group(1)) - 1]
            cell.source = WRONG_ANSWER if exercise.number in wrong else exercise.code
    return filled


@pytest.fixture(scope="module")
def graded_chapter(tmp_path_factory) -> Path:
    """The first converted chapter, or a synthetic chapter in the same format while none is converted."""
    if CONVERTED_CHAPTERS:
        return NOTEBOOKS / CONVERTED_CHAPTERS[0]
    path = tmp_path_factory.mktemp("chapters") / "99_probe.ipynb"
    nbformat.write(synthetic_chapter(), path)
    return path


def grade_right_and_wrong(chapter: Path, course: Path) -> tuple[dict, set, int]:
    """Build the course for ``chapter``, submit a right and a wrong (exercise 1) answer, autograde both.

    Returns ({student: (score, max_score)}, {(grade cell, score) the wrong submission lost}, exercises).
    """
    from nbgrader.api import Gradebook

    assert assignments.write_nbgrader_course(course, [chapter], points=POINTS) == [chapter.stem]
    assignment, name = chapter.stem, chapter.name
    release = nbformat.read(course / "release" / assignment / name, as_version=4)
    original = nbformat.read(chapter, as_version=4)
    exercises = assignments.find_exercises(original, name)
    assert not leaks(release, solution_code_lines(original)), leaks(release, solution_code_lines(original))
    answers = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert [c.source.rstrip() for c in answers] == [e.placeholder for e in exercises], "the student's placeholders"

    for student, wrong in (("right", set()), ("wrong", {1})):
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(submission(release, exercises, wrong), folder / name)
    assignments._nbgrader(course, "autograde", assignment)  # = `nbgrader autograde ASSIGNMENT --force`
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {}
        for student in ("right", "wrong"):
            found = gradebook.find_submission(assignment, student)
            scores[student] = (found.score, found.max_score)
        lost = {(g.name, g.score) for g in gradebook.find_submission_notebook(chapter.stem, assignment, "wrong").grades
                if g.score < g.max_score}
    return scores, lost, len(exercises)


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader 0.9.6's gradebook on SQLAlchemy 2.1
def test_nbgrader_grades_a_right_answer_with_full_marks_and_a_wrong_one_without_its_points(graded_chapter, tmp_path):
    scores, lost, exercises = grade_right_and_wrong(graded_chapter, tmp_path / "course")
    full = POINTS * exercises
    assert scores == {"right": (full, full), "wrong": (full - POINTS, full)}
    assert lost == {("exercise_1_test", 0)}, "only the wrong exercise loses its points"
