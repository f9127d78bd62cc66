"""Inbound updates per second and latency through the real router, with database writes.

    .venv/bin/python -m bench.bench_inbound [--events 5000] [--concurrency 8] [--people 2000]
        [--db sqlite,postgresql] [--processes 1,2] [--profile]

Per database and process count: a fresh database holding the sample plans' units and groups
of 50 people below them, all linked on Telegram (an outbox channel: replies are queued in the
event's transaction). 1 or 2 worker processes build the real app, warm the Q&A index, then
feed their share of the events to `app.router.handle`, C in flight each. Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import logging
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from logging.handlers import BufferingHandler
from pathlib import Path

import asyncpg
from sqlalchemy import insert, select

from bot.app import App, build_app
from bot.core.messages import Incoming, Kind
from bot.core.texts import t
from bot.db.migrate import upgrade_database
from bot.db.models import ChannelAccount, Outbox, Person, Role, Unit
from bot.db.session import make_engine, make_sessionmaker
from bot.services.org import find_unit
from bot.services.plans.index import load_index
from bot.services.plans.store import import_file
from bot.settings import load_settings
from tests.qa.evaluate import plan_units

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.getenv("ATGT_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
USER_BASE = 500_000_000
MIX = (("help", 40), ("me", 20), ("diem", 20), ("quiz", 10), ("text", 10))
QUESTIONS = (  # plain-text questions about the plans and the law
    "ke hoach den khi nao|chu de nam 2023 la gi|ai ky ke hoach nay|"
    "bao cao ket qua thuc hien gui ve dau|uong ruou bia roi co duoc lai xe khong"
).split("|")
PROCESS_KEYS = ("cpu_s", "warm_index_s", "errors_logged", "first_error", "profile")
CHECKED = ("error.apology", "quiz.unknown", "quiz.already_answered", "onboarding.not_linked")


async def seed(url: str, people: int, group: int = 50) -> float:
    """The sample plans on their units, groups of `group` people below, all on Telegram."""
    engine, now, started = make_engine(url), datetime.now(UTC), time.perf_counter()
    async with make_sessionmaker(engine)() as session, session.begin():
        tops = []
        for path, unit_path in plan_units().values():
            await import_file(session, path=path, unit_path=unit_path, now=now, create_unit=True)
            tops.append(await find_unit(session, path=unit_path))
        parents = [tops[g % len(tops)] for g in range(-(-people // group))]
        units = [
            {"parent_id": p.id, "name": f"Tổ {g:05d}", "path": f"{p.path}/Tổ {g:05d}", "depth": 1}
            for g, p in enumerate(parents)
        ]
        await session.execute(insert(Unit), units)
        query = select(Unit.id).where(Unit.name.like("Tổ %")).order_by(Unit.id)
        unit_ids = (await session.execute(query)).scalars().all()
        common = {"role": Role.EMPLOYEE, "active": True, "created_at": now, "updated_at": now}
        rows = [
            {**common, "employee_code": f"E{n:06d}", "full_name": f"Nguyễn Văn {n}"}
            | {"unit_id": unit_ids[n // group]}
            for n in range(people)
        ]
        await session.execute(insert(Person), rows)
        ids = (await session.execute(select(Person.id).order_by(Person.id))).scalars().all()
        linked = {"channel": "telegram", "status": "active", "linked_at": now}
        accounts = [
            {**linked, "person_id": pid, "platform_user_id": str(USER_BASE + n)}
            | {"chat_id": str(USER_BASE + n)}
            for n, pid in enumerate(ids)
        ]
        await session.execute(insert(ChannelAccount), accounts)
    await engine.dispose()
    return time.perf_counter() - started


def plan_jobs(events: int, people: int) -> list[tuple[int, str, int]]:
    """(number, kind, person) until `events` updates; a quiz job is two (ask, answer)."""
    rng = random.Random(10)
    kinds, weights = zip(*MIX, strict=True)
    jobs: list[tuple[int, str, int]] = []
    count = 0
    while count < events:
        kind = rng.choices(kinds, weights)[0]
        jobs.append((len(jobs), kind, len(jobs) % people))
        count += 2 if kind == "quiz" else 1
    return jobs


def incoming(number: int, kind: str, person: int, step: int = 0) -> Incoming:
    """One Telegram update from person number `person`."""
    user = str(USER_BASE + person)
    base = Incoming("telegram", f"e{number}-{step}", user, user, Kind.TEXT, datetime.now(UTC))
    if kind == "text":
        return replace(base, text=QUESTIONS[number % len(QUESTIONS)])
    return replace(base, kind=Kind.COMMAND, text=f"/{kind}", command=kind)


async def quiz_ref(app: App, event_id: str) -> str | None:
    """The quiz ref of the poll queued for an event (stands in for the sender)."""
    query = select(Outbox.payload).where(Outbox.dedupe_key == f"reply:telegram:{event_id}:0")
    async with app.sessionmaker() as session:
        payload = (await session.execute(query)).scalar_one()
    return payload["quiz"]["ref"] if payload.get("quiz") else None


async def feed(app: App, jobs: list[tuple[int, str, int]], concurrency: int) -> dict:
    """Handle every job's updates with `concurrency` in flight; latencies per kind (ms)."""
    latencies: dict[str, list[float]] = defaultdict(list)
    pending = list(reversed(jobs))

    async def timed(label: str, event: Incoming) -> None:
        started = time.perf_counter()
        await app.router.handle(event)
        latencies[label].append((time.perf_counter() - started) * 1000)

    async def loop() -> None:
        while pending:
            number, kind, person = pending.pop()
            event = incoming(number, kind, person)
            await timed(kind, event)
            if kind == "quiz":
                ref = await quiz_ref(app, event.event_id)
                if ref is None:  # no quiz in force: counted as quiz without answer
                    continue
                step = incoming(number, kind, person, step=1)
                answer = replace(step, kind=Kind.POLL_ANSWER, poll_id=ref, option_ids=(number % 2,))
                await timed("poll_answer", answer)

    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return {"latencies_ms": latencies}


