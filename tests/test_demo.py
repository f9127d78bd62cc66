"""The console demo, as a newcomer runs it: `printf '/help\\n/me\\n' | atgt demo`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ATGT = Path(sys.executable).parent / "atgt"


def demo(tmp_path: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ATGT_DATABASE_URL", None)
    return subprocess.run(
        [str(ATGT), "demo"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_piped_demo_prints_help_and_the_demo_person(tmp_path):
    result = demo(tmp_path, "/help\n/me\n")

    assert result.returncode == 0, result.stderr
    assert "Anh/chị có thể dùng các lệnh sau" in result.stdout
    assert "/me — xem thông tin của anh/chị" in result.stdout
    assert "Họ tên: Nguyễn Văn An" in result.stdout
    assert "Đơn vị: Sở KH&CN/Văn phòng" in result.stdout
    assert (tmp_path / "atgt-demo.db").exists()


def test_demo_switches_roles_and_remembers_between_runs(tmp_path):
    first = demo(tmp_path, "/nhansu\n/as QL003\n/nhansu\n")
    second = demo(tmp_path, "/me\n")

    assert "Anh/chị không có quyền dùng chức năng này." in first.stdout
    assert "Sở KH&CN/Trung tâm Chuyển đổi số: 5 người" in first.stdout
    assert "Họ tên: Bùi Thị Lan" in second.stdout


def test_demo_switches_person_whatever_the_case_of_the_code(tmp_path):
    result = demo(tmp_path, "/as ql003\n/me\n")

    assert "Họ tên: Bùi Thị Lan" in result.stdout
