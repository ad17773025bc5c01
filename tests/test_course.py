"""The course map, navigation lines and the environment check."""

import pytest

from helpers import course
from helpers.environment import environment_report


def test_chapters_are_numbered_in_order_with_unique_slugs():
    numbers = [c.number for c in course.CHAPTERS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({c.slug for c in course.CHAPTERS}) == len(numbers)


def test_chapter_table_marks_written_chapters():
    table = course.chapter_table()
    assert len(table) == len(course.CHAPTERS)
    written = set(course.notebook_files())
    for row in table.itertuples():
        assert (row.status == "ready") == (row.notebook in written)


def test_navigation_links_neighbours_in_file_order():
    files = course.notebook_files()
    for position, name in enumerate(files):
        line = course.navigation_markdown(name)
        if position + 1 < len(files):
            assert line.endswith(f"({files[position + 1]})")
        if position > 0:
            assert line.startswith(f"[< ") and f"({files[position - 1]})" in line.split(" | ")[0]


def test_navigation_rejects_unknown_file():
    with pytest.raises(ValueError, match="filename must be one of"):
        course.navigation_markdown("99_nothing.ipynb")


def test_chapter_by_slug():
    assert course.chapter_by_slug("cost").number == 5
    with pytest.raises(ValueError, match="slug must be one of"):
        course.chapter_by_slug("costs")


def test_environment_report_all_ok_in_the_course_venv():
    report = environment_report()
    assert report["ok"].all(), report[~report["ok"]]
    assert {"jupyterlab", "ipywidgets", "altair", "pandas"} <= set(report["check"])


def test_environment_report_flags_a_version_that_differs_from_the_pin(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# comment\nipywidgets==0.0.1\npandas==3.1.1  # data\n-e .\n", encoding="utf-8")
    report = environment_report(requirements).set_index("check")
    assert not report.loc["ipywidgets", "ok"] and report.loc["ipywidgets", "needed"] == "0.0.1"
    assert report.loc["pandas", "ok"]


def test_pinned_versions_reads_exact_pins_and_rejects_a_missing_file(tmp_path):
    from helpers.environment import pinned_versions

    assert pinned_versions()["jupyterlab"]
    with pytest.raises(ValueError, match="path must be an existing requirements file"):
        pinned_versions(tmp_path / "nothing.txt")


def test_readme_lists_every_chapter_and_the_two_commands():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    assert readme.index("make lab") < readme.index("## Chapters")
    for chapter in course.CHAPTERS:
        stem = chapter.filename[:-len(".ipynb")]
        assert chapter.title.split(":")[0] in readme
        if chapter.written:
            assert f"[{stem}](notebooks/{chapter.filename})" in readme, f"README must link {chapter.filename}"
        else:
            assert f"{stem} *(planned)*" in readme


def test_make_lab_opens_the_index_with_token_auth_on():
    import shutil
    import subprocess

    from tests.conftest import ROOT

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(["make", "-n", "-W", "requirements.txt", "lab"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    lab_line = next(line for line in dry_run.splitlines() if "jupyter lab" in line)
    assert lab_line.rstrip().endswith("notebooks/00_index.ipynb")
    assert "token" not in lab_line.lower() and "password" not in lab_line.lower()


def test_environment_report_summarises_indirect_pins(tmp_path):
    from helpers.environment import INDIRECT_MARKER, pinned_versions

    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"pandas==3.1.1\n{INDIRECT_MARKER} ---\nnumpy==0.0.1\nsix==1.16.0\n", encoding="utf-8")
    assert pinned_versions(requirements, direct=True) == {"pandas": "3.1.1"}
    assert set(pinned_versions(requirements, direct=False)) == {"numpy", "six"}
    report = environment_report(requirements).set_index("check")
    summary = report.loc["2 indirect dependencies"]
    assert not summary["ok"] and "numpy" in summary["found"] and "pinned 0.0.1" in summary["found"]
    assert "numpy" not in report.index  # indirect pins are summarised, not listed one by one
