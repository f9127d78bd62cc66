"""A small organisation with two known weeks of activity, for digest and report tests.

Campaign 02/11–15/11/2026 over Sở X; week 1 starts 02/11, week 2 starts 09/11.
Every number the tests expect is worked out by hand in the comments below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    CheckIn,
    Outbox,
    OutboxStatus,
    Person,
    QuizDelivery,
    Registration,
    ReminderDelivery,
    ViolationReport,
)
from bot.services import campaigns, org
from bot.services.roster import import_roster, read_roster
from tests.harness import shipped_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
W1, W2 = date(2026, 11, 2), date(2026, 11, 9)
ROSTER = """Mã NV,Họ tên,Đơn vị,Vai trò,SĐT
AD1,Quản Trị,Sở X/Văn phòng,Quản trị,
QL1,Trưởng Một,Sở X/Phòng 1,Quản lý,
A1,An Một,Sở X/Phòng 1,Nhân viên,
A2,Bình Hai,Sở X/Phòng 1/Tổ A,Nhân viên,
A3,Cúc Ba,Sở X/Phòng 1/Tổ A,Nhân viên,
A4,Đã Nghỉ,Sở X/Phòng 1,Nhân viên,
QL2,Trưởng Hai,Sở X/Phòng 2,Quản lý,
B1,Dũng Một,Sở X/Phòng 2,Nhân viên,
B2,Em Hai,Sở X/Phòng 2,Nhân viên,
B3,Giang Ba,Sở X/Phòng 2,Nhân viên,
"""
# (code, period, complete, compliant, late). A4 is inactive: its row must count nowhere.
CHECK_INS = [
    ("QL1", W1, True, True, False),
    ("A1", W1, True, True, False),
    ("A2", W1, True, False, False),
    ("QL2", W1, True, True, False),
    ("B1", W1, True, True, False),
    ("A4", W1, True, True, False),
    ("QL1", W2, True, True, False),
    ("A1", W2, True, True, True),
    ("A2", W2, True, True, False),
    ("A3", W2, True, False, False),
    ("QL2", W2, True, True, False),
    ("B1", W2, True, False, False),
    ("B2", W2, False, None, False),  # started, never finished: not reported
    ("AD1", W2, True, True, False),
    ("A4", W2, True, True, False),
]
# (code, topic, answered at (local), correct); None: delivered, not answered.
ANSWERS = [
    ("QL1", "alcohol", (2026, 11, 10, 10, 20), False),
    ("QL1", "speed", (2026, 11, 12, 10, 20), True),
    ("A1", "alcohol", (2026, 11, 10, 10, 20), True),
    ("A2", "helmet", (2026, 11, 10, 10, 20), True),
    ("QL2", "alcohol", (2026, 11, 10, 10, 20), False),
    ("QL2", "speed", (2026, 11, 12, 10, 20), False),
    ("B1", "speed", (2026, 11, 10, 10, 20), True),
    ("B1", "helmet", (2026, 11, 12, 10, 20), False),
    ("B3", "helmet", (2026, 11, 12, 10, 20), True),
    ("B3", "alcohol", (2026, 11, 5, 10, 20), False),  # week 1
    ("B2", "alcohol", None, None),  # never answered
    ("A1", "speed", (2026, 11, 16, 0, 30), True),  # the Monday after: week 3
    ("A4", "speed", (2026, 11, 10, 10, 20), True),  # inactive
]


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def item_of(topic: str) -> str:
    """The first shipped question of a topic."""
    return next(q.id for q in shipped_content().quizzes if q.topic == topic)


async def build(sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path) -> int:
    """Load the organisation and its two weeks; returns the campaign id."""
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    created = local(2026, 11, 1, 8, 0)
    async with sessionmaker() as session, session.begin():
        await import_roster(session, rows=read_roster(path), now=created)
        root = await org.find_unit(session, path="Sở X")
        campaign = await campaigns.create_campaign(
            session,
            name="Thi đua 2026",
            starts_on=W1,
            ends_on=date(2026, 11, 15),
            units=[root],
            timezone=str(TZ),
            now=created,
        )
        ids = {p.employee_code: p for p in (await session.execute(select(Person))).scalars()}
        await session.execute(
            update(Person).where(Person.employee_code == "A4").values(active=False)
        )
        _activity(session, campaign.id, ids)
        await _announcements(session, ids)
        return campaign.id


def _activity(session: AsyncSession, campaign_id: int, people: dict[str, Person]) -> None:
    """Registrations, check-ins, answers, reminders and one self-reported violation."""
    for code in ("QL1", "A1", "A2", "QL2", "B1"):
        at = local(2026, 11, 2, 9, 0)
        session.add(
            Registration(campaign_id=campaign_id, person_id=people[code].id, registered_at=at)
        )
    for code, period, complete, compliant, late in CHECK_INS:
        at = local(period.year, period.month, period.day + 2, 9, 0)
        session.add(
            CheckIn(
                campaign_id=campaign_id,
                person_id=people[code].id,
                period_start=period,
                answers={},
                complete=complete,
                compliant=compliant,
                late=late,
                submitted_at=at,
                updated_at=at,
            )
        )
    for code, topic, answered, correct in ANSWERS:
        at = local(*answered) if answered else None
        sent = (at or local(2026, 11, 10, 10, 0)).replace(minute=0)
        session.add(
            QuizDelivery(
                person_id=people[code].id,
                item_id=item_of(topic),
                sent_at=sent,
                answered_at=at,
                chosen=0 if at else None,
                correct=correct,
            )
        )
    sent = local(2026, 11, 10, 7, 30)
    for code, acked in (("A1", True), ("A1", False), ("B1", True)):
        session.add(
            ReminderDelivery(
                person_id=people[code].id,
                item_id="r",
                sent_at=sent,
                acknowledged_at=sent if acked else None,
            )
        )
    session.add(
        ViolationReport(
            person_id=people["A3"].id,
            campaign_id=campaign_id,
            kind="helmet",
            occurred_on=date(2026, 11, 10),
            created_at=sent,
        )
    )


async def _announcements(session: AsyncSession, people: dict[str, Person]) -> None:
    """Week 1: QL1 and QL2, both read. Week 2: everyone active; A3 failed, B3 unreachable."""
    week1 = {"QL1": ("sent", True), "QL2": ("sent", True)}
    week2 = {
        "AD1": ("sent", False),
        "QL1": ("sent", True),
        "A1": ("sent", True),
        "A2": ("sent", False),
        "A3": ("failed", False),
        "QL2": ("sent", True),
        "B1": ("sent", False),
        "B2": ("sent", False),
        "B3": (None, False),
    }
    for started, copies in ((local(2026, 11, 3, 9, 0), week1), (local(2026, 11, 10, 9, 0), week2)):
        broadcast = Broadcast(
            text="Thông báo",
            unit_ids=[],
            roles=[],
            status=BroadcastStatus.DONE,
            created_at=started,
            started_at=started,
        )
        session.add(broadcast)
        await session.flush()
        for code, (status, read) in copies.items():
            person = people[code]
            outbox_id = None
            if status is not None:
                row = Outbox(
                    channel="telegram",
                    chat_id=code,
                    payload={},
                    status=OutboxStatus(status),
                    not_before=started,
                    created_at=started,
                )
                session.add(row)
                await session.flush()
                outbox_id = row.id
            session.add(
                BroadcastRecipient(
                    broadcast_id=broadcast.id,
                    person_id=person.id,
                    unit_id=person.unit_id,
                    outbox_id=outbox_id,
                    reachable=status is not None,
                    read_at=started.astimezone(UTC) if read else None,
                )
            )
