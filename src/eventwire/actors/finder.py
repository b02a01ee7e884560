"""Finds actors in a parsed article and resolves noun phrases, descriptions and pronouns to them.

Three mechanisms, in order: names and aliases from the actor list ("ISIL", "Daesh"); a country with
an institution noun ("Syrian army" -> the Syrian military); and, for phrases that name nobody,
coreference within the article: descriptions ("the jihadist group") resolve to a named actor of the
article whose descriptors fit, pronouns to the nearest compatible actor before them.

Persons get their country and office from what the article says of them: a title before the name
("Russian President Vladimir Putin"), an apposition ("Putin, the Russian president"), a spokesman
"for the Syrian army", and, for later mentions ("Putin said"), what an earlier or later mention of
the same name said. A person whose country the article does not state keeps none.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from eventwire.actors.catalog import INSTITUTION_SUFFIX, ActorCatalog, ActorEntry
from eventwire.records import ActorRef

PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
PRONOUNS_IT = {"it", "its", "itself"}
PRONOUNS_THEY = {"they", "them", "their", "theirs", "themselves"}
PRONOUNS_RELATIVE = {"who", "which", "that", "whom", "whose"}
# Heads that stand for a group's members or a part of it ("Islamic State administrators", "a lot of X").
COLLECTIVE_HEADS = {
    "alliance", "coalition", "group", "groups", "lot", "members", "member", "dozens", "hundreds",
    "thousands", "some", "many", "most", "units", "unit", "part", "wing", "faction", "factions",
    "remnants", "elements", "number", "scores", "band", "convoy", "column",
}  # fmt: skip
PERSON_KINDS = {"person"}
INSTITUTION_KINDS = {"government", "military", "police", "state"}
# Armed bodies a person can command: their commander keeps the body's kind rather than "person"
# (the coder's armed kinds also count "state", whose office holders are persons).
COMMANDED_KINDS = {"military", "police", "rebel", "militia", "armed_group"}
# Prepositions whose object owns a title: "a spokesman for the army", "the president of Iraq".
OWNER_PREPS = {"for", "of"}
# Words other than adjectives and nouns that a title phrase can hold ("Secretary of State", "then-").
RUN_WORDS = {"of", "then", "ex"}


@dataclass(slots=True)
class NamedMatch:
    start: int  # token index
    end: int
    entry: ActorEntry
    demonym: bool  # matched a country's demonym ("Syrian"), not its name


@dataclass(slots=True)
class Title:
    """What a title phrase says of a person: the office, and the actor and country it belongs to."""

    role: str | None  # "president", "opposition leader"; None when only a country is stated
    country: str | None
    entry: ActorEntry | None  # the actor the office speaks for (RUS-GOV, HAMAS); None if not in office
    kind: str  # "person", or an armed kind for commanders ("military", "rebel")
    owner: str | None  # who the office belongs to, for the reason ("Russia")
    name: str | None = None  # the fullest name the article gives the person, for later mentions


class ActorFinder:
    """Holds the phrase matchers over the actor list; build once, reuse for every article."""

    def __init__(self, vocab: Vocab, catalog: ActorCatalog) -> None:
        self.catalog = catalog
        self._by_key: dict[str, tuple[ActorEntry, bool]] = {}
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._orth = PhraseMatcher(vocab, attr="ORTH")
        make = functools.partial(Doc, vocab)
        for entry in catalog.entries.values():
            for alias in entry.aliases:
                self._add(alias, entry, False, make)
            for demonym in entry.demonyms:
                self._add(demonym, entry, True, make)

    def _owns(self, phrase: str, entry: ActorEntry) -> bool:
        """A country word shared by several states ("American") belongs to the one the catalog chose."""
        owner = self.catalog.country_by_word.get(phrase.lower())
        return entry.kind != "state" or owner is None or owner == entry.id

    def _add(self, phrase: str, entry: ActorEntry, demonym: bool, make: functools.partial[Doc]) -> None:
        words = _split_words(phrase)
        if not words or not self._owns(phrase, entry):
            return
        key = f"{entry.id}|{int(demonym)}"
        self._by_key.setdefault(key, (entry, demonym))
        # Short all-caps names ("IS", "UN") must match case-sensitively or they swallow ordinary words.
        exact = phrase.isupper() and len(phrase.replace(".", "")) <= 4
        (self._orth if exact else self._lower).add(key, [make(words)])

    def analyse(self, doc: Doc) -> ArticleActors:
        """Find every named actor in ``doc`` and prepare coreference over them."""
        found: list[NamedMatch] = []
        for matcher in (self._orth, self._lower):
            for match_id, start, end in matcher(doc):
                entry, demonym = self._by_key[doc.vocab.strings[match_id]]
                found.append(NamedMatch(start, end, entry, demonym))
        # Longest match wins; among equals prefer a name over a demonym, then the specific (non-state) actor.
        found.sort(key=lambda m: (-(m.end - m.start), m.demonym, m.entry.kind == "state", m.start))
        taken: set[int] = set()
        kept: list[NamedMatch] = []
        for m in found:
            if taken.isdisjoint(range(m.start, m.end)):
                kept.append(m)
                taken.update(range(m.start, m.end))
        kept.sort(key=lambda m: m.start)
        return ArticleActors(doc, self.catalog, kept)


def _split_words(phrase: str) -> list[str]:
    """Tokenise an alias the way spaCy's English tokenizer splits news text (enough for matching)."""
    words: list[str] = []
    for raw in phrase.split():
        if raw.endswith("'s") and len(raw) > 2:
            words += [raw[:-2], "'s"]
        elif raw.endswith("'") and len(raw) > 1 and not raw.startswith("'"):
            words += [raw[:-1], "'"]
        elif "-" in raw and not raw.replace("-", "").isupper() and raw.count("-") == 1 and raw[0].islower():
            left, right = raw.split("-")
            words += [left, "-", right]
        else:
            words.append(raw)
    return words


