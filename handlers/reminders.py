"""The 'Đã hiểu' button under a reminder."""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.services import reminders


async def acknowledge(ctx: Context) -> list[Reply]:
    """Count the acknowledgement once."""
    first = await reminders.acknowledge(
        ctx.session, payload=ctx.incoming.payload, person_id=ctx.me.id, now=ctx.now
    )
    return [Reply(t("reminder.ack_thanks" if first else "reminder.ack_again"))]
