"""The web channel's message side: its transport, the page's view of a reply, and events.

Replies to web accounts go through the outbox like every push channel. Delivering one
means it joins the person's thread: the transport has nothing to call, and the sender
marks the row sent; the page reads the sent rows of its chat.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.channels.delivery import SendResult
from bot.channels.web_push import WebPush
from bot.core.messages import Incoming, Kind, Reply, reply_from_dict, split_command
from bot.core.texts import t
from bot.db.models import Outbox
from bot.services import web_sessions

CHANNEL = web_sessions.CHANNEL
MAX_TEXT = 2000
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(slots=True)
class WebPart:
    """One reply on its way into a thread, and the push subscriptions already notified."""

    reply: Reply
    pushed: set[int] = field(default_factory=set)


class WebTransport:
    """Delivery into the thread is the row's 'sent' mark; with Web Push on, a notification."""

    channel = CHANNEL

    def __init__(self, push: WebPush | None = None) -> None:
        self._push = push

    def parts(self, reply: Reply) -> list[WebPart]:
        return [WebPart(reply)]

    async def send_part(self, chat_id: str, part: WebPart) -> SendResult:
        if self._push is not None:
            # A 429 raises RetryAfter; the sender retries this part, skipping `pushed`.
            await self._push.notify(chat_id, part.reply, part.pushed)
        return SendResult()

    def is_group(self, chat_id: str) -> bool:
        return False

    def is_message(self, part: WebPart) -> bool:
        # Without push there is no platform to flood: the thread takes rows as fast as the
        # sender claims them. With push, the push services' rate limits pace the sender.
        return self._push is not None


def view(row: Outbox, tz: ZoneInfo) -> dict[str, Any]:
    """What the page shows of one delivered row; the quiz's answer stays on the server."""
    reply = reply_from_dict(row.payload)
    shown_at = (row.sent_at or row.created_at).astimezone(tz)
    data: dict[str, Any] = {
        "id": row.id,
        "at": shown_at.strftime("%H:%M %d/%m"),
        "text": reply.text,
        "buttons": [[{"label": b.label, "data": b.data} for b in line] for line in reply.buttons],
        "quiz": None,
        "files": [],
    }
    if reply.quiz is not None:
        data["quiz"] = {"question": reply.quiz.question, "options": list(reply.quiz.options)}
    for kind in ("image", "document"):
        attachment = getattr(reply, kind)
        if attachment is not None:
            data["files"].append(
                {
                    "kind": kind,
                    "name": attachment.filename,
                    "caption": attachment.caption,
                    "label": t("web.file", filename=attachment.filename),
                    "url": f"/api/file/{row.id}/{kind}",
                }
            )
    return data


def event_id(session_id: int, client_id: object) -> str:
    """The router's de-duplication key: a retried send from the page counts once."""
    if isinstance(client_id, str) and _CLIENT_ID.fullmatch(client_id):
        return f"s{session_id}.{client_id}"
    return f"s{session_id}.{uuid.uuid4().hex}"


def text_event(base: dict[str, Any], text: str) -> Incoming:
    """Typed text: a command when it starts with '/', else a message (a question)."""
    command = split_command(text)
    if command:
        return Incoming(**base, kind=Kind.COMMAND, text=text, command=command[0], args=command[1])
    return Incoming(**base, kind=Kind.TEXT, text=text)


def choice_event(
    base: dict[str, Any], row: Outbox, data: object, option: object
) -> Incoming | None:
    """A button or quiz option of a delivered row; None unless that row offered it."""
    reply = reply_from_dict(row.payload)
    if isinstance(option, int) and not isinstance(option, bool):
        if reply.quiz is None or not 0 <= option < len(reply.quiz.options):
            return None
        ref = reply.quiz.ref
        return Incoming(
            **base, kind=Kind.POLL_ANSWER, payload=ref, poll_id=ref, option_ids=(option,)
        )
    if isinstance(data, str) and any(b.data == data for b in reply.flat_buttons):
        return Incoming(**base, kind=Kind.BUTTON, payload=data)
    return None


def base_event(*, event: str, user_id: str, chat_id: str, now: datetime) -> dict[str, Any]:
    """The fields every web Incoming shares."""
    return {
        "channel": CHANNEL,
        "event_id": event,
        "user_id": user_id,
        "chat_id": chat_id,
        "received_at": now,
    }
