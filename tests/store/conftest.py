"""Extractions built by hand from records (no spaCy): four short news stories with the traps the
store must keep straight: a dateline with a non-ASCII dash before every span, a denied
(negated) strike, a mention with no date of its own, a compound actor, and a place just across
the antimeridian.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from eventwire.records import (
    Acled,
    ActorRef,
    Article,
    Extraction,
    Mention,
    PlaceRef,
    Quote,
    Speaker,
    TimeRef,
    Trigger,
)


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    """Character span of the nth occurrence of text in body (fails loudly if absent)."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return (start, start + len(text))


def sentence_of(body: str, text: str) -> tuple[int, int]:
    """Span of the sentence that contains text: from the previous full stop (or line) to the next."""
    start, end = span(body, text)
    stop, newline = body.rfind(". ", 0, start), body.rfind("\n", 0, start)
    left = max(stop + 2 if stop >= 0 else 0, newline + 1)
    right = body.find(".", end)
    return (left, right + 1)


def place(body: str, text: str, name: str, nth: int = 0, **resolved: object) -> PlaceRef:
    return PlaceRef(text=text, span=span(body, text, nth), name=name, **resolved)  # type: ignore[arg-type]


def actor(body: str, text: str, nth: int = 0, **resolved: object) -> ActorRef:
    return ActorRef(text=text, span=span(body, text, nth), **resolved)  # type: ignore[arg-type]


SARAQIB = {
    "geonameid": 164816,
    "lat": 35.86447,
    "lon": 36.80591,
    "country": "SYR",
    "admin1": "12",
    "feature_code": "PPL",
    "precision": "place",
    "score": 0.91,
}
IDLIB = {
    "geonameid": 169389,
    "lat": 35.93062,
    "lon": 36.63393,
    "country": "SYR",
    "admin1": "12",
    "feature_code": "PPLA",
    "precision": "place",
    "score": 0.88,
}
SYRIA = {
    "geonameid": 163843,
    "lat": 35.0,
    "lon": 38.0,
    "country": "SYR",
    "feature_code": "PCLI",
    "precision": "country",
    "score": 0.99,
}