def top_costs(profile: cProfile.Profile, limit: int = 15) -> dict[str, list[str]]:
    """The functions with most own time, and the project's functions with most total time."""
    rows = []
    for (file, line, func), (_, calls, own, total, _) in pstats.Stats(profile).stats.items():
        name = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append((own, total, calls, f"{name}:{line}({func})"))
    ours = sorted((r for r in rows if r[3].startswith(("bot/", "handlers/"))), key=lambda r: -r[1])
    fmt = "{3}  own {0:.2f}s  total {1:.2f}s  calls {2}".format
    own = [fmt(*r) for r in sorted(rows, reverse=True)[:limit]]
    return {"by_own_time": own, "project_by_total_time": [fmt(*r) for r in ours[:limit]]}


async def worker(args: argparse.Namespace) -> dict:
    """One process: build the app, warm up, wait for "go", handle its share of the jobs."""
    errors = BufferingHandler(capacity=10**9)  # the router logs one error per apology
    logging.basicConfig(level=logging.ERROR, handlers=[errors], force=True)
    app = build_app(load_settings(database_url=args.worker))
    started = time.perf_counter()
    async with app.sessionmaker() as session:
        await load_index(session, content=app.content)
    warm = time.perf_counter() - started
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    jobs = plan_jobs(args.events, args.people)[args.part :: args.parts]
    profile = cProfile.Profile()
    cpu, start = resource.getrusage(resource.RUSAGE_SELF), time.time()
    if args.profile:
        profile.enable()
    result = await feed(app, jobs, args.concurrency)
    profile.disable()
    end, after = time.time(), resource.getrusage(resource.RUSAGE_SELF)
    await app.close()
    first = next((str(r.exc_info[1])[:200] for r in errors.buffer if r.exc_info), None)
    cpu_s = round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 2)
    result |= {"start": start, "end": end, "warm_index_s": round(warm, 2), "cpu_s": cpu_s}
    result |= {"errors_logged": len(errors.buffer), "first_error": first}
    return result | ({"profile": top_costs(profile)} if args.profile else {})


async def outcomes(url: str) -> dict:
    """Replies queued, and how many of them are error texts (the apology above all)."""
    texts = {t(key): key for key in CHECKED}
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        query = select(Outbox.payload).where(Outbox.dedupe_key.like("reply:%"))
        payloads = (await session.execute(query)).scalars().all()
    await engine.dispose()
    found = Counter(texts.get(p.get("text", "")) for p in payloads)
    return {"replies_queued": len(payloads), **{key: found[key] for key in CHECKED}}


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    await connection.execute(sql)
    await connection.close()


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, migrated database of this kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            upgrade_database(url)
            yield url
        return
    name = f"atgt_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        upgrade_database(url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p99 (ms)."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p99": round(cuts[98], 1), "max": round(max(values), 1)}


def run(kind: str, processes: int, args: argparse.Namespace) -> dict:
    """Seed a fresh database, start the workers together, merge their figures."""
    with database(kind) as url:
        seeded = asyncio.run(seed(url, args.people))
        command = [sys.executable, "-m", "bench.bench_inbound", *sys.argv[1:], "--worker", url]
        command.append(f"--parts={processes}")  # the worker reads the same options
        pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
        parts = [f"--part={part}" for part in range(processes)]
        workers = [subprocess.Popen([*command, part], cwd=ROOT, **pipes) for part in parts]
        for w in workers:  # all warmed up, then all go at once
            assert w.stdout.readline().strip() == "ready"
        for w in workers:
            w.stdin.write("go\n")
            w.stdin.flush()
        parts = [json.loads(w.communicate()[0]) for w in workers]
        checked = asyncio.run(outcomes(url))
    merged: dict[str, list[float]] = defaultdict(list)
    for label, values in (item for p in parts for item in p["latencies_ms"].items()):
        merged[label] += values
    every = [v for values in merged.values() for v in values]
    wall = max(p["end"] for p in parts) - min(p["start"] for p in parts)
    count = len(every)
    result = {"database": kind, "processes": processes, "seed_s": round(seeded, 2)}
    result |= {"updates": count, "wall_s": round(wall, 2), "updates_per_s": round(count / wall, 1)}
    result["latency_ms"] = percentiles(every)
    result["latency_ms_by_kind"] = {k: {"n": len(v), **percentiles(v)} for k, v in merged.items()}
    result["per_process"] = [
        {"updates_per_s": round(sum(map(len, p["latencies_ms"].values())) / wall, 1)}
        | {k: p[k] for k in PROCESS_KEYS if k in p}
        for p in parts
    ]
    result["quiz_without_answer"] = len(merged["quiz"]) - len(merged["poll_answer"])
    return result | checked | {"apology_share": round(checked["error.apology"] / count, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--profile", action="store_true", help="cProfile each worker")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(worker(args))))
        return
    results = [
        run(kind, int(n), args) for kind in args.db.split(",") for n in args.processes.split(",")
    ]
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    config = {"events": args.events, "concurrency": args.concurrency, "people": args.people}
    output = {"benchmark": "inbound", "machine": machine, **config, "results": results}
    print(json.dumps(output, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
