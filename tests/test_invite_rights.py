"""Who may issue invite codes, and what re-linking an already linked person does (issue 15)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.core.texts import t
from bot.db.models import Invite, Outbox, Person, Role
from bot.services import invites
from bot.services.invites import InviteRefused
from bot.services.org import find_person
from tests.harness import Chat, get_person, issue_invite, linked_chat, load_roster, make_router

CODE = re.compile(rf"\): ([{invites.ALPHABET}]{{{invites.CODE_LENGTH}}})\n")


def code_in(answer: str) -> str:
    match = CODE.search(answer)
    assert match, answer
    return match.group(1)


async def set_role(sessionmaker, code: str, role: Role) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Person).where(Person.employee_code == code).values(role=role))


async def invites_of(sessionmaker, code: str) -> list[Invite]:
    async with sessionmaker() as session:
        query = (
            select(Invite)
            .join(Person, Invite.person_id == Person.id)
            .where(Person.employee_code == code)
            .order_by(Invite.id)
        )
        return list((await session.execute(query)).scalars())


async def notices_to(sessionmaker, chat_id: str) -> list[str]:
    async with sessionmaker() as session:
        query = select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id)
        return [row.payload["text"] for row in (await session.execute(query)).scalars()]


@pytest.fixture
async def org(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    return make_router(sessionmaker, clock)


async def test_a_manager_cannot_invite_an_admin_of_their_unit(org, sessionmaker, clock):
    manager = await linked_chat(org, sessionmaker, clock, "QL1")
    await set_role(sessionmaker, "NV2", Role.ADMIN)  # NV2 works in QL1's Phòng 1

    answer = await manager.say("/moi NV2")

    assert answer == t("invite.role_above", name="Nhân Viên Hai", code="NV2")
    assert await invites_of(sessionmaker, "NV2") == []


async def test_the_service_refuses_too_whoever_calls_it(org, sessionmaker, clock):
    await set_role(sessionmaker, "NV2", Role.ADMIN)
    async with sessionmaker() as session, session.begin():
        manager = await _person(session, "QL1")
        employee = await _person(session, "NV1")
        target = await _person(session, "NV2")
        week = timedelta(days=7)
        with pytest.raises(InviteRefused) as above:
            await invites.create_invite(
                session, person=target, now=clock(), ttl=week, issued_by=manager
            )
        with pytest.raises(InviteRefused) as employee_refused:
            await invites.create_invite(
                session, person=await _person(session, "QL1"), now=clock(), ttl=week,
                issued_by=employee,
            )  # fmt: skip
    assert above.value.message == t("invite.role_above", name="Nhân Viên Hai", code="NV2")
    assert employee_refused.value.message == t("invite.not_allowed")


async def test_a_manager_may_invite_an_unlinked_peer_and_the_issuer_is_recorded(
    org, sessionmaker, clock
):
    manager = await linked_chat(org, sessionmaker, clock, "QL1")
    await set_role(sessionmaker, "NV2", Role.MANAGER)

    answer = await manager.say("/moi NV2")

    assert "Mã mời cho Nhân Viên Hai" in answer
    [invite] = await invites_of(sessionmaker, "NV2")
    assert invite.issued_by_id == (await get_person(sessionmaker, "QL1")).id
    assert invite.issued_via == "chat"
    [by_cli] = await invites_of(sessionmaker, "QL1")  # linked_chat issues as the CLI does
    assert (by_cli.issued_by_id, by_cli.issued_via) == (None, "cli")


async def test_a_manager_cannot_take_over_a_linked_colleague(org, sessionmaker, clock):
    colleague = await linked_chat(org, sessionmaker, clock, "NV1", channel="telegram")
    manager = await linked_chat(org, sessionmaker, clock, "QL1")
    pending = await issue_invite(sessionmaker, clock, "NV1")  # an admin's re-link code

    answer = await manager.say("/moi NV1")

    assert answer == t("invite.already_linked", name="Nhân Viên Một", code="NV1")
    assert len(await invites_of(sessionmaker, "NV1")) == 2  # nothing issued by the manager
    # The refusal did not cancel the admin's pending code.
    assert "Xin chào" in await Chat(org, channel="zalo_bot", user_id="z1").say(f"/start {pending}")
    assert colleague.person_id == (await get_person(sessionmaker, "NV1")).id


async def test_an_admin_relink_tells_the_person_when_issued_and_when_used(org, sessionmaker, clock):
    await linked_chat(org, sessionmaker, clock, "NV1", channel="telegram")
    admin = await linked_chat(org, sessionmaker, clock, "AD1")

    answer = await admin.say("/moi NV1")

    assert t("invite.relink_warning", name="Nhân Viên Một") in answer
    issued = t("invite.relink_notice", issuer="Quản Trị Viên (AD1)")
    assert await notices_to(sessionmaker, "tg-NV1") == [issued]

    clock.advance(hours=2)  # 03:00 UTC = 10:00 in Vietnam
    new_phone = Chat(org, channel="zalo_bot", user_id="new-phone")
    assert "Xin chào" in await new_phone.say(f"/start {code_in(answer)}")

    used = t("invite.relinked_notice", channel="Zalo Bot", time="10:00 02/03/2026")
    assert await notices_to(sessionmaker, "tg-NV1") == [issued, used]
    assert await notices_to(sessionmaker, "new-phone") == []


async def test_a_managers_code_stops_working_when_the_rule_no_longer_allows_it(
    org, sessionmaker, clock
):
    manager = await linked_chat(org, sessionmaker, clock, "QL1")
    promoted = code_in(await manager.say("/moi NV2"))
    await set_role(sessionmaker, "NV2", Role.ADMIN)

    refused = await Chat(org, user_id="a").say(f"/start {promoted}")

    assert refused == t("onboarding.code_revoked")
    await set_role(sessionmaker, "NV2", Role.EMPLOYEE)
    demoted = code_in(await manager.say("/moi NV2"))
    await set_role(sessionmaker, "QL1", Role.EMPLOYEE)
    assert await Chat(org, user_id="b").say(f"/start {demoted}") == t("onboarding.code_revoked")
    await set_role(sessionmaker, "QL1", Role.MANAGER)
    assert "Xin chào" in await Chat(org, user_id="c").say(f"/start {demoted}")


async def _person(session, code: str) -> Person:
    person = await find_person(session, code=code)
    assert person is not None
    return person


async def test_a_code_is_never_handed_out_in_a_group_chat(org, sessionmaker, clock):
    manager = await linked_chat(org, sessionmaker, clock, "QL1")
    in_group = replace(manager.message("/moi NV2"), chat_id="-100200300", group=True)

    replies = await org.handle(in_group)

    assert [reply.text for reply in replies] == [t("invite.private_only")]
    assert await invites_of(sessionmaker, "NV2") == []


async def test_a_code_of_unknown_origin_does_not_relink(org, sessionmaker, clock):
    """Codes issued before the issuer was recorded may come from a manager's /moi."""
    await linked_chat(org, sessionmaker, clock, "NV1", channel="telegram")
    relink = await issue_invite(sessionmaker, clock, "NV1")
    join = await issue_invite(sessionmaker, clock, "NV2")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Invite).values(issued_via="unknown"))

    refused = await Chat(org, user_id="a").say(f"/start {relink}")
    joined = await Chat(org, user_id="b").say(f"/start {join}")

    assert refused == t("onboarding.code_revoked")
    assert "Xin chào Nhân Viên Hai" in joined