def airstrike() -> Extraction:
    """Northern Syria: a market strike, shelling the day before, and a denial (negated)."""
    body = (
        "SARAQIB, Syria (Northwire) — An airstrike hit a crowded vegetable market in Saraqib on "
        "Tuesday, killing at least nine civilians, rescue workers said.\n\n"
        "The Syrian Civil Defence, the volunteer group known as the White Helmets, said the strike "
        "came shortly after dawn. \u201cWe pulled children from under the stalls,\u201d said Ahmad "
        "Khalil, a rescuer with the group. He said the toll could rise.\n\n"
        "Government forces shelled villages east of Idlib city the day before, according to local "
        "residents, but no casualties were reported.\n\n"
        "The Russian Defence Ministry denied that its aircraft had struck the market.\n\n"
        "Subscribe to our newsletter for daily updates from the region."
    )
    article = Article(
        body=body,
        title="Airstrike on Saraqib market kills nine, rescuers say",
        input_id="feeds/northwire-2024-03-06.jsonl#17",
        published=date(2024, 3, 6),
        outlet="Northwire",
        url="https://northwire.example/syria/saraqib-market-strike",
        author="Lina Haddad",
        language="en",
    )
    tuesday = TimeRef(
        "on Tuesday",
        span(body, "on Tuesday"),
        date(2024, 3, 5),
        date(2024, 3, 5),
        "day",
        reason="weekday before publication",
    )
    day_before = TimeRef(
        "the day before",
        span(body, "the day before"),
        date(2024, 3, 4),
        date(2024, 3, 4),
        "day",
        reason="relative to the strike date",
    )
    dawn = TimeRef("shortly after dawn", span(body, "shortly after dawn"), reason="time of day only")
    saraqib = place(body, "Saraqib", "Saraqib", nth=0, **SARAQIB, reason="dateline and body agree")
    idlib = place(body, "Idlib", "Idlib", **IDLIB, reason="'Idlib city' names the city, not the province")
    civilians = actor(body, "civilians", kind="civilians", country="SYR", reason="victims")
    army = actor(
        body,
        "Government forces",
        id="SYR-MIL",
        name="Syrian Arab Army",
        kind="military",
        country="SYR",
        reason="'Government forces' in a Syrian dateline",
    )
    russia = actor(
        body,
        "The Russian Defence Ministry",
        id="RUS-GOV-DEF",
        name="Ministry of Defence of Russia",
        kind="state",
        country="RUS",
        reason="alias list",
    )
    helmets = actor(
        body,
        "The Syrian Civil Defence",
        id="SYR-NGO-SCD",
        name="Syria Civil Defence",
        kind="NGO",
        country="SYR",
        reason="alias list",
    )
    strike = Mention(
        type="ASSAULT",
        mode="aerial",
        acled=Acled("Explosions/Remote violence", "Air/drone strike"),
        trigger=Trigger("airstrike", span(body, "airstrike")),
        sentence=sentence_of(body, "airstrike"),
        confidence=0.82,
        actor2=civilians,
        place=saraqib,
        date=tuesday,
        fatalities=9,
        attributed_to="rescue workers",
        rule="assault.aerial.noun",
    )
    shelling = Mention(
        type="ASSAULT",
        mode="heavy-weapons",
        acled=Acled("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        trigger=Trigger("shelled", span(body, "shelled")),
        sentence=sentence_of(body, "shelled"),
        confidence=0.74,
        actor1=army,
        place=idlib,
        date=day_before,
        fatalities=0,
        attributed_to="local residents",
        rule="assault.heavy.verb",
    )
    denial = Mention(
        type="ASSAULT",
        mode="aerial",
        acled=Acled("Explosions/Remote violence", "Air/drone strike"),
        trigger=Trigger("struck", span(body, "struck")),
        sentence=sentence_of(body, "struck"),
        confidence=0.41,
        actor1=russia,
        place=place(body, "the market", "Saraqib", **SARAQIB, reason="anaphora to the market in Saraqib"),
        negated=True,
        attributed_to="The Russian Defence Ministry",
        rule="assault.aerial.verb",
        contexts=["negated", "referenced"],
    )
    quote = Quote(
        text="We pulled children from under the stalls,",
        span=span(body, "We pulled children from under the stalls,"),
        cue="said",
        cue_span=span(body, "said", nth=2),
        speaker=Speaker(
            text="Ahmad Khalil",
            span=span(body, "Ahmad Khalil"),
            name="Ahmad Khalil",
            role="a rescuer with the group",
            actor_id="SYR-NGO-SCD",
        ),
    )
    return Extraction(
        article=article,
        mentions=[strike, shelling, denial],
        quotes=[quote],
        places=[
            place(body, "SARAQIB", "Saraqib", **SARAQIB, reason="dateline"),
            place(body, "Syria", "Syria", **SYRIA, reason="country name"),
            saraqib,
            idlib,
        ],
        actors=[civilians, helmets, army, russia],
        dates=[tuesday, dawn, day_before],
    )


def nairobi_protest() -> Extraction:
    """Kenya: a protest with a compound actor, police dispersal, and a week-long date range."""
    body = (
        "Kenyan police fired tear gas at hundreds of students and boda boda riders who marched "
        "through central Nairobi on Thursday against a rise in fuel prices. The protesters threw "
        "stones at officers outside Parliament. \u201cWe cannot afford to ride to work,\u201d one rider "
        "told reporters. Similar marches were held in Mombasa this week."
    )
    article = Article(
        body=body,
        title="Police fire tear gas at Nairobi fuel-price march",
        input_id="inbox/kenya-fuel.txt",
        published=date(2024, 7, 19),
        outlet="Coastline Daily",
        language="en",
    )
    nairobi_geo = {
        "geonameid": 184745,
        "lat": -1.28333,
        "lon": 36.81667,
        "country": "KEN",
        "admin1": "05",
        "feature_code": "PPLC",
        "precision": "place",
        "score": 0.97,
    }
    mombasa_geo = {
        "geonameid": 186301,
        "lat": -4.05466,
        "lon": 39.66359,
        "country": "KEN",
        "admin1": "37",
        "feature_code": "PPLA",
        "precision": "place",
        "score": 0.95,
    }
    nairobi = place(body, "Nairobi", "Nairobi", **nairobi_geo)
    mombasa = place(body, "Mombasa", "Mombasa", **mombasa_geo)
    thursday = TimeRef("on Thursday", span(body, "on Thursday"), date(2024, 7, 18), date(2024, 7, 18), "day")
    this_week = TimeRef("this week", span(body, "this week"), date(2024, 7, 15), date(2024, 7, 21), "week")
    police = actor(
        body, "Kenyan police", id="KEN-POL", name="Police Forces of Kenya", kind="police", country="KEN"
    )
    marchers = actor(
        body,
        "students and boda boda riders",
        kind="civilians",
        country="KEN",
        members=[
            actor(body, "students", kind="civilians", country="KEN"),
            actor(body, "boda boda riders", kind="civilians", country="KEN", reason="motorcycle taxi riders"),
        ],
        reason="coordinated noun phrase",
    )
    dispersal = Mention(
        type="COERCE",
        mode="crowd-control",
        acled=Acled("Protests", "Protest with intervention"),
        trigger=Trigger("fired tear gas", span(body, "fired tear gas")),
        sentence=sentence_of(body, "fired tear gas"),
        confidence=0.77,
        actor1=police,
        actor2=marchers,
        place=nairobi,
        date=thursday,
        attributed_to="the article",
    )
    march = Mention(
        type="PROTEST",
        mode="demonstrate",
        acled=Acled("Protests", "Peaceful protest"),
        trigger=Trigger("marches", span(body, "marches")),
        sentence=sentence_of(body, "marches"),
        confidence=0.66,
        place=mombasa,
        date=this_week,
        attributed_to="the article",
    )
    quote = Quote(
        text="We cannot afford to ride to work,",
        span=span(body, "We cannot afford to ride to work,"),
        cue="told",
        cue_span=span(body, "told"),
        speaker=Speaker(text="one rider", span=span(body, "one rider"), name="one rider"),
    )
    return Extraction(
        article=article,
        mentions=[dispersal, march],
        quotes=[quote],
        places=[nairobi, mombasa],
        actors=[police, marchers],
        dates=[thursday, this_week],
    )


def kharkiv_shelling() -> Extraction:
    """Ukraine: a strike with no time expression, so filters fall back to the published date."""
    body = (
        "Russian artillery shelled a power station in Kharkiv, cutting electricity to thousands of "
        "homes, the regional governor said. Repair crews were working to restore supply. It was not "
        "immediately clear whether anyone was hurt."
    )
    article = Article(
        body=body,
        title="Shelling cuts power in Kharkiv",
        input_id="wire/ua-0510.html",
        published=date(2024, 5, 10),
        outlet="Eastern Ledger",
        url="https://ledger.example/ua/kharkiv-power",
        language="en",
        errors=["W101 byline missing"],
    )
    kharkiv = place(
        body,
        "Kharkiv",
        "Kharkiv",
        geonameid=706483,
        lat=49.98177,
        lon=36.25475,
        country="UKR",
        admin1="07",
        feature_code="PPLA",
        precision="place",
        score=0.99,
    )
    artillery = actor(
        body,
        "Russian artillery",
        id="RUS-MIL",
        name="Military Forces of Russia",
        kind="military",
        country="RUS",
    )
    shelling = Mention(
        type="ASSAULT",
        mode="heavy-weapons",
        acled=Acled("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        trigger=Trigger("shelled", span(body, "shelled")),
        sentence=sentence_of(body, "shelled"),
        confidence=0.8,
        actor1=artillery,
        place=kharkiv,
        attributed_to="the regional governor",
    )
    return Extraction(article=article, mentions=[shelling], places=[kharkiv], actors=[artillery])


def labasa_blockade() -> Extraction:
    """Fiji: a place at longitude 179.4 E, so a search centred just east of 180 must wrap around."""
    body = (
        "Sugar cane growers blockaded the Labasa mill on Monday to demand a higher price per tonne. "
        "The mill's owner said crushing would resume once talks concluded."
    )
    article = Article(
        body=body,
        title="Cane growers blockade Labasa mill",
        input_id="feeds/pacific.jsonl#3",
        published=date(2024, 8, 6),
        outlet="Pacific Desk",
        language="en",
    )
    labasa = place(
        body,
        "Labasa",
        "Labasa",
        geonameid=2204582,
        lat=-16.4332,
        lon=179.36451,
        country="FJI",
        admin1="03",
        feature_code="PPL",
        precision="place",
        score=0.9,
    )
    monday = TimeRef("on Monday", span(body, "on Monday"), date(2024, 8, 5), date(2024, 8, 5), "day")
    growers = actor(body, "Sugar cane growers", kind="civilians", country="FJI")
    blockade = Mention(
        type="PROTEST",
        mode="obstruct",
        acled=Acled("Protests", "Peaceful protest"),
        trigger=Trigger("blockaded", span(body, "blockaded")),
        sentence=sentence_of(body, "blockaded"),
        actor1=growers,
        place=labasa,
        date=monday,
        attributed_to="the article",
    )
    return Extraction(article=article, mentions=[blockade], places=[labasa], actors=[growers], dates=[monday])


@pytest.fixture
def corpus() -> list[Extraction]:
    return [airstrike(), nairobi_protest(), kharkiv_shelling(), labasa_blockade()]


@pytest.fixture(scope="session")
def stories() -> SimpleNamespace:
    """The story builders, each call a fresh Extraction (tests may mutate what they get)."""
    return SimpleNamespace(
        airstrike=airstrike, nairobi=nairobi_protest, kharkiv=kharkiv_shelling, labasa=labasa_blockade
    )
