"""Throughput, memory and store write rate of the eventwire pipeline against bare spaCy.

Run: ``python benchmarks/bench_pipeline.py`` (or ``make bench``); ``--quick`` checks the script
works in a minute or two. See benchmarks/README.md for what every figure means. Each phase runs in
a fresh process so its peak memory is its own, on the same articles (streamed from a file, so no
phase holds the corpus), with the same model and batch size, warmed up before the clock starts.
Nothing here asserts a timing: the figures are printed and written to results/latest.json, with
the issue-9 goals marked met or not met beside them.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from bench_store import default_pg_url, run_store
from corpus import EXAMPLES_DIR, build_corpus, describe, read_examples, stream_corpus, write_corpus
from rich.console import Console
from rich.table import Table

from eventwire import __version__
from eventwire.config import Settings
from eventwire.errors import ModelMissing
from eventwire.records import Article, Extraction

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.json"
QUICK_OUT = HERE / "results" / "quick.json"  # a check run never overwrites the real figures

THROUGHPUT_PHASES = ("bare", "full1", "full2")
ALL_PHASES = (*THROUGHPUT_PHASES, "store", "heap")
DEFAULT_PHASES = (*THROUGHPUT_PHASES, "store")
# Issue 9's acceptance figures, printed beside the measured ones.
GOAL_RATIO = 0.80  # full pipeline, one worker, against bare nlp.pipe
GOAL_SPEEDUP = 1.7  # two workers against one, on a two-core machine
GOAL_MEMORY = 1.15  # peak RSS at the end of 2,000 articles against after 500


@dataclass(frozen=True, slots=True)
class Plan:
    """What every phase is asked to do; passed to each child process."""

    settings: Settings
    corpus_path: str
    articles: int
    warmup: int
    tracemalloc_articles: int
    checkpoint: int
    workers: int
    store_articles: int
    pg_url: str | None
    sqlite_dir: str | None

    def stream(self, limit: int | None = None) -> Iterator[Article]:
        return stream_corpus(Path(self.corpus_path), limit)


# -- memory probes -------------------------------------------------------------------------------


def _kib_to_mb(value: int) -> float:
    """ru_maxrss is KiB on Linux and bytes on macOS."""
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def maxrss_mb() -> float:
    """Peak resident memory of this process so far."""
    return _kib_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def rss_mb() -> float | None:
    """Resident memory right now (Linux only): with the peak, it shows whether memory is let go."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_probe(articles: int) -> dict[str, Any]:
    """Cheap enough to take inside the timed loop: two syscalls and a counter read."""
    return {
        "articles": articles,
        "maxrss_mb": maxrss_mb(),
        "rss_mb": rss_mb(),
        "allocated_blocks": sys.getallocatedblocks(),
    }


def _traced_peak(run: Callable[[], Iterable[Any]], n: int) -> dict[str, Any] | None:
    """Python-heap peak while processing ``n`` articles, after the timed run so it slows nothing.

    The model and indexes are already loaded, so this is the working memory of the batches, the
    part that must not grow with the corpus; both phases report it, so eventwire's share shows.
    """
    if n <= 0:
        return None
    gc.collect()
    tracemalloc.start()
    try:
        for _ in run():
            pass
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"articles": n, "peak_mb": peak / 2**20, "retained_mb": current / 2**20}


# -- phases (each runs in a fresh process) ----------------------------------------------------------


def run_bare(plan: Plan) -> dict[str, Any]:
    """Bare ``nlp.pipe`` over the bodies: the floor any spaCy-based extractor stands on."""
    from eventwire.nlp import load_pipeline

    rss_start = maxrss_mb()
    started = time.perf_counter()
    nlp = load_pipeline(plan.settings.model)
    size = plan.settings.batch_size
    for _ in nlp.pipe((a.body for a in plan.stream(plan.warmup)), batch_size=size):
        pass
    startup = time.perf_counter() - started
    gc.collect()
    tokens = articles = 0
    checkpoints = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc in nlp.pipe((a.body for a in plan.stream()), batch_size=size):
        tokens += len(doc)
        articles += 1
        if articles == plan.checkpoint:
            checkpoints.append(memory_probe(articles))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    checkpoints.append(memory_probe(articles))
    traced = _traced_peak(
        lambda: nlp.pipe((a.body for a in plan.stream(plan.tracemalloc_articles)), batch_size=size),
        plan.tracemalloc_articles,
    )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": articles,
        "tokens": tokens,
        "startup_seconds": startup,
        "pipe_names": list(nlp.pipe_names),
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "spacy_version": _spacy_version(),
        "rss_start_mb": rss_start,
        "maxrss_mb": checkpoints[-1]["maxrss_mb"],
        "memory": checkpoints,
        "tracemalloc": traced,
    }


