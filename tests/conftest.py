"""Shared test fixtures and paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
#: The article the course audits; CI has shared/ beside the checkout.
ARTICLE = ROOT.parent / "shared" / "seed" / "article_zh.txt"


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def article_text() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"the article is not at {ARTICLE} (it sits in shared/ beside the checkout)")
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def schema_lookups(monkeypatch) -> list:
    """Counts altair's whole-schema lookups (``_FromDict``), made for each bare string or dict channel.

    Chart builders must use typed channels (``alt.X("f:Q")``): a test builds charts and
    asserts the list stayed empty.
    """
    from altair.utils import schemapi

    lookups: list = []
    original = schemapi._FromDict.__init__

    def counting_init(self, *args, **kwargs):
        lookups.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counting_init)
    return lookups
