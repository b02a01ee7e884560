"""Articles from the web: ``http(s)://`` inputs and files that list URLs, fetched with httpx.

Fetching is polite and bounded: a clear user agent, connect/read timeouts, a size limit enforced
while streaming (a body is abandoned as soon as it passes ``max_bytes``, whatever the server
claims), a bounded number of redirects, and retries with exponential backoff on timeouts,
connection errors, 429 and 5xx answers (``Retry-After`` is honoured up to a cap). Any other
status, or a body that is no article (an image, a PDF), is a failure naming the URL.

The response's content type decides the reader (HTML, feed, JSONL, plain text); when the server
sends none or a generic one, the body is sniffed like a file. The charset from the Content-Type
header is a hint, checked like a page's own declaration.

A URL list is a text file whose every non-empty line is an http(s) URL (``#`` lines are comments);
it is recognised by content, whatever its name (``links.urls``, ``today.txt``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from eventwire import __version__
from eventwire.errors import InputError, InputTooLarge
from eventwire.ingest.base import ReadOptions, Record, build_article, failure
from eventwire.ingest.encoding import binary_reason, declared_charset, decode_bytes
from eventwire.ingest.html import extract_html
from eventwire.records import Article

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

USER_AGENT = f"eventwire/{__version__} (+https://github.com/eventwire)"
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER_S = 30.0
_CHUNK = 65536

# Content types and the reader each one means; None = sniff the body like a file.
_KINDS: dict[str, str | None] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/feed+json": None,
    "application/json": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/plain": "text",
    "text/xml": None,
    "application/xml": None,
    "application/octet-stream": None,
    "": None,
}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: timeouts in seconds, retries after the first try, backoff base in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fetched:
    """One successful response, body read in full (within the size limit)."""

    url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case, "" when absent
    charset: str | None
    data: bytes


class FetchError(InputError):
    """A URL that could not be fetched: the message names the URL and the reason."""


class FetchTooLarge(InputTooLarge):
    """A response over the size limit (declared or streamed)."""


def is_url(value: str) -> bool:
    """True for an http(s) URL with a host: what ``read_path`` fetches instead of opening."""
    return bool(_URL.match(value.strip()))


def looks_like_url_list(text: str) -> bool:
    """True when every non-empty, non-comment line is an http(s) URL (and there is one)."""
    seen = False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            return False
        seen = True
    return seen


def make_client(options: FetchOptions | None = None) -> httpx.Client:
    """An httpx client with eventwire's user agent, timeouts and redirect limit."""
    import httpx

    options = options or FetchOptions()
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    } | options.headers
    return httpx.Client(
        timeout=timeout, headers=headers, follow_redirects=True, max_redirects=options.max_redirects
    )


