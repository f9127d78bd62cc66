"""Commands every linked person has: /help and /me."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.messages import Reply
from bot.core.router import Context, command_menu
from bot.core.texts import CHANNEL_LABELS, ROLE_LABELS, STATUS_LABELS, t
from bot.services import org


async def help_(ctx: Context) -> list[Reply]:
    """List exactly the commands this person may use here and now (role, channel, settings)."""
    person = ctx.me
    menu = command_menu(ctx.routes, person.role, ctx.incoming.channel, ctx.config)
    lines = [t("help.header", name=person.full_name, role=ROLE_LABELS[person.role])]
    lines += [f"/{name} — {description}" for name, description in menu]
    lines.append(t("help.footer"))
    # The menu refreshes the chat's command list too (a role may have changed).
    return [Reply("\n".join(lines), menu=menu)]


async def me(ctx: Context) -> list[Reply]:
    """Who am I: name, code, unit, role, phone and linked channels."""
    person = ctx.me
    tz = ZoneInfo(ctx.config.timezone)
    channels = "\n".join(
        t(
            "me.channel_line",
            channel=CHANNEL_LABELS.get(channel, channel),
            status=STATUS_LABELS[status],
            linked=linked_at.astimezone(tz).strftime("%d/%m/%Y"),
        )
        for channel, status, linked_at in await org.channels_of(ctx.session, person_id=person.id)
    )
    card = t(
        "me.card",
        name=person.full_name,
        code=person.employee_code,
        unit=person.unit.path,
        role=ROLE_LABELS[person.role],
        phone=person.phone or t("me.no_phone"),
        channels=channels,
    )
    return [Reply(card)]
