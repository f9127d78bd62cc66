"""Numbered options for chats without buttons: what a typed "2" stands for, kept per chat.

A channel that renders buttons or quiz options as numbered lines records them just before
the message is sent (an answer may arrive before the send returns); a later plain number
from that chat is turned back into the button press or quiz answer it stands for. Only the
last offer counts, and it expires.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ids import parse_int
from bot.core.messages import Incoming, Kind, Reply
from bot.db.models import PendingChoice

# Long enough to answer a reminder next week, short enough that "2" later is just text.
CHOICE_TTL = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Choice:
    """One numbered option: a button's data, or one option of a quiz (its ref and index)."""

    kind: Kind
    payload: str = ""
    option: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the database."""
        return {"kind": self.kind.value, "payload": self.payload, "option": self.option}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Choice:
        """Inverse of to_dict."""
        return cls(Kind(data["kind"]), str(data.get("payload", "")), int(data.get("option", 0)))

    def apply(self, incoming: Incoming) -> Incoming:
        """The event this option stands for, from the user's message."""
        if self.kind == Kind.POLL_ANSWER:
            return replace(
                incoming,
                kind=Kind.POLL_ANSWER,
                text="",
                poll_id=self.payload,
                payload=self.payload,
                option_ids=(self.option,),
            )
        return replace(incoming, kind=Kind.BUTTON, text="", payload=self.payload)


def offered(reply: Reply) -> list[Choice]:
    """The reply's options in display order: quiz options first, then buttons."""
    choices = []
    if reply.quiz is not None:
        choices += [
            Choice(Kind.POLL_ANSWER, reply.quiz.ref, index)
            for index in range(len(reply.quiz.options))
        ]
    choices += [Choice(Kind.BUTTON, button.data) for button in reply.flat_buttons]
    return choices


def picked_number(text: str) -> int | None:
    """The number a message consists of ("2", " 2 ", "2."), or None."""
    return parse_int(text.strip().rstrip(".)"), maximum=999)


async def remember(
    session: AsyncSession, *, channel: str, chat_id: str, choices: list[Choice], now: datetime
) -> None:
    """Replace the chat's offer with `choices`."""
    values = {
        "channel": channel,
        "chat_id": chat_id,
        "choices": [c.to_dict() for c in choices],
        "offered_at": now,
    }
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(PendingChoice).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["channel", "chat_id"],
        set_={"choices": statement.excluded.choices, "offered_at": statement.excluded.offered_at},
    )
    await session.execute(statement)


async def forget(
    session: AsyncSession, *, channel: str, chat_id: str, choices: list[Choice]
) -> None:
    """Drop the chat's offer if it is still `choices` (a newer offer stays)."""
    query = select(PendingChoice).where(
        PendingChoice.channel == channel, PendingChoice.chat_id == chat_id
    )
    row = (await session.execute(query)).scalar_one_or_none()
    if row is not None and row.choices == [c.to_dict() for c in choices]:
        await session.delete(row)


async def recall(
    session: AsyncSession, *, channel: str, chat_id: str, number: int, now: datetime
) -> Choice | None:
    """The option numbered `number` (from 1) of the chat's last, unexpired offer."""
    query = select(PendingChoice).where(
        PendingChoice.channel == channel, PendingChoice.chat_id == chat_id
    )
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None or row.offered_at < now - CHOICE_TTL or not 1 <= number <= len(row.choices):
        return None
    return Choice.from_dict(row.choices[number - 1])
