"""What every scheduled job receives."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Schedule, ScheduleRun
from bot.services.notify import QuietHours

log = logging.getLogger(__name__)
ERROR_LENGTH = 200  # ScheduleRun.error


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

    @asynccontextmanager
    async def recipient(self, person_id: int) -> AsyncIterator[None]:
        """One recipient's work in a savepoint: a failure undoes only theirs and is recorded.

        The exception is swallowed so the loop goes on to the next person; the run keeps the
        count and the first error, and the log one warning per failure.
        """
        try:
            async with self.session.begin_nested():
                yield
        except Exception as exc:  # any one person's fault must not cost the others theirs
            record_failure(self.run, person_id, exc)


def record_failure(run: ScheduleRun, person_id: int, exc: BaseException) -> None:
    """Count a failed recipient on the run, keep the first error, log a warning."""
    error = describe_error(exc)
    run.failed = (run.failed or 0) + 1
    if run.error is None:
        run.error = f"p{person_id}: {error}"[:ERROR_LENGTH]
    log.warning("schedule run %s: person %s failed: %s", run.id, person_id, error)


def describe_error(exc: BaseException) -> str:
    """The exception's type and first line, without SQL parameters (they may hold chat ids)."""
    cause = getattr(exc, "orig", None) or exc  # a DBAPI error's own message, not SQLAlchemy's
    lines = str(cause).strip().splitlines()
    first = lines[0] if lines else ""
    name = type(exc).__name__
    return f"{name}: {first}" if first else name


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
