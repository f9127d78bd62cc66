"""Joining the bot: /start with an invite code, or the bare code as a message."""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.router import Context, command_menu
from bot.core.texts import t
from bot.services.invites import (
    InviteRefused,
    looks_like_code,
    record_failure,
    redeem_invite,
    too_many_attempts,
)


async def start(ctx: Context) -> list[Reply]:
    """`/start [CODE]`: greet a linked user, or link a new one."""
    code = ctx.incoming.args.strip()
    person = ctx.person
    if person is not None:
        if code:
            return [Reply(t("onboarding.already_linked", name=person.full_name))]
        return [Reply(t("onboarding.welcome_back", name=person.full_name))]
    if not code:
        return [Reply(t("onboarding.not_linked"))]
    return await _redeem(ctx, code)


async def code_message(ctx: Context) -> list[Reply]:
    """An unlinked user's plain message: try it as a code, else explain how to join."""
    text = ctx.incoming.text
    if not looks_like_code(text):
        return [Reply(t("onboarding.not_linked"))]
    return await _redeem(ctx, text)


async def _redeem(ctx: Context, code: str) -> list[Reply]:
    """Link, or explain why not; refused codes count toward a per-sender limit."""
    incoming, sender = (
        ctx.incoming,
        {"channel": ctx.incoming.channel, "user_id": ctx.incoming.user_id},
    )
    if await too_many_attempts(ctx.session, now=ctx.now, **sender):
        return [Reply(t("onboarding.too_many"))]
    try:
        account = await redeem_invite(
            ctx.session,
            code=code,
            channel=incoming.channel,
            user_id=incoming.user_id,
            chat_id=incoming.chat_id,
            now=ctx.now,
            timezone=ctx.config.timezone,
        )
    except InviteRefused as refused:
        record_failure(ctx.session, now=ctx.now, **sender)
        return [Reply(refused.message)]
    person = account.person
    menu = command_menu(ctx.routes, person.role, incoming.channel, ctx.config)
    return [Reply(t("onboarding.welcome", name=person.full_name, unit=person.unit.path), menu=menu)]
