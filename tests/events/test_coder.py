"""The event coder on invented news sentences: one test per role construction and per mode."""

from __future__ import annotations

import pytest
from spacy.language import Language

from eventwire.actors.catalog import load_catalog
from eventwire.actors.finder import ActorFinder
from eventwire.events.coder import EventCoder, asserted, mention_contexts
from eventwire.records import Mention, PlaceRef


def code(nlp: Language, text: str, places: list[PlaceRef] | None = None) -> list[Mention]:
    doc = nlp(text)
    actors = ActorFinder(nlp.vocab, load_catalog()).analyse(doc)
    return EventCoder().code(doc, actors, places or [], [])


def place(text: str, body: str, name: str, lat: float, lon: float, precision: str = "place") -> PlaceRef:
    start = body.index(text)
    return PlaceRef(
        text=text, span=(start, start + len(text)), name=name, lat=lat, lon=lon, precision=precision
    )


def only(mentions: list[Mention], type_: str) -> Mention:
    found = [m for m in mentions if m.type == type_]
    assert len(found) == 1, [(m.type, m.trigger.text) for m in mentions]
    return found[0]


def test_active_subject_and_object(nlp: Language) -> None:
    m = only(
        code(nlp, "Al-Shabaab fighters attacked an African Union base near the town on Sunday."), "ASSAULT"
    )
    assert m.actor1 is not None and m.actor1.id == "SHABAAB"
    assert m.actor2 is not None and m.actor2.id == "AU"
    assert not m.negated and not m.hypothetical


def test_passive_with_agent(nlp: Language) -> None:
    m = only(code(nlp, "The convoy was attacked by Houthi rebels outside the port city."), "ASSAULT")
    assert m.actor1 is not None and m.actor1.id == "HOUTHI"
    assert (m.actor2 is not None and "convoy" in m.actor2.text) or m.actor2 is None


def test_adjectival_backing_gives_support(nlp: Language) -> None:
    text = (
        "The Syrian Democratic Forces pushed into the eastern suburbs. "
        "The U.S.-backed alliance said it had cleared three districts."
    )
    support = [m for m in code(nlp, text) if m.type == "SUPPORT"]
    assert support, "an 'X-backed' adjective must yield SUPPORT"
    assert support[0].actor1 is not None and support[0].actor1.id == "USA"
    assert support[0].actor2 is not None and support[0].actor2.id == "SDF"


def test_reduced_relative_backed_by(nlp: Language) -> None:
    m = only(code(nlp, "Rebels backed by Turkey shelled the Kurdish-held town."), "SUPPORT")
    assert m.actor1 is not None and m.actor1.id == "TUR"
    assert m.actor2 is not None and m.actor2.kind == "rebel"


def test_country_and_institution_noun(nlp: Language) -> None:
    m = only(code(nlp, "The Nigerian army killed 14 Boko Haram militants in Borno state."), "ASSAULT")
    assert m.actor1 is not None and m.actor1.id == "NGA-MIL"
    assert m.actor2 is not None and m.actor2.id == "BOKO"
    assert m.fatalities == 14


def test_alias_and_description_corefer(nlp: Language) -> None:
    text = (
        "Daesh claimed the bombing in the capital. Hours later the jihadist group "
        "attacked a police station in the north of the country."
    )
    m = next(m for m in code(nlp, text) if m.trigger.text == "attacked")
    assert m.actor1 is not None and m.actor1.id == "ISIL"
    assert "description" in m.actor1.reason


def test_pronoun_subject_resolves_to_previous_subject(nlp: Language) -> None:
    text = "Hamas said on Monday it had fired rockets at Israeli towns."
    m = next(m for m in code(nlp, text) if m.type == "ASSAULT")
    assert m.actor1 is not None and m.actor1.id == "HAMAS"
    assert m.attributed_to == "Hamas"


def test_light_verb_with_event_noun(nlp: Language) -> None:
    m = only(code(nlp, "Russian warplanes carried out airstrikes on rebel positions in Idlib."), "ASSAULT")
    assert m.actor1 is not None and m.actor1.country == "RUS"
    assert m.acled is not None and m.acled.sub_event_type == "Air/drone strike"


