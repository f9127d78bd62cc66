"""Reachability: numbered offers per chat, the Zalo OA window in notify, `atgt zalo unreachable`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from bot.channels.zalo_oa import decode_choice
from bot.cli import app
from bot.core import choices
from bot.core.choices import Choice
from bot.core.messages import Kind
from bot.db.session import make_engine, make_sessionmaker
from bot.services import notify, reach
from tests.conftest import FakeClock
from tests.harness import Chat, issue_invite, load_roster, make_router


async def test_the_last_offer_counts_and_expires(sessionmaker, clock):
    async def recall(number: int):
        async with sessionmaker() as session:
            return await choices.recall(
                session, channel="zalo_bot", chat_id="c1", number=number, now=clock()
            )

    for offer in ([Choice(Kind.POLL_ANSWER, "q1", 0), Choice(Kind.POLL_ANSWER, "q1", 1)],
                  [Choice(Kind.BUTTON, "ack:3")]):  # fmt: skip
        async with sessionmaker() as session, session.begin():
            await choices.remember(
                session, channel="zalo_bot", chat_id="c1", choices=offer, now=clock()
            )
    assert await recall(1) == Choice(Kind.BUTTON, "ack:3")
    assert await recall(2) is None and await recall(0) is None
    clock.advance(days=8)
    assert await recall(1) is None
    assert [choices.picked_number(t) for t in ("2", " 3. ", "2)", "12a", "", "1234")] == [
        2,
        3,
        2,
        None,
        None,
        None,
    ]


async def join(sessionmaker, clock, tmp_path, channels: dict[str, str]) -> None:
    """NV1 joins on each channel (user id per channel)."""
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    for channel, user in channels.items():
        secret = await issue_invite(sessionmaker, clock, "NV1")
        assert "Xin chào" in await Chat(router, user_id=user, channel=channel).say(secret)


async def test_silent_zalo_oa_accounts_are_skipped_and_listed(sessionmaker, clock, tmp_path):
    await join(sessionmaker, clock, tmp_path, {"zalo_oa": "oa-1"})
    clock.advance(days=7, hours=1)
    async with sessionmaker() as session:
        assert await notify.recipients(session, unit=None, now=clock()) == []
        (silent,) = await reach.unreachable(session, now=clock())
    assert silent.person.employee_code == "NV1"
    assert [a.channel for a in silent.accounts] == ["zalo_oa"]


async def test_another_channel_keeps_the_person_reachable(sessionmaker, clock, tmp_path):
    await join(sessionmaker, clock, tmp_path, {"zalo_oa": "oa-1", "zalo_bot": "zb-1"})
    clock.advance(days=30)
    async with sessionmaker() as session:
        (recipient,) = await notify.recipients(session, unit=None, now=clock())
        assert recipient.channel == "zalo_bot"
        assert await reach.unreachable(session, now=clock()) == []


def test_cli_lists_unreachable_people(database_url, tmp_path):
    async def setup() -> None:
        engine = make_engine(database_url)
        clock = FakeClock(datetime.now(UTC) - timedelta(days=10))
        await join(make_sessionmaker(engine), clock, tmp_path, {"zalo_oa": "oa-1"})
        await engine.dispose()

    asyncio.run(setup())
    env = {"ATGT_DATABASE_URL": database_url}
    result = CliRunner().invoke(app, ["zalo", "unreachable"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 người" in result.output and "NV1 Nhân Viên Một" in result.output
    assert "Zalo OA: không tương tác từ" in result.output
    assert "tin mẫu ZBS" not in result.output
    env_templates = env | {"ATGT_ZALO_OA_TEMPLATES": "reminder=1,quiz=2"}
    templated = CliRunner().invoke(app, ["zalo", "unreachable"], env=env_templates)
    assert "vẫn nhận nhắc nhở, câu đố dưới dạng tin mẫu ZBS" in templated.output
    assert "đã dùng 0/0 tin" in templated.output
    scoped = CliRunner().invoke(app, ["zalo", "unreachable", "--unit", "Sở A/Phòng 2"], env=env)
    assert "Mọi người đã tham gia đều đang nhắn tin được." in scoped.output
    unknown = CliRunner().invoke(app, ["zalo", "unreachable", "--unit", "Không có"], env=env)
    assert unknown.exit_code == 1


def test_digit_lookalikes_are_not_numbers():
    """'²' and other non-ASCII digits pass str.isdigit() but int() refuses them."""
    assert [choices.picked_number(t) for t in ("²", "١", "2²")] == [None, None, None]
    assert decode_choice("#atgt:q:²:quiz:1") is None
    assert decode_choice("#atgt:q:1:quiz:1") == Choice(Kind.POLL_ANSWER, "quiz:1", 1)


async def test_an_offer_not_delivered_is_withdrawn_but_a_newer_one_stays(sessionmaker, clock):
    first, second = [Choice(Kind.BUTTON, "ack:1")], [Choice(Kind.BUTTON, "ack:2")]

    async def recall() -> Choice | None:
        async with sessionmaker() as session:
            return await choices.recall(
                session, channel="zalo_oa", chat_id="c1", number=1, now=clock()
            )

    for offer in (first, second):
        async with sessionmaker() as session, session.begin():
            await choices.remember(
                session, channel="zalo_oa", chat_id="c1", choices=offer, now=clock()
            )
    async with sessionmaker() as session, session.begin():
        await choices.forget(session, channel="zalo_oa", chat_id="c1", choices=first)
    assert await recall() == second[0]
    async with sessionmaker() as session, session.begin():
        await choices.forget(session, channel="zalo_oa", chat_id="c1", choices=second)
    assert await recall() is None
