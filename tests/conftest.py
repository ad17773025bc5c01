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
