"""Roles that exactly one process may play at a time (the scheduler, a bot token's sender).

On PostgreSQL a role is a session-level advisory lock held on a connection of its own:
when the holder dies, the server drops the lock with the connection and another process
takes the role at its next try. SQLite is single-process, so every role is granted.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
CHECK_SECONDS = 2.0


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Lease:
    """One role, held or not by this process."""

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self._engine = engine
        self.name = name
        self._connection: AsyncConnection | None = None

    @property
    def exclusive(self) -> bool:
        """Only PostgreSQL needs (and offers) a lock between processes."""
        return self._engine.dialect.name == "postgresql"

    async def try_acquire(self) -> bool:
        """Take the role if nobody holds it; never waits."""
        if not self.exclusive:
            return True
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(self.name)}
            )
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            return True
        await connection.close()
        return False

    async def alive(self) -> bool:
        """Is the lock's connection still there (a server restart drops it)?"""
        if self._connection is None:
            return not self.exclusive
        try:
            await asyncio.wait_for(self._connection.execute(text("SELECT 1")), 5)
            await self._connection.commit()
            return True
        except Exception:
            log.warning("lost the connection holding role %s", self.name)
            self._connection = None
            return False

    async def release(self) -> None:
        """Give the role up (closing the connection drops the lock)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                await connection.close()
            except Exception:
                log.debug("closing the lease connection of %s failed", self.name)


Action = Callable[[], Awaitable[object]]


async def hold(lease: Lease, *, start: Action, stop: Action, first_try: bool) -> None:
    """Play the role whenever this process holds it; step down when the lease is lost."""
    holding = first_try
    try:
        while True:
            if holding:
                while await lease.alive():
                    await asyncio.sleep(CHECK_SECONDS)
                log.warning("stepping down from %s", lease.name)
                await stop()
                holding = False
            await asyncio.sleep(RETRY_SECONDS)
            try:
                holding = await lease.try_acquire()
            except Exception:
                log.warning("could not try role %s; retrying", lease.name)
                holding = False
            if holding:
                log.info("this process now runs %s", lease.name)
                await start()
    finally:
        await lease.release()