def _tally() -> dict[str, int]:
    return dict.fromkeys(("mentions", "quotes", "places", "actors", "dates", "with_errors"), 0)


def _count(counts: dict[str, int], extraction: Extraction) -> None:
    counts["mentions"] += len(extraction.mentions)
    counts["quotes"] += len(extraction.quotes)
    counts["places"] += len(extraction.places)
    counts["actors"] += len(extraction.actors)
    counts["dates"] += len(extraction.dates)
    counts["with_errors"] += bool(extraction.article.errors)


def run_full1(plan: Plan) -> dict[str, Any]:
    """The full extractor in this process (one worker), timed per stage, with memory checkpoints."""
    from eventwire.pipeline import Extractor

    rss_start = maxrss_mb()
    started = time.perf_counter()
    extractor = Extractor(plan.settings)
    for _ in extractor.extract(plan.stream(plan.warmup)):
        pass
    startup = time.perf_counter() - started
    before = dict(extractor.timings)
    counts = _tally()
    checkpoints = []
    articles = 0
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    for extraction in extractor.extract(plan.stream()):
        _count(counts, extraction)
        articles += 1
        if articles == plan.checkpoint:
            checkpoints.append(memory_probe(articles))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    checkpoints.append(memory_probe(articles))
    stages = {name: total - before.get(name, 0.0) for name, total in extractor.timings.items()}
    traced = _traced_peak(
        lambda: extractor.extract(plan.stream(plan.tracemalloc_articles)), plan.tracemalloc_articles
    )
    nlp = getattr(extractor, "nlp", None)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": articles,
        "startup_seconds": startup,
        "stages": stages,
        "counts": counts,
        "pipe_names": list(nlp.pipe_names) if nlp is not None else None,
        "rss_start_mb": rss_start,
        "maxrss_mb": checkpoints[-1]["maxrss_mb"],
        "memory": checkpoints,
        "tracemalloc": traced,
    }


