"""Every exercise's solution works: executed in the notebook's kernel, at its place, in a copy of the notebook.

Solutions are Markdown cells tagged "solution" (CONVENTIONS.md, new convention 1), so Run All never
shows them and nbval never runs them. Here, for every notebook, a copy is made in which each
solution's ```python block becomes a code cell at the solution's position (after the cells above
it, including the student's ``answer = None`` cell), followed by a probe cell that records
``answer``; the copy is executed with nbclient in the current environment. A solution fails if it
raises (its ``assert check_...(answer)`` included); the answer it computes must not appear in the
solution's summary line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.course import notebook_files
from tests.conftest import NOTEBOOKS
from tests.test_notebook_structure import parse_solution

PROBE = "__solution_answer__"
TIMEOUT_S = 300


def solution_copy(notebook: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[dict]]:
    """The notebook with each solution's code as a code cell plus a probe cell; and what each solution is."""
    copy = nbformat.v4.new_notebook(metadata=notebook.metadata)
    solutions = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and "solution" in cell.get("metadata", {}).get("tags", []):
            parts = parse_solution(cell)
            if parts is None:
                raise AssertionError(f"cell {index}: a solution cell not in the convention's form "
                                     "(tests/test_notebook_structure.py says which part)")
            solutions.append({"cell": index, "summary": parts["summary"], "code_cell": len(copy.cells)})
            copy.cells.append(nbformat.v4.new_code_cell(parts["code"]))
            copy.cells.append(nbformat.v4.new_code_cell(
                f"print({PROBE!r}, __import__('json').dumps(repr(answer)))"))
        else:
            copy.cells.append(cell)
    return copy, solutions


def run_solutions(path: Path) -> tuple[list[str], int]:
    """Execute ``path`` with its solutions in place; (one message per failure, number of solutions)."""
    notebook = nbformat.read(path, as_version=4)
    copy, solutions = solution_copy(notebook)
    client = NotebookClient(copy, timeout=TIMEOUT_S, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    failures = []
    solution_cells = {s["code_cell"]: s for s in solutions}
    for index, cell in enumerate(copy.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                where = (f"solution of exercise cell {solution_cells[index]['cell']}" if index in solution_cells
                         else f"cell {index}")
                failures.append(f"{where}: {output['ename']}: {output['evalue']}")
    for solution in solutions:
        probe = copy.cells[solution["code_cell"] + 1]
        printed = "".join(o.get("text", "") for o in probe.get("outputs", []) if o.get("name") == "stdout")
        match = re.search(rf"{PROBE} (.*)", printed)
        if match:
            answer = json.loads(match.group(1)).strip("'\"")
            # as a whole word: the answer "a" is not given away by the "a" in "after"
            if answer and re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", solution["summary"], re.IGNORECASE):
                failures.append(f"solution of cell {solution['cell']}: its summary gives the answer {answer!r} away")
    return failures, len(solutions)


CONVERTED = list(notebook_files())
#: Exercises each chapter teaches with (replaces the chapters' own solution runners): a solution lost in an
#: edit fails here, not only when fewer than three are left.
EXERCISES = {"01_history.ipynb": 4, "02_architecture.ipynb": 4, "03_resources.ipynb": 5, "04_performance.ipynb": 5, "05_cost.ipynb": 5, "06_security.ipynb": 6}


@pytest.mark.parametrize("name", CONVERTED)
def test_every_solution_runs_and_passes_its_check(name):
    failures, count = run_solutions(NOTEBOOKS / name)
    assert not failures, f"{name}: " + "; ".join(failures)
    if name != "00_index.ipynb":
        assert count >= 3, f"{name}: only {count} solutions found"
    if name in EXERCISES:
        assert count == EXERCISES[name], f"{name}: {count} solutions, the chapter has {EXERCISES[name]} exercises"


def _notebook(tmp_path: Path, solution_code: str, summary: str = "Solution (open it after you have tried)") -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell("def check_double(answer):\n    return answer == 42"),
        nbformat.v4.new_code_cell("answer = None  # twice 21\ncheck_double(answer)"),
        nbformat.v4.new_markdown_cell(f"<details><summary>{summary}</summary>\n\n```python\n{solution_code}\n```\n\n"
                                      "Twice 21 is 42, as the model says.\n</details>",
                                      metadata={"tags": ["solution"]}),
    ]
    path = tmp_path / "99_probe.ipynb"
    nbformat.write(notebook, path)
    return path


def test_the_solution_runner_passes_a_good_solution_and_catches_bad_ones(tmp_path):
    """One kernel per case: a right solution passes; a wrong one, one that raises, and a summary that gives
    the answer away each fail with a message naming the exercise."""
    good = _notebook(tmp_path, "answer = 2 * 21\nassert check_double(answer)")
    assert run_solutions(good) == ([], 1)
    wrong, _ = run_solutions(_notebook(tmp_path, "answer = 41\nassert check_double(answer)"))
    assert len(wrong) == 1 and "AssertionError" in wrong[0] and "exercise cell 2" in wrong[0]
    raising, _ = run_solutions(_notebook(tmp_path, "answer = undefined_name * 2\nassert check_double(answer)"))
    assert len(raising) == 1 and "NameError" in raising[0]
    telling, _ = run_solutions(_notebook(tmp_path, "answer = 'memory'\nassert answer == 'memory'",
                                         summary="Solution: memory"))
    assert len(telling) == 1 and "gives the answer 'memory' away" in telling[0]
