"""Alembic migrations of the merge tables: Store.open brings SQLite and PostgreSQL up to head."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from eventwire.store import Store, migrations
from eventwire.store.schema import Base

PG_URL = os.environ.get("EVENTWIRE_TEST_PG", "")
MERGE_TABLES = {"canonical_events", "event_mentions", "merge_state"}


def test_a_new_sqlite_database_is_opened_at_head(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'new.db'}") as store:
        with store.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head() == "0003"
        assert set(inspect(store.engine).get_table_names()) >= MERGE_TABLES


def test_a_database_from_before_the_merge_tables_is_upgraded_and_keeps_its_rows(
    tmp_path: Path, corpus: list
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store.open(url) as store:
        for extraction in corpus:
            store.save(extraction)
        with store.engine.begin() as conn:  # make it look like a store written before issue 7
            migrations.downgrade(conn, "base")
        assert not MERGE_TABLES & set(inspect(store.engine).get_table_names())
        with store.engine.connect() as conn:
            assert migrations.current(conn) is None
    with Store.open(url) as store:
        assert set(inspect(store.engine).get_table_names()) >= MERGE_TABLES
        assert store.counts()["articles"] == 4
        with store.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()


def test_opening_twice_does_not_migrate_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    Store.open(url).close()
    with Store.open(url) as store, store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [migrations.head()]


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip(
            "EVENTWIRE_TEST_PG is not set; set it to a PostgreSQL URL such as "
            "postgresql://eventwire:eventwire@127.0.0.1/eventwire_test to run the migrations on PostgreSQL"
        )
    base = make_url(PG_URL)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    schema = f"eventwire_mig_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_postgresql_is_migrated_from_an_older_store_to_head(pg_schema_url: str) -> None:
    engine = create_engine(pg_schema_url)
    with engine.begin() as conn:  # the tables an older eventwire created, and nothing else
        Base.metadata.create_all(conn)
    engine.dispose()
    with Store.open(pg_schema_url) as store:
        assert store.engine.dialect.name == "postgresql"
        assert set(inspect(store.engine).get_table_names()) >= MERGE_TABLES
        with store.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()
        with store.engine.begin() as conn:
            migrations.downgrade(conn, "base")
            assert not MERGE_TABLES & set(inspect(conn).get_table_names())
            migrations.upgrade(conn)
            assert set(inspect(conn).get_table_names()) >= MERGE_TABLES
