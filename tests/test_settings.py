"""Settings: defaults, .env, malformed values named by key, secrets masked."""

from __future__ import annotations

import logging

import pytest

from bot.settings import SettingsError, load_settings

# tests/conftest.py clears ATGT_* and runs each test in an empty directory (no .env).


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


def test_the_developers_own_settings_never_reach_a_test(pytester, monkeypatch):
    """ATGT_* in the shell and a .env in the working directory are invisible to tests."""
    monkeypatch.setenv("ATGT_QUIET_HOURS", "00:00-23:59")
    monkeypatch.setenv("ATGT_DATABASE_URL", "postgresql://dev@prod.example/atgt")
    (pytester.path / ".env").write_text("ATGT_TIMEZONE=Asia/Bangkok\n", encoding="utf-8")
    pytester.makeconftest("from tests.conftest import _no_developer_settings  # noqa: F401")
    pytester.makepyfile(
        """
        from bot.settings import load_settings

        def test_defaults():
            settings = load_settings()
            assert settings.quiet_hours == "21:00-06:30"
            assert settings.database_url == "sqlite+aiosqlite:///atgt.db"
            assert settings.timezone == "Asia/Ho_Chi_Minh"
        """
    )
    options = ("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")
    pytester.runpytest_inprocess(*options).assert_outcomes(passed=1)
