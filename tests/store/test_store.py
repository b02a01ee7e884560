"""Store behaviour on a temporary SQLite file: round trip, idempotency, atomicity, filters, lookups."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime
from itertools import count
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from eventwire import __version__
from eventwire.errors import ConfigError, NotFound, StoreError
from eventwire.records import Article, Extraction, ReadFailure, article_id
from eventwire.store import MentionFilter, Store, haversine_km, rows

SARAQIB = (35.86447, 36.80591)
IDLIB = (35.93062, 36.63393)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture
def store(db_url: str):
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store, corpus: list[Extraction]) -> Store:
    for extraction in corpus:
        assert store.save(extraction) is True
    return store


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, stories: SimpleNamespace):
    """One filled store shared by the read-only tests (filters, lookups): built once per module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('library') / 'events.db'}"
    with Store.open(url) as opened:
        for build in (stories.airstrike, stories.nairobi, stories.kharkiv, stories.labasa):
            opened.save(build())
        yield opened


def triggers(found: list[dict]) -> list[tuple[str, str]]:
    """(outlet, trigger) pairs: readable in an assertion and unique across the corpus."""
    return sorted((m["outlet"], m["trigger"]) for m in found)


# -- round trip ------------------------------------------------------------------------------------


def test_round_trip_rebuilds_every_record_with_spans_intact(filled: Store, corpus: list[Extraction]) -> None:
    for original in corpus:
        restored = filled.get_article(original.article.id)
        assert restored == original
        body = restored.article.body
        for mention in restored.mentions:
            assert body[slice(*mention.trigger.span)] == mention.trigger.text
            assert mention.trigger.text in body[slice(*mention.sentence)]
            for ref in (mention.actor1, mention.actor2, mention.place, mention.date):
                if ref is not None:
                    assert body[slice(*ref.span)] == ref.text
        for quote in restored.quotes:
            assert body[slice(*quote.span)] == quote.text
            assert quote.speaker is not None
            assert body[slice(*quote.speaker.span)] == quote.speaker.text
        for ref in [*restored.places, *restored.actors, *restored.dates]:
            assert body[slice(*ref.span)] == ref.text


def test_compound_actor_members_survive_as_records(stories: SimpleNamespace, library: Store) -> None:
    protest = stories.nairobi()
    restored = library.get_article(protest.article.id)
    marchers = restored.mentions[0].actor2
    assert marchers is not None
    assert [m.text for m in marchers.members] == ["students", "boda boda riders"]
    assert all(isinstance(m.span, tuple) for m in marchers.members)
    assert restored.actors[1].members == marchers.members


def test_unresolved_time_expression_round_trips_without_dates(
    stories: SimpleNamespace, library: Store
) -> None:
    dawn = library.get_article(stories.airstrike().article.id).dates[1]
    assert (dawn.text, dawn.start, dawn.end, dawn.precision) == ("shortly after dawn", None, None, None)


def test_first_copy_is_recorded_as_a_source(stories: SimpleNamespace, filled: Store) -> None:
    story = stories.airstrike().article
    assert filled.sources(story.id) == [
        {"outlet": "Northwire", "url": story.url, "published": "2024-03-06", "input_id": story.input_id}
    ]


def test_data_persists_after_reopening_the_file(stories: SimpleNamespace, filled: Store, db_url: str) -> None:
    before = filled.counts()
    filled.close()
    with Store.open(db_url) as again:
        assert again.counts() == before
        assert again.has_article(stories.kharkiv().article.id)


# -- idempotency and atomicity ---------------------------------------------------------------------


def test_saving_the_same_article_again_returns_false_and_changes_nothing(
    stories: SimpleNamespace, filled: Store
) -> None:
    before = filled.counts()
    assert filled.save(stories.airstrike()) is False
    # Same body (so same id) read differently: the first stored reading is kept untouched.
    rereading = stories.airstrike()
    rereading.mentions = rereading.mentions[:1]
    rereading.article.outlet = "Other Outlet"
    assert filled.save(rereading) is False
    assert filled.counts() == before
    assert len(filled.get_article(rereading.article.id).mentions) == 3
    assert [s["outlet"] for s in filled.sources(rereading.article.id)] == ["Northwire"]


