"""Extraction in a pool of worker processes on this machine (``--workers N``).

spaCy and the stages after it are CPU-bound pure Python/Cython holding the GIL, so threads do not
help; processes do. Each worker loads the model, gazetteer and lexicons once, then takes batches
of articles and sends back extractions. The calling process keeps reading, deduplicating and
storing, so those stay sequential and identical to a one-process run. At most ``2 x workers``
batches are in flight, which keeps memory flat however long the input is, and results are
yielded in input order.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING

from eventwire.config import Settings
from eventwire.errors import EngineError
from eventwire.records import Article, Extraction

if TYPE_CHECKING:
    from eventwire.pipeline import Extractor

log = logging.getLogger(__name__)

# One BLAS/OpenMP thread per worker: N workers on N cores, each with N math threads, would fight.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")

_worker: Extractor | None = None


def _start_worker(settings: Settings) -> None:
    """Runs once in each worker process: load everything before the first batch arrives."""
    global _worker
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    from eventwire.pipeline import Extractor

    _worker = Extractor(settings)
    _worker.warm_up()


def _extract_batch(batch: list[Article]) -> tuple[list[Extraction], dict[str, float]]:
    """Extract one batch in a worker; return its extractions and the seconds each stage took."""
    assert _worker is not None, "worker used before _start_worker ran"
    before = dict(_worker.timings)
    extractions = list(_worker.extract(batch))
    spent = {name: total - before.get(name, 0.0) for name, total in _worker.timings.items()}
    return extractions, spent


def _worker_pid(pause: float) -> int:
    """A tiny task for ``warm_up``: which worker ran it (the pause lets the others take some)."""
    time.sleep(pause)
    return os.getpid()


class ProcessPoolExtractor:
    """Same interface as ``Extractor``; the work is spread over ``settings.workers`` processes.

    The pool starts on first use and lives until ``close()`` (or the end of a ``with`` block), so
    successive ``extract`` calls pay the workers' model loading once.
    """

    def __init__(self, settings: Settings) -> None:
        if settings.workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings = settings
        self.workers = settings.workers
        self.timings: dict[str, float] = defaultdict(float)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPoolExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the caller may hold database connections, threads (progress bars)
            # and a loaded model; a forked copy of those is a source of rare, hard-to-trace failures.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=mp.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.settings,),
            )
        return self._pool

    def warm_up(self, timeout: float = 300.0) -> None:
        """Start every worker and wait until each has loaded the model (for benchmarks)."""
        pool = self._started()
        ready: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(ready) < self.workers and time.monotonic() < deadline:
            futures = [pool.submit(_worker_pid, 0.2) for _ in range(self.workers)]
            ready.update(f.result() for f in futures)

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Yield one Extraction per article, in input order."""
        stream = iter(articles)
        size = self.settings.batch_size
        pool = self._started()
        pending: deque[Future[tuple[list[Extraction], dict[str, float]]]] = deque()
        try:
            while True:
                while len(pending) < 2 * self.workers and (batch := list(islice(stream, size))):
                    pending.append(pool.submit(_extract_batch, batch))
                if not pending:
                    break
                extractions, spent = pending.popleft().result()
                for name, seconds in spent.items():
                    self.timings[name] += seconds
                yield from extractions
        except BrokenProcessPool as exc:
            self._pool = None
            raise EngineError(
                f"an extraction worker died ({exc}); articles stored so far are kept",
                hint="rerun the same command to resume; if memory ran out, use fewer --workers "
                "or a smaller --batch-size",
            ) from exc
        finally:
            for future in pending:
                future.cancel()
