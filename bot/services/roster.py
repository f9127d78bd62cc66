"""Roster files (.xlsx, .csv with Vietnamese headers): parse, validate, then upsert atomically."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.texts import t
from bot.db.models import Person, Role, Unit
from bot.services.org import SEPARATOR, UnitPathError, ensure_unit, split_path
from bot.services.roster_file import HEADER_SCAN_ROWS, TableError, read_table
from bot.services.roster_match import assign_codes, same_person_rows
from bot.services.vntext import clean, fold

COLUMNS = {"code": "Mã NV", "name": "Họ tên", "unit": "Đơn vị", "role": "Vai trò", "phone": "SĐT"}
# Without a code column (or with an empty one) people are matched by phone, then by name
# within their unit, and newcomers get generated codes: see roster_match.
REQUIRED = ("name", "unit")
# Header titles after folding (no case, diacritics or punctuation): "Phòng/Ban" -> "phong ban".
HEADER_ALIASES = {
    "code": {"ma nv", "ma nhan vien", "ma", "ma can bo", "ma so", "ma cb", "employee code", "code"},
    "name": {"ho ten", "ho va ten", "ten can bo", "ten nhan vien", "full name", "name"},
    # Several unit columns are levels of one path, left to right (Đơn vị, then Phòng/Ban).
    "unit": {
        "don vi",
        "don vi cong tac",
        "co quan",
        "duong dan don vi",
        "noi cong tac",
        # One column titled with both levels holds a path ("Sở A/Phòng B").
        "don vi phong ban",
        "phong ban don vi",
        "don vi bo phan",
        "phong ban",
        "phong",
        "ban",
        "bo phan",
        "to",
        "unit",
    },
    "role": {"vai tro", "quyen", "role"},
    "phone": {
        "sdt",
        "so dt",
        "so dien thoai",
        "dien thoai",
        "dien thoai di dong",
        "dien thoai lien he",
        "sdt di dong",
        "so dien thoai di dong",
        "di dong",
        "dtdd",
        "phone",
    },
}
# Recognised so they help find the header row, but not imported ("Chức vụ" is a job title,
# not a permission: roles come only from a "Vai trò" column).
IGNORED_HEADERS = {"stt", "tt", "so tt", "chuc vu", "chuc danh", "email", "ghi chu", "ngay sinh"}
FOOTER_WORDS = (
    "nguoi lap",
    "lap bieu",
    "thu truong",
    "ky ten",
    "ky ghi ro",
    "xac nhan",
    "giam doc",
    "tong cong",
    "tong so",
)
FOOTER_DATE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
ROLE_ALIASES = {
    Role.EMPLOYEE: {"", "nhan vien", "can bo", "employee", "nv"},
    Role.MANAGER: {"quan ly", "lanh dao", "manager", "ql"},
    Role.ADMIN: {"quan tri", "quan tri vien", "admin"},
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PHONE_PATTERN = re.compile(r"^\+?\d{9,12}$")
# Excel drops the leading 0 of numbers typed as numbers: mobiles (9 digits) and landlines (10).
STRIPPED_PHONE = re.compile(r"^(?:[35789]\d{8}|2\d{9})$")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SHOWN = 40  # characters of a cell value quoted in an error message


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
                t("roster.where_row", row=self.row) if self.row else "",
                t("roster.where_column", column=self.column) if self.column else "",
            )
            if part
        )
        return f"{where}: {self.reason}" if where else self.reason


class RosterError(Exception):
    """The file was rejected; nothing was written."""

    def __init__(self, path: Path | None, issues: list[RosterIssue]) -> None:
        super().__init__(f"{path}: {len(issues)} lỗi" if path else f"{len(issues)} lỗi")
        self.path = path
        self.issues = issues


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A validated roster line; `code` is None when the file has no codes."""

    row: int
    code: str | None
    name: str
    unit: str
    role: Role
    phone: str | None
    name_column: str = COLUMNS["name"]  # as the file titles it, for messages at import time
    # Fields the file has no column for: people already imported keep theirs (an HR export
    # without "Vai trò" must not demote every manager).
    keep: frozenset[str] = frozenset()


