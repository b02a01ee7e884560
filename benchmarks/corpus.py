"""A deterministic benchmark corpus built from the bundled example articles.

The examples are too few to time anything, so this module reads them and makes variants by
recombining paragraphs, swapping people, places and casualty figures from small lists, and
shifting dates. The same seed always gives the same corpus, and no two articles share a body,
so a cache or a deduplicator in the pipeline cannot make the benchmark look faster than a
real feed of distinct stories.

Reading is done here with a small reader of its own (plain text, JSONL, HTML through
trafilatura) so the corpus does not depend on the ingest readers' details; only the language is
set with ingest's own detector, as ingest would set it. The benchmark times extraction, not ingest.
"""

from __future__ import annotations

import json
import logging
import pickle
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from eventwire.ingest.language import detect_language
from eventwire.records import Article

log = logging.getLogger(__name__)

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

# Outlets a variant is credited to: invented names, so no real outlet is misquoted.
OUTLETS = (
    "Meridian",
    "The Niger Valley Herald",
    "Horn Dispatch",
    "The Maghreb Ledger",
    "Levant Daily Star-Courier",
    "Andes Evening Post",
    "Great Lakes Observer",
    "Irrawaddy Morning Bulletin",
)

# Places that can replace one another without making a sentence absurd: same country, same kind
# of place. A variant maps the names it contains to other names of the same group.
PLACE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Gao", "Timbuktu", "Mopti", "Kidal", "Ségou", "Sévaré"),
    ("Ansongo", "Bourem", "Douentza", "Niono", "Tessalit"),
    ("Kharkiv", "Sumy", "Dnipro", "Zaporizhzhia", "Odesa", "Kryvyi Rih"),
    ("Toretsk", "Pokrovsk", "Kostiantynivka", "Chasiv Yar"),
    ("Kupiansk", "Lyman", "Vovchansk", "Huliaipole"),
    ("Hodeidah", "Mocha", "Salif", "Ras Isa"),
    ("Kyauktaw", "Minbya", "Mrauk-U", "Ponnagyun", "Rathedaung"),
    ("Tame", "Saravena", "Fortul", "Arauquita"),
    ("Sake", "Minova", "Rutshuru", "Kitshanga", "Masisi"),
    ("Kirkuk", "Tikrit", "Baqubah", "Samarra"),
    ("al-Busayrah", "al-Shuhail", "Hajin", "al-Mayadin"),
    ("Moqokori", "Bulo Burte", "Adan Yabaal", "Mahas"),
    ("El Fasher", "Nyala", "El Geneina", "Zalingei", "Kutum"),
    ("Ain Zara", "Souq al-Juma", "Tajoura", "Abu Salim"),
)

# People invented for the examples, as (given name, surname, gender); later references use the
# surname and a pronoun, so a stand-in keeps the gender and "he said" still fits.
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Hamidou", "Maïga", "m"),
    ("Ibrahima", "Koné", "m"),
    ("Andriy", "Melnychuk", "m"),
    ("Ihor", "Bondar", "m"),
    ("Abdulmalik", "al-Wazir", "m"),
    ("Marta", "Lindqvist", "f"),
    ("Kyaw Min", "Naing", "m"),
    ("Camilo", "Ortega", "m"),
    ("Luz Marina", "Castaño", "f"),
    ("Jean-Baptiste", "Mbuyi", "m"),
    ("Haider", "al-Ameri", "m"),
    ("Rojhat", "Derik", "m"),
    ("Abdikadir Hassan", "Farah", "m"),
    ("Nadia", "Farrugia", "f"),
    ("Maha", "Kabbara", "f"),
    ("Walid", "Azar", "m"),
    ("Ibrahim", "Abdallah", "m"),
    ("Hassan", "Idris", "m"),
    ("Clementine", "Osei", "f"),
    ("Ingrid", "Vasquez", "f"),
)

# Replacement people, also invented; a variant draws from these so names differ between copies.
STAND_INS: dict[str, tuple[tuple[str, str], ...]] = {
    "m": (
        ("Oumar", "Diarra"),
        ("Serhiy", "Kovalenko"),
        ("Yahya", "al-Haddad"),
        ("Aung Ko", "Latt"),
        ("Patrice", "Kabila-Mwamba"),
        ("Mustafa", "al-Jubouri"),
        ("Hevi", "Amed"),
        ("Abdirahman Ali", "Warsame"),
        ("Karim", "Obeid"),
        ("Tomas", "Lindgren"),
        ("Pierre", "Ndayishimiye"),
        ("Diego", "Montoya"),
    ),
    "f": (
        ("Fatoumata", "Cissé"),
        ("Natalia", "Hrytsenko"),
        ("Sofia", "Bergström"),
        ("Leila", "Mansour"),
        ("Amira", "Suleiman"),
        ("Grace", "Wanjiru"),
        ("Diana", "Restrepo"),
        ("Hawa", "Sanogo"),
    ),
}

