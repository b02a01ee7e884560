"""The dashboard in headless Chromium, served on 127.0.0.1 with the demo articles.

Needs Debian's ``chromium`` (``make test`` installs it when missing and run as root); skipped with
the reason otherwise. Uses Chromium's own --dump-dom and --screenshot: no driver, no network.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from api_news import SCRIPT_TITLE, gao_extraction, news_extractions, wire_gao_extraction

from eventwire.api import create_app
from eventwire.config import Settings
from eventwire.ingest import read_inputs
from eventwire.ingest_run import ingest_articles
from eventwire.merge import merge_pending
from eventwire.pipeline import Extractor
from eventwire.store import MentionFilter, Store
from eventwire.store.events import event_mentions, list_events

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,900",
    "--virtual-time-budget=15000",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """The demo corpus (examples/) ingested with the real pipeline, plus hand-written news
    including an article whose title and body carry script tags, served by uvicorn."""
    folder = tmp_path_factory.mktemp("dash")
    store = Store.open(f"sqlite:///{folder / 'demo.db'}")
    settings = Settings(db=store.url)
    ingest_articles(read_inputs([str(REPO / "examples")]), store, settings, extractor=Extractor(settings))
    for extraction in news_extractions():
        store.save(extraction)
    merge_pending(store)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(10)
    store.close()


def chromium(url: str, tmp: Path, *extra: str) -> str:
    profile = tmp / f"profile-{time.monotonic_ns()}"
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_overview_shows_markers_timeline_and_table(server: tuple[str, Store], tmp_path: Path) -> None:
    base, _ = server
    dom = chromium(base + "/", tmp_path, "--dump-dom")
    assert 'data-ready="overview"' in dom, dom[-3000:]
    markers = len(re.findall(r'class="[^"]*(?:event-marker|marker-cluster)', dom))
    assert markers >= 3
    assert len(re.findall(r'class="tl-bar"', dom)) >= 3
    assert dom.count('<tr data-id="') >= 5
    assert 'class="leaflet-interactive"' in dom or "<path" in dom  # the world base map is drawn
    # untrusted text is never run: the page title is untouched and no article markup is live
    assert "<script>alert(" not in dom and "<title>eventwire</title>" in dom


def test_event_page_highlights_every_source_sentence(server: tuple[str, Store], tmp_path: Path) -> None:
    base, store = server
    wire, sahel = wire_gao_extraction().article.id, gao_extraction().article.id
    events = [(e, event_mentions(store, e["id"])) for e in list_events(store, MentionFilter(limit=None))]
    (event, members) = next((e, ms) for e, ms in events if wire in {m["article_id"] for m in ms})
    assert sahel in {m["article_id"] for m in members}  # the rewrite joined the first report's event
    dom = chromium(f"{base}/#/event/{event['id']}", tmp_path, "--dump-dom")
    assert 'data-ready="event"' in dom, dom[-3000:]
    assert dom.count('<article class="mention"') == len(members)
    for role, value in [
        ("trigger", "ambushed"),
        ("actor1", "Suspected jihadist fighters"),
        ("actor1", "Islamist militants"),
        ("actor2", "a Malian army convoy"),
        ("actor2", "an army convoy"),
        ("place", "Gao"),
        ("date", "on Monday"),
    ]:
        assert re.search(rf'<mark class="hl-{role}"[^>]*>{re.escape(value)}</mark>', dom), (role, value)
    for member in members:
        assert f'href="#/article/{member["article_id"]}"' in dom


def test_article_with_script_tags_renders_as_text(server: tuple[str, Store], tmp_path: Path) -> None:
    base, store = server
    (strike,) = [m for m in store.list_mentions() if m["title"] == SCRIPT_TITLE]  # the mention listing
    dom = chromium(f"{base}/#/article/{strike['article_id']}", tmp_path, "--dump-dom")
    assert 'data-ready="article"' in dom, dom[-3000:]
    assert "&lt;script&gt;document.title='owned'&lt;/script&gt;" in dom
    assert "&lt;script&gt;alert('title')&lt;/script&gt;Shelling hits Kharkiv block" in dom
    assert "<title>eventwire</title>" in dom and '<img src="x"' not in dom
    assert "javascript:" not in dom  # the article's javascript: URL is not made a link


def test_screenshot_of_the_dashboard(server: tuple[str, Store], tmp_path: Path) -> None:
    base, _ = server
    shot = tmp_path / "dashboard.png"
    chromium(base + "/", tmp_path, f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    (REPO / "docs").mkdir(exist_ok=True)
    shutil.copyfile(shot, REPO / "docs" / "dashboard.png")
