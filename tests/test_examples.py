"""The bundled example corpus is well-formed, so the demo and the benchmark stand on solid input.

No spaCy model here: these tests read the files as the contract describes them (.txt title line,
.jsonl keys, HTML publication meta) and check the benchmark corpus built from them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
JSONL_KEYS = {"id", "title", "text", "published", "url", "outlet"}
PUBLISHED_META = re.compile(
    r"<meta\s+[^>]*property=[\"']article:published_time[\"'][^>]*content=[\"']([^\"']+)[\"']", re.I
)
# "GAO, Mali, March 4 (Meridian) -" / "NIAMEY, 12 mars (Méridien) -": the only date a .txt carries.
DATELINE = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý .'/-]+,[^\n]*?(?:\b[A-Z][a-z]{2,8}\.? \d{1,2}|\b\d{1,2} [a-zéû]{3,9}) \([^)]+\) -"
)


def _files(suffix: str) -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix == suffix)


def _txt_parts(path: Path) -> tuple[str, list[str]]:
    """Title and paragraphs of a .txt example, read the way the contract defines the format."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) > 2 and lines[0].strip() and not lines[1].strip(), f"{path.name}: no title + blank line"
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(lines[2:])) if p.strip()]
    return lines[0].strip(), paragraphs


def _jsonl_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _article_count() -> int:
    return (
        len(_files(".txt"))
        + len(_files(".html"))
        + sum(len(_jsonl_records(p)) for p in _files(".jsonl"))
    )


def test_examples_folder_holds_only_ingestible_files() -> None:
    kinds = Counter(p.suffix for p in EXAMPLES.iterdir())
    assert set(kinds) <= {".txt", ".html", ".jsonl"}, kinds
    assert kinds[".html"] >= 2 and kinds[".jsonl"] >= 1 and kinds[".txt"] > kinds[".html"]


def test_no_example_file_is_empty() -> None:
    for path in EXAMPLES.iterdir():
        assert path.read_text(encoding="utf-8").strip(), f"{path.name} is empty"


def test_at_least_ten_example_articles() -> None:
    assert _article_count() >= 10


def test_every_txt_has_headline_blank_line_and_paragraphs() -> None:
    for path in _files(".txt"):
        title, paragraphs = _txt_parts(path)
        assert len(title) < 150 and not title.endswith("."), f"{path.name}: first line is not a headline"
        assert 4 <= len(paragraphs) <= 12, f"{path.name}: {len(paragraphs)} paragraphs"


def test_every_txt_carries_its_date_in_a_dateline() -> None:
    """A .txt has no metadata, so the dateline is where the publication day can be read."""
    for path in _files(".txt"):
        _, paragraphs = _txt_parts(path)
        assert DATELINE.match(paragraphs[0]), f"{path.name}: no dateline in {paragraphs[0][:60]!r}"


def test_every_jsonl_line_parses_with_required_keys() -> None:
    ids: list[str] = []
    for path in _files(".jsonl"):
        records = _jsonl_records(path)
        assert 2 <= len(records) <= 3, f"{path.name}: {len(records)} records"
        for record in records:
            assert set(record) >= JSONL_KEYS, f"{path.name}: missing {JSONL_KEYS - set(record)}"
            assert all(isinstance(record[k], str) and record[k].strip() for k in JSONL_KEYS)
            date.fromisoformat(record["published"])
            assert record["text"].count("\n\n") >= 3, f"{record['id']}: fewer than 4 paragraphs"
            ids.append(record["id"])
    assert len(ids) == len(set(ids)), "JSONL ids must be unique"


def test_html_pages_have_published_time_and_page_furniture() -> None:
    for path in _files(".html"):
        html = path.read_text(encoding="utf-8")
        found = PUBLISHED_META.search(html)
        assert found, f"{path.name}: no article:published_time meta"
        assert datetime.fromisoformat(found.group(1)).tzinfo is not None
        lowered = html.lower()
        # The boilerplate that cleanup has to remove must really be there.
        epaper = "e-paper" if "e-paper" in lowered else "epaper"
        for furniture in ("<nav", "share", "related", "copyright", epaper):
            assert furniture in lowered, f"{path.name}: lacks {furniture!r}"


def test_syndicated_copy_shares_the_body_under_another_headline() -> None:
    """Dedup must see one wire story carried twice: same paragraphs, new headline, new footer."""
    stories = [(_txt_parts(p), p.name) for p in _files(".txt")]
    pairs = [
        (a_name, b_name)
        for i, ((a_title, a_body), a_name) in enumerate(stories)
        for (b_title, b_body), b_name in stories[i + 1 :]
        if a_title != b_title and a_body[:-1] == b_body[:-1] and a_body[-1] != b_body[-1]
    ]
    assert pairs, "no syndicated copy among the .txt examples"


def test_corpus_includes_a_non_english_article() -> None:
    french = re.compile(r"\b(?:a déclaré|selon|dans l'ouest)\b")
    assert [p for p in _files(".txt") if french.search(p.read_text(encoding="utf-8"))]


def _corpus_module() -> ModuleType:
    """benchmarks/ is not a package; load its corpus builder by path."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_module() -> ModuleType:
    return _corpus_module()


def test_examples_read_into_articles_with_dates(corpus_module: ModuleType) -> None:
    sources = corpus_module.read_examples(EXAMPLES)
    assert len(sources) == _article_count()
    by_id = {s.input_id: s for s in sources}
    # HTML: date from the meta, page furniture gone.
    libya = by_id["libya-tripoli-ceasefire.html"]
    assert libya.published == date(2025, 5, 15)
    body = "\n".join(libya.paragraphs)
    assert "Accept all" not in body and "Share on Facebook" not in body and "ePaper" not in body
    # TXT: date from the dateline; the year is the reader's assumption.
    assert by_id["ukraine-kharkiv-strike.txt"].published == date(2025, 1, 16)
    assert not by_id["niger-tillaberi-attaque-fr.txt"].english
    assert sum(s.english for s in sources) == len(sources) - 1


def test_benchmark_corpus_is_deterministic_distinct_and_large(corpus_module: ModuleType) -> None:
    sources = corpus_module.read_examples(EXAMPLES)
    first = corpus_module.build_corpus(500, 7, sources)
    again = corpus_module.build_corpus(500, 7, sources)
    other_seed = corpus_module.build_corpus(50, 8, sources)
    assert [a.body for a in first] == [a.body for a in again]
    assert [a.body for a in first[:50]] != [a.body for a in other_seed]
    figures = corpus_module.describe(first)
    assert figures["articles"] == figures["distinct_bodies"] == 500
    assert figures["originals"] == len(sources)
    variants = [a for a in first if a.input_id.startswith("variant-")]
    assert any(a.title not in {s.title for s in sources} for a in variants)
    # Every invented person a variant names is replaced by a stand-in, in every paragraph.
    originals = [f"{given} {surname}" for given, surname, _ in corpus_module.PEOPLE]
    assert not [(a.input_id, n) for a in variants for n in originals if n in a.body]
    # The dateline moves with the publication date, so "on Monday" still resolves sensibly.
    dated = [a for a in variants if a.published and DATELINE.match(a.body)]
    assert dated
    for article in dated:
        stamp = f"{article.published.strftime('%b')} {article.published.day} ("
        assert stamp in article.body.split("\n\n")[0], (article.input_id, article.published)
