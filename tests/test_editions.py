"""The classroom app (helpers/editions/app.py) and the web edition (helpers/editions/site.py, helpers/web_edition.py), without a browser.

The browser tests (tests/browser/test_app_in_browser.py, test_site_in_browser.py) run both for real; these
check the pieces quickly: the static forms of charts and of every live panel, the chapter names the app
accepts, its Voila command line and template, the build's copies of the notebooks, and the pins.
"""

from __future__ import annotations

import hashlib
import json
import re

import altair as alt
import pandas as pd
import pytest

import helpers
from helpers.editions import app, site
from helpers import web_edition
from helpers.charts import self_contained_html
from helpers.course import NOTEBOOK_DIR, notebook_files
from helpers.environment import pinned_versions
from tests.test_panels import discover_panels


def _chart() -> alt.Chart:
    frame = pd.DataFrame({"x": [1, 2], "label": ["a", "</script><b>x</b>"]})
    return alt.Chart(frame).mark_point().encode(x=alt.X("x:Q"), tooltip=alt.Tooltip("label:N"))


def _spec_from_html(html: str) -> dict:
    match = re.search(r'<script type="application/json" class="course-chart-spec">(.*?)</script>', html, re.S)
    assert match, html[:200]
    return json.loads(match.group(1))


# --- helpers.web_edition ------------------------------------------------------------------------------

def test_the_web_edition_is_off_unless_the_build_turns_it_on(monkeypatch):
    monkeypatch.delenv(web_edition.ENV_FLAG, raising=False)
    assert not web_edition.enabled()
    monkeypatch.setenv(web_edition.ENV_FLAG, "1")
    assert web_edition.enabled()
    monkeypatch.setenv(web_edition.ENV_FLAG, "0")
    assert not web_edition.enabled()


