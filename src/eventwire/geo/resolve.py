"""Toponym recognition and resolution: from a parsed Doc to every place it names, with a reason.

Recognition starts from spaCy's GPE/LOC/FAC entities and corrects them with the gazetteer: the small
model tags some cities NORP ("Aleppo") or PERSON ("Palmyra"), and misses others; those are accepted
when the gazetteer knows the name and the context says "place" (a preposition before it, "city of X",
"X province", "Danbury police"). Demonyms are never places here (see ``demonym_country``). Further
passes add what the model's tags miss: datelines, "X-based" modifiers, members of lists of places,
towns before their division ("Durant, Oklahoma"), toponyms inside organisation names ("Kentucky State
Police") and organisations named for an area ("EU"), both returned only on request and flagged since
they say who, not where, and one sense per discourse (a name taken as a place once is a place at its
other occurrences in the article).

Recognition reads the document as plain columns from one ``Doc.to_array`` call (``_Toks``) and
never builds a spaCy Token or Span object: that is where the time went.

Resolution weighs evidence, not just population: the countries the article names (places, demonyms,
the outlet's country), the kind of place (countries and capitals before villages), population on a
log scale, divisions the article names ("Paris" near "Texas"), "X, Y" qualifiers and distance to the
other places in the article. Every choice keeps its score and a short reason.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from typing import Any

from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, ORTH, POS, SENT_START, SPACY
from spacy.lang.lex_attrs import is_punct
from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc

from eventwire.geo.gazetteer import (
    KIND_CITY,
    KIND_CONTINENT,
    KIND_COUNTRY,
    KIND_REGION,
    LEVEL_LOOSE,
    LEVEL_NAME,
    LEVEL_STRIPPED,
    Candidate,
    Gazetteer,
    Place,
)
from eventwire.geo.normalise import ARABIC_ARTICLES, name_key
from eventwire.records import PlaceRef

log = logging.getLogger(__name__)

STRONG_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAK_LABELS = frozenset({"NORP", "PERSON", "ORG", "LANGUAGE", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


@dataclass(frozen=True, slots=True)
class _Cues:
    """Words around a name that make it a place, a division, a settlement or part of an organisation."""

    place_preps: frozenset[str]  # "in", "near", "of": a name after them is likely a place
    strong_preps: frozenset[str]  # enough on their own for a capitalised word spaCy did not tag
    admin_nouns: frozenset[str]  # "province", "governorate": "X province" is a division
    settlement_nouns: frozenset[str]  # "city", "town": "the town of X" is a settlement
    directions: dict[str, str]  # "northern", "north" -> "northern" ("northern Syria")
    connectors: frozenset[str]  # inside multi-word names ("Gulf of Aden", "Saint-Germain-en-Laye")
    org_heads: frozenset[str]  # "Iraqi Army": a place name used inside an organisation's name
    place_nouns: frozenset[str]  # admin and settlement nouns together
    area_demonyms: dict[str, str]  # "European" -> "Europe": adjectives of continents and regions
    generic_areas: frozenset[str]  # "Centre", "Southern": a division only in an article about its country
    local_nouns: frozenset[str]  # "Danbury police", "Nelson residents": lower-case, they make X a place
    local_org_heads: frozenset[str]  # "Beaconsfield Mayor", "Brant OPP": local bodies named for a town
    hyphen_cues: frozenset[str]  # "Kent-based", "U.S.-led": the name before the hyphen is a place
    street_heads: frozenset[str]  # "Falcon Street": the last word of a street's name
    # street and building heads as written in names: "Street", "STREET", "Stadium"
    facility_head_forms: frozenset[str]


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = json.loads((resources.files("eventwire") / "data" / "geo_cues.json").read_text(encoding="utf-8"))
    facility_heads = frozenset(data.get("street_heads", ())) | frozenset(data.get("building_heads", ()))
    return _Cues(
        place_preps=frozenset(data["place_preps"]),
        strong_preps=frozenset(data["strong_preps"]),
        admin_nouns=frozenset(data["admin_nouns"]),
        settlement_nouns=frozenset(data["settlement_nouns"]),
        directions=dict(data["directions"]),
        connectors=frozenset(data["connectors"]),
        org_heads=frozenset(data["org_heads"]),
        place_nouns=frozenset(data["admin_nouns"]) | frozenset(data["settlement_nouns"]),
        area_demonyms=dict(data.get("area_demonyms", {})),
        generic_areas=frozenset(data.get("generic_areas", ())),
        local_nouns=frozenset(data.get("local_nouns", ())),
        local_org_heads=frozenset(data.get("local_org_heads", ())),
        hyphen_cues=frozenset(data.get("hyphen_cues", ())),
        street_heads=frozenset(data.get("street_heads", ())),
        facility_head_forms=frozenset(f(w) for w in facility_heads for f in (str.capitalize, str.upper)),
    )


W_POP = 0.6  # per order of magnitude of population
W_ADMIN = 2.0  # the article names the division a city lies in
_POOL = 30  # candidates scored in the first pass (the gazetteer returns them biggest first)
_SHORTLIST = 6  # candidates carried to the second pass
_QUALIFIER_GAP = re.compile(r"\s*,\s*")
# "BEIRUT —", "WASHINGTON (Reuters) -", "DALLAS, Texas —": a dateline opens a line in capitals.
_DATELINE = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?=\s*(?:,|\(|—|–|--|- |:\s))")

_TITLE_DATELINE = re.compile(
    r"^[ \t]*([A-Z][a-z’'.-]+(?: [A-Z][a-z’'.-]+){0,2})(?=[ \t]*(?::[ \t]|—|–|--))", re.MULTILINE
)

# Capitalised at the start of a sentence, never the first word of a place name before "-based".
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "in",
        "at",
        "on",
        "by",
        "for",
        "from",
        "to",
        "of",
        "and",
        "but",
        "as",
        "with",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "that",
    ]
)

_Prior = tuple[Candidate, float, tuple[str, ...]]


class _Less:
    """``base - own`` as a Counter subtraction gives it (positive counts only), computed per lookup.

    The article's evidence without one name's own contribution, built for every distinct name: making
    a Counter each time cost more than all the lookups made through it.
    """

    __slots__ = ("base", "own")

    def __init__(self, base: Counter, own: Counter) -> None:
        self.base, self.own = base, own

    def get(self, key: object, default: float | None = None) -> float | None:
        value = self.base.get(key, 0) - self.own.get(key, 0)
        return value if value > 0 else default

    def top(self) -> float:
        """The largest positive count, 0 when there is none."""
        own = self.own
        return (
            max((v - own.get(k, 0) for k, v in self.base.items()), default=0)
            if own
            else max(self.base.values(), default=0)
        )


_EMPTY: Counter = Counter()  # candidate, context-free score, reasons


@dataclass(slots=True)
class _Mention:
    start: int  # char offsets into doc.text
    end: int
    text: str  # the name to look up
    label: str
    strong: bool
    admin_cue: bool = False
    settlement_cue: bool = False
    direction: str | None = None
    dir_start: int | None = None
    candidates: tuple[Candidate, ...] = ()
    qualifier: Place | None = None
    chosen: Candidate | None = None
    shortlist: list[_Prior] = field(default_factory=list)
    county: str | None = None  # "Metcalfe County": resolved to its state's point
    embedded: str | None = None  # the organisation name it is part of ("Kentucky State Police")
    anchor: _Mention | None = None  # a street or building: the place it is said to be in
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Recognised:
    """What recognition hands resolution: the document's text and words, and its toponym mentions."""

    text: str
    words: list[str]
    mentions: list[_Mention]


@functools.lru_cache(maxsize=1)
def _hyphen_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "Kent-based", "U.S.-led", "Abu Dhabi-based": the cue, then up to three capitalised words before it.

    The cue is searched first (it is rare), the name only in the few characters before each cue.
    """
    words = "|".join(sorted(_cues().hyphen_cues, key=len, reverse=True))
    cue = re.compile(rf"(?<=[\w.])-(?:{words})(?![\w-])")
    name = re.compile(r"(?<![\w.’'-])[A-Z][\w.’']*(?: [A-Z][\w.’']*){0,2}$")
    return cue, name


@functools.lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    text = (resources.files("eventwire") / "data" / "geo_not_places.jsonl").read_text(encoding="utf-8")
    return frozenset(name_key(json.loads(line)["name"]) for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=1)
def _org_areas() -> dict[str, str]:
    """Organisations named for the area their members cover ("EU" -> "Europe"), as written."""
    text = (resources.files("eventwire") / "data" / "geo_org_areas.jsonl").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            for name in (row["name"], *row["aliases"]):
                out[name] = row["area"]
    return out


@functools.lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    """Language names ("English", "Arabic"): spaCy's LANGUAGE entities that are not places."""
    import pycountry

    return frozenset(name_key(lang.name) for lang in pycountry.languages if getattr(lang, "name", None))


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict[str, tuple[str, str]]:
    """AP/CP state abbreviations ("Calif.") -> (division name, ISO3); used only after "Town," qualifiers."""
    text = (resources.files("eventwire") / "data" / "geo_state_abbreviations.jsonl").read_text(
        encoding="utf-8"
    )
    out = {}
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["abbr"]] = (row["admin1"], row["country"])
    return out


def _distance_km(a: Place, b: Place) -> float:
    """Equirectangular distance: plenty for "is it near" at city scale, and cheap."""
    lat = math.radians((a.lat + b.lat) / 2)
    dx = math.radians(b.lon - a.lon) * math.cos(lat)
    dy = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(dx, dy)


EMBEDDED_REASON = "part of the organisation name"


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


