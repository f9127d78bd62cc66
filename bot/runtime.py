"""The running bot: channels that receive, senders that drain the outbox, one router."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import socket
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import text

from bot.app import App, Clock, build_app, utc_now
from bot.channels.delivery import Transport
from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.serving import WebServer, health_app
from bot.channels.telegram import CHANNEL as TELEGRAM
from bot.channels.telegram import TelegramTransport
from bot.channels.telegram_app import TelegramChannel
from bot.channels.web import CHANNEL as WEB
from bot.channels.web import WebTransport
from bot.channels.web_app import WebChannel, WebConfig
from bot.channels.web_push import PushKeys, WebPush
from bot.channels.webhook import WebhookConfig
from bot.channels.zalo_bot import CHANNEL as ZALO_BOT
from bot.channels.zalo_bot import ZaloBotError
from bot.channels.zalo_bot_app import ZaloBotChannel
from bot.channels.zalo_oa import CHANNEL as ZALO_OA
from bot.channels.zalo_oa_app import ZaloOaChannel
from bot.channels.zalo_oa_token import TokenError, TokenUnavailable
from bot.core.router import command_menu
from bot.core.texts import t
from bot.db.migrate import current_revision, head_revision
from bot.db.models import Role
from bot.leadership import Action, Lease, hold
from bot.scheduling import Scheduler
from bot.services import bot_state, web_push_store
from bot.services.notify import QuietHours
from bot.services.plans.index import load_index
from bot.settings import Settings
from bot.zalo_runtime import zalo_bot, zalo_oa
from handlers import ROUTES

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message says why, in Vietnamese."""


