"""Two `atgt run` processes on one PostgreSQL: one scheduler, one sender, takeover on death."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.db.models import Outbox, OutboxStatus, Schedule, ScheduleRun
from bot.db.session import make_engine, make_sessionmaker
from bot.services import broadcast, org, schedules
from tests.channels.support import NO_QUIET_HOURS, eventually, free_port, until
from tests.channels.test_telegram_e2e import TOKEN
from tests.fakes.telegram import FakeBotApi
from tests.harness import load_roster

ATGT = Path(sys.executable).parent / "atgt"
CHATS = {"NV1": 1, "NV2": 2, "NV3": 3}


class Process:
    """`atgt run` in webhook mode, its log lines collected."""

    def __init__(self, name: str, url: str, api: FakeBotApi) -> None:
        self.name, self.url, self.api = name, url, api
        self.lines: list[str] = []

    async def start(self) -> None:
        env = {
            **os.environ,
            "ATGT_DATABASE_URL": self.url,
            "ATGT_TELEGRAM_TOKEN": TOKEN,
            "ATGT_TELEGRAM_API_URL": self.api.base_url,
            "ATGT_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg/hook",
            "ATGT_TELEGRAM_WEBHOOK_SECRET": "s3cret",
            "ATGT_WEBHOOK_PORT": str(free_port()),
            "ATGT_LOG_LEVEL": "INFO",
            "ATGT_QUIET_HOURS": NO_QUIET_HOURS,
        }
        self.proc = await asyncio.create_subprocess_exec(
            str(ATGT),
            "run",
            env=env,
            stderr=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for line in self.proc.stderr:
            self.lines.append(line.decode(errors="replace"))

    async def saw(self, text: str, timeout: float = 30) -> float:
        """Seconds until a log line containing `text` appeared."""
        started = time.monotonic()
        while not any(text in line for line in self.lines):
            assert self.proc.returncode is None or any(text in ln for ln in self.lines), (
                self.name,
                "".join(self.lines[-20:]),
            )
            assert time.monotonic() - started < timeout, (self.name, "".join(self.lines[-20:]))
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
            await asyncio.wait_for(self.proc.wait(), 30)
        await self.reader


async def prepare(url: str, clock, tmp_path) -> None:
    """Three people on Telegram and a weekday reminder that fell due a minute ago."""
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    await load_roster(sessionmaker, clock, tmp_path)
    now = datetime.now(UTC)
    local = (now - timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    async with sessionmaker() as session, session.begin():
        for code, chat in CHATS.items():
            person = await org.find_person(session, code=code)
            await org.link_account(
                session,
                person=person,
                channel="telegram",
                user_id=str(chat),
                chat_id=str(chat),
                now=now,
            )
        await schedules.ensure_defaults(session, now=now, timezone="Asia/Ho_Chi_Minh")
        reminder = (await session.execute(select(Schedule).where(Schedule.id == 1))).scalar_one()
        reminder.days, reminder.time, reminder.skip_holidays = "mon-sun", f"{local:%H:%M}", False
        for other in (await session.execute(select(Schedule).where(Schedule.id != 1))).scalars():
            other.enabled = False
    await engine.dispose()


async def announce(url: str, text: str) -> None:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session, session.begin():
        draft = await broadcast.create(session, text=text, now=datetime.now(UTC))
        await broadcast.start(session, broadcast=draft, now=datetime.now(UTC))
    await engine.dispose()


async def runs(url: str) -> int:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(ScheduleRun))
    await engine.dispose()
    return count


async def unsent(url: str) -> int:
    """Outbox rows still pending or being sent."""
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        waiting = Outbox.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        count = await session.scalar(select(func.count()).where(waiting))
    await engine.dispose()
    return count


def copies(api: FakeBotApi, marker: str) -> Counter:
    return Counter(
        s.chat_id for s in api.sent if s.method == "sendMessage" and marker in s.params["text"]
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_one_leader_no_duplicates_and_takeover(database_url, clock, tmp_path):
    await prepare(database_url, clock, tmp_path)
    async with FakeBotApi(TOKEN) as api:
        api.enforce_limits = False
        first, second = Process("A", database_url, api), Process("B", database_url, api)
        await first.start()
        try:
            await first.saw("this process now runs scheduler")
            await first.saw("this process now runs sender:telegram")
            await second.start()
            await second.saw("scheduler runs in another process; standing by")
            await second.saw("sender:telegram runs in another process; standing by")

            await until(lambda: len(copies(api, "Nhắc nhở an toàn giao thông")) == 3, timeout=30)
            await announce(database_url, "Thông báo một")
            await until(lambda: len(copies(api, "Thông báo một")) == 3, timeout=30)
            # Kill only once the sends are recorded: a send in flight at a SIGKILL may repeat.
            await eventually(lambda: unsent(database_url), lambda count: count == 0)

            await first.stop(signal.SIGKILL)
            takeover = await second.saw("this process now runs scheduler", timeout=20)
            await second.saw("this process now runs sender:telegram", timeout=20)
            await announce(database_url, "Thông báo hai")
            await until(lambda: len(copies(api, "Thông báo hai")) == 3, timeout=30)
            await asyncio.sleep(1.5)  # room for any duplicate to show up
        finally:
            await first.stop(signal.SIGKILL)
            await second.stop()

    print(f"takeover after SIGKILL: {takeover:.1f} s")
    assert takeover < 20
    for marker in ("Nhắc nhở an toàn giao thông", "Thông báo một", "Thông báo hai"):
        assert copies(api, marker) == Counter({1: 1, 2: 1, 3: 1}), marker
    assert await runs(database_url) == 1  # the catch-up fired once, not again on takeover
