"""Rosters without an employee-code column: people matched on re-import, codes minted once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Person, Role, Unit
from bot.db.session import make_engine
from bot.services import invites, org
from bot.services.roster import RosterError, read_roster
from bot.services.roster_match import code_prefix
from tests.harness import linked_chat, load_roster, make_router
from tests.test_roster import run, snapshot

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Chức vụ",
    "Đơn vị",
    "Phòng ban",
    "Số điện thoại",
    "Email",
]
FIRST = [
    ("Nguyễn Văn Ánh", "Trưởng phòng", "Phòng Kế hoạch", 912345678),
    ("Trần Thị Bích Ngọc", "Chuyên viên", "Phòng Kế hoạch", 388765432),
    ("Lê Đức Thắng", "Chuyên viên", "Phòng Kế hoạch", None),
    ("Phạm Thị Hường", "Kế toán", "Văn phòng", 2433123456),
    ("Đỗ Quý Dương", "Văn thư", "Văn phòng", None),
]


def codeless_roster(path: Path, people: list[tuple[str, str, str, object]]) -> Path:
    """An office roster without codes: title rows, the agency and each department merged down
    their rows, phones typed as numbers, birth dates, e-mails and a signature block."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["SỞ KHOA HỌC VÀ CÔNG NGHỆ"])
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2026"])
    sheet.merge_cells("A2:H2")
    sheet.append([])
    sheet.append(HEADER)
    first = sheet.max_row + 1
    runs: list[tuple[int, int]] = []
    for number, (name, title, unit, phone) in enumerate(people, start=1):
        row = first + number - 1
        starts = number == 1 or people[number - 2][2] != unit
        if starts:
            runs.append((row, row))
        else:
            runs[-1] = (runs[-1][0], row)
        agency = "Sở Khoa học" if number == 1 else None
        email = f"cb{number}@skhcn.gov.vn"
        born = date(1980, 1, number)
        sheet.append([number, name, born, title, agency, unit if starts else None, phone, email])
    last = sheet.max_row
    sheet.merge_cells(f"E{first}:E{last}")
    for top, bottom in runs:
        if bottom > top:
            sheet.merge_cells(f"F{top}:F{bottom}")
    sheet.append([])
    sheet.append([None, None, None, None, None, "Hà Nội, ngày 01 tháng 12 năm 2026"])
    sheet.append([None, "NGƯỜI LẬP BIỂU", None, None, None, "GIÁM ĐỐC"])
    sheet.append([None, "Nguyễn Thị Lập", None, None, None, "Trần Văn Trưởng"])
    workbook.save(path)
    return path


async def _people(url: str) -> list[tuple]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        query = (
            select(Person.employee_code, Person.full_name, Unit.path, Person.phone, Person.active)
            .join(Unit, Unit.id == Person.unit_id)
            .order_by(Person.employee_code)
        )
        rows = (await connection.execute(query)).all()
    await engine.dispose()
    return [tuple(row) for row in rows]


def people(url: str) -> list[tuple]:
    return asyncio.run(_people(url))


SKH = "Sở Khoa học"


