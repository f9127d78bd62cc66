"""Leaderboards: units compared per head (participation, accuracy), people by correct answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person, QuizDelivery, Unit
from bot.services.org import subtree_filter


@dataclass(frozen=True, slots=True)
class UnitStanding:
    """One unit's quiz record over a period, normalised by its head count."""

    path: str
    people: int
    participants: int
    answered: int
    correct: int

    @property
    def participation(self) -> float:
        """Share of the unit's people who answered at least one question."""
        return self.participants / self.people if self.people else 0.0

    @property
    def accuracy(self) -> float:
        """Share of correct answers."""
        return self.correct / self.answered if self.answered else 0.0


async def unit_standings(
    session: AsyncSession, *, parent_id: int | None, since: datetime
) -> list[UnitStanding]:
    """Sibling units under `parent_id` (roots when None), best first."""
    query = select(Unit).where(
        Unit.parent_id == parent_id if parent_id is not None else Unit.parent_id.is_(None)
    )
    units = (await session.execute(query)).scalars().all()
    standings = [await _standing(session, unit, since) for unit in units]
    return sorted(standings, key=lambda s: (-s.participation, -s.accuracy, s.path))


async def _standing(session: AsyncSession, unit: Unit, since: datetime) -> UnitStanding:
    people = (
        select(Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(subtree_filter(unit), Person.active.is_(True))
    )
    headcount = await session.scalar(select(func.count()).select_from(people.subquery()))
    answers = select(
        func.count(distinct(QuizDelivery.person_id)),
        func.count(QuizDelivery.id),
        func.count(QuizDelivery.id).filter(QuizDelivery.correct.is_(True)),
    ).where(QuizDelivery.person_id.in_(people), QuizDelivery.answered_at >= since)
    participants, answered, correct = (await session.execute(answers)).one()
    return UnitStanding(unit.path, headcount or 0, participants, answered, correct)


async def top_people(
    session: AsyncSession, *, unit_id: int, since: datetime, limit: int = 10
) -> list[tuple[str, int, int]]:
    """(name, correct, answered) of the unit's people who answered in the period, best first."""
    correct = func.count(QuizDelivery.id).filter(QuizDelivery.correct.is_(True)).label("correct")
    answered = func.count(QuizDelivery.id).label("answered")
    query = (
        select(Person.full_name, correct, answered)
        .join(QuizDelivery, QuizDelivery.person_id == Person.id)
        .where(
            Person.unit_id == unit_id,
            Person.active.is_(True),
            QuizDelivery.answered_at >= since,
        )
        .group_by(Person.id, Person.full_name)
        .order_by(correct.desc(), answered, Person.full_name)
        .limit(limit)
    )
    return [(name, right, total) for name, right, total in (await session.execute(query)).all()]