@dataclass(slots=True)
class ImportResult:
    """What an import did (or would do, in a dry run)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    deactivated: int = 0
    new_units: list[str] = dataclasses.field(default_factory=list)
    codeless: bool = False  # the file had no codes: people were matched, newcomers coded
    # (code, name, row) of each newcomer given a code
    new_codes: list[tuple[str, str, int]] = dataclasses.field(default_factory=list)


def read_roster(path: Path, *, sheet: str | None = None) -> list[RosterRow]:
    """Parse and validate the whole file; raise RosterError listing every problem."""
    try:
        table = read_table(path, sheet=sheet)
    except TableError as exc:
        raise RosterError(path, [RosterIssue(None, None, str(exc))]) from None
    except FileNotFoundError:
        reason = t("roster.no_file")
        raise RosterError(path, [RosterIssue(None, None, reason)]) from None
    except OSError:
        reason = t("roster.cannot_open")
        raise RosterError(path, [RosterIssue(None, None, reason)]) from None
    except Exception:  # any parser failure on a user file is a clean rejection
        reason = t("roster.broken")
        raise RosterError(path, [RosterIssue(None, None, reason)]) from None
    header = find_header(table.rows)
    if header is None:
        columns = ", ".join(COLUMNS[f] for f in REQUIRED)
        reason = t("roster.no_header", columns=columns, rows=HEADER_SCAN_ROWS)
        raise RosterError(path, [RosterIssue(None, None, reason)])
    number, mapping = header
    titles = _titles(table.rows, number, mapping)
    issues = [
        RosterIssue(number, COLUMNS[f], t("roster.missing_column"))
        for f in REQUIRED
        if f not in mapping
    ]
    if issues:
        raise RosterError(path, issues)
    parsed: list[RosterRow] = []
    body, issues = _body(table.rows, number, mapping)
    if "code" in mapping and not any(cells["code"][0] for _, cells in body):
        # A template's "Mã NV" column nobody filled in: the same as no column.
        del mapping["code"], titles["code"]
        body, issues = _body(table.rows, number, mapping)
    for row_number, cells in body:
        row, row_issues = _parse_row(row_number, cells, titles)
        issues += row_issues
        if row:
            parsed.append(row)
    if "code" in mapping:
        issues += _duplicates(parsed, titles["code"][0])
    else:
        column = titles["name"][0]
        issues += [RosterIssue(row, column, reason) for row, reason in same_person_rows(parsed)]
    if issues:
        raise RosterError(path, issues)
    return parsed


def find_header(rows: list[tuple[int, list[object]]]) -> tuple[int, dict[str, list[int]]] | None:
    """The header row near the top (a title may sit above it) and its column indexes per field."""
    for number, cells in rows:
        if number > HEADER_SCAN_ROWS:
            break
        mapping = _map_header([_text(c) for c in cells])
        if "name" in mapping and ("code" in mapping or "unit" in mapping):
            return number, mapping
    return None


def _header_key(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(title)).split())


def _map_header(header: list[str]) -> dict[str, list[int]]:
    """Column indexes per field, tolerant of case, diacritics and punctuation."""
    mapping: dict[str, list[int]] = {}
    for index, title in enumerate(header):
        key = _header_key(title)
        for field, aliases in HEADER_ALIASES.items():
            if key in aliases and (field == "unit" or field not in mapping):
                mapping.setdefault(field, []).append(index)
                break
    return mapping


def _body(
    rows: list[tuple[int, list[object]]], header: int, mapping: dict[str, list[int]]
) -> tuple[list[tuple[int, dict[str, list[str]]]], list[RosterIssue]]:
    """Data rows below the header, up to a footer (signature block, totals, place and date).

    A person's row after the footer is refused rather than dropped unseen.
    """
    body: list[tuple[int, dict[str, list[str]]]] = []
    issues: list[RosterIssue] = []
    footer = None
    for number, cells in rows:
        if number <= header:
            continue
        values = {f: [_cell(cells, i) for i in idx] for f, idx in mapping.items()}
        code, name = values.get("code", [""])[0], values["name"][0]
        if footer is not None:
            # Without codes a person is a name with a unit (the signer's name has none).
            if "code" in mapping:
                person = bool(CODE_PATTERN.match(code) and name)
            else:
                person = bool(name and values["unit"][0] and not _footer_like(name))
            if person:
                issues.append(RosterIssue(number, None, t("roster.after_footer", footer=footer)))
            continue
        unlike_person = not CODE_PATTERN.match(code) and (not name or _footer_like(name))
        if unlike_person and any(_footer_like(_text(cell)) for cell in cells):
            footer = number
            continue
        if code or name:
            body.append((number, values))  # blank and section rows carry nobody
    return body, issues


def _footer_like(text: str) -> bool:
    key = _header_key(text)
    return bool(key) and (
        any(word in key for word in FOOTER_WORDS) or bool(FOOTER_DATE.search(key))
    )


def _cell(cells: list[object], index: int) -> str:
    return _text(cells[index]) if index < len(cells) else ""


def _text(value: object) -> str:
    """Cell text; Excel turns codes like 1001 into floats, so undo that."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value).translate(ZERO_WIDTH))


