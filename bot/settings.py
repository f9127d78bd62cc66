"""Typed settings, read once from the environment and an optional `.env` (prefix ATGT_)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
DEFAULT_ZALO_BOT_API_URL = "https://bot-api.zaloplatforms.com/bot"


class SettingsError(Exception):
    """Raised when a setting is malformed; the message names the ATGT_ key."""


class Settings(BaseSettings):
    """Every knob of the bot; secrets are SecretStr so reprs and logs mask them."""

    model_config = SettingsConfigDict(
        env_prefix="ATGT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # repr=False: a PostgreSQL URL may carry a password.
    database_url: str = Field(default="sqlite+aiosqlite:///atgt.db", repr=False)
    timezone: str = "Asia/Ho_Chi_Minh"
    telegram_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    telegram_bot_username: str | None = None
    zalo_bot_token: SecretStr | None = None
    zalo_bot_api_url: str = DEFAULT_ZALO_BOT_API_URL
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    content_dirs: list[Path] = Field(default_factory=list)
    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"múi giờ không tồn tại: {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @property
    def tz(self) -> ZoneInfo:
        """The campaign's timezone object."""
        return ZoneInfo(self.timezone)


def normalize_database_url(url: str) -> str:
    """Map plain URLs (sqlite://, postgresql://) to the async drivers the bot uses."""
    for plain, async_ in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql+psycopg://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return async_ + url[len(plain) :]
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError("chỉ hỗ trợ sqlite:// hoặc postgresql://")
    return url


def load_settings(**overrides: object) -> Settings:
    """Read settings once; a malformed value raises SettingsError naming the key."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"ATGT_{'_'.join(str(p) for p in err['loc'][:1]).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"Cấu hình không hợp lệ — {problems}") from None
