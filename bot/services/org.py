"""Organisation: units as a tree addressed by path, people, and channel accounts."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Person, Role, Unit
from bot.services.vntext import clean, fold

SEPARATOR = "/"


class UnitPathError(ValueError):
    """A unit path with an empty segment."""


def split_path(path: str) -> list[str]:
    """Split `Sở TT&TT / Văn phòng` into clean segment names."""
    parts = [clean(part) for part in path.split(SEPARATOR)]
    if not parts or any(not part for part in parts):
        raise UnitPathError(path)
    return parts


def normalize_path(path: str) -> str:
    """The canonical stored form of a unit path."""
    return SEPARATOR.join(split_path(path))


async def ensure_unit(session: AsyncSession, *, path: str) -> Unit:
    """Return the unit at `path`, creating it and any missing ancestors."""
    parent: Unit | None = None
    parts = split_path(path)
    for depth in range(len(parts)):
        # Below an existing unit matched loosely, the stored spelling of the parents is kept.
        prefix = parts[depth] if parent is None else parent.path + SEPARATOR + parts[depth]
        unit = await find_unit(session, path=prefix)
        if unit is None:
            unit = Unit(name=parts[depth], path=prefix, depth=depth, parent=parent)
            session.add(unit)
            await session.flush()
        parent = unit
    assert parent is not None
    return parent


def ancestor_paths(path: str) -> list[str]:
    """ "A/B/C" -> ["A/B/C", "A/B", "A"]: the unit itself first."""
    parts = path.split(SEPARATOR)
    return [SEPARATOR.join(parts[:n]) for n in range(len(parts), 0, -1)]


async def find_unit(session: AsyncSession, *, path: str) -> Unit | None:
    """The unit at this path; case, diacritics and spacing are forgiven when that is unambiguous."""
    exact = normalize_path(path)
    unit = (await session.execute(select(Unit).where(Unit.path == exact))).scalar_one_or_none()
    if unit is not None:
        return unit
    key = path_key(exact)
    same_depth = select(Unit).where(Unit.depth == exact.count(SEPARATOR))
    loose = [u for u in (await session.execute(same_depth)).scalars() if path_key(u.path) == key]
    return loose[0] if len(loose) == 1 else None


def path_key(path: str) -> str:
    """A unit path as people type it: no case, diacritics or spaces around the separators."""
    return SEPARATOR.join(fold(part) for part in path.split(SEPARATOR))


async def suggest_unit(session: AsyncSession, *, path: str) -> str | None:
    """The existing unit path closest to a mistyped one ("Có phải …?"), if any is close."""
    paths = list((await session.execute(select(Unit.path))).scalars())
    keys = {path_key(p): p for p in paths}
    wanted = path_key(path)
    close = difflib.get_close_matches(wanted, list(keys), n=1, cutoff=0.6)
    if not close:  # a bare unit name typed without its parents
        names = {path_key(p.rpartition(SEPARATOR)[2]): p for p in paths}
        close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
        return names[close[0]] if close else None
    return keys[close[0]]


async def require_unit(session: AsyncSession, *, path: str) -> Unit:
    """The unit at `path`, or a UserError naming it with the closest existing path."""
    try:
        unit = await find_unit(session, path=path)
    except UnitPathError:
        unit = None
    if unit is not None:
        return unit
    suggestion = await suggest_unit(session, path=path)
    if suggestion is None:
        raise UserError(t("cli.unit_unknown", path=path))
    raise UserError(t("cli.unit_unknown_suggest", path=path, suggestion=suggestion))


def subtree_filter(unit: Unit) -> ColumnElement[bool]:
    """SQL condition selecting `unit` and every unit below it."""
    escaped = unit.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(Unit.id == unit.id, Unit.path.like(escaped + SEPARATOR + "%", escape="\\"))


async def find_person(session: AsyncSession, *, code: str) -> Person | None:
    """A person by employee code (any case), with unit and accounts loaded."""
    code = code.strip()
    query = (
        select(Person)
        .where(func.upper(Person.employee_code) == code.upper())
        .options(selectinload(Person.unit), selectinload(Person.accounts))
    )
    found = (await session.execute(query)).scalars().all()
    # Codes are unique ignoring case on import; an exact match wins in older data.
    return next((p for p in found if p.employee_code == code), found[0] if found else None)


async def people_in(
    session: AsyncSession, *, unit: Unit, active_only: bool = True
) -> Sequence[Person]:
    """People of a unit and its sub-units, ordered by unit path and name."""
    query = (
        select(Person)
        .join(Person.unit)
        .where(subtree_filter(unit))
        .options(selectinload(Person.unit), selectinload(Person.accounts))
        .order_by(Unit.path, Person.full_name)
    )
    if active_only:
        query = query.where(Person.active.is_(True))
    return (await session.execute(query)).scalars().all()


@dataclass(frozen=True, slots=True)
class UnitCount:
    """A unit with its own and its subtree's active head count."""

    path: str
    name: str
    depth: int
    own: int
    total: int


