"""The eventwire command line: a thin layer over the library.

Each command parses options, calls library functions, and turns our errors into one readable
line plus a hint (a traceback only with ``--debug``).
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from eventwire import __version__
from eventwire.config import Settings, load_settings
from eventwire.errors import ConfigError, EventwireError
from eventwire.records import Article, Extraction, ReadFailure

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn raw news into who-did-what-to-whom event data, offline.",
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(no_args_is_help=True, help="Score eventwire against gold data.")
app.add_typer(eval_app, name="eval")

# Piped output keeps whole lines (one error a line) and tables a readable width.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)


@dataclass(slots=True)
class State:
    settings: Settings
    debug: bool = False


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default sqlite:///eventwire.db).")]
PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs without one.")
]
OutletOption = Annotated[str | None, typer.Option("--outlet", help="Outlet name for inputs without one.")]


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Settings TOML file.")] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"eventwire {__version__}")
        raise typer.Exit()
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = State(settings=load_settings(config), debug=debug)


def _state(ctx: typer.Context) -> State:
    return ctx.obj  # type: ignore[no-any-return]


def _parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{flag} {value!r} is not a date", hint="use YYYY-MM-DD, e.g. 2017-02-17") from exc


def _parse_near(value: str | None) -> tuple[float, float, float] | None:
    if value is None:
        return None
    try:
        lat, lon, km = (float(v) for v in value.split(","))
    except ValueError as exc:
        raise ConfigError(f"--near {value!r} is not LAT,LON,KM", hint="e.g. --near 35.95,39.01,50") from exc
    return lat, lon, km


def _read(
    inputs: list[str], published: date | None, outlet: str | None, settings: Settings
) -> Iterator[Article | ReadFailure]:
    from eventwire.ingest import read_inputs

    return read_inputs(inputs, published=published, outlet=outlet, max_bytes=settings.max_bytes)


def _report_failure(failure: ReadFailure) -> None:
    reason = failure.message.removeprefix(f"{failure.input_id}: ")
    err.print(f"[red]skipped[/red] {failure.input_id}: {reason}", highlight=False)


# -- extract ---------------------------------------------------------------------------------------------


@app.command()
def extract(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    published: PublishedOption = None,
    outlet: OutletOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="json, jsonl (streaming) or table.")
    ] = OutputFormat.json,
) -> None:
    """Print what eventwire reads in articles, without touching a database."""
    from eventwire.pipeline import Extractor

    state = _state(ctx)
    extractor = Extractor(state.settings)
    failures: list[ReadFailure] = []
    read = 0

    def articles() -> Iterator[Article]:
        nonlocal read
        for item in _read(inputs, _parse_date(published, "--published"), outlet, state.settings):
            if isinstance(item, ReadFailure):
                failures.append(item)
                _report_failure(item)
            else:
                read += 1
                yield item

    results = extractor.extract(articles())
    if fmt is OutputFormat.jsonl:
        for extraction in results:
            sys.stdout.write(json.dumps(extraction.to_dict(), ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.json:
        docs = [x.to_dict() for x in results]
        errors = [{"input_id": f.input_id, "code": f.code, "message": f.message} for f in failures]
        sys.stdout.write(
            json.dumps({"articles": docs, "errors": errors}, ensure_ascii=False, indent=2) + "\n"
        )
    else:
        for extraction in results:
            out.print(_mentions_table(extraction))
    if failures and not read:
        raise typer.Exit(code=1)


def _mentions_table(extraction: Extraction) -> Table:
    a = extraction.article
    table = Table(title=f"{a.title or a.input_id} [{a.id}]", title_justify="left", show_lines=False)
    for col in ("type", "trigger", "actor1", "actor2", "place", "date", "flags"):
        table.add_column(col)
    for m in extraction.mentions:
        flags = ",".join(f for f, on in (("neg", m.negated), ("hyp", m.hypothetical)) if on)
        if m.attributed_to:
            flags = ",".join(filter(None, [flags, f"by {m.attributed_to}"]))
        table.add_row(
            m.type,
            m.trigger.text,
            (m.actor1.name or m.actor1.text) if m.actor1 else "",
            (m.actor2.name or m.actor2.text) if m.actor2 else "",
            m.place.name if m.place else "",
            f"{m.date.start}..{m.date.end}" if m.date and m.date.start else "",
            flags,
        )
    return table


# -- ingest ----------------------------------------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs, or - for stdin.")],
    published: PublishedOption = None,
    outlet: OutletOption = None,
    db: DbOption = None,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", min=1, help="Refuse inputs (and WARC records) larger than this."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Extraction processes (default 1; one per core is fastest)."),
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Articles parsed per spaCy batch (default 32).")
    ] = None,
    engine_name: Annotated[
        EngineName,
        typer.Option("--engine", help="Where extraction runs: local (this machine) or ray (docs/scale.md)."),
    ] = EngineName.local,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="With --engine ray: auto, HOST:6379 or ray://HOST:10001 (default: a local Ray).",
        ),
    ] = None,
    parquet_out: Annotated[
        str | None,
        typer.Option(
            "--parquet-out",
            help="With --engine ray: also write mentions and events as Parquet to this folder or s3:// URI.",
        ),
    ] = None,
) -> None:
    """Read articles, extract events and store each story once with every outlet that ran it.

    Inputs: files, folders, - for stdin, http(s) URLs, files listing URLs, feeds and WARC files.
    Re-ingesting is a no-op; syndicated copies are attached to the first copy as sources.
    """
    from eventwire.engines import make_engine
    from eventwire.ingest_run import IngestSummary, ingest_articles
    from eventwire.store import Store

    state = _state(ctx)
    settings = state.settings.with_overrides(
        db=db, max_bytes=max_bytes, workers=workers, batch_size=batch_size
    )
    when = _parse_date(published, "--published")
    if engine_name is EngineName.local and (ray_address or parquet_out):
        flag = "--ray-address" if ray_address else "--parquet-out"
        raise ConfigError(
            f"{flag} needs --engine ray",
            hint="add --engine ray, or export a local store with `eventwire export --format parquet`",
        )
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    summary: IngestSummary
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def advance(label: str) -> None:
            progress.update(task, advance=1, description=label[:60])

        if engine_name is EngineName.ray:
            from eventwire.engines.ray_engine import run_ray_job

            if not state.debug:
                _quiet_ray()

            result = run_ray_job(
                inputs,
                parquet_out=parquet_out,
                db_url=settings.db,
                settings=settings,
                address=ray_address,
                workers=workers,
                published=when,
                outlet=outlet,
                on_failure=_report_failure,
                on_progress=advance,
            )
            summary = result.summary
            if result.parquet_out:
                err.print(
                    f"parquet: {result.mention_rows} mention rows and {result.events} events "
                    f"in {result.parquet_out}",
                    highlight=False,
                )
        else:
            store = Store.open(settings.db)
            engine = make_engine(settings)
            try:
                summary = ingest_articles(
                    _read(inputs, when, outlet, settings),
                    store,
                    settings,
                    extractor=engine,
                    on_failure=_report_failure,
                    on_progress=advance,
                )
            finally:
                engine.close()
                store.close()
    err.print(
        f"read {summary.read}, new {summary.new}, duplicates {summary.all_duplicates} "
        f"(already stored {summary.duplicates}, near-duplicates {summary.near_duplicates}), "
        f"errors {summary.errors}, events found {summary.mentions}",
        highlight=False,
    )


def _quiet_ray() -> None:
    """Ray and Ray Data log every dataset and plan at INFO to stderr; keep only real problems."""
    try:
        import ray.data  # noqa: F401  (configures its loggers on import; then we lower them)
    except ImportError:
        return  # run_ray_job says how to install it
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


# -- events ----------------------------------------------------------------------------------------------


@app.command()
def events(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only events on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Only events on or before this date.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 country of the place or an actor.")] = None,
    actor: Annotated[str | None, typer.Option(help="Text in actor1 or actor2 (name or as written).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. ASSAULT.")] = None,
    near: Annotated[str | None, typer.Option(help="LAT,LON,KM: within KM of a point.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    fmt: Annotated[ListFormat, typer.Option("--format", help="table, csv or json.")] = ListFormat.table,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="List raw mentions (one per sentence), not canonical events.")
    ] = False,
    db: DbOption = None,
) -> None:
    """List canonical events (one per real happening, merged across articles), filtered."""
    from eventwire.store import MentionFilter, Store
    from eventwire.store.events import list_events

    settings = _state(ctx).settings.with_overrides(db=db)
    filters = MentionFilter(
        since=_parse_date(since, "--since"),
        until=_parse_date(until, "--until"),
        country=country.upper() if country else None,
        actor=actor,
        type=type_,
        near=_parse_near(near),
        limit=limit,
    )
    store = Store.open(settings.db)
    try:
        rows = store.list_mentions(filters) if mentions else list_events(store, filters)
    finally:
        store.close()
    if mentions:
        _print_rows(rows, fmt)
    else:
        _print_events(rows, fmt)


def _print_events(rows: list[dict[str, Any]], fmt: ListFormat) -> None:
    if fmt is not ListFormat.table:
        _print_rows(rows, fmt)
        return
    table = Table(show_lines=False)
    for col in (
        "date",
        "type",
        "actor1",
        "actor2",
        "place",
        "country",
        "acled",
        "killed",
        "sources",
        "event",
    ):
        table.add_column(col, overflow="fold")
    for r in rows:
        killed = "" if r.get("fatalities") is None else str(r["fatalities"])
        if r.get("fatalities_min") is not None and r.get("fatalities_min") != r.get("fatalities_max"):
            killed += f" ({r['fatalities_min']}-{r['fatalities_max']})"
        table.add_row(
            str(r.get("date_start") or ""),
            str(r.get("type") or ""),
            str(r.get("actor1_name") or ""),
            str(r.get("actor2_name") or ""),
            str(r.get("place_name") or ""),
            str(r.get("place_country") or ""),
            str(r.get("acled_sub_event_type") or ""),
            killed,
            f"{r.get('n_outlets')} outlets / {r.get('n_articles')} articles",
            str(r.get("id") or ""),
        )
    out.print(table)
    out.print(f"{len(rows)} event(s)", style="dim")


# -- export ----------------------------------------------------------------------------------------------


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="csv, jsonl (with mentions), parquet, geojson or acled.")
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout; parquet needs one).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write every canonical event to a file or stdout."""
    from eventwire.export import ExportFormat, export_events, total
    from eventwire.store import Store

    try:
        chosen = ExportFormat(fmt.lower())
    except ValueError as exc:
        raise ConfigError(
            f"--format {fmt!r} is not an export format", hint="use csv, jsonl, parquet, geojson or acled"
        ) from exc
    if chosen is ExportFormat.parquet and output is None:
        raise ConfigError("parquet export needs a file", hint="add --output events.parquet")
    settings = _state(ctx).settings.with_overrides(db=db)
    store = Store.open(settings.db)
    try:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as progress:
            task = progress.add_task(f"exporting {chosen.value}", total=total(store))
            written = export_events(
                store,
                chosen,
                output if output is not None else sys.stdout,
                on_progress=lambda n: progress.update(task, advance=n),
            )
    finally:
        store.close()
    err.print(f"exported {written} event(s)" + (f" to {output}" if output else ""), highlight=False)


