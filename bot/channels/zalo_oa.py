"""Zalo Official Account (API v3) edge: webhook event → Incoming, Reply → CS messages.

Replies are customer-service messages: text of ≤ 2000 characters with up to five
buttons titled "1"…"5" (each option's full text is numbered in the body: no limit on
titles is documented, so nothing is cut). A button is `oa.query.hide`: a tap comes back
as a `user_send_text` event whose text is the button's payload, which we mark with a
prefix to recognise it.
Options are also numbered in the text, so typing "2" works as on the Zalo Bot.

An OA may write to a person only within 7 days of their last interaction; the
transport refuses earlier than the API (OutsideWindow) and says so in the outbox row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.delivery import (
    Deferred,
    DeliveryError,
    OutsideWindow,
    QuotaExceeded,
    SendResult,
    TemporaryFailure,
)
from bot.channels.numbered import ChoiceMemory, numbered_text
from bot.channels.text import split_text
from bot.channels.zalo_oa_api import TOKEN_ERRORS, ZaloOaClient, ZaloOaError, delivery_error
from bot.channels.zalo_oa_templates import TEMPLATE_PATH, Templates, template_data
from bot.channels.zalo_oa_token import TokenError, TokenRefused
from bot.core import outbox
from bot.core.choices import Choice, offered
from bot.core.ids import parse_int
from bot.core.messages import Incoming, Kind, Reply, split_command
from bot.core.texts import t
from bot.db.models import ChannelAccount
from bot.services import usage
from bot.services.notify import window_open

log = logging.getLogger(__name__)

CHANNEL = "zalo_oa"
CS_PATH = "/v3.0/oa/message/cs"
TEXT_LIMIT = 2000
MAX_BUTTONS = 5
PAYLOAD_PREFIX = "#atgt:"
Alert = Callable[[str], Awaitable[None]]  # called with the kind of trouble: "quota", "token"


class TemplateBudgetSpent(OutsideWindow):
    """Outside the window, and this month's template budget is spent: skipped."""


def encode_choice(choice: Choice) -> str:
    """The hidden payload of a button: comes back as the text of a user_send_text event."""
    if choice.kind == Kind.POLL_ANSWER:
        return f"{PAYLOAD_PREFIX}q:{choice.option}:{choice.payload}"
    return f"{PAYLOAD_PREFIX}b:{choice.payload}"


def decode_choice(text: str) -> Choice | None:
    """Inverse of encode_choice; None for ordinary text."""
    if not text.startswith(PAYLOAD_PREFIX):
        return None
    kind, _, rest = text[len(PAYLOAD_PREFIX) :].partition(":")
    if kind == "b" and rest:
        return Choice(Kind.BUTTON, rest)
    option, _, ref = rest.partition(":")
    number = parse_int(option)
    if kind == "q" and number is not None and ref:
        return Choice(Kind.POLL_ANSWER, ref, number)
    return None


def _id(value: object) -> str:
    """An id from `{id: ...}`; ids exceed 2^53, so they stay strings."""
    return str(value.get("id") or "") if isinstance(value, dict) else ""


def to_incoming(body: dict[str, Any]) -> Incoming | None:
    """The neutral event for a webhook body, or None for what the bot ignores."""
    event, stamp = str(body.get("event_name") or ""), str(body.get("timestamp") or "")
    if event in ("follow", "unfollow"):
        user = _id(body.get("follower")) or _id(body.get("sender"))
        kind = Kind.UNBLOCKED if event == "follow" else Kind.BLOCKED
        return _incoming(user, f"{event}:{user}:{stamp}", kind=kind) if user else None
    if not event.startswith("user_send_") or "group" in event:
        return None
    user = _id(body.get("sender"))
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    if not user:
        return None
    # Zalo retries a webhook until it gets 200: msg_id identifies the message.
    event_id = str(message.get("msg_id") or f"{event}:{user}:{stamp}")
    text = str(message.get("text") or "")
    incoming = _incoming(user, event_id, kind=Kind.TEXT, text=text)
    if event == "user_send_text" and (choice := decode_choice(text)):
        return choice.apply(incoming)
    if command := split_command(text):
        return _incoming(
            user, event_id, kind=Kind.COMMAND, text=text, command=command[0], args=command[1]
        )
    return incoming


