"""Scheduled job: nudge who has not checked in (at most N per period, one a day)."""

from __future__ import annotations

from bot.services import campaigns, checkins, notify
from bot.services.campaigns import period_of
from bot.services.checkin_views import prompt_reply
from jobs.base import JobContext


async def run(ctx: JobContext) -> int:
    """Queue a nudge per participant still missing, within each campaign's limit."""
    sent = 0
    today = ctx.now.astimezone(ctx.tz).date()
    for campaign in await campaigns.running_campaigns(ctx.session, now=ctx.now):
        period = period_of(campaign, ctx.now)
        done = await checkins.answered_ids(
            ctx.session, campaign_id=campaign.id, period_start=period.start
        )
        people = {p.id for p in await campaigns.participants(ctx.session, campaign=campaign)}
        for recipient in await notify.recipients(ctx.session, unit=ctx.schedule.unit, now=ctx.now):
            pid = recipient.person_id
            if pid not in people or pid in done:
                continue
            if not await checkins.may_nudge(
                ctx.session, campaign=campaign, person_id=pid, period=period, today=today
            ):
                continue
            sent += await notify.send(
                ctx.session,
                to=recipient,
                replies=[prompt_reply(campaign, period, nudge=True)],
                key=f"{ctx.key(pid)}:c{campaign.id}",
                now=ctx.now,
                not_before=ctx.not_before,
            )
    return sent
