"""Throughput and memory of the eventwire pipeline against bare spaCy on the same texts.

Run: ``python benchmarks/bench_pipeline.py`` (or ``make bench``). See benchmarks/README.md for
what the figures mean. Each phase runs in a fresh process so its peak memory is its own, on the
same articles, with the same model and batch size; both are warmed up before the clock starts.
Nothing here asserts a timing: the figures are printed and written to results/latest.json.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus import EXAMPLES_DIR, build_corpus, describe, read_examples
from rich.console import Console
from rich.table import Table

from eventwire import __version__
from eventwire.config import Settings
from eventwire.records import Article

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.json"


@dataclass(frozen=True, slots=True)
class Plan:
    """What both phases are asked to do; passed to each child process."""

    settings: Settings
    warmup: int
    tracemalloc_articles: int


def maxrss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bare(plan: Plan, articles: Sequence[Article]) -> dict[str, Any]:
    """Bare ``nlp.pipe`` over the bodies: the floor any spaCy-based extractor stands on."""
    from eventwire.nlp import load_pipeline

    rss_start = maxrss_mb()
    started = time.perf_counter()
    nlp = load_pipeline(plan.settings.model)
    texts = [a.body for a in articles]
    for _ in nlp.pipe(texts[: plan.warmup], batch_size=plan.settings.batch_size):
        pass
    startup = time.perf_counter() - started
    gc.collect()
    tokens = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(texts, batch_size=plan.settings.batch_size):
        tokens += len(doc)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    maxrss = maxrss_mb()
    traced = _traced_peak(
        lambda: nlp.pipe(texts[: plan.tracemalloc_articles], batch_size=plan.settings.batch_size),
        plan.tracemalloc_articles,
    )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": len(texts),
        "tokens": tokens,
        "startup_seconds": startup,
        "pipe_names": list(nlp.pipe_names),
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "spacy_version": _spacy_version(),
        "rss_start_mb": rss_start,
        "maxrss_mb": maxrss,
        "tracemalloc": traced,
    }


def run_eventwire(plan: Plan, articles: Sequence[Article]) -> dict[str, Any]:
    """The full extractor, timed per stage through ``Extractor.timings``."""
    from eventwire.pipeline import Extractor

    rss_start = maxrss_mb()
    started = time.perf_counter()
    extractor = Extractor(plan.settings)
    for _ in extractor.extract(copy.deepcopy(list(articles[: plan.warmup]))):
        pass
    startup = time.perf_counter() - started
    before = dict(extractor.timings)
    counts = dict.fromkeys(("mentions", "quotes", "places", "actors", "dates", "with_errors"), 0)
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    for extraction in extractor.extract(articles):
        counts["mentions"] += len(extraction.mentions)
        counts["quotes"] += len(extraction.quotes)
        counts["places"] += len(extraction.places)
        counts["actors"] += len(extraction.actors)
        counts["dates"] += len(extraction.dates)
        counts["with_errors"] += bool(extraction.article.errors)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    stages = {name: total - before.get(name, 0.0) for name, total in extractor.timings.items()}
    maxrss = maxrss_mb()
    sample = copy.deepcopy(list(articles[: plan.tracemalloc_articles]))
    traced = _traced_peak(lambda: extractor.extract(sample), len(sample))
    nlp = getattr(extractor, "nlp", None)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": len(articles),
        "startup_seconds": startup,
        "stages": stages,
        "counts": counts,
        "pipe_names": list(nlp.pipe_names) if nlp is not None else None,
        "rss_start_mb": rss_start,
        "maxrss_mb": maxrss,
        "tracemalloc": traced,
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


def _spacy_version() -> str:
    import spacy

    return spacy.__version__


def _in_fresh_process(func: Any, plan: Plan, articles: Sequence[Article]) -> dict[str, Any]:
    """A new interpreter per phase: its peak RSS is its own and no cache carries over."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(func, plan, articles).result()


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


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (the lower one of an even count), with every run's seconds."""
    chosen = sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]
    return {**chosen, "all_seconds": [run["seconds"] for run in runs]}


def summarise(corpus: dict[str, int], bare: dict[str, Any], full: dict[str, Any] | None) -> dict[str, Any]:
    """Derived figures: rates, the ratio, and each stage against the bare spaCy time."""
    bare_rate = bare["articles"] / bare["seconds"]
    if full is None:
        return {"bare_articles_per_s": bare_rate, "bare_tokens_per_s": bare["tokens"] / bare["seconds"]}
    full_rate = full["articles"] / full["seconds"]
    stages = dict(full["stages"])
    stages["other"] = max(0.0, full["seconds"] - sum(stages.values()))
    return {
        "bare_articles_per_s": bare_rate,
        "bare_tokens_per_s": bare["tokens"] / bare["seconds"],
        "eventwire_articles_per_s": full_rate,
        "throughput_ratio": full_rate / bare_rate,
        "slowdown": full["seconds"] / bare["seconds"],
        "cpu_slowdown": full["cpu_seconds"] / bare["cpu_seconds"],
        "stages": {
            name: {
                "seconds": s,
                "share_of_eventwire": s / full["seconds"],
                "relative_to_bare_spacy": s / bare["seconds"],
            }
            for name, s in stages.items()
        },
        "per_article": {k: v / corpus["articles"] for k, v in full["counts"].items()},
    }


def _runs(phase: dict[str, Any]) -> str:
    return " ".join(f"{x:.1f}" for x in phase["all_seconds"])


