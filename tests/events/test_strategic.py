"""Strategic developments stated in passing: agreements as nouns, groups set up or dissolved, and
territory handed over without a fight. Each report carries a trap the coder must not code."""

from __future__ import annotations

from collections.abc import Callable

from eventwire.events.coder import asserted
from eventwire.pipeline import Extractor
from eventwire.records import Article

SubType = Callable[[str], str | None]


def test_prisoner_exchange_process_is_an_agreement_unless_only_proposed(sub_type: SubType) -> None:
    done = (
        "Red Crescent officials oversaw the exchange process of detainees at a crossing north of "
        "Harmala on Thursday. Relatives waited at the checkpoint for most of the afternoon."
    )
    assert sub_type(done) == "Agreement"
    # trap: the same exchange only proposed by mediators has not been agreed
    proposed = (
        "Mediators proposed an exchange process of detainees between the two sides on Thursday. "
        "Neither side has answered, officials said."
    )
    assert sub_type(proposed) is None


def test_new_militia_entity_set_up_is_a_change_to_group(sub_type: SubType) -> None:
    text = (
        "A Turkmen entity of the tribal militia network has been set up in the disputed province of "
        "Nineveh, local officials said. Its commanders were drawn from three villages."
    )
    assert sub_type(text) == "Change to group/activity"
    # trap: 'formed' as 'shaped' names no group
    shaped = (
        "The ridges formed a natural barrier between the two valleys. Farmers crossed the pass on foot "
        "until the road was built."
    )
    assert sub_type(shaped) is None


def test_formation_and_dissolution_of_armed_groups_are_changes_to_group(sub_type: SubType) -> None:
    formed = (
        "Rebels announced the formation of a new brigade in the eastern hills on Sunday. "
        "Its fighters had served in two smaller units."
    )
    assert sub_type(formed) == "Change to group/activity"
    dissolved = (
        "The interior ministry dissolved the Dawn militia on Tuesday, a spokesman said. Its members "
        "were told to hand in their rifles."
    )
    assert sub_type(dissolved) == "Change to group/activity"
    # trap: a dissolved parliament is politics, not an armed group's change
    parliament = "The president dissolved parliament on Monday and called early elections for June."
    assert sub_type(parliament) is None


def test_control_handed_over_is_a_transfer_unless_refused(sub_type: SubType) -> None:
    text = (
        "Tribal fighters handed control of the town of Qasr Dima to the army on Monday, a provincial "
        "official said. No shots were fired."
    )
    assert sub_type(text) == "Non-violent transfer of territory"
    # a regain that the sentence says came by a handover is the handover
    text = (
        "Veltria regained the last of its northern districts yesterday when a United Nations mission "
        "handed authority over the Orsk valley to the government, ending the dispute."
    )
    assert sub_type(text) == "Non-violent transfer of territory"
    # trap: a refused handover transferred nothing
    refused = (
        "The militia refused to hand control of the town of Qasr Dima to the army on Monday, a "
        "provincial official said. Talks are due to resume next week."
    )
    assert sub_type(refused) is None


def test_fighters_leaving_their_last_stronghold_under_a_deal_is_a_transfer(sub_type: SubType) -> None:
    text = (
        "Rebel fighters and their families began leaving their last stronghold in the hills above "
        "Marrak on Tuesday under an evacuation deal with the government, a witness said. Buses waited "
        "at the edge of town."
    )
    assert sub_type(text) == "Non-violent transfer of territory"
    # trap: fighters who only agreed to leave have made an agreement, not given the place up yet
    agreed = (
        "The besieged fighters agreed to leave their last stronghold under a deal with the army, "
        "a negotiator said on Tuesday."
    )
    assert sub_type(agreed) == "Agreement"


def test_forces_mobilized_for_an_attack_are_a_change_to_group(
    sub_type: SubType, extractor: Extractor
) -> None:
    text = (
        "Militants were mobilizing fighters for attacking the town of Qasr Dima, the provincial "
        "council said on Tuesday. Police reinforced the checkpoints to foil any possible attack."
    )
    assert sub_type(text) == "Change to group/activity"
    # trap: an attack someone is arrested for did happen
    arrested = "Police arrested two men for attacking a checkpoint in the town of Qasr Dima on Monday."
    extraction = next(iter(extractor.extract([Article(body=arrested)])))
    assert any(m.type == "ASSAULT" and asserted(m) for m in extraction.mentions)


def test_troops_sent_against_a_possible_attack_are_a_change_to_group(
    sub_type: SubType, extractor: Extractor
) -> None:
    text = (
        "The army deployed two battalions to Qasr Dima on Sunday to foil a possible rebel attack on the "
        "airport, officials said. Flights continued as normal."
    )
    extraction = next(iter(extractor.extract([Article(body=text)])))
    assert not any(m.type == "ASSAULT" and asserted(m) for m in extraction.mentions)
    assert sub_type(text) == "Change to group/activity"
