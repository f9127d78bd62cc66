"""Replies as plain text for chats without native buttons or polls: numbered options.

The options a message offers are remembered per chat in the database before it is sent
(bot/core/choices.py), so a typed "2" still means the second option after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core import choices
from bot.core.choices import Choice
from bot.core.messages import Incoming, Kind, Reply
from bot.core.texts import t

log = logging.getLogger(__name__)


def numbered_text(reply: Reply, *, hint: str) -> str:
    """The reply's text, its quiz and buttons as numbered lines, and notes for files."""
    lines = [reply.text] if reply.text else []
    if reply.quiz is not None:
        lines.append(reply.quiz.question)
    labels = option_labels(reply)
    lines += [f"{number}. {label}" for number, label in enumerate(labels, 1)]
    if labels:
        lines.append(hint)
    for attachment in (reply.image, reply.document):
        if attachment is not None:
            lines.append(t("zalo.file_unsupported", filename=attachment.filename))
    return "\n".join(lines)


def option_labels(reply: Reply) -> list[str]:
    """The labels of the reply's options, in the order they are numbered."""
    labels = list(reply.quiz.options) if reply.quiz is not None else []
    return labels + [button.label for button in reply.flat_buttons]


class ChoiceMemory:
    """The numbered offers of one channel's chats, kept in the database."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        channel: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessionmaker = sessionmaker
        self._channel = channel
        self._clock = clock

    async def offer(self, chat_id: str, offered: list[Choice]) -> None:
        """Remember a message's options before it is sent; a failure only costs the shortcut."""
        try:
            async with self._sessionmaker() as session, session.begin():
                await choices.remember(
                    session,
                    channel=self._channel,
                    chat_id=chat_id,
                    choices=offered,
                    now=self._clock(),
                )
        except Exception:
            log.exception("%s: could not remember the options offered", self._channel)

    async def withdraw(self, chat_id: str, offered: list[Choice]) -> None:
        """The message offering `offered` was not delivered: a typed number must not pick them."""
        try:
            async with self._sessionmaker() as session, session.begin():
                await choices.forget(
                    session, channel=self._channel, chat_id=chat_id, choices=offered
                )
        except Exception:
            log.exception("%s: could not withdraw the options offered", self._channel)

    async def resolve(self, incoming: Incoming) -> Incoming:
        """A plain number that picks an offered option becomes that option's event."""
        number = choices.picked_number(incoming.text) if incoming.kind == Kind.TEXT else None
        if number is None:
            return incoming
        async with self._sessionmaker() as session:
            choice = await choices.recall(
                session,
                channel=self._channel,
                chat_id=incoming.chat_id,
                number=number,
                now=self._clock(),
            )
        return incoming if choice is None else choice.apply(incoming)
