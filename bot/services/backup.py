"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup or restore could not be done; the message says why (Vietnamese)."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(database)


def _libpq_url(url: str) -> str:
    """pg_dump wants a plain postgresql:// URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target` (safe while the bot runs)."""
    if make_url(url).get_backend_name() == "sqlite":
        with sqlite3.connect(_sqlite_path(url)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)])


def restore(url: str, source: Path) -> None:
    """Replace the database content with a backup (stop the bot first)."""
    if not source.is_file():
        raise BackupError(f"Không có tệp sao lưu {source}.")
    if make_url(url).get_backend_name() == "sqlite":
        with sqlite3.connect(source) as backup_db, sqlite3.connect(_sqlite_path(url)) as live:
            backup_db.backup(live)
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner",
          f"--dbname={_libpq_url(url)}", str(source)])  # fmt: skip


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Không tìm thấy {command[0]}: hãy cài gói postgresql-client.")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # pg tools echo the connection string on some errors; never show it.
        raise BackupError(f"{command[0]} thất bại (mã {result.returncode}).")
