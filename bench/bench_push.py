"""Web Push broadcast: N subscriptions through a fake push service that enforces a rate.

    .venv/bin/python -m bench.bench_push [--subscriptions 10000] [--rate 50] [--kill] [--db sqlite]

The fake push service is a real HTTP server on 127.0.0.1 in this process: a token bucket
of `--rate` pushes a second (a second of burst), a 429 with `Retry-After: 1`
beyond it, a 429 with a short Retry-After at random (`--flaky`), and 410 Gone for every
50th subscription. Each accepted push is decrypted with its browser's keys. N people on
the web channel, one subscription each, and one started announcement; the real paced
sender (`WebTransport` + `WebPush`, pacer at `--rate`, as ATGT_WEB_PUSH_RATE sets it) runs
in its own process (bench/push_worker.py). With --kill it is SIGKILLed at a random moment
and started again. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, insert, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.bench_inbound import database
from bot.channels.serving import WebServer
from bot.channels.web_push import PushKeys, b64url
from bot.db.models import (
    ChannelAccount,
    Outbox,
    OutboxStatus,
    Person,
    Role,
    Unit,
    WebPushSubscription,
    WebSession,
)
from bot.db.session import make_engine, make_sessionmaker
from bot.services import broadcast, web_push_store
from tests.channels.support import free_port

ROOT = Path(__file__).resolve().parents[1]
SUBJECT = "https://atgt.bench.invalid"
GONE_EVERY = 50  # every 50th subscription answers 410 Gone
LATENCY = 0.02  # seconds the fake service takes to answer


class FakePushService:
    """A push service with a rate limit; records every request and its answer."""

    def __init__(self, rate: float, flaky: float, flaky_wait: float, seed: int) -> None:
        self.rate = rate
        self.burst = max(1.0, rate)  # one second of pushes at once
        self.tokens = self.burst
        self.refilled = time.monotonic()
        self.flaky = flaky
        self.flaky_wait = flaky_wait
        self.random = random.Random(seed)
        self.keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.log: list[tuple[float, str, int]] = []  # (when answered, chat, status)
        self.arrivals: list[float] = []  # when each request came in
        self.undecryptable = 0
        self.in_flight = 0
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[Route("/push/{chat}", self._receive, methods=["POST"])])
        self._server = WebServer(app, host="127.0.0.1", port=self.port)

    def _take(self) -> bool:
        """A token from the bucket, if there is one."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    async def _receive(self, request: Request) -> Response:
        chat = request.path_params["chat"]
        self.arrivals.append(time.monotonic())
        self.in_flight += 1
        try:
            body = await request.body()
            await asyncio.sleep(LATENCY)
            if not self._take():
                status, headers = 429, {"retry-after": "1"}
            elif self.random.random() < self.flaky:
                status, headers = 429, {"retry-after": str(self.flaky_wait)}
            elif int(chat[1:]) % GONE_EVERY == 0:
                status, headers = 410, {}
            else:
                status, headers = 201, {}
                key, auth = self.keys[chat]
                try:
                    http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
                except Exception:  # any failure to decrypt is counted
                    self.undecryptable += 1
            self.log.append((time.monotonic(), chat, status))
            return Response(status_code=status, headers=headers)
        finally:
            self.in_flight -= 1

    async def __aenter__(self) -> FakePushService:
        await self._server.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()


