"""The router: authenticates, de-duplicates, authorizes and dispatches every Incoming.

It is the single error boundary: a UserError is shown verbatim, anything else is
logged with context and answered with one apology. The event id is recorded in the
same transaction as the handler's effects, so a redelivered update does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from bot.content import Content
from bot.core import outbox
from bot.core.errors import UserError
from bot.core.messages import Incoming, Kind, Reply
from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Person, ProcessedEvent, Role

# How stale `ChannelAccount.last_interaction_at` may get before a message rewrites it.
TOUCH_EVERY = timedelta(minutes=5)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class BotConfig:
    """Settings handlers need, without the secrets."""

    bot_username: str | None = None
    invite_ttl_days: int = 14
    timezone: str = "Asia/Ho_Chi_Minh"
    manager_broadcast: bool = False
    demo: bool = False  # `atgt demo`: the demo's own commands (/as) exist
    quiet_hours: str = "21:00-06:30"  # named in warnings about announcements sent at night
    # The web channel's public base URL; None while that channel is off.
    web_url: str | None = None
    # Rewords a found plan answer: (question, answer, sources) -> text or None; holds its key.
    rephrase: Callable[[str, str, Sequence[str]], Awaitable[str | None]] | None = field(
        default=None, repr=False, compare=False
    )


@dataclass(slots=True)
class Context:
    """Everything a handler may use; handlers return replies and never send."""

    session: AsyncSession
    incoming: Incoming
    now: datetime
    config: BotConfig
    routes: Sequence[Route]
    account: ChannelAccount | None = None
    content: Content | None = None

    @property
    def person(self) -> Person | None:
        """The linked, active person, if any."""
        return self.account.person if self.account else None

    @property
    def me(self) -> Person:
        """The linked person, for routes whose audience is "linked" (the router checked)."""
        if self.account is None:
            raise RuntimeError("route requires a linked person")
        return self.account.person


Handler = Callable[[Context], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Route:
    """One entry of the explicit ROUTES list.

    `name` is the command (without slash) or the button payload prefix before ':'.
    `audience` is "linked" (default), "unlinked" or "any".
    """

    kind: Kind
    name: str
    handler: Handler
    min_role: Role = Role.EMPLOYEE
    audience: str = "linked"
    help_key: str | None = None
    channels: frozenset[str] | None = field(default=None)
    # Who may send a file with this command; None: the command takes no file. Channels
    # ask (Router.may_attach) before downloading anything, so strangers cost nothing.
    file_from: Callable[[Person, BotConfig], bool] | None = field(default=None, compare=False)
    # Whether the route exists for a role under the settings (a feature switched off, the
    # demo); None: always. /help, the menus and the router all ask it.
    when: Callable[[Role, BotConfig], bool] | None = field(default=None, compare=False)

    def admits(self, incoming: Incoming, linked: bool) -> bool:
        """Does this route match the event, the link state and the channel?"""
        if self.channels is not None and incoming.channel not in self.channels:
            return False
        if self.audience != "any" and (self.audience == "linked") != linked:
            return False
        return self.kind == incoming.kind and self.name == route_name(incoming)

    def permits(self, role: Role, config: BotConfig) -> bool:
        """May `role` use this route under these settings?"""
        return role.rank >= self.min_role.rank and (self.when is None or self.when(role, config))

    def offered_to(self, role: Role, channel: str, config: BotConfig) -> bool:
        """Should /help and the command menu list this command for `role` on `channel`?"""
        return (
            self.kind == Kind.COMMAND
            and self.audience != "unlinked"
            and self.permits(role, config)
            and (self.channels is None or channel in self.channels)
        )


def command_menu(
    routes: Sequence[Route], role: Role, channel: str, config: BotConfig
) -> tuple[tuple[str, str], ...]:
    """(command, description) pairs a role may use on a channel now: /help and the menu."""
    return tuple(
        (route.name, t(route.help_key))
        for route in routes
        if route.help_key and route.offered_to(role, channel, config)
    )


def route_name(incoming: Incoming) -> str:
    """The key a route is looked up by."""
    if incoming.kind == Kind.COMMAND:
        return incoming.command
    if incoming.kind == Kind.BUTTON:
        return incoming.payload.split(":", 1)[0]
    return ""


class _Duplicate(Exception):
    """The event was processed before."""


class Router:
    """Turns an Incoming into replies, inside one transaction.

    For channels in `outbox_channels` the replies are not returned but written to the
    outbox in the same transaction as the handler's effects; `on_enqueued` wakes the sender.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        routes: Sequence[Route],
        config: BotConfig | None = None,
        clock: Clock | None = None,
        outbox_channels: frozenset[str] = frozenset(),
        on_enqueued: Callable[[str], None] | None = None,
        content: Content | None = None,
        serialize: bool = False,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.routes = tuple(routes)
        self.config = config or BotConfig()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.outbox_channels = outbox_channels
        self._on_enqueued = on_enqueued or (lambda channel: None)
        self.content = content
        # SQLite: one connection per process (bot/db/session.py). Waiting here keeps the
        # arrival order and, unlike the pool's checkout, has no 30 s timeout in a burst.
        self._serial = asyncio.Lock() if serialize else contextlib.nullcontext()

    def now(self) -> datetime:
        """The router's clock (injected in tests)."""
        return self._clock()

    async def may_attach(self, incoming: Incoming) -> bool:
        """Is the sender linked, active and allowed to send a file with this command?

        Asked before a channel downloads an attachment; `handle` checks everything again.
        """
        route = next((r for r in self.routes if r.admits(incoming, linked=True)), None)
        if route is None or route.file_from is None:
            return False
        try:
            async with self._serial, self._sessionmaker() as session:
                account = await _find_account(session, incoming)
        except Exception:
            log.exception("could not check the sender of %s", incoming.event_id)
            return False
        person = account.person if account else None
        return (
            person is not None
            and person.active
            and route.permits(person.role, self.config)
            and route.file_from(person, self.config)
        )

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Process one event exactly once; never raises."""
        async with self._serial:
            return await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        try:
            try:
                replies = await self._transaction(incoming)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                # A pooled connection died (the database restarted); the pool now opens
                # new ones. Nothing was committed, or the event key makes a redo a no-op.
                log.warning("database connection lost; event %s tried again", incoming.event_id)
                replies = await self._transaction(incoming)
            if self._outboxed(incoming):
                self._on_enqueued(incoming.channel)
            return replies
        except _Duplicate:
            log.info("duplicate event %s/%s ignored", incoming.channel, incoming.event_id)
            return []
        except UserError as exc:
            return await self._fallback(incoming, Reply(exc.message))
        except Exception:
            log.exception(
                "handler failed: channel=%s event=%s kind=%s name=%s",
                incoming.channel,
                incoming.event_id,
                incoming.kind,
                route_name(incoming),
            )
            return await self._fallback(incoming, Reply(t("error.apology")))

    async def _transaction(self, incoming: Incoming) -> list[Reply]:
        """Process the event and queue its replies (outbox channels) in one transaction."""
        async with self._sessionmaker() as session, session.begin():
            replies = await self._process(session, incoming)
            if self._outboxed(incoming):
                await self._enqueue(session, incoming, replies)
                replies = []
        return replies

    def _outboxed(self, incoming: Incoming) -> bool:
        return incoming.channel in self.outbox_channels

    async def _enqueue(
        self, session: AsyncSession, incoming: Incoming, replies: list[Reply]
    ) -> None:
        """Replies become outbox rows keyed by the event, so a redelivery adds nothing."""
        await outbox.enqueue(
            session,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            replies=replies,
            now=self.now(),
            key=f"reply:{incoming.channel}:{incoming.event_id}",
        )

    async def _fallback(self, incoming: Incoming, reply: Reply) -> list[Reply]:
        """An error answer: returned, or queued in a transaction of its own."""
        if not self._outboxed(incoming):
            return [reply]
        try:
            async with self._sessionmaker() as session, session.begin():
                await self._enqueue(session, incoming, [reply])
            self._on_enqueued(incoming.channel)
        except Exception:
            log.exception("could not queue the error answer for %s", incoming.event_id)
        return []

    async def _process(self, session: AsyncSession, incoming: Incoming) -> list[Reply]:
        now = self.now()
        await _claim_event(session, incoming, now)
        account = await _find_account(session, incoming)
        if incoming.kind in (Kind.BLOCKED, Kind.UNBLOCKED):
            _set_reachability(account, incoming.kind)
            return []
        if account is not None:
            await _touch(session, account, now)
        if incoming.kind == Kind.POLL_ANSWER and not incoming.payload:
            # Only native polls need the lookup; numbered options carry the quiz ref.
            incoming = await _resolve_poll(session, incoming)
        ctx = Context(session, incoming, now, self.config, self.routes, account, self.content)
        return await self._dispatch(ctx)

    async def _dispatch(self, ctx: Context) -> list[Reply]:
        person = ctx.person
        if person is not None and not person.active:
            return [Reply(t("onboarding.inactive"))]
        linked = person is not None
        route = next((r for r in self.routes if r.admits(ctx.incoming, linked)), None)
        if route is None:
            return [_no_route(ctx.incoming, linked)]
        if person is not None and not route.permits(person.role, ctx.config):
            log.warning("forbidden: person=%s route=%s", person.employee_code, route.name)
            return [Reply(t("error.forbidden"))]
        return await route.handler(ctx)


# Hot-path statements, built once: building them per update cost ~0.3 ms of CPU.
_CLAIM = insert(ProcessedEvent.__table__)
_ACCOUNT_OF_SENDER = (
    select(ChannelAccount)
    .where(
        ChannelAccount.channel == bindparam("channel"),
        ChannelAccount.platform_user_id == bindparam("user_id"),
    )
    # One joined SELECT instead of three: this runs for every update.
    .options(joinedload(ChannelAccount.person).joinedload(Person.unit))
)


async def _claim_event(session: AsyncSession, incoming: Incoming, now: datetime) -> None:
    """Insert the event key first; a unique violation means we saw it already."""
    row = {"channel": incoming.channel, "event_id": incoming.event_id, "processed_at": now}
    try:
        # A plain INSERT rather than a unit-of-work flush: hot path.
        await session.execute(_CLAIM, row)
    except IntegrityError:
        raise _Duplicate from None


async def _find_account(session: AsyncSession, incoming: Incoming) -> ChannelAccount | None:
    """The channel account of the sender, with its person and unit loaded."""
    sender = {"channel": incoming.channel, "user_id": incoming.user_id}
    return (await session.execute(_ACCOUNT_OF_SENDER, sender)).unique().scalar_one_or_none()


async def _resolve_poll(session: AsyncSession, incoming: Incoming) -> Incoming:
    """Put the quiz ref of the answered poll in `payload` (platform poll ids are opaque)."""
    ref = await outbox.poll_ref(session, channel=incoming.channel, poll_id=incoming.poll_id)
    return replace(incoming, payload=ref or incoming.poll_id)


def _set_reachability(account: ChannelAccount | None, kind: Kind) -> None:
    """A block or unblock notice from the platform."""
    if account is not None:
        blocked = kind == Kind.BLOCKED
        account.status = AccountStatus.BLOCKED if blocked else AccountStatus.ACTIVE


# A Core UPDATE, compiled once: the unit of work's flush of the same change costs ~4x more.
_TOUCH = (
    update(ChannelAccount.__table__)
    .where(ChannelAccount.__table__.c.id == bindparam("account_id"))
    .values(
        status=bindparam("status", type_=ChannelAccount.__table__.c.status.type),
        last_interaction_at=bindparam(
            "seen", type_=ChannelAccount.__table__.c.last_interaction_at.type
        ),
    )
)


async def _touch(session: AsyncSession, account: ChannelAccount, now: datetime) -> None:
    """Someone who writes to us can be reached again."""
    seen = account.last_interaction_at
    # Rewriting the row on every message costs an UPDATE per update; the reply windows
    # this feeds are days long, so a few minutes' lag only makes them close earlier.
    closed = account.window_closed_at  # the platform refused us since: reopen at once
    if seen is None or now - seen >= TOUCH_EVERY or now < seen or (closed and closed > seen):
        seen = now
    elif account.status == AccountStatus.ACTIVE:
        return
    row = {"account_id": account.id, "status": AccountStatus.ACTIVE, "seen": seen}
    await session.execute(_TOUCH, row)
    # Keep the loaded object in step without marking it dirty (no second UPDATE at flush).
    set_committed_value(account, "status", AccountStatus.ACTIVE)
    set_committed_value(account, "last_interaction_at", seen)


def _no_route(incoming: Incoming, linked: bool) -> Reply:
    """The answer when nothing matches."""
    if not linked:
        return Reply(t("onboarding.not_linked"))
    if incoming.kind == Kind.COMMAND:
        return Reply(t("error.unknown_command", command=incoming.command))
    if incoming.kind == Kind.BUTTON:
        return Reply(t("error.unknown_button"))
    return Reply(t("error.not_understood"))
