"""Toponym recognition and geocoding scores against gold JSONL (GeoWebNews, TR-News shapes).

Each gold record has ``text`` and ``toponyms`` (start, end, geonameid, lat, lon, optional type). Gold
toponyms without coordinates (expressions, non-toponyms, languages) are not scored. A prediction
counts as found when its span overlaps a gold toponym's span. Demonyms and toponyms inside
organisation names are scored in separate figure sets (see ``evaluate_geo``).
"""

from __future__ import annotations

import json
import logging
import math
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language

from eventwire.geo.gazetteer import Gazetteer
from eventwire.geo.outlets import outlet_country
from eventwire.geo.resolve import EMBEDDED_REASON, PlaceResolver
from eventwire.records import PlaceRef

log = logging.getLogger(__name__)

CLOSE_KM = 161.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _gold_toponyms(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in record.get("toponyms", []) if t.get("lat") is not None and t.get("lon") is not None]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Tally:
    """Counts for one figure set (one choice of which predictions count)."""

    def __init__(self) -> None:
        self.n_gold = self.n_found = self.n_pred = self.n_pred_ok = 0
        self.n_geo = self.n_exact = self.n_country = self.n_close = 0
        self.n_with_id = self.n_with_country = 0
        self.errors: list[float] = []

    def add(self, preds: list[PlaceRef], gold: list[dict[str, Any]], gaz: Gazetteer) -> None:
        gold_spans = [(t["start"], t["end"]) for t in gold]
        self.n_pred += len(preds)
        self.n_pred_ok += sum(1 for p in preds if any(_overlap(p.span, g) for g in gold_spans))
        for t in gold:
            self.n_gold += 1
            span = (t["start"], t["end"])
            match = next((p for p in preds if _overlap(p.span, span)), None)
            if match is None:
                continue
            self.n_found += 1
            if match.lat is None or match.lon is None:
                continue
            self.n_geo += 1
            err = haversine_km(match.lat, match.lon, float(t["lat"]), float(t["lon"]))
            self.errors.append(err)
            self.n_close += err <= CLOSE_KM
            gid = t.get("geonameid")
            if gid is not None:
                self.n_with_id += 1
                self.n_exact += match.geonameid == int(gid)
                gold_place = gaz.by_geonameid(int(gid))
                if gold_place is not None and gold_place.country:
                    self.n_with_country += 1
                    self.n_country += match.country == gold_place.country

    def figures(self) -> dict[str, Any]:
        recall = self.n_found / self.n_gold if self.n_gold else 0.0
        precision = self.n_pred_ok / self.n_pred if self.n_pred else 0.0
        errors = self.errors
        return {
            "gold_toponyms": self.n_gold,
            "predicted": self.n_pred,
            "found": self.n_found,
            "recall": round(recall, 4),
            "precision": round(precision, 4),
            "f1": round(2 * recall * precision / (recall + precision), 4) if recall + precision else 0.0,
            "geocoded": self.n_geo,
            "exact_id_accuracy": round(self.n_exact / self.n_with_id, 4) if self.n_with_id else None,
            "country_accuracy": (
                round(self.n_country / self.n_with_country, 4) if self.n_with_country else None
            ),
            "within_161km": round(self.n_close / self.n_geo, 4) if self.n_geo else None,
            "median_error_km": round(statistics.median(errors), 1) if errors else None,
            "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
            "scored_with_id": self.n_with_id,
            "scored_with_country": self.n_with_country,
        }


def evaluate_geo(
    path: Path,
    resolver: PlaceResolver,
    nlp: Language,
    *,
    include_demonyms: bool = False,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Recall, precision and geocoding accuracy of ``resolver`` on one gold file, three ways at once.

    The top-level figures count every toponym ``find_places(embedded=True)`` returns: event places
    and the toponyms inside organisation names ("Kentucky State Police"), which gold sets annotate.
    ``with_demonyms`` also counts ``find_demonyms`` ("Syrian" -> Syria): the gold sets annotate them
    as toponyms with coordinates and eventwire links them to countries, but never as event places,
    so they are reported apart. ``event_places`` counts only what ``find_places`` gives the event
    coder by default. ``include_demonyms`` puts the demonym figures at the top level instead.
    """
    records = list(_records(path))
    gaz = resolver.gazetteer
    toponyms, with_demonyms, event_places = _Tally(), _Tally(), _Tally()
    docs = nlp.pipe((r["text"] for r in records), batch_size=batch_size)
    for record, doc in zip(records, docs, strict=True):
        # The pipeline tells the resolver the outlet's country (from the URL's country-code domain);
        # so does the evaluation, where the gold record keeps its URL.
        preds: list[PlaceRef] = resolver.find_places(
            doc, embedded=True, outlet_country=outlet_country(record.get("url"))
        )
        taken = [p.span for p in preds]
        demonyms = [d for d in resolver.find_demonyms(doc) if not any(_overlap(d.span, s) for s in taken)]
        gold = _gold_toponyms(record)
        toponyms.add(preds, gold, gaz)
        with_demonyms.add(preds + demonyms, gold, gaz)
        event_places.add([p for p in preds if not p.reason.startswith(EMBEDDED_REASON)], gold, gaz)
    top, extra = (with_demonyms, toponyms) if include_demonyms else (toponyms, with_demonyms)
    return {
        "file": path.name,
        "articles": len(records),
        **top.figures(),
        ("without_demonyms" if include_demonyms else "with_demonyms"): extra.figures(),
        "event_places": event_places.figures(),
    }
