"""Jobs fail per recipient: a failure is counted on the run, the others still get theirs."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.jobs import ran_message
from bot.db.models import Outbox, QuizDelivery, ReminderDelivery, Schedule, ScheduleRun
from bot.scheduling import Outcome, Scheduler
from bot.services import org, schedules
from bot.services.notify import QuietHours
from jobs import JOBS, digest
from jobs.base import JobContext
from tests.digest_org import build
from tests.digest_org import local as digest_local
from tests.harness import linked_chat, load_roster, make_router, shipped_content
from tests.test_schedules import link_telegram

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINKED = ("NV1", "NV2", "NV3")
REFUSED = "NV2"


def make_scheduler(sessionmaker, clock, jobs=JOBS) -> Scheduler:
    return Scheduler(
        sessionmaker,
        shipped_content(),
        clock=clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
        jobs=jobs,
    )


@pytest.fixture
async def people(sessionmaker, clock, tmp_path) -> dict[str, int]:
    """The test organisation, NV1-NV3 linked on Telegram, default schedules; ids by code."""
    clock.now = datetime(2026, 11, 23, 7, 30, 3, tzinfo=TZ)  # a Monday, reminder time
    await load_roster(sessionmaker, clock, tmp_path)
    ids = await link_telegram(sessionmaker, clock, LINKED)
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
    return ids


# Schedule kind → the table its job writes one row per person to.
DELIVERY_TABLES = {"reminder": "reminder_delivery", "quiz": "quiz_delivery"}


@pytest.fixture
def kind() -> str:
    return "reminder"


@pytest.fixture
async def refusing_database(engine, people, kind):
    """The database refuses one person's delivery row, as a broken row or rule would."""
    person_id, table = people[REFUSED], DELIVERY_TABLES[kind]
    if engine.dialect.name == "sqlite":
        create = [
            f"CREATE TRIGGER refuse_delivery BEFORE INSERT ON {table} "
            f"WHEN NEW.person_id = {person_id} BEGIN SELECT RAISE(ABORT, 'refused by rule'); END"
        ]
        drop = ["DROP TRIGGER IF EXISTS refuse_delivery"]
    else:
        create = [
            "CREATE FUNCTION refuse_delivery() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.person_id = {person_id} THEN RAISE EXCEPTION 'refused by rule'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER refuse_delivery BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_delivery()",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS refuse_delivery ON {table}",
            "DROP FUNCTION IF EXISTS refuse_delivery()",
        ]
    async with engine.begin() as connection:
        for statement in create:
            await connection.execute(text(statement))
    yield person_id
    async with engine.begin() as connection:  # the PostgreSQL database outlives this test
        for statement in drop:
            await connection.execute(text(statement))


async def reminder_schedule(sessionmaker, kind: str = "reminder") -> Schedule:
    async with sessionmaker() as session:
        query = select(Schedule).where(Schedule.kind == kind)
        return (await session.execute(query)).scalars().first()


@pytest.mark.parametrize(
    ("kind", "delivery", "per_person"),
    [("reminder", ReminderDelivery, 1), ("quiz", QuizDelivery, 2)],
)
async def test_one_failing_recipient_does_not_cost_the_others(
    sessionmaker, clock, people, refusing_database, caplog, kind, delivery, per_person
):
    schedule = await reminder_schedule(sessionmaker, kind)
    scheduler = make_scheduler(sessionmaker, clock)
    occurrence = clock.now.replace(second=0)

    outcome = await scheduler.fire(schedule.id, occurrence)
    again = await scheduler.fire(schedule.id, occurrence)

    queued = 2 * per_person  # NV1 and NV3; quizzes come with an intro line
    assert (outcome.status, outcome.queued, outcome.failed) == ("sent", queued, 1)
    assert again.status == "duplicate"  # the claim stays: nobody gets it twice
    async with sessionmaker() as session:
        run = (await session.execute(select(ScheduleRun))).scalar_one()
        got = set((await session.execute(select(delivery.person_id))).scalars())
        chats = sorted((await session.execute(select(Outbox.chat_id))).scalars())
    assert got == {people["NV1"], people["NV3"]}
    assert chats == sorted(["1", "3"] * per_person)
    assert (run.status, run.recipients, run.failed) == ("sent", queued, 1)
    assert run.error.startswith(f"p{refusing_database}: ")
    assert "refused by rule" in run.error
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert f"person {refusing_database} failed" in warnings[0]
    assert "refused by rule" in warnings[0]


