"""Writes the API needs beyond ``Store.save``: re-extracting a stored article.

The store never re-saves an article (saving is idempotent by design), so reprocessing deletes the
article's rows and saves the new extraction, then re-attaches every source it had, then merges the
article again: the events its old mentions were in are rewritten from their remaining members and
the new mentions (``merge.merge_articles`` re-evaluates every event the article touches).

The article's merge state is deleted with its rows, in the same transaction, so the article counts
as never merged until the re-merge commits: if the process dies after the delete and before the
merge, the next ``merge_pending`` (every ingest runs it) picks the article up again. If it dies
between the delete and the save, the article is gone from the store until it is ingested or
submitted again (its sources are returned to the caller first).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import delete

from eventwire.merge import merge_articles
from eventwire.records import Article
from eventwire.store import Store
from eventwire.store.events import MergeStateRow
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
        conn.execute(delete(MergeStateRow).where(MergeStateRow.article_id == aid))
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
    merged = merge_articles(store, [aid])
    log.info("reprocessed %s: %d -> %d mentions", aid, len(old.mentions), len(fresh.mentions))
    return {
        "id": aid,
        "mentions_before": len(old.mentions),
        "mentions_after": len(fresh.mentions),
        "sources": len(sources),
        "events_written": merged.events_written,
        "events_removed": merged.events_removed,
    }
