"""Chapter 4's notebook: every folded solution runs in the notebook's kernel and passes its self-check.

Solutions are Markdown cells (``<details>`` with one python block) that Run All never executes. This test
executes the notebook with, after each solution cell, a code cell holding that solution's code: so each
solution runs after the cells above it, as a student who opens it and runs it would.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import NOTEBOOKS

NOTEBOOK = NOTEBOOKS / "04_performance.ipynb"


def solution_code(cell) -> str | None:
    if cell.cell_type != "markdown" or "solution" not in cell.metadata.get("tags", []):
        return None
    blocks = re.findall(r"```python\n(.*?)```", cell.source, flags=re.S)
    assert len(blocks) == 1, "one python block per solution"
    return blocks[0]


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells, solutions = [], 0
    for cell in notebook.cells:
        cells.append(cell)
        code = solution_code(cell)
        if code is not None:
            cells.append(nbformat.v4.new_code_cell(code + "\nprint('SOLUTION OK')"))
            solutions += 1
    notebook.cells = cells
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # raises on any failing cell
    return notebook, solutions


def test_every_solution_passes_its_check_after_the_cells_above(executed):
    notebook, solutions = executed
    printed = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
               if out.get("output_type") == "stream" and "SOLUTION OK" in out.get("text", "")]
    assert solutions >= 4 and len(printed) == solutions


def test_unanswered_exercises_say_so_and_give_nothing_away(executed):
    notebook, _ = executed
    checks = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.startswith("answer = None")]
    assert len(checks) >= 4
    for cell in checks:
        shown = " ".join(str(out.get("data", {}).get("text/plain", "")) + str(out.get("text", ""))
                         for out in cell.outputs)
        assert "No answer yet" in shown and "Right" not in shown


def test_solutions_are_folded_and_their_summary_gives_nothing_away():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    solutions = [cell for cell in notebook.cells if "solution" in cell.metadata.get("tags", [])]
    assert solutions and all(cell.cell_type == "markdown" for cell in solutions)
    for cell in solutions:
        assert cell.source.startswith("<details><summary>Solution (open it after you have tried)</summary>")
        assert cell.source.rstrip().endswith("</details>")
