"""The neutral message model: what channels turn platform updates into, and render from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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
