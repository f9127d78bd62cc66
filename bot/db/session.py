"""Engine and session factory for SQLite (sqlite3 on the event loop) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db import sqlite_inline
from bot.settings import normalize_database_url


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; SQLite gets foreign keys, WAL and a busy timeout."""
    url = normalize_database_url(url)
    # No pool_pre_ping on PostgreSQL: its round trip per checkout cost 5-20 % of inbound
    # throughput. After a server restart the first use of each dead connection fails
    # instead; the router retries that update once and the sender's loop carries on.
    if url.startswith("sqlite"):
        _sqlite_inline(url, kwargs)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_inline(url: str, kwargs: dict[str, Any]) -> None:
    """sqlite3 calls on the loop (see `sqlite_inline`), through one connection per process."""
    parsed = make_url(url)
    args, params = parsed.get_dialect()().create_connect_args(parsed)
    params.pop("check_same_thread", None)
    kwargs.setdefault("async_creator", sqlite_inline.connector(args, params))
    if parsed.database not in (None, "", ":memory:"):
        # One transaction at a time: a second one would wait in SQLite's busy handler,
        # blocking the loop, while the first cannot run to release the lock.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite does not enforce foreign keys unless asked, per connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (handlers read them afterwards)."""
    return async_sessionmaker(engine, expire_on_commit=False)
