"""`atgt zalo`: people who joined but cannot be messaged now, for admins and managers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import in_session, out, settings
from bot.core.texts import CHANNEL_LABELS, t
from bot.db.models import AccountStatus, ChannelAccount
from bot.services import org, reach
from bot.services.notify import REPLY_WINDOWS, last_seen

zalo_app = typer.Typer(help="Kênh Zalo: ai đang không nhắn tin được.", no_args_is_help=True)


def reason(account: ChannelAccount, tz: ZoneInfo) -> str:
    """Why one account cannot be written to now."""
    channel = CHANNEL_LABELS.get(account.channel, account.channel)
    if account.status != AccountStatus.ACTIVE:
        return t("zalo.reason_blocked", channel=channel)
    closed = account.window_closed_at
    if closed is not None and closed > last_seen(account):
        when = closed.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        return t("zalo.reason_refused", channel=channel, when=when)
    window = REPLY_WINDOWS.get(account.channel)
    days = window.days if window else 0
    since = last_seen(account).astimezone(tz).strftime("%d/%m/%Y")
    return t("zalo.reason_window", channel=channel, since=since, days=days)


@zalo_app.command("unreachable")
def unreachable(
    unit: Annotated[str | None, typer.Option(help="Đơn vị (cả đơn vị con).")] = None,
) -> None:
    """Liệt kê người đã tham gia nhưng hiện không nhắn tin được (chặn bot, quá 7 ngày)."""
    config = settings()
    tz = ZoneInfo(config.timezone)

    async def work(session: AsyncSession) -> list[str]:
        scope = await org.require_unit(session, path=unit) if unit else None
        found = await reach.unreachable(session, now=datetime.now(UTC), unit=scope)
        lines = [t("zalo.unreachable_header", count=len(found))] if found else []
        for item in found:
            person = item.person
            reasons = "; ".join(reason(account, tz) for account in item.accounts)
            lines.append(
                t(
                    "zalo.unreachable_line",
                    code=person.employee_code,
                    name=person.full_name,
                    unit=person.unit.path,
                    reasons=reasons,
                )
            )
        return lines or [t("zalo.unreachable_none")]

    lines = in_session(work, commit=False)
    for line in lines:
        out.print(line, markup=False)
