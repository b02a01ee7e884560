"""Merging mentions into canonical events: within an article, across articles, incrementally.

The articles are built as the extractor would emit them (mentions with spans into the body), so
these tests exercise merging alone. The 34-happening corpus lives in fixtures/merge_corpus.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import select

from eventwire import merge
from eventwire.records import Acled, ActorRef, Article, Extraction, Mention, PlaceRef, TimeRef, Trigger
from eventwire.store import Store
from eventwire.store.events import CanonicalEventRow, EventMentionRow, event_mentions, list_events

CORPUS_FILE = Path(__file__).parent / "fixtures" / "merge_corpus" / "corpus.py"


def load_corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("merge_corpus", CORPUS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["merge_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus() -> Any:
    return load_corpus_module().build()


def open_store(tmp_path: Path, name: str = "store.db") -> Store:
    return Store.open(f"sqlite:///{tmp_path / name}")


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return (start, start + len(text))


def sentence(body: str, text: str) -> tuple[int, int]:
    start, end = span(body, text)
    left = body.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    return (left, body.index(".", end) + 1)


KABUL = {
    "geonameid": 1138958,
    "lat": 34.52813,
    "lon": 69.17233,
    "country": "AFG",
    "admin1": "13",
    "feature_code": "PPLC",
    "precision": "place",
}
RAQQA = {
    "geonameid": 172955,
    "lat": 35.95283,
    "lon": 39.00788,
    "country": "SYR",
    "admin1": "04",
    "feature_code": "PPLA",
    "precision": "place",
}
BOMB = Acled("Explosions/Remote violence", "Remote explosive/landmine/IED")
CLASH = Acled("Battles", "Armed clash")


def assault(body: str, trigger: str, *, acled: Acled = BOMB, nth: int = 0, **kw: Any) -> Mention:
    return Mention(
        type="ASSAULT",
        trigger=Trigger(trigger, span(body, trigger, nth)),
        sentence=sentence(body, trigger),
        acled=acled,
        **kw,
    )


def place(body: str, text: str, geo: dict[str, Any], name: str) -> PlaceRef:
    return PlaceRef(text=text, span=span(body, text), name=name, **geo)


def day(body: str, text: str, when: date) -> TimeRef:
    return TimeRef(text, span(body, text), when, when, "day")


def save_all(store: Store, extractions: list[Extraction]) -> None:
    for e in extractions:
        store.save(e)


def members_by_article(store: Store) -> list[set[str]]:
    with store.reading("test") as session:
        rows = session.execute(select(EventMentionRow.event_id, EventMentionRow.article_id)).all()
    events: dict[str, set[str]] = {}
    for event_id, article_id in rows:
        events.setdefault(event_id, set()).add(article_id)
    return sorted(events.values(), key=sorted)


def kabul_report(
    outlet: str,
    published: date,
    *,
    lead: str,
    target: str | None,
    when: str = "on Monday",
    actor: tuple[str, str] | None = ("Islamic State Khorasan", "ISKP"),
) -> Extraction:
    """A Kabul bombing story: lead with the details, a later 'the blast' with none."""
    body = f"{lead} Hospital officials said the blast had wounded dozens more. Police cordoned off the area."
    a1 = None
    if actor is not None:
        a1 = ActorRef(text=actor[0], span=span(body, actor[0]), id=actor[1], name=actor[0], kind="rebel")
    mentions = [
        assault(
            body,
            "bomb",
            actor1=a1,
            place=place(body, "Kabul", KABUL, "Kabul"),
            date=day(body, when, date(2024, 3, 4)) if when in body else None,
            actor2=ActorRef(text=target, span=span(body, target), kind="civilians") if target else None,
        ),
        assault(body, "blast"),
    ]
    article = Article(body=body, title="Blast in Kabul", published=published, outlet=outlet, language="en")
    return Extraction(article=article, mentions=mentions)


def test_headline_verb_and_later_noun_in_one_article_form_one_event(tmp_path: Path) -> None:
    body = (
        "Islamic State fighters ambushed Syrian Democratic Forces near Raqqa on Tuesday night, killing five. "
        "The SDF said the attack began with a roadside bomb before gunmen opened fire. "
        "In a separate attack, gunmen shot dead two shepherds in the desert east of the city."
    )
    isil = ActorRef(
        text="Islamic State fighters",
        span=span(body, "Islamic State fighters"),
        id="ISIL",
        name="Islamic State",
        kind="rebel",
    )
    sdf = ActorRef(
        text="Syrian Democratic Forces",
        span=span(body, "Syrian Democratic Forces"),
        id="SDF",
        name="Syrian Democratic Forces",
        kind="rebel",
    )
    mentions = [
        assault(
            body,
            "ambushed",
            acled=CLASH,
            actor1=isil,
            actor2=sdf,
            place=place(body, "Raqqa", RAQQA, "Raqqa"),
            date=day(body, "on Tuesday", date(2024, 3, 5)),
            fatalities=5,
        ),
        assault(body, "attack", acled=CLASH),
        assault(
            body,
            "shot dead",
            acled=Acled("Violence against civilians", "Attack"),
            nth=0,
            actor2=ActorRef(text="two shepherds", span=span(body, "two shepherds"), kind="civilians"),
            fatalities=2,
        ),
    ]
    article = Article(
        body=body, title="IS ambush near Raqqa", published=date(2024, 3, 6), outlet="Levant Times"
    )
    with open_store(tmp_path) as store:
        store.save(Extraction(article=article, mentions=mentions))
        merge.merge_pending(store)
        events = list_events(store)
        assert len(events) == 2
        ambush = next(e for e in events if e["acled_event_type"] == "Battles")
        assert ambush["n_mentions"] == 2 and ambush["fatalities"] == 5 and ambush["place_name"] == "Raqqa"
        members = event_mentions(store, ambush["id"])
        assert {m["trigger"]["text"] for m in members} == {"ambushed", "attack"}
        restated = next(m for m in members if m["trigger"]["text"] == "attack")
        assert "same article" in restated["rule"]
        assert body[slice(*restated["trigger"]["span"])] == "attack"


def test_parent_organisation_and_alias_merge_across_outlets(tmp_path: Path) -> None:
    """One outlet says the SDF, another the YPG (inside the SDF): one clash."""

    def report(outlet: str, published: date, defender: str, defender_id: str, when: str) -> Extraction:
        body = (
            f"{defender} repelled an Islamic State attack on a checkpoint near Raqqa {when}, "
            "a spokesman said. Three attackers were killed in the fighting."
        )
        a2 = ActorRef(text=defender, span=span(body, defender), id=defender_id, kind="rebel")
        a1 = ActorRef(text="Islamic State", span=span(body, "Islamic State"), id="ISIL", kind="rebel")
        m = assault(
            body,
            "attack",
            acled=CLASH,
            actor1=a1,
            actor2=a2,
            place=place(body, "Raqqa", RAQQA, "Raqqa"),
            date=day(body, when, date(2024, 3, 5)) if when.startswith("on") else None,
            fatalities=3,
        )
        return Extraction(article=Article(body=body, published=published, outlet=outlet), mentions=[m])

    with open_store(tmp_path) as store:
        save_all(
            store,
            [
                report("Levant Times", date(2024, 3, 6), "The Syrian Democratic Forces", "SDF", "on Tuesday"),
                report("Northwire", date(2024, 3, 6), "Kurdish YPG fighters", "YPG", "on Tuesday"),
                report("Delta Courier", date(2024, 3, 7), "The SDF", "SDF", "this week"),
            ],
        )
        merge.merge_pending(store)
        events = list_events(store)
        assert len(events) == 1
        event = events[0]
        assert event["n_articles"] == 3 and event["n_outlets"] == 3
        assert {a["id"] for a in event["actors"]} == {"ISIL", "SDF", "YPG"}
        rules = [m["rule"] for m in event_mentions(store, event["id"])]
        assert any("SDF~YPG" in r or "YPG~SDF" in r or "actors ISIL" in r for r in rules)


def test_same_city_same_day_bombings_stay_apart_when_targets_or_times_differ(tmp_path: Path) -> None:
    mosque = kabul_report(
        "Northwire",
        date(2024, 3, 4),
        lead="A suicide bomb tore through a Shia mosque in Kabul on Monday morning, "
        "Islamic State Khorasan said.",
        target="a Shia mosque",
    )
    mosque2 = kabul_report(
        "Capital Tribune",
        date(2024, 3, 5),
        lead="Islamic State Khorasan claimed the bomb at a Shia mosque in Kabul on Monday.",
        target="a Shia mosque",
    )
    checkpoint = kabul_report(
        "Global Desk",
        date(2024, 3, 4),
        lead="A bomb hidden in a cart exploded at a police checkpoint in Kabul on "
        "Monday evening, Islamic State Khorasan said.",
        target="a police checkpoint",
    )
    with open_store(tmp_path) as store:
        save_all(store, [mosque, mosque2, checkpoint])
        merge.merge_pending(store)
        assert members_by_article(store) == sorted(
            [{mosque.article.id, mosque2.article.id}, {checkpoint.article.id}], key=sorted
        )


def test_sibling_organisations_do_not_merge(tmp_path: Path) -> None:
    """ISKP and ISWAP both belong to Islamic State; that does not make them the same attacker."""
    a = kabul_report(
        "Northwire",
        date(2024, 3, 4),
        lead="A bomb hit a bus in Kabul on Monday, Islamic State Khorasan said.",
        target="a bus",
    )
    b = kabul_report(
        "Global Desk",
        date(2024, 3, 4),
        lead="A bomb hit a bus in Kabul on Monday, the Islamic State West Africa Province said.",
        target="a bus",
        actor=("Islamic State West Africa Province", "ISWAP"),
    )
    assert merge.related("YPG", "SDF") and not merge.related("ISKP", "ISWAP")
    with open_store(tmp_path) as store:
        save_all(store, [a, b])
        merge.merge_pending(store)
        assert len(list_events(store)) == 2


def test_a_new_report_reevaluates_and_can_split_an_event(tmp_path: Path) -> None:
    """A vague report joins the first bombing; a later one shows two bombings that day, so the
    component is re-partitioned: the result equals merging all three from scratch."""
    vague = kabul_report(
        "Horn Observer",
        date(2024, 3, 5),
        lead="A bomb exploded in Kabul on Monday, Islamic State Khorasan said.",
        target=None,
    )
    evening = kabul_report(
        "Global Desk",
        date(2024, 3, 4),
        lead="A bomb exploded at a police checkpoint in "
        "Kabul on Monday evening, Islamic State Khorasan said.",
        target="a police checkpoint",
    )
    morning = kabul_report(
        "Northwire",
        date(2024, 3, 4),
        lead="A bomb exploded at a Shia mosque in Kabul on Monday morning, Islamic State Khorasan said.",
        target="a Shia mosque",
    )
    with open_store(tmp_path, "inc.db") as store:
        save_all(store, [vague, evening])
        merge.merge_pending(store)
        assert members_by_article(store) == [{vague.article.id, evening.article.id}]
        store.save(morning)
        merge.merge_pending(store)
        incremental = members_by_article(store)
    with open_store(tmp_path, "scratch.db") as store:
        save_all(store, [morning, evening, vague])
        merge.merge_pending(store)
        assert members_by_article(store) == incremental
    assert len(incremental) == 2
    assert not any({morning.article.id, evening.article.id} <= group for group in incremental)


def test_outlets_count_syndicated_copies_once_per_outlet(tmp_path: Path) -> None:
    wire = kabul_report(
        "Northwire",
        date(2024, 3, 4),
        lead="A bomb hit a market in Kabul on Monday, Islamic State Khorasan said.",
        target="a market",
    )
    wire.mentions[0].fatalities = 6
    later = kabul_report(
        "Capital Tribune",
        date(2024, 3, 6),
        lead="The toll from Monday's bomb at a market in Kabul rose to 9, Islamic State Khorasan said.",
        target="a market",
    )
    later.mentions[0].fatalities = 9
    with open_store(tmp_path) as store:
        save_all(store, [wire, later])
        for outlet, url in (
            ("Global Desk", "https://gd.example/a"),
            ("Global Desk", "https://gd.example/b"),
            ("Sahel Monitor", "https://sm.example/a"),
        ):
            copy = Article(body=wire.article.body, outlet=outlet, url=url, published=date(2024, 3, 5))
            store.add_source(wire.article.id, copy)
        merge.merge_pending(store)
        [event] = list_events(store)
        assert event["n_articles"] == 2
        assert event["n_outlets"] == 4  # Northwire, Global Desk (twice), Sahel Monitor, Capital Tribune
        assert event["outlets"] == ["capital tribune", "global desk", "northwire", "sahel monitor"]
        # Six was carried by three outlets, nine by one: the wider-carried figure, with the range.
        assert (event["fatalities"], event["fatalities_min"], event["fatalities_max"]) == (6, 6, 9)
        assert (event["first_reported"], event["last_reported"]) == ("2024-03-04", "2024-03-06")
        assert merge.pending_articles(store) == []


def corpus_scores(store: Store, gold: dict[str, str | None]) -> tuple[float, float]:
    with store.reading("test") as session:
        stmt = select(EventMentionRow.mention_id, EventMentionRow.event_id)
        assigned = {m: e for m, e in session.execute(stmt)}
    assert not [m for m, g in gold.items() if g is None and m in assigned], "negated mentions must not merge"
    ids = sorted(m for m, g in gold.items() if g is not None)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same_gold = gold[a] == gold[b]
            same_event = assigned.get(a) is not None and assigned.get(a) == assigned.get(b)
            tp += same_gold and same_event
            fp += same_event and not same_gold
            fn += same_gold and not same_event
    return tp / (tp + fp), tp / (tp + fn)


def dump(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.reading("test") as session:
        events = [
            tuple(r)
            for r in session.execute(select(CanonicalEventRow.__table__).order_by(CanonicalEventRow.id))
        ]
        members = [
            tuple(r)
            for r in session.execute(select(EventMentionRow.__table__).order_by(EventMentionRow.mention_id))
        ]
    return events, members


def ingest_in_chunks(store: Store, corpus: Any, order: list[int], chunks: int) -> None:
    size = -(-len(order) // chunks)
    copies: dict[str, list[Article]] = {}
    for first, copy in corpus.copies:
        copies.setdefault(first, []).append(copy)
    for start in range(0, len(order), size):
        for i in order[start : start + size]:
            extraction = corpus.extractions[i]
            store.save(extraction)
            for copy in copies.get(extraction.article.id, []):
                store.add_source(extraction.article.id, copy)
        merge.merge_pending(store)


def test_corpus_meets_precision_and_recall_goal(tmp_path: Path, corpus: Any) -> None:
    assert len(corpus.happenings) >= 30 and len({e.article.id for e in corpus.extractions}) >= 120
    with open_store(tmp_path) as store:
        ingest_in_chunks(store, corpus, list(range(len(corpus.extractions))), 1)
        precision, recall = corpus_scores(store, corpus.gold)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_same_events_from_one_run_ten_runs_or_shuffled(tmp_path: Path, corpus: Any, noise: float) -> None:
    """Also on a degraded corpus, where vague reports link to several events and the
    partition has real choices to make."""
    if noise:
        corpus = sys.modules["merge_corpus"].degraded(corpus, noise)
    n = len(corpus.extractions)
    shuffled = list(range(n))
    random.Random(20240304).shuffle(shuffled)
    dumps = []
    for name, order, chunks in (
        ("one", list(range(n)), 1),
        ("ten", list(range(n)), 10),
        ("shuffled", shuffled, 7),
        ("reversed", list(reversed(range(n))), 3),
    ):
        with open_store(tmp_path, f"{name}.db") as store:
            ingest_in_chunks(store, corpus, order, chunks)
            dumps.append(dump(store))
            # Idempotent: merging again with nothing new changes nothing.
            merge.merge_articles(store, [corpus.extractions[0].article.id])
            assert dump(store) == dumps[-1]
    assert dumps[0][0] and all(d == dumps[0] for d in dumps[1:])


def test_a_report_with_a_year_long_window_is_found_by_a_later_day_report(tmp_path: Path) -> None:
    """An event dated only "in 2023" spans a year; the candidate lookup, which scans a few weeks of
    short windows through the index, must still find it (it reads long windows apart)."""
    yearly_body = (
        "Islamic State Khorasan carried out a bomb attack on a Kabul market in 2023, a United "
        "Nations report said on Tuesday."
    )
    yearly = Extraction(
        Article(
            body=yearly_body, title="UN report", published=date(2024, 1, 9), outlet="Desk A", language="en"
        ),
        mentions=[
            assault(
                yearly_body,
                "bomb",
                actor1=ActorRef(
                    text="Islamic State Khorasan",
                    span=span(yearly_body, "Islamic State Khorasan"),
                    id="ISKP",
                    name="Islamic State Khorasan",
                    kind="rebel",
                ),
                place=place(yearly_body, "Kabul", KABUL, "Kabul"),
                date=TimeRef(
                    "in 2023", span(yearly_body, "in 2023"), date(2023, 1, 1), date(2023, 12, 31), "year"
                ),
            )
        ],
    )
    daily = kabul_report(
        "Desk B",
        date(2023, 11, 14),
        lead="Islamic State Khorasan set off a bomb at a Kabul market on Monday.",
        target=None,
        when="on Monday",
    )
    daily.mentions[0].date = day(daily.article.body, "on Monday", date(2023, 11, 13))

    at_once = open_store(tmp_path, "once.db")
    save_all(at_once, [yearly, daily])
    merge.merge_pending(at_once)
    one_by_one = open_store(tmp_path, "incremental.db")
    save_all(one_by_one, [yearly])
    merge.merge_pending(one_by_one)
    save_all(one_by_one, [daily])
    merge.merge_pending(one_by_one)

    expected = [{yearly.article.id, daily.article.id}]
    assert [ids for ids in members_by_article(at_once) if len(ids) > 1] == expected
    assert members_by_article(one_by_one) == members_by_article(at_once)
