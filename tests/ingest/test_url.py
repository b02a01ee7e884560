"""URL inputs against a local HTTP server (127.0.0.1, never the internet)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire import __version__
from eventwire.errors import InputTooLarge
from eventwire.ingest import ReadOptions, read_inputs
from eventwire.ingest.url import FetchOptions, is_url, looks_like_url_list, parse_content_type, read_url

from .helpers import split

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Dock workers strike shuts Mombasa port | Harbour Daily</title>
<meta property="og:site_name" content="Harbour Daily">
<meta property="article:published_time" content="2025-04-14T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/business">Business</a></nav>
<article>
<h1>Dock workers strike shuts Mombasa port</h1>
<p>Thousands of dock workers walked off the job at Mombasa port on Monday, halting the loading of
ships in protest at a plan to lease terminals to a foreign operator, union leaders said.</p>
<p>"We will not let our jobs be sold," Simon Sang, secretary-general of the Dock Workers Union,
told a rally outside the port gates. Police stood by but did not intervene.</p>
<p>The Kenya Ports Authority said talks with the union would resume on Wednesday and that ships
had been diverted to Lamu in the meantime.</p>
</article>
<footer>© 2025 Harbour Daily. All rights reserved. | Subscribe | Advertise</footer>
</body></html>
"""
PLAIN = (
    "Curfew eased in Beni\n\n"
    "Authorities in Beni eased a night curfew on Sunday after two weeks without attacks on the town, "
    "the mayor said.\n\nMarkets reopened in the afternoon and taxi drivers returned to the main roads."
)
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Lakeside Tribune</title><link>http://tribune.example/</link><language>en</language>
<item><title>Ferry capsizes on Lake Kivu</title><link>http://tribune.example/ferry</link>
<guid>tribune-ferry-1</guid><pubDate>Tue, 15 Apr 2025 07:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>At least nine people drowned when a ferry carrying passengers and
bananas capsized on Lake Kivu on Monday evening, provincial officials said.</p>
<p>Rescuers pulled 31 survivors from the water near Kalehe.</p>]]></content:encoded></item>
<item><title>Kivu traders protest taxes</title><link>http://tribune.example/taxes</link>
<guid>tribune-taxes-2</guid><pubDate>Tue, 15 Apr 2025 09:00:00 GMT</pubDate>
<description>Traders in Bukavu closed their shops on Tuesday to protest against new market taxes,
saying they could no longer afford to pay both the province and the town.</description></item>
</channel></rss>
"""
LATIN1_PAGE = (
    "<html><head><title>Río Grande floods</title></head><body><article>"
    "<p>Floodwaters from the Río Grande forced the evacuation of 2,000 residents in Matamoros on "
    "Saturday, Mexico’s civil protection agency said.</p>"
    "<p>“The water came up to the windows,” said resident José Peña, who spent the night on a roof.</p>"
    "</article></body></html>"
).encode("cp1252")


@dataclass
class Served:
    base: str
    hits: dict[str, int] = field(default_factory=dict)
    agents: list[str] = field(default_factory=list)


def _handler(state: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            return

        def _send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", headers.pop("length", str(len(body))))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            state.hits[path] = state.hits.get(path, 0) + 1
            state.agents.append(self.headers.get("User-Agent", ""))
            if path == "/story.html":
                self._send(200, PAGE.encode(), "text/html; charset=utf-8")
            elif path == "/moved":
                self._send(301, b"", "text/html", Location="/story.html")
            elif path == "/plain":
                self._send(200, PLAIN.encode(), "text/plain; charset=utf-8")
            elif path == "/feed":
                self._send(200, FEED.encode(), "application/rss+xml")
            elif path == "/wire.jsonl":
                lines = [
                    {
                        "id": "w1",
                        "title": "Strike ends",
                        "text": PLAIN.split("\n\n", 1)[1],
                        "published": "2025-04-16",
                    },
                    {"id": "w2"},
                ]
                body = "\n".join(json.dumps(line) for line in lines).encode()
                self._send(200, body, "application/x-ndjson")
            elif path == "/untyped":
                self._send(200, PAGE.encode(), None)
            elif path == "/latin1":
                self._send(200, LATIN1_PAGE, "text/html; charset=ISO-8859-1")
            elif path == "/flaky":
                if state.hits[path] < 3:
                    self._send(503, b"busy", "text/plain", Retry_After="0")
                else:
                    self._send(200, PAGE.encode(), "text/html")
            elif path == "/down":
                self._send(502, b"bad gateway", "text/plain")
            elif path == "/slow":
                time.sleep(1.0)
                self._send(200, PAGE.encode(), "text/html")
            elif path == "/huge-declared":
                self._send(200, b"<html></html>", "text/html", length="50000000")
            elif path == "/huge-streamed":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()  # no length: the client must count
                try:
                    for _ in range(200):
                        self.wfile.write(b"<p>" + b"x" * 16_000 + b"</p>\n")
                except (BrokenPipeError, ConnectionResetError):
                    return
            elif path == "/photo.jpg":
                self._send(200, b"\xff\xd8\xff\xe0" + bytes(500), "image/jpeg")
            elif path == "/disguised":
                self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(500), "text/html")
            else:
                self._send(404, b"not found", "text/plain")

    return Handler


@pytest.fixture
def server() -> Iterator[Served]:
    state = Served(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


FAST = FetchOptions(read_timeout=0.3, connect_timeout=1.0, retries=2, backoff=0.01)


def read(url: str, max_bytes: int = 1_000_000, fetch_options: FetchOptions = FAST) -> tuple[list, list]:
    return split(read_url(url, ReadOptions(max_bytes=max_bytes), fetch_options=fetch_options))


def test_a_page_url_is_fetched_and_read_as_html(server: Served) -> None:
    (article,), failures = read(f"{server.base}/story.html")
    assert failures == []
    assert article.title == "Dock workers strike shuts Mombasa port"
    assert article.outlet == "Harbour Daily"
    assert article.published == date(2025, 4, 14)
    assert article.url == f"{server.base}/story.html"
    assert article.input_id == f"{server.base}/story.html"
    assert article.body.startswith("Thousands of dock workers walked off the job")
    assert "Subscribe" not in article.body and "Home" not in article.body
    assert server.agents == [f"eventwire/{__version__} (+https://github.com/eventwire)"]


def test_redirects_are_followed_and_the_final_url_kept(server: Served) -> None:
    (article,), _ = read(f"{server.base}/moved")
    assert article.url == f"{server.base}/story.html"
    assert article.input_id == f"{server.base}/moved"


def test_the_content_type_chooses_the_reader(server: Served) -> None:
    (text,), _ = read(f"{server.base}/plain")
    assert text.title == "Curfew eased in Beni" and text.body.startswith("Authorities in Beni")
    articles, failures = read(f"{server.base}/feed")
    assert [a.input_id for a in articles] == ["tribune-ferry-1", "tribune-taxes-2"]
    assert articles[0].outlet == "Lakeside Tribune" and "Kalehe" in articles[0].body
    articles, failures = read(f"{server.base}/wire.jsonl")
    assert [a.input_id for a in articles] == ["w1"] and articles[0].published == date(2025, 4, 16)
    assert len(failures) == 1 and "w2" in failures[0].message
    (untyped,), _ = read(f"{server.base}/untyped")
    assert untyped.title == "Dock workers strike shuts Mombasa port"


def test_the_header_charset_decodes_the_page(server: Served) -> None:
    (article,), _ = read(f"{server.base}/latin1")
    assert "Río Grande" in article.body and "José Peña" in article.body
    assert "“The water came up to the windows,”" in article.body


def test_server_errors_are_retried_with_backoff(server: Served) -> None:
    (article,), failures = read(f"{server.base}/flaky")
    assert failures == [] and server.hits["/flaky"] == 3
    assert article.title.startswith("Dock workers")
    articles, (failure,) = read(f"{server.base}/down")
    assert articles == [] and server.hits["/down"] == 3
    assert failure.input_id == f"{server.base}/down"
    assert "HTTP 502" in failure.message and "3 tries" in failure.message


def test_a_slow_server_times_out(server: Served) -> None:
    articles, (failure,) = read(
        f"{server.base}/slow", fetch_options=FetchOptions(read_timeout=0.2, retries=1, backoff=0.01)
    )
    assert articles == [] and "timed out" in failure.message and "2 tries" in failure.message


def test_oversized_responses_are_refused(server: Served) -> None:
    _, (declared,) = read(f"{server.base}/huge-declared", max_bytes=100_000)
    assert declared.code == InputTooLarge.code and "50,000,000 bytes" in declared.message
    started = time.monotonic()
    _, (streamed,) = read(f"{server.base}/huge-streamed", max_bytes=100_000)
    assert streamed.code == InputTooLarge.code and "download stopped" in streamed.message
    assert time.monotonic() - started < 5


def test_missing_pages_and_non_articles_are_failures(server: Served) -> None:
    _, (missing,) = read(f"{server.base}/nothing-here")
    assert "HTTP 404" in missing.message and server.hits["/nothing-here"] == 1, "4xx is not retried"
    _, (photo,) = read(f"{server.base}/photo.jpg")
    assert "not a news document (content type image/jpeg)" in photo.message
    _, (disguised,) = read(f"{server.base}/disguised")
    assert "PNG image" in disguised.message


def test_unreachable_host_is_a_failure_not_a_crash() -> None:
    _, (failure,) = read("http://127.0.0.1:9/story", fetch_options=FetchOptions(retries=1, backoff=0.01))
    assert failure.input_id == "http://127.0.0.1:9/story" and "connection failed" in failure.message


def test_url_arguments_and_url_list_files_are_read(server: Served, tmp_path: Path) -> None:
    listing = tmp_path / "today.txt"
    listing.write_text(
        f"# morning links\n{server.base}/story.html\n\n{server.base}/plain\n{server.base}/gone\n"
    )
    results = list(read_inputs([str(listing), f"{server.base}/feed"]))
    articles, failures = split(results)
    assert [a.input_id for a in articles] == [
        f"{server.base}/story.html",
        f"{server.base}/plain",
        "tribune-ferry-1",
        "tribune-taxes-2",
    ]
    assert [f.input_id for f in failures] == [f"{server.base}/gone"]


def test_url_lists_are_recognised_by_content() -> None:
    assert looks_like_url_list("https://a.example/x\n\nhttp://b.example/y?z=1\n")
    assert looks_like_url_list("# saved links\nhttps://a.example/x\n")
    assert not looks_like_url_list("Read the story at https://a.example/x\nhttps://b.example/y\n")
    assert not looks_like_url_list("\n# nothing\n")
    assert is_url("https://news.example/2025/04/story.html") and not is_url("ftp://files.example/x")
    assert parse_content_type('text/html; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
