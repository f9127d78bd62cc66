"""A manager's view of the current period for one unit: named participation, private counts.

What is hidden below the privacy threshold is decided in `disclosure`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Campaign, CheckIn, Registration, Unit, ViolationReport
from bot.services import disclosure
from bot.services.campaigns import Period, participants
from bot.services.digest import board


@dataclass(frozen=True, slots=True)
class UnitStatus:
    """Who took part in one period, in one unit and everything below it."""

    path: str
    people: int
    registered: int
    unregistered: list[str]
    answered: int
    late: int
    compliant: int | None  # None: hidden, too few reported to stay anonymous
    missing: list[str]
    violations: int | None  # None: hidden, the group is too small to stay anonymous


async def decisions(
    session: AsyncSession, *, campaign: Campaign, period: Period
) -> disclosure.Decisions:
    """What may be shown of each unit in the period: the weekly digest's own decisions."""
    return (await board(session, campaign=campaign, monday=period.start, topics={})).rule


async def unit_status(
    session: AsyncSession,
    *,
    campaign: Campaign,
    unit: Unit,
    period: Period,
    rule: disclosure.Decisions,
) -> UnitStatus:
    """Counts and names for `unit` in `period` (`rule`: from `decisions`)."""
    people = await participants(session, campaign=campaign, within=unit)
    ids = [p.id for p in people]
    check_ins = {
        c.person_id: c
        for c in (
            await session.execute(
                select(CheckIn).where(
                    CheckIn.campaign_id == campaign.id,
                    CheckIn.period_start == period.start,
                    CheckIn.person_id.in_(ids),
                    CheckIn.complete.is_(True),
                )
            )
        ).scalars()
    }
    registered = set(
        (
            await session.execute(
                select(Registration.person_id).where(
                    Registration.campaign_id == campaign.id, Registration.person_id.in_(ids)
                )
            )
        ).scalars()
    )
    violations = await _violations(session, ids, period)
    compliant = sum(bool(c.compliant) for c in check_ins.values())
    return UnitStatus(
        path=unit.path,
        people=len(people),
        registered=len(registered),
        unregistered=[p.full_name for p in people if p.id not in registered],
        answered=len(check_ins),
        late=sum(c.late for c in check_ins.values()),
        compliant=compliant if rule.compliance.shown(unit.id) else None,
        missing=[p.full_name for p in people if p.id not in check_ins],
        violations=violations if rule.violations.shown(unit.id) else None,
    )


async def _violations(session: AsyncSession, person_ids: list[int], period: Period) -> int:
    """Self-reported violations that happened within the period."""
    query = select(func.count()).where(
        ViolationReport.person_id.in_(person_ids),
        ViolationReport.occurred_on >= period.start,
        ViolationReport.occurred_on <= period.end,
    )
    return (await session.execute(query)).scalar_one()
