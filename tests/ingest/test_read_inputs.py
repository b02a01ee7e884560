"""read_inputs: folders, sniffing, stdin, and one failure per unreadable input, never an exception."""

from __future__ import annotations

import builtins
import io
import json
import os
import random
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from eventwire.errors import InputTooLarge
from eventwire.ingest import READERS, ReadOptions, read_bytes, read_inputs, sniff_kind

from .helpers import FIXTURES, split

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
STORY = (
    "Curfew lifted in Orsk\n\n"
    "Authorities lifted a night curfew in Orsk on Sunday after a week without unrest, the governor said.\n\n"
    'Shops reopened in the old town. "People want normal life back," said shopkeeper Lena Vos.'
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder mixing kinds, with names that hide what the files hold."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "markup_in.txt", root / "a_page.txt")  # HTML in a .txt
    shutil.copy(FIXTURES / "plain_in.html", root / "b_story.html")  # plain text in an .html
    shutil.copy(FIXTURES / "records_without_extension", root / "records")  # JSONL, no extension
    (root / "sub" / "c.jsonl").write_text(json.dumps({"id": "c-1", "text": STORY.split("\n\n", 1)[1]}) + "\n")
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / "sub" / "photo.png").write_bytes(PNG)
    (root / ".hidden.txt").write_text(STORY)
    (root / "z_story.txt").write_text(STORY)
    return root


def test_folder_is_walked_in_sorted_order_with_readers_chosen_by_content(corpus: Path) -> None:
    results = list(read_inputs([str(corpus)]))
    ids = [r.input_id for r in results]
    assert ids == [
        f"{corpus}/a_page.txt",
        f"{corpus}/b_story.html",
        "ne-1",
        "ne-2",
        "c-1",
        f"{corpus}/sub/empty.txt",
        f"{corpus}/sub/photo.png",
        f"{corpus}/z_story.txt",
    ]
    articles, failures = split(results)
    titles = {a.input_id: a.title for a in articles}
    assert titles[f"{corpus}/a_page.txt"] == "Opposition calls for early election after budget defeat"
    assert titles[f"{corpus}/b_story.html"] == "Bank of Arvik holds rates steady"
    assert titles["ne-1"] == "Mayor of Arvik resigns"
    assert titles[f"{corpus}/z_story.txt"] == "Curfew lifted in Orsk"
    assert "<p>" not in "".join(a.body for a in articles)
    assert [f.message for f in failures] == [
        f"{corpus}/sub/empty.txt: file is empty",
        f"{corpus}/sub/photo.png: binary file (PNG image)",
    ]
    assert list(read_inputs([str(corpus)])) == results  # deterministic


def test_missing_path_and_good_file_in_one_call(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY)
    articles, failures = split(read_inputs([str(tmp_path / "missing.txt"), str(good)]))
    assert [f.message for f in failures] == [f"{tmp_path}/missing.txt: no such file or directory"]
    assert [a.input_id for a in articles] == [str(good)]


def test_unreadable_file_gives_permission_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(STORY)
    other = tmp_path / "other.txt"
    other.write_text(STORY)
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):  # root can read anything, so the refusal is simulated
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    articles, failures = split(read_inputs([str(locked), str(other)]))
    assert [f.message for f in failures] == [f"{locked}: permission denied"]
    assert [a.input_id for a in articles] == [str(other)]


