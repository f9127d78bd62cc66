"""Reminders: rotate without repeats until the pool is used up; count acknowledgements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content, ReminderItem
from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import Button, Reply
from bot.core.texts import t
from bot.db.models import ReminderDelivery
from bot.services.quiz import shuffle_key

ACK_PREFIX = "ack"


async def pick_reminder(
    session: AsyncSession, *, person_id: int, content: Content, on: date
) -> ReminderItem | None:
    """The active reminder this person has received least often (ties: a per-person order)."""
    active = content.active_reminders(on)
    if not active:
        return None
    query = (
        select(ReminderDelivery.item_id, func.count())
        .where(ReminderDelivery.person_id == person_id)
        .group_by(ReminderDelivery.item_id)
    )
    seen = dict((await session.execute(query)).all())
    return min(active, key=lambda r: (seen.get(r.id, 0), shuffle_key(person_id, r.id)))


async def deliver(
    session: AsyncSession,
    *,
    person_id: int,
    item: ReminderItem,
    now: datetime,
    run_id: int | None,
) -> Reply:
    """Record the reminder as given and build its message."""
    delivery = ReminderDelivery(person_id=person_id, item_id=item.id, run_id=run_id, sent_at=now)
    session.add(delivery)
    await session.flush()
    text = t("reminder.text", text=item.text, basis=item.citation)
    if not item.ack:
        return Reply(text)
    return Reply(
        text, buttons=((Button(t("reminder.ack_button"), f"{ACK_PREFIX}:{delivery.id}"),),)
    )


async def acknowledge(
    session: AsyncSession, *, payload: str, person_id: int, now: datetime
) -> bool:
    """Count 'Đã hiểu' once; True the first time, False when already counted."""
    _, _, number = payload.partition(":")
    delivery_id = parse_int(number)
    delivery = await session.get(ReminderDelivery, delivery_id) if delivery_id else None
    if delivery is None or delivery.person_id != person_id:
        raise UserError(t("error.unknown_button"))
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery.id, ReminderDelivery.acknowledged_at.is_(None))
        .values(acknowledged_at=now)
    )
    return result.rowcount == 1
