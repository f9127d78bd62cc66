"""`atgt invite create`: one code per person, or a mail-merge workbook for a unit."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.core.texts import t
from bot.db.models import ChannelAccount, Outbox, Person, Unit
from bot.db.session import make_engine, make_sessionmaker
from tests.conftest import FakeClock
from tests.harness import ROSTER, Chat, make_router


def run(database_url: str, *args: str, **env: str):
    env = {"ATGT_DATABASE_URL": database_url, **env}
    return CliRunner().invoke(app, list(args), env=env)


def import_roster(database_url, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(path)).exit_code == 0


async def redeem(database_url: str, code: str, channel: str = "test") -> str:
    engine = make_engine(database_url)
    router = make_router(make_sessionmaker(engine), FakeClock(datetime.now(UTC)))
    try:
        return await Chat(router, channel=channel).say(f"/start {code}")
    finally:
        await engine.dispose()


def test_invite_for_one_person_prints_code_and_deep_link(database_url, tmp_path):
    import_roster(database_url, tmp_path)

    result = run(
        database_url,
        "invite",
        "create",
        "--person",
        "NV1",
        ATGT_TELEGRAM_BOT_USERNAME="atgt_bot",
    )

    assert result.exit_code == 0, result.output
    code = re.search(r"\(NV1\): (\w{13})", result.output).group(1)
    assert f"https://t.me/atgt_bot?start={code}" in result.output
    assert "Nhân Viên Một" in asyncio.run(redeem(database_url, code))


def test_bulk_invites_for_a_unit_skip_linked_people(database_url, tmp_path):
    import_roster(database_url, tmp_path)
    first = run(database_url, "invite", "create", "--person", "NV2")
    code = re.search(r"\(NV2\): (\w{13})", first.output).group(1)
    asyncio.run(redeem(database_url, code))
    out = tmp_path / "moi.xlsx"

    result = run(database_url, "invite", "create", "--unit", "Sở A/Phòng 1", "--xlsx", str(out))

    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã NV", "Họ tên", "Đơn vị", "SĐT", "Mã mời")
    assert sorted(r[0] for r in rows[1:]) == ["NV1", "QL1"]  # NV2 already joined; Phòng 2 excluded
    assert all(len(r[4]) == 13 for r in rows[1:])


def test_a_code_for_a_linked_person_says_so_and_tells_them(database_url, tmp_path):
    import_roster(database_url, tmp_path)
    first = run(database_url, "invite", "create", "--person", "NV2")
    asyncio.run(redeem(database_url, re.search(r"\(NV2\): (\w{13})", first.output)[1], "telegram"))

    again = run(database_url, "invite", "create", "--person", "NV2")

    assert again.exit_code == 0, again.output
    assert t("invite.relink_warning", name="Nhân Viên Hai") in " ".join(again.output.split())
    notice = t("invite.relink_notice", issuer=t("invite.issuer_server"))
    assert asyncio.run(outbox_texts(database_url)) == [notice]


async def outbox_texts(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            rows = await session.execute(select(Outbox).order_by(Outbox.id))
            return [row.payload["text"] for row in rows.scalars()]
    finally:
        await engine.dispose()


def test_invite_errors_name_the_problem(database_url, tmp_path):
    import_roster(database_url, tmp_path)
    assert (
        "Không có nhân viên mã XX" in run(database_url, "invite", "create", "--person", "XX").output
    )
    assert (
        "Không có đơn vị Sở B"
        in run(
            database_url, "invite", "create", "--unit", "Sở B", "--xlsx", str(tmp_path / "x.xlsx")
        ).output
    )
    assert "--xlsx" in run(database_url, "invite", "create", "--unit", "Sở A").output


def zalo_bot_people(database_url: str, count: int, *, start: int) -> None:
    """`count` more people already linked on the Zalo Bot."""

    async def add() -> None:
        engine = make_engine(database_url)
        now = datetime.now(UTC)
        async with make_sessionmaker(engine)() as session, session.begin():
            unit = (await session.execute(select(Unit).limit(1))).scalar_one()
            for n in range(start, start + count):
                person = Person(
                    employee_code=f"ZB{n}",
                    full_name=f"Người {n}",
                    unit_id=unit.id,
                    created_at=now,
                    updated_at=now,
                )
                account = ChannelAccount(
                    person=person,
                    channel="zalo_bot",
                    platform_user_id=f"z{n}",
                    chat_id=f"z{n}",
                    linked_at=now,
                )
                session.add_all([person, account])
        await engine.dispose()

    asyncio.run(add())


def test_inviting_towards_50_zalo_bot_users_advises_an_oa(database_url, tmp_path):
    import_roster(database_url, tmp_path)
    zalo_bot_people(database_url, 43, start=0)
    bot = {"ATGT_ZALO_BOT_TOKEN": "1:zalo-secret"}
    quiet = run(database_url, "invite", "create", "--person", "NV1", **bot)
    assert quiet.exit_code == 0 and "Zalo Bot đã có" not in quiet.output  # 43 + 1
    zalo_bot_people(database_url, 1, start=43)
    near = run(database_url, "invite", "create", "--person", "NV1", **bot)
    assert near.exit_code == 0 and "đã có 44 người dùng" in near.output  # 44 + 1 = 45
    assert "gần giới hạn 50 người" in near.output and "Zalo OA" in near.output
    zalo_bot_people(database_url, 5, start=44)
    full = run(database_url, "invite", "create", "--person", "NV1", **bot)
    assert full.exit_code == 0 and "vượt giới hạn 50 người" in full.output  # 49 + 1
    out = tmp_path / "moi.xlsx"
    bulk = run(database_url, "invite", "create", "--unit", "Sở A", "--xlsx", str(out), **bot)
    assert bulk.exit_code == 0 and "vượt giới hạn 50 người" in bulk.output
    without = run(database_url, "invite", "create", "--person", "NV1")
    assert "Zalo Bot đã có" not in without.output  # no Zalo Bot configured: nothing to say
