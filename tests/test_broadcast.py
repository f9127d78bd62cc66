"""Announcements through the router: targeting, roles, schedule, cancel, read, results."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.messages import Kind
from bot.core.router import BotConfig, Router
from bot.core.texts import t
from bot.db.models import Broadcast, BroadcastRecipient, BroadcastStatus, Outbox, OutboxStatus
from bot.services import heartbeat, org
from handlers import ROUTES
from jobs import broadcasts
from tests.harness import linked_chat, load_roster, shipped_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EVERYONE = ("AD1", "QL1", "NV1", "NV2", "QL2", "NV3")


def router_for(sessionmaker, clock, *, managers: bool = False) -> Router:
    config = BotConfig(bot_username="atgt_test_bot", manager_broadcast=managers)
    return Router(sessionmaker, ROUTES, config, clock, content=shipped_content())


@pytest.fixture
async def org_on_telegram(sessionmaker, clock, tmp_path):
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    await load_roster(sessionmaker, clock, tmp_path)
    return sessionmaker


async def chats(sessionmaker, clock, router, codes=EVERYONE):
    return {c: await linked_chat(router, sessionmaker, clock, c, channel="telegram") for c in codes}


async def press(chat, payload: str) -> str:
    chat.last = await chat.router.handle(chat.incoming(Kind.BUTTON, payload=payload))
    return "\n".join(r.text for r in chat.last)


def buttons(chat) -> dict[str, str]:
    return {b.label: b.data for r in chat.last for b in r.flat_buttons}


async def copies(sessionmaker) -> dict[str, int]:
    """Outbox copies of announcements per chat."""
    async with sessionmaker() as session:
        rows = (await session.execute(select(Outbox))).scalars().all()
    found: dict[str, int] = {}
    for row in rows:
        if (row.dedupe_key or "").startswith("bc"):
            found[row.chat_id] = found.get(row.chat_id, 0) + 1
    return found


async def test_admin_targets_units_and_roles_and_everyone_gets_one_copy(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    people = await chats(sessionmaker, clock, router)
    admin = people["AD1"]

    preview = await admin.say("/thongbao Họp <b>giao ban</b> ATGT lúc 14:00 thứ Sáu")
    assert "Người nhận: tất cả. Tổng 6 người, 6 người nhận được qua bot." in preview
    units_menu = await press(admin, buttons(admin)["Chọn đơn vị"])
    assert units_menu == t("broadcast.choose_units")
    await press(admin, buttons(admin)["Sở A/Phòng 1"])
    assert "✓ Sở A/Phòng 1" in buttons(admin)
    await press(
        admin,
        buttons(admin)["Chọn vai trò"]
        if "Chọn vai trò" in buttons(admin)
        else buttons(admin)["Xong"],
    )
    preview = "\n".join(r.text for r in admin.last)
    assert "Người nhận: Sở A/Phòng 1. Tổng 3 người" in preview
    started = await press(admin, buttons(admin)["Gửi ngay"])

    assert started == t("broadcast.started", id=1, count=3)
    assert await copies(sessionmaker) == {"tg-QL1": 1, "tg-NV1": 1, "tg-NV2": 1}
    again = await press(admin, "bc:1:send")
    assert again == t("broadcast.not_draft")
    assert await copies(sessionmaker) == {"tg-QL1": 1, "tg-NV1": 1, "tg-NV2": 1}

    await admin.say("/thongbao Chỉ gửi lãnh đạo")
    await press(admin, buttons(admin)["Chọn vai trò"])
    await press(admin, buttons(admin)["quản lý"])
    await press(admin, buttons(admin)["Xong"])
    assert "Người nhận: quản lý. Tổng 2 người" in "\n".join(r.text for r in admin.last)


async def test_managers_only_when_allowed_and_only_their_units(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    closed = await chats(sessionmaker, clock, router_for(sessionmaker, clock), ("QL2", "NV1"))
    assert await closed["QL2"].say("/thongbao Xin chào") == t("error.forbidden")
    assert await closed["NV1"].say("/thongbao Xin chào") == t("error.forbidden")

    router = router_for(sessionmaker, clock, managers=True)
    manager = closed["QL2"]
    manager.router = router
    preview = await manager.say("/thongbao Phòng 2 họp lúc 8:00")
    assert "Người nhận: toàn bộ đơn vị của anh/chị. Tổng 2 người" in preview
    async with sessionmaker() as session:
        other = await org.find_unit(session, path="Sở A/Phòng 1")
    assert await press(manager, f"bc:1:u:{other.id}") == t("error.forbidden")
    await press(manager, "bc:1:send")
    assert await copies(sessionmaker) == {"tg-QL2": 1}  # NV3 has not linked the bot


async def test_a_manager_cannot_cancel_an_announcement_of_someone_else(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock, managers=True)
    people = await chats(sessionmaker, clock, router, ("AD1", "QL2"))
    await people["AD1"].say("/thongbao @24/11/2026 10:00 Họp toàn cơ quan")
    await press(people["AD1"], buttons(people["AD1"])["Hẹn gửi lúc 24/11/2026 10:00"])

    refused = await people["QL2"].say("/thongbao_huy 1")

    assert refused == t("broadcast.unknown", id=1)
    async with sessionmaker() as session:
        assert await session.scalar(select(Broadcast.status)) == BroadcastStatus.SCHEDULED


async def test_read_button_counts_once_and_results_per_unit(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    people = await chats(sessionmaker, clock, router)
    admin = people["AD1"]
    await admin.say("/thongbao Nhắc đội mũ bảo hiểm")
    await press(admin, buttons(admin)["Gửi ngay"])
    async with sessionmaker() as session:
        mine = (
            await session.execute(
                select(BroadcastRecipient).where(
                    BroadcastRecipient.person_id == people["NV1"].person_id
                )
            )
        ).scalar_one()
        await session.execute(Outbox.__table__.update().values(status=OutboxStatus.SENT))
        await session.commit()

    first = await press(people["NV1"], f"rd:{mine.id}")
    second = await press(people["NV1"], f"rd:{mine.id}")
    forged = await press(people["NV2"], f"rd:{mine.id}")
    report = await admin.say("/thongbao_ketqua xlsx")

    assert first == t("broadcast.read_thanks")
    assert second == t("broadcast.read_again")
    assert forged == t("error.unknown_button")
    assert "• Sở A/Phòng 1/Tổ 1: 1/1 đã nhận (100%), 1 đã đọc (100%)" in report
    assert "• Sở A/Phòng 2: 2/2 đã nhận (100%), 0 đã đọc (0%)" in report
    document = admin.last[1].document
    assert document.filename == "thong-bao-1.xlsx"
    sheet = load_workbook(BytesIO(document.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Đơn vị", "Mã NV", "Họ tên", "Trạng thái gửi", "Gửi lúc", "Đã đọc", "Đọc lúc"
    )  # fmt: skip
    nv1 = next(row for row in rows if row[1] == "NV1")
    assert nv1[:4] + nv1[5:] == (
        "Sở A/Phòng 1/Tổ 1", "NV1", "Nhân Viên Một", "đã gửi", "có", datetime(2026, 11, 23, 9, 0)
    )  # fmt: skip


async def test_scheduled_send_cancel_and_stop_midway(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    people = await chats(sessionmaker, clock, router)
    admin = people["AD1"]

    preview = await admin.say("/thongbao @23/11/2026 10:00 Kiểm tra nồng độ cồn")
    assert "Hẹn gửi lúc 23/11/2026 10:00" in buttons(admin)
    assert "Kiểm tra nồng độ cồn" in preview
    scheduled = await press(admin, buttons(admin)["Hẹn gửi lúc 23/11/2026 10:00"])
    assert scheduled == t("broadcast.scheduled", id=1, when="23/11/2026 10:00")
    async with sessionmaker() as session, session.begin():
        assert await broadcasts.tick(session, now=clock()) == 0  # 09:00: not yet
    clock.now = datetime(2026, 11, 23, 10, 0, 1, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        assert await broadcasts.tick(session, now=clock()) >= 6
    assert len(await copies(sessionmaker)) == 6

    await admin.say("/thongbao @24/11/2026 10:00 Sẽ bị hủy")
    await press(admin, buttons(admin)["Hẹn gửi lúc 24/11/2026 10:00"])
    assert await admin.say("/thongbao_huy 2") == t("broadcast.cancelled", id="2", count=0)
    clock.now = datetime(2026, 11, 24, 11, 0, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        await broadcasts.tick(session, now=clock())
    assert len(await copies(sessionmaker)) == 6  # nothing from the cancelled one

    stopped = await admin.say("/thongbao_huy 1")  # still pending in the outbox: stop them
    assert stopped == t("broadcast.cancelled", id="1", count=6)
    async with sessionmaker() as session:
        states = set(
            (
                await session.execute(select(Outbox.status).where(Outbox.dedupe_key.like("bc1:%")))
            ).scalars()
        )
    assert states == {OutboxStatus.CANCELLED}
    assert await admin.say("/thongbao @01/01/2020 08:00 cũ") == t("broadcast.past")


async def test_progress_line_is_posted_then_edited_then_closed(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    people = await chats(sessionmaker, clock, router, ("AD1", "NV1", "NV2"))
    admin = people["AD1"]
    await admin.say("/thongbao Tiến độ")
    await press(admin, "bc:1:send")

    async def tick() -> list[Outbox]:
        async with sessionmaker() as session, session.begin():
            await broadcasts.tick(session, now=clock())
        async with sessionmaker() as session:
            query = select(Outbox).where(Outbox.dedupe_key.like("bcp:%")).order_by(Outbox.id)
            return list((await session.execute(query)).scalars())

    async def deliver(condition) -> None:
        async with sessionmaker() as session, session.begin():
            for row in (await session.execute(select(Outbox).where(condition))).scalars():
                row.status, row.platform_message_id = OutboxStatus.SENT, f"m{row.id}"

    first = await tick()
    assert [r.payload["text"] for r in first] == [
        "Thông báo số 1: đã gửi 0/3, lỗi 0, đang chờ 3; đã đọc 0."
    ]
    assert [r.id for r in await tick()] == [first[0].id]  # nothing changed: nothing new
    await deliver(Outbox.id == first[0].id)
    await deliver(Outbox.dedupe_key == f"bc1:p{people['NV1'].person_id}:0")
    edited = (await tick())[-1]
    assert edited.payload["extra"] == {"edit_message_id": f"m{first[0].id}"}
    assert edited.payload["text"].startswith("Thông báo số 1: đã gửi 1/3")
    await deliver(Outbox.dedupe_key.like("bc1:%"))
    done = (await tick())[-1]
    assert done.payload["text"].startswith("Đã gửi xong thông báo số 1.")


async def test_warnings_before_an_announcement_nobody_would_receive(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    admin = (await chats(sessionmaker, clock, router, ("AD1",)))["AD1"]  # nobody else joined

    preview = await admin.say("/thongbao Chỉ gửi lãnh đạo phòng")
    await press(admin, buttons(admin)["Chọn vai trò"])
    await press(admin, buttons(admin)["quản lý"])
    targeted = await press(admin, buttons(admin)["Xong"])
    sent = await press(admin, buttons(admin)["Gửi ngay"])
    async with sessionmaker() as session:
        (status,) = (await session.execute(select(Broadcast.status))).scalars().all()
    listing = await admin.say("/thongbao_ketqua 1")

    assert t("broadcast.warn_not_running", last="chưa bao giờ") in preview
    assert "Tổng 2 người, 0 người nhận được qua bot" in targeted
    assert t("broadcast.warn_nobody") in targeted
    assert "Bắt đầu gửi" not in sent and "tới 0 người" not in sent
    assert sent == t("broadcast.nobody", id=1)
    assert status == BroadcastStatus.DONE  # not "đang gửi" forever
    assert "đã gửi xong" in listing

    # Scheduled for people nobody can reach: when due, the author is told and it ends.
    await admin.say("/thongbao @23/11/2026 10:00 Lãnh đạo phòng họp")
    await press(admin, buttons(admin)["Chọn vai trò"])
    await press(admin, buttons(admin)["quản lý"])
    await press(admin, buttons(admin)["Xong"])
    await press(admin, buttons(admin)["Hẹn gửi lúc 23/11/2026 10:00"])
    clock.now = datetime(2026, 11, 23, 10, 0, 1, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        await broadcasts.tick(session, now=clock())
    async with sessionmaker() as session:
        later = await session.get(Broadcast, 2)
        told = (await session.execute(select(Outbox).where(Outbox.chat_id == "tg-AD1"))).scalars()
        texts = [row.payload["text"] for row in told]
    assert later.status == BroadcastStatus.DONE
    assert t("broadcast.nobody", id=2) in texts


async def test_warnings_go_once_the_bot_runs_and_quiet_hours_are_named(org_on_telegram, clock):
    sessionmaker = org_on_telegram
    router = router_for(sessionmaker, clock)
    admin = (await chats(sessionmaker, clock, router, ("AD1", "NV1")))["AD1"]
    async with sessionmaker() as session, session.begin():
        await heartbeat.beat(session, name=heartbeat.SCHEDULER, now=clock())

    daytime = await admin.say("/thongbao @24/11/2026 10:00 Họp giao ban")
    night = await admin.say("/thongbao @24/11/2026 22:30 Nhắc đội mũ bảo hiểm")
    clock.advance(minutes=10)  # the scheduler has not been seen for 10 minutes
    stale = await admin.say("/thongbao Họp giao ban")

    assert "⚠️" not in daytime
    assert t("broadcast.warn_quiet", when="24/11/2026 22:30", quiet="21:00-06:30") in night
    assert t("broadcast.warn_not_running", last="23/11/2026 09:00") in stale
