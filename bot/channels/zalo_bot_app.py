"""The Zalo Bot channel's lifecycle: polling (getUpdates) or webhook, then the router."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.inbox import Inbox
from bot.channels.numbered import ChoiceMemory
from bot.channels.serving import WebServer
from bot.channels.webhook import Health, WebhookConfig, always_ok, webhook_app
from bot.channels.zalo_bot import IDLE, ZaloBotClient, ZaloBotError, to_incoming
from bot.core.messages import Incoming, Kind, Reply
from bot.services import usage

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
POLL_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
Handle = Callable[[Incoming], Awaitable[list[Reply]]]


class ZaloBotChannel:
    """Receives updates and hands them, numbers resolved, to the router in the background."""

    def __init__(
        self,
        *,
        client: ZaloBotClient,
        handle: Handle,
        memory: ChoiceMemory,
        webhook: WebhookConfig | None = None,
        health: Health | None = None,
        poll_timeout: int = 30,
    ) -> None:
        self.client = client
        self._handle = handle
        self._memory = memory
        self.meter: usage.Meter | None = None  # counts received messages when set
        # Called with each message before it is handled (a reply marks announcements read).
        self.on_message: Callable[[Incoming], Awaitable[None]] | None = None
        self._webhook = webhook
        self._health = health or always_ok
        self._poll_timeout = poll_timeout
        self._inbox = Inbox(self._route)
        self._server: WebServer | None = None
        self._polling: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Check the token (getMe), then start receiving; raises ZaloBotError."""
        await self.client.call("getMe")
        self._inbox.start()
        if self._webhook is None:
            await self._delete_webhook()
            self._polling = asyncio.create_task(self._poll())
        else:
            await self._start_webhook(self._webhook)
        log.info("zalo_bot channel started (%s)", "webhook" if self._webhook else "polling")

    async def stop_receiving(self) -> None:
        """Stop taking updates and finish the ones already accepted."""
        if self._polling is not None:
            # An update the server hands out during this very call may be lost: the
            # platform has no offset to confirm with, nor any redelivery.
            self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)
            self._polling = None
        if self._server is not None:
            await self._server.stop()
            self._server = None
        await self._inbox.stop()

    async def close(self) -> None:
        """Close the HTTP connections (after the sender has stopped using them)."""
        await self.stop_receiving()
        await self.client.aclose()

    def accept(self, data: dict[str, Any]) -> None:
        """Queue one raw update (polled or posted to the webhook); drop what cannot be one."""
        try:
            incoming = to_incoming(data)
        except Exception as exc:  # a shape the adapter cannot read must not stop polling
            log.warning("zalo_bot: malformed update dropped (%s)", type(exc).__name__)
            return
        if incoming is None:
            log.debug("zalo_bot: update ignored")
            return
        self._inbox.put(incoming)

    async def _route(self, incoming: Incoming) -> None:
        if self.meter is not None and incoming.kind not in (Kind.BLOCKED, Kind.UNBLOCKED):
            await self.meter.add(usage.RECEIVED)
        if self.on_message is not None:
            try:
                await self.on_message(incoming)
            except Exception:
                log.exception("zalo_bot: could not count a reply as 'Đã đọc'")
        await self._handle(await self._memory.resolve(incoming))

    async def _delete_webhook(self) -> None:
        """Polling gets nothing while a webhook is set; 400 means none was set."""
        try:
            await self.client.call("deleteWebhook")
        except ZaloBotError as exc:
            if exc.code != 400:
                raise

    async def _start_webhook(self, config: WebhookConfig) -> None:
        app = webhook_app(
            path=config.path,
            secret=config.secret,
            header=SECRET_HEADER,
            on_update=self._on_post,
            health=self._health,
        )
        self._server = WebServer(app, host=config.host, port=config.port)
        await self._server.start()
        await self.client.call("setWebhook", {"url": config.url, "secret_token": config.secret})

    async def _on_post(self, data: dict[str, Any]) -> None:
        self.accept(data)

    async def _poll(self) -> None:
        """getUpdates returns one update per call, or error 408 when there was none."""
        failures = 0
        while True:
            try:
                result = await self.client.call(
                    "getUpdates",
                    {"timeout": str(self._poll_timeout)},
                    timeout=self._poll_timeout + 10,
                )
            except ZaloBotError as exc:
                if exc.code == IDLE:
                    failures = 0
                    continue
                delay = POLL_BACKOFF[min(failures, len(POLL_BACKOFF) - 1)]
                failures += 1
                log.warning("zalo_bot: getUpdates failed (%s); again in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            for update in result if isinstance(result, list) else [result]:
                if isinstance(update, dict):
                    self.accept(update)
