"""Ingestion as one resumable run: read, drop duplicates, extract the rest, save each article.

For every article read:

1. an exact copy of a stored article (same normalised body, so the same id) is not extracted
   again; its outlet, URL and date are added to the stored article as another source;
2. a near-duplicate (a syndicated copy: other headline, trimmed, padded, copy-edited; see
   ``eventwire.dedup``) is not extracted either, and is attached the same way to the first copy;
3. anything else is extracted and saved.

Articles are saved a batch per transaction, then their dedup signatures, so a run killed
half-way leaves only whole articles behind; rerunning the same command skips them, recomputes any missing
signature from the stored bodies, and carries on where it stopped. Copies of an article that is
still being extracted wait until it is saved, then are attached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from eventwire.config import Settings
from eventwire.dedup import Deduplicator, DedupOptions, Signature
from eventwire.engines import ExtractionEngine
from eventwire.merge import merge_pending
from eventwire.pipeline import Extractor
from eventwire.records import Article, Extraction, ReadFailure
from eventwire.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestSummary:
    """What one run did. ``duplicates`` counts exact copies, ``near_duplicates`` syndicated ones."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    errors: int = 0
    mentions: int = 0

    @property
    def all_duplicates(self) -> int:
        return self.duplicates + self.near_duplicates


@dataclass(slots=True)
class _Copy:
    """A copy to attach to a first copy once that one is stored."""

    article: Article
    key: str
    signature: Signature | None  # None: exact copy, nothing new to remember


@dataclass(slots=True)
class _Run:
    store: Store
    dedup: Deduplicator
    summary: IngestSummary
    on_progress: Callable[[str], None] | None
    in_flight: dict[str, Signature] = field(default_factory=dict)  # read, not yet saved
    waiting: dict[str, list[_Copy]] = field(default_factory=dict)  # first-copy id -> its copies

    def progress(self, label: str) -> None:
        if self.on_progress:
            self.on_progress(label)

    def attach(self, first_id: str, copy: _Copy) -> None:
        """Record a copy as another source of ``first_id`` (later, if that is not stored yet)."""
        if first_id in self.in_flight:
            self.waiting.setdefault(first_id, []).append(copy)
            return
        self.store.add_source(first_id, copy.article)
        if copy.signature is not None:
            self.dedup.remember(copy.key, first_id, copy.signature)

    def stored(self, saved: list[tuple[str, Signature]]) -> None:
        """Articles were saved: remember their signatures and attach the copies that waited."""
        for article_id, _ in saved:
            self.in_flight.pop(article_id, None)
        self.dedup.remember_many([(aid, aid, signature) for aid, signature in saved])
        for article_id, _ in saved:
            for copy in self.waiting.pop(article_id, []):
                self.attach(article_id, copy)

    def triage(self, article: Article) -> bool:
        """True if the article is new and must be extracted; else it is recorded as a copy."""
        aid = article.id
        if aid in self.in_flight or self.store.has_article(aid):
            self.summary.duplicates += 1
            self.attach(aid, _Copy(article, aid, None))
            self.progress(f"duplicate: {article.input_id}")
            return False
        first = self.dedup.canonical(aid)  # this very text was seen before as a copy of a story
        if first is not None:
            self.summary.near_duplicates += 1
            self.attach(first, _Copy(article, aid, None))
            self.progress(f"near-duplicate: {article.input_id}")
            return False
        signature = self.dedup.signature(article.body)
        match = self.dedup.find(signature)
        if match is not None:
            log.info(
                "%s copies %s (Jaccard %.2f, containment %.2f)",
                article.input_id,
                match.article_id,
                match.jaccard,
                match.containment,
            )
            self.summary.near_duplicates += 1
            self.dedup.index_only(aid, match.article_id, signature)  # later copies in this run see it
            self.attach(match.article_id, _Copy(article, aid, signature))
            self.progress(f"near-duplicate: {article.input_id}")
            return False
        self.in_flight[aid] = signature
        self.dedup.index_only(aid, aid, signature)
        return True


def ingest_articles(
    items: Iterable[Article | ReadFailure],
    store: Store,
    settings: Settings,
    *,
    extractor: ExtractionEngine | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
    dedup_options: DedupOptions | None = None,
) -> IngestSummary:
    """Store every story once with all its sources; record every unreadable input with its reason."""
    summary = IngestSummary()
    extractor = extractor or Extractor(settings)
    dedup = Deduplicator(store, dedup_options)
    dedup.load()
    run = _Run(store, dedup, summary, on_progress)

    def fresh() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadFailure):
                summary.errors += 1
                store.record_failure(item)
                if on_failure:
                    on_failure(item)
                continue
            summary.read += 1
            if run.triage(item):
                yield item

    batch: list[Extraction] = []

    def save_batch() -> None:
        saved = []
        for extraction, new in zip(batch, store.save_many(batch), strict=True):
            article = extraction.article
            aid = article.id
            if new:
                summary.new += 1
                summary.mentions += len(extraction.mentions)
            else:  # saved meanwhile by another writer on the same database
                summary.duplicates += 1
                store.add_source(aid, article)
            saved.append((aid, run.in_flight.get(aid) or dedup.signature(article.body)))
        run.stored(saved)
        for extraction in batch:
            run.progress(extraction.article.input_id)
        batch.clear()

    # One commit per batch, not per article: each commit is a round trip and a flush to disk.
    for extraction in extractor.extract(fresh()):
        batch.append(extraction)
        if len(batch) >= settings.batch_size:
            save_batch()
    save_batch()
    for first_id in list(run.waiting):  # only if the extractor skipped an article it was given
        log.warning("article %s was never saved; its copies are attached to nothing", first_id)
    # New articles (and stories with new sources) join the canonical events; only what they touch
    # is re-evaluated, and an interrupted merge is picked up by the next run.
    merge_pending(store)
    return summary
