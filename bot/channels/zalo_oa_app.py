"""The Zalo OA channel's lifecycle: the signed webhook, the inbox, and fresh tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.inbox import Inbox
from bot.channels.numbered import ChoiceMemory
from bot.channels.serving import WebServer
from bot.channels.webhook import Health, always_ok, parse_body
from bot.channels.zalo_oa import to_incoming
from bot.channels.zalo_oa_token import OaTokens, TokenError, TokenRefused
from bot.core.messages import Incoming, Kind, Reply
from bot.services import usage

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
Handle = Callable[[Incoming], Awaitable[list[Reply]]]
Alert = Callable[[str], Awaitable[None]]


class Signature:
    """Checks `mac=sha256(app_id + raw body + timestamp + OA secret)`: plain SHA-256, no HMAC.

    Sources disagree on details, so each documented variant is accepted: the timestamp
    of the body or of a header, and the app id or (when configured) the OA id.
    """

    def __init__(self, *, app_id: str, secret: str, oa_id: str | None = None) -> None:
        self._ids = [app_id] + ([oa_id] if oa_id else [])
        self._secret = secret.encode()

    def sign(self, raw: bytes, timestamp: str, ident: str | None = None) -> str:
        """The header value Zalo would send (used by tests and fakes too)."""
        data = (ident or self._ids[0]).encode() + raw + timestamp.encode() + self._secret
        return "mac=" + hashlib.sha256(data).hexdigest()

    def valid(self, raw: bytes, header: str, body: dict[str, Any], header_time: str) -> bool:
        """True when the header matches one variant; every comparison is constant-time."""
        given = header.strip()
        given = given[4:] if given.lower().startswith("mac=") else given
        stamps = {str(body.get("timestamp") or ""), header_time} - {""}
        matches = [
            hmac.compare_digest(self.sign(raw, stamp, ident)[4:], given.lower())
            for ident in self._ids
            for stamp in stamps
        ]
        return any(matches)


def oa_webhook_app(
    *,
    path: str,
    signature: Signature,
    on_event: Callable[[dict[str, Any]], None],
    health: Health,
) -> Starlette:
    """POST `path` with a valid signature queues the event and answers at once."""

    async def receive(request: Request) -> Response:
        raw = await request.body()
        body = parse_body(raw)
        header = request.headers.get(SIGNATURE_HEADER, "")
        if not signature.valid(raw, header, body or {}, request.headers.get(TIMESTAMP_HEADER, "")):
            log.warning("zalo_oa: webhook call with a bad signature from %s", request.client)
            return Response(status_code=403)
        # Signed but unusable: any answer but 200 makes Zalo send it again and again.
        if body is None:
            log.warning("zalo_oa: webhook body that is not a JSON object dropped")
            return JSONResponse({"ok": True})
        try:
            on_event(body)
        except Exception as exc:  # fields of types the adapter cannot read
            log.warning("zalo_oa: webhook event dropped (%s)", type(exc).__name__)
        return JSONResponse({"ok": True})

    async def healthz(_: Request) -> Response:
        ok = await health()
        return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

    return Starlette(
        routes=[Route(path, receive, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])]
    )


class ZaloOaChannel:
    """Receives webhook events; keeps the access token fresh even when nothing is sent."""

    def __init__(
        self,
        *,
        tokens: OaTokens,
        http: httpx.AsyncClient,
        handle: Handle,
        memory: ChoiceMemory,
        signature: Signature,
        host: str,
        port: int,
        path: str,
        health: Health | None = None,
        on_alert: Alert | None = None,
        keep_fresh_every: float = 3600.0,
    ) -> None:
        self.tokens = tokens
        self._http = http
        self._handle = handle
        self._memory = memory
        self.meter: usage.Meter | None = None  # counts received messages when set
        self._inbox = Inbox(self._route)
        app = oa_webhook_app(
            path=path, signature=signature, on_event=self.accept, health=health or always_ok
        )
        self._server = WebServer(app, host=host, port=port)
        self._on_alert = on_alert
        self._every = keep_fresh_every
        self._keeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Get a valid access token (raises TokenError), then listen."""
        await self.tokens.load()
        await self.tokens.access_token()
        self._inbox.start()
        await self._server.start()
        self._keeper = asyncio.create_task(self._keep_fresh())
        log.info("zalo_oa channel started (webhook)")

    async def stop_receiving(self) -> None:
        """Stop listening and finish the events already accepted."""
        if self._keeper is not None:
            self._keeper.cancel()
            await asyncio.gather(self._keeper, return_exceptions=True)
            self._keeper = None
        await self._server.stop()
        await self._inbox.stop()

    async def close(self) -> None:
        """Close the HTTP connections (after the sender has stopped using them)."""
        await self.stop_receiving()
        await self._http.aclose()

    def accept(self, body: dict[str, Any]) -> None:
        """Queue one verified webhook event."""
        incoming = to_incoming(body)
        if incoming is None:
            log.debug("zalo_oa: event %s ignored", body.get("event_name"))
            return
        self._inbox.put(incoming)

    async def _route(self, incoming: Incoming) -> None:
        if self.meter is not None and incoming.kind not in (Kind.BLOCKED, Kind.UNBLOCKED):
            await self.meter.add(usage.RECEIVED)
        await self._handle(await self._memory.resolve(incoming))

    async def _keep_fresh(self) -> None:
        """Refresh before expiry, so the 3-month refresh token never lapses unused."""
        while True:
            await asyncio.sleep(self._every)
            try:
                await self.tokens.access_token()
            except TokenRefused as exc:
                log.error("zalo_oa: %s; an OA admin must grant the app access again", exc)
                if self._on_alert is not None:
                    await self._on_alert("token")
            except TokenError as exc:
                log.warning("zalo_oa: token refresh failed (%s); trying again later", exc)
            except Exception:
                log.exception("zalo_oa: token refresh crashed; trying again later")
