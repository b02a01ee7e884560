"""Toponym recognition and resolution speed, with spaCy's work left out.

Run: ``python benchmarks/bench_geo.py`` (the generated wire corpus of ``corpus.py``) or
``python benchmarks/bench_geo.py --jsonl ../shared/data/geo_geowebnews.jsonl`` (any JSONL with a
``text`` or ``body`` field). Every article is parsed first, once; then ``find_places`` runs over all
the parsed documents ``--rounds`` times, and so do its two halves apart: ``recognise`` (finding the
toponyms and their gazetteer candidates) and ``resolve`` (choosing each one's place from the
article's evidence: what the issue calls resolution speed). The first round warms the gazetteer's
caches and is not counted. The figure is toponyms returned per second of process CPU time
(``time.process_time``), so other jobs on a shared machine do not inflate it; the best and the median
round are both printed.
Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from corpus import build_corpus, read_examples
from spacy.tokens import Doc

from eventwire.config import Settings
from eventwire.geo import default_resolver
from eventwire.nlp import load_pipeline


def _texts(args: argparse.Namespace) -> list[str]:
    if args.jsonl:
        out = []
        for path in args.jsonl:
            with Path(path).open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        record = json.loads(line)
                        out.append(record.get("text") or record.get("body") or "")
        return out
    return [a.body for a in build_corpus(args.articles, args.seed, read_examples()) if a.language == "en"]


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    nlp = load_pipeline(args.model or settings.model)
    texts = _texts(args)
    t0 = time.process_time()
    docs: list[Doc] = list(nlp.pipe(texts, batch_size=settings.batch_size))
    parse_s = time.process_time() - t0
    resolver = default_resolver(Path(settings.cache_dir))
    both: list[float] = []
    recognition: list[float] = []
    resolution: list[float] = []
    toponyms = 0
    for r in range(args.rounds + 1):
        t0 = time.process_time()
        n = sum(len(resolver.find_places(doc, embedded=args.embedded)) for doc in docs)
        t1 = time.process_time()
        found = [resolver.recognise(doc) for doc in docs]
        t2 = time.process_time()
        m = sum(len(resolver.resolve(f, embedded=args.embedded)) for f in found)
        t3 = time.process_time()
        assert m == n, "find_places and recognise + resolve disagree"
        if r:  # round 0 warms the caches
            both.append(t1 - t0)
            recognition.append(t2 - t1)
            resolution.append(t3 - t2)
        toponyms = n

    def rate(seconds: list[float], pick: Any) -> int | None:
        value = pick(seconds)
        return round(toponyms / value) if value else None

    best = min(both)
    return {
        "corpus": [str(p) for p in args.jsonl] if args.jsonl else f"corpus.py seed {args.seed}",
        "articles": len(docs),
        "tokens": sum(len(d) for d in docs),
        "toponyms": toponyms,
        "embedded": args.embedded,
        "rounds": len(both),
        "spacy_parse_cpu_s": round(parse_s, 2),
        "find_places_cpu_s_best": round(best, 4),
        "toponyms_per_s_best": rate(both, min),
        "toponyms_per_s_median": rate(both, statistics.median),
        "recognition_toponyms_per_s_best": rate(recognition, min),
        "resolution_toponyms_per_s_best": rate(resolution, min),
        "resolution_toponyms_per_s_median": rate(resolution, statistics.median),
        "ms_per_article_best": round(1000 * best / max(len(docs), 1), 3),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl", nargs="*", type=Path, help="JSONL files to read instead of the corpus")
    parser.add_argument("--articles", type=int, default=500, help="generated corpus size (default 500)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds after one warm-up")
    parser.add_argument("--embedded", action="store_true", help="also return toponyms in organisation names")
    parser.add_argument("--model", help="spaCy pipeline (default: the configured model)")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    result = run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
