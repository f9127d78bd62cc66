"""Roster files as offices make them: title rows, merged cells, footers, Excel's text exports,
and files built to exhaust memory."""

from __future__ import annotations

import codecs
import re
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.db.models import Role
from bot.services.roster import RosterError, read_roster
from tests.test_roster import run, snapshot

TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters with tone marks as separate characters."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = nfd(char)
            try:
                out += (unicodedata.normalize("NFC", parts[:2]) + parts[2:]).encode("cp1258")
            except UnicodeEncodeError:
                out += parts.encode("cp1258")
    return out


def office_roster(path: Path, *, header: list[str], cover_sheet: bool = True) -> Path:
    """A roster as an office exports it: a cover sheet, title rows, a two-level unit merged
    down its rows, NFD names, phones typed as numbers, then a signature block."""
    workbook = Workbook()
    if cover_sheet:
        workbook.active.title = "Hướng dẫn"
        workbook.active.append(["Điền danh sách ở trang sau."])
        sheet = workbook.create_sheet("Danh sách")
    else:
        sheet = workbook.active
    sheet.append(["UBND TỈNH X"])
    sheet.append([TITLE])
    sheet.merge_cells("A2:G2")
    sheet.append([])
    sheet.append(header)
    people = [
        (1, "KHCN001", "Nguyễn Văn Ánh", "Trưởng phòng", "Phòng Kế hoạch", 912345678, "Quản lý"),
        (2, "KHCN002", "Trần Thị Bích Ngọc", "Chuyên viên", None, 388765432, None),
        (3, "KHCN003", "Lê Đức Thắng", "Chuyên viên", None, "0977 111 222", "nhân viên"),
        (4, "KHCN004", "Phạm Thị Hường", "Kế toán", "Văn phòng", 2433123456, ""),
        (5, "KHCN005", "Đỗ Quý Dương", "Văn thư", None, None, None),
    ]
    first = sheet.max_row + 1
    for number, code, name, title, unit, phone, role in people:
        agency = "Sở Khoa học" if number == 1 else None
        sheet.append([number, code, nfd(name), title, agency, unit, phone, role])
    last = sheet.max_row
    sheet.merge_cells(f"E{first}:E{last}")  # the agency, once for everybody
    sheet.merge_cells(f"F{first}:F{first + 2}")  # Phòng Kế hoạch over three people
    sheet.merge_cells(f"F{first + 3}:F{last}")  # Văn phòng over two
    for row in range(first, last + 1):
        sheet.cell(row, 7).number_format = "0"
    sheet.append([])
    sheet.append([None, None, None, None, None, "Hà Nội, ngày 01 tháng 12 năm 2026"])
    sheet.append([None, "NGƯỜI LẬP BIỂU", None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"])
    sheet.append([None, "(Ký, ghi rõ họ tên)", None, None, None, "(Ký tên, đóng dấu)"])
    sheet.append([])
    sheet.append([None, "Nguyễn Thị Lập", None, None, None, "Trần Văn Trưởng"])
    workbook.save(path)
    return path


EXPECTED = [
    ("KHCN001", "Nguyễn Văn Ánh", Role.MANAGER, "0912345678"),
    ("KHCN002", "Trần Thị Bích Ngọc", Role.EMPLOYEE, "0388765432"),
    ("KHCN003", "Lê Đức Thắng", Role.EMPLOYEE, "0977111222"),
    ("KHCN004", "Phạm Thị Hường", Role.EMPLOYEE, "02433123456"),
    ("KHCN005", "Đỗ Quý Dương", Role.EMPLOYEE, None),
]
UNITS = [("Sở Khoa học",), ("Sở Khoa học/Phòng Kế hoạch",), ("Sở Khoa học/Văn phòng",)]


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "Mã NV", "Họ và tên", "Chức vụ", "Đơn vị", "Phòng/Ban", "Điện thoại", "Vai trò"],
        ["TT", "Mã nhân viên", "Họ tên", "Chức danh", "Cơ quan", "Phòng ban", "SĐT", "Vai trò"],
        ["stt", "MA NV", "HO VA TEN", "chuc vu", "don vi", "Bộ phận", "Số điện thoại", "quyền"],
    ],
)
def test_office_roster_with_title_merged_units_footer_nfd_names_and_numeric_phones(
    database_url, tmp_path, header
):
    path = office_roster(tmp_path / "ds.xlsx", header=header)

    result = run(database_url, "org", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "thêm mới 5, cập nhật 0, không đổi 0, đơn vị mới 3" in result.output
    data = snapshot(database_url)
    assert data == EXPECTED + UNITS
    assert all(unicodedata.is_normalized("NFC", name) for _, name, _, _ in data[:5])


def test_people_land_in_the_unit_of_their_merged_cell(tmp_path):
    header = ["STT", "Mã NV", "Họ tên", "Chức vụ", "Đơn vị", "Phòng/Ban", "SĐT", "Vai trò"]
    path = office_roster(tmp_path / "ds.xlsx", header=header)

    rows = read_roster(path)

    assert [(r.code, r.unit, r.row) for r in rows] == [
        ("KHCN001", "Sở Khoa học/Phòng Kế hoạch", 5),
        ("KHCN002", "Sở Khoa học/Phòng Kế hoạch", 6),
        ("KHCN003", "Sở Khoa học/Phòng Kế hoạch", 7),
        ("KHCN004", "Sở Khoa học/Văn phòng", 8),
        ("KHCN005", "Sở Khoa học/Văn phòng", 9),
    ]


def test_sheet_is_chosen_by_name_or_number_and_unknown_sheets_are_named(tmp_path):
    header = ["STT", "Mã NV", "Họ tên", "Chức vụ", "Đơn vị", "Phòng/Ban", "SĐT", "Vai trò"]
    path = office_roster(tmp_path / "ds.xlsx", header=header)

    assert len(read_roster(path, sheet="danh sach")) == 5
    assert len(read_roster(path, sheet="2")) == 5
    with pytest.raises(RosterError) as cover:
        read_roster(path, sheet="Hướng dẫn")
    with pytest.raises(RosterError) as unknown:
        read_roster(path, sheet="Tháng 12")

    assert "không tìm thấy dòng tiêu đề" in str(cover.value.issues[0])
    assert "không có trang tính «Tháng 12»; tệp có: «Hướng dẫn», «Danh sách»" in str(
        unknown.value.issues[0]
    )


def test_cli_takes_the_sheet_option(database_url, tmp_path):
    header = ["STT", "Mã NV", "Họ tên", "Chức vụ", "Đơn vị", "Phòng/Ban", "SĐT", "Vai trò"]
    path = office_roster(tmp_path / "ds.xlsx", header=header)

    wrong = run(database_url, "org", "import", "--sheet", "Hướng dẫn", str(path))
    right = run(database_url, "org", "import", "--sheet", "Danh sách", str(path))

    assert wrong.exit_code == 1 and "ds.xlsx, không tìm thấy dòng tiêu đề" in wrong.output
    assert right.exit_code == 0 and "thêm mới 5" in right.output


def _forge_dimension(path: Path, ref: str) -> Path:
    """Rewrite the sheet's <dimension> tag and add an empty cell at its far corner, as a
    hostile (or carelessly formatted) file may."""
    corner = ref.split(":")[1]
    last_row = re.sub(r"[A-Z]", "", corner)
    forged = path.with_name("forged-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                far = f'<row r="{last_row}"><c r="{corner}" s="0"/></row></sheetData>'
                data = data.replace(b"</sheetData>", far.encode())
                assert f'ref="{ref}"'.encode() in data and corner.encode() in data
            target.writestr(item, data)
    return forged


@pytest.mark.parametrize("ref", ["A1:XFD3000", "A1:XFD20000", "A1:XFD1048576"])
def test_forged_dimension_is_read_in_bounded_memory(tmp_path, ref):
    workbook = Workbook()
    workbook.active.append(["Mã NV", "Họ tên", "Đơn vị"])
    workbook.active.append(["A1", "Nguyễn Văn A", "Sở A"])
    workbook.save(tmp_path / "small.xlsx")
    forged = _forge_dimension(tmp_path / "small.xlsx", ref)
    assert forged.stat().st_size < 10_000

    tracemalloc.start()
    try:
        rows = read_roster(forged)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [(r.code, r.name, r.unit) for r in rows] == [("A1", "Nguyễn Văn A", "Sở A")]
    assert peak < 20 * 1024 * 1024  # the whole claimed grid would be gigabytes


def test_huge_cell_is_refused_with_a_short_message(database_url, tmp_path):
    workbook = Workbook()
    workbook.active.append(["Mã NV", "Họ tên", "Đơn vị", "SĐT"])
    workbook.active.append(["A1", "X" * 2_000_000, "Sở A", "9" * 30_000])
    path = tmp_path / "big.xlsx"
    workbook.save(path)

    result = run(database_url, "org", "import", str(path))

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("big.xlsx, dòng 2, cột 'Họ tên': họ tên dài quá 200 ký tự" in x for x in lines)
    assert any("dòng 2, cột 'SĐT': số điện thoại" in x for x in lines)
    assert max(len(line) for line in lines) < 300
    assert snapshot(database_url) == []


def test_files_over_the_size_or_row_limits_are_refused(database_url, tmp_path):
    many = tmp_path / "many.csv"
    lines = ["Mã NV,Họ tên,Đơn vị"] + [f"N{i},Người {i},Sở A" for i in range(20_001)]
    many.write_text("\n".join(lines), encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_bytes(b"Ma NV,Ho ten,Don vi\n" + b"A1,Nguyen Van A,So A\n" * 600_000)

    too_many = run(database_url, "org", "import", str(many))
    too_big = run(database_url, "org", "import", str(big))

    assert too_many.exit_code == 1 and "many.csv, tệp có quá 20.000 dòng" in too_many.output
    assert too_big.exit_code == 1 and "vượt giới hạn 10 MB" in too_big.output
    assert snapshot(database_url) == []


@pytest.mark.parametrize(
    ("part", "megabytes", "expected"),
    [
        ("xl/sharedStrings.xml", 30, "phần sharedStrings.xml của tệp vượt giới hạn 20 MB"),
        ("xl/styles.xml", 12, "phần styles.xml của tệp vượt giới hạn 10 MB"),
        ("xl/worksheets/sheet1.xml", 60, "tệp giải nén vượt giới hạn 50 MB"),
    ],
)
def test_zip_bomb_xlsx_is_refused_before_unpacking(tmp_path, part, megabytes, expected):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, b" " * (megabytes * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024

    with pytest.raises(RosterError) as refused:
        read_roster(path)

    assert str(refused.value.issues[0]) == expected


EXCEL_TEXT = "Mã NV\tHọ tên\tĐơn vị\tSĐT\r\nNV001\tNguyễn Văn Ánh\tSở A/Phòng 1\t912345678\r\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("unicode.txt", codecs.BOM_UTF16_LE + EXCEL_TEXT.encode("utf-16-le")),
        ("unicode.csv", codecs.BOM_UTF16_BE + EXCEL_TEXT.encode("utf-16-be")),
        ("nobom.csv", EXCEL_TEXT.encode("utf-16-le")),
        ("bom.csv", codecs.BOM_UTF8 + EXCEL_TEXT.replace("\t", ";").encode()),
        ("ansi.csv", cp1258(EXCEL_TEXT.replace("\t", ","))),
        ("plain.tsv", EXCEL_TEXT.encode()),
    ],
)
def test_excel_text_exports_in_any_encoding_and_delimiter(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)

    rows = read_roster(path)

    assert [(r.code, r.name, r.unit, r.phone) for r in rows] == [
        ("NV001", "Nguyễn Văn Ánh", "Sở A/Phòng 1", "0912345678")
    ]


def _one_row(tmp_path: Path, *cells: object, header: list[str] | None = None) -> Path:
    workbook = Workbook()
    workbook.active.append(header or ["Mã NV", "Họ tên", "Đơn vị"])
    workbook.active.append(list(cells))
    path = tmp_path / "one.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("A1", "Nguyễn\u202eA nốH", "Sở A"), "dòng 2, cột 'Họ tên': có ký tự ẩn hoặc đảo chiều"),
        (("A1", "\u200fTrần B", "Sở A"), "U+200F"),
        (("A1", "Lê C", "Sở\u2066 A"), "dòng 2, cột 'Đơn vị': có ký tự ẩn"),
        (("A\u202e1", "Lê C", "Sở A"), "dòng 2, cột 'Mã NV': có ký tự ẩn"),
    ],
)
def test_bidi_and_control_characters_are_refused_with_row_and_field(tmp_path, cells, expected):
    with pytest.raises(RosterError) as refused:
        read_roster(_one_row(tmp_path, *cells))

    assert expected in "\n".join(map(str, refused.value.issues))


