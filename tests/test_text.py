"""Dollar signs: the protected form, what is left alone, idempotence, and the notebook rewrite tool."""

from __future__ import annotations

import json

import pytest

from helpers import text
from helpers.text import DOLLAR, protect_dollars, protect_dollars_html, unprotected_dollars


def test_prose_dollars_are_protected_and_nothing_else_changes():
    source = "An m5.large costs $0.096 an hour, the article says $3.50."
    protected = protect_dollars(source)
    assert "$" not in protected
    assert protected == source.replace("$", DOLLAR)


def test_protection_is_idempotent():
    once = protect_dollars("from $1 to $2 and `$x` then $3")
    assert protect_dollars(once) == once
    assert protect_dollars_html(protect_dollars_html("<p>$1 and $2</p>")) == protect_dollars_html("<p>$1 and $2</p>")


@pytest.mark.parametrize("source", [
    "Run `print(f'${x}')` as is",
    "two backticks ``a $ b`` stay",
    "```python\nprice = '$5'\nprint(f'${price}')\n```",
    "~~~\n$ ls\n$ pwd\n~~~",
    '<a href="https://example.com/?q=$1">link</a>',
    "[a link](https://example.com/$path)",
])
def test_code_tags_and_link_targets_are_left_alone(source):
    assert protect_dollars(source) == source
    assert unprotected_dollars(source) == []


def test_fenced_code_inside_a_solution_is_left_alone_but_its_reasoning_is_not():
    cell = ("<details><summary>Solution</summary>\n\n```python\nanswer = cost('$')\nassert check(answer)\n```\n\n"
            "It costs $5 less than $7.\n</details>")
    protected = protect_dollars(cell)
    assert "cost('$')" in protected and "costs <span>&#36;</span>5 less than <span>&#36;</span>7" in protected


def test_html_text_is_protected_but_not_attributes_styles_or_scripts():
    html = ('<style>.a::after{content:"$"}</style><td title="$x">$5 and $6</td>'
            '<script>var s = "$";</script>')
    out = protect_dollars_html(html)
    assert '<td title="$x">' in out and 'content:"$"' in out and 'var s = "$"' in out
    assert f"{DOLLAR}5 and {DOLLAR}6" in out


@pytest.mark.parametrize("bad", [None, 5, b"$5"])
def test_non_strings_are_refused(bad):
    with pytest.raises(ValueError, match="must be a string"):
        protect_dollars(bad)
    with pytest.raises(ValueError, match="must be a string"):
        protect_dollars_html(bad)


def test_rewrite_tool_protects_markdown_cells_only(tmp_path, capsys):
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["It costs $5 ", "or $6.\n", "`$x`"]},
                          {"cell_type": "code", "metadata": {}, "source": "x = '$5 $6'", "outputs": [],
                           "execution_count": None}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert text._main(["--check", str(path)]) == 1  # --check: reports, writes nothing
    assert "would protect 2 dollar signs" in capsys.readouterr().out
    assert json.loads(path.read_text())["cells"][0]["source"][0] == "It costs $5 "
    assert text._main([str(path)]) == 0
    cells = json.loads(path.read_text())["cells"]
    assert "".join(cells[0]["source"]) == f"It costs {DOLLAR}5 or {DOLLAR}6.\n`$x`"
    assert isinstance(cells[0]["source"], list)  # the cell keeps its layout (a list of lines)
    assert cells[1]["source"] == "x = '$5 $6'"
    assert text.rewrite_notebooks([path]) == {}  # idempotent: nothing left to do


# ------------------------------------------------------------------------------------------- helper-rendered strings

def test_every_string_a_helper_renders_for_the_page_has_its_dollars_protected():
    """Claims tables of every chapter, verdict counts, the course map, every panel's title, labels,
    descriptions, text and table, and every chapter check's message: no raw $ reaches the page."""
    from helpers import claims
    from helpers.course import course_map
    from helpers.exercises import CheckResult
    from helpers.text import unprotected_dollars_html
    from tests.test_exercises import CHECKS
    from tests.test_panels import PANELS

    pages = {f"claims_table({c!r})": claims.claims_table(c).to_html() for c in claims.CLAIM_CHAPTERS}
    pages["verdict_counts()"] = claims.verdict_counts().to_html()
    pages["course_map()"] = course_map().to_html()
    for param in PANELS:
        panel = param.values[0]()
        for index, child in enumerate(panel.children):
            if hasattr(child, "value") and isinstance(child.value, str):
                pages[f"{param.id} child {index}"] = child.value
        for name in panel.controls:
            pages[f"{param.id} {name} label"] = panel.label_widgets[name].value
            pages[f"{param.id} {name} help"] = panel.help_widgets[name].value
    for param in CHECKS:
        check = param.values[0]
        for answer in (-1.0, "wrong"):
            try:
                result = check(answer)
            except ValueError:  # a not-yet-converted check (test_exercises.py covers that): no message to see
                continue
            if isinstance(result, CheckResult):
                pages[f"{param.id}({answer!r})"] = result._repr_html_()
    raw = {where: page for where, page in pages.items() if unprotected_dollars_html(page)}
    assert not raw, f"raw $ reaches the page in: {sorted(raw)[:10]}"
    assert any("&#36;" in page for page in pages.values()), "the check saw dollar amounts at all"


@pytest.mark.parametrize("form", ["\\$", "\\\\$", "&#36;", "&dollar;"])
def test_other_dollar_forms_that_fail_somewhere_become_the_protected_form(form):
    source = f"It costs {form}5 and {form}6."
    assert unprotected_dollars(source) and protect_dollars(source) == f"It costs {DOLLAR}5 and {DOLLAR}6."
    if form != "\\\\$":
        assert text.unprotected_dollars_html(f"<p>{form}5</p>")
