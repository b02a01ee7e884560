"""JSON Lines: keys and aliases, ids, a bad line that does not stop the rest, defaults."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from eventwire.ingest import ReadOptions, read_inputs, read_path
from eventwire.ingest.jsonl import read_jsonl

from .helpers import FIXTURES, paragraphs, split

DUMP = str(FIXTURES / "wire_dump.jsonl")


def test_bad_line_gives_one_failure_and_other_lines_come_through() -> None:
    articles, failures = split(read_path(DUMP, ReadOptions()))
    assert [a.input_id for a in articles] == ["kv-001", "kv-002", f"{DUMP}:4", "kv-006", "7"]
    assert [f.input_id for f in failures] == [f"{DUMP}:3", "kv-005"]
    bad_json, no_text = failures
    assert bad_json.message.startswith(f"{DUMP}:3: invalid JSON")
    assert "\n" not in bad_json.message
    assert no_text.message == f"{DUMP}:5 (id kv-005): record has no 'text' or 'body'"


def test_record_fields_and_aliases() -> None:
    articles, _ = split(read_path(DUMP, ReadOptions()))
    by_id = {a.input_id: a for a in articles}
    first = by_id["kv-001"]
    assert first.title == "Dam operator opens spillways as Kessel river rises"
    assert first.published == date(2021, 6, 3)
    assert first.outlet == "Kessel Valley Wire"
    assert first.url == "https://kvwire.example/2021/06/03/dam"
    assert first.author == "Per Ahlgren"
    # "Read more" and "Follow us" furniture at the end of the text is gone; the quote stays.
    assert paragraphs(first)[-1].startswith('"We are releasing water')
    assert "Follow us" not in first.body and "Read more" not in first.body
    second = by_id["kv-002"]  # "body", "date" and "source" instead of "text", "published", "outlet"
    assert second.published == date(2021, 6, 4)
    assert second.outlet == "Lakeside Gazette"
    assert second.body.startswith("Hundreds of farmers blocked the main highway")


def test_html_body_entities_and_unreadable_date_are_handled() -> None:
    articles, _ = split(read_path(DUMP, ReadOptions(published=date(2021, 6, 6))))
    seventh = next(a for a in articles if a.input_id == "7")
    assert paragraphs(seventh) == [
        "Police arrested two men after fans of rival clubs clashed outside the Lund stadium on Saturday "
        "night, a police spokeswoman said.",
        "Three people were treated for minor injuries. The match between Lund FC & Arvik United ended 1-1.",
    ]
    assert seventh.outlet == "Lund Sports Daily"  # from {"source": {"name": ...}}
    assert seventh.published == date(2021, 6, 6)  # "last Saturday" is unreadable: the default fills in
    assert seventh.errors == ["unreadable published date 'last Saturday'; default used"]


def test_record_metadata_wins_and_defaults_fill_gaps() -> None:
    records = read_inputs([DUMP], published=date(2000, 1, 1), outlet="Fallback Wire")
    articles, _ = split(records)
    by_id = {a.input_id: a for a in articles}
    assert by_id["kv-001"].outlet == "Kessel Valley Wire"
    assert by_id["kv-001"].published == date(2021, 6, 3)
    assert by_id[f"{DUMP}:4"].outlet == "Fallback Wire"
    assert by_id[f"{DUMP}:4"].published == date(2021, 6, 5)  # from an ISO timestamp with Z


def test_non_english_record_is_kept_and_marked() -> None:
    articles, _ = split(read_path(DUMP, ReadOptions()))
    spanish = next(a for a in articles if a.input_id == "kv-006")
    assert spanish.language == "es"
    assert {a.language for a in articles if a.input_id != "kv-006"} == {"en"}


def test_json_array_and_pretty_printed_object_are_read() -> None:
    record = {
        "id": "arr-1",
        "title": "Curfew lifted in Orsk",
        "text": "Authorities lifted a night curfew in Orsk on Sunday after a week without unrest.",
    }
    array = json.dumps([record, {**record, "id": "arr-2"}], indent=2)
    assert [a.input_id for a in read_jsonl(array, "dump.json", ReadOptions())] == ["arr-1", "arr-2"]
    pretty = json.dumps(record, indent=2)
    [article] = read_jsonl(pretty, "one.json", ReadOptions())
    assert article.title == "Curfew lifted in Orsk"


def test_non_object_line_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = {"text": "Authorities lifted a night curfew in Orsk on Sunday after a week without unrest."}
    path.write_text(f'\n{json.dumps(good)}\n\n[1, 2, 3]\n"just a string"\n', encoding="utf-8")
    articles, failures = split(read_path(str(path), ReadOptions()))
    assert [a.input_id for a in articles] == [f"{path}:2"]
    assert [f.message for f in failures] == [
        f"{path}:4: line is a JSON list, not an object",
        f"{path}:5: line is a JSON str, not an object",
    ]


def test_latin1_line_in_utf8_dump_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    good = json.dumps(
        {"id": "u", "text": "Zoë Faure chaired the talks in Geneva on Tuesday, officials said."},
        ensure_ascii=False,
    )
    legacy = json.dumps(
        {"id": "l", "text": "José Ruiz said the café in São Miguel was closed by police."}, ensure_ascii=False
    )
    path.write_bytes(good.encode("utf-8") + b"\n" + legacy.encode("cp1252") + b"\n")
    articles, failures = split(read_path(str(path), ReadOptions()))
    assert not failures
    assert articles[1].body == "José Ruiz said the café in São Miguel was closed by police."
