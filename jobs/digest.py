"""Scheduled job: last week's digest to every reachable manager and admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.db.models import Person, Role
from bot.services import digest, digest_report, notify
from jobs.base import JobContext


async def run(ctx: JobContext) -> int:
    """Queue text, chart and workbook per viewer; returns how many messages were queued."""
    reachable = {
        r.person_id: r
        for r in await notify.recipients(ctx.session, unit=ctx.schedule.unit, now=ctx.now)
    }
    query = (
        select(Person)
        .where(Person.active.is_(True), Person.role.in_([Role.MANAGER, Role.ADMIN]))
        .options(selectinload(Person.unit))
        .order_by(Person.id)
    )
    viewers = [p for p in (await ctx.session.execute(query)).scalars() if p.id in reachable]
    topics = digest.topic_map(ctx.content)
    sent = 0
    for campaign, monday in await digest_report.candidates(
        ctx.session, now=ctx.now, last_week=True
    ):
        results = await digest_report.for_many(
            ctx.session,
            campaign=campaign,
            monday=monday,
            now=ctx.now,
            topics=topics,
            viewers=viewers,
        )
        for viewer, rendered in results:
            sent += await notify.send(
                ctx.session,
                to=reachable[viewer.id],
                replies=rendered.replies,
                key=ctx.key(viewer.id),
                now=ctx.now,
                not_before=ctx.not_before,
            )
        # One digest per viewer: the newest campaign that covers their units wins.
        done = {viewer.id for viewer, _ in results}
        viewers = [v for v in viewers if v.id not in done]
    return sent
