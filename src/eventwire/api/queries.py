"""The API's read queries: read-only SQL over the store's tables, shaped for JSON.

Until canonical events are stored, an "event" here is one stored mention (id ``<article>:<seq>``,
``mentions`` 1). Every event-shaped answer goes through ``EventQuery`` and the functions below, so
switching ``/events`` to merged events changes this module only.

Pagination is by cursor (keyset): the cursor holds the sort key of the last row served, so a page
costs the same at row 10 as at row 100,000 and rows inserted meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, func, or_, select, text, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from eventwire.errors import ConfigError, EventwireError, NotFound
from eventwire.store.query import MentionFilter, conditions, haversine_km
from eventwire.store.repository import LISTED_COLUMNS
from eventwire.store.schema import ActorMentionRow, ArticleRow, MentionRow, PlaceRow, QuoteRow, SourceRow

log = logging.getLogger(__name__)

SORTS = ("-date", "date")
BUCKETS = ("day", "week", "month")
_NEAR_BATCH = 500
ORDER_INDEX = "ix_mentions_api_order"
_BAD_CURSOR = "cursor is not one this API issued"
_CURSOR_HINT = "pass next_cursor back unchanged"
_SQLITE_CHECK_EVERY = 2000  # VM instructions between deadline checks (cheap; a few microseconds)


class QueryTimeout(EventwireError):
    """A read ran past the configured query time and was cancelled."""

    code = "E060"
    hint = "narrow the filters (time range, country, type) or ask for a smaller page"


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters of the events listing: the CLI's filters plus a bounding box and a text search.

    ``bbox`` is (west, south, east, north) in degrees; west > east means the box crosses the
    antimeridian. ``q`` is a case-insensitive substring of the source sentence or the headline.
    """

    filters: MentionFilter = field(default_factory=lambda: MentionFilter(limit=None))
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.bbox is not None:
            west, south, east, north = self.bbox
            if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
                raise ConfigError(
                    f"bbox {self.bbox} is not west,south,east,north in degrees",
                    hint="e.g. bbox=35.5,32.0,42.5,37.5 (south must not exceed north)",
                )


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


# -- time limit -------------------------------------------------------------------------------------------


@contextmanager
def read_connection(engine: Engine, seconds: float | None) -> Iterator[Connection]:
    """A connection whose statements are cancelled after ``seconds`` (SQLite and PostgreSQL)."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        is_sqlite = isinstance(raw, sqlite3.Connection)
        if seconds is not None:
            if is_sqlite:
                deadline = time.monotonic() + seconds
                raw.set_progress_handler(lambda: int(time.monotonic() > deadline), _SQLITE_CHECK_EVERY)
            elif engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield conn
        except OperationalError as exc:
            if is_timeout(exc):
                raise QueryTimeout(f"the query took longer than {seconds} s and was cancelled") from exc
            raise
        finally:
            if seconds is not None:
                if is_sqlite:
                    raw.set_progress_handler(None, 0)
                elif engine.dialect.name == "postgresql":
                    conn.exec_driver_sql("RESET statement_timeout")


def is_timeout(exc: BaseException) -> bool:
    """True if a database error is a statement cancelled by the time limit."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).lower()
    return "interrupted" in text or "statement timeout" in text or "canceling statement" in text