def test_a_crash_mid_save_leaves_nothing_of_that_article(
    stories: SimpleNamespace, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = stories.kharkiv()
    store.save(other)
    before = store.counts()
    executed: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: executed.append(a[2].split("(")[0]))

    def crash(*_args: object) -> dict:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(rows, "quote_row", crash)
    story = stories.airstrike()
    with pytest.raises(RuntimeError, match="worker killed"):
        store.save(story)
    # The article, its source and its mentions had really been sent to the database...
    assert any(s.startswith("INSERT INTO articles") for s in executed)
    assert any(s.startswith("INSERT INTO mentions") for s in executed)
    # ...and were rolled back with the failed transaction.
    assert not store.has_article(story.article.id)
    assert store.counts() == before
    assert store.get_article(other.article.id) == other

    monkeypatch.undo()
    assert store.save(story) is True
    assert store.get_article(story.article.id) == story


def test_parallel_writers_on_one_sqlite_file_neither_fail_nor_double_save(
    stories: SimpleNamespace, db_url: str
) -> None:
    shared = stories.airstrike()
    results: dict[int, list[bool]] = {}
    errors: list[BaseException] = []

    def ingest(worker: int) -> None:
        try:
            with Store.open(db_url) as own:  # one connection pool per worker, as separate processes have
                saved = []
                for n in range(12):
                    body = (
                        f"Worker {worker} bulletin {n}: officials said a curfew would hold in the "
                        "district until the roads were cleared. Shops stayed shut."
                    )
                    saved.append(own.save(Extraction(article=Article(body=body, outlet=f"Desk {worker}"))))
                    if n == 6:
                        saved.append(own.save(shared))
                results[worker] = saved
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(db_url) as check:
        assert check.counts()["articles"] == 3 * 12 + 1
        assert check.get_article(shared.article.id) == shared
    # The shared story was new to exactly one worker.
    assert sorted(r[7] for r in results.values()) == [False, False, True]


def test_losing_a_save_race_returns_false_instead_of_failing(
    stories: SimpleNamespace, filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another writer stores the article between our "is it stored?" check and our insert:
    # the check is made to miss once, so the insert meets the primary key.
    real = Store._exists
    calls = count()
    monkeypatch.setattr(Store, "_exists", staticmethod(lambda s, aid: next(calls) > 0 and real(s, aid)))
    before = filled.counts()
    assert filled.save(stories.airstrike()) is False
    assert filled.counts() == before


def test_save_records_coder_version_and_near_duplicate_link(stories: SimpleNamespace, store: Store) -> None:
    original = stories.airstrike()
    store.save(original)
    # The same wire copy with another outlet's boilerplate: a near duplicate, spans still valid.
    rewrite = stories.airstrike()
    rewrite.article.body = rewrite.article.body.replace(
        "Subscribe to our newsletter for daily updates from the region.", "Read more from our Syria desk."
    )
    assert store.save(rewrite, duplicate_of=original.article.id, coder_version="events-2") is True
    with store.engine.connect() as conn:
        stored = dict(
            conn.execute(text("SELECT id, duplicate_of || '/' || coder_version FROM articles")).all()
        )
        default_version = conn.execute(
            text("SELECT coder_version FROM articles WHERE id = :id"), {"id": original.article.id}
        ).scalar()
    assert default_version == __version__
    assert stored[rewrite.article.id] == f"{original.article.id}/events-2"
    assert stored[original.article.id] is None  # no duplicate_of: the concatenation is NULL


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store, db_url: str) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            conn.execute(
                text("INSERT INTO sources (article_id, key, input_id) VALUES ('0000000000000000', 'k', '')")
            )
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- sources and failures --------------------------------------------------------------------------


def test_add_source_records_each_outlet_once(stories: SimpleNamespace, filled: Store) -> None:
    story = stories.airstrike().article
    syndicated = Article(
        body=story.body,
        title="Nine killed in market strike",
        input_id="feeds/gulfpost.jsonl#4",
        published=date(2024, 3, 6),
        outlet="Gulf Post",
        url="https://gulfpost.example/world/9-killed-saraqib",
    )
    assert filled.add_source(story.id, syndicated) is True
    assert filled.add_source(story.id, syndicated) is False
    # The first copy re-offered as a source is already there.
    assert filled.add_source(story.id, story) is False
    assert [s["outlet"] for s in filled.sources(story.id)] == ["Northwire", "Gulf Post"]
    assert filled.counts()["sources"] == 5


def test_add_source_without_url_tells_inputs_of_one_outlet_apart(
    stories: SimpleNamespace, filled: Store
) -> None:
    story = stories.kharkiv().article
    first = Article(body=story.body, input_id="print/ledger-p1.txt", outlet="Eastern Ledger")
    second = Article(body=story.body, input_id="print/ledger-p7.txt", outlet="Eastern Ledger")
    assert filled.add_source(story.id, first) is True
    assert filled.add_source(story.id, second) is True
    assert filled.add_source(story.id, first) is False


