"""Quote detection and speaker attribution on news articles written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp import load_pipeline
from eventwire.quotes import Attribution, attributed_to, find_attributions, find_quotes
from eventwire.records import Quote

pytestmark = pytest.mark.slow

STRIKES = """Pentagon says strikes hit militant depots near Raqqa

WASHINGTON — U.S.-led coalition aircraft struck three weapons depots used by Islamic State fighters \
near Raqqa on Tuesday, Pentagon spokesman Captain Jeff Davis told reporters.

"These were significant targets, and we assess that the group's ability to resupply its fighters \
has been degraded," Davis said. "We will keep up the pressure."

Davis declined to say how many militants were killed. The strikes came a day after Syrian Kurdish \
forces said they had pushed to within 10 km of the city.

“We are not going to give a timeline,” he added, “but the momentum is clearly on our side.”

The Syrian Observatory for Human Rights, a Britain-based monitoring group, said at least 12 civilians \
had died in the raids. According to the observatory, two of the dead were children.

Defence Minister Ahmed Khalil, speaking in Damascus, condemned what he called "a flagrant violation \
of Syrian sovereignty."

Khalil told state television:

“The so-called coalition is killing our people and calling it liberation. Nobody asked them to come.”

A Pentagon official, speaking on condition of anonymity, said the civilian reports would be reviewed.
"""

BLACKOUT = """Interior ministry blames 'saboteurs' for blackout

The interior minister, Leila Haddad, said on Sunday that the nationwide power cut had been caused by \
deliberate attacks on two substations.

"This was not an accident. It was planned by people who want to see this country in darkness," she \
told a news conference in the capital.

Haddad, who took office in March, did not name any group. Asked whether foreign governments were \
involved, she said: 'We are looking at every possibility.'

Opposition leader Samir Aziz dismissed the claim. 'They always find someone else to blame,' Aziz said. \
He called on the government to publish the findings of its inquiry.

“People have been without electricity for three days. Hospitals are running on generators. Shops \
can’t open.

“If this is sabotage, why were the substations left unguarded?” Aziz said.

The ministry said in a statement that security had been tightened at all power stations. Officials \
said repairs would take at least a week.
"""

TALKS = """Ceasefire talks stall as shelling resumes in the south

GENEVA — Negotiators for the government and the rebel alliance failed to agree on Thursday on a \
monitoring mission, the United Nations envoy, Maria Lindqvist, said after the third day of talks.

“Both sides tell me they want a ceasefire. Neither side is ready to pay for it,” Lindqvist said.

She said the delegations would meet again on Monday.

“Never again,” said a woman who fled the shelling of Dara’s old market with her three children. \
Residents said artillery fire hit the town for two hours overnight, killing four people.

The rebels' spokesman, Omar Farouk, rejected the envoy's account. “We came to Geneva in good faith,” \
Farouk said. “The government came to buy time.”

“Every day they delay, more villages are shelled.”

The army said its units had only returned fire. It said two soldiers had been wounded.

Medical workers in Dara said the town's only clinic had run out of bandages. They said two of the \
wounded were in critical condition.
"""


STRIKE = """Teachers strike over unpaid wages

ACCRA — Thousands of teachers walked out of classrooms on Monday, the teachers' union said, in the \
biggest stoppage since the '90s.

'We have not been paid since March,' said union leader Grace Mensah. 'Our members cannot feed their \
families.'

The education ministry's spokesman, Kofi Boateng, called the strike 'illegal' and said talks would \
resume on Friday.
"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def strikes(nlp: Language) -> Doc:
    return nlp(STRIKES)


@pytest.fixture(scope="module")
def blackout(nlp: Language) -> Doc:
    return nlp(BLACKOUT)


@pytest.fixture(scope="module")
def talks(nlp: Language) -> Doc:
    return nlp(TALKS)


def _quote_starting(quotes: list[Quote], prefix: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(prefix)]
    assert len(found) == 1, f"expected one quote starting {prefix!r}, got {[q.text for q in quotes]}"
    return found[0]


def _attribution_containing(atts: list[Attribution], text: str, body: str) -> Attribution:
    at = body.index(text)
    found = [a for a in atts if any(s <= at and at + len(text) <= e for s, e in a.parts)]
    assert found, f"no attribution contains {text!r}"
    return min(found, key=lambda a: a.content[1] - a.content[0])


def test_quote_span_is_the_content_without_marks(strikes: Doc) -> None:
    for quote in find_quotes(strikes):
        assert STRIKES[quote.span[0] : quote.span[1]] == quote.text
        assert quote.text[0] not in "\"“”'‘’"
        assert quote.text.rstrip()[-1] not in '"“”‘’'


