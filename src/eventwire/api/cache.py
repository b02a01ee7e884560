"""A small in-process cache of read answers, dropped as soon as the store changes.

The dashboard and API clients ask the same few questions over and over (the first page of events,
the map, the timeline, with the same filters), and between two ingest runs the answers do not
change. So each answer of a cacheable GET is kept, keyed on its path and query string, together
with the store's *write counter* at the time it was computed; an answer is served from the cache
only while that counter has not moved.

The counter is SQLite's ``PRAGMA data_version`` read on a connection of its own: it changes
whenever any other connection (another thread, another process, ``eventwire ingest``) commits to the
database, and costs a few microseconds. PostgreSQL has no equivalent that is both exact and cheap,
so there the cache is off and every request reads the database.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class WriteCounter:
    """SQLite's data_version on a dedicated connection: a number that changes on every commit made
    by any other connection to the same database file."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._raw: sqlite3.Connection | None = None

    def __call__(self) -> int:
        with self._lock:
            if self._raw is None:
                path = self._engine.url.database
                if not path:
                    raise ValueError("the write counter needs a file database")
                # Read-only and outside the pool: it must never be the connection that writes.
                self._raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return int(self._raw.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None


def write_counter(engine: Engine) -> Callable[[], int] | None:
    """The store's write counter, or None where there is no cheap exact one (PostgreSQL, memory)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return WriteCounter(engine)


@dataclass(slots=True)
class _Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """Least-recently-used answers under a byte budget, all dropped when the counter moves."""

    def __init__(self, counter: Callable[[], int], *, max_bytes: int, max_entry_bytes: int) -> None:
        self.counter = counter
        self.max_bytes, self.max_entry_bytes = max_bytes, max_entry_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._version: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def current(self) -> int:
        """Read the counter; if it moved, forget everything computed before."""
        version = self.counter()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
        return version

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, entry: _Entry, version: int) -> None:
        """Keep an answer computed after the counter read ``version`` (unless it moved since)."""
        size = len(entry.body) + len(key)
        if size > self.max_entry_bytes:
            return
        with self._lock:
            if version != self._version or key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                old_key, old = self._entries.popitem(last=False)
                self._bytes -= len(old.body) + len(old_key)


class CachedReads:
    """ASGI middleware: answer cacheable GETs from the cache, and keep successful answers.

    Only paths for which ``cacheable(path)`` is true are touched; only 200 answers are kept, with
    their headers. Used only when reads are public, so no access check is skipped. A question
    asked again while its first asking is still being answered waits for that answer instead of
    reading the database again (after a write, fifty clients asking for the first page cost one
    query, not fifty).
    """

    def __init__(self, app: ASGIApp, cache: ResponseCache, cacheable: Callable[[str], bool]) -> None:
        self.app, self.cache, self.cacheable = app, cache, cacheable
        self._pending: dict[tuple[str, int], asyncio.Future[_Entry | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.cacheable(scope["path"]):
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        version = self.cache.current()
        entry = self.cache.get(key)
        if entry is None and (key, version) in self._pending:
            entry = await asyncio.shield(self._pending[key, version])
        if entry is not None:
            headers = [*entry.headers, (b"x-cache", b"hit")]  # says where the answer came from
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        pending: asyncio.Future[_Entry | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault((key, version), pending)
        kept: _Entry | None = None
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status, headers, kept
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and status == 200:
                    kept = _Entry(headers, b"".join(chunks))
                    self.cache.put(key, kept, version)
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            # Waiters get the answer, or None (an error, a cancelled request): they then ask themselves.
            if self._pending.get((key, version)) is pending:
                del self._pending[key, version]
            if not pending.done():
                pending.set_result(kept)
