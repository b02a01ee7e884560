"""The rule-based event coder: triggers from the lexicon, roles from the dependency parse.

For every trigger (a verb, an event noun, or an "X-backed" adjective) it finds who acted (actor1)
and on whom (actor2) through subjects, objects, passive agents, reduced relatives, control and
coordination; then where and when from the places and dates of its own clause; then whether the
text negates it, plans or threatens it, or attributes it to a speaker. Every value keeps its span
and the ``rule`` field says which construction produced the mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from eventwire.actors.finder import ArticleActors
from eventwire.events.lexicon import Lexicon, TriggerEntry, load_lexicon
from eventwire.records import Acled, ActorRef, Mention, PlaceRef, TimeRef, Trigger

CODER_VERSION = "rules-0.1"

ARG_PREPS = {"against", "on", "at", "upon", "toward", "towards", "into", "with", "targeting"}
SUPPORT_SUFFIXES = {
    "backed": ("SUPPORT", None), "supported": ("SUPPORT", None), "sponsored": ("SUPPORT", None),
    "funded": ("AID", "economic"), "armed": ("AID", "military"), "trained": ("AID", "military"),
    "allied": ("COOPERATE", None),
}  # fmt: skip
STATE_KINDS = {"state", "military", "police", "government"}
ARMED_KINDS = {"military", "police", "rebel", "armed_group", "militia", "state"}
TERRITORY_NOUNS = {
    "town", "towns", "village", "villages", "city", "cities", "area", "areas", "territory", "base", "bases",
    "district", "districts", "province", "region", "control", "airport", "hill", "hills", "positions",
    "position", "neighbourhood", "neighborhood", "checkpoint", "checkpoints", "stronghold", "strongholds",
    "outpost", "outposts", "border", "crossing", "port", "bridge", "road", "highway", "camp", "enclave",
    "suburb", "suburbs", "county", "capital", "oilfield", "dam", "garrison", "barracks",
}  # fmt: skip
PLACE_RANK = {"place": 0, "near": 1, "region": 2, "country": 3, None: 4}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
PARTICLES = {"back", "out", "down", "up", "over", "off"}
KILL_LEMMAS = {"kill", "die", "dead", "death", "massacre", "execute", "slaughter", "behead", "toll"}

AttributionLookup = Callable[[tuple[int, int]], str | None]


@dataclass(slots=True)
class _Found:
    """A trigger and the token whose clause decides its roles, date and modes."""

    token: Token
    entry: TriggerEntry
    clause: Token
    text_span: tuple[int, int]
    rule: str


class EventCoder:
    """Codes PLOVER (and, for violence and protest, ACLED) mentions from a parsed article."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()

    def code(
        self,
        doc: Doc,
        actors: ArticleActors,
        places: list[PlaceRef],
        dates: list[TimeRef],
        attribution: AttributionLookup | None = None,
        publication: TimeRef | None = None,
    ) -> list[Mention]:
        mentions: list[Mention] = []
        for sent in doc.sents:
            found = self._triggers(sent, actors)
            for f in found:
                mention = self._mention(f, sent, actors, places, dates, attribution, publication)
                if mention is not None:
                    mentions.append(mention)
        return mentions

    # -- triggers -----------------------------------------------------------------------------------

    def _triggers(self, sent: Span, actors: ArticleActors) -> list[_Found]:
        found: list[_Found] = []
        taken: set[int] = set()
        for tok in sent:
            if tok.i in taken:
                continue
            hit = self._hyphen_support(tok, actors) or self._lookup(tok)
            if hit is None:
                continue
            found.append(hit)
            taken.add(tok.i)
        # An event noun that is the object of an event verb of the same type is the same event.
        verbs = {f.token.i: f for f in found if f.entry.pos == "VERB"}
        kept = []
        for f in found:
            head = verbs.get(f.token.head.i)
            same = head is not None and head.entry.type == f.entry.type
            if f.entry.pos == "NOUN" and same and f.token.dep_ == "dobj":
                continue
            kept.append(f)
        return kept

    def _lookup(self, tok: Token) -> _Found | None:
        if tok.pos_ == "VERB":
            pos = "VERB"
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("GPE", "ORG", "PERSON", "NORP"):
            pos = "NOUN"
        else:
            return None
        lemma = tok.lemma_.lower()
        entry = None
        start, end = tok.idx, tok.idx + len(tok.text)
        if pos == "VERB":
            for child in tok.children:
                if child.dep_ == "prt" or (child.dep_ == "advmod" and child.lower_ in PARTICLES):
                    entry = self.lex.trigger(f"{lemma} {child.lower_}", pos)
                elif child.dep_ == "dobj" and child.lower_ == "control":
                    entry = self.lex.trigger(f"{lemma} control", pos)
                if entry is not None:
                    start, end = min(start, child.idx), max(end, child.idx + len(child.text))
                    break
            # A phrasal verb is another verb ("carry out" is not "carry"), unless listed as such.
            has_particle = any(c.dep_ == "prt" for c in tok.children)
            if entry is None and has_particle and lemma not in ("hit", "strike", "fight"):
                return None
        else:
            for child in tok.lefts:
                if child.dep_ in ("compound", "amod") and child.i == tok.i - 1:
                    entry = self.lex.trigger(f"{child.lower_} {lemma}", pos) or self.lex.trigger(
                        f"{child.lemma_.lower()} {lemma}", pos
                    )
                    if entry is not None:
                        start = child.idx
                        break
        if entry is None:
            # Several senses per lemma ("march" on a city vs "march" through it): first that fits.
            senses = self.lex.senses(lemma, pos) or self.lex.senses(tok.lower_, pos)
            entry = next((e for e in senses if pos != "VERB" or self._verb_fits(tok, e)), None)
        elif pos == "VERB" and not self._verb_fits(tok, entry):
            return None
        if entry is None:
            return None
        clause = tok
        rule = f"{pos.lower()} trigger '{lemma}'"
        if (
            pos == "NOUN"
            and tok.dep_ in ("dobj", "nsubjpass")
            and tok.head.lemma_.lower() in self.lex.light_verbs
        ):
            clause = tok.head
            rule = f"light verb '{clause.lemma_}' + noun '{lemma}'"
            start = min(start, clause.idx)
        return _Found(tok, entry, clause, (start, end), rule)

    def _verb_fits(self, tok: Token, entry: TriggerEntry) -> bool:
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        if entry.requires_prep and not preps & set(entry.requires_prep):
            return False
        need = entry.requires_prep_for.get(entry.lemma) if entry.requires_prep_for else None
        if need and not preps & set(need):
            return False
        # A territorial verb's object can drift away in the parse ("capturing in December, for a
        # second time, the city of X"): then a place-like word later in the sentence will do.
        has_object = bool(objects) or bool(preps & ARG_PREPS) or _is_passive(tok)
        if entry.needs_object and not has_object and not (entry.territorial and _place_follows(tok)):
            return False
        if entry.needs_no_object and objects:
            return False
        if entry.needs_place and not any(o.ent_type_ in ("GPE", "LOC", "FAC") for o in objects):
            return False
        if entry.territorial and entry.lemma in ("occupy", "liberate", "conquer"):
            return bool(objects)
        return True

    def _hyphen_support(self, tok: Token, actors: ArticleActors) -> _Found | None:
        """'U.S.-backed alliance', 'Iranian-funded militia': an adjective that states support."""
        lower = tok.lower_
        if "-" in lower and tok.dep_ in ("amod", "compound"):
            prefix, _, suffix = tok.text.rpartition("-")
            if suffix.lower() in SUPPORT_SUFFIXES and prefix and actors.lookup_word(prefix):
                kind, mode = SUPPORT_SUFFIXES[suffix.lower()]
                entry = TriggerEntry(lemma=suffix.lower(), pos="ADJ", type=kind, mode=mode)
                return _Found(
                    tok, entry, tok, (tok.idx, tok.idx + len(tok.text)), "adjectival support 'X-backed'"
                )
        if tok.lower_ in SUPPORT_SUFFIXES and tok.dep_ == "amod" and tok.i > 1 and tok.nbor(-1).text == "-":
            kind, mode = SUPPORT_SUFFIXES[tok.lower_]
            entry = TriggerEntry(lemma=tok.lower_, pos="ADJ", type=kind, mode=mode)
            start = tok.nbor(-2).idx
            return _Found(tok, entry, tok, (start, tok.idx + len(tok.text)), "adjectival support 'X-backed'")
        return None

    # -- one mention --------------------------------------------------------------------------------

    def _mention(
        self,
        f: _Found,
        sent: Span,
        actors: ArticleActors,
        places: list[PlaceRef],
        dates: list[TimeRef],
        attribution: AttributionLookup | None,
        publication: TimeRef | None,
    ) -> Mention | None:
        entry = f.entry
        if entry.pos == "ADJ":
            actor1, actor2 = self._adjective_roles(f.token, actors)
        elif entry.pos == "VERB":
            actor1, actor2 = self._verb_roles(f.token, entry, actors)
        else:
            actor1, actor2 = self._noun_roles(f, actors)
        # "threatened to attack" is a THREATEN, coded on 'threaten'; the attack itself did not happen.
        if entry.pos == "VERB" and f.token.dep_ == "xcomp":
            head_entry = self.lex.trigger(f.token.head.lemma_.lower(), "VERB")
            if head_entry is not None and head_entry.modal_head:
                return None
        type_, mode = entry.type, entry.mode
        if entry.modal_head and actor2 is None:
            for child in f.token.children:
                if child.dep_ == "xcomp":
                    inner = self.lex.trigger(child.lemma_.lower(), "VERB")
                    _, actor2 = self._verb_roles(child, inner or entry, actors)
                    if inner is not None and inner.type == "ASSAULT":
                        mode = "force"
        place = self._place(f, sent, places, actor1, actor2)
        if entry.pos == "VERB" and actor1 is None and actor2 is None and place is None:
            return None
        anchored = entry.type == "ASSAULT" and (place is not None or f.clause != f.token)
        if entry.pos == "NOUN" and actor1 is None and actor2 is None and not anchored:
            return None
        negated, hypothetical = self._modes(f)
        date = self._date(f, dates) or publication
        fatalities = _fatalities(f.token, sent) if type_ == "ASSAULT" or entry.protest else None
        start, end = f.text_span
        mention = Mention(
            type=type_,
            trigger=Trigger(text=f.token.doc.text[start:end], span=(start, end)),
            sentence=_trimmed(sent),
            mode=mode,
            actor1=actor1,
            actor2=actor2,
            place=place,
            date=date,
            fatalities=fatalities,
            negated=negated,
            hypothetical=hypothetical,
            attributed_to=self._attributed(f, actors, attribution),
            rule=f.rule,
        )
        mention.acled = self._acled(entry, mention, sent)
        mention.confidence = _confidence(mention, entry)
        return mention

    # -- roles --------------------------------------------------------------------------------------

    def _verb_roles(
        self, verb: Token, entry: TriggerEntry, actors: ArticleActors
    ) -> tuple[ActorRef | None, ActorRef | None]:
        passive = _is_passive(verb)
        agent_tok = _agent(verb)
        patient_tok: Token | None = None
        if passive:
            patient_tok = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if patient_tok is None and verb.dep_ == "acl":
                patient_tok = verb.head
            elif patient_tok is None:
                patient_tok = _inherited_subject(verb)
        else:
            agent_tok = _subject(verb)
            patient_tok = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
            if patient_tok is None or actors.resolve(patient_tok) is None:
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in ARG_PREPS:
                        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if obj is not None and actors.resolve(obj) is not None:
                            patient_tok = obj
                            break
        between = _between(verb) if entry.between else None
        if between:
            return actors.resolve_head(between[0]), actors.resolve_head(between[1])
        actor1 = actors.resolve(agent_tok) if agent_tok is not None else None
        if patient_tok is not None and verb.dep_ == "acl" and patient_tok == verb.head:
            actor2 = actors.resolve_modified(patient_tok)
        else:
            actor2 = actors.resolve(patient_tok) if patient_tok is not None else None
        # "Troops and rebels clashed": a symmetric event between the conjuncts of its subject.
        if entry.between and actor2 is None and actor1 is not None and len(actor1.members) == 2:
            return actor1.members[0], actor1.members[1]
        return actor1, actor2

    def _noun_roles(self, f: _Found, actors: ArticleActors) -> tuple[ActorRef | None, ActorRef | None]:
        noun, entry = f.token, f.entry
        between = _between(noun) if entry.between else None
        if between:
            return actors.resolve_head(between[0]), actors.resolve_head(between[1])
        actor1: ActorRef | None = None
        actor2: ActorRef | None = None
        if f.clause != noun:
            subj = _subject(f.clause)
            actor1 = actors.resolve(subj) if subj is not None else None
        for child in noun.children:
            if child.dep_ == "poss" and actor1 is None:
                actor1 = actors.resolve(child)
            elif child.dep_ in ("amod", "compound") and actor1 is None and child.i < noun.i:
                named = actors._at.get(child.i)  # "Russian airstrikes", "U.S. drone strike"
                if named is not None and named.entry.kind == "state":
                    kind = "military" if entry.type in ("ASSAULT", "MOBILIZE") else None
                    e = actors.catalog.institution(named.entry.id, kind) if kind else named.entry
                    actor1 = ActorRef(
                        text=child.text, span=(child.idx, child.idx + len(child.text)), id=e.id, name=e.name,
                        kind=e.kind, country=e.country, reason="country modifying the event noun",
                    )  # fmt: skip
                elif named is not None:
                    actor1 = actors.resolve(child)
            elif child.dep_ == "prep":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                if child.lower_ == "by" and actor1 is None:
                    actor1 = actors.resolve(obj)
                elif child.lower_ in ARG_PREPS and actor2 is None:
                    actor2 = actors.resolve(obj)
                elif child.lower_ == "of":
                    ref = actors.resolve(obj)
                    if entry.of_role == "actor1" and actor1 is None:
                        actor1 = ref
                    elif actor2 is None:
                        actor2 = ref
        if noun.dep_ == "nsubj" and actor2 is None:  # "An airstrike killed six civilians"
            obj = next((c for c in noun.head.children if c.dep_ == "dobj"), None)
            if obj is not None and noun.head.lemma_.lower() in KILL_LEMMAS | {"wound", "injure", "hit"}:
                actor2 = actors.resolve(obj)
        return actor1, actor2

    def _adjective_roles(self, adj: Token, actors: ArticleActors) -> tuple[ActorRef | None, ActorRef | None]:
        if "-" in adj.text:
            prefix = adj.text.rpartition("-")[0]
            start = adj.idx
        else:
            prefix_tok = adj.nbor(-2)
            prefix, start = prefix_tok.text, prefix_tok.idx
        entry = actors.lookup_word(prefix) or actors.lookup_word(prefix.strip("."))
        actor1 = None
        if entry is not None:
            actor1 = ActorRef(
                text=prefix, span=(start, start + len(prefix)), id=entry.id, name=entry.name, kind=entry.kind,
                country=entry.country, reason="prefix of an 'X-backed' adjective",
            )  # fmt: skip
        return actor1, actors.resolve(adj.head)

    # -- where, when, how ---------------------------------------------------------------------------

    def _place(
        self, f: _Found, sent: Span, places: list[PlaceRef], actor1: ActorRef | None, actor2: ActorRef | None
    ) -> PlaceRef | None:
        """The place of the event: its own clause first, then what follows the trigger, then the sentence."""
        in_sent = [p for p in places if sent.start_char <= p.span[0] < sent.end_char and p.lat is not None]
        if not in_sent:
            return None
        actor_spans = [a.span for a in (actor1, actor2) if a is not None]
        for child in f.clause.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                actor_spans.append((child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)))
        # A place inside an actor's phrase ("fighters from Aleppo") says where the actor is from.
        free = [p for p in in_sent if not any(s[0] <= p.span[0] < s[1] for s in actor_spans)] or in_sent
        subtree = f.clause.subtree if f.clause != f.token else f.token.subtree
        sub_chars = {(t.idx) for t in subtree}
        own = [p for p in free if any(p.span[0] <= c < p.span[1] for c in sub_chars)]
        trigger_at = f.text_span[0]
        if own:
            return min(own, key=lambda p: (PLACE_RANK.get(p.precision, 4), abs(p.span[0] - trigger_at)))
        after = [p for p in free if p.span[0] > trigger_at]
        if after:
            return min(after, key=lambda p: (PLACE_RANK.get(p.precision, 4), p.span[0] - trigger_at))
        return min(free, key=lambda p: (abs(p.span[0] - trigger_at), PLACE_RANK.get(p.precision, 4)))

    def _date(self, f: _Found, dates: list[TimeRef]) -> TimeRef | None:
        """The date of the event's own clause; failing that, of the clauses governing it."""
        if not dates:
            return None
        by_start = {d.span[0]: d for d in dates if d.start is not None}
        if not by_start:
            return None
        node: Token | None = f.clause
        depth = 0
        while node is not None and depth < 5:
            own = [d for d in _direct_dates(node, by_start)]
            if own:
                return own[0]
            if node.dep_ in ("ROOT",) or node.head == node:
                break
            node = node.head
            depth += 1
        return None

    def _modes(self, f: _Found) -> tuple[bool, bool]:
        lex = self.lex
        node = f.clause
        negated = any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in f.token.children)
        hypothetical = False
        depth = 0
        while node is not None and depth < 4:
            kids = list(node.children)
            if any(c.dep_ == "neg" for c in kids):
                negated = True
            if any(c.tag_ == "MD" and c.lower_ in lex.future_modals for c in kids):
                hypothetical = True
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in kids):
                hypothetical = True
            if node != f.clause:
                lemma = node.lemma_.lower()
                if lemma in lex.hypothetical_heads:
                    hypothetical = True
                if lemma in lex.negating_heads:
                    negated = True
            if (
                node.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj")
                or node.head == node
            ):
                break
            # Only control and complement clauses pass planning or negation down to the event.
            if node.dep_ in ("conj", "advcl", "prep", "pobj", "pcomp") and depth > 0:
                break
            node = node.head
            depth += 1
        # "a plan to attack", "plans to attack" parsed as a noun with an infinitive
        if f.clause.dep_ == "acl" and f.clause.head.lemma_.lower() in lex.hypothetical_heads:
            hypothetical = True
        # "is going to attack"
        if f.clause.dep_ == "xcomp" and f.clause.head.lower_ == "going":
            hypothetical = True
        return negated, hypothetical

    def _attributed(
        self, f: _Found, actors: ArticleActors, attribution: AttributionLookup | None
    ) -> str | None:
        """Who claims the event: a governing speech verb or 'according to', else the quote around it."""
        node = f.clause
        for _ in range(6):
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ == "according":
                    obj = next((t for t in child.subtree if t.dep_ == "pobj"), None)
                    if obj is not None:
                        return _speaker_name(obj, actors)
            if node.head == node:
                break
            node = node.head
            if node.lemma_.lower() in self.lex.speech_verbs and node.pos_ == "VERB":
                subj = _subject(node)
                if subj is not None:
                    return _speaker_name(subj, actors)
        if attribution is not None:
            return attribution(f.text_span)
        return None

    def _acled(self, entry: TriggerEntry, m: Mention, sent: Span) -> Acled | None:
        hint = entry.acled
        if hint is None or m.type not in ("ASSAULT", "PROTEST", "COERCE", "AGREE"):
            return None
        if m.type == "AGREE" and hint != "agreement":
            return None
        words = _instrument_hints(sent, self.lex.instruments)
        a1_kind = m.actor1.kind if m.actor1 else None
        a2_kind = m.actor2.kind if m.actor2 else None
        if m.type == "ASSAULT":
            if hint == "territory":
                hint = "territory_state" if a1_kind in STATE_KINDS else "territory"
            elif hint not in ("abduct", "sexual"):
                for candidate in ("chemical", "suicide", "air", "drone", "shelling", "grenade", "ied"):
                    if candidate in words:
                        hint = "air" if candidate == "drone" else candidate
                        break
                else:
                    if hint == "air":  # 'struck', 'bombed' with no aircraft named
                        hint = (
                            "air" if a1_kind in STATE_KINDS else "ied" if "bomb" in entry.lemma else "clash"
                        )
                    elif a2_kind == "civilians" or (hint == "civilian_attack" and a2_kind not in ARMED_KINDS):
                        hint = "civilian_attack"
                    else:
                        hint = "clash"
        elif m.type == "PROTEST" and hint == "protest":
            if "protest_force" in words or (m.fatalities or 0) > 0:
                hint = "protest_force"
            elif "protest_intervention" in words:
                hint = "protest_intervention"
        elif m.type == "COERCE" and hint not in ("arrest", "protest_intervention", "loot"):
            return None
        pair = self.lex.acled_hints.get(hint)
        return Acled(event_type=pair[0], sub_event_type=pair[1]) if pair else None


