"""Digests as replies (text, trend chart, workbook): for one viewer on demand, or for many."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.messages import Attachment, Reply
from bot.core.texts import t
from bot.db.models import Campaign, CampaignUnit, Person
from bot.services import disclosure, report_counts
from bot.services.campaigns import period_of
from bot.services.checkin_views import day
from bot.services.digest import Board, Digest, board, digest_for, for_viewers, scope_of
from bot.services.digest_chart import chart_png, trend_points
from bot.services.digest_text import digest_text
from bot.services.report_book import Book, workbook
from bot.services.report_people import PersonRow, people_rows
from bot.services.report_tree import Counts


@dataclass(frozen=True, slots=True)
class Rendered:
    """A digest and the three replies that carry it."""

    digest: Digest
    replies: list[Reply]


async def newest_first(session: AsyncSession) -> list[Campaign]:
    """Every campaign with its units, the newest start first."""
    query = (
        select(Campaign)
        .options(selectinload(Campaign.units).selectinload(CampaignUnit.unit))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    )
    return list((await session.execute(query)).scalars())


async def candidates(
    session: AsyncSession, *, now: datetime, last_week: bool
) -> list[tuple[Campaign, date]]:
    """Campaigns running in the week reported on (with its Monday), newest first."""
    found = []
    for campaign in await newest_first(session):
        monday = period_of(campaign, now).start - timedelta(days=7 if last_week else 0)
        if campaign.starts_on <= monday + timedelta(days=6) and monday <= campaign.ends_on:
            found.append((campaign, monday))
    return found


async def for_viewer(
    session: AsyncSession,
    *,
    viewer: Person,
    now: datetime,
    topics: Mapping[str, str],
    last_week: bool,
) -> Rendered | None:
    """The viewer's digest of this week so far (or last week); None without participants."""
    for campaign, monday in await candidates(session, now=now, last_week=last_week):
        data = await board(session, campaign=campaign, monday=monday, topics=topics)
        found = digest_for(data, scope=scope_of(viewer))
        if found is None:
            continue
        units = scope_units(data, found.unit_id)
        # The whole organisation's trend: whether a unit's week may be shown depends on its
        # siblings too (subtraction), exactly as in the weekly digest job.
        trend = await report_counts.trend(
            session, campaign_id=campaign.id, first=_first(campaign), last=monday
        )
        rules = await asyncio.to_thread(week_rules, trend, data)
        rows = await people_rows(session, campaign=campaign, window=data.window, unit_ids=units)
        today = None if last_week else now.astimezone(ZoneInfo(campaign.timezone)).date()
        replies = await asyncio.to_thread(render, found, data, trend, rows, now, today, rules)
        return Rendered(found, replies)
    return None


@dataclass(frozen=True, slots=True)
class Pending:
    """One viewer's digest with everything its rendering needs (no database left to read)."""

    viewer: Person
    digest: Digest
    data: Board
    trend: Mapping[date, Mapping[int, tuple[int, int]]]
    rows: list[PersonRow]
    rules: Mapping[date, disclosure.Hidden]  # shared by all viewers of the board


async def gather_many(
    session: AsyncSession,
    *,
    campaign: Campaign,
    monday: date,
    topics: Mapping[str, str],
    viewers: Sequence[Person],
) -> list[Pending]:
    """Every viewer's digest from one board, one trend query and one people query."""
    data, found = await for_viewers(
        session, campaign=campaign, monday=monday, topics=topics, viewers=viewers
    )
    if not found:
        return []
    trend = await report_counts.trend(
        session, campaign_id=campaign.id, first=_first(campaign), last=monday
    )
    rules = await asyncio.to_thread(week_rules, trend, data)
    by_unit: dict[int, list[PersonRow]] = {}
    for row in await people_rows(session, campaign=campaign, window=data.window):
        by_unit.setdefault(row.unit_id, []).append(row)
    return [
        Pending(
            viewer,
            digest,
            data,
            trend,
            [r for u in scope_units(data, digest.unit_id) for r in by_unit.get(u, [])],
            rules,
        )
        for viewer, digest in found
    ]


async def render_many(pending: Sequence[Pending], now: datetime) -> list[tuple[Person, Rendered]]:
    """Text, chart and workbook per viewer, each in a worker thread."""
    results = []
    for item in pending:
        args = (item.digest, item.data, item.trend, item.rows, now, None, item.rules)
        replies = await asyncio.to_thread(render, *args)
        results.append((item.viewer, Rendered(item.digest, replies)))
    return results


def scope_units(data: Board, scope: int | None) -> list[int]:
    """Participating units of the scope, in path order."""
    tree = data.tree
    if scope is None:
        ordered = sorted(tree.nodes.values(), key=lambda n: n.path)
        return [n.id for n in ordered if n.id in data.keep]
    return [u for u in tree.walk(scope) if u in data.keep]


def week_rules(
    trend: Mapping[date, Mapping[int, tuple[int, int]]], data: Board
) -> dict[date, disclosure.Hidden]:
    """Per week, which units' compliance may be shown (the rule of the weekly figures).

    `trend` must cover the whole organisation: a unit may be hidden because showing it would
    let a parent's total minus its siblings single out a small group.
    """
    k = data.campaign.privacy_min_group
    rules = {}
    for monday, week in trend.items():
        own = {u: Counts(reported=reported) for u, (reported, _) in week.items()}
        totals = data.tree.rollup(own, data.keep)
        group = {u: c.reported for u, c in totals.items()}
        rules[monday] = disclosure.hidden_units(data.tree.children, group, k)
    return rules


def _first(campaign: Campaign) -> date:
    """Monday of the campaign's first period."""
    return campaign.starts_on - timedelta(days=campaign.starts_on.weekday())


def render(
    digest: Digest,
    data: Board,
    trend: Mapping[date, Mapping[int, tuple[int, int]]],
    rows: Sequence[PersonRow],
    now: datetime,
    today: date | None,
    rules: Mapping[date, disclosure.Hidden] | None = None,
) -> list[Reply]:
    """Text, chart and workbook (CPU-bound: callers run it in a thread)."""
    monday = data.window.first
    mondays = []
    week = _first(data.campaign)
    while week <= monday:
        mondays.append(week)
        week += timedelta(days=7)
    units = scope_units(data, digest.unit_id)
    if rules is None:
        rules = week_rules(trend, data)

    def visible(week: date, reported: int) -> bool:
        rule = rules.get(week)
        if rule is None:
            return False
        if digest.unit_id is None:
            return rule.shown_over(reported, data.tree.children.get(None, []))
        return rule.shown(digest.unit_id)

    points = trend_points(
        trend, units=units, people=digest.counts.people, mondays=mondays, visible=visible
    )
    label = digest.label or t("digest.whole_org")
    png = chart_png(points, unit=label)
    book = Book(data.campaign, data.window, data.tree, units, digest.unit_id, rows, now)
    xlsx = workbook(book, ranked=False)
    span = {"start": day(data.window.first), "end": day(data.window.last)}
    stamp = f"{monday:%Y%m%d}"
    return [
        Reply(digest_text(digest, today=today)),
        Reply(
            image=Attachment(f"xu-huong-{stamp}.png", png, t("digest.chart_caption", unit=label))
        ),
        Reply(
            document=Attachment(f"tong-hop-{stamp}.xlsx", xlsx, t("digest.xlsx_caption", **span))
        ),
    ]
