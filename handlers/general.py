"""Commands every linked person has: /help and /me."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.messages import Reply
from bot.core.router import Context, command_menu
from bot.core.texts import CHANNEL_LABELS, ROLE_LABELS, STATUS_LABELS, t


async def help_(ctx: Context) -> list[Reply]:
    """List exactly the commands this person's role may use."""
    person = ctx.person
    assert person is not None
    menu = command_menu(ctx.routes, person.role, ctx.incoming.channel)
    lines = [t("help.header", name=person.full_name, role=ROLE_LABELS[person.role])]
    lines += [f"/{name} — {description}" for name, description in menu]
    lines.append(t("help.footer"))
    # The menu refreshes the chat's command list too (a role may have changed).
    return [Reply("\n".join(lines), menu=menu)]


async def me(ctx: Context) -> list[Reply]:
    """Who am I: name, code, unit, role, phone and linked channels."""
    person = ctx.person
    assert person is not None
    await ctx.session.refresh(person, ["accounts"])
    tz = ZoneInfo(ctx.config.timezone)
    channels = "\n".join(
        t(
            "me.channel_line",
            channel=CHANNEL_LABELS.get(a.channel, a.channel),
            status=STATUS_LABELS[a.status],
            linked=a.linked_at.astimezone(tz).strftime("%d/%m/%Y"),
        )
        for a in sorted(person.accounts, key=lambda a: a.linked_at)
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
