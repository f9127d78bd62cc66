"""One person's data: export it all, or forget it (delete the person and what points at them).

A person's web devices and push subscriptions go with their web account (ON DELETE CASCADE).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    BroadcastRecipient,
    ChannelAccount,
    CheckIn,
    InviteAttempt,
    Nudge,
    Outbox,
    Person,
    QuizCard,
    QuizDelivery,
    Registration,
    ReminderDelivery,
    ViolationReport,
    WebPushSubscription,
    WebSession,
)

OWNED = (
    ChannelAccount, Registration, CheckIn, ViolationReport, QuizDelivery, QuizCard,
    ReminderDelivery, BroadcastRecipient, Nudge,
)  # fmt: skip
# Rows kept per web account; their secrets (a session token's hash, a subscription's
# encryption keys) are credentials, not data about the person, and stay out of an export.
BY_ACCOUNT = ((WebSession, {"token_hash"}), (WebPushSubscription, {"p256dh", "auth"}))


def _row(obj: Any, leave_out: Collection[str] = ()) -> dict[str, Any]:
    """A model row as JSON-friendly values (without the columns left out)."""
    values = {}
    for column in inspect(obj).mapper.column_attrs:
        if column.key in leave_out:
            continue
        value = getattr(obj, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


async def export_person(session: AsyncSession, *, person: Person) -> dict[str, Any]:
    """Everything stored about one person, by table."""
    data: dict[str, Any] = {"person": _row(person)}
    for model in OWNED:
        rows = await session.execute(select(model).where(model.person_id == person.id))
        data[model.__tablename__] = [_row(r) for r in rows.scalars()]
    accounts = select(ChannelAccount.id).where(ChannelAccount.person_id == person.id)
    for model, secret in BY_ACCOUNT:
        rows = await session.execute(
            select(model).where(model.account_id.in_(accounts)).order_by(model.id)
        )
        data[model.__tablename__] = [_row(r, secret) for r in rows.scalars()]
    return data


async def forget_person(session: AsyncSession, *, person: Person) -> int:
    """Delete the person, their rows, their queued messages and their chat identities."""
    accounts = (
        (await session.execute(select(ChannelAccount).where(ChannelAccount.person_id == person.id)))
        .scalars()
        .all()
    )
    deleted = 0
    for account in accounts:
        result = await session.execute(
            delete(Outbox).where(
                Outbox.channel == account.channel,
                or_(Outbox.account_id == account.id, Outbox.chat_id == account.chat_id),
            )
        )
        deleted += result.rowcount
        await session.execute(
            delete(InviteAttempt).where(
                InviteAttempt.channel == account.channel,
                InviteAttempt.platform_user_id == account.platform_user_id,
            )
        )
    for model in OWNED:
        result = await session.execute(delete(model).where(model.person_id == person.id))
        deleted += result.rowcount
    await session.delete(person)
    await session.flush()
    return deleted + 1
