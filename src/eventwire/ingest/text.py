"""Plain-text articles: the first line is the title when a blank line follows it (extract contract).

A first line longer than ``MAX_TITLE_CHARS`` is a paragraph, not a headline, and stays in the body;
a first line that is page furniture ("Home | World | Sport") is dropped before the title is chosen.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventwire.ingest.base import MAX_TITLE_CHARS, ReadOptions, Record, build_article, clean_body
from eventwire.ingest.boilerplate import is_furniture_line
from eventwire.ingest.encoding import clean_text

_MAX_FURNITURE_SKIPS = 5


def split_title(text: str) -> tuple[str, str]:
    """Split normalised text into (title, body); title is "" when the text has none."""
    blocks = text.split("\n\n")
    for _ in range(_MAX_FURNITURE_SKIPS):
        if len(blocks) < 2 or "\n" in blocks[0] or not is_furniture_line(blocks[0], position="leading"):
            break
        blocks = blocks[1:]
    first = blocks[0] if blocks else ""
    if len(blocks) >= 2 and "\n" not in first and len(first) <= MAX_TITLE_CHARS:
        return first, "\n\n".join(blocks[1:])
    return "", "\n\n".join(blocks)


def read_text(text: str, input_id: str, options: ReadOptions) -> Iterator[Record]:
    """Yield the one article a plain-text input holds."""
    title, body = split_title(clean_text(text))
    body = clean_body(body, unescape=False, strip=options.strip_boilerplate)
    yield build_article(body, input_id=input_id, options=options, title=title, body_is_clean=True)
