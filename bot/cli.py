"""The `atgt` command line: demo, db, org, invite."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.tree import Tree
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import configure_logging, run_demo
from bot.core.texts import t
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker
from bot.runtime import StartupError, serve
from bot.services import invites, org, roster
from bot.services.exports import write_xlsx
from bot.settings import Settings, SettingsError, load_settings

app = typer.Typer(help="Bot thi đua bảo đảm trật tự, an toàn giao thông.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
org_app = typer.Typer(help="Tổ chức: đơn vị và nhân sự.", no_args_is_help=True)
invite_app = typer.Typer(help="Mã mời tham gia bot.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(invite_app, name="invite")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")
DEMO_DATABASE_URL = "sqlite+aiosqlite:///atgt-demo.db"


def settings(**overrides: object) -> Settings:
    """Load settings or stop with a message naming the bad key."""
    try:
        loaded = load_settings(**overrides)
    except SettingsError as exc:
        err.print(t("cli.settings_error", error=exc), markup=False)
        raise typer.Exit(2) from None
    configure_logging(loaded)
    return loaded


def in_session(work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = True) -> T:
    """Run `work` in one transaction on the configured database; roll back unless `commit`."""

    async def run() -> T:
        engine = make_engine(settings().database_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                result = await work(session)
                if not commit:
                    await session.rollback()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


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
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Áp dụng các migration (alembic upgrade head)."""
    upgrade_database(settings().database_url)
    out.print(t("cli.db_upgraded"))


@org_app.command("import")
def org_import(
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx hoặc .csv.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Kiểm tra, không ghi.")] = False,
) -> None:
    """Nhập danh sách nhân sự (Mã NV, Họ tên, Đơn vị, Vai trò, SĐT)."""
    try:
        rows = roster.read_roster(file)
    except roster.RosterError as exc:
        err.print(t("cli.roster_rejected", path=file, count=len(exc.issues)), markup=False)
        for issue in exc.issues:
            err.print(f"  - {issue}", markup=False)
        raise typer.Exit(1) from None
    now = datetime.now(UTC)
    result = in_session(lambda s: roster.import_roster(s, rows=rows, now=now), commit=not dry_run)
    mode = t("cli.roster_mode_dry" if dry_run else "cli.roster_mode_real")
    out.print(
        t(
            "cli.roster_done",
            mode=mode,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            units=result.units_created,
        ),
        markup=False,
    )


@org_app.command("show")
def org_show() -> None:
    """In cây đơn vị kèm số người."""
    units = in_session(org.unit_tree, commit=False)
    if not units:
        out.print(t("cli.org_empty"))
        return
    tree = Tree(t("cli.org_root"))
    nodes: dict[str, Tree] = {}
    for unit in units:
        parent = nodes.get(unit.path.rpartition(org.SEPARATOR)[0], tree)
        label = f"{unit.name} — {t('cli.people', count=unit.total)}"
        nodes[unit.path] = parent.add(label, highlight=False)
    out.print(tree, markup=False)


@invite_app.command("create")
def invite_create(
    person: Annotated[str | None, typer.Option(help="Mã nhân viên.")] = None,
    unit: Annotated[str | None, typer.Option(help="Đơn vị (cả đơn vị con).")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Tệp .xlsx để trộn thư.")] = None,
    include_linked: Annotated[bool, typer.Option(help="Tạo cả cho người đã liên kết bot.")] = False,
) -> None:
    """Tạo mã mời dùng một lần, cho một người hoặc cả đơn vị."""
    config = settings()
    ttl = timedelta(days=config.invite_ttl_days)
    if person:
        _invite_person(config, person, ttl)
    elif unit and xlsx:
        _invite_unit(config, unit, xlsx, ttl, include_linked)
    else:
        err.print(t("cli.invite_need_xlsx" if unit else "cli.invite_need_target"))
        raise typer.Exit(2)


def _invite_person(config: Settings, code: str, ttl: timedelta) -> None:
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> tuple[str, str] | None:
        found = await org.find_person(session, code=code)
        if found is None:
            return None
        return found.full_name, await invites.create_invite(session, person=found, now=now, ttl=ttl)

    created = in_session(work)
    if created is None:
        err.print(t("cli.person_unknown", code=code), markup=False)
        raise typer.Exit(1)
    name, invite = created
    expires = (now + ttl).astimezone(config.tz).strftime("%d/%m/%Y %H:%M")
    out.print(
        t("cli.invite_one", name=name, code=code, invite=invite, expires=expires), markup=False
    )
    link = invites.deep_link(config.telegram_bot_username, invite)
    out.print(t("cli.invite_link", link=link) if link else t("cli.invite_no_link"), markup=False)


def _invite_unit(
    config: Settings, path: str, xlsx: Path, ttl: timedelta, include_linked: bool
) -> None:
    now = datetime.now(UTC)
    expires = (now + ttl).astimezone(config.tz).strftime("%d/%m/%Y %H:%M")

    async def work(session: AsyncSession) -> list[list[str]] | None:
        found = await org.find_unit(session, path=path)
        if found is None:
            return None
        rows = []
        for person in await org.people_in(session, unit=found):
            if person.accounts and not include_linked:
                continue
            code = await invites.create_invite(session, person=person, now=now, ttl=ttl)
            link = invites.deep_link(config.telegram_bot_username, code) or ""
            rows.append(
                [
                    person.employee_code,
                    person.full_name,
                    person.unit.path,
                    person.phone or "",
                    code,
                    link,
                    expires,
                ]
            )
        return rows

    rows = in_session(work)
    if rows is None:
        err.print(t("cli.unit_unknown", path=path), markup=False)
        raise typer.Exit(1)
    header = ["Mã NV", "Họ tên", "Đơn vị", "SĐT", "Mã mời", "Đường link", "Hết hạn"]
    write_xlsx(xlsx, title="Mã mời", header=header, rows=rows)
    out.print(t("cli.invite_bulk", count=len(rows), path=path, out=xlsx), markup=False)


def main() -> None:
    """Entry point of the `atgt` console script."""
    app()
