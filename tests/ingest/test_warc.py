"""WARC files: pages become articles, the rest of a crawl is skipped, damage is reported."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.errors import InputTooLarge
from eventwire.ingest import ReadOptions, read_inputs

from .helpers import split

DATED_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Hospital workers strike in Lagos | Marina Courier</title>
<meta property="og:site_name" content="Marina Courier">
<meta property="article:published_time" content="2025-06-02T08:00:00+01:00">
</head><body><nav><a href="/">Home</a> | <a href="/metro">Metro</a></nav><article>
<h1>Hospital workers strike in Lagos</h1>
<p>Nurses and junior doctors at three public hospitals in Lagos stopped work on Monday, demanding
overdue salaries and better security after an assault on a colleague, their union said.</p>
<p>"We cannot keep treating patients while our own pay is months late," said Bisi Adeyemi, who
chairs the nurses' union at Lagos Island General Hospital.</p>
<p>The state health commissioner said the arrears would be paid by the end of the month and
urged the workers to return to their wards.</p>
</article><footer>© 2025 Marina Courier. All rights reserved.</footer></body></html>
"""
UNDATED_PAGE = """<html><head><title>Bridge reopens in Kisumu</title></head><body><div class="story">
<p>A bridge on the Kisumu-Busia highway reopened on Thursday, three weeks after floodwater
damaged its supports and cut off traffic between Kenya and Uganda, the roads agency said.</p>
<p>Truck drivers who had waited at the border for days cheered as the first lorries crossed.
"We lost a lot of money sitting here," said driver Peter Ouma.</p>
</div></body></html>
"""
PLAIN_NOTE = (
    "Power restored in Kampala\n\nElectricity returned to most of central Kampala on Friday evening "
    "after a fault at a substation left businesses without power for two days, Umeme said."
)


def _http(status: str, content_type: str) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def write_warc(
    path: Path, *, gzip: bool, extra: list[tuple[str, str, bytes, str, str]] | None = None
) -> None:
    """A small crawl: two pages, a request, an image, a redirect, a 404, robots.txt, a text resource."""
    records = [
        (
            "response",
            "https://marinacourier.example/metro/hospital-strike",
            DATED_PAGE.encode(),
            "200 OK",
            "text/html; charset=utf-8",
        ),
        ("request", "https://marinacourier.example/metro/hospital-strike", b"GET / HTTP/1.1\r\n\r\n", "", ""),
        (
            "response",
            "https://marinacourier.example/logo.png",
            b"\x89PNG\r\n\x1a\n" + bytes(100),
            "200 OK",
            "image/png",
        ),
        ("response", "https://lakeregion.example/news/bridge", UNDATED_PAGE.encode(), "200 OK", "text/html"),
        ("response", "https://lakeregion.example/old", b"", "301 Moved Permanently", "text/html"),
        (
            "response",
            "https://lakeregion.example/missing",
            b"<html>Not found</html>",
            "404 Not Found",
            "text/html",
        ),
        (
            "response",
            "https://lakeregion.example/robots.txt",
            b"User-agent: *\nDisallow: /admin\n",
            "200 OK",
            "text/plain",
        ),
        ("resource", "file:///notes/kampala-power.txt", PLAIN_NOTE.encode(), "", "text/plain"),
        *(extra or []),
    ]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for kind, uri, payload, status, content_type in records:
            headers = {"WARC-Date": "2025-06-05T12:00:00Z"}
            if kind == "response":
                record = writer.create_warc_record(
                    uri,
                    kind,
                    payload=io.BytesIO(payload),
                    length=len(payload),
                    http_headers=_http(status, content_type),
                    warc_headers_dict=headers,
                )
            elif kind == "request":
                record = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(payload), length=len(payload), warc_headers_dict=headers
                )
            else:
                headers["Content-Type"] = content_type
                record = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(payload), length=len(payload), warc_headers_dict=headers
                )
            writer.write_record(record)


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_pages_in_a_warc_become_articles(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, gzip=gzip)
    articles, failures = split(read_inputs([str(path)]))
    assert failures == []
    dated, undated, note = articles
    assert dated.title == "Hospital workers strike in Lagos" and dated.outlet == "Marina Courier"
    assert dated.published == date(2025, 6, 2), "the page's own date wins over the crawl date"
    assert dated.url == "https://marinacourier.example/metro/hospital-strike"
    assert dated.input_id == f"{path}#0"
    assert dated.body.startswith("Nurses and junior doctors") and "All rights reserved" not in dated.body
    assert undated.published == date(2025, 6, 5), "no date on the page: the crawl date stands in"
    assert any("WARC-Date" in e for e in undated.errors)
    assert undated.outlet == "lakeregion.example" and undated.url == "https://lakeregion.example/news/bridge"
    offset = int(undated.input_id.rsplit("#", 1)[1])
    assert offset > 0
    with path.open("rb") as handle:  # the id points at the record
        handle.seek(offset)
        head = handle.read(2)
    assert head == (b"\x1f\x8b" if gzip else b"WA")
    assert note.title == "Power restored in Kampala" and note.url == "file:///notes/kampala-power.txt"


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("keep", [0.5, 0.93])
def test_a_truncated_warc_gives_what_was_readable_and_one_failure(
    tmp_path: Path, gzip: bool, keep: float
) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzip=gzip)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: int(len(data) * keep)])
    articles, failures = split(read_inputs([str(cut)]))
    assert len(failures) == 1
    message = failures[0].message
    assert failures[0].input_id == str(cut)
    assert message.startswith(f"{cut}: WARC is damaged at byte ")
    assert "before it read" in message
    whole_articles, _ = split(read_inputs([str(whole)]))
    assert [a.body for a in articles] == [a.body for a in whole_articles[: len(articles)]]
    assert len(articles) < len(whole_articles)


