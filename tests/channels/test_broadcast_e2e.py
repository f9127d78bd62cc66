"""Broadcast delivery through the real sender and a fake Bot API: crash and resume."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from bot.db.models import Outbox, OutboxStatus
from bot.runtime import Runtime
from bot.services import broadcast, org
from bot.settings import load_settings
from tests.channels.support import NO_QUIET_HOURS
from tests.channels.test_telegram_e2e import TOKEN, until
from tests.fakes.telegram import FakeBotApi
from tests.harness import load_roster

PEOPLE = ("AD1", "QL1", "NV1", "NV2", "QL2", "NV3")


async def sent_chats(runtime: Runtime) -> set[int]:
    async with runtime.app.sessionmaker() as session:
        rows = await session.execute(
            select(Outbox.chat_id).where(
                Outbox.dedupe_key.like("bc%"), Outbox.status == OutboxStatus.SENT
            )
        )
        return {int(chat) for chat in rows.scalars()}


def settings(database_url: str, api: FakeBotApi):
    return load_settings(
        database_url=database_url,
        telegram_token=TOKEN,
        telegram_api_url=api.base_url,
        telegram_rate=5,
        telegram_chat_interval=0,
        quiet_hours=NO_QUIET_HOURS,
    )


async def statuses(runtime: Runtime) -> Counter:
    async with runtime.app.sessionmaker() as session:
        rows = await session.execute(select(Outbox.status).where(Outbox.dedupe_key.like("bc%")))
        return Counter(rows.scalars())


async def test_a_crash_mid_broadcast_resumes_without_losing_or_repeating(database_url, tmp_path):
    async with FakeBotApi(TOKEN, latency=0.5) as api:
        api.enforce_limits = False
        first = Runtime(settings(database_url, api))
        await load_roster(first.app.sessionmaker, first.app.router.now, tmp_path)
        now = first.app.router.now()  # the runtime's own clock, as its sender reads it
        async with first.app.sessionmaker() as session, session.begin():
            for number, code in enumerate(PEOPLE, start=1):
                person = await org.find_person(session, code=code)
                await org.link_account(
                    session,
                    person=person,
                    channel="telegram",
                    user_id=str(number),
                    chat_id=str(number),
                    now=now,
                )
            draft = await broadcast.create(session, text="Thông báo khẩn", now=now)
            assert await broadcast.start(session, broadcast=draft, now=now) == 6
        await first.start()
        await until(lambda: len([s for s in api.sent if s.method == "sendMessage"]) >= 1)

        # SIGKILL-like stop: workers are cancelled mid-request, rows stay 'sending'.
        await first.senders["telegram"].stop(grace=0)
        held = api.in_flight  # requests the server holds: they may still be delivered
        confirmed = await sent_chats(first)  # rows marked sent before the crash
        delivered_before = Counter(s.chat_id for s in api.sent if s.method == "sendMessage")
        await first.stop()
        # In flight at the crash: requests the server held, plus requests it had answered
        # whose outcome the sender had not yet recorded.
        in_flight = held + len(set(delivered_before) - confirmed)

        second = Runtime(settings(database_url, api))
        await second.start()
        try:
            await until(
                lambda: len({s.chat_id for s in api.sent if s.method == "sendMessage"}) == 6
            )
            for _ in range(100):
                if (await statuses(second))[OutboxStatus.SENT] == 6:
                    break
                await asyncio.sleep(0.05)
        finally:
            await second.stop()

    per_chat = Counter(s.chat_id for s in api.sent if s.method == "sendMessage")
    assert set(per_chat) == {1, 2, 3, 4, 5, 6}
    duplicates = sum(n - 1 for n in per_chat.values())
    assert duplicates <= in_flight
    assert all(per_chat[chat] == 1 for chat in confirmed)  # nothing recorded as sent is resent
    assert sum(delivered_before.values()) < 6  # the crash really interrupted the broadcast
    assert (await statuses(second))[OutboxStatus.SENT] == 6