def test_clashes_between_two_actors(nlp: Language) -> None:
    m = only(
        code(nlp, "Fierce clashes between the Sudanese Armed Forces and the Rapid Support Forces continued."),
        "ASSAULT",
    )
    assert m.actor1 is not None and m.actor1.id == "SDN-SAF"
    assert m.actor2 is not None and m.actor2.id == "RSF"
    assert m.acled is not None and m.acled.event_type == "Battles"


def test_conjoined_subject_is_a_compound_actor(nlp: Language) -> None:
    m = only(code(nlp, "Kurdish and Arab fighters stormed the village before dawn."), "ASSAULT")
    assert m.actor1 is not None and m.actor1.kind == "armed_group"


def test_negation(nlp: Language) -> None:
    m = only(code(nlp, "The army did not attack the protesters, the ministry said."), "ASSAULT")
    assert m.negated


def test_future_and_planned(nlp: Language) -> None:
    planned = only(code(nlp, "The Taliban plan to attack the provincial capital."), "ASSAULT")
    assert planned.hypothetical
    future = only(code(nlp, "NATO will deploy more troops to the eastern flank."), "MOBILIZE")
    assert future.hypothetical


def test_threat_is_threaten_not_assault(nlp: Language) -> None:
    mentions = code(nlp, "The Houthis threatened to attack ships in the Red Sea.")
    assert [m.type for m in mentions] == ["THREATEN"]
    assert mentions[0].actor1 is not None and mentions[0].actor1.id == "HOUTHI"


def test_claimed_by_a_speaker(nlp: Language) -> None:
    text = "Gunmen abducted 20 students from a school, according to local police."
    m = only(code(nlp, text), "ASSAULT")
    assert m.attributed_to is not None and "police" in m.attributed_to
    assert m.acled is not None and m.acled.sub_event_type == "Abduction/forced disappearance"


def test_event_place_is_target_not_origin(nlp: Language) -> None:
    text = "Fighters from Aleppo attacked Raqqa overnight."
    places = [place("Aleppo", text, "Aleppo", 36.2, 37.16), place("Raqqa", text, "Ar Raqqah", 35.95, 39.01)]
    m = only(code(nlp, text, places), "ASSAULT")
    assert m.place is not None and m.place.name == "Ar Raqqah"


def test_city_preferred_over_region_in_same_clause(nlp: Language) -> None:
    text = "The militia has been fighting the army in northern Syria around Raqqa."
    places = [
        place("northern Syria", text, "Syria", 35.0, 38.0, "region"),
        place("Raqqa", text, "Ar Raqqah", 35.95, 39.01),
    ]
    m = only(code(nlp, text, places), "ASSAULT")
    assert m.place is not None and m.place.name == "Ar Raqqah"


def test_protest_dispersed_with_tear_gas(nlp: Language) -> None:
    text = "Thousands of students protested in the capital before police fired tear gas to disperse them."
    m = next(m for m in code(nlp, text) if m.type == "PROTEST")
    assert m.acled is not None and m.acled.sub_event_type == "Protest with intervention"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A roadside bomb killed three soldiers near the border.", "Remote explosive/landmine/IED"),
        ("Army artillery shelled the rebel-held district overnight.", "Shelling/artillery/missile attack"),
        ("Gunmen killed six villagers in an overnight raid.", "Attack"),
        ("A suicide bomber attacked a mosque during Friday prayers.", "Suicide bomb"),
    ],
)
def test_acled_sub_event_from_instrument_and_target(nlp: Language, text: str, expected: str) -> None:
    subs = {m.acled.sub_event_type for m in code(nlp, text) if m.acled}
    assert expected in subs


def test_no_event_in_plain_description(nlp: Language) -> None:
    assert code(nlp, "The city has a population of about two million people and a busy port.") == []


# -- role constructions ----------------------------------------------------------------------------------


