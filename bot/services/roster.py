"""Roster files (.xlsx, .csv with Vietnamese headers): parse, validate, then upsert atomically."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person, Role, Unit
from bot.services.org import UnitPathError, ensure_unit, normalize_path
from bot.services.vntext import clean, fold

COLUMNS = {"code": "Mã NV", "name": "Họ tên", "unit": "Đơn vị", "role": "Vai trò", "phone": "SĐT"}
REQUIRED = ("code", "name", "unit")
HEADER_ALIASES = {
    "code": {"ma nv", "ma nhan vien", "ma", "ma can bo", "employee code", "code"},
    "name": {"ho ten", "ho va ten", "full name", "name"},
    "unit": {"don vi", "phong ban", "unit"},
    "role": {"vai tro", "quyen", "role"},
    "phone": {"sdt", "so dien thoai", "dien thoai", "phone"},
}
ROLE_ALIASES = {
    Role.EMPLOYEE: {"", "nhan vien", "can bo", "employee", "nv"},
    Role.MANAGER: {"quan ly", "lanh dao", "manager", "ql"},
    Role.ADMIN: {"quan tri", "quan tri vien", "admin"},
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PHONE_PATTERN = re.compile(r"^\+?\d{9,12}$")


@dataclass(frozen=True, slots=True)
class RosterIssue:
    """One problem in a roster file: where and why."""

    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"dòng {self.row}" if self.row else "",
                f"cột {self.column!r}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.reason}" if where else self.reason


class RosterError(Exception):
    """The file was rejected; nothing was written."""

    def __init__(self, path: Path, issues: list[RosterIssue]) -> None:
        super().__init__(f"{path}: {len(issues)} lỗi")
        self.path = path
        self.issues = issues


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A validated roster line."""

    row: int
    code: str
    name: str
    unit: str
    role: Role
    phone: str | None


@dataclass(slots=True)
class ImportResult:
    """What an import did (or would do, in a dry run)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0


def read_roster(path: Path) -> list[RosterRow]:
    """Parse and validate the whole file; raise RosterError listing every problem."""
    try:
        header, rows = _read_table(path)
    except Exception as exc:  # any parser failure on a user file is a clean rejection
        raise RosterError(path, [RosterIssue(None, None, f"không đọc được tệp: {exc}")]) from None
    mapping, issues = _map_header(header)
    if issues:
        raise RosterError(path, issues)
    parsed: list[RosterRow] = []
    for number, cells in rows:
        row, row_issues = _parse_row(number, {f: _cell(cells, i) for f, i in mapping.items()})
        issues += row_issues
        if row:
            parsed.append(row)
    issues += _duplicates(parsed)
    if issues:
        raise RosterError(path, issues)
    return parsed


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    """Header and numbered non-empty rows, from .xlsx or .csv."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        lines = list(_xlsx_lines(path))
    elif suffix == ".csv":
        lines = list(_csv_lines(path))
    else:
        raise ValueError("chỉ nhận tệp .xlsx hoặc .csv")
    lines = [(n, cells) for n, cells in lines if any(_text(c) for c in cells)]
    if not lines:
        raise ValueError("tệp không có dữ liệu")
    (_, header), rows = lines[0], lines[1:]
    return [_text(c) for c in header], rows


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[object]]]:
    """Rows of the first sheet, numbered as Excel shows them."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _csv_lines(path: Path) -> Iterator[tuple[int, list[object]]]:
    """Rows of a UTF-8 CSV (BOM tolerated), delimiter sniffed among , ; and tab."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, values in enumerate(csv.reader(text.splitlines(), dialect), start=1):
        yield number, list(values)


def _map_header(header: list[str]) -> tuple[dict[str, int], list[RosterIssue]]:
    """Column index per field, tolerant of case and missing diacritics."""
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        for field, aliases in HEADER_ALIASES.items():
            if fold(title) in aliases and field not in mapping:
                mapping[field] = index
    issues = [
        RosterIssue(1, COLUMNS[f], "thiếu cột bắt buộc") for f in REQUIRED if f not in mapping
    ]
    return mapping, issues


