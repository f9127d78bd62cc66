"""A year of activity for a large organisation, bulk-loaded fast (executemany / COPY).

Root → 20 departments → 10 teams each → 10 groups each (2,221 units); every group has
50 people (the first one its manager), every team and department one manager, the root
two admins. 52 closed weeks of check-ins, two quiz questions a week, an announcement
every four weeks. Deterministic (seeded), so both databases hold the same rows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content import load_content
from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    Campaign,
    CampaignUnit,
    CheckIn,
    Outbox,
    Person,
    QuizDelivery,
    Schedule,
    ScheduleRun,
    Unit,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_WEEK = date(2025, 12, 29)
NOW = datetime(2026, 12, 28, 7, 30, tzinfo=TZ)  # Monday: the digest reports 21–27/12
BATCH = 50_000


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


@dataclass
class Shape:
    """Sizes of the generated organisation."""

    departments: int = 20
    teams: int = 10
    groups: int = 10
    per_group: int = 50
    weeks: int = 52


class Loader:
    """Bulk insert: COPY on PostgreSQL, core insert() executemany on SQLite."""

    def __init__(self, engine: AsyncEngine, pg_url: str | None) -> None:
        self.engine, self.pg_url = engine, pg_url
        self.rows = 0

    async def load(self, model: type, columns: list[str], rows: Iterator[tuple]) -> None:
        """Insert every row of `rows` (tuples in `columns` order)."""
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                await self._flush(model, columns, batch)
                batch = []
        if batch:
            await self._flush(model, columns, batch)

    async def _flush(self, model: type, columns: list[str], batch: list[tuple]) -> None:
        self.rows += len(batch)
        if self.pg_url:
            batch = [tuple(_pg(v) for v in row) for row in batch]
            connection = await asyncpg.connect(self.pg_url)
            try:
                table = model.__tablename__
                await connection.copy_records_to_table(table, records=batch, columns=columns)
            finally:
                await connection.close()
            return
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(model), [dict(zip(columns, r, strict=True)) for r in batch]
            )


def _pg(value: object) -> object:
    """COPY takes JSON columns as text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def _units(shape: Shape) -> list[tuple]:
    """(id, parent_id, name, path, depth), parents first."""
    rows = [(1, None, "Sở Bench", "Sở Bench", 0)]
    for d in range(shape.departments):
        dept = (len(rows) + 1, 1, f"Phòng {d + 1:02d}", f"Sở Bench/Phòng {d + 1:02d}", 1)
        rows.append(dept)
        for t in range(shape.teams):
            team_path = f"{dept[3]}/Đội {t + 1:02d}"
            team = (len(rows) + 1, dept[0], f"Đội {t + 1:02d}", team_path, 2)
            rows.append(team)
            for g in range(shape.groups):
                rows.append(
                    (len(rows) + 1, team[0], f"Tổ {g + 1:02d}", f"{team_path}/Tổ {g + 1:02d}", 3)
                )
    return rows


def _people(units: list[tuple], shape: Shape) -> list[tuple]:
    """(id, code, name, unit_id, role, active, created, updated)."""
    created = local(FIRST_WEEK, 8)
    rows: list[tuple] = []

    def add(unit_id: int, role: str) -> None:
        n = len(rows) + 1
        rows.append((n, f"B{n:06d}", f"Người {n:06d}", unit_id, role, True, created, created))

    add(1, "admin")
    add(1, "admin")
    for unit_id, _, _, _, depth in units[1:]:
        add(unit_id, "manager")
        if depth == 3:
            for _ in range(shape.per_group - 1):
                add(unit_id, "employee")
    return rows


async def generate(engine: AsyncEngine, pg_url: str | None, shape: Shape) -> dict[str, int]:
    """Fill an empty, migrated database; returns row counts."""
    loader = Loader(engine, pg_url)
    units = _units(shape)
    people = _people(units, shape)
    created = local(FIRST_WEEK, 8)
    await loader.load(Unit, ["id", "parent_id", "name", "path", "depth"], iter(units))
    person_columns = ["id", "employee_code", "full_name", "unit_id", "role", "active"]
    await loader.load(Person, [*person_columns, "created_at", "updated_at"], iter(people))
    campaign = (
        1,
        "Thi đua ATGT 2026",
        date(2026, 1, 1),
        date(2026, 12, 31),
        str(TZ),
        [],
        4,
        "17:00",
        1,
        3,
        created,
    )
    campaign_columns = ["id", "name", "starts_on", "ends_on", "timezone", "form", "due_weekday"]
    await loader.load(
        Campaign,
        [*campaign_columns, "due_time", "nudge_limit", "privacy_min_group", "created_at"],
        iter([campaign]),
    )
    await loader.load(CampaignUnit, ["id", "campaign_id", "unit_id"], iter([(1, 1, 1)]))
    ids = [p[0] for p in people]
    await loader.load(CheckIn, _CHECKIN_COLUMNS, _check_ins(ids, shape.weeks))
    await loader.load(
        Schedule,
        _SCHEDULE_COLUMNS,
        iter([(1, "cau-do", "quiz", "tue,thu", "10:00", str(TZ), True, True, created, created)]),
    )
    runs = _runs(shape.weeks)
    await loader.load(
        ScheduleRun,
        ["id", "schedule_id", "occurrence", "fired_at", "status", "recipients"],
        iter(runs),
    )
    quiz_ids = [q.id for q in load_content().quizzes]
    await loader.load(QuizDelivery, _QUIZ_COLUMNS, _quizzes(ids, runs, quiz_ids))
    await _broadcasts(loader, people, shape.weeks)
    return {"units": len(units), "people": len(people), "rows": loader.rows}


