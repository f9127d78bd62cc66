"""End to end: the runtime with only the Zalo Bot channel, against a local fake Bot API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from bot.db.models import (
    BroadcastRecipient,
    ChannelAccount,
    CheckIn,
    Outbox,
    OutboxStatus,
    QuizDelivery,
)
from bot.runtime import Runtime, StartupError
from bot.services import campaigns, org
from bot.settings import load_settings
from tests.channels.support import (
    NO_QUIET_HOURS,
    correct_number,
    eventually,
    free_port,
    queue_text,
    rows,
    settled,
    until,
)
from tests.fakes.zalo import FakeZaloBot
from tests.harness import issue_invite, load_roster

TOKEN = "1234567890:zalo-test-secret"


async def start(database_url: str, api: FakeZaloBot, tmp_path=None, **env: object) -> Runtime:
    settings = load_settings(
        database_url=database_url,
        zalo_bot_token=TOKEN,
        zalo_bot_api_url=f"{api.url}/bot",
        # Pacing per chat is tested in test_pacing.
        **{"zalo_chat_interval": 0.05, "quiet_hours": NO_QUIET_HOURS, **env},
    )
    runtime = Runtime(settings)
    if tmp_path is not None:
        await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    return runtime


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(database_url, tmp_path, api) -> AsyncIterator[Runtime]:
    runtime = await start(database_url, api, tmp_path)
    try:
        yield runtime
    finally:
        await runtime.stop()


async def join(runtime: Runtime, api: FakeZaloBot, user: str, code: str) -> None:
    """Onboard by sending the bare invite code (Zalo has no deep links)."""
    secret = await issue_invite(runtime.app.sessionmaker, runtime.app.router.now, code)
    api.push_text(user, secret)
    await until(lambda: any("Xin chào" in text for text in api.texts(user)))


async def say(runtime: Runtime, api: FakeZaloBot, user: str, text: str) -> str:
    """Send a message; return the next text the bot sends back, once its options are stored."""
    before = len(api.texts(user))
    api.push_text(user, text)
    await until(lambda: len(api.texts(user)) > before)
    await settled(runtime, "zalo_bot")
    return api.texts(user)[before]


async def test_onboard_answer_a_quiz_by_number_and_acknowledge_a_reminder(bot, api):
    await join(bot, api, "u1", "NV1")
    async with bot.app.sessionmaker() as session:
        account = (await session.execute(select(ChannelAccount))).scalar_one()
    assert (account.channel, account.chat_id) == ("zalo_bot", "u1")

    question = await say(bot, api, "u1", "/quiz")
    assert "1. " in question and "2. " in question and "Trả lời bằng số" in question
    verdict = await say(bot, api, "u1", str(await correct_number(bot)))
    assert "Chính xác" in verdict
    async with bot.app.sessionmaker() as session:
        delivery = (await session.execute(select(QuizDelivery))).scalar_one()
    assert delivery.correct is True

    outcome = await bot.scheduler.run_now(1)  # the weekday reminder, now
    assert outcome.queued == 1
    await until(lambda: any("Nhắc nhở an toàn giao thông" in t for t in api.texts("u1")))
    await settled(bot, "zalo_bot")
    assert "1. Đã hiểu" in api.texts("u1")[-1]
    assert await say(bot, api, "u1", "1") == "Cảm ơn anh/chị! Đã ghi nhận."
    assert await say(bot, api, "u1", "1") == "Anh/chị đã xác nhận nhắc nhở này rồi."
    await settled(bot, "zalo_bot")
    assert {row.status for row in await rows(bot)} == {OutboxStatus.SENT}
    assert all(len(text) <= 2000 for text in api.texts("u1"))


async def test_a_number_typed_before_the_send_returns_answers_the_question(bot, api):
    await join(bot, api, "u1", "NV1")
    await settled(bot, "zalo_bot")
    api.hold = asyncio.Event()
    api.push_text("u1", "/quiz")
    await until(lambda: api.holding == 1)  # the question is out; Zalo has not answered yet
    queued = len(await rows(bot))
    api.push_text("u1", str(await correct_number(bot)))
    await eventually(lambda: rows(bot), lambda found: len(found) > queued)
    api.hold.set()
    await until(lambda: len(api.texts("u1")) >= 3)
    assert "Chính xác" in api.texts("u1")[2]


async def test_offered_numbers_survive_a_restart(database_url, tmp_path, api):
    runtime = await start(database_url, api, tmp_path)
    try:
        await join(runtime, api, "u1", "NV1")
        await say(runtime, api, "u1", "/quiz")
        await settled(runtime, "zalo_bot")
    finally:
        await runtime.stop()
    runtime = await start(database_url, api)
    try:
        assert "Chính xác" in await say(runtime, api, "u1", str(await correct_number(runtime)))
    finally:
        await runtime.stop()


async def test_a_plain_number_with_nothing_offered_is_just_text(bot, api):
    await join(bot, api, "u1", "NV1")
    answer = await say(bot, api, "u1", "2")
    assert "Chính xác" not in answer and "Chưa đúng" not in answer
    assert "không còn hiệu lực" not in answer
    async with bot.app.sessionmaker() as session:
        assert (await session.execute(select(QuizDelivery))).first() is None


async def test_a_redelivered_message_is_answered_once(bot, api):
    await join(bot, api, "u1", "NV1")
    api.push_text("u1", "/me", message_id="aaaabbbbccccddddeeee")
    api.push_text("u1", "/me", message_id="aaaabbbbccccddddeeee")
    api.push_text("u1", "/help")
    await until(lambda: any("/quiz" in text for text in api.texts("u1")))
    await settled(bot, "zalo_bot")
    assert sum("Họ tên:" in text for text in api.texts("u1")) == 1


async def test_long_text_is_split_into_chunks_of_at_most_2000(bot, api):
    await join(bot, api, "u1", "NV1")
    long = "\n".join(f"dòng {n}: {'x' * 90}" for n in range(60))
    await queue_text(bot, "zalo_bot", "u1", long, "test-long")
    await until(lambda: any("dòng 59" in text for text in api.texts("u1")))
    chunks = [text for text in api.texts("u1") if "dòng" in text]
    assert len(chunks) == 3 and all(len(chunk) <= 2000 for chunk in chunks)
    assert "\n".join(chunks) == long


async def test_ok_false_inside_http_200_is_a_failure(bot, api):
    await join(bot, api, "u1", "NV1")
    await settled(bot, "zalo_bot")
    api.fail_next(400, "text is invalid")
    await queue_text(bot, "zalo_bot", "u1", "hello", "test-bad")
    await settled(bot, "zalo_bot")
    last = (await rows(bot, "zalo_bot"))[-1]
    assert last.status == OutboxStatus.FAILED and "Zalo Bot error 400" in last.error


async def test_quota_exceeded_keeps_messages_and_tells_the_admins_once(
    database_url, tmp_path, api, caplog
):
    caplog.set_level(logging.ERROR)
    runtime = await start(database_url, api, tmp_path, zalo_quota_pause=1)
    try:
        async with runtime.app.sessionmaker() as session, session.begin():
            admin = await org.find_person(session, code="AD1")
            now = runtime.app.router.now()
            await org.link_account(
                session, person=admin, channel="telegram", user_id="9", chat_id="9", now=now
            )
        await join(runtime, api, "u1", "NV1")
        await settled(runtime, "zalo_bot")
        api.quota = api.used  # the month's messages are used up
        await queue_text(runtime, "zalo_bot", "u1", "một", "q1")
        await queue_text(runtime, "zalo_bot", "u1", "hai", "q2")
        alerts = await eventually(lambda: rows(runtime, "telegram"), bool)
        assert len(alerts) == 1 and "hạn mức" in alerts[0].payload["text"]
        assert "quota exceeded" in caplog.text
        assert alerts[0].chat_id == "9"
        pending = [row for row in await rows(runtime, "zalo_bot") if row.dedupe_key[:1] == "q"]
        assert all(row.status != OutboxStatus.FAILED for row in pending)

        api.quota = 10_000  # a new month, or a bigger plan
        await until(lambda: api.texts("u1")[-2:] == ["một", "hai"], timeout=10)
        assert len(await rows(runtime, "telegram")) == 1  # still one notice for the day
    finally:
        await runtime.stop()


async def test_webhook_checks_the_secret_and_accepts_wrapped_or_bare_updates(
    database_url, tmp_path, api
):
    port = free_port()
    runtime = await start(
        database_url,
        api,
        tmp_path,
        zalo_bot_webhook_url="https://bot.example.org/zalo/hook",
        zalo_bot_webhook_secret="s3cret-token-xyz",
        zalo_bot_webhook_port=port,
    )
    try:
        assert api.webhook == {
            "url": "https://bot.example.org/zalo/hook",
            "secret_token": "s3cret-token-xyz",
        }
        good = {"X-Bot-Api-Secret-Token": "s3cret-token-xyz"}
        wrapped = api.make_text("u5", "/start")
        bare = api.make_text("u6", "/start")["result"]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            missing = await client.post("/zalo/hook", json=wrapped)
            bad = {"X-Bot-Api-Secret-Token": "s3cret-token-xyZ"}
            wrong = await client.post("/zalo/hook", json=wrapped, headers=bad)
            first = await client.post("/zalo/hook", json=wrapped, headers=good)
            again = await client.post("/zalo/hook", json=wrapped, headers=good)
            other = await client.post("/zalo/hook", json=bare, headers=good)
        assert (missing.status_code, wrong.status_code) == (403, 403)
        assert (first.status_code, again.status_code, other.status_code) == (200, 200, 200)
        await until(lambda: api.texts("u5") and api.texts("u6"))
        await settled(runtime, "zalo_bot")
        assert len(api.texts("u5")) == 1 and "mã mời" in api.texts("u5")[0]
        assert not any(method == "getUpdates" for method, _ in api.calls)
    finally:
        await runtime.stop()


async def test_a_broadcast_is_composed_sent_and_read_with_numbers(bot, api):
    await join(bot, api, "admin", "AD1")
    await join(bot, api, "u1", "NV1")
    preview = await say(bot, api, "admin", "/thongbao Họp giao ban lúc 8 giờ")
    assert "1. Gửi ngay" in preview and "4. Hủy" in preview
    await say(bot, api, "admin", "1")  # the admin's own copy of the notice comes first
    assert any("Bắt đầu gửi thông báo" in text for text in api.texts("admin"))
    await until(lambda: any("📢 Thông báo" in text for text in api.texts("u1")))
    await settled(bot, "zalo_bot")
    notice = next(text for text in api.texts("u1") if "📢 Thông báo" in text)
    assert "Họp giao ban lúc 8 giờ" in notice and "Đã đọc" not in notice  # a tap costs quota
    assert "tin nhắn tiếp theo anh/chị gửi cho bot sẽ được tính là đã đọc" in notice

    async def read() -> list:
        async with bot.app.sessionmaker() as session:
            query = (
                select(BroadcastRecipient.read_at)
                .join(Outbox, Outbox.id == BroadcastRecipient.outbox_id)
                .where(Outbox.chat_id == "u1")
            )
            return list((await session.execute(query)).scalars())

    assert await read() == [None]
    assert "Họ tên:" in await say(bot, api, "u1", "/me")  # any message counts as read
    assert (await read())[0] is not None


async def test_a_refused_token_stops_the_start_with_a_clear_message(database_url, api):
    settings = load_settings(
        database_url=database_url, zalo_bot_token="1:wrong", zalo_bot_api_url=f"{api.url}/bot"
    )
    runtime = Runtime(settings)
    try:
        with pytest.raises(StartupError, match="ATGT_ZALO_BOT_TOKEN"):
            await runtime.start()
    finally:
        await runtime.stop()


async def test_a_weekly_check_in_by_numbers(bot, api):
    async with bot.app.sessionmaker() as session, session.begin():
        root = await org.find_unit(session, path="Sở A")
        await campaigns.create_campaign(
            session,
            name="Thi đua",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            units=[root],
            timezone="Asia/Ho_Chi_Minh",
            now=bot.app.router.now(),
        )
    await join(bot, api, "u1", "NV1")

    form = await say(bot, api, "u1", "/baocaotuan")
    assert "1. Tôi chấp hành đầy đủ" in form and "2. Trả lời từng câu" in form
    first = await say(bot, api, "u1", "2")
    assert first.startswith("Câu 1/3") and "1. Có" in first and "2. Không" in first
    for _ in range(3):
        last = await say(bot, api, "u1", "1")
    assert "chấp hành đầy đủ" in last
    async with bot.app.sessionmaker() as session:
        (check_in,) = (await session.execute(select(CheckIn))).scalars().all()
    assert (check_in.complete, check_in.compliant) == (True, True)
