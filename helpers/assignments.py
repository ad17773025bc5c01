"""Two teaching editions of the chapters: a student edition without solutions, and an nbgrader course.

Both are built from the exercise format every chapter follows (CONVENTIONS.md, new convention 1), never
from a chapter's content, so a new chapter is picked up as soon as its notebook exists
(:func:`helpers.course.notebook_files`). An exercise is a Markdown prompt, then a code cell::

    answer = None  # what to put here, with unit
    check_something(answer)

then ONE Markdown cell tagged ``solution``: ``<details><summary>...</summary>``, a fenced python block that
computes ``answer`` and ends with ``assert check_something(answer)``, and the reasoning.

Commands (``make student-edition`` and ``make assignments`` run them; output in ``build/``, git-ignored)::

    python -m helpers.assignments student  [--out build/student]
    python -m helpers.assignments nbgrader [--out build/nbgrader] [--points 1] [--visible-checks] [--no-release]

* ``student`` writes a copy of every notebook without its solution cells; the copies run top to bottom
  (each ``answer = None`` prints "no answer yet").
* ``nbgrader`` writes an nbgrader course directory: ``nbgrader_config.py`` and one assignment per chapter
  in ``source/NN_slug/NN_slug.ipynb``, then runs nbgrader's own ``generate_assignment`` for each, which
  writes the student version to ``release/NN_slug/``. In the source version, each exercise's answer cell
  is an autograded answer cell whose solution (the ``<details>`` block's code, its reasoning as comments)
  sits between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` after the student's ``answer = None`` line;
  the next cell is a read-only test cell worth ``--points`` points whose ``assert check_...(answer)`` sits
  between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. The release keeps only the placeholder
  and a line naming the hidden test; ``nbgrader autograde`` puts the tests back. The self-check call is
  moved into the hidden test (students cannot try answers until the check says yes); ``--visible-checks``
  keeps it in the answer cell as well, for practice assignments.

Rerunning either command replaces what it wrote before; in the nbgrader course it leaves ``submitted/``,
``autograded/``, ``feedback/`` and ``gradebook.db`` alone. tests/test_assignments.py runs nbgrader's
``generate_assignment`` and ``autograde`` on a right and on a wrong submission and checks the scores.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .course import NOTEBOOK_DIR, notebook_files
from .validation import require_choice, require_number

__all__ = ["Exercise", "find_exercises", "parse_solution", "student_copy", "write_student_edition",
           "nbgrader_source", "write_nbgrader_course", "SOLUTION_TAG", "PANEL_ANSWERS_TAG", "BUILD_DIR"]

BUILD_DIR = NOTEBOOK_DIR.parent / "build"
SOLUTION_TAG = "solution"
#: Tag of a Markdown cell holding the hidden answers to a live panel's questions (closed ``<details>``).
PANEL_ANSWERS_TAG = "panel-answers"
#: The solution cell's form (the same pattern tests/test_notebook_structure.py enforces).
SOLUTION_RE = re.compile(r"\A<details><summary>(?P<summary>[^<]*)</summary>\s*\n\s*\n```python\n(?P<code>.*?)\n```\s*\n"
                         r"(?P<reasoning>.*?)\s*</details>\s*\Z", re.S)
_CHECK_LINE = re.compile(r"^check_\w+\(")
_ASSERT_CHECK = re.compile(r"^assert check_\w+\(answer\)\s*$")
_EXERCISES_HEADING = re.compile(r"\A\s*## Exercises\b")
STUDENT_NOTE = ("> **Student edition:** the solutions are not included. Each self-check tells you whether your "
                "answer is right, and gives a hint when it is not.")
GRADED_NOTE = ("> **Graded assignment:** this version has no solutions{checks}. Each exercise is graded by a hidden "
               "test ({points} per exercise) when your teacher runs the autograder. Replace `None` with your answer "
               "(you may compute it with the helpers in the same cell), run the notebook from the top, save it and "
               "submit it.")
#: nbgrader's settings for the course (written to ``nbgrader_config.py``).
NBGRADER_CONFIG = {
    "CourseDirectory.course_id": "vm-vs-cloud",
    # The student's own ``answer = None`` line stays above the solution region, so the region needs no stub.
    "ClearSolutions.code_stub": {"python": ""},
    # A chapter runs in a few seconds; a shared classroom server may be much slower.
    "Execute.timeout": 300,
}


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _describe(value) -> str:
    text = repr(value)
    return (text[:60] + "...") if len(text) > 60 else text


def _is_cell(cell) -> bool:
    return isinstance(cell, Mapping) and isinstance(cell.get("cell_type"), str) \
        and isinstance(cell.get("source", ""), (str, list))


def _require_notebook(notebook) -> None:
    cells = notebook.get("cells") if isinstance(notebook, Mapping) else None
    if not isinstance(cells, list) or not all(_is_cell(cell) for cell in cells):
        raise ValueError("notebook must be a notebook (from nbformat.read, or its JSON as a dict) with a list of "
                         f"cells; got {_describe(notebook)}")


def _require_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be the notebook's file name, a non-empty string; got {_describe(name)}")
    return name


def _require_folder(parameter: str, value, default: Path, *, ours) -> Path:
    """An output folder: None (``default``), or a str or path whose parent exists. An existing folder must be
    empty or hold what this module wrote there (``ours(folder)``): a mistyped ``--out`` never litters a folder."""
    if value is None:
        path = default
    elif isinstance(value, bool) or not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ValueError(f"{parameter} must be a folder path (a str or pathlib.Path); got {_describe(value)}")
    else:
        path = Path(value)
        if not path.exists() and not path.parent.is_dir():
            raise ValueError(f"{parameter} must be a folder whose parent exists; {str(path.parent)!r} does not")
    if path.exists() and not path.is_dir():
        raise ValueError(f"{parameter} must be a folder; {str(path)!r} is a file")
    if path.exists() and any(path.iterdir()) and not ours(path):
        raise ValueError(f"{parameter} must be a new or empty folder, or one this command wrote; {str(path)!r} "
                         "holds other files")
    return path


def _is_student_edition(folder: Path) -> bool:
    return all(item.suffix == ".ipynb" or item.name.startswith(".") for item in folder.iterdir())


def _is_nbgrader_course(folder: Path) -> bool:
    return (folder / "nbgrader_config.py").is_file()


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def parse_solution(cell) -> re.Match | None:
    """The parts of a solution cell (``summary``, ``code``, ``reasoning``), or None if it is not in the form."""
    if not _is_cell(cell):
        raise ValueError(f"cell must be a notebook cell (a dict with cell_type and source); got {_describe(cell)}")
    return SOLUTION_RE.match(_text(cell).strip())


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook, as the format lays it out."""

    number: int            #: 1, 2, ... in the notebook's order
    answer_cell: int       #: index of the ``answer = None`` / ``check_...(answer)`` code cell
    solution_cell: int     #: index of the Markdown cell tagged "solution" right after it
    placeholder: str       #: the answer cell's lines above the check call (``answer = None  # ...``)
    check: str             #: the check call, one expression: ``check_...(answer)``
    code: str              #: the solution's python block
    reasoning: str         #: the solution's prose after the block


