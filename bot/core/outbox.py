"""The outbox: rows written with the business change, drained by a paced sender per channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply, reply_to_dict
from bot.db.models import AccountStatus, ChannelAccount, Outbox, OutboxStatus

# INSERT … ON CONFLICT DO NOTHING per dialect, built once (the dedupe key is unique).
_INSERTS = {
    "postgresql": pg_insert(Outbox.__table__).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(Outbox.__table__).on_conflict_do_nothing(),
}


async def enqueue(
    session: AsyncSession,
    *,
    channel: str,
    chat_id: str,
    replies: Sequence[Reply],
    now: datetime,
    key: str | None = None,
    account_id: int | None = None,
    ref: str | None = None,
    not_before: datetime | None = None,
) -> int:
    """Queue replies for one chat; with `key`, a second enqueue of the same key is a no-op."""
    values = [
        {
            "channel": channel,
            "chat_id": chat_id,
            "account_id": account_id,
            "payload": reply_to_dict(reply),
            "dedupe_key": f"{key}:{index}" if key else None,
            "ref": ref or (reply.quiz.ref if reply.quiz else None),
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "not_before": not_before or now,
            "created_at": now,
        }
        for index, reply in enumerate(replies)
    ]
    if not values:
        return 0
    # One prebuilt statement per row: a multi-row VALUES would be compiled on every call.
    statement = _INSERTS[session.bind.dialect.name]
    queued = 0
    for value in values:
        queued += (await session.execute(statement, value)).rowcount
    return queued


async def claim(session: AsyncSession, *, channel: str, now: datetime, limit: int) -> list[Outbox]:
    """Take due pending rows (oldest first) and mark them sending; concurrent claimers skip them."""
    query = (
        select(Outbox)
        .where(
            Outbox.channel == channel,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.not_before <= now,
        )
        .order_by(Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.execute(query)).scalars())
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.attempts += 1
    return rows


async def release_stale(session: AsyncSession, *, channel: str) -> int:
    """At start: rows left 'sending' by a crash go back to pending (they may repeat once)."""
    result = await session.execute(
        update(Outbox)
        .where(Outbox.channel == channel, Outbox.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING)
    )
    return result.rowcount


async def mark_sent(
    session: AsyncSession,
    *,
    row_id: int,
    now: datetime,
    message_id: str | None,
    poll_id: str | None,
) -> None:
    """Record the platform ids of a delivered message."""
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(
            status=OutboxStatus.SENT,
            sent_at=now,
            platform_message_id=message_id,
            platform_poll_id=poll_id,
            error=None,
        )
    )


async def mark_retry(
    session: AsyncSession, *, row_id: int, not_before: datetime, error: str
) -> None:
    """Back to pending, not before the given time."""
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status=OutboxStatus.PENDING, not_before=not_before, error=error[:500])
    )


async def mark_failed(
    session: AsyncSession, *, row_id: int, error: str, status: OutboxStatus = OutboxStatus.FAILED
) -> None:
    """A final failure (bad request, too many attempts, or a blocked recipient)."""
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(status=status, error=error[:500])
    )


async def mark_chat_blocked(session: AsyncSession, *, channel: str, chat_id: str) -> None:
    """The recipient blocked the bot: mark the account and drop their pending messages."""
    await session.execute(
        update(ChannelAccount)
        .where(ChannelAccount.channel == channel, ChannelAccount.chat_id == chat_id)
        .values(status=AccountStatus.BLOCKED)
    )
    await session.execute(
        update(Outbox)
        .where(
            Outbox.channel == channel,
            Outbox.chat_id == chat_id,
            Outbox.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.BLOCKED, error="recipient blocked the bot")
    )


async def mark_window_closed(
    session: AsyncSession, *, channel: str, chat_id: str, now: datetime
) -> None:
    """The platform refused a message as outside its reply window: believe it until they write."""
    await session.execute(
        update(ChannelAccount)
        .where(ChannelAccount.channel == channel, ChannelAccount.chat_id == chat_id)
        .values(window_closed_at=now)
    )


async def move_chat(session: AsyncSession, *, channel: str, old: str, new: str) -> None:
    """A group became a supergroup: its id changed."""
    for model in (ChannelAccount, Outbox):
        await session.execute(
            update(model).where(model.channel == channel, model.chat_id == old).values(chat_id=new)
        )


async def poll_ref(session: AsyncSession, *, channel: str, poll_id: str) -> str | None:
    """The business ref (quiz id) of a poll we sent, from its platform poll id."""
    query = select(Outbox.ref).where(Outbox.channel == channel, Outbox.platform_poll_id == poll_id)
    return (await session.execute(query.limit(1))).scalar_one_or_none()
