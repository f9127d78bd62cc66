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
from bot.core.texts import t
from bot.db.models import Broadcast, Unit
from bot.services import broadcast as service
from bot.services import broadcast_report, org, roster

broadcast_app = typer.Typer(
    help="Thông báo tới toàn bộ hoặc một số đơn vị.", invoke_without_command=True
)


@broadcast_app.callback()
def send(
    ctx: typer.Context,
    text_file: Annotated[Path | None, typer.Option(help="Tệp văn bản UTF-8 chứa nội dung.")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Đơn vị nhận (kèm đơn vị con).")] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(help="Vai trò nhận: nhân viên, quản lý, quản trị viên (lặp lại được)."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="Hẹn giờ: 'dd/mm/yyyy HH:MM' hoặc 'yyyy-mm-dd HH:MM' (giờ địa phương)."),
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

    config = settings()
    tz = ZoneInfo(config.timezone)

    async def work(session: AsyncSession) -> tuple[int, int, list[str]]:
        units = [await _unit(session, path) for path in unit or []]
        draft = await service.create(
            session,
            text=text,
            now=now,
            unit_ids=[u.id for u in units],
            roles=[_role(r) for r in role or []],
        )
        people = await service.audience(session, broadcast=draft)
        reachable = await service.reachable_count(session, people=people, now=now)
        notes = await service.warnings(
            session, reachable=reachable, at=when, now=now, quiet=config.quiet_hours, tz=tz
        )
        if when is not None:
            await service.schedule(session, broadcast=draft, at=when, now=now)
            return draft.id, -1, notes
        count = await service.start(session, broadcast=draft, now=now)
        # Nobody reached: the message below says so; the same warning would repeat it.
        return draft.id, count, notes if count else []

    number, count, notes = in_session(work)
    if count < 0:
        assert when is not None
        local = when.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        out.print(t("broadcast.scheduled", id=number, when=local), markup=False)
    elif count == 0:
        out.print(t("broadcast.nobody", id=number), markup=False)
    else:
        out.print(t("broadcast.started", id=number, count=count), markup=False)
    for note in notes:
        out.print(note, markup=False)
    if wait and count > 0:
        _follow(number)


def _when(at: str | None) -> datetime | None:
    if at is None:
        return None
    when = service.parse_local_time(at, ZoneInfo(settings().timezone))
    if when is None:
        raise fail(t("cli.broadcast_bad_time", value=at), 2)
    return when


async def _unit(session: AsyncSession, path: str) -> Unit:
    return await org.require_unit(session, path=path)


def _role(text: str) -> str:
    """A role as the roster names it ("quản lý", "quan ly") or by its English value."""
    found = roster.parse_role(text) if text.strip() else None
    if found is None:
        raise fail(t("cli.bad_role", value=text), 2)
    return found.value


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
            tz = ZoneInfo(settings().timezone)
            await broadcast_report.export(session, broadcast_id=number, path=xlsx, tz=tz)
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
            f"{b.id}. [{t(f'broadcast.status.{b.status.value}')}] {service.summary(b.text)}"
            for b in rows.scalars()
        ]

    for line in in_session(work, commit=False) or [t("broadcast.none")]:
        out.print(line, markup=False)
