"""The neutral message model: what channels turn platform updates into, and render from."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What an incoming event is."""

    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    POLL_ANSWER = "poll_answer"
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One inbound event from any channel, free of platform types."""

    channel: str
    event_id: str
    user_id: str
    chat_id: str
    kind: Kind
    received_at: datetime
    text: str = ""
    command: str = ""
    args: str = ""
    payload: str = ""
    poll_id: str = ""
    option_ids: tuple[int, ...] = ()
    display_name: str = ""
    attachment: Attachment | None = None
    # Sent in a group chat: replies there are read by everyone in it.
    group: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """A button; `data` comes back as an Incoming BUTTON payload (keep it short: 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Quiz:
    """A quiz question with exactly one correct option."""

    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str = ""
    ref: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send: an image or a document."""

    filename: str
    data: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One outbound message: plain text (channels escape it), plus optional extras."""

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    quiz: Quiz | None = None
    image: Attachment | None = None
    document: Attachment | None = None
    # (command, description) pairs: channels with a command menu show these for this chat.
    menu: tuple[tuple[str, str], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def flat_buttons(self) -> list[Button]:
        """Buttons in reading order, as numbered text channels present them."""
        return [button for row in self.buttons for button in row]


def split_command(text: str) -> tuple[str, str] | None:
    """`/Start@MyBot CODE` -> ("start", "CODE"); None when the text is not a command."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, args = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not name.replace("_", "").isalnum():
        return None
    return name, args.strip()


def addressed_elsewhere(text: str, bot_username: str | None) -> bool:
    """Is `/cmd@SomeBot …` meant for another bot (a group with several bots)?

    Usernames compare without case; without our own username nothing can be told apart.
    """
    if not bot_username or split_command(text) is None:
        return False
    head = text.strip()[1:].split(maxsplit=1)[0]
    _, at, target = head.partition("@")
    return bool(at) and target.lower() != bot_username.lstrip("@").lower()


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A JSON-safe form of a Reply, for the outbox (attachments as base64)."""
    data = asdict(reply)
    for key in ("image", "document"):
        attachment = getattr(reply, key)
        data[key] = attachment_to_dict(attachment) if attachment else None
    return data


def attachment_to_dict(attachment: Attachment) -> dict[str, Any]:
    """A JSON-safe attachment (base64 data)."""
    return {
        "filename": attachment.filename,
        "data": base64.b64encode(attachment.data).decode("ascii"),
        "caption": attachment.caption,
    }


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """Inverse of reply_to_dict."""
    quiz = data.get("quiz")
    return Reply(
        text=data.get("text", ""),
        buttons=tuple(tuple(Button(**b) for b in row) for row in data.get("buttons", ())),
        quiz=Quiz(**{**quiz, "options": tuple(quiz["options"])}) if quiz else None,
        image=attachment_from_dict(data.get("image")),
        document=attachment_from_dict(data.get("document")),
        menu=tuple(tuple(item) for item in data.get("menu", ())),
        extra=dict(data.get("extra", {})),
    )


def attachment_from_dict(data: dict[str, Any] | None) -> Attachment | None:
    """Inverse of attachment_to_dict."""
    if data is None:
        return None
    return Attachment(data["filename"], base64.b64decode(data["data"]), data.get("caption", ""))
