"""Reports over any range of days, and the year-end evidence pack for emulation awards."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import Campaign, CampaignUnit, Unit
from bot.services import report_counts
from bot.services.report_book import Book, privacy, unit_totals
from bot.services.report_people import people_rows
from bot.services.report_tree import Counts
from bot.services.report_window import Window, days


async def pick_campaign(
    session: AsyncSession, *, unit: Unit | None, first: date, last: date
) -> Campaign | None:
    """The newest campaign overlapping the days that includes part of `unit` (any for None)."""
    query = (
        select(Campaign)
        .options(selectinload(Campaign.units).selectinload(CampaignUnit.unit))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    )
    tree = await report_counts.load_tree(session)
    wanted = tree.within(unit.id if unit else None)
    for campaign in (await session.execute(query)).scalars():
        overlaps = campaign.starts_on <= last and first <= campaign.ends_on
        if overlaps and tree.participating(campaign) & wanted:
            return campaign
    return None


async def build(
    session: AsyncSession,
    *,
    campaign: Campaign,
    window: Window,
    unit: Unit | None,
    now: datetime,
) -> Book:
    """Everything a workbook needs for the campaign's people in `unit` (everyone for None)."""
    tree = await report_counts.load_tree(session)
    keep = tree.participating(campaign) & tree.within(unit.id if unit else None)
    units = [n.id for n in sorted(tree.nodes.values(), key=lambda n: n.path) if n.id in keep]
    rows = await people_rows(session, campaign=campaign, window=window, unit_ids=units)
    return Book(campaign, window, tree, units, unit.id if unit else None, rows, now)


async def campaign_review(session: AsyncSession, *, campaign: Campaign, now: datetime) -> Book:
    """The whole campaign, every participant: weeks counted once their deadline has passed."""
    window = days(campaign, campaign.starts_on, campaign.ends_on, now=now)
    return await build(session, campaign=campaign, window=window, unit=None, now=now)


def unit_lines(book: Book) -> list[tuple[str, Counts, bool]]:
    """(path, figures with sub-units, compliance may be shown) per unit with people, by path."""
    totals = unit_totals(book)
    rule = privacy(book).rule
    return [
        (book.tree.nodes[u].path, totals[u], rule.compliance.shown(u))
        for u in book.units
        if totals[u].people
    ]
