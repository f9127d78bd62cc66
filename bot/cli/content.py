"""`atgt content check | review`: validate the content; record legal review decisions."""

from __future__ import annotations

import getpass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, cast
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import content_dirs
from bot.cli.common import err, fail, in_session, out, settings
from bot.content import ContentError, check_content, load_content
from bot.core.texts import t
from bot.services import content_review

content_app = typer.Typer(
    help="Nội dung luật giao thông: nhắc nhở và câu đố.", no_args_is_help=True
)


@content_app.command("check")
def check(
    extra: Annotated[
        list[Path] | None, typer.Argument(help="Thư mục nội dung thêm (cùng định dạng).")
    ] = None,
) -> None:
    """Kiểm tra toàn bộ nội dung; báo lỗi kèm tệp, mã mục và trường."""
    dirs = [*content_dirs(settings()), *(extra or [])]
    issues = check_content(dirs)
    if issues:
        err.print(t("cli.content_bad", count=len(issues)), markup=False)
        for issue in issues:
            err.print(f"  - {issue}", markup=False)
        raise fail("", 1)
    content = load_content(dirs)
    out.print(
        t("cli.content_ok", quizzes=len(content.quizzes), reminders=len(content.reminders)),
        markup=False,
    )


def _day(text: str) -> date:
    """dd/mm/yyyy → date, or a CLI error."""
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise typer.BadParameter(t("cli.bad_date", value=text)) from None


def _os_user() -> str:
    """Who runs the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"


@content_app.command("review")
def review(
    item_id: Annotated[
        str | None, typer.Argument(help="Mã mục cần ghi quyết định; bỏ trống để xem danh sách.")
    ] = None,
    ok: Annotated[
        str | None, typer.Option("--ok", help="Xác nhận mục vẫn đúng, kèm ghi chú.")
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="Thôi sử dụng mục từ ngày này (dd/mm/yyyy).", parser=_day),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Người quyết định (mặc định: tài khoản máy).")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Ngày xét danh sách (dd/mm/yyyy, mặc định: hôm nay).", parser=_day
        ),
    ] = None,
) -> None:
    """Rà soát pháp lý: xem mục cần rà soát, hoặc ghi xác nhận/thôi sử dụng một mục."""
    config = settings()
    try:
        content = load_content(content_dirs(config))
    except ContentError as exc:
        raise fail(str(exc)) from None
    now = datetime.now(UTC)
    if item_id is None:
        day = cast(date | None, on) or now.astimezone(ZoneInfo(config.timezone)).date()

        async def listing(session: AsyncSession) -> list[content_review.Pending]:
            decisions = await content_review.latest_decisions(session)
            return content_review.pending(content, decisions, on=day)

        found = in_session(listing, commit=False)
        shown = f"{day:%d/%m/%Y}"
        if not found:
            out.print(t("cli.content_review_none", day=shown), markup=False)
            return
        never, amended, expiring = content_review.counts(found)
        summary = t(
            "cli.content_review_count",
            count=len(found),
            day=shown,
            never=never,
            amended=amended,
            expiring=expiring,
        )
        out.print(summary, markup=False)
        for line in content_review.describe(found):
            out.print(f"  - {line}", markup=False)
        return
    who = by if by is not None else _os_user()
    row = in_session(
        lambda session: content_review.decide(
            session,
            content=content,
            item_id=item_id,
            note=ok,
            ends_on=cast(date | None, end),
            by=who,
            now=now,
        )
    )
    when = f"{now.astimezone(ZoneInfo(config.timezone)):%d/%m/%Y %H:%M}"
    if row.ends_on is None:
        out.print(
            t("cli.content_review_ok", id=row.item_id, by=row.decided_by, when=when), markup=False
        )
    else:
        day = f"{row.ends_on:%d/%m/%Y}"
        message = t("cli.content_review_end", id=row.item_id, day=day, by=row.decided_by, when=when)
        out.print(message, markup=False)
