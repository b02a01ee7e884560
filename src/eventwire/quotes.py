"""Quote detection and speaker attribution.

News reports who said what in a handful of layouts: ``"...," X said``, ``"...," said X``,
``X said: "..."``, a quote that resumes after its cue, quotes running over several paragraphs,
``X said (that) ...`` and ``according to X, ...``. Quote marks are paired on the raw text
(linear scan, so it costs next to nothing beside spaCy); cue verbs and speakers come from the
dependency parse, with a short token window as the fallback when the parser splits a sentence at
a quote mark. Speakers are resolved within the article: surnames to the fullest name given,
titles and appositions to a role, pronouns to the most salient earlier person, "the spokesman"
to the person given that role.

Beyond speech, the same pass finds beliefs ("X believes that ..."), knowledge, evidence ("the
poll showed ..."), intents ("X wants to ...") and stances ("X endorsed Y", "his support for Y"),
from the cue lexicon in ``data/attribution_cues.json``; ``Attribution.kind`` says which.

Every returned value keeps its character span, and each attribution names the rule that made
it (``rule``), so a result can always be explained.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Doc, Token

from eventwire.records import Quote, Span, Speaker

log = logging.getLogger(__name__)

__all__ = ["Attribution", "attributed_to", "direct_quotes", "find_attributions", "find_quotes"]


@dataclass(slots=True)
class Attribution:
    """One reported statement: what was said (``content``), the cue, who said it, and how we know.

    ``parts`` holds the content pieces: a direct quote interrupted by its cue ("...," X said,
    "...") has two; ``content`` runs from the first to the last. ``rule`` names the mechanism that
    produced the attribution (e.g. ``quote:parse``, ``quote:after``, ``quote:carried``,
    ``indirect:ccomp``, ``indirect:according``). Its first part says what kind of cue it was:
    ``quote`` and ``indirect`` are speech; ``belief``, ``knowledge``, ``evidence``, ``intent`` and
    ``stance`` are the other kinds (``belief:ccomp`` for "X believes that ...", ``evidence:object``
    for "the poll showed a tight race", ``stance:noun`` for "his support for the deal").
    """

    content: Span
    cue: str | None
    cue_span: Span | None
    speaker: Speaker | None
    direct: bool
    parts: list[Span] = field(default_factory=list)
    rule: str = ""

    @property
    def kind(self) -> str:
        """What cued it: ``speech``, ``belief``, ``knowledge``, ``evidence``, ``intent`` or ``stance``
        (read from ``rule``, so the record keeps its fields)."""
        head = self.rule.split(":", 1)[0]
        return "speech" if head in ("quote", "indirect", "") else head


# --- lexicons ---------------------------------------------------------------------------------
# Small closed classes of English; kept beside the code that interprets them.


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Cue words live in data/attribution_cues.json: which lemmas cue a statement, of what kind, and
# which complements carry its content.


@dataclass(frozen=True, slots=True)
class _VerbClass:
    kind: str
    complements: frozenset[str]
    lemmas: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Cues:
    classes: tuple[_VerbClass, ...]
    verb_preps: dict[str, tuple[str, frozenset[str]]]  # lemma -> (kind, prepositions)
    passive: dict[str, str]  # lemma -> kind, for "is expected to ...", "is said to ..."
    adjectives: dict[str, str]  # lemma -> kind, for "is confident that ...", "is critical of ..."
    adjective_preps: frozenset[str]
    nouns: dict[str, str]  # lemma -> kind
    noun_preps: dict[str, frozenset[str]]  # kind -> prepositions whose object a cue noun reports
    light_verbs: frozenset[str]
    documents: frozenset[str]
    evidence_sources: frozenset[str]
    animate: frozenset[str]
    label_words: frozenset[str]
    naming: frozenset[str]
    parenthetical: frozenset[str]
    asking: frozenset[str]

    @property
    def verbs(self) -> frozenset[str]:
        return frozenset().union(*(c.lemmas for c in self.classes), self.verb_preps, self.passive)


def _by_word(classes: dict[str, list[str]]) -> dict[str, str]:
    """word -> kind; a word listed under two kinds keeps the first."""
    out: dict[str, str] = {}
    for kind, words in classes.items():
        for w in words:
            out.setdefault(w, kind)
    return out


def _load_cues() -> _Cues:
    raw = json.loads((resources.files("eventwire") / "data" / "attribution_cues.json").read_text("utf-8"))
    preps: dict[str, tuple[str, frozenset[str]]] = {}
    for kind, verbs in raw["verb_prepositions"].items():
        for lemma, words in verbs.items():
            preps.setdefault(lemma, (kind, frozenset(words)))
    return _Cues(
        tuple(
            _VerbClass(c["kind"], frozenset(c["complements"]), frozenset(c["lemmas"]))
            for c in raw["verb_classes"]
        ),
        preps,
        _by_word(raw["passive"]),
        _by_word(raw["adjective_classes"]),
        frozenset(raw["adjective_prepositions"]),
        _by_word(raw["noun_classes"]),
        {kind: frozenset(words) for kind, words in raw["noun_prepositions"].items()},
        frozenset(raw["light_verbs"]),
        frozenset(raw["documents"]),
        frozenset(raw["evidence_sources"]),
        frozenset(raw["animate_nouns"]),
        frozenset(raw["label_words"]),
        frozenset(raw["naming"]),
        frozenset(raw["parenthetical"]),
        frozenset(raw["asking"]),
    )


_CUES = _load_cues()
# Verbs that introduce speech or writing (lemmas): the cues of direct quotations, the speech verbs
# that report a clause (not the object-only ones such as "blasted the plan").
_SPEECH = frozenset().union(
    *(c.lemmas for c in _CUES.classes if c.kind == "speech" and "ccomp" in c.complements)
)
# Verbs that name rather than report: they attribute a quoted phrase of three words or more,
# never a one- or two-word scare quote.
_NAMING = _CUES.naming
# Verbs that report a statement as an aside ("The attack, police said, killed five").
_PARENTHETICAL = _CUES.parenthetical
# Verbs whose reported content is a question ("asked whether ...").
_ASKING = _CUES.asking
_CUE_VERBS = _CUES.verbs
# Kinds whose content the source asserts to be so (``attributed_to`` reads only these); intent
# and stance report what the source wants or how it judges, not a claim about the world.
_CLAIM_KINDS = frozenset({"speech", "belief", "knowledge", "evidence"})

# Titles stripped from names. Honorifics are never a role; ranks are a role only when nothing
# more descriptive is given ("Pentagon spokesman Captain Jeff Davis" -> "Pentagon spokesman").
_HONORIFICS = _lexicon("mr mrs ms miss mx dr sir dame lord lady")
_RANKS = _lexicon(
    """capt captain gen general col colonel lt lieutenant maj major sgt sergeant adm admiral cmdr
    commander brig brigadier cpl corporal pvt pte private rev reverend father sheikh ayatollah imam
    rabbi"""
)
# Office titles that may precede a name and are part of the role ("Defence Minister Y").
_OFFICES = _lexicon(
    """president minister premier chancellor secretary senator sen rep representative congressman
    congresswoman gov governor mayor ambassador judge justice king queen prince princess pope
    del delegate speaker chairman chairwoman chief commissioner prosecutor attorney"""
)
_MALE = _lexicon(
    """mr sir lord king prince father spokesman chairman congressman businessman husband son brother
    uncle nephew grandfather boyfriend"""
)
_FEMALE = _lexicon(
    """mrs ms miss dame lady queen princess mother spokeswoman chairwoman congresswoman businesswoman
    wife daughter sister aunt niece grandmother girlfriend"""
)
# Heads of noun phrases that describe a person by function (unnamed sources, role anaphora).
_ROLE_HEADS = _lexicon(
    """spokesman spokeswoman spokesperson official officer minister secretary president chairman
    chairwoman chair director chief commander general governor mayor senator ambassador envoy
    diplomat leader head adviser advisor analyst aide representative lawmaker legislator candidate
    nominee prosecutor judge lawyer attorney economist professor researcher expert negotiator
    witness resident doctor manager executive founder strategist pollster source sources officials
    officers spokespeople analysts experts residents witnesses lawmakers diplomats aides
    commissioner inspector investigator colonel captain sergeant lieutenant premier chancellor
    superintendent sheriff coroner activist organizer organiser campaigner"""
)
_QUESTION_WORDS = _lexicon("how what whether if why when where who which")
# "his" and "their" are speakers too, of a cue noun ("his claim that ...").
_PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_GROUP_PRONOUNS = frozenset({"they", "it", "their", "its"})

_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj"})
_CLAUSE_BREAK = frozenset({"relcl", "acl", "appos"})
_NAME_ENTS = frozenset({"PERSON"})
_GROUP_ENTS = frozenset({"ORG", "NORP", "GPE", "FAC"})

_DOUBLE_OPEN = "“«„"
_DOUBLE_CLOSE = "”»"
# Double marks; '' and `` are the plain-text renderings some wires (and the NYT) use.
_DOUBLES = re.compile(r"''|``|[\"“”«»„]")
_SINGLES = re.compile(r"['‘’]")
_OPENERS_BEFORE = "([{—–-/" + _DOUBLE_OPEN + '"'
_ELISION = re.compile(r"(?:\d\d?s\b|em\b|n\b|til\b|cause\b|tis\b|twas\b)", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_PARAGRAPH = re.compile(r"[^\n]+")
_SENT_END = frozenset({".", "!", "?"})
_MAX_WINDOW = 20
_MAX_HOPS = 8


# --- quote marks ------------------------------------------------------------------------------


@dataclass(slots=True)
class _RawQuote:
    """A paired quotation: content span without the marks (a multi-paragraph one runs from the
    first opening mark to the last closing mark)."""

    start: int
    end: int
    open_at: int
    close_at: int  # index of the closing mark, or ``end`` when the quote was left unclosed
    words: int


def _raw_quote(text: str, open_at: int, start: int, end: int, close_at: int) -> _RawQuote:
    """A quote whose span leaves out the marks and the spaces inside them (« Non »)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _RawQuote(start, end, open_at, close_at, _words(text, start, end))