def _clip(text: str) -> str:
    """A value as quoted in a message: repr of at most SHOWN characters."""
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def _hidden(text: str) -> str | None:
    """The first bidi override or control character (spoofing), as its U+ code point."""
    for char in text:
        if unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs"):
            return f"U+{ord(char):04X}"
    return None


def _titles(
    rows: list[tuple[int, list[object]]], header: int, mapping: dict[str, list[int]]
) -> dict[str, list[str]]:
    """Each field's columns as the file titles them, so messages name what the user sees."""
    cells = next(cells for number, cells in rows if number == header)
    return {f: [_cell(cells, i) for i in idx] for f, idx in mapping.items()}


def _parse_row(
    number: int, cells: dict[str, list[str]], titles: dict[str, list[str]]
) -> tuple[RosterRow | None, list[RosterIssue]]:
    """Validate one row; collect every problem in it."""
    issues: list[RosterIssue] = []

    def bad(field: str, reason: str, level: int | None = None) -> None:
        names = titles.get(field, [COLUMNS[field]])
        column = names[level] if level is not None else ", ".join(names)
        issues.append(RosterIssue(number, column, reason))

    for field, values in cells.items():
        hidden = next((h for h in map(_hidden, values) if h), None)
        if hidden:
            bad(field, t("roster.hidden_char", char=hidden))
    if issues:
        return None, issues
    # No code column: None, the person is matched or given a code at import.
    code, name = cells["code"][0] if "code" in cells else None, cells["name"][0]
    if code == "":
        bad("code", t("roster.no_code"))
    elif code is not None and not CODE_PATTERN.match(code):
        bad("code", t("roster.bad_code", code=_clip(code)))
    if not name:
        bad("name", t("roster.no_name"))
    elif len(name) > 200:
        bad("name", t("roster.long_name", name=_clip(name)))
    unit = _unit_path(cells["unit"], bad)
    role_text = cells.get("role", [""])[0]
    role = parse_role(role_text)
    if role is None:
        bad("role", t("roster.bad_role", role=_clip(role_text)))
    phone = _phone(cells.get("phone", [""])[0])
    if phone and not PHONE_PATTERN.match(phone):
        bad("phone", t("roster.bad_phone", phone=_clip(cells["phone"][0])))
    if issues or role is None or unit is None:
        return None, issues
    name_column = titles["name"][0]
    keep = frozenset(field for field in ("role", "phone") if field not in cells)
    return RosterRow(number, code, name, unit, role, phone, name_column, keep), issues


def _unit_path(levels: list[str], bad: Callable[..., None]) -> str | None:
    """One unit column holds a path ("Sở A/Phòng B"); several columns hold one level each."""
    if len(levels) == 1:
        if not levels[0]:
            return bad("unit", t("roster.no_unit"))
        try:
            parts = split_path(levels[0])
        except UnitPathError:
            return bad("unit", t("roster.empty_segment", path=_clip(levels[0])))
    else:
        slashed = next((i for i, level in enumerate(levels) if SEPARATOR in level), None)
        if slashed is not None:
            reason = t("roster.slash_in_level", name=_clip(levels[slashed]))
            return bad("unit", reason, slashed)
        parts = list(levels)
        while parts and not parts[-1]:
            parts.pop()  # a person directly in the upper unit leaves the lower column empty
        if not parts or not all(parts):
            return bad("unit", t("roster.no_unit"))
    path = SEPARATOR.join(parts)
    if any(len(part) > 200 for part in parts) or len(path) > 1000:
        return bad("unit", t("roster.long_unit", path=_clip(path)))
    return path


def _phone(text: str) -> str | None:
    """Digits of a phone number, with the leading 0 Excel strips from numbers restored."""
    phone = re.sub(r"[\s.()/-]", "", text)
    if STRIPPED_PHONE.match(phone):
        phone = "0" + phone
    return phone or None


