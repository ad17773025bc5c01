"""The web edition: the whole course as a static site, built offline (``make site``).

    make site                          # = .venv/bin/python -m helpers.editions.site   ->  build/site/index.html
    .venv/bin/python -m helpers.editions.site --out /tmp/site

What it does:

1. copies every notebook that exists (:func:`helpers.course.notebook_files`) and the teacher's guide
   (``notebooks/teacher_guide.md``, its links to chapters not written yet as plain text) into ``build/site-src/``
   (code cells still tagged ``solution``, the older form, are folded under a "Solution" line; the index
   gets a hidden table of contents for the sidebar). The committed notebooks are not touched;
2. executes each copy in a fresh kernel whose environment turns the web edition on
   (:mod:`helpers.web_edition`: charts and live panels as static HTML; the chapter's name for the
   panels' "run it live" line), two at a time, without widget state;
3. runs Sphinx with MyST-NB and sphinx-book-theme (``helpers/editions/sphinx/conf.py``) on the executed copies:
   one page per notebook, the sidebar navigation, previous/next links and a search page
   (``search.html``) in ``build/site/``; any Sphinx warning fails the build;
4. writes ``build/site/index.html``, which opens the course index (``00_index.html``).

Open ``build/site/index.html`` in a browser (no server needed), or serve the folder as static files.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from helpers.course import NOTEBOOK_DIR, notebook_files
from helpers.web_edition import CHAPTER_ENV, ENV_FLAG

__all__ = ["prepare_source", "build", "CONF_DIR", "DEFAULT_OUT", "SOLUTION_PROMPT"]

ROOT = Path(__file__).resolve().parents[2]
CONF_DIR = Path(__file__).resolve().parent / "sphinx"
DEFAULT_OUT = ROOT / "build" / "site"
SOLUTION_PROMPT = "Solution (open it after you have tried)"
#: The teacher's guide (notebooks/teacher_guide.md), rendered as one more page after the chapters.
GUIDE_PAGE = "teacher_guide"
#: Seconds a cell may run in the build.
CELL_TIMEOUT_S = 300


def prepare_source(source: Path, notebooks: Path = NOTEBOOK_DIR) -> list[str]:
    """Write the build's copies of every notebook into ``source`` (emptied first); return their names."""
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    names = notebook_files() if notebooks == NOTEBOOK_DIR else sorted(p.name for p in notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not names or names[0] != "00_index.ipynb":
        raise ValueError(f"notebooks must hold 00_index.ipynb and the chapters; found {names}")
    for name in names:
        notebook = nbformat.read(notebooks / name, as_version=4)
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code" and "solution" in tags:  # the older form: a code cell, folded
                cell.metadata["tags"] = [*tags, "hide-cell"]
                cell.metadata["mystnb"] = {"code_prompt_show": SOLUTION_PROMPT, "code_prompt_hide": "Hide the solution"}
        if name == "00_index.ipynb":  # the root page lists the chapters for the sidebar (hidden in the page)
            extras = [GUIDE_PAGE] if (notebooks / f"{GUIDE_PAGE}.md").exists() else []
            entries = "\n".join([*(other.removesuffix(".ipynb") for other in names[1:]), *extras])
            notebook.cells.append(nbformat.v4.new_markdown_cell(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{entries}\n```"))
        nbformat.write(notebook, source / name)
    guide = notebooks / f"{GUIDE_PAGE}.md"
    if guide.exists():  # the teacher's guide, a page of its own; a link to a chapter not written yet is plain text
        text = re.sub(r"\[([^\]]+)\]\((\d\d_\w+)\.ipynb\)",
                      lambda m: m.group(0) if f"{m.group(2)}.ipynb" in names else m.group(1),
                      guide.read_text(encoding="utf-8"))
        (source / guide.name).write_text(text, encoding="utf-8")
    return names


def _execute(path: Path) -> tuple[str, float]:
    """Run one notebook in a fresh kernel with the web edition on; write it back with its outputs."""
    from nbclient import NotebookClient

    started = time.perf_counter()
    notebook = nbformat.read(path, as_version=4)
    stem = path.name.removesuffix(".ipynb")
    env = {**os.environ, ENV_FLAG: "1", CHAPTER_ENV: stem, "JUPYTER_PLATFORM_DIRS": "1"}
    # store_widget_state=False: the pages show the static forms; widget state would add megabytes per page
    client = NotebookClient(notebook, kernel_name="python3", timeout=CELL_TIMEOUT_S, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    nbformat.write(notebook, path)
    return path.name, time.perf_counter() - started


def execute_all(source: Path, jobs: int = 2) -> dict[str, float]:
    """Execute every notebook in ``source`` (``jobs`` at a time); seconds per notebook. A failing cell raises."""
    from concurrent.futures import ProcessPoolExecutor

    paths = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if jobs <= 1:
        return dict(_execute(path) for path in paths)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(_execute, paths))


REDIRECT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>VMs vs cloud servers and containers</title>
<meta http-equiv="refresh" content="0; url=00_index.html"></head>
<body><p><a href="00_index.html">Open the course</a></p></body></html>
"""


def build(out: Path = DEFAULT_OUT, *, source: Path | None = None, jobs: int = 2, quiet: bool = True) -> Path:
    """Build the site into ``out``; returns the path of its ``index.html``. Raises on any failure.

    ``source`` (default: ``<out>-src`` beside ``out``) receives the executed copies of the notebooks.
    """
    out = Path(out).resolve()
    source = Path(source).resolve() if source else out.parent / f"{out.name}-src"
    if out.exists():  # a page of a removed notebook must not survive; only a previous build is emptied
        if any(out.iterdir()) and not (out / ".nojekyll").exists():
            raise ValueError(f"out must be a new or empty folder, or a previous site build; {out} holds other files")
        shutil.rmtree(out)
    prepare_source(source)
    execute_all(source, jobs=jobs)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-c", str(CONF_DIR), "-j", str(jobs),
               "--fail-on-warning", "--keep-going", str(source), str(out)]
    if quiet:
        command.insert(3, "-q")
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"sphinx-build failed with {done.returncode}: {' '.join(command)}")
    (out / "index.html").write_text(REDIRECT, encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve _static/ as it is
    return out / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.editions.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks executed at once, and Sphinx processes (default: 2, or 1 on one core)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        index = build(arguments.out, jobs=arguments.jobs, quiet=not arguments.verbose)
    except ValueError as error:
        parser.error(str(error))
    pages = sorted(p.name for p in index.parent.glob("[0-9][0-9]_*.html"))
    print(f"web edition: {len(pages)} pages in {time.perf_counter() - started:.0f} s -> {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
