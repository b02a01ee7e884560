"""Stores for the API tests: hand-written news (no spaCy needed) and a synthetic one of more than
10,000 canonical events. Every store is merged after saving, as ``eventwire ingest`` does, so the
canonical events the API serves exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_news import news_extractions

from eventwire.api.synthetic import synthetic_corpus
from eventwire.merge import merge_pending
from eventwire.store import Store

BIG_ARTICLES = 10_200  # each reports its own happening; a few coincide and merge, >= 10,000 remain


@pytest.fixture()
def news_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'news.db'}")
    for extraction in news_extractions():
        assert store.save(extraction)
    merge_pending(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Canonical events of 10,200 synthetic two-sentence articles (a lead and a restatement)."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    store = Store.open(f"sqlite:///{path}")
    for extraction in synthetic_corpus(BIG_ARTICLES, 2, new_happening=1.0):
        store.save(extraction)
    merge_pending(store)
    yield store
    store.close()