async def test_a_run_without_failures_records_none(sessionmaker, clock, people):
    schedule = await reminder_schedule(sessionmaker)
    outcome = await make_scheduler(sessionmaker, clock).fire(schedule.id, clock.now)
    async with sessionmaker() as session:
        run = (await session.execute(select(ScheduleRun))).scalar_one()
    assert (outcome.queued, outcome.failed, run.failed, run.error) == (3, 0, 0, None)


async def broken_job(ctx: JobContext) -> int:
    """A job that fails before any recipient: its unit no longer resolves."""
    raise LookupError("unit gone")


async def test_a_job_failing_as_a_whole_is_recorded_once(sessionmaker, clock, people):
    schedule = await reminder_schedule(sessionmaker)
    scheduler = make_scheduler(sessionmaker, clock, jobs={**JOBS, "reminder": broken_job})

    outcome = await scheduler.fire(schedule.id, clock.now)
    again = await scheduler.fire(schedule.id, clock.now)

    assert (outcome.status, outcome.error) == ("failed", "LookupError: unit gone")
    assert again.status == "duplicate"
    async with sessionmaker() as session:
        run = (await session.execute(select(ScheduleRun))).scalar_one()
        queued = (await session.execute(select(Outbox))).scalars().all()
    assert (run.status, run.error, queued) == ("failed", "LookupError: unit gone", [])


async def test_jobs_list_and_status_show_the_failed_count(
    sessionmaker, clock, people, refusing_database, database_url
):
    schedule = await reminder_schedule(sessionmaker)
    await make_scheduler(sessionmaker, clock).fire(schedule.id, clock.now.replace(second=0))
    env = {"ATGT_DATABASE_URL": database_url}

    listed = await asyncio.to_thread(CliRunner().invoke, app, ["jobs", "list"], env=env)
    status = await asyncio.to_thread(CliRunner().invoke, app, ["status"], env=env)

    assert listed.exit_code == 0, listed.output
    assert status.exit_code == 0, status.output
    line = next(line for line in listed.output.splitlines() if line.startswith(f"{schedule.id}. "))
    assert "gửi tới 2 người, 1 người lỗi" in line, listed.output
    assert "gửi tới 2 người, 1 người lỗi" in status.output


def test_jobs_run_says_how_many_failed():
    failed = Outcome(3, datetime(2026, 11, 23, tzinfo=TZ), "sent", 2, failed=1, error="p4: X: y")
    clean = Outcome(3, datetime(2026, 11, 23, tzinfo=TZ), "sent", 3)

    assert ran_message(3, failed) == (
        "Đã chạy lịch 3: 2 tin nhắn vào hàng đợi gửi. "
        "1 người không gửi được (lỗi đầu tiên: p4: X: y)."
    )
    assert ran_message(3, clean) == "Đã chạy lịch 3: 3 tin nhắn vào hàng đợi gửi."


async def test_a_digest_that_cannot_be_drawn_for_one_viewer(sessionmaker, clock, tmp_path):
    """The digest is drawn per viewer: one viewer's undrawable data costs only theirs."""
    await build(sessionmaker, tmp_path)
    clock.now = digest_local(2026, 11, 12, 20, 0)
    router = make_router(sessionmaker, clock)
    for code in ("AD1", "QL1", "QL2"):
        await linked_chat(router, sessionmaker, clock, code, channel="telegram")
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        ql1 = (await org.find_person(session, code="QL1")).id

    async def drawn_with_one_broken(ctx: JobContext) -> int:
        """The real gather, draw and queue, with QL1's rows unreadable to the renderer."""
        found = await digest._gather(ctx.session, unit=None, now=ctx.now, content=ctx.content)
        found = [(to, replace(p, rows=[None]) if to.person_id == ql1 else p) for to, p in found]
        ready = await digest._render(found, ctx.now)
        return await digest.run(replace(ctx, prepared=ready))

    schedule = await reminder_schedule(sessionmaker, "digest")
    scheduler = make_scheduler(sessionmaker, clock, jobs={**JOBS, "digest": drawn_with_one_broken})
    clock.now = digest_local(2026, 11, 16, 7, 30, 3)
    fired = await scheduler.fire(schedule.id, digest_local(2026, 11, 16, 7, 30))

    async with sessionmaker() as session:
        queued = select(Outbox.chat_id).where(Outbox.dedupe_key.like("run:%"))
        chats = set((await session.execute(queued)).scalars())
        run = (await session.execute(select(ScheduleRun))).scalar_one()
    assert (fired.status, fired.queued, fired.failed) == ("sent", 6, 1)
    assert chats == {"tg-AD1", "tg-QL2"}
    assert run.failed == 1 and run.error.startswith(f"p{ql1}: ")