def test_a_corrupt_payload_is_caught_by_its_digest(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    data = bytearray(path.read_bytes())
    at = data.index(b"Nurses and junior doctors")
    data[at : at + 6] = b"Nxrses"
    path.write_bytes(bytes(data))
    articles, failures = split(read_inputs([str(path)]))
    assert [f.input_id for f in failures] == [f"{path}#0"]
    assert "digest" in failures[0].message
    assert [a.title for a in articles] == ["Bridge reopens in Kisumu", "Power restored in Kampala"]


def test_garbage_after_a_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    path.write_bytes(path.read_bytes() + b"WARC/1.0\r\nthis is not a header\r\n\r\n")
    articles, failures = split(read_inputs([str(path)]))
    assert len(articles) == 3 and len(failures) == 1
    assert "WARC is damaged" in failures[0].message


def test_the_size_limit_applies_per_record(tmp_path: Path) -> None:
    big_page = (
        "<html><body>" + "<p>Padding paragraph about nothing in particular.</p>" * 400 + "</body></html>"
    ).encode()
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path, gzip=True, extra=[("response", "https://big.example/page", big_page, "200 OK", "text/html")]
    )
    limit = 12_000
    assert path.stat().st_size > limit * 0 and len(big_page) > limit
    articles, failures = split(read_inputs([str(path)], max_bytes=limit))
    assert len(articles) == 3, "a WARC larger than the limit is still read, record by record"
    (too_big,) = failures
    assert too_big.code == InputTooLarge.code and too_big.input_id.startswith(f"{path}#")
    assert "over the limit of 12,000 bytes" in too_big.message


def test_warcs_are_found_by_content_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "crawl-2025-06"
    folder.mkdir()
    write_warc(folder / "segment-00001", gzip=True)  # no extension: still a WARC, not "a gzip archive"
    (folder / "notes.txt").write_text(PLAIN_NOTE)
    articles, failures = split(read_inputs([str(folder)]))
    assert failures == []
    assert len(articles) == 4


def test_an_empty_warc_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc"
    path.write_bytes(b"WARC/1.0\r\n")
    articles, failures = split(read_inputs([str(path)], max_bytes=ReadOptions().max_bytes))
    assert articles == [] and len(failures) == 1


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_no_cut_point_crashes_or_passes_silently(tmp_path: Path, gzip: bool) -> None:
    """Cut anywhere: the readable records come out, and a cut inside a record is always reported."""
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzip=gzip)
    data = whole.read_bytes()
    bodies = [a.body for a in split(read_inputs([str(whole)]))[0]]
    boundaries = _record_boundaries(whole)
    cut = tmp_path / "cut.warc"
    for end in range(10, len(data), 89):
        cut.write_bytes(data[:end])
        articles, failures = split(read_inputs([str(cut)]))
        assert [a.body for a in articles] == bodies[: len(articles)], end
        at_boundary = any(end - 4 <= b <= end for b in boundaries)
        assert len(failures) == (0 if at_boundary else 1), (end, [f.message for f in failures])


def _record_boundaries(path: Path) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    ends = []
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for _ in records:
            ends.append(records.get_record_offset() + records.get_record_length())
    return ends


def test_a_cut_gzip_file_is_reported_once_wherever_it_is_cut(tmp_path: Path) -> None:
    """At every byte: a gzip member cut inside a page record once gave a digest failure for the record
    and a damage report for the file; the cut is one fault, so one report."""
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzip=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    doubled = []
    for end in range(10, len(data)):
        cut.write_bytes(data[:end])
        failures = split(read_inputs([str(cut)]))[1]
        if len(failures) > 1:
            doubled.append((end, [f.message for f in failures]))
    assert doubled == []