def _mark_context(text: str, i: int, width: int = 1) -> tuple[bool, bool]:
    """Whether the mark at ``i`` sits where an opening mark can, and where a closing one can."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    can_open = (prev.isspace() or prev in _OPENERS_BEFORE) and not nxt.isspace()
    can_close = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    return can_open, can_close


def _double_kind(text: str, i: int, width: int, inside: bool) -> str:
    can_open, can_close = _mark_context(text, i, width)
    ch = text[i]
    if ch == "`" or ch in _DOUBLE_OPEN:
        return "close" if can_close and not can_open and inside else "open"
    if ch in _DOUBLE_CLOSE:
        return "open" if can_open and not can_close and not inside else "close"
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    return "close" if inside else "open"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs as (start, end) of their stripped text: news bodies break paragraphs with newlines."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        seg = m.group()
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            out.append((m.start() + lead, m.start() + trail))
    return out


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _double_quotes(text: str, paras: list[tuple[int, int]]) -> list[_RawQuote]:
    """Pair double marks paragraph by paragraph; an unclosed quote continues into the next
    paragraph when that paragraph opens with a quote mark (the news convention)."""
    out: list[_RawQuote] = []
    carry: tuple[int, int, int] | None = None  # (open mark index, paragraph, mark width) of an unclosed quote
    open_width = 1
    for p, (ps, pe) in enumerate(paras):
        open_at: int | None = None
        first_in_para = True
        for m in _DOUBLES.finditer(text, ps, pe):
            i = m.start()
            width = m.end() - i
            kind = _double_kind(text, i, width, open_at is not None)
            if first_in_para and carry is not None:
                if i == ps and kind == "open":
                    open_at, open_width = carry[0], carry[2]
                    carry = None
                    first_in_para = False
                    continue
                _close_unclosed(text, paras, carry, out)
                carry = None
            first_in_para = False
            if kind == "open":
                open_at, open_width = i, width  # a second opener drops a stray earlier one
            elif open_at is not None:
                start = open_at + open_width
                out.append(_raw_quote(text, open_at, start, i, i))
                open_at = None
        if carry is not None:  # paragraph without any mark after an unclosed quote
            _close_unclosed(text, paras, carry, out)
            carry = None
        if open_at is not None:
            carry = (open_at, p, open_width)
    if carry is not None:
        _close_unclosed(text, paras, carry, out)
    return out


def _close_unclosed(
    text: str, paras: list[tuple[int, int]], carry: tuple[int, int, int], out: list[_RawQuote]
) -> None:
    """Keep a quote whose closing mark is missing, up to its paragraph's end, if it is a real
    utterance (three words or more) rather than a stray mark."""
    open_at, p, width = carry  # p: the last paragraph the quote reached
    end = paras[p][1]
    if _words(text, open_at + width, end) >= 3:
        out.append(_raw_quote(text, open_at, open_at + width, end, end))


def _single_quotes(text: str, paras: list[tuple[int, int]], taken: list[_RawQuote]) -> list[_RawQuote]:
    """Pair single marks outside double quotes, telling apostrophes (don't, Syria's, '90s) apart."""
    out: list[_RawQuote] = []
    starts = [q.open_at for q in taken]
    for ps, pe in paras:
        openers: list[int] = []
        closers: list[tuple[int, bool]] = []  # (index, strong)
        for m in _SINGLES.finditer(text, ps, pe):
            i = m.start()
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and taken[k].open_at < i <= taken[k].close_at:
                continue  # inside a double quote: a quote within the quote
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 1] if i + 1 < pe else " "
            if prev.isalnum() and nxt.isalnum():
                continue  # apostrophe inside a word
            if text[i] == "'" and (prev == "'" or nxt == "'"):
                continue  # half of a '' double mark
            can_open, can_close = _mark_context(text, i)
            if can_open and text[i] != "’" and not _ELISION.match(text, i + 1):
                openers.append(i)
            elif can_close:
                # "teachers' union": a possessive plural looks like a closer; prefer a stronger one.
                weak = prev == "s" and text[i + 1 : i + 3].strip()[:1].islower()
                closers.append((i, not weak))
        ci = 0
        for n, o in enumerate(openers):
            limit = openers[n + 1] if n + 1 < len(openers) else pe
            while ci < len(closers) and closers[ci][0] <= o:
                ci += 1
            cands = [c for c in closers[ci:] if c[0] < limit]
            if not cands:
                continue
            best = next((c for c in cands if c[1]), cands[0])
            out.append(_raw_quote(text, o, o + 1, best[0], best[0]))
    return out


def _pair_quotes(text: str) -> tuple[list[_RawQuote], list[tuple[int, int]]]:
    paras = _paragraphs(text)
    doubles = _double_quotes(text, paras)
    doubles.sort(key=lambda q: q.open_at)
    singles = _single_quotes(text, paras, doubles)
    quotes = sorted(doubles + singles, key=lambda q: (q.start, -q.end))
    kept: list[_RawQuote] = []
    for q in quotes:  # drop quotes nested in another (British style puts doubles inside singles)
        if kept and q.start >= kept[-1].start and q.end <= kept[-1].end:
            continue
        if q.end > q.start and text[q.start : q.end].strip():
            kept.append(q)
    return kept, paras


# --- the article context ----------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None

    def learn(self, role: str | None, gender: str | None) -> None:
        """Keep the first descriptive role the article gives (a bare title only until then)."""
        if role and (self.role is None or (_bare_title(self.role) and not _bare_title(role))):
            self.role = role
        if gender and self.gender is None:
            self.gender = gender


@dataclass(slots=True)
class _Mention:
    pos: int
    person: _Person
    subject: bool


def _is_cue_word(tok: Token, lemma: str) -> bool:
    """A verb, noun or adjective from the cue lists, "according (to)", or an "in" that may frame a
    clause with its source ("In a Fox News poll, Trump led ...")."""
    if tok.lower_ == "according":
        return True
    if tok.pos_ in ("VERB", "AUX"):
        return lemma in _CUE_VERBS
    if tok.pos_ == "NOUN":
        return lemma in _CUES.nouns
    if tok.dep_ == "acomp":
        return lemma in _CUES.adjectives
    return tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX")


def _cue_lemma(tok: Token) -> str:
    """The lemma a cue list is keyed on (the small model lemmatizes "hopes" as "hop")."""
    lemma = tok.lemma_.lower()
    return "hope" if lemma == "hop" and tok.lower_.startswith("hope") else lemma


def _lower(tok: Token) -> str:
    return tok.lower_.rstrip(".")