def test_zero_width_characters_are_removed(tmp_path):
    path = _one_row(tmp_path, "NV\u200b001", "Nguyễn\u200d Văn\ufeff An\u00ad", "Sở\u200c A")

    rows = read_roster(path)

    assert [(r.code, r.name, r.unit) for r in rows] == [("NV001", "Nguyễn Văn An", "Sở A")]


def test_slash_in_a_level_column_is_refused_and_a_path_column_reports_new_units(
    database_url, tmp_path
):
    levels = _one_row(
        tmp_path, "A1", "Lê C", "Sở A", "Phòng TC/HC", header=["Mã NV", "Họ tên", "Đơn vị", "Phòng"]
    )
    with pytest.raises(RosterError) as refused:
        read_roster(levels)
    path = tmp_path / "path.csv"
    path.write_text("Mã NV,Họ tên,Đơn vị\nA1,Lê C,Sở A/Phòng TC/Tổ 1\n", encoding="utf-8")

    result = run(database_url, "org", "import", "--dry-run", str(path))

    assert "dòng 2, cột 'Phòng': tên đơn vị 'Phòng TC/HC' có dấu “/”" in str(
        refused.value.issues[0]
    )
    assert "Đơn vị mới (3): Sở A, Sở A/Phòng TC, Sở A/Phòng TC/Tổ 1" in result.output


