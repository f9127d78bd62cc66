"""/help and the command menus list exactly what the router accepts: per role, channel, setting."""

from __future__ import annotations

import itertools

from bot.core.messages import Kind
from bot.core.router import BotConfig, Router
from bot.core.texts import t
from handlers import ROUTES
from tests.harness import Chat, linked_chat, load_roster, make_router, shipped_content

CODES = ("NV1", "QL1", "AD1")  # an employee, a manager, an admin
CHANNELS = ("telegram", "console")
SETTINGS = [
    BotConfig(bot_username="atgt_test_bot", manager_broadcast=broadcast, demo=demo)
    for broadcast, demo in itertools.product((False, True), repeat=2)
]
COMMANDS = sorted({r.name for r in ROUTES if r.kind == Kind.COMMAND})


def listed(help_text: str) -> set[str]:
    """The commands a /help answer lists ('/name — description' lines)."""
    return {line[1:].split(" — ")[0] for line in help_text.splitlines() if line.startswith("/")}


def refused(answer: str, command: str) -> bool:
    """Did the router turn the command away (no such command here, or not for this person)?"""
    return answer in (t("error.forbidden"), t("error.unknown_command", command=command))


async def test_help_lists_exactly_the_accepted_commands(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    for channel in CHANNELS:  # link each person once per channel; the settings vary below
        router = make_router(sessionmaker, clock)
        for code in CODES:
            await linked_chat(router, sessionmaker, clock, code, channel=channel)
    for config, channel, code in itertools.product(SETTINGS, CHANNELS, CODES):
        router = Router(sessionmaker, ROUTES, config, clock, content=shipped_content())
        chat = Chat(router, user_id=f"tg-{code}", channel=channel)
        help_text = await chat.say("/help")
        menu = {name for name, _ in chat.last[0].menu}
        offered = listed(help_text)
        accepted = {c for c in COMMANDS if not refused(await chat.say(f"/{c}"), c)}
        where = (code, channel, config.manager_broadcast, config.demo)
        assert offered == accepted, where
        assert menu == offered, where  # the chat's command menu is refreshed with the same list


async def test_what_each_setting_shows(sessionmaker, clock, tmp_path):
    """The settings do change the lists: announcements for managers, /as in the demo."""
    await load_roster(sessionmaker, clock, tmp_path)
    setup = make_router(sessionmaker, clock)
    for code in CODES:
        await linked_chat(setup, sessionmaker, clock, code, channel="console")

    async def offered(code: str, **settings: bool) -> set[str]:
        router = Router(sessionmaker, ROUTES, BotConfig(**settings), clock)
        return listed(await Chat(router, user_id=f"tg-{code}", channel="console").say("/help"))

    announce = {"thongbao", "thongbao_ketqua", "thongbao_huy"}
    assert not announce & await offered("QL1")
    assert announce <= await offered("QL1", manager_broadcast=True)
    assert announce <= await offered("AD1")
    assert not announce & await offered("NV1", manager_broadcast=True)
    assert "as" not in await offered("AD1")
    assert "as" in await offered("NV1", demo=True)
    assert "nhansu" in await offered("QL1") and "nhansu" not in await offered("NV1")
