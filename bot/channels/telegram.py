"""Telegram edge: Update → Incoming, and Reply → Bot API calls (python-telegram-bot)."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram import error as tg
from telegram.constants import ParseMode, PollType

from bot.channels.delivery import (
    ChatMoved,
    PermanentFailure,
    RecipientBlocked,
    RetryAfter,
    SendResult,
    TemporaryFailure,
)
from bot.channels.text import split_text
from bot.core.messages import (
    Attachment,
    Incoming,
    Kind,
    Quiz,
    Reply,
    addressed_elsewhere,
    split_command,
)

# Opt in to PTB's future behaviour (retry_after as timedelta) and silence its deprecation.
os.environ.setdefault("PTB_TIMEDELTA", "1")

CHANNEL = "telegram"
TEXT_LIMIT = 4000  # below Telegram's 4096, leaving room for nothing to go wrong
CALLBACK_LIMIT = 64
EXPLANATION_LIMIT = 200
CAPTION_LIMIT = 1024


def to_incoming(update: Update, bot_username: str | None = None) -> Incoming | None:
    """The neutral event for an update, or None for kinds the bot ignores.

    `bot_username` (ours, from getMe) lets a `/cmd@OtherBot` in a group be ignored.
    """
    base = {"channel": CHANNEL, "event_id": str(update.update_id)}
    if update.callback_query and update.callback_query.from_user:
        query = update.callback_query
        chat = query.message.chat.id if query.message else query.from_user.id
        return _incoming(base, query.from_user, chat, Kind.BUTTON, payload=query.data or "")
    if update.poll_answer and update.poll_answer.user:
        answer = update.poll_answer
        return _incoming(
            base,
            answer.user,
            answer.user.id,
            Kind.POLL_ANSWER,
            poll_id=answer.poll_id,
            option_ids=tuple(answer.option_ids),
        )
    if update.my_chat_member and update.my_chat_member.chat.type == "private":
        member = update.my_chat_member
        status = member.new_chat_member.status
        kind = Kind.BLOCKED if status in ("kicked", "left") else Kind.UNBLOCKED
        return _incoming(base, member.from_user, member.chat.id, kind)
    message = update.message
    if message is None or message.from_user is None:
        return None
    text = message.text or message.caption or ""
    if addressed_elsewhere(text, bot_username):
        return None
    command = split_command(text)
    if command:
        return _incoming(
            base,
            message.from_user,
            message.chat.id,
            Kind.COMMAND,
            text=text,
            command=command[0],
            args=command[1],
            group=message.chat.type != "private",
        )
    return _incoming(
        base,
        message.from_user,
        message.chat.id,
        Kind.TEXT,
        text=text,
        group=message.chat.type != "private",
    )


def _incoming(base: dict[str, str], user: Any, chat_id: int, kind: Kind, **fields: Any) -> Incoming:
    return Incoming(
        **base,
        user_id=str(user.id),
        chat_id=str(chat_id),
        kind=kind,
        received_at=datetime.now(UTC),
        display_name=user.full_name or "",
        **fields,
    )


@dataclass(frozen=True, slots=True)
class TextPart:
    """One sendMessage call."""

    html: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class EditPart:
    """One editMessageText call (a live progress line)."""

    message_id: int
    html: str


@dataclass(frozen=True, slots=True)
class PollPart:
    """One sendPoll call (a quiz)."""

    quiz: Quiz


@dataclass(frozen=True, slots=True)
class FilePart:
    """One sendPhoto or sendDocument call."""

    attachment: Attachment
    photo: bool


@dataclass(frozen=True, slots=True)
class MenuPart:
    """One setMyCommands call for this chat."""

    commands: tuple[tuple[str, str], ...]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for the reply's buttons; oversized callback data is a programming error."""
    if not reply.buttons:
        return None
    for button in reply.flat_buttons:
        if not 1 <= len(button.data.encode()) <= CALLBACK_LIMIT:
            raise PermanentFailure(f"callback data of {len(button.data.encode())} bytes")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


