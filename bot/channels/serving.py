"""A uvicorn server for a channel's webhook app, started and stopped by the runtime."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.channels.webhook import Health


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGINT/SIGTERM."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()


def _bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on host:port; raises OSError if it cannot bind."""
    # The family as uvicorn chooses it ("localhost" and names: IPv4).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class WebServer:
    """Serves one ASGI app on host:port until stopped."""

    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen; raises the bind error if the port is taken."""
        # Bound here: a busy port is an OSError to the caller, not uvicorn's SystemExit in a task.
        sock = _bind(self._server.config.host, self._server.config.port)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                await self._task
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        """Stop accepting and finish the requests in flight."""
        if self._task is not None:
            self._server.should_exit = True
            await self._task
            self._task = None


def health_app(health: Health) -> Starlette:
    """Only GET /healthz (for polling mode, where no webhook app serves it)."""

    async def healthz(_: Request) -> Response:
        ok = await health()
        return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"])])
