"""Scheduled job: last week's digest to every reachable manager and admin.

Charts and workbooks are drawn in `prepare`, before the occurrence's transaction; `run`
only queues them (or does both when the schedule changed between the two steps).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.content import Content
from bot.core.messages import Reply
from bot.db.models import Person, Role, Unit
from bot.services import digest, digest_report, notify
from bot.services.notify import Recipient
from jobs.base import JobContext, Preparation, record_failure

# Per viewer: the rendered replies, or why drawing them failed (recorded on the run).
Ready = list[tuple[Recipient, list[Reply] | Exception]]


async def prepare(preparation: Preparation) -> Ready:
    """Read in a session of its own, then render with no connection held."""
    async with preparation.sessionmaker() as session:
        found = await _gather(
            session,
            unit=preparation.schedule.unit,
            now=preparation.now,
            content=preparation.content,
        )
    return await _render(found, preparation.now)


async def run(ctx: JobContext) -> int:
    """Queue text, chart and workbook per viewer; returns how many messages were queued."""
    ready: Ready | None = ctx.prepared
    if ready is None:
        found = await _gather(ctx.session, unit=ctx.schedule.unit, now=ctx.now, content=ctx.content)
        ready = await _render(found, ctx.now)
    sent = 0
    for recipient, replies in ready:
        if isinstance(replies, Exception):
            record_failure(ctx.run, recipient.person_id, replies)
            continue
        async with ctx.recipient(recipient.person_id):
            sent += await notify.send(
                ctx.session,
                to=recipient,
                replies=replies,
                key=ctx.key(recipient.person_id),
                now=ctx.now,
                not_before=ctx.not_before,
            )
    return sent


async def _gather(
    session: AsyncSession, *, unit: Unit | None, now: datetime, content: Content
) -> list[tuple[Recipient, digest_report.Pending]]:
    """Each reachable viewer's digest data; the newest campaign covering their units wins."""
    reachable = {r.person_id: r for r in await notify.recipients(session, unit=unit, now=now)}
    query = (
        select(Person)
        .where(Person.active.is_(True), Person.role.in_([Role.MANAGER, Role.ADMIN]))
        .options(selectinload(Person.unit))
        .order_by(Person.id)
    )
    viewers = [p for p in (await session.execute(query)).scalars() if p.id in reachable]
    topics = digest.topic_map(content)
    found = []
    for campaign, monday in await digest_report.candidates(session, now=now, last_week=True):
        pending = await digest_report.gather_many(
            session, campaign=campaign, monday=monday, topics=topics, viewers=viewers
        )
        found += [(reachable[item.viewer.id], item) for item in pending]
        done = {item.viewer.id for item in pending}
        viewers = [v for v in viewers if v.id not in done]
    return found


async def _render(found: list[tuple[Recipient, digest_report.Pending]], now: datetime) -> Ready:
    """Draw each viewer's digest; one viewer's failure does not stop the others'."""
    ready: Ready = []
    for to, item in found:
        try:
            ((_, result),) = await digest_report.render_many([item], now)
        except Exception as exc:  # recorded on the run by `run`, with the person id
            ready.append((to, exc))
        else:
            ready.append((to, result.replies))
    return ready
