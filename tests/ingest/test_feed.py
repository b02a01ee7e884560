"""RSS/Atom feeds: full-text entries, entries whose page was saved beside the feed, summaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from eventwire.ingest import ReadOptions, read_bytes, read_path
from eventwire.ingest.feed import read_feed

from .helpers import FIXTURES, paragraphs, split

FEED = str(FIXTURES / "feed" / "valley_post.xml")


def test_rss_entries_become_articles_and_a_textless_entry_a_failure() -> None:
    articles, failures = split(read_path(FEED, ReadOptions()))
    assert [a.input_id for a in articles] == [
        "vp-2021-0705-01",
        "https://valleypost.example/sport/lund-stadium-clash",
        "https://valleypost.example/2021/07/03/budget",
    ]
    [failure] = failures
    assert failure.input_id == "vp-gallery-77"
    assert failure.message == (
        f"{FEED}#3 (vp-gallery-77): feed entry has no text and its page is not saved beside the feed"
    )


def test_full_content_entry_keeps_paragraphs_and_drops_furniture() -> None:
    first = next(iter(read_path(FEED, ReadOptions())))
    assert first.title == "Dam operator opens third spillway as river keeps rising"
    assert first.published == date(2021, 7, 5)
    assert first.author == "Ines Berg"
    assert first.outlet == "Valley Post"
    assert first.url == "https://valleypost.example/2021/07/05/dam-spillway"
    assert paragraphs(first) == [
        "The operator of the Horn Valley dam opened a third spillway on Monday as the Kessel river kept "
        "rising after four days of rain, the regional water authority said.",
        "Residents of low-lying streets in Arvik were told to move to higher ground by nightfall. "
        "\u201cWe expect the peak on Tuesday evening,\u201d authority director Ines Moberg said.",
    ]


def test_entry_with_saved_page_reads_the_page_not_the_summary() -> None:
    articles, _ = split(read_path(FEED, ReadOptions()))
    clash = articles[1]
    assert clash.body.startswith("Police arrested two men after fans of rival clubs fought outside")
    assert clash.body.endswith("for the rest of the season.")
    assert len(paragraphs(clash)) == 3
    assert "Home" not in clash.body and "All rights reserved" not in clash.body
    assert clash.title == "Two arrested after fans clash outside Lund stadium"
    assert clash.published == date(2021, 7, 4)


def test_summary_only_entry_uses_the_summary() -> None:
    articles, _ = split(read_path(FEED, ReadOptions(outlet="ignored default")))
    budget = articles[2]
    assert budget.body.startswith("Arvik's town council postponed its vote on the 2022 budget")
    assert budget.outlet == "Valley Post"  # the feed's title beats the default
    assert budget.published == date(2021, 7, 3)


def test_feed_from_memory_has_no_folder_to_look_in() -> None:
    data = (FIXTURES / "feed" / "valley_post.xml").read_bytes()
    results = list(read_bytes(data, "upload.xml"))
    _, failures = split(results)
    # Without a folder, the stadium entry falls back to its one-line summary.
    assert [r.input_id for r in results][:2] == [
        "vp-2021-0705-01",
        "https://valleypost.example/sport/lund-stadium-clash",
    ]
    assert results[1].body == "Police arrested two men."
    assert [f.input_id for f in failures] == ["vp-gallery-77"]


def test_atom_feed_with_html_content(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Orsk Courier</title>
  <id>urn:orsk-courier</id>
  <updated>2024-05-06T08:00:00Z</updated>
  <entry>
    <title>Curfew lifted in Orsk</title>
    <id>urn:orsk-courier:1</id>
    <link href="https://orsk.example/curfew-lifted"/>
    <updated>2024-05-05T18:00:00Z</updated>
    <author><name>Lena Vos</name></author>
    <content type="html">&lt;p&gt;Authorities lifted a night curfew in Orsk on Sunday after a week without
    unrest, the governor said.&lt;/p&gt;&lt;p&gt;Shops reopened in the old town.&lt;/p&gt;</content>
  </entry>
</feed>"""
    path = tmp_path / "orsk.atom"
    path.write_text(atom, encoding="utf-8")
    [article] = read_path(str(path), ReadOptions())
    assert article.input_id == "urn:orsk-courier:1"
    assert article.outlet == "Orsk Courier"
    assert article.author == "Lena Vos"
    assert article.published == date(2024, 5, 5)
    assert paragraphs(article) == [
        "Authorities lifted a night curfew in Orsk on Sunday after a week without unrest, the governor said.",
        "Shops reopened in the old town.",
    ]


def test_feed_without_entries_is_reported() -> None:
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    [failure] = read_feed(empty, "quiet.xml", ReadOptions())
    assert failure.message == "quiet.xml: feed has no entries"
