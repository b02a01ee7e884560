"""The Ray engine stores the same canonical events as the local engine (on a local Ray)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import ray

from eventwire.config import Settings
from eventwire.engines.ray_engine import RayExtractor, mention_schema, read_on_ray, run_ray_job
from eventwire.errors import ConfigError, EngineError
from eventwire.ingest import read_inputs
from eventwire.ingest_run import IngestSummary, ingest_articles
from eventwire.pipeline import Extractor
from eventwire.records import Article, ReadFailure
from eventwire.store import Store
from eventwire.store.events import iter_events, list_events
from eventwire.store.repository import LISTED_COLUMNS

pytestmark = pytest.mark.slow

PUBLISHED = date(2026, 3, 12)

NAIROBI = """Police fire tear gas at fuel price protesters in Nairobi

Kenyan police fired tear gas at hundreds of protesters in central Nairobi on Tuesday as anger over
a new fuel levy spilled onto the streets for a second day.

The demonstrators, many of them motorcycle taxi riders, blocked Moi Avenue and burned tyres before
officers in riot gear dispersed them. "We cannot feed our families when petrol costs this much,"
said Peter Otieno, a rider who joined the march.

A police spokesman said 23 people were arrested. He accused opposition politicians of paying young
men to stir up trouble, a charge the opposition denied.
"""

MAIDUGURI_WIRE = """Militants kill 12 farmers near Maiduguri, officials say

Suspected Boko Haram militants killed 12 farmers working in rice fields near Maiduguri, the capital
of Borno state, on Sunday, local officials said.

The attackers arrived on motorcycles and opened fire on the farmers before setting their huts
alight, said Babagana Zulum, the Borno governor. "These were poor men trying to feed their
families," he told reporters in Maiduguri.

The Nigerian army said it had deployed troops to the area and was pursuing the group. The jihadists
have killed thousands of people in the northeast since 2009.
"""

# The same wire story as a partner site ran it: its own headline, a copy-edited lead, the last
# paragraph cut, and the site's boilerplate appended.
MAIDUGURI_PARTNER = """Borno farmers shot dead in rice fields

Suspected Boko Haram militants killed 12 farmers who were working in rice fields near Maiduguri,
the capital of Borno state, on Sunday, local officials said.

The attackers arrived on motorcycles and opened fire on the farmers before setting their huts
alight, said Babagana Zulum, the Borno governor. "These were poor men trying to feed their
families," he told reporters in Maiduguri.

The Nigerian army said it had deployed troops to the area and was pursuing the group.

Subscribe to our newsletter for the latest news from West Africa.
"""

EL_FASHER = """Shelling hits market in El Fasher

Paramilitary Rapid Support Forces shelled a crowded market in El Fasher, the capital of North
Darfur, on Monday, killing at least nine civilians, a local aid group said.

The RSF has besieged the city for months. Sudan's army accused the paramilitaries of targeting
civilians deliberately; the group denied it and said it was responding to army fire.
"""

KHARKIV = """Drone strike damages power plant in Kharkiv

Russia launched a drone attack on Kharkiv overnight, damaging a thermal power plant and cutting
electricity to thousands of homes, Ukrainian officials said on Wednesday.

Mayor Ihor Terekhov said two workers were injured. Ukraine's air force said it had shot down most
of the drones over the region.
"""

BAGHDAD = """Turkey and Iraq agree to cooperate on water sharing

Turkish Foreign Minister Hakan Fidan met Iraqi Prime Minister Mohammed Shia al-Sudani in Baghdad on
Thursday, and the two governments agreed to cooperate on sharing the waters of the Tigris.