def test_roster_without_codes_imports_and_reimport_updates_the_same_people(database_url, tmp_path):
    first = run(database_url, "org", "import", str(codeless_roster(tmp_path / "t11.xlsx", FIRST)))

    assert first.exit_code == 0, first.output
    assert "thêm mới 5, cập nhật 0, không đổi 0, đơn vị mới 3" in first.output
    assert "PKH001 — Nguyễn Văn Ánh (dòng 5)" in first.output
    assert people(database_url) == [
        ("PKH001", "Nguyễn Văn Ánh", f"{SKH}/Phòng Kế hoạch", "0912345678", True),
        ("PKH002", "Trần Thị Bích Ngọc", f"{SKH}/Phòng Kế hoạch", "0388765432", True),
        ("PKH003", "Lê Đức Thắng", f"{SKH}/Phòng Kế hoạch", None, True),
        ("VP001", "Phạm Thị Hường", f"{SKH}/Văn phòng", "02433123456", True),
        ("VP002", "Đỗ Quý Dương", f"{SKH}/Văn phòng", None, True),
    ]

    # December: Ngọc has a new phone, Ánh moved to the Văn phòng (same phone), Khoa joined.
    updated = [
        ("Trần Thị Bích Ngọc", "Chuyên viên", "Phòng Kế hoạch", "0388 000 111"),
        ("Lê Đức Thắng", "Chuyên viên", "Phòng Kế hoạch", None),
        ("Vũ Minh Khoa", "Chuyên viên", "Phòng Kế hoạch", 987654321),
        ("NGUYEN VAN ANH", "Chánh văn phòng", "Văn phòng", 912345678),
        ("Phạm Thị Hường", "Kế toán", "Văn phòng", 2433123456),
        ("Đỗ Quý Dương", "Văn thư", "Văn phòng", None),
    ]
    path = codeless_roster(tmp_path / "t12.xlsx", updated)
    second = run(database_url, "org", "import", str(path))
    third = run(database_url, "org", "import", str(path))

    assert second.exit_code == 0, second.output
    assert "thêm mới 1, cập nhật 2, không đổi 3, đơn vị mới 0" in second.output
    assert "PKH004 — Vũ Minh Khoa (dòng 7)" in second.output
    assert "thêm mới 0, cập nhật 0, không đổi 6" in third.output
    assert "Mã nhân viên mới" not in third.output
    assert people(database_url) == [
        ("PKH001", "NGUYEN VAN ANH", f"{SKH}/Văn phòng", "0912345678", True),
        ("PKH002", "Trần Thị Bích Ngọc", f"{SKH}/Phòng Kế hoạch", "0388000111", True),
        ("PKH003", "Lê Đức Thắng", f"{SKH}/Phòng Kế hoạch", None, True),
        ("PKH004", "Vũ Minh Khoa", f"{SKH}/Phòng Kế hoạch", "0987654321", True),
        ("VP001", "Phạm Thị Hường", f"{SKH}/Văn phòng", "02433123456", True),
        ("VP002", "Đỗ Quý Dương", f"{SKH}/Văn phòng", None, True),
    ]


def test_same_name_in_the_same_unit_without_phones_is_refused_with_both_rows(
    database_url, tmp_path
):
    triplets = [
        ("Nguyễn Văn An", "Chuyên viên", "Phòng Kế hoạch", None),
        ("Nguyễn Văn An", "Lái xe", "Phòng Kế hoạch", 912345678),  # the phone tells him apart
        ("Lê Đức Thắng", "Chuyên viên", "Phòng Kế hoạch", None),
        ("Nguyễn  Văn  AN", "Văn thư", "Phòng Kế hoạch", None),
        ("Nguyễn Văn An", "Kế toán", "Văn phòng", None),  # another unit: another person
        ("Trần Bình", "Kế toán", "Văn phòng", 988111222),
        ("TRAN BINH", "Kế toán", "Văn phòng", "0988 111 222"),  # typed twice
    ]
    path = codeless_roster(tmp_path / "ds.xlsx", triplets)

    result = run(database_url, "org", "import", str(path))

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert lines == [
        "  - ds.xlsx, dòng 8, cột 'Họ và tên': 'Nguyễn Văn AN' trùng họ tên và đơn vị với "
        "dòng 5, thiếu số điện thoại để phân biệt; hãy thêm cột Mã NV hoặc số điện thoại",
        "  - ds.xlsx, dòng 11, cột 'Họ và tên': 'TRAN BINH' trùng họ tên, đơn vị và số điện "
        "thoại với dòng 10",
    ]
    assert people(database_url) == []
    del triplets[3], triplets[-1]
    fixed = run(database_url, "org", "import", str(codeless_roster(path, triplets)))
    again = run(database_url, "org", "import", str(path))
    assert "thêm mới 5" in fixed.output and "không đổi 5" in again.output, fixed.output


def test_namesakes_with_distinct_phones_are_two_people_and_stay_two(database_url, tmp_path):
    twins = [
        ("Nguyễn Văn An", "Chuyên viên", "Phòng Kế hoạch", 912345678),
        ("Nguyễn Văn An", "Văn thư", "Phòng Kế hoạch", 912000111),
    ]
    path = codeless_roster(tmp_path / "ds.xlsx", twins)

    first = run(database_url, "org", "import", str(path))
    again = run(database_url, "org", "import", str(path))
    one_new_phone = [twins[0], (*twins[1][:3], 933000222)]
    changed = run(
        database_url, "org", "import", str(codeless_roster(tmp_path / "t2.xlsx", one_new_phone))
    )
    both_new = [(*twins[0][:3], 944000333), (*twins[1][:3], 955000444)]
    unclear = run(
        database_url, "org", "import", str(codeless_roster(tmp_path / "t3.xlsx", both_new))
    )

    assert first.exit_code == 0 and "thêm mới 2" in first.output
    assert "thêm mới 0, cập nhật 0, không đổi 2" in again.output
    assert "thêm mới 0, cập nhật 1, không đổi 1" in changed.output
    assert unclear.exit_code == 1
    assert (
        "t3.xlsx, dòng 5, cột 'Họ và tên': 'Nguyễn Văn An' trùng họ tên và đơn vị với dòng 6, "
        "không rõ dòng nào là người đã có mã PKH001, PKH002" in unclear.output
    )
    assert [(code, phone) for code, _, _, phone, _ in people(database_url)] == [
        ("PKH001", "0912345678"),
        ("PKH002", "0933000222"),
    ]


