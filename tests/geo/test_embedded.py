"""Toponyms inside organisation names, one sense per discourse, and the three evaluation figure sets."""

from __future__ import annotations

import json

import pytest

from eventwire.geo import PlaceResolver
from eventwire.geo.evaluate import evaluate_geo
from eventwire.geo.resolve import EMBEDDED_REASON

pytestmark = pytest.mark.slow

CRASH = (
    "FRANKFORT, Ky. — Kentucky State Police said on Tuesday that two troopers were hurt when a truck "
    "hit their cruiser on Interstate 65 near Bowling Green.\n\n"
    "A spokesman for the Ford Motor Company said the truck was not one of theirs. Apple declined to "
    "comment. The Louisville Courier-Journal first reported the crash."
)

SIEGE = (
    "Kurdish-led forces said they had surrounded Raqqa on Monday. Commanders expect a long siege "
    "before they take Raqqa, and aid groups warned that civilians trapped in Raqqa have little food. "
    "The coalition said it would keep bombing Raqqa until the militants surrender."
)


def _texts(refs):
    return [r.text for r in refs]


def test_places_inside_organisation_names_are_found_but_kept_out_of_event_places(resolver, nlp):
    doc = nlp(CRASH)
    event_places = resolver.find_places(doc)
    everything = resolver.find_places(doc, embedded=True)
    assert "Kentucky" not in _texts(event_places)  # the police force says who, not where
    kentucky = next(r for r in everything if r.text == "Kentucky")
    assert kentucky.country == "USA" and kentucky.name == "Kentucky"
    assert kentucky.reason.startswith(EMBEDDED_REASON) and "Kentucky State Police" in kentucky.reason
    assert kentucky.precision is None  # never mistaken for an ACLED-style event precision
    assert CRASH[kentucky.span[0] : kentucky.span[1]] == "Kentucky"
    # Real places keep their ordinary reading, and the company names give no places at all.
    bowling_green = next(r for r in event_places if r.text == "Bowling Green")
    assert bowling_green.admin1 == "Kentucky" and bowling_green.precision == "place"
    assert not any(t in ("Ford", "Apple", "Ford Motor Company") for t in _texts(everything))


def test_a_name_taken_as_a_place_once_is_a_place_at_every_occurrence(resolver: PlaceResolver, nlp):
    refs = [r for r in resolver.find_places(nlp(SIEGE)) if r.text == "Raqqa"]
    # The model leaves the first "Raqqa" (object of "surrounded") untagged; the article says what it is.
    assert len(refs) == SIEGE.count("Raqqa") == 4
    assert {r.geonameid for r in refs} == {172955} and {r.country for r in refs} == {"SYR"}
    first = min(refs, key=lambda r: r.span[0])
    assert "elsewhere in the article" in first.reason


def test_a_name_the_article_uses_for_a_person_is_not_spread_as_a_place(resolver, nlp):
    text = (
        "Mrs Jackson said her son had never been in trouble before. Police in Jackson, Mississippi, "
        "arrested him on Friday. Jackson said she would hire a lawyer, and Jackson told reporters the "
        "family had lived on the same street for twenty years."
    )
    refs = resolver.find_places(nlp(text))
    spans = [r.span for r in refs if r.text == "Jackson"]
    city = text.index("Jackson, Mississippi")
    assert (city, city + len("Jackson")) in spans
    assert len(spans) == 1  # "Jackson said" is the mother, not the city


def test_evaluation_reports_toponyms_with_demonyms_and_event_places(tmp_path, resolver, nlp):
    text = "Syrian troops fought in Raqqa on Monday. Kentucky State Police said a trooper was hurt."
    toponyms = []
    for word, gid, lat, lon in (
        ("Syrian", 163843, 35.0, 38.0),
        ("Raqqa", 172955, 35.95, 39.01),
        ("Kentucky", 6254925, 37.5, -85.0),
    ):
        start = text.index(word)
        toponyms.append({"start": start, "end": start + len(word), "geonameid": gid, "lat": lat, "lon": lon})
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"text": text, "toponyms": toponyms}) + "\n", encoding="utf-8")
    result = evaluate_geo(path, resolver, nlp)
    assert result["gold_toponyms"] == 3
    assert result["found"] == 2  # Raqqa and the Kentucky inside the police force's name
    assert result["with_demonyms"]["found"] == 3  # and "Syrian", linked to Syria
    assert result["event_places"]["found"] == 1  # only Raqqa is a place where something happened
    assert result["with_demonyms"]["precision"] == 1.0
    flipped = evaluate_geo(path, resolver, nlp, include_demonyms=True)
    assert flipped["found"] == 3 and flipped["without_demonyms"]["found"] == 2


def test_continent_adjectives_are_linked_like_demonyms_but_not_event_places(resolver, nlp):
    text = (
        "European ministers met in Brussels on Thursday. African leaders said the talks ignored them, "
        "and Syrian officials were not invited."
    )
    doc = nlp(text)
    demonyms = {r.text: r for r in resolver.find_demonyms(doc)}
    assert demonyms["European"].name == "Europe" and demonyms["European"].precision == "region"
    assert demonyms["African"].geonameid == 6255146  # the continent's GeoNames id
    assert demonyms["Syrian"].country == "SYR"
    assert not {"European", "African", "Syrian"} & {r.text for r in resolver.find_places(doc)}
