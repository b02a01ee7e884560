"""Runs the stages on articles: spaCy once per batch, then places, dates, quotes, actors and events.

Each stage is a plain function or object over the parsed Doc that returns typed records; this
module only wires them together, keeps per-stage timings for the benchmark, and streams (memory
stays flat however many articles pass through).
"""

from __future__ import annotations

import gc
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.actors.catalog import load_catalog
from eventwire.actors.finder import ActorFinder
from eventwire.config import Settings
from eventwire.dates import find_dates
from eventwire.events.coder import EventCoder
from eventwire.geo import PlaceResolver, default_resolver
from eventwire.geo.outlets import outlet_country
from eventwire.nlp import load_pipeline
from eventwire.quotes import attributed_to, direct_quotes, find_attributions
from eventwire.records import ActorRef, Article, Extraction, Quote, TimeRef

log = logging.getLogger(__name__)

ENGLISH = {"en", None}


class Extractor:
    """Turns articles into extractions; build once (it loads the model and indexes), reuse for all."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.timings: dict[str, float] = defaultdict(float)
        self._warm = False

    @cached_property
    def nlp(self) -> Language:
        return load_pipeline(self.settings.model)

    @cached_property
    def places(self) -> PlaceResolver:
        return default_resolver(Path(self.settings.cache_dir))

    @cached_property
    def actor_finder(self) -> ActorFinder:
        return ActorFinder(self.nlp.vocab, load_catalog())

    @cached_property
    def coder(self) -> EventCoder:
        return EventCoder()

    def warm_up(self) -> None:
        """Load the model, gazetteer and lexicons now rather than on the first article."""
        if self._warm:
            return
        _ = self.nlp, self.places, self.actor_finder, self.coder
        self._warm = True
        # The model, gazetteer and lexicons are ~200k long-lived objects that the cyclic garbage
        # collector would walk again on every full collection while batches allocate; frozen
        # objects are never scanned, so collections cost only what the batches create.
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """Nothing to release (the model is shared per process); engines with workers stop them."""

    def extract_one(self, article: Article) -> Extraction:
        return next(iter(self.extract([article])))

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Yield one Extraction per article, in input order, parsing in batches."""
        self.warm_up()
        stream = iter(articles)
        while batch := list(islice(stream, self.settings.batch_size)):
            coded = [a for a in batch if a.language in ENGLISH and a.body.strip()]
            started = time.perf_counter()
            docs = dict(zip((id(a) for a in coded), self.nlp.pipe(a.body for a in coded), strict=True))
            self.timings["spacy"] += time.perf_counter() - started
            for article in batch:
                doc = docs.get(id(article))
                if doc is None:
                    yield self._uncoded(article)
                else:
                    yield self._read(article, doc)

    def _uncoded(self, article: Article) -> Extraction:
        if article.language not in ENGLISH:
            article.errors.append(f"language '{article.language}' is not English: stored, not coded")
        return Extraction(article=article)

    def _read(self, article: Article, doc: Doc) -> Extraction:
        clock = _Clock(self.timings)
        with clock("places"):
            # The outlet's home country settles bare names its readers know ("Hyderabad" in .pk).
            places = self.places.find_places(doc, outlet_country=outlet_country(article.url))
        with clock("dates"):
            dates = find_dates(doc, article.published, text=article.body)
        with clock("quotes"):
            attributions = find_attributions(doc)
            quotes = direct_quotes(attributions, article.body)
        with clock("actors"):
            actors = self.actor_finder.analyse(doc)
            actor_refs = actors.mentions()
        with clock("events"):
            publication = _publication(article)
            mentions = self.coder.code(
                doc,
                actors,
                places,
                dates,
                attribution=lambda span: attributed_to(attributions, span),
                publication=publication,
            )
        if article.published is None:
            note = "no publication date: relative dates left unresolved"
            if note not in article.errors:
                article.errors.append(note)
        _link_speakers(quotes, actor_refs)
        return Extraction(article, mentions, quotes, places, actor_refs, dates)


class _Clock:
    """Adds the time spent in a ``with`` block to a named stage."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.name = ""
        self.started = 0.0

    def __call__(self, name: str) -> _Clock:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.name] += time.perf_counter() - self.started


def _publication(article: Article) -> TimeRef | None:
    """The fallback date of an event whose clause names none: the day the article was published."""
    if article.published is None:
        return None
    return TimeRef(
        text="",
        span=(0, 0),
        start=article.published,
        end=article.published,
        precision="day",
        reason="publication date: no time expression governs this event",
    )


def _link_speakers(quotes: list[Quote], actors: list[ActorRef]) -> None:
    """Give a quote's speaker the actor id of an actor mention at the same place in the text."""
    for quote in quotes:
        speaker = quote.speaker
        if speaker is None or speaker.actor_id:
            continue
        for ref in actors:
            if ref.id and ref.span[0] < speaker.span[1] and speaker.span[0] < ref.span[1]:
                speaker.actor_id = ref.id
                break
