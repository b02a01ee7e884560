"""HTML pages: main text via trafilatura, metadata via trafilatura and htmldate.

trafilatura returns one line per text block (paragraph, heading, list item); those lines become
the paragraphs of the body. When it finds no main text (very short or odd pages), or takes the
whole page because it finds no main container (table layouts of old sites and e-paper dumps, with
``<br><br>`` between paragraphs), the element densest in sentence-like text stands in for the main
text (see ``densest_text``), and the boilerplate pass removes what remains around the story.
Malformed markup is fine: lxml repairs it.

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
    root = _parse(markup)  # one parse serves the whole-page test and the densest container
    if root is not None and (not text.strip() or _took_whole_page(text, root)):
        dense = densest_text(root)
        if dense and document is not None and document.title:
            dense = _drop_headline(dense, document.title)
        text = dense or text or html_fragment_to_text(markup)
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
    root = _parse(markup)
    if root is None:
        return ""
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


# --- the densest container, for pages trafilatura cannot split ---------------------------------

_WHOLE_PAGE_SHARE = 0.9  # trafilatura's text holds this share of the page's words: it found no main part
_MIN_DENSE_SHARE = 0.5  # the container must hold at least this share of the page's sentence text
_MIN_SENTENCE_WORDS = 6
_MAX_LINK_SHARE = 0.3
_SENTENCE_MARK = re.compile(r"[.!?][\"'”’)\]]*(?:\s|$)")
_WORDS = re.compile(r"[^\W_]+")


def _took_whole_page(text: str, root: Any) -> bool:
    """Whether trafilatura's text is (nearly) all the text of the page, furniture included."""
    page_words = sum(len(_WORDS.findall(piece)) for piece in root.itertext())
    return page_words > 0 and len(_WORDS.findall(text)) >= _WHOLE_PAGE_SHARE * page_words


def densest_text(root: Any) -> str:
    """Text of the element with the most sentence-like text net of other text; "" if none stands out.

    Each text block (between block elements or runs of two or more ``<br>``) adds its length to the
    lowest element that holds it when it reads as prose (enough words, sentence punctuation, few
    links) and subtracts it otherwise; the element with the highest total over its subtree is the
    story's container: the table cell or ``<font>`` run of a legacy page, not its menu, side
    column or footer. Inside it, ``<br><br>`` starts a paragraph and a single ``<br>`` a line.
    ``root`` is a page from ``_parse``; its container's text is rewritten in place.
    """
    try:
        blocks = list(_text_blocks(root))
    except RecursionError:  # markup nested deeper than any real layout
        return ""
    own: dict[Any, float] = {}
    page_sentences = 0.0
    for owner, text, link_chars in blocks:
        if _prose(text, link_chars):
            own[owner] = own.get(owner, 0.0) + len(text) - 2 * link_chars
            page_sentences += len(text)
        else:
            own[owner] = own.get(owner, 0.0) - len(text)
    totals: dict[Any, float] = {}
    for element in reversed(list(root.iter())):  # children before their parents
        totals[element] = own.get(element, 0.0) + sum(totals.get(child, 0.0) for child in element)
    best = max(root.iter(), key=lambda element: totals[element])  # first of equals: the outermost
    if page_sentences == 0 or _sentence_chars(best) < _MIN_DENSE_SHARE * page_sentences:
        return ""
    return _paragraph_text(best)


def _drop_headline(text: str, title: str) -> str:
    """Drop the headline heading the container, so the byline under it is at the edge of the text."""
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if rest and " ".join(first.split()) == " ".join(title.split()) else text


def _parse(markup: str) -> Any:
    """The page as an lxml tree without scripts, styles and the like; None when lxml cannot read it."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(_strip_xml_declaration(markup))
    except (etree.ParserError, ValueError):
        return None
    for element in list(root.iter(*_DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    return root


def _is_block(element: Any) -> bool:
    return element.tag in _BLOCK_TAGS and element.tag != "br"


def _in_br_run(br: Any) -> bool:
    """Whether a ``<br>`` is one of two or more in a row (a paragraph break, not a line break)."""
    previous, following = br.getprevious(), br.getnext()
    if following is not None and following.tag == "br" and not (br.tail or "").strip():
        return True
    return previous is not None and previous.tag == "br" and not (previous.tail or "").strip()


def _text_blocks(root: Any) -> Iterator[tuple[Any, str, int]]:
    """(lowest element holding the block, folded text, characters inside links) per text block."""
    pieces: list[tuple[Any, str, bool]] = []

    def flush() -> Iterator[tuple[Any, str, int]]:
        text = " ".join(" ".join(piece for _, piece, _ in pieces).split())
        if text:
            owner = _common_ancestor([element for element, _, _ in pieces])
            link_chars = sum(len(piece.strip()) for _, piece, in_link in pieces if in_link)
            yield owner, text, link_chars
        pieces.clear()

    def walk(element: Any, in_link: bool) -> Iterator[tuple[Any, str, int]]:
        if not isinstance(element.tag, str):
            return  # comments and processing instructions
        in_link = in_link or element.tag == "a"
        boundary = _is_block(element) or (element.tag == "br" and _in_br_run(element))
        if boundary:
            yield from flush()
        if element.text and element.text.strip():
            pieces.append((element, element.text, in_link))
        for child in element:
            yield from walk(child, in_link)
            if child.tail and child.tail.strip():
                pieces.append((element, child.tail, in_link))
        if boundary:
            yield from flush()

    yield from walk(root, False)
    yield from flush()


def _common_ancestor(elements: list[Any]) -> Any:
    paths = [[*reversed(list(element.iterancestors())), element] for element in elements]
    common = paths[0][0]
    for depth in range(min(len(path) for path in paths)):
        if any(path[depth] is not paths[0][depth] for path in paths):
            break
        common = paths[0][depth]
    return common


def _prose(text: str, link_chars: int) -> bool:
    """A block that reads as story text: enough words, sentence punctuation, mostly not links."""
    return (
        len(_WORDS.findall(text)) >= _MIN_SENTENCE_WORDS
        and bool(_SENTENCE_MARK.search(text))
        and link_chars <= _MAX_LINK_SHARE * len(text)
    )


def _sentence_chars(element: Any) -> int:
    return sum(len(text) for _, text, links in _text_blocks(element) if _prose(text, links))


def _paragraph_text(element: Any) -> str:
    """Text of one element: block elements and ``<br>`` runs end paragraphs, a lone ``<br>`` a line."""
    for child in element.iter():
        child.text = _fold(child.text)
        if child is not element:
            child.tail = _fold(child.tail)
    for child in element.iter(*_BLOCK_TAGS):
        if child.tag == "br":
            child.tail = "\n" + (child.tail or "")
        else:
            if child is not element:
                child.tail = "\n\n" + (child.tail or "")
            child.text = "\n\n" + (child.text or "")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", str(element.text_content()))
    return re.sub(r"\n{2,}", "\n\n", text).strip()


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
