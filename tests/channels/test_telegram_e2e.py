"""End to end: `atgt run`'s runtime against a local fake Bot API, with real databases."""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from bot.app import configure_logging
from bot.core import outbox
from bot.core.messages import Reply
from bot.core.router import BotConfig, command_menu
from bot.db.models import AccountStatus, ChannelAccount, Outbox, OutboxStatus, Role
from bot.runtime import Runtime
from bot.settings import load_settings
from handlers import ROUTES
from tests.channels.support import NO_QUIET_HOURS, eventually, free_port, until
from tests.fakes.telegram import FakeBotApi
from tests.harness import issue_invite, load_roster

TOKEN = "123456:TEST-TOKEN"


@dataclass
class Bot:
    runtime: Runtime
    api: FakeBotApi

    @property
    def sessionmaker(self):
        return self.runtime.app.sessionmaker

    async def join(self, user_id: int, code: str) -> None:
        """Onboard a Telegram user as employee `code` through the deep-link payload."""
        secret = await issue_invite(self.sessionmaker, self.runtime.app.router.now, code)
        self.api.push_message(user_id, f"/start {secret}")
        await until(lambda: any("Xin chào" in t for t in self.api.texts(user_id)))
        await self.settled()

    async def settled(self) -> None:
        """Wait until the outbox has nothing pending or in flight."""

        async def busy() -> int:
            async with self.sessionmaker() as session:
                rows = await session.execute(
                    select(Outbox.id).where(
                        Outbox.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                    )
                )
                return len(rows.all())

        deadline = time.monotonic() + 10
        while await busy():
            assert time.monotonic() < deadline, "outbox did not drain"
            await asyncio.sleep(0.02)


async def start_bot(database_url: str, tmp_path, api: FakeBotApi, **env: object) -> Runtime:
    settings = load_settings(
        database_url=database_url,
        telegram_token=TOKEN,
        telegram_api_url=api.base_url,
        telegram_bot_username="atgt_test_bot",
        **{"quiet_hours": NO_QUIET_HOURS, **env},
    )
    runtime = Runtime(settings)
    await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    return runtime


@pytest.fixture
async def bot(database_url, tmp_path) -> AsyncIterator[Bot]:
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(database_url, tmp_path, api)
        try:
            yield Bot(runtime, api)
        finally:
            await runtime.stop()


async def test_deep_link_onboarding_sets_the_role_menu(bot):
    await bot.join(111, "NV1")

    welcome = next(t for t in bot.api.texts(111) if "Xin chào" in t)
    assert "Nhân Viên Một" in welcome
    chat_menu = [c["command"] for c in bot.api.my_commands({"type": "chat", "chat_id": 111})]
    employee_menu = [
        name for name, _ in command_menu(ROUTES, Role.EMPLOYEE, "telegram", BotConfig())
    ]
    assert "quiz" in employee_menu and "nhansu" not in employee_menu and "as" not in employee_menu
    assert chat_menu == employee_menu
    assert [c["command"] for c in bot.api.my_commands()] == employee_menu
    async with bot.sessionmaker() as session:
        account = (await session.execute(select(ChannelAccount))).scalar_one()
        sent = (await session.execute(select(Outbox))).scalars().all()
    assert (account.channel, account.chat_id) == ("telegram", "111")
    assert {row.status for row in sent} == {OutboxStatus.SENT}
    assert all(row.platform_message_id for row in sent if row.payload["text"])


async def test_help_differs_by_role_and_html_in_names_is_escaped(bot):
    await bot.join(111, "NV1")
    await bot.join(222, "QL1")

    bot.api.push_message(111, "/help")
    bot.api.push_message(222, "/help")
    await until(lambda: len(bot.api.texts(111)) >= 2 and len(bot.api.texts(222)) >= 2)

    employee, manager = bot.api.texts(111)[-1], bot.api.texts(222)[-1]
    assert "/nhansu" not in employee and "/me" in employee
    assert "/nhansu" in manager and "/moi" in manager
    manager_menu = [c["command"] for c in bot.api.my_commands({"type": "chat", "chat_id": 222})]
    assert "nhansu" in manager_menu


