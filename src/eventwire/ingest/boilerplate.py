"""Remove page furniture (navigation, share buttons, footers, credits) from article text.

Extractors such as trafilatura leave some furniture behind, and text or JSONL sources copied from
web pages carry all of it. Event coding must not read "Read more: ..." headlines as news, so each
line is judged by its features, in three tiers:

1. *Labels* (anywhere): the whole line, or its prefix before a separator, is a known furniture
   label: "Advertisement", "Read more: ...", "Tags: ...", "Photo: ...", "Share on Facebook",
   "(Reporting by ...)", copyright notices. A section label such as "Related stories" also takes
   the headline-like lines under it.
2. *Furniture vocabulary* (anywhere): the line speaks of newsletters, cookies, the e-paper, the
   app, sign-in, and is either not a sentence or a sentence that addresses the reader ("you",
   "our") outside quotation marks.
3. *Edge furniture* (only in the leading or trailing block, scanning inwards until the first line
   of story): short labels, navigation words, lists of short labels joined by " | " or " - ",
   bylines, date stamps, agency sign-offs, URLs; and at the end also headline-like lines without
   sentence punctuation (related links) and author bios.

A line that reads as a sentence (sentence-final punctuation, function words, a pronoun subject, a
quotation with a speech verb) is never removed by tier 3, so a short last paragraph ("He denied
it.") stays. Tier 3 is skipped entirely when no line of the text reads as a sentence, so a
headline-only brief is not emptied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventwire.ingest.encoding import normalise_whitespace

_I = re.IGNORECASE


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string (easier to read and extend)."""
    return frozenset(words.split())


_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_COLON_END = re.compile(r":[\"'”’»)\]]*$")
_QUOTE_MARK = re.compile(r"[\"“”«»„]|(?:^|\s)[‘']")
_SPEECH_VERB = re.compile(r"\b(said|says|say|told|tells|added|asked|according|stated|declared|warned)\b", _I)
_READER = re.compile(r"\b(you|your|yours|our|ours|we|us)\b|\bUs\b")

_FUNCTION_WORDS = _wordset(
    """the a an of to in on at for with by from as that which who whom whose and but or nor not no after
    before than into over about against while when where during since until because if is are was were be
    been being has have had do does did will would could should may might must can said says say told he
    she they it we i his her their its them him this these those there"""
)
_VERB_HINTS = _wordset(
    """is are was were be been being has have had do does did will would could should may might must can
    said says told added denied rejected killed died fled left took gave made went came remains remain
    continues continue says"""
)
_PRONOUNS = _wordset("he she they it we i this that")

# --- tier 1: labels ------------------------------------------------------------------------------

