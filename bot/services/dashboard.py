"""The manager dashboard: one viewer's scope over recent weeks, built from the digest's services.

Who may see what is decided here, not in the web routes: employees see nothing, managers
their own unit and those below it, admins everything. Figures come from the weekly digest
(`digest.board`), the trend query and the per-person rows of the report workbooks, and
compliance and violations are shown only where `disclosure` (through the board) allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.texts import t
from bot.db.models import (
    Campaign,
    CheckIn,
    Person,
    QuizDelivery,
    ReminderDelivery,
    Role,
    Unit,
    ViolationReport,
)
from bot.services import org, report_counts
from bot.services.campaigns import period_of
from bot.services.digest import Board, Digest, board, digest_for
from bot.services.digest_chart import Point, trend_points
from bot.services.digest_report import newest_first, scope_units, week_rules
from bot.services.digest_text import topic_label
from bot.services.exports import Percent, Sheet, workbook_bytes
from bot.services.report_book import Book, book_sheets
from bot.services.report_people import people_rows
from bot.services.report_tree import Counts, pct
from bot.services.report_window import Window, days

VIEWERS = frozenset({Role.MANAGER, Role.ADMIN})
WEEK_CHOICES = (4, 8, 12)
DEFAULT_WEEKS = 8
WEAK_TOPICS = 3
NAMES_SHOWN = 100


class Refused(Exception):
    """The viewer may not see this page (status 403) or there is nothing to show (404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Line:
    """One unit directly below the scope, as a row of the unit table."""

    id: int
    name: str
    people: int
    reported: int
    rank: int | None
    accuracy: int | None  # quiz, whole percent
    compliance: int | None  # None: hidden (or nobody reported)
    compliance_shown: bool
    violations: int | None  # None: hidden
    has_children: bool


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the page and its workbook show."""

    campaign: Campaign
    weeks: int
    scope: int | None  # None: the whole organisation (an admin with several top units)
    label: str
    crumbs: list[tuple[int | None, str]]  # the way back up, within the viewer's reach
    digest: Digest  # this week so far
    points: list[Point]  # the chosen weeks, oldest first
    average: int | None  # participation over the chosen weeks
    previous: int | None  # over the same number of weeks before them (None: no such weeks)
    topics: list[tuple[str, int, int]]  # (topic, answered, correct) over the weeks, weakest first
    violations: int | None  # this week; None: hidden
    reminders: tuple[int, int]  # (acknowledged, received) this week
    lines: list[Line]
    missing: list[tuple[str, str]]  # (unit path, name): the first this week's non-reporters
    data: Board
    units: list[int]  # participating units of the scope, path order
    generated: datetime

    @property
    def missing_count(self) -> int:
        """Everyone of the scope without a complete check-in this week."""
        return self.digest.counts.people - self.digest.counts.reported

    @property
    def weak(self) -> list[tuple[str, int, int]]:
        """Topics with wrong answers, weakest first."""
        return [row for row in self.topics if row[2] < row[1]][:WEAK_TOPICS]


async def viewer_scope(
    session: AsyncSession, *, viewer: Person, unit_id: int | None
) -> Unit | None:
    """The unit the viewer asked for (None: their whole reach), refused outside their reach."""
    if viewer.role not in VIEWERS:
        raise Refused(403, t("dashboard.forbidden"))
    if unit_id is None:
        return None if viewer.role == Role.ADMIN else await session.get(Unit, viewer.unit_id)
    unit = await session.get(Unit, unit_id)
    # Another unit's id is refused exactly like a missing one: nothing learnt from guessing.
    if unit is None or not org.can_manage(viewer, unit):
        raise Refused(403, t("dashboard.not_yours"))
    return unit


async def started_campaigns(session: AsyncSession, *, now: datetime) -> list[tuple[Campaign, date]]:
    """Campaigns that have started, newest first, with the Monday of their latest week so far."""
    found = []
    for campaign in await newest_first(session):
        monday = period_of(campaign, now).start
        last = campaign.ends_on - timedelta(days=campaign.ends_on.weekday())
        if monday + timedelta(days=6) >= campaign.starts_on:
            found.append((campaign, min(monday, last)))
    return found


async def build(
    session: AsyncSession,
    *,
    viewer: Person,
    unit_id: int | None,
    weeks: int,
    now: datetime,
    topics: Mapping[str, str],
) -> Dashboard:
    """The viewer's dashboard of `unit_id` (None: their whole reach) over the last `weeks`."""
    unit = await viewer_scope(session, viewer=viewer, unit_id=unit_id)
    weeks = weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS
    started = await started_campaigns(session, now=now)
    if not started:
        raise Refused(404, t("dashboard.no_campaign"))
    # The newest campaign the scope takes part in (campaigns may cover different units).
    for campaign, monday in started:
        data = await board(session, campaign=campaign, monday=monday, topics=topics, names=False)
        digest = digest_for(data, scope=unit.id if unit else None)
        if digest is not None:
            break
    else:
        raise Refused(404, t("dashboard.nobody"))
    scope = digest.unit_id
    units = scope_units(data, scope)
    first = _first(campaign)
    shown_from = max(first, monday - timedelta(days=7 * (weeks - 1)))
    before_from = max(first, shown_from - timedelta(days=7 * weeks))
    # Every unit, not only the scope's: whether a unit may be shown also depends on the
    # units around it (a shown total minus shown parts must not isolate a small group).
    trend = await report_counts.trend(
        session, campaign_id=campaign.id, first=shown_from, last=monday
    )
    rules = week_rules(trend, data)
    if before_from < shown_from:  # the weeks before: participation only, the scope only
        before = shown_from - timedelta(days=7)
        trend |= await report_counts.trend(
            session, campaign_id=campaign.id, first=before_from, last=before, unit_ids=units
        )

    def visible(week: date, reported: int) -> bool:
        rule = rules.get(week)
        if rule is None:
            return False
        if scope is None:
            return rule.shown_over(reported, data.tree.children.get(None, []))
        return rule.shown(scope)

    people = digest.counts.people
    mondays = _mondays(before_from, monday)
    every = trend_points(trend, units=units, people=people, mondays=mondays, visible=visible)
    points = [p for p in every if p.monday >= shown_from]
    earlier = [p for p in every if p.monday < shown_from]
    totals = data.tree.rollup(await _week_counts(session, data.window), data.keep)
    period = days(campaign, shown_from, monday + timedelta(days=6), now=now)
    everywhere = len(units) == len(data.tree.nodes)
    topic_rows = await _topics(session, period, topics, None if everywhere else units)
    return Dashboard(
        campaign=campaign,
        weeks=weeks,
        scope=scope,
        label=digest.label or t("digest.whole_org"),
        crumbs=_crumbs(data, viewer, scope),
        digest=digest,
        points=points,
        average=_average(trend, units, people, [p.monday for p in points]),
        previous=_average(trend, units, people, [p.monday for p in earlier]) if earlier else None,
        topics=sorted(topic_rows, key=lambda r: (r[2] / r[1] if r[1] else 1, -r[1], r[0])),
        violations=_violations(data, scope, totals),
        reminders=_reminders(data, scope, totals),
        lines=_lines(data, scope, totals),
        missing=await _missing(session, data, units),
        data=data,
        units=units,
        generated=now,
    )


async def _week_counts(session: AsyncSession, window: Window) -> dict[int, Counts]:
    """Per own unit: the week's self-reported violations and reminders (received, confirmed)."""
    own: dict[int, Counts] = defaultdict(Counts)
    violations = (
        select(Person.unit_id, func.count())
        .select_from(ViolationReport)
        .join(Person, ViolationReport.person_id == Person.id)
        .where(
            Person.active.is_(True),
            ViolationReport.occurred_on >= window.first,
            ViolationReport.occurred_on <= window.last,
        )
        .group_by(Person.unit_id)
    )
    for unit_id, count in await session.execute(violations):
        own[unit_id].violations = count
    reminders = (
        select(Person.unit_id, func.count(), func.count(ReminderDelivery.acknowledged_at))
        .select_from(ReminderDelivery)
        .join(Person, ReminderDelivery.person_id == Person.id)
        .where(
            Person.active.is_(True),
            ReminderDelivery.sent_at >= window.start,
            ReminderDelivery.sent_at < window.end,
        )
        .group_by(Person.unit_id)
    )
    for unit_id, sent, acknowledged in await session.execute(reminders):
        own[unit_id].reminders, own[unit_id].acknowledged = sent, acknowledged
    return dict(own)


async def _topics(
    session: AsyncSession, window: Window, topics: Mapping[str, str], units: list[int] | None
) -> list[tuple[str, int, int]]:
    """(topic, answered, correct) over the window for the people of `units`.

    Grouped by question in SQL and mapped to topics here: a CASE over every question id,
    evaluated on each of a million answers, cost seconds at 100,000 people.
    """
    query = (
        select(
            QuizDelivery.item_id,
            func.count(),
            func.count().filter(QuizDelivery.correct.is_(True)),
        )
        .join(Person, QuizDelivery.person_id == Person.id)
        .where(
            Person.active.is_(True),
            QuizDelivery.answered_at >= window.start,
            QuizDelivery.answered_at < window.end,
        )
        .group_by(QuizDelivery.item_id)
    )
    if units is not None:  # None: every unit (a list of thousands of ids slows the plan)
        query = query.where(Person.unit_id.in_(units))
    found: dict[str, list[int]] = {}
    for item_id, answered, correct in await session.execute(query):
        mine = found.setdefault(topics.get(item_id, "general"), [0, 0])
        mine[0] += answered
        mine[1] += correct
    return [(topic, answered, correct) for topic, (answered, correct) in found.items()]


async def _missing(session: AsyncSession, data: Board, units: list[int]) -> list[tuple[str, str]]:
    """Up to NAMES_SHOWN of the scope's non-reporters this week (lowest unit ids), by unit path."""
    reported = (
        select(CheckIn.id)
        .where(
            CheckIn.person_id == Person.id,
            CheckIn.campaign_id == data.campaign.id,
            CheckIn.period_start == data.window.first,
            CheckIn.complete.is_(True),
        )
        .exists()
    )
    query = (
        select(Person.unit_id, Person.full_name)
        .where(Person.active.is_(True), Person.unit_id.in_(units), ~reported)
        .order_by(Person.unit_id, Person.id)
        .limit(NAMES_SHOWN)
    )
    found = [(data.tree.nodes[u].path, name) for u, name in await session.execute(query)]
    return sorted(found, key=lambda row: row[0])  # stable: roster order within a unit


async def export(session: AsyncSession, dashboard: Dashboard) -> Book:
    """The scope's per-person rows of the week, for the workbook."""
    data = dashboard.data
    rows = await people_rows(
        session, campaign=dashboard.campaign, window=data.window, unit_ids=dashboard.units
    )
    return Book(
        dashboard.campaign,
        data.window,
        data.tree,
        dashboard.units,
        dashboard.scope,
        rows,
        dashboard.generated,
    )


def _first(campaign: Campaign) -> date:
    return campaign.starts_on - timedelta(days=campaign.starts_on.weekday())


def _mondays(first: date, last: date) -> list[date]:
    found = []
    while first <= last:
        found.append(first)
        first += timedelta(days=7)
    return found


def _average(trend, units, people: int, mondays: list[date]) -> int | None:
    """Participation over several weeks: check-ins over people × weeks."""
    reported = sum(trend.get(m, {}).get(u, (0, 0))[0] for m in mondays for u in units)
    return pct(reported, people * len(mondays))


def _crumbs(data: Board, viewer: Person, scope: int | None) -> list[tuple[int | None, str]]:
    """The scope's ancestors the viewer may open, top first (admins start at the organisation)."""
    found: list[tuple[int | None, str]] = []
    node = data.tree.nodes.get(scope) if scope is not None else None
    while node is not None:
        found.append((node.id, node.name))
        if viewer.role != Role.ADMIN and node.id == viewer.unit_id:
            break
        node = data.tree.nodes.get(node.parent_id) if node.parent_id is not None else None
    if viewer.role == Role.ADMIN and len(data.tree.children.get(None, [])) > 1:
        found.append((None, t("digest.whole_org")))
    return list(reversed(found))


def _tops(data: Board, scope: int | None) -> list[int]:
    return data.tree.children.get(None, []) if scope is None else [scope]


def _violations(data: Board, scope: int | None, totals: dict[int, Counts]) -> int | None:
    """This week's self-reported violations, where the one privacy rule allows them."""
    tops = [u for u in _tops(data, scope) if u in totals]
    count = sum(totals[u].violations for u in tops)
    people = sum(totals[u].people for u in tops)
    if scope is None:
        return count if data.rule.violations.shown_over(people, tops) else None
    return count if data.rule.violations.shown(scope) else None


def _reminders(data: Board, scope: int | None, totals: dict[int, Counts]) -> tuple[int, int]:
    tops = [u for u in _tops(data, scope) if u in totals]
    return sum(totals[u].acknowledged for u in tops), sum(totals[u].reminders for u in tops)


def _lines(data: Board, scope: int | None, totals: dict[int, Counts]) -> list[Line]:
    """The units directly below the scope that have people, best first."""
    below = _tops(data, None) if scope is None else data.tree.children.get(scope, [])
    found = []
    for unit_id in below:
        c = data.totals[unit_id]
        if not c.people or unit_id not in data.keep:
            continue
        compliance_shown = data.rule.compliance.shown(unit_id)
        found.append(
            Line(
                id=unit_id,
                name=data.tree.nodes[unit_id].name,
                people=c.people,
                reported=c.reported,
                rank=data.ranks.get(unit_id),
                accuracy=pct(c.correct, c.answered),
                compliance=pct(c.compliant, c.reported) if compliance_shown else None,
                compliance_shown=compliance_shown,
                violations=totals[unit_id].violations
                if data.rule.violations.shown(unit_id) and unit_id in totals
                else None,
                has_children=any(
                    data.totals[k].people for k in data.tree.children.get(unit_id, [])
                ),
            )
        )
    found.sort(key=lambda line: (line.rank or 0, line.name))
    return found


def workbook(dashboard: Dashboard, book: Book) -> bytes:
    """The view as a workbook: the digest workbook's sheets and the weeks of the chart."""
    header = t("dashboard.weeks_header").split("|")
    rows = [
        [
            p.monday,
            p.monday + timedelta(days=6),
            Percent(p.reported or 0, 100) if p.reported is not None else None,
            Percent(p.compliant, 100) if p.compliant is not None else t("privacy.hidden_cell"),
        ]
        for p in dashboard.points
    ]
    weeks = Sheet(t("dashboard.sheet_weeks"), header, rows)
    topic_header = t("dashboard.topics_header").split("|")
    topic_rows = [[topic_label(k), a, c, Percent(c, a)] for k, a, c in dashboard.topics]
    topics = Sheet(t("dashboard.sheet_topics"), topic_header, topic_rows)
    return workbook_bytes([*book_sheets(book, ranked=False), weeks, topics])
