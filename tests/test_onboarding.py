"""Onboarding: valid, used, expired and wrong codes; unlinked and inactive users."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.core.texts import t
from bot.db.models import ChannelAccount, Invite, Person
from tests.harness import Chat, contains, get_person, issue_invite, load_roster, make_router


async def test_start_with_valid_code_links_and_greets_by_name(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    code = await issue_invite(sessionmaker, clock, "NV1")
    chat = Chat(router, user_id="111")

    await chat.dialog(
        [
            ("/me", t("onboarding.not_linked")),
            (f"/start {code}", contains("Xin chào Nhân Viên Một", "Sở A/Phòng 1/Tổ 1")),
            ("/me", contains("Nhân Viên Một", "NV1", "Sở A/Phòng 1/Tổ 1")),
            (f"/start {code}", t("onboarding.already_linked", name="Nhân Viên Một")),
        ]
    )

    person = await get_person(sessionmaker, "NV1")
    assert [(a.channel, a.platform_user_id) for a in person.accounts] == [("test", "111")]


async def test_bare_code_with_spaces_and_lower_case_is_accepted(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    code = await issue_invite(sessionmaker, clock, "NV2")
    spaced = f"  {code[:4].lower()} {code[4:8]}-{code[8:]} "

    answer = await Chat(router, user_id="222").say(spaced)

    assert "Xin chào Nhân Viên Hai" in answer


async def test_used_code_is_refused_for_a_second_user(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    code = await issue_invite(sessionmaker, clock, "NV1")
    await Chat(router, user_id="first").say(f"/start {code}")

    answer = await Chat(router, user_id="second").say(f"/start {code}")

    assert answer == t("onboarding.code_used")
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(ChannelAccount))
    assert count == 1


async def test_expired_code_names_the_expiry_date(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    code = await issue_invite(sessionmaker, clock, "NV1", days=2)
    clock.advance(days=2, seconds=1)

    answer = await Chat(router).say(f"/start {code}")

    assert answer == t("onboarding.code_expired", expired="04/03/2026")
    assert (await get_person(sessionmaker, "NV1")).accounts == []


async def test_wrong_code_and_unlinked_user_get_clear_messages(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = Chat(make_router(sessionmaker, clock))

    await chat.dialog(
        [
            ("/start 2345678923456", t("onboarding.code_wrong")),
            ("23456 78923456", t("onboarding.code_wrong")),
            *[
                (text, t("onboarding.not_linked"))
                for text in ("/me", "/help", "xin chào", "/nhansu", "/start")
            ],
        ]
    )


async def test_new_invite_revokes_the_previous_unused_one(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    old = await issue_invite(sessionmaker, clock, "NV1")
    clock.advance(minutes=1)
    new = await issue_invite(sessionmaker, clock, "NV1")

    assert (await Chat(router, user_id="a").say(f"/start {old}")).startswith(
        "Mã mời này đã hết hạn"
    )
    assert "Xin chào" in await Chat(router, user_id="b").say(f"/start {new}")


async def test_one_person_may_link_several_channels(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    for channel in ("telegram", "zalo_bot"):
        code = await issue_invite(sessionmaker, clock, "NV1")
        assert "Xin chào" in await Chat(router, channel=channel, user_id="x").say(f"/start {code}")

    answer = await Chat(router, channel="zalo_bot", user_id="x").say("/me")

    assert "• Telegram: đang hoạt động" in answer
    assert "• Zalo Bot: đang hoạt động" in answer


async def test_linked_user_sending_another_code_keeps_the_link(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = Chat(router)
    await chat.say(f"/start {await issue_invite(sessionmaker, clock, 'NV1')}")
    other = await issue_invite(sessionmaker, clock, "NV2")

    answer = await chat.say(f"/start {other}")

    assert answer == t("onboarding.already_linked", name="Nhân Viên Một")
    async with sessionmaker() as session:
        invite = (await session.execute(select(Invite).order_by(Invite.id.desc()))).scalar()
    assert invite.used_at is None


async def test_inactive_person_cannot_use_the_bot(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = Chat(router)
    await chat.say(f"/start {await issue_invite(sessionmaker, clock, 'NV1')}")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Person).values(active=False))

    assert await chat.say("/me") == t("onboarding.inactive")


async def test_wrong_codes_are_rate_limited_per_sender(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    guesser = Chat(router, user_id="guesser")
    good = await issue_invite(sessionmaker, clock, "NV1")

    answers = [await guesser.say(f"/start 2345678923{n:03d}") for n in range(5)]
    blocked = await guesser.say(f"/start {good}")
    other_user = await Chat(router, user_id="someone-else").say("/start 2345678923999")
    clock.advance(hours=1, seconds=1)
    later = await guesser.say(f"/start {good}")

    assert answers == [t("onboarding.code_wrong")] * 5
    assert blocked == t("onboarding.too_many")  # even the right code waits out the window
    assert other_user == t("onboarding.code_wrong")
    assert "Xin chào Nhân Viên Một" in later
