"""The store: save extractions, list mentions, rebuild an article with every span.

One class over one SQLAlchemy engine; the same code runs on SQLite (the default, one file) and on
PostgreSQL (a shared store for parallel workers). Each article is written in one transaction, so a
crash or a killed worker never leaves half an article, and re-saving an article is a no-op: a
crashed run resumes by simply running again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Label, Table, create_engine, event, func, insert, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker

from eventwire import __version__, records
from eventwire.errors import NotFound, StoreError
from eventwire.store import migrations, rows
from eventwire.store.query import MentionFilter, conditions, haversine_km
from eventwire.store.schema import (
    SCHEMA_VERSION,
    ActorMentionRow,
    ArticleRow,
    Base,
    IngestErrorRow,
    MentionRow,
    PlaceRow,
    QuoteRow,
    SourceRow,
    StoreMeta,
    TimeRefRow,
)

logger = logging.getLogger(__name__)

MIN_PREFIX = 6
_PG_CONNECT_TIMEOUT_S = 10
_NEAR_BATCH = 500
_SQLITE_BUSY_TIMEOUT_S = 30.0
_WRITE_OPTION = "eventwire_write"
# Any fixed number: serialises concurrent schema creation by parallel workers on PostgreSQL.
_PG_SCHEMA_LOCK = 0x65766E74
# Serialises writers of derived tables (canonical events) on PostgreSQL (SQLite: BEGIN IMMEDIATE).
_PG_WRITE_LOCK = 0x65766D67


@dataclass(frozen=True, slots=True)
class StoredFailure:
    """A recorded read failure with the time it was first seen."""

    input_id: str
    code: str
    message: str
    at: datetime


def _reason(exc: BaseException) -> str:
    """The driver's own message, first line only: the rest is SQL and parameters."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


