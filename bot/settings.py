"""Typed settings, read once from the environment and an optional `.env` (prefix ATGT_)."""

from __future__ import annotations

import json
import os
import re
from datetime import time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError
from sqlalchemy.engine import make_url

from bot.core.texts import t

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
DEFAULT_ZALO_BOT_API_URL = "https://bot-api.zaloplatforms.com/bot"
DEFAULT_ZALO_OA_API_URL = "https://openapi.zalo.me"
DEFAULT_ZALO_OA_OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
DEFAULT_ZALO_BUSINESS_API_URL = "https://business.openapi.zalo.me"
TEMPLATE_KINDS = ("reminder", "quiz", "checkin", "announcement")


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
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    telegram_rate: float = Field(default=25.0, gt=0, le=1000)
    telegram_timeout: float = Field(default=10.0, gt=0)  # seconds per Bot API call
    telegram_chat_interval: float = Field(default=1.0, ge=0)
    telegram_group_per_minute: int = Field(default=20, ge=1)
    zalo_bot_token: SecretStr | None = None
    zalo_bot_api_url: str = DEFAULT_ZALO_BOT_API_URL
    zalo_bot_webhook_url: str | None = None
    zalo_bot_webhook_secret: SecretStr | None = None
    zalo_bot_webhook_port: int = Field(default=8081, ge=1, le=65535)
    zalo_bot_rate: float = Field(default=5.0, gt=0, le=100)
    # Messages a month, both directions (Basic plan: 3,000); the admins are told at 80%.
    zalo_bot_monthly_quota: int = Field(default=3000, ge=0)
    # Seconds all sends of a Zalo channel pause after "quota exceeded" (no retry-after given).
    zalo_quota_pause: float = Field(default=3600.0, ge=1)
    zalo_oa_app_id: str | None = None
    zalo_oa_secret_key: SecretStr | None = None
    # The "OA Secret Key" that signs webhooks; the app secret key when not set.
    zalo_oa_webhook_secret: SecretStr | None = None
    # Only read while the database holds no token, or when it changes (a new grant).
    zalo_oa_refresh_token: SecretStr | None = None
    zalo_oa_id: str | None = None
    zalo_oa_api_url: str = DEFAULT_ZALO_OA_API_URL
    zalo_oa_oauth_url: str = DEFAULT_ZALO_OA_OAUTH_URL
    zalo_oa_webhook_path: str = "/zalo-oa"
    zalo_oa_webhook_port: int = Field(default=8082, ge=1, le=65535)
    zalo_oa_rate: float = Field(default=20.0, gt=0, le=60)
    # ZBS template ids per message kind, for OA users outside the 7-day window:
    # "reminder=123,quiz=456,checkin=789,announcement=321" or a JSON object.
    zalo_oa_templates: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    zalo_oa_template_budget: int = Field(default=0, ge=0)  # template messages per month
    zalo_oa_template_night: str = "22:00-06:00"  # Zalo refuses them then (error -234)
    zalo_oa_business_api_url: str = DEFAULT_ZALO_BUSINESS_API_URL  # template details
    zalo_chat_interval: float = Field(default=1.0, ge=0)
    # The web channel (the bot in a browser) runs when its public base URL is set.
    web_url: str | None = None
    web_port: int = Field(default=8083, ge=1, le=65535)
    # Web Push notifications a second, over all push services (a 429 pauses them as well).
    web_push_rate: float = Field(default=100.0, gt=0, le=1000)
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    # A JSON list, or paths separated by commas (or the OS path separator), or one path.
    content_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    quiet_hours: str = "21:00-06:30"
    # Network failures: retried after these pauses (seconds), then requeued for later.
    # A JSON list or numbers separated by commas ("1,2,4").
    send_retry_backoff: Annotated[tuple[float, ...], NoDecode] = (1.0, 2.0, 4.0, 8.0, 16.0)
    send_requeue_seconds: float = Field(default=60.0, gt=0)
    manager_broadcast: bool = False
    log_level: str = "INFO"
    # Optional LLM that rewords plan answers (OpenAI-compatible chat completions); off unless
    # both the URL (e.g. https://api.openai.com/v1) and the model are set.
    llm_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None

    @field_validator("content_dirs", mode="before")
    @classmethod
    def _path_list(cls, value: object) -> object:
        if isinstance(value, str):
            return _split(value, separators=(",", os.pathsep))
        return value

    @field_validator("send_retry_backoff", mode="before")
    @classmethod
    def _number_list(cls, value: object) -> object:
        if isinstance(value, str):
            return _split(value, separators=(",", ";", " "))
        return value

    @field_validator("send_retry_backoff")
    @classmethod
    def _non_negative(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(pause < 0 or pause != pause for pause in value):
            raise ValueError("các khoảng chờ phải là số không âm, ví dụ 1,2,4")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(t("settings.log_level", levels=", ".join(_LOG_LEVELS)))
        return level

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"múi giờ không tồn tại: {value!r}") from exc
        return value

    @field_validator("quiet_hours", "zalo_oa_template_night")
    @classmethod
    def _quiet_window(cls, value: str) -> str:
        start, sep, end = value.partition("-")
        try:
            time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        except ValueError:
            raise ValueError("dạng HH:MM-HH:MM, ví dụ 21:00-06:30") from None
        if not sep:
            raise ValueError("dạng HH:MM-HH:MM, ví dụ 21:00-06:30")
        return value

    @field_validator("web_url")
    @classmethod
    def _web_base(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value.strip())
        # The page is served at the root of its own host name (its scripts use absolute paths).
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError("dạng https://tên-miền, ví dụ https://atgt.example.gov.vn")
        if parts.query or parts.fragment:
            raise ValueError("dạng https://tên-miền, ví dụ https://atgt.example.gov.vn")
        return value.strip().rstrip("/")

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1-256 ký tự A-Z, a-z, 0-9, _ hoặc -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError("ATGT_TELEGRAM_WEBHOOK_SECRET là bắt buộc khi dùng webhook")
        return self

    @field_validator("zalo_oa_templates", mode="before")
    @classmethod
    def _templates(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{"):
                try:
                    value = json.loads(text)
                except ValueError:
                    raise ValueError("JSON không hợp lệ") from None
            else:
                pairs = [part.partition("=") for part in text.split(",") if part.strip()]
                value = {k.strip(): v.strip() for k, _, v in pairs}
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(TEMPLATE_KINDS))
            if unknown:
                raise ValueError(f"loại tin không có: {', '.join(unknown)}; chỉ nhận "
                                 f"{', '.join(TEMPLATE_KINDS)}")  # fmt: skip
            if any(not str(v).strip() for v in value.values()):
                raise ValueError("thiếu mã mẫu tin (template_id) sau dấu =")
            value = {k: str(v).strip() for k, v in value.items()}
        return value

    @field_validator("zalo_bot_webhook_secret")
    @classmethod
    def _zalo_secret_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("8-256 ký tự")
        return value

    @model_validator(mode="after")
    def _zalo_pairs(self) -> Settings:
        if self.zalo_bot_webhook_url and self.zalo_bot_webhook_secret is None:
            raise ValueError("ATGT_ZALO_BOT_WEBHOOK_SECRET là bắt buộc khi dùng webhook")
        if bool(self.zalo_oa_app_id) != (self.zalo_oa_secret_key is not None):
            raise ValueError("ATGT_ZALO_OA_APP_ID và ATGT_ZALO_OA_SECRET_KEY phải đi cùng nhau")
        return self

    @property
    def zalo_oa_enabled(self) -> bool:
        """The OA channel runs when its app id and secret key are set."""
        return bool(self.zalo_oa_app_id) and self.zalo_oa_secret_key is not None

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    def secret_values(self) -> list[str]:
        """Every secret in clear, for log redaction only."""
        secrets = [self.telegram_token, self.telegram_webhook_secret, self.zalo_bot_token]
        secrets += [self.zalo_bot_webhook_secret, self.zalo_oa_secret_key]
        secrets += [self.zalo_oa_webhook_secret, self.zalo_oa_refresh_token, self.llm_api_key]
        values = [s.get_secret_value() for s in secrets if s is not None]
        password = make_url(self.database_url).password
        return values + ([str(password)] if password else [])

    @property
    def tz(self) -> ZoneInfo:
        """The campaign's timezone object."""
        return ZoneInfo(self.timezone)


def _split(value: str, *, separators: tuple[str, ...]) -> list[str]:
    """A JSON list as is; otherwise the non-empty parts between any of `separators`."""
    value = value.strip()
    if value.startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ValueError("danh sách JSON không hợp lệ") from None
        if isinstance(parsed, list):
            return parsed
    pattern = "|".join(re.escape(sep) for sep in separators)
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


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
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise SettingsError(t("cli.settings_invalid", problems=problems)) from None
    except PydanticSettingsError as exc:  # a value the environment source could not decode
        raise SettingsError(t("cli.settings_invalid", problems=exc)) from None


# pydantic error types → catalog keys (the limit comes from the error's context).
_PROBLEMS = {
    "float_parsing": "settings.not_number",
    "float_type": "settings.not_number",
    "int_parsing": "settings.not_integer",
    "int_type": "settings.not_integer",
    "int_from_float": "settings.not_integer",
    "bool_parsing": "settings.not_bool",
    "greater_than": "settings.too_small",
    "greater_than_equal": "settings.too_small_or_equal",
    "less_than": "settings.too_large",
    "less_than_equal": "settings.too_large_or_equal",
}
_LIMITS = ("gt", "ge", "lt", "le")


def _problem(error: ErrorDetails) -> str:
    """One bad setting in Vietnamese: its variable, what it should be, the value if not secret."""
    loc = [str(part) for part in error["loc"]]
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in _PROBLEMS:
        limit = next((context[k] for k in _LIMITS if k in context), "")
        what = t(_PROBLEMS[kind], limit=limit)
    elif kind == "value_error":
        what = str(context.get("error", error["msg"]))
    else:
        what = t("settings.invalid")
    if not loc:
        return what
    name = f"ATGT_{loc[0].upper()}"
    field = Settings.model_fields.get(loc[0])
    secret = field is not None and "SecretStr" in str(field.annotation)
    shown = "" if secret or not isinstance(error.get("input"), str) else f"={error['input']!r}"
    return f"{name}{shown}: {what}"