def _print_rows(rows: list[dict[str, Any]], fmt: ListFormat) -> None:
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is ListFormat.csv:
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
                )
        return
    table = Table(show_lines=False)
    for col in ("date", "type", "actor1", "actor2", "place", "country", "acled", "article"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.get("date_start") or r.get("published") or ""),
            str(r.get("type") or "")
            + ("" if not r.get("negated") else " (negated)")
            + ("" if not r.get("hypothetical") else " (hyp.)"),
            str(r.get("actor1_name") or r.get("actor1_text") or ""),
            str(r.get("actor2_name") or r.get("actor2_text") or ""),
            str(r.get("place_name") or ""),
            str(r.get("place_country") or ""),
            str(r.get("acled_sub_event_type") or ""),
            str(r.get("article_id") or "")[:10],
        )
    out.print(table)
    out.print(f"{len(rows)} event mention(s)", style="dim")


# -- show ------------------------------------------------------------------------------------------------


@app.command()
def show(
    ctx: typer.Context,
    article_id: Annotated[
        str, typer.Argument(help="Article id or a unique prefix of at least 6 characters.")
    ],
    db: DbOption = None,
) -> None:
    """Print a stored article with every extracted span highlighted."""
    from eventwire.store import Store

    settings = _state(ctx).settings.with_overrides(db=db)
    store = Store.open(settings.db)
    try:
        extraction = store.get_article(article_id)
    finally:
        store.close()
    out.print(render_article(extraction))
    out.print(_mentions_table(extraction))


