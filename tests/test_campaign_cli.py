"""`atgt campaign create | list | announce`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import Outbox
from bot.db.session import make_engine, make_sessionmaker
from bot.services import org
from tests.harness import ROSTER


def run(database_url: str, *args: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})


async def link(database_url: str, code: str) -> None:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        person = await org.find_person(session, code=code)
        await org.link_account(
            session,
            person=person,
            channel="telegram",
            user_id="9",
            chat_id="9",
            now=datetime.now(UTC),
        )
    await engine.dispose()


async def outbox_texts(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session:
        rows = (await session.execute(select(Outbox))).scalars().all()
    await engine.dispose()
    return [row.payload["text"] for row in rows]


def test_create_list_and_announce(database_url, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(roster)).exit_code == 0
    asyncio.run(link(database_url, "NV3"))

    created = run(
        database_url,
        "campaign",
        "create",
        "--name",
        "Thi đua 2027",
        "--from",
        "01/01/2027",
        "--to",
        "31/12/2027",
        "--unit",
        "Sở A/Phòng 2",
    )
    bad_unit = run(
        database_url,
        "campaign",
        "create",
        "--name",
        "X",
        "--from",
        "01/01/2027",
        "--to",
        "31/12/2027",
        "--unit",
        "Sở Z",
    )
    bad_dates = run(
        database_url,
        "campaign",
        "create",
        "--name",
        "X",
        "--from",
        "31/12/2027",
        "--to",
        "01/01/2027",
        "--unit",
        "Sở A",
    )
    listed = run(database_url, "campaign", "list")
    announced = run(database_url, "campaign", "announce", "1")
    announced_again = run(database_url, "campaign", "announce", "1")

    assert "Đã tạo đợt thi đua số 1: Thi đua 2027." in created.output
    assert bad_unit.exit_code == 1 and "Không có đơn vị Sở Z" in bad_unit.output
    assert bad_dates.exit_code == 1
    assert "1. Thi đua 2027: 01/01/2027 – 31/12/2027" in listed.output
    assert "Đã xếp 1 lời mời" in announced.output
    assert "Đã xếp 0 lời mời" in announced_again.output
    (text,) = asyncio.run(outbox_texts(database_url))
    assert "Thi đua 2027" in text
