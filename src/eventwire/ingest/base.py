"""What every reader shares: options, failures, and turning raw fields into an ``Article``.

Readers only find the raw fields (body text, title, metadata) of their format; ``build_article``
applies the same cleanup, boilerplate removal, defaults and language check to all of them, so
the body an HTML page yields has the same shape as the body a JSONL record yields.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from eventwire.errors import InputError, InputTooLarge
from eventwire.ingest.boilerplate import strip_boilerplate
from eventwire.ingest.encoding import clean_text, paragraphs
from eventwire.ingest.language import detect_language
from eventwire.records import Article, ReadFailure

log = logging.getLogger(__name__)

Record = Article | ReadFailure
# A reader gets decoded text, the input's id and the options, and yields records.
Reader = Callable[[str, str, "ReadOptions"], Iterator[Record]]

MAX_TITLE_CHARS = 300


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Defaults that fill what an input's own metadata leaves empty, and the size limit."""

    published: date | None = None
    outlet: str | None = None
    max_bytes: int = 20_000_000
    strip_boilerplate: bool = True


def failure(input_id: str, reason: str, *, code: str = InputError.code) -> ReadFailure:
    """A one-line failure that names the input and the reason."""
    reason = " ".join(reason.split())
    log.info("discarding %s: %s", input_id, reason)
    return ReadFailure(input_id=input_id, message=f"{input_id}: {reason}", code=code)


def too_large(input_id: str, size: int | None, max_bytes: int) -> ReadFailure:
    if size is None:  # a stream: its size is only known to pass the limit
        reason = f"input is over the limit of {max_bytes:,} bytes (max_bytes / --max-bytes)"
    else:
        reason = f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes / --max-bytes)"
    return failure(input_id, reason, code=InputTooLarge.code)


def clean_body(text: str, *, unescape: bool = True, strip: bool = True) -> str:
    """Cleanup + paragraphs + boilerplate removal: the one shape every article body has."""
    text = "\n\n".join(paragraphs(clean_text(text, unescape=unescape)))
    if strip:
        text = strip_boilerplate(text)
    return text


def clean_title(title: str | None) -> str:
    if not title:
        return ""
    return " ".join(clean_text(title).split())[:MAX_TITLE_CHARS]


def build_article(
    body: str,
    *,
    input_id: str,
    options: ReadOptions,
    title: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    author: str | None = None,
    language_hint: str | None = None,
    errors: list[str] | None = None,
    body_is_clean: bool = False,
) -> Record:
    """Make an ``Article`` (or a failure when no text is left after cleanup).

    The input's own metadata wins; ``options.published``/``options.outlet`` fill what is missing.
    ``language_hint`` (e.g. ``<html lang>``) is used only when the text is too short to judge.
    """
    if not body_is_clean:
        body = clean_body(body, strip=options.strip_boilerplate)
    if not body:
        return failure(input_id, "no article text after cleanup")
    title_text = clean_title(title)
    if title_text and body.startswith(title_text + "\n\n"):
        body = body[len(title_text) + 2 :]  # the extractor kept the headline as the first paragraph
    language = detect_language(body) or _language_code(language_hint)
    return Article(
        body=body,
        title=title_text,
        input_id=input_id,
        published=published or options.published,
        outlet=_clean_field(outlet) or options.outlet,
        url=_clean_field(url),
        author=_clean_field(author),
        language=language,
        errors=list(errors or []),
    )


def _clean_field(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(clean_text(str(value)).split())
    return text or None


_LANG = re.compile(r"^([a-zA-Z]{2})(?:[-_].*)?$")


def _language_code(hint: str | None) -> str | None:
    match = _LANG.match(hint.strip()) if hint else None
    return match.group(1).lower() if match else None


def parse_date(value: object) -> date | None:
    """A publication date from metadata: ISO strings, common written forms, epoch seconds.

    Returns None when the value cannot be read; the caller records that as an article error.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC).date() if 0 <= value < 1e11 else None
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from dateutil import parser as date_parser

    try:
        return date_parser.parse(text, default=datetime(1900, 1, 1), fuzzy=False).date()
    except (ValueError, OverflowError, TypeError):
        return None
