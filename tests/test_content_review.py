"""Legal review of law content: the pending list, decisions in the database, the weekly notice."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.content import load_content
from bot.core.errors import UserError
from bot.db.models import ContentReview, Outbox, ReminderDelivery, Schedule
from bot.db.session import make_engine, make_sessionmaker
from bot.scheduling import Scheduler
from bot.services import content_review, org, schedules
from bot.services.notify import QuietHours
from tests.harness import linked_chat, load_roster, make_router, shipped_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
L36 = "Luật 36/2024/QH15"
ND168 = "Nghị định 168/2024/NĐ-CP"
ND238 = "Nghị định 238/2026/NĐ-CP"
REVIEW = {"date": date(2026, 12, 6), "checked": "Đ7 k6 a", "confidence": "medium", "by": "Tổ"}


def _item(item_id: str, **changes: Any) -> dict[str, Any]:
    item = {
        "id": item_id,
        "topic": "alcohol",
        "text": "Nhắc nhở thử.",
        "basis": [{"document": L36, "article": 9, "clause": 2}],
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
        "source": "G36",
    }
    return {**item, **changes}


@pytest.fixture
def content(tmp_path: Path):
    base = tmp_path / "content"
    (base / "reminders").mkdir(parents=True)
    amended = [{"document": ND168, "article": 7, "clause": 6, "point": "a", "amended_by": ND238}]
    items = [
        _item("r-old-law"),  # never reviewed, rests on Luật 36 (amended 2026-07-01)
        _item("r-fine", basis=amended, valid_from=date(2026, 8, 15), review=REVIEW),
        _item("r-soon", review=REVIEW, valid_until=date(2026, 12, 20)),
        _item("r-gone", review=REVIEW, valid_until=date(2026, 1, 31)),
        _item("r-stale", basis=amended, review={**REVIEW, "date": date(2026, 8, 1)}),
    ]
    text = yaml.safe_dump({"items": items}, allow_unicode=True)
    (base / "reminders" / "x.yaml").write_text(text, encoding="utf-8")
    amendments = [
        {"document": L36, "amended_by": "Luật 118/2025/QH15", "effective": date(2026, 7, 1)},
        {"document": ND168, "amended_by": ND238, "effective": date(2026, 8, 15)},
    ]
    text = yaml.safe_dump({"items": amendments}, allow_unicode=True)
    (base / "amendments.yaml").write_text(text, encoding="utf-8")
    return load_content([base])


def reasons(found) -> dict[str, str]:
    return {p.item.id: "; ".join(p.reasons) for p in found}


async def test_pending_lists_unreviewed_amended_and_expiring(sessionmaker, content):
    async with sessionmaker() as session:
        decisions = await content_review.latest_decisions(session)
    found = reasons(content_review.pending(content, decisions, on=date(2026, 12, 6)))
    assert set(found) == {"r-old-law", "r-soon", "r-stale"}
    assert "chưa có bản ghi rà soát" in found["r-old-law"]
    assert "Luật 118/2025/QH15 từ 01/07/2026" in found["r-old-law"]
    assert found["r-soon"] == "hết hiệu lực sau ngày 20/12/2026"
    assert found["r-stale"] == (
        "căn cứ được sửa đổi bởi Nghị định 238/2026/NĐ-CP từ 15/08/2026, sau lần rà soát 01/08/2026"
    )
    # Thirty days before its end an item is not listed yet.
    early = reasons(content_review.pending(content, decisions, on=date(2026, 11, 19)))
    assert "r-soon" not in early
    found = content_review.pending(content, decisions, on=date(2026, 12, 6))
    assert content_review.counts(found) == (1, 2, 1)


async def test_ok_and_end_are_recorded_and_honoured(sessionmaker, content):
    now = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        await content_review.decide(
            session, content=content, item_id="r-old-law", note="Đã đọc 55/VBHN",
            ends_on=None, by="Pháp chế Sở", now=now,
        )  # fmt: skip
        await content_review.decide(
            session, content=content, item_id="r-fine", note=None,
            ends_on=date(2027, 1, 1), by="Pháp chế Sở", now=now,
        )  # fmt: skip
    async with sessionmaker() as session:
        served = await content_review.apply(session, content)
        decisions = await content_review.latest_decisions(session)
        rows = (await session.execute(select(ContentReview))).scalars().all()
    assert {(r.item_id, r.decision, r.decided_by) for r in rows} == {
        ("r-old-law", "ok", "Pháp chế Sở"),
        ("r-fine", "end", "Pháp chế Sở"),
    }
    fine = served.by_id("r-fine")
    assert fine in served.active_reminders(date(2026, 12, 31))
    assert fine not in served.active_reminders(date(2027, 1, 1))
    found = reasons(content_review.pending(content, decisions, on=date(2026, 12, 10)))
    assert "r-old-law" not in found  # reviewed after Luật 118 took effect
    assert found["r-fine"] == "hết hiệu lực sau ngày 31/12/2026"
    # A later "ok" withdraws the end.
    async with sessionmaker() as session, session.begin():
        later = datetime(2026, 12, 8, 9, 0, tzinfo=TZ)
        await content_review.decide(
            session, content=content, item_id="r-fine", note="Giữ lại",
            ends_on=None, by="Pháp chế Sở", now=later,
        )  # fmt: skip
    async with sessionmaker() as session:
        served = await content_review.apply(session, content)
    assert served.by_id("r-fine").is_active(date(2027, 6, 1))


@pytest.mark.parametrize(
    ("item_id", "note", "ends_on", "by", "fragment"),
    [
        ("r-nope", "x", None, "A", "Không có mục nội dung r-nope"),
        ("r-fine", None, None, "A", "đúng một trong hai"),
        ("r-fine", "x", date(2027, 1, 1), "A", "đúng một trong hai"),
        ("r-fine", "  ", None, "A", "không được để trống"),
        ("r-fine", "x", None, " ", "người quyết định"),
        ("r-fine", None, date(2026, 8, 15), "A", "phải sau ngày đó"),
    ],
)
async def test_bad_decisions_are_refused(
    sessionmaker, content, item_id, note, ends_on, by, fragment
):
    now = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        with pytest.raises(UserError) as caught:
            await content_review.decide(
                session, content=content, item_id=item_id, note=note,
                ends_on=ends_on, by=by, now=now,
            )  # fmt: skip
    assert fragment in caught.value.message


def run(database_url: str, *args: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})


def test_cli_lists_and_records(database_url):
    listed = run(database_url, "content", "review", "--on", "06/12/2026")
    assert listed.exit_code == 0, listed.output
    assert "cần rà soát tính đến 06/12/2026 (chưa rà soát: " in listed.output
    assert "q-alcohol-001 (alcohol): chưa có bản ghi rà soát" in listed.output
    assert "q-alcohol-004 (" not in listed.output  # reopened with a review on 2026-12-06

    ended = run(
        database_url,
        "content",
        "review",
        "q-alcohol-004",
        "--end",
        "01/01/2027",
        "--by",
        "Pháp chế",
    )
    assert ended.exit_code == 0, ended.output
    assert "q-alcohol-004 thôi sử dụng từ 01/01/2027 (Pháp chế" in ended.output
    listed = run(database_url, "content", "review", "--on", "10/12/2026")
    assert "q-alcohol-004 (alcohol): hết hiệu lực sau ngày 31/12/2026" in listed.output

    bad = run(database_url, "content", "review", "q-alcohol-004", "--end", "32/01/2027")
    assert bad.exit_code != 0
    assert "không hợp lệ" in bad.output
    unknown = run(database_url, "content", "review", "q-khong-co", "--ok", "x", "--by", "A")
    assert unknown.exit_code == 1
    assert "Không có mục nội dung q-khong-co" in unknown.output


async def test_weekly_notice_goes_to_reachable_admins_only(sessionmaker, clock, tmp_path, content):
    clock.now = datetime(2026, 12, 7, 8, 0, 5, tzinfo=TZ)  # a Monday
    await load_roster(sessionmaker, clock, tmp_path)
    async with sessionmaker() as session, session.begin():
        for number, code in enumerate(("AD1", "NV1"), start=1):
            person = await org.find_person(session, code=code)
            await org.link_account(
                session, person=person, channel="telegram", user_id=str(number),
                chat_id=str(number), now=clock(),
            )  # fmt: skip
    scheduler = Scheduler(
        sessionmaker, content, clock=clock, quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    async with sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        query = select(Schedule.id).where(Schedule.kind == "content_expiry")
        schedule_id = (await session.execute(query)).scalar_one()
    outcome = await scheduler.fire_latest(schedule_id)
    assert outcome is not None and (outcome.status, outcome.queued) == ("sent", 1)
    again = await scheduler.fire_latest(schedule_id)
    assert again is not None and again.status == "duplicate"
    async with sessionmaker() as session:
        rows = (await session.execute(select(Outbox))).scalars().all()
    assert [row.chat_id for row in rows] == ["1"]
    text = rows[0].payload["text"]
    assert "1 mục sẽ hết hiệu lực trong 30 ngày tới" in text
    assert "r-soon: dùng đến hết ngày 20/12/2026" in text
    assert "r-gone" not in text


def test_migration_creates_the_table(database_url):
    async def count() -> int:
        engine = make_engine(database_url)
        async with make_sessionmaker(engine)() as session:
            rows = (await session.execute(select(ContentReview))).scalars().all()
        await engine.dispose()
        return len(rows)

    assert asyncio.run(count()) == 0


async def test_served_content_is_reused_while_decisions_stand(sessionmaker, content):
    async with sessionmaker() as session:
        assert await content_review.apply(session, content) is content
    now = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
    async with sessionmaker() as session, session.begin():
        await content_review.decide(
            session, content=content, item_id="r-soon", note=None,
            ends_on=date(2026, 12, 10), by="A", now=now,
        )  # fmt: skip
    async with sessionmaker() as session:
        first = await content_review.apply(session, content)
        second = await content_review.apply(session, content)
    # The same object, so the Q&A index built on it is not rebuilt on every question.
    assert first is second and first is not content
    assert first.by_id("r-soon").valid_until == date(2026, 12, 9)


async def test_chat_stops_quoting_an_item_ended_by_a_reviewer(sessionmaker, clock, tmp_path):
    clock.now = datetime(2026, 12, 6, 9, 0, tzinfo=TZ)
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")
    question = "uong ruou bia roi co duoc lai xe khong"

    before = await chat.say(question)
    assert "khoản 2 Điều 9" in before
    law = shipped_content()
    cited = [
        item.id
        for item in law.items
        if any((r.document, r.article, r.clause) == (L36, 9, 2) for r in item.basis)
    ]
    async with sessionmaker() as session, session.begin():
        for item_id in cited:
            await content_review.decide(
                session, content=law, item_id=item_id, note=None,
                ends_on=date(2026, 12, 1), by="Pháp chế", now=clock(),
            )  # fmt: skip
    after = await chat.say(question)
    assert "khoản 2 Điều 9" not in after


async def test_scheduled_reminders_skip_items_ended_by_a_reviewer(
    sessionmaker, clock, tmp_path, content
):
    clock.now = datetime(2026, 12, 7, 7, 30, 5, tzinfo=TZ)  # Monday, reminder time
    await load_roster(sessionmaker, clock, tmp_path)
    async with sessionmaker() as session, session.begin():
        for number, code in enumerate(("NV1", "NV2", "NV3"), start=1):
            person = await org.find_person(session, code=code)
            await org.link_account(
                session, person=person, channel="telegram", user_id=str(number),
                chat_id=str(number), now=clock(),
            )  # fmt: skip
        for item_id in ("r-fine", "r-soon", "r-stale"):
            await content_review.decide(
                session, content=content, item_id=item_id, note=None,
                ends_on=date(2026, 12, 7), by="Pháp chế", now=clock(),
            )  # fmt: skip
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
        query = select(Schedule.id).where(Schedule.kind == "reminder")
        schedule_id = (await session.execute(query)).scalar_one()
    scheduler = Scheduler(
        sessionmaker, content, clock=clock, quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    outcome = await scheduler.fire_latest(schedule_id)
    assert outcome is not None and outcome.queued == 3
    async with sessionmaker() as session:
        sent = (await session.execute(select(ReminderDelivery.item_id))).scalars().all()
    assert sent == ["r-old-law"] * 3
