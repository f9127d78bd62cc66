"""Zalo Bot Platform edge: update → Incoming, and Reply → sendMessage calls (httpx).

The Bot API looks like Telegram's but has no buttons, no polls and no files by upload:
quizzes and buttons are sent as numbered lines and a typed number picks one.

ZaloBotError(code, description)   any failed call; `ok:false` inside HTTP 200 included
    408   getUpdates found nothing (the normal idle answer)
    429   the monthly message quota is used up
    0     no answer: network error or timeout
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.channels.delivery import (
    DeliveryError,
    PermanentFailure,
    QuotaExceeded,
    SendResult,
    TemporaryFailure,
)
from bot.channels.numbered import ChoiceMemory, numbered_text
from bot.channels.text import split_text
from bot.core.choices import Choice, offered
from bot.core.messages import Incoming, Kind, Reply, split_command
from bot.core.texts import t
from bot.services import usage
from bot.services.broadcast import READ_PREFIX

log = logging.getLogger(__name__)

CHANNEL = "zalo_bot"
TEXT_LIMIT = 2000
IDLE = 408
QUOTA = 429
EVENTS = ("message.text.received", "message.image.received", "message.sticker.received")
EVENTS += ("message.voice.received", "message.unsupported.received")
Alert = Callable[[str], Awaitable[None]]  # called with the kind of trouble, e.g. "quota"


class ZaloBotError(Exception):
    """A Bot API call failed; `code` is the API's error_code (0: no answer at all)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo Bot error {code}: {description}")
        self.code = code
        self.description = description


