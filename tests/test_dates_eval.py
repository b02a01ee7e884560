"""`eventwire eval dates` on a small gold file written for the project."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from eventwire.dates_eval import evaluate_dates, timex_value, value_range
from eventwire.errors import InputError
from eventwire.records import TimeRef

TEXT = (
    "Rebels shelled the airport on Friday, the army said on Saturday. "
    "The rebels captured the town in December and have held it since 2015."
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-02-17", (date(2017, 2, 17), date(2017, 2, 17))),
        ("2017-W07", (date(2017, 2, 13), date(2017, 2, 19))),
        ("2016-12", (date(2016, 12, 1), date(2016, 12, 31))),
        ("2017-Q1", (date(2017, 1, 1), date(2017, 3, 31))),
        ("2015", (date(2015, 1, 1), date(2015, 12, 31))),
        ("199", (date(1990, 1, 1), date(1999, 12, 31))),
        ("P3D", None),
        ("PRESENT_REF", None),
    ],
)
def test_value_ranges(value: str, expected: tuple[date, date] | None) -> None:
    assert value_range(value) == expected


def test_timex_value_round_trips_calendar_units() -> None:
    for value in ("2017-02-17", "2017-W07", "2016-12", "2015"):
        start, end = value_range(value)  # type: ignore[misc]
        assert timex_value(TimeRef("x", (0, 1), start, end, "day")) == value
    assert timex_value(TimeRef("since 2015", (0, 1), date(2015, 1, 1), date(2017, 2, 18), "year")) is None


def test_evaluate_dates_scores_a_gold_file(nlp: Language, tmp_path: Path) -> None:
    gold = {
        "text": TEXT,
        "published": "2017-02-18",
        "timexes": [
            {**dict(zip(("start", "end"), span(TEXT, "Friday"), strict=True)), "value": "2017-02-17"},
            {**dict(zip(("start", "end"), span(TEXT, "Saturday"), strict=True)), "value": "2017-02-18"},
            {**dict(zip(("start", "end"), span(TEXT, "December"), strict=True)), "value": "2016-12"},
            {**dict(zip(("start", "end"), span(TEXT, "the airport"), strict=True)), "value": "2017"},
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    scores = evaluate_dates(path, nlp)
    assert scores["gold_expressions"] == 4
    assert scores["recall"] == 0.75  # "the airport" is no time expression
    assert scores["exact_value_accuracy"] == 1.0
    assert scores["errors"] == {"not found": 1}


def test_bad_gold_line_names_the_file_and_line(nlp: Language, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        evaluate_dates(path, nlp)
