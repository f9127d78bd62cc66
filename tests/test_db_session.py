"""The engine: transactions of one process never lock each other out, on either database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from bot.db.models import ProcessedEvent


async def test_interleaved_write_transactions_all_commit(sessionmaker):
    """Each writer pauses mid-transaction, holding SQLite's write lock, while others start."""

    async def write(n: int) -> None:
        async with sessionmaker() as session, session.begin():
            row = {"channel": "test", "event_id": f"{n}-a", "processed_at": datetime.now(UTC)}
            await session.execute(insert(ProcessedEvent), row)
            await asyncio.sleep(0.05)
            await session.execute(insert(ProcessedEvent), row | {"event_id": f"{n}-b"})

    await asyncio.wait_for(asyncio.gather(*(write(n) for n in range(6))), timeout=20)

    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 12


async def test_streaming_and_isolation_changes_work(engine):
    """The less common driver paths: server-side cursors and switching to autocommit."""
    async with engine.begin() as connection:
        await connection.execute(insert(ProcessedEvent), _events(5))
    async with engine.connect() as connection:
        result = await connection.stream(
            select(ProcessedEvent.event_id).order_by(ProcessedEvent.event_id)
        )
        assert [row[0] async for row in result] == [f"s{n}" for n in range(5)]
        await connection.rollback()
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(insert(ProcessedEvent), _events(1, start=5))
    async with engine.connect() as connection:  # written although nothing was committed
        assert await connection.scalar(select(func.count()).select_from(ProcessedEvent)) == 6


def _events(count: int, start: int = 0) -> list[dict]:
    now = datetime.now(UTC)
    return [
        {"channel": "t", "event_id": f"s{n}", "processed_at": now}
        for n in range(start, start + count)
    ]
