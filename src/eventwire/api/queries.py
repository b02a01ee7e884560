"""The API's read queries: read-only SQL over the store's tables, shaped for JSON.

An *event* is a canonical event (``store.events``: one real happening, merged from every mention
of it across articles); ``mentions`` is its number of mentions. The event page lists each member
mention's sentence with its values highlighted. The raw mentions stay available as a list of their
own (``list_mentions``, ``get_mention``).

Pagination is by cursor (keyset): the cursor holds the sort key of the last row served, so a page
costs the same at row 10 as at row 100,000 and rows inserted meanwhile never shift a page. Lists
are read with Core selects of the columns served (no ORM objects) along one index per sort order
(revision 0003); no page counts its total.

The listings (events, mentions, GeoJSON) are the API's hot path, so their rows skip every
conversion that the JSON answer would undo: dates come as SQLite stores them (ISO text) and JSON
columns as their stored text, spliced into the answer as ``orjson.Fragment`` rather than parsed
and encoded again. Their items are therefore for ``orjson.dumps`` only (``encode``). PostgreSQL's
driver still returns ``date`` objects and parsed JSON, which orjson writes the same way.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Label,
    Select,
    Text,
    exists,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from eventwire.errors import ConfigError, EventwireError, NotFound
from eventwire.store.events import (
    EVENTS_TABLE,
    HIDDEN_COLUMNS,
    EventMentionRow,
    event_conditions,
    place_columns,
)
from eventwire.store.query import MentionFilter, conditions, haversine_km
from eventwire.store.repository import LISTED_COLUMNS
from eventwire.store.schema import ActorMentionRow, ArticleRow, MentionRow, PlaceRow, QuoteRow, SourceRow

log = logging.getLogger(__name__)

SORTS = ("-date", "date")
BUCKETS = ("day", "week", "month")
_NEAR_BATCH = 500
_BAD_CURSOR = "cursor is not one this API issued"
_CURSOR_HINT = "pass next_cursor back unchanged"
_SQLITE_CHECK_EVERY = 2000  # VM instructions between deadline checks (cheap; a few microseconds)
# Set once per pooled connection the API reads with: the file mapped into memory (reads skip a
# copy through SQLite's page cache), a larger page cache, and sorts in memory.
_SQLITE_READ_PRAGMAS = ("PRAGMA mmap_size=268435456", "PRAGMA cache_size=-32768", "PRAGMA temp_store=MEMORY")
_READ_PRAGMAS_SET = "eventwire_read_pragmas"


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
    """One page of a listing; the items of events and mentions are for ``encode`` (orjson) only."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def encode(body: Any) -> bytes:
    """A listing's answer as JSON: the spliced JSON columns verbatim, dates as ISO strings."""
    return orjson.dumps(body)


# -- time limit -------------------------------------------------------------------------------------------


