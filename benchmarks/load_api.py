"""Load test of the REST API: latency of /api/events at 50 concurrent clients over 100,000 mentions.

Run: ``python benchmarks/load_api.py`` (or ``make bench``). It builds a store of synthetic events
(``eventwire.api.synthetic``; 10,000 articles x 10 mentions unless told otherwise) in a temporary
folder, or reuses ``--db``; starts ``eventwire serve`` on 127.0.0.1 in a child process; then runs
``--clients`` concurrent clients until ``--requests`` requests are done or ``--seconds`` have
passed, whichever comes first. The requests mix what the dashboard asks: the first page, pages
further on by cursor, and filters by country, type, date range and radius. Prints p50/p90/p99 and
writes them to results/load_api.json. The goal (issue 8) is p99 under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from eventwire.api.synthetic import synthetic_corpus
from eventwire.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "load_api.json"
QUERIES: list[dict[str, str]] = [
    {},
    {"limit": "100"},
    {"country": "SYR"},
    {"type": "PROTEST", "since": "2024-06-01", "until": "2024-08-31"},
    {"actor": "police"},
    {"near": "36.2,37.1,100"},
    {"bbox": "-20,0,40,40", "type": "ASSAULT"},
    {"sort": "date", "country": "MLI"},
]


def build_store(url: str, articles: int, mentions: int) -> int:
    """Fill an empty store with synthetic extractions; returns the mention count."""
    with Store.open(url) as store:
        have = store.counts()["mentions"]
        if have >= articles * mentions:
            return have
        started = time.perf_counter()
        for extraction in synthetic_corpus(articles, mentions):
            store.save(extraction)
        total = store.counts()["mentions"]
    print(f"built {total} mentions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "eventwire", "serve", "--db", url, "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode() if server.stderr else ""))


async def run_load(base: str, clients: int, requests: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    stop_at = time.monotonic() + seconds
    cursors: list[str] = []

    async def client(rng: random.Random, http: httpx.AsyncClient) -> None:
        nonlocal issued
        while issued < requests and time.monotonic() < stop_at:
            issued += 1
            params = dict(rng.choice(QUERIES))
            if cursors and rng.random() < 0.3:
                params = {"cursor": rng.choice(cursors)}
            started = time.perf_counter()
            try:
                response = await http.get("/api/events", params=params)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
            elif not params.get("cursor") and len(cursors) < 200:
                cursor = response.json().get("next_cursor")
                if cursor:
                    cursors.append(cursor)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await http.get("/api/events")  # warm-up: first connection and statement cache
        started = time.perf_counter()
        await asyncio.gather(*(client(random.Random(i), http) for i in range(clients)))
        elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p / 100 * len(ms)))], 1) if ms else float("nan")

    return {
        "requests": len(ms),
        "seconds": round(elapsed, 1),
        "per_second": round(len(ms) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(ms[-1], 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL to reuse (filled if it has too few mentions)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=10, help="mentions per article")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="stop after this long in any case")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="server processes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'load.db'}"
        mentions = build_store(url, args.articles, args.mentions)
        load_before = os.getloadavg()[0]  # other work on the machine skews the figures
        port = free_port()
        server = start_server(url, port, args.workers)
        try:
            result = asyncio.run(
                run_load(f"http://127.0.0.1:{port}", args.clients, args.requests, args.seconds)
            )
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()  # open keep-alive connections can hold a graceful shutdown
                server.wait(10)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "store": f"{mentions} mentions (synthetic), SQLite",
        "load_average_before": round(load_before, 2),
        "clients": args.clients,
        "server_workers": args.workers,
        "endpoint": "/api/events (mixed filters, 30% cursor pages)",
        **result,
        "goal_p99_ms": 200,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    if result["errors"]:
        raise SystemExit(f"errors during the load test: {result['errors']}")


if __name__ == "__main__":
    main()
