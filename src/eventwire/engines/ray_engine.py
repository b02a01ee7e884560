"""Extraction on Ray (``--engine ray``): the same stages, run on a local Ray or on a cluster.

What runs where, in both entry points:

* **Ray workers** run the expensive part. Each worker is one Ray actor holding one
  :class:`eventwire.pipeline.Extractor`; it loads the spaCy pipeline, the gazetteer and the
  lexicons once, in its constructor, and then extracts batch after batch. In
  :func:`run_ray_job` the reading of files (local folders or ``s3://``, ``gs://`` ... paths,
  through the pyarrow filesystems Ray uses) and their parsing into articles by our readers also
  run on Ray, as Ray Data tasks.
* **The driver** (the process that calls us) keeps everything that must be sequential to give the
  same answer as the local engine: deduplication in input order, saving each article, and merging
  mentions into canonical events (``eventwire.ingest_run.ingest_articles``, unchanged). It also
  writes the Parquet files. These steps are cheap next to spaCy.

Articles travel to the workers and extractions back as pickled records (the dataclasses of
``eventwire.records``), in bounded windows, so memory stays flat and results come back in input
order whatever worker finished first. Hence the Ray engine stores the same articles, mentions and
canonical events as the local engine for the same corpus.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import tempfile
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventwire.config import Settings
from eventwire.errors import ConfigError, EngineError
from eventwire.records import Article, Extraction, ReadFailure

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.fs as pafs
    from ray.actor import ActorHandle

    from eventwire.ingest.base import ReadOptions
    from eventwire.ingest_run import IngestSummary
    from eventwire.store import Store

log = logging.getLogger(__name__)

# One BLAS/OpenMP thread per worker: N workers on N cores, each with N math threads, would fight.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
# Reading and parsing files is I/O and light CPU; it must never wait for a CPU the extraction
# actors hold (with as many workers as cores it would wait for ever), so its tasks reserve none
# and their number is capped instead.
_READ_TASKS = 4
_FILES_PER_PARSE_BATCH = 16
_MENTION_ROWS_PER_FILE = 50_000
_WARC_PEEK_BYTES = 8192


# -- connecting ---------------------------------------------------------------------------------------


def _ray() -> Any:
    """The ray module, or one readable error when the extra is not installed."""
    try:
        import ray
    except ImportError as exc:
        raise EngineError(
            "the Ray engine needs Ray, which is not installed",
            hint="pip install 'eventwire[ray]' (on the driver and on every node of the cluster)",
        ) from exc
    return ray


def connect(address: str | None = None, *, init_args: dict[str, Any] | None = None) -> bool:
    """Join Ray (``None``: a running Ray in this process, else a new local one; ``auto``;
    ``ray://host:10001``; a GCS ``host:6379``). True if this call started the connection.

    Ray already initialised in this process (a test fixture, a notebook) is used as it is.
    """
    ray = _ray()
    if ray.is_initialized():
        return False
    # Offline at run time: a Ray started here does not report usage statistics.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    args: dict[str, Any] = {"logging_level": logging.WARNING, "include_dashboard": False}
    args.update(init_args or {})
    try:
        ray.init(address=address, **args)
    except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
        raise EngineError(
            f"cannot connect to Ray at {address or 'a new local instance'}: {exc}",
            hint="start the cluster with `ray start --head`, then pass --ray-address auto (on a "
            "cluster node) or ray://HEAD:10001 (from elsewhere)",
        ) from exc
    log.info("connected to Ray at %s: %s", address or "local", ray.cluster_resources())
    return True


# -- the worker ---------------------------------------------------------------------------------------


class _ExtractWorker:
    """One Ray actor: one Extractor, loaded once in the constructor, then batch after batch."""

    def __init__(self, settings: Settings) -> None:
        for name in _THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
        from eventwire.pipeline import Extractor

        self.extractor = Extractor(settings)
        self.extractor.warm_up()

    def ready(self) -> int:
        """The worker's process id, once the model is loaded (the driver waits on it)."""
        return os.getpid()

    def extract(self, batch: list[Article]) -> tuple[list[Extraction], dict[str, float]]:
        """Extract one batch; return its extractions and the seconds each stage took."""
        before = dict(self.extractor.timings)
        extractions = list(self.extractor.extract(batch))
        spent = {name: total - before.get(name, 0.0) for name, total in self.extractor.timings.items()}
        return extractions, spent


@lru_cache(maxsize=1)
def _remote_worker() -> Any:
    """The Ray actor class, made on first use (importing this module must not import Ray)."""
    return _ray().remote(_ExtractWorker)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _last_line(exc: BaseException) -> str:
    """The line of a remote traceback that says what went wrong, for a one-line error."""
    lines = [line.strip() for line in _ANSI.sub("", str(exc)).splitlines() if line.strip()]
    last = lines[-1] if lines else type(exc).__name__
    if last.endswith(")") and last.count(")") > last.count("("):
        last = last[:-1]  # Ray wraps the remote message in "(...)"
    return last


def _ray_failures() -> tuple[type[BaseException], ...]:
    """Errors that mean a worker or its results were lost (not a bug in a stage)."""
    from ray import exceptions

    return (exceptions.RayActorError, exceptions.ObjectLostError, exceptions.OutOfMemoryError)


class RayExtractor:
    """Same interface as ``Extractor``: ``extract(articles)`` yields extractions in input order.

    ``workers`` Ray actors (None: one per CPU of the cluster) each hold one Extractor (the spaCy
    pipeline is loaded once per worker, when the first articles arrive) and stay up across
    ``extract`` calls until ``close()``. At
    most ``2 x workers`` batches of ``settings.batch_size`` articles are in flight, which keeps
    memory flat on the driver and in the object store; a batch goes to the worker with the
    fewest batches pending.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        address: str | None = None,
        workers: int | None = 1,
        *,
        cpus_per_worker: float = 1.0,
        init_args: dict[str, Any] | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings = settings or Settings()
        self.address = address
        self.workers = workers
        self.cpus_per_worker = cpus_per_worker
        self.init_args = init_args
        self.timings: dict[str, float] = defaultdict(float)
        self._actors: list[ActorHandle] = []
        self._started_ray = False
        self.worker_pids: list[int] = []  # the workers' process ids, once started

    def _start(self) -> list[ActorHandle]:
        if self._actors:
            return self._actors
        ray = _ray()

        self._started_ray = connect(self.address, init_args=self.init_args) or self._started_ray
        count = self.workers
        if count is None:  # the whole cluster: as many workers as its CPUs hold
            count = max(1, int(ray.cluster_resources().get("CPU", 1) // self.cpus_per_worker))
        worker = _remote_worker().options(num_cpus=self.cpus_per_worker, max_restarts=0)
        actors = [worker.remote(self.settings) for _ in range(count)]
        try:
            pids = ray.get([actor.ready.remote() for actor in actors])
        except _ray_failures() as exc:
            for actor in actors:
                ray.kill(actor)
            raise EngineError(
                f"a Ray worker could not start: {_last_line(exc)}",
                hint="every node needs eventwire and the spaCy model installed (see docs/scale.md)",
            ) from exc
        log.info("%d Ray extraction workers ready (pids %s)", len(actors), pids)
        self._actors = actors
        self.worker_pids = list(pids)
        return actors

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Yield one Extraction per article, in input order."""
        ray = _ray()
        stream = iter(articles)
        size = self.settings.batch_size
        first = _take(stream, size)
        if not first:
            return
        actors = self._start()
        load = [0] * len(actors)
        pending: deque[tuple[int, Any]] = deque()  # (actor index, result ref), in input order

        def submit(batch: list[Article]) -> None:
            chosen = min(range(len(actors)), key=load.__getitem__)
            load[chosen] += 1
            pending.append((chosen, actors[chosen].extract.remote(batch)))

        submit(first)
        try:
            while pending:
                while len(pending) < 2 * len(actors) and (batch := _take(stream, size)):
                    submit(batch)
                chosen, ref = pending.popleft()
                extractions, spent = ray.get(ref)
                load[chosen] -= 1
                for name, seconds in spent.items():
                    self.timings[name] += seconds
                yield from extractions
        except _ray_failures() as exc:
            self._kill()
            raise EngineError(
                f"a Ray extraction worker was lost ({_last_line(exc)}); articles stored so far are kept",
                hint="rerun the same command to resume; if memory ran out, use fewer --workers or a "
                "smaller batch_size",
            ) from exc
        finally:  # the caller stopped early or a worker failed: drop the batches still queued
            for _, ref in pending:
                with suppress(ValueError, ray.exceptions.RayError):
                    ray.cancel(ref)

    def _kill(self) -> None:
        ray = _ray()

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        self.worker_pids = []

    def close(self) -> None:
        """Stop the workers, and Ray itself if this extractor started it."""
        if not self._actors and not self._started_ray:
            return
        ray = _ray()

        self._kill()
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> RayExtractor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _take(stream: Iterator[Article], size: int) -> list[Article]:
    batch: list[Article] = []
    for article in stream:
        batch.append(article)
        if len(batch) >= size:
            break
    return batch


# -- reading on Ray -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """One input file in input order: to be read on Ray, or already judged on the driver."""

    input_id: str
    path: str | None = None  # path in the group's filesystem (read on Ray)
    failure: ReadFailure | None = None  # refused before reading (missing, too large, ...)
    local: bool = False  # stdin or a URL: read on the driver by the local readers


@dataclass(slots=True)
class _Group:
    """Consecutive inputs on one filesystem, each file once: one Ray Data read over their files.

    ``roots`` maps each input's path in the filesystem to the input as given, so a Ray task can
    name a file's records exactly as the local readers do (``corpus/a.txt``, not its absolute
    path) from a handful of roots rather than a table of every file.
    """

    filesystem: pafs.FileSystem | None
    key: str
    slots: list[_Slot] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)


