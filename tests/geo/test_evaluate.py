"""evaluate_geo on a tiny gold file written here (the real gold sets live outside the repo)."""

from __future__ import annotations

import json

import pytest

from eventwire.geo.evaluate import evaluate_geo, haversine_km

pytestmark = pytest.mark.slow

TEXT = (
    "Rebels shelled Aleppo on Monday and clashed with troops near Homs, the monitoring group said. "
    "In Ankara, the foreign minister called for talks."
)


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_evaluate_scores_spans_ids_and_distances(tmp_path, resolver, nlp):
    toponyms = [
        # Correct id and point.
        {
            "start": _span("Aleppo")[0],
            "end": _span("Aleppo")[1],
            "geonameid": "170063",
            "lat": 36.20,
            "lon": 37.16,
        },
        # Gold deliberately 300 km away with another id: found, but wrong.
        {"start": _span("Homs")[0], "end": _span("Homs")[1], "geonameid": "1", "lat": 37.4, "lon": 39.0},
        # A gold toponym without coordinates is not scored.
        {
            "start": _span("monitoring")[0],
            "end": _span("group")[1],
            "geonameid": None,
            "lat": None,
            "lon": None,
        },
        {
            "start": _span("Ankara")[0],
            "end": _span("Ankara")[1],
            "geonameid": "323786",
            "lat": 39.92,
            "lon": 32.85,
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"text": TEXT, "toponyms": toponyms}) + "\n", encoding="utf-8")
    result = evaluate_geo(path, resolver, nlp)
    assert result["gold_toponyms"] == 3
    assert result["found"] == 3 and result["recall"] == 1.0
    assert result["precision"] == 1.0
    assert result["exact_id_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["within_161km"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["median_error_km"] < 20


def test_haversine_matches_a_known_distance():
    # Damascus to Beirut is about 85 km as the crow flies.
    assert 75 < haversine_km(33.51, 36.29, 33.89, 35.50) < 95