_CHECKIN_COLUMNS = [
    "campaign_id",
    "person_id",
    "period_start",
    "answers",
    "complete",
    "compliant",
    "late",
    "submitted_at",
    "updated_at",
]
_SCHEDULE_COLUMNS = [
    "id",
    "name",
    "kind",
    "days",
    "time",
    "timezone",
    "skip_holidays",
    "enabled",
    "created_at",
    "updated_at",
]
_QUIZ_COLUMNS = ["person_id", "item_id", "run_id", "sent_at", "answered_at", "chosen", "correct"]


def _check_ins(ids: list[int], weeks: int) -> Iterator[tuple]:
    """About 85% report each week, 90% of them compliant, 10% late."""
    rng = random.Random(8)
    for w in range(weeks):
        monday = FIRST_WEEK + timedelta(weeks=w)
        on_time, late = local(monday + timedelta(days=2), 9), local(monday + timedelta(days=5), 9)
        for pid in ids:
            if rng.random() < 0.85:
                ok, is_late = rng.random() < 0.9, rng.random() < 0.1
                at = late if is_late else on_time
                yield (1, pid, monday, {}, True, ok, is_late, at, at)


def _runs(weeks: int) -> list[tuple]:
    """Tuesday and Thursday quiz occurrences."""
    rows = []
    for w in range(weeks):
        for offset in (1, 3):
            at = local(FIRST_WEEK + timedelta(weeks=w, days=offset), 10)
            rows.append((len(rows) + 1, 1, at, at, "sent", 0))
    return rows


def _quizzes(ids: list[int], runs: list[tuple], items: list[str]) -> Iterator[tuple]:
    """Two questions a week each; 70% answered within the hour, 75% of those correct."""
    rng = random.Random(9)
    for run_id, _, at, _, _, _ in runs:
        answered_at = at + timedelta(minutes=20)
        for pid in ids:
            item = items[(pid * 7 + run_id) % len(items)]
            if rng.random() < 0.7:
                ok = rng.random() < 0.75
                yield (pid, item, run_id, at, answered_at, 0 if ok else 1, ok)
            else:
                yield (pid, item, run_id, at, None, None, None)


async def _broadcasts(loader: Loader, people: list[tuple], weeks: int) -> None:
    """An announcement to everyone every four weeks (the last one in the reported week)."""
    rng = random.Random(10)
    sent = [w for w in range(weeks - 1, -1, -4)]
    outbox_id = 0
    for number, w in enumerate(sorted(sent), start=1):
        at = local(FIRST_WEEK + timedelta(weeks=w), 9)
        row = (number, "Thông báo", [], [], "done", at, at)
        await loader.load(
            Broadcast,
            ["id", "text", "unit_ids", "roles", "status", "created_at", "started_at"],
            iter([row]),
        )
        outbox, recipients = [], []
        for pid, _, _, unit_id, *_ in people:
            outbox_id += 1
            delivered = rng.random() < 0.95
            outbox.append(
                (outbox_id, "telegram", str(pid), {}, "sent" if delivered else "failed", 1, at, at)
            )
            read = at + timedelta(hours=2) if delivered and rng.random() < 0.6 else None
            recipients.append((number, pid, unit_id, outbox_id, True, read))
        await loader.load(
            Outbox,
            [
                "id",
                "channel",
                "chat_id",
                "payload",
                "status",
                "attempts",
                "not_before",
                "created_at",
            ],
            iter(outbox),
        )
        await loader.load(
            BroadcastRecipient,
            ["broadcast_id", "person_id", "unit_id", "outbox_id", "reachable", "read_at"],
            iter(recipients),
        )
