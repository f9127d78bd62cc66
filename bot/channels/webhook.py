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


def parse_body(raw: bytes) -> dict[str, Any] | None:
    """The JSON object of a webhook body, or None for anything else.

    Malformed or non-UTF-8 JSON, another JSON type, and nesting deep enough to exhaust
    the parser's recursion (e.g. 200,000 nested arrays) all give None.
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return data if isinstance(data, dict) else None


def webhook_app(
    *, path: str, secret: str, header: str, on_update: OnUpdate, health: Health
) -> Starlette:
    """POST `path` with the right secret header queues the JSON update; all else is refused."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(header, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong secret from %s", request.client)
            return Response(status_code=403)
        update = parse_body(await request.body())
        if update is None:
            # Authenticated but unusable: a non-2xx answer would only make the platform
            # send it again and again, so it is acknowledged and dropped.
            log.warning("webhook %s: body that is not a JSON object dropped", path)
            return JSONResponse({"ok": True})
        try:
            await on_update(update)
        except Exception as exc:  # a shape the channel cannot read: same reasoning
            log.warning("webhook %s: update dropped (%s)", path, type(exc).__name__)
        return JSONResponse({"ok": True})

    async def healthz(_: Request) -> Response:
        ok = await health()
        return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

    return Starlette(
        routes=[Route(path, receive, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])]
    )
