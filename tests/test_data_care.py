"""Backups and restores on both databases, and exporting / forgetting one person."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import ChannelAccount, CheckIn, Person
from bot.db.session import make_engine, make_sessionmaker
from tests.harness import ROSTER, linked_chat, load_roster, make_router


def run(database_url: str, *args: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})


async def count(url: str, model) -> int:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        value = await session.scalar(select(func.count()).select_from(model))
    await engine.dispose()
    return value


def test_backup_then_restore_brings_back_deleted_data(database_url, tmp_path):
    if database_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (Debian package postgresql-client)")
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    run(database_url, "org", "import", str(roster))
    target = tmp_path / "atgt.backup"

    saved = run(database_url, "db", "backup", str(target))
    run(database_url, "org", "forget", "NV1", "--yes")
    assert asyncio.run(count(database_url, Person)) == 5
    refused = run(database_url, "db", "restore", str(target))
    restored = run(database_url, "db", "restore", str(target), "--yes")

    assert saved.exit_code == 0 and target.stat().st_size > 0, saved.output
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert restored.exit_code == 0, restored.output
    assert asyncio.run(count(database_url, Person)) == 6
    assert run(database_url, "db", "restore", str(tmp_path / "none"), "--yes").exit_code == 1


async def test_export_and_forget_one_person(sessionmaker, clock, tmp_path, database_url):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")
    await chat.say("/vipham 2")
    await chat.say("/me")
    exported = tmp_path / "nv1.json"

    result = await asyncio.to_thread(
        run, database_url, "org", "forget", "NV1", "--export", str(exported), "--yes"
    )

    assert result.exit_code == 0, result.output
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["person"]["full_name"] == "Nhân Viên Một"
    assert data["channel_account"][0]["platform_user_id"] == "tg-NV1"
    assert data["violation_report"][0]["kind"] == "helmet"
    async with sessionmaker() as session:
        people = (await session.execute(select(Person.employee_code))).scalars().all()
        accounts = await session.scalar(select(func.count()).select_from(ChannelAccount))
        check_ins = await session.scalar(select(func.count()).select_from(CheckIn))
    assert "NV1" not in people and len(people) == 5
    assert (accounts, check_ins) == (0, 0)
    assert "Kính chào anh/chị!" in await chat.say("/me")  # the chat is a stranger again
