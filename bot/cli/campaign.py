"""`atgt campaign`: create a campaign over units, list them, invite staff to register."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import errors
from bot.cli.common import fail, in_session, out, settings
from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Campaign
from bot.services import broadcast, campaigns, notify, org, schedules
from bot.services.checkin_views import day, registration_reply

campaign_app = typer.Typer(help="Đợt thi đua: tạo, xem, mời đăng ký.", no_args_is_help=True)


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise typer.BadParameter(t("cli.bad_date", value=text)) from None


@campaign_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Tên đợt thi đua.")],
    start: Annotated[str, typer.Option("--from", help="Ngày bắt đầu dd/mm/yyyy.")],
    end: Annotated[str, typer.Option("--to", help="Ngày kết thúc dd/mm/yyyy.")],
    unit: Annotated[list[str], typer.Option(help="Đơn vị tham gia (lặp lại được).")],
    plan: Annotated[int | None, typer.Option(help="Số của kế hoạch (atgt plan show).")] = None,
    form: Annotated[
        Path | None, typer.Option(help="Tệp YAML: danh sách câu hỏi {key, text} của báo cáo tuần.")
    ] = None,
    due: Annotated[str, typer.Option(help="Hạn báo cáo mỗi tuần, ví dụ 'T6 17:00'.")] = "T6 17:00",
    nudges: Annotated[int, typer.Option(help="Số lần nhắc tối đa mỗi tuần.", min=0, max=7)] = 1,
    privacy_min: Annotated[
        int, typer.Option(help="Chỉ hiện số tự khai vi phạm cho nhóm từ chừng này người.", min=1)
    ] = 3,
) -> None:
    """Tạo đợt thi đua cho các đơn vị (kể cả đơn vị con)."""
    starts_on, ends_on = _date(start), _date(end)
    if ends_on < starts_on:
        raise fail(t("cli.campaign_dates"))
    timezone = settings().timezone
    questions = _form(form) if form else None
    due_weekday, due_time = _due(due)

    async def work(session: AsyncSession) -> Campaign:
        found = []
        for path in unit:
            found.append(await org.require_unit(session, path=path))
        created = await campaigns.create_campaign(
            session,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            units=found,
            timezone=timezone,
            now=datetime.now(UTC),
            plan_id=plan,
            form=questions,
        )
        created.due_weekday, created.due_time = due_weekday, due_time
        created.nudge_limit, created.privacy_min_group = nudges, privacy_min
        return created

    created = in_session(work)
    out.print(t("cli.campaign_created", id=created.id, name=created.name), markup=False)


def _form(path: Path) -> list[dict[str, str]]:
    """A check-in form from YAML: a list of {key, text}; errors name the file and item."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise fail(t("cli.file_unreadable", path=path, reason=errors.reason(exc))) from None
    if not isinstance(items, list) or not 1 <= len(items) <= 10:
        raise fail(t("cli.form_shape", path=path))
    keys = set()
    for number, item in enumerate(items, 1):
        ok = isinstance(item, dict) and set(item) == {"key", "text"}
        if not ok or not str(item["key"]).isidentifier() or not str(item["text"]).strip():
            raise fail(t("cli.form_item", path=path, number=number))
        if item["key"] in keys:
            raise fail(t("cli.form_item", path=path, number=number))
        keys.add(item["key"])
    return [{"key": str(i["key"]), "text": str(i["text"]).strip()} for i in items]


def _due(text: str) -> tuple[int, str]:
    """'T6 17:00' → (4, '17:00')."""
    day, _, clock = text.strip().partition(" ")
    try:
        weekday = ["t2", "t3", "t4", "t5", "t6", "t7", "cn"].index(day.lower())
        return weekday, schedules.parse_time(clock)
    except (ValueError, UserError):
        raise fail(t("cli.bad_due", value=text), 2) from None


@campaign_app.command("list")
def list_campaigns() -> None:
    """Liệt kê các đợt thi đua."""

    async def work(session: AsyncSession) -> list[str]:
        rows = (await session.execute(select(Campaign).order_by(Campaign.id))).scalars().all()
        return [
            t("cli.campaign_line", id=c.id, name=c.name, start=day(c.starts_on), end=day(c.ends_on))
            for c in rows
        ]

    for line in in_session(work, commit=False) or [t("campaign.none")]:
        out.print(line, markup=False)


@campaign_app.command("announce")
def announce(campaign_id: Annotated[int, typer.Argument(help="Số của đợt thi đua.")]) -> None:
    """Gửi lời mời đăng ký thi đua tới mọi người tham gia (qua hàng đợi gửi)."""
    now = datetime.now(UTC)

    config = settings()

    async def work(session: AsyncSession) -> tuple[int, list[str]] | None:
        campaign = await campaigns.load(session, campaign_id)
        if campaign is None:
            return None
        people = await campaigns.participant_ids(session, campaign=campaign)
        queued = reached = 0
        for recipient in await notify.recipients(session, unit=None, now=now):
            if recipient.person_id in people:
                reached += 1
                queued += await notify.send(
                    session,
                    to=recipient,
                    replies=[registration_reply(campaign)],
                    key=f"announce:{campaign.id}:p{recipient.person_id}",
                    now=now,
                )
        notes = await broadcast.warnings(
            session,
            reachable=reached,
            at=None,
            now=now,
            quiet=config.quiet_hours,
            tz=ZoneInfo(config.timezone),
        )
        return queued, notes

    done = in_session(work)
    if done is None:
        raise fail(t("cli.campaign_unknown", id=campaign_id))
    out.print(t("cli.campaign_announced", count=done[0]), markup=False)
    for note in done[1]:
        out.print(note, markup=False)
