"""`atgt org`: import the staff roster and show the unit tree."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import err, fail, in_session, out
from bot.core.texts import t
from bot.services import org, privacy, roster

org_app = typer.Typer(help="Tổ chức: đơn vị và nhân sự.", no_args_is_help=True)


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


@org_app.command("forget")
def forget(
    code: Annotated[str, typer.Argument(help="Mã nhân viên.")],
    export: Annotated[Path | None, typer.Option(help="Xuất dữ liệu ra JSON trước khi xóa.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Xác nhận xóa vĩnh viễn.")] = False,
) -> None:
    """Xuất và/hoặc xóa toàn bộ dữ liệu của một người."""
    if not yes and export is None:
        raise fail(t("cli.forget_confirm"), 2)

    async def work(session: AsyncSession) -> tuple[dict, int] | None:
        person = await org.find_person(session, code=code)
        if person is None:
            return None
        data = await privacy.export_person(session, person=person)
        deleted = await privacy.forget_person(session, person=person) if yes else 0
        return data, deleted

    result = in_session(work)
    if result is None:
        raise fail(t("cli.person_unknown", code=code))
    data, deleted = result
    if export is not None:
        export.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        out.print(t("cli.export_done", path=export), markup=False)
    if yes:
        out.print(t("cli.forget_done", code=code, count=deleted), markup=False)
