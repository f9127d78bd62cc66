"""Migrations: upgrade to head on an empty database, then the models match (alembic check)."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect

from bot.db.base import Base
from bot.db.migrate import check_database, upgrade_database
from bot.db.session import make_engine


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    await engine.dispose()
    return set(names)


def test_upgrade_head_then_check_on_each_database(database_url):
    upgrade_database(database_url)  # idempotent: already at head
    check_database(database_url)  # raises if models and schema differ

    tables = asyncio.run(_tables(database_url))
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_from_nothing_on_a_new_sqlite_file(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    upgrade_database(url)
    check_database(url)
    assert {"unit", "person", "channel_account", "invite", "processed_event"} <= asyncio.run(
        _tables(url)
    )


def test_revisions_never_import_app_code():
    from pathlib import Path

    versions = Path(__file__).resolve().parents[1] / "alembic" / "versions"
    for revision in versions.glob("*.py"):
        source = revision.read_text(encoding="utf-8")
        assert "from bot" not in source and "import bot" not in source, revision.name
