"""WARC files from crawlers (warcio): every archived page becomes an article.

``response`` records with a 2xx status and ``resource`` records whose content is a page (HTML,
XHTML, plain text, or untyped content that sniffs as one) are read like fetched documents
(``url.read_web_document``): the page's own metadata first, then the record's ``WARC-Target-URI``
as its URL and ``WARC-Date`` as its publication date, the latter only when the page gives none (a
crawl date is not a publication date, so the article notes where its date came from).
Requests, metadata, revisits, redirects, error pages, images, scripts and style sheets are skipped
and counted in the log: a crawl holds far more of them than of articles.

An article's input id is ``<path>#<byte offset of its record>``, which locates the record for
``warcio extract``. The size limit applies to each record, not to the file: crawls are large by
nature.

A damaged WARC gives every record that could be read, then one failure naming the file and the
byte offset where reading stopped: a record cut short, a gzip member that ends early, a header
that is not WARC, or a payload whose digest does not match (that record alone is reported and
skipped).
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from eventwire.errors import InputTooLarge
from eventwire.ingest.base import ReadOptions, Record, failure, parse_date
from eventwire.ingest.url import parse_content_type, read_web_document

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_TAIL_BYTES = 65536
_PAGE_KINDS = frozenset({"html", "text"})
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
# Machine-readable files a crawl fetches beside pages; plain text, but never news.
_SITE_FILES = frozenset({"robots.txt", "ads.txt", "app-ads.txt", "security.txt", "humans.txt", "llms.txt"})
_RECORD_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
)


def is_warc(head: bytes) -> bool:
    """True when the bytes start a WARC file, plain or gzip-compressed per record."""
    if head.startswith(b"WARC/"):
        return True
    if head.startswith(_GZIP_MAGIC):
        try:
            start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head[:8192], 16)
        except zlib.error:
            return False
        return start.startswith(b"WARC/")
    return False


def is_warc_file(path: str) -> bool:
    """Peek at a file's first bytes (to exempt WARCs from the whole-file size limit)."""
    try:
        with open(path, "rb") as stream:
            return is_warc(stream.read(8192))
    except OSError:
        return False


class _TrackedStream:
    """The input as warcio reads it: an already-read head, then the rest of the stream.

    Counts the position (warcio asks for it to compute offsets) and, for gzip files, runs its own
    decompressor over the bytes to notice a gzip member that ends early: warcio reads such a
    member as if the file simply ended there.
    """

    def __init__(self, stream: BinaryIO, head: bytes = b"") -> None:
        self._stream = stream
        self._head = head
        self._position = 0
        self._gzip = head.startswith(_GZIP_MAGIC)
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member_bytes = 0
        self.member_start = 0
        self.corrupt_at: int | None = None
        self._tail = b""  # the last bytes read, to see what lies after the last whole record

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._stream.read(), b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._stream.read(size)
        if self._gzip and data and self.corrupt_at is None:
            self._watch(data)
        self._position += len(data)
        if not self._gzip and data:
            self._tail = (self._tail + data)[-_TAIL_BYTES:]
        return data

    def unread_after(self, offset: int) -> bytes | None:
        """What the file holds after ``offset`` (None when that is more than the kept tail)."""
        start = self._position - len(self._tail)
        if offset < start:
            return None
        return self._tail[offset - start :]

    def _watch(self, data: bytes) -> None:
        position = self._position
        while data:
            try:
                self._inflate.decompress(data)
            except zlib.error:
                self.corrupt_at = self.member_start
                return
            if not self._inflate.eof:
                self._member_bytes += len(data)
                return
            rest = self._inflate.unused_data
            position += len(data) - len(rest)
            self.member_start = position
            self._member_bytes = 0
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = rest

    @property
    def compressed(self) -> bool:
        return self._gzip

    @property
    def truncated(self) -> bool:
        """A gzip member was started and never finished."""
        return self._gzip and self.corrupt_at is None and self._member_bytes > 0


