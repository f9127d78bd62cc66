"""Rosters without employee codes: find who each row is, and mint short codes for newcomers.

Matching rule, in order (the same file imported again updates the same people):
1. the phone number (normalised, +84 read as 0), when it appears once in the file and belongs
   to exactly one existing person who still has the row's name or unit (a shared office line
   or a reassigned number is not an identity);
2. otherwise the folded name within the unit path (no case, diacritics or extra spaces), when
   exactly one not yet matched person has it and only one unmatched row asks for it; a person
   marked as left whose phone differs from the row's is someone else, not a candidate;
3. otherwise a new person, coded with the initials of their unit plus a sequence ("PKH001"),
   continuing after the highest code with that prefix and never equal to any code in any case.
Rows that could be several people are reported, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.texts import t
from bot.db.models import Person, Unit
from bot.services.org import SEPARATOR, path_key
from bot.services.vntext import fold

SEQUENCE_WIDTH = 3
MAX_PREFIX = 6
LINKING_WORDS = {"VA", "CUA", "CAC", "VE"}  # "và", "của", "các", "về"
DEFAULT_PREFIX = "NV"
SHOWN = 40


class Row(Protocol):
    """What matching reads of a roster row."""

    row: int
    name: str
    unit: str
    phone: str | None


@dataclass(frozen=True, slots=True)
class Known:
    """An existing person as matching sees them."""

    code: str
    name: str
    unit: str
    phone: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Assignment:
    """Codes per row (in order), the rows given new codes, and rows that could not be told apart."""

    codes: list[str | None]
    new: list[int]  # indexes into the rows
    conflicts: list[tuple[int, str]]  # (row number, reason)


def person_key(name: str, unit: str) -> tuple[str, str]:
    """Name and unit as people retype them."""
    return fold(name), path_key(unit)


def phone_key(phone: str | None) -> str | None:
    """A phone as one number: +84 912… and 0912… are the same."""
    if not phone:
        return None
    digits = phone.lstrip("+")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def _clip(text: str) -> str:
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def same_person_rows(rows: Sequence[Row]) -> list[tuple[int, str]]:
    """Rows sharing name and unit that no phone tells apart: (row number, reason).

    Namesakes in one unit are distinct people when their phones differ; at most one of
    them may have no phone.
    """
    issues = []
    seen: dict[tuple[str, str, str | None], int] = {}  # name, unit, phone -> first row
    for row in rows:
        phone = phone_key(row.phone)
        key = (*person_key(row.name, row.unit), phone)
        if key in seen:
            reason = "roster.same_row" if phone else "roster.same_person"
            issues.append((row.row, t(reason, name=_clip(row.name), row=seen[key])))
        else:
            seen[key] = row.row
    return issues


async def assign_codes(session: AsyncSession, rows: Sequence[Row]) -> Assignment:
    """Match every row to an existing person or a new code (see the module docstring)."""
    query = select(
        Person.employee_code, Person.full_name, Unit.path, Person.phone, Person.active
    ).join(Unit, Unit.id == Person.unit_id)
    known = [Known(*found) for found in (await session.execute(query)).all()]
    codes: list[str | None] = [None] * len(rows)
    claimed: set[str] = set()
    _match_phones(rows, known, codes, claimed)
    conflicts = _match_names(rows, known, codes, claimed)
    new = [i for i, code in enumerate(codes) if code is None]
    if not conflicts:
        mint = Minter(k.code for k in known)
        for i in new:
            codes[i] = mint.next(rows[i].unit)
    return Assignment(codes, new, sorted(conflicts))


def _match_phones(
    rows: Sequence[Row], known: list[Known], codes: list[str | None], claimed: set[str]
) -> None:
    by_phone: dict[str, list[Known]] = defaultdict(list)
    for person in known:
        if key := phone_key(person.phone):
            by_phone[key].append(person)
    in_file: dict[str, int] = defaultdict(int)
    for row in rows:
        if key := phone_key(row.phone):
            in_file[key] += 1
    for i, row in enumerate(rows):
        key = phone_key(row.phone)
        if not key or in_file[key] > 1:
            continue  # one line shared by several people identifies none of them
        name, unit = person_key(row.name, row.unit)
        owners = [
            p for p in by_phone.get(key, []) if fold(p.name) == name or path_key(p.unit) == unit
        ]
        if len(owners) == 1 and owners[0].code.upper() not in claimed:
            codes[i] = owners[0].code
            claimed.add(owners[0].code.upper())


def _match_names(
    rows: Sequence[Row], known: list[Known], codes: list[str | None], claimed: set[str]
) -> list[tuple[int, str]]:
    by_key: dict[tuple[str, str], list[Known]] = defaultdict(list)
    for person in known:
        by_key[person_key(person.name, person.unit)].append(person)
    waiting: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if codes[i] is None:
            waiting[person_key(row.name, row.unit)].append(i)
    conflicts = []
    for key, indexes in waiting.items():
        phones = [phone_key(rows[i].phone) for i in indexes]
        people = [
            p
            for p in by_key.get(key, [])
            if p.code.upper() not in claimed and not _someone_else(p, phones)
        ]
        if not people:
            continue  # all new
        if len(indexes) == 1 and len(people) == 1:
            codes[indexes[0]] = people[0].code
            claimed.add(people[0].code.upper())
            continue
        shown = ", ".join(sorted(p.code for p in people)[:10])
        for i in indexes:
            row = rows[i]
            if len(indexes) == 1:
                reason = t(
                    "roster.matches_many", name=_clip(row.name), count=len(people), codes=shown
                )
            else:
                others = ", ".join(str(rows[j].row) for j in indexes if j != i)
                reason = t("roster.matches_unclear", name=_clip(row.name), rows=others, codes=shown)
            conflicts.append((row.row, reason))
    return conflicts


def _someone_else(person: Known, phones: list[str | None]) -> bool:
    """A namesake who left, while every row asking has another phone: a newcomer, not them
    (reviving them would hand the newcomer their history and linked accounts)."""
    own = phone_key(person.phone)
    return not person.active and own is not None and all(p and p != own for p in phones)


class Minter:
    """New codes: unit initials plus the next number for that prefix, unique in any case."""

    def __init__(self, existing: Iterable[str]) -> None:
        self._taken = {code.upper() for code in existing}
        self._next: dict[str, int] = {}

    def next(self, unit: str) -> str:
        prefix = code_prefix(unit)
        if prefix not in self._next:
            pattern = re.compile(re.escape(prefix) + r"(\d+)")
            numbers = [int(m[1]) for c in self._taken if (m := pattern.fullmatch(c))]
            self._next[prefix] = max(numbers, default=0) + 1
        while True:
            code = f"{prefix}{self._next[prefix]:0{SEQUENCE_WIDTH}d}"
            self._next[prefix] += 1
            if code not in self._taken:
                self._taken.add(code)
                return code


def code_prefix(unit: str) -> str:
    """Initials of the unit's own name: "Phòng Tài nguyên và Môi trường" -> "PTNMT".

    A word typed in capitals ("UBND", "TN&MT") is an acronym and kept whole, never cut;
    linking words and numbers are left out so the sequence that follows stays readable.
    """
    name = unit.rpartition(SEPARATOR)[2]
    prefix = ""
    for word in re.findall(r"\w+", name):
        folded = re.sub(r"[^A-Z0-9]", "", fold(word).upper())
        if not folded or folded[0].isdigit() or folded in LINKING_WORDS:
            continue
        piece = folded if word.isupper() and len(word) > 1 and folded.isalpha() else folded[0]
        if len(prefix + piece) > MAX_PREFIX:
            prefix = prefix or piece[:MAX_PREFIX]  # a very long acronym alone is cut
            break
        prefix += piece
    return prefix or DEFAULT_PREFIX
