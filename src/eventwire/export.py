"""Write canonical events out: CSV, JSONL, Parquet, GeoJSON, or ACLED's own columns.

Events stream from the store in id order (ids are content hashes, so the order and the bytes are
the same on SQLite and PostgreSQL and whatever order the corpus was ingested in). Nothing here
depends on the clock: ACLED's ``timestamp`` is the last day the event was reported.

ACLED conventions followed: ``event_id_cnty`` is the ISO alpha-3 code plus a number (ours derives
from the event id), ``time_precision`` 1/2/3 for day/week/month-or-coarser, ``geo_precision``
1/2/3 for a town, a nearby or part-of-region location, a region or country, ``inter1``/``inter2``
and ``interaction`` as actor categories (ACLED's text form, e.g. "State forces-Rebel groups"),
``iso`` the ISO 3166 numeric code, ``fatalities`` 0 when no figure was reported, actor names
without the associated actors, which go to ``assoc_actor_1``/``assoc_actor_2`` separated by "; ".
Not filled: ``region`` and ``admin1``-``admin3`` (no offline source of ACLED's regions or of
admin names for our GeoNames admin codes), ``source_scale``; they are left empty, not guessed.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from eventwire.store import Store
from eventwire.store.events import count_events, iter_events

log = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    geojson = "geojson"
    acled = "acled"


ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "year": 3}
_GENERIC_CATEGORIES = ("Protesters", "Rioters", "Civilians")
_GEO_PRECISION = {"place": 1, "near": 2, "region": 3, "country": 3}

Progress = Callable[[int], None]


def flat(event: dict[str, Any]) -> dict[str, Any]:
    """An event as one flat row: lists and dicts as compact JSON."""
    return {
        k: json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, list | dict) else v
        for k, v in event.items()
        if k != "mentions"
    }


@lru_cache(maxsize=512)
def _country(iso3: str) -> tuple[str, str]:
    """(name, ISO numeric) of a country code; the code itself when pycountry does not know it."""
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3)
    if found is None:
        return iso3, ""
    return getattr(found, "common_name", None) or found.name, str(int(found.numeric))


def _category(kind: str | None, country: str | None, where: str | None) -> str:
    from eventwire.actors.catalog import load_catalog

    return load_catalog().acled_category(kind, country, where) or ""


def acled_row(event: dict[str, Any]) -> dict[str, Any]:
    """One canonical event in ACLED's columns and conventions."""
    iso3 = event.get("place_country") or event.get("actor1_country") or event.get("actor2_country") or ""
    name, numeric = _country(iso3) if iso3 else ("", "")
    day = event.get("date_start") or event.get("first_reported") or ""
    where = event.get("place_country")

    def assoc(role: str, main: str | None) -> str:
        names = sorted(
            {a["name"] or a["id"] for a in event.get("actors") or [] if a["role"] == role} - {main}
        )
        return "; ".join(n for n in names if n)

    inter1 = _category(event.get("actor1_kind"), event.get("actor1_country"), where)
    inter2 = _category(event.get("actor2_kind"), event.get("actor2_country"), where)
    if event.get("acled_event_type") == "Protests" and not event.get("actor1_id"):
        inter1 = inter1 or "Protesters"
    # ACLED names unnamed crowds and victims by category and country: "Protesters (Kenya)".
    actor1, actor2 = event.get("actor1_name") or "", event.get("actor2_name") or ""
    if not actor1 and inter1 in _GENERIC_CATEGORIES and name:
        actor1 = f"{inter1} ({name})"
    if not actor2 and inter2 in _GENERIC_CATEGORIES and name:
        actor2 = f"{inter2} ({name})"
    interaction = "-".join(x for x in (inter1, inter2) if x) if inter1 else ""
    if inter1 and not inter2:
        interaction = f"{inter1} only"
    last = event.get("last_reported") or day
    timestamp = (
        int(datetime.combine(date.fromisoformat(last), datetime.min.time(), UTC).timestamp()) if last else ""
    )
    fatalities = event.get("fatalities")
    tags = []
    if event.get("fatalities_min") is not None and event.get("fatalities_min") != event.get("fatalities_max"):
        tags.append(f"fatalities reported {event['fatalities_min']}-{event['fatalities_max']}")
    tags.append(f"{event.get('n_outlets')} outlets, {event.get('n_articles')} articles")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{int(event['id'].removeprefix('ev_')[:8], 16) % 10**8}",
        "event_date": day,
        "year": int(day[:4]) if day else "",
        "time_precision": _TIME_PRECISION.get(event.get("date_precision") or "", 3),
        "disorder_type": _DISORDER.get(event.get("acled_event_type") or "", ""),
        "event_type": event.get("acled_event_type") or "",
        "sub_event_type": event.get("acled_sub_event_type") or "",
        "actor1": actor1,
        "assoc_actor_1": assoc("actor1", event.get("actor1_name")),
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc("actor2", event.get("actor2_name")),
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if inter2 == "Civilians" else "",
        "iso": numeric,
        "region": "",
        "country": name,
        "admin1": event.get("place_name") if event.get("place_precision") == "region" else "",
        "admin2": "",
        "admin3": "",
        "location": event.get("place_name") or "",
        "latitude": event.get("place_lat") if event.get("place_lat") is not None else "",
        "longitude": event.get("place_lon") if event.get("place_lon") is not None else "",
        "geo_precision": _GEO_PRECISION.get(event.get("place_precision") or "", 3),
        "source": "; ".join(event.get("outlets") or []),
        "source_scale": "",
        "notes": event.get("notes") or "",
        "fatalities": fatalities if fatalities is not None else 0,
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def geojson_feature(event: dict[str, Any]) -> dict[str, Any]:
    geometry = None
    if event.get("place_lat") is not None and event.get("place_lon") is not None:
        geometry = {"type": "Point", "coordinates": [event["place_lon"], event["place_lat"]]}
    return {"type": "Feature", "id": event["id"], "geometry": geometry, "properties": flat(event)}


