"""`/web`: a one-time link that signs a browser in as the person asking."""

from __future__ import annotations

from datetime import timedelta

from bot.core.messages import Reply
from bot.core.router import BotConfig, Context
from bot.core.texts import t
from bot.db.models import Role
from bot.services import invites

# Short: the link travels through a chat and only has to be opened right away.
LINK_TTL = timedelta(minutes=15)


def available(role: Role, config: BotConfig) -> bool:
    """`/web` exists only while the web channel is on (ATGT_WEB_URL)."""
    return config.web_url is not None


async def link(ctx: Context) -> list[Reply]:
    """Reply with a fresh web sign-in link, when the web channel is on."""
    person = ctx.me
    if not ctx.config.web_url:
        return [Reply(t("web.off"))]
    # Other open invites stay valid: they may be meant for another channel.
    code = await invites.create_invite(
        ctx.session, person=person, now=ctx.now, ttl=LINK_TTL, self_service=True
    )
    url = invites.web_link(ctx.config.web_url, code)
    minutes = int(LINK_TTL.total_seconds() // 60)
    return [Reply(t("web.link", link=url, minutes=minutes))]
