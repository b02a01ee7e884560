"""Load test of the REST API: latency of /api/events at 50 concurrent clients over 100,000 mentions.

Run: ``python benchmarks/load_api.py`` (or ``make bench``). It builds a store of synthetic news
(``eventwire.api.synthetic``: 25,000 articles x 4 mentions over six years, 60% of them the first
report of a happening, unless told otherwise) in a temporary folder, or reuses ``--db``, and merges
it into canonical events with ``merge.merge_pending`` as ``eventwire ingest`` does (some twenty
minutes on two busy cores); starts ``eventwire serve`` on 127.0.0.1 in a child process; then runs
``--clients`` concurrent clients for ``--seconds`` (or until ``--requests`` requests are done),
each sending its next request as soon as it has an answer. The requests mix what the dashboard
asks: the first page, pages further on by cursor, and filters by country, type, date range, actor,
radius and box. Prints p50/p90/p99 and writes them to results/load_api.json. The goal (issue 8) is
p99 under 200 ms.

Three runs by default: with the server's response cache (how it serves; the question mix repeats,
so nearly every answer comes from the cache), with the cache and 20% of the requests asking a
question not asked before (``--distinct``: a random end date), and without the cache
(``EVENTWIRE_API_CACHE_BYTES=0``: every request reads the database), so the figure of the cache
never hides the cost of the queries. The load generator runs on the same machine as the server
and competes with it for the CPUs; the report records the load average, the busiest other
processes seen while it ran, the CPU the server spent per answer, and how the client connections
fell on the server's worker processes (they are opened ``--connect-gap-ms`` apart before the clock
starts: opened all at once, the first worker to wake accepts nearly all of them).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from eventwire.api.synthetic import synthetic_corpus
from eventwire.merge import merge_pending
from eventwire.store import Store
from eventwire.store.events import count_events

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "load_api.json"
QUERIES: list[dict[str, str]] = [
    {},
    {"limit": "100"},
    {"country": "IND"},
    {"type": "PROTEST", "since": "2024-06-01", "until": "2024-08-31"},
    {"actor": "police"},
    {"near": "30.05,31.25,100"},
    {"bbox": "-20,0,40,40", "type": "ASSAULT"},
    {"sort": "date", "country": "NGA"},
]


def build_store(url: str, articles: int, mentions: int, new_happening: float, days: int) -> tuple[int, int]:
    """Fill a store with synthetic extractions and merge them; returns (mentions, events)."""
    with Store.open(url) as store:
        have = store.counts()["mentions"]
        started = time.perf_counter()
        if have < articles * mentions:
            for extraction in synthetic_corpus(articles, mentions, new_happening=new_happening, days=days):
                store.save(extraction)
            print(f"saved in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        merged = time.perf_counter()
        summary = merge_pending(store)  # a no-op on a store merged before
        if summary.articles:
            print(
                f"merged {summary.articles} articles in {time.perf_counter() - merged:.0f} s", file=sys.stderr
            )
        return store.counts()["mentions"], count_events(store)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int, cache: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "eventwire", "serve", "--db", url, "--port", str(port)]
    command += ["--workers", str(workers)]
    env = dict(os.environ) | ({} if cache else {"EVENTWIRE_API_CACHE_BYTES": "0"})
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode() if server.stderr else ""))


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for GETs.

    The load generator shares the CPUs with the server, so it should cost as little as possible:
    a bare asyncio stream spends a fraction of what a full client library does per request.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bool, bytes]:
        """Status, whether the server answered from its cache, body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        length = next((v for k, v in headers.items() if k.strip().lower() == "content-length"), None)
        if length is None:
            raise ConnectionError("answer without Content-Length")
        cached = any(k.strip().lower() == "x-cache" and v.strip() == "hit" for k, v in headers.items())
        return status, cached, await self.reader.readexactly(int(length))

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run_load(
    host: str,
    port: int,
    clients: int,
    requests: int,
    seconds: float,
    distinct: float,
    *,
    connect_gap: float = 0.0,
    server_pid: int | None = None,
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = hits = 0
    stop_at = time.monotonic() + seconds
    cursors: list[str] = []

    async def client(rng: random.Random, http: _Connection) -> None:
        nonlocal issued, hits
        while (not requests or issued < requests) and time.monotonic() < stop_at:
            issued += 1
            params = dict(rng.choice(QUERIES))
            if cursors and rng.random() < 0.3:
                params = {"cursor": rng.choice(cursors)}
            elif rng.random() < distinct:  # a question nobody asked since the last write
                params["until"] = (date(2024, 1, 1) + timedelta(days=rng.randint(30, 2190))).isoformat()
                params.pop("since", None)
            target = "/api/events" + ("?" + urlencode(params) if params else "")
            started = time.perf_counter()
            try:
                status, cached, body = await http.get(target)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                await http.close()
                http.writer = None
                continue
            latencies.append(time.perf_counter() - started)
            hits += cached
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1
            elif not params.get("cursor") and len(cursors) < 200:
                cursor = json.loads(body).get("next_cursor")
                if cursor:
                    cursors.append(cursor)

    connections = [_Connection(host, port) for _ in range(clients)]
    await connections[0].get("/api/events")  # warm-up: first connection and statement cache
    for c in connections[1:]:
        # Opened one by one before the clock starts: all at once, they would wait in the listen
        # queue together and the first worker process to wake would accept nearly all of them.
        c.reader, c.writer = await asyncio.open_connection(host, port)
        await asyncio.sleep(connect_gap)
    await asyncio.sleep(0.2)  # the last ones accepted
    per_process = connections_per_process(_children(server_pid) if server_pid else set(), port)
    started = time.perf_counter()
    await asyncio.gather(*(client(random.Random(i), c) for i, c in enumerate(connections)))
    elapsed = time.perf_counter() - started
    for c in connections:
        await c.close()
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
        "answered_from_cache": round(hits / len(ms), 3) if ms else None,
        "errors": errors,
        "connections_per_server_process": sorted(per_process.values(), reverse=True),
    }


