"""Registration, weekly check-ins, self-reported violations and nudges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Campaign, CheckIn, Nudge, Registration, ViolationReport
from bot.services.campaigns import Period, participant_ids, period_of
from bot.services.notify import Recipient

VIOLATION_KINDS = (
    "alcohol", "helmet", "phone", "speed", "seatbelt", "signs", "right_of_way", "other",
)  # fmt: skip


async def register(
    session: AsyncSession, *, campaign: Campaign, person_id: int, now: datetime
) -> bool:
    """Sign the campaign commitment; True the first time, False if already registered."""
    try:
        async with session.begin_nested():
            session.add(
                Registration(campaign_id=campaign.id, person_id=person_id, registered_at=now)
            )
    except IntegrityError:
        return False
    return True


async def registered(session: AsyncSession, *, campaign_id: int, person_id: int) -> bool:
    """Has the person registered for this campaign?"""
    query = select(Registration.id).where(
        Registration.campaign_id == campaign_id, Registration.person_id == person_id
    )
    return (await session.execute(query)).first() is not None


def open_period(campaign: Campaign, *, period_start: date, now: datetime) -> Period:
    """The period a button refers to, if it is still open; else a UserError."""
    current = period_of(campaign, now)
    if period_start != current.start:
        raise UserError(t("checkin.closed"))
    return current


async def current(
    session: AsyncSession, *, campaign: Campaign, person_id: int, period: Period
) -> CheckIn | None:
    """This period's check-in of a person, if any."""
    query = select(CheckIn).where(
        CheckIn.campaign_id == campaign.id,
        CheckIn.person_id == person_id,
        CheckIn.period_start == period.start,
    )
    return (await session.execute(query)).scalar_one_or_none()


async def answer(
    session: AsyncSession,
    *,
    campaign: Campaign,
    person_id: int,
    period: Period,
    now: datetime,
    answers: dict[str, bool] | None = None,
    note: str | None = None,
) -> CheckIn:
    """Merge answers (and a note) into this period's check-in; one row per person and period."""
    check_in = await current(session, campaign=campaign, person_id=person_id, period=period)
    if check_in is None:
        check_in = await _create(
            session, campaign=campaign, person_id=person_id, period=period, now=now
        )
    merged = {**check_in.answers, **(answers or {})}
    keys = [question["key"] for question in campaign.form]
    check_in.answers = {key: merged[key] for key in keys if key in merged}
    if note is not None:
        check_in.note = note.strip()[:1000] or None
    was_complete = check_in.complete
    check_in.complete = all(key in check_in.answers for key in keys)
    check_in.compliant = all(check_in.answers.values()) if check_in.complete else None
    if check_in.complete and not was_complete:
        check_in.late = now > period.due
    check_in.updated_at = now
    await session.flush()
    return check_in


async def _create(
    session: AsyncSession, *, campaign: Campaign, person_id: int, period: Period, now: datetime
) -> CheckIn:
    """Insert the period's row; a concurrent insert of the same key wins and is reused."""
    row = CheckIn(
        campaign_id=campaign.id,
        person_id=person_id,
        period_start=period.start,
        answers={},
        complete=False,
        late=False,
        submitted_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = await current(session, campaign=campaign, person_id=person_id, period=period)
        assert existing is not None
        return existing
    return row


async def report_violation(
    session: AsyncSession,
    *,
    person_id: int,
    campaign_id: int | None,
    kind: str,
    occurred_on: date,
    note: str | None,
    now: datetime,
) -> ViolationReport:
    """Record a self-reported violation."""
    if kind not in VIOLATION_KINDS:
        raise UserError(t("violation.unknown_kind"))
    report = ViolationReport(
        person_id=person_id,
        campaign_id=campaign_id,
        kind=kind,
        occurred_on=occurred_on,
        note=(note or "").strip()[:1000] or None,
        created_at=now,
    )
    session.add(report)
    await session.flush()
    return report


async def reports_in_period(
    session: AsyncSession, *, person_id: int, period: Period
) -> Sequence[ViolationReport]:
    """The person's self-reported violations that happened within the period, oldest first."""
    query = (
        select(ViolationReport)
        .where(
            ViolationReport.person_id == person_id,
            ViolationReport.occurred_on >= period.start,
            ViolationReport.occurred_on <= period.end,
        )
        .order_by(ViolationReport.occurred_on, ViolationReport.id)
    )
    return (await session.execute(query)).scalars().all()


async def answered_ids(session: AsyncSession, *, campaign_id: int, period_start: date) -> set[int]:
    """People with a complete check-in for the period."""
    query = select(CheckIn.person_id).where(
        CheckIn.campaign_id == campaign_id,
        CheckIn.period_start == period_start,
        CheckIn.complete.is_(True),
    )
    return set((await session.execute(query)).scalars())


async def missing(
    session: AsyncSession, *, campaign: Campaign, period: Period, reachable: Sequence[Recipient]
) -> list[Recipient]:
    """Reachable participants of the campaign without a complete check-in for the period."""
    done = await answered_ids(session, campaign_id=campaign.id, period_start=period.start)
    people = await participant_ids(session, campaign=campaign)
    return [r for r in reachable if r.person_id in people and r.person_id not in done]


async def may_nudge(
    session: AsyncSession, *, campaign: Campaign, person_id: int, period: Period, today: date
) -> bool:
    """Record a nudge if the person is under the period's limit and was not nudged today."""
    count = await session.scalar(
        select(func.count()).where(
            Nudge.campaign_id == campaign.id,
            Nudge.person_id == person_id,
            Nudge.period_start == period.start,
        )
    )
    if (count or 0) >= campaign.nudge_limit:
        return False
    try:
        async with session.begin_nested():
            session.add(
                Nudge(
                    campaign_id=campaign.id,
                    person_id=person_id,
                    period_start=period.start,
                    sent_on=today,
                )
            )
    except IntegrityError:
        return False
    return True


async def own_history(
    session: AsyncSession, *, person_id: int
) -> tuple[Sequence[Registration], Sequence[CheckIn], Sequence[ViolationReport]]:
    """A person's registrations, check-ins (newest first) and self-reports."""
    registrations = (
        (await session.execute(select(Registration).where(Registration.person_id == person_id)))
        .scalars()
        .all()
    )
    check_ins = (
        (
            await session.execute(
                select(CheckIn)
                .where(CheckIn.person_id == person_id)
                .order_by(CheckIn.period_start.desc())
            )
        )
        .scalars()
        .all()
    )
    reports = (
        (
            await session.execute(
                select(ViolationReport)
                .where(ViolationReport.person_id == person_id)
                .order_by(ViolationReport.occurred_on.desc())
            )
        )
        .scalars()
        .all()
    )
    return registrations, check_ins, reports
