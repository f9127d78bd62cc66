"""The Zalo adapters' pieces: parsing, signatures, rendering, clients and the token keeper."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.channels.zalo_bot import ZaloBotClient, ZaloBotError, ZaloBotTransport
from bot.channels.zalo_bot import to_incoming as bot_incoming
from bot.channels.zalo_oa import ZaloOaTransport, encode_choice
from bot.channels.zalo_oa import to_incoming as oa_incoming
from bot.channels.zalo_oa_api import ZaloOaClient, ZaloOaError
from bot.channels.zalo_oa_app import Signature
from bot.channels.zalo_oa_token import OaTokens, TokenRefused
from bot.core.choices import Choice
from bot.core.messages import Button, Kind, Quiz, Reply
from bot.settings import SettingsError, load_settings
from tests.fakes.zalo import text_update


def test_bot_updates_wrapped_or_bare_become_the_same_event():
    wrapped = text_update("6ede9afa66b88fe6d6a9", "/start ABC", message_id="2d758cb5e222177a4e35")
    a, b = bot_incoming(wrapped), bot_incoming(wrapped["result"])
    assert a is not None and b is not None
    assert (a.event_id, a.kind, a.command, a.args) == (
        "message.text.received:2d758cb5e222177a4e35",
        Kind.COMMAND,
        "start",
        "ABC",
    )
    assert (a.user_id, a.chat_id, a.event_id) == (b.user_id, b.chat_id, b.event_id)


def test_bot_updates_from_bots_or_of_unknown_kinds_are_ignored():
    update = text_update("u1", "hi")["result"]
    update["message"]["from"]["is_bot"] = True
    assert bot_incoming(update) is None
    assert bot_incoming({"event_name": "message.reaction", "message": {}}) is None
    photo = text_update("u1", "")["result"] | {"event_name": "message.image.received"}
    photo["message"]["caption"] = "ảnh chụp"
    assert bot_incoming(photo).text == "ảnh chụp"


def _oa(event: str, text: str = "", **extra) -> dict:
    body = {"event_name": event, "sender": {"id": "8100000000000000001"}, "timestamp": "17"}
    return body | {"message": {"text": text, "msg_id": "abc"}} | extra


def test_oa_button_payloads_come_back_as_buttons_and_quiz_answers():
    ack = oa_incoming(_oa("user_send_text", encode_choice(Choice(Kind.BUTTON, "ack:12"))))
    assert (ack.kind, ack.payload, ack.event_id) == (Kind.BUTTON, "ack:12", "abc")
    answer = oa_incoming(_oa("user_send_text", encode_choice(Choice(Kind.POLL_ANSWER, "q7", 2))))
    assert (answer.kind, answer.poll_id, answer.option_ids) == (Kind.POLL_ANSWER, "q7", (2,))
    assert oa_incoming(_oa("user_send_text", "#atgt:zz")).kind == Kind.TEXT
    assert oa_incoming(_oa("user_send_text", "/quiz")).command == "quiz"
    assert oa_incoming(_oa("user_send_text", "x")).user_id == "8100000000000000001"


def test_oa_follow_events_and_ignored_events():
    follow = {"event_name": "follow", "follower": {"id": "42"}, "timestamp": "1"}
    assert oa_incoming(follow).kind == Kind.UNBLOCKED
    assert oa_incoming(follow | {"event_name": "unfollow"}).kind == Kind.BLOCKED
    assert oa_incoming(_oa("oa_send_text", "echo")) is None
    assert oa_incoming(_oa("user_send_group_text", "hi")) is None
    assert oa_incoming(_oa("user_seen_message")) is None


def test_signature_variants_and_forgeries():
    raw = b'{"app_id":"1","timestamp":"99"}'
    body = json.loads(raw)
    signature = Signature(app_id="1", secret="s", oa_id="oa9")
    assert signature.valid(raw, signature.sign(raw, "99"), body, "")
    assert signature.valid(raw, signature.sign(raw, "99")[4:], body, "")  # bare hex
    assert signature.valid(raw, signature.sign(raw, "55", "oa9"), body, "55")
    forged = Signature(app_id="1", secret="other").sign(raw, "99")
    assert not signature.valid(raw, forged, body, "")
    assert not signature.valid(raw + b" ", signature.sign(raw, "99"), body, "")
    assert not signature.valid(raw, "", body, "")


def test_options_render_as_numbers_or_buttons():
    quiz = Quiz("Câu hỏi?", ("A", "B", "C"), 1, ref="q5")
    bot_parts = ZaloBotTransport(None, None).parts(Reply("Chào", quiz=quiz))
    assert bot_parts[-1].text.splitlines()[:5] == ["Chào", "Câu hỏi?", "1. A", "2. B", "3. C"]
    assert bot_parts[-1].choices[1] == Choice(Kind.POLL_ANSWER, "q5", 1)
    oa = ZaloOaTransport(None, None, None, clock=None)
    few = oa.parts(Reply("x", buttons=((Button("Đã hiểu và sẽ chấp hành", "ack:1"),),)))
    assert few[-1].buttons == (("1", "#atgt:b:ack:1"),)  # the full text is in the body:
    assert few[-1].text.splitlines()[1] == "1. Đã hiểu và sẽ chấp hành"
    many = oa.parts(Reply("x", buttons=tuple((Button(str(n), f"b:{n}"),) for n in range(6))))
    assert many[-1].buttons == () and len(many[-1].choices) == 6
    assert "6. 5" in many[-1].text
    assert oa.parts(Reply(menu=(("help", "x"),))) == []
    assert oa.parts(Reply("50/60", extra={"edit_message_id": "m1"})) == []


async def test_bot_client_reads_errors_inside_http_200_and_hides_the_token():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/boom"):
            raise httpx.ConnectError("refused")
        if request.url.path.endswith("/html"):
            return httpx.Response(502, text="<html>")
        return httpx.Response(200, json={"ok": False, "error_code": 429, "description": "Quota"})

    client = ZaloBotClient(
        token="1:SECRET", api_url="https://zalo.test/bot", transport=httpx.MockTransport(answer)
    )
    errors = []
    for method in ("sendMessage", "boom", "html"):
        with pytest.raises(ZaloBotError) as caught:
            await client.call(method, {})
        errors.append(caught.value)
    await client.aclose()
    assert [e.code for e in errors] == [429, 0, 502]
    assert all("SECRET" not in str(e) for e in errors)


class OAuth:
    """The OAuth and CS endpoints as an httpx transport; slow enough for calls to overlap."""

    def __init__(self) -> None:
        self.calls: list[str] = []  # refresh tokens spent, and "cs:<access token>"
        self.valid, self.access, self.reject_all = "R0", "", False

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cs"):
            token = request.headers["access_token"]
            self.calls.append(f"cs:{token}")
            if self.reject_all or token != self.access:
                return httpx.Response(200, json={"error": -220, "message": "expired"})
            return httpx.Response(200, json={"error": 0, "data": {"message_id": "m1"}})
        form = dict(httpx.QueryParams(request.content.decode()))
        self.calls.append(form["refresh_token"])
        await asyncio.sleep(0.05)
        if form["refresh_token"] != self.valid:
            return httpx.Response(200, json={"error": -14014, "error_name": "Invalid"})
        n = sum(not call.startswith("cs:") for call in self.calls)
        self.valid, self.access = f"R{n}", f"A{n}"
        pair = {"access_token": self.access, "refresh_token": self.valid, "expires_in": "90000"}
        return httpx.Response(200, json=pair)


def _tokens(sessionmaker, clock, oauth: OAuth, seed: str = "R0") -> OaTokens:
    return OaTokens(
        sessionmaker=sessionmaker,
        http=httpx.AsyncClient(transport=httpx.MockTransport(oauth)),
        app_id="app",
        secret_key="k",
        oauth_url="https://oauth.test/v4/oa/access_token",
        seed=seed,
        clock=clock,
    )


async def test_concurrent_refreshes_spend_the_refresh_token_once(sessionmaker, clock):
    oauth = OAuth()
    tokens = _tokens(sessionmaker, clock, oauth)
    first = await tokens.access_token()
    results = await asyncio.gather(*(tokens.refresh(stale=first) for _ in range(5)))
    assert oauth.calls == ["R0", "R1"] and set(results) == {"A2"}
    again = _tokens(sessionmaker, clock, oauth)  # e.g. after a restart: reads the stored pair
    assert await again.access_token() == "A2" and oauth.calls == ["R0", "R1"]
    clock.advance(hours=25)
    assert await again.access_token() == "A3"  # expiring: refreshed ahead of use


async def test_a_refused_refresh_token_raises_and_keeps_the_stored_pair(sessionmaker, clock):
    oauth = OAuth()
    tokens = _tokens(sessionmaker, clock, oauth)
    await tokens.access_token()
    oauth.valid = "spent-elsewhere"
    with pytest.raises(TokenRefused):
        await tokens.refresh(stale="A1")
    assert await _tokens(sessionmaker, clock, oauth).access_token() == "A1"


async def test_client_refreshes_once_on_an_expired_token_then_gives_up(sessionmaker, clock):
    oauth = OAuth()
    tokens = _tokens(sessionmaker, clock, oauth)
    client = ZaloOaClient(
        tokens=tokens,
        api_url="https://api.test",
        http=httpx.AsyncClient(transport=httpx.MockTransport(oauth)),
    )
    await tokens.access_token()  # A1
    oauth.access = "A-issued-elsewhere"  # the API no longer accepts A1
    assert await client.call("/cs", {}) == {"message_id": "m1"}
    assert oauth.calls == ["R0", "cs:A1", "R1", "cs:A2"]
    oauth.reject_all = True
    with pytest.raises(ZaloOaError) as caught:
        await client.call("/cs", {})
    assert caught.value.code == -220 and "expired" in str(caught.value)
    assert oauth.calls[4:] == ["cs:A2", "R2", "cs:A3"]  # one refresh and one retry, no more


def test_zalo_settings_pairs_and_secrets(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    with pytest.raises(SettingsError, match="ATGT_ZALO_BOT_WEBHOOK_SECRET"):
        load_settings(zalo_bot_token="1:x", zalo_bot_webhook_url="https://b.example/hook")
    with pytest.raises(SettingsError, match=r"ATGT_ZALO_BOT_WEBHOOK_SECRET: .*8-256"):
        load_settings(zalo_bot_webhook_secret="short")
    with pytest.raises(SettingsError, match="ATGT_ZALO_OA_SECRET_KEY"):
        load_settings(zalo_oa_app_id="123")
    settings = load_settings(
        zalo_bot_token="1:bot-secret",
        zalo_bot_webhook_secret="hook-secret",
        zalo_oa_app_id="123",
        zalo_oa_secret_key="app-secret",
        zalo_oa_webhook_secret="oa-secret",
        zalo_oa_refresh_token="refresh-secret",
    )
    assert settings.zalo_oa_enabled
    secrets = settings.secret_values()
    for value in ("1:bot-secret", "hook-secret", "app-secret", "oa-secret", "refresh-secret"):
        assert value in secrets and value not in repr(settings)
