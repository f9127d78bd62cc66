"""A uvicorn server for a channel's webhook app, started and stopped by the runtime."""

from __future__ import annotations

import asyncio
import contextlib

import uvicorn
from starlette.types import ASGIApp


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGINT/SIGTERM."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()


class WebServer:
    """Serves one ASGI app on host:port until stopped."""

    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen; raises the bind error if the port is taken."""
        self._task = asyncio.create_task(self._server.serve())
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