class _Context:
    """What one pass over the article gives every later step: token offsets, sentences,
    paragraphs, quotes, the people the article names and where it mentions them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.sent_starts: list[int] = []
        self.cues: list[Token] = []
        self.subject_names: list[Token] = []
        for tok in doc:  # the single pass over tokens
            if tok.is_sent_start:
                self.sent_starts.append(tok.idx)
            lemma = _cue_lemma(tok)
            if _is_cue_word(tok, lemma):
                self.cues.append(tok)
            elif tok.pos_ == "PROPN" and tok.dep_ in _SUBJ:
                self.subject_names.append(tok)
        self.quotes, self.paras = _pair_quotes(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.quote_starts = [q.start for q in self.quotes]
        self.opens = {q.open_at for q in self.quotes}
        self.closes = {q.close_at for q in self.quotes}
        self.people: dict[str, _Person] = {}  # full name -> person
        self.surnames: dict[str, list[tuple[int, _Person]]] = {}
        self.mentions: list[_Mention] = []
        self.mention_pos: list[int] = []
        self.groups: list[tuple[int, str, bool]] = []  # (position, name, plural) of group speakers
        self._index_people()

    # offsets -----------------------------------------------------------------------------
    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def sent_of(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char) - 1

    def in_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        return k >= 0 and self.quotes[k].start <= char < self.quotes[k].end

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of [start, end) lie inside quotations."""
        k = max(bisect.bisect_right(self.quote_starts, start) - 1, 0)
        n = 0
        for q in self.quotes[k:]:
            if q.start >= end:
                break
            n += max(0, min(end, q.end) - max(start, q.start))
        return n

    def tok_span(self, first: int, last: int) -> Span:
        doc = self.doc
        return (doc[first].idx, doc[last].idx + len(doc[last].text))

    # people ------------------------------------------------------------------------------
    def _index_people(self) -> None:
        """Full names, roles and genders from PERSON entities and the titles around them."""
        found: list[tuple[int, list[Token], Token]] = []
        for ent in self.doc.ents:
            if ent.label_ not in _NAME_ENTS:
                continue
            toks = _name_tokens(list(ent))
            if not toks:
                continue
            found.append((ent.start_char, toks, ent.root))
        for pos, toks, _root in found:  # full names first, so surnames map to them
            if len(toks) >= 2:
                self.register(pos, toks)
        for pos, toks, root in found:
            role, gender = _role_and_gender(self.text, toks, root)
            person = self.lookup(toks, pos, gender) if len(toks) >= 2 else None
            if person is None:
                person = self.register(pos, toks, gender)
            person.learn(role, gender)
            if not self.in_quote(pos):
                self.add_mention(pos, person, root.dep_ in _SUBJ)
        # Surnames the tagger did not label PERSON ("Clinton" as ORG) still mention the person.
        for tok in self.subject_names:
            if tok.ent_type_ != "PERSON" and _lower(tok) in self.surnames and not self.in_quote(tok.idx):
                person = self.lookup([tok], tok.idx)
                if person is not None:
                    self.add_mention(tok.idx, person, True)

    def register(self, pos: int, toks: list[Token], gender: str | None = None) -> _Person:
        name = _text_of(self.text, toks)
        if len(toks) < 2:
            known = self.lookup(toks, pos, gender)
            if known is not None:
                return known
        person = self.people.get(name)
        if person is None:
            person = self.people[name] = _Person(name)
            key = _surname_key(toks)
            self.surnames.setdefault(key, []).append((pos, person))
        return person

    def lookup(self, toks: list[Token], pos: int, gender: str | None = None) -> _Person | None:
        """The person a (partial) name refers to: the full name last given before ``pos`` (of the
        right gender when a title tells it: "Mr. Clinton" is not Hillary Clinton)."""
        name = _text_of(self.text, toks)
        if name in self.people:
            return self.people[name]
        cands = self.surnames.get(_surname_key(toks))
        if cands and gender is not None:
            cands = [c for c in cands if c[1].gender in (None, gender)]
        if not cands:
            return None
        before = [p for at, p in cands if at <= pos]
        return before[-1] if before else cands[0][1]

    def add_mention(self, pos: int, person: _Person, subject: bool) -> None:
        k = bisect.bisect_right(self.mention_pos, pos)
        self.mention_pos.insert(k, pos)
        self.mentions.insert(k, _Mention(pos, person, subject))


def _text_of(text: str, toks: list[Token]) -> str:
    """The text from the first to the last token as written (keeps "Holtz-Eakin" whole).

    ``text`` is the doc's text, passed in because ``Doc.text`` is rebuilt on every access."""
    if not toks:
        return ""
    return text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _name_tokens(toks: list[Token]) -> list[Token]:
    """A name without titles or punctuation in front and possessive or punctuation behind."""
    while toks and (toks[0].is_punct or not toks[0].text[0].isalnum()):
        toks = toks[1:]
    while toks and (
        _lower(toks[0]) in _HONORIFICS or _lower(toks[0]) in _RANKS or _lower(toks[0]) in _OFFICES
    ):
        toks = toks[1:]
    while toks and (toks[-1].lower_ in ("'s", "’s", "'", "’") or toks[-1].is_punct):
        toks = toks[:-1]
    return toks


def _surname_key(toks: list[Token]) -> str:
    words = [t for t in toks if _lower(t) not in ("jr", "sr", "ii", "iii")] or toks
    return _lower(words[-1])


def _bare_title(role: str) -> bool:
    return " " not in role


def _role_and_gender(text: str, toks: list[Token], root: Token) -> tuple[str | None, str | None]:
    """The role a name carries in its phrase: premodifiers ("Pentagon spokesman Captain Jeff
    Davis") or an apposition ("Ahmed Khalil, the interior minister,", "the minister, Ahmed Khalil")."""
    doc = root.doc
    first = toks[0].i
    gender: str | None = None
    # Premodifiers of the name's head standing before the name.
    left = first
    for child in root.lefts:
        if child.i < first and child.dep_ in ("compound", "amod", "nmod", "nn", "poss"):
            left = min(left, child.left_edge.i)
    pre = [
        t
        for t in doc[left:first]
        if not t.is_punct
        and t.dep_ not in ("det", "case")
        and t.pos_ != "PRON"
        and "\n" not in text[t.idx : toks[0].idx]
    ]
    for t in pre:
        g = _gender_word(_lower(t))
        gender = gender or g
    # Ranks and honorifics next to the name are not the role when something more is said.
    while pre and (_lower(pre[-1]) in _HONORIFICS or _lower(pre[-1]) in _RANKS):
        if len(pre) == 1 and _lower(pre[0]) in _RANKS:
            break
        pre.pop()
    role = _text_of(text, pre) if pre and _lower(pre[0]) not in _HONORIFICS else None
    # Apposition after the name, or the name as apposition of a role noun.
    appos = next((c for c in root.rights if c.dep_ == "appos"), None)
    if appos is None and root.dep_ == "appos" and root.head.pos_ == "NOUN":
        appos = root.head
        phrase = _role_phrase(text, appos, stop=root)
    elif appos is not None and appos.pos_ == "NOUN":
        phrase = _role_phrase(text, appos)
    else:
        phrase = None
    if phrase:
        gender = gender or next((g for w in phrase.lower().split() if (g := _gender_word(w))), None)
        if role is None or _bare_title(role):
            role = phrase
    return role, gender


def _role_phrase(text: str, head: Token, stop: Token | None = None) -> str | None:
    """A short role phrase headed by ``head``: its modifiers and an of/for complement, no clauses."""
    lo = head.i
    for c in head.lefts:
        if c.dep_ not in ("det", "punct", "predet"):
            lo = min(lo, c.left_edge.i)
    hi = head.i
    for c in head.rights:
        if (
            c.dep_ == "prep"
            and c.lower_ in ("of", "for", "at", "in")
            and (stop is None or c.right_edge.i < stop.i)
        ):
            hi = max(hi, c.right_edge.i)
            break
    toks = [
        t
        for t in head.doc[lo : hi + 1]
        if not (t.i == lo and t.dep_ == "poss" and t.lower_ in ("his", "her", "their"))
    ]
    # Stay in the head's paragraph (the parser may have joined a headline to the lead).
    toks = [t for t in toks if "\n" not in text[min(t.idx, head.idx) : max(t.idx, head.idx)]]
    while toks and toks[0].lower_ in ("the", "a", "an"):
        toks = toks[1:]
    if not toks or len(toks) > 10:
        return None
    return _text_of(text, toks)


def _gender_word(word: str) -> str | None:
    if word in _MALE:
        return "m"
    if word in _FEMALE:
        return "f"
    return None


# --- cues and speakers ------------------------------------------------------------------------


def _is_cue(tok: Token, short: bool) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if lemma == "go":  # "she went on"
        return any(c.dep_ == "prt" and c.lower_ == "on" for c in tok.children)
    if lemma == "put":  # "as he put it"
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children)
    return lemma in _SPEECH or (not short and lemma in _NAMING)


def _subject(ctx: _Context, verb: Token) -> Token | None:
    """The speaker's head for a cue verb, in the verb's paragraph. When the parser has run a
    sentence across a paragraph break (headline into lead, quote into the next paragraph), a
    subject found beyond the break is wrong: take the phrase opening the paragraph instead."""
    subj = _parsed_subject(verb)
    para = ctx.para_of(verb.idx)
    if subj is not None and ctx.para_of(subj.idx) == para:
        return subj
    ps = ctx.paras[para][0] if para >= 0 else 0
    if subj is None and ctx.sent_starts[max(ctx.sent_of(verb.idx), 0)] >= ps:
        return None  # a well-formed sentence that names no speaker
    first = bisect.bisect_left(ctx.starts, ps)
    for t in ctx.doc[first : verb.i]:
        attached_out = not first <= t.head.i <= verb.i or t.head.i == verb.i
        if attached_out and t.pos_ in ("NOUN", "PROPN", "PRON") and not ctx.in_quote(t.idx):
            return t
    return None


