"""Writes the API needs beyond ``Store.save``: re-extracting a stored article.

The store never re-saves an article (saving is idempotent by design), so reprocessing deletes the
article's rows and saves the new extraction, then re-attaches every source it had. The delete and
the save are two transactions: if the process dies between them, the article is gone from the
store until it is ingested or submitted again (its sources are returned to the caller first).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import delete

from eventwire.records import Article
from eventwire.store import Store
from eventwire.store.schema import (
    ActorMentionRow,
    ArticleRow,
    MentionRow,
    PlaceRow,
    QuoteRow,
    SourceRow,
    TimeRefRow,
)

log = logging.getLogger(__name__)

_CHILDREN = (MentionRow, QuoteRow, PlaceRow, ActorMentionRow, TimeRefRow, SourceRow)


def reprocess_article(store: Store, extractor: Any, article_id: str) -> dict[str, Any]:
    """Extract a stored article again and replace its rows; sources are kept."""
    old = store.get_article(article_id)
    aid = old.article.id
    sources = store.sources(aid)
    article = replace(old.article, errors=list(old.article.errors))
    fresh = extractor.extract_one(article)
    with store.engine.begin() as conn:
        for model in _CHILDREN:
            conn.execute(delete(model).where(model.article_id == aid))
        conn.execute(delete(ArticleRow).where(ArticleRow.id == aid))
    store.save(fresh)
    for source in sources:
        published = date.fromisoformat(source["published"]) if source["published"] else None
        copy = Article(
            body="",
            outlet=source["outlet"],
            url=source["url"],
            published=published,
            input_id=source["input_id"] or "",
        )
        store.add_source(aid, copy)
    log.info("reprocessed %s: %d -> %d mentions", aid, len(old.mentions), len(fresh.mentions))
    return {
        "id": aid,
        "mentions_before": len(old.mentions),
        "mentions_after": len(fresh.mentions),
        "sources": len(sources),
    }
