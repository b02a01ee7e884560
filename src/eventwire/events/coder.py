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
from eventwire.events.acled import DEFAULT_REASONS, UNARMED_KINDS, AcledFacts, classify
from eventwire.events.lexicon import Lexicon, TriggerEntry, load_lexicon
from eventwire.events.location import place_events_in_context
from eventwire.records import Acled, ActorRef, Mention, PlaceRef, TimeRef, Trigger

CODER_VERSION = "rules-0.1"

ARG_PREPS = {"against", "on", "at", "upon", "toward", "towards", "into", "with", "targeting"}
SUPPORT_SUFFIXES = {
    "backed": ("SUPPORT", None), "supported": ("SUPPORT", None), "sponsored": ("SUPPORT", None),
    "funded": ("AID", "economic"), "armed": ("AID", "military"), "trained": ("AID", "military"),
    "allied": ("COOPERATE", None),
}  # fmt: skip
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
# what "without ..." denies when a place changed hands peacefully ("without a shot fired")
UNOPPOSED_WORDS = {"fight", "fighting", "clash", "resistance", "battle", "combat", "bloodshed", "shot"}
FINITE_TAGS = {"VBD", "VBZ", "VBP"}
UNDER_FIRE = {"fire", "attack", "bombardment", "shelling", "assault"}  # "withdrew under heavy fire"
PARTICLES = {"back", "out", "down", "up", "over", "off"}
# Objects that make a verb-object idiom its own trigger ("open fire", "take control", "set fire").
IDIOM_OBJECTS = {
    "fire",
    "control",
    "ground",
    "hostage",
    "hostages",
    "siege",
    "part",
    "ablaze",
    "responsibility",
}
IDIOM_DEPS = {"dobj", "nsubjpass", "oprd", "acomp", "advmod", "dep", "attr", "ccomp", "xcomp"}
# Verbs whose prepositional object is the event noun ("took part in a march", "went on strike").
LIGHT_PREP_VERBS = {("participate", "in"), ("join", "in"), ("engage", "in"), ("go", "on"), ("take", "in")}
QUANTITY_HEADS = {
    "lot", "lots", "number", "dozens", "hundreds", "thousands", "amount", "quantity", "batch", "total",
    "haul", "array", "range", "variety", "consignment", "supply", "stockpile", "pile", "set", "kind", "type",
    "huge", "cache", "caches", "stash",
}  # fmt: skip
NOT_EVENT_ENTS = ("GPE", "ORG", "PERSON", "NORP", "DATE", "TIME", "WORK_OF_ART", "EVENT", "LAW")
OCCURRENCE_VERBS = {
    "break",
    "erupt",
    "occur",
    "happen",
    "take",
    "ensue",
    "continue",
    "rage",
    "flare",
    "resume",
}
TARGET_PREPS = ("on", "against", "at", "targeting")
RIOT_WORDS = {"riot", "riots", "rioter", "rioters", "rioting"}
# Violence a modifier names as someone else's than a crowd's ("police violence", "sexual violence").
OTHERS_VIOLENCE = {
    "police", "state", "security", "government", "army", "military", "sexual", "domestic", "gender",
    "gender-based", "gun", "gang", "partner", "political", "electoral", "armed", "jihadist", "militant",
}  # fmt: skip
# Verbs that say violence or unrest took hold ("violence surged", "rallies marred by violence").
SPREAD_VERBS = {
    "surge", "spread", "escalate", "grip", "rock", "engulf", "sweep", "mar", "intensify", "boil", "spiral",
    "follow", "spill", "shake", "erupt", "leave", "claim", "paralyse", "paralyze", "hit", "mount", "be",
}  # fmt: skip
# Nouns whose 'of' phrase is a spell of violence that took place ("an outbreak of violence").
SPELL_NOUNS = {
    "outbreak", "wave", "night", "day", "scene", "spate", "surge", "eruption", "flare-up", "bout", "week",
}  # fmt: skip
OBJECT_EVIDENCE = ("weapons", "property", "civilian_targets", "bases", "captives")
# Words whose object is an event talked about rather than reported ("responsibility for the attack").
REFERRING_HEADS = {
    "responsibility", "responsible", "accuse", "accusation", "allegation", "allege", "blame", "condemn",
    "denounce", "condemnation", "deny", "denial", "reject", "investigation", "investigate", "probe",
    "inquiry", "response", "retaliation", "revenge", "anniversary", "memory", "commemorate", "mourn", "claim",
    "suspect", "sanction", "sanctions", "punish", "criticize", "criticise", "regret", "apologize",
    "apologise", "evidence",
}  # fmt: skip
# Modifiers of an event noun saying it has not (yet) happened.
UNREALISED = {"possible", "potential", "likely", "imminent", "planned", "proposed", "expected", "anticipated"}
HYPOTHETICAL_CONTEXTS = {"future", "planned", "threatened", "requested", "conditional"}
FUTURE_MODALS = {"will", "shall", "'ll"}
HISTORICAL_DAYS = 365
SPECIFIC_ACLED_BONUS = 0.1  # an instrument, target or actor decided the ACLED sub-type, not a default
SENTENCE_CUES = (
    True  # the sentence names the instrument when the clause does not ("killed in Tuesday's blast")
)
STRONG_CUES = {"air", "drone", "shelling", "grenade", "ied", "suicide", "chemical"}
VICTIM_VERBS = {
    "kill",
    "wound",
    "injure",
    "murder",
    "shoot",
    "behead",
    "execute",
    "slaughter",
    "abduct",
    "kidnap",
}
EXPLOSION_LEMMAS = {"explosion", "blast", "explode", "detonation", "burn"}
KILL_LEMMAS = {"kill", "die", "dead", "death", "massacre", "execute", "slaughter", "behead", "toll"}

AttributionLookup = Callable[[tuple[int, int]], str | None]


@dataclass(slots=True)
class _Modality:
    negated: bool = False
    context: str | None = None  # future, planned, threatened, requested, conditional
    historical: str | None = None  # historical, repeated


