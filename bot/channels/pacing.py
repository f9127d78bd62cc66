"""Client-side pacing so the platform's rate limits are respected before it says 429."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """A global spacing per bot token, a minimum interval per chat, and a shared pause.

    Each chat is sent to by one worker at a time, so per-chat state needs no locking;
    global slots are reserved without an await in between, so tasks never share one.
    """

    def __init__(
        self,
        *,
        rate: float,
        chat_interval: float,
        group_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._spacing = 1.0 / rate
        self._chat_interval = chat_interval
        self._group_interval = group_interval
        self._clock = clock
        self._sleep = sleep
        self._global_next = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[str, float] = {}

    @property
    def paused_until(self) -> float:
        """Monotonic time before which nothing may be sent."""
        return self._paused_until

    def pause(self, seconds: float) -> None:
        """Honour a retry_after: no send at all before it has passed."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def wait(self, chat_id: str, *, group: bool = False) -> None:
        """Return when a message to `chat_id` may be sent now."""
        await self._sleep_until(self._chat_next.get(chat_id, 0.0))
        while True:
            now = self._clock()
            if self._paused_until > now:
                await self._sleep(self._paused_until - now)
                continue
            slot = max(now, self._global_next)
            self._global_next = slot + self._spacing
            await self._sleep_until(slot)
            if self._paused_until <= self._clock():
                break
        interval = self._group_interval if group else self._chat_interval
        self._chat_next[chat_id] = self._clock() + interval
        self._forget_idle_chats()

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _forget_idle_chats(self) -> None:
        """Keep the per-chat table small during a large broadcast."""
        if len(self._chat_next) > 50_000:
            now = self._clock()
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
