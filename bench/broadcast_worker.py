"""A sender process for the broadcast benchmark: drains the Telegram outbox, then exits.

Run by bench_broadcast.py (which may SIGKILL it mid-way and start it again).
"""

from __future__ import annotations

import asyncio
import sys

from telegram import Bot

from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.telegram import TelegramTransport
from bot.db.session import make_engine, make_sessionmaker


async def main(database_url: str, api_url: str, token: str, rate: float) -> None:
    """Release rows left 'sending' by a killed predecessor, then send everything due."""
    engine = make_engine(database_url)
    bot = Bot(token, base_url=api_url)
    async with bot:
        pacer = Pacer(rate=rate, chat_interval=1.0, group_interval=3.0)
        sender = Sender(make_sessionmaker(engine), TelegramTransport(bot), pacer, window=400)
        await sender.recover()
        await sender.drain()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
