"""Where extraction runs: in this process, in a pool of local processes, or on a Ray cluster.

Every engine has the interface of :class:`eventwire.pipeline.Extractor` — ``extract(articles)``
yields one Extraction per article in input order, and ``timings`` sums seconds per stage — so
reading, deduplication, storing and merging (``eventwire.ingest_run``) are the same code whatever
runs the stages, and every engine yields the same canonical events for the same input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from eventwire.config import Settings
from eventwire.records import Article, Extraction


class ExtractionEngine(Protocol):
    timings: dict[str, float]

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...

    def close(self) -> None: ...


def make_engine(
    settings: Settings, engine: str = "local", *, ray_address: str | None = None
) -> ExtractionEngine:
    """The extractor for ``engine`` ("local" or "ray") with ``settings.workers`` processes."""
    if engine == "local":
        if settings.workers <= 1:
            from eventwire.pipeline import Extractor

            return Extractor(settings)
        from eventwire.engines.local import ProcessPoolExtractor

        return ProcessPoolExtractor(settings)
    if engine == "ray":
        from eventwire.engines.ray_engine import RayExtractor

        return RayExtractor(settings, address=ray_address, workers=max(1, settings.workers))
    raise ValueError(f"unknown engine {engine!r}: use 'local' or 'ray'")