def _parsed_subject(verb: Token) -> Token | None:
    """The subject of a cue verb, or that of the verb it hangs from ("went on to say", "paused
    and added", "was quoted as saying", "X, who said")."""
    v = verb
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.pos_ in ("NOUN", "PROPN"):
        return v.head  # "footage of Clinton asking, '...'"
    for _ in range(3):
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj"):
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head
                return c
            if c.dep_ == "nsubjpass" and v.lemma_ == "quote":
                return c
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp") and v.head.i != v.i:
            v = v.head
            if v.dep_ == "prep" and v.head.i != v.i:  # "quoted as saying"
                v = v.head
            continue
        break
    return None


def _according_source(tok: Token) -> Token | None:
    for to in tok.children:
        if to.lower_ == "to":
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _phrase(ctx: _Context, head: Token) -> tuple[int, int]:
    """Token range of the speaker phrase: the head with its modifiers (and an of/for complement
    for a common noun: "a spokesman for the ministry"), without appositions or clauses."""
    lo = hi = head.i
    for c in head.lefts:
        if c.dep_ in (
            "det",
            "compound",
            "amod",
            "nmod",
            "poss",
            "nummod",
            "quantmod",
            "nn",
            "predet",
            "advmod",
        ):
            lo = min(lo, c.left_edge.i)
    ent_end = _ent_end(head)
    hi = max(hi, ent_end)
    if head.pos_ != "PROPN":
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "from", "with", "in"):
                hi = max(hi, c.right_edge.i)
                break
    doc = ctx.doc
    # The parser may join a headline to the lead: a phrase never crosses a paragraph break.
    para = ctx.para_of(head.idx)
    while lo < head.i and ctx.para_of(doc[lo].idx) != para:
        lo += 1
    while hi > head.i and ctx.para_of(doc[hi].idx) != para:
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space or doc[hi].lower_ in ("'s", "’s")):
        hi -= 1
    return lo, hi


def _ent_end(tok: Token) -> int:
    if tok.ent_iob_ in ("B", "I"):
        i = tok.i
        doc = tok.doc
        while i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I":
            i += 1
        return i
    return tok.i


def _entity_of(tok: Token) -> tuple[str, list[Token]] | None:
    if not tok.ent_type_:
        return None
    doc = tok.doc
    lo = tok.i
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    hi = _ent_end(tok)
    return tok.ent_type_, list(doc[lo : hi + 1])


def _speaker(ctx: _Context, head: Token) -> Speaker:
    """Build and resolve the speaker whose phrase is headed by ``head``."""
    lo, hi = _phrase(ctx, head)
    span = ctx.tok_span(lo, hi)
    text = ctx.text[span[0] : span[1]]
    lower = head.lower_
    if lower in _PERSON_PRONOUNS and head.pos_ == "PRON":
        person = _resolve_pronoun(ctx, head.idx, _PERSON_PRONOUNS[lower])
        if person is not None:
            if person.gender is None:
                person.gender = _PERSON_PRONOUNS[lower]
            ctx.add_mention(head.idx, person, True)
            return Speaker(text, span, person.name, person.role)
        return Speaker(text, span, text)
    if lower in _GROUP_PRONOUNS and head.pos_ == "PRON":
        group = _resolve_group(ctx, head)
        return Speaker(text, span, group or text)
    speaker = _named_speaker(ctx, head, lo, hi, span, text)
    if speaker is None:
        speaker = Speaker(text, span, text, _unnamed_role(ctx, head, lo, hi))
        ctx.groups.append((head.idx, speaker.name, head.tag_ in ("NNS", "NNPS")))
    return speaker


def _unnamed_role(ctx: _Context, head: Token, lo: int, hi: int) -> str | None:
    """The role of an unnamed source: "a Pentagon official" gives one, a bare "officials" not."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in _ROLE_HEADS:
        return None
    words = [t for t in ctx.doc[lo : hi + 1] if t.dep_ not in ("det", "predet")]
    return _text_of(ctx.text, words) if len(words) > 1 or head.tag_ != "NNS" else None


def _named_speaker(ctx: _Context, head: Token, lo: int, hi: int, span: Span, text: str) -> Speaker | None:
    """A speaker that is a person the article names (by name, or by a role it gave them), or a
    named organisation; None for an unnamed source."""
    ent = _entity_of(head)
    known_surname = head.pos_ == "PROPN" and _lower(head) in ctx.surnames
    if (
        (ent is not None and ent[0] in _NAME_ENTS)
        or known_surname
        or (ent is None and head.pos_ == "PROPN" and head.tag_ == "NNP")
    ):
        if ent is not None and ent[0] in _NAME_ENTS:
            name_toks = ent[1]
        else:
            name_toks = [t for t in ctx.doc[lo : hi + 1] if t.pos_ == "PROPN"]
        toks = _name_tokens(name_toks)
        if toks:
            role, gender = _role_and_gender(ctx.text, toks, head)
            person = ctx.lookup(toks, head.idx, gender) or ctx.register(head.idx, toks, gender)
            person.learn(role, gender)
            ctx.add_mention(head.idx, person, True)
            return Speaker(text, span, person.name, person.role)
    if ent is not None and ent[0] in _GROUP_ENTS:
        det = [t for t in ctx.doc[lo : hi + 1] if t.dep_ != "det"]
        name = _text_of(ctx.text, ent[1]) if [t.i for t in det] == [t.i for t in ent[1]] else text
        ctx.groups.append((head.idx, name, ent[0] == "NORP" or head.tag_ in ("NNS", "NNPS")))
        return Speaker(text, span, name)
    if head.pos_ == "NOUN" and head.lemma_.lower() in _ROLE_HEADS:
        named = next((c for c in head.rights if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if named is not None:  # "the interior minister, Leila Haddad, said"
            ent = _entity_of(named)
            person = ctx.lookup(_name_tokens(ent[1]), named.idx) if ent is not None else None
            if person is not None:
                ctx.add_mention(head.idx, person, True)
                return Speaker(text, span, person.name, person.role)
        doc = ctx.doc
        if lo >= 2 and doc[lo - 1].text == "," and doc[lo - 2].ent_type_ == "PERSON":
            # '"...," Flynn, a top Trump surrogate, said': the parser took the apposition.
            ent = _entity_of(doc[lo - 2])
            person = ctx.lookup(_name_tokens(ent[1]), doc[lo - 2].idx) if ent is not None else None
            if person is not None:
                ctx.add_mention(head.idx, person, True)
                return Speaker(text, span, person.name, person.role)
        person = _resolve_role(ctx, head)
        if person is not None:
            ctx.add_mention(head.idx, person, True)
            return Speaker(text, span, person.name, person.role)
    return None


def _resolve_pronoun(ctx: _Context, pos: int, gender: str) -> _Person | None:
    """The most salient earlier person: nearest sentence first, then subjects before others;
    people named inside quotations are passed over (they are spoken about, not speaking)."""
    k = bisect.bisect_left(ctx.mention_pos, pos)
    if k == 0:
        return None
    cur = ctx.sent_of(pos)
    best: tuple[int, int, int, _Person] | None = None
    for m in reversed(ctx.mentions[max(0, k - 40) : k]):
        if m.person.gender not in (None, gender):
            continue
        s = ctx.sent_of(m.pos)
        if best is not None and s < best[0]:
            break
        if cur - s > 6:
            break
        # Higher is better: later sentence, subject, then earlier position within the sentence.
        rank = (s, int(m.subject), -m.pos if not m.subject else m.pos, m.person)
        if best is None or rank[:3] > best[:3]:
            best = rank
    return best[3] if best else None


def _resolve_group(ctx: _Context, pron: Token) -> str | None:
    """'they'/'it' as a speaker: the group that last spoke within the last two paragraphs
    ("Officials said ... They added"), else the nearest organisation named outside a quote."""
    plural = pron.lower_ in ("they", "their")
    para = ctx.para_of(pron.idx)
    for pos, name, is_plural in reversed(ctx.groups):
        if pos >= pron.idx:
            continue
        if para - ctx.para_of(pos) > 1:
            break
        if is_plural == plural or not plural:
            return name
    doc = ctx.doc
    lo = max(0, pron.i - 120)
    for t in reversed(doc[lo : pron.i]):
        if t.ent_type_ in ("ORG", "NORP") and t.ent_iob_ == "B" and not ctx.in_quote(t.idx):
            ent = _entity_of(t)
            if ent is not None:
                return _text_of(ctx.text, ent[1])
    return None


def _resolve_role(ctx: _Context, head: Token) -> _Person | None:
    """'the spokesman said' -> the person the article gave that role, if the phrase is definite."""
    if not any(c.lower_ in ("the", "this") for c in head.lefts) or head.tag_ == "NNS":
        return None
    word = head.lower_
    mods = {c.lower_ for c in head.lefts if c.dep_ in ("compound", "amod")}
    for m in reversed(ctx.mentions[: bisect.bisect_left(ctx.mention_pos, head.idx)]):
        role = m.person.role
        if not role:
            continue
        rwords = role.lower().split()
        if rwords[-1] == word and mods <= set(rwords):
            return m.person
    return None


# --- direct quotations ------------------------------------------------------------------------


def _quote_tokens(ctx: _Context, q: _RawQuote) -> range:
    first = bisect.bisect_left(ctx.starts, q.start)
    last = bisect.bisect_left(ctx.starts, q.end)
    return range(first, last)


def _cue_by_parse(ctx: _Context, q: _RawQuote) -> Token | None:
    """The speech verb governing the quote: walk up from the quote's roots, staying in the
    clause (no crossing into relative clauses or appositions)."""
    toks = _quote_tokens(ctx, q)
    if not toks:
        return None
    doc = ctx.doc
    short = q.words <= 2
    inside = set(toks)
    # The parser sometimes hangs a quote on a verb of the previous paragraph: stay in ours
    # (or in the one introducing it with a colon).
    lo = _intro_start(ctx, q)
    hi = ctx.paras[ctx.para_of(q.close_at)][1]
    for i in toks:
        tok = doc[i]
        if tok.head.i in inside and tok.head.i != tok.i:
            continue
        cur = tok
        for _ in range(_MAX_HOPS):
            if cur.dep_ in _CLAUSE_BREAK and cur.i not in inside:
                break
            nxt = cur.head
            if nxt.i == cur.i:
                break
            cur = nxt
            if not lo <= cur.idx < hi:
                break
            if cur.i in inside:
                continue
            if _is_cue(cur, short) and not ctx.in_quote(cur.idx):
                if short and cur.lemma_.lower() in _NAMING:
                    break
                return cur
    return None


def _window_after(ctx: _Context, q: _RawQuote) -> list[Token]:
    """Tokens right after the closing mark up to the sentence end, the paragraph end or the next quote."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.starts, q.close_at + 1)
    p = ctx.para_of(q.close_at)
    pe = ctx.paras[p][1] if p >= 0 else len(ctx.text)
    out: list[Token] = []
    while i < len(doc) and len(out) < _MAX_WINDOW:
        t = doc[i]
        if t.idx >= pe or t.idx in ctx.opens:
            break
        out.append(t)
        if t.text in _SENT_END:
            break
        i += 1
    return out


