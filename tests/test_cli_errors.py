"""`atgt` as a subprocess: clear Vietnamese errors, no traceback, never a secret on screen."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.app import RedactingFormatter, register_secrets
from tests.channels.support import free_port
from tests.conftest import PG_ADMIN_URL
from tests.fakes.telegram import FakeBotApi

ATGT = Path(sys.executable).parent / "atgt"
TOKEN = "987654:REAL-LOOKING-SECRET-token_xyz"
DB_PASSWORD = "pw-Secret-77"


def clean_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """A from-scratch environment: no ATGT_* of the developer, no .env (cwd is tmp_path)."""
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    env |= {"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return env | {f"ATGT_{key.upper()}": value for key, value in settings.items()}


async def atgt(tmp_path: Path, *args: str, **settings: str) -> tuple[int, str, str]:
    """Run `atgt ARGS` and return (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        str(ATGT),
        *args,
        env=clean_env(tmp_path, **settings),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode(), err.decode()


@pytest.fixture
def migrated(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "bot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ", re.MULTILINE)


def uncaught_traceback(err: str) -> bool:
    """A traceback not inside a log record (libraries may log one; the exit must not print one)."""
    last = err.rfind("Traceback (most recent call last)")
    if last < 0:
        return False
    before = err[:last].rstrip("\n").rpartition("\n")[2]
    return not LOG_LINE.match(before) or not err.rstrip().endswith(".")


def assert_clean(code: int, out: str, err: str, *secrets: str) -> None:
    """A failure exit, no uncaught traceback, no secret anywhere."""
    assert code != 0, (out, err)
    assert "Traceback" not in out and not uncaught_traceback(err), err
    for secret in secrets:
        assert secret not in out + err, err


async def test_rejected_token_is_never_printed(tmp_path: Path, migrated: str) -> None:
    async with FakeBotApi(token="111:SOMEONE-ELSE") as api:  # answers 401 to our token
        code, out, err = await atgt(
            tmp_path, "run", database_url=migrated, telegram_token=TOKEN,
            telegram_api_url=api.base_url, log_level="DEBUG",
        )  # fmt: skip
    assert_clean(code, out, err, TOKEN, TOKEN.split(":")[1])
    assert "Telegram từ chối token của bot (ATGT_TELEGRAM_TOKEN)" in err


async def test_wrong_api_url_is_a_clear_line(tmp_path: Path, migrated: str) -> None:
    async with FakeBotApi(token=TOKEN) as api:  # a wrong path on a real server answers 404
        code, out, err = await atgt(
            tmp_path, "run", database_url=migrated, telegram_token=TOKEN,
            telegram_api_url=f"{api.url}/wrong/bot",
        )  # fmt: skip
    assert_clean(code, out, err, TOKEN)
    assert "ATGT_TELEGRAM_API_URL" in err


async def test_unreachable_telegram(tmp_path: Path, migrated: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    code, out, err = await atgt(
        tmp_path, "run", database_url=migrated, telegram_token=TOKEN, telegram_api_url=url,
        telegram_timeout="2",
    )  # fmt: skip
    assert_clean(code, out, err, TOKEN)
    assert f"Không kết nối được tới Telegram ({url})" in err


async def test_unreachable_zalo_bot(tmp_path: Path, migrated: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/bot"
    code, out, err = await atgt(
        tmp_path, "run", database_url=migrated, zalo_bot_token=TOKEN, zalo_bot_api_url=url
    )
    assert_clean(code, out, err, TOKEN)
    assert f"Không kết nối được tới Zalo Bot API ({url})" in err


async def test_unreachable_zalo_oauth_server(tmp_path: Path, migrated: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/v4/oa/access_token"
    code, out, err = await atgt(
        tmp_path, "run", database_url=migrated, zalo_oa_app_id="42", zalo_oa_secret_key=TOKEN,
        zalo_oa_refresh_token=DB_PASSWORD, zalo_oa_oauth_url=url,
        zalo_oa_webhook_port=str(free_port()), webhook_port=str(free_port()),
    )  # fmt: skip
    assert_clean(code, out, err, TOKEN, DB_PASSWORD)
    assert f"máy chủ cấp quyền Zalo OA ({url}; OAuth server: ConnectError)" in err


async def test_backup_into_a_missing_directory(tmp_path: Path, migrated: str) -> None:
    target = tmp_path / "nowhere" / "backup.db"
    code, out, err = await atgt(tmp_path, "db", "backup", str(target), database_url=migrated)
    assert_clean(code, out, err)
    assert f"Không đọc/ghi được {target}" in err and "Errno" not in err


async def test_file_errors_in_vietnamese(tmp_path: Path, migrated: str) -> None:
    missing, binary, bad_yaml = tmp_path / "none.txt", tmp_path / "bin.txt", tmp_path / "f.yaml"
    binary.write_bytes(b"\xff\xfe\x00t\x00")
    bad_yaml.write_text("a: [b\n", encoding="utf-8")
    _, _, err = await atgt(tmp_path, "broadcast", "--text-file", str(missing),
                           database_url=migrated)  # fmt: skip
    assert f"Không đọc được tệp {missing}: không tồn tại" in err and "Errno" not in err
    _, _, err = await atgt(tmp_path, "broadcast", "--text-file", str(binary),
                           database_url=migrated)  # fmt: skip
    assert "không phải văn bản UTF-8" in err
    code, out, err = await atgt(
        tmp_path, "campaign", "create", "--name", "X", "--from", "01/01/2027",
        "--to", "31/12/2027", "--unit", "X", "--form", str(bad_yaml), database_url=migrated,
    )  # fmt: skip
    assert_clean(code, out, err)
    assert "sai cú pháp YAML ở dòng 2" in err


async def test_debug_shows_the_traceback_still_redacted(tmp_path: Path, migrated: str) -> None:
    async with FakeBotApi(token="111:SOMEONE-ELSE") as api:
        code, _, err = await atgt(
            tmp_path, "--debug", "run", database_url=migrated, telegram_token=TOKEN,
            telegram_api_url=api.base_url,
        )  # fmt: skip
    assert code != 0
    assert "Traceback" in err and "InvalidToken" in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert err.rstrip().endswith("máy chủ Bot API riêng.")


async def test_tables_missing_before_db_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, out, err = await atgt(tmp_path, "org", "show", database_url=url)
    assert_clean(code, out, err)
    assert "chưa được khởi tạo" in err and "atgt db upgrade" in err
    code, out, err = await atgt(tmp_path, "run", database_url=url, telegram_token=TOKEN)
    assert_clean(code, out, err, TOKEN)
    assert "Cơ sở dữ liệu còn trống" in err and "atgt db upgrade" in err


async def test_database_of_an_older_version(tmp_path: Path, migrated: str) -> None:
    path = migrated.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:  # as if the code were upgraded but not the database
        db.execute("DROP TABLE bot_state")
        db.execute("ALTER TABLE person DROP COLUMN phone")
        db.execute("UPDATE alembic_version SET version_num = '0008'")
    code, out, err = await atgt(tmp_path, "status", database_url=migrated)
    assert_clean(code, out, err)
    assert "thiếu bảng bot_state" in err and "atgt db upgrade" in err
    code, out, err = await atgt(
        tmp_path, "invite", "create", "--person", "NV1", database_url=migrated
    )
    assert_clean(code, out, err)
    assert "thiếu cột person.phone" in err and "atgt db upgrade" in err
    code, out, err = await atgt(tmp_path, "run", database_url=migrated, telegram_token=TOKEN)
    assert_clean(code, out, err, TOKEN)
    assert "chưa ở phiên bản mới nhất" in err


async def test_sqlite_file_in_a_missing_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'bot.db'}"
    code, out, err = await atgt(tmp_path, "db", "upgrade", database_url=url)
    assert_clean(code, out, err)
    assert "Không mở được tệp cơ sở dữ liệu SQLite" in err


async def test_postgresql_down(tmp_path: Path) -> None:
    url = f"postgresql://atgt:{DB_PASSWORD}@127.0.0.1:{free_port()}/atgt"
    code, out, err = await atgt(tmp_path, "org", "show", database_url=url)
    assert_clean(code, out, err, DB_PASSWORD)
    assert "Không kết nối được tới PostgreSQL 127.0.0.1:" in err


async def test_postgresql_database_name_wrong(tmp_path: Path, pg_url: str) -> None:
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/atgt_no_such_database"
    code, out, err = await atgt(tmp_path, "db", "upgrade", database_url=url)
    assert_clean(code, out, err)
    assert "'atgt_no_such_database' không tồn tại" in err


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"send_retry_backoff": "1,x,4"}, "ATGT_SEND_RETRY_BACKOFF='x': phải là một số"),
        ({"telegram_rate": "nhanh"}, "ATGT_TELEGRAM_RATE='nhanh': phải là một số"),
        ({"webhook_port": "0"}, "ATGT_WEBHOOK_PORT='0': phải từ 1 trở lên"),
        ({"log_level": "verbose"}, "ATGT_LOG_LEVEL='verbose': mức ghi log phải là"),
        ({"content_dirs": "[/etc/atgt"}, "ATGT_CONTENT_DIRS='[/etc/atgt': danh sách JSON"),
        ({"database_url": "mysql://db/x"}, "ATGT_DATABASE_URL='mysql://db/x': chỉ hỗ trợ"),
        ({"telegram_webhook_secret": "bad secret!"}, "ATGT_TELEGRAM_WEBHOOK_SECRET: 1-256"),
    ],
)
async def test_malformed_settings(tmp_path: Path, settings: dict[str, str], expected: str) -> None:
    code, out, err = await atgt(tmp_path, "org", "show", **settings)
    assert_clean(code, out, err, "bad secret!")
    assert expected in err
    assert "Hãy sửa biến môi trường" in err