def test_surname_resolves_to_full_name_and_title_role(strikes: Doc) -> None:
    quote = _quote_starting(find_quotes(strikes), "These were significant targets")
    assert quote.cue == "said"
    assert quote.speaker is not None
    assert quote.speaker.text == "Davis"
    assert STRIKES[quote.speaker.span[0] : quote.speaker.span[1]] == "Davis"
    assert quote.speaker.name == "Jeff Davis"
    assert quote.speaker.role == "Pentagon spokesman"
    assert quote.speaker.actor_id is None


def test_quote_resumed_after_its_cue_sentence_keeps_the_speaker(strikes: Doc) -> None:
    quote = _quote_starting(find_quotes(strikes), "We will keep up the pressure.")
    assert quote.speaker is not None and quote.speaker.name == "Jeff Davis"


def test_pronoun_speaker_and_quote_continuing_after_the_cue(strikes: Doc) -> None:
    quotes = find_quotes(strikes)
    first = _quote_starting(quotes, "We are not going to give a timeline")
    second = _quote_starting(quotes, "but the momentum is clearly on our side")
    for quote in (first, second):
        assert quote.cue == "added"
        assert quote.speaker is not None
        assert quote.speaker.text == "he"
        assert quote.speaker.name == "Jeff Davis"
    att = _attribution_containing(find_attributions(strikes), "but the momentum", STRIKES)
    assert att.direct and len(att.parts) == 2


def test_quote_after_a_colon_paragraph_and_role_from_title(strikes: Doc) -> None:
    quote = _quote_starting(find_quotes(strikes), "The so-called coalition")
    assert quote.text.endswith("Nobody asked them to come.")
    assert quote.cue == "told"
    assert quote.speaker is not None
    assert quote.speaker.name == "Ahmed Khalil"
    assert quote.speaker.role == "Defence Minister"


def test_quoted_phrase_of_a_naming_verb_is_attributed(strikes: Doc) -> None:
    quote = _quote_starting(find_quotes(strikes), "a flagrant violation of Syrian sovereignty")
    assert quote.speaker is not None and quote.speaker.name == "Ahmed Khalil"


def test_paraphrase_and_according_to(strikes: Doc) -> None:
    atts = find_attributions(strikes)
    said = _attribution_containing(atts, "at least 12 civilians had died in the raids", STRIKES)
    assert not said.direct and said.cue == "said"
    assert said.speaker is not None
    assert said.speaker.name == "The Syrian Observatory for Human Rights"
    according = _attribution_containing(atts, "two of the dead were children", STRIKES)
    assert according.cue == "according to"
    assert according.speaker is not None and according.speaker.text == "the observatory"
    assert not according.direct


def test_unnamed_official_is_kept_as_an_unnamed_source(strikes: Doc) -> None:
    att = _attribution_containing(
        find_attributions(strikes), "the civilian reports would be reviewed", STRIKES
    )
    assert att.speaker is not None
    assert att.speaker.name == "A Pentagon official"
    assert att.speaker.role == "Pentagon official"


def test_question_after_declined_to_say_is_not_a_claim(strikes: Doc) -> None:
    at = STRIKES.index("how many militants were killed")
    assert attributed_to(find_attributions(strikes), (at, at + 30)) is None


def test_attributed_to_names_the_speaker_of_the_reported_clause(strikes: Doc) -> None:
    atts = find_attributions(strikes)
    at = STRIKES.index("pushed to within 10 km")
    assert attributed_to(atts, (at, at + len("pushed"))) == "Syrian Kurdish forces"
    at = STRIKES.index("killing our people")
    assert attributed_to(atts, (at, at + len("killing"))) == "Ahmed Khalil"
    at = STRIKES.index("The strikes came a day after")
    assert attributed_to(atts, (at, at + len("The strikes came"))) is None


def test_scare_quote_in_headline_and_apostrophes_are_not_quotes(blackout: Doc) -> None:
    starts = [q.text.split()[0:3] for q in find_quotes(blackout)]
    assert starts == [
        ["This", "was", "not"],
        ["We", "are", "looking"],
        ["They", "always", "find"],
        ["People", "have", "been"],
    ]


def test_possessive_plural_elision_and_one_word_scare_quote(nlp: Language) -> None:
    doc = nlp(STRIKE)
    quotes = find_quotes(doc)
    assert [q.text for q in quotes] == [
        "We have not been paid since March,",
        "Our members cannot feed their families.",
    ]
    for quote in quotes:
        assert quote.speaker is not None
        assert quote.speaker.name == "Grace Mensah"
        assert quote.speaker.role == "union leader"
    atts = find_attributions(doc)
    walkout = _attribution_containing(atts, "Thousands of teachers walked out", STRIKE)
    assert walkout.speaker is not None and walkout.speaker.text == "the teachers' union"
    talks = _attribution_containing(atts, "talks would resume on Friday", STRIKE)
    assert talks.speaker is not None
    assert talks.speaker.name == "Kofi Boateng"
    assert talks.speaker.role == "education ministry's spokesman"


