"""The same story wrapped in invented page templates gives the same events as its plain text.

Two of the templates are legacy table layouts (``<br><br>`` between paragraphs, menus, polls and
side columns in sibling cells), where trafilatura finds no main part and takes the whole page.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from string import Template

import pytest

from eventwire.config import Settings
from eventwire.ingest import read_inputs
from eventwire.pipeline import Extractor
from eventwire.records import Article, Extraction

from .helpers import FIXTURES, split

TEMPLATES = FIXTURES / "templates"
STORY = TEMPLATES / "kasese-clinic-attack.txt"
PUBLISHED = date(2025, 6, 15)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def render(template: str, tmp_path: Path) -> Path:
    title, *paragraphs = STORY.read_text(encoding="utf-8").strip().split("\n\n")
    page = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(
        title=html.escape(title),
        paragraphs="\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        breaks="<br><br>\n".join(html.escape(p) for p in paragraphs),  # the legacy page has no <p>
        interleaved=_interleave([f"<p>{html.escape(p)}</p>" for p in paragraphs]),
    )
    path = tmp_path / template
    path.write_text(page, encoding="utf-8")
    return path


def _interleave(blocks: list[str]) -> str:
    """Paragraphs with a "read also" box and an ad slot between them, as mobile pages have."""
    blocks = list(blocks)
    blocks.insert(
        2,
        '<aside class="read-also"><strong>READ ALSO:</strong> '
        '<a href="/news/ebola-drill">Health workers in Kasese hold Ebola drill</a></aside>',
    )
    blocks.insert(5, '<div class="ad">Advertisement</div>')
    return "\n".join(blocks)


def extract(path: Path, extractor: Extractor) -> Extraction:
    (article,), failures = split(read_inputs([str(path)], published=PUBLISHED))
    assert failures == []
    assert isinstance(article, Article)
    return extractor.extract_one(article)


def events(extraction: Extraction) -> list[tuple[object, ...]]:
    """What a user of the event data sees, spans excluded (they shift with the body)."""
    out = []
    for m in extraction.mentions:
        out.append(
            (
                m.type,
                m.mode,
                m.trigger.text,
                m.actor1.id or m.actor1.text if m.actor1 else None,
                m.actor2.id or m.actor2.text if m.actor2 else None,
                m.place.geonameid if m.place else None,
                (m.date.start, m.date.end) if m.date else None,
                m.fatalities,
                m.negated,
                m.hypothetical,
                m.attributed_to,
            )
        )
    return out


def quotes(extraction: Extraction) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker.name if q.speaker else None) for q in extraction.quotes]


@pytest.mark.slow
@pytest.mark.parametrize(
    "template",
    [
        "portal.html",
        "blog.html",
        "mobile.html",
        "legacy.html",
        "epaper.html",  # nested tables, a link column, a poll and a letters box beside the story
    ],
)
def test_page_templates_give_the_events_of_the_plain_text(
    template: str, tmp_path: Path, extractor: Extractor
) -> None:
    plain = extract(STORY, extractor)
    assert any(m.type == "ASSAULT" for m in plain.mentions), "the story must carry events to compare"
    page = extract(render(template, tmp_path), extractor)
    assert page.article.title == plain.article.title
    assert page.article.body == plain.article.body
    assert events(page) == events(plain)
    assert quotes(page) == quotes(plain)


def test_a_legacy_epaper_page_gives_the_story_cell_with_wrapped_lines_joined() -> None:
    """A different table page: hard-wrapped lines (one ``<br>`` each) inside ``<br><br>`` paragraphs,
    a headline and date stamp in their own cells, a link column with a poll, a footer."""
    (article,), failures = split(read_inputs([str(FIXTURES / "lakki_marwat_epaper.html")]))
    assert failures == []
    assert article.title == "Gunmen kill two policemen at Lakki Marwat checkpost"
    assert article.body.split("\n\n") == [
        "LAKKI MARWAT: Two policemen were killed and three others wounded when gunmen opened fire on "
        "a checkpost on the Bannu road late on Tuesday, police said.",
        "District police officer Tahir Khan said the attackers, who came on motorcycles, fired at the "
        'post for about twenty minutes before fleeing towards the hills. "Our men returned fire and '
        'one attacker was hit," he told the Courier by telephone.',
        "The wounded were taken to the district headquarters hospital, where doctors said the "
        "condition of one constable was critical.",
        "No group claimed responsibility for the attack. Police have set up extra pickets along the "
        "road and launched a search operation in nearby villages.",
    ]