# -- parse helpers --------------------------------------------------------------------------------------


def _trimmed(sent: Span) -> tuple[int, int]:
    """The sentence's character span without the whitespace spaCy attaches to its end."""
    text = sent.text
    return sent.start_char, sent.start_char + len(text.rstrip())


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, following control, coordination and participles when it has none."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:  # "most of which it controls": the subject nearest the verb
        return min(subjects, key=lambda c: abs(verb.i - c.i))
    if depth > 4 or verb.head == verb:
        return None
    if verb.dep_ == "acl":
        return verb.head if verb.tag_ != "VBN" else None
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ in ("xcomp", "conj", "advcl"):
        if _is_passive(verb.head):
            return _agent(verb.head)
        return _subject(verb.head, depth + 1)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return _subject(verb.head.head, depth + 1)
    return None


def _inherited_subject(verb: Token) -> Token | None:
    if verb.dep_ in ("conj", "xcomp") and verb.head != verb:
        for child in verb.head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
    return None


def _place_follows(tok: Token, window: int = 20) -> bool:
    end = min(tok.sent.end, tok.i + window)
    return any(
        t.lower_ in TERRITORY_NOUNS or t.ent_type_ in ("GPE", "LOC", "FAC") for t in tok.doc[tok.i + 1 : end]
    )


