"""Storing plans: one row per document, idempotent, nothing half-written, plans inherit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import Plan
from bot.services.org import ensure_unit
from bot.services.plans import PlanFileError
from bot.services.plans.store import (
    UnknownUnitError,
    import_file,
    parse_file,
    plan_ids_for_unit,
    plans_for_unit,
)

PLANS = Path(__file__).resolve().parents[2] / "content" / "plans"
GLUED = PLANS / "xa-lien-minh-2022-two-fragments.txt"
TTTT = PLANS / "so-tttt-2023.txt"
NGOAI_VU = PLANS / "so-ngoai-vu-2024.txt"


async def _count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(func.count(Plan.id)))).scalar_one()


async def _import(sessionmaker, clock, path, unit, create=True):
    async with sessionmaker() as session, session.begin():
        return await import_file(
            session, path=path, unit_path=unit, now=clock(), create_unit=create
        )


async def test_a_glued_file_gives_two_plans_and_a_second_import_adds_nothing(sessionmaker, clock):
    first = await _import(sessionmaker, clock, GLUED, "Xã Liên Minh")
    again = await _import(sessionmaker, clock, GLUED, "Xã Liên Minh")

    assert len(first.created) == 2 and not first.existing
    assert not again.created and len(again.existing) == 2
    async with sessionmaker() as session:
        rows = (await session.execute(select(Plan).order_by(Plan.id))).scalars().all()
    assert [r.number for r in rows] == [None, "53/KH-UBLM"]
    assert rows[1].doc_date.isoformat() == "2022-03-24"
    assert rows[0].file_name == GLUED.name
    assert "Nguyễn Quốc Hoạt" in rows[0].text and "Liên Minh, ngày 24" in rows[1].text
    assert len({r.fingerprint for r in rows}) == 2


async def test_the_same_document_may_apply_to_two_units(sessionmaker, clock):
    await _import(sessionmaker, clock, TTTT, "Sở A")
    await _import(sessionmaker, clock, TTTT, "Sở B")

    assert await _count(sessionmaker) == 2


async def test_an_unknown_unit_is_refused_unless_asked_to_create_it(sessionmaker, clock):
    with pytest.raises(UnknownUnitError):
        await _import(sessionmaker, clock, TTTT, "Sở Không Có", create=False)

    assert await _count(sessionmaker) == 0


async def test_a_bad_file_names_itself_and_writes_nothing(sessionmaker, clock, tmp_path):
    binary = tmp_path / "ke-hoach.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    old_word = tmp_path / "ke-hoach.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0")
    missing = tmp_path / "khong-co.pdf"

    for path in (binary, old_word, missing):
        with pytest.raises(PlanFileError) as caught:
            await _import(sessionmaker, clock, path, "Sở A")
        assert path.name in str(caught.value)

    assert await _count(sessionmaker) == 0


def test_a_broken_docx_is_a_plan_file_error(tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 broken zip")

    with pytest.raises(PlanFileError, match=r"hong\.docx"):
        parse_file(broken)


async def test_a_unit_reads_its_own_plans_and_every_ancestors_nearest_first(sessionmaker, clock):
    await _import(sessionmaker, clock, TTTT, "Sở A")
    await _import(sessionmaker, clock, NGOAI_VU, "Sở A/Phòng 2")
    async with sessionmaker() as session, session.begin():
        await ensure_unit(session, path="Sở A/Phòng 2/Tổ 9")
        await ensure_unit(session, path="Sở A/Phòng 1")
        deep = await plans_for_unit(session, unit_path="Sở A/Phòng 2/Tổ 9")
        sibling = await plans_for_unit(session, unit_path="Sở A/Phòng 1")
        nowhere = await plan_ids_for_unit(session, unit_path="Sở Khác")
        everything = await plan_ids_for_unit(session, unit_path=None)

    assert [p.file_name for p in deep] == [NGOAI_VU.name, TTTT.name]
    assert [p.file_name for p in sibling] == [TTTT.name]
    assert nowhere == []
    assert everything is None