async def seed(url: str, count: int, service: FakePushService) -> float:
    """N people with a web account, a device and a push subscription; one announcement."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    async with make_sessionmaker(engine)() as session, session.begin():
        keys = PushKeys.generate()
        await web_push_store.store_keys(
            session, private_pem=keys.private_pem, public_key=keys.public_key, now=now
        )
        unit = Unit(name="Sở Bench", path="Sở Bench", depth=0)
        session.add(unit)
        await session.flush()
        people = [
            {
                "employee_code": f"P{n:06d}",
                "full_name": f"Người {n}",
                "unit_id": unit.id,
                "role": Role.EMPLOYEE,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(count)
        ]
        await session.execute(insert(Person), people)
        ids = (await session.execute(select(Person.id).order_by(Person.id))).scalars().all()
        accounts = [
            {
                "person_id": pid,
                "channel": "web",
                "platform_user_id": f"w{pid}",
                "chat_id": f"w{pid}",
                "status": "active",
                "linked_at": now,
            }
            for pid in ids
        ]
        await session.execute(insert(ChannelAccount), accounts)
        rows = await session.execute(select(ChannelAccount.id, ChannelAccount.chat_id))
        account_of = dict(rows.all())
        devices = [
            {
                "account_id": aid,
                "token_hash": os.urandom(32).hex(),
                "label": "Bench",
                "created_at": now,
                "last_seen_at": now,
            }
            for aid in account_of
        ]
        await session.execute(insert(WebSession), devices)
        rows = await session.execute(select(WebSession.id, WebSession.account_id))
        subscriptions = []
        for session_id, account_id in rows.all():
            chat = account_of[account_id]
            key, auth = ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
            service.keys[chat] = (key, auth)
            point = key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
            subscriptions.append(
                {
                    "session_id": session_id,
                    "account_id": account_id,
                    "endpoint": f"{service.origin}/push/{chat}",
                    "p256dh": b64url(point),
                    "auth": b64url(auth),
                    "created_at": now,
                }
            )
        await session.execute(insert(WebPushSubscription), subscriptions)
        draft = await broadcast.create(session, text="Thông báo kiểm tra tốc độ đẩy", now=now)
        await broadcast.start(session, broadcast=draft, now=now)
    await engine.dispose()
    return time.perf_counter() - started


async def run_worker(url: str, rate: float) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.push_worker",
        url,
        str(rate),
        SUBJECT,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def database_state(url: str) -> tuple[Counter, set[str], int]:
    """Outbox states, chats whose row is recorded sent, subscriptions left."""
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        states = Counter((await session.execute(select(Outbox.status))).scalars())
        sent = await session.execute(
            select(Outbox.chat_id).where(Outbox.status == OutboxStatus.SENT)
        )
        chats = set(sent.scalars())
        left = await session.scalar(select(func.count()).select_from(WebPushSubscription))
    await engine.dispose()
    return states, chats, left


async def bench(count: int, rate: float, kill: bool, flaky: float, url: str) -> dict:
    async with FakePushService(rate, flaky, flaky_wait=0.2, seed=count) as service:
        seed_seconds = await seed(url, count, service)
        started = time.monotonic()
        worker = await run_worker(url, rate)
        in_flight_at_kill, killed_at = None, None
        if kill:
            await asyncio.sleep(random.uniform(0.2, 0.8) * count / rate)
            worker.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            held = service.in_flight
            await worker.wait()
            _, recorded, _ = await database_state(url)
            # Also in flight: pushes answered whose outcome the killed sender had not written.
            answered = {chat for _, chat, status in service.log if status in (201, 410)}
            in_flight_at_kill = held + len(answered - recorded)
            worker = await run_worker(url, rate)
        try:
            await asyncio.wait_for(worker.wait(), timeout=10 * count / rate + 600)  # bounded
        except TimeoutError:
            worker.kill()
            raise
        elapsed = time.monotonic() - started
        log, arrivals = list(service.log), list(service.arrivals)
        undecryptable = service.undecryptable
    states, _, left = await database_state(url)
    taken = [(at, chat, status) for at, chat, status in log if status in (201, 410)]
    accepted = Counter(chat for _, chat, status in taken if status == 201)
    expected = {chat for chat in service.keys if int(chat[1:]) % GONE_EVERY}
    first, last = min(at for at, _, _ in taken), max(at for at, _, _ in taken)
    limited = sum(1 for _, _, status in log if status == 429)
    # The restart: the last push the killed sender made to the first of its successor.
    gap = 0.0
    if killed_at is not None:
        before = [at for at in arrivals if at <= killed_at]
        after = [at for at in arrivals if at > killed_at]
        gap = min(after) - max(before) if before and after else 0.0
    sending = (last - first) - gap
    return {
        "benchmark": "web_push_broadcast",
        "subscriptions": count,
        "service_rate_per_second": rate,
        "sender_rate_per_second": rate,
        "service_latency_ms": LATENCY * 1000,
        "flaky_429_probability": flaky,
        "database": url.split(":")[0],
        "seed_seconds": round(seed_seconds, 2),
        "elapsed_seconds": round(elapsed, 2),
        "achieved_rate": round((len(taken) - 1) / (last - first), 2),
        "achieved_share_of_service_rate": round((len(taken) - 1) / (last - first) / rate, 3),
        "restart_gap_seconds": round(gap, 2),
        "achieved_share_while_running": round((len(taken) - 1) / sending / rate, 3),
        "expected_deliveries": len(expected),
        "delivered": len(accepted),
        "lost": len(expected - set(accepted)),
        "duplicates": sum(n - 1 for n in accepted.values()),
        "undecryptable": undecryptable,
        "gone_410": len(service.keys) - len(expected),
        "subscriptions_left": left,
        "answered_429": limited,
        "killed": kill,
        "requests_in_flight_at_kill": in_flight_at_kill,
        "outbox_sent": states[OutboxStatus.SENT],
        "outbox_not_sent": sum(n for s, n in states.items() if s != OutboxStatus.SENT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--flaky", type=float, default=0.001)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    # A fresh, migrated database, dropped afterwards (PostgreSQL on 127.0.0.1, as bench_web).
    with database(args.db) as url:
        result = asyncio.run(bench(args.subscriptions, args.rate, args.kill, args.flaky, url))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
