"""Toponym recognition and resolution: from a parsed Doc to every place it names, with a reason.

Recognition starts from spaCy's GPE/LOC/FAC entities and corrects them with the gazetteer: the small
model tags some cities NORP ("Aleppo") or PERSON ("Palmyra"), and misses others; those are accepted
when the gazetteer knows the name and the context says "place" (a preposition before it, "city of X",
"X province"). Demonyms are never places here (see ``demonym_country``). Two passes add what the
model's tags miss: toponyms inside organisation names ("Kentucky State Police", returned only on
request and flagged, since they say who, not where) and one sense per discourse (a name taken as a
place once is a place at its other occurrences in the article).

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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Doc, Span, Token

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


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = json.loads((resources.files("eventwire") / "data" / "geo_cues.json").read_text(encoding="utf-8"))
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
    )


W_POP = 0.6  # per order of magnitude of population
W_ADMIN = 2.0  # the article names the division a city lies in
_POOL = 30  # candidates scored in the first pass (the gazetteer returns them biggest first)
_SHORTLIST = 6  # candidates carried to the second pass
_QUALIFIER_GAP = re.compile(r"\s*,\s*")
# "BEIRUT —", "WASHINGTON (Reuters) -", "DALLAS, Texas —": a dateline opens a line in capitals.
_DATELINE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?=\s*(?:,|\(|—|–|--|- ))")
# Capitalised words, found in C over the text instead of walking every token in Python.
_CAP_WORD = re.compile(r"(?<![\w’'])[A-ZÀ-ÖØ-Þ][\w’'.-]*")


_Prior = tuple[Candidate, float, tuple[str, ...]]  # candidate, context-free score, reasons


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
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    text = (resources.files("eventwire") / "data" / "geo_not_places.jsonl").read_text(encoding="utf-8")
    return frozenset(name_key(json.loads(line)["name"]) for line in text.splitlines() if line.strip())


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


def _st(text: str, span: Span) -> str:
    """A span's text sliced from the document text: ``Span.text`` builds a Token object per token."""
    return text[span.start_char : span.end_char]


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


def _name_like(tok: Token) -> bool:
    text = tok.text
    return (bool(text) and text[0].isupper() and not tok.is_punct and tok.is_alpha) or text in (
        "St.",
        "Mt.",
        "Ft.",
    )


