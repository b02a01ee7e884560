"""Finds actors in a parsed article and resolves noun phrases, descriptions and pronouns to them.

Three mechanisms, in order: names and aliases from the actor list ("ISIL", "Daesh"); a country with
an institution noun ("Syrian army" -> the Syrian military); and, for phrases that name nobody,
coreference within the article: descriptions ("the jihadist group") resolve to a named actor of the
article whose descriptors fit, pronouns to the nearest compatible actor before them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from eventwire.actors.catalog import ActorCatalog, ActorEntry
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


@dataclass(slots=True)
class NamedMatch:
    start: int  # token index
    end: int
    entry: ActorEntry
    demonym: bool  # matched a country's demonym ("Syrian"), not its name


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

    def _add(self, phrase: str, entry: ActorEntry, demonym: bool, make: functools.partial[Doc]) -> None:
        words = _split_words(phrase)
        if not words:
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
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text


def _sentence_back(tok: Token, n: int) -> int:
    """Start token index of the sentence ``n`` sentences before ``tok``'s."""
    sent = tok.sent
    for _ in range(n):
        if sent.start == 0:
            break
        sent = tok.doc[sent.start - 1].sent
    return sent.start