def test_add_source_to_unknown_article_raises_not_found(stories: SimpleNamespace, store: Store) -> None:
    with pytest.raises(NotFound):
        store.add_source("feedfacecafebeef", stories.airstrike().article)


def test_recording_the_same_failure_twice_stores_it_once(store: Store) -> None:
    broken = ReadFailure("inbox/scan.pdf", "not text, HTML, JSONL or a feed", "E001")
    store.record_failure(broken)
    store.record_failure(broken)
    store.record_failure(ReadFailure("inbox/scan.pdf", "file is empty", "E001"))
    store.record_failure(ReadFailure("inbox/other.pdf", "not text, HTML, JSONL or a feed", "E001"))
    found = store.failures()
    assert [(f.input_id, f.message) for f in found] == [
        ("inbox/scan.pdf", "not text, HTML, JSONL or a feed"),
        ("inbox/scan.pdf", "file is empty"),
        ("inbox/other.pdf", "not text, HTML, JSONL or a feed"),
    ]
    assert found[0].code == "E001"
    assert found[0].at.tzinfo is not None and found[0].at <= datetime.now(UTC)
    assert store.counts()["failures"] == 3


# -- lookups ---------------------------------------------------------------------------------------


def test_get_article_accepts_a_unique_prefix_of_six_characters(
    stories: SimpleNamespace, library: Store
) -> None:
    full = stories.airstrike().article.id
    assert library.get_article(full[:6]).article.id == full
    assert library.get_article(f"  {full[:9].upper()} ").article.id == full
    with pytest.raises(NotFound, match="id"):
        library.get_article(full[:5])
    with pytest.raises(NotFound):
        library.get_article("ffffffffffffffff" if not full.startswith("ffffff") else "0000000000")


def test_ambiguous_prefix_raises_not_found(store: Store) -> None:
    seen: dict[str, str] = {}
    for n in count():  # birthday search: two bodies whose ids share 6 hex digits (~5,000 tries)
        body = f"Bulletin {n}: the ministry said the curfew in the capital stays until further notice."
        prefix = article_id(body)[:6]
        if prefix in seen:
            break
        seen[prefix] = body
    for each in (seen[prefix], body):
        assert store.save(Extraction(article=Article(body=each, title="Curfew bulletin"))) is True
    with pytest.raises(NotFound, match="ambiguous"):
        store.get_article(prefix)
    assert store.get_article(article_id(body)[:12]).article.body == body


def test_has_article_is_exact(stories: SimpleNamespace, library: Store) -> None:
    full = stories.airstrike().article.id
    assert library.has_article(full)
    assert not library.has_article(full[:8])


def test_counts_cover_every_table(filled: Store) -> None:
    assert filled.counts() == {
        "articles": 4,
        "sources": 4,
        "mentions": 7,
        "quotes": 2,
        "places": 8,
        "actors": 8,
        "dates": 6,
        "failures": 0,
    }


# -- list_mentions and its filters -----------------------------------------------------------------


def test_mentions_are_flat_json_ready_with_the_sentence_cut_by_characters(
    stories: SimpleNamespace, library: Store
) -> None:
    found = library.list_mentions(
        MentionFilter(type="ASSAULT", country="SYR", since=date(2024, 3, 5), until=date(2024, 3, 5))
    )
    assert len(found) == 1
    strike = found[0]
    json.dumps(strike)  # JSON-ready: no dates or records left inside
    assert all(not isinstance(v, dict | list) for v in strike.values())
    # The dateline's em dash comes before the span: a byte-counting substring would be shifted.
    assert strike["sentence"] == (
        "SARAQIB, Syria (Northwire) — An airstrike hit a crowded vegetable market in Saraqib on "
        "Tuesday, killing at least nine civilians, rescue workers said."
    )
    assert strike["trigger"] == "airstrike"
    assert strike["published"] == "2024-03-06"
    assert (strike["date_start"], strike["date_end"], strike["date_precision"]) == (
        "2024-03-05",
        "2024-03-05",
        "day",
    )
    assert (strike["place_name"], strike["place_country"], strike["place_lat"]) == (
        "Saraqib",
        "SYR",
        35.86447,
    )
    assert (strike["actor1_text"], strike["actor2_text"]) == (None, "civilians")
    assert strike["place_text"] == "Saraqib"
    assert strike["acled_sub_event_type"] == "Air/drone strike"
    assert strike["fatalities"] == 9 and strike["negated"] is False
    assert strike["attributed_to"] == "rescue workers"
    assert strike["id"] == f"{stories.airstrike().article.id}:0"


