"""Publication-relative date resolution: the expression table and find_dates on news paragraphs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from spacy.language import Language

from eventwire.dates import Resolution, Unresolved, find_dates, resolve, resolve_expression
from eventwire.nlp import load_pipeline
from eventwire.records import TimeRef

D = date
FRI = D(2017, 2, 17)  # a Friday
SUN = D(2017, 2, 19)  # a Sunday
MON = D(2017, 2, 20)  # a Monday
MAR1 = D(2017, 3, 1)  # first day of a month, a Wednesday
JAN1 = D(2017, 1, 1)  # first day of a year, a Sunday
LEAP = D(2016, 3, 1)  # the day after 29 February 2016, a Tuesday


def day(d: date) -> tuple[date, date, str]:
    return d, d, "day"


# (expression, publication date, expected (start, end, precision) or None)
TABLE: list[tuple[str, date | None, tuple[date, date, str] | None]] = [
    # weekdays
    ("on Friday", FRI, day(FRI)),
    ("Friday", SUN, day(FRI)),
    ("on Sunday", SUN, day(SUN)),
    ("Monday", JAN1, day(D(2016, 12, 26))),
    ("last Friday", FRI, day(D(2017, 2, 10))),
    ("last Friday", SUN, day(FRI)),
    ("next Monday", FRI, day(MON)),
    ("next Monday", SUN, day(MON)),
    ("this past weekend", MON, (D(2017, 2, 18), D(2017, 2, 19), "day")),
    ("on Friday night", SUN, day(FRI)),
    ("late on Tuesday", FRI, day(D(2017, 2, 14))),
    ("3 p.m. local time on Thursday", FRI, day(D(2017, 2, 16))),
    ("Friday, Feb. 17", MON, day(FRI)),
    # days around publication
    ("today", LEAP, day(LEAP)),
    ("this morning", FRI, day(FRI)),
    ("yesterday", LEAP, day(D(2016, 2, 29))),
    ("yesterday", JAN1, day(D(2016, 12, 31))),
    ("tomorrow", D(2016, 2, 28), day(D(2016, 2, 29))),
    ("overnight", MAR1, (D(2017, 2, 28), MAR1, "day")),
    ("the past 24 hours", FRI, (D(2017, 2, 16), FRI, "day")),
    ("12 hours ago", FRI, (D(2017, 2, 16), FRI, "day")),
    # weeks and weekends
    ("last week", FRI, (D(2017, 2, 6), D(2017, 2, 12), "week")),
    ("last week", JAN1, (D(2016, 12, 19), D(2016, 12, 25), "week")),
    ("this week", SUN, (D(2017, 2, 13), SUN, "week")),
    ("next week", SUN, (MON, D(2017, 2, 26), "week")),
    ("the past week", FRI, (D(2017, 2, 10), FRI, "week")),
    ("the weekend", MON, (D(2017, 2, 18), SUN, "day")),
    ("this weekend", FRI, (D(2017, 2, 18), SUN, "day")),
    # months and years relative to publication
    ("earlier this month", FRI, (D(2017, 2, 1), FRI, "month")),
    ("earlier this month", MAR1, (MAR1, MAR1, "month")),
    ("last month", MAR1, (D(2017, 2, 1), D(2017, 2, 28), "month")),
    ("last month", JAN1, (D(2016, 12, 1), D(2016, 12, 31), "month")),
    ("this year", FRI, (D(2017, 1, 1), D(2017, 12, 31), "year")),
    ("last year", JAN1, (D(2016, 1, 1), D(2016, 12, 31), "year")),
    ("earlier this year", JAN1, (JAN1, JAN1, "year")),
    ("December last year", FRI, (D(2016, 12, 1), D(2016, 12, 31), "month")),
    # bare month names: the most recent one on or before the publication month
    ("in December", FRI, (D(2016, 12, 1), D(2016, 12, 31), "month")),
    ("December", D(2016, 12, 5), (D(2016, 12, 1), D(2016, 12, 31), "month")),
    ("in March", MAR1, (MAR1, D(2017, 3, 31), "month")),
    ("April", MAR1, (D(2016, 4, 1), D(2016, 4, 30), "month")),
    ("mid-December", FRI, (D(2016, 12, 1), D(2016, 12, 31), "month")),
    # counted offsets
    ("two days ago", MAR1, day(D(2017, 2, 27))),
    ("two days ago", LEAP, day(D(2016, 2, 28))),
    ("3 weeks ago", FRI, (D(2017, 1, 23), D(2017, 1, 29), "week")),
    ("a month ago", FRI, (D(2017, 1, 1), D(2017, 1, 31), "month")),
    ("a month ago", D(2016, 3, 31), (D(2016, 2, 1), D(2016, 2, 29), "month")),
    ("a year ago", LEAP, (D(2015, 1, 1), D(2015, 12, 31), "year")),
    ("in two weeks", FRI, (D(2017, 2, 27), D(2017, 3, 5), "week")),
    # since / open durations (lower bound up to publication)
    ("since January", FRI, (D(2017, 1, 1), FRI, "month")),
    ("since December", JAN1, (D(2016, 12, 1), JAN1, "month")),
    ("since 2014", FRI, (D(2014, 1, 1), FRI, "year")),
    ("for months", FRI, (D(2016, 12, 17), FRI, "month")),
    ("for weeks", FRI, (D(2017, 2, 3), FRI, "week")),
    ("for three years", LEAP, (D(2013, 3, 1), LEAP, "year")),
    # explicit dates in news layouts
    ("Feb. 17, 2017", None, day(FRI)),
    ("17 February 2017", None, day(FRI)),
    ("2017-02-17", None, day(FRI)),
    ("Sept. 11, 2001", None, day(D(2001, 9, 11))),
    ("February 17", FRI, day(FRI)),
    ("February 18", FRI, day(D(2016, 2, 18))),
    ("February 29", MAR1, day(D(2016, 2, 29))),
    ("17/02/2017", None, day(FRI)),
    ("02/17/2017", None, day(FRI)),
    ("05/06/2017", FRI, None),  # day/month or month/day: ambiguous
    ("Feb 2017", None, (D(2017, 2, 1), D(2017, 2, 28), "month")),
    ("February 2016", None, (D(2016, 2, 1), D(2016, 2, 29), "month")),
    ("2016", None, (D(2016, 1, 1), D(2016, 12, 31), "year")),
    ("mid-2016", None, (D(2016, 1, 1), D(2016, 12, 31), "year")),
    ("the 17th day of February, 2017", None, day(FRI)),
    # decades and centuries
    ("in the 1990s", None, (D(1990, 1, 1), D(1999, 12, 31), "year")),
    ("the '90s", FRI, (D(1990, 1, 1), D(1999, 12, 31), "year")),
    ("the '90s", None, None),
    ("the 19th century", None, (D(1800, 1, 1), D(1899, 12, 31), "year")),
    # ranges
    ("from March 3 to March 5", FRI, (D(2016, 3, 3), D(2016, 3, 5), "day")),
    ("from March 3 to March 5, 2015", None, (D(2015, 3, 3), D(2015, 3, 5), "day")),
    ("March 3-5, 2015", None, (D(2015, 3, 3), D(2015, 3, 5), "day")),
    ("between 2014 and 2016", None, (D(2014, 1, 1), D(2016, 12, 31), "year")),
    ("2014-16", None, (D(2014, 1, 1), D(2016, 12, 31), "year")),
    ("from December to February", MAR1, (D(2016, 12, 1), D(2017, 2, 28), "month")),
    ("Monday to Wednesday", FRI, (D(2017, 2, 13), D(2017, 2, 15), "day")),
    # seasons, quarters, holidays
    ("last summer", FRI, (D(2016, 6, 1), D(2016, 8, 31), "month")),
    ("this summer", D(2017, 7, 10), (D(2017, 6, 1), D(2017, 8, 31), "month")),
    ("winter 2017", None, (D(2016, 12, 1), D(2017, 2, 28), "month")),
    ("the first quarter of 2017", None, (D(2017, 1, 1), D(2017, 3, 31), "month")),
    ("Q3 2016", None, (D(2016, 7, 1), D(2016, 9, 30), "month")),
    ("last quarter", JAN1, (D(2016, 10, 1), D(2016, 12, 31), "month")),
    ("Christmas", JAN1, day(D(2016, 12, 25))),
    ("Easter 2016", None, day(D(2016, 3, 27))),
    # never guess
    ("the next day", FRI, None),
    ("two days later", FRI, None),
    ("a few days ago", FRI, None),
    ("recently", FRI, None),
    ("three years", FRI, None),
    ("3 p.m.", FRI, None),
    # relative forms need a publication date
    ("Friday", None, None),
    ("last week", None, None),
    ("February 17", None, None),
    ("since 2014", None, None),
]


@pytest.mark.parametrize(("text", "published", "expected"), TABLE)
def test_resolve_expression_table(
    text: str, published: date | None, expected: tuple[date, date, str] | None
) -> None:
    assert resolve_expression(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday", day(MON)),
        ("Friday", day(FRI)),
        ("December", (D(2017, 12, 1), D(2017, 12, 31), "month")),
        ("February 20", day(MON)),
        ("the fourth quarter", (D(2017, 10, 1), D(2017, 12, 31), "month")),
        ("Christmas", day(D(2017, 12, 25))),
    ],
)
def test_future_reading_picks_the_next_occurrence(text: str, expected: tuple[date, date, str]) -> None:
    assert resolve_expression(text, FRI, future=True) == expected


def test_resolution_carries_a_reason_and_unresolved_says_why() -> None:
    out = resolve("on Friday", FRI)
    assert isinstance(out, Resolution)
    assert "2017-02-17" in out.reason and "weekday" in out.reason
    assert isinstance(resolve("two days later", FRI), Unresolved)
    assert "another event" in resolve("two days later", FRI).reason
    assert "publication" in resolve("yesterday", None).reason


def test_datetime_publication_is_treated_as_its_date() -> None:
    assert resolve_expression("yesterday", datetime(2017, 2, 17, 23, 30)) == day(D(2017, 2, 16))


# --- find_dates on parsed news ----------------------------------------------------------------

FRONT = """Government forces recaptured the hilltop town of Tel Safa on Thursday after weeks of heavy \
fighting, a monitoring group said on Friday.

