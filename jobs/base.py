"""What every scheduled job receives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Schedule, ScheduleRun
from bot.services.notify import QuietHours


@dataclass(frozen=True, slots=True)
class JobContext:
    """One occurrence of one schedule, inside its transaction."""

    session: AsyncSession
    schedule: Schedule
    run: ScheduleRun
    now: datetime
    content: Content
    quiet: QuietHours
    prepared: Any = None  # what the job's prepare step returned, if it has one

    @property
    def tz(self) -> ZoneInfo:
        """The schedule's timezone."""
        return ZoneInfo(self.schedule.timezone)

    @property
    def not_before(self) -> datetime:
        """Deliver now, or when the quiet hours end."""
        return self.quiet.release(self.now, self.tz)

    def key(self, person_id: int) -> str:
        """Outbox key: one message per person per occurrence, whatever fires twice."""
        return f"run:{self.run.id}:p{person_id}"


@dataclass(frozen=True, slots=True)
class Preparation:
    """Before the transaction: a job's slow, read-only work (its own session, then CPU).

    The occurrence's transaction then only writes, so it holds no lock (and, on SQLite, not
    the process's only connection) while charts and workbooks are drawn.
    """

    sessionmaker: async_sessionmaker[AsyncSession]
    schedule: Schedule
    now: datetime
    content: Content
