"""The teacher's guide as JupyterLab shows it: Markdown Preview, no typeset maths, dollars as dollars.

JupyterLab renders a Markdown file with the same renderer as a notebook's Markdown cells, so two ``$`` in a
paragraph would become italic maths. The guide writes USD, and the reasoning it copies from the solutions keeps
the course's protected form (``<span>&#36;</span>``); this checks both in a real JupyterLab.
"""

from __future__ import annotations

import re

from helpers import teacher_guide as tg

_PREVIEW_JS = """async ([path, timeout_ms]) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open', {path, factory: 'Markdown Preview'});
  await w.context.ready;
  app.shell.activateById(w.id);
  const started = performance.now();
  let node = null;
  while (!(node = w.node.querySelector('.jp-RenderedMarkdown')) || !node.textContent.includes("Teacher's guide")) {
    if (performance.now() - started > timeout_ms) throw new Error(`${path} not rendered in ${timeout_ms / 1000} s`);
    await new Promise(r => setTimeout(r, 50));
  }
  await new Promise(r => setTimeout(r, 1500));  // time for MathJax to typeset, if anything asked it to
  const result = {
    maths: node.querySelectorAll('mjx-container, .MathJax, .MathJax_Display, .MathJax_Preview').length,
    text: node.textContent,
    sections: [...node.querySelectorAll('h2')].map(h => h.textContent),
    links: [...node.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  };
  w.dispose();
  return result;
}"""


def test_the_guide_renders_in_jupyterlab_without_maths(lab_browser):
    shown = lab_browser._evaluate(_PREVIEW_JS, [tg.GUIDE_PATH.name, 60_000], timeout_s=90,
                                  what="rendering the teacher's guide")
    assert shown["maths"] == 0, "typeset maths in the guide: a raw $ pair (write USD or <span>&#36;</span>)"
    assert "$13,609" in shown["text"], "the protected dollar of chapter 5's reasoning must show as $"
    numbers = {re.match(r"(\d\d) · ", title).group(1) for title in shown["sections"] if re.match(r"\d\d · ", title)}
    assert numbers == set(tg.chapter_sections(tg.GUIDE_PATH.read_text(encoding="utf-8")))
    assert any("/05_cost.ipynb" in link for link in shown["links"]), "the chapter links must survive rendering"
