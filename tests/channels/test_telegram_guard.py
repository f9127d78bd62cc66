"""Telegram before authentication (issue 15): no downloads for strangers, commands for other
bots ignored, and a signed but malformed webhook body answered 200 and dropped."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from bot.core.messages import addressed_elsewhere
from bot.core.texts import t
from tests.channels.support import free_port, until
from tests.channels.test_telegram_e2e import TOKEN, bot, start_bot

__all__ = ["bot"]  # the fixture, shared with the end-to-end tests
from tests.fakes.telegram import FakeBotApi

DOCUMENT = b"%PDF-1.4\n" + b"x" * (2 * 1024 * 1024)  # 2 MB
HOOK, SECRET = "/tg/hook", "s3cret-token_ABC"
DEEP = 200_000


def file_calls(api: FakeBotApi) -> list[str]:
    return [method for method, _ in api.calls if method.lower() == "getfile"]


async def test_a_strangers_document_is_never_downloaded(bot):
    bot.api.push_document(999, "/help", DOCUMENT)
    bot.api.push_document(999, "/thongbao Tin gấp", DOCUMENT)

    await until(lambda: len(bot.api.texts(999)) == 2)

    assert all(text == t("onboarding.not_linked") for text in bot.api.texts(999))
    assert file_calls(bot.api) == [] and bot.api.downloads == []


async def test_only_a_command_that_takes_a_file_from_someone_allowed_downloads_it(bot):
    await bot.join(111, "NV1")
    await bot.join(333, "QL1")  # managers may not announce: ATGT_MANAGER_BROADCAST is off
    await bot.join(222, "AD1")

    bot.api.push_document(111, "/help", DOCUMENT)
    bot.api.push_document(111, "/thongbao Tin gấp", DOCUMENT)
    bot.api.push_document(333, "/thongbao Tin gấp", DOCUMENT)
    await until(lambda: len(bot.api.texts(111)) == 3 and len(bot.api.texts(333)) == 2)
    assert bot.api.texts(111)[-1] == t("error.forbidden")
    assert file_calls(bot.api) == []

    before = len(bot.api.texts(222))
    bot.api.push_document(222, "/thongbao Tin gấp", DOCUMENT)
    await until(lambda: len(bot.api.texts(222)) > before)

    assert len(file_calls(bot.api)) == 1 and len(bot.api.downloads) == 1


async def test_a_command_for_another_bot_is_ignored(bot):
    await bot.join(111, "NV1")
    before = len(bot.api.texts(111))

    bot.api.push_message(111, "/help@OtherBot")
    bot.api.push_message(111, "/help@otherbot extra words")
    bot.api.push_message(111, "/me@ATGT_Test_Bot")  # ours, in any case
    # Updates are handled in order: once /me is answered, the others were handled too.
    await until(lambda: any("Họ tên" in text for text in bot.api.texts(111)))
    await bot.settled()

    [answer] = bot.api.texts(111)[before:]
    assert "Họ tên" in answer


def malformed_bodies() -> list[bytes]:
    """Signed bodies that cannot be an update: each must get 200 and be dropped."""
    deep = b"[" * DEEP + b"]" * DEEP
    objects = [
        {"update_id": 5, "message": "x"},
        {"update_id": 6, "message": {"message_id": 1, "chat": "x", "from": [], "date": "d"}},
        {"update_id": 7, "callback_query": ["x"]},
        {"update_id": "abc", "message": None},
        {"update_id": 8, "poll_answer": {"poll_id": 1, "user": 5}},
        {"message": {"text": "/help"}},
    ]
    return [
        deep,
        b'{"update_id": 9, "message": ' + deep + b"}",
        b"{" * 1000,
        b"not json",
        b"\xff\xfe\x00",
        b'"x"',
        b"null",
        *(json.dumps(body).encode() for body in objects),
    ]


async def test_a_signed_malformed_webhook_body_gets_200_and_is_dropped(
    database_url, tmp_path, caplog
):
    port = free_port()
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(
            database_url,
            tmp_path,
            api,
            telegram_webhook_url="https://bot.example.org/tg/hook",
            telegram_webhook_secret=SECRET,
            webhook_port=port,
        )
        try:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                with caplog.at_level(logging.WARNING, logger="bot.channels"):
                    answers = [
                        (await client.post(HOOK, content=body, headers=headers)).status_code
                        for body in malformed_bodies()
                    ]
                unsigned = await client.post(HOOK, content=b"[" * DEEP)
                good = await client.post(
                    HOOK, json=api.make_message(555, "/start"), headers=headers
                )
            assert answers == [200] * len(malformed_bodies())
            assert (unsigned.status_code, good.status_code) == (403, 200)
            await until(lambda: api.texts(555))  # still serving
            dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
            assert len(dropped) == len(malformed_bodies()), [r.getMessage() for r in dropped]
        finally:
            await runtime.stop()


@pytest.mark.parametrize(
    ("text", "ours", "elsewhere"),
    [
        ("/help@OtherBot", "atgt_test_bot", True),
        ("/help@otherbot mời họp", "@atgt_test_bot", True),
        ("/help@ATGT_test_BOT", "atgt_test_bot", False),
        ("/help", "atgt_test_bot", False),
        ("/help mail@otherbot", "atgt_test_bot", False),
        ("hỏi @otherbot", "atgt_test_bot", False),
        ("/help@OtherBot", None, False),  # our username unknown: nothing to compare with
    ],
)
def test_which_commands_name_another_bot(text, ours, elsewhere):
    assert addressed_elsewhere(text, ours) is elsewhere


async def test_an_invite_is_not_handed_out_in_a_group(bot):
    await bot.join(222, "QL1")

    bot.api.push_message(222, "/moi NV2", chat_id=-100555)
    bot.api.push_message(222, "/moi NV2")
    await until(lambda: bot.api.texts(-100555) and len(bot.api.texts(222)) >= 2)

    assert bot.api.texts(-100555) == [t("invite.private_only")]
    assert "Mã mời cho Nhân Viên Hai" in bot.api.texts(222)[-1]


async def test_an_update_with_odd_field_types_is_dropped_with_a_warning(
    database_url, tmp_path, caplog
):
    port = free_port()
    caplog.set_level(logging.WARNING)
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(
            database_url,
            tmp_path,
            api,
            telegram_webhook_url="https://bot.example.org/tg/hook",
            telegram_webhook_secret=SECRET,
            webhook_port=port,
        )
        try:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            odd = [api.make_message(555, "/help") for _ in range(3)]
            odd[0]["message"]["text"] = 5
            odd[1]["message"]["text"] = ["/help"]
            odd[2]["message"]["caption"], odd[2]["message"]["text"] = {"a": 1}, None
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                answers = [
                    (await client.post(HOOK, json=update, headers=headers)).status_code
                    for update in odd
                ]
                await client.post(HOOK, json=api.make_message(555, "/start"), headers=headers)
            await until(lambda: api.texts(555))  # handled in order: the odd ones are done

            assert answers == [200, 200, 200]
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
            dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
            assert len(dropped) == 3, [r.getMessage() for r in caplog.records]
        finally:
            await runtime.stop()
