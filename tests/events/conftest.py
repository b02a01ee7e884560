"""Fixtures for the report-level event tests: one pipeline per session, and the ACLED call of a report."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventwire.events.evaluate import snippet_acled
from eventwire.pipeline import Extractor
from eventwire.records import Article


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def sub_type(extractor: Extractor) -> Callable[[str], str | None]:
    """The ACLED sub-event type eventwire gives a whole report (as `eval events` scores CASE)."""

    def run(text: str) -> str | None:
        extraction = next(iter(extractor.extract([Article(body=text)])))
        chosen = snippet_acled(extraction.mentions)
        return chosen.sub_event_type if chosen else None

    return run