def _cell(cells: list[object], index: int) -> str:
    return _text(cells[index]) if index < len(cells) else ""


def _text(value: object) -> str:
    """Cell text; Excel turns codes like 1001 into floats, so undo that."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _parse_row(number: int, cells: dict[str, str]) -> tuple[RosterRow | None, list[RosterIssue]]:
    """Validate one row; collect every problem in it."""
    issues: list[RosterIssue] = []

    def bad(field: str, reason: str) -> None:
        issues.append(RosterIssue(number, COLUMNS[field], reason))

    code, name, unit = cells["code"], cells["name"], cells["unit"]
    if not code:
        bad("code", "thiếu mã nhân viên")
    elif not CODE_PATTERN.match(code):
        bad("code", f"mã {code!r} chỉ được gồm chữ, số, dấu chấm, gạch ngang (tối đa 64 ký tự)")
    if not name:
        bad("name", "thiếu họ tên")
    elif len(name) > 200:
        bad("name", "họ tên dài quá 200 ký tự")
    try:
        unit = normalize_path(unit) if unit else ""
    except UnitPathError:
        bad("unit", f"đường dẫn đơn vị {unit!r} có đoạn trống")
    if not unit and not any(i.column == COLUMNS["unit"] for i in issues):
        bad("unit", "thiếu đơn vị")
    role = _role(cells.get("role", ""))
    if role is None:
        bad("role", f"vai trò {cells.get('role')!r} không hợp lệ (nhân viên, quản lý, quản trị)")
    phone = re.sub(r"[\s.()-]", "", cells.get("phone", "")) or None
    if phone and not PHONE_PATTERN.match(phone):
        bad("phone", f"số điện thoại {cells.get('phone')!r} không hợp lệ")
    if issues or role is None:
        return None, issues
    return RosterRow(number, code, name, unit, role, phone), issues


def _role(text: str) -> Role | None:
    folded = fold(text)
    return next((role for role, names in ROLE_ALIASES.items() if folded in names), None)


def _duplicates(rows: list[RosterRow]) -> list[RosterIssue]:
    """Each employee code must appear once in the file."""
    first: dict[str, int] = {}
    issues = []
    for row in rows:
        if row.code in first:
            reason = f"mã {row.code!r} trùng với dòng {first[row.code]}"
            issues.append(RosterIssue(row.row, COLUMNS["code"], reason))
        else:
            first[row.code] = row.row
    return issues


async def import_roster(
    session: AsyncSession, *, rows: list[RosterRow], now: datetime
) -> ImportResult:
    """Upsert people by employee code and create missing units; the caller owns the transaction."""
    result = ImportResult()
    units_before = await _unit_count(session)
    existing = await _people_by_code(session, [row.code for row in rows])
    units: dict[str, int] = {}
    for row in rows:
        if row.unit not in units:
            units[row.unit] = (await ensure_unit(session, path=row.unit)).id
        _upsert(session, existing.get(row.code), row, units[row.unit], now, result)
    await session.flush()
    result.units_created = await _unit_count(session) - units_before
    return result


async def _unit_count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count(Unit.id)))).scalar_one()


async def _people_by_code(session: AsyncSession, codes: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(codes), 500):
        query = select(Person).where(Person.employee_code.in_(codes[start : start + 500]))
        found.update((p.employee_code, p) for p in (await session.execute(query)).scalars())
    return found


def _upsert(
    session: AsyncSession,
    person: Person | None,
    row: RosterRow,
    unit_id: int,
    now: datetime,
    result: ImportResult,
) -> None:
    """Create or update one person, counting what changed."""
    values = {
        "full_name": row.name,
        "unit_id": unit_id,
        "role": row.role,
        "phone": row.phone,
        "active": True,
    }
    if person is None:
        session.add(Person(employee_code=row.code, created_at=now, updated_at=now, **values))
        result.created += 1
    elif any(getattr(person, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(person, key, value)
        person.updated_at = now
        result.updated += 1
    else:
        result.unchanged += 1
