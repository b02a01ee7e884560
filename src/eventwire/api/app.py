"""The REST API and the dashboard: one FastAPI app over one Store.

Reads are public unless ``ApiConfig.read_requires_key``; writes always need an ``X-API-Key``.
Every error, including validation errors, is an RFC 9457 problem document
(``application/problem+json``) so clients parse one shape. Limits: request body size, page size,
and query time (a read past it is cancelled in the database and answered 503).
"""

# No ``from __future__ import annotations`` here: FastAPI reads the annotations of the endpoints,
# which use aliases local to ``create_app``.
import logging
import os
import threading
import uuid
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventwire import __version__
from eventwire.api import queries
from eventwire.api.cache import CachedReads, ResponseCache, WriteCounter, write_counter
from eventwire.api.queries import EventQuery
from eventwire.config import Settings
from eventwire.errors import ConfigError, EventwireError, InputError, NotFound, StoreError
from eventwire.keys import KeyStore
from eventwire.records import Article, ReadFailure
from eventwire.store import MentionFilter, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

STATIC = Path(__file__).parent / "static"
PROBLEM_JSON = "application/problem+json"
_CONTENT_KINDS = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}
# The dashboard loads only its own files; data reaches the page as JSON and is set as text.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """Server limits and access; ``from_env`` reads ``EVENTWIRE_API_*`` variables."""

    read_requires_key: bool = False
    max_body_bytes: int = 2_000_000
    max_page_size: int = 500
    default_page_size: int = 50
    max_features: int = 10_000
    query_timeout_s: float = 5.0
    cache_bytes: int = 64_000_000  # answers kept per process (0: no cache); SQLite stores only
    read_threads: int = 4  # database reads run at once per server process (see ``create_app``)

    def __post_init__(self) -> None:
        if self.read_threads < 1:
            raise ConfigError(f"read_threads must be at least 1, got {self.read_threads}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "ApiConfig":
        env = dict(os.environ) if environ is None else environ
        values: dict[str, Any] = {}
        for name, default in asdict(cls()).items():
            raw = env.get(f"EVENTWIRE_API_{name.upper()}")
            if raw is None:
                continue
            try:
                if isinstance(default, bool):
                    if raw.strip().lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
                        raise ValueError(raw)
                    values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
                else:
                    values[name] = type(default)(raw)
            except ValueError as exc:
                wanted = type(default).__name__
                raise ConfigError(f"EVENTWIRE_API_{name.upper()}={raw!r} is not a {wanted}") from exc
        return cls(**values)


class ProblemError(Exception):
    """An error answered as a problem document with this status."""

    def __init__(self, status: int, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem(
    status: int, title: str, detail: str, request: Request | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    headers = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_ERROR_STATUS: list[tuple[type[EventwireError], int, str]] = [
    (queries.QueryTimeout, 503, "Query took too long"),
    (NotFound, 404, "Not found"),
    (ConfigError, 400, "Bad parameter"),
    (InputError, 422, "Unreadable input"),
    (StoreError, 503, "Store unavailable"),
]


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (413), by Content-Length or as the body streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, f"request body is larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(413, "Request too large", f"request body is larger than {self.max_bytes} bytes")
        await response(scope, receive, send)


class SecurityHeaders:
    """nosniff on every answer; the dashboard's pages also get a Content-Security-Policy that
    allows only the app's own scripts (plain ASGI: cheaper than a BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = [(b"x-content-type-options", b"nosniff")]
        if path == "/" or path.startswith("/static/"):
            extra.append((b"content-security-policy", _CSP.encode("ascii")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _parse_floats(value: str, name: str, count: int, example: str) -> tuple[float, ...]:
    parts = value.split(",")
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != count or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise ConfigError(
            f"{name} {value!r} is not {count} comma-separated numbers", hint=f"e.g. {name}={example}"
        )
    return numbers


@lru_cache(maxsize=1)
def _swagger_path() -> Path | None:
    """Swagger UI from the installed swagger-ui-bundle package, so /docs works offline."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


class _Filters:
    """The events filters as query parameters, shared by events, timeline and GeoJSON."""

    def __init__(self, **values: Any) -> None:
        self.since, self.until = values["since"], values["until"]
        self.country, self.actor, self.type = values["country"], values["actor"], values["type"]
        self.near, self.bbox, self.q = values["near"], values["bbox"], values["q"]

    def query(self) -> EventQuery:
        near = _parse_floats(self.near, "near", 3, "35.95,39.01,50") if self.near else None
        bbox = _parse_floats(self.bbox, "bbox", 4, "35.5,32.0,42.5,37.5") if self.bbox else None
        return EventQuery(
            filters=MentionFilter(
                since=self.since,
                until=self.until,
                country=self.country.upper() if self.country else None,
                actor=self.actor,
                type=self.type,
                near=near,  # type: ignore[arg-type]
                limit=None,
            ),
            bbox=bbox,  # type: ignore[arg-type]
            q=self.q,
        )


async def event_filters(
    since: Annotated[date | None, Query(description="Events on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before this date.")] = None,
    country: Annotated[
        str | None, Query(min_length=3, max_length=3, description="ISO alpha-3 of the place or an actor.")
    ] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Text in actor1 or actor2.")] = None,
    type: Annotated[str | None, Query(max_length=32, description="PLOVER event type.")] = None,
    near: Annotated[str | None, Query(description="LAT,LON,KM: within KM of a point.")] = None,
    bbox: Annotated[str | None, Query(description="WEST,SOUTH,EAST,NORTH in degrees.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in sentence or headline.")] = None,
) -> _Filters:
    """Async on purpose: FastAPI runs sync dependencies in the thread pool, one hop each."""
    return _Filters(
        since=since, until=until, country=country, actor=actor, type=type, near=near, bbox=bbox, q=q
    )


def create_app(
    store: Store,
    config: ApiConfig | None = None,
    *,
    settings: Settings | None = None,
    extractor_factory: Callable[[], Any] | None = None,
) -> FastAPI:
    """The app over ``store``. The extractor (spaCy) loads on the first write, not at start-up."""
    config = config or ApiConfig()
    settings = settings or Settings(db=store.url)
    keys = KeyStore(store.engine)
    write_lock = threading.Lock()

    @lru_cache(maxsize=1)
    def extractor() -> Any:
        if extractor_factory is not None:
            return extractor_factory()
        from eventwire.pipeline import Extractor

        return Extractor(settings)

    app = FastAPI(
        title="eventwire",
        version=__version__,
        description="Events read from news, each traceable to the sentence that states it.",
        docs_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.state.store, app.state.config, app.state.keys = store, config, keys

    # -- errors as problem documents ------------------------------------------------------------------

    @app.exception_handler(EventwireError)
    async def _eventwire_error(request: Request, exc: EventwireError) -> JSONResponse:
        for kind, status, title in _ERROR_STATUS:
            if isinstance(exc, kind):
                if status >= 500:
                    log.warning("%s %s: %s", request.method, request.url.path, exc)
                return problem(status, title, exc.message, request, code=exc.code, hint=exc.hint)
        log.error("unhandled %s on %s", exc, request.url.path)
        return problem(500, "Internal error", exc.message, request, code=exc.code)

    @app.exception_handler(SQLAlchemyError)
    async def _database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        if queries.is_timeout(exc):
            detail = f"the query took longer than {config.query_timeout_s} s and was cancelled"
            return problem(503, "Query took too long", detail, request, code=queries.QueryTimeout.code)
        log.warning("%s %s: database error %s", request.method, request.url.path, exc)
        return problem(503, "Store unavailable", "the database could not answer", request)

    @app.exception_handler(ProblemError)
    async def _problem_error(request: Request, exc: ProblemError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, request, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors)
        return problem(422, "Invalid request", detail, request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 413: "Request too large"}
        return problem(exc.status_code, titles.get(exc.status_code, "HTTP error"), str(exc.detail), request)

    # -- access ---------------------------------------------------------------------------------------

    def check_key(key: str | None) -> None:
        if not key:
            raise ProblemError(401, "API key required", "send a key in the X-API-Key header")
        if not keys.verify(key):
            raise ProblemError(403, "API key refused", "the key is unknown or revoked")

    # The access checks are async so that they cost no thread-pool hop when reads are public.
    async def write_access(x_api_key: Annotated[str | None, Header(alias="X-API-Key")] = None) -> None:
        await run_in_threadpool(check_key, x_api_key)

    async def read_access(x_api_key: Annotated[str | None, Header(alias="X-API-Key")] = None) -> None:
        if config.read_requires_key:
            await run_in_threadpool(check_key, x_api_key)

    # Every read runs in a worker thread (a pool checkout may wait, a query may take seconds: the
    # event loop must not), in one hop together with its connection, and at most ``read_threads``
    # at once per process. Threads of one process reading SQLite at once slow each other down (two
    # took up to twice the CPU per page); with the default thread pool's 40, 50 clients got 25%
    # fewer answers a second than with 2 to 4 (docs/api.md). Four by default, not one, so that a
    # slow query (a rare word in ``q``, a whole map) does not hold up the pages behind it.
    read_slots = CapacityLimiter(config.read_threads)

    async def read(answer: Callable[[Connection], T]) -> T:
        """``answer(conn)`` over a read connection with the query time limit, in a worker thread."""
        return await to_thread.run_sync(_over_connection, answer, limiter=read_slots)

    def _over_connection(answer: Callable[[Connection], T]) -> T:
        with queries.read_connection(store.engine, config.query_timeout_s) as conn:
            return answer(conn)

    Limit = Annotated[int, Query(ge=1, le=config.max_page_size, description="Page size.")]
    Cursor = Annotated[str | None, Query(max_length=512, description="next_cursor of the previous page.")]
    reads = [Depends(read_access)]

    # -- reads ----------------------------------------------------------------------------------------
    # The listings answer bytes encoded by ``queries.encode`` (orjson, JSON columns spliced as
    # stored); the other reads return dicts that FastAPI encodes.

    Sort = Annotated[str, Query(pattern="^-?date$", description="-date (newest first), date.")]
    Filters = Annotated[_Filters, Depends(event_filters)]
    Text = Annotated[str | None, Query(max_length=200)]
    Country = Annotated[str | None, Query(min_length=3, max_length=3)]

    @app.get("/api/events", dependencies=reads, tags=["events"])
    async def events(
        filters: Filters,
        limit: Limit = config.default_page_size,
        cursor: Cursor = None,
        sort: Sort = "-date",
    ) -> Response:
        """Canonical events (one per real happening, merged across articles and outlets) matching
        the filters, one page at a time (pass ``next_cursor`` as ``cursor``)."""
        query = filters.query()

        def answer(conn: Connection) -> bytes:
            page = queries.list_events(conn, query, limit=limit, cursor=cursor, sort=sort)
            return queries.encode({"items": page.items, "next_cursor": page.next_cursor, "kind": "event"})

        return Response(await read(answer), media_type="application/json")

    @app.get("/api/events/{event_id}", dependencies=reads, tags=["events"])
    async def event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One canonical event: each member mention's sentence with its values highlighted by span,
        the article it is in and the rule that merged it, and every outlet that carried it."""
        return await read(lambda conn: queries.get_event(conn, event_id))

    @app.get("/api/mentions", dependencies=reads, tags=["mentions"])
    async def mentions(
        filters: Filters,
        limit: Limit = config.default_page_size,
        cursor: Cursor = None,
        sort: Sort = "-date",
    ) -> Response:
        """Stored mentions (one sentence stating an event each) with the same filters, each with
        the ``event_id`` of its canonical event; negated and hypothetical ones are flagged."""
        query = filters.query()

        def answer(conn: Connection) -> bytes:
            page = queries.list_mentions(conn, query, limit=limit, cursor=cursor, sort=sort)
            return queries.encode({"items": page.items, "next_cursor": page.next_cursor, "kind": "mention"})

        return Response(await read(answer), media_type="application/json")

    @app.get("/api/mentions/{mention_id}", dependencies=reads, tags=["mentions"])
    async def mention(mention_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One mention: its sentence with values highlighted, its event and its article's sources."""
        return await read(lambda conn: queries.get_mention(conn, mention_id))

    @app.get("/api/geojson", dependencies=reads, tags=["events"])
    async def events_geojson(
        filters: Filters,
        limit: Annotated[int, Query(ge=1, le=config.max_features)] = config.max_features,
    ) -> Response:
        """Placed events as GeoJSON points for the map (newest first)."""
        query = filters.query()

        def answer(conn: Connection) -> bytes:
            return queries.encode(queries.geojson(conn, query, limit=limit))

        return Response(await read(answer), media_type="application/geo+json")

    # The published schema stays an object; the answer, already encoded, skips its validation.
    @app.get("/api/timeline", dependencies=reads, tags=["events"], response_model=dict[str, Any])
    async def events_timeline(
        filters: Filters,
        bucket: Annotated[str, Query(pattern="^(day|week|month)$")] = "day",
    ) -> Response:
        """Event counts per day, week or month, split by type."""
        query = filters.query()
        body = await read(lambda conn: queries.encode(queries.timeline(conn, query, bucket)))
        return Response(body, media_type="application/json")

    @app.get("/api/articles", dependencies=reads, tags=["articles"])
    async def articles(
        limit: Limit = config.default_page_size,
        cursor: Cursor = None,
        q: Text = None,
    ) -> dict[str, Any]:
        """Stored articles with their mention counts, in id order."""
        page = await read(lambda conn: queries.list_articles(conn, limit=limit, cursor=cursor, q=q))
        return {"items": page.items, "next_cursor": page.next_cursor}

    @app.get("/api/articles/{article_id}", dependencies=reads, tags=["articles"])
    async def article(article_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        """An article's body and every extracted value with its character span in the body."""

        def answer(conn: Connection) -> dict[str, Any]:
            extraction = store.get_article(article_id)
            return extraction.to_dict() | {"sources": queries.article_sources(conn, extraction.article.id)}

        return await read(answer)

    @app.get("/api/actors", dependencies=reads, tags=["entities"])
    async def actors(
        limit: Limit = config.default_page_size,
        q: Text = None,
        country: Country = None,
    ) -> dict[str, Any]:
        """Actors, most mentioned first."""
        return {
            "items": await read(lambda conn: queries.list_actors(conn, limit=limit, q=q, country=country))
        }

    @app.get("/api/places", dependencies=reads, tags=["entities"])
    async def places(
        limit: Limit = config.default_page_size,
        q: Text = None,
        country: Country = None,
    ) -> dict[str, Any]:
        """Resolved places, most named first."""
        return {
            "items": await read(lambda conn: queries.list_places(conn, limit=limit, q=q, country=country))
        }

    @app.get("/api/quotes", dependencies=reads, tags=["entities"])
    async def quotes(
        limit: Limit = config.default_page_size,
        cursor: Cursor = None,
        speaker: Text = None,
        q: Text = None,
        article_id: Annotated[str | None, Query(max_length=64)] = None,
    ) -> dict[str, Any]:
        """Direct quotes with who said them."""
        page = await read(
            lambda conn: queries.list_quotes(
                conn, limit=limit, cursor=cursor, speaker=speaker, q=q, article_id=article_id
            )
        )
        return {"items": page.items, "next_cursor": page.next_cursor}

    @app.get("/api/stats", dependencies=reads, tags=["meta"])
    async def stats() -> dict[str, Any]:
        """Row counts of the store."""
        return {"version": __version__, "counts": await to_thread.run_sync(store.counts, limiter=read_slots)}

    # -- writes ---------------------------------------------------------------------------------------

    writes = [Depends(write_access)]

    @app.post("/api/articles", status_code=201, dependencies=writes, tags=["articles"])
    async def submit(
        request: Request,
        published: Annotated[date | None, Query(description="Date if the input has none.")] = None,
        outlet: Text = None,
    ) -> dict[str, Any]:
        """Submit articles as text/plain, text/html or application/json (an object, array or JSONL);
        they are extracted and stored like ``eventwire ingest`` (copies attach as sources)."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        kind = _CONTENT_KINDS.get(media)
        if kind is None:
            raise ProblemError(
                415,
                "Unsupported media type",
                f"send text/plain, text/html or application/json, not {media or 'nothing'!r}",
            )
        body = await request.body()
        if not body.strip():
            raise ProblemError(400, "Empty body", "the request body holds no article")
        return await run_in_threadpool(_ingest, body, kind, published, outlet)

    def _ingest(body: bytes, kind: str, published: date | None, outlet: str | None) -> dict[str, Any]:
        from eventwire.ingest import READERS, ReadOptions
        from eventwire.ingest.encoding import decode_bytes
        from eventwire.ingest_run import ingest_articles

        input_id = f"api:{uuid.uuid4().hex[:12]}"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_bytes(body)
        options = ReadOptions(published=published, outlet=outlet, max_bytes=config.max_body_bytes)
        items = list(READERS[kind](text, input_id, options))
        read = [i for i in items if isinstance(i, Article)]
        failures = [i for i in items if isinstance(i, ReadFailure)]
        errors = [{"input_id": f.input_id, "code": f.code, "message": f.message} for f in failures]
        if not read:
            detail = "no article could be read from the body"
            raise ProblemError(422, "Unreadable input", detail, errors=errors)
        with write_lock:
            summary = ingest_articles(items, store, settings, extractor=extractor())
        return {
            "articles": [{"id": a.id, "title": a.title, "input_id": a.input_id} for a in read],
            "errors": errors,
            "summary": asdict(summary),
        }

    @app.post("/api/articles/{article_id}/reprocess", dependencies=writes, tags=["articles"])
    def reprocess(article_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        """Extract a stored article again with the current coder (after a rules or model update)."""
        from eventwire.api.writes import reprocess_article

        with write_lock:
            return reprocess_article(store, extractor(), article_id)

    # -- dashboard and docs ---------------------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    swagger = _swagger_path()
    if swagger is not None:
        app.mount("/docs-assets", StaticFiles(directory=swagger), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if swagger is None:
            return get_swagger_ui_html(openapi_url="/openapi.json", title="eventwire API")
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="eventwire API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    # Public reads of a SQLite store are answered from memory until the store's next commit.
    counter = write_counter(store.engine) if config.cache_bytes > 0 and not config.read_requires_key else None
    app.state.cache = None
    if counter is not None:
        if isinstance(counter, WriteCounter):
            weakref.finalize(app, counter.close)  # its own SQLite connection goes with the app
        app.state.cache = ResponseCache(
            counter, max_bytes=config.cache_bytes, max_entry_bytes=max(1, config.cache_bytes // 8)
        )
        app.add_middleware(
            CachedReads, cache=app.state.cache, cacheable=lambda path: path.startswith("/api/")
        )
    app.add_middleware(SecurityHeaders)
    return app
