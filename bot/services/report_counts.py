"""Per-unit aggregates over all units at once: one SQL query per measure, one row per unit.

Each query groups by the person's own unit; `report_tree` rolls the rows up the tree.
Inactive people are left out everywhere; units outside the campaign are dropped later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date, timedelta

from sqlalchemy import case, distinct, exists, func, literal, outerjoin, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    CheckIn,
    Outbox,
    OutboxStatus,
    Person,
    QuizDelivery,
    Unit,
)
from bot.services.report_tree import Counts, Tree
from bot.services.report_window import Window


async def load_tree(session: AsyncSession) -> Tree:
    """Every unit (id, parent, path, name, depth)."""
    query = select(Unit.id, Unit.parent_id, Unit.path, Unit.name, Unit.depth)
    return Tree((await session.execute(query)).all())


async def no_jit(session: AsyncSession) -> None:
    """PostgreSQL: no JIT here; compiling these short aggregates costs more than it saves."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SET LOCAL jit = off"))


async def unit_counts(
    session: AsyncSession, *, campaign_id: int, window: Window, topics: Mapping[str, str]
) -> dict[int, Counts]:
    """Own-people counts per unit id for a one-week window (and the week before it)."""
    await no_jit(session)
    counts: dict[int, Counts] = defaultdict(Counts)
    for unit_id, people in await session.execute(_people()):
        counts[unit_id].people = people
    (monday,) = window.periods
    weeks = (monday, monday - timedelta(days=7))
    for unit_id, period, reported, compliant, late in await session.execute(
        _check_ins(campaign_id, weeks)
    ):
        c = counts[unit_id]
        if period == monday:
            c.reported, c.compliant, c.late = reported, compliant, late
        else:
            c.prev_reported, c.prev_compliant = reported, compliant
    for unit_id, people in await session.execute(_quiz_people(window)):
        counts[unit_id].quiz_people = people
    for unit_id, topic, answered, correct in await session.execute(_quiz_topics(window, topics)):
        c = counts[unit_id]
        c.topics[topic] = [answered, correct]
        c.answered += answered
        c.correct += correct
    for unit_id, delivered, read in await session.execute(_reads(window)):
        counts[unit_id].delivered, counts[unit_id].read = delivered, read
    return dict(counts)


def _people():
    """Active head count per unit."""
    return (
        select(Person.unit_id, func.count()).where(Person.active.is_(True)).group_by(Person.unit_id)
    )


def _check_ins(campaign_id: int, periods: tuple[date, ...]):
    """Complete check-ins per unit and period: all, compliant, late."""
    rows = materialized(
        select(CheckIn.person_id, CheckIn.period_start, CheckIn.compliant, CheckIn.late).where(
            CheckIn.campaign_id == campaign_id,
            CheckIn.period_start.in_(periods),
            CheckIn.complete.is_(True),
        ),
        "week_check_ins",
    )
    return (
        select(
            Person.unit_id,
            rows.c.period_start,
            func.count(),
            func.count().filter(rows.c.compliant.is_(True)),
            func.count().filter(rows.c.late.is_(True)),
        )
        .join(Person, rows.c.person_id == Person.id)
        .where(Person.active.is_(True))
        .group_by(Person.unit_id, rows.c.period_start)
    )


def materialized(query, name: str):
    """A CTE computed on its own before any join (both planners then range-scan its index).

    Left to themselves, SQLite and PostgreSQL walk every person and probe per person,
    which is several times slower than reading one week's rows in index order.
    """
    return query.cte(name).prefix_with("MATERIALIZED")


def _answered_in(window: Window):
    """Answers given within the window."""
    return (QuizDelivery.answered_at >= window.start) & (QuizDelivery.answered_at < window.end)


def _answers(window: Window):
    """The answers given within the window."""
    query = select(QuizDelivery.person_id, QuizDelivery.item_id, QuizDelivery.correct)
    return materialized(query.where(_answered_in(window)), "answers")