def find_exercises(notebook, name: str = "notebook") -> list[Exercise]:
    """Every exercise of ``notebook`` (an nbformat notebook or its dict), in order.

    ``ValueError`` (naming ``name`` and the cell) when a cell tagged "solution" is not a Markdown cell in the
    format, does not follow an answer cell, or when an untagged cell holds a solution: a broken layout must
    never leak a solution or grade the wrong cell.
    """
    _require_notebook(notebook)
    _require_name(name)
    cells = notebook["cells"]
    exercises = []
    for index, cell in enumerate(cells):
        where = f"{name}: cell {index}"
        tagged = SOLUTION_TAG in _tags(cell)
        if not tagged:
            if cell["cell_type"] == "markdown" and parse_solution(cell):
                raise ValueError(f"{where} holds a solution but is not tagged {SOLUTION_TAG!r}")
            continue
        if cell["cell_type"] != "markdown":
            raise ValueError(f"{where}: a {cell['cell_type']} cell tagged {SOLUTION_TAG!r}; solutions are Markdown "
                             "<details> cells now (CONVENTIONS.md, new convention 1)")
        parts = parse_solution(cell)
        if parts is None:
            raise ValueError(f"{where}: a solution cell not in the form <details><summary>...</summary>, a blank "
                             "line, a ```python block, reasoning, </details>")
        answer = cells[index - 1] if index else None
        source = _text(answer) if answer is not None else ""
        lines = source.rstrip().splitlines()
        first_check = next((i for i, line in enumerate(lines) if _CHECK_LINE.match(line)), None)
        if answer is None or answer["cell_type"] != "code" or first_check is None \
                or not re.search(r"^answer = None\b", source, re.M):
            raise ValueError(f"{where}: the cell before a solution must be the answer cell "
                             "(answer = None  # ..., then check_...(answer))")
        check = "\n".join(lines[first_check:]).strip()
        try:
            ast.parse(check, mode="eval")
        except SyntaxError:
            raise ValueError(f"{name}: cell {index - 1}: the check must be one call after the answer line, "
                             f"such as check_x(answer); got {check!r}") from None
        exercises.append(Exercise(number=len(exercises) + 1, answer_cell=index - 1, solution_cell=index,
                                  placeholder="\n".join(lines[:first_check]).rstrip(), check=check,
                                  code=parts["code"].strip("\n"), reasoning=parts["reasoning"].strip()))
    return exercises


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _notebooks(paths) -> list[Path]:
    """``notebooks``: None (every notebook of the course, helpers.course.notebook_files) or a list of .ipynb paths."""
    if paths is None:
        return [NOTEBOOK_DIR / name for name in notebook_files()]
    if isinstance(paths, (str, bytes, os.PathLike)) or not isinstance(paths, (list, tuple)) or not paths \
            or not all(isinstance(p, (str, os.PathLike)) and not isinstance(p, bool) for p in paths):
        raise ValueError(f"notebooks must be None (every notebook) or a non-empty list of .ipynb paths; "
                         f"got {_describe(paths)}")
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if p.suffix != ".ipynb" or not p.is_file()]
    if missing:
        raise ValueError(f"notebooks must be existing .ipynb files; not found: {missing}")
    return paths