def _incoming(user: str, event_id: str, **fields: Any) -> Incoming:
    return Incoming(
        channel=CHANNEL,
        event_id=event_id,
        user_id=user,
        chat_id=user,
        received_at=datetime.now(UTC),
        **fields,
    )


@dataclass(frozen=True, slots=True)
class CsPart:
    """One CS message; the last part of a reply carries its options and buttons.

    `template` is the message kind when a ZBS template may replace the reply outside
    the window; the last part then sends `summary` (the whole reply) as that template.
    """

    text: str
    choices: tuple[Choice, ...] = ()
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload)
    template: str = ""
    summary: str = ""
    last: bool = True


def _title(number: int) -> str:
    """A button's title: its number. No title limit is documented (shared reference, §2),
    so the option text stays whole in the message body and the button only names it."""
    return str(number)


class ZaloOaTransport:
    """Sends CS messages; refuses people outside the 7-day window before calling the API."""

    channel = CHANNEL

    def __init__(
        self,
        client: ZaloOaClient,
        memory: ChoiceMemory,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime],
        quota_pause: float = 3600.0,
        on_alert: Alert | None = None,
        templates: Templates | None = None,
    ) -> None:
        self._templates = templates
        self.meter: usage.Meter | None = None  # counts CS messages sent when set
        # Told (month, used, budget) at 80% of the template budget, once a month.
        self.on_budget: Callable[[str, int, int], Awaitable[None]] | None = None
        self._budget_warned: set[str] = set()
        self._client = client
        self._memory = memory
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._quota_pause = quota_pause
        self._on_alert = on_alert

    def is_group(self, chat_id: str) -> bool:
        return False

    def is_message(self, part: Any) -> bool:
        return True

    def parts(self, reply: Reply) -> list[Any]:
        """Text chunks; the last carries the options, as buttons when there are ≤ 5."""
        if reply.extra.get("edit_message_id"):
            return []  # no editing on Zalo: a progress line would be a new message each time
        choices = offered(reply)
        tap = 0 < len(choices) <= MAX_BUTTONS
        hint = t("zalo.tap_hint" if tap else "zalo.pick_hint")
        chunks = split_text(numbered_text(reply, hint=hint), TEXT_LIMIT)
        if not chunks:
            return []
        buttons = tuple(
            (_title(number), encode_choice(choice)) for number, choice in enumerate(choices, 1)
        )
        kind = reply.extra.get("template", "")
        summary = "\n".join(filter(None, [reply.text, reply.quiz and reply.quiz.question]))
        parts: list[Any] = [
            CsPart(chunk, template=kind, summary=summary, last=False) for chunk in chunks
        ]
        parts[-1] = CsPart(
            chunks[-1], tuple(choices), buttons if tap else (), kind, summary, last=True
        )
        return parts

    async def send_part(self, chat_id: str, part: Any) -> SendResult:
        fallback = bool(self._templates and part.template in self._templates.ids)
        try:
            await self._check_window(chat_id)
        except OutsideWindow as exc:
            if not fallback:
                raise
            return await self._send_template(chat_id, part, exc)
        try:
            return await self._send_cs(chat_id, part)
        except OutsideWindow as exc:
            if not fallback:
                raise
            # Zalo knows the window is shut: remember it, and use the template instead.
            async with self._sessionmaker() as session, session.begin():
                await outbox.mark_window_closed(
                    session, channel=CHANNEL, chat_id=chat_id, now=self._clock()
                )
            return await self._send_template(chat_id, part, exc)

    async def _send_template(self, chat_id: str, part: Any, why: OutsideWindow) -> SendResult:
        """Outside the window: the reply's last part goes as the kind's ZBS template."""
        assert self._templates is not None
        if not part.last:
            return SendResult()  # the template carries the whole reply once
        now, templates = self._clock(), self._templates
        if until := templates.night_until(now):
            raise Deferred(until, "ZBS templates are not sent at night (Zalo error -234)")
        month = usage.month_of(now, templates.tz)
        async with self._sessionmaker() as session, session.begin():
            reserved = await usage.reserve(
                session, channel=CHANNEL, month=month, kind=usage.TEMPLATE, limit=templates.budget
            )
        if not reserved:
            raise TemplateBudgetSpent(
                f"{why}; the ZBS template budget ({templates.budget} a month) is spent, "
                "so it was not sent as a template either"
            )
        body = {
            "user_id": chat_id,
            "template_id": templates.ids[part.template],
            "template_data": template_data(part.summary, now, templates.tz),
        }
        try:
            data = await self._client.call(TEMPLATE_PATH, body)
        except (TokenError, ZaloOaError) as exc:
            async with self._sessionmaker() as session, session.begin():
                await usage.add(session, channel=CHANNEL, month=month, kind=usage.TEMPLATE, n=-1)
            if isinstance(exc, TokenError):
                await self._token_trouble(exc)
                raise TemporaryFailure(f"no Zalo OA access token: {exc}") from exc
            if exc.code == -234:
                until = templates.night_until(now) or now + timedelta(hours=1)
                raise Deferred(until, str(exc)) from exc
            raise await self._failure(exc) from exc
        log.info("zalo_oa: %s sent as ZBS template %s", part.template, body["template_id"])
        await self._budget_check(month)
        message_id = data.get("message_id") or data.get("msg_id")
        return SendResult(str(message_id) if message_id else None)

    async def _budget_check(self, month: str) -> None:
        """At 80% of the month's template budget, the admins are told (once a month)."""
        assert self._templates is not None
        budget = self._templates.budget
        if self.on_budget is None or month in self._budget_warned:
            return
        async with self._sessionmaker() as session:
            used = await usage.count(session, channel=CHANNEL, month=month, kind=usage.TEMPLATE)
        if used >= usage.WARN_AT * budget:
            self._budget_warned.add(month)
            try:
                await self.on_budget(month, used, budget)
            except Exception:
                log.exception("zalo_oa: could not warn the admins about the template budget")

    async def _send_cs(self, chat_id: str, part: Any) -> SendResult:
        message: dict[str, Any] = {"text": part.text}
        if part.buttons:
            buttons = [
                {"title": title, "type": "oa.query.hide", "payload": payload}
                for title, payload in part.buttons
            ]
            message["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
        body = {"recipient": {"user_id": chat_id}, "message": message}
        # Stored first: a tap or a typed "1" may arrive before the call returns.
        if part.choices:
            await self._memory.offer(chat_id, list(part.choices))
        try:
            data = await self._client.call(CS_PATH, body)
        except (TokenError, ZaloOaError) as exc:
            if part.choices:
                await self._memory.withdraw(chat_id, list(part.choices))
            if isinstance(exc, ZaloOaError):
                raise await self._failure(exc) from exc
            await self._token_trouble(exc)
            raise TemporaryFailure(f"no Zalo OA access token: {exc}") from exc
        if self.meter is not None:
            await self.meter.add(usage.SENT)
        return SendResult(str(data["message_id"]) if data.get("message_id") else None)

    async def _check_window(self, chat_id: str) -> None:
        """A linked person who has not written for 7 days cannot be messaged: say so."""
        query = select(
            ChannelAccount.last_interaction_at,
            ChannelAccount.linked_at,
            ChannelAccount.window_closed_at,
        ).where(ChannelAccount.channel == CHANNEL, ChannelAccount.chat_id == chat_id)
        async with self._sessionmaker() as session:
            row = (await session.execute(query)).first()
        seen = (row[0] or row[1]) if row else None
        if seen is not None and not window_open(CHANNEL, seen, self._clock(), row[2]):
            raise OutsideWindow(
                f"outside the Zalo OA 7-day window: last interaction {seen:%Y-%m-%d %H:%M} UTC; "
                "the person must write to the OA before it can message them"
            )

    async def _failure(self, exc: ZaloOaError) -> DeliveryError:
        if exc.code == -211:
            log.error("zalo_oa: %s; all OA sends pause %.0fs", exc, self._quota_pause)
            await self._alert("quota")
            return QuotaExceeded(self._quota_pause)
        if exc.code in (-221, -224, -240, *TOKEN_ERRORS):
            log.error("zalo_oa: %s", exc)
        return delivery_error(exc)

    async def _token_trouble(self, exc: TokenError) -> None:
        if isinstance(exc, TokenRefused):
            log.error("zalo_oa: %s; an OA admin must grant the app access again", exc)
            await self._alert("token")
        else:
            log.warning("zalo_oa: %s", exc)

    async def _alert(self, kind: str) -> None:
        if self._on_alert is not None:
            try:
                await self._on_alert(kind)
            except Exception:
                log.exception("zalo_oa: could not tell the admins (%s)", kind)
