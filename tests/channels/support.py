"""Helpers shared by the channel end-to-end tests (Telegram and Zalo)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select

from bot.core import outbox
from bot.core.messages import Reply
from bot.db.models import Outbox, OutboxStatus, QuizDelivery
from bot.runtime import Runtime
from tests.harness import shipped_content

T = TypeVar("T")
# These tests run `atgt run` on the real clock, so scheduled messages must go out at any
# hour: an empty quiet window (start = end). Quiet hours are tested on a fake clock in
# test_schedules.py, and CI runs the whole suite once with the clock inside them.
NO_QUIET_HOURS = "00:00-00:00"


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for a condition checked on local state (the fakes' records)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def eventually(read: Callable[[], Awaitable[T]], check: Callable[[T], bool]) -> T:
    """Wait until what `read` returns (e.g. from the database) passes `check`; return it."""
    deadline = time.monotonic() + 10
    while not check(value := await read()):
        assert time.monotonic() < deadline, f"still {value!r}"
        await asyncio.sleep(0.02)
    return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def rows(runtime: Runtime, channel: str | None = None) -> list[Outbox]:
    """Every outbox row (of one channel), oldest first."""
    query = select(Outbox).order_by(Outbox.id)
    if channel:
        query = query.where(Outbox.channel == channel)
    async with runtime.app.sessionmaker() as session:
        return list((await session.execute(query)).scalars())


async def settled(runtime: Runtime, channel: str) -> None:
    """Wait until nothing of this channel is pending or in flight."""
    deadline = time.monotonic() + 10
    busy = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    while any(row.status in busy for row in await rows(runtime, channel)):
        assert time.monotonic() < deadline, "outbox did not drain"
        await asyncio.sleep(0.02)


async def queue_text(runtime: Runtime, channel: str, chat_id: str, text: str, key: str) -> None:
    """Put one message in the outbox, as a proactive service would, and wake the sender."""
    async with runtime.app.sessionmaker() as session, session.begin():
        await outbox.enqueue(
            session,
            channel=channel,
            chat_id=chat_id,
            replies=[Reply(text)],
            now=runtime.app.router.now(),
            key=key,
        )
    runtime.senders[channel].wake()


async def correct_number(runtime: Runtime) -> int:
    """The 1-based number of the right answer to the last quiz question given."""
    async with runtime.app.sessionmaker() as session:
        query = select(QuizDelivery).order_by(QuizDelivery.id.desc()).limit(1)
        delivery = (await session.execute(query)).scalar_one()
    return shipped_content().by_id(delivery.item_id).correct + 1
