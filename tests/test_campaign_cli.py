"""`atgt campaign create | list | announce`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import Campaign, Outbox
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


def test_custom_form_due_time_and_limits(database_url, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    run(database_url, "org", "import", str(roster))
    form = tmp_path / "form.yaml"
    form.write_text(
        "- {key: helmet, text: Tôi luôn đội mũ bảo hiểm.}\n"
        "- {key: phone, text: Tôi không dùng điện thoại khi lái.}\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("- {key: helmet}\n", encoding="utf-8")
    base = [
        "campaign",
        "create",
        "--name",
        "X",
        "--from",
        "01/01/2027",
        "--to",
        "31/12/2027",
        "--unit",
        "Sở A",
    ]

    created = run(database_url, *base, "--form", str(form), "--due", "T5 12:00", "--nudges", "2")
    bad_form = run(database_url, *base, "--form", str(broken))
    bad_due = run(database_url, *base, "--due", "thứ hai")

    assert created.exit_code == 0, created.output
    assert bad_form.exit_code == 1 and "broken.yaml: câu hỏi thứ 1" in bad_form.output
    assert bad_due.exit_code == 2 and "T6 17:00" in bad_due.output
    campaign = asyncio.run(_campaign(database_url))
    assert [q["key"] for q in campaign.form] == ["helmet", "phone"]
    assert (campaign.due_weekday, campaign.due_time, campaign.nudge_limit) == (3, "12:00", 2)


async def _campaign(database_url: str) -> Campaign:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session:
        found = (await session.execute(select(Campaign))).scalars().all()
    await engine.dispose()
    assert len(found) == 1
    return found[0]


def test_announce_warns_when_nobody_would_receive_it(database_url, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(roster)).exit_code == 0
    dates = ("--from", "01/01/2027", "--to", "31/12/2027")
    assert (
        run(database_url, "campaign", "create", "--name", "X", *dates, "--unit", "Sở A").exit_code
        == 0
    )

    announced = run(database_url, "campaign", "announce", "1")

    assert announced.exit_code == 0
    assert "Đã xếp 0 lời mời" in announced.output
    assert "Chưa ai trong số người nhận liên kết với bot" in announced.output
    assert "atgt run" in announced.output and "chưa bao giờ" in announced.output
