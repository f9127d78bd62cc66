"""Signs of life of the running bot, so commands that queue messages can warn when none runs."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Heartbeat

SCHEDULER = "scheduler"
# The scheduler beats every 30 seconds (its sync job); a few missed beats mean it is gone.
STALE_AFTER = timedelta(minutes=2)


async def beat(session: AsyncSession, *, name: str, now: datetime) -> None:
    """Record that this process plays `name` now."""
    holder = f"{socket.gethostname()}:{os.getpid()}"[:200]
    row = await session.get(Heartbeat, name)
    if row is None:
        session.add(Heartbeat(name=name, holder=holder, seen_at=now))
    else:
        row.holder, row.seen_at = holder, now
    await session.flush()


async def last_seen(session: AsyncSession, *, name: str = SCHEDULER) -> datetime | None:
    """When `name` last gave a sign of life (None: never)."""
    row = await session.get(Heartbeat, name)
    return row.seen_at if row is not None else None


def alive(seen: datetime | None, now: datetime) -> bool:
    """Was the last sign of life recent enough?"""
    return seen is not None and now - seen <= STALE_AFTER