def fetch(
    url: str,
    *,
    max_bytes: int,
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET a URL, retrying transient failures; raises FetchError or FetchTooLarge."""
    options = options or FetchOptions()
    own = client is None
    client = client or make_client(options)
    try:
        attempt = 0
        while True:
            try:
                return _fetch_once(client, url, max_bytes)
            except _Retryable as exc:
                if attempt >= options.retries:
                    raise FetchError(f"{url}: {exc.reason} (gave up after {attempt + 1} tries)") from exc
                wait = exc.retry_after if exc.retry_after is not None else options.backoff * 2**attempt
                log.info("%s: %s; retrying in %.1f s", url, exc.reason, wait)
                sleep(wait)
                attempt += 1
    finally:
        if own:
            client.close()


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _fetch_once(client: httpx.Client, url: str, max_bytes: int) -> Fetched:
    import httpx

    try:
        with client.stream("GET", url) as response:
            status = response.status_code
            if status in _RETRY_STATUS:
                raise _Retryable(f"HTTP {status}", _retry_after(response.headers.get("Retry-After")))
            if status >= 400:
                raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}".rstrip())
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchTooLarge(
                    f"{url}: response is {int(declared):,} bytes, over the limit of {max_bytes:,} "
                    "bytes (max_bytes / --max-bytes)"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchTooLarge(
                        f"{url}: response is over the limit of {max_bytes:,} bytes "
                        "(max_bytes / --max-bytes); download stopped"
                    )
                chunks.append(chunk)
            media, charset = parse_content_type(response.headers.get("Content-Type", ""))
            return Fetched(
                url=str(response.url),
                status=status,
                content_type=media,
                charset=charset,
                data=b"".join(chunks),
            )
    except httpx.TimeoutException as exc:
        raise _Retryable(f"timed out ({type(exc).__name__})") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url}: too many redirects") from exc
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise _Retryable(f"connection failed ({exc})") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc


def parse_content_type(value: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from "text/html; charset=UTF-8"."""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return min(float(value.strip()), _MAX_RETRY_AFTER_S)
    return None


# -- reading -----------------------------------------------------------------------------------------


def read_url(
    url: str,
    options: ReadOptions,
    *,
    fetch_options: FetchOptions | None = None,
    client: httpx.Client | None = None,
) -> Iterator[Record]:
    """Fetch one URL and read what it holds (usually one article; a feed or JSONL gives several)."""
    url = url.strip()
    try:
        fetched = fetch(url, max_bytes=options.max_bytes, options=fetch_options, client=client)
    except FetchTooLarge as exc:
        yield failure(url, exc.message.removeprefix(f"{url}: "), code=InputTooLarge.code)
        return
    except FetchError as exc:
        yield failure(url, exc.message.removeprefix(f"{url}: "))
        return
    yield from read_web_document(
        fetched.data, fetched.content_type, url, options, url=fetched.url, charset=fetched.charset
    )


def read_url_list(text: str, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """A Reader for URL-list files: fetch each URL in order, with one client for all of them."""
    client = make_client()
    try:
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not is_url(line):
                yield failure(f"{input_id}:{number}", f"not an http(s) URL: {line[:200]!r}")
                continue
            yield from read_url(line, options, client=client)
    finally:
        client.close()


def read_web_document(
    data: bytes,
    content_type: str,
    input_id: str,
    options: ReadOptions,
    *,
    url: str | None = None,
    charset: str | None = None,
    fallback_published: date | None = None,
    kinds: frozenset[str] | None = None,
) -> Iterator[Record]:
    """Read an HTTP payload (fetched, or from a WARC record) with the reader its type calls for.

    ``url`` is where it came from (used when the page names no canonical URL, and for its outlet);
    ``fallback_published`` dates the article only when the document itself gives no date;
    ``kinds`` limits which readers are allowed (a WARC takes pages and text, not feeds).
    """
    from eventwire.ingest import READERS, sniff_kind

    if content_type not in _KINDS and not content_type.startswith("text/"):
        yield failure(input_id, f"not a news document (content type {content_type})")
        return
    if not data.strip():
        yield failure(input_id, "empty response")
        return
    reason = binary_reason(data)
    if reason:
        yield failure(input_id, f"{reason}, served as {content_type or 'no content type'}")
        return
    try:
        text = decode_bytes(data, declared=charset or declared_charset(data))
    except UnicodeDecodeError:
        yield failure(input_id, "not text in any known encoding")
        return
    kind = _KINDS.get(content_type) or sniff_kind(text[:65536])
    if content_type.startswith("text/") and content_type not in _KINDS and kind == "html":
        kind = "html"  # text/x-whatever holding markup
    if kinds is not None and kind not in kinds:
        yield failure(input_id, f"not a page ({kind} content, type {content_type or 'none'})")
        return
    if kind == "html":
        yield from _guarded(_read_page(text, input_id, options, url, fallback_published), input_id)
        return
    reader = READERS.get(kind)
    if reader is None:
        yield failure(input_id, f"no reader is registered for {kind} inputs")
        return
    for record in _guarded(reader(text, input_id, _without_published(options)), input_id):
        if isinstance(record, Article):
            _fill_from_source(record, url, fallback_published, options)
        yield record


def _read_page(
    markup: str, input_id: str, options: ReadOptions, url: str | None, fallback_published: date | None
) -> Iterator[Record]:
    """Like the HTML reader, but the page's own URL is known (outlet and url fall back on it)."""
    content = extract_html(markup, url=url)
    if not content.text.strip():
        yield failure(input_id, "no article text found in the HTML page")
        return
    outlet = content.sitename
    if not outlet and not options.outlet:
        source = content.url or url
        outlet = content.hostname or (urlsplit(source).hostname if source else None)
    article = build_article(
        content.text,
        input_id=input_id,
        options=_without_published(options),
        title=content.title,
        published=content.published,
        outlet=outlet,
        url=content.url or url,
        author=content.author,
        language_hint=content.language,
    )
    if isinstance(article, Article):
        _fill_from_source(article, url, fallback_published, options)
    yield article


def _fill_from_source(
    article: Article, url: str | None, fallback_published: date | None, options: ReadOptions
) -> None:
    """Fill what the document left empty: its URL, then the source's date, then the default date."""
    if not article.url and url:
        article.url = url
    if article.published is None and fallback_published is not None:
        article.published = fallback_published
        article.errors.append("publication date taken from the crawl time (WARC-Date): the page gives none")
    if article.published is None:
        article.published = options.published


def _without_published(options: ReadOptions) -> ReadOptions:
    """The document's date first, the source's next: the default date is applied last, here."""
    return replace(options, published=None)


def _guarded(records: Iterator[Record], input_id: str) -> Iterator[Record]:
    """A reader crash on one fetched document becomes a failure for it, like any file."""
    try:
        yield from records
    except Exception as exc:  # a reader bug must not stop a URL list or a WARC; it is reported
        log.exception("reading %s failed", input_id)
        yield failure(input_id, f"the reader failed ({type(exc).__name__}: {exc})")