_SEP = r"\s*(?:[:|»›>]|[-–—]\s)\s*"
_SECTION = (
    r"(?:related(?: (?:articles?|stories|story|news|content|coverage|links|posts|topics|reading|videos?))?"
    r"|read more|read also|also read|see also|also see|more|more (?:stories|news|headlines|videos)"
    r"|more on this(?: story| topic)?|more (?:from|in|on) [\w .&'’-]{1,40}|further reading"
    r"|most (?:read|popular|viewed|shared|commented|watched)|trending(?: now| stories| news)?"
    r"|popular(?: now| stories)?|latest(?: news| stories| headlines| videos)?|top stories|top news"
    r"|editor'?s picks|recommended(?: for you| stories| reading)?|you (?:may|might) (?:also )?(?:like|enjoy"
    r"|be interested in)|you may have missed|don'?t miss|must read|in other news|around the web"
    r"|what to read next|up next|next (?:story|article)|previous (?:story|article)|also on [\w .&'’-]{1,40})"
)
_SECTION_LINE = re.compile(rf"^{_SECTION}\s*[:|»›>]?$", _I)
_PREFIX_LABEL = re.compile(
    rf"^(?:read more|read also|also read|read|see also|also see|related|more|watch|listen|video"
    rf"|recommended|don'?t miss|must read|also on [\w .&'’-]{{1,40}}|more (?:from|in|on) [\w .&'’-]{{1,40}})"
    rf"{_SEP}\S",
    _I,
)
_LABELS = tuple(
    re.compile(p, _I)
    for p in (
        r"^(?:advertisement|advertising|advert|ad|sponsored(?: content)?|paid (?:content|post|partner)"
        r"|promoted(?: content)?|partner content)$",
        r"^(?:story|article|text) continues (?:below|after)\b",
        r"^(?:continue reading|scroll (?:down )?to continue)\b",
        r"^(?:tags?|topics?|keywords?|filed under|categories|category|related topics|subjects?|labels?"
        r"|more about)\s*[:|]",
        r"^[(\[]?\s*(?:additional |with additional )?(?:reporting|writing|editing|compiled|edited|"
        r"translated|research|fact-checking|production|graphics)(?: and (?:writing|editing))? by\b",
        r"©|\(c\)\s*(?:19|20)\d\d|^copyright\b|\bcopyright (?:©|\(c\)|(?:19|20)\d\d)|all rights reserved"
        r"|\bmay not be (?:re)?(?:published|broadcast|rewritten|redistributed|reproduced)"
        r"|reproduction [\w ]{0,30}(?:prohibited|forbidden|without)",
        r"^(?:follow|like|join|find|add) us\b",
        r"^follow (?:@\w+|[\w .&'’-]{1,40} on (?:twitter|x|facebook|instagram|telegram|youtube|linkedin"
        r"|tiktok|threads|whatsapp|google news))",
        r"^(?:click|tap) here\b",
        r"^disclaimer\s*:",
    )
)
_SHARE_WORDS = _wordset(
    """share shares sharing this article story page post on via tweet email e-mail mail print facebook twitter
    x linkedin whatsapp telegram reddit pinterest messenger copy link save comment comments bookmark flipboard
    pocket sms the to it gift send threads bluesky"""
)
_SHARE_CORE = _wordset(
    """share tweet email e-mail print facebook twitter whatsapp linkedin telegram pinterest reddit bookmark
    comment comments save messenger flipboard"""
)
_CREDIT_LINE = tuple(
    re.compile(p, _I)
    for p in (
        r"^[(\[]?\s*(?:photos?|photograph|images?|picture|pic|file photo|graphic|illustration|video|credit"
        r"|photo credit|image credit|image source|courtesy|source)(?: by| credit| courtesy| source)?\s*[:/|]"
        r".{0,80}$",
        r"^[(\[]?\s*(?:photos?|photograph|picture|pic|image) (?:by|courtesy(?: of)?)\s.{0,60}$",
        r"^[(\[]\s*(?:[\w.&/-]+\s){0,3}(?:photo|photos|pic|picture|image|file photo)\s*[)\]]$",
        r"^(?:[\w.&-]+\s){0,2}(?:photo|file photo)s?$",
        r"^(?:getty images|[\w ]{1,20} via getty images|shutterstock|ap photo(?:/.{1,40})?"
        r"|reuters/.{1,40}|afp/.{1,40})$",
    )
)
_INLINE_CREDIT = re.compile(
    r"\s*(?:[(\[]\s*(?:photos?|image|picture|file photo|credit)\s*[:/]?\s*[^()\[\]]{0,60}[)\]]"
    r"|[(\[]\s*(?:[\w.&/-]+\s){0,3}(?:photo|pic|picture|image)s?\s*[)\]]"
    r"|\s(?:photo|image|picture) credit\s*:\s*[^.!?]{1,60}"
    r"|\s(?:photo|image)\s*:\s*[A-Z][\w.&/ -]{1,40})$",
    _I,
)

# --- tier 2: furniture vocabulary ------------------------------------------------------------------

