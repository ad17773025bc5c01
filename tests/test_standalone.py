"""helpers.charts.self_contained_html: a chart as HTML that draws with no kernel and no network.

The browser half (the exported notebook opened offline, params clicked) is
tests/browser/test_static_export.py; here the HTML itself is checked.
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
from IPython.display import HTML

from helpers.charts import self_contained_html
from helpers.history_views import PARAM_CATEGORY, PARAM_YEAR_FROM, PARAM_YEAR_TO, timeline_chart

#: URLs that appear in vega-embed's bundle as identifiers or link text, never fetched on load:
#: XML namespaces, the schema ids Vega-Lite writes into specs, the editor link (its action is
#: turned off) and an issue link inside an error message.
NOT_FETCHED = re.compile(r"^(http://www\.w3\.org/(1999/xlink|2000/svg|2000/xmlns/)"
                         r"|https://vega\.github\.io/(schema/.+\.json|editor/)"
                         r"|https://github\.com/vega/vega-lite/issues/\d+)$")
CALL = re.compile(r"window\.vmVsCloudVegaEmbed\(document\.getElementById\('(?P<id>[^']+)'\), ")


@pytest.fixture(scope="module")
def timeline_html() -> str:
    output = self_contained_html(timeline_chart())
    assert isinstance(output, HTML)
    return output.data


def embedded_spec_and_options(html: str) -> tuple[str, dict, dict]:
    """The div id, spec and embed options passed to vega-embed in ``html``."""
    call = CALL.search(html)
    assert call, "no vega-embed call"
    decoder = json.JSONDecoder()
    spec, end = decoder.raw_decode(html, call.end())
    assert html[end:end + 2] == ", "
    options, _ = decoder.raw_decode(html, end + 2)
    return call["id"], spec, options


def test_html_carries_the_timeline_spec_with_its_params(timeline_html):
    div_id, spec, options = embedded_spec_and_options(timeline_html)
    assert spec == json.loads(json.dumps(timeline_chart().to_dict()))
    params = {p["name"]: p for p in _walk_params(spec)}
    assert {PARAM_CATEGORY, PARAM_YEAR_FROM, PARAM_YEAR_TO} <= set(params)
    assert params[PARAM_CATEGORY]["bind"]["input"] == "radio"
    assert params[PARAM_YEAR_FROM]["bind"]["input"] == "range"
    assert f'<div class="vega-visualization" id="{div_id}"></div>' in timeline_html
    assert options["mode"] == "vega-lite" and options["renderer"] == "svg"
    assert options["actions"]["editor"] is False, "the Vega Editor action would send the chart off the machine"


def _walk_params(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        found += [p for p in node.get("params", []) if isinstance(p, dict) and "name" in p]
        for value in node.values():
            found += _walk_params(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk_params(value)
    return found


def test_html_loads_nothing_remote(timeline_html):
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", timeline_html), "a remote src/href"
    assert not re.search(r"\bimport\s*\(|@import|importScripts", timeline_html), "a dynamic import"
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "fonts.googleapis"):
        assert cdn not in timeline_html
    urls = set(re.findall(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`<>)\\]*""", timeline_html))
    unexpected = sorted(url for url in urls if not NOT_FETCHED.match(url))
    assert not unexpected, f"URLs that might be fetched: {unexpected}"


def test_html_bundles_vega_once_and_stays_under_two_megabytes(timeline_html):
    # vl-convert's vega-embed bundle (Vega + Vega-Lite) is about 0.9 MB; the 50-event spec adds about 25 kB.
    assert timeline_html.count("window.vmVsCloudVegaEmbed = window.vegaEmbed") == 1
    assert "function () {" in timeline_html  # the bundle runs inside a function: its consts stay local
    assert 500_000 < len(timeline_html.encode("utf-8")) < 2_000_000


def test_a_closing_script_tag_in_the_data_cannot_end_the_script():
    chart = alt.Chart(pd.DataFrame({"label": ["</script><b>bold</b>"], "x": [1]})).mark_text().encode(
        text=alt.Text("label:N"), x=alt.X("x:Q"))
    html = self_contained_html(chart).data
    assert html.count("</script>") == 1 and html.rstrip().endswith("</script>")
    _, spec, _ = embedded_spec_and_options(html)
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert values[0]["label"] == "</script><b>bold</b>", "the escaped JSON still reads back the same text"


def test_two_outputs_on_one_page_get_their_own_element():
    chart = timeline_chart()
    first, second = (embedded_spec_and_options(self_contained_html(chart).data)[0] for _ in range(2))
    assert first != second


@pytest.mark.parametrize("bad", [None, "chart", 3, {"mark": "point"}, pd.DataFrame({"x": [1]})])
def test_rejects_anything_but_an_altair_chart(bad):
    with pytest.raises(ValueError, match="chart"):
        self_contained_html(bad)