def _intro_start(ctx: _Context, q: _RawQuote) -> int:
    """Where the text that may introduce a quote starts: its paragraph, or the paragraph before
    when that one ends in a colon and the quote opens a new paragraph."""
    p = ctx.para_of(q.open_at)
    ps = ctx.paras[p][0] if p >= 0 else 0
    if q.open_at == ps and p > 0 and ctx.text[ctx.paras[p - 1][1] - 1] == ":":
        return ctx.paras[p - 1][0]
    return ps


def _window_before(ctx: _Context, q: _RawQuote) -> list[Token]:
    """Tokens that introduce the quote: back from the opening mark to the previous sentence end,
    when they end in a colon, a comma or the cue itself. A paragraph that ends in a colon
    introduces a quote opening the next paragraph ("He said:" / "“...”")."""
    doc = ctx.doc
    i = bisect.bisect_left(ctx.starts, q.open_at) - 1
    ps = _intro_start(ctx, q)
    out: list[Token] = []
    while i >= 0 and len(out) < _MAX_WINDOW + 5:
        t = doc[i]
        if t.idx < ps or (t.text in _SENT_END and out) or ctx.in_quote(t.idx) or t.idx in ctx.closes:
            break
        if not t.is_space:
            out.append(t)
        i -= 1
    out.reverse()
    if not out:
        return []
    last = out[-1]
    if last.text in (":", ",") or _is_cue(last, False) or last.lower_ == "that":
        return out
    return []


def _new_sentence(ctx: _Context, q: _RawQuote, after: list[Token]) -> bool:
    """Whether the text after a quote ending in '.' or '!' starts a new sentence ("...” She noted
    ...") rather than the quote's cue ("...!” Trump said")."""
    content = ctx.text[q.start : q.end].rstrip()
    if not after or not content or content[-1] not in ".!":
        return False
    first = after[0]
    return first.is_title and first.pos_ != "PROPN"


def _speaker_in_window(ctx: _Context, window: list[Token]) -> tuple[Token, Token] | None:
    """The first cue verb after the quote and its subject; when the parse gives no subject, the
    noun next to the cue inside the window ("he said", "said Smith")."""
    cues = [t for t in window if _is_cue(t, False) and t.lemma_.lower() not in _NAMING]
    if not cues:
        return None
    cue = cues[0]
    subj = _subject(ctx, cue)
    if subj is not None and not ctx.in_quote(subj.idx):
        # '"...," he later said' / '"...," the ministry said': only the speaker, adverbs and
        # auxiliaries may come before the cue; otherwise the cue belongs to another clause.
        phrase = {t.i for t in subj.subtree}
        lead = [t for t in window if t.i < cue.i]
        if all(t.i in phrase or t.is_punct or t.pos_ in ("ADV", "AUX", "PART") for t in lead):
            return cue, subj
        return None
    nouny = ("PROPN", "NOUN", "PRON")
    before = [t for t in window if t.i < cue.i and t.pos_ in nouny]
    if before:
        return cue, before[-1]
    run: list[Token] = []
    for t in window:
        if t.i <= cue.i:
            continue
        if t.pos_ in nouny:
            run.append(t)
        elif run:
            break
    return (cue, run[-1]) if run else None


def _main_verbs(window: list[Token]) -> list[Token]:
    """Verbs of the window's main clause: those hanging outside the window, and their conjuncts
    and complements (not verbs of subordinate clauses such as "When Trump suggested ...")."""
    ids = {t.i for t in window}
    out = []
    for t in window:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        cur, ok = t, True
        while cur.head.i in ids and cur.head.i != cur.i:
            if cur.dep_ not in ("conj", "xcomp", "ccomp", "prep", "pcomp", "pobj"):
                ok = False
                break
            cur = cur.head
        if ok:
            out.append(t)
    return out


def _speaker_before(ctx: _Context, window: list[Token]) -> tuple[Token, Token] | None:
    """The main-clause speech verb introducing a quote ("X said," / "X told reporters:") and
    its parsed subject."""
    for cue in reversed(_main_verbs(window)):
        if _is_cue(cue, False) and cue.lemma_.lower() not in _NAMING:
            subj = _subject(ctx, cue)
            if subj is not None and not ctx.in_quote(subj.idx):
                return cue, subj
    return None


def _introducer(ctx: _Context, window: list[Token]) -> tuple[Token | None, Token] | None:
    """Who a colon introduces when no speech verb does: "according to X:", the subject of the
    clause ("Mr. Christie gloated:", "The campaign worded it carefully:"), or a bare label
    ("Trump: '...'", "Rep. Trey Gowdy (R-S.C.):")."""
    if not window or window[-1].text not in (":", ","):
        return None
    for t in window:
        if t.lower_ == "according":
            src = _according_source(t)
            if src is not None:
                return t, src
    if window[-1].text != ":":
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in window):
        for v in reversed(_main_verbs(window)):
            subj = _subject(ctx, v)
            if subj is not None and subj.i >= window[0].i:
                return v, subj
        return None
    ids = {t.i for t in window}
    heads = [t for t in window if t.pos_ in ("PROPN", "NOUN") and (t.head.i not in ids or t.head.i == t.i)]
    return (None, heads[0]) if heads else None


def _byline(ctx: _Context, q: _RawQuote) -> Token | None:
    """A quote followed by a dash and a name ("— Bernie Sanders."): the epigraph convention."""
    doc, text = ctx.doc, ctx.text
    j = q.close_at + 1
    while j < len(text) and (text[j].isspace() or text[j] in "'”\".,"):
        j += 1
    if j >= len(text) or text[j] not in "-—―–":
        return None
    while j < len(text) and text[j] in "-—―–":
        j += 1
    i = bisect.bisect_left(ctx.starts, j)
    run: list[Token] = []
    for t in doc[i : i + 7]:
        if t.pos_ == "PROPN":
            run.append(t)
        elif not run or not (t.is_space or t.text in ".,"):
            return None  # a sub-heading or a clause after a dash, not a name
        else:
            break
    return run[-1] if run else None


@dataclass(slots=True)
class _Located:
    cue: Token | None
    speaker: Token | None
    rule: str
    end_tok: int  # first token after the quote's cue clause


