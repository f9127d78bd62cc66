"""The console demo ships the five sample plans, so a newcomer can ask about them."""

from __future__ import annotations

import sqlite3

from tests.test_demo import demo


def test_the_demo_person_can_ask_about_their_plan_and_plans_are_imported_once(tmp_path):
    first = demo(tmp_path, "ke hoach den khi nao\n")
    second = demo(tmp_path, "/as QL003\nai ky ke hoach\n")

    assert first.returncode == 0, first.stderr
    assert "kế hoạch thực hiện trong năm 2023" in first.stdout
    assert "Nguồn: Kế hoạch “Tổ chức, thực hiện phong trào thi đua" in first.stdout
    assert "Người ký: Nguyễn Thanh Luân" in second.stdout
    with sqlite3.connect(tmp_path / "atgt-demo.db") as db:
        query = "select u.path from plan p join unit u on u.id = p.unit_id"
        units = {row[0] for row in db.execute(query)}
        count = db.execute("select count(*) from plan").fetchone()[0]
    assert count == 6
    assert units == {
        "Sở TT&TT", "Sở Ngoại vụ", "Ban ATGT huyện Trà Cú", "Đảng ủy Khối", "Xã Liên Minh",
    }  # fmt: skip