STYLES = {
    "quote": "italic yellow",
    "date": "magenta",
    "place": "bold green",
    "actor": "bold cyan",
    "trigger": "bold white on red",
}


def render_article(extraction: Extraction) -> Text:
    """The article body with spans styled: triggers, actors, places, dates and quotes."""
    a = extraction.article
    text = Text()
    text.append(f"{a.title}\n", style="bold underline")
    meta = " · ".join(str(v) for v in (a.outlet, a.published, a.url, a.language) if v)
    text.append(f"{meta}\n\n", style="dim")
    body = Text(a.body)
    for q in extraction.quotes:
        body.stylize(STYLES["quote"], *q.span)
    for d in extraction.dates:
        body.stylize(STYLES["date"], *d.span)
    for p in extraction.places:
        body.stylize(STYLES["place"], *p.span)
    for actor in extraction.actors:
        body.stylize(STYLES["actor"], *actor.span)
    for m in extraction.mentions:
        body.stylize(STYLES["trigger"], *m.trigger.span)
    text.append_text(body)
    text.append("\n\nlegend: ", style="dim")
    for name, style in STYLES.items():
        text.append(f" {name} ", style=style)
        text.append(" ")
    return text


# -- eval ------------------------------------------------------------------------------------------------


def _gold(path: Path) -> Path:
    from eventwire.errors import EvalDataMissing

    if not path.is_file():
        raise EvalDataMissing(f"gold file {path} does not exist")
    return path


