"""Pacer: global spacing, per-chat interval, group interval and retry_after, on a virtual clock."""

from __future__ import annotations

import asyncio
import itertools

from bot.channels.pacing import Pacer


class VirtualTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def pacer(time: VirtualTime, **overrides: float) -> Pacer:
    options = {"rate": 10.0, "chat_interval": 1.0, "group_interval": 3.0, **overrides}
    return Pacer(clock=time.clock, sleep=time.sleep, **options)


async def test_global_rate_spaces_sends_to_different_chats():
    time = VirtualTime()
    p = pacer(time)
    moments = []
    for chat in range(20):
        await p.wait(str(chat))
        moments.append(time.now)
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    assert min(gaps) >= 0.1 - 1e-9
    assert abs(moments[-1] - 1.9) < 1e-6


async def test_one_private_chat_gets_at_most_one_message_per_interval():
    time = VirtualTime()
    p = pacer(time)
    moments = []
    for _ in range(4):
        await p.wait("42")
        moments.append(time.now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(moments)] == [1.0, 1.0, 1.0]


async def test_groups_use_their_slower_interval():
    time = VirtualTime()
    p = pacer(time)
    await p.wait("-100", group=True)
    start = time.now
    await p.wait("-100", group=True)
    assert round(time.now - start, 6) == 3.0


async def test_retry_after_pauses_every_chat_exactly():
    time = VirtualTime()
    p = pacer(time, rate=1000.0)
    await p.wait("1")
    p.pause(7.0)
    paused_at = time.now
    await p.wait("2")
    assert time.now >= paused_at + 7.0
    assert time.now - paused_at < 7.01
