"""Composition root: builds the database, router and channels from settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import ConsoleChannel
from bot.content import DEFAULT_CONTENT_DIR, Content, load_content
from bot.core.router import BotConfig, Router
from bot.core.texts import ROLE_LABELS, t
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker
from bot.services.demo import DEMO_EXAMPLES, seed_demo
from bot.services.plans.llm import rephraser_from
from bot.settings import Settings
from handlers import ROUTES

Clock = Callable[[], datetime]
# Channels whose replies go through the outbox and a paced sender (not the console).
OUTBOX_CHANNELS = frozenset({"telegram", "zalo_bot", "zalo_oa", "web"})


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass
class App:
    """The wired bot: one engine, one sessionmaker, validated content, one router."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    router: Router
    content: Content

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()


def bot_config(settings: Settings, *, demo: bool = False) -> BotConfig:
    """The secret-free part of the settings that handlers see."""
    return BotConfig(
        bot_username=settings.telegram_bot_username,
        invite_ttl_days=settings.invite_ttl_days,
        timezone=settings.timezone,
        manager_broadcast=settings.manager_broadcast,
        demo=demo,
        quiet_hours=settings.quiet_hours,
        web_url=settings.web_url,
        rephrase=rephraser_from(settings.llm_url, settings.llm_model, settings.llm_api_key),
    )


def build_app(
    settings: Settings,
    clock: Clock = utc_now,
    on_enqueued: Callable[[str], None] | None = None,
    *,
    demo: bool = False,
) -> App:
    """Wire everything; raises ContentError on invalid content; no network or database yet."""
    content = load_content(content_dirs(settings))
    engine = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    router = Router(
        sessionmaker,
        ROUTES,
        bot_config(settings, demo=demo),
        clock,
        outbox_channels=OUTBOX_CHANNELS,
        on_enqueued=on_enqueued,
        content=content,
        serialize=engine.dialect.name == "sqlite",
    )
    return App(settings, engine, sessionmaker, router, content)


def content_dirs(settings: Settings) -> list[Path]:
    """The shipped content, then the admins' own directories in the same format."""
    return [DEFAULT_CONTENT_DIR, *settings.content_dirs]


def run_demo(settings: Settings, *, stdin: TextIO, stdout: TextIO) -> None:
    """Migrate the demo database, load demo data and chat in the terminal."""
    upgrade_database(settings.database_url)
    asyncio.run(_demo(settings, stdin, stdout))


async def _demo(settings: Settings, stdin: TextIO, stdout: TextIO) -> None:
    app = build_app(settings, demo=True)
    try:
        console = ConsoleChannel(app.router.handle, stdin=stdin, stdout=stdout)
        async with app.sessionmaker() as session, session.begin():
            person = await seed_demo(
                session,
                now=utc_now(),
                channel=CONSOLE,
                user_id=console.user_id,
                timezone=settings.timezone,
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
        stdout.write(t("qa.demo_hint") + "\n")
        await console.run()
    finally:
        await app.close()


# Every secret this process knows, for redaction wherever text leaves it (logs, errors).
_SECRETS: set[str] = set()
# Shorter values would blank out ordinary words and numbers (and protect nothing).
MIN_REDACTED = 4


def register_secrets(secrets: list[str]) -> None:
    """Remember secrets so that `redact` hides them from then on."""
    _SECRETS.update(s for s in secrets if s)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """`text` with every known secret (also URL-quoted) replaced by ***."""
    for secret in sorted({*_SECRETS, *(secrets or [])}, key=len, reverse=True):
        if len(secret) < MIN_REDACTED:
            continue
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, "***")
    return text


class RedactSecrets(logging.Filter):
    """Replace secrets in every log record, whatever library wrote it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


class RedactingFormatter(logging.Formatter):
    """Redact the whole formatted record, tracebacks included (the filter sees the message)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(settings: Settings) -> None:
    """Plain logs on stderr with secrets redacted; library chatter kept quiet."""
    register_secrets(settings.secret_values())
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(settings.secret_values()))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs each request URL at INFO, and Telegram URLs contain the token.
    for noisy in ("httpx", "httpcore", "alembic", "apscheduler", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