@dataclass(slots=True)
class _SentenceContext:
    """What a sentence (with its neighbours) says about all its mentions."""

    protest: bool = False


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
        self._trigger_words = _trigger_words(self.lex)
        self._protest_words = self.lex.noun_classes.get("protest_words", frozenset())

    def _may_trigger(self, tok: Token) -> bool:
        """A cheap first test: could any lookup in ``_lookup`` or ``_hyphen_support`` succeed?

        Most tokens of a sentence are no trigger word in any form; ruling them out by a set test
        saves the dependency and morphology reads of the full lookup.
        """
        lower = tok.lower_
        return lower in self._trigger_words or "-" in lower or tok.lemma_.lower() in self._trigger_words

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
        sents = list(doc.sents)
        crowd = [self._names_crowd(sent) for sent in sents]
        for i, sent in enumerate(sents):
            found = self._triggers(sent, actors)
            # A report often names the crowd only in the sentence before or after its violence
            # ("Youths threw stones at police. Officers dispersed the rioters with water cannon.").
            near = crowd[max(0, i - 1) : i + 2]
            context = _SentenceContext(protest=any(near))
            for f in found:
                mention = self._mention(f, sent, actors, places, dates, attribution, publication, context)
                if mention is not None:
                    mentions.append(mention)
                    mentions.extend(self._derived(mention, f, actors))
        place_events_in_context(actors.text, mentions, places)
        return mentions

    def _names_crowd(self, sent: Span, *, rioters: bool = True) -> bool:
        """A demonstration named in the sentence, or with ``rioters`` also rioters ('riot police' is
        neither)."""
        for t in sent:
            if t.pos_ not in ("NOUN", "VERB") or t.ent_type_:
                continue
            if t.lower_ in self._protest_words:
                return True
            if rioters and t.lower_ in RIOT_WORDS and t.dep_ != "compound":
                return True
        return False

    # -- triggers -----------------------------------------------------------------------------------

    def _triggers(self, sent: Span, actors: ArticleActors) -> list[_Found]:
        found: list[_Found] = []
        taken: set[int] = set()
        for tok in sent:
            if tok.i in taken or not self._may_trigger(tok):
                continue
            hit = self._hyphen_support(tok, actors) or self._lookup(tok, actors)
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
            # "signed the agreement", "issued a warrant": the noun is the object the verb's sense names.
            named_object = head is not None and head.entry.object_class is not None
            if f.entry.pos == "NOUN" and named_object and f.token.dep_ == "dobj":
                continue
            # "attacked a village, killing five": the killing is the attack's toll, not a second event.
            consequence = f.entry.lemma in VICTIM_VERBS and f.token.dep_ in ("advcl", "conj", "xcomp")
            if (
                f.entry.pos == "VERB"
                and same
                and consequence
                and head is not None
                and head.entry.lemma not in VICTIM_VERBS
            ):
                continue
            kept.append(f)
        return kept

    def _lookup(self, tok: Token, actors: ArticleActors) -> _Found | None:
        if tok.dep_ == "amod" and tok.i > 0 and tok.nbor(-1).text == "-":
            return None  # "IS-occupied", "rebel-held": a description of who controls, not an event
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
            pos = "VERB"
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in NOT_EVENT_ENTS:
            pos = "NOUN"
        elif tok.pos_ == "ADJ" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
            pos = "NOUN"  # "launch a ground offensive": an adjective the tagger left where a noun stands
        elif tok.pos_ == "ADJ" and tok.tag_ == "VBN" and tok.dep_ == "acl":
            pos = "VERB"  # "the weapons seized", "a helicopter-dropped bomb": a participle read as adjective
        else:
            return None
        lemma = tok.lemma_.lower()
        start, end = tok.idx, tok.idx + len(tok.text)
        senses: list[TriggerEntry] = []
        if pos == "VERB":
            # Phrasal verbs ("pull out", "crack down") and verb-object idioms ("open fire", "take control")
            # are other verbs than their head: look them up first.
            for child in tok.children:
                particle = child.dep_ == "prt" or (child.dep_ == "advmod" and child.lower_ in PARTICLES)
                idiom = child.dep_ in IDIOM_DEPS and child.lower_ in IDIOM_OBJECTS
                if particle or idiom:
                    phrase = self.lex.senses(f"{lemma} {child.lower_}", pos)
                    if phrase:
                        senses = phrase
                        start, end = min(start, child.idx), max(end, child.idx + len(child.text))
                        break
            # A phrasal verb is another verb ("carry out" is not "carry"), unless listed as such.
            has_particle = any(c.dep_ == "prt" for c in tok.children)
            if not senses and has_particle and lemma not in ("hit", "strike", "fight"):
                return None
        else:
            # spaCy splits hyphenated nouns ("sit - in", "die - in"): look the whole word up first.
            if tok.i >= 2 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_:
                left = tok.nbor(-2)
                senses = self.lex.senses(f"{left.lower_}-{tok.lower_}", pos) or self.lex.senses(
                    f"{left.lower_}-{lemma}", pos
                )
                if senses:
                    start = left.idx
            for child in tok.lefts:
                if senses:
                    break
                if child.dep_ in ("compound", "amod") and child.i == tok.i - 1:
                    senses = self.lex.senses(f"{child.lower_} {lemma}", pos) or self.lex.senses(
                        f"{child.lemma_.lower()} {lemma}", pos
                    )
                    if senses:
                        start = child.idx
                        break
        if not senses:
            for candidate in _lemma_candidates(tok):
                senses = self.lex.senses(candidate, pos)
                if senses:
                    break
            if not senses and pos == "NOUN" and "-" in tok.lower_:  # "protest-march", "air-strikes"
                senses = self.lex.senses(tok.lower_.rsplit("-", 1)[1].rstrip("s"), pos)
        # Several senses per lemma ("march" by protesters vs on a city; "seize" a town vs weapons):
        # data order is priority order, the first whose constraints the parse meets wins.
        entry = next((e for e in senses if self._fits(tok, e, actors)), None)
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
        elif pos == "NOUN" and tok.dep_ == "pobj" and _light_prep_verb(tok.head.head, tok.head):
            clause = tok.head.head  # "took part in a march", "participated in a die-in", "went on strike"
            rule = f"verb '{clause.lemma_}' + '{tok.head.lower_}' + noun '{lemma}'"
            start = min(start, clause.idx)
        if entry.object_class:
            rule += f" (object: {entry.object_class})"
        if entry.subject_kinds:
            rule += " (agent: " + "/".join(entry.subject_kinds) + ")"
        return _Found(tok, entry, clause, (start, end), rule)

    def _fits(self, tok: Token, entry: TriggerEntry, actors: ArticleActors) -> bool:
        """Whether the parse around ``tok`` meets the sense's constraints (objects, agent, preposition)."""
        lex = self.lex
        if entry.pos == "NOUN":
            if entry.governed_by and not (tok.dep_ == "pobj" and tok.head.lower_ in entry.governed_by):
                return False
            if entry.crowd_violence and not self._crowd_violence(tok):
                return False
            if entry.object_class:
                # "the exchange process of prisoners": a compound's head noun carries its arguments.
                holders = (tok, tok.head) if tok.dep_ == "compound" else (tok,)
                objs = [o for h in holders for p in h.children
                        if p.dep_ == "prep" and p.lower_ in ("of", "on")
                        for o in p.children if o.dep_ == "pobj"]  # fmt: skip
                if not any(self._in_class(o, entry.object_class) for o in objs):
                    return False
            return True
        if not self._verb_fits(tok, entry):
            return False
        if entry.type == "ASSAULT" and any(  # "targeted Russia with sanctions": not force
            lex.in_class(o.lemma_, "inanimate_agents")
            for p in tok.children if p.dep_ == "prep" and p.lower_ == "with"
            for o in p.children if o.dep_ == "pobj"
        ):  # fmt: skip
            return False
        objects = _objects(tok)
        # A territorial verb's object can drift away in the parse: a place later in the sentence will do.
        drifted = (
            entry.territorial and entry.object_class == "territory" and not objects and _place_follows(tok)
        )
        classed = any(self._in_class(o, entry.object_class) for o in objects) if entry.object_class else True
        if not classed and not drifted:
            return False
        if entry.subject_kinds or entry.needs_agent:
            agent = _agent(tok) if _is_passive(tok) else _subject(tok)
            if agent is None:
                return False
            if entry.needs_agent and (
                lex.in_class(agent.lemma_, "disaster") or lex.in_class(agent.lemma_, "inanimate_agents")
            ):
                return False
            ref = actors.resolve(agent)
            if entry.subject_kinds:
                return ref is not None and ref.kind in entry.subject_kinds
            if ref is None and not self._in_class(agent, "weapons") and not lex.instruments.get(agent.lower_):
                return False
        return True

    def _crowd_violence(self, tok: Token) -> bool:
        """'violence erupted at the rally', 'the march descended into unrest', 'Friday's violence'.

        Headlines often say demonstrators turned violent only with such a noun. It is a riot only
        at a demonstration (this sentence or a neighbour names one), where the text says it happened
        (its subject, 'into', 'outbreak of', a day's), and not when named as someone else's
        ('police violence', 'violence against protesters', 'sexual violence').
        """
        if any(
            c.dep_ in ("compound", "amod", "poss") and c.lemma_.lower() in OTHERS_VIOLENCE
            for c in tok.children
        ):
            return False
        if any(c.dep_ == "prep" and c.lower_ in ("against", "by", "on") for c in tok.children):
            return False
        head = tok.head
        happened = (
            (tok.dep_ == "nsubj" and head.lemma_.lower() in OCCURRENCE_VERBS | SPREAD_VERBS)
            or (tok.dep_ == "pobj" and head.lower_ == "into")
            or (tok.dep_ == "pobj" and head.dep_ == "agent" and head.head.lemma_.lower() in SPREAD_VERBS)
            or (tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in SPELL_NOUNS)
            or any(c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME") for c in tok.children)
            or (tok.dep_ == "dobj" and head.lemma_.lower() in self.lex.light_verbs)
        )
        if not happened:
            return False
        return any(self._names_crowd(sent, rioters=False) for sent in _neighbours(tok.sent))

    def _classed_object(self, f: _Found) -> bool:
        """A verb whose object says what happened ("weapons were seized", "shops were looted")."""
        return any(self._in_class(o, name) for o in _objects(f.token) for name in OBJECT_EVIDENCE)

    def _in_class(self, tok: Token, name: str) -> bool:
        """A noun of a class, looking through quantities ('a cache of weapons') and compounds."""
        lex = self.lex
        if name == "territory" and tok.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        if lex.in_class(tok.lower_, name) or lex.in_class(tok.lemma_, name):
            return True
        for child in tok.children:
            if child.dep_ in ("compound", "amod") and (lex.in_class(child.lower_, name)):
                return True
            quantity = child.dep_ == "prep" and child.lower_ == "of" and tok.lower_ in QUANTITY_HEADS
            if quantity and any(self._in_class(o, name) for o in child.children if o.dep_ == "pobj"):
                return True
            if child.dep_ == "conj" and tok.lower_ not in QUANTITY_HEADS and self._in_class(child, name):
                return True
        return False

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
        return not (entry.needs_place and not any(o.ent_type_ in ("GPE", "LOC", "FAC") for o in objects))

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
        context: _SentenceContext | None = None,
    ) -> Mention | None:
        entry = f.entry
        if entry.type in ("ASSAULT", "COERCE") and self._caused_by_disaster(f, sent):
            return None
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
        if (
            entry.pos == "VERB"
            and actor1 is None
            and actor2 is None
            and place is None
            and not self._classed_object(f)
        ):
            return None
        # An event noun with no actor still reports an event when something pins it down: a place, a
        # light verb, its role as subject, a name that says how ("chlorine gas attack", "mob violence"),
        # a target ("an attack on the convoy") or the object its sense requires ("destruction of shops").
        specific = " " in entry.lemma or entry.object_class is not None
        targeted = any(c.dep_ == "prep" and c.lower_ in TARGET_PREPS for c in f.token.children)
        # "clashes that broke out", "fighting which erupted": a clause says it happened
        occurred = any(
            c.dep_ in ("relcl", "acl") and c.lemma_.lower() in OCCURRENCE_VERBS for c in f.token.children
        )
        anchored = entry.type in ("ASSAULT", "PROTEST", "COERCE") and (
            place is not None
            or f.clause != f.token
            or f.token.dep_ in ("nsubj", "nsubjpass")
            or specific
            or targeted
            or occurred
            or entry.crowd_violence  # its sense already asks that the text say it happened
        )
        if entry.pos == "NOUN" and actor1 is None and actor2 is None and not anchored:
            return None
        modality = self._modes(f)
        negated = modality.negated
        hypothetical = modality.context in HYPOTHETICAL_CONTEXTS
        date = self._date(f, dates) or publication
        historical = modality.historical
        if (
            historical is None
            and date is not None
            and publication is not None
            and date.end
            and publication.start
        ):
            old = (publication.start - date.end).days > HISTORICAL_DAYS
            historical = "historical" if old else None
        fatalities = _fatalities(f.token, sent) if type_ == "ASSAULT" or entry.protest else None
        start, end = f.text_span
        mention = Mention(
            type=type_,
            trigger=Trigger(text=actors.text[start:end], span=(start, end)),
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
        contexts = [c for c in ("negated" if negated else None, modality.context, historical) if c]
        if entry.modal_head and mode is not None:
            contexts.append(f"threatened:{mode}")
        mention.contexts = contexts
        mention.confidence = _confidence(mention, entry)
        mention.acled = self._acled(f, mention, sent, actors, context or _SentenceContext())
        return mention

    def _derived(self, m: Mention, f: _Found, actors: ArticleActors) -> list[Mention]:
        """The PLOVER events that a modality turns a mention into, kept beside the mention itself.

        PLOVER's codebook: a promised or intended cooperative act is AGREE; refusing one ("would not
        provide support") is REJECT; an intended use of force ("wants to attack", "will strike") is
        THREATEN; wanting, urging or asking someone else to act is REQUEST. Demonstrators' violence
        is also a PROTEST (riot). The derived mention shares the trigger and says why in ``rule``.
        """
        out: list[Mention] = []
        context = _context_of(m)
        intent = context in ("future", "planned")
        own_refusal = context in (None, "future", "conditional")
        if m.type in COOPERATIVE and m.negated and m.actor1 is not None and own_refusal:
            out.append(_derive(m, "REJECT", "refused cooperation (negated " + m.type + ")"))
        elif m.type in COOPERATIVE - {"CONSULT", "AGREE"} and intent and not m.negated:
            out.append(_derive(m, "AGREE", "intent to cooperate (" + context + " " + m.type + ")"))
        elif m.type in CONFLICTUAL and intent and not m.negated and m.actor1 is not None:
            out.append(_derive(m, "THREATEN", "intent to use force (" + context + " " + m.type + ")"))
        # "Israel said a mortar was fired at it", "the US said ISIL attacked Iraq": a claim that someone
        # else used force is an accusation (the claimant's own deeds are not).
        claimant_tok = self._claimant(f) if m.type in CONFLICTUAL and not m.negated else None
        claimant = actors.resolve(claimant_tok) if claimant_tok is not None else None
        # Only a named party accuses (a ministry, an army, a monitor), not "police said" or "witnesses said",
        # and only someone it names or itself as the target ("rockets were fired at it").
        named_claimant = claimant is not None and claimant.id is not None
        accused = m.actor1 is not None or _same_actor(claimant, m.actor2)
        if named_claimant and accused and not _same_actor(claimant, m.actor1):
            accusation = _derive(m, "ACCUSE", "claimed use of force by another (" + m.type + ")")
            accusation.actor1, accusation.actor2 = claimant, m.actor1
            out.append(accusation)
        requester = self._requester(f, m, actors)
        if requester is not None:
            derived = _derive(m, "REQUEST", "asked of another actor (" + m.type + ")")
            derived.actor1, derived.actor2 = requester, m.actor1
            out.append(derived)
        # "police clashed with rioters": the demonstrators, not the police, are the PROTEST's source.
        if (
            m.type == "ASSAULT"
            and m.actor2 is not None
            and m.actor2.kind in ("protesters", "rioters")
            and (f.entry.lemma in ("clash", "fight", "scuffle", "confront"))
        ):
            riot = _derive(m, "PROTEST", "clash with demonstrators", mode="riot")
            riot.actor1, riot.actor2 = m.actor2, m.actor1
            out.append(riot)
        elif (
            m.type == "ASSAULT"
            and m.acled is not None
            and m.acled.event_type == "Riots"
            and m.actor1 is not None
        ):
            out.append(_derive(m, "PROTEST", "violence by demonstrators or a mob", mode="riot"))
        return out

    def _requester(self, f: _Found, m: Mention, actors: ArticleActors) -> ActorRef | None:
        """'Obama wants Putin to attack': who wants, when someone else is to act."""
        clause = f.clause
        head = None
        for _ in range(3):  # "wants the US to stop arming": up through the complement chain
            if clause.dep_ not in ("ccomp", "xcomp"):
                return None
            if self.lex.modality_heads.get(clause.head.lemma_.lower()) in ("planned", "requested"):
                head = clause.head
                break
            clause = clause.head
        if head is None:
            return None
        subj = _subject(head)
        if subj is None or m.actor1 is None:
            return None
        ref = actors.resolve(subj)
        if ref is None or (ref.id and ref.id == m.actor1.id) or ref.text == m.actor1.text:
            return None
        return ref

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
                # "restored ties with Gondor", "stepped up attacks on X": the object's own argument
                obj_preps = [
                    p for o in verb.children if o.dep_ == "dobj" for p in o.children if p.dep_ == "prep"
                ]
                for prep in [*verb.children, *obj_preps]:
                    if prep.dep_ == "prep" and prep.lower_ in ARG_PREPS:
                        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if obj is not None and actors.resolve(obj) is not None:
                            patient_tok = obj
                            break
        between = _between(verb) if entry.between else None
        if between:
            return actors.resolve_head(between[0]), actors.resolve_head(between[1])
        if entry.from_actor:  # "received weapons from the government": the giver acts on the receiver
            giver = next((o for p in verb.children if p.dep_ == "prep" and p.lower_ == "from"
                          for o in p.children if o.dep_ == "pobj"), None)  # fmt: skip
            receiver = actors.resolve(agent_tok) if agent_tok is not None else None
            return (actors.resolve(giver) if giver is not None else None), receiver
        if entry.object_is_actor1:  # "hosted the delegation": the visitor visits the host
            host = actors.resolve(agent_tok) if agent_tok is not None else None
            visitor = next((o for o in verb.children if o.dep_ == "dobj"), None)
            return (actors.resolve(visitor) if visitor is not None else None), host
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
        children = list(noun.children)
        if entry.object_class and noun.dep_ == "compound":  # "the exchange process of prisoners"
            children += [c for c in noun.head.children if c.dep_ == "prep"]
        for child in children:
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

    def _modes(self, f: _Found) -> _Modality:
        """Negation and PLOVER's contexts (future, planned, threatened, requested, conditional).

        Only the event's own clause and the clauses it is the complement of ("plans to attack",
        "denied that it attacked", "threatened to strike") decide; an adverbial clause ("after X
        attacked") keeps its own modality, except a purpose clause ("sent troops to attack").
        """
        lex = self.lex
        node = f.clause
        negated = any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in f.token.children)
        # "entered without fighting", "withdrew without resistance"
        if f.token.dep_ in ("pobj", "pcomp") and f.token.head.lower_ == "without":
            negated = True
        # "foiling any possible attack", "a proposed truce": the noun's own modifier says it has not happened
        context: str | None = (
            "conditional"
            if f.entry.pos == "NOUN"
            and any(c.dep_ == "amod" and c.lemma_.lower() in UNREALISED for c in f.token.children)
            else None
        )
        depth = 0
        came_by = f.clause.dep_  # how the walk reached ``node``: the dependency of the node below it
        while node is not None and depth < 5:
            kids = list(node.children)
            if any(c.dep_ == "neg" for c in kids) and (
                depth == 0 or node.lemma_.lower() not in lex.speech_verbs
            ):
                negated = True
            for c in kids:
                if c.tag_ == "MD" and c.lower_ in lex.future_modals and context is None:
                    # "said it would attack": 'would' reports a future; elsewhere it is conditional
                    reported = (
                        c.lower_ == "would"
                        and node.dep_ == "ccomp"
                        and node.head.lemma_.lower() in (lex.speech_verbs)
                    )
                    context = "future" if c.lower_ in FUTURE_MODALS or reported else "conditional"
                if c.dep_ == "mark" and c.lower_ in ("if", "unless") and context is None:
                    context = "conditional"
            if node.lower_ == "going" and any(c.lower_ == "to" for c in node.children) and context is None:
                context = "future"
            if node != f.clause:
                lemma = node.lemma_.lower()
                head_context = lex.modality_heads.get(lemma)
                if lemma in lex.infinitive_only_heads and came_by != "xcomp":
                    head_context = None
                if head_context and context is None:
                    context = head_context
                if lemma in lex.negating_heads:
                    negated = True
            if node.head == node:
                break
            dep = node.dep_
            to_infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            purpose = dep == "advcl" and to_infinitive
            came_by = dep
            if dep in ("xcomp", "ccomp") or purpose or (dep == "conj" and depth == 0):
                node = node.head
            elif dep == "pcomp" and node.head.lower_ == "for" and self._mobilizing(node.head.head):
                context = context or "planned"  # "mobilizing its members for attacking the town"
                break
            elif dep == "compound" and depth == 0 and f.entry.acled == "agreement":
                node = node.head  # "proposed an exchange process": the head noun stands for the event
            elif dep == "dobj" and depth <= 1 and self._proposed_agreement(f, node.head):
                node = node.head  # "proposed a prisoner exchange", "sought a truce": not yet agreed
            elif dep in ("pcomp", "pobj", "prep") and depth < 2:
                node = node.head  # "refrained from attacking", "the decision on withdrawing"
            elif dep == "acl" and node.head.lemma_.lower() in lex.modality_heads:
                node = node.head  # "a plan to attack", "threats to strike"
            elif dep == "acl" and to_infinitive and lex.senses(node.head.lemma_.lower(), "NOUN"):
                # "an offensive to free the province", "an attack to capture the base": the goal of
                # an operation, not its result
                context = context or "planned"
                break
            else:
                break
            depth += 1
        if context is None and self._referenced(f):
            context = "referenced"
        return _Modality(negated=negated, context=context, historical=self._historical(f))

    def _mobilizing(self, verb: Token) -> bool:
        """A verb that gathers or moves forces: what it is 'for' has not happened yet."""
        return verb.pos_ == "VERB" and any(
            s.type == "MOBILIZE" for s in self.lex.senses(verb.lemma_.lower(), "VERB")
        )

    def _proposed_agreement(self, f: _Found, verb: Token) -> bool:
        """An agreement noun as the object of a planning or request verb that is no agreement verb."""
        lemma = verb.lemma_.lower()
        return (
            f.entry.pos == "NOUN"
            and f.entry.acled == "agreement"
            and lemma in self.lex.modality_heads
            and not any(s.acled == "agreement" for s in self.lex.senses(lemma, "VERB"))
        )

    def _referenced(self, f: _Found) -> bool:
        """An event noun the sentence mentions as the topic of something else, not as news: the cause
        of a reaction ("sanctions over the bombing"), the object of a claim, denial or accusation
        ("responsibility for the attack", "accused of bombing", "condemned the attack")."""
        tok = f.token
        if f.entry.pos != "NOUN":
            # "the car bomb that killed eight", "accused Iran of bombing": a verb inside a referenced
            # event noun's relative clause, or the complement of an accusation, is referenced too.
            if tok.dep_ in ("relcl", "acl") and self.lex.senses(tok.head.lemma_.lower(), "NOUN"):
                return self._referenced_noun(tok.head)
            return tok.dep_ == "pcomp" and tok.head.head.lemma_.lower() in REFERRING_HEADS
        if f.clause != tok:
            return False
        return self._referenced_noun(tok)

    def _referenced_noun(self, tok: Token) -> bool:
        node = tok
        for _ in range(4):
            head = node.head
            if head == node:
                return False
            if (
                node.dep_ == "pobj"
                and head.lower_ in CAUSE_PREPS | {"of", "to", "into"}
                and head.head.lemma_.lower() in REFERRING_HEADS
            ):
                return True
            # "expelled diplomats after the attack", "sanctions over the bombing": the cause of a reaction
            # that is not itself violence (a hospital treating victims "after the attack" reports it).
            if node.dep_ == "pobj" and head.lower_ in CAUSE_PREPS and self._reaction(head.head):
                return True
            if node.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in REFERRING_HEADS:
                return True
            if node.dep_ not in ("pobj", "prep", "compound", "conj"):
                return False
            node = head
        return False

    def _reaction(self, word: Token) -> bool:
        """A verb or noun of a political reaction: sanctions, expulsions, protests, statements."""
        lemma = word.lemma_.lower()
        if lemma in REFERRING_HEADS or lemma in self.lex.speech_verbs:
            return True
        if any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and self.lex.in_class(c.lower_, "protest_words")
               for c in word.children):  # fmt: skip
            return True  # "rallies were held against the execution of X"
        pos = "VERB" if word.pos_ in ("VERB", "AUX") else "NOUN"
        types = {e.type for e in self.lex.senses(lemma, pos)}
        return bool(types) and not types & {"ASSAULT", "COERCE", "RETREAT", "MOBILIZE"}

    def _historical(self, f: _Found) -> str | None:
        """'years ago', 'last year', 'for a second time': the clause places the event in the past."""
        root = f.clause if f.clause != f.token else f.token
        tokens = [t for t in root.subtree if t.dep_ not in ("relcl",)]
        words = [t.lower_ for t in sorted(tokens, key=lambda t: t.i)]
        text = " ".join(words)
        if any(
            m in text for m in ("for a second time", "for the second time", "for a third time", "once again")
        ):
            return "repeated"
        if "ago" in words and any(w in ("years", "decades", "year") for w in words):
            return "historical"
        if any(
            m in text
            for m in ("last year", "in the past", "back in", "previously", "decades ago", "formerly")
        ):
            return "historical"
        return None

    def _attributed(
        self, f: _Found, actors: ArticleActors, attribution: AttributionLookup | None
    ) -> str | None:
        """Who claims the event: a governing speech verb or 'according to', else the quote around it."""
        claimant = self._claimant(f)
        if claimant is not None:
            return _speaker_name(claimant, actors)
        if attribution is not None:
            return attribution(f.text_span)
        return None

    def _claimant(self, f: _Found) -> Token | None:
        """The token naming who says the event happened ('according to X', 'X said that ...')."""
        node = f.clause
        for _ in range(6):
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ == "according":
                    obj = next((t for t in child.subtree if t.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
            if node.head == node:
                break
            node = node.head
            if node.lemma_.lower() in self.lex.speech_verbs and node.pos_ == "VERB":
                subj = _subject(node)
                if subj is not None:
                    return subj
        return None

    def _acled(
        self, f: _Found, m: Mention, sent: Span, actors: ArticleActors, context: _SentenceContext
    ) -> Acled | None:
        """ACLED's type and sub-type for a violent, protest or strategic mention (see ``acled.py``)."""
        hint = f.entry.acled
        if hint is None:
            return None
        if m.type == "AGREE" and hint != "agreement":
            return None
        if m.type == "COERCE" and hint == "other":
            return None
        cues = self._cues(f, sent)
        own_cues = _instrument_hints(_own_clause(f), self.lex.instruments)
        if (
            m.type == "PROTEST"
        ):  # a demonstration is 'with intervention' if the sentence says police intervened
            own_cues |= _instrument_hints(_without_causes(sent), self.lex.instruments)
        facts = AcledFacts(
            hint=hint,
            plover=m.type,
            lemma=f.entry.lemma,
            actor1_kind=m.actor1.kind if m.actor1 else None,
            actor2_kind=m.actor2.kind if m.actor2 else None,
            target=self._target(f, actors),
            cues=cues,
            own_cues=own_cues,
            protest_context=context.protest,
            lethal=(m.fatalities or 0) > 0 or "protest_force" in own_cues,
            violent=_called_violent(f),
            mob=m.actor1 is not None and any(w in m.actor1.text.lower() for w in ("mob", "vigilante")),
            territorial=m.place is not None
            or any(self._in_class(o, "territory") or self._place_pronoun(o) for o in self._arguments(f)),
            unopposed=_unopposed(sent),
            contested=hint == "transfer" and self._contested(f, sent),
            in_riot=self._in_riot(f.token),
        )
        decided = classify(facts)
        if decided is None:
            return None
        key, why = decided
        pair = self.lex.acled_hints.get(key)
        if pair is None:
            return None
        m.rule += f"; acled: {why}"
        if why not in DEFAULT_REASONS:
            m.confidence = min(0.95, m.confidence + SPECIFIC_ACLED_BONUS)
        return Acled(event_type=pair[0], sub_event_type=pair[1])

    def _contested(self, f: _Found, sent: Span) -> bool:
        """A withdrawal 'under heavy fire' or in a sentence that says someone fought ('withdrew after
        insurgents stormed it'): a retreat in battle, not a transfer. A capture after a pull-out is
        still the transfer ACLED means, so only fighting verbs in a finite form count."""
        if _unopposed(sent):
            return False
        for t in sent:
            if t.lower_ == "under" and any(o.lemma_.lower() in UNDER_FIRE for o in t.children):
                return True
            if t is f.token or t.tag_ not in FINITE_TAGS or any(c.dep_ == "neg" for c in t.children):
                continue
            if any(
                e.type == "ASSAULT" and e.acled == "clash" for e in self.lex.senses(t.lemma_.lower(), "VERB")
            ):
                return True
        return False

    def _place_pronoun(self, tok: Token) -> bool:
        """'withdrew from it', 'from which the forces withdrew': a pronoun after a place it stands for."""
        if tok.lower_ not in ("it", "which", "where"):
            return False
        return any(
            self._in_class(t, "territory") for t in tok.sent if t.i < tok.i and t.pos_ in ("NOUN", "PROPN")
        )

    def _in_riot(self, tok: Token) -> bool:
        """'rioted for a second night, looting shops and attacking police': acts of the rioters."""
        node = tok
        for _ in range(4):
            if node.dep_ not in ("advcl", "conj", "xcomp") or node.head is node:
                return False
            node = node.head
            senses = self.lex.senses(node.lemma_.lower(), "VERB")
            if any(e.acled == "riot" for e in senses):
                return True
        return False

    def _arguments(self, f: _Found) -> list[Token]:
        """Objects and prepositional objects of the trigger ('withdrew from the town')."""
        tok = f.token
        args = _objects(tok) if f.entry.pos == "VERB" else []
        args += [o for p in tok.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
        # "handed control of the town", "transferred authority over the province": the place is the
        # power's, not the verb's, argument.
        powers = [
            c
            for c in tok.children
            if c.dep_ in ("dobj", "nsubjpass") and self.lex.in_class(c.lemma_, "authority")
        ]
        args += [
            o for c in powers for p in c.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
        ]
        return args

    def _cues(self, f: _Found, sent: Span) -> set[str]:
        """Instrument hints of the trigger's own clause; the sentence's when the clause names none."""
        instruments = self.lex.instruments
        own_tokens = list(f.clause.subtree) if f.clause != f.token else list(f.token.subtree)
        if f.entry.pos == "NOUN" and f.clause == f.token and f.token.head != f.token:
            own_tokens += [f.token.head, *(t for t in f.token.head.children if t.dep_ in ("nsubj", "dobj"))]
        own = _instrument_hints(own_tokens, instruments)
        if own & STRONG_CUES:
            return own
        return own | (_instrument_hints(list(sent), instruments) if SENTENCE_CUES else set())

    def _target(self, f: _Found, actors: ArticleActors) -> str | None:
        """The class of what was attacked: 'protest', 'civilian' or 'armed' (None when unknown)."""
        lex = self.lex
        tok = f.token
        if f.entry.pos == "VERB":
            objs = _objects(tok)
        else:
            objs = [o for p in tok.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPS
                    for o in p.children if o.dep_ == "pobj"]  # fmt: skip
        for obj in objs:
            words = [
                obj.lower_,
                obj.lemma_.lower(),
                *(c.lower_ for c in obj.children if c.dep_ == "compound"),
            ]
            if any(lex.in_class(w, "protest_words") for w in words):
                return "protest"
            if any(lex.in_class(w, "armed_targets") for w in words):
                return "armed"
            if any(lex.in_class(w, "civilian_targets") for w in words):
                return "civilian"
        # Victims named elsewhere in the sentence: all unarmed means an attack on civilians.
        kinds = set()
        for t in tok.sent:
            if t.lemma_.lower() in VICTIM_VERBS:
                for v in (c for c in t.children if c.dep_ in ("dobj", "nsubjpass")):
                    ref = actors.resolve(v)
                    kinds.add(
                        ref.kind
                        if ref
                        else ("civilians" if lex.in_class(v.lower_, "civilian_targets") else None)
                    )
        kinds.discard(None)
        if kinds and kinds <= UNARMED_KINDS:
            return "civilian"
        return None

    def _accident_sentence(self, sent: Span) -> bool:
        """A sentence about a disaster, or about an explosion of something industrial ('a tank exploded')."""
        lex = self.lex
        if any(lex.in_class(t.lower_, "disaster") for t in sent):
            return True
        for t in sent:
            if t.lemma_.lower() in EXPLOSION_LEMMAS:
                near = [c for c in t.children if c.dep_ in ("nsubj", "compound", "amod")]
                near += [o for p in t.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
                near += [c for n in list(near) for c in n.children if c.dep_ in ("compound", "prep")]
                near += [o for p in near if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
                if any(lex.in_class(n.lower_, "industrial") for n in near):
                    return True
        return False

    def _caused_by_disaster(self, f: _Found, sent: Span) -> bool:
        """Deaths and damage that a disaster or an accident caused are not political violence."""
        lex = self.lex
        tok = f.token
        causes: list[Token] = []
        verb = tok if f.entry.pos == "VERB" else f.clause
        subj = (
            _agent(verb) if _is_passive(verb) else next((c for c in verb.children if c.dep_ == "nsubj"), None)
        )
        if subj is not None:
            causes.append(subj)
        heads = [verb] + ([verb.head] if verb.dep_ in ("nsubj", "nsubjpass") else [])
        for h in heads:  # "an explosion ripped through a warehouse", "killed in a flood"
            for prep in h.children:
                if prep.dep_ == "prep" and prep.lower_ in (
                    "in",
                    "by",
                    "from",
                    "after",
                    "during",
                    "through",
                    "at",
                ):
                    causes += [o for o in prep.children if o.dep_ == "pobj"]
        causes += [c for c in tok.children if c.dep_ in ("compound", "amod")]  # "gas explosion"
        for c in causes:
            words = {
                c.lower_,
                c.lemma_.lower(),
                *(m.lower_ for m in c.children if m.dep_ in ("compound", "amod")),
            }
            if any(lex.in_class(w, "disaster") or lex.in_class(w, "industrial") for w in words):
                return True
        if f.entry.lemma in EXPLOSION_LEMMAS or f.entry.acled == "civilian_attack":
            # An explosion or deaths with nobody behind them in a sentence about an accident or a disaster.
            named_agent = (
                subj is not None
                and subj.lower_ not in ("it", "that")
                and not lex.in_class(subj.lower_, "weapons")
            )
            weapons = ("ied", "suicide", "air", "shelling", "grenade", "firearms", "chemical")
            if (
                not named_agent
                and any(self._accident_sentence(w) for w in _neighbours(sent))
                and not any(
                    lex.instruments.get(t.lower_) in weapons
                    and t.lower_ not in ("explosion", "explosions", "blast")
                    for t in sent
                )
            ):
                return True
        return False


# -- parse helpers --------------------------------------------------------------------------------------


CAUSE_PREPS = {"over", "about", "against", "following", "after", "for", "since", "despite", "amid", "before"}


def _own_clause(f: _Found) -> list[Token]:
    """The trigger's clause without embedded clauses or the causes it is about ("over the shooting"),
    plus the verb and object of a clause it is the purpose of ("used live bullets to disperse")."""
    root = f.clause if f.clause != f.token else f.token
    out: list[Token] = []
    if root.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
        head = root.head
        out.append(head)
        for c in head.children:
            if c.dep_ in ("dobj", "prep", "advmod", "npadvmod"):
                out.extend(c.subtree)
    stack = [root]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("advcl", "relcl", "acl", "ccomp", "conj", "parataxis"):
                continue
            if c.dep_ == "prep" and c.lower_ in CAUSE_PREPS:
                continue
            stack.append(c)
    if f.clause != f.token:
        out.extend(t for t in f.token.subtree if t not in out)
    return out


def _neighbours(sent: Span) -> list[Span]:
    """The sentence with the one before and the one after it."""
    doc = sent.doc
    out = [sent]
    if sent.start > 0:
        out.append(doc[sent.start - 1].sent)
    if sent.end < len(doc):
        out.append(doc[sent.end].sent)
    return out


def _without_causes(sent: Span) -> list[Token]:
    """A sentence without what it names as causes ('over the shooting', 'against the killing of')."""
    dropped: set[int] = set()
    for t in sent:
        if t.dep_ == "prep" and t.lower_ in CAUSE_PREPS and t.i not in dropped:
            dropped.update(x.i for x in t.subtree)
    return [t for t in sent if t.i not in dropped]


VIOLENT_WORDS = {"violent", "violently", "aggressive", "unruly", "riotous", "turbulent"}


def _unopposed(sent: Span) -> bool:
    """'entered without fighting', 'without any armed clashes': the sentence says nobody fought."""
    return any(
        t.lower_ == "without" and any(w.lemma_.lower() in UNOPPOSED_WORDS for w in t.subtree) for t in sent
    )


def _called_violent(f: _Found) -> bool:
    """'violent protests', 'the rally turned violent', 'protesters violently clashed'."""
    tok = f.token
    for c in tok.children:
        negated_word = c.i >= 2 and c.nbor(-1).text == "-" and c.nbor(-2).lower_ in ("non", "not")
        if c.dep_ in ("amod", "advmod") and c.lower_ in VIOLENT_WORDS and not negated_word:
            return True
    head = tok.head
    return head.lemma_.lower() in ("turn", "become", "grow", "descend") and any(
        c.lower_ in VIOLENT_WORDS or c.lower_ == "violence" for c in head.subtree
    )


COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
CONFLICTUAL = frozenset({"ASSAULT", "COERCE", "SANCTION"})


def _same_actor(a: ActorRef | None, b: ActorRef | None) -> bool:
    if a is None or b is None:
        return False
    if a.id and b.id:
        return a.id == b.id
    return a.text.lower() == b.text.lower() or (
        a.country is not None and a.country == b.country and a.kind == b.kind
    )


def mention_contexts(m: Mention) -> list[str]:
    """The PLOVER contexts the coder found for a mention (negated, future, planned, threatened,
    requested, conditional, referenced, historical, repeated)."""
    return m.contexts


def asserted(m: Mention) -> bool:
    """Whether the text reports the event as having happened (not denied, planned or only referred to)."""
    if m.negated or m.hypothetical:
        return False
    return "referenced" not in mention_contexts(m)


INTENT_CONTEXTS = ("future", "planned", "threatened", "requested", "conditional")


def _context_of(m: Mention) -> str | None:
    return next((c for c in m.contexts if c in INTENT_CONTEXTS), None)


def _derive(m: Mention, type_: str, why: str, mode: str | None = None) -> Mention:
    """A PLOVER event that the mention's modality implies: same trigger, actors, place and date."""
    return Mention(
        type=type_, trigger=m.trigger, sentence=m.sentence, mode=mode, acled=None,
        confidence=round(max(0.05, m.confidence - 0.1), 2), actor1=m.actor1, actor2=m.actor2, place=m.place,
        date=m.date, fatalities=None, negated=False, hypothetical=False, attributed_to=m.attributed_to,
        rule=f"derived from {m.type} '{m.trigger.text}': {why}",
    )  # fmt: skip


def _trimmed(sent: Span) -> tuple[int, int]:
    """The sentence's character span without the whitespace spaCy attaches to its end."""
    text = sent.text
    return sent.start_char, sent.start_char + len(text.rstrip())


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _trigger_words(lex: Lexicon) -> frozenset[str]:
    """Every word of every trigger key, plus the inflected forms ``_lemma_candidates`` undoes.

    A token none of whose word, lemma or de-inflections is here cannot start, end or head any
    trigger key, so ``_may_trigger`` may skip it without changing what is found.
    """
    words = set(SUPPORT_SUFFIXES)
    for lemma, _pos in lex.triggers:
        words.update(part for part in re.split(r"[\s-]+", lemma.lower()) if part)
    forms = set(words)
    for w in words:
        forms.update((w + "s", w + "es", w + "d", w + "ed", w + "ing"))
        if w.endswith("e"):
            forms.add(w[:-1] + "ing")
    return frozenset(forms)


def _lemma_candidates(tok: Token) -> list[str]:
    """The lemma, then the word, then naive de-inflections: the small model's lemmatizer slips
    on some verbs of violence ('raped' -> 'rap')."""
    lower = tok.lower_
    out = [tok.lemma_.lower(), lower]
    if tok.pos_ == "VERB":
        if lower.endswith("ed"):
            out += [lower[:-1], lower[:-2]]
        elif lower.endswith("ing"):
            out += [lower[:-3] + "e", lower[:-3]]
        elif lower.endswith("es"):
            out += [lower[:-1], lower[:-2]]
        elif lower.endswith("s"):
            out.append(lower[:-1])
    return list(dict.fromkeys(out))


def _light_prep_verb(verb: Token, prep: Token) -> bool:
    """'participated in a march', 'went on strike', 'took part in a rally' (not 'took a town in clashes')."""
    pair = (verb.lemma_.lower(), prep.lower_)
    if pair not in LIGHT_PREP_VERBS:
        return False
    return pair[0] != "take" or any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children)


def _objects(verb: Token) -> list[Token]:
    """What a verb acts on: direct objects and their conjuncts, a passive subject, the noun of a
    reduced relative ("weapons seized by police"), or the subject a passive conjunct inherits
    ("were found and cleared")."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.lower_ not in IDIOM_OBJECTS]
    if not found and verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN":
        found = [verb.head]
    if not found and verb.dep_ == "conj" and _is_passive(verb.head):
        found = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
    if not found:
        found = [o for p in verb.children if p.dep_ == "prep" and p.lower_ in ("on", "at", "against", "into")
                 for o in p.children if o.dep_ == "pobj"]  # fmt: skip
    out = list(found)
    for f in found:
        out.extend(c for c in f.children if c.dep_ == "conj")
    return out


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
    if verb.dep_ in ("xcomp", "conj", "advcl", "acomp", "oprd"):  # "is about to restore", "ready to strike"
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


def _instrument_hints(tokens: list[Token], instruments: dict[str, str]) -> set[str]:
    """Instrument hints of some tokens; a two-word name wins over its words ('rubber bullets')."""
    hints: set[str] = set()
    tokens = sorted(tokens, key=lambda t: t.i)
    words = [t.lower_ for t in tokens]
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        pair = f"{w} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in instruments:
            hints.add(instruments[pair])
            skip = True
        elif w in instruments:
            hints.add(instruments[w])
    text = " ".join(words)
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