@eval_app.command("geo")
def eval_geo(
    ctx: typer.Context, gold: Annotated[Path, typer.Argument(help="JSONL shaped like geo_*.jsonl")]
) -> None:
    """Toponym recognition and resolution scores against a gold file."""
    from eventwire.geo.evaluate import evaluate_geo
    from eventwire.pipeline import Extractor

    extractor = Extractor(_state(ctx).settings)
    scores = evaluate_geo(_gold(gold), extractor.places, extractor.nlp)
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


@eval_app.command("quotes")
def eval_quotes(
    ctx: typer.Context, gold: Annotated[Path, typer.Argument(help="JSONL shaped like quotes_polnear_*.jsonl")]
) -> None:
    """Quote and speaker scores against a gold file."""
    from eventwire.nlp import load_pipeline
    from eventwire.quotes_eval import evaluate_quotes

    scores = evaluate_quotes(_gold(gold), load_pipeline(_state(ctx).settings.model))
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


@eval_app.command("dates")
def eval_dates(
    ctx: typer.Context, gold: Annotated[Path, typer.Argument(help="JSONL: text, published, timexes")]
) -> None:
    """Time-expression recall and resolution accuracy against gold TIMEX3 values."""
    from eventwire.dates_eval import evaluate_dates
    from eventwire.nlp import load_pipeline

    scores = evaluate_dates(_gold(gold), load_pipeline(_state(ctx).settings.model))
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


