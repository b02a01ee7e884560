"""Scores time-expression finding and resolution against gold normalised values.

Gold files are JSONL, one document a line: ``text``, ``published`` (ISO date, the anchor) and
``timexes``: ``[{"start": int, "end": int, "value": str}]`` where ``value`` is a TIMEX3-style
normalised value (TimeBank/TempEval convention): ``2017-02-17`` (day), ``2017-W07`` (ISO week),
``2017-02`` (month), ``2017-Q1``, ``2017`` (year), ``201`` (decade). Values that are not calendar
dates (durations ``P3D``, ``PRESENT_REF``, times of day) are counted for finding but not for
resolution.

Rules, so the figures can be read:
- a gold expression is *found* when a predicted span overlaps it;
- a found expression is *exact* when our range written as a TIMEX value equals the gold value;
- it is *contained* when the gold value's range lies within ours (a lenient score: "in December"
  resolved to the whole month contains a gold day).
"""

from __future__ import annotations

import json
import re
from calendar import monthrange
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from spacy.language import Language

from eventwire.dates import find_dates
from eventwire.errors import InputError
from eventwire.records import TimeRef

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")


def value_range(value: str) -> tuple[date, date] | None:
    """The calendar range a TIMEX3 value denotes, or None when it is not a calendar date."""
    value = value.strip()
    if m := _DAY.match(value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday, monday + timedelta(days=6)
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    if m := _QUARTER.match(value):
        year, q = int(m[1]), int(m[2])
        first = 3 * (q - 1) + 1
        return date(year, first, 1), date(year, first + 2, monthrange(year, first + 2)[1])
    if m := _YEAR.match(value):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    if m := _DECADE.match(value):
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
    return None


def timex_value(ref: TimeRef) -> str | None:
    """Our resolution written as a TIMEX3 value, when it is one calendar unit."""
    if ref.start is None or ref.end is None:
        return None
    start, end = ref.start, ref.end
    if start == end:
        return start.isoformat()
    if start.weekday() == 0 and end - start == timedelta(days=6):
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if start.day == 1 and end == date(start.year, start.month, monthrange(start.year, start.month)[1]):
        return f"{start.year}-{start.month:02d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return None


def evaluate_dates(path: Path, nlp: Language) -> dict[str, Any]:
    """Finding and resolution scores for one gold file."""
    gold_total = found = scorable = exact = contained = predicted = 0
    misses: Counter[str] = Counter()
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                published = date.fromisoformat(record["published"]) if record.get("published") else None
                timexes = record["timexes"]
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{lineno}: not a dates gold record ({exc})") from exc
            refs = find_dates(nlp(text), published, text=text)
            predicted += len(refs)
            for gold in timexes:
                gold_total += 1
                g_start, g_end, value = int(gold["start"]), int(gold["end"]), str(gold["value"])
                hit = next((r for r in refs if r.span[0] < g_end and g_start < r.span[1]), None)
                if hit is None:
                    misses["not found"] += 1
                    continue
                found += 1
                want = value_range(value)
                if want is None:
                    continue
                scorable += 1
                if timex_value(hit) == value:
                    exact += 1
                elif hit.start is None:
                    misses["found, left unresolved"] += 1
                else:
                    misses["found, other range"] += 1
                resolved = hit.start is not None and hit.end is not None
                if resolved and hit.start <= want[0] and want[1] <= hit.end:  # type: ignore[operator]
                    contained += 1
    return {
        "file": path.name,
        "gold_expressions": gold_total,
        "predicted": predicted,
        "recall": round(found / gold_total, 4) if gold_total else None,
        "resolvable_found": scorable,
        "exact_value_accuracy": round(exact / scorable, 4) if scorable else None,
        "contained_accuracy": round(contained / scorable, 4) if scorable else None,
        "errors": dict(misses.most_common()),
    }