def _filesystem(path: str) -> tuple[pafs.FileSystem, str, str]:
    """(filesystem, path inside it, group key) of a local path or an object storage URI."""
    import pyarrow.fs as pafs

    if "://" in path and not path.startswith("file://"):
        filesystem, inner = pafs.FileSystem.from_uri(path)
        scheme, _, rest = path.partition("://")
        return filesystem, inner.rstrip("/"), f"{scheme}://{rest.split('/', 1)[0]}"
    local = path.removeprefix("file://")
    return pafs.LocalFileSystem(), os.path.abspath(local), "local"


def _input_id(raw: str, parts: list[str], local: bool) -> str:
    """A file's id as the local readers give it: the input as typed, joined with the file's path."""
    if not parts:
        return raw
    return os.path.join(raw, *parts) if local else "/".join([raw.rstrip("/"), *parts])


def _id_from_roots(path: str, roots: dict[str, str], local: bool) -> str:
    if path in roots:
        return roots[path]
    for root, raw in roots.items():
        if path.startswith(root + "/"):
            return _input_id(raw, path[len(root) + 1 :].split("/"), local)
    return path


def _expand(inputs: Iterable[str], options: ReadOptions) -> Iterator[_Group]:
    """Inputs as groups of file slots, in the order the local readers would read them.

    Folders are walked in sorted order with hidden entries skipped, like ``eventwire.ingest``;
    ``-`` and ``http(s)://`` inputs are left to the local readers on the driver. A file met a
    second time (given twice, or inside two inputs) starts a new group, so within a group each
    file has one input and one id.
    """
    from eventwire.ingest.url import is_url

    group: _Group | None = None
    for raw in inputs:
        filesystem: pafs.FileSystem | None = None
        if raw == "-" or is_url(raw):
            key, inner, slots = "driver", raw, [_Slot(raw, local=True)]
        else:
            filesystem, inner, key = _filesystem(raw)
            slots = list(_files(filesystem, raw, inner, options))
        paths = {slot.path for slot in slots if slot.path is not None}
        if group is None or group.key != key or paths & group.paths:
            if group is not None:
                yield group
            group = _Group(filesystem, key)
        group.slots.extend(slots)
        group.paths |= paths
        group.roots[inner] = raw
    if group is not None:
        yield group