_ABBREV_WORDS = frozenset(["St.", "Mt.", "Ft."])
# Capitalised words a one-word DATE entity is right to be: never tried as place names.
_CALENDAR_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as words
        "january february march april may june july august september october november december jan feb"
        " mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday"
        " today tonight yesterday tomorrow easter christmas ramadan eid passover hanukkah diwali thanksgiving"
        " halloween lent advent noon midnight"
    ).split()
)
# How far from a division's point a town may be and still be taken to lie in it, for divisions the
# hierarchy does not link towns to: about the radius of a British county.
_UNFILED_DIVISION_KM = 60.0
_SEPS = ("", " ")
_ATTRS = [ORTH, SPACY, IDX, ENT_IOB, ENT_TYPE, POS, SENT_START]


class _Strings(dict[int, str]):
    """Hash -> string, filled from the current document's StringStore on a miss.

    Read through ``map(cache.__getitem__, hashes)``, so a whole column of token strings costs one C loop
    instead of a StringStore call (or a Token object) per token.
    """

    __slots__ = ("store",)

    def __init__(self) -> None:
        super().__init__()
        self.store: Any = None

    def __missing__(self, key: int) -> str:
        value = self[key] = self.store[key] if key else ""
        return value


class _Lower:
    """Lower-case token text, computed only for the positions recognition looks at."""

    __slots__ = ("tx",)

    def __init__(self, tx: list[str]) -> None:
        self.tx = tx

    def __getitem__(self, i: int) -> str:
        return self.tx[i].lower()

    def __len__(self) -> int:
        return len(self.tx)


@dataclass(slots=True)
class _Toks:
    """One document as plain Python columns: recognition never builds a spaCy Token or Span object.

    Token positions index every list; ``ents`` are (start, end, label) token ranges like ``doc.ents``.
    ``pos`` and ``sent`` stay numpy columns: only a few positions are ever read.
    """

    text: str
    tx: list[str]  # token text
    lw: _Lower  # lower-case token text (Token.lower_ is str.lower of the text in English)
    idx: list[int]  # character offset of each token
    iob: list[int]  # 1 inside, 2 outside, 3 begin, 0 unset
    pos: Any  # coarse part-of-speech symbol
    sent: Any  # 1 where a sentence starts
    ents: list[tuple[int, int, str]]
    ent_starts: list[int]

    def __len__(self) -> int:
        return len(self.tx)

    def end_char(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.idx[i] + len(self.tx[i])

    def span(self, start: int, end: int) -> str:
        """Text of tokens [start, end), sliced from the document text."""
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.tx[end - 1])]

    def label(self, i: int) -> str:
        """Entity label of token ``i`` ("" outside entities)."""
        k = bisect.bisect_right(self.ent_starts, i) - 1
        if k >= 0 and i < self.ents[k][1]:
            return self.ents[k][2]
        return ""

    def is_punct(self, i: int) -> bool:
        return is_punct(self.tx[i])

    def name_like(self, i: int) -> bool:
        word = self.tx[i]
        return (bool(word) and word[0].isupper() and word.isalpha()) or word in _ABBREV_WORDS