def test_empty_whitespace_and_binary_files_fail_one_each(tmp_path: Path) -> None:
    (tmp_path / "1_empty.txt").write_bytes(b"")
    (tmp_path / "2_blank.txt").write_text("   \n\n\t \n")
    (tmp_path / "3_noise.bin").write_bytes(random.Random(3).randbytes(2048))
    (tmp_path / "4_image.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(64))
    (tmp_path / "5_story.txt").write_text(STORY)
    articles, failures = split(read_inputs([str(tmp_path)]))
    assert [a.title for a in articles] == ["Curfew lifted in Orsk"]
    messages = [f.message for f in failures]
    assert messages[0] == f"{tmp_path}/1_empty.txt: file is empty"
    assert messages[1] == f"{tmp_path}/2_blank.txt: file is empty (only whitespace)"
    assert messages[2].startswith(f"{tmp_path}/3_noise.bin: binary file")
    assert messages[3] == f"{tmp_path}/4_image.jpg: binary file (JPEG image)"
    assert all("\n" not in m for m in messages)


def test_file_over_limit_fails_by_size_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(20_000_001)  # sparse: the check must use the size, not read 20 MB
    small = tmp_path / "small.txt"
    small.write_text(STORY)
    articles, failures = split(read_inputs([str(big), str(small)]))
    [failure] = failures
    assert failure.code == InputTooLarge.code
    assert failure.message == (
        f"{big}: file is 20,000,001 bytes, over the limit of 20,000,000 bytes (max_bytes / --max-bytes)"
    )
    assert [a.input_id for a in articles] == [str(small)]
    _, failures = split(read_inputs([str(small)], max_bytes=100))
    assert "over the limit of 100 bytes" in failures[0].message


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(STORY))
    [article] = read_inputs(["-"], outlet="Orsk Daily", published=date(2024, 5, 5))
    assert article.input_id == "-"
    assert article.title == "Curfew lifted in Orsk"
    assert (article.outlet, article.published) == ("Orsk Daily", date(2024, 5, 5))


def test_stdin_binary_jsonl_streams_records(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        json.dumps({"text": "Authorities lifted a night curfew in Orsk on Sunday, the governor said."}),
        "{broken",
        json.dumps({"id": "s-3", "text": "Shops reopened in the old town of Orsk on Monday, traders said."}),
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode("utf-8"))))
    results = list(read_inputs(["-"]))
    assert [r.input_id for r in results] == ["-:1", "-:2", "s-3"]
    assert results[1].message.startswith("-:2: invalid JSON")


def test_stdin_over_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(STORY))
    [failure] = read_inputs(["-"], max_bytes=50)
    assert failure.code == InputTooLarge.code
    assert failure.message == "-: input is over the limit of 50 bytes (max_bytes / --max-bytes)"


def test_pipe_inside_a_folder_is_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a_pipe")
    (tmp_path / "b.txt").write_text(STORY)
    articles, failures = split(read_inputs([str(tmp_path)]))
    [failure] = failures
    assert failure.message == f"{tmp_path}/a_pipe: not a regular file (pipe, socket or device)"
    assert [a.input_id for a in articles] == [f"{tmp_path}/b.txt"]


def test_a_crashing_reader_becomes_a_failure_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(text: str, input_id: str, options: ReadOptions) -> Iterator:
        raise RuntimeError("parser exploded")
        yield  # pragma: no cover - makes this a generator like the real readers

    monkeypatch.setitem(READERS, "html", crash)
    page = tmp_path / "a.html"
    shutil.copy(FIXTURES / "harbour_daily.html", page)
    text = tmp_path / "b.txt"
    text.write_text(STORY)
    articles, failures = split(read_inputs([str(tmp_path)]))
    assert [f.message for f in failures] == [
        f"{page}: the html reader failed (RuntimeError: parser exploded)"
    ]
    assert [a.input_id for a in articles] == [str(text)]


def test_read_bytes_reads_like_a_file() -> None:
    [article] = read_bytes(STORY.encode("utf-16"), "upload-7")
    assert article.input_id == "upload-7"
    assert article.title == "Curfew lifted in Orsk"
    [failure] = read_bytes(PNG, "upload-8")
    assert failure.message == "upload-8: binary file (PNG image)"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("\ufeff  <div class='story'><p>Police said.</p></div>", "html"),
        ("Title\n\n<p>one</p><p>two</p><br><p>three</p>", "html"),
        ('{"id": 1, "text": "x"}\n{"id": 2, "text": "y"}', "jsonl"),
        ('{broken line\n{"id": 2, "text": "y"}', "jsonl"),
        ('[\n  {"id": 1}\n]', "jsonl"),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        ("Police fired tear gas <and> rubber bullets, witnesses said.", "text"),
        ("{Braces} open this plain text story about Orsk.", "text"),
    ],
)
def test_sniff_kind(head: str, kind: str) -> None:
    assert sniff_kind(head) == kind
