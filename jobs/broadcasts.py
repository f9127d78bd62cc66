"""Every few seconds: start due announcements, report progress to their authors, finish them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import outbox
from bot.core.messages import Reply
from bot.core.texts import t
from bot.db.models import Broadcast, BroadcastStatus, Outbox
from bot.services import broadcast as service
from bot.services import broadcast_report

# Channels whose transport can replace the text of a message it sent (a live progress line).
EDITABLE = frozenset({"telegram"})


async def tick(session: AsyncSession, *, now: datetime) -> int:
    """One pass; returns how many outbox rows it queued."""
    queued = 0
    for due in await service.due(session, now=now):
        started = await service.start(session, broadcast=due, now=now)
        if not started and due.progress_chat_id and due.progress_channel:
            nobody = Reply(t("broadcast.nobody", id=due.id))
            started = await _send(session, due, nobody, f"bcp:{due.id}:nobody", now)
        queued += started
    sending = await session.execute(
        select(Broadcast).where(Broadcast.status == BroadcastStatus.SENDING)
    )
    for broadcast in sending.scalars():
        queued += await _report(session, broadcast, now)
    return queued


async def _report(session: AsyncSession, broadcast: Broadcast, now: datetime) -> int:
    """Update the author's progress line, or tell them it is done."""
    tally = await broadcast_report.progress(session, broadcast_id=broadcast.id)
    done = broadcast_report.finish_if_done(broadcast, tally)
    if broadcast.progress_chat_id is None or broadcast.progress_channel is None:
        return 0
    text = t(
        "broadcast.progress",
        id=broadcast.id,
        delivered=tally.delivered,
        reachable=tally.recipients - tally.unreachable,
        failed=tally.failed,
        pending=tally.pending,
        read=tally.read,
    )
    if done:
        text = f"{t('broadcast.done', id=broadcast.id)}\n{text}"
    key = f"bcp:{broadcast.id}:{tally.delivered}:{tally.failed}:{tally.read}:{done}"
    if broadcast.progress_channel in EDITABLE and not done:
        return await _edit_line(session, broadcast, Reply(text), key, now)
    if done:
        return await _send(session, broadcast, Reply(text), key, now)
    return 0


async def _edit_line(
    session: AsyncSession, broadcast: Broadcast, reply: Reply, key: str, now: datetime
) -> int:
    """Post the progress line once, then replace its text as figures change."""
    if broadcast.progress_outbox_id is None:
        queued = await _send(session, broadcast, reply, key, now)
        row = await session.execute(select(Outbox.id).where(Outbox.dedupe_key == f"{key}:0"))
        broadcast.progress_outbox_id = row.scalar_one_or_none()
        return queued
    line = await session.get(Outbox, broadcast.progress_outbox_id)
    if line is None or line.platform_message_id is None:
        return 0  # not delivered yet: nothing to edit
    edit = Reply(reply.text, extra={"edit_message_id": line.platform_message_id})
    return await _send(session, broadcast, edit, key, now)


async def _send(
    session: AsyncSession, broadcast: Broadcast, reply: Reply, key: str, now: datetime
) -> int:
    assert broadcast.progress_channel and broadcast.progress_chat_id
    return await outbox.enqueue(
        session,
        channel=broadcast.progress_channel,
        chat_id=broadcast.progress_chat_id,
        replies=[reply],
        now=now,
        key=key,
    )