_AT_LEAST = re.compile(r"\bat least (\d+)\b")
_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý .'/-]+(?:, [\w .'-]+)*, "
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (?P<day>\d{1,2})"
    r"(?: \((?P<outlet>[^)]+)\))?"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


@dataclass(frozen=True, slots=True)
class Source:
    """One example article split into paragraphs, the unit variants are recombined from."""

    input_id: str
    title: str
    paragraphs: tuple[str, ...]
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None

    @property
    def english(self) -> bool:
        return self.language in {"en", None}

    def to_article(self) -> Article:
        return Article(
            body="\n\n".join(self.paragraphs),
            title=self.title,
            input_id=self.input_id,
            published=self.published,
            outlet=self.outlet,
            url=self.url,
            language=self.language,
        )


def _paragraphs(text: str) -> tuple[str, ...]:
    parts = re.split(r"\n\s*\n", text.strip()) if "\n\n" in text else text.strip().split("\n")
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def _dateline(first_paragraph: str, year: int) -> tuple[date | None, str | None]:
    """Date and agency from a wire dateline ("GAO, Mali, March 4 (Meridian) -"); the year is not in it."""
    m = _DATELINE.match(first_paragraph)
    if not m:
        return None, None
    month = _MONTHS[m.group("month")[:3].lower()]
    try:
        return date(year, month, int(m.group("day"))), m.group("outlet")
    except ValueError:
        return None, m.group("outlet")


def _read_txt(path: Path, year: int) -> Iterator[Source]:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n")
    if sep and rest.startswith(("\n", "\r\n")):
        title, body = head.strip(), rest
    else:
        title, body = "", text
    paragraphs = _paragraphs(body)
    published, outlet = _dateline(paragraphs[0], year) if paragraphs else (None, None)
    yield Source(path.name, title, paragraphs, published, outlet, None, detect_language(body))


def _read_jsonl(path: Path) -> Iterator[Source]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            body = record.get("text") or record.get("body") or ""
            published = date.fromisoformat(record["published"][:10]) if record.get("published") else None
            yield Source(
                str(record.get("id") or f"{path.name}:{line_no}"),
                record.get("title", ""),
                _paragraphs(body),
                published,
                record.get("outlet"),
                record.get("url"),
                detect_language(body),
            )


def _read_html(path: Path) -> Iterator[Source]:
    import trafilatura  # only needed here; keeps importing this module cheap

    doc = trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True)
    if doc is None or not doc.text:
        log.warning("no article text found in %s", path)
        return
    title = doc.title or ""
    paragraphs = tuple(p for p in _paragraphs(doc.text) if p != title)
    published = date.fromisoformat(doc.date[:10]) if doc.date else None
    yield Source(path.name, title, paragraphs, published, doc.sitename, doc.url, detect_language(doc.text))


def read_examples(folder: Path = EXAMPLES_DIR, year: int = 2025) -> list[Source]:
    """Every example article in ``folder``, in file-name order; ``year`` completes .txt datelines."""
    sources: list[Source] = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".txt":
            sources.extend(_read_txt(path, year))
        elif path.suffix == ".jsonl":
            sources.extend(_read_jsonl(path))
        elif path.suffix in {".html", ".htm"}:
            sources.extend(_read_html(path))
    return sources


def _swapper(mapping: dict[str, str]) -> Callable[[str], str]:
    """Replace every key at once, longest first, so A->B and B->A never chain."""
    if not mapping:
        return lambda text: text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text)


def _mapping(rng: random.Random, text: str) -> dict[str, str]:
    """Pick consistent replacements for the places and people this text names."""
    mapping: dict[str, str] = {}
    for group in PLACE_GROUPS:
        present = [
            name for name in group if name in text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        ]
        for old, new in zip(present, rng.sample(group, len(present)), strict=True):
            mapping[old] = new
            mapping[old.upper()] = new.upper()  # datelines spell the place in capitals
    for gender, stand_ins in STAND_INS.items():
        people = [p for p in PEOPLE if p[2] == gender and p[1] in text]
        for (given, surname, _), (new_given, new_surname) in zip(
            people, rng.sample(stand_ins, len(people)), strict=True
        ):
            mapping[f"{given} {surname}"] = f"{new_given} {new_surname}"
            mapping[surname] = new_surname
            if surname[:1].islower():  # "al-Wazir said" opens a sentence as "Al-Wazir"
                mapping[surname[:1].upper() + surname[1:]] = new_surname[:1].upper() + new_surname[1:]
    return {k: v for k, v in mapping.items() if k != v}


