"""Stores for the API tests: hand-written news (no spaCy needed) and a 10,000-event synthetic one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_news import news_extractions

from eventwire.api.synthetic import synthetic_corpus
from eventwire.store import Store


@pytest.fixture()
def news_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'news.db'}")
    for extraction in news_extractions():
        assert store.save(extraction)
    yield store
    store.close()


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """10,000 synthetic events over 500 articles (built in a few seconds with Store.save)."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    store = Store.open(f"sqlite:///{path}")
    for extraction in synthetic_corpus(500, 20):
        store.save(extraction)
    yield store
    store.close()
