"""The same store behaviour on PostgreSQL, run when EVENTWIRE_TEST_PG names a server.

Each test works in a fresh schema of its own (dropped afterwards), so the database the URL names
is left as it was, and parallel runs cannot see each other's rows.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from eventwire.errors import NotFound
from eventwire.records import Article, Extraction, ReadFailure
from eventwire.store import MentionFilter, Store, rows

PG_URL = os.environ.get("EVENTWIRE_TEST_PG", "")

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="EVENTWIRE_TEST_PG is not set; set it to a PostgreSQL URL such as "
    "postgresql://eventwire:eventwire@127.0.0.1/eventwire_test to run the store tests on PostgreSQL",
)


@pytest.fixture
def pg_store() -> Iterator[Store]:
    base = make_url(PG_URL)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    schema = f"eventwire_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
    store = Store.open(scoped.render_as_string(hide_password=False))
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def filled(pg_store: Store, corpus: list[Extraction]) -> Store:
    for extraction in corpus:
        assert pg_store.save(extraction) is True
    return pg_store


def triggers(found: list[dict]) -> list[tuple[str, str]]:
    return sorted((m["outlet"], m["trigger"]) for m in found)


def test_store_really_runs_on_postgresql(pg_store: Store) -> None:
    assert pg_store.engine.dialect.name == "postgresql"
    assert pg_store.engine.dialect.driver == "psycopg"


def test_round_trip_rebuilds_every_record_on_postgresql(filled: Store, corpus: list[Extraction]) -> None:
    for original in corpus:
        restored = filled.get_article(original.article.id[:8])
        assert restored == original
        for mention in restored.mentions:
            assert restored.article.body[slice(*mention.trigger.span)] == mention.trigger.text


def test_saving_twice_changes_nothing_on_postgresql(stories: SimpleNamespace, filled: Store) -> None:
    before = filled.counts()
    assert before["articles"] == 4 and before["mentions"] == 7
    assert filled.save(stories.airstrike()) is False
    assert filled.counts() == before


def test_crash_mid_save_rolls_back_on_postgresql(
    stories: SimpleNamespace, pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed: list[str] = []
    event.listen(pg_store.engine, "before_cursor_execute", lambda *a: executed.append(a[2]))

    def crash(*_args: object) -> dict:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(rows, "time_row", crash)
    story = stories.airstrike()
    with pytest.raises(RuntimeError):
        pg_store.save(story)
    assert any(s.startswith("INSERT INTO quotes") for s in executed)
    assert not pg_store.has_article(story.article.id)
    assert set(pg_store.counts().values()) == {0}
    monkeypatch.undo()
    assert pg_store.save(story) is True
    assert pg_store.get_article(story.article.id) == story


def test_concurrent_saves_of_one_story_store_it_once_on_postgresql(
    stories: SimpleNamespace, pg_store: Store
) -> None:
    url = pg_store.engine.url.render_as_string(hide_password=False)
    story = stories.nairobi()
    results: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def save() -> None:
        try:
            with Store.open(url) as own:
                start.wait()
                results.append(own.save(story))
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert pg_store.counts()["mentions"] == 2


def test_filters_on_postgresql(filled: Store) -> None:
    cases = [
        (MentionFilter(until=date(2024, 3, 4)), [("Northwire", "shelled")]),
        (MentionFilter(since=date(2024, 5, 1), until=date(2024, 5, 31)), [("Eastern Ledger", "shelled")]),
        (
            MentionFilter(since=date(2024, 7, 20)),
            [("Coastline Daily", "marches"), ("Pacific Desk", "blockaded")],
        ),
        (MentionFilter(country="rus"), [("Eastern Ledger", "shelled"), ("Northwire", "struck")]),
        (MentionFilter(actor="SYRIAN ARAB"), [("Northwire", "shelled")]),
        (MentionFilter(actor="boda boda"), [("Coastline Daily", "fired tear gas")]),
        (MentionFilter(actor="%"), []),
        (MentionFilter(type="protest"), [("Coastline Daily", "marches"), ("Pacific Desk", "blockaded")]),
        (MentionFilter(near=(35.93062, 36.63393, 10.0)), [("Northwire", "shelled")]),
        (MentionFilter(near=(-16.5, -179.8, 100.0)), [("Pacific Desk", "blockaded")]),
    ]
    for filters, expected in cases:
        assert triggers(filled.list_mentions(filters)) == expected, filters


def test_sentence_is_cut_by_characters_on_postgresql(filled: Store) -> None:
    found = filled.list_mentions(MentionFilter(since=date(2024, 3, 5), until=date(2024, 3, 5)))
    assert [m["sentence"][:33] for m in found] == ["SARAQIB, Syria (Northwire) — An a"]


def test_lookups_and_idempotent_records_on_postgresql(stories: SimpleNamespace, filled: Store) -> None:
    story = stories.airstrike().article
    with pytest.raises(NotFound):
        filled.get_article(story.id[:5])
    copy = Article(body=story.body, input_id="feeds/gulfpost.jsonl#4", outlet="Gulf Post")
    assert filled.add_source(story.id, copy) is True
    assert filled.add_source(story.id, copy) is False
    failure = ReadFailure("inbox/scan.pdf", "not text, HTML, JSONL or a feed")
    filled.record_failure(failure)
    filled.record_failure(failure)
    assert [f.input_id for f in filled.failures()] == ["inbox/scan.pdf"]
