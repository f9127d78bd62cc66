"""The console demo ships its own 2026 sample plan and the five real sample plans."""

from __future__ import annotations

import sqlite3

from tests.test_demo import demo


def test_the_demo_person_can_ask_about_their_plan_and_plans_are_imported_once(tmp_path):
    first = demo(tmp_path, "ke hoach nay thuc hien den khi nao\n")
    second = demo(tmp_path, "/as QL003\nai ky ke hoach\n")

    assert first.returncode == 0, first.stderr
    assert "2026" in first.stdout and "2023" not in first.stdout
    assert "Nguồn: Kế hoạch “Tổ chức, thực hiện phong trào thi đua" in first.stdout
    assert "Người ký: Trần Minh Quang" in second.stdout
    with sqlite3.connect(tmp_path / "atgt-demo.db") as db:
        query = "select u.path from plan p join unit u on u.id = p.unit_id"
        units = {row[0] for row in db.execute(query)}
        count = db.execute("select count(*) from plan").fetchone()[0]
    assert count == 7
    assert units == {
        "Sở KH&CN",
        "Kế hoạch mẫu/Sở TT&TT 2023",
        "Kế hoạch mẫu/Sở Ngoại vụ 2024",
        "Kế hoạch mẫu/Ban ATGT huyện Trà Cú 2023",
        "Kế hoạch mẫu/Đảng ủy Khối",
        "Kế hoạch mẫu/Xã Liên Minh 2022",
    }