@contextmanager
def read_connection(engine: Engine, seconds: float | None) -> Iterator[Connection]:
    """A connection whose statements are cancelled after ``seconds`` (SQLite and PostgreSQL)."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        is_sqlite = isinstance(raw, sqlite3.Connection)
        if is_sqlite and not conn.connection.info.get(_READ_PRAGMAS_SET):
            for pragma in _SQLITE_READ_PRAGMAS:
                raw.execute(pragma)
            conn.connection.info[_READ_PRAGMAS_SET] = True
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


# -- shared -----------------------------------------------------------------------------------------------

_SENTENCE = func.substr(
    ArticleRow.body, MentionRow.sentence_start + 1, MentionRow.sentence_end - MentionRow.sentence_start
)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _text_match(needle: str) -> ColumnElement[bool]:
    """The mention's sentence or its article's headline holds ``needle`` (lower case)."""
    return or_(
        func.lower(_SENTENCE).contains(needle, autoescape=True),
        func.lower(ArticleRow.title).contains(needle, autoescape=True),
    )


def _box(lat: Any, lon: Any, bbox: tuple[float, float, float, float]) -> list[ColumnElement[bool]]:
    west, south, east, north = bbox
    where: list[ColumnElement[bool]] = [lat.is_not(None), lat >= south, lat <= north]
    if west <= east:
        where += [lon >= west, lon <= east]
    else:
        where.append(or_(lon >= west, lon <= east))
    return where


def _validated(cursor: str | None, shape: tuple[type, ...]) -> list[Any] | None:
    if not cursor:
        return None
    position = decode_cursor(cursor, shape)
    if position[0] is not None:
        try:
            date.fromisoformat(position[0])
        except ValueError as exc:
            raise ConfigError(_BAD_CURSOR, hint=_CURSOR_HINT) from exc
    return position


def _served(column: Any) -> Any:
    """``column`` read as the driver returns it, without SQLAlchemy's conversion: SQLite's dates stay
    ISO text and JSON stays its text (PostgreSQL's driver still gives ``date`` and parsed JSON)."""
    inner = column.element if isinstance(column, Label) else column
    if isinstance(inner.type, (Date, JSON)):
        return type_coerce(inner, Text).label(column.key)
    return column


def _plain_rows(conn: Connection, stmt: Select[Any]) -> Sequence[Any]:
    """Every row as the driver returns it, without building SQLAlchemy's Row objects (about half a
    microsecond each: 7 ms of the timeline's 15,000 rows). Only for statements whose columns need
    no conversion by SQLAlchemy: read through ``_served``, or text and numbers."""
    result = conn.execute(stmt)
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        return result.cursor.fetchall()
    except dbapi_error as exc:
        # SQLite finds the rows as they are fetched, so a query cancelled by the time limit can fail
        # here: wrapped as SQLAlchemy wraps the errors of execute(), it is answered the same way.
        raise DBAPIError.instance(None, None, exc, dbapi_error) from exc
    finally:
        result.close()


def _spliced(value: Any) -> Any:
    """A JSON column's stored text as a fragment orjson writes verbatim (PostgreSQL: the value)."""
    return orjson.Fragment(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class _Listing:
    """How one kind of row is listed in date order: its columns, sort keys and filters.

    Rows are plain tuples in the order of ``columns`` (see ``_served``): ``keys`` names them.
    """

    columns: list[Any]
    sort_date: Any  # rows without one come after the dated ones in both orders
    ties: tuple[Any, ...]  # tie-breaking keys, in the same direction as the date
    where: Any  # EventQuery -> list of SQL conditions
    joins: Any  # Select -> Select
    lat: Any
    lon: Any
    cursor_shape: tuple[type, ...]
    keys: tuple[str, ...] = field(init=False)
    _base: Select[Any] = field(init=False)  # built once: coercing every column costs per request
    _position_at: tuple[int, ...] = field(init=False)
    _place_at: tuple[int, int] = field(init=False)

    def __post_init__(self) -> None:
        served = [_served(c) for c in self.columns]
        keys = tuple(c.key for c in served)
        set_ = object.__setattr__  # frozen: the derived fields are set once here
        set_(self, "keys", keys)
        set_(self, "_base", self.joins(select(*served)))
        set_(self, "_position_at", tuple(keys.index(k.key) for k in (self.sort_date, *self.ties)))
        set_(self, "_place_at", (keys.index("place_lat"), keys.index("place_lon")))

    def narrowed(self, keys: tuple[str, ...]) -> _Listing:
        """The same listing reading only the columns named (and what the cursor and radius need)."""
        needed = {*keys, self.sort_date.key, *(k.key for k in self.ties), "place_lat", "place_lon"}
        return replace(self, columns=[c for c in self.columns if c.key in needed])

    def phase(self, query: EventQuery, ascending: bool, dated: bool, after: list[Any] | None) -> Select[Any]:
        """Dated rows in date order, or undated ones in tie-key order: each phase follows one index."""
        keys: tuple[Any, ...] = (self.sort_date, *self.ties) if dated else self.ties
        stmt = self._base.where(
            *self.where(query), self.sort_date.is_not(None) if dated else self.sort_date.is_(None)
        ).order_by(*(k.asc() if ascending else k.desc() for k in keys))
        if after is not None:
            values = (date.fromisoformat(after[0]), *after[1:]) if dated else tuple(after[1:])
            row, mark = tuple_(*keys), tuple_(*values)
            stmt = stmt.where(row > mark if ascending else row < mark)
        return stmt

    def rows(
        self,
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
        lat_at, lon_at = self._place_at
        dated = after is None or after[0] is not None
        last = after
        while True:
            stmt = self.phase(query, ascending, dated, last)
            if placed_only:
                stmt = stmt.where(self.lat.is_not(None), self.lon.is_not(None))
            rows = _plain_rows(conn, stmt.limit(batch))
            if rows:
                last = self.position(rows[-1])
            if near is None:
                for row in rows:
                    yield row, None
            else:
                for row in rows:
                    distance = haversine_km(near[0], near[1], row[lat_at], row[lon_at])
                    if distance <= near[2]:
                        yield row, distance
            if len(rows) == batch:
                continue
            if not dated:
                return
            dated, last = False, None

    def position(self, row: Any) -> list[Any]:
        """The cursor values of a row: its date as ISO text, then its tie keys."""
        first, *rest = (row[i] for i in self._position_at)
        return [_iso(first), *rest]

    def page(
        self, conn: Connection, query: EventQuery, shape: Any, *, limit: int, cursor: str | None, sort: str
    ) -> Page:
        """One page in ``sort`` order, and the cursor of the next page (None at the end)."""
        if sort not in SORTS:
            raise ConfigError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        after = _validated(cursor, self.cursor_shape)
        batch = limit + 1 if query.filters.near is None else min(_NEAR_BATCH, 2 * limit + 2)
        items: list[dict[str, Any]] = []
        last: Any = None
        more = False
        for row, distance in self.rows(conn, query, ascending=sort == "date", after=after, batch=batch):
            if len(items) == limit:
                more = True
                break
            item = shape(row)
            if distance is not None:
                item["distance_km"] = round(distance, 3)
            items.append(item)
            last = row
        return Page(items, encode_cursor(self.position(last)) if more and last is not None else None)


# -- canonical events -------------------------------------------------------------------------------------

# Table columns rather than ORM attributes throughout: a statement that mentions no mapped class
# skips the ORM's compile and result layers, several milliseconds per request under load.
_EVENT = EVENTS_TABLE.c
_EVENT_COLUMNS: list[Any] = [c for c in EVENTS_TABLE.columns if c.key not in HIDDEN_COLUMNS]
_DATE_KEYS = frozenset({"date_start", "date_end", "first_reported", "last_reported"})
_MEMBERS, _MENTIONS, _ARTICLES = EventMentionRow.__table__.c, MentionRow.__table__.c, ArticleRow.__table__.c


def _event_where(query: EventQuery) -> list[ColumnElement[bool]]:
    where = event_conditions(query.filters)
    if query.bbox is not None:
        where += _box(*place_columns(query.bbox[3] - query.bbox[1]), query.bbox)
    if query.q and query.q.strip():
        # Any member's sentence or headline: checked per event as the index walk reaches it.
        needle = query.q.strip().lower()
        sentence = func.substr(
            _ARTICLES.body, _MENTIONS.sentence_start + 1, _MENTIONS.sentence_end - _MENTIONS.sentence_start
        )
        member = (
            select(_MEMBERS.mention_id)
            .join(MentionRow.__table__, _MENTIONS.id == _MEMBERS.mention_id)
            .join(ArticleRow.__table__, _ARTICLES.id == _MENTIONS.article_id)
            .where(
                _MEMBERS.event_id == _EVENT.id,
                or_(
                    func.lower(sentence).contains(needle, autoescape=True),
                    func.lower(_ARTICLES.title).contains(needle, autoescape=True),
                ),
            )
        )
        where.append(exists(member))
    return where


def _event(row: Any) -> dict[str, Any]:
    """One canonical event, JSON-ready. ``date`` is its start (the sort key), ``mentions`` its size."""
    out = {k: (v.isoformat() if v is not None and k in _DATE_KEYS else v) for k, v in row.items()}
    out["date"] = out["date_start"]
    out["mentions"] = out["n_mentions"]
    out["kind"] = "event"
    return out


EVENTS = _Listing(
    columns=_EVENT_COLUMNS,
    sort_date=_EVENT.date_start,
    ties=(_EVENT.id,),
    where=_event_where,
    joins=lambda stmt: stmt,
    lat=_EVENT.place_lat,
    lon=_EVENT.place_lon,
    cursor_shape=(str, str),
)
_EVENT_JSON = tuple(c.key for c in _EVENT_COLUMNS if isinstance(c.type, JSON))


def _listed_event(row: Any) -> dict[str, Any]:
    """``_event`` of a listed row (a tuple in ``EVENTS.keys`` order), for ``encode``."""
    out = dict(zip(EVENTS.keys, row, strict=True))
    for key in _EVENT_JSON:
        out[key] = _spliced(out[key])
    out["date"] = out["date_start"]
    out["mentions"] = out["n_mentions"]
    out["kind"] = "event"
    return out


def list_events(
    conn: Connection, query: EventQuery, *, limit: int, cursor: str | None = None, sort: str = "-date"
) -> Page:
    """One page of canonical events in ``sort`` order (ties by id), and the next page's cursor."""
    return EVENTS.page(conn, query, _listed_event, limit=limit, cursor=cursor, sort=sort)


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
        "type": row.type,
        "trigger": row.trigger_text,
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
    """A canonical event, each member mention (sentence, highlighted values, article, the rule that
    merged it) in reporting order, and every source (outlet) of every member article."""
    found = conn.execute(select(*_EVENT_COLUMNS).where(_EVENT.id == event_id)).mappings().first()
    if found is None:
        raise NotFound(f"no event with id {event_id!r}", hint="event ids come from /api/events")
    members = conn.execute(
        select(EventMentionRow.mention_id, EventMentionRow.rule, EventMentionRow.score).where(
            EventMentionRow.event_id == event_id
        )
    ).all()
    merged = {m.mention_id: (m.rule, m.score) for m in members}
    mentions: list[dict[str, Any]] = []
    with Session(bind=conn) as session:
        rows = session.scalars(select(MentionRow).where(MentionRow.id.in_(list(merged)))).all()
        article_ids = sorted({r.article_id for r in rows})
        articles = {
            a.id: a for a in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(article_ids)))
        }
        for row in rows:
            detail = mention_detail(row, articles[row.article_id])
            detail["rule"], detail["score"] = merged[row.id]
            mentions.append(detail)
    mentions.sort(key=lambda m: (m["published"] or "9999", m["article_id"], m["sentence_start"]))
    sources = conn.execute(
        select(SourceRow.article_id, SourceRow.outlet, SourceRow.url, SourceRow.published, SourceRow.input_id)
        .where(SourceRow.article_id.in_(article_ids))
        .order_by(SourceRow.published, SourceRow.id)
    ).mappings()
    return {
        "event": _event(found),
        "mentions": mentions,
        "sources": [{k: _iso(v) for k, v in dict(s).items()} for s in sources],
    }


def article_sources(conn: Connection, article_id: str) -> list[dict[str, Any]]:
    found = conn.execute(
        select(SourceRow.outlet, SourceRow.url, SourceRow.published, SourceRow.input_id)
        .where(SourceRow.article_id == article_id)
        .order_by(SourceRow.id)
    ).mappings()
    return [{k: _iso(v) for k, v in dict(r).items()} for r in found]


# -- mentions (one sentence stating an event) -------------------------------------------------------------

# The store's mention listing, plus what cursor paging needs and the event each mention is in.
_MENTION_COLUMNS: list[Any] = [
    *LISTED_COLUMNS,
    MentionRow.seq.label("seq"),
    MentionRow.effective_start.label("effective_start"),
    MentionRow.place_precision.label("place_precision"),
    EventMentionRow.event_id.label("event_id"),
]


def _mention_where(query: EventQuery) -> list[ColumnElement[bool]]:
    where = conditions(query.filters)
    if query.bbox is not None:
        # "+ 0" keeps SQLite off the lat/lon index: a box on the map usually holds many mentions,
        # and walking the date index until a page is full beats sorting every mention in the box.
        where += _box(MentionRow.place_lat + 0, MentionRow.place_lon + 0, query.bbox)
    if query.q and query.q.strip():
        where.append(_text_match(query.q.strip().lower()))
    return where


def _mention(row: Any) -> dict[str, Any]:
    """One listed mention (a tuple in ``MENTIONS.keys`` order), for ``encode``. ``date`` is the
    effective date (own date, else published)."""
    out = dict(zip(MENTIONS.keys, row, strict=True))
    out["date"] = out.pop("effective_start")
    out["negated"], out["hypothetical"] = bool(out["negated"]), bool(out["hypothetical"])
    out["kind"] = "mention"
    return out


MENTIONS = _Listing(
    columns=_MENTION_COLUMNS,
    sort_date=MentionRow.effective_start,
    ties=(MentionRow.article_id, MentionRow.seq),
    where=_mention_where,
    joins=lambda stmt: stmt.join(ArticleRow, ArticleRow.id == MentionRow.article_id).outerjoin(
        EventMentionRow, EventMentionRow.mention_id == MentionRow.id
    ),
    lat=MentionRow.place_lat,
    lon=MentionRow.place_lon,
    cursor_shape=(str, str, int),
)


def list_mentions(
    conn: Connection, query: EventQuery, *, limit: int, cursor: str | None = None, sort: str = "-date"
) -> Page:
    """One page of stored mentions (negated and hypothetical ones included, flagged), each with
    the id of the canonical event it belongs to (None if it joined none)."""
    return MENTIONS.page(conn, query, _mention, limit=limit, cursor=cursor, sort=sort)


def get_mention(conn: Connection, mention_id: str) -> dict[str, Any]:
    """One mention with its highlighted sentence, its event and its article's sources."""
    with Session(bind=conn) as session:
        row = session.get(MentionRow, mention_id)
        if row is None:
            raise NotFound(f"no mention with id {mention_id!r}", hint="mention ids come from /api/mentions")
        article = session.get(ArticleRow, row.article_id)
        assert article is not None  # a foreign key keeps them together
        detail = mention_detail(row, article)
    detail["event_id"] = conn.execute(
        select(EventMentionRow.event_id).where(EventMentionRow.mention_id == mention_id)
    ).scalar_one_or_none()
    detail["sources"] = article_sources(conn, detail["article_id"])
    return detail


# -- geojson and timeline ---------------------------------------------------------------------------------


# What a map point shows, in this order; the map reads thousands of points, so only these are read.
_GEO_KEYS = (
    "id",
    "type",
    "date_start",
    "date_end",
    "n_mentions",
    "n_outlets",
    "place_name",
    "place_precision",
    "actor1_name",
    "actor2_name",
    "fatalities",
    "place_lat",
    "place_lon",
)
_PLACED_EVENTS = EVENTS.narrowed(_GEO_KEYS)
_GEO_FIELDS = itemgetter(*(_PLACED_EVENTS.keys.index(k) for k in _GEO_KEYS))


def geojson(conn: Connection, query: EventQuery, *, limit: int) -> dict[str, Any]:
    """Placed canonical events as a GeoJSON FeatureCollection (newest first, at most ``limit``),
    for ``encode``."""
    features: list[dict[str, Any]] = []
    truncated = False
    batch = min(limit + 1, 2_000)
    rows = _PLACED_EVENTS.rows(conn, query, ascending=False, after=None, batch=batch, placed_only=True)
    for row, _ in rows:
        if len(features) == limit:
            truncated = True
            break
        id_, type_, start, end, mentions, outlets, place, precision, actor1, actor2, dead, lat, lon = (
            _GEO_FIELDS(row)
        )
        features.append(
            {
                "type": "Feature",
                "id": id_,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": id_,
                    "type": type_,
                    "date": start,
                    "date_end": end,
                    "mentions": mentions,
                    "outlets": outlets,
                    "place": place,
                    "place_precision": precision,
                    "actor1": actor1,
                    "actor2": actor2,
                    "fatalities": dead,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def _bucket(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if bucket == "month":
        return day.replace(day=1)
    return day


def timeline(conn: Connection, query: EventQuery, bucket: str) -> dict[str, Any]:
    """Canonical event counts per day, week (from Monday) or month of their start, and per type;
    undated events are counted apart. Grouped by day and type in SQL, folded into buckets here.

    Some 15,000 (day, type) rows over six years: each day is read as its ISO text and turned into
    its bucket once (``starts``), not parsed and formatted again for each of its types.
    """
    if bucket not in BUCKETS:
        raise ConfigError(f"bucket must be one of {', '.join(BUCKETS)}, got {bucket!r}")
    day_col, type_col = _EVENT.date_start, _EVENT.type
    day_read = _served(day_col)
    where = _event_where(query)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    starts: dict[Any, str] = {}
    undated = 0
    near = query.filters.near
    if near is None:
        stmt = select(day_read, type_col, func.count()).where(*where).group_by(day_col, type_col)
        rows: Any = _plain_rows(conn, stmt)
    else:
        stmt = select(day_read, type_col, _EVENT.place_lat, _EVENT.place_lon).where(*where)
        rows = (
            (d, t, 1)
            for d, t, lat, lon in _plain_rows(conn, stmt)
            if haversine_km(near[0], near[1], lat, lon) <= near[2]
        )
    for day, kind, n in rows:
        if day is None:
            undated += n
            continue
        start = starts.get(day)
        if start is None:
            as_date = date.fromisoformat(day) if isinstance(day, str) else day
            start = starts[day] = _bucket(as_date, bucket).isoformat()
        counts[start][kind] += n
    series = [
        {"start": k, "total": sum(c.values()), "types": dict(sorted(c.items()))}
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
