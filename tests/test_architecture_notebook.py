"""Chapter 2's notebook: every exercise's solution (a closed <details> block) passes its own check, and the
summary's numbers come from the model. Run on the helpers directly; the notebook itself is run by nbval."""

from __future__ import annotations

import re

import pytest

from tests.conftest import NOTEBOOKS, read_notebook

NOTEBOOK = "02_architecture.ipynb"


def cells():
    return read_notebook(NOTEBOOKS / NOTEBOOK)["cells"]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def solution_blocks() -> list[str]:
    return [re.search(r"```python\n(.*?)```", source(c), re.S).group(1) for c in cells()
            if "solution" in c["metadata"].get("tags", [])]


def setup_namespace() -> dict:
    namespace: dict = {}
    exec(source(next(c for c in cells() if c["cell_type"] == "code")), namespace)  # noqa: S102 - our own notebook
    return namespace


def test_every_exercise_has_a_markdown_solution_that_runs_nothing_on_run_all():
    solutions = [c for c in cells() if "solution" in c["metadata"].get("tags", [])]
    assert len(solutions) == 4 and all(c["cell_type"] == "markdown" for c in solutions)
    for cell in solutions:
        assert source(cell).startswith("<details><summary>Solution (open it after you have tried)</summary>")


@pytest.mark.parametrize("index", range(4))
def test_solution_code_passes_its_check(index):
    namespace = setup_namespace()
    exec(solution_blocks()[index], namespace)  # noqa: S102 - the solution ends with assert check_...(answer)


def test_every_platform_id_exercise_4_takes_is_shown_before():
    from helpers import architecture, architecture_views
    shown = set(architecture_views.interface_table().data["platform (id)"])
    counted = set(architecture.interface_summary().query("counted")["platform"])
    assert counted <= shown


def test_no_bad_plurals():
    text = "\n".join(source(c) for c in cells())
    assert not re.search(r"(?<![\d.,])1 (layers|years|events|devices|system calls)\b", text)


def test_summary_does_not_teach_counting_shared_layers():
    summary = next(source(c) for c in cells() if source(c).startswith("## Summary"))
    assert "enforcing interface" in summary and "295" in summary and "share 2 of 4 layers" not in summary
    assert "misleading" in summary and "65,000" in summary
