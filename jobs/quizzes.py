"""Scheduled job: one quiz question to each reachable person (spaced repetition)."""

from __future__ import annotations

from datetime import date

from bot.core.messages import Reply
from bot.core.texts import t
from bot.services import notify, quiz
from bot.services.notify import Recipient
from jobs.base import JobContext


async def run(ctx: JobContext) -> int:
    """Queue a question per recipient; returns how many were queued."""
    sent = 0
    today = ctx.now.astimezone(ctx.tz).date()
    if not ctx.content.active_quizzes(today):
        return 0
    for recipient in await notify.recipients(
        ctx.session, unit=ctx.schedule.unit, now=ctx.now, kind="quiz"
    ):
        async with ctx.recipient(recipient.person_id):
            sent += await _one(ctx, recipient, today)
    return sent


async def _one(ctx: JobContext, recipient: Recipient, today: date) -> int:
    """Give one person their question; 0 when there is none."""
    item = await quiz.pick_question(
        ctx.session, person_id=recipient.person_id, content=ctx.content, on=today, now=ctx.now
    )
    if item is None:
        return 0
    question = await quiz.deliver(
        ctx.session, person_id=recipient.person_id, item=item, now=ctx.now, run_id=ctx.run.id
    )
    return await notify.send(
        ctx.session,
        to=recipient,
        replies=[Reply(t("quiz.scheduled_intro")), question],
        key=ctx.key(recipient.person_id),
        now=ctx.now,
        not_before=ctx.not_before,
    )
