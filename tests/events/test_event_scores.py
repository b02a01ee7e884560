"""The event scorer: CAMEO crosswalk, the one-event-per-report rule, scores, and `eventwire eval events`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eventwire.cli import main
from eventwire.events.evaluate import (
    cameo_country,
    cameo_to_plover,
    markdown_confusion,
    score_acled,
    score_plover,
    snippet_acled,
)
from eventwire.records import Acled, ActorRef, Article, Extraction, Mention, Trigger


def mention(
    type_: str = "ASSAULT",
    sub: tuple[str, str] | None = None,
    confidence: float = 0.6,
    sentence: tuple[int, int] = (0, 50),
    negated: bool = False,
    hypothetical: bool = False,
    rule: str = "test",
    actor1: ActorRef | None = None,
    actor2: ActorRef | None = None,
    contexts: tuple[str, ...] = (),
) -> Mention:
    return Mention(
        type=type_, trigger=Trigger("x", (sentence[0], sentence[0] + 1)), sentence=sentence,
        acled=Acled(*sub) if sub else None, confidence=confidence, negated=negated,
        hypothetical=hypothetical, rule=rule, actor1=actor1, actor2=actor2, contexts=list(contexts),
    )  # fmt: skip


CLASH = ("Battles", "Armed clash")
AIR = ("Explosions/Remote violence", "Air/drone strike")
TERRITORY = ("Battles", "Government regains territory")
PEACEFUL = ("Protests", "Peaceful protest")
INTERVENTION = ("Protests", "Protest with intervention")


def test_crosswalk_uses_root_codes_and_the_codebook_moves() -> None:
    assert cameo_to_plover("190") == "ASSAULT"
    assert cameo_to_plover("0841") == "RETREAT"  # release of persons is material: RETREAT, not CONCEDE
    assert cameo_to_plover("081") == "CONCEDE"
    assert cameo_to_plover("1712") == "ASSAULT"  # destroy property
    assert cameo_to_plover("192") == "COERCE"  # occupy territory
    assert cameo_to_plover("163") == "COERCE"
    assert cameo_to_plover("010") is None  # statements are not PLOVER events
    assert cameo_to_plover("112") == "ACCUSE"


def test_cameo_actor_codes_give_their_country() -> None:
    assert cameo_country("IRQMUS") == "IRQ"
    assert cameo_country("USAGOV") == "USA"
    assert cameo_country("---REB") is None
    assert cameo_country("IGOUNO") is None


def test_report_is_coded_by_its_most_confident_asserted_event() -> None:
    chosen = snippet_acled(
        [
            mention(sub=CLASH, confidence=0.5),
            mention(sub=AIR, confidence=0.9, hypothetical=True),  # planned: does not count
            mention(sub=("Violence against civilians", "Attack"), confidence=0.7),
        ]
    )
    assert chosen is not None and chosen.sub_event_type == "Attack"
    assert snippet_acled([mention(sub=CLASH, negated=True)]) is None
    assert snippet_acled([mention(sub=CLASH, contexts=("referenced",))]) is None


def test_lead_sentence_wins_over_a_later_equal_mention() -> None:
    chosen = snippet_acled([mention(sub=CLASH, sentence=(60, 90)), mention(sub=AIR, sentence=(0, 50))])
    assert chosen is not None and chosen.sub_event_type == "Air/drone strike"


def test_territory_taken_in_the_same_sentence_replaces_the_clash() -> None:
    chosen = snippet_acled([mention(sub=CLASH, confidence=0.8), mention(sub=TERRITORY, confidence=0.6)])
    assert chosen is not None and chosen.sub_event_type == "Government regains territory"


def test_a_protest_police_broke_up_is_a_protest_with_intervention() -> None:
    chosen = snippet_acled(
        [mention("PROTEST", PEACEFUL, 0.8), mention("COERCE", INTERVENTION, 0.5, sentence=(60, 90))]
    )
    assert chosen is not None and chosen.sub_event_type == "Protest with intervention"


def _extraction(*mentions: Mention) -> Extraction:
    return Extraction(article=Article(body="x"), mentions=list(mentions))


def test_acled_scores_and_the_non_acled_rate() -> None:
    pairs = [
        (
            {"acled_event_type": "Battles", "acled_sub_event_type": "Armed clash"},
            _extraction(mention(sub=CLASH)),
        ),
        (
            {"acled_event_type": "Battles", "acled_sub_event_type": "Armed clash"},
            _extraction(mention(sub=AIR)),
        ),
        ({"acled_event_type": None, "label": "NATURAL_DISASTER"}, _extraction()),
        ({"acled_event_type": None, "label": "DIPLO"}, _extraction(mention(sub=CLASH))),
    ]
    scores = score_acled(pairs)
    assert scores["event_type_accuracy"] == 0.5
    assert scores["sub_event_type_accuracy"] == 0.5
    assert scores["non_acled_without_violent_event"] == 0.5
    assert scores["confusion_event_type"]["Battles"] == {"Battles": 1, "Explosions/Remote violence": 1}
    assert "| Battles | 1 | 1 |" in markdown_confusion(scores["confusion_event_type"])


def test_plover_agreement_counts_named_asserted_events() -> None:
    usa = ActorRef(text="US", span=(0, 2), id="USA", kind="state", country="USA")
    irq = ActorRef(text="Iraq", span=(10, 14), id="IRQ", kind="state", country="IRQ")
    gold = {
        "events": [
            {"source": "USA", "target": "IRQ", "event": "190"},
            {"source": "USA", "target": "IRQ", "event": "042"},
        ]
    }
    pairs = [
        (gold, _extraction(mention(actor1=usa, actor2=irq), mention("CONSULT", negated=True, actor1=usa))),
        ({"events": [], "noevents": True}, _extraction(mention())),  # no actor: PLOVER codes nothing
    ]
    scores = score_plover(pairs)
    assert scores["plover_type_agreement"] == 0.5  # ASSAULT found, CONSULT only negated
    assert scores["actor_country_agreement"] == 1.0
    assert scores["no_event_sentences_without_mention"] == 1.0


def test_eval_events_command_scores_a_snippet_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        {
            "text": "Russian warplanes carried out airstrikes on rebel positions in Idlib on Monday, killing "
            "six fighters, a war monitor said.",
            "acled_event_type": "Explosions/Remote violence",
            "acled_sub_event_type": "Air/drone strike",
        },
        {
            "text": "Thousands of teachers marched through the capital on Friday to demand higher pay.",
            "acled_event_type": "Protests",
            "acled_sub_event_type": "Peaceful protest",
        },
        {
            "text": "A powerful earthquake struck the island on Sunday, killing at least twelve people.",
            "acled_event_type": None,
            "acled_sub_event_type": None,
            "label": "NATURAL_DISASTER",
        },
    ]
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["eventwire", "eval", "events", str(gold), "--markdown"])
    code = 0
    try:
        main()
    except SystemExit as exc:  # main() exits only on errors
        code = int(exc.code or 0)
    out = capsys.readouterr().out
    assert code == 0
    scores = json.loads(out[: out.index("\n\n|")])
    assert scores["acled_snippets"] == 2
    assert scores["event_type_accuracy"] == 1.0
    assert scores["non_acled_without_violent_event"] == 1.0
    assert "| Protests |" in out