def _between(tok: Token) -> tuple[Token, Token] | None:
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "between":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None:
                other = next((c for c in obj.children if c.dep_ == "conj"), None)
                if other is not None:
                    return obj, other
    return None


def _direct_dates(node: Token, by_start: dict[int, TimeRef]) -> list[TimeRef]:
    """Dates attached to this clause itself: its adverbials, not those of embedded clauses."""
    out: list[TimeRef] = []
    for child in node.children:
        if child.dep_ in ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "nsubj", "nsubjpass", "dobj"):
            continue
        for t in child.subtree:
            if t.idx in by_start and by_start[t.idx] not in out:
                # stop at nested verbs: their dates are their own
                path_ok = True
                h = t
                while h != child and h.head != h:
                    if h != t and (h.pos_ == "VERB" or h.dep_ in ("relcl", "acl", "advcl", "ccomp")):
                        path_ok = False
                        break
                    h = h.head
                if path_ok:
                    out.append(by_start[t.idx])
    return out


def _speaker_name(tok: Token, actors: ArticleActors) -> str:
    ref = actors.resolve(tok)
    if ref is not None and ref.name and (ref.id or ref.kind == "person" or tok.pos_ == "PRON"):
        return ref.name
    span = tok.doc[tok.left_edge.i : tok.i + 1]
    return span.text