def _quiz_people(window: Window):
    """People per unit who answered at least one question."""
    answers = _answers(window)
    return (
        select(Person.unit_id, func.count(distinct(answers.c.person_id)))
        .join(Person, answers.c.person_id == Person.id)
        .where(Person.active.is_(True))
        .group_by(Person.unit_id)
    )


def _quiz_topics(window: Window, topics: Mapping[str, str]):
    """Answers and correct answers per unit and topic (questions mapped to topics in SQL)."""
    answers = _answers(window)
    general = literal("general")
    topic = case(dict(topics), value=answers.c.item_id, else_=general) if topics else general
    rows = (
        select(
            Person.unit_id.label("unit_id"),
            topic.label("topic"),
            answers.c.correct.label("correct"),
        )
        .join(Person, answers.c.person_id == Person.id)
        .where(Person.active.is_(True))
        .subquery()
    )
    return select(
        rows.c.unit_id, rows.c.topic, func.count(), func.count().filter(rows.c.correct.is_(True))
    ).group_by(rows.c.unit_id, rows.c.topic)


def delivered():
    """The recipient's copy was sent: one primary-key probe per copy.

    A join would let PostgreSQL hash the whole outbox (every message ever sent) for the
    few announcements of one week.
    """
    return exists().where(
        Outbox.id == BroadcastRecipient.outbox_id, Outbox.status == OutboxStatus.SENT
    )


def _reads(window: Window):
    """Copies of announcements started in the window: delivered and read, per unit."""
    return (
        select(
            BroadcastRecipient.unit_id,
            func.count().filter(delivered()),
            func.count(BroadcastRecipient.read_at),
        )
        .join(Broadcast, BroadcastRecipient.broadcast_id == Broadcast.id)
        .where(Broadcast.started_at >= window.start, Broadcast.started_at < window.end)
        .group_by(BroadcastRecipient.unit_id)
    )


async def missing_names(
    session: AsyncSession, *, campaign_id: int, monday: date, cap: int
) -> dict[int, list[str]]:
    """Per unit, up to `cap` active people without a complete check-in, in roster order."""
    reported = outerjoin(
        Person,
        CheckIn,
        (CheckIn.person_id == Person.id)
        & (CheckIn.campaign_id == campaign_id)
        & (CheckIn.period_start == monday)
        & CheckIn.complete.is_(True),
    )
    # Person id order follows the index on unit_id (no sort) and is the same on both databases.
    order = func.row_number().over(partition_by=Person.unit_id, order_by=Person.id)
    ranked = (
        select(Person.unit_id, Person.full_name, Person.id, order.label("n"))
        .select_from(reported)
        .where(Person.active.is_(True), CheckIn.id.is_(None))
        .subquery()
    )
    query = (
        select(ranked.c.unit_id, ranked.c.full_name)
        .where(ranked.c.n <= cap)
        .order_by(ranked.c.unit_id, ranked.c.id)
    )
    names: dict[int, list[str]] = {}
    for unit_id, name in await session.execute(query):
        names.setdefault(unit_id, []).append(name)
    return names


async def trend(
    session: AsyncSession,
    *,
    campaign_id: int,
    first: date,
    last: date,
    unit_ids: Collection[int] | None = None,
) -> dict[date, dict[int, tuple[int, int]]]:
    """Per period in [first, last] and unit (all, or `unit_ids`): (check-ins, compliant)."""
    query = (
        select(
            CheckIn.period_start,
            Person.unit_id,
            func.count(),
            func.count().filter(CheckIn.compliant.is_(True)),
        )
        .join(Person, CheckIn.person_id == Person.id)
        .where(
            CheckIn.campaign_id == campaign_id,
            CheckIn.period_start >= first,
            CheckIn.period_start <= last,
            CheckIn.complete.is_(True),
            Person.active.is_(True),
        )
        .group_by(CheckIn.period_start, Person.unit_id)
    )
    if unit_ids is not None:
        query = query.where(Person.unit_id.in_(list(unit_ids)))
    found: dict[date, dict[int, tuple[int, int]]] = {}
    for period, unit_id, reported, compliant in await session.execute(query):
        found.setdefault(period, {})[unit_id] = (reported, compliant)
    return found
