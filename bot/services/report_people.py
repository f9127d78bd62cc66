"""Per-person figures over a window: one aggregate query per measure, grouped by person."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    Campaign,
    CheckIn,
    Person,
    QuizDelivery,
    Registration,
    ReminderDelivery,
    Unit,
    ViolationReport,
)
from bot.services.report_counts import delivered
from bot.services.report_window import Window


@dataclass(slots=True)
class PersonRow:
    """One person's record over a window."""

    person_id: int
    unit_id: int
    path: str
    code: str
    name: str
    registered_on: date | None = None
    reported: int = 0
    compliant: int = 0
    late: int = 0
    violations: int = 0
    answered: int = 0
    correct: int = 0
    reminders: int = 0
    acknowledged: int = 0
    delivered: int = 0
    read: int = 0


async def people_rows(
    session: AsyncSession,
    *,
    campaign: Campaign,
    window: Window,
    unit_ids: Collection[int] | None = None,
) -> list[PersonRow]:
    """Active people of the given units (all units for None), by unit path and code."""
    base = (
        select(Person.id, Person.unit_id, Unit.path, Person.employee_code, Person.full_name)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.active.is_(True))
    )
    rows = {
        pid: PersonRow(pid, unit_id, path, code, name)
        for pid, unit_id, path, code, name in await session.execute(_scoped(base, unit_ids))
    }
    tz = ZoneInfo(campaign.timezone)
    for pid, at in await session.execute(_scoped(_registrations(campaign.id), unit_ids)):
        if pid in rows:
            rows[pid].registered_on = at.astimezone(tz).date()
    for query, names in _measures(campaign.id, window):
        for pid, *values in await session.execute(_scoped(query, unit_ids)):
            if pid in rows:
                for name, value in zip(names, values, strict=True):
                    setattr(rows[pid], name, value)
    # Sorted here, not in SQL: PostgreSQL collations would order paths differently.
    return sorted(rows.values(), key=lambda r: (r.path, r.code))


def _scoped(query: Select[Any], unit_ids: Collection[int] | None) -> Select[Any]:
    """Restrict a query that involves Person to some units."""
    return query if unit_ids is None else query.where(Person.unit_id.in_(list(unit_ids)))


def _registrations(campaign_id: int) -> Select[Any]:
    return (
        select(Registration.person_id, Registration.registered_at)
        .join(Person, Registration.person_id == Person.id)
        .where(Registration.campaign_id == campaign_id)
    )


def _measures(campaign_id: int, window: Window) -> list[tuple[Select[Any], tuple[str, ...]]]:
    """(query returning person id + values, the PersonRow fields the values go to)."""
    in_span = _span(window)
    check_ins = (
        select(
            CheckIn.person_id,
            func.count(),
            func.count().filter(CheckIn.compliant.is_(True)),
            func.count().filter(CheckIn.late.is_(True)),
        )
        .join(Person, CheckIn.person_id == Person.id)
        .where(
            CheckIn.campaign_id == campaign_id,
            CheckIn.period_start.in_(window.periods),
            CheckIn.complete.is_(True),
        )
        .group_by(CheckIn.person_id)
    )
    violations = (
        select(ViolationReport.person_id, func.count())
        .join(Person, ViolationReport.person_id == Person.id)
        .where(
            ViolationReport.occurred_on >= window.first, ViolationReport.occurred_on <= window.last
        )
        .group_by(ViolationReport.person_id)
    )
    quiz = (
        select(
            QuizDelivery.person_id,
            func.count(),
            func.count().filter(QuizDelivery.correct.is_(True)),
        )
        .join(Person, QuizDelivery.person_id == Person.id)
        .where(*in_span(QuizDelivery.answered_at))
        .group_by(QuizDelivery.person_id)
    )
    reminders = (
        select(
            ReminderDelivery.person_id,
            func.count(),
            func.count(ReminderDelivery.acknowledged_at),
        )
        .join(Person, ReminderDelivery.person_id == Person.id)
        .where(*in_span(ReminderDelivery.sent_at))
        .group_by(ReminderDelivery.person_id)
    )
    reads = (
        select(
            BroadcastRecipient.person_id,
            func.count().filter(delivered()),
            func.count(BroadcastRecipient.read_at),
        )
        .join(Person, BroadcastRecipient.person_id == Person.id)
        .join(Broadcast, BroadcastRecipient.broadcast_id == Broadcast.id)
        .where(*in_span(Broadcast.started_at))
        .group_by(BroadcastRecipient.person_id)
    )
    return [
        (check_ins, ("reported", "compliant", "late")),
        (violations, ("violations",)),
        (quiz, ("answered", "correct")),
        (reminders, ("reminders", "acknowledged")),
        (reads, ("delivered", "read")),
    ]


def _span(window: Window):
    """A column's condition for 'within the window'."""
    return lambda column: (column >= window.start, column < window.end)