def _locate(ctx: _Context, q: _RawQuote) -> _Located:
    """Find the quote's cue and speaker head, trying the layouts from the most to the least sure."""
    after_start = bisect.bisect_left(ctx.starts, q.close_at + 1)
    found = _cue_by_parse(ctx, q)
    after = _window_after(ctx, q)
    after_end = after[-1].i + 1 if after else after_start
    if found is not None:
        subj = _subject(ctx, found)
        if subj is not None and not ctx.in_quote(subj.idx):
            in_after = any(t.i == found.i for t in after)
            return _Located(found, subj, "quote:parse", after_end if in_after else after_start)
    hit = _speaker_in_window(ctx, after) if not _new_sentence(ctx, q, after) else None
    if hit is not None:
        return _Located(hit[0], hit[1], "quote:after", after_end)
    before = _window_before(ctx, q)
    hit = _speaker_before(ctx, before)
    if hit is not None:
        return _Located(hit[0], hit[1], "quote:before", after_start)
    intro = _introducer(ctx, before)
    if intro is not None:
        return _Located(intro[0], intro[1], "quote:colon", after_start)
    by = _byline(ctx, q)
    if by is not None:
        return _Located(None, by, "quote:byline", after_start)
    return _Located(None, None, "", after_start)


# An attribution and the head token of its speaker phrase, resolved later in text order.
_Pending = tuple[Attribution, Token | None]


def _direct(ctx: _Context) -> list[_Pending]:
    """Direct quotations with their cue and speaker head, from the most to the least sure layout;
    a quote with no cue of its own continues or carries on the quote before it."""
    out: list[_Pending] = []
    by_cue: dict[int, Attribution] = {}
    prev: Attribution | None = None
    prev_head: Token | None = None
    prev_end_tok = -1  # first token after the previous quote's cue clause
    for q in ctx.quotes:
        loc = _locate(ctx, q)
        cue = loc.cue
        if cue is not None and cue.i in by_cue:  # "...," X said, "..." : one statement, two parts
            att = by_cue[cue.i]
            att.parts.append((q.start, q.end))
            att.content = (att.content[0], q.end)
            prev, prev_end_tok = att, max(prev_end_tok, loc.end_tok)
            continue
        if loc.speaker is None and prev is not None and prev_head is not None:
            gap_from = ctx.tok_span(prev_end_tok - 1, prev_end_tok - 1)[1] if prev_end_tok > 0 else 0
            same_para = ctx.para_of(q.open_at) == ctx.para_of(prev.content[0])
            if same_para and not ctx.text[gap_from : q.open_at].strip(" ,.;:—–-\u00a0"):
                # '"...," X said. "..."': the quote resumes after its cue sentence.
                prev.parts.append((q.start, q.end))
                prev.content = (prev.content[0], q.end)
                prev_end_tok = loc.end_tok
                continue
            # A quote paragraph with no cue carries on the speaker of the quote just before it.
            if ctx.para_of(q.open_at) - ctx.para_of(prev.content[1]) <= 1 and q.words > 2:
                att = Attribution(
                    (q.start, q.end), prev.cue, prev.cue_span, None, True, [(q.start, q.end)], "quote:carried"
                )
                out.append((att, prev_head))
                prev, prev_end_tok = att, loc.end_tok
                continue
        if loc.speaker is None and q.words <= 2:
            continue  # a scare quote, a title: not a quotation
        cue_span = (cue.idx, cue.idx + len(cue.text)) if cue is not None else None
        att = Attribution(
            (q.start, q.end),
            cue.text if cue is not None else None,
            cue_span,
            None,
            True,
            [(q.start, q.end)],
            loc.rule or "quote:none",
        )
        out.append((att, loc.speaker))
        if cue is not None:
            by_cue[cue.i] = att
        prev, prev_head, prev_end_tok = att, loc.speaker, loc.end_tok
    return out


# --- indirect speech --------------------------------------------------------------------------


def _trim(ctx: _Context, toks: list[Token]) -> list[Token]:
    while toks and (toks[0].is_punct or toks[0].is_space) and toks[0].text not in "\"“‘'":
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in "\"”’'":
        toks = toks[:-1]
    return toks


def _parts_of(ctx: _Context, toks: list[Token]) -> list[Span]:
    """Contiguous character pieces of a token set (a cue clause can split the content)."""
    parts: list[Span] = []
    run: list[Token] = []
    for t in toks:
        if run and t.i != run[-1].i + 1:
            run = _trim(ctx, run)
            if run:
                parts.append(ctx.tok_span(run[0].i, run[-1].i))
            run = []
        run.append(t)
    run = _trim(ctx, run)
    if run:
        parts.append(ctx.tok_span(run[0].i, run[-1].i))
    return parts


def _strip_dateline(toks: list[Token]) -> list[Token]:
    """Drop a wire dateline ("ACCRA —", "WASHINGTON, May 3 (Reuters) -") opening a content."""
    for k, t in enumerate(toks[:10]):
        if t.text in ("—", "–", "-", "--") and k > 0:
            head = [x for x in toks[:k] if not x.is_punct]
            if head and head[0].is_upper and all(x.is_upper or x.like_num or x.is_title for x in head):
                return toks[k + 1 :]
            break
    return toks


def _displaced_complement(verb: Token) -> Token | None:
    """A that-clause the parser hung on a noun of the cue's adjunct ("said in a statement that
    ...", "said on Monday that ..."), which belongs to the cue."""
    for c in verb.rights:
        if c.dep_ not in ("prep", "npadvmod"):
            continue
        for t in c.subtree:
            if t.dep_ in ("acl", "relcl", "ccomp") and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in t.children
            ):
                return t
    return None


_DASHES = (",", "—", "–")
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee")
_ANIMATE_PRONOUNS = _lexicon(
    """i we you he she they who whom me us them him her one someone everyone anyone somebody everybody
    nobody its their his our my your"""
)
# Complements that carry a clause (the content must have a verb) rather than a noun phrase.
_CLAUSAL = frozenset({"ccomp", "parenthetical", "xcomp", "small_clause"})


def _parenthetical(tok: Token) -> bool:
    """A cue clause set off by commas after or inside the clause it reports ("..., police said",
    "This campaign, he says, is different"), or an as-clause ("As the Post reported, ...")."""
    if tok.lemma_.lower() not in _PARENTHETICAL:
        return False
    head = tok.head
    if head.pos_ not in ("VERB", "AUX") or head.i == tok.i:
        return False
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return True
    if tok.dep_ not in ("parataxis", "ccomp"):
        return False
    doc = tok.doc
    left, right = tok.left_edge.i, tok.right_edge.i
    before = doc[left].text in _DASHES or (left > 0 and doc[left - 1].text in _DASHES)
    if head.i < tok.i:
        return before
    after = doc[right].text in _DASHES or (right + 1 < len(doc) and doc[right + 1].text in _DASHES)
    return tok.dep_ == "parataxis" and before and after


def _reported_conjunct(c: Token) -> bool:
    """A clause coordinated with the cue verb that has a subject of its own (one sharing the
    cue's subject is the speaker's next act: "said ... and left")."""
    return (
        c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
    )


def _after_comma(cue: Token, child: Token) -> bool:
    """Whether a comma separates the cue from its right dependent: the report resumes there."""
    return any(t.text == "," for t in cue.doc[cue.i + 1 : child.left_edge.i])


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in tok.children)


def _animate(tok: Token) -> bool:
    """Whether a source can hold a belief or an aim: a person, a group, a named body or a
    count of people ("4 in 10"), not "it", "the move" or "the data"."""
    if tok.pos_ == "PRON":
        return tok.lower_ in _ANIMATE_PRONOUNS
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ in ("PROPN", "NUM"):
        return True
    lemma = tok.lemma_.lower()
    if lemma in _CUES.evidence_sources or lemma in _CUES.documents:
        return False
    # Agent nouns name people by what they do ("engineers", "economists", "historians").
    return (
        lemma in _CUES.animate
        or lemma in _ROLE_HEADS
        or tok.lower_ in _CUES.animate
        or (tok.pos_ == "NOUN" and lemma.endswith(_AGENT_SUFFIXES))
    )


def _content_word(toks: list[Token]) -> bool:
    return any(t.pos_ in ("NOUN", "PROPN", "NUM", "VERB", "ADJ") for t in toks)


def _clause(cue: Token, comp: Token) -> list[Token]:
    """A complement clause as content: past the cue (a relative clause's "which" stays out)."""
    return [t for t in comp.subtree if t.i > cue.i or comp.i < cue.i]


