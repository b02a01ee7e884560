"""Furniture removal: many invented header/footer styles go, real story sentences stay."""

from __future__ import annotations

import pytest

from eventwire.ingest.boilerplate import is_furniture_line, strip_boilerplate

STORY = (
    "Security forces fired tear gas at hundreds of protesters who tried to march on the parliament "
    "in Velka on Saturday, witnesses said.\n\n"
    "The protesters, mostly students, are demanding the release of three activists arrested last week. "
    '"We will come back every day until they are free," said Nadia Orlov, a 22-year-old law student.\n\n'
    "The interior ministry said 14 officers were hurt and 31 people were detained. It accused the "
    "organisers of planning the violence in advance."
)
LAST_SENTENCE = "It accused the organisers of planning the violence in advance."

# Invented page furniture in many styles: (name, leading block, trailing block, text that must go).
FURNITURE_STYLES = [
    ("pipe navigation", "Home | World | Politics | Business | Sport", "", "Politics"),
    ("epaper footer", "", "ePaper - Morning Ledger", "ePaper"),
    ("e-paper label", "", "E-Paper\n\nDigital Edition", "E-Paper"),
    ("read more link", "", "Read more: Velka students plan new march on Monday", "Read more"),
    (
        "related block",
        "",
        "Related stories\nStudents clash with police in Orsk\nMinister defends arrest law",
        "Minister defends",
    ),
    ("share buttons", "Share on Facebook\nTweet\nEmail\nPrint", "", "Tweet"),
    ("follow prompt", "", "Follow us on Twitter, Facebook and Instagram", "Follow us"),
    ("copyright", "", "© 2024 Velka Evening Post. All rights reserved.", "rights reserved"),
    (
        "copyright words",
        "",
        "Copyright 2019 Capital Herald Ltd. This material may not be published, broadcast, "
        "rewritten or redistributed.",
        "Capital Herald",
    ),
    (
        "newsletter prompt",
        "",
        "Sign up for our newsletter to get the top stories delivered to your inbox.",
        "newsletter",
    ),
    (
        "cookie banner",
        "We use cookies to give you the best experience. By continuing to browse you accept "
        "our cookie policy.\nAccept all cookies",
        "",
        "cookie",
    ),
    ("photo credit", "Photo: AFP", "(Reuters photo)", "photo"),
    ("advertisement", "Advertisement", "ADVERTISEMENT", "dvertisement"),
    ("tag list", "", "Tags: Velka, protests, students, police", "Tags"),
    ("byline and date", "By Jana Petrescu\n\nPublished: 14 March 2024, 18:40 GMT", "", "Jana"),
    ("agency sign-off", "", "(Reporting by Ivo Marek; Editing by Ruth Kell)", "Reporting"),
    ("wire credit", "", "— AFP", "AFP"),
    ("breadcrumbs", "Home › World › Europe", "", "Europe"),
    ("app prompt", "", "Download our app for breaking news alerts", "app"),
    ("footer links", "", "About Us | Contact Us | Advertise | Privacy Policy | Careers", "Careers"),
    ("author bio", "", "Jana Petrescu is the Post's Balkans correspondent.", "correspondent"),
    ("editorial note", "", "This article was originally published by the Velka Evening Post.", "originally"),
    ("reading time", "5 min read\nListen to this article", "", "min read"),
    (
        "subscription wall",
        "",
        "Already a subscriber? Log in\nSubscribe now for unlimited access",
        "subscriber",
    ),
]


@pytest.mark.parametrize(
    ("name", "leading", "trailing", "gone"), FURNITURE_STYLES, ids=[s[0] for s in FURNITURE_STYLES]
)
def test_furniture_style_is_removed_and_story_kept(name: str, leading: str, trailing: str, gone: str) -> None:
    page = "\n\n".join(part for part in (leading, STORY, trailing) if part)
    assert strip_boilerplate(page) == STORY, name
    assert gone not in strip_boilerplate(page)


def test_many_styles_together_leave_only_the_story() -> None:
    leading = "\n\n".join(s[1] for s in FURNITURE_STYLES if s[1])
    trailing = "\n\n".join(s[2] for s in FURNITURE_STYLES if s[2])
    assert strip_boilerplate(f"{leading}\n\n{STORY}\n\n{trailing}") == STORY


@pytest.mark.parametrize("site", ["Daily Courier", "Al-Waqt", "The Frontier Post", "Dawnlight"])
def test_epaper_link_with_any_site_name_is_removed(site: str) -> None:
    assert strip_boilerplate(f"{STORY}\n\nePaper - {site}") == STORY
    assert strip_boilerplate(f"{STORY}\n\ne-Paper | {site}") == STORY


