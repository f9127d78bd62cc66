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


MAX_ISSUES_SHOWN = 20
MAX_UNITS_SHOWN = 10
MAX_CODES_SHOWN = 50


@org_app.command("import")
def org_import(
    file: Annotated[
        Path, typer.Argument(help="Tệp .xlsx, .csv hoặc .txt (Unicode Text của Excel).")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Kiểm tra, không ghi.")] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Tên hoặc số thứ tự trang tính (tệp .xlsx).")
    ] = None,
    deactivate_missing: Annotated[
        bool,
        typer.Option(
            "--deactivate-missing",
            help=(
                "Đánh dấu nghỉ những người thuộc các đơn vị cấp cao nhất trong tệp "
                "nhưng không có tên trong tệp (không xóa dữ liệu)."
            ),
        ),
    ] = False,
) -> None:
    """Nhập danh sách nhân sự (Mã NV, Họ tên, Đơn vị, Vai trò, SĐT).

    Đơn vị: đường dẫn "Sở A/Phòng B", hoặc nhiều cột (Đơn vị, Phòng/Ban), mỗi cột một cấp.
    Không có cột Mã NV: người đã có được nhận ra theo số điện thoại, rồi theo họ tên trong
    đơn vị; người mới được cấp mã (chữ đầu tên đơn vị và số thứ tự, ví dụ PKH001).
    """
    try:
        rows = roster.read_roster(file, sheet=sheet)
        now = datetime.now(UTC)
        result = in_session(
            lambda s: roster.import_roster(
                s, rows=rows, now=now, deactivate_missing=deactivate_missing
            ),
            commit=not dry_run,
        )
    except roster.RosterError as exc:
        err.print(t("cli.roster_rejected", path=file, count=len(exc.issues)), markup=False)
        for issue in exc.issues[:MAX_ISSUES_SHOWN]:
            err.print(t("cli.roster_issue", file=file.name, issue=issue), markup=False)
        if len(exc.issues) > MAX_ISSUES_SHOWN:
            err.print(t("cli.roster_more", count=len(exc.issues) - MAX_ISSUES_SHOWN), markup=False)
        raise typer.Exit(1) from None
    if result.codeless:
        out.print(t("cli.roster_codeless"), markup=False)
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
    if result.new_units:
        # "/" in a unit cell makes sub-units: list them so nothing is created unseen.
        shown = ", ".join(result.new_units[:MAX_UNITS_SHOWN])
        more = len(result.new_units) - MAX_UNITS_SHOWN
        units = shown + (f", … (+{more})" if more > 0 else "")
        out.print(t("cli.roster_new_units", count=len(result.new_units), units=units), markup=False)
    if deactivate_missing:
        out.print(t("cli.roster_deactivated", count=result.deactivated), markup=False)
    _print_new_codes(result.new_codes)


def _print_new_codes(codes: list[tuple[str, str, int]]) -> None:
    """The codes given to newcomers of a file without codes: staff need them for invites."""
    if not codes:
        return
    out.print(t("cli.roster_new_codes", count=len(codes)), markup=False)
    for code, name, row in codes[:MAX_CODES_SHOWN]:
        out.print(t("cli.roster_new_code", code=code, name=name, row=row), markup=False)
    if len(codes) > MAX_CODES_SHOWN:
        out.print(t("cli.roster_more_codes", count=len(codes) - MAX_CODES_SHOWN), markup=False)


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
