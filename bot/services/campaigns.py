"""Campaigns: creation, which one applies to a person, weekly periods and participants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from bot.db.models import Campaign, CampaignUnit, Person, Unit
from bot.services.org import ancestor_paths, subtree_filter

DEFAULT_FORM: list[dict[str, Any]] = [
    # Statements answered "Có" when kept: no double negatives ("Không" to "không vi phạm").
    {"key": "no_violation", "text": "Tuần này tôi chấp hành đúng luật giao thông."},
    {"key": "protective", "text": "Tôi luôn đội mũ bảo hiểm / thắt dây an toàn."},
    {"key": "no_alcohol", "text": "Tôi chấp hành quy định về nồng độ cồn khi lái xe."},
]


@dataclass(frozen=True, slots=True)
class Period:
    """One weekly check-in period in the campaign's timezone."""

    start: date  # Monday
    due: datetime  # answers after this are late

    @property
    def end(self) -> date:
        """The period's last day (Sunday)."""
        return self.start + timedelta(days=6)


def period_of(campaign: Campaign, moment: datetime) -> Period:
    """The weekly period containing `moment`."""
    tz = ZoneInfo(campaign.timezone)
    local = moment.astimezone(tz).date()
    start = local - timedelta(days=local.weekday())
    due_day = start + timedelta(days=campaign.due_weekday)
    due = datetime.combine(due_day, time.fromisoformat(campaign.due_time), tzinfo=tz)
    return Period(start, due)


def is_running(campaign: Campaign, moment: datetime) -> bool:
    """Is `moment` within the campaign's dates (its own timezone)?"""
    day = moment.astimezone(ZoneInfo(campaign.timezone)).date()
    return campaign.starts_on <= day <= campaign.ends_on


async def create_campaign(
    session: AsyncSession,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    units: Sequence[Unit],
    timezone: str,
    now: datetime,
    plan_id: int | None = None,
    form: list[dict[str, Any]] | None = None,
) -> Campaign:
    """A new campaign over the given units (each with its sub-units)."""
    campaign = Campaign(
        name=name,
        plan_id=plan_id,
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        form=form or DEFAULT_FORM,
        created_at=now,
        units=[CampaignUnit(unit_id=unit.id) for unit in units],
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def campaign_for(session: AsyncSession, *, person: Person, now: datetime) -> Campaign | None:
    """The newest running campaign that includes the person's unit."""
    ancestors = ancestor_paths(person.unit.path)
    query = (
        select(Campaign)
        .join(CampaignUnit)
        .join(Unit, CampaignUnit.unit_id == Unit.id)
        .where(Unit.path.in_(ancestors))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        .options(selectinload(Campaign.units).selectinload(CampaignUnit.unit))
    )
    for campaign in (await session.execute(query)).scalars().unique():
        if is_running(campaign, now):
            return campaign
    return None


async def running_campaigns(session: AsyncSession, *, now: datetime) -> list[Campaign]:
    """Campaigns whose dates include `now`, with their units loaded."""
    query = select(Campaign).options(selectinload(Campaign.units).selectinload(CampaignUnit.unit))
    return [c for c in (await session.execute(query)).scalars() if is_running(c, now)]


def participant_filter(campaign: Campaign, *, within: Unit | None = None) -> ColumnElement[bool]:
    """SQL condition on Unit selecting the campaign's units (optionally inside `within`)."""
    condition = or_(*(subtree_filter(link.unit) for link in campaign.units))
    return condition if within is None else condition & subtree_filter(within)


async def participants(
    session: AsyncSession, *, campaign: Campaign, within: Unit | None = None
) -> Sequence[Person]:
    """Active people taking part (optionally only inside one unit's subtree)."""
    query = (
        select(Person)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.active.is_(True), participant_filter(campaign, within=within))
        .options(selectinload(Person.unit))
        .order_by(Unit.path, Person.full_name)
    )
    return (await session.execute(query)).scalars().all()


async def participant_ids(session: AsyncSession, *, campaign: Campaign) -> set[int]:
    """The ids of the active people taking part (jobs need no more than that)."""
    query = (
        select(Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.active.is_(True), participant_filter(campaign))
    )
    return set((await session.execute(query)).scalars())


async def load(session: AsyncSession, campaign_id: int) -> Campaign | None:
    """A campaign with its units."""
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.units).selectinload(CampaignUnit.unit))
    )
    return (await session.execute(query)).scalar_one_or_none()