class ArticleActors:
    """The actors of one article: named matches plus resolution of any noun phrase or pronoun."""

    def __init__(self, doc: Doc, catalog: ActorCatalog, named: list[NamedMatch]) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt from the tokens on every access
        self.catalog = catalog
        self.named = named
        self._at: dict[int, NamedMatch] = {i: m for m in named for i in range(m.start, m.end)}
        self._cache: dict[int, ActorRef | None] = {}
        self._single: dict[int, ActorRef | None] = {}
        # descriptor head word -> (descriptor words, named match): 'the jihadist group' looks up 'group'
        self._descriptors: dict[str, list[tuple[list[str], NamedMatch]]] = {}
        for m in named:
            if m.demonym or m.entry.kind == "state":
                continue
            for desc in m.entry.descriptors:
                parts = desc.lower().split()
                self._descriptors.setdefault(parts[-1], []).append((parts, m))
        self._antecedents: list[tuple[int, ActorRef, Token, int]] | None = None
        # name or surname (lower) -> (token index, title) of every person whose phrase states a title
        self._people: dict[str, list[tuple[int, Title]]] | None = None
        self._title_heads = {t.split()[-1] for t in catalog.person_titles}  # "minister", "state"

    # -- public -------------------------------------------------------------------------------------

    def mentions(self) -> list[ActorRef]:
        """Every named actor mention, for the article's ``actors[]``."""
        out = []
        for m in self.named:
            span = self.doc[m.start : m.end]
            head = span.root
            ref = self.resolve(head) if head.i in range(m.start, m.end) else None
            if ref is None or ref.id is None:
                ref = self._ref(span, m.entry, "name in actor list")
            out.append(ref)
        return out

    def resolve_head(self, token: Token) -> ActorRef | None:
        """Like ``resolve`` but for this noun alone, leaving out its conjuncts."""
        return self._resolve_single(token)

    def resolve_modified(self, noun: Token) -> ActorRef | None:
        """The actor a participle modifies: 'the army and its allies, supported by' covers both."""
        head = noun.head
        if noun.dep_ == "conj" and head.i < noun.i and not any(t.is_punct for t in self.doc[head.i : noun.i]):
            return self.resolve(head)
        return self._resolve_single(noun)

    def resolve(self, token: Token) -> ActorRef | None:
        """The actor a noun-phrase head (or pronoun) refers to, or None if it names nobody."""
        if self._antecedents is None:
            self._antecedent_list()
        if token.i not in self._cache:
            self._cache[token.i] = None  # guards against cycles through appositions
            self._cache[token.i] = self._resolve(token)
        return self._cache[token.i]

    def country_of(self, token: Token) -> str | None:
        """The country a hyphenated prefix or name refers to ("U.S.-backed" -> USA)."""
        return self.catalog.country_by_word.get(token.text.lower())

    def lookup_word(self, text: str) -> ActorEntry | None:
        """An actor named by a bare string (used for prefixes such as 'U.S.' in 'U.S.-backed')."""
        iso3 = self.catalog.country_by_word.get(text.lower())
        if iso3:
            return self.catalog.get(iso3)
        for entry in self.catalog.entries.values():
            if text in entry.aliases or text.lower() in (a.lower() for a in entry.aliases if len(a) > 4):
                return entry
        return None

    # -- resolution ---------------------------------------------------------------------------------

    def _resolve(self, head: Token) -> ActorRef | None:
        if head.pos_ == "PRON" or head.lower_ in PRONOUNS_RELATIVE:
            return self._resolve_pronoun(head)
        conjuncts = [c for c in head.conjuncts if c.i > head.i and c.pos_ in ("NOUN", "PROPN", "PRON")]
        # Semicolons separate list items ("the SDF, ...; the Syrian army ..."), not one compound actor.
        conjuncts = [c for c in conjuncts if not any(t.text == ";" for t in self.doc[head.i : c.i])]
        single = self._resolve_single(head)
        if not conjuncts:
            return single
        members = [r for r in [single, *(self._resolve_single(c) for c in conjuncts)] if r is not None]
        if len(members) <= 1:
            return members[0] if members else None
        last = conjuncts[-1]
        span = self.doc[head.left_edge.i : _np_end(last) + 1]
        countries = {m.country for m in members}
        return ActorRef(
            text=span.text,
            span=(span.start_char, span.end_char),
            id=None,
            name=" and ".join(m.name or m.text for m in members),
            kind=members[0].kind,
            country=countries.pop() if len(countries) == 1 else None,
            members=members,
            reason="compound actor (conjunction)",
        )

    def _resolve_single(self, head: Token) -> ActorRef | None:
        """``_resolve_noun`` memoised: pronoun search and role reading ask about the same nouns."""
        if head.i not in self._single:
            self._single[head.i] = None  # guards against cycles, as in ``resolve``
            self._single[head.i] = self._resolve_noun(head)
        return self._single[head.i]

    def _resolve_noun(self, head: Token) -> ActorRef | None:
        if head.pos_ == "PRON":
            return self._resolve_pronoun(head)
        np = self._np_tokens(head)
        np_span = self.doc[np[0].i : np[-1].i + 1]
        person = self._resolve_person(head, np_span)
        if person is not None:
            return person
        # "met Syrian President Bashar Assad Tuesday": the parser makes the weekday the head of the name.
        if head.ent_type_ == "DATE":
            named = [c for c in head.lefts if c.dep_ == "compound" and c.ent_type_ == "PERSON"]
            if named:
                return self._resolve_single(named[-1])
        matches = self._matches_in(np)
        names = [m for m in matches if not m.demonym]
        states = [m for m in matches if m.entry.kind == "state"]
        head_phrase = _head_phrase(head)
        institution = self.catalog.institution_nouns.get(head_phrase) or self.catalog.institution_nouns.get(
            head.lower_
        )
        if institution is None:  # "a Malian army convoy", "a police station": the owner's asset
            owner = next(
                (
                    c
                    for c in head.lefts
                    if c.dep_ == "compound" and c.lower_ in self.catalog.institution_nouns
                ),
                None,
            )
            institution = self.catalog.institution_nouns.get(owner.lower_) if owner is not None else None
        # A country with an institution noun: "Syrian army", "Turkey's government", "U.S. air power".
        if institution and states and not [m for m in names if m.entry.kind != "state"]:
            entry = self.catalog.institution(states[-1].entry.id, institution)
            return self._ref(np_span, entry, f"{states[-1].entry.name} + institution noun '{head_phrase}'")
        # The head itself is (part of) a name: "Islamic State", "the SDF", "Turkey".
        in_head = [m for m in matches if m.start <= head.i < m.end]
        if in_head and not in_head[0].demonym:
            return self._ref(np_span, in_head[0].entry, "name in actor list")
        if in_head and in_head[0].demonym and head.tag_ in ("NNPS", "NNS"):
            return self._ref(np_span, in_head[0].entry, "demonym as plural noun")
        # A name modifying a member noun: "Islamic State administrators", "Hamas fighters".
        specific = [m for m in names if m.entry.kind != "state"]
        if specific:
            return self._ref(np_span, specific[-1].entry, "named group modifying its members")
        for child in head.children:
            if child.dep_ == "appos":
                ref = self.resolve(child)
                if ref is not None and ref.id:
                    return self._ref(np_span, self.catalog.get(ref.id), "apposition")  # type: ignore[arg-type]
        described = self._resolve_description(head, np)
        if described is not None:
            return described
        if head.lower_ in COLLECTIVE_HEADS or head.lemma_.lower() in COLLECTIVE_HEADS:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            inner = self.resolve(obj)
                            if inner is not None:
                                return inner
        # "the army", "the troops" after "the Nigerian army": a definite institution noun names the
        # country's institution mentioned last.
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in head.children)
        if institution and not states and definite and self._antecedents is not None:
            earlier = [r for i, r, _, _ in self._antecedents if i < head.i and r.id and r.kind == institution]
            if earlier:
                entry = self.catalog.get(earlier[-1].id)
                if entry is not None:
                    return self._ref(np_span, entry, f"definite '{head_phrase}' after a named {institution}")
        # "armed men", "unidentified gunmen": an adjective can make the phrase an actor of another kind.
        modified = [f"{c.lower_} {head.lower_}" for c in head.lefts if c.dep_ == "amod"]
        kind = (
            next((self.catalog.generic_nouns[m] for m in modified if m in self.catalog.generic_nouns), None)
            or self.catalog.generic_nouns.get(head_phrase)
            or self.catalog.generic_nouns.get(head.lower_)
        )
        if kind is None and institution:
            kind = institution
        country = next((m.entry.id for m in reversed(states)), None)
        if kind is None and names and names[-1].entry.kind == "state":
            return self._ref(np_span, names[-1].entry, "country name")
        if kind is not None:
            return ActorRef(
                text=np_span.text,
                span=(np_span.start_char, np_span.end_char),
                kind=kind,
                country=country,
                reason=f"unknown actor named by head noun '{head_phrase}'",
            )
        if head.ent_type_ == "PERSON":
            return ActorRef(
                text=np_span.text, span=(np_span.start_char, np_span.end_char), name=_ent_text(head),
                kind="person", reason="person entity",
            )  # fmt: skip
        if head.ent_type_ == "GPE" and head.pos_ == "PROPN":  # a place name not in the actor list
            return ActorRef(
                text=np_span.text, span=(np_span.start_char, np_span.end_char), name=_ent_text(head),
                kind="location", reason="GPE entity not in actor list (a place, or a polity we do not know)",
            )  # fmt: skip
        if head.ent_type_ in ("ORG", "NORP") and head.pos_ == "PROPN":
            return ActorRef(
                text=np_span.text, span=(np_span.start_char, np_span.end_char), name=_ent_text(head),
                kind="organization" if head.ent_type_ == "ORG" else "identity group", country=country,
                reason=f"{head.ent_type_} entity not in actor list",
            )  # fmt: skip
        return None

    # -- persons ------------------------------------------------------------------------------------

    def _resolve_person(self, head: Token, np_span: Span) -> ActorRef | None:
        """A person named or described by an office: 'Russian President Vladimir Putin', 'Putin' after
        it, 'the Turkish foreign minister', 'a spokesman for the Syrian army'. None leaves the phrase to
        the other rules."""
        if head.i in self._at:  # part of a name in the actor list
            return None
        bounds = _person_bounds(head)
        if bounds is not None:
            name = self.doc[bounds[0] : bounds[1]].text
            title = self._stated_title(*bounds)
            how = "title in the phrase"
            if title is None or (title.country is None and title.entry is None):  # "Putin", "President Bush"
                known = self._known_person(*bounds)
                if known is not None:
                    title, how = known, "same person named elsewhere in the article"
                    name = known.name if known.name and len(known.name) > len(name) else name
            if title is None:
                return None
            return self._person_ref(np_span, name, title, how)
        if head.pos_ == "PROPN" and head.ent_type_ not in ("DATE", "TIME"):
            # "Abadi said" tagged as an organisation: a surname of a person the article introduced.
            start, end = _ent_bounds(head) if head.ent_type_ else (head.i, head.i + 1)
            known = self._known_person(start, end) if end - start < 4 else None
            if known is not None:
                return self._person_ref(
                    np_span, known.name, known, "same person named elsewhere in the article"
                )
        if head.tag_ not in ("NN", "NNP") or head.lower_ not in self._title_heads:
            return None
        title = self._title_of_head(head)
        if title is None:
            return None
        named = _named_person(head)
        if named is not None:
            name = self.doc[named[0] : named[1]].text
            known = self._known_person(*named)
            if known is not None and known.name and len(known.name) > len(name):
                name = known.name
            if known is not None and title.country is None and title.entry is None:
                title = known
            return self._person_ref(np_span, name, title, "title with the name beside it")
        earlier = self._earlier_holder(head, title)
        if earlier is not None:  # "the Syrian president", "the president" after the named one
            return self._person_ref(np_span, earlier.name, earlier, f"'the {title.role}' named earlier")
        if title.country is None and title.entry is None:
            return None
        return self._person_ref(np_span, None, title, "title")

    def _person_ref(self, span: Span, name: str | None, title: Title, how: str) -> ActorRef:
        office = f"'{title.role}'" if title.role else "country"
        owner = f" of {title.owner}" if title.owner else ""
        return ActorRef(
            text=span.text, span=(span.start_char, span.end_char), id=title.entry.id if title.entry else None,
            name=name, kind=title.kind, country=title.country,
            reason=f"person: {office}{owner} ({how})",
        )  # fmt: skip

    def _stated_title(self, start: int, end: int) -> Title | None:
        """What the phrase around a person's name says: a title before it or an apposition."""
        run = _run_before(self.doc, start)
        title = self._read_title(run, name_follows=True)
        if title is not None and title.role is not None:
            return title
        root = max(self.doc[start:end], key=lambda t: t.i if t.head.i not in range(start, end) else -1)
        for other in (
            *(c for c in root.children if c.dep_ == "appos"),
            root.head if root.dep_ == "appos" else None,
        ):
            if other is None or other.i in range(start, end) or other.lower_ not in self._title_heads:
                continue
            appos = self._title_of_head(other)
            if appos is not None and appos.role is not None:
                return appos
        return title  # only a country ("Turkish counterpart Tayyip Erdogan"), or None

    def _title_of_head(self, head: Token) -> Title | None:
        """A title whose last word is ``head``: its modifiers, else its 'for'/'of' object, own it."""
        title = self._read_title([*_run_before(self.doc, head.i), head], name_follows=False)
        if title is None or title.role is None:
            return None
        if title.owner is None:
            for prep in (c for c in head.rights if c.dep_ == "prep" and c.lower_ in OWNER_PREPS):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    ref = self.resolve(obj)
                    if ref is not None and (ref.id or ref.country) and ref.kind not in PERSON_KINDS:
                        return self._owned(title, self.catalog.get(ref.id), ref.country, ref.name or ref.text)
        return title

    def _read_title(self, run: list[Token], name_follows: bool) -> Title | None:
        """The office and owner a run of modifiers states; with ``name_follows`` the run may also give
        only a country ("Turkish counterpart", "British journalist")."""
        if not run:
            return None
        words = [t.lower_ for t in run]
        span = _title_span(words, self.catalog.person_titles)
        if span is None and not name_follows:
            return None
        owner = self._title_owner(run, span)
        if span is None:
            if owner is None:
                return None
            return Title(None, owner.entry.id, None, "person", owner.entry.name)
        before = run[: span[0]]
        role = _joined(words[span[0] : span[1]])
        title_kind = self.catalog.person_titles[role]
        sector = next((w for w in words if w in self.catalog.non_state), None)
        gone = any(t.lower_ in self.catalog.not_in_office for t in before)
        nouns = self.catalog.institution_nouns
        inst = next((nouns[t.lower_] for t in before if t.lower_ in nouns), None)  # "army spokesman"
        kind = self._title_kind(title_kind, owner, sector, inst)
        extra = sector if sector and sector not in role.split() else None
        role = " ".join(w for w in ("former" if gone else None, extra, role) if w)
        if owner is None:
            possessor = self._possessor(run)
            if possessor is None:
                return Title(role, None, None, kind, None)
            return Title(role, possessor.country, None if gone else possessor.entry, kind, possessor.owner)
        if owner.entry.kind != "state":  # "Hamas leader", "Kremlin spokesman", "UN envoy"
            return Title(role, owner.entry.country, None if gone else owner.entry, kind, owner.entry.name)
        # A state's office speaks for its institution, unless held no longer or outside the state.
        office = inst or title_kind
        in_office = not gone and sector is None and office in INSTITUTION_SUFFIX
        entry = self.catalog.institution(owner.entry.id, office) if office and in_office else None
        return Title(role, owner.entry.id, entry, kind, owner.entry.name)

    def _title_owner(self, run: list[Token], span: tuple[int, int] | None) -> NamedMatch | None:
        """Whose office it is: a possessive ("Syria's UN ambassador"), else the nearest actor before the
        title, else one in its 'of' complement. A hyphenated country ("Afghan-born") owns nothing."""
        inside = {t.i for t in run}
        owners = [
            m
            for m in self._matches_in(run)
            if inside.issuperset(range(m.start, m.end)) and not _hyphenated(self.doc, m)
        ]
        first = run[span[0]].i if span else len(self.doc)
        if span is None:  # no office: only a stated country counts
            owners = [m for m in owners if m.entry.kind == "state"]
        else:
            owners = [m for m in owners if m.end <= first or m.start > run[span[1] - 1].i]
        possessive = [m for m in owners if m.end < len(self.doc) and self.doc[m.end].tag_ == "POS"]
        ahead = [m for m in owners if m.end <= first]
        chosen = possessive or ahead or owners
        return chosen[-1] if chosen else None

    def _title_kind(
        self, title_kind: str | None, owner: NamedMatch | None, sector: str | None, inst: str | None
    ) -> str:
        """'person', unless the office is a command in an armed body ("rebel commander", "army chief"):
        armed or not decides how violence against or by them is coded."""
        if title_kind == "government":
            return "person"
        org = owner.entry.kind if owner is not None and owner.entry.kind != "state" else None
        sector_kind = self.catalog.generic_nouns.get(sector) if sector else None
        base = org or sector_kind or inst or title_kind
        return base if base in COMMANDED_KINDS else "person"

    def _owned(self, title: Title, entry: ActorEntry | None, country: str | None, owner: str) -> Title:
        """A title owned by the actor of a 'for'/'of' phrase ("a spokesman for the Syrian army")."""
        kind = title.kind
        if (
            entry is not None
            and entry.kind in COMMANDED_KINDS
            and self.catalog.person_titles.get(title.role or "") != "government"
        ):
            kind = entry.kind
        gone = (title.role or "").startswith("former ")
        return Title(title.role, country, None if gone else entry, kind, owner)

    def _possessor(self, run: list[Token]) -> Title | None:
        """'Putin's spokesman': the office of a person's aide belongs to that person's owner."""
        first = run[0]
        if first.tag_ != "POS" or first.i == 0:
            return None
        bounds = _person_bounds(self.doc[first.i - 1])
        if bounds is None:
            return None
        found = self._stated_title(*bounds) or self._known_person(*bounds)
        return found if found is not None and found.country is not None else None

    def _person_index(self) -> dict[str, list[tuple[int, Title]]]:
        """Every person of the article whose own phrase states a country or an owner, by name and surname."""
        if self._people is None:
            self._people = {}
            i = 0
            while i < len(self.doc):
                bounds = _person_bounds(self.doc[i])
                if bounds is None or bounds[0] < i:
                    i += 1
                    continue
                title = self._stated_title(*bounds)
                if title is not None and (title.country or title.entry):
                    name = self.doc[bounds[0] : bounds[1]]
                    title.name = name.text
                    for key in {name.text.lower(), name[-1].lower_}:
                        self._people.setdefault(key, []).append((bounds[0], title))
                i = bounds[1]
        return self._people

    def _known_person(self, start: int, end: int) -> Title | None:
        """A name stated with a title elsewhere in the article ("Putin" after "Russian President Vladimir
        Putin"); nothing when the mentions disagree on the country."""
        name = self.doc[start:end]
        index = self._person_index()
        found = [t for i, t in index.get(name.text.lower(), []) if i != start]
        # By surname: "Putin", "al-Assad"; not "Michelle Obama" after "Barack Obama".
        if not found and len(name[-1].text) > 2:
            found = [
                t
                for i, t in index.get(name[-1].lower_, [])
                if i != start and f" {t.name or ''}".lower().endswith(f" {name.text.lower()}")
            ]
        countries = {t.country for t in found}
        if not found or len(countries) != 1:
            return None
        entries = {t.entry.id if t.entry else None for t in found}
        first = found[0]
        entry = first.entry if len(entries) == 1 else None
        fullest = max((t.name or "" for t in found), key=len) or None
        return Title(first.role, first.country, entry, first.kind, first.owner, fullest)

    def _earlier_holder(self, head: Token, title: Title) -> Title | None:
        """'the president said' after 'Syrian President Bashar al-Assad': the last person named before
        it with that office (and that country, when the phrase states one)."""
        if title.role is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        best: tuple[int, Title] | None = None
        for entries in self._person_index().values():
            for i, held in entries:
                same = held.role == title.role and title.country in (None, held.country)
                if same and i < head.i and (best is None or i > best[0]):
                    best = (i, held)
        return best[1] if best else None

    def _resolve_description(self, head: Token, np: list[Token]) -> ActorRef | None:
        """'the jihadist group' -> the named actor of this article whose descriptors fit best."""
        heads = {head.lower_, head.lemma_.lower()}
        candidates = [c for h in heads for c in self._descriptors.get(h, ())]
        if not candidates:
            return None
        words = {t.lower_ for t in np if t.i < head.i} | {t.lemma_.lower() for t in np if t.i < head.i}
        best: tuple[int, int, ActorEntry] | None = None
        for parts, m in candidates:
            if not all(p in words for p in parts[:-1]):
                continue
            # More matching words first, then the nearest preceding mention, then the first following;
            # a one-word description ("militants") never points forward: too many groups fit it.
            if m.start > head.i and len(parts) < 2:
                continue
            distance = head.i - m.start if m.start < head.i else 10_000 + (m.start - head.i)
            key = (len(parts), -distance)
            if best is None or key > best[:2]:
                best = (key[0], key[1], m.entry)
        if best is None:
            return None
        span = self.doc[np[0].i : np[-1].i + 1]
        return self._ref(span, best[2], "description of an actor named in the article")

    def _resolve_pronoun(self, pron: Token) -> ActorRef | None:
        lower = pron.lower_
        if lower in PRONOUNS_RELATIVE:
            if pron.head.dep_ == "relcl":
                return self.resolve(pron.head.head)
            return None
        want_person = lower in PRONOUNS_PERSON
        want_plural = lower in PRONOUNS_THEY
        if not (want_person or want_plural or lower in PRONOUNS_IT):
            return None
        sent_start = pron.sent.start
        best: ActorRef | None = None
        best_key: tuple[int, int, int] | None = None
        # "troops freed them": an object pronoun does not point to the subject of its own verb.
        own_subjects = (
            {c.i for c in pron.head.children if c.dep_ in ("nsubj", "nsubjpass")}
            if pron.dep_ in ("dobj", "pobj", "dative")
            else set()
        )
        window_start = _sentence_back(pron, 3)
        for i, ref, tok, tok_sent in self._antecedent_list():
            if i >= pron.i:
                break
            if i in own_subjects:
                continue
            if i < sent_start and tok_sent < window_start:
                continue
            is_person = ref.kind in PERSON_KINDS
            if want_person != is_person:
                continue
            plural = tok.tag_ in ("NNS", "NNPS") or bool(ref.members)
            if not want_person and not want_plural and plural:
                continue
            same_sentence = i >= sent_start
            subject = tok.dep_ in ("nsubj", "nsubjpass")
            # Same sentence: nearest; earlier sentences: the nearest sentence, subjects first.
            key = (1, 0, i) if same_sentence else (0, tok_sent, (1 if subject else 0) * 100_000 + i)
            if best_key is None or key > best_key:
                best, best_key = ref, key
        if best is None:
            return None
        return ActorRef(
            text=pron.text, span=(pron.idx, pron.idx + len(pron.text)), id=best.id, name=best.name,
            kind=best.kind, country=best.country, members=best.members,
            reason=f"pronoun resolved to '{best.text}'",
        )  # fmt: skip

    def _antecedent_list(self) -> list[tuple[int, ActorRef, Token, int]]:
        """Noun phrases that name an actor, in text order, with their sentence start (pronoun candidates)."""
        if self._antecedents is None:
            self._antecedents = []
            sent_of = {t.i: sent.start for sent in self.doc.sents for t in sent}
            for tok in self.doc:
                if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in (
                    "nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "ROOT", "attr", "agent",
                ):  # fmt: skip
                    ref = self._resolve_single(tok)
                    named = ref is not None and ref.name and ref.kind in ("organization", "location")
                    # groups named by a plural noun ("students", "rebels") are what "they" points back to
                    group = ref is not None and ref.kind is not None and tok.tag_ in ("NNS", "NNPS")
                    # "the government ... it", "the army ... its": institutions are what "it" points back to
                    institution = ref is not None and ref.kind in INSTITUTION_KINDS
                    if ref is not None and (ref.id or ref.kind == "person" or named or group or institution):
                        self._antecedents.append((tok.i, ref, tok, sent_of[tok.i]))
        return self._antecedents

    # -- helpers ------------------------------------------------------------------------------------

    def _np_tokens(self, head: Token) -> list[Token]:
        """Pre-modifiers and head of a noun phrase (no relative clauses, no trailing prepositions)."""
        start = head.i
        for child in head.lefts:
            if child.dep_ in (
                "det",
                "amod",
                "compound",
                "poss",
                "nummod",
                "nmod",
                "case",
                "punct",
                "quantmod",
            ):
                start = min(start, child.left_edge.i)
        end = head.i
        for child in head.rights:
            if child.dep_ == "appos" or (child.dep_ == "punct" and child.text in "()"):
                end = max(end, child.i)
        tokens = [t for t in self.doc[start : end + 1] if t.dep_ != "relcl" or t == head]
        while len(tokens) > 1 and tokens[0].is_punct:
            tokens.pop(0)
        return tokens

    def _matches_in(self, tokens: list[Token]) -> list[NamedMatch]:
        seen: list[NamedMatch] = []
        for t in tokens:
            m = self._at.get(t.i)
            if m is not None and (not seen or seen[-1] is not m):
                seen.append(m)
        return seen

    def _ref(self, span: Span, entry: ActorEntry, reason: str) -> ActorRef:
        return ActorRef(
            text=span.text, span=(span.start_char, span.end_char), id=entry.id, name=entry.name,
            kind=entry.kind, country=entry.country, reason=reason,
        )  # fmt: skip


