"""Chapter 3's notebook: every exercise's hidden solution runs after the cells above it and passes its check.

Solutions are markdown ``<details>`` cells (never run by Run All); this test executes each one's
python block in the namespace the notebook's own code cells built, in order, in this process.
"""

from __future__ import annotations

import re

from tests.conftest import NOTEBOOKS, read_notebook

NOTEBOOK = NOTEBOOKS / "03_resources.ipynb"


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_every_solution_runs_and_passes_its_check():
    namespace: dict = {}
    solved = 0
    for cell in read_notebook(NOTEBOOK)["cells"]:
        if cell["cell_type"] == "code":
            exec(compile(source(cell), "<notebook cell>", "exec"), namespace)  # noqa: S102
        elif "solution" in cell["metadata"].get("tags", []):
            block = re.search(r"```python\n(.*?)\n```", source(cell), re.S).group(1)
            exec(compile(block, "<solution>", "exec"), namespace)  # noqa: S102  (its own assert checks it)
            solved += 1
    assert solved == 5


def test_unanswered_exercises_say_so_without_failing():
    cells = read_notebook(NOTEBOOK)["cells"]
    student_cells = [source(c) for c in cells if c["cell_type"] == "code" and source(c).startswith("answer = None")]
    assert len(student_cells) == 5
    assert all(re.search(r"\ncheck_\w+\(answer\)$", text) for text in student_cells)
