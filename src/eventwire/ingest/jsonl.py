"""JSON Lines articles: one object a line, streamed so memory stays flat on large dumps.

Keys: ``id``, ``title``, ``text`` or ``body``, ``published``, ``url``, ``outlet``, ``author``; also
accepted: ``date``, ``source``, and the names common scrapers use (``content``, ``maintext``,
``date_publish``, ``link``, ``source_domain``, ``authors`` ...). The input id is the record's ``id``
when it has one, else ``path:line``. A line that cannot be read gives a failure naming
``path:line`` and the reason; the other lines still come through. A file holding one JSON array
(or one pretty-printed object) is read the same way, record by record.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from eventwire.errors import InputError
from eventwire.ingest.base import ReadOptions, Record, build_article, failure, parse_date
from eventwire.ingest.encoding import decode_bytes
from eventwire.records import ReadFailure

log = logging.getLogger(__name__)

TEXT_KEYS = ("text", "body", "content", "maintext", "article", "story", "full_text", "fulltext")
TITLE_KEYS = ("title", "headline", "heading")
DATE_KEYS = (
    "published",
    "date",
    "date_publish",
    "published_at",
    "publish_date",
    "pubdate",
    "datetime",
    "timestamp",
)
URL_KEYS = ("url", "link", "canonical_url", "uri")
OUTLET_KEYS = (
    "outlet",
    "source",
    "source_name",
    "source_domain",
    "sitename",
    "site_name",
    "publisher",
    "site",
    "domain",
)
AUTHOR_KEYS = ("author", "authors", "byline")
ID_KEYS = ("id", "_id", "article_id", "doc_id", "docid")
LANGUAGE_KEYS = ("language", "lang")

_HTML_FRAGMENT = re.compile(r"<(?:p|br|div|span|a|b|i|em|strong|h[1-6]|li|ul|blockquote)\b[^>]*>", re.I)


def read_jsonl(text: str, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Read decoded JSON Lines text (or a JSON array / single object) from ``input_id``."""
    stripped = text.lstrip()
    one_line = "\n" not in stripped.strip()
    if stripped.startswith(("[", "{\n", "{\r")) or (stripped.startswith("{") and one_line):
        whole = _parse_whole(stripped)
        if whole is not None:
            for index, record in enumerate(whole, start=1):
                yield from read_record(record, f"{input_id}:{index}", options)
            return
    yield from read_jsonl_lines(text.splitlines(), input_id, options)


def read_jsonl_lines(lines: Iterable[str | bytes], input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Read JSON Lines one line at a time; ``lines`` may be a binary file object."""
    for lineno, raw in enumerate(lines, start=1):
        where = f"{input_id}:{lineno}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    line = decode_bytes(raw)
                except UnicodeDecodeError:
                    yield failure(where, "line is not text in any known encoding")
                    continue
        else:
            line = raw
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield failure(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield from read_record(record, where, options)


def read_record(record: Any, where: str, options: ReadOptions) -> Iterator[Record]:
    """One JSON object -> one article; ``where`` (``path:line``) names it in failures."""
    if not isinstance(record, dict):
        yield failure(where, f"line is a JSON {type(record).__name__}, not an object")
        return
    record_id = _first(record, ID_KEYS)
    input_id = str(record_id) if record_id not in (None, "") else where
    label = where if input_id == where else f"{where} (id {input_id})"
    body = _first(record, TEXT_KEYS)
    if isinstance(body, list):
        body = "\n\n".join(str(part) for part in body if part)
    if not isinstance(body, str) or not body.strip():
        yield ReadFailure(input_id, f"{label}: record has no 'text' or 'body'", InputError.code)
        return
    if _HTML_FRAGMENT.search(body):
        from eventwire.ingest.html import html_fragment_to_text

        body = html_fragment_to_text(body) or body
    errors: list[str] = []
    raw_date = _first(record, DATE_KEYS)
    published = parse_date(raw_date)
    if raw_date not in (None, "") and published is None:
        errors.append(f"unreadable published date {str(raw_date)[:40]!r}; default used")
    article = build_article(
        body,
        input_id=input_id,
        options=options,
        title=_text(_first(record, TITLE_KEYS)),
        published=published,
        outlet=_text(_first(record, OUTLET_KEYS), names=("name", "title", "domain")),
        url=_text(_first(record, URL_KEYS)),
        author=_text(_first(record, AUTHOR_KEYS), names=("name",)),
        language_hint=_text(_first(record, LANGUAGE_KEYS)),
        errors=errors,
    )
    if isinstance(article, ReadFailure):
        article = ReadFailure(input_id, f"{label}: {article.message.split(': ', 1)[-1]}", article.code)
    yield article


def _parse_whole(text: str) -> list[Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        articles = value.get("articles")
        return articles if isinstance(articles, list) else [value]
    return None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def _text(value: Any, *, names: tuple[str, ...] = ()) -> str | None:
    """A plain string from a metadata value that may be a list or a small object."""
    if value is None:
        return None
    if isinstance(value, dict):
        for name in names:
            if value.get(name):
                return str(value[name])
        return None
    if isinstance(value, list):
        parts = [_text(v, names=names) for v in value]
        return ", ".join(p for p in parts if p) or None
    return str(value)