def test_chart_html_holds_the_spec_and_cannot_end_its_script_early():
    chart = _chart()
    html = web_edition.chart_html(chart)
    assert html.count("</script>") == 1, "a '</script' in the data must not close the spec's element"
    assert _spec_from_html(html) == chart.to_dict()
    assert "http" not in html.replace("https://vega.github.io/schema/", "")  # loads nothing
    options = json.loads(re.search(r'data-embed-options="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert options["renderer"] == "svg" and options["actions"]["editor"] is False


@pytest.mark.parametrize("bad", [None, "chart", 3, {"no": "spec"}])
def test_chart_html_refuses_what_is_not_a_chart(bad):
    with pytest.raises(ValueError, match="chart_or_spec must be"):
        web_edition.chart_html(bad)


def test_the_course_web_renderer_is_registered_and_gives_static_html():
    assert web_edition.RENDERER_NAME in alt.renderers.names()
    bundle = web_edition._renderer(_chart().to_dict())
    assert set(bundle) == {"text/html", "text/plain"} and 'class="course-chart"' in bundle["text/html"]


def test_self_contained_html_is_light_while_the_site_is_built(monkeypatch):
    monkeypatch.setenv(web_edition.ENV_FLAG, "1")
    light = self_contained_html(_chart()).data
    assert 'class="course-chart"' in light and len(light) < 5_000, "the site ships Vega once, not per chart"
    monkeypatch.delenv(web_edition.ENV_FLAG)
    assert "vmVsCloudVegaEmbed" in self_contained_html(_chart()).data  # unchanged for the nbconvert export


def test_the_environment_check_accepts_the_web_edition_renderer_while_building(monkeypatch):
    from helpers.environment import environment_report

    monkeypatch.setenv(web_edition.ENV_FLAG, "1")
    previous = alt.renderers.active
    alt.renderers.enable(web_edition.RENDERER_NAME)
    try:
        row = environment_report().set_index("check").loc["altair renderer"]
    finally:
        alt.renderers.enable(previous, **({"offline": True, "embed_options": helpers.charts.EMBED_OPTIONS}
                                          if previous == "jupyter" else {}))
    assert bool(row["ok"]), row.to_dict()


@pytest.mark.parametrize("make_panel", discover_panels())
def test_every_live_panel_has_a_static_form_only_in_the_build(make_panel, monkeypatch):
    monkeypatch.delenv(web_edition.ENV_FLAG, raising=False)
    panel = make_panel()
    assert "text/html" not in panel._repr_mimebundle_(), "JupyterLab and Voila must get the widget alone"
    monkeypatch.setenv(web_edition.ENV_FLAG, "1")
    monkeypatch.setenv(web_edition.CHAPTER_ENV, "05_cost")
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert html.count("class='course-panel-control'") == len(panel.parameters)
    for item in panel.parameters.values():
        assert item.label.replace("$", "") in html.replace("<span>&#36;</span>", "")
    assert f"class='{web_edition.LIVE_LINE_CLASS}'" in html and "make app CHAPTER=05" in html
    assert html.count('class="course-chart"') == (panel.view.chart is not None)
    if panel.view.chart is not None:
        assert _spec_from_html(html) == panel.view.chart.to_dict()
    assert "$" not in re.sub(r"<script.*?</script>", "", html, flags=re.S), "unprotected dollar in a static panel"


# --- helpers.editions.app ----------------------------------------------------------------------------------------

def test_resolve_chapter_accepts_numbers_slugs_and_names():
    files = notebook_files()
    assert app.resolve_chapter(None) == app.resolve_chapter("") == "00_index.ipynb"
    chapter = files[-1]
    number, slug = int(chapter[:2]), chapter[3:].removesuffix(".ipynb")
    for given in (number, str(number), f"{number:02d}", slug, chapter, chapter.removesuffix(".ipynb")):
        assert app.resolve_chapter(given) == chapter, given


@pytest.mark.parametrize("bad", ["99", "nothing", 42, True, 3.5, ["05"]])
def test_resolve_chapter_refuses_what_is_not_a_written_notebook(bad):
    with pytest.raises(ValueError, match="chapter must be"):
        app.resolve_chapter(bad)


def test_the_voila_command_is_loopback_with_a_token_and_the_course_template():
    command = app.voila_command(8866, "t" * 32)
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port_retries=0" in command
    assert f"--Voila.token={'t' * 32}" in command and f"--VoilaConfiguration.template={app.TEMPLATE}" in command
    assert str(NOTEBOOK_DIR) in command, "the notebooks folder is served, so chapter links work"
    env = app.voila_environment({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":")[0] == str(app.TEMPLATE_ROOT)
    for port, token in ((0, "t" * 32), (True, "t" * 32), (70000, "t" * 32), (8866, "short")):
        with pytest.raises(ValueError, match="port|token"):
            app.voila_command(port, token)


def test_the_course_template_extends_voilas_lab_template_and_names_no_remote_file():
    folder = app.TEMPLATE_ROOT / "voila" / "templates" / app.TEMPLATE
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"
    template = (folder / "index.html.j2").read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}", "", template, flags=re.S)  # comments may name what was removed
    assert not re.search(r"https?://", code), "the template must not load anything from outside"
    assert "extends 'voila/templates/lab/index.html.j2'" in code and "super.super()" in code


# --- helpers.editions.site ---------------------------------------------------------------------------------------

def test_prepare_source_copies_every_notebook_and_leaves_the_committed_ones_alone(tmp_path):
    before = {name: hashlib.sha256((NOTEBOOK_DIR / name).read_bytes()).hexdigest() for name in notebook_files()}
    names = site.prepare_source(tmp_path / "src")
    assert names == notebook_files()
    assert {p.name for p in (tmp_path / "src").glob("*.ipynb")} == set(names)
    index = json.loads((tmp_path / "src" / "00_index.ipynb").read_text(encoding="utf-8"))
    toc = "".join(index["cells"][-1]["source"])
    assert "{toctree}" in toc and all(name.removesuffix(".ipynb") in toc for name in names[1:])
    for name in names:
        for cell in json.loads((tmp_path / "src" / name).read_text(encoding="utf-8"))["cells"]:
            tags = cell["metadata"].get("tags", [])
            if cell["cell_type"] == "code" and "solution" in tags:
                assert "hide-cell" in tags and cell["metadata"]["mystnb"]["code_prompt_show"] == site.SOLUTION_PROMPT
    after = {name: hashlib.sha256((NOTEBOOK_DIR / name).read_bytes()).hexdigest() for name in notebook_files()}
    assert before == after


def test_build_refuses_to_empty_a_folder_that_is_not_a_previous_site(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="out must be a new or empty folder"):
        site.build(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").exists()


def test_the_sphinx_configuration_loads_nothing_from_a_cdn():
    namespace: dict = {"__file__": str(site.CONF_DIR / "conf.py")}
    exec(compile((site.CONF_DIR / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), namespace)
    assert namespace["nb_ipywidgets_js"] == {}
    assert ("html", "application/vnd.jupyter.widget-view+json", None) in namespace["nb_mime_priority_overrides"]
    assert namespace["nb_execution_mode"] == "off" and "dollarmath" not in namespace["myst_enable_extensions"]
    assert namespace["html_show_search_summary"] is False  # summaries are fetched, which file:// refuses
    for static in (site.CONF_DIR / "_static").iterdir():
        assert not re.search(r"https?://", static.read_text(encoding="utf-8")), static.name

    class Context(dict):
        pass

    context = Context(body='<a href="05_cost.ipynb#x">05</a> <a href="99_none.ipynb">?</a> <a href="https://a.b/c.ipynb">')
    namespace["_notebook_links_to_pages"](None, "00_index", None, context, None)
    if "05_cost.ipynb" in notebook_files():
        assert 'href="05_cost.html#x"' in context["body"]
    assert 'href="99_none.ipynb"' in context["body"] and 'https://a.b/c.ipynb' in context["body"]


def test_the_editions_packages_are_pinned_as_direct_dependencies():
    direct, indirect = pinned_versions(direct=True), pinned_versions(direct=False)
    for package in ("voila", "sphinx", "myst-nb", "sphinx-book-theme"):
        assert package in direct, f"{package} must be pinned in requirements.txt's direct section"
    for package in ("websockets", "myst-parser", "pydata-sphinx-theme", "docutils"):
        assert package in indirect, f"{package} must be pinned in requirements.txt's indirect section"