async def test_unlinked_user_gets_only_the_join_explanation(bot):
    bot.api.push_message(999, "/nhansu")
    await until(lambda: bot.api.texts(999))
    assert "mã mời" in bot.api.texts(999)[0]


async def test_blocked_user_is_marked_and_unblock_reactivates(bot):
    await bot.join(111, "NV1")

    async def status() -> AccountStatus:
        async with bot.sessionmaker() as session:
            return (await session.execute(select(ChannelAccount.status))).scalar_one()

    bot.api.block(111)
    bot.api.push_message(111, "/me")
    await eventually(status, lambda value: value == AccountStatus.BLOCKED)
    await bot.settled()
    async with bot.sessionmaker() as session:
        last = (await session.execute(select(Outbox).order_by(Outbox.id.desc()))).scalar()
    assert last.status == OutboxStatus.BLOCKED

    bot.api.unblock(111)
    bot.api.push_my_chat_member(111, "member")
    await eventually(status, lambda value: value == AccountStatus.ACTIVE)


async def test_a_burst_of_429_is_honoured_and_nothing_is_lost(bot):
    await bot.join(111, "NV1")
    await bot.join(222, "NV2")
    before = len(bot.api.sent)
    bot.api.force_429(3, retry_after=1)

    for user in (111, 222, 111, 222):
        bot.api.push_message(user, "/me")
    await until(lambda: len(bot.api.texts(111)) >= 3 and len(bot.api.texts(222)) >= 3)

    forced = [r for r in bot.api.rejected if r.forced]
    assert len(forced) == 3
    after_first_429 = [s for s in bot.api.sent[before:] if s.at > forced[0].at]
    # Nothing was sent until retry_after had passed since the 429 that paused us.
    assert min(s.at for s in after_first_429) - forced[0].at >= 1.0
    assert sum("Họ tên:" in t for t in bot.api.texts(111)) == 2
    assert sum("Họ tên:" in t for t in bot.api.texts(222)) == 2


async def test_webhook_rejects_a_wrong_secret_and_serves_updates_with_the_right_one(
    database_url, tmp_path
):
    port = free_port()
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(
            database_url,
            tmp_path,
            api,
            telegram_webhook_url="https://bot.example.org/tg/hook",
            telegram_webhook_secret="s3cret-token_ABC",
            webhook_port=port,
        )
        try:
            assert api.webhook["url"] == "https://bot.example.org/tg/hook"
            update = api.make_message(555, "/start")
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                wrong = await client.post("/tg/hook", json=update)
                bad = await client.post(
                    "/tg/hook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": "nope"},
                )
                good = await client.post(
                    "/tg/hook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_ABC"},
                )
                again = await client.post(
                    "/tg/hook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_ABC"},
                )
                health = await client.get("/healthz")
            assert (wrong.status_code, bad.status_code, good.status_code) == (403, 403, 200)
            assert again.status_code == 200
            assert health.json() == {"status": "ok"}
            await until(lambda: api.texts(555))
            await asyncio.sleep(0.3)
            assert len(api.texts(555)) == 1  # the redelivered update was answered once
        finally:
            await runtime.stop()


async def test_quiz_poll_answered_and_reminder_button_pressed(bot):
    await bot.join(111, "NV1")

    bot.api.push_message(111, "/quiz")
    await until(lambda: bot.api.sent_to(111, "sendPoll"))
    poll_message = bot.api.sent_to(111, "sendPoll")[-1]
    params = poll_message.params
    assert params["type"] == "quiz" and params["is_anonymous"] is False
    (poll_id,) = bot.api.polls
    correct = bot.api.polls[poll_id]["correct_option_ids"][0]
    await bot.settled()
    bot.api.push_poll_answer(111, poll_id, [correct])
    await until(lambda: any("Chính xác" in text for text in bot.api.texts(111)))

    outcome = await bot.runtime.scheduler.run_now(1)  # the weekday reminder, now
    assert outcome.queued == 1
    await until(lambda: any("Nhắc nhở an toàn giao thông" in t for t in bot.api.texts(111)))
    reminder = next(
        s for s in bot.api.sent_to(111, "sendMessage") if "Nhắc nhở" in s.params["text"]
    )
    (button,) = reminder.params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "Đã hiểu" and len(button["callback_data"].encode()) <= 64
    bot.api.push_callback(111, button["callback_data"], reminder.message_id)
    bot.api.push_callback(111, button["callback_data"], reminder.message_id)
    await until(lambda: sum("xác nhận" in t or "Đã ghi nhận" in t for t in bot.api.texts(111)) >= 2)

    texts = bot.api.texts(111)
    assert sum("Cảm ơn anh/chị! Đã ghi nhận." in t for t in texts) == 1
    assert sum("Anh/chị đã xác nhận nhắc nhở này rồi." in t for t in texts) == 1
    answered = [s for s in bot.api.sent if s.method == "answerCallbackQuery"]
    assert len(answered) == 2  # both presses stop the button's spinner


