"""Zalo message accounting: counted both ways per month, shown by `atgt status`, 80% warning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.cli.status import _usage
from bot.services import usage
from bot.settings import load_settings
from tests.channels.support import eventually, rows, settled
from tests.channels.test_zalo_bot_e2e import TOKEN, join, say, start
from tests.fakes.zalo import FakeZaloBot


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(TOKEN) as fake:
        yield fake


async def test_the_bot_counts_both_directions_and_warns_the_admins_at_80_percent(
    database_url, tmp_path, api
):
    runtime = await start(database_url, api, tmp_path, zalo_bot_monthly_quota=10)
    try:
        await join(runtime, api, "u1", "AD1")  # 1 received, 1 sent
        await settled(runtime, "zalo_bot")
        month = usage.month_of(runtime.app.router.now(), load_settings().tz)

        async def counted() -> tuple[int, int]:
            async with runtime.app.sessionmaker() as session:
                return (
                    await usage.count(session, channel="zalo_bot", month=month, kind="sent"),
                    await usage.count(session, channel="zalo_bot", month=month, kind="received"),
                )

        assert await eventually(counted, lambda c: c == (1, 1))
        for _ in range(3):
            await say(runtime, api, "u1", "/me")  # 8 of 10 after the third answer
        found = await eventually(
            lambda: rows(runtime, "zalo_bot"), lambda r: any("8/10" in x.payload["text"] for x in r)
        )
        warnings = [row for row in found if "8/10" in row.payload["text"]]
        assert len(warnings) == 1 and "Zalo OA" in warnings[0].payload["text"]
        await say(runtime, api, "u1", "/me")
        await settled(runtime, "zalo_bot")
        assert sum("Zalo Bot đã dùng" in r.payload["text"] for r in await rows(runtime)) == 1
    finally:
        await runtime.stop()


async def test_status_shows_the_month_and_a_projection(sessionmaker):
    config = load_settings(zalo_bot_token=TOKEN, zalo_oa_template_budget=100)
    async with sessionmaker() as session, session.begin():
        for kind, n in (("sent", 600), ("received", 300)):
            await usage.add(session, channel="zalo_bot", month="2026-04", kind=kind, n=n)
        await usage.add(session, channel="zalo_oa", month="2026-04", kind="template", n=10)
    now = datetime(2026, 4, 10, 17, 0, tzinfo=UTC)  # 10 April, 24:00 in Hanoi: 1/3 of April
    async with sessionmaker() as session:
        lines = await _usage(session, config, now)
    assert lines[0] == "Tin nhắn Zalo tháng 04/2026 (theo cách Zalo tính):"
    assert "Zalo Bot: gửi 600, nhận 300, tổng 900/3000 (30%)" in lines[1]
    assert "khoảng 2700" in lines[1] and "hết hạn mức" not in lines[1]
    async with sessionmaker() as session, session.begin():
        await usage.add(session, channel="zalo_bot", month="2026-04", kind="received", n=200)
    async with sessionmaker() as session:
        lines = await _usage(session, config, now)
    assert "khoảng 3300 — sẽ hết hạn mức trước cuối tháng" in lines[1]