def _object_phrase(cue: Token, small_clause: bool, gerund: bool = True) -> list[Token] | None:
    """The cue's direct object with the predicate that completes it ("called Trump unhinged",
    "sees Cruz as a uniter", "found it to be a deterrent", "showed Trump leading"); with
    ``small_clause`` only an object that has such a predicate ("found a body" is no finding), and
    a gerund ("found the man lying in the road") only when ``gerund`` says it can be one."""
    obj = next((c for c in cue.rights if c.dep_ == "dobj"), None)
    if obj is None or obj.tag_ in ("WP", "WDT"):
        return None
    toks = list(obj.subtree)
    pred = [
        c
        for c in cue.rights
        if c.i > obj.i and (c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as"))
    ]
    has_pred = bool(pred) or (gerund and any(c.dep_ == "acl" and c.tag_ == "VBG" for c in obj.rights))
    if small_clause and not has_pred:
        return None
    # What the parser hung on the verb but belongs to the object: a second object ("offered
    # Kasich the second spot"), an infinitive ("Obama's actions to regulate gun sales"), the
    # charge or the merit ("accused Obama of exploitation", "praised her for her courage").
    pred += [
        c
        for c in cue.rights
        if c.i > obj.i
        and c not in pred
        and (
            c.dep_ in ("dobj", "acomp")
            or (c.dep_ == "advcl" and c.left_edge.lower_ == "to")
            or (c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == obj.right_edge.i + 1)
        )
    ]
    for c in pred:
        toks += list(c.subtree)
    if not _content_word(toks) or all(t.pos_ == "PRON" for t in obj.subtree):
        return None
    return toks


def _complement(tok: Token, speaker: Token) -> tuple[list[Token], str, str] | None:
    """The content a cue verb reports, its kind and the mechanism: the first verb class of the
    lemma (in the data file's order) with a complement that is there. None for a question
    ("declined to say how many ...") unless the cue asks."""
    lemma = _cue_lemma(tok)
    for cls in _CUES.classes:
        if lemma not in cls.lemmas:
            continue
        if cls.kind not in ("speech", "evidence") and not _animate(speaker):
            continue  # "its design assumes ...": no one holding a view
        for comp_type in sorted(cls.complements, key=_COMPLEMENT_ORDER.index):
            toks = _complement_of(tok, comp_type, cls.kind, speaker)
            if toks is None:
                continue
            first = next((t for t in toks if t.i > tok.i), None)
            if comp_type == "ccomp" and first is not None and first.lower_ in _QUESTION_WORDS:
                return None if lemma not in _ASKING else (toks, cls.kind, comp_type)
            return toks, cls.kind, comp_type
    prep = _CUES.verb_preps.get(lemma)
    if prep is not None and (prep[0] == "speech" or _animate(speaker)):
        for c in tok.rights:
            # "called for a ban", and "called for the strongholds to be hit" (parsed as a clause)
            clause = c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in prep[1] for m in c.children)
            if (c.dep_ == "prep" and c.lower_ in prep[1]) or clause:
                obj = [
                    t
                    for t in c.subtree
                    if t.i != c.i and not (clause and t.dep_ == "mark" and t.head.i == c.i)
                ]
                obj += [t for x in tok.rights if x.dep_ == "xcomp" and x.i > c.i for t in x.subtree]
                if obj and _content_word(obj) and not any(t.ent_type_ in ("DATE", "TIME") for t in obj[:2]):
                    return obj, prep[0], "prep"
    return None


_COMPLEMENT_ORDER = ["ccomp", "xcomp", "small_clause", "object", "parenthetical"]


