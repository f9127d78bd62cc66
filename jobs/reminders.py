"""Scheduled job: one traffic-law reminder to each reachable person."""

from __future__ import annotations

from bot.services import notify, reminders
from jobs.base import JobContext


async def run(ctx: JobContext) -> int:
    """Queue a reminder per recipient; returns how many were queued."""
    unit = ctx.schedule.unit
    sent = 0
    today = ctx.now.astimezone(ctx.tz).date()
    if not ctx.content.active_reminders(today):
        return 0
    for recipient in await notify.recipients(ctx.session, unit=unit, now=ctx.now, kind="reminder"):
        async with ctx.recipient(recipient.person_id):
            item = await reminders.pick_reminder(
                ctx.session, person_id=recipient.person_id, content=ctx.content, on=today
            )
            if item is None:
                continue
            reply = await reminders.deliver(
                ctx.session,
                person_id=recipient.person_id,
                item=item,
                now=ctx.now,
                run_id=ctx.run.id,
            )
            sent += await notify.send(
                ctx.session,
                to=recipient,
                replies=[reply],
                key=ctx.key(recipient.person_id),
                now=ctx.now,
                not_before=ctx.not_before,
            )
    return sent