The army had launched the offensive in December, and rebel units have for months been shelling the \
road that links the town to the airport. Earlier this month, a 45-year-old commander of the Northern \
Brigade was killed in an air strike near the airport, his family said.

The 3rd Division lost more than 40 fighters last week, the group said, the second time it has \
suffered such losses since January."""

FUTURE = """Negotiators from both sides will meet again on Monday in Geneva, the UN envoy said on \
Wednesday. Parliamentary elections are scheduled for December, and the interim council is expected \
to approve the electoral law on Tuesday."""

NAMES = """Prime Minister Theresa May said in May that the talks would continue. Relatives of the \
victims of Bloody Sunday met officials in Belfast, where the Good Friday Agreement is still debated, \
the Sunday Times reported. Thousands joined the Women's March in January."""

NO_PUB = """The ceasefire signed on March 3, 2016 collapsed on Tuesday, officials said. Fighting first \
broke out in 2014 and flared again last week, while the UN says the 1990s were calmer."""

RANGES = """From March 3 to March 5, 2015, delegates met in Vienna. Between 2014 and 2016 the militia \
doubled in size. The March 3-5 talks in Astana produced no agreement. Rebels held the town from 2012-14."""

AGES = """A 45-year-old man and his 19-year-old son were among the dead, police said on Saturday. A \
woman in her 60s, aged 63, was also hurt. The 101st Airborne Division arrived for the third time, and \
the 2nd Battalion followed two days later. He was jailed for three years in 2009, while the president \
has been in power for 17 years. The annual 24-hour vigil began at 6 p.m. on Sunday."""


