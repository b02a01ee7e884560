"""Ingest runs: one story per syndicated wire copy, every outlet kept, resumable after kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest

from eventwire.cli import main
from eventwire.config import Settings
from eventwire.ingest import read_inputs
from eventwire.ingest_run import ingest_articles
from eventwire.records import Article, Extraction, Mention, ReadFailure, Trigger
from eventwire.store import Store

SYNDICATED = Path(__file__).parent / "fixtures" / "syndicated"
WIRE_PAGES = {
    "coastal-herald-banikoara.html",
    "sahel-monitor-benin-police.html",
    "lagoon-times-alibori-attack.html",
    "westbridge-post-benin.htm",
}
UNRELATED = {
    "coastal-herald-karimama-abduction.html",
    "burkina-army-border-operation.txt",
    "sahel-monitor-benin-recruitment.html",
}


class CountingExtractor:
    """Stands in for the NLP pipeline: one mention per article, and a record of what it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for article in articles:
            self.seen.append(article.input_id)
            mention = Mention(type="ASSAULT", trigger=Trigger("killed", (0, 6)), sentence=(0, 10))
            yield Extraction(article, mentions=[mention])


def table(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute(sql).fetchall(), key=repr)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything a run leaves behind, minus row ids and timestamps."""
    return {
        "articles": table(db, "select id, input_id, title, outlet, url, published, body from articles"),
        "sources": table(db, "select article_id, outlet, url, published, input_id from sources"),
        "mentions": table(db, "select id, type, trigger_text, sentence_start from mentions"),
        "signatures": table(db, "select key, article_id, scheme, size, hashvalues from dedup_signatures"),
        "failures": table(db, "select input_id, code, message from ingest_errors"),
    }


def ingest(folder: Path, db: Path, extractor: CountingExtractor | None = None) -> object:
    with Store.open(f"sqlite:///{db}") as store:
        return ingest_articles(
            read_inputs([str(folder)]), store, Settings(), extractor=extractor or CountingExtractor()
        )


def test_syndicated_copies_become_one_story_with_four_sources(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    extractor = CountingExtractor()
    summary = ingest(SYNDICATED, db, extractor)
    assert (summary.read, summary.new, summary.near_duplicates, summary.duplicates) == (7, 4, 3, 0)
    names = {Path(i).name for i in extractor.seen}
    assert len(names & WIRE_PAGES) == 1, "only the first copy of the wire story is coded"
    assert names >= UNRELATED, "same-topic stories are separate stories"
    with Store.open(f"sqlite:///{db}") as store:
        counts = store.counts()
        assert counts["articles"] == 4
        wire = [
            row[0]
            for row in table(db, "select id, input_id from articles")
            if Path(row[1]).name in WIRE_PAGES
        ]
        assert len(wire) == 1
        sources = store.sources(wire[0])
    assert {Path(s["input_id"]).name for s in sources} == WIRE_PAGES
    assert {s["outlet"] for s in sources} >= {"The Coastal Herald", "Sahel Monitor", "Lagoon Times"}
    assert "https://lagoontimes.example/news/attack-police-post-alibori-five-dead" in {
        s["url"] for s in sources
    }
    assert {s["published"] for s in sources} >= {"2025-09-16"}
    for name in UNRELATED:
        (row,) = [r for r in table(db, "select id, input_id from articles") if Path(r[1]).name == name]
        assert len(table(db, f"select id from sources where article_id = '{row[0]}'")) == 1


def test_a_copy_arriving_in_a_later_run_is_attached(tmp_path: Path) -> None:
    first, later = tmp_path / "monday", tmp_path / "tuesday"
    first.mkdir()
    later.mkdir()
    for name in ("coastal-herald-banikoara.html", "burkina-army-border-operation.txt"):
        shutil.copy(SYNDICATED / name, first / name)
    for name in ("sahel-monitor-benin-police.html", "westbridge-post-benin.htm"):
        shutil.copy(SYNDICATED / name, later / name)
    db = tmp_path / "store.db"
    ingest(first, db)
    extractor = CountingExtractor()
    summary = ingest(later, db, extractor)
    assert (summary.new, summary.near_duplicates) == (0, 2)
    assert extractor.seen == []
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["articles"] == 2
        assert store.counts()["sources"] == 4


def test_copies_in_the_same_batch_wait_for_their_first_copy(tmp_path: Path) -> None:
    """With a large batch, the first copy is still being extracted when its copies are read."""
    db = tmp_path / "store.db"
    with Store.open(f"sqlite:///{db}") as store:
        summary = ingest_articles(
            read_inputs([str(SYNDICATED)]), store, Settings(batch_size=64), extractor=_Batched(64)
        )
        assert summary.near_duplicates == 3
        assert store.counts()["sources"] == 7


class _Batched(CountingExtractor):
    """Reads a whole batch before yielding anything, as the spaCy pipeline does."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        batch = list(articles)[: self.size]
        yield from super().extract(batch)