def _text_rows(events: Iterator[dict[str, Any]], fmt: ExportFormat, out: IO[str], tick: Progress) -> int:
    n = 0
    if fmt is ExportFormat.jsonl:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
            tick(1)
        return n
    if fmt is ExportFormat.geojson:  # streamed: the collection is written feature by feature
        out.write('{"type": "FeatureCollection", "features": [\n')
        for event in events:
            out.write(
                (",\n" if n else "") + json.dumps(geojson_feature(event), ensure_ascii=False, sort_keys=True)
            )
            n += 1
            tick(1)
        out.write("\n]}\n")
        return n
    writer: csv.DictWriter[str] | None = None
    for event in events:
        row = acled_row(event) if fmt is ExportFormat.acled else flat(event)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)
        n += 1
        tick(1)
    if writer is None and fmt is ExportFormat.acled:
        csv.writer(out, lineterminator="\n").writerow(ACLED_COLUMNS)
    return n


def _parquet(events: Iterator[dict[str, Any]], path: Path, tick: Progress, batch: int = 1000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: Any = None
    n = 0
    rows: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=writer.schema if writer else None)
        if writer is None:
            writer = pq.ParquetWriter(str(path), table.schema)
        writer.write_table(table)
        rows.clear()

    try:
        for event in events:
            row = flat(event)
            for key in ("date_start", "date_end", "first_reported", "last_reported"):
                row[key] = date.fromisoformat(row[key]) if row.get(key) else None
            rows.append(row)
            n += 1
            tick(1)
            if len(rows) >= batch:
                flush()
        flush()
    finally:
        if writer is not None:
            writer.close()
    if n == 0:
        pq.write_table(pa.table({"id": pa.array([], pa.string())}), str(path))
    return n


def export_events(
    store: Store,
    fmt: ExportFormat | str,
    out: IO[str] | Path,
    *,
    on_progress: Progress | None = None,
) -> int:
    """Write every canonical event in ``fmt`` to a text stream or (parquet: must be) a path.

    Returns the number of events written. JSONL carries each event's mentions with their spans.
    """
    fmt = ExportFormat(fmt)
    tick = on_progress or (lambda _n: None)
    events = iter_events(store, with_mentions=fmt is ExportFormat.jsonl)
    if fmt is ExportFormat.parquet:
        if not isinstance(out, Path):
            raise ValueError("parquet export needs a file path (--output)")
        return _parquet(events, out, tick)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as handle:
            return _text_rows(events, fmt, handle, tick)
    return _text_rows(events, fmt, out, tick)


def total(store: Store) -> int:
    """How many events an export will write (for a progress bar)."""
    return count_events(store)
