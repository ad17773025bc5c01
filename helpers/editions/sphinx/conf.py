"""Sphinx configuration of the web edition (``make site``; the source folder is prepared by helpers/editions/site.py).

Sphinx + MyST-NB + sphinx-book-theme: the engine of Jupyter Book 1, every piece installed from PyPI, so
the site builds offline. helpers/editions/site.py has executed the notebooks already (with
:mod:`helpers.web_edition` on, so charts and live panels are static HTML, and without widget state), so
MyST-NB only renders them (``nb_execution_mode = "off"``). Charts are drawn in the page by
``_static/course-charts.js`` with ``_static/vega-embed.js`` (Vega, Vega-Lite and vega-embed from the
installed vl-convert, written at the end of the build).

Nothing is loaded from outside the site: the theme ships its fonts and icons; MyST-NB's ipywidgets
scripts (require.js and the widget manager, from CDNs) are switched off and widget views are never
chosen as output; "$" is never maths (no ``dollarmath``), so MathJax is not loaded either.
``tests/browser/test_site_in_browser.py`` opens every page with all network refused.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers.course import notebook_files  # noqa: E402

project = "VMs vs cloud servers and containers"
author = "the course's authors"
copyright = "the course's authors"
root_doc = "00_index"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# --- notebooks -----------------------------------------------------------------------------------------
nb_execution_mode = "off"  # executed by helpers/editions/site.py
nb_merge_streams = True
#: No widget manager from a CDN; the static text/html form of a panel is shown instead of its widget view.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]
nb_code_prompt_show = "Show {type}"
nb_code_prompt_hide = "Hide {type}"
myst_enable_extensions = []  # no dollarmath: prose writes "$" as <span>&#36;</span> (helpers/text.py)
myst_heading_anchors = 3

# --- pages ---------------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "VMs vs cloud servers and containers"
html_static_path = ["_static"]
html_css_files = ["course-site.css"]
html_js_files = ["vega-embed.js", "course-charts.js"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
#: Search results without page summaries: a summary is fetched from the page, which a browser refuses for
#: file:// addresses, and the site must work opened from files.
html_show_search_summary = False
#: Light pages (the charts are drawn for a white background); the reader can still switch.
html_context = {"default_mode": "light"}
html_theme_options = {
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "search_bar_text": "Search the course...",
    "announcement": ("Web edition: read-only. Charts keep the interactions they carry; live panels are shown at "
                     "their defaults. To move the sliders, run the course: <code>make lab</code>, or "
                     "<code>make app CHAPTER=NN</code> for one chapter as a classroom app."),
    "footer_content_items": ["extra-footer.html"],
    "extra_footer": "<p>Web edition of the course, built from its notebooks by <code>make site</code>.</p>",
}
html_show_copyright = False
html_show_sphinx = False

#: A link to a notebook in an output (the index's course map) points at its page instead.
_NOTEBOOK_LINK = re.compile(r'href="(?P<name>\d\d_[A-Za-z0-9_]+)\.ipynb(?P<anchor>#[^"]*)?"')


def _notebook_links_to_pages(app, pagename, templatename, context, doctree) -> None:
    if "body" not in context:
        return
    pages = {name.removesuffix(".ipynb") for name in notebook_files()}
    context["body"] = _NOTEBOOK_LINK.sub(
        lambda m: f'href="{m["name"]}.html{m["anchor"] or ""}"' if m["name"] in pages else m[0], context["body"])


def _write_vega_bundle(app, exception) -> None:
    """``_static/vega-embed.js``: vega-embed with Vega and Vega-Lite, from the installed vl-convert (cached)."""
    if exception is not None or app.builder.format != "html":
        return
    from helpers._startup import inline_vega_bundle

    target = Path(app.outdir) / "_static" / "vega-embed.js"
    # in a function scope: the bundle's top-level names (e.g. "_") must not clash with Sphinx's globals
    target.write_text("/* vega-embed, Vega and Vega-Lite, bundled by vl-convert (installed with the course). */\n"
                      f"(function () {{\n{inline_vega_bundle()}\n}}).call(window);\n", encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _notebook_links_to_pages)
    app.connect("build-finished", _write_vega_bundle)
