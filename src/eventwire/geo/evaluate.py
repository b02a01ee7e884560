"""Toponym recognition and geocoding scores against gold JSONL (GeoWebNews, TR-News shapes).

Each gold record has ``text`` and ``toponyms`` (start, end, geonameid, lat, lon, optional type). Gold
toponyms without coordinates (expressions, non-toponyms, languages) are not scored. A prediction
counts as found when its span overlaps a gold toponym's span.
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

from eventwire.geo.resolve import PlaceResolver
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


def evaluate_geo(
    path: Path,
    resolver: PlaceResolver,
    nlp: Language,
    *,
    include_demonyms: bool = False,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Recall, precision and geocoding accuracy of ``resolver`` on one gold file.

    ``include_demonyms`` also counts ``find_demonyms`` predictions (gold sets annotate "Syrian" as a
    toponym of Syria; eventwire does not treat demonyms as event places, so it is off by default).
    """
    records = list(_records(path))
    gaz = resolver.gazetteer
    n_gold = n_found = n_pred = n_pred_ok = 0
    n_geo = n_exact = n_country = n_close = 0
    n_with_id = n_with_country = 0
    errors: list[float] = []
    docs = nlp.pipe((r["text"] for r in records), batch_size=batch_size)
    for record, doc in zip(records, docs, strict=True):
        preds: list[PlaceRef] = resolver.find_places(doc)
        if include_demonyms:
            taken = [p.span for p in preds]
            preds += [d for d in resolver.find_demonyms(doc) if not any(_overlap(d.span, s) for s in taken)]
        gold = _gold_toponyms(record)
        gold_spans = [(t["start"], t["end"]) for t in gold]
        n_pred += len(preds)
        n_pred_ok += sum(1 for p in preds if any(_overlap(p.span, g) for g in gold_spans))
        for t in gold:
            n_gold += 1
            span = (t["start"], t["end"])
            match = next((p for p in preds if _overlap(p.span, span)), None)
            if match is None:
                continue
            n_found += 1
            if match.lat is None or match.lon is None:
                continue
            n_geo += 1
            err = haversine_km(match.lat, match.lon, float(t["lat"]), float(t["lon"]))
            errors.append(err)
            n_close += err <= CLOSE_KM
            gid = t.get("geonameid")
            if gid is not None:
                n_with_id += 1
                n_exact += match.geonameid == int(gid)
                gold_place = gaz.by_geonameid(int(gid))
                if gold_place is not None and gold_place.country:
                    n_with_country += 1
                    n_country += match.country == gold_place.country
    recall = n_found / n_gold if n_gold else 0.0
    precision = n_pred_ok / n_pred if n_pred else 0.0
    return {
        "file": path.name,
        "articles": len(records),
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "found": n_found,
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(2 * recall * precision / (recall + precision), 4) if recall + precision else 0.0,
        "geocoded": n_geo,
        "exact_id_accuracy": round(n_exact / n_with_id, 4) if n_with_id else None,
        "country_accuracy": round(n_country / n_with_country, 4) if n_with_country else None,
        "within_161km": round(n_close / n_geo, 4) if n_geo else None,
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
        "scored_with_id": n_with_id,
        "scored_with_country": n_with_country,
    }
