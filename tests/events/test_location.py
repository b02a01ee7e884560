"""Events in sentences that name no place take the place their context implies, and say so."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.pipeline import Extractor
from eventwire.records import Article, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def mentions_of(extractor: Extractor, body: str) -> list[Mention]:
    article = Article(body=body, published=date(2025, 3, 4), language="en")
    return extractor.extract_one(article).mentions


def by_trigger(mentions: list[Mention], word: str) -> Mention:
    found = [m for m in mentions if m.trigger.text.startswith(word)]
    assert found, [(m.type, m.trigger.text) for m in mentions]
    return found[0]


WIRE_STORY = (
    "MOMBASA, March 3 (Coastline Wire) - Police fired tear gas at hundreds of protesters in "
    "Kisumu on Monday. Demonstrators burned tyres and blocked the main road to the airport.\n\n"
    "Officers arrested 14 people, a police spokesman said.\n\n"
    "In Nakuru, traders shut their shops in solidarity. Youths later stoned a police vehicle."
)


def test_a_sentence_without_a_place_takes_the_place_of_the_event_before_it(extractor: Extractor) -> None:
    mentions = mentions_of(extractor, WIRE_STORY)
    fired = by_trigger(mentions, "fired")
    assert fired.place is not None and fired.place.name == "Kisumu"
    assert not fired.place.reason.startswith("from context")
    blocked = by_trigger(mentions, "blocked")
    assert blocked.place is not None and blocked.place.name == "Kisumu"
    assert blocked.place.reason.startswith("from context: the place of an earlier event")
    assert blocked.place.score < fired.place.score
    # The span still points at the name as written, so the dashboard can show where it came from.
    assert WIRE_STORY[slice(*blocked.place.span)] == "Kisumu"


def test_a_new_paragraph_falls_back_to_the_dateline_not_to_the_last_place(extractor: Extractor) -> None:
    mentions = mentions_of(extractor, WIRE_STORY)
    arrested = by_trigger(mentions, "arrested")
    assert arrested.place is not None and arrested.place.name == "Mombasa"
    assert "dateline" in arrested.place.reason
    stoned = by_trigger(mentions, "stoned")
    assert stoned.place is not None and stoned.place.name == "Nakuru"  # same paragraph as Nakuru


def test_without_a_dateline_another_paragraph_stays_unplaced(extractor: Extractor) -> None:
    body = (
        "Soldiers clashed with gunmen near Bamenda on Saturday, the army said.\n\n"
        "The attackers later abducted two teachers, residents told reporters."
    )
    mentions = mentions_of(extractor, body)
    clashed = by_trigger(mentions, "clashed")
    assert clashed.place is not None and clashed.place.name == "Bamenda"
    abducted = by_trigger(mentions, "abducted")
    assert abducted.place is None
