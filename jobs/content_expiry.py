"""Scheduled job (weekly): tell admins which law items stop being served within 30 days."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.messages import Reply
from bot.core.texts import t
from bot.db.models import Person, Role
from bot.services import content_review, notify
from jobs.base import JobContext

MAX_LISTED = 20


async def run(ctx: JobContext) -> int:
    """Queue one notice per reachable admin when items expire soon; else nothing."""
    today = ctx.now.astimezone(ctx.tz).date()
    served = await content_review.apply(ctx.session, ctx.content)
    items = content_review.expiring(served, on=today)
    if not items:
        return 0
    items.sort(key=lambda item: (item.valid_until, item.id))
    lines = [
        t("content_review.notice_line", id=item.id, day=f"{item.valid_until:%d/%m/%Y}")
        for item in items[:MAX_LISTED]
    ]
    if len(items) > MAX_LISTED:
        lines.append(t("content_review.notice_more", count=len(items) - MAX_LISTED))
    text = t("content_review.notice", count=len(items), items="\n".join(lines))
    admins = set(
        (await ctx.session.execute(select(Person.id).where(Person.role == Role.ADMIN))).scalars()
    )
    sent = 0
    for recipient in await notify.recipients(ctx.session, unit=ctx.schedule.unit, now=ctx.now):
        if recipient.person_id not in admins:
            continue
        async with ctx.recipient(recipient.person_id):
            sent += await notify.send(
                ctx.session,
                to=recipient,
                replies=[Reply(text)],
                key=ctx.key(recipient.person_id),
                now=ctx.now,
                not_before=ctx.not_before,
            )
    return sent