def test_negated_and_hypothetical_flags_are_listed(library: Store) -> None:
    found = library.list_mentions(MentionFilter(actor="russian defence"))
    assert [(m["trigger"], m["negated"], m["hypothetical"]) for m in found] == [("struck", True, False)]


def test_since_until_match_the_mention_date_not_the_publication_date(library: Store) -> None:
    # Published 6 March; the shelling happened "the day before" the strike of 5 March.
    found = library.list_mentions(MentionFilter(until=date(2024, 3, 4)))
    assert triggers(found) == [("Northwire", "shelled")]
    found = library.list_mentions(MentionFilter(since=date(2024, 3, 5), until=date(2024, 3, 5)))
    assert triggers(found) == [("Northwire", "airstrike")]


def test_mentions_without_a_date_fall_back_to_publication(library: Store) -> None:
    found = library.list_mentions(MentionFilter(since=date(2024, 5, 1), until=date(2024, 5, 31)))
    assert triggers(found) == [("Eastern Ledger", "shelled")]
    # The undated denial is filed under its article's date, 6 March.
    found = library.list_mentions(MentionFilter(since=date(2024, 3, 6), until=date(2024, 3, 6)))
    assert triggers(found) == [("Northwire", "struck")]


def test_date_ranges_match_when_they_overlap_the_window(library: Store) -> None:
    # "this week" is 15-21 July; "on Thursday" is 18 July.
    found = library.list_mentions(MentionFilter(since=date(2024, 7, 20), until=date(2024, 7, 31)))
    assert triggers(found) == [("Coastline Daily", "marches")]
    found = library.list_mentions(MentionFilter(since=date(2024, 7, 1), until=date(2024, 7, 16)))
    assert triggers(found) == [("Coastline Daily", "marches")]


def test_country_matches_the_place_or_either_actor(library: Store) -> None:
    assert triggers(library.list_mentions(MentionFilter(country="ukr"))) == [("Eastern Ledger", "shelled")]
    # Russia appears only as an actor: its denial in Syria and its shelling in Ukraine.
    assert triggers(library.list_mentions(MentionFilter(country="RUS"))) == [
        ("Eastern Ledger", "shelled"),
        ("Northwire", "struck"),
    ]
    assert triggers(library.list_mentions(MentionFilter(country="SYR"))) == [
        ("Northwire", "airstrike"),
        ("Northwire", "shelled"),
        ("Northwire", "struck"),
    ]
    assert library.list_mentions(MentionFilter(country="FRA")) == []


def test_actor_matches_text_or_name_case_insensitively(library: Store) -> None:
    # "Government forces" in the text, resolved to the Syrian Arab Army.
    assert triggers(library.list_mentions(MentionFilter(actor="SYRIAN ARAB"))) == [("Northwire", "shelled")]
    assert triggers(library.list_mentions(MentionFilter(actor="government"))) == [("Northwire", "shelled")]
    # Matches actor2 as well as actor1.
    assert triggers(library.list_mentions(MentionFilter(actor="boda boda"))) == [
        ("Coastline Daily", "fired tear gas")
    ]
    assert triggers(library.list_mentions(MentionFilter(actor="russia"))) == [
        ("Eastern Ledger", "shelled"),
        ("Northwire", "struck"),
    ]


def test_actor_filter_treats_sql_wildcards_as_text(library: Store) -> None:
    assert library.list_mentions(MentionFilter(actor="%")) == []
    assert library.list_mentions(MentionFilter(actor="_")) == []


def test_type_is_case_insensitive(library: Store) -> None:
    assert triggers(library.list_mentions(MentionFilter(type="protest"))) == [
        ("Coastline Daily", "marches"),
        ("Pacific Desk", "blockaded"),
    ]
    assert len(library.list_mentions(MentionFilter(type="Assault"))) == 4
    assert library.list_mentions(MentionFilter(type="SANCTION")) == []


def test_filters_combine(library: Store) -> None:
    found = library.list_mentions(MentionFilter(type="assault", country="RUS", since=date(2024, 4, 1)))
    assert triggers(found) == [("Eastern Ledger", "shelled")]


