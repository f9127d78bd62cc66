"""Scheduled job: the weekly check-in form to participants who have not answered yet."""

from __future__ import annotations

from bot.services import campaigns, checkins, notify
from bot.services.campaigns import period_of
from bot.services.checkin_views import prompt_reply
from jobs.base import JobContext


async def run(ctx: JobContext) -> int:
    """Queue the form per participant without a complete check-in; returns how many."""
    sent = 0
    reachable = await notify.recipients(
        ctx.session, unit=ctx.schedule.unit, now=ctx.now, kind="checkin"
    )
    for campaign in await campaigns.running_campaigns(ctx.session, now=ctx.now):
        period = period_of(campaign, ctx.now)
        for recipient in await checkins.missing(
            ctx.session, campaign=campaign, period=period, reachable=reachable
        ):
            async with ctx.recipient(recipient.person_id):
                sent += await notify.send(
                    ctx.session,
                    to=recipient,
                    replies=[prompt_reply(campaign, period)],
                    key=f"{ctx.key(recipient.person_id)}:c{campaign.id}",
                    now=ctx.now,
                    not_before=ctx.not_before,
                )
    return sent
