"""Write endpoints, API keys, access control and request limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_news import FOLLOW_UP_GAO_BODY, follow_up_mentions, news_extractions
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from eventwire.api import ApiConfig, create_app
from eventwire.cli import app as cli_app
from eventwire.keys import KeyStore
from eventwire.pipeline import Extractor
from eventwire.records import Article, Extraction
from eventwire.store import Store
from eventwire.store.events import MergeStateRow

NIGER_TEXT = (
    "NIAMEY, Niger — Gunmen on motorcycles attacked a village in western Niger's Tillaberi region on "
    "Saturday, killing 17 civilians, the interior ministry said on Sunday.\n\n"
    "The assailants also burned granaries before fleeing toward the border with Mali, a local official "
    "told reporters. \u201cThey came at dawn and shot at everyone,\u201d said a resident who asked not to be "
    "named.\n\nThe government declared three days of national mourning."
)
COLOMBIA_HTML = (
    "<!doctype html><html><head><title>ELN rebels free kidnapped engineers in Arauca</title></head><body>"
    "<nav>Home | World | Sport</nav><article><h1>ELN rebels free kidnapped engineers in Arauca</h1>"
    "<p>BOGOTA — Colombia's ELN guerrilla group released two oil engineers it had kidnapped in the "
    "eastern province of Arauca last month, the ombudsman's office said on Wednesday.</p>"
    "<p>The men were handed over to a humanitarian commission near the border with Venezuela, "
    "officials said. The army had blamed the rebels for the abduction.</p></article>"
    "<footer>Subscribe to our newsletter</footer></body></html>"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


class RecodingExtractor:
    """Stands in for the spaCy extractor where the test is about what the API does with the
    result: it knows the hand-written articles, finds the follow-up story's ambush, and can be told
    to drop every mention of some types (as a changed coder would)."""

    def __init__(self) -> None:
        self.known = {x.article.body: x for x in news_extractions()}
        self.dropped: set[str] = set()

    def extract_one(self, article: Article) -> Extraction:
        if article.body == FOLLOW_UP_GAO_BODY:
            found = follow_up_mentions(article.body)
        else:
            found = list(self.known[article.body].mentions)
        return Extraction(article, [m for m in found if m.type not in self.dropped])

    def extract(self, articles: Iterator[Article]) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract_one(article)


def _gao(c: TestClient) -> dict:
    (found,) = [e for e in c.get("/api/events").json()["items"] if e["place_name"] == "Gao"]
    return found


@pytest.fixture()
def keyed(news_store: Store) -> tuple[KeyStore, str]:
    keys = KeyStore(news_store.engine)
    secret, _ = keys.create("tests")
    return keys, secret


@pytest.fixture()
def client(news_store: Store, extractor: Extractor) -> Iterator[TestClient]:
    app = create_app(news_store, ApiConfig(max_body_bytes=20_000), extractor_factory=lambda: extractor)
    with TestClient(app) as c:
        yield c


def test_keys_are_stored_hashed_and_revocable(news_store: Store) -> None:
    keys = KeyStore(news_store.engine)
    secret, listed = keys.create("newsroom importer")
    assert secret.startswith("ew_") and len(secret) > 40
    assert keys.verify(secret) and not keys.verify(secret + "x") and not keys.verify(None)
    with news_store.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_keys")) for v in row)
    assert secret not in stored and listed.prefix in stored
    assert keys.revoke(listed.id).revoked_at is not None
    assert not keys.verify(secret)
    assert [k.active for k in keys.list()] == [False]


def test_writes_need_a_valid_key(client: TestClient, keyed: tuple[KeyStore, str]) -> None:
    keys, secret = keyed
    post = lambda **h: client.post(  # noqa: E731
        "/api/articles", content=NIGER_TEXT, headers={"Content-Type": "text/plain", **h}
    )
    missing = post()
    assert missing.status_code == 401 and missing.headers["content-type"] == "application/problem+json"
    assert "X-API-Key" in missing.headers["www-authenticate"]
    assert post(**{"X-API-Key": "ew_guessed"}).status_code == 403
    assert client.post("/api/articles/abcdef/reprocess").status_code == 401
    keys.revoke(keys.list()[0].id)
    assert post(**{"X-API-Key": secret}).status_code == 403
    assert client.get("/api/events").status_code == 200  # reads stay public by default


def test_private_reads_need_a_key(news_store: Store, keyed: tuple[KeyStore, str]) -> None:
    _, secret = keyed
    with TestClient(create_app(news_store, ApiConfig(read_requires_key=True))) as c:
        assert c.get("/api/events").status_code == 401
        assert c.get("/api/timeline", headers={"X-API-Key": "ew_wrong"}).status_code == 403
        assert len(c.get("/api/events", headers={"X-API-Key": secret}).json()["items"]) == 5
        assert c.app.state.cache is None  # keyed reads are never answered from a shared cache


def test_request_limits(client: TestClient, keyed: tuple[KeyStore, str]) -> None:
    _, secret = keyed
    auth = {"X-API-Key": secret}
    big = client.post("/api/articles", content="x" * 30_000, headers={"Content-Type": "text/plain", **auth})
    assert big.status_code == 413 and big.json()["status"] == 413

    def streamed() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(30):
            yield b"y" * 1000

    chunked = client.post("/api/articles", content=streamed(), headers={"Content-Type": "text/plain", **auth})
    assert chunked.status_code == 413
    pdf = client.post(
        "/api/articles", content=b"%PDF-1.4", headers={"Content-Type": "application/pdf", **auth}
    )
    assert pdf.status_code == 415
    empty = client.post("/api/articles", content=b"  \n", headers={"Content-Type": "text/plain", **auth})
    assert empty.status_code == 400
    bad_json = client.post(
        "/api/articles", content=b"{not json", headers={"Content-Type": "application/json", **auth}
    )
    assert bad_json.status_code == 422 and bad_json.json()["errors"]


@pytest.mark.slow
def test_submit_text_html_and_json_then_reprocess(client: TestClient, keyed: tuple[KeyStore, str]) -> None:
    _, secret = keyed
    auth = {"X-API-Key": secret}
    r = client.post(
        "/api/articles",
        content=NIGER_TEXT.encode("utf-8"),
        params={"published": "2024-08-04", "outlet": "Wire Desk"},
        headers={"Content-Type": "text/plain; charset=utf-8", **auth},
    )
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["summary"]["new"] == 1 and result["summary"]["mentions"] >= 1
    (niger,) = result["articles"]
    stored = client.get(f"/api/articles/{niger['id']}").json()
    assert stored["published"] == "2024-08-04" and stored["outlet"] == "Wire Desk"
    assert stored["mentions"]
    for m in stored["mentions"]:  # every span the API returns points into the stored body
        start, end = m["trigger"]["span"]
        assert stored["body"][start:end] == m["trigger"]["text"]
    events = client.get("/api/events", params={"q": "motorcycles"}).json()["items"]
    assert events
    for e in events:
        members = client.get(f"/api/events/{e['id']}").json()["mentions"]
        assert niger["id"] in {m["article_id"] for m in members}

    again = client.post(
        "/api/articles",
        content=NIGER_TEXT,
        params={"outlet": "Sahel Monitor"},
        headers={"Content-Type": "text/plain", **auth},
    ).json()
    assert again["summary"]["new"] == 0 and again["summary"]["duplicates"] == 1
    assert len(client.get(f"/api/articles/{niger['id']}").json()["sources"]) == 2

    html = client.post("/api/articles", content=COLOMBIA_HTML, headers={"Content-Type": "text/html", **auth})
    assert html.status_code == 201
    (colombia,) = html.json()["articles"]
    assert colombia["title"] == "ELN rebels free kidnapped engineers in Arauca"
    body = client.get(f"/api/articles/{colombia['id']}").json()["body"]
    assert "Subscribe" not in body and "<p>" not in body and "Arauca" in body

    record = {
        "title": "Depositors storm bank branch",
        "text": "BEIRUT — Angry depositors stormed a bank "
        "branch in the Hamra district of Beirut on Tuesday, demanding their frozen savings, a "
        "security source said.",
        "url": "https://cedar.example.com/hamra",
        "date": "2024-09-10",
    }
    as_json = client.post(
        "/api/articles", content=json.dumps(record), headers={"Content-Type": "application/json", **auth}
    )
    assert as_json.status_code == 201 and as_json.json()["articles"][0]["title"] == record["title"]

    before = client.get(f"/api/articles/{niger['id']}").json()
    redo = client.post(f"/api/articles/{niger['id']}/reprocess", headers=auth)
    assert redo.status_code == 200, redo.text
    assert redo.json()["mentions_after"] == redo.json()["mentions_before"] == len(before["mentions"])
    after = client.get(f"/api/articles/{niger['id']}").json()
    assert after["sources"] == before["sources"] and after["mentions"] == before["mentions"]
    assert client.post("/api/articles/0123456789ab/reprocess", headers=auth).status_code == 404


def test_submitted_report_joins_its_event_and_reprocess_rewrites_events(
    news_store: Store, keyed: tuple[KeyStore, str]
) -> None:
    _, secret = keyed
    auth = {"X-API-Key": secret}
    coder = RecodingExtractor()
    with TestClient(create_app(news_store, extractor_factory=lambda: coder)) as c:
        before = _gao(c)
        assert before["n_mentions"] == 2 and c.get("/api/events", params={"type": "COERCE"}).json()["items"]
        posted = c.post(
            "/api/articles",
            content=FOLLOW_UP_GAO_BODY,
            params={"published": "2024-03-15", "outlet": "Niger Valley Radio"},
            headers={"Content-Type": "text/plain", **auth},
        )
        assert posted.status_code == 201, posted.text
        after = _gao(c)  # the cached listing was dropped when the write committed
        assert after["id"] == before["id"] and after["n_mentions"] == 3
        assert after["outlets"] == ["niger valley radio", "sahel monitor", "wire desk"]
        assert after["last_reported"] == "2024-03-15"

        # A coder that no longer codes tear gas as COERCE: reprocessing rewrites the events.
        beirut = next(x.article.id for x in news_extractions() if x.article.outlet == "Cedar Daily")
        coder.dropped = {"COERCE"}
        redo = c.post(f"/api/articles/{beirut}/reprocess", headers=auth)
        assert redo.status_code == 200, redo.text
        assert (redo.json()["mentions_before"], redo.json()["mentions_after"]) == (2, 1)
        assert c.get("/api/events", params={"type": "COERCE"}).json()["items"] == []
        assert [e["type"] for e in c.get("/api/events", params={"country": "LBN"}).json()["items"]] == [
            "PROTEST"
        ]
        # ... and an article whose mentions are all gone leaves the event it shared.
        wire = next(x.article.id for x in news_extractions() if x.article.outlet == "Wire Desk")
        coder.dropped = {"ASSAULT"}
        assert c.post(f"/api/articles/{wire}/reprocess", headers=auth).status_code == 200
        shrunk = _gao(c)
        assert shrunk["n_mentions"] == 2 and "wire desk" not in shrunk["outlets"]
        assert all(m["article_id"] != wire for m in c.get(f"/api/events/{shrunk['id']}").json()["mentions"])
    with news_store.engine.connect() as conn:  # merged again, not left pending
        state = dict(conn.execute(select(MergeStateRow.article_id, MergeStateRow.n_sources)).all())
    assert state[beirut] == 1 and state[wire] == 1


def test_cli_keys_create_list_revoke(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    created = runner.invoke(cli_app, ["keys", "create", "--name", "importer", "--db", db])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    assert secret.startswith("ew_")
    listed = runner.invoke(cli_app, ["keys", "list", "--db", db])
    assert "importer" in listed.stdout and secret not in listed.stdout
    assert runner.invoke(cli_app, ["keys", "revoke", "1", "--db", db]).exit_code == 0
    with Store.open(db) as store:
        assert not KeyStore(store.engine).verify(secret)
