"""The database schema: one table per record kind, flat columns, spans as start/end pairs.

Typed SQLAlchemy 2 models, portable between SQLite and PostgreSQL (no dialect-specific types).
Every extracted value keeps its character span into ``articles.body`` so ``eventwire show`` can
highlight it. Mentions and quotes get stable string ids (``<article_id>:<seq>``) rather than
autoincrement numbers, so the same corpus gives the same ids on any database and any run order.

Span columns of the side tables are called ``span_start``/``span_end`` (not ``start``/``end``)
because ``end`` is a reserved word in SQL and would need quoting in every hand-written query.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Bump when a table or column changes; Store.open refuses a database of another version rather than
# failing later on a missing column.
SCHEMA_VERSION = 1

_ARTICLE_FK = "articles.id"


class Base(DeclarativeBase):
    """Declarative base of the eventwire tables (``Base.metadata`` creates them)."""


class StoreMeta(Base):
    """Key/value facts about the database itself (schema version)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_id: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    outlet: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duplicate_of: Mapped[str | None] = mapped_column(String(64), index=True)
    coder_version: Mapped[str | None] = mapped_column(String(32))


class SourceRow(Base):
    """One outlet that carried a story; ``key`` makes re-adding the same copy a no-op."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("article_id", "key", name="uq_sources_article_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    outlet: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    input_id: Mapped[str] = mapped_column(Text, default="")


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("article_id", "seq", name="uq_mentions_article_seq"),
        Index("ix_mentions_place_latlon", "place_lat", "place_lon"),
        # The mention listing's keyset order (API /api/mentions), walked in both directions; stores
        # made before it get it from migration 0003.
        Index("ix_mentions_api_order", "effective_start", "article_id", "seq"),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str | None] = mapped_column(String(64))
    acled_event_type: Mapped[str | None] = mapped_column(String(64))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(96))
    confidence: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(Text, default="")

    trigger_text: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)

    actor1_text: Mapped[str | None] = mapped_column(Text)
    actor1_start: Mapped[int | None] = mapped_column(Integer)
    actor1_end: Mapped[int | None] = mapped_column(Integer)
    actor1_id: Mapped[str | None] = mapped_column(String(128))
    actor1_name: Mapped[str | None] = mapped_column(Text)
    actor1_kind: Mapped[str | None] = mapped_column(String(32))
    actor1_country: Mapped[str | None] = mapped_column(String(3), index=True)
    actor1_members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    contexts: Mapped[list[Any] | None] = mapped_column(JSON, default=list)
    actor1_reason: Mapped[str | None] = mapped_column(Text)

    actor2_text: Mapped[str | None] = mapped_column(Text)
    actor2_start: Mapped[int | None] = mapped_column(Integer)
    actor2_end: Mapped[int | None] = mapped_column(Integer)
    actor2_id: Mapped[str | None] = mapped_column(String(128))
    actor2_name: Mapped[str | None] = mapped_column(Text)
    actor2_kind: Mapped[str | None] = mapped_column(String(32))
    actor2_country: Mapped[str | None] = mapped_column(String(3), index=True)
    actor2_members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    actor2_reason: Mapped[str | None] = mapped_column(Text)

    place_text: Mapped[str | None] = mapped_column(Text)
    place_start: Mapped[int | None] = mapped_column(Integer)
    place_end: Mapped[int | None] = mapped_column(Integer)
    place_name: Mapped[str | None] = mapped_column(Text)
    place_geonameid: Mapped[int | None] = mapped_column(Integer)
    place_lat: Mapped[float | None] = mapped_column(Float)
    place_lon: Mapped[float | None] = mapped_column(Float)
    place_country: Mapped[str | None] = mapped_column(String(3), index=True)
    place_admin1: Mapped[str | None] = mapped_column(String(32))
    place_feature_code: Mapped[str | None] = mapped_column(String(16))
    place_precision: Mapped[str | None] = mapped_column(String(16))
    place_score: Mapped[float | None] = mapped_column(Float)
    place_reason: Mapped[str | None] = mapped_column(Text)

    date_text: Mapped[str | None] = mapped_column(Text)
    date_span_start: Mapped[int | None] = mapped_column(Integer)
    date_span_end: Mapped[int | None] = mapped_column(Integer)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    date_reason: Mapped[str | None] = mapped_column(Text)

    # The dates the since/until filters and the listing order use: the mention's own range, else its
    # article's published date. Fixed at save time (an article is never re-saved), so indexable.
    effective_start: Mapped[date | None] = mapped_column(Date, index=True)
    effective_end: Mapped[date | None] = mapped_column(Date, index=True)

    fatalities: Mapped[int | None] = mapped_column(Integer)
    negated: Mapped[bool] = mapped_column(default=False)
    hypothetical: Mapped[bool] = mapped_column(default=False)
    attributed_to: Mapped[str | None] = mapped_column(Text)


# The type filter is case-insensitive; an expression index keeps it indexed on both databases.
Index("ix_mentions_type_upper", func.upper(MentionRow.type))


class QuoteRow(Base):
    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("article_id", "seq", name="uq_quotes_article_seq"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    cue: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_name: Mapped[str | None] = mapped_column(Text)
    speaker_role: Mapped[str | None] = mapped_column(Text)
    speaker_actor_id: Mapped[str | None] = mapped_column(String(128), index=True)


class PlaceRow(Base):
    """Every resolved toponym of an article, whether or not an event was placed there."""

    __tablename__ = "places"

    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    geonameid: Mapped[int | None] = mapped_column(Integer, index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    admin1: Mapped[str | None] = mapped_column(String(32))
    feature_code: Mapped[str | None] = mapped_column(String(16))
    precision: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str] = mapped_column(Text, default="")


class ActorMentionRow(Base):
    """Every resolved actor mention of an article, with compound members as JSON."""

    __tablename__ = "actor_mentions"

    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str | None] = mapped_column(String(128), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")


class TimeRefRow(Base):
    """Every time expression of an article and the date range it resolved to."""

    __tablename__ = "time_refs"

    article_id: Mapped[str] = mapped_column(ForeignKey(_ARTICLE_FK, ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    precision: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")


class IngestErrorRow(Base):
    """An input that failed to read. Unique on (input_id, message) through ``key``, a hash of both,
    because a PostgreSQL b-tree entry is capped near 2.7 kB and URLs plus messages can exceed it."""

    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    input_id: Mapped[str] = mapped_column(Text, index=True)
    code: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
