"""Schedules: a week with a public holiday on a controlled clock, restarts, double fires."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.core.errors import UserError
from bot.db.models import Outbox, QuizDelivery, ReminderDelivery, Schedule, ScheduleRun
from bot.scheduling import Scheduler
from bot.services import org, schedules
from bot.services.notify import QuietHours
from tests.harness import linked_chat, load_roster, make_router, shipped_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINKED = ("NV1", "NV2", "NV3")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def make_scheduler(sessionmaker, clock) -> Scheduler:
    return Scheduler(
        sessionmaker,
        shipped_content(),
        clock=clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )


async def link_telegram(sessionmaker, clock, codes) -> dict[str, int]:
    """Link each person to a Telegram chat; returns person ids by code."""
    ids = {}
    async with sessionmaker() as session, session.begin():
        for number, code in enumerate(codes, start=1):
            person = await org.find_person(session, code=code)
            await org.link_account(
                session,
                person=person,
                channel="telegram",
                user_id=str(number),
                chat_id=str(number),
                now=clock(),
            )
            ids[code] = person.id
    return ids


async def received(sessionmaker) -> dict[int, list[tuple[str, str]]]:
    """Per person: (local date, kind) of every reminder and quiz delivered, in order."""
    got: dict[int, list[tuple[str, str]]] = defaultdict(list)
    async with sessionmaker() as session:
        for model, kind in ((ReminderDelivery, "nhắc"), (QuizDelivery, "đố")):
            for row in (await session.execute(select(model))).scalars():
                got[row.person_id].append((row.sent_at.astimezone(TZ).strftime("%a %d"), kind))
    return {person: sorted(items) for person, items in got.items()}


@pytest.fixture
async def org_ready(sessionmaker, clock, tmp_path):
    clock.now = local(2026, 11, 22, 20, 0)  # Sunday evening before the week
    await load_roster(sessionmaker, clock, tmp_path)
    return await link_telegram(sessionmaker, clock, LINKED)


async def fire_all(scheduler: Scheduler, clock, sessionmaker, start, end) -> list[str]:
    """Move the clock to each occurrence in [start, end] and fire as APScheduler would."""
    async with sessionmaker() as session:
        rows = (await session.execute(select(Schedule))).scalars().all()
    due = sorted((at, s.id) for s in rows for at in schedules.occurrences(s, start, end))
    statuses = []
    for at, schedule_id in due:
        clock.now = at.replace(second=3)
        outcome = await scheduler.fire_latest(schedule_id)
        statuses.append(f"{at.astimezone(TZ):%a %H:%M} {outcome.status}")
    return statuses


async def test_a_week_with_a_holiday_and_a_restart(sessionmaker, clock, org_ready):
    first = make_scheduler(sessionmaker, clock)
    assert await first.start() == []  # defaults created; nothing missed on Sunday night
    try:
        monday_to_wednesday = await fire_all(
            first, clock, sessionmaker, local(2026, 11, 23), local(2026, 11, 25, 23, 59)
        )
    finally:
        first.shutdown()

    # Restart: a new process rebuilds from the database; Wednesday fires twice.
    second = make_scheduler(sessionmaker, clock)
    await second.start()
    try:
        again = await second.fire(1, local(2026, 11, 25, 7, 30))
        rest = await fire_all(
            second, clock, sessionmaker, local(2026, 11, 26), local(2026, 11, 29, 23, 59)
        )
    finally:
        second.shutdown()

    assert monday_to_wednesday == [
        "Mon 07:30 sent",
        "Mon 07:30 sent",  # the weekly digest: no campaign, so nothing is queued
        "Mon 08:00 sent",  # law items expiring soon: none in the shipped content
        "Tue 07:30 skipped",
        "Tue 10:00 skipped",
        "Wed 07:30 sent",
    ]
    assert again.status == "duplicate"
    # The check-in form and nudges fire too; no campaign is running here, so they send nothing.
    assert rest == [
        "Thu 07:30 sent",
        "Thu 10:00 sent",
        "Fri 07:30 sent",
        "Fri 08:00 sent",
        "Fri 15:00 sent",
        "Sat 15:00 sent",
        "Sun 15:00 sent",
    ]
    expected = [
        ("Fri 27", "nhắc"),
        ("Mon 23", "nhắc"),
        ("Thu 26", "nhắc"),
        ("Thu 26", "đố"),
        ("Wed 25", "nhắc"),
    ]
    got = await received(sessionmaker)
    assert sorted(got) == sorted(org_ready.values())  # only the linked, reachable people
    assert all(items == sorted(expected) for items in got.values())
    async with sessionmaker() as session:
        outbox = (await session.execute(select(Outbox))).scalars().all()
        skipped = (
            (await session.execute(select(ScheduleRun.note).where(ScheduleRun.status == "skipped")))
            .scalars()
            .all()
        )
        reminders = (await session.execute(select(ReminderDelivery))).scalars().all()
    # 4 reminders + (intro + question) for the quiz, per person; nothing twice.
    assert len(outbox) == 3 * (4 + 2)
    assert len({row.dedupe_key for row in outbox}) == len(outbox)
    assert skipped and all(note.startswith("ngày lễ:") for note in skipped)
    per_person = defaultdict(list)
    for row in reminders:
        per_person[row.person_id].append(row.item_id)
    assert all(len(set(items)) == len(items) for items in per_person.values())


async def test_a_missed_occurrence_is_sent_once_after_a_restart(sessionmaker, clock, org_ready):
    scheduler = make_scheduler(sessionmaker, clock)
    clock.now = local(2026, 11, 26, 10, 20)  # the bot was down at Thursday 10:00
    missed = await scheduler.start()
    try:
        late_apscheduler_fire = await scheduler.fire_latest(2)
    finally:
        scheduler.shutdown()

    assert [(o.status, o.occurrence) for o in missed] == [("sent", local(2026, 11, 26, 10, 0))]
    assert late_apscheduler_fire.status == "duplicate"
    got = await received(sessionmaker)
    assert all(items == [("Thu 26", "đố")] for items in got.values())


async def test_quiet_hours_hold_messages_until_morning(sessionmaker, clock, org_ready):
    scheduler = make_scheduler(sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
    clock.now = local(2026, 11, 26, 22, 15)

    outcome = await scheduler.run_now(1)

    assert outcome.queued == 3
    async with sessionmaker() as session:
        times = set((await session.execute(select(Outbox.not_before))).scalars())
    assert times == {local(2026, 11, 27, 6, 30)}


async def test_apscheduler_jobs_follow_edits_from_chat(sessionmaker, clock, org_ready):
    scheduler = make_scheduler(sessionmaker, clock)
    await scheduler.start()
    try:
        jobs = {job.id: job for job in scheduler.aps.get_jobs()}
        admin = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "AD1")
        employee = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")

        refused = await employee.say("/lich tat 1")
        listing = await admin.say("/lich")
        edited = await admin.say("/lich sua 2 T4 9:05")
        off = await admin.say("/lich tat 1")
        bad = await admin.say("/lich sua 2 thu-hai 25:00")
        changed = await scheduler.sync()
        rebuilt = {job.id: job for job in scheduler.aps.get_jobs()}
    finally:
        scheduler.shutdown()

    assert set(jobs) == {
        "schedule-1",
        "schedule-2",
        "schedule-3",
        "schedule-4",
        "schedule-5",
        "schedule-6",
        "schedules-sync",
        "broadcasts",
    }
    assert "day_of_week='mon-fri', hour='7', minute='30'" in str(jobs["schedule-1"].trigger)
    assert refused == "Anh/chị không có quyền dùng chức năng này."
    assert "1. Nhắc nhở an toàn giao thông hằng ngày: T2-T6 lúc 07:30 (giờ Việt Nam)" in listing
    assert "2. Câu đố luật giao thông: T4 lúc 09:05" in edited
    assert "đang tắt" in off
    assert "không hợp lệ" in bad
    assert changed
    assert set(rebuilt) == {
        "schedule-2",
        "schedule-3",
        "schedule-4",
        "schedule-5",
        "schedule-6",
        "schedules-sync",
        "broadcasts",
    }
    assert "day_of_week='wed', hour='9', minute='5'" in str(rebuilt["schedule-2"].trigger)


async def test_a_schedule_for_one_unit_is_listed_and_edited(sessionmaker, clock, org_ready):
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        unit = await org.find_unit(session, path="Sở A/Phòng 1")
        schedule = await session.get(Schedule, 1)
        schedule.unit_id = unit.id
    admin = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "AD1")

    listing = await admin.say("/lich")
    edited = await admin.say("/lich tat 1")

    assert ", cho Sở A/Phòng 1" in listing
    assert ", cho Sở A/Phòng 1" in edited


WEEK = (local(2026, 11, 23, 0, 0), local(2026, 11, 29, 23, 59))  # Monday to Sunday


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("T2-T6", "mon-fri", "T2-T6"),
        ("thu2-thu6", "mon-fri", "T2-T6"),
        ("thứ 2 - thứ 6", "mon-fri", "T2-T6"),
        ("Thứ Hai-Thứ Sáu", "mon-fri", "T2-T6"),
        ("thu 2", "mon", "T2"),
        ("t3,t5", "tue,thu", "T3,T5"),
        ("T3, T5", "tue,thu", "T3,T5"),
        ("thứ ba, thứ năm", "tue,thu", "T3,T5"),
        ("thu tu", "wed", "T4"),
        ("T7,CN", "sat,sun", "T7,CN"),
        ("T7 và CN", "sat,sun", "T7,CN"),
        ("thứ 2 đến thứ 4", "mon-wed", "T2-T4"),
        ("chủ nhật", "sun", "CN"),
        ("chu nhat", "sun", "CN"),
        ("T2-CN", "mon-sun", "T2-CN"),
        ("T6-T2", "mon,fri-sun", "T2,T6-CN"),
        ("T2,T3,T4", "mon-wed", "T2-T4"),
    ],
)
def test_days_are_read_as_vietnamese_calendars_write_them(typed, stored, shown):
    assert schedules.parse_days(typed) == stored
    assert schedules.days_label(stored) == shown


@pytest.mark.parametrize(
    "typed",
    ["mon2", "wed5", "mon-fri", "thu", "T8", "T1", "thứ 9", "2-6", "T2-", "T2--T6", ",", "", "CN2"],
)
def test_anything_else_is_refused_with_an_example(typed):
    with pytest.raises(UserError) as refused:
        schedules.parse_days(typed)
    assert "T2-T6" in refused.value.message and "chủ nhật" in refused.value.message


async def test_a_schedule_edited_in_chat_fires_on_the_days_typed(sessionmaker, clock, org_ready):
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
    admin = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "AD1")

    edited = await admin.say("/lich sua 1 thu2-thu6 07:30")
    spaced = await admin.say("/lich sua 2 thứ 3, thứ 5 10:00")
    refused = await admin.say("/lich sua 1 mon2 07:30")
    async with sessionmaker() as session:
        reminder, quiz = await session.get(Schedule, 1), await session.get(Schedule, 2)
        fired = [at.astimezone(TZ).weekday() for at in schedules.occurrences(reminder, *WEEK)]
        quiz_days = [at.astimezone(TZ).weekday() for at in schedules.occurrences(quiz, *WEEK)]

    assert "1. Nhắc nhở an toàn giao thông hằng ngày: T2-T6 lúc 07:30" in edited
    assert "2. Câu đố luật giao thông: T3,T5 lúc 10:00" in spaced
    assert fired == [0, 1, 2, 3, 4]
    assert quiz_days == [1, 3]
    assert "Ngày «mon2» không hợp lệ" in refused
    assert reminder.days == "mon-fri"  # the refused edit changed nothing


def test_the_cli_reads_days_like_the_chat(database_url):
    def jobs(*args: str):
        return CliRunner().invoke(app, ["jobs", *args], env={"ATGT_DATABASE_URL": database_url})

    edited = jobs("set", "1", "--days", "thứ 2-thứ 6", "--time", "7:15")
    refused = jobs("set", "1", "--days", "wed5")

    assert edited.exit_code == 0, edited.output
    assert "T2-T6 lúc 07:15" in edited.output
    assert refused.exit_code == 1
    assert "Ngày «wed5» không hợp lệ" in refused.output
