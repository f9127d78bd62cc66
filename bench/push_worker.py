"""A sender process for the push benchmark: sends the web outbox with Web Push on, then exits.

Run by bench_push.py (which may SIGKILL it mid-way and start it again). Arguments: the
database URL, the push rate (ATGT_WEB_PUSH_RATE) and the VAPID subject.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.web import WebTransport
from bot.channels.web_push import PushKeys, WebPush
from bot.db.models import Outbox, OutboxStatus
from bot.db.session import make_engine, make_sessionmaker
from bot.services import web_push_store

MAX_SECONDS = 3600  # a bound on the loop below, far above any run


async def unsent(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Web rows still pending or being sent."""
    async with sessionmaker() as session:
        query = select(func.count()).where(
            Outbox.channel == "web",
            Outbox.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        )
        return (await session.execute(query)).scalar_one()


async def main(database_url: str, rate: float, subject: str) -> None:
    """Release rows left 'sending' by a killed predecessor, then send everything due."""
    engine = make_engine(database_url)
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as session:
        stored = await web_push_store.keys(session)
    # As `atgt run` wires it (bot/runtime.py), with the loopback fake allowed as a host.
    push = WebPush(
        sessionmaker,
        keys=PushKeys(stored.private_pem),
        subject=subject,
        clock=lambda: datetime.now(UTC),
        hosts=None,
    )
    pacer = Pacer(rate=rate, chat_interval=0.0, group_interval=0.0)
    sender = Sender(sessionmaker, WebTransport(push), pacer, window=400)
    # run(), as `atgt run` does (it releases rows a killed predecessor left 'sending', then
    # claims whenever its window has room), until nothing is left to send.
    running = asyncio.create_task(sender.run())
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline and await unsent(sessionmaker):
        await asyncio.sleep(0.5)
    await sender.stop()
    await running
    await push.aclose()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), sys.argv[3]))
