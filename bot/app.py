"""Composition root: builds the database, router and channels from settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import ConsoleChannel
from bot.core.router import BotConfig, Router
from bot.core.texts import ROLE_LABELS, t
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker
from bot.services.demo import DEMO_EXAMPLES, seed_demo
from bot.settings import Settings
from handlers import ROUTES

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass
class App:
    """The wired bot: one engine, one sessionmaker, one router."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    router: Router

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()


def bot_config(settings: Settings) -> BotConfig:
    """The secret-free part of the settings that handlers see."""
    return BotConfig(
        bot_username=settings.telegram_bot_username,
        invite_ttl_days=settings.invite_ttl_days,
        timezone=settings.timezone,
    )


def build_app(settings: Settings, clock: Clock = utc_now) -> App:
    """Wire everything; does not touch the network or the database yet."""
    engine = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    router = Router(sessionmaker, ROUTES, bot_config(settings), clock)
    return App(settings, engine, sessionmaker, router)


def run_demo(settings: Settings, *, stdin: TextIO, stdout: TextIO) -> None:
    """Migrate the demo database, load demo data and chat in the terminal."""
    upgrade_database(settings.database_url)
    asyncio.run(_demo(settings, stdin, stdout))


async def _demo(settings: Settings, stdin: TextIO, stdout: TextIO) -> None:
    app = build_app(settings)
    try:
        console = ConsoleChannel(app.router.handle, stdin=stdin, stdout=stdout)
        async with app.sessionmaker() as session, session.begin():
            person = await seed_demo(
                session, now=utc_now(), channel=CONSOLE, user_id=console.user_id
            )
            banner = t(
                "demo.banner",
                name=person.full_name,
                code=person.employee_code,
                role=ROLE_LABELS[person.role],
                unit=person.unit.path,
                examples=", ".join(f"/as {code}" for code in DEMO_EXAMPLES),
            )
        stdout.write(banner + "\n")
        await console.run()
    finally:
        await app.close()


def configure_logging(level: str) -> None:
    """Plain logs on stderr; library chatter (httpx logs full URLs with tokens) kept quiet."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