_VOCAB = re.compile(
    r"\b(?:newsletters?|subscribe|subscribers?|subscriptions?|unsubscribe|sign[ -]?up|sign[ -]?in|log[ -]?in"
    r"|log[ -]?out|register (?:now|for free|here)|inbox|cookies?|cookie (?:policy|settings|preferences)"
    r"|privacy (?:policy|notice|settings)|terms (?:of use|of service|and conditions)|e-?papers?"
    r"|e-?editions?|print edition|digital edition|app store|google play|download (?:our|the) app"
    r"|get the app|our app|paywall|unlimited access|support (?:our|independent|quality) journalism"
    r"|donate now|advertise with us|contact us|email us|about us|careers|sitemap|rss feeds?|feedback"
    r"|skip to (?:main )?content|back to top|font size|text size|listen to (?:this|the) article"
    r"|\d+ min(?:ute)?s? read|whatsapp channel|telegram channel|google news|push notifications?"
    r"|breaking news alerts?|news tips?|story tips?|tip us|report an error|corrections? policy"
    r"|leave a comment|join the conversation|comments? \(\d+\)|\d+ comments?|homepage"
    r"|visit our (?:website|site|page)|for more (?:news|updates|stories)|(?:click|tap) here"
    r"|join (?:our|the) (?:\w+ )?(?:channel|group|community)|stay updated"
    r"|is now on (?:telegram|whatsapp|google news|instagram|twitter|facebook|youtube))\b",
    _I,
)

# --- tier 3: edge furniture -----------------------------------------------------------------------