def test_relative_clause_subject_is_the_antecedent(nlp: Language) -> None:
    text = (
        "The Kurdish militia, which attacked an army checkpoint near the border last week, "
        "withdrew from the town on Sunday. Residents said the streets were quiet."
    )
    attack = next(m for m in code(nlp, text) if m.trigger.text == "attacked")
    assert attack.actor1 is not None and attack.actor1.kind == "militia"
    assert attack.actor2 is not None and "checkpoint" in attack.actor2.text
    assert attack.acled is not None and attack.acled.sub_event_type == "Armed clash"


def test_apposition_keeps_the_named_actor(nlp: Language) -> None:
    text = (
        "The Syrian Democratic Forces, a Kurdish-led alliance, stormed the village of Tal Saman before dawn."
    )
    m = only(code(nlp, text), "ASSAULT")
    assert m.actor1 is not None and m.actor1.id == "SDF"


def test_control_verb_passes_its_subject_and_marks_the_plan(nlp: Language) -> None:
    text = "Government troops advanced on the rebel stronghold, aiming to encircle it before the rains."
    encircle = next(m for m in code(nlp, text) if m.trigger.text == "encircle" and m.type == "ASSAULT")
    assert encircle.actor1 is not None and encircle.actor1.kind == "military"
    assert encircle.hypothetical and "planned" in mention_contexts(encircle)


def test_received_from_makes_the_giver_the_source(nlp: Language) -> None:
    text = "The rebels received weapons and ammunition from Sudan, according to a United Nations report."
    m = only(code(nlp, text), "AID")
    assert m.actor1 is not None and m.actor1.id == "SDN"
    assert m.actor2 is not None and m.actor2.kind == "rebel"
    assert m.attributed_to == "United Nations"


def test_object_pronoun_does_not_point_to_its_own_subject(nlp: Language) -> None:
    text = (
        "Nigerian troops stormed the camp at dawn. "
        "Boko Haram fighters had held villagers there, and the troops freed them."
    )
    freed = next(m for m in code(nlp, text) if m.trigger.text == "freed")
    assert freed.actor1 is not None and freed.actor1.id == "NGA-MIL"  # "the troops" = the Nigerian troops
    assert freed.actor2 is not None and freed.actor2.kind == "civilians"  # "them" = the villagers


# -- modes -----------------------------------------------------------------------------------------------


def test_could_is_conditional_not_an_event_that_happened(nlp: Language) -> None:
    text = "The army could launch a ground offensive against the insurgents within days, officials warned."
    m = only(code(nlp, text), "ASSAULT")
    assert m.hypothetical and "conditional" in mention_contexts(m)
    assert m.actor2 is not None and m.actor2.kind == "rebel"


def test_future_in_reported_speech(nlp: Language) -> None:
    text = "The government said it would provide humanitarian aid to the flood victims next month."
    aid = only(code(nlp, text), "AID")
    assert aid.hypothetical and "future" in mention_contexts(aid)
    assert aid.actor1 is not None and aid.actor1.kind == "government"
    # PLOVER: a promised cooperative act is also an AGREE by the one who promises it.
    agree = only(code(nlp, text), "AGREE")
    assert agree.actor1 is not None and "derived" in agree.rule


def test_historical_and_repeated_events(nlp: Language) -> None:
    text = (
        "Houthi rebels captured the port town of Mokha last year. "
        "On Monday the Taliban seized the district headquarters for a second time, police said."
    )
    mentions = code(nlp, text)
    captured = next(m for m in mentions if m.trigger.text == "captured")
    seized = next(m for m in mentions if m.trigger.text == "seized" and m.type == "ASSAULT")
    assert "historical" in mention_contexts(captured)
    assert "repeated" in mention_contexts(seized)
    assert seized.attributed_to == "police"


def test_negated_cooperation_is_a_refusal(nlp: Language) -> None:
    text = "Sudan will not sign the peace agreement with the rebels, the foreign minister said on Friday."
    mentions = code(nlp, text)
    sign = next(m for m in mentions if m.type == "SUPPORT")
    assert sign.negated
    reject = only(mentions, "REJECT")
    assert reject.actor1 is not None and reject.actor1.id == "SDN"
    assert reject.attributed_to == "the foreign minister"


