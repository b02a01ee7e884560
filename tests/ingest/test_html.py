"""HTML pages in several templates: main text, paragraphs, metadata, charsets, malformed markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwire.ingest import ReadOptions, read_path
from eventwire.ingest.html import extract_html

from .helpers import FIXTURES, paragraphs, split


def read_one(name: str, options: ReadOptions | None = None):
    articles, failures = split(read_path(str(FIXTURES / name), options or ReadOptions()))
    assert not failures, failures
    [article] = articles
    return article


# (fixture, first paragraph start, last paragraph, furniture that must not be in the body)
TEMPLATES = [
    (
        "harbour_daily.html",
        "Hundreds of ferry workers walked off the job",
        "He denied it.",
        [
            "cookies",
            "ePaper",
            "Share on Facebook",
            "Tweet",
            "Related stories",
            "Union elects new leadership",
            "Follow us",
            "All rights reserved",
            "Privacy",
            "Opinion",
        ],
    ),
    (
        "river_courier.html",
        "DALVAR — Fighters from the Free Hills militia took control",
        "The fighting in the province has displaced more than 40,000 people this year, "
        "the United Nations says.",
        [
            "E-Paper",
            "ePaper",
            "Subscribe",
            "Read also",
            "ceasefire talks collapse",
            "Advertisement",
            "newsletter",
            "Tags:",
            "Most read",
            "Grain prices",
            "WhatsApp",
            "Copyright",
            "dataLayer",
            "min read",
        ],
    ),
    (
        "portal_news.html",
        "MARDAN: Unidentified gunmen opened fire on a police patrol",
        "The wounded officers were taken to Mardan Medical Complex, where one was in critical condition, "
        "a hospital official said.",
        [
            "E-Paper",
            "Share:",
            "Print",
            "Related News",
            "North Waziristan",
            "Agencies",
            "Reuters photo",
            "Privacy Policy",
            "All Rights Reserved",
            "Posted on",
        ],
    ),
    (
        "malformed.html",
        "A high court in Tarsen ordered the release on Thursday of four journalists",
        "Press freedom groups had condemned the arrests & called for the four to be released.",
        ["Home", "About us", "all rights reserved", "(c) 2021"],
    ),
]


@pytest.mark.parametrize(("name", "first", "last", "furniture"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_gives_story_paragraphs_without_furniture(
    name: str, first: str, last: str, furniture: list[str]
) -> None:
    article = read_one(name)
    body = paragraphs(article)
    assert len(body) >= 5
    assert body[0].startswith(first)
    assert body[-1] == last
    for item in furniture:
        assert item not in article.body, item
    assert article.language == "en"
    assert all(p == p.strip() and "\n" not in p for p in body)


def test_quotes_inside_paragraphs_survive_markup() -> None:
    article = read_one("harbour_daily.html")
    assert (
        '"We have been patient for eight months," union secretary Tomas Berg told reporters outside the '
        'terminal. "Patience is over."'
    ) in article.body
    river = read_one("river_courier.html")
    assert '"They left in the night, all of them, with their trucks," said a farmer in Kora' in river.body


def test_metadata_from_page() -> None:
    article = read_one("harbour_daily.html")
    assert article.title == "Ferry workers strike shuts Port Kessel for second day"
    assert article.outlet == "The Harbour Daily"
    assert article.url == "https://harbourdaily.example/news/2023/03/14/ferry-strike-port-kessel"
    assert article.author == "Mara Lindqvist"
    assert article.published == date(2023, 3, 14)
    portal = read_one("portal_news.html")
    assert portal.published == date(2022, 5, 12)
    assert portal.outlet == "Frontier Times"  # from "<headline> :: Frontier Times" in <title>


def test_page_metadata_wins_over_defaults_and_defaults_fill_gaps() -> None:
    options = ReadOptions(published=date(2020, 1, 1), outlet="Given Outlet")
    harbour = read_one("harbour_daily.html", options)
    assert (harbour.published, harbour.outlet) == (date(2023, 3, 14), "The Harbour Daily")
    malformed = read_one("malformed.html", options)
    assert malformed.published == date(2020, 1, 1)  # the page has no date; "(c) 2021" is not one


def test_author_box_sentence_is_not_taken_as_author() -> None:
    article = read_one("river_courier.html")
    assert article.author is None or " is " not in article.author


def test_malformed_markup_keeps_text_of_unclosed_tags() -> None:
    article = read_one("malformed.html")
    assert article.title == "Court orders release of detained journalists"
    assert article.author == "Ledger Correspondent"
    assert "The state has ten days to appeal." in article.body
    assert "still in custody on Thursday night, their families said." in article.body


def test_wrong_charset_declaration_gives_no_mojibake() -> None:
    article = read_one("mislabelled_charset.html")
    assert "Zoë Faure" in article.body and "Łukasz Nowak" in article.body
    assert "“We are not there yet — but we are closer than at any time this year,” Faure" in article.body
    assert "€2.5 million" in article.body and "São Miguel" in article.body
    assert "Ã" not in article.body and "â€" not in article.body


def test_windows1252_page_declared_utf8(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>Strike ends</title></head><body><article>'
        "<p>Dockers in Marsac ended their strike on Friday after the port agreed to keep all 40 jobs, "
        "the union said.</p><p>“It’s a good deal,” said delegate René Mercier.</p></article></body></html>"
    )
    path = tmp_path / "cp1252.html"
    path.write_bytes(page.encode("cp1252"))
    [article] = read_path(str(path), ReadOptions())
    assert "“It’s a good deal,” said delegate René Mercier." in article.body


def test_xhtml_with_xml_encoding_declaration(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        "<title>Café owners protest new tax</title></head><body><div><p>Café owners in Marsac closed their "
        "doors for two hours on Monday to protest against a new tax on terraces, the city said.</p>"
        "<p>The mayor said the tax would stay.</p></div></body></html>"
    )
    path = tmp_path / "xhtml.html"
    path.write_bytes(page.encode("latin-1"))
    [article] = read_path(str(path), ReadOptions())
    assert article.body.startswith("Café owners in Marsac closed their doors")
    assert article.title == "Café owners protest new tax"


def test_french_page_is_stored_and_marked_french() -> None:
    article = read_one("french_page.html")
    assert article.language == "fr"
    assert article.outlet == "L'Écho du Littoral"
    assert "« Nous ne reculerons pas », a déclaré" in article.body


def test_short_page_without_main_text_container_still_read() -> None:
    content = extract_html("<html><body><p>Two men were arrested in Lund on Saturday.</p></body></html>")
    assert content.text.strip() == "Two men were arrested in Lund on Saturday."


def test_page_without_text_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "empty-page.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    [failure] = read_path(str(path), ReadOptions())
    assert failure.input_id == str(path)
    assert "no article text" in failure.message
