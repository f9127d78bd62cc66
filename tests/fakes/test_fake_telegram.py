"""The fake Bot API behaves like Telegram when driven by a real python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    ChatMemberBanned,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputPollOption,
    Poll,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.fakes.telegram import FakeBotApi

TOKEN = "123456:TEST-TOKEN"
USER = 4242


@pytest.fixture(autouse=True)
def _timedelta_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to PTB's future timedelta API so RetryAfter.retry_after does not warn.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api():
    async with FakeBotApi(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotApi):
    async with Bot(TOKEN, base_url=api.base_url) as real_bot:
        yield real_bot


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Chọn", callback_data=data)]])


async def test_get_me_and_auth(api: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot, me.can_join_groups) == ("atgt_test_bot", True, True)
    assert bot.username == "atgt_test_bot"  # Bot.initialize() called getMe
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=api.base_url):
            pass
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    async with httpx.AsyncClient(trust_env=False) as client:
        reply = await client.post(f"{api.url}/bot999:WRONG/getMe")
    assert reply.status_code == 401
    assert reply.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_send_message_round_trip_is_recorded(api: FakeBotApi, bot: Bot) -> None:
    raw = "<b>Xin chào</b> &amp; chúc mừng"
    first = await bot.send_message(USER, raw, parse_mode="HTML", reply_markup=_keyboard("ok:1"))
    second = await bot.send_message(USER, "Lần hai")
    assert first.text == "Xin chào & chúc mừng"  # Telegram returns the parsed text
    assert first.chat.id == USER and first.chat.type == "private"
    assert first.reply_markup.inline_keyboard[0][0].callback_data == "ok:1"
    assert second.message_id > first.message_id
    assert api.texts(USER) == [raw, "Lần hai"]
    sent = api.sent[0]
    assert (sent.method, sent.chat_id, sent.message_id) == ("sendMessage", USER, first.message_id)
    assert sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok:1"
    assert sent.params["parse_mode"] == "HTML"


async def test_text_limits(api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(1, "ệ" * 4096)  # characters, not bytes, are counted
    await bot.send_message(2, "<i>" + "a" * 4096 + "</i>", parse_mode="HTML")  # tags don't count
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(3, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(4, "<b>chưa đóng", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(5, "1 < 2", parse_mode="HTML")
    assert [s.chat_id for s in api.sent] == [1, 2]


async def test_callback_data_is_limited_to_64_bytes(api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "ok", reply_markup=_keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "ok", reply_markup=_keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):  # 22 chars, 66 bytes
        await bot.send_message(USER, "ok", reply_markup=_keyboard("ệ" * 22))
    assert len(api.sent) == 1


async def test_quiz_poll_round_trip(api: FakeBotApi, bot: Bot) -> None:
    message = await bot.send_poll(
        USER,
        "Đội mũ bảo hiểm khi nào?",
        ["Khi trời mưa", InputPollOption("Luôn luôn"), "Khi có CSGT"],
        type=Poll.QUIZ,
        correct_option_ids=[1],
        is_anonymous=False,
        explanation="Luật GTĐB 2008.\nĐiều 30.",
    )
    poll = message.poll
    assert poll.id and poll.id in api.polls
    assert [o.text for o in poll.options] == ["Khi trời mưa", "Luôn luôn", "Khi có CSGT"]
    assert poll.correct_option_ids == (1,) and poll.type == Poll.QUIZ
    assert poll.is_anonymous is False
    params = api.sent[-1].params
    assert params["correct_option_ids"] == [1]
    assert params["options"][1] == {"text": "Luôn luôn"}  # PTB sends InputPollOption dicts
    second = await bot.send_poll(USER, "Q2", ["A"], type=Poll.QUIZ, correct_option_ids=[0])
    assert second.poll.id != poll.id


async def test_poll_validation(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="correct option"):
        await bot.send_poll(USER, "Quiz?", ["A", "B"], type=Poll.QUIZ)
    with pytest.raises(BadRequest, match="1-12 options"):
        await bot.send_poll(USER, "Q?", [str(i) for i in range(13)])
    with pytest.raises(BadRequest, match="1-100"):
        await bot.send_poll(USER, "Q?", ["A", "b" * 101])
    with pytest.raises(BadRequest, match="question"):
        await bot.send_poll(USER, "q" * 301, ["A", "B"])
    with pytest.raises(BadRequest, match="line feeds"):
        await bot.send_poll(
            USER, "Q?", ["A", "B"], type=Poll.QUIZ, correct_option_ids=[0], explanation="a\nb\nc\nd"
        )


async def test_blocked_user_gets_forbidden(api: FakeBotApi, bot: Bot) -> None:
    api.block(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "xin chào")
    api.unblock(USER)
    await bot.send_message(USER, "xin chào")
    assert api.texts(USER) == ["xin chào"]


async def test_forced_429_and_forced_status(api: FakeBotApi, bot: Bot) -> None:
    api.force_429(1, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "a")
    assert caught.value.retry_after == timedelta(seconds=7)
    assert [(r.chat_id, r.retry_after, r.forced) for r in api.rejected] == [(USER, 7, True)]
    api.force_status(1, 502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "b")
    await bot.send_message(USER, "c")
    assert api.texts(USER) == ["c"]


async def test_group_migration(api: FakeBotApi, bot: Bot) -> None:
    api.migrate(-555, -1001234567890)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-555, "họp tổ")
    assert caught.value.new_chat_id == -1001234567890
    message = await bot.send_message(caught.value.new_chat_id, "họp tổ")
    assert message.chat.type == "supergroup"


async def test_get_updates_parses_pushed_updates(api: FakeBotApi, bot: Bot) -> None:
    poll_message = await bot.send_poll(USER, "Q?", ["A", "B"], is_anonymous=False)
    first = api.push_message(USER, "/start abc", first_name="Lan")
    api.push_poll_answer(USER, poll_message.poll.id, [1])
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], first["update_id"] + 1]
    assert all(isinstance(u, Update) for u in updates)
    message = updates[0].message
    assert message.text == "/start abc" and message.from_user.first_name == "Lan"
    assert message.from_user.language_code == "vi" and message.chat.type == "private"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert updates[1].poll_answer.poll_id == poll_message.poll.id
    assert updates[1].poll_answer.option_ids == (1,)
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert api.updates == []  # confirmed by the offset


async def test_callback_and_my_chat_member_updates(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Chọn đi", reply_markup=_keyboard("pick:1"))
    api.push_callback(USER, "pick:1", sent.message_id)
    api.push_my_chat_member(USER, "kicked")
    query, member = (u for u in await bot.get_updates(timeout=0))
    assert query.callback_query.data == "pick:1"
    assert query.callback_query.message.message_id == sent.message_id
    assert query.callback_query.message.text == "Chọn đi"
    await query.callback_query.answer("Đã ghi nhận")
    assert api.sent[-1].method == "answerCallbackQuery"
    assert api.sent[-1].params["text"] == "Đã ghi nhận"
    assert isinstance(member.my_chat_member.new_chat_member, ChatMemberBanned)
    with pytest.raises(Forbidden):  # kicked also blocks the user
        await bot.send_message(USER, "còn đó không?")


async def test_long_poll_waits_for_a_push_and_is_capped() -> None:
    async with (
        FakeBotApi(token=TOKEN, max_poll_timeout=0.3) as api,
        Bot(TOKEN, base_url=api.base_url) as bot,
    ):
        started = time.monotonic()
        assert await bot.get_updates(timeout=30) == ()  # capped at 0.3 s
        assert 0.25 < time.monotonic() - started < 2
        api.max_poll_timeout = 5
        waiting = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        api.push_message(USER, "xin chào")
        updates = await asyncio.wait_for(waiting, 2)
        assert updates[0].message.text == "xin chào"


async def test_webhook_blocks_get_updates(api: FakeBotApi, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="bí-mật".encode().hex())
    assert api.webhook["url"] == "http://127.0.0.1:9/hook"
    assert api.webhook["secret_token"] == "bí-mật".encode().hex()
    assert (await bot.get_webhook_info()).url == "http://127.0.0.1:9/hook"
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    api.push_message(USER, "một")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()
    webhook_update = api.make_message(USER, "hai")  # built but not queued
    assert Update.de_json(webhook_update, bot).message.text == "hai"
    assert api.updates == []


async def test_private_chat_burst_then_429(api: FakeBotApi, bot: Bot) -> None:
    for text in ("1", "2", "3"):
        await bot.send_message(USER, text)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "4")
    assert caught.value.retry_after == timedelta(seconds=1)
    assert [(r.chat_id, r.retry_after, r.forced) for r in api.rejected] == [(USER, 1, False)]
    await bot.send_message(USER + 1, "another chat is not limited")
    await asyncio.sleep(1.05)
    await bot.send_message(USER, "4")
    assert api.texts(USER) == ["1", "2", "3", "4"]


async def test_group_and_global_limits(api: FakeBotApi, bot: Bot) -> None:
    for i in range(20):
        await bot.send_message(-100777, str(i))
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(-100777, "21st")
    assert timedelta(seconds=58) <= caught.value.retry_after <= timedelta(seconds=60)
    api.global_per_second = 3
    await asyncio.sleep(1.05)  # let the group's burst leave the 1 s global window
    for chat_id in (1, 2, 3):
        await bot.send_message(chat_id, "hi")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "hi")
    assert len(api.rejected) == 2


async def test_send_document_and_photo(api: FakeBotApi, bot: Bot) -> None:
    message = await bot.send_document(
        USER, document=b"a,b\n1,2\n", filename="bao-cao.csv", caption="Báo cáo tuần"
    )
    assert message.document.file_name == "bao-cao.csv" and message.caption == "Báo cáo tuần"
    upload = api.sent[-1].params["document"]
    assert (upload["filename"], upload["size"], upload["data"]) == ("bao-cao.csv", 8, b"a,b\n1,2\n")
    photo = await bot.send_photo(USER + 1, photo=b"\x89PNG fake", caption="ảnh")
    assert photo.photo[0].file_size == 9
    assert api.sent_to(USER + 1, "sendPhoto")[0].params["photo"]["size"] == 9
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(USER + 2, document=b"x", filename="x.txt", caption="c" * 1025)


async def test_edit_message_and_commands(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "cũ")
    edited = await bot.edit_message_text("mới", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "mới" and edited.message_id == sent.message_id
    assert api.sent[-1].method == "editMessageText"
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("diem", "Xem điểm")]
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(USER))
    await bot.set_my_commands(commands[:1])
    assert api.my_commands({"type": "chat", "chat_id": USER}) == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "diem", "description": "Xem điểm"},
    ]
    assert api.my_commands() == [{"command": "start", "description": "Bắt đầu"}]
    await bot.delete_my_commands(scope=BotCommandScopeChat(USER))
    assert api.my_commands({"type": "chat", "chat_id": USER}) == []


async def test_application_polling_end_to_end(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Chào {update.effective_user.first_name}!")

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        api.push_message(USER, "/start", first_name="Minh")
        for _ in range(100):
            if api.texts(USER):
                break
            await asyncio.sleep(0.05)
        await app.updater.stop()
        await app.stop()
    assert api.texts(USER) == ["Chào Minh!"]
    assert "deleteWebhook" in [method for method, _ in api.calls]


async def test_latency_is_added(api: FakeBotApi, bot: Bot) -> None:
    api.latency = 0.2
    started = time.monotonic()
    await bot.send_message(USER, "chậm")
    assert time.monotonic() - started >= 0.2