@pytest.mark.parametrize(
    "last",
    [
        "He denied it.",
        "No one was hurt.",
        "Talks continue.",
        '"We will not stop," she said.',
        "\u201cThis is only the beginning,\u201d Orlov said",  # no final period: quote + speech verb
        "The ministry did not respond to a request for comment.",
        "Both sides said they wanted to avoid further violence.",
        "Calm returned by nightfall.",
    ],
)
def test_short_real_last_paragraph_is_kept(last: str) -> None:
    text = f"{STORY}\n\n{last}"
    assert strip_boilerplate(text) == text
    assert strip_boilerplate(f"{text}\n\nFollow us on Telegram\n\n© 2024 Velka Evening Post") == text


@pytest.mark.parametrize(
    "sentence",
    [
        "Share prices fell 4 percent in Velka on Monday after the ban was announced.",
        "More than 40 people were killed in the fighting, the ministry said.",
        "The court ruled that the copyright claim against the broadcaster was invalid.",
        "Only 3 percent of households subscribe to cable television in the region, the regulator said.",
        "Follow-up talks are planned for May in Geneva.",
        "Read the full statement, he told reporters, and you will see we offered a compromise.",
        "Print and broadcast journalists were barred from the courtroom.",
        "The newspaper said it would stop printing its e-paper edition after the raid on its offices.",
        "Photographs taken by residents showed smoke rising over the barracks.",
        "By Friday, more than 2,000 people had fled across the river.",
        '"Subscribe to our cause or leave," the commander told villagers, according to witnesses.',
    ],
)
def test_story_sentences_with_furniture_words_are_kept(sentence: str) -> None:
    for text in (f"{sentence}\n\n{STORY}", f"{STORY}\n\n{sentence}", f"{STORY}\n\n{sentence}\n\n{STORY}"):
        assert strip_boilerplate(text) == text


def test_mid_story_furniture_is_removed_between_paragraphs() -> None:
    first, second, third = STORY.split("\n\n")
    page = (
        f"{first}\n\nAdvertisement\n\nRead also: Students clash with police in Orsk\n\n{second}\n\n"
        f"Story continues below advertisement\n\nRELATED\nMinister defends arrest law\n\n{third}"
    )
    assert strip_boilerplate(page) == STORY


def test_headline_listed_under_related_label_mid_story_is_removed() -> None:
    first, second, third = STORY.split("\n\n")
    related = "You may also like\nOrsk students march again\nVelka budget vote delayed"
    page = f"{first}\n\n{related}\n\n{second}\n\n{third}"
    assert strip_boilerplate(page) == STORY


def test_photo_credit_glued_to_caption_is_cut_but_caption_kept() -> None:
    caption = "Protesters run from tear gas near the parliament in Velka on Saturday."
    assert strip_boilerplate(f"{caption} (Reuters photo)\n\n{STORY}") == f"{caption}\n\n{STORY}"
    assert strip_boilerplate(f"{caption} (Photo: Ana Ruiz/AFP)\n\n{STORY}") == f"{caption}\n\n{STORY}"


def test_dateline_on_its_own_line_at_the_top_is_kept() -> None:
    assert strip_boilerplate(f"VELKA\n\n{STORY}") == f"VELKA\n\n{STORY}"


def test_headline_only_brief_is_not_emptied() -> None:
    brief = "Explosion reported near Velka airport"
    assert strip_boilerplate(brief) == brief


def test_stripping_is_idempotent_and_keeps_paragraph_shape() -> None:
    page = f"Home | World\n\n{STORY}\n\nePaper - Morning Ledger\n\nTags: Velka, protests"
    once = strip_boilerplate(page)
    assert strip_boilerplate(once) == once == STORY
    assert "\n\n\n" not in once
    assert all(line == line.strip() for line in once.split("\n"))


def test_is_furniture_line_depends_on_position() -> None:
    # A short label is furniture at the edges but not in the middle of a story.
    assert is_furniture_line("Middle East", position="leading")
    assert not is_furniture_line("Middle East", position="middle")
    # A related headline without punctuation is furniture only at the end.
    assert is_furniture_line("Students clash with police in Orsk", position="trailing")
    assert not is_furniture_line("Students clash with police in Orsk", position="leading")
    assert not is_furniture_line("He denied it.", position="trailing")
    assert is_furniture_line("Sign up to our newsletter: the best of the Post, every morning")
