"""Read endpoints over hand-written news and a 10,000-event store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from api_news import place, sentence_of, span
from fastapi.testclient import TestClient

from eventwire.api import ApiConfig, create_app
from eventwire.errors import ConfigError
from eventwire.merge import merge_pending
from eventwire.records import ActorRef, Article, Extraction, Mention, TimeRef, Trigger
from eventwire.store import Store, haversine_km
from eventwire.store.events import count_events, iter_events


@pytest.fixture()
def client(news_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(news_store)) as c:
        yield c


@pytest.fixture(scope="module")
def big_client(big_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(big_store, ApiConfig(max_page_size=1000))) as c:
        yield c


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["items"]]


def where(e: dict) -> tuple[str, str | None]:
    return e["type"], e["place_name"]


def listed(response) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return sorted(where(e) for e in response.json()["items"])


def ambush_event(client: TestClient) -> dict:
    (found,) = [e for e in client.get("/api/events").json()["items"] if e["place_name"] == "Gao"]
    return found


def test_events_are_canonical_and_listed_newest_first(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["kind"] == "event" and body["next_cursor"] is None
    # Six mentions in four articles, but the Gao ambush is told by two outlets: five happenings.
    assert [(e["date"], e["place_name"]) for e in body["items"]] == [
        ("2024-06-20", "Kharkiv"),
        ("2024-05-02", "Beirut"),
        ("2024-05-02", "Beirut"),
        ("2024-03-11", "Gao"),
        ("2024-03-09", "Ansongo"),
    ]
    ambush = body["items"][3]
    assert ambush["id"].startswith("ev_") and ambush["type"] == "ASSAULT"
    assert ambush["mentions"] == ambush["n_mentions"] == 2
    assert ambush["n_articles"] == 2 and ambush["outlets"] == ["sahel monitor", "wire desk"]
    assert ambush["actor2_name"] == "Military Forces of Mali"
    # 12 and 14 are reported once each; the tie goes to the higher, later figure, the range is kept
    assert (ambush["fatalities"], ambush["fatalities_min"], ambush["fatalities_max"]) == (14, 12, 14)
    assert "box_south" not in ambush and "window_start" not in ambush


def test_events_filter_like_the_cli(client: TestClient) -> None:
    get = lambda **p: client.get("/api/events", params=p)  # noqa: E731
    assert listed(get(country="mli")) == [("ASSAULT", "Ansongo"), ("ASSAULT", "Gao")]
    assert listed(get(type="coerce")) == [("COERCE", "Beirut")]
    assert listed(get(actor="police forces")) == [("COERCE", "Beirut")]
    assert listed(get(actor="jihadist")) == [("ASSAULT", "Gao")]
    assert listed(get(since="2024-05-01", until="2024-05-31")) == [
        ("COERCE", "Beirut"),
        ("PROTEST", "Beirut"),
    ]
    assert listed(get(until="2024-03-10")) == [("ASSAULT", "Ansongo")]
    # within 50 km of Bamako: nothing; within 50 km of Gao: the ambush only (Ansongo is ~90 km away)
    assert listed(get(near="12.64,-8.0,50")) == []
    near_gao = get(near="16.27,-0.04,50").json()["items"]
    assert [where(e) for e in near_gao] == [("ASSAULT", "Gao")] and near_gao[0]["distance_km"] < 5
    assert listed(get(bbox="30,30,40,52")) == [
        ("ASSAULT", "Kharkiv"),
        ("COERCE", "Beirut"),
        ("PROTEST", "Beirut"),
    ]


def test_text_search_reaches_every_member_sentence_and_headline(client: TestClient) -> None:
    get = lambda q: listed(client.get("/api/events", params={"q": q}))  # noqa: E731
    assert get("TEAR GAS") == [("COERCE", "Beirut")]
    assert get("depositors rally") == [("COERCE", "Beirut"), ("PROTEST", "Beirut")]  # the headline
    # only the second outlet's sentence says "Islamist militants": it still finds the merged event
    assert get("islamist militants") == [("ASSAULT", "Gao")]
    assert get("100%_") == []  # LIKE wildcards are matched literally


def test_bbox_across_the_antimeridian(client: TestClient) -> None:
    # west 170, east -170 covers the Pacific only: none of the stored places
    assert ids(client.get("/api/events", params={"bbox": "170,-60,-170,60"})) == []
    assert len(ids(client.get("/api/events", params={"bbox": "-10,-60,-170,60"}))) == 5


def test_event_page_shows_every_source_sentence_highlighted(client: TestClient) -> None:
    data = client.get(f"/api/events/{ambush_event(client)['id']}").json()
    assert data["event"]["n_outlets"] == 2
    assert [m["outlet"] for m in data["mentions"]] == ["Sahel Monitor", "Wire Desk"]
    for mention in data["mentions"]:
        roles = {h["role"]: h for h in mention["highlights"]}
        assert set(roles) == {"trigger", "actor1", "actor2", "place", "date"}
        for h in roles.values():
            assert mention["sentence"][h["start"] : h["end"]] == h["text"]
        assert roles["trigger"]["text"] == "ambushed" and roles["place"]["text"] == "Gao"
        assert roles["date"]["text"] == "on Monday"
    first, second = data["mentions"]  # in reporting order
    assert roles["actor1"]["text"] == "Islamist militants" and second["published"] == "2024-03-13"
    assert sorted(m["rule"].split(";")[0] for m in data["mentions"])[0].startswith("across articles: type")
    assert any(m["rule"].startswith("seed") for m in data["mentions"])
    assert {s["outlet"] for s in data["sources"]} == {"Sahel Monitor", "Wire Desk"}
    assert {s["article_id"] for s in data["sources"]} == {first["article_id"], second["article_id"]}


def test_value_stated_in_another_sentence_is_not_highlighted_out_of_place(client: TestClient) -> None:
    (fired,) = client.get("/api/events", params={"type": "COERCE"}).json()["items"]
    (mention,) = client.get(f"/api/events/{fired['id']}").json()["mentions"]
    place = next(h for h in mention["highlights"] if h["role"] == "place")
    assert place["text"] == "Beirut" and place["start"] is None  # "Beirut" is in the sentence before
    assert "Beirut" not in mention["sentence"]


def test_mentions_stay_listed_with_their_event(client: TestClient) -> None:
    body = client.get("/api/mentions").json()
    assert body["kind"] == "mention" and len(body["items"]) == 6
    ambush = ambush_event(client)["id"]
    members = [m for m in body["items"] if m["event_id"] == ambush]
    assert sorted(m["outlet"] for m in members) == ["Sahel Monitor", "Wire Desk"]
    detail = client.get(f"/api/mentions/{members[0]['id']}").json()
    assert detail["event_id"] == ambush and detail["trigger"] == "ambushed"
    assert detail["sources"][0]["outlet"] == members[0]["outlet"]
    assert client.get("/api/mentions", params={"type": "PROTEST"}).json()["items"][0]["trigger"] == "gathered"


def test_unknown_event_mention_and_article_are_404_problems(client: TestClient) -> None:
    for url in (
        "/api/events/ev_00000000000000000000",
        "/api/events/no-such-event",
        "/api/mentions/0000000000000000:0",
        "/api/articles/ffffffffffff",
    ):
        r = client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["status"] == 404 and r.json()["detail"]


def test_article_with_script_tags_comes_back_as_plain_text(client: TestClient) -> None:
    listed = client.get("/api/articles", params={"q": "kharkiv"}).json()["items"]
    assert [a["title"] for a in listed] == ["<script>alert('title')</script>Shelling hits Kharkiv block"]
    r = client.get(f"/api/articles/{listed[0]['id']}")
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert "<script>document.title='owned'</script>" in body["body"]
    assert body["mentions"][0]["trigger"]["text"] == "struck"
    start, end = body["places"][0]["span"]
    assert body["body"][start:end] == "Kharkiv"


def test_dashboard_never_injects_markup_and_loads_nothing_remote(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert "http://" not in html.replace('"http://www.w3.org', "") and "https://" not in html
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script
    for asset in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/static/vendor/topojson-client/topojson-client.min.js",
        "/static/vendor/world-atlas/countries-110m.json",
    ):
        assert client.get(asset).status_code == 200, asset


def test_docs_and_openapi_work_offline(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs and "cdn.jsdelivr" not in docs
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/geojson",
        "/api/timeline",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/reprocess",
        "/api/actors",
        "/api/places",
        "/api/quotes",
    ):
        assert path in paths


def test_actors_places_and_quotes(client: TestClient) -> None:
    actors = client.get("/api/actors").json()["items"]
    names = {a["name"]: a["mentions"] for a in actors}
    assert names["Military Forces of Mali"] == 2 and names["Protesters"] == 1  # two outlets name the army
    assert [a["name"] for a in client.get("/api/actors", params={"q": "police"}).json()["items"]] == [
        "Police Forces of Lebanon"
    ]
    places = client.get("/api/places", params={"country": "MLI"}).json()["items"]
    assert sorted(p["name"] for p in places) == ["Ansongo", "Gao"]
    quotes = client.get("/api/quotes", params={"speaker": "dembele"}).json()["items"]
    assert [q["text"] for q in quotes] == ["Our forces repelled the assailants,"]
    assert client.get("/api/quotes", params={"speaker": "nobody"}).json()["items"] == []


def test_timeline_counts_by_day_week_and_month(client: TestClient) -> None:
    day = client.get("/api/timeline").json()
    assert {s["start"]: s["total"] for s in day["series"]} == {
        "2024-03-09": 1,
        "2024-03-11": 1,
        "2024-05-02": 2,
        "2024-06-20": 1,
    }
    week = client.get("/api/timeline", params={"bucket": "week"}).json()
    # 9 March 2024 is a Saturday (week of 4 March), 11 March a Monday
    assert {s["start"]: s["total"] for s in week["series"]} == {
        "2024-03-04": 1,
        "2024-03-11": 1,
        "2024-04-29": 2,
        "2024-06-17": 1,
    }
    month = client.get("/api/timeline", params={"bucket": "month", "country": "LBN"}).json()
    assert month["series"] == [{"start": "2024-05-01", "total": 2, "types": {"COERCE": 1, "PROTEST": 1}}]
    assert day["types"] == {"ASSAULT": 3, "PROTEST": 1, "COERCE": 1}


def test_geojson_points_carry_type_and_mentions(client: TestClient) -> None:
    r = client.get("/api/geojson", params={"type": "ASSAULT"})
    assert r.headers["content-type"] == "application/geo+json"
    data = r.json()
    assert data["type"] == "FeatureCollection" and not data["truncated"]
    coords = sorted(tuple(f["geometry"]["coordinates"]) for f in data["features"])
    assert coords == [(-0.0447, 16.2717), (0.5022, 15.6597), (36.2527, 49.9808)]
    sizes = {f["properties"]["place"]: f["properties"]["mentions"] for f in data["features"]}
    assert sizes == {"Gao": 2, "Ansongo": 1, "Kharkiv": 1}  # the map sizes markers by this
    assert client.get("/api/geojson", params={"limit": 1}).json()["truncated"] is True


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/events?since=last-tuesday", 422, "since"),
        ("/api/events?since=2024-05-01&until=2024-04-01", 400, "after until"),
        ("/api/events?near=16.2,-0.04", 400, "near"),
        ("/api/events?near=95,0,10", 400, "latitude"),
        ("/api/events?near=16,0,-5", 400, "positive"),
        ("/api/events?near=nan,0,5", 400, "near"),
        ("/api/events?bbox=10,50,20,40", 400, "bbox"),
        ("/api/events?limit=0", 422, "limit"),
        ("/api/events?limit=100000", 422, "limit"),
        ("/api/events?sort=fatalities", 422, "sort"),
        ("/api/events?cursor=not-a-cursor", 400, "cursor"),
        ("/api/events?cursor=WzEsMiwzXQ", 400, "cursor"),
        ("/api/events?cursor=WyIyMDI0LTAzLTExIiwiYWJjIiwxXQ", 400, "cursor"),  # a mention cursor
        ("/api/events?cursor=WyIyMDI0LTEzLTAxIiwiZXYiXQ", 400, "cursor"),  # month 13
        ("/api/mentions?cursor=WyIyMDI0LTAzLTExIiwiZXYiXQ", 400, "cursor"),  # an event cursor
        ("/api/mentions?limit=0", 422, "limit"),
        ("/api/events?country=SYRIA", 422, "country"),
        ("/api/timeline?bucket=year", 422, "bucket"),
        ("/api/geojson?limit=-1", 422, "limit"),
        ("/api/quotes?cursor=%%%", 400, "cursor"),
        ("/api/nowhere", 404, "Not Found"),
    ],
)
def test_bad_parameters_are_4xx_problem_details(
    client: TestClient, url: str, status: int, fragment: str
) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == status and problem["title"]
    assert fragment.lower() in problem["detail"].lower()


def test_pagination_walks_10000_events_once_each_in_order(big_client: TestClient, big_store: Store) -> None:
    total = count_events(big_store)
    assert total >= 10_000
    for sort in ("-date", "date"):
        seen: list[str] = []
        keys: list[tuple[str, str]] = []
        cursor = None
        pages = 0
        while True:
            params = {"limit": 700, "sort": sort} | ({"cursor": cursor} if cursor else {})
            body = big_client.get("/api/events", params=params).json()
            seen += [e["id"] for e in body["items"]]
            keys += [(e["date"], e["id"]) for e in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == total and len(set(seen)) == total
        assert pages == -(-total // 700)
        assert keys == sorted(keys, reverse=(sort == "-date"))


def test_pagination_with_radius_matches_a_full_scan(big_client: TestClient, big_store: Store) -> None:
    lat, lon, km = 31.0, 31.5, 300.0  # the Nile delta: Cairo, Giza and Alexandria, nothing else
    expected = {
        e["id"]
        for e in iter_events(big_store)
        if e["place_lat"] is not None and haversine_km(lat, lon, e["place_lat"], e["place_lon"]) <= km
    }
    assert 0 < len(expected) < 1_000
    seen: list[str] = []
    cursor = None
    while True:
        params = {"near": f"{lat},{lon},{km}", "limit": 50} | ({"cursor": cursor} if cursor else {})
        body = big_client.get("/api/events", params=params).json()
        seen += [e["id"] for e in body["items"]]
        assert all(e["distance_km"] <= km for e in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_filtered_pages_over_the_big_store(big_client: TestClient, big_store: Store) -> None:
    body = big_client.get(
        "/api/events", params={"country": "ind", "type": "PROTEST", "since": "2025-06-01", "limit": 1000}
    ).json()
    assert body["items"]
    for e in body["items"]:
        assert "IND" in (e["place_country"], e["actor1_country"], e["actor2_country"])
        assert e["type"] == "PROTEST" and e["date_end"] >= "2025-06-01"
    timeline = big_client.get("/api/timeline", params={"bucket": "month"}).json()
    assert sum(s["total"] for s in timeline["series"]) + timeline["undated"] == count_events(big_store)


def test_slow_query_is_cancelled_with_503(big_store: Store) -> None:
    app = create_app(big_store, ApiConfig(query_timeout_s=0.000_001))
    with TestClient(app) as c:
        r = c.get("/api/timeline", params={"q": "no such words anywhere"})
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert "took longer" in r.json()["detail"]


def test_undated_events_come_last_in_both_orders_and_pages_cross_to_them(news_store: Store) -> None:
    body = (
        "Unidentified gunmen shot dead a local councillor in Mosul, police sources said. The "
        "councillor had received threats for months, his family said."
    )
    from api_news import place, sentence_of, span

    from eventwire.records import Article, Extraction, Mention, Trigger

    undated = Mention(
        type="ASSAULT",
        trigger=Trigger("shot", span(body, "shot")),
        sentence=sentence_of(body, "shot"),
        place=place(body, "Mosul", 36.335, 43.1189, "IRQ"),
    )
    assert news_store.save(Extraction(Article(body, "Councillor killed in Mosul", "mosul.txt"), [undated]))
    merge_pending(news_store)
    with TestClient(create_app(news_store)) as c:
        for sort in ("-date", "date"):
            seen: list[dict] = []
            cursor = None
            while True:
                params = {"limit": 2, "sort": sort} | ({"cursor": cursor} if cursor else {})
                page = c.get("/api/events", params=params).json()
                seen += page["items"]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert len(seen) == 6 and seen[-1]["place_name"] == "Mosul" and seen[-1]["date"] is None
            assert len({e["id"] for e in seen}) == 6
        timeline = c.get("/api/timeline").json()
        assert timeline["undated"] == 1 and sum(s["total"] for s in timeline["series"]) == 5


def test_repeated_reads_come_from_the_cache_until_the_store_changes(news_store: Store) -> None:
    from api_news import place, sentence_of, span

    from eventwire.records import Article, Extraction, Mention, TimeRef, Trigger

    with TestClient(create_app(news_store)) as c:
        cache = c.app.state.cache
        first = c.get("/api/events", params={"country": "IRQ"}).json()["items"]
        assert first == [] and cache.hits == 0
        again = c.get("/api/events", params={"country": "IRQ"})
        assert again.json()["items"] == [] and cache.hits == 1 and again.headers["x-cache"] == "hit"
        assert again.headers["content-type"] == "application/json" and again.headers["x-content-type-options"]
        # A report ingested by another process commits to the same file: the next read sees it.
        body = (
            "MOSUL, Iraq — A roadside bomb hit a police patrol in western Mosul on Sunday, killing two "
            "officers, a police source said."
        )
        bomb = Mention(
            type="ASSAULT",
            trigger=Trigger("hit", span(body, "hit")),
            sentence=sentence_of(body, "hit"),
            place=place(body, "Mosul", 36.335, 43.1189, "IRQ"),
            date=TimeRef("on Sunday", span(body, "on Sunday"), date(2024, 7, 7), date(2024, 7, 7), "day"),
        )
        article = Article(
            body, "Bomb kills two police in Mosul", "mosul-bomb.txt", date(2024, 7, 8), "Tigris Post"
        )
        with Store.open(news_store.url) as other:
            assert other.save(Extraction(article, [bomb]))
            merge_pending(other)
        fresh = c.get("/api/events", params={"country": "IRQ"}).json()["items"]
        assert [(e["place_name"], e["date"]) for e in fresh] == [("Mosul", "2024-07-07")]
        assert cache.hits == 1
    with TestClient(create_app(news_store, ApiConfig(cache_bytes=0))) as c:
        assert c.app.state.cache is None and len(c.get("/api/events").json()["items"]) == 6


@pytest.mark.parametrize(
    ("params", "index", "sorts"),
    [
        ({}, "ix_canonical_events_listing", False),
        ({"sort": "date", "since": "2024-03-01"}, "ix_canonical_events_listing", False),
        ({"type": "assault", "actor": "jihad"}, "ix_canonical_events_type_listing", False),
        ({"near": "16.27,-0.04,50"}, "ix_canonical_events_place", True),  # a few events, then sorted
        ({"bbox": "-30,-40,60,70"}, "ix_canonical_events_listing", False),  # a continent: walk by date
        ({"country": "MLI"}, "ix_canonical_events_place_country", True),  # union of three lookups
    ],
)
def test_event_pages_are_read_through_the_listing_indexes(
    news_store: Store, params: dict[str, str], index: str, sorts: bool
) -> None:
    from sqlalchemy import text

    from eventwire.api import queries
    from eventwire.api.app import _Filters

    fields = dict.fromkeys(("since", "until", "country", "actor", "type", "near", "bbox", "q"))
    values = fields | {k: v for k, v in params.items() if k != "sort"}
    if values["since"]:
        values["since"] = date.fromisoformat(values["since"])
    stmt = queries.EVENTS.phase(_Filters(**values).query(), params.get("sort") == "date", True, None)
    with news_store.engine.connect() as conn:
        sql = str(stmt.limit(51).compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(row[3] for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert index in plan, plan
    assert ("TEMP B-TREE" in plan) == sorts, plan


def test_the_same_question_asked_at_once_is_read_from_the_database_once(news_store: Store) -> None:
    import asyncio

    import httpx
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if "FROM canonical_events" in statement:
            statements.append(statement)

    app = create_app(news_store)

    async def ask_together() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            return await asyncio.gather(
                *(http.get("/api/events", params={"type": "ASSAULT"}) for _ in range(20))
            )

    event.listen(news_store.engine, "before_cursor_execute", count)
    try:
        answers = asyncio.run(ask_together())
    finally:
        event.remove(news_store.engine, "before_cursor_execute", count)
    assert {r.status_code for r in answers} == {200}
    assert len({r.content for r in answers}) == 1 and len(answers[0].json()["items"]) == 3
    assert len(statements) == 2  # one page: the dated events, then the (empty) undated ones


SAO_PAULO_BODY = (
    "SÃO PAULO — Officers of the Polícia Militar fired rubber bullets at students protesting a "
    "fare rise on Avenida Paulista on Wednesday, Folha reported. The students' union said 14 "
    "protesters were hurt; the state security secretariat said it would review the footage."
)


def sao_paulo_extraction() -> Extraction:
    """A report whose actor, place and outlet are spelt with accents, stored JSON-escaped."""
    b = SAO_PAULO_BODY
    mention = Mention(
        type="ASSAULT",
        trigger=Trigger("fired", span(b, "fired")),
        sentence=sentence_of(b, "fired"),
        actor1=ActorRef(
            "Officers of the Polícia Militar",
            span(b, "Officers of the Polícia Militar"),
            id="BRA-POL",
            name="Polícia Militar de São Paulo",
            kind="police",
            country="BRA",
        ),
        place=place(b, "SÃO PAULO", -23.5505, -46.6333, "BRA"),
        date=TimeRef("on Wednesday", span(b, "on Wednesday"), date(2024, 6, 12), date(2024, 6, 12), "day"),
        fatalities=0,
    )
    article = Article(
        b, "Polícia fires rubber bullets at fare protest", "sp.txt", date(2024, 6, 13), "Folha Região"
    )
    return Extraction(article, [mention])


def test_listings_read_as_text_equal_the_events_read_through_the_orm(news_store: Store) -> None:
    """The listings read dates as stored text and splice the JSON columns (actors, outlets) into the
    answer as stored, escapes and all: each listed event must still equal the event as the ORM
    reads it (dates parsed and formatted, JSON decoded), in every column."""
    assert news_store.save(sao_paulo_extraction())
    merge_pending(news_store)
    stored = {e["id"]: e for e in iter_events(news_store)}
    with TestClient(create_app(news_store, ApiConfig(cache_bytes=0))) as c:
        listed = c.get("/api/events", params={"limit": 500})
        one_by_one = [c.get("/api/events", params={"limit": 1, "sort": "date"})]
        while cursor := one_by_one[-1].json()["next_cursor"]:
            one_by_one.append(c.get("/api/events", params={"limit": 1, "sort": "date", "cursor": cursor}))
        features = c.get("/api/geojson").json()["features"]
        mentions = c.get("/api/mentions", params={"country": "BRA"}).json()["items"]
    assert listed.status_code == 200 and listed.headers["content-type"] == "application/json"
    items = listed.json()["items"]
    assert len(items) == len(stored) == 6
    for item in items:
        event = stored[item["id"]]
        assert item == event | {"date": event["date_start"], "mentions": event["n_mentions"], "kind": "event"}
    assert sorted(p.json()["items"][0]["id"] for p in one_by_one) == sorted(stored)
    (sao,) = [e for e in items if e["place_country"] == "BRA"]
    assert sao["outlets"] == ["folha região"] and sao["date"] == "2024-06-12"
    assert [a["name"] for a in sao["actors"]] == ["Polícia Militar de São Paulo"]
    for feature in features:
        event = stored[feature["id"]]
        assert feature["geometry"]["coordinates"] == [event["place_lon"], event["place_lat"]]
        assert feature["properties"]["date"] == event["date_start"]
        assert feature["properties"]["date_end"] == event["date_end"]
        assert feature["properties"]["actor1"] == event["actor1_name"]
    (mention,) = mentions
    assert (mention["event_id"], mention["date"]) == (sao["id"], "2024-06-12")
    assert mention["published"] == "2024-06-13"
    assert mention["actor1_name"] == "Polícia Militar de São Paulo" and mention["negated"] is False


def test_read_threads_is_configurable_and_at_least_one() -> None:
    assert ApiConfig.from_env({"EVENTWIRE_API_READ_THREADS": "2"}).read_threads == 2
    assert ApiConfig.from_env({}).read_threads == ApiConfig().read_threads >= 1
    with pytest.raises(ConfigError, match="read_threads"):
        ApiConfig.from_env({"EVENTWIRE_API_READ_THREADS": "0"})


def test_a_query_cancelled_while_its_rows_are_fetched_is_a_timeout(news_store: Store) -> None:
    """SQLite finds rows as they are fetched, and the listings fetch them from the driver directly:
    a query cancelled by the time limit after its first row must still be a QueryTimeout (503),
    not a raw driver error (500)."""
    from sqlalchemy import literal, select

    from eventwire.api import queries

    counter = select(literal(1).label("i")).cte("counter", recursive=True)
    counter = counter.union_all(select(counter.c.i + 1).where(counter.c.i < 50_000_000))
    with pytest.raises(queries.QueryTimeout), queries.read_connection(news_store.engine, 0.05) as conn:
        queries._plain_rows(conn, select(counter.c.i))  # the first row comes at once, the rest never