def _files(filesystem: pafs.FileSystem, raw: str, inner: str, options: ReadOptions) -> Iterator[_Slot]:
    """The slots of one input: a file, or every file of a folder or prefix in walk order."""
    import pyarrow.fs as pafs

    from eventwire.ingest.base import failure

    try:
        info = filesystem.get_file_info(inner)
    except OSError as exc:
        yield _Slot(raw, failure=failure(raw, f"cannot read ({exc})"))
        return
    if info.type == pafs.FileType.NotFound:
        yield _Slot(raw, failure=failure(raw, "no such file or directory"))
    elif info.type == pafs.FileType.File:
        yield _file_slot(filesystem, raw, info.path, info.size, options)
    elif info.type != pafs.FileType.Directory:
        yield _Slot(raw, failure=failure(raw, "not a regular file (pipe, socket or device)"))
    elif filesystem.type_name == "local":
        yield from _walk_local(filesystem, raw, inner, options)
    else:
        yield from _walk_store(filesystem, raw, inner, options)


def _walk_local(filesystem: pafs.FileSystem, raw: str, folder: str, options: ReadOptions) -> Iterator[_Slot]:
    """A local folder listed exactly as ``eventwire.ingest`` lists it (``walk_folder``); pyarrow's
    own recursive listing would follow symlink loops for ever."""
    from eventwire.ingest import walk_folder
    from eventwire.ingest.base import failure

    for item in walk_folder(folder, raw):
        if isinstance(item, ReadFailure):
            yield _Slot(item.input_id, failure=item)
            continue
        input_id, entry = item
        try:
            size = entry.stat().st_size
        except OSError as exc:
            yield _Slot(input_id, failure=failure(input_id, f"cannot read ({exc.strerror or exc})"))
            continue
        yield _file_slot(filesystem, input_id, entry.path, size, options)