def _with_driver(url: URL) -> URL:
    """Map plain ``postgresql://`` (and Heroku-style ``postgres://``) to psycopg 3.

    SQLAlchemy's default PostgreSQL driver is psycopg2, which eventwire does not depend on.
    """
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (the API) work while a writer ingests; SQLite leaves FKs off by default.

    pysqlite's own transaction handling is switched off (isolation_level None) so that
    ``_sqlite_on_begin`` decides how each transaction starts.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE), so the "is it stored?" check and
    the inserts see one snapshot and a second writer waits (busy timeout) instead of failing."""
    write = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC, so say so."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


class Store:
    """Repository over the eventwire tables. Build it with ``Store.open(url)``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False)
        self.url = engine.url.render_as_string(hide_password=True)

    # -- lifecycle ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect, create missing tables, and check the schema version.

        Raises StoreError for a malformed URL, an unknown or uninstalled driver, an unreachable
        server or an unopenable file, and for a database written by another schema version.
        """
        try:
            parsed = _with_driver(make_url(url))
        except ArgumentError as exc:
            shown = repr(url) if "@" not in url else "(hidden: it may hold a password)"
            raise StoreError(
                f"not a database URL: {shown} (expected sqlite:///path/to/file.db or "
                "postgresql://user:password@host/dbname)"
            ) from exc
        safe = parsed.render_as_string(hide_password=True)
        backend = parsed.get_backend_name()
        connect_args: dict[str, Any] = {}
        if backend == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT_S
        if backend == "sqlite" and "timeout" not in parsed.query:
            connect_args["timeout"] = _SQLITE_BUSY_TIMEOUT_S
        try:
            engine = create_engine(parsed, connect_args=connect_args)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"unsupported database URL {safe}: {exc}") from exc
        except ArgumentError as exc:
            raise StoreError(f"bad database URL {safe}: {exc}") from exc
        if backend == "sqlite":
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        try:
            with engine.execution_options(**{_WRITE_OPTION: True}).begin() as conn:
                if backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SCHEMA_LOCK})
                Base.metadata.create_all(conn)
                found = conn.execute(
                    select(StoreMeta.value).where(StoreMeta.key == "schema_version")
                ).scalar_one_or_none()
                if found is None:
                    conn.execute(insert(StoreMeta).values(key="schema_version", value=str(SCHEMA_VERSION)))
                migrations.upgrade(conn)  # the merge tables, versioned by alembic
        except SQLAlchemyError as exc:
            engine.dispose()
            hint = " (does its folder exist and is it writable?)" if backend == "sqlite" else ""
            raise StoreError(f"cannot open database {safe}: {_reason(exc)}{hint}") from exc
        if found is not None and found != str(SCHEMA_VERSION):
            engine.dispose()
            raise StoreError(
                f"database {safe} has schema version {found}, this eventwire uses {SCHEMA_VERSION}",
                hint="ingest into a new database, or re-ingest the corpus with this version",
            )
        logger.info("opened store %s", safe)
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for exporters and tools that need raw SQL."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, action: str) -> Iterator[Session]:
        """A write transaction for modules with tables of their own (merge): one lock, one commit."""
        with self._guard(action), self._writes() as session, session.begin():
            if self._engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            yield session

    @contextmanager
    def reading(self, action: str) -> Iterator[Session]:
        """A read-only session for modules with tables of their own."""
        with self._guard(action), self._sessions() as session:
            yield session

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn driver errors into one readable StoreError; our own errors pass through."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"{action} failed on {self.url}: {_reason(exc)}") from exc

    # -- writing -----------------------------------------------------------------------------------

    def save(
        self,
        extraction: records.Extraction,
        *,
        duplicate_of: str | None = None,
        coder_version: str | None = None,
    ) -> bool:
        """Store one article and everything read from it, in one transaction.

        Returns True if the article was new, False if it was already stored (then nothing is
        changed: the first copy wins; record further outlets with ``add_source``).
        ``duplicate_of`` names the stored article this one near-duplicates, if dedup found one.
        """
        article = extraction.article
        aid = article.id
        try:
            with self._guard(f"saving article {aid}"), self._writes() as session, session.begin():
                if self._exists(session, aid):
                    return False
                row = rows.article_row(
                    article,
                    ingested_at=datetime.now(UTC),
                    duplicate_of=duplicate_of,
                    coder_version=coder_version or __version__,
                )
                conn = session.connection()
                for model, values in _rows_of(extraction, row):
                    if values:  # Core executemany: the ORM's bulk path costs ~5x more per row
                        conn.execute(insert(_table(model)), values)
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError) and self.has_article(aid):
                logger.debug("article %s was saved by a concurrent writer", aid)
                return False
            raise
        logger.debug("saved article %s (%d mentions)", aid, len(extraction.mentions))
        return True

    def save_many(
        self, extractions: list[records.Extraction], *, coder_version: str | None = None
    ) -> list[bool]:
        """Store a batch of articles in one transaction; for each, True if it was new.

        One commit per batch instead of per article is what makes bulk ingest fast on a server
        database (a commit is a round trip and a flush). A batch is whole or absent after a
        crash, like a single article. If another writer stores one of these articles meanwhile,
        the batch is retried one article at a time so the others are still saved.
        """
        if not extractions:
            return []
        ids = [e.article.id for e in extractions]
        try:
            with self._guard(f"saving {len(ids)} articles"), self._writes() as session, session.begin():
                seen = set(session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(ids))))
                now = datetime.now(UTC)
                batch: dict[type[Base], list[dict[str, Any]]] = {}
                new: list[bool] = []
                for extraction in extractions:
                    aid = extraction.article.id
                    new.append(aid not in seen)
                    if aid in seen:
                        continue
                    seen.add(aid)  # the same body twice in one batch: the first copy wins
                    row = rows.article_row(
                        extraction.article,
                        ingested_at=now,
                        duplicate_of=None,
                        coder_version=coder_version or __version__,
                    )
                    for model, values in _rows_of(extraction, row):
                        batch.setdefault(model, []).extend(values)
                conn = session.connection()
                for model, values in batch.items():  # parents first: _rows_of's order
                    if values:
                        conn.execute(insert(_table(model)), values)
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                logger.debug("a concurrent writer saved part of a batch; saving one by one")
                return [self.save(e, coder_version=coder_version) for e in extractions]
            raise
        logger.debug("saved %d of %d articles in one transaction", sum(new), len(new))
        return new

    def add_source(self, article_id: str, article: records.Article) -> bool:
        """Record another outlet that carried a stored story. True if this copy was new.

        A copy is identified by its URL, or without one by outlet and input id (see
        ``rows.source_key``), so re-ingesting the same copy adds nothing.
        """
        row = rows.source_row(article_id, article)
        try:
            with (
                self._guard(f"adding a source to {article_id}"),
                self._writes() as session,
                session.begin(),
            ):
                if not self._exists(session, article_id):
                    raise NotFound(f"no stored article {article_id!r} to add a source to")
                found = session.execute(
                    select(SourceRow.id).where(
                        SourceRow.article_id == article_id, SourceRow.key == row["key"]
                    )
                ).first()
                if found is not None:
                    return False
                session.execute(insert(SourceRow), [row])
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                return False  # a concurrent writer added the same copy
            raise
        return True

    def record_failure(self, failure: records.ReadFailure) -> None:
        """Store a read failure once: the same input failing the same way again adds nothing."""
        key = rows.failure_key(failure)
        try:
            with (
                self._guard(f"recording a failure of {failure.input_id}"),
                self._writes() as session,
                session.begin(),
            ):
                found = session.execute(select(IngestErrorRow.id).where(IngestErrorRow.key == key)).first()
                if found is None:
                    session.execute(
                        insert(IngestErrorRow),
                        [
                            {
                                "key": key,
                                "input_id": failure.input_id,
                                "code": failure.code,
                                "message": failure.message,
                                "at": datetime.now(UTC),
                            }
                        ],
                    )
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise

    # -- reading -----------------------------------------------------------------------------------

    @staticmethod
    def _exists(session: Session, article_id: str) -> bool:
        stmt = select(ArticleRow.id).where(ArticleRow.id == article_id)
        return session.execute(stmt).first() is not None

    def has_article(self, article_id: str) -> bool:
        with self._guard("looking up an article"), self._sessions() as session:
            return self._exists(session, article_id)

    def failures(self) -> list[StoredFailure]:
        """Every recorded read failure, oldest first."""
        with self._guard("listing failures"), self._sessions() as session:
            found = session.scalars(select(IngestErrorRow).order_by(IngestErrorRow.at, IngestErrorRow.id))
            return [StoredFailure(r.input_id, r.code, r.message, _utc(r.at)) for r in found]

    def sources(self, article_id: str) -> list[dict[str, Any]]:
        """Every outlet that carried the story (the first copy's own source included), JSON-ready."""
        with self._guard("listing sources"), self._sessions() as session:
            found = session.scalars(
                select(SourceRow).where(SourceRow.article_id == article_id).order_by(SourceRow.id)
            )
            return [
                {"outlet": s.outlet, "url": s.url, "published": _iso(s.published), "input_id": s.input_id}
                for s in found
            ]

    def resolve_id(self, article_id_or_prefix: str) -> str:
        """The full id of a stored article given its id or a unique prefix of 6+ characters."""
        ref = article_id_or_prefix.strip().lower()
        with self._guard("looking up an article"), self._sessions() as session:
            if self._exists(session, ref):
                return ref
            if len(ref) < MIN_PREFIX:
                raise NotFound(
                    f"no article with id {ref!r}",
                    hint=f"give the full id or at least {MIN_PREFIX} of its first characters",
                )
            found = session.scalars(
                select(ArticleRow.id)
                .where(ArticleRow.id.startswith(ref, autoescape=True))
                .order_by(ArticleRow.id)
                .limit(2)
            ).all()
        if not found:
            raise NotFound(f"no article whose id starts with {ref!r}")
        if len(found) > 1:
            raise NotFound(
                f"article id prefix {ref!r} is ambiguous ({found[0]}, {found[1]}, ...)",
                hint="give more characters of the id",
            )
        return found[0]

    def get_article(self, article_id_or_prefix: str) -> records.Extraction:
        """Rebuild the full Extraction of a stored article, every span intact."""
        aid = self.resolve_id(article_id_or_prefix)
        with self._guard(f"reading article {aid}"), self._sessions() as session:
            row = session.get(ArticleRow, aid)
            if row is None:  # deleted between the two reads
                raise NotFound(f"no stored article {aid!r}")

            def ordered(model: Any) -> Any:
                return session.scalars(select(model).where(model.article_id == aid).order_by(model.seq))

            return records.Extraction(
                article=rows.article_from_row(row),
                mentions=[rows.mention_from_row(r) for r in ordered(MentionRow)],
                quotes=[rows.quote_from_row(r) for r in ordered(QuoteRow)],
                places=[rows.place_from_row(r) for r in ordered(PlaceRow)],
                actors=[rows.actor_from_row(r) for r in ordered(ActorMentionRow)],
                dates=[rows.time_from_row(r) for r in ordered(TimeRefRow)],
            )

    def list_mentions(self, filters: MentionFilter | None = None) -> list[dict[str, Any]]:
        """Mentions matching the filters as flat JSON-ready dicts, newest first.

        Order: the mention's date (else its article's published date) descending, then article id
        and position in the article, so paging with limit/offset is stable.
        """
        filters = filters or MentionFilter()
        stmt = (
            select(*LISTED_COLUMNS)
            .join(ArticleRow, ArticleRow.id == MentionRow.article_id)
            .where(*conditions(filters))
            .order_by(MentionRow.effective_start.desc().nulls_last(), MentionRow.article_id, MentionRow.seq)
        )
        with self._guard("listing mentions"), self._sessions() as session:
            if filters.near is None:
                if filters.limit is not None:
                    stmt = stmt.limit(filters.limit)
                if filters.offset:
                    stmt = stmt.offset(filters.offset)
                return [_listed(r) for r in session.execute(stmt).mappings()]
            return self._near(session, stmt, filters.near, filters)

    @staticmethod
    def _near(
        session: Session, stmt: Any, near: tuple[float, float, float], filters: MentionFilter
    ) -> list[dict[str, Any]]:
        """Exact radius in Python over the box-filtered rows; limit/offset count kept rows only."""
        lat, lon, km = near
        out: list[dict[str, Any]] = []
        skipped = 0
        for r in session.execute(stmt.execution_options(yield_per=_NEAR_BATCH)).mappings():
            distance = haversine_km(lat, lon, r["place_lat"], r["place_lon"])
            if distance > km:
                continue
            if skipped < filters.offset:
                skipped += 1
                continue
            out.append(_listed(r) | {"distance_km": round(distance, 3)})
            if filters.limit is not None and len(out) >= filters.limit:
                break
        return out

    def counts(self) -> dict[str, int]:
        """Row counts: articles, mentions, quotes, failures, and the per-article side tables."""
        tables: dict[str, Any] = {
            "articles": ArticleRow,
            "sources": SourceRow,
            "mentions": MentionRow,
            "quotes": QuoteRow,
            "places": PlaceRow,
            "actors": ActorMentionRow,
            "dates": TimeRefRow,
            "failures": IngestErrorRow,
        }
        with self._guard("counting rows"), self._sessions() as session:
            return {
                name: int(session.execute(select(func.count()).select_from(model)).scalar_one())
                for name, model in tables.items()
            }


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _rows_of(
    extraction: records.Extraction, article_row: dict[str, Any]
) -> Iterator[tuple[type[Base], list[dict[str, Any]]]]:
    """Each table's rows for one article, parents first, each built just before it is written."""
    aid, published = article_row["id"], article_row["published"]
    yield ArticleRow, [article_row]
    yield SourceRow, [rows.source_row(aid, extraction.article)]
    yield MentionRow, [rows.mention_row(aid, i, m, published) for i, m in enumerate(extraction.mentions)]
    yield QuoteRow, [rows.quote_row(aid, i, q) for i, q in enumerate(extraction.quotes)]
    yield PlaceRow, [rows.place_row(aid, i, p) for i, p in enumerate(extraction.places)]
    yield ActorMentionRow, [rows.actor_row(aid, i, a) for i, a in enumerate(extraction.actors)]
    yield TimeRefRow, [rows.time_row(aid, i, t) for i, t in enumerate(extraction.dates)]


# What one listed mention holds, in order: (key, column). Plain columns rather than ORM objects,
# since a listing reads a third of the mention's 80 columns and builds no records.
LISTED_COLUMNS: list[Label[Any]] = [
    col.label(key)
    for key, col in [
        ("id", MentionRow.id),
        ("article_id", MentionRow.article_id),
        ("published", ArticleRow.published),
        ("title", ArticleRow.title),
        ("outlet", ArticleRow.outlet),
        ("url", ArticleRow.url),
        ("type", MentionRow.type),
        ("mode", MentionRow.mode),
        ("acled_event_type", MentionRow.acled_event_type),
        ("acled_sub_event_type", MentionRow.acled_sub_event_type),
        ("confidence", MentionRow.confidence),
        ("actor1_text", MentionRow.actor1_text),
        ("actor1_name", MentionRow.actor1_name),
        ("actor1_id", MentionRow.actor1_id),
        ("actor1_country", MentionRow.actor1_country),
        ("actor2_text", MentionRow.actor2_text),
        ("actor2_name", MentionRow.actor2_name),
        ("actor2_id", MentionRow.actor2_id),
        ("actor2_country", MentionRow.actor2_country),
        ("place_text", MentionRow.place_text),
        ("place_name", MentionRow.place_name),
        ("place_geonameid", MentionRow.place_geonameid),
        ("place_lat", MentionRow.place_lat),
        ("place_lon", MentionRow.place_lon),
        ("place_country", MentionRow.place_country),
        ("date_start", MentionRow.date_start),
        ("date_end", MentionRow.date_end),
        ("date_precision", MentionRow.date_precision),
        ("fatalities", MentionRow.fatalities),
        ("negated", MentionRow.negated),
        ("hypothetical", MentionRow.hypothetical),
        ("attributed_to", MentionRow.attributed_to),
        ("trigger", MentionRow.trigger_text),
        # Cut in SQL: both databases count characters (not bytes), as Python spans do.
        (
            "sentence",
            func.substr(
                ArticleRow.body,
                MentionRow.sentence_start + 1,
                MentionRow.sentence_end - MentionRow.sentence_start,
            ),
        ),
    ]
]
_DATE_KEYS = ("published", "date_start", "date_end")


def _listed(row: Any) -> dict[str, Any]:
    out = dict(row)
    for key in _DATE_KEYS:
        out[key] = _iso(out[key])
    out["negated"], out["hypothetical"] = bool(out["negated"]), bool(out["hypothetical"])
    return out
