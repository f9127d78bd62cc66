"""`atgt zalo`: people who joined but cannot be messaged now, for admins and managers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import httpx
import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.zalo_oa_templates import check_all
from bot.channels.zalo_oa_token import OaTokens, TokenError
from bot.cli.common import fail, in_session, out, settings
from bot.core.texts import CHANNEL_LABELS, t
from bot.db.models import AccountStatus, ChannelAccount
from bot.db.session import make_engine, make_sessionmaker
from bot.services import org, reach, usage
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
        if found and config.zalo_oa_templates:
            month = usage.month_of(datetime.now(UTC), tz)
            used = await usage.count(session, channel="zalo_oa", month=month, kind=usage.TEMPLATE)
            kinds = ", ".join(t(f"zalo.kind.{kind}") for kind in config.zalo_oa_templates)
            budget = config.zalo_oa_template_budget
            lines.append(t("zalo.unreachable_templates", kinds=kinds, used=used, budget=budget))
        return lines or [t("zalo.unreachable_none")]

    lines = in_session(work, commit=False)
    for line in lines:
        out.print(line, markup=False)


templates_app = typer.Typer(
    help="Mẫu tin ZBS cho người ngoài 7 ngày tương tác.", no_args_is_help=True
)
zalo_app.add_typer(templates_app, name="templates")


@templates_app.command("check")
def templates_check() -> None:
    """Kiểm tra các mẫu tin ZBS đã cấu hình có khớp tham số bot gửi (noi_dung, ngay)."""
    config = settings()
    if not config.zalo_oa_templates:
        raise fail(t("zalo.templates_none"))
    if not config.zalo_oa_enabled:
        raise fail(t("zalo.templates_no_oa"))

    async def run() -> tuple[list[str], bool]:
        engine = make_engine(config.database_url)
        try:
            async with httpx.AsyncClient(timeout=15.0) as http:
                seed = config.zalo_oa_refresh_token
                assert config.zalo_oa_app_id and config.zalo_oa_secret_key is not None
                tokens = OaTokens(
                    sessionmaker=make_sessionmaker(engine),
                    http=http,
                    app_id=config.zalo_oa_app_id,
                    secret_key=config.zalo_oa_secret_key.get_secret_value(),
                    oauth_url=config.zalo_oa_oauth_url,
                    seed=seed.get_secret_value() if seed else None,
                    clock=lambda: datetime.now(UTC),
                )
                lines, fine = await check_all(
                    http,
                    tokens,
                    base_url=config.zalo_oa_business_api_url,
                    ids=config.zalo_oa_templates,
                )
                async with make_sessionmaker(engine)() as session:
                    month = usage.month_of(datetime.now(UTC), config.tz)
                    used = await usage.count(
                        session, channel="zalo_oa", month=month, kind=usage.TEMPLATE
                    )
                budget = config.zalo_oa_template_budget
                lines.append(t("zalo.templates_budget", month=month, used=used, budget=budget))
                return lines, fine
        except TokenError as exc:
            return [t("zalo.oa_refused", error=exc)], False
        finally:
            await engine.dispose()

    lines, fine = asyncio.run(run())
    for line in lines:
        out.print(line, markup=False)
    if not fine:
        raise typer.Exit(1)
