"""The emulation cycle on a controlled clock: register, answer, edit, late, nudges, close."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.channels.console import ConsoleChannel
from bot.channels.numbered import numbered_text
from bot.core.messages import Kind
from bot.core.texts import t
from bot.db.models import Campaign, CheckIn, Nudge, Outbox, Registration, Schedule
from bot.scheduling import Scheduler
from bot.services import campaigns, org
from bot.services.notify import QuietHours
from bot.services.schedules import ensure_defaults
from tests.harness import linked_chat, load_roster, make_router, shipped_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


class Cycle:
    """The test organisation with a running campaign and Telegram-linked chats."""

    def __init__(self, sessionmaker, clock, router, chats, campaign_id):
        self.sessionmaker, self.clock, self.router = sessionmaker, clock, router
        self.chats, self.campaign_id = chats, campaign_id

    async def press(self, code: str, payload: str, event_id: str | None = None) -> str:
        chat = self.chats[code]
        chat.last = await self.router.handle(
            chat.incoming(Kind.BUTTON, payload=payload, event_id=event_id)
        )
        return "\n".join(r.text for r in chat.last)

    def buttons(self, code: str) -> list[str]:
        return [b.data for r in self.chats[code].last for b in r.flat_buttons]

    async def rows(self, model, **where) -> list:
        async with self.sessionmaker() as session:
            query = select(model).filter_by(**where)
            return list((await session.execute(query)).scalars())


@pytest.fixture
async def cycle(sessionmaker, clock, tmp_path) -> Cycle:
    clock.now = local(2026, 11, 23, 8, 0)  # Monday
    await load_roster(sessionmaker, clock, tmp_path)
    async with sessionmaker() as session, session.begin():
        root = await org.find_unit(session, path="Sở A")
        campaign = await campaigns.create_campaign(
            session,
            name="Thi đua 2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            units=[root],
            timezone="Asia/Ho_Chi_Minh",
            now=clock(),
        )
    router = make_router(sessionmaker, clock)
    chats = {
        code: await linked_chat(router, sessionmaker, clock, code, channel="telegram")
        for code in ("NV1", "NV2", "NV3", "QL1", "QL2", "AD1")
    }
    return Cycle(sessionmaker, clock, router, chats, campaign.id)


async def test_register_once_by_command_or_button(cycle):
    first = await cycle.chats["NV1"].say("/dangky")
    again = await cycle.press("NV1", f"reg:{cycle.campaign_id}")
    by_button = await cycle.press("NV2", f"reg:{cycle.campaign_id}")

    assert first == t("campaign.registered", name="Thi đua 2026")
    assert again == t("campaign.already_registered", name="Thi đua 2026")
    assert by_button == t("campaign.registered", name="Thi đua 2026")
    assert len(await cycle.rows(Registration)) == 2


async def test_answer_edit_duplicate_late_and_close(cycle):
    cycle.clock.now = local(2026, 11, 24, 9, 0)  # Tuesday, before Friday 17:00
    await cycle.chats["NV1"].say("/baocaotuan")
    all_fine, _ = cycle.buttons("NV1")
    assert all_fine == f"ci:{cycle.campaign_id}:20261123:all"

    saved = await cycle.press("NV1", all_fine, event_id="tap-1")
    redelivered = await cycle.press("NV1", all_fine, event_id="tap-1")
    tapped_again = await cycle.press("NV1", all_fine)

    assert "Đã ghi nhận báo cáo tuần 23/11/2026 – 29/11/2026: chấp hành đầy đủ." in saved
    assert redelivered == ""
    assert "chấp hành đầy đủ" in tapped_again
    (row,) = await cycle.rows(CheckIn, person_id=cycle.chats["NV1"].person_id)
    assert (row.complete, row.compliant, row.late) == (True, True, False)

    # Question by question, then an edit of one answer in the same period.
    prefix = f"ci:{cycle.campaign_id}:20261123"
    await cycle.press("NV2", f"{prefix}:q:0")
    await cycle.press("NV2", f"{prefix}:a:0:1")
    await cycle.press("NV2", f"{prefix}:a:1:0")
    answered = await cycle.press("NV2", f"{prefix}:a:2:1")
    assert "có nội dung chưa chấp hành" in answered and "/vipham" in answered
    edited = await cycle.press("NV2", f"{prefix}:a:1:1")
    (nv2,) = await cycle.rows(CheckIn, person_id=cycle.chats["NV2"].person_id)
    assert "chấp hành đầy đủ" in edited
    assert nv2.answers == {"no_violation": True, "protective": True, "no_alcohol": True}

    # Saturday: accepted, marked late; a note is kept on the same row.
    cycle.clock.now = local(2026, 11, 28, 10, 0)
    late = await cycle.press("NV3", f"{prefix}:all")
    await cycle.chats["NV3"].say("/ghichu đi công tác Cần Thơ <b>cả tuần</b>")
    (nv3,) = await cycle.rows(CheckIn, person_id=cycle.chats["NV3"].person_id)
    assert "(nộp sau hạn)" in late
    assert (nv3.late, nv3.note) == (True, "đi công tác Cần Thơ <b>cả tuần</b>")

    # Next Monday the period is closed: old buttons are refused, the new week is open.
    cycle.clock.now = local(2026, 11, 30, 9, 0)
    closed = await cycle.press("NV2", f"{prefix}:a:0:0")
    assert closed == t("checkin.closed")
    assert "Báo cáo tuần 30/11/2026 – 06/12/2026" in await cycle.chats["NV2"].say("/baocaotuan")
    assert len(await cycle.rows(CheckIn)) == 3


async def test_violation_kinds_are_numbered_once_on_numbered_channels(cycle):
    await cycle.chats["NV1"].say("/vipham")
    (offer,) = cycle.chats["NV1"].last
    console, zalo = ConsoleChannel.render(offer), numbered_text(offer, hint="")
    typed = await cycle.chats["NV1"].say("/vipham 8 23/11/2026")

    for shown in (console, zalo):
        assert "1. Lái xe sau khi uống rượu, bia" in shown
        assert "8. Vi phạm khác" in shown
        assert "1. 1." not in shown
    assert [b.label for b in offer.flat_buttons][:2] == [
        "Lái xe sau khi uống rượu, bia",
        "Không đội mũ bảo hiểm",
    ]
    assert "Vi phạm khác, ngày 23/11/2026" in typed  # the number typed is the number shown


async def test_weekly_report_shows_what_was_sent_and_offers_a_change(cycle):
    cycle.clock.now = local(2026, 11, 24, 9, 0)  # Tuesday
    prefix = f"ci:{cycle.campaign_id}:20261123"
    for index, value in enumerate(("1", "0", "1")):
        await cycle.press("NV2", f"{prefix}:a:{index}:{value}")

    again = await cycle.chats["NV2"].say("/baocaotuan")

    assert "Đã ghi nhận" not in again  # not a second confirmation
    assert "Nếu tuần này" not in again  # not the first-time prompt
    assert "Báo cáo tuần 23/11/2026 – 29/11/2026 anh/chị đã gửi" in again
    assert "có nội dung chưa chấp hành" in again
    assert "Không" in again  # the answer that makes it so is shown
    assert f"{prefix}:all" in cycle.buttons("NV2") and f"{prefix}:q:0" in cycle.buttons("NV2")


async def test_all_fine_in_a_week_with_self_reports_asks_first(cycle):
    cycle.clock.now = local(2026, 11, 25, 9, 0)  # Wednesday
    prefix = f"ci:{cycle.campaign_id}:20261123"
    nv1 = cycle.chats["NV1"]
    await nv1.say("/vipham 3 23/11/2026")
    await nv1.say("/vipham 1 24/11/2026")
    await nv1.say("/vipham 2 20/11/2026")  # the week before: does not count
    await cycle.press("NV1", f"{prefix}:a:0:0")
    await cycle.press("NV1", f"{prefix}:a:1:1")
    await cycle.press("NV1", f"{prefix}:a:2:1")

    asked = await cycle.press("NV1", f"{prefix}:all")
    (unchanged,) = await cycle.rows(CheckIn, person_id=nv1.person_id)
    confirm = next(b for b in cycle.buttons("NV1") if b.endswith(":sure"))
    confirmed = await cycle.press("NV1", confirm)
    (changed,) = await cycle.rows(CheckIn, person_id=nv1.person_id)

    assert "2 lần tự khai vi phạm" in asked
    assert "Dùng điện thoại khi lái xe (23/11/2026)" in asked
    assert unchanged.compliant is False
    assert "chấp hành đầy đủ" in confirmed
    assert "2 lần tự khai vi phạm" in confirmed  # said again next to the verdict
    assert changed.compliant is True


async def test_forged_or_stale_buttons_are_refused(cycle):
    for payload in (
        "ci:",
        "ci:x:y:z",
        f"ci:{cycle.campaign_id}:20261399:all",
        f"ci:{cycle.campaign_id}:20261123:a:99:1",
        "ci:999:20261123:all",
        f"ci:{cycle.campaign_id}:20261123:a:0:7",
    ):
        assert await cycle.press("NV1", payload) == t("error.unknown_button"), payload
    assert await cycle.rows(CheckIn) == []


async def test_nudges_at_most_n_per_period_and_one_a_day(cycle):
    async with cycle.sessionmaker() as session, session.begin():
        await session.execute(update(Campaign).values(nudge_limit=2))
    scheduler = Scheduler(
        cycle.sessionmaker,
        shipped_content(),
        clock=cycle.clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    await scheduler.start()
    try:
        async with cycle.sessionmaker() as session:
            nudge_id = await session.scalar(select(Schedule.id).where(Schedule.kind == "nudge"))
        prefix = f"ci:{cycle.campaign_id}:20261123"
        cycle.clock.now = local(2026, 11, 26, 9, 0)
        for code in ("NV1", "NV2", "QL1", "QL2", "AD1"):
            await cycle.press(code, f"{prefix}:all")

        cycle.clock.now = local(2026, 11, 27, 15, 0)
        friday = await scheduler.fire_latest(nudge_id)
        friday_again = await scheduler.run_now(nudge_id)  # a second run the same day
        cycle.clock.now = local(2026, 11, 28, 15, 0)
        saturday = await scheduler.fire_latest(nudge_id)
        cycle.clock.now = local(2026, 11, 29, 15, 0)
        sunday = await scheduler.fire_latest(nudge_id)
    finally:
        scheduler.shutdown()

    assert [friday.queued, friday_again.queued, saturday.queued, sunday.queued] == [1, 0, 1, 0]
    nudges = await cycle.rows(Nudge)
    assert {n.person_id for n in nudges} == {cycle.chats["NV3"].person_id}
    assert [n.sent_on for n in nudges] == [date(2026, 11, 27), date(2026, 11, 28)]
    texts = [row.payload["text"] for row in await cycle.rows(Outbox)]
    assert sum(text.startswith("Anh/chị chưa gửi báo cáo tuần 23/11/2026") for text in texts) == 2


async def test_manager_sees_own_units_and_privacy_threshold(cycle):
    cycle.clock.now = local(2026, 11, 24, 9, 0)
    await cycle.press("NV1", f"ci:{cycle.campaign_id}:20261123:all")
    await cycle.chats["NV1"].say("/vipham 3 23/11/2026 nghe điện thoại")
    await cycle.chats["NV3"].say("/vipham 1")

    employee = await cycle.chats["NV1"].say("/donvi")
    phong1 = await cycle.chats["QL1"].say("/donvi")
    phong2 = await cycle.chats["QL2"].say("/donvi")
    admin = await cycle.chats["AD1"].say("/donvi")

    assert employee == t("error.forbidden")
    assert "Sở A/Phòng 1: 3 người tham gia." in phong1
    assert "Đã báo cáo: 1/3" in phong1
    assert "Chưa báo cáo: Nhân Viên Hai, Trưởng Phòng Một" in phong1
    assert "Nhân Viên Ba" not in phong1
    assert "Tự khai vi phạm trong tuần: 1." in phong1
    assert t("unit.violations_hidden", k=3) in phong2  # Phòng 2 has 2 people
    assert "chấp hành đầy đủ: 1/1" not in phong1  # one report: compliance hidden too
    assert "Sở A: 6 người tham gia." in admin and "Tự khai vi phạm trong tuần: 2." in admin


async def test_each_person_sees_only_their_own_history(cycle):
    cycle.clock.now = local(2026, 11, 24, 9, 0)
    await cycle.chats["NV1"].say("/dangky")
    await cycle.press("NV1", f"ci:{cycle.campaign_id}:20261123:all")
    await cycle.chats["NV2"].say("/vipham 2")

    mine = await cycle.chats["NV1"].say("/lichsu")
    other = await cycle.chats["NV2"].say("/lichsu")

    assert "Đăng ký thi đua ngày 24/11/2026" in mine
    assert "Tuần 23/11/2026: chấp hành đầy đủ" in mine
    assert "Tự khai báo" not in mine
    assert "Không đội mũ bảo hiểm, ngày 24/11/2026" in other
    assert "Chưa đăng ký thi đua" in other and "Chưa có báo cáo tuần nào" in other


async def test_weekly_form_goes_only_to_who_has_not_answered(cycle):
    scheduler = Scheduler(
        cycle.sessionmaker,
        shipped_content(),
        clock=cycle.clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    cycle.clock.now = local(2026, 11, 26, 9, 0)
    await cycle.press("NV1", f"ci:{cycle.campaign_id}:20261123:all")
    async with cycle.sessionmaker() as session, session.begin():
        await ensure_defaults(session, now=cycle.clock(), timezone="Asia/Ho_Chi_Minh")
        form_id = await session.scalar(select(Schedule.id).where(Schedule.kind == "checkin"))

    cycle.clock.now = local(2026, 11, 27, 8, 0, 5)
    outcome = await scheduler.fire_latest(form_id)

    assert outcome.queued == 5
    rows = await cycle.rows(Outbox)
    assert "tg-NV1" not in {row.chat_id for row in rows}
    assert all(row.payload["buttons"][0][0]["data"].endswith(":all") for row in rows)
