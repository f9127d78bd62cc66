"""A test channel: dialogs with the real router, as Zulip's bot test library does."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, load_content
from bot.core.messages import Incoming, Kind, Quiz, Reply, split_command
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


@dataclass(frozen=True, slots=True)
class Press:
    """In a dialog table: the person presses the button with this payload."""

    payload: str


@dataclass(frozen=True, slots=True)
class Vote:
    """In a dialog table: an answer to the last quiz shown, by option or right/wrong."""

    option: int | None = None
    right: bool = True

    def choose(self, quiz: Quiz) -> int:
        """The option index this vote picks on `quiz`."""
        if self.option is not None:
            return self.option
        return quiz.correct if self.right else (quiz.correct + 1) % len(quiz.options)


RIGHT, WRONG = Vote(right=True), Vote(right=False)
# What a dialog line expects: the exact reply text, or a check of the chat after the reply.
Expected = str | Callable[["Chat"], bool]
Said = str | Press | Vote


class contains:  # lower case: it reads as a phrase in dialog tables
    """Expect a reply text holding every one of `parts`."""

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    def __call__(self, chat: Chat) -> bool:
        return all(part in chat.text for part in self.parts)

    def __repr__(self) -> str:
        return f"contains{self.parts!r}"


def asks_quiz(chat: Chat) -> bool:
    """Expect a quiz question among the replies."""
    return any(reply.quiz is not None for reply in chat.last)


class Chat:
    """One platform user talking to the bot on one channel."""

    def __init__(self, router: Router, *, user_id: str = "u1", channel: str = "test") -> None:
        self.router = router
        self.user_id = user_id
        self.channel = channel
        self.last: list[Reply] = []
        self.person_id: int | None = None
        self.quiz: Quiz | None = None  # the last quiz shown in this chat

    @property
    def text(self) -> str:
        """The texts of the last replies, joined."""
        return "\n".join(reply.text for reply in self.last)

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
        return await self.send(self.message(text, event_id=event_id))

    async def send(self, incoming: Incoming) -> str:
        """Hand any event to the router; return all reply texts joined."""
        self.last = await self.router.handle(incoming)
        self.quiz = next((r.quiz for r in self.last if r.quiz), self.quiz)
        return self.text

    async def act(self, said: Said) -> str:
        """One line's action of a dialog table: a message, a button or a quiz answer."""
        if isinstance(said, Press):
            return await self.send(self.incoming(Kind.BUTTON, payload=said.payload))
        if isinstance(said, Vote):
            assert self.quiz is not None, "a Vote needs a quiz shown before it"
            ref = self.quiz.ref
            option = said.choose(self.quiz)
            incoming = self.incoming(
                Kind.POLL_ANSWER, poll_id=ref, payload=ref, option_ids=(option,)
            )
            return await self.send(incoming)
        return await self.say(said)

    async def dialog(self, table: Sequence[tuple[Said, Expected]]) -> None:
        """Play `[(said, expected), …]` in order; a mismatch names the line and shows all so far."""
        transcript: list[str] = []
        for number, (said, expected) in enumerate(table, start=1):
            got = await self.act(said)
            transcript.append(f"{number}. {said!r}\n   → {got!r}")
            ok = got == expected if isinstance(expected, str) else expected(self)
            if not ok:
                shown = getattr(expected, "__name__", None) or repr(expected)
                raise AssertionError(
                    f"dialog line {number}: {said!r} expected {shown}, got {got!r}\n"
                    + "\n".join(transcript)
                )


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
