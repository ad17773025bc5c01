"""Valid calls of helpers/assignments.py's public functions, for the bad-input layer (tests/test_bad_input.py).

tests/helper_examples.py merges them (``EXAMPLES.update(ASSIGNMENT_EXAMPLES)``; until the branch with that layer
is merged, nothing imports this file). The writers write into a temporary folder, removed at exit; nothing runs
nbgrader (``release=False``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat

from tests.bad_values import Example

_FOLDER = Path(tempfile.mkdtemp(prefix="vm-vs-cloud-assignment-examples-"))
atexit.register(shutil.rmtree, _FOLDER, True)
#: A two-exercise chapter in the course's exercise format (the one tests/test_assignments.py uses).
CHAPTER = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_markdown_cell("## Exercises\n\n**1.** Twice 21?"),
    nbformat.v4.new_code_cell("answer = None  # cores\ncheck_double(answer)"),
    nbformat.v4.new_markdown_cell("<details><summary>Solution (open it after you have tried)</summary>\n\n```python\n"
                                  "answer = 42\nassert check_double(answer)\n```\n\nTwice 21 is 42, as stated.\n"
                                  "</details>", metadata={"tags": ["solution"]}),
])
CHAPTER_FILE = _FOLDER / "99_probe.ipynb"
nbformat.write(CHAPTER, CHAPTER_FILE)
_NOTEBOOK = dict(notebook=CHAPTER, name="99_probe.ipynb")
_KINDS = {"notebook": "mapping"}
_FOLDERS = {"out_dir": "path", "notebooks": "path"}

ASSIGNMENT_EXAMPLES = {
    "helpers.assignments.parse_solution": Example(dict(cell=CHAPTER.cells[2]), kinds={"cell": "mapping"}),
    "helpers.assignments.find_exercises": Example(dict(_NOTEBOOK), kinds=_KINDS, text=("name",)),
    "helpers.assignments.student_copy": Example(dict(_NOTEBOOK), kinds=_KINDS, text=("name",)),
    "helpers.assignments.nbgrader_source": Example(dict(_NOTEBOOK, points=2.0), kinds=_KINDS, text=("name",)),
    "helpers.assignments.write_student_edition": Example(dict(out_dir=_FOLDER / "student", notebooks=[CHAPTER_FILE]),
                                                         kinds=_FOLDERS),
    "helpers.assignments.write_nbgrader_course": Example(dict(out_dir=_FOLDER / "course", notebooks=[CHAPTER_FILE],
                                                              release=False), kinds=_FOLDERS),
}
