"""Riots against protests on invented reports: when demonstrators turned violent, and when not."""

from __future__ import annotations

from spacy.language import Language

from eventwire.actors.catalog import load_catalog
from eventwire.actors.finder import ActorFinder
from eventwire.events.coder import EventCoder
from eventwire.events.evaluate import snippet_acled
from eventwire.records import Mention


def code(nlp: Language, text: str) -> list[Mention]:
    doc = nlp(text)
    actors = ActorFinder(nlp.vocab, load_catalog()).analyse(doc)
    return EventCoder().code(doc, actors, [], [])


def sub_event(nlp: Language, text: str) -> str | None:
    decided = snippet_acled(code(nlp, text))
    return decided.sub_event_type if decided else None


def test_violence_said_only_by_a_noun_makes_the_demonstration_violent(nlp: Language) -> None:
    # The deaths alone would read as excessive force; "violence surged" says the crowd fought too.
    text = (
        "Protesters in the southern provinces vowed to keep up their campaign on Tuesday as deadly "
        "violence surged in three cities. Two demonstrators died after security forces fired live "
        "rounds and tear gas to clear a bridge, hospital officials said."
    )
    assert sub_event(nlp, text) == "Violent demonstration"
    # The same report without the noun stays force against protesters.
    calm = text.replace("as deadly violence surged in three cities", "in three cities")
    assert sub_event(nlp, calm) == "Excessive force against protesters"
    shot = "Security forces shot dead five protesters in the northern city on Sunday, witnesses said."
    assert sub_event(nlp, shot) == "Excessive force against protesters"


def test_march_descending_into_violence_is_a_riot_not_an_intervention(nlp: Language) -> None:
    text = (
        "Police fired tear gas at several hundred opposition supporters in the capital on Saturday "
        "as a march against the new tax law descended into the worst outbreak of violence in a "
        "decade. Shop owners boarded up their windows."
    )
    assert sub_event(nlp, text) == "Violent demonstration"
    # Traps: "police violence" is what the crowd protests, and "violence" in a quote about the past
    # is no event; tear gas on a peaceful crowd stays an intervention.
    peaceful = (
        "Students sat in the main square holding placards condemning police violence. Police "
        'fired tear gas to disperse the peaceful protesters on Sunday. "When they march with '
        'guns, they take us back to an era when violence defined our politics," one organiser said.'
    )
    assert not any(m.trigger.text.lower() == "violence" for m in code(nlp, peaceful))
    assert sub_event(nlp, peaceful) == "Protest with intervention"


def test_acts_of_rioters_are_riots_whoever_they_are_called(nlp: Language) -> None:
    # "activists" is no demonstrator noun: the looting and the attack belong to the rioting clause.
    text = (
        "Anti-globalisation activists have rioted for a second night as the port city hosts the "
        "summit, setting up street barricades, looting supermarkets and attacking police with "
        "slingshots. Dozens of officers were hurt."
    )
    violent = [m for m in code(nlp, text) if m.type == "ASSAULT" and m.acled is not None]
    assert violent, "no violent mention coded"
    assert {m.acled.event_type for m in violent if m.acled} == {"Riots"}
    assert sub_event(nlp, text) == "Violent demonstration"


def test_rioters_named_in_the_next_sentence_make_the_clash_a_riot(nlp: Language) -> None:
    text = (
        "Groups of youths confronted police in several towns on Monday night, throwing fireworks "
        "and stones. Police used a water cannon to disperse a crowd of rioters in the port city."
    )
    assert sub_event(nlp, text) == "Violent demonstration"


def test_police_clashing_with_rioters_is_a_riot_led_by_the_rioters(nlp: Language) -> None:
    text = (
        "Riot police clashed with rioters in the old town late on Friday. The mayor called for "
        "calm on Saturday morning."
    )
    mentions = code(nlp, text)
    clash = next(m for m in mentions if m.type == "ASSAULT" and m.trigger.text == "clashed")
    assert clash.acled is not None and clash.acled.event_type == "Riots"
    protest = next(m for m in mentions if m.type == "PROTEST" and m.trigger.text == "clashed")
    assert protest.actor1 is not None and "rioters" in protest.actor1.text.lower()


def test_set_is_a_plan_only_over_an_infinitive(nlp: Language) -> None:
    # "set the stage for Friday's violence" reports the violence; "are set to attack" plans one.
    reported = (
        "Weeks of anger over fuel prices set the stage for Friday's violence at the rally in the "
        "capital, where demonstrators threw stones at police."
    )
    violence = [m for m in code(nlp, reported) if m.trigger.text == "violence"]
    assert violence and all("planned" not in m.contexts for m in violence)
    planned = "Islamic State fighters are set to attack Kurdish forces next week, a commander said."
    attack = [m for m in code(nlp, planned) if m.trigger.text == "attack"]
    assert attack and all("planned" in m.contexts for m in attack)