class _DigestMismatch(Exception):
    """A record's content differs from its digest: corrupt, or cut short by the end of a gzip file."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class _Broken(Exception):
    """Reading stopped inside the WARC at ``offset``."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def read_warc(
    stream: BinaryIO, input_id: str, options: ReadOptions, *, head: bytes = b""
) -> Iterator[Record]:
    """Yield an article (or a failure) per page record, then a failure if the file is damaged."""
    from warcio.archiveiterator import ArchiveIterator

    tracked = _TrackedStream(stream, head)
    records = ArchiveIterator(tracked, check_digests=True)
    skipped: Counter[str] = Counter()
    readable = 0
    next_offset = 0
    try:
        for record in records:
            headers = record.rec_headers
            if record.rec_type not in _RECORD_TYPES or not headers.get_header("WARC-Record-ID"):
                raise _Broken(next_offset, "not a WARC record header")
            if headers.get_header("Content-Length") is None:
                raise _Broken(next_offset, "the record header is cut short (no Content-Length)")
            try:
                yield from _read_record(record, records, input_id, options, skipped)
            except _DigestMismatch as exc:
                if tracked.truncated:  # the file was cut inside this record's gzip member
                    raise _Broken(tracked.member_start, "the file ends inside a gzip member") from exc
                yield failure(exc.where, "WARC record content does not match its digest (corrupt); skipped")
            offset = records.get_record_offset()  # reads whatever of the record was left unread
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:
                raise _Broken(offset, f"the record is cut short, {missing:,} bytes missing")
            next_offset = offset + records.get_record_length()
            readable += 1
    except _Broken as exc:
        yield _damaged(input_id, exc.offset, exc.reason, readable)
        return
    except Exception as exc:  # warcio raises many kinds (ArchiveLoadFailed, EOFError, AttributeError)
        # on damaged input; all mean the same here: nothing after this point can be read.
        from warcio.exceptions import ArchiveLoadFailed

        if isinstance(exc, ArchiveLoadFailed):
            reason = next((line.strip() for line in str(exc).splitlines() if line.strip()), "unreadable")
        else:
            reason = f"unreadable record ({type(exc).__name__})"
        yield _damaged(input_id, next_offset, reason, readable)
        return
    leftover = None if tracked.compressed else tracked.unread_after(next_offset)
    if not tracked.compressed and (leftover is None or leftover.strip()):
        # warcio stops quietly at a record whose header the file cuts off.
        yield _damaged(input_id, next_offset, "the file ends inside a record header", readable)
    elif tracked.corrupt_at is not None:
        yield _damaged(input_id, tracked.corrupt_at, "corrupt gzip data", readable)
    elif tracked.truncated:
        yield _damaged(input_id, tracked.member_start, "the file ends inside a gzip member", readable)
    elif readable == 0:
        yield failure(input_id, "WARC file holds no records")
    if skipped:
        log.info(
            "%s: %d records skipped (%s)",
            input_id,
            sum(skipped.values()),
            ", ".join(f"{n} {why}" for why, n in skipped.most_common()),
        )


def _damaged(input_id: str, offset: int, reason: str, readable: int) -> Record:
    return failure(
        input_id,
        f"WARC is damaged at byte {offset:,} ({reason}); "
        f"{readable} record{'' if readable == 1 else 's'} before it read",
    )


def _read_record(
    record: Any, records: Any, input_id: str, options: ReadOptions, skipped: Counter[str]
) -> Iterator[Record]:
    """The article of one record, or nothing (a skipped record), or a failure for it."""
    kind = record.rec_type
    if kind not in ("response", "resource"):
        skipped[f"{kind} records"] += 1
        return
    if kind == "response":
        http = record.http_headers
        if http is None:
            skipped["responses without HTTP headers"] += 1
            return
        status = http.get_statuscode()
        if not (status or "").startswith("2"):
            skipped[f"HTTP {status or 'status missing'}"] += 1
            return
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media, charset = parse_content_type(content_type)
    if media not in _PAGE_TYPES:
        skipped[f"{media} content"] += 1
        return

    declared = record.length or 0
    if declared > options.max_bytes:
        offset = records.get_record_offset()  # reads past the payload without keeping it
        yield failure(
            f"{input_id}#{offset}",
            f"WARC record is {declared:,} bytes, over the limit of {options.max_bytes:,} bytes "
            "(max_bytes / --max-bytes)",
            code=InputTooLarge.code,
        )
        return
    target = record.rec_headers.get_header("WARC-Target-URI")
    if target and urlsplit(target).path.rsplit("/", 1)[-1].lower() in _SITE_FILES:
        skipped["site files (robots.txt and the like)"] += 1
        return
    data = record.content_stream().read(options.max_bytes + 1)
    raw = record.raw_stream
    missing = getattr(raw, "limit", 0) or 0  # bytes the record declared and the file did not hold
    offset = records.get_record_offset()
    where = f"{input_id}#{offset}"
    if missing > 0:
        raise _Broken(offset, f"the record is cut short, {missing:,} bytes missing")
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        raise _DigestMismatch(where)
    if len(data) > options.max_bytes:
        yield failure(
            where,
            f"WARC record content is over the limit of {options.max_bytes:,} bytes",
            code=InputTooLarge.code,
        )
        return
    yield from read_web_document(
        data,
        media,
        where,
        options,
        url=target,
        charset=charset,
        fallback_published=parse_date(record.rec_headers.get_header("WARC-Date")),
        kinds=_PAGE_KINDS,
    )
