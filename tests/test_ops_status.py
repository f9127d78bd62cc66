"""`atgt run` in polling mode: /healthz served, the bot's username learned; `atgt status`."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import InvalidToken

from bot.core import outbox
from bot.core.messages import Reply
from bot.db.session import make_engine, make_sessionmaker
from bot.runtime import Runtime
from bot.services import bot_state
from bot.settings import load_settings
from tests.channels.support import free_port
from tests.fakes.telegram import FakeBotApi
from tests.harness import load_roster
from tests.test_cli_errors import atgt

TOKEN = "123456:TEST-TOKEN"


async def test_polling_health_username_and_status(database_url, tmp_path, clock) -> None:
    port = free_port()
    async with FakeBotApi(TOKEN) as api:
        settings = load_settings(
            database_url=database_url,
            telegram_token=TOKEN,
            telegram_api_url=api.base_url,
            telegram_bot_username=None,
            telegram_webhook_url=None,
            webhook_host="127.0.0.1",
            webhook_port=port,
            quiet_hours="00:00-00:01",
        )
        runtime = Runtime(settings, clock=clock)
        await load_roster(runtime.app.sessionmaker, clock, tmp_path)
        await runtime.start()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                health = await client.get("/healthz")
            assert (health.status_code, health.json()) == (200, {"status": "ok"})
            assert runtime.app.router.config.bot_username == "atgt_test_bot"  # from getMe
            async with runtime.app.sessionmaker() as session:
                assert await bot_state.telegram_username(session) == "atgt_test_bot"
            code, out, err = await atgt(tmp_path, "status", database_url=database_url,
                                        telegram_token=TOKEN)  # fmt: skip
            assert code == 0, err
            assert "Telegram: đang chạy" in out and "nhận tin bằng polling" in out
            assert "@atgt_test_bot" in out
        finally:
            await runtime.stop()
    assert [call for call, _ in api.calls].count("getMe") >= 1
    with_link = await atgt(tmp_path, "invite", "create", "--person", "NV1",
                           database_url=database_url)  # fmt: skip
    assert with_link[0] == 0, with_link[2]
    assert "https://t.me/atgt_test_bot?start=" in with_link[1]  # no ATGT_TELEGRAM_BOT_USERNAME
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        await outbox.enqueue(session, channel="telegram", chat_id="9", replies=[Reply("x")],
                             now=clock())  # fmt: skip
    await engine.dispose()
    code, out, err = await atgt(tmp_path, "status", database_url=database_url,
                                telegram_token=TOKEN)  # fmt: skip
    assert code == 0, err
    assert "Telegram: đã dừng" in out
    assert "Telegram: 1 / 0 / 0 (tin chờ lâu nhất từ 02/03/2026 08:00)" in out
    assert "Hàng đợi gửi" in out and "Lịch tự động" in out and "Tiến trình chính" in out
    assert "Chạy lịch tự động" in out


async def test_invite_without_any_username_says_how_to_get_links(database_url, tmp_path, clock):
    settings = load_settings(database_url=database_url)
    runtime = Runtime(settings, clock=clock)
    await load_roster(runtime.app.sessionmaker, clock, tmp_path)
    await runtime.app.close()
    code, out, err = await atgt(tmp_path, "invite", "create", "--person", "NV1",
                                database_url=database_url)  # fmt: skip
    assert code == 0, err
    assert "t.me/" not in out and "chạy atgt run một lần" in out


async def test_healthz_port_taken_does_not_stop_the_bot(database_url, tmp_path, clock) -> None:
    async with FakeBotApi(TOKEN) as api:
        settings = load_settings(
            database_url=database_url, telegram_token=TOKEN, telegram_api_url=api.base_url,
            webhook_host="127.0.0.1", webhook_port=free_port(),
        )  # fmt: skip
        first, second = Runtime(settings, clock=clock), Runtime(settings, clock=clock)
        await first.start()
        try:
            await second.start()  # same port: logged, no crash
            assert second.health_server is None and first.health_server is not None
            await second.stop()
        finally:
            await first.stop()


async def test_status_shows_a_channel_that_failed_to_start(database_url, tmp_path, clock):
    async with FakeBotApi("111:SOMEONE-ELSE") as api:  # refuses our token
        settings = load_settings(
            database_url=database_url, telegram_token=TOKEN, telegram_api_url=api.base_url,
            webhook_port=free_port(),
        )  # fmt: skip
        runtime = Runtime(settings, clock=clock)
        with pytest.raises(InvalidToken):
            await runtime.start()
        await runtime.stop()
    code, out, err = await atgt(tmp_path, "status", database_url=database_url,
                                telegram_token=TOKEN)  # fmt: skip
    assert code == 0, err
    assert "Telegram: lỗi khi khởi động" in out