_NAV_WORDS = _wordset(
    """home news world local national international business economy markets money sport sports football
    cricket politics opinion opinions editorial editorials culture arts entertainment lifestyle life style
    travel food health science tech technology environment climate education video videos photos gallery
    galleries podcasts podcast live weather more menu search login signin subscribe latest region regions
    asia africa europe americas middle east us uk india pakistan about contact privacy terms cookies
    careers advertise archive archives epaper e-paper magazine features columns columnists blogs blog
    multimedia trending newsletter newsletters sections section top stories edition shows tv radio
    obituaries classifieds jobs property motoring cars horoscope puzzles games crosswords"""
)
_LABEL_SEP = re.compile(r"\s+[|·•/»›>–—-]\s+|\s*[|·•»›]\s*")
_DATE_WORDS = _wordset(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues
    wed thu thur thurs fri sat sun am pm a.m p.m gmt utc bst cet cest est edt pst pdt ist pkt ast eat wat
    published updated posted last modified on at ago hour hours minute minutes min mins day days week weeks
    month months year years just now today yesterday first second time date"""
)
_AGENCIES = (
    r"reuters|afp|ap|associated press|dpa|xinhua|anadolu(?: agency)?|aa|agencies|agency|news agencies"
    r"|ians|pti|ani|apa|efe|ansa|kyodo|yonhap|tass|ria novosti|bernama|wam|spa|upi|bloomberg|app|nni|irna"
    r"|sana|mena|qna|kuna|petra|aps|map|tap"
)
_AGENCY_LINE = re.compile(
    rf"^[(\[—–-]*\s*(?:(?:with )?(?:inputs?|reporting|additional reporting) from |source:\s*|with )?"
    rf"(?:(?:{_AGENCIES})(?:\s*(?:,|and|&|/)\s*)?){{1,4}}(?:\s*inputs?)?\s*[)\]]?\s*\.?$",
    _I,
)
_BYLINE = re.compile(r"^(?:by|written by|words by|story by|reported by|posted by|from)\s+\S", _I)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$|^\S+@\S+\.\w+$", _I)
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s){1,4}(?:is|was|has been|writes)\b.{0,120}\b(?:correspondent|reporter|journalist"
    r"|editor|writer|columnist|contributor|fellow|freelancer|bureau chief|staff writer)\b",
)
_EDITORIAL_NOTE = re.compile(
    r"^(?:this (?:article|story|report|piece|version) (?:was|has been|is|first|originally)\b"
    r"|(?:an earlier|a previous) version of this (?:article|story)\b|(?:the )?views expressed\b"
    r"|(?:this|the) (?:article|story) (?:was )?(?:first )?(?:appeared|published) (?:in|on|by)\b"
    r"|(?:to )?contact the (?:reporter|author|editor)s?\b)",
    _I,
)


_MAX_PROMPT_CHARS = 280
_SENTENCE_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[A-Z\"“‘(\[0-9])")
_DATELINE = re.compile(r"^[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}\s*\([A-Za-z/ .&-]{2,30}\)\s*[-—–:]?$")


@dataclass(slots=True)
class _Line:
    text: str
    block: int
    words: list[str]
    sentence: bool
    removed: bool = False


def strip_boilerplate(text: str) -> str:
    """Return ``text`` without furniture lines; paragraphs stay separated by one blank line."""
    text = normalise_whitespace(text)
    if not text:
        return ""
    lines: list[_Line] = []
    for block_no, block in enumerate(text.split("\n\n")):
        for raw in block.split("\n"):
            cleaned = _strip_inline_credit(raw)
            if cleaned:
                words = _WORD.findall(cleaned)
                lines.append(_Line(cleaned, block_no, words, _is_sentence(cleaned, words)))

    _mark_anywhere(lines)
    if any(line.sentence and not line.removed for line in lines):
        _mark_edges(lines)
    _trim_last_paragraph(lines)

    blocks: dict[int, list[str]] = {}
    for line in lines:
        if not line.removed:
            blocks.setdefault(line.block, []).append(line.text)
    return "\n\n".join("\n".join(kept) for _, kept in sorted(blocks.items()))


def is_furniture_line(line: str, *, position: str = "middle") -> bool:
    """Whether one line is furniture at ``position`` ("leading", "middle" or "trailing").

    Exposed for callers that judge lines one at a time (feeds, titles) and for tests.
    """
    words = _WORD.findall(line)
    sentence = _is_sentence(line, words)
    if _is_label(line, words) or _is_vocab_furniture(line, sentence):
        return True
    if position == "leading":
        return _is_leading_furniture(line, words, sentence)
    if position == "trailing":
        return _is_trailing_furniture(line, words, sentence)
    return False


# --- passes -----------------------------------------------------------------------------------------


def _mark_anywhere(lines: list[_Line]) -> None:
    in_section = False
    for line in lines:
        if _SECTION_LINE.match(line.text):
            line.removed = True
            in_section = True
            continue
        if in_section and not line.sentence:
            line.removed = True  # a headline listed under "Related stories"
            continue
        in_section = False
        line.removed = (
            _is_label(line.text, line.words)
            or _is_vocab_furniture(line.text, line.sentence)
            or (_is_label_list(line.text, min_labels=3) and not line.sentence)
        )


def _mark_edges(lines: list[_Line]) -> None:
    for line in lines:
        if line.removed:
            continue
        if not _is_leading_furniture(line.text, line.words, line.sentence):
            break
        line.removed = True
    for line in reversed(lines):
        if line.removed:
            continue
        if not _is_trailing_furniture(line.text, line.words, line.sentence):
            break
        line.removed = True


def _trim_last_paragraph(lines: list[_Line]) -> None:
    """Cut furniture sentences run into the end of the last paragraph ("... Sign up to our newsletter.")."""
    last = next((line for line in reversed(lines) if not line.removed), None)
    if last is None:
        return
    text = last.text
    while True:
        boundaries = list(_SENTENCE_BOUNDARY.finditer(text))
        if not boundaries:
            break
        cut = boundaries[-1]
        tail = text[cut.end() :]
        words = _WORD.findall(tail)
        if not words:
            if any(c.isdigit() for c in tail):
                break  # "... on Dec. 31, 2021": the split fell after an abbreviation
        elif not _is_label(tail, words) and not _is_vocab_furniture(tail, _is_sentence(tail, words)):
            break
        text = text[: cut.start(1)]
    last.text = text


# --- features ---------------------------------------------------------------------------------------


def _is_sentence(text: str, words: list[str]) -> bool:
    """Whether a line reads as story prose rather than a label."""
    lower = [w.lower() for w in words]
    if not lower:
        return False
    if _QUOTE_MARK.search(text) and _SPEECH_VERB.search(text):
        return True
    if _SENTENCE_END.search(text) and (len(lower) >= 2 or words[0][0].islower()):
        return True  # one lower-case word with a full stop ends a sentence broken across lines
    function = sum(1 for w in lower if w in _FUNCTION_WORDS)
    if _COLON_END.search(text) and len(lower) >= 4 and function:
        return True
    if len(lower) >= 12 and function / len(lower) >= 0.15:
        return True
    return lower[0] in _PRONOUNS and len(lower) >= 3 and any(w in _VERB_HINTS for w in lower[1:])


def _is_label(text: str, words: list[str]) -> bool:
    if _PREFIX_LABEL.match(text) and len(words) <= 30:
        return True
    if len(words) <= 40 and any(p.search(text) for p in _LABELS) and not _is_quoted_speech(text):
        return True
    if _is_share_buttons(text, words):
        return True
    return len(words) <= 12 and any(p.match(text) for p in _CREDIT_LINE)


def _is_share_buttons(text: str, words: list[str]) -> bool:
    lower = [w.lower() for w in words]
    if not lower or len(lower) > 10 or (_SENTENCE_END.search(text) and len(lower) > 2):
        return False
    return all(w in _SHARE_WORDS for w in lower) and any(w in _SHARE_CORE for w in lower)


def _is_vocab_furniture(text: str, sentence: bool) -> bool:
    # A sentence is furniture only as a short prompt addressing the reader; a long paragraph with
    # one such sentence at its end is trimmed by _trim_last_paragraph instead.
    prompt = len(text) <= _MAX_PROMPT_CHARS and _READER.search(text) and not _QUOTE_MARK.search(text)
    if sentence and not prompt:
        return False
    return bool(_VOCAB.search(text))


def _is_quoted_speech(text: str) -> bool:
    return bool(_QUOTE_MARK.search(text) and _SPEECH_VERB.search(text))


def _is_label_list(text: str, *, min_labels: int = 2) -> bool:
    """Short labels joined by separators: "Home | World | Sport", "Site - Section"."""
    if _SENTENCE_END.search(text) and not text.endswith("..."):
        return False
    parts = [p.strip() for p in _LABEL_SEP.split(text) if p.strip()]
    if len(parts) < min_labels:
        return False
    for part in parts:
        part_words = _WORD.findall(part)
        if len(part_words) > 4:
            return False
        if not (
            part[0].isupper()
            or part[0].isdigit()
            or _VOCAB.search(part)
            or all(w.lower() in _NAV_WORDS for w in part_words)
        ):
            return False
    return True


def _is_edge_label(text: str, words: list[str], sentence: bool) -> bool:
    """Furniture that is only safe to remove at the top or bottom of an article."""
    if sentence:
        return False
    lower = [w.lower() for w in words]
    if not lower:
        return True  # only digits and symbols: "1/3", "***", "12:04"
    if _is_label_list(text) or _BYLINE.match(text) or _URL_LINE.match(text) or _AGENCY_LINE.match(text):
        return True
    if all(w in _DATE_WORDS or w in _NAV_WORDS for w in lower) and any(w in _DATE_WORDS for w in lower):
        return True  # "Published: 14 March 2023, 08:30 GMT"
    if sum(1 for w in lower if w in _NAV_WORDS) / len(lower) >= 0.5:
        return True
    return (
        len(lower) <= 3
        and not any(w in _FUNCTION_WORDS for w in lower)
        and all(w[0].isupper() or w.lower() in _NAV_WORDS for w in words)
        and not text.isupper()
    )  # an upper-case line at the top may be a dateline ("BEIRUT")


def _is_leading_furniture(text: str, words: list[str], sentence: bool) -> bool:
    if _DATELINE.match(text):
        return False  # "WASHINGTON (Reuters) -" on its own line: the place matters
    return _is_edge_label(text, words, sentence)


def _is_trailing_furniture(text: str, words: list[str], sentence: bool) -> bool:
    if _AGENCY_LINE.match(text) or _EDITORIAL_NOTE.match(text) or _AUTHOR_BIO.match(text):
        return True
    if _is_edge_label(text, words, sentence) or (text.isupper() and len(words) <= 4 and not sentence):
        return True
    # A headline-like line (no sentence punctuation) at the very end is a related link.
    return not sentence and len(words) <= 20 and not _is_quoted_speech(text)


def _strip_inline_credit(line: str) -> str:
    """Drop a photo credit glued to the end of a caption: "... on Friday. (Reuters photo)"."""
    cut = len(line) - 160 if len(line) > 160 else 0  # a credit is short: search only the tail
    tail = _INLINE_CREDIT.sub("", line[cut:])
    stripped = (line[:cut] + tail).rstrip()
    return stripped if stripped else line