def _walk_store(filesystem: pafs.FileSystem, raw: str, prefix: str, options: ReadOptions) -> Iterator[_Slot]:
    """An object storage prefix in the same order as a local folder, hidden names skipped."""
    import pyarrow.fs as pafs

    from eventwire.ingest.base import failure

    try:
        found = filesystem.get_file_info(pafs.FileSelector(prefix, recursive=True))
    except OSError as exc:
        yield _Slot(raw, failure=failure(raw, f"cannot list folder ({exc})"))
        return
    entries = []
    for entry in found:
        parts = entry.path[len(prefix) :].strip("/").split("/")
        if entry.type == pafs.FileType.File and not any(p.startswith(".") for p in parts):
            entries.append((parts, entry))
    # Sorting the parts, not the joined path, lists each folder in name order as a walk does.
    for parts, entry in sorted(entries, key=lambda item: item[0]):
        yield _file_slot(filesystem, _input_id(raw, parts, False), entry.path, entry.size, options)


def _file_slot(
    filesystem: pafs.FileSystem, input_id: str, path: str, size: int | None, options: ReadOptions
) -> _Slot:
    """Refuse on the driver what the local reader refuses before reading: empty or too large."""
    from eventwire.ingest.base import failure, too_large
    from eventwire.ingest.warc import is_warc

    if size == 0:
        return _Slot(input_id, failure=failure(input_id, "file is empty"))
    if size is not None and size > options.max_bytes:
        try:
            with filesystem.open_input_stream(path) as stream:
                head = stream.read(_WARC_PEEK_BYTES)
        except OSError:
            head = b""
        if not is_warc(head):  # a WARC is limited per record, not as a whole
            return _Slot(input_id, failure=too_large(input_id, size, options.max_bytes))
    return _Slot(input_id, path=path)


