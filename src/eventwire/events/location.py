"""Where an event happened when its own sentence names no place: the article's context.

News prose names a place once and then tells what happened there over several sentences:
"Police fired tear gas at protesters in central Nairobi. Demonstrators burned tyres and blocked
roads." The second sentence's events happened in Nairobi too. An event whose sentence names no
resolved place takes, in order:

1. the place of the nearest earlier event in the same paragraph;
2. the dateline place ("NAIROBI, March 3 (Wire) -"), where the reporter filed from, which wire
   style makes the default scene of the story.

Anything else stays without a place: a place from another paragraph is as likely to be a new
scene as the same one. The place keeps its span (where the name is written), and its reason
says that it came from context, so it can be audited or filtered out; its score is lowered.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from eventwire.records import Mention, PlaceRef

CONTEXT_DISCOUNT = 0.8  # an inherited place is less certain than a place named in the sentence

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def place_events_in_context(text: str, mentions: list[Mention], places: list[PlaceRef]) -> None:
    """Give each unplaced mention the place its context implies (in place; see module docstring)."""
    if not mentions or all(m.place is not None for m in mentions):
        return
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    dateline = _dateline_place(text, places)
    last_in_paragraph: dict[int, PlaceRef] = {}
    for mention in sorted(mentions, key=lambda m: m.sentence[0]):
        paragraph = bisect.bisect_right(breaks, mention.sentence[0])
        if mention.place is not None:
            if mention.place.lat is not None and not mention.place.reason.startswith("from context"):
                last_in_paragraph[paragraph] = mention.place
            continue
        earlier = last_in_paragraph.get(paragraph)
        if earlier is not None:
            mention.place = _inherited(earlier, "the place of an earlier event in the same paragraph")
        elif dateline is not None:
            mention.place = _inherited(dateline, "the dateline place, where the story was filed")


def _dateline_place(text: str, places: list[PlaceRef]) -> PlaceRef | None:
    """A resolved place written in capitals at the very start of the article ("GAO, Mali -")."""
    offset = len(text) - len(text.lstrip())
    return next(
        (
            p
            for p in places
            if p.span[0] == offset and p.lat is not None and p.text.isupper() and len(p.text) > 1
        ),
        None,
    )


def _inherited(place: PlaceRef, why: str) -> PlaceRef:
    reason = f"from context: {why} ('{place.text}')"
    return replace(place, score=round(place.score * CONTEXT_DISCOUNT, 3), reason=reason)
