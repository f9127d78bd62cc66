"""`atgt content check`: validate the shipped content and the admins' own files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.app import content_dirs
from bot.cli.common import err, fail, out, settings
from bot.content import check_content, load_content
from bot.core.texts import t

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