def _instrument_hints(sent: Span, instruments: dict[str, str]) -> set[str]:
    hints: set[str] = set()
    words = [t.lower_ for t in sent]
    for i, w in enumerate(words):
        for key in (w, f"{w} {words[i + 1]}" if i + 1 < len(words) else None):
            if key and key in instruments:
                hints.add(instruments[key])
    text = sent.text.lower()
    if "tear gas" in text or "tear-gas" in text:
        hints.discard("chemical")
    return hints


_NUM = re.compile(r"^\d[\d,]*$")


def _number(tok: Token) -> int | None:
    text = tok.lower_
    if _NUM.match(text):
        return int(text.replace(",", ""))
    return NUMBER_WORDS.get(text)


def _fatalities(trigger: Token, sent: Span) -> int | None:
    """A death count the sentence states ('killing at least 12 civilians', '5 people died')."""
    best: int | None = None
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in KILL_LEMMAS:
            continue
        victims: list[Token] = []
        if lemma in ("kill", "massacre", "execute", "slaughter", "behead"):
            victims = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        elif lemma == "die":
            victims = [c for c in tok.children if c.dep_ == "nsubj"]
        elif lemma in ("dead", "death", "toll"):
            victims = [tok, *[c for c in tok.subtree if c.dep_ in ("pobj", "dobj", "attr")]]
        for v in victims:
            for c in [v, *v.children]:
                n = _number(c) if c.dep_ in ("nummod", "pobj", "attr", "dobj") or c == v else None
                if n is None and c.dep_ == "nummod":
                    n = _number(c)
                if n is not None and n < 100_000:
                    best = max(best or 0, n)
    return best


def _confidence(m: Mention, entry: TriggerEntry) -> float:
    score = 0.35
    score += 0.25 if m.actor1 and m.actor1.id else 0.15 if m.actor1 else 0.0
    score += 0.15 if m.actor2 and m.actor2.id else 0.1 if m.actor2 else 0.0
    score += 0.1 if m.place else 0.0
    score += 0.05 if entry.pos == "VERB" else 0.0
    score -= 0.1 if m.hypothetical else 0.0
    return round(max(0.05, min(score, 0.95)), 2)
