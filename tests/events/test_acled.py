"""ACLED sub-event rules on hand-built facts: no model needed, one test per distinction ACLED draws."""

from __future__ import annotations

from eventwire.events.acled import AcledFacts, classify


def facts(**kw: object) -> AcledFacts:
    base: dict[str, object] = {"hint": "clash", "plover": "ASSAULT", "lemma": "attack"}
    base.update(kw)
    return AcledFacts(**base)  # type: ignore[arg-type]


def key(**kw: object) -> str | None:
    decided = classify(facts(**kw))
    return decided[0] if decided else None


def test_armed_target_is_a_clash_and_unarmed_target_an_attack() -> None:
    assert key(actor1_kind="rebel", target="armed") == "clash"
    assert key(actor1_kind="rebel", target="civilian") == "civilian_attack"
    assert key(actor1_kind="military", actor2_kind="rebel") == "clash"
    assert key(actor1_kind="military", actor2_kind="civilians") == "civilian_attack"


def test_instrument_decides_remote_violence_whatever_the_verb() -> None:
    assert key(cues={"air"}, actor1_kind="military") == "air"
    assert key(cues={"drone"}) == "air"
    assert key(cues={"shelling", "ied"}) == "shelling"
    assert key(cues={"chemical"}, hint="civilian_attack") == "chemical"
    assert key(cues={"suicide", "ied"}) == "suicide"


def test_who_took_territory_decides_between_regaining_and_overtaking() -> None:
    assert key(hint="territory", lemma="capture", actor1_kind="military") == "territory_state"
    assert key(hint="territory", lemma="capture", actor1_kind="rebel") == "territory"
    assert key(hint="territory", lemma="recapture") == "territory_state"


def test_demonstrators_turning_violent_is_a_riot_and_a_mob_is_mob_violence() -> None:
    assert key(actor1_kind="protesters", actor2_kind="police") == "riot"
    assert key(actor1_kind="rioters", mob=True, actor2_kind="civilians") == "mob"
    assert key(hint="loot", actor1_kind="protesters") == "riot"
    assert key(hint="loot", actor1_kind="armed_group") == "loot"


def test_force_on_demonstrators_is_intervention_or_excessive_when_lethal() -> None:
    assert key(actor1_kind="police", actor2_kind="protesters") == "protest_intervention"
    assert key(actor1_kind="police", actor2_kind="protesters", lethal=True) == "protest_force"
    arrest = {"hint": "arrest", "plover": "COERCE", "actor1_kind": "police", "actor2_kind": "protesters"}
    assert key(**arrest, protest_context=True) == "protest_intervention"  # arrests at a demonstration
    assert key(**{**arrest, "actor2_kind": "person"}) == "arrest"  # an activist detained at home
    assert key(lemma="clash", actor1_kind="police", actor2_kind="protesters") == "riot"


def test_arrests_by_a_state_and_seizures_by_a_rebel_group() -> None:
    assert key(hint="arrest", plover="COERCE", actor1_kind="police", actor2_kind="person") == "arrest"
    assert key(hint="arrest", plover="COERCE", actor1_kind="rebel", actor2_kind="military") == "abduct"


def test_weapons_destroyed_from_the_air_are_an_air_strike() -> None:
    assert key(hint="disrupted", plover="COERCE", own_cues={"air"}) == "air"
    assert key(hint="disrupted", plover="COERCE") == "disrupted"


def test_withdrawal_is_a_territorial_transfer_only_from_territory() -> None:
    assert key(hint="transfer", plover="RETREAT", territorial=True) == "transfer"
    assert key(hint="transfer", plover="RETREAT") is None


def test_protest_is_peaceful_unless_its_clause_says_otherwise() -> None:
    assert key(hint="protest", plover="PROTEST") == "protest"
    assert key(hint="protest", plover="PROTEST", own_cues={"protest_intervention"}) == "protest_intervention"
    assert key(hint="protest", plover="PROTEST", violent=True) == "riot"
