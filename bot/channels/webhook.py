"""The ASGI app that receives webhook calls: authenticated, answers fast, plus /healthz."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)

OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]
Health = Callable[[], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Where the platform calls us, and where we listen."""

    url: str
    secret: str
    host: str
    port: int
    path: str


async def always_ok() -> bool:
    """The health answer of a channel started without a database check."""
    return True


def webhook_app(
    *, path: str, secret: str, header: str, on_update: OnUpdate, health: Health
) -> Starlette:
    """POST `path` with the right secret header queues the JSON update; all else is refused."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(header, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong secret from %s", request.client)
            return Response(status_code=403)
        try:
            update = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return Response(status_code=400)
        if not isinstance(update, dict):
            return Response(status_code=400)
        await on_update(update)
        return JSONResponse({"ok": True})

    async def healthz(_: Request) -> Response:
        ok = await health()
        return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

    return Starlette(
        routes=[Route(path, receive, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])]
    )