def _is_footer(paragraph: str) -> bool:
    """Sign-offs and syndication notes stay at the end of a story and are never spliced elsewhere."""
    return paragraph.startswith("(") or "©" in paragraph or "All rights reserved" in paragraph


def _redate(lede: str, when: date) -> str:
    """Move the dateline to the variant's publication date, so relative dates stay coherent."""
    m = _DATELINE.match(lede)
    if not m:
        return lede
    start, end = m.start("month"), m.end("day")
    return f"{lede[:start]}{when.strftime('%b')} {when.day}{lede[end:]}"


def _variant(rng: random.Random, sources: Sequence[Source], index: int) -> Source:
    base = rng.choice(sources)
    body = [p for p in base.paragraphs[1:] if not _is_footer(p)]
    footer = [p for p in base.paragraphs[1:] if _is_footer(p)]
    # Keep most of the base story in order, drop a paragraph or two, splice in one or two
    # paragraphs of background from another story the way wire rewrites do.
    for _ in range(rng.randint(0, min(2, max(0, len(body) - 3)))):
        body.pop(rng.randrange(len(body)))
    for _ in range(rng.randint(1, 2)):
        donor = rng.choice(sources)
        spare = [p for p in donor.paragraphs[1:] if not _is_footer(p)]
        if donor is not base and spare:
            body.insert(rng.randint(1, len(body)), rng.choice(spare))
    published = base.published + timedelta(days=rng.randint(-120, 120)) if base.published else None
    lede = _redate(base.paragraphs[0], published) if published else base.paragraphs[0]
    paragraphs = [lede, *body, *footer]
    swap = _swapper(_mapping(rng, "\n".join([base.title, *paragraphs])))

    tolls: dict[str, int] = {}  # one new figure per old one, so headline and lede agree

    def toll(match: re.Match[str]) -> str:
        old = match.group(1)
        if old not in tolls:
            tolls[old] = max(2, int(old) + rng.randint(-5, 9))
        return f"at least {tolls[old]}"

    def rewrite(text: str) -> str:
        return _AT_LEAST.sub(toll, swap(text))

    return Source(
        input_id=f"variant-{index:04d}",
        title=rewrite(base.title),
        paragraphs=tuple(rewrite(p) for p in paragraphs),
        published=published,
        outlet=rng.choice(OUTLETS),
        url=None,
        language=base.language,
    )


def build_corpus(n: int = 500, seed: int = 13, sources: Iterable[Source] | None = None) -> list[Article]:
    """The examples as they are (syndicated copy and non-English article included), then English
    variants until there are ``n`` articles with pairwise distinct bodies."""
    originals = list(sources) if sources is not None else read_examples()
    english = [s for s in originals if s.english]
    if not english:
        raise ValueError("no English example article to build variants from")
    rng = random.Random(seed)
    articles = [s.to_article() for s in originals][:n]
    seen = {a.id for a in articles}
    attempts = 0
    while len(articles) < n:
        attempts += 1
        if attempts > 50 * n:
            raise RuntimeError(f"could only build {len(articles)} distinct articles out of {n}")
        article = _variant(rng, english, len(articles)).to_article()
        if article.id in seen:
            continue
        seen.add(article.id)
        articles.append(article)
    return articles


def describe(articles: Sequence[Article]) -> dict[str, int]:
    """Size figures printed beside the timings, so runs on different corpora are not compared blindly."""
    return {
        "articles": len(articles),
        "originals": sum(not a.input_id.startswith("variant-") for a in articles),
        "variants": sum(a.input_id.startswith("variant-") for a in articles),
        "chars": sum(len(a.body) for a in articles),
        "distinct_bodies": len({a.id for a in articles}),
    }


def write_corpus(articles: Iterable[Article], path: Path) -> int:
    """Write articles one pickle after another, so a phase can stream them back one at a time."""
    count = 0
    with path.open("wb") as out:
        for article in articles:
            pickle.dump(article, out, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
    return count


def stream_corpus(path: Path, limit: int | None = None) -> Iterator[Article]:
    """Fresh Article objects read lazily from ``write_corpus``'s file: a phase holds only the
    articles in flight, never the corpus, and each pass gets unmutated copies (the pipeline
    appends notes to ``Article.errors``)."""
    with path.open("rb") as stream:
        count = 0
        while limit is None or count < limit:
            try:
                article = pickle.load(stream)
            except EOFError:
                return
            count += 1
            yield article