class TelegramTransport:
    """Sends parts through a python-telegram-bot Bot and maps its errors."""

    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    def is_message(self, part: Any) -> bool:
        """Setting the command menu is not a chat message: no per-chat pacing."""
        return not isinstance(part, MenuPart)

    def parts(self, reply: Reply) -> list[Any]:
        """Text chunks (buttons on the last), then the quiz, files and the command menu."""
        edit_of = reply.extra.get("edit_message_id")
        if edit_of:
            return [
                EditPart(
                    int(edit_of), html.escape(split_text(reply.text, TEXT_LIMIT)[0], quote=False)
                )
            ]
        parts: list[Any] = [
            TextPart(html.escape(chunk, quote=False))
            for chunk in split_text(reply.text, TEXT_LIMIT)
        ]
        markup = keyboard(reply)
        if markup is not None:
            if not parts:
                raise PermanentFailure("buttons without text")
            parts[-1] = TextPart(parts[-1].html, markup)
        if reply.quiz:
            parts.append(PollPart(reply.quiz))
        parts += [FilePart(a, a is reply.image) for a in (reply.image, reply.document) if a]
        if reply.menu:
            parts.append(MenuPart(reply.menu))
        return parts

    async def send_part(self, chat_id: str, part: Any) -> SendResult:
        try:
            return await self._send(int(chat_id), part)
        except tg.RetryAfter as exc:
            raise RetryAfter(_seconds(exc.retry_after)) from exc
        except tg.ChatMigrated as exc:
            raise ChatMoved(str(exc.new_chat_id)) from exc
        except tg.Forbidden as exc:
            raise RecipientBlocked(str(exc)) from exc
        except (tg.BadRequest, tg.InvalidToken, tg.EndPointNotFound) as exc:
            raise PermanentFailure(str(exc)) from exc
        except tg.TelegramError as exc:  # NetworkError, TimedOut, Conflict, 5xx
            raise TemporaryFailure(str(exc)) from exc

    async def _send(self, chat_id: int, part: Any) -> SendResult:
        if isinstance(part, TextPart):
            message = await self._bot.send_message(
                chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=part.markup
            )
            return SendResult(str(message.message_id))
        if isinstance(part, PollPart):
            return await self._send_quiz(chat_id, part.quiz)
        if isinstance(part, EditPart):
            await self._bot.edit_message_text(
                part.html, chat_id=chat_id, message_id=part.message_id, parse_mode=ParseMode.HTML
            )
            return SendResult(str(part.message_id))
        if isinstance(part, FilePart):
            return await self._send_file(chat_id, part)
        await self._bot.set_my_commands(
            [BotCommand(name, description[:256]) for name, description in part.commands],
            scope=BotCommandScopeChat(chat_id),
        )
        return SendResult()

    async def _send_quiz(self, chat_id: int, quiz: Quiz) -> SendResult:
        """A native, non-anonymous quiz poll; a long explanation is left to the answer reply."""
        explanation = quiz.explanation
        fits = len(explanation) <= EXPLANATION_LIMIT and explanation.count("\n") <= 2
        message = await self._bot.send_poll(
            chat_id,
            quiz.question,
            list(quiz.options),
            type=PollType.QUIZ,
            is_anonymous=False,
            correct_option_ids=[quiz.correct],
            explanation=explanation if explanation and fits else None,
        )
        return SendResult(str(message.message_id), message.poll.id if message.poll else None)

    async def _send_file(self, chat_id: int, part: FilePart) -> SendResult:
        file = InputFile(part.attachment.data, filename=part.attachment.filename)
        caption = part.attachment.caption[:CAPTION_LIMIT] or None
        send = self._bot.send_photo if part.photo else self._bot.send_document
        message = await send(chat_id, file, caption=caption)
        return SendResult(str(message.message_id))


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
