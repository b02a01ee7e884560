"""Canonical events: one row per real-world happening, its member mentions, and merge bookkeeping.

These tables have their own metadata and are created by the alembic migrations in
``eventwire.store.migrations`` (``Store.open`` brings a database up to head), so later changes to
them are versioned rather than guessed from ``create_all``. Event ids are hashes of the smallest
member mention id, so the same corpus gives the same ids on any database, in any ingest order.

``merge_state`` remembers, for each article, how many sources it had when it was last merged: an
article with no row (new) or with more sources since (a syndicated copy arrived) is pending.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, Float, Integer, String, Text, func, or_, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from eventwire.store.query import MentionFilter, haversine_km
from eventwire.store.schema import ArticleRow, MentionRow

if TYPE_CHECKING:
    from eventwire.store.repository import Store


class EventBase(DeclarativeBase):
    """Metadata of the merge tables, managed by alembic (not by ``Base.metadata.create_all``)."""


class CanonicalEventRow(EventBase):
    __tablename__ = "canonical_events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    types: Mapped[str] = mapped_column(Text)  # every member type, "|A|B|", for candidate lookup
    mode: Mapped[str | None] = mapped_column(String(64))
    acled_event_type: Mapped[str | None] = mapped_column(String(64))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(96))

    actor1_id: Mapped[str | None] = mapped_column(String(128), index=True)
    actor1_name: Mapped[str | None] = mapped_column(Text)
    actor1_kind: Mapped[str | None] = mapped_column(String(32))
    actor1_country: Mapped[str | None] = mapped_column(String(3))
    actor2_id: Mapped[str | None] = mapped_column(String(128), index=True)
    actor2_name: Mapped[str | None] = mapped_column(Text)
    actor2_kind: Mapped[str | None] = mapped_column(String(32))
    actor2_country: Mapped[str | None] = mapped_column(String(3))
    actors: Mapped[list[Any]] = mapped_column(JSON, default=list)

    place_name: Mapped[str | None] = mapped_column(Text)
    place_geonameid: Mapped[int | None] = mapped_column(Integer)
    place_lat: Mapped[float | None] = mapped_column(Float)
    place_lon: Mapped[float | None] = mapped_column(Float)
    place_country: Mapped[str | None] = mapped_column(String(3), index=True)
    place_admin1: Mapped[str | None] = mapped_column(String(32))
    place_precision: Mapped[str | None] = mapped_column(String(16))
    # Bounding box of every member's place: candidate lookup for incremental merging.
    box_south: Mapped[float | None] = mapped_column(Float)
    box_north: Mapped[float | None] = mapped_column(Float)
    box_west: Mapped[float | None] = mapped_column(Float)
    box_east: Mapped[float | None] = mapped_column(Float)

    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    # Union of the members' date windows (with their uncertainty): candidate lookup.
    window_start: Mapped[date] = mapped_column(Date, index=True)
    window_end: Mapped[date] = mapped_column(Date, index=True)

    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_min: Mapped[int | None] = mapped_column(Integer)
    fatalities_max: Mapped[int | None] = mapped_column(Integer)

    n_mentions: Mapped[int] = mapped_column(Integer)
    n_articles: Mapped[int] = mapped_column(Integer)
    n_outlets: Mapped[int] = mapped_column(Integer)
    outlets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    first_reported: Mapped[date | None] = mapped_column(Date)
    last_reported: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    merge_version: Mapped[str] = mapped_column(String(16))


class EventMentionRow(EventBase):
    """A mention's place in a canonical event, with the rule and score that put it there."""

    __tablename__ = "event_mentions"

    mention_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    article_id: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)


class MergeStateRow(EventBase):
    __tablename__ = "merge_state"

    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    n_sources: Mapped[int] = mapped_column(Integer)


# -- reading -------------------------------------------------------------------------------------------

_DATE_COLUMNS = ("date_start", "date_end", "window_start", "window_end", "first_reported", "last_reported")
# Internal lookup columns, not part of an event as users see it.
_HIDDEN = ("box_south", "box_north", "box_west", "box_east", "window_start", "window_end", "types")


def event_dict(row: CanonicalEventRow) -> dict[str, Any]:
    """A canonical event as a JSON-ready dict (dates as ISO strings), lookup columns left out."""
    out: dict[str, Any] = {}
    for column in CanonicalEventRow.__table__.columns:
        if column.key in _HIDDEN:
            continue
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if column.key in _DATE_COLUMNS and value is not None else value
    return out


