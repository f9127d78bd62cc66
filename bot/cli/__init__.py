"""The `atgt` command line: demo, run, db, org, invite (one module per area)."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from bot.app import run_demo
from bot.cli.common import fail, out, settings
from bot.cli.content import content_app
from bot.cli.invite import invite_app
from bot.cli.jobs import jobs_app
from bot.cli.org import org_app
from bot.content import ContentError
from bot.core.texts import t
from bot.db.migrate import upgrade_database
from bot.runtime import StartupError, serve

app = typer.Typer(help="Bot thi đua bảo đảm trật tự, an toàn giao thông.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(invite_app, name="invite")
app.add_typer(content_app, name="content")
app.add_typer(jobs_app, name="jobs")

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
    """Chạy bot với các kênh đã cấu hình (Telegram: polling hoặc webhook)."""
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


def main() -> None:
    """Entry point of the `atgt` console script."""
    app()