def run_full2(plan: Plan) -> dict[str, Any]:
    """The full pipeline in ``plan.workers`` worker processes (``ProcessPoolExtractor``).

    The pool is started and every worker loads its model first (``warm_up``). Then one stream goes
    through ``extract``: warm-up articles (every worker parses at least one batch), the timed
    corpus, then cool-down articles. The pool reads ahead up to two batches per worker, so the
    clock runs between two marks of that stream: the work already in flight when it starts is
    balanced by the cool-down work in flight when it stops, and the rate is the steady one. The
    cold total (pool start to shutdown) is reported as well. Children CPU and peak RSS come from
    RUSAGE_CHILDREN once the pool has shut down and its workers have been reaped.
    """
    from eventwire.engines.local import ProcessPoolExtractor

    size = plan.settings.batch_size
    warm = max(plan.warmup, plan.workers * size)
    cool = 2 * plan.workers * size
    stream = chain(plan.stream(warm), plan.stream(), plan.stream(cool))
    counts = _tally()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seen = articles = 0
    timings_start: dict[str, float] = {}
    timings_end: dict[str, float] = {}
    mark = end = cpu_mark = cpu_end = 0.0
    gc.collect()
    cold_started, cold_cpu = time.perf_counter(), time.process_time()
    with ProcessPoolExtractor(replace(plan.settings, workers=plan.workers)) as engine:
        engine.warm_up()
        loaded = time.perf_counter() - cold_started
        for extraction in engine.extract(stream):
            seen += 1
            if seen == warm:
                timings_start = dict(engine.timings)
                mark, cpu_mark = time.perf_counter(), time.process_time()
            elif warm < seen <= warm + plan.articles:
                _count(counts, extraction)
                articles += 1
                if articles == plan.articles:
                    end, cpu_end = time.perf_counter(), time.process_time()
                    timings_end = dict(engine.timings)
    for child in mp.active_children():  # reaped children are the only ones RUSAGE_CHILDREN counts
        child.join(60)
    cold_seconds = time.perf_counter() - cold_started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = {name: total - timings_start.get(name, 0.0) for name, total in timings_end.items()}
    children_cpu = (children.ru_utime + children.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    return {
        "workers": plan.workers,
        "seconds": end - mark,
        "cpu_seconds": cpu_end - cpu_mark,
        "articles": articles,
        "warmup_articles": warm,
        "cooldown_articles": cool,
        "cold_seconds": cold_seconds,
        "cold_cpu_seconds": time.process_time() - cold_cpu,
        "processed_articles": seen,
        "pool_start_seconds": loaded,
        "startup_seconds": mark - cold_started,
        "children_cpu_seconds": children_cpu,
        "children_cpu_per_article_ms": 1000 * children_cpu / seen if seen else None,
        "children_maxrss_mb": _kib_to_mb(children.ru_maxrss),
        "stages": stages,
        "counts": counts,
        "maxrss_mb": maxrss_mb(),
    }


def run_heap(plan: Plan) -> dict[str, Any]:
    """One-worker extraction with tracemalloc on throughout: the Python heap at the checkpoints.

    Tracing slows every allocation (a multiple of the untraced time), so this is a separate,
    untimed phase, off by default (``--phases heap``).
    """
    from eventwire.pipeline import Extractor

    extractor = Extractor(plan.settings)
    for _ in extractor.extract(plan.stream(plan.warmup)):
        pass
    gc.collect()
    checkpoints = []
    articles = 0
    started = time.perf_counter()
    tracemalloc.start()
    try:
        for _ in extractor.extract(plan.stream()):
            articles += 1
            if articles == plan.checkpoint:
                current, peak = tracemalloc.get_traced_memory()
                checkpoints.append(_heap(articles, current, peak))
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    checkpoints.append(_heap(articles, current, peak))
    return {"articles": articles, "seconds": time.perf_counter() - started, "checkpoints": checkpoints}


def _heap(articles: int, current: int, peak: int) -> dict[str, Any]:
    return {"articles": articles, "current_mb": current / 2**20, "peak_mb": peak / 2**20}


def run_store_phase(plan: Plan) -> dict[str, Any]:
    """Extract ``store_articles`` once (untimed), then time saving them into each backend."""
    from eventwire.pipeline import Extractor

    started = time.perf_counter()
    extractions = list(Extractor(plan.settings).extract(plan.stream(plan.store_articles)))
    result = run_store(extractions, plan.pg_url, plan.sqlite_dir)
    result["extract_seconds"] = time.perf_counter() - started
    result["mentions_per_article"] = (
        sum(len(e.mentions) for e in extractions) / len(extractions) if extractions else 0.0
    )
    return result


PHASE_FUNCTIONS: dict[str, Callable[[Plan], dict[str, Any]]] = {
    "bare": run_bare,
    "full1": run_full1,
    "full2": run_full2,
    "heap": run_heap,
    "store": run_store_phase,
}
RESULT_KEYS = {
    "bare": "bare_spacy",
    "full1": "eventwire",
    "full2": "eventwire_pool",
    "heap": "heap",
    "store": "store",
}


def _spacy_version() -> str:
    import spacy

    return spacy.__version__


def _in_fresh_process(func: Callable[[Plan], dict[str, Any]], plan: Plan) -> dict[str, Any]:
    """A new interpreter per phase: its peak RSS is its own and no cache carries over."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(func, plan).result()


# -- machine ----------------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory_gb = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gb": round(memory_gb, 1) if memory_gb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "eventwire": __version__,
        "git_commit": _git_commit(),
        "load_average": _load_average(),
    }


def _load_average() -> list[float] | None:
    """Other work on the machine skews every figure; the 1/5/15-minute load says how much."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


# -- corpus ---------------------------------------------------------------------------------------


def count_words(bodies: Iterable[str], model: str) -> dict[str, int]:
    """Tokens and words (tokens that are neither whitespace nor punctuation) of the corpus.

    Counted once, here, with the model's own tokenizer, so every phase's words/s divides the same
    number and the timed loops do no counting of their own.
    """
    from eventwire.nlp import load_pipeline

    tokenizer = load_pipeline(model).tokenizer
    tokens = words = 0
    for doc in tokenizer.pipe(bodies):
        tokens += len(doc)
        words += sum(1 for token in doc if not (token.is_space or token.is_punct))
    return {"tokens": tokens, "words": words}


# -- summary --------------------------------------------------------------------------------------


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (the lower one of an even count), with every run's seconds."""
    chosen = sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]
    return {**chosen, "all_seconds": [run["seconds"] for run in runs]}


