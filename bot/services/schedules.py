"""Schedules stored in the database: defaults, edits, occurrences, working days."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Schedule, ScheduleRun

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# APScheduler's weekday names, Monday first (index 0 = T2 ... 6 = CN).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LABELS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
_NUMBER_WORDS = {"hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
# One day as Vietnamese writes it, diacritics removed: T2, thu 2 / thu2, thu hai, CN, chu nhat.
# English names are refused: "thu" is both Thursday and "thứ" without its diacritics.
_DAY = re.compile(r"\s*(?:(?:t|thu\s*)([2-7])|thu\s+(hai|ba|tu|nam|sau|bay)|(cn|chu\s*nhat))")
_RANGE = re.compile(r"\s*(?:-|den\b)")
_SEPARATOR = re.compile(r"\s*(?:[,;]|va\b)")


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
    """'T2-T6', 'thứ 3, thứ 5', 'T7 và CN' → APScheduler day_of_week; UserError otherwise."""
    plain = _plain(text)
    days: set[int] = set()
    position = 0
    while True:
        first, position = _day(plain, position, text)
        last = first
        if match := _RANGE.match(plain, position):
            last, position = _day(plain, match.end(), text)
        days |= _span(first, last)
        if plain[position:].strip() == "":
            return _cron_days(days)
        separator = _SEPARATOR.match(plain, position)
        if separator is None:
            raise _bad_days(text)
        position = separator.end()


def _plain(text: str) -> str:
    """Lower case without Vietnamese diacritics ('Thứ Năm' → 'thu nam')."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _day(plain: str, position: int, text: str) -> tuple[int, int]:
    """The weekday index at `position` and where it ends; UserError if none is there."""
    match = _DAY.match(plain, position)
    if match is None or plain[match.end() : match.end() + 1].isalnum():
        raise _bad_days(text)
    if match[3]:
        return 6, match.end()
    number = int(match[1]) if match[1] else _NUMBER_WORDS[match[2]]
    return number - 2, match.end()


def _span(first: int, last: int) -> set[int]:
    """The days from `first` to `last`, wrapping past Sunday (T6-T2 = T6, T7, CN, T2)."""
    if first <= last:
        return set(range(first, last + 1))
    return set(range(first, 7)) | set(range(0, last + 1))


def _cron_days(days: set[int]) -> str:
    """{0, 1, 2, 4} → 'mon-wed,fri': runs of three or more days become ranges."""
    parts: list[str] = []
    ordered = sorted(days)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = WEEKDAYS[ordered[start]], WEEKDAYS[ordered[end]]
        if end - start >= 2:
            parts.append(f"{first}-{last}")
        else:
            parts += [WEEKDAYS[i] for i in ordered[start : end + 1]]
        start = end + 1
    return ",".join(parts)


def _bad_days(text: str) -> UserError:
    return UserError(t("schedule.bad_days", days=text.strip()))


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
    return re.sub(
        r"\b(" + "|".join(WEEKDAYS) + r")\b", lambda m: LABELS[WEEKDAYS.index(m[1])], days
    )


async def has_run(session: AsyncSession, *, schedule_id: int, occurrence: datetime) -> bool:
    """Was this occurrence already run (or claimed by a run in progress elsewhere)?"""
    query = select(ScheduleRun.id).where(
        ScheduleRun.schedule_id == schedule_id, ScheduleRun.occurrence == occurrence
    )
    return (await session.execute(query)).first() is not None


async def last_runs(session: AsyncSession) -> dict[int, ScheduleRun]:
    """Each schedule's latest run, by schedule id."""
    latest = (
        select(ScheduleRun.schedule_id, func.max(ScheduleRun.fired_at).label("at"))
        .group_by(ScheduleRun.schedule_id)
        .subquery()
    )
    query = (
        select(ScheduleRun)
        .join(
            latest,
            (ScheduleRun.schedule_id == latest.c.schedule_id)
            & (ScheduleRun.fired_at == latest.c.at),
        )
        .order_by(ScheduleRun.id)
    )
    return {run.schedule_id: run for run in (await session.execute(query)).scalars()}


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
