"""Geo fixtures: one gazetteer per test session (reused from the user cache, built there if missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.config import Settings
from eventwire.geo import Gazetteer, PlaceResolver


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    # The index is a cache: building it costs ~40 s once, so tests share the user's cache directory.
    return Gazetteer(Path(Settings().cache_dir))


@pytest.fixture(scope="session")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)