# -- cursors ----------------------------------------------------------------------------------------------


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """The values of a cursor, checked against the types expected (None allowed for the first)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise ConfigError(_BAD_CURSOR, hint=_CURSOR_HINT) from exc
    ok = isinstance(values, list) and len(values) == len(shape)
    if ok:
        ok = all(
            (i == 0 and v is None) or (isinstance(v, t) and not isinstance(v, bool))
            for i, (v, t) in enumerate(zip(values, shape, strict=True))
        )
    if not ok:
        raise ConfigError(_BAD_CURSOR, hint=_CURSOR_HINT)
    return values


# -- events -----------------------------------------------------------------------------------------------

_SENTENCE = func.substr(
    ArticleRow.body, MentionRow.sentence_start + 1, MentionRow.sentence_end - MentionRow.sentence_start
)

# The store's mention listing, plus what cursor paging and the map need.
_EVENT_COLUMNS: list[Any] = [
    *LISTED_COLUMNS,
    MentionRow.seq.label("seq"),
    MentionRow.effective_start.label("effective_start"),
    MentionRow.place_precision.label("place_precision"),
]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _event(row: Any) -> dict[str, Any]:
    """One listed event, JSON-ready. ``date`` is the effective date (own date, else published)."""
    out = {k: _iso(v) for k, v in dict(row).items()}
    out["date"] = out.pop("effective_start")
    out["negated"], out["hypothetical"] = bool(out["negated"]), bool(out["hypothetical"])
    out["mentions"] = 1
    out["kind"] = "mention"
    return out


def _where(query: EventQuery) -> list[ColumnElement[bool]]:
    where = conditions(query.filters)
    if query.bbox is not None:
        west, south, east, north = query.bbox
        # "+ 0" keeps SQLite off the lat/lon index: a box on the map usually holds many events, and
        # walking the date index until a page is full beats sorting every event in the box.
        lat, lon = MentionRow.place_lat + 0, MentionRow.place_lon + 0
        where += [MentionRow.place_lat.is_not(None), lat >= south, lat <= north]
        if west <= east:
            where += [lon >= west, lon <= east]
        else:
            where.append(or_(lon >= west, lon <= east))
    if query.q and query.q.strip():
        needle = query.q.strip().lower()
        where.append(
            or_(
                func.lower(_SENTENCE).contains(needle, autoescape=True),
                func.lower(ArticleRow.title).contains(needle, autoescape=True),
            )
        )
    return where


def ensure_indexes(engine: Engine) -> None:
    """The index the events listing walks, in both directions, for keyset pages.

    Ordering by (effective date, article, seq) needs all three in one index, or every page sorts the
    whole table. Created here until the store's schema has it (see docs/api.md); IF NOT EXISTS makes
    it a no-op after the first start, on SQLite and PostgreSQL alike.
    """
    with engine.begin() as conn:
        lookup = {
            "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name",
            "postgresql": "SELECT 1 FROM pg_indexes WHERE indexname = :name",
        }.get(engine.dialect.name)
        if lookup and conn.execute(text(lookup), {"name": ORDER_INDEX}).first() is not None:
            return
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {ORDER_INDEX} ON mentions (effective_start, article_id, seq)"
        )
        # Fresh statistics let the planner see that a country or type filter is rarely selective
        # enough to beat walking this index (without them SQLite sorts thousands of rows per page).
        conn.exec_driver_sql("ANALYZE")


def _phase_select(query: EventQuery, ascending: bool, dated: bool, after: list[Any] | None) -> Select[Any]:
    """Dated events in date order, or undated ones in id order: each phase follows one index.

    Undated events come after dated ones in both sort directions. Ties break on article id and
    position in the same direction as the date, so one index serves the whole order.
    """
    eff = MentionRow.effective_start
    keys: tuple[Any, ...] = (eff, MentionRow.article_id, MentionRow.seq)
    if not dated:
        keys = keys[1:]
    stmt = (
        select(*_EVENT_COLUMNS)
        .join(ArticleRow, ArticleRow.id == MentionRow.article_id)
        .where(*_where(query), eff.is_not(None) if dated else eff.is_(None))
        .order_by(*(k.asc() if ascending else k.desc() for k in keys))
    )
    if after is not None:
        values = (date.fromisoformat(after[0]), after[1], after[2]) if dated else (after[1], after[2])
        row, mark = tuple_(*keys), tuple_(*values)
        stmt = stmt.where(row > mark if ascending else row < mark)
    return stmt


def _ordered_rows(
    conn: Connection,
    query: EventQuery,
    *,
    ascending: bool,
    after: list[Any] | None,
    batch: int,
    placed_only: bool = False,
) -> Iterator[tuple[Any, float | None]]:
    """Matching rows in order after the cursor, with the distance when a radius is asked for."""
    near = query.filters.near
    dated = after is None or after[0] is not None
    last = after
    while True:
        stmt = _phase_select(query, ascending, dated, last)
        if placed_only:
            stmt = stmt.where(MentionRow.place_lat.is_not(None), MentionRow.place_lon.is_not(None))
        rows = conn.execute(stmt.limit(batch)).mappings().all()
        for row in rows:
            last = [_iso(row["effective_start"]), row["article_id"], row["seq"]]
            if near is None:
                yield row, None
                continue
            distance = haversine_km(near[0], near[1], row["place_lat"], row["place_lon"])
            if distance <= near[2]:
                yield row, distance
        if len(rows) == batch:
            continue
        if not dated:
            return
        dated, last = False, None


def _validated(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    position = decode_cursor(cursor, (str, str, int))
    if position[0] is not None:
        try:
            date.fromisoformat(position[0])
        except ValueError as exc:
            raise ConfigError(_BAD_CURSOR, hint=_CURSOR_HINT) from exc
    return position


def list_events(
    conn: Connection, query: EventQuery, *, limit: int, cursor: str | None = None, sort: str = "-date"
) -> Page:
    """One page of events in ``sort`` order, and the cursor of the next page (None at the end)."""
    if sort not in SORTS:
        raise ConfigError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    batch = limit + 1 if query.filters.near is None else min(_NEAR_BATCH, 2 * limit + 2)
    items: list[dict[str, Any]] = []
    more = False
    for row, distance in _ordered_rows(
        conn, query, ascending=sort == "date", after=_validated(cursor), batch=batch
    ):
        if len(items) == limit:
            more = True
            break
        item = _event(row)
        if distance is not None:
            item["distance_km"] = round(distance, 3)
        items.append(item)
    next_cursor = None
    if more and items:
        tail = items[-1]
        next_cursor = encode_cursor([tail["date"], tail["article_id"], tail["seq"]])
    return Page(items, next_cursor)


def _split_id(event_id: str) -> tuple[str, int]:
    article, _, seq = event_id.rpartition(":")
    if not article or not seq.isdigit():
        raise NotFound(f"no event with id {event_id!r}", hint="event ids look like <article id>:<number>")
    return article, int(seq)


def _highlight(role: str, text: str | None, start: int | None, end: int | None, s0: int, s1: int) -> Any:
    if text is None or start is None or end is None:
        return None
    inside = s0 <= start and end <= s1 and start < end
    return {
        "role": role,
        "text": text,
        "start": start - s0 if inside else None,
        "end": end - s0 if inside else None,
    }


def mention_detail(row: MentionRow, article: ArticleRow) -> dict[str, Any]:
    """One mention with its sentence and the spans of each value, relative to the sentence."""
    s0, s1 = row.sentence_start, row.sentence_end
    highlights = [
        _highlight("trigger", row.trigger_text, row.trigger_start, row.trigger_end, s0, s1),
        _highlight("actor1", row.actor1_text, row.actor1_start, row.actor1_end, s0, s1),
        _highlight("actor2", row.actor2_text, row.actor2_start, row.actor2_end, s0, s1),
        _highlight("place", row.place_text, row.place_start, row.place_end, s0, s1),
        _highlight("date", row.date_text or None, row.date_span_start, row.date_span_end, s0, s1),
    ]
    return {
        "id": row.id,
        "article_id": row.article_id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": _iso(article.published),
        "sentence": article.body[s0:s1],
        "sentence_start": s0,
        "sentence_end": s1,
        "highlights": [h for h in highlights if h is not None],
        "actor1": row.actor1_name or row.actor1_text,
        "actor2": row.actor2_name or row.actor2_text,
        "place": row.place_name,
        "date_start": _iso(row.date_start),
        "date_end": _iso(row.date_end),
        "date_reason": row.date_reason,
        "place_reason": row.place_reason,
        "confidence": row.confidence,
        "attributed_to": row.attributed_to,
        "negated": bool(row.negated),
        "hypothetical": bool(row.hypothetical),
    }


def get_event(conn: Connection, event_id: str) -> dict[str, Any]:
    """An event with every mention (sentence and highlighted values) and every source outlet."""
    article_id, seq = _split_id(event_id)
    listed = (
        conn.execute(
            select(*_EVENT_COLUMNS)
            .join(ArticleRow, ArticleRow.id == MentionRow.article_id)
            .where(MentionRow.article_id == article_id, MentionRow.seq == seq)
        )
        .mappings()
        .first()
    )
    if listed is None:
        raise NotFound(f"no event with id {event_id!r}")
    with Session(bind=conn) as session:
        row = session.scalars(
            select(MentionRow).where(MentionRow.article_id == article_id, MentionRow.seq == seq)
        ).one()
        article = session.get(ArticleRow, article_id)
        assert article is not None  # the join above found it
        mentions = [mention_detail(row, article)]
    return {"event": _event(listed), "mentions": mentions, "sources": article_sources(conn, article_id)}


def article_sources(conn: Connection, article_id: str) -> list[dict[str, Any]]:
    found = conn.execute(
        select(SourceRow.outlet, SourceRow.url, SourceRow.published, SourceRow.input_id)
        .where(SourceRow.article_id == article_id)
        .order_by(SourceRow.id)
    ).mappings()
    return [{k: _iso(v) for k, v in dict(r).items()} for r in found]


# -- geojson and timeline ---------------------------------------------------------------------------------


def geojson(conn: Connection, query: EventQuery, *, limit: int) -> dict[str, Any]:
    """Placed events as a GeoJSON FeatureCollection (newest first, at most ``limit``)."""
    page_items: list[dict[str, Any]] = []
    truncated = False
    batch = min(limit + 1, 2_000)
    for row, _ in _ordered_rows(conn, query, ascending=False, after=None, batch=batch, placed_only=True):
        if len(page_items) == limit:
            truncated = True
            break
        page_items.append(_event(row))
    features = [
        {
            "type": "Feature",
            "id": e["id"],
            "geometry": {"type": "Point", "coordinates": [e["place_lon"], e["place_lat"]]},
            "properties": {
                "id": e["id"],
                "type": e["type"],
                "date": e["date"],
                "mentions": e["mentions"],
                "place": e["place_name"],
                "actor1": e["actor1_name"] or e["actor1_text"],
                "actor2": e["actor2_name"] or e["actor2_text"],
                "trigger": e["trigger"],
                "fatalities": e["fatalities"],
            },
        }
        for e in page_items
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def _bucket(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if bucket == "month":
        return day.replace(day=1)
    return day


def timeline(conn: Connection, query: EventQuery, bucket: str) -> dict[str, Any]:
    """Event counts per day, week (from Monday) or month, and per type; undated events are counted
    apart. Grouped by day and type in SQL, then folded into the bucket in Python (portable)."""
    if bucket not in BUCKETS:
        raise ConfigError(f"bucket must be one of {', '.join(BUCKETS)}, got {bucket!r}")
    eff = MentionRow.effective_start
    where = _where(query)
    needs_article = bool(query.q and query.q.strip())
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    undated = 0
    near = query.filters.near
    if near is None:
        stmt = select(eff, MentionRow.type, func.count()).where(*where).group_by(eff, MentionRow.type)
        if needs_article:
            stmt = stmt.join(ArticleRow, ArticleRow.id == MentionRow.article_id)
        rows: Any = conn.execute(stmt)
    else:
        stmt = select(eff, MentionRow.type, MentionRow.place_lat, MentionRow.place_lon).where(*where)
        if needs_article:
            stmt = stmt.join(ArticleRow, ArticleRow.id == MentionRow.article_id)
        rows = (
            (d, t, 1)
            for d, t, lat, lon in conn.execute(stmt)
            if haversine_km(near[0], near[1], lat, lon) <= near[2]
        )
    for day, kind, n in rows:
        if day is None:
            undated += n
        else:
            counts[_bucket(day, bucket)][kind] += n
    series = [
        {"start": k.isoformat(), "total": sum(c.values()), "types": dict(sorted(c.items()))}
        for k, c in sorted(counts.items())
    ]
    types = Counter[str]()
    for c in counts.values():
        types.update(c)
    return {"bucket": bucket, "series": series, "types": dict(types.most_common()), "undated": undated}


# -- articles, actors, places, quotes ---------------------------------------------------------------------


def list_articles(conn: Connection, *, limit: int, cursor: str | None, q: str | None) -> Page:
    """Articles in id order with their mention counts."""
    after = decode_cursor(cursor, (str,))[0] if cursor else None
    n = select(func.count()).where(MentionRow.article_id == ArticleRow.id).scalar_subquery()
    stmt = select(
        ArticleRow.id,
        ArticleRow.title,
        ArticleRow.outlet,
        ArticleRow.url,
        ArticleRow.published,
        ArticleRow.language,
        n.label("mentions"),
    ).order_by(ArticleRow.id)
    if after is not None:
        stmt = stmt.where(ArticleRow.id > after)
    if q and q.strip():
        stmt = stmt.where(func.lower(ArticleRow.title).contains(q.strip().lower(), autoescape=True))
    rows = conn.execute(stmt.limit(limit + 1)).mappings().all()
    items = [{k: _iso(v) for k, v in dict(r).items()} for r in rows[:limit]]
    return Page(items, encode_cursor([items[-1]["id"]]) if len(rows) > limit else None)


def list_actors(conn: Connection, *, limit: int, q: str | None, country: str | None) -> list[dict[str, Any]]:
    """Actors by how often articles mention them; unresolved actors are grouped by their text."""
    label = func.coalesce(ActorMentionRow.name, ActorMentionRow.text)
    n = func.count().label("mentions")
    stmt = (
        select(
            ActorMentionRow.actor_id, label.label("name"), ActorMentionRow.kind, ActorMentionRow.country, n
        )
        .group_by(ActorMentionRow.actor_id, label, ActorMentionRow.kind, ActorMentionRow.country)
        .order_by(n.desc(), label)
        .limit(limit)
    )
    if q and q.strip():
        needle = q.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(ActorMentionRow.text).contains(needle, autoescape=True),
                func.lower(ActorMentionRow.name).contains(needle, autoescape=True),
            )
        )
    if country:
        stmt = stmt.where(ActorMentionRow.country == country.strip().upper())
    return [dict(r) for r in conn.execute(stmt).mappings()]


def list_places(conn: Connection, *, limit: int, q: str | None, country: str | None) -> list[dict[str, Any]]:
    """Resolved places by how often articles name them."""
    n = func.count().label("mentions")
    keys = (
        PlaceRow.geonameid,
        PlaceRow.name,
        PlaceRow.country,
        PlaceRow.lat,
        PlaceRow.lon,
        PlaceRow.feature_code,
    )
    stmt = select(*keys, n).group_by(*keys).order_by(n.desc(), PlaceRow.name).limit(limit)
    if q and q.strip():
        stmt = stmt.where(func.lower(PlaceRow.name).contains(q.strip().lower(), autoescape=True))
    if country:
        stmt = stmt.where(PlaceRow.country == country.strip().upper())
    return [dict(r) for r in conn.execute(stmt).mappings()]


def list_quotes(
    conn: Connection,
    *,
    limit: int,
    cursor: str | None,
    speaker: str | None,
    q: str | None,
    article_id: str | None,
) -> Page:
    """Direct quotes with their speaker and article, in id order."""
    after = decode_cursor(cursor, (str,))[0] if cursor else None
    stmt = (
        select(
            QuoteRow.id,
            QuoteRow.article_id,
            QuoteRow.text,
            QuoteRow.span_start,
            QuoteRow.span_end,
            QuoteRow.cue,
            QuoteRow.speaker_text,
            QuoteRow.speaker_name,
            QuoteRow.speaker_role,
            QuoteRow.speaker_actor_id,
            ArticleRow.title,
            ArticleRow.published,
        )
        .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
        .order_by(QuoteRow.id)
    )
    if after is not None:
        stmt = stmt.where(QuoteRow.id > after)
    if speaker and speaker.strip():
        needle = speaker.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(QuoteRow.speaker_name).contains(needle, autoescape=True),
                func.lower(QuoteRow.speaker_text).contains(needle, autoescape=True),
            )
        )
    if q and q.strip():
        stmt = stmt.where(func.lower(QuoteRow.text).contains(q.strip().lower(), autoescape=True))
    if article_id:
        stmt = stmt.where(QuoteRow.article_id == article_id)
    rows = conn.execute(stmt.limit(limit + 1)).mappings().all()
    items = [{k: _iso(v) for k, v in dict(r).items()} for r in rows[:limit]]
    return Page(items, encode_cursor([items[-1]["id"]]) if len(rows) > limit else None)