@eval_app.command("events")
def eval_events(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(help="JSONL shaped like events_*.jsonl")],
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Also print the confusion table as Markdown.")
    ] = False,
) -> None:
    """ACLED type accuracy (CASE 2021 snippets) or PLOVER type agreement (CAMEO-coded sentences)."""
    from eventwire.events.evaluate import evaluate_events, markdown_confusion
    from eventwire.pipeline import Extractor

    scores = evaluate_events(_gold(gold), Extractor(_state(ctx).settings))
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")
    if markdown:
        key = "confusion_event_type" if "confusion_event_type" in scores else "confusion_plover_type"
        sys.stdout.write("\n" + markdown_confusion(scores.get(key, {})) + "\n")


# -- serve and keys --------------------------------------------------------------------------------------

keys_app = typer.Typer(no_args_is_help=True, help="API keys for the write endpoints of `eventwire serve`.")
app.add_typer(keys_app, name="keys")


@app.command()
def serve(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    private: Annotated[
        bool, typer.Option("--private", help="Reads need an API key too (EVENTWIRE_API_READ_REQUIRES_KEY).")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the offline dashboard at /."""
    import os

    import uvicorn

    from eventwire.api.app import ApiConfig

    settings = _state(ctx).settings.with_overrides(db=db)
    config = ApiConfig.from_env()
    if private:
        os.environ["EVENTWIRE_API_READ_REQUIRES_KEY"] = "1"
        config = ApiConfig.from_env()
    os.environ["EVENTWIRE_DB"] = settings.db  # the app factory reads it (one app per worker)
    access = "keyed" if config.read_requires_key else "public"
    err.print(f"serving {settings.db} on http://{host}:{port}/ (reads {access})", highlight=False)
    uvicorn.run(
        "eventwire.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def _key_store(ctx: typer.Context, db: str | None) -> Any:
    from eventwire.keys import KeyStore
    from eventwire.store import Store

    settings = _state(ctx).settings.with_overrides(db=db)
    store = Store.open(settings.db)
    return store, KeyStore(store.engine)


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Who or what the key is for.")] = "",
    db: DbOption = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    store, keys = _key_store(ctx, db)
    try:
        secret, key = keys.create(name)
    finally:
        store.close()
    sys.stdout.write(secret + "\n")
    err.print(f"key {key.id} ({key.prefix}…) created; it is not shown again", highlight=False)


@keys_app.command("list")
def keys_list(ctx: typer.Context, db: DbOption = None) -> None:
    """List API keys (never the secrets)."""
    store, keys = _key_store(ctx, db)
    try:
        listed = keys.list()
    finally:
        store.close()
    table = Table(show_lines=False)
    for col in ("id", "name", "prefix", "created", "revoked"):
        table.add_column(col)
    for k in listed:
        table.add_row(
            str(k.id),
            k.name,
            k.prefix,
            f"{k.created_at:%Y-%m-%d %H:%M}",
            f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context,
    key_id: Annotated[int, typer.Argument(help="Id from `eventwire keys list`.")],
    db: DbOption = None,
) -> None:
    """Revoke an API key: requests with it are refused from now on."""
    store, keys = _key_store(ctx, db)
    try:
        key = keys.revoke(key_id)
    finally:
        store.close()
    err.print(f"key {key.id} ({key.prefix}…) revoked", highlight=False)


# -- entry point -----------------------------------------------------------------------------------------


def main() -> None:
    """Run the app; our errors become one line plus a hint unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    try:
        app(standalone_mode=False)
    except EventwireError as exc:
        if debug:
            raise
        err.print(f"[red]error[/red] {exc}", highlight=False)
        if exc.hint:
            err.print(f"[dim]hint: {exc.hint}[/dim]", highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted: rerun the same command to resume (stored articles are skipped)")
        sys.exit(130)
    except Exception as exc:  # the last line of defence for the CLI only
        import click

        # Usage errors (bad option values): click's own, or those of the click typer vendors
        # since 0.20, whose base class typer does not export (UsageError, BadParameter...).
        vendored = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
        if isinstance(exc, (click.ClickException, vendored)):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if debug:
            raise
        err.print(f"[red]internal error[/red] {type(exc).__name__}: {exc}", highlight=False)
        err.print("[dim]hint: rerun with --debug for the traceback, and report it[/dim]")
        sys.exit(2)
