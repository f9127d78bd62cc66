"""Zalo Bot and Zalo OA webhooks (issue 15): an authenticated body that cannot be an event
(bad JSON, wrong types, deep nesting) is answered 200 and dropped with a warning."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.channels.zalo_bot import to_incoming as zalo_bot_incoming
from bot.channels.zalo_oa_app import Signature
from tests.channels.support import free_port, until
from tests.channels.test_zalo_bot_e2e import TOKEN
from tests.channels.test_zalo_bot_e2e import start as start_zalo_bot
from tests.channels.test_zalo_oa_e2e import start as start_zalo_oa
from tests.fakes.zalo import FakeZaloBot, FakeZaloOa, text_update

DEEP = 200_000
NESTED = b"[" * DEEP + b"]" * DEEP
SECRET = "s3cret-token-xyz"


def dropped(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]


def common_garbage() -> list[bytes]:
    return [NESTED, b'{"a": ' + NESTED + b"}", b"{" * 1000, b"not json", b"\xff\xfe", b"[1]"]


def zalo_bot_garbage() -> list[bytes]:
    event = "message.text.received"
    shapes = [
        {"ok": True, "result": "x"},
        {"event_name": event, "message": "x"},
        {"event_name": event, "message": {"message_id": [], "from": "x", "chat": 5}},
        {"event_name": event, "message": {"message_id": {}, "from": {"id": []}, "text": {}}},
        {"event_name": [], "message": {"from": {"id": "u1"}, "chat": []}},
    ]
    return common_garbage() + [json.dumps(shape).encode() for shape in shapes]


@pytest.fixture
async def zalo_bot(database_url, tmp_path) -> AsyncIterator[tuple[FakeZaloBot, int]]:
    async with FakeZaloBot(TOKEN) as api:
        port = free_port()
        runtime = await start_zalo_bot(
            database_url,
            api,
            tmp_path,
            zalo_bot_webhook_url="https://bot.example.org/zalo/hook",
            zalo_bot_webhook_secret=SECRET,
            zalo_bot_webhook_port=port,
        )
        try:
            yield api, port
        finally:
            await runtime.stop()


async def test_zalo_bot_drops_what_cannot_be_an_update_with_200(zalo_bot, caplog):
    api, port = zalo_bot
    headers = {"X-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        with caplog.at_level(logging.WARNING, logger="bot.channels"):
            answers = [
                (await client.post("/zalo/hook", content=body, headers=headers)).status_code
                for body in zalo_bot_garbage()
            ]
        unsigned = await client.post("/zalo/hook", content=NESTED)
        good = await client.post("/zalo/hook", json=api.make_text("u5", "/start"), headers=headers)

    assert answers == [200] * len(zalo_bot_garbage())
    assert (unsigned.status_code, good.status_code) == (403, 200)
    await until(lambda: api.texts("u5"))  # still serving
    # Each body that is not JSON, or whose fields have the wrong types, is logged.
    assert len(dropped(caplog)) >= len(common_garbage()), dropped(caplog)


def signed(api: FakeZaloOa, raw: bytes, stamp: str) -> dict[str, str]:
    """Zalo's header signature over raw bytes, with the timestamp given as a header."""
    mac = Signature(app_id=api.app_id, secret=api.oa_secret).sign(raw, stamp)
    return {"X-ZEvent-Signature": mac, "X-ZEvent-Timestamp": stamp}


def zalo_oa_garbage(api: FakeZaloOa, stamp: str) -> list[bytes]:
    user = {"id": "8100000000000000001"}
    shapes = [
        {"event_name": "user_send_text", "timestamp": stamp, "sender": "x", "message": []},
        {"event_name": "user_send_text", "timestamp": stamp, "sender": user, "message": "x"},
        {"event_name": "follow", "timestamp": stamp, "follower": [], "sender": 5},
        {"event_name": 5, "timestamp": [stamp], "app_id": {}},
        {"event_name": "user_send_text", "sender": {"id": {"a": []}}, "message": {"text": []}},
    ]
    return common_garbage() + [json.dumps(shape).encode() for shape in shapes]


async def test_zalo_oa_drops_what_cannot_be_an_event_with_200(database_url, tmp_path, caplog):
    port = free_port()
    async with FakeZaloOa() as api:
        runtime = await start_zalo_oa(database_url, api, port, tmp_path)
        try:
            stamp = "1765000000000"  # the OA app signs the stamp; it does not check its age
            url = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=url) as client:
                with caplog.at_level(logging.WARNING, logger="bot.channels"):
                    answers = [
                        (
                            await client.post(
                                "/zalo-oa", content=raw, headers=signed(api, raw, stamp)
                            )
                        ).status_code
                        for raw in zalo_oa_garbage(api, stamp)
                    ]
                forged = await client.post(
                    "/zalo-oa", content=NESTED, headers={"X-ZEvent-Signature": "mac=00"}
                )
                unsigned = await client.post("/zalo-oa", content=b"not json")
                raw, headers = api.signed(api.event("8100000000000000009", "/start"))
                good = await client.post("/zalo-oa", content=raw, headers=headers)

            assert answers == [200] * len(zalo_oa_garbage(api, stamp))
            assert (forged.status_code, unsigned.status_code, good.status_code) == (403, 403, 200)
            await until(lambda: api.texts("8100000000000000009"))  # still serving
            assert len(dropped(caplog)) >= len(common_garbage()), dropped(caplog)
        finally:
            await runtime.stop()


def test_a_zalo_bot_group_message_is_marked_as_such():
    private = text_update("u1", "/moi NV2")
    group = text_update("u1", "/moi NV2")
    group["result"]["message"]["chat"] = {"id": "g-77", "chat_type": "GROUP"}

    assert zalo_bot_incoming(private).group is False
    assert zalo_bot_incoming(group).group is True
