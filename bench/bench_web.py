"""Simulated web users against one `atgt run` process: join, answer a quiz, read a notice.

    .venv/bin/python -m bench.bench_web [--users 1000] [--concurrency 50] [--db postgresql]

A fresh database with N employees (50 per unit) and one invite each; `atgt run` with only
the web channel on, in its own process. Phase 1: every user opens the join link, presses
"Tham gia", loads /api/me and the thread (the greeting), sends /quiz and answers it (polling
the thread as the page does). Phase 2: `atgt broadcast` announces to everyone. Phase 3: every
user polls until the announcement arrives and presses "Đã đọc". C users are in flight at a
time. Every HTTP request is timed; prints JSON with p50/p99/max per kind and overall.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select

from bench.bench_inbound import database
from bot.db.models import BroadcastRecipient
from bot.db.session import make_engine, make_sessionmaker
from bot.services import invites, org
from bot.services.roster import import_roster, read_roster

ROOT = Path(__file__).resolve().parents[1]
TZ = "Asia/Ho_Chi_Minh"


class Stats:
    """Latency (ms) per request kind, and the failures."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    async def call(
        self, client: httpx.AsyncClient, kind: str, method: str, url: str, **kw: object
    ) -> httpx.Response:
        started = time.perf_counter()
        response = await client.request(method, url, **kw)
        self.times[kind].append((time.perf_counter() - started) * 1000)
        return response

    def summary(self) -> dict[str, object]:
        every = [ms for values in self.times.values() for ms in values]
        return {
            "requests": len(every),
            "overall": cuts(every),
            "per_kind": {kind: cuts(values) for kind, values in sorted(self.times.items())},
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
        }


def cuts(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "n": len(values),
        "p50": round(q[49], 1),
        "p99": round(q[98], 1),
        "max": round(max(values), 1),
    }


async def seed(url: str, users: int, folder: Path) -> list[str]:
    """N employees in units of 50 and one admin; returns one invite code per employee."""
    lines = ["Mã NV,Họ tên,Đơn vị,Vai trò,SĐT", "AD0,Quản Trị,Sở Bench/Văn phòng,Quản trị,"]
    lines += [f"NV{n},Nhân Viên {n},Sở Bench/Phòng {n // 50},Nhân viên," for n in range(users)]
    roster = folder / "roster.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine, now = make_engine(url), datetime.now(UTC)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await import_roster(session, rows=read_roster(roster), now=now)
            codes = []
            for n in range(users):
                person = await org.find_person(session, code=f"NV{n}")
                codes.append(
                    await invites.create_invite(
                        session, person=person, now=now, ttl=timedelta(days=1)
                    )
                )
        return codes
    finally:
        await engine.dispose()


async def read_count(url: str) -> int:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            query = select(func.count()).where(BroadcastRecipient.read_at.is_not(None))
            return (await session.execute(query)).scalar_one()
    finally:
        await engine.dispose()


