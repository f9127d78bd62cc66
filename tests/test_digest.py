"""Weekly digest: numbers checked against a hand-computed organisation, roles, the job."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from bot.core.texts import t
from bot.db.models import Outbox, Schedule
from bot.scheduling import Scheduler
from bot.services import org, schedules
from bot.services.notify import QuietHours
from bot.services.report_tree import Counts, pct, ranks
from tests.digest_org import build, local
from tests.harness import linked_chat, make_router, shipped_content

# No change for compliance: last week's figure of Phòng 1 is hidden (see QL1_WEEK1).
QL1_WEEK2 = """📊 Tổng hợp thi đua ATGT tuần 09/11/2026 – 15/11/2026{partial}
Sở X/Phòng 1: 4 người tham gia đợt thi đua «Thi đua 2026».
• Báo cáo tuần: 4/4 người (100%), tăng 25 điểm phần trăm so với tuần trước.
• Chấp hành đầy đủ: 3/4 người đã báo cáo (75%).
• Nộp sau hạn: 1.
• Câu đố: 3/4 người tham gia (75%); trả lời đúng 3/4 câu (75%).
• Chủ đề cần củng cố: Nồng độ cồn (1/2 câu đúng).
• Xếp hạng thi đua: thứ 1/3 đơn vị cùng cấp.
• Thông báo trong tuần: đã đọc 2/3 bản đã nhận (67%).
• Tất cả đã báo cáo.
Thi đua giữa các đơn vị trực thuộc (báo cáo · câu đố · đúng):
1. Tổ A: 100% · 50% · 100%
Biểu đồ xu hướng và số liệu từng người ở tệp đính kèm."""

# Week 1: Sở X had 5 reports, Phòng 2 only 2 (hidden); showing Phòng 1's 3 would reveal
# Phòng 2's by subtraction, so Phòng 1 is hidden and the organisation's total stays.
QL1_WEEK1 = """📊 Tổng hợp thi đua ATGT tuần 02/11/2026 – 08/11/2026
Sở X/Phòng 1: 4 người tham gia đợt thi đua «Thi đua 2026».
• Báo cáo tuần: 3/4 người (75%).
• Chấp hành đầy đủ: được ẩn để bảo vệ thông tin cá nhân (dưới 3 người đã báo cáo, \
hoặc có thể suy ra nhóm như vậy từ số liệu của đơn vị khác).
• Câu đố: chưa ai trả lời trong tuần.
• Xếp hạng thi đua: thứ 1/3 đơn vị cùng cấp.
• Thông báo trong tuần: đã đọc 1/1 bản đã nhận (100%).
• Chưa báo cáo (1): Cúc Ba
Thi đua giữa các đơn vị trực thuộc (báo cáo · câu đố · đúng):
1. Tổ A: 50% · 0% · —
Biểu đồ xu hướng và số liệu từng người ở tệp đính kèm."""

QL2_WEEK2 = """📊 Tổng hợp thi đua ATGT tuần 09/11/2026 – 15/11/2026
Sở X/Phòng 2: 4 người tham gia đợt thi đua «Thi đua 2026».
• Báo cáo tuần: 2/4 người (50%), không đổi so với tuần trước.
• Chấp hành đầy đủ: được ẩn để bảo vệ thông tin cá nhân (dưới 3 người đã báo cáo, \
hoặc có thể suy ra nhóm như vậy từ số liệu của đơn vị khác).
• Câu đố: 3/4 người tham gia (75%); trả lời đúng 2/5 câu (40%).
• Chủ đề cần củng cố: Nồng độ cồn (0/1 câu đúng); Mũ bảo hiểm (1/2 câu đúng); \
Tốc độ, khoảng cách (1/2 câu đúng).
• Xếp hạng thi đua: thứ 3/3 đơn vị cùng cấp.
• Thông báo trong tuần: đã đọc 1/3 bản đã nhận (33%).
• Chưa báo cáo (2): Em Hai, Giang Ba
Biểu đồ xu hướng và số liệu từng người ở tệp đính kèm."""

ADMIN_WEEK2 = """📊 Tổng hợp thi đua ATGT tuần 09/11/2026 – 15/11/2026
Sở X: 9 người tham gia đợt thi đua «Thi đua 2026».
• Báo cáo tuần: 7/9 người (78%), tăng 22 điểm phần trăm so với tuần trước.
• Chấp hành đầy đủ: 5/7 người đã báo cáo (71%), giảm 9 điểm phần trăm so với tuần trước.
• Nộp sau hạn: 1.
• Câu đố: 6/9 người tham gia (67%); trả lời đúng 5/9 câu (56%).
• Chủ đề cần củng cố: Nồng độ cồn (1/3 câu đúng); Mũ bảo hiểm (2/3 câu đúng); \
Tốc độ, khoảng cách (2/3 câu đúng).
• Thông báo trong tuần: đã đọc 3/7 bản đã nhận (43%).
• Chưa báo cáo (2): Em Hai, Giang Ba
Thi đua giữa các đơn vị trực thuộc (báo cáo · câu đố · đúng):
1. Phòng 1: 100% · 75% · 75%
2. Văn phòng: 100% · 0% · —
3. Phòng 2: 50% · 75% · 40%
Biểu đồ xu hướng và số liệu từng người ở tệp đính kèm."""


@pytest.fixture
async def chats(sessionmaker, clock, tmp_path):
    await build(sessionmaker, tmp_path)
    clock.now = local(2026, 11, 12, 20, 0)  # Thursday of week 2
    router = make_router(sessionmaker, clock)
    return {
        code: await linked_chat(router, sessionmaker, clock, code, channel="telegram")
        for code in ("AD1", "QL1", "QL2", "B1")
    }


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    book = load_workbook(BytesIO(data))
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


async def test_manager_digest_this_week_and_last_week(chats):
    await chats["QL1"].say("/baocao")
    text, image, document = chats["QL1"].last
    before = await chats["QL1"].say("/baocao tuần trước")

    assert text.text == QL1_WEEK2.format(partial=" (số liệu đến 12/11/2026)")
    assert image.image.data.startswith(b"\x89PNG") and image.image.filename.endswith(".png")
    people = sheet_rows(document.document.data, "Cá nhân")
    assert [row[2] for row in people[1:]] == ["A1", "QL1", "A2", "A3"]  # own units only
    a1 = people[1]
    # reported, weeks, %, ok (one person: hidden), late, violations (hidden), answers, right, %
    assert a1[5:14] == (1, 1, 1.0, "ẩn", 1, "ẩn", 1, 1, 1.0)
    assert before.split("\n\n")[0] == QL1_WEEK1


async def test_roles_scope_and_refusal(chats):
    manager = await chats["QL2"].say("/baocao truoc")
    await chats["AD1"].say("/baocao")
    admin, _, workbook = chats["AD1"].last
    employee = await chats["B1"].say("/baocao")
    units = sheet_rows(workbook.document.data, "Đơn vị")

    assert manager.startswith("📊") and "Em Hai" not in await chats["QL1"].say("/baocao")
    assert employee == t("error.forbidden")
    assert admin.text.startswith(ADMIN_WEEK2.split("\n")[0])
    assert admin.text.split("\n", 1)[1] == ADMIN_WEEK2.split("\n", 1)[1]
    assert [row[1] for row in units[1:]] == [
        "Sở X",
        "Sở X/Phòng 1",
        "Sở X/Phòng 1/Tổ A",
        "Sở X/Phòng 2",
        "Sở X/Văn phòng",
    ]


async def test_weekly_job_sends_last_week_to_managers_and_admins(chats, sessionmaker, clock):
    scheduler = Scheduler(
        sessionmaker,
        shipped_content(),
        clock=clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        schedule = (
            await session.execute(select(Schedule).where(Schedule.name == "tong-hop-tuan"))
        ).scalar_one()
    assert (schedule.kind, schedule.days, schedule.time) == ("digest", "mon", "07:30")
    clock.now = local(2026, 11, 16, 7, 30, 3)
    fired = await scheduler.fire(schedule.id, local(2026, 11, 16, 7, 30))
    again = await scheduler.fire(schedule.id, local(2026, 11, 16, 7, 30))

    async with sessionmaker() as session:
        rows = (await session.execute(select(Outbox).order_by(Outbox.id))).scalars().all()
        ql2 = await org.find_person(session, code="QL2")
    digests = {r.chat_id: r.payload["text"] for r in rows if r.payload.get("text")}
    assert (fired.status, fired.queued, again.status) == ("sent", 9, "duplicate")
    assert digests["tg-QL1"] == QL1_WEEK2.format(partial="")
    assert digests["tg-QL2"] == QL2_WEEK2
    assert digests["tg-AD1"] == ADMIN_WEEK2
    assert "tg-B1" not in {r.chat_id for r in rows}  # employees get no digest
    assert ql2 is not None


async def test_the_occurrence_transaction_only_writes(chats, sessionmaker, clock):
    """Digests are read and drawn before the transaction that records the run and queues them.

    So the transaction holds no lock (on SQLite: not the process's only connection) while
    charts and workbooks are drawn, and updates keep being served meanwhile.
    """
    scheduler = Scheduler(
        sessionmaker,
        shipped_content(),
        clock=clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        query = select(Schedule.id).where(Schedule.name == "tong-hop-tuan")
        schedule_id = (await session.execute(query)).scalar_one()
    clock.now = local(2026, 11, 16, 7, 30, 3)
    engine = sessionmaker.kw["bind"].sync_engine
    log: list[tuple[int, str]] = []
    listeners = {
        "begin": lambda conn: log.append((id(conn.connection.dbapi_connection), "BEGIN")),
        "commit": lambda conn: log.append((id(conn.connection.dbapi_connection), "COMMIT")),
        "before_cursor_execute": lambda conn, _c, sql, *_: log.append(
            (id(conn.connection.dbapi_connection), sql)
        ),
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        fired = await scheduler.fire(schedule_id, local(2026, 11, 16, 7, 30))
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)

    claim = next(i for i, (_, sql) in enumerate(log) if sql.startswith("INSERT INTO schedule_run"))
    connection = log[claim][0]
    begin = max(i for i, (c, sql) in enumerate(log[:claim]) if c == connection and sql == "BEGIN")
    end = claim + next(i for i, entry in enumerate(log[claim:]) if entry == (connection, "COMMIT"))
    inside = [sql for c, sql in log[begin:end] if c == connection]
    reads_checkins = [i for i, (_, sql) in enumerate(log) if "FROM check_in" in sql]
    assert fired.queued == 9
    assert reads_checkins and max(reads_checkins) < begin  # the digest was read before
    assert not [sql for sql in inside if "check_in" in sql or "quiz_delivery" in sql]
    assert any(sql.startswith("INSERT INTO outbox") for sql in inside)


def test_rates_round_half_up_and_ranks_share_places():
    totals = {1: Counts(people=2, reported=2), 2: Counts(people=4, reported=4), 3: Counts(people=2)}
    totals[4] = Counts()  # nobody: not ranked

    assert (pct(1, 8), pct(5, 8), pct(2, 3), pct(0, 0)) == (13, 63, 67, None)
    assert ranks([1, 2, 3, 4], totals) == {1: 1, 2: 1, 3: 3}
