"""Proactive messages: who can be reached, on which account, and when (quiet hours)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import outbox
from bot.core.messages import Reply
from bot.db.models import AccountStatus, ChannelAccount, Person, Unit
from bot.services import usage
from bot.services.org import subtree_filter

# Channels that deliver through the outbox; the console is interactive only.
PUSH_CHANNELS = ("telegram", "zalo_bot", "zalo_oa", "web")
# Channels that may write to a person only for a while after that person's last message.
REPLY_WINDOWS = {"zalo_oa": timedelta(days=7)}


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person and the account we reach them on.

    `template` is the message kind when the channel may send it as a template outside
    its reply window (Zalo OA: ZBS templates); the transport chooses at send time.
    """

    person_id: int
    account_id: int
    channel: str
    chat_id: str
    template: str | None = None


@dataclass(frozen=True, slots=True)
class Fallback:
    """What a channel may still send outside its reply window, and how many a month."""

    kinds: frozenset[str]  # "reminder", "quiz", "checkin", "announcement"
    budget: int
    timezone: str


# Set by the runtime from the settings (Zalo OA's ZBS templates); empty: no fallback.
FALLBACKS: dict[str, Fallback] = {}


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window in which nothing proactive is delivered."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """'21:00-06:30' → QuietHours."""
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        return cls(start, end)

    def release(self, now: datetime, tz: ZoneInfo) -> datetime:
        """`now`, or the end of the quiet window if `now` falls inside it."""
        local = now.astimezone(tz)
        clock, today = local.time(), local.date()
        if self.start <= self.end:  # a daytime window, e.g. 12:00-13:30
            inside = self.start <= clock < self.end
            return datetime.combine(today, self.end, tzinfo=tz) if inside else now
        if clock >= self.start:  # overnight window, evening side
            return datetime.combine(today + timedelta(days=1), self.end, tzinfo=tz)
        if clock < self.end:  # overnight window, morning side
            return datetime.combine(today, self.end, tzinfo=tz)
        return now


def last_seen(account: ChannelAccount) -> datetime:
    """When the person last wrote on this account (linking counts)."""
    return account.last_interaction_at or account.linked_at


def in_window(account: ChannelAccount, now: datetime) -> bool:
    """Can this account be written to now, as far as the channel's reply window goes?"""
    return window_open(account.channel, last_seen(account), now, account.window_closed_at)


def window_open(
    channel: str, seen: datetime, now: datetime, closed: datetime | None = None
) -> bool:
    """Is `channel`'s reply window still open for someone last seen at `seen`?

    `closed` is when the platform itself said the window was shut (it knows better than
    our count of days); the person's next message, after it, opens the window again.
    """
    window = REPLY_WINDOWS.get(channel)
    if window is None:
        return True
    return now - seen <= window and (closed is None or closed <= seen)


# Plain columns, not entities: at 100,000 people entities cost ~100 MB more at peak.
ACCOUNT_COLUMNS = (
    Person.id,
    ChannelAccount.id,
    ChannelAccount.channel,
    ChannelAccount.chat_id,
    ChannelAccount.last_interaction_at,
    ChannelAccount.linked_at,
    ChannelAccount.window_closed_at,
)


async def recipients(
    session: AsyncSession, *, unit: Unit | None, now: datetime, kind: str | None = None
) -> list[Recipient]:
    """Active people (of a unit subtree, or everyone) with their preferred reachable account.

    Accounts outside their channel's reply window (Zalo OA: 7 days) are skipped, unless
    the channel has a template for `kind` and budget left this month (then they come
    after accounts inside a window); `bot.services.reach.unreachable` lists the people
    left without any. Of several accounts, the one the person used last wins.
    """
    templated = {c for c, f in FALLBACKS.items() if kind and kind in f.kinds}
    spare = set()
    for channel in templated:
        fallback = FALLBACKS[channel]
        month = usage.month_of(now, ZoneInfo(fallback.timezone))
        used = await usage.count(session, channel=channel, month=month, kind=usage.TEMPLATE)
        if used < fallback.budget:
            spare.add(channel)
    query = (
        select(*ACCOUNT_COLUMNS)
        .join(Person, ChannelAccount.person_id == Person.id)
        .where(
            Person.active.is_(True),
            ChannelAccount.status == AccountStatus.ACTIVE,
            ChannelAccount.channel.in_(PUSH_CHANNELS),
        )
        .order_by(Person.id)
    )
    if unit is not None:
        query = query.join(Unit, Person.unit_id == Unit.id).where(subtree_filter(unit))
    rows = await session.execute(query)
    return best_accounts(rows, now, kind=kind, templated=templated, spare=spare)


def best_accounts(
    rows: Iterable[Sequence[Any]],
    now: datetime,
    *,
    kind: str | None = None,
    templated: set[str] | frozenset[str] = frozenset(),
    spare: set[str] | frozenset[str] = frozenset(),
) -> list[Recipient]:
    """Per person, of the accounts inside their reply window, the one used last.

    Accounts of `spare` channels count outside their window too, after those inside one;
    on `templated` channels the recipient carries `kind` for a template fallback.
    `rows` are `ACCOUNT_COLUMNS` of active accounts; the result is ordered by person id.
    """
    best: dict[int, tuple[tuple[bool, datetime], Recipient]] = {}
    for person_id, account_id, channel, chat_id, last, linked, closed in rows:
        seen = last or linked
        inside = window_open(channel, seen, now, closed)
        if not inside and channel not in spare:
            continue
        held = best.get(person_id)
        if held is None or (inside, seen) > held[0]:
            template = kind if channel in templated else None
            recipient = Recipient(person_id, account_id, channel, chat_id, template)
            best[person_id] = ((inside, seen), recipient)
    return [recipient for _, (_, recipient) in sorted(best.items())]


async def send(
    session: AsyncSession,
    *,
    to: Recipient,
    replies: Sequence[Reply],
    key: str,
    now: datetime,
    not_before: datetime | None = None,
) -> int:
    """Queue replies for one recipient; `key` makes a repeated call a no-op."""
    if to.template:  # the transport may send it as a template outside the window
        replies = [replace(r, extra={**r.extra, "template": to.template}) for r in replies]
    return await outbox.enqueue(
        session,
        channel=to.channel,
        chat_id=to.chat_id,
        replies=replies,
        now=now,
        key=key,
        account_id=to.account_id,
        not_before=not_before,
    )