def _complement_of(tok: Token, comp_type: str, kind: str, speaker: Token) -> list[Token] | None:
    """The content tokens of one complement type of a cue verb, or None when it has none."""
    if comp_type == "ccomp":
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        # "he says he fears ...": the complement after the verb is what was said; one before
        # it only when there is no other ("The attack killed five, police said").
        comp = next((c for c in comps if c.i > tok.i), comps[0] if comps else None)
        if comp is None:
            comp = _displaced_complement(tok)
        if comp is None:
            return None
        toks = _clause(tok, comp)
        if comp.i > tok.i:  # "said that A, but B refused": B, a clause of its own, was reported too
            toks += [t for c in tok.rights if c.i > comp.i and _reported_conjunct(c) for t in c.subtree]
        if comp.i < tok.i:  # "The emails were on many topics, the Times said, including speeches"
            toks += [t for c in tok.rights if c.dep_ != "punct" and _after_comma(tok, c) for t in c.subtree]
        return toks
    if comp_type == "parenthetical":
        if not _parenthetical(tok):
            return None
        drop = {t.i for t in tok.subtree}
        return [t for t in tok.head.subtree if t.i not in drop]
    if comp_type == "xcomp":
        x = next((c for c in tok.rights if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if x is None:
            return None
        obj = [t for c in tok.rights if c.dep_ in ("dobj", "dative") and c.i < x.i for t in c.subtree]
        return obj + list(x.subtree)
    if comp_type in ("object", "small_clause"):
        personal = speaker.ent_type_ == "PERSON" or speaker.lower_ in _ANIMATE_PRONOUNS
        if kind == "evidence" and comp_type == "object" and personal:
            return None  # "Clinton showed emotion": a person showing is no evidence
        # "A poll found Trump leading" is a finding; "police found the man lying in the road" not.
        gerund = (
            kind != "evidence"
            or speaker.lemma_.lower() in _CUES.evidence_sources
            or speaker.ent_type_ == "ORG"
        )
        return _object_phrase(tok, comp_type == "small_clause", gerund)
    return None


def _noun_source(ctx: _Context, noun: Token) -> Token | None:
    """Who holds the view or made the statement a cue noun names: "his claim", "the Trump
    campaign's statement", "support from voters", "criticism by Democrats", or the subject of a
    light verb ("Trump expressed support for ...", "issued a statement that ...")."""
    for c in noun.lefts:
        if c.dep_ == "poss":
            return c
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None and _animate(obj):
                return obj
    for c in noun.lefts:
        if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG"):
            return c
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_.lower() in _CUES.light_verbs and verb.pos_ == "VERB":
        return _subject(ctx, verb)
    return None


def _noun_content(noun: Token, kind: str) -> tuple[list[Token], str] | None:
    """What a cue noun reports: a that-clause ("the claim that ...") or, for a view or stance, the
    object of its preposition ("support for the deal", "concerns about the cost")."""
    for c in noun.rights:
        if c.dep_ in ("acl", "ccomp", "appos", "relcl") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children
        ):
            return list(c.subtree), "noun-clause"
    if kind == "speech":
        return None
    for c in noun.rights:
        if c.dep_ != "prep" or c.lower_ not in _CUES.noun_preps.get(kind, ()):
            continue
        obj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp")), None)
        if obj is None or obj.ent_type_ in ("DATE", "TIME") or obj.pos_ == "PRON":
            return None
        if c.lower_ == "of" and _animate(obj):
            return None  # "the support of voters": the holder, not the content
        toks = list(obj.subtree)
        return (toks, "noun") if _content_word(toks) else None
    return None


def _cue_found(ctx: _Context, tok: Token) -> tuple[list[Token], str, Token | None, bool] | None:
    """Content tokens, rule, speaker head and whether the content must be a clause, for one cue."""
    if tok.lower_ == "according":
        src = _according_source(tok)
        if src is None:
            return None
        clause = tok.head if tok.head.i != tok.i else tok
        drop = {t.i for t in tok.subtree}
        toks = (
            [t for t in clause.sent if t.i not in drop]
            if clause.pos_ not in ("VERB", "AUX")
            else [t for t in clause.subtree if t.i not in drop]
        )
        return toks, "indirect:according", src, True
    if tok.pos_ == "NOUN":
        kind = _CUES.nouns[tok.lemma_.lower()]
        found = _noun_content(tok, kind)
        src = _noun_source(ctx, tok) if found is not None else None
        if found is None or src is None or (kind != "speech" and not _animate(src)):
            return None
        toks, mech = found
        return toks, f"{'indirect' if kind == 'speech' else kind}:{mech}", src, mech == "noun-clause"
    if tok.pos_ == "ADJ":
        return _adjective_cue(ctx, tok)
    if tok.lower_ == "in":
        return _in_source(tok)
    if tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
        return _passive_cue(ctx, tok)
    if tok.tag_ == "VBN" and not any(c.dep_ in _SUBJ for c in tok.children):
        return None  # "Asked whether ..., she said": the subject was asked, not asking
    speaker = _subject(ctx, tok)
    if speaker is None or ctx.in_quote(speaker.idx):
        return None
    found = _complement(tok, speaker)
    if found is None:
        return None
    toks, kind, mech = found
    rule = f"{'indirect' if kind == 'speech' else kind}:{mech}"
    if _negated(tok):
        rule += ":negated"
    return toks, rule, speaker, mech in _CLAUSAL


def _in_source(prep: Token) -> tuple[list[Token], str, Token | None, bool] | None:
    """ "In a CNN poll released Monday, 50 percent chose Clinton": the poll is the source of the
    clause it frames. A speech verb's own frame ("said in a statement") is left to the verb."""
    obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
    verb = prep.head
    if obj is None or obj.lemma_.lower() not in _CUES.evidence_sources or obj.lemma_.lower() == "record":
        return None
    lead = prep.doc[prep.sent.start : prep.i]
    if verb.i < prep.i or any(not (t.is_punct or t.is_space or t.pos_ == "CCONJ") for t in lead):
        return None  # only a frame opening its sentence; "leading in the polls" is no source
    if _cue_lemma(verb) in _CUE_VERBS:
        return None
    drop = {t.i for t in prep.subtree}
    toks = [t for t in verb.subtree if t.i not in drop]
    return toks, "evidence:in", obj, True


def _passive_cue(ctx: _Context, tok: Token) -> tuple[list[Token], str, Token | None, bool] | None:
    """ "Trump is expected to win", "it was said that ...", "Cruz is seen as a uniter by voters":
    the content is the subject with its predicate; the source is the "by" agent, or nobody named."""
    kind = _CUES.passive.get(_cue_lemma(tok))
    if kind is None:
        return None
    agent = next((c for c in tok.rights if c.dep_ == "agent"), None)
    source = next((o for o in agent.children if o.dep_ == "pobj"), None) if agent is not None else None
    comp = next(
        (
            c
            for c in tok.rights
            if c.dep_ in ("ccomp", "xcomp", "oprd") or (c.dep_ == "prep" and c.lower_ == "as")
        ),
        None,
    )
    if comp is None:
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    toks: list[Token] = []
    if subj is not None and subj.lower_ != "it" and subj.tag_ not in ("WP", "WDT"):
        toks = list(subj.subtree)
    toks += list(comp.subtree)
    if not _content_word(toks):
        return None
    rule = f"{'indirect' if kind == 'speech' else kind}:passive"
    return toks, rule + (":negated" if _negated(tok) else ""), source, comp.dep_ != "prep"


def _adjective_cue(ctx: _Context, adj: Token) -> tuple[list[Token], str, Token | None, bool] | None:
    """ "Cruz is confident that ...", "voters are eager to ...", "she is critical of the deal": the
    subject of the copula holds the view; the adjective's clause or prepositional object is it."""
    kind = _CUES.adjectives[_cue_lemma(adj)]
    verb = adj.head
    if verb.i == adj.i or verb.pos_ not in ("VERB", "AUX"):
        return None
    speaker = _subject(ctx, verb)
    if speaker is None or not _animate(speaker):
        return None
    for c in adj.rights:
        if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
            rule = f"{kind}:adjective"
            return list(c.subtree), rule + (":negated" if _negated(verb) else ""), speaker, True
        if c.dep_ == "prep" and c.lower_ in _CUES.adjective_preps:
            obj = [t for t in c.subtree if t.i != c.i]
            if obj and _content_word(obj) and obj[0].pos_ != "PRON":
                rule = f"{kind}:adjective"
                return obj, rule + (":negated" if _negated(verb) else ""), speaker, False
    return None


def _indirect(ctx: _Context) -> list[_Pending]:
    """Reported statements and stances: "X said (that) ...", "..., X said", "according to X, ...",
    "X believes ...", "the poll showed ...", "X wants to ...", "X endorsed Y", "his claim that ...".
    A content that is mostly a direct quotation is left to the direct attribution; one that only
    contains a quoted phrase is kept (the phrase gets its own direct attribution too)."""
    out: list[_Pending] = []
    for tok in ctx.cues:
        if ctx.in_quote(tok.idx):
            continue
        found = _cue_found(ctx, tok)
        if found is None:
            continue
        toks, rule, speaker_head, clausal = found
        if speaker_head is not None and ctx.in_quote(speaker_head.idx):
            continue
        para = ctx.para_of(tok.idx)
        toks = _strip_dateline([t for t in toks if ctx.para_of(t.idx) == para])
        parts = _parts_of(ctx, toks)
        if not parts or (clausal and (not any(t.pos_ in ("VERB", "AUX") for t in toks) or len(toks) < 3)):
            continue
        quoted = sum(ctx.quoted_chars(s, e) for s, e in parts)
        size = sum(e - s for s, e in parts)
        if quoted * 2 >= size and (clausal or quoted >= size):
            continue  # the content is mostly a direct quotation, attributed as such
        cue_text = tok.text if tok.lower_ != "according" else "according to"
        cue_end = tok.idx + len(cue_text)
        att = Attribution((parts[0][0], parts[-1][1]), cue_text, (tok.idx, cue_end), None, False, parts, rule)
        out.append((att, speaker_head))
    return out


def _labels(ctx: _Context) -> list[_Pending]:
    """Headline and transcript labels: "Graham: Trump's rhetoric destroying GOP's chance",
    "PENCE: Well, look, ...". A short name before a colon opening a paragraph is the source of
    the rest of the paragraph; section labels ("Update:", "Editor's note:") are not."""
    out: list[_Pending] = []
    doc, text = ctx.doc, ctx.text
    for ps, pe in ctx.paras:
        colon = text.find(":", ps, min(pe, ps + 60))
        if colon < 0 or colon >= pe - 1 or ctx.in_quote(ps) or text[pe - 1] == ":":
            continue
        first = bisect.bisect_left(ctx.starts, ps)
        stop = bisect.bisect_left(ctx.starts, colon)
        label = [t for t in doc[first:stop] if not t.is_space]
        words = [t for t in label if t.is_alpha]
        if not 1 <= len(label) <= 6 or not words or not (label[0].is_title or label[0].is_upper):
            continue
        if any(t.pos_ in ("VERB", "AUX", "PRON", "ADP") or t.like_num for t in label):
            continue
        if all(t.lower_ in _CUES.label_words for t in words) or label[0].pos_ == "DET":
            continue
        names = [t for t in label if t.pos_ == "PROPN"]
        if not names or all(t.ent_type_ in ("GPE", "LOC", "DATE") for t in names):
            continue  # "Nevada: Adam Khan, ...": a list under a place, not a speaker
        heads = [t for t in label if t.pos_ in ("PROPN", "NOUN")]
        end = bisect.bisect_left(ctx.starts, pe)
        toks = [t for t in doc[stop + 1 : end] if not t.is_space]
        parts = _parts_of(ctx, toks)
        if not heads or len(toks) < 3 or not parts:
            continue
        size = sum(e - s for s, e in parts)
        if sum(ctx.quoted_chars(s, e) for s, e in parts) * 2 >= size:
            continue  # 'Trump: "..."' is a direct quotation, attributed as such
        cue = doc[stop]
        att = Attribution(
            (parts[0][0], parts[-1][1]), ":", (cue.idx, cue.idx + 1), None, False, parts, "indirect:label"
        )
        out.append((att, heads[-1]))
    return out


# --- public API -------------------------------------------------------------------------------


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every reported statement in the article, direct quotes and paraphrases, in text order."""
    ctx = _Context(doc)
    pending = _direct(ctx) + _indirect(ctx) + _labels(ctx)
    # Resolve speakers in text order, so "he" and "they" see every speaker named before them;
    # a speaker shared by several attributions (a carried quote) is resolved once.
    resolved: dict[int, Speaker] = {}
    ready = [(att, head) for att, head in pending if head is not None]
    for att, head in sorted(ready, key=lambda p: p[1].idx):
        if head.i not in resolved:
            resolved[head.i] = _speaker(ctx, head)
        att.speaker = resolved[head.i]
    found = sorted((att for att, _ in pending), key=lambda a: (a.content[0], -a.content[1]))
    log.debug("found %d attributions (%d direct)", len(found), sum(a.direct for a in found))
    return found


def find_quotes(doc: Doc) -> list[Quote]:
    """Direct quotations with their speaker; one Quote per quoted passage (a quote resumed after its
    cue gives two, both attributed). A multi-paragraph quote is one Quote whose span runs from the
    first paragraph's content to the closing mark, so ``text`` keeps the paragraph break."""
    return direct_quotes(find_attributions(doc), doc.text)


def direct_quotes(attributions: list[Attribution], text: str) -> list[Quote]:
    """The direct quotations among attributions already found (the pipeline finds them once)."""
    return [
        Quote(text[s:e], (s, e), att.cue, att.speaker, att.cue_span)
        for att in attributions
        if att.direct
        for s, e in att.parts or [att.content]
    ]


def attributed_to(attributions: list[Attribution], span: tuple[int, int]) -> str | None:
    """Who claims the text at ``span``: the speaker of the narrowest attribution whose content
    contains it, or None when the article states it in its own voice."""
    best: tuple[int, str] | None = None
    for att in attributions:
        if att.speaker is None or att.kind not in _CLAIM_KINDS or att.rule.endswith(":negated"):
            continue
        for s, e in att.parts or [att.content]:
            if s <= span[0] and span[1] <= e and (best is None or e - s < best[0]):
                best = (e - s, att.speaker.name)
    return best[1] if best else None
