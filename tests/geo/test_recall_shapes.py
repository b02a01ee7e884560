"""More shapes of toponym: demonyms of several words, currencies, British counties, title-case datelines,
names the model tags as dates, rivers."""

from __future__ import annotations

import pytest

from eventwire.geo import PlaceResolver
from eventwire.geo.resolve import EMBEDDED_REASON

pytestmark = pytest.mark.slow

SEOUL = (
    "SEOUL — A South Korean court on Friday sentenced the former president to 24 years in prison. "
    "Outside, crowds waved flags while North Korean state media called the trial a farce.\n\n"
    "The verdict was read in Korean and in English. An English lawyer who watched it said the "
    "sentence was harsher than expected."
)

RACING = (
    "The touring car season starts at Brands Hatch in April. The calendar: 28/29 July: Snetterton, "
    "Norfolk. 11/12 August: Rockingham, Northamptonshire. 15/16 September: Silverstone, "
    "Northamptonshire. The final round returns to Kent in October."
)

LOAN = (
    "Georgia signed a loan agreement worth 500 million US dollars with the Asian Development Bank on "
    "Tuesday, the finance ministry said. The first payments are due next spring."
)


def _places(resolver: PlaceResolver, nlp, text: str, **kw):
    refs = resolver.find_places(nlp(text), **kw)
    for ref in refs:
        assert text[ref.span[0] : ref.span[1]] == ref.text
    return refs


def _one(refs, text):
    found = [r for r in refs if r.text == text]
    assert found, f"{text!r} not in {[r.text for r in refs]}"
    return found[0]


def test_demonyms_of_two_words_are_one_demonym(resolver, nlp):
    demonyms = resolver.find_demonyms(nlp(SEOUL))
    assert _one(demonyms, "South Korean").country == "KOR"
    assert _one(demonyms, "North Korean").country == "PRK"
    assert "Korean" not in {d.text for d in demonyms}  # alone it names the language here, and no country


def test_a_language_name_ending_a_phrase_is_the_language(resolver, nlp):
    demonyms = resolver.find_demonyms(nlp(SEOUL))
    english = [d for d in demonyms if d.text == "English"]
    # "in English." is the language; "An English lawyer" is of England.
    assert len(english) == 1 and english[0].name == "England" and english[0].country == "GBR"
    assert SEOUL[english[0].span[0] - 3 : english[0].span[0]] == "An "


def test_a_town_before_a_county_the_hierarchy_does_not_know(resolver, nlp):
    refs = _places(resolver, nlp, RACING)
    silverstone = _one(refs, "Silverstone")
    assert silverstone.country == "GBR"
    assert "qualified by Northamptonshire" in silverstone.reason
    # The county after "Snetterton," is the English county, not a namesake city in Virginia.
    norfolk = _one(refs, "Norfolk")
    assert norfolk.country == "GBR" and norfolk.precision == "region"
    assert _one(refs, "Kent").country == "GBR"


def test_the_name_after_a_town_and_comma_is_its_division(resolver, nlp):
    text = (
        "The band, formed in Diss, Norfolk, plays Chicago next month before a tour of Texas. Its "
        "singer said the American dates sold out in a day."
    )
    refs = _places(resolver, nlp, text)
    assert _one(refs, "Diss").country == "GBR"
    norfolk = _one(refs, "Norfolk")  # not the larger Norfolk of Virginia, for all the American context
    assert norfolk.country == "GBR" and norfolk.precision == "region"
    assert _one(refs, "Texas").country == "USA"


def test_a_currency_names_a_country_but_is_no_evidence_of_the_story(resolver, nlp):
    everything = _places(resolver, nlp, LOAN, embedded=True)
    us = _one(everything, "US")
    assert us.country == "USA" and us.reason.startswith(EMBEDDED_REASON)
    events = _places(resolver, nlp, LOAN)
    assert "US" not in {r.text for r in events}
    # Counted as evidence, the dollars would make this the US state.
    assert _one(events, "Georgia").country == "GEO"


def test_a_title_case_dateline_before_a_colon(resolver, nlp):
    text = (
        "Muscat: The tenth film festival closed on Thursday with a prize for a Syrian documentary.\n"
        "Update: The jury's statement was published after the ceremony."
    )
    refs = _places(resolver, nlp, text)
    muscat = _one(refs, "Muscat")
    assert muscat.country == "OMN" and muscat.precision == "place"
    assert "Update" not in {r.text for r in refs}


def test_a_town_the_model_tags_as_a_date(resolver, nlp):
    text = (
        "The soldier had been embedded with US special forces in Manbij near the Turkish border when the "
        "bomb went off. He was flown home in August."
    )
    doc = nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Manbij"] == ["DATE"]  # the trap this test is about
    refs = resolver.find_places(doc)
    assert _one(refs, "Manbij").country == "SYR"
    assert "August" not in {r.text for r in refs}


def test_a_river_in_a_water_dispute(resolver, nlp):
    text = (
        "The Supreme Court ordered the Centre to settle the Cauvery dispute between Karnataka and Tamil "
        "Nadu within six weeks. Farmers in Mandya said the river had run dry."
    )
    refs = _places(resolver, nlp, text)
    river = _one(refs, "Cauvery")
    assert river.name == "Kaveri" and river.country == "IND"


def test_streets_and_buildings_take_the_place_the_article_puts_them_in(resolver, nlp):
    text = (
        "A Christmas party turned deadly early Sunday with a stabbing, police said. Officers were called "
        "to a banquet hall on Falcon Street in London shortly after midnight.\n\n"
        "Fine dust was measured at 377 micrograms per cubic metre near Seoul's Jamsil Stadium. The band "
        "played the Convention Centre, Dublin last year and Victoria Street on Saturday."
    )
    refs = _places(resolver, nlp, text)
    street = _one(refs, "Falcon Street")
    assert street.name == "Falcon Street, London" and street.country == "GBR" and street.geonameid is None
    assert street.feature_code == "ST" and street.precision == "place"
    assert "Falcon" not in {r.text for r in resolver.find_places(nlp(text), embedded=True)}
    stadium = _one(refs, "Jamsil Stadium")
    assert stadium.country == "KOR" and stadium.feature_code == "BLDG"
    assert _one(refs, "Convention Centre").country == "IRL"
    assert "Victoria Street" not in {r.text for r in refs}  # no place said: not guessed
    embassy = "Protesters gathered outside the Turkish Embassy in Moscow on Monday."
    assert {r.text for r in resolver.find_places(nlp(embassy))} == {"Moscow"}  # Turkey's, not Moscow's


def test_a_peoples_adjective_before_a_noun_is_no_town(resolver, nlp):
    text = (
        "The withdrawal leaves a vacuum that Israel, Arab leaders and other members of the coalition "
        "must now fill, officials in Amman said. Rebels who held Aleppo collapsed within weeks."
    )
    doc = nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Arab"] == ["NORP"]
    refs = resolver.find_places(doc, embedded=True)
    assert "Arab" not in {r.text for r in refs}  # listed after Israel, but not Arab, Alabama
    assert _one(refs, "Amman").country == "JOR"
    assert _one(refs, "Aleppo").country == "SYR"
