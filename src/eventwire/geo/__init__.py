"""Places: the gazetteer index, toponym recognition and resolution."""

from __future__ import annotations

import functools
from pathlib import Path

from eventwire.geo.gazetteer import DEFAULT_CACHE_DIR, Gazetteer, Place, demonym_table
from eventwire.geo.normalise import name_key
from eventwire.geo.resolve import PlaceResolver

__all__ = ["Gazetteer", "Place", "PlaceResolver", "default_resolver", "demonym_country"]


@functools.lru_cache(maxsize=4)
def default_resolver(cache_dir: Path | None = None) -> PlaceResolver:
    """One resolver per cache directory per process (the gazetteer is built on first use)."""
    return PlaceResolver(Gazetteer(cache_dir if cache_dir is not None else DEFAULT_CACHE_DIR))


def demonym_country(text: str) -> str | None:
    """ISO3 of the country a demonym or adjective names ("Syrian", "Iraqis" -> SYR, IRQ), else None.

    Reads only the packaged country list, so it is cheap and never builds the gazetteer index.
    """
    return demonym_table().get(name_key(text))
