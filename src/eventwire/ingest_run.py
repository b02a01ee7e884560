"""Ingestion as one resumable run: read, skip what is stored, extract the rest, save each article.

Each article is saved in its own transaction, so a run killed half-way leaves only whole articles
behind, and rerunning the same command skips them and carries on where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from eventwire.config import Settings
from eventwire.pipeline import Extractor
from eventwire.records import Article, ReadFailure
from eventwire.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    errors: int = 0
    mentions: int = 0


def ingest_articles(
    items: Iterable[Article | ReadFailure],
    store: Store,
    settings: Settings,
    *,
    extractor: Extractor | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Store every readable article once; record every unreadable input with its reason."""
    summary = IngestSummary()
    extractor = extractor or Extractor(settings)

    def fresh() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadFailure):
                summary.errors += 1
                store.record_failure(item)
                if on_failure:
                    on_failure(item)
                continue
            summary.read += 1
            if store.has_article(item.id):
                summary.duplicates += 1
                store.add_source(item.id, item)
                if on_progress:
                    on_progress(f"already stored: {item.input_id}")
                continue
            yield item

    for extraction in extractor.extract(fresh()):
        article = extraction.article
        if store.save(extraction):
            summary.new += 1
            summary.mentions += len(extraction.mentions)
        else:  # the same story twice in one run
            summary.duplicates += 1
            store.add_source(article.id, article)
        if on_progress:
            on_progress(article.input_id)
    return summary
