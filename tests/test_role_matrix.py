"""Every command and button of ROUTES × every role × own unit and another unit."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.core.messages import Kind
from bot.core.texts import t
from bot.db.models import Person, Role
from handlers import ROUTES
from tests.harness import Chat, linked_chat, load_roster, make_router

ROLE_OF = {"NV1": Role.EMPLOYEE, "QL1": Role.MANAGER, "AD1": Role.ADMIN}
# Arguments that name someone in the manager's own unit, and someone outside it.
OWN, OTHER = "NV1", "NV3"
UNLINKED_OWN = "NV2"  # in QL1's unit and not linked: the one a manager may invite
TARGETED = {"moi"}  # commands whose argument is a person the sender must be allowed to manage
# Announcements: managers only when ATGT_MANAGER_BROADCAST allows it (off in these tests).
ADMIN_UNLESS_SETTING = {"thongbao", "thongbao_ketqua", "thongbao_huy", "bc"}


# Commands that exist only while a channel is on: /web needs ATGT_WEB_URL (off here).
OFF_UNLESS_SETTING = {"web"}


def allowed(route, role: Role, *, web: bool = False) -> bool:
    if route.name in OFF_UNLESS_SETTING and not web:
        return False
    needed = Role.ADMIN if route.name in ADMIN_UNLESS_SETTING else route.min_role
    return role.rank >= needed.rank


@pytest.fixture
async def chats(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    return {code: await linked_chat(router, sessionmaker, clock, code) for code in ROLE_OF}


def commands():
    return [r for r in ROUTES if r.kind == Kind.COMMAND and r.channels is None]


async def test_commands_follow_min_role(chats):
    refused = t("error.forbidden")
    for route in commands():
        for code, role in ROLE_OF.items():
            answer = await chats[code].say(f"/{route.name} {OWN}")
            assert (answer != refused) == allowed(route, role), (route.name, code, answer)


async def test_buttons_follow_min_role(chats):
    refused = t("error.forbidden")
    for route in [r for r in ROUTES if r.kind == Kind.BUTTON]:
        for code, role in ROLE_OF.items():
            chat = chats[code]
            replies = await chat.router.handle(
                chat.incoming(Kind.BUTTON, payload=f"{route.name}:1")
            )
            answer = "\n".join(r.text for r in replies)
            assert (answer != refused) == allowed(route, role), (route.name, code, answer)


async def test_targets_outside_the_managers_units_are_refused(chats):
    for name in TARGETED:
        own = await chats["QL1"].say(f"/{name} {UNLINKED_OWN}")
        other = await chats["QL1"].say(f"/{name} {OTHER}")
        admin_other = await chats["AD1"].say(f"/{name} {OTHER}")
        assert "Mã mời cho Nhân Viên Hai" in own
        assert other == t("invite.person_unknown", code=OTHER)
        assert "Mã mời cho Nhân Viên Ba" in admin_other


async def test_who_may_invite_whom(chats, sessionmaker):
    """/moi: managers invite unlinked people not above them; admins anyone (re-link too)."""
    for target_role in Role:
        await _set_role(sessionmaker, UNLINKED_OWN, target_role)
        for code in ("QL1", "AD1"):
            answer = await chats[code].say(f"/moi {UNLINKED_OWN}")
            may = ROLE_OF[code] == Role.ADMIN or target_role.rank <= Role.MANAGER.rank
            assert ("Mã mời cho" in answer) == may, (code, target_role, answer)
    for code in ("NV1", "QL1"):  # linked: their own phone lost, or a colleague's account
        for sender in ("QL1", "AD1"):
            answer = await chats[sender].say(f"/moi {code}")
            assert ("Mã mời cho" in answer) == (sender == "AD1"), (sender, code, answer)


async def _set_role(sessionmaker, code: str, role: Role) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Person).where(Person.employee_code == code).values(role=role))


async def test_console_only_commands_are_unknown_elsewhere(chats):
    for route in [r for r in ROUTES if r.channels is not None]:
        answer = await chats["AD1"].say(f"/{route.name} {OWN}")
        assert answer == t("error.unknown_command", command=route.name)


async def test_files_are_fetched_only_for_commands_and_roles_that_take_them(chats):
    """Router.may_attach: asked before a channel downloads a file sent with a command."""
    stranger = Chat(chats["NV1"].router, user_id="stranger")
    for route in commands():
        assert not await stranger.router.may_attach(stranger.message(f"/{route.name} x"))
        for code, role in ROLE_OF.items():
            chat = chats[code]
            may = await chat.router.may_attach(chat.message(f"/{route.name} x"))
            assert may == (route.file_from is not None and allowed(route, role)), (route.name, code)