def parse_role(text: str) -> Role | None:
    """A role from its Vietnamese name (any case, diacritics or punctuation) or English value."""
    folded = _header_key(text)
    return next((role for role, names in ROLE_ALIASES.items() if folded in names), None)


def _duplicates(rows: list[RosterRow], title: str) -> list[RosterIssue]:
    """Each employee code must appear once in the file (codes ignore case)."""
    first: dict[str, int] = {}
    issues = []
    for row in rows:
        key = row.code.upper()
        if key in first:
            reason = t("roster.duplicate", code=_clip(row.code), row=first[key])
            issues.append(RosterIssue(row.row, title, reason))
        else:
            first[key] = row.row
    return issues


async def import_roster(
    session: AsyncSession,
    *,
    rows: list[RosterRow],
    now: datetime,
    deactivate_missing: bool = False,
) -> ImportResult:
    """Upsert people by employee code and create missing units; the caller owns the transaction.

    Rows without codes are first matched to existing people or given new codes (RosterError
    when a row could be several people). With `deactivate_missing`, active people under the
    file's top-level units who are not in the file are marked inactive; nothing of theirs is
    deleted and a later import revives them.
    """
    result = ImportResult()
    if any(row.code is None for row in rows):
        rows = await _with_codes(session, rows, result)
    existing_units = set((await session.execute(select(Unit.path))).scalars())
    existing = await _people_by_code(session, [row.code for row in rows])
    units: dict[str, int] = {}
    for row in rows:
        if row.unit not in units:
            units[row.unit] = (await ensure_unit(session, path=row.unit)).id
        _upsert(session, existing.get(row.code.upper()), row, units[row.unit], now, result)
    await session.flush()
    all_units = set((await session.execute(select(Unit.path))).scalars())
    result.new_units = sorted(all_units - existing_units)
    result.units_created = len(result.new_units)
    if deactivate_missing:
        result.deactivated = await _deactivate_missing(session, rows=rows, now=now)
    return result


async def _with_codes(
    session: AsyncSession, rows: list[RosterRow], result: ImportResult
) -> list[RosterRow]:
    """The rows (of one file: none has a code) with the codes of the people they match, or
    new ones listed in `result`."""
    assignment = await assign_codes(session, rows)
    if assignment.conflicts:
        column = {row.row: row.name_column for row in rows}
        issues = [RosterIssue(n, column[n], reason) for n, reason in assignment.conflicts]
        raise RosterError(None, issues)
    result.codeless = True
    result.new_codes = [(assignment.codes[i], rows[i].name, rows[i].row) for i in assignment.new]
    return [
        dataclasses.replace(row, code=code)
        for row, code in zip(rows, assignment.codes, strict=True)
    ]


async def _deactivate_missing(
    session: AsyncSession, *, rows: list[RosterRow], now: datetime
) -> int:
    """Mark inactive the active people of the file's top-level units whom the file leaves out."""
    roots = {fold(row.unit.split(SEPARATOR)[0]) for row in rows}
    codes = {row.code.upper() for row in rows}
    query = select(Person, Unit.path).join(Person.unit).where(Person.active.is_(True))
    count = 0
    for person, path in (await session.execute(query)).all():
        if fold(path.split(SEPARATOR)[0]) in roots and person.employee_code.upper() not in codes:
            person.active = False
            person.updated_at = now
            count += 1
    await session.flush()
    return count


async def _people_by_code(session: AsyncSession, codes: list[str]) -> dict[str, Person]:
    """People whose code matches one of `codes` ignoring case, keyed by the upper-cased code."""
    found: dict[str, Person] = {}
    keys = sorted({code.upper() for code in codes})
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(Person).where(func.upper(Person.employee_code).in_(chunk))
        found.update((p.employee_code.upper(), p) for p in (await session.execute(query)).scalars())
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
        "employee_code": row.code,
        "full_name": row.name,
        "unit_id": unit_id,
        "role": row.role,
        "phone": row.phone,
        "active": True,
    }
    if person is None:
        session.add(Person(created_at=now, updated_at=now, **values))
        result.created += 1
        return
    for field in row.keep:
        del values[field]
    if any(getattr(person, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(person, key, value)
        person.updated_at = now
        result.updated += 1
    else:
        result.unchanged += 1
