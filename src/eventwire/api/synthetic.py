"""Synthetic extractions for load tests and pagination tests of the API: no spaCy, any size.

Each article is a short wire report assembled from a few sentence patterns; its mentions carry
exact spans into the body, real coordinates and ISO codes, and dates spread over a year, so the
API and the dashboard see realistic shapes. This is test scaffolding, not extracted data: the
``input_id`` of every article starts with ``synthetic:``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from eventwire.records import Acled, ActorRef, Article, Extraction, Mention, PlaceRef, TimeRef, Trigger

# (name, lat, lon, ISO alpha-3): facts about real places.
PLACES = [
    ("Aleppo", 36.2021, 37.1343, "SYR"),
    ("Mosul", 36.335, 43.1189, "IRQ"),
    ("Gao", 16.2717, -0.0447, "MLI"),
    ("Mogadishu", 2.0371, 45.3438, "SOM"),
    ("Goma", -1.6792, 29.2228, "COD"),
    ("Tripoli", 32.8872, 13.1913, "LBY"),
    ("Sittwe", 20.1462, 92.8983, "MMR"),
    ("Cucuta", 7.8939, -72.5078, "COL"),
    ("Niamey", 13.5137, 2.1098, "NER"),
    ("Kharkiv", 49.9808, 36.2527, "UKR"),
    ("Khartoum", 15.5007, 32.5599, "SDN"),
    ("Kabul", 34.5553, 69.2075, "AFG"),
]
# (actor as written, resolved name, kind, country)
ACTORS = [
    ("government troops", "Military Forces", "military", None),
    ("rebel fighters", "Rebels", "rebels", None),
    ("police", "Police Forces", "police", None),
    ("protesters", "Protesters", "protesters", None),
    ("the health ministry", "Ministry of Health", "government", None),
    ("militants", "Militants", "militia", None),
    ("aid workers", "Aid Workers", "ngo", None),
    ("villagers", "Civilians", "civilians", None),
]
# (PLOVER type, trigger verb, ACLED type, ACLED sub-type, sentence pattern)
PATTERNS = [
    (
        "ASSAULT",
        "attacked",
        "Battles",
        "Armed clash",
        "{a1} attacked {a2} near {place} on {day}, killing {n} people.",
    ),
    (
        "PROTEST",
        "marched",
        "Protests",
        "Peaceful protest",
        "{a1} marched through {place} on {day}, demanding the release of {a2}.",
    ),
    (
        "COERCE",
        "detained",
        "Strategic developments",
        "Arrests",
        "{a1} detained {n} {a2} in {place} on {day}, a spokesman said.",
    ),
    (
        "AID",
        "delivered",
        "Strategic developments",
        "Other",
        "{a1} delivered food to {a2} in {place} on {day}.",
    ),
    (
        "THREATEN",
        "warned",
        "Strategic developments",
        "Other",
        "{a1} warned {a2} in {place} on {day} of further strikes.",
    ),
    (
        "CONSULT",
        "met",
        "Strategic developments",
        "Agreement",
        "{a1} met {a2} in {place} on {day} to discuss a truce.",
    ),
]
_BOILERPLATE = "This report was compiled from agency copy. Additional reporting by staff."


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    role: str | None = None


def _sentence(rng: random.Random, day: date) -> tuple[list[_Piece], tuple[str, ...]]:
    kind, verb, acled, sub, pattern = rng.choice(PATTERNS)
    a1, a2 = rng.sample(ACTORS, 2)
    place = rng.choice(PLACES)
    values = {
        "a1": _Piece(a1[0].capitalize(), "a1"),
        "a2": _Piece(a2[0], "a2"),
        "place": _Piece(place[0], "place"),
        "day": _Piece(day.strftime("%d %B %Y").lstrip("0"), "day"),
        "n": _Piece(str(rng.randint(2, 40)), "n"),
    }
    pieces: list[_Piece] = []
    rest = pattern
    while "{" in rest:
        before, _, tail = rest.partition("{")
        key, _, rest = tail.partition("}")
        pieces.append(_Piece(before))
        pieces.append(values[key])
    pieces.append(_Piece(rest))
    # The trigger verb sits in a plain piece; mark it so its span is known.
    marked: list[_Piece] = []
    for piece in pieces:
        if piece.role is None and f" {verb} " in piece.text:
            head, _, tail = piece.text.partition(f" {verb} ")
            marked += [_Piece(head + " "), _Piece(verb, "trigger"), _Piece(" " + tail)]
        else:
            marked.append(piece)
    return marked, (kind, acled, sub, *[str(x) for x in a1], *[str(x) for x in a2], *map(str, place))


def synthetic_extraction(
    index: int, mentions: int, *, seed: int = 7, start: date = date(2024, 1, 1)
) -> Extraction:
    """Article ``index`` of a synthetic corpus with ``mentions`` event sentences."""
    rng = random.Random(seed * 1_000_003 + index)
    published = start + timedelta(days=rng.randint(0, 364))
    body = ""
    found: list[Mention] = []
    for _ in range(mentions):
        day = published - timedelta(days=rng.randint(0, 3))
        pieces, facts = _sentence(rng, day)
        kind, acled, sub = facts[0], facts[1], facts[2]
        a1, a2 = ACTORS_BY_TEXT[facts[3]], ACTORS_BY_TEXT[facts[7]]
        place = PLACES_BY_NAME[facts[11]]
        s0 = len(body)
        spans: dict[str, tuple[int, int]] = {}
        for piece in pieces:
            if piece.role:
                spans[piece.role] = (len(body), len(body) + len(piece.text))
            body += piece.text
        found.append(
            Mention(
                type=kind,
                trigger=Trigger(body[slice(*spans["trigger"])], spans["trigger"]),
                sentence=(s0, len(body)),
                acled=Acled(acled, sub),
                confidence=round(rng.uniform(0.5, 0.95), 2),
                actor1=ActorRef(body[slice(*spans["a1"])], spans["a1"], name=a1[1], kind=a1[2]),
                actor2=ActorRef(body[slice(*spans["a2"])], spans["a2"], name=a2[1], kind=a2[2]),
                place=PlaceRef(
                    body[slice(*spans["place"])],
                    spans["place"],
                    place[0],
                    None,
                    place[1],
                    place[2],
                    place[3],
                    precision="place",
                    score=0.9,
                    reason="synthetic",
                ),
                date=TimeRef(body[slice(*spans["day"])], spans["day"], day, day, "day", "synthetic"),
                fatalities=int(body[slice(*spans["n"])]) if kind == "ASSAULT" else None,
                rule="synthetic",
            )
        )
        body += " "
    body += _BOILERPLATE + f" Ref {index}."
    article = Article(
        body=body,
        title=f"Wire round-up {index}",
        input_id=f"synthetic:{index}",
        published=published,
        outlet=rng.choice(["Agence Synthese", "Wire Desk", "Field Post"]),
        url=f"https://news.example.org/roundup/{index}",
        language="en",
    )
    return Extraction(article, found, places=[m.place for m in found if m.place])


ACTORS_BY_TEXT = {a[0]: a for a in ACTORS}
PLACES_BY_NAME = {p[0]: p for p in PLACES}


def synthetic_corpus(articles: int, mentions: int, *, seed: int = 7) -> Iterator[Extraction]:
    """``articles`` synthetic extractions of ``mentions`` events each."""
    for index in range(articles):
        yield synthetic_extraction(index, mentions, seed=seed)
