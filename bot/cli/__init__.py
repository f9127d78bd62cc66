"""The `atgt` command line: demo, run, db, org, invite (one module per area)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from bot.app import run_demo
from bot.cli import errors, vi
from bot.cli.broadcast import broadcast_app
from bot.cli.campaign import campaign_app
from bot.cli.common import err, fail, out, settings, state
from bot.cli.content import content_app
from bot.cli.invite import invite_app
from bot.cli.jobs import jobs_app
from bot.cli.org import org_app
from bot.cli.plans import ask, plan_app
from bot.cli.report import report_app
from bot.cli.status import status
from bot.cli.web import web_app
from bot.cli.zalo import zalo_app
from bot.content import ContentError
from bot.core.texts import t
from bot.db.migrate import upgrade_database
from bot.runtime import StartupError, serve
from bot.services import backup

vi.install()
# No rich tracebacks with local variables (they would print tokens); main() reports errors.
app = typer.Typer(
    help="Bot thi đua bảo đảm trật tự, an toàn giao thông.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
app.command("status")(status)

DEMO_DATABASE_URL = "sqlite+aiosqlite:///atgt-demo.db"


@app.callback()
def root(
    debug: Annotated[bool, typer.Option("--debug", help=t("cli.debug_help"))] = False,
) -> None:
    """Bot thi đua bảo đảm trật tự, an toàn giao thông."""
    state.debug = debug


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
        raise fail(errors.file_problem(exc, target)) from None
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
        raise fail(errors.file_problem(exc, source)) from None
    out.print(t("cli.restore_done", path=source), markup=False)


def main() -> None:
    """Entry point of the `atgt` console script: any failure becomes a short, redacted message."""
    threading.excepthook = _thread_failed
    try:
        app()
    except KeyboardInterrupt:
        err.print(t("cli.interrupted"), markup=False)
        sys.exit(130)
    except Exception as exc:
        loaded = state.settings
        context = {}
        if loaded is not None:
            # The Bot API base URL never contains the token (PTB appends it).
            context = {"database_url": loaded.database_url, "telegram_url": loaded.telegram_api_url}
        err.print(errors.report(exc, debug=state.debug, **context), markup=False, highlight=False)
        sys.exit(1)


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """A worker thread's uncaught error, reported like the main thread's (redacted)."""
    if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
        err.print(errors.report(args.exc_value, debug=state.debug), markup=False, highlight=False)
