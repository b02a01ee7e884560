"""Toponym recognition and resolution on invented news articles with the classic traps."""

from __future__ import annotations

import pytest

from eventwire.geo import PlaceResolver

pytestmark = pytest.mark.slow

SYRIA_ARTICLE = (
    "BEIRUT — Syrian government forces backed by Russian jets recaptured the ancient city of Palmyra on "
    "Sunday, state media said, two months after Islamic State fighters overran it.\n\n"
    "The Pentagon said coalition aircraft struck positions near Aleppo and in Deir al-Zor province, where "
    "the militants still hold stretches of the Euphrates valley. Fighting also flared in northern Syria, "
    "close to the Turkish border.\n\n"
    '"We will not stop until every village is free," a commander told reporters in Homs. Tens of '
    "thousands of Syrians have fled toward Raqqa and Damascus since the offensive began."
)


def _places(resolver: PlaceResolver, nlp, text: str, **kw):
    doc = nlp(text)
    refs = resolver.find_places(doc, **kw)
    for ref in refs:
        assert text[ref.span[0] : ref.span[1]] == ref.text  # spans are exact offsets into the text
    return refs


def _by_text(refs, text):
    found = [r for r in refs if text in r.text]
    assert found, f"{text!r} not found in {[r.text for r in refs]}"
    return found[0]


def test_syrian_article_resolves_every_place_in_syria(resolver, nlp):
    refs = _places(resolver, nlp, SYRIA_ARTICLE)
    palmyra = _by_text(refs, "Palmyra")
    assert palmyra.geonameid == 163808 and palmyra.country == "SYR"  # Tadmur, not Palmyra, New Jersey
    assert palmyra.reason and 0 < palmyra.score <= 1
    assert _by_text(refs, "Aleppo").geonameid == 170063
    homs = _by_text(refs, "Homs")
    assert homs.country == "SYR" and homs.precision == "place"
    assert _by_text(refs, "Raqqa").geonameid == 172955


def test_province_and_direction_give_region_precision(resolver, nlp):
    refs = _places(resolver, nlp, SYRIA_ARTICLE)
    province = _by_text(refs, "Deir al-Zor")
    assert province.precision == "region" and province.country == "SYR"
    assert province.text.endswith("province")
    north = _by_text(refs, "Syria")
    assert north.text == "northern Syria" and north.precision == "region"
    assert (north.lat, north.lon) == (35.0, 38.0)


def test_demonyms_and_organisations_are_not_places(resolver, nlp):
    refs = _places(resolver, nlp, SYRIA_ARTICLE)
    texts = {r.text for r in refs}
    assert not texts & {"Syrian", "Russian", "Syrians", "Turkish", "Islamic State", "Pentagon"}
    assert resolver.demonym_country("Syrians") == "SYR"
    assert resolver.demonym_country("Turkish") == "TUR"


PARIS_FRANCE = (
    "Thousands of protesters marched through Paris on Saturday against the pension reform. Police in the "
    "French capital fired tear gas near the Place de la Bastille, and unions promised more strikes in Lyon "
    "and Marseille next week."
)
PARIS_TEXAS = (
    "A tornado tore through Paris on Tuesday night, damaging dozens of homes in the Lamar County seat. "
    "The National Weather Service office in Dallas said the storm crossed from Oklahoma before weakening "
    "over northeast Texas."
)


def test_paris_is_in_france_by_default_and_in_texas_when_the_article_is(resolver, nlp):
    france = _by_text(_places(resolver, nlp, PARIS_FRANCE), "Paris")
    assert france.country == "FRA" and france.geonameid == 2988507
    texas = _by_text(_places(resolver, nlp, PARIS_TEXAS), "Paris")
    assert texas.country == "USA" and texas.admin1 == "Texas"


def test_georgia_is_the_country_or_the_us_state_by_context(resolver, nlp):
    caucasus = (
        "Russian troops remain in two breakaway regions of Georgia, the government in Tbilisi said on "
        "Monday, accusing Moscow of moving border markers deeper into its territory."
    )
    southern = (
        "Early voting lines stretched around the block in Atlanta, and officials in Savannah extended "
        "hours as turnout in Georgia hit a record for a midterm election."
    )
    country = _by_text(_places(resolver, nlp, caucasus), "Georgia")
    assert country.country == "GEO" and country.precision == "country"
    state = _by_text(_places(resolver, nlp, southern), "Georgia")
    assert state.country == "USA" and state.feature_code == "ADM1" and state.precision == "region"


def test_tripoli_is_libyan_unless_the_article_is_about_lebanon(resolver, nlp):
    libya = (
        "Clashes between rival militias shook Tripoli overnight, residents said, as the unity government "
        "sent reinforcements from Misrata. Flights at the capital's airport were suspended."
    )
    lebanon = (
        "Lebanese soldiers deployed in Tripoli after gunmen from two neighbourhoods exchanged fire, the "
        "army said. The northern port city is about 80 kilometres from Beirut."
    )
    assert _by_text(_places(resolver, nlp, libya), "Tripoli").country == "LBY"
    assert _by_text(_places(resolver, nlp, lebanon), "Tripoli").country == "LBN"


def test_town_named_like_a_capital_follows_its_state_qualifier(resolver, nlp):
    text = (
        "A water main break flooded the main street of Damascus, Md., on Friday, and county crews worked "
        "through the night. Residents of nearby Germantown were asked to boil tap water."
    )
    refs = _places(resolver, nlp, text)
    damascus = _by_text(refs, "Damascus")
    assert damascus.country == "USA" and damascus.admin1 == "Maryland"
    assert any(r.text == "Md." and r.name == "Maryland" for r in refs)


def test_place_named_only_by_its_region(resolver, nlp):
    text = (
        "Aid agencies warned of famine in Darfur, where fighting between the army and the Rapid Support "
        "Forces has cut roads for weeks. Convoys are waiting at the border with Chad."
    )
    refs = _places(resolver, nlp, text)
    darfur = _by_text(refs, "Darfur")
    assert darfur.country == "SDN" and darfur.precision == "region"
    assert _by_text(refs, "Chad").country == "TCD"


def test_outlet_country_breaks_a_tie(resolver, nlp):
    text = (
        "Heavy rain closed schools in Hyderabad on Wednesday, and the weather office warned of more storms."
    )
    india = _by_text(_places(resolver, nlp, text, outlet_country="IND"), "Hyderabad")
    pakistan = _by_text(_places(resolver, nlp, text, outlet_country="PAK"), "Hyderabad")
    assert india.country == "IND" and pakistan.country == "PAK"
