"""Read endpoints over hand-written news and a 10,000-event store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from eventwire.api import ApiConfig, create_app
from eventwire.store import MentionFilter, Store, haversine_km


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


def test_events_lists_newest_first_with_source_sentence(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert [e["date"] for e in body["items"]] == [
        "2024-06-20",
        "2024-05-02",
        "2024-05-02",
        "2024-03-11",
        "2024-03-09",
    ]
    ambush = next(e for e in body["items"] if e["trigger"] == "ambushed")
    assert ambush["sentence"].startswith("GAO, Mali — Suspected jihadist fighters ambushed")
    assert ambush["actor2_name"] == "Military Forces of Mali"
    assert ambush["fatalities"] == 12
    assert body["next_cursor"] is None


def test_events_filter_like_the_cli(client: TestClient) -> None:
    triggers = lambda r: sorted(e["trigger"] for e in r.json()["items"])  # noqa: E731
    assert triggers(client.get("/api/events", params={"country": "mli"})) == ["ambushed", "retaken"]
    assert triggers(client.get("/api/events", params={"type": "coerce"})) == ["fired"]
    assert triggers(client.get("/api/events", params={"actor": "riot"})) == ["fired"]
    assert triggers(client.get("/api/events", params={"since": "2024-05-01", "until": "2024-05-31"})) == [
        "fired",
        "gathered",
    ]
    # within 50 km of Bamako: nothing; within 50 km of Gao: the ambush only (Ansongo is ~90 km away)
    assert triggers(client.get("/api/events", params={"near": "12.64,-8.0,50"})) == []
    near_gao = client.get("/api/events", params={"near": "16.27,-0.04,50"}).json()["items"]
    assert [e["trigger"] for e in near_gao] == ["ambushed"]
    assert near_gao[0]["distance_km"] < 5
    assert triggers(client.get("/api/events", params={"bbox": "30,30,40,52"})) == [
        "fired",
        "gathered",
        "struck",
    ]
    assert triggers(client.get("/api/events", params={"q": "TEAR GAS"})) == ["fired"]
    assert triggers(client.get("/api/events", params={"q": "depositors rally"})) == ["fired", "gathered"]


def test_bbox_across_the_antimeridian(client: TestClient) -> None:
    # west 170, east -170 covers the Pacific only: none of the stored places
    assert ids(client.get("/api/events", params={"bbox": "170,-60,-170,60"})) == []
    assert len(ids(client.get("/api/events", params={"bbox": "-10,-60,-170,60"}))) == 5


def test_event_page_highlights_values_in_the_sentence(client: TestClient) -> None:
    first = next(e for e in client.get("/api/events").json()["items"] if e["trigger"] == "ambushed")
    data = client.get(f"/api/events/{first['id']}").json()
    (mention,) = data["mentions"]
    roles = {h["role"]: h for h in mention["highlights"]}
    assert set(roles) == {"trigger", "actor1", "actor2", "place", "date"}
    for h in roles.values():
        assert mention["sentence"][h["start"] : h["end"]] == h["text"]
    assert roles["place"]["text"] == "Gao" and roles["date"]["text"] == "on Monday"
    assert data["sources"] == [
        {
            "outlet": "Sahel Monitor",
            "url": "https://sahel.example.com/gao-ambush",
            "published": "2024-03-12",
            "input_id": "gao.txt",
        }
    ]


def test_value_stated_in_another_sentence_is_not_highlighted_out_of_place(client: TestClient) -> None:
    fired = next(e for e in client.get("/api/events").json()["items"] if e["trigger"] == "fired")
    mention = client.get(f"/api/events/{fired['id']}").json()["mentions"][0]
    place = next(h for h in mention["highlights"] if h["role"] == "place")
    assert place["text"] == "Beirut" and place["start"] is None  # "Beirut" is in the sentence before
    assert "Beirut" not in mention["sentence"]


def test_unknown_event_and_article_are_404_problems(client: TestClient) -> None:
    for url in ("/api/events/0000000000000000:0", "/api/events/no-colon", "/api/articles/ffffffffffff"):
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
    assert names["Military Forces of Mali"] == 1 and names["Protesters"] == 1
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
    assert {f["properties"]["mentions"] for f in data["features"]} == {1}
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


def test_pagination_walks_10000_events_once_each_in_order(big_client: TestClient) -> None:
    for sort in ("-date", "date"):
        seen: list[str] = []
        dates: list[str] = []
        cursor = None
        pages = 0
        while True:
            params = {"limit": 700, "sort": sort} | ({"cursor": cursor} if cursor else {})
            body = big_client.get("/api/events", params=params).json()
            seen += [e["id"] for e in body["items"]]
            dates += [e["date"] for e in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 10_000 and len(set(seen)) == 10_000
        assert pages == 15
        assert dates == sorted(dates, reverse=(sort == "-date"))


def test_pagination_with_radius_matches_a_full_scan(big_client: TestClient, big_store: Store) -> None:
    lat, lon, km = 36.3, 40.0, 400.0  # reaches Aleppo (~250 km) and Mosul (~280 km), nothing else
    everything = big_store.list_mentions(MentionFilter(limit=None))
    expected = {m["id"] for m in everything if haversine_km(lat, lon, m["place_lat"], m["place_lon"]) <= km}
    assert 0 < len(expected) < 10_000
    seen: list[str] = []
    cursor = None
    while True:
        params = {"near": f"{lat},{lon},{km}", "limit": 500} | ({"cursor": cursor} if cursor else {})
        body = big_client.get("/api/events", params=params).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_filtered_pages_over_the_big_store(big_client: TestClient) -> None:
    body = big_client.get(
        "/api/events", params={"country": "MLI", "type": "PROTEST", "since": "2024-06-01", "limit": 1000}
    ).json()
    assert body["items"]
    for e in body["items"]:
        assert e["place_country"] == "MLI" and e["type"] == "PROTEST"
        assert date.fromisoformat(e["date"]) >= date(2024, 6, 1)
    total = sum(
        s["total"] for s in big_client.get("/api/timeline", params={"bucket": "month"}).json()["series"]
    )
    assert total == 10_000


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
            assert len(seen) == 6 and seen[-1]["trigger"] == "shot" and seen[-1]["date"] is None
        timeline = c.get("/api/timeline").json()
        assert timeline["undated"] == 1 and sum(s["total"] for s in timeline["series"]) == 5
