"""Faults: the Bot API down during a broadcast and a scheduled quiz; the database restarted."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy import select, text

from bot.db.models import Outbox, OutboxStatus
from bot.db.session import make_engine
from bot.services import broadcast, org
from tests.channels.test_telegram_e2e import TOKEN, Bot, start_bot, until
from tests.conftest import PG_ADMIN_URL
from tests.fakes.telegram import FakeBotApi

PEOPLE = {"NV1": 1, "NV2": 2, "NV3": 3}


async def link_people(runtime) -> None:
    async with runtime.app.sessionmaker() as session, session.begin():
        for code, chat in PEOPLE.items():
            person = await org.find_person(session, code=code)
            await org.link_account(
                session,
                person=person,
                channel="telegram",
                user_id=str(chat),
                chat_id=str(chat),
                now=datetime.now(UTC),
            )


def texts_with(api: FakeBotApi, marker: str) -> Counter:
    return Counter(
        s.chat_id for s in api.sent if s.method == "sendMessage" and marker in s.params["text"]
    )


@pytest.mark.parametrize("hang", [0.0, 1.5], ids=["5xx", "timeouts"])
async def test_bot_api_outage_loses_nothing(database_url, tmp_path, hang):
    async with FakeBotApi(TOKEN) as api:
        api.enforce_limits = False
        runtime = await start_bot(
            database_url,
            tmp_path,
            api,
            telegram_chat_interval=0,
            telegram_timeout=1.0,
            # Give up on in-process retries quickly, so the outage outlasts them and the
            # rows take the long-outage path (back to pending, claimed again later).
            send_retry_backoff=(0.2, 0.2),
            send_requeue_seconds=2,
        )
        try:
            await link_people(runtime)
            api.outage(6, hang=hang)  # every send fails (or hangs past the timeout) for 6 s
            async with runtime.app.sessionmaker() as session, session.begin():
                draft = await broadcast.create(session, text="Mất mạng", now=datetime.now(UTC))
                await broadcast.start(session, broadcast=draft, now=datetime.now(UTC))
            quiz = await runtime.scheduler.run_now(2)  # the Tuesday/Thursday quiz, now
            runtime.senders["telegram"].wake()
            await until(lambda: len(texts_with(api, "Mất mạng")) == 3, timeout=30)
            await until(
                lambda: len({s.chat_id for s in api.sent if s.method == "sendPoll"}) == 3,
                timeout=30,
            )
            await Bot(runtime, api).settled()
        finally:
            await runtime.stop()

    assert api.failed_during_outage >= 3  # the outage really hit the sends
    assert quiz.queued == 6  # an intro and the question, for each of the 3 people
    assert texts_with(api, "Mất mạng") == Counter({1: 1, 2: 1, 3: 1})
    polls = Counter(s.chat_id for s in api.sent if s.method == "sendPoll")
    assert polls == Counter({1: 1, 2: 1, 3: 1})


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_database_restart_mid_run_reconnects(database_url, tmp_path):
    name = database_url.rsplit("/", 1)[1]
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(database_url, tmp_path, api)
        bot = Bot(runtime, api)
        try:
            await bot.join(111, "NV1")
            admin = await asyncpg.connect(PG_ADMIN_URL)
            try:  # what a server restart does to every open connection of ours
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = $1 AND pid <> pg_backend_pid()",
                    name,
                )
            finally:
                await admin.close()
            before = len(api.texts(111))
            api.push_message(111, "/me")
            await until(lambda: len(api.texts(111)) > before, timeout=30)
            await bot.settled()
        finally:
            await runtime.stop()

    assert killed >= 1
    assert "Họ tên: Nhân Viên Một" in api.texts(111)[-1]
    async with runtime.app.sessionmaker() as session:
        states = set((await session.execute(select(Outbox.status))).scalars())
    assert states == {OutboxStatus.SENT}


async def test_sender_outlives_an_unreadable_outbox(database_url, tmp_path, caplog):
    """The database failing under the sender (here: its table gone) pauses it, never ends it."""
    async with FakeBotApi(TOKEN) as api:
        runtime = await start_bot(database_url, tmp_path, api)
        bot = Bot(runtime, api)
        try:
            await bot.join(111, "NV1")
            engine = make_engine(database_url)  # another client: the sender's own is untouched
            try:
                async with engine.begin() as connection:
                    await connection.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
                runtime.senders["telegram"].wake()
                await until(lambda: "cannot read the outbox" in caplog.text, timeout=15)
                async with engine.begin() as connection:
                    await connection.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))
            finally:
                await engine.dispose()
            before = len(api.texts(111))
            api.push_message(111, "/me")
            await until(lambda: len(api.texts(111)) > before, timeout=30)
        finally:
            await runtime.stop()

    assert "Họ tên: Nhân Viên Một" in api.texts(111)[-1]