def _occurrences(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where the names occur as whole words, leftmost first, longest first, never overlapping.

    What ``re.finditer`` over an alternation of the names (longest first) finds, with ``str.find``
    instead of a pattern compiled per article.
    """
    found: list[tuple[int, int, int]] = []
    for name in names:
        pos = text.find(name)
        while pos != -1:
            end = pos + len(name)
            before = text[pos - 1] if pos else ""
            after = text[end] if end < len(text) else ""
            if not (before and (before.isalnum() or before in "_’'.-")) and not (
                after and (after.isalnum() or after in "_’-")
            ):
                found.append((pos, -len(name), end))
            pos = text.find(name, pos + 1)
    found.sort()
    out = []
    last = -1
    for pos, _, end in found:
        if pos >= last:
            out.append((pos, end))
            last = end
    return out


def _entity_ranges(iob: list[int], types: Any, strings: _Strings) -> list[tuple[int, int, str]]:
    """``doc.ents`` as token ranges, read from the IOB column (same rules as spaCy's ``Doc.ents``).

    An entity starts at a B tag with a type and runs to the next token that is not I. ``list.index``
    finds the B tags in C, so the loop runs once per entity, not once per token.
    """
    out = []
    n = len(iob)
    i = -1
    while True:
        try:
            i = iob.index(3, i + 1)
        except ValueError:
            return out
        label = strings[int(types[i])]
        if not label:
            continue
        end = i + 1
        while end < n and iob[end] == 1:
            end += 1
        out.append((i, end, label))


class PlaceResolver:
    """Finds and resolves the toponyms of a Doc. Cheap to call: lookups are cached in the gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._demonym_surface: dict[str, str] | None = None
        self._prior_cache: dict[tuple, tuple[tuple[Candidate, ...], tuple[_Prior, ...]]] = {}
        self._strings = _Strings()
        self._lock = threading.Lock()

    def _tokens(self, doc: Doc) -> _Toks:
        """The columns recognition reads, from one ``to_array`` call (``doc.text`` builds Token objects).

        Only the token strings, offsets, spaces and IOB tags become Python lists; the other columns are
        read at the few positions that need them.
        """
        arr = doc.to_array(_ATTRS)
        with self._lock:  # one shared cache; the StringStore it reads from is the document's
            cache = self._strings
            if len(cache) > 500_000:
                cache.clear()
            cache.store = doc.vocab.strings
            tx = list(map(cache.__getitem__, arr[:, 0].tolist()))
            iob = arr[:, 3].tolist()
            ents = _entity_ranges(iob, arr[:, 4], cache)
        pieces: list[str] = [""] * (2 * len(tx))
        pieces[::2] = tx
        pieces[1::2] = map(_SEPS.__getitem__, arr[:, 1].tolist())
        return _Toks(
            text="".join(pieces),
            tx=tx,
            lw=_Lower(tx),
            idx=arr[:, 2].tolist(),
            iob=iob,
            pos=arr[:, 5],
            sent=arr[:, 6],
            ents=ents,
            ent_starts=[e[0] for e in ents],
        )

    # ------------------------------------------------------------------------------------ public

    def demonym_country(self, text: str) -> str | None:
        """ISO3 of the country a demonym names ("Syrian" -> "SYR"), else None."""
        return self.gazetteer.demonym_country(text)

    def find_places(
        self, doc: Doc, *, outlet_country: str | None = None, embedded: bool = False
    ) -> list[PlaceRef]:
        """Every toponym in ``doc``, resolved; spans are character offsets into ``doc.text``.

        ``embedded`` also returns the toponyms inside organisation names ("Kentucky State Police",
        "Air Zimbabwe"). They are toponyms (gold sets count them) but say who, not where, so they are
        off by default, and when returned their reason starts with ``EMBEDDED_REASON`` and their
        precision is None, so an event coder can tell them apart. They are always used as evidence.
        """
        return self.resolve(self.recognise(doc), outlet_country=outlet_country, embedded=embedded)

    def recognise(self, doc: Doc) -> Recognised:
        """First half of ``find_places``: the toponyms of ``doc`` with their gazetteer candidates.

        Split from ``resolve`` so that the two costs can be measured apart (``benchmarks/bench_geo.py``).
        """
        if not len(doc):
            return Recognised("", [], [])
        t = self._tokens(doc)
        return Recognised(t.text, t.tx, self._recognise(t))

    def resolve(
        self, found: Recognised, *, outlet_country: str | None = None, embedded: bool = False
    ) -> list[PlaceRef]:
        """Second half of ``find_places``: choose each toponym's place from the article's evidence.

        Consumes ``found``: its mentions are resolved in place, so each ``Recognised`` is used once.
        """
        mentions = found.mentions
        if not mentions:
            return []
        text = found.text
        self._attach_qualifiers(text, mentions)
        self._resolve(found.words, mentions, outlet_country)
        for m in mentions:
            if m.anchor is not None and m.anchor.chosen is not None:
                m.chosen, m.score = m.anchor.chosen, m.anchor.score
                where = "street" if m.label == "ST" else "building or site"
                m.reasons = [f"a {where} the article places at {m.anchor.text}"]
        return [
            self._to_ref(text, m)
            for m in mentions
            if m.chosen is not None and (embedded or m.embedded is None)
        ]

    def find_demonyms(self, doc: Doc) -> list[PlaceRef]:
        """Demonyms and country adjectives ("Syrian") as country-precision refs, for those who want them.

        Not places of events; kept apart from ``find_places`` and offered for evaluation and actor coding.
        """
        out: list[PlaceRef] = []
        if not len(doc):
            return out
        t = self._tokens(doc)
        n = len(t.tx)
        i = 0
        while i < n:
            if not t.tx[i][:1].isupper() or t.lw[i] == "the":
                i += 1
                continue
            # Longest first: "South Korean" and "Sri Lankan" are one demonym, not "South" + "Korean".
            for width in (3, 2, 1):
                if i + width > n or not all(w[:1].isupper() for w in t.tx[i + 1 : i + width]):
                    continue
                ref = self._demonym_ref(t, i, i + width)
                if ref is not None:
                    out.append(ref)
                    i += width
                    break
            else:
                i += 1
        return out

    def _demonym_ref(self, t: _Toks, start: int, end: int) -> PlaceRef | None:
        """The country or area the words [start, end) are the adjective of, as a ref; else None.

        A word that is also a language ("English", "Russian") does not count where it names the
        language (``_names_language``).
        """
        word = t.span(start, end)
        iso3 = self.gazetteer.demonym_country(word)
        area = None if iso3 is not None else self._area(_cues().area_demonyms.get(word))
        if iso3 is None and area is None:
            return None
        if name_key(word) in _languages() and self._names_language(t, start, end):
            return None
        if area is not None:
            place, precision, reason = area, "region", f"adjective of {area.name}"
        else:
            place = self.gazetteer.country(iso3) if iso3 else None
            if place is None:
                return None
            precision, reason = "country", f"demonym of {iso3}"
        return PlaceRef(
            text=word,
            span=(t.idx[start], t.end_char(end - 1)),
            name=place.name,
            geonameid=place.geonameid,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            feature_code=place.feature_code,
            precision=precision,
            score=1.0,
            reason=reason,
        )

    @staticmethod
    def _names_language(t: _Toks, start: int, end: int) -> bool:
        """ "wrote in English.", "speaks French, and", "read in Korean and in English": the word
        ends a phrase, or follows "in" without a noun after it ("in Korean waters" is Korea's)."""
        if end == len(t.tx) or (t.is_punct(end) and t.tx[end] != "-"):
            return True
        return start > 0 and t.lw[start - 1] == "in" and t.pos[end] not in (NOUN, PROPN)

    def _area(self, name: str | None) -> Place | None:
        """The continent or region an area adjective names ("European" -> Europe), if the index has it."""
        if name is None:
            return None
        for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME):
            if c.place.kind in (KIND_CONTINENT, KIND_REGION) and not c.alternate:
                return c.place
        return None

    def _in_area(self, p: Place, area: Place) -> bool:
        """Whether ``p`` lies in the country or division ``area``: by the hierarchy, or by distance for
        divisions no town is filed under (British counties, say)."""
        if area.kind == KIND_COUNTRY:
            return p.country == area.country
        if p.admin1_pid == area.pid:
            return True
        return (
            p.country == area.country
            and area.feature_code == "ADM1"
            and not self.gazetteer.has_towns(area.pid)
            and _distance_km(p, area) <= _UNFILED_DIVISION_KM
        )

    # ------------------------------------------------------------------------------- recognition

    def _recognise(self, t: _Toks) -> list[_Mention]:
        text = t.text
        covered: set[int] = set()  # token indices already used by a mention or an entity
        mentions: list[_Mention] = []
        not_places = _not_places()
        ent_tokens: set[int] = set()
        person_parts: set[str] = set()  # "Tyler" after "John Tyler": a person, not Tyler, Texas
        for start, end, label in t.ents:
            if label in ("DATE", "TIME") and end - start == 1 and t.lw[start] not in _CALENDAR_WORDS:
                continue  # "in Manbij near the border" tagged DATE: left to the gazetteer scan
            ent_tokens.update(range(start, end))
            if label == "PERSON" and end - start > 1:
                person_parts.update(w for w in t.span(start, end).split() if w[:1].isupper())
        orgs: list[tuple[int, int]] = []  # organisation names that may contain a toponym
        money: list[tuple[int, int]] = []  # character ranges of amounts of money
        for e_start, e_end, label in t.ents:
            if label == "MONEY":
                orgs.append((e_start, e_end))  # "43.8 billion US dollars": the country the currency is of
                money.append((t.idx[e_start], t.end_char(e_end - 1)))
                continue
            if label not in STRONG_LABELS and label not in WEAK_LABELS:
                continue
            trimmed = self._trim(t, e_start, e_end)
            if trimmed is None:
                continue
            start, end = trimmed
            span_text = t.span(start, end)
            if name_key(span_text) in not_places:
                continue
            if self._followed_by_org_head(t, end):
                orgs.append((start, end + 1))
                continue
            # "Trinidad and Tobago" is one name; "the towns of Haris and Varzaqan" are two.
            conjoined = (
                (" and " in span_text or " or " in span_text)
                and not self.gazetteer.knows(span_text)
                and (
                    label in STRONG_LABELS
                    or self._plural_place_noun_before(t, start)
                    or any(
                        self._unmistakable(t.span(a, b)) for a, b in self._split_commas(t, start, end, True)
                    )
                )
            )
            parts = (
                self._split_commas(t, start, end, conjoined)
                if "," in span_text or conjoined
                else [(start, end)]
            )
            found = False
            for p_start, p_end in parts:
                m = self._mention_from_span(t, p_start, p_end, label)
                if m is not None and m.text in person_parts and not self._is_major(m):
                    continue
                if m is not None:
                    found = True
                    mentions.append(m)
                    covered.update(range(p_start, p_end))
            if not found and label in ("ORG", "FAC", "GPE") and end - start > 1:
                orgs.append((start, end))
        mentions.extend(self._gazetteer_scan(t, ent_tokens | covered, orgs))
        mentions.extend(self._datelines(t, mentions))
        mentions.extend(self._abbreviation_qualifiers(text, mentions))
        mentions.extend(self._hyphen_places(text, mentions))
        mentions.extend(self._coordinated(t, mentions, person_parts))
        mentions.extend(self._qualified_towns(t, mentions))
        for m in self._embedded(t, orgs, mentions):
            if any(a <= m.start < b for a, b in money):
                m.label = "CURRENCY"  # a toponym all the same, but no evidence of where the story is
            mentions.append(m)
        mentions.extend(self._org_area_names(text, mentions))
        mentions.sort(key=lambda m: m.start)
        mentions.extend(self._same_name_again(t, mentions, person_parts))
        mentions.sort(key=lambda m: m.start)
        # Drop mentions nested in others (an entity inside a longer gazetteer name, say).
        out: list[_Mention] = []
        for m in mentions:
            if out and m.start < out[-1].end:
                if (m.end - m.start) > (out[-1].end - out[-1].start):
                    out[-1] = m
                continue
            out.append(m)
        facilities = self._facilities(t, out)
        if facilities:
            # "Falcon Street in London": the street, not a namesake of "Falcon" inside its name.
            out = [
                m
                for m in out
                if m.embedded is None or not any(f.start <= m.start < f.end for f in facilities)
            ]
            out.extend(facilities)
            out.sort(key=lambda m: m.start)
        return out

    def _facilities(self, t: _Toks, mentions: list[_Mention]) -> list[_Mention]:
        """Streets and buildings at a named place: "Falcon Street in London", "Seoul's Jamsil Stadium",
        "the Convention Centre, Dublin".

        No gazetteer has them, but the article says where they are: each is resolved to that place
        (``anchor``), so the map pin is the town's, and the toponym is not lost. A name ending in a
        street or building word, with no place said around it, stays out.
        """
        cues = _cues()
        heads = cues.facility_head_forms
        starts = t.idx
        by_start = {m.start: m for m in mentions if m.embedded is None and m.candidates}
        taken = [(m.start, m.end) for m in mentions if m.embedded is None]
        out: list[_Mention] = []
        n = len(t.tx)
        # Capitalised head words ("Street", "STADIUM"), found in C: no per-token Python work.
        for h in itertools.compress(range(n), map(heads.__contains__, t.tx)):
            if h == 0:
                continue
            lo = h
            while lo > 0 and h - lo < 5 and (t.name_like(lo - 1) or t.tx[lo - 1][:1].isdigit()):
                lo -= 1
            while lo < h and self.gazetteer.demonym_country(t.tx[lo]):
                lo += 1  # "the Turkish Embassy in Moscow": Turkey's, not a building's name of Moscow
            if lo == h or not t.name_like(lo):
                continue  # a name before the head word, starting with a capital ("Third Street")
            s, e = starts[lo], t.end_char(h)
            if any(a < e and s < b for a, b in taken):
                continue
            anchor = None
            nxt = h + 1
            if nxt < n and t.tx[nxt] == ",":
                nxt += 1  # "the Convention Centre, Dublin"
            elif nxt < n and t.lw[nxt] in ("in", "at", "near", "outside", "off"):
                nxt += 1  # "Falcon Street in London"
            else:
                nxt = -1
            if nxt > h and nxt < n:
                anchor = by_start.get(starts[nxt])
            if anchor is None and lo >= 2 and t.lw[lo - 1] in ("'s", "’s"):
                anchor = next((m for m in mentions if m.end == t.end_char(lo - 2) and m.candidates), None)
            if anchor is None:
                continue
            name = t.span(lo, h + 1)
            kind = "ST" if t.lw[h] in cues.street_heads else "BLDG"
            out.append(_Mention(s, e, name, kind, strong=False, anchor=anchor))
            taken.append((s, e))
        return out

    def _embedded(self, t: _Toks, orgs: list[tuple[int, int]], mentions: list[_Mention]) -> list[_Mention]:
        """Toponyms inside organisation names: "Kentucky State Police", "Air Zimbabwe", "Pakistan Army".

        Only names that are unmistakably places are taken from inside an organisation's name: countries,
        continents, first-order divisions and curated regions, cities of 100,000 or more, and names the
        article itself uses as places elsewhere. "Apple" or "Ford" never qualify.
        """
        if not orgs:
            return []
        gaz = self.gazetteer
        text = t.text
        taken = [(m.start, m.end) for m in mentions]
        named = {name_key(m.text) for m in mentions}
        # "South Central Ambulance Service", "Convention Centre": words that name divisions somewhere
        # (Cameroon's Centre, Sudan's Northern) but inside a name are just words.
        cues = _cues()
        generic = {*cues.directions, *cues.place_nouns, *cues.org_heads, "centre", "center", "central"}
        out: list[_Mention] = []
        starts, words = t.idx, t.tx

        def word_ok(i: int) -> bool:  # a capitalised word
            word = words[i]
            return (word[:1].isupper() and word.isalpha()) or word in ("U.S.", "U.K.", "St.", "Mt.", "Ft.")

        for org_start, end in orgs:
            pos = org_start
            org_text = t.span(org_start, end)
            while pos < end:
                if not word_ok(pos):
                    pos += 1
                    continue
                # The second half of "Miami-Dade" is no town of its own: no lowered bar for it.
                attached = pos > 0 and t.tx[pos - 1] == "-" and t.idx[pos - 1] + 1 == t.idx[pos]
                hit = None
                for stop in range(min(end, pos + 4), pos, -1):
                    if not word_ok(stop - 1):
                        continue
                    s, e = starts[pos], t.end_char(stop - 1)
                    if e - s == len(org_text):
                        continue  # the whole name: already refused as a place
                    name = text[s:e]
                    key = name_key(name)
                    if key in _not_places() or gaz.demonym_country(name) or key in generic:
                        continue
                    cands = tuple(c for c in gaz.lookup(name, max_level=LEVEL_NAME) if not c.alternate)
                    if stop < len(starts) and t.lw[stop] == "county":
                        county = self._county(t, pos, stop, name, cands)
                        if county is not None:
                            hit = (s, e, name, county[1], stop, county[0])
                            break
                    if not cands:
                        continue
                    if _is_acronym(name) and not any(c.place.kind == KIND_COUNTRY for c in cands):
                        continue
                    # "Brant OPP", "Litchfield Superior Court": a local body is named for its town.
                    local_body = stop < len(t.lw) and t.lw[stop] in cues.local_org_heads and not attached
                    if key in named or any(
                        c.place.kind in (KIND_COUNTRY, KIND_CONTINENT)
                        or (
                            c.place.kind == KIND_REGION and (c.place.feature_code == "ADM1" or stop - pos > 1)
                        )
                        or c.place.population >= (1000 if local_body else 100_000)
                        for c in cands
                    ):
                        hit = (s, e, name, cands, stop, None)
                        break
                if hit is None:
                    pos += 1
                    continue
                s, e, name, cands, pos, county_name = hit
                if any(a < e and s < b for a, b in taken):
                    continue
                out.append(
                    _Mention(
                        s,
                        e,
                        name,
                        "EMBEDDED",
                        strong=False,
                        candidates=cands,
                        embedded=org_text,
                        county=county_name,
                    )
                )
                taken.append((s, e))
        return out

    def _hyphen_places(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """ "a Kent-based team", "the U.S.-led coalition": a name before "-based", "-led" is a place.

        The model rarely tags these (or tags "Kent" PERSON), and "U.S.-led" is one token. Demonyms
        ("Russian-backed") are left to ``find_demonyms``.
        """
        out = []
        gaz = self.gazetteer
        cue, before = _hyphen_patterns()
        for hit in cue.finditer(text):
            e = hit.start()
            match = before.search(text, max(0, e - 60), e)
            if match is None:
                continue
            s = match.start()
            if any(m.start < e and s < m.end for m in mentions):
                continue
            name = match.group()
            words = name.split(" ")
            while len(words) > 1 and words[0].lower() in _FUNCTION_WORDS:  # "A Kent-based", "In U.S.-led"
                s += len(words.pop(0)) + 1
            name = " ".join(words)
            if gaz.demonym_country(name) or name_key(name) in _not_places():
                continue
            cands = tuple(
                c
                for c in gaz.lookup(name, max_level=LEVEL_NAME)
                if not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 1000)
            )
            if cands and not (_is_acronym(name) and all(c.place.kind == KIND_CITY for c in cands)):
                out.append(_Mention(s, e, name, "HYPHEN", strong=False, candidates=cands))
        return out

    def _qualified_towns(self, t: _Toks, mentions: list[_Mention]) -> list[_Mention]:
        """ "Leonard of Ada, Oklahoma", "Knockhill, Fife": a name just before ", <division>" is a town of
        that division when the gazetteer has a town of that name in it, whatever the model tagged.

        The qualifier is the evidence, so the name need not be big; it must be capitalised, not a
        demonym, and not already part of a mention.
        """
        starts = t.idx
        taken = [(m.start, m.end) for m in mentions]
        out: list[_Mention] = []
        for m in mentions:
            areas = [
                c.place
                for c in m.candidates
                if not c.alternate
                and c.place.kind in (KIND_REGION, KIND_COUNTRY)
                and c.place.feature_code != "RGN"
            ]
            if not areas or m.embedded is not None:
                continue
            i = bisect.bisect_left(starts, m.start)
            if i < 2 or i >= len(starts) or starts[i] != m.start or t.tx[i - 1] != ",":
                continue
            k = i - 2
            first = self._name_run(t, k, -1) + 1
            for lo in range(first, k + 1):  # longest name first
                s, e = starts[lo], t.end_char(k)
                if any(a < e and s < b for a, b in taken):
                    continue
                name = t.span(lo, k + 1)
                if self.gazetteer.demonym_country(name) or name_key(name) in _not_places():
                    continue
                towns = tuple(
                    c
                    for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME)
                    if not c.alternate
                    and c.place.kind == KIND_CITY
                    and any(self._in_area(c.place, a) for a in areas)
                )
                if towns:
                    out.append(_Mention(s, e, name, "QUALIFIED", strong=False, candidates=towns))
                    taken.append((s, e))
                    break
        return out

    def _coordinated(self, t: _Toks, mentions: list[_Mention], person_parts: set[str]) -> list[_Mention]:
        """Lists of places: "the villages of Foua and Kfraya", "Heathrow and Gatwick", "Hornsey, Stoke
        Newington and Walthamstow".

        A capitalised gazetteer name joined by "and", "or" or a list comma to a name already taken as a
        place is a place too, and inherits its settlement or division cue; the small model often tags
        only one member of a list, or tags the rest PERSON or ORG. Persons' names, organisation names
        ("Enfield Council") and demonyms stay out.
        """
        starts = t.idx
        queue: list[tuple[int, int, _Mention]] = []
        for m in mentions:
            if m.embedded is not None or m.direction is not None or m.label in ("DATELINE", "ABBR"):
                continue
            i = bisect.bisect_left(starts, m.start)
            if i < len(starts) and starts[i] == m.start:
                queue.append((i, bisect.bisect_left(starts, m.end), m))
        taken = [(m.start, m.end) for m in mentions]
        out: list[_Mention] = []
        while queue:
            i, j, src = queue.pop()
            for run in (self._conjunct_after(t, j), self._conjunct_before(t, i)):
                if run is None:
                    continue
                s, e = starts[run[0]], t.end_char(run[1] - 1)
                if any(a < e and s < b for a, b in taken):
                    continue
                m = self._conjunct_mention(t, run[0], run[1], src, person_parts)
                if m is not None:
                    out.append(m)
                    taken.append((m.start, m.end))
                    queue.append((run[0], run[1], m))
        return out

    @staticmethod
    def _name_run(t: _Toks, k: int, step: int) -> int:
        """Where a run of capitalised name tokens from ``k`` (walking by ``step``) stops (at most 4)."""
        n = 0
        while 0 <= k < len(t.tx) and t.name_like(k) and n < 4:
            k += step
            n += 1
        return k

    def _conjunct_after(self, t: _Toks, j: int) -> tuple[int, int] | None:
        if j >= len(t.tx):
            return None
        word = t.lw[j]
        if word in ("and", "or"):
            k = j + 1
        elif word == ",":
            k = j + 2 if j + 1 < len(t.tx) and t.lw[j + 1] in ("and", "or") else j + 1
        else:
            return None
        end = self._name_run(t, k, 1)
        if end == k:
            return None
        if word == "," and k == j + 1 and not (end < len(t.tx) and t.lw[end] in (",", "and", "or")):
            return None  # "in London, Johnson said": a comma alone makes a list only if the list goes on
        return k, end

    def _conjunct_before(self, t: _Toks, i: int) -> tuple[int, int] | None:
        if i < 2 or t.lw[i - 1] not in ("and", "or"):
            return None
        k = i - 2
        if t.tx[k] == ",":
            k -= 1
        start = self._name_run(t, k, -1) + 1
        return (start, k + 1) if start <= k else None

    def _conjunct_mention(
        self, t: _Toks, start: int, end: int, src: _Mention, person_parts: set[str]
    ) -> _Mention | None:
        gaz = self.gazetteer
        name = t.span(start, end)
        label = t.label(start)
        if (
            name in person_parts
            or gaz.demonym_country(name)
            or name_key(name) in _not_places()
            or self._followed_by_org_head(t, end)
            or (
                label and end < len(t.iob) and t.iob[end] == 1
            )  # the entity goes on: "Wood Green Crown Court"
            or (label == "PERSON" and end - start > 1)
        ):
            return None
        cands = tuple(
            c
            for c in gaz.lookup(name, max_level=LEVEL_NAME)
            if not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 1000)
        )
        if not cands:
            return None
        area = any(c.place.kind != KIND_CITY for c in cands)
        if (_is_acronym(name) and not area) or (t.pos[start] != PROPN and not area):
            return None
        _, admin_cue, settlement_cue = self._context_cues(t, start, end)
        return _Mention(
            t.idx[start],
            t.end_char(end - 1),
            name,
            "LIST",
            strong=False,
            admin_cue=admin_cue or src.admin_cue,
            settlement_cue=settlement_cue or src.settlement_cue,
            candidates=cands,
        )

    def _org_area_names(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """ "EU", "African Union": organisations that name the area their members cover.

        Gold sets geocode them to the continent, so they are toponyms; they say who acts, never where,
        so they are flagged like the places inside organisation names.
        """
        areas = _org_areas()
        hits = [
            (s, e)
            for s, e in _occurrences(text, areas)
            if not any(m.start < e and s < m.end for m in mentions)
        ]
        out = []
        for s, e in hits:
            name = text[s:e]
            area = self._area(areas[name])
            if area is not None:
                out.append(
                    _Mention(
                        s,
                        e,
                        name,
                        "ORGAREA",
                        strong=False,
                        candidates=self._area_candidates(area),
                        embedded=name,
                    )
                )
        return out

    def _area_candidates(self, area: Place) -> tuple[Candidate, ...]:
        return tuple(
            c for c in self.gazetteer.lookup(area.name, max_level=LEVEL_NAME) if c.place.pid == area.pid
        )

    def _same_name_again(self, t: _Toks, mentions: list[_Mention], person_parts: set[str]) -> list[_Mention]:
        """One sense per discourse: a name taken as a place once is a place at its other occurrences.

        The small model tags the same word GPE in one sentence and PERSON, ORG or nothing in the next
        ("forces entered Raqqa ... to retake Raqqa"). Occurrences inside a longer person's name, or
        inside an organisation's name (those are embedded toponyms), keep that reading.
        """
        text = t.text
        names: dict[str, _Mention] = {}
        for m in mentions:
            if (
                m.embedded is None
                and m.direction is None
                and m.county is None
                and m.text[:1].isupper()
                and len(m.text) >= 3
                and m.text not in person_parts
                and (m.strong or any(c.level == LEVEL_NAME and not c.alternate for c in m.candidates))
            ):
                names.setdefault(m.text, m)
        if names:
            # A name the model tags as a person more often than as a place is a person ("Noma said").
            votes: Counter[str] = Counter()
            for start, end, label in t.ents:
                ent_text = t.span(start, end)
                if ent_text in names:
                    votes[ent_text] += 1 if label in STRONG_LABELS else -1 if label == "PERSON" else 0
            names = {n: m for n, m in names.items() if votes[n] >= 0 or self._area_name(m.candidates, n)}
        if not names:
            return []
        taken = sorted((m.start, m.end) for m in mentions)
        starts = [a for a, _ in taken]
        out: list[_Mention] = []
        tok_starts, iob = t.idx, t.iob
        for s, e in _occurrences(text, names):
            i = bisect.bisect_right(starts, s) - 1
            if (i >= 0 and taken[i][1] > s) or (i + 1 < len(taken) and taken[i + 1][0] < e):
                continue
            first = bisect.bisect_left(tok_starts, s)
            if first >= len(tok_starts) or tok_starts[first] != s:
                continue  # not at a token boundary
            after = bisect.bisect_left(tok_starts, e)
            continues = after < len(iob) and iob[after] == 1  # the entity goes on after the name
            ent_label = t.label(first)
            if ent_label == "PERSON" and (iob[first] != 3 or continues):
                continue  # part of a longer person's name
            src = names[text[s:e]]
            embedded = None
            if ent_label in ("ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT") and (
                iob[first] == 1 or continues
            ):
                embedded = text[s:e]  # inside a longer organisation name
            out.append(
                _Mention(
                    s,
                    e,
                    src.text,
                    "DISCOURSE",
                    strong=False,
                    admin_cue=src.admin_cue,
                    settlement_cue=src.settlement_cue,
                    candidates=src.candidates,
                    embedded=embedded,
                )
            )
        return out

    @staticmethod
    def _trim(t: _Toks, start: int, end: int) -> tuple[int, int] | None:
        text = t.span(start, end)
        if (
            text[0].isalnum()
            and text[-1].isalnum()
            and text[:4].lower() != "the "
            and text.lower() != "the"
            and not text.endswith(("'s", "’s"))
        ):
            return start, end  # nothing to trim
        lw, punct = t.lw, t.is_punct
        if not (punct(start) or punct(end - 1) or lw[start] == "the" or lw[end - 1] in ("'s", "’s")):
            return start, end
        while start < end and (lw[start] in ("the", "'s") or punct(start)):
            start += 1
        while end > start and (lw[end - 1] in ("'s", "’s") or punct(end - 1)) and t.tx[end - 1] != ".":
            end -= 1
        if end <= start:
            return None
        return start, end

    @staticmethod
    def _followed_by_org_head(t: _Toks, end: int) -> bool:
        """ "Iraqi Army", "Turkish Airlines": a place name used as part of an organisation's name."""
        if end < len(t.tx):
            return t.tx[end][:1].isupper() and t.lw[end] in _cues().org_heads
        return False

    def _unmistakable(self, name: str) -> bool:
        """A country, continent, first-order division or city of 100,000 people by its own name."""
        return any(
            not c.alternate
            and (
                c.place.kind in (KIND_COUNTRY, KIND_CONTINENT)
                or c.place.feature_code == "ADM1"
                or c.place.population >= 100_000
            )
            for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME)
        )

    @staticmethod
    def _plural_place_noun_before(t: _Toks, start: int) -> bool:
        """ "the towns of X and Y", "the provinces of X and Y": a list of places follows."""
        if start < 2 or t.lw[start - 1] != "of":
            return False
        noun = t.lw[start - 2]
        cues = _cues()
        return noun.endswith("s") and (noun[:-1] in cues.place_nouns or noun == "cities")

    @staticmethod
    def _split_commas(t: _Toks, start: int, end: int, conjoined: bool = False) -> list[tuple[int, int]]:
        """ "Paris, Texas" tagged as one entity: two toponyms, the second qualifying the first.

        With ``conjoined``, "Haris and Varzaqan" tagged as one entity is two names too; each part must
        still pass as a place.
        """
        parts = []
        first = start
        seps = (",", "and", "or") if conjoined else (",",)
        for i in range(start, end):
            if t.tx[i] in seps:
                if i > first:
                    parts.append((first, i))
                first = i + 1
        if first < end:
            parts.append((first, end))
        return parts

    def _context_cues(self, t: _Toks, start: int, end: int) -> tuple[bool, bool, bool]:
        """(place cue, admin cue, settlement cue) around tokens [start, end)."""
        lw = t.lw
        cues = _cues()
        prev_i = start - 1
        while prev_i >= 0 and lw[prev_i] in ("the", "a", "an"):
            prev_i -= 1
        prev = lw[prev_i] if prev_i >= 0 else ""
        nxt = lw[end] if end < len(lw) else ""
        admin = nxt in cues.admin_nouns
        settlement = nxt in cues.settlement_nouns
        if prev == "of" and prev_i >= 1:
            noun = lw[prev_i - 1]
            single = noun[:-1] if noun.endswith("s") else noun  # "the towns of X and Y"
            admin = admin or noun in cues.admin_nouns or single in cues.admin_nouns or noun == "governorates"
            settlement = settlement or noun in cues.settlement_nouns or single in cues.settlement_nouns
        place = prev in cues.place_preps or admin or settlement or prev in cues.directions
        if nxt == "," and end + 1 < len(lw) and t.tx[end + 1][:1].isupper():
            place = True  # "Palmyra, Syria"
        elif nxt in cues.local_nouns and t.tx[end][:1].islower():
            place = True  # "Danbury police", "Tabriz residents"
        if (
            prev_i >= 1
            and t.tx[prev_i] == ","
            and t.label(prev_i - 1) in STRONG_LABELS
            and not (end < len(lw) and t.pos[end] in (VERB, AUX))
        ):
            place = True  # "Syria, Palmyra" lists, but not "In London, Johnson said"
        return place, admin, settlement

    def _mention_from_span(self, t: _Toks, start: int, end: int, label: str) -> _Mention | None:
        strong = label in STRONG_LABELS
        text = t.span(start, end)
        gaz = self.gazetteer
        cues = _cues()
        if end - start > 1 and t.lw[start] in cues.directions and not gaz.knows(text):
            # "Western Canada", "South Florida": the direction is a cue (``_attach_direction``), the rest
            # is the name.
            rest = t.span(start + 1, end)
            if rest[:1].isupper() and any(
                not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 100_000)
                for c in gaz.lookup(rest, max_level=LEVEL_NAME)
            ):  # only areas and big cities: "West Wing" is not the village of Wing
                start, text = start + 1, rest
        if not strong and not gaz.knows(text) and text.rsplit(None, 1)[-1].lower() not in cues.place_nouns:
            return None  # most ORG/PERSON entities: one cached lookup and out
        if label in ("NORP", "LANGUAGE") and (gaz.demonym_country(text) or name_key(text) in _languages()):
            return None
        if (
            label == "NORP"
            and end < len(t.tx)
            and t.pos[end] == NOUN
            and t.tx[end].islower()
            and t.lw[end] not in cues.local_nouns
            and t.lw[end] not in cues.place_nouns
        ):
            return None  # "Arab leaders", "Kurdish fighters": a people's adjective, not Arab, Alabama
        place_cue, admin_cue, settlement_cue = self._context_cues(t, start, end)
        # An entity cut short ("Zor" of "Deir al-Zor"): the longest gazetteer name around it wins.
        grown = self._grow(t, start, end)
        if grown is not None:
            start, end = grown
            text = t.span(start, end)
            place_cue, admin_cue, settlement_cue = self._context_cues(t, start, end)
        # "Deir al-Zor Province" inside the entity: the suffix is a cue, not part of the name.
        if end - start > 1 and t.lw[end - 1] in cues.place_nouns and not gaz.knows(text):
            admin_cue = admin_cue or t.lw[end - 1] in cues.admin_nouns
            settlement_cue = settlement_cue or t.lw[end - 1] in cues.settlement_nouns
            text = t.span(start, end - 1)
        abbrev = _abbreviations().get(t.span(start, end))
        if abbrev is not None:  # "Mo.", "Ky." tagged on their own
            cands = self._state_candidates([abbrev[0]], abbrev[1])
        else:
            cands = gaz.lookup(text, max_level=LEVEL_LOOSE if strong else LEVEL_NAME)
        county = self._county(t, start, end, text, cands)
        if county is not None:
            cands = county[1]
        if not cands:
            return None
        if _is_acronym(text) and not any(c.place.kind != KIND_CITY and not c.alternate for c in cands):
            return None  # "APC", "CIS": acronyms that happen to be village names
        if not strong:
            if not (place_cue or admin_cue or settlement_cue):
                cands = tuple(c for c in cands if not c.alternate or c.place.population >= 100_000)
            if not cands:
                return None
            exact_big = any(
                (
                    c.place.kind in (KIND_COUNTRY, KIND_CONTINENT)
                    or c.place.feature_code == "ADM1"
                    or c.place.population >= 1_000_000
                )
                and not c.alternate
                for c in cands
            )
            exact_area = any(
                c.place.kind in (KIND_COUNTRY, KIND_CONTINENT) or c.place.feature_code == "ADM1"
                for c in cands
                if not c.alternate
            )
            # "Tamil Nadu said": a many-word division or country name is metonymy, not a person.
            person_like = label == "PERSON" and (
                not exact_area
                or end - start == 1
                or (end < len(t.pos) and t.pos[end] in (VERB, AUX) and not self._area_name(cands, text))
            )
            if not (place_cue or admin_cue or settlement_cue or (exact_big and not person_like)):
                return None
            # "John Kerry": two-word person names that are also villages need a stronger cue, such as
            # "in Klamath Falls," (a strong preposition before, a comma or full stop after).
            if (
                label == "PERSON"
                and " " in text
                and not (admin_cue or settlement_cue)
                and not any(c.place.kind != KIND_CITY or c.place.population > 100_000 for c in cands)
                and not (
                    start > 0
                    and t.lw[start - 1] in cues.strong_preps
                    and (end >= len(t.tx) or t.tx[end] in (",", ".", ";"))
                )
            ):
                return None
        end_char = t.end_char(end - 1)
        if end < len(t.lw) and t.lw[end] in cues.place_nouns and (admin_cue or settlement_cue):
            end_char = t.end_char(end)
        m = _Mention(
            start=t.idx[start],
            end=end_char,
            text=text,
            label=label,
            strong=strong,
            admin_cue=admin_cue,
            settlement_cue=settlement_cue,
            candidates=cands,
            county=county[0] if county else None,
        )
        self._attach_direction(t, start, end, m)
        return m

    @staticmethod
    def _area_name(cands: tuple[Candidate, ...], text: str) -> bool:
        """A name of two or more words that is exactly a country or first-order division ("Tamil Nadu")."""
        return " " in text and any(
            not c.alternate
            and c.level == LEVEL_NAME
            and (c.place.kind == KIND_COUNTRY or c.place.feature_code == "ADM1")
            for c in cands
        )

    @staticmethod
    def _is_major(m: _Mention) -> bool:
        """Countries, divisions and big cities keep their place reading even when a person shares the name.

        Names known only as alternates ("Karak" for Karak Governorate) are judged on those.
        """
        primary = [c for c in m.candidates if not c.alternate] or m.candidates
        return any(c.place.kind != KIND_CITY or c.place.population >= 100_000 for c in primary)

    def _state_candidates(self, names: Iterable[str], iso3: str = "USA") -> tuple[Candidate, ...]:
        out = []
        for name in names:
            out.extend(
                c
                for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME)
                if c.place.kind == KIND_REGION and c.place.country == iso3 and not c.alternate
            )
        return tuple(out)

    def _county(
        self, t: _Toks, start: int, end: int, text: str, cands: tuple[Candidate, ...]
    ) -> tuple[str, tuple[Candidate, ...]] | None:
        """ "Metcalfe County": no county has a point here, so it resolves to its state (region precision)."""
        if t.lw[end - 1] == "county":
            name = t.span(start, end)
        elif end < len(t.lw) and t.lw[end] == "county":
            name = f"{text} County"
        else:
            return None
        if any(c.place.kind == KIND_REGION and c.place.country == "USA" for c in cands):
            return None
        states = self._state_candidates(self.gazetteer.us_county_states(name))
        base = name[: -len(" County")]
        found: list[Candidate] = []
        for state in states:
            # A town named like the county is usually in it (Orange in Orange County): a closer point.
            town = [
                c
                for c in self.gazetteer.lookup(base, max_level=LEVEL_NAME)
                if c.place.kind == KIND_CITY and c.place.admin1_pid == state.place.pid and not c.alternate
            ]
            found.append(town[0] if town else state)
        return (name, tuple(found)) if found else None

    def _grow(self, t: _Toks, start: int, end: int) -> tuple[int, int] | None:
        """Extend a span over adjacent name tokens and connectors when the longer name is in the gazetteer."""
        lw, tx, name_like = t.lw, t.tx, t.name_like
        lo, hi = start, end
        while lo > 0 and (
            name_like(lo - 1)
            or (
                (lw[lo - 1] in ARABIC_ARTICLES or tx[lo - 1] == "-")
                and lo > 1
                and (name_like(lo - 2) or lw[lo - 2] in ARABIC_ARTICLES)
            )
        ):
            lo -= 1
            if start - lo > 3:
                break
        while (
            hi < len(tx)
            and (
                name_like(hi)
                or tx[hi] == "-"
                or lw[hi] in ARABIC_ARTICLES
                or (
                    tx[hi] in ("and", "&") and hi + 1 < len(tx) and name_like(hi + 1)
                )  # "Trinidad and Tobago"
            )
            and hi - end < 3
        ):
            hi += 1
        if lo == start and hi == end:
            return None
        best: tuple[int, int] | None = None
        for i in range(lo, start + 1):
            for j in range(hi, end - 1, -1):
                if (i, j) == (start, end) or j <= i:
                    continue
                if not name_like(i) or not name_like(j - 1):
                    continue
                if self.gazetteer.knows(t.span(i, j)) and (best is None or j - i > best[1] - best[0]):
                    best = (i, j)
        return best

    def _attach_direction(self, t: _Toks, start: int, end: int, m: _Mention) -> None:
        """ "northern Syria": a region of the named place, unless "Northern X" is itself a name."""
        i = start - 1
        if i < 0:
            return
        lw = t.lw
        word = lw[i]
        start_tok = i
        if (
            word in ("eastern", "western")
            and i >= 2
            and t.tx[i - 1] == "-"
            and lw[i - 2] in ("north", "south")
        ):
            word = lw[i - 2] + word
            start_tok = i - 2
        direction = _cues().directions.get(word)
        if direction is None:
            return
        full = t.span(start_tok, end)
        if self.gazetteer.knows(full):
            cands = self.gazetteer.lookup(full, max_level=LEVEL_NAME)
            m.candidates, m.text, m.start = cands, full, t.idx[start_tok]
            return
        if word in ("north", "south", "east", "west") and t.tx[i][:1].isupper():
            return  # "North X" unknown to the gazetteer: leave the name alone
        m.direction = direction
        m.dir_start = t.idx[start_tok]

    def _gazetteer_scan(self, t: _Toks, skip: set[int], orgs: list[tuple[int, int]]) -> list[_Mention]:
        """Names spaCy did not tag: capitalised runs the gazetteer knows, accepted with a place cue.

        A known name followed by an organisation head ("Beaconsfield Mayor", "London Police") is added to
        ``orgs``, for ``_embedded`` to judge.
        """
        text, starts = t.text, t.idx
        caps = []
        # Tokens that start with a capital, found in C; then the few of them that start a word.
        for i in itertools.compress(range(len(t.tx)), map(str.isupper, map(itemgetter(0), t.tx))):
            s = starts[i]
            if i not in skip and not (s and (text[s - 1].isalnum() or text[s - 1] in "_’'")):
                caps.append(i)
        capset = set(caps)
        cues = _cues()
        out: list[_Mention] = []
        k = 0
        while k < len(caps):
            i = j = caps[k]
            k += 1
            while k < len(caps):
                nxt = caps[k]
                if nxt == j + 1 or (
                    nxt == j + 2 and (t.lw[j + 1] in cues.connectors or t.lw[j + 1] in ARABIC_ARTICLES)
                ):
                    j = nxt
                    k += 1
                else:
                    break
            out.extend(self._scan_run(t, i, j + 1, capset, orgs))
        return out

    def _scan_run(
        self, t: _Toks, i: int, j: int, capset: set[int], orgs: list[tuple[int, int]]
    ) -> Iterable[_Mention]:
        gaz = self.gazetteer
        cues = _cues()
        pos = i
        while pos < j:
            found = None
            for end in range(min(j, pos + 5), pos, -1):
                if end - 1 in capset and gaz.knows(t.span(pos, end)):
                    found = (pos, end)
                    break
            if found is None:
                pos += 1
                continue
            f_start, f_end = found
            pos = f_end
            found_text = t.span(f_start, f_end)
            if t.sent[f_start] == 1 and f_end - f_start == 1 and t.pos[f_start] != PROPN:
                continue
            if gaz.demonym_country(found_text) or name_key(found_text) in _not_places():
                continue
            if self._followed_by_org_head(t, f_end):
                orgs.append((f_start, f_end + 1))
                continue
            cands = tuple(
                c
                for c in gaz.lookup(found_text, max_level=LEVEL_NAME)
                if not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 1000)
            )
            if not cands:
                continue
            _, admin_cue, settlement_cue = self._context_cues(t, f_start, f_end)
            prev = t.lw[f_start - 1] if f_start > 0 else ""
            local = f_end < len(t.tx) and t.lw[f_end] in cues.local_nouns and t.tx[f_end][:1].islower()
            is_country = any(c.place.kind in (KIND_COUNTRY, KIND_CONTINENT) for c in cands)
            is_region = any(c.place.kind == KIND_REGION for c in cands)
            if _is_acronym(found_text) and not (is_country or is_region):
                continue
            is_big_city = any(c.place.kind == KIND_CITY and c.place.population >= 1_000_000 for c in cands)
            if not (
                is_country
                or is_big_city
                or (is_region and (f_end - f_start > 1 or prev == ","))  # "Clacton, Essex"
                or prev in cues.strong_preps
                or local
                or admin_cue
                or settlement_cue
            ):
                continue
            if t.pos[f_start] != PROPN and not (is_country or is_region or (local and t.sent[f_start] != 1)):
                continue
            county = self._county(t, f_start, f_end, found_text, cands)
            if county is not None:
                cands = county[1]
            end_char = t.end_char(f_end - 1)
            if f_end < len(t.lw) and t.lw[f_end] in cues.place_nouns:
                end_char = t.end_char(f_end)
            m = _Mention(
                start=t.idx[f_start],
                end=end_char,
                text=found_text,
                label="GAZ",
                strong=False,
                admin_cue=admin_cue,
                settlement_cue=settlement_cue,
                candidates=cands,
                county=county[0] if county else None,
            )
            self._attach_direction(t, f_start, f_end, m)
            yield m

    def _datelines(self, t: _Toks, mentions: list[_Mention]) -> list[_Mention]:
        """ "BEIRUT —", "WASHINGTON (Reuters) -", "... Reuters. BOSTON (Reuters) -", "NEW DELHI:".

        A run of capitals at the start of a line or of a sentence, before a dateline's punctuation.
        Only tokens in capitals are tried (``str.isupper`` over the column, in C).
        """
        out: list[_Mention] = []
        text = t.text
        last = 0
        for i in itertools.compress(range(len(t.tx)), map(str.isupper, t.tx)):
            s = t.idx[i]
            if s < last:
                continue
            k = s
            while k > 0 and text[k - 1] in " \t":
                k -= 1
            line_start = k == 0 or text[k - 1] == "\n"
            if not (line_start or (k < s and k > 0 and text[k - 1] in ".!?")):
                continue
            match = _DATELINE.match(text, s)
            if match is None:
                continue
            e = last = match.end(1)
            if any(m.start < e and s < m.end for m in mentions):
                continue
            name = match.group(1)
            cands = tuple(c for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME) if not c.alternate)
            if not line_start or text[e : e + 2].lstrip().startswith(":"):
                # "... Reuters. BOSTON (Reuters) -", "NEW DELHI:": looser shapes, so only well-known places
                cands = tuple(c for c in cands if c.place.kind != KIND_CITY or c.place.population >= 10_000)
            if cands:
                out.append(_Mention(s, e, name, "DATELINE", strong=True, candidates=cands))
        # "Muscat: The 10th film festival ...", "Islamabad — Prime Minister ...": title case at a line
        # start, before a colon or a dash; a shape headlines share ("Update: ..."), so well-known places only.
        for match in _TITLE_DATELINE.finditer(text):
            s, e = match.span(1)
            if any(m.start < e and s < m.end for m in mentions + out):
                continue
            cands = tuple(
                c
                for c in self.gazetteer.lookup(match.group(1), max_level=LEVEL_NAME)
                if not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 10_000)
            )
            if cands:
                out.append(_Mention(s, e, match.group(1), "DATELINE", strong=True, candidates=cands))
        return out

    def _abbreviation_qualifiers(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """ "Damascus, Md.": the abbreviation is a toponym too, and qualifies the town before it."""
        abbrevs = _abbreviations()
        taken = {(m.start, m.end) for m in mentions}
        out = []
        for m in mentions:
            gap = _QUALIFIER_GAP.match(text, m.end)
            if gap is None or gap.end() == m.end or not text[gap.end() : gap.end() + 1].isupper():
                continue  # every abbreviation starts with a capital
            for abbr, (admin1, iso3) in abbrevs.items():
                if text.startswith(abbr, gap.end()):
                    after = text[gap.end() + len(abbr) : gap.end() + len(abbr) + 1]
                    if after.isalpha():
                        continue
                    s, e = gap.end(), gap.end() + len(abbr)
                    if any(a < e and s < b for a, b in taken):
                        break
                    cands = tuple(
                        c
                        for c in self.gazetteer.lookup(admin1)
                        if c.place.kind == KIND_REGION and c.place.country == iso3
                    )
                    if cands:
                        out.append(_Mention(s, e, admin1, "ABBR", strong=True, candidates=cands[:1]))
                    break
        return out

    # -------------------------------------------------------------------------------- resolution

    def _attach_qualifiers(self, text: str, mentions: list[_Mention]) -> None:
        """ "Paris, Texas", "Palmyra, Syria": a division or country after a comma constrains the name."""
        for a, b in itertools.pairwise(mentions):
            if not _QUALIFIER_GAP.fullmatch(text[a.end : b.start]) or "," not in text[a.end : b.start]:
                continue
            quals = [
                c.place
                for c in b.candidates
                if c.place.kind in (KIND_COUNTRY, KIND_REGION) and not c.alternate
            ]
            if not quals:
                continue
            for q in quals:
                if any(self._in_area(c.place, q) for c in a.candidates):
                    a.qualifier = q
                    # "Snetterton, Norfolk": the name after the comma is the division, not a namesake town.
                    b.candidates = tuple(c for c in b.candidates if c.place is q) or b.candidates
                    break

    def _demonym_forms(self) -> dict[str, str]:
        """Demonyms as written ("Syrian", "SYRIAN") -> ISO3: a dict probe per capitalised word."""
        if self._demonym_surface is None:
            forms = {}
            for word in self.gazetteer.demonyms():
                iso3 = self.gazetteer.demonym_country(word)
                if iso3:
                    forms[word] = forms[word.upper()] = iso3
            # "the English city of Salisbury": an area inside one country is evidence for that country.
            for word, name in _cues().area_demonyms.items():
                area = self._area(name)
                if " " not in word and area is not None and area.country:
                    forms.setdefault(word, area.country)
                    forms.setdefault(word.upper(), area.country)
            self._demonym_surface = forms
        return self._demonym_surface

    def _evidence(
        self, mentions: list[_Mention], words: list[str], outlet_country: str | None
    ) -> tuple[Counter, Counter, dict[str, tuple[Counter, Counter]]]:
        """Countries and divisions the article itself establishes, before any ambiguous name is resolved.

        Also returns each name's own contribution, so that a name is never its own evidence (a town
        called "Atlantic" must not make the article look like it is about Iowa).
        """
        countries: Counter[str] = Counter()
        admins: Counter[int] = Counter()
        own: dict[str, tuple[Counter, Counter]] = {}
        if outlet_country:
            countries[outlet_country] += 1
        countries.update(filter(None, map(self._demonym_forms().get, words)))  # "Syrian", "SYRIAN"
        for m in mentions:
            if m.label == "CURRENCY":
                continue
            key = name_key(m.text)
            if key not in own:
                own[key] = (Counter(), Counter())
            own_c, own_a = own[key]
            cands = [c for c in m.candidates if not c.alternate and c.level < LEVEL_LOOSE]
            if not cands:
                continue
            exact_countries = [c for c in cands if c.place.kind == KIND_COUNTRY]
            same_name_regions = [
                c for c in cands if c.place.kind == KIND_REGION and c.place.population > 100_000
            ]
            if exact_countries and not same_name_regions:
                iso3 = exact_countries[0].place.country
                countries[iso3] += 2
                own_c[iso3] += 2
                continue
            ranked = sorted(cands, key=lambda c: -c.place.population)
            top = ranked[0].place
            second = ranked[1].place.population if len(ranked) > 1 else 0
            if top.kind == KIND_CONTINENT or (top.feature_code not in ("ADM1",) and top.kind == KIND_REGION):
                continue
            if len({c.place.country for c in cands}) == 1 or (
                top.population >= 10 * max(second, 1) and top.population > 50_000
            ):
                if top.country:
                    countries[top.country] += 1
                    own_c[top.country] += 1
                admin = top.pid if top.kind == KIND_REGION else top.admin1_pid
                if admin:
                    admins[admin] += 1
                    own_a[admin] += 1
        return countries, admins, own

    def _resolve(self, words: list[str], mentions: list[_Mention], outlet_country: str | None) -> None:
        countries, admins, own = self._evidence(mentions, words, outlet_country)
        views: dict[str, tuple[_Less, _Less]] = {}

        def context(m: _Mention, c: Counter, a: Counter) -> tuple[_Less, _Less]:
            key = name_key(m.text)
            if key not in views:
                oc, oa = own.get(key, (_EMPTY, _EMPTY))
                views[key] = (_Less(c, oc), _Less(a, oa))
            return views[key]

        # Mentions with the same name, cues and qualifier get the same answer: score them once.
        memo: dict[tuple, _Mention] = {}
        for m in mentions:
            if not self._reuse(memo, m):
                self._choose(m, *context(m, countries, admins), others=None)
        # Second pass: what the first pass settled on becomes context (countries, divisions, distance).
        countries2 = Counter(countries)
        admins2 = Counter(admins)
        for m in mentions:
            if m.chosen is None or m.label == "CURRENCY":
                continue
            p = m.chosen.place
            key = name_key(m.text)
            if key not in own:
                own[key] = (Counter(), Counter())
            oc, oa = own[key]
            if p.country:
                countries2[p.country] += 0.5
                oc[p.country] += 0.5
            if p.kind == KIND_CITY and p.admin1_pid:
                admins2[p.admin1_pid] += 1
                oa[p.admin1_pid] += 1
        views.clear()
        chosen = [m.chosen.place for m in mentions if m.chosen is not None and m.label != "CURRENCY"]
        locals_ = {p.pid: p for p in chosen if p.kind in (KIND_CITY, KIND_REGION) and p.feature_code != "RGN"}
        memo.clear()
        near: dict[int, float | None] = {}
        for m in mentions:
            if not self._reuse(memo, m):
                self._choose(m, *context(m, countries2, admins2), others=locals_, near=near)

    @staticmethod
    def _reuse(memo: dict[tuple, _Mention], m: _Mention) -> bool:
        """Copy the result of an earlier mention resolved in the same setting; else remember this one."""
        key = (id(m.candidates), m.admin_cue, m.settlement_cue, id(m.qualifier), name_key(m.text))
        done = memo.get(key)
        if done is None:
            memo[key] = m
            return False
        m.chosen, m.score, m.reasons, m.shortlist = done.chosen, done.score, done.reasons, done.shortlist
        return True

    def _priors(self, m: _Mention) -> tuple[_Prior, ...]:
        """Context-free score of each candidate (kind, population, how the name matched), cached.

        It depends only on the candidates and the cues around the name, so a name seen before in the
        same setting costs one dict lookup.
        """
        # Candidate tuples come from the gazetteer's cache, so their identity is a cheap key; the tuple
        # is kept in the value so that its id cannot be reused while the entry lives.
        slot = (id(m.candidates), m.admin_cue, m.settlement_cue, m.qualifier is not None)
        cached = self._prior_cache.get(slot)
        if cached is not None and cached[0] is m.candidates:
            return cached[1]
        # A name that is exactly a country, continent or named region is that, not a village named after it.
        higher = [
            c.place
            for c in m.candidates
            if not c.alternate and c.level == LEVEL_NAME and c.place.kind != KIND_CITY
        ]
        pops = sorted((c.place.population for c in m.candidates), reverse=True)
        runner_up = pops[1] if len(pops) > 1 else 0
        primary_pop = max((c.place.population for c in m.candidates if not c.alternate), default=0)
        out = []
        for c in m.candidates[:_POOL]:
            p = c.place
            if c.alternate and primary_pop >= 10 * max(p.population, 1) and m.qualifier is None:
                continue  # "Liverpool" is Liverpool, not a small town that was once called that
            score = 0.0
            why: list[str] = []
            if p.kind == KIND_COUNTRY:
                score += 4.0 if not c.alternate else 1.0
            elif p.kind == KIND_CONTINENT:
                score += 4.0
            elif p.kind == KIND_REGION:
                if m.admin_cue:
                    score += 4.0
                    why.append("named as a division")
                elif p.feature_code == "ADM1" and not m.settlement_cue and self._seat_dominates(m, p):
                    score -= 1.5  # "Aleppo", "Moscow": the city, not its same-named division
                else:
                    score += 1.0 if p.feature_code == "ADM1" else 4.0
                if m.settlement_cue:
                    score -= 2.0
            else:
                score += {"PPLC": 1.5, "PPLA": 0.8}.get(p.feature_code, 0.0)
                if m.settlement_cue:
                    score += 0.5
                elif m.qualifier is None and p.feature_code != "PPLC":
                    penalty = 0.0
                    for h in higher:
                        if h.kind in (KIND_COUNTRY, KIND_CONTINENT) or h.feature_code != "ADM1":
                            penalty = max(penalty, 4.0)
                        elif p.population < 0.2 * h.population:
                            penalty = max(penalty, 2.5)
                    if penalty:
                        score -= penalty
                        why.append("a larger place has this name")
            if p.population:
                score += W_POP * math.log10(p.population + 1)
                why.append(f"pop {p.population}")
                if p.population >= 500_000 and p.population >= 20 * runner_up:
                    score += 1.5  # "London", "Rome": far larger than any namesake
            if c.alternate:
                if p.population >= 100_000 and p.population >= 20 * primary_pop:
                    why.append("better known by this name")  # "Newcastle", "New York"
                else:
                    score -= 1.2
                    why.append("alternate name")
            if c.level == LEVEL_STRIPPED:
                score -= 0.8
            elif c.level == LEVEL_LOOSE:
                score -= 1.8
                why.append("loose spelling")
            out.append((c, score, tuple(why)))
        result = tuple(out)
        if len(self._prior_cache) > 200_000:
            self._prior_cache.clear()
        self._prior_cache[slot] = (m.candidates, result)
        return result

    def _choose(
        self,
        m: _Mention,
        countries: _Less,
        admins: _Less,
        others: dict[int, Place] | None,
        near: dict[int, float | None] | None = None,
    ) -> None:
        """Add the article's evidence to each candidate's prior and keep the best, with its reasons.

        Candidates are scored without building reason strings; the winner is scored again to explain it.
        ``near`` caches each candidate's distance to the nearest other place of the article (second pass).
        """
        if not m.candidates:
            return
        top_ctx = countries.top()
        pool = self._priors(m) if others is None else m.shortlist
        scored: list[tuple[float, int, _Prior]] = []
        best_entry, best_score = None, -1e9
        # "the Centre", "Southern": such words name a division only when the article is about its country.
        generic = name_key(m.text) in _cues().generic_areas
        for n, entry in enumerate(pool):
            c = entry[0]
            p = c.place
            if (
                generic or c.level == LEVEL_LOOSE or (c.alternate and p.population < 5000)
            ) and not countries.get(p.country):
                continue  # loose or obscure-alias matches are only believable inside the article's countries
            score = self._score(m, entry, countries, admins, top_ctx, others, near, None)
            scored.append((score, -n, entry))
            if score > best_score:
                best_entry, best_score = entry, score
        if best_entry is None:
            m.chosen, m.score, m.reasons = None, -1e9, []
        else:
            why: list[str] = []
            self._score(m, best_entry, countries, admins, top_ctx, others, near, why)
            m.chosen, m.score, m.reasons = best_entry[0], best_score, why
        if others is None:
            scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
            m.shortlist = [entry for _, _, entry in scored[:_SHORTLIST]]

    def _score(
        self,
        m: _Mention,
        entry: _Prior,
        countries: _Less,
        admins: _Less,
        top_ctx: float,
        others: dict[int, Place] | None,
        near: dict[int, float | None] | None,
        why: list[str] | None,
    ) -> float:
        """One candidate's prior plus the article's evidence; reasons are written only into ``why``."""
        c, score, prior_why = entry
        p = c.place
        if why is not None:
            why.extend(prior_why)
        q = m.qualifier
        if q is not None and self._in_area(p, q):
            score += 6
            if why is not None:
                why.insert(0, f"qualified by {q.name}")
        in_country = countries.get(p.country, 0) if p.country else 0
        if in_country > 0:
            score += 2.5 + 1.0 * min(in_country / max(top_ctx, 1), 1.0)
            if why is not None:
                why.append(f"in article country {p.country}")
        if p.kind == KIND_CITY and admins.get(p.admin1_pid, 0) > 0:
            score += W_ADMIN
            if why is not None:
                why.append(f"in named division {p.admin1}")
        elif p.kind == KIND_REGION and admins.get(p.pid, 0) > 0:
            score += 2.0
            if why is not None:
                why.append("division of article places")
        if others and p.kind in (KIND_CITY, KIND_REGION):
            if near is not None and p.pid in near:
                dist = near[p.pid]
            else:
                dist = min(
                    (_distance_km(p, o) for pid, o in others.items() if pid != p.pid and o.name != p.name),
                    default=None,
                )
                if near is not None:
                    near[p.pid] = dist
            if dist is not None and dist < 500:
                score += 1.5 if dist < 50 else 1.0 if dist < 200 else 0.4
                if why is not None:
                    why.append(f"{dist:.0f} km from another place")
        return score

    @staticmethod
    def _seat_dominates(m: _Mention, region: Place) -> bool:
        """True when a city of the same name is the heart of this division (or a capital)."""
        for c in m.candidates:
            p = c.place
            if (
                p.kind == KIND_CITY
                and p.country == region.country
                and (p.feature_code == "PPLC" or p.population >= 0.2 * max(region.population, 1))
            ):
                return True
        return False

    def _to_ref(self, text: str, m: _Mention) -> PlaceRef:
        assert m.chosen is not None
        p = m.chosen.place
        if p.kind == KIND_COUNTRY:
            precision = "country"
        elif p.kind == KIND_CITY:
            precision = "region" if m.admin_cue else "place"
        else:
            precision = "region"
        reasons = list(m.reasons)
        start = m.start
        if m.direction:
            precision = "region" if p.kind != KIND_CONTINENT else precision
            reasons.insert(0, f"{m.direction} part of {p.name}")
            start = m.dir_start if m.dir_start is not None else start
        if m.label == "DISCOURSE" and m.embedded is None:
            reasons.insert(0, "named as a place elsewhere in the article")
        if m.chosen.level > LEVEL_NAME:
            reasons.append(
                f"matched {(m.chosen.level == LEVEL_STRIPPED and 'without articles') or 'by skeleton'}"
            )
        name, geonameid, feature_code = p.name, p.geonameid, p.feature_code
        if m.county:
            state = p.name if p.kind == KIND_REGION else p.admin1
            point = "the state's point" if p.kind == KIND_REGION else f"the point of {p.name}, a town in it"
            reasons.insert(0, f"{m.county} is in {state}; no county point, {point} is used")
            name, geonameid, feature_code = f"{m.county}, {state}", None, "ADM2"
        if m.anchor is not None:
            name, geonameid, feature_code = f"{m.text}, {p.name}", None, m.label
        if m.embedded is not None:  # first, so that ``reason.startswith(EMBEDDED_REASON)`` tells
            precision = None
            reasons.insert(0, f"{EMBEDDED_REASON} {m.embedded!r}; not a place of events")
        return PlaceRef(
            text=text[start : m.end],
            span=(start, m.end),
            name=name,
            geonameid=geonameid,
            lat=p.lat,
            lon=p.lon,
            country=p.country,
            admin1=(p.name if p.kind == KIND_REGION else p.admin1) if m.county else p.admin1,
            feature_code=feature_code,
            precision=precision,
            score=round(1.0 / (1.0 + math.exp(-(m.score - 4.0) / 2.0)), 3),
            reason="; ".join(reasons) or "only candidate",
        )