async def test_plain_path_and_comma_lists_are_accepted(tmp_path: Path, migrated: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    code, _, err = await atgt(
        tmp_path, "content", "check", database_url=migrated,
        content_dirs=f"{first},{second}", send_retry_backoff="1, 2,4",
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = await atgt(
        tmp_path, "content", "check", database_url=migrated, content_dirs=str(first),
    )  # fmt: skip
    assert code == 0, err


async def test_usage_errors_and_help_in_vietnamese(tmp_path: Path) -> None:
    code, out, err = await atgt(tmp_path, "org", "import")
    assert code == 2
    assert "Thiếu tham số 'file'" in err and "Missing" not in err
    assert "Gõ 'atgt org import --help' để xem hướng dẫn." in err
    code, out, err = await atgt(tmp_path, "org", "imprt")
    assert "Không có lệnh 'imprt'. Có phải ý anh/chị là 'import'?" in err
    code, out, err = await atgt(tmp_path, "--help")
    assert code == 0
    assert "Cách dùng:" in out and "Hiện hướng dẫn này rồi thoát." in out and "--debug" in out
    assert "Usage" not in out and "Show this message" not in out


def test_log_tracebacks_are_redacted() -> None:
    register_secrets([TOKEN])
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected; url /bot{quote(TOKEN)}/getMe")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = RedactingFormatter("%(message)s").format(record)
    assert "RuntimeError" in text and "***" in text
    assert TOKEN not in text and quote(TOKEN) not in text
