"""Dollar signs that stay dollar signs: in notebook prose and in every string a helper renders as HTML.

JupyterLab typesets text between two ``$`` as LaTeX (MathJax), so "costs $3.50 per hour, $0.096 on AWS"
shows as garbled italics. Which written forms show a plain ``$``, measured in Chromium on the same
test notebook (2026-11, the course's pinned versions):

======================================  ===============  ======================  ==================
form in the Markdown source             JupyterLab 4.6   nbconvert 7.17 HTML     Sphinx + MyST-NB
                                        (MathJax 3)      (lab template,          (myst-nb 1.x,
                                                         MathJax 2.7)            dollarmath on)
======================================  ===============  ======================  ==================
``$5 and $6`` (plain)                   maths            maths                   maths
``\\$5`` (one backslash)                maths            maths                   plain ``$``
``\\\\$5`` (two backslashes)            plain ``$``      shows ``\\$``           maths
``&#36;5`` / ``&dollar;5``              maths            maths                   plain ``$``
``<span>$</span>5``                     maths (garbled)  maths (garbled)         maths (garbled)
``<span class="tex2jax_ignore">``       maths            plain ``$``             maths
``<span class="mathjax_ignore">``       plain ``$``      maths                   maths
**``<span>&#36;</span>5``**             **plain ``$``**  **plain ``$``**         **plain ``$``**
``$5`` inside a code span               plain ``$``      plain ``$``             plain ``$``
======================================  ===============  ======================  ==================

In HTML *outputs* (``text/html``, e.g. a styled table): JupyterLab typesets ``$...$`` and ``&#36;...&#36;``;
``\\$`` shows a backslash in the nbconvert export; ``<span>&#36;</span>`` is plain everywhere.
ipywidgets ``HTML`` values are not typeset, but get the same form for consistency.

Why ``<span>&#36;</span>`` works: there is no raw ``$`` in the source, so no Markdown-level maths
parser (JupyterLab's ``removeMath``, nbconvert's mistune maths plugin, MyST's ``dollarmath``) sees a
delimiter; and in the page each ``$`` is alone in its own element, and both MathJax 2 (``tex2jax``)
and MathJax 3 (``FindTeX``) only pair delimiters within one run of text, which an element ends.

So: write ``$`` naturally, then run :func:`protect_dollars` (Markdown) or :func:`protect_dollars_html`
(HTML strings). Every helper that renders a string for the page does the latter; the maintainer tool
``python -m helpers.text`` rewrites every notebook's Markdown cells in place (``--check`` only
reports). Maths, if a chapter ever needs it, is written ``\\(...\\)``, never with ``$``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

__all__ = ["DOLLAR", "protect_dollars", "protect_dollars_html", "unprotected_dollars", "unprotected_dollars_html",
           "rewrite_notebooks"]

#: The protected form of one dollar sign.
DOLLAR = "<span>&#36;</span>"

# Markdown regions left alone: fenced code blocks (``` or ~~~, to the matching fence or the end),
# code spans (a run of backticks to the same run), HTML tags (attributes), link destinations "](...)".
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=indent) {0,3}(?P=fence)[`~]*[ \t]*$|\Z)",
                    re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.S)
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
# HTML regions left alone: tags (attributes), and <style>/<script> elements.
_HTML_SKIP = re.compile(r"<(style|script)\b.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.S | re.I)


def _skipped_spans(markdown: str) -> list[tuple[int, int]]:
    """Character ranges of ``markdown`` where a ``$`` is not prose (code, tags, link targets)."""
    spans: list[tuple[int, int]] = [m.span() for m in _FENCE.finditer(markdown)]

    def outside(position: int) -> bool:
        return not any(start <= position < end for start, end in spans)

    for pattern in (_CODE_SPAN, _TAG, _LINK_TARGET):
        spans += [m.span() for m in pattern.finditer(markdown) if outside(m.start())]
    return spans


#: A dollar written in any of the forms that fail somewhere (see the table above): a raw ``$``, one with one or
#: two backslashes before it, or a bare ``&#36;`` / ``&dollar;`` not already alone in its ``<span>``.
_ANY_DOLLAR = re.compile(r"(?:\\\\|\\)?\$|(?<!<span>)(?:&#36;|&dollar;)(?!</span>)")
_ANY_DOLLAR_HTML = re.compile(r"\$|(?<!<span>)(?:&#36;|&dollar;)(?!</span>)")


def _dollar_spans(text: str, skipped: list[tuple[int, int]], pattern: re.Pattern) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in skipped)]


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], DOLLAR]
        last = end
    return "".join(out) + text[last:]


def _require_text(name: str, value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string; got {type(value).__name__}")
    return value


def _markdown_spans(markdown: str) -> list[tuple[int, int]]:
    _require_text("markdown", markdown)
    return _dollar_spans(markdown, _skipped_spans(markdown), _ANY_DOLLAR)


def _html_spans(html: str) -> list[tuple[int, int]]:
    _require_text("html", html)
    return _dollar_spans(html, [m.span() for m in _HTML_SKIP.finditer(html)], _ANY_DOLLAR_HTML)


def unprotected_dollars(markdown: str) -> list[int]:
    """Where Markdown prose has a dollar in a form that fails somewhere: a raw ``$`` (also ``\\$`` or
    ``\\\\$``) or a bare ``&#36;`` / ``&dollar;``. Code spans, fenced code, tags and link targets excepted."""
    return [start for start, _ in _markdown_spans(markdown)]


