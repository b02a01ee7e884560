"""Territory changes in whole reports: ACLED codes the capture of a place over the strikes and
clashes that led to it, and a transfer only when nobody fought for the place."""

from __future__ import annotations

from collections.abc import Callable

SubType = Callable[[str], str | None]


def test_air_strikes_then_a_recapture_is_the_recapture(sub_type: SubType) -> None:
    text = (
        "Government warplanes pounded rebel positions around Tal Hamra on Monday, a monitoring group "
        "said. Two days later the army recaptured the town after rebels fled, state television reported."
    )
    assert sub_type(text) == "Government regains territory"


def test_rebel_shelling_then_taking_control_is_a_non_state_takeover(sub_type: SubType) -> None:
    text = (
        "Rebels shelled the army garrison at Dorvan overnight, a monitoring group said. By morning "
        "fighters of the Northern Front had taken control of the town, residents said."
    )
    assert sub_type(text) == "Non-state actor overtakes territory"

    # the other side's capture elsewhere is not the outcome of the strikes
    text = (
        "Government jets struck the outskirts of Dorvan on Friday, killing four fighters. "
        "Elsewhere, rebels took control of a village in the south, a monitoring group said."
    )
    assert sub_type(text) == "Air/drone strike"


def test_withdrawal_from_a_place_named_by_a_pronoun_is_a_transfer(sub_type: SubType) -> None:
    text = (
        "Federal forces have controlled the border town of Kessa since Monday after militia fighters "
        "withdrew from it, officials said."
    )
    assert sub_type(text) == "Non-violent transfer of territory"


def test_withdrawal_under_fire_is_not_a_peaceful_transfer(sub_type: SubType) -> None:
    text = (
        "Government troops withdrew from the town of Kessa under heavy fire on Sunday after insurgents "
        "stormed its outskirts. Residents said the fighting lasted six hours."
    )
    assert sub_type(text) == "Armed clash"


def test_regaining_villages_without_any_clashes_is_a_transfer(sub_type: SubType) -> None:
    text = (
        "Army units regained several villages in the eastern province without any armed clashes, "
        "the defence ministry said. The rebels had left the area days earlier."
    )
    assert sub_type(text) == "Non-violent transfer of territory"
