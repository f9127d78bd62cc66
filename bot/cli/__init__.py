"""The `atgt` command line: demo, run, db, org, invite (one module per area)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.app import run_demo
from bot.cli.broadcast import broadcast_app
from bot.cli.campaign import campaign_app
from bot.cli.common import fail, out, settings
from bot.cli.content import content_app
from bot.cli.invite import invite_app
from bot.cli.jobs import jobs_app
from bot.cli.org import org_app
from bot.cli.plans import ask, plan_app
from bot.cli.report import report_app
from bot.cli.web import web_app
from bot.cli.zalo import zalo_app
from bot.content import ContentError
from bot.core.texts import t
from bot.db.migrate import upgrade_database
from bot.runtime import StartupError, serve
from bot.services import backup

app = typer.Typer(help="Bot thi đua bảo đảm trật tự, an toàn giao thông.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(plan_app, name="plan")
app.command("ask")(ask)
app.add_typer(invite_app, name="invite")
app.add_typer(content_app, name="content")
app.add_typer(jobs_app, name="jobs")
app.add_typer(zalo_app, name="zalo")
app.add_typer(web_app, name="web")
app.add_typer(campaign_app, name="campaign")
app.add_typer(broadcast_app, name="broadcast")
app.add_typer(report_app, name="report")

DEMO_DATABASE_URL = "sqlite+aiosqlite:///atgt-demo.db"


@app.command()
def demo(
    database_url: Annotated[
        str, typer.Option(help="Cơ sở dữ liệu của bản thử (mặc định: atgt-demo.db).")
    ] = DEMO_DATABASE_URL,
) -> None:
    """Chạy bot trên máy tính với dữ liệu mẫu; gõ tin nhắn như trong Telegram."""
    run_demo(settings(database_url=database_url), stdin=sys.stdin, stdout=sys.stdout)


@app.command()
def run() -> None:
    """Chạy bot với các kênh đã cấu hình (Telegram, Zalo Bot, Zalo OA)."""
    config = settings()
    try:
        asyncio.run(serve(config))
    except StartupError as exc:
        raise fail(str(exc), 2) from None
    except ContentError as exc:
        raise fail(t("cli.content_refused", issues=exc), 2) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Áp dụng các migration (alembic upgrade head)."""
    upgrade_database(settings().database_url)
    out.print(t("cli.db_upgraded"))


@db_app.command("backup")
def db_backup(target: Annotated[Path, typer.Argument(help="Tệp sao lưu sẽ ghi.")]) -> None:
    """Sao lưu cơ sở dữ liệu (SQLite: bản sao nhất quán; PostgreSQL: pg_dump)."""
    try:
        backup.backup(settings().database_url, target)
    except (backup.BackupError, OSError, sqlite3.Error) as exc:
        raise fail(str(exc)) from None
    out.print(t("cli.backup_done", path=target), markup=False)


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(help="Tệp sao lưu.")],
    yes: Annotated[bool, typer.Option("--yes", help="Xác nhận ghi đè dữ liệu hiện tại.")] = False,
) -> None:
    """Khôi phục từ tệp sao lưu (dừng bot trước; dữ liệu hiện tại bị thay thế)."""
    if not yes:
        raise fail(t("cli.restore_confirm"), 2)
    try:
        backup.restore(settings().database_url, source)
    except (backup.BackupError, OSError, sqlite3.Error) as exc:
        raise fail(str(exc)) from None
    out.print(t("cli.restore_done", path=source), markup=False)


def main() -> None:
    """Entry point of the `atgt` console script."""
    app()
