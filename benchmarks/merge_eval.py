"""Merge precision and recall on the project's merge corpus, and merge speed.

    .venv/bin/python benchmarks/merge_eval.py [--noise 0.0 0.2 0.4] [--runs 1 10]

Pairwise scores over mentions: a pair is a true positive when the gold says both mentions report
one happening and the merge put them in one event. ``--noise p`` degrades the corpus the way an
extractor does: with probability p each field of each mention is lost (an actor left unresolved,
no place, no date, the time of day cut from the sentence), deterministically (fixed seed).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from eventwire import merge
from eventwire.store import Store
from eventwire.store.events import EventMentionRow

CORPUS_FILE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "merge_corpus" / "corpus.py"


def load_corpus() -> Any:
    spec = importlib.util.spec_from_file_location("merge_corpus", CORPUS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["merge_corpus"] = module
    spec.loader.exec_module(module)
    return module.build()


def scores(store: Store, gold: dict[str, str | None]) -> tuple[float, float, int, int, int]:
    with store.reading("scoring") as session:
        stmt = select(EventMentionRow.mention_id, EventMentionRow.event_id)
        assigned = {m: e for m, e in session.execute(stmt)}
    ids = sorted(m for m, g in gold.items() if g is not None)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same_gold = gold[a] == gold[b]
            same_event = assigned.get(a) is not None and assigned.get(a) == assigned.get(b)
            tp += same_gold and same_event
            fp += same_event and not same_gold
            fn += same_gold and not same_event
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def evaluate(corpus: Any, noise: float, runs: int, folder: Path) -> dict[str, Any]:
    extractions = (
        sys.modules["merge_corpus"].degraded(corpus, noise).extractions if noise else corpus.extractions
    )
    copies: dict[str, list[Any]] = {}
    for first, copy in corpus.copies:
        copies.setdefault(first, []).append(copy)
    store = Store.open(f"sqlite:///{folder / f'merge-{noise}-{runs}.db'}")
    try:
        size = -(-len(extractions) // runs)
        started = time.perf_counter()
        merge_seconds = 0.0
        for start in range(0, len(extractions), size):
            for extraction in extractions[start : start + size]:
                store.save(extraction)
                for copy in copies.get(extraction.article.id, []):
                    store.add_source(extraction.article.id, copy)
            t0 = time.perf_counter()
            merge.merge_pending(store)
            merge_seconds += time.perf_counter() - t0
        total = time.perf_counter() - started
        precision, recall, tp, fp, fn = scores(store, corpus.gold)
        from eventwire.store.events import count_events

        events = count_events(store)
    finally:
        store.close()
    return {
        "noise": noise,
        "runs": runs,
        "articles": len({e.article.id for e in extractions}),
        "mentions": sum(1 for g in corpus.gold.values() if g),
        "happenings": len(corpus.happenings),
        "events": events,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "merge_s": round(merge_seconds, 2),
        "total_s": round(total, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--noise", type=float, nargs="*", default=[0.0, 0.2, 0.4])
    parser.add_argument("--runs", type=int, nargs="*", default=[1, 10])
    args = parser.parse_args()
    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        for noise in args.noise:
            for runs in args.runs:
                result = evaluate(corpus, noise, runs, Path(tmp))
                sys.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()) + "\n")


if __name__ == "__main__":
    main()
