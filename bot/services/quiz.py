"""Quizzes: choosing the next question (spaced repetition), recording answers once, scores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content, QuizItem
from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import Quiz, Reply
from bot.core.texts import t
from bot.db.models import Person, QuizCard, QuizDelivery

# Leitner boxes: days until a question comes back after a correct answer in that box.
BOX_DAYS = (1, 3, 7, 21, 60)
RETRY_WRONG_AFTER = timedelta(days=1)
REF_PREFIX = "q"


def shuffle_key(person_id: int, item_id: str) -> str:
    """A stable per-person order, so colleagues do not all get the same question."""
    return hashlib.sha256(f"{person_id}:{item_id}".encode()).hexdigest()


async def pick_question(
    session: AsyncSession, *, person_id: int, content: Content, on: date, now: datetime
) -> QuizItem | None:
    """Due (wrong or ripe) questions first, then unseen ones, then the least recently due."""
    active = {item.id: item for item in content.active_quizzes(on)}
    if not active:
        return None
    query = select(QuizCard).where(QuizCard.person_id == person_id)
    cards = {card.item_id: card for card in (await session.execute(query)).scalars()}
    due = [c for c in cards.values() if c.item_id in active and c.due_at <= now]
    if due:
        return active[min(due, key=lambda c: (c.box, c.due_at)).item_id]
    unseen = [item_id for item_id in active if item_id not in cards]
    if unseen:
        return active[min(unseen, key=lambda i: shuffle_key(person_id, i))]
    known = [c for c in cards.values() if c.item_id in active]
    return active[min(known, key=lambda c: c.due_at).item_id]


async def deliver(
    session: AsyncSession, *, person_id: int, item: QuizItem, now: datetime, run_id: int | None
) -> Reply:
    """Record that the question was given, and the reply that asks it."""
    delivery = QuizDelivery(person_id=person_id, item_id=item.id, run_id=run_id, sent_at=now)
    session.add(delivery)
    await session.flush()
    return quiz_reply(item, delivery.id)


def quiz_reply(item: QuizItem, delivery_id: int) -> Reply:
    """The neutral quiz; each channel shows it natively or as numbered options."""
    quiz = Quiz(
        question=item.question,
        options=item.options,
        correct=item.correct,
        explanation=item.explanation,
        ref=f"{REF_PREFIX}{delivery_id}",
    )
    return Reply(quiz=quiz)


def delivery_id(ref: str) -> int | None:
    """Parse a quiz ref back into its delivery id."""
    digits = ref[len(REF_PREFIX) :] if ref.startswith(REF_PREFIX) else ""
    return parse_int(digits)


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of one answer."""

    item: QuizItem
    correct: bool
    score: Score


@dataclass(frozen=True, slots=True)
class Score:
    """A person's quiz record."""

    answered: int
    correct: int
    streak: int
    best_streak: int

    @property
    def accuracy(self) -> float:
        """Share of correct answers (0 when nothing was answered)."""
        return self.correct / self.answered if self.answered else 0.0


async def record_answer(
    session: AsyncSession,
    *,
    ref: str,
    person_id: int,
    option: int,
    content: Content,
    now: datetime,
) -> Answer:
    """Store the first answer to a delivered question; any later one is refused."""
    delivery = await _own_delivery(session, ref=ref, person_id=person_id)
    item = content.by_id(delivery.item_id)
    if not isinstance(item, QuizItem) or not 0 <= option < len(item.options):
        raise UserError(t("quiz.unknown"))
    correct = option == item.correct
    stored = await session.execute(
        update(QuizDelivery)
        .where(QuizDelivery.id == delivery.id, QuizDelivery.answered_at.is_(None))
        .values(answered_at=now, chosen=option, correct=correct)
    )
    if stored.rowcount != 1:
        raise UserError(t("quiz.already_answered"))
    await _review_card(session, person_id=person_id, item_id=item.id, correct=correct, now=now)
    return Answer(item, correct, await score(session, person_id=person_id))


async def _own_delivery(session: AsyncSession, *, ref: str, person_id: int) -> QuizDelivery:
    number = delivery_id(ref)
    delivery = await session.get(QuizDelivery, number) if number is not None else None
    if delivery is None or delivery.person_id != person_id:
        raise UserError(t("quiz.unknown"))
    if delivery.answered_at is not None:
        raise UserError(t("quiz.already_answered"))
    return delivery


async def _review_card(
    session: AsyncSession, *, person_id: int, item_id: str, correct: bool, now: datetime
) -> None:
    """Move the card up a box when right, back to the first when wrong."""
    query = select(QuizCard).where(QuizCard.person_id == person_id, QuizCard.item_id == item_id)
    card = (await session.execute(query)).scalar_one_or_none()
    if card is None:
        card = QuizCard(person_id=person_id, item_id=item_id, box=0, answered=0, correct=0)
        session.add(card)
    card.answered += 1
    card.correct += int(correct)
    card.box = min(card.box + 1, len(BOX_DAYS) - 1) if correct else 0
    card.due_at = now + (timedelta(days=BOX_DAYS[card.box]) if correct else RETRY_WRONG_AFTER)


async def score(session: AsyncSession, *, person_id: int) -> Score:
    """Answered, correct, and the current and best runs of correct answers."""
    query = (
        select(QuizDelivery.correct)
        .where(QuizDelivery.person_id == person_id, QuizDelivery.answered_at.is_not(None))
        .order_by(QuizDelivery.answered_at, QuizDelivery.id)
    )
    results = list((await session.execute(query)).scalars())
    best = run = 0
    for correct in results:
        run = run + 1 if correct else 0
        best = max(best, run)
    return Score(len(results), sum(bool(c) for c in results), run, best)


async def rank_in_unit(session: AsyncSession, *, person: Person) -> tuple[int, int]:
    """(rank, colleagues) by correct answers among active people of the same unit.

    Callers show no rank to someone who has not answered yet (it would only count others).
    """
    correct = func.count(QuizDelivery.id).filter(QuizDelivery.correct.is_(True))
    query = (
        select(Person.id, correct.label("n"))
        .outerjoin(QuizDelivery, QuizDelivery.person_id == Person.id)
        .where(Person.unit_id == person.unit_id, Person.active.is_(True))
        .group_by(Person.id)
    )
    points = {pid: n for pid, n in (await session.execute(query)).all()}
    mine = points.get(person.id, 0)
    return 1 + sum(1 for n in points.values() if n > mine), len(points)