async def unit_tree(session: AsyncSession) -> list[UnitCount]:
    """All units in path order with head counts (one aggregate query)."""
    counts = (
        select(Person.unit_id, func.count().label("n"))
        .where(Person.active.is_(True))
        .group_by(Person.unit_id)
        .subquery()
    )
    query = (
        select(Unit.path, Unit.name, Unit.depth, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.unit_id == Unit.id)
        .order_by(Unit.path)
    )
    rows = (await session.execute(query)).all()
    return [UnitCount(p, n, d, own, _subtree_total(rows, p)) for p, n, d, own in rows]


def _subtree_total(rows: Sequence[tuple[str, str, int, int]], path: str) -> int:
    """Sum of own counts at and below `path` (units are few; this is not a hot path)."""
    below = path + SEPARATOR
    return sum(own for p, _, _, own in rows if p == path or p.startswith(below))


async def link_account(
    session: AsyncSession,
    *,
    person: Person,
    channel: str,
    user_id: str,
    chat_id: str,
    now: datetime,
) -> ChannelAccount:
    """Link (or re-link) a platform identity to a person; one person may have several."""
    query = select(ChannelAccount).where(
        ChannelAccount.channel == channel, ChannelAccount.platform_user_id == user_id
    )
    account = (await session.execute(query)).scalar_one_or_none()
    if account is None:
        account = ChannelAccount(channel=channel, platform_user_id=user_id, linked_at=now)
        session.add(account)
    account.person = person
    account.chat_id = chat_id
    account.linked_at = now
    account.last_interaction_at = now
    await session.flush()
    return account


def can_manage(viewer: Person, unit: Unit) -> bool:
    """Admins manage every unit; managers their own unit and those below it."""
    if viewer.role == Role.ADMIN:
        return True
    own = viewer.unit.path
    return viewer.role == Role.MANAGER and (
        unit.path == own or unit.path.startswith(own + SEPARATOR)
    )


async def managed_roots(session: AsyncSession, *, viewer: Person) -> Sequence[Unit]:
    """The top units a viewer may see: all root units for an admin, else their own unit."""
    if viewer.role == Role.ADMIN:
        query = select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.path)
        return (await session.execute(query)).scalars().all()
    return [viewer.unit] if viewer.role == Role.MANAGER else []


async def children(session: AsyncSession, *, unit: Unit) -> Sequence[Unit]:
    """The units directly below `unit`, by path."""
    query = select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.path)
    return (await session.execute(query)).scalars().all()


async def unit_paths(session: AsyncSession, *, unit_ids: Sequence[int]) -> list[str]:
    """The paths of the given units, sorted."""
    query = select(Unit.path).where(Unit.id.in_(unit_ids)).order_by(Unit.path)
    return list((await session.execute(query)).scalars())


async def channels_of(
    session: AsyncSession, *, person_id: int
) -> Sequence[tuple[str, AccountStatus, datetime]]:
    """(channel, status, linked at) of each account of a person, oldest link first."""
    query = (
        select(ChannelAccount.channel, ChannelAccount.status, ChannelAccount.linked_at)
        .where(ChannelAccount.person_id == person_id)
        .order_by(ChannelAccount.linked_at)
    )
    return [tuple(row) for row in await session.execute(query)]
