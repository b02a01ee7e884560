"""Plain-text articles: the title rule of the extract contract, wrapping, furniture."""

from __future__ import annotations

from eventwire.ingest import ReadOptions, read_path
from eventwire.ingest.text import read_text, split_title

from .helpers import FIXTURES, paragraphs, split

OPTIONS = ReadOptions()


def test_first_line_is_title_when_blank_line_follows() -> None:
    text = "Navy intercepts fishing boats\n\nThe navy intercepted four boats on Monday, a spokesman said."
    assert split_title(text) == (
        "Navy intercepts fishing boats",
        "The navy intercepted four boats on Monday, a spokesman said.",
    )


def test_no_title_when_no_blank_line_follows_first_line() -> None:
    text = "The navy intercepted four boats on Monday.\nA spokesman said the crews were released."
    [article] = read_text(text, "brief.txt", OPTIONS)
    assert article.title == ""
    assert paragraphs(article) == [
        "The navy intercepted four boats on Monday.",
        "A spokesman said the crews were released.",
    ]


def test_long_first_paragraph_is_body_not_title() -> None:
    lead = (
        "The navy intercepted four fishing boats near the disputed Tamsin reef on Monday and ordered their "
        "crews to leave the area, a navy spokesman said, in the third such incident this month, raising "
        "fears that a long-running dispute over fishing rights could turn into a wider confrontation "
        "between the two neighbours, whose coast guards have already clashed twice this year."
    )
    [article] = read_text(f"{lead}\n\nThe boats' owners protested.", "lead.txt", OPTIONS)
    assert article.title == ""
    assert article.body.startswith("The navy intercepted")


def test_text_fixture_title_body_and_furniture() -> None:
    [article] = read_path(str(FIXTURES / "story_titled.txt"), OPTIONS)
    assert article.title == "Navy intercepts fishing boats near disputed reef"
    assert article.input_id == str(FIXTURES / "story_titled.txt")
    body = paragraphs(article)
    assert body[0].startswith("The navy intercepted four fishing boats")
    assert body[-1] == "Both governments have said they want to avoid an escalation."
    for furniture in ("Home", "Tweet", "Share this article", "©", "Coastal Tribune"):
        assert furniture not in article.body
    assert article.language == "en"


def test_hard_wrapped_text_becomes_paragraphs() -> None:
    articles, failures = split(read_path(str(FIXTURES / "hard_wrapped.txt"), OPTIONS))
    assert not failures
    [article] = articles
    assert article.title == "Aid convoy reaches besieged town of Mirza"
    assert len(paragraphs(article)) == 3
    assert "\n" not in paragraphs(article)[0]
    assert "reached the besieged town of Mirza on Saturday, the first delivery" in article.body
    assert paragraphs(article)[2] == (
        '"This is a start, not a solution," said the UN\'s regional coordinator, Amira Haddad.'
    )


def test_single_line_text_is_body_not_title() -> None:
    [result] = read_text("Explosion reported near Velka airport\n\n", "title-only.txt", OPTIONS)
    # The single line is not followed by body text, so it is the body: the brief survives.
    assert result.body == "Explosion reported near Velka airport"