def _event_conditions(filters: MentionFilter) -> list[Any]:
    where: list[Any] = []
    if filters.since is not None:
        where.append(func.coalesce(CanonicalEventRow.date_end, CanonicalEventRow.window_end) >= filters.since)
    if filters.until is not None:
        where.append(
            func.coalesce(CanonicalEventRow.date_start, CanonicalEventRow.window_start) <= filters.until
        )
    if filters.country:
        c = filters.country.upper()
        where.append(
            or_(
                CanonicalEventRow.place_country == c,
                CanonicalEventRow.actor1_country == c,
                CanonicalEventRow.actor2_country == c,
            )
        )
    if filters.type:
        where.append(func.upper(CanonicalEventRow.type) == filters.type.upper())
    if filters.actor:
        like = f"%{filters.actor.lower()}%"
        where.append(
            or_(
                func.lower(CanonicalEventRow.actor1_name).like(like),
                func.lower(CanonicalEventRow.actor2_name).like(like),
                func.lower(CanonicalEventRow.actor1_id).like(like),
                func.lower(CanonicalEventRow.actor2_id).like(like),
            )
        )
    return where


def list_events(store: Store, filters: MentionFilter | None = None) -> list[dict[str, Any]]:
    """Canonical events matching the filters, newest first (ties by id, so paging is stable)."""
    filters = filters or MentionFilter()
    stmt = (
        select(CanonicalEventRow)
        .where(*_event_conditions(filters))
        .order_by(CanonicalEventRow.date_start.desc().nulls_last(), CanonicalEventRow.id)
    )
    out: list[dict[str, Any]] = []
    skipped = 0
    with store.reading("listing events") as session:
        for row in session.execute(stmt.execution_options(yield_per=500)).scalars():
            found = event_dict(row)
            if filters.near is not None:
                lat, lon, km = filters.near
                if row.place_lat is None or row.place_lon is None:
                    continue
                distance = haversine_km(lat, lon, row.place_lat, row.place_lon)
                if distance > km:
                    continue
                found["distance_km"] = round(distance, 3)
            if skipped < filters.offset:
                skipped += 1
                continue
            out.append(found)
            if filters.limit is not None and len(out) >= filters.limit:
                break
    return out


def iter_events(store: Store, *, with_mentions: bool = False, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every canonical event in id order (the same on any database), streamed in batches."""
    last = ""
    while True:
        with store.reading("reading events") as session:
            rows = (
                session.execute(
                    select(CanonicalEventRow)
                    .where(CanonicalEventRow.id > last)
                    .order_by(CanonicalEventRow.id)
                    .limit(batch)
                )
                .scalars()
                .all()
            )
            if not rows:
                return
            members = _members(session, [r.id for r in rows]) if with_mentions else {}
        for row in rows:
            found = event_dict(row)
            if with_mentions:
                found["mentions"] = members.get(row.id, [])
            yield found
        last = rows[-1].id


def count_events(store: Store) -> int:
    with store.reading("counting events") as session:
        return int(session.execute(select(func.count()).select_from(CanonicalEventRow)).scalar_one())


def event_mentions(store: Store, event_id: str) -> list[dict[str, Any]]:
    """An event's mentions with their spans, outlets and the rule that merged each."""
    with store.reading("reading an event's mentions") as session:
        return _members(session, [event_id]).get(event_id, [])


def _members(session: Session, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    stmt = (
        select(
            EventMentionRow.event_id,
            EventMentionRow.mention_id,
            EventMentionRow.rule,
            EventMentionRow.score,
            MentionRow.article_id,
            MentionRow.type,
            MentionRow.trigger_text,
            MentionRow.trigger_start,
            MentionRow.trigger_end,
            MentionRow.sentence_start,
            MentionRow.sentence_end,
            ArticleRow.outlet,
            ArticleRow.published,
            ArticleRow.title,
            func.substr(
                ArticleRow.body,
                MentionRow.sentence_start + 1,
                MentionRow.sentence_end - MentionRow.sentence_start,
            ).label("sentence"),
        )
        .join(MentionRow, MentionRow.id == EventMentionRow.mention_id)
        .join(ArticleRow, ArticleRow.id == MentionRow.article_id)
        .where(EventMentionRow.event_id.in_(event_ids))
        .order_by(EventMentionRow.event_id, EventMentionRow.mention_id)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for r in session.execute(stmt):
        out.setdefault(r.event_id, []).append(
            {
                "mention_id": r.mention_id,
                "article_id": r.article_id,
                "outlet": r.outlet,
                "published": r.published.isoformat() if r.published else None,
                "title": r.title,
                "type": r.type,
                "trigger": {"text": r.trigger_text, "span": [r.trigger_start, r.trigger_end]},
                "sentence": {"text": r.sentence, "span": [r.sentence_start, r.sentence_end]},
                "rule": r.rule,
                "score": r.score,
            }
        )
    return out
