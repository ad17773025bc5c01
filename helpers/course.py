"""The course map: every chapter, planned or written, in reading order.

The index notebook, the README's chapter table and the navigation tests all
read this one list, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Chapter", "CHAPTERS", "NOTEBOOK_DIR", "chapter_table", "course_map", "chapter_by_slug"]

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass(frozen=True)
class Chapter:
    """One chapter: its number, slug (used in ``claims.csv``), title, what it teaches, minutes of study."""

    number: int
    slug: str
    title: str
    teaches: str
    minutes: int

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def written(self) -> bool:
        """True once the chapter's notebook exists."""
        return (NOTEBOOK_DIR / self.filename).exists()


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "history", "History: from mainframe time-sharing to microVMs",
            "Sixty years of virtualization on a timeline; why VT-x/AMD-V and Linux namespaces changed what was possible.", 40),
    Chapter(2, "architecture", "Architecture: where the isolation boundary is",
            "Type-1 and Type-2 hypervisors, containers, containers in VMs, microVMs; what tenants share; how many instances fit a host.", 50),
    Chapter(3, "resources", "Resource management: fixed allocation vs autoscaling",
            "Fixed VM sizing, overcommit, autoscaling loops and their delays, spot capacity, bin packing.", 50),
    Chapter(4, "performance", "Performance: measured overheads of VMs and containers",
            "What published measurements say about CPU, memory, disk and network overhead; start-up times.", 45),
    Chapter(5, "cost", "Cost: owning servers vs renting cloud capacity",
            "Total cost of ownership, on-demand vs savings plans vs spot, the break-even utilisation, sensitivity.", 60),
    Chapter(6, "security", "Security: isolation, patching and recovery",
            "Attack surface of each isolation boundary, real escapes (CVEs), patch windows, RPO and RTO.", 45),
    Chapter(7, "scenarios", "Scenarios: choosing a platform",
            "Turning workload traits into a platform choice with a transparent scoring model.", 40),
    Chapter(8, "trends", "Trends: microVMs, serverless and convergence",
            "Start-up time against the enforcing interface: microVMs, sandboxes, VMs on Kubernetes, confidential VMs, "
            "unikernels and the edge, dated; a cold-start model; what the evidence says will hold.", 45),
    Chapter(9, "claims_audit", "Claims audit: reading a tech article critically",
            "Every claim of the article with its verdict and source, and how to check a number yourself.", 30),
    # An appendix, numbered on so that every tool that reads NN_slug.ipynb (navigation, editions, nbgrader) takes it.
    Chapter(10, "glossary", "Glossary: English and Chinese terms",
            "Every technical term of the course with the article's Chinese word, a one-line definition, the "
            "chapter that teaches it and a source; searchable.", 10),
)


def chapter_by_slug(slug: str) -> Chapter:
    """The chapter whose slug is ``slug``; ``ValueError`` if there is none."""
    for chapter in CHAPTERS:
        if chapter.slug == slug:
            return chapter
    raise ValueError(f"slug must be one of {[c.slug for c in CHAPTERS]}; got {slug!r}")


def chapter_table() -> pd.DataFrame:
    """The course map as a table: number, title, what it teaches, minutes, and whether it is written yet."""
    return pd.DataFrame(
        {
            "chapter": [c.number for c in CHAPTERS],
            "notebook": [c.filename for c in CHAPTERS],
            "title": [c.title for c in CHAPTERS],
            "what it teaches": [c.teaches for c in CHAPTERS],
            "study_time_min": [c.minutes for c in CHAPTERS],
            "status": ["ready" if c.written else "planned" for c in CHAPTERS],
        }
    )


def course_map():
    """The course map to show in the index: a styled table with a link to every written chapter.

    Columns: chapter number, notebook (a link once written), what it teaches, study time (minutes)
    and status. The data, for code, is :func:`chapter_table`.
    """
    import html

    from .tables import styled_table

    table = chapter_table()
    def link(name: str, status: str) -> str:
        shown = f'<span style="white-space:nowrap">{html.escape(name.removesuffix(".ipynb"))}</span>'
        return f'<a href="{html.escape(name)}">{shown}</a>' if status == "ready" else shown

    links = [link(name, status) for name, status in zip(table["notebook"], table["status"])]
    shown = pd.DataFrame({
        "Chapter": table["chapter"],
        "Notebook": links,
        "Title": table["title"].map(html.escape),
        "What it teaches": table["what it teaches"].map(html.escape),
        "Study time (min)": table["study_time_min"],
        "Status": [f"<b>{s}</b>" if s == "ready" else s for s in table["status"]],
    })
    return styled_table(shown, escape=False, wrap_columns=("What it teaches",), max_rows_visible=len(shown) + 1)


def notebook_files() -> list[str]:
    """The notebooks that exist, in reading order (index first)."""
    return sorted(path.name for path in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def _link_label(filename: str) -> str:
    if filename == "00_index.ipynb":
        return "Index"
    number = int(filename[:2])
    chapter = next(c for c in CHAPTERS if c.number == number)
    return f"{number:02d} · {chapter.title.split(':')[0]}"


def navigation_markdown(filename: str) -> str:
    """The navigation line of one notebook: ``< previous | Index | next >`` among the notebooks that exist."""
    files = notebook_files()
    if filename not in files:
        raise ValueError(f"filename must be one of {files}; got {filename!r}")
    position = files.index(filename)
    parts = []
    if position > 0:
        previous = files[position - 1]
        parts.append(f"[< {_link_label(previous)}]({previous})")
    if filename != "00_index.ipynb" and files[position - 1] != "00_index.ipynb":
        parts.append("[Index](00_index.ipynb)")
    if position + 1 < len(files):
        following = files[position + 1]
        parts.append(f"[{_link_label(following)} >]({following})")
    return " | ".join(parts)


def write_navigation() -> list[str]:
    """Rewrite the first and last cell of every notebook to its navigation line; return the files changed.

    A maintainer's tool (``python -m helpers.course``) for when a chapter is added;
    the structure tests check that every notebook's navigation is what this writes.
    """
    import json

    changed = []
    for filename in notebook_files():
        path = NOTEBOOK_DIR / filename
        notebook = json.loads(path.read_text(encoding="utf-8"))
        line = navigation_markdown(filename)
        cells = notebook["cells"]
        before = json.dumps(cells)
        for index in (0, -1):
            source = "".join(cells[index]["source"])
            if cells[index]["cell_type"] == "markdown" and (".ipynb)" in source or not source.strip()):
                cells[index]["source"] = line
        if json.dumps(cells) != before:
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(filename)
    return changed


if __name__ == "__main__":
    print("updated:", write_navigation() or "nothing")