async def test_long_text_is_split_and_html_is_escaped(bot):
    await bot.join(111, "NV1")
    async with bot.sessionmaker() as session, session.begin():
        long = "\n".join(f"<b>dòng {n}</b> & {'x' * 90}" for n in range(100))
        await outbox.enqueue(
            session,
            channel="telegram",
            chat_id="111",
            replies=[Reply(long)],
            now=bot.runtime.app.router.now(),
            key="test-long",
        )
    bot.runtime.senders["telegram"].wake()
    await until(lambda: any("dòng 99" in t for t in bot.api.texts(111)))

    raw = [t for t in bot.api.texts(111) if "dòng" in t]
    shown = [html.unescape(t) for t in raw]
    assert len(shown) == 3 and all(len(c) <= 4096 for c in shown)
    assert "".join(shown).count("<b>dòng") == 100  # shown literally, not as bold
    assert "<b>" not in "".join(raw)


async def test_server_errors_are_retried_and_a_migrated_group_is_followed(bot):
    await bot.join(111, "NV1")
    bot.api.force_status(2, 502)
    bot.api.migrate(-100, -1009)
    async with bot.sessionmaker() as session, session.begin():
        now = bot.runtime.app.router.now()
        await outbox.enqueue(
            session,
            channel="telegram",
            chat_id="111",
            replies=[Reply("sau lỗi 502")],
            now=now,
            key="t-502",
        )
        await outbox.enqueue(
            session,
            channel="telegram",
            chat_id="-100",
            replies=[Reply("nhóm đã chuyển")],
            now=now,
            key="t-migrate",
        )
    bot.runtime.senders["telegram"].wake()

    await until(lambda: "sau lỗi 502" in bot.api.texts(111), timeout=15)
    await until(lambda: "nhóm đã chuyển" in bot.api.texts(-1009), timeout=15)
    await bot.settled()
    async with bot.sessionmaker() as session:
        moved = (
            await session.execute(select(Outbox).where(Outbox.dedupe_key == "t-migrate:0"))
        ).scalar_one()
    assert (moved.chat_id, moved.status) == ("-1009", OutboxStatus.SENT)
    assert bot.api.texts(-100) == []


async def test_tokens_never_reach_the_logs(database_url, tmp_path, capsys):
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(
            database_url,
            tmp_path,
            api,
            telegram_webhook_secret="hook-secret-xyz",
            log_level="DEBUG",
        )
        configure_logging(runtime.settings)
        logging.getLogger("httpx").setLevel(logging.DEBUG)  # the noisiest logger, on purpose
        try:
            bot = Bot(runtime, api)
            await bot.join(111, "NV1")
            bot.api.push_message(111, "/help")
            await until(lambda: len(bot.api.texts(111)) >= 2)
            logging.getLogger("test").warning("token in a message: %s", TOKEN)
        finally:
            await runtime.stop()
            logging.getLogger().handlers.clear()
            logging.getLogger("httpx").setLevel(logging.WARNING)
    logged = capsys.readouterr().err
    assert "getUpdates" in logged or "sendMessage" in logged  # the requests were logged…
    assert TOKEN not in logged and "hook-secret-xyz" not in logged  # …without the secrets
    assert "token in a message: ***" in logged