TENSE = """Troops entered Idlib overnight, residents said. Officials said Tuesday's attack was \
planned abroad, and the envoy said talks would resume on Monday. The militia had withdrawn from the \
valley by the end of August."""


@pytest.fixture(scope="module")
def pipeline() -> Language:
    return load_pipeline()


def refs_by_text(pipeline: Language, text: str, published: date | None) -> dict[str, TimeRef]:
    refs = find_dates(pipeline(text), published)
    for r in refs:
        assert text[r.span[0] : r.span[1]] == r.text, "span must point at the expression in doc.text"
    return {r.text: r for r in refs}


def at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def rng(ref: TimeRef) -> tuple[date | None, date | None, str | None]:
    return ref.start, ref.end, ref.precision


@pytest.mark.slow
def test_find_dates_resolves_each_expression_with_its_own_range(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, FRONT, FRI)
    assert refs["Thursday"].span == at(FRONT, "Thursday")
    assert rng(refs["Thursday"]) == day(D(2017, 2, 16))
    assert rng(refs["Friday"]) == day(FRI)  # "said on Friday", published on a Friday
    assert refs["December"].span == at(FRONT, "December")  # "launched the offensive in December"
    assert rng(refs["December"]) == (D(2016, 12, 1), D(2016, 12, 31), "month")
    assert rng(refs["Earlier this month"]) == (D(2017, 2, 1), FRI, "month")
    assert rng(refs["last week"]) == (D(2017, 2, 6), D(2017, 2, 12), "week")
    assert rng(refs["since January"]) == (D(2017, 1, 1), FRI, "month")
    assert refs["for months"].span == at(FRONT, "for months")  # "have for months been shelling"
    assert rng(refs["for months"]) == (D(2016, 12, 17), FRI, "month")
    assert "weekday on/before publication 2017-02-17" in refs["Friday"].reason


@pytest.mark.slow
def test_find_dates_keeps_unanchored_durations_unresolved(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, FRONT, FRI)
    weeks = refs["weeks"]  # "after weeks of heavy fighting"
    assert (weeks.start, weeks.end, weeks.precision) == (None, None, None)
    assert weeks.reason


