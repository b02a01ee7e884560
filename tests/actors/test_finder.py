"""Actor resolution on invented articles: aliases, institutions, descriptions, pronouns."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.actors.catalog import load_catalog
from eventwire.actors.finder import ActorFinder, ArticleActors

ARTICLE = (
    "Daesh fighters stormed a checkpoint outside Mosul on Tuesday, the Iraqi army said. "
    "The militant group, also known as ISIL, has lost most of its territory since 2017.\n\n"
    "Iraqi troops later retook the position. They were supported by the Popular Mobilization Forces, "
    "whose commander said his men had killed eleven attackers."
)


def analyse(nlp: Language, text: str) -> tuple[Doc, ArticleActors]:
    doc = nlp(text)
    return doc, ActorFinder(nlp.vocab, load_catalog()).analyse(doc)


def token(doc: Doc, text: str, nth: int = 0):
    return [t for t in doc if t.text == text][nth]


def test_aliases_resolve_to_one_actor(nlp: Language) -> None:
    _, actors = analyse(nlp, ARTICLE)
    ids = {a.id for a in actors.mentions()}
    assert "ISIL" in ids and "PMF" in ids
    isil = [a for a in actors.mentions() if a.id == "ISIL"]
    assert {a.text for a in isil} >= {"Daesh", "ISIL"}


def test_short_uppercase_alias_is_case_sensitive(nlp: Language) -> None:
    _, actors = analyse(nlp, "It is unclear who is behind the attack, but IS claimed it on its channels.")
    matched = [a.text for a in actors.mentions() if a.id == "ISIL"]
    assert matched == ["IS"]


def test_country_with_institution_noun(nlp: Language) -> None:
    doc, actors = analyse(nlp, ARTICLE)
    ref = actors.resolve(token(doc, "army"))
    assert ref is not None and ref.id == "IRQ-MIL" and ref.country == "IRQ"
    troops = actors.resolve(token(doc, "troops"))
    assert troops is not None and troops.id == "IRQ-MIL"


def test_members_of_a_named_group(nlp: Language) -> None:
    doc, actors = analyse(nlp, ARTICLE)
    ref = actors.resolve(token(doc, "fighters"))
    assert ref is not None and ref.id == "ISIL"


def test_description_resolves_to_named_actor(nlp: Language) -> None:
    doc, actors = analyse(nlp, ARTICLE)
    ref = actors.resolve(token(doc, "group"))
    assert ref is not None and ref.id == "ISIL"
    assert "description" in ref.reason


def test_plural_pronoun_resolves_to_previous_subject(nlp: Language) -> None:
    doc, actors = analyse(nlp, ARTICLE)
    ref = actors.resolve(token(doc, "They"))
    assert ref is not None and ref.id == "IRQ-MIL"


def test_unknown_actor_keeps_text_and_kind(nlp: Language) -> None:
    doc, actors = analyse(
        nlp, "Unidentified gunmen on motorbikes shot dead two Somali traders in the market."
    )
    gunmen = actors.resolve(token(doc, "gunmen"))
    assert gunmen is not None and gunmen.id is None and gunmen.kind == "armed_group"
    traders = actors.resolve(token(doc, "traders"))
    assert traders is not None and traders.kind == "civilians" and traders.country == "SOM"


def test_demonym_modifier_is_not_the_state(nlp: Language) -> None:
    doc, actors = analyse(nlp, "Syrian rebels shelled the town.")
    ref = actors.resolve(token(doc, "rebels"))
    assert ref is not None and ref.kind == "rebel" and ref.id is None and ref.country == "SYR"


def test_description_without_a_named_actor_stays_unresolved(nlp: Language) -> None:
    doc, actors = analyse(nlp, "The militant group attacked a bus station.")
    ref = actors.resolve(token(doc, "group"))
    assert ref is None or ref.id is None


def test_parent_organisation_and_acled_category() -> None:
    catalog = load_catalog()
    assert [e.id for e in catalog.lineage("YPG")] == ["YPG", "SDF"]
    assert catalog.acled_category("rebel") == "Rebel groups"
    assert catalog.acled_category("protesters") == "Protesters"
    assert catalog.acled_category("military", country="USA", where="SYR") == "External/Other forces"
    assert catalog.acled_category("military", country="SYR", where="SYR") == "State forces"


def test_adjective_and_singular_head_nouns_name_unknown_actors(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "Armed men on motorbikes stopped the bus near the market. "
        "A local activist who filmed the scene was later detained by unidentified warplanes' crews.",
    )
    men = actors.resolve(token(doc, "men"))
    assert men is not None and men.kind == "armed_group" and men.id is None
    activist = actors.resolve(token(doc, "activist"))
    assert activist is not None and activist.kind == "protesters"


def test_definite_institution_noun_refers_back_to_the_named_one(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "The Malian army said its convoy was ambushed near Gao. "
        "Hours later the army announced it had killed twelve assailants.",
    )
    ref = actors.resolve(token(doc, "army", 1))
    assert ref is not None and ref.id == "MLI-MIL"


def test_they_points_back_to_a_plural_group(nlp: Language) -> None:
    doc, actors = analyse(
        nlp, "Hundreds of nurses gathered outside the ministry on Monday. They demanded unpaid wages."
    )
    ref = actors.resolve(token(doc, "They"))
    assert ref is not None and ref.kind == "civilians"


def test_unknown_place_name_can_act(nlp: Language) -> None:
    doc, actors = analyse(nlp, "Puntland accused Somalia of blocking supplies to the region.")
    ref = actors.resolve(token(doc, "Puntland"))  # a place entity the actor list does not hold
    assert ref is not None and ref.kind == "location" and ref.id is None
    assert "not in actor list" in ref.reason


def person(actors: ArticleActors, doc: Doc, text: str, nth: int = 0):
    ref = actors.resolve(token(doc, text, nth))
    assert ref is not None, text
    return ref


TITLED = (
    "Russian President Vladimir Putin met Barack Obama in Paris on Monday, two days after the "
    'summit in Berlin. Putin said the talks had been useful. "We will not give up," he told '
    "reporters. Obama did not comment."
)


def test_title_gives_a_person_country_and_office(nlp: Language) -> None:
    doc, actors = analyse(nlp, TITLED)
    putin = person(actors, doc, "Putin")
    assert (putin.kind, putin.country, putin.id, putin.name) == ("person", "RUS", "RUS-GOV", "Vladimir Putin")
    assert "president" in putin.reason
    # Paris is where they met, not anyone's country; Obama's country is never stated.
    obama = person(actors, doc, "Obama")
    assert obama.kind == "person" and obama.country is None and obama.id is None


def test_later_mentions_and_pronouns_inherit_the_country(nlp: Language) -> None:
    doc, actors = analyse(nlp, TITLED)
    later = person(actors, doc, "Putin", 1)
    assert later.country == "RUS" and later.name == "Vladimir Putin"
    he = person(actors, doc, "he")
    assert he.country == "RUS" and he.kind == "person"
    assert person(actors, doc, "Obama", 1).country is None


def test_apposition_and_surname(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "Haider al-Abadi, Iraq's prime minister, flew to Tehran on Sunday for talks on the border. "
        "Abadi said the army would retake the crossing within weeks.",
    )
    first = person(actors, doc, "Abadi")
    assert (first.kind, first.country, first.id) == ("person", "IRQ", "IRQ-GOV")
    assert "prime minister" in first.reason
    assert person(actors, doc, "Abadi", 1).country == "IRQ"


def test_title_with_name_after_and_a_later_definite_title(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "The Russian president, Vladimir Putin, hosted Syrian President Bashar al-Assad in Sochi. "
        "The Syrian president thanked Moscow for its support.",
    )
    assert person(actors, doc, "Putin").country == "RUS"
    later = person(actors, doc, "president", 1)
    assert (later.kind, later.country, later.name) == ("person", "SYR", "Bashar al-Assad")


def test_opposition_and_former_titles_keep_the_country_not_the_government(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "Syrian opposition leader Khaled Khoja rejected the plan on Friday. Former Iraqi prime "
        "minister Nouri al-Maliki, who was in Beirut, also criticised it.",
    )
    khoja = person(actors, doc, "Khoja")
    assert (khoja.kind, khoja.country, khoja.id) == ("person", "SYR", None)
    assert "opposition leader" in khoja.reason
    maliki = person(actors, doc, "Maliki")
    assert (maliki.kind, maliki.country, maliki.id) == ("person", "IRQ", None)


def test_spokesman_for_an_institution_speaks_for_it(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "Ali Mayhoub, a spokesman for the Syrian army, said rebels had fired mortars at Aleppo. "
        "He added that the army had responded. The Turkish foreign minister condemned the attack.",
    )
    spokesman = person(actors, doc, "Mayhoub")
    assert (spokesman.kind, spokesman.country, spokesman.id) == ("person", "SYR", "SYR-MIL")
    assert person(actors, doc, "He").country == "SYR"
    minister = person(actors, doc, "minister")
    assert (minister.kind, minister.country, minister.id) == ("person", "TUR", "TUR-GOV")


def test_the_office_not_the_birthplace_gives_the_country(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        "Afghan-born U.S. envoy Zalmay Khalilzad met Taliban negotiators in Doha. Syria's UN "
        "ambassador Bashar Jaafari called the meeting a distraction.",
    )
    envoy = person(actors, doc, "Khalilzad")
    assert (envoy.kind, envoy.country) == ("person", "USA")
    ambassador = person(actors, doc, "Jaafari")
    assert (ambassador.kind, ambassador.country) == ("person", "SYR")


def test_quoted_speaker_and_namesakes_get_no_borrowed_country(nlp: Language) -> None:
    doc, actors = analyse(
        nlp,
        'U.S. President Barack Obama spoke in Jerusalem on Monday. "Iran is a threat," Netanyahu '
        "told U.S. Secretary of State John Kerry. Michelle Obama visited a school. Obama left later.",
    )
    assert person(actors, doc, "Netanyahu").country is None
    kerry = person(actors, doc, "Kerry")
    assert (kerry.kind, kerry.country, kerry.name) == ("person", "USA", "John Kerry")
    assert person(actors, doc, "Obama", 1).country is None  # Michelle Obama: another person
    assert person(actors, doc, "Obama", 2).country == "USA"


def test_a_demonym_shared_by_several_countries_means_the_largest(nlp: Language) -> None:
    doc, actors = analyse(nlp, "American troops shelled the town on Friday. French aircraft joined them.")
    troops = person(actors, doc, "troops")
    assert troops.id == "USA-MIL" and troops.country == "USA"
