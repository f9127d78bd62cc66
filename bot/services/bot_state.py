"""Facts `atgt run` learns and records for the CLI: the bot's username, channels, roles held."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BotState

TELEGRAM_USERNAME = "telegram.username"
CHANNEL_PREFIX = "channel."
ROLE_PREFIX = "role."


async def put(session: AsyncSession, key: str, value: dict[str, Any], *, now: datetime) -> None:
    """Set `key` to `value` (insert or replace)."""
    row = await session.get(BotState, key)
    if row is None:
        session.add(BotState(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
    await session.flush()


async def get(session: AsyncSession, key: str) -> dict[str, Any] | None:
    """The value stored under `key`, if any."""
    row = await session.get(BotState, key)
    return None if row is None else row.value


async def with_prefix(session: AsyncSession, prefix: str) -> dict[str, BotState]:
    """Every row whose key starts with `prefix`, by the rest of the key."""
    rows = await session.execute(select(BotState).where(BotState.key.startswith(prefix)))
    return {row.key[len(prefix) :]: row for row in rows.scalars()}


async def telegram_username(session: AsyncSession) -> str | None:
    """The Telegram bot's @username as the last `atgt run` learned it from getMe."""
    value = await get(session, TELEGRAM_USERNAME)
    return str(value["username"]) if value and value.get("username") else None


async def bot_username(session: AsyncSession, configured: str | None) -> str | None:
    """The configured ATGT_TELEGRAM_BOT_USERNAME, else the one learned from Telegram."""
    return configured or await telegram_username(session)
