"""A sender process for the broadcast benchmark: drains the Telegram outbox, then exits.

Run by bench_broadcast.py (which may SIGKILL it mid-way and start it again). The client's
own clock is appended to the file named by the fifth argument, a line per event: "send T" when a
sendMessage request leaves, "429 T RETRY_AFTER" when a 429 reply arrives (time.monotonic(),
which is shared by the processes of one machine).
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any, TextIO

import httpx
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.telegram import TelegramTransport
from bot.db.session import make_engine, make_sessionmaker


def timing_hooks(log: TextIO) -> dict[str, Any]:
    """httpx event hooks writing client-side send and 429 times to `log`."""

    async def request(request: httpx.Request) -> None:
        if request.url.path.endswith("/sendMessage"):
            log.write(f"send {time.monotonic()}\n")

    async def response(response: httpx.Response) -> None:
        if response.status_code == 429:
            received = time.monotonic()
            await response.aread()
            wait = response.json().get("parameters", {}).get("retry_after", 0)
            log.write(f"429 {received} {wait}\n")

    return {"request": [request], "response": [response]}


async def main(database_url: str, api_url: str, token: str, rate: float, log: str) -> None:
    """Release rows left 'sending' by a killed predecessor, then send everything due."""
    engine = make_engine(database_url)
    with open(log, "a", buffering=1) as timing:  # line-buffered: survives a SIGKILL
        hooks = {"event_hooks": timing_hooks(timing)}
        bot = Bot(token, base_url=api_url, request=HTTPXRequest(httpx_kwargs=hooks))
        async with bot:
            pacer = Pacer(rate=rate, chat_interval=1.0, group_interval=3.0)
            sender = Sender(make_sessionmaker(engine), TelegramTransport(bot), pacer, window=400)
            await sender.recover()
            await sender.drain()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]))