def _head_phrase(head: Token) -> str:
    """The head noun with its noun compounds ('air power', 'security forces'), lower-cased."""
    mods = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    return " ".join([*(m.lower_ for m in mods), head.lower_])


def _np_end(tok: Token) -> int:
    return tok.i


def _ent_text(tok: Token) -> str:
    """The whole entity a token belongs to, read from IOB tags (doc.ents rebuilds every span)."""
    if not tok.ent_type_:
        return tok.text
    start, end = _ent_bounds(tok)
    return tok.doc[start:end].text


def _sentence_back(tok: Token, n: int) -> int:
    """Start token index of the sentence ``n`` sentences before ``tok``'s."""
    sent = tok.sent
    for _ in range(n):
        if sent.start == 0:
            break
        sent = tok.doc[sent.start - 1].sent
    return sent.start


def _person_bounds(tok: Token) -> tuple[int, int] | None:
    """Token range of the PERSON entity ``tok`` belongs to, without a title the model put inside it."""
    if tok.ent_type_ != "PERSON":
        return None
    doc = tok.doc
    start, end = _ent_bounds(tok)
    while end - start > 1 and doc[start].lower_.rstrip(".") in ("mr", "mrs", "ms", "dr", "president", "gen"):
        start += 1
    return (start, end) if start <= tok.i else None


