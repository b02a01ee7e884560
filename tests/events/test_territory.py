"""Territory changes in whole reports: ACLED codes the capture of a place over the strikes and
clashes that led to it, and a transfer only when nobody fought for the place."""

from __future__ import annotations

import pytest

from eventwire.events.evaluate import snippet_acled
from eventwire.pipeline import Extractor
from eventwire.records import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def report_sub_type(extractor: Extractor, text: str) -> str | None:
    extraction = next(iter(extractor.extract([Article(body=text)])))
    chosen = snippet_acled(extraction.mentions)
    return chosen.sub_event_type if chosen else None


def test_air_strikes_then_a_recapture_is_the_recapture(extractor: Extractor) -> None:
    text = (
        "Government warplanes pounded rebel positions around Tal Hamra on Monday, a monitoring group "
        "said. Two days later the army recaptured the town after rebels fled, state television reported."
    )
    assert report_sub_type(extractor, text) == "Government regains territory"


def test_rebel_shelling_then_taking_control_is_a_non_state_takeover(extractor: Extractor) -> None:
    text = (
        "Rebels shelled the army garrison at Dorvan overnight, a monitoring group said. By morning "
        "fighters of the Northern Front had taken control of the town, residents said."
    )
    assert report_sub_type(extractor, text) == "Non-state actor overtakes territory"

    # the other side's capture elsewhere is not the outcome of the strikes
    text = (
        "Government jets struck the outskirts of Dorvan on Friday, killing four fighters. "
        "Elsewhere, rebels took control of a village in the south, a monitoring group said."
    )
    assert report_sub_type(extractor, text) == "Air/drone strike"


def test_withdrawal_from_a_place_named_by_a_pronoun_is_a_transfer(extractor: Extractor) -> None:
    text = (
        "Federal forces have controlled the border town of Kessa since Monday after militia fighters "
        "withdrew from it, officials said."
    )
    assert report_sub_type(extractor, text) == "Non-violent transfer of territory"


def test_withdrawal_under_fire_is_not_a_peaceful_transfer(extractor: Extractor) -> None:
    text = (
        "Government troops withdrew from the town of Kessa under heavy fire on Sunday after insurgents "
        "stormed its outskirts. Residents said the fighting lasted six hours."
    )
    assert report_sub_type(extractor, text) == "Armed clash"


def test_regaining_villages_without_any_clashes_is_a_transfer(extractor: Extractor) -> None:
    text = (
        "Army units regained several villages in the eastern province without any armed clashes, "
        "the defence ministry said. The rebels had left the area days earlier."
    )
    assert report_sub_type(extractor, text) == "Non-violent transfer of territory"
