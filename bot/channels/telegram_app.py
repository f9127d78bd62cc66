"""The Telegram channel's lifecycle: python-telegram-bot Application, polling or webhook."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.serving import WebServer
from bot.channels.telegram import to_incoming
from bot.channels.webhook import Health, WebhookConfig, always_ok, webhook_app
from bot.core.messages import Attachment, Incoming, Reply

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_UPDATES = ["message", "callback_query", "poll_answer", "my_chat_member"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Handle = Callable[[Incoming], Awaitable[list[Reply]]]
MayAttach = Callable[[Incoming], Awaitable[bool]]


async def never(_: Incoming) -> bool:
    """Without a gate no attachment is downloaded."""
    return False


def file_url(api_url: str) -> str:
    """Bot API file base URL next to the method base URL (…/bot → …/file/bot)."""
    head, _, tail = api_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


class TelegramChannel:
    """Receives updates (polling or webhook) and hands them to the router."""

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        handle: Handle,
        menu: list[tuple[str, str]],
        webhook: WebhookConfig | None = None,
        health: Health | None = None,
        timeout: float = 10.0,
        may_attach: MayAttach = never,
    ) -> None:
        builder = (
            Application.builder()
            .token(token)
            .base_url(api_url)
            .base_file_url(file_url(api_url))
            .connection_pool_size(64)
            .pool_timeout(timeout)
            .read_timeout(timeout)
            .write_timeout(timeout)
            .connect_timeout(timeout)
        )
        if webhook is not None:
            builder = builder.updater(None)
        self.application = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self._handle = handle
        self._may_attach = may_attach
        self._menu = menu
        self._webhook = webhook
        self._health = health or always_ok
        self._server: WebServer | None = None

    @property
    def webhook(self) -> WebhookConfig | None:
        """The webhook this channel receives on, or None when it polls."""
        return self._webhook

    @property
    def bot(self) -> Any:
        """The python-telegram-bot Bot (used by the transport)."""
        return self.application.bot

    async def start(self) -> None:
        """Connect (getMe), set the default command menu, start receiving."""
        await self.application.initialize()
        await self.bot.set_my_commands([BotCommand(c, d[:256]) for c, d in self._menu])
        if self._webhook is None:
            await self.bot.delete_webhook()
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        else:
            await self._start_webhook(self._webhook)
        await self.application.start()
        log.info("telegram channel started (%s)", "webhook" if self._webhook else "polling")

    async def stop_receiving(self) -> None:
        """Stop taking updates and finish the ones already queued."""
        if self._server is not None:
            await self._server.stop()
            self._server = None
        if self.application.updater and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()

    async def close(self) -> None:
        """Close the HTTP connections (after the sender has stopped using the bot)."""
        await self.stop_receiving()
        await self.application.shutdown()

    async def _start_webhook(self, config: WebhookConfig) -> None:
        app = webhook_app(
            path=config.path,
            secret=config.secret,
            header=SECRET_HEADER,
            on_update=self._enqueue_json,
            health=self._health,
        )
        self._server = WebServer(app, host=config.host, port=config.port)
        await self._server.start()  # raises the bind error
        await self.bot.set_webhook(
            config.url, secret_token=config.secret, allowed_updates=ALLOWED_UPDATES
        )

    async def _enqueue_json(self, data: dict[str, Any]) -> None:
        """Queue for python-telegram-bot; the HTTP answer does not wait for the handler.

        What cannot be an update is dropped with a warning (the webhook still answers 200,
        or Telegram would send it again and again).
        """
        update_id = data.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("telegram: webhook body without an update_id dropped")
            return
        try:
            update = Update.de_json(data, self.bot)
        except Exception as exc:  # any shape python-telegram-bot cannot read
            log.warning("telegram: malformed update %s dropped (%s)", update_id, type(exc).__name__)
            return
        await self.application.update_queue.put(update)

    def _username(self) -> str | None:
        """Our username from getMe (known once the application is initialized)."""
        try:
            return self.bot.username
        except RuntimeError:
            return None

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            incoming = to_incoming(update, self._username())
        except Exception as exc:  # fields of types python-telegram-bot passed through unchecked
            log.warning(
                "telegram: unreadable update %s dropped (%s)", update.update_id, type(exc).__name__
            )
            return
        if incoming is None:
            return
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()  # stops the button's spinner
        message = update.message
        # A file is fetched only for a linked sender allowed to send one with this command.
        if incoming.command and message is not None and _has_file(message):
            attachment = (
                await self._attachment(message) if await self._may_attach(incoming) else None
            )
            if attachment is not None:
                incoming = replace(incoming, attachment=attachment)
        await self._handle(incoming)

    async def _attachment(self, message: Message) -> Attachment | None:
        """The photo or document sent with a command caption (e.g. /thongbao), if small enough."""
        if message.document is not None:
            file_ref, name = message.document, message.document.file_name or "tep"
        elif message.photo:
            file_ref, name = message.photo[-1], "anh.jpg"
        else:
            return None
        if (file_ref.file_size or 0) > MAX_ATTACHMENT_BYTES:
            log.warning("attachment of %s bytes ignored", file_ref.file_size)
            return None
        try:
            data = await (await file_ref.get_file()).download_as_bytearray()
        except TelegramError as exc:
            log.warning("attachment download failed: %s", exc)
            return None
        return Attachment(name, bytes(data))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %r", context.error, exc_info=context.error)


def _has_file(message: Message) -> bool:
    return message.document is not None or bool(message.photo)