def _joined(words: list[str]) -> str:
    """Words of a title as the data file spells them ("secretary - general" -> "secretary-general")."""
    return " ".join(words).replace(" - ", "-")


def _title_span(words: list[str], titles: dict[str, str | None]) -> tuple[int, int] | None:
    """The rightmost, then longest, title phrase in ``words``. Only an 'of' complement may follow it
    ("Secretary of State"); anything else means the title modifies another noun."""
    span: tuple[int, int] | None = None
    for s in range(len(words)):
        for e in range(len(words), s, -1):
            if _joined(words[s:e]) in titles:
                if span is None or e > span[1]:
                    span = (s, e)
                break
    if span is not None and span[1] < len(words) and words[span[1]] != "of":
        return None
    return span


def _ent_bounds(tok: Token) -> tuple[int, int]:
    """Token range of the entity ``tok`` belongs to, read from IOB tags."""
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _named_person(head: Token) -> tuple[int, int] | None:
    """The person a title noun names: the name right after it ("minister Haider al-Abadi") or beside it
    in apposition ("the Russian president, Vladimir Putin," / "Putin, the Russian president,")."""
    doc = head.doc
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if nxt is not None and nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "B":
        return _person_bounds(nxt)
    for other in (
        *(c for c in head.children if c.dep_ == "appos"),
        head.head if head.dep_ == "appos" else None,
    ):
        if other is not None and other.ent_type_ == "PERSON":
            return _person_bounds(other)
    return None