def test_near_keeps_places_inside_the_radius_only(library: Store) -> None:
    # Saraqib is about 17 km from Idlib city.
    assert round(haversine_km(*IDLIB, *SARAQIB)) == 17
    wide = library.list_mentions(MentionFilter(near=(*IDLIB, 25.0)))
    assert triggers(wide) == [("Northwire", "airstrike"), ("Northwire", "shelled"), ("Northwire", "struck")]
    by_trigger = {m["trigger"]: m["distance_km"] for m in wide}
    assert by_trigger["shelled"] == 0.0
    assert 16.0 < by_trigger["airstrike"] < 18.0
    narrow = library.list_mentions(MentionFilter(near=(*IDLIB, 10.0)))
    assert triggers(narrow) == [("Northwire", "shelled")]


def test_near_drops_places_in_the_box_corner_outside_the_circle(library: Store) -> None:
    # A centre south-west of Saraqib, offset 0.8 radius in both latitude and longitude:
    # inside the SQL bounding box, but 1.13 radii away.
    km = 20.0
    lat = SARAQIB[0] - 0.8 * km / 111.195
    lon = SARAQIB[1] - 0.8 * km / (111.195 * 0.81)
    assert haversine_km(lat, lon, *SARAQIB) > km
    assert library.list_mentions(MentionFilter(near=(lat, lon, km))) == []
    wider = library.list_mentions(MentionFilter(near=(lat, lon, km * 1.2)))
    assert {m["trigger"] for m in wider} >= {"airstrike", "struck"}


def test_near_wraps_across_the_antimeridian(library: Store) -> None:
    # Labasa is at 179.36 E; a point at 179.8 W is about 90 km east of it.
    found = library.list_mentions(MentionFilter(near=(-16.5, -179.8, 100.0)))
    assert triggers(found) == [("Pacific Desk", "blockaded")]
    assert 85.0 < found[0]["distance_km"] < 95.0
    assert library.list_mentions(MentionFilter(near=(-16.5, -179.8, 60.0))) == []


def test_near_applies_limit_and_offset_after_the_exact_distance(library: Store) -> None:
    everything = library.list_mentions(MentionFilter(near=(*IDLIB, 25.0)))
    pages = [
        library.list_mentions(MentionFilter(near=(*IDLIB, 25.0), limit=2, offset=0)),
        library.list_mentions(MentionFilter(near=(*IDLIB, 25.0), limit=2, offset=2)),
    ]
    assert [len(p) for p in pages] == [2, 1]
    assert pages[0] + pages[1] == everything


def test_limit_and_offset_page_through_newest_first(library: Store) -> None:
    everything = library.list_mentions(MentionFilter(limit=None))
    assert len(everything) == 7
    # Newest first by the mention's date, falling back to publication.
    assert [m["outlet"] for m in everything][:2] == ["Pacific Desk", "Coastline Daily"]
    assert everything[-1]["trigger"] == "shelled" and everything[-1]["date_start"] == "2024-03-04"
    pages = [library.list_mentions(MentionFilter(limit=3, offset=n)) for n in (0, 3, 6)]
    assert [m["id"] for p in pages for m in p] == [m["id"] for m in everything]


def test_filter_rejects_impossible_values() -> None:
    with pytest.raises(ConfigError):
        MentionFilter(since=date(2024, 5, 1), until=date(2024, 4, 1))
    with pytest.raises(ConfigError):
        MentionFilter(near=(95.0, 10.0, 5.0))
    with pytest.raises(ConfigError):
        MentionFilter(near=(10.0, 10.0, 0.0))


# -- opening ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("events.db", "not a database URL"),
        ("nosuchdialect://host/db", "unsupported database URL"),
        ("sqlite:////nonexistent-eventwire-dir/sub/events.db", "cannot open database"),
        # Nothing listens on port 1 of the loopback: refused at once (or psycopg is missing).
        ("postgresql://eventwire@127.0.0.1:1/eventwire", "database"),
    ],
)
def test_bad_url_or_unreachable_database_raises_store_error(url: str, says: str) -> None:
    with pytest.raises(StoreError, match=says) as info:
        Store.open(url)
    assert info.value.code == "E030"


def test_password_is_hidden_in_errors() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("postgresql://eventwire:s3cret@127.0.0.1:1/eventwire")
    assert "s3cret" not in str(info.value)


def test_database_of_another_schema_version_is_refused(db_url: str) -> None:
    Store.open(db_url).close()
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE store_meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 999"):
        Store.open(db_url)