def _rate(phase: dict[str, Any] | None, amount: int | float) -> float | None:
    if not phase or "seconds" not in phase or not phase["seconds"]:
        return None
    return amount / phase["seconds"]


def _goal(value: float | None, goal: float, higher_is_better: bool = True) -> dict[str, Any]:
    met = None if value is None else (value >= goal if higher_is_better else value <= goal)
    return {"value": value, "goal": goal, "met": met}


def _memory_ratio(phase: dict[str, Any] | None) -> dict[str, Any] | None:
    """Peak RSS at the end against at the checkpoint, and the same for current RSS."""
    if not phase or len(phase.get("memory", [])) < 2:
        return None
    first, last = phase["memory"][0], phase["memory"][-1]
    rss = None
    if first.get("rss_mb") and last.get("rss_mb"):
        rss = last["rss_mb"] / first["rss_mb"]
    return {
        "at_articles": [first["articles"], last["articles"]],
        "maxrss_mb": [first["maxrss_mb"], last["maxrss_mb"]],
        "maxrss_ratio": last["maxrss_mb"] / first["maxrss_mb"],
        "rss_ratio": rss,
        "allocated_blocks_ratio": last["allocated_blocks"] / first["allocated_blocks"],
    }


def summarise(corpus: dict[str, Any], phases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Derived figures: rates, the ratio, the speed-up, memory growth, and the goals."""
    bare, full, pool = (phases.get(k) for k in ("bare", "full1", "full2"))
    per_word = corpus["words"] / corpus["articles"] if corpus["articles"] else 0.0
    derived: dict[str, Any] = {}
    for key, phase in (("bare", bare), ("full1", full), ("full2", pool)):
        if phase and "seconds" in phase:
            derived[f"{key}_articles_per_s"] = _rate(phase, phase["articles"])
            derived[f"{key}_words_per_s"] = _rate(phase, phase["articles"] * per_word)
    bare_rate, full_rate, pool_rate = (derived.get(f"{k}_articles_per_s") for k in THROUGHPUT_PHASES)
    ratio = full_rate / bare_rate if bare_rate and full_rate else None
    speedup = pool_rate / full_rate if full_rate and pool_rate else None
    memory = _memory_ratio(full)
    derived["throughput_ratio"] = ratio
    derived["speedup"] = speedup
    derived["memory_full1"] = memory
    derived["memory_bare"] = _memory_ratio(bare)
    if bare and full and "seconds" in bare and "seconds" in full:
        derived["slowdown"] = full["seconds"] / bare["seconds"]
        derived["cpu_slowdown"] = full["cpu_seconds"] / bare["cpu_seconds"]
        stages = dict(full["stages"])
        stages["other"] = max(0.0, full["seconds"] - sum(stages.values()))
        derived["stages"] = {
            name: {
                "seconds": s,
                "share_of_eventwire": s / full["seconds"],
                "relative_to_bare_spacy": s / bare["seconds"],
            }
            for name, s in stages.items()
        }
    if full and "counts" in full and full["articles"]:
        derived["per_article"] = {k: v / full["articles"] for k, v in full["counts"].items()}
    derived["goals"] = {
        "ratio_full1_bare": _goal(ratio, GOAL_RATIO),
        "speedup_full2_full1": _goal(speedup, GOAL_SPEEDUP),
        "memory_end_vs_checkpoint": _goal(memory["maxrss_ratio"] if memory else None, GOAL_MEMORY, False),
    }
    return derived


# -- output ---------------------------------------------------------------------------------------


def _f(value: Any, spec: str = ".1f") -> str:
    return "" if value is None else format(value, spec)


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _verdict(goal: dict[str, Any]) -> str:
    if goal["met"] is None:
        return "[yellow]not measured[/]"
    return "[green]met[/]" if goal["met"] else "[red]not met[/]"


def render(console: Console, result: dict[str, Any]) -> None:
    machine, corpus, derived = result["machine"], result["corpus"], result["derived"]
    bare, full, pool = (result.get(RESULT_KEYS[k]) or {} for k in THROUGHPUT_PHASES)
    model = bare.get("model") or result["settings"]["model"]
    console.print(
        f"[bold]eventwire {machine['eventwire']}[/] ({machine['git_commit'] or 'no git'}) · "
        f"{model} · spaCy {bare.get('spacy_version') or _spacy_version()} · Python {machine['python']} · "
        f"{machine['usable_cores']}/{machine['cores']} cores · {machine['cpu']} · "
        f"{machine['memory_gb']} GB · load {machine['load_average_before']} before, "
        f"{machine['load_average']} after"
    )
    console.print(
        f"corpus: {corpus['articles']} articles ({corpus['originals']} examples + {corpus['variants']} "
        f"variants, seed {result['seed']}), {corpus['chars']:,} chars, {corpus['tokens']:,} tokens, "
        f"{corpus['words']:,} words · batch size {result['batch_size']} · warm-up {result['warmup']} "
        f"articles · {result['rounds']} round(s), medians shown · phases {','.join(result['phases'])}"
    )

    table = Table(title="Throughput and memory (each phase in a fresh process)")
    columns = (
        "", "wall s", "CPU s", "children CPU s (all)", "articles/s", "words/s", "startup s",
        "peak RSS MB", "children peak RSS MB", "all runs s",
    )
    for column in columns:
        table.add_column(column, justify="right" if column else "left")
    rows = (
        ("bare nlp.pipe", bare, "bare"),
        ("eventwire, 1 worker", full, "full1"),
        (f"eventwire, {pool.get('workers', result['workers'])} workers", pool, "full2"),
    )
    children = bool(pool)  # the children columns only mean something for the pool phase
    for label, phase, key in rows:
        if not phase:
            continue
        if "error" in phase:
            table.add_row(label, "failed", *[""] * (len(columns) - 2))
            continue
        table.add_row(
            label, f"{phase['seconds']:.2f}", f"{phase['cpu_seconds']:.2f}",
            _f(phase.get("children_cpu_seconds"), ".2f"),
            _f(derived.get(f"{key}_articles_per_s")), _f(derived.get(f"{key}_words_per_s"), ",.0f"),
            f"{phase['startup_seconds']:.1f}", f"{phase['maxrss_mb']:.0f}",
            _f(phase.get("children_maxrss_mb"), ".0f"),
            " ".join(f"{x:.1f}" for x in phase["all_seconds"]),
        )
    if not children:
        table.columns = [c for c in table.columns if not str(c.header).startswith("children")]
    if table.row_count:
        console.print(table)
    if pool and "error" not in pool:
        console.print(
            f"{pool['workers']} workers: steady rate over the {pool['articles']} timed articles, after "
            f"{pool['warmup_articles']} warm-up and before {pool['cooldown_articles']} cool-down articles; "
            f"cold {pool['cold_seconds']:.1f} s for all {pool['processed_articles']} (pool start to "
            f"shutdown); children CPU {pool['children_cpu_per_article_ms']:.0f} ms per article processed"
        )

    _render_goals(console, result)
    _render_details(console, result)
    _render_store(console, result.get("store"))


def _render_goals(console: Console, result: dict[str, Any]) -> None:
    machine, derived = result["machine"], result["derived"]
    full = result.get("eventwire") or {}
    if not set(THROUGHPUT_PHASES) & set(result["phases"]):
        return
    goals = derived["goals"]
    cores = machine["usable_cores"]
    console.print(
        f"ratio full 1 worker / bare: [bold]{_f(derived['throughput_ratio'], '.2f') or 'n/a'}[/] "
        f"(goal ≥ {GOAL_RATIO:.2f}: {_verdict(goals['ratio_full1_bare'])})"
    )
    note = "" if cores == 2 else f"; the goal is for a two-core machine, this one has {cores} usable"
    console.print(
        f"speed-up {result['workers']} workers / 1 worker: [bold]{_times(derived['speedup'])}[/] "
        f"(goal ≥ {GOAL_SPEEDUP}x: {_verdict(goals['speedup_full2_full1'])}{note})"
    )
    memory = derived.get("memory_full1")
    if memory:
        first, last = memory["at_articles"]
        note = "" if (first, last) == (500, 2000) else "; the goal is for 500 and 2,000 articles"
        console.print(
            f"peak RSS, 1 worker: {memory['maxrss_mb'][0]:.0f} MB after article {first}, "
            f"{memory['maxrss_mb'][1]:.0f} MB after {last}: [bold]{memory['maxrss_ratio']:.3f}x[/] "
            f"(goal ≤ {GOAL_MEMORY}x: {_verdict(goals['memory_end_vs_checkpoint'])}{note}); "
            f"current RSS {_f(memory['rss_ratio'], '.3f')}x, allocated blocks "
            f"{memory['allocated_blocks_ratio']:.3f}x"
        )
    elif full and "error" not in full:
        console.print(f"peak RSS checkpoint not reached: checkpoint {result['checkpoint']} ≥ corpus size")
    if derived.get("slowdown"):
        console.print(
            f"eventwire takes {derived['slowdown']:.2f}x the wall time of nlp.pipe alone, "
            f"{derived['cpu_slowdown']:.2f}x its CPU time"
        )


def _render_details(console: Console, result: dict[str, Any]) -> None:
    derived = result["derived"]
    bare, full = result.get("bare_spacy") or {}, result.get("eventwire") or {}
    if derived.get("stages"):
        stages = Table(title="eventwire per stage, 1 worker (from Extractor.timings)")
        for column in ("stage", "seconds", "share of eventwire", "x bare spaCy time"):
            stages.add_column(column, justify="left" if column == "stage" else "right")
        ordered = sorted(derived["stages"].items(), key=lambda item: -item[1]["seconds"])
        for name, figures in ordered:
            stages.add_row(
                name, f"{figures['seconds']:.2f}", f"{figures['share_of_eventwire']:.1%}",
                f"{figures['relative_to_bare_spacy']:.2f}",
            )
        console.print(stages)
    if derived.get("per_article"):
        per = dict(derived["per_article"])
        with_errors = per.pop("with_errors")
        console.print(
            "found per article: " + ", ".join(f"{k} {v:.1f}" for k, v in per.items())
            + f"; articles with an error note: {with_errors:.0%}"
        )
    for label, phase in (("bare spaCy", bare), ("eventwire", full)):
        traced = phase.get("tracemalloc")
        if traced:
            console.print(
                f"tracemalloc, {label} ({traced['articles']} articles, separate pass after timing): "
                f"Python heap peak {traced['peak_mb']:.1f} MB, retained {traced['retained_mb']:.1f} MB"
            )
    heap = result.get("heap")
    if heap and "checkpoints" in heap:
        console.print(
            "tracemalloc throughout, 1 worker: "
            + "; ".join(
                f"after {c['articles']}: heap {c['current_mb']:.1f} MB, peak so far {c['peak_mb']:.1f} MB"
                for c in heap["checkpoints"]
            )
        )


def _render_store(console: Console, store: dict[str, Any] | None) -> None:
    if not store:
        return
    if "error" in store:
        console.print(f"[red]store phase failed: {store['error']}[/]")
        return
    table = Table(title="Store write rate (Store.save_many, a transaction per 32 articles; then merge)")
    for column in ("backend", "articles", "save s", "articles/s", "rows", "rows/s", "merge s", "events"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    skipped = []
    for name in ("sqlite", "postgresql"):
        figures = store[name]
        if "skipped" in figures:
            skipped.append(f"[yellow]PostgreSQL: skipped ({figures['skipped']})[/]")
            continue
        if "error" in figures:
            skipped.append(f"[red]{name}: failed: {figures['error']}[/]")
            continue
        label = name if name == "sqlite" else f"{name} {figures.get('server_version', '').split(' ')[0]}"
        table.add_row(
            label, str(figures["articles"]), f"{figures['seconds']:.2f}", _f(figures["articles_per_s"]),
            str(figures["rows"]), _f(figures["rows_per_s"], ",.0f"), f"{figures['merge_seconds']:.2f}",
            str(figures["merge_events_written"]),
        )
    if table.row_count:
        console.print(table)
    for line in skipped:
        console.print(line)
    console.print(f"store corpus: {store['mentions_per_article']:.1f} mentions per article")


def markdown(result: dict[str, Any]) -> str:
    """The figures docs/speed.md needs, with the machine they ran on, ready to paste."""
    machine, corpus, derived = result["machine"], result["corpus"], result["derived"]
    bare = result.get("bare_spacy") or {}
    lines = [
        f"Run of {result['created']} (commit {machine['git_commit'] or 'unknown'}, eventwire "
        f"{machine['eventwire']}{', --quick' if result['quick'] else ''}): {machine['cpu']}, "
        f"{machine['usable_cores']}/{machine['cores']} cores usable, {machine['memory_gb']} GB, "
        f"{machine['platform']}, Python {machine['python']}, "
        f"{bare.get('model') or result['settings']['model']}; load average "
        f"{machine['load_average_before']} before, {machine['load_average']} after.",
        "",
        f"Corpus: {corpus['articles']} articles ({corpus['originals']} examples + {corpus['variants']} "
        f"variants, seed {result['seed']}), {corpus['chars']:,} characters, {corpus['tokens']:,} tokens, "
        f"{corpus['words']:,} words (not space, not punctuation); batch size {result['batch_size']}, "
        f"{result['rounds']} round(s), medians.",
        "",
        "| | wall s | CPU s | articles/s | words/s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in (("bare", "bare `nlp.pipe`"), ("full1", "eventwire, 1 worker"), ("full2", "")):
        phase = result.get(RESULT_KEYS[key])
        if not phase or "error" in phase:
            continue
        cpu = f"{phase['cpu_seconds']:.1f}"
        rss = f"{phase['maxrss_mb']:.0f}"
        if key == "full2":
            label = f"eventwire, {phase['workers']} workers"
            cpu = f"{phase['children_cpu_seconds']:.1f} (workers, all {phase['processed_articles']} articles)"
            rss = f"{phase['maxrss_mb']:.0f} + largest worker {phase['children_maxrss_mb']:.0f}"
        lines.append(
            f"| {label} | {phase['seconds']:.1f} | {cpu} | {_f(derived.get(f'{key}_articles_per_s'))} | "
            f"{_f(derived.get(f'{key}_words_per_s'), ',.0f')} | {rss} |"
        )
    goals = derived["goals"]
    memory = derived.get("memory_full1")
    at = f"{memory['at_articles'][1]} / after {memory['at_articles'][0]}" if memory else "end / checkpoint"
    lines += [
        "",
        "| issue 9 goal | measured | target | |",
        "|---|---|---|---|",
        f"| full pipeline 1 worker / bare `nlp.pipe` | {_f(goals['ratio_full1_bare']['value'], '.2f')} "
        f"| ≥ {GOAL_RATIO:.2f} | {_plain(goals['ratio_full1_bare'])} |",
        f"| {result['workers']} workers / 1 worker | {_times(goals['speedup_full2_full1']['value'])} "
        f"| ≥ {GOAL_SPEEDUP}x | {_plain(goals['speedup_full2_full1'])} |",
        f"| peak RSS after {at} articles | {_times(goals['memory_end_vs_checkpoint']['value'])} "
        f"| ≤ {GOAL_MEMORY}x | {_plain(goals['memory_end_vs_checkpoint'])} |",
    ]
    store = result.get("store")
    if store and "error" not in store:
        lines += ["", "| store | articles | articles/s | rows/s | merge_pending s |", "|---|---|---|---|---|"]
        for name in ("sqlite", "postgresql"):
            figures = store[name]
            if "skipped" in figures or "error" in figures:
                lines.append(f"| {name} | {figures.get('skipped') or figures.get('error')} | | | |")
                continue
            lines.append(
                f"| {name} | {figures['articles']} | {_f(figures['articles_per_s'])} | "
                f"{_f(figures['rows_per_s'], ',.0f')} | {figures['merge_seconds']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def _plain(goal: dict[str, Any]) -> str:
    return "not measured" if goal["met"] is None else ("met" if goal["met"] else "not met")


# -- main -----------------------------------------------------------------------------------------


def _phases(value: str) -> tuple[str, ...]:
    chosen = tuple(p.strip() for p in value.split(",") if p.strip())
    unknown = sorted(set(chosen) - set(ALL_PHASES))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown phase(s) {unknown}; choose from {', '.join(ALL_PHASES)}")
    return chosen


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="corpus size (default 2000)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the variant generator")
    parser.add_argument("--batch-size", type=int, default=None, help="default: Settings().batch_size")
    parser.add_argument("--model", default=None, help="spaCy pipeline; default: Settings().model")
    parser.add_argument("--workers", type=int, default=2, help="processes of the pool phase (default 2)")
    parser.add_argument("--warmup", type=int, default=None, help="articles run before timing (default 32)")
    parser.add_argument(
        "--checkpoint", type=int, default=None,
        help="article after which peak memory is first read (default 500)",
    )
    parser.add_argument(
        "--tracemalloc-articles", type=int, default=None,
        help="articles in the tracemalloc pass after timing, bare and 1 worker (default 64, 0 skips)",
    )
    parser.add_argument(
        "--rounds", type=int, default=None,
        help="run the throughput phases this many times, alternating their order; medians are reported",
    )
    parser.add_argument(
        "--phases", type=_phases, default=DEFAULT_PHASES,
        help=f"comma-separated, from {','.join(ALL_PHASES)} (default {','.join(DEFAULT_PHASES)})",
    )
    parser.add_argument(
        "--store-articles", type=int, default=None, help="articles saved by the store phase (default 200)"
    )
    parser.add_argument(
        "--pg", default=None,
        help="PostgreSQL URL for the store phase (default: $EVENTWIRE_BENCH_PG or $EVENTWIRE_TEST_PG)",
    )
    parser.add_argument(
        "--sqlite-dir", default=None, help="folder for the SQLite file (default: the temp folder)"
    )
    parser.add_argument("--quick", action="store_true", help="a small run to check the script works")
    parser.add_argument("--examples", type=Path, default=EXAMPLES_DIR)
    parser.add_argument(
        "--out", type=Path, default=None,
        help="JSON results (default results/latest.json; with --quick results/quick.json)",
    )
    args = parser.parse_args(argv)
    # --quick only changes the defaults: anything given explicitly still wins.
    sizes = ("articles", "warmup", "checkpoint", "tracemalloc_articles", "rounds", "store_articles")
    values = (120, 16, 30, 16, 1, 40) if args.quick else (2000, 32, 500, 64, 1, 200)
    defaults = dict(zip(sizes, values, strict=True))
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.out is None:
        args.out = QUICK_OUT if args.quick else DEFAULT_OUT
    if args.workers < 1 or args.articles < 1:
        parser.error("--workers and --articles must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 140)
    load_before = _load_average()
    settings = Settings().with_overrides(batch_size=args.batch_size, model=args.model)
    pg_url = args.pg if args.pg is not None else default_pg_url()

    with console.status("building the corpus ..."):
        articles = build_corpus(args.articles, args.seed, read_examples(args.examples))
        corpus: dict[str, Any] = describe(articles)
        try:
            corpus.update(count_words((a.body for a in articles), settings.model))
        except ModelMissing as exc:  # every phase needs the model: say so once, plainly
            console.print(f"[red]{exc}[/]")
            return 1

    results: dict[str, list[dict[str, Any]]] = {name: [] for name in args.phases}
    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-corpus-") as tmp:
        corpus_path = Path(tmp) / "corpus.pickles"
        write_corpus(articles, corpus_path)
        del articles  # the phases stream the file; nothing else needs the list
        plan = Plan(
            settings, str(corpus_path), corpus["articles"], args.warmup, args.tracemalloc_articles,
            args.checkpoint, args.workers, min(args.store_articles, corpus["articles"]), pg_url,
            args.sqlite_dir,
        )
        timed = [p for p in THROUGHPUT_PHASES if p in args.phases]
        schedule: list[tuple[int, str]] = []
        for round_no in range(max(1, args.rounds)):
            # Alternate the order so a machine that speeds up or slows down favours no phase.
            schedule += [(round_no, p) for p in (timed[::-1] if round_no % 2 else timed)]
        schedule += [(0, p) for p in ("store", "heap") if p in args.phases]
        for round_no, name in schedule:
            if name in errors:
                continue
            label = f"round {round_no + 1}/{args.rounds}: {name}" if name in timed else name
            with console.status(f"{label} ..."):
                try:
                    results[name].append(_in_fresh_process(PHASE_FUNCTIONS[name], plan))
                except Exception as exc:
                    # Keep the figures already measured, record the failure, skip the phase after.
                    errors[name] = f"{name} phase failed: {type(exc).__name__}: {exc}"
                    console.print(f"[red]{errors[name]}[/]")

    phases: dict[str, dict[str, Any]] = {}
    for name, runs in results.items():
        if runs:
            phases[name] = _median_run(runs) if name in THROUGHPUT_PHASES else runs[0]
        elif name in errors:
            phases[name] = {"error": errors[name]}
    measured = {k: v for k, v in phases.items() if "error" not in v}
    result: dict[str, Any] = {
        "benchmark": "pipeline",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "batch_size": settings.batch_size,
        "warmup": args.warmup,
        "checkpoint": args.checkpoint,
        "workers": args.workers,
        "rounds": max(1, args.rounds),
        "phases": list(args.phases),
        "quick": args.quick,
        "settings": asdict(settings),
        "machine": {**machine_info(), "load_average_before": load_before},
        "corpus": corpus,
        **{RESULT_KEYS[name]: figures for name, figures in phases.items()},
        "errors": errors,
        "derived": summarise(corpus, measured),
    }
    render(console, result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = args.out.with_suffix(".md")
    summary.write_text(markdown(result), encoding="utf-8")
    console.print(f"written to {args.out} and {summary} (the tables for docs/speed.md)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