def connections_per_process(pids: set[int], port: int) -> dict[int, int]:
    """How many established connections to ``port`` each of ``pids`` holds (Linux /proc; else {}):
    with several workers, the balance decides whether they all work."""
    owner: dict[str, int] = {}
    for pid in pids:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                owner[target[8:-1]] = pid
    found: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            established = fields[3] == "01"
            if established and int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in owner:
                found[owner[fields[9]]] = found.get(owner[fields[9]], 0) + 1
    return found


def _cpu_times() -> dict[int, tuple[float, str]]:
    """CPU seconds used so far by every process (Linux /proc; empty elsewhere), with its command."""
    found: dict[int, tuple[float, str]] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (
            (int(fields[11]) + int(fields[12])) / tick,
            command[:120] or stat.split()[1],
        )
    return found


def _sharing(before: dict[int, tuple[float, str]], ours: set[int], seconds: float) -> list[dict[str, Any]]:
    """The other processes that used the most CPU during the run."""
    after = _cpu_times()
    used = [
        (after[pid][0] - before.get(pid, (0.0, ""))[0], pid, after[pid][1])
        for pid in after
        if pid not in ours
    ]
    busiest = sorted((u for u in used if u[0] > 0.05 * seconds), reverse=True)[:8]
    return [{"cpu_s": round(cpu, 1), "pid": pid, "command": cmd} for cpu, pid, cmd in busiest]


def _children(pid: int) -> set[int]:
    found = {pid}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) in found:
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def measure(url: str, args: argparse.Namespace, *, cache: bool, distinct: float = 0.0) -> dict[str, Any]:
    """One run: start the server, load it, stop it; latency figures and what shared the machine."""
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_server(url, port, args.workers, cache)
    ours = {os.getpid()} | _children(server.pid)
    cpu_before = _cpu_times()
    try:
        load = run_load(
            "127.0.0.1",
            port,
            args.clients,
            args.requests,
            args.seconds,
            distinct,
            connect_gap=args.connect_gap_ms / 1000,
            server_pid=server.pid,
        )
        result = asyncio.run(load)
        cpu_after = _cpu_times()
        serving = _children(server.pid)
        ours |= serving

        def used(pids: set[int]) -> float:
            return sum(cpu_after.get(p, (0.0, ""))[0] - cpu_before.get(p, (0.0, ""))[0] for p in pids)

        result["load_average_before"] = round(load_before, 2)
        result["load_average_after"] = round(os.getloadavg()[0], 2)
        result["cpu_s_server_and_load_generator"] = round(used(ours), 1)
        # CPU per answer under this load: what the server spends, and what the client costs the CPUs.
        answered = max(1, result["requests"])
        result["cpu_ms_per_request"] = {
            "server": round(1000 * used(serving) / answered, 2),
            "load_generator": round(1000 * used({os.getpid()}) / answered, 2),
        }
        result["other_processes_cpu_s"] = _sharing(cpu_before, ours, result["seconds"])
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()  # open keep-alive connections can hold a graceful shutdown
            server.wait(10)
    return {"response_cache": cache, "distinct_questions": distinct, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL to reuse (filled and merged if it has too few mentions)")
    parser.add_argument("--articles", type=int, default=25_000)
    parser.add_argument("--mentions", type=int, default=4, help="mentions per article")
    parser.add_argument("--new-happening", type=float, default=0.6, help="share of first reports")
    parser.add_argument("--days", type=int, default=2190, help="days the articles are spread over")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=0, help="stop after this many (0: no limit)")
    parser.add_argument("--seconds", type=float, default=30.0, help="stop after this long in any case")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="server processes")
    parser.add_argument(
        "--connect-gap-ms",
        type=float,
        default=10.0,
        help="pause between opening two client connections, before the clock starts (0: all at once)",
    )
    parser.add_argument("--no-cache-run", action="store_true", help="skip the run without the cache")
    parser.add_argument(
        "--distinct",
        type=float,
        default=0.2,
        help="share of requests of a third run that ask a new question (a random end date)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'load.db'}"
        mentions, events = build_store(url, args.articles, args.mentions, args.new_happening, args.days)
        runs = [measure(url, args, cache=True)]
        if args.distinct > 0:
            runs.append(measure(url, args, cache=True, distinct=args.distinct))
        if not args.no_cache_run:
            runs.append(measure(url, args, cache=False))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "store": f"{mentions} mentions merged into {events} canonical events (synthetic), SQLite",
        "clients": args.clients,
        "server_workers": args.workers,
        "endpoint": "/api/events (canonical events; mixed filters, 30% cursor pages)",
        "shared_with": "the load generator (one Python process, bare asyncio HTTP/1.1) runs on the same CPUs "
        "as the server; other_processes_cpu_s lists every other process that used more than 5% of one CPU "
        "during a run (empty: nothing did)",
        "goal_p99_ms": 200,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    errors = [r["errors"] for r in runs if r["errors"]]
    if errors:
        raise SystemExit(f"errors during the load test: {errors}")


if __name__ == "__main__":
    main()