class PlaceResolver:
    """Finds and resolves the toponyms of a Doc. Cheap to call: lookups are cached in the gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._demonym_surface: dict[str, str] | None = None
        self._prior_cache: dict[tuple, tuple[tuple[Candidate, ...], tuple[_Prior, ...]]] = {}
        # orth id -> token text as written, without and with its trailing space
        self._orth_text: tuple[dict[int, str], dict[int, str]] = ({}, {})

    def _doc_text(self, doc: Doc) -> str:
        """``doc.text`` without building a Token object per token (spaCy's own property does).

        Token strings are cached by orth id: a dict probe is cheaper than a StringStore lookup.
        """
        bare, spaced = self._orth_text
        if len(bare) + len(spaced) > 500_000:
            bare.clear()
            spaced.clear()
        out = []
        strings = doc.vocab.strings
        for o, sp in zip(doc.to_array("ORTH").tolist(), doc.to_array("SPACY").tolist(), strict=True):
            cache = spaced if sp else bare
            piece = cache.get(o)
            if piece is None:
                piece = cache[o] = strings[o] + " " if sp else strings[o]
            out.append(piece)
        return "".join(out)

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
        text = self._doc_text(doc)
        mentions = self._recognise(doc, text)
        if not mentions:
            return []
        self._attach_qualifiers(text, mentions)
        self._resolve(text, mentions, outlet_country)
        return [
            self._to_ref(text, m)
            for m in mentions
            if m.chosen is not None and (embedded or m.embedded is None)
        ]

    def find_demonyms(self, doc: Doc) -> list[PlaceRef]:
        """Demonyms and country adjectives ("Syrian") as country-precision refs, for those who want them.

        Not places of events; kept apart from ``find_places`` and offered for evaluation and actor coding.
        """
        out = []
        areas = _cues().area_demonyms
        for tok in doc:
            if not tok.text[:1].isupper():
                continue
            iso3 = self.gazetteer.demonym_country(tok.text)
            if iso3 is None:
                area = self._area(areas.get(tok.text))
                if area is not None:
                    out.append(
                        PlaceRef(
                            text=tok.text,
                            span=(tok.idx, tok.idx + len(tok.text)),
                            name=area.name,
                            geonameid=area.geonameid,
                            lat=area.lat,
                            lon=area.lon,
                            feature_code=area.feature_code,
                            precision="region",
                            score=1.0,
                            reason=f"adjective of {area.name}",
                        )
                    )
                continue
            country = self.gazetteer.country(iso3)
            if country is None:
                continue
            out.append(
                PlaceRef(
                    text=tok.text,
                    span=(tok.idx, tok.idx + len(tok.text)),
                    name=country.name,
                    geonameid=country.geonameid,
                    lat=country.lat,
                    lon=country.lon,
                    country=iso3,
                    feature_code=country.feature_code,
                    precision="country",
                    score=1.0,
                    reason=f"demonym of {iso3}",
                )
            )
        return out

    def _area(self, name: str | None) -> Place | None:
        """The continent or region an area adjective names ("European" -> Europe), if the index has it."""
        if name is None:
            return None
        for c in self.gazetteer.lookup(name, max_level=LEVEL_NAME):
            if c.place.kind in (KIND_CONTINENT, KIND_REGION) and not c.alternate:
                return c.place
        return None

    # ------------------------------------------------------------------------------- recognition

    def _recognise(self, doc: Doc, text: str) -> list[_Mention]:
        covered: set[int] = set()  # token indices already used by a mention or an entity
        mentions: list[_Mention] = []
        not_places = _not_places()
        ents = doc.ents  # builds Span objects: once
        ent_tokens: set[int] = set()
        person_parts: set[str] = set()  # "Tyler" after "John Tyler": a person, not Tyler, Texas
        for ent in ents:
            ent_tokens.update(range(ent.start, ent.end))
            if ent.label_ == "PERSON" and len(ent) > 1:
                person_parts.update(w for w in _st(text, ent).split() if w[:1].isupper())
        orgs: list[Span] = []  # organisation names that may contain a toponym
        for ent in ents:
            label = ent.label_
            if label not in STRONG_LABELS and label not in WEAK_LABELS:
                continue
            span = self._trim(ent, text)
            if span is None or name_key(_st(text, span)) in not_places:
                continue
            if self._followed_by_org_head(span):
                orgs.append(doc[span.start : span.end + 1])
                continue
            parts = self._split_commas(span) if "," in text[span.start_char : span.end_char] else [span]
            found = False
            for part in parts:
                m = self._mention_from_span(doc, text, part, label)
                if m is not None and m.text in person_parts and not self._is_major(m):
                    continue
                if m is not None:
                    found = True
                    mentions.append(m)
                    covered.update(range(part.start, part.end))
            if not found and label in ("ORG", "FAC", "GPE") and len(span) > 1:
                orgs.append(span)
        mentions.extend(self._gazetteer_scan(doc, text, ent_tokens | covered))
        mentions.extend(self._datelines(text, mentions))
        mentions.extend(self._abbreviation_qualifiers(text, mentions))
        mentions.extend(self._embedded(doc, text, orgs, mentions))
        mentions.sort(key=lambda m: m.start)
        mentions.extend(self._same_name_again(doc, text, ents, mentions, person_parts))
        mentions.sort(key=lambda m: m.start)
        # Drop mentions nested in others (an entity inside a longer gazetteer name, say).
        out: list[_Mention] = []
        for m in mentions:
            if out and m.start < out[-1].end:
                if (m.end - m.start) > (out[-1].end - out[-1].start):
                    out[-1] = m
                continue
            out.append(m)
        return out

    def _embedded(self, doc: Doc, text: str, orgs: list[Span], mentions: list[_Mention]) -> list[_Mention]:
        """Toponyms inside organisation names: "Kentucky State Police", "Air Zimbabwe", "Pakistan Army".

        Only names that are unmistakably places are taken from inside an organisation's name: countries,
        continents, first-order divisions and curated regions, cities of 100,000 or more, and names the
        article itself uses as places elsewhere. "Apple" or "Ford" never qualify.
        """
        if not orgs:
            return []
        gaz = self.gazetteer
        taken = [(m.start, m.end) for m in mentions]
        named = {name_key(m.text) for m in mentions}
        # "South Central Ambulance Service", "Convention Centre": words that name divisions somewhere
        # (Cameroon's Centre, Sudan's Northern) but inside a name are just words.
        cues = _cues()
        generic = {*cues.directions, *cues.place_nouns, *cues.org_heads, "centre", "center", "central"}
        out: list[_Mention] = []
        starts = doc.to_array("IDX").tolist()
        lengths = doc.to_array("LENGTH").tolist()

        def word_ok(i: int) -> bool:  # a capitalised word, read from the text (no Token object)
            word = text[starts[i] : starts[i] + lengths[i]]
            return (word[:1].isupper() and word.isalpha()) or word in ("U.S.", "U.K.", "St.", "Mt.", "Ft.")

        for org in orgs:
            pos, end = org.start, org.end
            org_text = _st(text, org)
            while pos < end:
                if not word_ok(pos):
                    pos += 1
                    continue
                hit = None
                for stop in range(min(end, pos + 4), pos, -1):
                    if not word_ok(stop - 1):
                        continue
                    s, e = starts[pos], starts[stop - 1] + lengths[stop - 1]
                    if e - s == len(org_text):
                        continue  # the whole name: already refused as a place
                    name = text[s:e]
                    key = name_key(name)
                    if key in _not_places() or gaz.demonym_country(name) or key in generic:
                        continue
                    cands = tuple(c for c in gaz.lookup(name, max_level=LEVEL_NAME) if not c.alternate)
                    if stop < len(starts) and text[starts[stop] : starts[stop] + 6].lower() == "county":
                        county = self._county(doc, doc[pos:stop], name, cands)
                        if county is not None:
                            hit = (s, e, name, county[1], stop, county[0])
                            break
                    if not cands:
                        continue
                    if _is_acronym(name) and not any(c.place.kind == KIND_COUNTRY for c in cands):
                        continue
                    if key in named or any(
                        c.place.kind in (KIND_COUNTRY, KIND_CONTINENT)
                        or (
                            c.place.kind == KIND_REGION and (c.place.feature_code == "ADM1" or stop - pos > 1)
                        )
                        or c.place.population >= 100_000
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

    def _same_name_again(
        self, doc: Doc, text: str, ents: tuple[Span, ...], mentions: list[_Mention], person_parts: set[str]
    ) -> list[_Mention]:
        """One sense per discourse: a name taken as a place once is a place at its other occurrences.

        The small model tags the same word GPE in one sentence and PERSON, ORG or nothing in the next
        ("forces entered Raqqa ... to retake Raqqa"). Occurrences inside a longer person's name, or
        inside an organisation's name (those are embedded toponyms), keep that reading.
        """
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
            for ent in ents:
                ent_text = _st(text, ent)
                if ent_text in names:
                    votes[ent_text] += (
                        1 if ent.label_ in STRONG_LABELS else -1 if ent.label_ == "PERSON" else 0
                    )
            names = {n: m for n, m in names.items() if votes[n] >= 0}
        if not names:
            return []
        pattern = re.compile(
            r"(?<![\w’'.-])(?:"
            + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            + r")(?![\w’-])"
        )
        taken = sorted((m.start, m.end) for m in mentions)
        starts = [a for a, _ in taken]
        out: list[_Mention] = []
        tok_starts: list[int] | None = None
        iob: list[int] = []
        etype: list[int] = []
        strings = doc.vocab.strings
        for match in pattern.finditer(text):
            s, e = match.span()
            i = bisect.bisect_right(starts, s) - 1
            if (i >= 0 and taken[i][1] > s) or (i + 1 < len(taken) and taken[i + 1][0] < e):
                continue
            if tok_starts is None:  # token arrays only for documents with a repeated name
                tok_starts = doc.to_array("IDX").tolist()
                iob = doc.to_array("ENT_IOB").tolist()  # 1 inside, 2 outside, 3 begin
                etype = doc.to_array("ENT_TYPE").tolist()
            first = bisect.bisect_left(tok_starts, s)
            if first >= len(tok_starts) or tok_starts[first] != s:
                continue  # not at a token boundary
            after = bisect.bisect_left(tok_starts, e)
            continues = after < len(iob) and iob[after] == 1  # the entity goes on after the name
            ent_label = strings[etype[first]] if etype[first] else ""
            if ent_label == "PERSON" and (iob[first] != 3 or continues):
                continue  # part of a longer person's name
            src = names[match.group()]
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
    def _trim(span: Span, doc_text: str) -> Span | None:
        text = _st(doc_text, span)
        if (
            text[0].isalnum()
            and text[-1].isalnum()
            and text[:4].lower() != "the "
            and text.lower() != "the"
            and not text.endswith(("'s", "’s"))
        ):
            return span  # nothing to trim: no Token objects needed
        start, end = span.start, span.end
        doc = span.doc
        first, last = doc[start], doc[end - 1]
        if not (first.is_punct or last.is_punct or first.lower_ == "the" or last.lower_ in ("'s", "’s")):
            return span
        while start < end and (doc[start].lower_ in ("the", "'s") or doc[start].is_punct):
            start += 1
        while (
            end > start
            and (doc[end - 1].lower_ in ("'s", "’s") or doc[end - 1].is_punct)
            and doc[end - 1].text != "."
        ):
            end -= 1
        if end <= start:
            return None
        return doc[start:end]

    @staticmethod
    def _followed_by_org_head(span: Span) -> bool:
        """ "Iraqi Army", "Turkish Airlines": a place name used as part of an organisation's name."""
        doc = span.doc
        if span.end < len(doc):
            nxt = doc[span.end]
            return nxt.text[:1].isupper() and nxt.lower_ in _cues().org_heads
        return False

    @staticmethod
    def _split_commas(span: Span) -> list[Span]:
        """ "Paris, Texas" tagged as one entity: two toponyms, the second qualifying the first."""
        parts = []
        start = span.start
        for tok in span:
            if tok.text == ",":
                if tok.i > start:
                    parts.append(span.doc[start : tok.i])
                start = tok.i + 1
        if start < span.end:
            parts.append(span.doc[start : span.end])
        return parts

    def _context_cues(self, doc: Doc, start: int, end: int) -> tuple[bool, bool, bool]:
        """(place cue, admin cue, settlement cue) around tokens [start, end)."""
        prev_i = start - 1
        while prev_i >= 0 and doc[prev_i].lower_ in ("the", "a", "an"):
            prev_i -= 1
        prev = doc[prev_i].lower_ if prev_i >= 0 else ""
        nxt = doc[end].lower_ if end < len(doc) else ""
        admin = nxt in _cues().admin_nouns
        settlement = nxt in _cues().settlement_nouns
        if prev == "of" and prev_i >= 1:
            noun = doc[prev_i - 1].lower_
            admin = admin or noun in _cues().admin_nouns or noun in ("provinces", "governorates")
            settlement = settlement or noun in _cues().settlement_nouns
        place = prev in _cues().place_preps or admin or settlement or prev in _cues().directions
        if nxt == "," and end + 1 < len(doc) and doc[end + 1].text[:1].isupper():
            place = True  # "Palmyra, Syria"
        if (
            prev_i >= 0
            and doc[prev_i].text == ","
            and prev_i >= 1
            and doc[prev_i - 1].ent_type_ in STRONG_LABELS
        ):
            place = True  # "Syria, Palmyra" lists
        return place, admin, settlement

    def _mention_from_span(self, doc: Doc, doc_text: str, span: Span, label: str) -> _Mention | None:
        strong = label in STRONG_LABELS
        text = _st(doc_text, span)
        gaz = self.gazetteer
        if not strong and not gaz.knows(text) and text.rsplit(None, 1)[-1].lower() not in _cues().place_nouns:
            return None  # most ORG/PERSON entities: one cached lookup and out
        if label in ("NORP", "LANGUAGE") and (gaz.demonym_country(text) or name_key(text) in _languages()):
            return None
        place_cue, admin_cue, settlement_cue = self._context_cues(doc, span.start, span.end)
        # An entity cut short ("Zor" of "Deir al-Zor"): the longest gazetteer name around it wins.
        grown = self._grow(doc, doc_text, span)
        if grown is not None:
            span = grown
            text = _st(doc_text, span)
            place_cue, admin_cue, settlement_cue = self._context_cues(doc, span.start, span.end)
        # "Deir al-Zor Province" inside the entity: the suffix is a cue, not part of the name.
        if len(span) > 1 and span[-1].lower_ in _cues().place_nouns and not gaz.knows(text):
            admin_cue = admin_cue or span[-1].lower_ in _cues().admin_nouns
            settlement_cue = settlement_cue or span[-1].lower_ in _cues().settlement_nouns
            text = _st(doc_text, span[:-1])
        abbrev = _abbreviations().get(_st(doc_text, span))
        if abbrev is not None:  # "Mo.", "Ky." tagged on their own
            cands = self._state_candidates([abbrev[0]], abbrev[1])
        else:
            cands = gaz.lookup(text, max_level=LEVEL_LOOSE if strong else LEVEL_NAME)
        county = self._county(doc, span, text, cands)
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
            nxt = doc[span.end] if span.end < len(doc) else None
            person_like = label == "PERSON" and (
                not exact_area or (nxt is not None and nxt.pos_ in ("VERB", "AUX")) or len(span) == 1
            )
            if not (place_cue or admin_cue or settlement_cue or (exact_big and not person_like)):
                return None
            # "John Kerry": two-word person names that are also villages need a stronger cue.
            if (
                label == "PERSON"
                and " " in text
                and not (admin_cue or settlement_cue)
                and not any(c.place.kind != KIND_CITY or c.place.population > 100_000 for c in cands)
            ):
                return None
        end_char = span.end_char
        if (
            span.end < len(doc)
            and doc[span.end].lower_ in _cues().place_nouns
            and (admin_cue or settlement_cue)
        ):
            end_char = doc[span.end].idx + len(doc[span.end].text)
        m = _Mention(
            start=span.start_char,
            end=end_char,
            text=text,
            label=label,
            strong=strong,
            admin_cue=admin_cue,
            settlement_cue=settlement_cue,
            candidates=cands,
            county=county[0] if county else None,
        )
        self._attach_direction(doc, span, m)
        return m

    @staticmethod
    def _is_major(m: _Mention) -> bool:
        """Countries, divisions and big cities keep their place reading even when a person shares the name."""
        return any(
            c.place.kind != KIND_CITY or c.place.population >= 100_000
            for c in m.candidates
            if not c.alternate
        )

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
        self, doc: Doc, span: Span, text: str, cands: tuple[Candidate, ...]
    ) -> tuple[str, tuple[Candidate, ...]] | None:
        """ "Metcalfe County": no county has a point here, so it resolves to its state (region precision)."""
        if span[-1].lower_ == "county":
            name = span.text
        elif span.end < len(doc) and doc[span.end].lower_ == "county":
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

    def _grow(self, doc: Doc, doc_text: str, span: Span) -> Span | None:
        """Extend a span over adjacent name tokens and connectors when the longer name is in the gazetteer."""
        lo, hi = span.start, span.end
        while lo > 0 and (
            _name_like(doc[lo - 1])
            or (
                (doc[lo - 1].lower_ in ARABIC_ARTICLES or doc[lo - 1].text == "-")
                and lo > 1
                and (_name_like(doc[lo - 2]) or doc[lo - 2].lower_ in ARABIC_ARTICLES)
            )
        ):
            lo -= 1
            if span.start - lo > 3:
                break
        while (
            hi < len(doc)
            and (_name_like(doc[hi]) or doc[hi].text == "-" or doc[hi].lower_ in ARABIC_ARTICLES)
            and hi - span.end < 3
        ):
            hi += 1
        if lo == span.start and hi == span.end:
            return None
        best = None
        for i in range(lo, span.start + 1):
            for j in range(hi, span.end - 1, -1):
                if (i, j) == (span.start, span.end) or j <= i:
                    continue
                if not _name_like(doc[i]) or not _name_like(doc[j - 1]):
                    continue
                sub = doc[i:j]
                if self.gazetteer.knows(_st(doc_text, sub)) and (best is None or len(sub) > len(best)):
                    best = sub
        return best

    def _attach_direction(self, doc: Doc, span: Span, m: _Mention) -> None:
        """ "northern Syria": a region of the named place, unless "Northern X" is itself a name."""
        i = span.start - 1
        if i < 0:
            return
        word = doc[i].lower_
        start_tok = i
        if (
            word in ("eastern", "western")
            and i >= 2
            and doc[i - 1].text == "-"
            and doc[i - 2].lower_ in ("north", "south")
        ):
            word = doc[i - 2].lower_ + word
            start_tok = i - 2
        direction = _cues().directions.get(word)
        if direction is None:
            return
        full = doc[start_tok : span.end].text
        if self.gazetteer.knows(full):
            cands = self.gazetteer.lookup(full, max_level=LEVEL_NAME)
            m.candidates, m.text, m.start = cands, full, doc[start_tok].idx
            return
        if word in ("north", "south", "east", "west") and doc[i].text[:1].isupper():
            return  # "North X" unknown to the gazetteer: leave the name alone
        m.direction = direction
        m.dir_start = doc[start_tok].idx

    def _gazetteer_scan(self, doc: Doc, text: str, skip: set[int]) -> list[_Mention]:
        """Names spaCy did not tag: capitalised runs the gazetteer knows, accepted with a place cue."""
        starts = doc.to_array("IDX").tolist()
        lengths = doc.to_array("LENGTH").tolist()
        caps = []
        for match in _CAP_WORD.finditer(text):
            i = bisect.bisect_left(starts, match.start())
            if i < len(starts) and starts[i] == match.start() and i not in skip:
                caps.append(i)
        capset = set(caps)
        out: list[_Mention] = []
        k = 0
        while k < len(caps):
            i = j = caps[k]
            k += 1
            while k < len(caps):
                nxt = caps[k]
                if nxt == j + 1 or (
                    nxt == j + 2
                    and (doc[j + 1].lower_ in _cues().connectors or doc[j + 1].lower_ in ARABIC_ARTICLES)
                ):
                    j = nxt
                    k += 1
                else:
                    break
            out.extend(self._scan_run(doc, text, i, j + 1, starts, lengths, capset))
        return out

    def _scan_run(
        self, doc: Doc, text: str, i: int, j: int, starts: list[int], lengths: list[int], capset: set[int]
    ) -> Iterable[_Mention]:
        gaz = self.gazetteer
        pos = i
        while pos < j:
            found = None
            for end in range(min(j, pos + 5), pos, -1):
                # Probe with text slices: Token objects are only made for names the gazetteer knows.
                if end - 1 not in capset or not gaz.knows(
                    text[starts[pos] : starts[end - 1] + lengths[end - 1]]
                ):
                    continue
                found = doc[pos:end]
                break
            if found is None:
                pos += 1
                continue
            pos = found.end
            found_text = _st(text, found)
            tok = found[0]
            if tok.is_sent_start and len(found) == 1 and tok.pos_ not in ("PROPN",):
                continue
            if gaz.demonym_country(found_text) or name_key(found_text) in _not_places():
                continue
            if self._followed_by_org_head(found):
                continue
            cands = tuple(
                c
                for c in gaz.lookup(found_text, max_level=LEVEL_NAME)
                if not c.alternate and (c.place.kind != KIND_CITY or c.place.population >= 1000)
            )
            if not cands:
                continue
            _, admin_cue, settlement_cue = self._context_cues(doc, found.start, found.end)
            prev = doc[found.start - 1].lower_ if found.start > 0 else ""
            is_country = any(c.place.kind in (KIND_COUNTRY, KIND_CONTINENT) for c in cands)
            is_region = any(c.place.kind == KIND_REGION for c in cands)
            if _is_acronym(found_text) and not (is_country or is_region):
                continue
            is_big_city = any(c.place.kind == KIND_CITY and c.place.population >= 1_000_000 for c in cands)
            if not (
                is_country
                or is_big_city
                or (is_region and len(found) > 1)
                or prev in _cues().strong_preps
                or admin_cue
                or settlement_cue
            ):
                continue
            if found[0].pos_ != "PROPN" and not (is_country or is_region):
                continue
            county = self._county(doc, found, found_text, cands)
            if county is not None:
                cands = county[1]
            end_char = found.end_char
            if found.end < len(doc) and doc[found.end].lower_ in _cues().place_nouns:
                end_char = doc[found.end].idx + len(doc[found.end].text)
            m = _Mention(
                start=found.start_char,
                end=end_char,
                text=found_text,
                label="GAZ",
                strong=False,
                admin_cue=admin_cue,
                settlement_cue=settlement_cue,
                candidates=cands,
                county=county[0] if county else None,
            )
            self._attach_direction(doc, found, m)
            yield m

    def _datelines(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        out = []
        for match in _DATELINE.finditer(text):
            s, e = match.span(1)
            if any(m.start < e and s < m.end for m in mentions):
                continue
            cands = tuple(
                c for c in self.gazetteer.lookup(match.group(1), max_level=LEVEL_NAME) if not c.alternate
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
            if gap is None or gap.end() == m.end:
                continue
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
            a_countries = {c.place.country for c in a.candidates}
            a_admins = {c.place.admin1_pid for c in a.candidates}
            for q in quals:
                if (q.kind == KIND_REGION and q.pid in a_admins) or (
                    q.kind == KIND_COUNTRY and q.country in a_countries
                ):
                    a.qualifier = q
                    break

    def _demonym_forms(self) -> dict[str, str]:
        """Demonyms as written ("Syrian", "SYRIAN") -> ISO3: a dict probe per capitalised word."""
        if self._demonym_surface is None:
            forms = {}
            for word in self.gazetteer.demonyms():
                iso3 = self.gazetteer.demonym_country(word)
                if iso3:
                    forms[word] = forms[word.upper()] = iso3
            self._demonym_surface = forms
        return self._demonym_surface

    def _evidence(
        self, mentions: list[_Mention], text: str, outlet_country: str | None
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
        surface = self._demonym_forms()
        for word in _CAP_WORD.findall(text):
            iso3 = surface.get(word) or surface.get(word.rstrip(".-’'"))
            if iso3:
                countries[iso3] += 1
        for m in mentions:
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

    def _resolve(self, text: str, mentions: list[_Mention], outlet_country: str | None) -> None:
        countries, admins, own = self._evidence(mentions, text, outlet_country)
        views: dict[str, tuple[Counter, Counter]] = {}

        def context(m: _Mention, c: Counter, a: Counter) -> tuple[Counter, Counter]:
            key = name_key(m.text)
            if key not in views:
                if key in own:
                    oc, oa = own[key]
                    views[key] = (c - oc if oc else c, a - oa if oa else a)
                else:
                    views[key] = (c, a)
            return views[key]

        for m in mentions:
            self._choose(m, *context(m, countries, admins), others=None)
        # Second pass: what the first pass settled on becomes context (countries, divisions, distance).
        countries2 = Counter(countries)
        admins2 = Counter(admins)
        for m in mentions:
            if m.chosen is None:
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
        chosen = [m.chosen.place for m in mentions if m.chosen is not None]
        locals_ = {p.pid: p for p in chosen if p.kind in (KIND_CITY, KIND_REGION) and p.feature_code != "RGN"}
        for m in mentions:
            self._choose(m, *context(m, countries2, admins2), others=locals_)

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
        self, m: _Mention, countries: Counter, admins: Counter, others: dict[int, Place] | None
    ) -> None:
        """Add the article's evidence to each candidate's prior and keep the best, with its reasons."""
        if not m.candidates:
            return
        top_ctx = max(countries.values()) if countries else 0
        best, best_score, best_reasons = None, -1e9, []
        pool = self._priors(m) if others is None else m.shortlist
        scored: list[tuple[float, int, _Prior]] = []
        q = m.qualifier
        for n, entry in enumerate(pool):
            c, score, prior_why = entry
            p = c.place
            if (c.level == LEVEL_LOOSE or (c.alternate and p.population < 5000)) and not countries.get(
                p.country
            ):
                continue  # loose or obscure-alias matches are only believable inside the article's countries
            why = list(prior_why)
            if q is not None and (
                (q.kind == KIND_REGION and p.admin1_pid == q.pid)
                or (q.kind == KIND_COUNTRY and p.country == q.country)
            ):
                score += 6
                why.insert(0, f"qualified by {q.name}")
            if p.country and countries.get(p.country, 0) > 0:
                score += 2.5 + 1.0 * min(countries[p.country] / max(top_ctx, 1), 1.0)
                why.append(f"in article country {p.country}")
            if p.kind == KIND_CITY and admins.get(p.admin1_pid, 0) > 0:
                score += W_ADMIN
                why.append(f"in named division {p.admin1}")
            elif p.kind == KIND_REGION and admins.get(p.pid, 0) > 0:
                score += 2.0
                why.append("division of article places")
            if others and p.kind in (KIND_CITY, KIND_REGION):
                near = min(
                    (_distance_km(p, o) for pid, o in others.items() if pid != p.pid and o.name != p.name),
                    default=None,
                )
                if near is not None and near < 500:
                    score += 1.5 if near < 50 else 1.0 if near < 200 else 0.4
                    why.append(f"{near:.0f} km from another place")
            scored.append((score, -n, entry))
            if score > best_score:
                best, best_score, best_reasons = c, score, why
        m.chosen, m.score, m.reasons = best, best_score, best_reasons
        if others is None:
            scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
            m.shortlist = [entry for _, _, entry in scored[:_SHORTLIST]]

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