def _parse_files(table: pa.Table, options: ReadOptions, roots: dict[str, str], local: bool) -> pa.Table:
    """Ray Data task: files' bytes to pickled records, one row each, the last of a file flagged."""
    import pyarrow as pa

    from eventwire.ingest import read_bytes

    paths: list[str] = []
    records: list[bytes | None] = []
    last: list[bool] = []
    for path, data in zip(table["path"].to_pylist(), table["bytes"].to_pylist(), strict=True):
        start = len(records)
        for record in read_bytes(data, _id_from_roots(path, roots, local), options):
            paths.append(path)
            records.append(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
            last.append(False)
        if len(records) == start:  # a reader that found nothing still closes the file's slot
            paths.append(path)
            records.append(None)
            last.append(False)
        last[-1] = True
    return pa.table(
        {
            "path": pa.array(paths, pa.string()),
            "record": pa.array(records, pa.binary()),
            "last": pa.array(last, pa.bool_()),
        }
    )


def read_on_ray(
    inputs: Iterable[str],
    *,
    published: date | None = None,
    outlet: str | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[Article | ReadFailure]:
    """Read inputs as ``eventwire.ingest.read_inputs`` does, with the files read and parsed on Ray.

    Yields the same records in the same order: the driver lists files (sorted, hidden ones
    skipped) and refuses missing, empty and oversized ones itself; Ray Data tasks fetch the
    bytes (``read_binary_files``, local or object storage) and run our readers (chosen by
    content); records stream back in order. Stdin and URLs are read on the driver.
    """
    _ray()
    import ray.data

    from eventwire.ingest import read_path
    from eventwire.ingest.base import ReadOptions

    options = ReadOptions(published=published, outlet=outlet, max_bytes=max_bytes)
    for group in _expand(inputs, options):
        files = [slot.path for slot in group.slots if slot.path is not None]
        rows: Iterator[dict[str, Any]] = iter(())
        if files:
            # Ray warns (an error under strict warnings) when a task cap exceeds the blocks there
            # are; one block per ``_FILES_PER_PARSE_BATCH`` files keeps the cap at most the count.
            blocks = -(-len(files) // _FILES_PER_PARSE_BATCH)
            tasks = min(_READ_TASKS, blocks)
            dataset = ray.data.read_binary_files(
                files,
                include_paths=True,
                filesystem=group.filesystem,
                num_cpus=0,
                concurrency=tasks,
                override_num_blocks=blocks,
            ).map_batches(
                _parse_files,
                batch_format="pyarrow",
                batch_size=_FILES_PER_PARSE_BATCH,
                fn_kwargs={
                    "options": options,
                    "roots": group.roots,
                    "local": group.filesystem is not None and group.filesystem.type_name == "local",
                },
                num_cpus=0,
                compute=ray.data.TaskPoolStrategy(size=tasks),
            )
            # The dataset's own copy of the settings: order is what makes the run match a local
            # one; progress is reported per article by the caller, not by Ray's bars.
            dataset.context.execution_options.preserve_order = True
            dataset.context.enable_progress_bars = False
            rows = iter(dataset.iter_rows())
        for slot in group.slots:
            if slot.local:
                yield from read_path(slot.input_id, options)
            elif slot.failure is not None:
                yield slot.failure
            else:
                yield from _slot_records(rows, slot)


def _slot_records(rows: Iterator[dict[str, Any]], slot: _Slot) -> Iterator[Article | ReadFailure]:
    """The records of one file, checking that Ray kept the order (else the run would not match)."""
    for row in rows:
        if row["path"] != slot.path:
            raise EngineError(f"Ray returned {row['path']} where {slot.path} was expected: input order lost")
        if row["record"] is not None:
            yield pickle.loads(row["record"])
        if row["last"]:
            return
    raise EngineError(f"Ray returned nothing for {slot.path}: input order lost")


# -- Parquet ------------------------------------------------------------------------------------------


def mention_schema() -> pa.Schema:
    """Flat mention rows: the columns of ``eventwire events --mentions`` plus the spans."""
    import pyarrow as pa

    text = pa.string()
    columns: list[tuple[str, pa.DataType]] = [
        ("id", text),
        ("article_id", text),
        ("input_id", text),
        ("published", pa.date32()),
        ("title", text),
        ("outlet", text),
        ("url", text),
        ("type", text),
        ("mode", text),
        ("acled_event_type", text),
        ("acled_sub_event_type", text),
        ("confidence", pa.float64()),
    ]
    for actor in ("actor1", "actor2"):
        columns += [(f"{actor}_{name}", text) for name in ("text", "name", "id", "kind", "country")]
    columns += [
        ("place_text", text),
        ("place_name", text),
        ("place_geonameid", pa.int64()),
        ("place_lat", pa.float64()),
        ("place_lon", pa.float64()),
        ("place_country", text),
        ("place_precision", text),
        ("date_text", text),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", text),
        ("fatalities", pa.int64()),
        ("negated", pa.bool_()),
        ("hypothetical", pa.bool_()),
        ("attributed_to", text),
        ("contexts", pa.list_(text)),
        ("trigger", text),
        ("trigger_start", pa.int64()),
        ("trigger_end", pa.int64()),
        ("sentence", text),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
    ]
    return pa.schema(columns)


def mention_rows(extraction: Extraction) -> Iterator[dict[str, Any]]:
    """One flat row per mention, with the ids the store gives it (``article_id:seq``)."""
    from eventwire.store.rows import mention_row

    article = extraction.article
    aid = article.id
    for seq, mention in enumerate(extraction.mentions):
        row = mention_row(aid, seq, mention, article.published)
        yield row | {
            "input_id": article.input_id,
            "published": article.published,
            "title": article.title,
            "outlet": article.outlet,
            "url": article.url,
            "trigger": row["trigger_text"],
            "sentence": article.body[mention.sentence[0] : mention.sentence[1]],
        }


class ParquetSink:
    """Writes mention rows under ``<out>/mentions/`` in part files, and the events file at the end.

    ``out`` is a local folder or an object storage URI. Part names carry a run stamp, so a
    resumed run adds files beside the earlier ones rather than overwriting them.
    """

    def __init__(self, out: str, *, rows_per_file: int = _MENTION_ROWS_PER_FILE) -> None:
        self.filesystem, self.root, _ = _filesystem(out)
        self.out = out
        self.rows_per_file = rows_per_file
        self.schema = mention_schema()
        self.stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.rows: list[dict[str, Any]] = []
        self.files = 0
        self.written = 0
        self.filesystem.create_dir(f"{self.root}/mentions", recursive=True)

    def is_empty(self) -> bool:
        import pyarrow.fs as pafs

        found = self.filesystem.get_file_info(pafs.FileSelector(self.root, recursive=True))
        return not any(info.type == pafs.FileType.File for info in found)

    def add(self, extraction: Extraction) -> None:
        self.rows.extend(mention_rows(extraction))
        if len(self.rows) >= self.rows_per_file:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        table = pa.Table.from_pylist(self.rows, schema=self.schema)
        path = f"{self.root}/mentions/part-{self.stamp}-{self.files:05d}.parquet"
        pq.write_table(table, path, filesystem=self.filesystem)
        self.files += 1
        self.written += len(self.rows)
        self.rows.clear()

    def write_events(self, store: Store) -> int:
        """Every canonical event in the store, as ``eventwire export --format parquet`` writes it."""
        from pathlib import Path

        import pyarrow.fs as pafs

        from eventwire.export import export_events

        with tempfile.TemporaryDirectory(prefix="eventwire-events-") as scratch:
            local = Path(scratch) / "events.parquet"
            n = export_events(store, "parquet", local)
            pafs.copy_files(
                str(local),
                f"{self.root}/events.parquet",
                source_filesystem=pafs.LocalFileSystem(),
                destination_filesystem=self.filesystem,
            )
        return n


class _Tee:
    """An extractor that also hands each extraction to the Parquet sink as it passes."""

    def __init__(self, extractor: RayExtractor, sink: ParquetSink) -> None:
        self.extractor = extractor
        self.sink = sink
        self.timings = extractor.timings

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for extraction in self.extractor.extract(articles):
            self.sink.add(extraction)
            yield extraction


# -- the batch job ------------------------------------------------------------------------------------


@dataclass(slots=True)
class RayJobResult:
    """What a batch job did: the ingest counts, and what it wrote to Parquet."""

    summary: IngestSummary
    mention_rows: int = 0
    events: int = 0
    parquet_out: str | None = None
    db: str | None = None


def run_ray_job(
    inputs: list[str],
    *,
    parquet_out: str | None = None,
    db_url: str | None = None,
    settings: Settings | None = None,
    address: str | None = None,
    workers: int | None = None,
    published: date | None = None,
    outlet: str | None = None,
    on_failure: Callable[[ReadFailure], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> RayJobResult:
    """Read, deduplicate, extract and store a corpus with Ray; write Parquet and/or a database.

    On Ray: listing aside, files are fetched and parsed by Ray Data tasks (``read_on_ray``) and
    extracted by ``workers`` actors (``RayExtractor``; None: one per CPU of the cluster). On the
    driver: deduplication, saving and merging through ``ingest_articles``, exactly as the local
    engine, into ``db_url`` (SQLite or PostgreSQL) or, with Parquet only, a scratch SQLite file
    that is deleted afterwards. ``parquet_out`` (a folder or an object storage URI) receives
    ``mentions/part-*.parquet``, one row per mention of every article extracted in this run, and
    ``events.parquet``, every canonical event of the store (the columns of ``eventwire export
    --format parquet``). Without a database a run cannot know what an earlier run wrote, so it
    refuses a non-empty ``parquet_out``.
    """
    from eventwire.ingest_run import ingest_articles
    from eventwire.store import Store

    if parquet_out is None and db_url is None:
        raise ConfigError(
            "a Ray job needs somewhere to write", hint="give a database URL, a Parquet folder, or both"
        )
    settings = settings or Settings()
    sink = ParquetSink(parquet_out) if parquet_out else None
    if sink is not None and db_url is None and not sink.is_empty():
        raise ConfigError(
            f"{parquet_out} already holds files, and without a database this run cannot tell what they hold",
            hint="write to a new folder, or also give --db so reruns resume",
        )
    started = connect(address)
    extractor = RayExtractor(settings, address=address, workers=workers)
    try:
        items = read_on_ray(inputs, published=published, outlet=outlet, max_bytes=settings.max_bytes)
        with tempfile.TemporaryDirectory(prefix="eventwire-ray-") as scratch:
            store = Store.open(db_url or f"sqlite:///{os.path.join(scratch, 'dedup.db')}")
            try:
                summary = ingest_articles(
                    items,
                    store,
                    settings,
                    extractor=_Tee(extractor, sink) if sink else extractor,
                    on_failure=on_failure,
                    on_progress=on_progress,
                )
                result = RayJobResult(summary, parquet_out=parquet_out, db=store.url if db_url else None)
                if sink is not None:
                    sink.flush()
                    result.mention_rows = sink.written
                    result.events = sink.write_events(store)
            finally:
                store.close()
    finally:
        extractor.close()
        if started:
            ray = _ray()

            ray.shutdown()
    return result
