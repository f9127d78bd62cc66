"""Settings: defaults, .env, malformed values named by key, secrets masked."""

from __future__ import annotations

import logging

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in (
        "ATGT_DATABASE_URL",
        "ATGT_TIMEZONE",
        "ATGT_TELEGRAM_TOKEN",
        "ATGT_INVITE_TTL_DAYS",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_configuration():
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///atgt.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.telegram_token is None


def test_dotenv_and_plain_postgres_url_are_read(tmp_path):
    (tmp_path / ".env").write_text(
        "ATGT_DATABASE_URL=postgresql://bot:pw@db/atgt\nATGT_TIMEZONE=Asia/Bangkok\n"
    )
    settings = load_settings()
    assert settings.database_url == "postgresql+asyncpg://bot:pw@db/atgt"
    assert settings.timezone == "Asia/Bangkok"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ATGT_TIMEZONE", "Asia/Sai_Gon_Khong_Co"),
        ("ATGT_INVITE_TTL_DAYS", "hai tuần"),
        ("ATGT_DATABASE_URL", "mysql://localhost/x"),
    ],
)
def test_malformed_value_stops_with_the_key_named(monkeypatch, key, value):
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert key in str(info.value)


def test_secrets_never_appear_in_repr_or_logs(monkeypatch, caplog):
    token = "123456:SECRET-token-value"
    monkeypatch.setenv("ATGT_TELEGRAM_TOKEN", token)
    monkeypatch.setenv("ATGT_DATABASE_URL", "postgresql://bot:hunter2@db/atgt")
    settings = load_settings()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings: %s %r", settings, settings)
    assert settings.telegram_token.get_secret_value() == token
    for shown in (repr(settings), str(settings), caplog.text):
        assert token not in shown
        assert "hunter2" not in shown
