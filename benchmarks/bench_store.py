"""Store write rate: ``Store.save`` of already-extracted articles into SQLite and PostgreSQL.

Extraction is done once, untimed, so the figure is the store's alone: one transaction per article,
as ingest writes them, then ``merge_pending`` over what was saved. Each backend gets a fresh
database: a new SQLite file in a temporary folder, and on PostgreSQL a dedicated schema
(``eventwire_bench_<pid>``) that the Store is pointed at through ``search_path`` and that is dropped
afterwards, so the benchmark never touches anyone's tables. Run through ``bench_pipeline.py
--phases store``; see benchmarks/README.md.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from eventwire.errors import StoreError
from eventwire.records import Extraction

log = logging.getLogger(__name__)

PG_ENV = ("EVENTWIRE_BENCH_PG", "EVENTWIRE_TEST_PG")
_PG_CONNECT_TIMEOUT_S = 5


def default_pg_url() -> str | None:
    """The PostgreSQL URL from the environment, if one is set."""
    for name in PG_ENV:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _row_counts(engine: Any) -> dict[str, int]:
    """Rows per table of the default schema (the search_path's first schema on PostgreSQL)."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {
            name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()) for name in names
        }


def _added(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(n - before.get(name, 0) for name, n in after.items())


def time_saves(url: str, extractions: Sequence[Extraction], batch_size: int = 32) -> dict[str, Any]:
    """Open a fresh store at ``url``, time saving every extraction and then ``merge_pending``.

    Saves go through ``Store.save_many`` in batches of ``batch_size``, a transaction each, as
    ``eventwire ingest`` does.
    """
    from eventwire.merge import merge_pending
    from eventwire.store.repository import Store

    started = time.perf_counter()
    store = Store.open(url)
    open_seconds = time.perf_counter() - started
    try:
        before = _row_counts(store.engine)
        new = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(0, len(extractions), batch_size):
            new += sum(store.save_many(list(extractions[i : i + batch_size])))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        saved = _row_counts(store.engine)
        started = time.perf_counter()
        summary = merge_pending(store)
        merge_seconds = time.perf_counter() - started
        merged = _row_counts(store.engine)
    finally:
        store.close()
    rows = _added(before, saved)
    return {
        "articles": len(extractions),
        "batch_size": batch_size,
        "new_articles": new,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles_per_s": len(extractions) / seconds if seconds else None,
        "rows": rows,
        "rows_per_s": rows / seconds if seconds else None,
        "rows_by_table": {t: n - before.get(t, 0) for t, n in saved.items() if n != before.get(t, 0)},
        "open_seconds": open_seconds,
        "merge_seconds": merge_seconds,
        "merge_articles": summary.articles,
        "merge_events_written": summary.events_written,
        "merge_rows": _added(saved, merged),
    }


def _sqlite(extractions: Sequence[Extraction], folder: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-", dir=folder) as tmp:
        path = Path(tmp) / "bench.db"
        result = time_saves(f"sqlite:///{path}", extractions)
        result["path"] = str(path)
        return result


def _postgres(extractions: Sequence[Extraction], url: str | None) -> dict[str, Any]:
    """Save into a fresh schema of the given database; ``skipped`` says why when that cannot be."""
    if not url:
        return {"skipped": f"no URL (use --pg URL or set {' or '.join(PG_ENV)})"}
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        return {"skipped": f"not a database URL: {exc}"}
    if parsed.get_backend_name() != "postgresql":
        return {"skipped": f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}"}
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    schema = f"eventwire_bench_{os.getpid()}"
    safe = parsed.render_as_string(hide_password=True)
    try:
        admin = create_engine(parsed, connect_args={"connect_timeout": _PG_CONNECT_TIMEOUT_S})
    except (ArgumentError, ImportError) as exc:
        return {"skipped": f"unusable URL {safe}: {exc}"}
    try:
        with admin.begin() as conn:
            server = conn.execute(text("SHOW server_version")).scalar_one()
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except SQLAlchemyError as exc:
        admin.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return {"skipped": f"unreachable {safe}: {reason}"}
    # libpq's ``options`` sets search_path for every connection of the Store, so its tables,
    # migrations and alembic_version all land in the dedicated schema.
    store_url = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        try:
            result = time_saves(store_url.render_as_string(hide_password=False), extractions)
        except StoreError as exc:  # reachable but failing: a finding, kept beside SQLite's figures
            return {"error": str(exc), "url": safe}
        with admin.connect() as conn:
            tables = conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"), {"s": schema}
            ).scalar_one()
        if not tables:
            raise RuntimeError(f"the store's tables did not land in schema {schema}")
        result.update(server_version=server, schema=schema, url=safe)
        return result
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def run_store(
    extractions: Sequence[Extraction], pg_url: str | None, sqlite_dir: str | None = None
) -> dict[str, Any]:
    """Both backends on the same extractions; PostgreSQL is skipped (with the reason) if absent."""
    return {"sqlite": _sqlite(extractions, sqlite_dir), "postgresql": _postgres(extractions, pg_url)}