def test_a_row_matching_several_existing_people_is_refused(database_url, tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text(
        "Mã NV,Họ tên,Đơn vị\nA1,Nguyễn Văn An,Sở A\nA2,Nguyễn Văn An,Sở A\n", encoding="utf-8"
    )
    codeless = tmp_path / "codeless.csv"
    codeless.write_text("Họ tên,Đơn vị\nnguyen van an,sở a\n", encoding="utf-8")
    assert run(database_url, "org", "import", str(coded)).exit_code == 0

    result = run(database_url, "org", "import", str(codeless))

    assert result.exit_code == 1
    assert (
        "codeless.csv, dòng 2, cột 'Họ tên': 'nguyen van an' trùng họ tên và đơn vị với 2 người "
        "đã có (mã A1, A2), không rõ là ai; hãy thêm cột Mã NV" in result.output
    )
    assert [p[0] for p in people(database_url)] == ["A1", "A2"]


def test_dry_run_lists_the_codes_it_would_create_after_existing_ones(database_url, tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text(
        "Mã NV,Họ tên,Đơn vị\npkh007,Hoàng Văn Bảy,Sở Khác/Phòng Kho hàng\n", encoding="utf-8"
    )
    assert run(database_url, "org", "import", str(coded)).exit_code == 0
    path = codeless_roster(tmp_path / "ds.xlsx", FIRST)
    before = people(database_url)

    dry = run(database_url, "org", "import", "--dry-run", str(path))

    assert dry.exit_code == 0, dry.output
    assert "Chạy thử (không ghi gì): thêm mới 5" in dry.output
    assert "không có cột mã nhân viên" in dry.output
    expected = [
        "PKH008 — Nguyễn Văn Ánh (dòng 5)",
        "PKH009 — Trần Thị Bích Ngọc (dòng 6)",
        "PKH010 — Lê Đức Thắng (dòng 7)",
        "VP001 — Phạm Thị Hường (dòng 8)",
        "VP002 — Đỗ Quý Dương (dòng 9)",
    ]
    assert all(line in dry.output for line in expected), dry.output
    assert people(database_url) == before
    real = run(database_url, "org", "import", str(path))
    assert all(line in real.output for line in expected), real.output
    codes = sorted(p[0] for p in people(database_url))
    assert codes == ["PKH008", "PKH009", "PKH010", "VP001", "VP002", "pkh007"]


def test_an_empty_code_column_counts_as_no_code_column(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text(
        "STT,Mã NV,Họ và tên,Đơn vị\n1,,Nguyễn Văn A,Sở A\n2,,Trần B,Sở A\n", encoding="utf-8"
    )

    rows = read_roster(path)

    assert [(r.code, r.name, r.row) for r in rows] == [
        (None, "Nguyễn Văn A", 2),
        (None, "Trần B", 3),
    ]


def test_a_person_typed_below_the_signature_of_a_codeless_roster_is_refused(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text(
        "STT,Họ và tên,Đơn vị\n1,Nguyễn Văn A,Sở A\n,NGƯỜI LẬP BIỂU,\n,Lê Thị Lập,\n"
        "2,Trần Văn B,Sở A\n",
        encoding="utf-8",
    )

    with pytest.raises(RosterError) as refused:
        read_roster(path)

    assert [str(issue) for issue in refused.value.issues] == [
        "dòng 5: dòng này nằm sau phần chân trang (dòng 3); hãy xóa chân trang"
    ]


def test_deactivated_person_gets_no_invite(database_url, tmp_path):
    everyone = tmp_path / "all.csv"
    everyone.write_text(
        "Họ tên,Đơn vị,SĐT\nNguyễn Văn A,Sở A,0912345678\nTrần B,Sở A,\n", encoding="utf-8"
    )
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("Họ tên,Đơn vị,SĐT\nNguyễn Văn A,Sở A,0912345678\n", encoding="utf-8")
    assert run(database_url, "org", "import", str(everyone)).exit_code == 0
    assert run(database_url, "org", "import", "--deactivate-missing", str(fewer)).exit_code == 0
    assert people(database_url)[1][:2] == ("SA002", "Trần B")

    refused = run(database_url, "invite", "create", "--person", "sa002")
    active = run(database_url, "invite", "create", "--person", "SA001")

    assert refused.exit_code == 1
    assert "Trần B (SA002) đã được đánh dấu nghỉ, không tạo mã mời" in refused.output
    assert active.exit_code == 0, active.output


async def test_the_invite_service_refuses_an_inactive_person(sessionmaker):
    now = datetime(2026, 3, 2, tzinfo=UTC)
    async with sessionmaker() as session, session.begin():
        unit = Unit(name="Sở A", path="Sở A", depth=0)
        person = Person(
            employee_code="NV9",
            full_name="Người Nghỉ",
            unit=unit,
            active=False,
            created_at=now,
            updated_at=now,
        )
        session.add(person)
        await session.flush()

        with pytest.raises(UserError) as refused:
            await invites.create_invite(session, person=person, now=now, ttl=timedelta(days=7))

    assert refused.value.message.startswith("Người Nghỉ (NV9) đã được đánh dấu nghỉ")


def test_columns_the_file_lacks_leave_roles_and_phones_as_they_are(database_url, tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text(
        "Mã NV,Họ tên,Đơn vị,Vai trò,SĐT\nAD1,Nguyễn Văn A,Sở A,Quản trị,0912345678\n"
        "QL1,Trần B,Sở A/Phòng 1,Quản lý,0988111222\n",
        encoding="utf-8",
    )
    hr_export = tmp_path / "hr.csv"
    hr_export.write_text(
        "STT,Họ và tên,Chức vụ,Đơn vị,Phòng ban\n1,Nguyễn Văn A,Giám đốc,Sở A,\n"
        "2,Trần B,Trưởng phòng,Sở A,Phòng 1\n3,Lê C,Chuyên viên,Sở A,Phòng 1\n",
        encoding="utf-8",
    )
    assert run(database_url, "org", "import", str(coded)).exit_code == 0

    result = run(database_url, "org", "import", str(hr_export))

    assert result.exit_code == 0, result.output
    assert "thêm mới 1, cập nhật 0, không đổi 2" in result.output
    assert snapshot(database_url)[:3] == [
        ("AD1", "Nguyễn Văn A", Role.ADMIN, "0912345678"),
        ("P001", "Lê C", Role.EMPLOYEE, None),
        ("QL1", "Trần B", Role.MANAGER, "0988111222"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Chức vụ",
            "Đơn vị / Phòng ban",
            "Số điện thoại",
            "Email",
        ],
        ["TT", "Họ tên", "Năm sinh", "Chức danh", "Phòng ban/Đơn vị", "Điện thoại liên hệ", "Mail"],
        ["STT", "HỌ VÀ TÊN", "NGÀY SINH", "CHỨC VỤ", "NƠI CÔNG TÁC", "SĐT DI ĐỘNG", "EMAIL"],
    ],
)
def test_usual_codeless_headers_are_recognised(tmp_path, header):
    workbook = Workbook()
    workbook.active.append(["DANH SÁCH CÁN BỘ"])
    workbook.active.append(header)
    workbook.active.append(
        [1, "Nguyễn Văn A", "01/01/1980", "Chuyên viên", "Sở A/Phòng 1", 912345678]
    )
    path = tmp_path / "ds.xlsx"
    workbook.save(path)

    rows = read_roster(path)

    assert [(r.code, r.name, r.unit, r.phone) for r in rows] == [
        (None, "Nguyễn Văn A", "Sở A/Phòng 1", "0912345678")
    ]


@pytest.mark.parametrize(
    ("unit", "prefix"),
    [
        ("Sở Khoa học/Phòng Kế hoạch", "PKH"),
        ("Sở A/Phòng Tài nguyên và Môi trường", "PTNMT"),
        ("Sở A/Phòng TN&MT", "PTNMT"),
        ("UBND huyện X/Văn phòng HĐND và UBND", "VPHDND"),
        ("UBND xã Hòa An", "UBNDXH"),
        ("Công an tỉnh/Đội Cảnh sát giao thông", "DCSGT"),
        ("Sở A/Phòng 2/Tổ 1", "T"),
        ("Ủy ban MTTQVN tỉnh/UBMTTQVN", "UBMTTQ"),
        ("Sở A/123", "NV"),
    ],
)
def test_code_prefix_is_the_initials_of_the_unit(unit, prefix):
    assert code_prefix(unit) == prefix


async def test_moi_for_an_inactive_person_says_why_in_chat(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    manager = await linked_chat(router, sessionmaker, clock, "QL1")
    async with sessionmaker() as session, session.begin():
        (await org.find_person(session, code="NV2")).active = False

    answer = await manager.say("/moi nv2")

    assert answer == t("invite.inactive", name="Nhân Viên Hai", code="NV2"), answer


def test_phone_rules_international_form_shared_lines_and_reassigned_numbers(database_url, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(
        "Họ tên,Đơn vị,SĐT\nNguyễn Văn A,Sở A/Phòng 1,0912345678\n"
        "Lê Văn C,Sở A/Phòng 2,02433123456\nPhạm Thị D,Sở A/Phòng 2,02433123456\n"
        "Hoàng Văn F,Sở A/Phòng 5,0988777666\n",
        encoding="utf-8",
    )
    assert run(database_url, "org", "import", str(first)).exit_code == 0
    second = tmp_path / "second.csv"
    second.write_text(
        "Họ tên,Đơn vị,SĐT\n"
        "Nguyễn Văn A,Sở A/Phòng 3,+84 912 345 678\n"  # moved; his number in +84 form
        "Lê Văn C,Sở A/Phòng 2,02433999999\n"  # the shared line changed
        "Phạm Thị D,Sở A/Phòng 2,02433999999\n"
        "Trần Văn E,Sở A/Phòng 4,02433123456\n"  # got the old line: not C or D
        "Vũ Thị G,Sở A/Phòng 4,0988777666\n",  # F's old number: G is not F
        encoding="utf-8",
    )

    result = run(database_url, "org", "import", str(second))

    assert result.exit_code == 0, result.output
    assert "thêm mới 2, cập nhật 3, không đổi 0" in result.output
    assert sorted(people(database_url)) == [
        ("P001", "Nguyễn Văn A", "Sở A/Phòng 3", "+84912345678", True),
        ("P002", "Lê Văn C", "Sở A/Phòng 2", "02433999999", True),
        ("P003", "Phạm Thị D", "Sở A/Phòng 2", "02433999999", True),
        ("P004", "Hoàng Văn F", "Sở A/Phòng 5", "0988777666", True),
        ("P005", "Trần Văn E", "Sở A/Phòng 4", "02433123456", True),
        ("P006", "Vũ Thị G", "Sở A/Phòng 4", "0988777666", True),
    ]


def test_a_newcomer_named_like_someone_who_left_is_a_new_person(database_url, tmp_path):
    before = tmp_path / "before.csv"
    before.write_text(
        "Họ tên,Đơn vị,SĐT\nNguyễn Văn An,Sở A,0912345678\nLê Bình,Sở A,0988111222\n",
        encoding="utf-8",
    )
    left = tmp_path / "left.csv"
    left.write_text("Họ tên,Đơn vị,SĐT\nLê Bình,Sở A,0988111222\n", encoding="utf-8")
    later = tmp_path / "later.csv"
    later.write_text(
        "Họ tên,Đơn vị,SĐT\nLê Bình,Sở A,0977000333\nNguyễn Văn An,Sở A,0933000444\n",
        encoding="utf-8",
    )
    back = tmp_path / "back.csv"
    back.write_text("Họ tên,Đơn vị,SĐT\nNguyễn Văn An,Sở A,\n", encoding="utf-8")
    assert run(database_url, "org", "import", str(before)).exit_code == 0
    assert run(database_url, "org", "import", "--deactivate-missing", str(left)).exit_code == 0

    # Bình (active) changed phone: still Bình. The An who left had another phone: a new An.
    result = run(database_url, "org", "import", str(later))

    assert result.exit_code == 0, result.output
    assert "thêm mới 1, cập nhật 1, không đổi 0" in result.output
    assert sorted(people(database_url)) == [
        ("SA001", "Nguyễn Văn An", "Sở A", "0912345678", False),
        ("SA002", "Lê Bình", "Sở A", "0977000333", True),
        ("SA003", "Nguyễn Văn An", "Sở A", "0933000444", True),
    ]
    # Without a phone nothing tells the two Ans apart any more.
    unclear = run(database_url, "org", "import", str(back))
    assert "trùng họ tên và đơn vị với 2 người đã có (mã SA001, SA003)" in unclear.output
