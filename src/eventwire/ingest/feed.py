"""RSS and Atom feeds (feedparser): one article per entry.

An entry's text is, in order of preference: its full content (``content:encoded``, Atom
``content``); the HTML page its link points to, when that page was saved beside the feed file
(matched by the last segment of the link's path, with or without ``.html``/``.htm``); its summary.
No page is fetched: reading stays offline. An entry with none of these gives a failure.

The input id of an entry is its ``guid``/``id``, else its link, else ``feed-path#n``. The feed's
title is the outlet when the entry names none, and the feed's language is a hint for entries too
short to judge.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventwire.errors import InputError
from eventwire.ingest.base import ReadOptions, Record, build_article, failure
from eventwire.ingest.encoding import binary_reason, declared_charset, decode_bytes
from eventwire.ingest.html import extract_html, html_fragment_to_text
from eventwire.records import ReadFailure

log = logging.getLogger(__name__)

_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>")
_PAGE_SUFFIXES = ("", ".html", ".htm")


def read_feed(text: str, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Yield one article (or failure) per feed entry."""
    import feedparser

    parsed = feedparser.parse(text)  # a document, never a URL: the text starts with "<"
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        yield failure(input_id, f"cannot parse feed ({reason})" if reason else "feed has no entries")
        return
    feed = parsed.get("feed") or {}
    folder = _feed_folder(input_id)
    for number, entry in enumerate(entries, start=1):
        yield _read_entry(entry, number, feed, folder, input_id, options)


def _read_entry(
    entry: Any, number: int, feed: Any, folder: Path | None, feed_id: str, options: ReadOptions
) -> Record:
    link = entry.get("link")
    entry_id = entry.get("id") or link or f"{feed_id}#{number}"
    where = f"{feed_id}#{number}"
    title = entry.get("title")
    published = _entry_date(entry)
    author = entry.get("author")
    outlet = _source_title(entry) or feed.get("title")
    language = feed.get("language")

    content = _best_content(entry)
    if content is None and folder is not None and link:
        page = _saved_page(folder, link)
        if page is not None:
            return _read_saved_page(page, entry_id, where, options, title, published, outlet, link, author)
    if content is None:
        content = entry.get("summary")
    if not content or not content.strip():
        return entry_failure(
            entry_id, where, "feed entry has no text and its page is not saved beside the feed"
        )
    body = html_fragment_to_text(content) if _MARKUP.search(content) else content
    return build_article(
        body,
        input_id=entry_id,
        options=options,
        title=title,
        published=published,
        outlet=outlet,
        url=link,
        author=author,
        language_hint=language,
    )


def entry_failure(entry_id: str, where: str, reason: str) -> ReadFailure:
    """A failure for one entry that names the feed position and the entry id, in one line."""
    label = where if entry_id == where else f"{where} ({entry_id})"
    log.info("discarding %s: %s", label, reason)
    return ReadFailure(entry_id, f"{label}: {reason}", InputError.code)


def _best_content(entry: Any) -> str | None:
    """The longest full-content block of an entry, if it has one."""
    blocks = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    return max(blocks, key=len) if blocks else None


def _read_saved_page(
    page: Path,
    entry_id: str,
    where: str,
    options: ReadOptions,
    title: str | None,
    published: date | None,
    outlet: str | None,
    link: str,
    author: str | None,
) -> Record:
    try:
        size = page.stat().st_size
        if size > options.max_bytes:
            return entry_failure(
                entry_id, where, f"saved page {page} is over the limit of {options.max_bytes:,} bytes"
            )
        data = page.read_bytes()
    except OSError as exc:
        return entry_failure(entry_id, where, f"cannot read saved page {page} ({exc.strerror or exc})")
    reason = binary_reason(data)
    if reason:
        return entry_failure(entry_id, where, f"saved page {page} is a {reason}")
    try:
        markup = decode_bytes(data, declared=declared_charset(data))
    except UnicodeDecodeError:
        return entry_failure(entry_id, where, f"saved page {page} is not text in any known encoding")
    content = extract_html(markup, url=link)
    if not content.text.strip():
        return entry_failure(entry_id, where, f"no article text in saved page {page}")
    return build_article(
        content.text,
        input_id=entry_id,
        options=options,
        # The page's own metadata is richer than the feed's, but the feed fills its gaps.
        title=content.title or title,
        published=content.published or published,
        outlet=content.sitename or outlet,
        url=content.url or link,
        author=content.author or author,
        language_hint=content.language,
    )


def _saved_page(folder: Path, link: str) -> Path | None:
    """The file beside the feed that holds the page ``link`` points to, if one was saved."""
    segments = [s for s in unquote(urlsplit(link).path).split("/") if s]
    if not segments:
        return None
    name = segments[-1]
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".html", ".htm", ".php", ".aspx")) else name
    for base in dict.fromkeys((name, stem)):
        for suffix in _PAGE_SUFFIXES:
            candidate = folder / f"{base}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _feed_folder(input_id: str) -> Path | None:
    """The folder of the feed file; None for stdin and in-memory feeds."""
    return Path(input_id).parent if input_id != "-" and os.path.isfile(input_id) else None


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _source_title(entry: Any) -> str | None:
    source = entry.get("source")
    return source.get("title") if isinstance(source, dict) else None
