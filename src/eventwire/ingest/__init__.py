"""Read articles from files, folders and stdin: one reader per source kind, chosen by content.

``read_inputs`` yields an ``Article`` for every article it can read and a ``ReadFailure`` (one
line naming the input and the reason) for every input it cannot: a missing or unreadable path, an
empty or binary file, a file over the size limit, a bad JSONL line. It never raises for one bad
input, and never drops one silently.

The reader is chosen by sniffing the first 64 KiB, not by the file name: an ``.html`` file that
holds plain text is read as text, a ``.txt`` holding markup as HTML, JSON Lines without an
extension as JSONL, a file whose every line is a URL as a URL list. Readers are looked up in
``READERS``; ``register_reader`` adds or replaces one. WARC files (plain or gzipped) are recognised
by their first bytes and streamed record by record (``ingest.warc``); ``http(s)://`` inputs are
fetched (``ingest.url``).
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO

from eventwire.ingest.base import Reader, ReadOptions, Record, failure, too_large
from eventwire.ingest.encoding import binary_reason, bom_encoding, declared_charset, decode_bytes
from eventwire.ingest.feed import read_feed
from eventwire.ingest.html import read_html
from eventwire.ingest.jsonl import read_jsonl, read_jsonl_lines
from eventwire.ingest.text import read_text
from eventwire.ingest.url import is_url, looks_like_url_list, read_url, read_url_list
from eventwire.ingest.warc import is_warc, is_warc_file, read_warc
from eventwire.records import Article, ReadFailure

__all__ = [
    "READERS",
    "Article",
    "ReadFailure",
    "ReadOptions",
    "read_bytes",
    "read_inputs",
    "read_path",
    "register_reader",
    "sniff_kind",
    "walk_folder",
]

log = logging.getLogger(__name__)

STDIN = "-"
SNIFF_BYTES = 65536

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "feed": read_feed,
    "urls": read_url_list,
}


def register_reader(kind: str, reader: Reader) -> None:
    """Add or replace the reader for a source kind ("text", "html", "jsonl", "feed", ...)."""
    READERS[kind] = reader


def read_inputs(
    paths: Iterable[str],
    *,
    published: date | None = None,
    outlet: str | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[Article | ReadFailure]:
    """Read every path (file, folder, or "-" for stdin), in order, as articles or failures.

    ``published`` and ``outlet`` fill what an input's own metadata leaves empty; they never
    override it.
    """
    options = ReadOptions(published=published, outlet=outlet, max_bytes=max_bytes)
    for path in paths:
        yield from read_path(path, options)


def read_path(path: str, options: ReadOptions) -> Iterator[Record]:
    """Read one path: stdin, an http(s) URL, a file, or a folder walked recursively in sorted order."""
    if path == STDIN:
        yield from _read_stdin(options)
        return
    if is_url(path):
        yield from read_url(path, options)
        return
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield failure(path, "no such file or directory")
        return
    except PermissionError:
        yield failure(path, "permission denied")
        return
    except OSError as exc:
        yield failure(path, f"cannot read ({exc.strerror or exc})")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, options)
    else:
        yield from _read_file(path, options, size=info.st_size if stat.S_ISREG(info.st_mode) else None)


def read_bytes(data: bytes, input_id: str, options: ReadOptions | None = None) -> Iterator[Record]:
    """Read one in-memory input (an upload, a message body) exactly as a file would be read."""
    options = options or ReadOptions()
    if len(data) > options.max_bytes:
        yield too_large(input_id, len(data), options.max_bytes)
        return
    yield from _read_stream(io.BytesIO(data), input_id, options)


def sniff_kind(head: str) -> str:
    """Which reader fits a document, judged from its first characters."""
    stripped = head.lstrip("\ufeff \t\r\n")
    if _looks_like_json(stripped):
        return "jsonl"
    if _FEED.match(stripped):
        return "feed"
    if stripped.startswith("<") and _HTML_TAG.search(stripped[:4096]):
        return "html"
    if len(_HTML_BLOCK.findall(stripped[:8192])) >= 3:
        return "html"  # markup without a document wrapper: "<p>...</p><p>...</p>"
    if looks_like_url_list(stripped):
        return "urls"
    return "text"


_FEED = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I
)
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|span|table|h[1-6]|br|a|ul)\b",
    re.I,
)
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|article|section|h[1-6]|li|table|body|html)\b[^>]*>", re.I)


def _looks_like_json(text: str) -> bool:
    if not text.startswith(("{", "[")):
        return False
    lines = [line.strip() for line in text.split("\n", 6)[:6]]
    if lines[0] in ("{", "[") or lines[0].startswith(("[{", '{"')):
        return True
    for line in lines:
        if line.startswith("{"):
            try:
                if isinstance(json.loads(line), dict):
                    return True
            except json.JSONDecodeError:
                continue
    return False


# --- files, folders, stdin ---------------------------------------------------------------------------


def walk_folder(
    folder: str, label: str | None = None
) -> Iterator[tuple[str, os.DirEntry[str]] | ReadFailure]:
    """Regular files under ``folder`` in sorted path order, as (input id, directory entry).

    Hidden entries (".git", ".DS_Store") and symlinked folders (loops) are skipped; pipes and
    devices, and folders that cannot be listed, come out as failures, never opened. Input ids
    start with ``label`` (the folder as the user named it; default ``folder``). The Ray engine
    lists folders with this too, so both engines read the same files in the same order.
    """
    label = folder if label is None else label
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield failure(label, f"cannot list folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        input_id = os.path.join(label, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from walk_folder(entry.path, input_id)
                continue
            if entry.is_symlink() and entry.is_dir():
                log.info("skipping symlinked folder %s", input_id)
                continue
            if not entry.is_file():
                # A pipe or device inside a folder could block forever; name it, do not open it.
                yield failure(input_id, "not a regular file (pipe, socket or device)")
                continue
        except OSError as exc:
            yield failure(input_id, f"cannot read ({exc.strerror or exc})")
            continue
        yield input_id, entry


def _walk(folder: str, options: ReadOptions) -> Iterator[Record]:
    """Every record of every file under ``folder`` (see ``walk_folder``)."""
    for item in walk_folder(folder):
        if isinstance(item, ReadFailure):
            yield item
        else:
            yield from read_path(item[0], options)


def _read_file(path: str, options: ReadOptions, *, size: int | None) -> Iterator[Record]:
    # A WARC is limited per record, not as a whole: crawls are large by nature.
    if size is not None and size > options.max_bytes and not is_warc_file(path):
        yield too_large(path, size, options.max_bytes)
        return
    if size == 0:
        yield failure(path, "file is empty")
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below; the reader streams from it
    except PermissionError:
        yield failure(path, "permission denied")
        return
    except OSError as exc:
        yield failure(path, f"cannot read ({exc.strerror or exc})")
        return
    with stream:
        yield from _read_stream(stream, path, options)


def _read_stdin(options: ReadOptions) -> Iterator[Record]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        yield from _read_stream(buffer, STDIN, options)
        return
    text = sys.stdin.read(options.max_bytes + 1)  # a text stream (tests, embedding)
    yield from _read_stream(io.BytesIO(text.encode("utf-8")), STDIN, options)


def _read_stream(stream: BinaryIO, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Sniff, then read: JSONL streams line by line; other kinds are read whole (up to the limit)."""
    try:
        head = stream.read(min(SNIFF_BYTES, options.max_bytes + 1))
        if not head:
            yield failure(input_id, "file is empty")
            return
        if is_warc(head):
            yield from read_warc(stream, input_id, options, head=head)
            return
        reason = binary_reason(head)
        if reason:
            yield failure(input_id, reason)
            return
        if b"\n" in head or len(head) == SNIFF_BYTES:
            head += stream.readline()  # end the sniffed part on a line boundary
        kind = sniff_kind(_sniff_text(head))
        streamable = bom_encoding(head) in (None, "utf-8") and b"\x00" not in head
        if kind == "jsonl" and streamable and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            first_line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
            if first_line != b"{":
                lines = itertools.chain(io.BytesIO(head), stream)
                yield from _guard(read_jsonl_lines(lines, input_id, options), "jsonl", input_id)
                return
        data = head + stream.read(max(0, options.max_bytes + 1 - len(head)))
    except OSError as exc:
        yield failure(input_id, f"cannot read ({exc.strerror or exc})")
        return
    if len(data) > options.max_bytes:
        yield too_large(input_id, None, options.max_bytes)
        return
    yield from _read_document(data, input_id, kind, options)


def _read_document(data: bytes, input_id: str, kind: str, options: ReadOptions) -> Iterator[Record]:
    try:
        text = decode_bytes(data, declared=declared_charset(data) if kind in ("html", "feed") else None)
    except UnicodeDecodeError:
        yield failure(input_id, "not text in any known encoding")
        return
    if not text.strip():
        yield failure(input_id, "file is empty (only whitespace)")
        return
    reader = READERS.get(kind)
    if reader is None:
        yield failure(input_id, f"no reader is registered for {kind} inputs")
        return
    yield from _guard(reader(text, input_id, options), kind, input_id)


def _guard(records: Iterator[Record], kind: str, input_id: str) -> Iterator[Record]:
    """Turn an unexpected reader crash into a failure for that input, so a batch goes on."""
    try:
        yield from records
    except Exception as exc:  # a reader bug must not stop the other inputs; it is reported
        log.exception("the %s reader failed on %s", kind, input_id)
        yield failure(input_id, f"the {kind} reader failed ({type(exc).__name__}: {exc})")


def _sniff_text(head: bytes) -> str:
    codec = bom_encoding(head)
    if codec is None and b"\x00" in head[:4096]:
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    return head.decode(codec or "utf-8", errors="replace")