Iraq has long accused Turkey of cutting the river's flow with dams upstream. Fidan said Ankara
would release more water this summer.
"""

JSONL_RECORDS = [
    {
        "id": "wire-0412",
        "title": "Al-Shabaab attack on Mogadishu hotel",
        "text": (
            "Al-Shabaab fighters stormed a hotel in Mogadishu on Friday night, killing at least six "
            "people, Somali police said.\n\nSecurity forces ended the siege on Saturday morning. "
            "The group claimed the attack in a statement, saying it had targeted government officials."
        ),
        "published": "2026-03-14",
        "outlet": "Horn Wire",
        "url": "https://horn-wire.example/2026/03/14/mogadishu-hotel",
    },
    {
        "id": "wire-0413",
        "title": "Colombian troops clash with rebels in Cauca",
        "text": (
            "Colombian soldiers clashed with FARC dissidents in the southwestern department of Cauca "
            "on Thursday, the army said. Two rebels were killed.\n\nThe defence ministry said the "
            "troops had been sent to protect a road that the rebels had blocked last week."
        ),
        "published": "2026-03-13",
        "outlet": "Andes Daily",
        "url": "https://andes-daily.example/cauca-clash",
    },
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the traps real corpora have: a wire copy, an exact copy, JSONL, junk files."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "africa").mkdir()
    (root / "africa" / "coastal-times-nairobi.txt").write_text(NAIROBI, encoding="utf-8")
    (root / "africa" / "daily-wire-maiduguri.txt").write_text(MAIDUGURI_WIRE, encoding="utf-8")
    (root / "africa" / "partner-site-borno.txt").write_text(MAIDUGURI_PARTNER, encoding="utf-8")
    (root / "africa" / "sudan-el-fasher.txt").write_text(EL_FASHER, encoding="utf-8")
    (root / "europe-kharkiv.txt").write_text(KHARKIV, encoding="utf-8")
    (root / "middle-east-baghdad.txt").write_text(BAGHDAD, encoding="utf-8")
    (root / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in JSONL_RECORDS), encoding="utf-8")
    # An exact copy of the Nairobi story filed by a second outlet, later in the walk order.
    (root / "zz-mirror-nairobi.txt").write_text(NAIROBI, encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / ".editor-notes.txt").write_text("hidden files are not articles", encoding="utf-8")
    (root / "africa" / "back-to-top").symlink_to(root, target_is_directory=True)  # a loop: skipped
    return root


def _session_processes(session: str) -> set[int]:
    """Pids of this Ray session's own processes (GCS, raylet, monitors), which name it in their
    command line; its workers exit with the raylet. Other Ray sessions on the machine are ignored."""
    found: set[int] = set()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if session.encode() in cmdline:
            found.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One small, quiet local Ray for the module; shut down and checked gone afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_DEDUP_LOGS", "0")
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            object_store_memory=200 * 1024 * 1024,
            configure_logging=False,
        )
        session = ray.get_runtime_context().get_session_name()
        assert _session_processes(session), "the check below would see nothing"
        try:
            yield
        finally:
            ray.shutdown()
    deadline = time.monotonic() + 30
    while (left := _session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"Ray processes left behind: {sorted(left)}"


def _ingest(corpus: Path, db: Path, extractor: Any) -> IngestSummary:
    with Store.open(f"sqlite:///{db}") as store:
        return ingest_articles(
            read_inputs([str(corpus)], published=PUBLISHED), store, Settings(), extractor=extractor
        )


def _events(db: Path) -> list[dict[str, Any]]:
    with Store.open(f"sqlite:///{db}") as store:
        return list(iter_events(store, with_mentions=True))


def _mention_ids(db: Path) -> list[str]:
    with Store.open(f"sqlite:///{db}") as store:
        return sorted(row["id"] for row in store.list_mentions())


@pytest.fixture(scope="module")
def local_extractor() -> Extractor:
    return Extractor(Settings())


@pytest.fixture(scope="module")
def local_db(corpus: Path, local_extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the corpus ingested by the local engine in this process."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    summary = _ingest(corpus, db, local_extractor)
    assert (summary.read, summary.new, summary.duplicates, summary.near_duplicates) == (9, 7, 1, 1)
    assert summary.errors == 1  # the empty file, reported and stored, not dropped
    return db


def test_local_reference_is_not_trivial(local_db: Path) -> None:
    """The comparison below means something only if the corpus yields merged, placed events."""
    events = _events(local_db)
    assert len(events) >= 6
    assert {e["type"] for e in events} >= {"ASSAULT", "PROTEST"}
    assert any(e["place_name"] and e["place_lat"] is not None for e in events)
    assert any(e["date_start"] for e in events)
    # The wire story and its partner copy are one story with two sources, not two events.
    maiduguri = [e for e in events if "Maiduguri" in json.dumps(e["mentions"])]
    assert maiduguri and all(e["n_articles"] == 1 for e in maiduguri)


def test_ray_extractor_stores_the_same_canonical_events(
    local_ray: None, corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    with RayExtractor(Settings(batch_size=2), workers=2) as extractor:
        summary = _ingest(corpus, db, extractor)
        assert extractor.timings["spacy"] > 0  # the workers' stage times reach the driver
    assert (summary.read, summary.new, summary.duplicates, summary.near_duplicates) == (9, 7, 1, 1)
    assert _events(db) == _events(local_db)
    assert _mention_ids(db) == _mention_ids(local_db)
    with Store.open(f"sqlite:///{db}") as ray_store, Store.open(f"sqlite:///{local_db}") as local_store:
        assert ray_store.counts() == local_store.counts()
        listed = [
            (e["id"], e["type"], e["place_name"], e["date_start"], e["n_mentions"])
            for e in list_events(ray_store)
        ]
        assert listed == [
            (e["id"], e["type"], e["place_name"], e["date_start"], e["n_mentions"])
            for e in list_events(local_store)
        ]


def test_ray_extractor_keeps_input_order_across_workers(local_ray: None, local_extractor: Extractor) -> None:
    """Batches finish in any order on two workers; extractions come back in the order given."""
    bodies = [NAIROBI, MAIDUGURI_WIRE, EL_FASHER, KHARKIV, BAGHDAD] * 3
    articles = [
        Article(body=f"{body}\nFiled as item {i}.", input_id=f"item-{i}", published=PUBLISHED)
        for i, body in enumerate(bodies)
    ]
    with RayExtractor(Settings(batch_size=1), workers=2) as extractor:
        got = list(extractor.extract(iter(articles)))
        workers = list(extractor.worker_pids)
        # A second run reuses the same workers: the model is loaded once per worker, not per run.
        again = list(extractor.extract(iter(articles[:3])))
        assert extractor.worker_pids == workers
    assert len(set(workers)) == 2 and os.getpid() not in workers
    assert [x.article.input_id for x in got] == [a.input_id for a in articles]
    assert [x.article.input_id for x in again] == ["item-0", "item-1", "item-2"]
    local = local_extractor.extract_one(articles[1])
    assert [(m.type, m.trigger.span) for m in got[1].mentions] == [
        (m.type, m.trigger.span) for m in local.mentions
    ]


def test_read_on_ray_reads_like_the_local_readers(local_ray: None, corpus: Path) -> None:
    def shape(item: Article | ReadFailure) -> tuple[Any, ...]:
        if isinstance(item, ReadFailure):
            return ("failure", item.input_id, item.message)
        return ("article", item.input_id, item.id, item.title, item.published, item.outlet, item.url)

    inputs = [str(corpus), str(corpus / "missing.txt"), str(corpus / "wire.jsonl")]
    local = [shape(x) for x in read_inputs(inputs, published=PUBLISHED)]
    on_ray = [shape(x) for x in read_on_ray(inputs, published=PUBLISHED)]
    assert on_ray == local
    assert (
        "failure",
        str(corpus / "missing.txt"),
        f"{corpus / 'missing.txt'}: no such file or directory",
    ) in on_ray
    assert not any(".editor-notes" in str(s) or "back-to-top" in str(s) for s in on_ray)


def test_ray_job_writes_parquet_and_the_store(
    local_ray: None, corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    db = tmp_path / "job.db"
    result = run_ray_job(
        [str(corpus)],
        parquet_out=str(out),
        db_url=f"sqlite:///{db}",
        settings=Settings(batch_size=2),
        workers=2,
        published=PUBLISHED,
    )
    assert (result.summary.new, result.summary.all_duplicates, result.summary.errors) == (7, 2, 1)
    assert _events(db) == _events(local_db)

    mentions = pq.read_table(out / "mentions").to_pylist()
    assert sorted(row["id"] for row in mentions) == _mention_ids(local_db)
    assert result.mention_rows == len(mentions)
    listed = {c.key for c in LISTED_COLUMNS}
    assert listed <= set(mention_schema().names)
    wire = [r for r in mentions if r["input_id"].endswith("daily-wire-maiduguri.txt")]
    assert wire and all(r["published"] == PUBLISHED and r["trigger"] in r["sentence"] for r in wire)
    assert any(
        r["type"] == "ASSAULT" and r["place_name"] == "Maiduguri" and r["actor1_name"] == "Boko Haram"
        for r in wire
    )
    # The partner site's copy was attached as a source, not extracted into rows of its own.
    assert not any(r["input_id"].endswith("partner-site-borno.txt") for r in mentions)

    events = pq.read_table(out / "events.parquet").to_pylist()
    assert result.events == len(events)
    assert sorted(e["id"] for e in events) == sorted(e["id"] for e in _events(local_db))


def test_ray_job_with_parquet_only_dedups_and_refuses_to_mix_runs(
    local_ray: None, corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "parquet-only"
    # No worker count: one per CPU of the (two-CPU) test cluster.
    result = run_ray_job([str(corpus)], parquet_out=str(out), published=PUBLISHED)
    assert result.db is None
    mentions = pq.read_table(out / "mentions").to_pylist()
    # The exact and the syndicated copies were not extracted again: no doubled mentions.
    assert sorted(row["id"] for row in mentions) == _mention_ids(local_db)
    events = pq.read_table(out / "events.parquet").to_pylist()
    assert sorted(e["id"] for e in events) == sorted(e["id"] for e in _events(local_db))
    with pytest.raises(ConfigError):
        run_ray_job([str(corpus)], parquet_out=str(out), workers=1, published=PUBLISHED)


def test_ray_job_needs_an_output() -> None:
    with pytest.raises(ConfigError):
        run_ray_job(["corpus"], settings=Settings())


def test_ray_workers_that_cannot_load_the_model_fail_with_one_readable_error(local_ray: None) -> None:
    article = Article(body=KHARKIV, input_id="kharkiv.txt", published=PUBLISHED)
    with (
        RayExtractor(Settings(model="en_core_web_not_installed"), workers=1) as extractor,
        pytest.raises(EngineError, match=r"could not start: .*en_core_web_not_installed' is not installed$"),
    ):
        list(extractor.extract([article]))