def test_people_are_never_dropped_unseen_around_a_footer(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Mã NV", "Họ và tên", "Chức vụ", "Đơn vị"])
    sheet.append([1, "A1", "Nguyễn Văn A", "Chuyên viên", "Sở A"])
    sheet.append([2, None, "Trần Văn B", "Giám đốc", "Sở A"])  # a job title is not a footer
    sheet.append([None, None, None, "NGƯỜI LẬP BIỂU"])
    sheet.append([None, None, "Lê Thị Lập"])
    sheet.append([3, "A3", "Phạm Văn C", "Chuyên viên", "Sở A"])  # typed below the signature
    path = tmp_path / "footer.xlsx"
    workbook.save(path)

    with pytest.raises(RosterError) as refused:
        read_roster(path)

    assert [str(issue) for issue in refused.value.issues] == [
        "dòng 6: dòng này nằm sau phần chân trang (dòng 4); hãy xóa chân trang",
        "dòng 3, cột 'Mã NV': thiếu mã nhân viên",
    ]


def test_messages_name_the_columns_as_the_file_titles_them(tmp_path):
    header = ["STT", "Mã nhân viên", "Họ và tên", "Chức vụ", "Đơn vị", "Phòng/Ban", "Điện thoại"]
    path = _one_row(tmp_path, 1, "A1", "", "", "Sở A", "Phòng 1", "12ab", header=header)

    with pytest.raises(RosterError) as refused:
        read_roster(path)

    assert [str(issue) for issue in refused.value.issues] == [
        "dòng 2, cột 'Họ và tên': thiếu họ tên",
        "dòng 2, cột 'Điện thoại': số điện thoại '12ab' không hợp lệ",
    ]


def test_an_oversized_csv_field_is_refused_in_one_short_line(database_url, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('Mã NV,Họ tên,Đơn vị\nA1,"' + "x" * 300_000 + '",Sở A\n', encoding="utf-8")

    result = run(database_url, "org", "import", str(path))

    assert result.exit_code == 1
    assert "long.csv, dòng 2: ô quá dài hoặc hỏng" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 300
