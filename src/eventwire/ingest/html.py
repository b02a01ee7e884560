"""HTML pages: main text via trafilatura, metadata via trafilatura and htmldate.

trafilatura returns one line per text block (paragraph, heading, list item); those lines become
the paragraphs of the body. When it finds no main text (very short or odd pages), a plain walk
over the block elements of the page takes over, and the boilerplate pass removes what that walk
lets through. Malformed markup is fine: lxml repairs it.

Publication dates come only from the page's markup and metadata (htmldate without its
"extensive" text search), because the text search turns a footer's "© 2021" into 2021-01-01.
The outlet is the page's declared site name; only when the page declares none and no default
was given is the host name of its canonical URL used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from configparser import ConfigParser
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from eventwire.ingest.base import ReadOptions, Record, build_article, failure, parse_date

log = logging.getLogger(__name__)

_MIN_EXTRACTED_CHARS = 40
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "br",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head", "form", "button", "select")
_WHITESPACE = re.compile(r"\s+")
_HTML_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)


@dataclass(slots=True)
class HtmlContent:
    """What one page yields before cleanup."""

    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None
    hostname: str | None = None
    published: date | None = None
    language: str | None = None


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    """trafilatura settings: accept short briefs, and no signal-based timeout (not thread-safe)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(_MIN_EXTRACTED_CHARS))
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def extract_html(markup: str, *, url: str | None = None) -> HtmlContent:
    """Main text (one block a line) and metadata of an HTML page."""
    import trafilatura

    markup = _strip_xml_declaration(markup)
    params: dict[str, Any] = {
        "with_metadata": True,
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "deduplicate": False,  # trafilatura dedups against a process-wide cache: not deterministic
        "config": _config(),
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    document = trafilatura.bare_extraction(markup, url=url, **params)
    if document is None or not (document.text or "").strip():
        document = trafilatura.bare_extraction(markup, url=url, favor_recall=True, **params) or document
    # trafilatura gives one block a line, with whitespace inside blocks already folded.
    text = (document.text or "").replace("\n", "\n\n") if document is not None else ""
    if not text.strip():
        text = html_fragment_to_text(markup)
    lang_match = _HTML_LANG.search(markup[:4096].encode("utf-8", "ignore"))
    content = HtmlContent(text=text, language=lang_match.group(1).decode() if lang_match else None)
    if document is not None:
        content.title = document.title
        content.author = document.author
        content.url = document.url
        content.sitename = document.sitename
        content.hostname = document.hostname
        content.published = parse_date(document.date)
    title_element = _title_element(markup)
    if not content.title:
        content.title = title_element
    if not content.sitename and content.title and title_element:
        content.sitename = _site_from_title(title_element, content.title)
    if content.author and not _plausible_author(content.author):
        log.debug("dropping implausible author %r", content.author)
        content.author = None
    return content


def read_html(text: str, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Yield the one article an HTML page holds."""
    try:
        content = extract_html(text)
    except (ValueError, TypeError, AttributeError) as exc:
        # trafilatura/lxml raise these on documents they cannot parse at all.
        yield failure(input_id, f"cannot parse HTML ({type(exc).__name__}: {exc})")
        return
    if not content.text.strip():
        yield failure(input_id, "no article text found in the HTML page")
        return
    outlet = content.sitename
    if not outlet and not options.outlet:
        outlet = content.hostname or (urlsplit(content.url).hostname if content.url else None)
    yield build_article(
        content.text,
        input_id=input_id,
        options=options,
        title=content.title,
        published=content.published,
        outlet=outlet,
        url=content.url,
        author=content.author,
        language_hint=content.language,
    )


def html_fragment_to_text(markup: str) -> str:
    """Text of any HTML, one line per block element; for fragments and pages trafilatura refuses."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(_strip_xml_declaration(markup))
    except (etree.ParserError, ValueError):
        return ""
    for element in root.iter(*_DROP_TAGS):
        if element.getparent() is not None:
            element.drop_tree()
    # Source line breaks inside an element are layout, not structure: fold them first, then
    # mark block boundaries with blank lines so paragraphs survive.
    for element in root.iter():
        element.text = _fold(element.text)
        element.tail = _fold(element.tail)
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    return str(root.text_content())


def _fold(text: str | None) -> str | None:
    return _WHITESPACE.sub(" ", text) if text else text


def _title_element(markup: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", markup[:20000], re.I | re.S)
    if not match:
        return None
    import html

    return " ".join(html.unescape(match.group(1)).split()) or None


_TITLE_SEPARATORS = (" | ", " :: ", " - ", " – ", " — ", " « ", " » ", " · ")


def _site_from_title(title_element: str, headline: str) -> str | None:
    """The site name a ``<title>`` appends to the headline: "Headline | Site" -> "Site"."""
    for sep in _TITLE_SEPARATORS:
        if sep not in title_element:
            continue
        head, _, tail = title_element.rpartition(sep)
        if head.strip() == headline.strip() and 0 < len(tail.split()) <= 5:
            return tail.strip()
        head, _, tail = title_element.partition(sep)
        if tail.strip() == headline.strip() and 0 < len(head.split()) <= 5:
            return head.strip()
    return None


def _plausible_author(author: str) -> bool:
    """Reject author fields that are a bio sentence or a paragraph picked up from an author box."""
    words = author.split()
    if not words or len(words) > 10 or len(author) > 120:
        return False
    return not re.search(r"\b(is|was|has|are|writes|covers)\b|[.!?]$", author)


def _strip_xml_declaration(markup: str) -> str:
    """lxml refuses str input that carries an encoding declaration; the text is decoded already."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", markup, count=1)