def protect_dollars(markdown: str) -> str:
    """``markdown`` with every dollar of its prose written as ``<span>&#36;</span>`` (see the module docstring).

    Idempotent; ``\\$``, ``\\\\$``, ``&#36;`` and ``&dollar;`` become the protected form too; code spans,
    fenced code, HTML tags and link targets are left as they are.
    """
    return _replace_spans(markdown, _markdown_spans(markdown))


def unprotected_dollars_html(html: str) -> list[int]:
    """Where the text of an HTML string has a raw ``$`` or a bare ``&#36;`` / ``&dollar;`` (tags, style, script
    excepted)."""
    return [start for start, _ in _html_spans(html)]


def protect_dollars_html(html: str) -> str:
    """An HTML string with every dollar of its text written as ``<span>&#36;</span>``; idempotent."""
    return _replace_spans(html, _html_spans(html))


def _cell_text(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def rewrite_notebooks(paths: list[Path] | None = None, *, check: bool = False) -> dict[str, int]:
    """Protect the dollars of every Markdown cell of ``paths`` (default: every course notebook), in place.

    Returns {file name: dollars protected}. With ``check=True`` nothing is written (the counts say
    what would change). Notebooks are written as ``helpers.course`` writes them (indent 1, UTF-8).
    """
    if not isinstance(check, bool):
        raise ValueError(f"check must be True or False; got {check!r:.80}")
    if paths is None:
        from .course import NOTEBOOK_DIR

        paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    elif isinstance(paths, (str, bytes)) or not isinstance(paths, (list, tuple)) or not paths or not all(
            isinstance(path, (str, Path)) and str(path).endswith(".ipynb") and Path(path).is_file() for path in paths):
        raise ValueError(f"paths must be a list of existing notebook files (.ipynb), or None for every course "
                         f"notebook; got {paths!r:.120}")
    changed: dict[str, int] = {}
    for path in map(Path, paths):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        count = 0
        for cell in notebook["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            source = _cell_text(cell)
            found = unprotected_dollars(source)
            if found:
                count += len(found)
                protected = protect_dollars(source)
                # keep the cell's layout: a list of lines stays a list of lines (small diffs)
                cell["source"] = protected.splitlines(keepends=True) if isinstance(cell["source"], list) else protected
        if count:
            changed[path.name] = count
            if not check:
                path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def _main(argv: list[str] | None = None) -> int:
    """``python -m helpers.text [--check] [NOTEBOOK ...]``: protect the dollars of notebook prose."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [Path(a) for a in args if a != "--check"] or None
    changed = rewrite_notebooks(paths, check=check)
    verb = "would protect" if check else "protected"
    for name, count in changed.items():
        print(f"{name}: {verb} {count} dollar sign{'s' if count != 1 else ''}")
    if not changed:
        print("every dollar sign is already protected")
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(_main())