def test_appositive_role_and_pronoun_with_single_quotes(blackout: Doc) -> None:
    quote = _quote_starting(find_quotes(blackout), "We are looking at every possibility.")
    assert quote.speaker is not None
    assert quote.speaker.text == "she"
    assert quote.speaker.name == "Leila Haddad"
    assert quote.speaker.role == "interior minister"
    told = _quote_starting(find_quotes(blackout), "This was not an accident.")
    assert told.cue == "told"
    assert told.speaker is not None and told.speaker.name == "Leila Haddad"


def test_single_quoted_statement_with_premodifier_role(blackout: Doc) -> None:
    quote = _quote_starting(find_quotes(blackout), "They always find someone else to blame,")
    assert quote.speaker is not None
    assert quote.speaker.name == "Samir Aziz"
    assert quote.speaker.role == "Opposition leader"


def test_quote_running_over_two_paragraphs_is_one_quote(blackout: Doc) -> None:
    quote = _quote_starting(find_quotes(blackout), "People have been without electricity")
    assert quote.text.endswith("why were the substations left unguarded?")
    assert "Shops can’t open." in quote.text
    assert quote.cue == "said"
    assert quote.speaker is not None and quote.speaker.name == "Samir Aziz"


def test_organisation_speakers_keep_their_text(blackout: Doc) -> None:
    atts = find_attributions(blackout)
    statement = _attribution_containing(atts, "security had been tightened", BLACKOUT)
    assert statement.speaker is not None and statement.speaker.name == "The ministry"
    repairs = _attribution_containing(atts, "repairs would take at least a week", BLACKOUT)
    assert repairs.speaker is not None and repairs.speaker.name == "Officials"


def test_role_noun_speaker_with_named_apposition(blackout: Doc) -> None:
    att = _attribution_containing(find_attributions(blackout), "the nationwide power cut", BLACKOUT)
    assert att.speaker is not None
    assert att.speaker.name == "Leila Haddad"


def test_two_word_quote_with_a_speech_cue_is_a_quote(talks: Doc) -> None:
    quote = _quote_starting(find_quotes(talks), "Never again,")
    assert quote.speaker is not None
    assert quote.speaker.text.startswith("a woman")


def test_she_resolves_to_the_envoy_named_in_an_apposition(talks: Doc) -> None:
    atts = find_attributions(talks)
    att = _attribution_containing(atts, "the delegations would meet again on Monday", TALKS)
    assert att.speaker is not None
    assert att.speaker.name == "Maria Lindqvist"
    assert att.speaker.role == "United Nations envoy"


def test_quote_paragraph_without_cue_carries_the_previous_speaker(talks: Doc) -> None:
    quote = _quote_starting(find_quotes(talks), "Every day they delay")
    assert quote.speaker is not None
    assert quote.speaker.name == "Omar Farouk"
    assert quote.speaker.role == "rebels' spokesman"


def test_attribution_inside_quote_is_not_a_separate_statement(talks: Doc) -> None:
    atts = find_attributions(talks)
    inner = TALKS.index("they want a ceasefire")
    holders = [a for a in atts if any(s <= inner < e for s, e in a.parts)]
    assert len(holders) == 1
    assert holders[0].direct
    assert holders[0].speaker is not None and holders[0].speaker.name == "Maria Lindqvist"


def test_group_pronouns_resolve_to_the_group_that_spoke_before(talks: Doc) -> None:
    atts = find_attributions(talks)
    army = _attribution_containing(atts, "two soldiers had been wounded", TALKS)
    assert army.speaker is not None
    assert army.speaker.text == "It"
    assert army.speaker.name == "The army"
    medics = _attribution_containing(atts, "two of the wounded were in critical condition", TALKS)
    assert medics.speaker is not None
    assert medics.speaker.text == "They"
    assert medics.speaker.name == "Medical workers in Dara"


FLOODS = """Rauf: Flood inquiry must be independent

KARACHI — Provincial officials believe the floods have cut off at least 40 villages in the valley. \
Rescue teams want to reach them before nightfall, and the main bridge is expected to reopen on Friday.

The new dam was built to last, and its design assumes the river will never rise above 12 metres. \
Engineers are confident that the dam will hold.

Divers found the body of a fisherman near the bridge on Tuesday. A survey by the relief agency \
found that two-thirds of the wells had been contaminated.

Governor Imran Sadiq did not claim that the dam had been sabotaged. His claim that the warning \
system had worked drew criticism from opposition leader Nadia Rauf, who expressed support for an \
independent inquiry.

In a statement, the ministry said the army had evacuated 3,000 people.

Update: The road to Thatta reopened on Wednesday afternoon.
"""


