"""Hand-written news for the API tests, built as extractions with exact spans (no spaCy needed)."""

from __future__ import annotations

from datetime import date

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

GAO_BODY = (
    "GAO, Mali — Suspected jihadist fighters ambushed a Malian army convoy outside Gao on Monday, "
    "killing at least 12 soldiers, the defence ministry said in a statement. The attack came two days "
    "after the army said it had retaken the town of Ansongo. \u201cOur forces repelled the assailants,\u201d "
    "ministry spokesman Souleymane Dembele said, adding that the wounded were flown to Bamako. "
    "Officials in Gao could not be reached for comment on Tuesday."
)
BEIRUT_BODY = (
    "BEIRUT — Hundreds of protesters gathered outside the central bank in Beirut on Thursday to demand "
    "access to frozen deposits, witnesses said. Riot police fired tear gas to disperse the crowd after "
    "some demonstrators threw stones. No injuries were reported.\n\nSubscribe to our newsletter for the "
    "latest updates from Lebanon."
)
# Another outlet's rewrite of the Gao ambush: other words for the attackers, a higher toll, the
# convoy still a convoy, a day later. It must join the first report's event, not make a second one.
WIRE_GAO_BODY = (
    "BAMAKO — Islamist militants ambushed an army convoy near the northern city of Gao on Monday, "
    "killing 14 soldiers, two security sources told Wire Desk. The ministry had earlier given a toll "
    "of 12. A spokesman for the army declined to comment."
)
# A third outlet, days later, with the ambush as background: its own words, the same facts.
FOLLOW_UP_GAO_BODY = (
    "GAO — Families of the soldiers killed when jihadists ambushed an army convoy outside Gao on "
    "11 March buried their dead on Friday. Residents said the road to Ansongo remained closed."
)
SCRIPT_TITLE = "<script>alert('title')</script>Shelling hits Kharkiv block"
SCRIPT_BODY = (
    "KHARKIV — Artillery shells struck a residential block in Kharkiv overnight, regional governor "
    "Oleh Syniehubov said. <script>document.title='owned'</script><img src=x onerror=\"alert(1)\"> "
    "Residents of the building were evacuated to a school nearby."
)


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    """The span of the nth occurrence of ``text`` in ``body`` (fails loudly if absent)."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def sentence_of(body: str, inside: str) -> tuple[int, int]:
    """The span of the sentence holding ``inside``: from the previous sentence end to the next."""
    at = body.index(inside)
    start = max(body.rfind(". ", 0, at) + 2, 0) if body.rfind(". ", 0, at) >= 0 else 0
    end = body.index(".", at) + 1
    return start, end


def place(body: str, text: str, lat: float, lon: float, country: str, nth: int = 0) -> PlaceRef:
    return PlaceRef(text, span(body, text, nth), text, None, lat, lon, country, precision="place", score=0.9)


def gao_extraction() -> Extraction:
    b = GAO_BODY
    gao = place(b, "Gao", 16.2717, -0.0447, "MLI")
    ansongo = place(b, "Ansongo", 15.6597, 0.5022, "MLI")
    ambush = Mention(
        type="ASSAULT",
        trigger=Trigger("ambushed", span(b, "ambushed")),
        sentence=sentence_of(b, "ambushed"),
        acled=Acled("Violence against civilians", "Attack"),
        confidence=0.8,
        actor1=ActorRef(
            "Suspected jihadist fighters", span(b, "Suspected jihadist fighters"), name="Jihadists"
        ),
        actor2=ActorRef(
            "a Malian army convoy",
            span(b, "a Malian army convoy"),
            name="Military Forces of Mali",
            country="MLI",
        ),
        place=gao,
        date=TimeRef("on Monday", span(b, "on Monday"), date(2024, 3, 11), date(2024, 3, 11), "day"),
        fatalities=12,
    )
    retake = Mention(
        type="ASSAULT",
        trigger=Trigger("retaken", span(b, "retaken")),
        sentence=sentence_of(b, "retaken"),
        actor1=ActorRef("the army", span(b, "the army"), name="Military Forces of Mali", country="MLI"),
        place=ansongo,
        date=TimeRef("two days after", span(b, "two days after"), date(2024, 3, 9), date(2024, 3, 9), "day"),
    )
    quote_text = "Our forces repelled the assailants,"
    quote = Quote(
        quote_text,
        span(b, quote_text),
        cue="said",
        speaker=Speaker(
            "Souleymane Dembele", span(b, "Souleymane Dembele"), "Souleymane Dembele", "spokesman"
        ),
    )
    article = Article(
        b,
        "Jihadists ambush army convoy near Gao",
        "gao.txt",
        date(2024, 3, 12),
        "Sahel Monitor",
        "https://sahel.example.com/gao-ambush",
        language="en",
    )
    return Extraction(article, [ambush, retake], [quote], [gao, ansongo], [ambush.actor1, ambush.actor2])


def wire_gao_extraction() -> Extraction:
    b = WIRE_GAO_BODY
    gao = place(b, "Gao", 16.2717, -0.0447, "MLI")
    ambush = Mention(
        type="ASSAULT",
        trigger=Trigger("ambushed", span(b, "ambushed")),
        sentence=sentence_of(b, "ambushed"),
        acled=Acled("Violence against civilians", "Attack"),
        confidence=0.75,
        actor1=ActorRef("Islamist militants", span(b, "Islamist militants"), name="Jihadists"),
        actor2=ActorRef(
            "an army convoy", span(b, "an army convoy"), name="Military Forces of Mali", country="MLI"
        ),
        place=gao,
        date=TimeRef("on Monday", span(b, "on Monday"), date(2024, 3, 11), date(2024, 3, 11), "day"),
        fatalities=14,
    )
    article = Article(
        b,
        "Militants kill 14 soldiers in Mali ambush",
        "wire-gao.txt",
        date(2024, 3, 13),
        "Wire Desk",
        "https://wire.example.net/mali-ambush",
        language="en",
    )
    return Extraction(article, [ambush], [], [gao], [ambush.actor1, ambush.actor2])


def follow_up_mentions(body: str) -> list[Mention]:
    """What a coder finds in FOLLOW_UP_GAO_BODY (the body as the API stored it)."""
    b = body
    return [
        Mention(
            type="ASSAULT",
            trigger=Trigger("ambushed", span(b, "ambushed")),
            sentence=sentence_of(b, "ambushed"),
            acled=Acled("Violence against civilians", "Attack"),
            confidence=0.7,
            actor1=ActorRef("jihadists", span(b, "jihadists"), name="Jihadists"),
            actor2=ActorRef(
                "an army convoy", span(b, "an army convoy"), name="Military Forces of Mali", country="MLI"
            ),
            place=place(b, "Gao", 16.2717, -0.0447, "MLI"),
            date=TimeRef("on 11 March", span(b, "on 11 March"), date(2024, 3, 11), date(2024, 3, 11), "day"),
        )
    ]


def beirut_extraction() -> Extraction:
    b = BEIRUT_BODY
    beirut = place(b, "Beirut", 33.8938, 35.5018, "LBN")
    protest = Mention(
        type="PROTEST",
        trigger=Trigger("gathered", span(b, "gathered")),
        sentence=sentence_of(b, "gathered"),
        actor1=ActorRef(
            "Hundreds of protesters", span(b, "Hundreds of protesters"), name="Protesters", country="LBN"
        ),
        actor2=ActorRef(
            "the central bank", span(b, "the central bank"), name="Banque du Liban", country="LBN"
        ),
        place=beirut,
        date=TimeRef("on Thursday", span(b, "on Thursday"), date(2024, 5, 2), date(2024, 5, 2), "day"),
    )
    # Placed in Beirut by the previous sentence: the place span lies outside this sentence.
    tear_gas = Mention(
        type="COERCE",
        trigger=Trigger("fired", span(b, "fired")),
        sentence=sentence_of(b, "fired"),
        actor1=ActorRef(
            "Riot police", span(b, "Riot police"), name="Police Forces of Lebanon", country="LBN"
        ),
        actor2=ActorRef("the crowd", span(b, "the crowd"), name="Protesters", country="LBN"),
        place=beirut,
        date=protest.date,
    )
    article = Article(
        b, "Depositors rally at Beirut central bank", "beirut.html", date(2024, 5, 3), "Cedar Daily"
    )
    return Extraction(article, [protest, tear_gas], [], [beirut], [protest.actor1, tear_gas.actor1])


def script_extraction() -> Extraction:
    b = SCRIPT_BODY
    kharkiv = place(b, "Kharkiv", 49.9808, 36.2527, "UKR", nth=0)
    strike = Mention(
        type="ASSAULT",
        trigger=Trigger("struck", span(b, "struck")),
        sentence=sentence_of(b, "struck"),
        actor2=ActorRef("a residential block", span(b, "a residential block")),
        place=kharkiv,
        date=TimeRef("overnight", span(b, "overnight"), date(2024, 6, 20), date(2024, 6, 20), "day"),
    )
    article = Article(
        b,
        SCRIPT_TITLE,
        "kharkiv.html",
        date(2024, 6, 21),
        "<b>Eastern</b> Wire",
        "javascript:alert(document.cookie)",
    )
    return Extraction(article, [strike], [], [kharkiv], [])


def news_extractions() -> list[Extraction]:
    return [gao_extraction(), wire_gao_extraction(), beirut_extraction(), script_extraction()]
