"""The command line end to end on articles written for the project: extract, ingest, events, show."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from eventwire.cli import main

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["eventwire", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(ARTICLES, folder)
    return folder


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        return {n: con.execute(f"select count(*) from {n}").fetchone()[0] for n in names}


def test_extract_prints_the_contract(capsys, monkeypatch) -> None:
    code, out, _ = run(
        capsys, monkeypatch, "extract", str(ARTICLES / "sahel-convoy.txt"), "--published", "2025-03-04"
    )
    assert code == 0
    article = json.loads(out)["articles"][0]
    assert article["title"].startswith("Militants ambush army convoy")
    assert "ePaper" not in article["body"] and "All rights reserved" not in article["body"]
    assert article["published"] == "2025-03-04"
    assault = [
        m for m in article["mentions"] if m["type"] == "ASSAULT" and m["trigger"]["text"] == "ambushed"
    ]
    assert assault, [m["trigger"]["text"] for m in article["mentions"]]
    m = assault[0]
    assert m["actor2"]["id"] == "MLI-MIL"
    assert m["fatalities"] == 9
    assert m["date"]["start"] == "2025-03-03"  # "on Monday", not the publication day
    assert m["place"]["country"] == "MLI"
    body = article["body"]
    for key in ("trigger", "actor2", "place", "date"):
        start, end = m[key]["span"]
        assert body[start:end] == m[key]["text"]
    threat = [m for m in article["mentions"] if m["type"] == "THREATEN"]
    assert len(threat) == 1
    in_threat = [
        x for x in article["mentions"] if x["sentence"] == threat[0]["sentence"] and x["type"] == "ASSAULT"
    ]
    assert in_threat == [], "'threatened to attack' is a threat, not an attack"
    speakers = {q["speaker"]["name"] for q in article["quotes"] if q["speaker"]}
    assert any("Souleymane Dembele" in s for s in speakers)


def test_extract_reads_stdin_as_jsonl(capsys, monkeypatch) -> None:
    record = {
        "id": "wire-1",
        "title": "Clashes",
        "text": (ARTICLES / "manila-protest.txt").read_text(),
        "published": "2025-06-06",
    }
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((json.dumps(record) + "\n").encode())))
    code, out, _ = run(capsys, monkeypatch, "extract", "-", "--format", "jsonl")
    assert code == 0
    article = json.loads(out.splitlines()[0])
    assert article["input_id"] == "wire-1"
    protest = [m for m in article["mentions"] if m["type"] == "PROTEST"]
    assert protest and protest[0]["acled"]["event_type"] == "Protests"


def test_ingest_twice_changes_nothing(capsys, monkeypatch, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    code, _, err = run(
        capsys, monkeypatch, "ingest", str(corpus), "--db", f"sqlite:///{db}", "--published", "2025-03-04"
    )
    assert code == 0 and "new 2" in err
    first = table_counts(db)
    assert first["articles"] == 2 and first["mentions"] > 0
    code, _, err = run(
        capsys, monkeypatch, "ingest", str(corpus), "--db", f"sqlite:///{db}", "--published", "2025-03-04"
    )
    assert code == 0 and "new 0" in err and "already stored 2" in err
    assert table_counts(db) == first


def test_bad_files_are_reported_and_the_rest_ingested(
    capsys, monkeypatch, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    db = tmp_path / "store.db"
    code, _, err = run(capsys, monkeypatch, "ingest", str(corpus), "--db", f"sqlite:///{db}")
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(lines) == 2
    assert any("empty.txt" in line and "empty" in line.split(":", 1)[1] for line in lines)
    assert any("photo.png" in line for line in lines)
    assert "new 2" in err and "errors 2" in err
    counts = table_counts(db)
    assert counts["articles"] == 2 and counts["ingest_errors"] == 2


def test_events_filters_and_formats(capsys, monkeypatch, corpus: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    run(capsys, monkeypatch, "ingest", str(corpus), "--db", db, "--published", "2025-03-04")
    code, out, _ = run(capsys, monkeypatch, "events", "--db", db, "--format", "json", "--country", "MLI")
    rows = json.loads(out)
    assert (
        code == 0
        and rows
        and all(
            "MLI" in {r.get("place_country"), r.get("actor1_country"), r.get("actor2_country")} for r in rows
        )
    )
    code, out, _ = run(capsys, monkeypatch, "events", "--db", db, "--format", "csv", "--type", "protest")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and {r["type"] for r in rows} == {"PROTEST"}
    assert any("Manila" in r["place_name"] for r in rows)
    code, out, _ = run(
        capsys, monkeypatch, "events", "--db", db, "--format", "json", "--near", "15.0,-2.6,80"
    )
    assert code == 0 and json.loads(out), "Douentza lies within 80 km of the point"
    code, out, _ = run(
        capsys, monkeypatch, "events", "--db", db, "--format", "json", "--near", "48.85,2.35,80"
    )
    assert code == 0 and json.loads(out) == []


def test_show_highlights_an_article(capsys, monkeypatch, corpus: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    run(
        capsys,
        monkeypatch,
        "ingest",
        str(corpus / "sahel-convoy.txt"),
        "--db",
        db,
        "--published",
        "2025-03-04",
    )
    code, out, _ = run(capsys, monkeypatch, "events", "--db", db, "--format", "json", "--mentions")
    article_id = json.loads(out)[0]["article_id"]
    code, out, _ = run(capsys, monkeypatch, "show", article_id[:8], "--db", db)
    assert code == 0 and "Douentza" in out and "ambushed" in out


def test_errors_are_one_line_with_a_hint(capsys, monkeypatch, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, monkeypatch, "events", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--since", "last tuesday"
    )
    assert code == 1
    assert err.splitlines()[0].startswith("error E010") and "--since" in err
    assert "hint:" in err and "Traceback" not in err
    code, _, err = run(capsys, monkeypatch, "show", "abcdef", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 1 and "Traceback" not in err