class User:
    """One phone: its cookies, the page's token and the thread it has seen."""

    def __init__(self, base: str, code: str, stats: Stats, limits: httpx.Limits) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits)
        self.code, self.stats = code, stats
        self.csrf, self.cursor = "", ""
        self.messages: list[dict] = []

    async def expect(
        self, kind: str, method: str, url: str, status: int, **kw: object
    ) -> httpx.Response:
        response = await self.stats.call(self.client, kind, method, url, **kw)
        if response.status_code != status:
            raise RuntimeError(f"{kind}: HTTP {response.status_code} {response.text[:120]}")
        return response

    async def join(self) -> None:
        form = await self.expect("join_form", "GET", f"/j/{self.code}", 200)
        nonce = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        await self.expect("join", "POST", f"/j/{self.code}", 303, data={"csrf": nonce})
        self.csrf = (await self.expect("me", "GET", "/api/me", 200)).json()["csrf"]

    async def wait_for(self, found, timeout: float = 60.0) -> dict:
        """Poll the thread (as the page does right after a send) until a message matches."""
        deadline = time.monotonic() + timeout
        while True:
            params = {"since": self.cursor} if self.cursor else {}
            data = (await self.expect("thread", "GET", "/api/thread", 200, params=params)).json()
            self.cursor = data["cursor"] or self.cursor
            known = {m["id"] for m in self.messages}
            fresh = [m for m in data["messages"] if m["id"] not in known]
            self.messages += fresh
            for message in fresh:
                if found(message):
                    return message
            if time.monotonic() > deadline:
                raise RuntimeError("thread: expected message not delivered in time")
            await asyncio.sleep(0.7)

    async def send(self, body: dict) -> None:
        await self.expect(
            "send", "POST", "/api/send", 202, json=body, headers={"x-csrf-token": self.csrf}
        )

    async def quiz(self) -> None:
        await self.wait_for(lambda m: m["text"].startswith("Xin chào"))
        await self.send({"text": "/quiz"})
        quiz = await self.wait_for(lambda m: m["quiz"] is not None)
        await self.send({"row": quiz["id"], "option": 0})
        await self.wait_for(lambda m: "Căn cứ:" in m["text"])

    async def read_notice(self) -> None:
        notice = await self.wait_for(lambda m: "Thông báo thử tải" in m["text"], timeout=300)
        button = notice["buttons"][0][0]
        await self.send({"row": notice["id"], "data": button["data"]})
        await self.wait_for(lambda m: m["text"].startswith("Cảm ơn"))


async def phase(users: list[User], work, concurrency: int, stats: Stats) -> float:
    gate = asyncio.Semaphore(concurrency)
    started = time.perf_counter()

    async def one(user: User) -> None:
        async with gate:
            try:
                await work(user)
            except Exception as exc:
                stats.errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(one(user) for user in users))
    return round(time.perf_counter() - started, 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quiet_elsewhere() -> str:
    """Quiet hours that do not cover the next hours, so nothing waits for morning."""
    local = datetime.now(ZoneInfo(TZ))
    start, end = local + timedelta(hours=6), local + timedelta(hours=7)
    return f"{start:%H:%M}-{end:%H:%M}"


async def bench(url: str, args: argparse.Namespace, folder: Path) -> dict:
    codes = await seed(url, args.users, folder)
    port = free_port()
    env = {
        **os.environ,
        "ATGT_DATABASE_URL": url,
        "ATGT_WEB_URL": f"http://127.0.0.1:{port}",
        "ATGT_WEB_PORT": str(port),
        "ATGT_LOG_LEVEL": "WARNING",
        "ATGT_QUIET_HOURS": quiet_elsewhere(),
        "ATGT_TIMEZONE": TZ,
    }
    server = subprocess.Popen([str(ROOT / ".venv/bin/atgt"), "run"], env=env, cwd=folder)
    try:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as probe:
            for _ in range(300):
                try:
                    if (await probe.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        stats = Stats()
        limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
        users = [User(base, code, stats, limits) for code in codes]
        joined = await phase(users, lambda u: u.join(), args.concurrency, stats)
        quizzed = await phase(users, lambda u: u.quiz(), args.concurrency, stats)
        notice = folder / "notice.txt"
        notice.write_text("Thông báo thử tải: đội mũ bảo hiểm đúng cách.", encoding="utf-8")
        announced = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/atgt"), "broadcast", "--text-file", str(notice)],
            env=env, cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
        read = await phase(users, lambda u: u.read_notice(), args.concurrency, stats)
        announced = round(time.perf_counter() - announced, 1)
        for user in users:
            await user.client.aclose()
        return {
            **stats.summary(),
            "seconds": {
                "join": joined,
                "quiz": quizzed,
                "announce_and_read": announced,
                "read": read,
            },
            "reads_recorded": await read_count(url),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    with database(args.db) as url, tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(bench(url, args, Path(tmp)))
    result = {"db": args.db, "users": args.users, "concurrency": args.concurrency, **result}
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
