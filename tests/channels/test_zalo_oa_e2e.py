"""End to end: the runtime with only the Zalo OA channel, against a local fake OA API."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from bot.app import utc_now
from bot.db.models import AccountStatus, ChannelAccount, OutboxStatus, ZaloOaToken
from bot.runtime import Runtime, StartupError
from bot.services import broadcast, campaigns, notify, org, reach
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
from tests.fakes.zalo import FakeZaloOa
from tests.harness import issue_invite, load_roster

USER = "8100000000000000001"  # ids exceed 2^53: they must stay strings


class Oa:
    """The running bot and the fake, with helpers that talk through the real webhook."""

    def __init__(self, runtime: Runtime, api: FakeZaloOa, port: int) -> None:
        self.runtime, self.api, self.port = runtime, api, port

    async def post(self, body: dict, **sign: str) -> httpx.Response:
        raw, headers = self.api.signed(body, **sign)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as client:
            return await client.post("/zalo-oa", content=raw, headers=headers)

    async def say(self, text: str, user: str = USER) -> str:
        """Send a message; return the next text the OA sends back."""
        before = len(self.api.texts(user))
        response = await self.post(self.api.event(user, text))
        assert response.status_code == 200
        await until(lambda: len(self.api.texts(user)) > before)
        await settled(self.runtime, "zalo_oa")  # its options are stored once it is marked sent
        return self.api.texts(user)[before]

    async def join(self, code: str, user: str = USER) -> None:
        secret = await issue_invite(
            self.runtime.app.sessionmaker, self.runtime.app.router.now, code
        )
        assert "Xin chào" in await self.say(secret, user)


async def start(
    database_url, api: FakeZaloOa, port: int, tmp_path=None, clock=utc_now, **env
) -> Runtime:
    settings = load_settings(
        database_url=database_url,
        zalo_oa_app_id=api.app_id,
        zalo_oa_secret_key=api.secret_key,
        zalo_oa_webhook_secret=api.oa_secret,
        zalo_oa_refresh_token=env.pop("seed", api.seed),
        zalo_oa_api_url=api.url,
        zalo_oa_oauth_url=api.oauth_url,
        zalo_oa_webhook_port=port,
        # Pacing per chat is tested in test_pacing.
        **{"zalo_chat_interval": 0.05, "quiet_hours": NO_QUIET_HOURS, **env},
    )
    runtime = Runtime(settings, clock)
    if tmp_path is not None:
        await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    return runtime


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloOa]:
    async with FakeZaloOa() as fake:
        yield fake


@pytest.fixture
async def oa(database_url, tmp_path, api) -> AsyncIterator[Oa]:
    port = free_port()
    runtime = await start(database_url, api, port, tmp_path)
    try:
        yield Oa(runtime, api, port)
    finally:
        await runtime.stop()


async def stored_token(runtime: Runtime) -> ZaloOaToken:
    async with runtime.app.sessionmaker() as session:
        return (await session.execute(select(ZaloOaToken))).scalar_one()


async def test_onboard_tap_a_quiz_button_and_acknowledge_a_reminder(oa):
    await oa.join("NV1")
    question = await oa.say("/quiz")
    buttons = oa.api.buttons(USER)
    assert "1. " in question and 2 <= len(buttons) <= 5
    assert [b["title"] for b in buttons] == [str(n) for n in range(1, len(buttons) + 1)]
    assert all(b["type"] == "oa.query.hide" for b in buttons)
    tap = buttons[await correct_number(oa.runtime) - 1]["payload"]
    assert "Chính xác" in await oa.say(tap)  # a tap arrives as user_send_text

    outcome = await oa.runtime.scheduler.run_now(1)
    assert outcome.queued == 1
    await until(lambda: "Nhắc nhở an toàn giao thông" in oa.api.texts(USER)[-1])
    (ack,) = oa.api.buttons(USER)
    assert ack["title"] == "1" and "1. Đã hiểu" in oa.api.texts(USER)[-1]
    assert await oa.say(ack["payload"]) == "Cảm ơn anh/chị! Đã ghi nhận."
    assert await oa.say("1") == "Anh/chị đã xác nhận nhắc nhở này rồi."  # typing works too
    await settled(oa.runtime, "zalo_oa")
    assert {row.status for row in await rows(oa.runtime)} == {OutboxStatus.SENT}


async def test_a_tap_arriving_before_the_send_returns_answers_the_question(oa):
    await oa.join("NV1")
    await settled(oa.runtime, "zalo_oa")
    oa.api.hold = asyncio.Event()
    assert (await oa.post(oa.api.event(USER, "/quiz"))).status_code == 200
    await until(lambda: oa.api.holding == 1)  # the question is out; Zalo has not answered yet
    queued = len(await rows(oa.runtime))
    number = str(await correct_number(oa.runtime))
    assert (await oa.post(oa.api.event(USER, number))).status_code == 200
    await eventually(lambda: rows(oa.runtime), lambda found: len(found) > queued)
    oa.api.hold.set()
    await until(lambda: len(oa.api.texts(USER)) >= 3)
    assert "Chính xác" in oa.api.texts(USER)[2]


async def test_the_rotated_refresh_token_is_stored_and_an_expired_access_token_renewed(oa):
    first = await stored_token(oa.runtime)
    assert len(oa.api.token_calls) == 1 and oa.api.token_calls[0]["refresh_token"] == oa.api.seed
    assert first.refresh_token == oa.api.refresh_token != oa.api.seed  # stored as received

    await oa.join("NV1")
    oa.api.expire_access()
    assert "Họ tên:" in await oa.say("/me")  # -216, one refresh, then the retry succeeds
    second = await stored_token(oa.runtime)
    assert len(oa.api.token_calls) == 2
    assert oa.api.token_calls[1]["refresh_token"] == first.refresh_token
    assert (second.access_token, second.refresh_token) == (
        oa.api.access_token,
        oa.api.refresh_token,
    )


async def test_a_restart_uses_the_stored_pair_and_a_new_grant_replaces_it(
    database_url, tmp_path, api
):
    port = free_port()
    runtime = await start(database_url, api, port, tmp_path)
    await runtime.stop()
    runtime = await start(database_url, api, port)  # the spent seed is still configured
    await runtime.stop()
    assert len(api.token_calls) == 1  # the stored access token was still valid

    api.refresh_token = "R-granted-again"  # an OA admin consented again
    runtime = await start(database_url, api, port, seed="R-granted-again")
    try:
        assert api.token_calls[-1]["refresh_token"] == "R-granted-again"
        assert (await stored_token(runtime)).refresh_token == api.refresh_token
    finally:
        await runtime.stop()


async def test_bad_signatures_are_refused_and_retries_answered_once(oa):
    body = oa.api.event(USER, "/start")
    forged = await oa.post(body, secret="not-the-secret")
    raw, _ = oa.api.signed(body)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{oa.port}") as client:
        unsigned = await client.post("/zalo-oa", content=raw)
    started = time.monotonic()
    first = await oa.post(body)
    answered_in = time.monotonic() - started
    retry = await oa.post(body)  # Zalo retries with the same msg_id
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert (first.status_code, retry.status_code) == (200, 200) and answered_in < 2
    await until(lambda: oa.api.texts(USER))
    await settled(oa.runtime, "zalo_oa")
    assert len(oa.api.texts(USER)) == 1 and "mã mời" in oa.api.texts(USER)[0]


async def test_a_refused_refresh_token_keeps_messages_and_tells_the_admins(oa, caplog):
    caplog.set_level(logging.ERROR)
    await telegram_admin(oa.runtime)
    await oa.join("NV1")
    await settled(oa.runtime, "zalo_oa")
    oa.api.refresh_token = "R-spent-elsewhere"  # our stored token no longer works
    oa.api.expire_access()
    await queue_text(oa.runtime, "zalo_oa", USER, "tin nhắn", "t1")
    alerts = await eventually(lambda: rows(oa.runtime, "telegram"), bool)
    assert "cấp quyền lại" in alerts[0].payload["text"]
    assert "an OA admin must grant the app access again" in caplog.text
    row = (await rows(oa.runtime, "zalo_oa"))[-1]
    assert row.status in (OutboxStatus.PENDING, OutboxStatus.SENDING)


async def test_quota_errors_pause_sends_and_reach_the_admins(database_url, tmp_path, api):
    port = free_port()
    runtime = await start(database_url, api, port, tmp_path, zalo_quota_pause=1)
    try:
        oa = Oa(runtime, api, port)
        await telegram_admin(runtime)
        await oa.join("NV1")
        await settled(runtime, "zalo_oa")
        api.quota = 0
        await queue_text(runtime, "zalo_oa", USER, "tin nhắn", "t1")
        alerts = await eventually(lambda: rows(runtime, "telegram"), bool)
        assert "Zalo OA đã dùng hết hạn mức" in alerts[0].payload["text"]
        assert (await rows(runtime, "zalo_oa"))[-1].status != OutboxStatus.FAILED
    finally:
        await runtime.stop()


async def test_unfollow_blocks_the_account(oa):
    await oa.join("NV1")
    body = oa.api.event(USER, "") | {"event_name": "unfollow", "follower": {"id": USER}}
    assert (await oa.post(body)).status_code == 200

    async def status() -> AccountStatus:
        async with oa.runtime.app.sessionmaker() as session:
            return (await session.execute(select(ChannelAccount.status))).scalar_one()

    await eventually(status, lambda value: value == AccountStatus.BLOCKED)


async def telegram_admin(runtime: Runtime) -> None:
    """Admin AD1 is also reachable on Telegram (where quota and token alerts go)."""
    async with runtime.app.sessionmaker() as session, session.begin():
        admin = await org.find_person(session, code="AD1")
        await org.link_account(
            session,
            person=admin,
            channel="telegram",
            user_id="9",
            chat_id="9",
            now=runtime.app.router.now(),
        )


async def test_people_silent_for_7_days_are_skipped_reported_and_not_sent_to(
    database_url, tmp_path, api, clock
):
    port = free_port()
    runtime = await start(database_url, api, port, tmp_path, clock=clock)
    try:
        oa = Oa(runtime, api, port)
        await oa.join("NV1")
        await settled(runtime, "zalo_oa")
        clock.advance(days=7, minutes=1)

        assert (await runtime.scheduler.run_now(1)).queued == 0  # skipped, not failed later
        async with runtime.app.sessionmaker() as session:
            (silent,) = await reach.unreachable(session, now=clock())
        assert silent.person.employee_code == "NV1"

        calls = len(api.cs_calls)
        await queue_text(runtime, "zalo_oa", USER, "queued before the window closed", "old")
        await settled(runtime, "zalo_oa")
        row = (await rows(runtime, "zalo_oa"))[-1]
        assert row.status == OutboxStatus.FAILED and "7-day window" in row.error
        assert len(api.cs_calls) == calls  # refused before calling Zalo

        assert "Họ tên:" in await oa.say("/me")  # writing again reopens the window
        async with runtime.app.sessionmaker() as session:
            assert await reach.unreachable(session, now=clock()) == []
    finally:
        await runtime.stop()


async def test_zalo_saying_outside_window_marks_the_person_unreachable(oa, caplog):
    caplog.set_level(logging.INFO)
    await oa.join("NV1")
    await settled(oa.runtime, "zalo_oa")
    oa.api.users[USER].in_window = False  # Zalo's view differs from ours
    await queue_text(oa.runtime, "zalo_oa", USER, "tin nhắn", "t1")
    await settled(oa.runtime, "zalo_oa")
    row = (await rows(oa.runtime, "zalo_oa"))[-1]
    assert row.status == OutboxStatus.FAILED and "Zalo OA error -230" in row.error
    assert not [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("bot.channels")
    ]
    now = oa.runtime.app.router.now()
    async with oa.runtime.app.sessionmaker() as session:
        (silent,) = await reach.unreachable(session, now=now)
        assert silent.person.employee_code == "NV1"
        assert await notify.recipients(session, unit=None, now=now) == []

    calls = len(oa.api.cs_calls)
    await queue_text(oa.runtime, "zalo_oa", USER, "tin nhắn sau", "t2")
    await settled(oa.runtime, "zalo_oa")
    assert len(oa.api.cs_calls) == calls  # nothing is retried or sent into a closed window
    assert [r.status for r in await rows(oa.runtime, "zalo_oa")][-2:] == [OutboxStatus.FAILED] * 2

    assert "Họ tên:" in await oa.say("/me")  # writing again reopens the window
    async with oa.runtime.app.sessionmaker() as session:
        assert await reach.unreachable(session, now=oa.runtime.app.router.now()) == []


async def test_zalo_saying_not_a_follower_blocks_the_account(oa):
    await oa.join("NV1")
    await settled(oa.runtime, "zalo_oa")
    oa.api.users[USER].follows = False  # -213
    await queue_text(oa.runtime, "zalo_oa", USER, "tin nhắn", "t1")
    await settled(oa.runtime, "zalo_oa")
    async with oa.runtime.app.sessionmaker() as session:
        (silent,) = await reach.unreachable(session, now=oa.runtime.app.router.now())
    assert [a.status for a in silent.accounts] == [AccountStatus.BLOCKED]


async def test_without_any_refresh_token_the_start_says_what_to_set(database_url, api):
    runtime = Runtime(
        load_settings(
            database_url=database_url,
            zalo_oa_app_id=api.app_id,
            zalo_oa_secret_key=api.secret_key,
            zalo_oa_oauth_url=api.oauth_url,
            zalo_oa_webhook_port=free_port(),
        )
    )
    try:
        with pytest.raises(StartupError, match="ATGT_ZALO_OA_REFRESH_TOKEN"):
            await runtime.start()
    finally:
        await runtime.stop()
    assert api.token_calls == []


async def test_check_in_by_button_and_receive_an_announcement(oa):
    async with oa.runtime.app.sessionmaker() as session, session.begin():
        root = await org.find_unit(session, path="Sở A")
        await campaigns.create_campaign(
            session,
            name="Thi đua",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            units=[root],
            timezone="Asia/Ho_Chi_Minh",
            now=oa.runtime.app.router.now(),
        )
        draft = await broadcast.create(
            session, text="Họp giao ban ATGT lúc 14:00", now=oa.runtime.app.router.now()
        )
    await oa.join("NV1")

    form = await oa.say("/baocaotuan")
    all_fine = oa.api.buttons(USER)[0]
    assert "Báo cáo tuần" in form and all_fine["title"] == "1"
    assert "\n1. Tôi chấp hành" in form  # the option's full text, which the button names
    assert "chấp hành đầy đủ" in await oa.say(all_fine["payload"])

    async with oa.runtime.app.sessionmaker() as session, session.begin():
        draft = await session.merge(draft)
        assert await broadcast.start(session, broadcast=draft, now=oa.runtime.app.router.now()) == 1
    oa.runtime.senders["zalo_oa"].wake()
    await until(lambda: any("📢 Thông báo" in text for text in oa.api.texts(USER)))
    await settled(oa.runtime, "zalo_oa")
    (read,) = oa.api.buttons(USER)
    assert await oa.say(read["payload"]) == "Cảm ơn anh/chị đã đọc thông báo."
