"""`atgt broadcast`: announce to units or everyone, now or later; cancel; report."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import errors
from bot.cli.common import fail, in_session, out, settings
from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Broadcast, Role, Unit
from bot.services import broadcast as service
from bot.services import broadcast_report, org

broadcast_app = typer.Typer(
    help="Thông báo tới toàn bộ hoặc một số đơn vị.", invoke_without_command=True
)


@broadcast_app.callback()
def send(
    ctx: typer.Context,
    text_file: Annotated[Path | None, typer.Option(help="Tệp văn bản UTF-8 chứa nội dung.")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Đơn vị nhận (kèm đơn vị con).")] = None,
    role: Annotated[list[str] | None, typer.Option(help="employee, manager, admin.")] = None,
    at: Annotated[
        str | None, typer.Option(help="Hẹn giờ: 'dd/mm/yyyy HH:MM' (giờ địa phương).")
    ] = None,
    wait: Annotated[bool, typer.Option(help="Chờ và hiện tiến độ gửi.")] = False,
) -> None:
    """Tạo và gửi (hoặc hẹn giờ) một thông báo."""
    if ctx.invoked_subcommand is not None:
        return
    if text_file is None:
        raise fail(t("cli.broadcast_need_text"), 2)
    try:
        text = text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(t("cli.file_unreadable", path=text_file, reason=errors.reason(exc))) from None
    when = _when(at)
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> tuple[int, int]:
        units = [await _unit(session, path) for path in unit or []]
        draft = await service.create(
            session,
            text=text,
            now=now,
            unit_ids=[u.id for u in units],
            roles=[_role(r) for r in role or []],
        )
        if when is not None:
            await service.schedule(session, broadcast=draft, at=when, now=now)
            return draft.id, -1
        return draft.id, await service.start(session, broadcast=draft, now=now)

    number, count = in_session(work)
    if count < 0:
        out.print(t("broadcast.scheduled", id=number, when=at), markup=False)
        return
    out.print(t("broadcast.started", id=number, count=count), markup=False)
    if wait:
        _follow(number)


def _when(at: str | None) -> datetime | None:
    if at is None:
        return None
    try:
        local = datetime.strptime(at, "%d/%m/%Y %H:%M")
    except ValueError:
        raise fail(t("broadcast.bad_time", value=at), 2) from None
    return local.replace(tzinfo=ZoneInfo(settings().timezone))


async def _unit(session: AsyncSession, path: str) -> Unit:
    found = await org.find_unit(session, path=path)
    if found is None:
        raise UserError(t("cli.unit_unknown", path=path))
    return found


def _role(text: str) -> str:
    try:
        return Role(text).value
    except ValueError:
        raise fail(t("cli.bad_role", value=text), 2) from None


def _follow(number: int) -> None:
    """A progress bar until no copy is waiting (the running bot sends them)."""
    with Progress() as bar:
        task = bar.add_task(t("cli.broadcast_sending", id=number), total=None)
        while True:
            tally = in_session(
                lambda s: broadcast_report.progress(s, broadcast_id=number), commit=False
            )
            bar.update(task, total=tally.recipients - tally.unreachable, completed=tally.delivered)
            if tally.pending == 0:
                break
            time.sleep(1)
    out.print(
        t(
            "broadcast.progress",
            id=number,
            delivered=tally.delivered,
            reachable=tally.recipients - tally.unreachable,
            failed=tally.failed,
            pending=tally.pending,
            read=tally.read,
        ),
        markup=False,
    )


@broadcast_app.command("cancel")
def cancel(number: Annotated[int, typer.Argument(help="Số của thông báo.")]) -> None:
    """Hủy thông báo hẹn giờ, hoặc dừng thông báo đang gửi."""
    stopped = in_session(lambda s: service.cancel(s, broadcast_id=number, now=datetime.now(UTC)))
    out.print(t("broadcast.cancelled", id=number, count=stopped), markup=False)


@broadcast_app.command("report")
def report(
    number: Annotated[int, typer.Argument(help="Số của thông báo.")],
    xlsx: Annotated[Path | None, typer.Option(help="Ghi danh sách từng người ra .xlsx.")] = None,
) -> None:
    """Tỉ lệ nhận và đọc theo đơn vị."""

    async def work(session: AsyncSession) -> list[str] | None:
        found = await session.get(Broadcast, number)
        if found is None:
            return None
        lines = await broadcast_report.result_lines(session, broadcast=found)
        if xlsx is not None:
            await broadcast_report.export(session, broadcast_id=number, path=xlsx)
        return lines

    lines = in_session(work, commit=False)
    if lines is None:
        raise fail(t("broadcast.unknown", id=number))
    for line in lines:
        out.print(line, markup=False)


@broadcast_app.command("list")
def list_broadcasts() -> None:
    """Các thông báo gần đây."""

    async def work(session: AsyncSession) -> list[str]:
        rows = await session.execute(select(Broadcast).order_by(Broadcast.id.desc()).limit(20))
        return [
            f"{b.id}. [{t(f'broadcast.status.{b.status.value}')}] {b.text[:60]}"
            for b in rows.scalars()
        ]

    for line in in_session(work, commit=False) or [t("broadcast.none")]:
        out.print(line, markup=False)