@pytest.fixture(scope="module")
def floods(nlp: Language) -> Doc:
    return nlp(FLOODS)


def _claimed_by(atts: list[Attribution], text: str) -> str | None:
    at = FLOODS.index(text)
    return attributed_to(atts, (at, at + len(text)))


def _holders(atts: list[Attribution], text: str) -> list[Attribution]:
    at = FLOODS.index(text)
    return [a for a in atts if any(s <= at and at + len(text) <= e for s, e in a.parts)]


def test_belief_verb_with_a_clause_is_a_belief_of_its_subject(floods: Doc) -> None:
    atts = find_attributions(floods)
    att = _attribution_containing(atts, "the floods have cut off at least 40 villages", FLOODS)
    assert att.kind == "belief" and att.rule == "belief:ccomp" and att.cue == "believe"
    assert att.speaker is not None and att.speaker.name == "Provincial officials"
    assert _claimed_by(atts, "cut off") == "Provincial officials"
    confident = _attribution_containing(atts, "the dam will hold", FLOODS)
    assert confident.kind == "belief" and confident.cue == "confident"
    assert confident.speaker is not None and confident.speaker.name == "Engineers"


def test_belief_verb_whose_subject_is_a_thing_attributes_nothing(floods: Doc) -> None:
    atts = find_attributions(floods)
    assert _holders(atts, "the river will never rise above 12 metres") == []
    assert _claimed_by(atts, "rise above") is None


def test_found_an_object_is_no_finding_but_a_survey_finding_is(floods: Doc) -> None:
    atts = find_attributions(floods)
    assert _holders(atts, "the body of a fisherman") == []
    survey = _attribution_containing(atts, "two-thirds of the wells had been contaminated", FLOODS)
    assert survey.kind == "evidence" and survey.cue == "found"
    assert survey.speaker is not None and survey.speaker.text.startswith("A survey")


def test_negated_claim_is_kept_but_not_asserted(floods: Doc) -> None:
    atts = find_attributions(floods)
    att = _attribution_containing(atts, "the dam had been sabotaged", FLOODS)
    assert att.kind == "speech" and att.rule.endswith(":negated")
    assert att.speaker is not None and att.speaker.name == "Imran Sadiq"
    assert _claimed_by(atts, "sabotaged") is None


def test_noun_cue_with_a_that_clause_resolves_the_possessive(floods: Doc) -> None:
    atts = find_attributions(floods)
    att = _attribution_containing(atts, "the warning system had worked", FLOODS)
    assert att.cue == "claim" and att.kind == "speech" and att.rule == "indirect:noun-clause"
    assert att.speaker is not None and att.speaker.text == "His"
    assert att.speaker.name == "Imran Sadiq"


def test_stance_and_intent_name_a_holder_but_claim_nothing(floods: Doc) -> None:
    atts = find_attributions(floods)
    support = _attribution_containing(atts, "an independent inquiry", FLOODS)
    assert support.kind == "stance" and support.cue == "support"
    assert support.speaker is not None and support.speaker.name == "Nadia Rauf"
    want = _attribution_containing(atts, "to reach them before nightfall", FLOODS)
    assert want.kind == "intent" and want.speaker is not None and want.speaker.name == "Rescue teams"
    assert _claimed_by(atts, "independent inquiry") is None
    assert _claimed_by(atts, "reach them") is None


def test_passive_expectation_has_no_named_holder(floods: Doc) -> None:
    att = _attribution_containing(find_attributions(floods), "to reopen on Friday", FLOODS)
    assert att.kind == "belief" and att.rule == "belief:passive" and att.speaker is None


def test_statement_frame_stays_speech(floods: Doc) -> None:
    atts = find_attributions(floods)
    att = _attribution_containing(atts, "the army had evacuated 3,000 people", FLOODS)
    assert att.kind == "speech" and att.cue == "said"
    assert att.speaker is not None and att.speaker.text == "the ministry"


def test_headline_label_is_a_speaker_but_a_section_label_is_not(floods: Doc) -> None:
    atts = find_attributions(floods)
    label = _attribution_containing(atts, "Flood inquiry must be independent", FLOODS)
    assert label.rule == "indirect:label" and label.kind == "speech"
    assert label.speaker is not None and label.speaker.name == "Nadia Rauf"
    assert _holders(atts, "The road to Thatta reopened") == []


def test_kind_is_read_from_the_rule() -> None:
    def att(rule: str) -> Attribution:
        return Attribution((0, 1), None, None, None, False, [(0, 1)], rule)

    assert [att(r).kind for r in ("quote:parse", "indirect:according", "belief:ccomp", "stance:noun")] == [
        "speech",
        "speech",
        "belief",
        "stance",
    ]
    assert att("evidence:ccomp:negated").kind == "evidence"
