"""Roster import from the CLI: valid files, idempotence, dry run, and rejected files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import Person, Role, Unit
from bot.db.session import make_engine

HEADER = ["Mã NV", "Họ tên", "Đơn vị", "Vai trò", "SĐT"]
GOOD = [
    ["A1", "Nguyễn Văn A", "Sở TT&TT/Văn phòng", "Nhân viên", "0912 345 678"],
    ["A2", "Trần <b>Thị</b> B", "Sở TT&TT / Phòng Kế hoạch", "Quản lý", ""],
    [1003, "Lê Văn C", "Sở TT&TT/Văn phòng/Tổ Hành chính", "quan tri", None],
]


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(database_url: str, *args: str):
    result = CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})
    return result


async def _snapshot(url: str) -> list[tuple]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        people = (
            await connection.execute(
                select(Person.employee_code, Person.full_name, Person.role, Person.phone).order_by(
                    Person.employee_code
                )
            )
        ).all()
        units = (await connection.execute(select(Unit.path).order_by(Unit.path))).all()
    await engine.dispose()
    return [tuple(r) for r in people] + [tuple(u) for u in units]


def snapshot(url: str) -> list[tuple]:
    return asyncio.run(_snapshot(url))


def test_xlsx_import_creates_units_and_people_and_is_idempotent(database_url, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", GOOD)

    first = run(database_url, "org", "import", str(path))
    second = run(database_url, "org", "import", str(path))

    assert first.exit_code == 0, first.output
    assert "thêm mới 3, cập nhật 0, không đổi 0, đơn vị mới 4" in first.output
    assert "thêm mới 0, cập nhật 0, không đổi 3, đơn vị mới 0" in second.output
    data = snapshot(database_url)
    assert ("1003", "Lê Văn C", Role.ADMIN, None) in data
    assert ("A1", "Nguyễn Văn A", Role.EMPLOYEE, "0912345678") in data
    assert ("A2", "Trần <b>Thị</b> B", Role.MANAGER, None) in data
    assert ("Sở TT&TT/Phòng Kế hoạch",) in data


def test_csv_update_and_dry_run(database_url, tmp_path):
    csv_path = tmp_path / "ds.csv"
    csv_path.write_text(
        "ma nv;ho ten;don vi;vai tro\nA1;Nguyễn Văn A;Sở X/Phòng 1;\n", encoding="utf-8-sig"
    )
    assert run(database_url, "org", "import", str(csv_path)).exit_code == 0
    csv_path.write_text("Mã NV;Họ tên;Đơn vị\nA1;Nguyễn Văn Á;Sở X/Phòng 2\n", encoding="utf-8")
    before = snapshot(database_url)

    dry = run(database_url, "org", "import", "--dry-run", str(csv_path))

    assert "Chạy thử (không ghi gì): thêm mới 0, cập nhật 1" in dry.output
    assert snapshot(database_url) == before
    real = run(database_url, "org", "import", str(csv_path))
    assert "cập nhật 1" in real.output
    assert ("A1", "Nguyễn Văn Á", Role.EMPLOYEE, None) in snapshot(database_url)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["", "Không Mã", "Sở A", "Nhân viên", ""]], "dòng 2, cột 'Mã NV': thiếu mã nhân viên"),
        ([["B1", "Vai Lạ", "Sở A", "Giám đốc", ""]], "dòng 2, cột 'Vai trò': vai trò 'Giám đốc'"),
        (
            [["B1", "Một", "Sở A", "", ""], ["B1", "Hai", "Sở A", "", ""]],
            "dòng 3, cột 'Mã NV': mã 'B1' trùng với dòng 2",
        ),
        ([["B1", "", "Sở A", "", ""]], "dòng 2, cột 'Họ tên': thiếu họ tên"),
        ([["B1", "Một", "Sở A//Phòng", "", ""]], "dòng 2, cột 'Đơn vị': đường dẫn đơn vị"),
        ([["B1", "Một", "Sở A", "", "12ab"]], "dòng 2, cột 'SĐT': số điện thoại '12ab'"),
    ],
)
def test_bad_rows_are_rejected_with_row_and_column_and_nothing_written(
    database_url, tmp_path, rows, expected
):
    assert (
        run(database_url, "org", "import", str(write_xlsx(tmp_path / "ok.xlsx", GOOD))).exit_code
        == 0
    )
    before = snapshot(database_url)
    # The good rows come first: a bad row late in the file must still block them all.
    bad = write_xlsx(tmp_path / "bad.xlsx", [["Z9", "Mới", "Sở Mới/Phòng", "", ""], *rows])
    shifted = expected.replace("dòng 3", "dòng 4").replace("dòng 2", "dòng 3")

    result = run(database_url, "org", "import", str(bad))

    assert result.exit_code == 1
    assert "bị từ chối" in result.output and "không có gì được ghi" in result.output
    assert shifted in result.output
    assert snapshot(database_url) == before


def test_missing_header_and_unreadable_files_are_rejected(database_url, tmp_path):
    no_unit = write_xlsx(tmp_path / "h.xlsx", [["A1", "Một"]], header=["Mã NV", "Họ tên"])
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    wrong_type = tmp_path / "ds.pdf"
    wrong_type.write_text("x")

    missing = run(database_url, "org", "import", str(no_unit))
    broken = run(database_url, "org", "import", str(garbage))
    unsupported = run(database_url, "org", "import", str(wrong_type))
    absent = run(database_url, "org", "import", str(tmp_path / "nope.csv"))

    assert "dòng 1, cột 'Đơn vị': thiếu cột bắt buộc" in missing.output
    assert "không đọc được tệp" in broken.output
    assert "chỉ nhận tệp .xlsx, .csv hoặc .txt" in unsupported.output
    assert "không đọc được tệp" in absent.output
    assert {r.exit_code for r in (missing, broken, unsupported, absent)} == {1}
    assert snapshot(database_url) == []


def test_org_show_prints_tree_with_head_counts(database_url, tmp_path):
    run(database_url, "org", "import", str(write_xlsx(tmp_path / "ds.xlsx", GOOD)))

    result = run(database_url, "org", "show")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any("Sở TT&TT — 3 người" in line for line in lines)
    assert any("Văn phòng — 2 người" in line for line in lines)
    assert any("Tổ Hành chính — 1 người" in line for line in lines)


def test_employee_codes_ignore_case_in_files_and_commands(database_url, tmp_path):
    run(database_url, "org", "import", str(write_xlsx(tmp_path / "ds.xlsx", GOOD)))
    again = tmp_path / "again.csv"
    again.write_text("Mã NV,Họ tên,Đơn vị\na1,Nguyễn Văn A,Sở TT&TT/Văn phòng\n", encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("Mã NV,Họ tên,Đơn vị\nB1,Một,Sở A\nb1,Hai,Sở A\n", encoding="utf-8")

    updated = run(database_url, "org", "import", str(again))
    duplicate = run(database_url, "org", "import", str(twice))
    exported = run(database_url, "org", "forget", "a2", "--export", str(tmp_path / "a2.json"))

    assert "thêm mới 0, cập nhật 1" in updated.output  # same person, code spelled as the file
    # The file has no SĐT column, so the phone stays.
    assert ("a1", "Nguyễn Văn A", Role.EMPLOYEE, "0912345678") in snapshot(database_url)
    assert "dòng 3, cột 'Mã NV': mã 'b1' trùng với dòng 2" in duplicate.output
    assert exported.exit_code == 0, exported.output
    assert "Trần <b>Thị</b> B" in (tmp_path / "a2.json").read_text(encoding="utf-8")


async def _active(url: str) -> dict[str, bool]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        rows = (await connection.execute(select(Person.employee_code, Person.active))).all()
    await engine.dispose()
    return dict(rows)


def test_deactivate_missing_keeps_data_and_other_agencies(database_url, tmp_path):
    everyone = tmp_path / "all.csv"
    everyone.write_text(
        "Mã NV,Họ tên,Đơn vị\nA1,Một,Sở A/Phòng 1\nA2,Hai,Sở A/Phòng 2\nA3,Ba,Sở A\nB1,Bốn,Sở B\n",
        encoding="utf-8",
    )
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("Mã NV,Họ tên,Đơn vị\na1,Một,sở a/phòng 1\nA3,Ba,Sở A\n", encoding="utf-8")
    assert run(database_url, "org", "import", str(everyone)).exit_code == 0

    dry = run(database_url, "org", "import", "--dry-run", "--deactivate-missing", str(fewer))
    assert "Đánh dấu nghỉ 1 người" in dry.output
    assert all(asyncio.run(_active(database_url)).values())
    real = run(database_url, "org", "import", "--deactivate-missing", str(fewer))
    shown = run(database_url, "org", "show")

    assert real.exit_code == 0, real.output
    assert "đơn vị mới 0" in real.output  # "sở a/phòng 1" is the existing unit
    assert asyncio.run(_active(database_url)) == {"a1": True, "A2": False, "A3": True, "B1": True}
    assert ("A2", "Hai", Role.EMPLOYEE, None) in snapshot(database_url)  # nothing deleted
    assert "Sở A — 2 người" in shown.output and "Sở B — 1 người" in shown.output
    back = run(database_url, "org", "import", str(everyone))
    assert "cập nhật 2" in back.output  # A2 active again, a1 spelled A1 again
    assert all(asyncio.run(_active(database_url)).values())


def test_unit_options_forgive_case_and_diacritics_and_suggest_a_close_unit(database_url, tmp_path):
    run(database_url, "org", "import", str(write_xlsx(tmp_path / "ds.xlsx", GOOD)))
    out = tmp_path / "moi.xlsx"

    loose = run(
        database_url, "invite", "create", "--unit", " so tt&tt /  VAN PHONG ", "--xlsx", str(out)
    )
    typo = run(
        database_url, "invite", "create", "--unit", "Sở TT&TT/Văn phongg", "--xlsx", str(out)
    )
    bare = run(database_url, "invite", "create", "--unit", "Phòng Kế hoạc", "--xlsx", str(out))
    far = run(database_url, "invite", "create", "--unit", "Bộ Công an", "--xlsx", str(out))

    assert loose.exit_code == 0, loose.output
    assert "Đã tạo 2 mã mời cho đơn vị" in loose.output
    assert "Không có đơn vị Sở TT&TT/Văn phongg. Có phải «Sở TT&TT/Văn phòng»?" in typo.output
    assert "Có phải «Sở TT&TT/Phòng Kế hoạch»?" in bare.output
    assert "Không có đơn vị Bộ Công an." in far.output and "Có phải" not in far.output
    assert {typo.exit_code, bare.exit_code, far.exit_code} == {1}


async def _roles(url: str) -> list[list[str]]:
    from bot.db.models import Broadcast

    engine = make_engine(url)
    async with engine.connect() as connection:
        rows = (await connection.execute(select(Broadcast.roles).order_by(Broadcast.id))).all()
    await engine.dispose()
    return [list(r[0]) for r in rows]


def test_role_options_take_the_roster_names(database_url, tmp_path):
    run(database_url, "org", "import", str(write_xlsx(tmp_path / "ds.xlsx", GOOD)))
    text = tmp_path / "tb.txt"
    text.write_text("Họp giao ban", encoding="utf-8")
    at = ("--at", "01/01/2099 08:00", "--text-file", str(text))

    results = [
        run(database_url, "broadcast", *at, "--role", "quản lý", "--role", "Quản trị viên"),
        run(database_url, "broadcast", *at, "--role", "nhan vien", "--role", "manager"),
    ]
    wrong = run(database_url, "broadcast", *at, "--role", "giám đốc")

    assert [r.exit_code for r in results] == [0, 0], results[0].output
    assert asyncio.run(_roles(database_url)) == [["manager", "admin"], ["employee", "manager"]]
    assert wrong.exit_code == 2 and "Vai trò 'giám đốc' không hợp lệ (nhân viên" in wrong.output
