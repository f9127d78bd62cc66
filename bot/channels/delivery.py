"""What a channel's transport tells the sender about one send attempt.

DeliveryError
├── RetryAfter          the platform asked us to wait `seconds` (flood control)
│   └── QuotaExceeded   a monthly or daily quota is used up (a long pause; admins are told)
├── RecipientBlocked    the user blocked the bot or left: stop sending to this chat
├── ChatMoved           the chat has a new id (Telegram group → supergroup)
├── Deferred            not allowed now (Zalo's night ban on templates): send at `until`
├── TemporaryFailure    network error, timeout or 5xx: try again later
└── PermanentFailure    the request itself is wrong: retrying will not help
    └── OutsideWindow   the platform lets us write only to people who wrote recently (Zalo OA)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.core.messages import Reply


class DeliveryError(Exception):
    """Base of the send failures a sender handles."""


class RetryAfter(DeliveryError):
    """Flood control: wait this many seconds before any further send."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class RecipientBlocked(DeliveryError):
    """The recipient cannot be reached any more."""


class ChatMoved(DeliveryError):
    """The chat now lives under another id."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Deferred(DeliveryError):
    """This message may not be sent before `until` (other messages may)."""

    def __init__(self, until: datetime, reason: str) -> None:
        super().__init__(f"{reason}; deferred to {until.isoformat(timespec='minutes')}")
        self.until = until


class TemporaryFailure(DeliveryError):
    """Worth retrying with backoff."""


class PermanentFailure(DeliveryError):
    """Not worth retrying."""


class QuotaExceeded(RetryAfter):
    """The platform's message quota is used up: pause this channel for `seconds`."""


class OutsideWindow(PermanentFailure):
    """The recipient has not interacted recently enough to be messaged."""


@dataclass(frozen=True, slots=True)
class SendResult:
    """Platform ids of what one part produced."""

    message_id: str | None = None
    poll_id: str | None = None


class Transport(Protocol):
    """One channel's way of sending: a reply is cut into parts, each one API call."""

    channel: str

    def parts(self, reply: Reply) -> list[Any]:
        """The API calls this reply needs, in order."""
        ...

    async def send_part(self, chat_id: str, part: Any) -> SendResult:
        """Make one call; raise a DeliveryError subclass on failure."""
        ...

    def is_group(self, chat_id: str) -> bool:
        """Group chats have a slower per-chat limit."""
        ...

    def is_message(self, part: Any) -> bool:
        """Does this part count against the rate limits?"""
        ...
