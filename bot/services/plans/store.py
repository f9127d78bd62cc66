"""Stored plans: import files (one row per document), list them, and find the plans of a unit.

A plan applies to its unit and every unit below it; a person reads the plans of every
unit on their path, nearest first: a unit's implementation plan adds to its superior's
plan, it does not replace it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import Plan, Unit
from bot.services.org import ancestor_paths, ensure_unit, find_unit, normalize_path

from .layout import split_documents
from .load import PlanFileError, read_plan_file
from .model import PlanDocument
from .parse import parse_plans
from .text import PAGE, normalize_lines


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """One document of a file: its normalised text, fingerprint and parse."""

    text: str
    fingerprint: str
    doc: PlanDocument


@dataclass(slots=True)
class ImportResult:
    """What an import did: rows created, documents already stored, older versions replaced."""

    unit_path: str
    created: list[Plan] = field(default_factory=list)
    existing: list[Plan] = field(default_factory=list)
    replaced: list[Plan] = field(default_factory=list)


def split_text(text: str) -> list[str]:
    """The text of each document in a (possibly glued) file, with normalised lines."""
    chunks = split_documents(normalize_lines(text))
    return ["\n".join(chunk).strip("\n" + PAGE) for chunk in chunks]


def fingerprint(text: str) -> str:
    """SHA-256 of the normalised text, so re-importing the same document is a no-op."""
    normal = "\n".join(line for line in normalize_lines(text) if line and line != PAGE)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def parse_file(path: Path) -> list[ParsedDocument]:
    """Read and parse a plan file; every failure is a PlanFileError naming the file."""
    text = read_plan_file(path)
    try:
        parsed = [(chunk, parse_plans(chunk)) for chunk in split_text(text)]
    except Exception as exc:  # the parser must never take the importer down
        reason = f"không phân tích được nội dung ({exc.__class__.__name__})"
        raise PlanFileError(path, reason) from exc
    docs = [ParsedDocument(chunk, fingerprint(chunk), docs[0]) for chunk, docs in parsed if docs]
    if not docs:
        raise PlanFileError(path, "không tìm thấy kế hoạch nào trong tệp")
    return docs


async def store_documents(
    session: AsyncSession,
    *,
    unit: Unit,
    file_name: str,
    documents: Sequence[ParsedDocument],
    now: datetime,
    replace: bool = False,
) -> ImportResult:
    """Add the documents not yet stored on this unit (idempotent by fingerprint); with
    `replace`, a stored plan of the unit with the same number gives way to the new text."""
    result = ImportResult(unit.path)
    for item in documents:
        query = select(Plan).where(Plan.unit_id == unit.id, Plan.fingerprint == item.fingerprint)
        known = (await session.execute(query)).scalar_one_or_none()
        if known is not None:
            result.existing.append(known)
            continue
        if replace:
            for old in await same_number(session, unit=unit, document=item):
                result.replaced.append(old)
                await session.delete(old)
        plan = _row(unit, file_name, item, now)
        session.add(plan)
        result.created.append(plan)
    await session.flush()
    return result


async def same_number(session: AsyncSession, *, unit: Unit, document: ParsedDocument) -> list[Plan]:
    """Stored plans of the unit with this document's number but another text (an older
    version); none for a document without a number."""
    number = document.doc.number
    if not number:
        return []
    query = select(Plan).where(
        Plan.unit_id == unit.id,
        Plan.number == _cut(number, 100),
        Plan.fingerprint != document.fingerprint,
    )
    return list((await session.execute(query.order_by(Plan.id))).scalars())


async def remove_plan(session: AsyncSession, *, plan_id: int) -> Plan | None:
    """Delete one stored plan; the removed row (None when there was none)."""
    plan = await get_plan(session, plan_id=plan_id)
    if plan is not None:
        await session.delete(plan)
        await session.flush()
    return plan


def _row(unit: Unit, file_name: str, item: ParsedDocument, now: datetime) -> Plan:
    """A new Plan row from a parsed document."""
    doc = item.doc
    return Plan(
        unit_id=unit.id,
        fingerprint=item.fingerprint,
        file_name=file_name[:255],
        number=_cut(doc.number, 100),
        doc_date=doc.date,
        title=_cut(doc.title, 1000),
        issuer=_cut(doc.issuer, 500),
        text=item.text,
        imported_at=now,
    )


def _cut(value: str | None, limit: int) -> str | None:
    """A value shortened to its column's length; empty becomes None."""
    return value[:limit] if value else None


async def import_file(
    session: AsyncSession, *, path: Path, unit_path: str, now: datetime, create_unit: bool = False
) -> ImportResult:
    """Parse a file first, then store its documents on the unit; raises PlanFileError."""
    documents = parse_file(path)
    unit = await target_unit(session, path=unit_path, create=create_unit)
    return await store_documents(
        session, unit=unit, file_name=Path(path).name, documents=documents, now=now
    )


class UnknownUnitError(LookupError):
    """No unit at the given path."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


async def target_unit(session: AsyncSession, *, path: str, create: bool) -> Unit:
    """The unit to store plans on: created when asked, else UnknownUnitError if missing."""
    if create:
        return await ensure_unit(session, path=path)
    unit = await find_unit(session, path=path)
    if unit is None:
        raise UnknownUnitError(path)
    return unit


async def plans_for_unit(session: AsyncSession, *, unit_path: str) -> list[Plan]:
    """The plans of the unit and of every ancestor, nearest unit first."""
    ids = await plan_ids_for_unit(session, unit_path=unit_path) or []
    query = select(Plan).where(Plan.id.in_(ids)).options(selectinload(Plan.unit))
    plans = {plan.id: plan for plan in (await session.execute(query)).scalars()}
    return [plans[i] for i in ids]


async def plan_ids_for_unit(session: AsyncSession, *, unit_path: str | None) -> list[int] | None:
    """Ids of the plans that apply to a unit, nearest unit first; None (all) without one."""
    scope = await plan_scope(session, unit_path=unit_path)
    return None if scope is None else list(scope)


async def plan_scope(session: AsyncSession, *, unit_path: str | None) -> dict[int, int] | None:
    """Plan id -> distance from the unit (0: its own, 1: its parent's...), nearest first;
    None (meaning all plans) without a unit."""
    if unit_path is None:
        return None
    paths = ancestor_paths(normalize_path(unit_path))
    query = (
        select(Plan.id, Unit.depth)
        .join(Plan.unit)
        .where(Unit.path.in_(paths))
        .order_by(Unit.depth.desc(), Plan.id)
    )
    rows = (await session.execute(query)).all()
    deepest = rows[0][1] if rows else 0
    return {plan_id: deepest - depth for plan_id, depth in rows}


async def list_plans(session: AsyncSession) -> Sequence[Plan]:
    """Every stored plan with its unit, by unit path then id."""
    query = select(Plan).join(Plan.unit).options(selectinload(Plan.unit))
    return (await session.execute(query.order_by(Unit.path, Plan.id))).scalars().all()


async def get_plan(session: AsyncSession, *, plan_id: int) -> Plan | None:
    """One stored plan with its unit, or None."""
    query = select(Plan).where(Plan.id == plan_id).options(selectinload(Plan.unit))
    return (await session.execute(query)).scalar_one_or_none()
