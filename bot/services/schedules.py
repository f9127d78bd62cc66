"""Schedules stored in the database: defaults, edits, occurrences, working days."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Schedule, ScheduleRun

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DAY_NAMES = {
    "t2": "mon",
    "t3": "tue",
    "t4": "wed",
    "t5": "thu",
    "t6": "fri",
    "t7": "sat",
    "cn": "sun",
}


@dataclass(frozen=True, slots=True)
class Default:
    """A schedule every new installation starts with."""

    name: str
    kind: str
    days: str
    time: str


DEFAULTS = (
    Default("nhac-nho", "reminder", "mon-fri", "07:30"),
    Default("cau-do", "quiz", "tue,thu", "10:00"),
    Default("bao-cao-tuan", "checkin", "fri", "08:00"),
    Default("nhac-bao-cao", "nudge", "fri,sat,sun", "15:00"),
    Default("tong-hop-tuan", "digest", "mon", "07:30"),
    Default("ra-soat-noi-dung", "content_expiry", "mon", "08:00"),
)


async def ensure_defaults(session: AsyncSession, *, now: datetime, timezone: str) -> None:
    """Create the default schedules that do not exist yet (by name); edits are kept."""
    existing = set((await session.execute(select(Schedule.name))).scalars())
    for default in DEFAULTS:
        if default.name not in existing:
            session.add(
                Schedule(
                    name=default.name,
                    kind=default.kind,
                    days=default.days,
                    time=default.time,
                    timezone=timezone,
                    skip_holidays=True,
                    enabled=True,
                    created_at=now,
                    updated_at=now,
                )
            )
    await session.flush()


async def all_schedules(session: AsyncSession) -> Sequence[Schedule]:
    """Every schedule, by id, with its unit (descriptions name it)."""
    query = select(Schedule).options(selectinload(Schedule.unit)).order_by(Schedule.id)
    return (await session.execute(query)).scalars().all()


def parse_days(text: str) -> str:
    """'T2-T6', 't3,t5', 'mon-fri' → APScheduler day_of_week; UserError when invalid."""
    days = text.strip().lower()
    for vietnamese, english in DAY_NAMES.items():
        days = re.sub(rf"\b{vietnamese}\b", english, days)
    try:
        CronTrigger(day_of_week=days)
    except ValueError:
        raise UserError(t("schedule.bad_days", days=text)) from None
    return days


def parse_time(text: str) -> str:
    """'7:30' → '07:30'; UserError when invalid."""
    match = _TIME.match(text.strip())
    if not match:
        raise UserError(t("schedule.bad_time", time=text))
    return f"{int(match[1]):02d}:{match[2]}"


async def update_schedule(
    session: AsyncSession,
    *,
    schedule_id: int,
    now: datetime,
    days: str | None = None,
    time: str | None = None,
    enabled: bool | None = None,
) -> Schedule:
    """Change a schedule's days, time or state."""
    schedule = await session.get(Schedule, schedule_id, options=[selectinload(Schedule.unit)])
    if schedule is None:
        raise UserError(t("schedule.unknown", id=schedule_id))
    if days is not None:
        schedule.days = parse_days(days)
    if time is not None:
        schedule.time = parse_time(time)
    if enabled is not None:
        schedule.enabled = enabled
    schedule.updated_at = now
    await session.flush()
    return schedule


def trigger(schedule: Schedule) -> CronTrigger:
    """The APScheduler trigger of a schedule, in its own timezone."""
    hour, minute = schedule.time.split(":")
    return CronTrigger(
        day_of_week=schedule.days, hour=int(hour), minute=int(minute), timezone=schedule.timezone
    )


def occurrences(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Fire times in [start, end], as APScheduler computes them."""
    cron = trigger(schedule)
    found: list[datetime] = []
    moment = cron.get_next_fire_time(None, start)
    while moment is not None and moment <= end:
        found.append(moment)
        moment = cron.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return found


def holiday_name(day: date) -> str | None:
    """The Vietnamese public holiday on `day` (Tết included), if any."""
    return holidays.country_holidays("VN", years=day.year, language="vi").get(day)


def skip_reason(schedule: Schedule, day: date) -> str | None:
    """Why an occurrence on `day` sends nothing: a public holiday (weekends are in `days`)."""
    name = holiday_name(day) if schedule.skip_holidays else None
    return t("schedule.holiday", name=name) if name else None


def days_label(days: str) -> str:
    """'mon-fri' → 'T2-T6', as Vietnamese calendars write weekdays."""
    for vietnamese, english in DAY_NAMES.items():
        days = days.replace(english, vietnamese.upper() if vietnamese != "cn" else "CN")
    return days


async def has_run(session: AsyncSession, *, schedule_id: int, occurrence: datetime) -> bool:
    """Was this occurrence already run (or claimed by a run in progress elsewhere)?"""
    query = select(ScheduleRun.id).where(
        ScheduleRun.schedule_id == schedule_id, ScheduleRun.occurrence == occurrence
    )
    return (await session.execute(query)).first() is not None


async def claim_run(
    session: AsyncSession, *, schedule_id: int, occurrence: datetime, now: datetime
) -> ScheduleRun | None:
    """Record the occurrence; None when it was already run (a double fire)."""
    run = ScheduleRun(
        schedule_id=schedule_id, occurrence=occurrence, fired_at=now, status="sent", recipients=0
    )
    try:
        async with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    return run
