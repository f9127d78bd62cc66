"""Runs the database schedules with APScheduler; every occurrence is idempotent.

APScheduler holds one cron job per enabled schedule, rebuilt from the database at start
and after every edit. A fire claims (schedule, occurrence) in the database first, so a
double fire, a second process or a restart never sends twice; at start, an occurrence
missed within the grace window (the bot was down) is fired once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.content import Content
from bot.db.models import Schedule, ScheduleRun
from bot.services import content_review, heartbeat, schedules
from bot.services.notify import QuietHours
from jobs import JOBS, PREPARE, Job, broadcasts
from jobs.base import ERROR_LENGTH, JobContext, Preparation, describe_error

log = logging.getLogger(__name__)
JOB_PREFIX = "schedule-"
SYNC_JOB = "schedules-sync"
SYNC_EVERY_SECONDS = 30
BROADCAST_JOB = "broadcasts"
BROADCAST_EVERY_SECONDS = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one fire did."""

    schedule_id: int
    occurrence: datetime
    status: str  # sent, skipped, duplicate, disabled, failed
    queued: int = 0
    note: str | None = None
    failed: int = 0  # recipients whose work failed (the others got theirs)
    error: str | None = None  # the first error


class Scheduler:
    """The bridge between Schedule rows, APScheduler and the JOBS."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        content: Content,
        *,
        clock: Callable[[], datetime],
        quiet: QuietHours,
        timezone: str,
        grace: timedelta = timedelta(hours=2),
        on_enqueued: Callable[[], None] = lambda: None,
        jobs: Mapping[str, Job] = JOBS,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._content = content
        self._clock = clock
        self._quiet = quiet
        self._timezone = timezone
        self._grace = grace
        self._on_enqueued = on_enqueued
        self._jobs = jobs
        self.aps = AsyncIOScheduler(timezone=timezone)
        self._version: tuple[object, ...] = ()

    async def start(self) -> list[Outcome]:
        """Create default schedules, catch up on missed occurrences, start firing."""
        async with self._sessionmaker() as session, session.begin():
            await schedules.ensure_defaults(session, now=self._clock(), timezone=self._timezone)
            await heartbeat.beat(session, name=heartbeat.SCHEDULER, now=self._clock())
        missed = await self.catch_up()
        await self.rebuild()
        if self.aps.running:
            return missed
        # Edits from chat (/lich) or another process (atgt jobs set) are picked up here.
        self.aps.add_job(
            self.sync, "interval", seconds=SYNC_EVERY_SECONDS, id=SYNC_JOB, replace_existing=True
        )
        self.aps.add_job(
            self.tick_broadcasts,
            "interval",
            seconds=BROADCAST_EVERY_SECONDS,
            id=BROADCAST_JOB,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        self.aps.start()
        return missed

    async def sync(self) -> bool:
        """Rebuild the jobs if any schedule changed since the last build; a sign of life."""
        async with self._sessionmaker() as session, session.begin():
            await heartbeat.beat(session, name=heartbeat.SCHEDULER, now=self._clock())
        if _version(await self._schedules()) == self._version:
            return False
        await self.rebuild()
        return True

    def shutdown(self) -> None:
        """Stop firing (jobs in progress finish their transaction)."""
        if self.aps.running:
            self.aps.shutdown(wait=False)

    async def rebuild(self) -> list[str]:
        """Replace APScheduler's jobs with one per enabled schedule; returns the job ids."""
        for job in self.aps.get_jobs():
            if job.id.startswith(JOB_PREFIX):
                job.remove()
        ids = []
        current = await self._schedules()
        self._version = _version(current)
        for schedule in current:
            if schedule.enabled:
                job = self.aps.add_job(
                    self.fire_latest,
                    schedules.trigger(schedule),
                    args=[schedule.id],
                    id=f"{JOB_PREFIX}{schedule.id}",
                    replace_existing=True,
                    misfire_grace_time=int(self._grace.total_seconds()),
                    coalesce=True,
                )
                ids.append(job.id)
        return ids

    async def catch_up(self) -> list[Outcome]:
        """Fire, once, the latest occurrence of each schedule missed within the grace window."""
        now = self._clock()
        outcomes = []
        for schedule in await self._schedules():
            due = schedules.occurrences(schedule, now - self._grace, now)
            if schedule.enabled and due:
                outcome = await self.fire(schedule.id, due[-1])
                if outcome.status != "duplicate":
                    outcomes.append(outcome)
        return outcomes

    async def fire_latest(self, schedule_id: int) -> Outcome | None:
        """APScheduler's entry point: fire the occurrence that is due now."""
        async with self._sessionmaker() as session:
            schedule = await session.get(Schedule, schedule_id)
        now = self._clock()
        due = schedules.occurrences(schedule, now - self._grace, now) if schedule else []
        return await self.fire(schedule_id, due[-1]) if due else None

    async def fire(
        self, schedule_id: int, occurrence: datetime, *, manual: bool = False
    ) -> Outcome:
        """Run one occurrence in one transaction; a repeated occurrence does nothing.

        Each recipient's work is a savepoint (`JobContext.recipient`): one person's failure is
        counted on the run and the others still get theirs. A failure of the job as a whole
        rolls everything back and is recorded as a failed run, so it is visible and not
        retried in a loop.
        """
        claimed: list[int] = []
        try:
            return await self._fire(schedule_id, occurrence, manual=manual, claimed=claimed)
        except Exception as exc:  # recorded below; the scheduler itself must keep running
            return await self._record_crash(schedule_id, occurrence, exc, claimed=claimed)

    async def _fire(
        self, schedule_id: int, occurrence: datetime, *, manual: bool, claimed: list[int]
    ) -> Outcome:
        now = self._clock()
        prepared = await self._prepare(schedule_id, occurrence, now, manual=manual)
        async with self._sessionmaker() as session, session.begin():
            schedule = await self._schedule(session, schedule_id)
            if schedule is None or not (schedule.enabled or manual):
                return Outcome(schedule_id, occurrence, "disabled")
            run = await schedules.claim_run(
                session, schedule_id=schedule_id, occurrence=occurrence, now=now
            )
            if run is None:
                return Outcome(schedule_id, occurrence, "duplicate")
            claimed.append(run.id)
            reason = _skip_reason(schedule, occurrence, manual=manual)
            if reason:
                run.status, run.note = "skipped", reason
                log.info("schedule %s: %s skipped (%s)", schedule.name, occurrence, reason)
                return Outcome(schedule_id, occurrence, "skipped", note=reason)
            # Reviewers' decisions (atgt content review) apply without a restart.
            content = await content_review.apply(session, self._content)
            context = JobContext(session, schedule, run, now, content, self._quiet, prepared)
            run.recipients = await self._jobs[schedule.kind](context)
            failed, error = run.failed or 0, run.error
        self._on_enqueued()
        log.info(
            "schedule %s fired: %d messages queued, %d recipients failed",
            schedule.name,
            run.recipients,
            failed,
        )
        return Outcome(schedule_id, occurrence, "sent", run.recipients, failed=failed, error=error)

    async def _record_crash(
        self, schedule_id: int, occurrence: datetime, exc: Exception, *, claimed: list[int]
    ) -> Outcome:
        """The job failed as a whole: record the occurrence as a failed run with the error."""
        error = describe_error(exc)
        log.error("schedule %s: occurrence %s failed: %s", schedule_id, occurrence, error)
        log.debug("schedule %s: traceback", schedule_id, exc_info=exc)
        async with self._sessionmaker() as session, session.begin():
            if await session.get(Schedule, schedule_id) is None:
                return Outcome(schedule_id, occurrence, "disabled")
            # Our claim was rolled back with the job, except on SQLite, where the driver
            # commits a savepoint opened outside a transaction (claim_run's): then reuse it.
            run = await session.get(ScheduleRun, claimed[0]) if claimed else None
            run = run or await schedules.claim_run(
                session, schedule_id=schedule_id, occurrence=occurrence, now=self._clock()
            )
            if run is None:
                return Outcome(schedule_id, occurrence, "duplicate")
            run.status, run.error = "failed", error[:ERROR_LENGTH]
        return Outcome(schedule_id, occurrence, "failed", error=error)

    async def _prepare(
        self, schedule_id: int, occurrence: datetime, now: datetime, *, manual: bool
    ) -> object:
        """The job's prepare step, when it has one and the occurrence will run; else None."""
        async with self._sessionmaker() as session:
            schedule = await self._schedule(session, schedule_id)
            if schedule is None or schedule.kind not in PREPARE or not (schedule.enabled or manual):
                return None
            if await schedules.has_run(session, schedule_id=schedule_id, occurrence=occurrence):
                return None  # a double fire: the transaction will find the run and stop
        if _skip_reason(schedule, occurrence, manual=manual):
            return None
        preparation = Preparation(self._sessionmaker, schedule, now, self._content)
        return await PREPARE[schedule.kind](preparation)

    async def tick_broadcasts(self) -> int:
        """Start due announcements and report their progress (idempotent by outbox keys)."""
        async with self._sessionmaker() as session, session.begin():
            queued = await broadcasts.tick(session, now=self._clock())
        if queued:
            self._on_enqueued()
        return queued

    async def run_now(self, schedule_id: int) -> Outcome:
        """`atgt jobs run ID`: one extra occurrence now, even on a holiday."""
        return await self.fire(schedule_id, self._clock().replace(microsecond=0), manual=True)

    async def _schedules(self) -> list[Schedule]:
        async with self._sessionmaker() as session:
            return list(await schedules.all_schedules(session))

    @staticmethod
    async def _schedule(session: AsyncSession, schedule_id: int) -> Schedule | None:
        query = (
            select(Schedule).where(Schedule.id == schedule_id).options(selectinload(Schedule.unit))
        )
        return (await session.execute(query)).scalar_one_or_none()


def _skip_reason(schedule: Schedule, occurrence: datetime, *, manual: bool) -> str | None:
    """Why this occurrence sends nothing (a holiday, say); a manual run is never skipped."""
    if manual:
        return None
    return schedules.skip_reason(
        schedule, occurrence.astimezone(ZoneInfo(schedule.timezone)).date()
    )


def _version(rows: list[Schedule]) -> tuple[object, ...]:
    """What identifies the set of schedules as built into APScheduler."""
    return tuple((s.id, s.updated_at, s.enabled) for s in rows)
