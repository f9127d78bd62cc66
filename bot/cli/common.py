"""Shared CLI plumbing: consoles, settings loading, one-transaction sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import configure_logging
from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.session import make_engine, make_sessionmaker
from bot.settings import Settings, SettingsError, load_settings

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


@dataclass
class CliState:
    """What the top-level error handler needs to know about this invocation."""

    debug: bool = False
    settings: Settings | None = None


state = CliState()


def settings(**overrides: object) -> Settings:
    """Load settings or stop with a message naming the bad key."""
    try:
        loaded = load_settings(**overrides)
    except SettingsError as exc:
        err.print(t("cli.settings_error", error=exc), markup=False)
        err.print(t("cli.settings_fix"), markup=False)
        raise typer.Exit(2) from None
    configure_logging(loaded)
    state.settings = loaded
    return loaded


def in_session(work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = True) -> T:
    """Run `work` in one transaction on the configured database; roll back unless `commit`.

    A UserError from `work` is printed and ends the command with exit code 1.
    """

    async def run() -> T:
        engine = make_engine(settings().database_url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                result = await work(session)
                if not commit:
                    await session.rollback()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except UserError as exc:
        raise fail(exc.message) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error on stderr; raise the returned Exit."""
    err.print(message, markup=False)
    return typer.Exit(code)