@pytest.mark.slow
def test_find_dates_reads_future_tense_forward(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, FUTURE, FRI)
    assert rng(refs["Monday"]) == day(MON)  # "will meet again on Monday"
    assert rng(refs["Wednesday"]) == day(D(2017, 2, 15))  # "said on Wednesday"
    assert rng(refs["December"]) == (D(2017, 12, 1), D(2017, 12, 31), "month")  # "scheduled for December"
    assert rng(refs["Tuesday"]) == day(D(2017, 2, 21))  # "is expected to approve ... on Tuesday"


@pytest.mark.slow
def test_find_dates_skips_names_that_contain_dates(pipeline: Language) -> None:
    refs = find_dates(pipeline(NAMES), D(2017, 6, 10))
    assert [(r.text, r.span) for r in refs] == [
        ("May", at(NAMES, "May", 1)),
        ("January", at(NAMES, "January")),
    ]
    assert rng(refs[0]) == (D(2017, 5, 1), D(2017, 5, 31), "month")


@pytest.mark.slow
def test_find_dates_without_publication_date_resolves_only_absolute_dates(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, NO_PUB, None)
    assert rng(refs["March 3, 2016"]) == day(D(2016, 3, 3))
    assert rng(refs["2014"]) == (D(2014, 1, 1), D(2014, 12, 31), "year")
    assert rng(refs["the 1990s"]) == (D(1990, 1, 1), D(1999, 12, 31), "year")
    for relative in ("Tuesday", "last week"):
        assert relative in refs, "unresolvable expressions are kept"
        assert rng(refs[relative]) == (None, None, None)
        assert "publication" in refs[relative].reason


@pytest.mark.slow
def test_find_dates_keeps_range_words_in_the_span(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, RANGES, FRI)
    assert refs["From March 3 to March 5, 2015"].span == at(RANGES, "From March 3 to March 5, 2015")
    assert rng(refs["From March 3 to March 5, 2015"]) == (D(2015, 3, 3), D(2015, 3, 5), "day")
    assert rng(refs["Between 2014 and 2016"]) == (D(2014, 1, 1), D(2016, 12, 31), "year")
    assert rng(refs["March 3-5"]) == (D(2016, 3, 3), D(2016, 3, 5), "day")
    assert rng(refs["from 2012-14"]) == (D(2012, 1, 1), D(2014, 12, 31), "year")


@pytest.mark.slow
def test_find_dates_ignores_ages_ordinals_and_adjectival_durations(pipeline: Language) -> None:
    refs = find_dates(pipeline(AGES), FRI)
    texts = {r.text for r in refs}
    for not_a_date in (
        "45-year-old",
        "19-year-old",
        "60s",
        "her 60s",
        "63",
        "101st",
        "third",
        "2nd",
        "24-hour",
    ):
        assert not any(not_a_date in t for t in texts), not_a_date
    assert "annual" not in texts
    by_text = {r.text: r for r in refs}
    assert rng(by_text["Saturday"]) == day(D(2017, 2, 11))
    assert rng(by_text["6 p.m. on Sunday"]) == day(D(2017, 2, 12))
    assert rng(by_text["2009"]) == (D(2009, 1, 1), D(2009, 12, 31), "year")
    # "was jailed for three years" is a sentence length, "has been in power for 17 years" runs to now
    assert rng(by_text["for three years"]) == (None, None, None)
    assert rng(by_text["for 17 years"]) == (D(2000, 2, 17), FRI, "year")
    assert rng(by_text["two days later"]) == (None, None, None)


@pytest.mark.slow
def test_find_dates_spans_agree_with_resolve_expression(pipeline: Language) -> None:
    for text in (FRONT, RANGES, NO_PUB):
        for published in (FRI, None):
            for ref in find_dates(pipeline(text), published):
                if ref.start is None or "future" in ref.reason:
                    continue
                assert resolve_expression(ref.text, published) == rng(ref), ref


@pytest.mark.slow
def test_find_dates_catches_what_the_entity_model_misses(pipeline: Language) -> None:
    doc = pipeline(TENSE)
    assert not any(e.text == "overnight" for e in doc.ents)  # the rules, not spaCy, must find it
    refs = {r.text: r for r in find_dates(doc, FRI)}
    assert refs["overnight"].span == at(TENSE, "overnight")
    assert rng(refs["overnight"]) == (D(2017, 2, 16), FRI, "day")


@pytest.mark.slow
def test_find_dates_reads_tense_from_the_clause_not_the_sentence(pipeline: Language) -> None:
    refs = refs_by_text(pipeline, TENSE, FRI)
    assert rng(refs["Tuesday"]) == day(D(2017, 2, 14))  # "Tuesday's attack was planned": past
    assert rng(refs["Monday"]) == day(MON)  # "said talks would resume on Monday": ahead
    assert rng(refs["the end of August"]) == (D(2016, 8, 1), D(2016, 8, 31), "month")
