"""Resident memory (RSS) of a bot process with 100,000 people in the database.

    .venv/bin/python -m bench.bench_memory [--people 100000] [--events 1000] [--db sqlite]
    .venv/bin/python -m bench.bench_memory --db postgresql     # a temporary database
    .venv/bin/python -m bench.bench_memory --database-url URL  # an existing, empty database

Seeds the organisation of bench_inbound (everyone linked on Telegram) with bulk inserts,
then measures a fresh subprocess: build the app, warm the Q&A index, list everyone's
account to send to (`notify.recipients`), handle router events. RSS and its peak (VmHWM)
come from /proc/self/status. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# Only the standard library at import time: the child measures the interpreter alone first.
ROOT = Path(__file__).resolve().parents[1]


def memory() -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of this process, in MB."""
    lines = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {key: round(int(fields[key].split()[0]) / 1024, 1) for key in ("VmRSS", "VmHWM")}


async def child(url: str, people: int, events: int, concurrency: int) -> dict:
    """The measured process: start, warm up, list recipients, handle events."""
    rss = {"interpreter": memory()["VmRSS"]}
    import logging
    from datetime import UTC, datetime
    from logging.handlers import BufferingHandler

    from sqlalchemy import text

    from bench.bench_inbound import feed, plan_jobs
    from bot.app import build_app
    from bot.services.notify import recipients
    from bot.services.plans.index import load_index
    from bot.settings import load_settings

    errors = BufferingHandler(capacity=10**9)  # the router logs one error per apology
    logging.basicConfig(level=logging.ERROR, handlers=[errors], force=True)
    app = build_app(load_settings(database_url=url))
    async with app.sessionmaker() as session:
        await session.execute(text("SELECT 1"))  # a started bot holds a connection
    rss["after_start"] = memory()["VmRSS"]
    started = time.perf_counter()
    async with app.sessionmaker() as session:
        index = await load_index(session, content=app.content)
    timings = {"index_s": round(time.perf_counter() - started, 2)}
    rss["after_index"] = memory()["VmRSS"]
    started = time.perf_counter()
    async with app.sessionmaker() as session:
        found = await recipients(session, unit=None, now=datetime.now(UTC))
    timings["recipients_s"] = round(time.perf_counter() - started, 2)
    rss["holding_recipients"] = memory()["VmRSS"]
    count = len(found)
    del found
    gc.collect()
    rss["after_recipients"] = memory()["VmRSS"]
    started = time.perf_counter()
    result = await feed(app, plan_jobs(events, people), concurrency)
    timings["events_s"] = round(time.perf_counter() - started, 2)
    rss["after_events"] = memory()["VmRSS"]
    await app.close()
    handled = sum(map(len, result["latencies_ms"].values()))
    return {
        "rss_mb": rss,
        "peak_rss_mb": memory()["VmHWM"],
        "recipients": count,
        "index_plans": len(index.plans),
        "index_law_entries": len(index.law),
        "events_handled": handled,
        "errors_logged": len(errors.buffer),
        "first_error": next((str(r.exc_info[1])[:200] for r in errors.buffer if r.exc_info), None),
        **timings,
    }


def run(args: argparse.Namespace) -> dict:
    """Seed a database, then measure a fresh bot process against it."""
    from bench.bench_inbound import database, seed
    from bot.db.migrate import upgrade_database

    with contextlib.ExitStack() as stack:
        if args.database_url:
            url = args.database_url
            upgrade_database(url)
        else:
            url = stack.enter_context(database(args.db))
        seeded = asyncio.run(seed(url, args.people))
        command = [sys.executable, "-m", "bench.bench_memory", "--child", url]
        command += [f"--people={args.people}", f"--events={args.events}"]
        command += [f"--concurrency={args.concurrency}"]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr)
    measured = json.loads(done.stdout)
    kind = url.split(":")[0].split("+")[0]
    return {"database": kind, "people": args.people, "seed_s": round(seeded, 1), **measured}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--database-url", help="an existing, empty database (migrated here)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measured = asyncio.run(child(args.child, args.people, args.events, args.concurrency))
        print(json.dumps(measured))
        return
    result = run(args)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    output = {"benchmark": "memory", "machine": machine, "target_mb": 300, **result}
    output["target_met"] = result["peak_rss_mb"] < 300
    print(json.dumps(output, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
