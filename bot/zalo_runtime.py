"""Wiring of the two Zalo channels for the runtime: clients, channels, transports, alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import httpx

from bot.app import App
from bot.channels.numbered import ChoiceMemory
from bot.channels.webhook import Health, WebhookConfig
from bot.channels.zalo_bot import CHANNEL as ZALO_BOT
from bot.channels.zalo_bot import ZaloBotClient, ZaloBotTransport
from bot.channels.zalo_bot_app import ZaloBotChannel
from bot.channels.zalo_oa import CHANNEL as ZALO_OA
from bot.channels.zalo_oa import ZaloOaTransport
from bot.channels.zalo_oa_api import ZaloOaClient
from bot.channels.zalo_oa_app import Signature, ZaloOaChannel
from bot.channels.zalo_oa_templates import Templates
from bot.channels.zalo_oa_token import OaTokens
from bot.core.messages import Incoming
from bot.core.texts import t
from bot.services import broadcast, notify, reach, usage
from bot.services.notify import QuietHours
from bot.settings import Settings

log = logging.getLogger(__name__)


class AdminAlert:
    """Tells the admins, on their other channels, that a channel is in trouble; once a day."""

    def __init__(self, app: App, *, channel: str, timezone: str, wake: Callable[[], None]):
        self._app = app
        self._channel = channel
        self._tz = ZoneInfo(timezone)
        self._wake = wake
        self._sent: dict[str, date] = {}

    async def __call__(self, kind: str) -> None:
        """`kind` is "quota" or "token"; the outbox key makes it once per day across restarts."""
        now = self._app.router.now()
        day = now.astimezone(self._tz).date()
        if self._sent.get(kind) == day:
            return
        topic = f"{self._channel}_{kind}"
        try:
            async with self._app.sessionmaker() as session, session.begin():
                queued = await reach.alert_admins(
                    session, topic=topic, text=t(f"zalo.alert_{topic}"), now=now, day=day,
                    avoid=self._channel,
                )  # fmt: skip
        except Exception:
            log.exception("%s: could not queue the admins' alert (%s)", self._channel, kind)
            return
        self._sent[kind] = day
        log.error("%s: %s trouble; %d admin notice(s) queued today", self._channel, kind, queued)
        self._wake()


class QuotaWarning:
    """Tells the admins, on any channel, that a monthly quota is 80% used; once a month."""

    def __init__(self, app: App, *, channel: str, wake: Callable[[], None]) -> None:
        self._app = app
        self._channel = channel
        self._wake = wake

    async def __call__(self, month: str, used: int, quota: int) -> None:
        now = self._app.router.now()
        text = t(
            f"zalo.alert_{self._channel}_quota_80",
            used=used,
            quota=quota,
            month=f"{month[5:]}/{month[:4]}",
        )
        async with self._app.sessionmaker() as session, session.begin():
            queued = await reach.alert_admins(
                session, topic=f"{self._channel}_quota_80", text=text, now=now,
                day=date.fromisoformat(f"{month}-01"), avoid="",
            )  # fmt: skip
        log.warning("%s: %d of %d messages used in %s", self._channel, used, quota, month)
        if queued:
            self._wake()


def zalo_bot(
    settings: Settings, app: App, *, health: Health, wake: Callable[[], None]
) -> tuple[ZaloBotChannel, ZaloBotTransport]:
    """The Zalo Bot channel (polling, or webhook when its URL is set) and its transport."""
    assert settings.zalo_bot_token is not None
    client = ZaloBotClient(
        token=settings.zalo_bot_token.get_secret_value(), api_url=settings.zalo_bot_api_url
    )
    memory = ChoiceMemory(app.sessionmaker, ZALO_BOT, app.router.now)
    webhook = None
    if settings.zalo_bot_webhook_url and settings.zalo_bot_webhook_secret:
        webhook = WebhookConfig(
            url=settings.zalo_bot_webhook_url,
            secret=settings.zalo_bot_webhook_secret.get_secret_value(),
            host=settings.webhook_host,
            port=settings.zalo_bot_webhook_port,
            path=urlparse(settings.zalo_bot_webhook_url).path or "/zalo-bot",
        )
    channel = ZaloBotChannel(
        client=client, handle=app.router.handle, memory=memory, webhook=webhook, health=health
    )
    alert = AdminAlert(app, channel=ZALO_BOT, timezone=settings.timezone, wake=wake)
    transport = ZaloBotTransport(
        client, memory, quota_pause=settings.zalo_quota_pause, on_alert=alert
    )
    meter = usage.Meter(
        app.sessionmaker,
        channel=ZALO_BOT,
        tz=settings.tz,
        clock=app.router.now,
        quota=settings.zalo_bot_monthly_quota,
        on_warning=QuotaWarning(app, channel=ZALO_BOT, wake=wake),
    )
    channel.meter = transport.meter = meter

    async def read_by_reply(incoming: Incoming) -> None:
        async with app.sessionmaker() as session, session.begin():
            await broadcast.read_by_reply(
                session, channel=ZALO_BOT, user_id=incoming.user_id, now=app.router.now()
            )

    channel.on_message = read_by_reply
    return channel, transport


def zalo_oa(
    settings: Settings, app: App, *, health: Health, wake: Callable[[], None]
) -> tuple[ZaloOaChannel, ZaloOaTransport]:
    """The Zalo OA channel (webhook), its token keeper and its transport."""
    assert settings.zalo_oa_app_id and settings.zalo_oa_secret_key is not None
    secret_key = settings.zalo_oa_secret_key.get_secret_value()
    seed = settings.zalo_oa_refresh_token
    http = httpx.AsyncClient(timeout=15.0)
    tokens = OaTokens(
        sessionmaker=app.sessionmaker,
        http=http,
        app_id=settings.zalo_oa_app_id,
        secret_key=secret_key,
        oauth_url=settings.zalo_oa_oauth_url,
        seed=seed.get_secret_value() if seed else None,
        clock=app.router.now,
    )
    webhook_secret = settings.zalo_oa_webhook_secret
    signature = Signature(
        app_id=settings.zalo_oa_app_id,
        secret=webhook_secret.get_secret_value() if webhook_secret else secret_key,
        oa_id=settings.zalo_oa_id,
    )
    memory = ChoiceMemory(app.sessionmaker, ZALO_OA, app.router.now)
    alert = AdminAlert(app, channel=ZALO_OA, timezone=settings.timezone, wake=wake)
    channel = ZaloOaChannel(
        tokens=tokens,
        http=http,
        handle=app.router.handle,
        memory=memory,
        signature=signature,
        host=settings.webhook_host,
        port=settings.zalo_oa_webhook_port,
        path=settings.zalo_oa_webhook_path,
        health=health,
        on_alert=alert,
    )
    client = ZaloOaClient(tokens=tokens, api_url=settings.zalo_oa_api_url, http=http)
    templates = oa_templates(settings)
    transport = ZaloOaTransport(
        client,
        memory,
        app.sessionmaker,
        clock=app.router.now,
        quota_pause=settings.zalo_quota_pause,
        on_alert=alert,
        templates=templates,
    )
    transport.on_budget = QuotaWarning(app, channel=f"{ZALO_OA}_templates", wake=wake)
    channel.meter = transport.meter = usage.Meter(
        app.sessionmaker, channel=ZALO_OA, tz=settings.tz, clock=app.router.now
    )
    return channel, transport


def oa_templates(settings: Settings) -> Templates | None:
    """The ZBS template fallback from the settings; recipients() learns of it too."""
    if not settings.zalo_oa_templates:
        notify.FALLBACKS.pop(ZALO_OA, None)
        return None
    templates = Templates(
        ids=dict(settings.zalo_oa_templates),
        budget=settings.zalo_oa_template_budget,
        night=QuietHours.parse(settings.zalo_oa_template_night),
        tz=settings.tz,
    )
    notify.FALLBACKS[ZALO_OA] = notify.Fallback(
        kinds=frozenset(templates.ids), budget=templates.budget, timezone=settings.timezone
    )
    return templates
