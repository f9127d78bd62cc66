"""What the `atgt` command prints when a command fails: one clear Vietnamese message, no secrets."""

from __future__ import annotations

import errno
import os
import re
import socket
import sqlite3
import traceback
from collections.abc import Iterator, Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.app import redact
from bot.core.errors import UserError
from bot.core.texts import t

# Names of ATGT_ variables that hold secrets (also read when the settings themselves are broken).
_SECRET_NAME = re.compile(r"^ATGT_\w*(TOKEN|SECRET|KEY|PASSWORD)\w*$")
_MISSING_TABLE = re.compile(r'no such table: (\w+)|relation "([^"]+)" does not exist')
_MISSING_COLUMN = re.compile(r'no such column: ([\w.]+)|column "?([\w.]+)"? does not exist')
_OS_REASONS = {
    errno.ENOENT: "không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EISDIR: "là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
}


def env_secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """Secrets straight from the environment, for redaction before the settings load."""
    environ = os.environ if environ is None else environ
    secrets = [value for name, value in environ.items() if _SECRET_NAME.match(name) and value]
    password = _url_part(environ.get("ATGT_DATABASE_URL", ""), "password")
    return secrets + ([password] if password else [])


def _url_part(url: str, part: str) -> str:
    try:
        value = getattr(make_url(url), part) if url else None
    except (ArgumentError, ValueError):
        return ""
    return str(value) if value else ""


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what caused it, and the driver errors SQLAlchemy wraps (`orig`)."""
    todo: list[BaseException | None] = [exc]
    seen: list[BaseException] = []
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        yield current
        todo += [current.__cause__, current.__context__, getattr(current, "orig", None)]
        if isinstance(current, BaseExceptionGroup):
            todo += list(current.exceptions)


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None) or "")


def describe(exc: BaseException, *, database_url: str = "", telegram_url: str = "") -> str:
    """One or two Vietnamese lines saying what went wrong and what to do."""
    chain = list(causes(exc))
    for cause in chain:
        message = _known(cause, database_url, telegram_url)
        if message is not None:
            return message
    return t("cli.unexpected", error=f"{type(exc).__name__}: {exc}")


def _known(exc: BaseException, database_url: str, telegram_url: str) -> str | None:
    """The message for one exception of the chain, if it is one we know."""
    from telegram.error import InvalidToken, NetworkError

    from bot.content import ContentError
    from bot.runtime import StartupError

    host = _db_host(database_url)
    text = str(exc)
    if isinstance(exc, StartupError):
        return text
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, ContentError):
        return t("cli.content_refused", issues=exc)
    if isinstance(exc, InvalidToken):
        return t("run.telegram_token_refused", url=telegram_url or "?")
    if isinstance(exc, NetworkError):
        return t("run.telegram_unreachable", url=telegram_url or "?")
    missing = _MISSING_TABLE.search(text)
    if missing or _sqlstate(exc) == "42P01":
        table = (missing.group(1) or missing.group(2)) if missing else "?"
        return t("cli.db_not_initialised", table=table)
    column = _MISSING_COLUMN.search(text)
    if column or _sqlstate(exc) == "42703":
        name = (column.group(1) or column.group(2)) if column else "?"
        return t("cli.db_outdated", column=name)
    state = _sqlstate(exc)
    if state == "3D000":
        return t("cli.db_missing", name=_url_part(database_url, "database"), host=host)
    if state in {"28P01", "28000"}:
        return t("cli.db_auth", host=host, user=_url_part(database_url, "username"))
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in text:
        return t("cli.db_file", path=_url_part(database_url, "database") or "?")
    if database_url.startswith("postgresql") and isinstance(
        exc, ConnectionError | socket.gaierror | TimeoutError
    ):
        return t("cli.db_unreachable", host=host)
    if isinstance(exc, OSError) and exc.filename:
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        return t("cli.os_error", path=exc.filename, reason=reason)
    return None


def reason(exc: BaseException) -> str:
    """Why a file could not be read, in Vietnamese (for cli.file_unreadable)."""
    if isinstance(exc, OSError):
        return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    if isinstance(exc, UnicodeDecodeError):
        return t("cli.not_utf8")
    mark = getattr(exc, "problem_mark", None)  # a YAML syntax error
    if mark is not None:
        return t("cli.bad_yaml", line=mark.line + 1)
    return str(exc)


def file_problem(exc: BaseException, path: object) -> str:
    """A backup/restore failure on `path` in Vietnamese (BackupError messages already are)."""
    if isinstance(exc, OSError):
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        return t("cli.os_error", path=exc.filename or path, reason=reason)
    if isinstance(exc, sqlite3.Error):
        return t("cli.os_error", path=path, reason=t("cli.sqlite_file"))
    return str(exc)


def _db_host(database_url: str) -> str:
    host = _url_part(database_url, "host") or "localhost"
    port = _url_part(database_url, "port") or "5432"
    return f"{host}:{port}"


def report(exc: BaseException, *, debug: bool, **context: str) -> str:
    """The text to print on stderr: the message, after the traceback when debugging; redacted."""
    message = describe(exc, **context)
    if debug:
        trace = "".join(traceback.format_exception(exc))
        message = f"{trace}\n{message}"
    return redact(message, env_secrets())