def test_wanting_another_actor_to_act_is_a_request(nlp: Language) -> None:
    mentions = code(nlp, "Turkey wants the United States to stop arming Kurdish fighters.")
    request = only(mentions, "REQUEST")
    assert request.actor1 is not None and request.actor1.id == "TUR"
    assert request.actor2 is not None and request.actor2.id == "USA"
    aid = only(mentions, "AID")
    assert aid.negated and aid.hypothetical


def test_a_named_party_claiming_an_attack_by_another_accuses_it(nlp: Language) -> None:
    text = "Ukraine said Russian troops shelled the town of Kupiansk overnight, killing two civilians."
    mentions = code(nlp, text)
    shelling = next(m for m in mentions if m.type == "ASSAULT")
    assert shelling.attributed_to == "Ukraine"
    accuse = only(mentions, "ACCUSE")
    assert accuse.actor1 is not None and accuse.actor1.id == "UKR"
    assert accuse.actor2 is not None and accuse.actor2.country == "RUS"


def test_responsibility_claim_refers_to_the_attack(nlp: Language) -> None:
    text = "Al-Shabaab claimed responsibility for the bombing in Mogadishu on Saturday."
    mentions = code(nlp, text)
    assert all(not asserted(m) for m in mentions if m.type == "ASSAULT")


def test_deaths_in_a_disaster_are_not_violence(nlp: Language) -> None:
    text = (
        "A strong earthquake struck the coast on Sunday, killing at least nine people. "
        "Four workers were injured when a gas tank exploded at the fertiliser plant."
    )
    assert [m for m in code(nlp, text) if m.type in ("ASSAULT", "COERCE")] == []


# -- ACLED sub-event types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Iraqi forces recaptured the town of Baiji from Islamic State militants on Tuesday.",
            "Government regains territory",
        ),
        (
            "Islamic State fighters overran the town of Hit after two days of fighting.",
            "Non-state actor overtakes territory",
        ),
        (
            "Police in Minsk detained dozens of protesters outside the parliament.",
            "Protest with intervention",
        ),
        (
            "Security forces opened fire on demonstrators in the capital, killing at least four people.",
            "Excessive force against protesters",
        ),
        ("Hundreds of rioters torched cars in the city centre on Saturday night.", "Violent demonstration"),
        ("An angry mob lynched a man accused of stealing a motorbike in the village.", "Mob violence"),
        (
            "Soldiers found and defused two roadside bombs on the highway to Kandahar.",
            "Disrupted weapons use",
        ),
        (
            "Turkish troops set up a new military base near the town of Bashiqa.",
            "Headquarters or base established",
        ),
        ("Two hundred rebel fighters surrendered to the army in Kasai province.", "Agreement"),
        (
            "Rebels and government forces exchanged prisoners near Aden under a deal brokered by mediators.",
            "Agreement",
        ),
        (
            "Six people were killed when government forces used chlorine gas on the district.",
            "Chemical weapon",
        ),
        ("Al-Shabaab fighters captured three soldiers near Afgoye.", "Abduction/forced disappearance"),
        (
            "Thousands of students marched through the capital on Friday to demand free tuition.",
            "Peaceful protest",
        ),
        ("Gunmen opened fire on a bus carrying passengers near the village, officials said.", "Attack"),
    ],
)
def test_acled_sub_event_from_actors_targets_and_objects(nlp: Language, text: str, expected: str) -> None:
    subs = {m.acled.sub_event_type for m in code(nlp, text) if m.acled and asserted(m)}
    assert expected in subs, subs


def test_a_crowd_counted_by_number_marches_in_protest(nlp: Language) -> None:
    text = (
        "Thousands marched through the capital on Tuesday against the new finance bill. "
        "Hundreds of soldiers marched on the rebel-held town two days later."
    )
    mentions = code(nlp, text)
    protest = only(mentions, "PROTEST")
    assert protest.trigger.text == "marched"
    assert protest.actor1 is not None and protest.actor1.kind == "civilians"
    assault = only(mentions, "ASSAULT")
    assert assault.actor1 is not None and assault.actor1.kind == "military"