def render(console: Console, result: dict[str, Any]) -> None:
    machine, corpus, bare, full, derived = (
        result[k] for k in ("machine", "corpus", "bare_spacy", "eventwire", "derived")
    )
    console.print(
        f"[bold]eventwire {machine['eventwire']}[/] ({machine['git_commit'] or 'no git'}) · "
        f"{bare['model']} · spaCy {bare['spacy_version']} · Python {machine['python']} · "
        f"{machine['usable_cores']}/{machine['cores']} cores · {machine['cpu']} · "
        f"load {machine['load_average_before']} before, {machine['load_average']} after"
    )
    console.print(
        f"corpus: {corpus['articles']} articles ({corpus['originals']} examples + {corpus['variants']} "
        f"variants, seed {result['seed']}), {corpus['chars']:,} chars, {bare['tokens']:,} tokens · "
        f"batch size {result['batch_size']} · warm-up {result['warmup']} articles · "
        f"{result['rounds']} round(s), medians shown"
    )

    table = Table(title="Throughput and memory (each run in a fresh process)")
    columns = ("", "wall s", "CPU s", "articles/s", "startup s", "peak RSS MB", "start RSS MB", "all runs s")
    for column in columns:
        table.add_column(column, justify="right" if column else "left")
    table.add_row(
        "bare spaCy", f"{bare['seconds']:.2f}", f"{bare['cpu_seconds']:.2f}",
        f"{derived['bare_articles_per_s']:.1f}",
        f"{bare['startup_seconds']:.1f}", f"{bare['maxrss_mb']:.0f}", f"{bare['rss_start_mb']:.0f}",
        _runs(bare),
    )
    if "error" in full:
        table.add_row("eventwire", "not run", "", "", "", "", "", "")
        console.print(table)
        return
    table.add_row(
        "eventwire", f"{full['seconds']:.2f}", f"{full['cpu_seconds']:.2f}",
        f"{derived['eventwire_articles_per_s']:.1f}",
        f"{full['startup_seconds']:.1f}", f"{full['maxrss_mb']:.0f}", f"{full['rss_start_mb']:.0f}",
        _runs(full),
    )
    console.print(table)
    console.print(
        f"ratio: eventwire keeps [bold]{derived['throughput_ratio']:.0%}[/] of bare spaCy throughput "
        f"(it takes {derived['slowdown']:.2f}x the time of nlp.pipe alone, "
        f"{derived['cpu_slowdown']:.2f}x its CPU time)"
    )

    stages = Table(title="eventwire per stage (from Extractor.timings)")
    for column in ("stage", "seconds", "share of eventwire", "x bare spaCy time"):
        stages.add_column(column, justify="left" if column == "stage" else "right")
    ordered = sorted(derived["stages"].items(), key=lambda item: -item[1]["seconds"])
    for name, figures in ordered:
        stages.add_row(
            name, f"{figures['seconds']:.2f}", f"{figures['share_of_eventwire']:.1%}",
            f"{figures['relative_to_bare_spacy']:.2f}",
        )
    console.print(stages)

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="corpus size (default 500)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the variant generator")
    parser.add_argument("--batch-size", type=int, default=None, help="default: Settings().batch_size")
    parser.add_argument("--model", default=None, help="spaCy pipeline; default: Settings().model")
    parser.add_argument("--warmup", type=int, default=32, help="articles run once before timing")
    parser.add_argument(
        "--tracemalloc-articles", type=int, default=64,
        help="articles in the separate tracemalloc pass of the eventwire phase (0 to skip)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1,
        help="run both phases this many times, alternating which goes first; medians are reported",
    )
    parser.add_argument("--examples", type=Path, default=EXAMPLES_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    console = Console(width=None if sys.stdout.isatty() else 120)
    load_before = _load_average()
    settings = Settings().with_overrides(batch_size=args.batch_size, model=args.model)
    plan = Plan(settings, args.warmup, args.tracemalloc_articles)
    articles = build_corpus(args.articles, args.seed, read_examples(args.examples))
    corpus = describe(articles)

    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "eventwire": []}
    error = None
    for round_no in range(max(1, args.rounds)):
        # Alternate the order so a machine that speeds up or slows down favours neither phase.
        order = [("bare", run_bare), ("eventwire", run_eventwire)]
        for name, phase in order[:: -1 if round_no % 2 else 1]:
            if error and name == "eventwire":
                continue
            with console.status(f"round {round_no + 1}/{args.rounds}: {name} ..."):
                try:
                    runs[name].append(_in_fresh_process(phase, plan, articles))
                except Exception as exc:
                    if name != "eventwire":
                        raise
                    # A broken pipeline must not cost the figures already measured: keep them,
                    # record the failure, and stop running eventwire.
                    error = f"eventwire phase failed: {type(exc).__name__}: {exc}"
    bare = _median_run(runs["bare"])
    full = _median_run(runs["eventwire"]) if runs["eventwire"] else None

    result: dict[str, Any] = {
        "benchmark": "pipeline",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "batch_size": settings.batch_size,
        "warmup": args.warmup,
        "rounds": max(1, args.rounds),
        "settings": asdict(settings),
        "machine": {**machine_info(), "load_average_before": load_before},
        "corpus": corpus,
        "bare_spacy": bare,
        "eventwire": full if full is not None else {"error": error},
        "error": error,
        "derived": summarise(corpus, bare, full),
    }
    render(console, result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"written to {args.out}")
    if error:
        console.print(f"[red]{error}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