class ZaloBotClient:
    """POSTs JSON to `<api_url><token>/<method>` and unwraps `{ok, result}`."""

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
    ) -> None:
        # The token is part of the URL: httpx's own logs are kept at WARNING by the app.
        self._http = httpx.AsyncClient(
            base_url=f"{api_url.rstrip('/')}{token}", timeout=timeout, transport=transport
        )

    async def call(
        self, method: str, body: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """The `result` of one call; raises ZaloBotError."""
        extra = {} if timeout is None else {"timeout": timeout}
        try:
            response = await self._http.post(f"/{method}", json=body or {}, **extra)
        except httpx.HTTPError as exc:  # the message never names the URL, hence the token
            raise ZaloBotError(0, f"{method}: {type(exc).__name__}") from None
        try:
            data = response.json()
        except ValueError:
            status = response.status_code
            raise ZaloBotError(status, f"{method}: HTTP {status}") from None
        if not isinstance(data, dict) or data.get("ok") is not True:
            data = data if isinstance(data, dict) else {}
            code = int(data.get("error_code") or response.status_code)
            raise ZaloBotError(code, f"{method}: {data.get('description') or 'no description'}")
        return data.get("result")

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()


def unwrap(data: dict[str, Any]) -> dict[str, Any]:
    """A webhook body may be the bare update or wrapped in `{ok, result}`."""
    result = data.get("result")
    return result if "event_name" not in data and isinstance(result, dict) else data


def to_incoming(data: dict[str, Any]) -> Incoming | None:
    """The neutral event for an update, or None for what the bot ignores."""
    update = unwrap(data)
    event = str(update.get("event_name") or "")
    message = update.get("message") if isinstance(update.get("message"), dict) else {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    message_id, user_id = message.get("message_id"), sender.get("id")
    if event not in EVENTS or not message_id or not user_id or sender.get("is_bot"):
        return None
    text = str(message.get("text") or message.get("caption") or "")
    fields: dict[str, Any] = {"kind": Kind.TEXT, "text": text}
    if command := split_command(text):
        fields |= {"kind": Kind.COMMAND, "command": command[0], "args": command[1]}
    return Incoming(
        channel=CHANNEL,
        # No update id on this platform: the event name and message id identify a delivery.
        event_id=f"{event}:{message_id}",
        user_id=str(user_id),
        chat_id=str(chat.get("id") or user_id),
        received_at=datetime.now(UTC),
        display_name=str(sender.get("display_name") or ""),
        group=str(chat.get("chat_type") or "PRIVATE").upper() != "PRIVATE",
        **fields,
    )


@dataclass(frozen=True, slots=True)
class TextPart:
    """One sendMessage call; the last part of a reply carries the options it offers."""

    text: str
    choices: tuple[Choice, ...] = ()


def _read_by_reply(reply: Reply) -> Reply:
    """No 'Đã đọc' option: a tap would cost two messages of the quota, any reply counts."""
    rows = tuple(
        kept
        for row in reply.buttons
        if (kept := tuple(b for b in row if not b.data.startswith(f"{READ_PREFIX}:")))
    )
    if len(rows) == len(reply.buttons) and all(
        len(a) == len(b) for a, b in zip(rows, reply.buttons, strict=True)
    ):
        return reply
    return replace(reply, text=f"{reply.text}\n{t('zalo.read_by_reply')}", buttons=rows)


def delivery_error(exc: ZaloBotError) -> DeliveryError:
    """What the sender should do about a failed send."""
    if exc.code in (400, 404):
        return PermanentFailure(str(exc))
    if exc.code == 401:
        log.error("zalo_bot: the token was refused (401); messages stay queued until it is fixed")
    return TemporaryFailure(str(exc))  # 401, 403 ("server error"), 5xx, network


class ZaloBotTransport:
    """Sends parts through a ZaloBotClient; remembers the numbered options of each chat."""

    channel = CHANNEL

    def __init__(
        self,
        client: ZaloBotClient,
        memory: ChoiceMemory,
        *,
        quota_pause: float = 3600.0,
        on_alert: Alert | None = None,
    ) -> None:
        self._client = client
        self._memory = memory
        self._quota_pause = quota_pause
        self._on_alert = on_alert
        self.meter: usage.Meter | None = None  # counts sent messages when set

    def is_group(self, chat_id: str) -> bool:
        return False  # group chats are a beta feature the bot does not join

    def is_message(self, part: Any) -> bool:
        return True

    def parts(self, reply: Reply) -> list[Any]:
        """Text chunks of ≤ 2000 characters; the last one carries the reply's options."""
        if reply.extra.get("edit_message_id"):
            return []  # no editing on Zalo: a progress line would be a new message each time
        reply = _read_by_reply(reply)
        chunks = split_text(numbered_text(reply, hint=t("zalo.pick_hint")), TEXT_LIMIT)
        if not chunks:
            return []
        parts: list[Any] = [TextPart(chunk) for chunk in chunks]
        parts[-1] = TextPart(chunks[-1], tuple(offered(reply)))
        return parts

    async def send_part(self, chat_id: str, part: Any) -> SendResult:
        # Stored first: the person may answer "1" before sendMessage returns.
        if part.choices:
            await self._memory.offer(chat_id, list(part.choices))
        try:
            result = await self._client.call("sendMessage", {"chat_id": chat_id, "text": part.text})
        except ZaloBotError as exc:
            if part.choices:
                await self._memory.withdraw(chat_id, list(part.choices))
            if exc.code == QUOTA:
                await self._quota_exceeded()
                raise QuotaExceeded(self._quota_pause) from exc
            raise delivery_error(exc) from exc
        if self.meter is not None:
            await self.meter.add(usage.SENT)
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return SendResult(str(message_id) if message_id else None)

    async def _quota_exceeded(self) -> None:
        log.error(
            "zalo_bot: message quota exceeded (429); all Zalo Bot sends pause %.0fs. "
            "Messages stay queued; consider a bigger plan or moving people to Telegram",
            self._quota_pause,
        )
        if self._on_alert is not None:
            try:
                await self._on_alert("quota")
            except Exception:
                log.exception("zalo_bot: could not tell the admins about the quota")
