"""Messages per channel and month as the platform counts them (quota and template budget)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ChannelUsage

log = logging.getLogger(__name__)

SENT, RECEIVED, TEMPLATE = "sent", "received", "template"
WARN_AT = 0.8  # of a monthly quota: the admins are told once a month


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


class Meter:
    """Counts one channel's messages; at 80% of a monthly quota, warns once per month."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        channel: str,
        tz: ZoneInfo,
        clock: Callable[[], datetime],
        quota: int = 0,
        on_warning: Callable[[str, int, int], Awaitable[None]] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._channel = channel
        self._tz = tz
        self._clock = clock
        self._quota = quota
        self._on_warning = on_warning
        self._warned: set[str] = set()

    async def add(self, kind: str) -> None:
        """One more message of `kind`; a failure only costs the statistics."""
        month = month_of(self._clock(), self._tz)
        try:
            async with self._sessionmaker() as session, session.begin():
                await add(session, channel=self._channel, month=month, kind=kind)
                used = await both_ways(session, channel=self._channel, month=month)
        except Exception:
            log.exception("%s: could not count a message", self._channel)
            return
        if self._quota and used >= WARN_AT * self._quota and month not in self._warned:
            self._warned.add(month)
            if self._on_warning is not None:
                try:
                    await self._on_warning(month, used, self._quota)
                except Exception:
                    log.exception("%s: could not warn the admins about the quota", self._channel)


async def both_ways(session: AsyncSession, *, channel: str, month: str) -> int:
    """Sent plus received this month: what the Zalo Bot quota counts."""
    query = select(func.coalesce(func.sum(ChannelUsage.count), 0)).where(
        ChannelUsage.channel == channel,
        ChannelUsage.month == month,
        ChannelUsage.kind.in_((SENT, RECEIVED)),
    )
    return int((await session.execute(query)).scalar_one())


def projection(used: int, now: datetime, tz: ZoneInfo) -> int:
    """The month's total if use goes on at the pace so far."""
    local = now.astimezone(tz)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    elapsed = max((local - start).total_seconds(), 3600.0)  # the first hour says little
    return round(used * (end - start).total_seconds() / elapsed)
