"""A test channel: dialogs with the real router, as Zulip's bot test library does."""

from __future__ import annotations

import functools
import itertools
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, load_content
from bot.core.messages import Incoming, Kind, Reply, split_command
from bot.core.router import BotConfig, Clock, Route, Router
from bot.db.models import Person
from bot.services import invites, org
from bot.services.roster import import_roster, read_roster
from handlers import ROUTES

ROSTER = """Mã NV,Họ tên,Đơn vị,Vai trò,SĐT
AD1,Quản Trị Viên,Sở A/Văn phòng,Quản trị,0900000001
QL1,Trưởng Phòng Một,Sở A/Phòng 1,Quản lý,
NV1,Nhân Viên Một,Sở A/Phòng 1/Tổ 1,Nhân viên,0900000003
NV2,Nhân Viên Hai,Sở A/Phòng 1,Nhân viên,
QL2,Trưởng Phòng Hai,Sở A/Phòng 2,Quản lý,
NV3,Nhân Viên Ba,Sở A/Phòng 2,Nhân viên,
"""
_event_ids = itertools.count(1)


class Chat:
    """One platform user talking to the bot on one channel."""

    def __init__(self, router: Router, *, user_id: str = "u1", channel: str = "test") -> None:
        self.router = router
        self.user_id = user_id
        self.channel = channel
        self.last: list[Reply] = []
        self.person_id: int | None = None

    def incoming(self, kind: Kind, *, event_id: str | None = None, **fields: object) -> Incoming:
        """An event from this user, with a fresh id unless one is given."""
        return Incoming(
            channel=self.channel,
            event_id=event_id or f"e{next(_event_ids)}",
            user_id=self.user_id,
            chat_id=self.user_id,
            kind=kind,
            received_at=self.router.now(),
            **fields,
        )

    def message(self, text: str, *, event_id: str | None = None) -> Incoming:
        """A typed message: a command when it starts with '/'."""
        command = split_command(text)
        if command:
            return self.incoming(
                Kind.COMMAND, event_id=event_id, text=text, command=command[0], args=command[1]
            )
        return self.incoming(Kind.TEXT, event_id=event_id, text=text)

    async def say(self, text: str, *, event_id: str | None = None) -> str:
        """Send a message; return all reply texts joined."""
        self.last = await self.router.handle(self.message(text, event_id=event_id))
        return "\n".join(reply.text for reply in self.last)


def make_router(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, routes: list[Route] | None = None
) -> Router:
    """The production router and routes, with a test clock."""
    config = BotConfig(bot_username="atgt_test_bot", invite_ttl_days=14)
    return Router(sessionmaker, routes or ROUTES, config, clock, content=shipped_content())


@functools.cache
def shipped_content() -> Content:
    """The content in content/, loaded once per test run."""
    return load_content()


async def load_roster(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tmp_path: Path,
) -> None:
    """Import the small test organisation."""
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    async with sessionmaker() as session, session.begin():
        await import_roster(session, rows=read_roster(path), now=clock())


async def issue_invite(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    code: str,
    days: int = 14,
) -> str:
    """A fresh invite code for the person with employee code `code`."""
    async with sessionmaker() as session, session.begin():
        person = await org.find_person(session, code=code)
        assert person is not None
        return await invites.create_invite(
            session, person=person, now=clock(), ttl=timedelta(days=days)
        )


async def linked_chat(
    router: Router,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    code: str,
    channel: str = "test",
) -> Chat:
    """A chat already onboarded as the person `code` (user id = the code)."""
    chat = Chat(router, user_id=f"tg-{code}", channel=channel)
    secret = await issue_invite(sessionmaker, clock, code)
    await chat.say(f"/start {secret}")
    chat.person_id = (await get_person(sessionmaker, code)).id
    return chat


async def get_person(sessionmaker: async_sessionmaker[AsyncSession], code: str) -> Person:
    """Reload a person with unit and accounts."""
    async with sessionmaker() as session:
        person = await org.find_person(session, code=code)
        assert person is not None
        return person
