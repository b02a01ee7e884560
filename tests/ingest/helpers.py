"""Helpers shared by the ingest tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from eventwire.records import Article, ReadFailure

FIXTURES = Path(__file__).parent / "fixtures"


def split(records: Iterable[Article | ReadFailure]) -> tuple[list[Article], list[ReadFailure]]:
    """Articles and failures of one read, checking nothing else came out."""
    records = list(records)
    articles = [r for r in records if isinstance(r, Article)]
    failures = [r for r in records if isinstance(r, ReadFailure)]
    assert len(articles) + len(failures) == len(records)
    return articles, failures


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")
