"""`atgt broadcast`: send to units, schedule, cancel, report."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import Broadcast, BroadcastStatus, Outbox
from bot.db.session import make_engine, make_sessionmaker
from bot.services import org
from tests.harness import ROSTER


def run(database_url: str, *args: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})


async def _setup(database_url: str) -> None:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        for number, code in enumerate(("NV1", "NV2", "NV3"), start=1):
            person = await org.find_person(session, code=code)
            await org.link_account(
                session,
                person=person,
                channel="telegram",
                user_id=str(number),
                chat_id=str(number),
                now=datetime.now(UTC),
            )
    await engine.dispose()


async def _state(database_url: str) -> tuple[list[str], list[BroadcastStatus]]:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session:
        chats = sorted((await session.execute(select(Outbox.chat_id))).scalars())
        states = list(
            (await session.execute(select(Broadcast.status).order_by(Broadcast.id))).scalars()
        )
    await engine.dispose()
    return chats, states


def test_send_schedule_cancel_and_report(database_url, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(roster)).exit_code == 0
    asyncio.run(_setup(database_url))
    text = tmp_path / "tb.txt"
    text.write_text("Họp giao ban ATGT\nThứ Sáu, 14:00", encoding="utf-8")

    now = run(database_url, "broadcast", "--unit", "Sở A/Phòng 1", "--text-file", str(text))
    later = run(database_url, "broadcast", "--text-file", str(text), "--at", "01/01/2099 08:00")
    cancelled = run(database_url, "broadcast", "cancel", "2")
    bad_unit = run(database_url, "broadcast", "--unit", "Sở Z", "--text-file", str(text))
    missing = run(database_url, "broadcast", "--text-file", str(tmp_path / "nope.txt"))
    out = tmp_path / "kq.xlsx"
    report = run(database_url, "broadcast", "report", "1", "--xlsx", str(out))

    assert now.exit_code == 0 and "tới 2 người" in now.output  # NV1, NV2 linked in Phòng 1
    assert "Đã hẹn gửi thông báo số 2 lúc 01/01/2099 08:00" in later.output
    assert "Đã hủy thông báo số 2" in cancelled.output
    assert bad_unit.exit_code == 1 and "Không có đơn vị Sở Z" in bad_unit.output
    assert missing.exit_code == 1 and "Không đọc được tệp" in missing.output
    assert "• Sở A/Phòng 1: 0/2 đã nhận" in report.output
    assert "• Sở A/Phòng 1/Tổ 1: 0/1 đã nhận" in report.output
    chats, states = asyncio.run(_state(database_url))
    assert chats == ["1", "2"]
    assert states == [BroadcastStatus.SENDING, BroadcastStatus.CANCELLED]
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][3] in ("đang chờ", "chưa liên kết")


def test_cli_dates_list_lines_and_warnings(database_url, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(roster)).exit_code == 0
    long = "Đề nghị các đơn vị " + "tổ chức tuyên truyền an toàn giao thông " * 3
    notes = tmp_path / "tb.txt"
    notes.write_text("Họp giao ban ATGT\nThứ Sáu, 14:00", encoding="utf-8")
    essay = tmp_path / "dai.txt"
    essay.write_text(long, encoding="utf-8")
    env = {"ATGT_DATABASE_URL": database_url, "ATGT_QUIET_HOURS": "21:00-06:30"}

    def cli(*args: str):
        return CliRunner().invoke(app, list(args), env=env)

    nobody = cli("broadcast", "--unit", "Sở A/Phòng 2", "--text-file", str(notes))
    iso = cli("broadcast", "--text-file", str(essay), "--at", "2099-12-25 08:00")
    night = cli("broadcast", "--text-file", str(notes), "--at", "25/12/2099 22:30")
    wrong = cli("broadcast", "--text-file", str(notes), "--at", "25-12-2099")
    listed = cli("broadcast", "list")
    _, states = asyncio.run(_state(database_url))

    assert nobody.exit_code == 0
    assert "Bắt đầu gửi" not in nobody.output and "tới 0 người" not in nobody.output
    assert "không gửi tới ai" in nobody.output
    assert states[0] == BroadcastStatus.DONE
    assert iso.exit_code == 0 and "lúc 25/12/2099 08:00" in iso.output
    assert "chưa bao giờ" in iso.output  # no `atgt run` has been seen
    assert "25/12/2099 22:30 nằm trong giờ yên lặng (21:00-06:30)" in night.output
    assert wrong.exit_code == 2
    assert "@" not in wrong.output and '--at "25/12/2026 08:00"' in wrong.output
    lines = listed.output.splitlines()
    assert "1. [đã gửi xong] Họp giao ban ATGT …" in lines
    essay_line = next(line for line in lines if line.startswith("2. "))
    assert essay_line.endswith("…") and len(essay_line) < 90
    assert long.startswith(essay_line.removeprefix("2. [đã hẹn giờ] ").removesuffix(" …"))
    assert long[len(essay_line.removeprefix("2. [đã hẹn giờ] ").removesuffix(" …"))] == " "
