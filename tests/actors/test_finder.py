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
