"""The records every stage speaks.

Stages pass these plain dataclasses, never spaCy objects or database rows, so each stage can be
run, tested and benchmarked alone. ``to_dict`` gives the extract contract's JSON shape (see
DESIGN.md); keys are only ever added, never renamed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

Span = tuple[int, int]

_SPACE = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """Collapse case and whitespace so trivially reformatted copies hash alike."""
    return _SPACE.sub(" ", text).strip().lower()


def article_id(body: str) -> str:
    """Stable id of an article: a hash of its normalised body (re-ingesting is a no-op)."""
    return hashlib.sha256(normalise_for_hash(body).encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    """One news article after reading and cleanup; ``body`` is what every span points into."""

    body: str
    title: str = ""
    input_id: str = ""
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return article_id(self.body)


@dataclass(slots=True)
class ReadFailure:
    """An input that could not be read as an article: stored and reported, never dropped."""

    input_id: str
    message: str
    code: str = "E001"


@dataclass(slots=True)
class TimeRef:
    """A time expression and the date range it denotes (``start``/``end`` None when unresolvable)."""

    text: str
    span: Span
    start: date | None = None
    end: date | None = None
    precision: str | None = None  # day, week, month, year
    reason: str = ""


@dataclass(slots=True)
class PlaceRef:
    """A toponym resolved to a GeoNames entry, with the score and the reason that chose it."""

    text: str
    span: Span
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    feature_code: str | None = None
    precision: str | None = None  # place, near, region, country (ACLED-style geo precision)
    score: float = 0.0
    reason: str = ""


@dataclass(slots=True)
class ActorRef:
    """An actor as the text names it, resolved to the actor list where possible."""

    text: str
    span: Span
    id: str | None = None
    name: str | None = None
    kind: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    members: list[ActorRef] = field(default_factory=list)  # compound actors ("Kurdish and Arab fighters")
    reason: str = ""


@dataclass(slots=True)
class Speaker:
    text: str
    span: Span
    name: str
    role: str | None = None
    actor_id: str | None = None


@dataclass(slots=True)
class Quote:
    """A direct quotation and who said it."""

    text: str
    span: Span
    cue: str | None = None
    speaker: Speaker | None = None
    cue_span: Span | None = None


@dataclass(slots=True)
class Trigger:
    text: str
    span: Span


@dataclass(slots=True)
class Acled:
    event_type: str
    sub_event_type: str


@dataclass(slots=True)
class Mention:
    """One event as one sentence states it."""

    type: str  # PLOVER event type
    trigger: Trigger
    sentence: Span
    mode: str | None = None
    acled: Acled | None = None
    confidence: float = 0.5
    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    place: PlaceRef | None = None
    date: TimeRef | None = None
    fatalities: int | None = None
    negated: bool = False
    hypothetical: bool = False
    attributed_to: str | None = None
    rule: str = ""
    # PLOVER contexts the text gives the event: negated, future, planned, threatened, requested,
    # conditional, referenced (only mentioned inside a claim or reaction), historical, repeated.
    contexts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """Everything read from one article: the unit that ``extract`` prints and ``store`` saves."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    dates: list[TimeRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            "input_id": a.input_id,
            "title": a.title,
            "body": a.body,
            "published": a.published.isoformat() if a.published else None,
            "outlet": a.outlet,
            "url": a.url,
            "author": a.author,
            "language": a.language,
            "mentions": [to_plain(m) for m in self.mentions],
            "quotes": [to_plain(q) for q in self.quotes],
            "places": [to_plain(p) for p in self.places],
            "actors": [to_plain(x) for x in self.actors],
            "dates": [to_plain(d) for d in self.dates],
            "errors": list(a.errors),
        }


def to_plain(value: Any) -> Any:
    """Turn records into JSON-ready values: dates as ISO strings, spans as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value
