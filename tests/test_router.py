"""Router: roles, de-duplication in the same transaction, and the error boundary."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from bot.core.errors import UserError
from bot.core.messages import Kind, Reply
from bot.core.router import TOUCH_EVERY, Context, Route
from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Invite, ProcessedEvent, Unit
from bot.services.org import ensure_unit
from handlers import ROUTES
from tests.harness import Chat, issue_invite, linked_chat, load_roster, make_router


async def test_employee_is_refused_manager_commands(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")

    assert await chat.say("/nhansu") == t("error.forbidden")
    assert await chat.say("/moi NV2") == t("error.forbidden")
    help_text = await chat.say("/help")
    assert "/me" in help_text
    assert "/nhansu" not in help_text
    assert "/as" not in help_text  # console-only command never offered on other channels


async def test_manager_sees_only_own_units(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    await linked_chat(router, sessionmaker, clock, "NV1")
    manager = await linked_chat(router, sessionmaker, clock, "QL1")

    answer = await manager.say("/nhansu")

    assert answer.splitlines()[0] == "Sở A/Phòng 1: 3 người, 2 đã tham gia bot."
    assert "Nhân Viên Hai" in answer
    assert "Nhân Viên Ba" not in answer  # Phòng 2 is not QL1's
    assert "/nhansu" in await manager.say("/help")
    assert await manager.say("/moi NV3") == t("invite.person_unknown", code="NV3")
    assert "Mã mời cho Nhân Viên Hai" in await manager.say("/moi NV2")
    # NV1 has joined: re-linking them is an admin's call.
    linked = t("invite.already_linked", name="Nhân Viên Một", code="NV1")
    assert await manager.say("/moi NV1") == linked


async def test_admin_sees_the_whole_organisation(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    admin = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "AD1")

    answer = await admin.say("/nhansu")

    assert answer.splitlines()[0] == "Sở A: 6 người, 1 đã tham gia bot."
    invite = await admin.say("/moi NV3")
    assert "https://t.me/atgt_test_bot?start=" in invite


async def test_repeated_update_is_processed_once(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    admin = await linked_chat(router, sessionmaker, clock, "AD1")

    first = await admin.say("/moi NV3", event_id="update-42")
    second = await admin.say("/moi NV3", event_id="update-42")

    assert "Mã mời cho Nhân Viên Ba" in first
    assert second == ""
    async with sessionmaker() as session:
        invites = await session.scalar(select(func.count()).select_from(Invite))
        events = await session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.event_id == "update-42")
        )
    assert (invites, events) == (2, 1)  # AD1's own onboarding invite + one for NV3


async def test_redelivered_onboarding_does_not_report_code_used(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    code = await issue_invite(sessionmaker, clock, "NV1")
    chat = Chat(router)

    assert "Xin chào" in await chat.say(f"/start {code}", event_id="u-7")
    assert await chat.say(f"/start {code}", event_id="u-7") == ""


async def _boom(ctx: Context) -> list[Reply]:
    await ensure_unit(ctx.session, path="Phải/Bị hủy")
    raise RuntimeError("secret internal detail")


async def _refuse(ctx: Context) -> list[Reply]:
    await ensure_unit(ctx.session, path="Cũng/Bị hủy")
    raise UserError("Ngày không hợp lệ.")


async def test_error_boundary_apologises_logs_and_rolls_back(sessionmaker, clock, tmp_path, caplog):
    await load_roster(sessionmaker, clock, tmp_path)
    routes = [*ROUTES, Route(Kind.COMMAND, "boom", _boom), Route(Kind.COMMAND, "refuse", _refuse)]
    router = make_router(sessionmaker, clock, routes)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    with caplog.at_level(logging.ERROR):
        assert await chat.say("/boom") == t("error.apology")
    assert await chat.say("/refuse") == "Ngày không hợp lệ."

    assert "handler failed" in caplog.text and "RuntimeError" in caplog.text
    async with sessionmaker() as session:
        paths = (await session.execute(select(Unit.path))).scalars().all()
    assert not [p for p in paths if "Bị hủy" in p]
    assert "Nhân Viên Một" in await chat.say("/me")  # still works after both failures


async def test_block_and_unblock_update_account_status(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    assert await router.handle(chat.incoming(Kind.BLOCKED)) == []
    assert await _status(sessionmaker) == AccountStatus.BLOCKED
    await router.handle(chat.incoming(Kind.UNBLOCKED))
    assert await _status(sessionmaker) == AccountStatus.ACTIVE


async def test_unknown_command_and_stale_button(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    assert await chat.say("/khongco abc") == t("error.unknown_command", command="khongco")
    replies = await router.handle(chat.incoming(Kind.BUTTON, payload="xx:99"))
    assert [r.text for r in replies] == [t("error.unknown_button")]


async def _status(sessionmaker) -> AccountStatus:
    async with sessionmaker() as session:
        return await session.scalar(select(ChannelAccount.status))


async def test_last_interaction_is_rewritten_every_few_minutes(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")
    clock.advance(hours=1)
    await chat.say("/me")
    written = clock.now

    clock.advance(seconds=TOUCH_EVERY.total_seconds() - 1)
    await chat.say("/me")
    assert await _last_interaction(sessionmaker) == written  # no UPDATE for a recent value

    clock.advance(seconds=1)
    await chat.say("/me")
    assert await _last_interaction(sessionmaker) == clock.now

    await router.handle(chat.incoming(Kind.BLOCKED))
    await chat.say("/me")  # writing again within the interval still reactivates
    assert await _status(sessionmaker) == AccountStatus.ACTIVE


async def _last_interaction(sessionmaker):
    async with sessionmaker() as session:
        query = select(ChannelAccount.last_interaction_at)
        return (await session.execute(query)).scalar_one()