def test_ingesting_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    ingest(SYNDICATED, db)
    before = snapshot(db)
    extractor = CountingExtractor()
    summary = ingest(SYNDICATED, db, extractor)
    assert extractor.seen == []
    assert (summary.new, summary.duplicates + summary.near_duplicates) == (0, 7)
    assert snapshot(db) == before


def test_failures_are_stored_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    items: list[Article | ReadFailure] = [
        ReadFailure("feed.xml#3", "feed.xml#3: feed entry has no text"),
        Article(body="Protesters marched in Lusaka on Friday.", published=date(2025, 3, 7), input_id="a"),
    ]
    with Store.open(f"sqlite:///{db}") as store:
        summary = ingest_articles(items, store, Settings(), extractor=CountingExtractor())
        assert (summary.read, summary.new, summary.errors, summary.mentions) == (1, 1, 1, 1)
        assert [f.input_id for f in store.failures()] == ["feed.xml#3"]


# -- the command line --------------------------------------------------------------------------------------


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["eventwire", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def test_summary_line_counts_new_exact_and_near_duplicates(capsys, monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SYNDICATED, folder)
    shutil.copy(folder / "burkina-army-border-operation.txt", folder / "burkina-again.txt")
    (folder / "empty.html").write_bytes(b"")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, err = run_cli(capsys, monkeypatch, "ingest", str(folder), "--db", db)
    assert code == 0
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("read 8, new 4, duplicates 4 (already stored 1, near-duplicates 3), errors 1")
    events = int(summary.rsplit("events found ", 1)[1])
    assert events > 0


def test_a_100_mb_file_is_refused_by_size(capsys, monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SYNDICATED / "burkina-army-border-operation.txt", folder)
    huge = folder / "dump.txt"
    with huge.open("wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1024 * 1024)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, err = run_cli(capsys, monkeypatch, "ingest", str(folder), "--db", db)
    assert code == 0
    skipped = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "dump.txt" in skipped[0]
    assert "104,857,600 bytes, over the limit of 20,000,000 bytes" in skipped[0]
    assert "new 1," in err and "errors 1," in err
    code, err = run_cli(capsys, monkeypatch, "ingest", str(folder), "--db", db, "--max-bytes", "1000")
    assert "burkina-army-border-operation.txt" in err and "over the limit of 1,000 bytes" in err


# -- crash and resume ---------------------------------------------------------------------------------------

_TOWNS = [
    "Kandi",
    "Natitingou",
    "Djougou",
    "Malanville",
    "Tanguieta",
    "Savalou",
    "Bohicon",
    "Lokossa",
    "Ouidah",
    "Abomey",
    "Pobe",
    "Nikki",
]
_ACTS = [
    ("Hundreds of teachers marched", "to demand unpaid allowances"),
    ("Police arrested {n} people", "after a clash over farmland"),
    ("Gunmen abducted {n} traders", "on the road to the weekly market"),
    ("Floods destroyed {n} homes", "after two days of heavy rain"),
]
_SCENES = [
    "Witnesses counted {m} vehicles near the prefecture, and shops stayed shut until the evening.",
    "A local radio station said the mayor had cancelled a planned visit by the health minister.",
    "Photographs shared by residents showed a burnt motorbike and stones scattered across the road.",
    "The regional hospital said it had admitted {m} people, most of them with minor injuries.",
    "Community leaders met the prefect late at night but left without an agreement.",
]
_QUOTES = [
    '"We have been waiting for weeks and nobody listens to us," said Cyrille Dossou, a shopkeeper.',
    '"The situation is calm now, but people are afraid," a police officer told reporters.',
    '"We lost everything we owned in one night," said Awa Sanni, a mother of {m}.',
    '"This must never happen again," the prefect, Justin Kiki, said on state radio.',
    '"Our children cannot go to school like this," said parent Marcel Zinsou.',
    '"We will stay here until the government answers," a union official said.',
    '"Help arrived too late for many families," said aid worker Prisca Hounsa.',
]


def _story(i: int) -> str:
    """Distinct local stories from a few pools, mixed by different moduli so no two are copies."""
    town = _TOWNS[i % len(_TOWNS)]
    lead, why = _ACTS[i % len(_ACTS)]
    n, m = 3 + i * 7 % 40, 2 + i * 5 % 17
    day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][i % 5]
    return (
        f"{lead.format(n=n)} in {town} ({i})\n\n"
        f"{lead.format(n=n)} in {town} on {day} {why}, local officials said.\n\n"
        f"{_SCENES[i % len(_SCENES)].format(m=m)}\n\n"
        f"{_QUOTES[i % len(_QUOTES)].format(m=m)}\n\n"
        f"The governor of the region promised an inquiry within {i % 6 + 2} days and said a report "
        f"would be sent to the ministry in Porto-Novo by the end of {['May', 'June', 'July'][i % 3]}."
    )


def _corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(24):
        (folder / f"local-{i:02d}.txt").write_text(_story(i), encoding="utf-8")
    for path in SYNDICATED.iterdir():
        shutil.copy(path, folder / path.name)


# Run the CLI with each batch's save slowed down, so that the test can kill it part-way.
_SLOW_RUN = """
import sys, time
from eventwire.store import repository
original = repository.Store.save_many
def slow_save(self, *args, **kwargs):
    saved = original(self, *args, **kwargs)
    time.sleep(0.5)
    return saved
repository.Store.save_many = slow_save
from eventwire.cli import main
sys.argv = ["eventwire", *sys.argv[1:]]
main()
"""


def _cli(*args: str, slow: bool = False) -> subprocess.Popen[bytes]:
    env = dict(os.environ, EVENTWIRE_BATCH_SIZE="4")
    code = (
        _SLOW_RUN if slow else "from eventwire.cli import main; import sys; sys.argv[0] = 'eventwire'; main()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, "ingest", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return int(con.execute("select count(*) from articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet, or busy


@pytest.mark.slow
def test_a_run_killed_with_sigkill_resumes_to_the_same_result(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    _corpus(folder)
    expected_articles = 24 + 4  # the wire story's four pages are one article

    clean_db = tmp_path / "clean.db"
    clean = _cli(str(folder), "--db", f"sqlite:///{clean_db}")
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err.decode()
    assert _stored(clean_db) == expected_articles

    db = tmp_path / "crashed.db"
    run = _cli(str(folder), "--db", f"sqlite:///{db}", slow=True)
    deadline = time.monotonic() + 240
    while _stored(db) < 5:
        assert run.poll() is None, f"the run ended before it could be killed: {run.stderr.read().decode()}"
        assert time.monotonic() < deadline, "the run stored nothing in time"
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    run.stderr.close()
    partial = _stored(db)
    assert 5 <= partial < expected_articles, "killed part-way"

    resumed = _cli(str(folder), "--db", f"sqlite:///{db}")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    summary = err.decode().strip().splitlines()[-1]
    assert summary.startswith(f"read 31, new {expected_articles - partial},"), summary

    assert snapshot(db) == snapshot(clean_db)
    ids = [row[0] for row in table(db, "select id from articles")]
    assert len(ids) == len(set(ids)) == expected_articles
    sources = table(db, "select article_id, outlet, url, input_id from sources")
    assert len(sources) == len(set(sources)) == 31
