"""Fixtures: every database test runs on SQLite and on a real PostgreSQL.

The PostgreSQL leg uses a fresh database created on ATGT_TEST_PG_ADMIN_URL for the
run and dropped afterwards. Without a reachable server the leg is skipped (and the
summary says so), except under CI=true where it must run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.base import Base
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker

PG_ADMIN_URL = os.environ.get(
    "ATGT_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
pytest_plugins = ["pytester"]  # test_settings checks the settings isolation below
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_pg_status: dict[str, str] = {}


class FakeClock:
    """A controllable clock: tests move time explicitly."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _no_developer_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see only the settings they set: no ATGT_* from the shell, no .env in the cwd.

    The settings read `.env` from the working directory, so each test runs in its own
    empty temporary directory. ATGT_TEST_* (the PostgreSQL server, where screenshots go)
    are the test run's own knobs.
    """
    for key in list(os.environ):
        if key.upper().startswith("ATGT_") and not key.upper().startswith("ATGT_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test run."""
    name = f"atgt_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        reason = f"PostgreSQL leg skipped: {PG_ADMIN_URL} unreachable ({exc.__class__.__name__})"
        _pg_status["skipped"] = reason
        if IN_CI:
            pytest.fail(f"CI requires PostgreSQL: {reason}")
        pytest.skip(reason)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    _pg_status["database"] = name
    try:
        upgrade_database(url)
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    asyncio.run(_truncate(url))
    return url


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly whether the PostgreSQL leg ran."""
    if "skipped" in _pg_status:
        terminalreporter.write_line(f"!!! {_pg_status['skipped']}", yellow=True, bold=True)
    elif "database" in _pg_status:
        terminalreporter.write_line(
            f"PostgreSQL leg ran on temporary database {_pg_status['database']} (dropped).",
            green=True,
        )