def _insert_note(cells: list, note: str) -> None:
    """Put ``note`` (a Markdown paragraph) right under the ``## Exercises`` heading, if there is one."""
    for cell in cells:
        if cell["cell_type"] == "markdown" and _EXERCISES_HEADING.match(_text(cell)):
            heading, _, rest = _text(cell).lstrip().partition("\n")
            cell["source"] = f"{heading}\n\n{note}\n\n{rest.lstrip()}".rstrip()
            return


# --------------------------------------------------------------------------------------------- student edition

def student_copy(notebook, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``notebook`` without its cells tagged "solution", with a note under the Exercises heading.

    Every tagged cell goes, Markdown or (the layout before CONVENTIONS.md's convention 1) code, and so do
    the answers to the live panels' questions (cells tagged :data:`PANEL_ANSWERS_TAG`);
    ``ValueError`` if an untagged cell holds a solution, which would leak.
    """
    _require_notebook(notebook)
    _require_name(name)
    for index, cell in enumerate(notebook["cells"]):
        if SOLUTION_TAG not in _tags(cell) and cell["cell_type"] == "markdown" and parse_solution(cell):
            raise ValueError(f"{name}: cell {index} holds a solution but is not tagged {SOLUTION_TAG!r}")
    result = copy.deepcopy(nbformat.from_dict(notebook))
    result.cells = [cell for cell in result.cells if SOLUTION_TAG not in _tags(cell)]
    solutions_removed = len(result.cells) != len(notebook["cells"])
    result.cells = [cell for cell in result.cells if PANEL_ANSWERS_TAG not in _tags(cell)]
    if solutions_removed:
        _insert_note(result.cells, STUDENT_NOTE)
    return result


def write_student_edition(out_dir: Path | None = None, notebooks: list[Path] | None = None) -> list[Path]:
    """Write :func:`student_copy` of every notebook (default: all of ``notebooks/``) to ``out_dir``.

    ``out_dir`` defaults to ``build/student``; its old ``.ipynb`` files are removed first (so it may not be a
    folder the notebooks are read from). Returns the paths written.
    """
    out = _require_folder("out_dir", out_dir, BUILD_DIR / "student", ours=_is_student_edition)
    paths = _notebooks(notebooks)
    if out.resolve() in {path.resolve().parent for path in paths}:
        raise ValueError(f"out_dir must not be the folder the notebooks are read from; got {str(out)!r}")
    copies = [student_copy(_read(path), path.name) for path in paths]  # every check before anything is written
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    written = []
    for path, notebook in zip(paths, copies):
        target = out / path.name
        nbformat.write(notebook, target)
        written.append(target)
    return written


# --------------------------------------------------------------------------------------------- nbgrader

def _nbgrader_metadata(grade_id: str, *, solution: bool, points: float | None = None) -> dict:
    metadata = {"grade": points is not None, "grade_id": grade_id, "locked": not solution,
                "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        metadata["points"] = points
    return metadata


def _comment(text: str, width: int = 100) -> str:
    lines = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines += textwrap.wrap(" ".join(paragraph.split()), width - 2) + [""]
    return "\n".join(f"# {line}".rstrip() for line in lines[:-1])


def _points_text(points: float) -> str:
    shown = f"{points:g}"
    return f"{shown} point" if points == 1 else f"{shown} points"


def _require_grading(points, visible_checks) -> None:
    require_number("points", points, minimum=0, maximum=100, min_inclusive=False)
    if not isinstance(visible_checks, bool):
        raise ValueError(f"visible_checks must be True or False; got {_describe(visible_checks)}")


def nbgrader_source(notebook, name: str = "notebook", *, points: float = 1,
                    visible_checks: bool = False) -> nbformat.NotebookNode:
    """The nbgrader *source* (instructor) version of a chapter: answer cells with the solution, hidden tests.

    Each exercise's answer cell becomes an autograded answer cell (the placeholder, then the solution between
    ``### BEGIN SOLUTION`` / ``### END SOLUTION``, without its closing assert, with its reasoning as comments);
    its solution cell becomes a read-only test cell worth ``points`` that asserts the check. ``visible_checks``
    keeps the check call in the answer cell too. Other cells are unchanged.
    """
    _require_grading(points, visible_checks)
    exercises = find_exercises(notebook, name)
    result = copy.deepcopy(nbformat.from_dict(notebook))
    for exercise in exercises:
        code = "\n".join(line for line in exercise.code.splitlines() if not _ASSERT_CHECK.match(line)).strip("\n")
        answer_source = [exercise.placeholder, "### BEGIN SOLUTION", code, _comment(exercise.reasoning),
                         "### END SOLUTION"]
        if visible_checks:
            answer_source.append(exercise.check)
        answer = result.cells[exercise.answer_cell]
        answer.source = "\n".join(answer_source)
        answer.metadata["nbgrader"] = _nbgrader_metadata(f"exercise_{exercise.number}_answer", solution=True)
        answer.outputs, answer.execution_count = [], None
        test = nbformat.v4.new_code_cell("\n".join([
            f"# Exercise {exercise.number}: graded by a hidden test ({_points_text(points)}).",
            "### BEGIN HIDDEN TESTS",
            f"_result = {exercise.check}",
            "assert _result, _result  # the message says what is wrong",
            "### END HIDDEN TESTS",
        ]))
        test.metadata["nbgrader"] = _nbgrader_metadata(f"exercise_{exercise.number}_test", solution=False,
                                                       points=points)
        result.cells[exercise.solution_cell] = test
    if exercises:
        checks = "" if visible_checks else " and no self-checks"
        _insert_note(result.cells, GRADED_NOTE.format(points=_points_text(points), checks=checks))
    return result


def _config_text(settings: dict) -> str:
    lines = ["# nbgrader settings of the course, written by `python -m helpers.assignments nbgrader`.",
             "c = get_config()  # noqa: F821", ""]
    lines += [f"c.{key} = {value!r}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _scripts_on_path():
    """This interpreter's scripts folder first on ``PATH`` while nbgrader runs.

    nbgrader's gradebook runs the ``alembic`` command it installs, which is not on ``PATH`` when the virtual
    environment is not activated (``make``, ``.venv/bin/python``).
    """
    before = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), before])
    try:
        yield
    finally:
        os.environ["PATH"] = before


def _nbgrader(course_dir: Path, step: str, assignment: str, student: str | None = None) -> str:
    """Run nbgrader's own ``generate_assignment`` or ``autograde`` (its Python API) in ``course_dir``.

    The same as ``nbgrader STEP ASSIGNMENT --force [--student STUDENT]`` run in ``course_dir`` (its
    ``nbgrader_config.py`` is read), without starting another Python. Returns nbgrader's log;
    ``RuntimeError`` with the log if nbgrader fails.
    """
    require_choice("step", step, ("generate_assignment", "autograde"))
    if isinstance(course_dir, bool) or not isinstance(course_dir, (str, os.PathLike)) \
            or not (Path(course_dir) / "nbgrader_config.py").is_file():
        raise ValueError("course_dir must be an nbgrader course folder (with nbgrader_config.py, as "
                         f"write_nbgrader_course writes it); got {_describe(course_dir)}")
    for parameter, value in (("assignment", assignment), ("student", student)):
        if (value is not None or parameter == "assignment") and \
                (not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", value)):
            raise ValueError(f"{parameter} must be an nbgrader id (letters, digits, _ . -), such as "
                             f"'05_cost'; got {_describe(value)}")
    from nbgrader.converters import Autograde, GenerateAssignment  # imported here: a few seconds, teachers only
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    from traitlets.config.loader import PyFileConfigLoader

    steps = {"generate_assignment": GenerateAssignment, "autograde": Autograde}
    root = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    if student is not None:
        coursedir.student_id = student
    app = steps[step](coursedir=coursedir, config=config)
    app.force = True
    with _scripts_on_path():
        result = capture_log(app)
    log = result.get("log", "")
    if not result["success"]:
        raise RuntimeError(f"nbgrader {step} {assignment} failed:\n{log}\n{result.get('error', '')}")
    return log


def write_nbgrader_course(out_dir: Path | None = None, notebooks: list[Path] | None = None, *, points: float = 1,
                          visible_checks: bool = False, release: bool = True) -> list[str]:
    """Write an nbgrader course with one assignment per chapter that has exercises; return the assignment ids.

    ``out_dir`` defaults to ``build/nbgrader``. Each chapter's ``source/NN_slug/`` is rewritten from
    :func:`nbgrader_source`; ``release`` runs nbgrader's ``generate_assignment`` for each (``release/NN_slug/``).
    """
    out = _require_folder("out_dir", out_dir, BUILD_DIR / "nbgrader", ours=_is_nbgrader_course)
    _require_grading(points, visible_checks)
    if not isinstance(release, bool):
        raise ValueError(f"release must be True or False; got {_describe(release)}")
    sources = {}  # every chapter is converted (and checked) before anything is written
    for path in _notebooks(notebooks):
        notebook = _read(path)
        if find_exercises(notebook, path.name):  # the index has nothing to grade
            sources[path] = nbgrader_source(notebook, path.name, points=points, visible_checks=visible_checks)
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(_config_text(NBGRADER_CONFIG), encoding="utf-8")
    assignments = []
    for path, source in sources.items():
        assignment = path.stem
        folder = out / "source" / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(source, folder / path.name)
        assignments.append(assignment)
    if release:
        for assignment in assignments:
            _nbgrader(out, "generate_assignment", assignment)
    return assignments


# --------------------------------------------------------------------------------------------- command line

def _main(argv: list[str] | None = None) -> int:
    """The command line (``python -m helpers.assignments --help``); 0 on success, 1 with a message on bad input."""
    parser = argparse.ArgumentParser(prog="python -m helpers.assignments", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="copies of the notebooks without solutions")
    student.add_argument("--out", type=Path, default=BUILD_DIR / "student", help="folder (default build/student)")
    grader = commands.add_parser("nbgrader", help="an nbgrader course: source and release versions")
    grader.add_argument("--out", type=Path, default=BUILD_DIR / "nbgrader",
                        help="course folder (default build/nbgrader)")
    grader.add_argument("--points", type=float, default=1, help="points per exercise (default 1)")
    grader.add_argument("--visible-checks", action="store_true",
                        help="keep the self-check in the student's answer cell (practice, not exam)")
    grader.add_argument("--no-release", action="store_true", help="write source/ only; skip generate_assignment")
    for command in (student, grader):
        command.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: every notebook)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or None
    try:
        if args.command == "student":
            written = write_student_edition(args.out, notebooks)
            print(f"student edition: {len(written)} notebooks in {_shown(args.out)}/")
        else:
            assignments = write_nbgrader_course(args.out, notebooks, points=args.points,
                                                visible_checks=args.visible_checks, release=not args.no_release)
            print(f"nbgrader course in {_shown(args.out)}/: {len(assignments)} assignments "
                  f"({', '.join(assignments)}) in source/" + ("" if args.no_release else " and release/"))
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    raise SystemExit(_main())
