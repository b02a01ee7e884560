"""Canonical events: one row per real-world happening, its member mentions, and merge bookkeeping.

These tables have their own metadata and are created by the alembic migrations in
``eventwire.store.migrations`` (``Store.open`` brings a database up to head), so later changes to
them are versioned rather than guessed from ``create_all``. Event ids are hashes of the smallest
member mention id, so the same corpus gives the same ids on any database, in any ingest order.

``merge_state`` remembers, for each article, how many sources it had when it was last merged: an
article with no row (new) or with more sources since (a syndicated copy arrived) is pending.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Date,
    Float,
    Index,
    Integer,
    String,
    Text,
    func,
    or_,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.sql.visitors import replacement_traverse

from eventwire.store.query import EARTH_RADIUS_KM, MentionFilter, bounding_box, haversine_km
from eventwire.store.schema import ArticleRow, MentionRow

if TYPE_CHECKING:
    from eventwire.store.repository import Store


class EventBase(DeclarativeBase):
    """Metadata of the merge tables, managed by alembic (not by ``Base.metadata.create_all``)."""


class CanonicalEventRow(EventBase):
    __tablename__ = "canonical_events"
    # The listings walk these in both directions, one page at a time (revision 0003): newest
    # first, or of one type newest first; ties break on id so a keyset cursor is exact.
    __table_args__ = (
        Index("ix_canonical_events_listing", "date_start", "id"),
        Index("ix_canonical_events_type_listing", "type", "date_start", "id"),
        # Small boxes (a radius, a zoomed-in map): the places in a latitude band, then sorted.
        Index("ix_canonical_events_place", "place_lat", "place_lon", "date_start", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    types: Mapped[str] = mapped_column(Text)  # every member type, "|A|B|", for candidate lookup
    mode: Mapped[str | None] = mapped_column(String(64))
    acled_event_type: Mapped[str | None] = mapped_column(String(64))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(96))

    actor1_id: Mapped[str | None] = mapped_column(String(128), index=True)
    actor1_name: Mapped[str | None] = mapped_column(Text)
    actor1_kind: Mapped[str | None] = mapped_column(String(32))
    actor1_country: Mapped[str | None] = mapped_column(String(3), index=True)
    actor2_id: Mapped[str | None] = mapped_column(String(128), index=True)
    actor2_name: Mapped[str | None] = mapped_column(Text)
    actor2_kind: Mapped[str | None] = mapped_column(String(32))
    actor2_country: Mapped[str | None] = mapped_column(String(3), index=True)
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

    date_start: Mapped[date | None] = mapped_column(Date)
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

EVENTS_TABLE = CanonicalEventRow.__table__

_DATE_COLUMNS = ("date_start", "date_end", "window_start", "window_end", "first_reported", "last_reported")
# Internal lookup columns, not part of an event as users see it.
HIDDEN_COLUMNS = ("box_south", "box_north", "box_west", "box_east", "window_start", "window_end", "types")


def event_dict(row: CanonicalEventRow) -> dict[str, Any]:
    """A canonical event as a JSON-ready dict (dates as ISO strings), lookup columns left out."""
    out: dict[str, Any] = {}
    for column in CanonicalEventRow.__table__.columns:
        if column.key in HIDDEN_COLUMNS:
            continue
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if column.key in _DATE_COLUMNS and value is not None else value
    return out


# A place box at most this many degrees of latitude high is looked up through the place index;
# a taller one (most of a continent) is cheaper to filter while walking the date order.
INDEXED_BOX_DEG = 5.0


def place_columns(lat_span: float) -> tuple[Any, Any]:
    """The event's latitude and longitude for a box ``lat_span`` degrees high: the plain columns
    (the place index can serve the box) or the columns plus 0, which keeps the planner on the date
    order (same values; SQLite and PostgreSQL use no index for an expression)."""
    lat, lon = EVENTS_TABLE.c.place_lat, EVENTS_TABLE.c.place_lon
    return (lat, lon) if lat_span <= INDEXED_BOX_DEG else (lat + 0, lon + 0)


def _on_events(clause: ColumnElement[bool], lat_span: float) -> ColumnElement[bool]:
    """A condition on the mentions' place columns, moved onto the events' (same names)."""
    lat, lon = place_columns(lat_span)
    swap_to = {"place_lat": lat, "place_lon": lon}

    def swap(element: Any) -> Any:
        if getattr(element, "table", None) is MentionRow.__table__ and element.key in swap_to:
            return swap_to[element.key]
        return None

    return replacement_traverse(clause, {}, swap)


def event_conditions(filters: MentionFilter) -> list[ColumnElement[bool]]:
    """SQL conditions for every filter except the exact radius (the box around it is included).

    An event matches a date range when its date range overlaps it; an event with no date at all
    (no report gave one and no article was dated) is left out whenever a bound is given. Types are
    stored as the coder writes them (upper case), so the type test can use the type index.
    """
    event = EVENTS_TABLE.c  # table columns, not ORM attributes: Core statements skip the ORM layer
    where: list[ColumnElement[bool]] = []
    if filters.since is not None:
        where.append(event.date_end >= filters.since)
    if filters.until is not None:
        where.append(event.date_start <= filters.until)
    if filters.country:
        c = filters.country.strip().upper()
        where.append(or_(event.place_country == c, event.actor1_country == c, event.actor2_country == c))
    if filters.type:
        where.append(event.type == filters.type.strip().upper())
    if filters.actor:
        needle = filters.actor.strip().lower()
        columns = (event.actor1_name, event.actor2_name, event.actor1_id, event.actor2_id)
        where.append(or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns)))
    if filters.near is not None:
        lat_span = math.degrees(2 * filters.near[2] / EARTH_RADIUS_KM)
        where.append(_on_events(bounding_box(*filters.near), lat_span))
    return where


def list_events(store: Store, filters: MentionFilter | None = None) -> list[dict[str, Any]]:
    """Canonical events matching the filters, newest first (ties by id, so paging is stable)."""
    filters = filters or MentionFilter()
    stmt = (
        select(CanonicalEventRow)
        .where(*event_conditions(filters))
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


def _members(session: Session | Connection, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
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