class Runtime:
    """Start and stop every configured channel with its sender."""

    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.senders: dict[str, Sender] = {}
        self.app: App = build_app(settings, clock, on_enqueued=self._wake)
        self.telegram: TelegramChannel | None = None
        self.zalo_bot: ZaloBotChannel | None = None
        self.zalo_oa: ZaloOaChannel | None = None
        self.web: WebChannel | None = None
        self.push: WebPush | None = None
        self.scheduler = Scheduler(
            self.app.sessionmaker,
            self.app.content,
            clock=self.app.router.now,
            quiet=QuietHours.parse(settings.quiet_hours),
            timezone=settings.timezone,
            on_enqueued=self._wake_all,
        )
        self._tasks: list[asyncio.Task[None]] = []
        self.health_server: WebServer | None = None
        self.process = f"{socket.gethostname()}:{os.getpid()}"
        self._running: set[str] = set()  # channels started by this process

    def _wake(self, channel: str) -> None:
        sender = self.senders.get(channel)
        if sender is not None:
            sender.wake()

    def _wake_all(self) -> None:
        for sender in self.senders.values():
            sender.wake()

    async def start(self) -> None:
        """Check the database, warm the Q&A index, then start channels and senders."""
        await self._check_schema()
        async with self.app.sessionmaker() as session:
            # Built here, not inside the first question's transaction (seconds at 200 plans).
            await load_index(session, content=self.app.content)
        settings = self.settings
        if settings.telegram_token is None and not self._zalo_configured() and not settings.web_url:
            raise StartupError(t("run.no_channel"))
        if settings.telegram_token is not None:
            await self._start_telegram()
        if settings.zalo_bot_token is not None:
            await self._start_zalo_bot()
        if settings.zalo_oa_enabled:
            await self._start_zalo_oa()
        if self.telegram is None or self.telegram.webhook is None:
            await self._serve_health()
        if settings.web_url:
            await self._start_web()
        await self._lead("scheduler", start=self.scheduler.start, stop=self._stop_scheduler)

    async def _serve_health(self) -> None:
        """/healthz on ATGT_WEBHOOK_HOST/PORT when no Telegram webhook server answers there."""
        host, port = self.settings.webhook_host, self.settings.webhook_port
        server = WebServer(health_app(self.healthy), host=host, port=port)
        try:
            await server.start()
        except OSError as exc:
            # The bot itself works without it; the operator sees why monitoring cannot reach it.
            log.error("cannot serve /healthz on %s:%s (%s); running without it", host, port, exc)
            return
        self.health_server = server
        log.info("/healthz served on %s:%s", host, port)

    async def _record(self, key: str, value: dict[str, Any], *, if_mine: bool = False) -> None:
        """Note a fact for `atgt status` (with `if_mine`, only over this process's own note)."""
        try:
            async with self.app.sessionmaker() as session, session.begin():
                noted = await bot_state.get(session, key)
                if if_mine and (noted or {}).get("process") != self.process:
                    return
                await bot_state.put(session, key, value, now=self.app.router.now())
        except Exception:
            log.warning("could not record %s for atgt status", key, exc_info=True)

    async def _channel_state(self, channel: str, state: str, **details: object) -> None:
        now = self.app.router.now().isoformat()
        if state == "running":
            self._running.add(channel)
        value = {"state": state, "process": self.process, "since": now, **details}
        # Another process may run this channel now: "stopped" only replaces our own note.
        await self._record(bot_state.CHANNEL_PREFIX + channel, value, if_mine=state == "stopped")

    async def _learn_telegram_username(self) -> None:
        """Store the bot's @username from getMe; use it for deep links unless one is configured."""
        assert self.telegram is not None
        username = self.telegram.bot.username
        if not username:
            return
        value = {"username": username, "id": self.telegram.bot.id}
        await self._record(bot_state.TELEGRAM_USERNAME, value)
        configured = self.settings.telegram_bot_username
        if configured and configured.lstrip("@").lower() != username.lower():
            log.warning("ATGT_TELEGRAM_BOT_USERNAME is %s; Telegram says @%s", configured, username)
        if not configured:
            config = self.app.router.config
            self.app.router.config = dataclasses.replace(config, bot_username=username)

    def _zalo_configured(self) -> bool:
        return self.settings.zalo_bot_token is not None or self.settings.zalo_oa_enabled

    async def _add_sender(
        self,
        transport: Transport,
        rate: float,
        chat_interval: float,
        group_interval: float | None = None,
    ) -> None:
        """A paced sender for one channel, run by one process at a time (its rate limit holds)."""
        pacer = Pacer(
            rate=rate,
            chat_interval=chat_interval,
            group_interval=chat_interval if group_interval is None else group_interval,
        )
        sender = Sender(
            self.app.sessionmaker,
            transport,
            pacer,
            clock=self.app.router.now,
            backoff=self.settings.send_retry_backoff,
            requeue_after=timedelta(seconds=self.settings.send_requeue_seconds),
        )
        self.senders[sender.channel] = sender

        async def start() -> None:
            self._tasks.append(asyncio.create_task(sender.run()))

        await self._lead(f"sender:{sender.channel}", start=start, stop=sender.stop)

    async def _lead(self, name: str, *, start: Action, stop: Action) -> None:
        """Play a role now if no other process does; otherwise stand by to take it over."""
        lease = Lease(self.app.engine, name)

        async def take() -> None:
            await start()
            value = {"process": self.process, "since": self.app.router.now().isoformat()}
            await self._record(bot_state.ROLE_PREFIX + name, value)  # for atgt status

        first = await lease.try_acquire()
        if first:
            log.info("this process now runs %s", name)
            await take()
        else:
            log.info("%s runs in another process; standing by", name)
        self._tasks.append(asyncio.create_task(hold(lease, start=take, stop=stop, first_try=first)))

    async def _start_zalo_bot(self) -> None:
        self.zalo_bot, transport = zalo_bot(
            self.settings, self.app, health=self.healthy, wake=self._wake_all
        )
        try:
            await self.zalo_bot.start()
        except ZaloBotError as exc:
            await self._channel_state(ZALO_BOT, "failed")
            if exc.code == 0:  # no answer at all: the network, not the token
                url = self.settings.zalo_bot_api_url
                raise StartupError(t("zalo.bot_unreachable", url=url)) from None
            raise StartupError(t("zalo.bot_refused", error=exc)) from None
        await self._channel_state(ZALO_BOT, "running")
        await self._add_sender(
            transport, self.settings.zalo_bot_rate, self.settings.zalo_chat_interval
        )

    async def _start_zalo_oa(self) -> None:
        self.zalo_oa, transport = zalo_oa(
            self.settings, self.app, health=self.healthy, wake=self._wake_all
        )
        try:
            await self.zalo_oa.start()
        except TokenUnavailable as exc:  # the network or the server, not the grant
            await self._channel_state(ZALO_OA, "failed")
            url = self.settings.zalo_oa_oauth_url
            raise StartupError(t("zalo.oa_unreachable", url=url, error=exc)) from None
        except TokenError as exc:
            await self._channel_state(ZALO_OA, "failed")
            raise StartupError(t("zalo.oa_refused", error=exc)) from None
        await self._channel_state(ZALO_OA, "running", mode="webhook")
        await self._add_sender(
            transport, self.settings.zalo_oa_rate, self.settings.zalo_chat_interval
        )

    async def _start_telegram(self) -> None:
        self.telegram = self._telegram_channel()
        try:
            await self.telegram.start()
        except Exception:
            await self._channel_state(TELEGRAM, "failed")
            raise
        mode = "polling" if self.telegram.webhook is None else "webhook"
        await self._channel_state(TELEGRAM, "running", mode=mode)
        await self._learn_telegram_username()
        await self._add_sender(
            TelegramTransport(self.telegram.bot),
            self.settings.telegram_rate,
            self.settings.telegram_chat_interval,
            group_interval=60 / self.settings.telegram_group_per_minute,
        )

    async def _start_web(self) -> None:
        """The page at ATGT_WEB_URL; its 'sender' moves queued replies into the threads."""
        settings = self.settings
        assert settings.web_url is not None
        push = await self._web_push(settings.web_url)
        self.web = WebChannel(
            config=WebConfig(
                url=settings.web_url,
                timezone=settings.timezone,
                host=settings.webhook_host,
                port=settings.web_port,
            ),
            sessionmaker=self.app.sessionmaker,
            handle=self.app.router.handle,
            routes=ROUTES,
            bot_config=self.app.router.config,
            clock=self.app.router.now,
            health=self.healthy,
            wake=self._wake,
            push=push,
            content=self.app.router.content,
        )
        try:
            await self.web.start()
        except OSError:
            await self._channel_state(WEB, "failed")
            raise
        await self._channel_state(WEB, "running")
        # Without push nothing is paced (a thread calls no platform); with push, the pushes
        # keep to ATGT_WEB_PUSH_RATE and a push service's 429 pauses them.
        rate = self.settings.web_push_rate if push is not None else 1000.0
        await self._add_sender(WebTransport(push), rate=rate, chat_interval=0.0)

    async def _web_push(self, web_url: str) -> WebPush | None:
        """Web Push, when `atgt web keys` has stored a key pair."""
        async with self.app.sessionmaker() as session:
            stored = await web_push_store.keys(session)
        if stored is None:
            log.info("web push off: no keys (atgt web keys)")
            return None
        self.push = WebPush(
            self.app.sessionmaker,
            keys=PushKeys(stored.private_pem),
            subject=web_url,
            clock=self.app.router.now,
        )
        return self.push

    async def _stop_scheduler(self) -> None:
        self.scheduler.shutdown()

    async def stop(self) -> None:
        """Stop receiving first, then let senders finish what they hold, then disconnect."""
        self.scheduler.shutdown()
        if self.health_server is not None:
            await self.health_server.stop()
            self.health_server = None
        if self.telegram is not None:
            await self.telegram.stop_receiving()
        for zalo in (self.zalo_bot, self.zalo_oa):
            if zalo is not None:
                await zalo.stop_receiving()
        if self.web is not None:
            await self.web.stop_receiving()
        for sender in self.senders.values():
            await sender.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.telegram is not None:
            await self.telegram.close()
        for zalo in (self.zalo_bot, self.zalo_oa):
            if zalo is not None:
                await zalo.close()
        for name in sorted(self._running):  # a channel that failed to start stays "failed"
            await self._channel_state(name, "stopped")
        if self.push is not None:
            await self.push.aclose()
        await self.app.close()

    async def _check_schema(self) -> None:
        current = await current_revision(self.app.engine)
        if current is None:
            raise StartupError(t("run.schema_missing"))
        if current != head_revision():
            raise StartupError(t("run.schema_outdated"))

    def _telegram_channel(self) -> TelegramChannel:
        settings = self.settings
        assert settings.telegram_token is not None
        webhook = None
        if settings.telegram_webhook_url and settings.telegram_webhook_secret:
            webhook = WebhookConfig(
                url=settings.telegram_webhook_url,
                secret=settings.telegram_webhook_secret.get_secret_value(),
                host=settings.webhook_host,
                port=settings.webhook_port,
                path=urlparse(settings.telegram_webhook_url).path or "/telegram",
            )
        return TelegramChannel(
            token=settings.telegram_token.get_secret_value(),
            api_url=settings.telegram_api_url,
            handle=self.app.router.handle,
            may_attach=self.app.router.may_attach,
            menu=list(command_menu(ROUTES, Role.EMPLOYEE, TELEGRAM, self.app.router.config)),
            webhook=webhook,
            health=self.healthy,
            timeout=settings.telegram_timeout,
        )

    async def healthy(self) -> bool:
        """The database answers."""
        try:
            async with self.app.engine.connect() as connection:
                await asyncio.wait_for(connection.execute(text("SELECT 1")), 2)
            return True
        except Exception:
            log.exception("health check failed")
            return False


async def serve(settings: Settings) -> None:
    """`atgt run`: start, wait for SIGINT/SIGTERM, stop gracefully."""
    runtime = Runtime(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await runtime.start()
        log.info("bot running; Ctrl+C to stop")
        await stop.wait()
    finally:
        await runtime.stop()
