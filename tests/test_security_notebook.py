"""Chapter 6 notebook: every hidden solution runs and passes its self-check; nothing of a solution runs on Run All.

(Worker w8ui writes the course-wide version of this test; this one covers 06 until it lands.)
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import NOTEBOOKS, read_notebook

NOTEBOOK = NOTEBOOKS / "06_security.ipynb"
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def cells() -> list[dict]:
    return read_notebook(NOTEBOOK)["cells"]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def is_solution(cell) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def test_solutions_are_markdown_only():
    solutions = [c for c in cells() if is_solution(c)]
    assert len(solutions) >= 6
    assert all(c["cell_type"] == "markdown" for c in solutions), "no code cell is a solution (they would run)"
    assert not any("assert check_" in source(c) for c in cells() if c["cell_type"] == "code")


def test_every_solution_passes_in_a_kernel_after_the_cells_above_it():
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    solutions = []
    new_cells = []
    for cell in notebook.cells:
        new_cells.append(cell)
        if cell.cell_type == "markdown" and is_solution(cell):
            block = CODE_BLOCK.search(cell.source)
            assert block, "a solution holds a python block"
            solutions.append(block.group(1))
            new_cells.append(nbformat.v4.new_code_cell(block.group(1) + "\nprint('solution ok')"))
    notebook.cells = new_cells
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    oks = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
           if output.get("name") == "stdout" and "solution ok" in output.get("text", "")]
    assert len(oks) == len(solutions)
    # the student's cells, still holding answer = None, answered without a traceback
    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors
