"""The glossary's search panel, its kernel-free search, and the self-checks of the glossary notebook.

* :func:`glossary_panel`: a live panel, a text box and a chapter drop-down filtering the styled glossary
  (:func:`helpers.glossary.glossary_table`) as the student types;
* :func:`glossary_search_chart` / :func:`glossary_search`: the same search in Vega (a text box bound to an
  altair param), so it also works in the web edition and an HTML export, where there is no kernel;
* :func:`article_terms_table`: the terms the article itself uses, with where it misuses them.
"""

from __future__ import annotations

import uuid

import altair as alt
import pandas as pd

from . import glossary as gl
from .audit import wrap_display
from .audit_views import explained_choice
from .charts import CHART_WIDTH, INK, MUTED, PALETTE, finish, self_contained_html
from .exercises import CheckResult
from .tables import styled_table
from .validation import require_text
from .widgets import Choice, LivePanel, Text, View

__all__ = ["GLOSSARY_SOURCE", "PARAM_QUERY", "glossary_view", "glossary_panel", "glossary_cards",
           "glossary_search_chart", "glossary_search", "article_terms_table", "article_words_table", "check_cloud_server_platform",
           "check_backup_interval_bounds", "check_shared_kernel_platform"]

GLOSSARY_SOURCE = "data/glossary.csv (each definition with its source)"
PARAM_QUERY = "glossary_query"
_LINE_PX = 16
_WIDTH_UNITS = 72
_CHAPTER_LABELS = {"history": "01 history", "architecture": "02 architecture", "resources": "03 resources",
                   "performance": "04 performance", "cost": "05 cost", "security": "06 security",
                   "scenarios": "07 scenarios", "trends": "08 trends", "claims_audit": "09 claims audit"}


def glossary_view(query: str = "", chapter: str = gl.ALL_CHAPTERS) -> View:
    """What the search panel shows for a query and a chapter: a line of text and the matching terms' table."""
    found = gl.search(query, chapter)
    if found.empty:
        where = "" if chapter == gl.ALL_CHAPTERS else f" in chapter {chapter}"
        return View(text=f"No term matches <b>{_escape(query.strip())}</b>{where}. Try part of a word, an "
                         f"abbreviation (RTO, vCPU) or the Chinese (快照).")
    return View(chart=_chapter_chart(found, query), table=gl.glossary_table(query, chapter, max_rows_visible=8),
                text=f"<b>{len(found)}</b> of {len(gl.glossary())} terms. Type in the box to narrow them; the "
                     f"search looks in terms, other names, the Chinese, definitions and the article's usage.")


def _chapter_chart(found: pd.DataFrame, query: str) -> alt.VConcatChart:
    """Where the terms found are taught: one bar per chapter (every chapter the glossary covers)."""
    covered = [c for c in gl.GLOSSARY_CHAPTERS if c in set(gl.glossary()["chapter"])]
    counts = found["chapter"].value_counts()
    frame = pd.DataFrame({"chapter": [_CHAPTER_LABELS[c] for c in covered],
                          "terms": [int(counts.get(c, 0)) for c in covered]})
    order = list(frame["chapter"])
    y = alt.Y("chapter:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12))
    bars = alt.Chart(frame).mark_bar(color=PALETTE[4], height=14).encode(
        y=y, x=alt.X("terms:Q", title="Terms found (count)", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("chapter:N"), alt.Tooltip("terms:Q", title="terms found")])
    labels = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=12, color=INK).encode(
        y=y, x=alt.X("terms:Q"), text=alt.Text("terms:Q"))
    top = frame.loc[frame["terms"].idxmax()]
    matches = "1 term matches" if len(found) == 1 else f"{len(found)} terms match"
    what = f"{matches} {query.strip()!r}" if query.strip() else f"All {len(found)} terms"
    return finish((bars + labels).properties(width=300, height=alt.Step(20)),
                  title=f"{what}: the most ({int(top['terms'])}) from {top['chapter']}",
                  source=GLOSSARY_SOURCE, model="helpers.glossary.search",
                  source_width=300)


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def glossary_panel() -> LivePanel:
    """The glossary, searchable as you type (a text box), narrowed to one chapter (a drop-down)."""
    chapters = (gl.ALL_CHAPTERS, *gl.GLOSSARY_CHAPTERS)
    controls = [
        Text("query", "Search", "", placeholder="e.g. RTO, 快照, hypervisor", max_length=gl.MAX_QUERY_CHARS,
             description="Any part of a term, another name, the Chinese, or a word of the definition"),
        Choice("chapter", "Chapter", chapters, gl.ALL_CHAPTERS,
               labels=("every chapter", *(_CHAPTER_LABELS[c] for c in gl.GLOSSARY_CHAPTERS)),
               description="Only the terms a chapter teaches"),
    ]
    return LivePanel(controls, glossary_view, title="Glossary: search in English or Chinese")


# ------------------------------------------------------------------------------- the kernel-free search
def glossary_cards() -> pd.DataFrame:
    """Every term as a card of text lines, for :func:`glossary_search_chart`.

    One row per line: ``line``, ``term``, ``kind`` (head, definition, usage, gap), ``text``, and
    ``haystack`` (what the search looks in: term, other names, Chinese, definition, usage, lower case)
    and the full texts for a tooltip.
    """
    rows = []
    for entry in gl.glossary().to_dict("records"):
        haystack = " ".join(entry[c] for c in ("term", "aliases", "term_zh", "definition", "article_usage")).lower()
        same = entry["term_zh"].lower() == entry["term"].lower()  # "KVM KVM" would repeat itself
        head = entry["term"] + (f"  {entry['term_zh']}" if entry["term_zh"] and not same else "") + \
            f"  · {_CHAPTER_LABELS[entry['chapter']]}"
        texts = [("head", [head]), ("definition", wrap_display(entry["definition"], _WIDTH_UNITS, 3))]
        if entry["article_usage"]:
            texts.append(("usage", wrap_display("In the article: " + entry["article_usage"], _WIDTH_UNITS, 2)))
        texts.append(("gap", [""]))
        for kind, lines in texts:
            for text in lines:
                rows.append({"line": len(rows), "term": entry["term"], "kind": kind, "text": text,
                             "haystack": haystack, "aliases": entry["aliases"] or "–",
                             "definition": entry["definition"], "source": entry["source"]})
    return pd.DataFrame(rows)


def _match(query_param: str) -> str:
    return f"indexof(datum.haystack, lower(trim({query_param}))) >= 0"


def glossary_search_chart(query: str = "hypervisor", *, controls_id: str | None = None) -> alt.VConcatChart:
    """The glossary as cards, filtered in the browser by a search box bound to an altair param.

    ``query`` is the box's first text; ``controls_id`` the id of an HTML element to hold the box
    (see :func:`glossary_search`), ``None`` to leave it under the chart. An empty box shows every term.
    """
    require_text("query", query, allow_empty=True)
    if len(query) > gl.MAX_QUERY_CHARS:
        raise ValueError(f"query must be at most {gl.MAX_QUERY_CHARS} characters; got {len(query)}")
    if controls_id is not None:
        require_text("controls_id", controls_id)
        if not controls_id.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"controls_id must be letters, digits, '-' and '_' (an HTML id); got {controls_id!r}")
    where = {"element": f"#{controls_id}"} if controls_id else {}
    cards = glossary_cards()
    search = alt.param(name=PARAM_QUERY, value=query, bind=alt.binding(
        input="search", placeholder="e.g. RTO, 快照, hypervisor", name="Search the glossary: ", **where))
    tooltip = [alt.Tooltip("term:N"), alt.Tooltip("aliases:N", title="other names"),
               alt.Tooltip("definition:N"), alt.Tooltip("source:N")]
    y = alt.Y("line:O", axis=None, title=None)
    shown = alt.Chart(cards).transform_filter(_match(PARAM_QUERY))
    heads = shown.transform_filter("datum.kind == 'head'").mark_text(
        align="left", baseline="middle", fontSize=13, fontWeight="bold", color=PALETTE[4]).encode(
        y=y, x=alt.XValue(0), text=alt.Text("text:N"), tooltip=tooltip)
    body = shown.transform_filter("datum.kind != 'head'").mark_text(align="left", baseline="middle", fontSize=12).encode(
        y=y, x=alt.XValue(0), text=alt.Text("text:N"), tooltip=tooltip,
        color=alt.Color("kind:N", scale=alt.Scale(domain=["definition", "usage", "gap"], range=[INK, "#8A5300", MUTED]),
                        legend=None))
    listing = alt.layer(heads, body).properties(width=CHART_WIDTH, height=alt.Step(_LINE_PX))
    total = int((cards["kind"] == "head").sum())
    count = alt.Chart(cards).transform_calculate(
        hit=f"({_match(PARAM_QUERY)}) && datum.kind == 'head' ? 1 : 0").transform_aggregate(
        found="sum(hit)").transform_calculate(
        label=f"datum.found + (datum.found == 1 ? ' term' : ' terms') + ' of {total} match'"
    ).mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold", color=INK).encode(
        text=alt.Text("label:N"), x=alt.XValue(0), y=alt.YValue(0)).properties(width=CHART_WIDTH, height=18
                                                                               ).add_params(search)
    return finish(alt.vconcat(count, listing, spacing=6),
                  title=f"{total} terms, searchable with no kernel: type any part of a word",
                  source=GLOSSARY_SOURCE, model="helpers.glossary_views.glossary_cards",
                  subtitle="English, the article's Chinese, other names and definitions are searched")


def glossary_search(query: str = "hypervisor"):
    """:func:`glossary_search_chart` as HTML with its search box above the cards (an ``IPython.display.HTML``)."""
    from IPython.display import HTML

    controls_id = f"glossary-controls-{uuid.uuid4().hex[:12]}"
    chart = self_contained_html(glossary_search_chart(query, controls_id=controls_id))
    controls = (f'<div id="{controls_id}" class="course-chart-controls" '
                f'style="margin:4px 0 8px 0;font-size:14px"></div>')
    return HTML(controls + "\n" + chart.data)


def article_terms_table():
    """The terms the article itself uses where it misuses them: the Chinese, the term, what the article does."""
    terms = gl.article_terms()
    misused = terms[terms["article_usage"] != ""]
    frame = pd.DataFrame({"term_zh": misused["term_zh"], "term": misused["term"], "usage": misused["article_usage"]})
    return styled_table(frame, labels={"term_zh": "The article writes", "term": "Term", "usage": "How it misleads"},
                        wrap_columns=("usage",), caption=f"{len(misused)} of the article's {len(terms)} terms are "
                                                         "used in a misleading way", max_rows_visible=12)


def article_words_table():
    """Every term the article itself writes, as a styled table: its Chinese, the English term, the chapter."""
    terms = gl.article_terms()
    frame = pd.DataFrame({"term_zh": terms["term_zh"], "term": terms["term"],
                          "chapter": [_CHAPTER_LABELS[c] for c in terms["chapter"]]})
    return styled_table(frame, labels={"term_zh": "The article writes", "term": "Term", "chapter": "Taught in"},
                        caption=f"The article writes {len(terms)} of the glossary's {len(gl.glossary())} terms",
                        max_rows_visible=12)


# -------------------------------------------------------------------------------------------- exercises
def check_cloud_server_platform(answer) -> CheckResult:
    """Exercise: on what does a cloud server (an EC2 or ECS instance) run: a container, a VM or bare metal?"""
    return explained_choice(answer, expected="virtual machine", what="a cloud server", hint=(
        "read the glossary's definition of 'cloud server' and of 'instance'"), explanations={
        "container": "Not a container: an EC2 or ECS instance has its own kernel on a hypervisor; containers "
                     "run inside it, if you put them there.",
        "virtual machine": "A virtual machine on the provider's hypervisor (Xen, then Nitro's KVM for EC2), so "
                           "the article's heading 云服务器(容器) sets VMs against VMs.",
        "bare metal": "Not bare metal: that is a separate, dearer kind of instance (and it has no "
                      "virtualisation layer at all).",
    })


def check_backup_interval_bounds(answer) -> CheckResult:
    """Exercise: a nightly backup bounds which objective, the RPO or the RTO?"""
    return explained_choice(answer, expected="RPO", what="the objective a backup interval bounds", hint=(
        "one objective is about data lost, the other about time down; which one grows when backups are rarer?"),
        explanations={
        "RPO": "The RPO: with a backup every 24 hours, up to 24 hours of data can be lost; how long the restore "
               "takes is the RTO's business.",
        "RTO": "Not the RTO: that is how long service is down (detect, provision, restore); a nightly backup "
               "says how much data is lost, the RPO.",
    })


def check_shared_kernel_platform(answer) -> CheckResult:
    """Exercise: which platform puts tenants on one shared OS kernel (what 'OS-level' virtualisation means)?"""
    return explained_choice(answer, expected="containers", what="the platform that shares one kernel", hint=(
        "look up 'container' and 'kernel' in the glossary: whose kernel does each tenant's code call?"),
        explanations={
        "containers": "Containers: every container on a host calls the host's one kernel (OS-level "
                      "virtualisation), which is why the article's 'OS-level isolation' for VMs is backwards.",
        "virtual machines": "Not VMs: each VM runs its own guest kernel on virtual hardware; the shared layer is "
                            "the hypervisor, not an OS kernel.",
    })
