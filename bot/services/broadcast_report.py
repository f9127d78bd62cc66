"""Delivery and read figures of an announcement: overall, per unit, and as .xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.core.texts import t
from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    Outbox,
    OutboxStatus,
    Person,
    Unit,
)
from bot.services.exports import write_xlsx, xlsx_bytes


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts for a set of recipients."""

    label: str
    recipients: int
    unreachable: int
    delivered: int
    failed: int
    pending: int
    read: int

    @property
    def delivery_rate(self) -> float:
        """Delivered share of all recipients."""
        return self.delivered / self.recipients if self.recipients else 0.0

    @property
    def read_rate(self) -> float:
        """Read share of delivered copies."""
        return self.read / self.delivered if self.delivered else 0.0


def _columns() -> tuple[ColumnElement[int], ...]:
    """recipients, unreachable, delivered, failed, pending, read."""
    status = Outbox.status
    return (
        func.count(BroadcastRecipient.id),
        func.count(BroadcastRecipient.id).filter(BroadcastRecipient.reachable.is_(False)),
        func.count(BroadcastRecipient.id).filter(status == OutboxStatus.SENT),
        func.count(BroadcastRecipient.id).filter(
            status.in_([OutboxStatus.FAILED, OutboxStatus.BLOCKED, OutboxStatus.CANCELLED])
        ),
        func.count(BroadcastRecipient.id).filter(
            status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        ),
        func.count(BroadcastRecipient.read_at),
    )


async def progress(session: AsyncSession, *, broadcast_id: int) -> Tally:
    """The whole announcement."""
    query = (
        select(*_columns())
        .outerjoin(Outbox, BroadcastRecipient.outbox_id == Outbox.id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
    )
    return Tally("", *(await session.execute(query)).one())


async def by_unit(session: AsyncSession, *, broadcast_id: int) -> list[Tally]:
    """One line per unit of the recipients (their own unit), by unit path."""
    query = (
        select(Unit.path, *_columns())
        .join(Unit, BroadcastRecipient.unit_id == Unit.id)
        .outerjoin(Outbox, BroadcastRecipient.outbox_id == Outbox.id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
        .group_by(Unit.path)
        .order_by(Unit.path)
    )
    return [Tally(*row) for row in (await session.execute(query)).all()]


async def result_lines(session: AsyncSession, *, broadcast: Broadcast) -> list[str]:
    """The header and one line per unit: delivery and read rates (chat and CLI)."""
    status = t(f"broadcast.status.{broadcast.status.value}")
    lines = [t("broadcast.result_header", id=broadcast.id, status=status)]
    for tally in await by_unit(session, broadcast_id=broadcast.id):
        lines.append(
            t(
                "broadcast.result_line",
                unit=tally.label,
                delivered=tally.delivered,
                recipients=tally.recipients,
                delivery=round(tally.delivery_rate * 100),
                read=tally.read,
                read_rate=round(tally.read_rate * 100),
            )
        )
        if tally.unreachable:
            lines.append(t("broadcast.unreachable", count=tally.unreachable))
    return lines


def finish_if_done(broadcast: Broadcast, tally: Tally) -> bool:
    """Mark a sending announcement done once no copy is waiting (`tally`: its progress)."""
    if broadcast.status == BroadcastStatus.SENDING and tally.pending == 0:
        broadcast.status = BroadcastStatus.DONE
        return True
    return False


async def export(session: AsyncSession, *, broadcast_id: int, path: Path, tz: tzinfo) -> int:
    """Per-person sheet (unit, delivery, read time) written to `path`; returns the row count."""
    rows = await _people_rows(session, broadcast_id, tz)
    write_xlsx(path, title="Thông báo", header=HEADER, rows=rows)
    return len(rows)


async def export_bytes(session: AsyncSession, *, broadcast_id: int, tz: tzinfo) -> bytes:
    """The same sheet in memory, to send in chat."""
    rows = await _people_rows(session, broadcast_id, tz)
    return xlsx_bytes(title="Thông báo", header=HEADER, rows=rows)


HEADER = ["Đơn vị", "Mã NV", "Họ tên", "Trạng thái gửi", "Gửi lúc", "Đã đọc", "Đọc lúc"]


async def _people_rows(session: AsyncSession, broadcast_id: int, tz: tzinfo) -> list[list[Any]]:
    """One row per recipient; times in local time (`tz`)."""
    state = case((Outbox.status.is_(None), "chưa liên kết"), else_=Outbox.status)
    query = (
        select(
            Unit.path,
            Person.employee_code,
            Person.full_name,
            state,
            Outbox.sent_at,
            BroadcastRecipient.read_at,
        )
        .join(Person, BroadcastRecipient.person_id == Person.id)
        .join(Unit, BroadcastRecipient.unit_id == Unit.id)
        .outerjoin(Outbox, BroadcastRecipient.outbox_id == Outbox.id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
        .order_by(Unit.path, Person.full_name)
    )
    return [
        [
            unit,
            code,
            name,
            _STATE.get(str(status), str(status)),
            _local(sent, tz),
            "có" if read else "chưa",
            _local(read, tz),
        ]
        for unit, code, name, status, sent, read in (await session.execute(query)).all()
    ]


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """A stored time (UTC; naive on SQLite) as local wall-clock time for a cell."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).replace(tzinfo=None)


_STATE = {
    "sent": "đã gửi",
    "pending": "đang chờ",
    "sending": "đang gửi",
    "failed": "lỗi",
    "blocked": "đã chặn bot",
    "cancelled": "đã hủy",
}
