"""Broadcast throughput against a fake Bot API that enforces 30 msg/s and adds 50 ms a call.

    .venv/bin/python -m bench.bench_broadcast [--recipients 10000] [--rate 25] [--kill]

Prints one JSON object. Without --kill one sender process delivers everything; with --kill
the sender is SIGKILLed at a random moment and started again, and the duplicates are
compared with the requests the server held (in flight) at the kill.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from bot.db.migrate import upgrade_database
from bot.db.models import ChannelAccount, Outbox, OutboxStatus, Person, Role, Unit
from bot.db.session import make_engine, make_sessionmaker
from bot.services import broadcast
from tests.fakes.telegram import FakeBotApi

TOKEN = "123456:BENCH"
ROOT = Path(__file__).resolve().parents[1]


async def seed(url: str, recipients: int) -> float:
    """An organisation of `recipients` people on Telegram and one started announcement."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    async with make_sessionmaker(engine)() as session, session.begin():
        unit = Unit(name="Sở Bench", path="Sở Bench", depth=0)
        session.add(unit)
        await session.flush()
        people = [
            {
                "employee_code": f"B{n:06d}",
                "full_name": f"Người {n}",
                "unit_id": unit.id,
                "role": Role.EMPLOYEE,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(recipients)
        ]
        await session.execute(insert(Person), people)
        ids = (await session.execute(select(Person.id).order_by(Person.id))).scalars().all()
        accounts = [
            {
                "person_id": pid,
                "channel": "telegram",
                "platform_user_id": str(10_000 + pid),
                "chat_id": str(10_000 + pid),
                "status": "active",
                "linked_at": now,
            }
            for pid in ids
        ]
        await session.execute(insert(ChannelAccount), accounts)
        draft = await broadcast.create(session, text="Thông báo kiểm tra tốc độ gửi", now=now)
        await broadcast.start(session, broadcast=draft, now=now)
    await engine.dispose()
    return time.perf_counter() - started


async def run_worker(
    url: str, api: FakeBotApi, rate: float, log: Path
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.broadcast_worker",
        url,
        api.base_url,
        TOKEN,
        str(rate),
        str(log),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def outbox_states(url: str) -> Counter:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        states = Counter((await session.execute(select(Outbox.status))).scalars())
    await engine.dispose()
    return states


async def sent_chats(url: str) -> set[str]:
    """Chats whose copy the sender recorded as sent."""
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        rows = await session.execute(
            select(Outbox.chat_id).where(Outbox.status == OutboxStatus.SENT)
        )
        chats = set(rows.scalars())
    await engine.dispose()
    return chats


def client_violations(log: Path) -> int:
    """Sends the sender started after receiving a 429 and before its retry_after ran out."""
    sends, pauses = [], []
    for line in log.read_text().splitlines():
        kind, at, *rest = line.split()
        if kind == "send":
            sends.append(float(at))
        else:
            pauses.append((float(at), float(at) + float(rest[0])))
    return sum(1 for at in sends if any(start < at < end for start, end in pauses))


def honoured(api: FakeBotApi) -> tuple[int, int]:
    """(429 replies, sends that reached the server inside a retry_after window, less latency)."""
    violations = 0
    sends = sorted(s.at for s in api.sent if s.method == "sendMessage")
    for rejection in api.rejected:
        start, end = rejection.at, rejection.at + (rejection.retry_after or 0)
        # A send is recorded after the 50 ms latency; it started 50 ms earlier.
        violations += sum(1 for at in sends if start + 0.2 < at - api.latency < end)
    return len(api.rejected), violations


async def bench(recipients: int, rate: float, kill: bool, url: str) -> dict:
    seed_seconds = await seed(url, recipients)
    log = Path(tempfile.mkdtemp()) / "client-times.log"
    async with FakeBotApi(TOKEN, global_per_second=30, latency=0.05) as api:
        started = time.monotonic()
        worker = await run_worker(url, api, rate, log)
        killed_in_flight = None
        if kill:
            await asyncio.sleep(random.uniform(0.2, 0.8) * recipients / rate)
            worker.send_signal(signal.SIGKILL)
            held = api.in_flight
            await worker.wait()
            # Also in flight: requests the server answered whose outcome was not yet recorded.
            delivered = {str(s.chat_id) for s in api.sent if s.method == "sendMessage"}
            killed_in_flight = held + len(delivered - await sent_chats(url))
            worker = await run_worker(url, api, rate, log)
        await worker.wait()
        elapsed = time.monotonic() - started
        sends = [s for s in api.sent if s.method == "sendMessage"]
        per_chat = Counter(s.chat_id for s in sends)
        first, last = min(s.at for s in sends), max(s.at for s in sends)
        rejected, violations = honoured(api)
        client_side = client_violations(log)
    states = await outbox_states(url)
    return {
        "benchmark": "broadcast",
        "recipients": recipients,
        "configured_rate": rate,
        "server_limit_per_second": 30,
        "server_latency_ms": 50,
        "database": url.split(":")[0],
        "seed_seconds": round(seed_seconds, 2),
        "elapsed_seconds": round(elapsed, 2),
        "achieved_rate": round((len(sends) - 1) / (last - first), 2),
        "achieved_share_of_configured": round((len(sends) - 1) / (last - first) / rate, 3),
        "delivered_chats": len(per_chat),
        "lost": recipients - len(per_chat),
        "duplicates": sum(n - 1 for n in per_chat.values()),
        "killed": kill,
        "requests_in_flight_at_kill": killed_in_flight,
        "rejected_429": rejected,
        "sends_inside_retry_after": violations,
        "sends_started_inside_retry_after_client_clock": client_side,
        "outbox_sent": states[OutboxStatus.SENT],
        "outbox_not_sent": sum(n for s, n in states.items() if s != OutboxStatus.SENT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade_database(url)  # synchronous: Alembic runs its own event loop
    result = asyncio.run(bench(args.recipients, args.rate, args.kill, url))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
