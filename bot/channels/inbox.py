"""Takes events fast and handles them in the background, in order for each chat.

Webhooks must be answered within seconds (Zalo OA: 2 s), whatever the handler costs.
Each chat is hashed to one of a few workers, so its events keep their order while
different chats are handled at the same time.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable

from bot.core.messages import Incoming

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[object]]


class Inbox:
    """A few ordered queues drained by one worker each."""

    def __init__(self, handle: Handle, *, workers: int = 8) -> None:
        self._handle = handle
        self._queues: list[asyncio.Queue[Incoming | None]] = [
            asyncio.Queue() for _ in range(workers)
        ]
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start the workers."""
        self._tasks = [asyncio.create_task(self._work(queue)) for queue in self._queues]

    def put(self, incoming: Incoming) -> None:
        """Queue an event without waiting for it to be handled."""
        index = zlib.crc32(incoming.chat_id.encode()) % len(self._queues)
        self._queues[index].put_nowait(incoming)

    async def stop(self, grace: float = 10.0) -> None:
        """Handle what is queued (up to `grace` seconds), then stop the workers."""
        for queue in self._queues:
            queue.put_nowait(None)
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._tasks = []

    async def _work(self, queue: asyncio.Queue[Incoming | None]) -> None:
        while (incoming := await queue.get()) is not None:
            try:
                await self._handle(incoming)
            except Exception:
                log.exception("%s: event %s failed", incoming.channel, incoming.event_id)
