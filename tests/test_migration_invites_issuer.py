"""Revision 0011 (invite issuer): codes issued before it are marked of unknown origin."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
from sqlalchemy import text

from bot.db.migrate import check_database, upgrade_database
from bot.db.session import make_engine
from tests.conftest import PG_ADMIN_URL, _pg_admin


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> Iterator[str]:
    """A database with nothing in it yet, of each kind."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    name = f"atgt_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError):
        pytest.skip("PostgreSQL unreachable")
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _run(url: str, *statements: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            result = None
            for statement in statements:
                result = await connection.execute(text(statement))
            return list(result) if result is not None and result.returns_rows else []
    finally:
        await engine.dispose()


def test_invites_from_before_the_revision_are_of_unknown_origin(empty_url):
    upgrade_database(empty_url, "0010")
    asyncio.run(
        _run(
            empty_url,
            "INSERT INTO unit (id, name, path, depth) VALUES (1, 'Sở A', 'Sở A', 0)",
            "INSERT INTO person (id, employee_code, full_name, unit_id, role, active,"
            " created_at, updated_at) VALUES (1, 'NV1', 'Một', 1, 'employee', true,"
            " '2026-03-01 00:00:00', '2026-03-01 00:00:00')",
            "INSERT INTO invite (person_id, code_hash, created_at, expires_at)"
            " VALUES (1, 'h', '2026-03-01 00:00:00', '2026-03-15 00:00:00')",
        )
    )

    upgrade_database(empty_url)

    check_database(empty_url)
    rows = asyncio.run(_run(empty_url, "SELECT issued_via, issued_by_id FROM invite"))
    assert rows == [("unknown", None)]