def _run_before(doc: Doc, i: int) -> list[Token]:
    """The modifiers left of token ``i`` that can belong to a title: 'Iraq 's prime', 'the Syrian army'.
    Stops at verbs, punctuation, conjunctions, other names and hyphenated adjectives ('U.S.-backed')."""
    out: list[Token] = []
    j = i - 1
    start = doc[i].sent.start if i < len(doc) else 0
    while j >= start and len(out) < 10:
        t = doc[j]
        if t.ent_type_ == "PERSON" or ("-" in t.text and len(t.text) > 1):
            break
        joined = t.text == "-" and j > start and not t.whitespace_ and not doc[j - 1].whitespace_
        if not (joined or t.pos_ in ("ADJ", "NOUN", "PROPN") or t.tag_ == "POS" or t.lower_ in RUN_WORDS):
            break  # a determiner, verb, number or punctuation ends the phrase
        out.append(t)
        j -= 1
    out.reverse()
    while out and (out[0].lower_ == "of" or out[0].text == "-"):
        out.pop(0)
    return out


def _hyphenated(doc: Doc, m: NamedMatch) -> bool:
    """'Afghan-born', 'Iranian-backed': a country joined by a hyphen modifies something else."""
    return (m.end < len(doc) and doc[m.end].text == "-") or (m.start > 0 and doc[m.start - 1].text == "-")
