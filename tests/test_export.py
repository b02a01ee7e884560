"""Exporting canonical events: every format, ACLED's columns, and SQLite/PostgreSQL agreement."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventwire import merge
from eventwire.export import ACLED_COLUMNS, ExportFormat, export_events
from eventwire.store import Store

CORPUS_FILE = Path(__file__).parent / "fixtures" / "merge_corpus" / "corpus.py"
PG_URL = os.environ.get("EVENTWIRE_TEST_PG", "")


@pytest.fixture(scope="module")
def corpus() -> Any:
    spec = importlib.util.spec_from_file_location("merge_corpus_export", CORPUS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["merge_corpus_export"] = module
    spec.loader.exec_module(module)
    return module.build()


def fill(store: Store, corpus: Any) -> Store:
    for extraction in corpus.extractions:
        store.save(extraction)
    for first, copy in corpus.copies:
        store.add_source(first, copy)
    merge.merge_pending(store)
    return store


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory, corpus: Any) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('export') / 'store.db'}")
    try:
        yield fill(store, corpus)
    finally:
        store.close()


def export_text(store: Store, fmt: str) -> str:
    buffer = io.StringIO()
    export_events(store, fmt, buffer)
    return buffer.getvalue()


def test_acled_export_has_acleds_columns_and_conventions(sqlite_store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export_text(sqlite_store, "acled"))))
    assert rows and tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == 34
    raqqa = next(r for r in rows if r["location"] == "Raqqa")
    assert raqqa["event_id_cnty"].startswith("SYR") and raqqa["event_id_cnty"][3:].isdigit()
    assert raqqa["country"] == "Syria" and raqqa["iso"] == "760"
    assert (raqqa["event_type"], raqqa["sub_event_type"]) == ("Battles", "Armed clash")
    assert raqqa["disorder_type"] == "Political violence"
    assert raqqa["actor1"] == "Islamic State" and raqqa["inter1"] == "Rebel groups"
    assert raqqa["actor2"] == "Syrian Democratic Forces"
    assert "People's Protection Units" in raqqa["assoc_actor_2"]  # YPG reported, inside the SDF
    assert raqqa["interaction"] == "Rebel groups-Rebel groups"
    assert raqqa["time_precision"] == "1" and raqqa["geo_precision"] == "1"
    assert raqqa["event_date"] == "2024-03-05" and raqqa["year"] == "2024"
    assert raqqa["fatalities"] == "8" and "fatalities reported 5-8" in raqqa["tags"]
    protest = next(
        r
        for r in rows
        if r["location"] == "Nairobi"
        and r["event_type"] == "Protests"
        and r["sub_event_type"] == "Peaceful protest"
    )
    assert protest["disorder_type"] == "Demonstrations" and protest["fatalities"] == "0"
    assert protest["inter1"] == "Protesters" and protest["actor1"] == "Protesters (Kenya)"


def test_csv_jsonl_geojson_and_parquet_carry_the_same_events(sqlite_store: Store, tmp_path: Path) -> None:
    csv_rows = list(csv.DictReader(io.StringIO(export_text(sqlite_store, "csv"))))
    jsonl = [json.loads(line) for line in export_text(sqlite_store, "jsonl").splitlines()]
    geo = json.loads(export_text(sqlite_store, "geojson"))
    export_events(sqlite_store, ExportFormat.parquet, tmp_path / "events.parquet")
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "events.parquet")
    ids = [r["id"] for r in csv_rows]
    assert ids == sorted(ids) and len(ids) == 34
    assert [e["id"] for e in jsonl] == ids == [f["id"] for f in geo["features"]]
    assert table.column("id").to_pylist() == ids
    kabul = next(e for e in jsonl if e["place_name"] == "Kabul" and "mosque" in e["notes"])
    assert kabul["n_articles"] == 5 and kabul["n_mentions"] == 10
    for m in kabul["mentions"]:
        assert m["sentence"]["text"][m["trigger"]["span"][0] - m["sentence"]["span"][0] :].startswith(
            m["trigger"]["text"]
        )
    feature = next(f for f in geo["features"] if f["id"] == kabul["id"])
    assert feature["geometry"] == {"type": "Point", "coordinates": [69.17233, 34.52813]}


def test_export_command_writes_a_file_with_a_progress_bar(
    sqlite_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], run_cli: Callable[..., int]
) -> None:
    target = tmp_path / "acled.csv"
    code = run_cli("export", "--format", "acled", "--db", sqlite_store.url, "--output", str(target))
    assert code == 0 and "exported 34 event(s)" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == export_text(sqlite_store, "acled")
    code = run_cli("export", "--format", "parquet", "--db", sqlite_store.url)
    assert code == 1 and "--output" in capsys.readouterr().err
    code = run_cli("events", "--db", sqlite_store.url, "--format", "json", "--country", "KEN")
    listed = json.loads(capsys.readouterr().out)
    assert code == 0 and {e["place_name"] for e in listed} == {"Nairobi"} and len(listed) == 2


@pytest.fixture
def pg_store() -> Iterator[Store]:
    if not PG_URL:
        pytest.skip(
            "EVENTWIRE_TEST_PG is not set; set it to a PostgreSQL URL such as "
            "postgresql://eventwire:eventwire@127.0.0.1/eventwire_test to compare exports with PostgreSQL"
        )
    base = make_url(PG_URL)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    schema = f"eventwire_export_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Store.open(
        base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_postgresql_and_sqlite_give_identical_exports(
    pg_store: Store, sqlite_store: Store, corpus: Any, tmp_path: Path
) -> None:
    assert pg_store.engine.dialect.name == "postgresql"
    fill(pg_store, corpus)
    for fmt in ("csv", "jsonl", "geojson", "acled"):
        assert export_text(pg_store, fmt) == export_text(sqlite_store, fmt), fmt
    export_events(pg_store, "parquet", tmp_path / "pg.parquet")
    export_events(sqlite_store, "parquet", tmp_path / "lite.parquet")
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "pg.parquet").equals(pq.read_table(tmp_path / "lite.parquet"))
