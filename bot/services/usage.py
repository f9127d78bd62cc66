"""Messages per channel and month as the platform counts them (quota and template budget)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ChannelUsage

SENT, RECEIVED, TEMPLATE = "sent", "received", "template"


def month_of(now: datetime, tz: ZoneInfo) -> str:
    """The local calendar month, "2026-12": Zalo's quotas reset with the Vietnamese month."""
    return now.astimezone(tz).strftime("%Y-%m")


async def count(session: AsyncSession, *, channel: str, month: str, kind: str) -> int:
    """Messages of `kind` counted this month on `channel`."""
    query = select(ChannelUsage.count).where(
        ChannelUsage.channel == channel, ChannelUsage.month == month, ChannelUsage.kind == kind
    )
    return (await session.execute(query)).scalar_one_or_none() or 0


async def _ensure(session: AsyncSession, *, channel: str, month: str, kind: str) -> None:
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    values = {"channel": channel, "month": month, "kind": kind, "count": 0}
    await session.execute(insert(ChannelUsage).values(values).on_conflict_do_nothing())


def _row(channel: str, month: str, kind: str):
    return update(ChannelUsage).where(
        ChannelUsage.channel == channel, ChannelUsage.month == month, ChannelUsage.kind == kind
    )


async def add(session: AsyncSession, *, channel: str, month: str, kind: str, n: int = 1) -> None:
    """Count `n` more messages (negative: give back a reservation)."""
    await _ensure(session, channel=channel, month=month, kind=kind)
    await session.execute(_row(channel, month, kind).values(count=ChannelUsage.count + n))


async def reserve(
    session: AsyncSession, *, channel: str, month: str, kind: str, limit: int
) -> bool:
    """Count one more if fewer than `limit` are counted; concurrent callers never overrun it."""
    await _ensure(session, channel=channel, month=month, kind=kind)
    statement = _row(channel, month, kind).where(ChannelUsage.count < limit)
    result = await session.execute(statement.values(count=ChannelUsage.count + 1))
    return result.rowcount == 1
