"""``--workers N``: extraction spread over processes gives exactly what one process gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eventwire.config import Settings
from eventwire.engines import make_engine
from eventwire.engines.local import ProcessPoolExtractor
from eventwire.ingest import read_inputs
from eventwire.ingest_run import ingest_articles
from eventwire.pipeline import Extractor
from eventwire.records import Article
from eventwire.store import Store
from eventwire.store.events import list_events

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [str(FIXTURES / "syndicated"), str(FIXTURES / "articles")]

pytestmark = pytest.mark.slow


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute(sql).fetchall(), key=repr)


def _ingest(db: Path, settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with Store.open(f"sqlite:///{db}") as store:
            ingest_articles(read_inputs(INPUTS), store, settings, extractor=engine)
    finally:
        engine.close()


def _canonical(db: Path) -> list[tuple[object, ...]]:
    with Store.open(f"sqlite:///{db}") as store:
        events = list_events(store)
    keys = ("id", "type", "date", "place", "actor1", "actor2", "mentions")
    return sorted((tuple(str(e.get(k)) for k in keys) for e in events), key=repr)


def test_two_workers_store_the_same_mentions_and_events_as_one(tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    # Batches of two articles: several batches in flight at once, so order is really tested.
    _ingest(one, Settings(batch_size=2, workers=1))
    _ingest(two, Settings(batch_size=2, workers=2))
    mentions = (
        "select article_id, seq, type, trigger_text, actor1_text, actor2_text, place_name, date_start "
        "from mentions"
    )
    stored = _rows(one, mentions)
    assert len(stored) > 10  # the Benin attack, the abduction, the convoy, the protest...
    assert _rows(two, mentions) == stored
    assert _rows(two, "select id, input_id from articles") == _rows(one, "select id, input_id from articles")
    assert _rows(two, "select article_id, outlet from sources") == _rows(
        one, "select article_id, outlet from sources"
    )
    assert _canonical(two) == _canonical(one)
    assert _canonical(one)


def test_workers_pull_only_a_few_batches_ahead() -> None:
    """An endless feed must not be read into memory: at most two batches per worker wait."""
    pulled = 0

    def feed() -> Iterator[Article]:
        nonlocal pulled
        n = 0
        while True:
            n += 1
            pulled += 1
            yield Article(
                body=f"Police in Lagos arrested {n} protesters on Monday, a spokesman said. "
                "The group had blocked a road near the port.",
                input_id=f"feed-{n}",
                language="en",
            )

    with ProcessPoolExtractor(Settings(batch_size=3, workers=2)) as engine:
        extractions = engine.extract(feed())
        first = [next(extractions) for _ in range(4)]
        extractions.close()
        # The pool outlives one extract call: a second call reuses the loaded workers.
        again = list(engine.extract([first[0].article]))
    assert [e.article.input_id for e in first] == ["feed-1", "feed-2", "feed-3", "feed-4"]
    assert any(m.type for e in first for m in e.mentions)
    assert pulled <= 4 + 2 * 2 * 3 + 3
    assert engine.timings["spacy"] > 0
    assert [m.type for m in again[0].mentions] == [m.type for m in first[0].mentions]
    assert engine._pool is None  # closed by the with block


def test_one_worker_runs_in_the_calling_process() -> None:
    assert isinstance(make_engine(Settings(workers=1)), Extractor)
    assert isinstance(make_engine(Settings(workers=3)), ProcessPoolExtractor)
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        make_engine(Settings(), "spark")


def test_cli_ingest_with_two_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], run_cli: Callable[..., int]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run_cli("ingest", str(FIXTURES / "articles"), "--workers", "2", "--db", db) == 0
    assert "read 2, new 2" in capsys.readouterr().err
    assert run_cli("ingest", str(FIXTURES / "articles"), "--workers", "0", "--db", db) == 2
    assert "--workers" in capsys.readouterr().err
