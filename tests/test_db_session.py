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
