"""Name keys for gazetteer lookups.

News spells the same place many ways ("Deir al-Zor", "Deir ez-Zor", "Dayr az Zawr"; "Raqqa", "Ar Raqqah").
Three keys, each looser than the last, let the resolver try an exact spelling first and fall back to
spelling-insensitive matches only when the exact one finds nothing:

* ``name_key``: case-folded, diacritics and punctuation removed, "St." -> "saint".
* ``stripped_key``: also without Arabic articles (al-, el-, ez-, ash-, ...), word-final "h" after a vowel
  (ta marbuta: "Raqqah" -> "Raqqa") and doubled letters.
* ``loose_key``: a consonant skeleton of the stripped key (first letter kept; later vowels, h, y, w
  dropped).
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ə": "e",
        "Ə": "E",
    }
)
_DROP = re.compile(r"[\u02bb\u02bc\u02bf\u02be\u2018\u2019'`´.]")
_SEP = re.compile(r"[^0-9a-z]+")
_ABBREV = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
ARABIC_ARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "az",
        "ash",
        "at",
        "ath",
        "adh",
        "an",
        "ez",
        "es",
        "ed",
        "et",
        "en",
        "er",
        "ul",
        "ud",
        "ur",
        "us",
        "un",
        "il",
    ]
)
_VOWELISH = re.compile(r"[aeiouyw]")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_DOUBLE = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=200_000)
def name_key(text: str) -> str:
    """The exact-ish key: what two spellings share when they differ only in case, accents and punctuation."""
    if not text.isascii():
        # NFKD splits accents off; the ascii round trip drops them (and any non-Latin letters).
        text = unicodedata.normalize("NFKD", text.translate(_SPECIAL).replace("\u2019", ""))
        text = text.encode("ascii", "ignore").decode("ascii")
    text = _DROP.sub("", text.lower())
    tokens = _SEP.sub(" ", text).split()
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    return " ".join(_ABBREV.get(t, t) for t in tokens)


@functools.lru_cache(maxsize=200_000)
def stripped_key(key: str) -> str:
    """``name_key`` without Arabic articles, final vowel+h and doubled letters (takes a name_key)."""
    tokens = key.split()
    if len(tokens) > 1:
        kept = [t for t in tokens[:-1] if t not in ARABIC_ARTICLES] + tokens[-1:]
        tokens = kept
    out = []
    for tok in tokens:
        if len(tok) > 2 and tok[-1] == "h" and tok[-2] in "aeiou":
            tok = tok[:-1]
        if _DOUBLE.search(tok):
            tok = _DOUBLE.sub(_first_group, tok)
        out.append(tok)
    return " ".join(out)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


@functools.lru_cache(maxsize=200_000)
def loose_key(key: str) -> str:
    """Consonant skeleton of ``stripped_key`` (takes a name_key); only long skeletons are worth using."""
    out = []
    for tok in stripped_key(key).split():
        tok = tok.replace("ou", "u").replace("kh", "k").replace("q", "k").replace("dh", "d")
        tok = _FINAL_H.sub("", tok)
        skeleton = tok[0] + _DOUBLE.sub(r"\1", _VOWELISH.sub("", tok[1:].replace("h", "")))
        out.append(skeleton)
    return " ".join(out)


def is_latin_name(text: str) -> bool:
    """True for names written in Latin script: the only ones English news text can contain."""
    if text.isascii():
        return any(c.isalpha() for c in text)
    # Latin letters survive the accent-stripping ascii fold; letters of other scripts vanish.
    folded = unicodedata.normalize("NFKD", text.translate(_SPECIAL)).encode("ascii", "ignore")
    n_letters = sum(1 for c in text if c.isalpha() and unicodedata.category(c) != "Lm")  # not ʻ ʼ
    return n_letters > 0 and sum(1 for b in folded if 65 <= b <= 90 or 97 <= b <= 122) >= n_letters
